"""Tests of the SMT adapter: proofs, refutations re-checked in Fractions, and UNKNOWN never passing; the cvc5
child process, the records of every attempt, and the exact evaluator of z3 terms."""

from __future__ import annotations

import io
import json
import sys
import time
from dataclasses import replace
from fractions import Fraction
from typing import Any, Mapping

import pytest
import z3
from hypothesis import given
from hypothesis import strategies as st

from checkers import smt
from checkers.smt import cvc5_child
from checkers.smt import DEFAULT_SEED, ProofAttempt, SolverAnswer, SolverRun, Solvers, using_solvers
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


def test_cvc5_disagreement_gives_unknown_with_both_answers() -> None:
    seen: list[str] = []

    def fake_cvc5(text: str) -> SolverRun:
        seen.append(text)
        return SolverRun("cvc5", SolverAnswer.SAT, 0.0, "simulated disagreement", None)

    x, y = z3.Reals("x y")
    attempt = smt.prove([], x * x + y * y >= 2 * x * y, check_counterexample=never, nonlinear=True,
                        solvers=Solvers().with_cvc5(fake_cvc5))
    assert attempt.outcome is Outcome.UNKNOWN
    assert seen == [attempt.smtlib]  # cvc5 is handed the very text z3 read
    evidence = "\n".join(attempt.evidence())
    assert "z3: unsat" in evidence and "cvc5: sat" in evidence and "simulated disagreement" in evidence
    assert "disagree" in attempt.note


def test_cvc5_error_gives_unknown() -> None:
    a, b = z3.Reals("a b")
    with using_solvers(Solvers().with_cvc5(lambda text: SolverRun("cvc5", SolverAnswer.UNKNOWN, 0.0, "boom", None))):
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
    z3_run, candidate, _ = smt.solvers._z3_run(bad, "QF_LRA", {}, rlimit=smt.DEFAULT_RLIMIT, seed=0, timeout_s=5.0)
    cvc5_run = smt.solvers._cvc5_run(bad, "QF_LRA", rlimit=smt.DEFAULT_RLIMIT, seed=0, timeout_s=5.0)
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
    assert smt.evaluate(a * b + c - 2 * a, model) == x * y + z - 2 * x
    assert smt.evaluate(z3.Implies(a > b, a * a >= b * a if x >= 0 else True), model) is (not x > y or x * x >= y * x or x < 0)
    assert smt.evaluate(z3.If(a == b, c, -c), model) == (z if x == y else -z)


def test_evaluate_divides_the_first_argument_by_the_second() -> None:
    x, y = z3.Reals("x y")
    assert smt.evaluate(x / y, {"x": Fraction(1), "y": Fraction(2)}) == Fraction(1, 2)
    assert smt.evaluate(y / x == 2, {"x": Fraction(1), "y": Fraction(2)}) is True


def test_prove_many_proves_true_obligations_and_refutes_a_false_one() -> None:
    a, b = z3.Reals("a b")
    unit = [0 <= a, a <= 1, 0 <= b, b <= 1]
    obligations = [(unit, a * b <= a), (unit, a + b >= 0), ([0 <= a, a <= 2] + unit[2:], a * b <= b)]
    checks = [smt.refutes(h, g) for h, g in obligations]
    attempts = smt.prove_many(obligations, check_counterexample=lambda i, m: checks[i](m), nonlinear=True)
    assert [x.outcome for x in attempts] == [Outcome.PROVED, Outcome.PROVED, Outcome.REFUTED]
    assert [r.solver for r in attempts[0].runs] == ["z3", "cvc5"]
    cex = attempts[2].counterexample
    assert cex is not None and cex["a"] * cex["b"] > cex["b"]


def test_prove_many_never_proves_when_cvc5_does_not_confirm() -> None:
    a, b = z3.Reals("a b")
    unknown = smt.SolverRun("cvc5", smt.SolverAnswer.UNKNOWN, 0.0, "simulated", None)
    attempts = smt.prove_many([([0 <= a, a <= 1, 0 <= b, b <= 1], a * b <= a)],
                              check_counterexample=lambda i, m: False, nonlinear=True,
                              solvers=Solvers().with_cvc5(lambda text: unknown))
    assert attempts[0].outcome is Outcome.UNKNOWN


def test_prove_many_names_its_blocks() -> None:
    x = z3.Real("x")
    seen: list[tuple[int, dict[str, Fraction]]] = []

    def check(i: int, model: Mapping[str, Fraction]) -> bool:
        seen.append((i, dict(model)))
        return True

    proved, refuted = smt.prove_many([([x >= 1], x >= 0), ([x >= 1, x <= 1], x >= 2)], check_counterexample=check,
                                     nonlinear=False)
    assert proved.outcome is Outcome.PROVED and proved.smtlib.splitlines()[0] == "; obligation #0"
    assert proved.note == "checked in a batch: z3 in a shared context, cvc5 between push and pop in one child"
    assert refuted.outcome is Outcome.REFUTED and refuted.smtlib.splitlines()[0] == "; obligation #1"
    assert seen == [(1, {"x": Fraction(1)})] and dict(refuted.counterexample or {}) == {"x": Fraction(1)}
    (named,) = smt.prove_many([([x >= 1], x >= 0)], check_counterexample=check, nonlinear=False, name="mine")
    assert named.smtlib.splitlines()[0] == "; mine #0" and named.logic == "QF_LRA"
    assert smt.prove_many([], check_counterexample=check, nonlinear=False) == ()


