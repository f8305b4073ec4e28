"""Tests that kill surviving mutants of the audit, the two CLIs and the report renderer.

checkers/audit.py, checkers/audit_cli.py, checkers/__main__.py and checkers/report.py: exact
event wording and counts, Clopper–Pearson values and argument checks, the decimal display
boundary, R2's outcome rule and data, the CLIs' exact output, JSON payloads and exit statuses,
and the parts of the report (plots, pipes, timings) that tests/test_snapshots.py does not pin.
Everything runs in-process with small targets (the CLIs with fake claim runners) so it stays fast.
"""

from __future__ import annotations

import io
import json
import os
import sys
import textwrap
from collections.abc import Callable, Iterable, Iterator
from fractions import Fraction
from pathlib import Path

import pytest

import checkers.__main__ as cli
import checkers.audit.samples as audit_mod
from checkers.audit.cli import main as audit_main
from checkers.audit.cli import read_samples, task_target
from checkers.audit.samples import (
    FOOTNOTE2,
    PRECISION,
    Feature,
    MalformedSamples,
    as_alpha,
    audit,
    audit_all,
    battery,
    binomial_tail,
    check_R2,
    clopper_pearson_lower,
    decimal,
    findings,
    r2_verdict,
    uniform_number_target,
)
from checkers.claims import Claim, Result
from checkers.report import (
    PLOTS,
    VERDICT_GUIDE,
    comparable_json,
    differences,
    draw,
    mismatches,
    render_table,
    strip_timings,
    summary_line,
    to_json,
    write_json,
    write_markdown,
)
from checkers.report.json_report import is_timing_key
from checkers.report.plots import build
from checkers.verdict import Level, Outcome, Verdict
from spec.dist import Dist
from spec.errors import InvalidArgument

# A small target with answers of four lengths: every feature family, None values, both units.
T = Dist.from_weights({"7": 1, "11": 2, "13": 1, "101": 3, "2357": 1})
ALPHA = Fraction(1, 20)


class Clock:
    """A stand-in for the time module: perf_counter returns the given readings in turn."""

    def __init__(self, *readings: float) -> None:
        self.readings = list(readings)

    def perf_counter(self) -> float:
        return self.readings.pop(0)


# ---- checkers.audit: the event family ---------------------------------------------------------------


@pytest.mark.parametrize("length, families", [
    (1, ["position"]),
    (2, ["position"] * 2 + ["serial pairs"]),
    (3, ["position"] * 3 + ["serial pairs"] * 2),
    (4, ["position"] * 4 + ["serial pairs"] * 3),
    (5, ["position"] * 5 + ["serial pairs"] * 4),
    (6, ["position"] * 6 + ["serial pairs"] * 5),
])
def test_features_are_positions_adjacent_pairs_poker_and_prefixes_of_two_and_three(
        length: int, families: list[str]) -> None:
    prefixes = {1: 0, 2: 0, 3: 1}.get(length, 2)  # prefixes of 2 and 3 symbols, each shorter than the answers
    expected = families + ["poker (distinct)", "poker (pattern)"] + ["prefix collisions"] * prefixes
    assert [f.family for f in audit_mod._features(length, "digit")] == expected


def test_feature_words_name_the_event_its_complement_and_missing_symbols() -> None:
    fs = audit_mod._features(4, "symbol")
    words = [(f.words("ab", False), f.words("ab", True), f.words(None, False), f.words(None, True))
             for f in fs if not f.family.startswith("poker")]
    assert words == [
        *[(f"the symbol at position {i} is ab", f"the symbol at position {i} is not ab",
           f"the answer lacks a symbol at position {i}", f"the answer has a symbol at position {i}")
          for i in (1, 2, 3, 4)],
        *[(f"positions {i}-{i + 1} read ab", f"positions {i}-{i + 1} do not read ab",
           f"the answer lacks symbols at positions {i}-{i + 1}", f"the answer has symbols at positions {i}-{i + 1}")
          for i in (1, 2, 3)],
        *[("the answer starts with ab", "the answer does not start with ab",
           f"the answer lacks {k} symbols", f"the answer has {k} symbols") for k in (2, 3)],
    ]
    distinct, pattern = fs[7], fs[8]
    assert (distinct.words(3, False), distinct.words(3, True)) == (
        "the answer has 3 distinct symbols", "the answer has other than 3 distinct symbols")
    assert (pattern.words((2, 1), False), pattern.words((2, 1), True)) == (
        "the repeated-symbol pattern is 2+1", "the repeated-symbol pattern is not 2+1")
    assert pattern.words((1, 1, 1), True) == "the repeated-symbol pattern is not 1+1+1 (all symbols distinct)"
    assert audit_mod._features(2, "digit")[0].words(None, False) == "the answer lacks a digit at position 1"
    assert audit_mod._features(2, "digit")[4].words((1, 1), False) == \
        "the repeated-digit pattern is 1+1 (all digits distinct)"


def test_feature_values_read_positions_pairs_poker_and_prefixes() -> None:
    fs = audit_mod._features(4, "symbol")
    values = {s: [f.value(s) for f in fs] for s in ("", "a", "ab", "abc", "abca", "abcab")}
    assert values == {
        "": [None, None, None, None, None, None, None, 0, (), None, None],
        "a": ["a", None, None, None, None, None, None, 1, (1,), None, None],
        "ab": ["a", "b", None, None, "ab", None, None, 2, (1, 1), "ab", None],
        "abc": ["a", "b", "c", None, "ab", "bc", None, 3, (1, 1, 1), "ab", "abc"],
        "abca": ["a", "b", "c", "a", "ab", "bc", "ca", 3, (2, 1, 1), "ab", "abc"],
        "abcab": ["a", "b", "c", "a", "ab", "bc", "ca", 3, (2, 2, 1), "ab", "abc"],
    }


def test_feature_laws_are_the_exact_laws_of_their_values() -> None:
    # answers of every length 1..8 and repeats, so each chunk (starting at 0, 3 and 6) is read
    target = Dist.from_weights({"5": 1, "12": 2, "121": 1, "3443": 3, "12345": 1, "911911": 2, "1000001": 1,
                                "22222222": 1, "80": 1})
    for f in audit_mod._features(8, "digit"):
        assert f.law is not None
        assert f.law(target) == target.map(f.value), f.words("x", False)
        assert f.marginal(target) == target.map(f.value)


