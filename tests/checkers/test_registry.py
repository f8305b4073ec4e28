"""The registry (checkers.claims) and the runner (checkers.runner): every claim id, running a claim, combining
verdicts, the argument graph."""

from __future__ import annotations

import concurrent.futures
import os
from dataclasses import replace
from typing import cast

import pytest

from checkers import runner
from checkers.claims import (
    CLAIMS,
    HYPOTHESES,
    Check,
    Claim,
    by_id,
    passed,
    unlisted,
)
from checkers.runner import run_claim, run_claims
from checkers.verdict import Level, Outcome, Relation, Statement, Step, Verdict, combine

CLAIM_IDS = (
    "S1 S2 S3 S4 R1 R2 R3 R4 R5 F1 F2 F3 F4 A1 A2 A3 A4 A5 A6 G1 G2 G3 G4 E1 E2 E3 X1 X2".split()
)


def test_registry_has_one_entry_per_claim_id() -> None:
    assert [c.id for c in CLAIMS] == CLAIM_IDS


def test_assumptions_are_assumed_and_everything_else_has_a_check() -> None:
    for c in CLAIMS:
        assert (c.expected is Outcome.ASSUMED) == (c.id in ("X1", "X2"))
        assert (c.check is not None) == (c.expected is not Outcome.ASSUMED)


def test_unknown_claim_ids_are_listed_with_the_known_ones() -> None:
    with pytest.raises(KeyError) as e:
        by_id(["Z8", "s1", "Z9"])
    known = ", ".join(sorted(c.id for c in CLAIMS))
    assert e.value.args[0] == f"unknown claim id(s): Z8, Z9; known: {known}"


def test_by_id_returns_the_claims_in_registry_order() -> None:
    assert [c.id for c in by_id(["a2", "S1"])] == ["S1", "A2"]


# ---- fake checks, module-level functions like the real ones ----------------------------
def fake_unknown(level: Level) -> Verdict:
    return Verdict(Outcome.UNKNOWN, scope="fake", method="fake", evidence=("z3: unknown (rlimit)",))


def _claim(check: Check, expected: Outcome = Outcome.HOLDS, cid: str = "Z1") -> Claim:
    return Claim(cid, "test", "a fake claim", "fake", expected, check)


def test_unknown_is_never_a_pass() -> None:
    r = run_claim(_claim(fake_unknown), Level.QUICK)
    assert r.verdict.outcome is Outcome.UNKNOWN and not r.matches and not passed([r])


def test_combine_takes_the_weakest_outcome() -> None:
    proved = Verdict(Outcome.PROVED, scope="a", method="m")
    holds = Verdict(Outcome.HOLDS, scope="b", method="m")
    unknown = Verdict(Outcome.UNKNOWN, scope="c", method="m")
    assert combine([proved, proved]).outcome is Outcome.PROVED
    assert combine([proved, holds]).outcome is Outcome.HOLDS
    assert combine([holds, unknown]).outcome is Outcome.UNKNOWN
    assert combine([proved, holds]).scope == "a; b"


def test_combine_joins_counterexamples_methods_evidence_and_data() -> None:
    a = Verdict(Outcome.REFUTED, "s1", "m1", ("e1",), "cex a", 1.0, {"t1": [{"n": 1}]})
    b = Verdict(Outcome.HOLDS, "s2", "m2", ("e2", "e3"), None, 2.0, {"t2": [{"n": 2}]})
    c = Verdict(Outcome.REFUTED, "s3", "m3", (), "cex c", 0.5)
    v = combine([a, b, c])
    assert (v.outcome, v.scope, v.method, v.evidence) == (Outcome.REFUTED, "s1; s2; s3", "m1 + m2 + m3", ("e1", "e2", "e3"))
    # the runner times the claim: a combined verdict carries no time of its own
    assert (v.counterexample, v.seconds, dict(v.data)) == ("cex a; cex c", 0.0, {"t1": [{"n": 1}], "t2": [{"n": 2}]})
    held = combine([b, Verdict(Outcome.PROVED, "s4", "m4")])
    assert held.outcome is Outcome.HOLDS and held.counterexample is None


