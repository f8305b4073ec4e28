"""The gauntlet: every claim's perturbed twins, each a nearby false statement the claim's own checks must catch.

For a claim that comes back PROVED or HOLDS, a checker is only trustworthy if it can also say
no. Each twin (a `Twin`, declared beside its claim's check in the claim's section module and
listed in its `Claim`) perturbs the claim (a tightened constant, a dropped hypothesis, an
off-by-one in a scope, a corrupted target, a model wrong on one prefix) and runs the claim's own
checker machinery on the false statement. A twin is caught only when its verdict is the expected
one: REFUTED, and where the twin carries an independent exact re-check of its counterexample
(plain Fraction arithmetic, not the checker's code), that re-check must agree too, otherwise the
verdict is turned into UNKNOWN with the reason; or UNKNOWN where the perturbation breaks a proof.
This module holds only that machinery: the twins and their ids come from the claims.
"""

from __future__ import annotations

import concurrent.futures
from collections.abc import Iterable
from dataclasses import replace

from checkers.claims import Claim, Result
from checkers.runner import Job, run_claim, run_jobs
from checkers.smt import remembering_answers
from checkers.verdict import Level, Outcome, Trial, Twin, Verdict, verdict

__all__ = ["GAUNTLET_LEVEL", "claim_and_twin_jobs", "run_claim_and_twins", "run_gauntlet", "run_trial", "run_twin",
           "twin_jobs"]

GAUNTLET_LEVEL = Level.QUICK
"""The level of the twins' own scopes: `python -m checkers` runs the gauntlet at it, beside the claims, whatever
its own level (at the standard level the twins would cost about 29 s of CPU instead of 13 s), and `python -m
checkers gauntlet` defaults to it."""


def run_twin(twin: Twin, level: Level) -> Verdict:
    """The twin's verdict; a REFUTED whose counterexample fails the twin's re-check becomes UNKNOWN.

    A crash is reported as ERROR (with the exception), never as a pass.
    """
    try:
        v = twin.run(level)
    except Exception as e:  # a crash of one twin must not hide the others
        return verdict(Outcome.ERROR, "none", twin.description, (f"{type(e).__name__}: {e}",))
    if v.outcome is Outcome.REFUTED and twin.recheck is not None:
        problem = twin.recheck(v)
        if problem is not None:
            return replace(v, outcome=Outcome.UNKNOWN, counterexample=None,
                           evidence=(*v.evidence, f"counterexample failed the exact re-check: {problem}"))
    return v


def run_trial(claim_id: str, twin: Twin, level: Level) -> Trial:
    """One twin of a claim, run: its Trial (what a worker returns)."""
    return Trial(claim_id, twin.description, run_twin(twin, level), twin.expected)


def run_claim_and_twins(claim: Claim, level: Level, twin_level: Level) -> Result:
    """The claim's check at `level`, then its twins at `twin_level`, in one worker (the main job's unit of work).

    A twin often recomputes much of its claim's check (an exact target and its event battery, the whole check,
    the same lemmas): run together, pure functions' caches and the solvers' remembered answers serve both.
    """
    with remembering_answers():
        result = run_claim(claim, level)
        return replace(result, trials=tuple(run_trial(claim.id, t, twin_level) for t in claim.twins))


def claim_and_twin_jobs(claims: Iterable[Claim], level: Level, twin_level: Level) -> list[Job]:
    """One job per claim: its check at `level`, then its twins at `twin_level` (see `run_claim_and_twins`)."""
    return [Job(c, run_claim_and_twins, (c, level, twin_level), with_twins=True) for c in claims]


def twin_jobs(claims: Iterable[Claim], level: Level) -> list[Job]:
    """One job per twin of the claims, in registry order, each claim's twins in the order it lists them."""
    return [Job(c, run_trial, (c.id, t, level), twin=t) for c in claims for t in c.twins]


def run_gauntlet(
    claims: Iterable[Claim],
    level: Level,
    executor: concurrent.futures.Executor | None = None,
    *,
    jobs: int = 1,
) -> list[Trial]:
    """Every twin of the claims with its verdict, in registry order: each must be caught, none PROVED or HOLDS.

    The twins run in `executor` (or in-process when there is none and `jobs` is 1, else in a local pool of
    `jobs` processes), as the runner runs claims.
    """
    todo = twin_jobs(claims, level)
    trials: dict[int, Trial] = {}
    for job, result in run_jobs(todo, executor=executor, workers=jobs):
        assert isinstance(result, Trial)
        trials[id(job)] = result
    return [trials[id(job)] for job in todo]
