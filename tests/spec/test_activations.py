"""spec.activations: persistent activations replayed in order, the exact law over every activation draw,
and the model's messages."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from spec import STOP, Coins, Dist, InvalidArgument, InvalidModel, NonTerminating
from spec.activations import (
    WithActivations,
    _choose,
    activation_runs,
    induced_activations,
    with_activations,
)
from tests.spec.conftest import NoCoins


def two_loops_then_a_coin(prompt: str, coins: Coins) -> str:
    """Two rejection loops and a plain choice: the kept activations must be read back in order."""
    u1 = coins.until(lambda c: c.randbelow(3), lambda x: x != 0)
    u2 = coins.until(lambda c: c.randbelow(3), lambda x: x != 2)
    return prompt + f"{u1}{u2}{coins.randbelow(3)}"


def test_kept_activations_are_replayed_in_order_across_loops() -> None:
    runs = activation_runs(with_activations(two_loops_then_a_coin), "", max_len=4, max_flips=12)
    want = {f"{a}{b}{c}" for a in (1, 2) for b in (0, 1) for c in (0, 1, 2)}
    assert set(runs.mass) == want  # replaying out of order swaps the ranges {0,1} and {0,1,2}
    assert len(set(runs.mass.values())) == 1  # all twelve equally likely within the budget
    assert sum(runs.mass.values()) + runs.residual == 1 and runs.residual > 0


def test_induced_activations_reads_the_prompt_and_reports_runs_past_max_len() -> None:
    def coin(prompt: str, coins: Coins) -> str:
        return prompt + "ab"[coins.randbelow(2)]

    assert induced_activations(with_activations(coin), "x", max_len=2, max_flips=4) == Dist.uniform(["xa", "xb"])
    with pytest.raises(NonTerminating, match=r"^induced_activations: probability 1 has not reached STOP within "
                                             r"max_len=1$") as e:
        induced_activations(with_activations(coin), "x", max_len=1, max_flips=4)
    assert e.value.mass == 1


def three_choices(prompt: str, coins: Coins) -> str:
    return prompt + "ab"[coins.randbelow(2)] + "xyz"[coins.randbelow(3)] + "01234"[coins.randbelow(5)]


def test_kept_choices_are_replayed_in_order_and_kept_by_default() -> None:
    want = Dist.uniform([a + b + c for a in "ab" for b in "xyz" for c in "01234"])
    assert induced_activations(with_activations(three_choices), "", max_len=4, max_flips=6) == want
    assert WithActivations(three_choices).persist is True

    def twice(prompt: str, coins: Coins) -> str:
        return "ab"[coins.randbelow(2)] * 2

    kept = induced_activations(with_activations(twice), "", max_len=2, max_flips=4)
    forgetful = induced_activations(with_activations(twice, persist=False), "", max_len=2, max_flips=4)
    assert kept == Dist.uniform(["aa", "bb"]) and forgetful == Dist.uniform(["aa", "ab", "ba", "bb"])
    assert induced_activations(with_activations(three_choices), "p", max_len=5, max_flips=6) == want.map(lambda t: "p" + t)


def test_an_activation_model_with_a_random_next_token_is_sampled_exactly() -> None:
    def model(prompt: str, prefix: str, activations: tuple[object, ...], coins: Coins
              ) -> tuple[Dist[str], tuple[object, ...]]:
        return (Dist.from_weights({"a": 1, "b": 2}) if not prefix else Dist.point(STOP)), activations

    assert induced_activations(model, "", max_len=1, max_flips=2) == Dist.from_weights({"a": 1, "b": 2})

    def junk(prompt: str, prefix: str, activations: tuple[object, ...], coins: Coins
             ) -> tuple[Dist[str], tuple[object, ...]]:
        return None, activations  # type: ignore[return-value]

    with pytest.raises(InvalidModel, match=r"returned NoneType, not a Dist, at prompt 'q', prefix ''"):
        induced_activations(junk, "q", max_len=1, max_flips=2)
    with pytest.raises(InvalidArgument, match=r"^induced_activations: max_len must be an int >= 0, got -1$"):
        induced_activations(model, "", max_len=-1, max_flips=2)


@pytest.mark.parametrize("kept", [2, -1, True, "1"])
def test_a_kept_activation_must_be_a_choice_below_k(kept: object) -> None:
    model = with_activations(lambda prompt, coins: "ab"[coins.randbelow(2)])
    with pytest.raises(InvalidModel, match=rf"^with_activations: kept activation {kept!r} is not a choice below 2$"):
        model("", "", (kept,), NoCoins())
    assert model("", "", (1,), NoCoins()) == (Dist.point("b"), (1,))


class _OverCoins:
    """Coins that break their contract: randbelow(k) answers k."""

    def randbelow(self, k: int) -> int:
        return k

    def until(self, attempt: Callable[[Any], Any], accept: Callable[[Any], bool]) -> Any:
        raise NotImplementedError


def test_choose_names_the_broken_invariant() -> None:
    with pytest.raises(AssertionError, match=r"^unreachable: numerators sum to the denominator$"):
        _choose(Dist.uniform("ab"), _OverCoins())
