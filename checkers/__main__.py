"""python -m checkers: run the claims registry and report a verdict for every claim of the post.

`python -m checkers audit ...` audits samples of a real model instead (see checkers.audit.cli).
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import time
from pathlib import Path

from checkers.claims import CLAIMS, Claim, Result, by_id, passed, run_claims
from checkers.report import (
    TABLE_WIDTH,
    gauntlet_line,
    mismatches,
    plural,
    render_table,
    summary_line,
    write_json,
    write_report,
    write_smt_dir,
)
from checkers.report.outputs import output_dir_problem, output_file_problem
from checkers.verdict import Level


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m checkers",
        description="Machine-check every claim of 'Theoretical Limitations of Autoregressive Models'. "
        "Exit status 0 only when every verdict is the expected one; 2 on a usage error or an output path "
        "that cannot be written (checked before any claim runs). "
        "Use 'python -m checkers audit --help' to audit a model's samples.",
    )
    p.add_argument("--level", choices=[lv.value for lv in Level], default=Level.STANDARD.value,
                   help="scope of the checks (default: standard)")
    p.add_argument("--only", nargs="+", metavar="ID",
                   help=f"run only these claim ids ({CLAIMS[0].id} … {CLAIMS[-1].id}; --list shows them)")
    p.add_argument("--list", action="store_true", help="list the claims and exit")
    p.add_argument("--json", type=Path, metavar="PATH", help="also write the verdicts as JSON")
    p.add_argument("--markdown", type=Path, metavar="PATH", help="also write a Markdown report")
    p.add_argument("--html", type=Path, metavar="PATH",
                   help="also write the report as one self-contained HTML file (plots embedded)")
    p.add_argument("--plots", type=Path, metavar="DIR", help="directory for the report's PNG plots")
    p.add_argument("--smt-dir", type=Path, metavar="DIR",
                   help="write the SMT-LIB2 text of every proof obligation there, as <claim>-<sha256>.smt2 "
                        "(the JSON and the report give each text's SHA-256), to re-run z3 or cvc5 on it")
    p.add_argument("--jobs", type=int, default=min(2, os.cpu_count() or 1), metavar="N",
                   help="claims run in N worker processes (default: 2, or 1 on a 1-core machine)")
    p.add_argument("--wide", action="store_true",
                   help="print the table's full text (default: cut long texts with … to fit the terminal)")
    p.add_argument("--quiet", action="store_true", help="no live progress on stderr")
    return p


def output_problems(json_path: Path | None, markdown: Path | None, plots: Path | None,
                    smt_dir: Path | None = None, html: Path | None = None) -> list[str]:
    """One line per output path that cannot be written, naming the option, the path and why."""
    problems = []
    for option, path, why in (
        ("--json", json_path, output_file_problem(json_path) if json_path is not None else None),
        ("--markdown", markdown, output_file_problem(markdown) if markdown is not None else None),
        ("--html", html, output_file_problem(html) if html is not None else None),
        ("--plots", plots, output_dir_problem(plots) if plots is not None else None),
        ("--smt-dir", smt_dir, output_dir_problem(smt_dir) if smt_dir is not None else None),
    ):
        if why is not None:
            problems.append(f"cannot write {option} {path}: {why}")
    files = [(o, p) for o, p in (("--json", json_path), ("--markdown", markdown), ("--html", html)) if p is not None]
    for i, (first, a) in enumerate(files):
        for second, b in files[i + 1:]:
            if a.resolve() == b.resolve():
                problems.append(f"{first} and {second} name the same file {a}")
    return problems


def table_width(wide: bool) -> int | None:
    """None (full text) with --wide; the terminal's width when stdout is one; else the default width."""
    if wide:
        return None
    if sys.stdout.isatty():
        return shutil.get_terminal_size((TABLE_WIDTH, 24)).columns
    return TABLE_WIDTH


def main(argv: list[str] | None = None) -> int:
    """Run the registry (or the audit subcommand); return the exit status."""
    args_in = sys.argv[1:] if argv is None else argv
    if args_in[:1] == ["audit"]:
        from checkers.audit.cli import main as audit_main

        return int(audit_main(args_in[1:]))
    if args_in[:1] == ["audit-model"]:
        from checkers.audit.model import main as audit_model_main

        return int(audit_model_main(args_in[1:]))
    parser = _parser()
    args = parser.parse_args(args_in)
    if args.plots is not None and args.markdown is None and args.html is None:
        parser.error("--plots needs --markdown PATH or --html PATH (the plots belong to the report)")
    try:
        claims = by_id(args.only) if args.only else CLAIMS
    except KeyError as e:
        parser.error(str(e.args[0]))
    if args.list:
        for c in claims:
            print(f"{c.id:<3}  {c.section:<48}  expected {c.expected.value:<13}  {c.quote}")
        return 0
    if args.jobs < 1:
        parser.error(f"--jobs must be at least 1, got {args.jobs}")
    problems = output_problems(args.json, args.markdown, args.plots, args.smt_dir, args.html)
    if problems:  # before any claim runs: a bad path must not cost the run
        for line in problems:
            print(f"{parser.prog}: error: {line}", file=sys.stderr)
        return 2
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
            # one write of the whole line: workers announce their claims on the same stderr
            sys.stderr.write(f"{head}{result.verdict.outcome.value} in {result.verdict.seconds:.1f} s{mark}\n")
    results.sort(key=lambda r: order[r.claim.id])  # workers finish in any order; report in registry order
    print(render_table(results, table_width(args.wide)))
    print()
    print(summary_line(results) + f"; wall {time.perf_counter() - started:.1f} s")
    if args.json is not None:
        try:
            write_json(results, level, args.json)
        except OSError as e:  # the path was checked at the start; the disk can still fill up
            print(f"{parser.prog}: error: cannot write --json {args.json}: {e}", file=sys.stderr)
            return 2
        print(f"JSON written to {args.json}")
    if args.smt_dir is not None:
        try:
            count = write_smt_dir(results, args.smt_dir)
        except OSError as e:
            print(f"{parser.prog}: error: cannot write --smt-dir {args.smt_dir}: {e}", file=sys.stderr)
            return 2
        print(f"{plural(count, 'SMT-LIB2 text')} written to {args.smt_dir}")
    gauntlet_refuted = True
    if args.markdown is not None or args.html is not None:
        from checkers.gauntlet import run_gauntlet

        gauntlet = run_gauntlet()  # the report counts the perturbed claims, each of which must be caught
        # a perturbed claim that is not caught (REFUTED, or UNKNOWN for a broken proof) fails the run
        gauntlet_refuted = all(t.caught for t in gauntlet)
        print(gauntlet_line(gauntlet))
        report = args.markdown if args.markdown is not None else args.html
        try:
            pngs = write_report(results, level, markdown=args.markdown, html_path=args.html, plots_dir=args.plots,
                                gauntlet=gauntlet)
        except OSError as e:
            print(f"{parser.prog}: error: cannot write the report {report}: {e}", file=sys.stderr)
            return 2
        if args.markdown is not None:
            print(f"Markdown report written to {args.markdown}"
                  + (f" with {plural(len(pngs), 'plot')}" if pngs else ""))
        if args.html is not None:
            print(f"HTML report written to {args.html} (self-contained: plots embedded)")
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
