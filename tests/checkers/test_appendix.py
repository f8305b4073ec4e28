"""The appendix (A1-A6): exact laws, the all-N proof, direct encodings, sketch steps and failing counterparts."""

from __future__ import annotations

import itertools
import math
import random
from collections.abc import Callable, Mapping
from dataclasses import replace
from fractions import Fraction
from typing import Any

import pytest
import z3
from hypothesis import given
from hypothesis import strategies as st

from checkers import appendix, smt
from checkers import appendix as ov
from checkers.appendix import (
    check_A1,
    check_A2,
    check_A3,
    check_A4,
    check_A5,
    check_A6,
    direct_encoding,
    exhaustive_grid,
    factoring_model,
    k_over_n_step,
    lemma_without_cap,
    overlap_bound_proof,
    overlap_model,
    per_item_certificates,
    prove_amhm_all_k,
    prove_direct,
    prove_overlap_bound_all_n,
    reduction_success,
    sketch_steps,
    tightened_direct,
    tvd_lower_bounds,
)
from checkers.assumptions import FACTORING_IS_HARD
from checkers.report.plots import pyplot
from checkers.smt import ProofAttempt, SolverAnswer, SolverRun, Solvers, using_solvers
from checkers.smt.proof import check_obligations, check_proof
from checkers.verdict import Level, Outcome, Verdict
from spec import Dist, overlap, tvd
from spec import appendix as appendix_math
from spec.appendix import (
    Vector,
    dual_value,
    greedy,
    lp_optimum_certified,
    mean,
    overlap_of,
    require_instance,
    tight_profile,
)
from spec.errors import InvalidArgument
from strategies import appendix_instances, mixtures, success_profiles
from tests.conftest import clear_caches, giving_up_on

F = Fraction


# --- bad input ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "p", "message"),
    [
        ((F(1),), (0.5,), "floats"),
        ((F(1, 2), F(1, 3)), (F(1), F(1)), "sums to 5/6"),
        ((F(1),), (F(3, 2),), "outside"),
        ((F(1),), (F(1), F(0)), "2"),
        ((F(2), F(-1)), (F(1), F(1)), "negative"),
        ((), (), "empty"),
    ],
)
def test_bad_instances_raise_invalid_argument_naming_the_problem(a: tuple[object, ...], p: tuple[object, ...],
                                                                   message: str) -> None:
    with pytest.raises(InvalidArgument, match=message):
        require_instance(a, p)


def test_bad_encodings_and_families_raise_invalid_argument() -> None:
    with pytest.raises(InvalidArgument, match="kind"):
        direct_encoding(2, "magic")
    with pytest.raises(InvalidArgument, match="N must be"):
        direct_encoding(0, "plain")
    with pytest.raises(InvalidArgument, match="0 <= k <= N"):
        tight_profile(3, 2)


def test_tight_profile_rejects_a_non_integer_N_even_with_an_integer_k() -> None:
    with pytest.raises(InvalidArgument, match=r"^tight_profile: need integers 0 <= k <= N, N >= 1, got k=1, N=2\.0$"):
        appendix_math.tight_profile(1, 2.0)  # type: ignore[arg-type]
    with pytest.raises(InvalidArgument, match=r"^tight_profile: need integers 0 <= k <= N, N >= 1, got k=1\.0, N=2$"):
        appendix_math.tight_profile(1.0, 2)  # type: ignore[arg-type]
    assert appendix_math.tight_profile(1, 2) == (Fraction(1, 2), Fraction(0))


# --- A1 -----------------------------------------------------------------------------------------


def test_A1_correct_only_phi_factors_every_semiprime_of_its_support() -> None:
    law = factoring_model(1, keep=lambda p, q: int(p <= q))
    tried, failures = reduction_success(law, 1)
    assert tried == 10 and failures == []  # REFERENCE: 10 distinct s for n = 1


def test_A1_counterpart_a_phi_with_one_wrong_tuple_is_caught() -> None:
    good = factoring_model(1)
    law = Dist.from_weights({**{t: w for t, w in good.items()}, "[15,1,15]": F(1, 100)})
    _, failures = reduction_success(law, 1)
    assert [s for s, _ in failures] == [15]
    assert failures[0][1] < 1


def test_check_a1_branches_with_stubbed_reduction(monkeypatch: pytest.MonkeyPatch) -> None:
    keeps: list[tuple[int, int]] = []

    def model(n: int, *, keep: Callable[[int, int], int]) -> Dist[str]:
        keeps.append((keep(2, 7), keep(3, 3)))
        return Dist.uniform([f"t{i}" for i in range(n + 1)])

    monkeypatch.setattr(ov, "factoring_model", model)
    monkeypatch.setattr(ov, "reduction_success", lambda law, n: (10 * n, []))
    v = ov.a1_exact_verdict(Level.STANDARD)
    assert v.outcome is Outcome.HOLDS and v.counterexample is None
    assert v.scope == "n in (1, 2, 3); two correct-only φ per n (chain rule of a law on S_n)"
    assert v.method == ("exact: induced(φ, prefix='[s,') for every s in the support; a·b = s and both n-digit primes")
    labels = ("all of S_n, weights 1+(pq mod 3)", "subset: pairs with (p+q) mod 3 != 0")
    assert v.evidence == tuple(f"n={n}, {lab}: {n + 1} tuples, {10 * n} semiprimes s, all factored with probability 1"
                               for n in (1, 2, 3) for lab in labels)
    assert dict(v.data) == {"A1": [{"n": n, "support": lab, "texts": n + 1, "semiprimes": 10 * n, "failures": 0}
                                   for n in (1, 2, 3) for lab in labels]}
    assert keeps[:2] == [(1 + 14 % 3, 1 + 9 % 3), (0, 0)]  # weights 1+(pq mod 3); (p+q) mod 3 != 0
    assert ov.a1_exact_verdict(Level.QUICK).scope.startswith("n in (1, 2);")

    monkeypatch.setattr(ov, "reduction_success",
                        lambda law, n: (10 * n, [(6, F(1, 2)), (10, F(0))] if n == 2 and len(keeps) % 2 == 0 else []))
    keeps.clear()
    v = ov.a1_exact_verdict(Level.DEEP)
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


