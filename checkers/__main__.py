"""python -m checkers: run the claims registry and the gauntlet, and report a verdict for every claim of the post.

`python -m checkers gauntlet` runs only the gauntlet (every claim's perturbed twins);
`python -m checkers audit ...` audits samples of a real model instead (see checkers.audit.cli).
"""

from __future__ import annotations

import argparse
import concurrent.futures
import contextlib
import os
import shutil
import sys
import time
from collections.abc import Iterator, Sequence
from pathlib import Path

from checkers.claims import CLAIMS, Claim, Result, by_id, passed
from checkers.gauntlet import GAUNTLET_LEVEL, claim_and_twin_jobs, run_gauntlet
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
from checkers.report.json_report import write_gauntlet_json
from checkers.report.outputs import (
    output_dir_problem,
    output_file_problem,
    write_text_atomic,
)
from checkers.report.verdicts_page import verdicts_page
from checkers.runner import claim_jobs, run_jobs
from checkers.smt import stop_cvc5_children
from checkers.verdict import Level, Trial


def _add_execution(p: argparse.ArgumentParser) -> None:
    p.add_argument("--jobs", type=int, default=min(2, os.cpu_count() or 1), metavar="N",
                   help="claims and twins run in N worker processes (default: 2, or 1 on a 1-core machine)")
    p.add_argument("--executor", default="local", metavar="local|dask:ADDRESS",
                   help="where the claims and twins run: 'local' (default) is a pool of --jobs processes; "
                        "'dask:ADDRESS' sends them to the Dask scheduler at ADDRESS (the dask extra), as many at a "
                        "time as it has worker threads")


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m checkers",
        description="Machine-check every claim of 'Theoretical Limitations of Autoregressive Models', then run the "
        "gauntlet (every claim's perturbed twins, at the quick level, beside the claims). "
        "Exit status 0 only when every verdict is the expected one and every twin is caught; 2 on a usage error or "
        "an output path that cannot be written (checked before any claim runs). "
        "Use 'python -m checkers gauntlet --help' to run only the gauntlet, "
        "'python -m checkers audit --help' to audit a model's samples.",
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
    _add_execution(p)
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


@contextlib.contextmanager
def executor_for(spec: str, jobs: int) -> Iterator[tuple[concurrent.futures.Executor | None, int]]:
    """(the executor, how many claims it runs at a time) for an --executor value; None: the runner's local pool.

    'dask:ADDRESS' connects a `distributed.Client` to the scheduler at ADDRESS and uses its concurrent.futures
    Executor, with as many claims at a time as the cluster has worker threads; the client closes after the run.
    Raises ValueError (with the reason) for a bad value or a scheduler that cannot be reached.
    """
    if spec == "local":
        yield None, jobs
        return
    kind, _, address = spec.partition(":")
    if kind != "dask" or not address:
        raise ValueError(f"--executor must be 'local' or 'dask:ADDRESS', got {spec!r}")
    try:
        from distributed import Client
    except ImportError:
        raise ValueError("--executor dask:ADDRESS needs the dask extra: pip install -e '.[dask]'") from None
    try:
        client = Client(address, timeout=30)
    except Exception as e:  # noqa: BLE001 - any failure to connect is the user's to fix, reported as such
        raise ValueError(f"cannot reach the Dask scheduler at {address}: {type(e).__name__}: {e}") from None
    try:
        threads = sum(client.nthreads().values())
        yield client.get_executor(pure=False), max(1, threads)
    finally:
        # the workers outlive the run: their kept cvc5 children must not (best effort: a worker may be gone)
        with contextlib.suppress(Exception):
            client.run(stop_cvc5_children)
        client.close()


