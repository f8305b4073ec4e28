"""Bad input, fuzzed: every call of the public API either works or raises a documented SpecError.

The contract under test: a value of the right Python type with bad content (a float weight, a
negative budget, a symbol outside Σ, a prefix of probability 0, a model that returns junk) raises
a subclass of spec.errors.SpecError whose message names the problem; nothing else escapes, and
nothing hangs (every loop is bounded by max_len, a flip budget or a seed). Where an oracle for
"valid" is easy, the test asserts exactly when the call must work. The CLI's bad arguments end
in argparse's documented SystemExit(2) with a message on stderr.

Known gaps (inputs of the wrong Python type that slip through or escape as another exception)
are pinned by strict xfails at the end, each naming the change that closes it.
"""

from __future__ import annotations

import signal
import subprocess
import sys
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import TypeVar

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import checkers.__main__ as cli
import strategies
from checkers.audit.cli import read_samples
from checkers.audit.samples import MalformedSamples, as_alpha, audit
from checkers.claims import Claim
from checkers.factoring import factor_with
from checkers.verdict import Level, Outcome, Verdict
from spec import (
    STOP,
    Coins,
    Dist,
    InvalidArgument,
    InvalidDistribution,
    InvalidModel,
    InvalidText,
    NonTerminating,
    SeedExhausted,
    SpecError,
    ZeroMass,
    alphabet,
    chain_rule,
    derandomize,
    enumerate_runs,
    induced,
    induced_public,
    overlap,
    require_text,
    tvd,
    with_hidden_tokens,
    with_random_seed,
)
from spec.models import TableAlgorithm
from spec.tasks.det_prime import det_prime
from spec.tasks.mystery import mystery
from spec.tasks.polynomial import parse_coefficients, polynomial
from spec.tasks.primes import is_n_digit_prime, n_digit_primes
from spec.tasks.random_prime import random_prime
from spec.tasks.semiprime import parse_tuple, semiprime_triple
from spec.tasks.sudoku import solve, sudoku
from spec.tasks.uniform_number import uniform_number

T = TypeVar("T")

# ---- harness ----------------------------------------------------------------------------------


@contextmanager
def within(seconds: int) -> Iterator[None]:
    """Fail (instead of hanging) when the block runs longer than `seconds` of wall time."""

    def expired(signum: int, frame: object) -> None:
        raise AssertionError(f"hung: no answer within {seconds} s")

    old = signal.signal(signal.SIGALRM, expired)
    # re-fire every 0.5 s: an alarm landing in a gc callback is swallowed, the next one is not
    signal.setitimer(signal.ITIMER_REAL, seconds, 0.5)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


def attempt(call: Callable[[], T], *allowed: type[SpecError]) -> T | SpecError:
    """call()'s value, or the SpecError it raised (of an allowed kind, with a message); anything else fails."""
    kinds = allowed or (SpecError,)
    with within(20):
        try:
            return call()
        except SpecError as e:
            assert isinstance(e, kinds), f"{type(e).__name__} ({e}) is not one of {[k.__name__ for k in kinds]}"
            assert str(e).strip(), f"{type(e).__name__} raised without a message"
            return e


def raises(call: Callable[[], object], kind: type[SpecError], *words: str) -> SpecError:
    """call() must raise `kind` with a message naming each of `words`."""
    got = attempt(call, kind)
    assert isinstance(got, kind), f"expected {kind.__name__}, got the value {got!r}"
    for w in words:
        assert w in str(got), f"message {str(got)!r} does not name {w!r}"
    return got


# ---- bad values of every kind ------------------------------------------------------------------

exact_weights = st.one_of(st.integers(-3, 5), st.fractions(min_value=-2, max_value=3, max_denominator=6))
inexact_weights = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.decimals(allow_nan=False, places=2, min_value=-2, max_value=2),
    st.complex_numbers(max_magnitude=2),
    st.text(max_size=2),
    st.none(),
)
any_weights = st.one_of(exact_weights, exact_weights, inexact_weights)
keys = st.one_of(st.text(max_size=2), st.integers(-2, 5))
non_mappings = st.one_of(
    st.lists(st.integers()), st.text(), st.integers(), st.none(), st.tuples(st.integers()), st.sets(st.integers())
)
bad_sizes = st.one_of(
    st.integers(-5, -1), st.floats(allow_nan=True), st.booleans(), st.none(), st.text(max_size=2),
    st.just(Fraction(1, 2)), st.just(Decimal(1)),
)
sizes = st.one_of(st.integers(0, 4), bad_sizes)


