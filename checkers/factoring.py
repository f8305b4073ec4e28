"""The factoring section: F1 ([p,q,pq] is easy), F2 (Claim 1's reduction, exhaustive and by SMT), F3 (cost), F4 (footnote 3).

F2 prompts an AR model with the post's prompt and the prefix "[s," and reads the factors off
the continuation, both as an exact law (`induced(..., prefix="[s,")`) and as one sampled run;
for small n, z3 and cvc5 prove Claim 1 over the digit strings.

Factoring back-ends for the [pq,p,q] model: trial division (counted), sympy.factorint, flint.
Each maps s ≥ 2 to its prime factors with multiplicity (ascending, plain ints). sympy and flint
are untyped; their results are converted to int here and nowhere else.
"""

from __future__ import annotations

import math
import random
import re
import statistics
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from fractions import Fraction
from functools import lru_cache, reduce
from typing import TYPE_CHECKING, Any

import flint
import numpy as np
import z3

from checkers import smt
from checkers.assumptions import FACTORING_IS_HARD, POST_ASSUMPTIONS
from checkers.smt import ProofAttempt, refutes, sum_terms
from checkers.randomized_tasks import wrong_on_one_prefix
from checkers.smt.proof import (
    Obligation,
    attempt_verdict,
    check_obligations,
    obligations_verdict,
)
from checkers.verdict import Level, Outcome, Relation, Statement, Twin, Verdict, combine, refuted_by, verdict
from spec import Autoregressive, Dist, chain_rule, induced, sample
from spec.errors import InvalidText, SpecError, require_int
from spec.tasks.primes import is_n_digit_prime, n_digit_primes, require_digits
from spec.tasks.semiprime import (
    TUPLE_ALPHABET,
    FactorFirstModel,
    Factorizer,
    Order,
    distinct_products,
    parse_continuation,
    semiprime_triple,
    tuple_text,
)

if TYPE_CHECKING:
    from checkers.report.plots import Figure

__all__ = [
    "Backend",
    "TrialDivision",
    "trial_division_count",
    "sympy_factor",
    "flint_factor",
    "flint_is_prime",
    "next_prime",
    "prev_prime",
    "BACKENDS",
    "FIRST_FIELD",
    "continuation_law",
    "factor_with",
    "backend_factorizer",
    "reduction_problems",
    "target_problems",
    "grouped_shard",
    "f1_problem",
    "check_F1",
    "check_F2",
    "f2_exhaustive_verdict",
    "cost_rows",
    "f3_verdict",
    "check_F3",
    "f3_figure",
    "ceil_half_log10",
    "floor_half_log10",
    "footnote3_problem",
    "check_F4",
    "claim1_encoding",
    "prove_claim1",
    "refute_claim1_corrupted",
    "f2_smt_verdict",
    "TWINS_F1",
    "TWINS_F2",
    "TWINS_F3",
    "TWINS_F4",
]

Backend = Callable[[int], list[int]]


def _require_s(s: object) -> int:
    return require_int(s, "factoring: s", least=2)


@dataclass
class TrialDivision:
    """Trial division by 2, then by odd d while d² ≤ s; `divisions` counts every s mod d taken."""

    divisions: int = field(default=0)

    def __call__(self, s: int) -> list[int]:
        s = _require_s(s)
        out: list[int] = []
        d = 2
        while d * d <= s:
            self.divisions += 1
            if s % d == 0:
                out.append(d)
                s //= d
            else:
                d += 1 if d == 2 else 2
        return out + [s] if s > 1 else out


def trial_division_count(p: int, q: int) -> int:
    """Divisions TrialDivision spends on s = p·q for odd primes p ≤ q: one by 2, (p−1)/2 odd ones, then q's."""
    p, q = min(p, q), max(p, q)
    if p == 2:
        return 1 + _count_prime(q)
    # d = 2, then 3, 5, ..., p (p hits), then from p again on q while d² ≤ q (fails at once unless p² ≤ q)
    return 1 + (p - 1) // 2 + _count_from(p, q)


def _count_prime(q: int) -> int:
    """Divisions on a prime q, starting from d = 2."""
    return 0 if q < 4 else 1 + _count_from(3, q) if q % 2 else 1


def _count_from(d: int, q: int) -> int:
    """Divisions on prime q starting at odd d: one per odd d' ≥ d with d'² ≤ q."""
    r = math.isqrt(q)
    return 0 if d > r else (r - d) // 2 + 1


def sympy_factor(s: int) -> list[int]:
    """Prime factors of s by sympy.factorint (converted to ints)."""
    import sympy  # here: importing sympy costs ~0.5 s, which a refused command line should not pay

    fs = sympy.factorint(_require_s(s))
    return sorted(int(p) for p, e in fs.items() for _ in range(int(e)))


def flint_factor(s: int) -> list[int]:
    """Prime factors of s by python-flint's fmpz.factor (converted to ints)."""
    fs = flint.fmpz(_require_s(s)).factor()
    return sorted(int(p) for p, e in fs for _ in range(int(e)))


def flint_is_prime(x: int) -> bool:
    """A primality test (flint: BPSW-style, proven below 2^64)."""
    return bool(flint.fmpz(x).is_prime())


def next_prime(x: int) -> int:
    """The least prime > x (sympy.nextprime)."""
    import sympy

    return int(sympy.nextprime(x))


def prev_prime(x: int) -> int:
    """The greatest prime < x, x ≥ 3 (sympy.prevprime)."""
    import sympy

    return int(sympy.prevprime(x))


BACKENDS: dict[str, Callable[[], Backend]] = {
    "trial division": TrialDivision,
    "sympy.factorint": lambda: sympy_factor,
    "flint fmpz.factor": lambda: flint_factor,
}


FIRST_FIELD: Order = "pq,p,q"


def _reduction_setup(s: object, n: int) -> tuple[str, str, int]:
    task = semiprime_triple(require_digits(n, most=8), FIRST_FIELD)
    return task.prompt, f"[{require_int(s, 'factor_with: s', least=1)},", task.max_len


def continuation_law(phi: Autoregressive, s: int, n: int) -> Dist[str]:
    """The exact law of the rest of the response after the prefix "[s," (the post's prompt)."""
    prompt, prefix, max_len = _reduction_setup(s, n)
    law = induced(phi, prompt, max_len=max_len, alphabet=semiprime_triple(n, FIRST_FIELD).alphabet, prefix=prefix)
    return law.map(lambda text: text[len(prefix):])


def factor_with(phi: Autoregressive, s: int, n: int, rng: random.Random | None = None) -> tuple[int, int]:
    """Claim 1's reduction: prompt φ with "[s,", sample the rest "a,b]" and return (a, b)."""
    prompt, prefix, max_len = _reduction_setup(s, n)
    text = sample(phi, prompt, rng or random.Random(s), max_len=max_len,
                  alphabet=semiprime_triple(n, FIRST_FIELD).alphabet, prefix=prefix)
    return parse_continuation(text[len(prefix):])


