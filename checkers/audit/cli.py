"""`python -m checkers audit`: audit a file of a model's answers (one per line) against a task's target.

Exit status: 0 when the target cannot be rejected at alpha, 1 when it is rejected (the TVD lower
bound is positive), 2 on bad input (unreadable file, malformed lines, bad options).
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from fractions import Fraction
from itertools import islice
from pathlib import Path

import numpy as np
import numpy.typing as npt

from checkers.audit.samples import (
    SHARES_NUMERIC,
    SHARES_OTHER,
    MalformedSamples,
    as_alpha,
    audit_all,
    battery,
    numeric_target,
    uniform_number_target,
)
from checkers.report.outputs import output_file_problem, write_text_atomic
from spec.dist import Dist
from spec.errors import InvalidArgument, SpecError
from spec.tasks.random_prime import random_prime
from spec.tasks.semiprime import ORDERS, semiprime_triple

__all__ = ["TASKS", "FORMATS", "task_target", "read_samples", "count_samples", "SampleCounts", "plan", "main"]


def _semiprime(n: int) -> Dist[str]:
    return semiprime_triple(n, ORDERS[0]).target()


TASKS: dict[str, tuple[Callable[[int], Dist[str]], int, str]] = {
    "uniform-number": (uniform_number_target, 6, "a random d-digit number; --digits d, default 6"),
    "random-prime": (lambda n: random_prime(n).target(), 6, "a random n-digit prime; --digits n, default 6"),
    "semiprime": (_semiprime, 2, "[p,q,pq] for random n-digit primes p, q; --digits n, default 2"),
    "semiprime-pq-first": (lambda n: semiprime_triple(n, ORDERS[1]).target(), 2,
                           "[pq,p,q], the post's hard order; --digits n, default 2"),
}
"""task name -> (size -> exact target, default size, description)."""


def task_target(task: str, digits: int | None = None) -> Dist[str]:
    """The exact target of a named task at a size (its default size when None)."""
    if task not in TASKS:
        raise InvalidArgument(f"unknown task {task!r}; known: {', '.join(sorted(TASKS))}")
    build, default, _ = TASKS[task]
    return build(default if digits is None else digits)


FORMATS: dict[str, str] = {
    "uniform-number": "the number in decimal, no sign, no leading zero, no separators: 523489 (size 6)",
    "random-prime": "the prime in decimal, no leading zero: 100003 (size 6); 11 (size 2)",
    "semiprime": "[p,q,pq] with no spaces, p and q in either order: [11,13,143] or [13,11,143] (size 2)",
    "semiprime-pq-first": "[pq,p,q] with no spaces, p and q in either order: [143,11,13] (size 2)",
}
"""The accepted answer format of each task, with an example (also in --help and docs/audit.md)."""


@dataclass
class SampleCounts:
    """Answers counted as they are read: lines at even and odd positions apart (the split halves)."""

    halves: tuple[Counter[str], Counter[str]]
    total: Counter[str]
    blank: int
    n: int


CHUNK_LINES = 1 << 18
"""Lines are read and counted this many at a time: memory grows with the distinct answers only."""


def count_samples(lines: Iterable[str], support: frozenset[str], *, outside_support: bool = False) -> SampleCounts:
    """One answer per line, surrounding whitespace stripped, a byte-order mark dropped; blank lines are
    skipped and counted. Lines outside the support are an error naming their line numbers (the first
    ten), unless `outside_support`, when they are kept and counted as such. Memory grows with the
    number of distinct answers, not with the number of lines."""
    halves: tuple[Counter[str], Counter[str]] = (Counter(), Counter())
    total: Counter[str] = Counter()
    bad: list[tuple[int, str]] = []
    nbad = blank = n = 0
    it = iter(lines)
    first_line = 1
    while True:
        chunk = list(islice(it, CHUNK_LINES))
        if not chunk:
            break
        stripped = list(map(str.strip, chunk))
        if first_line == 1 and stripped[0].startswith("\ufeff"):
            stripped[0] = stripped[0][1:].strip()
        answers = [x for x in stripped if x]
        blank += len(stripped) - len(answers)
        strange = set(answers) - support
        if strange:
            for i, x in enumerate(stripped):
                if x in strange:
                    nbad += 1
                    if len(bad) < 10:
                        bad.append((first_line + i, x))
            if not outside_support:
                answers = [x for x in answers if x not in strange]
        start = n % 2
        halves[start].update(answers[0::2])
        halves[1 - start].update(answers[1::2])
        total.update(answers)
        n += len(answers)
        first_line += len(chunk)
    if nbad and not outside_support:
        shown = ", ".join(f"line {i}: {s!r}" for i, s in bad)
        more = f" (and {nbad - 10} more)" if nbad > 10 else ""
        raise MalformedSamples(
            f"{nbad} of {n + nbad} lines are not answers in the task's support: {shown}{more}; "
            "fix them, or pass --outside-support to count them as answers outside the support", tuple(bad))
    return SampleCounts(halves, total, blank, n)


def read_samples(text: str, support: frozenset[str], *, outside_support: bool = False) -> list[str]:
    """The answers of `text` in order (see count_samples: blank lines skipped, a byte-order mark dropped);
    lines outside the support are an error naming their line numbers, unless `outside_support`."""
    count_samples(text.splitlines(), support, outside_support=outside_support)  # the checks
    lines = text.splitlines()
    if lines and lines[0].lstrip().startswith("\ufeff"):
        lines[0] = lines[0].lstrip()[1:]
    return [s for s in (line.strip() for line in lines) if s]


# ---- the planner: how many samples detect a TVD of delta ---------------------------------------------


def _log_pmf(n: int, p: float) -> npt.NDArray[np.float64]:
    i = np.arange(n, dtype=np.float64)
    ratios = np.log((n - i) / (i + 1)) + math.log(p / (1 - p))
    return np.concatenate(([n * math.log1p(-p)], n * math.log1p(-p) + np.cumsum(ratios)))


def _power(n: int, q: float, delta: float, level: float) -> float:
    """P(the one-sided exact test at `level` rejects) when the model puts q + delta on the event (float64)."""
    if q == 0:  # one sample in the event rejects
        return 1 - (1 - delta) ** n
    null = np.exp(_log_pmf(n, q))
    tail = np.cumsum(null[::-1])[::-1]  # tail[k] = P(Bin(n, q) >= k)
    ok = np.nonzero(tail <= level)[0]
    if ok.size == 0:
        return 0.0
    crit = int(ok[0])
    alt = np.exp(_log_pmf(n, min(q + delta, 1 - 1e-15)))
    return float(alt[crit:].sum())


def plan(target_name: str, target: Dist[str], delta: Fraction, alpha: Fraction, power: Fraction) -> list[str]:
    """For each event kind of the family: the least n (doubling, then bisection) at which the exact
    one-sided binomial test at its Bonferroni level has at least `power` against a model that moves
    delta of mass onto a typical event of that kind. Powers are float64 sums (a plan, not a verdict)."""
    bat = battery(target)
    share = dict(SHARES_NUMERIC if numeric_target(target) else SHARES_OTHER)["family"]
    rows = [f"plan for {target_name}: samples for power >= {decimal_str(power)} against TVD = {decimal_str(delta)} "
            f"concentrated on one event, alpha = {alpha} (event family share {share}: its tests run at "
            f"alpha·{share}/(F·m_f)); exact binomial tails in float64"]
    rows.append(f"  {'event kind':<18} {'typical event':<44} {'P_target':>9} {'level':>9} {'samples':>9}")
    for family, _ in bat.family_sizes:
        tests = [t for t in bat.tests if t.family == family and not t.negated]
        if not tests:
            continue
        t = sorted(tests, key=lambda t: t.target_prob)[len(tests) // 2]
        q, level = float(t.target_prob), float(alpha * share / bat.multiplier(family))
        if q + float(delta) > 1:
            continue
        lo, hi = 1, 1
        while _power(hi, q, float(delta), level) < float(power):
            lo, hi = hi, hi * 2
            if hi > 10**7:
                break
        if hi > 10**7:
            rows.append(f"  {family:<18} {t.words[:44]:<44} {q:>9.3g} {level:>9.2g} {'> 10^7':>9}")
            continue
        while hi - lo > max(1, lo // 200):
            mid = (lo + hi) // 2
            if _power(mid, q, float(delta), level) >= float(power):
                hi = mid
            else:
                lo = mid
        rows.append(f"  {family:<18} {t.words[:44]:<44} {q:>9.3g} {level:>9.2g} {hi:>9}")
    rows.append("  (a TVD spread thinly over many answers needs more: identity testing takes Θ(√k/δ²) samples "
                "over k answers, estimating the TVD Θ(k/log k); the sample-split witness and the DKW band add power "
                "for concentrated and for cumulative deviations)")
    return rows


def decimal_str(x: Fraction) -> str:
    return f"{float(x):g}"


def _parser() -> argparse.ArgumentParser:
    formats = "; ".join(f"{k}: {v}" for k, v in FORMATS.items())
    p = argparse.ArgumentParser(
        prog="python -m checkers audit",
        description="Lower-bound the total variation distance between a model's answers and a task's "
        "exact target distribution: an event family (exact Clopper–Pearson bounds, weighted Bonferroni), a "
        "sample-split witness and the DKW–Massart band, under one alpha split by Bonferroni. "
        "Input: one answer per line; surrounding spaces, blank lines and a byte-order mark are ignored. "
        f"Accepted formats: {formats}. "
        "Exit status 0: target not rejected; 1: rejected; 2: bad input. See docs/audit.md.",
    )
    p.add_argument("--task", required=True, choices=sorted(TASKS),
                   help="; ".join(f"{k}: {v[2]}" for k, v in TASKS.items()))
    p.add_argument("--digits", type=int, default=None, help="the task's size (digits of the number or primes)")
    p.add_argument("--samples", type=str, metavar="FILE", help="one answer per line; '-' reads standard input")
    p.add_argument("--alpha", default="0.05", help="error level, exact decimal or fraction (default 0.05)")
    p.add_argument("--json", type=Path, metavar="PATH", help="also write the report as JSON (docs/audit.md)")
    p.add_argument("--outside-support", action="store_true",
                   help="count malformed lines as answers outside the target's support instead of rejecting the file")
    p.add_argument("--plan", action="store_true", help="print how many samples detect a TVD of --delta, and exit")
    p.add_argument("--delta", default=None, help="with --plan: the TVD to detect (exact decimal or fraction)")
    p.add_argument("--power", default="0.9", help="with --plan: the power wanted (default 0.9)")
    return p


def _fraction(text: str, what: str) -> Fraction:
    try:
        x = Fraction(text)
    except (ValueError, ZeroDivisionError):
        raise InvalidArgument(f"{what} must be a number in (0, 1), got {text!r}") from None
    if not 0 < x < 1:
        raise InvalidArgument(f"{what} must lie strictly between 0 and 1, got {text!r}")
    return x


def main(argv: list[str]) -> int:
    """Run the audit command; return the exit status."""
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as e:  # argparse exits on --help (0) and on usage errors (2)
        return int(e.code) if isinstance(e.code, int) else 2
    if args.json is not None:
        why = output_file_problem(args.json)
        if why is not None:  # before the audit runs
            print(f"audit: cannot write --json {args.json}: {why}", file=sys.stderr)
            return 2
    try:
        alpha = as_alpha(args.alpha)
        target = task_target(args.task, args.digits)
        if args.plan:
            if args.delta is None:
                raise InvalidArgument("--plan needs --delta (the TVD to detect, e.g. 0.1)")
            rows = plan(args.task, target, _fraction(args.delta, "--delta"), alpha, _fraction(args.power, "--power"))
            print("\n".join(rows))
            return 0
        if args.samples is None:
            raise InvalidArgument("--samples FILE is required (or '-' for standard input; or --plan)")
    except SpecError as e:
        print(f"audit: {e}", file=sys.stderr)
        return 2
    name = "standard input" if args.samples == "-" else args.samples
    try:
        support = battery(target).support
        if args.samples == "-":
            counts = count_samples(sys.stdin, support, outside_support=args.outside_support)
        else:
            with open(args.samples, encoding="utf-8") as f:
                counts = count_samples(f, support, outside_support=args.outside_support)
        if counts.n == 0:
            raise InvalidArgument(f"no samples ({counts.blank} blank lines and no answer)")
        report = audit_all(counts.halves, target, alpha=alpha, total=counts.total)
    except (SpecError, OSError, UnicodeDecodeError) as e:
        print(f"audit: {name}: {e}", file=sys.stderr)
        return 2
    size = TASKS[args.task][1] if args.digits is None else args.digits
    print(f"task: {args.task} (size {size}), target support {len(target)} answers; file {name}"
          + (f"; {counts.blank} blank lines skipped" if counts.blank else ""))
    print(report.render())
    if args.json is not None:
        payload = {"task": args.task, "size": size, "samples_file": str(name), "blank_lines": counts.blank,
                   **report.to_json()}
        payload = {"schema": payload.pop("schema"), **payload}
        try:
            write_text_atomic(args.json, json.dumps(payload, indent=2) + "\n")
        except OSError as e:
            print(f"audit: cannot write --json {args.json}: {e}", file=sys.stderr)
            return 2
    return 1 if report.rejects else 0