def exact(w: object) -> bool:
    """The weight types Dist accepts: int and Fraction, but not bool."""
    return isinstance(w, (int, Fraction)) and not isinstance(w, bool)


def valid_size(n: object, lo: int = 0) -> bool:
    return isinstance(n, int) and not isinstance(n, bool) and n >= lo


# ---- Dist constructors -------------------------------------------------------------------------


def exact_weights_of(weights: dict[object, object]) -> list[Fraction] | None:
    """The weights as Fractions when every one is exact and non-negative; else None."""
    if not all(exact(w) for w in weights.values()):
        return None
    ws = [Fraction(w) for w in weights.values() if isinstance(w, (int, Fraction))]
    return ws if all(w >= 0 for w in ws) else None


@given(st.dictionaries(keys, any_weights, max_size=4))
def test_Dist_works_exactly_on_exact_nonnegative_weights_summing_to_one(weights: dict[object, object]) -> None:
    ws = exact_weights_of(weights)
    ok = ws is not None and sum(ws) == 1
    got = attempt(lambda: Dist(weights), InvalidDistribution)  # type: ignore[arg-type]
    assert isinstance(got, Dist) == ok, (weights, got)
    if isinstance(got, Dist):
        assert all(got[x] == w for x, w in weights.items())


@given(st.dictionaries(keys, any_weights, max_size=4))
def test_from_weights_works_exactly_on_exact_nonnegative_weights_with_positive_total(
    weights: dict[object, object],
) -> None:
    ws = exact_weights_of(weights)
    ok = ws is not None and sum(ws) > 0
    got = attempt(lambda: Dist.from_weights(weights), InvalidDistribution)  # type: ignore[arg-type]
    assert isinstance(got, Dist) == ok, (weights, got)
    if isinstance(got, Dist) and ws is not None:
        assert [got[x] for x in weights] == [w / sum(ws) for w in ws]


@given(non_mappings)
def test_Dist_constructors_refuse_non_mappings_naming_the_type(junk: object) -> None:
    raises(lambda: Dist(junk), InvalidDistribution, "mapping", type(junk).__name__)  # type: ignore[arg-type]
    raises(lambda: Dist.from_weights(junk), InvalidDistribution, "mapping")  # type: ignore[arg-type]


@given(st.lists(keys, max_size=5))
def test_uniform_works_exactly_on_distinct_nonempty_items(items: list[Hashable]) -> None:
    ok = bool(items) and len(set(items)) == len(items)
    got = attempt(lambda: Dist.uniform(items), InvalidDistribution)
    assert isinstance(got, Dist) == ok
    if isinstance(got, Dist):
        assert all(got[x] == Fraction(1, len(items)) for x in items)


def test_condition_on_an_event_of_probability_zero_is_ZeroMass() -> None:
    raises(lambda: Dist.uniform("ab").condition(lambda x: x == "c"), ZeroMass, "probability 0")


def test_bind_with_a_kernel_that_is_not_a_Dist_is_refused() -> None:
    raises(lambda: Dist.point(1).bind(lambda x: {x: 1}), InvalidDistribution, "dict")  # type: ignore[arg-type,return-value]


# ---- alphabets and texts -----------------------------------------------------------------------


@given(st.lists(st.one_of(st.text(max_size=2), st.integers(0, 3)), max_size=4))
def test_alphabet_works_exactly_on_distinct_one_character_symbols(symbols: list[object]) -> None:
    ok = bool(symbols) and all(isinstance(s, str) and len(s) == 1 for s in symbols) and len(set(symbols)) == len(symbols)
    got = attempt(lambda: alphabet(symbols), InvalidText)  # type: ignore[arg-type]
    assert isinstance(got, frozenset) == ok


@given(st.one_of(st.text(max_size=4), st.integers(), st.none(), st.binary(max_size=2)))
def test_require_text_refuses_non_texts_and_foreign_symbols_naming_the_position(text: object) -> None:
    sigma = alphabet("ab")
    got = attempt(lambda: require_text(text, sigma), InvalidText)  # type: ignore[arg-type]
    ok = isinstance(text, str) and set(text) <= sigma
    assert (got == text) == ok
    if not ok and isinstance(text, str):
        assert "position" in str(got)


# ---- induced, with bad models, budgets and prefixes -------------------------------------------

