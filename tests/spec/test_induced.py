"""S1: autoregressive sampling of φ induces an exact law on Σ*; bad models and texts are refused; a hidden-token
model's two streams have an exact joint law."""

from __future__ import annotations

import random
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from checkers.foundation import naive_induced
from spec import (
    STOP,
    Alphabet,
    Autoregressive,
    Dist,
    InvalidArgument,
    InvalidDistribution,
    InvalidModel,
    InvalidText,
    Move,
    NonTerminating,
    alphabet,
    induced,
    induced_hidden,
    induced_public,
    require_law,
    require_text,
    sample,
)
from spec.models import TableModel, prefixes_upto
from strategies import alphabets, ar_models, next_token_dists

AB = alphabet("ab")
HALF = Dist.from_weights({"a": 1, STOP: 1})


def total(d: Dist[str]) -> Fraction:
    """Σ_x P(x), summed afresh in Fractions."""
    return sum((p for _, p in d.items()), Fraction(0))


def geometric(prompt: str, prefix: str) -> Dist[str]:
    """φ(x) = ½ a + ½ STOP at every prefix: it stops with probability 1 but not by any L."""
    return HALF


def uniform_then_stop(sigma: Alphabet, n: int) -> TableModel:
    """Uniform over Σ for n steps, then STOP (the post's 6-digit model in miniature)."""
    u = Dist.uniform(sorted(sigma))
    return TableModel(sigma, {x: (u if len(x) < n else Dist.point(STOP)) for x in prefixes_upto(sigma, n)}, n)


# ---- S1: the induced law is a distribution on Σ* --------------------------------------------


@given(ar_models(max_len=3))
def test_S1_induced_of_terminating_model_sums_to_exactly_one(phi: TableModel) -> None:
    d = induced(phi, "", max_len=phi.max_len, alphabet=phi.alphabet)
    assert total(d) == 1
    assert all(len(x) <= phi.max_len and set(x) <= phi.alphabet for x in d.support)


@given(ar_models(max_len=3))
def test_S1_induced_equals_the_product_of_next_token_probabilities(phi: TableModel) -> None:
    d = induced(phi, "", max_len=phi.max_len, alphabet=phi.alphabet)
    for x in prefixes_upto(phi.alphabet, phi.max_len):
        p = phi("", x)[STOP]
        for i, c in enumerate(x):
            p *= phi("", x[:i])[c]
        assert d[x] == p


@given(ar_models(max_len=3))
def test_S1_induced_agrees_with_independent_recursion(phi: TableModel) -> None:
    mass, leaked = naive_induced(phi, "", phi.max_len)
    assert leaked == 0
    assert induced(phi, "", max_len=phi.max_len) == Dist(mass)


@pytest.mark.parametrize(("k", "n"), [(1, 0), (1, 4), (2, 3), (3, 2), (10, 2)])
def test_S1_uniform_model_induces_uniform_over_sigma_n(k: int, n: int) -> None:
    sigma = alphabet("abcdefghij"[:k])
    d = induced(uniform_then_stop(sigma, n), "q", max_len=n, alphabet=sigma)
    assert d == Dist.uniform(x for x in prefixes_upto(sigma, n) if len(x) == n)
    assert len(d) == k**n and d.denominator == k**n


def test_S1_max_len_beyond_the_model_changes_nothing() -> None:
    phi = uniform_then_stop(AB, 2)
    assert induced(phi, "", max_len=2) == induced(phi, "", max_len=7)


def test_S1_the_prompt_reaches_phi() -> None:
    def echo(prompt: str, prefix: str) -> Dist[str]:
        return Dist.point(prompt[len(prefix)]) if len(prefix) < len(prompt) else Dist.point(STOP)

    assert induced(echo, "abba", max_len=4) == Dist.point("abba")
    assert induced(echo, "ab", max_len=4) == Dist.point("ab")


# ---- S1: leaked mass is reported exactly -----------------------------------------------------


@pytest.mark.parametrize("max_len", [0, 1, 2, 5, 12])
def test_S1_nonterminating_carries_the_leaked_mass_exactly(max_len: int) -> None:
    # P(no STOP in the first max_len + 1 steps) = 2^-(max_len+1)
    with pytest.raises(NonTerminating) as info:
        induced(geometric, "p", max_len=max_len)
    assert info.value.mass == Fraction(1, 2 ** (max_len + 1))
    assert f"max_len={max_len}" in str(info.value) and "'p'" in str(info.value)


@given(alphabets(max_size=2), st.data())
def test_S1_leaked_mass_equals_independent_recursion(sigma: Alphabet, data: st.DataObject) -> None:
    # a table over Σ^{≤2} with no forced STOP: it may run past max_len = 2
    table = {x: data.draw(next_token_dists(sigma)) for x in prefixes_upto(sigma, 2)}
    phi = TableModel(sigma, table, 2)
    mass, leaked = naive_induced(phi, "", 2)
    if leaked == 0:
        assert induced(phi, "", max_len=2) == Dist(mass)
    else:
        with pytest.raises(NonTerminating) as info:
            induced(phi, "", max_len=2)
        assert info.value.mass == leaked
        assert leaked + sum(mass.values(), Fraction(0)) == 1


