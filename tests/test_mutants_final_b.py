"""Tests that kill surviving mutants of checkers.appendix, checkers.smt_reduction and checkers.gauntlet.

mutmut forks its workers from a process that has already imported the checkers, so module-level
objects (OVERLAP_FINAL, PERTURBATIONS, ...) were built by the original code: these tests call the
factories (_lemma, _final, _s4_step_without, _recheck_obligation, ...) afresh so that a mutant of
the factory is what runs. Obligations are evaluated three ways on hand-picked values: their exact
Fraction body, their z3 body (substitute + simplify) and an independent transcription of the
statement; a flipped inequality, a sign or a wrong variable makes the three disagree.
"""

from __future__ import annotations

import itertools
import math
import random
from collections.abc import Callable, Mapping
from fractions import Fraction
from typing import Any

import pytest
import z3

from checkers import appendix as ov
from checkers import factoring, foundation, gauntlet
from checkers.smt import ProofAttempt
from checkers.verdict import Level, Outcome, Verdict
from spec import appendix as appendix_math
from spec.appendix import Vector

F = Fraction
Values = dict[str, Fraction]
Expected = Callable[[Values], tuple[list[bool], bool]]


# --- obligations: exact body = z3 body = the statement transcribed by hand ---------------------------


def _z3_truth(term: Any, values: Mapping[str, Fraction]) -> bool:
    subs = [(z3.Real(x), z3.RealVal(f"{q.numerator}/{q.denominator}")) for x, q in values.items()]
    out = z3.simplify(z3.substitute(term, *subs))
    assert z3.is_true(out) or z3.is_false(out), out
    return bool(z3.is_true(out))




def _item_expected(v: Values) -> list[bool]:
    N, a, p, lam = v["N"], v["a"], v["p"], v["lam"]
    return [N >= 1, a >= 0, a <= 1, p >= 0, p <= 1, lam >= 0]


LEMMA_VALUES = [dict(zip(("N", "a", "p", "lam"), xs)) for xs in itertools.product(
    (F(1, 2), F(1), F(2), F(3)), (F(-1), F(0), F(1, 3), F(1), F(2)), (F(-1), F(0), F(1, 2), F(1), F(3, 2)),
    (F(-1), F(0), F(1), F(3)))]








def _final_values() -> list[Values]:
    out = []
    for N, lam, O, dP, dT, dm in itertools.product((F(1, 2), F(1), F(2)), (F(-1), F(0), F(1, 2), F(1)),
                                                   (F(-1, 2), F(0), F(1, 2), F(1), F(2)), (F(0), F(1, 4)),
                                                   (F(0), F(-1, 4)), (F(0), F(1, 2))):
        P = lam * lam * N + dP
        out.append({"N": N, "T": N * O + dT, "P": P, "lam": lam, "O": O, "m": P / N + dm})
    return out






# --- _z3_optimal: its SMT-LIB header and its exact re-check --------------------------------------------






# --- A2 / A3: the REFUTED branches, driven by broken inputs -------------------------------------------


def test_a2_instances_count_per_level() -> None:
    def grid_count(n_max: int, den: int) -> int:
        return sum(math.comb(den + n - 1, n - 1) * (den + 1) ** n for n in range(1, n_max + 1))

    assert len(ov._a2_instances(Level.QUICK)) == grid_count(2, 2) + 40 == 70
    assert len(ov._a2_instances(Level.STANDARD)) == grid_count(3, 2) + 200
    assert len(ov._a2_instances(Level.DEEP)) == grid_count(3, 3) + 1000 == 1708
    deep = ov._a2_instances(Level.DEEP)
    assert max(len(p) for _, p in deep[:708]) == 3 and all(x.denominator in (1, 3) for _, p in deep[:708] for x in p)


def test_check_a2_refuted_branch(monkeypatch: pytest.MonkeyPatch) -> None:
    instances = [((F(1),), (F(1, 2),)), ((F(1, 2), F(1, 2)), (F(1), F(0)))]
    monkeypatch.setattr(ov, "_a2_instances", lambda level: instances)
    monkeypatch.setattr(ov, "overlap", lambda d1, d2: F(0))
    v = ov.check_A2(Level.QUICK)
    assert v.outcome is Outcome.REFUTED
    assert v.counterexample == "a=['1'], p=['1/2']: overlap 0 vs Σmin 1/2"
    assert v.evidence[-1] == "2 mismatches"


def test_check_a3_refuted_branch(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ov, "lp_optimum_certified", lambda p: (False, F(1), F(2)))
    fake = ProofAttempt(Outcome.PROVED, (), "", None, 0, 0)
    monkeypatch.setattr(ov, "_z3_optimal", lambda p, value: fake)
    v = ov.check_A3(Level.QUICK)
    count = sum(math.comb(d + n, n) for n in range(1, 4) for d in range(1, 5))
    assert v.outcome is Outcome.REFUTED
    assert v.scope == (f"all sorted p on grids {{0,1/d,…,1}}^N, N ≤ 3, d ≤ 4 ({count} profiles); "
                       "4 seeded p with N ≤ 8 for z3")
    assert v.method.startswith("greedy (Fractions) = LP dual value")
    assert v.counterexample == "p=['1']: greedy 1, dual 2"
    assert v.evidence == (f"{count} mismatches", "z3 (linear) proved O(a, p) ≤ greedy(p) for all a on 4/4 seeded profiles")
    assert isinstance(v.seconds, float) and 0 <= v.seconds < 60 and dict(v.data) == {}


