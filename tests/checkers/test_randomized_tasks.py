"""R1, R3, R4, R5: the post's randomized tasks, exactly; each check with a failing counterpart."""

from __future__ import annotations

from fractions import Fraction

import pytest

from checkers.randomized_tasks import (
    certify_prime_generator,
    check_R1,
    check_R3,
    check_R4,
    check_R5,
    det_prime_tvd,
    expected_tries,
    uniform_number_mismatch,
)
from checkers.verdict import Level, Outcome
from spec import STOP, Coins, Dist, induced
from spec.tasks import random_prime, uniform_number
from spec.tasks.primes import n_digit_primes
from spec.tasks.random_prime import completion_range, prime_count


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
        assert uniform_number_mismatch(task.phi, d) is None


def test_R1_catches_leading_zero_model() -> None:
    def off_by_one(prompt: str, prefix: str) -> Dist[str]:  # the first digit may be 0
        return Dist.uniform("0123456789") if len(prefix) < 3 else Dist.point(STOP)

    bad = uniform_number_mismatch(off_by_one, 3)
    assert bad is not None and "'000'" in bad and "not a 3-digit number" in bad


def test_R1_catches_nonuniform_and_short_models() -> None:
    def skewed(prompt: str, prefix: str) -> Dist[str]:
        if len(prefix) == 0:
            return Dist.from_weights({d: 2 if d == "1" else 1 for d in "123456789"})
        return Dist.uniform("0123456789") if len(prefix) < 3 else Dist.point(STOP)

    def short(prompt: str, prefix: str) -> Dist[str]:
        return Dist.uniform("123456789") if prefix == "" else Dist.uniform("0123456789") if len(prefix) < 2 else Dist.point(STOP)

    assert "not uniform" in (uniform_number_mismatch(skewed, 3) or "")
    assert "probability 0" in (uniform_number_mismatch(short, 3) or "") or "not a 3-digit" in (uniform_number_mismatch(short, 3) or "")


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
    assert any("'13'" in v for v in cert.violations())


@pytest.mark.slow
def test_R3_post_generator_certificate_has_no_violations() -> None:
    task = random_prime(2)
    cert = certify_prime_generator(task.phi_r, 2, 48, task.prompt)
    assert cert.violations() == [] and cert.step_errors == ()
    assert set(cert.normalised) == {str(p) for p in task.primes()}
    assert all(v == Fraction(1, 21) for v in cert.normalised.values())
    assert sum(cert.lower.values()) + cert.residual == 1


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
