"""The gauntlet: perturbed claims, each a nearby false statement the same checker must REFUTE.

For a claim that comes back PROVED or HOLDS, a checker is only trustworthy if it can also say
no. Each entry perturbs a claim (a tightened constant, a dropped hypothesis, an off-by-one in a
scope, a corrupted target, a model wrong on one prefix) and runs the claim's own checker
machinery on the false statement (the checkers' own functions, called with the perturbed input;
nothing is copied). `run_gauntlet()` runs them all; an entry passes only when its verdict is
REFUTED, and where the entry carries an independent exact re-check of the counterexample (plain
Fraction arithmetic, not the checker's code), that re-check must agree too; otherwise the
returned verdict is turned into UNKNOWN with the reason. (R2's audit is statistical: its
refutation holds with confidence 1 − α, the level its HOLDS is stated at.)
"""

from __future__ import annotations

import itertools
import math
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from fractions import Fraction
from typing import Any, TypeVar

from checkers import appendix as overlap_checks
from checkers import (
    audit,
    escapes,
    factoring,
    foundation,
    randomized_tasks,
    smt,
    worlds,
)
from checkers.smt import ProofAttempt
from checkers.smt.proof import (
    Checked,
    Obligation,
    ProofReport,
    check_obligations,
    check_proof,
)
from checkers.verdict import Level, Outcome, Verdict
from spec import (
    STOP,
    Alphabet,
    Autoregressive,
    Coins,
    Dist,
    chain_rule,
    enumerate_runs,
    induced,
    overlap,
    tvd,
    with_hidden_tokens,
)
from spec import appendix as appendix_math
from spec.signatures import RandomizedAutoregressive
from spec.tasks.mystery import mystery
from spec.tasks.polynomial import coefficient_text, expand, polynomial
from spec.tasks.primes import n_digit_primes
from spec.tasks.random_prime import random_prime
from spec.tasks.semiprime import semiprime_triple, tuple_text
from spec.tasks.sudoku import FULL as SUDOKU_FULL
from spec.tasks.sudoku import puzzle_text, solution_grids
from spec.tasks.sudoku import solutions as sudoku_solutions
from spec.tasks.twenty_questions import (
    ANIMALS,
    SecretGame,
    animal_questions,
    hash_bit_question,
    hash_universe,
    twenty_questions,
)
from spec.tasks.uniform_number import uniform_number

__all__ = [
    "OVERLAP_IS_ONE_MINUS_TVD",
    "PERTURBATIONS",
    "PairStatement",
    "Perturbation",
    "Trial",
    "pairs_verdict",
    "run_gauntlet",
    "run_one",
]

A = TypeVar("A")
Recheck = Callable[[Verdict], str | None]  # why the counterexample fails an exact re-check, or None


@dataclass(frozen=True)
class Perturbation:
    """A false statement near a claim, the checker run on it, and an optional independent re-check."""

    claim: str
    description: str
    check: Callable[[], Verdict]
    recheck: Recheck | None = None
    expected: Outcome = Outcome.REFUTED  # UNKNOWN where the error is in a proof, not a claim (a broken link)


@dataclass(frozen=True)
class Trial:
    """A perturbation's run: it is caught when its verdict is the expected one (never PROVED or HOLDS)."""

    claim: str
    description: str
    verdict: Verdict
    expected: Outcome = Outcome.REFUTED

    @property
    def caught(self) -> bool:
        """The perturbed claim came back as it must (REFUTED, or UNKNOWN for a broken proof)."""
        return self.verdict.outcome is self.expected

    def __iter__(self) -> Iterator[Any]:
        """(claim, description, verdict), as the report's rows."""
        return iter((self.claim, self.description, self.verdict))


# ---- S1: off-by-one scope, dropped hypothesis -------------------------------------------------


def _induced_short(
    phi: Autoregressive, prompt: str, *, max_len: int, alphabet: Alphabet | None = None
) -> Dist[str]:
    """The false S1 scope: a φ that stops by L is fully captured by expanding only Σ^{≤L−1}."""
    return induced(phi, prompt, max_len=max(max_len - 1, 0), alphabet=alphabet)


def _induced_renormalised(
    phi: Autoregressive, prompt: str, *, max_len: int, alphabet: Alphabet | None = None
) -> Dist[str]:
    """The false S1 without 'φ stops': the stopped part of a truncated run, renormalised, is the law."""
    mass, _ = foundation.naive_induced(phi, prompt, max_len)
    if not mass:
        return Dist.point("")
    return Dist.from_weights(mass)


# ---- S2: dropped averaging, dropped multiplicity ----------------------------------------------


class _LastCoins:
    """Coins that always take the last option: one fixed run instead of the average."""

    def randbelow(self, k: int) -> int:
        return k - 1

    def until(self, attempt: Callable[[Coins], A], accept: Callable[[A], bool]) -> A:
        return attempt(self)


def _derandomize_last_run(phi_r: RandomizedAutoregressive, max_flips: int) -> Autoregressive:
    """The false S2: γ(x) is φ_r's law on one fixed coin sequence (no averaging)."""
    return lambda prompt, prefix: phi_r(prompt, prefix, _LastCoins())


def _derandomize_distinct_laws(phi_r: RandomizedAutoregressive, max_flips: int) -> Autoregressive:
    """The false S2: γ(x) averages the *distinct* laws φ_r may return, forgetting their multiplicity."""

    def gamma(prompt: str, prefix: str) -> Dist[str]:
        runs = enumerate_runs(lambda coins: phi_r(prompt, prefix, coins), max_flips)
        return Dist.uniform(sorted(runs.mass, key=repr)).bind(lambda law: law)

    return gamma


# ---- S3: a corrupted target, a chain rule that drops STOP mass inside --------------------------


def _chain_rule_of_corrupted(d: Dist[str]) -> Autoregressive:
    """The false S3: the chain rule of D with its first text's weight doubled still induces D."""
    first = min(d.support)
    return chain_rule(Dist.from_weights({x: p * (2 if x == first else 1) for x, p in d.items()}))


