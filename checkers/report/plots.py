"""The report's plots: measured or proven data against the post's claim, and the argument graph.

Each plot is built by a function that returns a matplotlib Figure (testable: its axes, labels and
ticks can be inspected before anything is written); `draw` saves it. Axis labels are words with
units, integer axes have integer ticks, each axis has one unit, and where a picture could mislead
the caveat is written in the figure itself.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

from checkers.claims import Result
from checkers.report.outputs import write_atomic_with
from checkers.verdict import Outcome

__all__ = [
    "PLOTS", "GraphNode", "PlotSpec", "axes_of", "build", "draw", "draw_graph", "graph_edges",
    "graph_figure", "graph_nodes",
]

Figure = Any  # matplotlib.figure.Figure (matplotlib is untyped)

OUTCOME_COLOURS = {
    Outcome.PROVED: "#2e7d32", Outcome.HOLDS: "#66bb6a", Outcome.STATISTICAL: "#aed581",
    Outcome.UNESTABLISHED: "#ffb74d", Outcome.REFUTED: "#e53935", Outcome.UNKNOWN: "#9e9e9e",
    Outcome.ERROR: "#6d4c41", Outcome.NOT_CHECKED: "#e0e0e0", Outcome.ASSUMED: "#e3f2fd",
}
DARK = frozenset({Outcome.PROVED, Outcome.REFUTED, Outcome.ERROR, Outcome.UNKNOWN})


def _plt() -> Any:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def _num(v: object) -> float | None:
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


def _table(results: Sequence[Result], claim: str, table: str) -> list[dict[str, object]]:
    for r in results:
        if r.claim.id == claim:
            rows = r.verdict.data.get(table)
            if isinstance(rows, list):
                return [row for row in rows if isinstance(row, dict)]
    return []


def _integer_x(ax: Any) -> None:
    from matplotlib.ticker import MaxNLocator

    ax.xaxis.set_major_locator(MaxNLocator(integer=True))


def _caveat(fig: Any, text: str) -> None:
    """A caveat written in the figure, under the axes (wrapped to the figure's width)."""
    width = int(fig.get_size_inches()[0] * 15.5)
    fig.text(0.01, 0.01, textwrap.fill(text, width), fontsize=8, ha="left", va="bottom", color="#5d4037",
             bbox={"boxstyle": "round", "facecolor": "#fff8e1", "edgecolor": "#ffb300"})


# ---- F3: the work per token, counted and timed -------------------------------------------------------------


def f3_figure(results: Sequence[Result]) -> Figure | None:
    """F3: operations per token counted (top) and measured seconds to factor (bottom), on the same n."""
    rows = sorted(_table(results, "F3", "F3_cost"), key=lambda r: _num(r.get("n")) or 0)
    if not rows:
        return None
    plt = _plt()
    fig, (top, bottom) = plt.subplots(2, 1, figsize=(8, 8.2), sharex=True)
    n = [_num(r.get("n")) or 0.0 for r in rows]

    def series(ax: Any, key: str, label: str, style: str, colour: str) -> list[float]:
        pts = [(x, y) for x, r in zip(n, rows) if (y := _num(r.get(key))) is not None and y > 0]
        if pts:
            ax.plot([p[0] for p in pts], [p[1] for p in pts], style, label=label, markersize=4, color=colour)
        return [p[0] for p in pts]

    series(top, "multiplications_per_product_token", "[p,q,pq]: multiplications per digit of pq", "o-", "C0")
    series(top, "primality_tests_per_prime", "[p,q,pq]: primality tests per prime (rejection sampling)", "s-", "C4")
    divided = series(top, "trial_divisions_median", "[pq,p,q] at '[s,': trial divisions to factor s (median)", "^-",
                     "C3")
    floor = [1 + (10 ** (int(x) - 1) - 1) // 2 if x > 1 else 1 for x in n]
    top.plot(n, floor, "k--", linewidth=0.8, label="proven floor for trial division: 1 + (10^(n−1) − 1)/2")
    top.set_yscale("log")
    top.set_ylabel("operations for one token (count)")
    top.set_title("F3: work to emit the next token, [p,q,pq] vs [pq,p,q] (counted)", fontsize=10)
    top.legend(fontsize=7, loc="upper left")

    stops: list[str] = []
    for key, label, style, colour in (("trial_seconds", "trial division", "^-", "C3"),
                                      ("sympy_seconds", "sympy factorint", "d-", "C1"),
                                      ("flint_seconds", "FLINT (python-flint) factor", "o-", "C2")):
        xs = series(bottom, key, label, style, colour)
        if xs and max(xs) < max(n):
            stops.append(f"{label} not run beyond n = {int(max(xs))}")
    bottom.set_yscale("log")
    bottom.set_xlabel("n, digits per prime factor")
    bottom.set_ylabel("seconds to factor one s (median)")
    bottom.set_title("measured wall time to factor s = pq on this machine", fontsize=10)
    bottom.legend(fontsize=7, loc="upper left")
    _integer_x(bottom)
    flint_last = next((_num(r.get("flint_seconds")) for r in reversed(rows) if (_num(r.get("flint_seconds")) or 0) > 0),
                      None)
    last = rows[-1]
    divisions = _num(last.get("trial_divisions_median"))
    if flint_last and divisions and divided:
        exp = int(math.floor(math.log10(divisions)))
        top.annotate(f"n = {int(max(n))}: ${divisions / 10 ** exp:.1f}\\cdot 10^{{{exp}}}$ trial divisions,\n"
                     f"but FLINT factors it in {flint_last:.2g} s (below)", xy=(max(divided), divisions),
                     xytext=(0.5, 0.16), textcoords="axes fraction",
                     fontsize=8, color="C3", arrowprops={"arrowstyle": "->", "color": "C3"})
    note = ("Caveat: trial division is the naive algorithm. Its count grows 10x per digit, but FLINT factors the same "
            f"n = {int(max(n))} numbers in about {flint_last:.2g} s. " if flint_last else
            "Caveat: trial division is the naive algorithm; good factoring algorithms are far faster. ")
    note += "The gap between the two orders is asymptotic and rests on the assumption X1, not on these curves."
    if stops:
        note += " Series that stop: " + "; ".join(stops) + " (too slow there)."
    fig.tight_layout(rect=(0, 0.09, 1, 1))
    _caveat(fig, note)
    return fig


# ---- R5: the deterministic prime generator's exact TVD -----------------------------------------------------


def r5_figure(results: Sequence[Result]) -> Figure | None:
    """R5: exact TVD vs n at fixed m (left) and vs m at fixed n (right); exact zeros marked at the floor."""
    rows = _table(results, "R5", "R5_tvd")
    pts = [(int(n), int(m), t) for r in rows
           if (n := _num(r.get("n"))) is not None and (m := _num(r.get("m"))) is not None
           and (t := _num(r.get("tvd"))) is not None]
    if not pts:
        return None
    plt = _plt()
    fig, (left, right) = plt.subplots(1, 2, figsize=(10, 4.8), sharey=True)
    positive = [t for _, _, t in pts if t > 0]
    floor = 10 ** math.floor(math.log10(min(positive))) / 4 if positive else 1e-3  # where exact zeros are drawn
    top_n = max(n for n, _, _ in pts)
    for m in sorted({m for _, m, _ in pts}):
        line = sorted((n, t) for n, mm, t in pts if mm == m and t > 0)
        if line:
            left.plot([p[0] for p in line], [p[1] for p in line], "o-", label=f"m = {m} last digit{'' if m == 1 else 's'} counted exactly")
    zeros = sorted((n, m) for n, m, t in pts if t == 0)
    if zeros:
        left.plot([z[0] for z in zeros], [floor] * len(zeros), "kv", label="TVD = 0 exactly (m = n: every digit counted)")
        right.plot([z[1] for z in zeros], [floor] * len(zeros), "kv", label="TVD = 0 exactly (m = n)")
    for n in sorted({n for n, _, _ in pts}):
        line = sorted((m, t) for nn, m, t in pts if nn == n and t > 0)
        if line:
            right.plot([p[0] for p in line], [p[1] for p in line], "o-", label=f"n = {n} digit{'' if n == 1 else 's'}")
    for ax in (left, right):
        ax.set_yscale("log")
        ax.set_ylim(floor / 2, 1.5)
        if zeros:
            ax.axhline(floor * 1.9, color="#999", linestyle=":", linewidth=0.8)
            ax.annotate("0", xy=(0, floor), xycoords=("axes fraction", "data"), xytext=(-6, 0),
                        textcoords="offset points", ha="right", va="center", fontsize=10)
        _integer_x(ax)
        ax.legend(fontsize=7)
    left.set_xlabel("n, digits of the prime")
    right.set_xlabel("m, last digits counted exactly")
    left.set_ylabel("exact TVD to Unif(n-digit primes) (no unit)")
    left.set_title("at fixed m the error grows with n (the post: 'exponentially small')", fontsize=9)
    right.set_title("at fixed n the error falls 4-9x per exactly counted digit", fontsize=9)
    fig.tight_layout(rect=(0, 0.09, 1, 1))
    _caveat(fig, f"Each line ends where the checked scope ends (n ≤ {top_n} at this level; m ≤ n, and m = 0 only "
                 "for small n). A line with one point has one (n, m) in scope with TVD > 0; TVD = 0 cannot sit on "
                 "a log axis: it is drawn as ▼ on the row marked 0, under the dotted break.")
    return fig


# ---- A5 and A6: the exact optimum under the proven bound -------------------------------------------------


def _a5_points(results: Sequence[Result]) -> list[tuple[Fraction, Fraction, bool]]:
    out = []
    for r in _table(results, "A5", "plot"):
        try:
            out.append((Fraction(str(r["mean_p"])), Fraction(str(r["opt"])), bool(r.get("tight"))))
        except (KeyError, ValueError, ZeroDivisionError):
            continue
    return out


def a5_figure(results: Sequence[Result]) -> Figure | None:
    """A5: the exact greedy optimum² of sampled success profiles and of the tight family, under the bound mean p."""
    pts = _a5_points(results)
    if not pts:
        return None
    plt = _plt()
    fig, ax = plt.subplots(figsize=(7, 5.2))
    sampled = [(float(m), float(o * o)) for m, o, t in pts if not t]
    tight = [(float(m), float(o * o)) for m, o, t in pts if t]
    ax.plot([0, 1], [0, 1], "k--", linewidth=0.9, label="proven bound (all N): opt² = mean p")
    if sampled:
        ax.plot([p[0] for p in sampled], [p[1] for p in sampled], "o", markersize=4, alpha=0.7,
                label=f"{len(sampled)} sampled profiles p (exact optimum)")
    if tight:
        ax.plot([p[0] for p in tight], [p[1] for p in tight], "r*", markersize=9,
                label=f"tight family p = (k/N,…,k/N,0,…): opt² = mean p ({len(tight)})")
    ax.set_xlim(0, 1.02)
    ax.set_ylim(0, 1.02)
    ax.set_xlabel("mean success probability of factoring, (1/N)·Σ p_i")
    ax.set_ylabel("best overlap squared, opt² (exact, over all mixtures a)")
    ax.set_title("A5: every exact optimum lies on or under the proven bound opt² ≤ mean p", fontsize=10)
    ax.legend(fontsize=8, loc="upper left")
    fig.tight_layout()
    return fig


def a6_figure(results: Sequence[Result]) -> Figure | None:
    """A6: the exact least TVD of sampled profiles (1 − opt) and the certified bound 1 − √ε, against ε."""
    pts = [(float(m), float(1 - o), t) for m, o, t in _a5_points(results) if m > 0]
    bounds = [(e, b) for r in _table(results, "A6", "tvd_bound")
              if (e := _num(r.get("eps"))) is not None and (b := _num(r.get("tvd_lower_bound"))) is not None]
    if not pts and not bounds:
        return None
    plt = _plt()
    fig, ax = plt.subplots(figsize=(7, 5.2))
    lo = min([e for e, _ in bounds] + [p[0] for p in pts])
    xs = [10 ** (math.log10(lo) * (1 - i / 200)) for i in range(201)]
    ax.plot(xs, [1 - math.sqrt(x) for x in xs], "k--", linewidth=0.9, label="proven: TVD ≥ 1 − √ε (A2 + A5)")
    if bounds:
        ax.plot([b[0] for b in bounds], [b[1] for b in bounds], "bs", markersize=5,
                label="certified rational lower bounds 1 − u, u² ≥ ε (A6's table)")
    sampled = [p for p in pts if not p[2]]
    tight = [p for p in pts if p[2]]
    if sampled:
        ax.plot([p[0] for p in sampled], [p[1] for p in sampled], "o", markersize=4, alpha=0.7,
                label="sampled profiles p: exact least TVD, 1 − opt, at ε = mean p")
    if tight:
        ax.plot([p[0] for p in tight], [p[1] for p in tight], "r*", markersize=9, label="tight family (on the bound)")
    ax.set_xscale("log")
    ax.set_ylim(-0.02, 1.02)
    ax.set_xlabel("ε, the mean success probability of factoring (log scale)")
    ax.set_ylabel("TVD between φ's law and Unif(S_n) (no unit, 0 to 1)")
    ax.set_title("A6: TVD = 1 − o(1) as ε → 0; exact instances never fall under the bound", fontsize=10)
    ax.legend(fontsize=8, loc="lower left")
    fig.tight_layout(rect=(0, 0.1, 1, 1))
    smallest = min((m for m, _, _ in _a5_points(results) if m > 0), default=None)
    reach = f"exact instances reach down to mean p = {smallest} (A5's sampled and tight profiles, N ≤ 8)" \
        if smallest is not None else "no exact instances in this run (A5 not run)"
    _caveat(fig, f"Points: {reach}; below that the curve is the proof, shown by its certified rational points. "
                 "That ε → 0 is the hardness assumption X1, not something shown here.")
    return fig


# ---- G1: Twenty Questions ------------------------------------------------------------------------------------


def g1_figure(results: Sequence[Result]) -> Figure | None:
    """G1: objects examined per answer, AR answerer vs committed answerer, against the universe size."""
    rows = sorted(_table(results, "G1", "g1_cost"), key=lambda r: _num(r.get("b")) or 0)
    pts = [(int(b), a, c) for r in rows if (b := _num(r.get("b"))) is not None
           and (a := _num(r.get("ar_objects_per_token"))) is not None and (c := _num(r.get("committed_objects"))) is not None]
    if not pts:
        return None
    plt = _plt()
    fig, ax = plt.subplots(figsize=(7, 4.6))
    xs = [2 ** b for b, _, _ in pts]
    ax.plot(xs, [a for _, a, _ in pts], "o-", label="autoregressive answerer: P(yes | transcript) by counting")
    ax.plot(xs, [c for _, _, c in pts], "s-", label="committed answerer (hidden object): 1")
    ax.set_xscale("log", base=2)
    ax.set_yscale("log", base=2)
    ax.set_xticks(xs)
    ax.set_xticklabels([f"$2^{{{b}}}$" for b, _, _ in pts])
    ax.set_xlabel("universe size, number of objects (log scale)")
    ax.set_ylabel("objects examined per answered question (count)")
    ax.set_title("G1: Twenty Questions with SHA-256 bit questions", fontsize=10)
    ax.legend(fontsize=8, loc="upper left")
    fig.tight_layout(rect=(0, 0.07, 1, 1))
    _caveat(fig, "This answerer tries every object; that no faster way exists for SHA-256 bits is the assumption "
                 "H-SHA256, not shown by the curve.")
    return fig


@dataclass(frozen=True)
class PlotSpec:
    """A plot of the report: the claim it belongs to, its file, its caption, and the function that builds it."""

    claim: str
    filename: str
    title: str
    build: Callable[[Sequence[Result]], Figure | None]


PLOTS: tuple[PlotSpec, ...] = (
    PlotSpec("F3", "f3_cost.png",
             "F3: operations per token counted, and seconds to factor measured, against n (caveat in the figure)",
             f3_figure),
    PlotSpec("R5", "r5_tvd.png", "R5: exact TVD of the deterministic prime generator against n and m", r5_figure),
    PlotSpec("A5", "a5_bound.png", "A5: exact optimum² of sampled profiles and the tight family under mean p",
             a5_figure),
    PlotSpec("A6", "a6_tvd.png", "A6: exact least TVD of sampled profiles and the certified bound 1 − √ε", a6_figure),
    PlotSpec("G1", "g1_cost.png", "G1: objects examined per answer, autoregressive vs committed answerer", g1_figure),
)


def build(spec: PlotSpec, results: Sequence[Result]) -> Figure | None:
    """The plot's figure (None when its claims were not run or have no data), not yet saved."""
    return spec.build(results)


def axes_of(fig: Figure) -> list[Any]:
    """The figure's data axes."""
    return list(fig.get_axes())


def draw(spec: PlotSpec, results: Sequence[Result], path: Path) -> bool:
    """Build the plot from all results (A6's uses A5's exact instances) and save it as a PNG; False when empty."""
    fig = build(spec, results)
    if fig is None:
        return False
    write_atomic_with(path, lambda tmp: fig.savefig(tmp, dpi=110, format="png"))
    _plt().close(fig)
    return True


# ---- the argument graph ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class GraphNode:
    """A node of the argument graph: a claim, an assumption or a sketch step, with its verdict."""

    id: str
    label: str  # the verdict as shown ("PROVED given X1")
    outcome: Outcome
    kind: str  # "claim", "assumption" or "step"


def graph_nodes(results: Sequence[Result]) -> list[GraphNode]:
    """Every claim, every assumption a claim uses (X1, X2, H-…), and every sketch step."""
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
    plt = _plt()
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
                 "rounded boxes A5's sketch steps (dotted red arrows)", fontsize=9)
    fig.tight_layout()
    return fig


def draw_graph(results: Sequence[Result], path: Path) -> bool:
    """Save the argument graph as a PNG."""
    fig = graph_figure(results)
    if fig is None:
        return False
    write_atomic_with(path, lambda tmp: fig.savefig(tmp, dpi=110, format="png"))
    _plt().close(fig)
    return True
