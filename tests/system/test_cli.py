"""`python -m checkers` and `python -m checkers audit`, run in-process: exit statuses, the JSON and
report files they write, what they print, and their usage errors."""

from __future__ import annotations

import json
import random
from fractions import Fraction
from pathlib import Path

import pytest

import checkers.__main__ as cli
from checkers.audit import FOOTNOTE2, audit, uniform_number_target
from checkers.audit_cli import main as audit_main
from checkers.claims import CLAIMS, Claim
from checkers.verdict import Level, Outcome, Verdict
from spec.dist import Dist


def fake_holds(level: Level) -> Verdict:
    return Verdict(Outcome.HOLDS, scope=f"fake at {level.value}", method="fake", data={"rows": [{"n": 1}]})


def fake_unknown(level: Level) -> Verdict:
    return Verdict(Outcome.UNKNOWN, scope="fake", method="fake", evidence=("z3: unknown (rlimit)",))


def fake_raises(level: Level) -> Verdict:
    raise RuntimeError("checker crashed on purpose")


def _claim(ref: str, expected: Outcome = Outcome.HOLDS, cid: str = "Z1") -> Claim:
    return Claim(cid, "test", "a fake claim", "fake", expected, (f"{__name__}:{ref}",))


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


def test_cli_writes_the_html_report(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                    monkeypatch: pytest.MonkeyPatch) -> None:
    import checkers.gauntlet

    monkeypatch.setattr(checkers.gauntlet, "run_gauntlet", lambda: [])  # the gauntlet has its own tests
    status = cli.main(["--level", "quick", "--only", "F4", "--quiet", "--jobs", "1", "--html", str(tmp_path / "r.html")])
    out = capsys.readouterr().out
    assert status == 0 and f"HTML report written to {tmp_path / 'r.html'}" in out
    assert "Markdown report" not in out and (tmp_path / "r.html").read_text().startswith("<!DOCTYPE html>")