# A misbehaving model is a table from prefix to one of these answers (missing prefixes stop).
ANSWERS: dict[str, object] = {
    "stop": Dist.point(STOP),
    "a-or-stop": Dist.from_weights({"a": 1, STOP: 1}),
    "a-forever": Dist.point("a"),
    "foreign symbol": Dist.from_weights({"z": 1, STOP: 1}),
    "two-character token": Dist.point("ab"),
    "int token": Dist.point(7),
    "None": None,
    "a dict": {STOP: Fraction(1)},
    "a float law": 0.5,
}
GOOD = {"stop", "a-or-stop", "a-forever"}
models = st.dictionaries(st.sampled_from(["", "a", "aa", "b"]), st.sampled_from(sorted(ANSWERS)), max_size=4)
prefixes = st.one_of(st.sampled_from(["", "a", "b", "z", "aa"]), st.integers(0, 3), st.none())


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(models, sizes, prefixes, st.booleans())
def test_induced_either_returns_a_law_on_texts_or_raises_a_SpecError(
    table: dict[str, str], max_len: object, prefix: object, with_alphabet: bool
) -> None:
    def phi(prompt: str, x: str) -> Dist[str]:
        return ANSWERS[table.get(x, "stop")]  # type: ignore[return-value]

    sigma = alphabet("ab") if with_alphabet else None
    got = attempt(lambda: induced(phi, "", max_len=max_len, alphabet=sigma, prefix=prefix))  # type: ignore[arg-type]
    if not valid_size(max_len):
        assert isinstance(got, InvalidArgument) and "max_len" in str(got)
    if isinstance(got, Dist):
        assert sum(p for _, p in got.items()) == 1
        assert isinstance(prefix, str) or sigma is None  # with Σ, a non-text prefix is refused
        if isinstance(prefix, str):
            assert all(isinstance(x, str) and x.startswith(prefix) for x in got.support)
    if isinstance(got, NonTerminating):
        assert 0 < got.mass <= 1


@given(st.integers(0, 6))
def test_induced_of_a_model_that_never_stops_reports_all_its_mass(max_len: int) -> None:
    got = raises(lambda: induced(lambda p, x: Dist.point("a"), "", max_len=max_len), NonTerminating, "max_len")
    assert isinstance(got, NonTerminating) and got.mass == 1


# ---- enumerate_runs: budgets, runaway loops, bad choices ---------------------------------------


def forever(coins: Coins) -> int:
    """A run that flips coins without end (its mass must land in the residual)."""
    n = 0
    while True:
        n += coins.randbelow(2)


def reject_all(coins: Coins) -> int:
    return coins.until(lambda c: c.randbelow(3), lambda x: False)


def reject_without_flips(coins: Coins) -> int:
    return coins.until(lambda c: 0, lambda x: False)


def geometric(coins: Coins) -> int:
    return coins.until(lambda c: c.randbelow(2), lambda x: x == 1) + coins.randbelow(2)


RANDOMIZED: dict[str, Callable[[Coins], object]] = {
    "forever": forever,
    "reject all": reject_all,
    "reject without flips": reject_without_flips,
    "geometric": geometric,
    "randbelow(0)": lambda c: c.randbelow(0),
    "randbelow(-1)": lambda c: c.randbelow(-1),
    "randbelow(True)": lambda c: c.randbelow(True),
    "randbelow(2.0)": lambda c: c.randbelow(2.0),  # type: ignore[arg-type]
    "three dice": lambda c: c.randbelow(6) + c.randbelow(6) + c.randbelow(6),
}
BAD_CHOICE = {"randbelow(0)", "randbelow(-1)", "randbelow(True)", "randbelow(2.0)"}


@given(st.sampled_from(sorted(RANDOMIZED)), st.one_of(st.integers(0, 12), bad_sizes))
def test_enumerate_runs_accounts_for_every_run_or_raises_InvalidArgument(name: str, budget: object) -> None:
    got = attempt(lambda: enumerate_runs(RANDOMIZED[name], budget), InvalidArgument)  # type: ignore[arg-type]
    if not valid_size(budget) or name in BAD_CHOICE:
        assert isinstance(got, InvalidArgument)
        return
    assert not isinstance(got, SpecError)
    assert sum(got.mass.values(), Fraction(0)) + got.residual == 1  # nothing dropped
    law = attempt(got.dist, NonTerminating)
    assert isinstance(law, NonTerminating) == (got.residual > 0)
    if isinstance(law, NonTerminating):
        assert law.mass == got.residual


# ---- chain_rule, derandomize and the two escapes ----------------------------------------------

