"""The report's plots: the helpers the claims' figures are drawn with, drawing them, and the argument graph.

A claim's figures live in its section's module, next to its check, and the registry lists them on
the claim (`Claim.plots`); the report draws each. Each figure is built by a function that returns a
matplotlib Figure (testable: its axes, labels and ticks can be inspected before anything is
written); `draw` saves it. Axis labels are words with units, integer axes have integer ticks, each
axis has one unit, and where a picture could mislead the caveat is written in the figure itself.

This module names no claim, and imports the registry only for types: the section modules import
its helpers (inside their figure functions) and the registry imports the section modules.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING, Any

from checkers.report.outputs import write_atomic_with
from checkers.verdict import Outcome, Verdict

if TYPE_CHECKING:
    from checkers.claims import Plot, Result

__all__ = [
    "Drawn", "Figure", "GraphNode", "axes_of", "build", "caveat", "draw", "draw_claims", "draw_graph", "graph_edges",
    "graph_figure", "graph_nodes", "integer_x", "number", "pyplot", "rows_of", "used_verdicts",
]

Figure = Any  # matplotlib.figure.Figure (matplotlib is untyped)

OUTCOME_COLOURS = {
    Outcome.PROVED: "#2e7d32", Outcome.HOLDS: "#66bb6a", Outcome.STATISTICAL: "#aed581",
    Outcome.UNESTABLISHED: "#ffb74d", Outcome.REFUTED: "#e53935", Outcome.UNKNOWN: "#9e9e9e",
    Outcome.ERROR: "#6d4c41", Outcome.ASSUMED: "#e3f2fd",
}
DARK = frozenset({Outcome.PROVED, Outcome.REFUTED, Outcome.ERROR, Outcome.UNKNOWN})


# ---- helpers for the claims' figures --------------------------------------------------------------------------


def pyplot() -> Any:
    """matplotlib.pyplot on the Agg back-end (imported on first use: the checkers do not need matplotlib)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def number(v: object) -> float | None:
    """A plotted coordinate (floats are fine for drawing, never for verdicts); None for bools, text, -1 sentinels."""
    if isinstance(v, bool) or v is None:
        return None
    if isinstance(v, (int, float)):
        return float(v)
    if isinstance(v, str):
        try:
            return float(Fraction(v))
        except (ValueError, ZeroDivisionError):
            return None
    return None


def rows_of(verdict: Verdict | None, table: str) -> list[dict[str, object]]:
    """The rows of one of the verdict's data tables (a list of dicts); [] when it has none (or no verdict)."""
    rows = verdict.data.get(table) if verdict is not None else None
    if isinstance(rows, list):
        return [row for row in rows if isinstance(row, dict)]
    return []


def integer_x(ax: Any) -> None:
    """Integer ticks on the x axis."""
    from matplotlib.ticker import MaxNLocator

    ax.xaxis.set_major_locator(MaxNLocator(integer=True))


def caveat(fig: Any, text: str) -> None:
    """A caveat written in the figure, under the axes (wrapped to the figure's width)."""
    width = int(fig.get_size_inches()[0] * 15.5)
    fig.text(0.01, 0.01, textwrap.fill(text, width), fontsize=8, ha="left", va="bottom", color="#5d4037",
             bbox={"boxstyle": "round", "facecolor": "#fff8e1", "edgecolor": "#ffb300"})


# ---- drawing the claims' figures ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Drawn:
    """A plot drawn for the report: the claim it belongs to, the plot, and the PNG written."""

    claim: str
    plot: Plot
    path: Path


def used_verdicts(result: Result, results: Sequence[Result]) -> dict[str, Verdict]:
    """The verdicts, by id, of the claims the result's claim uses that are among the results."""
    return {r.claim.id: r.verdict for r in results if r.claim.id in result.claim.uses}


