"""S1–S4: the foundation checkers (HOLDS on spec, REFUTED with a counterexample on broken stand-ins) and
S4's SMT proofs of the conditioning lemma (in checkers.foundation)."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import replace
from fractions import Fraction
from typing import Any, TypeVar

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from checkers import foundation, smt
from checkers.foundation import (
    check_S1,
    check_S2,
    check_S3,
    grid_dists,
    law_grid,
    s1_problem,
    s1_verdict,
    s2_verdict,
    s3_verdict,
)
from checkers.smt import SolverAnswer, SolverRun, Solvers, using_solvers
from checkers.smt.proof import Obligation, check_obligations, check_proof
from checkers.verdict import Level, Outcome, Verdict
from tests.conftest import giving_up_on
from spec import (
    STOP,
    Alphabet,
    Autoregressive,
    Coins,
    Dist,
    alphabet,
    chain_rule,
    induced,
)
from spec.errors import InvalidArgument
from spec.models import TableModel, TableRandomizedModel, prefixes_upto
from spec.signatures import RandomizedAutoregressive
from strategies import ar_models

T = TypeVar("T")


@pytest.mark.slow
@pytest.mark.parametrize("check", [check_S1, check_S2, check_S3])
def test_foundation_checks_hold_at_level(check: Callable[[Level], Verdict], level: Level) -> None:
    v = check(level)
    assert v.outcome is Outcome.HOLDS, v.counterexample
    assert v.passed and v.scope and v.method and v.evidence
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


# ---- S1–S3: the problems each check looks for, and the verdicts at a small scope -----------------


def _outside_model() -> TableModel:
    """A model over the alphabet {a} that puts all its mass on 'b'."""
    return TableModel(alphabet("a"), {"": Dist.point("b"), "b": Dist.point(STOP)}, 1)


_OUTSIDE = "raised InvalidModel: the model put mass on token 'b', not in the alphabet, at prompt '', prefix ''"


def test_s1_compare_checks_tokens_against_the_models_alphabet() -> None:
    assert foundation._s1_law_problem(_outside_model(), induced, {"b": Fraction(1)}, Fraction(0)) == _OUTSIDE


def test_s3_problem_checks_tokens_against_sigma() -> None:
    assert foundation.s3_problem(Dist.point("b"), alphabet("a"), 1, chain_rule, induced) == _OUTSIDE
    assert foundation.s3_problem(Dist.point("b"), alphabet("ab"), 1, chain_rule, induced) is None


def test_s2_problem_asks_for_the_law_at_the_empty_prompt() -> None:
    phi_r = TableRandomizedModel(alphabet("a"), {"": (Dist.point("a"), Dist.point(STOP)), "a": (Dist.point(STOP),)}, 1)

    def derand(model: Any, max_flips: int) -> Any:
        inner = foundation._spec_derandomize(model, max_flips)
        # the averaged model at the empty prompt, nonsense at any other prompt
        return lambda prompt, x: inner(prompt, x) if prompt == "" else Dist.point(STOP)

    assert foundation.s2_problem(phi_r, derand, induced) is None
    assert foundation.s2_problem(phi_r, lambda model, k: lambda prompt, x: Dist.point(STOP), induced) == (
        "induced(derandomize) = {'': 1} but sampling φ_r gives {'': 1/2, 'a': 1/2}")


def test_s2_problem_refuses_a_randomized_table_that_runs_past_its_length_bound() -> None:
    phi_r = TableRandomizedModel(alphabet("a"), {"": (Dist.point("a"),), "a": (Dist.point("a"), Dist.point(STOP))}, 1)
    with pytest.raises(AssertionError, match=r"^the randomized family stops at L by construction$"):
        foundation.s2_problem(phi_r, foundation._spec_derandomize, induced)


def _model(second: Dist[str]) -> TableModel:
    return TableModel(alphabet("a"), {"": Dist({"a": Fraction(1, 2), STOP: Fraction(1, 2)}), "a": second}, 1)


def _always_a(phi: Autoregressive, prompt: str, *, max_len: int, alphabet: Alphabet | None = None) -> Dist[str]:
    return Dist.point("a")


def test_s1_problem_agrees_and_disagrees() -> None:
    stops = _model(Dist.point(STOP))
    assert s1_problem(stops, induced) is None
    assert s1_problem(stops, _always_a) == (
        "induced {'a': 1} but the oracle gives {'': 1/2, 'a': 1/2}"
    )
    leaks = _model(Dist({"a": Fraction(1, 3), STOP: Fraction(2, 3)}))
    assert s1_problem(leaks, induced) is None
    assert s1_problem(leaks, _always_a) == (
        "returned Dist({'a': 1}) though mass 1/6 has not stopped by L"
    )


def _small_foundation_scopes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(foundation.S1_SCOPES, Level.QUICK, (
        ("position", foundation.Family("position", 1, 2, (0, 1))), ("table", foundation.Family("table", 1, 1, (0, 1)))))
    monkeypatch.setitem(foundation.S2_SCOPES, Level.QUICK, ((foundation.Family("randomized", 1, 1, (0, 1)), 2),))
    monkeypatch.setitem(foundation.S3_SCOPES, Level.QUICK, ((1, 1, (1, 2), None),))


def test_s1_verdict_small_scope_exact(monkeypatch: pytest.MonkeyPatch) -> None:
    _small_foundation_scopes(monkeypatch)
    pos, tab = "position(|Σ|=1, L=2, weights {0, 1})", "table(|Σ|=1, L=1, weights {0, 1})"
    # laws over {a, STOP} with weights in {0, 1}: 3; position: G[0], G[1], G[2] → 27 models; table: T[""], T["a"] → 9
    assert replace(foundation.s1_verdict(Level.QUICK), seconds=0.0) == Verdict(
        Outcome.HOLDS,
        f"every model of: {pos}; {tab} (position: φ(x) = G[|x|]; table: φ(x) = T[x]; laws over Σ∪{{STOP}} with grid weights)",
        "exhaustive; induced vs an independent Fraction recursion; Σ P = 1 or NonTerminating.mass = leaked",
        (f"{pos}: 27 models, 19 sum to exactly 1, 8 leak the exact mass",
         f"{tab}: 9 models, 5 sum to exactly 1, 4 leak the exact mass"),
        data={"families": [{"family": pos, "models": 27, "stop_by_L": 19, "leak": 8},
                           {"family": tab, "models": 9, "stop_by_L": 5, "leak": 4}]},
        statements=(foundation.s1_statement(Level.QUICK, Outcome.HOLDS),))
    assert foundation.s1_statement(Level.QUICK, Outcome.HOLDS).text.startswith(f"for every model φ of {pos}; {tab}: ")
    v = foundation.s1_verdict(Level.QUICK, _always_a)
    assert (v.outcome, v.scope, v.method, v.evidence) == (
        Outcome.REFUTED, pos, "induced vs an independent Fraction recursion", (f"model 1 of family {pos}",))
    assert v.counterexample is not None and v.counterexample.endswith("; model: " + foundation._show_table(
        next(iter(foundation.position_models(foundation.Family("position", 1, 2, (0, 1)))))))


def test_s2_verdict_small_scope_exact(monkeypatch: pytest.MonkeyPatch) -> None:
    _small_foundation_scopes(monkeypatch)
    fam = "randomized(|Σ|=1, L=1, weights {0, 1})"
    # 3 laws at the prefix "" (STOP forced after 'a'), 1 or 2 of them per prefix: 3 + 9 = 12 models
    assert replace(foundation.s2_verdict(Level.QUICK), seconds=0.0) == Verdict(
        Outcome.HOLDS,
        f"every randomized table model of: {fam} with 1..2 laws per prefix (STOP forced at length L)",
        "exhaustive; induced(derandomize(φ_r, max_flips=1)) == law of sampling φ_r with fresh coins, "
        "computed independently as a Fraction mixture per prefix; polytime-ness of γ is not checked",
        (f"{fam}, 1..2 laws per prefix (a fair coin picks one): 12 models, all equal",),
        data={"families": [{"family": fam, "laws_per_prefix": 2, "models": 12}]},
        statements=(foundation.s2_statement(Level.QUICK, Outcome.HOLDS),))
    assert f"model φ_r of {fam} with 1..2 laws per prefix: " in foundation.s2_statement(Level.QUICK, Outcome.HOLDS).text
    v = foundation.s2_verdict(Level.QUICK, induce=_always_a)
    assert (v.outcome, v.scope, v.method, v.evidence) == (
        Outcome.REFUTED, f"{fam}, 1..2 laws per prefix", "induced(derandomize(φ_r)) vs the Fraction mixture of φ_r's laws",
        (f"model 1 of family {fam}",))
    assert v.counterexample is not None and v.counterexample.startswith("induced(derandomize) = {'a': 1} but sampling")


def test_s3_verdict_small_scope_exact(monkeypatch: pytest.MonkeyPatch) -> None:
    _small_foundation_scopes(monkeypatch)
    scope = "|Σ|=1, texts of length ≤ 1, all supports, weights in {1, 2}"
    # texts "", "a"; weights {1, 2}: two point masses and three two-point laws
    assert replace(foundation.s3_verdict(Level.QUICK), seconds=0.0) == Verdict(
        Outcome.HOLDS, f"every D of: {scope}", "exhaustive; induced(chain_rule(D), max_len=L) == D as exact distributions",
        (f"{scope}: 5 distinct D, all round-trip exactly",),
        data={"grids": [{"sigma": 1, "max_len": 1, "weights": "(1, 2)", "max_support": 2, "texts": 2, "dists": 5}]},
        statements=(foundation.s3_statement(Level.QUICK, Outcome.HOLDS),))
    assert foundation.s3_statement(Level.QUICK, Outcome.HOLDS).text.startswith(f"for every law D of: {scope}: ")
    v = foundation.s3_verdict(Level.QUICK, induce=_always_a)
    assert (v.outcome, v.scope, v.method, v.evidence) == (
        Outcome.REFUTED, scope, "induced(chain_rule(D)) == D, exact", ("D number 1 of the grid",))
    assert v.counterexample is not None and v.counterexample.startswith("D = {")
    assert v.counterexample.endswith(": induced(chain_rule(D)) = {'a': 1}")


# ---- S4: the conditioning lemma at fixed (k, L), by SMT (checkers.foundation) -----------------


def model_of(phi: TableModel, k: int, L: int) -> dict[str, Fraction]:
    """The variables of the conditioning problem for a concrete φ, with D := the law φ induces."""
    law = induced(phi, "", max_len=L)
    out: dict[str, Fraction] = {}
    for x in foundation.digit_texts(k, L):
        out[f"D_{x or 'e'}"] = law[x]
        if len(x) < L:
            for a in [STOP, *foundation.TREE_SYMBOLS[:k]]:
                out[f"phi_{x or 'e'}_{'S' if a == STOP else a}"] = phi("", x)[a]
    return out


@pytest.mark.parametrize("k, L", [(1, 3), (2, 2), (3, 2)])
def test_conditioning_lemma_fixed_kl_decomposed_is_proved(k: int, L: int) -> None:
    proof = foundation.prove_conditioning_decomposed(k, L)
    assert proof.outcome is Outcome.PROVED
    assert proof.z3_seconds > 0 and proof.cvc5_seconds > 0  # both solvers ran on every block
    assert any("joined by the proof kernel" in line for line in proof.evidence)
    texts = foundation.digit_texts(k, L)
    assert proof.queries >= len(texts)  # at least one mass obligation per node


@pytest.mark.slow
def test_conditioning_lemma_fixed_kl_naive_is_proved_by_both_solvers() -> None:
    proof = foundation.prove_conditioning_naive(2, 2)
    assert proof.outcome is Outcome.PROVED
    assert proof.queries == 1 and proof.z3_seconds > 0 and proof.cvc5_seconds > 0


def test_digit_texts_counts_the_tree() -> None:
    for k, L in [(1, 4), (2, 3), (3, 2), (10, 1)]:
        assert len(foundation.digit_texts(k, L)) == sum(k**i for i in range(L + 1))


@given(ar_models(alphabet("01"), max_len=2))
def test_conditioning_lemma_holds_on_every_exact_model(phi: TableModel) -> None:
    """Semantic counterpart of the proof: for D := induced(φ) no prefix breaks conditioning, exactly."""
    assert foundation.conditioning_problem(2, 2, model_of(phi, 2, 2)) is None


@given(ar_models(alphabet("01"), max_len=2), st.sampled_from(foundation.digit_texts(2, 2)))
def test_the_offending_pair_catches_a_target_changed_at_one_text(phi: TableModel, t: str) -> None:
    """Raising D(t) changes D conditioned on "" whenever another text has positive mass: caught exactly."""
    model = model_of(phi, 2, 2)
    assume(any(model[f"D_{u or 'e'}"] > 0 for u in foundation.digit_texts(2, 2) if u != t))
    model[f"D_{t or 'e'}"] += Fraction(1, 7)
    found = foundation._offending_pair(2, 2, model)
    assert found is not None
    x, u, q, want = found
    assert u.startswith(x) and q != want


# ---- S4: failing counterparts -------------------------------------------------------------------


@pytest.mark.parametrize("drop", ["", "0", "01"])
def test_conditioning_without_one_premise_is_refuted_naming_the_prefix(drop: str) -> None:
    refutation = foundation.refute_conditioning_without_premise(2, 2, drop)
    assert refutation.outcome is Outcome.REFUTED
    assert refutation.prefix is not None and refutation.text is not None
    assert refutation.text.startswith(refutation.prefix)
    assert any("offending prefix" in line for line in refutation.evidence)


def test_decomposed_encoding_without_one_premise_is_refuted_at_that_node() -> None:
    proof = foundation.prove_conditioning_decomposed(2, 2, drop="01")
    assert proof.outcome is Outcome.REFUTED
    assert proof.counterexample is not None and "'01'" in proof.counterexample


def test_bad_sizes_raise_invalid_argument() -> None:
    with pytest.raises(InvalidArgument, match="k"):
        foundation.digit_texts(0, 2)
    with pytest.raises(InvalidArgument, match="L"):
        foundation.digit_texts(2, -1)
    with pytest.raises(InvalidArgument, match="drop"):
        foundation.naive_encoding(2, 2, drop="2")
    with pytest.raises(InvalidArgument, match="k must be"):
        foundation.step_obligation(14)
    with pytest.raises(InvalidArgument, match="without"):
        foundation.step_obligation(2, without="everything")


# ---- S4: all lengths by induction ---------------------------------------------------------------


def test_all_lengths_every_alphabet_size_is_kernel_checked() -> None:
    general = foundation.prove_all_lengths()
    assert general.outcome is Outcome.PROVED
    text = "\n".join(general.evidence())
    assert "base: [PROVED] S4, base: a leaf" in text and "induction schema over ℕ on the height" in text
    assert general.step.broken == () and all(c.outcome is Outcome.PROVED for c in general.step.checked)


def test_all_lengths_step_with_a_vacuous_hypothesis_is_unknown_not_proved() -> None:
    general = foundation.prove_all_lengths(extra_hypothesis=True)
    assert general.outcome is Outcome.UNKNOWN
    assert any("fS > 1 is neither a premise nor a proved goal" in b for b in general.step.broken)
    hyps, goal = foundation.step_obligation(3, vacuous=True)
    checked = check_obligations([Obligation("step with fS > 1", tuple(hyps), goal)])[0]
    assert checked.outcome is Outcome.UNKNOWN and "vacuous premises" in checked.reason


def test_all_lengths_step_without_the_child_hypothesis_is_unknown_not_refuted() -> None:
    general = foundation.prove_all_lengths(without_child=True)
    assert general.outcome is Outcome.UNKNOWN
    report = check_proof(foundation.conditioning_proof(2, 2, without_child_mass=True))
    assert report.outcome is Outcome.UNKNOWN and any("pairs" in b for b in report.broken)


@pytest.mark.parametrize("k, L", [(2, 2), (13, 1)])
def test_fixed_k_L_conditioning_is_kernel_checked(k: int, L: int) -> None:
    report = check_proof(foundation.conditioning_proof(k, L))
    assert report.outcome is Outcome.PROVED and report.broken == ()
    assert report.checked[-1].obligation.name == "the goal, gathered"


@pytest.mark.parametrize("without", ["premise", "simplex", "child"])
def test_induction_step_without_a_hypothesis_is_refuted(without: str) -> None:
    hyps, goal = foundation.step_obligation(3, without=without)
    attempt = smt.prove(hyps, goal, check_counterexample=smt.refutes(hyps, goal), nonlinear=True)
    assert attempt.outcome is Outcome.REFUTED
    assert attempt.counterexample is not None
    assert smt.refutes(hyps, goal)(attempt.counterexample)  # re-checked in Fractions here too


@pytest.mark.slow
def test_check_S4_is_proved_at_the_level(level: Level) -> None:
    verdict = foundation.check_S4(level)
    assert verdict.outcome is Outcome.PROVED and verdict.passed
    assert "every length L" in verdict.scope and "every alphabet size" in verdict.scope and verdict.data["fixed"]
    assert verdict.statements[0].relation.name == "SAME" and verdict.obligations


# ---- S4: the encodings' obligations, records and failing branches --------------------------------


def _cvc5_unsat(text: str) -> SolverRun:
    return SolverRun("cvc5", SolverAnswer.UNSAT, 0.0, "", None)


def test_naive_proof_reports_each_solvers_time_from_its_runs() -> None:
    def z3_unsat(text: str, logic: str, variables: Any, *, rlimit: int, seed: int,
                 timeout_s: float) -> tuple[SolverRun, None, tuple[str, ...]]:
        return SolverRun("z3", SolverAnswer.UNSAT, 0.25, "", None), None, ()

    def cvc5_unsat(text: str) -> SolverRun:
        return SolverRun("cvc5", SolverAnswer.UNSAT, 0.5, "", None)

    with using_solvers(replace(Solvers(), z3=z3_unsat).with_cvc5(cvc5_unsat)):
        proof = foundation.prove_conditioning_naive(1, 1)
    assert proof.outcome is Outcome.PROVED
    assert (proof.z3_seconds, proof.cvc5_seconds) == (0.25, 0.5)


def test_node_obligation_names_exact() -> None:
    assert [name for name, _, _ in foundation.node_obligations(1, 2)] == [
        "mass at '00'", "mass at '0'", "pairs ('0', '00')", "mass at ''", "pairs ('', '0'..'00')"]
    assert [name for name, _, _ in foundation.node_obligations(2, 2, chunk=2)][-4:] == [
        "pairs ('', '0'..'00')", "pairs ('', '01')", "pairs ('', '1'..'10')", "pairs ('', '11')"]


def _cvc5_unknown(text: str) -> SolverRun:
    return SolverRun("cvc5", SolverAnswer.UNKNOWN, 0.0, "simulated", None)


def test_a_decomposed_proof_that_cvc5_never_confirms_lists_only_its_first_three_failures() -> None:
    with using_solvers(Solvers().with_cvc5(_cvc5_unknown)):
        proof = foundation.prove_conditioning_decomposed(2, 2, chunk=2)
    assert proof.outcome is Outcome.UNKNOWN and proof.queries > 3 and proof.counterexample is None
    listed = [line for line in proof.evidence if line.startswith("obligation ")]
    names = [name for name, _, _ in foundation.node_obligations(2, 2, chunk=2)]
    assert [line.split(":")[0] for line in listed] == [f"obligation {x}" for x in names[:3]]
    assert "; 0 proved (z3 unsat and cvc5 unsat on each block)" in proof.evidence[0]


def test_decomposed_proof_without_a_premise_reports_no_nonlinear_note() -> None:
    with using_solvers(Solvers().with_cvc5(_cvc5_unsat)):
        proof = foundation.prove_conditioning_decomposed(1, 1, drop="0")
    assert proof.outcome is Outcome.REFUTED
    assert proof.counterexample == "the mass at '0' obligation fails: D_0 = 1, M_0 = 1, Q_0_0 = 1, m_0 = 0"
    failed = proof.evidence[-1]
    assert failed.startswith("obligation mass at '0': REFUTED; z3: sat in ")
    assert failed.endswith("counterexample (exactly re-checked): D_0 = 1, M_0 = 1, Q_0_0 = 1, m_0 = 0")
    assert "note:" not in failed


def test_refutation_without_premise_unknown_when_no_offending_pair(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(foundation, "_offending_pair", lambda k, L, model: None)
    r = foundation.refute_conditioning_without_premise(1, 1, "")
    assert (r.outcome, r.dropped, r.prefix, r.text) == (Outcome.UNKNOWN, "", None, None)
    assert r.evidence[-1] == "no offending pair on recomputation"
    assert r.evidence[0].startswith("z3: sat in ")


F = Fraction


def test_prove_conditioning_naive_row_fields() -> None:
    r = foundation.prove_conditioning_naive(1, 1)
    assert (r.outcome, r.k, r.L, r.encoding, r.queries, r.num_vars, r.num_assertions, r.counterexample) == (
        Outcome.PROVED, 1, 1, "naive", 1, 4, 8, None)
    assert r.evidence[0].startswith("z3: unsat in ") and r.evidence[1].startswith("cvc5: unsat in ")
    assert r.evidence[2].startswith("problem: logic QF_NRA, 4 variables, 8 assertions, ")
    row = r.row()
    assert {k: row[k] for k in ("k", "L", "encoding", "outcome", "queries", "vars", "assertions")} == {
        "k": 1, "L": 1, "encoding": "naive", "outcome": "PROVED", "queries": 1, "vars": 4, "assertions": 8}


def test_prove_conditioning_naive_is_unknown_when_the_solvers_give_up_on_that_lemma() -> None:
    with using_solvers(giving_up_on("conditioning lemma, naive, k=1, L=1")):
        r = foundation.prove_conditioning_naive(1, 1)
        other = foundation.prove_conditioning_naive(1, 2)
    assert (r.outcome, r.counterexample) == (Outcome.UNKNOWN, None)
    assert r.evidence[:2] == ("z3: unknown in 0.000 s (gave up (simulated))",
                              "cvc5: unknown in 0.000 s (gave up (simulated))")
    assert other.outcome is Outcome.PROVED


def test_prove_conditioning_naive_refuted_names_the_offending_pair(monkeypatch: pytest.MonkeyPatch) -> None:
    original = foundation.naive_encoding
    monkeypatch.setattr(foundation, "naive_encoding", lambda k, L: original(k, L, drop=""))
    r = foundation.prove_conditioning_naive(1, 1)
    assert (r.outcome, r.encoding, r.queries, r.num_vars, r.num_assertions) == (Outcome.REFUTED, "naive", 1, 4, 7)
    assert r.counterexample == ("after prefix '' φ gives text '' probability 1/2, but D conditioned on '' gives 0; "
                                "model: D_0 = 1/2, D_e = 0, phi_e_0 = 1/2, phi_e_S = 1/2")
    assert r.evidence[-1] == "counterexample (exactly re-checked): D_0 = 1/2, D_e = 0, phi_e_0 = 1/2, phi_e_S = 1/2"


def test_pair_text_names_the_offending_pair_or_says_none_was_found() -> None:
    fine = {"D_0": F(1, 2), "D_e": F(1, 2), "phi_e_0": F(1, 2), "phi_e_S": F(1, 2)}
    assert foundation._offending_pair(1, 1, fine) is None and foundation.conditioning_problem(1, 1, fine) is None
    assert foundation._pair_text(1, 1, fine) == (
        "a model (no offending pair found on recomputation): D_0 = 1/2, D_e = 1/2, phi_e_0 = 1/2, phi_e_S = 1/2")
    bad = {**fine, "D_e": F(0)}
    assert foundation._offending_pair(1, 1, bad) == ("", "", F(1, 2), F(0))
    assert foundation.conditioning_problem(1, 1, bad) == (
        "after prefix '' φ gives text '' probability 1/2, but D conditioned on '' gives 0")
    assert foundation._pair_text(1, 1, bad) == (
        "after prefix '' φ gives text '' probability 1/2, but D conditioned on '' gives 0; "
        "model: D_0 = 1/2, D_e = 0, phi_e_0 = 1/2, phi_e_S = 1/2")


def test_conditioning_proof_row_rounds_each_time() -> None:
    p = foundation.ConditioningProof(Outcome.PROVED, 2, 3, "decomposed", 4, 5, 6, 0.12345, 1.23456, 2.34567, ("e",))
    assert p.row() == {"k": 2, "L": 3, "encoding": "decomposed", "outcome": "PROVED", "queries": 4, "vars": 5,
                       "assertions": 6, "z3_s": 0.123, "cvc5_s": 1.235, "seconds": 2.346}


# ---- the section's perturbed twins --------------------------------------------------------------------


def test_s4_without_premise_branches(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[tuple[int, int, str]] = []

    def fake(k: int, L: int, drop: str) -> foundation.Refutation:
        calls.append((k, L, drop))
        return foundation.Refutation(Outcome.UNKNOWN, drop, None, None, ("why",))

    monkeypatch.setattr(foundation, "refute_conditioning_without_premise", fake)
    v = foundation._s4_without_premise(Level.QUICK)
    assert calls == [(1, 2, "0")]
    assert (v.outcome, v.scope, v.counterexample, v.evidence) == (Outcome.UNKNOWN, "k = 1, L = 2", None, ("why",))
    assert v.method == "S4's naive encoding without the premise at '0' (z3 + cvc5; spec.induced)"
    monkeypatch.setattr(foundation, "refute_conditioning_without_premise",
                        lambda k, L, drop: foundation.Refutation(Outcome.REFUTED, drop, "0", "01", ("e",)))
    v = foundation._s4_without_premise(Level.QUICK)
    assert (v.outcome, v.counterexample) == (Outcome.REFUTED, "after prefix '0', text '01'")


# ---- S4: the counts and times a proof reports, and a counterpart that cannot be refuted ----------------------


def test_decomposed_proof_reports_its_obligations_variables_and_assertions() -> None:
    r = foundation.prove_conditioning_decomposed(1, 1)
    # mass at '0': D_0, m_0, M_0, Q_0_0 (3 hypotheses and the negated goal); mass at '': phi_e_S, phi_e_0, D_e,
    # m_0, M_e, M_0, Q_e_e (8 and 1); pairs ('', '0'): m_0, phi_e_0, M_e, M_0, Q_e_0, Q_0_0, D_0 (5 and 1)
    assert (r.outcome, r.queries, r.num_vars, r.num_assertions) == (Outcome.PROVED, 3, 4 + 7 + 7, 4 + 9 + 6)
    assert {key: r.row()[key] for key in ("queries", "vars", "assertions")} == {"queries": 3, "vars": 18,
                                                                               "assertions": 19}


def test_decomposed_proof_takes_the_pairs_below_a_child_chunk_by_chunk() -> None:
    # texts '', '0', '00': three mass obligations, and the pairs ('', '0'), ('', '00'), ('0', '00')
    one_each = foundation.prove_conditioning_decomposed(1, 2, chunk=1)
    assert (one_each.outcome, one_each.queries) == (Outcome.PROVED, 3 + 3)
    together = foundation.prove_conditioning_decomposed(1, 2)  # the default chunk holds both pairs below '0'
    assert (together.outcome, together.queries) == (Outcome.PROVED, 3 + 2)


def test_naive_proof_time_is_its_wall_time_covering_both_solver_runs() -> None:
    r = foundation.prove_conditioning_naive(1, 1)
    solving = r.z3_seconds + r.cvc5_seconds
    assert 0 < solving <= r.seconds < solving + 30  # building the (1, 1) encoding takes milliseconds
    assert r.row()["seconds"] == round(r.seconds, 3)


def test_mixture_law_averages_laws_of_different_denominators_exactly() -> None:
    halves = Dist({"a": F(1, 2), "b": F(1, 2)})
    thirds = Dist({"a": F(1, 3), STOP: F(2, 3)})
    point = Dist.point("b")
    assert foundation.mixture_law([halves, thirds]) == Dist({"a": F(5, 12), "b": F(1, 4), STOP: F(1, 3)})
    assert foundation.mixture_law([halves, thirds, point]) == Dist({"a": F(5, 18), "b": F(1, 2), STOP: F(2, 9)})
    assert foundation.mixture_law([thirds]) == thirds
    laws = [halves, thirds, point, thirds]
    assert foundation.mixture_law(laws) == Dist(foundation.mixture(laws))


def test_check_S4_is_unknown_when_its_dropped_premise_counterpart_is_not_refuted() -> None:
    with using_solvers(giving_up_on("without the premise")):
        v = foundation.check_S4(Level.QUICK)
    assert v.outcome is Outcome.UNKNOWN and v.counterexample is None
    # every proof still goes through: only the check that the checks can fail is missing
    assert [s.outcome for s in v.statements] == [Outcome.UNKNOWN, Outcome.PROVED]
    # a mass obligation per node, a pair obligation per child (its subtree fits one chunk), the goal gathered
    assert dict(v.data) == {"fixed": [{"k": 2, "L": 2, "outcome": "PROVED", "obligations": 7 + 6 + 1},
                                      {"k": 3, "L": 1, "outcome": "PROVED", "obligations": 4 + 3 + 1}]}
    assert ("failing counterpart, (k, L) = (2, 2) without the premise at '0': UNKNOWN, offending prefix None, "
            "text None (re-checked with spec.induced)") in v.evidence
    assert any(line.startswith("failing counterpart, step with the hypothesis fS > 1 and the goal M = 2·m: UNKNOWN ")
               for line in v.evidence)


def test_table_models_carry_the_family_alphabet() -> None:
    f = foundation.Family("table", 1, 1, (0, 1))
    models = list(foundation.table_models(f))
    # laws on {a, STOP} with weights in {0, 1}: 3 of them, one per prefix "" and "a"
    assert len(models) == 3**2
    assert {m.alphabet for m in models} == {alphabet("a")}
    assert {m.max_len for m in models} == {1}


def test_induced_short_expands_the_given_prompt() -> None:
    def echo(prompt: str, prefix: str) -> Dist[str]:  # the first token is the prompt's last symbol
        return Dist.point(prompt[-1]) if prefix == "" else Dist.point(STOP)

    assert foundation._induced_short(echo, "ab", max_len=2) == Dist.point("b")
    assert foundation._induced_short(echo, "ba", max_len=2) == Dist.point("a")
    assert foundation._induced_short(echo, "ba", max_len=2) == induced(echo, "ba", max_len=1)


def test_S4_proof_premises_are_satisfiable_and_rest_only_on_definitions_and_the_domain() -> None:
    import z3

    proof = foundation.conditioning_proof(2, 1)
    assert proof.rests_on == ()
    solver = z3.Solver()
    solver.add(*(p.formula for p in proof.premises))
    assert solver.check() == z3.sat  # a text at the length bound stops with probability 1, and nothing else


def test_S4_conditioning_step_rests_only_on_the_induction_hypothesis() -> None:
    for proof in (foundation.conditioning_step_proof(), foundation.conditioning_step_proof(extra_hypothesis=True),
                  foundation.conditioning_step_proof(without_child=True)):
        assert proof.rests_on == ("induction hypothesis on the height",)


def test_s1_renormalised_twin_runs_phi_on_the_prompt_given() -> None:
    def echo(prompt: str, prefix: str) -> Dist[str]:  # writes the prompt's last symbol, then stops
        return Dist.point(prompt[-1]) if prefix == "" else Dist.point(STOP)

    assert foundation._induced_renormalised(echo, "xb", max_len=2) == Dist.point("b")
    assert foundation._induced_renormalised(echo, "xa", max_len=2) == Dist.point("a")


def test_conditioning_proof_groups_pair_goals_by_the_chunk_asked() -> None:
    one = foundation.conditioning_proof(2, 2, chunk=1)
    sixteen = foundation.conditioning_proof(2, 2, chunk=16)
    # 6 mass obligations, the pair goals in blocks of `chunk`, and the gathered goal
    assert len(one.obligations) == 18 and len(sixteen.obligations) == 14
    assert one.obligations[-1].name == sixteen.obligations[-1].name == "the goal, gathered"


def test_conditioning_step_proof_tags_each_premise_by_where_it_comes_from() -> None:
    proof = foundation.conditioning_step_proof()
    assert [p.source for p in proof.premises] == (["domain"] * 3 + ["premise"] + ["definition"] * 6
                                                  + ["induction hypothesis on the height"])


def test_prove_conditioning_decomposed_gives_each_solver_block_the_timeout_asked() -> None:
    seen: list[float] = []
    real = Solvers().z3_batch

    def z3_batch(texts: Any, logic: str, *, rlimit: int, timeout_s: float, seed: int = 0) -> list[SolverRun]:
        seen.append(timeout_s)
        return real(texts, logic, rlimit=rlimit, timeout_s=timeout_s, seed=seed)

    with using_solvers(Solvers(z3_batch=z3_batch)):
        result = foundation.prove_conditioning_decomposed(1, 1, timeout_s=7.5)
    assert result.outcome is Outcome.PROVED
    assert seen == [7.5]
