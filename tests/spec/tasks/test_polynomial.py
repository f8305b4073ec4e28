"""spec.tasks.polynomial: expansion, the coefficient text, root recovery and its cost, bad input."""

from __future__ import annotations

import re
from fractions import Fraction

import pytest

from spec import Dist, enumerate_runs, induced
from spec.errors import InvalidArgument, InvalidText, ZeroMass
from spec.tasks.polynomial import (
    COEFFICIENTS,
    Polynomial,
    coefficient_text,
    expand,
    integer_roots,
    parse_coefficients,
    polynomial,
)
from spec.tasks.twenty_questions import Cost
from tests.spec.tasks.conftest import ScriptCoins


def test_polynomial_phi_costs_and_zero_mass() -> None:
    task = polynomial(2, 1)
    # roots in {-1, 0, 1}: the 9 ordered tuples give 6 distinct texts
    texts = {coefficient_text(expand((a, b))) for a in (-1, 0, 1) for b in (-1, 0, 1)}
    assert len(texts) == 6
    task.phi(task.prompt, "")
    assert (task.cost.examined, task.cost.tokens) == (6, 1)
    task.phi(task.prompt, "0")
    task.phi(task.prompt, "-")
    assert (task.cost.examined, task.cost.tokens) == (18, 3)
    with pytest.raises(ZeroMass, match=r"^polynomial: no root tuple gives a text starting with '9'$"):
        task.phi(task.prompt, "9")
    assert (task.cost.examined, task.cost.tokens) == (24, 4)
    with pytest.raises(InvalidText, match=r"^polynomial prefix 'x': symbol 'x' at position 0"):
        task.phi(task.prompt, "x")
    assert task.phi(task.prompt, "") == Dist({"0": Fraction(3, 9), "-": Fraction(3, 9), "1": Fraction(2, 9), "2": Fraction(1, 9)})
    assert task.phi(task.prompt, "0,-1") == Dist.point("[STOP]")
    assert task.phi(task.prompt, "0,") == Dist({"-": Fraction(2, 3), "0": Fraction(1, 3)})
    assert induced(task.phi, task.prompt, max_len=task.max_len) == task.target()


def test_polynomial_algo_draws_each_root_in_range() -> None:
    task = polynomial(3, 2)
    coins = ScriptCoins(0, [0, 4, 2])
    assert task.algo(task.prompt, coins) == coefficient_text(expand((-2, 2, 0)))
    assert coins.log == [(5, 0), (5, 4), (5, 2)]
    assert enumerate_runs(lambda c: polynomial(2, 1).algo("", c), 2).dist() == polynomial(2, 1).target()


def test_integer_roots_counts_every_evaluation() -> None:
    # x: start at isqrt(e1² − 2·e2) + 1; x = 0 has one root: p(1) = 1, step to 0, p(0) = 0
    for coeffs, roots, evaluations in (
        ((0,), (0,), 2),
        ((-7, 0), (0, 7), 4),
        ((-7, 6), (1, 6), 4),
        ((-6, -7), (-1, 7), 4),
        ((-3, 2), (1, 2), 4),
    ):
        cost = Cost()
        assert integer_roots(coeffs, cost) == roots
        assert cost.observed == evaluations, coeffs
        assert (cost.examined, cost.tokens) == (0, 0)
        assert integer_roots(coeffs) == roots
    assert integer_roots(expand((-3, 5, 5, 0, -1))) == (-3, -1, 0, 5, 5)
    assert integer_roots(()) == ()


def test_integer_roots_rejects_non_integer_and_non_real_roots_naming_the_polynomial() -> None:
    for coeffs in ((-4, 5), (-4, 6), (-5, 4, 4), (-3, 1, 1), (0, -2), (-2, 2), (3, -2, -6)):
        msg = f"integer_roots: the polynomial with coefficients {coeffs} has a non-integer root"
        with pytest.raises(InvalidArgument, match="^" + re.escape(msg) + "$"):
            integer_roots(coeffs)
    for coeffs in ((0, 1), (1, 1), (0, 3)):
        msg = f"integer_roots: the polynomial with coefficients {coeffs} has a non-real root"
        with pytest.raises(InvalidArgument, match="^" + re.escape(msg) + "$"):
            integer_roots(coeffs)


