"""`python -m checkers gauntlet` runs only the twins; `python -m checkers` runs them beside the claims and fails
when one is not caught."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

import checkers.__main__ as cli
from checkers.claims import by_id
from checkers.verdict import Level, Outcome, Twin, Verdict, verdict


def test_the_gauntlet_command_runs_the_chosen_claims_twins_and_writes_json(
    tmp_path: Path, capsys: pytest.CaptureFixture[str],
) -> None:
    out = tmp_path / "g.json"
    status = cli.main(["gauntlet", "--only", "F4", "S1", "--jobs", "2", "--json", str(out)])
    done = capsys.readouterr()
    assert status == 0, done.err
    lines = done.out.splitlines()
    assert [line.split()[:2] for line in lines[:4]] == [["S1", "REFUTED"]] * 2 + [["F4", "REFUTED"]] * 2
    assert not any("(expected" in line for line in lines[:4])  # a caught twin's row carries no complaint
    assert lines[5].startswith("4 perturbed twins (at the quick level), all refuted; wall ")
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert {k: doc[k] for k in ("schema", "level", "twins", "caught", "passed")} == {
        "schema": "autoregressive-limits/gauntlet/1", "level": "quick", "twins": 4, "caught": 4, "passed": True}
    assert [(t["claim"], t["verdict"], t["caught"]) for t in doc["trials"]] == [
        ("S1", "REFUTED", True), ("S1", "REFUTED", True), ("F4", "REFUTED", True), ("F4", "REFUTED", True)]
    assert all(t["counterexample"] for t in doc["trials"])
    assert lines[6:] == [f"JSON written to {out}"] and len(lines) == 7


def test_the_gauntlet_command_runs_the_twins_on_the_dask_cluster_it_is_given(
    capsys: pytest.CaptureFixture[str],
) -> None:
    distributed = pytest.importorskip("distributed")
    with (
        distributed.LocalCluster(n_workers=1, threads_per_worker=2, processes=False, dashboard_address=":0") as cluster,
        distributed.Client(cluster) as client,
        distributed.get_task_stream(client) as stream,
    ):
        status = cli.main(["gauntlet", "--only", "F4", "--executor", f"dask:{cluster.scheduler_address}"])
    assert status == 0
    assert capsys.readouterr().out.splitlines()[-1].startswith(
        "2 perturbed twins (at the quick level), all refuted; wall ")
    ran = [str(task["key"]) for task in stream.data]
    assert len(ran) == 2 and all(key.startswith("run_trial-") for key in ran)  # the two twins, run by the cluster


@pytest.mark.parametrize(("argv", "why"), [
    (["--only", "Q9"], "unknown claim id(s): Q9"),
    (["--jobs", "0"], "--jobs must be at least 1, got 0"),
])
def test_the_gauntlet_command_refuses_bad_arguments(argv: list[str], why: str,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        cli.main(["gauntlet", *argv])
    assert exit_.value.code == 2 and why in capsys.readouterr().err


@pytest.mark.parametrize(("argv", "why"), [
    (["--executor", "nowhere"], "--executor must be 'local'"),
    (["--json", "/sys/g.json"], "cannot write --json /sys/g.json: cannot create a file in /sys"),
])
def test_the_gauntlet_command_refuses_a_bad_executor_or_path_before_running(
    argv: list[str], why: str, capsys: pytest.CaptureFixture[str],
) -> None:
    assert cli.main(["gauntlet", *argv]) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err.startswith(f"python -m checkers gauntlet: error: {why}")


def _holds(level: Level) -> Verdict:
    return verdict(Outcome.HOLDS, "the false statement, accepted", "a checker that cannot say no")


def test_the_main_job_runs_the_gauntlet_and_fails_when_a_twin_is_not_caught(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path,
) -> None:
    (f4,) = by_id(["F4"])
    blind = replace(f4, twins=(*f4.twins, Twin("a twin the check cannot catch", _holds)))
    monkeypatch.setattr(cli, "by_id", lambda ids: (blind,))
    out = tmp_path / "v.json"
    # in-process (--jobs 1): the patched registry entry is what runs
    assert cli.main(["--level", "quick", "--quiet", "--jobs", "1", "--only", "F4", "--json", str(out)]) == 1
    stdout = capsys.readouterr().out
    assert ("3 perturbed twins (at the quick level, beside the claims): 1 HOLDS, 2 REFUTED; 1 not as required; "
            "1 PROVED or HOLDS: a checker accepts a false claim") in stdout
    assert "Perturbed twins not caught:\nF4: a twin the check cannot catch: expected REFUTED, got HOLDS" in stdout
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert doc["passed"] is True and doc["gauntlet"] == {"level": "quick", "twins": 3, "caught": 2, "passed": False}


def test_the_main_job_prints_the_gauntlets_line_after_the_summary(capsys: pytest.CaptureFixture[str]) -> None:
    status = cli.main(["--level", "quick", "--quiet", "--only", "F4", "X1"])
    done = capsys.readouterr()
    assert status == 0, done.err
    lines = done.out.splitlines()
    assert lines[-2].startswith("2 claims: 1 ASSUMED, 1 HOLDS; all as expected")
    assert lines[-1] == "2 perturbed twins (at the quick level, beside the claims), all refuted"


def test_the_gauntlet_command_marks_a_twin_not_caught_and_exits_1(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
) -> None:
    (f4,) = by_id(["F4"])
    blind = replace(f4, twins=(Twin("a twin the check cannot catch", _holds),))
    monkeypatch.setattr(cli, "by_id", lambda ids: (blind,))
    assert cli.main(["gauntlet", "--only", "F4"]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "F4   HOLDS     (expected REFUTED)  a twin the check cannot catch"
    assert lines[2].startswith("1 perturbed twin (at the quick level): 1 HOLDS; 1 not as required")