def test_every_claim_is_as_expected_at_the_profile_level(level: Level) -> None:
    if level is Level.QUICK:  # each claim's quick run is tests/system/test_snapshots.py's, with its snapshot
        pytest.skip("quick level: run claim by claim in tests/system/test_snapshots.py")
    results = [run_claim(c, level) for c in CLAIMS]
    wrong = {r.claim.id: (r.verdict.outcome.value, r.verdict.evidence[-3:]) for r in results if not r.matches}
    assert not wrong, wrong


# ---- the argument graph: uses, what a verdict rests on, statements and steps -----------------------
def fake_given_x1(level: Level) -> Verdict:
    return Verdict(Outcome.HOLDS, scope="fake", method="fake", rests_on=("F2", "X1"),
                   statements=(Statement("given X1, no polytime φ", Relation.SAME, Outcome.HOLDS),))


def fake_given_hash(level: Level) -> Verdict:
    return Verdict(Outcome.HOLDS, scope="fake", method="fake", rests_on=("H-SHA256: hash bits are unpredictable",))


def fake_with_a_changed_step(level: Level) -> Verdict:
    step = Step("Z1.1", "(k/N)² < ε/2", outcome=Outcome.REFUTED, expected=Outcome.PROVED, counterexample="N = 1")
    return Verdict(Outcome.PROVED, scope="fake", method="fake", steps=(step,))


def test_a_verdict_resting_on_an_assumption_missing_from_uses_is_unknown() -> None:
    cut = Claim("Z3", "test", "q", "m", Outcome.HOLDS, fake_given_x1, uses=("F2",))
    r = run_claim(cut, Level.QUICK)
    assert r.verdict.outcome is Outcome.UNKNOWN and not r.matches
    assert "rests on X1, which Z3's uses (F2) do not list" in r.verdict.evidence[0]
    assert unlisted(cut, fake_given_x1(Level.QUICK)) == ("X1",)


def test_a_verdict_resting_on_listed_uses_keeps_its_outcome_and_says_given() -> None:
    whole = Claim("Z3", "test", "q", "m", Outcome.HOLDS, fake_given_x1, uses=("F2", "X1"))
    r = run_claim(whole, Level.QUICK)
    assert r.verdict.outcome is Outcome.HOLDS and r.matches
    assert r.verdict.label == "HOLDS given X1"
    hashed = Claim("Z4", "test", "q", "m", Outcome.HOLDS, fake_given_hash, uses=("H-SHA256",))
    assert run_claim(hashed, Level.QUICK).verdict.label == "HOLDS given H-SHA256"
    assert run_claim(replace(hashed, uses=()), Level.QUICK).verdict.outcome is Outcome.UNKNOWN


def test_a_sketch_step_that_changed_is_a_mismatch_even_when_the_outcome_matches() -> None:
    r = run_claim(Claim("Z5", "test", "q", "m", Outcome.PROVED, fake_with_a_changed_step), Level.QUICK)
    assert r.verdict.outcome is Outcome.PROVED and not r.matches and not passed([r])


def test_combine_keeps_statements_assumptions_obligations_and_steps() -> None:
    s1 = Statement("a", Relation.SAME, Outcome.HOLDS)
    s2 = Statement("b", Relation.EVIDENCE, Outcome.HOLDS)
    step = Step("Z.1", "w", Outcome.PROVED, Outcome.PROVED)
    one = Verdict(Outcome.PROVED, scope="a", method="m", statements=(s1,), rests_on=("X1",),
                  obligations=({"name": "o1"},), steps=(step,))
    two = Verdict(Outcome.HOLDS, scope="b", method="m", statements=(s2,), rests_on=("X1", "F2"))
    both = combine([one, two])
    assert both.statements == (s1, s2) and both.rests_on == ("X1", "F2")
    assert both.obligations == ({"name": "o1"},) and both.steps == (step,)


def test_combine_orders_statistical_and_unestablished_below_holds() -> None:
    def v(o: Outcome) -> Verdict:
        return Verdict(o, scope="s", method="m")

    assert combine([v(Outcome.PROVED), v(Outcome.STATISTICAL)]).outcome is Outcome.STATISTICAL
    assert combine([v(Outcome.HOLDS), v(Outcome.UNESTABLISHED)]).outcome is Outcome.UNESTABLISHED
    assert combine([v(Outcome.STATISTICAL), v(Outcome.UNESTABLISHED)]).outcome is Outcome.UNESTABLISHED
    assert combine([v(Outcome.UNESTABLISHED), v(Outcome.UNKNOWN)]).outcome is Outcome.UNKNOWN


