"""The reader's report: a review of the post as Markdown and as one self-contained HTML file.

Both come from one document model (`Doc`): each block is rendered to Markdown and to HTML at once,
so the two files say the same thing. Order: a summary (what the suite confirms, what the post
needs corrected, what rests on assumptions), how to read a verdict, the argument as a graph
coloured by verdict (Mermaid and a PNG), then claim by claim in the post's order.
"""

from __future__ import annotations

import base64
import html
import re
import tempfile
import textwrap
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from checkers.assumptions import FACTORING_IS_HARD, HYPOTHESES, PRIME_PROPORTIONS_ARE_HARD
from checkers.claims import CLAIMS, POST_ORDER, Result
from checkers.report.outputs import write_text_atomic
from checkers.report.plots import (
    Drawn,
    draw_claims,
    draw_graph,
    graph_edges,
    graph_nodes,
)
from checkers.verdict import Level, Outcome, Relation

__all__ = [
    "POST_ORDER", "TITLE", "VERDICT_GUIDE", "Doc", "mermaid_graph", "render", "write_html", "write_markdown",
    "write_report",
]

VERDICT_GUIDE = f"""
- **PROVED**: a solver proved the negation of the statement unsat (for nonlinear arithmetic z3 and
  cvc5 both), or an exact symbolic identity holds (sympy expand/cancel reaching 0). It holds for all
  values in the stated scope, which may be infinite (all N, all lengths).
- **HOLDS**: checked exhaustively, in exact arithmetic, over the finite scope stated beside it, and
  nowhere else.
- **STATISTICAL**: a statistical test rejected the contrary at the level α stated in the scope and
  statement (wrong with probability at most α; it assumes independent samples). Not a proof.
- **UNESTABLISHED**: the checks ran and found no counterexample, but what they show does not reach
  the post's words (e.g. a cost that grows only linearly where the post says "hard").
- **given {FACTORING_IS_HARD}** (or H-…): the verdict takes that cited assumption as given; "uses" lists the claims and
  assumptions the argument for the claim uses, and each statement says how it relates to the post's words.
- **REFUTED**: a counterexample was found and re-checked with Fractions; the evidence says where the
  post's statement fails and, where there is one, the corrected statement.
- **UNKNOWN**: a solver gave up (resource limit, timeout) or the two solvers disagreed, a link or a
  premise failed, or the verdict rests on something its claim does not list among its uses. Never a pass.
- **ASSUMED**: a cited assumption of the post (hardness of factoring, P ≠ #P); not checked.
- **ERROR**: the checker crashed; the evidence holds the exception. Never a pass.
"""

CONFIRMED = frozenset({Outcome.PROVED, Outcome.HOLDS, Outcome.STATISTICAL})
UNDECIDED = frozenset({Outcome.UNKNOWN, Outcome.ERROR})

# ---- inline text: Markdown inline syntax (**bold**, `code`, [text](#anchor), backslash escapes) -------------

_MD_SPECIAL = re.compile(r"\\(?=[!-/:-@\[-`{-~])|[*`]|<(?=[A-Za-z/!?])|(?<!\w)_|\](?=[(\[:])")
_INLINE = re.compile(r"`` (?P<fenced>.+?) ``(?!`)|`(?P<code>[^`]*)`|\\(?P<escaped>[!-/:-@\[-`{-~])|\*\*"
                     r"|\[(?P<text>[^\]\\]+)\]\((?P<href>#[\w-]+)\)")  # `code`'s two fences first


def md(text: str) -> str:
    """Plain text made safe to sit in Markdown prose (one line: newlines become spaces)."""
    return _MD_SPECIAL.sub(lambda m: "\\" + m.group(0), " ".join(text.split()))


def code(text: str) -> str:
    """Plain text as a Markdown code span (one line)."""
    flat = " ".join(text.split())
    fence = "``" if "`" in flat else "`"
    pad = " " if fence == "``" else ""
    return f"{fence}{pad}{flat}{pad}{fence}"


