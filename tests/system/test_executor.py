"""`--executor dask:ADDRESS`: claims (and the gauntlet's twins) on a Dask cluster give the same JSON as the local pool."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from types import ModuleType

import pytest

from checkers.__main__ import main
from checkers.report.json_report import strip_timings


def _distributed() -> ModuleType:
    """The dask extra's `distributed`, imported by the tests that start a cluster (about a second): the others do not
    wait for it, nor are they skipped without it."""
    module: ModuleType = pytest.importorskip("distributed")
    return module


QUICK_CLAIMS = ("S1", "F4", "A4", "G4")


def _doc(path: Path) -> object:
    return strip_timings(json.loads(path.read_text(encoding="utf-8")))


@pytest.mark.slow
def test_a_dask_cluster_gives_the_json_of_the_default_executor(tmp_path: Path) -> None:
    local, dask = tmp_path / "local.json", tmp_path / "dask.json"
    common = ["--level", "quick", "--quiet", "--only", *QUICK_CLAIMS]
    assert main([*common, "--json", str(local)]) == 0
    distributed = _distributed()
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0") as cluster:
        assert main([*common, "--executor", f"dask:{cluster.scheduler_address}", "--json", str(dask)]) == 0
    doc = _doc(dask)
    assert doc == _doc(local)
    assert isinstance(doc, dict) and [c["id"] for c in doc["claims"]] == list(QUICK_CLAIMS)
    assert doc["gauntlet"] == {"level": "quick", "twins": 6, "caught": 6, "passed": True}


@pytest.mark.parametrize(("value", "why"), [
    ("threads", "--executor must be 'local' or 'dask:ADDRESS', got 'threads'"),
    ("dask:", "--executor must be 'local' or 'dask:ADDRESS', got 'dask:'"),
])
def test_a_bad_executor_is_a_usage_error(value: str, why: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--quiet", "--only", "X1", "--executor", value]) == 2
    assert capsys.readouterr().err == f"python -m checkers: error: {why}\n"


def _cvc5_children() -> list[str]:
    """The command lines of this (worker) process's cvc5 children."""
    listed = subprocess.run(["ps", "-o", "args=", "--ppid", str(os.getpid())], capture_output=True, text=True, check=False)
    return [line for line in listed.stdout.splitlines() if "cvc5_child" in line]


@pytest.mark.slow
def test_the_workers_of_a_dask_cluster_keep_no_cvc5_child_after_the_run() -> None:
    """A4's nonlinear proof starts a cvc5 child in the worker that runs it; the cluster outlives the run, the child does not."""
    distributed = _distributed()
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=True, dashboard_address=":0") as cluster:
        assert main(["--level", "quick", "--quiet", "--only", "A4", "--executor", f"dask:{cluster.scheduler_address}"]) == 0
        with distributed.Client(cluster) as client:
            assert list(client.run(_cvc5_children).values()) == [[]]
