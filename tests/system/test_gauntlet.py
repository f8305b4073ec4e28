"""The gauntlet: every claim's perturbed twin comes back as it must (REFUTED with a counterexample, or UNKNOWN for
a broken proof), never PROVED/HOLDS; the twins and their ids come from the registry."""

from __future__ import annotations

import pytest

from checkers.claims import CLAIMS
from checkers.gauntlet import GAUNTLET_LEVEL, run_twin
from checkers.verdict import PASSING, Outcome, Twin

TWINS = [(c.id, t) for c in CLAIMS for t in c.twins]
IDS = [f"{cid}-{i}" for i, (cid, _) in enumerate(TWINS)]


@pytest.mark.parametrize(("cid", "twin"), TWINS, ids=IDS)
def test_perturbed_twin_comes_back_as_required(cid: str, twin: Twin) -> None:
    v = run_twin(twin, GAUNTLET_LEVEL)
    assert v.outcome not in PASSING, f"{cid}: the false statement '{twin.description}' came back {v.outcome.value}"
    assert v.outcome is twin.expected, (cid, twin.description, v.outcome, v.evidence)
    if twin.expected is Outcome.REFUTED:
        assert v.counterexample, "a refutation must show its counterexample"
    else:  # a broken proof is UNKNOWN with the reason, never a counterexample to the claim
        assert v.counterexample is None and v.evidence


def test_twins_belong_to_checked_claims_and_say_what_they_perturb() -> None:
    for c in CLAIMS:
        assert not c.twins or c.expected is not Outcome.ASSUMED, c.id
        assert all(t.description.strip() for t in c.twins), c.id


def test_every_proved_or_holds_claim_has_a_twin() -> None:
    missing = [c.id for c in CLAIMS if c.expected in PASSING and not c.twins]
    assert not missing, f"claims that can pass but have no perturbed twin: {missing}"