def test_S1_sample_past_max_len_is_nonterminating() -> None:
    with pytest.raises(NonTerminating, match="max_len=3"):
        sample(lambda prompt, prefix: Dist.point("a"), "", random.Random(0), max_len=3)


def test_induced_adds_the_leaks_of_every_prefix_and_names_the_first() -> None:
    def forever(prompt: str, prefix: str) -> Dist[str]:
        return Dist.uniform(["a", "b"])

    with pytest.raises(NonTerminating, match=r"^induced: probability 1 has not reached STOP within max_len=1 "
                                             r"\(prompt 'q'; e.g. after prefix 'a'\)$") as e:
        induced(forever, "q", max_len=1)
    assert e.value.mass == 1


# ---- sample agrees with induced ------------------------------------------------------------


@given(ar_models(max_len=3), st.integers(0, 2**32))
def test_sample_lands_in_induced_support(phi: TableModel, seed: int) -> None:
    d = induced(phi, "", max_len=phi.max_len)
    rng = random.Random(seed)
    assert all(sample(phi, "", rng, max_len=phi.max_len, alphabet=phi.alphabet) in d.support for _ in range(3))


def test_sample_hits_every_text_of_the_support() -> None:
    phi = uniform_then_stop(AB, 3)  # 8 texts of probability 1/8 each
    rng = random.Random(2026)
    seen = {sample(phi, "", rng, max_len=3) for _ in range(400)}
    assert seen == induced(phi, "", max_len=3).support


def test_sample_continues_from_the_prefix() -> None:
    phi = uniform_then_stop(AB, 3)
    rng = random.Random(1)
    assert all(sample(phi, "", rng, max_len=3, prefix="ba").startswith("ba") for _ in range(20))


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


# ---- bad models: clear, typed errors naming the prompt and prefix ------------------------


def broken_at(where: str, bad: object) -> Autoregressive:
    """The uniform model over ab of length 3, except that it returns `bad` at prefix `where`."""
    phi = uniform_then_stop(AB, 3)

    def model(prompt: str, prefix: str) -> Dist[str]:
        return bad if prefix == where else phi(prompt, prefix)  # type: ignore[return-value]

    return model


@pytest.mark.parametrize(
    ("bad", "what"),
    [
        ({"a": Fraction(1)}, "returned dict, not a Dist"),
        (None, "returned NoneType, not a Dist"),
        ("a", "returned str, not a Dist"),
        (Dist.uniform(["a", "z"]), "token 'z', not in the alphabet"),
        (Dist.uniform(["a", "ab"]), "token 'ab', not in the alphabet"),
        (Dist.uniform(["a", 7]), "token 7, not in the alphabet"),
        (Dist.point("STOP"), "token 'STOP', not in the alphabet"),
    ],
)
def test_bad_model_error_names_prompt_and_prefix(bad: object, what: str) -> None:
    with pytest.raises(InvalidModel) as info:
        induced(broken_at("ba", bad), "the prompt", max_len=3, alphabet=AB)
    message = str(info.value)
    assert what in message and "prompt 'the prompt'" in message and "prefix 'ba'" in message


@pytest.mark.parametrize(
    ("bad", "what"),
    [
        (Dist.uniform(["a", "ab"]), "token 'ab', not a one-character symbol or STOP"),
        (Dist.uniform(["a", ""]), "token '', not a one-character symbol or STOP"),
        (Dist.uniform(["a", 7]), "token 7, not a one-character symbol or STOP"),
        ([("a", 1)], "returned list, not a Dist"),
    ],
)
def test_bad_model_without_alphabet_is_refused(bad: object, what: str) -> None:
    with pytest.raises(InvalidModel) as info:
        induced(broken_at("b", bad), "P", max_len=3)
    message = str(info.value)
    assert what in message and "prompt 'P'" in message and "prefix 'b'" in message


def test_every_new_token_of_a_law_is_checked_without_an_alphabet() -> None:
    law = Dist.from_weights({"a": 1, "xy": 1})
    with pytest.raises(InvalidModel, match=r"token 'xy', not a one-character symbol or STOP"):
        induced(lambda p, x: law if not x else Dist.point(STOP), "", max_len=2)


def test_bad_model_error_in_sample_names_prompt_and_prefix() -> None:
    phi = broken_at("", Dist.point("z"))
    with pytest.raises(InvalidModel, match="token 'z'.*prompt 'P', prefix ''"):
        sample(phi, "P", random.Random(0), max_len=3, alphabet=AB)


def test_require_law_accepts_laws_over_sigma_and_stop() -> None:
    law = Dist.uniform(["a", STOP])
    assert require_law(law, "p", "x", AB) is law
    with pytest.raises(InvalidModel, match="prompt 'p', prefix 'x'"):
        require_law(Dist.point("c"), "p", "x", AB)


def test_bad_model_errors_are_type_errors() -> None:
    with pytest.raises(TypeError):
        induced(broken_at("", {}), "", max_len=3)


