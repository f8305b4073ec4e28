"""F1-F4: Claim 1's reduction (checkers.factoring, checkers.factoring) and F2's SMT proof; each check with
a failing counterpart."""

from __future__ import annotations

import random
import re
from collections.abc import Mapping
from dataclasses import replace
from fractions import Fraction
from typing import Any

import pytest
import z3
from hypothesis import given
from hypothesis import strategies as st

from checkers import factoring, smt
from checkers import factoring as reduction
from checkers.assumptions import FACTORING_IS_HARD
from checkers.factoring import (
    TrialDivision,
    backend_factorizer,
    ceil_half_log10,
    check_F1,
    check_F2,
    check_F3,
    check_F4,
    continuation_law,
    f1_problem,
    f3_verdict,
    factor_with,
    flint_factor,
    floor_half_log10,
    footnote3_problem,
    grouped_shard,
    reduction_problems,
    sympy_factor,
    target_problems,
    trial_division_count,
)
from checkers.verdict import Level, Outcome, Relation, Verdict
from spec import STOP, Dist, chain_rule, induced
from spec.errors import InvalidArgument, InvalidModel, ZeroMass
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
from tests.conftest import assert_panels_above_the_caveat

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

    assert f1_problem(good, 2) is None
    bad = f1_problem(off_by_two, 2)
    assert bad is not None and "induced ≠ Unif(S_n)" in bad


