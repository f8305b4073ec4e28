"""The typed registry, the one runner and the one combiner: Outcome's order, the one verdict builder, checks
imported directly, any concurrent.futures Executor, every claim (checks and twins) picklable for workers, the
gauntlet's machinery on fake twins, and solvers injected rather than patched."""

from __future__ import annotations

import concurrent.futures
import os
import pickle
import re
from collections.abc import Callable
from pathlib import Path

import pytest
import z3

from checkers import smt
from checkers.claims import CLAIMS, Check, Claim, Result, by_id
from checkers.gauntlet import claim_and_twin_jobs, run_claim_and_twins, run_gauntlet, run_twin, twin_jobs
from checkers.runner import claim_jobs, run_claim, run_claims, run_jobs
from checkers.smt import SolverAnswer, SolverRun, Solvers, using_solvers
from checkers.verdict import (
    PASSING,
    Level,
    Outcome,
    Trial,
    Twin,
    Verdict,
    refuted_by,
    verdict,
)
from tests.conftest import clear_caches

ROOT = Path(__file__).resolve().parents[2]
WEAKEST_FIRST = (Outcome.ERROR, Outcome.REFUTED, Outcome.UNKNOWN, Outcome.ASSUMED,
                 Outcome.UNESTABLISHED, Outcome.STATISTICAL, Outcome.HOLDS, Outcome.PROVED)


# ---- checks at module level: workers import them by name --------------------------------------------------


def holds(level: Level) -> Verdict:
    return verdict(Outcome.HOLDS, f"fake at {level.value}", "fake")


def crashes(level: Level) -> Verdict:
    raise RuntimeError("boom")


def fake(check: Check, n: int = 1, *, uses: tuple[str, ...] = (), twins: tuple[Twin, ...] = ()) -> tuple[Claim, ...]:
    return tuple(Claim(f"Z{i}", "test", "quote", f"method {i}", Outcome.HOLDS, check, uses, twins) for i in range(n))


# ---- Outcome's order and the one combiner -----------------------------------------------------------------


def test_outcomes_carry_their_order_weakest_first() -> None:
    assert sorted(Outcome, key=lambda o: o.rank) == list(WEAKEST_FIRST)
    assert Outcome.weakest([Outcome.PROVED, Outcome.HOLDS]) is Outcome.HOLDS
    assert Outcome.weakest([Outcome.PROVED, Outcome.REFUTED, Outcome.UNKNOWN]) is Outcome.REFUTED
    assert Outcome.weakest([Outcome.PROVED]) is Outcome.PROVED
    with pytest.raises(ValueError):
        Outcome.weakest([])


def test_the_verdict_builder_never_sets_a_time_and_refuted_by_reads_a_problem() -> None:
    v = verdict(Outcome.HOLDS, "s", "m", iter(["a", "b"]), data=None)
    assert v.seconds == 0.0 and v.evidence == ("a", "b") and dict(v.data) == {}
    assert refuted_by(None, "s", "m") == verdict(Outcome.HOLDS, "s", "m")
    r = refuted_by("p", "s", "m", data={"k": 1})
    assert (r.outcome, r.counterexample, r.evidence, dict(r.data)) == (Outcome.REFUTED, "p", ("p",), {"k": 1})


# ---- the registry -----------------------------------------------------------------------------------------


def test_every_claim_holds_its_check_directly_and_only_assumptions_have_none() -> None:
    for c in CLAIMS:
        assert (c.check is None) == (c.expected is Outcome.ASSUMED), c.id
        if c.check is not None:
            assert callable(c.check) and c.check.__module__.startswith("checkers."), c.id
    assert {c.id for c in CLAIMS if c.check is None} == {c.id for c in CLAIMS if c.expected is Outcome.ASSUMED}


def test_every_claim_that_can_pass_has_twins_and_every_twin_must_be_caught() -> None:
    for c in CLAIMS:
        if c.expected in PASSING:
            assert c.twins, c.id
        if c.check is None:
            assert not c.twins, c.id
        for t in c.twins:
            assert t.description.strip() and t.expected in (Outcome.REFUTED, Outcome.UNKNOWN), (c.id, t.description)
    assert sum(len(c.twins) for c in CLAIMS) == 48


def test_claims_with_their_checks_and_twins_pickle_for_workers() -> None:
    again = pickle.loads(pickle.dumps(CLAIMS))
    assert [c.id for c in again] == [c.id for c in CLAIMS]
    assert [c.check for c in again] == [c.check for c in CLAIMS]
    assert [len(c.twins) for c in again] == [len(c.twins) for c in CLAIMS]
    pickle.dumps(claim_jobs(CLAIMS, Level.QUICK) + twin_jobs(CLAIMS, Level.QUICK))


