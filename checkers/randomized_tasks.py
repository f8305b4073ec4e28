"""Checks of the post's randomized tasks: R1 (uniform 6-digit number), R3/R4 (random prime), R5 (appendix).

Everything that reaches a verdict is exact: induced laws are `Dist`s, the randomized prime
generator's law comes from `enumerate_runs` (a certified lower bound plus residual), expected
trial counts are Fractions. numpy appears only to sieve up to 10^8 for R4's counts.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING

import numpy as np

from checkers.verdict import Level, Outcome, Relation, Statement, Twin, Verdict, refuted_by, verdict
from spec import Autoregressive, Coins, RandomizedAutoregressive, enumerate_runs, induced, tvd
from spec.dist import Dist
from spec.errors import InvalidArgument
from spec.tasks.det_prime import det_prime
from spec.tasks.primes import n_digit_primes
from spec.tasks.random_prime import prime_count, random_prime
from spec.tasks.uniform_number import uniform_number
from spec.text import STOP

if TYPE_CHECKING:
    from checkers.report.plots import Figure

__all__ = [
    "check_R1",
    "check_R3",
    "check_R4",
    "check_R5",
    "r5_figure",
    "uniform_number_problem",
    "PrimeCertificate",
    "certify_prime_generator",
    "expected_tries",
    "det_prime_tvd",
    "wrong_on_one_prefix",
    "TWINS_R1",
    "TWINS_R3",
    "TWINS_R4",
    "TWINS_R5",
]


# ---------------------------------------------------------------- R1 ---------------------------


def uniform_number_problem(phi: Autoregressive, digits: int = 6) -> str | None:
    """None when φ induces exactly Unif(digits-long numbers); otherwise a description of a difference."""
    task = uniform_number(digits)
    law = induced(phi, task.prompt, max_len=digits + 1, alphabet=task.alphabet)
    count = 9 * 10 ** (digits - 1)
    # all numerators are positive integers summing to the denominator: len == den iff uniform
    if len(law) != law.denominator:
        worst = max(law.support, key=lambda x: (law[x], x))
        return f"not uniform: P({worst!r}) = {law[worst]}, while 1/{count} is the target"
    if len(law) == count and max(map(len, law)) == digits and sum(map(len, law)) == digits * count \
            and min(law)[0] != "0":
        # `count` distinct texts over the digits (induced checked every token), all `digits` long
        # (none longer, total length digits * count), the least of them without a leading 0 (so
        # none has one): they are exactly the `count` numbers 10^(digits-1) .. 10^digits - 1
        return None
    want = {str(x) for x in range(10 ** (digits - 1), 10**digits)}
    extra = sorted(law.support - want)
    if extra:
        return f"{extra[0]!r} (not a {digits}-digit number) has probability {law[extra[0]]}"
    missing = sorted(want - law.support)
    if missing:
        return f"{missing[0]!r} has probability 0, not 1/{count}"
    return None


R1_DIGITS = 6
R1_WORDS = {6: "six"}


def check_R1(level: Level) -> Verdict:
    """The post's 6-digit AR model induces exactly the uniform law over 100000..999999."""
    task = uniform_number(R1_DIGITS)
    bad = uniform_number_problem(task.phi, R1_DIGITS)
    count = 9 * 10 ** (R1_DIGITS - 1)
    scope = f"all {count} {R1_WORDS[R1_DIGITS]}-digit numbers (every response of the model, exactly)"
    method = "exact induced law (tree expansion); uniform iff #support = common denominator; support = 100000..999999"

    def said(outcome: Outcome) -> tuple[Statement, ...]:
        return (Statement(f"the post's model (first digit uniform over 1-9, then {R1_DIGITS - 1} digits uniform over 0-9, "
                          f"then STOP) induces exactly the uniform law over the {count} numbers "
                          f"{10 ** (R1_DIGITS - 1)}..{10 ** R1_DIGITS - 1}", Relation.SAME, outcome),)

    if bad is not None:
        return verdict(Outcome.REFUTED, scope, method, (bad,), counterexample=bad,
                       statements=said(Outcome.REFUTED))
    return verdict(
        Outcome.HOLDS,
        scope,
        method,
        (f"induced law has {count} texts, each of probability exactly 1/{count}",
         f"support = {{{10 ** (R1_DIGITS - 1)}, ..., {10 ** R1_DIGITS - 1}}}"),
        statements=said(Outcome.HOLDS),
    )