# --- A2 -----------------------------------------------------------------------------------------


@given(appendix_instances(max_n=8))
def test_A2_spec_overlap_of_the_constructed_phi_is_the_sum_of_mins(ap: tuple[Vector, Vector]) -> None:
    a, p = ap
    got, target = overlap_model(a, p)
    n = len(p)
    assert overlap(got, target) == sum(min(x * y, F(1, n)) for x, y in zip(a, p)) == overlap_of(a, p)
    assert tvd(got, target) == 1 - overlap_of(a, p)


def test_A2_counterpart_a_wrong_overlap_formula_is_caught() -> None:
    a, p = (F(1), F(0)), (F(1), F(1))
    got, target = overlap_model(a, p)
    assert overlap(got, target) == F(1, 2) != sum(x * y for x, y in zip(a, p))  # the uncapped Σ a_i p_i = 1


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


# --- A3 -----------------------------------------------------------------------------------------


@given(st.integers(1, 8).flatmap(success_profiles))
def test_A3_greedy_value_equals_the_lp_dual_optimum(p: Vector) -> None:
    ok, g, d = lp_optimum_certified(p)
    assert ok and g == d
    assert F(greedy(p).full, len(p)) <= g < F(greedy(p).full + 1, len(p))


@given(st.integers(1, 6).flatmap(lambda n: st.tuples(mixtures(n), success_profiles(n))))
def test_A3_no_mixture_beats_the_greedy_pour(ap: tuple[Vector, Vector]) -> None:
    a, p = ap
    assert overlap_of(a, p) <= greedy(p).value <= dual_value(p)


def test_A3_counterpart_a_poor_mixture_is_below_the_dual_bound() -> None:
    p = (F(1), F(1, 2))
    assert overlap_of((F(0), F(1)), p) == F(1, 2) < dual_value(p) == greedy(p).value == F(3, 4)


def test_dual_value_of_an_all_zero_profile_is_an_exact_zero() -> None:
    v = appendix_math.dual_value([0, 0])
    assert type(v) is Fraction and str(v) == "0"
    assert appendix_math.dual_value([Fraction(1, 2), 0]) == Fraction(1, 2)


def test_z3_optimal_proves_the_greedy_value_and_refutes_anything_below_it() -> None:
    p = (F(1), F(1, 2))  # greedy: a = (1/2, 1/2) reaches min(1/2, 1/2) + min(1/4, 1/2) = 3/4
    proved = ov._z3_optimal(p, F(3, 4))
    assert proved.outcome is Outcome.PROVED
    # the SMT-LIB2 text the solvers read is headed by what it proves: the profile and the bound
    assert proved.smtlib.startswith("; LP optimum N=2, p = ['1', '1/2']: O(a, p) ≤ 3/4 for every a on the simplex\n")
    below = ov._z3_optimal(p, F(1, 2))
    assert below.outcome is Outcome.REFUTED and below.counterexample is not None
    a = (below.counterexample["a0"], below.counterexample["a1"])
    assert sum(a) == 1 and min(a) >= 0 and overlap_of(a, p) > F(1, 2)


def test_z3_optimal_is_unknown_when_the_solvers_give_up_on_that_bound() -> None:
    with using_solvers(giving_up_on("O(a, p) ≤ 3/4 ")):
        assert ov._z3_optimal((F(1), F(1, 2)), F(3, 4)).outcome is Outcome.UNKNOWN
        assert ov._z3_optimal((F(1), F(1, 2)), F(1)).outcome is Outcome.PROVED


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
    assert dict(v.data) == {}


def _fake_attempt(outcome: Outcome, cex: Mapping[str, Fraction] | None = None) -> ProofAttempt:
    from checkers.smt import SolverAnswer, SolverRun

    runs = (SolverRun("z3", SolverAnswer.SAT if cex else SolverAnswer.UNSAT, 0.25, "", None),
            SolverRun("cvc5", SolverAnswer.UNSAT, 0.5, "", None))
    return ProofAttempt(outcome, runs if cex is None else runs[:1], "", cex, 3, 4)


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
    assert v.outcome is Outcome.HOLDS and len(v.evidence) == 2
    assert v.evidence[1] == "z3 (linear) proved O(a, p) ≤ greedy(p) for all a on 4/4 seeded profiles"


# --- A4/A5: the bound ---------------------------------------------------------------------------


@given(appendix_instances(max_n=8))
def test_A5_overlap_squared_is_at_most_mean_p(ap: tuple[Vector, Vector]) -> None:
    a, p = ap
    assert overlap_of(a, p) ** 2 <= mean(p)


@pytest.mark.parametrize("n", range(1, 9))
def test_A5_tight_family_attains_equality(n: int) -> None:
    for k in range(n + 1):
        p = tight_profile(k, n)
        assert greedy(p).value == F(k, n) and greedy(p).value ** 2 == mean(p)


def test_A5_exhaustive_grid_has_no_violation_and_finds_the_off_by_one() -> None:
    rep = exhaustive_grid(3, 4)
    assert rep.violations == [] and rep.lp_mismatch == [] and rep.off_by_one == []
    assert rep.not_k_over_n  # the fractional last drink occurs
    assert 0 < rep.max_last_times_n < 1
    assert rep.tight_ok == rep.tight_total == 9


@pytest.mark.slow
def test_A5_all_n_proof_is_kernel_checked_with_rendered_statements_hashes_and_witnesses() -> None:
    report = prove_overlap_bound_all_n()
    assert report.outcome is Outcome.PROVED and report.broken == ()
    for record, ob in zip(report.records(), report.proof.obligations):
        assert record["outcome"] == "PROVED" and record["statement"] == ob.statement and not ob.edited
        hashes = record["smtlib_sha256"]
        assert isinstance(hashes, dict) and set(hashes) >= {"z3"} and all(len(h) == 64 for h in hashes.values())
        assert record["vacuity_witness"]
    text = "\n".join(report.evidence())
    assert "induction schema over ℕ" in text and "√" not in text and "stated" not in text
    assert [c.line().split(":")[0] for c in report.checked][:1] == ["[PROVED] per-item lemma (any real λ)"]


