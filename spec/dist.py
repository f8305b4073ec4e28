"""Dist[T]: an exact, immutable, hashable finite probability distribution.

Weights are kept as positive integer numerators over one common denominator, so building,
combining and comparing distributions is integer arithmetic; every probability read out is a
`Fraction`. A float never enters: it is rejected when the distribution is built.
"""

from __future__ import annotations

import math
import random
from bisect import bisect_right
from collections.abc import Callable, Hashable, ItemsView, Iterable, Iterator, Mapping
from fractions import Fraction
from itertools import accumulate
from typing import Generic, TypeVar

from spec.errors import InvalidDistribution, ZeroMass

__all__ = ["Dist", "Weight", "tvd", "overlap"]

T = TypeVar("T", bound=Hashable)
U = TypeVar("U", bound=Hashable)

Weight = int | Fraction
"""An exact, non-negative weight. `bool`, `float` and `Decimal` are refused."""


def _as_integers(weights: Mapping[T, Weight], where: str) -> tuple[dict[T, int], int]:
    """Validate exact non-negative weights; return positive numerators over a common denominator."""
    if not isinstance(weights, Mapping):
        raise InvalidDistribution(f"{where}: weights must be a mapping, got {type(weights).__name__}")
    # one pass: plain ints (the common case) are kept as they are; anything else is checked in full,
    # item by item in order, so the first bad weight is the one named
    ints: dict[T, int] = {}
    fractions = False
    for item, w in weights.items():
        if type(w) is int:
            if w > 0:
                ints[item] = w
                continue
            if w == 0:
                continue
        elif type(w) is Fraction:
            if w.numerator >= 0:
                fractions = True
                continue
        elif isinstance(w, bool) or not isinstance(w, (int, Fraction)):
            raise InvalidDistribution(
                f"{where}: weight of {item!r} is {w!r} ({type(w).__name__}); "
                "use int or fractions.Fraction, floats are not exact"
            )
        elif w >= 0:
            fractions = True
            continue
        raise InvalidDistribution(f"{where}: weight of {item!r} is negative ({w})")
    if not fractions:
        return ints, 1
    parts = [(x, w.numerator, w.denominator) for x, w in weights.items()]
    common = math.lcm(*(d for _, _, d in parts))
    nums = {x: n * (common // d) for x, n, d in parts if n}
    return nums, common


class Dist(Generic[T]):
    """A finite distribution: P(x) = numerator(x) / denominator, total exactly 1."""

    __slots__ = ("_num", "_den", "_hash", "_cumulative")

    _num: dict[T, int]
    _den: int

    def __init__(self, probabilities: Mapping[T, Weight]) -> None:
        """Build from exact probabilities that must total exactly 1 (zeros allowed, dropped)."""
        nums, common = _as_integers(probabilities, "Dist")
        total = sum(nums.values())
        if total == 0:
            raise InvalidDistribution("Dist: no item has positive probability (empty support)")
        if total != common:
            raise InvalidDistribution(
                f"Dist: probabilities sum to {Fraction(total, common)}, not 1 "
                "(Dist.from_weights normalises weights explicitly)"
            )
        self._set(nums, common)

    def _set(self, nums: dict[T, int], den: int) -> None:
        g = math.gcd(den, *nums.values())
        if g > 1:
            nums = {x: n // g for x, n in nums.items()}
            den //= g
        self._num = nums
        self._den = den
        self._hash: int | None = None
        self._cumulative: tuple[list[int], list[T]] | None = None

    @classmethod
    def _from_integers(cls, nums: dict[T, int], den: int) -> Dist[T]:
        """Trusted fast path for spec internals: positive numerators that sum to den."""
        g = math.gcd(den, *nums.values())
        if g > 1:
            nums = {x: n // g for x, n in nums.items()}
            den //= g
        d: Dist[T] = cls.__new__(cls)
        d._num = nums
        d._den = den
        d._hash = None
        d._cumulative = None
        return d

    # ---- constructors -------------------------------------------------------------
    @classmethod
    def from_weights(cls, weights: Mapping[T, Weight]) -> Dist[T]:
        """P(x) = w(x) / Σ w, for exact non-negative weights with a positive total."""
        nums, _ = _as_integers(weights, "Dist.from_weights")
        total = sum(nums.values())
        if total == 0:
            raise InvalidDistribution("Dist.from_weights: the weights total 0 (nothing to normalise)")
        return cls._from_integers(nums, total)

    @classmethod
    def uniform(cls, items: Iterable[T]) -> Dist[T]:
        """P(x) = 1/n for each of the n distinct items."""
        if not isinstance(items, Iterable):
            raise InvalidDistribution(f"Dist.uniform: items must be iterable, got {type(items).__name__}")
        listed = list(items)
        nums: dict[T, int] = dict.fromkeys(listed, 1)
        if len(nums) != len(listed):  # name the first item met twice
            seen: set[T] = set()
            for x in listed:
                if x in seen:
                    raise InvalidDistribution(f"Dist.uniform: item {x!r} occurs twice")
                seen.add(x)
        if not nums:
            raise InvalidDistribution("Dist.uniform: no items (empty support)")
        return cls._from_integers(nums, len(nums))

    @classmethod
    def point(cls, x: T) -> Dist[T]:
        """P(x) = 1."""
        return cls._from_integers({x: 1}, 1)

    # ---- reading ------------------------------------------------------------------
    @property
    def support(self) -> frozenset[T]:
        """The items of positive probability."""
        return frozenset(self._num)

    @property
    def denominator(self) -> int:
        """The least common denominator of all probabilities."""
        return self._den

    def __getitem__(self, x: object) -> Fraction:
        """P(x); 0 outside the support."""
        return Fraction(self._num.get(x, 0), self._den)  # type: ignore[arg-type]

    def items(self) -> Iterator[tuple[T, Fraction]]:
        """(x, P(x)) for every x in the support."""
        return ((x, Fraction(n, self._den)) for x, n in self._num.items())

    def numerators(self) -> ItemsView[T, int]:
        """(x, numerator) for every x in the support: P(x) = numerator / self.denominator, exactly.

        For exact arithmetic on many laws in integers, normalising once at the end.
        """
        return self._num.items()

    def __iter__(self) -> Iterator[T]:
        return iter(self._num)

    def __len__(self) -> int:
        return len(self._num)

    def __contains__(self, x: object) -> bool:
        return x in self._num

    def prob(self, event: Callable[[T], bool]) -> Fraction:
        """P(event) = Σ P(x) over x with event(x)."""
        return Fraction(sum(n for x, n in self._num.items() if event(x)), self._den)

    # ---- combinators --------------------------------------------------------------
    def map(self, f: Callable[[T], U]) -> Dist[U]:
        """The law of f(X) for X ~ self (pushforward)."""
        nums: dict[U, int] = {}
        for x, n in self._num.items():
            y = f(x)
            nums[y] = nums.get(y, 0) + n
        return Dist._from_integers(nums, self._den)

    def bind(self, f: Callable[[T], Dist[U]]) -> Dist[U]:
        """The law of Y ~ f(X) for X ~ self (monadic bind)."""
        kernels = [(n, f(x)) for x, n in self._num.items()]
        for _, k in kernels:
            if not isinstance(k, Dist):
                raise InvalidDistribution(f"Dist.bind: the kernel returned {type(k).__name__}, not a Dist")
        common = math.lcm(*(k._den for _, k in kernels))
        nums: dict[U, int] = {}
        for n, k in kernels:
            scale = n * (common // k._den)
            for y, m in k._num.items():
                nums[y] = nums.get(y, 0) + scale * m
        return Dist._from_integers(nums, self._den * common)

    def condition(self, event: Callable[[T], bool]) -> Dist[T]:
        """The law of X given event(X): P(x | A) = P(x) / P(A); P(A) = 0 is an error."""
        nums = {x: n for x, n in self._num.items() if event(x)}
        total = sum(nums.values())
        if total == 0:
            raise ZeroMass("Dist.condition: the event has probability 0")
        return Dist._from_integers(nums, total)

    def sample(self, rng: random.Random) -> T:
        """Draw one item exactly: a uniform integer below the denominator picks it."""
        if self._cumulative is None:
            items = list(self._num)
            self._cumulative = (list(accumulate(self._num[x] for x in items)), items)
        bounds, items = self._cumulative
        return items[bisect_right(bounds, rng.randrange(self._den))]

    # ---- identity -----------------------------------------------------------------
    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Dist):
            return NotImplemented
        return self._den == other._den and self._num == other._num

    def __hash__(self) -> int:
        if self._hash is None:
            self._hash = hash((self._den, frozenset(self._num.items())))
        return self._hash

    def __repr__(self) -> str:
        shown = ", ".join(f"{x!r}: {Fraction(n, self._den)}" for x, n in list(self._num.items())[:8])
        more = f", ... ({len(self._num)} items)" if len(self._num) > 8 else ""
        return f"Dist({{{shown}{more}}})"


_TOKEN_POINTS: dict[str, Dist[str]] = {}  # the point law of each token met (a Dist is immutable)


def _token_point(token: str) -> Dist[str]:
    """Dist.point(token), made once per token: for spec's models, whose next-token laws are often points."""
    law = _TOKEN_POINTS.get(token)
    if law is None:
        law = _TOKEN_POINTS[token] = Dist._from_integers({token: 1}, 1)
    return law


def _require_pair(d1: object, d2: object, what: str) -> None:
    for name, d in (("first", d1), ("second", d2)):
        if not isinstance(d, Dist):
            raise InvalidDistribution(f"{what}: the {name} argument is a {type(d).__name__}, not a Dist")


def tvd(d1: Dist[T], d2: Dist[T]) -> Fraction:
    """Total variation distance: ½ Σ_x |d1(x) − d2(x)|."""
    _require_pair(d1, d2, "tvd")
    common = math.lcm(d1._den, d2._den)
    s1, s2 = common // d1._den, common // d2._den
    n1, n2 = d1._num, d2._num
    diff = sum(abs(n * s1 - n2.get(x, 0) * s2) for x, n in n1.items())
    diff += sum(n * s2 for x, n in n2.items() if x not in n1)
    return Fraction(diff, 2 * common)


def overlap(d1: Dist[T], d2: Dist[T]) -> Fraction:
    """Overlap: Σ_x min(d1(x), d2(x)), which equals 1 − tvd(d1, d2)."""
    _require_pair(d1, d2, "overlap")
    common = math.lcm(d1._den, d2._den)
    s1, s2 = common // d1._den, common // d2._den
    n2 = d2._num
    return Fraction(sum(min(n * s1, n2.get(x, 0) * s2) for x, n in d1._num.items()), common)
