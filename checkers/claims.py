"""The claims registry: one entry per claim of the post (ids of CLAIMS.md), and one runner.

Each entry names its checkers as "module:function" references, imported only when run, so a
checker that has not landed yet shows as NOT CHECKED (never as passing) and a crash in one
checker is that claim's ERROR while the others still run.
"""

from __future__ import annotations

import concurrent.futures
import importlib
import multiprocessing
import sys
import time
import traceback
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from checkers.appendix import a5_figure, a6_figure
from checkers.assumptions import HYPOTHESES, POST_ASSUMPTIONS
from checkers.factoring import f3_figure
from checkers.randomized_tasks import r5_figure
from checkers.verdict import Level, Outcome, Relation, Statement, Verdict
from checkers.worlds import g1_figure

if TYPE_CHECKING:
    from checkers.report.plots import Figure

__all__ = [
    "Claim", "CLAIMS", "HYPOTHESES", "POST_ORDER", "Plot", "Result", "by_id", "combine", "passed", "run_claim",
    "run_claims", "unlisted",
]


@dataclass(frozen=True)
class Plot:
    """A figure of the report drawn from a claim's verdict: its PNG's file name, its caption, and the function in
    the claim's section module that builds it from the claim's verdict and the verdicts (by id) of the claims it
    uses that were run; None when there is nothing to draw."""

    filename: str
    title: str
    build: Callable[[Verdict, Mapping[str, Verdict]], Figure | None]


@dataclass(frozen=True)
class Claim:
    """A claim of the post: where it stands, its words, how it is checked, what it should come to."""

    id: str
    section: str
    quote: str
    method: str
    expected: Outcome
    checkers: tuple[str, ...] = ()  # "module:function", each (Level) -> Verdict
    uses: tuple[str, ...] = ()  # the claims (ids) and named assumptions ("H-...") the post's argument for it uses
    plots: tuple[Plot, ...] = ()  # the report's figures of its evidence


@dataclass(frozen=True)
class Result:
    """A claim and the verdict its checkers returned at a level."""

    claim: Claim
    verdict: Verdict

    @property
    def matches(self) -> bool:
        """The verdict is the expected one and so is every sketch step it checked (a changed step is a mismatch)."""
        return self.verdict.outcome is self.claim.expected and all(step.matches for step in self.verdict.steps)


P, H, R = Outcome.PROVED, Outcome.HOLDS, Outcome.REFUTED
ST, UN = Outcome.STATISTICAL, Outcome.UNESTABLISHED

