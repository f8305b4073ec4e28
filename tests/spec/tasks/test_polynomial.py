"""spec.tasks.polynomial: expansion, the coefficient text, root recovery and its cost, bad input."""

from __future__ import annotations

from fractions import Fraction

import pytest

from spec.errors import InvalidArgument
from spec.tasks.polynomial import coefficient_text, expand, integer_roots, parse_coefficients, polynomial


def test_polynomial_closed_forms() -> None:
    assert expand((1, 2)) == (-3, 2)
    assert coefficient_text(expand((-1, 0, 2))) == "-1,-2,0"
    task = polynomial(2, 1)  # roots in {-1,0,1}: 9 tuples, 6 multisets
    t = task.target()
    assert len(t) == 6 and t["0,0"] == Fraction(1, 9) and t["0,-1"] == Fraction(2, 9)


def test_polynomial_bad_input() -> None:
    with pytest.raises(InvalidArgument, match="R must be"):
        polynomial(2, 0)
    with pytest.raises(InvalidArgument, match="n must be"):
        polynomial(0, 3)
    with pytest.raises(InvalidArgument, match="non-integer|non-real"):
        integer_roots((0, -2))  # x² − 2
    with pytest.raises(InvalidArgument, match="non-real"):
        integer_roots((0, 1))  # x² + 1
    with pytest.raises(InvalidArgument):
        parse_coefficients("1,,2", 3)
