"""The project's one sympy adapter: exact identities certified by expand/cancel reaching 0.

An identity lhs = rhs is certified when the normal form of lhs − rhs (expand, then cancel)
is literally the number 0; `simplify` and `equals` are never used, because they may answer
without a normal form. Identities with Min/Abs are certified case by case: each case is a
substitution (e.g. y = x + d with d ≥ 0) under which sympy evaluates Min/Abs exactly from the
declared signs, and the residual must still reach 0 with no Min/Abs/Piecewise left.

sympy is untyped: callers pass expressions as strings and get typed results (bool, str).
"""

from __future__ import annotations

import tokenize
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any


from spec.errors import InvalidArgument

__all__ = ["Certificate", "certify_identity", "certify_by_cases", "min_abs_identity", "declare"]

_SIGNS = ("real", "nonnegative", "positive")


@dataclass(frozen=True)
class Certificate:
    """lhs = rhs (under `case`) holds iff the expanded, cancelled difference `residual` is "0"."""

    statement: str
    case: str
    residual: str

    @property
    def holds(self) -> bool:
        """True exactly when the residual normal form is 0."""
        return self.residual == "0"

    def line(self) -> str:
        """One evidence line: the statement, the case and the residual."""
        where = f" [case {self.case}]" if self.case else ""
        verdict = "certified (expand/cancel residual 0)" if self.holds else f"NOT certified, residual {self.residual}"
        return f"sympy: {self.statement}{where}: {verdict}"


def declare(symbols: Mapping[str, str]) -> dict[str, Any]:
    """Sympy symbols from name → sign ("real", "nonnegative" or "positive")."""
    import sympy  # here, not at the top: importing sympy costs ~0.5 s, which a refused command line should not pay

    out: dict[str, Any] = {}
    for name, sign in symbols.items():
        if not name.isidentifier():
            raise InvalidArgument(f"declare: symbol name {name!r} is not an identifier")
        if sign not in _SIGNS:
            raise InvalidArgument(f"declare: sign of {name!r} is {sign!r}, expected one of {_SIGNS}")
        out[name] = sympy.Symbol(name, **{sign: True})
    return out


def _parse(text: str, names: Mapping[str, Any], what: str) -> Any:
    """Parse an expression over the declared symbols only (an unknown name is an error)."""
    import sympy

    if not isinstance(text, str) or not text.strip():
        raise InvalidArgument(f"{what}: expected a non-empty expression string, got {text!r}")
    local = {**names, "Min": sympy.Min, "Max": sympy.Max, "Abs": sympy.Abs, "Rational": sympy.Rational}
    try:
        expr = sympy.parse_expr(text, local_dict=local, evaluate=True)
    except (SyntaxError, TypeError, ValueError, tokenize.TokenError, sympy.SympifyError) as error:  # '(' is a TokenError
        raise InvalidArgument(f"{what}: cannot parse {text!r}: {error}") from error
    unknown = {str(s) for s in expr.free_symbols} - set(names)
    if unknown:
        raise InvalidArgument(f"{what}: {text!r} uses undeclared symbols {sorted(unknown)}")
    return expr


def _residual(difference: Any) -> str:
    """The normal form of a difference: expand, then cancel; any Min/Abs/Piecewise left blocks 0."""
    import sympy

    normal = sympy.cancel(sympy.expand(difference))
    return str(normal)


def certify_identity(
    lhs: str,
    rhs: str,
    symbols: Mapping[str, str],
    *,
    substitute: Mapping[str, str] | None = None,
    case: str = "",
) -> Certificate:
    """Certify lhs = rhs for all values of the declared symbols (after the optional substitution)."""
    names = declare(symbols)
    left, right = _parse(lhs, names, "lhs"), _parse(rhs, names, "rhs")
    if substitute:
        strange = sorted(set(substitute) - set(names))
        if strange:
            raise InvalidArgument(f"substitution names undeclared symbols {strange}")
        subs = {names[k]: _parse(v, names, f"substitution of {k}") for k, v in substitute.items()}
        # Min/Abs re-evaluate after substitution, from the signs of the declared symbols
        left, right = left.subs(subs), right.subs(subs)
    return Certificate(f"{lhs} = {rhs}", case, _residual(left - right))


def certify_by_cases(
    lhs: str,
    rhs: str,
    symbols: Mapping[str, str],
    cases: Sequence[tuple[str, Mapping[str, str]]],
) -> list[Certificate]:
    """One certificate per case (a name and a substitution); the caller states why the cases cover all."""
    if not cases:
        raise InvalidArgument("certify_by_cases: no cases given")
    return [certify_identity(lhs, rhs, symbols, substitute=subs, case=name) for name, subs in cases]


def min_abs_identity(*, sign: int = -1) -> list[Certificate]:
    """min(x, y) = (x + y − |x − y|)/2 over the reals, by the cases y = x + d and x = y + d (d ≥ 0).

    The two cases cover R² (either x ≤ y or y ≤ x). `sign = +1` states the wrong identity
    (that is max), for the failing counterpart.
    """
    symbols = {"x": "real", "y": "real", "d": "nonnegative"}
    rhs = f"(x + y {'-' if sign < 0 else '+'} Abs(x - y))/2"
    cases = [("x <= y: y = x + d, d >= 0", {"y": "x + d"}), ("y <= x: x = y + d, d >= 0", {"x": "y + d"})]
    return certify_by_cases("Min(x, y)", rhs, symbols, cases)
