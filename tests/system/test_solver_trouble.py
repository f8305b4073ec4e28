"""Solver trouble never turns into a pass: tiny resource limits, cvc5 disagreeing, cvc5 crashing.

tests/checkers/test_smt.py covers one tiny-rlimit proof and one simulated disagreement on
`prove`; here the same is pushed through every entry point of the adapter (prove, check_sat,
prove_many), over a range of limits, and then through every checker of the registry that
reaches the adapter: with every solver call held to rlimit 1, no claim comes back PROVED or
HOLDS, and `python -m checkers` exits non-zero. The limit is forced inside checkers.smt (every
z3 and cvc5 run), so it reaches checkers whatever their own rlimit parameters say.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
import z3

import checkers.__main__ as cli
from checkers import smt
from checkers.claims import CLAIMS, Claim
from checkers.runner import run_claim
from checkers.smt import SolverAnswer, SolverRun, Solvers, current_solvers, using_solvers
from checkers.verdict import PASSING, Level, Outcome, Verdict
from tests.conftest import clear_caches


def never(model: Mapping[str, Fraction]) -> bool:
    return False


def am_gm_5() -> tuple[list[Any], Any]:
    """5-variable AM-GM of degree 5: true, and z3 needs ~85 million resource units for it."""
    a, b, c, d, e = z3.Reals("a b c d e")
    return [v >= 0 for v in (a, b, c, d, e)], a**5 + b**5 + c**5 + d**5 + e**5 >= 5 * a * b * c * d * e


def squares() -> tuple[list[Any], Any]:
    x, y = z3.Reals("x y")
    return [], x * x + y * y >= 2 * x * y


def linear() -> tuple[list[Any], Any]:
    x, y = z3.Reals("x y")
    return [x > 0, y > 0], x + y > 0


def integer_product() -> tuple[list[Any], Any]:
    x, y = z3.Ints("x y")
    return [x * y == 15, 1 < x, x < 15, 1 < y, y < 15], z3.Or(x == 3, x == 5)


TRUE_STATEMENTS: dict[str, Callable[[], tuple[list[Any], Any]]] = {
    "AM-GM 5": am_gm_5, "squares": squares, "linear": linear, "integer product": integer_product,
}


# ---- the adapter: a tiny rlimit gives UNKNOWN, never PROVED ------------------------------------


@pytest.mark.parametrize("name", sorted(TRUE_STATEMENTS))
def test_rlimit_one_gives_unknown_for_every_statement(name: str) -> None:
    hyps, goal = TRUE_STATEMENTS[name]()
    attempt = smt.prove(hyps, goal, check_counterexample=never, nonlinear=name != "linear", rlimit=1)
    assert attempt.outcome is Outcome.UNKNOWN, (name, attempt.evidence())
    # z3 gives up; the real cvc5 child, held to the same tiny limit, gives up too
    assert [(r.solver, r.answer) for r in attempt.runs] == [("z3", SolverAnswer.UNKNOWN), ("cvc5", SolverAnswer.UNKNOWN)]
    assert attempt.rlimit == 1 and "z3 rlimit 1" in "\n".join(attempt.evidence())


@pytest.mark.parametrize("rlimit", [1, 10, 100, 1_000, 10_000, 100_000, 1_000_000])
def test_a_true_statement_is_never_refuted_and_proved_only_by_both_solvers(rlimit: int) -> None:
    hyps, goal = squares()
    attempt = smt.prove(hyps, goal, check_counterexample=never, nonlinear=True, rlimit=rlimit, timeout_s=10)
    assert attempt.outcome in (Outcome.UNKNOWN, Outcome.PROVED)
    if attempt.outcome is Outcome.PROVED:
        assert [(r.solver, r.answer) for r in attempt.runs] == [("z3", SolverAnswer.UNSAT), ("cvc5", SolverAnswer.UNSAT)]


def test_check_sat_with_rlimit_one_finds_no_witness_and_proves_nothing() -> None:
    x = z3.Real("x")
    witness = smt.check_sat([x * x == 4, x < 0], check_model=lambda m: m["x"] ** 2 == 4 and m["x"] < 0,
                            nonlinear=True, rlimit=1)
    empty = smt.check_sat([x * x < 0], check_model=never, nonlinear=True, rlimit=1)
    assert witness.outcome is Outcome.UNKNOWN and witness.counterexample is None
    assert empty.outcome is Outcome.UNKNOWN


def test_prove_many_with_rlimit_one_proves_no_obligation() -> None:
    obligations = [squares(), am_gm_5(), integer_product()]
    attempts = smt.prove_many(obligations, check_counterexample=lambda i, m: False, nonlinear=True, rlimit=1)
    assert [a.outcome for a in attempts] == [Outcome.UNKNOWN] * 3


# ---- cvc5 disagreeing, crashing or silent --------------------------------------------------------


def fake_cvc5(answer: SolverAnswer, reason: str) -> Callable[[str], SolverRun]:
    return lambda text: SolverRun("cvc5", answer, 0.0, reason, None)


@pytest.mark.parametrize(
    ("answer", "reason", "note"),
    [
        (SolverAnswer.SAT, "simulated disagreement", "solvers disagree: z3 unsat, cvc5 sat"),
        (SolverAnswer.UNKNOWN, "simulated resource limit", "cvc5 did not confirm"),
        (SolverAnswer.UNKNOWN, "cvc5 child exited with code -9", "cvc5 did not confirm"),
    ],
)
def test_prove_many_needs_cvc5_to_confirm_every_nonlinear_obligation(answer: SolverAnswer, reason: str,
                                                                     note: str) -> None:
    attempts = smt.prove_many([squares(), integer_product()], check_counterexample=lambda i, m: False, nonlinear=True,
                              solvers=Solvers().with_cvc5(fake_cvc5(answer, reason)))
    for a in attempts:
        assert a.outcome is Outcome.UNKNOWN
        evidence = "\n".join(a.evidence())
        assert "z3: unsat" in evidence and f"cvc5: {answer.value}" in evidence and reason in evidence
        assert note in a.note


def test_check_sat_emptiness_needs_cvc5_to_agree() -> None:
    x = z3.Real("x")
    with using_solvers(Solvers().with_cvc5(fake_cvc5(SolverAnswer.SAT, "simulated disagreement"))):
        empty = smt.check_sat([x * x < 0], check_model=never, nonlinear=True)
    assert empty.outcome is Outcome.UNKNOWN and "disagree" in empty.note
    evidence = "\n".join(empty.evidence())
    assert "z3: unsat" in evidence and "cvc5: sat" in evidence


# ---- every SMT checker of the registry, with every solver run held to rlimit 1 -------------------


@dataclass
class Calls:
    """How many z3 runs the adapter made while rlimit was forced to 1 (one by one and in batches), and z3's answers."""

    single: int = 0
    many: int = 0
    answers: list[SolverAnswer] = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.single + self.many


