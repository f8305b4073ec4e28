"""Tests aimed at mutants that survived the 2028 sampled mutation run in checkers.worlds, gauntlet,
escapes, claims, overlap, foundation and spec: REFUTED branches driven by monkeypatched inputs at
shrunk scopes, exact verdicts and messages, and wall-time arithmetic pinned with a fake clock."""

from __future__ import annotations

import concurrent.futures
import multiprocessing
import sys
from collections.abc import Callable
from dataclasses import replace
from fractions import Fraction
from types import SimpleNamespace
from typing import Any

import pytest
from tests.conftest import FakeClock

from checkers import claims, escapes, foundation, gauntlet, randomized_tasks, worlds
from checkers import overlap as overlap_checks
from checkers.claims import Claim
from checkers.escapes import Row
from checkers.verdict import Level, Outcome, Relation, Verdict
from spec import STOP, Dist, alphabet, enumerate_runs, induced, tvd
from spec.activations import _choose
from spec.constructions import chain_rule
from spec.errors import InvalidArgument, InvalidDistribution
from spec.models import TableModel, TableRandomizedModel
from spec.tasks.mystery import mystery
from spec.tasks.sudoku import erasure_law, solution_grids, sudoku
from spec.tasks.twenty_questions import Question, SecretGame


def _mismatch(what: str, law: Dist[str], target: Dist[str]) -> str:
    """The text of worlds.Mismatch for the first text where law and target differ, built by hand."""
    first = next(x for x in sorted(law.support | target.support) if law[x] != target[x])
    return f"{what}: P({first!r}) = {law[first]}, target {target[first]}; TVD {tvd(law, target)}"


# ---------------------------------------------------------------- worlds: G2 at a shrunk scope

_MAIN, _SMALL = (0, 1, 2), (0,)


def _g2_lines() -> tuple[str, str, str]:
    n = len(sudoku(_MAIN).target())
    return ("288 solution grids (reference 288)",
            f"target over {n} puzzles (erasable cells 3): each has a unique solution, "
            "no erasable given left, and the solution grid is uniform",
            f"AR next-cell law by counting: induced law = target over all {n} puzzles")


