"""enumerate_runs: exact output laws of small randomized programs, with a certified residual; Runs and
RandomCoins."""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Callable
from fractions import Fraction
from typing import TypeVar

import pytest
from hypothesis import given
from hypothesis import strategies as st

from spec import (
    Coins,
    Dist,
    InvalidArgument,
    NonTerminating,
    RandomCoins,
    Runs,
    enumerate_runs,
)
from spec.models import TableAlgorithm
from strategies import text_to_text_algorithms

A = TypeVar("A")


def literal_until(attempt: Callable[[Coins], A], accept: Callable[[A], bool]) -> Callable[[Coins], A]:
    """The rejection loop written as a plain while loop (enumerated as a tree, exponentially)."""

    def f(coins: Coins) -> A:
        while True:
            x = attempt(coins)
            if accept(x):
                return x

    return f


# ---- exact laws against closed forms ---------------------------------------------------------


@pytest.mark.parametrize("k", [1, 2, 3, 7, 10])
def test_one_choice_is_uniform(k: int) -> None:
    runs = enumerate_runs(lambda c: c.randbelow(k), 1)
    assert runs.residual == 0 and runs.dist() == Dist.uniform(range(k))


def test_two_dice_sum_is_triangular() -> None:
    runs = enumerate_runs(lambda c: c.randbelow(6) + c.randbelow(6), 2)
    assert runs.dist() == Dist({s: Fraction(6 - abs(s - 5), 36) for s in range(11)})


def test_choice_widths_may_depend_on_earlier_choices() -> None:
    # pick n in {1, 2, 3}, then r below n: P(r) = Σ_{n>r} 1/(3n)
    runs = enumerate_runs(lambda c: c.randbelow(c.randbelow(3) + 1), 2)
    assert runs.dist() == Dist({0: Fraction(11, 18), 1: Fraction(5, 18), 2: Fraction(2, 18)})


def test_zero_budget_allows_only_runs_without_choices() -> None:
    assert enumerate_runs(lambda c: "x", 0).dist() == Dist.point("x")
    runs = enumerate_runs(lambda c: c.randbelow(2), 0)
    assert runs.residual == 1 and not runs.mass


@pytest.mark.parametrize("budget", [0, 1, 2, 5, 20])
def test_geometric_loop_residual_is_half_to_the_budget(budget: int) -> None:
    def heads_before_tails(c: Coins) -> int:
        n = 0
        while c.randbelow(2) == 0:
            n += 1
        return n

    runs = enumerate_runs(heads_before_tails, budget)
    assert runs.residual == Fraction(1, 2**budget)
    assert dict(runs.mass) == {n: Fraction(1, 2 ** (n + 1)) for n in range(budget)}


@pytest.mark.parametrize(("k", "a", "budget"), [(3, 2, 1), (3, 2, 6), (10, 1, 4), (10, 7, 30), (5, 5, 3), (2, 1, 300)])
def test_until_rejection_loop_is_exact_with_residual_q_to_the_budget(k: int, a: int, budget: int) -> None:
    # attempt: r uniform below k; accept r < a. Residual = ((k−a)/k)^budget, the rest uniform below a.
    runs = enumerate_runs(lambda c: c.until(lambda d: d.randbelow(k), lambda r: r < a), budget)
    residual = Fraction(k - a, k) ** budget
    assert runs.residual == residual
    assert dict(runs.mass) == {r: (1 - residual) / a for r in range(a)}


