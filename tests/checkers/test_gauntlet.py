"""The gauntlet's machinery (checkers.gauntlet): run_one, the exact re-checks of counterexamples, and
the branches of single perturbations."""

from __future__ import annotations

from dataclasses import replace
from fractions import Fraction

import pytest

from checkers import gauntlet
from checkers.gauntlet import OVERLAP_IS_ONE_MINUS_TVD, PERTURBATIONS, Perturbation, pairs_verdict, run_one
from checkers.verdict import PASSING, Outcome, Verdict


def test_a_crashing_perturbation_is_an_error_not_a_pass() -> None:
    def crash() -> Verdict:
        raise RuntimeError("boom")

    v = run_one(Perturbation("S1", "crashes", crash))
    assert v.outcome is Outcome.ERROR and "boom" in v.evidence[0]


def test_the_unperturbed_identity_holds_so_the_machinery_can_say_yes() -> None:
    v = pairs_verdict(OVERLAP_IS_ONE_MINUS_TVD, "overlap = 1 − TVD")
    assert v.outcome is Outcome.HOLDS and v.counterexample is None


def test_a_refutation_whose_counterexample_fails_the_recheck_is_not_counted() -> None:
    # a lying checker: it claims "TVD ≤ 1/2" fails on a pair at TVD 0
    lie = Verdict(Outcome.REFUTED, scope="fake", method="fake", counterexample="d1 = d2",
                  data={"pair": [{"a": "1"}, {"a": "1"}]})
    honest = next(p for p in PERTURBATIONS if p.description.startswith("tightened bound"))
    assert honest.recheck is not None
    v = run_one(Perturbation(honest.claim, honest.description, lambda: lie, honest.recheck))
    assert v.outcome is Outcome.UNKNOWN and "failed the exact re-check" in v.evidence[-1]


def test_a_recheck_refuses_counterexample_laws_that_do_not_sum_to_one() -> None:
    honest = next(p for p in PERTURBATIONS if p.description.startswith("tightened bound"))
    assert honest.recheck is not None
    bogus = Verdict(Outcome.REFUTED, scope="fake", method="fake", counterexample="x",
                    data={"pair": [{"a": "1", "b": "1"}, {"c": str(Fraction(1))}]})
    assert honest.recheck(bogus) == "the counterexample's laws do not sum to 1"


def test_a_perturbation_that_holds_would_be_caught() -> None:
    v = run_one(Perturbation("A2", "actually true", lambda: pairs_verdict(OVERLAP_IS_ONE_MINUS_TVD, "id")))
    assert v.outcome is Outcome.HOLDS  # run_one reports it as is; the parametrized test above fails on it
    assert v.outcome in PASSING


def test_r2_recheck_rejects_a_wrong_multiplier_or_an_unknown_event() -> None:
    v = run_one(next(p for p in PERTURBATIONS if p.claim == "R2"))
    assert v.outcome is Outcome.REFUTED and gauntlet._recheck_r2(v) is None
    # 72 tests' worth of Bonferroni is what the battery spends on the distinct-digits family; 10^6 would not reject
    # all 16 answers have six distinct digits: the tail is (189/1250 + 2/5)^16 exactly
    assert gauntlet._recheck_r2(replace(v, data={**v.data, "multiplier": 10**6})) == (
        f"recounted: 16/16 answers, P(≥ 16) = {Fraction(689, 1250) ** 16} is not below 1/20/1000000")
    assert "six-distinct-digits event only" in str(gauntlet._recheck_r2(replace(v, data={**v.data, "event": "x"})))


def test_r2_close_to_uniform_is_not_refuted_beyond_the_audits_bound(monkeypatch: pytest.MonkeyPatch) -> None:
    """The audit's 95 % bound is 0.4835…: 'TVD ≤ 1/2' is not refuted by these 16 answers."""
    monkeypatch.setattr(gauntlet, "R2_CLOSE", Fraction(1, 2))
    assert gauntlet._r2_close_to_uniform().outcome is not Outcome.REFUTED
