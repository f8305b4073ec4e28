"""Coins, and the exact output law of a randomized function over all its coin flips.

`enumerate_runs(f, max_flips)` replays f under every sequence of choices (depth first), so f
must be deterministic given its coins. A run that asks for more than `max_flips` choices is
stopped and its exact probability is added to the certified residual, never dropped.
Rejection loops written with `coins.until` are enumerated by memoising on the remaining
budget: a rejected attempt restarts the same loop, so the cost is polynomial in the budget.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Generic, TypeVar

from spec.dist import Dist
from spec.errors import NonTerminating, require_int
from spec.signatures import Coins

__all__ = ["LiteralCoins", "RandomCoins", "Runs", "enumerate_runs"]

T = TypeVar("T", bound=Hashable)
K = TypeVar("K", bound=Hashable)
A = TypeVar("A")


def _require_k(k: object) -> int:
    return require_int(k, "randbelow: k", least=1)


class LiteralCoins:
    """Base of coins that run a rejection loop literally, attempt after attempt, as an algorithm would."""

    def randbelow(self, k: int) -> int:
        """A choice below k (subclasses say where it comes from)."""
        raise NotImplementedError

    def until(self, attempt: Callable[[Coins], A], accept: Callable[[A], bool]) -> A:
        """Repeat attempt until accepted."""
        while True:
            x = attempt(self)
            if accept(x):
                return x


class RandomCoins(LiteralCoins):
    """Coins drawn from a seeded `random.Random`: how a randomized algorithm is sampled."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.flips = 0

    def randbelow(self, k: int) -> int:
        """A uniform choice below k."""
        self.flips += 1
        return self.rng.randrange(_require_k(k))


@dataclass(frozen=True)
class Runs(Generic[T]):
    """The exact law of f's output over runs within the budget, and the mass of the others."""

    mass: Mapping[T, Fraction]
    residual: Fraction
    max_flips: int

    def dist(self) -> Dist[T]:
        """The output law, when no run exceeded the budget; otherwise NonTerminating."""
        if self.residual:
            raise NonTerminating(
                f"enumerate_runs: runs of total probability {self.residual} need more than "
                f"{self.max_flips} coin flips; raise max_flips or bound the residual instead",
                mass=self.residual,
            )
        return Dist(self.mass)

    def tvd_upper_bound(self, target: Dist[T]) -> Fraction:
        """An upper bound on tvd(true law, target): the residual may land anywhere."""
        seen = set(self.mass) | target.support
        return (sum(abs(self.mass.get(x, Fraction(0)) - target[x]) for x in seen) + self.residual) / 2

    def consistent_with(self, target: Dist[T]) -> bool:
        """True when target can be the true law: mass(x) ≤ target(x) for every x (residual fills the gap)."""
        return all(m <= target[x] for x, m in self.mass.items())


class _OverBudget(Exception):
    """Internal: the current run asked for more choices than the budget allows."""


class _Replay:
    """Coins that replay a path of choice indices, then take option 0 and record each new choice point.

    The probability of the run so far is kept as an integer ratio num / den (not reduced): the
    choices multiply it by 1/k, so integer products are exact and far cheaper than Fractions.
    """

    __slots__ = ("path", "taken", "widths", "budget", "flips", "num", "den", "cache")

    def __init__(self, path: list[int], budget: int, cache: dict[tuple[int, ...], _Options]) -> None:
        self.path = path
        self.taken: list[int] = []
        self.widths: list[int] = []  # options at each choice point reached, for the siblings
        self.budget = budget
        self.flips = 0
        self.num = 1
        self.den = 1
        self.cache = cache

    def _choose(self, width: int) -> int:
        taken = self.taken
        i = self.path[len(taken)] if len(taken) < len(self.path) else 0
        taken.append(i)
        self.widths.append(width)
        return i

    def randbelow(self, k: int) -> int:
        if type(k) is not int or k < 1:
            _require_k(k)
        if self.flips >= self.budget:
            raise _OverBudget
        self.flips += 1
        self.den *= k
        return self._choose(k)

    def until(self, attempt: Callable[[Coins], A], accept: Callable[[A], bool]) -> A:
        key = tuple(self.taken)
        options = self.cache.get(key)
        if options is None:
            options = _loop_options(attempt, accept, self.budget - self.flips)
            self.cache[key] = options
        # one extra option, the last, stands for "the loop ran out of budget"
        i = self._choose(len(options.outcomes) + 1)
        if i == len(options.outcomes):
            self.num *= options.residual
            self.den *= options.den
            raise _OverBudget
        value, used, p = options.outcomes[i]
        self.flips += used
        self.num *= p
        self.den *= options.den
        return value  # type: ignore[return-value]  # the loop at this path returns A


@dataclass(frozen=True)
class _Options:
    """The exact law of a rejection loop within a budget, over one common denominator `den`."""

    outcomes: list[tuple[object, int, int]]  # (value, flips used, numerator of its probability)
    residual: int  # numerator of the probability of running out of budget
    den: int


