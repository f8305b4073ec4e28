"""F1-F4: Claim 1's reduction (checkers.reduction, checkers.factoring) and F2's SMT proof; each check with
a failing counterpart."""

from __future__ import annotations

import random
from fractions import Fraction

import pytest
import z3
from hypothesis import given
from hypothesis import strategies as st

from checkers import smt
from checkers import smt_reduction as sr
from checkers.factoring import TrialDivision, flint_factor, sympy_factor, trial_division_count
from checkers.reduction import (
    backend_factorizer,
    ceil_half_log10,
    check_F1,
    check_F2,
    check_F3,
    check_F4,
    continuation_law,
    f1_mismatch,
    f3_verdict,
    factor_with,
    floor_half_log10,
    footnote3_counterexample,
    grouped_shard,
    reduction_failures,
    target_failures,
)
from checkers.verdict import Level, Outcome, Relation
from spec import STOP, Dist, chain_rule, induced
from spec.errors import InvalidArgument, ZeroMass
from spec.tasks import semiprime_triple
from spec.tasks.primes import n_digit_primes
from spec.tasks.semiprime import (
    FactorFirstModel,
    ProductLastModel,
    distinct_products,
    ordered_factorizations,
    tuple_text,
)
from strategies import prime_pairs, semiprimes

REFERENCE = {1: (4, 16, 10), 2: (21, 441, 231), 3: (143, 20449, 10296)}


# ---------------------------------------------------------------- F1


def test_F1_product_last_model_is_exact(level: Level) -> None:
    v = check_F1(level)
    assert v.outcome is Outcome.HOLDS, v.evidence


def test_F1_catches_a_wrong_product() -> None:
    good = ProductLastModel(2)

    def off_by_two(prompt: str, prefix: str) -> Dist[str]:  # writes p·q + 2 as the third field
        fields = prefix[1:].split(",")
        if len(fields) < 3:
            return good(prompt, prefix)
        full = f"[{fields[0]},{fields[1]},{int(fields[0]) * int(fields[1]) + 2}]"
        return Dist.point(full[len(prefix)]) if len(prefix) < len(full) else Dist.point(STOP)

    assert f1_mismatch(good, 2) is None
    bad = f1_mismatch(off_by_two, 2)
    assert bad is not None and "induced ≠ Unif(S_n)" in bad


# ---------------------------------------------------------------- F2


@pytest.mark.slow
def test_F2_every_s_is_factored_by_the_exact_model(level: Level) -> None:
    v = check_F2(level)
    assert v.outcome is Outcome.HOLDS, v.evidence


def _corrupted_target(n: int) -> tuple[Dist[str], int]:
    """Unif(S_n) with the tuple of the smallest prime pair replaced by wrong factors."""
    task = semiprime_triple(n, "pq,p,q")
    p = n_digit_primes(n)[0]
    q = n_digit_primes(n)[1]
    texts = [t for t in task.target().support if t != tuple_text(p, p, "pq,p,q")]
    texts.append(f"[{p * p},{p},{q}]")  # s = p² claims the factors p, q
    return Dist.uniform(texts), p * p


def test_F2_catches_a_corrupted_target_naming_s() -> None:
    target, s = _corrupted_target(2)
    bad = reduction_failures(chain_rule(target), 2, distinct_products(2))
    assert bad and all(f"s={s}:" in b for b in bad)
    found, _ = target_failures(target, 2)
    assert found and f"s={s}:" in found[0]


def test_F2_catches_a_model_that_guesses() -> None:
    fact = ordered_factorizations(2)
    wrong = FactorFirstModel(2, lambda s: list(fact(s)) + [(11, 11)])  # (11, 11) only right for s = 121
    bad = reduction_failures(wrong, 2, [11 * 13])
    assert bad == []  # a wrong pair whose product is not s is dropped by the model itself
    lying = FactorFirstModel(2, lambda s: [(11, 13)])
    bad = reduction_failures(lying, 2, [11 * 17])
    assert bad and "s=187" in bad[0]


@given(semiprimes(2))
def test_F2_factor_with_returns_the_factors(s: int) -> None:
    a, b = factor_with(FactorFirstModel(2, ordered_factorizations(2)), s, 2)
    assert a * b == s and a in n_digit_primes(2) and b in n_digit_primes(2)


def test_F2_continuation_law_is_uniform_over_orderings() -> None:
    phi = chain_rule(semiprime_triple(2, "pq,p,q").target())
    assert continuation_law(phi, 11 * 13, 2) == Dist.uniform(["11,13]", "13,11]"])
    assert continuation_law(phi, 11 * 11, 2) == Dist.point("11,11]")