class _Progress:
    """What stderr shows as a claim starts and as it ends (nothing when quiet).

    In one process: "[ k/N] ID … " then the outcome on the same line. With workers, "ID started" as a claim is
    handed out (never more than the workers at a time) and "[ k/N] ID … OUTCOME in S s" as it ends.
    """

    def __init__(self, quiet: bool, parallel: bool, total: int) -> None:
        self.quiet, self.parallel, self.total, self.ended = quiet, parallel, total, 0

    def start(self, claim: Claim) -> None:
        if self.quiet:
            return
        if self.parallel:  # one write of the whole line
            sys.stderr.write(f"      {claim.id} started\n")
            sys.stderr.flush()
        else:
            print(f"[{self.ended + 1:>2}/{self.total}] {claim.id} … ", end="", file=sys.stderr, flush=True)

    def end(self, result: Result) -> None:
        self.ended += 1
        if self.quiet:
            return
        mark = "" if result.matches else f"  (expected {result.claim.expected.value})"
        head = f"[{self.ended:>2}/{self.total}] {result.claim.id} … " if self.parallel else ""
        sys.stderr.write(f"{head}{result.verdict.outcome.value} in {result.verdict.seconds:.1f} s{mark}\n")


def main(argv: list[str] | None = None) -> int:
    """Run the registry and the gauntlet (or a subcommand); return the exit status."""
    args_in = sys.argv[1:] if argv is None else argv
    if args_in[:1] == ["audit"]:
        from checkers.audit.cli import main as audit_main

        return int(audit_main(args_in[1:]))
    if args_in[:1] == ["audit-model"]:
        from checkers.audit.model import main as audit_model_main

        return int(audit_model_main(args_in[1:]))
    if args_in[:1] == ["gauntlet"]:
        return gauntlet_main(args_in[1:])
    if args_in[:1] == ["verdicts"]:
        return verdicts_main(args_in[1:])
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
    started = time.perf_counter()
    try:
        with executor_for(args.executor, args.jobs) as (executor, workers):
            results, gauntlet = _run(claims, level, executor, workers, args.quiet)
    except ValueError as e:
        print(f"{parser.prog}: error: {e}", file=sys.stderr)
        return 2
    print(render_table(results, table_width(args.wide)))
    print()
    print(summary_line(results) + f"; wall {time.perf_counter() - started:.1f} s")
    print(gauntlet_line(gauntlet, GAUNTLET_LEVEL, beside=True))
    if args.json is not None:
        try:
            write_json(results, level, args.json, gauntlet=gauntlet, gauntlet_level=GAUNTLET_LEVEL)
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
    if args.markdown is not None or args.html is not None:
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
    missed = [t for t in gauntlet if not t.caught]
    if missed:
        print("\nPerturbed twins not caught:\n" + "\n".join(
            f"{t.claim}: {t.description}: expected {t.expected.value}, got {t.verdict.outcome.value}" for t in missed))
    return 0 if passed(results) and not missed else 1


def _run(
    claims: Sequence[Claim], level: Level, executor: concurrent.futures.Executor | None, workers: int, quiet: bool,
) -> tuple[list[Result], list[Trial]]:
    """The claims at the level and, each in the same job as its claim, their twins at GAUNTLET_LEVEL.

    A twin recomputes much of its claim's check, so the two share one worker's caches (see
    `run_claim_and_twins`); progress is shown for the claims. Both come back in registry order.
    """
    jobs = claim_and_twin_jobs(claims, level, GAUNTLET_LEVEL)
    parallel = executor is not None or (workers > 1 and len(jobs) > 1)
    progress = _Progress(quiet, parallel, len(claims))
    results: list[Result] = []
    announce = None if quiet else progress.start
    for _, outcome in run_jobs(jobs, executor=executor, workers=workers, on_start=announce):
        assert isinstance(outcome, Result)
        results.append(outcome)
        progress.end(outcome)
    order = {c.id: i for i, c in enumerate(claims)}
    results.sort(key=lambda r: order[r.claim.id])  # workers finish in any order; report in registry order
    return results, [t for r in results for t in r.trials]


