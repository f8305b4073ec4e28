"""E1-E3: hidden tokens, persistent activations and a random seed give the target exactly."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given

from checkers.escapes import (
    SeedIndex,
    check_E1,
    check_E2,
    check_E3,
    e1_row,
    e2_row,
    e3_row,
    exact_seed_space,
    seeded_law,
    suite_tasks,
)
from checkers.verdict import Level, Outcome
from spec import Dist, tvd
from spec.activations import induced_activations, with_activations
from spec.errors import InvalidModel
from spec.signatures import Coins
from spec.tasks.polynomial import polynomial
from spec.tasks.twenty_questions import ANIMALS, SecretGame, animal_questions, hash_bit_question, hash_universe
from strategies import secret_games

TASKS = suite_tasks(Level.QUICK)
NAMES = [name for name, _ in TASKS]


@pytest.mark.parametrize("i", range(len(TASKS)), ids=NAMES)
def test_E1_hidden_tokens_public_law_is_the_target(i: int) -> None:
    row = e1_row(*TASKS[i])
    assert row.ok, row.note


@pytest.mark.parametrize("i", range(len(TASKS)), ids=NAMES)
def test_E2_persistent_activations_public_law_is_the_target(i: int) -> None:
    row = e2_row(*TASKS[i])
    assert row.ok, row.note


@pytest.mark.parametrize("i", range(len(TASKS)), ids=NAMES)
def test_E3_random_seed_is_exact_and_decoding_deterministic(i: int) -> None:
    row = e3_row(*TASKS[i])
    assert row.ok, row.note


@given(secret_games(max_objects=4, max_questions=3))
def test_E1_E2_E3_on_random_games(game: SecretGame) -> None:
    for row in (e1_row("game", game), e2_row("game", game), e3_row("game", game)):
        assert row.ok and row.residual == 0, row.note


def test_E2_forgetful_activations_are_caught() -> None:
    game = SecretGame(hash_universe(2), (hash_bit_question(0), hash_bit_question(1)))
    row = e2_row("forgetful", game, persist=False)
    assert not row.ok
    law = induced_activations(with_activations(game.algo, persist=False), game.prompt, max_len=game.max_len, max_flips=20)
    assert any(not game.is_consistent(x) for x in law.support)


def test_E2_a_kept_activation_out_of_range_is_an_error() -> None:
    game = SecretGame(ANIMALS, ())
    model = with_activations(game.algo)

    class NoCoins:
        def randbelow(self, k: int) -> int:
            raise AssertionError("no draw expected")

        def until(self, attempt: object, accept: object) -> object:
            raise AssertionError("no draw expected")

    with pytest.raises(InvalidModel, match="not a choice below 8"):
        model(game.prompt, "", (9,), NoCoins())  # type: ignore[arg-type]


def test_E3_seed_space_closed_forms() -> None:
    game = SecretGame(ANIMALS[:6], animal_questions()[:2])
    assert exact_seed_space(game.algo, game.prompt) == 6
    task = polynomial(2, 3)
    assert exact_seed_space(task.algo, task.prompt) == 7**2


def test_E3_short_seed_is_caught_with_its_tvd() -> None:
    game = SecretGame(ANIMALS[:6], animal_questions()[:2])
    law, exhausted, _, random_steps = seeded_law(game.algo, game.prompt, 5, max_len=game.max_len)
    assert law is not None and exhausted == 0 and random_steps == 0
    assert tvd(law, game.target()) == Fraction(1, 6)  # seeds 0..4 reach 5 of the 6 objects
    exact, _, _, _ = seeded_law(game.algo, game.prompt, 6, max_len=game.max_len)
    assert exact == game.target()


def test_E3_seed_index_decoder_needs_only_the_denominator() -> None:
    target = Dist.from_weights({"a": 1, "bb": 2, "c": 3})

    decoder = SeedIndex(target)
    law, exhausted, _, random_steps = seeded_law(decoder, "", target.denominator, max_len=2)
    assert law == target and exhausted == 0 and random_steps == 0


@pytest.mark.slow
def test_E_checks_hold(level: Level) -> None:
    for check in (check_E1, check_E2, check_E3):
        v = check(level)
        assert v.outcome is Outcome.HOLDS, v.counterexample


class _Biased:
    """A task whose algorithm favours the first object: every escape must report it."""

    def __init__(self, game: SecretGame) -> None:
        self.game = game
        self.prompt = game.prompt
        self.max_len = game.max_len

    def target(self) -> Dist[str]:
        return self.game.target()

    def algo(self, prompt: str, coins: Coins) -> str:
        n = len(self.game.universe)
        i = coins.randbelow(n + 1)
        return self.game.transcript(self.game.universe[min(i, n - 1)])  # the last object twice as likely


def test_E1_E2_E3_catch_an_algorithm_off_the_target() -> None:
    biased = _Biased(SecretGame(ANIMALS[:4], animal_questions()[:2]))
    for row in (e1_row("biased", biased), e2_row("biased", biased), e3_row("biased", biased)):
        assert not row.ok, row.note
