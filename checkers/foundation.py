"""Checkers for the foundation claims S1–S3: exact and exhaustive over stated finite families.

S1  autoregressive sampling of φ induces a law on Σ*: for every model of the family, `induced`
    equals an independent Fraction recursion, sums to exactly 1 when φ stops by max_len, and
    otherwise raises NonTerminating carrying exactly the mass still running.
S2  footnote 1: induced(derandomize(φ_r)) equals the law of sampling φ_r with fresh coins at
    every step, computed independently by mixing each prefix's laws in Fractions.
S3  every finite D is induced by an AR model: induced(chain_rule(D)) == D for every D of a grid.

Each check takes its implementation as an argument (default: spec's), so a test can hand it a
broken one and see REFUTED.
"""

from __future__ import annotations

import itertools
import math
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Protocol

from checkers.verdict import Level, Outcome, Relation, Statement, Verdict
from spec import (
    STOP,
    Alphabet,
    Autoregressive,
    Dist,
    NonTerminating,
    SpecError,
    alphabet,
    chain_rule,
    derandomize,
    induced,
)
from spec.models import TableModel, TableRandomizedModel, prefixes_upto
from spec.signatures import RandomizedAutoregressive

__all__ = [
    "check_S1",
    "check_S2",
    "check_S3",
    "s1_verdict",
    "s2_verdict",
    "s3_verdict",
    "law_grid",
    "grid_dists",
    "naive_induced",
    "mixture",
    "Family",
]

SYMBOLS = "abc"


class Induce(Protocol):
    """The signature of spec.induced that the checkers use."""

    def __call__(
        self, phi: Autoregressive, prompt: str, *, max_len: int, alphabet: Alphabet | None = None
    ) -> Dist[str]: ...


Construct = Callable[[Dist[str]], Autoregressive]
Derandomize = Callable[[RandomizedAutoregressive, int], Autoregressive]


def _spec_derandomize(phi_r: RandomizedAutoregressive, max_flips: int) -> Autoregressive:
    return derandomize(phi_r, max_flips=max_flips)


# ---- finite families ----------------------------------------------------------------------


def sigma_of(k: int) -> Alphabet:
    """Σ_k: the first k symbols of 'abc'."""
    return alphabet(SYMBOLS[:k])


def law_grid(tokens: Sequence[str], weights: Sequence[int]) -> list[Dist[str]]:
    """Every law on tokens whose weights come from the grid (positive total), each law once."""
    laws: dict[Dist[str], None] = {}
    for ws in itertools.product(weights, repeat=len(tokens)):
        if sum(ws) > 0:
            laws[Dist.from_weights(dict(zip(tokens, ws)))] = None
    return list(laws)


def next_token_grid(sigma: Alphabet, weights: Sequence[int]) -> list[Dist[str]]:
    """The grid of next-token laws over Σ ∪ {STOP}."""
    return law_grid([*sorted(sigma), STOP], weights)


def texts_upto(sigma: Alphabet, max_len: int) -> list[str]:
    """Σ^{≤max_len}."""
    return prefixes_upto(sigma, max_len)


def grid_dists(texts: Sequence[str], weights: Sequence[int], max_support: int | None = None) -> Iterator[Dist[str]]:
    """Every D on the texts with weights from the grid (zeros allowed), support size ≤ max_support."""
    positive = [w for w in weights if w > 0]
    most = len(texts) if max_support is None else min(max_support, len(texts))
    seen: set[Dist[str]] = set()
    for size in range(1, most + 1):
        for support in itertools.combinations(texts, size):
            for ws in itertools.product(positive, repeat=size):
                d = Dist.from_weights(dict(zip(support, ws)))
                if d not in seen:
                    seen.add(d)
                    yield d


@dataclass(frozen=True)
class Family:
    """A finite family of models: its name, Σ size k, length bound L and the weight grid."""

    name: str
    k: int
    max_len: int
    weights: tuple[int, ...]

    def __str__(self) -> str:
        return f"{self.name}(|Σ|={self.k}, L={self.max_len}, weights {set(self.weights)})"


def position_models(f: Family) -> Iterator[TableModel]:
    """φ(x) = G[|x|] for every sequence G_0..G_L of grid laws (G_L free: some never stop)."""
    sigma = sigma_of(f.k)
    grid = next_token_grid(sigma, f.weights)
    prefixes = prefixes_upto(sigma, f.max_len)
    for laws in itertools.product(grid, repeat=f.max_len + 1):
        yield TableModel(sigma, {x: laws[len(x)] for x in prefixes}, f.max_len)


