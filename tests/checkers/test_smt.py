"""Tests of the SMT adapter: proofs, refutations re-checked in Fractions, and UNKNOWN never passing."""

from __future__ import annotations

from fractions import Fraction
from typing import Mapping

import pytest
import z3
from hypothesis import given
from hypothesis import strategies as st

from checkers import smt
from checkers import smt_reduction as sr
from checkers.smt import ProofAttempt, SolverAnswer, SolverRun
from checkers.verdict import Outcome


def never(model: Mapping[str, Fraction]) -> bool:
    """A re-check for statements expected to be proved: no model can be a counterexample."""
    return False


def answers(attempt: ProofAttempt) -> list[tuple[str, SolverAnswer]]:
    """The (solver, answer) pairs of an attempt, in run order."""
    return [(run.solver, run.answer) for run in attempt.runs]


def test_linear_true_statement_is_proved_by_z3_alone() -> None:
    x, y = z3.Reals("x y")
    attempt = smt.prove([x > 0, y > 0], x + y > 0, check_counterexample=never, nonlinear=False, name="linear")
    assert attempt.outcome is Outcome.PROVED
    assert answers(attempt) == [("z3", SolverAnswer.UNSAT)]
    assert "(set-logic QF_LRA)" in attempt.smtlib and attempt.smtlib.rstrip().endswith("(check-sat)")
    assert (attempt.num_vars, attempt.num_assertions, attempt.counterexample) == (2, 3, None)


@pytest.mark.parametrize("case", ["squares", "product"])
def test_nonlinear_true_statement_needs_z3_and_cvc5_unsat(case: str) -> None:
    x, y, a, b = z3.Reals("x y a b")
    if case == "squares":
        hypotheses, goal = [], x * x + y * y >= 2 * x * y
    else:
        hypotheses, goal = [0 <= a, a <= 1, 0 <= b, b <= 1], a * b <= a
    attempt = smt.prove(hypotheses, goal, check_counterexample=never, nonlinear=True, name=case)
    assert attempt.outcome is Outcome.PROVED
    assert answers(attempt) == [("z3", SolverAnswer.UNSAT), ("cvc5", SolverAnswer.UNSAT)]
    assert "(set-logic QF_NRA)" in attempt.smtlib
    evidence = "\n".join(attempt.evidence())
    assert "z3: unsat" in evidence and "cvc5: unsat" in evidence


def test_false_statement_is_refuted_with_an_exact_counterexample() -> None:
    x = z3.Real("x")

    def violates(model: Mapping[str, Fraction]) -> bool:
        return not model["x"] * model["x"] >= model["x"]

    attempt = smt.prove([], x * x >= x, check_counterexample=violates, nonlinear=True)
    assert attempt.outcome is Outcome.REFUTED
    assert attempt.counterexample is not None
    value = attempt.counterexample["x"]
    assert isinstance(value, Fraction)
    assert value * value < value  # re-checked here, independently of the adapter
    assert attempt.runs[0].model == attempt.counterexample


def test_tiny_rlimit_gives_unknown_never_proved() -> None:
    a, b, c, d, e = z3.Reals("a b c d e")
    attempt = smt.prove(
        [v >= 0 for v in (a, b, c, d, e)],
        a**5 + b**5 + c**5 + d**5 + e**5 >= 5 * a * b * c * d * e,  # true (AM-GM), z3 needs ~85M units
        check_counterexample=never,
        nonlinear=True,
        rlimit=1,
    )
    assert attempt.outcome is Outcome.UNKNOWN
    assert attempt.runs[0].answer is SolverAnswer.UNKNOWN
    assert "resource" in attempt.runs[0].reason
    assert attempt.counterexample is None