@pytest.mark.slow
def test_A4_all_k_proof_is_kernel_checked() -> None:
    report = prove_amhm_all_k()
    assert report.outcome is Outcome.PROVED and report.proof.rests_on == ()


def test_A5_per_item_lemma_has_a_solver_independent_certificate() -> None:
    certs = per_item_certificates()
    assert len(certs) == 2 and all(c.holds for c in certs)


def _recheck_direct(model: dict[str, Fraction], n: int, factor: Fraction) -> bool:
    """Independent exact re-check: the model's (a, p) is an instance with O² > factor·mean p."""
    a = [model[f"a{i}"] for i in range(n)]
    p = [model[f"p{i}"] for i in range(n)]
    require_instance(a, p)
    return overlap_of(a, p) ** 2 > factor * mean(p)


def test_A5_counterpart_tightened_bound_is_refuted_with_an_exact_model() -> None:
    attempt = tightened_direct(1, F(99, 100))
    assert attempt.outcome is Outcome.REFUTED and attempt.counterexample is not None
    assert _recheck_direct(dict(attempt.counterexample), 1, F(99, 100))


@pytest.mark.slow
def test_A5_counterpart_tightened_bound_is_refuted_at_n_2() -> None:
    attempt = tightened_direct(2, F(99, 100))
    assert attempt.outcome is Outcome.REFUTED and attempt.counterexample is not None
    assert _recheck_direct(dict(attempt.counterexample), 2, F(99, 100))


@pytest.mark.slow
def test_A5_counterpart_final_step_fed_4_lambda_t_is_a_broken_link_not_a_proof() -> None:
    report = check_proof(overlap_bound_proof(fed_factor=4, goal_factor=4))
    assert report.outcome is Outcome.UNKNOWN
    assert any("is neither a premise nor a proved goal" in b and "4*O" in b for b in report.broken)


def test_A5_counterpart_lemma_without_the_cap_is_refuted_with_an_exact_model() -> None:
    checked = check_obligations([lemma_without_cap()])[0]
    assert checked.outcome is Outcome.REFUTED and checked.attempt is not None
    m = checked.attempt.counterexample
    assert m is not None
    N, a, p, lam = m["x_N"], m["x_a"], m["x_p"], m["lam"]
    assert N >= 1 and a >= 0 and 0 <= p <= 1 and 2 * lam * N * a * p > lam * lam * N * a + p


def test_A5_the_sketch_step_k_over_n_changed_to_eps_over_2_is_refuted() -> None:
    checked = check_obligations([k_over_n_step(eps_factor=F(1, 2))])[0]
    assert checked.outcome is Outcome.REFUTED
    assert check_obligations([k_over_n_step()])[0].outcome is Outcome.PROVED


@pytest.mark.parametrize("n", [1, pytest.param(2, marks=pytest.mark.slow)])
def test_A5_direct_relaxed_encoding_proves_small_n(n: int) -> None:
    assert prove_direct(n, "relaxed", timeout_s=30).outcome is Outcome.PROVED


@pytest.mark.slow
def test_A5_sketch_steps_have_their_verdicts(level: Level) -> None:
    steps = sketch_steps(level)
    assert [s.id for s in steps] == [f"A5.{i}" for i in range(1, 7)]
    assert [s.outcome for s in steps] == [Outcome.REFUTED, Outcome.HOLDS, Outcome.PROVED, Outcome.PROVED,
                                          Outcome.REFUTED, Outcome.PROVED]
    assert all(s.matches for s in steps)
    assert steps[0].counterexample == "N=1, p=['1/2'], sweetness 1/2" and steps[0].corrected
    changed = sketch_steps(level, k_over_n=k_over_n_step(eps_factor=F(1, 2)))
    assert changed[3].outcome is Outcome.REFUTED and not changed[3].matches
    assert greedy((F(1, 2),)).value == F(1, 2)  # the re-check: a multiple of 1/1 it is not


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
    assert [(r["N"], r["encoding"], r["verdict"], r["runs"]) for r in rows] == [
        (1, "relaxed", "PROVED", "z3 unsat 0.50s; cvc5 unsat 1.25s"), (2, "relaxed", "PROVED", "z3 unsat 0.50s; cvc5 unsat 1.25s")]
    assert {timeout for _, _, timeout in calls} == {20.0}
    calls.clear()
    rows = ov._direct_frontier(Level.STANDARD)
    assert [(r["N"], r["encoding"]) for r in rows] == [(1, "relaxed"), (2, "relaxed"), (1, "projected"), (2, "projected")]
    assert {timeout for _, _, timeout in calls} == {20.0}
    calls.clear()
    monkeypatch.setattr(ov, "prove_direct", _fake_direct(calls, {(3, "plain"), (1, "sorted")}))
    rows = ov._direct_frontier(Level.DEEP)
    assert [(r["N"], r["encoding"]) for r in rows] == [(1, "plain"), (2, "plain"), (3, "plain"), (1, "sorted"),
                                                      *((n, k) for k in ("relaxed", "projected", "hinted") for n in (1, 2, 3, 4))]
    assert {timeout for _, _, timeout in calls} == {60.0}
    assert [r["verdict"] for r in rows][:4] == ["PROVED", "PROVED", "UNKNOWN", "UNKNOWN"]
    assert rows[2]["runs"] == "z3 unknown 0.50s; cvc5 unsat 1.25s"


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


# --- A6 -----------------------------------------------------------------------------------------


