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
from checkers.proof import (
    INDUCTION_SCHEMA,
    SOLVERS_SOUND,
    Checked,
    Induction,
    Obligation,
    Premise,
    Proof,
    ProofReport,
    Use,
    check_obligations,
    check_proof,
)
from checkers.smt import ProofAttempt, evaluate, refutes
from checkers.verdict import Level, Outcome, Relation, Statement, Verdict
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
    "ConditioningProof",
    "Refutation",
    "texts_upto",
    "naive_problem",
    "step_obligation",
    "claim1_problem",
    "a1_problem",
    "node_obligations",
    "prove_conditioning_naive",
    "prove_conditioning_decomposed",
    "refute_conditioning_without_premise",
    "offending_pair",
    "prove_claim1",
    "refute_claim1_corrupted",
    "prove_a1",
    "refute_a1_one_wrong_tuple",
    "check_S4",
    "check_F2_smt",
    "check_A1_smt",
    "AllLengths",
    "HEIGHT_INDUCTION",
    "conditioning_proof",
    "conditioning_step_proof",
    "leaf_obligation",
    "prove_all_lengths",
    "evaluate",
    "refutes",
]

MAX_K = 13  # the alphabet of the [s,a,b] tuples has 13 symbols
_i = z3.Int("i")  # the induction variable over a node's children
SYMBOLS = "0123456789abc"
RLIMIT = smt.DEFAULT_RLIMIT
CHUNK = 16  # pair goals per obligation: fewer blocks than 1, far easier for cvc5 than a whole subtree

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
        "joined by the proof kernel in conditioning_proof (every hypothesis a premise or an earlier goal)",
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


def step_obligation(k: int, *, without: str | None = None, vacuous: bool = False) -> tuple[list[Any], Any]:
    """(hypotheses, goal) of the induction step for a node x of arity k+1 (STOP and k children).

    Local values: φ(x)(STOP) = fS, φ(x)(a_i) = f_i; m = m(x), D0 = D(x), M = M(x); per child i:
    m_i = m(x a_i), M_i = M(x a_i), and a generic descendant t_i with q_i = Q(x a_i, t_i),
    Qx_i = Q(x, t_i), d_i = D(t_i). `without` drops one hypothesis ("premise" at x, "simplex"
    total, "child" hypothesis) for the failing counterparts; `vacuous` adds fS > 1 (contradicting
    the simplex) and makes the goal M = 2·m false (only vacuous premises could "prove" it).
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
    if vacuous:
        hyps.append(fS > 1)
        goal = z3.And([M == 2 * m, fS * M == D0] + [Qx[i] * M == d[i] for i in range(k)])
    return hyps, goal


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


# --- the kernel-checked proofs of S4 -----------------------------------------------------------


def _premises_and_goal(k: int, L: int, *, drop: str | None = None) -> tuple[list[Premise], Any]:
    """The theorem for (k, L): φ's simplex laws, induced = D, the definitions of m, M, Q ⊢ conditioning."""
    v = _Vars(k, L)
    premises: list[Premise] = []
    goal_parts = []
    for x in texts_upto(k, L):
        premises += [Premise(c, "domain") for c in v.simplex(x)]
        if x != drop:
            premises.append(Premise(v.D(x) == v.m(x) * v.phi(x, STOP), "premise"))
        kids = v.children(x)
        premises += [Premise(v.m(c) == v.m(x) * v.phi(x, c[-1]), "definition") for c in kids]
        premises.append(Premise(v.M(x) == v.D(x) + _sum([v.M(c) for c in kids]), "definition"))
        premises.append(Premise(v.Q(x, x) == v.phi(x, STOP), "definition"))
        for c in kids:
            premises += [Premise(v.Q(x, t) == v.phi(x, c[-1]) * v.Q(c, t), "definition") for t in v.subtree(c)]
        goal_parts += [z3.Implies(v.M(x) > 0, v.Q(x, t) * v.M(x) == v.D(t)) for t in v.subtree(x)]
    return premises, z3.And(goal_parts)


