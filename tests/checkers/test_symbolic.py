"""The sympy adapter: identities certified by expand/cancel reaching exactly 0, and wrong ones not."""

from __future__ import annotations

import re

import pytest

from checkers.smt.symbolic import (
    Certificate,
    _parse,
    certify_by_cases,
    certify_identity,
    declare,
    min_abs_identity,
)
from spec.errors import InvalidArgument
from tests.conftest import raises_exactly


def test_min_abs_identity_is_certified_in_both_sign_cases() -> None:
    certs = min_abs_identity()
    assert len(certs) == 2 and all(c.holds for c in certs)
    assert {c.case.split(":")[0] for c in certs} == {"x <= y", "y <= x"}


def test_min_abs_identity_with_the_wrong_sign_is_not_certified() -> None:
    # (x + y + |x − y|)/2 is max(x, y): each case leaves the residual −d
    certs = min_abs_identity(sign=+1)
    assert not any(c.holds for c in certs)
    assert all(c.residual == "-d" for c in certs)


def test_min_abs_identity_without_a_case_split_is_not_certified() -> None:
    # over unrestricted reals sympy cannot evaluate Min/Abs: no normal form 0, hence no certificate
    cert = certify_identity("Min(x, y)", "(x + y - Abs(x - y))/2", {"x": "real", "y": "real"})
    assert not cert.holds and "Min" in cert.residual


def test_am_hm_square_identity_is_certified_by_cancel() -> None:
    assert certify_identity("p + l**2/p - 2*l", "(p - l)**2/p", {"p": "positive", "l": "real"}).holds


def test_tight_family_identities_are_certified() -> None:
    sym = {"k": "positive", "N": "positive"}
    assert certify_identity("k*(1/(k/N))", "N", sym).holds
    assert certify_identity("(k/N)**2", "(k*(k/N))/N", sym).holds


def test_a_false_polynomial_identity_is_not_certified() -> None:
    cert = certify_identity("(x + y)**2", "x**2 + y**2", {"x": "real", "y": "real"})
    assert not cert.holds and cert.residual == "2*x*y"
    assert "NOT certified" in cert.line()


def test_undeclared_symbols_and_bad_input_raise_invalid_argument() -> None:
    with pytest.raises(InvalidArgument, match="undeclared"):
        certify_identity("x + z", "x", {"x": "real"})
    with pytest.raises(InvalidArgument, match="sign"):
        certify_identity("x", "x", {"x": "complex"})
    with pytest.raises(InvalidArgument, match="parse"):
        certify_identity("x +", "x", {"x": "real"})
    with pytest.raises(InvalidArgument, match="undeclared"):
        certify_identity("x", "x", {"x": "real"}, substitute={"q": "x"})
    with pytest.raises(InvalidArgument, match="no cases"):
        certify_by_cases("x", "x", {"x": "real"}, [])


def test_unbalanced_expression_is_an_invalid_argument_naming_it() -> None:
    # sympy's tokenizer raises tokenize.TokenError (not a SyntaxError) on an unclosed bracket
    with pytest.raises(InvalidArgument, match=r"cannot parse '\('"):
        certify_identity("x", "(", {"x": "real"})


def test_parse_keeps_a_symbol_named_min_and_reserves_Min_for_sympy() -> None:
    names = declare({"min": "real", "x": "real"})
    assert str(_parse("min + x", names, "lhs")) == "min + x"
    assert str(_parse("Min(x, 1)", names, "lhs")) == "Min(1, x)"
    shadowed = declare({"Min": "real", "x": "real"})
    with pytest.raises(InvalidArgument, match=re.escape(
            "lhs: cannot parse 'Min + x': unsupported operand type(s) for +: 'FunctionClass' and 'Symbol'")):
        _parse("Min + x", shadowed, "lhs")


def test_certify_identity_names_the_side_and_keeps_the_residual() -> None:
    xy = {"x": "real", "y": "real"}
    raises_exactly(InvalidArgument, "rhs: 'y + z' uses undeclared symbols ['z']", lambda: certify_identity("x", "y + z", xy))
    raises_exactly(InvalidArgument, "lhs: 'w' uses undeclared symbols ['w']", lambda: certify_identity("w", "x", xy))
    raises_exactly(InvalidArgument, "rhs: expected a non-empty expression string, got ''", lambda: certify_identity("x", "", xy))
    cert = certify_identity("x + y", "Min(x, y)", xy)
    assert cert == Certificate("x + y = Min(x, y)", "", "x + y - Min(x, y)") and not cert.holds
    cert = certify_identity("Min(x, y)", "x", {**xy, "d": "nonnegative"}, substitute={"y": "x + d"}, case="c")
    assert cert == Certificate("Min(x, y) = x", "c", "0") and cert.line() == (
        "sympy: Min(x, y) = x [case c]: certified (expand/cancel residual 0)")


def test_parse_reserves_Max_for_sympy_even_over_a_declared_symbol_named_Max() -> None:
    names = declare({"x": "real"})
    assert str(_parse("Max(x, 1)", names, "lhs")) == "Max(1, x)"
    shadowed = declare({"Max": "real", "x": "real"})
    with pytest.raises(InvalidArgument, match=re.escape(
            "lhs: cannot parse 'Max + x': unsupported operand type(s) for +: 'FunctionClass' and 'Symbol'")):
        _parse("Max + x", shadowed, "lhs")