def test_integer_roots_stops_at_the_first_non_integer_root() -> None:
    # (x − 1)(x² − 5): Newton from above passes √5 ≈ 2.24 to x = 2 with p(2) = −1 < 0 and p'(2) = 3 > 0,
    # so it must stop there, naming the cubic (not go on to find the root 1 and fail on x² − 5 later)
    cost = Cost()
    with pytest.raises(InvalidArgument, match=r"coefficients \(-1, -5, 5\) has a non-integer root$"):
        integer_roots((-1, -5, 5), cost)
    assert cost.observed == 3  # x = 4, 3, 2
    assert integer_roots((-3, 2)) == (1, 2)


def test_polynomial_arguments_and_parse_errors() -> None:
    assert Polynomial(1, 1).tuples == 3
    for n in (0, -1, True, 1.0):
        msg = f"polynomial: the number of roots n must be an int >= 1, got {n!r}"
        with pytest.raises(InvalidArgument, match="^" + re.escape(msg) + "$"):
            polynomial(n, 1)  # type: ignore[arg-type]
    for R in (0, -1, True, 1.0):
        msg = f"polynomial: the root range R must be an int >= 1, got {R!r}"
        with pytest.raises(InvalidArgument, match="^" + re.escape(msg) + "$"):
            polynomial(1, R)  # type: ignore[arg-type]
    assert polynomial(2, 3) == Polynomial(2, 3)
    assert parse_coefficients("-3,2", 2) == (-3, 2)
    assert parse_coefficients("0", 1) == (0,)
    with pytest.raises(InvalidText, match=r"^coefficient text 'a': symbol 'a' at position 0"):
        parse_coefficients("a", 1)
    for text, n in (("1,2", 1), ("1", 2), ("--1", 1), ("1-", 1), ("", 1), ("1,,2", 3), ("-", 1), ("1-2", 1)):
        msg = f"coefficient text {text!r} is not {n} decimal integers joined by ','"
        with pytest.raises(InvalidArgument, match="^" + re.escape(msg) + "$"):
            parse_coefficients(text, n)
    assert set(COEFFICIENTS) == set("0123456789-,")


def test_polynomial_closed_forms() -> None:
    assert expand((1, 2)) == (-3, 2)
    assert coefficient_text(expand((-1, 0, 2))) == "-1,-2,0"
    task = polynomial(2, 1)  # roots in {-1,0,1}: 9 tuples, 6 multisets
    t = task.target()
    assert len(t) == 6 and t["0,0"] == Fraction(1, 9) and t["0,-1"] == Fraction(2, 9)


def test_integer_roots_stops_at_the_lower_bound_of_the_real_roots() -> None:
    # (x + 2)(x² + 2x + 4): Σ r² = e1² − 2·e2 = 16 − 16 = 0, so real roots would lie in (−1, 1); Newton goes
    # x = 1, 0, −1 with p(−1) = 3 > 0 and p'(−1) = 3 > 0: at −1 it must stop, naming the cubic (not step on
    # to the root −2 and fail later on x² + 2x + 4)
    assert _mul((2,), (2, 4)) == (4, 8, 8)
    cost = Cost()
    with pytest.raises(InvalidArgument, match=r"^integer_roots: the polynomial with coefficients \(4, 8, 8\) has a "
                                              r"non-integer root$"):
        integer_roots((4, 8, 8), cost)
    assert cost.observed == 3


def _mul(a: tuple[int, ...], b: tuple[int, ...]) -> tuple[int, ...]:
    """The lower coefficients of the product of two monic polynomials given by their lower coefficients."""
    pa, pb = (1, *a), (1, *b)
    out = [0] * (len(pa) + len(pb) - 1)
    for i, x in enumerate(pa):
        for j, y in enumerate(pb):
            out[i + j] += x * y
    return tuple(out[1:])
