"""Benchmark: the audit's cost: building the event family for a target, and auditing n samples.

Run: .venv/bin/python -m benchmarks.bench_audit [--repeat 3]. Prints medians (noisy on a shared machine).
"""

from __future__ import annotations

import argparse
import random
from fractions import Fraction

from benchmarks._timing import median_seconds
from checkers.audit.samples import (
    _battery_of,
    _chunk_law,
    _pattern_law,
    audit,
    battery,
    binomial_tail,
    clopper_pearson_lower,
)
from spec.dist import Dist
from spec.tasks.uniform_number import uniform_number


def _fresh(digits: int) -> Dist[str]:
    return uniform_number(digits).target()


def _uncached_audit(samples: list[str], target: Dist[str]) -> object:
    binomial_tail.cache_clear()  # exact tails are shared across tests and audits; time them afresh
    return audit(samples, target)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    print("event family (battery) for Unif(d-digit numbers): build time, uncached")
    print(f"{'d':>2} {'support':>8} {'tests':>6} {'median s':>9}")
    for d in (3, 4, 5, 6):
        target = _fresh(d)

        def build(t: Dist[str] = target) -> object:
            for cache in (_battery_of, _chunk_law, _pattern_law):  # time the real work, not a cache hit
                cache.cache_clear()
            return battery(t)

        secs = median_seconds(build, args.repeat)
        tests = sum(m for _, m in battery(target).family_sizes)
        print(f"{d:>2} {len(target):>8} {tests:>6} {secs:>9.3f}")

    print("\naudit of n samples (family cached, exact tails uncached); uniform sampler, and a skewed one that rejects")
    print(f"{'d':>2} {'n':>5} {'uniform s':>10} {'skewed s':>9} {'skewed TVD bound':>17}")
    for d in (3, 6):
        target = _fresh(d)
        battery(target)
        skewed = Dist.uniform([x for x in target.support if len(set(x)) == d])  # all digits distinct
        for n in (16, 100, 1000):
            rng = random.Random(n)
            uni = [target.sample(rng) for _ in range(n)]
            bad = [skewed.sample(rng) for _ in range(n)]
            t_uni = median_seconds(lambda: _uncached_audit(uni, target), args.repeat)
            t_bad = median_seconds(lambda: _uncached_audit(bad, target), args.repeat)
            tvd_bound = audit(bad, target).tvd_lower_bound
            print(f"{d:>2} {n:>5} {t_uni:>10.3f} {t_bad:>9.3f} {float(tvd_bound):>17.4f}")

    print("\nexact Clopper–Pearson lower bound (bisection to 2^-40), k = n/2, beta = 1/1000")
    print(f"{'n':>5} {'median s':>9}")
    for n in (16, 100, 1000):

        def bound(n: int = n) -> object:
            binomial_tail.cache_clear()  # every bisection step is a fresh exact tail
            return clopper_pearson_lower(n // 2, n, Fraction(1, 1000))

        secs = median_seconds(bound, args.repeat)
        print(f"{n:>5} {secs:>9.4f}")


if __name__ == "__main__":
    main()