CLAIMS: tuple[Claim, ...] = (
    Claim("S1", "The Autoregressive Type Signature",
          "Under this procedure, ϕ induces a function of the form Σ* → Δ(Σ*).",
          "exact induced laws sum to 1; leaked mass reported", H, ("checkers.foundation:check_S1",)),
    Claim("S2", "Footnote 1",
          "we can convert any such randomized algorithm ϕ into a deterministic algorithm γ ... by averaging",
          "exact enumeration of coin flips; equality of induced laws", H, ("checkers.foundation:check_S2",),
          uses=("S1",)),
    Claim("S3", "Randomized Tasks",
          "it can output a next-character distribution ... (any finite response law is induced by some φ)",
          "chain_rule(D) round trip, exact", H, ("checkers.foundation:check_S3",),
          uses=("S1",)),
    Claim("S4", "Factoring",
          "conditioning the true distribution of [pq,p,q] on the first element ... forces the next two",
          "z3+cvc5: fixed (k, L) and all lengths by induction", P, ("checkers.foundation:check_S4",),
          uses=("S1", "S3")),
    Claim("R1", "Randomized Tasks",
          "output a uniform distribution over 1,2,…,9 for the first character, then ... 0,1,…,9",
          "exact induced law vs uniform over 900000 numbers", H, ("checkers.randomized_tasks:check_R1",),
          uses=("S1", "S3")),
    Claim("R2", "Footnote 2",
          "In practice though, GPT-4 is really bad at this.",
          "exact audit of the 16 answers: TVD lower bound at level α, p-values", ST, ("checkers.audit:check_R2",),
          uses=("R1",)),
    Claim("R3", "Randomized Tasks",
          "this process induces a perfect uniform distribution over the primes",
          "exact law of the randomized AR, certified residual", H, ("checkers.randomized_tasks:check_R3",),
          uses=("S1", "S2")),
    Claim("R4", "Randomized Tasks",
          "it also runs in expected poly(n) time",
          "exact expected completions tried per digit vs n", H, ("checkers.randomized_tasks:check_R4",),
          uses=("R3",)),
    Claim("R5", "Appendix: Generating primes deterministically",
          "output the desired distribution with some exponentially small error",
          "exact TVD of the deterministic generator vs n and tail length", R,
          ("checkers.randomized_tasks:check_R5",),
          uses=("S1", "R3", "X2"),
          plots=(Plot("r5_tvd.png", "R5: exact TVD of the deterministic prime generator against n and m", r5_figure),)),
    Claim("F1", "Factoring",
          "The resulting distribution of responses perfectly matches the desired one ([p,q,pq]).",
          "exact induced law = Unif(S_n); cost per token", H, ("checkers.factoring:check_F1",),
          uses=("S1", "R3")),
    Claim("F2", "Factoring (Claim 1)",
          "We're then guaranteed that a⋅b = s",
          "exhaustive over S_n; z3 encoding for small n", H,
          ("checkers.factoring:check_F2", "checkers.factoring:check_F2_smt"),
          uses=("S3", "S4")),
    Claim("F3", "Factoring",
          "[the model for [pq,p,q]] has to factor: no polytime ϕ is believed to exist",
          "Claim 1's reduction (F2, exhaustive at small n) + X1; cost per token as evidence", H,
          ("checkers.factoring:check_F3",),
          uses=("F2", "X1"),
          plots=(Plot("f3_cost.png", "F3: operations per token counted, and seconds to factor measured, against n "
                      "(caveat in the figure)", f3_figure),)),
    Claim("F4", "Footnote 3",
          "as long as both factors have the same number of digits n = ⌈½ log₁₀ s⌉",
          "exhaustive, exact integer arithmetic", H, ("checkers.factoring:check_F4",)),
    Claim("A1", "Appendix: Even approximating is hard",
          "any semiprime that appears in its support must be factorizable by the previous reduction",
          "exact, small n; SMT for n = 1", H,
          ("checkers.appendix:check_A1", "checkers.appendix:check_A1_smt"),
          uses=("F2", "S4")),
    Claim("A2", "Appendix: Even approximating is hard",
          "Overlap = 1 − TVD = Σ min(a_i p_i, 1/N)",
          "exact identity on constructed φ; sympy for min/abs", P, ("checkers.appendix:check_A2",),
          uses=("S3",)),
    Claim("A3", "Appendix: Even approximating is hard",
          "you should start by pouring in the sweetest drink",
          "greedy vs exact LP optimum", H, ("checkers.appendix:check_A3",)),
    Claim("A4", "Appendix: Even approximating is hard",
          "the smallest possibility for Σ p_i is achieved when p_1 = ⋯ = p_k = k/N by concavity",
          "sympy + z3", P, ("checkers.appendix:check_A4",)),
    Claim("A5", "Appendix: Even approximating is hard",
          "k/N < √ε ... (a potential off-by-one error here but it doesn't matter)",
          "z3+cvc5 direct and decomposed all-N proof; exact search; tight family", P,
          ("checkers.appendix:check_A5",),
          uses=("A3", "A4"),
          plots=(Plot("a5_bound.png", "A5: exact optimum² of sampled profiles and the tight family under mean p",
                      a5_figure),)),
    Claim("A6", "Appendix: Even approximating is hard",
          "Thus, TVD = 1 − o(1).",
          "table of the proven lower bound 1 − √ε", P, ("checkers.appendix:check_A6",),
          uses=("A2", "A5", "X1"),
          plots=(Plot("a6_tvd.png", "A6: exact least TVD of sampled profiles and the certified bound 1 − √ε",
                      a6_figure),)),
    Claim("G1", "Where this comes up: Games",
          "Twenty Questions ... with hash-bit questions it's computationally intractable",
          "exact equivalence with a committed answerer; cost vs universe", H, ("checkers.worlds:check_G1",),
          uses=("S4", "E1", "H-SHA256"),
          plots=(Plot("g1_cost.png", "G1: objects examined per answer, autoregressive vs committed answerer",
                      g1_figure),)),
    Claim("G2", "Where this comes up: Games",
          "generating a Sudoku puzzle ... without first generating a solution",
          "4×4 exact over all 288 grids", UN, ("checkers.worlds:check_G2",),
          uses=("S3", "S4", "E1")),
    Claim("G3", "Where this comes up: Educational use",
          "a random polynomial with n integer roots ... better generated by backtracking",
          "exact target and AR model; is the reverse hard?", UN, ("checkers.worlds:check_G3",),
          uses=("S3", "S4")),
    Claim("G4", "Where this comes up: Storytelling",
          "it's hard to figure out the culprit from the clues, but easy to generate clues from the culprit",
          "toy model, exact; inference cost measured", UN, ("checkers.worlds:check_G4",),
          uses=("S4", "E1")),
    Claim("E1", "Ways to get around this: Hidden tokens",
          "This would allow an autoregressive algorithm to simulate any general text-to-text algorithm",
          "exact public marginal = the algorithm's law", H, ("checkers.escapes:check_E1",),
          uses=("S1", "S3")),
    Claim("E2", "Ways to get around this: Nondeterministic activation functions",
          "the model could make randomized choices hidden from the user",
          "construction + exact check", H, ("checkers.escapes:check_E2",),
          uses=("S1", "S3")),
    Claim("E3", "Ways to get around this: Random seed",
          "prepend a random string of bits ... remove all other forms of randomness",
          "exact check with deterministic decoding; seed bits", H, ("checkers.escapes:check_E3",),
          uses=("S1", "S3")),
    Claim("X1", "Assumption",
          POST_ASSUMPTIONS["X1"],
          "cited, not checked (F3's cost curves beside it)", Outcome.ASSUMED),
    Claim("X2", "Assumption (Appendix)",
          POST_ASSUMPTIONS["X2"],
          "cited, not checked", Outcome.ASSUMED),
)


