"""Laws of Dist: normalisation, the monad laws, exact conditioning, tvd a metric, overlap = 1 − tvd; the
constructors' messages."""

from __future__ import annotations

import itertools
import random
from collections.abc import Callable
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from spec import Dist, InvalidDistribution, ZeroMass, overlap, tvd
from strategies import dists
from tests.conftest import raises_exactly

ints = st.integers(-3, 3)
small = dists(ints)
Kernel = Callable[[int], Dist[int]]


def kernels() -> st.SearchStrategy[Kernel]:
    """Kernels int → Dist[int], given by a table on -3..3."""
    return st.lists(small, min_size=7, max_size=7).map(lambda ds: lambda x: ds[x + 3])


def total(d: Dist[int]) -> Fraction:
    """Σ_x P(x), summed afresh in Fractions."""
    return sum((p for _, p in d.items()), Fraction(0))


def events(d1: Dist[int], d2: Dist[int]) -> list[frozenset[int]]:
    """Every subset of the union of the supports."""
    xs = sorted(d1.support | d2.support)
    return [frozenset(c) for r in range(len(xs) + 1) for c in itertools.combinations(xs, r)]


# ---- normalisation ---------------------------------------------------------------------------


@given(small)
def test_normalisation_probabilities_sum_to_one(d: Dist[int]) -> None:
    assert total(d) == 1
    assert all(p > 0 for _, p in d.items())
    assert all(isinstance(d[x], Fraction) for x in d.support)


@given(st.dictionaries(ints, st.integers(0, 9), min_size=1).filter(lambda w: sum(w.values()) > 0))
def test_normalisation_from_weights_is_w_over_total(w: dict[int, int]) -> None:
    d = Dist.from_weights(w)
    s = sum(w.values())
    assert all(d[x] == Fraction(v, s) for x, v in w.items())
    assert d.support == {x for x, v in w.items() if v > 0}


@given(st.lists(ints, min_size=1, unique=True))
def test_normalisation_uniform(xs: list[int]) -> None:
    d = Dist.uniform(xs)
    assert all(d[x] == Fraction(1, len(xs)) for x in xs) and total(d) == 1


@given(small, kernels(), st.sets(ints, min_size=1))
def test_normalisation_is_preserved_by_map_bind_and_condition(d: Dist[int], f: Kernel, a: set[int]) -> None:
    # map, bind and condition build their results on spec's trusted fast path: re-sum them here
    assert total(d.map(lambda x: x % 2)) == 1
    assert total(d.bind(f)) == 1
    if d.prob(lambda x: x in a) > 0:
        assert total(d.condition(lambda x: x in a)) == 1


def test_normalisation_equal_laws_are_equal_and_hash_equal() -> None:
    a = Dist.from_weights({"x": 2, "y": 2})
    b = Dist({"x": Fraction(1, 2), "y": Fraction(1, 2)})
    c = Dist.uniform("xy")
    assert a == b == c and hash(a) == hash(b) == hash(c)
    assert Dist({"x": Fraction(1, 3), "y": Fraction(2, 3), "z": 0}) == Dist.from_weights({"x": 1, "y": 2})
    assert Dist.point("x") != Dist.uniform("xy")


# ---- monad laws ------------------------------------------------------------------------------


@given(st.integers(-3, 3), kernels())
def test_monad_left_identity(x: int, f: Kernel) -> None:
    assert Dist.point(x).bind(f) == f(x)


@given(small)
def test_monad_right_identity(d: Dist[int]) -> None:
    assert d.bind(Dist.point) == d


@given(small, kernels(), kernels())
def test_monad_associativity(d: Dist[int], f: Kernel, g: Kernel) -> None:
    assert d.bind(f).bind(g) == d.bind(lambda x: f(x).bind(g))


@given(small)
def test_map_is_bind_of_point(d: Dist[int]) -> None:
    assert d.map(lambda x: x * x) == d.bind(lambda x: Dist.point(x * x))


@given(small)
def test_map_is_pushforward(d: Dist[int]) -> None:
    m = d.map(abs)
    for y in range(4):
        assert m[y] == sum((p for x, p in d.items() if abs(x) == y), Fraction(0))