def _chain_rule_stop_only_at_leaves(d: Dist[str]) -> Autoregressive:
    """The false S3: STOP needs mass only where no text continues (internal STOP mass dropped)."""
    phi = chain_rule(d)

    def model(prompt: str, prefix: str) -> Dist[str]:
        law = phi(prompt, prefix)
        if STOP in law and len(law) > 1:
            return law.condition(lambda t: t != STOP)
        return law

    return model


# ---- A2 (spec level): the identities between tvd and overlap, exhaustively on small supports ----

PairStatement = Callable[[Dist[str], Dist[str]], bool]


def _pair_grid(points: str, weights: Sequence[int]) -> Iterator[Dist[str]]:
    """Every law on `points` with weights from the grid (positive total), each once."""
    seen: set[Dist[str]] = set()
    for ws in itertools.product(weights, repeat=len(points)):
        if sum(ws):
            d = Dist.from_weights(dict(zip(points, ws)))
            if d not in seen:
                seen.add(d)
                yield d


PAIR_SCOPE = ("abc", (0, 1, 2))


def _law_text(d: Dist[str]) -> dict[str, str]:
    return {x: str(p) for x, p in sorted(d.items())}


def pairs_verdict(statement: PairStatement, name: str, scope: tuple[str, tuple[int, ...]] = PAIR_SCOPE) -> Verdict:
    """HOLDS when statement(d1, d2) for every pair of laws of the grid; else REFUTED with the pair."""
    start = time.perf_counter()
    points, weights = scope
    grid = list(_pair_grid(points, weights))
    for d1, d2 in itertools.product(grid, repeat=2):
        if not statement(d1, d2):
            return Verdict(
                Outcome.REFUTED,
                scope=f"pairs of laws on {points!r} with weights in {set(weights)}",
                method=f"exhaustive: {name}",
                counterexample=f"d1 = {_law_text(d1)}, d2 = {_law_text(d2)}",
                seconds=time.perf_counter() - start,
                data={"pair": [_law_text(d1), _law_text(d2)]},
            )
    return Verdict(
        Outcome.HOLDS,
        scope=f"all {len(grid) ** 2} pairs of laws on {points!r} with weights in {set(weights)}",
        method=f"exhaustive: {name}",
        evidence=(f"{len(grid)} laws, {len(grid) ** 2} ordered pairs",),
        seconds=time.perf_counter() - start,
    )


def _plain_tvd(p: Mapping[str, Fraction], q: Mapping[str, Fraction]) -> Fraction:
    """½ Σ |p − q|, recomputed from the counterexample's numbers without spec's code."""
    return sum((abs(p.get(x, Fraction(0)) - q.get(x, Fraction(0))) for x in set(p) | set(q)), Fraction(0)) / 2


def _plain_overlap(p: Mapping[str, Fraction], q: Mapping[str, Fraction]) -> Fraction:
    return sum((min(p.get(x, Fraction(0)), q.get(x, Fraction(0))) for x in set(p) | set(q)), Fraction(0))


def _pair_of(v: Verdict) -> tuple[dict[str, Fraction], dict[str, Fraction]]:
    pair = v.data["pair"]
    assert isinstance(pair, list) and len(pair) == 2
    return {x: Fraction(s) for x, s in pair[0].items()}, {x: Fraction(s) for x, s in pair[1].items()}


def _recheck_pair(violated: Callable[[dict[str, Fraction], dict[str, Fraction]], bool]) -> Recheck:
    """A re-check that the counterexample pair violates the statement, in plain Fractions."""

    def recheck(v: Verdict) -> str | None:
        p, q = _pair_of(v)
        if sum(p.values()) != 1 or sum(q.values()) != 1:
            return "the counterexample's laws do not sum to 1"
        return None if violated(p, q) else "the pair satisfies the perturbed statement after all"

    return recheck


OVERLAP_IS_ONE_MINUS_TVD: PairStatement = lambda p, q: overlap(p, q) == 1 - tvd(p, q)
"""The true identity of A2 at spec level (tested to HOLD); the perturbations below must not."""


# ---- R1, R3, R4, R5: the randomized tasks ---------------------------------------------------------


def _verdict_of(problem: str | None, scope: str, method: str, data: Mapping[str, object] | None = None) -> Verdict:
    """REFUTED with the problem as counterexample, or HOLDS over the scope (for the machinery's 'no problem')."""
    if problem is not None:
        return Verdict(Outcome.REFUTED, scope, method, (problem,), counterexample=problem, data=data or {})
    return Verdict(Outcome.HOLDS, scope, method)


def _wrong_on_one_prefix(phi: Autoregressive, prefix: str, law: Dist[str]) -> Autoregressive:
    """φ, except that at `prefix` it answers `law`."""
    return lambda prompt, x: law if x == prefix else phi(prompt, x)


def _r1_wrong_after_1() -> Verdict:
    task = uniform_number(3)
    phi = _wrong_on_one_prefix(task.phi, "1", Dist.uniform("012345678"))
    return _verdict_of(randomized_tasks.uniform_number_mismatch(phi, 3), "all 3-digit numbers",
                       "exact induced law vs Unif (R1's uniform_number_mismatch)")


def _r1_leading_zero() -> Verdict:
    task = uniform_number(3)
    phi = _wrong_on_one_prefix(lambda prompt, x: task.phi(prompt, "1" + x[1:] if x.startswith("0") else x),
                               "", Dist.uniform("0123456789"))
    return _verdict_of(randomized_tasks.uniform_number_mismatch(phi, 3), "all 3-digit numbers",
                       "exact induced law vs Unif (R1's uniform_number_mismatch)")


