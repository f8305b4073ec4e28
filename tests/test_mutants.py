"""Tests that kill surviving mutants of spec/ and checkers/ (benchmarks/mutation_score.py).

Each test pins a closed form or a boundary that a mutant got past: an off-by-one in a count, a
`<` for a `<=`, a dropped default, an argument that was never used.
"""

from __future__ import annotations

import io
import json
import os
import random
import sys
from collections.abc import Callable
from fractions import Fraction
from typing import TypeVar

import pytest
import z3

from checkers import smt
from checkers.claims import CLAIMS, Claim, by_id, combine, run_claim, run_claims
from checkers.verdict import Level, Outcome, Verdict
from spec import (
    STOP,
    Coins,
    Dist,
    InvalidArgument,
    InvalidDistribution,
    InvalidModel,
    InvalidText,
    Move,
    NonTerminating,
    RandomCoins,
    Runs,
    alphabet,
    chain_rule,
    check_text,
    derandomize,
    enumerate_runs,
    induced,
    induced_hidden,
    induced_public,
    is_token,
    sample,
    with_hidden_tokens,
    with_random_seed,
)
from spec.activations import (
    WithActivations,
    activation_runs,
    induced_activations,
    with_activations,
)
from spec.constructions import SeedExhausted
from spec.errors import ZeroMass
from spec.models import TableAlgorithm, TableModel, TableRandomizedModel

T = TypeVar("T")


# ---- spec.coins ----------------------------------------------------------------------------------


def test_random_coins_count_one_flip_per_choice_from_zero() -> None:
    coins = RandomCoins(random.Random(0))
    assert coins.flips == 0
    draws = [coins.randbelow(k) for k in (1, 2, 3, 10)]
    assert coins.flips == 4 and all(0 <= d < k for d, k in zip(draws, (1, 2, 3, 10)))


def test_runs_consistent_with_allows_equality_exactly() -> None:
    target = Dist.from_weights({"a": 1, "b": 3})
    assert Runs({"a": Fraction(1, 4), "b": Fraction(3, 4)}, Fraction(0), 3).consistent_with(target)
    assert Runs({"a": Fraction(1, 4)}, Fraction(3, 4), 3).consistent_with(target)
    assert not Runs({"a": Fraction(1, 3)}, Fraction(2, 3), 3).consistent_with(target)


def test_runs_tvd_upper_bound_closed_form_over_both_supports() -> None:
    # mass on a (shared) and b (outside the target), target mass on c (never reached): ½(0 + ¼ + ¾ + ¼)
    runs = Runs({"a": Fraction(1, 4), "b": Fraction(1, 4)}, Fraction(1, 2), 5)
    target = Dist.from_weights({"a": 1, "c": 3})
    assert runs.tvd_upper_bound(target) == (0 + Fraction(1, 4) + Fraction(3, 4) + Fraction(1, 2)) / 2
    # an exact law with no residual has bound 0 against itself
    assert Runs({"x": Fraction(1)}, Fraction(0), 0).tvd_upper_bound(Dist.point("x")) == 0


# ---- spec.constructions --------------------------------------------------------------------------


def echo_with_coin(prompt: str, coins: Coins) -> str:
    """Depends on the prompt: the seeded model must hand the algorithm the user's prompt."""
    return prompt + "ab"[coins.randbelow(2)]


def test_induced_over_seeds_passes_the_prompt_to_the_algorithm() -> None:
    model = with_random_seed(echo_with_coin, seed_space=2)
    assert model.induced_over_seeds("x", max_len=3) == Dist.uniform(["xa", "xb"])


# ---- spec.dist and spec.text ---------------------------------------------------------------------


def test_iterating_a_dist_gives_its_support() -> None:
    d = Dist.from_weights({"a": 1, "b": 0, "c": 2})
    assert sorted(d) == ["a", "c"] and len(d) == 2


@pytest.mark.parametrize(
    ("token", "sigma", "expected"),
    [
        (STOP, None, True), (STOP, "ab", True), ("a", None, True), ("a", "ab", True), ("c", "ab", False),
        ("ab", None, False), ("", None, False), (7, None, False), (None, "ab", False),
    ],
)
def test_is_token_is_STOP_or_one_symbol_of_sigma(token: object, sigma: str | None, expected: bool) -> None:
    assert is_token(token, alphabet(sigma) if sigma else None) is expected


# ---- spec.activations -----------------------------------------------------------------------------


def two_loops_then_a_coin(prompt: str, coins: Coins) -> str:
    """Two rejection loops and a plain choice: the kept activations must be read back in order."""
    u1 = coins.until(lambda c: c.randbelow(3), lambda x: x != 0)
    u2 = coins.until(lambda c: c.randbelow(3), lambda x: x != 2)
    return prompt + f"{u1}{u2}{coins.randbelow(3)}"


def test_kept_activations_are_replayed_in_order_across_loops() -> None:
    runs = activation_runs(with_activations(two_loops_then_a_coin), "", max_len=4, max_flips=12)
    want = {f"{a}{b}{c}" for a in (1, 2) for b in (0, 1) for c in (0, 1, 2)}
    assert set(runs.mass) == want  # replaying out of order swaps the ranges {0,1} and {0,1,2}
    assert len(set(runs.mass.values())) == 1  # all twelve equally likely within the budget
    assert sum(runs.mass.values()) + runs.residual == 1 and runs.residual > 0


