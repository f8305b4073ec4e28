"""The claims registry: one entry per claim of the post (ids of CLAIMS.md).

Each entry holds the post's words, where they stand, how they are checked (`check`, a function of
its section module, imported here directly), what the check should come to, the claims it uses,
its perturbed twins (false variants declared beside the check, run by the gauntlet) and the
report's figures of its evidence. The runner (checkers/runner.py) runs the checks; the gauntlet
(checkers/gauntlet.py) runs the twins.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from checkers.appendix import (
    TWINS_A1,
    TWINS_A2,
    TWINS_A3,
    TWINS_A4,
    TWINS_A5,
    TWINS_A6,
    a5_figure,
    a6_figure,
    check_A1,
    check_A2,
    check_A3,
    check_A4,
    check_A5,
    check_A6,
)
from checkers.assumptions import HYPOTHESES, POST_ASSUMPTIONS
from checkers.audit.samples import TWINS_R2, check_R2
from checkers.escapes import TWINS_E1, TWINS_E2, TWINS_E3, check_E1, check_E2, check_E3
from checkers.factoring import TWINS_F1, TWINS_F2, TWINS_F3, TWINS_F4, check_F1, check_F2, check_F3, check_F4, f3_figure
from checkers.foundation import TWINS_S1, TWINS_S2, TWINS_S3, TWINS_S4, check_S1, check_S2, check_S3, check_S4
from checkers.randomized_tasks import (
    TWINS_R1,
    TWINS_R3,
    TWINS_R4,
    TWINS_R5,
    check_R1,
    check_R3,
    check_R4,
    check_R5,
    r5_figure,
)
from checkers.verdict import Level, Outcome, Trial, Twin, Verdict
from checkers.worlds import (
    TWINS_G1,
    TWINS_G2,
    TWINS_G3,
    TWINS_G4,
    check_G1,
    check_G2,
    check_G3,
    check_G4,
    g1_figure,
)

if TYPE_CHECKING:
    from checkers.report.plots import Figure

__all__ = [
    "Check", "Claim", "CLAIMS", "HYPOTHESES", "POST_ORDER", "Plot", "Result", "by_id", "passed", "unlisted",
]

Check = Callable[[Level], Verdict]


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
    """A claim of the post: where it stands, its words, how it is checked, what it should come to, its twins.

    `check` is None exactly for a cited assumption (expected ASSUMED): it is reported, not run. `twins` are
    the claim's perturbed twins: false variants that the gauntlet runs and that must be caught.
    """

    id: str
    section: str
    quote: str
    method: str
    expected: Outcome
    check: Check | None = None
    uses: tuple[str, ...] = ()  # the claims (ids) and named assumptions ("H-...") the post's argument for it uses
    twins: tuple[Twin, ...] = ()
    plots: tuple[Plot, ...] = ()  # the report's figures of its evidence

    def __post_init__(self) -> None:
        if (self.check is None) != (self.expected is Outcome.ASSUMED):
            raise ValueError(f"claim {self.id}: a check is needed exactly when the claim is not an assumption "
                             f"(expected {self.expected.value}, check {'missing' if self.check is None else 'given'})")


@dataclass(frozen=True)
class Result:
    """A claim and the verdict its check returned at a level (and, when they ran beside it, its twins' trials)."""

    claim: Claim
    verdict: Verdict
    trials: tuple[Trial, ...] = ()

    @property
    def matches(self) -> bool:
        """The verdict is the expected one and so is every sketch step it checked (a changed step is a mismatch)."""
        return self.verdict.outcome is self.claim.expected and all(step.matches for step in self.verdict.steps)


P, H, R = Outcome.PROVED, Outcome.HOLDS, Outcome.REFUTED
ST, UN = Outcome.STATISTICAL, Outcome.UNESTABLISHED

CLAIMS: tuple[Claim, ...] = (
    Claim("S1", "The Autoregressive Type Signature",
          "Under this procedure, ϕ induces a function of the form Σ* → Δ(Σ*).",
          "exact induced laws sum to 1; leaked mass reported", H, check_S1, twins=TWINS_S1),
    Claim("S2", "Footnote 1",
          "we can convert any such randomized algorithm ϕ into a deterministic algorithm γ ... by averaging",
          "exact enumeration of coin flips; equality of induced laws", H, check_S2,
          uses=("S1",), twins=TWINS_S2),
    Claim("S3", "Randomized Tasks",
          "it can output a next-character distribution ... (any finite response law is induced by some φ)",
          "chain_rule(D) round trip, exact", H, check_S3,
          uses=("S1",), twins=TWINS_S3),
    Claim("S4", "Factoring",
          "conditioning the true distribution of [pq,p,q] on the first element ... forces the next two",
          "z3+cvc5: fixed (k, L) and all lengths by induction", P, check_S4,
          uses=("S1", "S3"), twins=TWINS_S4),
    Claim("R1", "Randomized Tasks",
          "output a uniform distribution over 1,2,…,9 for the first character, then ... 0,1,…,9",
          "exact induced law vs uniform over 900000 numbers", H, check_R1,
          uses=("S1", "S3"), twins=TWINS_R1),
    Claim("R2", "Footnote 2",
          "In practice though, GPT-4 is really bad at this.",
          "exact audit of the 16 answers: TVD lower bound at level α, p-values", ST, check_R2,
          uses=("R1",), twins=TWINS_R2),
    Claim("R3", "Randomized Tasks",
          "this process induces a perfect uniform distribution over the primes",
          "exact law of the randomized AR, certified residual", H, check_R3,
          uses=("S1", "S2"), twins=TWINS_R3),
    Claim("R4", "Randomized Tasks",
          "it also runs in expected poly(n) time",
          "exact expected completions tried per digit vs n", H, check_R4,
          uses=("R3",), twins=TWINS_R4),
    Claim("R5", "Appendix: Generating primes deterministically",
          "output the desired distribution with some exponentially small error",
          "exact TVD of the deterministic generator vs n and tail length", R, check_R5,
          uses=("S1", "R3", "X2"), twins=TWINS_R5,
          plots=(Plot("r5_tvd.png", "R5: exact TVD of the deterministic prime generator against n and m", r5_figure),)),
    Claim("F1", "Factoring",
          "The resulting distribution of responses perfectly matches the desired one ([p,q,pq]).",
          "exact induced law = Unif(S_n); cost per token", H, check_F1,
          uses=("S1", "R3"), twins=TWINS_F1),
    Claim("F2", "Factoring (Claim 1)",
          "We're then guaranteed that a⋅b = s",
          "exhaustive over S_n; z3 encoding for small n", H, check_F2,
          uses=("S3", "S4"), twins=TWINS_F2),
    Claim("F3", "Factoring",
          "[the model for [pq,p,q]] has to factor: no polytime ϕ is believed to exist",
          "Claim 1's reduction (F2, exhaustive at small n) + X1; cost per token as evidence", H, check_F3,
          uses=("F2", "X1"), twins=TWINS_F3,
          plots=(Plot("f3_cost.png", "F3: operations per token counted, and seconds to factor measured, against n "
                      "(caveat in the figure)", f3_figure),)),
    Claim("F4", "Footnote 3",
          "as long as both factors have the same number of digits n = ⌈½ log₁₀ s⌉",
          "exhaustive, exact integer arithmetic", H, check_F4, twins=TWINS_F4),
    Claim("A1", "Appendix: Even approximating is hard",
          "any semiprime that appears in its support must be factorizable by the previous reduction",
          "exact, small n; SMT for n = 1", H, check_A1,
          uses=("F2", "S4"), twins=TWINS_A1),
    Claim("A2", "Appendix: Even approximating is hard",
          "Overlap = 1 − TVD = Σ min(a_i p_i, 1/N)",
          "exact identity on constructed φ; sympy for min/abs", P, check_A2,
          uses=("S3",), twins=TWINS_A2),
    Claim("A3", "Appendix: Even approximating is hard",
          "you should start by pouring in the sweetest drink",
          "greedy vs exact LP optimum", H, check_A3, twins=TWINS_A3),
    Claim("A4", "Appendix: Even approximating is hard",
          "the smallest possibility for Σ p_i is achieved when p_1 = ⋯ = p_k = k/N by concavity",
          "sympy + z3", P, check_A4, twins=TWINS_A4),
    Claim("A5", "Appendix: Even approximating is hard",
          "k/N < √ε ... (a potential off-by-one error here but it doesn't matter)",
          "z3+cvc5 direct and decomposed all-N proof; exact search; tight family", P, check_A5,
          uses=("A3", "A4"), twins=TWINS_A5,
          plots=(Plot("a5_bound.png", "A5: exact optimum² of sampled profiles and the tight family under mean p",
                      a5_figure),)),
    Claim("A6", "Appendix: Even approximating is hard",
          "Thus, TVD = 1 − o(1).",
          "table of the proven lower bound 1 − √ε", P, check_A6,
          uses=("A2", "A5", "X1"), twins=TWINS_A6,
          plots=(Plot("a6_tvd.png", "A6: exact least TVD of sampled profiles and the certified bound 1 − √ε",
                      a6_figure),)),
    Claim("G1", "Where this comes up: Games",
          "Twenty Questions ... with hash-bit questions it's computationally intractable",
          "exact equivalence with a committed answerer; cost vs universe", H, check_G1,
          uses=("S4", "E1", "H-SHA256"), twins=TWINS_G1,
          plots=(Plot("g1_cost.png", "G1: objects examined per answer, autoregressive vs committed answerer",
                      g1_figure),)),
    Claim("G2", "Where this comes up: Games",
          "generating a Sudoku puzzle ... without first generating a solution",
          "4×4 exact over all 288 grids", UN, check_G2,
          uses=("S3", "S4", "E1"), twins=TWINS_G2),
    Claim("G3", "Where this comes up: Educational use",
          "a random polynomial with n integer roots ... better generated by backtracking",
          "exact target and AR model; is the reverse hard?", UN, check_G3,
          uses=("S3", "S4"), twins=TWINS_G3),
    Claim("G4", "Where this comes up: Storytelling",
          "it's hard to figure out the culprit from the clues, but easy to generate clues from the culprit",
          "toy model, exact; inference cost measured", UN, check_G4,
          uses=("S4", "E1"), twins=TWINS_G4),
    Claim("E1", "Ways to get around this: Hidden tokens",
          "This would allow an autoregressive algorithm to simulate any general text-to-text algorithm",
          "exact public marginal = the algorithm's law", H, check_E1,
          uses=("S1", "S3"), twins=TWINS_E1),
    Claim("E2", "Ways to get around this: Nondeterministic activation functions",
          "the model could make randomized choices hidden from the user",
          "construction + exact check", H, check_E2,
          uses=("S1", "S3"), twins=TWINS_E2),
    Claim("E3", "Ways to get around this: Random seed",
          "prepend a random string of bits ... remove all other forms of randomness",
          "exact check with deterministic decoding; seed bits", H, check_E3,
          uses=("S1", "S3"), twins=TWINS_E3),
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


def unlisted(claim: Claim, verdict: Verdict) -> tuple[str, ...]:
    """What the verdict rests on that the claim does not list among its `uses` (ids, in order)."""
    return tuple(r for r in dict.fromkeys(verdict.rests_on_ids) if r not in claim.uses)


def passed(results: Iterable[Result]) -> bool:
    """True when every verdict is the expected one."""
    return all(r.matches for r in results)