@given(small, kernels())
def test_bind_is_law_of_total_probability(d: Dist[int], f: Kernel) -> None:
    b = d.bind(f)
    for y in range(-3, 4):
        assert b[y] == sum((p * f(x)[y] for x, p in d.items()), Fraction(0))


# ---- conditioning ----------------------------------------------------------------------------


@given(small, st.sets(ints, min_size=1))
def test_condition_renormalises_exactly(d: Dist[int], a: set[int]) -> None:
    pa = d.prob(lambda x: x in a)
    if pa == 0:
        with pytest.raises(ZeroMass):
            d.condition(lambda x: x in a)
        return
    c = d.condition(lambda x: x in a)
    assert total(c) == 1
    for x in range(-3, 4):
        assert c[x] == (d[x] / pa if x in a else 0)


def test_condition_on_a_null_event_is_an_error() -> None:
    with pytest.raises(ZeroMass, match="probability 0"):
        Dist.uniform([1, 2]).condition(lambda x: x > 5)


# ---- tvd and overlap -------------------------------------------------------------------------


@given(small, small)
def test_tvd_in_unit_interval_and_symmetric(d1: Dist[int], d2: Dist[int]) -> None:
    assert 0 <= tvd(d1, d2) <= 1
    assert tvd(d1, d2) == tvd(d2, d1)


@given(small, small)
def test_tvd_identity_of_indiscernibles(d1: Dist[int], d2: Dist[int]) -> None:
    assert tvd(d1, d1) == 0
    assert (tvd(d1, d2) == 0) == (d1 == d2)


@given(small, small, small)
def test_tvd_triangle_inequality(d1: Dist[int], d2: Dist[int], d3: Dist[int]) -> None:
    assert tvd(d1, d3) <= tvd(d1, d2) + tvd(d2, d3)


@given(small, small)
def test_tvd_is_half_l1(d1: Dist[int], d2: Dist[int]) -> None:
    xs = d1.support | d2.support
    assert tvd(d1, d2) == sum((abs(d1[x] - d2[x]) for x in xs), Fraction(0)) / 2


@given(small, small)
def test_tvd_is_largest_event_gap_exhaustively(d1: Dist[int], d2: Dist[int]) -> None:
    gaps = [abs(d1.prob(lambda x: x in a) - d2.prob(lambda x: x in a)) for a in events(d1, d2)]
    assert tvd(d1, d2) == max(gaps)


def test_tvd_of_disjoint_supports_is_one() -> None:
    assert tvd(Dist.point(0), Dist.point(1)) == 1
    assert tvd(Dist.uniform([0, 1]), Dist.uniform([1, 2])) == Fraction(1, 2)


@given(small, small)
def test_overlap_is_one_minus_tvd(d1: Dist[int], d2: Dist[int]) -> None:
    assert overlap(d1, d2) == 1 - tvd(d1, d2)
    assert overlap(d1, d2) == sum((min(d1[x], d2[x]) for x in d1.support | d2.support), Fraction(0))


def test_overlap_and_tvd_name_themselves_on_bad_arguments() -> None:
    d = Dist.uniform("ab")
    raises_exactly(InvalidDistribution, "overlap: the second argument is a dict, not a Dist", lambda: overlap(d, {"a": 1}))  # type: ignore[arg-type]
    raises_exactly(InvalidDistribution, "overlap: the first argument is a str, not a Dist", lambda: overlap("a", d))  # type: ignore[arg-type]
    raises_exactly(InvalidDistribution, "tvd: the second argument is a int, not a Dist", lambda: tvd(d, 3))  # type: ignore[arg-type]
    assert overlap(d, Dist.uniform("bc")) == Fraction(1, 2) == 1 - tvd(d, Dist.uniform("bc"))


# ---- sample --------------------------------------------------------------------------------


@given(small, st.integers(0, 2**32))
def test_sample_lands_in_support(d: Dist[int], seed: int) -> None:
    assert d.sample(random.Random(seed)) in d.support


def test_sample_frequencies_follow_the_law_exactly_over_all_draws() -> None:
    # sample draws randrange(den) and maps it through the cumulative weights: feeding it every
    # residue once must hit each x exactly den·P(x) times
    d = Dist.from_weights({"a": 1, "b": 2, "c": 3})

    class Every(random.Random):
        def __init__(self) -> None:
            super().__init__(0)
            self.next = 0

        def randrange(self, n: int) -> int:  # type: ignore[override]
            r, self.next = self.next % n, self.next + 1
            return r

    rng = Every()
    counts = {x: 0 for x in "abc"}
    for _ in range(d.denominator):
        counts[d.sample(rng)] += 1
    assert {x: Fraction(c, d.denominator) for x, c in counts.items()} == {x: d[x] for x in "abc"}