targets = st.one_of(
    st.dictionaries(st.text("ab", max_size=3), st.integers(1, 3), min_size=1, max_size=4).map(Dist.from_weights),
    st.dictionaries(st.integers(0, 9), st.integers(1, 3), min_size=1, max_size=3).map(Dist.from_weights),
    non_mappings,
    st.dictionaries(st.text("ab", max_size=2), st.just(Fraction(1, 2)), min_size=2, max_size=2),
)


@given(targets, st.text("abc", max_size=3))
def test_chain_rule_refuses_non_laws_and_non_texts_and_prefixes_of_mass_zero(target: object, prefix: str) -> None:
    phi = attempt(lambda: chain_rule(target))  # type: ignore[arg-type]
    if not isinstance(target, Dist):
        assert isinstance(phi, InvalidModel) and "Dist" in str(phi)
        return
    if not all(isinstance(x, str) for x in target.support):
        assert isinstance(phi, InvalidText) and "not a text" in str(phi)
        return
    assert not isinstance(phi, SpecError)
    got = attempt(lambda: phi("", prefix), ZeroMass)
    reachable = any(x.startswith(prefix) for x in target.support)
    assert isinstance(got, Dist) == reachable
    if isinstance(got, ZeroMass):
        assert repr(prefix) in str(got)


@given(st.one_of(st.integers(0, 3), bad_sizes), st.sampled_from(["ok", "None", "three flips"]))
def test_derandomize_refuses_bad_budgets_junk_laws_and_reports_runs_over_budget(budget: object, kind: str) -> None:
    def phi_r(prompt: str, x: str, coins: Coins) -> Dist[str]:
        if kind == "None":
            return None  # type: ignore[return-value]
        if kind == "three flips":
            coins.randbelow(2), coins.randbelow(2), coins.randbelow(2)
        return Dist.point(STOP)

    gamma = attempt(lambda: derandomize(phi_r, max_flips=budget))  # type: ignore[arg-type]
    if not valid_size(budget):
        assert isinstance(gamma, InvalidArgument) and "max_flips" in str(gamma)
        return
    assert not isinstance(gamma, SpecError)
    got = attempt(lambda: gamma("", ""))
    if kind == "None":
        assert isinstance(got, InvalidModel) and "NoneType" in str(got)
    elif kind == "three flips" and budget < 3:  # type: ignore[operator]
        assert isinstance(got, NonTerminating) and got.mass == 1
    else:
        assert got == Dist.point(STOP)


def coin_text(prompt: str, coins: Coins) -> str:
    return "ab"[coins.randbelow(2)]


@given(st.one_of(st.integers(0, 5), bad_sizes), st.one_of(st.integers(-2, 5), bad_sizes))
def test_with_random_seed_refuses_bad_seed_spaces_and_seeds(space: object, seed: object) -> None:
    model = attempt(lambda: with_random_seed(coin_text, seed_space=space))  # type: ignore[arg-type]
    if not valid_size(space, lo=1):
        assert isinstance(model, InvalidArgument) and "seed_space" in str(model)
        return
    assert not isinstance(model, SpecError)
    prompt = attempt(lambda: model.seeded_prompt("", seed))  # type: ignore[arg-type]
    if not (valid_size(seed) and seed < space):  # type: ignore[operator]
        assert isinstance(prompt, InvalidArgument) and "seed" in str(prompt)
        return
    assert isinstance(prompt, str)
    law = attempt(lambda: induced(model, prompt, max_len=2))
    if space == 1:  # one seed cannot pay for a choice among two
        assert isinstance(law, SeedExhausted)
    else:
        assert isinstance(law, Dist) and len(law.support) == 1  # deterministic decoding


@given(st.sampled_from(["no header", "[seed 0 of 9]", "[seed x of 2]", "seed 0 of 2"]))
def test_with_random_seed_refuses_prompts_without_its_header(prompt: str) -> None:
    raises(lambda: with_random_seed(coin_text, seed_space=2)(prompt, ""), InvalidText, "seed header")


def test_with_random_seed_names_unreachable_prefixes_and_non_text_outputs() -> None:
    model = with_random_seed(coin_text, seed_space=2)
    raises(lambda: model(model.seeded_prompt("", 0), "z"), ZeroMass, "'z'")
    junk = with_random_seed(lambda p, c: 3, seed_space=1)  # type: ignore[arg-type]
    raises(lambda: junk.output("", 0), InvalidModel, "int")