def test_A6_rational_bounds_are_certified_by_squaring() -> None:
    rows = tvd_lower_bounds()
    assert [r["exponent"] for r in rows] == list(range(1, 13))
    for r in rows:
        eps, u = F(str(r["eps"])), F(str(r["u_ge_sqrt_eps"]))
        assert u * u >= eps and F(str(r["tvd_lower_bound"])) == 1 - u
        if int(str(r["exponent"])) % 2 == 0:
            assert u == F(1, 10 ** (int(str(r["exponent"])) // 2))  # √ε is rational: the bound is exact


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


# --- the registry's checks ----------------------------------------------------------------------


def test_check_A1_A2_A3_give_their_expected_outcomes(level: Level) -> None:
    assert check_A1(level).outcome is Outcome.HOLDS
    assert check_A2(level).outcome is Outcome.PROVED
    assert check_A3(level).outcome is Outcome.HOLDS


@pytest.mark.slow
def test_check_A4_A5_A6_are_proved(level: Level) -> None:
    for check in (check_A4, check_A5, check_A6):
        v = check(level)
        assert v.outcome is Outcome.PROVED, (check.__name__, v.evidence)
        assert v.scope and v.method and v.evidence and v.statements and v.obligations
    a6 = check_A6(level)
    assert a6.data["tvd_bound"] and set(a6.rests_on) == {"A2", "A5", "X1"} and a6.label == "PROVED given X1"


# --- A1 by SMT (checkers.appendix) -----------------------------------------------------------


def test_a1_n1_is_proved() -> None:
    assert appendix.prove_a1(1).outcome is Outcome.PROVED


def test_a1_with_one_wrong_tuple_allowed_is_refuted() -> None:
    attempt = appendix.refute_a1_one_wrong_tuple(1)
    assert attempt.outcome is Outcome.REFUTED and attempt.counterexample is not None
    model = attempt.counterexample
    assert model["a1"] * model["b1"] != model["s"]


def test_refute_a1_one_wrong_tuple_uses_the_given_n() -> None:
    attempt = appendix.refute_a1_one_wrong_tuple(2)
    assert attempt.outcome is Outcome.REFUTED
    assert (attempt.num_vars, attempt.num_assertions) == (24, 57)
    hyps, goal = appendix.a1_encoding(2, one_wrong=True)
    assert attempt.counterexample is not None and smt.refutes(hyps, goal)(attempt.counterexample)
    assert {f"a{i}" for i in (1, 2)} <= set(attempt.counterexample)


def test_a1_smt_verdict_is_proved(level: Level) -> None:
    verdict = appendix.a1_smt_verdict(level)
    assert verdict.outcome is Outcome.PROVED, verdict.evidence
    assert verdict.scope and verdict.data["proofs"]


# ---- the appendix's perturbed twins and their exact re-checks --------------------------------------------


def _data_verdict(data: Mapping[str, object]) -> Verdict:
    return Verdict(Outcome.REFUTED, "s", "m", counterexample="c", data=data)


def _model_verdict(model: Mapping[str, Fraction]) -> Verdict:
    return _data_verdict({"model": {k: str(x) for k, x in model.items()}})


def test_recheck_a2_a3_a5_a6_accept_the_real_counterexample_and_reject_a_tweak() -> None:
    a2 = {"a": ["1", "0"], "p": ["1", "1"], "overlap": "1/2"}
    assert appendix._recheck_a2(_data_verdict(a2)) is None
    assert appendix._recheck_a2(_data_verdict({"a": ["1", "0", "0"], "p": ["1", "1", "1"], "overlap": "1/3"})) is None
    no = "the instance satisfies Σ a p after all"
    assert appendix._recheck_a2(_data_verdict({**a2, "overlap": "1"})) == no
    assert appendix._recheck_a2(_data_verdict({"a": ["1/2", "1/2"], "p": ["1", "1"], "overlap": "1"})) == no
    assert appendix._recheck_a2(_data_verdict({"a": ["1", "0"], "p": ["1/2", "1"], "overlap": "1/2"})) == no

    a3 = {"p": ["0", "1/2"], "value": "0", "optimum": "1/2"}
    assert appendix._recheck_a3(_data_verdict(a3)) is None
    assert appendix._recheck_a3(_data_verdict({**a3, "value": "1/4"})) == "the values do not re-check"
    assert appendix._recheck_a3(_data_verdict({**a3, "optimum": "0"})) == "the values do not re-check"
    assert appendix._sourest_first([F(1, 2), F(1), F(0)]) == (F(0), F(0), F(1))
    assert appendix._sourest_first([F(1), F(3, 4)]) == (F(1, 3), F(2, 3))

    assert appendix._recheck_a5(_model_verdict({"a0": F(1), "p0": F(1)})) is None
    assert appendix._recheck_a5(_model_verdict({"a0": F(1), "p0": F(0)})) == "O² ≤ (99/100)·mean p on the model"

    a6 = {"p": ["1/2", "0"], "a": ["1", "0"], "eps": "251/1000", "tvd": "1/2"}
    no6 = "the tight instance does not violate TVD ≥ 1 − ε"
    assert appendix._recheck_a6(_data_verdict(a6)) is None
    assert appendix._recheck_a6(_data_verdict({**a6, "eps": "1/4"})) == no6
    assert appendix._recheck_a6(_data_verdict({**a6, "a": ["0", "1"]})) == no6
    assert appendix._recheck_a6(_data_verdict({**a6, "eps": "1/2"})) == no6  # TVD 1/2 = 1 − ε, not below


def test_recheck_pair_checks_sums_and_the_statement() -> None:
    def recheck(v: Verdict) -> str | None:
        return appendix._recheck_pair(appendix._tvd_at_most_half_violated, v)

    assert recheck(_data_verdict({"pair": [{"c": "1"}, {"b": "1"}]})) is None
    assert recheck(_data_verdict({"pair": [{"c": "1"}, {"c": "1"}]})) == "the pair satisfies the perturbed statement after all"
    assert recheck(_data_verdict({"pair": [{"c": "1/2"}, {"c": "1"}]})) == "the counterexample's laws do not sum to 1"
    assert recheck(_data_verdict({"pair": [{"c": "1"}, {"c": "1/2", "b": "1/4"}]})) == (
        "the counterexample's laws do not sum to 1")
    p, q = {"a": F(1, 2), "b": F(1, 2)}, {"a": F(1, 4), "c": F(3, 4)}
    assert appendix._plain_tvd(p, q) == F(3, 4) and appendix._plain_overlap(p, q) == F(1, 4)
    assert appendix._plain_tvd(q, p) == F(3, 4) and appendix._plain_overlap(q, p) == F(1, 4)


def test_recheck_a6_uses_the_cap_one_over_n() -> None:
    # N = 2, a = (1, 0), p = (1, 0): the capped overlap is 1/2, so 1 − O = 1/2 is not < 1 − 3/5
    data = {"p": ["1", "0"], "a": ["1", "0"], "eps": "3/5", "tvd": "1/2"}
    assert appendix._recheck_a6(_data_verdict(data)) == "the tight instance does not violate TVD ≥ 1 − ε"
    assert appendix._recheck_a6(_data_verdict({**data, "eps": "1/4"})) == "the tight instance does not violate TVD ≥ 1 − ε"


def test_a6_without_root_needs_a_strict_gap(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(appendix, "tvd", lambda d1, d2: F(749, 1000))  # = 1 − ε exactly at N = 2, k = 1
    v = appendix._a6_without_root(Level.QUICK)
    assert v.counterexample == "N=3, k=1: mean p < ε = 1009/9000 but TVD = 749/1000 < 1 − ε"
    assert dict(v.data) == {"p": ["1/3", "0", "0"], "a": ["1", "0", "0"], "eps": "1009/9000", "tvd": "749/1000"}
    monkeypatch.setattr(appendix, "tvd", lambda d1, d2: F(1))
    v = appendix._a6_without_root(Level.QUICK)
    assert (v.outcome, v.scope, v.method) == (Outcome.HOLDS, "tight family, N ≤ 4", "A6")


def test_pairs_verdict_scopes_and_pair() -> None:
    v = appendix.pairs_verdict(appendix.OVERLAP_IS_ONE_MINUS_TVD, "identity", ("ab", (0, 1)))
    assert (v.outcome, v.scope, v.method, v.evidence) == (
        Outcome.HOLDS, "all 9 pairs of laws on 'ab' with weights in {0, 1}", "exhaustive: identity",
        ("3 laws, 9 ordered pairs",))
    v = appendix.pairs_verdict(appendix.OVERLAP_IS_ONE_MINUS_TVD, "identity")
    assert v.scope == "all 361 pairs of laws on 'abc' with weights in {0, 1, 2}" and v.evidence == ("19 laws, 361 ordered pairs",)
    v = appendix.pairs_verdict(lambda p, q: p == q, "equal", ("ab", (0, 1)))
    assert (v.outcome, v.scope, v.method, v.counterexample) == (
        Outcome.REFUTED, "pairs of laws on 'ab' with weights in {0, 1}", "exhaustive: equal",
        "d1 = {'b': '1'}, d2 = {'a': '1'}")
    assert dict(v.data) == {"pair": [{"b": "1"}, {"a": "1"}]}


def test_a2_without_cap_holds_when_the_overlap_is_uncapped(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(appendix, "overlap_model", lambda a, p: (a, p))
    monkeypatch.setattr(appendix, "overlap", lambda a, p: sum((x * y for x, y in zip(a, p)), Fraction(0)))
    assert appendix._a2_without_cap(Level.QUICK) == Verdict(Outcome.HOLDS, "three (a, p) instances",
                                                            "A2's overlap_model")


# ---- the all-N proofs rest on no claim or assumption; solver trouble is never a pass ------------------------


def test_the_all_n_proofs_of_a2_and_a4_rest_on_their_domain_and_definitions_only() -> None:
    a4 = appendix.amhm_proof()
    assert [p.source for p in a4.premises] == ["domain"] * 4 + ["definition"] * 5
    assert a4.rests_on == ()
    a2 = appendix.overlap_identity_proof()
    assert [p.source for p in a2.premises] == (["domain", "domain"] + ["definition"] * 11 + ["domain"]
                                               + ["definition"] * 3)
    assert a2.rests_on == ()


def _cvc5_gives_up(text: str) -> SolverRun:
    return SolverRun("cvc5", SolverAnswer.UNKNOWN, 0.0, "gave up (simulated)", None)


def test_check_a2_is_unknown_not_proved_when_cvc5_does_not_confirm_its_all_n_proof() -> None:
    clear_caches("checkers")  # A2's all-N proof is memoised: neither a cached PROVED nor this UNKNOWN may leak
    try:
        with using_solvers(Solvers().with_cvc5(_cvc5_gives_up)):
            v = check_A2(Level.QUICK)
    finally:
        clear_caches("checkers")
    assert v.outcome is Outcome.UNKNOWN and v.counterexample is None
    assert [s.outcome for s in v.statements] == [Outcome.UNKNOWN, Outcome.HOLDS]  # the instances still hold exactly
    assert v.evidence[-1] == "spec: overlap(induced φ, Unif(S)) = Σ min(a_i p_i, 1/N) = 1 − tvd on all 70 instances"
    assert {rec["outcome"] for rec in v.obligations} >= {"UNKNOWN"}


def test_a1_smt_verdict_is_unknown_when_its_failing_counterpart_is_not_refuted() -> None:
    with using_solvers(giving_up_on("one wrong tuple")):
        v = appendix.a1_smt_verdict(Level.QUICK)
    assert v.outcome is Outcome.UNKNOWN and v.statements[0].outcome is Outcome.UNKNOWN
    assert dict(v.data) == {"proofs": [{"scope": "n = 1", "outcome": "PROVED"}]}  # A1 itself is still proved
    assert v.evidence[-2:] == (
        "probability 1 follows for terminating φ: the wrong completions each have probability 0",
        "failing counterpart, one wrong tuple allowed in the support: UNKNOWN")


def test_a1_smt_verdict_shows_the_model_of_its_refuted_counterpart() -> None:
    v = appendix.a1_smt_verdict(Level.QUICK)
    wrong = appendix.refute_a1_one_wrong_tuple(1)
    assert wrong.counterexample is not None
    assert v.evidence[-1] == ("failing counterpart, one wrong tuple allowed in the support: REFUTED "
                              f"({smt.format_model(wrong.counterexample)})")


def test_prove_a1_is_unknown_not_proved_when_its_time_budget_is_too_short() -> None:
    attempt = appendix.prove_a1(1, timeout_s=0.001)
    assert attempt.outcome is Outcome.UNKNOWN and attempt.counterexample is None
    assert any(run.answer is SolverAnswer.UNKNOWN for run in attempt.runs)


# ---- the sketch at the deep level, with its step k/N < √ε changed ---------------------------------------------


def _parse_model(text: str) -> dict[str, Fraction]:
    """`x = 1/2, y = 3` back to exact values."""
    return {name: F(value) for name, value in (part.split(" = ") for part in text.split(", "))}


@pytest.mark.slow  # the deep level's grid: about 4 s
def test_sketch_steps_at_the_deep_level_cover_N_5_d_8_and_a_changed_step_shows_its_model() -> None:
    steps = {s.id: s for s in sketch_steps(Level.DEEP, k_over_n=k_over_n_step(eps_factor=F(1, 2)))}
    # sorted profiles on some grid {0, 1/d, …, 1}^N, N ≤ 5, d ≤ 8: multisets of Farey fractions of order 8
    # whose denominators have a common multiple d ≤ 8
    farey = sorted({F(k, d) for d in range(1, 9) for k in range(d + 1)})
    profiles = sum(1 for n in range(1, 6) for ms in itertools.combinations_with_replacement(farey, n)
                   if math.lcm(*(x.denominator for x in ms)) <= 8)
    assert profiles == 4444
    grid = steps["A5.2"].evidence[0]
    assert grid.startswith(f"p on the grid {{0, 1/d, …, 1}}^N, N ≤ 5, d ≤ 8: {profiles} sorted profiles; ")
    assert grid.endswith("; the bound fails on 0")
    assert steps["A5.6"].evidence == (
        "all-N theorem: PROVED", f"grid: {profiles} profiles, 0 with opt² > mean p",
        f"tight family p = (k/N,…,k/N,0,…): opt² = mean p on {sum(n + 1 for n in range(1, 6))}/20 (k ≤ N ≤ 5)")
    changed = steps["A5.4"]
    assert (changed.outcome, changed.expected, changed.matches) == (Outcome.REFUTED, Outcome.PROVED, False)
    assert changed.evidence[0].startswith("[REFUTED] k/N < √ε, squared: ") and changed.evidence[2] == "no witness"
    prefix = "the solvers found a model of its negation: "
    assert changed.counterexample is not None and changed.counterexample.startswith(prefix)
    m = _parse_model(changed.counterexample[len(prefix):])
    k, N, S, P, eps = m["k"], m["N"], m["S"], m["P"], m["eps"]
    assert N > 0 and k >= 0 and k * k <= N * S and S <= P < N * eps  # A4 and mean p < ε hold...
    assert (k / N) ** 2 >= eps / 2  # ...and the changed step fails, re-checked exactly


# ---- A5 and A6: what the figures show --------------------------------------------------------------------------


def _plot_verdict(table: str, rows: list[object]) -> Verdict:
    return Verdict(Outcome.PROVED, "s", "m", data={table: rows})


A5_ROWS: list[object] = [
    {"mean_p": "1/2", "opt": "1/2", "tight": False},  # a sampled profile: (mean p, opt²) = (1/2, 1/4)
    {"mean_p": "3/8", "opt": "1/2"},  # no "tight": sampled, (3/8, 1/4)
    {"mean_p": "1/4", "opt": "1/2", "tight": True},  # the tight family: (1/4, 1/4), on the bound
    {"mean_p": "0", "opt": "0", "tight": True},  # the tight family at k = 0: (0, 0)
    {"mean_p": "1/2"}, {"mean_p": "half", "opt": "1"}, {"mean_p": "1/0", "opt": "1"},  # no optimum, not numbers
]


def test_a5_figure_plots_each_exact_optimum_squared_against_mean_p_under_the_bound() -> None:
    fig = appendix.a5_figure(_plot_verdict("plot", A5_ROWS), {})
    assert fig is not None
    try:
        (ax,) = fig.get_axes()
        bound, sampled, tight = ax.get_lines()
        assert bound.get_xydata().tolist() == [[0, 0], [1, 1]]
        assert sampled.get_xydata().tolist() == [[0.5, 0.25], [0.375, 0.25]]
        assert tight.get_xydata().tolist() == [[0.25, 0.25], [0, 0]]
        labels = ["proven bound (all N): opt² = mean p", "2 sampled profiles p (exact optimum)",
                  "tight family p = (k/N,…,k/N,0,…): opt² = mean p (2)"]
        assert [ln.get_label() for ln in (bound, sampled, tight)] == labels
        assert [t.get_text() for t in ax.get_legend().get_texts()] == labels
        assert ax.get_xlim() == (0, 1.02) and ax.get_ylim() == (0, 1.02)
        assert ax.get_xlabel() == "mean success probability of factoring, (1/N)·Σ p_i"
        assert ax.get_ylabel() == "best overlap squared, opt² (exact, over all mixtures a)"
        assert ax.get_title() == "A5: every exact optimum lies on or under the proven bound opt² ≤ mean p"
    finally:
        pyplot().close(fig)
    only_tight = appendix.a5_figure(_plot_verdict("plot", A5_ROWS[2:4]), {})
    assert only_tight is not None
    try:
        assert [ln.get_label() for ln in only_tight.get_axes()[0].get_lines()] == [labels[0], labels[2]]
    finally:
        pyplot().close(only_tight)
    assert appendix.a5_figure(_plot_verdict("plot", A5_ROWS[4:]), {}) is None
    assert appendix.a5_figure(Verdict(Outcome.PROVED, "s", "m"), {}) is None


def test_a6_figure_plots_the_bound_from_the_smallest_eps_to_1_the_certified_points_and_a5s_instances() -> None:
    bounds: list[object] = [{"eps": "1/100", "tvd_lower_bound": "9/10"}, {"eps": "1/10000", "tvd_lower_bound": "99/100"},
                            {"eps": "1/10"}]  # no bound: not drawn
    fig = appendix.a6_figure(_plot_verdict("tvd_bound", bounds), {"A5": _plot_verdict("plot", A5_ROWS)})
    assert fig is not None
    try:
        (ax,) = fig.get_axes()
        curve, certified, sampled, tight = ax.get_lines()
        xs, ys = curve.get_xdata(), curve.get_ydata()
        assert len(xs) == 201 and xs[0] == pytest.approx(1e-4) and xs[-1] == 1.0  # from the smallest ε up to ε = 1
        steps = [math.log10(b / a) for a, b in zip(xs, xs[1:])]
        assert steps == pytest.approx([4 / 200] * 200)  # evenly spaced on the log axis
        assert list(ys) == pytest.approx([1 - math.sqrt(x) for x in xs])
        assert certified.get_xydata().tolist() == [[0.01, 0.9], [1e-4, 0.99]]  # correctly rounded, as the literals
        assert sampled.get_xydata().tolist() == [[0.5, 0.5], [0.375, 0.5]]  # (mean p, 1 − opt)
        assert tight.get_xydata().tolist() == [[0.25, 0.5]]  # mean p = 0 has no place on a log axis
        labels = ["proven: TVD ≥ 1 − √ε (A2 + A5)", "certified rational lower bounds 1 − u, u² ≥ ε (A6's table)",
                  "sampled profiles p: exact least TVD, 1 − opt, at ε = mean p", "tight family (on the bound)"]
        assert [ln.get_label() for ln in (curve, certified, sampled, tight)] == labels
        assert [t.get_text() for t in ax.get_legend().get_texts()] == labels
        assert ax.get_xscale() == "log" and ax.get_ylim() == (-0.02, 1.02)
        assert ax.get_xlabel() == "ε, the mean success probability of factoring (log scale)"
        assert ax.get_ylabel() == "TVD between φ's law and Unif(S_n) (no unit, 0 to 1)"
        assert ax.get_title() == "A6: TVD = 1 − o(1) as ε → 0; exact instances never fall under the bound"
        (caveat,) = fig.texts
        assert " ".join(caveat.get_text().split()) == (
            "Points: exact instances reach down to mean p = 1/4 (A5's sampled and tight profiles, N ≤ 8); below that "
            "the curve is the proof, shown by its certified rational points. That ε → 0 is the hardness assumption "
            f"{FACTORING_IS_HARD}, not something shown here.")
    finally:
        pyplot().close(fig)
    alone = appendix.a6_figure(_plot_verdict("tvd_bound", bounds), {})
    assert alone is not None
    try:
        (ax,) = alone.get_axes()
        assert [ln.get_label() for ln in ax.get_lines()] == labels[:2]
        (caveat,) = alone.texts
        assert " ".join(caveat.get_text().split()).startswith(
            "Points: no exact instances in this run (A5 not run); below that the curve is the proof")
    finally:
        pyplot().close(alone)
    assert appendix.a6_figure(_plot_verdict("tvd_bound", bounds[2:]), {"A5": _plot_verdict("plot", A5_ROWS[3:])}) is None


def _line_styles(ax: Any) -> list[tuple[tuple[float, ...] | None, str, str, float]]:
    """(colour, marker, line style, marker size) of each plotted line; None for a colour left to the cycle."""
    from matplotlib.colors import to_rgba

    cycle = {to_rgba(c) for c in pyplot().rcParams["axes.prop_cycle"].by_key()["color"]}
    return [(None if to_rgba(ln.get_color()) in cycle else to_rgba(ln.get_color()), ln.get_marker(),
             ln.get_linestyle(), ln.get_markersize()) for ln in ax.get_lines()]


def test_a5_figure_draws_the_bound_black_dashed_the_samples_as_dots_and_the_tight_family_as_red_stars() -> None:
    from matplotlib.colors import to_rgba

    fig = appendix.a5_figure(_plot_verdict("plot", A5_ROWS), {})
    assert fig is not None
    try:
        (ax,) = fig.get_axes()
        assert _line_styles(ax) == [(to_rgba("k"), "None", "--", 6), (None, "o", "None", 4),
                                    (to_rgba("r"), "*", "None", 9)]
        bound, sampled, _ = ax.get_lines()
        assert bound.get_linewidth() == 0.9 and sampled.get_alpha() == 0.7  # a thin bound, see-through samples
        assert ax.title.get_fontsize() == 10
        assert {t.get_fontsize() for t in ax.get_legend().get_texts()} == {8}
    finally:
        pyplot().close(fig)


def test_a6_figure_draws_the_bound_black_dashed_certified_points_as_blue_squares_and_the_tight_family_as_red_stars(
) -> None:
    from matplotlib.colors import to_rgba

    bounds: list[object] = [{"eps": "1/100", "tvd_lower_bound": "9/10"}]
    fig = appendix.a6_figure(_plot_verdict("tvd_bound", bounds), {"A5": _plot_verdict("plot", A5_ROWS)})
    assert fig is not None
    try:
        (ax,) = fig.get_axes()
        assert _line_styles(ax) == [(to_rgba("k"), "None", "--", 6), (to_rgba("b"), "s", "None", 5),
                                    (None, "o", "None", 4), (to_rgba("r"), "*", "None", 9)]
        curve, _, sampled, _ = ax.get_lines()
        assert curve.get_linewidth() == 0.9 and sampled.get_alpha() == 0.7
        assert tuple(fig.get_size_inches()) == (7.0, 5.2)
        assert ax.title.get_fontsize() == 10
        assert {t.get_fontsize() for t in ax.get_legend().get_texts()} == {8}
    finally:
        pyplot().close(fig)


def test_the_tightened_bound_tvd_at_most_half_admits_pairs_at_exactly_one_half() -> None:
    # laws on 'ab' with weights in {1, 3}: (1/2, 1/2), (1/4, 3/4), (3/4, 1/4); the largest TVD is exactly 1/2
    v = appendix.pairs_verdict(appendix._tvd_at_most_half, "TVD ≤ 1/2", ("ab", (1, 3)))
    assert (v.outcome, v.scope, v.method, v.counterexample, v.evidence) == (
        Outcome.HOLDS, "all 9 pairs of laws on 'ab' with weights in {1, 3}", "exhaustive: TVD ≤ 1/2", None,
        ("3 laws, 9 ordered pairs",))
    at_half = _data_verdict({"pair": [{"a": "1/4", "b": "3/4"}, {"a": "3/4", "b": "1/4"}]})
    assert appendix._recheck_pair(appendix._tvd_at_most_half_violated, at_half) == (
        "the pair satisfies the perturbed statement after all")
    # the twin's own counterexample, two point masses, is at TVD 1 and re-checks
    twin = appendix.TWINS_A2[2]
    got = twin.run(Level.QUICK)
    assert (got.outcome, got.counterexample) == (Outcome.REFUTED, "d1 = {'c': '1'}, d2 = {'b': '1'}")
    assert twin.recheck is not None and twin.recheck(got) is None


def test_sketch_steps_at_the_standard_level_cover_N_4_d_6_and_show_a_hand_edited_step_unsolved() -> None:
    kn = k_over_n_step()
    edited = replace(kn, printed="k/N < ε")  # the printed statement no longer renders its formulas
    steps = {s.id: s for s in sketch_steps(Level.STANDARD, k_over_n=edited)}
    farey = sorted({F(k, d) for d in range(1, 7) for k in range(d + 1)})
    profiles = sum(1 for n in range(1, 5) for ms in itertools.combinations_with_replacement(farey, n)
                   if math.lcm(*(x.denominator for x in ms)) <= 6)
    assert steps["A5.2"].evidence[0].startswith(f"p on the grid {{0, 1/d, …, 1}}^N, N ≤ 4, d ≤ 6: {profiles} sorted profiles; ")
    step = steps["A5.4"]
    assert (step.outcome, step.matches) == (Outcome.UNKNOWN, False)
    assert step.evidence[1:] == ("SMT-LIB2 SHA-256 -", "no witness")


def test_the_lemma_without_the_cap_is_named_as_printed() -> None:
    assert lemma_without_cap().name == "per-item lemma without the cap 1/N"


def test_lemma_without_cap_states_the_per_item_lemma_for_every_N_at_least_1() -> None:
    assert appendix.lemma_without_cap().statement == (
        "x_N >= 1 ∧ x_a >= 0 ∧ x_p >= 0 ∧ x_p <= 1  ⊢  2*lam*x_N*x_a*x_p <= lam*lam*x_N*x_a + x_p")


def test_an_encoding_accepts_as_counterexample_only_a_model_meeting_every_hypothesis_and_breaking_the_goal() -> None:
    enc = appendix.Encoding("x ≥ 1 ⊢ x ≥ 2", ("x",), lambda logic, v: ([v["x"] >= 1], v["x"] >= 2))
    assert enc.exact({"x": Fraction(3, 2)})  # meets x ≥ 1, breaks x ≥ 2
    assert not enc.exact({"x": Fraction(0)})  # breaks the goal but not a hypothesis
    assert not enc.exact({"x": Fraction(2)})  # meets the goal


def test_a1_encoding_accepts_at_most_two_digits() -> None:
    with pytest.raises(InvalidArgument, match=r"^n must be an int between 1 and 2, got 3$"):
        appendix.a1_encoding(3)


def test_a5_figure_titles_in_ten_points_whatever_the_default_font_size() -> None:
    import matplotlib

    with matplotlib.rc_context({"font.size": 14.0}):
        fig = appendix.a5_figure(_plot_verdict("plot", A5_ROWS), {})
    assert fig is not None
    try:
        assert fig.get_axes()[0].title.get_fontsize() == 10
    finally:
        pyplot().close(fig)


def test_a5_figure_places_a_tight_row_at_its_mean_p_and_its_optimum_squared() -> None:
    rows: list[object] = [{"mean_p": "1/2", "opt": "1/2", "tight": True}]  # off the bound: (1/2, 1/4)
    fig = appendix.a5_figure(_plot_verdict("plot", rows), {})
    assert fig is not None
    try:
        _, tight = fig.get_axes()[0].get_lines()
        assert tight.get_xydata().tolist() == [[0.5, 0.25]]
    finally:
        pyplot().close(fig)


@pytest.mark.parametrize("kind", ["relaxed", "projected", "hinted"])
def test_direct_encoding_lets_a_sugar_variable_reach_the_cap_1_over_n(kind: str) -> None:
    # N = 1, a = p = t = 1 = cap: the hypotheses hold, and O² = 1 > (1/2)·mean p, so it is a real counterexample
    enc = direct_encoding(1, kind, factor=Fraction(1, 2))
    assert enc.variables == ("a0", "p0", "t0")
    assert enc.exact({"a0": Fraction(1), "p0": Fraction(1), "t0": Fraction(1)}) is True


def test_direct_encoding_projected_sets_each_sugar_variable_to_a_times_p() -> None:
    enc = direct_encoding(1, "projected", factor=Fraction(1, 4))
    # t = a·p = 1/2: O² = 1/4 > (1/4)·(1/2), a counterexample to the weakened bound
    assert enc.exact({"a0": Fraction(1), "p0": Fraction(1, 2), "t0": Fraction(1, 2)}) is True
    assert enc.exact({"a0": Fraction(1), "p0": Fraction(1, 2), "t0": Fraction(2)}) is False


def test_direct_encoding_sorted_computes_the_overlap_from_a_and_p_alone() -> None:
    enc = direct_encoding(2, "sorted", factor=Fraction(1, 2))
    assert enc.variables == ("a0", "a1", "p0", "p1")
    model = {"a0": Fraction(1), "a1": Fraction(0), "p0": Fraction(1), "p1": Fraction(1)}
    # O = min(1, 1/2) + min(0, 1/2) = 1/2: N·O² = 1/2 > (1/2)·Σp = 1? no: 1/2 ≤ 1, the goal holds
    assert enc.exact(model) is False
    model = {"a0": Fraction(1, 2), "a1": Fraction(1, 2), "p0": Fraction(1), "p1": Fraction(1)}
    # O = 1/2 + 1/2 = 1: N·O² = 2 > (1/2)·2 = 1, a counterexample
    assert enc.exact(model) is True
    unsorted = {"a0": Fraction(1, 2), "a1": Fraction(1, 2), "p0": Fraction(0), "p1": Fraction(1)}
    assert enc.exact(unsorted) is False  # p0 ≥ p1 is a hypothesis of the sorted encoding


def test_overlap_bound_proof_tags_its_first_four_premises_domain_and_the_rest_definition() -> None:
    proof = overlap_bound_proof()
    assert [p.source for p in proof.premises] == ["domain"] * 4 + ["definition"] * 9


def test_tightened_overlap_recheck_reads_the_pair_with_the_hundredth_subtracted_once() -> None:
    half = {"x": Fraction(1, 2)}
    # overlap 1/2, TVD 0: 1/2 ≤ 1 − 0 − 1/100 holds, so the pair does not violate the tightened statement
    assert appendix._overlap_tightened_violated(half, dict(half)) is False
    assert appendix._overlap_tightened_violated({"x": Fraction(1)}, {"x": Fraction(1)}) is True
