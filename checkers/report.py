"""The report: the terminal table and the JSON document here; the Markdown/HTML review (checkers.review) and the
plots (checkers.plots) re-exported."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from checkers.claims import Result
from checkers.outputs import write_text_atomic
from checkers.plots import PLOTS, PlotSpec, draw
from checkers.review import VERDICT_GUIDE, write_html, write_markdown, write_report
from checkers.verdict import Level, Outcome, Verdict

__all__ = [
    "SCHEMA", "PLOTS", "TABLE_WIDTH", "VERDICT_GUIDE", "Gauntlet", "PlotSpec", "comparable_json", "differences",
    "draw", "gauntlet_line", "plural", "render_table", "strip_timings", "summary_line", "to_json", "write_html",
    "write_json", "write_markdown", "write_report", "write_smt_dir",
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
        for k in sorted(set(a) | set(b), key=lambda k: (str(k), type(k).__name__)):
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