def test_marginal_uses_the_law_when_there_is_one_and_the_map_otherwise() -> None:
    lengths = Feature("length", len, lambda v, neg: "")
    assert lengths.marginal(T) == Dist.from_weights({1: 1, 2: 3, 3: 3, 4: 1})
    constant = Feature("length", len, lambda v, neg: "", law=lambda t: Dist.point(0))
    assert constant.marginal(T) == Dist.point(0)


def test_battery_of_the_small_target_counts_every_family() -> None:
    bat = battery(T)
    assert bat.family_sizes == (("support", 1), ("position", 24), ("serial pairs", 20), ("poker (distinct)", 6),
                                ("poker (pattern)", 10), ("prefix collisions", 16))
    assert len(bat.tests) == 77 and bat.multiplier("position") == 6 * 24 and bat.multiplier("support") == 6
    probs = {t.words: t.target_prob for t in bat.tests}
    assert probs["the answer lacks a digit at position 2"] == Fraction(1, 8)
    assert probs["the answer has a digit at position 4"] == Fraction(1, 8)
    assert probs["the answer lacks 3 digits"] == Fraction(1, 2)
    assert probs["the repeated-digit pattern is 2+1"] == Fraction(3, 8)


# ---- checkers.audit: findings and the audit ------------------------------------------------------------

SAMPLES = ["2357"] * 6 + ["11", "11", "101", "7", "99"]  # "99" is outside the support


def test_findings_count_each_event_and_its_complement_exactly() -> None:
    bat = battery(T)
    fs = {f.words: f for f in findings(SAMPLES, bat, ALPHA)}
    counts = {w: fs[w].count for w in (
        "the answer is outside the target's support", "the digit at position 1 is 2", "the digit at position 1 is not 2",
        "the answer lacks a digit at position 2", "the answer has a digit at position 2", "positions 2-3 read 01",
        "positions 3-4 do not read 57", "the answer has 1 distinct digits", "the answer has other than 4 distinct digits",
        "the repeated-digit pattern is 2", "the answer lacks 3 digits", "the answer starts with 23")}
    assert counts == {
        "the answer is outside the target's support": 1, "the digit at position 1 is 2": 6,
        "the digit at position 1 is not 2": 5, "the answer lacks a digit at position 2": 1,
        "the answer has a digit at position 2": 10, "positions 2-3 read 01": 1, "positions 3-4 do not read 57": 5,
        "the answer has 1 distinct digits": 4, "the answer has other than 4 distinct digits": 5,
        "the repeated-digit pattern is 2": 3, "the answer lacks 3 digits": 4, "the answer starts with 23": 6,
    }
    sizes = dict(bat.family_sizes)
    for f in fs.values():
        mult = 6 * sizes[f.test.family]
        assert f.n == 11 and f.p_value == binomial_tail(11, f.test.target_prob, f.count)
        assert f.adjusted_p == min(Fraction(1), f.p_value * mult)
        assert (f.lower is not None) == (f.adjusted_p < ALPHA)
        if f.lower is None:
            assert f.tvd_bound == 0
        else:  # the Clopper–Pearson bound at alpha / (F m_f), from below within PRECISION
            beta = ALPHA / mult
            assert binomial_tail(11, f.lower, f.count) < beta <= binomial_tail(11, f.lower + PRECISION, f.count)
            assert f.tvd_bound == f.lower - f.test.target_prob > 0
    assert [w for w, f in fs.items() if f.lower is not None] == [
        "the answer is outside the target's support", "the answer has 4 distinct digits"]


def test_audit_report_fields_on_fixed_samples() -> None:
    r = audit(SAMPLES, T)
    assert (r.n, r.alpha, r.outside, r.rejecting, r.p_value) == (11, ALPHA, 1, 2, Fraction(0))
    assert r.rejects and r.tests == 77 and r.family_sizes == battery(T).family_sizes
    assert r.best.words == "the answer has 4 distinct digits" and r.tvd_lower_bound == r.best.tvd_bound
    assert r.tvd_lower_bound == Fraction(534921373, 68719476736)
    assert [f.test.family for f in r.per_family] == [
        "poker (distinct)", "support", "poker (pattern)", "prefix collisions", "serial pairs", "position"]
    assert [decimal(f.adjusted_p) for f in r.per_family] == ["0.0361", "0", "0.0602", "0.0963", "0.120", "0.144"]


def test_audit_best_without_a_positive_bound_is_the_smallest_adjusted_p_value() -> None:
    r = audit(["11", "22"], uniform_number_target(2))
    assert not r.rejects and r.tvd_lower_bound == 0 and r.rejecting == 0
    assert r.best.words == "the answer has 1 distinct digits" and r.best.adjusted_p == Fraction(1, 5)
    assert r.p_value == Fraction(1, 5)


def test_a_test_whose_adjusted_p_value_equals_alpha_does_not_reject() -> None:
    r = audit(["11", "22"], uniform_number_target(2), alpha=Fraction(1, 5))
    assert r.rejecting == 0 and not r.rejects and r.tvd_lower_bound == 0
    assert audit(["11", "22"], uniform_number_target(2), alpha="0.21").rejecting == 4  # 1 / other than 2 distinct, pattern 2 / not 1+1


def test_audit_of_a_single_sample_and_its_input_checks() -> None:
    assert audit(["7"], T).n == 1
    with pytest.raises(InvalidArgument, match=r"^audit: samples must be a sequence of str answers$"):
        audit("11", T)
    with pytest.raises(InvalidArgument, match=r"^audit: no samples$"):
        audit([], T)
    with pytest.raises(InvalidArgument, match=r"^audit: target must be a Dist, got dict$"):
        audit(["11"], {"11": 1})  # type: ignore[arg-type]