def test_induced_activations_reads_the_prompt_and_reports_runs_past_max_len() -> None:
    def coin(prompt: str, coins: Coins) -> str:
        return prompt + "ab"[coins.randbelow(2)]

    assert induced_activations(with_activations(coin), "x", max_len=2, max_flips=4) == Dist.uniform(["xa", "xb"])
    with pytest.raises(NonTerminating, match=r"^induced_activations: probability 1 has not reached STOP within "
                                             r"max_len=1$") as e:
        induced_activations(with_activations(coin), "x", max_len=1, max_flips=4)
    assert e.value.mass == 1


# ---- spec.constructions and spec.models: arguments reach their targets, messages say what --------


def test_derandomize_hands_the_prompt_to_phi_r_and_names_runs_over_budget() -> None:
    def phi_r(prompt: str, prefix: str, coins: Coins) -> Dist[str]:
        return Dist.point(prompt[0]) if len(prefix) < 1 else Dist.point(STOP)

    assert induced(derandomize(phi_r, max_flips=0), "z", max_len=2) == Dist.point("z")

    def greedy(prompt: str, prefix: str, coins: Coins) -> Dist[str]:
        coins.randbelow(2)
        coins.randbelow(2)
        return Dist.point(STOP)

    with pytest.raises(NonTerminating, match=r"^derandomize: at prompt 'p', prefix '', runs of probability 1 "
                                             r"need more than 1 coin flips$"):
        derandomize(greedy, max_flips=1)("p", "")


def test_table_algorithm_messages_name_the_problem() -> None:
    with pytest.raises(InvalidModel, match=r"^TableAlgorithm: no text it could ever output$"):
        TableAlgorithm(alphabet("a"), ("a",), frozenset({"a"}))
    with pytest.raises(InvalidModel, match=r"^TableAlgorithm: STOP is not a text$"):
        TableAlgorithm(alphabet("a"), (STOP,))


# ---- checkers.smt: the cvc5 child, run in-process so that its code is traced ---------------------

LRA_SAT = "(set-logic QF_LRA)\n(declare-fun x () Real)\n(declare-fun b () Bool)\n(assert (> x (/ 1 2)))\n(assert b)\n(check-sat)\n"
NRA_UNSAT = "(set-logic QF_NRA)\n(declare-fun x () Real)\n(assert (< (* x x) 0.0))\n(check-sat)\n"
NIA_SAT = "(set-logic QF_NIA)\n(declare-fun n () Int)\n(assert (= (* n n) 9))\n(assert (> n 0))\n(check-sat)\n"
IRRATIONAL = "(set-logic QF_NRA)\n(declare-fun y () Real)\n(assert (= (* y y) 2.0))\n(check-sat)\n"
AM_GM_5 = (
    "(set-logic QF_NRA)\n" + "".join(f"(declare-fun {v} () Real)\n(assert (>= {v} 0.0))\n" for v in "abcde")
    + "(assert (< (+ (* a a a a a) (* b b b b b) (* c c c c c) (* d d d d d) (* e e e e e)) (* 5.0 a b c d e)))\n"
    + "(check-sat)\n"
)


def job(text: str, *, rlimit: int = 10**7, nl_cov: bool = False) -> dict[str, object]:
    return {"smtlib": text, "seed": 0, "rlimit_per": rlimit, "tlimit_per_ms": 20_000, "nl_cov": nl_cov}


def test_cvc5_child_answers_sat_with_an_exact_model() -> None:
    out = smt.solvers._cvc5_solve(job(LRA_SAT))
    assert out["answer"] == "sat" and out["reason"] == "" and out["odd"] == []
    model = out["model"]
    assert Fraction(model["x"]) > Fraction(1, 2) and model["b"] == "1"
    ints = smt.solvers._cvc5_solve(job(NIA_SAT))
    assert ints == {"answer": "sat", "reason": "", "model": {"n": "3"}, "odd": []}


def test_cvc5_child_answers_unsat_and_unknown_and_names_irrational_values() -> None:
    assert smt.solvers._cvc5_solve(job(NRA_UNSAT, nl_cov=True)) == {"answer": "unsat", "reason": "", "model": None, "odd": []}
    tiny = smt.solvers._cvc5_solve(job(AM_GM_5, rlimit=1, nl_cov=True))
    assert tiny["answer"] == "unknown" and tiny["model"] is None and tiny["reason"]
    assert not str(tiny["reason"]).startswith("UnknownExplanation.")
    odd = smt.solvers._cvc5_solve(job(IRRATIONAL, nl_cov=True))
    assert odd["answer"] == "sat" and odd["odd"] == ["y"] and "y" not in odd["model"]


@pytest.mark.parametrize("text", ["(set-logic QF_LRA)\n(assert (> undeclared 0.0))\n(check-sat)\n",
                                  "(set-logic QF_LRA)\n(declare-fun x () Real)\n(assert (> x 0.0))\n"])
