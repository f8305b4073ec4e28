"""Benchmark: the gauntlet of perturbed twins, per twin (median wall time) and in total.

Run: .venv/bin/python -m benchmarks.bench_trust [--repeat 3] [--level quick]. Prints one row per
perturbed twin with its verdict and the median seconds over the repeats, then the count "N
perturbed twins, M caught" that the main report quotes. Timings are noisy on a shared machine:
medians.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections import Counter

from checkers.claims import CLAIMS
from checkers.gauntlet import run_trial
from checkers.verdict import Level


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--level", choices=[lv.value for lv in Level], default=Level.QUICK.value)
    args = parser.parse_args()
    level = Level(args.level)
    print(f"{'claim':<5} {'verdict':<8} {'median s':>9}  perturbed twin")
    caught, total = 0, 0.0
    twins = [(c.id, t) for c in CLAIMS for t in c.twins]
    for cid, twin in twins:
        times, ok, outcome = [], False, ""
        for _ in range(args.repeat):
            t = time.perf_counter()
            trial = run_trial(cid, twin, level)
            times.append(time.perf_counter() - t)
            ok, outcome = trial.caught, trial.verdict.outcome.value
        median = statistics.median(times)
        total += median
        caught += ok
        print(f"{cid:<5} {outcome:<8} {median:>9.3f}  {twin.description}")
    per_claim = Counter(cid for cid, _ in twins)
    print(f"\n{len(twins)} perturbed twins over {len(per_claim)} claim ids at the {level.value} level, {caught} caught "
          f"(all must be); sum of medians {total:.2f} s")


if __name__ == "__main__":
    main()
