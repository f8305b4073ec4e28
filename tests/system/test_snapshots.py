"""Snapshots: each claim's quick-level report, the CLI help and the rendered reports, pinned exactly.

The verdict tests elsewhere check outcomes; these pin everything a user reads besides them (scope,
evidence lines, counterexamples, data tables), so a change to any of it fails until it is reviewed
and the snapshot regenerated: `UPDATE_SNAPSHOTS=1 pytest tests/system/test_snapshots.py`, then `git diff
tests/data/snapshots`. Timings are stripped first (checkers.report.strip_timings), so the snapshots
are stable across runs and machine load (tests/system/test_determinism.py checks that stripping).
"""

from __future__ import annotations

import io
import json
import os
from contextlib import redirect_stdout
from fractions import Fraction
from pathlib import Path

import pytest

from checkers.claims import CLAIMS, Claim, Result
from checkers.gauntlet import GAUNTLET_LEVEL, run_gauntlet
from checkers.report import (
    comparable_json,
    differences,
    render_table,
    strip_timings,
    summary_line,
    write_markdown,
)
from checkers.runner import run_claim
from checkers.verdict import Level, Outcome, Relation, Statement, Verdict

SNAPSHOTS = Path(__file__).resolve().parents[1] / "data" / "snapshots"
UPDATE = bool(os.environ.get("UPDATE_SNAPSHOTS"))
CHECKED = [c for c in CLAIMS if c.expected is not Outcome.ASSUMED]
STATED = set("S1 S2 S3 R1 R2 R3 R4 R5 F1 F2 F3 F4 A3 G1 G2 G3 G4 E1 E2 E3".split())


def matches_snapshot(name: str, actual: object) -> list[str]:
    """Differences between actual and the stored snapshot `name` (rewritten first under UPDATE_SNAPSHOTS)."""
    path = SNAPSHOTS / name
    if UPDATE:
        path.parent.mkdir(parents=True, exist_ok=True)
        text = actual if isinstance(actual, str) else json.dumps(actual, indent=1, ensure_ascii=False) + "\n"
        path.write_text(text)
    assert path.exists(), f"no snapshot {path}; create it with UPDATE_SNAPSHOTS=1"
    if isinstance(actual, str):
        expected: object = path.read_text()
        if actual != expected:
            return [f"{name} line {i + 1}: {a!r} != {e!r}"
                    for i, (a, e) in enumerate(zip(actual.splitlines(), str(expected).splitlines())) if a != e][:10] \
                or [f"{name}: lengths differ ({len(actual)} vs {len(str(expected))} characters)"]
        return []
    return differences(actual, json.loads(path.read_text()), name)


# ---- the snapshot machinery can fail ---------------------------------------------------------------


def test_a_changed_evidence_line_is_a_difference_and_a_timing_is_not(tmp_path: Path) -> None:
    v = Verdict(Outcome.HOLDS, scope="s", method="m", evidence=("z3: unsat in 0.123 s", "checked 20 tuples"))
    claim = Claim("Z1", "test", "fake", "fake", Outcome.HOLDS, _unrun)
    doc = comparable_json([Result(claim, v)], Level.QUICK)
    slower = comparable_json([Result(claim, Verdict(Outcome.HOLDS, scope="s", method="m", seconds=9.0,
                                                    evidence=("z3: unsat in 7.5 s", "checked 20 tuples")))],
                             Level.QUICK)
    changed = comparable_json([Result(claim, Verdict(Outcome.HOLDS, scope="s", method="m",
                                                     evidence=("z3: unsat in 0.123 s", "checked 21 tuples")))],
                              Level.QUICK)
    assert differences(doc, slower) == []
    assert differences(doc, changed) == [".claims[0].evidence[1]: 'checked 20 tuples' != 'checked 21 tuples'"]


def _unrun(level: Level) -> Verdict:
    raise AssertionError("a canned verdict stands for this check")


def test_fractions_reach_the_snapshot_as_exact_text() -> None:
    v = Verdict(Outcome.HOLDS, scope="s", method="m", data={"tvd": Fraction(1, 3)})
    doc = comparable_json([Result(Claim("Z1", "t", "q", "m", Outcome.HOLDS, _unrun), v)], Level.QUICK)
    assert isinstance(doc, dict) and doc["claims"][0]["data"] == {"tvd": "1/3"}


# ---- every checked claim at the quick and standard levels ------------------------------------------


def without_optional_model(doc: object) -> object:
    """R2's evidence from the real model (SmolLM2) depends on the optional lm extra; it is pinned in
    tests/checkers/test_lm.py and tests/checkers/test_audit.py, and left out of the snapshots."""
    if isinstance(doc, dict):
        for claim in doc.get("claims", []):
            claim["evidence"] = [e for e in claim["evidence"] if not e.startswith("SmolLM2-135M-Instruct")]
            claim["data"].pop("smollm2", None)
    return doc


# the standard level is the main job's: its snapshots are slow tests (the quick loop pins the quick level)
@pytest.mark.parametrize("level", [Level.QUICK, pytest.param(Level.STANDARD, marks=pytest.mark.slow)],
                         ids=["quick", "standard"])
