"""The proof kernel: obligations rendered from their formulas, vacuity, links, induction; and the five broken
proofs that must not come back PROVED (each gives UNKNOWN, or a refuted step of the post's own argument)."""

from __future__ import annotations

from dataclasses import replace
from fractions import Fraction

import pytest
import z3

from checkers import appendix as overlap
from checkers import foundation
from checkers.claims import Result, by_id
from checkers.smt.proof import (
    INDUCTION_SCHEMA,
    SOLVERS_SOUND,
    Induction,
    Obligation,
    Premise,
    Proof,
    Use,
    check_obligations,
    check_proof,
    exact_witness,
    obligations_verdict,
    render_sequent,
)
from checkers.verdict import Level, Outcome, Relation, Statement

x, y = z3.Reals("x y")
n = z3.Int("n")
S = z3.Function("S", z3.IntSort(), z3.RealSort())


def test_a_statement_is_rendered_from_the_formulas_and_a_hand_edit_is_caught() -> None:
    ob = Obligation("square", (x >= 1,), x * x >= x)
    assert ob.statement == render_sequent((x >= 1,), x * x >= x) == "x >= 1  ⊢  x*x >= x" and not ob.edited
    edited = replace(ob, printed="x >= 1  ⊢  x*x >= 2*x")
    assert edited.edited
    checked = check_obligations([ob, edited])
    assert checked[0].outcome is Outcome.PROVED
    assert checked[1].outcome is Outcome.UNKNOWN and "edited by hand" in checked[1].reason


def test_a_proved_obligation_carries_its_smtlib_hash_and_an_exact_witness() -> None:
    checked = check_obligations([Obligation("square", (x >= 1,), x * x >= x)])[0]
    record = checked.record()
    assert record["outcome"] == "PROVED" and record["statement"] == "x >= 1  ⊢  x*x >= x"
    hashes = record["smtlib_sha256"]
    assert isinstance(hashes, dict) and set(hashes) == {"z3", "cvc5"} and all(len(h) == 64 for h in hashes.values())
    assert record["vacuity_witness"] and checked.attempt is not None
    assert hashes["z3"] == checked.attempt.sha256


def test_unsatisfiable_hypotheses_make_an_obligation_unknown_never_proved() -> None:
    checked = check_obligations([Obligation("vacuous", (x > 1, x < 0), x == 42)])[0]
    assert checked.attempt is not None and checked.attempt.outcome is Outcome.PROVED  # the solvers say unsat...
    assert checked.outcome is Outcome.UNKNOWN and "vacuous premises" in checked.reason  # ...but that proves nothing


def test_a_false_obligation_is_refuted_with_a_model_re_checked_in_fractions() -> None:
    checked = check_obligations([Obligation("false", (x >= 0,), x * x >= 2 * x)])[0]
    assert checked.outcome is Outcome.REFUTED and checked.attempt is not None
    model = checked.attempt.counterexample
    assert model is not None and 0 <= model["x"] and model["x"] * model["x"] < 2 * model["x"]


def test_obligations_verdict_lists_each_obligation_its_smtlib_hash_and_witness_then_the_extra_lines() -> None:
    """Every obligation proved (with a witness) and the counterpart failing as it should: PROVED. The evidence
    gives each obligation's line, then the SHA-256 and witness of each one sent to the solvers, then the extra
    lines; the obligations' records and outcomes are kept for the report and --smt-dir."""
    square = Obligation("square", (x >= 1,), x * x >= x)
    shift = Obligation("shift", (x >= 0,), x + 1 > x, nonlinear=False)
    checked = check_obligations([square, shift])
    assert [c.outcome for c in checked] == [Outcome.PROVED, Outcome.PROVED]
    sha = [c.attempt.sha256 if c.attempt else "" for c in checked]
    v = obligations_verdict([("all x", checked[0]), ("x ≥ 0", checked[1])], "every real x", "z3 and cvc5",
                            ["the counterpart failed"], counterpart_ok=True, statement="x*x ≥ x for x ≥ 1",
                            relation=Relation.CORRECTED)
    assert v.outcome is Outcome.PROVED and v.scope == "every real x" and v.method == "z3 and cvc5"
    assert v.evidence == (
        "all x: [PROVED] square: x >= 1  ⊢  x*x >= x",
        "x ≥ 0: [PROVED] shift: x >= 0  ⊢  x + 1 > x",
        f"all x: SMT-LIB2 SHA-256 {sha[0]}; hypotheses satisfiable: {checked[0].witness}",
        f"x ≥ 0: SMT-LIB2 SHA-256 {sha[1]}; hypotheses satisfiable: {checked[1].witness}",
        "the counterpart failed",
    )
    assert checked[0].witness == "x = 1" and all(len(h) == 64 for h in sha)
    assert v.statements == (Statement("x*x ≥ x for x ≥ 1", Relation.CORRECTED, Outcome.PROVED),)
    assert v.obligations == (checked[0].record(), checked[1].record())
    assert v.data == {"proofs": [{"scope": "all x", "outcome": "PROVED"}, {"scope": "x ≥ 0", "outcome": "PROVED"}]}
    assert v.counterexample is None and v.rests_on == () and v.steps == ()