@pytest.fixture
def rlimit_one() -> Iterator[Calls]:
    """Every z3 and cvc5 run of checkers.smt held to rlimit 1, whatever the caller asked for (Solvers(rlimit=1),
    set with using_solvers), with z3's runs counted."""
    calls = Calls()
    real = Solvers()

    def counted_z3(text: str, logic: str, variables: Mapping[str, str], *, rlimit: int, seed: int,
                   timeout_s: float) -> tuple[SolverRun, dict[str, Fraction] | None, tuple[str, ...]]:
        calls.single += 1
        run = real.z3(text, logic, variables, rlimit=rlimit, seed=seed, timeout_s=timeout_s)
        calls.answers.append(run[0].answer)
        return run

    def counted_z3_batch(texts: Sequence[str], logic: str, *, rlimit: int, timeout_s: float,
                         seed: int = smt.DEFAULT_SEED) -> list[SolverRun]:
        calls.many += len(texts)
        runs = real.z3_batch(texts, logic, rlimit=rlimit, timeout_s=timeout_s, seed=seed)
        calls.answers += [r.answer for r in runs]
        return runs

    # checkers memoise proofs (e.g. the all-N overlap bound): a proof cached by an earlier test must
    # not answer for this limit, and an UNKNOWN cached under it must not leak into later tests
    clear_caches("checkers")
    with using_solvers(replace(real, z3=counted_z3, z3_batch=counted_z3_batch, rlimit=1)):
        yield calls
    clear_caches("checkers")