# --- foundation.prove_conditioning_naive (used by the benchmarks) ---------------------------------


def test_prove_conditioning_naive_row_fields() -> None:
    r = foundation.prove_conditioning_naive(1, 1)
    assert (r.outcome, r.k, r.L, r.encoding, r.queries, r.num_vars, r.num_assertions, r.counterexample) == (
        Outcome.PROVED, 1, 1, "naive", 1, 4, 8, None)
    assert isinstance(r.seconds, float) and r.seconds >= r.z3_seconds > 0
    assert r.evidence[0].startswith("z3: unsat in ") and r.evidence[1].startswith("cvc5: unsat in ")
    assert r.evidence[2].startswith("problem: logic QF_NRA, 4 variables, 8 assertions, ")
    row = r.row()
    assert {k: row[k] for k in ("k", "L", "encoding", "outcome", "queries", "vars", "assertions")} == {
        "k": 1, "L": 1, "encoding": "naive", "outcome": "PROVED", "queries": 1, "vars": 4, "assertions": 8}


def test_prove_conditioning_naive_refuted_names_the_offending_pair(monkeypatch: pytest.MonkeyPatch) -> None:
    original = foundation.naive_problem
    monkeypatch.setattr(foundation, "naive_problem", lambda k, L: original(k, L, drop=""))
    r = foundation.prove_conditioning_naive(1, 1)
    assert (r.outcome, r.encoding, r.queries, r.num_vars, r.num_assertions) == (Outcome.REFUTED, "naive", 1, 4, 7)
    assert r.counterexample == ("after prefix '' φ gives text '' probability 1/2, but D conditioned on '' gives 0; "
                                "model: D_0 = 1/2, D_e = 0, phi_e_0 = 1/2, phi_e_S = 1/2")
    assert r.evidence[-1] == "counterexample (exactly re-checked): D_0 = 1/2, D_e = 0, phi_e_0 = 1/2, phi_e_S = 1/2"
    assert isinstance(r.seconds, float) and r.seconds >= 0


# --- gauntlet: the S4 step perturbations and the obligation re-check -----------------------------------

STEP_VARS = {"D0", "M", "M_0", "Qx_0", "d_0", "fS", "f_0", "m", "m_0", "q_0"}




def _model_verdict(model: Mapping[str, Fraction]) -> Verdict:
    return Verdict(Outcome.REFUTED, "s", "m", counterexample="c", data={"model": {k: str(x) for k, x in model.items()}})






def _data_verdict(data: Mapping[str, object]) -> Verdict:
    return Verdict(Outcome.REFUTED, "s", "m", counterexample="c", data=data)


def test_recheck_a2_a3_a5_a6_accept_the_real_counterexample_and_reject_a_tweak() -> None:
    a2 = {"a": ["1", "0"], "p": ["1", "1"], "overlap": "1/2"}
    assert gauntlet._recheck_a2(_data_verdict(a2)) is None
    assert gauntlet._recheck_a2(_data_verdict({"a": ["1", "0", "0"], "p": ["1", "1", "1"], "overlap": "1/3"})) is None
    no = "the instance satisfies Σ a p after all"
    assert gauntlet._recheck_a2(_data_verdict({**a2, "overlap": "1"})) == no
    assert gauntlet._recheck_a2(_data_verdict({"a": ["1/2", "1/2"], "p": ["1", "1"], "overlap": "1"})) == no
    assert gauntlet._recheck_a2(_data_verdict({"a": ["1", "0"], "p": ["1/2", "1"], "overlap": "1/2"})) == no

    a3 = {"p": ["0", "1/2"], "value": "0", "optimum": "1/2"}
    assert gauntlet._recheck_a3(_data_verdict(a3)) is None
    assert gauntlet._recheck_a3(_data_verdict({**a3, "value": "1/4"})) == "the values do not re-check"
    assert gauntlet._recheck_a3(_data_verdict({**a3, "optimum": "0"})) == "the values do not re-check"
    assert gauntlet._sourest_first([F(1, 2), F(1), F(0)]) == (F(0), F(0), F(1))
    assert gauntlet._sourest_first([F(1), F(3, 4)]) == (F(1, 3), F(2, 3))

    assert gauntlet._recheck_a5(_model_verdict({"a0": F(1), "p0": F(1)})) is None
    assert gauntlet._recheck_a5(_model_verdict({"a0": F(1), "p0": F(0)})) == "O² ≤ (99/100)·mean p on the model"

    a6 = {"p": ["1/2", "0"], "a": ["1", "0"], "eps": "251/1000", "tvd": "1/2"}
    no6 = "the tight instance does not violate TVD ≥ 1 − ε"
    assert gauntlet._recheck_a6(_data_verdict(a6)) is None
    assert gauntlet._recheck_a6(_data_verdict({**a6, "eps": "1/4"})) == no6
    assert gauntlet._recheck_a6(_data_verdict({**a6, "a": ["0", "1"]})) == no6
    assert gauntlet._recheck_a6(_data_verdict({**a6, "eps": "1/2"})) == no6  # TVD 1/2 = 1 − ε, not below

    assert gauntlet._recheck_r4(_data_verdict({"n": 1, "worst": "9/4"})) is None
    assert gauntlet._recheck_r4(_data_verdict({"n": 2, "worst": "x"})) is None


