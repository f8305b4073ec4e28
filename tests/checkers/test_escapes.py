"""E1-E3: hidden tokens, persistent activations and a random seed give the target exactly."""

from __future__ import annotations

from dataclasses import replace
from fractions import Fraction

import pytest
from hypothesis import given

from checkers import escapes
from checkers.escapes import (
    Row,
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
from checkers.verdict import Level, Outcome, Verdict
from spec import STOP, Dist, tvd, with_hidden_tokens
from spec.activations import induced_activations, with_activations
from spec.coins import Runs
from spec.signatures import Coins
from spec.tasks.polynomial import polynomial
from spec.tasks.random_prime import random_prime as real_random_prime
from spec.tasks.semiprime import semiprime_triple
from spec.tasks.sudoku import sudoku
from spec.tasks.twenty_questions import (
    ANIMALS,
    SecretGame,
    animal_questions,
    hash_bit_question,
    hash_universe,
)
from spec.tasks.uniform_number import uniform_number
from strategies import secret_games
from tests.conftest import raises_exactly

TASKS = suite_tasks(Level.QUICK)
NAMES = [name for name, _ in TASKS]


def test_suite_tasks_per_level() -> None:
    base = ["Twenty Questions (animals), 4 questions", "Twenty Questions (SHA-256 bits), b=4, 4 questions",
            "Sudoku, erasable cells 0-1", "polynomial with integer roots, n=2, R=3",
            "polynomial with integer roots, n=3, R=2", "mystery story, m=12, 3 clues", "uniform number, 2 digits",
            "random prime, n=1", "semiprime triple [p,q,pq], n=1", "semiprime triple [pq,p,q], n=1"]
    quick = escapes.suite_tasks(Level.QUICK)
    standard = escapes.suite_tasks(Level.STANDARD)
    deep = escapes.suite_tasks(Level.DEEP)
    assert [name for name, _ in quick] == base
    big = [x.replace("2 digits", "3 digits").replace("cells 0-1", "cells 0-2") for x in base]
    assert [name for name, _ in standard] == big
    assert [name for name, _ in deep] == [x.replace("cells 0-2", "cells 0-3") for x in big]
    q, s, d = dict(quick), dict(standard), dict(deep)
    assert q["uniform number, 2 digits"] == uniform_number(2) and s["uniform number, 3 digits"] == uniform_number(3)
    assert q["Sudoku, erasable cells 0-1"] == sudoku(range(2)) and s["Sudoku, erasable cells 0-2"] == sudoku(range(3))
    assert d["Sudoku, erasable cells 0-3"] == sudoku(range(4))
    assert q["polynomial with integer roots, n=2, R=3"] == polynomial(2, 3) and q["polynomial with integer roots, n=3, R=2"] == polynomial(3, 2)
    assert q["random prime, n=1"] == real_random_prime(1)
    assert q["semiprime triple [p,q,pq], n=1"] == semiprime_triple(1, "p,q,pq") and q["semiprime triple [pq,p,q], n=1"] == semiprime_triple(1, "pq,p,q")
    animals, story = q["Twenty Questions (animals), 4 questions"], q["mystery story, m=12, 3 clues"]
    sha = q["Twenty Questions (SHA-256 bits), b=4, 4 questions"]
    assert isinstance(animals, SecretGame) and isinstance(sha, SecretGame) and isinstance(story, SecretGame)
    assert len(animals.observations) == 4 and len(sha.observations) == 4 and sha.universe == hash_universe(4)
    assert len(story.universe) == 12 and len(story.observations) == 3


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


# ---- each escape's rows, verdicts and messages ---------------------------------------------------


def test_hidden_runs_passes_the_prompt_to_the_model() -> None:
    def phi_h(prompt: str, public: str, hidden: str) -> Dist[tuple[str, str]]:
        if public == "" and hidden == "":
            return Dist({("hidden", "h"): Fraction(1, 4), ("public", prompt): Fraction(3, 4)})
        return Dist.point(("public", STOP))

    runs = escapes.hidden_runs(phi_h, "q", max_public=1, max_hidden=1)  # type: ignore[arg-type]
    assert dict(runs.mass) == {"q": Fraction(3, 4), "": Fraction(1, 4)} and runs.residual == 0 and runs.max_flips == 1


def test_e1_row_budget_only_for_rejection_loops() -> None:
    # five coin choices (one per root): more hidden symbols than the default budget of 4, but no rejection loop,
    # so the whole law is enumerated (no residual)
    assert escapes.e1_row("p", polynomial(5, 1)) == escapes.Row("p", True, "law = target exactly", Fraction(0), {})
    row = escapes.e1_row("r", real_random_prime(1), max_hidden=1)
    assert row.ok and row.residual == Fraction(5, 9)
    assert row.note == "law on runs within budget = (1 − 5/9)·target exactly; TVD <= 5/9"


def _ok_row(name: str, task: object, **kwargs: object) -> escapes.Row:
    return escapes.Row(name, True, "fine", Fraction(0), {})


def test_E2_forgetful_counterpart_not_caught_is_refuted(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[object] = []

    def row(name: str, task: object, *, persist: bool = True) -> escapes.Row:
        if not persist:
            seen.append(task)
        return _ok_row(name, task)

    monkeypatch.setattr(escapes, "e2_row", row)
    v = escapes.check_E2(Level.QUICK)
    names = [name for name, _ in escapes.suite_tasks(Level.QUICK)]
    assert [s.outcome for s in v.statements] == [Outcome.REFUTED]
    assert replace(v, statements=(), seconds=0.0) == Verdict(
        Outcome.REFUTED, f"{len(names) + 1} tasks: " + "; ".join(names + ["counterpart"]),
        "exact law over every activation draw (enumerate_runs over the generation loop)",
        tuple(f"{n}: fine" for n in names) + ("counterpart: a forgetful model passed", "counterpart NOT caught"),
        "counterpart: a forgetful model passed", 0.0,
        {"e2": [{"task": n, "exact": True, "residual": "0", "note": "fine"} for n in names]
         + [{"task": "counterpart", "exact": False, "residual": "0", "note": "a forgetful model passed"}]})
    (small,) = seen
    assert isinstance(small, SecretGame) and small.universe == hash_universe(2) and len(small.observations) == 2


def test_E3_refuted_carries_the_failing_rows_counterexample(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(escapes, "suite_tasks", lambda level: [("t1", None), ("t2", None)])
    monkeypatch.setattr(escapes, "e3_row", lambda name, task: Row(name, name == "t1", f"note {name}", Fraction(0), {}))
    v = escapes.check_E3(Level.QUICK)
    assert [st.outcome for st in v.statements] == [Outcome.REFUTED]
    v = replace(v, statements=(), seconds=0.0)
    table = v.data["e3_bits"]
    assert isinstance(table, list) and [r["bits"] for r in table] == list(range(3, 11))
    extra = "bit seeds for a uniform choice among 6 objects are never exact: TVD by bits " + ", ".join(
        f"{r['bits']}: {r['tvd']}" for r in table)
    assert v == Verdict(
        Outcome.REFUTED, "2 tasks: t1; t2",
        "with_random_seed over every seed in range(M); each decoding step checked to be a point mass",
        ("t1: note t1", "t2: note t2", extra), "t2: note t2", 0.0,
        {"e3": [{"task": "t1", "exact": True, "residual": "0", "note": "note t1"},
                {"task": "t2", "exact": False, "residual": "0", "note": "note t2"}], "e3_bits": table})


def test_E3_bit_table_exact(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(escapes, "e3_row", _ok_row)
    v = escapes.check_E3(Level.QUICK)
    assert v.outcome is Outcome.HOLDS and v.counterexample is None
    table = v.data["e3_bits"]
    assert isinstance(table, list) and [r["bits"] for r in table] == list(range(3, 11))
    assert [r["seed_space"] for r in table] == [2**b for b in range(3, 11)]
    # 2^b seeds over 6 objects: each object gets ⌊2^b/6⌋ or ⌈2^b/6⌉ seeds, never exactly 1/6
    game = SecretGame(ANIMALS[:6], animal_questions()[:2])
    for r in table:
        law, exhausted, _, _ = escapes.seeded_law(game.algo, game.prompt, int(str(r["seed_space"])), max_len=game.max_len)
        assert law is not None and exhausted == 0 and r["tvd"] == str(tvd(law, game.target())) and r["tvd"] != "0"
    assert v.evidence[-1] == "bit seeds for a uniform choice among 6 objects are never exact: TVD by bits " + ", ".join(
        f"{r['bits']}: {r['tvd']}" for r in table)
    assert len(v.data["e3"]) == len(escapes.suite_tasks(Level.QUICK))  # type: ignore[arg-type]


class _WrongTarget:
    """A task whose algorithm is inner's but whose target is another law (to drive the failure notes)."""

    def __init__(self, inner: escapes.Task, target: Dist[str]) -> None:
        self.inner, self.law = inner, target

    @property
    def prompt(self) -> str:
        return self.inner.prompt

    @property
    def max_len(self) -> int:
        return self.inner.max_len

    def target(self) -> Dist[str]:
        return self.law

    def algo(self, prompt: str, coins: Coins) -> str:
        return self.inner.algo(prompt, coins)


def test_e3_row_notes_exact() -> None:
    row = escapes.e3_row("u1", uniform_number(1))
    assert row == escapes.Row("u1", True, "M = 9 (3.17 bits; target denominator 9); 18 decoding steps over all seeds, "
                              "0 not point masses; law over seeds (and induced_over_seeds) = target; seed of 8 values: "
                              "TVD 1/9 (caught)", Fraction(0), {"seed_space": 9, "seed_bits": 3.17, "short_seed_tvd": "1/9"})
    # the target is the law of the 8-value seed: the full seed is wrong and the short one is not caught
    row = escapes.e3_row("w", _WrongTarget(uniform_number(1), Dist.uniform("12345678")))
    assert row == escapes.Row("w", False, "M = 9 (3.17 bits; target denominator 8); 18 decoding steps over all seeds, "
                              "0 not point masses; law over seeds (and induced_over_seeds) != target; seed of 8 values: "
                              "TVD 0 (NOT caught)", Fraction(0), {"seed_space": 9, "seed_bits": 3.17, "short_seed_tvd": "0"})
    # rejection: 81 seed values, 25 run out ((5/9)^2 of them: two rejected draws of 9 in a row)
    row = escapes.e3_row("p1", real_random_prime(1), rejection_seed=81)
    assert row == escapes.Row(
        "p1", True, "rejection algorithm with a seed of 81 values: 25 seeds (25/81) run out, the rest give the target "
        "exactly; a seed-index decoder with M = 4 (the target's denominator, 2.00 bits) is exact and deterministic "
        "(8 point-mass steps)", Fraction(25, 81), {"seed_space": 4, "seed_bits": 2.0})
    row = escapes.e3_row("p1", _WrongTarget(real_random_prime(1), Dist.uniform("23")), rejection_seed=81)
    assert not row.ok and "the rest give the target NOT exactly; a seed-index decoder with M = 2 " in row.note
    assert row.data() == {"task": "p1", "exact": False, "residual": "25/81", "note": row.note, "seed_space": 2,
                          "seed_bits": 1.0}


def test_agrees_messages_exact() -> None:
    assert escapes._agrees(Runs({"b": Fraction(1)}, Fraction(0), 0), Dist.point("a")) == (False, "P('a') = 0, want 1·1")
    assert escapes._agrees(Runs({"a": Fraction(1, 2)}, Fraction(0), 0), Dist.uniform("ab")) == (
        False, "P('b') = 0, want 1·1/2")
    assert escapes._agrees(Runs({"a": Fraction(3, 4)}, Fraction(1, 4), 2), Dist.point("a")) == (
        True, "law on runs within budget = (1 − 1/4)·target exactly; TVD <= 1/4")
    assert escapes._agrees(Runs({"a": Fraction(1)}, Fraction(0), 2), Dist.point("a")) == (True, "law = target exactly")


def test_seeded_law_stops_a_model_running_past_max_len() -> None:
    def chatty(prompt: str, coins: Coins) -> str:
        return "aaa"

    raises_exactly(AssertionError, "seeded model runs past max_len at seed 0",
                   lambda: escapes.seeded_law(chatty, "p", 2, max_len=1))
    law, exhausted, steps, random_steps = escapes.seeded_law(chatty, "p", 2, max_len=3)
    assert law == Dist.point("aaa") and (exhausted, steps, random_steps) == (0, 8, 0)


# ---- the section's perturbed twins --------------------------------------------------------------------


def test_e1_short_alphabet_drops_exactly_one_hidden_option(monkeypatch: pytest.MonkeyPatch) -> None:
    from typing import Any

    from spec import with_hidden_tokens

    captured: list[Any] = []
    real = escapes.hidden_runs

    def spy(model: Any, prompt: str, **kw: Any) -> Any:
        captured.append((model, prompt, kw))
        return real(model, prompt, **kw)

    monkeypatch.setattr(escapes, "hidden_runs", spy)
    v = escapes._e1_hidden_alphabet_short_by_one(Level.QUICK)
    assert v.outcome is Outcome.REFUTED and v.counterexample == "P('nn=ant') = 0, target 1/6"
    ((short, prompt, kw),) = captured
    game = escapes._small_game()
    assert prompt == game.prompt and kw == {"max_public": game.max_len, "max_hidden": 8}
    full = with_hidden_tokens(game.algo)(prompt, "", "")
    moves = sorted(full.support)
    assert len(moves) == 6 and short(prompt, "", "") == Dist.uniform(moves[:-1])
    for hidden in ("\x00", "\x05"):  # after the hidden draw the move is public: left unchanged
        assert short(prompt, "", hidden) == with_hidden_tokens(game.algo)(prompt, "", hidden)


def test_e3_short_seed_branches(monkeypatch: pytest.MonkeyPatch) -> None:
    game = escapes._small_game()
    monkeypatch.setattr(escapes, "seeded_law", lambda *a, **k: (game.target(), None, None, None))
    v = escapes._e3_short_seed(Level.QUICK)
    assert (v.outcome, v.scope, v.method) == (Outcome.HOLDS, "6 animals, seed space 5",
                                              "E3's seeded_law (every seed decoded deterministically)")
    monkeypatch.setattr(escapes, "seeded_law", lambda *a, **k: (None, None, None, None))
    v = escapes._e3_short_seed(Level.QUICK)
    assert (v.outcome, v.counterexample, v.method) == (Outcome.REFUTED, "no seed finished", "E3's seeded_law")


def test_choice_paths_refuse_a_rejection_loop_by_name() -> None:
    task = real_random_prime(1)  # uniform digits until one is prime: runs of every length, no finite seed space
    with pytest.raises(escapes.Rejection, match=r"^the algorithm uses coins\.until$"):
        escapes.choice_paths(task.algo, task.prompt)
    with pytest.raises(escapes.Rejection, match=r"^the algorithm uses coins\.until$"):
        exact_seed_space(task.algo, task.prompt)


class _TwoStage:
    """A fair bit, and a second fair bit only after a 1: outputs 0, 10, 11 with probabilities 1/2, 1/4, 1/4."""

    prompt, max_len = "", 2

    def target(self) -> Dist[str]:
        return Dist.from_weights({"0": 2, "10": 1, "11": 1})

    def algo(self, prompt: str, coins: Coins) -> str:
        return "1" + str(coins.randbelow(2)) if coins.randbelow(2) else "0"


def test_e3_row_reports_no_short_seed_tvd_when_the_short_seed_runs_out() -> None:
    row = e3_row("two-stage", _TwoStage())
    # M = 4; of the 3 short seeds, seed 1 draws the 1 and has nothing left for the second bit
    assert row.ok and "seed of 3 values: 1 seeds run out (caught)" in row.note
    assert row.extra == {"seed_space": 4, "seed_bits": 2.0, "short_seed_tvd": ""}


def test_hidden_runs_rejects_public_text_longer_than_max_public() -> None:
    phi_h = with_hidden_tokens(lambda p, c: "ab")
    with pytest.raises(AssertionError, match=r"^hidden_runs: public text longer than 1 after 'a'$"):
        escapes.hidden_runs(phi_h, "", max_public=1, max_hidden=0)
    assert escapes.hidden_runs(phi_h, "", max_public=2, max_hidden=0).dist() == Dist.point("ab")


def test_e3_row_is_not_exact_when_the_seed_law_misses_a_target_whose_denominator_divides_the_seed_space() -> None:
    # the 9-value seed gives the uniform digit 1..9; a target uniform on 1..3 has denominator 3, which divides 9
    row = e3_row("w3", _WrongTarget(uniform_number(1), Dist.uniform("123")))
    assert not row.ok
    assert "law over seeds (and induced_over_seeds) != target" in row.note
