"""n-digit primes, by an exact sieve (cross-checked against sympy and the reference counts in tests)."""

from __future__ import annotations

import math
from functools import lru_cache

from spec.errors import InvalidArgument

__all__ = ["MAX_SIEVE_DIGITS", "n_digit_primes", "is_n_digit_prime", "require_digits"]

MAX_SIEVE_DIGITS = 8
"""The sieve covers numbers below 10**8 (n-digit primes for n <= 8)."""


def require_digits(n: object, *, what: str = "n", most: int = MAX_SIEVE_DIGITS) -> int:
    """n itself when it is an int in 1..most; InvalidArgument otherwise."""
    if isinstance(n, bool) or not isinstance(n, int) or not 1 <= n <= most:
        raise InvalidArgument(f"{what} must be an int between 1 and {most}, got {n!r}")
    return n


@lru_cache(maxsize=None)
def _sieve(limit: int) -> bytearray:
    """is_prime[k] for k < limit (sieve of Eratosthenes)."""
    flags = bytearray([1]) * limit
    flags[0:2] = b"\x00\x00"[: min(2, limit)]
    for p in range(2, math.isqrt(limit) + 1):
        if flags[p]:
            flags[p * p :: p] = bytes(len(range(p * p, limit, p)))
    return flags


@lru_cache(maxsize=None)
def n_digit_primes(n: int) -> tuple[int, ...]:
    """All primes p with 10**(n-1) <= p < 10**n, ascending."""
    require_digits(n)
    flags = _sieve(10**n)
    return tuple(p for p in range(10 ** (n - 1), 10**n) if flags[p])


def is_n_digit_prime(x: int, n: int) -> bool:
    """True when x is a prime of exactly n decimal digits."""
    require_digits(n)
    return 10 ** (n - 1) <= x < 10**n and bool(_sieve(10**n)[x])