def test_recheck_pair_checks_sums_and_the_statement() -> None:
    recheck = gauntlet._recheck_pair(lambda p, q: gauntlet._plain_tvd(p, q) > F(1, 2))
    assert recheck(_data_verdict({"pair": [{"c": "1"}, {"b": "1"}]})) is None
    assert recheck(_data_verdict({"pair": [{"c": "1"}, {"c": "1"}]})) == "the pair satisfies the perturbed statement after all"
    assert recheck(_data_verdict({"pair": [{"c": "1/2"}, {"c": "1"}]})) == "the counterexample's laws do not sum to 1"
    assert recheck(_data_verdict({"pair": [{"c": "1"}, {"c": "1/2", "b": "1/4"}]})) == (
        "the counterexample's laws do not sum to 1")
    p, q = {"a": F(1, 2), "b": F(1, 2)}, {"a": F(1, 4), "c": F(3, 4)}
    assert gauntlet._plain_tvd(p, q) == F(3, 4) and gauntlet._plain_overlap(p, q) == F(1, 4)
    assert gauntlet._plain_tvd(q, p) == F(3, 4) and gauntlet._plain_overlap(q, p) == F(1, 4)


def test_run_one_reports_a_crash_as_error() -> None:
    def boom() -> Verdict:
        raise ZeroDivisionError("no")

    v = gauntlet.run_one(gauntlet.Perturbation("X", "desc", boom))
    assert (v.outcome, v.scope, v.method, v.evidence) == (Outcome.ERROR, "none", "desc", ("ZeroDivisionError: no",))


# --- sketch_steps: every step's fields, with the cached all-N / AM-HM proofs replaced by stubs ---------


def _stub_proofs(monkeypatch: pytest.MonkeyPatch, outcome: Outcome) -> None:
    monkeypatch.setattr(ov, "prove_amhm_all_k", lambda: Verdict(outcome, "s", "m", ("amhm line",), data={"x": 1}))
    monkeypatch.setattr(ov, "prove_overlap_bound_all_n", lambda: Verdict(outcome, "s", "m", ("all-N line",)))


SKETCH_NAMES = [
    "the greedy sweetness equals k/N for an integer k (as written)",
    "corrected: sweetness = k/N + r·p_(k+1) with 0 ≤ r·p_(k+1) < 1/N, so k/N ≤ opt < (k+1)/N",
    "k²/N ≤ Σ_{i≤k} p_i given Σ_{i≤k} 1/p_i = N ('by concavity'; it is AM-HM / convexity of 1/x)",
    "k/N < √ε from k²/N ≤ Σ p_i < N·ε (k = fully poured drinks; √ compared by squaring)",
    "k/N < √ε with k counting the partly poured drink (the off-by-one taken the other way)",
    "the off-by-one does not matter: opt² ≤ mean p < ε, so opt < √ε (for the exact optimum)",
]








def test_exact_and_z3_logic_agree_on_the_connectives() -> None:
    E, Z = ov._ExactLogic, ov._Z3Logic
    for x, y in itertools.product((False, True), repeat=2):
        zx, zy = z3.BoolVal(x), z3.BoolVal(y)
        assert E.And(x, y) is (x and y) and z3.is_true(z3.simplify(Z.And(zx, zy))) is (x and y)
        assert E.Or(x, y) is (x or y) and z3.is_true(z3.simplify(Z.Or(zx, zy))) is (x or y)
        assert E.Not(x) is (not x) and z3.is_true(z3.simplify(Z.Not(zx))) is (not x)
        assert E.Implies(x, y) is ((not x) or y) and z3.is_true(z3.simplify(Z.Implies(zx, zy))) is ((not x) or y)
        assert E.If(x, F(1), F(2)) == (F(1) if x else F(2))
        assert z3.simplify(Z.If(zx, Z.num(1), Z.num(2))) == z3.simplify(Z.num(1 if x else 2))
    assert E.And() is True and E.Or() is False and E.And(True, True, False) is False and E.Or(False, False, True) is True
    assert E.Min(F(1, 3), F(1, 2)) == F(1, 3) and E.Min(F(1, 2), F(1, 3)) == F(1, 3)
    assert E.num(3) == F(3) and isinstance(E.num(3), Fraction)
    assert z3.simplify(Z.Min(Z.num(F(1, 3)), Z.num(F(1, 2)))) == z3.simplify(Z.num(F(1, 3)))
    assert z3.simplify(Z.Min(Z.num(F(1, 2)), Z.num(F(-1, 3)))) == z3.simplify(Z.num(F(-1, 3)))
    assert str(Z.num(F(-3, 4))) == "-3/4" and str(Z.num(2)) == "2"
    assert ov._fold_sum([F(1), F(2), F(3)]) == 6 and str(ov._fold_sum([z3.Real("x")])) == "x"