def build(plot: Plot, result: Result, results: Sequence[Result] = ()) -> Figure | None:
    """A plot of the result's claim as a figure, not yet saved: built from the claim's verdict and the verdicts of
    the claims it uses among `results`; None when there is nothing to draw."""
    return plot.build(result.verdict, used_verdicts(result, results))


def axes_of(fig: Figure) -> list[Any]:
    """The figure's data axes."""
    return list(fig.get_axes())


def draw(plot: Plot, result: Result, results: Sequence[Result], path: Path) -> bool:
    """Build a plot of the result's claim (see `build`) and save it as a PNG; False when there is nothing to draw."""
    fig = build(plot, result, results)
    if fig is None:
        return False
    write_atomic_with(path, lambda tmp: fig.savefig(tmp, dpi=110, format="png"))
    pyplot().close(fig)
    return True


def draw_claims(results: Sequence[Result], folder: Path) -> list[Drawn]:
    """Every plot of every result's claim, drawn into folder (those with nothing to draw are left out)."""
    drawn: list[Drawn] = []
    for r in results:
        for plot in r.claim.plots:
            target = folder / plot.filename
            if draw(plot, r, results, target):
                drawn.append(Drawn(r.claim.id, plot, target))
    return drawn


# ---- the argument graph ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class GraphNode:
    """A node of the argument graph: a claim, an assumption or a sketch step, with its verdict."""

    id: str
    label: str  # the verdict as shown (with "given" and the assumptions it rests on)
    outcome: Outcome
    kind: str  # "claim", "assumption" or "step"


def graph_nodes(results: Sequence[Result]) -> list[GraphNode]:
    """Every claim, every assumption a claim uses (X…, H-…), and every sketch step."""
    nodes: list[GraphNode] = []
    seen: set[str] = set()
    for r in results:
        kind = "assumption" if r.verdict.outcome is Outcome.ASSUMED else "claim"
        nodes.append(GraphNode(r.claim.id, r.verdict.label, r.verdict.outcome, kind))
        seen.add(r.claim.id)
    for r in results:
        for u in r.claim.uses:
            if u not in seen and u.startswith(("X", "H")):
                nodes.append(GraphNode(u, "ASSUMED", Outcome.ASSUMED, "assumption"))
                seen.add(u)
        for step in r.verdict.steps:
            nodes.append(GraphNode(step.id, step.outcome.value, step.outcome, "step"))
    return nodes


def graph_edges(results: Sequence[Result]) -> list[tuple[str, str, str]]:
    """(from, to, kind): from a used claim or assumption to the claim using it ("uses"); from a step to its claim."""
    ids = {n.id for n in graph_nodes(results)}
    edges = [(u, r.claim.id, "uses") for r in results for u in r.claim.uses if u in ids]
    edges += [(s.id, r.claim.id, "step") for r in results for s in r.verdict.steps]
    return edges


def _layers(nodes: Sequence[GraphNode], edges: Sequence[tuple[str, str, str]]) -> dict[str, int]:
    """Longest-path depth of each node (sources at 0)."""
    preds: dict[str, list[str]] = {n.id: [] for n in nodes}
    for a, b, _ in edges:
        preds[b].append(a)
    depth: dict[str, int] = {}

    def d(x: str, stack: frozenset[str] = frozenset()) -> int:
        if x not in depth:
            depth[x] = 0 if x in stack else max((d(p, stack | {x}) + 1 for p in preds[x] if p not in stack), default=0)
        return depth[x]

    for n in nodes:
        d(n.id)
    return depth


BOX = 0.95  # half the width of a node's box; columns are 3.2 apart