def wrong_on_one_prefix(phi: Autoregressive, prefix: str, law: Dist[str]) -> Autoregressive:
    """φ, except that at `prefix` it answers `law` (a model wrong on one prefix, for perturbed twins)."""
    return lambda prompt, x: law if x == prefix else phi(prompt, x)


def _r1_wrong_after_1(level: Level) -> Verdict:
    task = uniform_number(3)
    phi = wrong_on_one_prefix(task.phi, "1", Dist.uniform("012345678"))
    return refuted_by(uniform_number_problem(phi, 3), "all 3-digit numbers",
                      "exact induced law vs Unif (R1's uniform_number_problem)")


def _r1_leading_zero(level: Level) -> Verdict:
    task = uniform_number(3)
    phi = wrong_on_one_prefix(lambda prompt, x: task.phi(prompt, "1" + x[1:] if x.startswith("0") else x),
                              "", Dist.uniform("0123456789"))
    return refuted_by(uniform_number_problem(phi, 3), "all 3-digit numbers",
                      "exact induced law vs Unif (R1's uniform_number_problem)")


TWINS_R1 = (
    Twin("a model wrong on one prefix (after '1', the digit 9 is never drawn) is uniform", _r1_wrong_after_1),
    Twin("off-by-one digit range: a first digit uniform over 0-9 gives Unif(n-digit numbers)", _r1_leading_zero),
)
"""R1's perturbed twins: R1's uniform_number_problem on models that are not uniform."""


# ---------------------------------------------------------------- R3 ---------------------------


@dataclass(frozen=True)
class PrimeCertificate:
    """What enumerate_runs certifies about a randomized prime generator at a flip budget per digit.

    lower[x] ≤ true P(x) for every text x, Σ lower + residual = 1; `normalised` is the product of
    the step laws divided by their accepted mass (each step's law given "accepted in budget"); `step_errors` lists prefixes
    whose within-budget next-digit law is not ∝ the prime counts c(xd) (empty for the post's φ_r).
    """

    n: int
    budget: int
    lower: dict[str, Fraction]
    residual: Fraction
    step_errors: tuple[str, ...]
    prefixes: int
    worst_step_residual: Fraction
    normalised: dict[str, Fraction]

    def problems(self) -> list[str]:
        """Certified violations of "the law is Unif(n-digit primes)", each naming the text."""
        primes = {str(p) for p in n_digit_primes(self.n)}
        share = Fraction(1, len(primes))
        out = [f"{x!r} is not an {self.n}-digit prime but has probability ≥ {m}" for x, m in self.lower.items() if x not in primes]
        out += [f"{x!r} has probability ≥ {m} > 1/{len(primes)}" for x, m in self.lower.items() if m > share]
        out += [f"{p!r} has probability ≤ {self.lower.get(p, Fraction(0)) + self.residual} < 1/{len(primes)}"
                for p in sorted(primes) if self.lower.get(p, Fraction(0)) + self.residual < share]
        return out

    def tvd_bound(self) -> Fraction:
        """tvd(true law, Unif) ≤ Σ_p (1/P − lower(p)) = residual, when lower ≤ 1/P on primes only."""
        return self.residual



def _step(phi_r: RandomizedAutoregressive, prompt: str, prefix: str, budget: int) -> tuple[dict[str, Fraction], Fraction]:
    """The exact next-token mass of φ_r at prefix over runs within the budget, and the residual."""
    runs = enumerate_runs(lambda coins: phi_r(prompt, prefix, coins), budget)
    out: dict[str, Fraction] = {}
    for law, p in runs.mass.items():
        if not isinstance(law, Dist):
            raise InvalidArgument(f"certify_prime_generator: φ_r returned {type(law).__name__} at {prefix!r}")
        for tok, q in law.items():
            out[tok] = out.get(tok, Fraction(0)) + p * q
    return out, runs.residual


