"""The reports (checkers.report, review, plots): corrections first, the argument graph, the HTML file,
plots with labelled axes, the table's summary and mismatches, the JSON and the timings stripped from it.

The claims' data come from the quick-level snapshots (tests/data/snapshots/quick), so these tests
need no solver and see the tables the real checkers write.
"""

from __future__ import annotations

import json
import math
import re
import textwrap
from fractions import Fraction
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from checkers.claims import CLAIMS, Claim, Plot, Result
from checkers.report import (
    VERDICT_GUIDE,
    comparable_json,
    differences,
    draw,
    mismatches,
    strip_timings,
    summary_line,
    to_json,
    write_html,
    write_json,
    write_markdown,
    write_report,
    write_smt_dir,
)
from checkers.report.json_report import is_timing_key
from checkers.report.markdown import (
    POST_ORDER,
    Doc,
    code,
    inline_html,
    md,
    mermaid_graph,
)
from checkers.report.plots import axes_of, build, graph_figure, graph_nodes
from checkers.verdict import Level, Outcome, Relation, Statement, Step, Verdict

SNAPSHOTS = Path(__file__).resolve().parents[1] / "data" / "snapshots" / "quick"
RAW_COLUMNS = {"n", "m", "opt", "mean_p", "eps", "tvd", "universe", "b", "per token / per s"}
PLOTS = [(c.id, p) for c in CLAIMS for p in c.plots]
"""Every figure of the registry, with the id of the claim it belongs to."""


def _plot(cid: str) -> Plot:
    (plot,) = next(c for c in CLAIMS if c.id == cid).plots
    return plot


def _of(results: list[Result], cid: str) -> Result:
    return next(r for r in results if r.claim.id == cid)


def _verdict(doc: dict[str, Any]) -> Verdict:
    rel = {r.value: r for r in Relation}
    return Verdict(
        Outcome(doc["verdict"]), doc["scope"], doc["method"], tuple(doc["evidence"]), doc["counterexample"],
        data=doc["data"], rests_on=tuple(doc["rests_on"]), obligations=tuple(doc["obligations"]),
        statements=tuple(Statement(s["text"], rel[s["relation"]], Outcome(s["outcome"])) for s in doc["statements"]),
        steps=tuple(Step(s["id"], s["words"], Outcome(s["outcome"]), Outcome(s["expected"]), tuple(s["evidence"]),
                         s["counterexample"], s["corrected"]) for s in doc["steps"]),
    )


def _results() -> list[Result]:
    """Every claim with its quick-level verdict as pinned in the snapshots (assumptions as the runner makes them)."""
    out = []
    for claim in CLAIMS:
        path = SNAPSHOTS / f"{claim.id}.json"
        if path.exists():
            (doc,) = json.loads(path.read_text())["claims"]
            out.append(Result(claim, _verdict(doc)))
        else:
            out.append(Result(claim, Verdict(Outcome.ASSUMED, scope="cited", method=claim.method)))
    return out


OBLIGATION = {"name": "base", "statement": "x >= 0  ⊢  x + 1 > 0", "outcome": "PROVED",
              "smtlib_sha256": {"z3": "ab" * 32, "cvc5": "ab" * 32}, "solvers": {"z3": "unsat", "cvc5": "unsat"},
              "vacuity_witness": "x = 0", "reason": "", "smtlib": "(set-logic QF_LRA)\n(check-sat)\n"}


def _with_a_refuted_step(results: list[Result]) -> list[Result]:
    """A5 with the post's off-by-one step refuted (as the checker reports it); S4 with one obligation; F3 timed."""
    step = Step("A5.1", "sweetness = k/N for an integer k", Outcome.REFUTED, Outcome.REFUTED,
                counterexample="N=1, p=['1/2']", corrected="k/N ≤ opt < (k+1)/N")
    out = []
    for r in results:
        if r.claim.id == "A5":
            v = r.verdict
            r = Result(r.claim, Verdict(v.outcome, v.scope, v.method, v.evidence, data=v.data, steps=(step,)))
        if r.claim.id == "S4":
            v = r.verdict
            r = Result(r.claim, Verdict(v.outcome, v.scope, v.method, v.evidence, obligations=(OBLIGATION,)))
        if r.claim.id == "F3":  # the snapshots strip timings: put measured seconds back (None: not run)
            v = r.verdict
            table: Any = v.data["F3_cost"]
            rows = [{**row, "flint_seconds": 0.001 * row["n"], "trial_seconds": 0.01 if row["n"] <= 5 else None,
                     "sympy_seconds": 0.01 if row["n"] <= 8 else None} for row in table]
            r = Result(r.claim, Verdict(v.outcome, v.scope, v.method, v.evidence, data={"F3_cost": rows},
                                        statements=v.statements, rests_on=v.rests_on))
        out.append(r)
    return out


@pytest.fixture(scope="module")
def results() -> list[Result]:
    return _with_a_refuted_step(_results())


def _section(text: str, anchor: str) -> str:
    start = text.index(f'<a id="{anchor}"></a>')
    following = re.search(r"\n#{1,3} ", text[start:])
    return text[start: start + following.start()] if following else text[start:]


# ---- the Markdown report ------------------------------------------------------------------------------------


def test_the_first_section_is_the_summary_and_lists_the_corrections(results: list[Result], tmp_path: Path) -> None:
    write_markdown(results, Level.QUICK, tmp_path / "r.md", None)
    text = (tmp_path / "r.md").read_text()
    headings = re.findall(r"^(#{1,3}) (?:<a id=\"[^\"]+\"></a>)?(.*)$", text, flags=re.M)
    assert [h for _, h in headings[:3]] == ["Theoretical Limitations of Autoregressive Models: the post's claims, "
                                            "machine-checked", "Summary", "What the post needs corrected"]
    corrections = _section(text, "corrections")
    refuted = [r.claim.id for r in results if r.verdict.outcome is Outcome.REFUTED]
    unestablished = [r.claim.id for r in results if r.verdict.outcome is Outcome.UNESTABLISHED]
    assert refuted == ["R5"] and unestablished == ["G2", "G3", "G4"]
    for cid in [*refuted, *unestablished]:
        assert f"[{cid}](#claim-{cid.lower()})" in corrections
    assert "step A5.1 of the post's sketch, **REFUTED**" in corrections and "corrected: k/N ≤ opt" in corrections
    assert "counterexample: `N=1, p=['1/2']`" in corrections
    # then what rests on assumptions: every "given" verdict, with the assumption's words
    given = _section(text, "assumptions")
    for r in results:
        if " given " in r.verdict.label:
            assert f"**{r.verdict.label}**" in given
    assert "X1: factoring semiprimes is hard on average" in given
    # then how to read a verdict, the graph, and the claims
    order = [text.index(f'<a id="{a}"></a>') for a in ("summary", "how-to-read", "graph", "claims")]
    assert order == sorted(order)


def test_claims_come_in_the_posts_order_and_assumptions_are_not_empty(results: list[Result], tmp_path: Path) -> None:
    write_markdown(results, Level.QUICK, tmp_path / "r.md", None)
    text = (tmp_path / "r.md").read_text()
    positions = [text.index(f'<a id="claim-{cid.lower()}"></a>') for cid in POST_ORDER]
    assert positions == sorted(positions) and set(POST_ORDER) == {c.id for c in CLAIMS}
    x1 = _section(text, "claim-x1")
    assert "used by: [F3](#claim-f3), [A6](#claim-a6)" in x1
    resting = [r for r in results if "X1" in r.verdict.rests_on_ids]
    assert resting and "verdicts that rest on it: " + ", ".join(
        f"[{r.claim.id}](#claim-{r.claim.id.lower()}) ({r.verdict.label})" for r in resting) in x1
    assert "used by: [R5](#claim-r5)" in _section(text, "claim-x2")