def test_uses_name_registry_claims_or_named_assumptions_and_form_no_cycle() -> None:
    ids = {c.id for c in CLAIMS}
    graph = {c.id: c.uses for c in CLAIMS}
    for cid, uses in graph.items():
        assert all(u in ids or u in HYPOTHESES for u in uses), (cid, uses)
    done: set[str] = set()

    def visit(cid: str, path: tuple[str, ...]) -> None:
        assert cid not in path, f"cycle: {' → '.join(path + (cid,))}"
        if cid in done or cid in HYPOTHESES:
            return
        for u in graph[cid]:
            visit(u, path + (cid,))
        done.add(cid)

    for cid in graph:
        visit(cid, ())


def test_uses_follow_the_posts_argument() -> None:
    uses = {c.id: set(c.uses) for c in CLAIMS}
    assert {"A2", "A5", "X1"} <= uses["A6"] and {"A3", "A4"} <= uses["A5"]
    assert {"F2", "X1"} <= uses["F3"] and {"S3", "S4"} <= uses["F2"]
    assert all({"S1", "S3"} <= uses[e] for e in ("E1", "E2", "E3"))
    assert "H-SHA256" in uses["G1"]


def test_an_assumption_is_reported_with_its_statement() -> None:
    (x1,) = by_id(["X1"])
    v = run_claim(x1, Level.QUICK).verdict
    assert v.outcome is Outcome.ASSUMED
    assert [(s.relation, s.outcome) for s in v.statements] == [(Relation.ASSUMPTION, Outcome.ASSUMED)]
    assert v.statements[0].text == f"X1: {x1.quote}"


# ---- running one claim: crashing and lying checks, assumptions ----------------------------------


def fake_crash(level: Level) -> Verdict:
    raise RuntimeError("checker crashed")


def fake_str(level: Level) -> object:
    return "PROVED"


def claim_with(check: Check) -> Claim:
    return Claim("Z1", "test", "quote", "method words", Outcome.HOLDS, check)


def test_a_crashing_or_lying_check_is_an_error_naming_it() -> None:
    ref = f"{__name__}:fake_crash"
    r = run_claim(claim_with(fake_crash), Level.QUICK)
    v = r.verdict
    assert (v.outcome, v.scope, v.method) == (Outcome.ERROR, "none", ref)
    assert v.evidence == (f"{ref} raised RuntimeError: checker crashed",) and 0 <= v.seconds < 60 and not r.matches
    lie = run_claim(claim_with(cast(Check, fake_str)), Level.QUICK).verdict
    assert lie.outcome is Outcome.ERROR
    assert lie.evidence == (f"{__name__}:fake_str raised TypeError: {__name__}:fake_str returned str, not a Verdict",)


def test_an_assumed_claim_is_reported_not_run() -> None:
    c = Claim("Z1", "test", "quote", "method words", Outcome.ASSUMED)
    r = run_claim(c, Level.QUICK)
    assert r.claim is c and r.matches
    assert (r.verdict.outcome, r.verdict.scope, r.verdict.method) == (Outcome.ASSUMED, "cited", "method words")
    assert [s.text for s in r.verdict.statements] == ["Z1: quote"]


def test_a_claim_has_a_check_exactly_when_it_is_not_an_assumption() -> None:
    with pytest.raises(ValueError, match=r"^claim Z1: a check is needed exactly when the claim is not an assumption "
                                         r"\(expected HOLDS, check missing\)$"):
        Claim("Z1", "test", "quote", "m", Outcome.HOLDS)
    with pytest.raises(ValueError, match=r"check given\)$"):
        Claim("Z1", "test", "quote", "m", Outcome.ASSUMED, fake_crash)


def test_run_claim_is_the_clock_of_a_verdict() -> None:
    r = run_claim(claim_with(fake_holds), Level.DEEP)
    assert replace(r.verdict, seconds=0.0) == fake_holds(Level.DEEP) and 0 < r.verdict.seconds < 60


