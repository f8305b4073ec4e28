"""SMT proofs of the reduction argument: the conditioning lemma (S4), Claim 1 (F2) and A1.

The conditioning lemma, over an alphabet of k symbols (the digits "0".."k-1") plus STOP and
texts of length <= L: if φ induces D (every text t has φ-probability D(t)), then for every
prefix x of positive D-mass M(x), sampling φ after x gives D conditioned on x:
Q(x, t) · M(x) = D(t) for every t extending x, where Q(x, t) is the product of φ's
conditionals from x to t (STOP included). Three ways to ask a solver:

- naive: one query, the premise with products of conditionals, the negated conclusion a
  disjunction over every (prefix, continuation) pair;
- decomposed: small obligations bottom-up (longest x first): per node x, M(x) = m(x) (D-mass =
  φ-mass) from the premise at x, the definitions at x and the children's masses; then
  Q(x, t)·M(x) = D(t) for the texts t below each child, from the child's facts, in chunks
  (cut rule; see DECOMPOSITION_SOUNDNESS);
- all lengths: the same obligation for a node of arity k+1 with a generic descendant per
  child (the induction step) and a leaf (the base), joined by induction on the height.

Claim 1 (F2) and A1 are encoded over the digit strings of spec.tasks.semiprime ("[s,a,b]",
decimal): digits are z3 Ints, the numbers their place-value sums, the products computed by
the solver (never looked up), φ's conditionals on the paths from "[s," free reals.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from functools import reduce
from typing import Any

import z3

from checkers import smt
from checkers.smt import ProofAttempt
from checkers.verdict import Level, Outcome, Verdict
from spec.constructions import chain_rule
from spec.dist import Dist
from spec.errors import InvalidArgument
from spec.induced import induced
from spec.models import TableModel
from spec.tasks.primes import check_digits, n_digit_primes
from spec.tasks.semiprime import TUPLE_ALPHABET, tuple_text
from spec.text import STOP, alphabet

__all__ = [
    "MAX_K",
    "DECOMPOSITION_SOUNDNESS",
    "INDUCTION_RULE",
    "ConditioningProof",
    "InductionProof",
    "Refutation",
    "evaluate",
    "refutes",
    "texts_upto",
    "naive_problem",
    "step_obligation",
    "base_obligation",
    "claim1_problem",
    "a1_problem",
    "node_obligations",
    "prove_conditioning_naive",
    "prove_conditioning_decomposed",
    "prove_conditioning_all_lengths",
    "refute_conditioning_without_premise",
    "refute_step_without",
    "offending_pair",
    "prove_claim1",
    "refute_claim1_corrupted",
    "prove_a1",
    "refute_a1_one_wrong_tuple",
    "check_S4",
    "check_F2_smt",
    "check_A1_smt",
]

MAX_K = 10
SYMBOLS = "0123456789"
RLIMIT = smt.DEFAULT_RLIMIT
CHUNK = 16  # pair goals per obligation: fewer blocks than 1, far easier for cvc5 than a whole subtree

DECOMPOSITION_SOUNDNESS = (
    "decomposition is sound: let P be the premise (φ's simplex at every node, induced = D) with the "
    "definitions m(ε)=1, m(xa)=m(x)·φ(x)(a), M(x)=D(x)+Σ_a M(xa), Q(x,x)=φ(x)(STOP), Q(x,t)=φ(x)(a)·Q(xa,t) "
    "(a definitional extension: every model of P over φ, D extends uniquely). Obligations, nodes longest first, "
    "at each node x first mass(x): H ⊢ M(x)=m(x) ∧ Q(x,x)·M(x)=D(x) with H ⊆ P ∪ {M(xa)=m(xa)}, then "
    "pairs(x, T) for chunks T of the texts below each child c=xa: H ⊢ ∧_(t∈T) Q(x,t)·M(x)=D(t) with "
    "H ⊆ P ∪ {M(x)=m(x), M(c)=m(c)} ∪ {Q(c,t)·M(c)=D(t) : t ∈ T}. Every hypothesis is a conjunct of P or the "
    "goal of an earlier obligation, so by cut P ⊢ every goal; the goals cover every (x, t) with t extending x and "
    "imply the conclusion ∧_(x,t) [M(x) > 0 ⇒ Q(x,t)·M(x) = D(t)] (weakening); hence P ∧ ¬conclusion is unsat"
)

INDUCTION_RULE = (
    "induction on the height h of a node x (h = L - |x| in the tree of texts of length ≤ L): "
    "base h = 0 (a leaf, φ(x)(STOP) = 1) is the base obligation; a node of height h+1 has k+1 outcomes "
    "(STOP and k children of height h), the children satisfy G by the induction hypothesis, instantiated "
    "at an arbitrary descendant t_i of each child (the goal is per text, so one generic t_i per child "
    "covers all of them), and the step obligation gives G(x); hence G(x) for every node of every height, "
    "i.e. for every L; at the root, every prefix x with M(x) > 0 has continuation law Q(x,·) = D(·)/M(x) "
    "= D conditioned on x"
)


# --- exact evaluation of z3 terms (the re-check of every model) -------------------------------

_ARITH: dict[int, Callable[[list[Fraction]], Fraction]] = {
    z3.Z3_OP_ADD: lambda xs: sum(xs, Fraction(0)),
    z3.Z3_OP_MUL: lambda xs: reduce(lambda u, v: u * v, xs, Fraction(1)),
    z3.Z3_OP_SUB: lambda xs: xs[0] - sum(xs[1:], Fraction(0)),
    z3.Z3_OP_UMINUS: lambda xs: -xs[0],
    z3.Z3_OP_TO_REAL: lambda xs: xs[0],
}
_COMPARE: dict[int, Callable[[Fraction, Fraction], bool]] = {
    z3.Z3_OP_LE: lambda u, v: u <= v,
    z3.Z3_OP_LT: lambda u, v: u < v,
    z3.Z3_OP_GE: lambda u, v: u >= v,
    z3.Z3_OP_GT: lambda u, v: u > v,
}


def evaluate(term: Any, model: Mapping[str, Fraction]) -> Fraction | bool:
    """The exact value of a quantifier-free arithmetic z3 term under a model (Fractions, bools)."""
    memo: dict[int, Fraction | bool] = {}

    def val(t: Any) -> Fraction | bool:
        key = t.get_id()
        if key in memo:
            return memo[key]
        kind = t.decl().kind()
        if z3.is_int_value(t):
            out: Fraction | bool = Fraction(t.as_long())
        elif z3.is_rational_value(t):
            out = Fraction(t.numerator_as_long(), t.denominator_as_long())
        elif z3.is_true(t) or z3.is_false(t):
            out = z3.is_true(t)
        elif kind == z3.Z3_OP_UNINTERPRETED and t.num_args() == 0:
            out = model[t.decl().name()]
        else:
            xs = [val(c) for c in t.children()]
            if kind in _ARITH:
                out = _ARITH[kind]([_num(x) for x in xs])
            elif kind == z3.Z3_OP_DIV:
                out = _num(xs[0]) / _num(xs[1])
            elif kind in _COMPARE:
                out = _COMPARE[kind](_num(xs[0]), _num(xs[1]))
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
            else:
                raise ValueError(f"evaluate: unsupported operator {t.decl().name()} in {t}")
        memo[key] = out
        return out

    return val(term)


def _num(x: Fraction | bool) -> Fraction:
    if isinstance(x, bool):
        raise ValueError("evaluate: a Boolean where a number was expected")
    return x


def refutes(hypotheses: Sequence[Any], goal: Any) -> Callable[[Mapping[str, Fraction]], bool]:
    """The exact re-check of a counterexample: every hypothesis true and the goal false, in Fractions."""

    def check(model: Mapping[str, Fraction]) -> bool:
        return all(evaluate(h, model) is True for h in hypotheses) and evaluate(goal, model) is False

    return check


# --- the tree of texts -----------------------------------------------------------------------


def _check_kl(k: object, L: object) -> tuple[int, int]:
    if isinstance(k, bool) or not isinstance(k, int) or not 1 <= k <= MAX_K:
        raise InvalidArgument(f"k (alphabet size) must be an int in 1..{MAX_K}, got {k!r}")
    if isinstance(L, bool) or not isinstance(L, int) or not 0 <= L <= 12:
        raise InvalidArgument(f"L (maximum text length) must be an int in 0..12, got {L!r}")
    return k, L


def texts_upto(k: int, L: int) -> list[str]:
    """Σ^{≤L} for Σ = the first k digits, shortest first."""
    k, L = _check_kl(k, L)
    out, level = [""], [""]
    for _ in range(L):
        level = [x + c for x in level for c in SYMBOLS[:k]]
        out.extend(level)
    return out


def _sum(xs: Sequence[Any]) -> Any:
    """Σ xs, without the unary (+ x) that z3 prints for a one-term Sum and cvc5 rejects."""
    return xs[0] if len(xs) == 1 else z3.Sum(list(xs)) if xs else z3.RealVal(0)


def _name(x: str) -> str:
    return x or "e"


class _Vars:
    """The z3 variables of the conditioning problem for (k, L), named after the text they belong to."""

    def __init__(self, k: int, L: int) -> None:
        self.k, self.L = _check_kl(k, L)
        self.sigma = SYMBOLS[:k]

    def phi(self, x: str, a: str) -> Any:
        """φ(x)(a) (a = STOP or a symbol); at |x| = L the law is STOP with probability 1."""
        if len(x) == self.L:
            return z3.RealVal(1) if a == STOP else z3.RealVal(0)
        return z3.Real(f"phi_{_name(x)}_{'S' if a == STOP else a}")

    def D(self, t: str) -> Any:
        return z3.Real(f"D_{_name(t)}")

    def m(self, x: str) -> Any:
        return z3.RealVal(1) if x == "" else z3.Real(f"m_{_name(x)}")

    def M(self, x: str) -> Any:
        return z3.Real(f"M_{_name(x)}")

    def Q(self, x: str, t: str) -> Any:
        return z3.Real(f"Q_{_name(x)}_{_name(t)}")

    def outcomes(self, x: str) -> list[str]:
        return [STOP] + (list(self.sigma) if len(x) < self.L else [])

    def children(self, x: str) -> list[str]:
        return [x + a for a in self.sigma] if len(x) < self.L else []

    def subtree(self, x: str) -> list[str]:
        out, level = [x], [x]
        while level:
            level = [c for y in level for c in self.children(y)]
            out.extend(level)
        return out

    def simplex(self, x: str) -> list[Any]:
        """φ(x) is a law on Σ ∪ {STOP}: non-negative, total 1 (nothing to say at a leaf)."""
        if len(x) == self.L:
            return []
        laws = [self.phi(x, a) for a in self.outcomes(x)]
        return [p >= 0 for p in laws] + [_sum(laws) == 1]

    def path(self, x: str, t: str) -> Any:
        """Q(x, t) as a product of conditionals: φ's probability of writing t[|x|:] then STOP after x."""
        factors = [self.phi(t[:i], t[i]) for i in range(len(x), len(t))] + [self.phi(t, STOP)]
        return reduce(lambda u, v: u * v, factors)

    def mass(self, x: str) -> Any:
        """M(x) = Σ D(t) over texts t extending x (a linear term)."""
        return _sum([self.D(t) for t in self.subtree(x)])