def conditioning_proof(k: int, L: int, *, chunk: int = CHUNK, drop: str | None = None,
                       without_child_mass: bool = False) -> Proof:
    """S4 for texts of length ≤ L over k symbols, as a kernel-checked proof.

    Premises: φ's laws are on the simplex, induced(x) = D(x) for every text x, and the
    definitions m(xa) = m(x)·φ(x)(a), M(x) = D(x) + Σ_a M(xa), Q(x,x) = φ(x)(STOP),
    Q(x,t) = φ(x)(a)·Q(xa,t). Goal: for every prefix x and text t extending x,
    M(x) > 0 ⇒ Q(x,t)·M(x) = D(t) (sampling after x gives D conditioned on x). Obligations:
    node by node, longest first (node_obligations), then one that gathers the goal.
    `without_child_mass` drops the hypothesis M(c) = m(c) from the pair obligations (the link
    they need: the proof must come back UNKNOWN).
    """
    premises, goal = _premises_and_goal(k, L, drop=drop)
    obligations = []
    for name, hyps, g in node_obligations(k, L, drop=drop, chunk=chunk):
        if without_child_mass and name.startswith("pairs"):
            v = _Vars(k, L)
            hyps = [h for h in hyps if not any(h.eq(v.M(c) == v.m(c)) for c in texts_upto(k, L) if c)]
        obligations.append(Obligation(name, tuple(hyps), g))
    gathered = [c for ob in obligations for c in (ob.goal.children() if z3.is_and(ob.goal) else [ob.goal])]
    wanted = {c.get_id() for part in goal.children() for c in [part.arg(1)]}
    obligations.append(Obligation("the goal, gathered", tuple(c for c in gathered if c.get_id() in wanted), goal))
    return Proof(f"S4 for k = {k}, L = {L}", tuple(premises), goal, tuple(obligations),
                 tuple(Use(i) for i in range(len(obligations))))