def _uniform_digits(n: int) -> RandomizedAutoregressive:
    """A φ_r with no rejection: each digit uniform (1-9 first), STOP after n digits."""
    first, rest = Dist.uniform("123456789"), Dist.uniform("0123456789")

    def phi_r(prompt: str, prefix: str, coins: Coins) -> Dist[str]:
        return Dist.point(STOP) if len(prefix) >= n else first if not prefix else rest

    return phi_r


def _r3_certificate_verdict(phi_r: RandomizedAutoregressive, n: int) -> Verdict:
    cert = randomized_tasks.certify_prime_generator(phi_r, n, 8)
    bad = cert.violations() + list(cert.step_errors)
    return _verdict_of(bad[0] if bad else None, f"n = {n}, every reachable prefix, 8 flips per digit",
                       "R3's certify_prime_generator: certified lower bounds and step laws vs Unif(primes)")


def _r3_wrong_after_1() -> Verdict:
    task = random_prime(2)

    def phi_r(prompt: str, prefix: str, coins: Coins) -> Dist[str]:
        return task.phi_r(prompt, "2" if prefix == "1" else prefix, coins)

    return _r3_certificate_verdict(phi_r, 2)


def _r4_at_most_two_tries() -> Verdict:
    for n in range(1, 7):
        per_digit = randomized_tasks.expected_tries(n)
        worst = max(per_digit)
        if worst > 2:
            problem = f"n={n}: a digit needs {worst} expected completions (> 2)"
            return _verdict_of(problem, "n = 1..6, every digit", "R4's exact expected_tries", {"n": n, "worst": str(worst)})
    return _verdict_of(None, "n = 1..6, every digit", "R4's exact expected_tries")


def _recheck_r4(v: Verdict) -> str | None:
    """The first digit's expected tries is 1/density = 9·10^(n−1)/#primes: recount primes by trial division."""
    n = int(str(v.data["n"]))
    count = sum(1 for x in range(10 ** (n - 1), 10**n) if x > 1 and all(x % d for d in range(2, int(x**0.5) + 1)))
    return None if Fraction(9 * 10 ** (n - 1), count) > 2 else "recounted: the first digit needs at most 2 tries"


def _r5_tvd_at_most(m_of: Callable[[int], int], bound_of: Callable[[int], Fraction], what: str) -> Verdict:
    for n in (2, 3):
        t = randomized_tasks.det_prime_tvd(n, m_of(n))
        if t > bound_of(n):
            return _verdict_of(f"n={n}, m={m_of(n)}: exact TVD {t} > {bound_of(n)}", "n = 2, 3", f"R5's det_prime_tvd: {what}")
    return _verdict_of(None, "n = 2, 3", f"R5's det_prime_tvd: {what}")


# ---- F1-F4: the semiprime tasks ---------------------------------------------------------------------


def _f1_uniform_first_digit() -> Verdict:
    task = semiprime_triple(2, "p,q,pq")
    phi = _wrong_on_one_prefix(task.phi, "[", Dist.uniform("123456789"))
    return _verdict_of(factoring.f1_mismatch(phi, 2), "n = 2, all of S_2", "F1's f1_mismatch (exact induced law)")


def _corrupted_pq_first(n: int) -> tuple[Dist[str], int]:
    """Unif(S_n) in the order [pq,p,q] with its first tuple [p0·q0,p0,q0] replaced by [p0·q0,p0,q1]."""
    primes = n_digit_primes(n)
    p0, q0, q1 = primes[0], primes[1], primes[2]
    texts = [tuple_text(p, q, "pq,p,q") for p in primes for q in primes]
    texts[texts.index(tuple_text(p0, q0, "pq,p,q"))] = f"[{p0 * q0},{p0},{q1}]"
    return Dist.uniform(texts), p0 * q0


def _f2_corrupted_target() -> Verdict:
    target, s = _corrupted_pq_first(1)
    problems = factoring.reduction_failures(chain_rule(target), 1, [s], sampled=False)
    return _verdict_of(problems[0] if problems else None, f"s = {s} of S_1",
                       "F2's reduction_failures on the chain rule of a corrupted target")


def _attempt_verdict(attempt: ProofAttempt, scope: str, method: str) -> Verdict:
    """A ProofAttempt as a Verdict, with its model (exact Fractions as str) kept for re-checks."""
    cex = attempt.counterexample
    return Verdict(attempt.outcome, scope, method, attempt.evidence(),
                   counterexample=smt.format_model(cex) if cex is not None else None,
                   data={"model": {k: str(x) for k, x in cex.items()}} if cex is not None else {})


def _model_of(v: Verdict) -> dict[str, Fraction]:
    model = v.data["model"]
    assert isinstance(model, dict)
    return {str(k): Fraction(str(x)) for k, x in model.items()}


def _f2_smt_corrupted() -> Verdict:
    attempt, confirmation = factoring.refute_claim1_corrupted(1)
    v = _attempt_verdict(attempt, "S_1 with one corrupted tuple", "F2's SMT encoding (z3 + cvc5)")
    return replace(v, evidence=(*v.evidence, confirmation)) if confirmation else v


def _f3_fewer_divisions() -> Verdict:
    rows = factoring.cost_rows(3, 5, 3, 0)
    for r in rows:
        n = int(str(r["n"]))
        if n > 1 and int(str(r["trial_divisions_min"])) > 10 ** (n - 1) // 4:
            return _verdict_of(f"n={n}: trial division needs {r['trial_divisions_min']} divisions > 10^(n-1)/4",
                               "n = 1..3, 5 seeded s per n", "F3's cost_rows (exact division counts)",
                               {"n": n, "min": str(r["trial_divisions_min"])})
    return _verdict_of(None, "n = 1..3", "F3's cost_rows")


def _f4(digits_of: Callable[[int], int], what: str) -> Verdict:
    for n in (1, 2, 3):
        ps = n_digit_primes(n)
        bad = factoring.footnote3_counterexample(n, digits_of, ((p, q) for p in ps for q in ps))
        if bad:
            return _verdict_of(bad, "S_n, n = 1..3, all pairs", f"F4's footnote3_counterexample: {what}")
    return _verdict_of(None, "S_n, n = 1..3", f"F4's footnote3_counterexample: {what}")


