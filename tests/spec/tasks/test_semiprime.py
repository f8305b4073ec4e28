"""spec.tasks.semiprime: the tuple texts, the two exact models, the rejection algorithm, bad input."""

from __future__ import annotations

import pytest
from hypothesis import given

from spec import enumerate_runs
from spec.errors import InvalidArgument, InvalidText
from spec.tasks import semiprime_triple
from spec.tasks.primes import n_digit_primes
from spec.tasks.semiprime import distinct_products, parse_continuation, parse_tuple, tuple_text
from strategies import tuple_texts

REFERENCE = {1: (4, 16, 10), 2: (21, 441, 231), 3: (143, 20449, 10296)}


def test_S_n_sizes_match_the_reference_table() -> None:
    for n, (primes, pairs, distinct) in REFERENCE.items():
        assert len(n_digit_primes(n)) == primes
        assert len(semiprime_triple(n, "pq,p,q").target()) == pairs
        assert len(distinct_products(n)) == distinct == primes * (primes + 1) // 2


@given(tuple_texts(3))
def test_tuple_text_round_trip(text: str) -> None:
    order = "p,q,pq" if text.count(",") == 2 and len(text.split(",")[2]) > 4 else "pq,p,q"
    p, q, s = parse_tuple(text, order, 3)  # type: ignore[arg-type]
    assert p * q == s and tuple_text(p, q, order) == text  # type: ignore[arg-type]


def test_malformed_tuple_texts_are_rejected_with_the_reason() -> None:
    with pytest.raises(InvalidText, match="not of the form"):
        parse_tuple("[12,3]", "pq,p,q")
    with pytest.raises(InvalidText, match="not of the form"):
        parse_tuple("[012,3,4]", "p,q,pq")
    with pytest.raises(InvalidText, match="not 21"):
        parse_tuple("[21,3,5]", "pq,p,q")
    with pytest.raises(InvalidText, match="9 is not an 1-digit prime"):
        parse_tuple("[18,2,9]", "pq,p,q", 1)
    with pytest.raises(InvalidText, match="'x'"):
        parse_tuple("[1x,1,1]", "pq,p,q")
    with pytest.raises(InvalidText, match="a,b"):
        parse_continuation("3,5")
    with pytest.raises(InvalidArgument, match="order"):
        tuple_text(3, 5, "q,p,pq")  # type: ignore[arg-type]


def test_semiprime_task_bad_input_is_typed() -> None:
    task = semiprime_triple(2, "pq,p,q")
    with pytest.raises(InvalidArgument, match="is not prime"):
        task.text(15, 13)
    with pytest.raises(InvalidArgument, match="has 1 digits, not 2"):
        task.text(7, 13)
    with pytest.raises(InvalidArgument, match="n must be"):
        semiprime_triple(0, "pq,p,q")
    with pytest.raises(InvalidArgument, match="explicit target"):
        semiprime_triple(5, "pq,p,q").target()


def test_semiprime_algo_law_is_consistent_with_the_target() -> None:
    task = semiprime_triple(1, "p,q,pq")
    runs = enumerate_runs(lambda c: task.algo(task.prompt, c), 6)
    assert runs.consistent_with(task.target()) and set(runs.mass) == set(task.target().support)
