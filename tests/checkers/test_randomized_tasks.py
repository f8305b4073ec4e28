"""R1, R3, R4, R5: the post's randomized tasks, exactly; each check with a failing counterpart."""

from __future__ import annotations

import math
from dataclasses import replace
from fractions import Fraction
from types import SimpleNamespace
from typing import Any

import pytest

from checkers import randomized_tasks
from checkers.randomized_tasks import (
    certify_prime_generator,
    check_R1,
    check_R3,
    check_R4,
    check_R5,
    det_prime_tvd,
    expected_tries,
    uniform_number_problem,
)
from checkers.verdict import Level, Outcome, Verdict
from spec import STOP, Coins, Dist, chain_rule, induced
from spec.errors import InvalidArgument
from spec.models import TableModel
from spec.tasks import random_prime, uniform_number
from spec.tasks.primes import n_digit_primes
from spec.tasks.random_prime import completion_range, prime_count
from spec.tasks.random_prime import random_prime as real_random_prime
from spec.tasks.uniform_number import DIGITS
from tests.conftest import assert_panels_above_the_caveat

# ---------------------------------------------------------------- R1


@pytest.mark.slow
def test_R1_six_digit_model_is_exactly_uniform(level: Level) -> None:
    v = check_R1(level)
    assert v.outcome is Outcome.HOLDS, v.evidence
    assert "900000" in v.scope


def test_R1_small_digits_induced_equals_target() -> None:
    for d in (1, 2, 3):
        task = uniform_number(d)
        assert induced(task.phi, task.prompt, max_len=d, alphabet=task.alphabet) == task.target()
        assert uniform_number_problem(task.phi, d) is None


def test_R1_catches_leading_zero_model() -> None:
    def off_by_one(prompt: str, prefix: str) -> Dist[str]:  # the first digit may be 0
        return Dist.uniform("0123456789") if len(prefix) < 3 else Dist.point(STOP)

    bad = uniform_number_problem(off_by_one, 3)
    assert bad is not None and "'000'" in bad and "not a 3-digit number" in bad


def test_R1_catches_nonuniform_and_short_models() -> None:
    def skewed(prompt: str, prefix: str) -> Dist[str]:
        if len(prefix) == 0:
            return Dist.from_weights({d: 2 if d == "1" else 1 for d in "123456789"})
        return Dist.uniform("0123456789") if len(prefix) < 3 else Dist.point(STOP)

    def short(prompt: str, prefix: str) -> Dist[str]:
        return Dist.uniform("123456789") if prefix == "" else Dist.uniform("0123456789") if len(prefix) < 2 else Dist.point(STOP)

    assert "not uniform" in (uniform_number_problem(skewed, 3) or "")
    assert "probability 0" in (uniform_number_problem(short, 3) or "") or "not a 3-digit" in (uniform_number_problem(short, 3) or "")