def test_F2_fast_models_equal_the_chain_rule() -> None:
    task = semiprime_triple(2, "pq,p,q")
    for fact in (ordered_factorizations(2), backend_factorizer(flint_factor, 2), backend_factorizer(sympy_factor, 2)):
        assert induced(FactorFirstModel(2, fact), task.prompt, max_len=task.max_len) == task.target()


def test_F2_bad_input_is_typed() -> None:
    phi = FactorFirstModel(2, ordered_factorizations(2))
    with pytest.raises(ZeroMass, match="15"):
        factor_with(phi, 15, 2)  # 3·5 is not a product of 2-digit primes
    with pytest.raises(InvalidArgument, match="positive int"):
        factor_with(phi, -4, 2)
    with pytest.raises(InvalidArgument, match="n must be"):
        factor_with(phi, 143, 0)


def test_F2_numpy_grouping_matches_the_reference() -> None:
    for n, (primes, pairs, distinct) in REFERENCE.items():
        shards = [grouped_shard(n, i, 3) for i in range(3)]
        assert sum(r["pairs"] for r in shards) == pairs
        assert sum(r["distinct"] for r in shards) == distinct
        assert sum(r["bad_groups"] for r in shards) == 0 and sum(r["squares"] for r in shards) == primes


# ---------------------------------------------------------------- F3


@given(prime_pairs(4))
def test_F3_trial_division_count_is_exact(pq: tuple[int, int]) -> None:
    p, q = pq
    td = TrialDivision()
    assert td(p * q) == sorted(pq) == sympy_factor(p * q) == flint_factor(p * q)
    assert td.divisions == trial_division_count(p, q)


def test_F3_holds_given_X1_from_the_reduction_with_the_cost_table_as_evidence(level: Level) -> None:
    v = check_F3(level)
    assert v.outcome is Outcome.HOLDS and v.label == "HOLDS given X1", v.evidence
    assert set(v.rests_on) == {"F2", "X1"}
    relations = [(s.relation, s.outcome) for s in v.statements]
    assert (Relation.SPECIAL_CASE, Outcome.HOLDS) in relations and (Relation.ASSUMPTION, Outcome.ASSUMED) in relations
    assert (Relation.EVIDENCE, Outcome.HOLDS) in relations  # the cost table is a measurement, not the verdict
    rows = v.data["F3_cost"]
    assert isinstance(rows, list) and [r["n"] for r in rows] == list(range(1, 21))


def test_F3_is_refuted_when_the_reduction_fails_on_a_corrupted_target() -> None:
    corrupted = {2: _corrupted_target(2)[0]}
    v = f3_verdict(Level.QUICK, target_of=lambda n: corrupted.get(n) or semiprime_triple(n, "pq,p,q").target(),
                   rows=_ok_cost_rows())
    assert v.outcome is Outcome.REFUTED and v.counterexample is not None and v.counterexample.startswith("s=")
    assert [s.outcome for s in v.statements if s.relation is Relation.SAME] == [Outcome.REFUTED]


def _ok_cost_rows() -> list[dict[str, object]]:
    return [{"n": n, "backends_agree": True, "trial_divisions_min": 1 + (10 ** (n - 1) - 1) // 2 if n > 1 else 1,
             "primality_tests_per_prime": 2, "trial_divisions_median": 3, "trial_seconds": None,
             "sympy_seconds": None, "flint_seconds": 0.5} for n in (1, 2)]


def test_F3_a_broken_cost_measurement_is_unknown_not_a_refutation() -> None:
    rows = _ok_cost_rows()
    rows[1] = {**rows[1], "backends_agree": False}
    v = f3_verdict(Level.QUICK, rows=rows)
    assert v.outcome is Outcome.UNKNOWN and v.counterexample is None
    assert "n=2: the back-ends disagree on a factorization (or the division count formula is off)" in v.evidence
    assert [s.outcome for s in v.statements if s.relation is Relation.EVIDENCE] == [Outcome.UNKNOWN]
    assert f3_verdict(Level.QUICK, rows=_ok_cost_rows()).outcome is Outcome.HOLDS


def test_F3_backends_refuse_bad_input() -> None:
    for f in (TrialDivision(), sympy_factor, flint_factor):
        with pytest.raises(InvalidArgument, match="s must be"):
            f(1)


# ---------------------------------------------------------------- F4


