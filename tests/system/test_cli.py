"""`python -m checkers` and `python -m checkers audit`, run in-process: exit statuses, the JSON and
report files they write, what they print, and their usage errors."""

from __future__ import annotations

import json
import os
import random
import re
from collections.abc import Callable, Iterator, Sequence
from fractions import Fraction
from pathlib import Path

import pytest

import checkers.__main__ as cli
from checkers.audit.cli import main as audit_main
from checkers.audit.cli import task_target
from checkers.audit.samples import FOOTNOTE2, audit, audit_all, uniform_number_target
from checkers.claims import Check, Claim, Result
from checkers.report import mismatches, render_table, summary_line
from checkers.runner import Job
from checkers.verdict import Level, Outcome, Trial, Verdict
from spec.dist import Dist

# ---- python -m checkers: exit statuses, the JSON and the HTML report -----------------------------


def fake_holds(level: Level) -> Verdict:
    return Verdict(Outcome.HOLDS, scope=f"fake at {level.value}", method="fake", data={"rows": [{"n": 1}]})


def fake_unknown(level: Level) -> Verdict:
    return Verdict(Outcome.UNKNOWN, scope="fake", method="fake", evidence=("z3: unknown (rlimit)",))


def fake_raises(level: Level) -> Verdict:
    raise RuntimeError("checker crashed on purpose")


def _claim(check: Check, expected: Outcome = Outcome.HOLDS, cid: str = "Z1") -> Claim:
    return Claim(cid, "test", "a fake claim", "fake", expected, check)


def _patch(monkeypatch: pytest.MonkeyPatch, claims: tuple[Claim, ...]) -> None:
    monkeypatch.setattr(cli, "CLAIMS", claims)
    monkeypatch.setattr("checkers.claims.CLAIMS", claims)


@pytest.mark.parametrize("bad", [fake_unknown, fake_raises])
def test_exit_status_is_nonzero_when_a_checker_is_unknown_or_raises(
    monkeypatch: pytest.MonkeyPatch, bad: Check, tmp_path: Path
) -> None:
    _patch(monkeypatch, (_claim(fake_holds, cid="Z1"), _claim(bad, cid="Z2")))
    assert cli.main(["--level", "quick", "--quiet", "--json", str(tmp_path / "o.json")]) == 1
    doc = json.loads((tmp_path / "o.json").read_text())
    assert [c["matches"] for c in doc["claims"]] == [True, False]


def test_exit_status_is_zero_when_all_verdicts_match(monkeypatch: pytest.MonkeyPatch) -> None:
    _patch(monkeypatch, (_claim(fake_holds),))
    assert cli.main(["--quiet"]) == 0