@given(st.sampled_from(["ok", "None", "huge choice"]), st.one_of(st.integers(0, 4), bad_sizes))
def test_with_hidden_tokens_refuses_junk_algorithms_and_bad_budgets(kind: str, max_len: object) -> None:
    def algo(prompt: str, coins: Coins) -> str:
        if kind == "huge choice":
            coins.randbelow(0x110001)
        if kind == "None":
            return None  # type: ignore[return-value]
        return "ab"[coins.randbelow(2)]

    got = attempt(lambda: induced_public(with_hidden_tokens(algo), "", max_len=max_len))  # type: ignore[arg-type]
    if not valid_size(max_len):
        assert isinstance(got, InvalidArgument)
    elif kind == "huge choice":
        assert isinstance(got, InvalidArgument) and "hidden symbol" in str(got)
    elif kind == "None":  # it flips no coin: the first call already shows the junk
        assert isinstance(got, InvalidModel) and "NoneType" in str(got)
    elif max_len < 2:  # type: ignore[operator]
        assert isinstance(got, NonTerminating)  # one hidden flip plus one public symbol
    else:
        assert got == Dist.uniform("ab")


def test_with_hidden_tokens_names_an_unreachable_public_text() -> None:
    raises(lambda: with_hidden_tokens(coin_text)("", "z", "\x00"), ZeroMass, "'z'")


def test_table_algorithm_that_can_output_nothing_is_refused() -> None:
    raises(lambda: TableAlgorithm(alphabet("a"), ("a",), frozenset({"a"})), InvalidModel, "no text")
    raises(lambda: TableAlgorithm(alphabet("a"), ()), InvalidModel, "no text")


# ---- strategies validate their arguments eagerly -------------------------------------------------

AB = alphabet("ab")
STRATEGY_CALLS: dict[str, Callable[[object], object]] = {
    "alphabets(min_size=)": lambda v: strategies.alphabets(min_size=v),  # type: ignore[arg-type]
    "alphabets(max_size=)": lambda v: strategies.alphabets(max_size=v),  # type: ignore[arg-type]
    "texts(max_len=)": lambda v: strategies.texts(AB, max_len=v),  # type: ignore[arg-type]
    "weight_maps(max_weight=)": lambda v: strategies.weight_maps(st.integers(), max_weight=v),  # type: ignore[arg-type]
    "weight_maps(min_size=)": lambda v: strategies.weight_maps(st.integers(), min_size=v),  # type: ignore[arg-type]
    "ar_models(max_len=)": lambda v: strategies.ar_models(max_len=v),  # type: ignore[arg-type]
    "randomized_ar_models(max_laws=)": lambda v: strategies.randomized_ar_models(max_laws=v),  # type: ignore[arg-type]
    "text_to_text_algorithms(max_texts=)": lambda v: strategies.text_to_text_algorithms(max_texts=v),  # type: ignore[arg-type]
    "mixtures(n)": lambda v: strategies.mixtures(v),  # type: ignore[arg-type]
    "success_profiles(n)": lambda v: strategies.success_profiles(v),  # type: ignore[arg-type]
    "appendix_instances(max_n=)": lambda v: strategies.appendix_instances(max_n=v),  # type: ignore[arg-type]
}
# the valid range of each argument above (the other arguments at their defaults)
STRATEGY_RANGE: dict[str, tuple[int, int | None]] = {name: (0 if "max_len" in name else 1, None) for name in STRATEGY_CALLS}
STRATEGY_RANGE |= {"alphabets(min_size=)": (1, 3), "alphabets(max_size=)": (1, len(strategies.SYMBOLS)),
                   "weight_maps(min_size=)": (1, 5)}


@given(st.sampled_from(sorted(STRATEGY_CALLS)), sizes)
def test_strategies_refuse_bad_arguments_when_called_not_when_drawn(name: str, value: object) -> None:
    got = attempt(lambda: STRATEGY_CALLS[name](value), InvalidArgument)
    lo, hi = STRATEGY_RANGE[name]
    ok = valid_size(value, lo) and (hi is None or (isinstance(value, int) and value <= hi))
    assert isinstance(got, InvalidArgument) == (not ok), (name, value, got)


@pytest.mark.parametrize("sigma", [frozenset(), frozenset({"ab"}), "", frozenset({1})])
def test_strategies_refuse_bad_alphabets(sigma: object) -> None:
    raises(lambda: strategies.texts(sigma), InvalidText)  # type: ignore[arg-type]
    raises(lambda: strategies.next_token_dists(sigma), InvalidText)  # type: ignore[arg-type]


def test_alphabets_refuse_more_symbols_than_the_pool() -> None:
    raises(lambda: strategies.alphabets(max_size=len(strategies.SYMBOLS) + 1), InvalidArgument, "max_size")


