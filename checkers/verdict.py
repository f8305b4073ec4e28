"""Verdicts: what a checker may conclude about a claim, and the evidence it must carry.

UNKNOWN and ERROR are their own cases and never count as a pass. A verdict says
exactly what was shown: its formal statements each carry their relation to the post's words,
the assumptions it rests on are named, a statistical result is STATISTICAL (with its α) and a
claim whose checks do not reach its words is UNESTABLISHED.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

__all__ = ["Level", "Outcome", "Relation", "Statement", "Step", "Verdict", "PASSING", "Recheck", "Trial", "Twin",
           "combine", "verdict", "refuted_by"]


class Level(enum.Enum):
    """How far a checker goes: the test suite uses QUICK, the main job STANDARD."""

    QUICK = "quick"
    STANDARD = "standard"
    DEEP = "deep"


class Outcome(enum.Enum):
    """What a check concluded."""

    PROVED = "PROVED"  # a solver proof (every link kernel-checked, premises satisfiable), or an exact identity
    HOLDS = "HOLDS"  # checked exhaustively, exactly, over the stated finite scope
    STATISTICAL = "STATISTICAL"  # a statistical test rejected the contrary at the stated level α
    UNESTABLISHED = "UNESTABLISHED"  # the checks ran, but what they show does not reach the post's words
    REFUTED = "REFUTED"  # a counterexample to the claim itself, re-checked in exact arithmetic
    UNKNOWN = "UNKNOWN"  # a solver gave up or disagreed, a link or a premise failed, premises vacuous
    ASSUMED = "ASSUMED"  # a cited assumption of the post, not checked
    ERROR = "ERROR"  # the checker crashed

    @property
    def rank(self) -> int:
        """The outcome's strength, weakest first: ERROR < REFUTED < UNKNOWN < ASSUMED <
        UNESTABLISHED < STATISTICAL < HOLDS < PROVED. Several checks of one claim come to the weakest."""
        return _RANK[self]

    @classmethod
    def weakest(cls, outcomes: Iterable[Outcome]) -> Outcome:
        """The weakest of the outcomes (PROVED only if all are); there must be at least one."""
        return min(outcomes, key=lambda o: o.rank)


_RANK = {o: i for i, o in enumerate((
    Outcome.ERROR, Outcome.REFUTED, Outcome.UNKNOWN, Outcome.ASSUMED,
    Outcome.UNESTABLISHED, Outcome.STATISTICAL, Outcome.HOLDS, Outcome.PROVED,
))}

PASSING = frozenset({Outcome.PROVED, Outcome.HOLDS})


class Relation(enum.Enum):
    """How a formal statement that was checked relates to the post's sentence."""

    SAME = "the same statement"
    SPECIAL_CASE = "a special case (finite scope)"
    CORRECTED = "a corrected form of the post's statement"
    NECESSARY = "a necessary condition"
    EVIDENCE = "evidence only (a measurement)"
    ASSUMPTION = "an assumption (cited, not checked)"


@dataclass(frozen=True)
class Statement:
    """A formal statement a checker actually checked, its outcome, and how it relates to the post's words."""

    text: str
    relation: Relation
    outcome: Outcome

    def line(self) -> str:
        """`[OUTCOME] text (relation)`."""
        return f"[{self.outcome.value}] {self.text} ({self.relation.value})"

    def to_json(self) -> dict[str, str]:
        """JSON-able form."""
        return {"text": self.text, "relation": self.relation.value, "outcome": self.outcome.value}


@dataclass(frozen=True)
class Step:
    """A step of the post's own argument (its sketch), checked on its own: a node of the argument graph.

    `expected` is what the suite expects of the step (REFUTED where the post's step is wrong);
    `corrected` is the corrected statement, when the step as written fails.
    """

    id: str  # the claim's id, a dot and the step's number
    words: str  # the step as the post (or its reading) puts it
    outcome: Outcome
    expected: Outcome
    evidence: tuple[str, ...] = ()
    counterexample: str | None = None
    corrected: str | None = None

    @property
    def matches(self) -> bool:
        """The step came out as expected."""
        return self.outcome is self.expected

    def to_json(self) -> dict[str, object]:
        """JSON-able form."""
        return {"id": self.id, "words": self.words, "outcome": self.outcome.value, "expected": self.expected.value,
                "matches": self.matches, "evidence": list(self.evidence), "counterexample": self.counterexample,
                "corrected": self.corrected}


