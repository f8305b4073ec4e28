"""Cost of the autoregressive answerers against the committed ones: G1 vs 2^b, G4 vs m, G3 vs R.

Run: .venv/bin/python -m benchmarks.bench_worlds [--max-b 16] [--max-k 16] [--repeats 3]
Counts (objects examined, SHA-256 evaluations) are exact and machine-independent; times are
medians over --repeats runs (one run where a single run takes over 2 s), noisy on a shared machine.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from functools import partial

from checkers.worlds import g1_cost_row, g3_cost_row, g4_cost_row


def _median_row(make: Callable[[], dict[str, object]], repeats: int, time_keys: tuple[str, ...]) -> dict[str, object]:
    t0 = time.perf_counter()
    rows = [make()]
    if time.perf_counter() - t0 < 2.0:
        rows += [make() for _ in range(repeats - 1)]
    out = dict(rows[0])
    for k in time_keys:
        out[k] = round(statistics.median(float(r[k]) for r in rows), 3)  # type: ignore[arg-type]
    out["runs"] = len(rows)
    return out


def _table(title: str, rows: list[dict[str, object]], keys: list[str]) -> None:
    print(f"\n{title}")
    widths = [max(len(k), *(len(str(r.get(k, ""))) for r in rows)) for k in keys]
    print("  ".join(k.rjust(w) for k, w in zip(keys, widths)))
    for r in rows:
        print("  ".join(str(r.get(k, "")).rjust(w) for k, w in zip(keys, widths)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--max-b", type=int, default=16)
    parser.add_argument("--max-k", type=int, default=16)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()

    g1 = [
        _median_row(partial(g1_cost_row, b), args.repeats, ("ar_ms_per_token", "committed_ms_total"))
        for b in range(1, args.max_b + 1)
    ]
    _table(
        "G1 Twenty Questions, 20 SHA-256 bit questions: cost per token (AR) vs committed",
        g1,
        ["b", "universe", "tokens", "ar_objects_per_token", "ar_hashes_per_token", "ar_ms_per_token",
         "committed_objects", "committed_hashes_per_answer", "committed_ms_total", "runs"],
    )
    g4 = [
        _median_row(partial(g4_cost_row, 2**k), args.repeats, ("ar_ms_per_token",))
        for k in range(1, args.max_k + 1)
    ]
    _table(
        "G4 mystery, 8 keyed-hash clues: AR teller cost per token vs m",
        g4,
        ["m", "tokens", "ar_suspects_per_token", "ar_hashes_per_token", "ar_ms_per_token", "committed_suspects", "committed_hashes", "runs"],
    )
    g3 = [_median_row(partial(g3_cost_row, 3, R, run_ar=R <= 8), args.repeats, ("newton_ms", "flint_ms")) for R in (1, 2, 4, 8)]
    g3 += [
        _median_row(partial(g3_cost_row, 3, R, run_ar=False), args.repeats, ("newton_ms", "flint_ms"))
        for R in (10**2, 10**4, 10**8, 10**16, 10**32)
    ]
    g3 += [
        _median_row(partial(g3_cost_row, n, 10**12, run_ar=False), args.repeats, ("newton_ms", "flint_ms"))
        for n in (5, 10, 20, 40)
    ]
    _table(
        "G3 polynomial: AR by enumeration ((2R+1)^n tuples per token) vs recovering the roots",
        g3,
        ["n", "R", "text_len", "ar_tuples_per_token", "ar_ms_per_token", "committed_mults", "newton_evals", "newton_ms", "flint_ms", "runs"],
    )


if __name__ == "__main__":
    main()
