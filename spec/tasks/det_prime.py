"""R5: the appendix's deterministic generator of n-digit primes.

For the first n − m digits, the next-digit weights are the integral of 1/ln x over each
child's range (the prime number theorem's density); for the last m digits, they are the
exact counts of primes among the completions (primality by the sieve). The integral is
evaluated in floating point and then rounded onto the grid of multiples of 2^-bits by
largest remainders, so every next-token law is an exact dyadic rational and the induced
law (and its TVD to the uniform law) is exact for the model so defined.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache

from spec.dist import Dist
from spec.errors import InvalidArgument, ZeroMass, require_int
from spec.tasks.primes import require_digits
from spec.tasks.random_prime import MAX_PRIME_DIGITS, NDigitPrimeTask, completion_range, exact_prime_digit_law
from spec.text import STOP

__all__ = ["DetPrime", "det_prime", "li", "density_integral", "dyadic_law"]

_EULER_GAMMA = 0.57721566490153286061


def li(x: float) -> float:
    """li(x) = γ + ln ln x + Σ_{k≥1} (ln x)^k / (k·k!) (x > 1; the series has positive terms)."""
    if not x > 1:
        raise InvalidArgument(f"li: x must be > 1, got {x!r}")
    t = math.log(x)
    term, terms, k = 1.0, [], 1
    while True:
        term *= t / k
        terms.append(term / k)
        if term / k < 1e-18 * terms[0] and k > t:
            break
        k += 1
    return _EULER_GAMMA + math.log(t) + math.fsum(terms)


_li = lru_cache(maxsize=1 << 16)(li)  # within one run: neighbouring ranges share their ends, and prefixes recur across m


def density_integral(lo: int, hi: int) -> float:
    """∫_lo^hi dx / ln x (lo ≥ 2), the expected number of primes in [lo, hi)."""
    return _li(float(hi)) - _li(float(lo))


def dyadic_law(weights: dict[str, float], bits: int) -> Dist[str]:
    """The law ∝ weights, rounded to multiples of 2^-bits by largest remainders (exact, sums to 1)."""
    exact = {t: Fraction(w) for t, w in weights.items()}  # a float is an exact dyadic rational
    total = sum(exact.values())
    if total <= 0:
        raise InvalidArgument(f"dyadic_law: the weights {weights!r} have no positive total")
    unit = 1 << bits
    scaled = {t: w * unit / total for t, w in exact.items()}
    floors = {t: math.floor(v) for t, v in scaled.items()}
    short = unit - sum(floors.values())
    for t in sorted(scaled, key=lambda t: (floors[t] - scaled[t], t))[:short]:
        floors[t] += 1
    return Dist.from_weights(floors)


@dataclass(frozen=True)
class DetPrime(NDigitPrimeTask):
    """The deterministic AR for n-digit primes: integral weights for n − m digits, exact counts for the last m."""

    m: int
    bits: int = 32

    def __post_init__(self) -> None:
        require_digits(self.n, what="det_prime n", most=MAX_PRIME_DIGITS)
        if isinstance(self.m, bool) or not isinstance(self.m, int) or not 0 <= self.m <= self.n:
            raise InvalidArgument(f"det_prime: m must be an int in 0..n={self.n}, got {self.m!r}")
        if self.m == 0 and self.n == 1:
            raise InvalidArgument("det_prime: n = 1 needs m = 1 (the integral of 1/ln x diverges at 1)")
        require_int(self.bits, "det_prime: bits", least=8, most=64)

    def __call__(self, prompt: str, prefix: str) -> Dist[str]:
        """φ(prompt, x): integral weights while len(x) < n − m, prime counts after, STOP at n."""
        k, n = len(prefix), self.n
        completion_range(prefix, n)  # validates the prefix
        if k == n:
            return Dist.point(STOP)
        first = "123456789" if k == 0 else "0123456789"
        if k < n - self.m:
            weights = {}
            for d in first:
                r = completion_range(prefix + d, n)
                weights[d] = density_integral(r.start, r.stop)
            return dyadic_law(weights, self.bits)
        try:
            return exact_prime_digit_law(prefix, n)
        except ZeroMass:
            # a dead end: the integral led to a prefix no prime completes; the model must still
            # answer, so it spreads uniformly (this mass lands on non-primes and counts in the TVD)
            return Dist.uniform(first)


def det_prime(n: int, m: int, *, bits: int = 32) -> DetPrime:
    """The appendix's deterministic prime generator with m exactly counted last digits."""
    return DetPrime(n, m, bits)
