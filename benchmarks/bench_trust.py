"""Benchmark: the gauntlet of perturbed claims, per entry (median wall time) and in total.

Run: .venv/bin/python -m benchmarks.bench_trust [--repeat 3]. Prints one row per perturbed claim
with its verdict and the median seconds over the repeats, then the count "N perturbed claims, M
as expected" that the main report quotes. Timings are noisy on a shared machine: medians.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections import Counter

from checkers.gauntlet import PERTURBATIONS, run_one
from checkers.verdict import Outcome


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print(f"{'claim':<5} {'verdict':<8} {'median s':>9}  perturbation")
    as_expected, total = 0, 0.0
    for p in PERTURBATIONS:
        times, outcome = [], Outcome.ERROR
        for _ in range(args.repeat):
            t = time.perf_counter()
            outcome = run_one(p).outcome
            times.append(time.perf_counter() - t)
        median = statistics.median(times)
        total += median
        as_expected += outcome is Outcome.REFUTED
        print(f"{p.claim:<5} {outcome.value:<8} {median:>9.3f}  {p.description}")
    per_claim = Counter(p.claim for p in PERTURBATIONS)
    print(f"\n{len(PERTURBATIONS)} perturbed claims over {len(per_claim)} claim ids, {as_expected} REFUTED "
          f"(all must be); sum of medians {total:.2f} s")


if __name__ == "__main__":
    main()