def test_pair_text_names_the_offending_pair_or_says_none_was_found() -> None:
    fine = {"D_0": F(1, 2), "D_e": F(1, 2), "phi_e_0": F(1, 2), "phi_e_S": F(1, 2)}
    assert foundation.offending_pair(1, 1, fine) is None
    assert foundation._pair_text(1, 1, fine) == (
        "a model (no offending pair found on recomputation): D_0 = 1/2, D_e = 1/2, phi_e_0 = 1/2, phi_e_S = 1/2")
    bad = {**fine, "D_e": F(0)}
    assert foundation.offending_pair(1, 1, bad) == ("", "", F(1, 2), F(0))
    assert foundation._pair_text(1, 1, bad) == (
        "after prefix '' φ gives text '' probability 1/2, but D conditioned on '' gives 0; "
        "model: D_0 = 1/2, D_e = 0, phi_e_0 = 1/2, phi_e_S = 1/2")


# --- A5's data: the direct frontier per level, the plot rows, the A5 verdict with stubbed proofs -----------


def _fake_direct(calls: list[tuple[int, str, float]], fail: set[tuple[int, str]]) -> Callable[..., ProofAttempt]:
    from checkers.smt import SolverAnswer, SolverRun

    def fake(n: int, kind: str, *, timeout_s: float) -> ProofAttempt:
        calls.append((n, kind, timeout_s))
        bad = (n, kind) in fail
        runs = (SolverRun("z3", SolverAnswer.UNKNOWN if bad else SolverAnswer.UNSAT, 0.5, "", None),
                SolverRun("cvc5", SolverAnswer.UNSAT, 1.25, "", None))
        return ProofAttempt(Outcome.UNKNOWN if bad else Outcome.PROVED, runs, "", None, 1, 1)

    return fake