# --- fixed (k, L): naive and decomposed -------------------------------------------------------


def naive_problem(k: int, L: int, *, drop: str | None = None) -> tuple[list[Any], Any]:
    """(hypotheses, goal) of the one-query encoding with products of conditionals.

    `drop` removes the premise induced(t) = D(t) for that one text (the failing counterpart).
    """
    v = _Vars(k, L)
    texts = texts_upto(k, L)
    if drop is not None and drop not in texts:
        raise InvalidArgument(f"drop = {drop!r} is not a text of length <= {L} over {v.sigma!r}")
    hyps = [c for x in texts for c in v.simplex(x)] + [v.D(t) >= 0 for t in texts]
    hyps += [v.path("", t) == v.D(t) for t in texts if t != drop]
    goal = z3.And([z3.Implies(v.mass(x) > 0, v.path(x, t) * v.mass(x) == v.D(t)) for x in texts for t in v.subtree(x)])
    return hyps, goal


def node_obligations(
    k: int, L: int, *, drop: str | None = None, chunk: int = CHUNK
) -> list[tuple[str, list[Any], Any]]:
    """(name, hypotheses, goal) of the decomposed encoding, in proof order (children before parents).

    For every node x, longest first: the mass obligation G(x) = [M(x) = m(x) and
    Q(x, x)·M(x) = D(x)] from the premise at x, the definitions at x and the children's G;
    then pair obligations Q(x, t)·M(x) = D(t) for the texts t below each child c = xa (`chunk`
    texts per obligation), from G(x), G(c), the pairs (c, t) and the definitions
    m(c) = m(x)·φ(x)(a), Q(x, t) = φ(x)(a)·Q(c, t).
    `drop` removes the premise induced(drop) = D(drop) (the failing counterpart).
    """
    v = _Vars(k, L)
    texts = texts_upto(k, L)
    if drop is not None and drop not in texts:
        raise InvalidArgument(f"drop = {drop!r} is not a text of length <= {L} over {v.sigma!r}")
    out = []
    for x in reversed(texts):
        kids = v.children(x)
        hyps = list(v.simplex(x))
        if x != drop:
            hyps.append(v.D(x) == v.m(x) * v.phi(x, STOP))  # the premise at x: induced(x) = D(x)
        hyps += [v.m(c) == v.m(x) * v.phi(x, c[-1]) for c in kids]
        hyps.append(v.M(x) == v.D(x) + _sum([v.M(c) for c in kids]))
        hyps.append(v.Q(x, x) == v.phi(x, STOP))
        hyps += [v.M(c) == v.m(c) for c in kids]  # G(c), proved before
        out.append((f"mass at {x!r}", hyps, z3.And(v.M(x) == v.m(x), v.Q(x, x) * v.M(x) == v.D(x))))
        for c in kids:
            below = v.subtree(c)
            for i in range(0, len(below), chunk):
                ts = below[i : i + chunk]
                pair_hyps = [v.m(c) == v.m(x) * v.phi(x, c[-1]), v.M(x) == v.m(x), v.M(c) == v.m(c)]
                for t in ts:
                    pair_hyps += [v.Q(x, t) == v.phi(x, c[-1]) * v.Q(c, t),  # definition
                                  v.Q(c, t) * v.M(c) == v.D(t)]  # proved before
                where = f"{ts[0]!r}" if len(ts) == 1 else f"{ts[0]!r}..{ts[-1]!r}"
                out.append((f"pairs ({x!r}, {where})", pair_hyps, z3.And([v.Q(x, t) * v.M(x) == v.D(t) for t in ts])))
    return out