def test_cvc5_disagreement_gives_unknown_with_both_answers(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[str] = []

    def fake_cvc5(text: str) -> SolverRun:
        seen.append(text)
        return SolverRun("cvc5", SolverAnswer.SAT, 0.0, "simulated disagreement", None)

    monkeypatch.setattr(smt, "_cvc5_override", fake_cvc5)
    x, y = z3.Reals("x y")
    attempt = smt.prove([], x * x + y * y >= 2 * x * y, check_counterexample=never, nonlinear=True)
    assert attempt.outcome is Outcome.UNKNOWN
    assert seen == [attempt.smtlib]  # cvc5 is handed the very text z3 read
    evidence = "\n".join(attempt.evidence())
    assert "z3: unsat" in evidence and "cvc5: sat" in evidence and "simulated disagreement" in evidence
    assert "disagree" in attempt.note


def test_cvc5_error_gives_unknown(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(smt, "_cvc5_override", lambda text: SolverRun("cvc5", SolverAnswer.UNKNOWN, 0.0, "boom", None))
    a, b = z3.Reals("a b")
    attempt = smt.prove([0 <= a, a <= 1, 0 <= b, b <= 1], a * b <= a, check_counterexample=never, nonlinear=True)
    assert attempt.outcome is Outcome.UNKNOWN
    assert answers(attempt) == [("z3", SolverAnswer.UNSAT), ("cvc5", SolverAnswer.UNKNOWN)]


def test_model_failing_the_exact_recheck_gives_unknown_not_refuted() -> None:
    x = z3.Real("x")
    attempt = smt.prove([], x * x >= x, check_counterexample=never, nonlinear=True)
    assert attempt.outcome is Outcome.UNKNOWN
    assert attempt.counterexample is None
    assert attempt.runs[0].answer is SolverAnswer.SAT
    assert "solver model failed exact re-check" in attempt.note


def test_irrational_model_is_never_refuted_without_a_rational_witness() -> None:
    x = z3.Real("x")
    # x*x = 2 has only irrational solutions: no rational approximation satisfies it exactly.
    attempt = smt.prove([x * x == 2], x != x, check_counterexample=lambda m: m["x"] ** 2 == 2, nonlinear=True)
    assert attempt.outcome is Outcome.UNKNOWN
    assert "irrational value for x" in attempt.note


def test_nonlinear_integer_statement_is_proved_by_both_solvers() -> None:
    x, y = z3.Ints("x y")
    attempt = smt.prove(
        [x * y == 15, 1 < x, x < 15, 1 < y, y < 15],
        z3.Or(x == 3, x == 5),
        check_counterexample=never,
        nonlinear=True,
    )
    assert attempt.outcome is Outcome.PROVED
    assert "(set-logic QF_NIA)" in attempt.smtlib
    assert answers(attempt) == [("z3", SolverAnswer.UNSAT), ("cvc5", SolverAnswer.UNSAT)]


def test_same_problem_twice_gives_same_outcome_and_text() -> None:
    def attempt(ctx: z3.Context) -> ProofAttempt:
        x = z3.Real("x", ctx)
        shared = x * x + 1  # shared subterm: z3 prints it as a let-binding named after an AST id
        return smt.prove([x > 1], shared * shared > shared, check_counterexample=never, nonlinear=True, name="det")

    first = attempt(z3.main_ctx())
    second = attempt(z3.main_ctx())
    other = z3.Context()
    junk = [z3.Real(f"junk{i}", other) * i > i for i in range(20)]  # shifts AST ids in `other`
    third = attempt(other)
    assert len(junk) == 20
    assert first.outcome is second.outcome is third.outcome is Outcome.PROVED
    assert first.smtlib == second.smtlib == third.smtlib
    assert answers(first) == answers(second) == answers(third)


def test_check_sat_finds_a_verified_witness_and_proves_unsat() -> None:
    x = z3.Real("x")
    witness = smt.check_sat(
        [x * x == 4, x < 0], check_model=lambda m: m["x"] ** 2 == 4 and m["x"] < 0, nonlinear=True
    )
    assert witness.outcome is Outcome.REFUTED and witness.counterexample == {"x": Fraction(-2)}
    empty = smt.check_sat([x * x < 0], check_model=never, nonlinear=True)
    assert empty.outcome is Outcome.PROVED
    assert answers(empty) == [("z3", SolverAnswer.UNSAT), ("cvc5", SolverAnswer.UNSAT)]


def test_powers_are_written_as_products_and_nonlinearity_is_detected() -> None:
    a, b = z3.Reals("a b")
    # Declared linear by mistake: the adapter still finds a*b-style terms and asks cvc5 too.
    attempt = smt.prove([a >= 0, b >= 0], (a + b) ** 2 >= 4 * a * b, check_counterexample=never, nonlinear=False)
    assert attempt.outcome is Outcome.PROVED
    assert "^" not in attempt.smtlib and "**" not in attempt.smtlib
    assert [run.solver for run in attempt.runs] == ["z3", "cvc5"]


def test_non_boolean_input_is_rejected() -> None:
    with pytest.raises(TypeError):
        smt.prove([], z3.Real("x"), check_counterexample=never, nonlinear=False)


def test_solver_errors_are_unknown_runs_never_passes() -> None:
    bad = "(set-logic QF_LRA)\n(assert (> undeclared 0.0))\n(check-sat)\n"
    z3_run, candidate, _ = smt._z3_run(bad, "QF_LRA", {}, rlimit=smt.DEFAULT_RLIMIT, seed=0, timeout_s=5.0)
    cvc5_run = smt._cvc5_run(bad, "QF_LRA", rlimit=smt.DEFAULT_RLIMIT, seed=0, timeout_s=5.0)
    for run in (z3_run, cvc5_run):
        assert run.answer is SolverAnswer.UNKNOWN
        assert "undeclared" in run.reason  # the exception text is kept
    assert candidate is None


def test_one_term_sums_are_printed_so_that_cvc5_reads_them() -> None:
    x, y = z3.Reals("x y")
    attempt = smt.prove(
        [x >= 0, y >= 0], z3.Sum([x * y]) >= 0, check_counterexample=lambda m: m["x"] * m["y"] < 0, nonlinear=True
    )
    assert "(+ " not in attempt.smtlib
    assert attempt.outcome is Outcome.PROVED
    assert [r.answer for r in attempt.runs] == [SolverAnswer.UNSAT, SolverAnswer.UNSAT]


# ---- the exact evaluator and the batch prover ----------------------------------------------------


fractions = st.fractions(min_value=-5, max_value=5, max_denominator=9)


@given(fractions, fractions, fractions)
def test_evaluate_is_exact_arithmetic(x: Fraction, y: Fraction, z: Fraction) -> None:
    a, b, c = z3.Reals("a b c")
    model: Mapping[str, Fraction] = {"a": x, "b": y, "c": z}
    assert sr.evaluate(a * b + c - 2 * a, model) == x * y + z - 2 * x
    assert sr.evaluate(z3.Implies(a > b, a * a >= b * a if x >= 0 else True), model) is (not x > y or x * x >= y * x or x < 0)
    assert sr.evaluate(z3.If(a == b, c, -c), model) == (z if x == y else -z)


def test_prove_many_proves_true_obligations_and_refutes_a_false_one() -> None:
    a, b = z3.Reals("a b")
    unit = [0 <= a, a <= 1, 0 <= b, b <= 1]
    obligations = [(unit, a * b <= a), (unit, a + b >= 0), ([0 <= a, a <= 2] + unit[2:], a * b <= b)]
    checks = [sr.refutes(h, g) for h, g in obligations]
    attempts = smt.prove_many(obligations, check_counterexample=lambda i, m: checks[i](m), nonlinear=True)
    assert [x.outcome for x in attempts] == [Outcome.PROVED, Outcome.PROVED, Outcome.REFUTED]
    assert [r.solver for r in attempts[0].runs] == ["z3", "cvc5"]
    cex = attempts[2].counterexample
    assert cex is not None and cex["a"] * cex["b"] > cex["b"]


def test_prove_many_never_proves_when_cvc5_does_not_confirm(monkeypatch: pytest.MonkeyPatch) -> None:
    a, b = z3.Reals("a b")
    unknown = smt.SolverRun("cvc5", smt.SolverAnswer.UNKNOWN, 0.0, "simulated", None)
    monkeypatch.setattr(smt, "_cvc5_override", lambda text: unknown)
    attempts = smt.prove_many([([0 <= a, a <= 1, 0 <= b, b <= 1], a * b <= a)],
                              check_counterexample=lambda i, m: False, nonlinear=True)
    assert attempts[0].outcome is Outcome.UNKNOWN