def conditioning_step_proof(*, extra_hypothesis: bool = False, without_child: bool = False) -> Proof:
    """The induction step of S4 over the height, for a node of ANY arity k + 1 (STOP and k children).

    Node x: φ(x)(STOP) = fS, φ(x)(child i) = f(i); m = m(x), D0 = D(x), M = M(x); child i:
    mi(i) = m·f(i), Mi(i) its D-mass, q(i) = Q(child i, t_i) for a generic descendant t_i,
    Qx(i) = f(i)·q(i) = Q(x, t_i), d(i) = D(t_i). The induction hypothesis (each child satisfies
    the lemma: Mi(i) = mi(i) and q(i)·Mi(i) = d(i)) is a premise. Σ_{i<k} over the children is a
    recursive sum (SF, SM), and SM(k) = m·SF(k) is proved by induction over i. The goal is the
    lemma at x: M = m, fS·M = D0 and, for a generic child j, Qx(j)·M = d(j).
    `extra_hypothesis` adds fS > 1 to the final obligation (with the false goal M = 2·m);
    `without_child` drops Mi(i) = mi(i) from the induction's step (both must come back UNKNOWN).
    """
    k, j = z3.Ints("k j")
    fS, m, D0, M = z3.Reals("fS m D0 M")
    f, mi, Mi, q, Qx, d, SF, SM = (z3.Function(name, z3.IntSort(), z3.RealSort())
                                   for name in ("f", "mi", "Mi", "q", "Qx", "d", "SF", "SM"))
    i = _i

    def inside(x: Any) -> Any:
        return z3.And(x >= 0, x < k)

    def child_defs(x: Any) -> Any:
        return z3.Implies(inside(x), z3.And(f(x) >= 0, mi(x) == m * f(x), Qx(x) == f(x) * q(x)))

    def child_lemma(x: Any) -> Any:  # the induction hypothesis over the height, at child x
        return z3.Implies(inside(x), z3.And(Mi(x) == mi(x), q(x) * Mi(x) == d(x)))

    premises = (
        Premise(k >= 0, "domain"), Premise(fS >= 0, "domain"), Premise(fS + SF(k) == 1, "domain"),
        Premise(D0 == m * fS, "premise"), Premise(M == D0 + SM(k), "definition"),
        Premise(child_defs(i), "definition"),
        Premise(SF(0) == 0, "definition"), Premise(SF(i + 1) == SF(i) + f(i), "definition"),
        Premise(SM(0) == 0, "definition"), Premise(SM(i + 1) == SM(i) + Mi(i), "definition"),
        Premise(child_lemma(i), "induction hypothesis on the height"),
    )

    def P(x: Any) -> Any:
        return z3.Implies(x <= k, SM(x) == m * SF(x))

    goal = z3.And(M == m, fS * M == D0, z3.Implies(inside(j), Qx(j) * M == d(j)))
    base = Obligation("children summed, base i = 0", (SF(0) == 0, SM(0) == 0), z3.substitute(P(i), (i, z3.IntVal(0))))
    step_hyps = [i >= 0, P(i), premises[7].formula, premises[9].formula, child_defs(i), child_lemma(i)]
    if without_child:
        step_hyps[-1] = z3.Implies(inside(i), q(i) * Mi(i) == d(i))
    step = Obligation("children summed, step i → i+1", tuple(step_hyps), z3.substitute(P(i), (i, i + 1)))
    final_hyps = [k >= 0, z3.Implies(k >= 0, z3.substitute(P(i), (i, k))), fS + SF(k) == 1, D0 == m * fS,
                  M == D0 + SM(k), child_defs(j), child_lemma(j)]
    final_goal = goal
    if extra_hypothesis:
        final_hyps.append(fS > 1)
        final_goal = z3.And(M == 2 * m, fS * M == D0, z3.Implies(inside(j), Qx(j) * M == d(j)))
    final = Obligation("the node's lemma", tuple(final_hyps), final_goal)
    return Proof("S4, induction step over the height, any arity", premises, final_goal, (base, step, final),
                 (Induction(i, P(i), 0, 1), Use(2)), schematic=(i,), rules=(SOLVERS_SOUND, INDUCTION_SCHEMA))


def leaf_obligation() -> Obligation:
    """The base of the induction over the height: a leaf (φ(x)(STOP) = 1, no children) satisfies the lemma."""
    m, D0, M = z3.Reals("m D0 M")
    return Obligation("S4, base: a leaf", (D0 == m * 1, M == D0), z3.And(M == m, 1 * M == D0))


HEIGHT_INDUCTION = (
    "the induction schema over ℕ on the height h of a node (texts of length ≤ L form a tree of height L): "
    "P(h) = every node of height h satisfies the lemma at itself and at every descendant; P(0) is the leaf "
    "obligation; P(h) ⇒ P(h+1) is the step proof, whose premise 'induction hypothesis on the height' is P(h) at "
    "the children (a descendant of x is x itself or a descendant of a child)"
)


# --- registry ----------------------------------------------------------------------------------

FIXED_SCOPES: Mapping[Level, tuple[tuple[int, int], ...]] = {
    # every k and L is covered by the induction; these unfold every node and pair as a cross-check
    Level.QUICK: ((2, 2), (3, 1)),
    Level.STANDARD: ((1, 4), (2, 3), (3, 2), (4, 2), (13, 1)),
    Level.DEEP: tuple((k, L) for k in range(1, 8) for L in range(1, 8) if k + L <= 8),
}


@dataclass(frozen=True)
class AllLengths:
    """S4 for every length and every alphabet size: the leaf, the step for any arity, the rule joining them."""

    leaf: Checked
    step: ProofReport

    @property
    def outcome(self) -> Outcome:
        """PROVED iff the leaf and the step proof are."""
        ok = self.leaf.outcome is Outcome.PROVED and self.step.outcome is Outcome.PROVED
        return Outcome.PROVED if ok else Outcome.UNKNOWN

    def evidence(self) -> tuple[str, ...]:
        """The leaf, the step proof (kernel-checked) and the height induction rule."""
        return (f"base: {self.leaf.line()}", *self.step.evidence(), f"rule: {HEIGHT_INDUCTION}")