# ---- A1-A6: the appendix --------------------------------------------------------------------------------


def _a1_one_wrong_tuple() -> Verdict:
    law = overlap_checks.factoring_model(1)
    s = 2 * 3
    wrong = Dist.from_weights({**{t: 1 for t in law.support}, f"[{s},1,{s}]": 1})
    tried, failures = overlap_checks.reduction_success(wrong, 1)
    problem = f"s={failures[0][0]} factored with probability {failures[0][1]}" if failures else None
    return _verdict_of(problem, f"{tried} semiprimes of S_1", "A1's reduction_success on a φ with one wrong tuple")


def _a1_smt_one_wrong() -> Verdict:
    return _attempt_verdict(overlap_checks.refute_a1_one_wrong_tuple(1), "S_1", "A1's SMT encoding, support premise dropped")


def _a2_without_cap() -> Verdict:
    """Overlap = Σ a_i p_i (the cap 1/N dropped), checked on the exact (a, p) model of A2."""
    for a, p in [((Fraction(1, 2), Fraction(1, 2)), (Fraction(1), Fraction(1))),
                 ((Fraction(1),), (Fraction(1, 2),)), ((Fraction(1), Fraction(0)), (Fraction(1), Fraction(1)))]:
        got, target = overlap_checks.overlap_model(a, p)
        o = overlap(got, target)
        uncapped = sum((x * y for x, y in zip(a, p)), Fraction(0))
        if o != uncapped:
            return _verdict_of(f"a={[str(x) for x in a]}, p={[str(x) for x in p]}: overlap {o} ≠ Σ a_i p_i = {uncapped}",
                               "three (a, p) instances", "A2's overlap_model (exact chain-rule φ) and spec.overlap",
                               {"a": [str(x) for x in a], "p": [str(x) for x in p], "overlap": str(o)})
    return _verdict_of(None, "three (a, p) instances", "A2's overlap_model")


def _recheck_a2(v: Verdict) -> str | None:
    """Σ_i min(a_i p_i, 1/N) recomputed by hand must differ from Σ a_i p_i."""
    a = [Fraction(str(x)) for x in v.data["a"]]  # type: ignore[attr-defined]
    p = [Fraction(str(x)) for x in v.data["p"]]  # type: ignore[attr-defined]
    capped = sum((min(x * y, Fraction(1, len(a))) for x, y in zip(a, p)), Fraction(0))
    uncapped = sum((x * y for x, y in zip(a, p)), Fraction(0))
    return None if capped == Fraction(str(v.data["overlap"])) != uncapped else "the instance satisfies Σ a p after all"


def _sourest_first(p: Sequence[Fraction]) -> tuple[Fraction, ...]:
    """The mixture that pours the sourest drink first, each until its sugar reaches 1/N."""
    n = len(p)
    a = [Fraction(0)] * n
    volume = Fraction(1)
    for i in sorted(range(n), key=lambda i: (p[i], i)):
        need = volume if p[i] == 0 else min(volume, 1 / (n * p[i]))
        a[i], volume = need, volume - need
    return tuple(a)


def _a3_sourest_first() -> Verdict:
    for n in (1, 2, 3):
        for p in itertools.product([Fraction(k, 2) for k in range(3)], repeat=n):
            ok, optimum, _ = appendix_math.lp_optimum_certified(p)
            value = appendix_math.overlap_of(_sourest_first(p), p)
            if ok and value < optimum:
                return _verdict_of(f"p={[str(x) for x in p]}: sourest first gives {value} < optimum {optimum}",
                                   "p in {0, 1/2, 1}^N, N ≤ 3", "A3's lp_optimum_certified and overlap_of",
                                   {"p": [str(x) for x in p], "value": str(value), "optimum": str(optimum)})
    return _verdict_of(None, "p in {0, 1/2, 1}^N, N ≤ 3", "A3's lp_optimum_certified")


def _recheck_a3(v: Verdict) -> str | None:
    p = [Fraction(str(x)) for x in v.data["p"]]  # type: ignore[attr-defined]
    a = _sourest_first(p)
    mine = sum((min(x * y, Fraction(1, len(p))) for x, y in zip(a, p)), Fraction(0))
    optimum = Fraction(str(v.data["optimum"]))
    # the optimum is attained (the greedy mixture), so a strictly smaller value refutes optimality
    return None if mine == Fraction(str(v.data["value"])) and mine < optimum else "the values do not re-check"


def _a4_tightened(L: Any, v: Mapping[str, Any]) -> tuple[list[Any], Any]:
    """k = 2: p1, p2 > 0 with 1/p1 + 1/p2 = N (multiplied out)  ⊢  k²/N + 1/100 ≤ p1 + p2 (multiplied by N)."""
    p1, p2, N = v["p1"], v["p2"], v["N"]
    return [p1 > 0, p2 > 0, N > 0, N * p1 * p2 == p1 + p2], 4 + N * L.num(Fraction(1, 100)) <= N * (p1 + p2)


A4_TIGHTENED = overlap_checks.Encoding("AM-HM tightened, k = 2", ("p1", "p2", "N"), _a4_tightened)


def _obligation_verdict(enc: overlap_checks.Encoding) -> Verdict:
    return _attempt_verdict(overlap_checks.prove_obligation(enc, timeout_s=30), enc.statement,
                            "the appendix's obligation machinery (z3 + cvc5, exact re-check)")


def _recheck_obligation(enc: overlap_checks.Encoding) -> Recheck:
    """The model satisfies every hypothesis and violates the goal, evaluated in Fractions."""
    return lambda v: None if enc.exact(_model_of(v)) else "the model does not violate the obligation"