def test_obligations_verdict_is_unknown_when_an_obligation_is_vacuous_edited_or_the_counterpart_passes() -> None:
    """A vacuous obligation (no witness) or one edited by hand makes the verdict UNKNOWN, and so does a failing
    counterpart that did not fail even when every obligation is proved; an edited obligation, never sent to a
    solver, has no SHA-256 line."""
    square = Obligation("square", (x >= 1,), x * x >= x)
    vacuous = Obligation("vacuous", (x > 1, x < 0), x == 42, nonlinear=False)
    edited = replace(square, printed="x >= 1  ⊢  x*x >= 2*x")
    checked = check_obligations([square, vacuous, edited])
    labelled = [("a", checked[0]), ("b", checked[1]), ("c", checked[2])]
    v = obligations_verdict(labelled, "s", "m", [], counterpart_ok=True, statement="st", relation=Relation.SAME)
    vacuous_sha = checked[1].attempt.sha256 if checked[1].attempt else ""
    assert v.outcome is Outcome.UNKNOWN
    assert v.evidence == (
        "a: [PROVED] square: x >= 1  ⊢  x*x >= x",
        "b: [UNKNOWN] vacuous: x > 1 ∧ x < 0  ⊢  x == 42 — vacuous premises: its hypotheses are unsatisfiable",
        "c: [UNKNOWN] square: x >= 1  ⊢  x*x >= 2*x — its printed statement is not the rendering of its formulas "
        "(edited by hand)",
        f"a: SMT-LIB2 SHA-256 {checked[0].attempt.sha256 if checked[0].attempt else ''}; "
        "hypotheses satisfiable: x = 1",
        f"b: SMT-LIB2 SHA-256 {vacuous_sha}; hypotheses satisfiable: no witness",
    )
    assert v.statements == (Statement("st", Relation.SAME, Outcome.UNKNOWN),)
    assert v.data == {"proofs": [{"scope": "a", "outcome": "PROVED"}, {"scope": "b", "outcome": "UNKNOWN"},
                                 {"scope": "c", "outcome": "UNKNOWN"}]}
    alone = obligations_verdict(labelled[:1], "s", "m", ["counterpart: PROVED, expected to fail"],
                                counterpart_ok=False, statement="st", relation=Relation.SAME)
    assert alone.outcome is Outcome.UNKNOWN and alone.evidence[-1] == "counterpart: PROVED, expected to fail"
    assert alone.statements[0].outcome is Outcome.UNKNOWN


def _sum_proof(*, step_goal_shift: int = 1, extra_use: bool = False) -> Proof:
    """Σ_{i<n} 1 = n for every n ≥ 0, by induction: the smallest proof the kernel checks."""
    P = S(n) == z3.ToReal(n)
    premises = (Premise(S(0) == 0, "definition"), Premise(S(n + 1) == S(n) + 1, "definition"))
    base = Obligation("base", (S(0) == 0,), z3.substitute(P, (n, z3.IntVal(0))))
    step = Obligation("step", (n >= 0, P, S(n + 1) == S(n) + 1), z3.substitute(P, (n, n + step_goal_shift)))
    k = z3.Int("k")
    final = Obligation("at k", (k >= 0, z3.Implies(k >= 0, z3.substitute(P, (n, k)))), S(k) == z3.ToReal(k))
    premises_k = premises + (Premise(k >= 0, "domain"),)
    steps: tuple[Use | Induction, ...] = (Induction(n, P, 0, 1), Use(2))
    obligations: tuple[Obligation, ...] = (base, step, final)
    if extra_use:
        obligations += (Obligation("unused", (k >= 0,), k + 1 >= 1, nonlinear=False),)
    return Proof("count", premises_k, S(k) == z3.ToReal(k), obligations, steps, schematic=(n,),
                 rules=(SOLVERS_SOUND, INDUCTION_SCHEMA))


def test_the_kernel_accepts_an_induction_and_names_its_trusted_rules() -> None:
    report = check_proof(_sum_proof())
    assert report.outcome is Outcome.PROVED and report.broken == ()
    text = "\n".join(report.evidence())
    assert "induction schema over ℕ" in text and "soundness of z3 and cvc5" in text


def test_the_kernel_rejects_a_step_that_does_not_prove_p_of_n_plus_1() -> None:
    report = check_proof(_sum_proof(step_goal_shift=2))
    assert report.outcome is Outcome.UNKNOWN and any("does not prove P(n+1)" in b for b in report.broken)


def test_the_kernel_rejects_an_obligation_no_step_uses() -> None:
    report = check_proof(_sum_proof(extra_use=True))
    assert report.outcome is Outcome.UNKNOWN and any("not used by any step" in b for b in report.broken)


