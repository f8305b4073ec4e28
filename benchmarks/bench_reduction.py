"""Benchmark: F2's exhaustive reduction check at n = 3, 4, 5 and F3's cost table for n = 1..20.

Run: .venv/bin/python -m benchmarks.bench_reduction [--repeat 3] [--f3-samples 3] [--sympy-top 20]
Prints medians (wall time is noisy on a shared machine; the counts are machine independent).
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable

from checkers.factoring import (
    _f2_exhaustive,
    _f2_grouped,
    _f2_numpy,
    cost_rows,
    grouped_shard,
)
from spec.tasks.primes import n_digit_primes


def _median_seconds(job: Callable[[], object], repeat: int) -> tuple[float, object]:
    times, out = [], None
    for _ in range(repeat):
        t = time.perf_counter()
        out = job()
        times.append(time.perf_counter() - t)
    return statistics.median(times), out


def f2_table(repeat: int) -> None:
    print("F2: every s of S_n (medians)")
    print(f"{'n':>2} {'method':<52} {'distinct s':>11} {'median s':>9} {'failures':>8}")
    jobs: list[tuple[int, str, Callable[[], tuple[list[str], str]]]] = [
        (3, "chain rule: exact law after '[s,' for every s + factor_with", lambda: _f2_exhaustive(3, True)),
        (4, "numpy grouping of 1.1M pairs (8 shards) + 300 factor_with", lambda: _f2_numpy(4)),
        (4, "target texts grouped by s (pure Python) + flint per s", lambda: _f2_grouped(4)),
        (5, "numpy grouping of 70M pairs (8 shards) + 300 factor_with", lambda: _f2_numpy(5)),
    ]
    for n, name, job in jobs:
        sec, out = _median_seconds(job, repeat if n < 5 else 1)
        bad = out[0] if isinstance(out, tuple) else []
        p = len(n_digit_primes(n))
        print(f"{n:>2} {name:<52} {p * (p + 1) // 2:>11} {sec:>9.2f} {len(bad):>8}")
    t = time.perf_counter()
    r = grouped_shard(5, 0, 8)
    per_pair = (time.perf_counter() - t) / max(1, r["pairs"])
    pairs6 = len(n_digit_primes(6)) ** 2
    print(f"n = 6 plan: {pairs6} pairs; measured {per_pair * 1e9:.0f} ns/pair on one shard of n = 5 "
          f"=> ~{pairs6 * per_pair:.0f} s on one core; 16 bytes/pair => shards of 10^8 pairs (1.6 GB each), "
          f"{-(-pairs6 // 10**8)} shards, split over xdist workers (s-ranges are independent)")


def f3_table(samples: int, trial_top: int, sympy_top: int) -> None:
    print()
    print(f"F3: cost per s = p·q for n-digit primes (medians of {samples} seeded s; — = not run)")
    head = (f"{'n':>2} {'tests/prime':>11} {'mult/token':>10} {'trial divisions':>22} "
            f"{'trial s':>9} {'sympy s':>9} {'flint s':>9}")
    print(head)
    for r in cost_rows(20, samples, trial_top, sympy_top):
        print(f"{r['n']:>2} {float(str(r['primality_tests_per_prime'])):>11.1f} {r['multiplications_per_product_token']:>10} "
              f"{r['trial_divisions_median']:>22} {_seconds(r['trial_seconds'])} "
              f"{_seconds(r['sympy_seconds'])} {_seconds(r['flint_seconds'])}")


def _seconds(value: object) -> str:
    """A median wall time, or a dash where the back-end was not run."""
    return f"{float(str(value)):>9.2g}" if value is not None else f"{'—':>9}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--f3-samples", type=int, default=3)
    parser.add_argument("--trial-top", type=int, default=8)
    parser.add_argument("--sympy-top", type=int, default=20)
    parser.add_argument("--skip-f2", action="store_true")
    args = parser.parse_args()
    if not args.skip_f2:
        f2_table(args.repeat)
    f3_table(args.f3_samples, args.trial_top, args.sympy_top)


if __name__ == "__main__":
    main()