def table_models(f: Family) -> Iterator[TableModel]:
    """φ(x) = table[x] for every assignment of grid laws to the prefixes of Σ^{≤L}."""
    sigma = sigma_of(f.k)
    grid = next_token_grid(sigma, f.weights)
    prefixes = prefixes_upto(sigma, f.max_len)
    for laws in itertools.product(grid, repeat=len(prefixes)):
        yield TableModel(sigma, dict(zip(prefixes, laws)), f.max_len)


def randomized_models(f: Family, most_laws: int) -> Iterator[TableRandomizedModel]:
    """φ_r(x) = laws[x][coin] for every tuple of 1..most_laws grid laws per prefix; STOP at length L."""
    sigma = sigma_of(f.k)
    grid = next_token_grid(sigma, f.weights)
    tuples = [t for m in range(1, most_laws + 1) for t in itertools.product(grid, repeat=m)]
    prefixes = prefixes_upto(sigma, f.max_len)
    free = [x for x in prefixes if len(x) < f.max_len]
    stop = (Dist.point(STOP),)
    for choice in itertools.product(tuples, repeat=len(free)):
        table: dict[str, tuple[Dist[str], ...]] = {x: stop for x in prefixes if len(x) == f.max_len}
        table.update(zip(free, choice))
        yield TableRandomizedModel(sigma, table, f.max_len)


# ---- independent oracles --------------------------------------------------------------------


def naive_induced(phi: Autoregressive, prompt: str, max_len: int) -> tuple[dict[str, Fraction], Fraction]:
    """Independent oracle: the tree expanded recursively, each path's mass an exact integer ratio
    (numerator, denominator) made a Fraction once at its end; (mass per text, leaked mass)."""
    mass: dict[str, Fraction] = {}
    leaked = Fraction(0)

    def grow(x: str, n: int, d: int) -> None:
        nonlocal leaked
        law = phi(prompt, x)
        dd = d * law.denominator
        for tok, m in law.numerators():
            if tok == STOP:
                mass[x] = Fraction(n * m, dd)
            elif len(x) >= max_len:
                leaked += Fraction(n * m, dd)
            else:
                grow(x + tok, n * m, dd)

    grow("", 1, 1)
    return mass, leaked


def mixture(laws: Sequence[Dist[str]]) -> dict[str, Fraction]:
    """The average of the laws, each with weight 1/len(laws), in Fractions."""
    out: dict[str, Fraction] = {}
    for law in laws:
        for tok, q in law.items():
            out[tok] = out.get(tok, Fraction(0)) + q / len(laws)
    return out


def mixture_law(laws: Sequence[Dist[str]]) -> Dist[str]:
    """The average of the laws, each with weight 1/len(laws): the same law as Dist(mixture(laws)),
    summed in integers over one common denominator and normalised once."""
    common = math.lcm(*(law.denominator for law in laws))
    out: dict[str, int] = {}
    for law in laws:
        scale = common // law.denominator
        for tok, n in law.numerators():
            out[tok] = out.get(tok, 0) + n * scale
    return Dist.from_weights(out)


def averaged_table(phi_r: TableRandomizedModel) -> TableModel:
    """The table of mixtures: what sampling φ_r with fresh fair coins at each step does."""
    return TableModel(phi_r.alphabet, {x: mixture_law(laws) for x, laws in phi_r.table.items()}, phi_r.max_len)


# ---- verdict plumbing -----------------------------------------------------------------------


def _show(law: Dist[str] | dict[str, Fraction]) -> str:
    return "{" + ", ".join(f"{x!r}: {p}" for x, p in sorted(law.items())) + "}"


def _show_table(model: TableModel | TableRandomizedModel) -> str:
    return f"Σ={''.join(sorted(model.alphabet))!r}, L={model.max_len}, table={dict(model.table)!r}"


# ---- S1 -------------------------------------------------------------------------------------

