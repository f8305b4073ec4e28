"""Tests aimed at mutants that survived the final mutation run (spec/, verdict, claims, foundation,
reduction, worlds, randomized_tasks): REFUTED branches driven by monkeypatched inputs, exact texts,
functions the quick level never runs, and wall-time arithmetic pinned with a fake clock."""

from __future__ import annotations

import random
from dataclasses import replace
from fractions import Fraction
from collections.abc import Callable
from types import SimpleNamespace

import pytest
from tests.conftest import FakeClock

from checkers import claims, escapes, foundation, randomized_tasks, reduction, worlds
from checkers.claims import Claim, Result
from checkers.factoring import TrialDivision, trial_division_count
from checkers.report import render_table
from checkers.symbolic import Certificate, certify_identity
from checkers.foundation import s1_problem
from checkers.verdict import Level, Outcome, Verdict
from spec import STOP, Alphabet, Autoregressive, Coins, Dist, alphabet, induced, overlap, sample, tvd
from spec.coins import Runs
from spec.errors import InvalidArgument, InvalidDistribution, InvalidText, ZeroMass, check_int
from spec.models import TableModel
from spec.tasks.det_prime import det_prime
from spec.tasks.mystery import mystery, suspect_names
from spec.tasks.polynomial import integer_roots, polynomial
from spec.tasks.random_prime import random_prime as real_random_prime
from spec.tasks.primes import is_n_digit_prime, n_digit_primes
from spec.tasks.semiprime import check_prime, parse_tuple, semiprime_triple
from spec.tasks.sudoku import Sudoku, solution_grids, sudoku
from spec.tasks.twenty_questions import ANIMALS, Cost, NotAPredicate, Observation, Question, SecretGame, animal_questions, hash_bit_question, hash_universe
from spec.tasks.uniform_number import DIGITS, parse_number, uniform_number


# ---------------------------------------------------------------- verdict


def test_verdict_str_exact_with_evidence_and_counterexample() -> None:
    v = Verdict(Outcome.REFUTED, "n <= 3", "exact", ("line one", "line two"), counterexample="n=2")
    assert str(v) == "REFUTED: n <= 3\n  method: exact\n  line one\n  line two\n  counterexample: n=2"


def test_verdict_str_exact_without_evidence_or_counterexample() -> None:
    assert str(Verdict(Outcome.NOT_CHECKED, "none", "m")) == "NOT CHECKED: none\n  method: m"
    assert str(Verdict(Outcome.HOLDS, "all", "z3", ("e",))) == "HOLDS: all\n  method: z3\n  e"


# ---------------------------------------------------------------- claims


def _fake_claim(expected: Outcome, checkers: tuple[str, ...] = ()) -> Claim:
    return Claim("Z9", "sec", "quote", "the method", expected, checkers)


def test_run_announced_in_process(capsys: pytest.CaptureFixture[str]) -> None:
    claim = _fake_claim(Outcome.ASSUMED)
    r = claims._run_announced(claim, Level.QUICK, True)
    assert r.claim is claim and replace(r.verdict, statements=()) == Verdict(Outcome.ASSUMED, scope="cited", method="the method")
    assert [s.text for s in r.verdict.statements] == ["Z9: quote"]
    assert capsys.readouterr().err == "      Z9 started\n"
    r = claims._run_announced(claim, Level.QUICK, False)
    assert r.verdict.outcome is Outcome.ASSUMED
    assert capsys.readouterr().err == ""


def test_run_announced_runs_the_checkers_at_the_level() -> None:
    claim = _fake_claim(Outcome.HOLDS, ("checkers.no_such_module_zz:check",))
    r = claims._run_announced(claim, Level.QUICK, False)
    assert r.verdict.outcome is Outcome.NOT_CHECKED
    assert r.verdict.evidence == ("checkers.no_such_module_zz:check has not landed",)


# ---------------------------------------------------------------- foundation


def _model(second: Dist[str]) -> TableModel:
    return TableModel(alphabet("a"), {"": Dist({"a": Fraction(1, 2), STOP: Fraction(1, 2)}), "a": second}, 1)


def _always_a(phi: Autoregressive, prompt: str, *, max_len: int, alphabet: Alphabet | None = None) -> Dist[str]:
    return Dist.point("a")


def test_s1_problem_agrees_and_disagrees() -> None:
    stops = _model(Dist.point(STOP))
    assert s1_problem(stops, induced) is None
    assert s1_problem(stops, _always_a) == (
        "induced {'a': 1} but the oracle gives {'': 1/2, 'a': 1/2}"
    )
    leaks = _model(Dist({"a": Fraction(1, 3), STOP: Fraction(2, 3)}))
    assert s1_problem(leaks, induced) is None
    assert s1_problem(leaks, _always_a) == (
        "returned Dist({'a': 1}) though mass 1/6 has not stopped by L"
    )


# ---------------------------------------------------------------- spec tasks


def test_parse_number() -> None:
    assert parse_number("120", 3) == 120
    with pytest.raises(InvalidText, match=r"^number '1a': symbol 'a' at position 1 is not in the alphabet '0123456789'$"):
        parse_number("1a", 2)
    with pytest.raises(InvalidText, match=r"^number '012': expected 3 digits without a leading 0$"):
        parse_number("012", 3)
    with pytest.raises(InvalidText, match=r"^number '12': expected 3 digits without a leading 0$"):
        parse_number("12", 3)


def test_integer_roots_stops_at_the_first_non_integer_root() -> None:
    # (x − 1)(x² − 5): Newton from above passes √5 ≈ 2.24 to x = 2 with p(2) = −1 < 0 and p'(2) = 3 > 0,
    # so it must stop there, naming the cubic (not go on to find the root 1 and fail on x² − 5 later)
    cost = Cost()
    with pytest.raises(InvalidArgument, match=r"coefficients \(-1, -5, 5\) has a non-integer root$"):
        integer_roots((-1, -5, 5), cost)
    assert cost.observed == 3  # x = 4, 3, 2
    assert integer_roots((-3, 2)) == (1, 2)


# ---------------------------------------------------------------- reduction


def test_f2_grouped_exact() -> None:
    assert reduction._f2_grouped(1) == (
        [], "n=1: all 10 s of S_1 from the target's texts: the target conditioned on s holds only (a, b) "
        "with a·b = s, exactly flint's factorizations")


