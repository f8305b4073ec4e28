"""Determinism: two runs of the registry give the same JSON apart from timings.

The timing fields, stripped before comparing (README, "JSON schema"): each claim's "seconds";
inside `data` tables, every key named "seconds" or ending in "_seconds" or "_s", and (beyond the
README's rule, for G1/G3's tables) every key with a "ms" word ("flint_ms", "ar_ms_per_token");
and, inside evidence lines (the SMT adapter writes "z3: unsat in 0.123 s"), every decimal or
scientific number of seconds or milliseconds ("0.123 s", "3.9e-06s"). Everything else (outcomes, scopes, counts, counterexamples, Fractions, solver
answers) must be identical.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from pathlib import Path

import pytest

from checkers.claims import CLAIMS, Check, Claim
from checkers.report import differences, strip_timings, to_json
from checkers.runner import run_claim
from checkers.verdict import Level, Outcome, Verdict

ROOT = Path(__file__).resolve().parents[2]


# ---- the stripping itself, and a checker it must catch --------------------------------------------


def test_timings_are_stripped_and_nothing_else() -> None:
    doc = {"id": "A5", "seconds": 1.5,
           "evidence": ["z3: unsat in 0.123 s", "n = 4 s-tuples", "k = 2.5", "trial 3.9e-06s, flint 12.5 ms"],
           "data": {"rows": [{"n": 1, "seconds": 0.1, "solve_seconds": 0.2, "z3_s": 0.3, "sigma": 2, "p_s": "x",
                              "flint_ms": 0.1, "ar_ms_per_token": 0.2, "max_semiprime": 6, "ms": 1}]}}
    assert strip_timings(doc) == {
        "id": "A5", "evidence": ["z3: unsat in <time>", "n = 4 s-tuples", "k = 2.5", "trial <time>, flint <time>"],
        "data": {"rows": [{"n": 1, "sigma": 2, "max_semiprime": 6}]},
    }


def wobbly(level: Level) -> Verdict:
    """A nondeterministic checker: its data depends on an unseeded draw."""
    return Verdict(Outcome.HOLDS, scope="fake", method="fake", data={"rows": [{"n": random.randrange(10**9)}]})


def steady(level: Level) -> Verdict:
    return Verdict(Outcome.HOLDS, scope="fake", method="fake", seconds=random.random(),
                   evidence=(f"z3: unsat in {random.random():.3f} s",), data={"rows": [{"n": 1, "t_s": random.random()}]})


def run_twice(check: Check) -> list[str]:
    claim = Claim("Z1", "test", "fake", "fake", Outcome.HOLDS, check)
    first, second = (strip_timings(to_json([run_claim(claim, Level.QUICK)], Level.QUICK)) for _ in range(2))
    return differences(first, second)


def test_a_nondeterministic_checker_is_caught() -> None:
    assert run_twice(wobbly), "two runs of a checker with unseeded randomness compared equal"


def test_a_checker_differing_only_in_timings_is_deterministic() -> None:
    assert run_twice(steady) == []


# ---- the real thing: python -m checkers --level standard --json, twice ----------------------------


def run_cli(level: str, out: Path, jobs: int) -> subprocess.Popen[bytes]:
    env = {**os.environ, "PYTHONHASHSEED": "random"}  # hash order must not leak into the output either
    argv = [sys.executable, "-m", "checkers", "--level", level, "--quiet", "--jobs", str(jobs), "--json", str(out)]
    return subprocess.Popen(argv, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


@pytest.mark.slow
@pytest.mark.longest  # two whole standard runs
def test_two_standard_runs_of_python_m_checkers_give_the_same_json_apart_from_timings(tmp_path: Path) -> None:
    """The full registry at --level standard, twice at once: 2.7-7 min wall on the shared 2-core machine."""
    outs = [tmp_path / "run1.json", tmp_path / "run2.json"]
    # concurrently, one run in-process and one with two workers: the schedule must not show either
    runs = [run_cli("standard", out, jobs) for out, jobs in zip(outs, (1, 2))]
    assert [r.wait(timeout=1800) for r in runs] in ([0, 0], [1, 1]), "the runs disagree on the exit status"
    docs = [json.loads(out.read_text()) for out in outs]
    assert all([c["id"] for c in d["claims"]] == [c.id for c in CLAIMS] for d in docs)
    first, second = (strip_timings(d) for d in docs)
    diff = differences(first, second)
    assert not diff, "nondeterministic output:\n" + "\n".join(diff[:40])
