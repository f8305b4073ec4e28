"""The registry and `python -m checkers`: every claim id, honest exit status, JSON and Markdown."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import checkers.__main__ as cli
from checkers.claims import CLAIMS, Claim, Result, by_id, combine, passed, run_claim
from checkers.verdict import Level, Outcome, Verdict

CLAIM_IDS = (
    "S1 S2 S3 S4 R1 R2 R3 R4 R5 F1 F2 F3 F4 A1 A2 A3 A4 A5 A6 G1 G2 G3 G4 E1 E2 E3 X1 X2".split()
)


def test_registry_has_one_entry_per_claim_id() -> None:
    assert [c.id for c in CLAIMS] == CLAIM_IDS


def test_assumptions_are_assumed_and_everything_else_has_a_checker() -> None:
    for c in CLAIMS:
        assert (c.expected is Outcome.ASSUMED) == (c.id in ("X1", "X2"))
        assert bool(c.checkers) == (c.expected is not Outcome.ASSUMED)


def test_unknown_claim_id_is_a_clear_error() -> None:
    with pytest.raises(KeyError, match="Z9"):
        by_id(["Z9"])


# ---- fake checkers, resolved by "module:function" like the real ones ------------------
def fake_holds(level: Level) -> Verdict:
    return Verdict(Outcome.HOLDS, scope=f"fake at {level.value}", method="fake", data={"rows": [{"n": 1}]})


def fake_unknown(level: Level) -> Verdict:
    return Verdict(Outcome.UNKNOWN, scope="fake", method="fake", evidence=("z3: unknown (rlimit)",))


def fake_raises(level: Level) -> Verdict:
    raise RuntimeError("checker crashed on purpose")


def fake_not_a_verdict(level: Level) -> Verdict:
    return "PROVED"  # type: ignore[return-value]


def _claim(ref: str, expected: Outcome = Outcome.HOLDS, cid: str = "Z1") -> Claim:
    return Claim(cid, "test", "a fake claim", "fake", expected, (f"{__name__}:{ref}",))


def test_unknown_is_never_a_pass() -> None:
    r = run_claim(_claim("fake_unknown"), Level.QUICK)
    assert r.verdict.outcome is Outcome.UNKNOWN and not r.matches and not passed([r])


def test_a_crash_is_that_claims_error() -> None:
    r = run_claim(_claim("fake_raises"), Level.QUICK)
    assert r.verdict.outcome is Outcome.ERROR
    assert "checker crashed on purpose" in r.verdict.evidence[0]


def test_a_checker_returning_a_non_verdict_is_an_error() -> None:
    assert run_claim(_claim("fake_not_a_verdict"), Level.QUICK).verdict.outcome is Outcome.ERROR


def test_a_missing_checker_module_is_not_checked() -> None:
    c = Claim("Z2", "test", "q", "m", Outcome.HOLDS, ("checkers.no_such_module:check",))
    r = run_claim(c, Level.QUICK)
    assert r.verdict.outcome is Outcome.NOT_CHECKED and not r.matches


def test_combine_takes_the_weakest_outcome() -> None:
    proved = Verdict(Outcome.PROVED, scope="a", method="m")
    holds = Verdict(Outcome.HOLDS, scope="b", method="m")
    unknown = Verdict(Outcome.UNKNOWN, scope="c", method="m")
    assert combine([proved, proved]).outcome is Outcome.PROVED
    assert combine([proved, holds]).outcome is Outcome.HOLDS
    assert combine([holds, unknown]).outcome is Outcome.UNKNOWN
    assert combine([proved, holds]).scope == "a; b"


def _patch(monkeypatch: pytest.MonkeyPatch, claims: tuple[Claim, ...]) -> None:
    monkeypatch.setattr(cli, "CLAIMS", claims)
    monkeypatch.setattr("checkers.claims.CLAIMS", claims)


@pytest.mark.parametrize("bad", ["fake_unknown", "fake_raises"])
def test_exit_status_is_nonzero_when_a_checker_is_unknown_or_raises(
    monkeypatch: pytest.MonkeyPatch, bad: str, tmp_path: Path
) -> None:
    _patch(monkeypatch, (_claim("fake_holds", cid="Z1"), _claim(bad, cid="Z2")))
    assert cli.main(["--level", "quick", "--quiet", "--json", str(tmp_path / "o.json")]) == 1
    doc = json.loads((tmp_path / "o.json").read_text())
    assert [c["matches"] for c in doc["claims"]] == [True, False]


def test_exit_status_is_zero_when_all_verdicts_match(monkeypatch: pytest.MonkeyPatch) -> None:
    _patch(monkeypatch, (_claim("fake_holds"),))
    assert cli.main(["--quiet"]) == 0


def test_json_has_the_documented_fields(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    _patch(monkeypatch, (_claim("fake_holds"),))
    cli.main(["--quiet", "--level", "quick", "--json", str(tmp_path / "o.json")])
    doc = json.loads((tmp_path / "o.json").read_text())
    assert doc["schema"] == "autoregressive-limits/verdicts/1" and doc["level"] == "quick"
    (entry,) = doc["claims"]
    for field in ("id", "verdict", "scope", "method", "seconds", "expected", "matches", "evidence", "data"):
        assert field in entry
    assert entry["verdict"] == "HOLDS" and entry["scope"] == "fake at quick"


def test_markdown_report_and_plots_are_written(tmp_path: Path) -> None:
    from checkers.report import PLOTS, write_markdown

    spec = next(p for p in PLOTS if p.claim == "A6")  # the table name is the one check_A6 writes
    rows = [{"eps": f"1/{10**k}", "tvd_lower_bound": f"{10**k - 1}/{10**k}"} for k in range(1, 5)]
    claim = next(c for c in CLAIMS if c.id == "A6")
    result = Result(claim, Verdict(Outcome.PROVED, scope="eps", method="m", data={spec.table: rows}))
    pngs = write_markdown([result], Level.QUICK, tmp_path / "report.md", tmp_path / "plots")
    assert [p.name for p in pngs] == [spec.filename]
    assert pngs[0].read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert f"plots/{spec.filename}" in (tmp_path / "report.md").read_text()


def test_every_claim_is_as_expected_at_the_profile_level(level: Level) -> None:
    if level is Level.QUICK:  # each claim's quick run is tests/test_snapshots.py's, with its snapshot
        pytest.skip("quick level: run claim by claim in tests/test_snapshots.py")
    results = [run_claim(c, level) for c in CLAIMS]
    wrong = {r.claim.id: (r.verdict.outcome.value, r.verdict.evidence[-3:]) for r in results if not r.matches}
    assert not wrong, wrong


def test_gauntlet_line_counts_perturbed_claims_and_flags_any_that_pass() -> None:
    from checkers.report import gauntlet_line

    refuted = Verdict(Outcome.REFUTED, scope="s", method="m", counterexample="x = 1")
    proved = Verdict(Outcome.PROVED, scope="s", method="m")
    assert gauntlet_line([("A5", "tightened", refuted)] * 3) == "3 perturbed claims, all refuted"
    line = gauntlet_line([("A5", "tightened", refuted), ("S1", "leaky model", proved)])
    assert "1 PROVED or HOLDS: a checker accepts a false claim" in line
