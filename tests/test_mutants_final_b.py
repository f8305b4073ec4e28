"""Tests that kill surviving mutants of checkers.overlap, checkers.smt_reduction and checkers.gauntlet.

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
from collections.abc import Callable, Mapping, Sequence
from fractions import Fraction
from typing import Any

import pytest
import z3

from checkers import gauntlet, smt_reduction
from checkers import overlap as ov
from checkers.smt import ProofAttempt
from checkers.verdict import Level, Outcome, Verdict

F = Fraction
Values = dict[str, Fraction]
Expected = Callable[[Values], tuple[list[bool], bool]]


# --- obligations: exact body = z3 body = the statement transcribed by hand ---------------------------


def _z3_truth(term: Any, values: Mapping[str, Fraction]) -> bool:
    subs = [(z3.Real(x), z3.RealVal(f"{q.numerator}/{q.denominator}")) for x, q in values.items()]
    out = z3.simplify(z3.substitute(term, *subs))
    assert z3.is_true(out) or z3.is_false(out), out
    return bool(z3.is_true(out))


def _check_body(body: ov.Body, variables: Sequence[str], expected: Expected, assignments: Sequence[Values]) -> None:
    ob = ov.Obligation("test", "test", tuple(variables), body)
    for values in assignments:
        want_hyps, want_goal = expected(values)
        hyps, goal = body(ov._ExactLogic, dict(values))
        assert [bool(h) for h in hyps] == want_hyps, values
        assert bool(goal) is want_goal, values
        z_hyps, z_goal = body(ov._Z3Logic, {x: z3.Real(x) for x in variables})
        assert [_z3_truth(h, values) for h in z_hyps] == want_hyps, values
        assert _z3_truth(z_goal, values) is want_goal, values
        assert ob.exact(values) is (all(want_hyps) and not want_goal), values


def _item_expected(v: Values) -> list[bool]:
    N, a, p, lam = v["N"], v["a"], v["p"], v["lam"]
    return [N >= 1, a >= 0, a <= 1, p >= 0, p <= 1, lam >= 0]


LEMMA_VALUES = [dict(zip(("N", "a", "p", "lam"), xs)) for xs in itertools.product(
    (F(1, 2), F(1), F(2), F(3)), (F(-1), F(0), F(1, 3), F(1), F(2)), (F(-1), F(0), F(1, 2), F(1), F(3, 2)),
    (F(-1), F(0), F(1), F(3)))]


@pytest.mark.parametrize("factor,cap", [(2, True), (1, True), (2, False)])
def test_lemma_bodies_match_the_statement(factor: int, cap: bool) -> None:
    def expected(v: Values) -> tuple[list[bool], bool]:
        N, a, p, lam = v["N"], v["a"], v["p"], v["lam"]
        t = N * min(a * p, 1 / N) if cap else N * a * p
        return _item_expected(v), factor * lam * t <= lam * lam * N * a + p

    _check_body(ov._lemma(factor, cap), ("N", "a", "p", "lam"), expected, LEMMA_VALUES[::3])


def test_lemma_separates_cap_and_factor_on_known_points() -> None:
    # N = 2, a = 1, p = 1, λ = 1: t = 1 (capped) gives 2 ≤ 3; uncapped t = 2 gives 4 ≤ 3 false
    v = {"N": F(2), "a": F(1), "p": F(1), "lam": F(1)}
    assert ov._lemma(2, True)(ov._ExactLogic, v)[1] is True
    assert ov._lemma(2, False)(ov._ExactLogic, v)[1] is False
    # N = 1, a = 1, p = 0, λ = 1: t = 0, 0 ≤ 1; the p term alone decides at a = 0: N = 1, λ = 1, p = 1/2
    w = {"N": F(1), "a": F(0), "p": F(1, 2), "lam": F(1)}
    assert ov._lemma(2, True)(ov._ExactLogic, w)[1] is True
    assert ov._lemma(2, False)(ov._ExactLogic, {**w, "p": F(0)})[1] is True


def test_bounds_body_matches_the_statement() -> None:
    def expected(v: Values) -> tuple[list[bool], bool]:
        t = v["N"] * min(v["a"] * v["p"], 1 / v["N"])
        return _item_expected(v), 0 <= t <= v["N"] * v["p"]

    _check_body(ov._bounds, ("N", "a", "p", "lam"), expected, LEMMA_VALUES[::3])


def _final_values() -> list[Values]:
    out = []
    for N, lam, O, dP, dT, dm in itertools.product((F(1, 2), F(1), F(2)), (F(-1), F(0), F(1, 2), F(1)),
                                                   (F(-1, 2), F(0), F(1, 2), F(1), F(2)), (F(0), F(1, 4)),
                                                   (F(0), F(-1, 4)), (F(0), F(1, 2))):
        P = lam * lam * N + dP
        out.append({"N": N, "T": N * O + dT, "P": P, "lam": lam, "O": O, "m": P / N + dm})
    return out


@pytest.mark.parametrize("factor", [2, 1])
def test_final_bodies_match_the_statement(factor: int) -> None:
    def expected(v: Values) -> tuple[list[bool], bool]:
        N, T, P, lam, O, m = (v[x] for x in ("N", "T", "P", "lam", "O", "m"))
        hyps = [N >= 1, P >= 0, lam >= 0, lam * lam * N == P, factor * lam * T <= lam * lam * N + P,
                T >= 0, T <= N * P, T == N * O, P == N * m, O <= 1, m <= 1]
        return hyps, O * O <= m

    values = _final_values()
    _check_body(ov._final(factor), ("N", "T", "P", "lam", "O", "m"), expected, values[::5])
    # the point where every hypothesis holds with equality: N = P = T = O = m = λ = 1
    one = {x: F(1) for x in ("N", "T", "P", "lam", "O", "m")}
    hyps, goal = ov._final(factor)(ov._ExactLogic, one)
    assert hyps == [True] * 11 and goal is True


def test_final_without_factor_2_has_the_gauntlets_counterexample() -> None:
    model = {"N": F(3), "O": F(5, 8), "P": F(3, 4), "T": F(15, 8), "lam": F(1, 2), "m": F(1, 4)}
    names = ("N", "T", "P", "lam", "O", "m")
    assert ov.Obligation("x", "x", names, ov._final(1)).exact(model) is True
    assert ov.Obligation("x", "x", names, ov._final(2)).exact(model) is False  # 2·λ·T = 15/8 > λ²N + P = 3/2
    hyps, goal = ov._final(2)(ov._ExactLogic, model)
    assert hyps == [True, True, True, True, False, True, True, True, True, True, True] and goal is False


# --- _z3_optimal: its SMT-LIB header and its exact re-check --------------------------------------------


def test_z3_optimal_states_the_profile_and_proves_the_greedy_value() -> None:
    p = (F(1, 2), F(1))
    attempt = ov._z3_optimal(p, F(3, 4))
    assert attempt.outcome is Outcome.PROVED
    assert attempt.smtlib.splitlines()[:2] == ["; p = ['1/2', '1']: O(a, p) ≤ 3/4", "(set-logic QF_LRA)"]
    assert (attempt.num_vars, attempt.num_assertions, attempt.logic) == (2, 4, "QF_LRA")


def test_z3_optimal_refutes_a_value_below_the_optimum_with_an_exact_model() -> None:
    p = (F(1, 2), F(1))
    attempt = ov._z3_optimal(p, F(1, 2))
    assert attempt.outcome is Outcome.REFUTED and attempt.counterexample is not None
    a = [attempt.counterexample.get(f"a{i}", F(0)) for i in range(2)]
    assert sum(a) == 1 and min(a) >= 0
    assert ov.overlap_of(a, p) > F(1, 2)
    assert attempt.smtlib.splitlines()[0] == "; p = ['1/2', '1']: O(a, p) ≤ 1/2"


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
    assert v.scope == "2 instances (a, p), N ≤ 8 (grids + seeded samples); the min/abs identity over all reals"
    assert v.method == "sympy expand/cancel per sign case; exact Dist arithmetic on the chain-rule φ of the (a, p) model"
    assert v.counterexample == "a=['1'], p=['1/2']: overlap 0 vs Σmin 1/2"
    assert v.evidence[-1] == "2 mismatches"
    assert v.evidence[-2].startswith("the two cases x ≤ y, y ≤ x cover R²")
    assert isinstance(v.seconds, float) and v.seconds >= 0 and dict(v.data) == {}


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


# --- smt_reduction.prove_conditioning_naive (used by the benchmarks) ---------------------------------


def test_prove_conditioning_naive_row_fields() -> None:
    r = smt_reduction.prove_conditioning_naive(1, 1)
    assert (r.outcome, r.k, r.L, r.encoding, r.queries, r.num_vars, r.num_assertions, r.counterexample) == (
        Outcome.PROVED, 1, 1, "naive", 1, 4, 8, None)
    assert isinstance(r.seconds, float) and r.seconds >= r.z3_seconds > 0
    assert r.evidence[0].startswith("z3: unsat in ") and r.evidence[1].startswith("cvc5: unsat in ")
    assert r.evidence[2].startswith("problem: logic QF_NRA, 4 variables, 8 assertions, ")
    row = r.row()
    assert {k: row[k] for k in ("k", "L", "encoding", "outcome", "queries", "vars", "assertions")} == {
        "k": 1, "L": 1, "encoding": "naive", "outcome": "PROVED", "queries": 1, "vars": 4, "assertions": 8}


def test_prove_conditioning_naive_refuted_names_the_offending_pair(monkeypatch: pytest.MonkeyPatch) -> None:
    original = smt_reduction.naive_problem
    monkeypatch.setattr(smt_reduction, "naive_problem", lambda k, L: original(k, L, drop=""))
    r = smt_reduction.prove_conditioning_naive(1, 1)
    assert (r.outcome, r.encoding, r.queries, r.num_vars, r.num_assertions) == (Outcome.REFUTED, "naive", 1, 4, 7)
    assert r.counterexample == ("after prefix '' φ gives text '' probability 1/2, but D conditioned on '' gives 0; "
                                "model: D_0 = 1/2, D_e = 0, phi_e_0 = 1/2, phi_e_S = 1/2")
    assert r.evidence[-1] == "counterexample (exactly re-checked): D_0 = 1/2, D_e = 0, phi_e_0 = 1/2, phi_e_S = 1/2"
    assert isinstance(r.seconds, float) and r.seconds >= 0


# --- gauntlet: the S4 step perturbations and the obligation re-check -----------------------------------

STEP_VARS = {"D0", "M", "M_0", "Qx_0", "d_0", "fS", "f_0", "m", "m_0", "q_0"}


@pytest.mark.parametrize("which,fs", [("premise", "1"), ("simplex", "0")])
def test_s4_step_without_is_refuted_at_k_1(which: str, fs: str) -> None:
    v = gauntlet._s4_step_without(which)()
    assert v.outcome is Outcome.REFUTED
    assert v.scope == "k = 1" and v.method == f"S4's induction step without its {which} hypothesis"
    model = v.data["model"]
    assert isinstance(model, dict) and set(model) == STEP_VARS
    assert v.counterexample == (f"D0 = 0, M = 0, M_0 = 0, Qx_0 = 0, d_0 = 0, fS = {fs}, f_0 = 0, m = -1, m_0 = 0, "
                                "q_0 = 0")
    assert any(line.startswith("problem: logic QF_NRA, 10 variables, 9 assertions") for line in v.evidence)
    # the model really violates the step with that hypothesis dropped (and not the full step)
    hyps, goal = smt_reduction.step_obligation(1, without=which)
    exact = {k: Fraction(str(x)) for k, x in model.items()}
    assert smt_reduction.refutes(hyps, goal)(exact) is True
    full_hyps, full_goal = smt_reduction.step_obligation(1)
    assert smt_reduction.refutes(full_hyps, full_goal)(exact) is False


def _model_verdict(model: Mapping[str, Fraction]) -> Verdict:
    return Verdict(Outcome.REFUTED, "s", "m", counterexample="c", data={"model": {k: str(x) for k, x in model.items()}})


def test_recheck_obligation_accepts_only_real_counterexamples() -> None:
    recheck = gauntlet._recheck_obligation(ov.WRONG_FINAL_NO_FACTOR_2)
    good = {"N": F(3), "O": F(5, 8), "P": F(3, 4), "T": F(15, 8), "lam": F(1, 2), "m": F(1, 4)}
    assert recheck(_model_verdict(good)) is None
    assert recheck(_model_verdict({**good, "O": F(1, 2)})) == "the model does not violate the obligation"
    assert recheck(_model_verdict({x: F(1) for x in good})) == "the model does not violate the obligation"
    tight = gauntlet._recheck_obligation(gauntlet.A4_TIGHTENED)
    assert tight(_model_verdict({"N": F(2), "p1": F(1), "p2": F(1)})) is None
    assert tight(_model_verdict({"N": F(2), "p1": F(0), "p2": F(1)})) == "the model does not violate the obligation"


def test_run_one_turns_a_failed_recheck_into_unknown() -> None:
    bad = _model_verdict({"N": F(1), "T": F(1), "P": F(1), "lam": F(1), "O": F(1), "m": F(1)})
    p = gauntlet.Perturbation("A5", "d", lambda: bad, gauntlet._recheck_obligation(ov.WRONG_FINAL_NO_FACTOR_2))
    v = gauntlet.run_one(p)
    assert v.outcome is Outcome.UNKNOWN and v.counterexample is None
    assert v.evidence[-1] == "counterexample failed the exact re-check: the model does not violate the obligation"


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


def test_sketch_steps_fields_at_quick(monkeypatch: pytest.MonkeyPatch) -> None:
    _stub_proofs(monkeypatch, Outcome.PROVED)
    steps = ov.sketch_steps(Level.QUICK)
    assert [name for name, _ in steps] == SKETCH_NAMES
    v = [s for _, s in steps]
    assert [x.outcome for x in v] == [Outcome.REFUTED, Outcome.HOLDS, Outcome.PROVED, Outcome.PROVED,
                                      Outcome.REFUTED, Outcome.PROVED]
    assert [x.scope for x in v] == [
        "smallest N, then smallest denominator",
        "p on the grid {0, 1/d, …, 1}^N, N ≤ 3, d ≤ 4: 80 sorted profiles",
        "all k ≥ 0, N > 0, p_i > 0 (also with Σ 1/p_i ≤ N)",
        "all reals k ≥ 0, N > 0, ε",
        "N = 1",
        "all N (decomposed proof); grid for the search"]
    assert [x.method for x in v] == [
        "exact search", "exhaustive, exact", "z3 + cvc5 decomposed proof; sympy identities", "z3 + cvc5", "exact",
        "z3 + cvc5 all-N proof; exhaustive grid; tight family"]
    assert [x.counterexample for x in v] == ["N=1, p=['1/2'], sweetness 1/2", None, None, None,
                                             "N=1, p=(1/2), eps=3/4", None]
    assert v[0].evidence == ("p = ['1/2']: the greedy mixture a = ['1'] has sweetness 1/2 (re-checked with overlap_of), "
                             "not a multiple of 1/1: the last drink is poured partly",)
    assert v[1].evidence == (
        "80 profiles; 51 have a fractional last drink; the bound k/N ≤ opt < (k+1)/N fails on 0",
        "largest N·(sugar of the last drink) on the grid: 5/6 (< 1; it tends to 1 on p = (1 − 1/m), N = 1)")
    assert v[2].evidence == (
        "amhm line", "sympy: k*(1/(k/N)) = N: certified (expand/cancel residual 0)",
        "sympy: k*(k/N) = k**2/N: certified (expand/cancel residual 0)",
        "sympy: p + l**2/p - 2*l = (p - l)**2/p: certified (expand/cancel residual 0)",
        "equality at p_1 = … = p_k = k/N (the sympy lines above)")
    assert dict(v[2].data) == {"x": 1}
    assert v[3].evidence[0] == "N > 0, k ≥ 0, k² ≤ N·S, S ≤ P, P < N·ε  ⊢  0 ≤ k/N and (k/N)² < ε"
    assert v[3].evidence[1].startswith("z3: unsat in ") and v[3].evidence[2].startswith("cvc5: unsat in ")
    assert v[4].evidence == ("N=1, p=(1/2), ε=3/4: mean p = 1/2 < ε, the pour goes through k = 1 drink, (k/N)² = 1 ≥ ε",)
    assert v[5].evidence == (
        "all-N proof: PROVED", "grid: 80 profiles, 0 with opt² > mean p",
        "tight family p = (k/N,…,k/N,0,…): opt² = mean p on 9/9 (k ≤ N ≤ 3)",
        "the sketch's own route only gives opt < (k+1)/N < √ε + 1/N, which also tends to 0")
    assert all(isinstance(x.seconds, float) and 0 <= x.seconds < 60 for x in v)


def test_sketch_steps_follow_the_proofs_and_the_grid(monkeypatch: pytest.MonkeyPatch) -> None:
    _stub_proofs(monkeypatch, Outcome.UNKNOWN)
    pour = ov.greedy((F(1, 2),))
    report = ov.GridReport(7, [((F(1),), F(1))], [], [((F(1, 2),), pour)], [], F(1, 2), 1, 2)
    monkeypatch.setattr(ov, "exhaustive_grid", lambda n, d: report)
    v = [s for _, s in ov.sketch_steps(Level.STANDARD)]
    assert [x.outcome for x in v] == [Outcome.REFUTED, Outcome.REFUTED, Outcome.UNKNOWN, Outcome.PROVED,
                                      Outcome.REFUTED, Outcome.REFUTED]
    assert v[1].scope == "p on the grid {0, 1/d, …, 1}^N, N ≤ 4, d ≤ 6: 7 sorted profiles"
    assert v[1].counterexample == "p=(Fraction(1, 2),)"
    assert v[1].evidence[0] == "7 profiles; 0 have a fractional last drink; the bound k/N ≤ opt < (k+1)/N fails on 1"
    assert v[5].counterexample == "p=((Fraction(1, 1),), Fraction(1, 1))"
    assert v[5].evidence[:3] == ("all-N proof: UNKNOWN", "grid: 7 profiles, 1 with opt² > mean p",
                                 "tight family p = (k/N,…,k/N,0,…): opt² = mean p on 1/2 (k ≤ N ≤ 4)")



def test_a_tight_family_off_equality_alone_leaves_the_last_step_unknown(monkeypatch: pytest.MonkeyPatch) -> None:
    """No grid violation, but opt² < mean p on a tight member: our optimum is off, yet nothing refutes the step."""
    _stub_proofs(monkeypatch, Outcome.PROVED)
    report = ov.GridReport(7, [], [], [], [], F(1, 2), 1, 2)
    monkeypatch.setattr(ov, "exhaustive_grid", lambda n, d: report)
    last = ov.sketch_steps(Level.QUICK)[-1][1]
    assert last.outcome is Outcome.UNKNOWN and last.counterexample is None
    assert last.evidence[2] == "tight family p = (k/N,…,k/N,0,…): opt² = mean p on 1/2 (k ≤ N ≤ 3)"

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
    assert ov._sum([F(1), F(2), F(3)]) == 6 and str(ov._sum([z3.Real("x")])) == "x"


def test_pair_text_names_the_offending_pair_or_says_none_was_found() -> None:
    fine = {"D_0": F(1, 2), "D_e": F(1, 2), "phi_e_0": F(1, 2), "phi_e_S": F(1, 2)}
    assert smt_reduction.offending_pair(1, 1, fine) is None
    assert smt_reduction._pair_text(1, 1, fine) == (
        "a model (no offending pair found on recomputation): D_0 = 1/2, D_e = 1/2, phi_e_0 = 1/2, phi_e_S = 1/2")
    bad = {**fine, "D_e": F(0)}
    assert smt_reduction.offending_pair(1, 1, bad) == ("", "", F(1, 2), F(0))
    assert smt_reduction._pair_text(1, 1, bad) == (
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
        assert r == {"N": n, "mean_p": str(sum(p) / n), "opt": str(ov.greedy(p).value), "mean_p_float": float(sum(p) / n),
                     "opt_float": float(ov.greedy(p).value), "tight": False}
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


def test_check_a5_with_stubbed_proofs(monkeypatch: pytest.MonkeyPatch) -> None:
    _stub_proofs(monkeypatch, Outcome.PROVED)
    calls: list[tuple[int, str, float]] = []
    monkeypatch.setattr(ov, "prove_direct", _fake_direct(calls, {(2, "relaxed")}))
    v = ov.check_A5(Level.QUICK)
    assert v.outcome is Outcome.PROVED and v.counterexample is None
    assert v.scope == "all N (decomposed proof); grid N ≤ 3, d ≤ 4; direct encodings PROVED for N ≤ 1"
    assert v.method == ("z3 + cvc5 decomposed all-N proof; direct fixed-N z3 + cvc5; exhaustive exact grid; "
                        "tight family")
    assert v.evidence[:5] == ("all-N decomposed proof: PROVED", "all-N line",
                              "exhaustive grid N ≤ 3, d ≤ 4: 80 profiles, 0 with greedy opt² > mean p",
                              "tight family: opt² = mean p exactly on 9/9", "direct N=1 (relaxed): PROVED in "
                              + str(v.data["frontier"][0]["seconds"]) + " s")  # type: ignore[index]
    assert v.evidence[5].startswith("direct N=2 (relaxed): UNKNOWN in ")
    assert v.evidence[6:] == tuple(
        f"sketch step [{o}] {name}" + (f" — counterexample {c}" if c else "")
        for name, o, c in zip(SKETCH_NAMES, ("REFUTED", "HOLDS", "PROVED", "PROVED", "REFUTED", "PROVED"),
                              ("N=1, p=['1/2'], sweetness 1/2", None, None, None, "N=1, p=(1/2), eps=3/4", None)))
    assert set(v.data) == {"frontier", "plot", "obligations", "sketch"} and v.data["obligations"] == []
    assert v.data["sketch"][4] == {"step": SKETCH_NAMES[4], "outcome": "REFUTED",  # type: ignore[index]
                                   "counterexample": "N=1, p=(1/2), eps=3/4"}
    assert v.data["sketch"][1] == {"step": SKETCH_NAMES[1], "outcome": "HOLDS", "counterexample": ""}  # type: ignore[index]
    assert len(v.data["plot"]) == 104  # type: ignore[arg-type]

    _stub_proofs(monkeypatch, Outcome.UNKNOWN)
    v = ov.check_A5(Level.QUICK)
    assert v.outcome is Outcome.UNKNOWN and v.evidence[0] == "all-N decomposed proof: UNKNOWN"

    report = ov.GridReport(7, [((F(1),), F(1))], [], [], [], F(1, 2), 1, 1)
    monkeypatch.setattr(ov, "exhaustive_grid", lambda n, d: report)
    v = ov.check_A5(Level.QUICK)
    assert (v.outcome, v.scope, v.method, v.counterexample) == (
        Outcome.REFUTED, "grid", "exhaustive", "((Fraction(1, 1),), Fraction(1, 1))")
    assert set(v.data) == {"frontier", "plot", "obligations", "sketch"}


# --- the other obligations' bodies (A4's AM-HM, k/N < √ε, A6's step, the direct encodings) -------------

SMALL = (F(-1), F(0), F(1, 2), F(1), F(2))


def test_amhm_and_k_over_n_bodies_match_the_statements() -> None:
    def amhm_item(v: Values) -> tuple[list[bool], bool]:
        p, u, lam = v["p"], v["u"], v["lam"]
        return [p > 0, u * p == 1, lam >= 0], p + lam * lam * u >= 2 * lam

    vals = [dict(zip(("p", "u", "lam"), xs)) for xs in itertools.product(SMALL, repeat=3)]
    _check_body(ov._amhm_item, ("p", "u", "lam"), amhm_item, vals)

    def amhm_final(v: Values) -> tuple[list[bool], bool]:
        S, U, N, k, lam = (v[x] for x in ("S", "U", "N", "k", "lam"))
        return [S + lam * lam * U >= 2 * lam * k, U <= N, N > 0, k >= 0, lam * N == k], S * N >= k * k

    vals = [{"S": S, "U": U, "N": N, "k": N * lam + dk, "lam": lam}
            for S, U, N, lam, dk in itertools.product((F(0), F(1, 2), F(2)), (F(1), F(2)), (F(-1), F(0), F(1), F(2)),
                                                      (F(-1), F(0), F(1, 2), F(1)), (F(0), F(1)))]
    _check_body(ov._amhm_final, ("S", "U", "N", "k", "lam"), amhm_final, vals[::3])

    def k_over_n(v: Values) -> tuple[list[bool], bool]:
        k, N, S, P, eps = (v[x] for x in ("k", "N", "S", "P", "eps"))
        goal = N != 0 and k / N >= 0 and (k / N) * (k / N) < eps
        return [N > 0, k >= 0, k * k <= N * S, S <= P, P < N * eps], goal

    vals = [{"k": k, "N": N, "S": S, "P": S + dP, "eps": eps}
            for k, N, S, dP, eps in itertools.product((F(-1), F(0), F(1)), (F(1), F(2)), (F(0), F(1, 2), F(1)),
                                                      (F(0), F(1, 2)), (F(1, 4), F(1, 2), F(1)))]
    _check_body(ov._k_over_n, ("k", "N", "S", "P", "eps"), k_over_n, vals[::2])


def test_check_a6_step_obligation_and_fields(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[ov.Obligation] = []
    real = ov.prove_obligation

    def spy(ob: ov.Obligation, **kw: Any) -> ProofAttempt:
        seen.append(ob)
        return real(ob, **kw)

    monkeypatch.setattr(ov, "prove_obligation", spy)
    monkeypatch.setattr(ov, "prove_overlap_bound_all_n", lambda: Verdict(Outcome.PROVED, "s", "m", ("x",)))
    v = ov.check_A6(Level.QUICK)
    assert v.outcome is Outcome.PROVED and v.scope == "ε = 10^-1 … 10^-12; all N"
    assert v.method == "all-N bound + z3/cvc5 step; rational bounds certified by squaring"
    assert v.evidence[:2] == ("all-N overlap bound: PROVED", "[PROVED] O ≥ 0, O² ≤ m, m < ε, u ≥ 0, u² ≥ ε  ⊢  1 − O > 1 − u")
    assert v.evidence[-12:] == tuple(f"ε = {r['eps']}: TVD > {r['tvd_lower_bound']} (u = {r['u_ge_sqrt_eps']}, u² ≥ ε)"
                                     for r in ov.tvd_lower_bounds())
    assert dict(v.data) == {"tvd_bound": ov.tvd_lower_bounds()}
    (step,) = seen
    assert (step.name, step.variables) == ("TVD from overlap", ("O", "m", "eps", "u"))

    def expected(x: Values) -> tuple[list[bool], bool]:
        O, m, eps, u = x["O"], x["m"], x["eps"], x["u"]
        return [O >= 0, O * O <= m, m < eps, u >= 0, u * u >= eps], 1 - O > 1 - u

    vals = [dict(zip(("O", "m", "eps", "u"), xs)) for xs in itertools.product((F(-1), F(0), F(1, 2), F(1)), repeat=4)]
    _check_body(step.body, step.variables, expected, vals)

    monkeypatch.setattr(ov, "prove_overlap_bound_all_n", lambda: Verdict(Outcome.UNKNOWN, "s", "m", ("x",)))
    v = ov.check_A6(Level.QUICK)
    assert v.outcome is Outcome.UNKNOWN and v.evidence[0] == "all-N overlap bound: UNKNOWN"


@pytest.mark.parametrize("kind", ov.ENCODINGS)
def test_direct_encoding_bodies_for_n_2(kind: str) -> None:
    ob = ov.direct_encoding(2, kind, factor=F(3, 4))
    relaxed = kind in ("relaxed", "projected", "hinted")
    assert ob.variables == ("a0", "a1", "p0", "p1") + (("t0", "t1") if relaxed else ())
    assert ob.name == f"direct N=2 ({kind})" and ob.statement == f"O(a, p)² ≤ 3/4·mean(p), N = 2, {kind} encoding"

    def expected(v: Values) -> tuple[list[bool], bool]:
        a, p = [v["a0"], v["a1"]], [v["p0"], v["p1"]]
        hyps = [x >= 0 for x in a + p] + [x <= 1 for x in p] + [sum(a) == 1]
        if kind != "plain":
            hyps.append(p[0] >= p[1])
        if relaxed:
            t = [v["t0"], v["t1"]]
            hyps += [0 <= x <= F(1, 2) for x in t]
            hyps += [t[i] == a[i] * p[i] if kind == "projected" else t[i] <= a[i] * p[i] for i in range(2)]
            o = sum(t)
            if kind == "hinted":
                hyps += [2 * o * 2 * t[i] <= o * o * 2 * a[i] + p[i] for i in range(2)]
        else:
            o = sum(min(a[i] * p[i], F(1, 2)) for i in range(2))
        return hyps, o * o * 2 <= F(3, 4) * sum(p)

    names = ob.variables
    pool = (F(-1), F(0), F(1, 4), F(1, 2), F(1))
    rng = random.Random(7)
    vals = [dict(zip(names, rng.choices(pool, k=len(names)))) for _ in range(100)]
    a, p = (F(1, 2), F(1, 2)), (F(1), F(1, 2))
    t = (F(1, 2), F(1, 4)) if kind != "relaxed" else (F(1, 4), F(1, 4))
    inside = dict(zip(names, (*a, *p, *t)))
    vals += [inside, {**inside, "p1": F(1)}, {**inside, "a0": F(1), "a1": F(0)}]
    _check_body(ob.body, names, expected, vals)
    assert all(ob.body(ov._ExactLogic, inside)[0])


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


def test_gauntlet_perturbations_carry_their_exact_data() -> None:
    for i, p in enumerate(gauntlet.PERTURBATIONS):
        if p.claim == "R2" or (p.claim == "S2" and "multiplicity" in p.description):
            continue  # the two slow entries (the snapshot runs them)
        v = gauntlet.run_one(p)
        assert v.outcome is Outcome.REFUTED, (i, p.description, v)
        assert dict(v.data) == GAUNTLET_DATA.get(i, {}), (i, p.description)
        if p.recheck is not None:
            assert p.recheck(v) is None, (i, p.description)


# --- _run_obligations, _all_lengths, check_S4, prove_claim1, ConditioningProof.row -----------------------


def test_run_obligations_unknown_branch_keeps_its_rows() -> None:
    v = ov._run_obligations((ov.OVERLAP_BOUNDS, ov.WRONG_LEMMA_NO_CAP), "the rule", "the scope", "the method", 0.0, 30.0)
    assert (v.outcome, v.scope, v.method, v.counterexample) == (Outcome.UNKNOWN, "the scope", "the method", None)
    assert v.evidence[0] == f"[PROVED] per-item bounds: {ov.OVERLAP_BOUNDS.statement}"
    assert v.evidence[-1] == "the rule"
    assert f"[REFUTED] lemma without the cap 1/N: {ov.WRONG_LEMMA_NO_CAP.statement}" in v.evidence
    assert all(line.startswith("    ") for line in v.evidence[1:-1] if not line.startswith("[REFUTED]"))
    rows = v.data["obligations"]
    assert isinstance(rows, list) and set(v.data) == {"obligations"}
    assert [(r["obligation"], r["statement"], r["outcome"]) for r in rows] == [
        ("per-item bounds", ov.OVERLAP_BOUNDS.statement, "PROVED"),
        ("lemma without the cap 1/N", ov.WRONG_LEMMA_NO_CAP.statement, "REFUTED")]
    assert rows[0]["z3"].startswith("unsat ") and rows[0]["cvc5"].startswith("unsat ") and rows[0]["z3"].endswith("s")
    assert rows[1]["z3"].startswith("sat ") and "cvc5" not in rows[1]
    assert v.seconds > 0
    w = ov._run_obligations((ov.OVERLAP_BOUNDS,), "r", "s", "m", 0.0, 30.0)
    assert w.outcome is Outcome.PROVED and set(w.data) == {"obligations"} and len(w.data["obligations"]) == 1  # type: ignore[arg-type]


def test_all_lengths_names_its_obligations_and_joins_base_and_step() -> None:
    (proof,) = smt_reduction._all_lengths([1])
    assert proof.outcome is Outcome.PROVED and proof.k == 1
    assert proof.base.smtlib.splitlines()[0] == "; conditioning lemma, induction obligation #0"
    assert proof.step.smtlib.splitlines()[0] == "; conditioning lemma, induction obligation #1"
    assert proof.base_text == "D0 == m*1 ∧ M == D0  ⊢  And(M == m, 1*M == D0)"
    assert proof.step_text.startswith("fS >= 0 ∧ f_0 >= 0 ∧ fS + f_0 == 1 ∧ D0 == m*fS ∧ ")
    assert (proof.step.num_vars, proof.step.num_assertions) == (10, 10)


def test_conditioning_proof_row_rounds_each_time() -> None:
    p = smt_reduction.ConditioningProof(Outcome.PROVED, 2, 3, "decomposed", 4, 5, 6, 0.12345, 1.23456, 2.34567, ("e",))
    assert p.row() == {"k": 2, "L": 3, "encoding": "decomposed", "outcome": "PROVED", "queries": 4, "vars": 5,
                       "assertions": 6, "z3_s": 0.123, "cvc5_s": 1.235, "seconds": 2.346}


def test_prove_claim1_rechecks_a_model_exactly(monkeypatch: pytest.MonkeyPatch) -> None:
    x = z3.Real("x")
    monkeypatch.setattr(smt_reduction, "claim1_problem", lambda n: ([x >= 1, x <= 1], x == 2))
    attempt = smt_reduction.prove_claim1(2)
    assert attempt.outcome is Outcome.REFUTED and dict(attempt.counterexample or {}) == {"x": F(1)}
    assert attempt.smtlib.splitlines()[0] == (
        "; Claim 1 over S_2: from [s, every completion a,b] with a*b != s has probability 0")
    monkeypatch.setattr(smt_reduction, "claim1_problem", lambda n: ([x >= 1], x >= 0))
    assert smt_reduction.prove_claim1(1).outcome is Outcome.PROVED


def _fake_attempt(outcome: Outcome, cex: Mapping[str, Fraction] | None = None) -> ProofAttempt:
    from checkers.smt import SolverAnswer, SolverRun

    runs = (SolverRun("z3", SolverAnswer.SAT if cex else SolverAnswer.UNSAT, 0.25, "", None),
            SolverRun("cvc5", SolverAnswer.UNSAT, 0.5, "", None))
    return ProofAttempt(outcome, runs if cex is None else runs[:1], "", cex, 3, 4)


def test_check_s4_with_stubbed_solvers(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[tuple[object, ...]] = []

    def decomposed(k: int, L: int) -> smt_reduction.ConditioningProof:
        calls.append(("fixed", k, L))
        return smt_reduction.ConditioningProof(Outcome.PROVED, k, L, "decomposed", 2, 7, 9, 0.5, 0.25, 1.0, ("e",))

    def lengths(ks: Sequence[int]) -> list[smt_reduction.InductionProof]:
        calls.append(("induction", tuple(ks)))
        return [smt_reduction.InductionProof(Outcome.PROVED, k, _fake_attempt(Outcome.PROVED),
                                             _fake_attempt(Outcome.PROVED), "b", "s", 1.0) for k in ks]

    def without_premise(k: int, L: int, drop: str) -> smt_reduction.Refutation:
        calls.append(("dropped", k, L, drop))
        return smt_reduction.Refutation(Outcome.REFUTED, drop, "", "0", ())

    def step_without(k: int, which: str) -> ProofAttempt:
        calls.append(("step", k, which))
        return _fake_attempt(Outcome.REFUTED, {"m": F(-1)})

    monkeypatch.setattr(smt_reduction, "prove_conditioning_decomposed", decomposed)
    monkeypatch.setattr(smt_reduction, "_all_lengths", lengths)
    monkeypatch.setattr(smt_reduction, "refute_conditioning_without_premise", without_premise)
    monkeypatch.setattr(smt_reduction, "refute_step_without", step_without)
    v = smt_reduction.check_S4(Level.QUICK)
    assert calls == [("fixed", 2, 2), ("fixed", 2, 3), ("fixed", 3, 2), ("induction", tuple(range(1, 11))),
                     ("dropped", 2, 2, "0"), ("step", 3, "premise")]
    assert v.outcome is Outcome.PROVED and v.counterexample is None
    assert v.scope == "fixed (k, L) in (2,2), (2,3), (3,2); all lengths L for k in 1..10"
    assert v.evidence[:5] == (
        "(k, L) = (2, 2): PROVED, 2 obligations, 7 variables, 9 assertions; z3 0.500 s, cvc5 0.250 s",
        "(k, L) = (2, 3): PROVED, 2 obligations, 7 variables, 9 assertions; z3 0.500 s, cvc5 0.250 s",
        "(k, L) = (3, 2): PROVED, 2 obligations, 7 variables, 9 assertions; z3 0.500 s, cvc5 0.250 s",
        smt_reduction.DECOMPOSITION_SOUNDNESS,
        "failing counterpart, (k, L) = (2, 2) without the premise at '0': REFUTED, offending prefix '', text '0'")
    assert v.evidence[5] == "failing counterpart, induction step (k = 3) without the premise at x: REFUTED"
    assert v.evidence[6] == "all lengths, k = 1: PROVED (step of arity 2: z3 unsat 0.250 s, cvc5 unsat 0.500 s)"
    assert v.data["induction"][0] == {"k": 1, "outcome": "PROVED", "z3_s": 0.25, "cvc5_s": 0.5,  # type: ignore[index]
                                      "vars": 3, "assertions": 4}
    assert v.data["fixed"][2] == {"k": 3, "L": 2, "encoding": "decomposed", "outcome": "PROVED",  # type: ignore[index]
                                  "queries": 2, "vars": 7, "assertions": 9, "z3_s": 0.5, "cvc5_s": 0.25, "seconds": 1.0}
    # a counterpart that does not come back REFUTED makes the proofs untrusted
    monkeypatch.setattr(smt_reduction, "refute_step_without", lambda k, which: _fake_attempt(Outcome.UNKNOWN))
    assert smt_reduction.check_S4(Level.QUICK).outcome is Outcome.UNKNOWN


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
    seen: list[tuple[ov.Vector, Fraction]] = []

    def fake(p: ov.Vector, value: Fraction) -> ProofAttempt:
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
    assert seen == [(p, ov.greedy(p).value) for p in profiles]
    assert v.outcome is Outcome.UNKNOWN and v.counterexample is None
    assert v.scope == (f"all sorted p on grids {{0,1/d,…,1}}^N, N ≤ 5, d ≤ 4 ({count} profiles); "
                       "12 seeded p with N ≤ 8 for z3")
    assert v.evidence == (f"{count} profiles: greedy value = dual value = attained value",
                          "z3 (linear) proved O(a, p) ≤ greedy(p) for all a on 11/12 seeded profiles",
                          f"p={[str(x) for x in profiles[1]]}: z3 UNKNOWN")
    assert dict(v.data) == {"z3_optimality": [
        {"N": len(p), "p": str([str(x) for x in p]), "greedy": str(ov.greedy(p).value),
         "z3": "UNKNOWN" if i == 1 else "PROVED"} for i, p in enumerate(profiles)]}
    seen.clear()
    seen.extend([((), F(0)), ((), F(0))])  # so that every call now returns PROVED
    v = ov.check_A3(Level.QUICK)
    assert v.outcome is Outcome.HOLDS and len(v.evidence) == 2 and len(seen) == 2 + 4
    assert v.evidence[1] == "z3 (linear) proved O(a, p) ≤ greedy(p) for all a on 4/4 seeded profiles"


def test_check_a4_fields_follow_the_amhm_proof(monkeypatch: pytest.MonkeyPatch) -> None:
    _stub_proofs(monkeypatch, Outcome.PROVED)
    v = ov.check_A4(Level.QUICK)
    assert (v.outcome, v.scope, v.method, v.counterexample) == (
        Outcome.PROVED, "all k ≥ 0, N > 0, p_i > 0", "z3 + cvc5 decomposed proof; sympy expand/cancel identities", None)
    assert v.evidence == (
        "amhm line", "sympy: p + l**2/p - 2*l = (p - l)**2/p: certified (expand/cancel residual 0)",
        "sympy: k*(1/(k/N)) = N: certified (expand/cancel residual 0)",
        "sympy: k*(k/N) = k**2/N: certified (expand/cancel residual 0)",
        "the minimum k²/N is attained at p_1 = … = p_k = k/N (last two sympy lines); the post's 'concavity' is "
        "the convexity of x ↦ 1/x (AM-HM)")
    assert dict(v.data) == {"x": 1}
    _stub_proofs(monkeypatch, Outcome.UNKNOWN)
    assert ov.check_A4(Level.QUICK).outcome is Outcome.UNKNOWN


def test_smt_reduction_attempt_verdict_branches() -> None:
    proved, refuted = _fake_attempt(Outcome.PROVED), _fake_attempt(Outcome.REFUTED, {"s": F(6), "a": F(1, 2)})
    v = smt_reduction._attempt_verdict([("n = 1", proved), ("n = 2", refuted)], "sc", "me", 0.0, ["x"])
    assert (v.outcome, v.scope, v.method, v.counterexample) == (Outcome.REFUTED, "sc", "me", "n = 2: a = 1/2, s = 6")
    assert v.evidence == ("n = 1: PROVED; " + " | ".join(proved.evidence()),
                          "n = 2: REFUTED; " + " | ".join(refuted.evidence()), "x")
    assert dict(v.data) == {"proofs": [
        {"scope": "n = 1", "outcome": "PROVED", "vars": 3, "assertions": 4, "z3_s": 0.25, "cvc5_s": 0.5},
        {"scope": "n = 2", "outcome": "REFUTED", "vars": 3, "assertions": 4, "z3_s": 0.25}]}
    ok = smt_reduction._attempt_verdict([("a", proved)], "sc", "me", 0.0)
    assert ok.outcome is Outcome.PROVED and ok.evidence == ("a: PROVED; " + " | ".join(proved.evidence()),)
    assert smt_reduction._attempt_verdict([("a", proved)], "sc", "me", 0.0, counterpart_ok=False).outcome is Outcome.UNKNOWN
    unknown = smt_reduction._attempt_verdict([("a", proved), ("b", _fake_attempt(Outcome.UNKNOWN))], "s", "m", 0.0)
    assert unknown.outcome is Outcome.UNKNOWN and unknown.counterexample is None
    assert smt_reduction._combine_outcomes([]) is Outcome.PROVED


def test_check_f2_and_a1_smt_with_stubbed_solvers(monkeypatch: pytest.MonkeyPatch) -> None:
    ns: list[int] = []

    def claim1(n: int) -> ProofAttempt:
        ns.append(n)
        return _fake_attempt(Outcome.PROVED)

    monkeypatch.setattr(smt_reduction, "prove_claim1", claim1)
    monkeypatch.setattr(smt_reduction, "refute_claim1_corrupted",
                        lambda n: (_fake_attempt(Outcome.REFUTED, {"s": F(6)}), f"where {n}"))
    v = smt_reduction.check_F2_smt(Level.QUICK)
    assert ns == [1] and v.outcome is Outcome.PROVED
    assert v.scope.startswith("S_n for n in (1,): every valid tuple")
    assert v.evidence[-1] == "failing counterpart, S_1 with one corrupted tuple: REFUTED; where 1"
    v = smt_reduction.check_F2_smt(Level.STANDARD)
    assert ns == [1, 1, 2] and v.scope.startswith("S_n for n in (1, 2): ") and len(v.data["proofs"]) == 2  # type: ignore[arg-type]
    monkeypatch.setattr(smt_reduction, "refute_claim1_corrupted", lambda n: (_fake_attempt(Outcome.UNKNOWN), ""))
    assert smt_reduction.check_F2_smt(Level.QUICK).outcome is Outcome.UNKNOWN

    monkeypatch.setattr(smt_reduction, "prove_a1", lambda n: _fake_attempt(Outcome.PROVED))
    monkeypatch.setattr(smt_reduction, "refute_a1_one_wrong_tuple", lambda n: _fake_attempt(Outcome.REFUTED, {"s": F(4)}))
    v = smt_reduction.check_A1_smt(Level.QUICK)
    assert v.outcome is Outcome.PROVED and v.evidence[-2:] == (
        "probability 1 follows for terminating φ: the wrong completions each have probability 0",
        "failing counterpart, one wrong tuple allowed in the support: REFUTED (s = 4)")
    monkeypatch.setattr(smt_reduction, "refute_a1_one_wrong_tuple", lambda n: _fake_attempt(Outcome.UNKNOWN))
    v = smt_reduction.check_A1_smt(Level.QUICK)
    assert v.outcome is Outcome.UNKNOWN and v.evidence[-1] == "failing counterpart, one wrong tuple allowed in the support: UNKNOWN"


def test_check_s4_refuted_branches(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(smt_reduction, "refute_conditioning_without_premise",
                        lambda k, L, drop: smt_reduction.Refutation(Outcome.REFUTED, drop, "", "0", ()))
    monkeypatch.setattr(smt_reduction, "refute_step_without", lambda k, w: _fake_attempt(Outcome.REFUTED, {"m": F(-1)}))
    monkeypatch.setattr(smt_reduction, "prove_conditioning_decomposed", lambda k, L: smt_reduction.ConditioningProof(
        Outcome.REFUTED if (k, L) == (2, 3) else Outcome.PROVED, k, L, "decomposed", 1, 1, 1, 0.0, 0.0, 0.0, (),
        "the x obligation fails" if (k, L) == (2, 3) else None))
    monkeypatch.setattr(smt_reduction, "_all_lengths", lambda ks: [smt_reduction.InductionProof(
        Outcome.REFUTED if k == 2 else Outcome.PROVED, k, _fake_attempt(Outcome.PROVED),
        _fake_attempt(Outcome.REFUTED, {"q": F(k)}) if k == 2 else _fake_attempt(Outcome.PROVED), "b", "s", 0.0)
        for k in ks])
    v = smt_reduction.check_S4(Level.QUICK)
    assert v.outcome is Outcome.REFUTED and v.counterexample == "the x obligation fails"
    monkeypatch.setattr(smt_reduction, "prove_conditioning_decomposed", lambda k, L: smt_reduction.ConditioningProof(
        Outcome.PROVED, k, L, "decomposed", 1, 1, 1, 0.0, 0.0, 0.0, ()))
    v = smt_reduction.check_S4(Level.QUICK)
    assert v.outcome is Outcome.REFUTED and v.counterexample == "an induction obligation was refuted: q = 2"
    assert "all lengths, k = 2: REFUTED (step of arity 3: z3 sat 0.250 s)" in v.evidence
    assert v.evidence[-5:] == smt_reduction.InductionProof(
        Outcome.PROVED, 10, _fake_attempt(Outcome.PROVED), _fake_attempt(Outcome.PROVED), "b", "s", 0.0).evidence()


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
    from checkers import reduction

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

    def fake(k: int, L: int, drop: str) -> smt_reduction.Refutation:
        calls.append((k, L, drop))
        return smt_reduction.Refutation(Outcome.UNKNOWN, drop, None, None, ("why",))

    monkeypatch.setattr(smt_reduction, "refute_conditioning_without_premise", fake)
    v = gauntlet._s4_without_premise()
    assert calls == [(1, 2, "0")]
    assert (v.outcome, v.scope, v.counterexample, v.evidence) == (Outcome.UNKNOWN, "k = 1, L = 2", None, ("why",))
    assert v.method == "S4's naive encoding without the premise at '0' (z3 + cvc5; spec.induced)"
    monkeypatch.setattr(smt_reduction, "refute_conditioning_without_premise",
                        lambda k, L, drop: smt_reduction.Refutation(Outcome.REFUTED, drop, "0", "01", ("e",)))
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

    assert smt._join_logics({"QF_LRA"}) == "QF_LRA" and smt._join_logics({"QF_LIA"}) == "QF_LIA"
    assert smt._join_logics({"QF_NRA"}) == "QF_NRA" and smt._join_logics({"ALL"}) == "ALL"
    assert smt._join_logics({"QF_LRA", "QF_NRA"}) == "QF_NRA" and smt._join_logics({"QF_LIA", "QF_NIA"}) == "QF_NIA"
    assert smt._join_logics({"QF_LRA", "QF_LIA"}) == "ALL" and smt._join_logics({"QF_NRA", "QF_NIA"}) == "ALL"
    assert smt._join_logics({"QF_LRA", "QF_NRA", "QF_LIA"}) == "ALL"


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
