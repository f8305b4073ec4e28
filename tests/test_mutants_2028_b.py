"""Tests aimed at mutants that survived the 2028-seed mutation sample in checkers/ (reduction,
randomized_tasks, smt, smt_reduction, symbolic): exact messages of REFUTED/UNKNOWN branches driven
by monkeypatched inputs, exact per-shard counts, the cvc5 child's job, and wall time on a fake clock."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from fractions import Fraction
from typing import Any

import pytest
from tests.conftest import FakeClock
import z3

from checkers import randomized_tasks, reduction, smt, smt_reduction
from checkers.smt import DEFAULT_SEED, ProofAttempt, SolverAnswer, SolverRun
from checkers.symbolic import _parse, declare
from checkers.verdict import Level, Outcome
from spec import STOP, Dist
from spec.errors import InvalidArgument, InvalidModel
from spec.tasks.semiprime import semiprime_triple


def _cvc5_unsat(text: str) -> SolverRun:
    return SolverRun("cvc5", SolverAnswer.UNSAT, 0.0, "", None)


# ---------------------------------------------------------------- reduction


def test_bad_pair_names_a_pair_with_one_non_prime() -> None:
    assert reduction._bad_pair(2, 4, 8, 1) == "2 and 4 are not both 1-digit primes"
    assert reduction._bad_pair(4, 2, 8, 1) == "4 and 2 are not both 1-digit primes"
    assert reduction._bad_pair(2, 3, 6, 1) is None
    assert reduction._bad_pair(2, 3, 7, 1) == "2·3 = 6 ≠ s"


def _scripted(rest_for: Mapping[str | None, str]) -> Any:
    """A model that writes "[6," then rest_for[prompt] (rest_for[None] for any other prompt), then STOP."""

    def phi(prompt: str, prefix: str) -> Dist[str]:
        whole = "[6," + rest_for.get(prompt, rest_for[None])
        return Dist.point(whole[len(prefix)]) if len(prefix) < len(whole) else Dist.point(STOP)

    return phi


def test_continuation_law_and_factor_with_prompt_the_model_with_the_posts_prompt() -> None:
    prompt = semiprime_triple(1, "pq,p,q").prompt
    phi = _scripted({prompt: "2,3]", None: "1,6]"})
    assert reduction.continuation_law(phi, 6, 1) == Dist.point("2,3]")
    assert reduction.factor_with(phi, 6, 1) == (2, 3)
    assert reduction.reduction_failures(phi, 1, [6]) == []
    wrong = _scripted({None: "1,6]"})
    assert reduction.reduction_failures(wrong, 1, [6]) == [
        "s=6: continuation '1,6]' has probability 1, but 1 and 6 are not both 1-digit primes"]


def test_factor_with_checks_tokens_against_the_tuple_alphabet() -> None:
    phi = _scripted({None: "2x3]"})
    with pytest.raises(InvalidModel, match=re.escape("the model put mass on token 'x', not in the alphabet, at prompt ")):
        reduction.factor_with(phi, 6, 1)
    with pytest.raises(InvalidModel, match=re.escape("token 'x', not in the alphabet")):
        reduction.continuation_law(phi, 6, 1)


def test_grouped_shard_exact_counts_per_shard() -> None:
    # s runs from 11² to 97²: the shard boundaries depend on the lowest s = (smallest prime)²
    assert [reduction.grouped_shard(2, i, 8) for i in range(8)] == [
        {"pairs": 161, "distinct": 84, "bad_groups": 0, "squares": 7},
        {"pairs": 100, "distinct": 52, "bad_groups": 0, "squares": 4},
        {"pairs": 74, "distinct": 38, "bad_groups": 0, "squares": 2},
        {"pairs": 44, "distinct": 23, "bad_groups": 0, "squares": 2},
        {"pairs": 32, "distinct": 17, "bad_groups": 0, "squares": 2},
        {"pairs": 20, "distinct": 11, "bad_groups": 0, "squares": 2},
        {"pairs": 7, "distinct": 4, "bad_groups": 0, "squares": 1},
        {"pairs": 3, "distinct": 2, "bad_groups": 0, "squares": 1},
    ]


def test_grouped_shard_counts_a_square_with_several_pairs_as_bad(monkeypatch: pytest.MonkeyPatch) -> None:
    # a duplicated "prime" 3: s = 9 has four pairs (3, 3) and s = 6 four pairs; both groups are bad
    monkeypatch.setattr(reduction, "n_digit_primes", lambda n: [2, 3, 3])
    assert reduction.grouped_shard(1, 0, 1) == {"pairs": 9, "distinct": 3, "bad_groups": 2, "squares": 2}


def test_f2_numpy_reports_wrong_grouped_counts_exactly(monkeypatch: pytest.MonkeyPatch) -> None:
    zero = {"pairs": 0, "distinct": 0, "bad_groups": 0, "squares": 0}
    monkeypatch.setattr(reduction, "grouped_shard", lambda n, shard, shards: dict(zero))
    bad, line = reduction._f2_numpy(1, shards=2, samples=3)
    assert bad == [f"n=1: grouped counts {zero} ≠ pairs 16, distinct 10"]
    assert line.startswith("n=1 (numpy, 2 shards of s): 0 ordered pairs, 0 distinct s; ")


# ---------------------------------------------------------------- randomized tasks


def test_R1_holds_seconds_from_the_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(randomized_tasks, "uniform_number_mismatch", lambda phi, digits=6: None)
    monkeypatch.setattr(randomized_tasks, "time", FakeClock(0.25))
    v = randomized_tasks.check_R1(Level.QUICK)
    assert v.outcome is Outcome.HOLDS and v.seconds == 0.25
    assert v.evidence == ("induced law has 900000 texts, each of probability exactly 1/900000",
                          "support = {100000, ..., 999999}")


def test_R3_holds_seconds_from_the_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(randomized_tasks, "time", FakeClock(0.75))
    v = randomized_tasks.check_R3(Level.QUICK)
    assert v.outcome is Outcome.HOLDS and v.seconds == 0.75
    assert set(v.data) == {"R3_certificates", "R3_residual_curve"}


def test_R5_unknown_when_the_tvd_does_not_fall_strictly_in_m(monkeypatch: pytest.MonkeyPatch) -> None:
    # exact at m = n, otherwise n/100 whatever m: grows with n, but does not fall with m
    monkeypatch.setattr(randomized_tasks, "det_prime_tvd", lambda n, m: Fraction(0) if n == m else Fraction(n, 100))
    monkeypatch.setattr(randomized_tasks, "time", FakeClock(0.5))
    v = randomized_tasks.check_R5(Level.QUICK)
    assert v.outcome is Outcome.UNKNOWN and v.counterexample is None and v.seconds == 0.5
    assert v.evidence[-1] == "corrected statement: for every n in scope the TVD falls strictly as m grows (FAILS on this scope)"


# ---------------------------------------------------------------- smt: the cvc5 child of prove_many


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
    monkeypatch.setattr(smt, "_cvc5_override", None)
    monkeypatch.setattr(smt, "_cvc5_child", _fake_child(seen, [{"answer": "unsat", "seconds": 0.5, "reason": ""}]))
    runs = smt._cvc5_run_many([BLOCK], logic, rlimit=smt.DEFAULT_RLIMIT, timeout_s=1.5)
    assert runs == [SolverRun("cvc5", SolverAnswer.UNSAT, 0.5, "", None)]
    [(flag, job, budget)] = seen
    assert flag == "--cvc5-child-many" and budget == 1.5 + smt._CVC5_KILL_GRACE_S
    assert job == {"smtlib": smt._incremental_script([BLOCK], logic), "seed": DEFAULT_SEED,
                   "rlimit_per": smt._cvc5_rlimit(smt.DEFAULT_RLIMIT), "tlimit_per_ms": 1500, "nl_cov": nl_cov}


def test_cvc5_run_many_child_stopping_early_leaves_the_rest_unknown(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[tuple[str, dict[str, object], float]] = []
    monkeypatch.setattr(smt, "_cvc5_override", None)
    monkeypatch.setattr(smt, "_cvc5_child", _fake_child(seen, [{"answer": "unsat", "seconds": 0.5, "reason": ""}]))
    runs = smt._cvc5_run_many([BLOCK, BLOCK, BLOCK], "QF_NRA", rlimit=smt.DEFAULT_RLIMIT, timeout_s=1.0)
    assert [(r.solver, r.answer, r.reason, r.model) for r in runs] == [
        ("cvc5", SolverAnswer.UNSAT, "", None),
        ("cvc5", SolverAnswer.UNKNOWN, "not reached: the cvc5 child stopped early", None),
        ("cvc5", SolverAnswer.UNKNOWN, "not reached: the cvc5 child stopped early", None),
    ]
    assert runs[0].seconds == 0.5 and all(0 <= r.seconds < 60 for r in runs[1:])


# ---------------------------------------------------------------- smt_reduction


def test_node_obligation_names_exact() -> None:
    assert [name for name, _, _ in smt_reduction.node_obligations(1, 2)] == [
        "mass at '00'", "mass at '0'", "pairs ('0', '00')", "mass at ''", "pairs ('', '0'..'00')"]
    assert [name for name, _, _ in smt_reduction.node_obligations(2, 2, chunk=2)][-4:] == [
        "pairs ('', '0'..'00')", "pairs ('', '01')", "pairs ('', '1'..'10')", "pairs ('', '11')"]


def test_decomposed_proof_runs_the_obligations_as_nonlinear_with_a_minute_each(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[dict[str, Any]] = []
    real = smt.prove_many

    def spy(obligations: Sequence[tuple[Sequence[Any], Any]], **kwargs: Any) -> tuple[ProofAttempt, ...]:
        calls.append(kwargs)
        return real(obligations, **kwargs)

    monkeypatch.setattr(smt, "prove_many", spy)
    monkeypatch.setattr(smt, "_cvc5_override", _cvc5_unsat)
    proof = smt_reduction.prove_conditioning_decomposed(1, 1)
    assert proof.outcome is Outcome.PROVED and proof.queries == 3
    [kwargs] = calls
    assert {k: v for k, v in kwargs.items() if k != "check_counterexample"} == {
        "nonlinear": True, "rlimit": smt_reduction.RLIMIT, "timeout_s": 60.0,
        "name": "conditioning lemma, obligation, k=1, L=1"}


def test_decomposed_proof_without_a_premise_reports_no_nonlinear_note(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(smt, "_cvc5_override", _cvc5_unsat)
    proof = smt_reduction.prove_conditioning_decomposed(1, 1, drop="0")
    assert proof.outcome is Outcome.REFUTED
    assert proof.counterexample == "the mass at '0' obligation fails: D_0 = 1, M_0 = 1, Q_0_0 = 1, m_0 = 0"
    failed = proof.evidence[-1]
    assert failed.startswith("obligation mass at '0': REFUTED; z3: sat in ")
    assert failed.endswith("counterexample (exactly re-checked): D_0 = 1, M_0 = 1, Q_0_0 = 1, m_0 = 0")
    assert "note:" not in failed




def test_refute_a1_one_wrong_tuple_uses_the_given_n() -> None:
    attempt = smt_reduction.refute_a1_one_wrong_tuple(2)
    assert attempt.outcome is Outcome.REFUTED
    assert (attempt.num_vars, attempt.num_assertions) == (24, 57)
    hyps, goal = smt_reduction.a1_problem(2, one_wrong=True)
    assert attempt.counterexample is not None and smt_reduction.refutes(hyps, goal)(attempt.counterexample)
    assert {f"a{i}" for i in (1, 2)} <= set(attempt.counterexample)


def test_refutation_without_premise_unknown_when_no_offending_pair(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(smt_reduction, "offending_pair", lambda k, L, model: None)
    r = smt_reduction.refute_conditioning_without_premise(1, 1, "")
    assert (r.outcome, r.dropped, r.prefix, r.text) == (Outcome.UNKNOWN, "", None, None)
    assert r.evidence[-1] == "no offending pair on recomputation"
    assert r.evidence[0].startswith("z3: sat in ")


# ---------------------------------------------------------------- symbolic


def test_parse_keeps_a_symbol_named_min_and_reserves_Min_for_sympy() -> None:
    names = declare({"min": "real", "x": "real"})
    assert str(_parse("min + x", names, "lhs")) == "min + x"
    assert str(_parse("Min(x, 1)", names, "lhs")) == "Min(1, x)"
    shadowed = declare({"Min": "real", "x": "real"})
    with pytest.raises(InvalidArgument, match=re.escape(
            "lhs: cannot parse 'Min + x': unsupported operand type(s) for +: 'FunctionClass' and 'Symbol'")):
        _parse("Min + x", shadowed, "lhs")


# ---------------------------------------------------------------- smt: later survivors


def test_evaluate_divides_the_first_argument_by_the_second() -> None:
    x, y = z3.Reals("x y")
    assert smt_reduction.evaluate(x / y, {"x": Fraction(1), "y": Fraction(2)}) == Fraction(1, 2)
    assert smt_reduction.evaluate(y / x == 2, {"x": Fraction(1), "y": Fraction(2)}) is True


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


def test_z3_giving_up_is_named_in_the_note_of_the_unknown_attempt(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(smt, "_cvc5_override", lambda text: SolverRun("cvc5", SolverAnswer.UNKNOWN, 0.0, "boom", None))
    a, b = z3.Reals("a b")
    attempt = smt.prove([a >= 0, b >= 0], a * a * a + b * b * b >= a * a * b, check_counterexample=lambda m: False,
                        nonlinear=True, rlimit=1)
    assert attempt.outcome is Outcome.UNKNOWN
    assert [(r.solver, r.answer) for r in attempt.runs] == [("z3", SolverAnswer.UNKNOWN), ("cvc5", SolverAnswer.UNKNOWN)]
    assert attempt.note == f"z3 unknown ({attempt.runs[0].reason})" and attempt.runs[0].reason


def test_cvc5_child_crash_is_reported_with_the_last_three_stderr_lines(monkeypatch: pytest.MonkeyPatch) -> None:
    # a job without a seed: the child dies with a KeyError traceback (exit code 1) and prints no result
    out = smt._cvc5_child("--cvc5-child-many", {}, 60.0)
    assert isinstance(out, str) and out.startswith("cvc5 child exited with code 1: ")
    tail = out[len("cvc5 child exited with code 1: "):].split(" | ")
    assert len(tail) == 3 and tail[-1] == "KeyError: 'seed'"


def test_a_variable_under_a_quantifier_counts_towards_nonlinearity() -> None:
    # ITE(∀k. k·k ≥ y, 1, 2) depends on the free y; its product with z is a product of two variable terms
    k, y, z = z3.Reals("k y z")
    text, logic, variables, nonlinear = smt._smtlib([z3.If(z3.ForAll([k], k * k >= y), 1, 2) * z == 3], "q")
    assert (logic, variables, nonlinear) == ("ALL", {"y": "Real", "z": "Real"}, True)
    closed = smt._smtlib([z3.If(z3.ForAll([k], k * k >= 0), 1, 2) * z == 3], "q")
    assert closed[1:] == ("ALL", {"z": "Real"}, False)