def prove_all_lengths(*, extra_hypothesis: bool = False, without_child: bool = False) -> AllLengths:
    """The lemma for every L and every k: leaf obligation and the kernel-checked step for any arity."""
    leaf = check_obligations([leaf_obligation()], name="S4 leaf")[0]
    step = check_proof(conditioning_step_proof(extra_hypothesis=extra_hypothesis, without_child=without_child))
    return AllLengths(leaf, step)


def check_S4(level: Level) -> Verdict:
    """S4: the conditioning lemma for fixed (k, L) and for every length and alphabet size, kernel-checked."""
    fixed = [(k, L, check_proof(conditioning_proof(k, L))) for k, L in FIXED_SCOPES[level]]
    general = prove_all_lengths()
    # the checks must be able to fail: a dropped premise is REFUTED by a concrete φ (re-checked by spec.induced);
    # a vacuous hypothesis and a dropped child hypothesis leave the step proof UNKNOWN
    dropped = refute_conditioning_without_premise(2, 2, "0")
    vacuous = prove_all_lengths(extra_hypothesis=True)
    no_child = prove_all_lengths(without_child=True)
    counterparts_ok = (dropped.outcome is Outcome.REFUTED and vacuous.outcome is Outcome.UNKNOWN
                       and no_child.outcome is Outcome.UNKNOWN)
    ok = all(r.outcome is Outcome.PROVED for _, _, r in fixed) and general.outcome is Outcome.PROVED
    outcome = Outcome.PROVED if ok and counterparts_ok else Outcome.UNKNOWN
    evidence = [
        f"(k, L) = ({k}, {L}): {r.outcome.value}, {len(r.checked)} obligations, kernel: "
        + ("every link checked" if not r.broken else "; ".join(r.broken[:2]))
        for k, L, r in fixed
    ]
    evidence += list(general.evidence())
    evidence += [
        f"failing counterpart, (k, L) = (2, 2) without the premise at '0': {dropped.outcome.value}, "
        f"offending prefix {dropped.prefix!r}, text {dropped.text!r} (re-checked with spec.induced)",
        f"failing counterpart, step with the hypothesis fS > 1 and the goal M = 2·m: {vacuous.outcome.value} "
        f"({'; '.join(vacuous.step.broken[:2])})",
        f"failing counterpart, step without the child hypothesis Mi = mi: {no_child.outcome.value} "
        f"({'; '.join(no_child.step.broken[:1])})",
    ]
    scopes = ", ".join(f"({k},{L})" for k, L, _ in fixed)
    statements = (
        Statement("for every alphabet of k ≥ 1 symbols, every length bound L, every φ inducing D and every prefix x "
                  "with D-mass M(x) > 0: sampling φ after x gives text t probability D(t)/M(x)", Relation.SAME, outcome),
        Statement(f"the same for the fixed (k, L) in {scopes}, every node and pair unfolded", Relation.SPECIAL_CASE,
                  Outcome.PROVED if all(r.outcome is Outcome.PROVED for _, _, r in fixed) else Outcome.UNKNOWN),
    )
    records = general.step.records() + (general.leaf.record(),) + tuple(
        rec for _, _, r in fixed for rec in r.records())
    return Verdict(
        outcome, f"every alphabet size k ≥ 1 and every length L (induction); fixed (k, L) in {scopes}",
        "kernel-checked proofs (z3 + cvc5 per obligation): node by node for fixed (k, L); for all L and k, "
        "induction on the height with the children summed by induction",
        tuple(evidence), statements=statements, obligations=records,
        data={"fixed": [{"k": k, "L": L, "outcome": r.outcome.value, "obligations": len(r.checked)}
                        for k, L, r in fixed]},
    )