@pytest.fixture
def small_g2(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(worlds._G2_SCOPES, Level.QUICK, (_MAIN, _SMALL))
    monkeypatch.setattr(worlds, "time", FakeClock(0.5))


@pytest.mark.usefixtures("small_g2")
def test_G2_holds_at_a_small_scope_exact() -> None:
    task, small = sudoku(_MAIN), sudoku(_SMALL)
    per_grid = sorted({len(erasure_law(g, task.erasable)) for g in solution_grids()})
    lines = _g2_lines() + (
        f"with erasures limited to cells [0] ({len(small.target())} puzzles): the literal random-order "
        "generator, the erase-while-erasable generator and with_hidden_tokens(generator) all equal the target exactly",
        "verdict UNESTABLISHED: the exact AR model matches the target everywhere checked; the post's 'will "
        "fail' can only be computational, and rests on counting completions being hard (not checked)")
    v = worlds.check_G2(Level.QUICK)
    assert [(s.relation, s.outcome) for s in v.statements] == [
        (Relation.SPECIAL_CASE, Outcome.HOLDS), (Relation.CORRECTED, Outcome.HOLDS), (Relation.SAME, Outcome.UNESTABLISHED)]
    assert replace(v, statements=()) == Verdict(
        Outcome.UNESTABLISHED,
        "all 288 grids; erasable cells 3 (AR, target); enumerated generators on cells [0]",
        "exact DP over given-cell masks (uniqueness by agreement masks), spec.induced, enumerate_runs, induced_public",
        lines, None, 0.5,
        {"g2_sizes": [{"erasable": 3, "puzzles": len(task.target()), "final_masks_per_grid": str(per_grid)}]})


@pytest.mark.usefixtures("small_g2")
def test_G2_refuted_when_the_AR_law_differs(monkeypatch: pytest.MonkeyPatch) -> None:
    wrong = Dist.point("x")
    monkeypatch.setattr(worlds, "induced", lambda phi, prompt, max_len: wrong)
    assert worlds.check_G2(Level.QUICK) == Verdict(
        Outcome.REFUTED, "G2", "AR", _g2_lines()[:2], _mismatch("AR by counting", wrong, sudoku(_MAIN).target()), 0.5, {})


@pytest.mark.usefixtures("small_g2")
def test_G2_refuted_when_the_symmetric_DP_differs(monkeypatch: pytest.MonkeyPatch) -> None:
    # the symmetry cross-check runs when every cell is erasable: make "every cell" the three cells
    monkeypatch.setattr(worlds, "CELLS", 3)
    monkeypatch.setattr(worlds, "check_sudoku_target", lambda task: None)
    seen: list[tuple[str, bool]] = []

    def fake_erasure_law(grid: str, erasable: int = 0, *, use_symmetry: bool = True) -> dict[int, Fraction]:
        seen.append((grid, use_symmetry))
        return {0 if use_symmetry else 1: Fraction(1)}

    monkeypatch.setattr(worlds, "erasure_law", fake_erasure_law)
    g = solution_grids()[0]
    assert worlds.check_G2(Level.QUICK) == Verdict(
        Outcome.REFUTED, "G2", "symmetry", _g2_lines(), f"symmetric DP differs for grid {g}", 0.5, {})
    assert seen == [(g, False), (g, True)]


@pytest.mark.usefixtures("small_g2")
@pytest.mark.parametrize("what", ["random-order generator", "erase-while-erasable generator", "hidden tokens"])
def test_G2_refuted_when_a_small_generator_differs(monkeypatch: pytest.MonkeyPatch, what: str) -> None:
    wrong = Dist.point("x")
    if what == "hidden tokens":
        monkeypatch.setattr(worlds, "induced_public", lambda *args, **kwargs: wrong)
    else:
        real = enumerate_runs
        calls: list[int] = []
        broken = 0 if what == "random-order generator" else 1

        def runs(f: Callable[[Any], str], max_flips: int) -> Any:
            calls.append(max_flips)
            if len(calls) - 1 == broken:
                return SimpleNamespace(dist=lambda: wrong)
            return real(f, max_flips)

        monkeypatch.setattr(worlds, "enumerate_runs", runs)
    v = worlds.check_G2(Level.QUICK)
    assert v == Verdict(Outcome.REFUTED, "G2", what, _g2_lines(), _mismatch(what, wrong, sudoku(_SMALL).target()), 0.5, {})


# ---------------------------------------------------------------- worlds: G3, G4, answerer


def test_G3_runs_the_AR_cost_rows_for_R_up_to_5(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(worlds._G3_SCOPES, Level.QUICK, (1, 1))
    calls: list[tuple[int, int, bool]] = []

    def row(n: int, R: int, *, run_ar: bool) -> dict[str, object]:
        calls.append((n, R, run_ar))
        return {"n": n, "R": str(R), "newton_evals": 7, "newton_ms": 1.0, "flint_ms": 2.0}

    monkeypatch.setattr(worlds, "g3_cost_row", row)
    v = worlds.check_G3(Level.QUICK)
    assert calls == ([(3, 1, True), (3, 2, True), (3, 5, True)] + [(3, 10**k, False) for k in (2, 4, 8, 16, 32)]
                     + [(n, 10**12, False) for n in (5, 10, 20)])
    assert v.outcome is Outcome.UNESTABLISHED and v.scope.startswith("1 worlds: n = 1..1 roots, R = 1..1; ")
    assert v.evidence[2] == ("NOT hard: recovering the roots from the coefficients is polynomial time; "
                             "e.g. n=20, R=1000000000000: 7 exact Newton evaluations (1.0 ms), flint 2.0 ms")


def test_G4_refuted_when_the_hidden_token_teller_differs(monkeypatch: pytest.MonkeyPatch) -> None:
    wrong = Dist.point("x")
    monkeypatch.setattr(worlds, "induced_public", lambda *args, **kwargs: wrong)
    monkeypatch.setattr(worlds, "time", FakeClock(0.25))
    target = mystery(1, 3, symbols=3).target()
    assert worlds.check_G4(Level.QUICK) == Verdict(
        Outcome.REFUTED, "G4", "exact", (), f"m=1: {_mismatch('hidden-token teller', wrong, target)}", 0.25, {})


def test_answerer_verdict_holds_with_empty_data() -> None:
    game = SecretGame(("a", "b"), (Question("is it a?", lambda s: s == "a"),))
    v = worlds.answerer_verdict(game, game.phi, start=0.0)
    assert (v.outcome, v.scope, v.method, v.evidence, v.counterexample, v.data) == (
        Outcome.HOLDS, "2 objects, 1 questions", "exact induced law", ("2 transcripts, law = target",), None, {})


# ---------------------------------------------------------------- escapes


def test_hidden_runs_passes_the_prompt_to_the_model() -> None:
    def phi_h(prompt: str, public: str, hidden: str) -> Dist[tuple[str, str]]:
        if public == "" and hidden == "":
            return Dist({("hidden", "h"): Fraction(1, 4), ("public", prompt): Fraction(3, 4)})
        return Dist.point(("public", STOP))

    runs = escapes.hidden_runs(phi_h, "q", max_public=1, max_hidden=1)  # type: ignore[arg-type]
    assert dict(runs.mass) == {"q": Fraction(3, 4), "": Fraction(1, 4)} and runs.residual == 0 and runs.max_flips == 1


def test_E3_refuted_carries_the_failing_rows_counterexample(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(escapes, "suite_tasks", lambda level: [("t1", None), ("t2", None)])
    monkeypatch.setattr(escapes, "e3_row", lambda name, task: Row(name, name == "t1", f"note {name}", Fraction(0), {}))
    monkeypatch.setattr(escapes, "time", FakeClock(0.25))
    v = escapes.check_E3(Level.QUICK)
    assert [st.outcome for st in v.statements] == [Outcome.REFUTED]
    v = replace(v, statements=())
    table = v.data["e3_bits"]
    assert isinstance(table, list) and [r["bits"] for r in table] == list(range(3, 11))
    extra = "bit seeds for a uniform choice among 6 objects are never exact: TVD by bits " + ", ".join(
        f"{r['bits']}: {r['tvd']}" for r in table)
    assert v == Verdict(
        Outcome.REFUTED, "2 tasks: t1; t2",
        "with_random_seed over every seed in range(M); each decoding step checked to be a point mass",
        ("t1: note t1", "t2: note t2", extra), "t2: note t2", 0.5,
        {"e3": [{"task": "t1", "exact": True, "residual": "0", "note": "note t1"},
                {"task": "t2", "exact": False, "residual": "0", "note": "note t2"}], "e3_bits": table})


# ---------------------------------------------------------------- foundation


def _outside_model() -> TableModel:
    """A model over the alphabet {a} that puts all its mass on 'b'."""
    return TableModel(alphabet("a"), {"": Dist.point("b"), "b": Dist.point(STOP)}, 1)


_OUTSIDE = "raised InvalidModel: the model put mass on token 'b', not in the alphabet, at prompt '', prefix ''"


def test_s1_compare_checks_tokens_against_the_models_alphabet() -> None:
    assert foundation._s1_compare(_outside_model(), induced, {"b": Fraction(1)}, Fraction(0)) == _OUTSIDE


def test_s3_problem_checks_tokens_against_sigma() -> None:
    assert foundation.s3_problem(Dist.point("b"), alphabet("a"), 1, chain_rule, induced) == _OUTSIDE
    assert foundation.s3_problem(Dist.point("b"), alphabet("ab"), 1, chain_rule, induced) is None


def test_s2_problem_asks_for_the_law_at_the_empty_prompt() -> None:
    phi_r = TableRandomizedModel(alphabet("a"), {"": (Dist.point("a"), Dist.point(STOP)), "a": (Dist.point(STOP),)}, 1)

    def derand(model: Any, max_flips: int) -> Any:
        inner = foundation._spec_derandomize(model, max_flips)
        # the averaged model at the empty prompt, nonsense at any other prompt
        return lambda prompt, x: inner(prompt, x) if prompt == "" else Dist.point(STOP)

    assert foundation.s2_problem(phi_r, derand, induced) is None
    assert foundation.s2_problem(phi_r, lambda model, k: lambda prompt, x: Dist.point(STOP), induced) == (
        "induced(derandomize) = {'': 1} but sampling φ_r gives {'': 1/2, 'a': 1/2}")


# ---------------------------------------------------------------- overlap, activations


def test_tight_profile_rejects_a_non_integer_N_even_with_an_integer_k() -> None:
    with pytest.raises(InvalidArgument, match=r"^tight_profile: need integers 0 <= k <= N, N >= 1, got k=1, N=2\.0$"):
        overlap_checks.tight_profile(1, 2.0)  # type: ignore[arg-type]
    with pytest.raises(InvalidArgument, match=r"^tight_profile: need integers 0 <= k <= N, N >= 1, got k=1\.0, N=2$"):
        overlap_checks.tight_profile(1.0, 2)  # type: ignore[arg-type]
    assert overlap_checks.tight_profile(1, 2) == (Fraction(1, 2), Fraction(0))


def test_dual_value_of_an_all_zero_profile_is_an_exact_zero() -> None:
    v = overlap_checks.dual_value([0, 0])
    assert type(v) is Fraction and str(v) == "0"
    assert overlap_checks.dual_value([Fraction(1, 2), 0]) == Fraction(1, 2)


def test_mystery_names_the_clue_count_it_rejects() -> None:
    with pytest.raises(InvalidArgument, match=r"^mystery: clues must be an int in 0\.\.64, got 65$"):
        mystery(2, 65)


_FLOATS = "use int or fractions.Fraction, floats are not exact"


def test_dist_messages_name_the_constructor_exactly() -> None:
    with pytest.raises(InvalidDistribution, match=rf"^Dist: weight of 'a' is 0\.5 \(float\); {_FLOATS}$"):
        Dist({"a": 0.5, "b": Fraction(1, 2)})  # type: ignore[dict-item]
    with pytest.raises(InvalidDistribution, match=rf"^Dist\.from_weights: weight of 'a' is 1\.0 \(float\); {_FLOATS}$"):
        Dist.from_weights({"a": 1.0})  # type: ignore[dict-item]
    with pytest.raises(InvalidDistribution, match=r"^Dist: probabilities sum to 1/2, not 1 "
                       r"\(Dist\.from_weights normalises weights explicitly\)$"):
        Dist({"a": Fraction(1, 2)})
    with pytest.raises(InvalidDistribution, match=r"^Dist\.from_weights: weight of 'a' is negative \(-1\)$"):
        Dist.from_weights({"a": -1, "b": 2})


class _OverCoins:
    """Coins that break their contract: randbelow(k) answers k."""

    def randbelow(self, k: int) -> int:
        return k

    def until(self, attempt: Callable[[Any], Any], accept: Callable[[Any], bool]) -> Any:
        raise NotImplementedError


def test_choose_names_the_broken_invariant() -> None:
    with pytest.raises(AssertionError, match=r"^unreachable: numerators sum to the denominator$"):
        _choose(Dist.uniform("ab"), _OverCoins())


# ---------------------------------------------------------------- gauntlet


def test_pairs_verdict_refuted_times_from_the_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(gauntlet, "time", FakeClock(0.25))
    v = gauntlet.pairs_verdict(lambda d1, d2: False, "never", ("a", (1,)))
    law = {"a": "1"}
    assert v == Verdict(Outcome.REFUTED, "pairs of laws on 'a' with weights in {1}", "exhaustive: never",
                        counterexample=f"d1 = {law}, d2 = {law}", seconds=0.25, data={"pair": [law, law]})


def test_a2_without_cap_holds_when_the_overlap_is_uncapped(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(gauntlet, "overlap_checks", SimpleNamespace(overlap_model=lambda a, p: (a, p)))
    monkeypatch.setattr(gauntlet, "overlap", lambda a, p: sum((x * y for x, y in zip(a, p)), Fraction(0)))
    assert gauntlet._a2_without_cap() == Verdict(Outcome.HOLDS, "three (a, p) instances", "A2's overlap_model")


def test_g2_careless_puzzles_holds_when_every_puzzle_is_unique(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(gauntlet, "sudoku_solutions", lambda puzzle: [puzzle])
    assert gauntlet._g2_careless_puzzles() == Verdict(
        Outcome.HOLDS, "the 288 puzzles of the careless generator", "G2's solver")


def test_r4_at_most_two_tries_holds_when_every_digit_is_cheap(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(randomized_tasks, "expected_tries", lambda n: [Fraction(2), Fraction(1)])
    assert gauntlet._r4_at_most_two_tries() == Verdict(
        Outcome.HOLDS, "n = 1..6, every digit", "R4's exact expected_tries")


# ---------------------------------------------------------------- claims


class _Stream:
    def __init__(self) -> None:
        self.events: list[str] = []

    def write(self, s: str) -> int:
        self.events.append(f"write {s!r}")
        return len(s)

    def flush(self) -> None:
        self.events.append("flush")


def test_run_announced_flushes_the_announcement(monkeypatch: pytest.MonkeyPatch) -> None:
    stream = _Stream()
    monkeypatch.setattr(sys, "stderr", stream)
    claim = Claim("Z9", "sec", "quote", "the method", Outcome.ASSUMED)
    r = claims._run_announced(claim, Level.QUICK, True)
    assert replace(r.verdict, statements=()) == Verdict(Outcome.ASSUMED, scope="cited", method="the method")


def test_run_claims_sizes_the_pool_by_jobs(monkeypatch: pytest.MonkeyPatch) -> None:
    made: list[tuple[int | None, object]] = []

    class Pool(concurrent.futures.ThreadPoolExecutor):
        def __init__(self, max_workers: int | None = None, mp_context: object = None) -> None:
            made.append((max_workers, mp_context))
            super().__init__(max_workers=max_workers)

    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", Pool)
    cs = [Claim(f"Z{i}", "sec", "quote", "m", Outcome.ASSUMED) for i in range(3)]
    results = list(claims.run_claims(cs, Level.QUICK, jobs=3))
    assert sorted(r.claim.id for r in results) == ["Z0", "Z1", "Z2"]
    assert made == [(3, multiprocessing.get_context("fork"))]


def slow_looking_checker(level: Level) -> Verdict:
    return Verdict(Outcome.HOLDS, scope=f"fake at {level.value}", method="fake", seconds=99.0)


def test_run_claim_times_the_whole_claim_from_the_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(claims, "time", FakeClock(0.25))
    claim = Claim("Z8", "sec", "quote", "m", Outcome.HOLDS, (f"{__name__}:slow_looking_checker",))
    r = claims.run_claim(claim, Level.QUICK)
    # three clock reads: run_claim's start, _run_one's start, run_claim's end
    assert r.claim is claim and r.verdict == Verdict(Outcome.HOLDS, "fake at quick", "fake", seconds=0.5)