def test_json_has_the_documented_fields(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    _patch(monkeypatch, (_claim(fake_holds),))
    cli.main(["--quiet", "--level", "quick", "--json", str(tmp_path / "o.json")])
    doc = json.loads((tmp_path / "o.json").read_text())
    assert doc["schema"] == "autoregressive-limits/verdicts/1" and doc["level"] == "quick"
    (entry,) = doc["claims"]
    for field in ("id", "verdict", "scope", "method", "seconds", "expected", "matches", "evidence", "data"):
        assert field in entry
    assert entry["verdict"] == "HOLDS" and entry["scope"] == "fake at quick"


def test_cli_writes_the_html_report(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                    monkeypatch: pytest.MonkeyPatch) -> None:
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


# ---- python -m checkers with a fake runner: the table, progress, jobs, usage errors --------------


def _never_run(level: Level) -> Verdict:
    raise AssertionError("the fake runner answers for it")


def _canned_claim(cid: str, expected: Outcome = Outcome.HOLDS) -> Claim:
    return Claim(cid, f"Section {cid}", f"the quote of {cid}", "fake", expected, _never_run)


Z1, Z2 = _canned_claim("Z1"), _canned_claim("Z2")
HOLDS = Verdict(Outcome.HOLDS, scope="fake scope", method="fake", evidence=("e1",), seconds=1.25)
UNKNOWN = Verdict(Outcome.UNKNOWN, scope="fake scope", method="fake", evidence=("z3: unknown",), seconds=0.3)
RESULTS = {"Z1": Result(Z1, HOLDS), "Z2": Result(Z2, UNKNOWN)}


class FakeRun:
    """run_jobs without checks: announces each claim, then yields its canned result (all of them, in order or
    reversed: as workers may finish)."""

    def __init__(self, results: dict[str, Result], reverse: bool = False) -> None:
        self.results, self.reverse = results, reverse
        self.calls: list[tuple[tuple[str, ...], Level, bool, int]] = []

    def __call__(self, jobs: Sequence[Job], *, executor: object = None, workers: int = 1,
                 on_start: Callable[[Claim], None] | None = None) -> Iterator[tuple[Job, Result | Trial]]:
        checks = [j for j in jobs if j.twin is None]
        level = checks[0].args[1] if checks else Level.QUICK
        assert isinstance(level, Level)
        self.calls.append((tuple(j.claim.id for j in checks), level, on_start is not None, workers))
        if on_start is not None and workers > 1:  # every claim handed out to the workers at once
            for j in checks:
                on_start(j.claim)
        for j in (reversed(checks) if self.reverse else checks):
            if on_start is not None and workers == 1:  # in process: each claim announced as it runs
                on_start(j.claim)
            yield j, self.results[j.claim.id]


def _use_fake_runner(monkeypatch: pytest.MonkeyPatch, claims: tuple[Claim, ...], run: FakeRun) -> None:
    monkeypatch.setattr(cli, "CLAIMS", claims)
    monkeypatch.setattr("checkers.claims.CLAIMS", claims)
    monkeypatch.setattr(cli, "run_jobs", run)


NO_TWINS = "no perturbed twins to run\n"  # the canned claims have none


def test_main_prints_the_table_summary_with_wall_time_and_mismatches(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    run = FakeRun(RESULTS)
    _use_fake_runner(monkeypatch, (Z1, Z2), run)
    assert cli.main(["--level", "quick", "--jobs", "1"]) == 1
    results = [RESULTS["Z1"], RESULTS["Z2"]]
    captured = capsys.readouterr()
    assert re.fullmatch(re.escape(render_table(results) + "\n\n" + summary_line(results)) + r"; wall \d+\.\d s\n"
                        + re.escape(NO_TWINS + "\nNot as expected:\n" + mismatches(results) + "\n"), captured.out)
    assert captured.err == "[ 1/2] Z1 … HOLDS in 1.2 s\n[ 2/2] Z2 … UNKNOWN in 0.3 s  (expected HOLDS)\n"
    assert run.calls == [(("Z1", "Z2"), Level.QUICK, True, 1)]


def test_main_with_workers_reports_in_registry_order_and_says_which_claim_ended(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    run = FakeRun(RESULTS, reverse=True)
    _use_fake_runner(monkeypatch, (Z1, Z2), run)
    assert cli.main(["--jobs", "2"]) == 1
    captured = capsys.readouterr()
    assert captured.err == ("      Z1 started\n      Z2 started\n"
                            "[ 1/2] Z2 … UNKNOWN in 0.3 s  (expected HOLDS)\n[ 2/2] Z1 … HOLDS in 1.2 s\n")
    table = captured.out.split("\n")
    assert table[2].startswith("Z1 ") and table[3].startswith("Z2 ")
    assert run.calls == [(("Z1", "Z2"), Level.STANDARD, True, 2)]


def test_main_quiet_prints_no_progress_and_passes_no_announcer(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    run = FakeRun(RESULTS)
    _use_fake_runner(monkeypatch, (Z1,), run)
    assert cli.main(["--quiet", "--jobs", "1", "--level", "deep"]) == 0
    captured = capsys.readouterr()
    assert captured.err == ""
    assert re.fullmatch(re.escape(render_table([RESULTS["Z1"]]) + "\n\n" + summary_line([RESULTS["Z1"]]))
                        + r"; wall \d+\.\d s\n" + re.escape(NO_TWINS), captured.out)
    assert run.calls == [(("Z1",), Level.DEEP, False, 1)]


@pytest.mark.parametrize("cpus, jobs", [(8, 2), (1, 1), (None, 1)])
def test_main_default_jobs_is_two_or_the_core_count(monkeypatch: pytest.MonkeyPatch, cpus: int | None,
                                                      jobs: int) -> None:
    run = FakeRun(RESULTS)
    _use_fake_runner(monkeypatch, (Z1,), run)
    monkeypatch.setattr(os, "cpu_count", lambda: cpus)
    assert cli.main(["--quiet"]) == 0
    assert run.calls[0][3] == jobs


def test_main_writes_json_and_says_so(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
                                      tmp_path: Path) -> None:
    _use_fake_runner(monkeypatch, (Z1, Z2), FakeRun(RESULTS, reverse=True))
    path = tmp_path / "v.json"
    assert cli.main(["--quiet", "--level", "quick", "--only", "z1", "--json", str(path)]) == 0
    assert f"\nJSON written to {path}\n" in capsys.readouterr().out
    doc = json.loads(path.read_text())
    assert doc["level"] == "quick" and [c["id"] for c in doc["claims"]] == ["Z1"] and doc["passed"] is True


def test_main_usage_errors(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
                           tmp_path: Path) -> None:
    _use_fake_runner(monkeypatch, (Z1, Z2), FakeRun(RESULTS))
    for argv, message in (
        (["--plots", str(tmp_path)], "--plots needs --markdown PATH or --html PATH (the plots belong to the report)"),
        (["--only", "Z9"], "unknown claim id(s): Z9; known: Z1, Z2"),
        (["--jobs", "0"], "--jobs must be at least 1, got 0"),
        (["--level", "slow"], "argument --level: invalid choice: 'slow' (choose from 'quick', 'standard', 'deep')"),
    ):
        with pytest.raises(SystemExit) as stop:
            cli.main(argv)
        assert stop.value.code == 2
        err = capsys.readouterr().err
        assert err.startswith("usage: python -m checkers ") and err.endswith(
            f"\npython -m checkers: error: {message}\n"), (argv, err)


def test_main_hands_audit_arguments_to_the_audit_cli(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    samples = tmp_path / "s.txt"
    samples.write_text("\n".join(SEMI_SAMPLES))
    assert cli.main(["audit", "--task", "semiprime", "--samples", str(samples)]) == 0
    assert capsys.readouterr().out.startswith("task: semiprime (size 2), target support 441 answers; file ")


def test_main_hands_audit_model_arguments_to_the_model_audit(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["audit-model", "--help"]) == 0
    assert capsys.readouterr().out.startswith("usage: python -m checkers audit-model ")


# ---- python -m checkers audit --------------------------------------------------------------------


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


PLAN_NOTE = ("  (a TVD spread thinly over many answers needs more: identity testing takes Θ(√k/δ²) samples over k "
             "answers, estimating the TVD Θ(k/log k); the sample-split witness and the DKW band add power for "
             "concentrated and for cumulative deviations)")


def test_cli_plan_prints_its_header_a_row_per_event_kind_and_its_note(capsys: pytest.CaptureFixture[str]) -> None:
    # the one-digit primes 2, 3, 5, 7: a model that always answers 5 moves TVD 3/4 onto "position 1 is 5"
    assert audit_main(["--plan", "--task", "random-prime", "--digits", "1", "--delta", "0.75"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        ("plan for random-prime: samples for power >= 0.9 against TVD = 0.75 concentrated on one event, alpha = 1/20 "
         "(event family share 1/2: its tests run at alpha·1/2/(F·m_f)); exact binomial tails in float64"),
        "  event kind         typical event                                 P_target     level   samples",
        "  support            the answer is outside the target's support           0     0.013         2",
        "  position           the digit at position 1 is 5                      0.25    0.0016         5",
        PLAN_NOTE,
    ]  # position: (1/4)^5 <= 0.0016 < (1/4)^4, five 5s reject; support: 1 - (1/4)^2 >= 0.9 > 1 - 1/4


def test_cli_plan_takes_the_least_sample_size_that_reaches_the_power_exactly(
        capsys: pytest.CaptureFixture[str]) -> None:
    assert audit_main(["--plan", "--task", "uniform-number", "--digits", "3", "--delta", "0.5", "--power", "0.75"]) == 0
    support = next(r for r in capsys.readouterr().out.splitlines() if r.strip().startswith("support"))
    assert support.split()[-1] == "2"  # two samples: P(one outside the support) = 1 - (1/2)^2 = 3/4 exactly


def test_cli_plan_takes_the_least_sample_size_for_a_small_tvd(capsys: pytest.CaptureFixture[str]) -> None:
    delta = Fraction(46, 10_000)  # one answer outside the support among n rejects: power 1 - (1 - delta)^n
    assert audit_main(["--plan", "--task", "random-prime", "--digits", "1", "--delta", str(delta)]) == 0
    support = next(r for r in capsys.readouterr().out.splitlines() if r.strip().startswith("support"))
    least = next(n for n in range(1, 1000) if 1 - (1 - delta) ** n >= Fraction(9, 10))
    assert int(support.split()[-1]) == least == 500


@pytest.mark.parametrize("n, q, delta, level, expected", [
    (1, 0.001, 0.899, 0.01, 0.9),  # one sample in the event rejects (P_target = 0.001 <= level)
    (3, 0.001, 0.899, 0.01, 1 - 0.1**3),  # any of three in the event rejects
    (2, 0.25, 0.5, 0.07, 0.75**2),  # both must be: 0.25^2 <= 0.07 < P(at least one) = 0.4375
])
def test_plan_power_is_the_exact_binomial_chance_of_rejecting(n: int, q: float, delta: float, level: float,
                                                               expected: float) -> None:
    from checkers.audit.cli import _power

    assert _power(n, q, delta, level) == pytest.approx(expected, rel=1e-12)


SEMI_SAMPLES = ["[11,13,143]", "[13,11,143]", "[97,89,8633]"]


def test_audit_cli_prints_the_task_and_report_and_writes_the_json_payload(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    samples, out = tmp_path / "s.txt", tmp_path / "r.json"
    samples.write_text("\n".join(SEMI_SAMPLES) + "\n")
    assert audit_main(["--task", "semiprime", "--samples", str(samples), "--json", str(out)]) == 0
    report = audit_all(({"[11,13,143]": 1, "[97,89,8633]": 1}, {"[13,11,143]": 1}), task_target("semiprime"))
    assert not report.rejects
    captured = capsys.readouterr()
    assert captured.err == ""
    assert captured.out == (f"task: semiprime (size 2), target support 441 answers; file {samples}\n"
                            + report.render() + "\n")
    payload = {"schema": "autoregressive-limits/audit/2", "task": "semiprime", "size": 2,
               "samples_file": str(samples), "blank_lines": 0, **report.to_json()}
    assert out.read_text(encoding="utf-8") == json.dumps(payload, indent=2) + "\n"
    doc = json.loads(out.read_text())
    assert (doc["task"], doc["size"], doc["samples_file"], doc["alpha"]) == ("semiprime", 2, str(samples), 0.05)
    assert doc["alpha_exact"] == "1/20" and doc["shares"] == {"family": "1/2", "witness": "1/2"}


def test_audit_cli_exit_status_is_one_when_rejected_and_reads_digits_and_alpha(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    samples, out = tmp_path / "s.txt", tmp_path / "r.json"
    samples.write_text("11\n" * 8)
    assert audit_main(["--task", "uniform-number", "--digits", "2", "--samples", str(samples),
                       "--alpha", "1/100", "--json", str(out)]) == 1
    text = capsys.readouterr().out
    assert text.startswith(f"task: uniform-number (size 2), target support 90 answers; file {samples}\n")
    assert "verdict: REJECT the target at alpha = 1/200 " in text  # the event family's half of alpha
    assert "with confidence 0.99 (alpha = 1/100 split by Bonferroni" in text and text.endswith("REJECT the target\n")
    doc = json.loads(out.read_text())
    assert (doc["size"], doc["alpha_exact"], doc["rejects"], doc["n"]) == (2, "1/100", True, 8)


def test_audit_cli_counts_outside_support_lines_when_asked(tmp_path: Path,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    samples = tmp_path / "s.txt"
    samples.write_text("11\nabc\n")
    assert audit_main(["--task", "uniform-number", "--digits", "2", "--samples", str(samples)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"audit: {samples}: 1 of 2 lines are not answers in the task's support: line 2: 'abc'")
    assert audit_main(["--task", "uniform-number", "--digits", "2", "--samples", str(samples),
                       "--outside-support"]) == 1
    assert "samples: 2 (1 outside the target's support)" in capsys.readouterr().out


def test_audit_cli_bad_input_is_status_two_with_the_reason_on_stderr(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    samples = tmp_path / "s.txt"
    samples.write_text("11\n")
    assert audit_main(["--task", "uniform-number", "--digits", "9", "--samples", str(samples)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == "audit: uniform_number: digits must be an int in 1..7, got 9\n"
    assert audit_main(["--task", "uniform-number", "--digits", "2", "--samples", str(samples), "--alpha", "2"]) == 2
    assert capsys.readouterr().err == "audit: alpha must lie strictly between 0 and 1, got '2'\n"
    missing = tmp_path / "missing.txt"
    assert audit_main(["--task", "uniform-number", "--digits", "2", "--samples", str(missing)]) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err.startswith(f"audit: {missing}: [Errno 2] No such file or directory")
    samples.write_bytes(b"\xff\xfe\n")
    assert audit_main(["--task", "uniform-number", "--digits", "2", "--samples", str(samples)]) == 2
    assert capsys.readouterr().err.startswith(f"audit: {samples}: 'utf-8' codec can't decode")


def test_audit_cli_usage_errors_and_help(capsys: pytest.CaptureFixture[str]) -> None:
    assert audit_main(["--task", "semiprime"]) == 2  # --samples (or --plan) is required
    assert capsys.readouterr().err == "audit: --samples FILE is required (or '-' for standard input; or --plan)\n"
    assert audit_main(["--task", "semiprime", "--samples", "x", "--digits", "two"]) == 2
    assert audit_main(["--help"]) == 0
    assert capsys.readouterr().out.startswith("usage: python -m checkers audit ")


def test_main_says_how_many_plots_came_with_the_markdown_report(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    _use_fake_runner(monkeypatch, (Z1,), FakeRun(RESULTS))
    report, plots = tmp_path / "r.md", tmp_path / "plots"
    assert cli.main(["--quiet", "--markdown", str(report), "--plots", str(plots)]) == 0
    pngs = sorted(plots.glob("*.png"))
    assert pngs and f"Markdown report written to {report} with {len(pngs)} plot" in capsys.readouterr().out


def test_main_reports_a_report_it_could_not_write(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    _use_fake_runner(monkeypatch, (Z1,), FakeRun(RESULTS))
    report = tmp_path / ("r" * 240 + ".md")  # a legal name, but no room for the temporary name beside it
    assert cli.main(["--quiet", "--markdown", str(report)]) == 2
    done = capsys.readouterr()
    assert f"python -m checkers: error: cannot write the report {report}: " in done.err
    assert "File name too long" in done.err and not report.exists()


def test_verdicts_runs_the_registered_claims_at_the_standard_level(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    run = FakeRun(RESULTS)
    _use_fake_runner(monkeypatch, (Z1,), run)
    page = tmp_path / "verdicts.md"
    assert cli.main(["verdicts", "--out", str(page), "--jobs", "1"]) == 0
    assert [(ids, level) for ids, level, _, _ in run.calls] == [(("Z1",), Level.STANDARD)]
    assert "Z1" in page.read_text() and f"Verdict table written to {page}" in capsys.readouterr().out
