"""The gauntlet: every perturbed claim comes back REFUTED, with a counterexample, never PROVED/HOLDS."""

from __future__ import annotations

from fractions import Fraction

import pytest

from checkers.claims import CLAIMS, _resolve
from checkers.gauntlet import (
    OVERLAP_IS_ONE_MINUS_TVD,
    PERTURBATIONS,
    Perturbation,
    pairs_verdict,
    run_gauntlet,
    run_one,
)
from checkers.verdict import PASSING, Outcome, Verdict

IDS = [f"{p.claim}-{i}" for i, p in enumerate(PERTURBATIONS)]


@pytest.mark.parametrize("p", PERTURBATIONS, ids=IDS)
def test_perturbed_claim_is_refuted_with_a_counterexample(p: Perturbation) -> None:
    v = run_one(p)
    assert v.outcome not in PASSING, f"{p.claim}: the false statement '{p.description}' came back {v.outcome.value}"
    assert v.outcome is p.expect, (p.claim, p.description, v.outcome, v.evidence)
    if p.expect is Outcome.REFUTED:
        assert v.counterexample, "a refutation must show its counterexample"


def test_only_the_statistical_audit_may_answer_unknown() -> None:
    assert {p.claim for p in PERTURBATIONS if p.expect is not Outcome.REFUTED} <= {"R2"}
    assert all(p.expect in (Outcome.REFUTED, Outcome.UNKNOWN) for p in PERTURBATIONS)


def test_every_perturbation_names_a_checked_registry_claim() -> None:
    expected = {c.id: c.expected for c in CLAIMS}
    for p in PERTURBATIONS:
        assert p.claim in expected and expected[p.claim] is not Outcome.ASSUMED, (p.claim, p.description)
        assert p.description.strip()


def test_every_landed_proved_or_holds_claim_has_a_perturbation() -> None:
    landed = {
        c.id for c in CLAIMS
        if c.expected in PASSING and c.checkers and all(_resolve(ref) is not None for ref in c.checkers)
    }
    covered = {p.claim for p in PERTURBATIONS}
    assert landed <= covered, f"claims with a landed checker but no perturbed claim: {sorted(landed - covered)}"


def test_run_gauntlet_reports_every_entry_in_order() -> None:
    results = run_gauntlet()
    assert [(c, d) for c, d, _ in results] == [(p.claim, p.description) for p in PERTURBATIONS]
    as_expected = sum(v.outcome is p.expect for p, (_, _, v) in zip(PERTURBATIONS, results))
    assert as_expected == len(PERTURBATIONS), f"{len(PERTURBATIONS)} perturbed claims, {as_expected} as expected"


def test_a_crashing_perturbation_is_an_error_not_a_pass() -> None:
    def crash() -> Verdict:
        raise RuntimeError("boom")

    v = run_one(Perturbation("S1", "crashes", crash))
    assert v.outcome is Outcome.ERROR and "boom" in v.evidence[0]


# ---- the gauntlet's own failing counterparts ----------------------------------------------------


def test_the_unperturbed_identity_holds_so_the_machinery_can_say_yes() -> None:
    v = pairs_verdict(OVERLAP_IS_ONE_MINUS_TVD, "overlap = 1 − TVD")
    assert v.outcome is Outcome.HOLDS and v.counterexample is None


def test_a_refutation_whose_counterexample_fails_the_recheck_is_not_counted() -> None:
    # a lying checker: it claims "TVD ≤ 1/2" fails on a pair at TVD 0
    lie = Verdict(Outcome.REFUTED, scope="fake", method="fake", counterexample="d1 = d2",
                  data={"pair": [{"a": "1"}, {"a": "1"}]})
    honest = next(p for p in PERTURBATIONS if p.description.startswith("tightened bound"))
    assert honest.recheck is not None
    v = run_one(Perturbation(honest.claim, honest.description, lambda: lie, honest.recheck))
    assert v.outcome is Outcome.UNKNOWN and "failed the exact re-check" in v.evidence[-1]


def test_a_recheck_refuses_counterexample_laws_that_do_not_sum_to_one() -> None:
    honest = next(p for p in PERTURBATIONS if p.description.startswith("tightened bound"))
    assert honest.recheck is not None
    bogus = Verdict(Outcome.REFUTED, scope="fake", method="fake", counterexample="x",
                    data={"pair": [{"a": "1", "b": "1"}, {"c": str(Fraction(1))}]})
    assert honest.recheck(bogus) == "the counterexample's laws do not sum to 1"


def test_a_perturbation_that_holds_would_be_caught() -> None:
    v = run_one(Perturbation("A2", "actually true", lambda: pairs_verdict(OVERLAP_IS_ONE_MINUS_TVD, "id")))
    assert v.outcome is Outcome.HOLDS  # run_one reports it as is; the parametrized test above fails on it
    assert v.outcome in PASSING
