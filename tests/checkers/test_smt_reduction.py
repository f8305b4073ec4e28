"""Tests of checkers.smt_reduction: the conditioning lemma (S4), Claim 1 (F2), A1, and their failing counterparts."""

from __future__ import annotations

from fractions import Fraction
from typing import Mapping

import pytest
import z3
from hypothesis import assume, given
from hypothesis import strategies as st

from checkers import smt
from checkers import smt_reduction as sr
from checkers.proof import Obligation, check_obligations, check_proof
from checkers.verdict import Level, Outcome
from spec import STOP, alphabet, induced
from spec.errors import InvalidArgument
from spec.models import TableModel
from strategies import ar_models


def model_of(phi: TableModel, k: int, L: int) -> dict[str, Fraction]:
    """The variables of the conditioning problem for a concrete φ, with D := the law φ induces."""
    law = induced(phi, "", max_len=L)
    out: dict[str, Fraction] = {}
    for x in sr.texts_upto(k, L):
        out[f"D_{x or 'e'}"] = law[x]
        if len(x) < L:
            for a in [STOP, *sr.SYMBOLS[:k]]:
                out[f"phi_{x or 'e'}_{'S' if a == STOP else a}"] = phi("", x)[a]
    return out


# --- item 1: fixed (k, L) ------------------------------------------------------------------------


@pytest.mark.parametrize("k, L", [(1, 3), (2, 2), (3, 2)])
def test_conditioning_lemma_fixed_kl_decomposed_is_proved(k: int, L: int) -> None:
    proof = sr.prove_conditioning_decomposed(k, L)
    assert proof.outcome is Outcome.PROVED
    assert proof.z3_seconds > 0 and proof.cvc5_seconds > 0  # both solvers ran on every block
    assert any("joined by the proof kernel" in line for line in proof.evidence)
    texts = sr.texts_upto(k, L)
    assert proof.queries >= len(texts)  # at least one mass obligation per node


@pytest.mark.slow
def test_conditioning_lemma_fixed_kl_naive_is_proved_by_both_solvers() -> None:
    proof = sr.prove_conditioning_naive(2, 2)
    assert proof.outcome is Outcome.PROVED
    assert proof.queries == 1 and proof.z3_seconds > 0 and proof.cvc5_seconds > 0


def test_texts_upto_counts_the_tree() -> None:
    for k, L in [(1, 4), (2, 3), (3, 2), (10, 1)]:
        assert len(sr.texts_upto(k, L)) == sum(k**i for i in range(L + 1))


@given(ar_models(alphabet("01"), max_len=2))
def test_conditioning_lemma_holds_on_every_exact_model(phi: TableModel) -> None:
    """Semantic counterpart of the proof: for D := induced(φ) no prefix breaks conditioning, exactly."""
    assert sr.offending_pair(2, 2, model_of(phi, 2, 2)) is None


@given(ar_models(alphabet("01"), max_len=2), st.sampled_from(sr.texts_upto(2, 2)))
def test_offending_pair_catches_a_target_changed_at_one_text(phi: TableModel, t: str) -> None:
    """Raising D(t) changes D conditioned on "" whenever another text has positive mass: caught exactly."""
    model = model_of(phi, 2, 2)
    assume(any(model[f"D_{u or 'e'}"] > 0 for u in sr.texts_upto(2, 2) if u != t))
    model[f"D_{t or 'e'}"] += Fraction(1, 7)
    found = sr.offending_pair(2, 2, model)
    assert found is not None
    x, u, q, want = found
    assert u.startswith(x) and q != want


# --- item 5 for S4: failing counterparts ---------------------------------------------------------


@pytest.mark.parametrize("drop", ["", "0", "01"])
def test_conditioning_without_one_premise_is_refuted_naming_the_prefix(drop: str) -> None:
    refutation = sr.refute_conditioning_without_premise(2, 2, drop)
    assert refutation.outcome is Outcome.REFUTED
    assert refutation.prefix is not None and refutation.text is not None
    assert refutation.text.startswith(refutation.prefix)
    assert any("offending prefix" in line for line in refutation.evidence)


def test_decomposed_encoding_without_one_premise_is_refuted_at_that_node() -> None:
    proof = sr.prove_conditioning_decomposed(2, 2, drop="01")
    assert proof.outcome is Outcome.REFUTED
    assert proof.counterexample is not None and "'01'" in proof.counterexample


def test_bad_sizes_raise_invalid_argument() -> None:
    with pytest.raises(InvalidArgument, match="k"):
        sr.texts_upto(0, 2)
    with pytest.raises(InvalidArgument, match="L"):
        sr.texts_upto(2, -1)
    with pytest.raises(InvalidArgument, match="drop"):
        sr.naive_problem(2, 2, drop="2")
    with pytest.raises(InvalidArgument, match="k must be"):
        sr.step_obligation(14)
    with pytest.raises(InvalidArgument, match="without"):
        sr.step_obligation(2, without="everything")
    with pytest.raises(InvalidArgument, match="n must be"):
        sr.claim1_problem(3)


# --- item 2: all lengths by induction ------------------------------------------------------------


def test_all_lengths_every_alphabet_size_is_kernel_checked() -> None:
    general = sr.prove_all_lengths()
    assert general.outcome is Outcome.PROVED
    text = "\n".join(general.evidence())
    assert "base: [PROVED] S4, base: a leaf" in text and "induction schema over ℕ on the height" in text
    assert general.step.broken == () and all(c.outcome is Outcome.PROVED for c in general.step.checked)