def certify_prime_generator(
    phi_r: RandomizedAutoregressive, n: int, budget: int, prompt: str = ""
) -> PrimeCertificate:
    """Compose φ_r's per-step exact laws (enumerate_runs, `budget` flips per digit) into a certificate."""
    lower: dict[str, Fraction] = {}
    normal: dict[str, Fraction] = {}
    residual = Fraction(0)
    errors: list[str] = []
    worst = Fraction(0)
    level: list[tuple[str, Fraction, Fraction]] = [("", Fraction(1), Fraction(1))]
    prefixes = 0
    while level:
        below: list[tuple[str, Fraction, Fraction]] = []
        for x, mass, norm in level:
            prefixes += 1
            step, r = _step(phi_r, prompt, x, budget)
            residual += mass * r
            worst = max(worst, r)
            accepted = 1 - r
            if len(x) < n and accepted:
                c = prime_count(x, n)
                for tok, m in step.items():
                    want = Fraction(prime_count(x + tok, n), c) if tok != STOP and c else Fraction(0)
                    if m != accepted * want:
                        errors.append(f"after {x!r}: P(next = {tok!r}) = {m / accepted} within budget, not c({x + tok})/c({x}) = {want}")
            for tok, m in step.items():
                if tok == STOP:
                    lower[x] = lower.get(x, Fraction(0)) + mass * m
                    normal[x] = normal.get(x, Fraction(0)) + norm * m / accepted
                elif len(x) >= n:
                    residual += mass * m  # past max_len: counted as leaked, never dropped
                    errors.append(f"after {x!r}: mass {m} continues past {n} digits")
                else:
                    below.append((x + tok, mass * m, norm * m / accepted))
        level = below
    cert = PrimeCertificate(n, budget, lower, residual, tuple(errors), prefixes, worst, normal)
    if sum(lower.values()) + residual != 1:
        raise AssertionError("certify_prime_generator: mass is not conserved (a bug in the composition)")
    return cert


_R3_SCOPE = {Level.QUICK: (3, 16), Level.STANDARD: (4, 16), Level.DEEP: (5, 16)}


def _residual_curve(n: int, budgets: Iterable[int]) -> list[dict[str, object]]:
    """The certified residual of the post's φ_r as the budget grows (→ 0 geometrically)."""
    task = random_prime(n)
    rows: list[dict[str, object]] = []
    for b in budgets:
        cert = certify_prime_generator(task.phi_r, n, b, task.prompt)
        rows.append({"n": n, "budget": b, "residual": str(cert.residual), "residual_float": float(cert.residual)})
    return rows


