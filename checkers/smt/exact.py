"""Exact evaluation of z3 terms in Fractions: the one re-checker of solver models and witnesses."""

from __future__ import annotations

import functools
import operator
import types
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, Callable, Mapping, Sequence

import z3

__all__ = [
    "Interpretation",
    "evaluate",
    "evaluate_all",
    "refutes",
    "subterms",
]


_APP_KINDS = (z3.Z3_APP_AST, z3.Z3_NUMERAL_AST)


_POSTORDERS: dict[tuple[tuple[int, int], ...], tuple[tuple[Any, ...], list[Any]]] = {}
_MAX_POSTORDERS = 4096


def _postorder(roots: Sequence[Any]) -> list[Any]:
    """The distinct subterms of `roots` (quantifier bodies included), children before parents."""
    # memoised within a run: the same formulas are walked again (powers, logic, symbols, evaluation).
    # The key is the roots' (context, AST id); the cache keeps the roots alive, so no other term
    # can take their ids.
    key = tuple((id(root.ctx), root.get_id()) for root in roots)
    hit = _POSTORDERS.get(key)
    if hit is not None:
        return list(hit[1])
    order = _postorder_walk(roots)
    if len(_POSTORDERS) >= _MAX_POSTORDERS:
        _POSTORDERS.clear()
    _POSTORDERS[key] = (tuple(roots), order)
    return list(order)


def subterms(formula: Any) -> list[Any]:
    """Every distinct subterm of formula, quantifier bodies included, each after its arguments."""
    return _postorder_walk([formula])


def _postorder_walk(roots: Sequence[Any]) -> list[Any]:
    """_postorder without the memo."""
    # Arguments are read through z3's C API, and wrapped as z3 expressions only when first met:
    # z3's ExprRef.children() re-checks is_app and the arity for every argument and wraps every
    # argument, shared or not, at several C calls each.
    seen: set[int] = set()
    order: list[Any] = []
    stack: list[tuple[Any, bool]] = [(root, False) for root in reversed(roots)]
    while stack:
        node, expanded = stack.pop()
        if expanded:
            order.append(node)
            continue
        if type(node) is tuple:  # (ast, context, id) of an argument not wrapped yet
            ast, ctx, key = node
            if key in seen:
                continue
            node = z3.z3._to_expr_ref(ast, ctx)
        else:
            key = node.get_id()
            if key in seen:
                continue
        seen.add(key)
        stack.append((node, True))
        if z3.is_quantifier(node):
            stack.append((node.body(), False))
        elif isinstance(node, z3.ExprRef):
            ctx = node.ctx
            ref, ast = ctx.ref(), node.as_ast()
            if z3.Z3_get_ast_kind(ref, ast) in _APP_KINDS:
                for i in reversed(range(z3.Z3_get_app_num_args(ref, ast))):
                    kid = z3.Z3_get_app_arg(ref, ast, i)
                    kid_key = z3.Z3_get_ast_id(ref, kid)
                    if kid_key not in seen:
                        stack.append(((kid, ctx, kid_key), False))
    return order


def _arg_ids(node: Any) -> list[int]:
    """The ids of an application's arguments: [kid.get_id() for kid in node.children()], without wrapping them."""
    ref, ast = node.ctx.ref(), node.as_ast()
    return [z3.Z3_get_ast_id(ref, z3.Z3_get_app_arg(ref, ast, i)) for i in range(z3.Z3_get_app_num_args(ref, ast))]


def _decl_kind(node: Any) -> int:
    """node.decl().kind() of an application, without wrapping its declaration."""
    ref = node.ctx.ref()
    return int(z3.Z3_get_decl_kind(ref, z3.Z3_get_app_decl(ref, node.as_ast())))


def _numeral(term: Any) -> Fraction | None:
    """The value of a rational or integer numeral, else None."""
    if z3.is_int_value(term):
        return Fraction(term.as_long())
    if z3.is_rational_value(term):
        return Fraction(term.numerator_as_long(), term.denominator_as_long())
    return None


@dataclass(frozen=True)
class Interpretation:
    """An exact interpretation of the free symbols of some formulas.

    `constants` maps 0-ary symbols to Fractions (Bools as 0/1); `functions` maps an uninterpreted
    function's name to its finite table (argument tuple -> value) and the value everywhere else.
    """

    constants: Mapping[str, Fraction]
    functions: Mapping[str, tuple[Mapping[tuple[Fraction, ...], Fraction], Fraction]] = field(default_factory=dict)

    def describe(self) -> str:
        """`x = 1/2, f = {0: 1, else 0}`, sorted by name."""
        parts = [f"{k} = {v}" for k, v in sorted(self.constants.items())]
        for name, (table, default) in sorted(self.functions.items()):
            cells = ", ".join(f"{','.join(map(str, k))}: {v}" for k, v in sorted(table.items()))
            parts.append(f"{name} = {{{cells}{', ' if cells else ''}else {default}}}")
        return ", ".join(parts) or "(no symbols)"