S1_SCOPES: dict[Level, tuple[tuple[str, Family], ...]] = {
    Level.QUICK: (
        ("position", Family("position", 1, 4, (0, 1, 2))),
        ("position", Family("position", 2, 3, (0, 1))),
        ("position", Family("position", 3, 2, (0, 1))),
        ("table", Family("table", 1, 4, (0, 1))),
        ("table", Family("table", 2, 1, (0, 1, 2))),
    ),
    Level.STANDARD: (
        ("position", Family("position", 1, 4, (0, 1, 2))),
        ("position", Family("position", 2, 4, (0, 1))),
        ("position", Family("position", 3, 3, (0, 1))),
        ("table", Family("table", 1, 4, (0, 1, 2))),
        ("table", Family("table", 2, 1, (0, 1, 2))),
    ),
    Level.DEEP: (
        ("position", Family("position", 1, 4, (0, 1, 2, 3))),
        ("position", Family("position", 2, 4, (0, 1))),  # weights {0,1,2} here took ~20 min: kept out
        ("position", Family("position", 3, 4, (0, 1))),
        ("table", Family("table", 1, 4, (0, 1, 2, 3))),
        ("table", Family("table", 2, 2, (0, 1))),
    ),
}


def s1_problem(model: TableModel, induce: Induce) -> str | None:
    """Why induce disagrees with the oracle on this model, or None when it agrees exactly."""
    return _s1_compare(model, induce, *naive_induced(model, "", model.max_len))


def _s1_compare(model: TableModel, induce: Induce, mass: dict[str, Fraction], leaked: Fraction) -> str | None:
    try:
        got = induce(model, "", max_len=model.max_len, alphabet=model.alphabet)
    except NonTerminating as e:
        if leaked == 0:
            return f"NonTerminating (mass {e.mass}) for a model that stops by L; oracle law {_show(mass)}"
        if e.mass != leaked:
            return f"NonTerminating carries mass {e.mass}, the oracle leaks {leaked}"
        return None
    except SpecError as e:  # an error on a valid model is itself a counterexample
        return f"raised {type(e).__name__}: {e}"
    if leaked:
        return f"returned {got!r} though mass {leaked} has not stopped by L"
    total = Fraction(sum(n for _, n in got.numerators()), got.denominator)  # exact, one division
    if total != 1:
        return f"the induced law sums to {total}, not 1"
    if got != Dist(mass):
        return f"induced {_show(got)} but the oracle gives {_show(mass)}"
    return None


def s1_statement(level: Level, outcome: Outcome) -> Statement:
    """S1's formal statement over the families of S1_SCOPES[level] (a finite special case of the post's)."""
    families = "; ".join(str(f) for _, f in S1_SCOPES[level])
    return Statement(
        f"for every model φ of {families}: induced(φ) agrees exactly with an independent recursion, sums to exactly 1 "
        "when φ stops within L, and otherwise reports exactly the mass not stopped by L",
        Relation.SPECIAL_CASE, outcome)


def s1_verdict(level: Level, induce: Induce = induced) -> Verdict:
    """S1 over the families of S1_SCOPES[level], with the given implementation of induced."""
    start = time.perf_counter()
    rows: list[dict[str, object]] = []
    evidence: list[str] = []
    for kind, fam in S1_SCOPES[level]:
        models = position_models(fam) if kind == "position" else table_models(fam)
        count = stopping = leaking = 0
        for model in models:
            count += 1
            mass, leaked = naive_induced(model, "", model.max_len)
            problem = _s1_compare(model, induce, mass, leaked)
            if problem is not None:
                return Verdict(
                    Outcome.REFUTED,
                    scope=f"{fam}",
                    method="induced vs an independent Fraction recursion",
                    evidence=(f"model {count} of family {fam}",),
                    counterexample=f"{problem}; model: {_show_table(model)}",
                    seconds=time.perf_counter() - start,
                    statements=(s1_statement(level, Outcome.REFUTED),),
                )
            leaking, stopping = (leaking + 1, stopping) if leaked else (leaking, stopping + 1)
        rows.append({"family": str(fam), "models": count, "stop_by_L": stopping, "leak": leaking})
        evidence.append(f"{fam}: {count} models, {stopping} sum to exactly 1, {leaking} leak the exact mass")
    scope = "; ".join(str(f) for _, f in S1_SCOPES[level])
    return Verdict(
        Outcome.HOLDS,
        scope=f"every model of: {scope} (position: φ(x) = G[|x|]; table: φ(x) = T[x]; laws over Σ∪{{STOP}} with grid weights)",
        method="exhaustive; induced vs an independent Fraction recursion; Σ P = 1 or NonTerminating.mass = leaked",
        evidence=tuple(evidence),
        seconds=time.perf_counter() - start,
        data={"families": rows},
        statements=(s1_statement(level, Outcome.HOLDS),),
    )