def test_R1_holds_with_its_evidence_lines(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(randomized_tasks, "uniform_number_problem", lambda phi, digits=6: None)
    v = randomized_tasks.check_R1(Level.QUICK)
    assert v.outcome is Outcome.HOLDS
    assert v.evidence == ("induced law has 900000 texts, each of probability exactly 1/900000",
                          "support = {100000, ..., 999999}")


def test_R1_refuted_branch_exact(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(randomized_tasks, "uniform_number_problem", lambda phi, digits: f"bad {digits}")
    v = randomized_tasks.check_R1(Level.QUICK)
    assert [s.outcome for s in v.statements] == [Outcome.REFUTED]
    assert replace(v, statements=(), seconds=0.0) == Verdict(
        Outcome.REFUTED, "all 900000 six-digit numbers (every response of the model, exactly)",
        "exact induced law (tree expansion); uniform iff #support = common denominator; support = 100000..999999",
        ("bad 6",), counterexample="bad 6")


def _digit_model(first: Dist[str]) -> TableModel:
    return TableModel(DIGITS, {"": first, **{d: Dist.point(STOP) for d in "0123456789"}}, 1)


def test_uniform_number_problem_messages_exact() -> None:
    assert randomized_tasks.uniform_number_problem(uniform_number(2).phi, 2) is None
    skewed = _digit_model(Dist({"1": Fraction(2, 3), "2": Fraction(1, 3)}))
    assert randomized_tasks.uniform_number_problem(skewed, 1) == "not uniform: P('1') = 2/3, while 1/9 is the target"
    assert randomized_tasks.uniform_number_problem(_digit_model(Dist.uniform("012345678")), 1) == (
        "'0' (not a 1-digit number) has probability 1/9")
    assert randomized_tasks.uniform_number_problem(_digit_model(Dist.uniform("12")), 1) == "'3' has probability 0, not 1/9"


# ---------------------------------------------------------------- R3


@pytest.mark.slow
def test_R3_randomized_generator_is_uniform_up_to_certified_residual(level: Level) -> None:
    v = check_R3(level)
    assert v.outcome is Outcome.HOLDS, v.evidence
    assert any("→ 0 geometrically" in e for e in v.evidence)


def _dropping(task_n: int, dropped: int) -> object:
    """The post's φ_r, except that its primality test rejects one prime."""
    task = random_prime(task_n)

    def phi_r(prompt: str, prefix: str, coins: Coins) -> Dist[str]:
        k, n = len(prefix), task_n
        if k == n:
            return Dist.point(STOP)
        r = completion_range(prefix, n)

        def attempt(c: Coins) -> tuple[str, bool]:
            x = r.start + c.randbelow(len(r))
            return str(x)[k], x != dropped and x in primes

        digit, _ = coins.until(attempt, lambda t: t[1])
        return Dist.point(digit)

    primes = frozenset(task.primes())
    return phi_r


def test_R3_catches_generator_that_drops_a_prime() -> None:
    phi_r = _dropping(2, 13)
    cert = certify_prime_generator(phi_r, 2, 48)  # type: ignore[arg-type]
    assert any("after '1'" in e for e in cert.step_errors)
    assert cert.normalised.get("13", Fraction(0)) == 0
    # at this budget the residual is below 1/21, so the sandwich alone also names the dropped prime
    assert cert.residual < Fraction(1, 21)
    assert any("'13'" in v for v in cert.problems())


@pytest.mark.slow
def test_R3_post_generator_certificate_has_no_problems() -> None:
    task = random_prime(2)
    cert = certify_prime_generator(task.phi_r, 2, 48, task.prompt)
    assert cert.problems() == [] and cert.step_errors == ()
    assert set(cert.normalised) == {str(p) for p in task.primes()}
    assert all(v == Fraction(1, 21) for v in cert.normalised.values())
    assert sum(cert.lower.values()) + cert.residual == 1


def test_R3_holds_with_certificates_and_the_residual_curve() -> None:
    v = randomized_tasks.check_R3(Level.QUICK)
    assert v.outcome is Outcome.HOLDS
    assert set(v.data) == {"R3_certificates", "R3_residual_curve"}


def test_R3_refuted_branch_exact(monkeypatch: pytest.MonkeyPatch) -> None:
    def fake_problems(self: randomized_tasks.PrimeCertificate) -> list[str]:
        return ["v1", "v2", "v3", "v4"] if self.n == 1 else []

    def fake_random_prime(n: int) -> object:
        task = real_random_prime(n)
        if n != 2:
            return task
        return SimpleNamespace(phi_r=task.phi_r, prompt=task.prompt, primes=lambda: task.primes()[:-1])

    monkeypatch.setattr(randomized_tasks.PrimeCertificate, "problems", fake_problems)
    monkeypatch.setattr(randomized_tasks, "random_prime", fake_random_prime)
    v = randomized_tasks.check_R3(Level.QUICK)
    problems = ("n=1: v1", "n=1: v2", "n=1: v3", "n=2: n=2: the normalised step laws do not compose to Unif(primes)")
    assert v.outcome is Outcome.REFUTED and v.counterexample == "n=1: v1"
    assert v.evidence[:4] == problems and len(v.evidence) == 4 + 3 + 2
    assert v.scope == "n = 1..3 digits, all primes, every reachable prefix; 16 coin choices per digit"
    assert v.method == "enumerate_runs per prefix (certified residual), composed as sub-stochastic products"
    rows = v.data["R3_certificates"]
    assert isinstance(rows, list) and [r["n"] for r in rows] == [1, 2, 3] and rows[1]["primes"] == 20
    assert all(r["step_laws_exact"] is True and r["budget"] == 16 for r in rows)
    assert list(rows[0]) == ["n", "primes", "budget", "prefixes", "residual", "residual_float", "step_laws_exact"]
    assert rows[0]["prefixes"] == 5  # "" and the four 1-digit primes


def test_prime_certificate_problems_exact() -> None:
    cert = randomized_tasks.PrimeCertificate(
        1, 4, {"2": Fraction(1, 2), "4": Fraction(1, 10), "3": Fraction(1, 8)}, Fraction(1, 20), (), 5,
        Fraction(0), {})
    assert cert.problems() == [
        "'4' is not an 1-digit prime but has probability ≥ 1/10",
        "'2' has probability ≥ 1/2 > 1/4",
        "'3' has probability ≤ 7/40 < 1/4",
        "'5' has probability ≤ 1/20 < 1/4",
        "'7' has probability ≤ 1/20 < 1/4",
    ]
    assert cert.tvd_bound() == Fraction(1, 20)


def test_certify_prime_generator_counts_prefixes() -> None:
    for n in (1, 2):
        task = real_random_prime(n)
        cert = randomized_tasks.certify_prime_generator(task.phi_r, n, 16, task.prompt)
        primes = [str(p) for p in n_digit_primes(n)]
        reachable = {p[:k] for p in primes for k in range(n + 1)}
        assert cert.prefixes == len(reachable)
        assert not cert.step_errors and cert.problems() == []
        assert sum(cert.lower.values()) + cert.residual == 1


def _broken_prime_phi_r(prompt: str, prefix: str, coins: Coins) -> Dist[str]:
    return Dist.uniform(["2", STOP]) if prefix == "" else Dist.point("3")


def test_certify_prime_generator_reports_broken_steps() -> None:
    cert = randomized_tasks.certify_prime_generator(_broken_prime_phi_r, 1, 4)
    assert sorted(cert.step_errors) == sorted([
        "after '': P(next = '2') = 1/2 within budget, not c(2)/c() = 1/4",
        "after '': P(next = '[STOP]') = 1/2 within budget, not c([STOP])/c() = 0",
        "after '2': mass 1 continues past 1 digits",
    ])
    assert cert.lower == {"": Fraction(1, 2)} and cert.residual == Fraction(1, 2) and cert.prefixes == 2
    assert cert.normalised == {"": Fraction(1, 2)} and cert.worst_step_residual == 0


# ---------------------------------------------------------------- R4


def test_R4_expected_tries_equal_the_brute_force_average() -> None:
    """E[tries at digit k] = Σ_x P(prefix x) · (1/q(x)), summed here over every prime directly."""
    for n in (2, 3):
        primes = n_digit_primes(n)
        want = []
        for k in range(n):
            total = Fraction(0)
            for p in primes:
                x = str(p)[:k]
                total += Fraction(1, len(primes)) * Fraction(len(completion_range(x, n)), prime_count(x, n))
            want.append(total)
        assert expected_tries(n) == want


def test_R4_table_holds(level: Level) -> None:
    v = check_R4(level)
    assert v.outcome is Outcome.HOLDS, v.evidence
    rows = v.data["R4_expected_tries"]
    assert isinstance(rows, list) and rows[0]["per_digit"] == ["9/4"]


def test_R4_refuted_branches_exact(monkeypatch: pytest.MonkeyPatch) -> None:
    real = n_digit_primes
    counts = {n: len(real(n)) for n in range(1, 7)}
    monkeypatch.setattr(randomized_tasks, "expected_tries", lambda n, primes: [Fraction(10**9)] * n)
    monkeypatch.setattr(randomized_tasks, "n_digit_primes", lambda n: () if n == 2 else real(n))
    v = randomized_tasks.check_R4(Level.QUICK)
    problems = []
    for n in range(1, 7):
        if n == 2:
            problems.append("n=2: the numpy sieve disagrees with spec's")
        problems.append(f"n={n}: a digit's expected tries exceeds 1/density = {Fraction(9 * 10 ** (n - 1), counts[n])}")
    assert v.outcome is Outcome.REFUTED and v.evidence == tuple(problems) and v.counterexample == problems[0]
    assert v.scope == "n = 1..6, every digit position, every reachable prefix"
    assert v.method == ("closed form E[tries | x] = 1/q(x) (geometric), averaged exactly over the prefix law; "
                        "numpy sieve to 10^6")
    rows = v.data["R4_expected_tries"]
    assert isinstance(rows, list) and [r["primes"] for r in rows] == [counts[n] for n in range(1, 7)]
    assert rows[0] == {"n": 1, "primes": 4, "per_digit": ["1000000000"], "per_digit_float": [1e9], "total": "1000000000",
                       "total_float": 1e9, "inverse_density": 2.25, "total_over_n2": 1e9}


def test_primes_below_matches_trial_division() -> None:
    for limit in (0, 1, 2, 3, 4, 10, 11, 25, 26, 49, 50, 121, 122, 1000):
        want = [x for x in range(2, limit) if all(x % d for d in range(2, math.isqrt(x) + 1))]
        got = randomized_tasks._primes_below(limit)
        assert got.tolist() == want, limit
        assert got.dtype.kind == "i"
    assert len(randomized_tasks._primes_below(10**6)) == 78498  # π(10^6)


# ---------------------------------------------------------------- R5


def test_R5_exact_counting_only_is_exact() -> None:
    for n in (1, 2, 3):
        assert det_prime_tvd(n, n) == 0


@pytest.mark.slow
def test_R5_integral_digits_cost_tvd_and_more_exact_digits_help() -> None:
    t = [det_prime_tvd(4, m) for m in range(5)]
    assert t[0] > t[1] > t[2] > t[3] > t[4] == 0


def test_R5_fixed_exact_tail_error_grows_with_n_so_the_sketch_is_refuted(level: Level) -> None:
    v = check_R5(level)
    assert v.outcome is Outcome.REFUTED and not v.passed
    assert v.counterexample is not None and "m = 1" in v.counterexample
    # the counterexample is re-checked here in exact arithmetic
    assert det_prime_tvd(3, 1) > det_prime_tvd(2, 1) > 0
    assert any("falls strictly as m grows (HOLDS" in e for e in v.evidence)
    # the scope and statements say which reading is refuted, and that the fall in m is a measured trend
    assert v.scope.endswith("the reading checked: a fixed number m of exactly counted last digits")
    assert [(s.relation.name, s.outcome) for s in v.statements] == [
        ("SAME", Outcome.REFUTED), ("EVIDENCE", Outcome.HOLDS)]
    assert v.statements[0].text.startswith("a fixed number m of exactly counted last digits")


def test_R5_refuted_when_exact_counting_is_not_exact(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(randomized_tasks, "det_prime_tvd", lambda n, m: Fraction(1, 7))
    v = randomized_tasks.check_R5(Level.QUICK)
    problems = tuple(f"n={n}: m = n (exact counting only) gives tvd 1/7, not 0" for n in range(1, 5))
    assert v.outcome is Outcome.REFUTED and v.evidence == problems and v.counterexample == problems[0]
    scope_pairs = [(n, m) for n in range(1, 5) for m in range(1, n + 1)] + [(2, 0), (3, 0)]
    assert v.scope == ("(n, m) in " + ", ".join(f"({n},{m})" for n, m in scope_pairs) + "; every n-digit text; "
                       "the reading checked: a fixed number m of exactly counted last digits")
    assert v.method.startswith("exact induced law of the generator (integral of 1/ln x")
    assert v.data == {"R5_tvd": [{"n": n, "m": m, "tvd": "1/7", "tvd_float": 1 / 7} for n, m in scope_pairs]}


def test_R5_unknown_when_the_tvd_does_not_fall_strictly_in_m(monkeypatch: pytest.MonkeyPatch) -> None:
    # exact at m = n, otherwise n/100 whatever m: grows with n, but does not fall with m
    monkeypatch.setattr(randomized_tasks, "det_prime_tvd", lambda n, m: Fraction(0) if n == m else Fraction(n, 100))
    v = randomized_tasks.check_R5(Level.QUICK)
    assert v.outcome is Outcome.UNKNOWN and v.counterexample is None
    assert v.evidence[-1] == "corrected statement: for every n in scope the TVD falls strictly as m grows (FAILS on this scope)"


def test_R5_unknown_branch_exact(monkeypatch: pytest.MonkeyPatch) -> None:
    # tvd 1/((m+1)·n) below the diagonal, 0 on it: falls with m, and does not grow with n
    monkeypatch.setattr(randomized_tasks, "det_prime_tvd", lambda n, m: Fraction(0) if m == n else Fraction(1, (m + 1) * n))
    v = randomized_tasks.check_R5(Level.QUICK)
    scope_pairs = [(n, m) for n in range(1, 5) for m in range(1, n + 1)] + [(2, 0), (3, 0)]
    assert v.outcome is Outcome.UNKNOWN and v.counterexample is None
    assert v.scope == ("(n, m) in " + ", ".join(f"({n},{m})" for n, m in scope_pairs) + "; every n-digit text; "
                       "the reading checked: a fixed number m of exactly counted last digits")
    assert v.data == {"R5_tvd": [{"n": n, "m": m, "tvd": str(Fraction(0) if m == n else Fraction(1, (m + 1) * n)),
                                  "tvd_float": 0.0 if m == n else 1 / ((m + 1) * n)} for n, m in scope_pairs]}
    assert v.evidence[0] == "m=0 fixed: tvd vs n = n=2: 0.5, n=3: 0.333"
    assert v.evidence[1] == "m=1 fixed: tvd vs n = n=2: 0.25, n=3: 0.167, n=4: 0.125"
    assert v.evidence[-1] == "corrected statement: for every n in scope the TVD falls strictly as m grows (HOLDS on this scope)"


# ---- the section's perturbed twins --------------------------------------------------------------------


def test_recheck_r4_recounts_the_primes() -> None:
    def verdict_for(n: int) -> Verdict:
        return Verdict(Outcome.REFUTED, "s", "m", counterexample="c", data={"n": n, "worst": "x"})

    assert randomized_tasks._recheck_r4(verdict_for(1)) is None
    assert randomized_tasks._recheck_r4(verdict_for(2)) is None


def test_r5_tvd_at_most_holds_branch() -> None:
    v = randomized_tasks._r5_tvd_at_most(lambda n: n, lambda n: Fraction(0), "m = n, TVD = 0")
    assert (v.outcome, v.scope, v.method, v.evidence) == (Outcome.HOLDS, "n = 2, 3", "R5's det_prime_tvd: m = n, TVD = 0", ())


def test_r4_two_tries_twin_is_refuted_at_n_1_with_the_worst_digit() -> None:
    # n = 1: 4 primes among 9 digits, so the only digit needs 9/4 > 2 expected completions
    v = randomized_tasks._r4_at_most_two_tries(Level.QUICK)
    problem = "n=1: a digit needs 9/4 expected completions (> 2)"
    assert (v.outcome, v.scope, v.method, v.evidence, v.counterexample) == (
        Outcome.REFUTED, "n = 1..6, every digit", "R4's exact expected_tries", (problem,), problem)
    assert dict(v.data) == {"n": 1, "worst": "9/4"}
    assert randomized_tasks._recheck_r4(v) is None


def _r5_rows() -> list[dict[str, object]]:
    """TVD by (n, m): zero on the diagonal, 1/2 at (2, 0), and 1/10, 1/5, 1/40 at (2, 1), (3, 1), (3, 2)."""
    table = {(1, 1): Fraction(0), (2, 0): Fraction(1, 2), (2, 1): Fraction(1, 10), (2, 2): Fraction(0),
             (3, 1): Fraction(1, 5), (3, 2): Fraction(1, 40), (3, 3): Fraction(0)}
    return [{"n": n, "m": m, "tvd": str(t), "tvd_float": float(t)} for (n, m), t in table.items()]


def test_r5_figure_draws_tvd_against_n_and_against_m_with_zeros_on_the_floor() -> None:
    from checkers.report.plots import pyplot

    fig = randomized_tasks.r5_figure(Verdict(Outcome.REFUTED, "s", "m", counterexample="c", data={"R5_tvd": _r5_rows()}), {})
    assert fig is not None
    try:
        left, right = fig.axes
        floor = 10**-2 / 4  # the decade under the least positive TVD 1/40, divided by 4
        assert [t.get_text() for t in left.get_legend().get_texts()] == [
            "m = 0 last digits counted exactly", "m = 1 last digit counted exactly",
            "m = 2 last digits counted exactly", "TVD = 0 exactly (m = n: every digit counted)"]
        assert [ln.get_xydata().tolist() for ln in left.get_lines()][:4] == [
            [[2, 0.5]], [[2, 0.1], [3, 0.2]], [[3, 0.025]], [[1, floor], [2, floor], [3, floor]]]
        assert [t.get_text() for t in right.get_legend().get_texts()] == [
            "TVD = 0 exactly (m = n)", "n = 2 digits", "n = 3 digits"]
        assert [ln.get_xydata().tolist() for ln in right.get_lines()][:3] == [
            [[1, floor], [2, floor], [3, floor]], [[0, 0.5], [1, 0.1]], [[1, 0.2], [2, 0.025]]]
        assert (left.get_xlabel(), right.get_xlabel(), left.get_ylabel()) == (
            "n, digits of the prime", "m, last digits counted exactly", "exact TVD to Unif(n-digit primes) (no unit)")
        assert [t.get_text() for t in left.texts] == ["0"] and [t.get_text() for t in right.texts] == ["0"]
        words = " ".join(" ".join(t.get_text() for t in fig.texts).split())
        assert words.startswith("Each line ends where the checked scope ends (n ≤ 3 at this level;")
    finally:
        pyplot().close(fig)


def test_wrong_on_one_prefix_keeps_the_prompt_off_the_wrong_prefix() -> None:
    def echo(prompt: str, prefix: str) -> Dist[str]:  # a model whose law depends on the prompt
        return Dist.point(prompt[-1]) if len(prefix) < 2 else Dist.point(STOP)

    wrong = randomized_tasks.wrong_on_one_prefix(echo, "a", Dist.point("z"))
    assert wrong("xyb", "") == Dist.point("b")
    assert wrong("xyb", "a") == Dist.point("z")
    assert induced(wrong, "pa", max_len=2) == Dist.point("az")
    assert induced(wrong, "pc", max_len=2) == Dist.point("cc")


def test_r5_figure_marks_every_plotted_tvd_and_draws_the_break_above_the_zeros() -> None:
    from checkers.report.plots import pyplot

    fig = randomized_tasks.r5_figure(Verdict(Outcome.REFUTED, "s", "m", counterexample="c", data={"R5_tvd": _r5_rows()}), {})
    assert fig is not None
    try:
        left, right = fig.axes
        floor = 10**-2 / 4
        for ax, prefix in ((left, "m = "), (right, "n = ")):
            data = [ln for ln in ax.get_lines() if str(ln.get_label()).startswith(prefix)]
            assert data, prefix
            # a one-point line is visible only through its marker
            assert [(ln.get_marker(), ln.get_linestyle()) for ln in data] == [("o", "-")] * len(data)
            breaks = [ln for ln in ax.get_lines() if ln.get_linestyle() == ":"]
            assert len(breaks) == 1
            y = breaks[0].get_ydata()
            assert list(y) == pytest.approx([floor * 1.9] * 2)
            assert floor < y[0] < 1 / 40  # between the row of exact zeros and the least positive TVD
    finally:
        pyplot().close(fig)


def test_r5_figure_with_only_exact_zeros_draws_them_on_a_default_floor() -> None:
    from checkers.report.plots import pyplot

    rows: list[dict[str, object]] = [{"n": n, "m": n, "tvd": "0", "tvd_float": 0.0} for n in (1, 2)]
    fig = randomized_tasks.r5_figure(Verdict(Outcome.REFUTED, "s", "m", counterexample="c", data={"R5_tvd": rows}), {})
    assert fig is not None
    try:
        left, right = fig.axes
        assert left.get_lines()[0].get_xydata().tolist() == [[1, 1e-3], [2, 1e-3]]
        assert right.get_lines()[0].get_xydata().tolist() == [[1, 1e-3], [2, 1e-3]]
        assert left.get_ylim() == pytest.approx((1e-3 / 2, 1.5))
        assert [t.get_text() for t in left.get_legend().get_texts()] == ["TVD = 0 exactly (m = n: every digit counted)"]
    finally:
        pyplot().close(fig)


def test_r5_figure_names_a_one_digit_series_in_the_singular_on_a_10_by_4_8_figure() -> None:
    from checkers.report.plots import pyplot

    rows = [{"n": n, "m": m, "tvd": str(t), "tvd_float": float(t)}
            for (n, m), t in {(1, 0): Fraction(1, 2), (1, 1): Fraction(0)}.items()]
    fig = randomized_tasks.r5_figure(Verdict(Outcome.REFUTED, "s", "m", counterexample="c", data={"R5_tvd": rows}), {})
    assert fig is not None
    try:
        _, right = fig.axes
        assert [t.get_text() for t in right.get_legend().get_texts()] == ["TVD = 0 exactly (m = n)", "n = 1 digit"]
        assert tuple(fig.get_size_inches()) == (10.0, 4.8)
        assert right.title.get_fontsize() == 9
    finally:
        pyplot().close(fig)


def test_certify_prime_generator_rejects_a_step_that_is_not_a_law() -> None:
    def texty(prompt: str, prefix: str, coins: Coins) -> Dist[str]:
        return "2"  # type: ignore[return-value]

    with pytest.raises(InvalidArgument, match=r"^certify_prime_generator: φ_r returned str at ''$"):
        certify_prime_generator(texty, 1, 2)


def test_certify_prime_generator_asks_phi_r_with_the_prompt_given() -> None:
    task = real_random_prime(1)
    prompts: list[object] = []

    def recording(prompt: str, prefix: str, coins: Coins) -> Dist[str]:
        prompts.append(prompt)
        return task.phi_r(prompt, prefix, coins)

    cert = certify_prime_generator(recording, 1, 4, "Give me a prime: ")
    assert prompts and set(prompts) == {"Give me a prime: "}
    assert cert.step_errors == ()


def test_uniform_number_problem_names_a_text_of_the_wrong_length_even_when_lengths_sum_right() -> None:
    # 90 equally likely texts whose lengths total 2·90: "1" and "100" stand in for two 2-digit numbers
    texts = ["1", "100"] + [str(x) for x in range(12, 100)]
    assert len(texts) == 90 and sum(map(len, texts)) == 180
    assert uniform_number_problem(chain_rule(Dist.uniform(texts)), 2) == "'1' (not a 2-digit number) has probability 1/90"


def _r5_figure() -> Any:
    fig = randomized_tasks.r5_figure(Verdict(Outcome.REFUTED, "s", "m", counterexample="c", data={"R5_tvd": _r5_rows()}), {})
    assert fig is not None
    return fig


def test_r5_figure_draws_the_break_as_a_thin_line() -> None:
    from checkers.report.plots import pyplot

    fig = _r5_figure()
    try:
        for ax in fig.axes:
            (brk,) = [ln for ln in ax.get_lines() if ln.get_linestyle() == ":"]
            assert brk.get_linewidth() == 0.8
    finally:
        pyplot().close(fig)


def test_r5_figure_keeps_both_panels_inside_the_figure_above_the_caveat() -> None:
    from checkers.report.plots import pyplot

    fig = _r5_figure()
    try:
        assert_panels_above_the_caveat(fig)
    finally:
        pyplot().close(fig)