def test_markdown_is_well_formed_and_never_shows_an_unrun_back_end(results: list[Result], tmp_path: Path) -> None:
    write_markdown(results, Level.QUICK, tmp_path / "r.md", None)
    text = (tmp_path / "r.md").read_text()
    assert text.count("```") % 2 == 0
    assert not re.search(r"-1 ?s\b", text)
    fenced = False
    for line in text.splitlines():
        if line.startswith("```"):
            fenced = not fenced
            continue
        if not fenced:  # outside code blocks no line is a continuation of a list item that broke it
            assert not line.startswith("  ") or line.startswith("    - "), line
            assert "⊢" not in line or line.startswith("- **") or "`" in line, line  # formulas sit in code
    # the SMT-LIB2 text is not in the report, its SHA-256 is
    s4 = _section(text, "claim-s4")
    assert f"| base | **PROVED** | z3: unsat, cvc5: unsat | `{'ab' * 32}` |" in s4 and "(set-logic" not in text
    assert "x >= 0  ⊢  x + 1 > 0" in s4


def test_the_mermaid_graph_names_every_claim_and_styles_assumptions(results: list[Result]) -> None:
    graph = mermaid_graph(results)
    assert graph.startswith("graph LR\n")
    for claim in CLAIMS:
        assert re.search(rf"^  {re.escape(claim.id)}[\[{{(]", graph, flags=re.M), claim.id
    assert re.search(r'^  X1\{\{"X1<br/>ASSUMED"\}\}:::ASSUMED$', graph, flags=re.M)
    assert re.search(r'^  H_SHA256\{\{"H-SHA256<br/>ASSUMED"\}\}:::ASSUMED$', graph, flags=re.M)
    assert '  A5_1(["A5.1<br/>REFUTED"]):::REFUTED' in graph and "  A5_1 -.-> A5" in graph
    for claim in CLAIMS:
        for used in claim.uses:
            assert f"  {used.replace('-', '_')} --> {claim.id}" in graph
    assert "classDef ASSUMED" in graph and "stroke-dasharray" in graph
    assert 'F3["F3<br/>HOLDS given X1"]:::HOLDS' in graph and 'R5["R5<br/>REFUTED"]:::REFUTED' in graph


def test_inline_markdown_is_escaped_and_converts_to_html() -> None:
    assert md("Σ* → Δ(Σ*) <time> p_i _x\n y") == "Σ\\* → Δ(Σ\\*) \\<time> p_i \\_x y"
    assert inline_html(md("a <b> & *c*")) == "a &lt;b&gt; &amp; *c*"
    assert inline_html("**bold** `x<y` [S1](#claim-s1)") == \
        '<b>bold</b> <code>x&lt;y</code> <a href="#claim-s1">S1</a>'


def test_a_code_span_holding_a_backtick_is_fenced_by_two() -> None:
    assert code("p =\n 1/2") == "`p = 1/2`"
    assert code("`x` = 1") == "`` `x` = 1 ``"
    # the HTML report reads such a span back whole, backticks included
    assert inline_html(code("`x` = 1") + " and `y`") == "<code>`x` = 1</code> and <code>y</code>"
    assert inline_html(code("a`") + "**b**") == "<code>a`</code><b>b</b>"


# ---- the HTML report ---------------------------------------------------------------------------------------


