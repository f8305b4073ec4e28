"""python -m checkers: run the claims registry and report a verdict for every claim of the post.

`python -m checkers audit ...` audits samples of a real model instead (see checkers.audit_cli).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

from checkers.claims import CLAIMS, Claim, Result, by_id, passed, run_claims
from checkers.report import gauntlet_line, mismatches, render_table, summary_line, write_json, write_markdown
from checkers.verdict import Level, Outcome


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m checkers",
        description="Machine-check every claim of 'Theoretical Limitations of Autoregressive Models'. "
        "Exit status 0 only when every verdict is the expected one. "
        "Use 'python -m checkers audit --help' to audit a model's samples.",
    )
    p.add_argument("--level", choices=[lv.value for lv in Level], default=Level.STANDARD.value,
                   help="scope of the checks (default: standard)")
    p.add_argument("--only", nargs="+", metavar="ID", help="run only these claim ids (e.g. R1 A5)")
    p.add_argument("--list", action="store_true", help="list the claims and exit")
    p.add_argument("--json", type=Path, metavar="PATH", help="also write the verdicts as JSON")
    p.add_argument("--markdown", type=Path, metavar="PATH", help="also write a Markdown report")
    p.add_argument("--plots", type=Path, metavar="DIR", help="directory for the report's PNG plots")
    p.add_argument("--jobs", type=int, default=min(2, os.cpu_count() or 1), metavar="N",
                   help="claims run in N worker processes (default: 2, or 1 on a 1-core machine)")
    p.add_argument("--quiet", action="store_true", help="no live progress on stderr")
    return p


def main(argv: list[str] | None = None) -> int:
    """Run the registry (or the audit subcommand); return the exit status."""
    args_in = sys.argv[1:] if argv is None else argv
    if args_in[:1] == ["audit"]:
        from checkers.audit_cli import main as audit_main

        return int(audit_main(args_in[1:]))
    if args_in[:1] == ["audit-model"]:
        from checkers.audit_model import main as audit_model_main

        return int(audit_model_main(args_in[1:]))
    parser = _parser()
    args = parser.parse_args(args_in)
    if args.plots is not None and args.markdown is None:
        parser.error("--plots needs --markdown PATH (the plots belong to the report)")
    try:
        claims = by_id(args.only) if args.only else CLAIMS
    except KeyError as e:
        parser.error(str(e.args[0]))
    if args.list:
        for c in claims:
            print(f"{c.id:<3}  {c.section:<48}  expected {c.expected.value:<8}  {c.quote}")
        return 0
    if args.jobs < 1:
        parser.error(f"--jobs must be at least 1, got {args.jobs}")
    level = Level(args.level)
    results: list[Result] = []
    started = time.perf_counter()
    order = {c.id: i for i, c in enumerate(claims)}

    def on_start(claim: Claim) -> None:
        if not args.quiet and args.jobs == 1:
            print(f"[{len(results) + 1:>2}/{len(claims)}] {claim.id} … ", end="", file=sys.stderr, flush=True)

    for result in run_claims(claims, level, None if args.quiet else on_start, jobs=args.jobs):
        results.append(result)
        if not args.quiet:
            mark = "" if result.matches else f"  (expected {result.claim.expected.value})"
            head = "" if args.jobs == 1 else f"[{len(results):>2}/{len(claims)}] {result.claim.id} … "
            print(f"{head}{result.verdict.outcome.value} in {result.verdict.seconds:.1f} s{mark}", file=sys.stderr)
    results.sort(key=lambda r: order[r.claim.id])  # workers finish in any order; report in registry order
    print(render_table(results))
    print()
    print(summary_line(results) + f"; wall {time.perf_counter() - started:.1f} s")
    if args.json is not None:
        write_json(results, level, args.json)
        print(f"JSON written to {args.json}")
    gauntlet_refuted = True
    if args.markdown is not None:
        from checkers.gauntlet import run_gauntlet

        gauntlet = run_gauntlet()  # the report counts the perturbed claims, all of which must fail
        # a perturbed claim that is not REFUTED means a checker cannot say no: the run fails
        gauntlet_refuted = all(v.outcome is Outcome.REFUTED for _, _, v in gauntlet)
        print(gauntlet_line(gauntlet))
        pngs = write_markdown(results, level, args.markdown, args.plots, gauntlet)
        print(f"Markdown report written to {args.markdown}" + (f" with {len(pngs)} plots" if pngs else ""))
    bad = mismatches(results)
    if bad:
        print("\nNot as expected:\n" + bad)
    return 0 if passed(results) and gauntlet_refuted else 1


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BrokenPipeError:  # output piped into `head` and the like: not an error of ours
        sys.stderr.close()
        sys.exit(1)
