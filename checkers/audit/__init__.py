"""Auditing samples against a task's exact target (footnote 2's check and the audit library); `cli` is
`python -m checkers audit`, `model` and `lm` audit a real language model as φ (`python -m checkers audit-model`,
the `lm` extra)."""

from checkers.audit.samples import (
    FOOTNOTE2,
    AuditReport,
    Battery,
    EventTest,
    Feature,
    Finding,
    MalformedSamples,
    as_alpha,
    audit,
    battery,
    binomial_tail,
    check_R2,
    clopper_pearson_lower,
    decimal,
    findings,
    uniform_number_target,
)

__all__ = [
    "FOOTNOTE2",
    "MalformedSamples",
    "Feature",
    "EventTest",
    "Battery",
    "Finding",
    "AuditReport",
    "binomial_tail",
    "clopper_pearson_lower",
    "as_alpha",
    "battery",
    "findings",
    "audit",
    "uniform_number_target",
    "decimal",
    "check_R2",
]
