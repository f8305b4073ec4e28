"""R3/R4: "give me a random n-digit prime", by the post's randomized AR algorithm.

For the next digit, φ_r draws uniform n-digit completions of the prefix until one is prime
(`coins.until`) and puts all its mass on that prime's next digit. Given a prefix x, the loop's
output is a uniform prime among the completions of x, so digit d comes out with probability
c(xd)/c(x) (c = number of n-digit primes starting with ...), and the product telescopes to
1/#primes. The checkers certify this with `enumerate_runs`; this module only states it.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass
from functools import lru_cache

from spec.dist import Dist
from spec.errors import ZeroMass
from spec.signatures import Coins
from spec.tasks.primes import is_n_digit_prime, n_digit_primes, require_digits
from spec.tasks.uniform_number import DIGITS
from spec.text import STOP, Alphabet, require_text

__all__ = [
    "RandomPrime",
    "random_prime",
    "completion_range",
    "prime_count",
    "exact_prime_digit_law",
    "MAX_PRIME_DIGITS",
]

MAX_PRIME_DIGITS = 8
"""Primality is read off the exact sieve of spec.tasks.primes (n <= 8)."""


_RANGES: dict[tuple[str, int], range] = {}  # within one run: the same prefixes are asked for again and again


def completion_range(prefix: str, n: int) -> range:
    """The n-digit numbers whose decimal text starts with prefix."""
    if type(prefix) is str and type(n) is int:
        r = _RANGES.get((prefix, n))
        if r is None:
            r = _completion_range(prefix, n)
            if len(_RANGES) >= 1 << 16:
                _RANGES.clear()
            _RANGES[(prefix, n)] = r
        return r
    return _completion_range(prefix, n)


def _completion_range(prefix: str, n: int) -> range:
    require_text(prefix, DIGITS, what="prime prefix")
    k = len(prefix)
    if k > n or (k and prefix[0] == "0"):
        raise ZeroMass(f"prefix {prefix!r} starts no {n}-digit number")
    if k == 0:
        return range(10 ** (n - 1), 10**n)
    scale = 10 ** (n - k)
    return range(int(prefix) * scale, (int(prefix) + 1) * scale)


def prime_count(prefix: str, n: int) -> int:
    """c(x): the number of n-digit primes whose text starts with x."""
    r = completion_range(prefix, n)
    primes = n_digit_primes(n)
    return bisect_left(primes, r.stop) - bisect_left(primes, r.start)


@lru_cache(maxsize=1 << 16)
def exact_prime_digit_law(prefix: str, n: int) -> Dist[str]:
    """The chain rule of Unif(n-digit primes): P(d | x) = c(xd)/c(x); STOP at length n."""
    completion_range(prefix, n)  # validates the prefix (digits, no leading 0, at most n)
    if len(prefix) == n:
        if not is_n_digit_prime(int(prefix), n):
            raise ZeroMass(f"{prefix!r} is not an {n}-digit prime")
        return Dist.point(STOP)
    first = "123456789" if prefix == "" else "0123456789"
    weights = {d: prime_count(prefix + d, n) for d in first}
    if not any(weights.values()):
        raise ZeroMass(f"no {n}-digit prime starts with {prefix!r}")
    return Dist.from_weights(weights)


def _attempt(r: range, k: int, n: int, coins: Coins) -> tuple[str, bool]:
    """One random completion: (its digit at position k, whether it is prime)."""
    x = r.start + coins.randbelow(len(r))
    return str(x)[k], is_n_digit_prime(x, n)


def _accepted(result: tuple[str, bool]) -> bool:
    return result[1]


@dataclass(frozen=True)
class NDigitPrimeTask:
    """What every generator of n-digit primes shares: the post's prompt, Σ = digits, length n."""

    n: int

    @property
    def prompt(self) -> str:
        """The post's prompt."""
        return f"Give me a random {self.n}-digit prime number"

    @property
    def alphabet(self) -> Alphabet:
        """Σ = the ten decimal digits."""
        return DIGITS

    @property
    def max_len(self) -> int:
        """Every response has exactly n symbols."""
        return self.n


@dataclass(frozen=True)
class RandomPrime(NDigitPrimeTask):
    """The task "give me a random n-digit prime": target Unif(n-digit primes)."""

    def __post_init__(self) -> None:
        require_digits(self.n, what="random_prime n", most=MAX_PRIME_DIGITS)

    def primes(self) -> tuple[int, ...]:
        """The n-digit primes, ascending."""
        return n_digit_primes(self.n)

    def target(self) -> Dist[str]:
        """Unif over the decimal texts of the n-digit primes."""
        return Dist.uniform(str(p) for p in self.primes())

    def phi_r(self, prompt: str, prefix: str, coins: Coins) -> Dist[str]:
        """The post's randomized AR: the next digit of a random prime completion (rejection loop)."""
        k, n = len(prefix), self.n
        r = completion_range(prefix, n)
        if k == n:
            if not is_n_digit_prime(int(prefix), n):
                raise ZeroMass(f"random_prime: {prefix!r} is not an {n}-digit prime")
            return Dist.point(STOP)
        # the loop would never stop on a prefix no prime completes; sampling never reaches one
        if prime_count(prefix, n) == 0:
            raise ZeroMass(f"random_prime: no {n}-digit prime starts with {prefix!r}")
        digit, _ = coins.until(lambda c: _attempt(r, k, n, c), _accepted)
        return Dist.point(digit)

    def phi(self, prompt: str, prefix: str) -> Dist[str]:
        """Footnote 1's average of phi_r over its coins, in closed form: c(xd)/c(x)."""
        return exact_prime_digit_law(prefix, self.n)

    def algo(self, prompt: str, coins: Coins) -> str:
        """Text to text: uniform n-digit numbers until one is prime."""
        r = completion_range("", self.n)
        return str(coins.until(lambda c: r.start + c.randbelow(len(r)), lambda x: is_n_digit_prime(x, self.n)))


def random_prime(n: int) -> RandomPrime:
    """The post's task "give me a random n-digit prime number" (1 <= n <= 8)."""
    return RandomPrime(n)