@dataclass(frozen=True)
class ConditioningProof:
    """The outcome of proving the conditioning lemma for one (k, L) with one encoding."""

    outcome: Outcome
    k: int
    L: int
    encoding: str  # "naive" or "decomposed"
    queries: int
    num_vars: int  # summed over the queries
    num_assertions: int
    z3_seconds: float
    cvc5_seconds: float
    seconds: float
    evidence: tuple[str, ...]
    counterexample: str | None = None

    def row(self) -> dict[str, object]:
        """A JSON-able row of the frontier table."""
        return {
            "k": self.k, "L": self.L, "encoding": self.encoding, "outcome": self.outcome.value,
            "queries": self.queries, "vars": self.num_vars, "assertions": self.num_assertions,
            "z3_s": round(self.z3_seconds, 3), "cvc5_s": round(self.cvc5_seconds, 3), "seconds": round(self.seconds, 3),
        }


def _seconds(attempts: Iterable[ProofAttempt], solver: str) -> float:
    return sum(run.seconds for a in attempts for run in a.runs if run.solver == solver)


def _combine(attempts: Sequence[ProofAttempt]) -> Outcome:
    """PROVED iff every attempt is; REFUTED if one is; UNKNOWN otherwise."""
    if all(a.outcome is Outcome.PROVED for a in attempts):
        return Outcome.PROVED
    if any(a.outcome is Outcome.REFUTED for a in attempts):
        return Outcome.REFUTED
    return Outcome.UNKNOWN


def prove_conditioning_naive(k: int, L: int, *, timeout_s: float = 60.0, rlimit: int = RLIMIT) -> ConditioningProof:
    """The lemma for (k, L) as one query: premise with products of conditionals, negated conclusion."""
    start = time.perf_counter()
    hyps, goal = naive_problem(k, L)
    attempt = smt.prove(hyps, goal, check_counterexample=refutes(hyps, goal), nonlinear=True,
                        rlimit=rlimit, timeout_s=timeout_s, name=f"conditioning lemma, naive, k={k}, L={L}")
    return ConditioningProof(
        attempt.outcome, k, L, "naive", 1, attempt.num_vars, attempt.num_assertions,
        _seconds([attempt], "z3"), _seconds([attempt], "cvc5"), time.perf_counter() - start,
        attempt.evidence(), _pair_text(k, L, attempt.counterexample) if attempt.counterexample else None,
    )