def inline_html(text: str) -> str:
    """Our Markdown inline syntax as HTML: code spans, escapes, bold, in-page links; everything else escaped."""
    out: list[str] = []
    bold = False
    pos = 0
    for m in _INLINE.finditer(text):
        out.append(html.escape(text[pos:m.start()]))
        pos = m.end()
        if m["fenced"] is not None:
            out.append(f"<code>{html.escape(m['fenced'])}</code>")
        elif m["code"] is not None:
            out.append(f"<code>{html.escape(m['code'])}</code>")
        elif m["escaped"] is not None:
            out.append(html.escape(m["escaped"]))
        elif m["text"] is not None:
            out.append(f'<a href="{html.escape(m["href"])}">{html.escape(m["text"])}</a>')
        else:
            out.append("</b>" if bold else "<b>")
            bold = not bold
    out.append(html.escape(text[pos:]))
    if bold:
        out.append("</b>")
    return "".join(out)


def anchor(claim_id: str) -> str:
    """The in-page anchor of a claim's section (the same in the Markdown and the HTML)."""
    return "claim-" + re.sub(r"[^a-z0-9]+", "-", claim_id.lower()).strip("-")


def link(claim_id: str) -> str:
    """A link to a claim's section."""
    return f"[{claim_id}](#{anchor(claim_id)})"


# ---- the document model --------------------------------------------------------------------------------------

Item = str | tuple[str, Sequence[str]]
"""A list item: inline Markdown, or inline Markdown with sub-items."""


