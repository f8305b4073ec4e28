"""Strategies for the appendix: mixtures a on the simplex and success profiles p in [0,1]^N."""

from __future__ import annotations

from fractions import Fraction

from hypothesis import strategies as st
from hypothesis.strategies import SearchStrategy

from spec.errors import InvalidArgument, require_int

__all__ = ["mixtures", "success_profiles", "appendix_instances"]

Vector = tuple[Fraction, ...]


def mixtures(n: int, *, max_weight: int = 12) -> SearchStrategy[Vector]:
    """a on the simplex Δ_n: n non-negative Fractions summing to exactly 1 (zeros and vertices included)."""
    require_int(n, "mixtures n", least=1)
    require_int(max_weight, "mixtures max_weight", least=1)
    weights = st.lists(st.integers(0, max_weight), min_size=n, max_size=n).filter(lambda w: sum(w) > 0)
    return weights.map(lambda w: tuple(Fraction(x, sum(w)) for x in w))


def success_profiles(n: int, *, max_denominator: int = 12) -> SearchStrategy[Vector]:
    """p in [0,1]^n: n Fractions with denominators up to max_denominator, 0 and 1 included."""
    require_int(n, "success_profiles n", least=1)
    require_int(max_denominator, "success_profiles max_denominator", least=1)
    entry = st.integers(1, max_denominator).flatmap(lambda d: st.integers(0, d).map(lambda k: Fraction(k, d)))
    return st.lists(entry, min_size=n, max_size=n).map(tuple)


def appendix_instances(
    *, min_n: int = 1, max_n: int = 6, max_weight: int = 12, max_denominator: int = 12
) -> SearchStrategy[tuple[Vector, Vector]]:
    """(a, p) of one common length N in [min_n, max_n]: a mixture and a success profile."""
    require_int(min_n, "appendix_instances min_n", least=1)
    if require_int(max_n, "appendix_instances max_n", least=1) < min_n:
        raise InvalidArgument(f"appendix_instances: need min_n <= max_n, got {min_n} > {max_n}")
    return st.integers(min_n, max_n).flatmap(
        lambda n: st.tuples(mixtures(n, max_weight=max_weight), success_profiles(n, max_denominator=max_denominator))
    )
