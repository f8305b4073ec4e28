"""The strategies produce valid spec objects, and refuse bad arguments eagerly (before any draw)."""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction

import pytest
from hypothesis import find, given
from hypothesis import strategies as st

from spec import (
    STOP,
    Alphabet,
    Dist,
    InvalidArgument,
    InvalidText,
    alphabet,
    derandomize,
    enumerate_runs,
    induced,
)
from spec.appendix import Vector, require_instance
from spec.models import TableAlgorithm, TableModel, TableRandomizedModel, prefixes_upto
from strategies import (
    SYMBOLS,
    alphabets,
    appendix_instances,
    ar_models,
    dists,
    mixtures,
    next_token_dists,
    randomized_ar_models,
    success_profiles,
    text_dists,
    text_to_text_algorithms,
    texts,
    tuple_texts,
    weight_maps,
)

AB = alphabet("ab")


@given(alphabets(min_size=2, max_size=4))
def test_alphabets_are_valid_and_sized(sigma: Alphabet) -> None:
    assert alphabet(sigma) == sigma and 2 <= len(sigma) <= 4 and set(sigma) <= set(SYMBOLS)


@given(texts(AB, max_len=3))
def test_texts_are_over_sigma_and_short(x: str) -> None:
    assert set(x) <= AB and len(x) <= 3


@given(dists(st.integers(0, 9)))
def test_dists_are_exact_distributions(d: Dist[int]) -> None:
    assert sum((p for _, p in d.items()), Fraction(0)) == 1 and all(p > 0 for _, p in d.items())


def test_dists_include_point_masses_and_zero_weights() -> None:
    assert len(find(dists(st.integers(0, 9)), lambda d: len(d) == 1)) == 1
    w = find(weight_maps(st.integers(0, 9)), lambda w: 0 in w.values())
    assert Dist.from_weights(w).support < set(w)


@given(next_token_dists(AB))
def test_next_token_dists_are_over_sigma_and_stop(d: Dist[str]) -> None:
    assert d.support <= AB | {STOP}


def test_next_token_dists_put_mass_on_stop_sometimes() -> None:
    assert STOP in find(next_token_dists(AB), lambda d: STOP in d)


@given(next_token_dists(AB, stop=False))
def test_next_token_dists_without_stop_never_stop(d: Dist[str]) -> None:
    assert STOP not in d and d.support <= AB


@given(text_dists(AB, max_len=3))
def test_text_dists_are_over_short_texts(d: Dist[str]) -> None:
    assert all(set(x) <= AB and len(x) <= 3 for x in d.support)


@given(ar_models(max_len=3))
def test_ar_models_terminate_and_cover_every_prefix(phi: TableModel) -> None:
    assert set(phi.table) == set(prefixes_upto(phi.alphabet, 3))
    assert all(phi.table[x] == Dist.point(STOP) for x in phi.table if len(x) == 3)
    induced(phi, "", max_len=3, alphabet=phi.alphabet)  # raises unless it stops by max_len


@given(randomized_ar_models(max_len=2, max_laws=3))
def test_randomized_ar_models_are_valid_and_derandomizable(phi_r: TableRandomizedModel) -> None:
    assert all(1 <= len(laws) <= 3 for laws in phi_r.table.values())
    assert all(law.support <= phi_r.alphabet | {STOP} for laws in phi_r.table.values() for law in laws)
    induced(derandomize(phi_r, max_flips=1), "", max_len=2, alphabet=phi_r.alphabet)


@given(text_to_text_algorithms(max_len=3))
def test_text_to_text_algorithms_can_output_something(algo: TableAlgorithm) -> None:
    assert any(t not in algo.rejected for t in algo.texts)
    assert all(set(t) <= algo.alphabet and len(t) <= 3 for t in algo.texts)
    runs = enumerate_runs(lambda c: algo("", c), 4)
    assert runs.mass and all(t not in algo.rejected for t in runs.mass)


BAD_CALLS: list[tuple[str, Callable[[], object]]] = [
    ("alphabets size: need 1 <= min", lambda: alphabets(min_size=0)),
    ("max_size is at most 8", lambda: alphabets(max_size=9)),
    ("need 1 <= min <= max", lambda: alphabets(min_size=3, max_size=2)),
    ("alphabets size max must be an int", lambda: alphabets(max_size=True)),
    ("texts length", lambda: texts(AB, max_len=-1)),
    ("weight_maps size", lambda: weight_maps(st.integers(), min_size=0)),
    ("weight_maps weight", lambda: weight_maps(st.integers(), max_weight=0)),
    ("weight_maps size max must be an int", lambda: dists(st.integers(), max_size=2.5)),  # type: ignore[arg-type]
    ("ar_models length", lambda: ar_models(max_len=-1)),
    ("randomized_ar_models laws", lambda: randomized_ar_models(max_laws=0)),
    ("randomized_ar_models length", lambda: randomized_ar_models(max_len=-2)),
    ("text_to_text_algorithms texts", lambda: text_to_text_algorithms(max_texts=0)),
    ("text_to_text_algorithms length", lambda: text_to_text_algorithms(max_len=-1)),
]


@pytest.mark.parametrize(("message", "call"), BAD_CALLS, ids=[m.split(":")[0] + str(i) for i, (m, _) in enumerate(BAD_CALLS)])
def test_strategy_arguments_are_validated_eagerly(message: str, call: Callable[[], object]) -> None:
    with pytest.raises(InvalidArgument, match=message):
        call()  # no example is drawn: the error comes from the call itself


@pytest.mark.parametrize("sigma", ["", "aa", ["ab"]])
def test_strategy_alphabet_arguments_are_validated_eagerly(sigma: object) -> None:
    for make in (texts, next_token_dists, text_dists, ar_models, randomized_ar_models, text_to_text_algorithms):
        with pytest.raises(InvalidText):
            make(sigma)  # type: ignore[arg-type]


@given(st.integers(1, 6).flatmap(lambda n: st.tuples(mixtures(n), success_profiles(n))))
def test_appendix_strategies_give_a_simplex_point_and_a_profile_in_the_unit_cube(ap: tuple[Vector, Vector]) -> None:
    a, p = ap
    assert sum(a) == 1 and all(x >= 0 for x in a) and all(0 <= x <= 1 for x in p)
    assert require_instance(a, p) == (a, p)


def test_appendix_strategies_reject_bad_arguments() -> None:
    for bad in (lambda: mixtures(0), lambda: success_profiles(-1), lambda: success_profiles(2, max_denominator=0),
                lambda: appendix_instances(min_n=3, max_n=2), lambda: mixtures(True)):
        with pytest.raises(InvalidArgument):
            bad()


def test_task_strategies_validate_their_arguments() -> None:
    from strategies import n_digit_primes_st

    for bad in (0, 7, True):
        with pytest.raises(InvalidArgument, match="n must be"):
            n_digit_primes_st(bad)
    with pytest.raises(InvalidArgument, match="order"):
        tuple_texts(2, "q,p")  # type: ignore[arg-type]
