"""Strategies for the core spec types: alphabets, texts, distributions, models, algorithms."""

from __future__ import annotations

from collections.abc import Hashable
from typing import TypeVar

from hypothesis import strategies as st
from hypothesis.strategies import SearchStrategy

from spec import STOP, Alphabet, Dist, alphabet
from spec.errors import InvalidArgument, require_int
from spec.models import TableAlgorithm, TableModel, TableRandomizedModel, prefixes_upto

T = TypeVar("T", bound=Hashable)

SYMBOLS = "abc01xyz"
"""The pool that strategy alphabets are drawn from."""


def require_range(name: str, lo: int, hi: int, lo_min: int = 0) -> None:
    """Nothing when lo and hi are ints with lo_min <= lo <= hi; InvalidArgument naming the range otherwise."""
    for label, v in ((f"{name} min", lo), (f"{name} max", hi)):
        require_int(v, label, least=None)
    if lo < lo_min or hi < lo:
        raise InvalidArgument(f"{name}: need {lo_min} <= min <= max, got min={lo}, max={hi}")


def alphabets(*, min_size: int = 1, max_size: int = 3) -> SearchStrategy[Alphabet]:
    """Σ: between min_size and max_size distinct one-character symbols."""
    require_range("alphabets size", min_size, max_size, lo_min=1)
    if max_size > len(SYMBOLS):
        raise InvalidArgument(f"alphabets: max_size is at most {len(SYMBOLS)}, got {max_size}")
    return st.lists(st.sampled_from(SYMBOLS), min_size=min_size, max_size=max_size, unique=True).map(alphabet)


def texts(sigma: Alphabet, *, max_len: int = 4) -> SearchStrategy[str]:
    """Texts over Σ of length at most max_len."""
    sigma = alphabet(sigma)
    require_range("texts length", 0, max_len)
    return st.text(alphabet=st.sampled_from(sorted(sigma)), max_size=max_len)


def weight_maps(
    elements: SearchStrategy[T], *, min_size: int = 1, max_size: int = 5, max_weight: int = 12
) -> SearchStrategy[dict[T, int]]:
    """Non-negative integer weights with a positive total; zero weights occur (symbols of probability 0)."""
    require_range("weight_maps size", min_size, max_size, lo_min=1)
    require_range("weight_maps weight", 1, max_weight, lo_min=1)
    maps = st.dictionaries(elements, st.integers(0, max_weight), min_size=min_size, max_size=max_size)
    return maps.filter(lambda w: sum(w.values()) > 0)


def dists(
    elements: SearchStrategy[T], *, min_size: int = 1, max_size: int = 5, max_weight: int = 12
) -> SearchStrategy[Dist[T]]:
    """Exact distributions: normalised integer weights, point masses and zero weights included."""
    points = elements.map(Dist.point)
    general = weight_maps(elements, min_size=min_size, max_size=max_size, max_weight=max_weight).map(
        Dist.from_weights
    )
    return st.one_of(points, general) if min_size <= 1 else general


def next_token_dists(sigma: Alphabet, *, stop: bool = True) -> SearchStrategy[Dist[str]]:
    """Next-token laws over Σ ∪ {STOP} (over Σ alone when stop is False)."""
    tokens = sorted(alphabet(sigma)) + ([STOP] if stop else [])
    return dists(st.sampled_from(tokens), max_size=len(tokens))


def text_dists(sigma: Alphabet, *, max_len: int = 3, max_size: int = 6) -> SearchStrategy[Dist[str]]:
    """Distributions over texts of Σ^{≤max_len}."""
    return dists(texts(sigma, max_len=max_len), max_size=max_size)


def ar_models(sigma: Alphabet | None = None, *, max_len: int = 3) -> SearchStrategy[TableModel]:
    """Terminating AR models: a next-token law for every prefix, STOP forced at length max_len."""
    require_range("ar_models length", 0, max_len)
    sigmas = st.just(alphabet(sigma)) if sigma is not None else alphabets()

    @st.composite
    def build(draw: st.DrawFn) -> TableModel:
        s = draw(sigmas)
        table = {
            x: (Dist.point(STOP) if len(x) == max_len else draw(next_token_dists(s)))
            for x in prefixes_upto(s, max_len)
        }
        return TableModel(s, table, max_len)

    return build()


def randomized_ar_models(
    sigma: Alphabet | None = None, *, max_len: int = 3, max_laws: int = 3
) -> SearchStrategy[TableRandomizedModel]:
    """Randomized AR models: at each prefix a coin picks one of up to max_laws next-token laws."""
    require_range("randomized_ar_models length", 0, max_len)
    require_range("randomized_ar_models laws", 1, max_laws, lo_min=1)
    sigmas = st.just(alphabet(sigma)) if sigma is not None else alphabets(max_size=2)

    @st.composite
    def build(draw: st.DrawFn) -> TableRandomizedModel:
        s = draw(sigmas)
        table = {
            x: (
                (Dist.point(STOP),)
                if len(x) == max_len
                else tuple(draw(st.lists(next_token_dists(s), min_size=1, max_size=max_laws)))
            )
            for x in prefixes_upto(s, max_len)
        }
        return TableRandomizedModel(s, table, max_len)

    return build()


def text_to_text_algorithms(
    sigma: Alphabet | None = None, *, max_len: int = 3, max_texts: int = 5
) -> SearchStrategy[TableAlgorithm]:
    """Small randomized text-to-text algorithms, some with a rejection loop."""
    require_range("text_to_text_algorithms length", 0, max_len)
    require_range("text_to_text_algorithms texts", 1, max_texts, lo_min=1)
    sigmas = st.just(alphabet(sigma)) if sigma is not None else alphabets()

    @st.composite
    def build(draw: st.DrawFn) -> TableAlgorithm:
        s = draw(sigmas)
        outs = draw(st.lists(texts(s, max_len=max_len), min_size=1, max_size=max_texts))
        rejected = draw(st.sets(st.sampled_from(outs)))
        if set(outs) <= rejected:
            rejected = rejected - {outs[0]}
        return TableAlgorithm(s, tuple(outs), frozenset(rejected))

    return build()