@pytest.fixture
def rlimit_one_fast(rlimit_one: Calls) -> Iterator[Calls]:
    """rlimit_one, with cvc5's answer under rlimit 1 (unknown, as the adapter tests above show for
    the real child) simulated in-process: S4's thousands of obligations would each start a child."""
    with using_solvers(current_solvers().with_cvc5(fake_cvc5(SolverAnswer.UNKNOWN, "resourceout (simulated rlimit 1)"))):
        yield rlimit_one


def test_the_forced_limit_reaches_callers_that_ask_for_a_large_one(rlimit_one: Calls) -> None:
    hyps, goal = squares()
    attempt = smt.prove(hyps, goal, check_counterexample=never, nonlinear=True, rlimit=10**9)
    assert attempt.outcome is Outcome.UNKNOWN and attempt.rlimit == 1 and rlimit_one.single == 1


# The claims whose checkers reach the SMT adapter (z3, and cvc5 for nonlinear problems), and the
# claims whose checker modules import the adapter but whose own checks do not call it.
SMT_CLAIMS = ("S4", "F2", "A1", "A2", "A3", "A4", "A5", "A6")
NO_SMT_CALLS = {
    **{cid: "exact enumeration only (the section's module also holds S4's SMT proofs)" for cid in ("S1", "S2", "S3")},
    **{cid: "exact integer arithmetic only (the section's module also holds Claim 1's SMT proof)" for cid in ("F1", "F3", "F4")},
}


def test_every_claim_whose_checker_module_imports_the_adapter_is_tested_here() -> None:
    for c in CLAIMS:
        modules = {c.check.__module__} if c.check is not None else set()
        uses_adapter = False
        for name in modules:
            try:
                source = importlib.import_module(name).__file__
            except ModuleNotFoundError:
                continue
            text = Path(str(source)).read_text()
            uses_adapter |= "checkers.smt" in text or "from checkers import smt" in text
        if uses_adapter:
            assert c.id in SMT_CLAIMS or c.id in NO_SMT_CALLS, f"{c.id} may reach the SMT adapter: add it to SMT_CLAIMS"


def smt_claim(cid: str) -> Claim:
    return next(c for c in CLAIMS if c.id == cid)


@pytest.mark.slow
@pytest.mark.parametrize("cid", SMT_CLAIMS)
def test_every_smt_checker_with_rlimit_one_is_never_a_pass(cid: str, rlimit_one_fast: Calls) -> None:
    result = run_claim(smt_claim(cid), Level.QUICK)
    assert rlimit_one_fast.total > 0, f"{cid}: the checker never reached the SMT adapter"
    assert set(rlimit_one_fast.answers) <= {SolverAnswer.UNKNOWN}, rlimit_one_fast.answers
    assert result.verdict.outcome not in PASSING, (cid, result.verdict.outcome, result.verdict.evidence[-3:])
    assert result.verdict.outcome is Outcome.UNKNOWN, (cid, result.verdict.outcome, result.verdict.evidence[-3:])


def proved_by_smt(level: Level) -> Verdict:
    """A fake SMT checker: PROVED exactly when the adapter proves AM-GM for 5 variables."""
    hyps, goal = am_gm_5()
    attempt = smt.prove(hyps, goal, check_counterexample=never, nonlinear=True)
    return Verdict(attempt.outcome, scope="AM-GM, 5 variables", method="z3+cvc5", evidence=attempt.evidence())


def test_python_m_checkers_exits_nonzero_when_the_solvers_give_up(
    rlimit_one: Calls, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    fake = (Claim("A4", "test", "AM-GM", "z3+cvc5", Outcome.PROVED, proved_by_smt),)
    monkeypatch.setattr(cli, "CLAIMS", fake)
    monkeypatch.setattr("checkers.claims.CLAIMS", fake)
    assert cli.main(["--level", "quick", "--quiet", "--jobs", "1"]) == 1
    out = capsys.readouterr().out
    assert "UNKNOWN" in out and "Not as expected" in out


def test_python_m_checkers_exits_nonzero_on_real_smt_claims_with_rlimit_one(
    rlimit_one: Calls, capsys: pytest.CaptureFixture[str]
) -> None:
    # in-process (--jobs 1), so that the call counter sees the runs; the two quickest claims, real cvc5
    assert cli.main(["--level", "quick", "--quiet", "--jobs", "1", "--only", "A1", "A4"]) == 1
    assert rlimit_one.total > 0 and "UNKNOWN" in capsys.readouterr().out