def test_all_lengths_step_with_a_vacuous_hypothesis_is_unknown_not_proved() -> None:
    general = sr.prove_all_lengths(extra_hypothesis=True)
    assert general.outcome is Outcome.UNKNOWN
    assert any("fS > 1 is neither a premise nor a proved goal" in b for b in general.step.broken)
    hyps, goal = sr.step_obligation(3, vacuous=True)
    checked = check_obligations([Obligation("step with fS > 1", tuple(hyps), goal)])[0]
    assert checked.outcome is Outcome.UNKNOWN and "vacuous premises" in checked.reason


def test_all_lengths_step_without_the_child_hypothesis_is_unknown_not_refuted() -> None:
    general = sr.prove_all_lengths(without_child=True)
    assert general.outcome is Outcome.UNKNOWN
    report = check_proof(sr.conditioning_proof(2, 2, without_child_mass=True))
    assert report.outcome is Outcome.UNKNOWN and any("pairs" in b for b in report.broken)


@pytest.mark.parametrize("k, L", [(2, 2), (13, 1)])
def test_fixed_k_L_conditioning_is_kernel_checked(k: int, L: int) -> None:
    report = check_proof(sr.conditioning_proof(k, L))
    assert report.outcome is Outcome.PROVED and report.broken == ()
    assert report.checked[-1].obligation.name == "the goal, gathered"


@pytest.mark.parametrize("without", ["premise", "simplex", "child"])
def test_induction_step_without_a_hypothesis_is_refuted(without: str) -> None:
    hyps, goal = sr.step_obligation(3, without=without)
    attempt = smt.prove(hyps, goal, check_counterexample=sr.refutes(hyps, goal), nonlinear=True)
    assert attempt.outcome is Outcome.REFUTED
    assert attempt.counterexample is not None
    assert sr.refutes(hyps, goal)(attempt.counterexample)  # re-checked in Fractions here too


# --- items 3, 4: Claim 1 and A1 over digit strings -----------------------------------------------


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


def test_a1_n1_is_proved() -> None:
    assert sr.prove_a1(1).outcome is Outcome.PROVED


def test_a1_with_one_wrong_tuple_allowed_is_refuted() -> None:
    attempt = sr.refute_a1_one_wrong_tuple(1)
    assert attempt.outcome is Outcome.REFUTED and attempt.counterexample is not None
    model = attempt.counterexample
    assert model["a1"] * model["b1"] != model["s"]


# --- the exact evaluator and the batch prover ----------------------------------------------------


fractions = st.fractions(min_value=-5, max_value=5, max_denominator=9)


@given(fractions, fractions, fractions)
def test_evaluate_is_exact_arithmetic(x: Fraction, y: Fraction, z: Fraction) -> None:
    a, b, c = z3.Reals("a b c")
    model: Mapping[str, Fraction] = {"a": x, "b": y, "c": z}
    assert sr.evaluate(a * b + c - 2 * a, model) == x * y + z - 2 * x
    assert sr.evaluate(z3.Implies(a > b, a * a >= b * a if x >= 0 else True), model) is (not x > y or x * x >= y * x or x < 0)
    assert sr.evaluate(z3.If(a == b, c, -c), model) == (z if x == y else -z)


def test_prove_many_proves_true_obligations_and_refutes_a_false_one() -> None:
    a, b = z3.Reals("a b")
    unit = [0 <= a, a <= 1, 0 <= b, b <= 1]
    obligations = [(unit, a * b <= a), (unit, a + b >= 0), ([0 <= a, a <= 2] + unit[2:], a * b <= b)]
    checks = [sr.refutes(h, g) for h, g in obligations]
    attempts = smt.prove_many(obligations, check_counterexample=lambda i, m: checks[i](m), nonlinear=True)
    assert [x.outcome for x in attempts] == [Outcome.PROVED, Outcome.PROVED, Outcome.REFUTED]
    assert [r.solver for r in attempts[0].runs] == ["z3", "cvc5"]
    cex = attempts[2].counterexample
    assert cex is not None and cex["a"] * cex["b"] > cex["b"]


def test_prove_many_never_proves_when_cvc5_does_not_confirm(monkeypatch: pytest.MonkeyPatch) -> None:
    a, b = z3.Reals("a b")
    unknown = smt.SolverRun("cvc5", smt.SolverAnswer.UNKNOWN, 0.0, "simulated", None)
    monkeypatch.setattr(smt, "_cvc5_override", lambda text: unknown)
    attempts = smt.prove_many([([0 <= a, a <= 1, 0 <= b, b <= 1], a * b <= a)],
                              check_counterexample=lambda i, m: False, nonlinear=True)
    assert attempts[0].outcome is Outcome.UNKNOWN


# --- registry ------------------------------------------------------------------------------------


@pytest.mark.slow
def test_check_S4_is_proved_at_the_level(level: Level) -> None:
    verdict = sr.check_S4(level)
    assert verdict.outcome is Outcome.PROVED and verdict.passed
    assert "every length L" in verdict.scope and "every alphabet size" in verdict.scope and verdict.data["fixed"]
    assert verdict.statements[0].relation.name == "SAME" and verdict.obligations


def test_check_F2_smt_and_A1_smt_are_proved(level: Level) -> None:
    for check in (sr.check_F2_smt, sr.check_A1_smt):
        verdict = check(level)
        assert verdict.outcome is Outcome.PROVED, verdict.evidence
        assert verdict.scope and verdict.data["proofs"]


def test_a_check_whose_counterpart_cannot_fail_is_not_proved(monkeypatch: pytest.MonkeyPatch, level: Level) -> None:
    """If the corrupted target were proved too, the encoding would be vacuous: the verdict must drop to UNKNOWN."""
    proved = sr.prove_claim1(1)
    monkeypatch.setattr(sr, "refute_claim1_corrupted", lambda n=1: (proved, ""))
    verdict = sr.check_F2_smt(level)
    assert verdict.outcome is Outcome.UNKNOWN and not verdict.passed