def prove_conditioning_decomposed(
    k: int, L: int, *, drop: str | None = None, chunk: int = CHUNK, timeout_s: float = 60.0, rlimit: int = RLIMIT
) -> ConditioningProof:
    """The lemma for (k, L) by mass and pair obligations, bottom-up, in one z3 context and one cvc5 child."""
    start = time.perf_counter()
    obligations = node_obligations(k, L, drop=drop, chunk=chunk)
    checks = [refutes(h, g) for _, h, g in obligations]
    attempts = smt.prove_many(
        [(h, g) for _, h, g in obligations],
        check_counterexample=lambda i, model: checks[i](model),
        nonlinear=True, rlimit=rlimit, timeout_s=timeout_s, name=f"conditioning lemma, obligation, k={k}, L={L}",
    )
    outcome = _combine(attempts)
    failed = [(x, a) for (x, _, _), a in zip(obligations, attempts) if a.outcome is not Outcome.PROVED]
    z3_s, cvc5_s = _seconds(attempts, "z3"), _seconds(attempts, "cvc5")
    evidence = [
        f"{len(obligations)} obligations (a mass obligation per node, pair obligations for the (x, t) with t strictly "
        f"below x, {chunk} pairs per obligation; texts of length ≤ {L} over {k} symbols), "
        f"{sum(a.num_vars for a in attempts)} variables and {sum(a.num_assertions for a in attempts)} assertions in all; "
        f"{len(obligations) - len(failed)} proved (z3 unsat and cvc5 unsat on each block)",
        f"solver time summed over obligations: z3 {z3_s:.3f} s, cvc5 {cvc5_s:.3f} s",
        DECOMPOSITION_SOUNDNESS,
    ]
    cex = None
    for x, a in failed[:3]:
        evidence.append(f"obligation {x}: {a.outcome.value}; " + " | ".join(a.evidence()))
    refuted = [(x, a) for x, a in failed if a.outcome is Outcome.REFUTED]
    if outcome is Outcome.REFUTED:
        x, a = refuted[0]
        cex = f"the {x} obligation fails: " + smt.format_model(a.counterexample or {})
    return ConditioningProof(
        outcome, k, L, "decomposed", len(obligations), sum(a.num_vars for a in attempts),
        sum(a.num_assertions for a in attempts), z3_s, cvc5_s, time.perf_counter() - start, tuple(evidence), cex,
    )


def offending_pair(k: int, L: int, model: Mapping[str, Fraction]) -> tuple[str, str, Fraction, Fraction] | None:
    """From a model of φ and D: the first (x, t) with M(x) > 0 and Q(x, t)·M(x) ≠ D(t), recomputed exactly."""
    v = _Vars(k, L)
    texts = texts_upto(k, L)

    def phi(x: str, a: str) -> Fraction:
        return Fraction(1 if a == STOP else 0) if len(x) == L else model[str(v.phi(x, a))]

    def D(t: str) -> Fraction:
        return model[str(v.D(t))]

    for x in texts:
        mx = sum((D(t) for t in v.subtree(x)), Fraction(0))
        if mx == 0:
            continue
        for t in v.subtree(x):
            q = reduce(lambda u, w: u * w, [phi(t[:i], t[i]) for i in range(len(x), len(t))], Fraction(1)) * phi(t, STOP)
            if q * mx != D(t):
                return x, t, q, D(t) / mx
    return None


def _pair_text(k: int, L: int, model: Mapping[str, Fraction]) -> str:
    found = offending_pair(k, L, model)
    if found is None:
        return "a model (no offending pair found on recomputation): " + smt.format_model(model)
    x, t, q, want = found
    return (f"after prefix {x!r} φ gives text {t!r} probability {q}, but D conditioned on {x!r} gives {want}; "
            f"model: {smt.format_model(model)}")


def _table_model(k: int, L: int, model: Mapping[str, Fraction]) -> TableModel:
    """The φ of a solver model as a spec TableModel (its laws are exact Dists: the simplex held)."""
    v = _Vars(k, L)
    table = {}
    for x in texts_upto(k, L):
        if len(x) == L:
            table[x] = Dist.point(STOP)
        else:
            table[x] = Dist({a: model[str(v.phi(x, a))] for a in v.outcomes(x)})
    return TableModel(alphabet(v.sigma), table, L)


@dataclass(frozen=True)
class Refutation:
    """A failing counterpart: what was dropped, the outcome, and the exact offending prefix."""

    outcome: Outcome
    dropped: str
    prefix: str | None
    text: str | None
    evidence: tuple[str, ...]


def refute_conditioning_without_premise(k: int, L: int, drop: str) -> Refutation:
    """Drop the premise induced(drop) = D(drop): the naive query must return a model, re-checked exactly.

    The model's φ is rebuilt as a spec TableModel and its continuation law after the offending
    prefix is computed by spec.induced, independently of the solver.
    """
    hyps, goal = naive_problem(k, L, drop=drop)
    attempt = smt.prove(hyps, goal, check_counterexample=refutes(hyps, goal), nonlinear=True,
                        name=f"conditioning lemma without the premise at {drop!r}, k={k}, L={L}")
    if attempt.outcome is not Outcome.REFUTED or attempt.counterexample is None:
        return Refutation(attempt.outcome, drop, None, None, attempt.evidence())
    model = attempt.counterexample
    found = offending_pair(k, L, model)
    if found is None:
        return Refutation(Outcome.UNKNOWN, drop, None, None, attempt.evidence() + ("no offending pair on recomputation",))
    x, t, q, want = found
    law = induced(_table_model(k, L, model), "", max_len=L, prefix=x)
    lines = attempt.evidence() + (
        f"offending prefix {x!r}: spec.induced after {x!r} gives {t!r} probability {law[t]}, D conditioned on {x!r} "
        f"gives {want}",
    )
    if law[t] != q or law[t] == want:
        return Refutation(Outcome.UNKNOWN, drop, x, t, lines + ("spec.induced disagrees with the recomputation",))
    return Refutation(Outcome.REFUTED, drop, x, t, lines)