# ---- the cvc5 child, run in-process: its job, its answers, its crashes ---------------------------


LRA_SAT = "(set-logic QF_LRA)\n(declare-fun x () Real)\n(declare-fun b () Bool)\n(assert (> x (/ 1 2)))\n(assert b)\n(check-sat)\n"
NRA_UNSAT = "(set-logic QF_NRA)\n(declare-fun x () Real)\n(assert (< (* x x) 0.0))\n(check-sat)\n"
NIA_SAT = "(set-logic QF_NIA)\n(declare-fun n () Int)\n(assert (= (* n n) 9))\n(assert (> n 0))\n(check-sat)\n"
IRRATIONAL = "(set-logic QF_NRA)\n(declare-fun y () Real)\n(assert (= (* y y) 2.0))\n(check-sat)\n"
AM_GM_5 = (
    "(set-logic QF_NRA)\n" + "".join(f"(declare-fun {v} () Real)\n(assert (>= {v} 0.0))\n" for v in "abcde")
    + "(assert (< (+ (* a a a a a) (* b b b b b) (* c c c c c) (* d d d d d) (* e e e e e)) (* 5.0 a b c d e)))\n"
    + "(check-sat)\n"
)


def job(text: str, *, rlimit: int = 10**7, nl_cov: bool = False) -> dict[str, object]:
    return {"smtlib": text, "seed": 0, "rlimit_per": rlimit, "tlimit_per_ms": 20_000, "nl_cov": nl_cov}


def test_cvc5_child_answers_sat_with_an_exact_model() -> None:
    out = cvc5_child.solve(job(LRA_SAT))
    assert out["answer"] == "sat" and out["reason"] == "" and out["odd"] == []
    model = out["model"]
    assert Fraction(model["x"]) > Fraction(1, 2) and model["b"] == "1"
    ints = cvc5_child.solve(job(NIA_SAT))
    assert ints == {"answer": "sat", "reason": "", "model": {"n": "3"}, "odd": []}


def test_cvc5_child_answers_unsat_and_names_irrational_values() -> None:
    assert cvc5_child.solve(job(NRA_UNSAT, nl_cov=True)) == {"answer": "unsat", "reason": "", "model": None, "odd": []}
    odd = cvc5_child.solve(job(IRRATIONAL, nl_cov=True))
    assert odd["answer"] == "sat" and odd["odd"] == ["y"] and "y" not in odd["model"]


def test_cvc5_child_refuses_a_text_with_an_undeclared_symbol() -> None:
    with pytest.raises(Exception):
        cvc5_child.solve(job("(set-logic QF_LRA)\n(assert (> undeclared 0.0))\n(check-sat)\n"))


def test_cvc5_child_many_answers_each_block_in_order() -> None:
    script = smt.solvers._incremental_script([NRA_UNSAT, LRA_SAT.replace("QF_LRA", "QF_NRA")], "QF_NRA")
    answers = cvc5_child.solve_many(job(script))
    assert [(a["answer"], a["reason"]) for a in answers] == [("unsat", ""), ("sat", "")]
    (tiny,) = cvc5_child.solve_many(job(smt.solvers._incremental_script([AM_GM_5], "QF_NRA"), rlimit=1))
    assert tiny["answer"] == "unknown" and tiny["reason"] and not str(tiny["reason"]).startswith("UnknownExplanation.")
    broken = cvc5_child.solve_many(job("(set-logic QF_LRA)\n(push 1)\n(assert (> nope 0.0))\n(check-sat)\n"))
    assert len(broken) == 1 and broken[0]["answer"] == "unknown" and "nope" in broken[0]["reason"]


def run_child(mode: str, payload: dict[str, object], monkeypatch: pytest.MonkeyPatch,
              capsys: pytest.CaptureFixture[str]) -> object:
    """Run the child's entry point in-process on one JSON job line; return its tagged JSON result."""
    request = json.dumps({"mode": mode, "job": payload}) + "\n"
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(request.encode("utf-8"))))
    assert cvc5_child.main(["--serve"]) == 0
    (line,) = [x for x in capsys.readouterr().out.splitlines() if x.startswith(cvc5_child.RESULT_TAG)]
    return json.loads(line[len(cvc5_child.RESULT_TAG):])