def graph_figure(results: Sequence[Result]) -> Figure | None:
    """The argument graph drawn with matplotlib: columns by depth, boxes coloured by verdict."""
    nodes = graph_nodes(results)
    if not nodes:
        return None
    edges = graph_edges(results)
    depth = _layers(nodes, edges)
    columns: dict[int, list[GraphNode]] = {}
    for n in nodes:
        columns.setdefault(depth[n.id], []).append(n)
    preds: dict[str, list[str]] = {}
    succs: dict[str, list[str]] = {}
    for a, b, _ in edges:
        preds.setdefault(b, []).append(a)
        succs.setdefault(a, []).append(b)
    pos: dict[str, tuple[float, float]] = {}
    rows = max(len(c) for c in columns.values())

    def height(ids: Sequence[str], default: float) -> float:
        ys = [pos[i][1] for i in ids if i in pos]
        return sum(ys) / len(ys) if ys else default

    def place(col: int, key: Callable[[GraphNode], float]) -> None:
        members = sorted(columns[col], key=key)
        gap = rows / max(1, len(members))
        for i, n in enumerate(members):
            pos[n.id] = (col * 3.2, rows - (i + 0.5) * gap)

    kind_rank = {"claim": 0, "step": 1, "assumption": 2}
    for sweep in range(2):  # top to bottom by the mean height of neighbours (fewer crossings)
        for col in sorted(columns):
            if col == 0:
                place(col, lambda n: (kind_rank[n.kind] * 100.0 if sweep == 0
                                      else -height(succs.get(n.id, []), 0.0) + kind_rank[n.kind] * 0.01))
            else:
                place(col, lambda n: -height(preds.get(n.id, []), 0.0))
    plt = pyplot()
    from matplotlib.patches import FancyArrowPatch, FancyBboxPatch, Patch

    width = 3.2 * (max(columns) + 1)
    fig, ax = plt.subplots(figsize=(max(10.0, width * 1.05), max(7.0, rows * 0.62)))
    for a, b, kind in edges:
        (x0, y0), (x1, y1) = pos[a], pos[b]
        ax.add_patch(FancyArrowPatch((x0 + BOX, y0), (x1 - BOX, y1), arrowstyle="-|>", mutation_scale=12,
                                     color="#777" if kind == "uses" else "#b71c1c", linewidth=0.7,
                                     linestyle="-" if kind == "uses" else ":", shrinkA=0, shrinkB=0))
    for n in nodes:
        x, y = pos[n.id]
        colour = OUTCOME_COLOURS[n.outcome]
        style = "round,pad=0.05,rounding_size=0.35" if n.kind == "step" else "square,pad=0.05"
        ax.add_patch(FancyBboxPatch((x - BOX, y - 0.36), 2 * BOX, 0.72, boxstyle=style, facecolor=colour,
                                    edgecolor="#333", linewidth=0.8, linestyle="--" if n.kind == "assumption" else "-"))
        label = n.label.replace(" given ", "\ngiven ")
        ax.text(x, y, f"{n.id}  {label}", ha="center", va="center",
                fontsize=7.5, color="white" if n.outcome in DARK else "black", fontweight="bold" if n.kind != "step"
                else "normal")
    present = [o for o in OUTCOME_COLOURS if any(n.outcome is o for n in nodes)]
    handles = [Patch(facecolor=OUTCOME_COLOURS[o], edgecolor="#333", label=o.value) for o in present]
    ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.01), ncol=len(handles), fontsize=8,
              frameon=False)
    ax.set_xlim(-BOX - 0.3, width - 3.2 + BOX + 0.3)
    ax.set_ylim(-0.2, rows + 0.2)
    ax.set_axis_off()
    ax.set_title("The post's argument: an arrow from what a claim uses to the claim; dashed boxes are assumptions, "
                 "rounded boxes a claim's sketch steps (dotted red arrows)", fontsize=9)
    fig.tight_layout()
    return fig


def draw_graph(results: Sequence[Result], path: Path) -> bool:
    """Save the argument graph as a PNG."""
    fig = graph_figure(results)
    if fig is None:
        return False
    write_atomic_with(path, lambda tmp: fig.savefig(tmp, dpi=110, format="png"))
    pyplot().close(fig)
    return True