# ---- the CLI: bad arguments end in SystemExit(2) with a message ---------------------------------


def fast_holds(level: Level) -> Verdict:
    return Verdict(Outcome.HOLDS, scope=f"fake at {level.value}", method="fake")


FAKE = (Claim("S1", "test", "a fake claim", "fake", Outcome.HOLDS, fast_holds),)

CLI_WORDS = st.sampled_from(
    ["--level", "quick", "standard", "deep", "bogus", "QUICK", "--only", "S1", "s1", "Z9", "--list", "--quiet",
     "--json", "--markdown", "--plots", "--bogus", "-x", "", "audit-not", "--level=deep", "--only=S1",
     "--jobs", "1", "2", "0", "-3"]
)


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(argv=st.lists(CLI_WORDS, max_size=5))
def test_cli_either_runs_or_exits_2_with_a_message(
    argv: list[str], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    monkeypatch.setattr(cli, "CLAIMS", FAKE)
    monkeypatch.setattr("checkers.claims.CLAIMS", FAKE)
    # paths go to a scratch directory, never the working tree
    argv = [str(tmp_path / f"out{i}") if i and argv[i - 1] in ("--json", "--markdown", "--plots") else a
            for i, a in enumerate(argv)]
    try:
        with within(20):
            status = cli.main(argv)
    except SystemExit as e:
        assert e.code == 2, (argv, e.code)
        err = capsys.readouterr().err
        assert "error:" in err, (argv, err)
        return
    assert status in (0, 1)


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        (["--level", "bogus"], ["--level", "invalid choice", "bogus"]),
        (["--only", "Z9"], ["unknown claim id", "Z9"]),
        (["--plots", "p"], ["--plots needs --markdown"]),
        (["--bogus"], ["unrecognized arguments", "--bogus"]),
        (["--json"], ["--json", "expected one argument"]),
        (["--jobs", "0"], ["--jobs must be at least 1, got 0"]),
        (["--jobs", "x"], ["--jobs", "invalid int value"]),
    ],
)
def test_cli_bad_arguments_exit_2_naming_the_problem(
    argv: list[str], words: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as e:
        cli.main(argv)
    assert e.value.code == 2
    err = capsys.readouterr().err
    for w in words:
        assert w in err, (w, err)


# ---- the tasks: sizes, orders, texts ------------------------------------------------------------

TASK_CALLS: dict[str, Callable[[object], object]] = {
    "uniform_number(digits)": lambda v: uniform_number(v),  # type: ignore[arg-type]
    "random_prime(n)": lambda v: random_prime(v),  # type: ignore[arg-type]
    "det_prime(n, 0)": lambda v: det_prime(v, 0),  # type: ignore[arg-type]
    "det_prime(3, m)": lambda v: det_prime(3, v),  # type: ignore[arg-type]
    "semiprime_triple(n)": lambda v: semiprime_triple(v),  # type: ignore[arg-type]
    "semiprime_triple(n).target()": lambda v: semiprime_triple(v).target(),  # type: ignore[arg-type]
    "polynomial(n, 2)": lambda v: polynomial(v, 2),  # type: ignore[arg-type]
    "polynomial(2, R)": lambda v: polynomial(2, v),  # type: ignore[arg-type]
    "mystery(m, 2)": lambda v: mystery(v, 2),  # type: ignore[arg-type]
    "mystery(3, clues)": lambda v: mystery(3, v),  # type: ignore[arg-type]
    "mystery(3, 2, symbols=)": lambda v: mystery(3, 2, symbols=v),  # type: ignore[arg-type]
    "sudoku([cell])": lambda v: sudoku([v]),  # type: ignore[list-item]
    "n_digit_primes(n)": lambda v: n_digit_primes(v),
}
task_sizes = st.one_of(st.integers(-3, 5), st.sampled_from([9, 17, 10**6]), bad_sizes)


@given(st.sampled_from(sorted(TASK_CALLS)), task_sizes)
def test_task_constructors_work_or_raise_InvalidArgument_naming_the_argument(name: str, value: object) -> None:
    if name == "mystery(3, clues)" and isinstance(value, int) and value > 100:
        return  # see test_gap_mystery_with_a_huge_number_of_clues
    got = attempt(lambda: TASK_CALLS[name](value), InvalidArgument)
    if not isinstance(value, int) or isinstance(value, bool):
        assert isinstance(got, InvalidArgument), (name, value, got)
        assert repr(value) in str(got) or type(value).__name__ in str(got), str(got)


@given(st.sampled_from(["p,q,pq", "pq,p,q"]), st.one_of(st.text("[],0123456789", max_size=12), st.integers(), st.none()))
def test_semiprime_texts_parse_or_raise_InvalidText(order: str, text: object) -> None:
    got = attempt(lambda: parse_tuple(text, order, 1), InvalidText)  # type: ignore[arg-type]
    if not isinstance(got, SpecError):
        p, q, s = got
        assert p * q == s and is_n_digit_prime(p, 1) and is_n_digit_prime(q, 1)


@given(st.one_of(st.text("12345.", max_size=17), st.integers(), st.none()))
def test_sudoku_solve_works_or_raises_a_SpecError(puzzle: object) -> None:
    got = attempt(lambda: solve(puzzle))  # type: ignore[arg-type]
    if isinstance(got, str):
        assert len(got) == 16 and set(got) <= set("1234")


@given(st.one_of(st.text("0123456789-,", max_size=8), st.integers()), st.integers(-1, 4))
def test_polynomial_coefficients_parse_or_raise_a_SpecError(text: object, n: int) -> None:
    attempt(lambda: parse_coefficients(text, n))  # type: ignore[arg-type]


# ---- factor_with (Claim 1's reduction) -----------------------------------------------------------

PQ1 = semiprime_triple(1, "pq,p,q")
SEMIPRIMES_1 = {p * q for p in n_digit_primes(1) for q in n_digit_primes(1)}


@given(st.one_of(st.integers(-5, 60), st.sampled_from([10**30]), bad_sizes), st.one_of(st.just(1), sizes))
def test_factor_with_factors_every_semiprime_and_refuses_the_rest(s: object, n: object) -> None:
    got = attempt(lambda: factor_with(PQ1.phi, s, n))  # type: ignore[arg-type]
    if not (valid_size(s, lo=1) and valid_size(n, lo=1)):
        assert isinstance(got, InvalidArgument), (s, n, got)
    elif n == 1:
        assert isinstance(got, tuple) == (s in SEMIPRIMES_1), (s, got)
        if isinstance(got, tuple):
            a, b = got
            assert a * b == s
        else:
            assert isinstance(got, ZeroMass) and str(s) in str(got)


@given(st.sampled_from(["None", "foreign symbol", "never stops", "wrong factors"]))
def test_factor_with_a_broken_model_raises_a_SpecError_or_is_caught(kind: str) -> None:
    def phi(prompt: str, prefix: str) -> Dist[str]:
        if kind == "None":
            return None  # type: ignore[return-value]
        if kind == "foreign symbol":
            return Dist.point("x")
        if kind == "never stops":
            return Dist.point("1")
        rest = prefix[len("[6,"):]  # "wrong factors": writes 1,6] after [6,
        return Dist.point("1,6]"[len(rest)]) if len(rest) < 4 else Dist.point(STOP)

    got = attempt(lambda: factor_with(phi, 6, 1))
    if kind == "wrong factors":
        assert isinstance(got, InvalidText) or got == (1, 6)  # parsed, and caught by the reduction's checks
    else:
        assert isinstance(got, SpecError)


# ---- the audit: its reader, its alpha, its CLI ---------------------------------------------------

SUPPORT = frozenset(str(x) for x in range(10, 100))


@given(st.text(st.sampled_from("0123456789 \n\tx"), max_size=30), st.booleans())
def test_read_samples_keeps_answers_or_names_the_bad_lines(text: str, outside: bool) -> None:
    got = attempt(lambda: read_samples(text, SUPPORT, outside_support=outside), MalformedSamples)
    lines = [line.strip() for line in text.splitlines()]
    bad = [i for i, x in enumerate(lines, start=1) if x and x not in SUPPORT]  # blank lines are skipped
    assert isinstance(got, MalformedSamples) == (bool(bad) and not outside)
    if isinstance(got, MalformedSamples):
        assert f"line {bad[0]}:" in str(got)
    else:
        assert got == [x for x in lines if x]


@given(st.one_of(st.sampled_from(["0.05", "1/20", "0", "1", "-0.1", "nan", "inf", "abc", "", "1e-3", "0.5"]),
                 st.floats(), st.fractions(), st.integers(-1, 2), st.none(), st.booleans()))
def test_alpha_is_exact_and_strictly_between_0_and_1(alpha: object) -> None:
    got = attempt(lambda: as_alpha(alpha), InvalidArgument)
    if isinstance(got, Fraction):
        assert 0 < got < 1 and not isinstance(alpha, (float, bool))


@given(st.one_of(st.lists(st.text("0123", max_size=2), max_size=4), st.lists(st.integers(), min_size=1, max_size=2),
                 st.text(max_size=3)))
def test_audit_refuses_samples_that_are_not_a_list_of_answers(samples: object) -> None:
    target = Dist.uniform(["1", "2", "3"])
    got = attempt(lambda: audit(samples, target), InvalidArgument)  # type: ignore[arg-type]
    ok = isinstance(samples, list) and bool(samples) and all(isinstance(x, str) for x in samples)
    assert isinstance(got, InvalidArgument) != ok


AUDIT_FILES = {"good": "10\n11\n97\n", "junk": "10\nxyz\n", "empty": "", "binary": None, "missing": None}


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture], max_examples=25)
@given(
    task=st.sampled_from(["uniform-number", "random-prime", "semiprime", "bogus"]),
    digits=st.sampled_from(["1", "2", "0", "-1", "x", "9", "99"]),
    samples=st.sampled_from(sorted(AUDIT_FILES) + [None]),
    alpha=st.sampled_from([None, "0.05", "1/20", "0", "2", "abc"]),
    flags=st.lists(st.sampled_from(["--outside-support", "--bogus", "--json"]), max_size=2, unique=True),
)
def test_audit_cli_returns_0_1_or_2_with_a_message_and_never_raises(
    task: str, digits: str, samples: str | None, alpha: str | None, flags: list[str],
    tmp_path: Path, capsys: pytest.CaptureFixture[str],
) -> None:
    argv = ["audit", "--task", task, "--digits", digits]
    if samples is not None:
        path = tmp_path / f"{samples}.txt"
        if samples == "binary":
            path.write_bytes(b"\xff\xfe\x00")
        elif samples != "missing":
            path.write_text(AUDIT_FILES[samples] or "")
        argv += ["--samples", str(path)]
    if alpha is not None:
        argv += ["--alpha", alpha]
    for f in flags:
        argv += [f, str(tmp_path / "audit.json")] if f == "--json" else [f]
    with within(20):
        status = cli.main(argv)
    assert status in (0, 1, 2), (argv, status)
    err = capsys.readouterr().err
    if status == 2:
        assert err.strip(), argv
    else:
        assert task != "bogus" and samples in ("good", "junk", "empty") and digits in ("1", "2")


