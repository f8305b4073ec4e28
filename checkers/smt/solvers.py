"""The project's one SMT adapter: z3 (and cvc5 for nonlinear problems) on one SMT-LIB2 text.

Every solver of the project is built here, with fixed seeds and a resource limit, so a problem
gets the same answer on every run. Which solvers run is one value, `Solvers` (z3 and cvc5 runners,
the seed, an optional fixed resource limit), passed as `solvers=` to prove/prove_many/check_sat or
set for a block of code with `using_solvers(...)` (a context variable; the default is the real ones):
tests inject solver answers through it, never by patching this module. Answers are an enum where unknown is its own case: a
proof needs z3 unsat (nonlinear: z3 *and* cvc5 unsat on the same text), a refutation needs
a solver model that the caller's exact re-check in Fractions accepts; anything else
(unknown, resource limit, timeout, disagreement, irrational model, crash) is UNKNOWN.

z3 and cvc5 are untyped: their objects never leave this module's functions; results come
back as str, Fraction and enums. cvc5 runs in a child process (the script cvc5_child.py)
because its time limit is not honoured inside a cylindrical-coverings step (measured: a
30 s `tlimit-per` ran 103 s on 5-variable AM-GM), and a child can be killed.
"""

from __future__ import annotations

import atexit
import contextlib
import contextvars
import dataclasses
import enum
import functools
import hashlib
import json
import multiprocessing.util
import operator
import os
import select
import subprocess
import sys
import tempfile
import threading
import time
import types
import weakref
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import IO, Any, Callable, Generic, Iterator, Mapping, Protocol, Sequence, TypeVar, cast

import z3

from checkers.smt import cvc5_child
from checkers.smt.exact import (
    Interpretation,
    _arg_ids,
    _completed_all,
    _decl_kind,
    _numeral,
    _postorder,
    _symbols,
    evaluate_all,
)
from checkers.verdict import Outcome

__all__ = [
    "memo_per_solvers",
    "remembering_answers",
    "DEFAULT_RLIMIT",
    "sha256",
    "stop_cvc5_children",
    "sum_terms",
    "DEFAULT_SEED",
    "ProofAttempt",
    "SolverAnswer",
    "SolverRun",
    "Solvers",
    "check_sat",
    "current_solvers",
    "using_solvers",
    "format_model",
    "prove",
    "prove_many",
    "exact_model",
]

# z3 resource units. Measured on z3 nlsat: ~5-7 million units per second; 5-variable AM-GM
# of degree 5 needs 85 million units (16.5 s), so 100 million caps hard problems near 15-20 s.
DEFAULT_RLIMIT = 100_000_000
DEFAULT_SEED = 0
# cvc5 resource units are coarser (~200-300 thousand per second measured on small LIA/NRA
# problems): rlimit // 20 gives cvc5 roughly the same time budget as z3.
_CVC5_RLIMIT_DIVISOR = 20
# Extra wall-clock seconds before the cvc5 child is killed (process start, model output).
_CVC5_KILL_GRACE_S = 10.0
_CVC5_CHILD = Path(cvc5_child.__file__).resolve()  # run as a script: it imports only cvc5


class SolverAnswer(enum.Enum):
    """What one solver said about the satisfiability of the text."""

    UNSAT = "unsat"
    SAT = "sat"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class SolverRun:
    """One solver's answer on the SMT-LIB2 text, with its time and (for SAT) its rational model."""

    solver: str  # "z3" or "cvc5"
    answer: SolverAnswer
    seconds: float
    reason: str  # z3 reason_unknown / cvc5 explanation / "" ; for errors the exception text
    model: Mapping[str, Fraction] | None  # only for SAT, when every value is rational


@dataclass(frozen=True)
class ProofAttempt:
    """The outcome of one prove/check_sat call with the runs and the exact text behind it."""

    outcome: Outcome  # PROVED, REFUTED or UNKNOWN only
    runs: tuple[SolverRun, ...]
    smtlib: str  # the exact SMT-LIB2 text both solvers read
    counterexample: Mapping[str, Fraction] | None  # set iff REFUTED
    num_vars: int
    num_assertions: int
    logic: str = ""
    note: str = ""  # why the adapter concluded what it did, beyond the solvers' answers
    seed: int = DEFAULT_SEED
    rlimit: int = DEFAULT_RLIMIT

    def __post_init__(self) -> None:
        if self.outcome not in (Outcome.PROVED, Outcome.REFUTED, Outcome.UNKNOWN):
            raise ValueError(f"a ProofAttempt cannot be {self.outcome.value}")
        if (self.outcome is Outcome.REFUTED) != (self.counterexample is not None):
            raise ValueError("a counterexample is set exactly when the outcome is REFUTED")

    @property
    def sha256(self) -> str:
        """SHA-256 of the SMT-LIB2 text the solvers read (cvc5 read it between push and pop in a batch)."""
        return sha256(self.smtlib)

    def evidence(self) -> tuple[str, ...]:
        """Human-readable lines: each solver's answer, time and reason; problem size and limits."""
        lines = [
            f"{run.solver}: {run.answer.value} in {run.seconds:.3f} s" + (f" ({run.reason})" if run.reason else "")
            for run in self.runs
        ]
        lines.append(
            f"problem: logic {self.logic}, {self.num_vars} variables, {self.num_assertions} assertions, "
            f"{len(self.smtlib)} characters of SMT-LIB2; seed {self.seed}, z3 rlimit {self.rlimit}, "
            f"cvc5 rlimit-per {_cvc5_rlimit(self.rlimit)}"
        )
        if self.counterexample is not None:
            lines.append(f"counterexample (exactly re-checked): {format_model(self.counterexample)}")
        if self.note:
            lines.append(f"note: {self.note}")
        return tuple(lines)


def sum_terms(xs: Sequence[Any]) -> Any:
    """Σ xs as one z3 term: no unary (+ x), which z3 prints for a one-term Sum and cvc5 rejects; 0 when empty."""
    return xs[0] if len(xs) == 1 else z3.Sum(list(xs)) if xs else z3.RealVal(0)