def test_until_with_two_flips_per_attempt_leaves_odd_flips_unused() -> None:
    # each attempt uses 2 flips, so a budget of 2m+1 allows m attempts: residual (3/4)^m
    def attempt(c: Coins) -> int:
        return 2 * c.randbelow(2) + c.randbelow(2)

    for budget in range(8):
        runs = enumerate_runs(lambda c: c.until(attempt, lambda r: r == 3), budget)
        assert runs.residual == Fraction(3, 4) ** (budget // 2)


@pytest.mark.parametrize("budget", [0, 1, 3, 6])
def test_until_agrees_with_the_literal_while_loop(budget: int) -> None:
    def attempt(c: Coins) -> int:
        return c.randbelow(3) + c.randbelow(2) * (1 + c.randbelow(2))

    def accept(x: int) -> bool:
        return x % 2 == 0

    memo = enumerate_runs(lambda c: c.until(attempt, accept), budget)
    plain = enumerate_runs(literal_until(attempt, accept), budget)
    assert dict(memo.mass) == dict(plain.mass) and memo.residual == plain.residual


def test_until_after_earlier_choices_and_nested() -> None:
    # choose which loop to run, then a loop whose attempt itself contains a loop
    def inner(c: Coins) -> int:
        return c.until(lambda d: d.randbelow(3), lambda r: r != 2)

    def f(c: Coins) -> tuple[int, int]:
        first = c.randbelow(2)
        return first, c.until(inner, lambda r: r == first)

    budget = 12
    memo = enumerate_runs(f, budget)
    plain = enumerate_runs(lambda c: (lambda first: (first, literal_until(inner, lambda r: r == first)(c)))(c.randbelow(2)), budget)
    assert dict(memo.mass) == dict(plain.mass) and memo.residual == plain.residual
    assert set(memo.mass) == {(0, 0), (1, 1)}
    assert memo.mass[(0, 0)] == memo.mass[(1, 1)]


def test_until_whose_attempt_never_flips_and_rejects_runs_forever() -> None:
    runs = enumerate_runs(lambda c: c.until(lambda d: 0, lambda r: r == 1), 10)
    assert runs.residual == 1 and not runs.mass


@given(text_to_text_algorithms(), st.integers(0, 12))
def test_table_algorithm_law_is_geometric_closed_form(algo: TableAlgorithm, budget: int) -> None:
    n = len(algo.texts)
    rho = Fraction(sum(t in algo.rejected for t in algo.texts), n)
    residual = rho**budget
    runs = enumerate_runs(lambda c: algo("", c), budget)
    assert runs.residual == residual
    counts = Counter(t for t in algo.texts if t not in algo.rejected)
    # P(t within budget) = c_t/n · (1 + ρ + … + ρ^(budget−1))
    within = sum((rho**j for j in range(budget)), Fraction(0))
    assert dict(runs.mass) == {t: Fraction(c, n) * within for t, c in counts.items() if within}


# ---- Runs: residual certified, never dropped ---------------------------------------------------


def test_runs_dist_refuses_a_positive_residual_and_carries_it() -> None:
    runs = enumerate_runs(lambda c: c.until(lambda d: d.randbelow(3), lambda r: r < 2), 4)
    with pytest.raises(NonTerminating) as info:
        runs.dist()
    assert info.value.mass == Fraction(1, 81)


def test_runs_tvd_bound_and_consistency_with_the_true_law() -> None:
    runs = enumerate_runs(lambda c: c.until(lambda d: d.randbelow(3), lambda r: r < 2), 4)
    true = Dist.uniform([0, 1])
    wrong = Dist.from_weights({0: 2, 1: 1})
    assert runs.consistent_with(true) and not runs.consistent_with(wrong)
    # mass(r) = 40/81 each, residual 1/81: ½(1/162 + 1/162 + 1/81) = 1/81 ≥ the true tvd 0
    assert runs.tvd_upper_bound(true) == Fraction(1, 81)
    assert runs.tvd_upper_bound(wrong) >= Fraction(1, 6)  # the true tvd(true, wrong) is 1/6


def test_runs_consistent_with_allows_equality_exactly() -> None:
    target = Dist.from_weights({"a": 1, "b": 3})
    assert Runs({"a": Fraction(1, 4), "b": Fraction(3, 4)}, Fraction(0), 3).consistent_with(target)
    assert Runs({"a": Fraction(1, 4)}, Fraction(3, 4), 3).consistent_with(target)
    assert not Runs({"a": Fraction(1, 3)}, Fraction(2, 3), 3).consistent_with(target)


def test_runs_tvd_upper_bound_closed_form_over_both_supports() -> None:
    # mass on a (shared) and b (outside the target), target mass on c (never reached): ½(0 + ¼ + ¾ + ¼)
    runs = Runs({"a": Fraction(1, 4), "b": Fraction(1, 4)}, Fraction(1, 2), 5)
    target = Dist.from_weights({"a": 1, "c": 3})
    assert runs.tvd_upper_bound(target) == (0 + Fraction(1, 4) + Fraction(3, 4) + Fraction(1, 2)) / 2
    # an exact law with no residual has bound 0 against itself
    assert Runs({"x": Fraction(1)}, Fraction(0), 0).tvd_upper_bound(Dist.point("x")) == 0


def test_runs_remember_their_budget() -> None:
    assert enumerate_runs(lambda c: c.randbelow(2), 3).max_flips == 3


# ---- RandomCoins ---------------------------------------------------------------------------


def test_random_coins_until_returns_only_accepted_values() -> None:
    coins = RandomCoins(random.Random(7))
    draws = [coins.until(lambda c: c.randbelow(10), lambda r: r % 3 == 0) for _ in range(300)]
    assert set(draws) == {0, 3, 6, 9}
    assert coins.flips >= 300


def test_random_coins_are_reproducible_from_the_seed() -> None:
    def run(seed: int) -> list[int]:
        coins = RandomCoins(random.Random(seed))
        return [coins.randbelow(100) for _ in range(10)]

    assert run(3) == run(3) and run(3) != run(4)


def test_random_coins_count_one_flip_per_choice_from_zero() -> None:
    coins = RandomCoins(random.Random(0))
    assert coins.flips == 0
    draws = [coins.randbelow(k) for k in (1, 2, 3, 10)]
    assert coins.flips == 4 and all(0 <= d < k for d, k in zip(draws, (1, 2, 3, 10)))


# ---- bad budgets and choices ------------------------------------------------------------------


@pytest.mark.parametrize("budget", [-1, True, 1.5, "2", None])
def test_bad_budget_is_invalid_argument(budget: object) -> None:
    with pytest.raises(InvalidArgument, match="max_flips must be an int >= 0"):
        enumerate_runs(lambda c: 0, budget)  # type: ignore[arg-type]


@pytest.mark.parametrize("k", [0, -2, True, 2.0, None])
def test_bad_choice_width_is_invalid_argument(k: object) -> None:
    with pytest.raises(InvalidArgument, match="k must be an int >= 1"):
        enumerate_runs(lambda c: c.randbelow(k), 3)  # type: ignore[arg-type]
    with pytest.raises(InvalidArgument, match="k must be an int >= 1"):
        RandomCoins(random.Random(0)).randbelow(k)  # type: ignore[arg-type]


def _two_then_one(c: Coins) -> str:
    """Rejects after 2 flips (explored first), accepts after 2, rejects after 1."""
    if c.randbelow(2) == 0:
        return "reject" if c.randbelow(2) == 0 else "accept"
    return "reject"


def _three_two_one(c: Coins) -> int:
    x = c.randbelow(3)
    if x == 0:
        return c.randbelow(2) + c.randbelow(2) * 2  # 3 flips: accepted only when 3
    if x == 1:
        return 10 + c.randbelow(2)  # 2 flips: accepted when 11
    return 20  # 1 flip: rejected


def _same_as_literal(attempt: Callable[[Coins], A], accept: Callable[[A], bool], budget: int) -> None:
    memo = enumerate_runs(lambda c: c.until(attempt, accept), budget)
    plain = enumerate_runs(literal_until(attempt, accept), budget)
    assert dict(memo.mass) == dict(plain.mass), budget
    assert memo.residual == plain.residual
    assert sum(memo.mass.values()) + memo.residual == 1


@pytest.mark.parametrize("budget", [0, 1, 2, 3, 4, 5, 6, 7])
def test_until_with_rejections_of_different_lengths_equals_the_literal_loop(budget: int) -> None:
    _same_as_literal(_two_then_one, lambda x: x == "accept", budget)
    _same_as_literal(_three_two_one, lambda x: x in (3, 11), budget)


def test_until_two_then_one_exact_law() -> None:
    runs = enumerate_runs(lambda c: c.until(_two_then_one, lambda x: x == "accept"), 4)
    # accepted within 4 flips: "01" (1/4); "1","01" (1/8); "00","01" (1/16); "1","1","01" (1/16)
    assert dict(runs.mass) == {"accept": Fraction(1, 4) + Fraction(1, 8) + Fraction(1, 16) + Fraction(1, 16)}
    assert runs.residual == Fraction(1, 2)
