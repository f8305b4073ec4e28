"""The registry (checkers.claims): every claim id, running a claim, combining verdicts, the argument graph."""

from __future__ import annotations

from dataclasses import replace

import pytest

from checkers.claims import CLAIMS, HYPOTHESES, Claim, by_id, combine, passed, run_claim, unlisted
from checkers.verdict import Level, Outcome, Relation, Statement, Step, Verdict

CLAIM_IDS = (
    "S1 S2 S3 S4 R1 R2 R3 R4 R5 F1 F2 F3 F4 A1 A2 A3 A4 A5 A6 G1 G2 G3 G4 E1 E2 E3 X1 X2".split()
)


def test_registry_has_one_entry_per_claim_id() -> None:
    assert [c.id for c in CLAIMS] == CLAIM_IDS


def test_assumptions_are_assumed_and_everything_else_has_a_checker() -> None:
    for c in CLAIMS:
        assert (c.expected is Outcome.ASSUMED) == (c.id in ("X1", "X2"))
        assert bool(c.checkers) == (c.expected is not Outcome.ASSUMED)


def test_unknown_claim_id_is_a_clear_error() -> None:
    with pytest.raises(KeyError, match="Z9"):
        by_id(["Z9"])


# ---- fake checkers, resolved by "module:function" like the real ones ------------------
def fake_unknown(level: Level) -> Verdict:
    return Verdict(Outcome.UNKNOWN, scope="fake", method="fake", evidence=("z3: unknown (rlimit)",))


def fake_raises(level: Level) -> Verdict:
    raise RuntimeError("checker crashed on purpose")


def fake_not_a_verdict(level: Level) -> Verdict:
    return "PROVED"  # type: ignore[return-value]


def _claim(ref: str, expected: Outcome = Outcome.HOLDS, cid: str = "Z1") -> Claim:
    return Claim(cid, "test", "a fake claim", "fake", expected, (f"{__name__}:{ref}",))


def test_unknown_is_never_a_pass() -> None:
    r = run_claim(_claim("fake_unknown"), Level.QUICK)
    assert r.verdict.outcome is Outcome.UNKNOWN and not r.matches and not passed([r])


def test_a_crash_is_that_claims_error() -> None:
    r = run_claim(_claim("fake_raises"), Level.QUICK)
    assert r.verdict.outcome is Outcome.ERROR
    assert "checker crashed on purpose" in r.verdict.evidence[0]


def test_a_checker_returning_a_non_verdict_is_an_error() -> None:
    assert run_claim(_claim("fake_not_a_verdict"), Level.QUICK).verdict.outcome is Outcome.ERROR


def test_a_missing_checker_module_is_not_checked() -> None:
    c = Claim("Z2", "test", "q", "m", Outcome.HOLDS, ("checkers.no_such_module:check",))
    r = run_claim(c, Level.QUICK)
    assert r.verdict.outcome is Outcome.NOT_CHECKED and not r.matches


def test_combine_takes_the_weakest_outcome() -> None:
    proved = Verdict(Outcome.PROVED, scope="a", method="m")
    holds = Verdict(Outcome.HOLDS, scope="b", method="m")
    unknown = Verdict(Outcome.UNKNOWN, scope="c", method="m")
    assert combine([proved, proved]).outcome is Outcome.PROVED
    assert combine([proved, holds]).outcome is Outcome.HOLDS
    assert combine([holds, unknown]).outcome is Outcome.UNKNOWN
    assert combine([proved, holds]).scope == "a; b"


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
    cut = Claim("Z3", "test", "q", "m", Outcome.HOLDS, (f"{__name__}:fake_given_x1",), uses=("F2",))
    r = run_claim(cut, Level.QUICK)
    assert r.verdict.outcome is Outcome.UNKNOWN and not r.matches
    assert "rests on X1, which Z3's uses (F2) do not list" in r.verdict.evidence[0]
    assert unlisted(cut, fake_given_x1(Level.QUICK)) == ("X1",)


def test_a_verdict_resting_on_listed_uses_keeps_its_outcome_and_says_given() -> None:
    whole = Claim("Z3", "test", "q", "m", Outcome.HOLDS, (f"{__name__}:fake_given_x1",), uses=("F2", "X1"))
    r = run_claim(whole, Level.QUICK)
    assert r.verdict.outcome is Outcome.HOLDS and r.matches
    assert r.verdict.label == "HOLDS given X1"
    hashed = Claim("Z4", "test", "q", "m", Outcome.HOLDS, (f"{__name__}:fake_given_hash",), uses=("H-SHA256",))
    assert run_claim(hashed, Level.QUICK).verdict.label == "HOLDS given H-SHA256"
    assert run_claim(replace(hashed, uses=()), Level.QUICK).verdict.outcome is Outcome.UNKNOWN


def test_a_sketch_step_that_changed_is_a_mismatch_even_when_the_outcome_matches() -> None:
    r = run_claim(Claim("Z5", "test", "q", "m", Outcome.PROVED, (f"{__name__}:fake_with_a_changed_step",)), Level.QUICK)
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