def _checked_verdict(checked: Checked, scope: str, method: str) -> Verdict:
    """One obligation after the solvers and the vacuity check, as a verdict (REFUTED with its exact model)."""
    attempt = checked.attempt
    if checked.outcome is Outcome.REFUTED and attempt is not None and attempt.counterexample is not None:
        return _attempt_verdict(attempt, scope, method)
    return Verdict(Outcome.UNKNOWN if checked.outcome is not Outcome.PROVED else Outcome.PROVED, scope, method,
                   (checked.line(),))


def _proof_verdict(report: ProofReport, scope: str, method: str) -> Verdict:
    """A kernel-checked proof as a verdict: PROVED, or UNKNOWN with the kernel's findings (never REFUTED)."""
    return Verdict(report.outcome, scope, method, report.evidence(each=False))


def _a5_lemma_without_cap() -> Verdict:
    return _checked_verdict(check_obligations([overlap_checks.lemma_without_cap()])[0], "all reals",
                            "A5's per-item lemma with the cap 1/N dropped (z3 + cvc5, exact re-check)")


def _a5_fed_4_lambda_t() -> Verdict:
    return _proof_verdict(check_proof(overlap_checks.overlap_bound_proof(fed_factor=4, goal_factor=4)), "all N",
                          "A5's proof with the final step fed 4λT and the goal 4·overlap² ≤ mean p")


def _a5_hand_edited_statement() -> Verdict:
    good = overlap_checks.overlap_bound_proof()
    lemma = replace(good.obligations[0], printed=good.obligations[0].statement.replace("2*lam", "lam"))
    edited = replace(good, obligations=(lemma, *good.obligations[1:]))
    return _proof_verdict(check_proof(edited), "all N", "A5's proof with its lemma's printed statement edited by hand")


def _a5_sketch_step_changed() -> Verdict:
    step = overlap_checks.k_over_n_step(eps_factor=Fraction(1, 2))
    checked = check_obligations([step])[0]
    return _checked_verdict(checked, "all reals", "A5's sketch step changed to (k/N)² < ε/2 (z3 + cvc5)")


def _s4_vacuous_step() -> Verdict:
    hyps, goal = foundation.step_obligation(3, vacuous=True)
    checked = check_obligations([Obligation("S4 step with fS > 1", tuple(hyps), goal)])[0]
    return _checked_verdict(checked, "k = 3", "S4's step with fS > 1 added and the false goal M = 2·m")


def _s4_without_child(**kwargs: bool) -> Callable[[], Verdict]:
    def run() -> Verdict:
        if kwargs.get("fixed"):
            report = check_proof(foundation.conditioning_proof(2, 2, without_child_mass=True))
            return _proof_verdict(report, "k = 2, L = 2", "S4's pair obligations without M(c) = m(c)")
        general = foundation.prove_all_lengths(without_child=True)
        return Verdict(general.outcome, "every k, every L", "S4's step without the child hypothesis Mi = mi",
                       general.evidence())
    return run


def _a5_tightened() -> Verdict:
    return _attempt_verdict(overlap_checks.tightened_direct(1, Fraction(99, 100)), "N = 1",
                            "A5's direct encoding with O² ≤ (99/100)·mean p")


def _recheck_a5(v: Verdict) -> str | None:
    m = _model_of(v)
    a, p = [m.get("a0", Fraction(0))], [m.get("p0", Fraction(0))]
    o = appendix_math.overlap_of(a, p)
    return None if o * o > Fraction(99, 100) * p[0] else "O² ≤ (99/100)·mean p on the model"


def _a6_without_root() -> Verdict:
    """TVD ≥ 1 − ε (the square root dropped) on the tight family, the exact TVD from A2's model."""
    for n in (2, 3, 4):
        for k in range(1, n):
            p = appendix_math.tight_profile(k, n)
            a = appendix_math.greedy(p).mixture
            got, target = overlap_checks.overlap_model(a, p)
            eps = appendix_math.mean(p) + Fraction(1, 1000)
            t = tvd(got, target)
            if t < 1 - eps:
                return _verdict_of(f"N={n}, k={k}: mean p < ε = {eps} but TVD = {t} < 1 − ε",
                                   "tight family, N ≤ 4", "A2/A6's exact (a, p) model and spec.tvd",
                                   {"p": [str(x) for x in p], "a": [str(x) for x in a], "eps": str(eps), "tvd": str(t)})
    return _verdict_of(None, "tight family, N ≤ 4", "A6")


def _recheck_a6(v: Verdict) -> str | None:
    p = [Fraction(str(x)) for x in v.data["p"]]  # type: ignore[attr-defined]
    a = [Fraction(str(x)) for x in v.data["a"]]  # type: ignore[attr-defined]
    eps = Fraction(str(v.data["eps"]))
    overlap_by_hand = sum((min(x * y, Fraction(1, len(p))) for x, y in zip(a, p)), Fraction(0))
    ok = sum(p) / len(p) < eps and 1 - overlap_by_hand < 1 - eps
    return None if ok else "the tight instance does not violate TVD ≥ 1 − ε"


# ---- S4: conditioning, a premise dropped -------------------------------------------------------------


def _s4_without_premise() -> Verdict:
    r = foundation.refute_conditioning_without_premise(1, 2, "0")
    cex = f"after prefix {r.prefix!r}, text {r.text!r}" if r.outcome is Outcome.REFUTED else None
    return Verdict(r.outcome, "k = 1, L = 2", "S4's naive encoding without the premise at '0' (z3 + cvc5; spec.induced)",
                   r.evidence, counterexample=cex)


def _s4_step_without(which: str) -> Callable[[], Verdict]:
    def run() -> Verdict:
        hyps, goal = foundation.step_obligation(1, without=which)
        return _attempt_verdict(smt.prove(hyps, goal, check_counterexample=smt.refutes(hyps, goal), nonlinear=True),
                                "k = 1", f"S4's induction step (one node) without its {which} hypothesis")
    return run