# --- all lengths, by induction on the height ---------------------------------------------------


def step_obligation(k: int, *, without: str | None = None) -> tuple[list[Any], Any]:
    """(hypotheses, goal) of the induction step for a node x of arity k+1 (STOP and k children).

    Local values: φ(x)(STOP) = fS, φ(x)(a_i) = f_i; m = m(x), D0 = D(x), M = M(x); per child i:
    m_i = m(x a_i), M_i = M(x a_i), and a generic descendant t_i with q_i = Q(x a_i, t_i),
    Qx_i = Q(x, t_i), d_i = D(t_i). `without` drops one hypothesis ("premise" at x, "simplex"
    total, "child" hypothesis) for the failing counterparts.
    """
    if isinstance(k, bool) or not isinstance(k, int) or not 1 <= k <= MAX_K:
        raise InvalidArgument(f"k must be an int in 1..{MAX_K}, got {k!r}")
    if without not in (None, "premise", "simplex", "child"):
        raise InvalidArgument(f"without must be None, 'premise', 'simplex' or 'child', got {without!r}")
    fS, m, D0, M = z3.Reals("fS m D0 M")
    f = [z3.Real(f"f_{i}") for i in range(k)]
    mi = [z3.Real(f"m_{i}") for i in range(k)]
    Mi = [z3.Real(f"M_{i}") for i in range(k)]
    q = [z3.Real(f"q_{i}") for i in range(k)]
    Qx = [z3.Real(f"Qx_{i}") for i in range(k)]
    d = [z3.Real(f"d_{i}") for i in range(k)]
    hyps = [fS >= 0] + [fi >= 0 for fi in f]
    if without != "simplex":
        hyps.append(fS + _sum(f) == 1)
    if without != "premise":
        hyps.append(D0 == m * fS)  # the premise at x: induced(x) = D(x)
    hyps.append(M == D0 + _sum(Mi))  # definition of the D-mass
    for i in range(k):
        hyps += [mi[i] == m * f[i], Qx[i] == f[i] * q[i]]  # definitions of m and Q through child i
        hyps.append(q[i] * Mi[i] == d[i])  # G(child i) at its generic descendant t_i
        if without != "child":
            hyps.append(Mi[i] == mi[i])  # G(child i): its D-mass is its φ-mass
    goal = z3.And([M == m, fS * M == D0] + [Qx[i] * M == d[i] for i in range(k)])
    return hyps, goal


def base_obligation() -> tuple[list[Any], Any]:
    """(hypotheses, goal) of the base case: a leaf x (φ(x)(STOP) = 1, no children)."""
    m, D0, M = z3.Reals("m D0 M")
    hyps = [D0 == m * 1, M == D0]
    return hyps, z3.And(M == m, 1 * M == D0)


def _obligation_text(hyps: Sequence[Any], goal: Any) -> str:
    return " ∧ ".join(str(h) for h in hyps) + "  ⊢  " + str(goal)


@dataclass(frozen=True)
class InductionProof:
    """The conditioning lemma for every length L over k symbols: base, step, and the rule joining them."""

    outcome: Outcome
    k: int
    base: ProofAttempt
    step: ProofAttempt
    base_text: str
    step_text: str
    seconds: float

    def evidence(self) -> tuple[str, ...]:
        """The obligations, each solver's answer and time, and the induction rule."""
        return (
            f"base (leaf, arity 1): {self.base_text}",
            "  " + " | ".join(self.base.evidence()),
            f"step (node of arity {self.k + 1}): {self.step_text}",
            "  " + " | ".join(self.step.evidence()),
            "rule: " + INDUCTION_RULE,
        )

    def __str__(self) -> str:
        head = f"{self.outcome.value}: conditioning lemma for all lengths L over k = {self.k} symbols ({self.seconds:.2f} s)"
        return "\n".join([head, *self.evidence()])


def prove_conditioning_all_lengths(k: int, *, timeout_s: float = 60.0) -> InductionProof:
    """Base and step obligations proved by z3 and cvc5 (one shared solver each); PROVED iff both are."""
    return _all_lengths([k], timeout_s=timeout_s)[0]


def _all_lengths(ks: Sequence[int], *, timeout_s: float = 60.0) -> list[InductionProof]:
    start = time.perf_counter()
    problems = [base_obligation()] + [step_obligation(k) for k in ks]
    checks = [refutes(h, g) for h, g in problems]
    attempts = smt.prove_many(problems, check_counterexample=lambda i, model: checks[i](model), nonlinear=True,
                              timeout_s=timeout_s, name="conditioning lemma, induction obligation")
    seconds = time.perf_counter() - start
    base = attempts[0]
    return [
        InductionProof(_combine([base, step]), k, base, step, _obligation_text(*problems[0]),
                       _obligation_text(*problems[i + 1]), seconds)
        for i, (k, step) in enumerate(zip(ks, attempts[1:]))
    ]


def refute_step_without(k: int, without: str) -> ProofAttempt:
    """The step with one hypothesis dropped: must come back REFUTED with an exactly re-checked model."""
    hyps, goal = step_obligation(k, without=without)
    return smt.prove(hyps, goal, check_counterexample=refutes(hyps, goal), nonlinear=True,
                     name=f"induction step without its {without} hypothesis, k={k}")


