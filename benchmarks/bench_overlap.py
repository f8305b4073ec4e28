"""The appendix's solver frontier: direct fixed-N encodings of O² ≤ mean p, and the all-N obligations.

Run: .venv/bin/python -m benchmarks.bench_overlap [--max-n 4] [--timeout 60] [--repeat 3]
Prints one table row per (encoding, N): the median wall-clock seconds over --repeat runs (one run
when the first is not PROVED: its time is the limit) and the verdict; an encoding stops at its first N that is not PROVED (its larger N are not tried).
"""

from __future__ import annotations

import argparse
import statistics
import time

from checkers.appendix import (
    ENCODINGS,
    amhm_proof,
    k_over_n_step,
    overlap_bound_proof,
    prove_direct,
)
from checkers.smt.proof import check_obligations


def _timed(run: object) -> tuple[float, str, str]:
    assert callable(run)
    t0 = time.perf_counter()
    attempt = run()
    seconds = time.perf_counter() - t0
    runs = "; ".join(f"{r.solver} {r.answer.value} {r.seconds:.2f}s{' ' + r.reason if r.reason else ''}" for r in attempt.runs)
    return seconds, attempt.outcome.value, runs


def frontier(max_n: int, timeout_s: float, repeat: int, encodings: list[str]) -> None:
    """The direct-encoding frontier table: N, encoding, median seconds, verdict, solver runs."""
    print(f"{'encoding':<10} {'N':>2} {'median s':>9} {'verdict':<8} solver runs (last repeat)")
    for kind in encodings:
        for n in range(1, max_n + 1):
            results = [_timed(lambda: prove_direct(n, kind, timeout_s=timeout_s))]
            if results[0][1] == "PROVED":  # a time-out is the limit itself: not worth repeating
                results += [_timed(lambda: prove_direct(n, kind, timeout_s=timeout_s)) for _ in range(repeat - 1)]
            seconds = statistics.median(r[0] for r in results)
            verdict, runs = results[-1][1], results[-1][2]
            print(f"{kind:<10} {n:>2} {seconds:>9.2f} {verdict:<8} {runs}", flush=True)
            if verdict != "PROVED":
                break


def obligations(repeat: int) -> None:
    """Each obligation of the decomposed proofs: median seconds and verdict."""
    print(f"\n{'obligation':<34} {'median s':>9} {'verdict':<8} solver runs (last repeat)")
    for ob in (*overlap_bound_proof().obligations, *amhm_proof().obligations, k_over_n_step()):
        results = []
        for _ in range(repeat):
            t0 = time.perf_counter()
            checked = check_obligations([ob])[0]
            runs = "; ".join(f"{r.solver} {r.answer.value} {r.seconds:.2f}s" for r in checked.attempt.runs) \
                if checked.attempt else checked.reason
            results.append((time.perf_counter() - t0, checked.outcome.value, runs))
        seconds = statistics.median(r[0] for r in results)
        print(f"{ob.name[:34]:<34} {seconds:>9.2f} {results[-1][1]:<8} {results[-1][2]}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--max-n", type=int, default=4)
    parser.add_argument("--timeout", type=float, default=60.0, help="per solver, seconds (cvc5 gets +10 s grace)")
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--encodings", default=",".join(ENCODINGS))
    args = parser.parse_args()
    frontier(args.max_n, args.timeout, args.repeat, args.encodings.split(","))
    obligations(max(args.repeat, 3))


if __name__ == "__main__":
    main()
