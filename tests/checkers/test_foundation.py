"""S1–S4: the foundation checkers (HOLDS on spec, REFUTED with a counterexample on broken stand-ins) and
S4's SMT proofs of the conditioning lemma (checkers.smt_reduction)."""

from __future__ import annotations

import json
from collections.abc import Callable
from fractions import Fraction
from typing import TypeVar

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from checkers import smt
from checkers import smt_reduction as sr
from checkers.foundation import check_S1, check_S2, check_S3, grid_dists, law_grid, s1_verdict, s2_verdict, s3_verdict
from checkers.proof import Obligation, check_obligations, check_proof
from checkers.verdict import Level, Outcome, Verdict
from spec import STOP, Alphabet, Autoregressive, Coins, Dist, alphabet, chain_rule, induced
from spec.errors import InvalidArgument
from spec.models import TableModel, prefixes_upto
from spec.signatures import RandomizedAutoregressive
from strategies import ar_models

T = TypeVar("T")


@pytest.mark.slow
@pytest.mark.parametrize("check", [check_S1, check_S2, check_S3])
def test_foundation_checks_hold_at_level(check: Callable[[Level], Verdict], level: Level) -> None:
    v = check(level)
    assert v.outcome is Outcome.HOLDS, v.counterexample
    assert v.passed and v.scope and v.method and v.evidence and v.seconds > 0
    json.dumps(v.data)  # JSON-able tables for the report


def test_grids_have_their_closed_form_sizes() -> None:
    # weights {0,1} on k+1 tokens: 2^(k+1) − 1 distinct laws; D on all supports of 15 texts: 2^15 − 1
    assert [len(law_grid(list("abc"[:k]) + [STOP], (0, 1))) for k in (1, 2, 3)] == [3, 7, 15]
    assert sum(1 for _ in grid_dists(prefixes_upto(alphabet("ab"), 3), (1,))) == 2**15 - 1
    # weights {1,2} on a support of 2: (1,1) ~ (2,2), so 3 laws per pair, plus 2 point masses
    assert sum(1 for _ in grid_dists(["x", "y"], (1, 2))) == 2 + 3


# ---- failing counterparts: each check must catch a broken implementation ---------------------


def induced_one_step_too_far(
    phi: Autoregressive, prompt: str, *, max_len: int, alphabet: Alphabet | None = None
) -> Dist[str]:
    """Broken: an off-by-one length budget (asks φ about prefixes longer than max_len)."""
    return induced(phi, prompt, max_len=max_len + 1, alphabet=alphabet)


def induced_forcing_stop(
    phi: Autoregressive, prompt: str, *, max_len: int, alphabet: Alphabet | None = None
) -> Dist[str]:
    """Broken: forces STOP at max_len, silently giving the leaked mass to the texts of length max_len."""
    return induced(
        lambda p, x: phi(p, x) if len(x) < max_len else Dist.point(STOP), prompt, max_len=max_len, alphabet=alphabet
    )


@pytest.mark.parametrize(
    ("broken", "symptom"),
    [(induced_one_step_too_far, "raised ZeroMass"), (induced_forcing_stop, "has not stopped by L")],
)
def test_S1_check_refutes_an_induced_that_hides_leaked_mass(broken: Callable[..., Dist[str]], symptom: str) -> None:
    v = s1_verdict(Level.QUICK, induce=broken)
    assert v.outcome is Outcome.REFUTED and symptom in (v.counterexample or "")


def test_S1_check_refutes_an_induced_with_a_wrong_law() -> None:
    def swapped(phi: Autoregressive, prompt: str, *, max_len: int, alphabet: Alphabet | None = None) -> Dist[str]:
        return induced(phi, prompt, max_len=max_len, alphabet=alphabet).map(lambda t: t[::-1])

    v = s1_verdict(Level.QUICK, induce=swapped)
    assert v.outcome is Outcome.REFUTED and "the oracle gives" in (v.counterexample or "")


class ZeroCoins:
    """Coins that always choose 0: the 'first run only' of a randomized model."""

    def randbelow(self, k: int) -> int:
        return 0

    def until(self, attempt: Callable[[Coins], T], accept: Callable[[T], bool]) -> T:
        return attempt(self)


def derandomize_first_run(phi_r: RandomizedAutoregressive, max_flips: int) -> Autoregressive:
    """Broken: takes the law of the first coin sequence instead of averaging over all of them."""
    return lambda prompt, prefix: phi_r(prompt, prefix, ZeroCoins())


def test_S2_check_refutes_a_derandomize_that_takes_the_first_run() -> None:
    v = s2_verdict(Level.QUICK, derand=derandomize_first_run)
    assert v.outcome is Outcome.REFUTED and "sampling φ_r gives" in (v.counterexample or "")


def chain_rule_ignoring_weights(d: Dist[str]) -> Autoregressive:
    """Broken: the right next tokens, but uniform over them instead of the conditional weights."""
    phi = chain_rule(d)
    return lambda prompt, prefix: Dist.uniform(sorted(phi(prompt, prefix).support))


def chain_rule_off_by_one_prefix(d: Dist[str]) -> Autoregressive:
    """Broken: reads the conditional of the prefix one symbol shorter."""
    phi = chain_rule(d)

    def model(prompt: str, prefix: str) -> Dist[str]:
        return phi(prompt, prefix[:-1]) if len(prefix) > 1 else phi(prompt, prefix)

    return model


@pytest.mark.parametrize("broken", [chain_rule_ignoring_weights, chain_rule_off_by_one_prefix])
def test_S3_check_refutes_a_broken_chain_rule(broken: Callable[[Dist[str]], Autoregressive]) -> None:
    v = s3_verdict(Level.QUICK, construct=broken)
    assert v.outcome is Outcome.REFUTED and (v.counterexample or "").startswith("D = {")


# ---- S4: the conditioning lemma at fixed (k, L), by SMT (checkers.smt_reduction) -----------------


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


# ---- S4: failing counterparts -------------------------------------------------------------------


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


# ---- S4: all lengths by induction ---------------------------------------------------------------


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


@pytest.mark.slow
def test_check_S4_is_proved_at_the_level(level: Level) -> None:
    verdict = sr.check_S4(level)
    assert verdict.outcome is Outcome.PROVED and verdict.passed
    assert "every length L" in verdict.scope and "every alphabet size" in verdict.scope and verdict.data["fixed"]
    assert verdict.statements[0].relation.name == "SAME" and verdict.obligations