def _proof_verdict(
    checked: Sequence[tuple[str, Checked]], scope: str, method: str, extra: Sequence[str],
    *, counterpart_ok: bool, statement: str, relation: Relation,
) -> Verdict:
    """PROVED iff every obligation is (premises satisfiable) and the failing counterpart did fail; else UNKNOWN."""
    ok = all(c.outcome is Outcome.PROVED for _, c in checked) and counterpart_ok
    outcome = Outcome.PROVED if ok else Outcome.UNKNOWN
    evidence = [f"{label}: {c.line()}" for label, c in checked]
    evidence += [f"{label}: SMT-LIB2 SHA-256 {c.attempt.sha256}; hypotheses satisfiable: {c.witness or 'no witness'}"
                 for label, c in checked if c.attempt is not None]
    evidence += list(extra)
    return Verdict(outcome, scope, method, tuple(evidence),
                   statements=(Statement(statement, relation, outcome),),
                   obligations=tuple(c.record() for _, c in checked),
                   data={"proofs": [{"scope": label, "outcome": c.outcome.value} for label, c in checked]})


def check_F2_smt(level: Level) -> Verdict:
    """F2 (Claim 1), SMT part: over S_1 (quick) and S_1, S_2 (standard, deep), z3 and cvc5 unsat, premises satisfiable."""
    ns = (1,) if level is Level.QUICK else (1, 2)
    obligations = []
    for n in ns:
        hyps, goal = claim1_problem(n)
        obligations.append(Obligation(f"Claim 1 over S_{n}", tuple(hyps), goal))
    checked = list(zip([f"n = {n}" for n in ns], check_obligations(obligations, name="Claim 1")))
    corrupted, where = refute_claim1_corrupted(1)
    return _proof_verdict(
        checked,
        f"S_n for n in {ns}: every valid tuple [s,p,q] and every completion a,b] of '[s,' with a, b n-digit strings",
        "z3 + cvc5 (logic ALL: Int digits, Real conditionals): premise induced = Unif(S_n) on both texts, "
        "negated conclusion a·b ≠ s with positive probability; products computed from digit values",
        ["text format: spec.tasks.semiprime '[s,a,b]' (decimal); the mass of '[s,' relaxed to [0, 1]",
         "a completion of another form is outside S_n too and is not covered by this encoding",
         f"failing counterpart, S_1 with one corrupted tuple: {corrupted.outcome.value}; {where}"],
        counterpart_ok=corrupted.outcome is Outcome.REFUTED,
        statement=f"for n in {ns}: if φ induces Unif(S_n), every completion a,b] of '[s,' with a·b ≠ s has probability 0",
        relation=Relation.SPECIAL_CASE,
    )


def check_A1_smt(level: Level) -> Verdict:
    """A1, SMT part: over S_1, support ⊆ correct factorizations ⇒ wrong completions have probability 0."""
    hyps, goal = a1_problem(1)
    checked = [("n = 1", check_obligations([Obligation("A1 over S_1", tuple(hyps), goal)], name="A1")[0])]
    wrong = refute_a1_one_wrong_tuple(1)
    return _proof_verdict(
        checked,
        "S_1: every s in φ's support (some completion c,d] of '[s,' has positive probability) and every "
        "completion a,b] with a, b 1-digit strings",
        "z3 + cvc5 (logic ALL): premise support(φ) ⊆ S_1 on both texts, negated conclusion a·b ≠ s with positive "
        "probability",
        ["probability 1 follows for terminating φ: the wrong completions each have probability 0",
         f"failing counterpart, one wrong tuple allowed in the support: {wrong.outcome.value}"
         + (f" ({smt.format_model(wrong.counterexample)})" if wrong.counterexample else "")],
        counterpart_ok=wrong.outcome is Outcome.REFUTED,
        statement="over S_1: if φ's support holds only correct factorizations, every s in it is factored with "
                  "probability 1 from '[s,'",
        relation=Relation.SPECIAL_CASE,
    )