def test_direct_frontier_per_level(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[tuple[int, str, float]] = []
    monkeypatch.setattr(ov, "prove_direct", _fake_direct(calls, set()))
    rows = ov._direct_frontier(Level.QUICK)
    assert calls == [(1, "relaxed", 20.0), (2, "relaxed", 20.0)]
    assert [(r["N"], r["encoding"], r["verdict"], r["runs"]) for r in rows] == [
        (1, "relaxed", "PROVED", "z3 unsat 0.50s; cvc5 unsat 1.25s"), (2, "relaxed", "PROVED", "z3 unsat 0.50s; cvc5 unsat 1.25s")]
    assert all(isinstance(r["seconds"], float) and 0 <= float(str(r["seconds"])) < 5 for r in rows)
    calls.clear()
    ov._direct_frontier(Level.STANDARD)
    assert calls == [(1, "relaxed", 20.0), (2, "relaxed", 20.0), (1, "projected", 20.0), (2, "projected", 20.0)]
    calls.clear()
    monkeypatch.setattr(ov, "prove_direct", _fake_direct(calls, {(3, "plain"), (1, "sorted")}))
    rows = ov._direct_frontier(Level.DEEP)
    assert calls == [(1, "plain", 60.0), (2, "plain", 60.0), (3, "plain", 60.0), (1, "sorted", 60.0),
                     *((n, k, 60.0) for k in ("relaxed", "projected", "hinted") for n in (1, 2, 3, 4))]
    assert [r["verdict"] for r in rows][:4] == ["PROVED", "PROVED", "UNKNOWN", "UNKNOWN"]
    assert rows[2]["runs"] == "z3 unknown 0.50s; cvc5 unsat 1.25s"


def test_plot_rows_at_quick() -> None:
    rows = ov._plot_rows(Level.QUICK)
    assert len(rows) == 60 + 44
    rng = random.Random(5)
    for r in rows[:60]:
        n = rng.randint(1, 8)
        p = tuple(F(rng.randint(0, 12), 12) for _ in range(n))
        assert r == {"N": n, "mean_p": str(sum(p) / n), "opt": str(appendix_math.greedy(p).value), "mean_p_float": float(sum(p) / n),
                     "opt_float": float(appendix_math.greedy(p).value), "tight": False}
    tight = [(n, k) for n in range(1, 9) for k in range(n + 1)]
    for r, (n, k) in zip(rows[60:], tight):
        assert r == {"N": n, "mean_p": str(F(k * k, n * n)), "opt": str(F(k, n)), "mean_p_float": k * k / (n * n),
                     "opt_float": k / n, "tight": True}
    assert len(ov._plot_rows(Level.STANDARD)) == 300 + 44


def test_sqrt_upper_and_tvd_lower_bounds() -> None:
    assert ov._sqrt_upper(F(1, 10), 3) == F(317, 1000)  # 0.316² < 0.1 ≤ 0.317²
    assert ov._sqrt_upper(F(1, 4), 2) == F(1, 2) and ov._sqrt_upper(F(1, 100), 1) == F(1, 10)
    assert ov._sqrt_upper(F(2), 0) == 2 and ov._sqrt_upper(F(0), 2) == 0
    rows = ov.tvd_lower_bounds([2, 3], 3)
    assert rows == [
        {"eps": "1/100", "exponent": 2, "u_ge_sqrt_eps": "1/10", "tvd_lower_bound": "9/10", "tvd_lower_bound_float": 0.9,
         "u_squared_ge_eps": True, "u_tight_on_grid": True},
        {"eps": "1/1000", "exponent": 3, "u_ge_sqrt_eps": "4/125", "tvd_lower_bound": "121/125",
         "tvd_lower_bound_float": 0.968, "u_squared_ge_eps": True, "u_tight_on_grid": True}]
    default = ov.tvd_lower_bounds()
    assert [r["exponent"] for r in default] == list(range(1, 13))
    assert default[0]["u_ge_sqrt_eps"] == "3162277661/10000000000"
    assert all(r["u_tight_on_grid"] is True for r in default)


def test_grid_scope_per_level() -> None:
    assert [ov._grid_scope(x) for x in (Level.QUICK, Level.STANDARD, Level.DEEP)] == [(3, 4), (4, 6), (5, 8)]




# --- the other obligations' bodies (A4's AM-HM, k/N < √ε, A6's step, the direct encodings) -------------

SMALL = (F(-1), F(0), F(1, 2), F(1), F(2))








# --- gauntlet: the data each perturbation carries (what the re-checks read; the snapshot pins only text) -----

GAUNTLET_DATA: dict[int, dict[str, object]] = {
    6: {'pair': [{'c': '1'}, {'c': '1'}]},
    7: {'pair': [{'c': '1'}, {'b': '1'}]},
    8: {'pair': [{'c': '1'}, {'b': '1'}]},
    9: {'a': ['1', '0'], 'p': ['1', '1'], 'overlap': '1/2'},
    11: {'model': {'D0': '0', 'M': '0', 'M_0': '0', 'Qx_0': '0', 'd_0': '0', 'fS': '1', 'f_0': '0', 'm': '-1', 'm_0': '0', 'q_0': '0'}},
    12: {'model': {'D0': '0', 'M': '0', 'M_0': '0', 'Qx_0': '0', 'd_0': '0', 'fS': '0', 'f_0': '0', 'm': '-1', 'm_0': '0', 'q_0': '0'}},
    17: {'n': 1, 'worst': '9/4'},
    22: {'model': {'M0': '1/2', 'a1': '2', 'b1': '5', 'p1': '3', 'q1': '2', 's': '6', 'u0': '1/2', 'u1': '1', 'u2': '1/2', 'u3': '1/2', 'u4': '1', 'v0': '3/8', 'v1': '15/16', 'v2': '3/8', 'v3': '31/32', 'v4': '4096/4185'}},
    23: {'n': 2, 'min': '7'},
    27: {'model': {'M0': '1/3', 'a1': '6', 'b1': '1', 'c1': '2', 'd1': '2', 's': '4', 'u0': '2/3', 'u1': '2/3', 'u2': '2/3', 'u3': '2/3', 'u4': '2/3', 'v0': '1/3', 'v1': '1/3', 'v2': '1/3', 'v3': '1/3', 'v4': '1/3'}},
    28: {'p': ['0', '1/2'], 'value': '0', 'optimum': '1/2'},
    29: {'model': {'N': '2', 'p1': '1', 'p2': '1'}},
    30: {'model': {'a0': '1', 'p0': '1'}},
    31: {'model': {'N': '3', 'O': '5/8', 'P': '3/4', 'T': '15/8', 'lam': '1/2', 'm': '1/4'}},
    32: {'model': {'N': '4', 'a': '1/2', 'lam': '1', 'p': '3/4'}},
    33: {'p': ['1/2', '0'], 'a': ['1', '0'], 'eps': '251/1000', 'tvd': '1/2'},
    42: {'claim': 'F3', 'uses': ['F2'], 'outcome': 'UNKNOWN', 'rests_on': ['F2', 'X1'],
         'first_evidence': "the verdict (HOLDS given X1) rests on X1, which F3's uses (F2) do not list: what it "
                           "takes as given is not in the argument graph"},
}




# --- _run_obligations, _all_lengths, check_S4, prove_claim1, ConditioningProof.row -----------------------






def test_conditioning_proof_row_rounds_each_time() -> None:
    p = foundation.ConditioningProof(Outcome.PROVED, 2, 3, "decomposed", 4, 5, 6, 0.12345, 1.23456, 2.34567, ("e",))
    assert p.row() == {"k": 2, "L": 3, "encoding": "decomposed", "outcome": "PROVED", "queries": 4, "vars": 5,
                       "assertions": 6, "z3_s": 0.123, "cvc5_s": 1.235, "seconds": 2.346}


def test_prove_claim1_rechecks_a_model_exactly(monkeypatch: pytest.MonkeyPatch) -> None:
    x = z3.Real("x")
    monkeypatch.setattr(factoring, "claim1_problem", lambda n: ([x >= 1, x <= 1], x == 2))
    attempt = factoring.prove_claim1(2)
    assert attempt.outcome is Outcome.REFUTED and dict(attempt.counterexample or {}) == {"x": F(1)}
    assert attempt.smtlib.splitlines()[0] == (
        "; Claim 1 over S_2: from [s, every completion a,b] with a*b != s has probability 0")
    monkeypatch.setattr(factoring, "claim1_problem", lambda n: ([x >= 1], x >= 0))
    assert factoring.prove_claim1(1).outcome is Outcome.PROVED


def _fake_attempt(outcome: Outcome, cex: Mapping[str, Fraction] | None = None) -> ProofAttempt:
    from checkers.smt import SolverAnswer, SolverRun

    runs = (SolverRun("z3", SolverAnswer.SAT if cex else SolverAnswer.UNSAT, 0.25, "", None),
            SolverRun("cvc5", SolverAnswer.UNSAT, 0.5, "", None))
    return ProofAttempt(outcome, runs if cex is None else runs[:1], "", cex, 3, 4)




def test_check_a1_branches_with_stubbed_reduction(monkeypatch: pytest.MonkeyPatch) -> None:
    from spec import Dist

    keeps: list[tuple[int, int]] = []

    def model(n: int, *, keep: Callable[[int, int], int]) -> Dist[str]:
        keeps.append((keep(2, 7), keep(3, 3)))
        return Dist.uniform([f"t{i}" for i in range(n + 1)])

    monkeypatch.setattr(ov, "factoring_model", model)
    monkeypatch.setattr(ov, "reduction_success", lambda law, n: (10 * n, []))
    v = ov.check_A1(Level.STANDARD)
    assert v.outcome is Outcome.HOLDS and v.counterexample is None
    assert v.scope == "n in (1, 2, 3); two correct-only φ per n (chain rule of a law on S_n)"
    assert v.method == ("exact: induced(φ, prefix='[s,') for every s in the support; a·b = s and both n-digit primes")
    labels = ("all of S_n, weights 1+(pq mod 3)", "subset: pairs with (p+q) mod 3 != 0")
    assert v.evidence == tuple(f"n={n}, {lab}: {n + 1} tuples, {10 * n} semiprimes s, all factored with probability 1"
                               for n in (1, 2, 3) for lab in labels)
    assert dict(v.data) == {"A1": [{"n": n, "support": lab, "texts": n + 1, "semiprimes": 10 * n, "failures": 0}
                                   for n in (1, 2, 3) for lab in labels]}
    assert keeps[:2] == [(1 + 14 % 3, 1 + 9 % 3), (0, 0)]  # weights 1+(pq mod 3); (p+q) mod 3 != 0
    assert ov.check_A1(Level.QUICK).scope.startswith("n in (1, 2);")

    monkeypatch.setattr(ov, "reduction_success",
                        lambda law, n: (10 * n, [(6, F(1, 2)), (10, F(0))] if n == 2 and len(keeps) % 2 == 0 else []))
    keeps.clear()
    v = ov.check_A1(Level.DEEP)
    assert (v.outcome, v.scope, v.method) == (Outcome.REFUTED, "n in (1, 2, 3)", "exact induced law after prefix '[s,'")
    assert v.counterexample == "s=6 factored with probability 1/2"
    assert v.evidence == (f"n=1, {labels[0]}: 2 tuples, 10 semiprimes s, all factored with probability 1",
                          f"n=1, {labels[1]}: 2 tuples, 10 semiprimes s, all factored with probability 1",
                          f"n=2, {labels[0]}: 3 tuples, 20 semiprimes s, all factored with probability 1",
                          f"n=2, {labels[1]}: 2 failures, e.g. (6, Fraction(1, 2))")
    assert dict(v.data) == {"A1": [
        {"n": 1, "support": labels[0], "texts": 2, "semiprimes": 10, "failures": 0},
        {"n": 1, "support": labels[1], "texts": 2, "semiprimes": 10, "failures": 0},
        {"n": 2, "support": labels[0], "texts": 3, "semiprimes": 20, "failures": 0},
        {"n": 2, "support": labels[1], "texts": 3, "semiprimes": 20, "failures": 2}]}
    assert isinstance(v.seconds, float) and 0 <= v.seconds < 60


def test_check_a3_holds_and_unknown_branches(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[tuple[Vector, Fraction]] = []

    def fake(p: Vector, value: Fraction) -> ProofAttempt:
        seen.append((p, value))
        return _fake_attempt(Outcome.PROVED if len(seen) != 2 else Outcome.UNKNOWN)

    monkeypatch.setattr(ov, "_z3_optimal", fake)
    monkeypatch.setattr(ov, "lp_optimum_certified", lambda p: (True, F(0), F(0)))
    v = ov.check_A3(Level.STANDARD)
    count = sum(math.comb(d + n, n) for n in range(1, 6) for d in range(1, 5))
    rng = random.Random(3)
    profiles = []
    for _ in range(12):
        n = rng.randint(1, 8)
        profiles.append(tuple(F(rng.randint(0, 9), 9) for _ in range(n)))
    assert seen == [(p, appendix_math.greedy(p).value) for p in profiles]
    assert v.outcome is Outcome.UNKNOWN and v.counterexample is None
    assert v.scope == (f"all sorted p on grids {{0,1/d,…,1}}^N, N ≤ 5, d ≤ 4 ({count} profiles); "
                       "12 seeded p with N ≤ 8 for z3")
    assert v.evidence == (f"{count} profiles: greedy value = dual value = attained value",
                          "z3 (linear) proved O(a, p) ≤ greedy(p) for all a on 11/12 seeded profiles",
                          f"p={[str(x) for x in profiles[1]]}: z3 UNKNOWN")
    assert dict(v.data) == {"z3_optimality": [
        {"N": len(p), "p": str([str(x) for x in p]), "greedy": str(appendix_math.greedy(p).value),
         "z3": "UNKNOWN" if i == 1 else "PROVED"} for i, p in enumerate(profiles)]}
    seen.clear()
    seen.extend([((), F(0)), ((), F(0))])  # so that every call now returns PROVED
    v = ov.check_A3(Level.QUICK)
    assert v.outcome is Outcome.HOLDS and len(v.evidence) == 2 and len(seen) == 2 + 4
    assert v.evidence[1] == "z3 (linear) proved O(a, p) ≤ greedy(p) for all a on 4/4 seeded profiles"










# --- gauntlet perturbations driven through their other branches -----------------------------------------


def test_e1_short_alphabet_drops_exactly_one_hidden_option(monkeypatch: pytest.MonkeyPatch) -> None:
    from checkers import escapes
    from spec import Dist, with_hidden_tokens

    captured: list[Any] = []
    real = escapes.hidden_runs

    def spy(model: Any, prompt: str, **kw: Any) -> Any:
        captured.append((model, prompt, kw))
        return real(model, prompt, **kw)

    monkeypatch.setattr(escapes, "hidden_runs", spy)
    v = gauntlet._e1_hidden_alphabet_short_by_one()
    assert v.outcome is Outcome.REFUTED and v.counterexample == "P('nn=ant') = 0, target 1/6"
    ((short, prompt, kw),) = captured
    game = gauntlet._small_game()
    assert prompt == game.prompt and kw == {"max_public": game.max_len, "max_hidden": 8}
    full = with_hidden_tokens(game.algo)(prompt, "", "")
    moves = sorted(full.support)
    assert len(moves) == 6 and short(prompt, "", "") == Dist.uniform(moves[:-1])
    for hidden in ("\x00", "\x05"):  # after the hidden draw the move is public: left unchanged
        assert short(prompt, "", hidden) == with_hidden_tokens(game.algo)(prompt, "", hidden)


def test_e3_short_seed_branches(monkeypatch: pytest.MonkeyPatch) -> None:
    from checkers import escapes

    game = gauntlet._small_game()
    monkeypatch.setattr(escapes, "seeded_law", lambda *a, **k: (game.target(), None, None, None))
    v = gauntlet._e3_short_seed()
    assert (v.outcome, v.scope, v.method) == (Outcome.HOLDS, "6 animals, seed space 5",
                                              "E3's seeded_law (every seed decoded deterministically)")
    monkeypatch.setattr(escapes, "seeded_law", lambda *a, **k: (None, None, None, None))
    v = gauntlet._e3_short_seed()
    assert (v.outcome, v.counterexample, v.method) == (Outcome.REFUTED, "no seed finished", "E3's seeded_law")


def test_a6_without_root_needs_a_strict_gap(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(gauntlet, "tvd", lambda d1, d2: F(749, 1000))  # = 1 − ε exactly at N = 2, k = 1
    v = gauntlet._a6_without_root()
    assert v.counterexample == "N=3, k=1: mean p < ε = 1009/9000 but TVD = 749/1000 < 1 − ε"
    assert dict(v.data) == {"p": ["1/3", "0", "0"], "a": ["1", "0", "0"], "eps": "1009/9000", "tvd": "749/1000"}
    monkeypatch.setattr(gauntlet, "tvd", lambda d1, d2: F(1))
    v = gauntlet._a6_without_root()
    assert (v.outcome, v.scope, v.method) == (Outcome.HOLDS, "tight family, N ≤ 4", "A6")


def test_recheck_a6_uses_the_cap_one_over_n() -> None:
    # N = 2, a = (1, 0), p = (1, 0): the capped overlap is 1/2, so 1 − O = 1/2 is not < 1 − 3/5
    data = {"p": ["1", "0"], "a": ["1", "0"], "eps": "3/5", "tvd": "1/2"}
    assert gauntlet._recheck_a6(_data_verdict(data)) == "the tight instance does not violate TVD ≥ 1 − ε"
    assert gauntlet._recheck_a6(_data_verdict({**data, "eps": "1/4"})) == "the tight instance does not violate TVD ≥ 1 − ε"


def test_f3_fewer_divisions_threshold(monkeypatch: pytest.MonkeyPatch) -> None:
    from checkers import factoring as reduction

    rows = [{"n": 1, "trial_divisions_min": 9}, {"n": 2, "trial_divisions_min": 2}, {"n": 3, "trial_divisions_min": 25}]
    monkeypatch.setattr(reduction, "cost_rows", lambda *a: rows)
    v = gauntlet._f3_fewer_divisions()
    assert (v.outcome, v.scope, v.method) == (Outcome.HOLDS, "n = 1..3", "F3's cost_rows")
    rows[2]["trial_divisions_min"] = 26
    v = gauntlet._f3_fewer_divisions()
    assert v.counterexample == "n=3: trial division needs 26 divisions > 10^(n-1)/4"
    assert dict(v.data) == {"n": 3, "min": "26"}
    assert v.scope == "n = 1..3, 5 seeded s per n" and v.method == "F3's cost_rows (exact division counts)"


def test_r5_tvd_at_most_holds_branch() -> None:
    v = gauntlet._r5_tvd_at_most(lambda n: n, lambda n: F(0), "m = n, TVD = 0")
    assert (v.outcome, v.scope, v.method, v.evidence) == (Outcome.HOLDS, "n = 2, 3", "R5's det_prime_tvd: m = n, TVD = 0", ())


def test_pairs_verdict_scopes_and_pair() -> None:
    v = gauntlet.pairs_verdict(gauntlet.OVERLAP_IS_ONE_MINUS_TVD, "identity", ("ab", (0, 1)))
    assert (v.outcome, v.scope, v.method, v.evidence) == (
        Outcome.HOLDS, "all 9 pairs of laws on 'ab' with weights in {0, 1}", "exhaustive: identity",
        ("3 laws, 9 ordered pairs",))
    v = gauntlet.pairs_verdict(gauntlet.OVERLAP_IS_ONE_MINUS_TVD, "identity")
    assert v.scope == "all 361 pairs of laws on 'abc' with weights in {0, 1, 2}" and v.evidence == ("19 laws, 361 ordered pairs",)
    v = gauntlet.pairs_verdict(lambda p, q: p == q, "equal", ("ab", (0, 1)))
    assert (v.outcome, v.scope, v.method, v.counterexample) == (
        Outcome.REFUTED, "pairs of laws on 'ab' with weights in {0, 1}", "exhaustive: equal",
        "d1 = {'b': '1'}, d2 = {'a': '1'}")
    assert dict(v.data) == {"pair": [{"b": "1"}, {"a": "1"}]}


def test_s4_without_premise_branches(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[tuple[int, int, str]] = []

    def fake(k: int, L: int, drop: str) -> foundation.Refutation:
        calls.append((k, L, drop))
        return foundation.Refutation(Outcome.UNKNOWN, drop, None, None, ("why",))

    monkeypatch.setattr(foundation, "refute_conditioning_without_premise", fake)
    v = gauntlet._s4_without_premise()
    assert calls == [(1, 2, "0")]
    assert (v.outcome, v.scope, v.counterexample, v.evidence) == (Outcome.UNKNOWN, "k = 1, L = 2", None, ("why",))
    assert v.method == "S4's naive encoding without the premise at '0' (z3 + cvc5; spec.induced)"
    monkeypatch.setattr(foundation, "refute_conditioning_without_premise",
                        lambda k, L, drop: foundation.Refutation(Outcome.REFUTED, drop, "0", "01", ("e",)))
    v = gauntlet._s4_without_premise()
    assert (v.outcome, v.counterexample) == (Outcome.REFUTED, "after prefix '0', text '01'")


def test_tightened_direct_recheck_reads_missing_values_as_zero(monkeypatch: pytest.MonkeyPatch) -> None:
    checks: list[Callable[[Mapping[str, Fraction]], bool]] = []

    def fake_prove(hyps: Any, goal: Any, *, check_counterexample: Callable[[Mapping[str, Fraction]], bool],
                   **kw: Any) -> ProofAttempt:
        checks.append(check_counterexample)
        return _fake_attempt(Outcome.PROVED)

    monkeypatch.setattr(ov, "prove", fake_prove)
    ov.tightened_direct(2, F(99, 100))
    (check,) = checks
    # p1 absent = 0 (as Obligation.exact reads it): O = 1/2, O² = 1/4 > 99/100 · mean(1/2, 0)
    assert check({"a0": F(1), "a1": F(0), "p0": F(1, 2)}) is True
    assert check({"a0": F(1), "a1": F(0), "p0": F(1, 2), "p1": F(0)}) is True
    assert check({"a0": F(1), "a1": F(0), "p0": F(1, 2), "p1": F(1)}) is False
    assert check({"a0": F(1), "a1": F(1), "p0": F(1, 2)}) is False  # not on the simplex: overlap_of refuses it
    assert check({"a1": F(1), "p0": F(0), "p1": F(1, 2)}) is True  # a0 absent = 0


# --- smt: prove_many's default block names, _join_logics -------------------------------------------------


def test_join_logics() -> None:
    from checkers import smt

    assert smt.solvers._join_logics({"QF_LRA"}) == "QF_LRA" and smt.solvers._join_logics({"QF_LIA"}) == "QF_LIA"
    assert smt.solvers._join_logics({"QF_NRA"}) == "QF_NRA" and smt.solvers._join_logics({"ALL"}) == "ALL"
    assert smt.solvers._join_logics({"QF_LRA", "QF_NRA"}) == "QF_NRA" and smt.solvers._join_logics({"QF_LIA", "QF_NIA"}) == "QF_NIA"
    assert smt.solvers._join_logics({"QF_LRA", "QF_LIA"}) == "ALL" and smt.solvers._join_logics({"QF_NRA", "QF_NIA"}) == "ALL"
    assert smt.solvers._join_logics({"QF_LRA", "QF_NRA", "QF_LIA"}) == "ALL"


def test_prove_many_names_its_blocks() -> None:
    from checkers import smt

    x = z3.Real("x")
    seen: list[tuple[int, dict[str, Fraction]]] = []

    def check(i: int, model: Mapping[str, Fraction]) -> bool:
        seen.append((i, dict(model)))
        return True

    proved, refuted = smt.prove_many([([x >= 1], x >= 0), ([x >= 1, x <= 1], x >= 2)], check_counterexample=check,
                                     nonlinear=False)
    assert proved.outcome is Outcome.PROVED and proved.smtlib.splitlines()[0] == "; obligation #0"
    assert proved.note == "checked in a batch: z3 in a shared context, cvc5 between push and pop in one child"
    assert refuted.outcome is Outcome.REFUTED and refuted.smtlib.splitlines()[0] == "; obligation #1"
    assert seen == [(1, {"x": F(1)})] and dict(refuted.counterexample or {}) == {"x": F(1)}
    (named,) = smt.prove_many([([x >= 1], x >= 0)], check_counterexample=check, nonlinear=False, name="mine")
    assert named.smtlib.splitlines()[0] == "; mine #0" and named.logic == "QF_LRA"
    assert smt.prove_many([], check_counterexample=check, nonlinear=False) == ()
