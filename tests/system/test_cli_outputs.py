"""The command line's outputs: paths checked before any claim runs, atomic writes, the table, progress."""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from checkers.__main__ import main
from checkers.claims import Claim, Result
from checkers.report import (
    TABLE_WIDTH,
    gauntlet_line,
    plural,
    render_table,
    summary_line,
)
from checkers.report.outputs import (
    output_dir_problem,
    output_file_problem,
    write_atomic_with,
    write_text_atomic,
)
from checkers.verdict import Level, Outcome, Verdict

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data"
UNWRITABLE = Path("/sys")  # sysfs: no one may create a file there, root included


# ---- output paths are checked before any claim runs ---------------------------------------------------


def test_the_module_refuses_a_bad_path_at_start_up_without_running_a_claim(tmp_path: Path) -> None:
    """`python -m checkers` as a user starts it: the whole standard level would take minutes, the refusal comes at once."""
    path = tmp_path / "missing" / "x.json"
    done = subprocess.run([sys.executable, "-m", "checkers", "--json", str(path)], cwd=ROOT, capture_output=True,
                          text=True, timeout=60, check=False)
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr == (f"python -m checkers: error: cannot write --json {path}: "
                           f"its directory {path.parent} does not exist\n")


@pytest.mark.parametrize("option", ["--json", "--markdown"])
def test_a_file_in_a_missing_directory_is_refused_before_the_run(
    option: str, tmp_path: Path, capsys: pytest.CaptureFixture[str],
) -> None:
    path = tmp_path / "missing" / "out.x"
    assert main([option, str(path)]) == 2  # the whole standard level, were it not refused first
    done = capsys.readouterr()
    assert done.out == ""
    assert done.err == (f"python -m checkers: error: cannot write {option} {path}: "
                        f"its directory {path.parent} does not exist\n")


def test_a_directory_given_for_a_file_and_a_file_given_for_plots_are_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str],
) -> None:
    a_file = tmp_path / "f.txt"
    a_file.write_text("keep me")
    assert main(["--json", str(tmp_path), "--markdown", str(tmp_path / "r.md"), "--plots", str(a_file)]) == 2
    done = capsys.readouterr()
    assert done.out == ""
    assert done.err.splitlines() == [
        f"python -m checkers: error: cannot write --json {tmp_path}: it is a directory",
        f"python -m checkers: error: cannot write --plots {a_file}: it is a file, not a directory",
    ]
    assert a_file.read_text() == "keep me" and not (tmp_path / "r.md").exists()


def test_the_verdicts_page_is_refused_a_missing_directory_before_any_claim_runs(
    tmp_path: Path, capsys: pytest.CaptureFixture[str],
) -> None:
    out = tmp_path / "no" / "verdicts.md"
    assert main(["verdicts", "--out", str(out), "--jobs", "1"]) == 2
    done = capsys.readouterr()
    assert done.out == ""
    assert done.err == (f"python -m checkers verdicts: error: cannot write {out}: "
                        f"its directory {out.parent} does not exist\n")
    assert not out.parent.exists()