# ---- constructor errors --------------------------------------------------------------------


FLOATS = "use int or fractions.Fraction, floats are not exact"


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (lambda: Dist({"a": 0.5, "b": Fraction(1, 2)}),  # type: ignore[dict-item]
         rf"^Dist: weight of 'a' is 0\.5 \(float\); {FLOATS}$"),
        (lambda: Dist.from_weights({"a": 1.0}),  # type: ignore[dict-item]
         rf"^Dist\.from_weights: weight of 'a' is 1\.0 \(float\); {FLOATS}$"),
        (lambda: Dist.from_weights({"a": Decimal(1)}), "Decimal"),  # type: ignore[dict-item]
        (lambda: Dist.from_weights({"a": True}), "bool"),
        (lambda: Dist.from_weights({"a": 2, "b": -1}), r"^Dist\.from_weights: weight of 'b' is negative \(-1\)$"),
        (lambda: Dist.from_weights({"a": -1, "b": 2}), r"^Dist\.from_weights: weight of 'a' is negative \(-1\)$"),
        (lambda: Dist.from_weights({"a": 0, "b": 0}), "total 0"),
        (lambda: Dist.from_weights({}), "total 0"),
        (lambda: Dist({"a": Fraction(1, 2)}),
         r"^Dist: probabilities sum to 1/2, not 1 \(Dist\.from_weights normalises weights explicitly\)$"),
        (lambda: Dist({"a": 1, "b": 1}), "sum to 2, not 1"),
        (lambda: Dist({"a": 0}), "empty support"),
        (lambda: Dist.uniform([]), r"^Dist\.uniform: no items \(empty support\)$"),
        (lambda: Dist.uniform("aba"), "'a' occurs twice"),
        (lambda: Dist.from_weights([1, 2]), "must be a mapping"),  # type: ignore[arg-type]
        (lambda: Dist.uniform([1]).bind(lambda x: {x: 1}), "not a Dist"),  # type: ignore[arg-type, return-value]
    ],
)
def test_constructor_errors_are_typed_and_say_what(build: Callable[[], object], message: str) -> None:
    with pytest.raises(InvalidDistribution, match=message):
        build()


def test_invalid_distribution_is_a_value_error() -> None:
    with pytest.raises(ValueError):
        Dist.from_weights({"a": -1})


# ---- iteration, membership and repr --------------------------------------------------------------


def test_iterating_a_dist_gives_its_support() -> None:
    d = Dist.from_weights({"a": 1, "b": 0, "c": 2})
    assert sorted(d) == ["a", "c"] and len(d) == 2


def test_dist_repr_shows_eight_items_then_the_count() -> None:
    assert repr(Dist.from_weights({"a": 1, "b": 3})) == "Dist({'a': 1/4, 'b': 3/4})"
    many = Dist.uniform(range(10))
    assert repr(many) == "Dist({" + ", ".join(f"{i}: 1/10" for i in range(8)) + ", ... (10 items)})"
    assert 3 in many and 10 not in many
    # eight items are shown in full; a ninth adds the count
    assert repr(Dist.uniform(range(8))) == "Dist({" + ", ".join(f"{i}: 1/8" for i in range(8)) + "})"
    assert repr(Dist.uniform(range(9))) == "Dist({" + ", ".join(f"{i}: 1/9" for i in range(8)) + ", ... (9 items)})"


class _Count(int):
    """An int subclass: a weight that is neither exactly int nor Fraction."""


def test_from_weights_checks_every_weight_after_an_int_subclass_weight() -> None:
    raises_exactly(InvalidDistribution,
                   "Dist.from_weights: weight of 'b' is 2.5 (float); use int or fractions.Fraction, floats are not exact",
                   lambda: Dist.from_weights({"a": _Count(1), "b": 2.5}))  # type: ignore[dict-item]
    raises_exactly(InvalidDistribution, "Dist: weight of 'b' is negative (-1)",
                   lambda: Dist({"a": _Count(1), "b": -1}))
