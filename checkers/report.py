"""The one report renderer: the terminal table, the JSON document and the Markdown report with plots."""

from __future__ import annotations

import json
import re
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from checkers.claims import Result
from checkers.outputs import write_atomic_with, write_text_atomic
from checkers.verdict import Level, Outcome, Verdict

__all__ = [
    "SCHEMA", "PLOTS", "TABLE_WIDTH", "Gauntlet", "PlotSpec", "comparable_json", "differences", "gauntlet_line",
    "plural", "render_table",
    "strip_timings", "summary_line", "to_json", "write_json", "write_markdown", "write_smt_dir",
]

SCHEMA = "autoregressive-limits/verdicts/1"


def _cell(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


TABLE_WIDTH = 144
"""The table's default width in characters (the three text columns 44, 34 and 34 wide)."""

_FIXED = 3 + 22 + 7 + 5 * 2  # id, verdict, time and the five gaps between the six columns
_SHARES = (44, 34, 34)  # claim, method, scope: their shares of what is left


def _text_widths(results: Sequence[Result], width: int | None) -> tuple[int, int, int]:
    """Widths of the claim, method and scope columns: each column's longest text when width is None
    (nothing cut), else the room left in `width` characters shared 44:34:34 (at least 8 each)."""
    if width is None:
        return (
            max([len("claim"), *(len(r.claim.quote) for r in results)]),
            max([len("method"), *(len(r.verdict.method) for r in results)]),
            max([len("scope"), *(len(r.verdict.scope) for r in results)]),
        )
    room = max(width - _FIXED, 3 * 8)
    claim = max(8, room * _SHARES[0] // sum(_SHARES))
    method = max(8, room * _SHARES[1] // sum(_SHARES))
    return claim, method, max(8, room - claim - method)


def render_table(results: Sequence[Result], width: int | None = TABLE_WIDTH) -> str:
    """The table of claims and verdicts: id, claim, method, scope, verdict, time.

    `width` is the table's width in characters: longer texts are cut with "…". `width=None` is the
    wide table: every text in full, each column as wide as its longest text.
    """
    wc, wm, ws = _text_widths(results, width)
    head = f"{'id':<3}  {'claim':<{wc}}  {'method':<{wm}}  {'scope':<{ws}}  {'verdict':<22}  {'time':>7}"
    lines = [head, "-" * len(head)]
    for r in results:
        mark = "" if r.matches else " ✗"
        lines.append(
            f"{r.claim.id:<3}  {_cell(r.claim.quote, wc):<{wc}}  {_cell(r.verdict.method, wm):<{wm}}  "
            f"{_cell(r.verdict.scope, ws):<{ws}}  {(r.verdict.label + mark):<22}  {r.verdict.seconds:>6.1f}s"
        )
    return "\n".join(lines)


def plural(n: int, noun: str, nouns: str | None = None) -> str:
    """'1 claim', '2 claims', '0 claims' (nouns: the plural when it is not noun + 's')."""
    return f"{n} {noun if n == 1 else (nouns or noun + 's')}"


def summary_line(results: Sequence[Result]) -> str:
    """Counts of each verdict (as labelled: "HOLDS given X1" apart from HOLDS) and of mismatches with the expected ones."""
    counts: dict[str, int] = {}
    for r in results:
        counts[r.verdict.label] = counts.get(r.verdict.label, 0) + 1
    parts = ", ".join(f"{n} {k}" for k, n in sorted(counts.items()))
    bad = [r.claim.id for r in results if not r.matches]
    total = sum(r.verdict.seconds for r in results)
    tail = "all as expected" if not bad else f"{len(bad)} not as expected: {', '.join(bad)}"
    return f"{plural(len(results), 'claim')}: {parts}; {tail} ({total:.1f} s of checks)"


def mismatches(results: Sequence[Result]) -> str:
    """The claims whose verdict is not the expected one, with the evidence that explains it."""
    out = []
    for r in results:
        if r.matches:
            continue
        out.append(f"{r.claim.id}: expected {r.claim.expected.value}, got {r.verdict.outcome.value}")
        out.extend(f"    step {s.id}: expected {s.expected.value}, got {s.outcome.value}: {s.words}"
                   for s in r.verdict.steps if not s.matches)
        out.extend(f"    {line}" for line in r.verdict.evidence[-6:])
        if r.verdict.counterexample:
            out.append(f"    counterexample: {r.verdict.counterexample}")
    return "\n".join(out)


def to_json(results: Sequence[Result], level: Level) -> dict[str, object]:
    """The machine-readable document (schema SCHEMA, documented in the README)."""
    return {
        "schema": SCHEMA,
        "level": level.value,
        "passed": all(r.matches for r in results),
        "claims": [
            {
                "id": r.claim.id,
                "section": r.claim.section,
                "claim": r.claim.quote,
                "method": r.verdict.method,
                "scope": r.verdict.scope,
                "verdict": r.verdict.outcome.value,
                "label": r.verdict.label,
                "expected": r.claim.expected.value,
                "matches": r.matches,
                "seconds": round(r.verdict.seconds, 3),
                "evidence": list(r.verdict.evidence),
                "counterexample": r.verdict.counterexample,
                "uses": list(r.claim.uses),
                "rests_on": list(r.verdict.rests_on),
                "statements": [st.to_json() for st in r.verdict.statements],
                # the SMT-LIB2 text itself is long: the JSON keeps its SHA-256, --smt-dir writes the text
                "obligations": [{k: v for k, v in o.items() if k != "smtlib"} for o in r.verdict.obligations],
                "steps": [st.to_json() for st in r.verdict.steps],
                "data": r.verdict.data,
            }
            for r in results
        ],
    }


# a decimal or scientific number of seconds or milliseconds: "0.123 s", "3.9e-06s", "12.5 ms"
TIME_IN_TEXT = re.compile(r"(?<![\w.])\d+(?:\.\d+(?:e[-+]?\d+)?|e[-+]?\d+) ?(?:s|ms|seconds)\b")
TIME_UNITS = frozenset({"seconds", "ms"})


def is_timing_key(key: str) -> bool:
    """A data column that holds a wall time: "seconds", "*_seconds", "*_s", or a "ms" unit word."""
    words = key.split("_")
    return key == "seconds" or words[-1] in ("s", "seconds") or bool(TIME_UNITS & set(words))


def strip_timings(doc: object, *, in_data: bool = False) -> object:
    """The JSON document with every timing removed (keys) or masked as <time> (inside text)."""
    if isinstance(doc, dict):
        out = {}
        for k, v in doc.items():
            if k == "seconds" or (in_data and is_timing_key(k)):
                continue
            out[k] = strip_timings(v, in_data=in_data or k == "data")
        return out
    if isinstance(doc, list):
        return [strip_timings(v, in_data=in_data) for v in doc]
    if isinstance(doc, str):
        return TIME_IN_TEXT.sub("<time>", doc)
    return doc


def comparable_json(results: Sequence[Result], level: Level) -> object:
    """to_json(...) as written to disk (Fractions as text), with its timings stripped: equal across runs."""
    return strip_timings(json.loads(json.dumps(to_json(results, level), ensure_ascii=False, default=str)))


def differences(a: object, b: object, where: str = "") -> list[str]:
    """Paths at which two stripped JSON documents differ, each with both values (cut to 80 characters)."""
    if isinstance(a, dict) and isinstance(b, dict):
        out = []
        for k in sorted(set(a) | set(b), key=str):
            out += differences(a.get(k), b.get(k), f"{where}.{k}")
        return out
    if isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        return [d for i, (x, y) in enumerate(zip(a, b)) for d in differences(x, y, f"{where}[{i}]")]
    return [] if a == b else [f"{where}: {str(a)[:80]!r} != {str(b)[:80]!r}"]


def write_smt_dir(results: Sequence[Result], directory: Path) -> int:
    """Write the SMT-LIB2 text of every obligation as `<claim>-<sha256>.smt2`; the number of files written.

    Each file is the exact text z3 read (cvc5 read the same block between push and pop), so
    anyone can re-run a solver on it and compare its SHA-256 with the report's.
    """
    directory.mkdir(parents=True, exist_ok=True)
    written = 0
    for r in results:
        for o in r.verdict.obligations:
            text, hashes = o.get("smtlib"), o.get("smtlib_sha256")
            if not isinstance(text, str) or not text or not isinstance(hashes, dict) or not hashes:
                continue
            digest = next(iter(hashes.values()))
            target = directory / f"{r.claim.id}-{digest}.smt2"
            if not target.exists():
                write_text_atomic(target, text)
                written += 1
    return written


def write_json(results: Sequence[Result], level: Level, path: Path) -> None:
    """Write to_json(...) to path."""
    write_text_atomic(path, json.dumps(to_json(results, level), indent=2, ensure_ascii=False, default=str) + "\n")


@dataclass(frozen=True)
class PlotSpec:
    """A plot drawn from one claim's data table: rows of dicts, x and y fields, one line per group."""

    claim: str
    table: str
    x: str
    y: str | tuple[str, ...]  # several columns: one line each
    group: str | None
    title: str
    xlog: bool = False
    ylog: bool = False
    filename: str = ""
    marked: str | None = None  # a boolean field: rows where it is true are drawn as marked points
    reference: str | None = None  # "sqrt": draw the bound y = √x


PLOTS: tuple[PlotSpec, ...] = (
    PlotSpec("F3", "F3_cost", "n",
             ("multiplications_per_product_token", "primality_tests_per_prime", "trial_divisions_median"), None,
             "Work per token: [p,q,pq] copies a product (1 multiplication); [pq,p,q] must factor at '[s,'",
             ylog=True, filename="f3_cost.png"),
    PlotSpec("F3", "F3_cost", "n", ("trial_seconds", "sympy_seconds", "flint_seconds"), None,
             "Seconds to factor s at '[s,' by back-end (medians; caveat: flint stays fast)",
             ylog=True, filename="f3_seconds.png"),
    PlotSpec("A6", "tvd_bound", "eps", "tvd_lower_bound", None,
             "Proven lower bound on TVD: 1 − √ε", xlog=True, filename="a6_tvd_bound.png"),
    PlotSpec("A5", "plot", "mean_p", "opt", None,
             "Greedy optimum (max overlap) vs mean p: never above √(mean p); tight family marked",
             filename="a5_greedy.png", marked="tight", reference="sqrt"),
    PlotSpec("R5", "R5_tvd", "n", "tvd", "m",
             "TVD of the deterministic prime generator vs n (one line per exact tail length m)",
             ylog=True, filename="r5_tvd.png"),
    PlotSpec("G1", "g1_cost", "universe", ("ar_objects_per_token", "committed_objects"), None,
             "Twenty Questions with SHA-256 bit questions: objects examined (AR per token vs committed)",
             xlog=True, ylog=True, filename="g1_cost.png"),
)


def _as_number(v: object) -> float | None:
    """A plotted coordinate (floats are fine for drawing, never for verdicts)."""
    if isinstance(v, bool):
        return None
    if isinstance(v, (int, float)):
        return float(v)
    if isinstance(v, str):
        try:
            from fractions import Fraction

            return float(Fraction(v))
        except (ValueError, ZeroDivisionError):
            return None
    return None


def draw(spec: PlotSpec, rows: Sequence[dict[str, object]], path: Path) -> bool:
    """Draw one plot to a PNG file; False when the table has no usable points."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    groups: dict[str, list[tuple[float, float, bool]]] = {}
    columns = spec.y if isinstance(spec.y, tuple) else (spec.y,)
    for row in rows:
        for column in columns:
            x, y = _as_number(row.get(spec.x)), _as_number(row.get(column))
            if x is None or y is None or (spec.xlog and x <= 0) or (spec.ylog and y <= 0):
                continue
            key = f"{spec.group} = {row.get(spec.group, '')}" if spec.group else column
            groups.setdefault(key, []).append((x, y, bool(spec.marked and row.get(spec.marked))))
    if not groups:
        return False
    fig, ax = plt.subplots(figsize=(7, 4.2))
    for key, pts in sorted(groups.items()):
        pts.sort()
        style = "o" if spec.marked else "o-"
        ax.plot([p[0] for p in pts], [p[1] for p in pts], style, label=key, markersize=4)
        marked = [p for p in pts if p[2]]
        if marked:
            ax.plot([p[0] for p in marked], [p[1] for p in marked], "r*", markersize=10, label=f"{spec.marked}")
    if spec.reference == "sqrt":
        hi = max(p[0] for pts in groups.values() for p in pts)
        xs = [hi * i / 200 for i in range(201)]
        ax.plot(xs, [x**0.5 for x in xs], "k--", linewidth=0.8, label="y = √x (the proven bound)")
    ax.set_xscale("log" if spec.xlog else "linear")
    ax.set_yscale("log" if spec.ylog else "linear")
    ax.set_xlabel(spec.x)
    ax.set_ylabel(spec.y if isinstance(spec.y, str) else "per token / per s")
    ax.set_title(spec.title, fontsize=10)
    ax.legend(fontsize=8)
    fig.tight_layout()
    write_atomic_with(path, lambda tmp: fig.savefig(tmp, dpi=110))
    plt.close(fig)
    return True


def _rows(results: Sequence[Result], spec: PlotSpec) -> list[dict[str, object]]:
    for r in results:
        if r.claim.id == spec.claim:
            table = r.verdict.data.get(spec.table)
            if isinstance(table, list):
                return [row for row in table if isinstance(row, dict)]
    return []


def _claim_graph_lines(r: Result) -> list[str]:
    """A claim's place in the argument: what it uses and rests on, its formal statements, its sketch steps."""
    v = r.verdict
    out = [f"- uses: {', '.join(r.claim.uses) or 'nothing'}"]
    if v.rests_on:
        out.append(f"- rests on: {'; '.join(v.rests_on)}")
    out += [f"- statement {st.line()}" for st in v.statements]
    for step in v.steps:
        mark = "" if step.matches else f" (expected {step.expected.value})"
        out.append(f"- step {step.id} [{step.outcome.value}]{mark}: {step.words}")
        if step.counterexample:
            out.append(f"    - counterexample: `{step.counterexample}`")
        if step.corrected:
            out.append(f"    - corrected: {step.corrected}")
    for o in v.obligations:
        name, stated = o.get("name", ""), o.get("statement", "")
        out.append(f"- obligation {name}: {stated}" if stated else f"- obligation {name}")
    return out


Gauntlet = Sequence[Any]  # gauntlet.Trial (iterates as claim, description, verdict)
"""(claim id, the perturbation, its verdict) for each perturbed claim of checkers.gauntlet."""


def _caught(entry: tuple[str, str, Verdict] | Any) -> bool:
    """A gauntlet entry came back as it must: REFUTED, or the outcome its Trial expects."""
    caught = getattr(entry, "caught", None)
    return bool(caught) if caught is not None else entry[2].outcome is Outcome.REFUTED


def gauntlet_line(gauntlet: Gauntlet) -> str:
    """'N perturbed claims, all caught (R refuted, U unknown: a broken proof)' — or what was not caught."""
    counts: dict[str, int] = {}
    for _, _, v in gauntlet:
        counts[v.outcome.value] = counts.get(v.outcome.value, 0) + 1
    passed = sum(v.outcome in (Outcome.PROVED, Outcome.HOLDS) for _, _, v in gauntlet)
    shown = ", ".join(f"{n} {k}" for k, n in sorted(counts.items()))
    if all(_caught(e) for e in gauntlet):
        if counts == {Outcome.REFUTED.value: len(gauntlet)}:
            return f"{plural(len(gauntlet), 'perturbed claim')}, all refuted"
        return f"{plural(len(gauntlet), 'perturbed claim')}, all caught ({shown}, each as required)"
    missed = sum(not _caught(e) for e in gauntlet)
    tail = "none PROVED or HOLDS" if not passed else f"{passed} PROVED or HOLDS: a checker accepts a false claim"
    return f"{plural(len(gauntlet), 'perturbed claim')}: {shown}; {missed} not as required; {tail}"


def write_markdown(
    results: Sequence[Result], level: Level, path: Path, plots_dir: Path | None, gauntlet: Gauntlet | None = None
) -> list[Path]:
    """Write the Markdown report (and its PNG plots into plots_dir); returns the plots written."""
    drawn: list[tuple[PlotSpec, Path]] = []
    if plots_dir is not None:
        plots_dir.mkdir(parents=True, exist_ok=True)
        for spec in PLOTS:
            target = plots_dir / spec.filename
            if draw(spec, _rows(results, spec), target):
                drawn.append((spec, target))
    lines = [
        "# autoregressive-limits: the claims of the post, checked",
        "",
        f"Level: **{level.value}**. {summary_line(results)}",
        "",
        "| id | claim (the post's words) | method | scope | verdict | time |",
        "|----|--------------------------|--------|-------|---------|------|",
    ]
    for r in results:
        mark = "" if r.matches else f" (expected {r.claim.expected.value})"
        cells = [r.claim.id, r.claim.quote, r.verdict.method, r.verdict.scope,
                 f"**{r.verdict.label}**{mark}", f"{r.verdict.seconds:.1f} s"]
        lines.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
    lines += ["", "## Evidence", ""]
    for r in results:
        lines.append(f"### {r.claim.id} — {r.claim.section}: {r.verdict.label}")
        lines.append("")
        lines.append(f"> {r.claim.quote}")
        lines.append("")
        lines.extend(_claim_graph_lines(r))
        lines.extend(f"- {line}" for line in r.verdict.evidence)
        if r.verdict.counterexample:
            lines.append(f"- counterexample: `{r.verdict.counterexample}`")
        for spec, png in drawn:
            if spec.claim == r.claim.id:
                rel = png.relative_to(path.parent) if png.is_relative_to(path.parent) else png
                lines += ["", f"![{spec.title}]({rel})"]
        lines.append("")
    if gauntlet is not None:
        lines += ["## The gauntlet: perturbed claims that must not pass", "", gauntlet_line(gauntlet) + ".", "",
                  "| claim | perturbation (a false statement) | verdict |", "|---|---|---|"]
        lines += [f"| {cid} | {what.replace('|', '/')} | {v.outcome.value} |" for cid, what, v in gauntlet]
        lines.append("")
    bad = mismatches(results)
    if bad:
        lines += ["## Not as expected", "", "```", bad, "```", ""]
    lines += ["## How to read a verdict", "", textwrap.dedent(VERDICT_GUIDE).strip(), ""]
    write_text_atomic(path, "\n".join(lines))
    return [p for _, p in drawn]


VERDICT_GUIDE = """
- **PROVED**: a solver proved the negation of the statement unsat (for nonlinear arithmetic z3 and
  cvc5 both), or an exact symbolic identity holds (sympy expand/cancel reaching 0). It holds for all
  values in the stated scope, which may be infinite (all N, all lengths).
- **HOLDS**: checked exhaustively, in exact arithmetic, over the finite scope stated beside it, and
  nowhere else.
- **STATISTICAL**: a statistical test rejected the contrary at the level α stated in the scope and
  statement (wrong with probability at most α; it assumes independent samples). Not a proof.
- **UNESTABLISHED**: the checks ran and found no counterexample, but what they show does not reach
  the post's words (e.g. a cost that grows only linearly where the post says "hard").
- **given X1** (or H-…): the verdict takes that cited assumption as given; "uses" lists the claims and
  assumptions the argument for the claim uses, and each statement says how it relates to the post's words.
- **REFUTED**: a counterexample was found and re-checked with Fractions; the evidence says where the
  post's statement fails and, where there is one, the corrected statement.
- **UNKNOWN**: a solver gave up (resource limit, timeout) or the two solvers disagreed, a link or a
  premise failed, or the verdict rests on something its claim does not list among its uses. Never a pass.
- **NOT CHECKED**: no checker for the claim has landed. Never a pass.
- **ASSUMED**: a cited assumption of the post (hardness of factoring, P ≠ #P); not checked.
- **ERROR**: the checker crashed; the evidence holds the exception. Never a pass.
"""