def test_F1_refuted_branch_exact(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(reduction, "f1_problem", lambda phi, n: f"bad{n}" if n == 2 else None)
    v = reduction.check_F1(Level.QUICK)
    assert [s.outcome for s in v.statements] == [Outcome.REFUTED]
    assert replace(v, statements=(), seconds=0.0) == Verdict(
        Outcome.REFUTED, "n = 1..2: all 457 tuples", "exact induced law (tree expansion) vs the explicit Unif(S_n)",
        ("bad2",), counterexample="bad2",
        data={"F1_exact": [{"n": 1, "tuples": 16, "equal": True}, {"n": 2, "tuples": 441, "equal": False}]})


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
    bad = reduction_problems(chain_rule(target), 2, distinct_products(2))
    assert bad and all(f"s={s}:" in b for b in bad)
    found = target_problems(target, 2)
    assert found and f"s={s}:" in found[0]


def test_F2_catches_a_model_that_guesses() -> None:
    fact = ordered_factorizations(2)
    wrong = FactorFirstModel(2, lambda s: list(fact(s)) + [(11, 11)])  # (11, 11) only right for s = 121
    bad = reduction_problems(wrong, 2, [11 * 13])
    assert bad == []  # a wrong pair whose product is not s is dropped by the model itself
    lying = FactorFirstModel(2, lambda s: [(11, 13)])
    bad = reduction_problems(lying, 2, [11 * 17])
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
    with pytest.raises(InvalidArgument, match="int >= 1"):
        factor_with(phi, -4, 2)
    with pytest.raises(InvalidArgument, match="n must be"):
        factor_with(phi, 143, 0)


def test_F2_numpy_grouping_matches_the_reference() -> None:
    for n, (primes, pairs, distinct) in REFERENCE.items():
        shards = [grouped_shard(n, i, 3) for i in range(3)]
        assert sum(r["pairs"] for r in shards) == pairs
        assert sum(r["distinct"] for r in shards) == distinct
        assert sum(r["bad_groups"] for r in shards) == 0 and sum(r["squares"] for r in shards) == primes


def test_bad_pair_names_a_pair_with_one_non_prime() -> None:
    assert reduction._pair_problem(2, 4, 8, 1) == "2 and 4 are not both 1-digit primes"
    assert reduction._pair_problem(4, 2, 8, 1) == "4 and 2 are not both 1-digit primes"
    assert reduction._pair_problem(2, 3, 6, 1) is None
    assert reduction._pair_problem(2, 3, 7, 1) == "2·3 = 6 ≠ s"


def _scripted(rest_for: Mapping[str | None, str]) -> Any:
    """A model that writes "[6," then rest_for[prompt] (rest_for[None] for any other prompt), then STOP."""

    def phi(prompt: str, prefix: str) -> Dist[str]:
        whole = "[6," + rest_for.get(prompt, rest_for[None])
        return Dist.point(whole[len(prefix)]) if len(prefix) < len(whole) else Dist.point(STOP)

    return phi


def test_continuation_law_and_factor_with_prompt_the_model_with_the_posts_prompt() -> None:
    prompt = semiprime_triple(1, "pq,p,q").prompt
    phi = _scripted({prompt: "2,3]", None: "1,6]"})
    assert reduction.continuation_law(phi, 6, 1) == Dist.point("2,3]")
    assert reduction.factor_with(phi, 6, 1) == (2, 3)
    assert reduction.reduction_problems(phi, 1, [6]) == []
    wrong = _scripted({None: "1,6]"})
    assert reduction.reduction_problems(wrong, 1, [6]) == [
        "s=6: continuation '1,6]' has probability 1, but 1 and 6 are not both 1-digit primes"]


def test_factor_with_checks_tokens_against_the_tuple_alphabet() -> None:
    phi = _scripted({None: "2x3]"})
    with pytest.raises(InvalidModel, match=re.escape("the model put mass on token 'x', not in the alphabet, at prompt ")):
        reduction.factor_with(phi, 6, 1)
    with pytest.raises(InvalidModel, match=re.escape("token 'x', not in the alphabet")):
        reduction.continuation_law(phi, 6, 1)


def test_reduction_setup_digit_limit() -> None:
    prompt, prefix, max_len = reduction._reduction_setup(4, 8)
    assert prefix == "[4," and max_len == 36 and "8-digit" in prompt
    with pytest.raises(InvalidArgument, match=r"^n must be an int between 1 and 8, got 9$"):
        reduction._reduction_setup(4, 9)


def test_grouped_shard_exact_counts_per_shard() -> None:
    # s runs from 11² to 97²: the shard boundaries depend on the lowest s = (smallest prime)²
    assert [reduction.grouped_shard(2, i, 8) for i in range(8)] == [
        {"pairs": 161, "distinct": 84, "bad_groups": 0, "squares": 7},
        {"pairs": 100, "distinct": 52, "bad_groups": 0, "squares": 4},
        {"pairs": 74, "distinct": 38, "bad_groups": 0, "squares": 2},
        {"pairs": 44, "distinct": 23, "bad_groups": 0, "squares": 2},
        {"pairs": 32, "distinct": 17, "bad_groups": 0, "squares": 2},
        {"pairs": 20, "distinct": 11, "bad_groups": 0, "squares": 2},
        {"pairs": 7, "distinct": 4, "bad_groups": 0, "squares": 1},
        {"pairs": 3, "distinct": 2, "bad_groups": 0, "squares": 1},
    ]


def test_grouped_shard_one_s_per_shard() -> None:
    # n = 1: primes 2, 3, 5, 7; s ranges over [4, 49], 46 values: with 46 shards each holds exactly one s
    primes = (2, 3, 5, 7)
    for i in range(46):
        s = 4 + i
        pairs = [(p, q) for p in primes for q in primes if p * q == s]
        want = {"pairs": len(pairs), "distinct": 1 if pairs else 0, "bad_groups": 0,
                "squares": sum(1 for p, q in pairs if p == q)}
        assert reduction.grouped_shard(1, i, 46) == want, s
    # two shards: [4, 27) and [27, 50)
    assert reduction.grouped_shard(1, 0, 2) == {"pairs": 13, "distinct": 8, "bad_groups": 0, "squares": 3}
    assert reduction.grouped_shard(1, 1, 2) == {"pairs": 3, "distinct": 2, "bad_groups": 0, "squares": 1}


def test_grouped_shard_counts_a_square_with_several_pairs_as_bad(monkeypatch: pytest.MonkeyPatch) -> None:
    # a duplicated "prime" 3: s = 9 has four pairs (3, 3) and s = 6 four pairs; both groups are bad
    monkeypatch.setattr(reduction, "n_digit_primes", lambda n: [2, 3, 3])
    assert reduction.grouped_shard(1, 0, 1) == {"pairs": 9, "distinct": 3, "bad_groups": 2, "squares": 2}


def test_f2_numpy_reports_wrong_grouped_counts_exactly(monkeypatch: pytest.MonkeyPatch) -> None:
    zero = {"pairs": 0, "distinct": 0, "bad_groups": 0, "squares": 0}
    monkeypatch.setattr(reduction, "grouped_shard", lambda n, shard, shards: dict(zero))
    bad, line = reduction._f2_numpy(1, shards=2, samples=3)
    assert bad == [f"n=1: grouped counts {zero} ≠ pairs 16, distinct 10"]
    assert line.startswith("n=1 (numpy, 2 shards of s): 0 ordered pairs, 0 distinct s; ")


def test_f2_grouped_exact() -> None:
    assert reduction._f2_grouped(1) == (
        [], "n=1: all 10 s of S_1 from the target's texts: the target conditioned on s holds only (a, b) "
        "with a·b = s, exactly flint's factorizations")


def test_f2_grouped_reports_a_wrong_factorizer(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(reduction, "backend_factorizer", lambda f, n: lambda s: [(1, s)])
    bad, text = reduction._f2_grouped(1)
    assert len(bad) == 10 and text.startswith("n=1: all 10 s of S_1")
    assert "s=4: the target's continuations [(2, 2)] ≠ flint's factorizations [(1, 4)]" in bad


def test_F2_small_scope_every_route_exact(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(reduction._F2_SCOPE, Level.QUICK, (1, 1, (1,), (1,)))
    v = reduction.f2_exhaustive_verdict(Level.QUICK)
    routes = ["chain rule, every s", "numpy grouping, sharded", "target texts grouped by s"]
    assert v.outcome is Outcome.HOLDS
    assert v.scope == ("every s in S_n for n = 1..1: exact continuation laws of chain_rule(target) for n ≤ 1, "
                       "grouped tuples (numpy) for n = 1")
    assert v.method == "exact continuation law induced(φ, prompt, prefix='[s,') and sampled runs of factor_with"
    runs = v.data["F2_runs"]
    assert isinstance(runs, list) and [{k: x for k, x in r.items() if k != "seconds"} for r in runs] == [
        {"n": 1, "method": m, "failures": 0} for m in routes]
    assert v.evidence == (reduction._f2_exhaustive(1, True)[1], reduction._f2_numpy(1)[1], reduction._f2_grouped(1)[1])
    assert v.evidence[1].startswith("n=1 (numpy, 8 shards of s): 16 ordered pairs, 10 distinct s;")
    monkeypatch.setattr(reduction, "factor_with", lambda phi, s, n: (1, s))
    v = reduction.f2_exhaustive_verdict(Level.QUICK)
    ss = (4, 6, 9, 10, 14, 15, 21, 25, 35, 49)
    problems = tuple(f"s={s}: factor_with returned (1, {s}): 1 and {s} are not both 1-digit primes" for s in ss)
    assert v.outcome is Outcome.REFUTED and v.evidence == problems and v.counterexample == problems[0]
    rows = v.data["F2_runs"]
    assert isinstance(rows, list) and rows[0]["failures"] == 10 and rows[2]["failures"] == 0


def test_f2_numpy_evidence_line_exact() -> None:
    # n = 1: primes 2, 3, 5, 7: 16 ordered pairs, 4·5/2 = 10 distinct s; 300 seeded draws hit all 10 s
    assert reduction._f2_numpy(1) == ([], (
        "n=1 (numpy, 8 shards of s): 16 ordered pairs, 10 distinct s; every s has exactly the continuations "
        "{p,q], q,p]} (one for the squares), so the target conditioned on s is uniform over s's factorizations; "
        "exact law and factor_with with the flint-backed model on 10 seeded random s"))


def test_F2_standard_level_states_the_grouped_n_with_its_outcome() -> None:
    v = reduction.f2_exhaustive_verdict(Level.STANDARD)
    assert v.outcome is Outcome.HOLDS, v.evidence
    assert v.scope == ("every s in S_n for n = 1..4: exact continuation laws of chain_rule(target) for n ≤ 3, "
                       "grouped tuples (numpy) for n = 4")
    assert [(s.relation, s.outcome) for s in v.statements] == [(Relation.SPECIAL_CASE, Outcome.HOLDS)] * 2
    assert v.statements[1].text == ("for every s in S_n, n in {4}: Unif(S_n) conditioned on the first field s holds "
                                    "only factorizations (a, b) of s")
    assert v.statements[1].line().startswith("[HOLDS] for every s in S_n, n in {4}:")


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
    assert v.outcome is Outcome.REFUTED
    # the first problem found is the exact continuation law at s = 11²
    assert v.counterexample == "s=121: continuation '11,13]' has probability 1, but 11·13 = 143 ≠ s"
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


def test_F3_a_trial_division_count_below_the_floor_for_its_digits_is_unknown() -> None:
    # n = 3: the smaller factor is ≥ 100, so trial division takes ≥ 1 + 99 // 2 = 50 divisions
    row = {**_ok_cost_rows()[1], "n": 3, "trial_divisions_min": 20}
    v = f3_verdict(Level.QUICK, rows=[*_ok_cost_rows(), row])
    assert v.outcome is Outcome.UNKNOWN
    assert "n=3: a trial division count below the lower bound 50" in v.evidence
    assert f3_verdict(Level.QUICK, rows=[*_ok_cost_rows(), {**row, "trial_divisions_min": 50}]).outcome is Outcome.HOLDS


def test_F3_backends_refuse_bad_input() -> None:
    for f in (TrialDivision(), sympy_factor, flint_factor):
        with pytest.raises(InvalidArgument, match="s must be"):
            f(1)


def test_trial_division_count_matches_the_run_for_small_primes() -> None:
    primes = [p for p in range(2, 80) if all(p % d for d in range(2, p))]
    for p in primes:
        for q in primes:
            td = TrialDivision()
            assert td(p * q) == sorted([p, q])
            assert trial_division_count(p, q) == td.divisions, (p, q)
    assert trial_division_count(2, 2) == 1 and trial_division_count(2, 3) == 1 and trial_division_count(3, 3) == 2


def test_cost_rows_run_each_backend_up_to_its_size_and_agree() -> None:
    rows = reduction.cost_rows(3, 3, 1, 2)
    assert [r["n"] for r in rows] == [1, 2, 3]
    assert [r["trial_seconds"] is None for r in rows] == [False, True, True]  # None: not run at that n
    assert [r["sympy_seconds"] is None for r in rows] == [False, False, True]
    assert [r["flint_seconds"] is None for r in rows] == [False, False, False]
    assert all(r["backends_agree"] is True and r["samples"] == 3 and r["multiplications_per_product_token"] == 1
               for r in rows)
    floors = {1: 1, 2: 5, 3: 50}
    assert all(int(str(r["trial_divisions_min"])) >= floors[int(str(r["n"]))] for r in rows)


def _figure_rows() -> list[dict[str, object]]:
    """A cost table for n = 1..3: trial division timed up to n = 2 only, FLINT's last time 0.5 s."""
    return [
        {"n": 1, "multiplications_per_product_token": 1, "primality_tests_per_prime": 2, "trial_divisions_median": 1,
         "trial_seconds": 1e-6, "sympy_seconds": 1e-5, "flint_seconds": 1e-6},
        {"n": 2, "multiplications_per_product_token": 1, "primality_tests_per_prime": 3, "trial_divisions_median": 6,
         "trial_seconds": 2e-6, "sympy_seconds": 2e-5, "flint_seconds": 2e-6},
        {"n": 3, "multiplications_per_product_token": 1, "primality_tests_per_prime": 4, "trial_divisions_median": 60,
         "trial_seconds": None, "sympy_seconds": 3e-5, "flint_seconds": 0.5},
    ]


def _f3_figure_of(rows: list[dict[str, object]]) -> Any:
    fig = reduction.f3_figure(Verdict(Outcome.HOLDS, "s", "m", data={"F3_cost": rows}), {})
    assert fig is not None
    return fig


def test_f3_figure_counts_axis_shows_each_series_its_legend_and_the_annotated_last_count() -> None:
    from checkers.report.plots import pyplot

    fig = _f3_figure_of(_figure_rows())
    try:
        top, bottom = fig.axes
        assert top.get_ylabel() == "operations for one token (count)"
        assert top.get_title() == "F3: work to emit the next token, [p,q,pq] vs [pq,p,q] (counted)"
        assert [t.get_text() for t in top.get_legend().get_texts()] == [
            "[p,q,pq]: multiplications per digit of pq",
            "[p,q,pq]: primality tests per prime (rejection sampling)",
            "[pq,p,q] at '[s,': trial divisions to factor s (median)",
            "proven floor for trial division: 1 + (10^(n−1) − 1)/2",
        ]
        assert [ln.get_xydata().tolist() for ln in top.get_lines()] == [
            [[1, 1], [2, 1], [3, 1]], [[1, 2], [2, 3], [3, 4]], [[1, 1], [2, 6], [3, 60]],
            [[1, 1], [2, 5], [3, 50]],  # the floor 1 + (10^(n−1) − 1)//2
        ]
        (note,) = top.texts  # points at the last trial-division count: 60 = 6.0·10¹ at n = 3
        assert note.get_text() == "n = 3: $6.0\\cdot 10^{1}$ trial divisions,\nbut FLINT factors it in 0.5 s (below)"
        assert tuple(note.xy) == (3.0, 60.0) and note.arrow_patch is not None
        assert bottom.get_title() == "measured wall time to factor s = pq on this machine"
        assert [t.get_text() for t in bottom.get_legend().get_texts()] == [
            "trial division", "sympy factorint", "FLINT (python-flint) factor"]
        words = " ".join(" ".join(t.get_text() for t in fig.texts).split())
        assert words == ("Caveat: trial division is the naive algorithm. Its count grows 10x per digit, but FLINT "
                         "factors the same n = 3 numbers in about 0.5 s. The gap between the two orders is asymptotic "
                         "and rests on the assumption X1, not on these curves. Series that stop: trial division not "
                         "run beyond n = 2 (too slow there).")
    finally:
        pyplot().close(fig)


def test_f3_figure_draws_each_series_in_its_own_colour_and_marker_trial_division_alike_in_both_panels() -> None:
    from matplotlib.colors import to_rgba

    from checkers.report.plots import pyplot

    fig = _f3_figure_of(_figure_rows())
    try:
        top, bottom = fig.axes

        def styles(ax: Any) -> list[tuple[tuple[float, ...], str, str]]:
            return [(to_rgba(ln.get_color()), ln.get_marker(), ln.get_linestyle()) for ln in ax.get_lines()]

        assert styles(top) == [(to_rgba("C0"), "o", "-"), (to_rgba("C4"), "s", "-"), (to_rgba("C3"), "^", "-"),
                               (to_rgba("k"), "None", "--")]  # the proven floor: a black dashed line, no markers
        assert top.get_lines()[3].get_linewidth() == 0.8  # thinner than the measured series
        assert styles(bottom) == [(to_rgba("C3"), "^", "-"), (to_rgba("C1"), "d", "-"), (to_rgba("C2"), "o", "-")]
        # the counted trial divisions (top) and their measured time (bottom) share one colour and marker
        assert styles(top)[2] == styles(bottom)[0]
        assert [ln.get_markersize() for ln in (*top.get_lines()[:3], *bottom.get_lines())] == [4] * 6
        # both panels' titles set in the same size, a step above their legends
        assert [ax.title.get_fontsize() for ax in (top, bottom)] == [10, 10]
        assert {t.get_fontsize() for ax in (top, bottom) for t in ax.get_legend().get_texts()} == {7}
        (note,) = top.texts  # the note on the last count is in the trial-division colour, as is its arrow
        assert to_rgba(note.get_color()) == to_rgba("C3") and note.get_fontsize() == 8
        assert note.arrow_patch is not None and note.arrow_patch.get_edgecolor() == to_rgba("C3")
        # its text sits inside the counts panel, in its lower half (clear of the legend in the upper left)
        x, y = note.xyann
        assert note.anncoords == "axes fraction" and 0 <= x <= 1 and 0 <= y < 0.5
    finally:
        pyplot().close(fig)


def test_f3_figure_without_flint_timings_has_no_note_on_the_counts_and_a_general_caveat() -> None:
    from checkers.report.plots import pyplot

    rows = [{k: v for k, v in r.items() if k != "flint_seconds"} for r in _figure_rows()]
    fig = _f3_figure_of(rows)
    try:
        top, bottom = fig.axes
        assert list(top.texts) == []  # nothing to compare the last count with
        assert [ln.get_label() for ln in bottom.get_lines()] == ["trial division", "sympy factorint"]
        assert [t.get_text() for t in bottom.get_legend().get_texts()] == ["trial division", "sympy factorint"]
        words = " ".join(" ".join(t.get_text() for t in fig.texts).split())
        assert words == ("Caveat: trial division is the naive algorithm; good factoring algorithms are far faster. The "
                         "gap between the two orders is asymptotic and rests on the assumption X1, not on these curves. "
                         "Series that stop: trial division not run beyond n = 2 (too slow there).")
    finally:
        pyplot().close(fig)
    no_divisions = [{k: v for k, v in r.items() if k != "trial_divisions_median"} for r in _figure_rows()]
    fig = _f3_figure_of(no_divisions)
    try:
        top, _ = fig.axes
        assert list(top.texts) == []  # FLINT timed, but no count to point at
        assert [ln.get_label() for ln in top.get_lines()] == [
            "[p,q,pq]: multiplications per digit of pq", "[p,q,pq]: primality tests per prime (rejection sampling)",
            "proven floor for trial division: 1 + (10^(n−1) − 1)/2"]
    finally:
        pyplot().close(fig)


def test_f3_figure_draws_a_row_without_n_at_zero_not_on_top_of_n_1() -> None:
    from checkers.report.plots import pyplot

    rows = _figure_rows()
    unnamed = {k: v for k, v in rows[2].items() if k != "n"}
    fig = _f3_figure_of([rows[0], rows[1], unnamed])
    try:
        top, _ = fig.axes
        divisions = top.get_lines()[2]
        assert divisions.get_label() == "[pq,p,q] at '[s,': trial divisions to factor s (median)"
        assert divisions.get_xydata().tolist() == [[0, 60], [1, 1], [2, 6]]
    finally:
        pyplot().close(fig)


# ---------------------------------------------------------------- F4


def test_F4_footnote3_holds(level: Level) -> None:
    v = check_F4(level)
    assert v.outcome is Outcome.HOLDS, v.evidence


def test_F4_perturbed_footnote_is_refuted() -> None:
    pairs = [(p, q) for p in n_digit_primes(1) for q in n_digit_primes(1)]
    bad = footnote3_problem(1, floor_half_log10, pairs)
    assert bad is not None and "s=4" in bad  # ⌊½ log₁₀ 4⌋ = 0
    assert footnote3_problem(2, lambda s: 1, [(11, 13)]) is not None


@given(st.integers(1, 10**12))
def test_F4_integer_ceil_half_log10_matches_its_definition(s: int) -> None:
    k = ceil_half_log10(s)
    assert s <= 100**k and (k == 0 or s > 100 ** (k - 1))
    f = floor_half_log10(s)
    assert 100**f <= s < 100 ** (f + 1)


def test_F4_edge_cases() -> None:
    assert [ceil_half_log10(s) for s in (1, 10, 100, 101, 10**4, 10**4 + 1)] == [0, 1, 1, 2, 2, 3]
    # past the precomputed powers of 100 (k < 64) the bound is computed directly
    assert [ceil_half_log10(s) for s in (100**63, 100**63 + 1, 100**64, 100**64 + 1)] == [63, 64, 64, 65]
    with pytest.raises(InvalidArgument):
        ceil_half_log10(0)


def test_F4_refuted_branches_exact(monkeypatch: pytest.MonkeyPatch) -> None:
    real = reduction.ceil_half_log10

    def fake(n: int, digits_of: object, pairs: object) -> str | None:
        return f"main{n}" if digits_of is real and n == 2 else None if digits_of is real else f"alt{n}"

    monkeypatch.setattr(reduction, "footnote3_problem", fake)
    v = reduction.check_F4(Level.QUICK)
    problems = ("⌈digits(s)/2⌉: alt1", "main2", "⌈digits(s)/2⌉: alt2", "⌈digits(s)/2⌉: alt3")
    assert v.outcome is Outcome.REFUTED and v.evidence == problems and v.counterexample == "⌈digits(s)/2⌉: alt1"
    assert v.scope == "S_n exhaustively for n ≤ 3; all of S_n for n ≤ 20 by monotonicity at the extreme primes"
    assert v.method == "exact integer arithmetic: ⌈½ log₁₀ s⌉ = least k with s ≤ 100^k (no floating log)"


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


# ---------------------------------------------------------------- F2: Claim 1 by SMT (checkers.factoring)


def test_claim1_n1_is_proved() -> None:
    assert factoring.prove_claim1(1).outcome is Outcome.PROVED


def test_claim1_n1_is_declared_nonlinear_and_proved_by_both_solvers_without_a_note() -> None:
    attempt = factoring.prove_claim1(1)
    assert attempt.outcome is Outcome.PROVED and [r.solver for r in attempt.runs] == ["z3", "cvc5"]
    assert attempt.note == ""  # no "nonlinear terms found, treated as nonlinear": the encoding says so itself


@pytest.mark.slow
def test_claim1_n2_is_proved() -> None:
    attempt = factoring.prove_claim1(2)
    assert attempt.outcome is Outcome.PROVED
    assert [r.solver for r in attempt.runs] == ["z3", "cvc5"]


def test_claim1_encodes_the_product_not_a_table_of_answers() -> None:
    """The only numbers in the text are digits' place values, primes, 1/N, 0 and 1: no semiprime is listed."""
    hyps, goal = factoring.claim1_encoding(2)
    text = smt.solvers._smtlib([*hyps, z3.Not(goal)], "claim 1")[0]
    assert "(* " in text  # the products are the solver's to compute
    for s in (11 * 13, 97 * 89):
        assert f" {s})" not in text and f" {s} " not in text


def test_claim1_with_a_corrupted_tuple_is_refuted_at_its_prefix() -> None:
    attempt, confirmation = factoring.refute_claim1_corrupted(1)
    assert attempt.outcome is Outcome.REFUTED and attempt.counterexample is not None
    model = attempt.counterexample
    assert model["a1"] * model["b1"] != model["s"]
    assert confirmation.startswith(f"prefix '[{model['s']},'") and "probability 0" not in confirmation


def test_claim1_problem_refuses_n_beyond_its_digits() -> None:
    with pytest.raises(InvalidArgument, match="n must be"):
        factoring.claim1_encoding(3)


def test_f2_smt_verdict_is_proved(level: Level) -> None:
    verdict = factoring.f2_smt_verdict(level)
    assert verdict.outcome is Outcome.PROVED, verdict.evidence
    assert verdict.scope and verdict.data["proofs"]


def test_a_check_whose_counterpart_cannot_fail_is_not_proved(monkeypatch: pytest.MonkeyPatch, level: Level) -> None:
    """If the corrupted target were proved too, the encoding would be vacuous: the verdict must drop to UNKNOWN."""
    proved = factoring.prove_claim1(1)
    monkeypatch.setattr(factoring, "refute_claim1_corrupted", lambda n=1: (proved, ""))
    verdict = factoring.f2_smt_verdict(level)
    assert verdict.outcome is Outcome.UNKNOWN and not verdict.passed


F = Fraction


def test_prove_claim1_rechecks_a_model_exactly(monkeypatch: pytest.MonkeyPatch) -> None:
    x = z3.Real("x")
    monkeypatch.setattr(factoring, "claim1_encoding", lambda n: ([x >= 1, x <= 1], x == 2))
    attempt = factoring.prove_claim1(2)
    assert attempt.outcome is Outcome.REFUTED and dict(attempt.counterexample or {}) == {"x": F(1)}
    assert attempt.smtlib.splitlines()[0] == (
        "; Claim 1 over S_2: from [s, every completion a,b] with a*b != s has probability 0")
    monkeypatch.setattr(factoring, "claim1_encoding", lambda n: ([x >= 1], x >= 0))
    assert factoring.prove_claim1(1).outcome is Outcome.PROVED


# ---------------------------------------------------------------- the section's perturbed twins


def test_f3_fewer_divisions_threshold(monkeypatch: pytest.MonkeyPatch) -> None:
    rows = [{"n": 1, "trial_divisions_min": 9}, {"n": 2, "trial_divisions_min": 2}, {"n": 3, "trial_divisions_min": 25}]
    monkeypatch.setattr(reduction, "cost_rows", lambda *a: rows)
    v = reduction._f3_fewer_divisions(Level.QUICK)
    assert (v.outcome, v.scope, v.method) == (Outcome.HOLDS, "n = 1..3", "F3's cost_rows")
    rows[2]["trial_divisions_min"] = 26
    v = reduction._f3_fewer_divisions(Level.QUICK)
    assert v.counterexample == "n=3: trial division needs 26 divisions > 10^(n-1)/4"
    assert dict(v.data) == {"n": 3, "min": "26"}
    assert v.scope == "n = 1..3, 5 seeded s per n" and v.method == "F3's cost_rows (exact division counts)"


def test_f2_combines_its_exhaustive_and_smt_parts_with_the_one_combiner(monkeypatch: pytest.MonkeyPatch) -> None:
    holds = Verdict(Outcome.HOLDS, "exhaustive scope", "exhaustive")
    proved = Verdict(Outcome.PROVED, "smt scope", "smt")
    monkeypatch.setattr(reduction, "f2_exhaustive_verdict", lambda level: holds)
    monkeypatch.setattr(reduction, "f2_smt_verdict", lambda level: proved)
    v = reduction.check_F2(Level.QUICK)
    assert (v.outcome, v.scope, v.method) == (Outcome.HOLDS, "exhaustive scope; smt scope", "exhaustive + smt")


def test_F2_factor_with_without_an_rng_samples_with_the_seed_s() -> None:
    phi = FactorFirstModel(2, ordered_factorizations(2))
    ps = n_digit_primes(2)
    ss = [p * q for p, q in zip(ps, ps[1:], strict=False)][:16]  # distinct factors: two orderings each
    pairs = [factor_with(phi, s, 2) for s in ss]
    assert pairs == [factor_with(phi, s, 2, random.Random(s)) for s in ss]
    assert {a * b for a, b in pairs} == set(ss)


def test_F3_without_the_assumption_the_recheck_requires_the_evidence_to_name_it() -> None:
    x1 = FACTORING_IS_HARD
    data: dict[str, object] = {"uses": [], "rests_on": [x1], "outcome": Outcome.UNKNOWN.value, "first_evidence": "no reason"}
    v = Verdict(Outcome.REFUTED, "s", "m", counterexample="the cut claim is UNKNOWN", data=data)
    assert factoring._recheck_without_x1(v) == f"the runner's verdict does not name the missing {x1}"
    named = replace(v, data={**data, "first_evidence": f"rests on {x1}, which is not among its uses"})
    assert factoring._recheck_without_x1(named) is None


def test_f2_exhaustive_lists_at_most_three_s_where_the_flint_backed_model_differs() -> None:
    target = semiprime_triple(1, reduction.FIRST_FIELD).target()
    ascending = Dist.uniform([t for t in target.support if (m := re.fullmatch(r"\[(\d+),(\d+),(\d+)\]", t))
                              and int(m[2]) <= int(m[3])])  # only [s,p,q] with p ≤ q: the chain rule never writes q first
    bad, _ = reduction._f2_exhaustive(1, True, target=ascending)
    assert bad == [f"s={s}: the flint-backed model's continuation differs from the chain rule's" for s in (6, 10, 14)]


def test_target_problems_names_a_text_that_is_not_a_tuple() -> None:
    assert target_problems(Dist.uniform(["junk"]), 1) == ["target text 'junk' is not a tuple [s,a,b]"]


def test_f3_figure_keeps_both_panels_inside_the_figure_above_the_caveat() -> None:
    from checkers.report.plots import pyplot

    fig = _f3_figure_of(_figure_rows())
    try:
        assert_panels_above_the_caveat(fig)
    finally:
        pyplot().close(fig)


def test_each_caller_of_cost_rows_gets_its_own_rows() -> None:
    first = factoring.cost_rows(3, 1, 2, 0)
    assert [r["n"] for r in first] == [1, 2, 3] and first[2]["trial_seconds"] is None  # trial division timed to n = 2
    first[0]["n"] = 99  # a caller editing its rows (e.g. for a plot) does not edit the next caller's
    again = factoring.cost_rows(3, 1, 2, 0)
    assert [r["n"] for r in again] == [1, 2, 3] and again[1] == first[1] and again[1] is not first[1]