@pytest.mark.parametrize("claim", CHECKED, ids=[c.id for c in CHECKED])
def test_claim_is_as_expected_and_matches_its_snapshot(claim: Claim, level: Level) -> None:
    result = run_claim(claim, level)
    assert result.matches, (result.verdict.outcome, result.verdict.evidence[-3:])
    if claim.id in STATED:  # each says what was checked and how it relates to the post's words
        assert result.verdict.statements, f"{claim.id}: no formal statement"
    diff = matches_snapshot(f"{level.value}/{claim.id}.json", without_optional_model(comparable_json([result], level)))
    assert not diff, "\n".join(diff[:20])


# ---- what the user reads besides the verdicts --------------------------------------------------------


def _help(argv: list[str]) -> str:
    """The --help text of `python -m checkers [audit|audit-model|gauntlet|verdicts]`, at a fixed width."""
    from checkers.__main__ import main

    out = io.StringIO()
    try:
        with redirect_stdout(out):
            status = main([*argv, "--help"])
    except SystemExit as stop:  # argparse's own exit (the audit CLI turns it into a status)
        status = int(stop.code or 0)
    assert status == 0
    return out.getvalue()


@pytest.mark.parametrize("argv", [[], ["audit"], ["audit-model"], ["gauntlet"], ["verdicts"]],
                         ids=["checkers", "audit", "audit-model", "gauntlet", "verdicts"])
def test_cli_help_matches_its_snapshot(argv: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "100")
    diff = matches_snapshot(f"help/{'-'.join(['checkers', *argv])}.txt", _help(argv))
    assert not diff, "\n".join(diff)


def _sample_results() -> list[Result]:
    """One result per outcome, with a long quote and scope (the table cuts them) and a counterexample."""
    verdicts = {
        Outcome.PROVED: Verdict(Outcome.PROVED, scope="all N", method="z3 + cvc5", evidence=("z3: unsat", "cvc5: unsat")),
        Outcome.HOLDS: Verdict(Outcome.HOLDS, scope="n = 1..3: all 20906 tuples " * 4, method="exhaustive",
                               rests_on=("F2", "X1"),
                               statements=(Statement("given X1, no polytime φ", Relation.SAME, Outcome.HOLDS),)),
        Outcome.REFUTED: Verdict(Outcome.REFUTED, scope="N = 1", method="exact", counterexample="p = (1/2)"),
        Outcome.UNKNOWN: Verdict(Outcome.UNKNOWN, scope="N = 3", method="z3", evidence=("z3: unknown (rlimit)",)),
        Outcome.ERROR: Verdict(Outcome.ERROR, scope="none", method="m", evidence=("m raised ValueError: x",)),
        Outcome.ASSUMED: Verdict(Outcome.ASSUMED, scope="cited", method="cited"),
        Outcome.STATISTICAL: Verdict(Outcome.STATISTICAL, scope="16 answers; alpha = 1/20", method="exact audit"),
        Outcome.UNESTABLISHED: Verdict(Outcome.UNESTABLISHED, scope="m = 1..40", method="exact; cost measured",
                                       statements=(Statement("'hard': not shown", Relation.SAME, Outcome.UNESTABLISHED),)),
    }
    expected = [Outcome.PROVED, Outcome.HOLDS, Outcome.REFUTED, Outcome.HOLDS, Outcome.HOLDS,
                Outcome.ASSUMED, Outcome.STATISTICAL, Outcome.UNESTABLISHED]
    return [Result(Claim(f"Z{i}", "Section", "the post says something rather long about models " * 3, "method", e,
                         None if e is Outcome.ASSUMED else _unrun),
                   v) for i, (v, e) in enumerate(zip(verdicts.values(), expected), start=1)]


def test_rendered_table_and_summary_match_their_snapshot() -> None:
    results = _sample_results()
    diff = matches_snapshot("report/table.txt", render_table(results) + "\n" + summary_line(results) + "\n")
    assert not diff, "\n".join(diff)


def test_markdown_report_matches_its_snapshot(tmp_path: Path) -> None:
    refuted = Verdict(Outcome.REFUTED, scope="s", method="m", counterexample="x = 1")
    pngs = write_markdown(_sample_results(), Level.QUICK, tmp_path / "report.md", None,
                          [("A5", "tightened", refuted)] * 2)
    assert pngs == []
    diff = matches_snapshot("report/report.md", strip_timings((tmp_path / "report.md").read_text()))
    assert not diff, "\n".join(diff)


def test_gauntlet_runs_every_twin_in_registry_order_catches_each_and_matches_its_snapshot() -> None:
    trials = run_gauntlet(CLAIMS, GAUNTLET_LEVEL)
    assert [(t.claim, t.description) for t in trials] == [(c.id, w.description) for c in CLAIMS for w in c.twins]
    assert [t for t in trials if not t.caught] == []
    assert {t.expected for t in trials} == {Outcome.REFUTED, Outcome.UNKNOWN}
    entries = [{"claim": c, "perturbation": d, "verdict": v.outcome.value, "scope": v.scope, "method": v.method,
                "evidence": list(v.evidence), "counterexample": v.counterexample} for c, d, v in trials]
    doc = strip_timings(json.loads(json.dumps(entries, ensure_ascii=False, default=str)))
    diff = matches_snapshot("gauntlet.json", doc)
    assert not diff, "\n".join(diff[:20])