# ---- bad texts and arguments ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "what"),
    [("az", "symbol 'z' at position 1"), ("Ab", "symbol 'A' at position 0"), ("a" + STOP, "symbol '\\[' at position 1")],
)
def test_text_with_symbol_outside_sigma_is_refused(text: str, what: str) -> None:
    with pytest.raises(InvalidText, match=what):
        require_text(text, AB)
    with pytest.raises(InvalidText, match="prefix .*" + what):
        induced(uniform_then_stop(AB, 3), "", max_len=3, alphabet=AB, prefix=text)
    with pytest.raises(InvalidText, match=what):
        sample(uniform_then_stop(AB, 3), "", random.Random(0), max_len=3, alphabet=AB, prefix=text)


def test_text_must_be_a_str() -> None:
    with pytest.raises(InvalidText, match="must be a str, got list"):
        require_text(["a"], AB)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("symbols", "what"), [("", "no symbols"), ("aa", "repeated"), (["ab"], "'ab' is not a one-character"), ([1], "1 is not")]
)
def test_alphabet_must_be_distinct_single_characters(symbols: object, what: str) -> None:
    with pytest.raises(InvalidText, match=what):
        alphabet(symbols)  # type: ignore[arg-type]


@pytest.mark.parametrize("max_len", [-1, True, 2.0, "3", None])
def test_max_len_must_be_a_non_negative_int(max_len: object) -> None:
    phi = uniform_then_stop(AB, 1)
    with pytest.raises(InvalidArgument, match="max_len must be an int >= 0"):
        induced(phi, "", max_len=max_len)  # type: ignore[arg-type]
    with pytest.raises(InvalidArgument, match="max_len must be an int >= 0"):
        sample(phi, "", random.Random(0), max_len=max_len)  # type: ignore[arg-type]


# ---- one law object returned at many prefixes (it is validated once and its masses reused) ----------


@given(st.lists(next_token_dists(AB), min_size=1, max_size=3), st.lists(st.integers(0, 2), min_size=15, max_size=15),
       st.integers(0, 3))
def test_a_law_object_shared_by_many_prefixes_gives_the_oracles_law(
        pool: list[Dist[str]], picks: list[int], max_len: int) -> None:
    """Shared objects meet at different masses, in a row and apart; the law (or the leak) is the oracle's."""
    table = prefixes_upto(AB, 3)

    def phi(prompt: str, prefix: str) -> Dist[str]:
        return pool[picks[table.index(prefix)] % len(pool)] if len(prefix) < 3 else Dist.point(STOP)

    mass, leaked = naive_induced(phi, "", max_len)
    if leaked:
        with pytest.raises(NonTerminating) as e:
            induced(phi, max_len=max_len, alphabet=AB)
        assert e.value.mass == leaked
    else:
        assert induced(phi, max_len=max_len, alphabet=AB) == Dist(mass)


def test_a_shared_law_is_still_checked_against_the_alphabet_at_its_first_use() -> None:
    bad = Dist.uniform(["a", "z"])
    with pytest.raises(InvalidModel, match=r"token 'z', not in the alphabet, at prompt '', prefix ''$"):
        induced(lambda prompt, prefix: bad, max_len=2, alphabet=AB)


def test_the_prompt_may_be_left_out_and_defaults_to_the_empty_text() -> None:
    seen: list[str] = []

    def phi(prompt: str, prefix: str) -> Dist[str]:
        seen.append(prompt)
        return HALF if len(prefix) < 2 else Dist.point(STOP)

    assert induced(phi, max_len=2) == induced(phi, "", max_len=2)
    assert set(seen) == {""}


# ---- induced_hidden and induced_public: the joint law of a hidden-token model's two streams ------


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
    with pytest.raises(InvalidModel, match=r"^the hidden-token model returned dict, not a Dist"):
        induced_hidden(lambda p, u, h: {("public", STOP): 1}, "p", max_len=2)  # type: ignore[arg-type]
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


def test_induced_hidden_refuses_a_law_whose_numerators_miss_its_denominator() -> None:
    # a law built on the trusted fast path with numerator 1 over denominator 2: STOP carries only half the mass
    half_stop: Dist[Move] = Dist._from_integers({("public", STOP): 1}, 2)
    assert half_stop[("public", STOP)] == Fraction(1, 2)
    with pytest.raises(InvalidDistribution, match=r"^Dist: probabilities sum to 1/2, not 1 "):
        induced_hidden(lambda p, u, h: half_stop, "p", max_len=2)

    def hidden_then_short(prompt: str, public: str, hidden: str) -> Dist[Move]:
        """A fair hidden bit, then after 'b' a law that stops with probability 1/3 only."""
        if not hidden:
            return Dist.uniform([("hidden", "a"), ("hidden", "b")])
        return Dist.point(("public", STOP)) if hidden == "a" else Dist._from_integers({("public", STOP): 1}, 3)

    # 1/2 + 1/2 · 1/3 = 2/3
    with pytest.raises(InvalidDistribution, match=r"^Dist: probabilities sum to 2/3, not 1 "):
        induced_hidden(hidden_then_short, "p", max_len=2)