def check_R3(level: Level) -> Verdict:
    """The randomized AR prime generator's exact law is Unif(n-digit primes), certified to a residual."""
    top, budget = _R3_SCOPE[level]
    evidence: list[str] = []
    rows: list[dict[str, object]] = []
    problems: list[str] = []
    for n in range(1, top + 1):
        task = random_prime(n)
        cert = certify_prime_generator(task.phi_r, n, budget, task.prompt)
        bad = cert.problems() + list(cert.step_errors)
        exact = all(v == Fraction(1, len(task.primes())) for v in cert.normalised.values()) and set(
            cert.normalised
        ) == {str(p) for p in task.primes()}
        if not exact:
            bad.append(f"n={n}: the normalised step laws do not compose to Unif(primes)")
        problems += [f"n={n}: {b}" for b in bad[:3]]
        evidence.append(
            f"n={n}: {len(task.primes())} primes, {cert.prefixes} prefixes enumerated at {budget} flips per digit; "
            f"certified lower(p) ≤ 1/{len(task.primes())} for all, support ⊆ primes, "
            f"tvd ≤ residual = {float(cert.residual):.3g}; worst per-step residual {float(cert.worst_step_residual):.3g}; "
            f"every step law ∝ prime counts: {not cert.step_errors}"
        )
        rows.append({"n": n, "primes": len(task.primes()), "budget": budget, "prefixes": cert.prefixes,
                     "residual": str(cert.residual), "residual_float": float(cert.residual),
                     "step_laws_exact": not cert.step_errors})
    curve = _residual_curve(2, (1, 2, 4, 8, 16, 32))
    rho = certify_prime_generator(random_prime(2).phi_r, 2, 1).worst_step_residual  # max_x (1 − q(x))
    residuals = [Fraction(str(r["residual"])) for r in curve]
    # each level of the tree leaks at most ρ^B of the mass reaching it, so R(B) ≤ n·ρ^B
    geometric = all(r <= 2 * rho ** int(str(row["budget"])) for r, row in zip(residuals, curve))
    evidence.append("n=2 residual vs budget B: " + ", ".join(f"B={row['budget']}: {float(r):.3g}" for row, r in zip(curve, residuals))
                    + f"; every one ≤ 2·ρ^B with ρ = max_x (1 − q(x)) = {rho}: → 0 geometrically")
    if not geometric:
        problems.append("the residual does not fall geometrically in the budget")
    evidence.append("within the budget, every step law is exactly ∝ c(xd)/c(x) at every prefix, so the "
                    "normalised composition is exactly Unif(primes); the residual runs (i.i.d. retries) have the same law")
    scope = f"n = 1..{top} digits, all primes, every reachable prefix; {budget} coin choices per digit"
    method = "enumerate_runs per prefix (certified residual), composed as sub-stochastic products"
    data = {"R3_certificates": rows, "R3_residual_curve": curve}

    def said(outcome: Outcome) -> tuple[Statement, ...]:
        return (Statement(f"for n = 1..{top}: the randomized AR prime generator (rejection-sample a completion of the prefix, "
                          f"keep its next digit) has, at every reachable prefix, next-digit law exactly c(xd)/c(x) within "
                          f"{budget} coin choices per digit, so its output law is exactly Unif(n-digit primes); the runs past "
                          "the budget are certified to carry residual mass ≤ 2·ρ^B → 0", Relation.SPECIAL_CASE, outcome),)

    if problems:
        return verdict(Outcome.REFUTED, scope, method, tuple(problems + evidence), counterexample=problems[0],
                       data=data, statements=said(Outcome.REFUTED))
    return verdict(Outcome.HOLDS, scope, method, tuple(evidence), data=data,
                   statements=said(Outcome.HOLDS))


def _uniform_digits(n: int) -> RandomizedAutoregressive:
    """A φ_r with no rejection: each digit uniform (1-9 first), STOP after n digits."""
    first, rest = Dist.uniform("123456789"), Dist.uniform("0123456789")

    def phi_r(prompt: str, prefix: str, coins: Coins) -> Dist[str]:
        return Dist.point(STOP) if len(prefix) >= n else first if not prefix else rest

    return phi_r


def _r3_certificate_verdict(phi_r: RandomizedAutoregressive, n: int) -> Verdict:
    cert = certify_prime_generator(phi_r, n, 8)
    bad = cert.problems() + list(cert.step_errors)
    return refuted_by(bad[0] if bad else None, f"n = {n}, every reachable prefix, 8 flips per digit",
                      "R3's certify_prime_generator: certified lower bounds and step laws vs Unif(primes)")


def _r3_no_rejection(level: Level) -> Verdict:
    return _r3_certificate_verdict(_uniform_digits(2), 2)


def _r3_wrong_after_1(level: Level) -> Verdict:
    task = random_prime(2)

    def phi_r(prompt: str, prefix: str, coins: Coins) -> Dist[str]:
        return task.phi_r(prompt, "2" if prefix == "1" else prefix, coins)

    return _r3_certificate_verdict(phi_r, 2)


TWINS_R3 = (
    Twin("no rejection: uniform digits give Unif(n-digit primes)", _r3_no_rejection),
    Twin("a φ_r wrong on one prefix (after '1' it samples as after '2') is uniform on primes", _r3_wrong_after_1),
)
"""R3's perturbed twins: R3's certificate on generators whose law is not Unif(primes)."""