def test_an_unwritable_html_path_fails_before_any_claim_runs(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "no-such-dir" / "r.html"
    assert cli.main(["--level", "quick", "--only", "F4", "--quiet", "--html", str(missing)]) == 2
    err = capsys.readouterr().err
    assert f"cannot write --html {missing}: its directory {missing.parent} does not exist" in err
    same = tmp_path / "r.out"
    assert cli.main(["--only", "F4", "--markdown", str(same), "--html", str(same)]) == 2
    assert f"--markdown and --html name the same file {same}" in capsys.readouterr().err


DATA = Path(__file__).resolve().parents[1] / "data"


SMALL = uniform_number_target(3)  # Unif(100..999): the calibration target, 900 answers


def seeded_samples(model: Dist[str], n: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    return [model.sample(rng) for _ in range(n)]


@pytest.mark.slow
def test_cli_audits_the_footnote(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "r.json"
    code = audit_main(["--task", "uniform-number", "--samples", str(DATA / "footnote2.txt"), "--json", str(out)])
    text = capsys.readouterr().out
    assert code == 1  # rejected
    assert "combined: TVD(model, target) >= 0.456638 with confidence 0.95" in text
    assert "6 distinct digits" in text and "p-value" in text
    report = json.loads(out.read_text())
    assert report["rejects"] is True and report["family"]["best"]["count"] == 16
    family = audit(FOOTNOTE2, uniform_number_target(6), alpha=Fraction(1, 40))  # the family's half of alpha
    assert Fraction(report["tvd_lower_bound_exact"]) == family.tvd_lower_bound


def test_cli_reports_malformed_lines_by_number(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    f = tmp_path / "s.txt"
    f.write_text("523\n12\n\n999\nabc\n")
    assert audit_main(["--task", "uniform-number", "--digits", "3", "--samples", str(f)]) == 2
    err = capsys.readouterr().err
    assert "line 2: '12'" in err and "line 3" not in err and "line 5: 'abc'" in err and "2 of 4" in err
    assert audit_main(["--task", "uniform-number", "--digits", "3", "--samples", str(f), "--outside-support"]) == 1
    out = capsys.readouterr().out
    assert "2 outside the target's support" in out and "1 blank lines skipped" in out


def test_cli_rejects_bad_options(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    f = tmp_path / "s.txt"
    f.write_text("523\n")
    assert audit_main(["--task", "uniform-number", "--digits", "3", "--samples", str(f), "--alpha", "2"]) == 2
    assert audit_main(["--task", "uniform-number", "--digits", "3", "--samples", str(tmp_path / "missing.txt")]) == 2
    assert audit_main(["--task", "no-such-task", "--samples", str(f)]) == 2
    assert audit_main(["--task", "uniform-number", "--digits", "9", "--samples", str(f)]) == 2
    assert "digits must be an int" in capsys.readouterr().err
    assert audit_main(["--task", "random-prime", "--digits", "2", "--samples", str(f)]) == 2  # 523 is not 2 digits
    capsys.readouterr()
    f.write_text("11\n13\n97\n")
    assert audit_main(["--task", "random-prime", "--digits", "2", "--samples", str(f)]) == 0


def test_cli_reads_a_bom_blank_lines_and_standard_input(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    import io

    f = tmp_path / "s.txt"
    f.write_bytes("\ufeff523\n\n 999 \n100\n\n".encode("utf-8"))  # a BOM, a blank line, a trailing blank line
    assert audit_main(["--task", "uniform-number", "--digits", "3", "--samples", str(f)]) == 0
    out = capsys.readouterr().out
    assert "samples: 3 (0 outside the target's support)" in out and "2 blank lines skipped" in out
    monkeypatch.setattr("sys.stdin", io.StringIO("523\n999\n"))
    assert audit_main(["--task", "uniform-number", "--digits", "3", "--samples", "-"]) == 0
    assert "file standard input" in capsys.readouterr().out


def test_cli_says_no_samples_once(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    f = tmp_path / "empty.txt"
    f.write_text("\n\n")
    assert audit_main(["--task", "uniform-number", "--digits", "3", "--samples", str(f)]) == 2
    err = capsys.readouterr().err
    assert err == f"audit: {f}: no samples (2 blank lines and no answer)\n" and err.count("no samples") == 1


def test_cli_best_event_is_not_an_empty_event_when_nothing_deviates(tmp_path: Path,
                                                                    capsys: pytest.CaptureFixture[str]) -> None:
    f = tmp_path / "s.txt"
    f.write_text("\n".join(seeded_samples(SMALL, 200, 8)) + "\n")
    assert audit_main(["--task", "uniform-number", "--digits", "3", "--samples", str(f)]) == 0
    best = next(line for line in capsys.readouterr().out.splitlines() if line.startswith("best event"))
    assert "outside the target's support" not in best and "target probability 0 " not in best


def test_cli_json_has_a_schema_and_numbers_beside_exact_strings(tmp_path: Path) -> None:
    f, out = tmp_path / "s.txt", tmp_path / "r.json"
    f.write_text("\n".join(FOOTNOTE2) + "\n")
    assert audit_main(["--task", "uniform-number", "--samples", str(f), "--json", str(out)]) == 1
    doc = json.loads(out.read_text())
    assert doc["schema"] == "autoregressive-limits/audit/2" and list(doc)[0] == "schema"
    assert isinstance(doc["tvd_lower_bound"], float) and Fraction(doc["tvd_lower_bound_exact"]) > 0
    assert doc["tvd_lower_bound"] == float(Fraction(doc["tvd_lower_bound_exact"]))
    assert doc["alpha"] == 0.05 and doc["alpha_exact"] == "1/20" and doc["n"] == 16
    assert set(doc) >= {"family", "witness", "dkw", "shares", "bound_from", "rejects", "blank_lines"}
    assert isinstance(doc["family"]["best"]["p_value"], float)


def test_cli_plan_answers_with_sample_sizes(capsys: pytest.CaptureFixture[str]) -> None:
    assert audit_main(["--plan", "--task", "uniform-number", "--digits", "3", "--delta", "0.1"]) == 0
    rows = capsys.readouterr().out.splitlines()
    assert rows[0].startswith("plan for uniform-number: samples for power >= 0.9 against TVD = 0.1")
    support = next(r for r in rows if r.strip().startswith("support"))
    assert support.split()[-1] == "22"  # 1 - 0.9^22 >= 0.9: one answer outside the support rejects
    sizes = {r.split()[0]: int(r.split()[-1]) for r in rows[2:] if r.split()[-1].isdigit()}
    assert set(sizes) >= {"support", "position"} and all(10 <= v <= 10_000 for v in sizes.values())
    assert audit_main(["--plan", "--task", "uniform-number", "--delta", "2"]) == 2
    assert capsys.readouterr().err == "audit: --delta must lie strictly between 0 and 1, got '2'\n"