# --- Claim 1 (F2) and A1 over the digit strings of S_n ----------------------------------------


def _digits(prefix: str, n: int) -> list[Any]:
    return [z3.Int(f"{prefix}{i}") for i in range(1, n + 1)]


def _value(digits: Sequence[Any]) -> Any:
    """The number written by the digits (most significant first): Σ d_i·10^(n-i)."""
    n = len(digits)
    return _sum([d * 10 ** (n - 1 - i) for i, d in enumerate(digits)])


def _is_prime(value: Any, n: int) -> Any:
    """value is an n-digit prime (membership in the sieve's list: the definition of S_n's factors)."""
    return z3.Or([value == p for p in n_digit_primes(n)])


def _in_Sn(s: Any, a: Sequence[Any], b: Sequence[Any], n: int) -> Any:
    """The text "[s,a,b]" is in S_n: a and b are n-digit primes and a·b = s (computed by the solver)."""
    return z3.And(_is_prime(_value(a), n), _is_prime(_value(b), n), _value(a) * _value(b) == s)


def _path(name: str, n: int) -> list[Any]:
    """φ's conditionals along a completion a_1..a_n , b_1..b_n ] STOP after "[s,": 2n+3 reals."""
    return [z3.Real(f"{name}{j}") for j in range(2 * n + 3)]


def _tokens(a: Sequence[Any], b: Sequence[Any]) -> list[Any]:
    """The completion's tokens: digits as z3 Ints, the punctuation and STOP as None (the same on every path)."""
    return [*a, None, *b, None, None]


def _same_law(u: Sequence[Any], ta: Sequence[Any], v: Sequence[Any], tb: Sequence[Any]) -> list[Any]:
    """φ has one next-token law per prefix: where two paths share a prefix, equal tokens get equal
    conditionals and distinct tokens conditionals that fit in one law (sum at most 1)."""
    out = []
    same_prefix: list[Any] = []
    for j, (x, y) in enumerate(zip(ta, tb)):
        equal_token = z3.BoolVal(True) if x is None else x == y
        here = z3.And(same_prefix) if same_prefix else z3.BoolVal(True)
        out.append(z3.Implies(here, z3.If(equal_token, u[j] == v[j], u[j] + v[j] <= 1)))
        same_prefix.append(equal_token)
    return out


def _prod(xs: Sequence[Any]) -> Any:
    return reduce(lambda u, w: u * w, xs)


def _unit(xs: Iterable[Any]) -> list[Any]:
    return [c for x in xs for c in (x >= 0, x <= 1)]


def _digit_range(ds: Iterable[Any]) -> list[Any]:
    return [c for d in ds for c in (d >= 0, d <= 9)]


def claim1_problem(n: int, *, corrupt: bool = False) -> tuple[list[Any], Any]:
    """(hypotheses, goal) of Claim 1 for S_n over digit strings.

    A valid tuple "[s,p,q]" (p, q n-digit primes, s = p·q) and any completion "a,b]" of "[s,"
    (a, b n-digit strings); φ's conditionals free on both paths, one law per shared prefix;
    M0 = the φ-mass of "[s," (a product of conditionals, relaxed to any value in [0, 1]).
    Premise: induced = Unif(S_n) on both texts. Goal: a·b ≠ s ⇒ the completion has probability 0.
    `corrupt`: the target's tuple [p0q0,p0,q0] (the two smallest primes) is replaced by [p0q0,p0,q1]
    (q1 the next prime), whose product is wrong.
    """
    n = check_digits(n, most=2)
    primes = n_digit_primes(n)
    N = len(primes) ** 2
    p, q, a, b = (_digits(x, n) for x in "pqab")
    s, M0 = z3.Int("s"), z3.Real("M0")
    v, u = _path("v", n), _path("u", n)

    def target(first: Any, x: Sequence[Any], y: Sequence[Any]) -> Any:
        """Unif(S_n) (or the corrupted target) at the text "[first,x,y]"."""
        member = _in_Sn(first, x, y, n)
        if corrupt:
            p0, q0, q1 = primes[0], primes[1], primes[2]
            def is_text(ss: int, xx: int, yy: int) -> Any:
                return z3.And(first == ss, _value(x) == xx, _value(y) == yy)

            member = z3.Or(z3.And(member, z3.Not(is_text(p0 * q0, p0, q0))), is_text(p0 * q0, p0, q1))
        return z3.If(member, z3.RealVal(Fraction(1, N)), z3.RealVal(0))

    hyps = _digit_range([*p, *q, *a, *b])
    if corrupt:  # "[s,p,q]" ranges over the corrupted target's tuples
        hyps.append(target(s, p, q) > 0)
    else:
        hyps += [_is_prime(_value(p), n), _is_prime(_value(q), n), s == _value(p) * _value(q)]
    hyps += _unit([M0, *v, *u]) + _same_law(u, _tokens(a, b), v, _tokens(p, q))
    hyps += [M0 * _prod(v) == target(s, p, q), M0 * _prod(u) == target(s, a, b)]
    goal = z3.Implies(_value(a) * _value(b) != s, _prod(u) == 0)
    return hyps, goal