# ---- G1-G4: where this comes up ------------------------------------------------------------------------


def _g1_unconditioned() -> Verdict:
    game = twenty_questions(ANIMALS, animal_questions()[:2])
    return worlds.answerer_verdict(game, game.unconditioned_phi)


def _g2_careless_puzzles() -> Verdict:
    """Erase rows 1-2 of a uniform grid whatever happens: every such puzzle must have one solution."""
    law = enumerate_runs(lambda c: puzzle_text(solution_grids()[c.randbelow(288)], SUDOKU_FULL & ~0xFF), 1).dist()
    for puzzle in sorted(law.support):
        count = len(sudoku_solutions(puzzle))
        if count != 1:
            return _verdict_of(f"puzzle {puzzle!r} (probability {law[puzzle]}) has {count} solutions",
                               "the 288 puzzles of the careless generator", "G2's exact solver (spec.tasks.sudoku)")
    return _verdict_of(None, "the 288 puzzles of the careless generator", "G2's solver")


def _g3_sign_slip() -> Verdict:
    task = polynomial(2, 2)

    def sign_slip(prompt: str, coins: Coins) -> str:
        a, b = coins.randbelow(5) - 2, coins.randbelow(5) - 2
        c1, c0 = expand((a, b))
        return coefficient_text((c1, abs(c0)))

    bad = worlds.compare_world(task.target(), task.phi, sign_slip, task.prompt, task.max_len, 2)
    return _verdict_of(str(bad) if bad is not None else None, "n = 2 roots in -2..2",
                       "G3's compare_world (exact induced and output laws vs the target)")


def _g4_unconditioned() -> Verdict:
    game = mystery(6, 2, symbols=2)
    return worlds.answerer_verdict(game, game.unconditioned_phi)


# ---- E1-E3: the escapes ---------------------------------------------------------------------------------


def _small_game() -> SecretGame:
    return SecretGame(ANIMALS[:6], animal_questions()[:2])


def _e1_hidden_alphabet_short_by_one() -> Verdict:
    """Hidden symbols drawn from k − 1 of the k options (off by one): the public law must differ."""
    game = _small_game()
    phi_h = with_hidden_tokens(game.algo)

    def short(prompt: str, public: str, hidden: str) -> Dist[tuple[str, str]]:
        law = phi_h(prompt, public, hidden)
        moves = sorted(law.support)
        if len(moves) > 1 and all(stream == "hidden" for stream, _ in moves):
            return Dist.uniform(moves[:-1])
        return law  # type: ignore[return-value]

    runs = escapes.hidden_runs(short, game.prompt, max_public=game.max_len, max_hidden=8)  # type: ignore[arg-type]
    target = game.target()
    diff = sorted(x for x in set(runs.mass) | target.support if runs.mass.get(x, Fraction(0)) != target[x])
    problem = (f"P({diff[0]!r}) = {runs.mass.get(diff[0], Fraction(0))}, target {target[diff[0]]}"
               if diff and not runs.residual else None)
    return _verdict_of(problem, "6 animals, 2 questions", "E1's hidden_runs (exact public marginal)")


def _e2_forgetful() -> Verdict:
    game = SecretGame(hash_universe(2), (hash_bit_question(0), hash_bit_question(1)))
    row = escapes.e2_row("forgetful", game, persist=False)
    return _verdict_of(None if row.ok else row.note, "4 hash objects, 2 hash-bit questions",
                       "E2's e2_row with activations redrawn every step")


def _e3_short_seed() -> Verdict:
    game = _small_game()
    law, _, _, _ = escapes.seeded_law(game.algo, game.prompt, 5, max_len=game.max_len)
    if law is None:
        return _verdict_of("no seed finished", "6 animals, seed space 5", "E3's seeded_law")
    d = tvd(law, game.target())
    return _verdict_of(f"seed space 5 for 6 objects: TVD {d} > 0" if d else None, "6 animals, seed space 5",
                       "E3's seeded_law (every seed decoded deterministically)")


# ---- R2: "really bad" turned into "close to uniform" -----------------------------------------------

R2_CLOSE = Fraction(2, 5)
"""The false R2: GPT-4's sampler of footnote 2 is within this TVD of Unif(6-digit numbers)."""


def _r2_close_to_uniform() -> Verdict:
    """R2's exact audit on the footnote's answers: its 1 − α lower bound on TVD exceeds R2_CLOSE."""
    r = audit.audit(audit.FOOTNOTE2, audit.uniform_number_target(6))
    b = r.best
    mult = audit.battery(audit.uniform_number_target(6)).multiplier(b.test.family)
    data = {"event": b.words, "count": b.count, "n": b.n, "target_prob": str(b.test.target_prob),
            "multiplier": mult, "alpha": str(r.alpha)}
    problem = (f"'{b.words}' holds for {b.count}/{b.n} answers; TVD(GPT-4, uniform) ≥ {r.tvd_lower_bound} > "
               f"{R2_CLOSE} with confidence 1 − {r.alpha}") if r.rejects and r.tvd_lower_bound > R2_CLOSE else None
    return _verdict_of(problem, f"the {r.n} answers of footnote 2; alpha = {r.alpha}",
                       f"R2's exact audit: TVD(GPT-4, uniform) ≤ {R2_CLOSE}", data)


def _recheck_r2(v: Verdict) -> str | None:
    """Recount the six-distinct-digits event and bound its tail under any sampler within TVD R2_CLOSE."""
    if v.data.get("event") != "the answer has 6 distinct digits":
        return f"the re-check knows the six-distinct-digits event only, not {v.data.get('event')!r}"
    n, k = len(audit.FOOTNOTE2), sum(len(set(x)) == 6 for x in audit.FOOTNOTE2)
    # P_target(6 distinct digits) = 9·9·8·7·6·5 / 900000; a sampler within TVD δ puts at most that + δ on it
    q = Fraction(9 * 9 * 8 * 7 * 6 * 5, 900000) + R2_CLOSE
    tail = sum(math.comb(n, j) * q**j * (1 - q) ** (n - j) for j in range(k, n + 1))
    alpha, mult = Fraction(str(v.data["alpha"])), int(str(v.data["multiplier"]))
    return None if tail * mult < alpha else f"recounted: {k}/{n} answers, P(≥ {k}) = {tail} is not below {alpha}/{mult}"


