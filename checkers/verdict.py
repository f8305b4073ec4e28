"""Verdicts: what a checker may conclude about a claim, and the evidence it must carry.

UNKNOWN, ERROR and NOT_CHECKED are their own cases and never count as a pass.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Mapping

__all__ = ["Level", "Outcome", "Verdict", "PASSING"]


class Level(enum.Enum):
    """How far a checker goes: the test suite uses QUICK, the main job STANDARD."""

    QUICK = "quick"
    STANDARD = "standard"
    DEEP = "deep"


class Outcome(enum.Enum):
    """What a check concluded."""

    PROVED = "PROVED"  # a solver proved the negation unsat (nonlinear: z3 and cvc5), or an exact identity
    HOLDS = "HOLDS"  # checked exhaustively over the stated finite scope
    REFUTED = "REFUTED"  # a counterexample, re-checked in exact arithmetic
    UNKNOWN = "UNKNOWN"  # a solver gave up, timed out, or the solvers disagreed
    NOT_CHECKED = "NOT CHECKED"  # no checker has landed for the claim yet
    ASSUMED = "ASSUMED"  # a cited assumption of the post, not checked
    ERROR = "ERROR"  # the checker crashed


PASSING = frozenset({Outcome.PROVED, Outcome.HOLDS})


@dataclass(frozen=True)
class Verdict:
    """A checker's conclusion about one claim, with its scope, method and evidence.

    `evidence` lines are human-readable facts behind the outcome (solver answers, counts,
    obligations); `counterexample` is set exactly when the outcome is REFUTED; `data` holds
    JSON-able tables for reports and plots (lists of dicts of str/int/float/str(Fraction)).
    """

    outcome: Outcome
    scope: str
    method: str
    evidence: tuple[str, ...] = ()
    counterexample: str | None = None
    seconds: float = 0.0
    data: Mapping[str, object] = field(default_factory=dict)

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

    def __str__(self) -> str:
        """The outcome, scope and method, then one evidence line each (and the counterexample)."""
        lines = [f"{self.outcome.value}: {self.scope}", f"  method: {self.method}"]
        lines += [f"  {line}" for line in self.evidence]
        if self.counterexample is not None:
            lines.append(f"  counterexample: {self.counterexample}")
        return "\n".join(lines)

    @property
    def passed(self) -> bool:
        """True only for PROVED and HOLDS: UNKNOWN, ERROR and NOT CHECKED never pass."""
        return self.outcome in PASSING
