"""The terminal report: the verdict table, the summary line, the mismatches and the gauntlet's line."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from checkers.claims import Result
from checkers.verdict import Level, Outcome, Verdict

__all__ = ["TABLE_WIDTH", "Gauntlet", "gauntlet_line", "mismatches", "plural", "render_table", "summary_line"]


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
    """Counts of each verdict (as labelled: HOLDS given an assumption apart from HOLDS) and of mismatches with the
    expected ones."""
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


Gauntlet = Sequence[Any]  # verdict.Trial (iterates as claim, description, verdict)
"""(claim id, the perturbed twin, its verdict) for each twin the gauntlet ran (checkers.gauntlet)."""


def _caught(entry: tuple[str, str, Verdict] | Any) -> bool:
    """A gauntlet entry came back as it must: REFUTED, or the outcome its Trial expects."""
    caught = getattr(entry, "caught", None)
    return bool(caught) if caught is not None else entry[2].outcome is Outcome.REFUTED


def gauntlet_line(gauntlet: Gauntlet, level: Level | None = None, *, beside: bool = False) -> str:
    """'N perturbed twins, all caught (R REFUTED, U UNKNOWN, each as required)', or what was not caught.

    `level` (when given) is said after the count; `beside` says the twins ran beside the claims, in their workers.
    """
    if not gauntlet:
        return "no perturbed twins to run"
    counts: dict[str, int] = {}
    for _, _, v in gauntlet:
        counts[v.outcome.value] = counts.get(v.outcome.value, 0) + 1
    passed = sum(v.outcome in (Outcome.PROVED, Outcome.HOLDS) for _, _, v in gauntlet)
    shown = ", ".join(f"{n} {k}" for k, n in sorted(counts.items()))
    where = [f"at the {level.value} level"] if level is not None else []
    where += ["beside the claims"] if beside else []
    head = plural(len(gauntlet), "perturbed twin") + (f" ({', '.join(where)})" if where else "")
    if all(_caught(e) for e in gauntlet):
        if counts == {Outcome.REFUTED.value: len(gauntlet)}:
            return f"{head}, all refuted"
        return f"{head}, all caught ({shown}, each as required)"
    missed = sum(not _caught(e) for e in gauntlet)
    tail = "none PROVED or HOLDS" if not passed else f"{passed} PROVED or HOLDS: a checker accepts a false claim"
    return f"{head}: {shown}; {missed} not as required; {tail}"