def test_cvc5_child_entry_points_print_one_tagged_json_result(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run_child("one", job(NRA_UNSAT, nl_cov=True), monkeypatch, capsys) == {
        "answer": "unsat", "reason": "", "model": None, "odd": []}
    crashed = run_child("one", job("(check-sat"), monkeypatch, capsys)
    assert isinstance(crashed, dict) and crashed["answer"] == "unknown" and crashed["reason"]
    many = run_child("many", job(smt.solvers._incremental_script([NRA_UNSAT], "QF_NRA")),
                     monkeypatch, capsys)
    assert isinstance(many, list) and [a["answer"] for a in many] == ["unsat"]


def test_cvc5_child_refuses_an_unknown_flag_with_its_usage(capsys: pytest.CaptureFixture[str]) -> None:
    assert cvc5_child.main(["--many"]) == 2
    assert capsys.readouterr().err.startswith("usage: python -P cvc5_child.py --serve")
    with pytest.raises(ValueError, match="unknown mode 'some'"):
        cvc5_child.answer("some", job(NRA_UNSAT))


def test_cvc5_child_exits_by_itself_once_its_input_ends() -> None:
    """Served jobs done and stdin closed, the child exits with status 0 while its parent lives on."""
    import subprocess

    request = json.dumps({"mode": "one", "job": job(NRA_UNSAT, nl_cov=True)}) + "\n"
    child = subprocess.Popen([sys.executable, "-P", cvc5_child.__file__, "--serve"], stdin=subprocess.PIPE,
                             stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    try:
        out, _ = child.communicate(request.encode("utf-8"), timeout=10)
    except subprocess.TimeoutExpired:
        child.kill()
        child.wait()
        pytest.fail("the cvc5 child did not exit after its stdin closed")
    assert child.returncode == 0
    (line,) = out.decode("utf-8").splitlines()
    assert json.loads(line.removeprefix(cvc5_child.RESULT_TAG))["answer"] == "unsat"


GET_MODEL_TOO_EARLY = "(set-logic QF_LRA)\n(declare-fun x () Real)\n(get-model)\n(check-sat)\n"


def test_cvc5_child_turns_error_output_and_missing_check_sat_into_errors_naming_them() -> None:
    with pytest.raises(RuntimeError, match=r'^\(error "cannot get model'):
        cvc5_child.solve(job(GET_MODEL_TOO_EARLY))
    with pytest.raises(RuntimeError, match=r"^the text has no \(check-sat\)$"):
        cvc5_child.solve(job("(set-logic QF_LRA)\n(declare-fun x () Real)\n(assert (> x 0.0))\n"))
    (broken,) = cvc5_child.solve_many(job(GET_MODEL_TOO_EARLY))
    assert broken["answer"] == "unknown"
    assert str(broken["reason"]).startswith('RuntimeError: (error "cannot get model')


def test_cvc5_child_unknown_answers_are_complete_records_with_the_explanation() -> None:
    assert cvc5_child.solve(job(AM_GM_5, rlimit=1, nl_cov=True)) == {
        "answer": "unknown", "reason": "RESOURCEOUT", "model": None, "odd": []}
    (tiny,) = cvc5_child.solve_many(job(smt.solvers._incremental_script([AM_GM_5], "QF_NRA"), rlimit=1, nl_cov=True))
    assert tiny["answer"] == "unknown" and tiny["reason"] == "RESOURCEOUT"


def test_cvc5_child_many_with_cylindrical_coverings_proves_nonlinear_blocks() -> None:
    answers = cvc5_child.solve_many(job(smt.solvers._incremental_script([NRA_UNSAT, NRA_UNSAT], "QF_NRA"), nl_cov=True))
    assert [a["answer"] for a in answers] == ["unsat", "unsat"]


def test_cvc5_child_entry_point_reports_a_crash_as_a_complete_unknown_record(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    crashed = run_child("one", job(GET_MODEL_TOO_EARLY), monkeypatch, capsys)
    assert crashed == {"answer": "unknown", "reason": 'RuntimeError: (error "cannot get model unless after a SAT or '
                       'UNKNOWN response.")', "model": None, "odd": []}


def test_cvc5_child_crash_is_reported_with_the_last_three_stderr_lines() -> None:
    # a job without a seed: the child dies with a KeyError traceback (exit code 1) and prints no result
    out = smt.solvers._cvc5_child("many", {}, 60.0)
    assert isinstance(out, str) and out.startswith("cvc5 child exited with code 1: ")
    tail = out[len("cvc5 child exited with code 1: "):].split(" | ")
    assert len(tail) == 3 and tail[-1] == "KeyError: 'seed'"
    assert smt.solvers._cvc5_child("one", job(NRA_UNSAT, nl_cov=True), 60.0)["answer"] == "unsat"  # a new child


def test_cvc5_job_past_its_budget_is_killed_and_the_next_job_is_still_answered() -> None:
    out = smt.solvers._cvc5_child("one", job(AM_GM_5, rlimit=10**9, nl_cov=True), 0.5)  # runs for minutes
    assert out == "killed after 0 s wall clock"
    assert smt.solvers._cvc5_child("one", job(NRA_UNSAT, nl_cov=True), 60.0)["answer"] == "unsat"


def test_stopping_the_kept_cvc5_children_reaps_them_and_the_next_job_starts_a_fresh_one() -> None:
    assert smt.solvers._cvc5_child("one", job(NRA_UNSAT, nl_cov=True), 60.0)["answer"] == "unsat"
    kept = smt.solvers._CVC5_LOCAL.child.proc
    assert kept is not None and kept.poll() is None  # running, waiting for the next job
    smt.stop_cvc5_children()
    assert kept.returncode is not None  # killed and reaped here: no one else can wait for it
    assert smt.solvers._cvc5_child("one", job(NIA_SAT), 60.0)["model"] == {"n": "3"}
    assert smt.solvers._CVC5_LOCAL.child.proc is not kept


def _answer_in_a_forked_process(results: Any) -> None:
    results.put(smt.solvers._cvc5_child("one", job(NIA_SAT), 60.0))


def test_cvc5_is_answered_in_a_forked_process_and_still_in_its_parent() -> None:
    import multiprocessing

    assert smt.solvers._cvc5_child("one", job(NIA_SAT), 60.0)["model"] == {"n": "3"}  # the parent's child runs
    fork = multiprocessing.get_context("fork")
    results = fork.Queue()
    worker = fork.Process(target=_answer_in_a_forked_process, args=(results,))
    worker.start()
    assert results.get(timeout=60)["model"] == {"n": "3"}
    worker.join(timeout=60)
    assert smt.solvers._cvc5_child("one", job(NIA_SAT), 60.0)["model"] == {"n": "3"}


BLOCK = "(set-logic QF_NRA)\n(declare-fun x () Real)\n(assert (> (* x x) 0))\n(check-sat)\n"


def _fake_child(seen: list[tuple[str, dict[str, object], float]], results: list[dict[str, object]]) -> Any:
    def child(flag: str, job: Mapping[str, object], budget: float) -> Any:
        seen.append((flag, dict(job), budget))
        return results

    return child


@pytest.mark.parametrize("logic, nl_cov", [("QF_NRA", True), ("QF_LRA", False), ("QF_NIA", False)])
def test_cvc5_run_many_job_turns_coverings_on_for_nonlinear_reals_only(
    monkeypatch: pytest.MonkeyPatch, logic: str, nl_cov: bool
) -> None:
    seen: list[tuple[str, dict[str, object], float]] = []
    monkeypatch.setattr(smt.solvers, "_cvc5_child", _fake_child(seen, [{"answer": "unsat", "seconds": 0.5, "reason": ""}]))
    runs = smt.solvers._cvc5_run_many([BLOCK], logic, rlimit=smt.DEFAULT_RLIMIT, timeout_s=1.5)
    assert runs == [SolverRun("cvc5", SolverAnswer.UNSAT, 0.5, "", None)]
    [(flag, job, budget)] = seen
    assert flag == "many" and budget > 1.5
    assert job == {"smtlib": smt.solvers._incremental_script([BLOCK], logic), "seed": DEFAULT_SEED,
                   "rlimit_per": smt.solvers._cvc5_rlimit(smt.DEFAULT_RLIMIT), "tlimit_per_ms": 1500, "nl_cov": nl_cov}


def test_cvc5_run_many_child_stopping_early_leaves_the_rest_unknown(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[tuple[str, dict[str, object], float]] = []
    monkeypatch.setattr(smt.solvers, "_cvc5_child", _fake_child(seen, [{"answer": "unsat", "seconds": 0.5, "reason": ""}]))
    runs = smt.solvers._cvc5_run_many([BLOCK, BLOCK, BLOCK], "QF_NRA", rlimit=smt.DEFAULT_RLIMIT, timeout_s=1.0)
    assert [(r.solver, r.answer, r.reason, r.model) for r in runs] == [
        ("cvc5", SolverAnswer.UNSAT, "", None),
        ("cvc5", SolverAnswer.UNKNOWN, "not reached: the cvc5 child stopped early", None),
        ("cvc5", SolverAnswer.UNKNOWN, "not reached: the cvc5 child stopped early", None),
    ]


# ---- prove and check_sat: arguments, notes and the records they keep -----------------------------


def test_check_sat_passes_nonlinear_and_name_through_to_the_solvers() -> None:
    x = z3.Real("x")
    empty = smt.check_sat([x > 1, x < 0], check_model=lambda m: False, nonlinear=True, name="witness search")
    assert empty.outcome is Outcome.PROVED
    assert [r.solver for r in empty.runs] == ["z3", "cvc5"]  # declared nonlinear: cvc5 must confirm
    assert empty.smtlib.startswith("; witness search\n")
    plain = smt.check_sat([x > 1, x < 0], check_model=lambda m: False, nonlinear=False)
    assert [r.solver for r in plain.runs] == ["z3"] and plain.smtlib.startswith("; problem\n")


def test_format_model_sorts_by_name_and_names_the_empty_model() -> None:
    assert smt.format_model({"y": Fraction(3), "x": Fraction(1, 2)}) == "x = 1/2, y = 3"
    assert smt.format_model({}) == "(no variables)"


def test_proof_attempt_evidence_shows_reasons_only_when_given_and_the_counterexample() -> None:
    runs = (smt.SolverRun("z3", smt.SolverAnswer.SAT, 0.0, "", None),
            smt.SolverRun("cvc5", smt.SolverAnswer.UNKNOWN, 0.0, "RESOURCEOUT", None))
    a = smt.ProofAttempt(Outcome.REFUTED, runs, "(check-sat)\n", {"x": Fraction(1, 2)}, 1, 1, "QF_LRA")
    lines = a.evidence()
    assert lines[0] == "z3: sat in 0.000 s" and lines[1] == "cvc5: unknown in 0.000 s (RESOURCEOUT)"
    assert lines[3] == "counterexample (exactly re-checked): x = 1/2"


def test_numerals_are_read_exactly() -> None:
    assert smt.exact._numeral(z3.IntVal(7)) == 7 and smt.exact._numeral(z3.RealVal("1/3")) == Fraction(1, 3)
    assert smt.exact._numeral(z3.Real("x")) is None


def test_prove_refuses_bad_limits_naming_them() -> None:
    x = z3.Real("x")
    with pytest.raises(ValueError, match=r"^rlimit must be at least 1 \(z3 reads 0 as unlimited\)$"):
        smt.prove([], x > x - 1, check_counterexample=lambda m: False, nonlinear=False, rlimit=0)
    with pytest.raises(ValueError, match=r"^timeout_s must be positive$"):
        smt.prove([], x > x - 1, check_counterexample=lambda m: False, nonlinear=False, timeout_s=0)
    quick = smt.prove([], x > x - 1, check_counterexample=lambda m: False, nonlinear=False, timeout_s=0.5)
    assert quick.outcome is Outcome.PROVED


def test_prove_records_logic_seed_limit_name_and_the_nonlinearity_note() -> None:
    a, b = z3.Reals("a b")
    found = smt.prove([a >= 0, b >= 0], a * b >= 0, check_counterexample=lambda m: False, nonlinear=False,
                      rlimit=5_000_000, name="product")
    assert found.outcome is Outcome.PROVED and found.note == "nonlinear terms found, treated as nonlinear"
    assert (found.logic, found.seed, found.rlimit) == ("QF_NRA", 0, 5_000_000)
    assert found.smtlib.startswith("; product\n")
    declared = smt.prove([a >= 0, b >= 0], a * b >= 0, check_counterexample=lambda m: False, nonlinear=True)
    assert declared.note == "" and declared.smtlib.startswith("; problem\n")
    linear = smt.prove([a > 1], a > 0, check_counterexample=lambda m: False, nonlinear=True)
    assert [r.solver for r in linear.runs] == ["z3", "cvc5"]  # declared nonlinear: cvc5 must confirm


def test_a_recheck_that_is_not_a_bool_is_a_caller_bug_naming_the_type() -> None:
    x = z3.Real("x")
    with pytest.raises(TypeError, match=r"^the exact re-check must return a bool, got int$"):
        smt.prove([], x > 0, check_counterexample=lambda m: 1, nonlinear=False)  # type: ignore[arg-type,return-value]


def test_proof_attempt_invariants_name_the_problem() -> None:
    with pytest.raises(ValueError, match=r"^a ProofAttempt cannot be HOLDS$"):
        smt.ProofAttempt(Outcome.HOLDS, (), "", None, 0, 0)
    with pytest.raises(ValueError, match=r"^a counterexample is set exactly when the outcome is REFUTED$"):
        smt.ProofAttempt(Outcome.PROVED, (), "", {"x": Fraction(0)}, 1, 1)


def test_boolean_variables_come_back_as_zero_and_one_in_the_model() -> None:
    b, c = z3.Bools("b c")
    seen: list[dict[str, Fraction]] = []

    def record(model: Mapping[str, Fraction]) -> bool:
        seen.append(dict(model))
        return True

    attempt = smt.check_sat([b, z3.Not(c)], check_model=record, nonlinear=False)
    assert attempt.outcome is Outcome.REFUTED and attempt.note == ""
    assert attempt.counterexample == {"b": Fraction(1), "c": Fraction(0)} and seen == [{"b": 1, "c": 0}]
    [z3_run] = attempt.runs
    assert z3_run.answer is SolverAnswer.SAT and z3_run.model == {"b": Fraction(1), "c": Fraction(0)}


def test_a_non_numeric_model_value_is_unknown_and_named_in_the_note() -> None:
    v = z3.BitVec("v", 8)
    attempt = smt.check_sat([v == 3], check_model=lambda m: True, nonlinear=False)
    assert attempt.outcome is Outcome.UNKNOWN and attempt.counterexample is None
    assert attempt.note == "model has non-numeric value for v (sort BitVec(8))"
    assert attempt.evidence()[-1] == "note: model has non-numeric value for v (sort BitVec(8))"


def test_z3_giving_up_is_named_in_the_note_of_the_unknown_attempt() -> None:
    a, b = z3.Reals("a b")
    attempt = smt.prove([a >= 0, b >= 0], a * a * a + b * b * b >= a * a * b, check_counterexample=lambda m: False,
                        nonlinear=True, rlimit=1,
                        solvers=Solvers().with_cvc5(lambda text: SolverRun("cvc5", SolverAnswer.UNKNOWN, 0.0, "boom", None)))
    assert attempt.outcome is Outcome.UNKNOWN
    assert [(r.solver, r.answer) for r in attempt.runs] == [("z3", SolverAnswer.UNKNOWN), ("cvc5", SolverAnswer.UNKNOWN)]
    assert attempt.note == f"z3 unknown ({attempt.runs[0].reason})" and attempt.runs[0].reason


def test_a_variable_under_a_quantifier_counts_towards_nonlinearity() -> None:
    # ITE(∀k. k·k ≥ y, 1, 2) depends on the free y; its product with z is a product of two variable terms
    k, y, z = z3.Reals("k y z")
    text, logic, variables, nonlinear = smt.solvers._smtlib([z3.If(z3.ForAll([k], k * k >= y), 1, 2) * z == 3], "q")
    assert (logic, variables, nonlinear) == ("ALL", {"y": "Real", "z": "Real"}, True)
    closed = smt.solvers._smtlib([z3.If(z3.ForAll([k], k * k >= 0), 1, 2) * z == 3], "q")
    assert closed[1:] == ("ALL", {"z": "Real"}, False)


def test_join_logics() -> None:
    assert smt.solvers._join_logics({"QF_LRA"}) == "QF_LRA" and smt.solvers._join_logics({"QF_LIA"}) == "QF_LIA"
    assert smt.solvers._join_logics({"QF_NRA"}) == "QF_NRA" and smt.solvers._join_logics({"ALL"}) == "ALL"
    assert smt.solvers._join_logics({"QF_LRA", "QF_NRA"}) == "QF_NRA" and smt.solvers._join_logics({"QF_LIA", "QF_NIA"}) == "QF_NIA"
    assert smt.solvers._join_logics({"QF_LRA", "QF_LIA"}) == "ALL" and smt.solvers._join_logics({"QF_NRA", "QF_NIA"}) == "ALL"
    assert smt.solvers._join_logics({"QF_LRA", "QF_NRA", "QF_LIA"}) == "ALL"


# ---- when z3 gives up: cvc5's own answer, through the child ----------------------------------------------------


def z3_gives_up(text: str, logic: str, variables: Mapping[str, str], *, rlimit: int, seed: int,
                timeout_s: float) -> tuple[SolverRun, dict[str, Fraction] | None, tuple[str, ...]]:
    return SolverRun("z3", SolverAnswer.UNKNOWN, 0.0, "gave up (simulated)", None), None, ()


def test_when_z3_gives_up_a_rational_cvc5_model_refutes_after_the_exact_recheck() -> None:
    n = z3.Int("n")
    attempt = smt.prove([n * n == 9], n <= 0, check_counterexample=lambda m: m["n"] ** 2 == 9 and m["n"] > 0,
                        nonlinear=True, solvers=replace(Solvers(), z3=z3_gives_up))
    assert attempt.outcome is Outcome.REFUTED and attempt.counterexample == {"n": Fraction(3)}
    assert answers(attempt) == [("z3", SolverAnswer.UNKNOWN), ("cvc5", SolverAnswer.SAT)]
    assert attempt.runs[1].model == {"n": Fraction(3)} and attempt.runs[1].reason == ""
    assert attempt.note == "z3 unknown (gave up (simulated)); cvc5 model passed the exact re-check"


def test_when_z3_gives_up_an_irrational_cvc5_model_is_named_and_never_refutes() -> None:
    y = z3.Real("y")
    attempt = smt.prove([y * y == 2], y != y, check_counterexample=lambda m: True, nonlinear=True,
                        solvers=replace(Solvers(), z3=z3_gives_up))
    assert attempt.outcome is Outcome.UNKNOWN and attempt.counterexample is None
    cvc5_run = attempt.runs[1]
    assert (cvc5_run.answer, cvc5_run.model) == (SolverAnswer.SAT, None)
    assert cvc5_run.reason == "model has irrational or non-numeric value for y"


@pytest.mark.slow
def test_a_cvc5_run_past_its_wall_clock_budget_is_killed_and_unknown() -> None:
    # z3 runs out of its 0.1 s; cvc5, asked for a model, overruns its limit inside a coverings step (AM-GM needs
    # minutes) and is killed once the budget (the timeout and a 10 s grace) has passed
    a, b, c, d, e = z3.Reals("a b c d e")
    attempt = smt.prove([v >= 0 for v in (a, b, c, d, e)], a**5 + b**5 + c**5 + d**5 + e**5 >= 5 * a * b * c * d * e,
                        check_counterexample=never, nonlinear=True, rlimit=10**12, timeout_s=0.1)
    assert attempt.outcome is Outcome.UNKNOWN and attempt.counterexample is None
    assert answers(attempt) == [("z3", SolverAnswer.UNKNOWN), ("cvc5", SolverAnswer.UNKNOWN)]
    assert attempt.runs[1].reason == "killed after 10 s wall clock" and attempt.runs[1].model is None
    assert any(line.startswith("cvc5: unknown in ") and line.endswith(" s (killed after 10 s wall clock)")
               for line in attempt.evidence())


def test_memo_per_solvers_keeps_one_result_for_each_set_of_solvers() -> None:
    computed: list[int] = []

    @smt.memo_per_solvers
    def seed_in_effect() -> int:
        computed.append(smt.current_solvers().seed)
        return computed[-1]

    assert seed_in_effect() == DEFAULT_SEED
    with using_solvers(Solvers(seed=7)):
        assert seed_in_effect() == 7  # not the result memoised under the default solvers
    assert seed_in_effect() == DEFAULT_SEED and computed == [DEFAULT_SEED, 7]
    seed_in_effect.cache_clear()
    assert seed_in_effect() == DEFAULT_SEED and computed == [DEFAULT_SEED, 7, DEFAULT_SEED]


# ---- answers remembered within one job ----------------------------------------------------------------------


def counting_cvc5(answer: SolverAnswer) -> tuple[list[str], Solvers]:
    """Solvers whose cvc5 answers `answer` to every text, recording the texts it was asked."""
    asked: list[str] = []

    def run(text: str) -> SolverRun:
        asked.append(text)
        return SolverRun("cvc5", answer, 0.0, "canned", None)

    return asked, Solvers().with_cvc5(run)


def test_inside_remembering_answers_a_text_answered_unsat_is_not_solved_again() -> None:
    a, b = z3.Reals("a b")
    unit = [0 <= a, a <= 1, 0 <= b, b <= 1]
    asked, solvers = counting_cvc5(SolverAnswer.UNSAT)
    with smt.remembering_answers():
        first = smt.prove(unit, a * b <= a, check_counterexample=never, nonlinear=True, solvers=solvers)
        again = smt.prove(unit, a * b <= a, check_counterexample=never, nonlinear=True, solvers=solvers)
        batch = smt.prove_many([(unit, a * b <= a), (unit, a * b <= b)], check_counterexample=lambda i, m: False,
                               nonlinear=True, solvers=solvers)
        batch_again = smt.prove_many([(unit, a * b <= a), (unit, a * b <= b)],
                                     check_counterexample=lambda i, m: False, nonlinear=True, solvers=solvers)
        # the same blocks named and numbered otherwise (a block's first line names its place in its batch): the
        # solvers read the same formulas, so they are answered from memory too
        renamed = smt.prove_many([(unit, a * b <= b), (unit, a * b <= a)], check_counterexample=lambda i, m: False,
                                 nonlinear=True, solvers=solvers, name="renamed")
    assert first.outcome is again.outcome is Outcome.PROVED and first.runs == again.runs
    assert [x.outcome for x in (*batch, *batch_again)] == [Outcome.PROVED] * 4 and batch == batch_again
    # one single run; the batch's two blocks once
    assert len(asked) == 3 and asked[0] == first.smtlib
    assert [x.outcome for x in renamed] == [Outcome.PROVED] * 2 and len(asked) == 3
    assert renamed[0].smtlib.startswith("; renamed #0\n") and renamed[0].runs == batch[1].runs
    smt.prove(unit, a * b <= a, check_counterexample=never, nonlinear=True, solvers=solvers)
    assert len(asked) == 4  # outside the block nothing is remembered


def test_remembered_answers_are_never_unknowns_nor_another_solvers_answers() -> None:
    a, b = z3.Reals("a b")
    unit = [0 <= a, a <= 1, 0 <= b, b <= 1]
    asked, unsure = counting_cvc5(SolverAnswer.UNKNOWN)
    confirmed, sure = counting_cvc5(SolverAnswer.UNSAT)
    with smt.remembering_answers():
        for _ in range(2):
            v = smt.prove(unit, a * b <= a, check_counterexample=never, nonlinear=True, solvers=unsure)
            assert v.outcome is Outcome.UNKNOWN
        proved = smt.prove(unit, a * b <= a, check_counterexample=never, nonlinear=True, solvers=sure)
        with smt.remembering_answers():  # nested: the same memory
            assert smt.prove(unit, a * b <= a, check_counterexample=never, nonlinear=True,
                             solvers=sure).outcome is Outcome.PROVED
        assert smt.prove(unit, a * b <= a, check_counterexample=never, nonlinear=True,
                         solvers=unsure).outcome is Outcome.UNKNOWN
    assert proved.outcome is Outcome.PROVED
    assert (len(asked), len(confirmed)) == (3, 1)


def test_sum_of_no_terms_is_the_real_zero() -> None:
    zero = smt.sum_terms([])
    assert z3.is_expr(zero) and zero.sort() == z3.RealSort()
    assert z3.simplify(zero + z3.Real("x") - z3.Real("x")).eq(z3.RealVal(0))


def test_a_quantified_hypothesis_is_sent_under_the_general_logic() -> None:
    x, y = z3.Reals("x y")
    attempt = smt.prove([z3.ForAll([y], y * y >= 0)], x * x >= 0, check_counterexample=never, nonlinear=True)
    assert attempt.logic == "ALL" and attempt.outcome is Outcome.PROVED


def test_powers_beside_a_quantifier_are_expanded_and_the_quantifier_kept() -> None:
    x, y = z3.Reals("x y")
    both = z3.And(z3.ForAll([y], y * y >= 0), x ** 2 >= 1)
    attempt = smt.prove([both], x * x >= 1, check_counterexample=never, nonlinear=True)
    assert attempt.outcome is Outcome.PROVED
    assert "(forall ((y Real))" in attempt.smtlib and "(* x x)" in attempt.smtlib and "^" not in attempt.smtlib


def test_a_variable_z3_leaves_unconstrained_gets_zero_in_the_counterexample() -> None:
    x, y = z3.Reals("x y")
    hypotheses, goal = [z3.Or(x >= 0, y >= 0)], x < 0
    attempt = smt.prove(hypotheses, goal, check_counterexample=smt.refutes(hypotheses, goal), nonlinear=False)
    assert attempt.outcome is Outcome.REFUTED
    assert dict(attempt.counterexample or {}) == {"x": Fraction(0), "y": Fraction(0)}


def test_exact_model_names_an_irrational_value_as_such() -> None:
    x = z3.Real("x")
    found, why = smt.exact_model([x * x == 2])
    assert found is None and "non-rational value" in why and " x " in why


def test_z3_batch_reports_each_block_with_its_answer_and_reason() -> None:
    from checkers.smt.solvers import _z3_run_many
    sat = "(declare-fun x () Real)\n(assert (> x 0.0))\n"
    unsat = "(declare-fun x () Real)\n(assert (> x 0.0))\n(assert (< x 0.0))\n"
    broken = "(assert (> x 0.0))\n"  # x is not declared
    before = time.perf_counter()
    runs = _z3_run_many([sat, unsat, broken], "QF_LRA", rlimit=10**7, timeout_s=10.0)
    elapsed = time.perf_counter() - before
    assert [(r.solver, r.answer) for r in runs] == [
        ("z3", SolverAnswer.SAT), ("z3", SolverAnswer.UNSAT), ("z3", SolverAnswer.UNKNOWN)]
    assert runs[0].reason == runs[1].reason == "" and runs[2].reason.startswith("Z3Exception")
    assert all(0 <= r.seconds <= elapsed for r in runs)


def test_z3_batch_gives_z3s_reason_when_it_runs_out_of_resources() -> None:
    from checkers.smt.solvers import _z3_run_many
    hard = "(declare-fun a () Real)\n(declare-fun b () Real)\n(assert (> (* a a b) 1.0))\n(assert (< (* a b) 0.0))\n" \
           "(assert (> (* b b a) 2.0))\n"
    (run,) = _z3_run_many([hard], "QF_NRA", rlimit=1, timeout_s=10.0)
    assert run.answer is SolverAnswer.UNKNOWN and "resource limit" in run.reason


def test_prove_many_has_cvc5_confirm_the_very_text_z3_proved() -> None:
    a, b = z3.Reals("a b")
    seen: list[str] = []

    def confirm(text: str) -> SolverRun:
        seen.append(text)
        return SolverRun("cvc5", SolverAnswer.UNSAT, 0.0, "", None)

    (attempt,) = smt.prove_many([([0 <= a, a <= 1, 0 <= b, b <= 1], a * b <= a)], check_counterexample=lambda i, m: False,
                                nonlinear=True, solvers=Solvers().with_cvc5(confirm))
    assert attempt.outcome is Outcome.PROVED and attempt.note.startswith("checked in a batch")
    assert seen == [attempt.smtlib]


def test_prove_many_runs_an_integer_block_under_its_integer_logic() -> None:
    from checkers.smt.solvers import _z3_run_many
    logics: list[str] = []

    def z3_batch(texts: Any, logic: str, **limits: Any) -> list[SolverRun]:
        logics.append(logic)
        return _z3_run_many(texts, logic, **limits)

    n = z3.Int("n")
    (attempt,) = smt.prove_many([([n >= 1], n >= 0)], check_counterexample=lambda i, m: False, nonlinear=False,
                                solvers=replace(Solvers(), z3_batch=z3_batch))
    assert attempt.outcome is Outcome.PROVED and attempt.logic == "QF_LIA" and logics == ["QF_LIA"]


def test_cvc5_child_reader_waits_until_its_deadline_for_a_late_line() -> None:
    import subprocess

    from checkers.smt.solvers import _Cvc5Child
    child = _Cvc5Child()
    child.proc = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(0.2); print('ready', flush=True)"],
                                  stdout=subprocess.PIPE)
    try:
        assert child._line(time.monotonic() + 0.9) == b"ready"
    finally:
        child.proc.kill()
        child.proc.wait()
        assert child.proc.stdout is not None
        child.proc.stdout.close()


# ---- notes, messages and exact evaluation at the edges ---------------------------------------------------------


def z3_sat_with_irrational_y(text: str, logic: str, variables: Mapping[str, str], *, rlimit: int, seed: int,
                             timeout_s: float) -> tuple[SolverRun, dict[str, Fraction] | None, tuple[str, ...]]:
    return SolverRun("z3", SolverAnswer.SAT, 0.0, "", None), {"y": Fraction(14142, 10000)}, ("y",)


def test_an_irrational_model_whose_rational_approximation_passes_the_recheck_refutes_and_says_so() -> None:
    y = z3.Real("y")
    attempt = smt.prove([y > 1], y < 1, check_counterexample=lambda m: m["y"] > 1, nonlinear=False,
                        solvers=replace(Solvers(), z3=z3_sat_with_irrational_y))
    assert attempt.outcome is Outcome.REFUTED and attempt.counterexample == {"y": Fraction(14142, 10000)}
    assert attempt.note == "model has irrational value for y; its rational approximation passed the exact re-check"


def test_prove_many_rejects_a_zero_rlimit_with_its_reason() -> None:
    with pytest.raises(ValueError) as info:
        smt.prove_many([], check_counterexample=lambda i, m: False, nonlinear=False, rlimit=0)
    assert str(info.value) == "rlimit must be at least 1 (z3 reads 0 as unlimited)"


def test_a_zeroth_power_is_left_as_a_power_in_the_smtlib_text_and_proved() -> None:
    x = z3.Real("x")
    attempt = smt.prove([x > 1], x**0 == 1, check_counterexample=lambda m: False, nonlinear=False, timeout_s=5)
    assert "(assert (not (= (^ x 0.0) 1.0)))" in attempt.smtlib
    assert attempt.outcome is Outcome.PROVED


def test_evaluate_raises_x_to_the_zeroth_power_to_one() -> None:
    x = z3.Real("x")
    assert smt.evaluate(x**0, {"x": Fraction(7, 3)}) == 1


def test_evaluate_refuses_a_quantified_formula_with_its_reason() -> None:
    x = z3.Real("x")
    with pytest.raises(ValueError) as info:
        smt.evaluate(z3.ForAll([x], x >= x), {})
    assert str(info.value).startswith("evaluate: quantifiers are not evaluated exactly (")


def test_cvc5_blocks_after_one_it_cannot_read_are_unknown_not_reached_with_their_time() -> None:
    power = "(declare-fun x () Real)\n(declare-fun y () Real)\n(assert (> (^ x y) 0.0))\n(check-sat)\n"
    square = "(declare-fun x () Real)\n(assert (< (* x x) 0.0))\n(check-sat)\n"
    first, second = Solvers().cvc5_batch([power, square], "ALL", rlimit=smt.DEFAULT_RLIMIT, timeout_s=5)
    assert first.answer is SolverAnswer.UNKNOWN and "exponent of the POW(^) operator" in first.reason
    assert (second.solver, second.answer, second.reason) == ("cvc5", SolverAnswer.UNKNOWN,
                                                             "not reached: the cvc5 child stopped early")
    assert isinstance(second.seconds, float) and 0 <= second.seconds < 60
