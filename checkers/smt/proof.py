"""Proof obligations and the small kernel that checks decomposed proofs.

An `Obligation` is a sequent: hypotheses ⊢ goal, both z3 formulas; its printed statement is
rendered from those formulas (a statement that differs from the rendering is a hand edit, and
the obligation is UNKNOWN). It is PROVED only when the solvers refute `hypotheses ∧ ¬goal`
(nonlinear: z3 and cvc5 on the same SMT-LIB2 text) AND its hypotheses are satisfiable, shown by
an exact model re-checked in Fractions; unsatisfiable hypotheses are "vacuous premises": UNKNOWN.

A `Proof` is a theorem (premises ⊢ goal), its obligations and the steps that join them, in
order. The kernel (`check_proof`) walks the steps and keeps the set of derived formulas:
- the premises (a premise containing a schematic variable, e.g. the recursive definition of a
  sum at n, stands for all its instances);
- `Use(i, σ)`: obligation i, PROVED, applied under a substitution σ of its free symbols (a valid
  sequent stays valid under substitution): every σ-hypothesis must already be derived, and
  then the σ-goal is derived, with each of its conjuncts;
- `Induction(n, P, base, step)`: the induction schema over ℕ. The base's goal must be P[n:=0],
  the step's goal P[n:=n+1], the step's hypotheses derived or one of its local assumptions
  n ≥ 0 and P; then `n ≥ 0 ⇒ P` is derived for every n.
A hypothesis is derived when it is structurally the same formula as a derived one (z3 terms are
hash-consed, so the same structure is the same term), possibly after instantiating schematic
variables. The theorem is PROVED when its goal is derived; a broken link is UNKNOWN, never a
counterexample. The only trusted rules are named in TRUSTED_RULES.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import z3

from checkers import smt
from checkers.smt import Interpretation, ProofAttempt
from checkers.verdict import Outcome, Relation, Statement, Verdict, verdict

__all__ = [
    "INDUCTION_SCHEMA",
    "SOLVERS_SOUND",
    "Checked",
    "Induction",
    "Obligation",
    "Premise",
    "Proof",
    "ProofReport",
    "Use",
    "attempt_verdict",
    "check_obligations",
    "check_proof",
    "checked_verdict",
    "model_of",
    "obligations_verdict",
    "proof_verdict",
    "render",
    "render_sequent",
]

SOLVERS_SOUND = "soundness of z3 and cvc5: an unsat answer means the negated goal has no model"
INDUCTION_SCHEMA = "the induction schema over ℕ: P(0) and ∀n ≥ 0 (P(n) ⇒ P(n+1)) give ∀n ≥ 0 P(n)"
KERNEL_RULES = (
    "kernel: each hypothesis is a premise (or an instance of a schematic one), a conjunct of a proved "
    "obligation's goal under the substitution it was applied with, or a local assumption of an induction step; "
    "the theorem's goal is derived"
)

# z3's printer cuts long terms with "..." by default: a rendered statement must be the whole formula.
z3.set_option(max_args=10**9, max_lines=10**9, max_depth=10**9, max_visited=10**9)


_RENDERED: dict[int, tuple[Any, str]] = {}  # within one run: z3's printer is slow and formulas repeat


def render(formula: Any) -> str:
    """A formula as one line of text (z3's printer, never cut)."""
    key = formula.get_id()
    hit = _RENDERED.get(key)
    if hit is not None and hit[0].eq(formula):
        return hit[1]
    text = " ".join(str(formula).split())
    _RENDERED[key] = (formula, text)  # the formula is kept alive, so its id is not reused
    return text


def render_sequent(hypotheses: Sequence[Any], goal: Any) -> str:
    """`h1 ∧ h2 ∧ … ⊢ goal`, rendered from the formulas."""
    return " ∧ ".join(render(h) for h in hypotheses) + "  ⊢  " + render(goal)


def _bools(terms: Iterable[Any], what: str) -> tuple[Any, ...]:
    out = tuple(terms)
    for t in out:
        if not z3.is_bool(t):
            raise TypeError(f"{what}: expected a z3 Boolean formula, got {type(t).__name__}: {t!r}")
    return out


@dataclass(frozen=True)
class Obligation:
    """hypotheses ⊢ goal, for every value of the free symbols; `statement` is rendered from them."""

    name: str
    hypotheses: tuple[Any, ...]
    goal: Any
    nonlinear: bool = True
    printed: str = ""  # a statement supplied by hand; empty: the rendering is printed

    def __post_init__(self) -> None:
        object.__setattr__(self, "hypotheses", _bools(self.hypotheses, f"obligation {self.name!r}"))
        _bools([self.goal], f"obligation {self.name!r}")

    @property
    def statement(self) -> str:
        """The printed statement: the rendering of the formulas (or the text supplied by hand)."""
        return self.printed or render_sequent(self.hypotheses, self.goal)

    @property
    def edited(self) -> bool:
        """The printed statement is not the rendering of the formulas (a hand edit)."""
        return bool(self.printed) and self.printed != render_sequent(self.hypotheses, self.goal)


@dataclass(frozen=True)
class Checked:
    """An obligation after the solvers and the vacuity check."""

    obligation: Obligation
    outcome: Outcome  # PROVED, REFUTED (the obligation, not a claim) or UNKNOWN
    attempt: ProofAttempt | None
    witness: str  # the exact model of the hypotheses ("" when none)
    reason: str = ""  # why not PROVED

    def record(self) -> dict[str, object]:
        """JSON-able: name, rendered statement, outcome, SHA-256 of the SMT-LIB2 text per solver, witness."""
        runs = self.attempt.runs if self.attempt else ()
        return {
            "name": self.obligation.name,
            "statement": self.obligation.statement,
            "outcome": self.outcome.value,
            "smtlib_sha256": {run.solver: self.attempt.sha256 for run in runs} if self.attempt else {},
            "solvers": {run.solver: run.answer.value for run in runs},
            "vacuity_witness": self.witness,
            "reason": self.reason,
            "smtlib": self.attempt.smtlib if self.attempt else "",  # the text itself: --smt-dir writes it out
        }

    def line(self) -> str:
        """`[PROVED] name: statement` and, when not proved, why."""
        return f"[{self.outcome.value}] {self.obligation.name}: {self.obligation.statement}" + (
            f" — {self.reason}" if self.reason else "")


def _witness_for(hypotheses: Sequence[Any], shared: Interpretation | None) -> tuple[str, str]:
    """(an exact witness of the hypotheses, "") or ("", why there is none)."""
    if shared is not None:
        try:
            if all(value is True for value in smt.evaluate_all(hypotheses, shared)):
                return "the exact model of the theorem's premises: " + _short(shared.describe()), ""
        except ValueError:
            pass  # a symbol the shared model does not interpret: ask the solver
    model, why = smt.exact_model(hypotheses)
    if model is None:
        if why.startswith("unsat"):
            return "", "vacuous premises: its hypotheses are unsatisfiable"
        return "", f"no exact witness that its hypotheses are satisfiable ({why})"
    return model.describe(), ""


def _short(text: str, limit: int = 300) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _recheck(ob: Obligation, model: Mapping[str, Fraction]) -> bool:
    """Is the solver's model a counterexample to the obligation, in exact arithmetic?

    The adapter's models give constants only; with uninterpreted functions an exact model of
    hypotheses ∧ ¬goal (function tables included) is searched and re-checked instead.
    """
    try:
        return smt.refutes(ob.hypotheses, ob.goal)(model)
    except ValueError:
        found, _ = smt.exact_model([*ob.hypotheses, z3.Not(ob.goal)])
        return found is not None


def check_obligations(
    obligations: Sequence[Obligation],
    *,
    shared_witness: Interpretation | None = None,
    timeout_s: float = 60.0,
    rlimit: int = smt.DEFAULT_RLIMIT,
    name: str = "",
) -> tuple[Checked, ...]:
    """Prove each obligation (one z3 context, one cvc5 child) and check its hypotheses satisfiable."""
    todo = [i for i, ob in enumerate(obligations) if not ob.edited]
    attempts = dict(zip(todo, smt.prove_many(
        [(obligations[i].hypotheses, obligations[i].goal) for i in todo],
        check_counterexample=lambda j, model: _recheck(obligations[todo[j]], model),
        nonlinear=any(obligations[i].nonlinear for i in todo), rlimit=rlimit, timeout_s=timeout_s,
        name=name or "obligation")))
    out: list[Checked] = []
    for i, ob in enumerate(obligations):
        if ob.edited:
            out.append(Checked(ob, Outcome.UNKNOWN, None, "",
                               "its printed statement is not the rendering of its formulas (edited by hand)"))
            continue
        attempt = attempts[i]
        if attempt.outcome is Outcome.REFUTED:
            cex = smt.format_model(attempt.counterexample or {})
            out.append(Checked(ob, Outcome.REFUTED, attempt, "", f"the solvers found a model of its negation: {cex}"))
            continue
        if attempt.outcome is not Outcome.PROVED:
            reason = "; ".join(filter(None, [attempt.note, *(f"{r.solver} {r.answer.value}" for r in attempt.runs)]))
            out.append(Checked(ob, Outcome.UNKNOWN, attempt, "", reason))
            continue
        witness, why = _witness_for(ob.hypotheses, shared_witness)
        out.append(Checked(ob, Outcome.PROVED if witness else Outcome.UNKNOWN, attempt, witness, why))
    return tuple(out)


@dataclass(frozen=True)
class Premise:
    """A premise of a theorem and where it comes from ("definition", "domain", or the id of a claim or assumption)."""

    formula: Any
    source: str = "premise"


@dataclass(frozen=True)
class Use:
    """Apply obligation `index` under the substitution `subst` (pairs of symbol, term)."""

    index: int
    subst: tuple[tuple[Any, Any], ...] = ()


@dataclass(frozen=True)
class Induction:
    """The induction schema over ℕ on `var` for the formula `predicate`, from two obligations."""

    var: Any
    predicate: Any
    base: int
    step: int


@dataclass(frozen=True)
class Proof:
    """A theorem, premises ⊢ goal, with the obligations and the steps that prove it."""

    name: str
    premises: tuple[Premise, ...]
    goal: Any
    obligations: tuple[Obligation, ...]
    steps: tuple[Use | Induction, ...]
    schematic: tuple[Any, ...] = ()
    rules: tuple[str, ...] = (SOLVERS_SOUND,)

    @property
    def statement(self) -> str:
        """The theorem, rendered from its formulas."""
        return render_sequent([p.formula for p in self.premises], self.goal)

    @property
    def rests_on(self) -> tuple[str, ...]:
        """The claims and assumptions its premises come from (all but definitions and the domain)."""
        return tuple(sorted({p.source for p in self.premises} - {"premise", "definition", "domain"}))


@dataclass(frozen=True)
class ProofReport:
    """What the kernel concluded about a proof, with every obligation's record."""

    proof: Proof
    outcome: Outcome  # PROVED or UNKNOWN
    checked: tuple[Checked, ...]
    broken: tuple[str, ...]  # the kernel's findings: broken links, failed obligations
    witness: str  # exact model of the premises
    notes: tuple[str, ...] = field(default=())

    def records(self) -> tuple[dict[str, object], ...]:
        """The obligations' JSON records, in proof order."""
        return tuple(c.record() for c in self.checked)

    def evidence(self, *, each: bool = True) -> tuple[str, ...]:
        """The theorem, its obligations (each, or a count), the kernel's result and the trusted rules."""
        proved = sum(c.outcome is Outcome.PROVED for c in self.checked)
        lines = [f"theorem {self.proof.name}: {self.proof.statement}",
                 f"premises satisfiable: {self.witness}" if self.witness else "premises: no exact witness",
                 f"{proved}/{len(self.checked)} obligations PROVED (solvers unsat on the negation; "
                 "hypotheses satisfiable, exact witness)"]
        if each:
            lines += [c.line() for c in self.checked]
        lines += [f"kernel: {b}" for b in self.broken] or [KERNEL_RULES]
        lines.append("trusted rules: " + "; ".join(self.proof.rules))
        return tuple(lines + list(self.notes))


class _Derived:
    """The formulas derived so far: exact ones by z3 AST id, schematic ones matched by instantiation."""

    def __init__(self, schematic: Sequence[Any]) -> None:
        self.schematic = {v.get_id() for v in schematic}
        self.exact: dict[int, Any] = {}
        self.patterns: list[Any] = []

    def add(self, formula: Any) -> None:
        stack = [formula]
        while stack:  # ∧-elimination: every conjunct is derived too
            f = stack.pop()
            self.exact[f.get_id()] = f
            if self._has_schematic(f):
                self.patterns.append(f)
            if z3.is_and(f):
                stack.extend(f.children())

    def _has_schematic(self, f: Any) -> bool:
        return any(z3.is_const(t) and t.get_id() in self.schematic for t in smt.subterms(f))

    def __contains__(self, formula: Any) -> bool:
        if formula.get_id() in self.exact:
            return True
        return any(_match(p, formula, self.schematic, {}) for p in self.patterns)


def _match(pattern: Any, term: Any, variables: set[int], binding: dict[int, Any]) -> bool:
    """Does term = pattern[vars := some terms]? (first-order matching, binding consistent)."""
    if z3.is_const(pattern) and pattern.get_id() in variables:
        bound = binding.get(pattern.get_id())
        if bound is None:
            binding[pattern.get_id()] = term
            return True
        return bool(bound.eq(term))
    if pattern.eq(term):
        return True
    if not (z3.is_app(pattern) and z3.is_app(term)) or pattern.num_args() != term.num_args():
        return False
    if pattern.num_args() == 0 or not pattern.decl().eq(term.decl()):
        return False
    return all(_match(p, t, variables, binding) for p, t in zip(pattern.children(), term.children()))


def _premise_witness(proof: Proof) -> tuple[Interpretation | None, str]:
    model, why = smt.exact_model([p.formula for p in proof.premises])
    return model, why


def check_proof(proof: Proof, *, timeout_s: float = 30.0, rlimit: int = smt.DEFAULT_RLIMIT) -> ProofReport:
    """Check every obligation, then every link; PROVED only when the goal is derived and nothing is broken."""
    witness, why = _premise_witness(proof)
    checked = check_obligations(proof.obligations, shared_witness=witness, timeout_s=timeout_s, rlimit=rlimit,
                                name=proof.name)
    broken: list[str] = []
    if witness is None:
        broken.append("the theorem's premises have no exact witness" + (
            ": they are unsatisfiable (vacuous)" if why.startswith("unsat") else f" ({why})"))
    for c in checked:
        if c.outcome is not Outcome.PROVED:
            broken.append(f"obligation {c.obligation.name!r} is {c.outcome.value}: {c.reason}")
    broken += _link_problems(proof, checked)
    outcome = Outcome.PROVED if not broken else Outcome.UNKNOWN
    return ProofReport(proof, outcome, checked, tuple(broken), witness.describe() if witness else "")


def _link_problems(proof: Proof, checked: Sequence[Checked]) -> list[str]:
    """The kernel: every hypothesis of every step derived, the goal derived at the end."""
    problems: list[str] = []
    schematic = {v.get_id() for v in proof.schematic}
    derived = _Derived(proof.schematic)
    for p in proof.premises:
        derived.add(p.formula)
    rigid = [p.formula for p in proof.premises if not derived._has_schematic(p.formula)]
    used: set[int] = set()
    for step in proof.steps:
        if isinstance(step, Use):
            ob = proof.obligations[step.index]
            used.add(step.index)
            subst = list(step.subst)
            for h in ob.hypotheses:
                h2 = z3.substitute(h, *subst) if subst else h
                if h2 not in derived:
                    problems.append(f"{ob.name!r}: hypothesis {render(h2)} is neither a premise nor a proved goal")
            derived.add(z3.substitute(ob.goal, *subst) if subst else ob.goal)
            continue
        n, P = step.var, step.predicate
        used.update((step.base, step.step))
        base, ind = proof.obligations[step.base], proof.obligations[step.step]
        if n.get_id() not in schematic:
            problems.append(f"induction on {n}: it is not a schematic variable of the proof")
        if any(_mentions(f, n) for f in [*rigid, proof.goal]):
            problems.append(f"induction on {n}: the variable occurs in a non-schematic premise or in the goal")
        zero, succ = z3.IntVal(0, n.ctx), n + 1
        if not base.goal.eq(z3.substitute(P, (n, zero))):
            problems.append(f"induction on {n}: the base {base.name!r} does not prove P(0) = {render(z3.substitute(P, (n, zero)))}")
        if not ind.goal.eq(z3.substitute(P, (n, succ))):
            problems.append(f"induction on {n}: the step {ind.name!r} does not prove P({n}+1)")
        for h in base.hypotheses:
            if h not in derived:
                problems.append(f"{base.name!r}: hypothesis {render(h)} is neither a premise nor a proved goal")
        local = {(n >= 0).get_id(), P.get_id()}
        for h in ind.hypotheses:
            if h.get_id() not in local and h not in derived:
                problems.append(f"{ind.name!r}: hypothesis {render(h)} is neither a premise, a proved goal, "
                                f"nor a local assumption ({n} ≥ 0, P({n}))")
        derived.add(z3.Implies(n >= 0, P))
    unused = [proof.obligations[i].name for i in range(len(proof.obligations)) if i not in used]
    if unused:
        problems.append(f"obligations not used by any step: {', '.join(map(repr, unused))}")
    if proof.goal not in derived:
        problems.append(f"the theorem's goal {render(proof.goal)} is not derived from the proved obligations")
    return problems


def _mentions(formula: Any, var: Any) -> bool:
    return any(t.eq(var) for t in smt.subterms(formula))


def exact_witness(values: Mapping[str, Fraction]) -> Interpretation:
    """An explicit exact witness of constants (for hypotheses whose solver models are irrational)."""
    return Interpretation(dict(values))


def obligations_verdict(
    checked: Sequence[tuple[str, Checked]], scope: str, method: str, extra: Sequence[str],
    *, counterpart_ok: bool, statement: str, relation: Relation,
) -> Verdict:
    """The verdict of named obligations: PROVED iff every obligation is (premises satisfiable) and the failing counterpart did fail; else UNKNOWN."""
    ok = all(c.outcome is Outcome.PROVED for _, c in checked) and counterpart_ok
    outcome = Outcome.PROVED if ok else Outcome.UNKNOWN
    evidence = [f"{label}: {c.line()}" for label, c in checked]
    evidence += [f"{label}: SMT-LIB2 SHA-256 {c.attempt.sha256}; hypotheses satisfiable: {c.witness or 'no witness'}"
                 for label, c in checked if c.attempt is not None]
    evidence += list(extra)
    return verdict(outcome, scope, method, evidence,
                   statements=(Statement(statement, relation, outcome),),
                   obligations=tuple(c.record() for _, c in checked),
                   data={"proofs": [{"scope": label, "outcome": c.outcome.value} for label, c in checked]})


def attempt_verdict(attempt: ProofAttempt, scope: str, method: str) -> Verdict:
    """A ProofAttempt as a verdict, with its model (exact Fractions as text) kept in `data` for re-checks."""
    cex = attempt.counterexample
    return verdict(attempt.outcome, scope, method, attempt.evidence(),
                   counterexample=smt.format_model(cex) if cex is not None else None,
                   data={"model": {k: str(x) for k, x in cex.items()}} if cex is not None else None)


def model_of(v: Verdict) -> dict[str, Fraction]:
    """The exact model an `attempt_verdict` kept in its data."""
    model = v.data["model"]
    assert isinstance(model, dict)
    return {str(k): Fraction(str(x)) for k, x in model.items()}


def checked_verdict(checked: Checked, scope: str, method: str) -> Verdict:
    """One obligation after the solvers and the vacuity check, as a verdict (REFUTED with its exact model)."""
    attempt = checked.attempt
    if checked.outcome is Outcome.REFUTED and attempt is not None and attempt.counterexample is not None:
        return attempt_verdict(attempt, scope, method)
    return verdict(Outcome.UNKNOWN if checked.outcome is not Outcome.PROVED else Outcome.PROVED, scope, method,
                   (checked.line(),))


def proof_verdict(report: ProofReport, scope: str, method: str) -> Verdict:
    """A kernel-checked proof as a verdict: PROVED, or UNKNOWN with the kernel's findings (never REFUTED)."""
    return verdict(report.outcome, scope, method, report.evidence(each=False))
