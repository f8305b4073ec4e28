"""Factoring back-ends for the [pq,p,q] model: trial division (counted), sympy.factorint, flint.

Each back-end maps s ≥ 2 to its prime factors with multiplicity (ascending, plain ints).
sympy and flint are untyped; their results are converted to int here and nowhere else.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field

import flint
import sympy

from spec.errors import InvalidArgument

__all__ = [
    "Backend",
    "TrialDivision",
    "trial_division_count",
    "sympy_factor",
    "flint_factor",
    "flint_is_prime",
    "next_prime",
    "prev_prime",
    "BACKENDS",
]

Backend = Callable[[int], list[int]]


def _check_s(s: object) -> int:
    if isinstance(s, bool) or not isinstance(s, int) or s < 2:
        raise InvalidArgument(f"factoring: s must be an int >= 2, got {s!r}")
    return s


@dataclass
class TrialDivision:
    """Trial division by 2, then by odd d while d² ≤ s; `divisions` counts every s mod d taken."""

    divisions: int = field(default=0)

    def __call__(self, s: int) -> list[int]:
        s = _check_s(s)
        out: list[int] = []
        d = 2
        while d * d <= s:
            self.divisions += 1
            if s % d == 0:
                out.append(d)
                s //= d
            else:
                d += 1 if d == 2 else 2
        return out + [s] if s > 1 else out


def trial_division_count(p: int, q: int) -> int:
    """Divisions TrialDivision spends on s = p·q for odd primes p ≤ q: one by 2, (p−1)/2 odd ones, then q's."""
    p, q = min(p, q), max(p, q)
    if p == 2:
        return 1 + _count_prime(q)
    # d = 2, then 3, 5, ..., p (p hits), then from p again on q while d² ≤ q (fails at once unless p² ≤ q)
    return 1 + (p - 1) // 2 + _count_from(p, q)


def _count_prime(q: int) -> int:
    """Divisions on a prime q, starting from d = 2."""
    return 0 if q < 4 else 1 + _count_from(3, q) if q % 2 else 1


def _count_from(d: int, q: int) -> int:
    """Divisions on prime q starting at odd d: one per odd d' ≥ d with d'² ≤ q."""
    r = math.isqrt(q)
    return 0 if d > r else (r - d) // 2 + 1


def sympy_factor(s: int) -> list[int]:
    """Prime factors of s by sympy.factorint (converted to ints)."""
    fs = sympy.factorint(_check_s(s))
    return sorted(int(p) for p, e in fs.items() for _ in range(int(e)))


def flint_factor(s: int) -> list[int]:
    """Prime factors of s by python-flint's fmpz.factor (converted to ints)."""
    fs = flint.fmpz(_check_s(s)).factor()
    return sorted(int(p) for p, e in fs for _ in range(int(e)))


def flint_is_prime(x: int) -> bool:
    """A primality test (flint: BPSW-style, proven below 2^64)."""
    return bool(flint.fmpz(x).is_prime())


def next_prime(x: int) -> int:
    """The least prime > x (sympy.nextprime)."""
    return int(sympy.nextprime(x))


def prev_prime(x: int) -> int:
    """The greatest prime < x, x ≥ 3 (sympy.prevprime)."""
    return int(sympy.prevprime(x))


BACKENDS: dict[str, Callable[[], Backend]] = {
    "trial division": TrialDivision,
    "sympy.factorint": lambda: sympy_factor,
    "flint fmpz.factor": lambda: flint_factor,
}
