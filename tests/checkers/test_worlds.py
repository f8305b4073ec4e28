"""G1-G4: the worlds of "where this comes up", their exact laws, counterparts and bad input."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from checkers.verdict import Level, Outcome, Relation
from checkers.worlds import (
    answerer_verdict,
    check_G1,
    check_G2,
    check_G3,
    check_G4,
    check_sudoku_target,
    compare_world,
    flint_roots,
    g1_cost_row,
    g4_cost_row,
    regeneration,
)
from spec import Dist, induced
from spec.signatures import Coins
from spec.tasks.mystery import mystery
from spec.tasks.polynomial import coefficient_text, expand, integer_roots, polynomial
from spec.tasks.sudoku import Sudoku, erasure_law, puzzle_text, solution_grids, sudoku
from spec.tasks.twenty_questions import ANIMALS, SecretGame, animal_questions, twenty_questions
from strategies import mysteries, polynomials, secret_games


def _exact(game: SecretGame) -> bool:
    return compare_world(game.target(), game.phi, game.algo, game.prompt, game.max_len, 1) is None


# ---- G1 ---------------------------------------------------------------------------


@given(secret_games())
def test_G1_committed_and_autoregressive_answerers_induce_the_target(game: SecretGame) -> None:
    assert _exact(game)
    assert all(game.is_consistent(x) for x in game.target().support)


def test_G1_every_question_sequence_up_to_3_on_animals() -> None:
    from checkers.worlds import question_sequences

    seqs = list(question_sequences(animal_questions(), 3))
    assert len(seqs) == 1 + 5 + 25 + 125
    assert all(_exact(SecretGame(ANIMALS, seq)) for seq in seqs)


def test_G1_unconditioned_answerer_is_caught() -> None:
    game = twenty_questions(ANIMALS, animal_questions()[:2])
    v = answerer_verdict(game, game.unconditioned_phi)
    assert v.outcome is Outcome.REFUTED
    assert v.counterexample is not None and "no object answers so" in v.counterexample
    law = induced(game.unconditioned_phi, game.prompt, max_len=game.max_len)
    assert any(not game.is_consistent(x) for x in law.support)
    assert answerer_verdict(game, game.phi).outcome is Outcome.HOLDS


def test_G1_regeneration_ar_reveal_varies_committed_reveal_is_fixed() -> None:
    game = twenty_questions(ANIMALS, animal_questions()[:2])
    ar, committed = regeneration(game, "yn")  # four legs, does not fly: cat, dog, cow
    assert ar == Dist.uniform(["yn=cat", "yn=dog", "yn=cow"])
    assert committed == {n: Dist.point("yn=" + n) for n in ("cat", "dog", "cow")}


def test_G1_ar_cost_is_the_universe_size_per_token() -> None:
    for b in (2, 5):
        row = g1_cost_row(b, questions=6)
        assert row["ar_objects_per_token"] == 2**b  # every object is examined at every token
        assert row["committed_objects"] == 1


@pytest.mark.slow
def test_G1_check_holds_given_the_sha256_assumption(level: Level) -> None:
    v = check_G1(level)
    assert v.outcome is Outcome.HOLDS and v.label == "HOLDS given H-SHA256", v.counterexample
    assert v.rests_on_ids == ("H-SHA256",)
    relations = [(s.relation, s.outcome) for s in v.statements]
    assert relations[0] == (Relation.SPECIAL_CASE, Outcome.HOLDS)  # the exact equivalence with a committed answerer
    assert (Relation.ASSUMPTION, Outcome.ASSUMED) in relations and (Relation.EVIDENCE, Outcome.HOLDS) in relations
    rows = v.data["g1_cost"]
    assert isinstance(rows, list) and [r["ar_objects_per_token"] for r in rows] == [2**r["b"] for r in rows]
    assert all(r["ar_objects_examined"] == r["universe"] * r["tokens"] for r in rows)


# ---- G2 ---------------------------------------------------------------------------


def test_G2_target_check_catches_non_unique_and_non_minimal_puzzles() -> None:
    class Unerased(Sudoku):  # a full grid: unique, but cells could still go
        def target(self) -> Dist[str]:
            return Dist.uniform([solution_grids()[0]])

    class Blank(Sudoku):  # nothing given: 288 solutions
        def target(self) -> Dist[str]:
            return Dist.uniform(["." * 16])

    class OneGrid(Sudoku):  # the real puzzles of one grid only: solutions not uniform
        def target(self) -> Dist[str]:
            g = solution_grids()[0]
            return Dist(dict((puzzle_text(g, m), p) for m, p in erasure_law(g, 0xFF).items()))

    assert check_sudoku_target(sudoku(range(8))) is None
    assert "erasable given" in (check_sudoku_target(Unerased()) or "")
    assert "288 solutions" in (check_sudoku_target(Blank()) or "")
    assert "not uniform" in (check_sudoku_target(OneGrid(0xFF)) or "")


@pytest.mark.slow
def test_G2_is_unestablished_since_the_exact_AR_model_matches_the_target(level: Level) -> None:
    v = check_G2(level)
    assert v.outcome is Outcome.UNESTABLISHED and not v.passed, v.counterexample
    relations = [(s.relation, s.outcome) for s in v.statements]
    assert (Relation.CORRECTED, Outcome.HOLDS) in relations and (Relation.SAME, Outcome.UNESTABLISHED) in relations
    assert any("induces exactly the target over all" in s.text for s in v.statements)


# ---- G3 ---------------------------------------------------------------------------


@given(polynomials())
def test_G3_autoregressive_by_counting_equals_committed_and_target(task: object) -> None:
    from spec.tasks.polynomial import Polynomial

    assert isinstance(task, Polynomial)
    assert compare_world(task.target(), task.phi, task.algo, task.prompt, task.max_len, task.n) is None


@given(st.lists(st.integers(-(10**15), 10**15), min_size=1, max_size=7))
def test_G3_roots_are_recovered_from_the_coefficients(roots: list[int]) -> None:
    coeffs = expand(tuple(roots))
    assert integer_roots(coeffs) == tuple(sorted(roots))
    assert flint_roots(coeffs) == tuple(sorted(roots))


def test_G3_wrong_expansion_is_caught() -> None:
    task = polynomial(2, 2)

    def sign_slip(prompt: str, coins: Coins) -> str:  # forgets the sign of the constant term
        a, b = coins.randbelow(5) - 2, coins.randbelow(5) - 2
        c1, c0 = expand((a, b))
        return coefficient_text((c1, abs(c0)))

    bad = compare_world(task.target(), task.phi, sign_slip, task.prompt, task.max_len, 2)
    assert bad is not None and bad.what == "committed" and bad.distance > 0


def test_G3_is_unestablished_since_the_reverse_direction_is_easy(level: Level) -> None:
    v = check_G3(level)
    assert v.outcome is Outcome.UNESTABLISHED and not v.passed, v.counterexample
    assert any("NOT hard" in e for e in v.evidence)
    assert [(s.relation, s.outcome) for s in v.statements] == [
        (Relation.SPECIAL_CASE, Outcome.HOLDS), (Relation.EVIDENCE, Outcome.HOLDS), (Relation.SAME, Outcome.UNESTABLISHED)]


# ---- G4 ---------------------------------------------------------------------------


@given(mysteries())
def test_G4_autoregressive_and_committed_tellers_induce_the_target(game: SecretGame) -> None:
    assert _exact(game)


def test_G4_teller_that_ignores_the_clues_is_caught() -> None:
    game = mystery(6, 2, symbols=2)
    v = answerer_verdict(game, game.unconditioned_phi)
    assert v.outcome is Outcome.REFUTED


def test_G4_ar_teller_cost_is_linear_in_m() -> None:
    for m in (4, 64):
        row = g4_cost_row(m, clues=3)
        assert row["ar_suspects_per_token"] == m and row["committed_suspects"] == 1


def test_G4_is_unestablished_since_inference_cost_grows_linearly(level: Level) -> None:
    v = check_G4(level)
    assert v.outcome is Outcome.UNESTABLISHED and not v.passed, v.counterexample
    evidence = [s for s in v.statements if s.relation is Relation.EVIDENCE]
    assert [s.outcome for s in evidence] == [Outcome.HOLDS] and "exactly m suspects per token" in evidence[0].text
    assert [s.outcome for s in v.statements if s.relation is Relation.SAME] == [Outcome.UNESTABLISHED]