def a1_problem(n: int = 1, *, one_wrong: bool = False) -> tuple[list[Any], Any]:
    """(hypotheses, goal) of A1 for S_n over digit strings.

    s is in φ's support: some completion "c,d]" of "[s," has positive induced probability; φ's
    support holds only correct factorizations (induced > 0 ⇒ the text is in S_n), on both paths.
    Goal: any completion "a,b]" with a·b ≠ s has probability 0 after "[s,".
    `one_wrong` drops the support premise at the completion "a,b]" (φ may output one wrong tuple).
    """
    n = check_digits(n, most=2)
    c, d, a, b = (_digits(x, n) for x in "cdab")
    s, M0 = z3.Int("s"), z3.Real("M0")
    v, u = _path("v", n), _path("u", n)
    hyps = _digit_range([*c, *d, *a, *b]) + [s >= 0]
    hyps += _unit([M0, *v, *u]) + _same_law(u, _tokens(a, b), v, _tokens(c, d))
    hyps += [M0 * _prod(v) > 0, z3.Implies(M0 * _prod(v) > 0, _in_Sn(s, c, d, n))]
    if not one_wrong:
        hyps.append(z3.Implies(M0 * _prod(u) > 0, _in_Sn(s, a, b, n)))
    goal = z3.Implies(_value(a) * _value(b) != s, _prod(u) == 0)
    return hyps, goal


def _digits_of(model: Mapping[str, Fraction], prefix: str, n: int) -> str:
    return "".join(str(model[f"{prefix}{i}"]) for i in range(1, n + 1))


def prove_claim1(n: int, *, timeout_s: float = 60.0) -> ProofAttempt:
    """Claim 1 for S_n (n = 1, 2): unsat of premise ∧ negated conclusion, by z3 and cvc5."""
    hyps, goal = claim1_problem(n)
    return smt.prove(hyps, goal, check_counterexample=refutes(hyps, goal), nonlinear=True, timeout_s=timeout_s,
                     name=f"Claim 1 over S_{n}: from [s, every completion a,b] with a*b != s has probability 0")


def refute_claim1_corrupted(n: int = 1) -> tuple[ProofAttempt, str]:
    """The corrupted target must be REFUTED; returns the attempt and the offending prefix, confirmed by spec.

    The confirmation is solver-free: chain_rule of the corrupted target, sampled after the
    offending prefix "[s,", gives the wrong completion positive probability (spec.induced).
    """
    hyps, goal = claim1_problem(n, corrupt=True)
    attempt = smt.prove(hyps, goal, check_counterexample=refutes(hyps, goal), nonlinear=True,
                        name=f"Claim 1 over a corrupted S_{n}")
    if attempt.counterexample is None:
        return attempt, ""
    model = attempt.counterexample
    prefix = f"[{model['s']},"
    completion = f"{_digits_of(model, 'a', n)},{_digits_of(model, 'b', n)}]"
    primes = n_digit_primes(n)
    texts = [tuple_text(x, y, "pq,p,q") for x in primes for y in primes]
    texts[texts.index(tuple_text(primes[0], primes[1], "pq,p,q"))] = f"[{primes[0] * primes[1]},{primes[0]},{primes[2]}]"
    law = induced(chain_rule(Dist.uniform(texts)), "", max_len=max(map(len, texts)), alphabet=TUPLE_ALPHABET,
                  prefix=prefix)
    return attempt, f"prefix {prefix!r}: completion {completion!r} (a·b ≠ s) has probability {law[prefix + completion]} " \
                    f"under chain_rule(corrupted target) (spec.induced)"


def prove_a1(n: int = 1, *, timeout_s: float = 60.0) -> ProofAttempt:
    """A1 for S_n: a φ whose support holds only correct factorizations factors each s of its support."""
    hyps, goal = a1_problem(n)
    return smt.prove(hyps, goal, check_counterexample=refutes(hyps, goal), nonlinear=True, timeout_s=timeout_s,
                     name=f"A1 over S_{n}: support of correct factorizations => factors with probability 1")


def refute_a1_one_wrong_tuple(n: int = 1) -> ProofAttempt:
    """A1 without the support premise at the completion: must be REFUTED (re-checked exactly)."""
    hyps, goal = a1_problem(n, one_wrong=True)
    return smt.prove(hyps, goal, check_counterexample=refutes(hyps, goal), nonlinear=True,
                     name=f"A1 over S_{n} with one wrong tuple allowed")


# --- registry ----------------------------------------------------------------------------------

FIXED_SCOPES: Mapping[Level, tuple[tuple[int, int], ...]] = {
    Level.QUICK: ((2, 2), (2, 3), (3, 2)),
    Level.STANDARD: ((1, 5), (2, 4), (3, 3), (4, 2), (5, 2), (6, 1), (1, 7), (2, 5)),
    Level.DEEP: tuple((k, L) for k in range(1, 8) for L in range(1, 8) if k + L <= 8),
}
INDUCTION_KS: Mapping[Level, tuple[int, ...]] = {
    Level.QUICK: tuple(range(1, MAX_K + 1)),
    Level.STANDARD: tuple(range(1, MAX_K + 1)),
    Level.DEEP: tuple(range(1, MAX_K + 1)),
}


