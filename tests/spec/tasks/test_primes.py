"""spec.tasks.primes, random_prime and det_prime: prime counts, the two generators' laws, bad input."""

from __future__ import annotations

import random
import re
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from spec import Dist, RandomCoins, enumerate_runs
from spec.errors import InvalidArgument, ZeroMass
from spec.tasks import random_prime
from spec.tasks.det_prime import DetPrime, density_integral, det_prime, dyadic_law, li
from spec.tasks.primes import is_n_digit_prime, n_digit_primes
from spec.tasks.random_prime import (
    MAX_PRIME_DIGITS,
    _completion_range,
    completion_range,
    exact_prime_digit_law,
    prime_count,
)
from strategies import n_digit_primes_st

# ---- primes --------------------------------------------------------------------------------------


def test_is_n_digit_prime_needs_exactly_n_digits() -> None:
    assert is_n_digit_prime(11, 2) and is_n_digit_prime(101, 3)
    assert not is_n_digit_prime(23, 3) and not is_n_digit_prime(7, 2)


# ---- random_prime: the rejection generator -------------------------------------------------------


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


# ---- det_prime: the deterministic generator ------------------------------------------------------


def test_det_prime_dyadic_law_is_exact_and_sums_to_one() -> None:
    law = dyadic_law({"a": 0.1, "b": 0.2, "c": 0.7}, 16)
    assert sum(p for _, p in law.items()) == 1
    assert all(p.denominator <= 2**16 for _, p in law.items())
    assert abs(li(1e6) - 78627.54915946) < 1e-6


def test_det_prime_bits_range_is_8_to_64_inclusive() -> None:
    assert det_prime(2, 1).bits == 32
    assert det_prime(2, 1, bits=8).bits == 8
    assert det_prime(2, 1, bits=64).bits == 64
    for bits in (7, 65, 0, True, 8.0):
        msg = f"det_prime: bits must be an int in 8..64, got {bits!r}"
        with pytest.raises(InvalidArgument, match="^" + re.escape(msg) + "$"):
            det_prime(2, 1, bits=bits)  # type: ignore[arg-type]


def test_det_prime_n_and_m_ranges() -> None:
    for n in (0, MAX_PRIME_DIGITS + 1, True):
        msg = f"det_prime n must be an int between 1 and {MAX_PRIME_DIGITS}, got {n!r}"
        with pytest.raises(InvalidArgument, match="^" + re.escape(msg) + "$"):
            det_prime(n, 0)
    assert det_prime(MAX_PRIME_DIGITS, 0).n == MAX_PRIME_DIGITS
    assert det_prime(1, 1).m == 1 and det_prime(3, 3).m == 3 and det_prime(3, 0).m == 0
    for m in (-1, 4, True, 1.0):
        msg = f"det_prime: m must be an int in 0..n=3, got {m!r}"
        with pytest.raises(InvalidArgument, match="^" + re.escape(msg) + "$"):
            det_prime(3, m)  # type: ignore[arg-type]
    with pytest.raises(InvalidArgument, match=r"^det_prime: n = 1 needs m = 1 \(the integral of 1/ln x diverges at 1\)$"):
        det_prime(1, 0)
    assert DetPrime(2, 0, 16) == det_prime(2, 0, bits=16)


def test_li_and_density_integral_against_reference_values() -> None:
    # li(x) to 20 digits (mpmath)
    for x, want in (
        (2.0, 1.0451637801174927848),
        (10.0, 6.1655995047872979375),
        (100.0, 30.126141584079629926),
        (1.5, 0.12506498631529635599),
        (1.01, -4.0229586739299349769),
        (1e6, 78627.549159462181920),
    ):
        assert li(x) == pytest.approx(want, rel=1e-13, abs=1e-13), x
    assert density_integral(100, 200) == pytest.approx(50.192171165963783810 - 30.126141584079629926, rel=1e-13)
    assert density_integral(2, 10) == pytest.approx(6.1655995047872979375 - 1.0451637801174927848, rel=1e-13)
    for x in (1.0, 0.5, -3.0):
        with pytest.raises(InvalidArgument, match="^" + re.escape(f"li: x must be > 1, got {x!r}") + "$"):
            li(x)


def test_dyadic_law_rounds_by_largest_remainders() -> None:
    assert dyadic_law({"a": 1.0, "b": 2.0}, 8) == Dist({"a": Fraction(85, 256), "b": Fraction(171, 256)})
    # three equal remainders of 1/3 and one unit short: the smallest name gets it
    assert dyadic_law({"c": 1.0, "b": 1.0, "a": 1.0}, 8) == Dist({"a": Fraction(86, 256), "b": Fraction(85, 256), "c": Fraction(85, 256)})
    assert dyadic_law({"a": 1.0, "b": 1.0, "c": 1.0}, 9) == Dist({"a": Fraction(171, 512), "b": Fraction(171, 512), "c": Fraction(170, 512)})
    assert dyadic_law({"a": 0.25, "b": 0.75}, 2) == Dist({"a": Fraction(1, 4), "b": Fraction(3, 4)})
    assert dyadic_law({"a": 3.0, "z": 0.0}, 4) == Dist.point("a")
    assert dyadic_law({"a": 1.0, "b": 1e-9}, 8) == Dist.point("a")
    assert dyadic_law({"a": 2.0, "b": 5.0, "c": 9.0}, 4) == Dist({"a": Fraction(2, 16), "b": Fraction(5, 16), "c": Fraction(9, 16)})
    # 16 · (1, 1.5, 2.5) / 5 = (3.2, 4.8, 8): floors 3, 4, 8 and one unit to b (remainder .8)
    assert dyadic_law({"a": 1.0, "b": 1.5, "c": 2.5}, 4) == Dist({"a": Fraction(3, 16), "b": Fraction(5, 16), "c": Fraction(8, 16)})
    for weights in ({"a": 0.0}, {"a": 0.0, "b": 0.0}, {}):
        with pytest.raises(InvalidArgument, match="^" + re.escape(f"dyadic_law: the weights {weights!r} have no positive total") + "$"):
            dyadic_law(weights, 8)


def test_det_prime_model_switches_from_integral_to_counts() -> None:
    model = det_prime(3, 1, bits=16)
    first = model("", "")
    assert first == dyadic_law({d: density_integral(int(d) * 100, int(d) * 100 + 100) for d in "123456789"}, 16)
    second = model("", "1")
    assert second == dyadic_law({d: density_integral(100 + int(d) * 10, 110 + int(d) * 10) for d in "0123456789"}, 16)
    assert model("", "10") == exact_prime_digit_law("10", 3)
    assert model("", "101") == Dist.point("[STOP]")
    assert model("", "20") == Dist.uniform("0123456789")  # 200..209 holds no prime: a dead end
    assert det_prime(1, 1)("", "") == exact_prime_digit_law("", 1)
    with pytest.raises(ZeroMass):
        model("", "1011")


def test_completion_range_is_the_numbers_starting_with_the_prefix() -> None:
    for prefix, n, lo, hi in (("", 2, 10, 100), ("1", 3, 100, 200), ("42", 4, 4200, 4300), ("9", 1, 9, 10), ("70", 2, 70, 71)):
        assert list(range(lo, hi)) == [x for x in range(10 ** (n - 1), 10**n) if str(x).startswith(prefix)]
        # computed afresh and through the table of ranges already asked for: the same range
        assert _completion_range(prefix, n) == range(lo, hi) == completion_range(prefix, n)