def test_as_alpha_names_the_problem() -> None:
    with pytest.raises(InvalidArgument, match=r"^alpha must be exact .*got True$"):
        as_alpha(True)
    with pytest.raises(InvalidArgument, match=r"^alpha must be exact .*got 0\.05$"):
        as_alpha(0.05)
    with pytest.raises(InvalidArgument, match=r"^alpha must be a Fraction, an int or a decimal string, got list$"):
        as_alpha([1, 20])
    with pytest.raises(InvalidArgument, match=r"^alpha must be a number in \(0, 1\), got 'abc'$"):
        as_alpha("abc")
    for bad in (0, 1, "1", Fraction(3, 2), "-1/2", Fraction(2)):
        with pytest.raises(InvalidArgument, match=r"^alpha must lie strictly between 0 and 1, got "):
            as_alpha(bad)
    assert as_alpha(Fraction(1, 3)) == Fraction(1, 3) and as_alpha("0.999") == Fraction(999, 1000)


def test_malformed_samples_keep_their_message_and_lines() -> None:
    e = MalformedSamples("two bad lines", ((1, "x"), (3, "y")))
    assert str(e) == "two bad lines" and e.lines == ((1, "x"), (3, "y"))


# ---- checkers.audit: Clopper–Pearson and the decimal display ---------------------------------------------


def test_clopper_pearson_lower_exact_values_on_the_dyadic_grid() -> None:
    # n = k = 1: P(Bin(1, p) >= 1) = p, so the bound is the largest grid point strictly below beta
    assert clopper_pearson_lower(1, 1, Fraction(2, 3)) == Fraction(733007751850, 2**40)
    assert clopper_pearson_lower(1, 1, Fraction(1, 2)) == Fraction(2**39 - 1, 2**40)  # beta on the grid: below it
    assert clopper_pearson_lower(2, 2, Fraction(1, 4)) == Fraction(2**39 - 1, 2**40)  # p^2 = 1/4 at p = 1/2
    assert clopper_pearson_lower(1, 1, Fraction(2, 3), above=Fraction(1, 2)) == Fraction(2**39 + 183251937962, 2**40)
    assert clopper_pearson_lower(0, 5, Fraction(1, 3)) == 0
    lo = clopper_pearson_lower(1, 5, Fraction(1, 3))
    assert 0 < lo and binomial_tail(5, lo, 1) < Fraction(1, 3) <= binomial_tail(5, lo + PRECISION, 1)
    assert clopper_pearson_lower(5, 5, Fraction(1, 32)) == Fraction(2**39 - 1, 2**40)


def test_clopper_pearson_lower_checks_beta_k_and_the_starting_point() -> None:
    for beta in (Fraction(0), Fraction(1), Fraction(3, 2), Fraction(-1, 2)):
        with pytest.raises(InvalidArgument, match=rf"^clopper_pearson_lower: level beta must lie in \(0, 1\), got {beta}$"):
            clopper_pearson_lower(1, 2, beta)
    for k, n in ((-1, 2), (3, 2)):
        with pytest.raises(InvalidArgument, match=rf"^clopper_pearson_lower: need 0 <= k <= n, got k={k}, n={n}$"):
            clopper_pearson_lower(k, n, ALPHA)
    assert clopper_pearson_lower(2, 2, Fraction(1, 4)) > 0  # k = n is allowed
    with pytest.raises(InvalidArgument, match=r"^clopper_pearson_lower: 1/4 is not below the bound \(k=1, n=1\)$"):
        clopper_pearson_lower(1, 1, Fraction(1, 4), above=Fraction(1, 4))  # tail at `above` equals beta
    assert clopper_pearson_lower(1, 1, Fraction(1, 4), above=Fraction(1, 5)) < Fraction(1, 4)


@pytest.mark.parametrize("x, digits, text", [
    (Fraction(0), 3, "0"),
    (Fraction(1), 3, "1"),
    (Fraction(1, 1000), 3, "0.001"),  # exactly 1/1000: still a plain decimal
    (Fraction(-1, 1000), 3, "-0.001"),
    (Fraction(999, 10**6), 3, "9.99e-4"),  # just below: scientific
    (Fraction(2, 2001), 3, "1.00e-3"),  # between 1/1001 and 1/1000
    (Fraction(3, 2000), 3, "0.0015"),
    (Fraction(1, 3), 3, "0.333"),
    (Fraction(1, 7), 6, "0.142857"),
    (Fraction(999, 10**6), 6, "9.99000e-4"),
    (Fraction(123456789, 10**6), 3, "123"),
    (Fraction(1, 10**4), 3, "1.00e-4"),
    (Fraction(1234999994, 10**10), 3, "0.123"),  # rounded once: not 0.1235 and then 0.124
    (Fraction(99949999994, 10**14), 3, "9.99e-4"),  # rounded once: not 9.995e-4 and then 1.00e-3
])
def test_decimal_display(x: Fraction, digits: int, text: str) -> None:
    assert decimal(x, digits) == text


def test_decimal_defaults_to_three_digits_and_short_cuts_long_fractions() -> None:
    assert decimal(Fraction(2, 3)) == "0.667" and decimal(Fraction(1, 7000)) == "1.43e-4"
    assert audit_mod._short(Fraction(10**39)) == "1" + "0" * 39  # 40 characters: kept
    assert audit_mod._short(Fraction(10**40 + 7)) == "100000000000000000...000000000000000007 (41 chars)"


# ---- checkers.audit: the rendered report and its JSON ---------------------------------------------------


def test_render_of_a_rejecting_audit() -> None:
    assert audit(SAMPLES, T).render() == "\n".join([
        "samples: 11 (1 outside the target's support)",
        "tests: 77 one-sided events in 6 families (support 1, position 24, serial pairs 20, poker (distinct) 6, "
        "poker (pattern) 10, prefix collisions 16); weighted Bonferroni, family share alpha/6",
        "TVD(model, target) >= 0.00778413 with confidence 0.95 (exact: 534921373/68719476736)",
        "best event: the answer has 4 distinct digits [poker (distinct)]: 6/11 samples, target probability 1/8 (0.125)",
        "  exact p-value P(Bin(11, 1/8) >= 6) = 0.00100; adjusted 0.0361",
        "verdict: REJECT the target at alpha = 1/20 (adjusted p-value 0)",
        "per family (best event, count, exact p, adjusted p, TVD bound):",
        "  poker (distinct)   the answer has 4 distinct digits: 6/11, p = 0.00100, adj = 0.0361, bound = 0.007784",
        "  support            the answer is outside the target's support: 1/11, p = 0, adj = 0, bound = 7.605e-4",
        "  poker (pattern)    the repeated-digit pattern is 1+1+1+1 (all digits distinct): 6/11, p = 0.00100, "
        "adj = 0.0602, bound = 0",
        "  prefix collisions  the answer starts with 23: 6/11, p = 0.00100, adj = 0.0963, bound = 0",
        "  serial pairs       positions 1-2 read 23: 6/11, p = 0.00100, adj = 0.120, bound = 0",
        "  position           the digit at position 1 is 2: 6/11, p = 0.00100, adj = 0.144, bound = 0",
    ])