def _add(acc: list[int], num: int, den: int) -> None:
    """acc = [n, d] += num / den, exactly, in integers (over the lcm of the denominators, not reduced)."""
    d = acc[1]
    if d == den:
        acc[0] += num
    else:
        common = math.lcm(d, den)
        acc[0] = acc[0] * (common // d) + num * (common // den)
        acc[1] = common


def _accumulate(acc: dict[K, list[int]], key: K, num: int, den: int) -> None:
    """acc[key] += num / den (an absent key counts as 0)."""
    cur = acc.get(key)
    if cur is None:
        acc[key] = [num, den]
    else:
        _add(cur, num, den)


def _enumerate_counts(f: Callable[[Coins], A], budget: int, *, by_flips: bool = True) -> tuple[dict[Any, list[int]], list[int]]:
    """Depth-first over all choice paths: exact mass by (output, flips used) (by output alone when
    not by_flips), and the residual, each as an integer ratio [numerator, denominator] (not reduced)."""
    mass: dict[Any, list[int]] = {}
    residual = [0, 1]
    cache: dict[tuple[int, ...], _Options] = {}
    stack: list[list[int]] = [[]]
    while stack:
        path = stack.pop()
        coins = _Replay(path, budget, cache)
        try:
            out = f(coins)
            key = (out, coins.flips) if by_flips else out
            acc = mass.get(key)
            if acc is None:
                mass[key] = [coins.num, coins.den]
            else:
                _add(acc, coins.num, coins.den)
        except _OverBudget:
            if coins.num:
                _add(residual, coins.num, coins.den)
        taken, widths = coins.taken, coins.widths
        for j in range(len(path), len(taken)):
            width = widths[j]
            if width > 1:
                prefix = taken[:j]
                stack.extend(prefix + [alt] for alt in range(width - 1, 0, -1))
    return mass, residual


def _loop_options(attempt: Callable[[Coins], A], accept: Callable[[A], bool], budget: int) -> _Options:
    """The exact law of `until(attempt, accept)` within `budget` flips, memoised on the budget left.

    Masses are integer ratios [numerator, denominator]; each budget's law is put over one common
    denominator and reduced once.
    """
    memo: dict[int, _Options] = {}
    raw_memo: dict[int, tuple[dict[tuple[A, int], list[int]], list[int], int]] = {}

    def raw(b: int) -> tuple[dict[tuple[A, int], list[int]], list[int]]:
        # an attempt that never ran out of budget gives the same answer for any larger budget
        for m, r, most in raw_memo.values():
            if r[0] == 0 and most <= b:
                return m, r
        if b not in raw_memo:
            m, r = _enumerate_counts(attempt, b)
            raw_memo[b] = (m, r, max((u for _, u in m), default=0))
        return raw_memo[b][0], raw_memo[b][1]

    def solve(b: int) -> _Options:
        if b in memo:
            return memo[b]
        m, raw_residual = raw(b)
        residual = list(raw_residual)  # the memoised raw result is shared: accumulate into a copy
        outcomes: dict[tuple[object, int], list[int]] = {}
        rejected: dict[int, list[int]] = {}
        for (value, used), (n, d) in m.items():
            if accept(value):
                _accumulate(outcomes, (value, used), n, d)
            else:
                _accumulate(rejected, used, n, d)
        for used, (n, d) in rejected.items():
            if used == 0:  # a rejected attempt with no flips repeats forever
                _add(residual, n, d)
                continue
            rest = solve(b - used)
            dd = d * rest.den
            _add(residual, n * rest.residual, dd)
            for later, more, q in rest.outcomes:
                _accumulate(outcomes, (later, used + more), n * q, dd)
        common = math.lcm(residual[1], *(d for _, d in outcomes.values()))
        nums = [(v, u, n * (common // d)) for (v, u), (n, d) in outcomes.items()]
        left = residual[0] * (common // residual[1])
        g = math.gcd(common, left, *(n for _, _, n in nums))
        if g > 1:
            nums = [(v, u, n // g) for v, u, n in nums]
            left //= g
            common //= g
        memo[b] = _Options(nums, left, common)
        return memo[b]

    return solve(budget)


def _output_counts(f: Callable[[Coins], T], max_flips: int) -> tuple[dict[T, int], int, Fraction]:
    """The output law of f over runs within max_flips, as integer numerators per output over one
    common denominator (not reduced), and the residual (the mass of the runs over budget)."""
    raw, residual = _enumerate_counts(f, max_flips, by_flips=False)
    common = math.lcm(*(d for _, d in raw.values())) if raw else 1
    nums: dict[T, int] = {out: n * (common // d) for out, (n, d) in raw.items()}
    return nums, common, Fraction(residual[0], residual[1]) if residual[0] else _NO_MASS


_NO_MASS = Fraction(0)  # the residual when every run stayed within the budget (Fractions are immutable)


def enumerate_runs(f: Callable[[Coins], T], max_flips: int) -> Runs[T]:
    """The exact output law of f over every coin sequence of at most max_flips choices."""
    require_int(max_flips, "enumerate_runs: max_flips")
    nums, common, residual = _output_counts(f, max_flips)
    return Runs({out: Fraction(n, common) for out, n in nums.items()}, residual, max_flips)