class Doc:
    """Blocks rendered to Markdown and HTML side by side."""

    def __init__(self, base: Path) -> None:
        self.base = base  # the Markdown file's folder: image links are relative to it
        self.md: list[str] = []
        self.html: list[str] = []

    def heading(self, level: int, text: str, anchor_id: str | None = None) -> None:
        """A heading; with an anchor, an HTML id (and a Markdown anchor) to link to."""
        self.md += ["#" * level + " " + (f'<a id="{anchor_id}"></a>' if anchor_id else "") + text, ""]
        ident = f' id="{anchor_id}"' if anchor_id else ""
        self.html.append(f"<h{level}{ident}>{inline_html(text)}</h{level}>")

    def para(self, text: str) -> None:
        """A paragraph of inline Markdown."""
        self.md += [text, ""]
        self.html.append(f"<p>{inline_html(text)}</p>")

    def bullets(self, items: Sequence[Item]) -> None:
        """A list; an item may carry one level of sub-items."""
        if not items:
            return
        lines, parts = [], ["<ul>"]
        for item in items:
            head, subs = (item, ()) if isinstance(item, str) else item
            lines.append(f"- {head}")
            lines += [f"    - {s}" for s in subs]
            inner = "".join(f"<li>{inline_html(s)}</li>" for s in subs)
            parts.append(f"<li>{inline_html(head)}" + (f"<ul>{inner}</ul>" if inner else "") + "</li>")
        parts.append("</ul>")
        self.md += [*lines, ""]
        self.html.append("".join(parts))

    def code(self, text: str, lang: str = "text") -> None:
        """A fenced code block (formulas, solver output, counterexamples)."""
        fence = "````" if "```" in text else "```"
        self.md += [f"{fence}{lang}", text.rstrip("\n"), fence, ""]
        self.html.append(f'<pre class="{lang}"><code>{html.escape(text.rstrip())}</code></pre>')

    def quote(self, text: str) -> None:
        """The post's words."""
        self.md += [f"> {text}", ""]
        self.html.append(f"<blockquote>{inline_html(text)}</blockquote>")

    def table(self, head: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
        """A table of inline Markdown cells ('|' escaped)."""
        def cell(c: str) -> str:
            return c.replace("|", "\\|")
        self.md += ["| " + " | ".join(head) + " |", "|" + "|".join("---" for _ in head) + "|"]
        self.md += ["| " + " | ".join(cell(c) for c in row) + " |" for row in rows]
        self.md.append("")
        hs = "".join(f"<th>{inline_html(h)}</th>" for h in head)
        body = "".join("<tr>" + "".join(f"<td>{inline_html(c)}</td>" for c in row) + "</tr>" for row in rows)
        self.html.append(f"<table><thead><tr>{hs}</tr></thead><tbody>{body}</tbody></table>")

    def image(self, alt: str, png: Path) -> None:
        """A PNG: linked relative to the Markdown file, embedded as a data: URI in the HTML."""
        rel = png.relative_to(self.base) if png.is_relative_to(self.base) else png
        self.md += [f"![{md(alt)}]({rel.as_posix()})", ""]
        data = base64.b64encode(png.read_bytes()).decode("ascii")
        self.html.append(f'<figure><img alt="{html.escape(alt)}" src="data:image/png;base64,{data}">'
                         f"<figcaption>{html.escape(alt)}</figcaption></figure>")

    def mermaid(self, source: str, png: Path | None) -> None:
        """A Mermaid graph (rendered by the usual code hosts); the HTML shows the PNG and keeps the source."""
        self.md += ["```mermaid", source.rstrip("\n"), "```", ""]
        if png is None:
            self.html.append(f'<pre class="mermaid"><code>{html.escape(source)}</code></pre>')
        else:
            self.html.append("<details><summary>the graph's Mermaid source</summary>"
                             f'<pre class="mermaid"><code>{html.escape(source)}</code></pre></details>')

    def markdown(self) -> str:
        """The Markdown text."""
        return "\n".join(self.md).rstrip("\n") + "\n"

    def html_page(self, title: str) -> str:
        """One HTML file: inline style, images as data: URIs, no external reference."""
        body = "\n".join(self.html)
        return (f'<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>{html.escape(title)}'
                f"</title>\n<style>{_CSS}</style>\n</head>\n<body>\n{body}\n</body>\n</html>\n")


_CSS = (
    "body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;max-width:60em;margin:2em auto;padding:0 1em;"
    "line-height:1.45;color:#222}code,pre{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:.9em}"
    "pre{background:#f5f5f5;padding:.6em;overflow-x:auto;white-space:pre-wrap}"
    "blockquote{border-left:4px solid #ccc;margin:0;padding:.2em 1em;color:#444;font-style:italic}"
    "table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #ccc;padding:.25em .5em;vertical-align:top}"
    "img{max-width:100%}figure{margin:1em 0}figcaption{font-size:.85em;color:#555}h3{margin-top:2em}"
)

# ---- the argument graph --------------------------------------------------------------------------------------

_MERMAID_FILL = {
    "PROVED": "#2e7d32", "HOLDS": "#66bb6a", "STATISTICAL": "#aed581", "UNESTABLISHED": "#ffb74d",
    "REFUTED": "#e53935", "UNKNOWN": "#9e9e9e", "ERROR": "#6d4c41", "ASSUMED": "#e3f2fd",
}


def _mermaid_id(node: str) -> str:
    return re.sub(r"[^A-Za-z0-9]", "_", node)


def mermaid_graph(results: Sequence[Result]) -> str:
    """The argument as a Mermaid graph: every claim (and assumption, and sketch step) a node coloured by verdict; an
    arrow from what a claim uses to the claim."""
    lines = ["graph LR"]
    for node in graph_nodes(results):
        label = f"{node.id}<br/>{node.label}"
        mid = _mermaid_id(node.id)
        shape = f'{mid}{{{{"{label}"}}}}' if node.kind == "assumption" else (
            f'{mid}(["{label}"])' if node.kind == "step" else f'{mid}["{label}"]')
        lines.append(f"  {shape}:::{node.outcome.name}")
    for src, dst, kind in graph_edges(results):
        arrow = "-.->" if kind == "step" else "-->"
        lines.append(f"  {_mermaid_id(src)} {arrow} {_mermaid_id(dst)}")
    for name, fill in _MERMAID_FILL.items():
        dark = name in ("PROVED", "REFUTED", "ERROR", "UNKNOWN")
        extra = ",stroke-dasharray:5 3" if name == "ASSUMED" else ""
        lines.append(f"  classDef {name} fill:{fill},stroke:#333,color:{'#fff' if dark else '#000'}{extra}")
    return "\n".join(lines) + "\n"


# ---- the report ----------------------------------------------------------------------------------------------


def _ordered(results: Sequence[Result]) -> list[Result]:
    rank = {cid: i for i, cid in enumerate(POST_ORDER)}
    return sorted(results, key=lambda r: rank.get(r.claim.id, len(rank)))  # stable: unknown ids keep their order


def _given(r: Result) -> list[str]:
    return [x for x in r.verdict.rests_on_ids if x.startswith(("X", "H"))]


def _assumption_text(aid: str, results: Sequence[Result]) -> str:
    for c in (*(r.claim for r in results), *CLAIMS):
        if c.id == aid:
            return c.quote
    return HYPOTHESES.get(aid, "(not in the registry)").removesuffix(" (cited, not checked)")


def _corrections(r: Result) -> dict[str, list[Item]]:
    """What the post needs corrected in this claim, by kind: refuted (claims and sketch steps, with their
    counterexample and corrected form), holds only in a corrected form, unestablished."""
    v = r.verdict
    out: dict[str, list[Item]] = {"refuted": [], "corrected": [], "unestablished": []}
    if v.outcome is Outcome.REFUTED and v.counterexample:
        fixes = [f"corrected: {md(s.text)} (**{s.outcome.value}**)" for s in v.statements
                 if s.relation in (Relation.CORRECTED, Relation.EVIDENCE) and s.outcome in CONFIRMED]
        out["refuted"].append((f"{link(r.claim.id)} **REFUTED**: “{md(r.claim.quote)}”",
                               [f"counterexample: {code(v.counterexample)}", *fixes]))
    for step in v.steps:
        if step.outcome is Outcome.REFUTED:
            subs = [f"counterexample: {code(step.counterexample)}"] if step.counterexample else []
            if step.corrected:
                subs.append(f"corrected: {md(step.corrected)}")
            out["refuted"].append((f"{link(r.claim.id)}, step {step.id} of the post's sketch, **REFUTED**: "
                                   f"{md(step.words)}", subs))
    if v.outcome is not Outcome.REFUTED and not v.steps:
        for s in v.statements:
            if s.relation is Relation.CORRECTED and s.outcome in CONFIRMED:
                out["corrected"].append(f"{link(r.claim.id)} “{md(r.claim.quote)}”: {md(s.text)} (**{s.outcome.value}**)")
    if v.outcome is Outcome.UNESTABLISHED:
        short = [s for s in v.statements if s.outcome is Outcome.UNESTABLISHED]
        out["unestablished"].append((f"{link(r.claim.id)} **UNESTABLISHED**: “{md(r.claim.quote)}”",
                                     [f"not reached: {md(s.text)}" for s in short]))
    return out


_CORRECTION_HEADS = {
    "refuted": "**Refuted**: the claim or the step fails as written (counterexample re-checked in exact arithmetic); "
               "the corrected form is what the suite checks instead.",
    "corrected": "**True only in a corrected form**: the suite checks the corrected statement.",
    "unestablished": "**Unestablished**: no counterexample, but the checks do not reach the post's words.",
}


def _summary(doc: Doc, results: Sequence[Result]) -> None:
    from checkers.report import mismatches, summary_line

    doc.heading(2, "Summary", "summary")
    doc.para(md(summary_line(results)) + ".")
    if mismatches(results):
        bad = ", ".join(link(r.claim.id) for r in results if not r.matches)
        doc.para(f"**Not as expected**: {bad} (details at the end, under \"Not as expected\").")
    doc.heading(3, "What the post needs corrected", "corrections")
    groups = [_corrections(r) for r in results]
    fixes = {kind: [item for g in groups for item in g[kind]] for kind in _CORRECTION_HEADS}
    for kind, head in _CORRECTION_HEADS.items():
        if fixes[kind]:
            doc.para(head)
            doc.bullets(fixes[kind])
    if not any(fixes.values()):
        doc.para("Nothing: no claim or sketch step was refuted and none is unestablished.")
    undecided = [r for r in results if r.verdict.outcome in UNDECIDED]
    if undecided:
        doc.heading(3, "What the suite could not decide", "undecided")
        doc.bullets([f"{link(r.claim.id)} **{r.verdict.label}**: {md(r.claim.quote)}" for r in undecided])
    doc.heading(3, "What the suite confirms", "confirms")
    sure = [r for r in results if r.verdict.outcome in CONFIRMED and not _given(r)]
    doc.bullets([f"{link(r.claim.id)} **{r.verdict.label}** — {md(r.claim.quote)}" for r in sure]
                or ["nothing without an assumption"])
    doc.heading(3, "What rests on assumptions", "assumptions")
    given = [r for r in results if _given(r)]
    doc.para("These verdicts hold only if the named assumption holds; the suite cites the assumption and does "
             "not check it.")
    doc.bullets([(f"{link(r.claim.id)} **{r.verdict.label}** — {md(r.claim.quote)}",
                  [f"{a}: {md(_assumption_text(a, results))}" for a in _given(r)]) for r in given]
                or ["no verdict rests on an assumption"])
    leaned = sorted({u for r in results for u in r.claim.uses if u.startswith(("X", "H"))})
    users = {a: [r.claim.id for r in results if a in r.claim.uses] for a in leaned}
    if users:
        doc.para("The post's argument uses these assumptions: " + "; ".join(
            f"{a} ({md(_assumption_text(a, results))}) by {', '.join(link(c) for c in users[a])}" for a in leaned)
            + ".")


def _graph(doc: Doc, results: Sequence[Result], plots_dir: Path | None) -> None:
    doc.heading(2, "The argument as a graph", "graph")
    doc.para("Each claim is a node coloured by its verdict; an arrow goes from a claim or assumption to a claim "
             f"whose argument uses it. Assumptions ({FACTORING_IS_HARD}, {PRIME_PROPORTIONS_ARE_HARD}, H-…) are drawn "
             "as dashed hexagons; the steps of the post's own proof sketch hang off their claim as rounded nodes "
             "with dotted arrows.")
    png = None
    if plots_dir is not None:
        png = plots_dir / "argument_graph.png"
        draw_graph(results, png)
    doc.mermaid(mermaid_graph(results), png)
    if png is not None:
        doc.image("The argument as a graph, coloured by verdict", png)


def _evidence(doc: Doc, lines: Sequence[str]) -> None:
    """Evidence lines: prose as a list; formulas, indented solver output and multi-line text as code blocks."""
    bullets: list[str] = []
    block: list[str] = []

    def flush_bullets() -> None:
        doc.bullets(bullets)
        bullets.clear()

    def flush_block() -> None:
        if block:
            doc.code("\n".join(block))
            block.clear()

    for line in lines:
        formal = "\n" in line or line.startswith(" ") or "⊢" in line or len(line) > 400
        if formal:
            flush_bullets()
            block.append(line.rstrip())
        else:
            flush_block()
            bullets.append(md(line))
    flush_bullets()
    flush_block()


def _claim(doc: Doc, r: Result, results: Sequence[Result], drawn: Sequence[Drawn]) -> None:
    v, c = r.verdict, r.claim
    doc.heading(3, f"{c.id} — {md(c.section)}", anchor(c.id))
    doc.quote(md(c.quote))
    mark = "" if r.matches else f" (expected {c.expected.value})"
    doc.para(f"**Verdict: {v.label}**{mark}.")
    facts: list[Item] = [] if v.outcome is Outcome.ASSUMED else [
        f"uses: {', '.join(link(u) if u[0] != 'H' else u for u in c.uses) or 'nothing'}"]
    if v.rests_on:
        facts.append(f"rests on: {md('; '.join(v.rests_on))}")
    facts += [f"scope: {md(v.scope)}", f"method: {md(v.method)}"]
    doc.bullets(facts)
    if v.outcome is Outcome.ASSUMED:
        users = [x.claim.id for x in results if c.id in x.claim.uses]
        resting = [x for x in results if c.id in _given(x)]
        doc.para(f"Assumed: {md(c.quote)}. The suite cites it and does not check it.")
        doc.bullets([
            f"used by: {', '.join(link(u) for u in users) or 'no claim in this run'}",
            "verdicts that rest on it: "
            + (", ".join(f"{link(x.claim.id)} ({x.verdict.label})" for x in resting) or "none in this run"),
        ])
    if v.statements and v.outcome is not Outcome.ASSUMED:
        doc.para("Formal statements checked (outcome; how each relates to the post's words):")
        doc.bullets([f"**{s.outcome.value}** {md(s.text)} — *{s.relation.value}*" for s in v.statements])
    if v.steps:
        doc.para("The post's own sketch, step by step:")
        items: list[Item] = []
        for step in v.steps:
            mark = "" if step.matches else f" (expected {step.expected.value})"
            subs = [f"counterexample: {code(step.counterexample)}"] if step.counterexample else []
            if step.corrected:
                subs.append(f"corrected: {md(step.corrected)}")
            items.append((f"{step.id} **{step.outcome.value}**{mark}: {md(step.words)}", subs))
        doc.bullets(items)
    if v.evidence:
        doc.para("Evidence:")
        _evidence(doc, v.evidence)
    if v.counterexample:
        doc.para("Counterexample (re-checked in exact arithmetic):")
        doc.code(v.counterexample)
    fixes = [s for s in v.statements if s.relation is Relation.CORRECTED]
    if v.outcome in (Outcome.REFUTED, Outcome.UNESTABLISHED) or fixes or any(s.corrected for s in v.steps):
        doc.para("**Where the post needs correcting:** " + _correction_sentence(r))
    if v.obligations:
        doc.para(f"Proof obligations ({len(v.obligations)}; re-run any of them from `--smt-dir`, "
                 "named by the SHA-256 of its SMT-LIB2 text):")
        doc.table(["obligation", "outcome", "solvers", "SMT-LIB2 SHA-256"], [_obligation_row(o) for o in v.obligations])
        statements = [f"{o.get('name', '')}:\n    {o.get('statement', '')}" for o in v.obligations if o.get("statement")]
        if statements:
            doc.code("\n".join(statements))
    for d in drawn:
        if d.claim == c.id:
            doc.image(d.plot.title, d.path)


def _correction_sentence(r: Result) -> str:
    v = r.verdict
    parts: list[str] = []
    if v.outcome is Outcome.REFUTED:
        parts.append("the statement as the post makes it fails (counterexample above)")
    if v.outcome is Outcome.UNESTABLISHED:
        parts.append("the checks do not reach the post's words: "
                     + "; ".join(md(s.text) for s in v.statements if s.outcome is Outcome.UNESTABLISHED))
    parts += [f"corrected form {md(s.text)} ({s.outcome.value})" for s in v.statements
              if s.relation is Relation.CORRECTED]
    parts += [f"step {s.id} as written fails; {md(s.corrected)}" for s in v.steps if s.corrected]
    return "; ".join(parts) + "."


def _obligation_row(o: Any) -> list[str]:
    hashes = o.get("smtlib_sha256") or {}
    solvers = o.get("solvers") or {}
    digests = sorted(set(hashes.values())) if isinstance(hashes, dict) else []
    ran = ", ".join(f"{k}: {v}" for k, v in solvers.items()) if isinstance(solvers, dict) else ""
    return [md(str(o.get("name", ""))), f"**{o.get('outcome', '')}**", ran or "not run",
            " ".join(code(d) for d in digests) or "none (not sent to a solver)"]


def render(
    results: Sequence[Result], level: Level, base: Path, plots_dir: Path | None, gauntlet: Any = None
) -> tuple[Doc, list[Path]]:
    """The report as a Doc (and the PNGs drawn into plots_dir)."""
    from checkers.report import gauntlet_line, mismatches

    ordered = _ordered(results)
    drawn: list[Drawn] = []
    if plots_dir is not None:
        plots_dir.mkdir(parents=True, exist_ok=True)
        drawn = draw_claims(ordered, plots_dir)
    doc = Doc(base)
    doc.heading(1, "Theoretical Limitations of Autoregressive Models: the post's claims, machine-checked")
    doc.para(f"A review of the post by `autoregressive-limits` at level **{level.value}**: every claim of the post "
             "is restated formally, checked (exhaustively, by solver proof, or statistically), and given a verdict "
             "with its evidence. The corrections come first.")
    _summary(doc, ordered)
    doc.heading(2, "How to read a verdict", "how-to-read")
    doc.bullets([" ".join(item.split()) for item in textwrap.dedent(VERDICT_GUIDE).strip().removeprefix("- ")
                 .split("\n- ")])
    graph_png = plots_dir / "argument_graph.png" if plots_dir is not None else None
    _graph(doc, ordered, plots_dir)
    doc.heading(2, "Claim by claim, in the post's order", "claims")
    for r in ordered:
        _claim(doc, r, ordered, drawn)
    if gauntlet is not None:
        doc.heading(2, "The gauntlet: perturbed claims that must not pass", "gauntlet")
        doc.para(md(gauntlet_line(gauntlet)) + ".")
        doc.table(["claim", "perturbation (a false statement)", "verdict"],
                  [[cid, md(what), v.outcome.value] for cid, what, v in gauntlet])
    bad = mismatches(ordered)
    if bad:
        doc.heading(2, "Not as expected", "not-as-expected")
        doc.code(bad)
    pngs = [d.path for d in drawn] + ([graph_png] if graph_png is not None and graph_png.exists() else [])
    return doc, pngs


TITLE = "Theoretical Limitations of Autoregressive Models: the post's claims, machine-checked"


def _write_text(path: Path, text: str) -> None:
    write_text_atomic(path, text)  # a temporary file renamed over the path: never half a report


def write_report(
    results: Sequence[Result], level: Level, *, markdown: Path | None = None, html_path: Path | None = None,
    plots_dir: Path | None = None, gauntlet: Any = None,
) -> list[Path]:
    """Write the Markdown report and/or the self-contained HTML one; returns the PNGs written into plots_dir.

    The HTML always carries the plots (drawn into a temporary folder when no plots_dir is given).
    """
    pngs: list[Path] = []
    with tempfile.TemporaryDirectory(prefix="report-plots-") as tmp:
        if markdown is not None:
            doc, pngs = render(results, level, markdown.parent, plots_dir, gauntlet)
            _write_text(markdown, doc.markdown())
            if html_path is not None and plots_dir is not None:  # the same document, plots embedded
                _write_text(html_path, doc.html_page(TITLE))
                return pngs
        if html_path is not None:
            folder = plots_dir if plots_dir is not None else Path(tmp)
            doc, drawn = render(results, level, html_path.parent, folder, gauntlet)
            _write_text(html_path, doc.html_page(TITLE))
            if markdown is None:
                pngs = drawn if plots_dir is not None else []
    return pngs


def write_markdown(
    results: Sequence[Result], level: Level, path: Path, plots_dir: Path | None, gauntlet: Any = None
) -> list[Path]:
    """Write the Markdown report (and its PNG plots into plots_dir); returns the plots written."""
    return write_report(results, level, markdown=path, plots_dir=plots_dir, gauntlet=gauntlet)


def write_html(
    results: Sequence[Result], level: Level, path: Path, plots_dir: Path | None = None, gauntlet: Any = None
) -> list[Path]:
    """Write the same report as one self-contained HTML file (plots embedded as data: URIs)."""
    return write_report(results, level, html_path=path, plots_dir=plots_dir, gauntlet=gauntlet)