def check_S4(level: Level) -> Verdict:
    """S4: the conditioning lemma, for fixed (k, L) by the decomposed encoding, and for all L by induction."""
    start = time.perf_counter()
    fixed = [prove_conditioning_decomposed(k, L) for k, L in FIXED_SCOPES[level]]
    induction = _all_lengths(INDUCTION_KS[level])
    # the encodings can fail: without one premise each must come back REFUTED, else the proofs are not trusted
    dropped = refute_conditioning_without_premise(2, 2, "0")
    step_without = refute_step_without(3, "premise")
    counterparts_ok = dropped.outcome is Outcome.REFUTED and step_without.outcome is Outcome.REFUTED
    outcomes = [p.outcome for p in fixed] + [p.outcome for p in induction]
    outcome = _combine_outcomes(outcomes)
    if outcome is Outcome.PROVED and not counterparts_ok:
        outcome = Outcome.UNKNOWN
    evidence = [
        f"(k, L) = ({p.k}, {p.L}): {p.outcome.value}, {p.queries} obligations, {p.num_vars} variables, "
        f"{p.num_assertions} assertions; z3 {p.z3_seconds:.3f} s, cvc5 {p.cvc5_seconds:.3f} s"
        for p in fixed
    ]
    evidence.append(DECOMPOSITION_SOUNDNESS)
    evidence.append(f"failing counterpart, (k, L) = (2, 2) without the premise at '0': {dropped.outcome.value}, "
                    f"offending prefix {dropped.prefix!r}, text {dropped.text!r}")
    evidence.append(f"failing counterpart, induction step (k = 3) without the premise at x: {step_without.outcome.value}")
    for proof in induction:
        runs = ", ".join(f"{r.solver} {r.answer.value} {r.seconds:.3f} s" for r in proof.step.runs)
        evidence.append(f"all lengths, k = {proof.k}: {proof.outcome.value} (step of arity {proof.k + 1}: {runs})")
    if induction:
        evidence.extend(induction[-1].evidence())
    cex = next((p.counterexample for p in fixed if p.counterexample), None)
    if outcome is Outcome.REFUTED and cex is None:
        cex = "an induction obligation was refuted: " + "; ".join(
            smt.format_model(p.step.counterexample) for p in induction if p.step.counterexample)
    scope = (f"fixed (k, L) in {', '.join(f'({k},{L})' for k, L in FIXED_SCOPES[level])}; "
             f"all lengths L for k in {min(INDUCTION_KS[level])}..{max(INDUCTION_KS[level])}")
    return Verdict(
        outcome, scope,
        "z3 (nlsat) + cvc5 (nl-cov) on QF_NRA: one obligation per node (cut rule), and induction on the height "
        "(base + step for a node of arity k+1)",
        tuple(evidence), cex if outcome is Outcome.REFUTED else None, time.perf_counter() - start,
        {"fixed": [p.row() for p in fixed],
         "induction": [{"k": p.k, "outcome": p.outcome.value,
                        "z3_s": round(_seconds([p.step], "z3"), 3), "cvc5_s": round(_seconds([p.step], "cvc5"), 3),
                        "vars": p.step.num_vars, "assertions": p.step.num_assertions} for p in induction]},
    )


def _combine_outcomes(outcomes: Sequence[Outcome]) -> Outcome:
    if all(o is Outcome.PROVED for o in outcomes):
        return Outcome.PROVED
    if any(o is Outcome.REFUTED for o in outcomes):
        return Outcome.REFUTED
    return Outcome.UNKNOWN


def _attempt_verdict(
    attempts: Sequence[tuple[str, ProofAttempt]], scope: str, method: str, start: float, extra: Sequence[str] = (),
    *, counterpart_ok: bool = True,
) -> Verdict:
    """PROVED iff every attempt is and the failing counterpart did fail (else UNKNOWN: an encoding that cannot fail)."""
    outcome = _combine_outcomes([a.outcome for _, a in attempts])
    if outcome is Outcome.PROVED and not counterpart_ok:
        outcome = Outcome.UNKNOWN
    evidence = [f"{label}: {a.outcome.value}; " + " | ".join(a.evidence()) for label, a in attempts] + list(extra)
    cex = next((f"{label}: {smt.format_model(a.counterexample)}" for label, a in attempts if a.counterexample), None)
    rows = [{"scope": label, "outcome": a.outcome.value, "vars": a.num_vars, "assertions": a.num_assertions,
             **{f"{r.solver}_s": round(r.seconds, 3) for r in a.runs}} for label, a in attempts]
    return Verdict(outcome, scope, method, tuple(evidence), cex if outcome is Outcome.REFUTED else None,
                   time.perf_counter() - start, {"proofs": rows})


def check_F2_smt(level: Level) -> Verdict:
    """F2 (Claim 1), SMT part: over S_1 (quick) and S_1, S_2 (standard, deep), z3 and cvc5 unsat."""
    start = time.perf_counter()
    ns = (1,) if level is Level.QUICK else (1, 2)
    attempts = [(f"n = {n}", prove_claim1(n)) for n in ns]
    corrupted, where = refute_claim1_corrupted(1)
    return _attempt_verdict(
        attempts,
        f"S_n for n in {ns}: every valid tuple [s,p,q] and every completion a,b] of '[s,' with a, b n-digit strings",
        "z3 + cvc5 (logic ALL: Int digits, Real conditionals): premise induced = Unif(S_n) on both texts, "
        "negated conclusion a·b ≠ s with positive probability; products computed from digit values",
        start,
        ["text format: spec.tasks.semiprime '[s,a,b]' (decimal); the mass of '[s,' relaxed to [0, 1]",
         "a completion of another form is outside S_n too and is not covered by this encoding",
         f"failing counterpart, S_1 with one corrupted tuple: {corrupted.outcome.value}; {where}"],
        counterpart_ok=corrupted.outcome is Outcome.REFUTED,
    )


def check_A1_smt(level: Level) -> Verdict:
    """A1, SMT part: over S_1, support ⊆ correct factorizations ⇒ wrong completions have probability 0."""
    start = time.perf_counter()
    attempts = [("n = 1", prove_a1(1))]
    wrong = refute_a1_one_wrong_tuple(1)
    return _attempt_verdict(
        attempts,
        "S_1: every s in φ's support (some completion c,d] of '[s,' has positive probability) and every "
        "completion a,b] with a, b 1-digit strings",
        "z3 + cvc5 (logic ALL): premise support(φ) ⊆ S_1 on both texts, negated conclusion a·b ≠ s with positive "
        "probability",
        start,
        ["probability 1 follows for terminating φ: the wrong completions each have probability 0",
         f"failing counterpart, one wrong tuple allowed in the support: {wrong.outcome.value}"
         + (f" ({smt.format_model(wrong.counterexample)})" if wrong.counterexample else "")],
        counterpart_ok=wrong.outcome is Outcome.REFUTED,
    )