def test_render_of_an_audit_that_cannot_reject() -> None:
    r = audit(["11", "22"], uniform_number_target(2), alpha="1/10")
    lines = r.render().split("\n")
    assert lines[0] == "samples: 2 (0 outside the target's support)"
    assert lines[2] == "TVD(model, target) >= 0 with confidence 0.9 (exact: 0)"
    assert lines[3] == "best event: the answer has 1 distinct digits [poker (distinct)]: 2/2 samples, " \
                       "target probability 1/10 (0.1)"
    assert lines[4] == "  exact p-value P(Bin(2, 1/10) >= 2) = 0.01; adjusted 0.2"
    assert lines[5] == "verdict: cannot reject the target at alpha = 1/10 (adjusted p-value 0.2)"
    assert len(lines) == 7 + 5


def test_report_json_has_every_key_with_exact_values() -> None:
    r = audit(SAMPLES, T)
    doc = r.to_json()
    best = {"family": "poker (distinct)", "event": "the answer has 4 distinct digits", "count": 6, "n": 11,
            "target_prob": "1/8", "p_value": str(r.best.p_value), "p_value_decimal": "0.00100",
            "adjusted_p": "19387197/536870912", "adjusted_p_decimal": "0.0361",
            "model_prob_lower": str(r.best.lower), "tvd_bound": "534921373/68719476736",
            "tvd_bound_decimal": "0.00778"}
    assert doc == {
        "n": 11, "alpha": "1/20", "outside_support": 1, "tests": 77,
        "families": [{"family": k, "tests": m} for k, m in battery(T).family_sizes],
        "rejects": True, "p_value": "0", "p_value_decimal": "0",
        "tvd_lower_bound": "534921373/68719476736", "tvd_lower_bound_decimal": "0.00778",
        "best": best, "per_family": doc["per_family"],
    }
    per_family = doc["per_family"]
    assert isinstance(per_family, list) and per_family[0] == best
    assert per_family[2]["model_prob_lower"] is None and per_family[2]["tvd_bound"] == "0"
    assert [row["family"] for row in per_family] == [f.test.family for f in r.per_family]
    assert Fraction(r.best.p_value) == binomial_tail(11, Fraction(1, 8), 6)


# ---- checkers.audit: R2 -----------------------------------------------------------------------------------

R2_METHOD = ("exact one-sided Clopper–Pearson bounds (bisection on rationals, exact binomial tails), "
             "weighted Bonferroni over the event family; TVD >= P_model(A) - P_target(A)")