def test_the_kernel_rejects_a_hypothesis_that_is_neither_premise_nor_proved_goal() -> None:
    ob = Obligation("needs y", (x >= 0, y >= x), y >= 0, nonlinear=False)
    proof = Proof("y ≥ 0", (Premise(x >= 0),), y >= 0, (ob,), (Use(0),))
    report = check_proof(proof)
    assert report.outcome is Outcome.UNKNOWN and any("y >= x" in b for b in report.broken)


def test_unsatisfiable_premises_of_a_theorem_are_vacuous() -> None:
    ob = Obligation("anything", (x > 1, x < 0), x == 7, nonlinear=False)
    proof = Proof("from nothing", (Premise(x > 1), Premise(x < 0)), x == 7, (ob,), (Use(0),))
    report = check_proof(proof)
    assert report.outcome is Outcome.UNKNOWN and any("vacuous" in b or "unsatisfiable" in b for b in report.broken)


# --- the five broken proofs of the "every verdict earned" review ------------------------------------------


@pytest.mark.slow
def test_review_1_a_vacuous_step_fS_over_1_proving_M_equal_2m_is_unknown() -> None:
    hyps, goal = foundation.step_obligation(3, vacuous=True)
    checked = check_obligations([Obligation("step with fS > 1", tuple(hyps), goal)])[0]
    assert checked.outcome is Outcome.UNKNOWN and "vacuous premises" in checked.reason
    assert foundation.prove_all_lengths(extra_hypothesis=True).outcome is Outcome.UNKNOWN


@pytest.mark.slow
def test_review_2_the_final_step_fed_4_lambda_t_is_unknown() -> None:
    report = check_proof(overlap.overlap_bound_proof(fed_factor=4, goal_factor=4))
    assert report.outcome is Outcome.UNKNOWN


@pytest.mark.slow
def test_review_3_a_changed_sketch_step_shows_as_a_refuted_step_and_a_mismatch() -> None:
    verdict = overlap.check_A5(Level.QUICK, k_over_n=overlap.k_over_n_step(eps_factor=Fraction(1, 2)))
    step = next(s for s in verdict.steps if s.id == "A5.4")
    assert step.outcome is Outcome.REFUTED and step.expected is Outcome.PROVED and not step.matches
    (claim,) = by_id(["A5"])
    assert not Result(claim, verdict).matches  # the run fails although the all-N theorem is still PROVED


@pytest.mark.slow
def test_review_4_the_step_without_the_child_hypothesis_is_unknown_not_refuted() -> None:
    general = foundation.prove_all_lengths(without_child=True)
    assert general.outcome is Outcome.UNKNOWN


@pytest.mark.slow
def test_review_5_pair_obligations_without_the_child_mass_are_unknown_not_refuted() -> None:
    report = check_proof(foundation.conditioning_proof(2, 2, without_child_mass=True))
    assert report.outcome is Outcome.UNKNOWN
    verdict = foundation.check_S4(Level.QUICK)
    assert verdict.outcome is Outcome.PROVED and verdict.counterexample is None


def test_an_unconfirmed_obligation_says_which_solver_did_not_answer() -> None:
    from checkers import smt
    x = z3.Real("x")
    unsure = smt.Solvers().with_cvc5(lambda text: smt.SolverRun("cvc5", smt.SolverAnswer.UNKNOWN, 0.0, "", None))
    with smt.using_solvers(unsure):
        (checked,) = check_obligations([Obligation("square", (x >= 1,), x * x >= x)])
    assert checked.outcome is Outcome.UNKNOWN
    assert "z3 unsat" in checked.reason and "cvc5 unknown" in checked.reason


def test_an_unconfirmed_obligation_gives_the_note_and_each_solver_answer_as_its_reason() -> None:
    from checkers import smt
    unsure = smt.Solvers().with_cvc5(lambda text: smt.SolverRun("cvc5", smt.SolverAnswer.UNKNOWN, 0.0, "", None))
    with smt.using_solvers(unsure):
        (checked,) = check_obligations([Obligation("square", (x >= 1,), x * x >= x)])
    assert checked.reason == "z3 unsat, but cvc5 did not confirm (unknown); z3 unsat; cvc5 unknown"


def test_the_kernel_rejects_a_base_case_that_does_not_prove_p_of_0_and_prints_p_of_0() -> None:
    proof = _sum_proof()
    wrong_base = Obligation("base", (S(0) == 0,), S(0) == 0)  # true, but not P(0) as the induction states it
    report = check_proof(replace(proof, obligations=(wrong_base, *proof.obligations[1:])))
    assert report.outcome is Outcome.UNKNOWN
    assert "induction on n: the base 'base' does not prove P(0) = S(0) == ToReal(0)" in report.broken


def test_an_exact_witness_interprets_exactly_the_given_constants() -> None:
    witness = exact_witness({"x": Fraction(1, 2), "y": Fraction(3)})
    assert witness.constants == {"x": Fraction(1, 2), "y": Fraction(3)} and witness.describe() == "x = 1/2, y = 3"
