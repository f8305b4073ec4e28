"""Benchmark: the whole main job, `python -m checkers` at the quick and standard levels, as subprocesses.

Run: .venv/bin/python -m benchmarks.bench_levels [--repeat 3] [--levels quick standard] [--jobs 2].
Prints the date, the machine (cores, load averages and a reference loop's seconds before and after),
the median wall time of each level (start-up included) against its target (TARGETS), its median CPU
time (all its processes) and the median seconds of each claim in its worker (from --json). The load
is part of the wall figures: two workers on two cores are slowed by anything else running; the CPU
seconds are much less sensitive to it. Neither sees a shared host slowing the whole machine down:
the reference loop does.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

# The fast loop's targets on two idle cores (median wall seconds, start-up included).
TARGETS = {"quick": 10.0, "standard": 30.0}


def _children_cpu() -> float:
    """User + system seconds of every finished child process (and the processes they waited for)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_level(level: str, jobs: int, workdir: Path) -> tuple[float, float, dict[str, float], bool]:
    """One run of `python -m checkers --level LEVEL --json ...`: wall seconds, CPU seconds (all its
    processes), claim -> seconds, passed."""
    out = workdir / f"{level}.json"
    cmd = [sys.executable, "-m", "checkers", "--quiet", "--level", level, "--jobs", str(jobs), "--json", str(out)]
    cpu = _children_cpu()
    start = time.perf_counter()
    done = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, check=False)
    wall = time.perf_counter() - start
    cpu = _children_cpu() - cpu
    if done.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(cmd)} exited {done.returncode}:\n{done.stderr[-2000:]}")
    doc = json.loads(out.read_text(encoding="utf-8"))
    return wall, cpu, {c["id"]: float(c["seconds"]) for c in doc["claims"]}, bool(doc["passed"])


def _target(level: str, wall: float) -> str:
    """The level's target and whether the median wall time meets it ("-" when it has none)."""
    if level not in TARGETS:
        return "-"
    return f"≤ {TARGETS[level]:.0f} s: {'met' if wall <= TARGETS[level] else 'NOT met'}"


def _reference_seconds() -> float:
    """Median seconds of a fixed pure-Python loop (10^7 additions), three times: how fast the machine is now.

    A virtual machine's speed can change by half within minutes while its load stays idle (its host is
    shared); this figure, printed before and after, tells a slow run from a slow machine."""
    times = []
    for _ in range(3):
        start, total = time.perf_counter(), 0
        for i in range(10**7):
            total += i
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f} {five:.2f} {fifteen:.2f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--levels", nargs="+", default=["quick", "standard"], choices=["quick", "standard", "deep"])
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()

    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    print(f"date {now}; {os.cpu_count()} cores; --jobs {args.jobs}; {args.repeat} runs per level")
    print(f"load average (1, 5, 15 min) before: {_load()}")
    print(f"reference (a pure-Python loop of 10^7 additions, median of 3) before: {_reference_seconds():.2f} s")
    # start-up (imports) is part of every wall figure: without cached bytecode each run compiles the package
    print("bytecode cache: " + ("off (PYTHONDONTWRITEBYTECODE is set)" if os.environ.get("PYTHONDONTWRITEBYTECODE")
                                else "on"))
    walls: dict[str, list[float]] = {}
    cpus: dict[str, list[float]] = {}
    claims: dict[str, dict[str, list[float]]] = {}
    passed: dict[str, bool] = {}
    with tempfile.TemporaryDirectory(prefix="bench_levels_") as tmp:
        for level in args.levels:
            for _ in range(args.repeat):
                wall, cpu, seconds, ok = run_level(level, args.jobs, Path(tmp))
                walls.setdefault(level, []).append(wall)
                cpus.setdefault(level, []).append(cpu)
                for cid, s in seconds.items():
                    claims.setdefault(level, {}).setdefault(cid, []).append(s)
                passed[level] = passed.get(level, True) and ok
    print(f"load average (1, 5, 15 min) after:  {_load()}")
    print(f"reference (a pure-Python loop of 10^7 additions, median of 3) after:  {_reference_seconds():.2f} s")
    print()
    print(f"{'level':<9} {'median wall s':>13} {'min':>7} {'max':>7} {'median cpu s':>13} {'sum of claims s':>16}  "
          "all as expected  target (wall)")
    for level in args.levels:
        w = walls[level]
        total = sum(statistics.median(v) for v in claims[level].values())
        print(f"{level:<9} {statistics.median(w):>13.1f} {min(w):>7.1f} {max(w):>7.1f} "
              f"{statistics.median(cpus[level]):>13.1f} {total:>16.1f}  "
              f"{'yes' if passed[level] else 'NO':<15}  {_target(level, statistics.median(w))}")
    print()
    print("median seconds per claim (in its worker)")
    ids = list(claims[args.levels[0]])
    print(f"{'id':<4}" + "".join(f" {level:>9}" for level in args.levels))
    for cid in ids:
        print(f"{cid:<4}" + "".join(f" {statistics.median(claims[lv].get(cid, [0.0])):>9.2f}" for lv in args.levels))


if __name__ == "__main__":
    main()