def _gauntlet_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m checkers gauntlet",
        description="Run only the gauntlet: every claim's perturbed twins (false variants of the claim, declared "
        "beside its check), each of which must be caught: REFUTED, or UNKNOWN where it breaks a proof. "
        "Exit status 0 when every twin is caught, 1 otherwise, 2 on a usage error or an unwritable --json path.",
    )
    p.add_argument("--level", choices=[lv.value for lv in Level], default=GAUNTLET_LEVEL.value,
                   help=f"scope of the twins' checks (default: {GAUNTLET_LEVEL.value}, as in the main job)")
    p.add_argument("--only", nargs="+", metavar="ID",
                   help=f"run only the twins of these claim ids ({CLAIMS[0].id} … {CLAIMS[-1].id})")
    p.add_argument("--json", type=Path, metavar="PATH", help="also write every twin's verdict as JSON")
    _add_execution(p)
    return p


def gauntlet_main(argv: list[str]) -> int:
    """`python -m checkers gauntlet`: run the twins, print one row per twin and the gauntlet's line."""
    parser = _gauntlet_parser()
    args = parser.parse_args(argv)
    try:
        claims = by_id(args.only) if args.only else CLAIMS
    except KeyError as e:
        parser.error(str(e.args[0]))
    if args.jobs < 1:
        parser.error(f"--jobs must be at least 1, got {args.jobs}")
    if args.json is not None and (why := output_file_problem(args.json)) is not None:
        print(f"{parser.prog}: error: cannot write --json {args.json}: {why}", file=sys.stderr)
        return 2
    level = Level(args.level)
    started = time.perf_counter()
    try:
        with executor_for(args.executor, args.jobs) as (executor, workers):
            trials = run_gauntlet(claims, level, executor, jobs=workers)
    except ValueError as e:
        print(f"{parser.prog}: error: {e}", file=sys.stderr)
        return 2
    for t in trials:
        mark = "" if t.caught else f"  (expected {t.expected.value})"
        print(f"{t.claim:<3}  {t.verdict.outcome.value:<8}{mark}  {t.description}")
    print()
    print(gauntlet_line(trials, level) + f"; wall {time.perf_counter() - started:.1f} s")
    if args.json is not None:
        try:
            write_gauntlet_json(trials, level, args.json)
        except OSError as e:
            print(f"{parser.prog}: error: cannot write --json {args.json}: {e}", file=sys.stderr)
            return 2
        print(f"JSON written to {args.json}")
    return 0 if all(t.caught for t in trials) else 1


VERDICTS_PAGE = Path("docs/verdicts.md")


def _verdicts_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m checkers verdicts",
        description="Run every claim at the standard level and write the verdict table (docs/verdicts.md). "
        "Exit status 0 when every verdict is the expected one (the page is then written), 1 otherwise "
        "(nothing is written), 2 on a usage error or an unwritable path.",
    )
    p.add_argument("--out", type=Path, default=VERDICTS_PAGE, metavar="PATH",
                   help=f"where to write the page (default: {VERDICTS_PAGE})")
    _add_execution(p)
    return p


def verdicts_main(argv: list[str]) -> int:
    """`python -m checkers verdicts`: the standard-level verdict table as docs/verdicts.md, only when all are as expected."""
    parser = _verdicts_parser()
    args = parser.parse_args(argv)
    if args.jobs < 1:
        parser.error(f"--jobs must be at least 1, got {args.jobs}")
    if (why := output_file_problem(args.out)) is not None:
        print(f"{parser.prog}: error: cannot write {args.out}: {why}", file=sys.stderr)
        return 2
    try:
        with executor_for(args.executor, args.jobs) as (executor, workers):
            results = [outcome for _, outcome in run_jobs(claim_jobs(CLAIMS, Level.STANDARD), executor=executor,
                                                          workers=workers, on_start=None)
                       if isinstance(outcome, Result)]
    except ValueError as e:
        print(f"{parser.prog}: error: {e}", file=sys.stderr)
        return 2
    order = {c.id: i for i, c in enumerate(CLAIMS)}
    results.sort(key=lambda r: order[r.claim.id])
    print(summary_line(results))
    if not passed(results):  # a page of unexpected verdicts would mislead whoever reads the docs
        print("\nNot as expected (the page is not written):\n" + mismatches(results))
        return 1
    write_text_atomic(args.out, verdicts_page(results))
    print(f"Verdict table written to {args.out}")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BrokenPipeError:  # output piped into `head` and the like: not an error of ours
        sys.stderr.close()
        sys.exit(1)