# ---- gaps the fuzzing found, now closed: wrong Python types get the suite's typed errors -------


@pytest.mark.parametrize("f", [tvd, overlap])
def test_tvd_and_overlap_of_a_non_Dist_is_invalid_distribution(f: Callable[[Dist[int], Dist[int]], Fraction]) -> None:
    with pytest.raises(InvalidDistribution, match="second argument is a dict, not a Dist"):
        f(Dist.point(1), {1: 1})  # type: ignore[arg-type]


def test_induced_without_alphabet_refuses_a_non_text_prefix() -> None:
    got = attempt(lambda: induced(lambda p, x: Dist.point(STOP), "", max_len=1, prefix=3))  # type: ignore[arg-type]
    assert isinstance(got, InvalidText) and "prefix must be a text" in str(got)


def test_uniform_of_a_non_iterable_is_invalid_distribution() -> None:
    with pytest.raises(InvalidDistribution, match="items must be iterable, got int"):
        Dist.uniform(5)  # type: ignore[arg-type]


def test_alphabet_of_a_non_iterable_is_invalid_text() -> None:
    with pytest.raises(InvalidText, match="must be an iterable"):
        alphabet(5)  # type: ignore[arg-type]


def test_sudoku_with_an_int_mask_is_invalid_argument() -> None:
    with pytest.raises(InvalidArgument, match="erasable must be an iterable"):
        sudoku(7)  # type: ignore[arg-type]


def test_mystery_with_a_huge_number_of_clues_is_refused_at_once() -> None:
    code = (
        "from spec.tasks.mystery import mystery\nfrom spec.errors import InvalidArgument\n"
        "try:\n    mystery(3, 10**6)\nexcept InvalidArgument as e:\n    print('refused:', e)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], timeout=30, check=True, capture_output=True, text=True)
    assert "refused: mystery: clues must be an int in 0..64" in out.stdout


def test_unknown_audit_task_is_invalid_argument() -> None:
    from checkers.audit.cli import task_target

    with pytest.raises(InvalidArgument, match="unknown task 'bogus'"):
        task_target("bogus")