def backend_factorizer(backend: Backend, n: int) -> Factorizer:
    """s ↦ its ordered factorizations into two n-digit primes, found by a factoring back-end."""

    def factor(s: int) -> list[tuple[int, int]]:
        fs = backend(s)
        if len(fs) != 2 or not all(is_n_digit_prime(f, n) for f in fs):
            return []
        a, b = fs
        return sorted({(a, b), (b, a)})

    return factor


def _pair_problem(a: int, b: int, s: int, n: int, primes: frozenset[int] | None = None) -> str | None:
    if a * b != s:
        return f"{a}·{b} = {a * b} ≠ s"
    if primes is not None and a in primes and b in primes:
        return None
    if not (is_n_digit_prime(a, n) and is_n_digit_prime(b, n)):
        return f"{a} and {b} are not both {n}-digit primes"
    return None


def reduction_problems(phi: Autoregressive, n: int, ss: Iterable[int], *, sampled: bool = True) -> list[str]:
    """Every s whose continuation law after "[s," puts mass on a wrong "a,b]" (or whose sampled run does)."""
    out: list[str] = []
    for s in ss:
        try:
            law = continuation_law(phi, s, n)
        except SpecError as e:
            out.append(f"s={s}: the model fails after '[{s},': {e}")
            continue
        before = len(out)
        for rest, p in sorted(law.items()):
            try:
                a, b = parse_continuation(rest)
            except InvalidText as e:
                out.append(f"s={s}: continuation {rest!r} (probability {p}) is malformed: {e}")
                continue
            why = _pair_problem(a, b, s, n)
            if why:
                out.append(f"s={s}: continuation {rest!r} has probability {p}, but {why}")
        if sampled and len(out) == before:
            a, b = factor_with(phi, s, n)
            why = _pair_problem(a, b, s, n)
            if why:
                out.append(f"s={s}: factor_with returned ({a}, {b}): {why}")
    return out


_TUPLE = re.compile(r"\[([1-9][0-9]*),([1-9][0-9]*),([1-9][0-9]*)\]")


def target_problems(target: Dist[str], n: int) -> list[str]:
    """The target conditioned on its first field s: every s whose continuation is not a factorization (and every
    text that is not a tuple [s,a,b])."""
    return _grouped_target(target, n)[0]


def _grouped_target(target: Dist[str], n: int) -> tuple[list[str], dict[int, frozenset[tuple[int, int]]]]:
    """target_problems, and the target's continuations (a, b) grouped by s, in one pass over its texts."""
    groups: dict[int, set[tuple[int, int]]] = {}
    out: list[str] = []
    primes = frozenset(n_digit_primes(n))
    match = _TUPLE.fullmatch
    for text in target.support:
        m = match(text)
        if m is None:
            out.append(f"target text {text!r} is not a tuple [s,a,b]")
            continue
        s, a, b = int(m[1]), int(m[2]), int(m[3])
        why = _pair_problem(a, b, s, n, primes)
        if why:
            out.append(f"s={s}: the target holds {text!r} (probability {target[text]}): {why}")
        groups.setdefault(s, set()).add((a, b))
    return sorted(out), {s: frozenset(g) for s, g in groups.items()}