def test_f2_grouped_reports_a_wrong_factorizer(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(reduction, "backend_factorizer", lambda f, n: lambda s: [(1, s)])
    bad, text = reduction._f2_grouped(1)
    assert len(bad) == 10 and text.startswith("n=1: all 10 s of S_1")
    assert "s=4: the target's continuations [(2, 2)] ≠ flint's factorizations [(1, 4)]" in bad


def test_F4_refuted_branches_exact(monkeypatch: pytest.MonkeyPatch) -> None:
    real = reduction.ceil_half_log10

    def fake(n: int, digits_of: object, pairs: object) -> str | None:
        return f"main{n}" if digits_of is real and n == 2 else None if digits_of is real else f"alt{n}"

    monkeypatch.setattr(reduction, "footnote3_counterexample", fake)
    v = reduction.check_F4(Level.QUICK)
    problems = ("⌈digits(s)/2⌉: alt1", "main2", "⌈digits(s)/2⌉: alt2", "⌈digits(s)/2⌉: alt3")
    assert v.outcome is Outcome.REFUTED and v.evidence == problems and v.counterexample == "⌈digits(s)/2⌉: alt1"
    assert v.scope == "S_n exhaustively for n ≤ 3; all of S_n for n ≤ 20 by monotonicity at the extreme primes"
    assert v.method == "exact integer arithmetic: ⌈½ log₁₀ s⌉ = least k with s ≤ 100^k (no floating log)"


# ---------------------------------------------------------------- randomized tasks


def test_R4_seconds_from_the_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(randomized_tasks, "time", FakeClock(0.25))
    v = randomized_tasks.check_R4(Level.QUICK)
    assert v.outcome is Outcome.HOLDS and v.seconds == 0.25


def test_R5_refuted_when_exact_counting_is_not_exact(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(randomized_tasks, "det_prime_tvd", lambda n, m: Fraction(1, 7))
    monkeypatch.setattr(randomized_tasks, "time", FakeClock(0.5))
    v = randomized_tasks.check_R5(Level.QUICK)
    problems = tuple(f"n={n}: m = n (exact counting only) gives tvd 1/7, not 0" for n in range(1, 5))
    assert v.outcome is Outcome.REFUTED and v.evidence == problems and v.counterexample == problems[0]
    assert v.seconds == 0.5
    scope_pairs = [(n, m) for n in range(1, 5) for m in range(1, n + 1)] + [(2, 0), (3, 0)]
    assert v.scope == ("(n, m) in " + ", ".join(f"({n},{m})" for n, m in scope_pairs) + "; every n-digit text; "
                       "the reading checked: a fixed number m of exactly counted last digits")
    assert v.method.startswith("exact induced law of the generator (integral of 1/ln x")
    assert v.data == {"R5_tvd": [{"n": n, "m": m, "tvd": "1/7", "tvd_float": 1 / 7} for n, m in scope_pairs]}


# ---------------------------------------------------------------- worlds


def test_flint_roots_rejects_non_linear_factors() -> None:
    assert worlds.flint_roots((-3, 2)) == (1, 2)
    with pytest.raises(ValueError, match=r"^flint_roots: factor x\^2 \+ x \+ 1 is not monic linear$"):
        worlds.flint_roots((1, 1))
    with pytest.raises(ValueError, match=r"^flint_roots: factor x\^2 \+ 1 is not monic linear$"):
        worlds.flint_roots((0, 1))


def test_G3_refuted_when_roots_are_not_recovered(monkeypatch: pytest.MonkeyPatch) -> None:
    real = worlds.flint_roots
    monkeypatch.setattr(worlds, "flint_roots", lambda coeffs: () if coeffs == (1,) else real(coeffs))
    monkeypatch.setattr(worlds, "time", FakeClock(1.5))
    v = worlds.check_G3(Level.QUICK)
    assert v == Verdict(Outcome.REFUTED, "G3", "roots", (), "n=1, R=1: roots of '1' not recovered", 1.5, {})


def test_G3_refuted_when_the_world_differs(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(worlds, "compare_world", lambda *args: "boom")
    v = worlds.check_G3(Level.QUICK)
    assert (v.outcome, v.scope, v.method, v.evidence, v.counterexample, v.data) == (
        Outcome.REFUTED, "G3", "exact", (), "n=1, R=1: boom", {})


def test_g3_cost_row_times_from_the_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(worlds, "time", FakeClock(0.5))
    row = worlds.g3_cost_row(3, 1, run_ar=True)
    # the AR sample replayed independently: same seed, after the three roots were drawn
    rng = random.Random(3)
    for _ in range(3):
        rng.randint(-1, 1)
    task = polynomial(3, 1)
    text = sample(task.phi, task.prompt, rng, max_len=task.max_len)
    tokens = len(text) + 1
    assert task.cost.tokens == tokens
    assert row["newton_ms"] == 500.0 and row["flint_ms"] == 500.0
    assert row["ar_ms_per_token"] == round(500 / tokens, 3)
    assert isinstance(row["ar_ms_per_token"], float)
    assert "ar_ms_per_token" not in worlds.g3_cost_row(3, 1, run_ar=False)


def test_F1_refuted_branch_exact(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(reduction, "f1_mismatch", lambda phi, n: f"bad{n}" if n == 2 else None)
    monkeypatch.setattr(reduction, "time", FakeClock(0.75))
    v = reduction.check_F1(Level.QUICK)
    assert [s.outcome for s in v.statements] == [Outcome.REFUTED]
    assert replace(v, statements=()) == Verdict(
        Outcome.REFUTED, "n = 1..2: all 457 tuples", "exact induced law (tree expansion) vs the explicit Unif(S_n)",
        ("bad2",), counterexample="bad2", seconds=0.75,
        data={"F1_exact": [{"n": 1, "tuples": 16, "equal": True}, {"n": 2, "tuples": 441, "equal": False}]})


def test_grouped_shard_one_s_per_shard() -> None:
    # n = 1: primes 2, 3, 5, 7; s ranges over [4, 49], 46 values: with 46 shards each holds exactly one s
    primes = (2, 3, 5, 7)
    for i in range(46):
        s = 4 + i
        pairs = [(p, q) for p in primes for q in primes if p * q == s]
        want = {"pairs": len(pairs), "distinct": 1 if pairs else 0, "bad_groups": 0,
                "squares": sum(1 for p, q in pairs if p == q)}
        assert reduction.grouped_shard(1, i, 46) == want, s
    # two shards: [4, 27) and [27, 50)
    assert reduction.grouped_shard(1, 0, 2) == {"pairs": 13, "distinct": 8, "bad_groups": 0, "squares": 3}
    assert reduction.grouped_shard(1, 1, 2) == {"pairs": 3, "distinct": 2, "bad_groups": 0, "squares": 1}


def test_R5_unknown_branch_exact(monkeypatch: pytest.MonkeyPatch) -> None:
    # tvd 1/((m+1)·n) below the diagonal, 0 on it: falls with m, and does not grow with n
    monkeypatch.setattr(randomized_tasks, "det_prime_tvd", lambda n, m: Fraction(0) if m == n else Fraction(1, (m + 1) * n))
    monkeypatch.setattr(randomized_tasks, "time", FakeClock(0.5))
    v = randomized_tasks.check_R5(Level.QUICK)
    scope_pairs = [(n, m) for n in range(1, 5) for m in range(1, n + 1)] + [(2, 0), (3, 0)]
    assert v.outcome is Outcome.UNKNOWN and v.counterexample is None and v.seconds == 0.5
    assert v.scope == ("(n, m) in " + ", ".join(f"({n},{m})" for n, m in scope_pairs) + "; every n-digit text; "
                       "the reading checked: a fixed number m of exactly counted last digits")
    assert v.data == {"R5_tvd": [{"n": n, "m": m, "tvd": str(Fraction(0) if m == n else Fraction(1, (m + 1) * n)),
                                  "tvd_float": 0.0 if m == n else 1 / ((m + 1) * n)} for n, m in scope_pairs]}
    assert v.evidence[0] == "m=0 fixed: tvd vs n = n=2: 0.5, n=3: 0.333"
    assert v.evidence[1] == "m=1 fixed: tvd vs n = n=2: 0.25, n=3: 0.167, n=4: 0.125"
    assert v.evidence[-1] == "corrected statement: for every n in scope the TVD falls strictly as m grows (HOLDS on this scope)"


def test_G4_refuted_at_the_first_m(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(worlds, "compare_world", lambda *args: "boom")
    monkeypatch.setattr(worlds, "time", FakeClock(2.0))
    assert worlds.check_G4(Level.QUICK) == Verdict(Outcome.REFUTED, "G4", "exact", (), "m=1: boom", 2.0, {})


def test_g4_cost_row_exact_with_the_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(worlds, "time", FakeClock(0.5))
    game = mystery(2, 8)
    text = sample(game.phi, game.prompt, random.Random(2), max_len=game.max_len)
    tokens = len(text) + 1
    assert game.cost.tokens == tokens
    assert worlds.g4_cost_row(2) == {
        "m": 2, "clues": 8, "tokens": tokens, "ar_suspects_examined": game.cost.examined,
        "ar_suspects_per_token": round(game.cost.examined / tokens, 1),
        "ar_hashes_per_token": round(game.cost.observed / tokens, 1),
        "ar_ms_per_token": round(500 / tokens, 3), "committed_suspects": 1, "committed_hashes": 8,
    }


def test_R3_refuted_branch_exact(monkeypatch: pytest.MonkeyPatch) -> None:
    def violations(self: randomized_tasks.PrimeCertificate) -> list[str]:
        return ["v1", "v2", "v3", "v4"] if self.n == 1 else []

    def fake_random_prime(n: int) -> object:
        task = real_random_prime(n)
        if n != 2:
            return task
        return SimpleNamespace(phi_r=task.phi_r, prompt=task.prompt, primes=lambda: task.primes()[:-1])

    monkeypatch.setattr(randomized_tasks.PrimeCertificate, "violations", violations)
    monkeypatch.setattr(randomized_tasks, "random_prime", fake_random_prime)
    monkeypatch.setattr(randomized_tasks, "time", FakeClock(0.5))
    v = randomized_tasks.check_R3(Level.QUICK)
    problems = ("n=1: v1", "n=1: v2", "n=1: v3", "n=2: n=2: the normalised step laws do not compose to Unif(primes)")
    assert v.outcome is Outcome.REFUTED and v.counterexample == "n=1: v1" and v.seconds == 0.5
    assert v.evidence[:4] == problems and len(v.evidence) == 4 + 3 + 2
    assert v.scope == "n = 1..3 digits, all primes, every reachable prefix; 16 coin choices per digit"
    assert v.method == "enumerate_runs per prefix (certified residual), composed as sub-stochastic products"
    rows = v.data["R3_certificates"]
    assert isinstance(rows, list) and [r["n"] for r in rows] == [1, 2, 3] and rows[1]["primes"] == 20
    assert all(r["step_laws_exact"] is True and r["budget"] == 16 for r in rows)
    assert list(rows[0]) == ["n", "primes", "budget", "prefixes", "residual", "residual_float", "step_laws_exact"]
    assert rows[0]["prefixes"] == 5  # "" and the four 1-digit primes


def test_g1_cost_row_exact_with_the_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(worlds, "time", FakeClock(0.5))
    row = worlds.g1_cost_row(3, questions=4)
    game = SecretGame(hash_universe(3), tuple(hash_bit_question(i) for i in range(4)))
    text = sample(game.phi, game.prompt, random.Random(1), max_len=game.max_len)
    tokens = game.cost.tokens
    assert tokens == len(text) + 1
    assert row["b"] == 3 and row["universe"] == 8 and row["questions"] == 4 and row["tokens"] == tokens
    assert row["ar_ms_per_token"] == round(500 / tokens, 3)
    assert row["committed_ms_total"] == 500.0
    assert row["committed_objects"] == 1 and row["committed_hashes_per_answer"] == 1.0


def test_reduction_setup_digit_limit() -> None:
    prompt, prefix, max_len = reduction._reduction_setup(4, 8)
    assert prefix == "[4," and max_len == 36 and "8-digit" in prompt
    with pytest.raises(InvalidArgument, match=r"^n must be an int between 1 and 8, got 9$"):
        reduction._reduction_setup(4, 9)


def test_cost_rows_exact_with_the_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(reduction, "time", FakeClock(0.25))
    rows = reduction.cost_rows(3, 3, 1, 2)
    assert [r["n"] for r in rows] == [1, 2, 3]
    assert [r["trial_seconds"] for r in rows] == [0.25, None, None]  # None: not run at that n
    assert [r["sympy_seconds"] for r in rows] == [0.25, 0.25, None]
    assert [r["flint_seconds"] for r in rows] == [0.25, 0.25, 0.25]
    assert all(r["backends_agree"] is True and r["samples"] == 3 and r["multiplications_per_product_token"] == 1
               for r in rows)
    floors = {1: 1, 2: 5, 3: 50}
    assert all(int(str(r["trial_divisions_min"])) >= floors[int(str(r["n"]))] for r in rows)


def test_suite_tasks_per_level() -> None:
    base = ["G1 animals, 4 questions", "G1 SHA-256, b=4, 4 questions", "G2 sudoku, erasable cells 0-2",
            "G3 polynomial n=2, R=3", "G3 polynomial n=3, R=2", "G4 mystery m=12, 3 clues",
            "R1 uniform number, 2 digits", "R3 random prime, n=1", "F1 [p,q,pq], n=1", "F2 [pq,p,q], n=1"]
    quick = escapes.suite_tasks(Level.QUICK)
    standard = escapes.suite_tasks(Level.STANDARD)
    deep = escapes.suite_tasks(Level.DEEP)
    assert [name for name, _ in quick] == base
    big = [x.replace("2 digits", "3 digits") for x in base]
    assert [name for name, _ in standard] == big
    assert [name for name, _ in deep] == [x.replace("cells 0-2", "cells 0-3") for x in big]
    q, s, d = dict(quick), dict(standard), dict(deep)
    assert q["R1 uniform number, 2 digits"] == uniform_number(2) and s["R1 uniform number, 3 digits"] == uniform_number(3)
    assert q["G2 sudoku, erasable cells 0-2"] == sudoku(range(3)) and d["G2 sudoku, erasable cells 0-3"] == sudoku(range(4))
    assert q["G3 polynomial n=2, R=3"] == polynomial(2, 3) and q["G3 polynomial n=3, R=2"] == polynomial(3, 2)
    assert q["R3 random prime, n=1"] == real_random_prime(1)
    assert q["F1 [p,q,pq], n=1"] == semiprime_triple(1, "p,q,pq") and q["F2 [pq,p,q], n=1"] == semiprime_triple(1, "pq,p,q")
    animals, sha, story = q["G1 animals, 4 questions"], q["G1 SHA-256, b=4, 4 questions"], q["G4 mystery m=12, 3 clues"]
    assert isinstance(animals, SecretGame) and isinstance(sha, SecretGame) and isinstance(story, SecretGame)
    assert len(animals.observations) == 4 and len(sha.observations) == 4 and sha.universe == hash_universe(4)
    assert len(story.universe) == 12 and len(story.observations) == 3


def test_prime_certificate_violations_exact() -> None:
    cert = randomized_tasks.PrimeCertificate(
        1, 4, {"2": Fraction(1, 2), "4": Fraction(1, 10), "3": Fraction(1, 8)}, Fraction(1, 20), (), 5,
        Fraction(0), {})
    assert cert.violations() == [
        "'4' is not an 1-digit prime but has probability ≥ 1/10",
        "'2' has probability ≥ 1/2 > 1/4",
        "'3' has probability ≤ 7/40 < 1/4",
        "'5' has probability ≤ 1/20 < 1/4",
        "'7' has probability ≤ 1/20 < 1/4",
    ]
    assert cert.tvd_bound() == Fraction(1, 20)


def test_certify_prime_generator_counts_prefixes() -> None:
    for n in (1, 2):
        task = real_random_prime(n)
        cert = randomized_tasks.certify_prime_generator(task.phi_r, n, 16, task.prompt)
        primes = [str(p) for p in n_digit_primes(n)]
        reachable = {p[:k] for p in primes for k in range(n + 1)}
        assert cert.prefixes == len(reachable)
        assert not cert.step_errors and cert.violations() == []
        assert sum(cert.lower.values()) + cert.residual == 1


def _small_foundation_scopes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(foundation, "time", FakeClock(0.5))
    monkeypatch.setitem(foundation.S1_SCOPES, Level.QUICK, (
        ("position", foundation.Family("position", 1, 2, (0, 1))), ("table", foundation.Family("table", 1, 1, (0, 1)))))
    monkeypatch.setitem(foundation.S2_SCOPES, Level.QUICK, ((foundation.Family("randomized", 1, 1, (0, 1)), 2),))
    monkeypatch.setitem(foundation.S3_SCOPES, Level.QUICK, ((1, 1, (1, 2), None),))


def test_s1_verdict_small_scope_exact(monkeypatch: pytest.MonkeyPatch) -> None:
    _small_foundation_scopes(monkeypatch)
    pos, tab = "position(|Σ|=1, L=2, weights {0, 1})", "table(|Σ|=1, L=1, weights {0, 1})"
    # laws over {a, STOP} with weights in {0, 1}: 3; position: G[0], G[1], G[2] → 27 models; table: T[""], T["a"] → 9
    assert foundation.s1_verdict(Level.QUICK) == Verdict(
        Outcome.HOLDS,
        f"every model of: {pos}; {tab} (position: φ(x) = G[|x|]; table: φ(x) = T[x]; laws over Σ∪{{STOP}} with grid weights)",
        "exhaustive; induced vs an independent Fraction recursion; Σ P = 1 or NonTerminating.mass = leaked",
        (f"{pos}: 27 models, 19 sum to exactly 1, 8 leak the exact mass",
         f"{tab}: 9 models, 5 sum to exactly 1, 4 leak the exact mass"),
        seconds=0.5,
        data={"families": [{"family": pos, "models": 27, "stop_by_L": 19, "leak": 8},
                           {"family": tab, "models": 9, "stop_by_L": 5, "leak": 4}]},
        statements=(foundation.s1_statement(Level.QUICK, Outcome.HOLDS),))
    assert foundation.s1_statement(Level.QUICK, Outcome.HOLDS).text.startswith(f"for every model φ of {pos}; {tab}: ")
    v = foundation.s1_verdict(Level.QUICK, _always_a)
    assert (v.outcome, v.scope, v.method, v.evidence, v.seconds) == (
        Outcome.REFUTED, pos, "induced vs an independent Fraction recursion", (f"model 1 of family {pos}",), 0.5)
    assert v.counterexample is not None and v.counterexample.endswith("; model: " + foundation._show_table(
        next(iter(foundation.position_models(foundation.Family("position", 1, 2, (0, 1)))))))


def test_s2_verdict_small_scope_exact(monkeypatch: pytest.MonkeyPatch) -> None:
    _small_foundation_scopes(monkeypatch)
    fam = "randomized(|Σ|=1, L=1, weights {0, 1})"
    # 3 laws at the prefix "" (STOP forced after 'a'), 1 or 2 of them per prefix: 3 + 9 = 12 models
    assert foundation.s2_verdict(Level.QUICK) == Verdict(
        Outcome.HOLDS,
        f"every randomized table model of: {fam} with 1..2 laws per prefix (STOP forced at length L)",
        "exhaustive; induced(derandomize(φ_r, max_flips=1)) == law of sampling φ_r with fresh coins, "
        "computed independently as a Fraction mixture per prefix; polytime-ness of γ is not checked",
        (f"{fam}, 1..2 laws per prefix (a fair coin picks one): 12 models, all equal",),
        seconds=0.5, data={"families": [{"family": fam, "laws_per_prefix": 2, "models": 12}]},
        statements=(foundation.s2_statement(Level.QUICK, Outcome.HOLDS),))
    assert f"model φ_r of {fam} with 1..2 laws per prefix: " in foundation.s2_statement(Level.QUICK, Outcome.HOLDS).text
    v = foundation.s2_verdict(Level.QUICK, induce=_always_a)
    assert (v.outcome, v.scope, v.method, v.evidence, v.seconds) == (
        Outcome.REFUTED, f"{fam}, 1..2 laws per prefix", "induced(derandomize(φ_r)) vs the Fraction mixture of φ_r's laws",
        (f"model 1 of family {fam}",), 0.5)
    assert v.counterexample is not None and v.counterexample.startswith("induced(derandomize) = {'a': 1} but sampling")


def test_s3_verdict_small_scope_exact(monkeypatch: pytest.MonkeyPatch) -> None:
    _small_foundation_scopes(monkeypatch)
    scope = "|Σ|=1, texts of length ≤ 1, all supports, weights in {1, 2}"
    # texts "", "a"; weights {1, 2}: two point masses and three two-point laws
    assert foundation.s3_verdict(Level.QUICK) == Verdict(
        Outcome.HOLDS, f"every D of: {scope}", "exhaustive; induced(chain_rule(D), max_len=L) == D as exact distributions",
        (f"{scope}: 5 distinct D, all round-trip exactly",), seconds=0.5,
        data={"grids": [{"sigma": 1, "max_len": 1, "weights": "(1, 2)", "max_support": 2, "texts": 2, "dists": 5}]},
        statements=(foundation.s3_statement(Level.QUICK, Outcome.HOLDS),))
    assert foundation.s3_statement(Level.QUICK, Outcome.HOLDS).text.startswith(f"for every law D of: {scope}: ")
    v = foundation.s3_verdict(Level.QUICK, induce=_always_a)
    assert (v.outcome, v.scope, v.method, v.evidence, v.seconds) == (
        Outcome.REFUTED, scope, "induced(chain_rule(D)) == D, exact", ("D number 1 of the grid",), 0.5)
    assert v.counterexample is not None and v.counterexample.startswith("D = {")
    assert v.counterexample.endswith(": induced(chain_rule(D)) = {'a': 1}")


def _probe(level: Level) -> Verdict:
    return Verdict(Outcome.HOLDS, f"level {level.value}", "probe")


def _crash(level: Level) -> Verdict:
    raise ValueError("boom")


def _not_a_verdict(level: Level) -> int:
    return 3


def test_run_one_and_run_claims_in_process(monkeypatch: pytest.MonkeyPatch) -> None:
    import checkers.verdict as verdict_module

    monkeypatch.setattr(verdict_module, "zz_probe", _probe, raising=False)
    monkeypatch.setattr(verdict_module, "zz_crash", _crash, raising=False)
    monkeypatch.setattr(verdict_module, "zz_int", _not_a_verdict, raising=False)
    monkeypatch.setattr(claims, "time", FakeClock(0.25))
    assert claims._run_one("checkers.verdict:zz_probe", Level.DEEP) == _probe(Level.DEEP)
    assert claims._run_one("checkers.verdict:zz_crash", Level.QUICK) == Verdict(
        Outcome.ERROR, "none", "checkers.verdict:zz_crash", ("checkers.verdict:zz_crash raised ValueError: boom",),
        seconds=0.25)
    assert claims._run_one("checkers.verdict:zz_int", Level.QUICK).evidence == (
        "checkers.verdict:zz_int raised TypeError: checkers.verdict:zz_int returned int, not a Verdict",)
    assert claims._run_one("checkers.verdict:PASSING", Level.QUICK) == Verdict(
        Outcome.NOT_CHECKED, "none", "checkers.verdict:PASSING", ("checkers.verdict:PASSING has not landed",))
    probe = Claim("Z1", "s", "q", "m", Outcome.HOLDS, ("checkers.verdict:zz_probe",))
    results = list(claims.run_claims([probe, probe], Level.STANDARD))
    assert [r.verdict.scope for r in results] == ["level standard", "level standard"]
    assert all(r.matches for r in results)
    both = Claim("Z2", "s", "q", "m", Outcome.HOLDS, ("checkers.verdict:zz_probe", "checkers.verdict:zz_crash"))
    r = claims.run_claim(both, Level.QUICK)
    assert r.verdict.outcome is Outcome.ERROR and r.verdict.scope == "level quick; none"
    assert r.verdict.method == "probe + checkers.verdict:zz_crash"


def _ok_row(name: str, task: object, **kwargs: object) -> escapes.Row:
    return escapes.Row(name, True, "fine", Fraction(0), {})


def test_E2_forgetful_counterpart_not_caught_is_refuted(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[object] = []

    def row(name: str, task: object, *, persist: bool = True) -> escapes.Row:
        if not persist:
            seen.append(task)
        return _ok_row(name, task)

    monkeypatch.setattr(escapes, "e2_row", row)
    monkeypatch.setattr(escapes, "time", FakeClock(0.5))
    v = escapes.check_E2(Level.QUICK)
    names = [name for name, _ in escapes.suite_tasks(Level.QUICK)]
    assert [s.outcome for s in v.statements] == [Outcome.REFUTED]
    assert replace(v, statements=()) == Verdict(
        Outcome.REFUTED, f"{len(names) + 1} tasks: " + "; ".join(names + ["counterpart"]),
        "exact law over every activation draw (enumerate_runs over the generation loop)",
        tuple(f"{n}: fine" for n in names) + ("counterpart: a forgetful model passed", "counterpart NOT caught"),
        "counterpart: a forgetful model passed", 0.5,
        {"e2": [{"task": n, "exact": True, "residual": "0", "note": "fine"} for n in names]
         + [{"task": "counterpart", "exact": False, "residual": "0", "note": "a forgetful model passed"}]})
    (small,) = seen
    assert isinstance(small, SecretGame) and small.universe == hash_universe(2) and len(small.observations) == 2


def test_E3_bit_table_exact(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(escapes, "e3_row", _ok_row)
    monkeypatch.setattr(escapes, "time", FakeClock(0.5))
    v = escapes.check_E3(Level.QUICK)
    assert v.outcome is Outcome.HOLDS and v.seconds == 1.0 and v.counterexample is None
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


class _FixedSudoku(Sudoku):
    """A Sudoku task whose target is a given law (to drive check_sudoku_target's failures)."""

    law: Dist[str] = Dist.point("." * 16)

    def target(self) -> Dist[str]:
        return self.law


def _fixed_sudoku(law: Dist[str], erasable: int) -> _FixedSudoku:
    task = _FixedSudoku(erasable)
    object.__setattr__(task, "law", law)
    return task


def test_check_sudoku_target_failures_exact() -> None:
    grids = solution_grids()
    g = grids[0]
    assert worlds.check_sudoku_target(_fixed_sudoku(Dist.uniform(grids), 0)) is None
    assert worlds.check_sudoku_target(_fixed_sudoku(Dist.point(g), 0)) == "the solution grid is not uniform over the 288 grids"
    assert worlds.check_sudoku_target(_fixed_sudoku(Dist.point("." * 16), 0)) == f"puzzle {'.' * 16!r} has 288 solutions"
    # a full grid with cell 0 erasable: erasing it keeps the solution unique, so it should have gone
    assert worlds.check_sudoku_target(_fixed_sudoku(Dist.point(g), 1)) == f"puzzle {g!r} still has an erasable given"
    # blank the cells where g differs from its nearest other grid: several grids fit the givens
    h = min((x for x in grids if x != g), key=lambda x: sum(a != b for a, b in zip(g, x)))
    p = "".join("." if a != b else a for a, b in zip(g, h))
    count = sum(all(c == "." or c == x[i] for i, c in enumerate(p)) for x in grids)
    assert count >= 2
    assert worlds.check_sudoku_target(_fixed_sudoku(Dist.point(p), 0)) == f"puzzle {p!r} has {count} solutions"


def test_G2_refuted_branches_exact(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(worlds, "time", FakeClock(0.5))
    monkeypatch.setattr(worlds, "check_sudoku_target", lambda task: "err")
    assert worlds.check_G2(Level.QUICK) == Verdict(
        Outcome.REFUTED, "G2", "target", ("288 solution grids (reference 288)",), "err", 0.5, {})
    monkeypatch.setattr(worlds, "solution_grids", lambda: solution_grids()[:-1])
    assert worlds.check_G2(Level.QUICK) == Verdict(
        Outcome.REFUTED, "G2", "grid count", (), "287 solution grids, reference 288", 0.5, {})


def test_question_sequences_counts() -> None:
    pool = animal_questions()[:3]
    seqs = list(worlds.question_sequences(pool, 2))
    assert len(seqs) == 1 + 3 + 9 and seqs[0] == () and seqs[1] == (pool[0],) and seqs[-1] == (pool[2], pool[2])


def test_G1_refuted_branches_exact(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(worlds, "time", FakeClock(0.5))
    monkeypatch.setattr(worlds, "compare_world", lambda *args: "boom")
    assert worlds.check_G1(Level.QUICK) == Verdict(
        Outcome.REFUTED, "G1", "exact induced law vs target", (), "animals, questions []: boom", 0.5, {})
    monkeypatch.setattr(worlds, "compare_world", lambda *args: None)
    monkeypatch.setattr(worlds, "_check_regeneration", lambda game, answers, evidence: f"err {answers}")
    # 5 animal questions and 4 hash questions, sequences of length <= 3: 1 + 5 + 25 + 125 and 1 + 4 + 16 + 64
    seen = ("animals (8 objects): all 156 sequences of <= 3 of 5 questions: AR = committed = target",
            "integers below 2^3 (8 objects): all 85 sequences of <= 3 of 4 questions: AR = committed = target")
    assert worlds.check_G1(Level.QUICK) == Verdict(
        Outcome.REFUTED, "G1 regeneration", "exact reveal law", seen, "err yn", 0.5, {})
    monkeypatch.setattr(worlds, "_check_regeneration", lambda game, answers, evidence: None)
    monkeypatch.setattr(worlds, "answerer_verdict", lambda game, phi: Verdict(Outcome.HOLDS, "s", "m"))
    assert worlds.check_G1(Level.QUICK) == Verdict(
        Outcome.REFUTED, "G1 counterpart", "exact induced law",
        seen + ("counterpart (answers from an unconditioned uniform object): HOLDS: None",),
        "the broken answerer was not caught", 0.5, {})


def test_F2_small_scope_every_route_exact(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(reduction._F2_SCOPE, Level.QUICK, (1, 1, (1,), (1,)))
    monkeypatch.setattr(reduction, "time", FakeClock(0.5))
    v = reduction.check_F2(Level.QUICK)
    routes = ["chain rule, every s", "numpy grouping, sharded", "target texts grouped by s"]
    assert v.outcome is Outcome.HOLDS and v.seconds == 3.5
    assert v.scope == ("every s in S_n for n = 1..1: exact continuation laws of chain_rule(target) for n ≤ 1, "
                       "grouped tuples (numpy) for n = 1")
    assert v.method == "exact continuation law induced(φ, prompt, prefix='[s,') and sampled runs of factor_with"
    assert v.data == {"F2_runs": [{"n": 1, "method": m, "seconds": 0.5, "failures": 0} for m in routes]}
    assert v.evidence == (reduction._f2_exhaustive(1, True)[1], reduction._f2_numpy(1)[1], reduction._f2_grouped(1)[1])
    assert v.evidence[1].startswith("n=1 (numpy, 8 shards of s): 16 ordered pairs, 10 distinct s;")
    monkeypatch.setattr(reduction, "factor_with", lambda phi, s, n: (1, s))
    v = reduction.check_F2(Level.QUICK)
    ss = (4, 6, 9, 10, 14, 15, 21, 25, 35, 49)
    problems = tuple(f"s={s}: factor_with returned (1, {s}): 1 and {s} are not both 1-digit primes" for s in ss)
    assert v.outcome is Outcome.REFUTED and v.evidence == problems and v.counterexample == problems[0]
    rows = v.data["F2_runs"]
    assert isinstance(rows, list) and rows[0]["failures"] == 10 and rows[2]["failures"] == 0


def _digit_model(first: Dist[str]) -> TableModel:
    return TableModel(DIGITS, {"": first, **{d: Dist.point(STOP) for d in "0123456789"}}, 1)


def test_uniform_number_mismatch_messages_exact() -> None:
    assert randomized_tasks.uniform_number_mismatch(uniform_number(2).phi, 2) is None
    skewed = _digit_model(Dist({"1": Fraction(2, 3), "2": Fraction(1, 3)}))
    assert randomized_tasks.uniform_number_mismatch(skewed, 1) == "not uniform: P('1') = 2/3, while 1/9 is the target"
    assert randomized_tasks.uniform_number_mismatch(_digit_model(Dist.uniform("012345678")), 1) == (
        "'0' (not a 1-digit number) has probability 1/9")
    assert randomized_tasks.uniform_number_mismatch(_digit_model(Dist.uniform("12")), 1) == "'3' has probability 0, not 1/9"


def test_R1_refuted_branch_exact(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(randomized_tasks, "uniform_number_mismatch", lambda phi, digits: f"bad {digits}")
    monkeypatch.setattr(randomized_tasks, "time", FakeClock(0.5))
    v = randomized_tasks.check_R1(Level.QUICK)
    assert [s.outcome for s in v.statements] == [Outcome.REFUTED]
    assert replace(v, statements=()) == Verdict(
        Outcome.REFUTED, "all 900000 six-digit numbers (every response of the model, exactly)",
        "exact induced law (tree expansion); uniform iff #support = common denominator; support = 100000..999999",
        ("bad 6",), counterexample="bad 6", seconds=0.5)


def test_R4_refuted_branches_exact(monkeypatch: pytest.MonkeyPatch) -> None:
    real = n_digit_primes
    counts = {n: len(real(n)) for n in range(1, 7)}
    monkeypatch.setattr(randomized_tasks, "expected_tries", lambda n, primes: [Fraction(10**9)] * n)
    monkeypatch.setattr(randomized_tasks, "n_digit_primes", lambda n: () if n == 2 else real(n))
    monkeypatch.setattr(randomized_tasks, "time", FakeClock(0.5))
    v = randomized_tasks.check_R4(Level.QUICK)
    problems = []
    for n in range(1, 7):
        if n == 2:
            problems.append("n=2: the numpy sieve disagrees with spec's")
        problems.append(f"n={n}: a digit's expected tries exceeds 1/density = {Fraction(9 * 10 ** (n - 1), counts[n])}")
    assert v.outcome is Outcome.REFUTED and v.evidence == tuple(problems) and v.counterexample == problems[0]
    assert v.seconds == 0.5 and v.scope == "n = 1..6, every digit position, every reachable prefix"
    assert v.method == ("closed form E[tries | x] = 1/q(x) (geometric), averaged exactly over the prefix law; "
                        "numpy sieve to 10^6")
    rows = v.data["R4_expected_tries"]
    assert isinstance(rows, list) and [r["primes"] for r in rows] == [counts[n] for n in range(1, 7)]
    assert rows[0] == {"n": 1, "primes": 4, "per_digit": ["1000000000"], "per_digit_float": [1e9], "total": "1000000000",
                       "total_float": 1e9, "inverse_density": 2.25, "total_over_n2": 1e9}


def _broken_prime_phi_r(prompt: str, prefix: str, coins: Coins) -> Dist[str]:
    return Dist.uniform(["2", STOP]) if prefix == "" else Dist.point("3")


def test_certify_prime_generator_reports_broken_steps() -> None:
    cert = randomized_tasks.certify_prime_generator(_broken_prime_phi_r, 1, 4)
    assert sorted(cert.step_errors) == sorted([
        "after '': P(next = '2') = 1/2 within budget, not c(2)/c() = 1/4",
        "after '': P(next = '[STOP]') = 1/2 within budget, not c([STOP])/c() = 0",
        "after '2': mass 1 continues past 1 digits",
    ])
    assert cert.lower == {"": Fraction(1, 2)} and cert.residual == Fraction(1, 2) and cert.prefixes == 2
    assert cert.normalised == {"": Fraction(1, 2)} and cert.worst_step_residual == 0


def _raises(exc: type[Exception], message: str, f: Callable[[], object]) -> None:
    with pytest.raises(exc) as info:
        f()
    assert str(info.value) == message


def test_spec_error_messages_exact() -> None:
    _raises(InvalidArgument, "x must be an int in 1..3, got 5", lambda: check_int(5, "x", least=1, most=3))
    _raises(InvalidArgument, "x must be an int >= 1, got 0", lambda: check_int(0, "x", least=1))
    _raises(InvalidText, "alphabet: no symbols (Σ must be non-empty)", lambda: alphabet(""))
    _raises(InvalidText, "alphabet: symbol 'ab' is not a one-character str", lambda: alphabet(["ab"]))
    _raises(InvalidText, "tuple text '[4,2,x]': symbol 'x' at position 5 is not in the alphabet ',0123456789[]'",
            lambda: parse_tuple("[4,2,x]", "pq,p,q", 1))
    _raises(InvalidText, "tuple text '[4,2,3]': 2·3 = 6, not 4", lambda: parse_tuple("[4,2,3]", "pq,p,q", 1))
    _raises(InvalidText, "tuple text '[4,1,4]': p = 1 is not an 1-digit prime", lambda: parse_tuple("[4,1,4]", "pq,p,q", 1))
    _raises(InvalidText, "tuple text '[143,11,13]': p = 11 is not an 3-digit prime", lambda: parse_tuple("[143,11,13]", "pq,p,q", 3))
    _raises(InvalidText, "tuple text '[22,11,2]': q = 2 is not an 2-digit prime", lambda: parse_tuple("[22,11,2]", "pq,p,q", 2))
    _raises(InvalidArgument, "p = 4 is not prime", lambda: check_prime(4, 1))
    _raises(InvalidArgument, "sudoku: erasable cell 16 is not an int in 0..15", lambda: sudoku([16]))
    _raises(NotAPredicate, "observation 'q': read must be callable, got 3", lambda: Observation("q", "yn", 3))  # type: ignore[arg-type]
    _raises(InvalidArgument, "Twenty Questions: object name 'a=' must be a non-empty str without '='",
            lambda: SecretGame(("a=",), ()))
    _raises(InvalidArgument, "hash_bit_question: i must be an int in 0..255, got 256", lambda: hash_bit_question(256))
    _raises(InvalidArgument, "det_prime n must be an int between 1 and 8, got 0", lambda: det_prime(0, 0))
    _raises(InvalidArgument, "det_prime: m must be an int in 0..n=3, got 'a'", lambda: det_prime(3, "a"))  # type: ignore[arg-type]
    _raises(InvalidArgument, "polynomial: the root range R must be an int >= 1, got 0", lambda: polynomial(2, 0))
    _raises(InvalidArgument, "polynomial: the root range R must be an int >= 1, got True", lambda: polynomial(2, True))
    _raises(InvalidArgument, "polynomial: the number of roots n must be an int >= 1, got 0", lambda: polynomial(0, 1))
    _raises(InvalidDistribution, "Dist: no item has positive probability (empty support)", lambda: Dist({}))
    assert polynomial(1, 1).n == 1


def test_spec_small_facts() -> None:
    assert is_n_digit_prime(11, 2) and is_n_digit_prime(101, 3)
    assert not is_n_digit_prime(23, 3) and not is_n_digit_prime(7, 2)
    assert mystery(3, 2).title == "Mystery"
    assert suspect_names(12) == tuple("abcdefghijkl")
    assert suspect_names(30)[-3:] == ("bb", "bc", "bd") and len(set(suspect_names(30))) == 30
    game = SecretGame(("a", "b"), (Question("q?", lambda s: s == "a"),))
    assert game.consistent("y") == ["a"] and game.consistent("n") == ["b"] and game.consistent("") == ["a", "b"]
    _raises(ZeroMass, "Twenty Questions: no consistent object's name starts with 'a' after 'n'",
            lambda: game.phi(game.prompt, "n=a"))


def test_e1_row_budget_only_for_rejection_loops() -> None:
    # five coin choices (one per root): more hidden symbols than the default budget of 4, but no rejection loop,
    # so the whole law is enumerated (no residual)
    assert escapes.e1_row("p", polynomial(5, 1)) == escapes.Row("p", True, "law = target exactly", Fraction(0), {})
    row = escapes.e1_row("r", real_random_prime(1), max_hidden=1)
    assert row.ok and row.residual == Fraction(5, 9)
    assert row.note == "law on runs within budget = (1 − 5/9)·target exactly; TVD <= 5/9"




def test_certify_identity_names_the_side_and_keeps_the_residual() -> None:
    xy = {"x": "real", "y": "real"}
    _raises(InvalidArgument, "rhs: 'y + z' uses undeclared symbols ['z']", lambda: certify_identity("x", "y + z", xy))
    _raises(InvalidArgument, "lhs: 'w' uses undeclared symbols ['w']", lambda: certify_identity("w", "x", xy))
    _raises(InvalidArgument, "rhs: expected a non-empty expression string, got ''", lambda: certify_identity("x", "", xy))
    cert = certify_identity("x + y", "Min(x, y)", xy)
    assert cert == Certificate("x + y = Min(x, y)", "", "x + y - Min(x, y)") and not cert.holds
    cert = certify_identity("Min(x, y)", "x", {**xy, "d": "nonnegative"}, substitute={"y": "x + d"}, case="c")
    assert cert == Certificate("Min(x, y) = x", "c", "0") and cert.line() == (
        "sympy: Min(x, y) = x [case c]: certified (expand/cancel residual 0)")


def test_seeded_law_stops_a_model_running_past_max_len() -> None:
    def chatty(prompt: str, coins: Coins) -> str:
        return "aaa"

    _raises(AssertionError, "seeded model runs past max_len at seed 0",
            lambda: escapes.seeded_law(chatty, "p", 2, max_len=1))
    law, exhausted, steps, random_steps = escapes.seeded_law(chatty, "p", 2, max_len=3)
    assert law == Dist.point("aaa") and (exhausted, steps, random_steps) == (0, 8, 0)


def test_answerer_verdict_consistent_but_skewed_and_inconsistent() -> None:
    game = SecretGame(("a", "b"), (Question("is it a?", lambda s: s == "a"),))

    def skewed(prompt: str, prefix: str) -> Dist[str]:
        return Dist({"y": Fraction(3, 4), "n": Fraction(1, 4)}) if prefix == "" else game.phi(prompt, prefix)

    v = worlds.answerer_verdict(game, skewed, start=0.0)
    assert (v.outcome, v.scope, v.method) == (Outcome.REFUTED, "2 objects, 1 questions", "exact induced law")
    assert v.evidence == ("TVD to the target 1/4", "0 inconsistent transcripts, total mass 0")
    assert v.counterexample == "answerer: P('n=b') = 1/4, target 1/2; TVD 1/4"

    def liar(prompt: str, prefix: str) -> Dist[str]:
        fixed = {"y=": Dist.point("b"), "y=b": Dist.point(STOP)}
        return fixed[prefix] if prefix in fixed else game.phi(prompt, prefix)

    v = worlds.answerer_verdict(game, liar)
    assert v.evidence == ("TVD to the target 1/2", "1 inconsistent transcripts, total mass 1/2")
    assert v.counterexample == "transcript 'y=b' has probability 1/2 but no object answers so (target 0); TVD 1/2"
    held = worlds.answerer_verdict(game, game.phi)
    assert held.outcome is Outcome.HOLDS and held.evidence == ("2 transcripts, law = target",)


def test_compare_world_names_the_side_that_differs() -> None:
    game = SecretGame(("a", "b"), (Question("is it a?", lambda s: s == "a"),))
    target = game.target()
    seen: list[str] = []

    def skewed(prompt: str, prefix: str) -> Dist[str]:
        seen.append(prompt)
        return Dist({"y": Fraction(3, 4), "n": Fraction(1, 4)}) if prefix == "" else game.phi(prompt, prefix)

    assert worlds.compare_world(target, game.phi, game.algo, game.prompt, game.max_len, 1) is None
    bad = worlds.compare_world(target, skewed, game.algo, "the prompt", game.max_len, 1)
    assert str(bad) == "autoregressive: P('n=b') = 1/4, target 1/2; TVD 1/4" and set(seen) == {"the prompt"}
    bad = worlds.compare_world(target, game.phi, lambda prompt, coins: "y=a", game.prompt, game.max_len, 1)
    assert str(bad) == "committed: P('n=b') = 0, target 1/2; TVD 1/2"


def test_trial_division_count_matches_the_run_for_small_primes() -> None:
    primes = [p for p in range(2, 80) if all(p % d for d in range(2, p))]
    for p in primes:
        for q in primes:
            td = TrialDivision()
            assert td(p * q) == sorted([p, q])
            assert trial_division_count(p, q) == td.divisions, (p, q)
    assert trial_division_count(2, 2) == 1 and trial_division_count(2, 3) == 1 and trial_division_count(3, 3) == 2


def test_overlap_and_tvd_name_themselves_on_bad_arguments() -> None:
    d = Dist.uniform("ab")
    _raises(InvalidDistribution, "overlap: the second argument is a dict, not a Dist", lambda: overlap(d, {"a": 1}))  # type: ignore[arg-type]
    _raises(InvalidDistribution, "overlap: the first argument is a str, not a Dist", lambda: overlap("a", d))  # type: ignore[arg-type]
    _raises(InvalidDistribution, "tvd: the second argument is a int, not a Dist", lambda: tvd(d, 3))  # type: ignore[arg-type]
    assert overlap(d, Dist.uniform("bc")) == Fraction(1, 2) == 1 - tvd(d, Dist.uniform("bc"))