def test_the_checker_modules_have_no_landing_machinery_and_time_nothing_of_their_own() -> None:
    for path in sorted((ROOT / "checkers").rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"has not landed|_override|importlib", text), path
        if path.name != "runner.py":  # the one place a verdict's time is measured
            assert "seconds=time" not in text and "seconds=seconds" not in text, path
    gauntlet = (ROOT / "checkers" / "gauntlet.py").read_text(encoding="utf-8")
    assert not re.search(r"\b[SRFAGEX][0-9]\b", gauntlet), "claim ids come from the claims"


# ---- the runner -------------------------------------------------------------------------------------------


def _threads() -> concurrent.futures.Executor | None:
    return concurrent.futures.ThreadPoolExecutor(2)


def _local_pool() -> concurrent.futures.Executor | None:
    return None  # the runner's own pool of processes


@pytest.mark.parametrize("make", [_threads, _local_pool])
def test_run_claims_in_an_executor_never_shows_more_started_than_workers(
    make: Callable[[], concurrent.futures.Executor | None],
) -> None:
    claims = fake(holds, 5)
    open_now: list[str] = []
    most = 0

    def start(c: Claim) -> None:
        nonlocal most
        open_now.append(c.id)
        most = max(most, len(open_now))

    executor = make()
    results = []
    for r in run_claims(claims, Level.QUICK, executor=executor, on_start=start, jobs=2):
        open_now.remove(r.claim.id)
        results.append(r)
    if executor is not None:
        executor.shutdown()
    assert sorted(r.claim.id for r in results) == [c.id for c in claims] and most == 2
    assert all(r.verdict.outcome is Outcome.HOLDS and r.verdict.scope == "fake at quick" for r in results)


def test_run_jobs_refuses_no_workers() -> None:
    with pytest.raises(ValueError, match="workers must be at least 1, got 0"):
        list(run_jobs(claim_jobs(fake(holds), Level.QUICK), workers=0))


# ---- the gauntlet's machinery -----------------------------------------------------------------------------


def refuted_twin(level: Level) -> Verdict:
    return refuted_by("a counterexample", "fake", "fake")


def holds_twin(level: Level) -> Verdict:
    return verdict(Outcome.HOLDS, "fake", "fake")


def lying_recheck(v: Verdict) -> str | None:
    return "the numbers do not add up"


def test_run_gauntlet_takes_ids_and_twins_from_the_claims_in_order() -> None:
    twins = (Twin("refuted", refuted_twin), Twin("holds", holds_twin), Twin("crashes", crashes),
             Twin("unknown wanted", refuted_twin, expected=Outcome.UNKNOWN), Twin("rechecked", refuted_twin, lying_recheck))
    claims = fake(holds, 2, twins=twins)
    trials = run_gauntlet(claims, Level.QUICK)
    assert [(t.claim, t.description) for t in trials] == [(c.id, t.description) for c in claims for t in twins]
    assert [t.caught for t in trials[:5]] == [True, False, False, False, False]
    assert trials[2].verdict.outcome is Outcome.ERROR and "RuntimeError: boom" in trials[2].verdict.evidence[0]
    assert trials[4].verdict.outcome is Outcome.UNKNOWN
    assert trials[4].verdict.evidence[-1] == "counterexample failed the exact re-check: the numbers do not add up"
    assert list(trials[0]) == ["Z0", "refuted", trials[0].verdict]
    with concurrent.futures.ThreadPoolExecutor(2) as pool:
        assert run_gauntlet(claims, Level.QUICK, pool, jobs=2) == trials


def dies(level: Level) -> Verdict:
    os._exit(3)  # the worker process itself dies


def test_a_dead_worker_is_each_twins_error_under_its_claim_never_caught() -> None:
    twins = (Twin("first", dies), Twin("second", dies, expected=Outcome.UNKNOWN))
    trials = run_gauntlet(fake(holds, twins=twins), Level.QUICK, jobs=2)
    assert [(t.claim, t.description, t.expected, t.caught) for t in trials] == [
        ("Z0", "first", Outcome.REFUTED, False), ("Z0", "second", Outcome.UNKNOWN, False)]
    for t in trials:
        v = t.verdict
        assert (v.outcome, v.scope, v.method) == (Outcome.ERROR, "none", t.description)
        assert len(v.evidence) == 1 and v.evidence[0].startswith("worker process failed: BrokenProcessPool: ")


def test_run_twin_reports_a_crash_as_an_error() -> None:
    v = run_twin(Twin("crashes", crashes), Level.QUICK)
    assert v.outcome is Outcome.ERROR and v.evidence == ("RuntimeError: boom",)
    assert isinstance(Trial("Z0", "d", v), Trial)


