"""The gauntlet: every perturbed claim comes back as it must (REFUTED with a counterexample, or UNKNOWN for
a broken proof), never PROVED/HOLDS."""

from __future__ import annotations

import pytest

from checkers.claims import CLAIMS, _resolve
from checkers.gauntlet import PERTURBATIONS, Perturbation, run_gauntlet, run_one
from checkers.verdict import PASSING, Outcome

IDS = [f"{p.claim}-{i}" for i, p in enumerate(PERTURBATIONS)]


@pytest.mark.parametrize("p", PERTURBATIONS, ids=IDS)
def test_perturbed_claim_comes_back_as_required(p: Perturbation) -> None:
    v = run_one(p)
    assert v.outcome not in PASSING, f"{p.claim}: the false statement '{p.description}' came back {v.outcome.value}"
    assert v.outcome is p.expected, (p.claim, p.description, v.outcome, v.evidence)
    if p.expected is Outcome.REFUTED:
        assert v.counterexample, "a refutation must show its counterexample"
    else:  # a broken proof is UNKNOWN with the reason, never a counterexample to the claim
        assert v.counterexample is None and v.evidence


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
    assert all(t.caught for t in results), [(t.claim, t.description, t.verdict.outcome) for t in results if not t.caught]
    assert {t.expected for t in results} == {Outcome.REFUTED, Outcome.UNKNOWN}
