"""The one runner: it runs claims' checks (and, for the gauntlet, their twins) and times them.

`run_claim` is the only place that measures a claim's time (`Verdict.seconds`) and turns a crash
into that claim's ERROR. `run_claims` runs many: in this process, in a local pool of worker
processes, or in any `concurrent.futures.Executor` (e.g. a Dask cluster's), yielding each result
as it finishes. What is sent to a worker is a `Job`: the claim (its check and twins are
module-level functions, so it pickles), a module-level function and its arguments; nothing relies
on a worker inheriting this process's state. Verdicts do not depend on the schedule: each check
is deterministic and shares nothing with the others.
"""

from __future__ import annotations

import concurrent.futures
import time
import traceback
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace

from checkers.claims import Check, Claim, Result, unlisted
from checkers.smt import remembering_answers
from checkers.verdict import Level, Outcome, Relation, Statement, Trial, Twin, Verdict, verdict

__all__ = ["Job", "claim_jobs", "run_claim", "run_claims", "run_jobs"]


def _name(check: Check) -> str:
    """A check as "module:function" (its name in the evidence of an ERROR)."""
    return f"{getattr(check, '__module__', '?')}:{getattr(check, '__qualname__', repr(check))}"


def _assumed(claim: Claim) -> Verdict:
    """An assumption's verdict: reported, not run, with its one statement (an assumption)."""
    return verdict(Outcome.ASSUMED, "cited", claim.method,
                   statements=(Statement(f"{claim.id}: {claim.quote}", Relation.ASSUMPTION, Outcome.ASSUMED),))


def _checked(claim: Claim, check: Check, level: Level) -> Verdict:
    """The check's verdict; a crash is ERROR with the exception's last line as evidence.

    A verdict that rests on a claim or assumption missing from the claim's `uses` is UNKNOWN: the
    argument graph would otherwise hide what the verdict takes as given.
    """
    ref = _name(check)
    try:
        v = check(level)
        if not isinstance(v, Verdict):
            raise TypeError(f"{ref} returned {type(v).__name__}, not a Verdict")
    except Exception as e:  # a crash in one check must not stop the others
        last = traceback.format_exception_only(type(e), e)[-1].strip()
        return verdict(Outcome.ERROR, "none", ref, (f"{ref} raised {last}",))
    missing = unlisted(claim, v)
    if missing and v.outcome is not Outcome.ERROR:
        uses = ", ".join(claim.uses) or "nothing"
        v = replace(
            v, outcome=Outcome.UNKNOWN, counterexample=None,
            evidence=(f"the verdict ({v.label}) rests on {', '.join(missing)}, which {claim.id}'s uses "
                      f"({uses}) do not list: what it takes as given is not in the argument graph", *v.evidence),
        )
    return v


def run_claim(claim: Claim, level: Level) -> Result:
    """Run a claim's check at a level and time it (the only clock of a verdict); an assumption is reported, not run.

    Solver answers are remembered for the run (`smt.remembering_answers`): a text asked twice is solved once.
    """
    start = time.perf_counter()
    with remembering_answers():
        v = _assumed(claim) if claim.check is None else _checked(claim, claim.check, level)
    return Result(claim, replace(v, seconds=time.perf_counter() - start))


@dataclass(frozen=True)
class Job:
    """One unit of work for a worker: `run(*args)`, a claim's check or one of its twins.

    `run` is a module-level function and `args` pickle (claims included), so a job can go to any executor.
    """

    claim: Claim
    run: Callable[..., Result | Trial]
    args: tuple[object, ...]
    twin: Twin | None = None  # the twin this job runs; None: the claim's own check
    with_twins: bool = False  # the claim's check, then its twins: the Result carries their trials

    def failed(self, error: BaseException) -> Result | Trial:
        """The job's ERROR when its worker died (e.g. killed for memory): never a pass (nor a caught twin)."""
        why = f"worker process failed: {type(error).__name__}: {error}"

        def trial(twin: Twin) -> Trial:
            return Trial(self.claim.id, twin.description, verdict(Outcome.ERROR, "none", twin.description, (why,)),
                         twin.expected)

        if self.twin is not None:
            return trial(self.twin)
        return Result(self.claim, verdict(Outcome.ERROR, "none", self.claim.method, (why,)),
                      tuple(trial(t) for t in self.claim.twins) if self.with_twins else ())


def claim_jobs(claims: Iterable[Claim], level: Level) -> list[Job]:
    """One job per claim: its check at the level."""
    return [Job(c, run_claim, (c, level)) for c in claims]


def run_jobs(
    jobs: Sequence[Job],
    *,
    executor: concurrent.futures.Executor | None = None,
    workers: int = 1,
    on_start: Callable[[Claim], None] | None = None,
) -> Iterator[tuple[Job, Result | Trial]]:
    """Run the jobs, yielding each with its result as it finishes (for live progress).

    In this process when no executor is given and `workers` is 1 (or there is one job); else in `executor`, or
    in a local pool of `workers` processes. At most `workers` jobs are handed out at a time, in order, each when
    the caller has taken a result: `on_start(claim)` is called in this process as a claim's check is handed out,
    so never more than `workers` claims show as started and not ended. Jobs that finish together are yielded in
    the order they were handed out.
    """
    if workers < 1:
        raise ValueError(f"workers must be at least 1, got {workers}")
    if executor is None and (workers == 1 or len(jobs) <= 1):
        for job in jobs:
            if on_start is not None and job.twin is None:
                on_start(job.claim)
            yield job, job.run(*job.args)
        return
    if executor is None:
        with concurrent.futures.ProcessPoolExecutor(max_workers=workers) as pool:
            yield from _scheduled(jobs, pool, workers, on_start)
    else:
        yield from _scheduled(jobs, executor, workers, on_start)


def _scheduled(
    jobs: Sequence[Job], executor: concurrent.futures.Executor, workers: int,
    on_start: Callable[[Claim], None] | None,
) -> Iterator[tuple[Job, Result | Trial]]:
    todo = list(jobs)
    pending: dict[concurrent.futures.Future[Result | Trial], Job] = {}
    while todo or pending:
        while todo and len(pending) < workers:
            job = todo.pop(0)
            if on_start is not None and job.twin is None:
                on_start(job.claim)
            try:
                pending[executor.submit(job.run, *job.args)] = job
            except Exception as e:  # the executor is broken: a worker died before
                yield job, job.failed(e)
        if not pending:
            continue
        done, _ = concurrent.futures.wait(pending, return_when=concurrent.futures.FIRST_COMPLETED)
        for future in [f for f in pending if f in done]:  # in the order they were handed out
            job = pending.pop(future)
            try:
                yield job, future.result()
            except Exception as e:  # the worker itself died (e.g. killed for memory)
                yield job, job.failed(e)


def run_claims(
    claims: Iterable[Claim],
    level: Level,
    *,
    executor: concurrent.futures.Executor | None = None,
    on_start: Callable[[Claim], None] | None = None,
    jobs: int = 1,
) -> Iterator[Result]:
    """Run the claims' checks, yielding each result as it finishes (see `run_jobs`): in this process when `jobs`
    is 1 and no executor is given, else in `executor` or a local pool of `jobs` processes, `jobs` at a time."""
    for _, result in run_jobs(claim_jobs(claims, level), executor=executor, workers=jobs, on_start=on_start):
        assert isinstance(result, Result)
        yield result
