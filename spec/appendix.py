"""The appendix's mathematics: success profiles, their overlap with the uniform law, the greedy pour and its LP dual.

Notation (the post's): N items s_1..s_N, a mixture a on the simplex (φ writes s_i first with
probability a_i), a success profile p in [0,1]^N (φ then factors s_i correctly with probability
p_i). The overlap with Unif(S) is O(a, p) = Σ_i min(a_i p_i, 1/N).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

from spec.errors import InvalidArgument

__all__ = [
    "Vector",
    "require_instance",
    "overlap_of",
    "mean",
    "Pour",
    "greedy",
    "dual_value",
    "lp_optimum_certified",
    "tight_profile",
]


Vector = tuple[Fraction, ...]


def _fractions(v: Sequence[object], name: str) -> Vector:
    out = []
    for i, x in enumerate(v):
        if isinstance(x, bool) or not isinstance(x, (int, Fraction)):
            raise InvalidArgument(f"{name}[{i}] = {x!r} is not an int or Fraction (floats are not exact)")
        out.append(Fraction(x))
    return tuple(out)


def require_instance(a: Sequence[object] | None, p: Sequence[object]) -> tuple[Vector, Vector]:
    """(a, p) as Fractions if p ∈ [0,1]^N (N ≥ 1) and a is on the simplex of the same N; else InvalidArgument."""
    pp = _fractions(p, "p")
    if not pp:
        raise InvalidArgument("p is empty: the appendix needs N >= 1 items")
    for i, x in enumerate(pp):
        if not 0 <= x <= 1:
            raise InvalidArgument(f"p[{i}] = {x} is outside [0, 1]")
    if a is None:
        return (), pp
    aa = _fractions(a, "a")
    if len(aa) != len(pp):
        raise InvalidArgument(f"a has {len(aa)} entries but p has {len(pp)}")
    for i, x in enumerate(aa):
        if x < 0:
            raise InvalidArgument(f"a[{i}] = {x} is negative")
    if sum(aa) != 1:
        raise InvalidArgument(f"a sums to {sum(aa)}, not 1 (a must lie on the simplex)")
    return aa, pp


def overlap_of(a: Sequence[object], p: Sequence[object]) -> Fraction:
    """O(a, p) = Σ_i min(a_i p_i, 1/N)."""
    aa, pp = require_instance(a, p)
    cap = Fraction(1, len(pp))
    return sum((min(x * y, cap) for x, y in zip(aa, pp)), Fraction(0))


def mean(p: Sequence[object]) -> Fraction:
    """mean(p) = Σ p_i / N."""
    _, pp = require_instance(None, p)
    return sum(pp, Fraction(0)) / len(pp)


@dataclass(frozen=True)
class Pour:
    """The greedy mixture: sweetest drink first, each until its sugar reaches 1/N, until volume 1."""

    mixture: Vector
    value: Fraction  # the sweetness O(mixture, p)
    full: int  # k: drinks poured up to their cap 1/N
    last: Fraction  # sugar of the partially poured drink (0 if none), always < 1/N


def greedy(p: Sequence[object]) -> Pour:
    """The sweetest-drink-first mixture of the appendix, in exact arithmetic."""
    _, pp = require_instance(None, p)
    n = len(pp)
    order = sorted(range(n), key=lambda i: (-pp[i], i))
    a = [Fraction(0)] * n
    volume, full, last = Fraction(1), 0, Fraction(0)
    for i in order:
        if pp[i] == 0 or volume == 0:
            break
        need = 1 / (n * pp[i])  # volume that brings drink i's sugar to 1/N
        if need <= volume:
            a[i], volume, full = need, volume - need, full + 1
        else:
            a[i], last, volume = volume, volume * pp[i], Fraction(0)
    a[order[0]] += volume  # left-over volume adds no sugar: drink order[0] is capped or all p are 0
    return Pour(tuple(a), Fraction(full, n) + last, full, last)


def dual_value(p: Sequence[object]) -> Fraction:
    """The LP dual optimum min_{μ ≥ 0} μ + (1/N) Σ_{p_i>0} max(0, 1 − μ/p_i), taken over its breakpoints μ ∈ {0} ∪ {p_i}.

    Primal: max Σ t_i s.t. t_i ≤ a_i p_i, t_i ≤ 1/N, Σ a_i ≤ 1, a ≥ 0. Dual multipliers y_i, 1 − y_i,
    μ ≥ p_i y_i; for fixed μ the best y_i = min(1, μ/p_i). The dual is convex piecewise linear in μ,
    so its minimum sits at a breakpoint.
    """
    _, pp = require_instance(None, p)
    n = len(pp)

    def g(mu: Fraction) -> Fraction:
        return mu + sum((max(Fraction(0), 1 - mu / x) for x in pp if x > 0), Fraction(0)) / n

    return min(g(mu) for mu in {Fraction(0), *pp})


def lp_optimum_certified(p: Sequence[object]) -> tuple[bool, Fraction, Fraction]:
    """(greedy value = dual value = value the greedy mixture attains, greedy value, dual value).

    Weak duality makes the dual value an upper bound on every mixture; the greedy mixture attains
    its value; equality certifies both optimal, exactly.
    """
    pour = greedy(p)
    d = dual_value(p)
    return pour.value == d == overlap_of(pour.mixture, p), pour.value, d


def tight_profile(k: int, n: int) -> Vector:
    """The tight family p = (k/N, ..., k/N, 0, ..., 0) with k entries k/N."""
    if not (isinstance(k, int) and isinstance(n, int)) or not 0 <= k <= n or n < 1:
        raise InvalidArgument(f"tight_profile: need integers 0 <= k <= N, N >= 1, got k={k!r}, N={n!r}")
    return tuple([Fraction(k, n)] * k + [Fraction(0)] * (n - k))