def test_F4_footnote3_holds(level: Level) -> None:
    v = check_F4(level)
    assert v.outcome is Outcome.HOLDS, v.evidence


def test_F4_perturbed_footnote_is_refuted() -> None:
    pairs = [(p, q) for p in n_digit_primes(1) for q in n_digit_primes(1)]
    bad = footnote3_counterexample(1, floor_half_log10, pairs)
    assert bad is not None and "s=4" in bad  # ⌊½ log₁₀ 4⌋ = 0
    assert footnote3_counterexample(2, lambda s: 1, [(11, 13)]) is not None


@given(st.integers(1, 10**12))
def test_F4_integer_ceil_half_log10_matches_its_definition(s: int) -> None:
    k = ceil_half_log10(s)
    assert s <= 100**k and (k == 0 or s > 100 ** (k - 1))
    f = floor_half_log10(s)
    assert 100**f <= s < 100 ** (f + 1)


def test_F4_edge_cases() -> None:
    assert [ceil_half_log10(s) for s in (1, 10, 100, 101, 10**4, 10**4 + 1)] == [0, 1, 1, 2, 2, 3]
    with pytest.raises(InvalidArgument):
        ceil_half_log10(0)


def test_reduction_sampled_run_is_seeded() -> None:
    phi = FactorFirstModel(2, ordered_factorizations(2))
    assert factor_with(phi, 143, 2, random.Random(1)) == factor_with(phi, 143, 2, random.Random(1))
    assert Fraction(1) == sum(p for _, p in continuation_law(phi, 143, 2).items())


@pytest.mark.slow
@pytest.mark.parametrize("shard", range(8))
def test_F2_deep_n5_shard_has_unique_factorisations(level: Level, shard: int) -> None:
    """Deep only (the thorough profile): one of 8 shards of the 70M pairs of S_5; xdist splits them."""
    if level is not Level.DEEP:
        pytest.skip("n = 5 runs at the deep level (HYPOTHESIS_PROFILE=thorough)")
    r = grouped_shard(5, shard, 8)
    assert r["pairs"] > 0 and r["bad_groups"] == 0
    assert 2 * r["distinct"] == r["pairs"] + r["squares"]  # {p,q], q,p]} per s, one for squares


# ---------------------------------------------------------------- F2: Claim 1 by SMT (checkers.smt_reduction)


def test_claim1_n1_is_proved() -> None:
    assert sr.prove_claim1(1).outcome is Outcome.PROVED


@pytest.mark.slow
def test_claim1_n2_is_proved() -> None:
    attempt = sr.prove_claim1(2)
    assert attempt.outcome is Outcome.PROVED
    assert [r.solver for r in attempt.runs] == ["z3", "cvc5"]


def test_claim1_encodes_the_product_not_a_table_of_answers() -> None:
    """The only numbers in the text are digits' place values, primes, 1/N, 0 and 1: no semiprime is listed."""
    hyps, goal = sr.claim1_problem(2)
    text = smt._smtlib([*hyps, z3.Not(goal)], "claim 1")[0]
    assert "(* " in text  # the products are the solver's to compute
    for s in (11 * 13, 97 * 89):
        assert f" {s})" not in text and f" {s} " not in text


def test_claim1_with_a_corrupted_tuple_is_refuted_at_its_prefix() -> None:
    attempt, confirmation = sr.refute_claim1_corrupted(1)
    assert attempt.outcome is Outcome.REFUTED and attempt.counterexample is not None
    model = attempt.counterexample
    assert model["a1"] * model["b1"] != model["s"]
    assert confirmation.startswith(f"prefix '[{model['s']},'") and "probability 0" not in confirmation


def test_claim1_problem_refuses_n_beyond_its_digits() -> None:
    with pytest.raises(InvalidArgument, match="n must be"):
        sr.claim1_problem(3)


def test_check_F2_smt_is_proved(level: Level) -> None:
    verdict = sr.check_F2_smt(level)
    assert verdict.outcome is Outcome.PROVED, verdict.evidence
    assert verdict.scope and verdict.data["proofs"]


def test_a_check_whose_counterpart_cannot_fail_is_not_proved(monkeypatch: pytest.MonkeyPatch, level: Level) -> None:
    """If the corrupted target were proved too, the encoding would be vacuous: the verdict must drop to UNKNOWN."""
    proved = sr.prove_claim1(1)
    monkeypatch.setattr(sr, "refute_claim1_corrupted", lambda n=1: (proved, ""))
    verdict = sr.check_F2_smt(level)
    assert verdict.outcome is Outcome.UNKNOWN and not verdict.passed
