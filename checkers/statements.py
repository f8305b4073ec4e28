"""Registry-side wrappers that give a checker's verdict its formal statements, without editing the checker.

A3's checker (checkers.overlap.check_A3) reports its exact scope; the wrapper renders the statement
from that scope, so the statement says exactly what the checker covered at the level it ran.
"""

from __future__ import annotations

from dataclasses import replace

from checkers import overlap
from checkers.verdict import Level, Relation, Statement, Verdict

__all__ = ["check_A3", "a3_statements"]


def a3_statements(verdict: Verdict) -> tuple[Statement, ...]:
    """A3's statements, rendered from the scope the checker reports: a finite-scope special case of 'greedy is optimal'."""
    return (
        Statement(
            "for every sorted sweetness profile p of the scope, the greedy pour (sweetest first, each drink until "
            f"its sugar a_i·p_i reaches 1/N) attains the exact maximum of Σ min(a_i·p_i, 1/N) over mixtures a: {verdict.scope}",
            Relation.SPECIAL_CASE, verdict.outcome),
    )


def check_A3(level: Level) -> Verdict:
    """A3 (checkers.overlap.check_A3) with its formal statement."""
    verdict = overlap.check_A3(level)
    return replace(verdict, statements=(*verdict.statements, *a3_statements(verdict)))
