"""The reader's report: corrections first, the argument graph, the HTML file, and plots with labelled axes.

The claims' data come from the quick-level snapshots (tests/data/snapshots/quick), so these tests
need no solver and see the tables the real checkers write.
"""

from __future__ import annotations

import json
import re
from fractions import Fraction
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from checkers.claims import CLAIMS, Claim, Result
from checkers.plots import PLOTS, axes_of, build, graph_figure, graph_nodes
from checkers.report import write_html, write_markdown, write_report
from checkers.review import POST_ORDER, inline_html, md, mermaid_graph
from checkers.verdict import Level, Outcome, Relation, Statement, Step, Verdict

SNAPSHOTS = Path(__file__).resolve().parents[1] / "data" / "snapshots" / "quick"
RAW_COLUMNS = {"n", "m", "opt", "mean_p", "eps", "tvd", "universe", "b", "per token / per s"}


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
    assert sorted(p.name for p in pngs) == sorted([*(s.filename for s in PLOTS), "argument_graph.png"])
    text = (tmp_path / "r.md").read_text()
    assert "![The argument as a graph, coloured by verdict](plots/argument_graph.png)" in text
    for spec in PLOTS:
        assert f"](plots/{spec.filename})" in _section(text, f"claim-{spec.claim.lower()}")


# ---- the plots -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("spec", PLOTS, ids=[s.filename for s in PLOTS])
def test_every_plot_has_worded_labelled_axes_and_integer_ticks(spec: Any, results: list[Result]) -> None:
    import matplotlib.pyplot as plt

    fig = build(spec, results)
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

    fig = build(next(s for s in PLOTS if s.claim == "F3"), results)
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

    fig = build(next(s for s in PLOTS if s.claim == "A6"), results)
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


def test_a_claim_outside_the_post_is_reported_after_the_posts_claims(tmp_path: Path) -> None:
    extra = Result(Claim("Z1", "Other", "q", "m", Outcome.HOLDS), Verdict(Outcome.HOLDS, scope="s", method="m"))
    first = Result(CLAIMS[0], Verdict(Outcome.HOLDS, scope="s", method="m", data={"x": Fraction(1, 2)}))
    write_markdown([extra, first], Level.QUICK, tmp_path / "r.md", None)
    text = (tmp_path / "r.md").read_text()
    assert text.index('<a id="claim-s1"></a>') < text.index('<a id="claim-z1"></a>')


def test_markdown_report_and_plots_are_written(tmp_path: Path) -> None:
    from checkers.report import PLOTS, write_markdown

    spec = next(p for p in PLOTS if p.claim == "A6")
    rows = [{"eps": f"1/{10**k}", "tvd_lower_bound": f"{10**k - 1}/{10**k}"} for k in range(1, 5)]
    claim = next(c for c in CLAIMS if c.id == "A6")
    result = Result(claim, Verdict(Outcome.PROVED, scope="eps", method="m", data={"tvd_bound": rows}))
    pngs = write_markdown([result], Level.QUICK, tmp_path / "report.md", tmp_path / "plots")
    assert [p.name for p in pngs] == [spec.filename, "argument_graph.png"]
    assert pngs[0].read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert f"plots/{spec.filename}" in (tmp_path / "report.md").read_text()


def test_gauntlet_line_counts_perturbed_claims_and_flags_any_that_pass() -> None:
    from checkers.report import gauntlet_line

    refuted = Verdict(Outcome.REFUTED, scope="s", method="m", counterexample="x = 1")
    proved = Verdict(Outcome.PROVED, scope="s", method="m")
    assert gauntlet_line([("A5", "tightened", refuted)] * 3) == "3 perturbed claims, all refuted"
    line = gauntlet_line([("A5", "tightened", refuted), ("S1", "leaky model", proved)])
    assert "1 PROVED or HOLDS: a checker accepts a false claim" in line