def test_cvc5_child_refuses_bad_text_and_text_without_check_sat(text: str) -> None:
    with pytest.raises(Exception):
        smt.solvers._cvc5_solve(job(text))


def test_cvc5_child_many_answers_each_block_in_order() -> None:
    script = smt.solvers._incremental_script([NRA_UNSAT, LRA_SAT.replace("QF_LRA", "QF_NRA")], "QF_NRA")
    answers = smt.solvers._cvc5_solve_many(job(script))
    assert [(a["answer"], a["reason"]) for a in answers] == [("unsat", ""), ("sat", "")]
    assert all(isinstance(a["seconds"], float) and a["seconds"] >= 0 for a in answers)
    (tiny,) = smt.solvers._cvc5_solve_many(job(smt.solvers._incremental_script([AM_GM_5], "QF_NRA"), rlimit=1))
    assert tiny["answer"] == "unknown" and tiny["reason"] and not str(tiny["reason"]).startswith("UnknownExplanation.")
    broken = smt.solvers._cvc5_solve_many(job("(set-logic QF_LRA)\n(push 1)\n(assert (> nope 0.0))\n(check-sat)\n"))
    assert len(broken) == 1 and broken[0]["answer"] == "unknown" and "nope" in broken[0]["reason"]


def run_child(main: Callable[[], None], payload: dict[str, object], monkeypatch: pytest.MonkeyPatch,
              capsys: pytest.CaptureFixture[str]) -> object:
    """Run a child entry point in-process on a JSON job; return its tagged JSON result."""
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(json.dumps(payload).encode("utf-8"))))
    main()
    (line,) = [x for x in capsys.readouterr().out.splitlines() if x.startswith(smt.solvers._CVC5_RESULT_TAG)]
    return json.loads(line[len(smt.solvers._CVC5_RESULT_TAG):])


