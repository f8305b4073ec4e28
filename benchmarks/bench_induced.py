"""Benchmark: exact `induced` on the post's 6-digit model and on chain_rule(Unif(6-digit numbers)).

Run: .venv/bin/python -m benchmarks.bench_induced [--repeat 5]. Prints medians and strings/s.
"""

from __future__ import annotations

import argparse

from benchmarks._timing import median_seconds
from spec import STOP, Dist, alphabet, chain_rule, induced

DIGITS = alphabet("0123456789")
FIRST = Dist.uniform("123456789")
REST = Dist.uniform("0123456789")
END = Dist.point(STOP)


def six_digit_model(prompt: str, prefix: str) -> Dist[str]:
    """The post's model: uniform 1-9, then uniform 0-9 five times, then STOP."""
    k = len(prefix)
    return FIRST if k == 0 else REST if k < 6 else END


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    target = Dist.uniform(str(i) for i in range(100000, 1000000))
    n = len(target)

    def direct() -> object:
        return induced(six_digit_model, "give me a random 6-digit number", max_len=6, alphabet=DIGITS)

    def via_chain_rule() -> object:
        return induced(chain_rule(target), "", max_len=6, alphabet=DIGITS)

    assert direct() == target and via_chain_rule() == target
    print(f"{'job':<40} {'median s':>9} {'strings/s':>12}")
    for name, job in (("induced(six_digit_model)", direct), ("induced(chain_rule(Unif)) incl. build", via_chain_rule)):
        s = median_seconds(job, args.repeat)
        print(f"{name:<40} {s:>9.2f} {n / s:>12,.0f}")


if __name__ == "__main__":
    main()