def test_r2_is_statistical_on_a_small_positive_bound_and_reports_each_alpha_at_standard_level(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(audit_mod, "time", Clock(1000.0, 1000.5))
    v = r2_verdict(FOOTNOTE2[:4], Level.STANDARD)
    assert v.outcome is Outcome.STATISTICAL and v.seconds == 0.5
    assert v.scope == ("the 4 answers vs Unif(100000..999999) (900000 numbers); alpha = 1/20; "
                       "3113 one-sided events in 6 families")
    assert v.method == R2_METHOD
    bound = "15302394993511/1374389534720000"  # 0.0111...: small but positive
    assert v.evidence == (
        "best event: the answer has 6 distinct digits — 4/4 answers; target probability 189/1250",
        "exact p-value P(Bin(4, 189/1250) >= 4) = 5.23e-4; Bonferroni-adjusted 0.0376",
        f"TVD(GPT-4, uniform) >= 0.0111340 with confidence 0.95 (exact {bound})",
        "1 of 3113 tests reject; 0 answers outside the support",
        "alpha = 1/100: TVD >= 0 from 'the answer has 6 distinct digits'",
        "alpha = 1/1000: TVD >= 0 from 'the answer has 6 distinct digits'",
    )
    assert v.data["by_alpha"] == [
        {"alpha": "1/20", "tvd_bound": bound, "tvd_bound_float": float(Fraction(bound)),
         "event": "the answer has 6 distinct digits"},
        {"alpha": "1/100", "tvd_bound": "0", "tvd_bound_float": 0.0, "event": "the answer has 6 distinct digits"},
        {"alpha": "1/1000", "tvd_bound": "0", "tvd_bound_float": 0.0, "event": "the answer has 6 distinct digits"},
    ]
    per_family = v.data["per_family"]
    assert isinstance(per_family, list) and len(per_family) == 6
    assert per_family[0] == {
        "family": "poker (distinct)", "event": "the answer has 6 distinct digits", "count": 4, "n": 4,
        "target_prob": "189/1250", "p_value": "1275989841/2441406250000", "adjusted_p": "11483908569/305175781250",
        "tvd_bound": bound, "tvd_bound_float": float(Fraction(bound)),
    }
    assert per_family[1]["adjusted_p"] == "42107664753/610351562500" and per_family[1]["tvd_bound"] == "0"
    assert [row["family"] for row in per_family] == [
        "poker (distinct)", "poker (pattern)", "support", "position", "serial pairs", "prefix collisions"]


def test_r2_is_unknown_when_the_audit_cannot_reject_and_says_so_first() -> None:
    v = r2_verdict(FOOTNOTE2[:3], Level.QUICK)
    assert v.outcome is Outcome.UNKNOWN
    assert v.evidence == (
        "the audit cannot reject uniformity at alpha = 1/20 (adjusted p = 0.249)",
        "best event: the answer has 6 distinct digits — 3/3 answers; target probability 189/1250",
        "exact p-value P(Bin(3, 189/1250) >= 3) = 0.00346; Bonferroni-adjusted 0.249",
        "TVD(GPT-4, uniform) >= 0 with confidence 0.95 (exact 0)",
        "0 of 3113 tests reject; 0 answers outside the support",
    )
    assert v.data["by_alpha"] == [{"alpha": "1/20", "tvd_bound": "0", "tvd_bound_float": 0.0,
                                   "event": "the answer has 6 distinct digits"}]


def test_r2_quick_level_uses_alpha_one_twentieth_only_and_check_R2_audits_the_footnote() -> None:
    v = check_R2(Level.QUICK)
    assert v.outcome is Outcome.STATISTICAL and not v.passed
    assert [row["alpha"] for row in v.data["by_alpha"]] == ["1/20"]  # type: ignore[attr-defined]
    assert v.evidence[0] == "best event: the answer has 6 distinct digits — 16/16 answers; target probability 189/1250"
    assert v.evidence == (*r2_verdict(FOOTNOTE2, Level.QUICK).evidence,
                          "SmolLM2-135M-Instruct exact audit (float64): run at the standard and deep levels")
    deep = r2_verdict(FOOTNOTE2, Level.DEEP)
    assert [row["alpha"] for row in deep.data["by_alpha"]] == ["1/20", "1/100", "1/1000"]  # type: ignore[attr-defined]
    assert deep.evidence[4].startswith("alpha = 1/100: TVD >= 0.4228 from ")
    assert deep.evidence[5].startswith("alpha = 1/1000: TVD >= 0.3459 from ")


# ---- checkers.audit.cli ---------------------------------------------------------------------------------


def test_task_target_defaults_and_the_semiprime_order() -> None:
    semi = task_target("semiprime")
    assert len(semi) == 441 and "[11,13,143]" in semi.support and "[143,11,13]" not in semi.support
    assert task_target("semiprime", 2) == semi
    assert len(task_target("uniform-number", 2)) == 90
    assert len(task_target("random-prime", 2)) == 21
    hard = task_target("semiprime-pq-first")
    assert len(hard) == 441 and "[143,11,13]" in hard.support and "[11,13,143]" not in hard.support
    with pytest.raises(InvalidArgument, match=r"^unknown task 'nope'; known: random-prime, semiprime, "
                                              r"semiprime-pq-first, uniform-number$"):
        task_target("nope")


@pytest.mark.parametrize("bad, shown, more", [
    (10, 10, ""),
    (11, 10, " (and 1 more)"),
    (12, 10, " (and 2 more)"),
])
def test_read_samples_shows_ten_bad_lines_and_counts_the_rest(bad: int, shown: int, more: str) -> None:
    text = "11\n" + "\n".join(f"x{i}" for i in range(bad))
    with pytest.raises(MalformedSamples) as e:
        read_samples(text, frozenset({"11"}))
    listed = ", ".join(f"line {i + 2}: 'x{i}'" for i in range(shown))
    assert str(e.value) == (f"{bad} of {bad + 1} lines are not answers in the task's support: {listed}{more}; "
                            "fix them, or pass --outside-support to count them as answers outside the support")
    assert e.value.lines == tuple((i + 2, f"x{i}") for i in range(shown))  # the first ten, memory bounded
    assert read_samples(text, frozenset({"11"}), outside_support=True) == ["11"] + [f"x{i}" for i in range(bad)]
    assert read_samples("11\n 11\n", frozenset({"11"})) == ["11", "11"]


SEMI_SAMPLES = ["[11,13,143]", "[13,11,143]", "[97,89,8633]"]


def test_audit_cli_prints_the_task_and_report_and_writes_the_json_payload(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    samples, out = tmp_path / "s.txt", tmp_path / "r.json"
    samples.write_text("\n".join(SEMI_SAMPLES) + "\n")
    assert audit_main(["--task", "semiprime", "--samples", str(samples), "--json", str(out)]) == 0
    report = audit_all(({"[11,13,143]": 1, "[97,89,8633]": 1}, {"[13,11,143]": 1}), task_target("semiprime"))
    assert not report.rejects
    captured = capsys.readouterr()
    assert captured.err == ""
    assert captured.out == (f"task: semiprime (size 2), target support 441 answers; file {samples}\n"
                            + report.render() + "\n")
    payload = {"schema": "autoregressive-limits/audit/2", "task": "semiprime", "size": 2,
               "samples_file": str(samples), "blank_lines": 0, **report.to_json()}
    assert out.read_text(encoding="utf-8") == json.dumps(payload, indent=2) + "\n"
    doc = json.loads(out.read_text())
    assert (doc["task"], doc["size"], doc["samples_file"], doc["alpha"]) == ("semiprime", 2, str(samples), 0.05)
    assert doc["alpha_exact"] == "1/20" and doc["shares"] == {"family": "1/2", "witness": "1/2"}


def test_audit_cli_exit_status_is_one_when_rejected_and_reads_digits_and_alpha(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    samples, out = tmp_path / "s.txt", tmp_path / "r.json"
    samples.write_text("11\n" * 8)
    assert audit_main(["--task", "uniform-number", "--digits", "2", "--samples", str(samples),
                       "--alpha", "1/100", "--json", str(out)]) == 1
    text = capsys.readouterr().out
    assert text.startswith(f"task: uniform-number (size 2), target support 90 answers; file {samples}\n")
    assert "verdict: REJECT the target at alpha = 1/200 " in text  # the event family's half of alpha
    assert "with confidence 0.99 (alpha = 1/100 split by Bonferroni" in text and text.endswith("REJECT the target\n")
    doc = json.loads(out.read_text())
    assert (doc["size"], doc["alpha_exact"], doc["rejects"], doc["n"]) == (2, "1/100", True, 8)


def test_audit_cli_counts_outside_support_lines_when_asked(tmp_path: Path,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    samples = tmp_path / "s.txt"
    samples.write_text("11\nabc\n")
    assert audit_main(["--task", "uniform-number", "--digits", "2", "--samples", str(samples)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"audit: {samples}: 1 of 2 lines are not answers in the task's support: line 2: 'abc'")
    assert audit_main(["--task", "uniform-number", "--digits", "2", "--samples", str(samples),
                       "--outside-support"]) == 1
    assert "samples: 2 (1 outside the target's support)" in capsys.readouterr().out


def test_audit_cli_bad_input_is_status_two_with_the_reason_on_stderr(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    samples = tmp_path / "s.txt"
    samples.write_text("11\n")
    assert audit_main(["--task", "uniform-number", "--digits", "9", "--samples", str(samples)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == "audit: uniform_number: digits must be an int in 1..7, got 9\n"
    assert audit_main(["--task", "uniform-number", "--digits", "2", "--samples", str(samples), "--alpha", "2"]) == 2
    assert capsys.readouterr().err == "audit: alpha must lie strictly between 0 and 1, got '2'\n"
    missing = tmp_path / "missing.txt"
    assert audit_main(["--task", "uniform-number", "--digits", "2", "--samples", str(missing)]) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err.startswith(f"audit: {missing}: [Errno 2] No such file or directory")
    samples.write_bytes(b"\xff\xfe\n")
    assert audit_main(["--task", "uniform-number", "--digits", "2", "--samples", str(samples)]) == 2
    assert capsys.readouterr().err.startswith(f"audit: {samples}: 'utf-8' codec can't decode")


def test_audit_cli_usage_errors_and_help(capsys: pytest.CaptureFixture[str]) -> None:
    assert audit_main(["--task", "semiprime"]) == 2  # --samples (or --plan) is required
    assert capsys.readouterr().err == "audit: --samples FILE is required (or '-' for standard input; or --plan)\n"
    assert audit_main(["--task", "semiprime", "--samples", "x", "--digits", "two"]) == 2
    assert audit_main(["--help"]) == 0
    assert capsys.readouterr().out.startswith("usage: python -m checkers audit ")


# ---- checkers.__main__ ----------------------------------------------------------------------------------


def _claim(cid: str, expected: Outcome = Outcome.HOLDS) -> Claim:
    return Claim(cid, f"Section {cid}", f"the quote of {cid}", "fake", expected, (f"fake:{cid}",))


Z1, Z2 = _claim("Z1"), _claim("Z2")
HOLDS = Verdict(Outcome.HOLDS, scope="fake scope", method="fake", evidence=("e1",), seconds=1.25)
UNKNOWN = Verdict(Outcome.UNKNOWN, scope="fake scope", method="fake", evidence=("z3: unknown",), seconds=0.3)
RESULTS = {"Z1": Result(Z1, HOLDS), "Z2": Result(Z2, UNKNOWN)}


class FakeRun:
    """run_claims without checkers: announces each claim, then yields its canned result (in `order`)."""

    def __init__(self, results: dict[str, Result], reverse: bool = False) -> None:
        self.results, self.reverse = results, reverse
        self.calls: list[tuple[tuple[str, ...], Level, bool, int]] = []

    def __call__(self, claims: Iterable[Claim], level: Level, on_start: Callable[[Claim], None] | None = None,
                 *, jobs: int = 1) -> Iterator[Result]:
        claims = tuple(claims)
        self.calls.append((tuple(c.id for c in claims), level, on_start is not None, jobs))
        for c in (reversed(claims) if self.reverse else claims):
            if on_start is not None:
                on_start(c)
            yield self.results[c.id]


class FlushLog(io.StringIO):
    """stderr that remembers what had been written at each flush."""

    def __init__(self) -> None:
        super().__init__()
        self.flushed: list[str] = []

    def flush(self) -> None:
        self.flushed.append(self.getvalue())
        super().flush()


def _patch(monkeypatch: pytest.MonkeyPatch, claims: tuple[Claim, ...], run: FakeRun,
           clock: Clock | None = None) -> None:
    monkeypatch.setattr(cli, "CLAIMS", claims)
    monkeypatch.setattr("checkers.claims.CLAIMS", claims)
    monkeypatch.setattr(cli, "run_claims", run)
    monkeypatch.setattr(cli, "time", clock or Clock(100.0, 102.5))


def test_main_prints_the_table_summary_with_wall_time_and_mismatches(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    run = FakeRun(RESULTS)
    _patch(monkeypatch, (Z1, Z2), run)
    log = FlushLog()
    monkeypatch.setattr(sys, "stderr", log)
    assert cli.main(["--level", "quick", "--jobs", "1"]) == 1
    results = [RESULTS["Z1"], RESULTS["Z2"]]
    assert capsys.readouterr().out == (
        render_table(results) + "\n\n" + summary_line(results) + "; wall 2.5 s\n"
        + "\nNot as expected:\n" + mismatches(results) + "\n")
    assert log.getvalue() == "[ 1/2] Z1 … HOLDS in 1.2 s\n[ 2/2] Z2 … UNKNOWN in 0.3 s  (expected HOLDS)\n"
    assert log.flushed == ["[ 1/2] Z1 … ", "[ 1/2] Z1 … HOLDS in 1.2 s\n[ 2/2] Z2 … "]  # each start shown at once
    assert run.calls == [(("Z1", "Z2"), Level.QUICK, True, 1)]


def test_main_with_workers_reports_in_registry_order_and_says_which_claim_ended(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    run = FakeRun(RESULTS, reverse=True)
    _patch(monkeypatch, (Z1, Z2), run)
    assert cli.main(["--jobs", "2"]) == 1
    captured = capsys.readouterr()
    assert captured.err == "[ 1/2] Z2 … UNKNOWN in 0.3 s  (expected HOLDS)\n[ 2/2] Z1 … HOLDS in 1.2 s\n"
    table = captured.out.split("\n")
    assert table[2].startswith("Z1 ") and table[3].startswith("Z2 ")
    assert run.calls == [(("Z1", "Z2"), Level.STANDARD, True, 2)]


def test_main_quiet_prints_no_progress_and_passes_no_announcer(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    run = FakeRun(RESULTS)
    _patch(monkeypatch, (Z1,), run, Clock(5.0, 5.0))
    assert cli.main(["--quiet", "--jobs", "1", "--level", "deep"]) == 0
    captured = capsys.readouterr()
    assert captured.err == ""
    assert captured.out == render_table([RESULTS["Z1"]]) + "\n\n" + summary_line([RESULTS["Z1"]]) + "; wall 0.0 s\n"
    assert run.calls == [(("Z1",), Level.DEEP, False, 1)]


@pytest.mark.parametrize("cpus, jobs", [(8, 2), (1, 1), (None, 1)])
def test_main_default_jobs_is_two_or_the_core_count(monkeypatch: pytest.MonkeyPatch, cpus: int | None,
                                                      jobs: int) -> None:
    run = FakeRun(RESULTS)
    _patch(monkeypatch, (Z1,), run)
    monkeypatch.setattr(os, "cpu_count", lambda: cpus)
    assert cli.main(["--quiet"]) == 0
    assert run.calls[0][3] == jobs


def test_main_writes_json_and_says_so(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
                                      tmp_path: Path) -> None:
    _patch(monkeypatch, (Z1, Z2), FakeRun(RESULTS, reverse=True))
    path = tmp_path / "v.json"
    assert cli.main(["--quiet", "--level", "quick", "--only", "z1", "--json", str(path)]) == 0
    assert f"\nJSON written to {path}\n" in capsys.readouterr().out
    doc = json.loads(path.read_text())
    assert doc["level"] == "quick" and [c["id"] for c in doc["claims"]] == ["Z1"] and doc["passed"] is True




def test_main_usage_errors(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
                           tmp_path: Path) -> None:
    _patch(monkeypatch, (Z1, Z2), FakeRun(RESULTS))
    for argv, message in (
        (["--plots", str(tmp_path)], "--plots needs --markdown PATH or --html PATH (the plots belong to the report)"),
        (["--only", "Z9"], "unknown claim id(s): Z9; known: Z1, Z2"),
        (["--jobs", "0"], "--jobs must be at least 1, got 0"),
        (["--level", "slow"], "argument --level: invalid choice: 'slow' (choose from 'quick', 'standard', 'deep')"),
    ):
        with pytest.raises(SystemExit) as stop:
            cli.main(argv)
        assert stop.value.code == 2
        err = capsys.readouterr().err
        assert err.startswith("usage: python -m checkers ") and err.endswith(
            f"\npython -m checkers: error: {message}\n"), (argv, err)




def test_main_hands_audit_arguments_to_the_audit_cli(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    samples = tmp_path / "s.txt"
    samples.write_text("\n".join(SEMI_SAMPLES))
    assert cli.main(["audit", "--task", "semiprime", "--samples", str(samples)]) == 0
    assert capsys.readouterr().out.startswith("task: semiprime (size 2), target support 441 answers; file ")


# ---- checkers.report ------------------------------------------------------------------------------------


def test_mismatches_show_the_last_six_evidence_lines_and_the_counterexample() -> None:
    ok = Result(Z1, HOLDS)
    refuted = Verdict(Outcome.REFUTED, scope="s", method="m", evidence=tuple(f"line {i}" for i in range(1, 9)),
                      counterexample="n = 3")
    bad = Result(Z2, refuted)
    assert mismatches([ok, bad, Result(_claim("Z3"), UNKNOWN)]) == "\n".join([
        "Z2: expected HOLDS, got REFUTED", *[f"    line {i}" for i in range(3, 9)], "    counterexample: n = 3",
        "Z3: expected HOLDS, got UNKNOWN", "    z3: unknown",
    ])
    assert mismatches([ok]) == ""


def test_summary_line_when_everything_is_as_expected() -> None:
    proved = Result(_claim("Z3", Outcome.PROVED), Verdict(Outcome.PROVED, scope="s", method="m", seconds=0.25))
    assert summary_line([RESULTS["Z1"], proved]) == "2 claims: 1 HOLDS, 1 PROVED; all as expected (1.5 s of checks)"
    assert summary_line([RESULTS["Z2"], RESULTS["Z1"], Result(_claim("Z3"), UNKNOWN)]) == \
        "3 claims: 1 HOLDS, 2 UNKNOWN; 2 not as expected: Z2, Z3 (1.9 s of checks)"




def test_to_json_rounds_seconds_and_keeps_counterexample_and_data(tmp_path: Path) -> None:
    v = Verdict(Outcome.REFUTED, scope="s", method="m", evidence=("e ≤ 1",), counterexample="x = 1",
                seconds=1.23456, data={"t": [{"p": Fraction(1, 3)}]})
    claim = Claim("Z1", "Sec", "quote", "m", Outcome.REFUTED)
    doc = to_json([Result(claim, v)], Level.DEEP)
    assert doc == {"schema": "autoregressive-limits/verdicts/1", "level": "deep", "passed": True, "claims": [{
        "id": "Z1", "section": "Sec", "claim": "quote", "method": "m", "scope": "s", "verdict": "REFUTED",
        "label": "REFUTED", "expected": "REFUTED", "matches": True, "seconds": 1.235, "evidence": ["e ≤ 1"],
        "counterexample": "x = 1", "uses": [], "rests_on": [], "statements": [], "obligations": [], "steps": [],
        "data": {"t": [{"p": Fraction(1, 3)}]},
    }]}
    path = tmp_path / "v.json"
    write_json([Result(claim, v)], Level.DEEP, path)
    assert path.read_text(encoding="utf-8") == json.dumps(doc, indent=2, ensure_ascii=False, default=str) + "\n"
    assert '"seconds": 1.235' in path.read_text(encoding="utf-8") and "e ≤ 1" in path.read_text(encoding="utf-8")
    assert comparable_json([Result(claim, v)], Level.DEEP) == {
        **{k: val for k, val in doc.items() if k != "claims"},
        "claims": [{**{k: val for k, val in doc["claims"][0].items() if k != "seconds"},  # type: ignore[index]
                    "data": {"t": [{"p": "1/3"}]}}],
    }


@pytest.mark.parametrize("key, timing", [
    ("seconds", True), ("s", True), ("ms", True), ("trial_seconds", True), ("flint_s", True), ("a_b_s", True),
    ("median_ms_total", True), ("seconds_per_token", True), ("n", False), ("mass", False), ("s_count", False),
    ("tests", False), ("per_s_x", False),
])
def test_timing_keys(key: str, timing: bool) -> None:
    assert is_timing_key(key) is timing


def test_strip_timings_drops_timing_keys_in_data_only_and_masks_times_in_text() -> None:
    doc = {"seconds": 1.5, "n_s": 4, "scope": "took 0.5 s", "evidence": ["z3: unsat in 12.5 ms", "checked 3 tuples"],
           "data": {"t_seconds": 3, "n": 2, "rows": [{"trial_s": 1, "k": 2, "seconds": 9}]},
           "rows": [{"trial_s": 1}]}
    assert strip_timings(doc) == {
        "n_s": 4, "scope": "took <time>", "evidence": ["z3: unsat in <time>", "checked 3 tuples"],
        "data": {"n": 2, "rows": [{"k": 2}]}, "rows": [{"trial_s": 1}],
    }
    assert strip_timings(["1.5 s", {"ms": 2}], in_data=True) == ["<time>", {}]
    assert strip_timings(7) == 7


def test_differences_name_every_differing_path() -> None:
    a = {"a": 1, "b": [1, 2], "c": {"d": "x"}, "f": [1]}
    b = {"a": 1, "b": [1, 3], "c": {"d": "y"}, "e": 5, "f": [1, 2]}
    assert differences(a, b) == [".b[1]: '2' != '3'", ".c.d: 'x' != 'y'", ".e: 'None' != '5'",
                                 ".f: '[1]' != '[1, 2]'"]
    assert differences(a, b, "doc") == ["doc.b[1]: '2' != '3'", "doc.c.d: 'x' != 'y'", "doc.e: 'None' != '5'",
                                        "doc.f: '[1]' != '[1, 2]'"]
    assert differences("ab", "cd") == [": 'ab' != 'cd'"]
    assert differences([1, 2], "ab") == [": '[1, 2]' != 'ab'"]
    assert differences({"a": 1}, [1]) == [": \"{'a': 1}\" != '[1]'"]
    assert differences("x" * 90, "y" * 90) == [f": {'x' * 80!r} != {'y' * 80!r}"]
    assert differences({1: "a"}, {"1": "a"}) == [".1: 'a' != 'None'", ".1: 'None' != 'a'"]
    assert differences(a, a) == []




def _a6_rows() -> list[dict[str, object]]:
    return [{"eps": f"1/{10**k}", "tvd_lower_bound": f"{10**k - 1}/{10**k}"} for k in range(1, 4)]


def test_write_markdown_with_a_plot_pipes_and_a_gauntlet(tmp_path: Path) -> None:
    spec = next(p for p in PLOTS if p.claim == "A6")
    a6 = Claim("A6", "Appendix", "1 − √ε | bound", "m", Outcome.PROVED)
    other = Claim("Z1", "Other", "q", "m", Outcome.HOLDS)
    v6 = Verdict(Outcome.PROVED, scope="eps | 3", method="sym|py", evidence=("e1", "e2"), seconds=2.25,
                 data={"tvd_bound": _a6_rows()})
    v1 = Verdict(Outcome.HOLDS, scope="s", method="m", seconds=0.5, data={"tvd_bound": [{"eps": 1}]})
    refuted = Verdict(Outcome.REFUTED, scope="s", method="m", counterexample="x")
    md, plots = tmp_path / "report.md", tmp_path / "deep" / "plots"
    pngs = write_markdown([Result(other, v1), Result(a6, v6)], Level.STANDARD, md, plots,
                          [("A6", "bound | squared", refuted)])
    assert plots / spec.filename in pngs and all(p.read_bytes()[:4] == b"\x89PNG" for p in pngs)
    text = md.read_text()
    assert "Level **standard**" in text or "level **standard**" in text
    assert "2 claims: 1 HOLDS, 1 PROVED; all as expected" in text
    # the post's order: A6 is a claim of the post, Z1 is not, so A6 comes first
    assert text.index('<a id="claim-a6"></a>A6 — Appendix') < text.index('<a id="claim-z1"></a>Z1 — Other')
    assert "> 1 − √ε | bound" in text and "**Verdict: PROVED**." in text
    assert "- scope: eps | 3" in text and "- method: sym|py" in text and "- e1\n- e2\n" in text
    assert f"](deep/plots/{spec.filename})" in text  # relative to the report
    assert "1 perturbed claim" in text and "| A6 | bound \\| squared | REFUTED |" in text
    assert "Not as expected" not in text
    for line in textwrap.dedent(VERDICT_GUIDE).strip().split("\n- "):
        assert " ".join(line.removeprefix("- ").split()) in text
    # again into the existing directory, with the report elsewhere: the link is the plot's own path
    md2 = tmp_path / "md" / "r.md"
    md2.parent.mkdir()
    wrong = Result(Claim("Z3", "Sec", "q3", "m", Outcome.PROVED), refuted)
    assert plots / spec.filename in write_markdown([Result(a6, v6), wrong], Level.QUICK, md2, plots)
    text = md2.read_text()
    assert f"]({plots / spec.filename})" in text
    assert "**Verdict: REFUTED** (expected PROVED)." in text
    assert "## <a id=\"not-as-expected\"></a>Not as expected\n\n```text\nZ3: expected PROVED, got REFUTED\n" \
           "    counterexample: x\n```" in text
    assert "The gauntlet" not in text


def test_plots_draw_from_their_own_claims_data() -> None:
    spec = next(p for p in PLOTS if p.claim == "A6")
    mine = [{"eps": "1/10", "tvd_lower_bound": "1/2"}, "junk"]
    results = [Result(_claim("Z1"), Verdict(Outcome.HOLDS, scope="s", method="m", data={"tvd_bound": [{"eps": 7}]})),
               Result(_claim("A6"), Verdict(Outcome.HOLDS, scope="s", method="m", data={"tvd_bound": mine}))]
    fig = build(spec, results)
    assert fig is not None
    (ax,) = fig.get_axes()
    squares = [ln for ln in ax.get_lines() if ln.get_marker() == "s"]
    assert [list(ln.get_xdata()) for ln in squares] == [[0.1]] and [list(ln.get_ydata()) for ln in squares] == [[0.5]]


def test_draw_without_usable_points_draws_nothing(tmp_path: Path) -> None:
    results = [Result(_claim("Z1"), Verdict(Outcome.HOLDS, scope="s", method="m"))]
    for spec in PLOTS:
        assert build(spec, results) is None
        assert draw(spec, results, tmp_path / spec.filename) is False
        assert not (tmp_path / spec.filename).exists()
