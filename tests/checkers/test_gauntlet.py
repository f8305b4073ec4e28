"""The gauntlet's machinery (checkers.gauntlet): run_twin, its exact re-check of a twin's counterexample, and
crashes reported as ERROR. Each section's twins (and their re-checks) are tested with the section."""

from __future__ import annotations

from fractions import Fraction

from checkers import appendix
from checkers.claims import by_id
from checkers.gauntlet import GAUNTLET_LEVEL, run_trial, run_twin
from checkers.verdict import PASSING, Level, Outcome, Twin, Verdict


def _tightened_bound() -> Twin:
    (a2,) = by_id(["A2"])
    return next(t for t in a2.twins if t.description.startswith("tightened bound"))


def _lie(level: Level) -> Verdict:
    # a lying checker: it claims "TVD ≤ 1/2" fails on a pair at TVD 0
    return Verdict(Outcome.REFUTED, scope="fake", method="fake", counterexample="d1 = d2",
                   data={"pair": [{"a": "1"}, {"a": "1"}]})


def test_a_refutation_whose_counterexample_fails_the_recheck_is_not_counted() -> None:
    honest = _tightened_bound()
    assert honest.recheck is not None
    v = run_twin(Twin(honest.description, _lie, honest.recheck), Level.QUICK)
    assert v.outcome is Outcome.UNKNOWN and "failed the exact re-check" in v.evidence[-1]


def test_a_recheck_refuses_counterexample_laws_that_do_not_sum_to_one() -> None:
    honest = _tightened_bound()
    assert honest.recheck is not None
    bogus = Verdict(Outcome.REFUTED, scope="fake", method="fake", counterexample="x",
                    data={"pair": [{"a": "1", "b": "1"}, {"c": str(Fraction(1))}]})
    assert honest.recheck(bogus) == "the counterexample's laws do not sum to 1"


def _actually_true(level: Level) -> Verdict:
    return appendix.pairs_verdict(appendix.OVERLAP_IS_ONE_MINUS_TVD, "id")


def test_a_twin_that_holds_would_be_caught() -> None:
    trial = run_trial("A2", Twin("actually true", _actually_true), GAUNTLET_LEVEL)
    assert trial.verdict.outcome is Outcome.HOLDS  # run_twin reports it as is; the trial is not caught
    assert trial.verdict.outcome in PASSING and not trial.caught


def _boom(level: Level) -> Verdict:
    raise ZeroDivisionError("no")


def test_run_twin_reports_a_crash_as_error() -> None:
    v = run_twin(Twin("desc", _boom), Level.QUICK)
    assert (v.outcome, v.scope, v.method, v.evidence) == (Outcome.ERROR, "none", "desc", ("ZeroDivisionError: no",))