POST_ORDER: tuple[str, ...] = (
    "S1", "X1", "S2", "S3", "R1", "R2", "R3", "R4", "F1", "F2", "S4", "F3", "F4", "G1", "G2", "G3", "G4",
    "E1", "E2", "E3", "R5", "X2", "A1", "A2", "A3", "A4", "A5", "A6",
)
"""The claims' ids in the order the post makes them (assumptions where the post first leans on them): the order
of the reader's report (CLAIMS keeps the post's sections together)."""


def by_id(ids: Iterable[str]) -> tuple[Claim, ...]:
    """The claims with these ids, in registry order; an unknown id is an error naming it."""
    wanted = [i.upper() for i in ids]
    known = {c.id for c in CLAIMS}
    unknown = [i for i in wanted if i not in known]
    if unknown:
        raise KeyError(f"unknown claim id(s): {', '.join(unknown)}; known: {', '.join(sorted(known))}")
    return tuple(c for c in CLAIMS if c.id in wanted)


def _resolve(ref: str) -> Callable[[Level], Verdict] | None:
    """The checker function named by "module:function"; None when its module has not landed."""
    module_name, _, func_name = ref.partition(":")
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as e:
        if e.name == module_name:
            return None
        raise
    func = getattr(module, func_name, None)
    return func if callable(func) else None


def _run_one(ref: str, level: Level) -> Verdict:
    """One checker's verdict; a crash becomes ERROR with the traceback's last line as evidence."""
    start = time.perf_counter()
    try:
        func = _resolve(ref)
        if func is None:
            return Verdict(Outcome.NOT_CHECKED, scope="none", method=ref, evidence=(f"{ref} has not landed",))
        verdict = func(level)
        if not isinstance(verdict, Verdict):
            raise TypeError(f"{ref} returned {type(verdict).__name__}, not a Verdict")
        return verdict
    except Exception as e:  # a crash in one checker must not stop the others
        last = traceback.format_exception_only(type(e), e)[-1].strip()
        return Verdict(
            Outcome.ERROR, scope="none", method=ref, evidence=(f"{ref} raised {last}",),
            seconds=time.perf_counter() - start,
        )


_SEVERITY = (
    Outcome.ERROR, Outcome.REFUTED, Outcome.UNKNOWN, Outcome.NOT_CHECKED, Outcome.ASSUMED,
    Outcome.UNESTABLISHED, Outcome.STATISTICAL, Outcome.HOLDS, Outcome.PROVED,
)
"""Weakest first: combine() keeps the weakest outcome of a claim's checks."""


def _unique(items: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(items))


def combine(verdicts: list[Verdict]) -> Verdict:
    """One verdict from several checks of a claim: the weakest outcome wins (PROVED only if all are).

    Statements, the assumptions rested on, obligations and sketch steps of every check are kept.
    """
    if len(verdicts) == 1:
        return verdicts[0]
    worst = min((v.outcome for v in verdicts), key=_SEVERITY.index)
    counterexamples = [v.counterexample for v in verdicts if v.counterexample is not None]
    data: dict[str, object] = {}
    for v in verdicts:
        data.update(v.data)
    return Verdict(
        worst,
        scope="; ".join(v.scope for v in verdicts),
        method=" + ".join(v.method for v in verdicts),
        evidence=tuple(line for v in verdicts for line in v.evidence),
        counterexample="; ".join(counterexamples) if worst is Outcome.REFUTED else None,
        seconds=sum(v.seconds for v in verdicts),
        data=data,
        statements=tuple(s for v in verdicts for s in v.statements),
        rests_on=_unique(r for v in verdicts for r in v.rests_on),
        obligations=tuple(o for v in verdicts for o in v.obligations),
        steps=tuple(s for v in verdicts for s in v.steps),
    )