def check_S1(level: Level) -> Verdict:
    """S1: autoregressive sampling induces a distribution on Σ* (leaked mass reported exactly)."""
    return s1_verdict(level)


# ---- S2 -------------------------------------------------------------------------------------

S2_SCOPES: dict[Level, tuple[tuple[Family, int], ...]] = {
    Level.QUICK: (
        (Family("randomized", 1, 3, (0, 1)), 2),
        (Family("randomized", 2, 1, (0, 1)), 3),
        (Family("randomized", 3, 1, (0, 1)), 2),
    ),
    Level.STANDARD: (
        (Family("randomized", 1, 3, (0, 1, 2)), 2),
        (Family("randomized", 2, 1, (0, 1, 2)), 3),
        (Family("randomized", 3, 1, (0, 1)), 3),
    ),
    Level.DEEP: (
        (Family("randomized", 1, 3, (0, 1, 2)), 2),
        (Family("randomized", 1, 4, (0, 1)), 2),
        (Family("randomized", 2, 1, (0, 1, 2)), 3),
        (Family("randomized", 2, 1, (0, 1, 2, 3)), 2),
        (Family("randomized", 2, 2, (0, 1)), 2),
        (Family("randomized", 3, 1, (0, 1)), 3),
    ),
}


def s2_problem(phi_r: TableRandomizedModel, derand: Derandomize, induce: Induce) -> str | None:
    """Why induced(derandomize(φ_r)) differs from the law of sampling φ_r, or None."""
    mass, leaked = naive_induced(averaged_table(phi_r), "", phi_r.max_len)
    assert leaked == 0, "the randomized family stops at L by construction"
    try:
        got = induce(derand(phi_r, 1), "", max_len=phi_r.max_len, alphabet=phi_r.alphabet)
    except NonTerminating as e:
        return f"NonTerminating (mass {e.mass}) though every run stops within L and uses one coin"
    except SpecError as e:
        return f"raised {type(e).__name__}: {e}"
    if got != Dist(mass):
        return f"induced(derandomize) = {_show(got)} but sampling φ_r gives {_show(mass)}"
    return None


def s2_statement(level: Level, outcome: Outcome) -> Statement:
    """S2's formal statement over S2_SCOPES[level]: the averaging half of footnote 1 (polytime-ness is not checked)."""
    families = "; ".join(f"{f} with 1..{m} laws per prefix" for f, m in S2_SCOPES[level])
    return Statement(
        f"for every randomized table model φ_r of {families}: induced(derandomize(φ_r)) equals the law of "
        "sampling φ_r with fresh coins at every step",
        Relation.SPECIAL_CASE, outcome)


def s2_verdict(level: Level, derand: Derandomize = _spec_derandomize, induce: Induce = induced) -> Verdict:
    """S2 over the randomized families of S2_SCOPES[level]."""
    start = time.perf_counter()
    rows: list[dict[str, object]] = []
    evidence: list[str] = []
    for fam, most in S2_SCOPES[level]:
        count = 0
        for phi_r in randomized_models(fam, most):
            count += 1
            problem = s2_problem(phi_r, derand, induce)
            if problem is not None:
                return Verdict(
                    Outcome.REFUTED,
                    scope=f"{fam}, 1..{most} laws per prefix",
                    method="induced(derandomize(φ_r)) vs the Fraction mixture of φ_r's laws",
                    evidence=(f"model {count} of family {fam}",),
                    counterexample=f"{problem}; φ_r: {_show_table(phi_r)}",
                    seconds=time.perf_counter() - start,
                    statements=(s2_statement(level, Outcome.REFUTED),),
                )
        rows.append({"family": str(fam), "laws_per_prefix": most, "models": count})
        evidence.append(f"{fam}, 1..{most} laws per prefix (a fair coin picks one): {count} models, all equal")
    scope = "; ".join(f"{f} with 1..{m} laws per prefix" for f, m in S2_SCOPES[level])
    return Verdict(
        Outcome.HOLDS,
        scope=f"every randomized table model of: {scope} (STOP forced at length L)",
        method=(
            "exhaustive; induced(derandomize(φ_r, max_flips=1)) == law of sampling φ_r with fresh coins, "
            "computed independently as a Fraction mixture per prefix; polytime-ness of γ is not checked"
        ),
        evidence=tuple(evidence),
        seconds=time.perf_counter() - start,
        data={"families": rows},
        statements=(s2_statement(level, Outcome.HOLDS),),
    )