def sha256(text: str) -> str:
    """The hex SHA-256 of a text (UTF-8)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def format_model(model: Mapping[str, Fraction]) -> str:
    """A model as `x = 1/2, y = 3`, sorted by name."""
    return ", ".join(f"{name} = {value}" for name, value in sorted(model.items())) or "(no variables)"


def prove(
    hypotheses: Sequence[Any],
    goal: Any,
    *,
    check_counterexample: Callable[[Mapping[str, Fraction]], bool],
    nonlinear: bool,
    rlimit: int = DEFAULT_RLIMIT,
    timeout_s: float = 60.0,
    name: str = "",
    solvers: Solvers | None = None,
) -> ProofAttempt:
    """Prove hypotheses |- goal (z3 BoolRefs) by refuting `hypotheses AND NOT goal`.

    PROVED: z3 unsat, and for nonlinear problems (declared by `nonlinear` or found in the
    terms) cvc5 unsat on the same text. REFUTED: a solver model, in exact Fractions by
    variable name (Bools as 0/1), for which `check_counterexample` returned True; it must
    evaluate the hypotheses and the goal itself. UNKNOWN: everything else. Exceptions of
    `check_counterexample` propagate (a bug of the caller, not a solver answer). `solvers`: the solvers
    to run (default: the current ones, see `using_solvers`).
    """
    _require_bools([*hypotheses, goal])
    return _decide([*hypotheses, z3.Not(goal)], check_counterexample, nonlinear, rlimit, timeout_s, name,
                   solvers or current_solvers())


def check_sat(
    assertions: Sequence[Any],
    *,
    check_model: Callable[[Mapping[str, Fraction]], bool],
    nonlinear: bool,
    rlimit: int = DEFAULT_RLIMIT,
    timeout_s: float = 60.0,
    name: str = "",
    solvers: Solvers | None = None,
) -> ProofAttempt:
    """Search a witness satisfying all `assertions` (z3 BoolRefs); the dual of `prove`.

    REFUTED means "a verified model exists": a solver model for which `check_model` returned
    True, given in `counterexample`. PROVED means the assertions are unsatisfiable (z3 unsat,
    and cvc5 unsat too when nonlinear). UNKNOWN otherwise. Callers searching for witnesses
    should read REFUTED as "witness found".
    """
    _require_bools(assertions)
    return _decide(list(assertions), check_model, nonlinear, rlimit, timeout_s, name, solvers or current_solvers())


# --- answers remembered within one job ----------------------------------------------------------
# A claim's twins re-ask the solvers what its check asked (the same lemmas): inside `remembering_answers()` a run on the
# same SMT-LIB2 text, logic, seed, limits and `Solvers` value is answered from memory. Only sat and unsat are kept
# (a solver's definite answer on a text is a fact about the text; an unknown may depend on the clock). The memory
# lives for one block, a runner's job, never longer: what a job proves does not depend on what ran before it.

_R = TypeVar("_R")
_ANSWERS: contextvars.ContextVar[dict[tuple[object, ...], Any] | None] = contextvars.ContextVar(
    "remembered_answers", default=None)


@contextlib.contextmanager
def remembering_answers() -> Iterator[None]:
    """Within the block, solver runs on a text already answered sat or unsat in it are not run again."""
    if _ANSWERS.get() is not None:  # nested: the enclosing block's memory
        yield
        return
    token = _ANSWERS.set({})
    try:
        yield
    finally:
        _ANSWERS.reset(token)


def _unnamed(text: str) -> str:
    """The text without its leading comment lines (the obligation's name and number): what the solvers read.

    Remembered answers are keyed by it, so one formula checked under two names (an obligation numbered
    differently in another batch) is solved once."""
    while text.startswith(";"):
        text = text.partition("\n")[2]
    return text


def _remembered(key: tuple[object, ...], answer: Callable[[_R], SolverAnswer], run: Callable[[], _R]) -> _R:
    """run(), or its remembered result under `key` inside `remembering_answers()`."""
    memory = _ANSWERS.get()
    if memory is None:
        return run()
    if key in memory:
        return cast(_R, memory[key])
    out = run()
    if answer(out) in (SolverAnswer.SAT, SolverAnswer.UNSAT):
        memory[key] = out
    return out


def _cvc5_remembered(solvers: Solvers, text: str, logic: str, rlimit: int, seed: int, timeout_s: float) -> SolverRun:
    return _remembered((solvers, "cvc5", logic, _unnamed(text), rlimit, seed, timeout_s), lambda r: r.answer,
                       lambda: solvers.cvc5(text, logic, rlimit=rlimit, seed=seed, timeout_s=timeout_s))


def _batch_remembered(solvers: Solvers, which: str, texts: list[str], logic: str, rlimit: int,
                      timeout_s: float) -> list[SolverRun]:
    """The batch runner `which` ("z3" or "cvc5") on the texts not answered yet in this block (one batch)."""
    runner = solvers.z3_batch if which == "z3" else solvers.cvc5_batch
    memory = _ANSWERS.get()
    if memory is None:
        return runner(texts, logic, rlimit=rlimit, seed=solvers.seed, timeout_s=timeout_s)
    keys = [(solvers, f"{which} batch", logic, _unnamed(text), rlimit, solvers.seed, timeout_s) for text in texts]
    todo = [i for i, key in enumerate(keys) if key not in memory]
    fresh = runner([texts[i] for i in todo], logic, rlimit=rlimit, seed=solvers.seed, timeout_s=timeout_s) if todo else []
    for i, run in zip(todo, fresh):
        if run.answer in (SolverAnswer.SAT, SolverAnswer.UNSAT):
            memory[keys[i]] = run
    got = dict(zip(todo, fresh))
    return [got[i] if i in got else memory[key] for i, key in enumerate(keys)]


def _require_bools(terms: Sequence[Any]) -> None:
    """Reject anything that is not a z3 Boolean term (a caller bug, not a solver answer)."""
    for term in terms:
        if not z3.is_bool(term):
            raise TypeError(f"expected a z3 BoolRef, got {type(term).__name__}: {term!r}")


def _cvc5_rlimit(rlimit: int) -> int:
    """The cvc5 resource limit matching a z3 rlimit."""
    return max(1, rlimit // _CVC5_RLIMIT_DIVISOR)


def _decide(
    assertions: list[Any],
    check: Callable[[Mapping[str, Fraction]], bool],
    nonlinear: bool,
    rlimit: int,
    timeout_s: float,
    name: str,
    solvers: Solvers,
) -> ProofAttempt:
    """Run the solvers on the conjunction of `assertions` and turn their answers into an outcome."""
    rlimit = solvers.limit(rlimit)
    if rlimit < 1:
        raise ValueError("rlimit must be at least 1 (z3 reads 0 as unlimited)")
    if timeout_s <= 0:
        raise ValueError("timeout_s must be positive")
    text, logic, variables, found_nonlinear = _smtlib(assertions, name)
    needs_cvc5 = nonlinear or found_nonlinear
    seed = solvers.seed

    def attempt(
        outcome: Outcome, runs: list[SolverRun], note: str = "", cex: Mapping[str, Fraction] | None = None
    ) -> ProofAttempt:
        if found_nonlinear and not nonlinear:
            note = "; ".join(filter(None, [note, "nonlinear terms found, treated as nonlinear"]))
        return ProofAttempt(outcome, tuple(runs), text, cex, len(variables), len(assertions), logic, note, seed, rlimit)

    def verified(model: Mapping[str, Fraction]) -> bool:
        ok = check(types.MappingProxyType(dict(model)))
        if not isinstance(ok, bool):
            raise TypeError(f"the exact re-check must return a bool, got {type(ok).__name__}")
        return ok

    z3_run, candidate, odd = _remembered(
        (solvers, "z3", logic, _unnamed(text), rlimit, seed, timeout_s), lambda r: r[0].answer,
        lambda: solvers.z3(text, logic, variables, rlimit=rlimit, seed=seed, timeout_s=timeout_s))
    runs = [z3_run]
    if z3_run.answer is SolverAnswer.UNSAT:
        if not needs_cvc5:
            return attempt(Outcome.PROVED, runs)
        cvc5_run = _cvc5_remembered(solvers, text, logic, rlimit, seed, timeout_s)
        runs.append(cvc5_run)
        if cvc5_run.answer is SolverAnswer.UNSAT:
            return attempt(Outcome.PROVED, runs)
        if cvc5_run.answer is SolverAnswer.SAT:
            return attempt(Outcome.UNKNOWN, runs, "solvers disagree: z3 unsat, cvc5 sat")
        return attempt(Outcome.UNKNOWN, runs, "z3 unsat, but cvc5 did not confirm (unknown)")
    if z3_run.answer is SolverAnswer.SAT:
        if candidate is None:
            return attempt(Outcome.UNKNOWN, runs, f"model has non-numeric value for {', '.join(odd)}")
        ok = verified(candidate)
        if odd:  # irrational values: the candidate rounds them to rationals within 1e-40
            note = f"model has irrational value for {', '.join(odd)}; its rational approximation " + (
                "passed the exact re-check" if ok else f"failed the exact re-check: {format_model(candidate)}"
            )
        else:
            note = "" if ok else f"solver model failed exact re-check: {format_model(candidate)}"
        return attempt(Outcome.REFUTED if ok else Outcome.UNKNOWN, runs, note, candidate if ok else None)
    # z3 gave up: a cvc5 model can still refute (after the exact re-check), never prove.
    cvc5_run = _cvc5_remembered(solvers, text, logic, rlimit, seed, timeout_s)
    runs.append(cvc5_run)
    note = f"z3 unknown ({z3_run.reason})"
    if cvc5_run.answer is SolverAnswer.SAT and cvc5_run.model is not None:
        if verified(cvc5_run.model):
            return attempt(Outcome.REFUTED, runs, f"{note}; cvc5 model passed the exact re-check", cvc5_run.model)
        note = f"{note}; cvc5 model failed exact re-check: {format_model(cvc5_run.model)}"
    return attempt(Outcome.UNKNOWN, runs, note)


# --- SMT-LIB2 text -------------------------------------------------------------------------

# Op kinds that stay inside the quantifier-free arithmetic logics; any other kind means ALL.
_QF_KINDS = frozenset(
    getattr(z3, f"Z3_OP_{kind}")
    for kind in "TRUE FALSE EQ DISTINCT ITE AND OR XOR NOT IMPLIES IFF ANUM LE GE LT GT ADD SUB UMINUS "
    "MUL DIV IDIV MOD REM TO_REAL ABS UNINTERPRETED".split()
)
_DIVISIONS = frozenset({z3.Z3_OP_DIV, z3.Z3_OP_IDIV, z3.Z3_OP_MOD, z3.Z3_OP_REM})
_MAX_EXPANDED_POWER = 64


def _expand_powers(terms: Sequence[Any]) -> list[Any]:
    """Rewrite x**k (k a natural numeral <= 64) as x*...*x (z3 prints `^`, not SMT-LIB) and (+ x) as x."""
    new: dict[int, Any] = {}
    same: set[int] = set()  # ids whose rewrite is the term itself (AST-equal: kid.eq(old))
    for node in _postorder(terms):
        key = node.get_id()
        if not z3.is_app(node):
            new[key] = node  # quantifiers and bound variables are left as they are
            same.add(key)
            continue
        ids = _arg_ids(node)
        kids = [new[i] for i in ids]
        kind = _decl_kind(node)
        if len(kids) == 1 and kind in (z3.Z3_OP_ADD, z3.Z3_OP_MUL):
            new[key] = kids[0]  # z3.Sum([x]) prints (+ x), which cvc5 rejects
            if kids[0].get_id() == key:
                same.add(key)
            continue
        if kind == z3.Z3_OP_POWER:
            exponent = _numeral(node.arg(1))
            if exponent is not None and exponent.denominator == 1 and 1 <= exponent <= _MAX_EXPANDED_POWER:
                new[key] = functools.reduce(operator.mul, [kids[0]] * int(exponent))
                if new[key].get_id() == key:
                    same.add(key)
                continue
        if all(i in same for i in ids):
            new[key] = node
            same.add(key)
        else:
            new[key] = node.decl()(*kids)
            if new[key].get_id() == key:
                same.add(key)
    return [new[term.get_id()] for term in terms]


def _smtlib(assertions: Sequence[Any], name: str) -> tuple[str, str, dict[str, str], bool]:
    """The SMT-LIB2 text of the conjunction, its logic, its variables (name -> sort) and nonlinearity."""
    terms = _expand_powers(assertions)
    variables: dict[str, str] = {}
    has_var: dict[int, bool] = {}
    has_int = has_real = nonlinear = general = False
    for node in _postorder(terms):
        key = node.get_id()
        if not z3.is_app(node):
            general = general or z3.is_quantifier(node)
            has_var[key] = z3.is_quantifier(node) and has_var[node.body().get_id()]
            continue
        sort = node.sort()
        sort_kind = sort.kind()
        has_int = has_int or sort_kind == z3.Z3_INT_SORT
        has_real = has_real or sort_kind == z3.Z3_REAL_SORT
        general = general or sort_kind not in (z3.Z3_BOOL_SORT, z3.Z3_INT_SORT, z3.Z3_REAL_SORT)
        kind = _decl_kind(node)
        general = general or kind not in _QF_KINDS
        kids = _arg_ids(node)
        if kind == z3.Z3_OP_UNINTERPRETED and not kids:
            var_name = node.decl().name()
            if variables.setdefault(var_name, str(sort)) != str(sort):
                raise ValueError(f"variable {var_name!r} is used with two sorts: {variables[var_name]} and {sort}")
            has_var[key] = True
            continue
        general = general or kind == z3.Z3_OP_UNINTERPRETED  # an uninterpreted function
        has_var[key] = any(has_var[kid] for kid in kids)
        if kind == z3.Z3_OP_MUL and sum(has_var[kid] for kid in kids) >= 2:
            nonlinear = True
        if kind in _DIVISIONS and has_var[kids[1]]:
            nonlinear = True
        nonlinear = nonlinear or kind == z3.Z3_OP_POWER
    if general or (has_int and has_real):
        logic = "ALL"
    else:
        logic = f"QF_{'N' if nonlinear else 'L'}{'I' if has_int else 'R'}A"
    # Declarations, then one assertion each, printed by sexpr(): its let-names (a!1, a!2, ...) are
    # numbered in the order of the term itself, so the text is a function of the problem alone. (z3's
    # benchmark printer names let-bindings after AST ids, which depend on what the process built before.)
    symbols = sorted(_symbols(terms).values(), key=lambda d: d.name())
    body = [d.sexpr() for d in symbols] + [f"(assert {t.sexpr()})" for t in terms] + ["(check-sat)"]
    header = [f"; {line}" for line in (name or "problem").splitlines()] + [f"(set-logic {logic})"]
    return "\n".join(header + body) + "\n", logic, variables, nonlinear


# --- z3 --------------------------------------------------------------------------------------


_Z3_PARAMETERS: dict[str, frozenset[str]] = {}  # logic -> the parameter names its z3 solvers accept


def _z3_solver(ctx: Any, logic: str, *, rlimit: int, seed: int, timeout_s: float) -> Any:
    """The one place z3 solvers are built: logic-specific tactic, fixed seeds, rlimit, timeout."""
    # SolverFor("QF_NRA") runs nlsat (complete for real arithmetic); measured on x*x+y*y >= 2xy,
    # a*b <= a, AM-GM: it matches or beats the default solver's time and rlimit use.
    solver = z3.Solver(ctx=ctx) if logic == "ALL" else z3.SolverFor(logic, ctx=ctx)
    # asking for the descriptions sets the solver up: it stays, or z3's models (and so the witnesses) change
    legal = solver.param_descrs()
    legal_names = _Z3_PARAMETERS.get(logic)
    if legal_names is None:  # the same for every solver of a logic; listing them cost a millisecond per check
        legal_names = _Z3_PARAMETERS[logic] = frozenset(legal.get_name(i) for i in range(legal.size()))
    # Only seeds the configuration exposes (z3 rejects unknown ones at check time); the others
    # keep their default, which is 0 as well.
    for param in ("random_seed", "seed"):
        if param in legal_names:
            solver.set(param, seed)
    solver.set("rlimit", rlimit)
    solver.set("timeout", max(1, int(timeout_s * 1000)))  # wall-clock backstop in ms
    return solver


def _z3_check(text: str, logic: str, *, rlimit: int, seed: int, timeout_s: float) -> tuple[Any, Any]:
    """z3 on the text in a fresh context (the one solver factory): the solver and its check() result."""
    solver = _z3_solver(ctx := z3.Context(), logic, rlimit=rlimit, seed=seed, timeout_s=timeout_s)
    solver.add(z3.parse_smt2_string(text, ctx=ctx))
    return solver, solver.check()


def _z3_run(
    text: str, logic: str, variables: Mapping[str, str], *, rlimit: int, seed: int, timeout_s: float
) -> tuple[SolverRun, dict[str, Fraction] | None, tuple[str, ...]]:
    """z3 on the text in a fresh context: the run, a rational candidate model, irrational variables."""
    start = time.perf_counter()
    try:
        solver, result = _z3_check(text, logic, rlimit=rlimit, seed=seed, timeout_s=timeout_s)
        ctx = solver.ctx
        if result == z3.unsat:
            return SolverRun("z3", SolverAnswer.UNSAT, time.perf_counter() - start, "", None), None, ()
        if result != z3.sat:
            reason = solver.reason_unknown()
            return SolverRun("z3", SolverAnswer.UNKNOWN, time.perf_counter() - start, reason, None), None, ()
        model = solver.model()
        sorts = {"Int": z3.IntSort(ctx), "Real": z3.RealSort(ctx), "Bool": z3.BoolSort(ctx)}
        exact: dict[str, Fraction] = {}
        candidate: dict[str, Fraction] | None = {}
        odd: list[str] = []  # irrational or non-numeric values
        for var_name, sort_name in sorted(variables.items()):
            if sort_name not in sorts:
                odd.append(f"{var_name} (sort {sort_name})")
                candidate = None
                continue
            value = model.eval(z3.Const(var_name, sorts[sort_name]), model_completion=True)
            number = _numeral(value)
            if number is None and (z3.is_true(value) or z3.is_false(value)):
                number = Fraction(int(z3.is_true(value)))
            if number is not None:
                exact[var_name] = number
            elif z3.is_algebraic_value(value):
                odd.append(f"{var_name} (~ {value.as_decimal(20)})")
                number = _numeral(value.approx(40))  # exact rational within 1e-40: a candidate only
            else:
                odd.append(f"{var_name} ({value})")
                candidate = None
            if candidate is not None and number is not None:
                candidate[var_name] = number
        seconds = time.perf_counter() - start
        run_model = types.MappingProxyType(exact) if not odd else None
        return SolverRun("z3", SolverAnswer.SAT, seconds, "", run_model), candidate, tuple(odd)
    except Exception as error:  # noqa: BLE001 - any solver failure is an UNKNOWN run, never a pass
        reason = f"{type(error).__name__}: {error}"
        return SolverRun("z3", SolverAnswer.UNKNOWN, time.perf_counter() - start, reason, None), None, ()


# --- cvc5 (child process) ------------------------------------------------------------------


class _Cvc5Child:
    """A cvc5 child (`python -P cvc5_child.py --serve`), started on first use and kept for the next job.

    A fresh interpreter per job cost a tenth of a second, dozens of times a run. The child answers one JSON
    job per line; it is killed when a job overruns its wall-clock budget (the next job starts a new one),
    and one that dies is reported with the last lines of its stderr. Each thread of each process has its own.
    """

    def __init__(self) -> None:
        self.proc: subprocess.Popen[bytes] | None = None
        self.pid = 0
        self.errors: IO[bytes] | None = None
        self.pending = b""

    def ask(self, mode: str, job: Mapping[str, object], budget: float) -> Any:
        """The child's parsed JSON answer to the job, or why there is none (a str)."""
        if self.proc is None or self.pid != os.getpid() or self.proc.poll() is not None:
            problem = self._start()
            if problem:
                return problem
        assert self.proc is not None and self.proc.stdin is not None
        try:
            self.proc.stdin.write(json.dumps({"mode": mode, "job": job}).encode("utf-8") + b"\n")
            self.proc.stdin.flush()
        except OSError:
            return self._died()
        deadline = time.monotonic() + budget
        while True:
            line = self._line(deadline)
            if line is None:
                self.stop()
                return f"killed after {budget:.0f} s wall clock"
            if not line:
                return self._died()
            text = line.decode("utf-8", "replace")
            if text.startswith(cvc5_child.RESULT_TAG):
                return json.loads(text[len(cvc5_child.RESULT_TAG):])

    def _line(self, deadline: float) -> bytes | None:
        """The child's next stdout line; b"" when it closed stdout (it died); None when the deadline passed."""
        assert self.proc is not None and self.proc.stdout is not None
        fd = self.proc.stdout.fileno()
        while b"\n" not in self.pending:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([fd], [], [], left)[0]:
                return None
            chunk = os.read(fd, 1 << 16)
            if not chunk:
                return b""
            self.pending += chunk
        line, _, self.pending = self.pending.partition(b"\n")
        return line

    def _start(self) -> str:
        """Start a child (a child inherited through fork is left to its owner); "" or why it could not start."""
        if self.proc is not None and self.pid == os.getpid():
            self.stop()
        self.proc, self.pending = None, b""
        try:
            self.errors = tempfile.TemporaryFile()
            # -P: the script's directory is not put on sys.path (its neighbours are package modules)
            self.proc = subprocess.Popen([sys.executable, "-P", str(_CVC5_CHILD), "--serve"], stdin=subprocess.PIPE,
                                         stdout=subprocess.PIPE, stderr=self.errors)
        except OSError as error:
            return f"{type(error).__name__}: {error}"
        self.pid = os.getpid()
        _CVC5_CHILDREN.add(self)
        _stop_children_at_exit()
        return ""

    def _died(self) -> str:
        assert self.proc is not None and self.errors is not None
        if self.proc.stdin is not None:
            with contextlib.suppress(OSError):
                self.proc.stdin.close()
        code = self.proc.wait()
        self.errors.seek(0)
        tail = self.errors.read().decode("utf-8", "replace").strip().splitlines()[-3:]
        self.proc = None
        return f"cvc5 child exited with code {code}: {' | '.join(tail)}"

    def stop(self) -> None:
        """Kill this process's child, if it has one running."""
        if self.proc is not None and self.pid == os.getpid():
            self.proc.kill()
            self.proc.wait()
        self.proc = None


_CVC5_LOCAL = threading.local()
_CVC5_CHILDREN: weakref.WeakSet[_Cvc5Child] = weakref.WeakSet()


_EXIT_HOOKED: set[int] = set()  # the processes whose exit stops their cvc5 children


def _stop_children_at_exit() -> None:
    """Stop this process's cvc5 children when it exits, a worker process included: a pool's workers leave
    through multiprocessing's exit, which runs its finalizers but not `atexit`, and a child left behind
    would outlive the run (a zombie, under an init that does not reap)."""
    if os.getpid() not in _EXIT_HOOKED:
        _EXIT_HOOKED.add(os.getpid())
        multiprocessing.util.Finalize(None, stop_cvc5_children, exitpriority=10)


@atexit.register
def stop_cvc5_children() -> None:
    """Stop (kill and reap) every cvc5 child this process keeps; the next cvc5 run starts a fresh one. Run at exit,
    and by a host that runs checks in-process and must not be left with children it did not start."""
    for child in list(_CVC5_CHILDREN):
        child.stop()


def _cvc5_child(mode: str, job: Mapping[str, object], budget: float) -> Any:
    """cvc5 on the job in this thread's child process (mode "one" or "many"): its parsed JSON answer, or why
    there is none (a str)."""
    child = getattr(_CVC5_LOCAL, "child", None)
    if child is None:
        child = _CVC5_LOCAL.child = _Cvc5Child()
    return child.ask(mode, job, budget)


def _cvc5_run(text: str, logic: str, *, rlimit: int, seed: int, timeout_s: float) -> SolverRun:
    """cvc5 on the text in a child process, killed after timeout_s plus a grace period."""
    job = {
        "smtlib": text,
        "seed": seed,
        "rlimit_per": _cvc5_rlimit(rlimit),
        "tlimit_per_ms": max(1, int(timeout_s * 1000)),
        "nl_cov": logic == "QF_NRA",
    }
    start = time.perf_counter()

    def unknown(reason: str) -> SolverRun:
        return SolverRun("cvc5", SolverAnswer.UNKNOWN, time.perf_counter() - start, reason, None)

    outcome = _cvc5_child("one", job, timeout_s + _CVC5_KILL_GRACE_S)
    if isinstance(outcome, str):
        return unknown(outcome)
    result = outcome
    answer = SolverAnswer(result["answer"])
    model = None
    if answer is SolverAnswer.SAT and not result["odd"]:
        model = types.MappingProxyType({k: Fraction(v) for k, v in sorted(result["model"].items())})
    reason = str(result["reason"])
    if result["odd"]:
        odd = "model has irrational or non-numeric value for " + ", ".join(result["odd"])
        reason = "; ".join(filter(None, [reason, odd]))
    return SolverRun("cvc5", answer, time.perf_counter() - start, reason, model)


# --- many obligations, one solver each (push/pop) -------------------------------------------
# Added for the decomposed SMT proofs of the conditioning lemma (checkers.foundation): thousands of tiny obligations
# would each pay a fresh z3 context and a cvc5 child (~0.15 s); here z3 keeps one solver and
# cvc5 one child, and every obligation is checked between (push 1) and (pop 1). The
# conventions are prove's: fixed seed, rlimit and timeout per check, nonlinear unsat confirmed
# by cvc5 on the same block of text; anything but "unsat from both" is re-run through prove,
# which alone can REFUTE (after the caller's exact re-check) or report UNKNOWN.


def prove_many(
    obligations: Sequence[tuple[Sequence[Any], Any]],
    *,
    check_counterexample: Callable[[int, Mapping[str, Fraction]], bool],
    nonlinear: bool,
    rlimit: int = DEFAULT_RLIMIT,
    timeout_s: float = 60.0,
    name: str = "",
    solvers: Solvers | None = None,
) -> tuple[ProofAttempt, ...]:
    """prove(hypotheses_i, goal_i) for every obligation i, sharing one z3 solver and one cvc5 child.

    Each obligation is its own SMT-LIB2 block (`hypotheses_i AND NOT goal_i`, then check-sat);
    z3 checks the blocks one by one between push and pop, and for nonlinear blocks cvc5 checks
    the script of all blocks, each between (push 1) and (pop 1), in incremental mode. An
    obligation is PROVED when z3 (and cvc5, when nonlinear) answer unsat on its block; any other
    answer sends the obligation through `prove`, with `check_counterexample(i, model)`.
    """
    solvers = solvers or current_solvers()
    rlimit = solvers.limit(rlimit)
    if rlimit < 1:
        raise ValueError("rlimit must be at least 1 (z3 reads 0 as unlimited)")
    if timeout_s <= 0:
        raise ValueError("timeout_s must be positive")
    blocks: list[tuple[str, str, dict[str, str], bool, int]] = []
    for i, (hypotheses, goal) in enumerate(obligations):
        _require_bools([*hypotheses, goal])
        assertions = [*hypotheses, z3.Not(goal)]
        text, logic, variables, found_nonlinear = _smtlib(assertions, f"{name or 'obligation'} #{i}")
        blocks.append((text, logic, variables, found_nonlinear, len(assertions)))
    if not blocks:
        return ()
    # one batch per logic: a nonlinear real block read under ALL would lose cvc5's complete nl-cov procedure
    groups: dict[str, list[int]] = {}
    for i, (_, logic, _, _, _) in enumerate(blocks):
        groups.setdefault(_join_logics({logic, "QF_NRA"}) if logic == "QF_LRA" else logic, []).append(i)
    needs_cvc5 = [nonlinear or found for _, _, _, found, _ in blocks]
    z3_runs: list[SolverRun] = [SolverRun("z3", SolverAnswer.UNKNOWN, 0.0, "not run", None)] * len(blocks)
    cvc5_runs: dict[int, SolverRun] = {}
    for group_logic, members in groups.items():
        runs_here = _batch_remembered(solvers, "z3", [blocks[i][0] for i in members], group_logic, rlimit, timeout_s)
        for i, run in zip(members, runs_here):
            z3_runs[i] = run
        confirm = [i for i in members if z3_runs[i].answer is SolverAnswer.UNSAT and needs_cvc5[i]]
        cvc5_here = _batch_remembered(solvers, "cvc5", [blocks[i][0] for i in confirm], group_logic, rlimit, timeout_s)
        cvc5_runs.update(zip(confirm, cvc5_here))
    out: list[ProofAttempt] = []
    for i, ((hypotheses, goal), (text, logic, variables, found, count)) in enumerate(zip(obligations, blocks)):
        runs = [z3_runs[i]] + ([cvc5_runs[i]] if i in cvc5_runs else [])
        if all(run.answer is SolverAnswer.UNSAT for run in runs) and (i in cvc5_runs or not needs_cvc5[i]):
            note = "checked in a batch: z3 in a shared context, cvc5 between push and pop in one child"
            if found and not nonlinear:
                note += "; nonlinear terms found, treated as nonlinear"
            out.append(
                ProofAttempt(Outcome.PROVED, tuple(runs), text, None, len(variables), count, logic, note, solvers.seed,
                             rlimit)
            )
            continue
        out.append(
            prove(
                hypotheses,
                goal,
                check_counterexample=functools.partial(check_counterexample, i),
                nonlinear=nonlinear,
                rlimit=rlimit,
                timeout_s=timeout_s,
                name=f"{name or 'obligation'} #{i}",
                solvers=solvers,
            )
        )
    return tuple(out)


def _join_logics(logics: set[str]) -> str:
    """One logic for blocks of several: QF_LRA ⊂ QF_NRA and QF_LIA ⊂ QF_NIA, anything else is ALL."""
    if len(logics) == 1:
        return next(iter(logics))
    for wider in ("QF_NRA", "QF_NIA"):
        if logics <= {wider, wider.replace("N", "L", 1)}:
            return wider
    return "ALL"


def _z3_run_many(texts: Sequence[str], logic: str, *, rlimit: int, timeout_s: float,
                 seed: int = DEFAULT_SEED) -> list[SolverRun]:
    """z3 on each block in one fresh context, a fresh solver per block: one run per block.

    (A fresh solver rather than push/pop: after a push z3 leaves its nlsat tactic for the
    incremental core, which is much weaker on nonlinear reals.)
    """
    runs: list[SolverRun] = []
    try:
        ctx = z3.Context()
    except Exception as error:  # noqa: BLE001 - any solver failure is an UNKNOWN run, never a pass
        return [SolverRun("z3", SolverAnswer.UNKNOWN, 0.0, f"{type(error).__name__}: {error}", None) for _ in texts]
    for text in texts:
        start = time.perf_counter()
        try:
            solver = _z3_solver(ctx, logic, rlimit=rlimit, seed=seed, timeout_s=timeout_s)
            solver.add(z3.parse_smt2_string(text, ctx=ctx))
            result = solver.check()
            reason = "" if result in (z3.sat, z3.unsat) else solver.reason_unknown()
            answer = (
                SolverAnswer.UNSAT if result == z3.unsat else SolverAnswer.SAT if result == z3.sat else SolverAnswer.UNKNOWN
            )
            runs.append(SolverRun("z3", answer, time.perf_counter() - start, reason, None))
        except Exception as error:  # noqa: BLE001
            reason = f"{type(error).__name__}: {error}"
            runs.append(SolverRun("z3", SolverAnswer.UNKNOWN, time.perf_counter() - start, reason, None))
    return runs


def _incremental_script(texts: Sequence[str], logic: str) -> str:
    """One SMT-LIB2 script: each block (without its set-logic) between (push 1) and (pop 1)."""
    lines = [f"(set-logic {logic})"]
    for text in texts:
        lines.append("(push 1)")
        lines.extend(line for line in text.splitlines() if not line.startswith("(set-logic"))
        lines.append("(pop 1)")
    return "\n".join(lines) + "\n"


def _cvc5_run_many(texts: Sequence[str], logic: str, *, rlimit: int, timeout_s: float,
                   seed: int = DEFAULT_SEED) -> list[SolverRun]:
    """cvc5 on the incremental script of the blocks in one child process: one run per block."""
    if not texts:
        return []
    job = {
        "smtlib": _incremental_script(texts, logic),
        "seed": seed,
        "rlimit_per": _cvc5_rlimit(rlimit),
        "tlimit_per_ms": max(1, int(timeout_s * 1000)),
        "nl_cov": logic == "QF_NRA",
    }
    start = time.perf_counter()
    budget = timeout_s * len(texts) + _CVC5_KILL_GRACE_S

    def all_unknown(reason: str) -> list[SolverRun]:
        return [SolverRun("cvc5", SolverAnswer.UNKNOWN, time.perf_counter() - start, reason, None) for _ in texts]

    outcome = _cvc5_child("many", job, budget)
    if isinstance(outcome, str):
        return all_unknown(outcome)
    results = outcome
    runs = [SolverRun("cvc5", SolverAnswer(r["answer"]), float(r["seconds"]), str(r["reason"]), None) for r in results]
    # a child that stopped early (an error in block j) leaves the rest unknown, never unsat
    runs += all_unknown("not reached: the cvc5 child stopped early")[len(runs):]
    return runs


# --- which solvers run: one value, injected --------------------------------------------------


class Z3Runner(Protocol):
    """z3 on one SMT-LIB2 text: the run, a rational candidate model (None if a value is not numeric), the
    variables whose values are irrational or not numeric."""

    def __call__(self, text: str, logic: str, variables: Mapping[str, str], *, rlimit: int, seed: int,
                 timeout_s: float) -> tuple[SolverRun, dict[str, Fraction] | None, tuple[str, ...]]: ...


class Cvc5Runner(Protocol):
    """cvc5 on one SMT-LIB2 text: its run (with a rational model for SAT)."""

    def __call__(self, text: str, logic: str, *, rlimit: int, seed: int, timeout_s: float) -> SolverRun: ...


class BatchRunner(Protocol):
    """A solver on many blocks of SMT-LIB2 text (one check-sat each): one run per block, in order."""

    def __call__(self, texts: Sequence[str], logic: str, *, rlimit: int, timeout_s: float,
                 seed: int = DEFAULT_SEED) -> list[SolverRun]: ...


@dataclass(frozen=True)
class _CannedCvc5:
    """cvc5 replaced by a function of the text (fault injection): the same answer path for one text or many."""

    answer: Callable[[str], SolverRun]

    def __call__(self, text: str, logic: str, *, rlimit: int, seed: int, timeout_s: float) -> SolverRun:
        return self.answer(text)

    def batch(self, texts: Sequence[str], logic: str, *, rlimit: int, timeout_s: float,
              seed: int = DEFAULT_SEED) -> list[SolverRun]:
        return [self.answer(text) for text in texts]


@dataclass(frozen=True)
class Solvers:
    """The solvers that prove, prove_many and check_sat run: the one place that chooses them.

    The defaults are the real ones: z3 in a fresh context and cvc5 in a child process, seeded with `seed`, each
    run limited to the caller's rlimit, or to `rlimit` when it is set (a fixed limit for every run, whatever the
    caller asked for). Tests build other values (fake answers, a tiny limit, counting runners) and pass them as
    `solvers=` or set them with `using_solvers`.
    """

    z3: Z3Runner = _z3_run
    cvc5: Cvc5Runner = _cvc5_run
    z3_batch: BatchRunner = _z3_run_many
    cvc5_batch: BatchRunner = _cvc5_run_many
    seed: int = DEFAULT_SEED
    rlimit: int | None = None

    def limit(self, requested: int) -> int:
        """The resource limit a run gets: the fixed one if set, else the caller's."""
        return requested if self.rlimit is None else self.rlimit

    def with_cvc5(self, answer: Callable[[str], SolverRun]) -> Solvers:
        """These solvers with cvc5 replaced by `answer(text)`, for single texts and batches alike."""
        canned = _CannedCvc5(answer)
        return dataclasses.replace(self, cvc5=canned, cvc5_batch=canned.batch)


_SOLVERS: contextvars.ContextVar[Solvers] = contextvars.ContextVar("solvers", default=Solvers())


def current_solvers() -> Solvers:
    """The solvers in effect here: the real ones unless a `using_solvers` block says otherwise."""
    return _SOLVERS.get()


_T = TypeVar("_T")


class memo_per_solvers(Generic[_T]):  # noqa: N801 - used as a decorator, named like functools.cache
    """fn() memoised within one run, once for each `Solvers` value in effect: a proof the real solvers found is
    never handed to code running with others (a forced resource limit, a test's fake answers)."""

    def __init__(self, fn: Callable[[], _T]) -> None:
        self.fn = fn
        self.results: dict[Solvers, _T] = {}
        self.cache_clear = self.results.clear  # forget every result, as functools caches do (set per instance, so
        functools.update_wrapper(self, fn)     # the class itself has no unbound cache_clear for cache sweepers)

    def __call__(self) -> _T:
        solvers = current_solvers()
        if solvers not in self.results:
            self.results[solvers] = self.fn()
        return self.results[solvers]


@contextlib.contextmanager
def using_solvers(solvers: Solvers) -> Iterator[Solvers]:
    """Run the enclosed code (checkers included) with these solvers; the previous ones come back after."""
    token = _SOLVERS.set(solvers)
    try:
        yield solvers
    finally:
        _SOLVERS.reset(token)


# --- exact evaluation: the one re-checker of solver models ------------------------------------


def exact_model(
    assertions: Sequence[Any], *, rlimit: int = DEFAULT_RLIMIT, timeout_s: float = 30.0
) -> tuple[Interpretation | None, str]:
    """A model of all assertions, exact and re-checked in Fractions; else None and why.

    z3 searches (fixed seed and rlimit); every value must be a rational numeral (function tables
    included) and every assertion must evaluate to True under the model in exact arithmetic.
    "unsat" in the reason means z3 proved the assertions unsatisfiable.
    """
    _require_bools(assertions)
    if not assertions:
        return Interpretation({}), ""
    text, logic, _, _ = _smtlib(list(assertions), "satisfiability of hypotheses")
    try:
        solver, result = _z3_check(text, logic, rlimit=rlimit, seed=DEFAULT_SEED, timeout_s=timeout_s)
        if result == z3.unsat:
            return None, "unsat: the hypotheses are unsatisfiable (z3)"
        if result != z3.sat:
            return None, f"z3 found no model ({solver.reason_unknown()})"
        model = solver.model()
        constants: dict[str, Fraction] = {}
        functions: dict[str, tuple[Mapping[tuple[Fraction, ...], Fraction], Fraction]] = {}
        for decl in model.decls():
            if not decl.name().isidentifier():
                continue  # z3's own symbols (e.g. "/0", division by zero), not the formulas'
            if decl.arity() == 0:
                value = model.get_interp(decl)
                number = _numeral(value)
                if number is None and (z3.is_true(value) or z3.is_false(value)):
                    number = Fraction(int(z3.is_true(value)))
                if number is None:
                    return None, f"z3's model gives {decl.name()} the non-rational value {value}"
                constants[decl.name()] = number
                continue
            interp = model.get_interp(decl)
            table: dict[tuple[Fraction, ...], Fraction] = {}
            for i in range(interp.num_entries()):
                entry = interp.entry(i)
                key = tuple(_numeral(entry.arg_value(j)) for j in range(entry.num_args()))
                value = _numeral(entry.value())
                if value is None or any(k is None for k in key):
                    return None, f"z3's model gives {decl.name()} a non-rational entry"
                table[tuple(k for k in key if k is not None)] = value
            default = _numeral(interp.else_value())
            if default is None:
                return None, f"z3's model gives {decl.name()} a non-constant default ({interp.else_value()})"
            functions[decl.name()] = (types.MappingProxyType(table), default)
    except Exception as error:  # noqa: BLE001 - no witness, never a pass
        return None, f"{type(error).__name__}: {error}"
    found = Interpretation(types.MappingProxyType(constants), types.MappingProxyType(functions))
    completed = _completed_all(found, assertions)  # symbols z3 left unconstrained get the value 0
    try:
        values = evaluate_all(assertions, completed)
    except ValueError as error:
        return None, f"exact re-check failed: {error}"
    for term, ok in zip(assertions, values):
        if ok is not True:
            return None, f"z3's model fails the exact re-check on {term}"
    return completed, ""