@dataclass(frozen=True)
class Verdict:
    """A checker's conclusion about one claim, with its scope, method and evidence.

    `evidence` lines are human-readable facts behind the outcome (solver answers, counts);
    `counterexample` is set exactly when the outcome is REFUTED; `seconds` is the wall time the runner
    measured (checkers do not time themselves: build verdicts with `verdict`); `data` holds JSON-able tables
    for reports and plots. `statements` are the formal statements checked, with their relation to
    the post's words; `rests_on` names the claims (the post's assumptions, other claims) whose truth
    the verdict takes as given; `obligations` are JSON-able records of the proof obligations behind
    a PROVED (rendered statement, SMT-LIB2 SHA-256 per solver, vacuity witness); `steps` are the
    post's own sketch steps, checked one by one.
    """

    outcome: Outcome
    scope: str
    method: str
    evidence: tuple[str, ...] = ()
    counterexample: str | None = None
    seconds: float = 0.0
    data: Mapping[str, object] = field(default_factory=dict)
    statements: tuple[Statement, ...] = ()
    rests_on: tuple[str, ...] = ()
    obligations: tuple[Mapping[str, object], ...] = ()
    steps: tuple[Step, ...] = ()

    def __post_init__(self) -> None:
        if not isinstance(self.outcome, Outcome):
            raise TypeError(f"Verdict.outcome must be an Outcome, got {self.outcome!r}")
        if (self.outcome is Outcome.REFUTED) != (self.counterexample is not None):
            raise ValueError(
                f"a {self.outcome.value} verdict must {'' if self.outcome is Outcome.REFUTED else 'not '}"
                f"carry a counterexample (scope {self.scope!r})"
            )
        if not self.scope:
            raise ValueError("a verdict must state its scope")

    @property
    def rests_on_ids(self) -> tuple[str, ...]:
        """The ids of what the verdict rests on: each `rests_on` entry up to its first ':' ("H-...: words" → "H-...")."""
        return tuple(r.partition(":")[0].strip() for r in self.rests_on)

    @property
    def label(self) -> str:
        """The outcome as shown to a reader: `PROVED given` the assumptions' ids when the verdict rests on some."""
        given = [r for r in self.rests_on_ids if r.startswith("X") or r.startswith("H")]
        return self.outcome.value + (f" given {', '.join(given)}" if given else "")

    def __str__(self) -> str:
        """The outcome, scope and method, then one evidence line each (and the counterexample)."""
        lines = [f"{self.label}: {self.scope}", f"  method: {self.method}"]
        lines += [f"  statement {s.line()}" for s in self.statements]
        lines += [f"  step {s.id} [{s.outcome.value}] {s.words}" for s in self.steps]
        lines += [f"  {line}" for line in self.evidence]
        if self.counterexample is not None:
            lines.append(f"  counterexample: {self.counterexample}")
        return "\n".join(lines)

    @property
    def passed(self) -> bool:
        """True only for PROVED and HOLDS: UNKNOWN and ERROR never pass."""
        return self.outcome in PASSING


def verdict(
    outcome: Outcome,
    scope: str,
    method: str,
    evidence: Iterable[str] = (),
    *,
    counterexample: str | None = None,
    data: Mapping[str, object] | None = None,
    statements: Iterable[Statement] = (),
    rests_on: Iterable[str] = (),
    obligations: Iterable[Mapping[str, object]] = (),
    steps: Iterable[Step] = (),
) -> Verdict:
    """The one way a checker builds its verdict: every field but `seconds`, which only the runner sets."""
    return Verdict(outcome, scope, method, tuple(evidence), counterexample, 0.0, data if data is not None else {},
                   tuple(statements), tuple(rests_on), tuple(obligations), tuple(steps))


def refuted_by(problem: str | None, scope: str, method: str, *, data: Mapping[str, object] | None = None) -> Verdict:
    """REFUTED with the problem as its counterexample (and evidence), or HOLDS over the scope when there is none."""
    if problem is not None:
        return verdict(Outcome.REFUTED, scope, method, (problem,), counterexample=problem, data=data)
    return verdict(Outcome.HOLDS, scope, method)


def _unique(items: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(items))


def combine(verdicts: Sequence[Verdict]) -> Verdict:
    """One verdict from several checks of a claim: the weakest outcome wins (PROVED only if all are).

    Statements, the assumptions rested on, obligations and sketch steps of every check are kept.
    """
    if len(verdicts) == 1:
        return verdicts[0]
    weakest = Outcome.weakest(v.outcome for v in verdicts)
    counterexamples = [v.counterexample for v in verdicts if v.counterexample is not None]
    data: dict[str, object] = {}
    for v in verdicts:
        data.update(v.data)
    return verdict(
        weakest,
        "; ".join(v.scope for v in verdicts),
        " + ".join(v.method for v in verdicts),
        (line for v in verdicts for line in v.evidence),
        counterexample="; ".join(counterexamples) if weakest is Outcome.REFUTED else None,
        data=data,
        statements=(s for v in verdicts for s in v.statements),
        rests_on=_unique(r for v in verdicts for r in v.rests_on),
        obligations=(o for v in verdicts for o in v.obligations),
        steps=(s for v in verdicts for s in v.steps),
    )


Recheck = Callable[[Verdict], str | None]
"""Why a twin's counterexample fails an independent exact re-check (plain Fractions, not the checker's code), or None."""


@dataclass(frozen=True)
class Twin:
    """A perturbed twin of a claim: a nearby false statement, and the claim's own check run on it.

    It is declared beside the claim's check, in the claim's section module, and listed in its `Claim`.
    `run(level)` must come back `expected`: REFUTED (with a counterexample, which `recheck`, when given,
    confirms independently), or UNKNOWN where the perturbation breaks a proof (a vacuous premise, a broken
    link, a hand-edited statement). `run` and `recheck` are module-level functions (or partials of them):
    twins are sent to worker processes.
    """

    description: str
    run: Callable[[Level], Verdict]
    recheck: Recheck | None = None
    expected: Outcome = Outcome.REFUTED


@dataclass(frozen=True)
class Trial:
    """A twin's run: it is caught when its verdict is the expected one (never PROVED or HOLDS)."""

    claim: str
    description: str
    verdict: Verdict
    expected: Outcome = Outcome.REFUTED

    @property
    def caught(self) -> bool:
        """The perturbed claim came back as it must (REFUTED, or UNKNOWN for a broken proof)."""
        return self.verdict.outcome is self.expected

    def __iter__(self) -> Iterator[Any]:
        """(claim, description, verdict), as the report's rows."""
        return iter((self.claim, self.description, self.verdict))