def test_cvc5_child_entry_points_print_one_tagged_json_result(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run_child(smt.solvers._cvc5_child_main, job(NRA_UNSAT, nl_cov=True), monkeypatch, capsys) == {
        "answer": "unsat", "reason": "", "model": None, "odd": []}
    crashed = run_child(smt.solvers._cvc5_child_main, job("(check-sat"), monkeypatch, capsys)
    assert isinstance(crashed, dict) and crashed["answer"] == "unknown" and crashed["reason"]
    many = run_child(smt.solvers._cvc5_many_child_main, job(smt.solvers._incremental_script([NRA_UNSAT], "QF_NRA")),
                     monkeypatch, capsys)
    assert isinstance(many, list) and [a["answer"] for a in many] == ["unsat"]


# ---- spec.induced: sample, induced_hidden, the move check -------------------------------------------


def coin_then_stop(prompt: str, prefix: str) -> Dist[str]:
    return Dist.uniform(["a", "b"]) if not prefix else Dist.point(STOP)


def test_sample_stops_exactly_at_max_len_and_names_the_prefix_argument() -> None:
    assert sample(coin_then_stop, "", random.Random(1), max_len=1) in ("a", "b")
    with pytest.raises(NonTerminating, match=r"^sample: no STOP within max_len=0 \(prompt 'q', prefix ''\)$") as e:
        sample(coin_then_stop, "q", random.Random(1), max_len=0)
    assert e.value.mass == 0  # one sampled run cannot know the mass it stands for
    with pytest.raises(InvalidText, match=r"^prefix 'z': symbol 'z' at position 0"):
        sample(coin_then_stop, "", random.Random(1), max_len=2, alphabet=alphabet("ab"), prefix="z")


def test_sample_hands_the_prompt_to_the_model() -> None:
    def echo(prompt: str, prefix: str) -> Dist[str]:
        return Dist.point(prompt[len(prefix)]) if len(prefix) < len(prompt) else Dist.point(STOP)

    assert sample(echo, "abc", random.Random(0), max_len=3) == "abc"


def fair_public_coin(prompt: str, public: str, hidden: str) -> Dist[Move]:
    """Hidden 'h' with probability 1/2 first, then a public coin (1/2 each) among the prompt's symbols."""
    if not hidden and not public:
        return Dist.from_weights({("hidden", "h"): 1, ("public", prompt[0]): 1})
    if len(public) < 1:
        return Dist.uniform([("public", prompt[0]), ("public", prompt[1])])
    return Dist.point(("public", STOP))


def test_induced_hidden_multiplies_probabilities_along_both_streams() -> None:
    joint = induced_hidden(fair_public_coin, "xy", max_len=3)
    assert joint == Dist({("x", ""): Fraction(1, 2), ("x", "h"): Fraction(1, 4), ("y", "h"): Fraction(1, 4)})
    assert induced_public(fair_public_coin, "xy", max_len=3) == Dist({"x": Fraction(3, 4), "y": Fraction(1, 4)})


def test_induced_hidden_names_junk_laws_and_leaked_mass() -> None:
    with pytest.raises(InvalidModel, match=r"^the hidden-token model returned NoneType, not a Dist, at prompt 'p', "
                                           r"public '', hidden ''$"):
        induced_hidden(lambda p, u, h: None, "p", max_len=2)  # type: ignore[arg-type]
    with pytest.raises(NonTerminating, match=r"^induced_hidden: probability 1/2 has not reached STOP within "
                                             r"max_len=1 \(prompt 'xy'\)$") as e:
        induced_hidden(fair_public_coin, "xy", max_len=1)
    assert e.value.mass == Fraction(1, 2)


@pytest.mark.parametrize(
    "move",
    [("hidden", STOP), ("side", "a"), ("public", "ab"), ("public", 5), ("public",), ("public", "a", "b"), "pa", None],
)
def test_only_stream_token_pairs_are_moves_and_STOP_is_public(move: object) -> None:
    def phi(prompt: str, public: str, hidden: str) -> Dist[Move]:
        return Dist.point(move)  # type: ignore[arg-type]

    with pytest.raises(InvalidModel, match=r"^the hidden-token model put mass on .*, not a \(stream, token\) move, "
                                           r"at prompt 'p', public '', hidden ''$"):
        induced_hidden(phi, "p", max_len=2)


def test_a_hidden_move_that_is_legal_is_taken() -> None:
    def phi(prompt: str, public: str, hidden: str) -> Dist[Move]:
        return Dist.point(("hidden", "s")) if not hidden else Dist.point(("public", STOP))

    assert induced_hidden(phi, "p", max_len=2) == Dist.point(("", "s"))


# ---- checkers.smt.check_sat and checkers.claims.by_id ------------------------------------------------


def test_check_sat_passes_nonlinear_and_name_through_to_the_solvers() -> None:
    x = z3.Real("x")
    empty = smt.check_sat([x > 1, x < 0], check_model=lambda m: False, nonlinear=True, name="witness search")
    assert empty.outcome is Outcome.PROVED
    assert [r.solver for r in empty.runs] == ["z3", "cvc5"]  # declared nonlinear: cvc5 must confirm
    assert empty.smtlib.startswith("; witness search\n")
    plain = smt.check_sat([x > 1, x < 0], check_model=lambda m: False, nonlinear=False)
    assert [r.solver for r in plain.runs] == ["z3"] and plain.smtlib.startswith("; problem\n")


def test_unknown_claim_ids_are_listed_with_the_known_ones() -> None:
    with pytest.raises(KeyError) as e:
        by_id(["Z8", "s1", "Z9"])
    known = ", ".join(sorted(c.id for c in CLAIMS))
    assert e.value.args[0] == f"unknown claim id(s): Z8, Z9; known: {known}"


# ---- checkers.claims: the runner's bookkeeping ---------------------------------------------------------

NOT_CALLABLE = 42


def fake_crash(level: Level) -> Verdict:
    raise RuntimeError("checker crashed")


def fake_str(level: Level) -> Verdict:
    return "PROVED"  # type: ignore[return-value]


def claim_with(*refs: str, expected: Outcome = Outcome.HOLDS) -> Claim:
    return Claim("Z1", "test", "quote", "method words", expected, refs)


@pytest.mark.parametrize("ref", [f"{__name__}:no_such_function", f"{__name__}:NOT_CALLABLE", "checkers.no_such:check"])
def test_a_missing_or_uncallable_checker_is_not_checked_naming_it(ref: str) -> None:
    v = run_claim(claim_with(ref), Level.QUICK).verdict
    assert (v.outcome, v.scope, v.method, v.evidence) == (Outcome.NOT_CHECKED, "none", ref, (f"{ref} has not landed",))


def test_a_crashing_or_lying_checker_is_an_error_naming_it() -> None:
    ref = f"{__name__}:fake_crash"
    v = run_claim(claim_with(ref), Level.QUICK).verdict
    assert (v.outcome, v.scope, v.method) == (Outcome.ERROR, "none", ref)
    assert v.evidence == (f"{ref} raised RuntimeError: checker crashed",) and 0 <= v.seconds < 60
    lie = run_claim(claim_with(f"{__name__}:fake_str"), Level.QUICK).verdict
    assert lie.outcome is Outcome.ERROR
    assert lie.evidence == (f"{__name__}:fake_str raised TypeError: {__name__}:fake_str returned str, not a Verdict",)


def test_an_assumed_claim_is_reported_not_run() -> None:
    c = claim_with(f"{__name__}:fake_crash", expected=Outcome.ASSUMED)
    r = run_claim(c, Level.QUICK)
    assert r.claim is c and r.matches
    assert (r.verdict.outcome, r.verdict.scope, r.verdict.method) == (Outcome.ASSUMED, "cited", "method words")


def test_run_claim_times_itself() -> None:
    r = run_claim(claim_with("checkers.no_such:check"), Level.QUICK)
    assert 0 <= r.verdict.seconds < 60


def test_by_id_returns_the_claims_in_registry_order() -> None:
    assert [c.id for c in by_id(["a2", "S1"])] == ["S1", "A2"]


def test_combine_joins_counterexamples_methods_evidence_times_and_data() -> None:
    a = Verdict(Outcome.REFUTED, "s1", "m1", ("e1",), "cex a", 1.0, {"t1": [{"n": 1}]})
    b = Verdict(Outcome.HOLDS, "s2", "m2", ("e2", "e3"), None, 2.0, {"t2": [{"n": 2}]})
    c = Verdict(Outcome.REFUTED, "s3", "m3", (), "cex c", 0.5)
    v = combine([a, b, c])
    assert (v.outcome, v.scope, v.method, v.evidence) == (Outcome.REFUTED, "s1; s2; s3", "m1 + m2 + m3", ("e1", "e2", "e3"))
    assert (v.counterexample, v.seconds, dict(v.data)) == ("cex a; cex c", 3.5, {"t1": [{"n": 1}], "t2": [{"n": 2}]})
    held = combine([b, Verdict(Outcome.PROVED, "s4", "m4")])
    assert held.outcome is Outcome.HOLDS and held.counterexample is None


GET_MODEL_TOO_EARLY = "(set-logic QF_LRA)\n(declare-fun x () Real)\n(get-model)\n(check-sat)\n"


def test_cvc5_child_turns_error_output_and_missing_check_sat_into_errors_naming_them() -> None:
    with pytest.raises(RuntimeError, match=r'^\(error "cannot get model'):
        smt.solvers._cvc5_solve(job(GET_MODEL_TOO_EARLY))
    with pytest.raises(RuntimeError, match=r"^the text has no \(check-sat\)$"):
        smt.solvers._cvc5_solve(job("(set-logic QF_LRA)\n(declare-fun x () Real)\n(assert (> x 0.0))\n"))
    (broken,) = smt.solvers._cvc5_solve_many(job(GET_MODEL_TOO_EARLY))
    assert broken["answer"] == "unknown" and broken["seconds"] == 0.0
    assert str(broken["reason"]).startswith('RuntimeError: (error "cannot get model')


def test_cvc5_child_unknown_answers_are_complete_records_with_the_explanation() -> None:
    assert smt.solvers._cvc5_solve(job(AM_GM_5, rlimit=1, nl_cov=True)) == {
        "answer": "unknown", "reason": "RESOURCEOUT", "model": None, "odd": []}
    (tiny,) = smt.solvers._cvc5_solve_many(job(smt.solvers._incremental_script([AM_GM_5], "QF_NRA"), rlimit=1, nl_cov=True))
    assert tiny["answer"] == "unknown" and tiny["reason"] == "RESOURCEOUT" and 0 <= tiny["seconds"] < 60


def test_cvc5_child_many_with_cylindrical_coverings_proves_nonlinear_blocks() -> None:
    answers = smt.solvers._cvc5_solve_many(job(smt.solvers._incremental_script([NRA_UNSAT, NRA_UNSAT], "QF_NRA"), nl_cov=True))
    assert [a["answer"] for a in answers] == ["unsat", "unsat"] and all(0 <= a["seconds"] < 60 for a in answers)


def test_cvc5_child_entry_point_reports_a_crash_as_a_complete_unknown_record(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    crashed = run_child(smt.solvers._cvc5_child_main, job(GET_MODEL_TOO_EARLY), monkeypatch, capsys)
    assert crashed == {"answer": "unknown", "reason": 'RuntimeError: (error "cannot get model unless after a SAT or '
                       'UNKNOWN response.")', "model": None, "odd": []}


def test_format_model_sorts_by_name_and_names_the_empty_model() -> None:
    assert smt.format_model({"y": Fraction(3), "x": Fraction(1, 2)}) == "x = 1/2, y = 3"
    assert smt.format_model({}) == "(no variables)"


def two_orders(prompt: str, public: str, hidden: str) -> Dist[Move]:
    """Write public 'x' and hidden 'h' in either order (1/2 each), then STOP with probability 1/2 or 'z'."""
    if not public and not hidden:
        return Dist.uniform([("public", "x"), ("hidden", "h")])
    if not public:
        return Dist.point(("public", "x"))
    if not hidden:
        return Dist.point(("hidden", "h"))
    if public == "x":
        return Dist.uniform([("public", STOP), ("public", "z")])
    return Dist.point(("public", STOP))


def test_induced_hidden_adds_the_paths_to_one_pair_and_weighs_STOP() -> None:
    assert induced_hidden(two_orders, "", max_len=4) == Dist({("x", "h"): Fraction(1, 2), ("xz", "h"): Fraction(1, 2)})


def test_induced_hidden_names_the_type_a_junk_model_returned() -> None:
    with pytest.raises(InvalidModel, match=r"^the hidden-token model returned dict, not a Dist"):
        induced_hidden(lambda p, u, h: {("public", STOP): 1}, "p", max_len=2)  # type: ignore[arg-type]


def test_dist_repr_shows_eight_items_then_the_count() -> None:
    assert repr(Dist.from_weights({"a": 1, "b": 3})) == "Dist({'a': 1/4, 'b': 3/4})"
    many = Dist.uniform(range(10))
    assert repr(many) == "Dist({" + ", ".join(f"{i}: 1/10" for i in range(8)) + ", ... (10 items)})"
    assert 3 in many and 10 not in many


def test_uniform_of_nothing_names_the_empty_support() -> None:
    with pytest.raises(InvalidDistribution, match=r"^Dist.uniform: no items \(empty support\)$"):
        Dist.uniform([])


# ---- spec.activations: choices, kept activations, persistence -----------------------------------------


def three_choices(prompt: str, coins: Coins) -> str:
    return prompt + "ab"[coins.randbelow(2)] + "xyz"[coins.randbelow(3)] + "01234"[coins.randbelow(5)]


def test_kept_choices_are_replayed_in_order_and_kept_by_default() -> None:
    want = Dist.uniform([a + b + c for a in "ab" for b in "xyz" for c in "01234"])
    assert induced_activations(with_activations(three_choices), "", max_len=4, max_flips=6) == want
    assert WithActivations(three_choices).persist is True

    def twice(prompt: str, coins: Coins) -> str:
        return "ab"[coins.randbelow(2)] * 2

    kept = induced_activations(with_activations(twice), "", max_len=2, max_flips=4)
    forgetful = induced_activations(with_activations(twice, persist=False), "", max_len=2, max_flips=4)
    assert kept == Dist.uniform(["aa", "bb"]) and forgetful == Dist.uniform(["aa", "ab", "ba", "bb"])
    assert induced_activations(with_activations(three_choices), "p", max_len=5, max_flips=6) == want.map(lambda t: "p" + t)


def test_an_activation_model_with_a_random_next_token_is_sampled_exactly() -> None:
    def model(prompt: str, prefix: str, activations: tuple[object, ...], coins: Coins
              ) -> tuple[Dist[str], tuple[object, ...]]:
        return (Dist.from_weights({"a": 1, "b": 2}) if not prefix else Dist.point(STOP)), activations

    assert induced_activations(model, "", max_len=1, max_flips=2) == Dist.from_weights({"a": 1, "b": 2})

    def junk(prompt: str, prefix: str, activations: tuple[object, ...], coins: Coins
             ) -> tuple[Dist[str], tuple[object, ...]]:
        return None, activations  # type: ignore[return-value]

    with pytest.raises(InvalidModel, match=r"returned NoneType, not a Dist, at prompt 'q', prefix ''"):
        induced_activations(junk, "q", max_len=1, max_flips=2)
    with pytest.raises(InvalidArgument, match=r"^induced_activations: max_len must be an int >= 0, got -1$"):
        induced_activations(model, "", max_len=-1, max_flips=2)


class NoCoins:
    def randbelow(self, k: int) -> int:
        raise AssertionError("no fresh draw expected")

    def until(self, attempt: Callable[[Coins], T], accept: Callable[[T], bool]) -> T:
        raise AssertionError("no fresh draw expected")


@pytest.mark.parametrize("kept", [2, -1, True, "1"])
def test_a_kept_activation_must_be_a_choice_below_k(kept: object) -> None:
    model = with_activations(lambda prompt, coins: "ab"[coins.randbelow(2)])
    with pytest.raises(InvalidModel, match=rf"^with_activations: kept activation {kept!r} is not a choice below 2$"):
        model("", "", (kept,), NoCoins())
    assert model("", "", (1,), NoCoins()) == (Dist.point("b"), (1,))


def test_activation_and_hidden_token_models_name_a_non_text_output() -> None:
    with pytest.raises(InvalidModel, match=r"^with_activations: the algorithm returned int, not a str$"):
        with_activations(lambda p, c: 3)("", "", (), NoCoins())  # type: ignore[arg-type]
    with pytest.raises(InvalidModel, match=r"^with_hidden_tokens: the algorithm returned int, not a str$"):
        with_hidden_tokens(lambda p, c: 3)("", "", "")  # type: ignore[arg-type]


# ---- spec.constructions: hidden symbols, seed headers ---------------------------------------------------


def test_hidden_tokens_hand_the_prompt_to_the_algorithm() -> None:
    assert induced_public(with_hidden_tokens(echo_with_coin), "q", max_len=3) == Dist.uniform(["qa", "qb"])


def test_a_hidden_symbol_holds_any_of_0x110000_choices_and_nothing_wider() -> None:
    phi = with_hidden_tokens(lambda prompt, coins: str(coins.randbelow(0x110000)))
    assert phi("", "", chr(0x10FFFF)) == Dist.point(("public", "1"))  # 1114111 starts with '1'
    wide = with_hidden_tokens(lambda prompt, coins: str(coins.randbelow(0x110001)))
    with pytest.raises(InvalidArgument, match=r"^with_hidden_tokens: a choice among 1114113 options does not fit "
                                              r"one hidden symbol$"):
        wide("", "", "")
    two = with_hidden_tokens(lambda prompt, coins: "ab"[coins.randbelow(2)])
    assert two("", "", chr(1)) == Dist.point(("public", "b"))
    with pytest.raises(ZeroMass, match=r"^with_hidden_tokens: hidden symbol '\\x02' at position 0 is not a choice below 2$"):
        two("", "", chr(2))


def test_a_prompt_without_a_seed_header_is_quoted_to_40_symbols() -> None:
    model = with_random_seed(echo_with_coin, seed_space=2)
    prompt = "abcdefghij" * 5
    with pytest.raises(InvalidText, match=rf"^with_random_seed: prompt {prompt[:40]!r} does not start with a seed header$"):
        model(prompt, "")
    with pytest.raises(InvalidArgument, match=r"seed must be in range\(2\), got True"):
        model.seeded_prompt("", True)


# ---- messages and small contracts of spec core -----------------------------------------------------------


def test_core_errors_say_what_and_where() -> None:
    with pytest.raises(ZeroMass, match=r"^Dist.condition: the event has probability 0$"):
        Dist.uniform("ab").condition(lambda x: x == "c")
    with pytest.raises(InvalidDistribution, match=r"^Dist.bind: the kernel returned dict, not a Dist$"):
        Dist.point(1).bind(lambda x: {x: 1})  # type: ignore[arg-type,return-value]
    with pytest.raises(InvalidModel, match=r"^chain_rule: the target must be a Dist of texts, got dict$"):
        chain_rule({"a": 1})  # type: ignore[arg-type]
    with pytest.raises(InvalidModel, match=r"^with_random_seed: the algorithm returned int, not a str$"):
        with_random_seed(lambda p, c: 3, seed_space=1).output("", 0)  # type: ignore[arg-type]
    with pytest.raises(ZeroMass, match=r"^TableRandomizedModel: no laws for prefix 'b'$"):
        TableRandomizedModel(alphabet("a"), {"": (Dist.point(STOP),)}, 0)("", "b", NoCoins())
    with pytest.raises(NonTerminating, match=r"^enumerate_runs: runs of total probability 1 need more than 0 coin "
                                             r"flips; raise max_flips or bound the residual instead$"):
        enumerate_runs(lambda c: c.randbelow(2), 0).dist()


def test_chain_rule_keeps_its_target() -> None:
    d = Dist.from_weights({"a": 1, "ab": 2})
    assert chain_rule(d).target == d


def test_a_seed_runs_out_exactly_when_its_space_does() -> None:
    def two_bits(prompt: str, coins: Coins) -> str:
        return "ab"[coins.randbelow(2)] + "ab"[coins.randbelow(2)]

    three = with_random_seed(two_bits, seed_space=3)  # 3 // 2 = 1 left after the first bit: exhausted
    with pytest.raises(SeedExhausted, match=r"^with_random_seed: the seed is used up, and a choice among 2 is asked for$"):
        three.output("", 0)
    assert with_random_seed(two_bits, seed_space=4).output("", 3) == "bb"
    with pytest.raises(InvalidArgument, match=r"^randbelow: k must be an int >= 1, got 0$"):
        with_random_seed(lambda p, c: str(c.randbelow(0)), seed_space=2).output("", 0)


# ---- checkers.claims.run_claims: sequential and in worker processes ---------------------------------------


def fake_holds(level: Level) -> Verdict:
    return Verdict(Outcome.HOLDS, scope=f"fake at {level.value}", method="fake")


def fake_dies(level: Level) -> Verdict:
    os._exit(3)  # the worker process itself dies


def fake_claims(ref: str, n: int) -> tuple[Claim, ...]:
    return tuple(Claim(f"Z{i}", "test", "quote", f"method {i}", Outcome.HOLDS, (f"{__name__}:{ref}",)) for i in range(n))


def test_run_claims_runs_in_process_by_default_announcing_each_claim_in_order() -> None:
    claims = fake_claims("fake_holds", 3)
    started: list[str] = []
    results = list(run_claims(claims, Level.QUICK, lambda c: started.append(c.id)))
    assert started == ["Z0", "Z1", "Z2"] and [r.claim for r in results] == list(claims)
    one: list[str] = []
    assert [r.claim.id for r in run_claims(claims[:1], Level.QUICK, lambda c: one.append(c.id), jobs=2)] == ["Z0"]
    assert one == ["Z0"]  # a single claim runs in-process whatever jobs says


def test_run_claims_with_workers_gives_every_claim_its_verdict() -> None:
    claims = fake_claims("fake_holds", 3)
    results = list(run_claims(claims, Level.QUICK, jobs=2))
    assert sorted(r.claim.id for r in results) == ["Z0", "Z1", "Z2"]
    assert all(r.verdict.outcome is Outcome.HOLDS and r.verdict.scope == "fake at quick" for r in results)


def test_a_dead_worker_is_each_claims_error_never_a_pass() -> None:
    claims = fake_claims("fake_dies", 2)
    results = list(run_claims(claims, Level.QUICK, jobs=2))
    assert sorted(r.claim.id for r in results) == ["Z0", "Z1"]
    for r in results:
        v = r.verdict
        assert (v.outcome, v.scope, v.method) == (Outcome.ERROR, "none", r.claim.method)
        assert v.evidence[0].startswith("worker process failed: BrokenProcessPool: ")


# ---- checkers.verdict and checkers.smt: messages and small readers ------------------------------------------


def test_verdict_counterexample_rule_names_the_outcome_and_scope() -> None:
    with pytest.raises(ValueError, match=r"^a REFUTED verdict must carry a counterexample \(scope 's'\)$"):
        Verdict(Outcome.REFUTED, scope="s", method="m")
    with pytest.raises(ValueError, match=r"^a HOLDS verdict must not carry a counterexample \(scope 's'\)$"):
        Verdict(Outcome.HOLDS, scope="s", method="m", counterexample="x")


def test_proof_attempt_evidence_shows_reasons_only_when_given_and_the_counterexample() -> None:
    runs = (smt.SolverRun("z3", smt.SolverAnswer.SAT, 0.0, "", None),
            smt.SolverRun("cvc5", smt.SolverAnswer.UNKNOWN, 0.0, "RESOURCEOUT", None))
    a = smt.ProofAttempt(Outcome.REFUTED, runs, "(check-sat)\n", {"x": Fraction(1, 2)}, 1, 1, "QF_LRA")
    lines = a.evidence()
    assert lines[0] == "z3: sat in 0.000 s" and lines[1] == "cvc5: unknown in 0.000 s (RESOURCEOUT)"
    assert lines[3] == "counterexample (exactly re-checked): x = 1/2"


def test_numerals_are_read_exactly() -> None:
    assert smt.exact._numeral(z3.IntVal(7)) == 7 and smt.exact._numeral(z3.RealVal("1/3")) == Fraction(1, 3)
    assert smt.exact._numeral(z3.Real("x")) is None


# ---- spec.induced, spec.text, spec.models, spec.coins: leaks, token checks, messages ------------------------


def test_induced_adds_the_leaks_of_every_prefix_and_names_the_first() -> None:
    def forever(prompt: str, prefix: str) -> Dist[str]:
        return Dist.uniform(["a", "b"])

    with pytest.raises(NonTerminating, match=r"^induced: probability 1 has not reached STOP within max_len=1 "
                                             r"\(prompt 'q'; e.g. after prefix 'a'\)$") as e:
        induced(forever, "q", max_len=1)
    assert e.value.mass == 1


def test_every_new_token_of_a_law_is_checked_without_an_alphabet() -> None:
    law = Dist.from_weights({"a": 1, "xy": 1})
    with pytest.raises(InvalidModel, match=r"token 'xy', not a one-character symbol or STOP"):
        induced(lambda p, x: law if not x else Dist.point(STOP), "", max_len=2)


def test_text_and_model_errors_quote_the_alphabet_and_the_prefix() -> None:
    with pytest.raises(InvalidText, match=r"^text 'az': symbol 'z' at position 1 is not in the alphabet 'ab'$"):
        check_text("az", alphabet("ba"))
    with pytest.raises(ZeroMass, match=r"^TableModel: no next-token law for prefix 'b'$"):
        TableModel(alphabet("a"), {"": Dist.point(STOP)}, 0)("", "b")


def test_runs_remember_their_budget() -> None:
    assert enumerate_runs(lambda c: c.randbelow(2), 3).max_flips == 3


# ---- checkers.smt: argument checks, notes and recorded settings -----------------------------------------------


def test_prove_refuses_bad_limits_naming_them() -> None:
    x = z3.Real("x")
    with pytest.raises(ValueError, match=r"^rlimit must be at least 1 \(z3 reads 0 as unlimited\)$"):
        smt.prove([], x > x - 1, check_counterexample=lambda m: False, nonlinear=False, rlimit=0)
    with pytest.raises(ValueError, match=r"^timeout_s must be positive$"):
        smt.prove([], x > x - 1, check_counterexample=lambda m: False, nonlinear=False, timeout_s=0)
    quick = smt.prove([], x > x - 1, check_counterexample=lambda m: False, nonlinear=False, timeout_s=0.5)
    assert quick.outcome is Outcome.PROVED


def test_prove_records_logic_seed_limit_name_and_the_nonlinearity_note() -> None:
    a, b = z3.Reals("a b")
    found = smt.prove([a >= 0, b >= 0], a * b >= 0, check_counterexample=lambda m: False, nonlinear=False,
                      rlimit=5_000_000, name="product")
    assert found.outcome is Outcome.PROVED and found.note == "nonlinear terms found, treated as nonlinear"
    assert (found.logic, found.seed, found.rlimit) == ("QF_NRA", 0, 5_000_000)
    assert found.smtlib.startswith("; product\n")
    declared = smt.prove([a >= 0, b >= 0], a * b >= 0, check_counterexample=lambda m: False, nonlinear=True)
    assert declared.note == "" and declared.smtlib.startswith("; problem\n")
    linear = smt.prove([a > 1], a > 0, check_counterexample=lambda m: False, nonlinear=True)
    assert [r.solver for r in linear.runs] == ["z3", "cvc5"]  # declared nonlinear: cvc5 must confirm


def test_a_recheck_that_is_not_a_bool_is_a_caller_bug_naming_the_type() -> None:
    x = z3.Real("x")
    with pytest.raises(TypeError, match=r"^the exact re-check must return a bool, got int$"):
        smt.prove([], x > 0, check_counterexample=lambda m: 1, nonlinear=False)  # type: ignore[arg-type,return-value]


def test_proof_attempt_invariants_name_the_problem() -> None:
    with pytest.raises(ValueError, match=r"^a ProofAttempt cannot be HOLDS$"):
        smt.ProofAttempt(Outcome.HOLDS, (), "", None, 0, 0)
    with pytest.raises(ValueError, match=r"^a counterexample is set exactly when the outcome is REFUTED$"):
        smt.ProofAttempt(Outcome.PROVED, (), "", {"x": Fraction(0)}, 1, 1)