class _Refs(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.refs: list[str] = []
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.refs += [v or "" for k, v in attrs if k in ("src", "href", "data", "action", "srcset")]


def test_html_is_one_file_with_no_external_reference(results: list[Result], tmp_path: Path) -> None:
    pngs = write_html(results, Level.QUICK, tmp_path / "r.html")
    assert pngs == [] and [p.name for p in tmp_path.iterdir()] == ["r.html"]  # plots drawn elsewhere, embedded
    page = (tmp_path / "r.html").read_text()
    parser = _Refs()
    parser.feed(page)
    assert parser.refs and all(r.startswith(("data:image/png;base64,", "#")) for r in parser.refs)
    assert sum(r.startswith("data:") for r in parser.refs) == len(PLOTS) + 1  # every plot and the graph
    assert "link" not in parser.tags and "script" not in parser.tags and "http" not in page
    assert "What the post needs corrected" in page and 'id="claim-a5"' in page and "<table>" in page


def test_markdown_and_html_written_together_share_the_plots(results: list[Result], tmp_path: Path) -> None:
    pngs = write_report(results, Level.QUICK, markdown=tmp_path / "r.md", html_path=tmp_path / "r.html",
                        plots_dir=tmp_path / "plots")
    assert sorted(p.name for p in pngs) == sorted([*(p.filename for _, p in PLOTS), "argument_graph.png"])
    text = (tmp_path / "r.md").read_text()
    assert "![The argument as a graph, coloured by verdict](plots/argument_graph.png)" in text
    for cid, plot in PLOTS:
        assert f"](plots/{plot.filename})" in _section(text, f"claim-{cid.lower()}")


# ---- the plots -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("cid", "spec"), PLOTS, ids=[p.filename for _, p in PLOTS])
def test_every_plot_has_worded_labelled_axes_and_integer_ticks(cid: str, spec: Plot, results: list[Result]) -> None:
    import matplotlib.pyplot as plt

    fig = build(spec, _of(results, cid), results)
    assert fig is not None, f"{spec.filename}: no data in the snapshots"
    try:
        for ax in axes_of(fig):
            xlabel, ylabel = ax.get_xlabel(), ax.get_ylabel()
            shared = ax.get_shared_x_axes().get_siblings(ax)
            assert xlabel or len(shared) > 1, f"{spec.filename}: unlabelled x axis"
            assert ylabel or len(ax.get_shared_y_axes().get_siblings(ax)) > 1, f"{spec.filename}: unlabelled y axis"
            for label in (xlabel, ylabel):
                assert label not in RAW_COLUMNS and not re.fullmatch(r"\w+", label or "x y"), label
            if xlabel.startswith(("n,", "m,")):  # integer axes: integer ticks only
                ticks = [t for t in ax.get_xticks() if ax.get_xlim()[0] <= t <= ax.get_xlim()[1]]
                assert ticks and all(float(t).is_integer() for t in ticks), (spec.filename, ticks)
            assert ax.get_title() or ax.get_legend() is not None
        fig.canvas.draw()
    finally:
        plt.close(fig)


def test_the_f3_plot_keeps_counts_and_seconds_on_separate_axes_with_a_caveat(results: list[Result]) -> None:
    import matplotlib.pyplot as plt

    fig = build(_plot("F3"), _of(results, "F3"), results)
    assert fig is not None
    try:
        top, bottom = axes_of(fig)
        assert "(count)" in top.get_ylabel() and "seconds" in bottom.get_ylabel()
        assert bottom.get_xlabel() == "n, digits per prime factor"
        words = " ".join(" ".join(t.get_text() for t in fig.texts).split())
        assert "FLINT factors the same n = 20 numbers in about" in words and "X1" in words
        assert "trial division not run beyond n = 5" in words
        seconds = [y for ln in bottom.get_lines() for y in ln.get_ydata()]
        assert seconds and min(seconds) > 0  # no -1 sentinel drawn
    finally:
        plt.close(fig)


def test_the_a6_plot_shows_exact_instances_above_the_proven_bound(results: list[Result]) -> None:
    import matplotlib.pyplot as plt

    fig = build(_plot("A6"), _of(results, "A6"), results)
    assert fig is not None
    try:
        (ax,) = axes_of(fig)
        labels = [ln.get_label() for ln in ax.get_lines()]
        assert any("exact least TVD" in label for label in labels) and any("tight family" in label for label in labels)
        for ln in ax.get_lines():
            if ln.get_linestyle() == "None":  # the points: never under 1 − √ε
                for x, y in zip(ln.get_xdata(), ln.get_ydata()):
                    assert y >= 1 - float(x) ** 0.5 - 1e-9
    finally:
        plt.close(fig)


def test_the_graph_figure_draws_every_node(results: list[Result], tmp_path: Path) -> None:
    import matplotlib.pyplot as plt

    fig = graph_figure(results)
    assert fig is not None
    try:
        (ax,) = axes_of(fig)
        texts = {t.get_text().split()[0] for t in ax.texts}
        assert {n.id for n in graph_nodes(results)} <= texts and {c.id for c in CLAIMS} <= texts
    finally:
        plt.close(fig)


def _layered() -> list[Result]:
    """Z1, Z2 and the assumption X1 in the first column; Z3 uses Z1 and X1, Z4 uses Z1 and Z2; Z4 rests on X1."""
    holds = Verdict(Outcome.HOLDS, scope="s", method="m")
    claims = [Claim("Z1", "Sec", "q", "m", Outcome.HOLDS, _never_run),
              Claim("Z2", "Sec", "q", "m", Outcome.HOLDS, _never_run),
              Claim("Z3", "Sec", "q", "m", Outcome.HOLDS, _never_run, uses=("Z1", "X1")),
              Claim("Z4", "Sec", "q", "m", Outcome.HOLDS, _never_run, uses=("Z1", "Z2"))]
    rests = Verdict(Outcome.PROVED, scope="s", method="m", rests_on=("X1: factoring is hard",))
    return [Result(c, rests if c.id == "Z4" else holds) for c in claims]


def test_the_graph_figure_orders_each_column_by_its_neighbours_and_spreads_it_over_the_height() -> None:
    import matplotlib.pyplot as plt
    from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

    fig = graph_figure(_layered())
    assert fig is not None
    try:
        (ax,) = axes_of(fig)
        at = {t.get_text().split()[0]: tuple(float(c) for c in t.get_position()) for t in ax.texts}
        # the first column re-sorted by where its successors sit; the second by where its predecessors sit
        assert at == {"Z2": (0.0, 2.5), "Z1": (0.0, 1.5), "X1": (0.0, 0.5), "Z4": (3.2, 2.25), "Z3": (3.2, 0.75)}
        assert ax.get_ylim() == (-0.2, 3.2)
        boxes = [p for p in ax.patches if isinstance(p, FancyBboxPatch)]
        assert len(boxes) == 5 and all(b.get_height() == pytest.approx(0.72) for b in boxes)
        centres = sorted(round(b.get_y() + b.get_height() / 2, 6) for b in boxes)
        assert centres == sorted(round(y, 6) for _, y in at.values())  # each box centred on its label
        assert sum(isinstance(p, FancyArrowPatch) for p in ax.patches) == 4  # Z1→Z3, X1→Z3, Z1→Z4, Z2→Z4
        assert [t.get_text() for t in ax.get_legend().get_texts()] == ["PROVED", "HOLDS", "ASSUMED"]
        assert ax.get_title().startswith("The post's argument: an arrow from what a claim uses to the claim")
    finally:
        plt.close(fig)


def test_the_graph_figure_breaks_a_label_before_given() -> None:
    import matplotlib.pyplot as plt

    fig = graph_figure(_layered())
    assert fig is not None
    try:
        (ax,) = axes_of(fig)
        assert "Z4  PROVED\ngiven X1" in [t.get_text() for t in ax.texts]
    finally:
        plt.close(fig)


def _argument() -> list[Result]:
    """X2 a cited assumption among the results; Z1 PROVED from X2 with a sketch of two steps (one REFUTED); Z2
    UNESTABLISHED from Z1, X2, the assumption X1 (not among the results) and S9 (a claim not in this run); Z3
    REFUTED from Z2."""
    steps = (Step("Z1.1", "w", Outcome.HOLDS, Outcome.HOLDS), Step("Z1.2", "w", Outcome.REFUTED, Outcome.REFUTED))
    x2 = Claim("X2", "Sec", "q", "cited", Outcome.ASSUMED)
    z1 = Claim("Z1", "Sec", "q", "m", Outcome.PROVED, _never_run, uses=("X2",))
    z2 = Claim("Z2", "Sec", "q", "m", Outcome.UNESTABLISHED, _never_run, uses=("Z1", "X1", "S9", "X2"))
    z3 = Claim("Z3", "Sec", "q", "m", Outcome.REFUTED, _never_run, uses=("Z2",))
    return [Result(x2, Verdict(Outcome.ASSUMED, scope="cited", method="cited")),
            Result(z1, Verdict(Outcome.PROVED, scope="s", method="m", steps=steps)),
            Result(z2, Verdict(Outcome.UNESTABLISHED, scope="s", method="m")),
            Result(z3, Verdict(Outcome.REFUTED, scope="s", method="m", counterexample="n = 1"))]


def test_the_graph_has_each_claim_assumption_and_step_once_and_no_node_for_a_claim_not_run() -> None:
    from checkers.report.plots import GraphNode, graph_edges

    assert graph_nodes(_argument()) == [
        GraphNode("X2", "ASSUMED", Outcome.ASSUMED, "assumption"),
        GraphNode("Z1", "PROVED", Outcome.PROVED, "claim"),
        GraphNode("Z2", "UNESTABLISHED", Outcome.UNESTABLISHED, "claim"),
        GraphNode("Z3", "REFUTED", Outcome.REFUTED, "claim"),
        GraphNode("Z1.1", "HOLDS", Outcome.HOLDS, "step"),
        GraphNode("Z1.2", "REFUTED", Outcome.REFUTED, "step"),
        GraphNode("X1", "ASSUMED", Outcome.ASSUMED, "assumption"),
    ]
    assert graph_edges(_argument()) == [
        ("X2", "Z1", "uses"), ("Z1", "Z2", "uses"), ("X1", "Z2", "uses"), ("X2", "Z2", "uses"), ("Z2", "Z3", "uses"),
        ("Z1.1", "Z1", "step"), ("Z1.2", "Z1", "step"),
    ]


def test_the_graph_figure_draws_boxes_labels_arrows_and_legend_by_verdict() -> None:
    """Columns 3.2 apart by depth; each node a box centred on its label, filled with its verdict's legend colour
    (the same as in the Mermaid graph), white text on the dark verdicts, bold but for the sketch steps; assumptions
    dashed, steps rounded; grey solid arrows for "uses" and red dotted ones from a step, each from the right edge
    of a box to the left edge of the next, its head at the claim; the legend in one row, centred under the graph."""
    import matplotlib.pyplot as plt
    from matplotlib.colors import to_hex, to_rgb
    from matplotlib.patches import ArrowStyle, BoxStyle, FancyArrowPatch, FancyBboxPatch

    fig = graph_figure(_argument())
    assert fig is not None
    try:
        (ax,) = axes_of(fig)
        assert not ax.axison
        texts = {t.get_text(): t for t in ax.texts}
        assert set(texts) == {"X2  ASSUMED", "Z1  PROVED", "Z2  UNESTABLISHED", "Z3  REFUTED", "Z1.1  HOLDS",
                              "Z1.2  REFUTED", "X1  ASSUMED"}
        at = {k.split()[0]: tuple(round(float(c), 6) for c in t.get_position()) for k, t in texts.items()}
        # the steps first in the first column, then the assumptions; each later column one claim, mid-height
        assert at == {"Z1.1": (0.0, 3.5), "Z1.2": (0.0, 2.5), "X2": (0.0, 1.5), "X1": (0.0, 0.5),
                      "Z1": (3.2, 2.0), "Z2": (6.4, 2.0), "Z3": (9.6, 2.0)}
        assert all((t.get_ha(), t.get_va()) == ("center", "center") for t in ax.texts)
        white = {k.split()[0] for k, t in texts.items() if to_hex(t.get_color()) == "#ffffff"}
        black = {k.split()[0] for k, t in texts.items() if to_hex(t.get_color()) == "#000000"}
        assert white == {"Z1", "Z3", "Z1.2"} and black == {"X2", "X1", "Z2", "Z1.1"}
        normal = {k.split()[0] for k, t in texts.items() if t.get_fontweight() == "normal"}
        bold = {k.split()[0] for k, t in texts.items() if t.get_fontweight() == "bold"}
        assert normal == {"Z1.1", "Z1.2"} and bold == {"X2", "X1", "Z1", "Z2", "Z3"}

        legend = ax.get_legend()
        assert [t.get_text() for t in legend.get_texts()] == ["PROVED", "HOLDS", "UNESTABLISHED", "REFUTED", "ASSUMED"]
        key = {t.get_text(): to_hex(h.get_facecolor()) for t, h in zip(legend.get_texts(), legend.legend_handles)}
        assert len(set(key.values())) == 5
        fills = dict(re.findall(r"classDef (\w+) fill:(#[0-9a-f]{6})", mermaid_graph(_argument())))
        assert all(fills[name] == colour for name, colour in key.items())

        boxes = [p for p in ax.patches if isinstance(p, FancyBboxPatch)]
        assert len(boxes) == 7
        outcome = {k.split()[0]: k.split()[1] for k in texts}
        for box in boxes:
            centre = (round(box.get_x() + box.get_width() / 2, 6), round(box.get_y() + box.get_height() / 2, 6))
            (node,) = [n for n, xy in at.items() if xy == centre]
            assert (box.get_width(), box.get_height()) == pytest.approx((1.9, 0.72))
            assert to_hex(box.get_facecolor()) == key[outcome[node]]
            assert box.get_linestyle() == ("--" if node.startswith("X") else "-")
            style = box.get_boxstyle()
            assert isinstance(style, BoxStyle.Round if "." in node else BoxStyle.Square)

        arrows = [p for p in ax.patches if isinstance(p, FancyArrowPatch)]
        drawn = {}
        for arrow in arrows:
            path = arrow.get_path()
            points = [(float(v[0]), float(v[1])) for v, c in path.iter_segments(simplify=False) if c != path.CLOSEPOLY]
            x0, y0 = points[0]
            x1, y1 = max(points, key=lambda p: math.dist(p, (x0, y0)))  # the tip of the head
            (src,) = [n for n, (x, y) in at.items() if (round(x + 0.95, 6), y) == (round(x0, 6), round(y0, 6))]
            (dst,) = [n for n, (x, y) in at.items() if math.dist((x - 0.95, y), (x1, y1)) < 0.05]
            r, g, b = to_rgb(arrow.get_edgecolor())
            drawn[src, dst] = ("grey" if r == g == b else "red" if r > 0.5 > max(g, b) else "?", arrow.get_linestyle())
            assert isinstance(arrow.get_arrowstyle(), ArrowStyle.CurveFilledB)
        assert drawn == {("X2", "Z1"): ("grey", "-"), ("Z1", "Z2"): ("grey", "-"), ("X1", "Z2"): ("grey", "-"),
                         ("X2", "Z2"): ("grey", "-"), ("Z2", "Z3"): ("grey", "-"),
                         ("Z1.1", "Z1"): ("red", ":"), ("Z1.2", "Z1"): ("red", ":")}

        # the last column's boxes fit, with the same margin on either side; a little room above and below
        assert ax.get_xlim() == pytest.approx((-1.25, 9.6 + 1.25)) and ax.get_ylim() == pytest.approx((-0.2, 4.2))
        assert tuple(fig.get_size_inches()) == pytest.approx((4 * 3.2 * 1.05, 7.0))
        assert ax.get_title() == ("The post's argument: an arrow from what a claim uses to the claim; dashed boxes "
                                  "are assumptions, rounded boxes a claim's sketch steps (dotted red arrows)")

        fig.canvas.draw()
        renderer = fig.canvas.get_renderer()
        frame, under = ax.get_window_extent(renderer), legend.get_window_extent(renderer)
        assert under.y1 <= frame.y0 and under.x0 > frame.x0 and under.x1 < frame.x1
        assert (under.x0 + under.x1) / 2 == pytest.approx((frame.x0 + frame.x1) / 2, abs=1.0)
        rows = {round(t.get_window_extent(renderer).y0, 3) for t in legend.get_texts()}
        assert len(rows) == 1  # one row of entries
    finally:
        plt.close(fig)


@pytest.mark.parametrize(("tallest", "inches"), [(1, (10.0, 7.0)), (6, (10.0, 7.0)), (14, (10.0, 14 * 0.62))])
def test_the_graph_figure_is_at_least_ten_by_seven_inches_and_grows_with_its_tallest_column(
    tallest: int, inches: tuple[float, float],
) -> None:
    import matplotlib.pyplot as plt

    holds = Verdict(Outcome.HOLDS, scope="s", method="m")
    fig = graph_figure([Result(_canned_claim(f"Z{i}"), holds) for i in range(tallest)])
    assert fig is not None
    try:
        assert tuple(fig.get_size_inches()) == pytest.approx(inches)
        (ax,) = axes_of(fig)
        assert ax.get_ylim() == pytest.approx((-0.2, tallest + 0.2))
        assert sorted(t.get_position()[1] for t in ax.texts) == pytest.approx([i + 0.5 for i in range(tallest)])
    finally:
        plt.close(fig)


def test_a_drawn_plot_is_a_png_at_110_dots_per_inch(tmp_path: Path) -> None:
    import matplotlib.pyplot as plt

    spec = _plot("A6")
    result = Result(_canned_claim("A6"), Verdict(Outcome.PROVED, scope="s", method="m",
                                                 data={"tvd_bound": _a6_rows()}))
    fig = build(spec, result, [result])
    assert fig is not None
    inches = fig.get_size_inches()
    plt.close(fig)
    assert draw(spec, result, [result], tmp_path / "a6.png") is True
    png = (tmp_path / "a6.png").read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
    assert (width, height) == (round(inches[0] * 110), round(inches[1] * 110))


def test_a_claim_outside_the_post_is_reported_after_the_posts_claims(tmp_path: Path) -> None:
    extra = Result(Claim("Z1", "Other", "q", "m", Outcome.HOLDS, _never_run), Verdict(Outcome.HOLDS, scope="s", method="m"))
    first = Result(CLAIMS[0], Verdict(Outcome.HOLDS, scope="s", method="m", data={"x": Fraction(1, 2)}))
    write_markdown([extra, first], Level.QUICK, tmp_path / "r.md", None)
    text = (tmp_path / "r.md").read_text()
    assert text.index('<a id="claim-s1"></a>') < text.index('<a id="claim-z1"></a>')


def test_markdown_report_and_plots_are_written(tmp_path: Path) -> None:
    from checkers.report import write_markdown

    spec = _plot("A6")
    rows = [{"eps": f"1/{10**k}", "tvd_lower_bound": f"{10**k - 1}/{10**k}"} for k in range(1, 5)]
    claim = next(c for c in CLAIMS if c.id == "A6")
    result = Result(claim, Verdict(Outcome.PROVED, scope="eps", method="m", data={"tvd_bound": rows}))
    pngs = write_markdown([result], Level.QUICK, tmp_path / "report.md", tmp_path / "plots")
    assert [p.name for p in pngs] == [spec.filename, "argument_graph.png"]
    assert pngs[0].read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert f"plots/{spec.filename}" in (tmp_path / "report.md").read_text()


def test_gauntlet_line_counts_perturbed_twins_and_flags_any_that_pass() -> None:
    from checkers.report import gauntlet_line

    refuted = Verdict(Outcome.REFUTED, scope="s", method="m", counterexample="x = 1")
    proved = Verdict(Outcome.PROVED, scope="s", method="m")
    assert gauntlet_line([("A5", "tightened", refuted)] * 3) == "3 perturbed twins, all refuted"
    assert gauntlet_line([("A5", "tightened", refuted)], Level.QUICK, beside=True) == (
        "1 perturbed twin (at the quick level, beside the claims), all refuted")
    line = gauntlet_line([("A5", "tightened", refuted), ("S1", "leaky model", proved)])
    assert "1 PROVED or HOLDS: a checker accepts a false claim" in line
    assert gauntlet_line([]) == "no perturbed twins to run"


# ---- the summary, the mismatches, the JSON and the timings stripped from it ----------------------


def _never_run(level: Level) -> Verdict:
    raise AssertionError("a canned result stands for it")


def _canned_claim(cid: str, expected: Outcome = Outcome.HOLDS) -> Claim:
    return Claim(cid, f"Section {cid}", f"the quote of {cid}", "fake", expected, _never_run)


Z1, Z2 = _canned_claim("Z1"), _canned_claim("Z2")
HOLDS = Verdict(Outcome.HOLDS, scope="fake scope", method="fake", evidence=("e1",), seconds=1.25)
UNKNOWN = Verdict(Outcome.UNKNOWN, scope="fake scope", method="fake", evidence=("z3: unknown",), seconds=0.3)
RESULTS = {"Z1": Result(Z1, HOLDS), "Z2": Result(Z2, UNKNOWN)}


def test_mismatches_show_the_last_six_evidence_lines_and_the_counterexample() -> None:
    ok = Result(Z1, HOLDS)
    refuted = Verdict(Outcome.REFUTED, scope="s", method="m", evidence=tuple(f"line {i}" for i in range(1, 9)),
                      counterexample="n = 3")
    bad = Result(Z2, refuted)
    assert mismatches([ok, bad, Result(_canned_claim("Z3"), UNKNOWN)]) == "\n".join([
        "Z2: expected HOLDS, got REFUTED", *[f"    line {i}" for i in range(3, 9)], "    counterexample: n = 3",
        "Z3: expected HOLDS, got UNKNOWN", "    z3: unknown",
    ])
    assert mismatches([ok]) == ""


def test_summary_line_when_everything_is_as_expected() -> None:
    proved = Result(_canned_claim("Z3", Outcome.PROVED), Verdict(Outcome.PROVED, scope="s", method="m", seconds=0.25))
    assert summary_line([RESULTS["Z1"], proved]) == "2 claims: 1 HOLDS, 1 PROVED; all as expected (1.5 s of checks)"
    assert summary_line([RESULTS["Z2"], RESULTS["Z1"], Result(_canned_claim("Z3"), UNKNOWN)]) == \
        "3 claims: 1 HOLDS, 2 UNKNOWN; 2 not as expected: Z2, Z3 (1.9 s of checks)"


def test_to_json_rounds_seconds_and_keeps_counterexample_and_data(tmp_path: Path) -> None:
    v = Verdict(Outcome.REFUTED, scope="s", method="m", evidence=("e ≤ 1",), counterexample="x = 1",
                seconds=1.23456, data={"t": [{"p": Fraction(1, 3)}]})
    claim = Claim("Z1", "Sec", "quote", "m", Outcome.REFUTED, _never_run)
    doc = to_json([Result(claim, v)], Level.DEEP)
    assert doc == {"schema": "autoregressive-limits/verdicts/1", "level": "deep", "passed": True, "claims": [{
        "id": "Z1", "section": "Sec", "claim": "quote", "method": "m", "scope": "s", "verdict": "REFUTED",
        "label": "REFUTED", "expected": "REFUTED", "matches": True, "seconds": 1.235, "evidence": ["e ≤ 1"],
        "counterexample": "x = 1", "uses": [], "rests_on": [], "statements": [], "obligations": [], "steps": [],
        "data": {"t": [{"p": Fraction(1, 3)}]},
    }]}
    path = tmp_path / "v.json"
    write_json([Result(claim, v)], Level.DEEP, path)
    assert path.read_text(encoding="utf-8") == json.dumps(doc, indent=2, ensure_ascii=False, default=str) + "\n"
    assert '"seconds": 1.235' in path.read_text(encoding="utf-8") and "e ≤ 1" in path.read_text(encoding="utf-8")
    assert comparable_json([Result(claim, v)], Level.DEEP) == {
        **{k: val for k, val in doc.items() if k != "claims"},
        "claims": [{**{k: val for k, val in doc["claims"][0].items() if k != "seconds"},  # type: ignore[index]
                    "data": {"t": [{"p": "1/3"}]}}],
    }


def test_smt_dir_skips_an_obligation_without_text_and_writes_the_next_once(tmp_path: Path) -> None:
    claim = Claim("Z1", "Sec", "quote", "m", Outcome.PROVED, _never_run)
    text = "(set-logic QF_LRA)\n(check-sat)\n"
    records = ({"name": "no text"}, {"smtlib": text, "smtlib_sha256": {"z3": "ab12"}},
               {"smtlib": text, "smtlib_sha256": {"z3": "ab12"}})
    v = Verdict(Outcome.PROVED, scope="s", method="m", obligations=records)
    assert write_smt_dir([Result(claim, v)], tmp_path / "smt") == 1
    assert (tmp_path / "smt" / "Z1-ab12.smt2").read_text(encoding="utf-8") == text


@pytest.mark.parametrize("key, timing", [
    ("seconds", True), ("s", True), ("ms", True), ("trial_seconds", True), ("flint_s", True), ("a_b_s", True),
    ("median_ms_total", True), ("seconds_per_token", True), ("n", False), ("mass", False), ("s_count", False),
    ("tests", False), ("per_s_x", False),
])
def test_timing_keys(key: str, timing: bool) -> None:
    assert is_timing_key(key) is timing


def test_strip_timings_drops_timing_keys_in_data_only_and_masks_times_in_text() -> None:
    doc = {"seconds": 1.5, "n_s": 4, "scope": "took 0.5 s", "evidence": ["z3: unsat in 12.5 ms", "checked 3 tuples"],
           "data": {"t_seconds": 3, "n": 2, "rows": [{"trial_s": 1, "k": 2, "seconds": 9}]},
           "rows": [{"trial_s": 1}]}
    assert strip_timings(doc) == {
        "n_s": 4, "scope": "took <time>", "evidence": ["z3: unsat in <time>", "checked 3 tuples"],
        "data": {"n": 2, "rows": [{"k": 2}]}, "rows": [{"trial_s": 1}],
    }
    assert strip_timings(["1.5 s", {"ms": 2}], in_data=True) == ["<time>", {}]
    assert strip_timings(7) == 7


def test_differences_name_every_differing_path() -> None:
    a = {"a": 1, "b": [1, 2], "c": {"d": "x"}, "f": [1]}
    b = {"a": 1, "b": [1, 3], "c": {"d": "y"}, "e": 5, "f": [1, 2]}
    assert differences(a, b) == [".b[1]: '2' != '3'", ".c.d: 'x' != 'y'", ".e: 'None' != '5'",
                                 ".f: '[1]' != '[1, 2]'"]
    assert differences(a, b, "doc") == ["doc.b[1]: '2' != '3'", "doc.c.d: 'x' != 'y'", "doc.e: 'None' != '5'",
                                        "doc.f: '[1]' != '[1, 2]'"]
    assert differences("ab", "cd") == [": 'ab' != 'cd'"]
    assert differences([1, 2], "ab") == [": '[1, 2]' != 'ab'"]
    assert differences({"a": 1}, [1]) == [": \"{'a': 1}\" != '[1]'"]
    assert differences("x" * 90, "y" * 90) == [f": {'x' * 80!r} != {'y' * 80!r}"]
    assert differences({1: "a"}, {"1": "a"}) == [".1: 'a' != 'None'", ".1: 'None' != 'a'"]
    assert differences(a, a) == []


# ---- a Markdown report with a plot, pipes and a gauntlet; plots from their own claim's data ------


def _a6_rows() -> list[dict[str, object]]:
    return [{"eps": f"1/{10**k}", "tvd_lower_bound": f"{10**k - 1}/{10**k}"} for k in range(1, 4)]


def test_write_markdown_with_a_plot_pipes_and_a_gauntlet(tmp_path: Path) -> None:
    spec = _plot("A6")
    a6 = Claim("A6", "Appendix", "1 − √ε | bound", "m", Outcome.PROVED, _never_run, plots=(spec,))
    other = Claim("Z1", "Other", "q", "m", Outcome.HOLDS, _never_run)
    v6 = Verdict(Outcome.PROVED, scope="eps | 3", method="sym|py", evidence=("e1", "e2"), seconds=2.25,
                 data={"tvd_bound": _a6_rows()})
    v1 = Verdict(Outcome.HOLDS, scope="s", method="m", seconds=0.5, data={"tvd_bound": [{"eps": 1}]})
    refuted = Verdict(Outcome.REFUTED, scope="s", method="m", counterexample="x")
    md, plots = tmp_path / "report.md", tmp_path / "deep" / "plots"
    pngs = write_markdown([Result(other, v1), Result(a6, v6)], Level.STANDARD, md, plots,
                          [("A6", "bound | squared", refuted)])
    assert plots / spec.filename in pngs and all(p.read_bytes()[:4] == b"\x89PNG" for p in pngs)
    text = md.read_text()
    assert "Level **standard**" in text or "level **standard**" in text
    assert "2 claims: 1 HOLDS, 1 PROVED; all as expected" in text
    # the post's order: A6 is a claim of the post, Z1 is not, so A6 comes first
    assert text.index('<a id="claim-a6"></a>A6 — Appendix') < text.index('<a id="claim-z1"></a>Z1 — Other')
    assert "> 1 − √ε | bound" in text and "**Verdict: PROVED**." in text
    assert "- scope: eps | 3" in text and "- method: sym|py" in text and "- e1\n- e2\n" in text
    assert f"](deep/plots/{spec.filename})" in text  # relative to the report
    assert "1 perturbed twin" in text and "| A6 | bound \\| squared | REFUTED |" in text
    assert "Not as expected" not in text
    for line in textwrap.dedent(VERDICT_GUIDE).strip().split("\n- "):
        assert " ".join(line.removeprefix("- ").split()) in text
    # again into the existing directory, with the report elsewhere: the link is the plot's own path
    md2 = tmp_path / "md" / "r.md"
    md2.parent.mkdir()
    wrong = Result(Claim("Z3", "Sec", "q3", "m", Outcome.PROVED, _never_run), refuted)
    assert plots / spec.filename in write_markdown([Result(a6, v6), wrong], Level.QUICK, md2, plots)
    text = md2.read_text()
    assert f"]({plots / spec.filename})" in text
    assert "**Verdict: REFUTED** (expected PROVED)." in text
    assert "## <a id=\"not-as-expected\"></a>Not as expected\n\n```text\nZ3: expected PROVED, got REFUTED\n" \
           "    counterexample: x\n```" in text
    assert "The gauntlet" not in text


def test_plots_draw_from_their_own_claims_data() -> None:
    spec = _plot("A6")
    mine = [{"eps": "1/10", "tvd_lower_bound": "1/2"}, "junk"]
    results = [Result(_canned_claim("Z1"), Verdict(Outcome.HOLDS, scope="s", method="m", data={"tvd_bound": [{"eps": 7}]})),
               Result(_canned_claim("A6"), Verdict(Outcome.HOLDS, scope="s", method="m", data={"tvd_bound": mine}))]
    fig = build(spec, results[1], results)
    assert fig is not None
    (ax,) = fig.get_axes()
    squares = [ln for ln in ax.get_lines() if ln.get_marker() == "s"]
    assert [list(ln.get_xdata()) for ln in squares] == [[0.1]] and [list(ln.get_ydata()) for ln in squares] == [[0.5]]


def test_draw_without_usable_points_draws_nothing(tmp_path: Path) -> None:
    results = [Result(_canned_claim("Z1"), Verdict(Outcome.HOLDS, scope="s", method="m"))]
    for _, spec in PLOTS:
        assert build(spec, results[0], results) is None
        assert draw(spec, results[0], results, tmp_path / spec.filename) is False
        assert not (tmp_path / spec.filename).exists()


# ---- what a claim's section, the summary and the HTML page show, line by line ----------------------


def _markdown(results: list[Result], tmp_path: Path) -> str:
    write_markdown(results, Level.QUICK, tmp_path / "r.md", None)
    return (tmp_path / "r.md").read_text()


def test_a_claim_holding_only_in_a_corrected_form_is_listed_and_says_where_the_post_needs_correcting(
    tmp_path: Path,
) -> None:
    fixed = Statement("n ≥ 2 ⇒ opt ≤ 1/2", Relation.CORRECTED, Outcome.HOLDS)
    text = _markdown([Result(_canned_claim("Z1"), Verdict(Outcome.HOLDS, scope="s", method="m",
                                                          statements=(fixed,)))], tmp_path)
    corrections = _section(text, "corrections")
    assert ("**True only in a corrected form**: the suite checks the corrected statement.\n\n"
            "- [Z1](#claim-z1) “the quote of Z1”: n ≥ 2 ⇒ opt ≤ 1/2 (**HOLDS**)\n") in corrections
    assert "Nothing: no claim or sketch step was refuted" not in corrections
    assert "**Where the post needs correcting:** corrected form n ≥ 2 ⇒ opt ≤ 1/2 (HOLDS).\n" in \
        _section(text, "claim-z1")


def test_a_claims_section_links_what_it_uses_and_names_assumptions(tmp_path: Path) -> None:
    user = Claim("Z1", "Sec", "q", "m", Outcome.HOLDS, _never_run, uses=("S1", "X1", "H-SHA256"))
    text = _markdown([Result(user, Verdict(Outcome.HOLDS, scope="s", method="m")),
                      Result(_canned_claim("Z2"), Verdict(Outcome.HOLDS, scope="s", method="m"))], tmp_path)
    assert "- uses: [S1](#claim-s1), [X1](#claim-x1), H-SHA256\n" in _section(text, "claim-z1")
    assert "- uses: nothing\n" in _section(text, "claim-z2")


def test_a_claims_section_lists_the_posts_sketch_step_by_step(tmp_path: Path) -> None:
    steps = (Step("Z1.1", "opt is a probability", Outcome.HOLDS, Outcome.HOLDS),
             Step("Z1.2", "opt = k/N", Outcome.REFUTED, Outcome.HOLDS, counterexample="N=1, p=['1/2']",
                  corrected="k/N ≤ opt < (k+1)/N"))
    text = _markdown([Result(_canned_claim("Z1"), Verdict(Outcome.HOLDS, scope="s", method="m", steps=steps))],
                     tmp_path)
    assert ("The post's own sketch, step by step:\n\n"
            "- Z1.1 **HOLDS**: opt is a probability\n"
            "- Z1.2 **REFUTED** (expected HOLDS): opt = k/N\n"
            "    - counterexample: `N=1, p=['1/2']`\n"
            "    - corrected: k/N ≤ opt < (k+1)/N\n") in _section(text, "claim-z1")


def test_proof_obligations_table_has_its_column_names_and_an_unnamed_obligation_is_not_called_none(
    tmp_path: Path,
) -> None:
    unnamed = {**{k: v for k, v in OBLIGATION.items() if k != "name"}, "statement": "y > 0  ⊢  y ≠ 0"}
    v = Verdict(Outcome.PROVED, scope="s", method="m", obligations=(OBLIGATION, unnamed))
    section = _section(_markdown([Result(_canned_claim("Z1", Outcome.PROVED), v)], tmp_path), "claim-z1")
    digest = f"`{'ab' * 32}`"
    assert ("Proof obligations (2; re-run any of them from `--smt-dir`, named by the SHA-256 of its SMT-LIB2 text):"
            "\n\n| obligation") in section
    assert ("| obligation | outcome | solvers | SMT-LIB2 SHA-256 |\n|---|---|---|---|\n"
            f"| base | **PROVED** | z3: unsat, cvc5: unsat | {digest} |\n"
            f"|  | **PROVED** | z3: unsat, cvc5: unsat | {digest} |\n") in section
    assert "```text\nbase:\n    x >= 0  ⊢  x + 1 > 0\n:\n    y > 0  ⊢  y ≠ 0\n```\n" in section
    assert "None" not in section


def test_a_claims_section_reads_verdict_facts_statements_evidence_counterexample_correction_and_obligations(
    tmp_path: Path,
) -> None:
    """A refuted claim resting on an assumption, as a reader sees its section: prose evidence as bullets and
    solver output or formulas as code; an obligation without a statement gets no statement block."""
    claim = Claim("Z1", "Sec *one*", "the quote", "m", Outcome.HOLDS, _never_run, uses=("X1", "H-SHA256", "Z2"))
    verdict = Verdict(Outcome.REFUTED, scope="n ≤ 3", method="exhaustive",
                      evidence=("checked 8 cases", "  z3: sat", "a ⊢ b", "last *prose*"), counterexample="n = 2",
                      rests_on=("X1: factoring is hard",),
                      statements=(Statement("opt ≤ 1/2", Relation.SAME, Outcome.REFUTED),
                                  Statement("opt < 1", Relation.CORRECTED, Outcome.HOLDS)),
                      obligations=({**OBLIGATION, "statement": ""},))
    assumption = Claim("X1", "Assumptions", "factoring is hard", "cited", Outcome.ASSUMED)
    resting = Verdict(Outcome.HOLDS, scope="s", method="m", rests_on=("X1: factoring is hard",))
    text = _markdown([Result(claim, verdict), Result(assumption, Verdict(Outcome.ASSUMED, scope="cited", method="c")),
                      Result(_canned_claim("Z2"), resting)], tmp_path)
    assert _section(text, "claim-z1") == "\n".join([
        '<a id="claim-z1"></a>Z1 — Sec \\*one\\*', "",
        "> the quote", "",
        "**Verdict: REFUTED given X1** (expected HOLDS).", "",
        "- uses: [X1](#claim-x1), H-SHA256, [Z2](#claim-z2)",
        "- rests on: X1: factoring is hard",
        "- scope: n ≤ 3",
        "- method: exhaustive", "",
        "Formal statements checked (outcome; how each relates to the post's words):", "",
        "- **REFUTED** opt ≤ 1/2 — *the same statement*",
        "- **HOLDS** opt < 1 — *a corrected form of the post's statement*", "",
        "Evidence:", "",
        "- checked 8 cases", "",
        "```text", "  z3: sat", "a ⊢ b", "```", "",
        "- last \\*prose\\*", "",
        "Counterexample (re-checked in exact arithmetic):", "",
        "```text", "n = 2", "```", "",
        "**Where the post needs correcting:** the statement as the post makes it fails (counterexample above); "
        "corrected form opt < 1 (HOLDS).", "",
        "Proof obligations (1; re-run any of them from `--smt-dir`, named by the SHA-256 of its SMT-LIB2 text):", "",
        "| obligation | outcome | solvers | SMT-LIB2 SHA-256 |",
        "|---|---|---|---|",
        f"| base | **PROVED** | z3: unsat, cvc5: unsat | `{'ab' * 32}` |", "",
    ])
    assert _section(text, "claim-x1") == "\n".join([
        '<a id="claim-x1"></a>X1 — Assumptions', "",
        "> factoring is hard", "",
        "**Verdict: ASSUMED**.", "",
        "- scope: cited",
        "- method: c", "",
        "Assumed: factoring is hard. The suite cites it and does not check it.", "",
        "- used by: [Z1](#claim-z1)",
        "- verdicts that rest on it: [Z1](#claim-z1) (REFUTED given X1), [Z2](#claim-z2) (HOLDS given X1)", "",
    ])


def test_an_image_is_linked_relative_to_the_markdown_and_embedded_whole_in_the_html(tmp_path: Path) -> None:
    import base64

    inside, outside = tmp_path / "report" / "plots" / "a.png", tmp_path / "elsewhere" / "b.png"
    for png, content in ((inside, b"\x89PNG first"), (outside, b"\x89PNG second \xff")):
        png.parent.mkdir(parents=True)
        png.write_bytes(content)
    doc = Doc(tmp_path / "report")
    doc.image("Cost <n> & *time*", inside)
    doc.image("other", outside)
    assert doc.md == ["![Cost \\<n> & \\*time\\*](plots/a.png)", "", f"![other]({outside.as_posix()})", ""]
    first, second = (base64.b64encode(png.read_bytes()).decode() for png in (inside, outside))
    assert base64.b64decode(second) == b"\x89PNG second \xff"
    assert doc.html == [
        f'<figure><img alt="Cost &lt;n&gt; &amp; *time*" src="data:image/png;base64,{first}">'
        "<figcaption>Cost &lt;n&gt; &amp; *time*</figcaption></figure>",
        f'<figure><img alt="other" src="data:image/png;base64,{second}"><figcaption>other</figcaption></figure>',
    ]


def test_the_summary_names_each_assumption_and_exactly_the_claims_that_use_it(tmp_path: Path) -> None:
    holds = Verdict(Outcome.HOLDS, scope="s", method="m")
    claims = [Claim("Z1", "Sec", "q1", "m", Outcome.HOLDS, _never_run, uses=("X1",)),
              Claim("Z2", "Sec", "q2", "m", Outcome.HOLDS, _never_run),
              Claim("Z3", "Sec", "q3", "m", Outcome.HOLDS, _never_run, uses=("H-SHA256", "X1"))]
    text = _markdown([Result(c, holds) for c in claims], tmp_path)
    assert ("The post's argument uses these assumptions: "
            "H-SHA256 (SHA-256 bits of a hidden object cannot be predicted faster than by trying objects) "
            "by [Z3](#claim-z3); "
            "X1 (factoring semiprimes is hard on average) by [Z1](#claim-z1), [Z3](#claim-z3).\n") in \
        _section(text, "assumptions")


def test_the_summary_says_so_when_nothing_is_confirmed_or_rests_on_an_assumption(tmp_path: Path) -> None:
    text = _markdown([Result(_canned_claim("Z1"), UNKNOWN)], tmp_path)
    assert _section(text, "confirms").endswith("What the suite confirms\n\n- nothing without an assumption\n")
    assert "\n- no verdict rests on an assumption\n" in _section(text, "assumptions")


def test_the_graph_image_is_its_own_paragraph_and_the_html_folds_the_mermaid_source(tmp_path: Path) -> None:
    result = Result(_canned_claim("Z1"), Verdict(Outcome.HOLDS, scope="s", method="m"))
    write_report([result], Level.QUICK, markdown=tmp_path / "r.md", html_path=tmp_path / "r.html",
                 plots_dir=tmp_path / "plots")
    text = (tmp_path / "r.md").read_text()
    assert ("\n\n![The argument as a graph, coloured by verdict](plots/argument_graph.png)\n\n"
            "## <a id=\"claims\"></a>Claim by claim, in the post's order\n") in text
    page = (tmp_path / "r.html").read_text()
    assert page.count('<pre class="mermaid">') == 1
    assert ("<details><summary>the graph's Mermaid source</summary><pre class=\"mermaid\"><code>graph LR\n"
            in page)
    assert '<figure><img alt="The argument as a graph, coloured by verdict" src="data:image/png;base64,' in page


def test_the_html_report_carries_the_gauntlet(tmp_path: Path) -> None:
    result = Result(_canned_claim("Z1"), Verdict(Outcome.HOLDS, scope="s", method="m"))
    refuted = Verdict(Outcome.REFUTED, scope="s", method="m", counterexample="x = 1")
    write_html([result], Level.QUICK, tmp_path / "r.html", gauntlet=[("Z1", "tightened & squared", refuted)])
    page = (tmp_path / "r.html").read_text()
    assert '<h2 id="gauntlet">The gauntlet: perturbed claims that must not pass</h2>' in page
    assert "<p>1 perturbed twin, all refuted.</p>" in page
    assert "<tr><td>Z1</td><td>tightened &amp; squared</td><td>REFUTED</td></tr>" in page


def test_an_unclosed_bold_is_closed_in_the_html() -> None:
    assert inline_html("**Verdict: HOLDS") == "<b>Verdict: HOLDS</b>"
    assert inline_html("a **b** **c") == "a <b>b</b> <b>c</b>"


def test_a_list_with_sub_items_in_markdown_and_html() -> None:
    doc = Doc(Path("."))
    doc.bullets(["a **b**", ("c", ["d", "e"])])
    doc.bullets([])
    assert doc.md == ["- a **b**", "- c", "    - d", "    - e", ""]
    assert doc.html == ["<ul><li>a <b>b</b></li><li>c<ul><li>d</li><li>e</li></ul></li></ul>"]


def test_the_html_report_alone_with_a_plots_folder_returns_the_plots_it_drew(tmp_path: Path) -> None:
    result = Result(_canned_claim("Z1"), Verdict(Outcome.HOLDS, scope="s", method="m"))
    pngs = write_report([result], Level.QUICK, html_path=tmp_path / "r.html", plots_dir=tmp_path / "plots")
    assert pngs == [tmp_path / "plots" / "argument_graph.png"]
    assert pngs[0].read_bytes()[:4] == b"\x89PNG" and (tmp_path / "r.html").exists()


def test_an_evidence_line_of_400_characters_is_still_prose_and_a_longer_one_is_code(tmp_path: Path) -> None:
    claim = Claim("Z1", "Sec", "the quote", "m", Outcome.HOLDS, _never_run)
    prose, formal = "p" * 400, "q" * 401
    verdict = Verdict(Outcome.HOLDS, scope="s", method="m", evidence=(prose, formal))
    lines = _section(_markdown([Result(claim, verdict)], tmp_path), "claim-z1").splitlines()
    assert f"- {prose}" in lines
    assert formal in lines and f"- {formal}" not in lines


def test_an_obligation_whose_digests_are_not_a_mapping_is_listed_without_digests(tmp_path: Path) -> None:
    claim = Claim("Z1", "Sec", "the quote", "m", Outcome.HOLDS, _never_run)
    odd = {**OBLIGATION, "smtlib_sha256": "ab" * 32}
    verdict = Verdict(Outcome.HOLDS, scope="s", method="m", obligations=(odd,))
    section = _section(_markdown([Result(claim, verdict)], tmp_path), "claim-z1")
    (row,) = [line for line in section.splitlines() if line.startswith("| base ")]
    assert row.endswith("| none (not sent to a solver) |") and "ab" * 32 not in row


def test_an_unestablished_claim_lists_each_statement_the_checks_do_not_reach(tmp_path: Path) -> None:
    statements = (Statement("opt ≤ 1/2", Relation.SAME, Outcome.UNESTABLISHED),
                  Statement("opt > 0", Relation.SAME, Outcome.HOLDS),
                  Statement("opt < 1", Relation.SAME, Outcome.UNESTABLISHED))
    text = _markdown([Result(_canned_claim("Z1"), Verdict(Outcome.UNESTABLISHED, scope="s", method="m",
                                                          statements=statements))], tmp_path)
    assert ("**Where the post needs correcting:** the checks do not reach the post's words: opt ≤ 1/2; opt < 1.\n"
            in _section(text, "claim-z1"))


def test_smt_dir_written_again_into_the_same_directory_adds_only_new_texts(tmp_path: Path) -> None:
    claim = Claim("Z1", "Sec", "quote", "m", Outcome.PROVED, _never_run)
    first = {"smtlib": "(set-logic QF_LRA)\n(check-sat)\n", "smtlib_sha256": {"z3": "ab12"}}
    second = {"smtlib": "(set-logic QF_NRA)\n(check-sat)\n", "smtlib_sha256": {"z3": "cd34"}}
    assert write_smt_dir([Result(claim, Verdict(Outcome.PROVED, scope="s", method="m", obligations=(first,)))],
                         tmp_path / "smt") == 1
    both = Verdict(Outcome.PROVED, scope="s", method="m", obligations=(first, second))
    assert write_smt_dir([Result(claim, both)], tmp_path / "smt") == 1
    assert sorted(p.name for p in (tmp_path / "smt").iterdir()) == ["Z1-ab12.smt2", "Z1-cd34.smt2"]


def test_the_narrowest_table_keeps_eight_characters_for_the_method() -> None:
    from checkers.report.table import render_table

    r = Result(_canned_claim("Z1"), Verdict(Outcome.HOLDS, scope="a long scope", method="a long method name",
                                            seconds=1.25))
    head, rule, row = render_table([r], width=42).split("\n")
    assert head == "id   claim      method    scope     verdict                    time"
    assert row.startswith("Z1   the quot…  a long …  a long …  HOLDS ")
    assert len(head) == len(rule) == 3 + 9 + 8 + 8 + 22 + 7 + 5 * 2


def test_the_graph_figure_draws_claims_that_use_each_other_in_a_cycle() -> None:
    import matplotlib.pyplot as plt

    holds = Verdict(Outcome.HOLDS, scope="s", method="m")
    claims = [Claim("Z1", "Sec", "q", "m", Outcome.HOLDS, _never_run, uses=("Z2",)),
              Claim("Z2", "Sec", "q", "m", Outcome.HOLDS, _never_run, uses=("Z1",))]
    fig = graph_figure([Result(c, holds) for c in claims])
    assert fig is not None
    try:
        (ax,) = axes_of(fig)
        at = {t.get_text().split()[0]: tuple(float(c) for c in t.get_position()) for t in ax.texts}
        assert at == {"Z2": (0.0, 0.5), "Z1": (3.2, 0.5)}
    finally:
        plt.close(fig)


def test_a_caveat_is_written_in_a_framed_box_under_the_axes() -> None:
    import matplotlib.pyplot as plt
    from matplotlib.colors import to_hex

    from checkers.report.plots import caveat

    fig = plt.figure(figsize=(4.0, 3.0))
    try:
        caveat(fig, "a caveat long enough to be wrapped onto more than one line of the figure's width")
        (text,) = fig.texts
        assert text.get_text() == "a caveat long enough to be wrapped onto more than one line of\nthe figure's width"  # 4 in: 62 characters
        box = text.get_bbox_patch()
        assert box is not None
        assert (to_hex(box.get_facecolor()), to_hex(box.get_edgecolor())) == ("#fff8e1", "#ffb300")
    finally:
        plt.close(fig)