def unlisted(claim: Claim, verdict: Verdict) -> tuple[str, ...]:
    """What the verdict rests on that the claim does not list among its `uses` (ids, in order)."""
    return tuple(r for r in _unique(verdict.rests_on_ids) if r not in claim.uses)


def _assumed(claim: Claim) -> Verdict:
    """An assumption's verdict: reported, not run, with its one statement (an assumption)."""
    return Verdict(Outcome.ASSUMED, scope="cited", method=claim.method,
                   statements=(Statement(f"{claim.id}: {claim.quote}", Relation.ASSUMPTION, Outcome.ASSUMED),))


def run_claim(claim: Claim, level: Level) -> Result:
    """Run every checker of a claim at a level; ASSUMED claims are reported, not run.

    A verdict that rests on a claim or assumption missing from the claim's `uses` is UNKNOWN:
    the argument graph would otherwise hide what the verdict takes as given.
    """
    if claim.expected is Outcome.ASSUMED:
        return Result(claim, _assumed(claim))
    start = time.perf_counter()
    verdict = combine([_run_one(ref, level) for ref in claim.checkers])
    missing = unlisted(claim, verdict)
    if missing and verdict.outcome not in (Outcome.ERROR, Outcome.NOT_CHECKED):
        uses = ", ".join(claim.uses) or "nothing"
        verdict = replace(
            verdict, outcome=Outcome.UNKNOWN, counterexample=None,
            evidence=(f"the verdict ({verdict.label}) rests on {', '.join(missing)}, which {claim.id}'s uses "
                      f"({uses}) do not list: what it takes as given is not in the argument graph", *verdict.evidence),
        )
    return Result(claim, replace(verdict, seconds=time.perf_counter() - start))


def _run_announced(claim: Claim, level: Level, announce: bool) -> Result:
    """run_claim in a worker, saying on stderr when the claim starts (the parent says when it ends)."""
    if announce:  # one write of the whole line: workers share stderr, and print() writes the end apart
        sys.stderr.write(f"      {claim.id} started\n")
        sys.stderr.flush()
    return run_claim(claim, level)


def run_claims(
    claims: Iterable[Claim],
    level: Level,
    on_start: Callable[[Claim], None] | None = None,
    *,
    jobs: int = 1,
) -> Iterator[Result]:
    """Run claims, yielding each result as it ends (for live progress); jobs > 1 uses worker processes.

    Verdicts do not depend on the schedule: each claim's checks are deterministic and share nothing.
    """
    claims = tuple(claims)
    if jobs <= 1 or len(claims) <= 1:
        for claim in claims:
            if on_start is not None:
                on_start(claim)
            yield run_claim(claim, level)
        return
    # fork: workers inherit the registry (and anything a test patched into it) without re-importing
    context = multiprocessing.get_context("fork")
    todo = list(claims)
    with concurrent.futures.ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
        # at most `jobs` claims are handed to the pool at a time, each after the caller has taken the
        # result before it: a worker announces a claim only when it runs it, and never more than
        # `jobs` claims show as started and not ended
        pending: dict[concurrent.futures.Future[Result], Claim] = {}
        while todo or pending:
            while todo and len(pending) < jobs:
                claim = todo.pop(0)
                try:
                    pending[pool.submit(_run_announced, claim, level, on_start is not None)] = claim
                except Exception as e:  # the pool is broken: a worker died before
                    yield _worker_failed(claim, e)
            if not pending:
                continue
            done, _ = concurrent.futures.wait(pending, return_when=concurrent.futures.FIRST_COMPLETED)
            for future in [f for f in pending if f in done]:  # in the order they were handed out
                claim = pending.pop(future)
                try:
                    yield future.result()
                except Exception as e:  # the worker itself died (e.g. killed for memory)
                    yield _worker_failed(claim, e)


def _worker_failed(claim: Claim, e: Exception) -> Result:
    return Result(claim, Verdict(Outcome.ERROR, scope="none", method=claim.method,
                                 evidence=(f"worker process failed: {type(e).__name__}: {e}",)))


def passed(results: Iterable[Result]) -> bool:
    """True when every verdict is the expected one."""
    return all(r.matches for r in results)
