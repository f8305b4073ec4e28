"""spec.tasks.primes, random_prime and det_prime: prime counts, the two generators' laws, bad input."""

from __future__ import annotations

import random
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from spec import RandomCoins, enumerate_runs
from spec.errors import InvalidArgument, ZeroMass
from spec.tasks import random_prime
from spec.tasks.det_prime import det_prime, dyadic_law, li
from spec.tasks.primes import n_digit_primes
from spec.tasks.random_prime import completion_range, prime_count
from strategies import n_digit_primes_st


def test_random_prime_step_residual_is_closed_form_geometric() -> None:
    """The residual of one step's rejection loop is (1 − q)^B, q = c(x)/|completions of x|."""
    task = random_prime(2)
    q = Fraction(prime_count("", 2), len(completion_range("", 2)))
    for budget in (1, 3, 7):
        runs = enumerate_runs(lambda c: task.phi_r(task.prompt, "", c), budget)
        assert runs.residual == (1 - q) ** budget


def test_random_prime_algo_output_is_consistent_with_uniform_primes() -> None:
    task = random_prime(2)
    runs = enumerate_runs(lambda c: task.algo(task.prompt, c), 8)
    assert runs.consistent_with(task.target())
    masses = set(runs.mass.values())
    assert len(masses) == 1 and set(runs.mass) == set(task.target().support)  # equal mass per prime


@given(st.integers(0, 2**32))
def test_random_prime_samples_are_n_digit_primes(seed: int) -> None:
    task = random_prime(4)
    out = task.algo(task.prompt, RandomCoins(random.Random(seed)))
    assert int(out) in n_digit_primes(4)


@given(n_digit_primes_st(3), st.integers(0, 3))
def test_prime_count_matches_brute_force(p: int, k: int) -> None:
    prefix = str(p)[:k]
    assert prime_count(prefix, 3) == sum(1 for q in n_digit_primes(3) if str(q).startswith(prefix))


def test_random_prime_bad_input() -> None:
    for bad in (0, 9, 2.0):
        with pytest.raises(InvalidArgument, match="n must be"):
            random_prime(bad)  # type: ignore[arg-type]
    task = random_prime(3)
    with pytest.raises(ZeroMass, match="no 3-digit prime starts with '20'"):
        task.phi_r(task.prompt, "20", RandomCoins(random.Random(0)))
    with pytest.raises(ZeroMass, match="'0'"):
        task.phi(task.prompt, "0")
    with pytest.raises(ZeroMass, match="not an 3-digit prime"):
        task.phi(task.prompt, "100")


def test_det_prime_dyadic_law_is_exact_and_sums_to_one() -> None:
    law = dyadic_law({"a": 0.1, "b": 0.2, "c": 0.7}, 16)
    assert sum(p for _, p in law.items()) == 1
    assert all(p.denominator <= 2**16 for _, p in law.items())
    assert abs(li(1e6) - 78627.54915946) < 1e-6


def test_det_prime_bad_input() -> None:
    with pytest.raises(InvalidArgument, match="m must be"):
        det_prime(3, 4)
    with pytest.raises(InvalidArgument, match="n = 1 needs m = 1"):
        det_prime(1, 0)
    with pytest.raises(InvalidArgument, match="li"):
        li(1.0)