def test_an_unwritable_place_is_refused_with_the_systems_reason(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--json", str(UNWRITABLE / "x.json")]) == 2
    assert capsys.readouterr().err.startswith(
        f"python -m checkers: error: cannot write --json {UNWRITABLE / 'x.json'}: cannot create a file in {UNWRITABLE}: ")


def test_json_and_markdown_may_not_name_the_same_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    same = tmp_path / "out"
    assert main(["--json", str(same), "--markdown", str(same)]) == 2
    assert capsys.readouterr().err == f"python -m checkers: error: --json and --markdown name the same file {same}\n"


def test_audit_json_path_is_refused_before_the_audit(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "no" / "a.json"
    assert main(["audit", "--task", "uniform-number", "--samples", str(DATA / "footnote2.txt"),
                 "--json", str(path)]) == 2
    done = capsys.readouterr()
    assert done.out == ""
    assert done.err == f"audit: cannot write --json {path}: its directory {path.parent} does not exist\n"


def test_audit_json_is_written_when_the_path_is_good(tmp_path: Path) -> None:
    path = tmp_path / "a.json"
    status = main(["audit", "--task", "uniform-number", "--samples", str(DATA / "footnote2.txt"), "--json", str(path)])
    assert status == 1  # the footnote's answers reject the uniform target
    assert json.loads(path.read_text())["task"] == "uniform-number"
    assert os.listdir(tmp_path) == ["a.json"]


def test_a_good_json_path_gets_the_verdicts_and_nothing_else(tmp_path: Path) -> None:
    path = tmp_path / "v.json"
    assert main(["--quiet", "--only", "X1", "--json", str(path)]) == 0
    assert [c["id"] for c in json.loads(path.read_text())["claims"]] == ["X1"]
    assert os.listdir(tmp_path) == ["v.json"]  # no temporary file left beside it


def test_the_json_gives_the_claims_level_and_the_gauntlets_own(tmp_path: Path,
                                                                capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "v.json"
    assert main(["--level", "standard", "--quiet", "--jobs", "1", "--only", "A6", "--json", str(path)]) == 0
    assert "\n1 perturbed twin (at the quick level, beside the claims), all refuted\n" in capsys.readouterr().out
    doc = json.loads(path.read_text(encoding="utf-8"))
    assert doc["level"] == "standard" and [c["id"] for c in doc["claims"]] == ["A6"]
    assert doc["gauntlet"] == {"level": "quick", "twins": 1, "caught": 1, "passed": True}


def test_smt_dir_gets_each_obligations_text_and_says_how_many(tmp_path: Path,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    smt_dir = tmp_path / "smt"
    assert main(["--level", "quick", "--quiet", "--jobs", "1", "--only", "A6", "--smt-dir", str(smt_dir)]) == 0
    assert f"\n1 SMT-LIB2 text written to {smt_dir}\n" in capsys.readouterr().out
    (name,) = os.listdir(smt_dir)
    m = re.fullmatch(r"A6-([0-9a-f]{64})\.smt2", name)
    assert m is not None, name
    text = (smt_dir / name).read_text(encoding="utf-8")
    assert hashlib.sha256(text.encode("utf-8")).hexdigest() == m.group(1)  # named by the SHA-256 of its text


# ---- the checks themselves ----------------------------------------------------------------------------


def test_output_file_and_dir_problems_say_why(tmp_path: Path) -> None:
    (tmp_path / "f").write_text("")
    assert output_file_problem(tmp_path / "new.json") is None
    assert output_file_problem(tmp_path / "f") is None  # an existing file is replaced
    assert output_file_problem(tmp_path) == "it is a directory"
    assert output_file_problem(tmp_path / "f" / "x") == f"{tmp_path / 'f'} is not a directory"
    assert output_dir_problem(tmp_path) is None
    assert output_dir_problem(tmp_path / "plots") is None  # created when the plots are drawn
    assert output_dir_problem(tmp_path / "a" / "plots") == f"its directory {tmp_path / 'a'} does not exist"
    assert output_dir_problem(tmp_path / "f") == "it is a file, not a directory"
    assert (output_dir_problem(UNWRITABLE) or "").startswith(f"cannot create a file in {UNWRITABLE}: ")
    assert os.listdir(tmp_path) == ["f"]  # checking leaves nothing behind


# ---- atomic writes ------------------------------------------------------------------------------------


def test_atomic_write_replaces_the_file_whole(tmp_path: Path) -> None:
    path = tmp_path / "report.md"
    path.write_text("old")
    write_text_atomic(path, "new ✓")
    assert path.read_text(encoding="utf-8") == "new ✓"
    assert os.listdir(tmp_path) == ["report.md"]


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path: Path) -> None:
    path = tmp_path / "plot.png"
    path.write_bytes(b"old")
    seen: list[Path] = []

    def half_then_fail(tmp: Path) -> None:
        seen.append(tmp)
        tmp.write_bytes(b"half")
        raise OSError(28, "No space left on device")

    with pytest.raises(OSError, match="No space left"):
        write_atomic_with(path, half_then_fail)
    assert path.read_bytes() == b"old" and os.listdir(tmp_path) == ["plot.png"]
    assert seen[0].parent == tmp_path and seen[0].suffix == ".png"  # beside it, with its extension


# ---- the table, plural forms ------------------------------------------------------------------------------


def _unrun(level: Level) -> Verdict:
    raise AssertionError("a canned verdict stands for this check")


def _result(cid: str, quote: str, scope: str, outcome: Outcome = Outcome.HOLDS) -> Result:
    check = None if outcome is Outcome.ASSUMED else _unrun
    return Result(Claim(cid, "sec", quote, "m", outcome, check), Verdict(outcome, scope=scope, method="exhaustive"))


LONG = _result("Z1", "the post says something rather long about autoregressive models " * 2,
               "every model of a family far too long for a narrow column " * 2)


def test_the_table_fits_the_width_it_is_given_and_cuts_with_an_ellipsis() -> None:
    for width in (80, 100, TABLE_WIDTH, 200):
        lines = render_table([LONG], width).split("\n")
        assert max(len(line) for line in lines) == width
        assert "…" in lines[2]


def test_the_wide_table_shows_every_text_in_full() -> None:
    short = _result("Z2", "short", "s")
    table = render_table([LONG, short], None)
    assert "…" not in table
    assert LONG.claim.quote in table and LONG.verdict.scope in table
    assert len({len(line) for line in table.split("\n")}) == 1  # aligned columns


def test_wide_on_the_command_line(capsys: pytest.CaptureFixture[str]) -> None:
    x2 = "it's impossible to compute the exact proportion of n-digit primes ... unless P=#P"
    assert main(["--quiet", "--only", "X1", "X2", "--wide"]) == 0
    wide = capsys.readouterr().out
    assert main(["--quiet", "--only", "X1", "X2"]) == 0
    cut = capsys.readouterr().out
    assert x2 in wide and "…" not in wide
    assert x2 not in cut and "…" in cut


def test_plural_forms(capsys: pytest.CaptureFixture[str]) -> None:
    assert [plural(n, "claim") for n in (0, 1, 2)] == ["0 claims", "1 claim", "2 claims"]
    assert plural(1, "perturbed claim") == "1 perturbed claim"
    assert summary_line([LONG]).startswith("1 claim: 1 HOLDS; all as expected")
    refuted = Verdict(Outcome.REFUTED, scope="s", method="m", counterexample="x")
    assert gauntlet_line([("A5", "p", refuted)]) == "1 perturbed twin, all refuted"
    assert main(["--quiet", "--only", "X1"]) == 0
    lines = capsys.readouterr().out.split("\n")
    assert lines[-3].startswith("1 claim: 1 ASSUMED;") and lines[-2] == "no perturbed twins to run"


# ---- progress lines -------------------------------------------------------------------------------------


def test_with_two_workers_never_more_than_two_claims_show_as_running(capsys: pytest.CaptureFixture[str]) -> None:
    ids = ["A2", "A3", "A4", "G3", "F4", "E2", "E3", "R4"]
    status = main(["--level", "quick", "--jobs", "2", "--only", *ids])
    err = capsys.readouterr().err
    assert status == 0, err
    running: set[str] = set()
    most = 0
    for line in err.splitlines():
        if m := re.fullmatch(r"\s+(\w+) started", line):
            running.add(m.group(1))
        elif m := re.match(r"\[\s*\d+/\d+\] (\w+) … ", line):
            assert m.group(1) in running, (line, err)  # ends only what has started
            running.remove(m.group(1))
        else:
            raise AssertionError(f"unexpected progress line {line!r}")
        most = max(most, len(running))
    assert running == set() and most <= 2, err


def test_audit_json_that_fails_to_write_is_reported_on_stderr(tmp_path: Path,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    samples = tmp_path / "few.txt"
    samples.write_text("".join(f"{n}\n" for n in (17, 42, 58, 73, 91)))
    path = tmp_path / ("a" * 240 + ".json")  # a legal name, but no room for the temporary name beside it
    assert main(["audit", "--task", "uniform-number", "--digits", "2", "--samples", str(samples),
                 "--json", str(path)]) == 2
    done = capsys.readouterr()
    assert f"audit: cannot write --json {path}: " in done.err and "File name too long" in done.err
    assert "cannot write" not in done.out and not path.exists()


# ---- a run leaves nothing behind ------------------------------------------------------------------------


def test_a_run_with_two_workers_leaves_no_process_behind() -> None:
    """Each worker keeps a cvc5 child for A2's and A4's nonlinear proofs; they end with the run, none left over."""
    argv = [sys.executable, "-m", "checkers", "--quiet", "--level", "quick", "--only", "A2", "A4", "--jobs", "2"]
    # the run leads a process group of its own, whose id is its pid
    with subprocess.Popen(argv, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                          start_new_session=True) as run:
        out, err = run.communicate(timeout=120)
    assert run.returncode == 0, err
    assert "2 claims" in out
    with pytest.raises(ProcessLookupError):  # no process of its group is left, running or exited and not reaped
        os.killpg(run.pid, 0)