def check_S2(level: Level) -> Verdict:
    """S2 (footnote 1): averaging φ_r over its coins gives a deterministic γ with the same induced law."""
    return s2_verdict(level)


# ---- S3 -------------------------------------------------------------------------------------

# (|Σ|, L, weight grid, most support size or None for all supports)
S3Scope = tuple[int, int, tuple[int, ...], int | None]
S3_SCOPES: dict[Level, tuple[S3Scope, ...]] = {
    Level.QUICK: (
        (1, 4, (1, 2, 3), None),
        (2, 2, (1, 2, 3), None),
        (2, 3, (1, 2), 2),
        (3, 1, (1, 2, 3), None),
    ),
    Level.STANDARD: (
        (1, 4, (1, 2, 3), None),
        (2, 2, (1, 2, 3), None),
        (2, 3, (1,), None),
        (2, 3, (1, 2, 3), 3),
        (3, 2, (1,), None),
        (3, 2, (1, 2), 3),
    ),
    Level.DEEP: (
        (1, 4, (1, 2, 3, 4), None),
        (2, 2, (1, 2, 3, 4), None),
        (2, 3, (1,), None),
        (2, 3, (1, 2, 3), 4),
        (3, 2, (1,), None),
        (3, 3, (1, 2), 3),
    ),
}


def _s3_scope_text(k: int, max_len: int, weights: tuple[int, ...], most: int | None) -> str:
    support = "all supports" if most is None else f"supports of size ≤ {most}"
    return f"|Σ|={k}, texts of length ≤ {max_len}, {support}, weights in {set(weights)}"


def s3_problem(d: Dist[str], sigma: Alphabet, max_len: int, construct: Construct, induce: Induce) -> str | None:
    """Why the round trip fails on D, or None when induced(construct(D)) == D exactly."""
    try:
        got = induce(construct(d), "", max_len=max_len, alphabet=sigma)
    except NonTerminating as e:
        return f"NonTerminating (mass {e.mass})"
    except SpecError as e:
        return f"raised {type(e).__name__}: {e}"
    if got != d:
        return f"induced(chain_rule(D)) = {_show(got)}"
    return None


def s3_statement(level: Level, outcome: Outcome) -> Statement:
    """S3's formal statement over the grids of S3_SCOPES[level]."""
    return Statement(
        "for every law D of: " + "; ".join(_s3_scope_text(*sc) for sc in S3_SCOPES[level])
        + ": induced(chain_rule(D)) = D exactly (D is induced by an autoregressive model)",
        Relation.SPECIAL_CASE, outcome)


def s3_verdict(level: Level, construct: Construct = chain_rule, induce: Induce = induced) -> Verdict:
    """S3 over every D of the grids of S3_SCOPES[level]."""
    start = time.perf_counter()
    rows: list[dict[str, object]] = []
    evidence: list[str] = []
    for k, max_len, weights, most in S3_SCOPES[level]:
        sigma = sigma_of(k)
        texts = texts_upto(sigma, max_len)
        count = 0
        for d in grid_dists(texts, weights, most):
            count += 1
            problem = s3_problem(d, sigma, max_len, construct, induce)
            if problem is not None:
                return Verdict(
                    Outcome.REFUTED,
                    scope=_s3_scope_text(k, max_len, weights, most),
                    method="induced(chain_rule(D)) == D, exact",
                    evidence=(f"D number {count} of the grid",),
                    counterexample=f"D = {_show(d)}: {problem}",
                    seconds=time.perf_counter() - start,
                    statements=(s3_statement(level, Outcome.REFUTED),),
                )
        rows.append({"sigma": k, "max_len": max_len, "weights": str(weights), "max_support": most or len(texts),
                     "texts": len(texts), "dists": count})
        evidence.append(f"{_s3_scope_text(k, max_len, weights, most)}: {count} distinct D, all round-trip exactly")
    return Verdict(
        Outcome.HOLDS,
        scope="every D of: " + "; ".join(_s3_scope_text(*s) for s in S3_SCOPES[level]),
        method="exhaustive; induced(chain_rule(D), max_len=L) == D as exact distributions",
        evidence=tuple(evidence),
        seconds=time.perf_counter() - start,
        data={"grids": rows},
        statements=(s3_statement(level, Outcome.HOLDS),),
    )


def check_S3(level: Level) -> Verdict:
    """S3: every finite response law D is induced by an AR model (the chain rule)."""
    return s3_verdict(level)