# ---- the argument graph: an assumption removed from a claim's uses ---------------------------------


def _assumption_removed_from_uses() -> Verdict:
    """The false statement: F3's verdict still passes when X1 is removed from F3's `uses`.

    The registry's runner is run on F3 with X1 dropped from its uses; a verdict that rests on X1 must then
    come back UNKNOWN, naming X1. That UNKNOWN is the counterexample to the perturbed statement.
    """
    from checkers.claims import by_id, run_claim

    (claim,) = by_id(["F3"])
    cut = replace(claim, uses=tuple(u for u in claim.uses if u != "X1"))
    v = run_claim(cut, L).verdict
    data = {"claim": cut.id, "uses": list(cut.uses), "outcome": v.outcome.value, "rests_on": list(v.rests_on_ids),
            "first_evidence": v.evidence[0] if v.evidence else ""}
    problem = (f"{cut.id} with uses {list(cut.uses)} (X1 removed): the runner's verdict is {v.outcome.value}: "
               f"{v.evidence[0]}") if v.outcome is Outcome.UNKNOWN and v.evidence else None
    return _verdict_of(problem, f"{cut.id} at the quick level, X1 removed from its uses",
                       "the registry's run_claim on the cut claim", data)


def _recheck_assumption_removed(v: Verdict) -> str | None:
    """The cut claim's verdict rests on X1, X1 is not among its uses, and the runner did not let it pass."""
    uses, rests_on = v.data["uses"], v.data["rests_on"]
    assert isinstance(uses, list) and isinstance(rests_on, list)
    ok = "X1" in rests_on and "X1" not in uses and v.data["outcome"] == Outcome.UNKNOWN.value
    return None if ok and "X1" in str(v.data["first_evidence"]) else "the runner's verdict does not name the missing X1"


# ---- the registry ---------------------------------------------------------------------------------

L = Level.QUICK

