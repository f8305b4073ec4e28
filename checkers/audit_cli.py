"""`python -m checkers audit`: audit a file of a model's answers (one per line) against a task's target.

Exit status: 0 when the target cannot be rejected at alpha, 1 when it is rejected (the TVD lower
bound is positive), 2 on bad input (unreadable file, malformed lines, bad options).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path

from checkers.audit import AuditReport, MalformedSamples, as_alpha, audit, uniform_number_target
from checkers.outputs import unwritable_file, write_text_atomic
from spec.dist import Dist
from spec.errors import InvalidArgument, SpecError
from spec.tasks.random_prime import random_prime
from spec.tasks.semiprime import ORDERS, semiprime_triple

__all__ = ["TASKS", "task_target", "read_samples", "main"]


def _semiprime(n: int) -> Dist[str]:
    return semiprime_triple(n, ORDERS[0]).target()


TASKS: dict[str, tuple[Callable[[int], Dist[str]], int, str]] = {
    "uniform-number": (uniform_number_target, 6, "a random d-digit number (R1); --digits d, default 6"),
    "random-prime": (lambda n: random_prime(n).target(), 6, "a random n-digit prime (R3); --digits n, default 6"),
    "semiprime": (_semiprime, 2, "[p,q,pq] for random n-digit primes p, q (F1); --digits n, default 2"),
}
"""task name -> (size -> exact target, default size, description)."""


def task_target(task: str, digits: int | None = None) -> Dist[str]:
    """The exact target of a named task at a size (its default size when None)."""
    if task not in TASKS:
        raise InvalidArgument(f"unknown task {task!r}; known: {', '.join(sorted(TASKS))}")
    build, default, _ = TASKS[task]
    return build(default if digits is None else digits)


def read_samples(text: str, support: frozenset[str], *, outside_support: bool = False) -> list[str]:
    """One answer per line (surrounding whitespace stripped); lines outside the support are an error
    naming their line numbers, unless `outside_support`, when they are kept and counted as such."""
    samples = [line.strip() for line in text.splitlines()]
    bad = tuple((i, s) for i, s in enumerate(samples, start=1) if s not in support)
    if bad and not outside_support:
        shown = ", ".join(f"line {i}: {s!r}" for i, s in bad[:10])
        more = f" (and {len(bad) - 10} more)" if len(bad) > 10 else ""
        raise MalformedSamples(
            f"{len(bad)} of {len(samples)} lines are not answers in the task's support: {shown}{more}; "
            "fix them, or pass --outside-support to count them as answers outside the support", bad)
    return samples


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m checkers audit",
        description="Lower-bound the total variation distance between a model's answers and a task's "
        "exact target distribution, with exact Clopper–Pearson bounds and exact p-values. "
        "Exit status 0: target not rejected; 1: rejected; 2: bad input.",
    )
    p.add_argument("--task", required=True, choices=sorted(TASKS),
                   help="; ".join(f"{k}: {v[2]}" for k, v in TASKS.items()))
    p.add_argument("--digits", type=int, default=None, help="the task's size (digits of the number or primes)")
    p.add_argument("--samples", required=True, type=Path, metavar="FILE", help="one answer per line")
    p.add_argument("--alpha", default="0.05", help="error level, exact decimal or fraction (default 0.05)")
    p.add_argument("--json", type=Path, metavar="PATH", help="also write the report as JSON")
    p.add_argument("--outside-support", action="store_true",
                   help="count malformed lines as answers outside the target's support instead of rejecting the file")
    return p


def main(argv: list[str]) -> int:
    """Run the audit command; return the exit status."""
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as e:  # argparse exits on --help (0) and on usage errors (2)
        return int(e.code) if isinstance(e.code, int) else 2
    if args.json is not None:
        why = unwritable_file(args.json)
        if why is not None:  # before the audit runs
            print(f"audit: cannot write --json {args.json}: {why}", file=sys.stderr)
            return 2
    try:
        alpha = as_alpha(args.alpha)
        target = task_target(args.task, args.digits)
    except SpecError as e:
        print(f"audit: {e}", file=sys.stderr)
        return 2
    try:
        text = args.samples.read_text(encoding="utf-8")
        samples = read_samples(text, target.support, outside_support=args.outside_support)
        report: AuditReport = audit(samples, target, alpha=alpha)
    except (SpecError, OSError, UnicodeDecodeError) as e:
        print(f"audit: {args.samples}: {e}", file=sys.stderr)
        return 2
    size = TASKS[args.task][1] if args.digits is None else args.digits
    print(f"task: {args.task} (size {size}), target support {len(target)} answers; file {args.samples}")
    print(report.render())
    if args.json is not None:
        payload = {"task": args.task, "size": size, "samples_file": str(args.samples), **report.to_json()}
        try:
            write_text_atomic(args.json, json.dumps(payload, indent=2) + "\n")
        except OSError as e:
            print(f"audit: cannot write --json {args.json}: {e}", file=sys.stderr)
            return 2
    return 1 if report.rejects else 0