def grouped_shard(n: int, shard: int, shards: int) -> dict[str, int]:
    """numpy: the pairs (p, q) with s = p·q in this shard's range of s, grouped by s (for n up to 5)."""
    primes = np.array(n_digit_primes(n), dtype=np.int64)
    lo_all, hi_all = int(primes[0]) ** 2, int(primes[-1]) ** 2 + 1
    step = -(-(hi_all - lo_all) // shards)
    lo, hi = lo_all + shard * step, min(hi_all, lo_all + (shard + 1) * step)
    ps, qs = [], []
    for p in primes.tolist():
        i, j = np.searchsorted(primes, -(-lo // p)), np.searchsorted(primes, -(-hi // p))
        if j > i:
            qs.append(primes[i:j])
            ps.append(np.full(j - i, p, dtype=np.int64))
    if not ps:
        return {"pairs": 0, "distinct": 0, "bad_groups": 0, "squares": 0}
    p_all, q_all = np.concatenate(ps), np.concatenate(qs)
    s_all = p_all * q_all
    order = np.argsort(s_all, kind="stable")
    s_sorted, p_sorted, q_sorted = s_all[order], p_all[order], q_all[order]
    starts = np.flatnonzero(np.r_[True, s_sorted[1:] != s_sorted[:-1]])
    counts = np.diff(np.r_[starts, len(s_sorted)])
    squares = p_sorted[starts] == q_sorted[starts]
    # unique factorisation: a square has the one pair (p, p); any other s exactly (p, q) and (q, p)
    ok_single = (counts == 1) & squares
    two = counts == 2
    swapped = np.zeros(len(starts), dtype=bool)
    idx = starts[two]
    swapped[two] = (p_sorted[idx] == q_sorted[idx + 1]) & (q_sorted[idx] == p_sorted[idx + 1]) & ~squares[two]
    bad = int(np.count_nonzero(~(ok_single | swapped)))
    in_range = bool(np.all((s_sorted >= lo) & (s_sorted < hi)))
    return {"pairs": int(len(s_sorted)), "distinct": int(len(starts)), "bad_groups": bad + (0 if in_range else 1),
            "squares": int(np.count_nonzero(squares))}


def f1_problem(phi: Autoregressive, n: int) -> str | None:
    """None when φ induces exactly Unif(S_n) in the order [p,q,pq]; otherwise where it differs."""
    task = semiprime_triple(n, "p,q,pq")
    law = induced(phi, task.prompt, max_len=task.max_len, alphabet=task.alphabet)
    target = task.target()
    if law == target:
        return None
    diff = sorted(law.support ^ target.support) or sorted(x for x in target.support if law[x] != target[x])
    return f"n={n}: induced ≠ Unif(S_n), e.g. at {diff[0]!r}: {law[diff[0]]} vs {target[diff[0]]}"


_F1_TOP = {Level.QUICK: 2, Level.STANDARD: 3, Level.DEEP: 3}


def check_F1(level: Level) -> Verdict:
    """The post's AR model for [p,q,pq] induces exactly Unif(S_n)."""
    top = _F1_TOP[level]
    evidence, problems = [], []
    rows: list[dict[str, object]] = []
    for n in range(1, top + 1):
        task = semiprime_triple(n, "p,q,pq")
        bad = f1_problem(task.phi, n)
        if bad:
            problems.append(bad)
        evidence.append(f"n={n}: induced law of the [p,q,pq] model = Unif(S_{n}) over {len(n_digit_primes(n)) ** 2} tuples, exactly")
        rows.append({"n": n, "tuples": len(n_digit_primes(n)) ** 2, "equal": bad is None})
    evidence.append("the prime digits use c(xd)/c(x), the exact law of the rejection sampler (certified per prefix by the random-prime check); "
                    "each product digit costs one multiplication p·q")
    scope = f"n = 1..{top}: all {sum(int(str(r['tuples'])) for r in rows)} tuples"
    method = "exact induced law (tree expansion) vs the explicit Unif(S_n)"
    data = {"F1_exact": rows}

    def said(outcome: Outcome) -> tuple[Statement, ...]:
        return (Statement(f"for n = 1..{top}: the post's model for [p,q,pq] (each prime digit by digit ∝ prime counts, then "
                          "the product copied) induces exactly Unif(S_n), the uniform law on [p,q,pq] over ordered pairs of "
                          "n-digit primes", Relation.SPECIAL_CASE, outcome),)

    if problems:
        return verdict(Outcome.REFUTED, scope, method, problems, counterexample=problems[0], data=data,
                       statements=said(Outcome.REFUTED))
    return verdict(Outcome.HOLDS, scope, method, evidence, data=data, statements=said(Outcome.HOLDS))


def _f1_uniform_first_digit(level: Level) -> Verdict:
    task = semiprime_triple(2, "p,q,pq")
    phi = wrong_on_one_prefix(task.phi, "[", Dist.uniform("123456789"))
    return refuted_by(f1_problem(phi, 2), "n = 2, all of S_2", "F1's f1_problem (exact induced law)")


TWINS_F1 = (
    Twin("a model wrong on one prefix (first digit uniform, not ∝ prime counts) induces Unif(S_n)",
         _f1_uniform_first_digit),
)
"""F1's perturbed twin: F1's f1_problem on a model wrong at its first token."""


_F2_SCOPE = {  # (chain rule for every s up to n, ... with every check, grouped n's by numpy, text-grouped n's)
    Level.QUICK: (2, 2, (), ()),  # n = 3's 10 296 continuation laws took most of the quick level's F2
    Level.STANDARD: (3, 2, (4,), ()),
    Level.DEEP: (3, 3, (4, 5), (4,)),
}


def _f2_exhaustive(n: int, full: bool, samples: int = 300, target: Dist[str] | None = None) -> tuple[list[str], str]:
    """Every s of S_n through chain_rule(target); factor_with and the flint-backed model on all s (full) or a sample.

    `target` defaults to Unif(S_n) in the order [pq,p,q] (the post's); another law tests that a wrong one is caught.
    """
    if target is None:
        target = semiprime_triple(n, FIRST_FIELD).target()
    phi = chain_rule(target)
    ss = distinct_products(n)
    bad = reduction_problems(phi, n, ss, sampled=False)
    picks = list(ss) if full else random.Random(n).sample(list(ss), min(samples, len(ss)))
    for s in picks:
        a, b = factor_with(phi, s, n)
        why = _pair_problem(a, b, s, n)
        if why:
            bad.append(f"s={s}: factor_with returned ({a}, {b}): {why}")
    fast = FactorFirstModel(n, backend_factorizer(flint_factor, n))
    differ = [s for s in picks if continuation_law(fast, s, n) != continuation_law(phi, s, n)]
    bad += [f"s={s}: the flint-backed model's continuation differs from the chain rule's" for s in differ[:3]]
    which = "every s" if full else f"{len(picks)} seeded random s"
    return bad, (f"n={n}: all {len(ss)} s of S_{n} ({len(target)} tuples): the chain rule of the target puts all "
                 f"continuation mass after '[s,' on 'a,b]' with a·b = s (exact laws); factor_with (a sampled run) "
                 f"and the flint-backed model's law (= the chain rule's) checked on {which}")


def _f2_grouped(n: int, samples: int = 300) -> tuple[list[str], str]:
    """The target's texts grouped by s: each continuation a factorization, = flint's; sampled factor_with."""
    task = semiprime_triple(n, FIRST_FIELD)
    bad, groups = _grouped_target(task.target(), n)
    fact = backend_factorizer(flint_factor, n)
    for s, g in groups.items():
        if frozenset(fact(s)) != g:
            bad.append(f"s={s}: the target's continuations {sorted(g)} ≠ flint's factorizations {fact(s)}")
    return bad, (f"n={n}: all {len(groups)} s of S_{n} from the target's texts: the target conditioned on s holds "
                 f"only (a, b) with a·b = s, exactly flint's factorizations")


def _f2_numpy(n: int, shards: int = 8, samples: int = 300) -> tuple[list[str], str]:
    """numpy grouping of all ordered pairs by s, sharded by ranges of s; sampled factor_with (flint model)."""
    totals = {"pairs": 0, "distinct": 0, "bad_groups": 0, "squares": 0}
    for i in range(shards):
        for k, v in grouped_shard(n, i, shards).items():
            totals[k] += v
    p = len(n_digit_primes(n))
    bad = []
    if totals != {"pairs": p * p, "distinct": p * (p + 1) // 2, "bad_groups": 0, "squares": p}:
        bad.append(f"n={n}: grouped counts {totals} ≠ pairs {p * p}, distinct {p * (p + 1) // 2}")
    rng = random.Random(n)
    primes = n_digit_primes(n)
    picks = sorted({rng.choice(primes) * rng.choice(primes) for _ in range(samples)})
    bad += reduction_problems(FactorFirstModel(n, backend_factorizer(flint_factor, n)), n, picks)
    return bad, (f"n={n} (numpy, {shards} shards of s): {totals['pairs']} ordered pairs, {totals['distinct']} distinct s; "
                 "every s has exactly the continuations {p,q], q,p]} (one for the squares), so the target "
                 f"conditioned on s is uniform over s's factorizations; exact law and factor_with with the "
                 f"flint-backed model on {len(picks)} seeded random s")


def f2_exhaustive_verdict(level: Level) -> Verdict:
    """Claim 1, exhaustively: after "[s," the exact AR model for [pq,p,q] continues only with a factorization of s."""
    top, full_top, numpy_ns, text_ns = _F2_SCOPE[level]
    problems: list[str] = []
    evidence: list[str] = []
    rows: list[dict[str, object]] = []

    def run(n: int, how: str, job: Callable[[], tuple[list[str], str]]) -> None:
        t = time.perf_counter()
        bad, line = job()
        problems.extend(bad)
        evidence.append(line)
        rows.append({"n": n, "method": how, "seconds": time.perf_counter() - t, "failures": len(bad)})

    for n in range(1, top + 1):
        run(n, "chain rule, every s", lambda n=n: _f2_exhaustive(n, n <= full_top))  # type: ignore[misc]
    for n in numpy_ns:
        run(n, "numpy grouping, sharded", lambda n=n: _f2_numpy(n))  # type: ignore[misc]
    for n in text_ns:
        run(n, "target texts grouped by s", lambda n=n: _f2_grouped(n))  # type: ignore[misc]
    top_all = max((top, *numpy_ns, *text_ns))
    scope = (f"every s in S_n for n = 1..{top_all}: exact continuation laws of chain_rule(target) for n ≤ {top}"
             + (f", grouped tuples (numpy) for n = {', '.join(map(str, numpy_ns))}" if numpy_ns else ""))
    method = "exact continuation law induced(φ, prompt, prefix='[s,') and sampled runs of factor_with"
    data = {"F2_runs": rows}

    def said(outcome: Outcome) -> tuple[Statement, ...]:
        out = [Statement(f"for every s in S_n, n = 1..{top}: the exact AR model of Unif(S_n) in the order [pq,p,q] "
                         "(its chain rule), prompted with '[s,', puts all continuation mass on 'a,b]' with a·b = s and a, b "
                         "n-digit primes", Relation.SPECIAL_CASE, outcome)]
        grouped = (*numpy_ns, *text_ns)
        if grouped:
            out.append(Statement(f"for every s in S_n, n in {{{', '.join(map(str, sorted(set(grouped))))}}}: Unif(S_n) "
                                 "conditioned on the first field s holds only factorizations (a, b) of s",
                                 Relation.SPECIAL_CASE, outcome))
        return tuple(out)

    if problems:
        return verdict(Outcome.REFUTED, scope, method, problems[:10], counterexample=problems[0], data=data,
                       statements=said(Outcome.REFUTED))
    return verdict(Outcome.HOLDS, scope, method, evidence, data=data, statements=said(Outcome.HOLDS))


def _random_prime(n: int, rng: random.Random) -> tuple[int, int]:
    """A uniform n-digit prime by rejection, and the number of primality tests it took."""
    tests = 0
    while True:
        x = rng.randrange(10 ** (n - 1), 10**n)
        tests += 1
        if flint_is_prime(x):
            return x, tests


def _timed(f: Callable[[int], list[int]], s: int) -> tuple[list[int], float]:
    t = time.perf_counter()
    out = f(s)
    return out, time.perf_counter() - t


_F3_SCOPE = {  # (top n, samples per n, trial division up to n, sympy up to n)
    Level.QUICK: (20, 2, 5, 8),
    Level.STANDARD: (20, 2, 6, 10),
    Level.DEEP: (20, 3, 8, 20),
}


def cost_rows(top: int, samples: int, trial_top: int, sympy_top: int, seed: int = 3) -> list[dict[str, object]]:
    """Per n: primality tests, multiplications, trial divisions (exact), and back-end times (medians).

    Measured once per process and scope (F3's twin re-runs F3's check in the same job): each call gets its own copy."""
    return [dict(row) for row in _measured_cost_rows(top, samples, trial_top, sympy_top, seed)]


@lru_cache(maxsize=4)
def _measured_cost_rows(top: int, samples: int, trial_top: int, sympy_top: int, seed: int) -> tuple[dict[str, object], ...]:
    rng = random.Random(seed)
    rows: list[dict[str, object]] = []
    for warm_up in (TrialDivision(), sympy_factor, flint_factor):  # a first call pays for lazy set-up: not timed
        warm_up(6)
    for n in range(1, top + 1):
        tests, divs, t_trial, t_sympy, t_flint, agree = [], [], [], [], [], True
        for _ in range(samples):
            (p, tp), (q, tq) = _random_prime(n, rng), _random_prime(n, rng)
            tests += [tp, tq]
            s, want = p * q, sorted([p, q])
            divs.append(trial_division_count(p, q))
            if n <= trial_top:
                td = TrialDivision()
                got, sec = _timed(td, s)
                agree &= got == want and td.divisions == divs[-1]
                t_trial.append(sec)
            if n <= sympy_top:
                got, sec = _timed(sympy_factor, s)
                agree &= got == want
                t_sympy.append(sec)
            got, sec = _timed(flint_factor, s)
            agree &= got == want
            t_flint.append(sec)
        rows.append({
            "n": n,
            "samples": samples,
            "primality_tests_per_prime": statistics.median(tests),
            "multiplications_per_product_token": 1,
            "trial_divisions_median": int(statistics.median(divs)),
            "trial_divisions_min": min(divs),
            "trial_seconds": statistics.median(t_trial) if t_trial else None,  # None: not run at this n
            "sympy_seconds": statistics.median(t_sympy) if t_sympy else None,
            "flint_seconds": statistics.median(t_flint),
            "backends_agree": agree,
        })
    return tuple(rows)


_F3_REDUCTION = {Level.QUICK: 2, Level.STANDARD: 2, Level.DEEP: 3}
"""F3's own run of Claim 1's reduction: every s of S_n for n up to this (F2 covers larger n)."""


def f3_verdict(
    level: Level,
    *,
    target_of: Callable[[int], Dist[str]] | None = None,
    rows: list[dict[str, object]] | None = None,
) -> Verdict:
    """F3 from the reduction: the exact [pq,p,q] model factors every s at '[s,' (checked here for small n), so a
    polytime model would factor in polytime, which the assumption that factoring is hard says is not possible. The
    cost table is evidence beside it.

    `target_of(n)` replaces Unif(S_n) (to show a wrong law is caught); `rows` replaces the measured cost table.
    """
    top, samples, trial_top, sympy_top = _F3_SCOPE[level]
    small = _F3_REDUCTION[level]
    broken: list[str] = []
    lines: list[str] = []
    for n in range(1, small + 1):
        bad, line = _f2_exhaustive(n, True, target=target_of(n) if target_of is not None else None)
        broken += bad
        lines.append(line)
    if rows is None:
        rows = cost_rows(top, samples, trial_top, sympy_top)
    problems = [f"n={r['n']}: the back-ends disagree on a factorization (or the division count formula is off)"
                for r in rows if not r["backends_agree"]]
    for r in rows:
        n = int(str(r["n"]))
        floor = 1 + (10 ** (n - 1) - 1) // 2 if n > 1 else 1  # the smaller factor is ≥ 10^(n-1)
        if int(str(r["trial_divisions_min"])) < floor:
            problems.append(f"n={n}: a trial division count below the lower bound {floor}")
    reduction_outcome = Outcome.REFUTED if broken else Outcome.HOLDS
    cost_outcome = Outcome.UNKNOWN if problems else Outcome.HOLDS
    statements = (
        Statement(f"for every s in S_n, n = 1..{small}: the exact AR model for [pq,p,q], prompted with '[s,', continues "
                  "only with 'a,b]' where a·b = s (Claim 1's reduction, run here; F2 covers larger n)",
                  Relation.SPECIAL_CASE, reduction_outcome),
        Statement("so a φ for [pq,p,q] taking time T(n) per token factors every s in S_n in time O(n·T(n)) (one sampled "
                  f"continuation of at most 2n + 2 tokens): given {FACTORING_IS_HARD}, no polytime φ for [pq,p,q] exists",
                  Relation.SAME, reduction_outcome),
        Statement(f"{FACTORING_IS_HARD}: {POST_ASSUMPTIONS[FACTORING_IS_HARD]}", Relation.ASSUMPTION, Outcome.ASSUMED),
        Statement(f"cost, n = 1..{top} digits per factor, {samples} seeded s per n: [p,q,pq] spends 1 multiplication per "
                  "product token; at '[s,' trial division takes ≥ 1 + (10^(n−1) − 1)/2 divisions (exact counts); wall "
                  f"times of trial division (n ≤ {trial_top}), sympy (n ≤ {sympy_top}) and flint (n ≤ {top}) beside",
                  Relation.EVIDENCE, cost_outcome),
    )
    evidence = [*lines, *problems]
    evidence.append(
        "headline (machine independent): [p,q,pq] spends 1 multiplication per product token and "
        "about ln(10^n) primality tests per prime (rejection); [pq,p,q]'s exact model must factor s at '[s,': "
        "trial division takes ≥ 1 + (10^(n-1) − 1)/2 divisions for every s in S_n (≥ 9x more per digit)")
    def _time(r: dict[str, object], key: str, name: str) -> str:
        value = r[key]
        return f"{name} {float(str(value)):.2g}s" if value is not None else f"{name} not run (too slow at this n)"

    evidence += [f"n={r['n']}: tests/prime {r['primality_tests_per_prime']}, trial divisions {r['trial_divisions_median']}, "
                 f"{_time(r, 'trial_seconds', 'trial')}, {_time(r, 'sympy_seconds', 'sympy')}, "
                 f"{_time(r, 'flint_seconds', 'flint')}" for r in rows if int(str(r["n"])) in (1, 4, 8, 12, 16, 20)]
    evidence.append("the cost table is a measurement, not the verdict: with a good algorithm (flint) factoring the product "
                    "of two 20-digit primes takes well under a second (measured above); the separation is asymptotic "
                    f"and rests on the hardness assumption {FACTORING_IS_HARD} (timings are medians, noisy)")
    scope = (f"the reduction: every s in S_n for n = 1..{small} (exact continuation laws); cost table: n = 1..{top} digits "
             f"per factor, {samples} seeded random s per n")
    method = (f"Claim 1's reduction on the exact model (F2's check) + the assumption {FACTORING_IS_HARD}; counted trial "
              "divisions beside")
    data = {"F3_cost": rows}
    outcome = Outcome.REFUTED if broken else Outcome.UNKNOWN if problems else Outcome.HOLDS
    return verdict(outcome, scope, method, broken[:10] if broken else evidence,
                   counterexample=broken[0] if broken else None, data=data,
                   statements=statements, rests_on=("F2", FACTORING_IS_HARD))


def check_F3(level: Level) -> Verdict:
    """F3: the [pq,p,q] model has to factor (Claim 1's reduction), so none is polytime if factoring is hard (HOLDS
    given that assumption)."""
    return f3_verdict(level)


def f3_figure(verdict: Verdict, used: Mapping[str, Verdict]) -> Figure | None:
    """F3: operations per token counted (top) and measured seconds to factor (bottom), on the same n."""
    from checkers.report.plots import caveat, integer_x, number, pyplot, rows_of

    rows = sorted(rows_of(verdict, "F3_cost"), key=lambda r: number(r.get("n")) or 0)
    if not rows:
        return None
    plt = pyplot()
    fig, (top, bottom) = plt.subplots(2, 1, figsize=(8, 8.2), sharex=True)
    n = [number(r.get("n")) or 0.0 for r in rows]

    def series(ax: Any, key: str, label: str, style: str, colour: str) -> list[float]:
        pts = [(x, y) for x, r in zip(n, rows) if (y := number(r.get(key))) is not None and y > 0]
        if pts:
            ax.plot([p[0] for p in pts], [p[1] for p in pts], style, label=label, markersize=4, color=colour)
        return [p[0] for p in pts]

    series(top, "multiplications_per_product_token", "[p,q,pq]: multiplications per digit of pq", "o-", "C0")
    series(top, "primality_tests_per_prime", "[p,q,pq]: primality tests per prime (rejection sampling)", "s-", "C4")
    divided = series(top, "trial_divisions_median", "[pq,p,q] at '[s,': trial divisions to factor s (median)", "^-",
                     "C3")
    floor = [1 + (10 ** (int(x) - 1) - 1) // 2 if x > 1 else 1 for x in n]
    top.plot(n, floor, "k--", linewidth=0.8, label="proven floor for trial division: 1 + (10^(n−1) − 1)/2")
    top.set_yscale("log")
    top.set_ylabel("operations for one token (count)")
    top.set_title("F3: work to emit the next token, [p,q,pq] vs [pq,p,q] (counted)", fontsize=10)
    top.legend(fontsize=7, loc="upper left")

    stops: list[str] = []
    for key, label, style, colour in (("trial_seconds", "trial division", "^-", "C3"),
                                      ("sympy_seconds", "sympy factorint", "d-", "C1"),
                                      ("flint_seconds", "FLINT (python-flint) factor", "o-", "C2")):
        xs = series(bottom, key, label, style, colour)
        if xs and max(xs) < max(n):
            stops.append(f"{label} not run beyond n = {int(max(xs))}")
    bottom.set_yscale("log")
    bottom.set_xlabel("n, digits per prime factor")
    bottom.set_ylabel("seconds to factor one s (median)")
    bottom.set_title("measured wall time to factor s = pq on this machine", fontsize=10)
    bottom.legend(fontsize=7, loc="upper left")
    integer_x(bottom)
    flint_last = next((number(r.get("flint_seconds")) for r in reversed(rows) if (number(r.get("flint_seconds")) or 0) > 0),
                      None)
    last = rows[-1]
    divisions = number(last.get("trial_divisions_median"))
    if flint_last and divisions and divided:
        exp = int(math.floor(math.log10(divisions)))
        top.annotate(f"n = {int(max(n))}: ${divisions / 10 ** exp:.1f}\\cdot 10^{{{exp}}}$ trial divisions,\n"
                     f"but FLINT factors it in {flint_last:.2g} s (below)", xy=(max(divided), divisions),
                     xytext=(0.5, 0.16), textcoords="axes fraction",
                     fontsize=8, color="C3", arrowprops={"arrowstyle": "->", "color": "C3"})
    note = ("Caveat: trial division is the naive algorithm. Its count grows 10x per digit, but FLINT factors the same "
            f"n = {int(max(n))} numbers in about {flint_last:.2g} s. " if flint_last else
            "Caveat: trial division is the naive algorithm; good factoring algorithms are far faster. ")
    note += (f"The gap between the two orders is asymptotic and rests on the assumption {FACTORING_IS_HARD}, not on "
             "these curves.")
    if stops:
        note += " Series that stop: " + "; ".join(stops) + " (too slow there)."
    fig.tight_layout(rect=(0, 0.09, 1, 1))
    caveat(fig, note)
    return fig


def _f3_fewer_divisions(level: Level) -> Verdict:
    rows = cost_rows(3, 5, 3, 0)
    for r in rows:
        n = int(str(r["n"]))
        if n > 1 and int(str(r["trial_divisions_min"])) > 10 ** (n - 1) // 4:
            return refuted_by(f"n={n}: trial division needs {r['trial_divisions_min']} divisions > 10^(n-1)/4",
                              "n = 1..3, 5 seeded s per n", "F3's cost_rows (exact division counts)",
                              data={"n": n, "min": str(r["trial_divisions_min"])})
    return refuted_by(None, "n = 1..3", "F3's cost_rows")


def _f3_without_x1(level: Level) -> Verdict:
    """The false statement: F3's verdict still passes when the assumption it rests on (FACTORING_IS_HARD) is
    removed from F3's `uses`.

    The registry's runner is run on F3 with that assumption dropped from its uses; a verdict that rests on it must
    then come back UNKNOWN, naming it. That UNKNOWN is the counterexample to the perturbed statement.
    """
    from checkers.claims import by_id  # the registry imports this module
    from checkers.runner import run_claim

    (claim,) = by_id(["F3"])
    x1 = FACTORING_IS_HARD
    cut = replace(claim, uses=tuple(u for u in claim.uses if u != x1))
    v = run_claim(cut, level).verdict
    data = {"claim": cut.id, "uses": list(cut.uses), "outcome": v.outcome.value, "rests_on": list(v.rests_on_ids),
            "first_evidence": v.evidence[0] if v.evidence else ""}
    problem = (f"{cut.id} with uses {list(cut.uses)} ({x1} removed): the runner's verdict is {v.outcome.value}: "
               f"{v.evidence[0]}") if v.outcome is Outcome.UNKNOWN and v.evidence else None
    return refuted_by(problem, f"{cut.id} at the {level.value} level, {x1} removed from its uses",
                      "the registry's run_claim on the cut claim", data=data)


def _recheck_without_x1(v: Verdict) -> str | None:
    """The cut claim's verdict rests on the assumption, which is not among its uses, and the runner did not let it
    pass."""
    x1 = FACTORING_IS_HARD
    uses, rests_on = v.data["uses"], v.data["rests_on"]
    assert isinstance(uses, list) and isinstance(rests_on, list)
    ok = x1 in rests_on and x1 not in uses and v.data["outcome"] == Outcome.UNKNOWN.value
    return None if ok and x1 in str(v.data["first_evidence"]) else f"the runner's verdict does not name the missing {x1}"


TWINS_F3 = (
    Twin("tightened constant: trial division factors every s in S_n with ≤ 10^(n−1)/4 divisions",
         _f3_fewer_divisions),
    Twin(f"assumption removed from uses: F3's verdict still passes with {FACTORING_IS_HARD} dropped from its uses",
         _f3_without_x1, _recheck_without_x1),
)
"""F3's perturbed twins: exact division counts against a tightened bound; the argument graph without the assumption
it rests on."""


def ceil_half_log10(s: int) -> int:
    """⌈½ log₁₀ s⌉ in integers: the least k ≥ 0 with s ≤ 100^k (s ≥ 1)."""
    require_int(s, "ceil_half_log10: s", least=1)
    k = (len(str(s)) - 1) // 2  # s ≥ 1 has at least one digit, so k ≥ 0
    while (_HUNDREDS[k] if k < len(_HUNDREDS) else 100**k) < s:
        k += 1
    return k


_HUNDREDS = tuple(100**k for k in range(64))  # 100^k for the k that ceil_half_log10 meets most


def floor_half_log10(s: int) -> int:
    """⌊½ log₁₀ s⌋ in integers: the greatest k with 100^k ≤ s (a perturbed footnote, for the failing test)."""
    require_int(s, "floor_half_log10: s", least=1)
    return (len(str(s)) - 1) // 2


def footnote3_problem(n: int, digits_of: Callable[[int], int], pairs: Iterable[tuple[int, int]]) -> str | None:
    """The first pair (p, q) whose s = p·q gives digits_of(s) ≠ n, or None."""
    for p, q in pairs:
        if digits_of(p * q) != n:
            return f"p={p}, q={q}, s={p * q}: formula gives {digits_of(p * q)}, but p and q have {n} digits"
    return None


_F4_SCOPE = {Level.QUICK: (3, 20), Level.STANDARD: (4, 20), Level.DEEP: (4, 40)}


def _all_pairs(n: int) -> Iterable[tuple[int, int]]:
    ps = n_digit_primes(n)
    return ((p, q) for p in ps for q in ps)


def check_F4(level: Level) -> Verdict:
    """Footnote 3: both factors of every s in S_n have n = ⌈½ log₁₀ s⌉ digits (exact integers)."""
    exhaustive, top = _F4_SCOPE[level]
    problems: list[str] = []
    evidence: list[str] = []
    for n in range(1, exhaustive + 1):
        bad = footnote3_problem(n, ceil_half_log10, _all_pairs(n))
        if bad:
            problems.append(bad)
        alt = footnote3_problem(n, lambda s: -(-len(str(s)) // 2), _all_pairs(n)) if n <= 3 else None
        if alt:
            problems.append("⌈digits(s)/2⌉: " + alt)
    evidence.append(f"exhaustive over all ordered pairs for n = 1..{exhaustive} "
                    f"({sum(len(n_digit_primes(n)) ** 2 for n in range(1, exhaustive + 1))} pairs): n = ⌈½ log₁₀ s⌉ "
                    "(as the least k with s ≤ 100^k); also n = ⌈digits(s)/2⌉ for n ≤ 3")
    # k(s) is non-decreasing in s and every s in S_n lies in [p_min², p_max²]: checking both ends covers them all
    for n in range(1, top + 1):
        lo = n_digit_primes(n)[0] if n <= 6 else next_prime(10 ** (n - 1))
        hi = n_digit_primes(n)[-1] if n <= 6 else prev_prime(10**n)
        if n <= 6 and (lo, hi) != (next_prime(10 ** (n - 1)), prev_prime(10**n)):
            problems.append(f"n={n}: sympy's extreme primes disagree with the sieve")
        for s in (lo * lo, hi * hi):
            if ceil_half_log10(s) != n:
                problems.append(f"n={n}: s={s} gives ⌈½ log₁₀ s⌉ = {ceil_half_log10(s)}")
    evidence.append(f"n = 1..{top}: p_min² and p_max² both give n, and k(s) is monotone, so every s in between "
                    "(all of S_n) does; edge cases: s = 10^(2n-2) or 100^n is never p·q with n-digit primes (except 10 = 2·5, "
                    "where ⌈½·1⌉ = 1 holds)")
    scope = f"S_n exhaustively for n ≤ {exhaustive}; all of S_n for n ≤ {top} by monotonicity at the extreme primes"
    method = "exact integer arithmetic: ⌈½ log₁₀ s⌉ = least k with s ≤ 100^k (no floating log)"

    def said(outcome: Outcome) -> tuple[Statement, ...]:
        return (Statement(f"for every s = p·q with p, q n-digit primes, n = 1..{top} (every pair for n ≤ {exhaustive}, the "
                          f"extreme primes and monotonicity beyond): n = ⌈½ log₁₀ s⌉", Relation.SPECIAL_CASE, outcome),)

    if problems:
        return verdict(Outcome.REFUTED, scope, method, problems, counterexample=problems[0],
                       statements=said(Outcome.REFUTED))
    return verdict(Outcome.HOLDS, scope, method, evidence, statements=said(Outcome.HOLDS))


def _f4(digits_of: Callable[[int], int], what: str) -> Verdict:
    for n in (1, 2, 3):
        ps = n_digit_primes(n)
        bad = footnote3_problem(n, digits_of, ((p, q) for p in ps for q in ps))
        if bad:
            return refuted_by(bad, "S_n, n = 1..3, all pairs", f"F4's footnote3_problem: {what}")
    return refuted_by(None, "S_n, n = 1..3", f"F4's footnote3_problem: {what}")


def _f4_floor(level: Level) -> Verdict:
    return _f4(floor_half_log10, "⌊½ log₁₀ s⌋")


def _f4_plus_one(level: Level) -> Verdict:
    return _f4(lambda s: ceil_half_log10(s) + 1, "⌈½ log₁₀ s⌉ + 1")


TWINS_F4 = (
    Twin("floor instead of ceiling: n = ⌊½ log₁₀ s⌋", _f4_floor),
    Twin("off-by-one: n = ⌈½ log₁₀ s⌉ + 1", _f4_plus_one),
)
"""F4's perturbed twins: footnote 3's formula with a floor, and off by one."""


def digit_vars(prefix: str, n: int) -> list[Any]:
    return [z3.Int(f"{prefix}{i}") for i in range(1, n + 1)]


def digit_value(digits: Sequence[Any]) -> Any:
    """The number written by the digits (most significant first): Σ d_i·10^(n-i)."""
    n = len(digits)
    return sum_terms([d * 10 ** (n - 1 - i) for i, d in enumerate(digits)])


def is_prime_term(value: Any, n: int) -> Any:
    """value is an n-digit prime (membership in the sieve's list: the definition of S_n's factors)."""
    return z3.Or([value == p for p in n_digit_primes(n)])


def in_S_n(s: Any, a: Sequence[Any], b: Sequence[Any], n: int) -> Any:
    """The text "[s,a,b]" is in S_n: a and b are n-digit primes and a·b = s (computed by the solver)."""
    return z3.And(is_prime_term(digit_value(a), n), is_prime_term(digit_value(b), n), digit_value(a) * digit_value(b) == s)


def path_vars(name: str, n: int) -> list[Any]:
    """φ's conditionals along a completion a_1..a_n , b_1..b_n ] STOP after "[s,": 2n+3 reals."""
    return [z3.Real(f"{name}{j}") for j in range(2 * n + 3)]


def path_tokens(a: Sequence[Any], b: Sequence[Any]) -> list[Any]:
    """The completion's tokens: digits as z3 Ints, the punctuation and STOP as None (the same on every path)."""
    return [*a, None, *b, None, None]


def same_law(u: Sequence[Any], ta: Sequence[Any], v: Sequence[Any], tb: Sequence[Any]) -> list[Any]:
    """φ has one next-token law per prefix: where two paths share a prefix, equal tokens get equal
    conditionals and distinct tokens conditionals that fit in one law (sum at most 1)."""
    out = []
    same_prefix: list[Any] = []
    for j, (x, y) in enumerate(zip(ta, tb)):
        equal_token = z3.BoolVal(True) if x is None else x == y
        here = z3.And(same_prefix) if same_prefix else z3.BoolVal(True)
        out.append(z3.Implies(here, z3.If(equal_token, u[j] == v[j], u[j] + v[j] <= 1)))
        same_prefix.append(equal_token)
    return out


def product_of(xs: Sequence[Any]) -> Any:
    return reduce(lambda u, w: u * w, xs)


def in_unit_interval(xs: Iterable[Any]) -> list[Any]:
    return [c for x in xs for c in (x >= 0, x <= 1)]


def in_digit_range(ds: Iterable[Any]) -> list[Any]:
    return [c for d in ds for c in (d >= 0, d <= 9)]


def claim1_encoding(n: int, *, corrupt: bool = False) -> tuple[list[Any], Any]:
    """(hypotheses, goal) of Claim 1 for S_n over digit strings.

    A valid tuple "[s,p,q]" (p, q n-digit primes, s = p·q) and any completion "a,b]" of "[s,"
    (a, b n-digit strings); φ's conditionals free on both paths, one law per shared prefix;
    M0 = the φ-mass of "[s," (a product of conditionals, relaxed to any value in [0, 1]).
    Premise: induced = Unif(S_n) on both texts. Goal: a·b ≠ s ⇒ the completion has probability 0.
    `corrupt`: the target's tuple [p0q0,p0,q0] (the two smallest primes) is replaced by [p0q0,p0,q1]
    (q1 the next prime), whose product is wrong.
    """
    n = require_digits(n, most=2)
    primes = n_digit_primes(n)
    N = len(primes) ** 2
    p, q, a, b = (digit_vars(x, n) for x in "pqab")
    s, M0 = z3.Int("s"), z3.Real("M0")
    v, u = path_vars("v", n), path_vars("u", n)

    def target(first: Any, x: Sequence[Any], y: Sequence[Any]) -> Any:
        """Unif(S_n) (or the corrupted target) at the text "[first,x,y]"."""
        member = in_S_n(first, x, y, n)
        if corrupt:
            p0, q0, q1 = primes[0], primes[1], primes[2]
            def is_text(ss: int, xx: int, yy: int) -> Any:
                return z3.And(first == ss, digit_value(x) == xx, digit_value(y) == yy)

            member = z3.Or(z3.And(member, z3.Not(is_text(p0 * q0, p0, q0))), is_text(p0 * q0, p0, q1))
        return z3.If(member, z3.RealVal(Fraction(1, N)), z3.RealVal(0))

    hyps = in_digit_range([*p, *q, *a, *b])
    if corrupt:  # "[s,p,q]" ranges over the corrupted target's tuples
        hyps.append(target(s, p, q) > 0)
    else:
        hyps += [is_prime_term(digit_value(p), n), is_prime_term(digit_value(q), n), s == digit_value(p) * digit_value(q)]
    hyps += in_unit_interval([M0, *v, *u]) + same_law(u, path_tokens(a, b), v, path_tokens(p, q))
    hyps += [M0 * product_of(v) == target(s, p, q), M0 * product_of(u) == target(s, a, b)]
    goal = z3.Implies(digit_value(a) * digit_value(b) != s, product_of(u) == 0)
    return hyps, goal


def _digits_of(model: Mapping[str, Fraction], prefix: str, n: int) -> str:
    return "".join(str(model[f"{prefix}{i}"]) for i in range(1, n + 1))


def prove_claim1(n: int, *, timeout_s: float = 60.0) -> ProofAttempt:
    """Claim 1 for S_n (n = 1, 2): unsat of premise ∧ negated conclusion, by z3 and cvc5."""
    hyps, goal = claim1_encoding(n)
    return smt.prove(hyps, goal, check_counterexample=refutes(hyps, goal), nonlinear=True, timeout_s=timeout_s,
                     name=f"Claim 1 over S_{n}: from [s, every completion a,b] with a*b != s has probability 0")


def refute_claim1_corrupted(n: int = 1) -> tuple[ProofAttempt, str]:
    """The corrupted target must be REFUTED; returns the attempt and the offending prefix, confirmed by spec.

    The confirmation is solver-free: chain_rule of the corrupted target, sampled after the
    offending prefix "[s,", gives the wrong completion positive probability (spec.induced).
    """
    hyps, goal = claim1_encoding(n, corrupt=True)
    attempt = smt.prove(hyps, goal, check_counterexample=refutes(hyps, goal), nonlinear=True,
                        name=f"Claim 1 over a corrupted S_{n}")
    if attempt.counterexample is None:
        return attempt, ""
    model = attempt.counterexample
    prefix = f"[{model['s']},"
    completion = f"{_digits_of(model, 'a', n)},{_digits_of(model, 'b', n)}]"
    primes = n_digit_primes(n)
    texts = [tuple_text(x, y, "pq,p,q") for x in primes for y in primes]
    texts[texts.index(tuple_text(primes[0], primes[1], "pq,p,q"))] = f"[{primes[0] * primes[1]},{primes[0]},{primes[2]}]"
    law = induced(chain_rule(Dist.uniform(texts)), "", max_len=max(map(len, texts)), alphabet=TUPLE_ALPHABET,
                  prefix=prefix)
    return attempt, f"prefix {prefix!r}: completion {completion!r} (a·b ≠ s) has probability {law[prefix + completion]} " \
                    f"under chain_rule(corrupted target) (spec.induced)"


def f2_smt_verdict(level: Level) -> Verdict:
    """F2 (Claim 1), SMT part: over S_1 (quick) and S_1, S_2 (standard, deep), z3 and cvc5 unsat, premises satisfiable."""
    ns = (1,) if level is Level.QUICK else (1, 2)
    obligations = []
    for n in ns:
        hyps, goal = claim1_encoding(n)
        obligations.append(Obligation(f"Claim 1 over S_{n}", tuple(hyps), goal))
    checked = list(zip([f"n = {n}" for n in ns], check_obligations(obligations, name="Claim 1")))
    corrupted, where = refute_claim1_corrupted(1)
    return obligations_verdict(
        checked,
        f"S_n for n in {ns}: every valid tuple [s,p,q] and every completion a,b] of '[s,' with a, b n-digit strings",
        "z3 + cvc5 (logic ALL: Int digits, Real conditionals): premise induced = Unif(S_n) on both texts, "
        "negated conclusion a·b ≠ s with positive probability; products computed from digit values",
        ["text format: spec.tasks.semiprime '[s,a,b]' (decimal); the mass of '[s,' relaxed to [0, 1]",
         "a completion of another form is outside S_n too and is not covered by this encoding",
         f"failing counterpart, S_1 with one corrupted tuple: {corrupted.outcome.value}; {where}"],
        counterpart_ok=corrupted.outcome is Outcome.REFUTED,
        statement=f"for n in {ns}: if φ induces Unif(S_n), every completion a,b] of '[s,' with a·b ≠ s has probability 0",
        relation=Relation.SPECIAL_CASE,
    )


def check_F2(level: Level) -> Verdict:
    """F2 (Claim 1): exhaustively over S_n for small n, and by z3 + cvc5 over the digit strings (the weakest wins)."""
    return combine([f2_exhaustive_verdict(level), f2_smt_verdict(level)])


def _f2_corrupted_target(level: Level) -> Verdict:
    target, s = _corrupted_pq_first(1)
    problems = reduction_problems(chain_rule(target), 1, [s], sampled=False)
    return refuted_by(problems[0] if problems else None, f"s = {s} of S_1",
                      "F2's reduction_problems on the chain rule of a corrupted target")


def _corrupted_pq_first(n: int) -> tuple[Dist[str], int]:
    """Unif(S_n) in the order [pq,p,q] with its first tuple [p0·q0,p0,q0] replaced by [p0·q0,p0,q1]."""
    primes = n_digit_primes(n)
    p0, q0, q1 = primes[0], primes[1], primes[2]
    texts = [tuple_text(p, q, "pq,p,q") for p in primes for q in primes]
    texts[texts.index(tuple_text(p0, q0, "pq,p,q"))] = f"[{p0 * q0},{p0},{q1}]"
    return Dist.uniform(texts), p0 * q0


def _f2_smt_corrupted(level: Level) -> Verdict:
    attempt, confirmation = refute_claim1_corrupted(1)
    v = attempt_verdict(attempt, "S_1 with one corrupted tuple", "F2's SMT encoding (z3 + cvc5)")
    return replace(v, evidence=(*v.evidence, confirmation)) if confirmation else v


TWINS_F2 = (
    Twin("corrupted target: the chain rule of Unif(S_1) with one wrong tuple still factors s", _f2_corrupted_target),
    Twin("corrupted target, SMT encoding of Claim 1", _f2_smt_corrupted),
)
"""F2's perturbed twins: Claim 1's reduction and its SMT encoding on a target with one wrong tuple."""