# ---------------------------------------------------------------- R4 ---------------------------


def _primes_below(limit: int) -> np.ndarray:
    """All primes < limit, ascending (numpy sieve of Eratosthenes over the odd numbers)."""
    if limit <= 2:
        return np.zeros(0, dtype=np.int64)
    half = np.ones(limit // 2, dtype=bool)  # half[i] stands for 2i + 1
    half[0] = False
    for i in range(1, (math.isqrt(limit) - 1) // 2 + 1):
        if half[i]:
            p = 2 * i + 1
            half[p * p // 2 :: p] = False
    odd: np.ndarray = 2 * np.flatnonzero(half).astype(np.int64) + 1
    return np.concatenate([np.array([2], dtype=np.int64), odd])


def expected_tries(n: int, primes: np.ndarray | None = None) -> list[Fraction]:
    """E[completions tried] at digit k = Σ_x P(x)·(1/q(x)) = Σ_{x: c(x)>0} |range(x)| / #primes, exactly."""
    if primes is None:
        primes = np.array(n_digit_primes(n), dtype=np.int64)
    total = len(primes)
    out = []
    for k in range(n):
        width = 10 ** (n - k)  # |range(x)| for a length-k prefix; 9·10^(n-1) at k = 0
        heads = primes // width  # sorted, so its distinct values are counted by its steps
        reachable = 1 + int(np.count_nonzero(np.diff(heads))) if k else 1
        size = 9 * 10 ** (n - 1) if k == 0 else width
        out.append(Fraction(reachable * size, total))
    return out


_R4_TOP = {Level.QUICK: 6, Level.STANDARD: 8, Level.DEEP: 8}


def check_R4(level: Level) -> Verdict:
    """Expected completions tried per digit, exactly, n = 1..8: bounded by 1/density(n), about ln(10^n)."""
    top = _R4_TOP[level]
    below = _primes_below(10**top)
    rows: list[dict[str, object]] = []
    problems: list[str] = []
    for n in range(1, top + 1):
        primes = below[np.searchsorted(below, 10 ** (n - 1)) : np.searchsorted(below, 10**n)]
        if n <= 6 and tuple(int(p) for p in primes) != n_digit_primes(n):
            problems.append(f"n={n}: the numpy sieve disagrees with spec's")
        per_digit = expected_tries(n, primes)
        bound = Fraction(9 * 10 ** (n - 1), len(primes))  # 1/density: the first digit's expectation
        if any(e > bound for e in per_digit) or per_digit[0] != bound:
            problems.append(f"n={n}: a digit's expected tries exceeds 1/density = {bound}")
        total = sum(per_digit, Fraction(0))
        rows.append({"n": n, "primes": len(primes), "per_digit": [str(e) for e in per_digit],
                     "per_digit_float": [round(float(e), 4) for e in per_digit],
                     "total": str(total), "total_float": float(total), "inverse_density": float(bound),
                     "total_over_n2": float(total / n**2)})
    evidence = [f"n={r['n']}: E[tries] per digit = {r['per_digit_float']}, total {float(r['total_float']):.2f}"  # type: ignore[arg-type]
                for r in rows]
    evidence.append("per digit E = Σ_x P(x)/q(x) ≤ 1/density(n) = 9·10^(n-1)/#primes; total ≤ n/density(n), "
                    "polynomial given the prime number theorem (density ≈ 1/ln 10^n); finite scope, not an asymptotic proof")
    scope = f"n = 1..{top}, every digit position, every reachable prefix"
    method = "closed form E[tries | x] = 1/q(x) (geometric), averaged exactly over the prefix law; numpy sieve to 10^" + str(top)
    data = {"R4_expected_tries": rows}

    def said(outcome: Outcome) -> tuple[Statement, ...]:
        return (
            Statement(f"for n = 1..{top}: at every digit, the expected number of completions tried is exactly "
                      "Σ_x P(x)/q(x) ≤ 1/density(n) = 9·10^(n−1)/#(n-digit primes)", Relation.SPECIAL_CASE, outcome),
            Statement("1/density(n) grows like ln(10^n) (the prime number theorem, cited), so the expected time is "
                      "poly(n)", Relation.ASSUMPTION, Outcome.ASSUMED),
        )

    if problems:
        return verdict(Outcome.REFUTED, scope, method, tuple(problems), counterexample=problems[0],
                       data=data, statements=said(Outcome.REFUTED))
    return verdict(Outcome.HOLDS, scope, method, tuple(evidence), data=data, statements=said(Outcome.HOLDS))


def _r4_at_most_two_tries(level: Level) -> Verdict:
    for n in range(1, 7):
        per_digit = expected_tries(n)
        most = max(per_digit)
        if most > 2:
            problem = f"n={n}: a digit needs {most} expected completions (> 2)"
            return refuted_by(problem, "n = 1..6, every digit", "R4's exact expected_tries", data={"n": n, "worst": str(most)})
    return refuted_by(None, "n = 1..6, every digit", "R4's exact expected_tries")


def _recheck_r4(v: Verdict) -> str | None:
    """The first digit's expected tries is 1/density = 9·10^(n−1)/#primes: recount primes by trial division."""
    n = int(str(v.data["n"]))
    count = sum(1 for x in range(10 ** (n - 1), 10**n) if x > 1 and all(x % d for d in range(2, int(x**0.5) + 1)))
    return None if Fraction(9 * 10 ** (n - 1), count) > 2 else "recounted: the first digit needs at most 2 tries"


TWINS_R4 = (
    Twin("tightened constant: every digit needs at most 2 expected completions", _r4_at_most_two_tries, _recheck_r4),
)
"""R4's perturbed twin: R4's exact expected_tries against a bound they exceed."""


# ---------------------------------------------------------------- R5 ---------------------------


def det_prime_tvd(n: int, m: int) -> Fraction:
    """The exact TVD between the appendix's generator (m counted digits) and Unif(n-digit primes)."""
    g = det_prime(n, m)
    return tvd(induced(g, g.prompt, max_len=n, alphabet=g.alphabet), random_prime(n).target())


_R5_SCOPE: dict[Level, list[tuple[int, int]]] = {
    Level.QUICK: [(n, m) for n in range(1, 5) for m in range(1, n + 1)] + [(2, 0), (3, 0)],
    Level.STANDARD: [(n, m) for n in range(1, 6) for m in range(1, n + 1)] + [(2, 0), (3, 0), (4, 0)],
    Level.DEEP: [(n, m) for n in range(1, 7) for m in range(n + 1) if (n, m) != (1, 0)],
}


def check_R5(level: Level) -> Verdict:
    """The deterministic generator's exact TVD vs n and m: small in m (exact digits), not in n."""
    rows: list[dict[str, object]] = []
    table: dict[tuple[int, int], Fraction] = {}
    for n, m in _R5_SCOPE[level]:
        table[n, m] = det_prime_tvd(n, m)
        rows.append({"n": n, "m": m, "tvd": str(table[n, m]), "tvd_float": float(table[n, m])})
    problems: list[str] = [f"n={n}: m = n (exact counting only) gives tvd {table[n, n]}, not 0"
                           for n in range(1, 7) if (n, n) in table and table[n, n] != 0]
    evidence: list[str] = []
    for m in sorted({m for _, m in table}):
        series = [(n, table[n, m]) for n in range(1, 7) if (n, m) in table and n > m]
        if len(series) > 1:
            evidence.append(f"m={m} fixed: tvd vs n = " + ", ".join(f"n={n}: {float(t):.3g}" for n, t in series)
                            + (" (grows with n)" if all(b[1] >= a[1] for a, b in zip(series, series[1:])) else ""))
    for n in sorted({n for n, _ in table}):
        series = [(m, table[n, m]) for m in range(n + 1) if (n, m) in table]
        evidence.append(f"n={n}: tvd vs m = " + ", ".join(f"m={m}: {float(t):.3g}" for m, t in series))
    ratios = [table[n, m] / table[n, m + 1] for (n, m) in table if m >= 1 and (n, m + 1) in table and table[n, m + 1]]
    factor = f"{float(min(ratios)):.1f}-{float(max(ratios)):.1f}x" if ratios else "(no ratio in scope)"
    trend = f", by a factor of {factor} per digit (measured)" if ratios else ""
    evidence.append(f"honest reading: the error falls {factor} per exactly counted digit (exponentially in m, "
                    "at a cost of 10^m primality tests per prefix), but at fixed m it does not fall with n (it grows); "
                    "extrapolating that rate, a polytime generator (m = O(log n)) would get only 1/poly(n) error. Finite data "
                    "cannot settle the asymptotic claim either way.")
    scope = ("(n, m) in " + ", ".join(f"({n},{m})" for n, m in _R5_SCOPE[level]) + "; every n-digit text; "
             "the reading checked: a fixed number m of exactly counted last digits")
    method = ("exact induced law of the generator (integral of 1/ln x rounded to multiples of 2^-32, then exact "
              "prime counts for the last m digits) vs Unif(n-digit primes), exact TVD")
    data = {"R5_tvd": rows}
    if problems:
        return verdict(Outcome.REFUTED, scope, method, tuple(problems), counterexample=problems[0], data=data)
    # The checkable form of the post's claim: with the last few (a fixed number m of) digits counted
    # exactly and the rest from the integral, the error is exponentially small in n. A fixed m whose
    # exact TVD grows with n refutes that reading on this scope; the corrected statement (the error
    # falls with m, at a cost of 10^m primality tests per prefix) is checked beside it.
    growth = [
        (m, n, table[n, m], table[n + 1, m])
        for (n, m) in sorted(table)
        if m >= 1 and n > m and (n + 1, m) in table and table[n + 1, m] > table[n, m]
    ]
    falls_in_m = all(
        table[n, m + 1] < table[n, m] for (n, m) in table if m >= 1 and (n, m + 1) in table
    )
    evidence.append(
        "corrected statement: for every n in scope the TVD falls strictly as m grows "
        + ("(HOLDS on this scope)" if falls_in_m else "(FAILS on this scope)")
    )
    statements = (
        Statement("a fixed number m of exactly counted last digits (the leading digits from the integral of 1/ln x) "
                  "gives an error that shrinks as n grows: checked on (n, m) of the scope, TVD at n + 1 vs at n",
                  Relation.SAME, Outcome.REFUTED if growth else Outcome.HOLDS),
        Statement("the error falls exponentially in m, the number of exactly counted digits: for every n of the scope the "
                  f"exact TVD falls strictly as m grows{trend}; each counted digit costs 10× more primality tests per prefix",
                  Relation.EVIDENCE, Outcome.HOLDS if falls_in_m else Outcome.REFUTED),
    )
    if growth and falls_in_m:
        m, n, lo, hi = growth[0]
        return verdict(
            Outcome.REFUTED, scope, method, tuple(evidence), statements=statements,
            counterexample=(
                f"m = {m} exactly counted digit(s): TVD = {lo} at n = {n} < {hi} at n = {n + 1} (exact): with a "
                "fixed exact tail the error does not shrink with n; exponentially small error needs m to grow linearly "
                "in n, and 10^m primality tests per prefix is then exponential (m = O(log n) is polytime but, at the "
                f"measured {factor} per digit, gives only 1/poly(n) error)"
            ),
            data=data,
        )
    return verdict(Outcome.UNKNOWN, scope, method, tuple(evidence), data=data, statements=statements)


def r5_figure(verdict: Verdict, used: Mapping[str, Verdict]) -> Figure | None:
    """R5: exact TVD vs n at fixed m (left) and vs m at fixed n (right); exact zeros marked at the floor."""
    from checkers.report.plots import caveat, integer_x, number, pyplot, rows_of

    rows = rows_of(verdict, "R5_tvd")
    pts = [(int(n), int(m), t) for r in rows
           if (n := number(r.get("n"))) is not None and (m := number(r.get("m"))) is not None
           and (t := number(r.get("tvd"))) is not None]
    if not pts:
        return None
    plt = pyplot()
    fig, (left, right) = plt.subplots(1, 2, figsize=(10, 4.8), sharey=True)
    positive = [t for _, _, t in pts if t > 0]
    floor = 10 ** math.floor(math.log10(min(positive))) / 4 if positive else 1e-3  # where exact zeros are drawn
    top_n = max(n for n, _, _ in pts)
    for m in sorted({m for _, m, _ in pts}):
        line = sorted((n, t) for n, mm, t in pts if mm == m and t > 0)
        if line:
            left.plot([p[0] for p in line], [p[1] for p in line], "o-", label=f"m = {m} last digit{'' if m == 1 else 's'} counted exactly")
    zeros = sorted((n, m) for n, m, t in pts if t == 0)
    if zeros:
        left.plot([z[0] for z in zeros], [floor] * len(zeros), "kv", label="TVD = 0 exactly (m = n: every digit counted)")
        right.plot([z[1] for z in zeros], [floor] * len(zeros), "kv", label="TVD = 0 exactly (m = n)")
    for n in sorted({n for n, _, _ in pts}):
        line = sorted((m, t) for nn, m, t in pts if nn == n and t > 0)
        if line:
            right.plot([p[0] for p in line], [p[1] for p in line], "o-", label=f"n = {n} digit{'' if n == 1 else 's'}")
    for ax in (left, right):
        ax.set_yscale("log")
        ax.set_ylim(floor / 2, 1.5)
        if zeros:
            ax.axhline(floor * 1.9, color="#999", linestyle=":", linewidth=0.8)
            ax.annotate("0", xy=(0, floor), xycoords=("axes fraction", "data"), xytext=(-6, 0),
                        textcoords="offset points", ha="right", va="center", fontsize=10)
        integer_x(ax)
    # the left panel's lines fill its upper right: its legend goes in the empty lower left, above the zero row
    left.legend(fontsize=7, loc="lower left", bbox_to_anchor=(0, 0.16))
    right.legend(fontsize=7)
    left.set_xlabel("n, digits of the prime")
    right.set_xlabel("m, last digits counted exactly")
    left.set_ylabel("exact TVD to Unif(n-digit primes) (no unit)")
    left.set_title("at fixed m the error grows with n (the post: 'exponentially small')", fontsize=9)
    right.set_title("at fixed n the error falls 4-9x per exactly counted digit", fontsize=9)
    fig.tight_layout(rect=(0, 0.09, 1, 1))
    caveat(fig, f"Each line ends where the checked scope ends (n ≤ {top_n} at this level; m ≤ n, and m = 0 only "
                "for small n). A line with one point has one (n, m) in scope with TVD > 0; TVD = 0 cannot sit on "
                "a log axis: it is drawn as ▼ on the row marked 0, under the dotted break.")
    return fig


def _r5_tvd_at_most(m_of: Callable[[int], int], bound_of: Callable[[int], Fraction], what: str) -> Verdict:
    for n in (2, 3):
        t = det_prime_tvd(n, m_of(n))
        if t > bound_of(n):
            return refuted_by(f"n={n}, m={m_of(n)}: exact TVD {t} > {bound_of(n)}", "n = 2, 3", f"R5's det_prime_tvd: {what}")
    return refuted_by(None, "n = 2, 3", f"R5's det_prime_tvd: {what}")


def _r5_m_one_short(level: Level) -> Verdict:
    return _r5_tvd_at_most(lambda n: n - 1, lambda n: Fraction(0), "m = n − 1, TVD = 0")


def _r5_no_exact_tail(level: Level) -> Verdict:
    return _r5_tvd_at_most(lambda n: 0, lambda n: Fraction(1, 2), "m = 0, TVD ≤ 1/2")


TWINS_R5 = (
    Twin("off-by-one in m: counting m = n − 1 digits exactly already gives TVD 0", _r5_m_one_short),
    Twin("dropped exact tail: with m = 0 the TVD is already ≤ 1/2", _r5_no_exact_tail),
)
"""R5's perturbed twins: R5's exact det_prime_tvd against bounds it exceeds."""
