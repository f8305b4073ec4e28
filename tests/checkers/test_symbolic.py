"""The sympy adapter: identities certified by expand/cancel reaching exactly 0, and wrong ones not."""

from __future__ import annotations

import pytest

from checkers.symbolic import certify_by_cases, certify_identity, min_abs_identity
from spec.errors import InvalidArgument


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
