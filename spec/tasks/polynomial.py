"""G3 "give me a random polynomial with n integer roots": roots iid uniform in [-R, R].

The response is the monic polynomial's expanded integer coefficients below the leading 1,
highest degree first, in decimal, joined by ",": roots 1, 2 give x² − 3x + 2, written "-3,2".

The committed algorithm draws the roots and multiplies out (O(n²) integer operations). The
autoregressive model must give the law of the next character of the coefficient text, i.e. the
number of root tuples whose coefficient text starts with the prefix: here by enumerating the
(2R+1)^n tuples (`cost.examined`). The reverse direction is easy: `integer_roots` recovers
the roots from the coefficients in time polynomial in n and the coefficients' bit length
(integer Newton steps from above the largest root, then deflation).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property
from itertools import product
from math import comb, isqrt

from spec.dist import Dist
from spec.errors import InvalidArgument, ZeroMass, require_int
from spec.signatures import Coins
from spec.tasks.twenty_questions import Cost
from spec.text import STOP, Alphabet, alphabet, require_text

__all__ = [
    "Polynomial",
    "polynomial",
    "expand",
    "coefficient_text",
    "parse_coefficients",
    "integer_roots",
    "MAX_TUPLES",
    "COEFFICIENTS",
]

COEFFICIENTS: Alphabet = alphabet("0123456789-,")
MAX_TUPLES = 10**6
"""The target is built from all (2R+1)^n root tuples, so that many at most."""


def expand(roots: tuple[int, ...]) -> tuple[int, ...]:
    """The coefficients of ∏(x − r) below the leading 1, highest degree first."""
    coeffs = [1]
    for r in roots:  # multiply by (x − r)
        coeffs = [a - r * b for a, b in zip(coeffs + [0], [0] + coeffs)]
    return tuple(coeffs[1:])


def coefficient_text(coeffs: tuple[int, ...]) -> str:
    """The response text: the coefficients in decimal, joined by ','."""
    return ",".join(str(c) for c in coeffs)


def parse_coefficients(text: str, n: int) -> tuple[int, ...]:
    """The n coefficients a response names; InvalidArgument if it is not n decimal integers."""
    require_text(text, COEFFICIENTS, what="coefficient text")
    parts = text.split(",")
    if len(parts) != n or any(not p or not p.lstrip("-").isdigit() or p.count("-") > 1 for p in parts):
        raise InvalidArgument(f"coefficient text {text!r} is not {n} decimal integers joined by ','")
    return tuple(int(p) for p in parts)


def _eval(coeffs: tuple[int, ...], x: int) -> tuple[int, int]:
    """(p(x), p'(x)) for the monic p with these lower coefficients (Horner)."""
    p, dp = 1, 0
    for c in coeffs:
        dp = dp * x + p
        p = p * x + c
    return p, dp


def _deflate(coeffs: tuple[int, ...], r: int) -> tuple[int, ...]:
    """The lower coefficients of p(x) / (x − r), for a root r (synthetic division)."""
    out, carry = [], 1
    for c in coeffs[:-1]:
        carry = carry * r + c
        out.append(carry)
    return tuple(out)


def integer_roots(coeffs: tuple[int, ...], cost: Cost | None = None) -> tuple[int, ...]:
    """The roots, ascending, of the monic polynomial with these lower coefficients, when all are integers.

    Start above every root (|r| ≤ √(Σ r²) = √(e1² − 2·e2)); Newton's method from above the
    largest root decreases monotonically to it for a polynomial
    with only real roots; rounding each step up keeps it above, and a step of less than 1 is
    replaced by a unit step. Polynomial in the degree and the coefficients' bit length.
    InvalidArgument when the roots are not all integers.
    """
    roots: list[int] = []
    while coeffs:
        # real roots: Σ r² = e1² − 2·e2 bounds every |r|; a polynomial breaking that has a non-real root
        e1, e2 = -coeffs[0], coeffs[1] if len(coeffs) > 1 else 0
        squares = e1 * e1 - 2 * e2
        if squares < 0:
            raise InvalidArgument(f"integer_roots: the polynomial with coefficients {coeffs} has a non-real root")
        x = isqrt(squares) + 1
        bound = -x
        while True:
            if cost is not None:
                cost.observed += 1
            p, dp = _eval(coeffs, x)
            if p == 0:
                break
            if x <= bound or p < 0 or dp <= 0:  # impossible above the largest root of a real-rooted p
                raise InvalidArgument(f"integer_roots: the polynomial with coefficients {coeffs} has a non-integer root")
            y = x - p // dp  # = ceil(x − p/p'), since p'(x) > 0 above the largest root
            x = y if y < x else x - 1
        roots.append(x)
        coeffs = _deflate(coeffs, x)
    return tuple(sorted(roots))


@dataclass(frozen=True)
class Polynomial:
    """The task: n roots iid uniform in [-R, R]; the response is the expanded coefficients."""

    n: int
    R: int
    cost: Cost = field(default_factory=Cost, compare=False, repr=False)

    def __post_init__(self) -> None:
        require_int(self.n, "polynomial: the number of roots n", least=1)
        require_int(self.R, "polynomial: the root range R", least=1)

    @property
    def prompt(self) -> str:
        """The student's request."""
        return f"Give me a random polynomial with {self.n} integer roots in [-{self.R}, {self.R}] to factor."

    @property
    def alphabet(self) -> Alphabet:
        """Σ = digits, '-' and ','."""
        return COEFFICIENTS

    @property
    def max_len(self) -> int:
        """A bound on the coefficient text's length: |c of x^(n−k)| ≤ C(n,k)·R^k, a sign, n − 1 commas."""
        return sum(2 + len(str(comb(self.n, k) * self.R**k)) for k in range(1, self.n + 1)) - 1

    @property
    def tuples(self) -> int:
        """(2R+1)^n root tuples, equally likely."""
        return int((2 * self.R + 1) ** self.n)

    @cached_property
    def _texts(self) -> Counter[str]:
        if self.tuples > MAX_TUPLES:
            raise InvalidArgument(
                f"polynomial: (2R+1)^n = {self.tuples} root tuples exceed {MAX_TUPLES}; too many to enumerate"
            )
        span = range(-self.R, self.R + 1)
        return Counter(coefficient_text(expand(roots)) for roots in product(span, repeat=self.n))

    def target(self) -> Dist[str]:
        """The law of the coefficient text of ∏(x − r_i), r_i iid uniform in [-R, R]."""
        return Dist.from_weights(dict(self._texts))

    def algo(self, prompt: str, coins: Coins) -> str:
        """Committed: draw the roots, multiply out."""
        roots = tuple(coins.randbelow(2 * self.R + 1) - self.R for _ in range(self.n))
        return coefficient_text(expand(roots))

    def phi(self, prompt: str, prefix: str) -> Dist[str]:
        """Autoregressive by counting: the next character's share among root tuples whose text starts with prefix."""
        require_text(prefix, COEFFICIENTS, what="polynomial prefix")
        self.cost.tokens += 1
        self.cost.examined += len(self._texts)
        counts: dict[str, int] = {}
        for text, w in self._texts.items():
            if text.startswith(prefix):
                tok = text[len(prefix)] if len(text) > len(prefix) else STOP
                counts[tok] = counts.get(tok, 0) + w
        if not counts:
            raise ZeroMass(f"polynomial: no root tuple gives a text starting with {prefix!r}")
        return Dist.from_weights(counts)


def polynomial(n: int, R: int) -> Polynomial:
    """The G3 world for n roots in [-R, R] (R >= 1)."""
    return Polynomial(n, R)