_ARITH: dict[int, Callable[[list[Fraction]], Fraction]] = {
    z3.Z3_OP_ADD: lambda xs: sum(xs, Fraction(0)),
    z3.Z3_OP_MUL: lambda xs: functools.reduce(operator.mul, xs, Fraction(1)),
    z3.Z3_OP_SUB: lambda xs: xs[0] - sum(xs[1:], Fraction(0)),
    z3.Z3_OP_UMINUS: lambda xs: -xs[0],
    z3.Z3_OP_TO_REAL: lambda xs: xs[0],
}

_COMPARE: dict[int, Callable[[Fraction, Fraction], bool]] = {
    z3.Z3_OP_LE: operator.le,
    z3.Z3_OP_LT: operator.lt,
    z3.Z3_OP_GE: operator.ge,
    z3.Z3_OP_GT: operator.gt,
}


def evaluate(term: Any, model: Mapping[str, Fraction] | Interpretation) -> Fraction | bool:
    """The exact value of a quantifier-free arithmetic z3 term (uninterpreted functions allowed) under a model."""
    return evaluate_all([term], model)[0]


def evaluate_all(terms: Sequence[Any], model: Mapping[str, Fraction] | Interpretation) -> list[Fraction | bool]:
    """evaluate() of several terms, sharing the work on common subterms."""
    interp = model if isinstance(model, Interpretation) else Interpretation(model)
    memo: dict[int, Fraction | bool] = {}

    def num(x: Fraction | bool) -> Fraction:
        if isinstance(x, bool):
            raise ValueError("evaluate: a Boolean where a number was expected")
        return x

    for t in _postorder(terms):
        if not z3.is_app(t):
            raise ValueError(f"evaluate: quantifiers are not evaluated exactly ({t})")
        kind = _decl_kind(t)
        xs = [memo[c] for c in _arg_ids(t)]
        out: Fraction | bool
        if (value := _numeral(t)) is not None:
            out = value
        elif z3.is_true(t) or z3.is_false(t):
            out = z3.is_true(t)
        elif kind == z3.Z3_OP_UNINTERPRETED and not xs:
            name = t.decl().name()
            if name not in interp.constants:
                raise ValueError(f"evaluate: the model has no value for {name}")
            value = interp.constants[name]
            out = bool(value) if t.sort().kind() == z3.Z3_BOOL_SORT else value
        elif kind == z3.Z3_OP_UNINTERPRETED:
            name = t.decl().name()
            if name not in interp.functions:
                raise ValueError(f"evaluate: the model has no table for the function {name}")
            table, default = interp.functions[name]
            out = table.get(tuple(num(x) for x in xs), default)
        elif kind in _ARITH:
            out = _ARITH[kind]([num(x) for x in xs])
        elif kind == z3.Z3_OP_DIV:
            if num(xs[1]) == 0:
                raise ValueError(f"evaluate: division by zero in {t}")
            out = num(xs[0]) / num(xs[1])
        elif kind in _COMPARE:
            out = _COMPARE[kind](num(xs[0]), num(xs[1]))
        elif kind == z3.Z3_OP_EQ:
            out = xs[0] == xs[1]
        elif kind == z3.Z3_OP_DISTINCT:
            out = len(set(xs)) == len(xs)
        elif kind == z3.Z3_OP_AND:
            out = all(xs)
        elif kind == z3.Z3_OP_OR:
            out = any(xs)
        elif kind == z3.Z3_OP_NOT:
            out = not xs[0]
        elif kind == z3.Z3_OP_IMPLIES:
            out = (not xs[0]) or bool(xs[1])
        elif kind == z3.Z3_OP_ITE:
            out = xs[1] if xs[0] else xs[2]
        elif kind == z3.Z3_OP_POWER and num(xs[1]).denominator == 1 and num(xs[1]) >= 0:
            out = num(xs[0]) ** int(num(xs[1]))
        else:
            raise ValueError(f"evaluate: unsupported operator {t.decl().name()} in {t}")
        memo[t.get_id()] = out
    return [memo[term.get_id()] for term in terms]


def refutes(hypotheses: Sequence[Any], goal: Any) -> Callable[[Mapping[str, Fraction]], bool]:
    """The exact re-check of a counterexample: every hypothesis true and the goal false, in Fractions."""

    def check(model: Mapping[str, Fraction]) -> bool:
        return all(evaluate(h, model) is True for h in hypotheses) and evaluate(goal, model) is False

    return check


def _symbols(terms: Sequence[Any]) -> dict[str, Any]:
    """The free symbols (constants and uninterpreted functions) of terms, by name."""
    out: dict[str, Any] = {}
    for node in _postorder(terms):
        if z3.is_app(node) and _decl_kind(node) == z3.Z3_OP_UNINTERPRETED:
            out[node.decl().name()] = node.decl()
    return out


def _completed_all(interp: Interpretation, terms: Sequence[Any]) -> Interpretation:
    constants = dict(interp.constants)
    functions = dict(interp.functions)
    for name, decl in _symbols(terms).items():
        if decl.arity() == 0:
            constants.setdefault(name, Fraction(0))
        else:
            functions.setdefault(name, (types.MappingProxyType({}), Fraction(0)))
    return Interpretation(types.MappingProxyType(constants), types.MappingProxyType(functions))
