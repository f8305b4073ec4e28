"""The gauntlet's machinery (checkers.gauntlet): run_one, the exact re-checks of counterexamples, and
the branches of single perturbations."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from fractions import Fraction
from types import SimpleNamespace
from typing import Any

import pytest

from checkers import foundation, gauntlet, randomized_tasks
from checkers.gauntlet import (
    OVERLAP_IS_ONE_MINUS_TVD,
    PERTURBATIONS,
    Perturbation,
    pairs_verdict,
    run_one,
)
from checkers.verdict import PASSING, Outcome, Verdict


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


def test_run_one_reports_a_crash_as_error() -> None:
    def boom() -> Verdict:
        raise ZeroDivisionError("no")

    v = gauntlet.run_one(gauntlet.Perturbation("X", "desc", boom))
    assert (v.outcome, v.scope, v.method, v.evidence) == (Outcome.ERROR, "none", "desc", ("ZeroDivisionError: no",))


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


# ---- the exact re-checks of counterexamples ------------------------------------------------------


F = Fraction


def _model_verdict(model: Mapping[str, Fraction]) -> Verdict:
    return Verdict(Outcome.REFUTED, "s", "m", counterexample="c", data={"model": {k: str(x) for k, x in model.items()}})


def _data_verdict(data: Mapping[str, object]) -> Verdict:
    return Verdict(Outcome.REFUTED, "s", "m", counterexample="c", data=data)


def test_recheck_a2_a3_a5_a6_accept_the_real_counterexample_and_reject_a_tweak() -> None:
    a2 = {"a": ["1", "0"], "p": ["1", "1"], "overlap": "1/2"}
    assert gauntlet._recheck_a2(_data_verdict(a2)) is None
    assert gauntlet._recheck_a2(_data_verdict({"a": ["1", "0", "0"], "p": ["1", "1", "1"], "overlap": "1/3"})) is None
    no = "the instance satisfies Σ a p after all"
    assert gauntlet._recheck_a2(_data_verdict({**a2, "overlap": "1"})) == no
    assert gauntlet._recheck_a2(_data_verdict({"a": ["1/2", "1/2"], "p": ["1", "1"], "overlap": "1"})) == no
    assert gauntlet._recheck_a2(_data_verdict({"a": ["1", "0"], "p": ["1/2", "1"], "overlap": "1/2"})) == no

    a3 = {"p": ["0", "1/2"], "value": "0", "optimum": "1/2"}
    assert gauntlet._recheck_a3(_data_verdict(a3)) is None
    assert gauntlet._recheck_a3(_data_verdict({**a3, "value": "1/4"})) == "the values do not re-check"
    assert gauntlet._recheck_a3(_data_verdict({**a3, "optimum": "0"})) == "the values do not re-check"
    assert gauntlet._sourest_first([F(1, 2), F(1), F(0)]) == (F(0), F(0), F(1))
    assert gauntlet._sourest_first([F(1), F(3, 4)]) == (F(1, 3), F(2, 3))

    assert gauntlet._recheck_a5(_model_verdict({"a0": F(1), "p0": F(1)})) is None
    assert gauntlet._recheck_a5(_model_verdict({"a0": F(1), "p0": F(0)})) == "O² ≤ (99/100)·mean p on the model"

    a6 = {"p": ["1/2", "0"], "a": ["1", "0"], "eps": "251/1000", "tvd": "1/2"}
    no6 = "the tight instance does not violate TVD ≥ 1 − ε"
    assert gauntlet._recheck_a6(_data_verdict(a6)) is None
    assert gauntlet._recheck_a6(_data_verdict({**a6, "eps": "1/4"})) == no6
    assert gauntlet._recheck_a6(_data_verdict({**a6, "a": ["0", "1"]})) == no6
    assert gauntlet._recheck_a6(_data_verdict({**a6, "eps": "1/2"})) == no6  # TVD 1/2 = 1 − ε, not below

    assert gauntlet._recheck_r4(_data_verdict({"n": 1, "worst": "9/4"})) is None
    assert gauntlet._recheck_r4(_data_verdict({"n": 2, "worst": "x"})) is None


def test_recheck_pair_checks_sums_and_the_statement() -> None:
    recheck = gauntlet._recheck_pair(lambda p, q: gauntlet._plain_tvd(p, q) > F(1, 2))
    assert recheck(_data_verdict({"pair": [{"c": "1"}, {"b": "1"}]})) is None
    assert recheck(_data_verdict({"pair": [{"c": "1"}, {"c": "1"}]})) == "the pair satisfies the perturbed statement after all"
    assert recheck(_data_verdict({"pair": [{"c": "1/2"}, {"c": "1"}]})) == "the counterexample's laws do not sum to 1"
    assert recheck(_data_verdict({"pair": [{"c": "1"}, {"c": "1/2", "b": "1/4"}]})) == (
        "the counterexample's laws do not sum to 1")
    p, q = {"a": F(1, 2), "b": F(1, 2)}, {"a": F(1, 4), "c": F(3, 4)}
    assert gauntlet._plain_tvd(p, q) == F(3, 4) and gauntlet._plain_overlap(p, q) == F(1, 4)
    assert gauntlet._plain_tvd(q, p) == F(3, 4) and gauntlet._plain_overlap(q, p) == F(1, 4)


def test_recheck_a6_uses_the_cap_one_over_n() -> None:
    # N = 2, a = (1, 0), p = (1, 0): the capped overlap is 1/2, so 1 − O = 1/2 is not < 1 − 3/5
    data = {"p": ["1", "0"], "a": ["1", "0"], "eps": "3/5", "tvd": "1/2"}
    assert gauntlet._recheck_a6(_data_verdict(data)) == "the tight instance does not violate TVD ≥ 1 − ε"
    assert gauntlet._recheck_a6(_data_verdict({**data, "eps": "1/4"})) == "the tight instance does not violate TVD ≥ 1 − ε"


# ---- single perturbations through their branches -------------------------------------------------


def test_e1_short_alphabet_drops_exactly_one_hidden_option(monkeypatch: pytest.MonkeyPatch) -> None:
    from checkers import escapes
    from spec import Dist, with_hidden_tokens

    captured: list[Any] = []
    real = escapes.hidden_runs

    def spy(model: Any, prompt: str, **kw: Any) -> Any:
        captured.append((model, prompt, kw))
        return real(model, prompt, **kw)

    monkeypatch.setattr(escapes, "hidden_runs", spy)
    v = gauntlet._e1_hidden_alphabet_short_by_one()
    assert v.outcome is Outcome.REFUTED and v.counterexample == "P('nn=ant') = 0, target 1/6"
    ((short, prompt, kw),) = captured
    game = gauntlet._small_game()
    assert prompt == game.prompt and kw == {"max_public": game.max_len, "max_hidden": 8}
    full = with_hidden_tokens(game.algo)(prompt, "", "")
    moves = sorted(full.support)
    assert len(moves) == 6 and short(prompt, "", "") == Dist.uniform(moves[:-1])
    for hidden in ("\x00", "\x05"):  # after the hidden draw the move is public: left unchanged
        assert short(prompt, "", hidden) == with_hidden_tokens(game.algo)(prompt, "", hidden)


def test_e3_short_seed_branches(monkeypatch: pytest.MonkeyPatch) -> None:
    from checkers import escapes

    game = gauntlet._small_game()
    monkeypatch.setattr(escapes, "seeded_law", lambda *a, **k: (game.target(), None, None, None))
    v = gauntlet._e3_short_seed()
    assert (v.outcome, v.scope, v.method) == (Outcome.HOLDS, "6 animals, seed space 5",
                                              "E3's seeded_law (every seed decoded deterministically)")
    monkeypatch.setattr(escapes, "seeded_law", lambda *a, **k: (None, None, None, None))
    v = gauntlet._e3_short_seed()
    assert (v.outcome, v.counterexample, v.method) == (Outcome.REFUTED, "no seed finished", "E3's seeded_law")


def test_a6_without_root_needs_a_strict_gap(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(gauntlet, "tvd", lambda d1, d2: F(749, 1000))  # = 1 − ε exactly at N = 2, k = 1
    v = gauntlet._a6_without_root()
    assert v.counterexample == "N=3, k=1: mean p < ε = 1009/9000 but TVD = 749/1000 < 1 − ε"
    assert dict(v.data) == {"p": ["1/3", "0", "0"], "a": ["1", "0", "0"], "eps": "1009/9000", "tvd": "749/1000"}
    monkeypatch.setattr(gauntlet, "tvd", lambda d1, d2: F(1))
    v = gauntlet._a6_without_root()
    assert (v.outcome, v.scope, v.method) == (Outcome.HOLDS, "tight family, N ≤ 4", "A6")


def test_f3_fewer_divisions_threshold(monkeypatch: pytest.MonkeyPatch) -> None:
    from checkers import factoring as reduction

    rows = [{"n": 1, "trial_divisions_min": 9}, {"n": 2, "trial_divisions_min": 2}, {"n": 3, "trial_divisions_min": 25}]
    monkeypatch.setattr(reduction, "cost_rows", lambda *a: rows)
    v = gauntlet._f3_fewer_divisions()
    assert (v.outcome, v.scope, v.method) == (Outcome.HOLDS, "n = 1..3", "F3's cost_rows")
    rows[2]["trial_divisions_min"] = 26
    v = gauntlet._f3_fewer_divisions()
    assert v.counterexample == "n=3: trial division needs 26 divisions > 10^(n-1)/4"
    assert dict(v.data) == {"n": 3, "min": "26"}
    assert v.scope == "n = 1..3, 5 seeded s per n" and v.method == "F3's cost_rows (exact division counts)"


def test_r5_tvd_at_most_holds_branch() -> None:
    v = gauntlet._r5_tvd_at_most(lambda n: n, lambda n: F(0), "m = n, TVD = 0")
    assert (v.outcome, v.scope, v.method, v.evidence) == (Outcome.HOLDS, "n = 2, 3", "R5's det_prime_tvd: m = n, TVD = 0", ())


def test_pairs_verdict_scopes_and_pair() -> None:
    v = gauntlet.pairs_verdict(gauntlet.OVERLAP_IS_ONE_MINUS_TVD, "identity", ("ab", (0, 1)))
    assert (v.outcome, v.scope, v.method, v.evidence) == (
        Outcome.HOLDS, "all 9 pairs of laws on 'ab' with weights in {0, 1}", "exhaustive: identity",
        ("3 laws, 9 ordered pairs",))
    v = gauntlet.pairs_verdict(gauntlet.OVERLAP_IS_ONE_MINUS_TVD, "identity")
    assert v.scope == "all 361 pairs of laws on 'abc' with weights in {0, 1, 2}" and v.evidence == ("19 laws, 361 ordered pairs",)
    v = gauntlet.pairs_verdict(lambda p, q: p == q, "equal", ("ab", (0, 1)))
    assert (v.outcome, v.scope, v.method, v.counterexample) == (
        Outcome.REFUTED, "pairs of laws on 'ab' with weights in {0, 1}", "exhaustive: equal",
        "d1 = {'b': '1'}, d2 = {'a': '1'}")
    assert dict(v.data) == {"pair": [{"b": "1"}, {"a": "1"}]}


def test_s4_without_premise_branches(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[tuple[int, int, str]] = []

    def fake(k: int, L: int, drop: str) -> foundation.Refutation:
        calls.append((k, L, drop))
        return foundation.Refutation(Outcome.UNKNOWN, drop, None, None, ("why",))

    monkeypatch.setattr(foundation, "refute_conditioning_without_premise", fake)
    v = gauntlet._s4_without_premise()
    assert calls == [(1, 2, "0")]
    assert (v.outcome, v.scope, v.counterexample, v.evidence) == (Outcome.UNKNOWN, "k = 1, L = 2", None, ("why",))
    assert v.method == "S4's naive encoding without the premise at '0' (z3 + cvc5; spec.induced)"
    monkeypatch.setattr(foundation, "refute_conditioning_without_premise",
                        lambda k, L, drop: foundation.Refutation(Outcome.REFUTED, drop, "0", "01", ("e",)))
    v = gauntlet._s4_without_premise()
    assert (v.outcome, v.counterexample) == (Outcome.REFUTED, "after prefix '0', text '01'")


def test_a2_without_cap_holds_when_the_overlap_is_uncapped(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(gauntlet, "overlap_checks", SimpleNamespace(overlap_model=lambda a, p: (a, p)))
    monkeypatch.setattr(gauntlet, "overlap", lambda a, p: sum((x * y for x, y in zip(a, p)), Fraction(0)))
    assert gauntlet._a2_without_cap() == Verdict(Outcome.HOLDS, "three (a, p) instances", "A2's overlap_model")


def test_g2_careless_puzzles_holds_when_every_puzzle_is_unique(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(gauntlet, "sudoku_solutions", lambda puzzle: [puzzle])
    assert gauntlet._g2_careless_puzzles() == Verdict(
        Outcome.HOLDS, "the 288 puzzles of the careless generator", "G2's solver")


def test_r4_at_most_two_tries_holds_when_every_digit_is_cheap(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(randomized_tasks, "expected_tries", lambda n: [Fraction(2), Fraction(1)])
    assert gauntlet._r4_at_most_two_tries() == Verdict(
        Outcome.HOLDS, "n = 1..6, every digit", "R4's exact expected_tries")
