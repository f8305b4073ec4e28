"""The appendix (A1-A6): exact laws, the all-N proof, direct encodings, sketch steps and failing counterparts."""

from __future__ import annotations

from fractions import Fraction

import pytest
import z3
from hypothesis import given
from hypothesis import strategies as st

from checkers import smt_reduction as sr
from checkers.overlap import (
    Vector,
    check_A1,
    check_A2,
    check_A3,
    check_A4,
    check_A5,
    check_A6,
    check_instance,
    direct_encoding,
    dual_value,
    exhaustive_grid,
    factoring_model,
    greedy,
    k_over_n_step,
    lemma_without_cap,
    lp_optimum_certified,
    mean,
    overlap_bound_proof,
    overlap_model,
    overlap_of,
    per_item_certificates,
    prove_amhm_all_k,
    prove_direct,
    prove_overlap_bound_all_n,
    reduction_success,
    sketch_steps,
    tight_profile,
    tightened_direct,
    tvd_lower_bounds,
)
from checkers.proof import check_obligations, check_proof
from checkers.verdict import Level, Outcome
from spec import Dist, overlap, tvd
from spec.errors import InvalidArgument
from strategies import appendix_instances, mixtures, success_profiles

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
        check_instance(a, p)


def test_bad_encodings_and_families_raise_invalid_argument() -> None:
    with pytest.raises(InvalidArgument, match="kind"):
        direct_encoding(2, "magic")
    with pytest.raises(InvalidArgument, match="N must be"):
        direct_encoding(0, "plain")
    with pytest.raises(InvalidArgument, match="0 <= k <= N"):
        tight_profile(3, 2)


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
    check_instance(a, p)
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


# --- A6 -----------------------------------------------------------------------------------------


def test_A6_rational_bounds_are_certified_by_squaring() -> None:
    rows = tvd_lower_bounds()
    assert [r["exponent"] for r in rows] == list(range(1, 13))
    for r in rows:
        eps, u = F(str(r["eps"])), F(str(r["u_ge_sqrt_eps"]))
        assert u * u >= eps and F(str(r["tvd_lower_bound"])) == 1 - u
        if int(str(r["exponent"])) % 2 == 0:
            assert u == F(1, 10 ** (int(str(r["exponent"])) // 2))  # √ε is rational: the bound is exact


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


# --- A1 by SMT (checkers.smt_reduction) -----------------------------------------------------------


def test_a1_n1_is_proved() -> None:
    assert sr.prove_a1(1).outcome is Outcome.PROVED


def test_a1_with_one_wrong_tuple_allowed_is_refuted() -> None:
    attempt = sr.refute_a1_one_wrong_tuple(1)
    assert attempt.outcome is Outcome.REFUTED and attempt.counterexample is not None
    model = attempt.counterexample
    assert model["a1"] * model["b1"] != model["s"]


def test_check_A1_smt_is_proved(level: Level) -> None:
    verdict = sr.check_A1_smt(level)
    assert verdict.outcome is Outcome.PROVED, verdict.evidence
    assert verdict.scope and verdict.data["proofs"]