# ---- running many claims: in process, in worker processes, a dead worker -------------------------


def fake_holds(level: Level) -> Verdict:
    return Verdict(Outcome.HOLDS, scope=f"fake at {level.value}", method="fake")


def fake_dies(level: Level) -> Verdict:
    os._exit(3)  # the worker process itself dies


def fake_claims(check: Check, n: int) -> tuple[Claim, ...]:
    return tuple(Claim(f"Z{i}", "test", "quote", f"method {i}", Outcome.HOLDS, check) for i in range(n))


def test_run_claims_runs_in_process_by_default_announcing_each_claim_in_order() -> None:
    claims = fake_claims(fake_holds, 3)
    started: list[str] = []
    results = list(run_claims(claims, Level.QUICK, on_start=lambda c: started.append(c.id)))
    assert started == ["Z0", "Z1", "Z2"] and [r.claim for r in results] == list(claims)
    one: list[str] = []
    assert [r.claim.id for r in run_claims(claims[:1], Level.QUICK, on_start=lambda c: one.append(c.id), jobs=2)] == [
        "Z0"]
    assert one == ["Z0"]  # a single claim runs in-process whatever jobs says


def test_run_claims_with_workers_gives_every_claim_its_verdict() -> None:
    claims = fake_claims(fake_holds, 3)
    results = list(run_claims(claims, Level.QUICK, jobs=2))
    assert sorted(r.claim.id for r in results) == ["Z0", "Z1", "Z2"]
    assert all(r.verdict.outcome is Outcome.HOLDS and r.verdict.scope == "fake at quick" for r in results)


def test_a_dead_worker_is_each_claims_error_never_a_pass() -> None:
    claims = fake_claims(fake_dies, 2)
    results = list(run_claims(claims, Level.QUICK, jobs=2))
    assert sorted(r.claim.id for r in results) == ["Z0", "Z1"]
    for r in results:
        v = r.verdict
        assert (v.outcome, v.scope, v.method) == (Outcome.ERROR, "none", r.claim.method)
        assert v.evidence[0].startswith("worker process failed: BrokenProcessPool: ")


def test_run_claims_sizes_the_local_pool_by_jobs_and_leaves_its_start_method_alone(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    made: list[tuple[int | None, object]] = []

    class Pool(concurrent.futures.ThreadPoolExecutor):
        def __init__(self, max_workers: int | None = None, mp_context: object = None) -> None:
            made.append((max_workers, mp_context))
            super().__init__(max_workers=max_workers)

    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", Pool)
    cs = [Claim(f"Z{i}", "sec", "quote", "m", Outcome.ASSUMED) for i in range(3)]
    results = list(runner.run_claims(cs, Level.QUICK, jobs=3))
    assert sorted(r.claim.id for r in results) == ["Z0", "Z1", "Z2"]
    assert made == [(3, None)]  # nothing relies on a forked worker inheriting this process's state


# ---- the Verdict ---------------------------------------------------------------------------------


def test_verdict_counterexample_rule_names_the_outcome_and_scope() -> None:
    with pytest.raises(ValueError, match=r"^a REFUTED verdict must carry a counterexample \(scope 's'\)$"):
        Verdict(Outcome.REFUTED, scope="s", method="m")
    with pytest.raises(ValueError, match=r"^a HOLDS verdict must not carry a counterexample \(scope 's'\)$"):
        Verdict(Outcome.HOLDS, scope="s", method="m", counterexample="x")


def test_verdict_str_exact_with_evidence_and_counterexample() -> None:
    v = Verdict(Outcome.REFUTED, "n <= 3", "exact", ("line one", "line two"), counterexample="n=2")
    assert str(v) == "REFUTED: n <= 3\n  method: exact\n  line one\n  line two\n  counterexample: n=2"


def test_verdict_str_exact_without_evidence_or_counterexample() -> None:
    assert str(Verdict(Outcome.UNKNOWN, "none", "m")) == "UNKNOWN: none\n  method: m"
    assert str(Verdict(Outcome.HOLDS, "all", "z3", ("e",))) == "HOLDS: all\n  method: z3\n  e"
