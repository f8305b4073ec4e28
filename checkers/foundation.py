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

import functools
import itertools
import math
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from functools import reduce
from typing import Any, Protocol, TypeVar

import z3

from checkers import smt
from checkers.smt import ProofAttempt, refutes, sum_terms
from checkers.smt.proof import (
    INDUCTION_SCHEMA,
    SOLVERS_SOUND,
    Checked,
    Induction,
    Obligation,
    Premise,
    Proof,
    ProofReport,
    Use,
    attempt_verdict,
    check_obligations,
    check_proof,
    checked_verdict,
    proof_verdict,
)
from checkers.verdict import Level, Outcome, Relation, Statement, Twin, Verdict, verdict
from spec import (
    STOP,
    Alphabet,
    Autoregressive,
    Dist,
    NonTerminating,
    SpecError,
    Coins,
    alphabet,
    chain_rule,
    derandomize,
    enumerate_runs,
    induced,
)
from spec.errors import InvalidArgument, require_int
from spec.models import TableModel, TableRandomizedModel, prefixes_upto
from spec.signatures import RandomizedAutoregressive

A = TypeVar("A")

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
    "MAX_K",
    "SYMBOLS",
    "RLIMIT",
    "CHUNK",
    "digit_texts",
    "naive_encoding",
    "node_obligations",
    "ConditioningProof",
    "prove_conditioning_naive",
    "prove_conditioning_decomposed",
    "conditioning_problem",
    "Refutation",
    "refute_conditioning_without_premise",
    "step_obligation",
    "conditioning_proof",
    "conditioning_step_proof",
    "leaf_obligation",
    "HEIGHT_INDUCTION",
    "FIXED_SCOPES",
    "AllLengths",
    "prove_all_lengths",
    "check_S4",
    "TWINS_S1",
    "TWINS_S2",
    "TWINS_S3",
    "TWINS_S4",
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
    leaks: dict[int, int] = {}  # leaked numerators summed by denominator, made a Fraction once

    def grow(x: str, n: int, d: int) -> None:
        law = phi(prompt, x)
        dd = d * law.denominator
        for tok, m in law.numerators():
            if tok == STOP:
                mass[x] = Fraction(n * m, dd)
            elif len(x) >= max_len:
                leaks[dd] = leaks.get(dd, 0) + n * m
            else:
                grow(x + tok, n * m, dd)

    grow("", 1, 1)
    common = math.lcm(*leaks)
    return mass, Fraction(sum(m * (common // dd) for dd, m in leaks.items()), common)


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


_MIXTURES: dict[tuple[Dist[str], ...], Dist[str]] = {}  # mixture_law of each tuple of laws met (Dists are immutable)


def averaged_table(phi_r: TableRandomizedModel) -> TableModel:
    """The table of mixtures: what sampling φ_r with fresh fair coins at each step does."""
    table: dict[str, Dist[str]] = {}
    for x, laws in phi_r.table.items():
        key = tuple(laws)
        law = _MIXTURES.get(key)
        if law is None:
            if len(_MIXTURES) >= 1 << 16:
                _MIXTURES.clear()
            law = _MIXTURES[key] = mixture_law(key)
        table[x] = law
    return TableModel(phi_r.alphabet, table, phi_r.max_len)


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
    return _s1_law_problem(model, induce, *naive_induced(model, "", model.max_len))


def _s1_law_problem(model: TableModel, induce: Induce, mass: dict[str, Fraction], leaked: Fraction) -> str | None:
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
    rows: list[dict[str, object]] = []
    evidence: list[str] = []
    for kind, fam in S1_SCOPES[level]:
        models = position_models(fam) if kind == "position" else table_models(fam)
        count = stopping = leaking = 0
        for model in models:
            count += 1
            mass, leaked = naive_induced(model, "", model.max_len)
            problem = _s1_law_problem(model, induce, mass, leaked)
            if problem is not None:
                return verdict(
                    Outcome.REFUTED,
                    scope=f"{fam}",
                    method="induced vs an independent Fraction recursion",
                    evidence=(f"model {count} of family {fam}",),
                    counterexample=f"{problem}; model: {_show_table(model)}",
                    statements=(s1_statement(level, Outcome.REFUTED),),
                )
            leaking, stopping = (leaking + 1, stopping) if leaked else (leaking, stopping + 1)
        rows.append({"family": str(fam), "models": count, "stop_by_L": stopping, "leak": leaking})
        evidence.append(f"{fam}: {count} models, {stopping} sum to exactly 1, {leaking} leak the exact mass")
    scope = "; ".join(str(f) for _, f in S1_SCOPES[level])
    return verdict(
        Outcome.HOLDS,
        scope=f"every model of: {scope} (position: φ(x) = G[|x|]; table: φ(x) = T[x]; laws over Σ∪{{STOP}} with grid weights)",
        method="exhaustive; induced vs an independent Fraction recursion; Σ P = 1 or NonTerminating.mass = leaked",
        evidence=tuple(evidence),
        data={"families": rows},
        statements=(s1_statement(level, Outcome.HOLDS),),
    )


def check_S1(level: Level) -> Verdict:
    """S1: autoregressive sampling induces a distribution on Σ* (leaked mass reported exactly)."""
    return s1_verdict(level)


def _induced_short(
    phi: Autoregressive, prompt: str, *, max_len: int, alphabet: Alphabet | None = None
) -> Dist[str]:
    """The false S1 scope: a φ that stops by L is fully captured by expanding only Σ^{≤L−1}."""
    return induced(phi, prompt, max_len=max(max_len - 1, 0), alphabet=alphabet)


def _induced_renormalised(
    phi: Autoregressive, prompt: str, *, max_len: int, alphabet: Alphabet | None = None
) -> Dist[str]:
    """The false S1 without 'φ stops': the stopped part of a truncated run, renormalised, is the law."""
    mass, _ = naive_induced(phi, prompt, max_len)
    if not mass:
        return Dist.point("")
    return Dist.from_weights(mass)


def _s1_short_scope(level: Level) -> Verdict:
    return s1_verdict(level, induce=_induced_short)


def _s1_renormalised(level: Level) -> Verdict:
    return s1_verdict(level, induce=_induced_renormalised)


TWINS_S1 = (
    Twin("off-by-one scope: a φ that stops by L is captured by expanding Σ^{≤L−1}", _s1_short_scope),
    Twin("dropped hypothesis 'φ stops by L': the renormalised stopped part of a truncation is the law",
         _s1_renormalised),
)
"""S1's perturbed twins: S1's own check run with a false implementation of `induced`."""


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
    rows: list[dict[str, object]] = []
    evidence: list[str] = []
    for fam, most in S2_SCOPES[level]:
        count = 0
        for phi_r in randomized_models(fam, most):
            count += 1
            problem = s2_problem(phi_r, derand, induce)
            if problem is not None:
                return verdict(
                    Outcome.REFUTED,
                    scope=f"{fam}, 1..{most} laws per prefix",
                    method="induced(derandomize(φ_r)) vs the Fraction mixture of φ_r's laws",
                    evidence=(f"model {count} of family {fam}",),
                    counterexample=f"{problem}; φ_r: {_show_table(phi_r)}",
                    statements=(s2_statement(level, Outcome.REFUTED),),
                )
        rows.append({"family": str(fam), "laws_per_prefix": most, "models": count})
        evidence.append(f"{fam}, 1..{most} laws per prefix (a fair coin picks one): {count} models, all equal")
    scope = "; ".join(f"{f} with 1..{m} laws per prefix" for f, m in S2_SCOPES[level])
    return verdict(
        Outcome.HOLDS,
        scope=f"every randomized table model of: {scope} (STOP forced at length L)",
        method=(
            "exhaustive; induced(derandomize(φ_r, max_flips=1)) == law of sampling φ_r with fresh coins, "
            "computed independently as a Fraction mixture per prefix; polytime-ness of γ is not checked"
        ),
        evidence=tuple(evidence),
        data={"families": rows},
        statements=(s2_statement(level, Outcome.HOLDS),),
    )


def check_S2(level: Level) -> Verdict:
    """S2 (footnote 1): averaging φ_r over its coins gives a deterministic γ with the same induced law."""
    return s2_verdict(level)


class _LastCoins:
    """Coins that always take the last option: one fixed run instead of the average."""

    def randbelow(self, k: int) -> int:
        return k - 1

    def until(self, attempt: Callable[[Coins], A], accept: Callable[[A], bool]) -> A:
        return attempt(self)


def _derandomize_last_run(phi_r: RandomizedAutoregressive, max_flips: int) -> Autoregressive:
    """The false S2: γ(x) is φ_r's law on one fixed coin sequence (no averaging)."""
    return lambda prompt, prefix: phi_r(prompt, prefix, _LastCoins())


def _derandomize_distinct_laws(phi_r: RandomizedAutoregressive, max_flips: int) -> Autoregressive:
    """The false S2: γ(x) averages the *distinct* laws φ_r may return, forgetting their multiplicity."""

    def gamma(prompt: str, prefix: str) -> Dist[str]:
        runs = enumerate_runs(lambda coins: phi_r(prompt, prefix, coins), max_flips)
        return Dist.uniform(sorted(runs.mass, key=repr)).bind(lambda law: law)

    return gamma


def _s2_last_run(level: Level) -> Verdict:
    return s2_verdict(level, derand=_derandomize_last_run)


def _s2_distinct_laws(level: Level) -> Verdict:
    return s2_verdict(level, derand=_derandomize_distinct_laws)


TWINS_S2 = (
    Twin("no averaging: γ is φ_r's law on one fixed coin sequence", _s2_last_run),
    Twin("multiplicity dropped: γ averages the distinct laws φ_r can return", _s2_distinct_laws),
)
"""S2's perturbed twins: S2's own check run with a false derandomization."""


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
    rows: list[dict[str, object]] = []
    evidence: list[str] = []
    for k, max_len, weights, most in S3_SCOPES[level]:
        sigma = sigma_of(k)
        texts = prefixes_upto(sigma, max_len)
        count = 0
        for d in grid_dists(texts, weights, most):
            count += 1
            problem = s3_problem(d, sigma, max_len, construct, induce)
            if problem is not None:
                return verdict(
                    Outcome.REFUTED,
                    scope=_s3_scope_text(k, max_len, weights, most),
                    method="induced(chain_rule(D)) == D, exact",
                    evidence=(f"D number {count} of the grid",),
                    counterexample=f"D = {_show(d)}: {problem}",
                    statements=(s3_statement(level, Outcome.REFUTED),),
                )
        rows.append({"sigma": k, "max_len": max_len, "weights": str(weights), "max_support": most or len(texts),
                     "texts": len(texts), "dists": count})
        evidence.append(f"{_s3_scope_text(k, max_len, weights, most)}: {count} distinct D, all round-trip exactly")
    return verdict(
        Outcome.HOLDS,
        scope="every D of: " + "; ".join(_s3_scope_text(*s) for s in S3_SCOPES[level]),
        method="exhaustive; induced(chain_rule(D), max_len=L) == D as exact distributions",
        evidence=tuple(evidence),
        data={"grids": rows},
        statements=(s3_statement(level, Outcome.HOLDS),),
    )


def check_S3(level: Level) -> Verdict:
    """S3: every finite response law D is induced by an AR model (the chain rule)."""
    return s3_verdict(level)


def _chain_rule_of_corrupted(d: Dist[str]) -> Autoregressive:
    """The false S3: the chain rule of D with its first text's weight doubled still induces D."""
    first = min(d.support)
    return chain_rule(Dist.from_weights({x: p * (2 if x == first else 1) for x, p in d.items()}))


def _chain_rule_stop_only_at_leaves(d: Dist[str]) -> Autoregressive:
    """The false S3: STOP needs mass only where no text continues (internal STOP mass dropped)."""
    phi = chain_rule(d)

    def model(prompt: str, prefix: str) -> Dist[str]:
        law = phi(prompt, prefix)
        if STOP in law and len(law) > 1:
            return law.condition(lambda t: t != STOP)
        return law

    return model


def _s3_corrupted(level: Level) -> Verdict:
    return s3_verdict(level, construct=_chain_rule_of_corrupted)


def _s3_stop_only_at_leaves(level: Level) -> Verdict:
    return s3_verdict(level, construct=_chain_rule_stop_only_at_leaves)


TWINS_S3 = (
    Twin("corrupted target: the chain rule of D with one text's weight doubled induces D", _s3_corrupted),
    Twin("STOP mass needed only at leaves: the chain rule without internal STOP induces D", _s3_stop_only_at_leaves),
)
"""S3's perturbed twins: S3's own check run with a false construction."""


MAX_K = 13  # the alphabet of the [s,a,b] tuples has 13 symbols

_i = z3.Int("i")  # the induction variable over a node's children

TREE_SYMBOLS = "0123456789abc"

RLIMIT = smt.DEFAULT_RLIMIT

CHUNK = 16  # pair goals per obligation: fewer blocks than 1, far easier for cvc5 than a whole subtree


def _require_kl(k: object, L: object) -> tuple[int, int]:
    return require_int(k, "k (alphabet size)", least=1, most=MAX_K), require_int(L, "L (maximum text length)", most=12)


def digit_texts(k: int, L: int) -> list[str]:
    """Σ^{≤L} for Σ = the first k symbols of TREE_SYMBOLS, shortest first."""
    k, L = _require_kl(k, L)
    return prefixes_upto(frozenset(TREE_SYMBOLS[:k]), L)


def _name(x: str) -> str:
    return x or "e"


class _Vars:
    """The z3 variables of the conditioning problem for (k, L), named after the text they belong to."""

    def __init__(self, k: int, L: int) -> None:
        self.k, self.L = _require_kl(k, L)
        self.sigma = TREE_SYMBOLS[:k]

    def phi(self, x: str, a: str) -> Any:
        """φ(x)(a) (a = STOP or a symbol); at |x| = L the law is STOP with probability 1."""
        if len(x) == self.L:
            return z3.RealVal(1) if a == STOP else z3.RealVal(0)
        return z3.Real(f"phi_{_name(x)}_{'S' if a == STOP else a}")

    def D(self, t: str) -> Any:
        return z3.Real(f"D_{_name(t)}")

    def m(self, x: str) -> Any:
        return z3.RealVal(1) if x == "" else z3.Real(f"m_{_name(x)}")

    def M(self, x: str) -> Any:
        return z3.Real(f"M_{_name(x)}")

    def Q(self, x: str, t: str) -> Any:
        return z3.Real(f"Q_{_name(x)}_{_name(t)}")

    def outcomes(self, x: str) -> list[str]:
        return [STOP] + (list(self.sigma) if len(x) < self.L else [])

    def children(self, x: str) -> list[str]:
        return [x + a for a in self.sigma] if len(x) < self.L else []

    def subtree(self, x: str) -> list[str]:
        out, level = [x], [x]
        while level:
            level = [c for y in level for c in self.children(y)]
            out.extend(level)
        return out

    def simplex(self, x: str) -> list[Any]:
        """φ(x) is a law on Σ ∪ {STOP}: non-negative, total 1 (nothing to say at a leaf)."""
        if len(x) == self.L:
            return []
        laws = [self.phi(x, a) for a in self.outcomes(x)]
        return [p >= 0 for p in laws] + [sum_terms(laws) == 1]

    def path(self, x: str, t: str) -> Any:
        """Q(x, t) as a product of conditionals: φ's probability of writing t[|x|:] then STOP after x."""
        factors = [self.phi(t[:i], t[i]) for i in range(len(x), len(t))] + [self.phi(t, STOP)]
        return reduce(lambda u, v: u * v, factors)

    def mass(self, x: str) -> Any:
        """M(x) = Σ D(t) over texts t extending x (a linear term)."""
        return sum_terms([self.D(t) for t in self.subtree(x)])


def naive_encoding(k: int, L: int, *, drop: str | None = None) -> tuple[list[Any], Any]:
    """(hypotheses, goal) of the one-query encoding with products of conditionals.

    `drop` removes the premise induced(t) = D(t) for that one text (the failing counterpart).
    """
    v = _Vars(k, L)
    texts = digit_texts(k, L)
    if drop is not None and drop not in texts:
        raise InvalidArgument(f"drop = {drop!r} is not a text of length <= {L} over {v.sigma!r}")
    hyps = [c for x in texts for c in v.simplex(x)] + [v.D(t) >= 0 for t in texts]
    hyps += [v.path("", t) == v.D(t) for t in texts if t != drop]
    goal = z3.And([z3.Implies(v.mass(x) > 0, v.path(x, t) * v.mass(x) == v.D(t)) for x in texts for t in v.subtree(x)])
    return hyps, goal


def node_obligations(
    k: int, L: int, *, drop: str | None = None, chunk: int = CHUNK
) -> list[tuple[str, list[Any], Any]]:
    """(name, hypotheses, goal) of the decomposed encoding, in proof order (children before parents).

    For every node x, longest first: the mass obligation G(x) = [M(x) = m(x) and
    Q(x, x)·M(x) = D(x)] from the premise at x, the definitions at x and the children's G;
    then pair obligations Q(x, t)·M(x) = D(t) for the texts t below each child c = xa (`chunk`
    texts per obligation), from G(x), G(c), the pairs (c, t) and the definitions
    m(c) = m(x)·φ(x)(a), Q(x, t) = φ(x)(a)·Q(c, t).
    `drop` removes the premise induced(drop) = D(drop) (the failing counterpart).
    """
    v = _Vars(k, L)
    texts = digit_texts(k, L)
    if drop is not None and drop not in texts:
        raise InvalidArgument(f"drop = {drop!r} is not a text of length <= {L} over {v.sigma!r}")
    out = []
    for x in reversed(texts):
        kids = v.children(x)
        hyps = list(v.simplex(x))
        if x != drop:
            hyps.append(v.D(x) == v.m(x) * v.phi(x, STOP))  # the premise at x: induced(x) = D(x)
        hyps += [v.m(c) == v.m(x) * v.phi(x, c[-1]) for c in kids]
        hyps.append(v.M(x) == v.D(x) + sum_terms([v.M(c) for c in kids]))
        hyps.append(v.Q(x, x) == v.phi(x, STOP))
        hyps += [v.M(c) == v.m(c) for c in kids]  # G(c), proved before
        out.append((f"mass at {x!r}", hyps, z3.And(v.M(x) == v.m(x), v.Q(x, x) * v.M(x) == v.D(x))))
        for c in kids:
            below = v.subtree(c)
            for i in range(0, len(below), chunk):
                ts = below[i : i + chunk]
                pair_hyps = [v.m(c) == v.m(x) * v.phi(x, c[-1]), v.M(x) == v.m(x), v.M(c) == v.m(c)]
                for t in ts:
                    pair_hyps += [v.Q(x, t) == v.phi(x, c[-1]) * v.Q(c, t),  # definition
                                  v.Q(c, t) * v.M(c) == v.D(t)]  # proved before
                where = f"{ts[0]!r}" if len(ts) == 1 else f"{ts[0]!r}..{ts[-1]!r}"
                out.append((f"pairs ({x!r}, {where})", pair_hyps, z3.And([v.Q(x, t) * v.M(x) == v.D(t) for t in ts])))
    return out


@dataclass(frozen=True)
class ConditioningProof:
    """The outcome of proving the conditioning lemma for one (k, L) with one encoding."""

    outcome: Outcome
    k: int
    L: int
    encoding: str  # "naive" or "decomposed"
    queries: int
    num_vars: int  # summed over the queries
    num_assertions: int
    z3_seconds: float
    cvc5_seconds: float
    seconds: float
    evidence: tuple[str, ...]
    counterexample: str | None = None

    def row(self) -> dict[str, object]:
        """A JSON-able row of the frontier table."""
        return {
            "k": self.k, "L": self.L, "encoding": self.encoding, "outcome": self.outcome.value,
            "queries": self.queries, "vars": self.num_vars, "assertions": self.num_assertions,
            "z3_s": round(self.z3_seconds, 3), "cvc5_s": round(self.cvc5_seconds, 3), "seconds": round(self.seconds, 3),
        }


def _seconds(attempts: Iterable[ProofAttempt], solver: str) -> float:
    return sum(run.seconds for a in attempts for run in a.runs if run.solver == solver)


def prove_conditioning_naive(k: int, L: int, *, timeout_s: float = 60.0, rlimit: int = RLIMIT) -> ConditioningProof:
    """The lemma for (k, L) as one query: premise with products of conditionals, negated conclusion."""
    start = time.perf_counter()
    hyps, goal = naive_encoding(k, L)
    attempt = smt.prove(hyps, goal, check_counterexample=refutes(hyps, goal), nonlinear=True,
                        rlimit=rlimit, timeout_s=timeout_s, name=f"conditioning lemma, naive, k={k}, L={L}")
    return ConditioningProof(
        attempt.outcome, k, L, "naive", 1, attempt.num_vars, attempt.num_assertions,
        _seconds([attempt], "z3"), _seconds([attempt], "cvc5"), time.perf_counter() - start,
        attempt.evidence(), _pair_text(k, L, attempt.counterexample) if attempt.counterexample else None,
    )


def prove_conditioning_decomposed(
    k: int, L: int, *, drop: str | None = None, chunk: int = CHUNK, timeout_s: float = 60.0, rlimit: int = RLIMIT
) -> ConditioningProof:
    """The lemma for (k, L) by mass and pair obligations, bottom-up, in one z3 context and one cvc5 child."""
    start = time.perf_counter()
    obligations = node_obligations(k, L, drop=drop, chunk=chunk)
    checks = [refutes(h, g) for _, h, g in obligations]
    attempts = smt.prove_many(
        [(h, g) for _, h, g in obligations],
        check_counterexample=lambda i, model: checks[i](model),
        nonlinear=True, rlimit=rlimit, timeout_s=timeout_s, name=f"conditioning lemma, obligation, k={k}, L={L}",
    )
    outcome = Outcome.weakest(a.outcome for a in attempts)  # PROVED iff every one is; REFUTED if one is
    failed = [(x, a) for (x, _, _), a in zip(obligations, attempts) if a.outcome is not Outcome.PROVED]
    z3_s, cvc5_s = _seconds(attempts, "z3"), _seconds(attempts, "cvc5")
    evidence = [
        f"{len(obligations)} obligations (a mass obligation per node, pair obligations for the (x, t) with t strictly "
        f"below x, {chunk} pairs per obligation; texts of length ≤ {L} over {k} symbols), "
        f"{sum(a.num_vars for a in attempts)} variables and {sum(a.num_assertions for a in attempts)} assertions in all; "
        f"{len(obligations) - len(failed)} proved (z3 unsat and cvc5 unsat on each block)",
        f"solver time summed over obligations: z3 {z3_s:.3f} s, cvc5 {cvc5_s:.3f} s",
        "joined by the proof kernel in conditioning_proof (every hypothesis a premise or an earlier goal)",
    ]
    cex = None
    for x, a in failed[:3]:
        evidence.append(f"obligation {x}: {a.outcome.value}; " + " | ".join(a.evidence()))
    refuted = [(x, a) for x, a in failed if a.outcome is Outcome.REFUTED]
    if outcome is Outcome.REFUTED:
        x, a = refuted[0]
        cex = f"the {x} obligation fails: " + smt.format_model(a.counterexample or {})
    return ConditioningProof(
        outcome, k, L, "decomposed", len(obligations), sum(a.num_vars for a in attempts),
        sum(a.num_assertions for a in attempts), z3_s, cvc5_s, time.perf_counter() - start, tuple(evidence), cex,
    )


def _offending_pair(k: int, L: int, model: Mapping[str, Fraction]) -> tuple[str, str, Fraction, Fraction] | None:
    """From a model of φ and D: the first (x, t) with M(x) > 0 and Q(x, t)·M(x) ≠ D(t), recomputed exactly, with
    Q(x, t) and D(t)/M(x); None when conditioning holds at every prefix."""
    v = _Vars(k, L)
    texts = digit_texts(k, L)

    def phi(x: str, a: str) -> Fraction:
        return Fraction(1 if a == STOP else 0) if len(x) == L else model[str(v.phi(x, a))]

    def D(t: str) -> Fraction:
        return model[str(v.D(t))]

    for x in texts:
        mx = sum((D(t) for t in v.subtree(x)), Fraction(0))
        if mx == 0:
            continue
        for t in v.subtree(x):
            q = reduce(lambda u, w: u * w, [phi(t[:i], t[i]) for i in range(len(x), len(t))], Fraction(1)) * phi(t, STOP)
            if q * mx != D(t):
                return x, t, q, D(t) / mx
    return None


def conditioning_problem(k: int, L: int, model: Mapping[str, Fraction]) -> str | None:
    """From a model of φ and D: where sampling φ after a prefix x differs from D conditioned on x (the first such
    prefix and text, recomputed exactly), or None when it differs nowhere."""
    found = _offending_pair(k, L, model)
    if found is None:
        return None
    x, t, q, want = found
    return f"after prefix {x!r} φ gives text {t!r} probability {q}, but D conditioned on {x!r} gives {want}"


def _pair_text(k: int, L: int, model: Mapping[str, Fraction]) -> str:
    problem = conditioning_problem(k, L, model)
    if problem is None:
        return "a model (no offending pair found on recomputation): " + smt.format_model(model)
    return f"{problem}; model: {smt.format_model(model)}"


def _table_model(k: int, L: int, model: Mapping[str, Fraction]) -> TableModel:
    """The φ of a solver model as a spec TableModel (its laws are exact Dists: the simplex held)."""
    v = _Vars(k, L)
    table = {}
    for x in digit_texts(k, L):
        if len(x) == L:
            table[x] = Dist.point(STOP)
        else:
            table[x] = Dist({a: model[str(v.phi(x, a))] for a in v.outcomes(x)})
    return TableModel(alphabet(v.sigma), table, L)


@dataclass(frozen=True)
class Refutation:
    """A failing counterpart: what was dropped, the outcome, and the exact offending prefix."""

    outcome: Outcome
    dropped: str
    prefix: str | None
    text: str | None
    evidence: tuple[str, ...]


def refute_conditioning_without_premise(k: int, L: int, drop: str) -> Refutation:
    """Drop the premise induced(drop) = D(drop): the naive query must return a model, re-checked exactly.

    The model's φ is rebuilt as a spec TableModel and its continuation law after the offending
    prefix is computed by spec.induced, independently of the solver.
    """
    hyps, goal = naive_encoding(k, L, drop=drop)
    attempt = smt.prove(hyps, goal, check_counterexample=refutes(hyps, goal), nonlinear=True,
                        name=f"conditioning lemma without the premise at {drop!r}, k={k}, L={L}")
    if attempt.outcome is not Outcome.REFUTED or attempt.counterexample is None:
        return Refutation(attempt.outcome, drop, None, None, attempt.evidence())
    model = attempt.counterexample
    found = _offending_pair(k, L, model)
    if found is None:
        return Refutation(Outcome.UNKNOWN, drop, None, None, attempt.evidence() + ("no offending pair on recomputation",))
    x, t, q, want = found
    law = induced(_table_model(k, L, model), "", max_len=L, prefix=x)
    lines = attempt.evidence() + (
        f"offending prefix {x!r}: spec.induced after {x!r} gives {t!r} probability {law[t]}, D conditioned on {x!r} "
        f"gives {want}",
    )
    if law[t] != q or law[t] == want:
        return Refutation(Outcome.UNKNOWN, drop, x, t, lines + ("spec.induced disagrees with the recomputation",))
    return Refutation(Outcome.REFUTED, drop, x, t, lines)


def step_obligation(k: int, *, without: str | None = None, vacuous: bool = False) -> tuple[list[Any], Any]:
    """(hypotheses, goal) of the induction step for a node x of arity k+1 (STOP and k children).

    Local values: φ(x)(STOP) = fS, φ(x)(a_i) = f_i; m = m(x), D0 = D(x), M = M(x); per child i:
    m_i = m(x a_i), M_i = M(x a_i), and a generic descendant t_i with q_i = Q(x a_i, t_i),
    Qx_i = Q(x, t_i), d_i = D(t_i). `without` drops one hypothesis ("premise" at x, "simplex"
    total, "child" hypothesis) for the failing counterparts; `vacuous` adds fS > 1 (contradicting
    the simplex) and makes the goal M = 2·m false (only vacuous premises could "prove" it).
    """
    require_int(k, "k", least=1, most=MAX_K)
    if without not in (None, "premise", "simplex", "child"):
        raise InvalidArgument(f"without must be None, 'premise', 'simplex' or 'child', got {without!r}")
    fS, m, D0, M = z3.Reals("fS m D0 M")
    f = [z3.Real(f"f_{i}") for i in range(k)]
    mi = [z3.Real(f"m_{i}") for i in range(k)]
    Mi = [z3.Real(f"M_{i}") for i in range(k)]
    q = [z3.Real(f"q_{i}") for i in range(k)]
    Qx = [z3.Real(f"Qx_{i}") for i in range(k)]
    d = [z3.Real(f"d_{i}") for i in range(k)]
    hyps = [fS >= 0] + [fi >= 0 for fi in f]
    if without != "simplex":
        hyps.append(fS + sum_terms(f) == 1)
    if without != "premise":
        hyps.append(D0 == m * fS)  # the premise at x: induced(x) = D(x)
    hyps.append(M == D0 + sum_terms(Mi))  # definition of the D-mass
    for i in range(k):
        hyps += [mi[i] == m * f[i], Qx[i] == f[i] * q[i]]  # definitions of m and Q through child i
        hyps.append(q[i] * Mi[i] == d[i])  # G(child i) at its generic descendant t_i
        if without != "child":
            hyps.append(Mi[i] == mi[i])  # G(child i): its D-mass is its φ-mass
    goal = z3.And([M == m, fS * M == D0] + [Qx[i] * M == d[i] for i in range(k)])
    if vacuous:
        hyps.append(fS > 1)
        goal = z3.And([M == 2 * m, fS * M == D0] + [Qx[i] * M == d[i] for i in range(k)])
    return hyps, goal


def _premises_and_goal(k: int, L: int, *, drop: str | None = None) -> tuple[list[Premise], Any]:
    """The theorem for (k, L): φ's simplex laws, induced = D, the definitions of m, M, Q ⊢ conditioning."""
    v = _Vars(k, L)
    premises: list[Premise] = []
    goal_parts = []
    for x in digit_texts(k, L):
        premises += [Premise(c, "domain") for c in v.simplex(x)]
        if x != drop:
            premises.append(Premise(v.D(x) == v.m(x) * v.phi(x, STOP), "premise"))
        kids = v.children(x)
        premises += [Premise(v.m(c) == v.m(x) * v.phi(x, c[-1]), "definition") for c in kids]
        premises.append(Premise(v.M(x) == v.D(x) + sum_terms([v.M(c) for c in kids]), "definition"))
        premises.append(Premise(v.Q(x, x) == v.phi(x, STOP), "definition"))
        for c in kids:
            premises += [Premise(v.Q(x, t) == v.phi(x, c[-1]) * v.Q(c, t), "definition") for t in v.subtree(c)]
        goal_parts += [z3.Implies(v.M(x) > 0, v.Q(x, t) * v.M(x) == v.D(t)) for t in v.subtree(x)]
    return premises, z3.And(goal_parts)


def conditioning_proof(k: int, L: int, *, chunk: int = CHUNK, drop: str | None = None,
                       without_child_mass: bool = False) -> Proof:
    """S4 for texts of length ≤ L over k symbols, as a kernel-checked proof.

    Premises: φ's laws are on the simplex, induced(x) = D(x) for every text x, and the
    definitions m(xa) = m(x)·φ(x)(a), M(x) = D(x) + Σ_a M(xa), Q(x,x) = φ(x)(STOP),
    Q(x,t) = φ(x)(a)·Q(xa,t). Goal: for every prefix x and text t extending x,
    M(x) > 0 ⇒ Q(x,t)·M(x) = D(t) (sampling after x gives D conditioned on x). Obligations:
    node by node, longest first (node_obligations), then one that gathers the goal.
    `without_child_mass` drops the hypothesis M(c) = m(c) from the pair obligations (the link
    they need: the proof must come back UNKNOWN).
    """
    premises, goal = _premises_and_goal(k, L, drop=drop)
    obligations = []
    for name, hyps, g in node_obligations(k, L, drop=drop, chunk=chunk):
        if without_child_mass and name.startswith("pairs"):
            v = _Vars(k, L)
            hyps = [h for h in hyps if not any(h.eq(v.M(c) == v.m(c)) for c in digit_texts(k, L) if c)]
        obligations.append(Obligation(name, tuple(hyps), g))
    gathered = [c for ob in obligations for c in (ob.goal.children() if z3.is_and(ob.goal) else [ob.goal])]
    wanted = {c.get_id() for part in goal.children() for c in [part.arg(1)]}
    obligations.append(Obligation("the goal, gathered", tuple(c for c in gathered if c.get_id() in wanted), goal))
    return Proof(f"S4 for k = {k}, L = {L}", tuple(premises), goal, tuple(obligations),
                 tuple(Use(i) for i in range(len(obligations))))


def conditioning_step_proof(*, extra_hypothesis: bool = False, without_child: bool = False) -> Proof:
    """The induction step of S4 over the height, for a node of ANY arity k + 1 (STOP and k children).

    Node x: φ(x)(STOP) = fS, φ(x)(child i) = f(i); m = m(x), D0 = D(x), M = M(x); child i:
    mi(i) = m·f(i), Mi(i) its D-mass, q(i) = Q(child i, t_i) for a generic descendant t_i,
    Qx(i) = f(i)·q(i) = Q(x, t_i), d(i) = D(t_i). The induction hypothesis (each child satisfies
    the lemma: Mi(i) = mi(i) and q(i)·Mi(i) = d(i)) is a premise. Σ_{i<k} over the children is a
    recursive sum (SF, SM), and SM(k) = m·SF(k) is proved by induction over i. The goal is the
    lemma at x: M = m, fS·M = D0 and, for a generic child j, Qx(j)·M = d(j).
    `extra_hypothesis` adds fS > 1 to the final obligation (with the false goal M = 2·m);
    `without_child` drops Mi(i) = mi(i) from the induction's step (both must come back UNKNOWN).
    """
    k, j = z3.Ints("k j")
    fS, m, D0, M = z3.Reals("fS m D0 M")
    f, mi, Mi, q, Qx, d, SF, SM = (z3.Function(name, z3.IntSort(), z3.RealSort())
                                   for name in ("f", "mi", "Mi", "q", "Qx", "d", "SF", "SM"))
    i = _i

    def inside(x: Any) -> Any:
        return z3.And(x >= 0, x < k)

    def child_defs(x: Any) -> Any:
        return z3.Implies(inside(x), z3.And(f(x) >= 0, mi(x) == m * f(x), Qx(x) == f(x) * q(x)))

    def child_lemma(x: Any) -> Any:  # the induction hypothesis over the height, at child x
        return z3.Implies(inside(x), z3.And(Mi(x) == mi(x), q(x) * Mi(x) == d(x)))

    premises = (
        Premise(k >= 0, "domain"), Premise(fS >= 0, "domain"), Premise(fS + SF(k) == 1, "domain"),
        Premise(D0 == m * fS, "premise"), Premise(M == D0 + SM(k), "definition"),
        Premise(child_defs(i), "definition"),
        Premise(SF(0) == 0, "definition"), Premise(SF(i + 1) == SF(i) + f(i), "definition"),
        Premise(SM(0) == 0, "definition"), Premise(SM(i + 1) == SM(i) + Mi(i), "definition"),
        Premise(child_lemma(i), "induction hypothesis on the height"),
    )

    def P(x: Any) -> Any:
        return z3.Implies(x <= k, SM(x) == m * SF(x))

    goal = z3.And(M == m, fS * M == D0, z3.Implies(inside(j), Qx(j) * M == d(j)))
    base = Obligation("children summed, base i = 0", (SF(0) == 0, SM(0) == 0), z3.substitute(P(i), (i, z3.IntVal(0))))
    step_hyps = [i >= 0, P(i), premises[7].formula, premises[9].formula, child_defs(i), child_lemma(i)]
    if without_child:
        step_hyps[-1] = z3.Implies(inside(i), q(i) * Mi(i) == d(i))
    step = Obligation("children summed, step i → i+1", tuple(step_hyps), z3.substitute(P(i), (i, i + 1)))
    final_hyps = [k >= 0, z3.Implies(k >= 0, z3.substitute(P(i), (i, k))), fS + SF(k) == 1, D0 == m * fS,
                  M == D0 + SM(k), child_defs(j), child_lemma(j)]
    final_goal = goal
    if extra_hypothesis:
        final_hyps.append(fS > 1)
        final_goal = z3.And(M == 2 * m, fS * M == D0, z3.Implies(inside(j), Qx(j) * M == d(j)))
    final = Obligation("the node's lemma", tuple(final_hyps), final_goal)
    return Proof("S4, induction step over the height, any arity", premises, final_goal, (base, step, final),
                 (Induction(i, P(i), 0, 1), Use(2)), schematic=(i,), rules=(SOLVERS_SOUND, INDUCTION_SCHEMA))


def leaf_obligation() -> Obligation:
    """The base of the induction over the height: a leaf (φ(x)(STOP) = 1, no children) satisfies the lemma."""
    m, D0, M = z3.Reals("m D0 M")
    return Obligation("S4, base: a leaf", (D0 == m * 1, M == D0), z3.And(M == m, 1 * M == D0))


HEIGHT_INDUCTION = (
    "the induction schema over ℕ on the height h of a node (texts of length ≤ L form a tree of height L): "
    "P(h) = every node of height h satisfies the lemma at itself and at every descendant; P(0) is the leaf "
    "obligation; P(h) ⇒ P(h+1) is the step proof, whose premise 'induction hypothesis on the height' is P(h) at "
    "the children (a descendant of x is x itself or a descendant of a child)"
)

FIXED_SCOPES: Mapping[Level, tuple[tuple[int, int], ...]] = {
    # every k and L is covered by the induction; these unfold every node and pair as a cross-check
    Level.QUICK: ((2, 2), (3, 1)),
    Level.STANDARD: ((1, 4), (2, 3), (3, 2), (4, 2), (13, 1)),
    Level.DEEP: tuple((k, L) for k in range(1, 8) for L in range(1, 8) if k + L <= 8),
}


@dataclass(frozen=True)
class AllLengths:
    """S4 for every length and every alphabet size: the leaf, the step for any arity, the rule joining them."""

    leaf: Checked
    step: ProofReport

    @property
    def outcome(self) -> Outcome:
        """PROVED iff the leaf and the step proof are."""
        ok = self.leaf.outcome is Outcome.PROVED and self.step.outcome is Outcome.PROVED
        return Outcome.PROVED if ok else Outcome.UNKNOWN

    def evidence(self) -> tuple[str, ...]:
        """The leaf, the step proof (kernel-checked) and the height induction rule."""
        return (f"base: {self.leaf.line()}", *self.step.evidence(), f"rule: {HEIGHT_INDUCTION}")


def prove_all_lengths(*, extra_hypothesis: bool = False, without_child: bool = False) -> AllLengths:
    """The lemma for every L and every k: leaf obligation and the kernel-checked step for any arity."""
    leaf = check_obligations([leaf_obligation()], name="S4 leaf")[0]
    step = check_proof(conditioning_step_proof(extra_hypothesis=extra_hypothesis, without_child=without_child))
    return AllLengths(leaf, step)


def check_S4(level: Level) -> Verdict:
    """S4: the conditioning lemma for fixed (k, L) and for every length and alphabet size, kernel-checked."""
    fixed = [(k, L, check_proof(conditioning_proof(k, L))) for k, L in FIXED_SCOPES[level]]
    general = prove_all_lengths()
    # the checks must be able to fail: a dropped premise is REFUTED by a concrete φ (re-checked by spec.induced);
    # a vacuous hypothesis and a dropped child hypothesis leave the step proof UNKNOWN
    dropped = refute_conditioning_without_premise(2, 2, "0")
    vacuous = prove_all_lengths(extra_hypothesis=True)
    no_child = prove_all_lengths(without_child=True)
    counterparts_ok = (dropped.outcome is Outcome.REFUTED and vacuous.outcome is Outcome.UNKNOWN
                       and no_child.outcome is Outcome.UNKNOWN)
    ok = all(r.outcome is Outcome.PROVED for _, _, r in fixed) and general.outcome is Outcome.PROVED
    outcome = Outcome.PROVED if ok and counterparts_ok else Outcome.UNKNOWN
    evidence = [
        f"(k, L) = ({k}, {L}): {r.outcome.value}, {len(r.checked)} obligations, kernel: "
        + ("every link checked" if not r.broken else "; ".join(r.broken[:2]))
        for k, L, r in fixed
    ]
    evidence += list(general.evidence())
    evidence += [
        f"failing counterpart, (k, L) = (2, 2) without the premise at '0': {dropped.outcome.value}, "
        f"offending prefix {dropped.prefix!r}, text {dropped.text!r} (re-checked with spec.induced)",
        f"failing counterpart, step with the hypothesis fS > 1 and the goal M = 2·m: {vacuous.outcome.value} "
        f"({'; '.join(vacuous.step.broken[:2])})",
        f"failing counterpart, step without the child hypothesis Mi = mi: {no_child.outcome.value} "
        f"({'; '.join(no_child.step.broken[:1])})",
    ]
    scopes = ", ".join(f"({k},{L})" for k, L, _ in fixed)
    statements = (
        Statement("for every alphabet of k ≥ 1 symbols, every length bound L, every φ inducing D and every prefix x "
                  "with D-mass M(x) > 0: sampling φ after x gives text t probability D(t)/M(x)", Relation.SAME, outcome),
        Statement(f"the same for the fixed (k, L) in {scopes}, every node and pair unfolded", Relation.SPECIAL_CASE,
                  Outcome.PROVED if all(r.outcome is Outcome.PROVED for _, _, r in fixed) else Outcome.UNKNOWN),
    )
    records = general.step.records() + (general.leaf.record(),) + tuple(
        rec for _, _, r in fixed for rec in r.records())
    return verdict(
        outcome, f"every alphabet size k ≥ 1 and every length L (induction); fixed (k, L) in {scopes}",
        "kernel-checked proofs (z3 + cvc5 per obligation): node by node for fixed (k, L); for all L and k, "
        "induction on the height with the children summed by induction",
        tuple(evidence), statements=statements, obligations=records,
        data={"fixed": [{"k": k, "L": L, "outcome": r.outcome.value, "obligations": len(r.checked)}
                        for k, L, r in fixed]},
    )


def _s4_without_premise(level: Level) -> Verdict:
    r = refute_conditioning_without_premise(1, 2, "0")
    cex = f"after prefix {r.prefix!r}, text {r.text!r}" if r.outcome is Outcome.REFUTED else None
    return verdict(r.outcome, "k = 1, L = 2",
                   "S4's naive encoding without the premise at '0' (z3 + cvc5; spec.induced)", r.evidence,
                   counterexample=cex)


def _s4_step_without(which: str, level: Level) -> Verdict:
    hyps, goal = step_obligation(1, without=which)
    return attempt_verdict(smt.prove(hyps, goal, check_counterexample=refutes(hyps, goal), nonlinear=True),
                           "k = 1", f"S4's induction step (one node) without its {which} hypothesis")


def _s4_vacuous_step(level: Level) -> Verdict:
    hyps, goal = step_obligation(3, vacuous=True)
    checked = check_obligations([Obligation("S4 step with fS > 1", tuple(hyps), goal)])[0]
    return checked_verdict(checked, "k = 3", "S4's step with fS > 1 added and the false goal M = 2·m")


def _s4_without_child_in_step(level: Level) -> Verdict:
    general = prove_all_lengths(without_child=True)
    return verdict(general.outcome, "every k, every L", "S4's step without the child hypothesis Mi = mi",
                   general.evidence())


def _s4_without_child_mass(level: Level) -> Verdict:
    report = check_proof(conditioning_proof(2, 2, without_child_mass=True))
    return proof_verdict(report, "k = 2, L = 2", "S4's pair obligations without M(c) = m(c)")


TWINS_S4 = (
    Twin("dropped premise: conditioning holds without induced(x) = D(x) at one text", _s4_without_premise),
    Twin("induction step without its premise hypothesis", functools.partial(_s4_step_without, "premise")),
    Twin("induction step without its simplex hypothesis", functools.partial(_s4_step_without, "simplex")),
    Twin("vacuous premise: the step with fS > 1 'proves' M = 2·m", _s4_vacuous_step, expected=Outcome.UNKNOWN),
    Twin("dropped child hypothesis Mi = mi in the step (every k)", _s4_without_child_in_step,
         expected=Outcome.UNKNOWN),
    Twin("dropped child hypothesis M(c) = m(c) in the pair obligations (k = 2, L = 2)", _s4_without_child_mass,
         expected=Outcome.UNKNOWN),
)
"""S4's perturbed twins: a dropped premise is REFUTED by a concrete φ; a broken proof comes back UNKNOWN."""