# ---- solvers injected, not patched ------------------------------------------------------------------------


def cvc5_unknown(text: str) -> SolverRun:
    return SolverRun("cvc5", SolverAnswer.UNKNOWN, 0.0, "simulated", None)


def test_solvers_are_a_parameter_and_a_context_not_a_module_attribute() -> None:
    x, y = z3.Reals("x y")
    hyps: list[object] = []
    goal = x * x + y * y >= 2 * x * y
    never = lambda m: False  # noqa: E731
    unknown = Solvers().with_cvc5(cvc5_unknown)
    assert smt.prove(hyps, goal, check_counterexample=never, nonlinear=True, solvers=unknown).outcome is Outcome.UNKNOWN
    with using_solvers(unknown):
        assert smt.prove(hyps, goal, check_counterexample=never, nonlinear=True).outcome is Outcome.UNKNOWN
        [a] = smt.prove_many([(hyps, goal)], check_counterexample=lambda i, m: False, nonlinear=True)
        assert a.outcome is Outcome.UNKNOWN and a.runs[-1].reason == "simulated"
    assert smt.prove(hyps, goal, check_counterexample=never, nonlinear=True).outcome is Outcome.PROVED
    tiny = smt.prove(hyps, goal, check_counterexample=never, nonlinear=True, rlimit=10**9, solvers=Solvers(rlimit=1))
    assert tiny.rlimit == 1 and tiny.outcome is Outcome.UNKNOWN


def test_a_checker_under_injected_solver_trouble_is_unknown_never_proved() -> None:
    (a4,) = by_id(["A4"])
    clear_caches("checkers")  # A4's all-k proof is memoised: neither a cached PROVED nor this UNKNOWN may leak
    try:
        with using_solvers(Solvers().with_cvc5(cvc5_unknown)):
            r = run_claim(a4, Level.QUICK)
    finally:
        clear_caches("checkers")
    assert isinstance(r, Result) and r.verdict.outcome is Outcome.UNKNOWN


# ---- the main job's unit of work: a claim with its twins ----------------------------------------------------


def test_a_claim_and_its_twins_run_as_one_job_whose_result_carries_their_trials() -> None:
    twins = (Twin("refuted", refuted_twin), Twin("holds", holds_twin))
    (claim,) = fake(holds, twins=twins)
    result = run_claim_and_twins(claim, Level.STANDARD, Level.QUICK)
    assert result.verdict.outcome is Outcome.HOLDS and result.verdict.scope == "fake at standard"
    assert [(t.claim, t.description, t.caught) for t in result.trials] == [("Z0", "refuted", True), ("Z0", "holds", False)]
    assert result.trials == tuple(run_gauntlet([claim], Level.QUICK))
    assert run_claim(claim, Level.QUICK).trials == ()


def test_a_claims_twins_run_at_the_twin_level_not_the_claims() -> None:
    (claim,) = fake(holds, twins=(Twin("reports its level", holds, expected=Outcome.HOLDS),))
    result = run_claim_and_twins(claim, Level.STANDARD, Level.QUICK)
    assert result.verdict.scope == "fake at standard"
    assert [t.verdict.scope for t in result.trials] == ["fake at quick"]


def test_a_dead_worker_running_a_claim_with_its_twins_is_an_error_for_each_never_caught() -> None:
    (claim,) = fake(dies, twins=(Twin("first", refuted_twin), Twin("second", refuted_twin, expected=Outcome.UNKNOWN)))
    with concurrent.futures.ProcessPoolExecutor(1) as pool:  # the worker dies, not this process
        ((_, result),) = run_jobs(claim_and_twin_jobs([claim], Level.QUICK, Level.QUICK), executor=pool)
    assert isinstance(result, Result) and result.verdict.outcome is Outcome.ERROR
    assert [(t.description, t.verdict.outcome, t.caught) for t in result.trials] == [
        ("first", Outcome.ERROR, False), ("second", Outcome.ERROR, False)]


class _CrashingCheck:
    """A check that is a callable object (no __qualname__ of its own) and crashes."""

    def __call__(self, level: Level) -> Verdict:
        raise RuntimeError("boom")

    def __repr__(self) -> str:
        return "_CrashingCheck()"


def test_a_crash_of_a_callable_object_check_is_named_by_its_module_and_repr() -> None:
    claim = Claim("X9", "test", "a claim", "a method", Outcome.PROVED, check=_CrashingCheck())
    v = run_claim(claim, Level.QUICK).verdict
    assert v.outcome is Outcome.ERROR
    assert v.evidence == ("tests.checkers.test_registry_runner:_CrashingCheck() raised RuntimeError: boom",)
