"""The frontier of the conditioning lemma: (k, L) against seconds, naive vs decomposed, z3 vs cvc5.

    .venv/bin/python -m benchmarks.bench_smt_reduction [--max-sum 8] [--timeout 60] [--repeat 1]
                                                        [--naive-max-sum 6] [--only K,L ...]

Each row: one (k, L) with texts of length <= L over k symbols. "naive" is one query (products
of conditionals, the negated conclusion a disjunction over all (prefix, continuation) pairs);
"decomposed" is the cut-rule decomposition (mass obligation per node, pair obligations in
chunks), all blocks in one z3 context and one incremental cvc5 child. Solver seconds are summed
over queries; "wall" includes building and printing the SMT-LIB2. Times are medians over
--repeat runs on a shared machine: noisy. The naive encoding is skipped above --naive-max-sum
(it needs a timeout per solver there).
"""

from __future__ import annotations

import argparse
import statistics
from collections.abc import Callable

from checkers.foundation import (
    ConditioningProof,
    prove_conditioning_decomposed,
    prove_conditioning_naive,
)


def median_run(run: Callable[[], ConditioningProof], repeat: int) -> tuple[ConditioningProof, float, float, float]:
    """The last proof and the median z3, cvc5 and wall seconds over `repeat` runs."""
    proofs = [run() for _ in range(repeat)]
    return (
        proofs[-1],
        statistics.median(p.z3_seconds for p in proofs),
        statistics.median(p.cvc5_seconds for p in proofs),
        statistics.median(p.seconds for p in proofs),
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--max-sum", type=int, default=8, help="largest k + L")
    parser.add_argument("--naive-max-sum", type=int, default=6, help="largest k + L for the naive encoding")
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds per solver per query")
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--only", nargs="*", default=[], help="(k, L) pairs as K,L")
    args = parser.parse_args()
    scopes = [tuple(map(int, s.split(","))) for s in args.only] or [
        (k, L) for total in range(3, args.max_sum + 1) for k in range(1, total) for L in [total - k] if k <= 10
    ]
    header = (f"{'k':>2} {'L':>2} | {'naive':>8} {'z3 s':>8} {'cvc5 s':>8} {'vars':>5} | "
              f"{'decomp.':>8} {'queries':>7} {'z3 s':>8} {'cvc5 s':>8} {'wall s':>8} {'vars':>6}")
    print(header)
    print("-" * len(header))
    for k, L in scopes:
        if k + L <= args.naive_max_sum:
            naive, nz3, ncvc5, _ = median_run(lambda: prove_conditioning_naive(k, L, timeout_s=args.timeout), args.repeat)
            naive_cols = f"{naive.outcome.value:>8} {nz3:8.2f} {ncvc5:8.2f} {naive.num_vars:5d}"
        else:
            naive_cols = f"{'skipped':>8} {'':>8} {'':>8} {'':>5}"
        dec, dz3, dcvc5, dwall = median_run(lambda: prove_conditioning_decomposed(k, L, timeout_s=args.timeout),
                                            args.repeat)
        print(f"{k:2d} {L:2d} | {naive_cols} | {dec.outcome.value:>8} {dec.queries:7d} {dz3:8.2f} {dcvc5:8.2f} "
              f"{dwall:8.2f} {dec.num_vars:6d}", flush=True)


if __name__ == "__main__":
    main()