PERTURBATIONS: tuple[Perturbation, ...] = (
    Perturbation("S1", "off-by-one scope: a φ that stops by L is captured by expanding Σ^{≤L−1}",
                 lambda: foundation.s1_verdict(L, induce=_induced_short)),
    Perturbation("S1", "dropped hypothesis 'φ stops by L': the renormalised stopped part of a truncation is the law",
                 lambda: foundation.s1_verdict(L, induce=_induced_renormalised)),
    Perturbation("S2", "no averaging: γ is φ_r's law on one fixed coin sequence",
                 lambda: foundation.s2_verdict(L, derand=_derandomize_last_run)),
    Perturbation("S2", "multiplicity dropped: γ averages the distinct laws φ_r can return",
                 lambda: foundation.s2_verdict(L, derand=_derandomize_distinct_laws)),
    Perturbation("S3", "corrupted target: the chain rule of D with one text's weight doubled induces D",
                 lambda: foundation.s3_verdict(L, construct=_chain_rule_of_corrupted)),
    Perturbation("S3", "STOP mass needed only at leaves: the chain rule without internal STOP induces D",
                 lambda: foundation.s3_verdict(L, construct=_chain_rule_stop_only_at_leaves)),
    Perturbation("A2", "tightened constant: overlap ≤ 1 − TVD − 1/100",
                 lambda: pairs_verdict(lambda p, q: overlap(p, q) <= 1 - tvd(p, q) - Fraction(1, 100),
                                       "overlap ≤ 1 − TVD − 1/100"),
                 _recheck_pair(lambda p, q: not _plain_overlap(p, q) <= 1 - _plain_tvd(p, q) - Fraction(1, 100))),
    Perturbation("A2", "factor ½ dropped: TVD = Σ|d1 − d2| and overlap = 1 − TVD",
                 lambda: pairs_verdict(lambda p, q: overlap(p, q) == 1 - 2 * tvd(p, q),
                                       "overlap = 1 − Σ|d1 − d2|"),
                 _recheck_pair(lambda p, q: _plain_overlap(p, q) != 1 - 2 * _plain_tvd(p, q))),
    Perturbation("A2", "tightened bound: TVD ≤ 1/2 for every pair of laws",
                 lambda: pairs_verdict(lambda p, q: tvd(p, q) <= Fraction(1, 2), "TVD ≤ 1/2"),
                 _recheck_pair(lambda p, q: _plain_tvd(p, q) > Fraction(1, 2))),
    Perturbation("A2", "cap dropped: overlap = Σ a_i p_i on the (a, p) model", _a2_without_cap, _recheck_a2),
    Perturbation("S4", "dropped premise: conditioning holds without induced(x) = D(x) at one text", _s4_without_premise),
    Perturbation("S4", "induction step without its premise hypothesis", _s4_step_without("premise")),
    Perturbation("S4", "induction step without its simplex hypothesis", _s4_step_without("simplex")),
    Perturbation("R1", "a model wrong on one prefix (after '1', the digit 9 is never drawn) is uniform", _r1_wrong_after_1),
    Perturbation("R1", "off-by-one digit range: a first digit uniform over 0-9 gives Unif(n-digit numbers)",
                 _r1_leading_zero),
    Perturbation("R3", "no rejection: uniform digits give Unif(n-digit primes)",
                 lambda: _r3_certificate_verdict(_uniform_digits(2), 2)),
    Perturbation("R3", "a φ_r wrong on one prefix (after '1' it samples as after '2') is uniform on primes",
                 _r3_wrong_after_1),
    Perturbation("R4", "tightened constant: every digit needs at most 2 expected completions", _r4_at_most_two_tries,
                 _recheck_r4),
    Perturbation("R5", "off-by-one in m: counting m = n − 1 digits exactly already gives TVD 0",
                 lambda: _r5_tvd_at_most(lambda n: n - 1, lambda n: Fraction(0), "m = n − 1, TVD = 0")),
    Perturbation("R5", "dropped exact tail: with m = 0 the TVD is already ≤ 1/2",
                 lambda: _r5_tvd_at_most(lambda n: 0, lambda n: Fraction(1, 2), "m = 0, TVD ≤ 1/2")),
    Perturbation("F1", "a model wrong on one prefix (first digit uniform, not ∝ prime counts) induces Unif(S_n)",
                 _f1_uniform_first_digit),
    Perturbation("F2", "corrupted target: the chain rule of Unif(S_1) with one wrong tuple still factors s",
                 _f2_corrupted_target),
    Perturbation("F2", "corrupted target, SMT encoding of Claim 1", _f2_smt_corrupted),
    Perturbation("F3", "tightened constant: trial division factors every s in S_n with ≤ 10^(n−1)/4 divisions",
                 _f3_fewer_divisions),
    Perturbation("F4", "floor instead of ceiling: n = ⌊½ log₁₀ s⌋", lambda: _f4(factoring.floor_half_log10, "⌊½ log₁₀ s⌋")),
    Perturbation("F4", "off-by-one: n = ⌈½ log₁₀ s⌉ + 1",
                 lambda: _f4(lambda s: factoring.ceil_half_log10(s) + 1, "⌈½ log₁₀ s⌉ + 1")),
    Perturbation("A1", "dropped hypothesis (correct-only support): a φ with one wrong tuple factors every s",
                 _a1_one_wrong_tuple),
    Perturbation("A1", "dropped support premise, SMT encoding", _a1_smt_one_wrong),
    Perturbation("A3", "pouring the sourest drink first is optimal", _a3_sourest_first, _recheck_a3),
    Perturbation("A4", "tightened constant: k²/N + 1/100 ≤ Σ p_i (k = 2)", lambda: _obligation_verdict(A4_TIGHTENED),
                 _recheck_obligation(A4_TIGHTENED)),
    Perturbation("A5", "tightened constant: O² ≤ (99/100)·mean p (direct encoding, N = 1)", _a5_tightened, _recheck_a5),
    Perturbation("A5", "per-item lemma without the cap 1/N", _a5_lemma_without_cap),
    Perturbation("A5", "broken link: the final step fed 4λT, goal 4·overlap² ≤ mean p", _a5_fed_4_lambda_t,
                 expected=Outcome.UNKNOWN),
    Perturbation("A5", "hand edit of a rendered statement (the lemma printed without its factor 2)",
                 _a5_hand_edited_statement, expected=Outcome.UNKNOWN),
    Perturbation("A5", "a sketch step changed to (k/N)² < ε/2", _a5_sketch_step_changed),
    Perturbation("S4", "vacuous premise: the step with fS > 1 'proves' M = 2·m", _s4_vacuous_step,
                 expected=Outcome.UNKNOWN),
    Perturbation("S4", "dropped child hypothesis Mi = mi in the step (every k)", _s4_without_child(),
                 expected=Outcome.UNKNOWN),
    Perturbation("S4", "dropped child hypothesis M(c) = m(c) in the pair obligations (k = 2, L = 2)",
                 _s4_without_child(fixed=True), expected=Outcome.UNKNOWN),
    Perturbation("A6", "square root dropped: TVD ≥ 1 − ε whenever mean p < ε", _a6_without_root, _recheck_a6),
    Perturbation("G1", "an answerer that ignores the transcript plays Twenty Questions", _g1_unconditioned),
    Perturbation("G2", "uniqueness check dropped: erasing rows 1-2 of a random grid gives a proper puzzle",
                 _g2_careless_puzzles),
    Perturbation("G3", "a sign slip in the constant term still gives the target law", _g3_sign_slip),
    Perturbation("G4", "a teller that ignores the clues tells the mystery", _g4_unconditioned),
    Perturbation("E1", "hidden symbols drawn from k − 1 of k options still simulate the algorithm",
                 _e1_hidden_alphabet_short_by_one),
    Perturbation("E2", "activations redrawn at every step (not kept) still simulate the algorithm", _e2_forgetful),
    Perturbation("E3", "a seed space of 5 suffices for a uniform choice among 6", _e3_short_seed),
    Perturbation("R2", f"GPT-4's sampler is close to uniform: TVD ≤ {R2_CLOSE} (the footnote's answers)",
                 _r2_close_to_uniform, _recheck_r2),
    Perturbation("F3", "assumption removed from uses: F3's verdict still passes with X1 dropped from its uses",
                 _assumption_removed_from_uses, _recheck_assumption_removed),
)


def run_one(p: Perturbation) -> Verdict:
    """The perturbation's verdict; a REFUTED whose counterexample fails the re-check becomes UNKNOWN.

    A crash is reported as ERROR (with the exception), never as a pass.
    """
    try:
        v = p.check()
    except Exception as e:  # a crash of one perturbation must not hide the others
        return Verdict(Outcome.ERROR, scope="none", method=p.description,
                       evidence=(f"{type(e).__name__}: {e}",))
    if v.outcome is Outcome.REFUTED and p.recheck is not None:
        problem = p.recheck(v)
        if problem is not None:
            return replace(v, outcome=Outcome.UNKNOWN, counterexample=None,
                           evidence=(*v.evidence, f"counterexample failed the exact re-check: {problem}"))
    return v


def run_gauntlet(perturbations: Sequence[Perturbation] = ()) -> list[Trial]:
    """Every perturbed claim with its verdict: each must come back as expected, none PROVED or HOLDS."""
    return [Trial(p.claim, p.description, run_one(p), p.expected) for p in perturbations or PERTURBATIONS]
