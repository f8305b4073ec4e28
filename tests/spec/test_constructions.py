"""S3, S4, S2, E1 and E3: the chain rule, conditioning, footnote 1's averaging and the two escapes."""

from __future__ import annotations

from collections import Counter
from fractions import Fraction

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from checkers.foundation import averaged_table, grid_dists, naive_induced
from spec import (
    STOP,
    Alphabet,
    Coins,
    Dist,
    HiddenAutoregressive,
    InvalidArgument,
    InvalidModel,
    InvalidText,
    NonTerminating,
    SeedExhausted,
    ZeroMass,
    alphabet,
    chain_rule,
    derandomize,
    enumerate_runs,
    induced,
    induced_hidden,
    induced_public,
    tvd,
    with_hidden_tokens,
    with_random_seed,
)
from spec.activations import with_activations
from spec.models import TableAlgorithm, TableModel, TableRandomizedModel, prefixes_upto
from spec.signatures import RandomizedAutoregressive
from strategies import (
    alphabets,
    ar_models,
    randomized_ar_models,
    text_dists,
    text_to_text_algorithms,
)
from tests.spec.conftest import NoCoins

AB = alphabet("ab")


def mass_starting_with(d: Dist[str], x: str) -> Fraction:
    """D(x·Σ*)."""
    return d.prob(lambda t: t.startswith(x))


# ---- S3: induced(chain_rule(D)) == D -----------------------------------------------------------


@given(alphabets(), st.data())
def test_S3_chain_rule_round_trip_on_the_strategy(sigma: Alphabet, data: st.DataObject) -> None:
    d = data.draw(text_dists(sigma, max_len=4, max_size=8))
    assert induced(chain_rule(d), "any prompt", max_len=4, alphabet=sigma) == d


@given(alphabets(), st.data())
def test_S3_chain_rule_next_token_law_is_the_conditional(sigma: Alphabet, data: st.DataObject) -> None:
    d = data.draw(text_dists(sigma, max_len=3))
    phi = chain_rule(d)
    for x in prefixes_upto(sigma, 3):
        px = mass_starting_with(d, x)
        if px == 0:
            with pytest.raises(ZeroMass, match=repr(x)):
                phi("", x)
            continue
        law = phi("", x)
        assert law[STOP] == d[x] / px
        assert all(law[c] == mass_starting_with(d, x + c) / px for c in sigma)


@pytest.mark.slow
def test_S3_chain_rule_round_trip_exhaustive_two_symbols_length_3() -> None:
    # every support of Σ^{≤3} (15 texts: 32767 supports) with uniform weights, every support of
    # size ≤ 3 with weights 1..3, and every D on Σ^{≤2} with weights 0..3
    texts3, texts2 = prefixes_upto(AB, 3), prefixes_upto(AB, 2)
    count = 0
    for grid in (grid_dists(texts3, (1,)), grid_dists(texts3, (1, 2, 3), 3), grid_dists(texts2, (1, 2, 3))):
        for d in grid:
            count += 1
            assert induced(chain_rule(d), "", max_len=3, alphabet=AB) == d, d
    assert count == 32767 + 12125 + 16129


def test_S3_chain_rule_of_uniform_over_sigma_n_is_the_uniform_model() -> None:
    d = Dist.uniform(x for x in prefixes_upto(AB, 3) if len(x) == 3)
    phi = chain_rule(d)
    assert all(phi("", x) == Dist.uniform("ab") for x in prefixes_upto(AB, 2))
    assert all(phi("", x) == Dist.point(STOP) for x in d.support)


def test_S3_chain_rule_refuses_what_is_not_a_law_of_texts() -> None:
    with pytest.raises(InvalidModel, match="must be a Dist"):
        chain_rule({"a": Fraction(1)})  # type: ignore[arg-type]
    with pytest.raises(InvalidText, match="not a text"):
        chain_rule(Dist.uniform(["a", 3]))  # type: ignore[list-item]


def test_chain_rule_keeps_its_target() -> None:
    d = Dist.from_weights({"a": 1, "ab": 2})
    assert chain_rule(d).target == d


# ---- S4: conditioning ----------------------------------------------------------------------------


@given(ar_models(max_len=3))
def test_S4_model_inducing_D_agrees_with_chain_rule_on_positive_prefixes(phi: TableModel) -> None:
    d = induced(phi, "", max_len=phi.max_len)
    gamma = chain_rule(d)
    for x in prefixes_upto(phi.alphabet, phi.max_len):
        if mass_starting_with(d, x) > 0:
            assert phi("", x) == gamma("", x), x
        else:
            with pytest.raises(ZeroMass):
                gamma("", x)


@given(ar_models(max_len=3))
def test_S4_continuing_from_prefix_samples_D_conditioned_on_it(phi: TableModel) -> None:
    d = induced(phi, "", max_len=phi.max_len)
    for x in prefixes_upto(phi.alphabet, phi.max_len):
        if mass_starting_with(d, x) > 0:
            after = induced(phi, "", max_len=phi.max_len, alphabet=phi.alphabet, prefix=x)
            assert after == d.condition(lambda t: t.startswith(x)), x


@given(alphabets(max_size=2), st.data())
def test_S4_conditioning_chain_rule_on_a_prefix(sigma: Alphabet, data: st.DataObject) -> None:
    d = data.draw(text_dists(sigma, max_len=3))
    x = data.draw(st.sampled_from(sorted(prefixes_upto(sigma, 3))))
    assume(mass_starting_with(d, x) > 0)
    assert induced(chain_rule(d), "", max_len=3, prefix=x) == d.condition(lambda t: t.startswith(x))


# ---- S2: footnote 1 ------------------------------------------------------------------------------


def draw_token(law: Dist[str], coins: Coins) -> str:
    """A token drawn from law with fair coins: one choice below the common denominator."""
    r = coins.randbelow(law.denominator)
    for tok, p in sorted(law.items()):
        r -= int(p * law.denominator)
        if r < 0:
            return tok
    raise AssertionError("the law's numerators do not sum to its denominator")


def sampling_law(phi_r: RandomizedAutoregressive, prompt: str, max_len: int, flips_per_step: int) -> Dist[str]:
    """The exact law of sampling φ_r with fresh coins at every step: enumerate whole runs."""

    def run(coins: Coins) -> str:
        text = ""
        while True:
            tok = draw_token(phi_r(prompt, text, coins), coins)
            if tok == STOP:
                return text
            text += tok

    return enumerate_runs(run, (flips_per_step + 1) * (max_len + 1)).dist()


@given(randomized_ar_models(max_len=2))
def test_S2_derandomize_induces_the_sampling_law_of_phi_r(phi_r: TableRandomizedModel) -> None:
    gamma = derandomize(phi_r, max_flips=1)
    law = induced(gamma, "", max_len=phi_r.max_len, alphabet=phi_r.alphabet)
    assert law == sampling_law(phi_r, "", phi_r.max_len, 1)
    mass, _ = naive_induced(averaged_table(phi_r), "", phi_r.max_len)
    assert law == Dist(mass)


def test_S2_derandomize_with_several_coins_per_step() -> None:
    # φ_r flips up to two coins: with prob ½ STOP-or-a, else a law chosen by a coin among three
    laws = [Dist.point("a"), Dist.uniform(["b", STOP]), Dist.from_weights({"a": 1, "b": 2, STOP: 3})]

    def phi_r(prompt: str, prefix: str, coins: Coins) -> Dist[str]:
        if len(prefix) >= 2:
            return Dist.point(STOP)
        if coins.randbelow(2):
            return Dist.uniform(["a", STOP])
        return laws[coins.randbelow(3)]

    law = induced(derandomize(phi_r, max_flips=2), "", max_len=2, alphabet=AB)
    assert law == sampling_law(phi_r, "", 2, 2)
    assert law[""] == Fraction(1, 4) + Fraction(1, 2) * (Fraction(1, 6) + Fraction(1, 2) / 3)


def test_S2_derandomize_reports_the_residual_of_a_rejection_loop() -> None:
    def phi_r(prompt: str, prefix: str, coins: Coins) -> Dist[str]:
        c = coins.until(lambda k: k.randbelow(3), lambda r: r < 2)
        return Dist.point("ab"[c]) if not prefix else Dist.point(STOP)

    with pytest.raises(NonTerminating) as info:
        induced(derandomize(phi_r, max_flips=5), "", max_len=1)
    assert info.value.mass == Fraction(1, 3**5)


def test_S2_derandomize_refuses_bad_budgets_and_bad_laws() -> None:
    with pytest.raises(InvalidArgument, match="max_flips"):
        derandomize(lambda p, x, c: Dist.point(STOP), max_flips=-1)
    gamma = derandomize(lambda p, x, c: {STOP: 1}, max_flips=0)  # type: ignore[arg-type]
    with pytest.raises(InvalidModel, match="returned dict, not a Dist, at prompt 'q', prefix ''"):
        gamma("q", "")


def test_derandomize_names_itself_when_the_flip_budget_is_not_a_natural_number() -> None:
    def stop(prompt: str, prefix: str, coins: Coins) -> Dist[str]:
        return Dist.point(STOP)

    with pytest.raises(InvalidArgument) as negative:
        derandomize(stop, max_flips=-1)
    assert str(negative.value) == "derandomize: max_flips must be an int >= 0, got -1"
    with pytest.raises(InvalidArgument) as flag:
        derandomize(stop, max_flips=True)
    assert str(flag.value) == "derandomize: max_flips must be an int >= 0, got True"


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


# ---- E1: hidden tokens --------------------------------------------------------------------------


def public_within(phi: HiddenAutoregressive, prompt: str, flips: int) -> tuple[dict[str, Fraction], Fraction]:
    """Public mass of the runs writing at most `flips` hidden symbols, and the mass cut there."""
    out: dict[str, Fraction] = {}
    cut = Fraction(0)
    stack = [("", "", Fraction(1))]
    while stack:
        public, hidden, p = stack.pop()
        for (stream, tok), q in phi(prompt, public, hidden).items():
            if tok == STOP:
                out[public] = out.get(public, Fraction(0)) + p * q
            elif stream == "public":
                stack.append((public + tok, hidden, p * q))
            elif len(hidden) >= flips:
                cut += p * q
            else:
                stack.append((public, hidden + tok, p * q))
    return out, cut


def algo_law(algo: TableAlgorithm) -> Dist[str]:
    """The output law of a rejection-free table algorithm: one fair choice among its texts."""
    return Dist.from_weights(Counter(algo.texts))


@given(text_to_text_algorithms(max_len=3))
def test_E1_hidden_tokens_public_marginal_is_the_algorithm_law(algo: TableAlgorithm) -> None:
    phi = with_hidden_tokens(algo)
    if not algo.rejected:
        exact = enumerate_runs(lambda c: algo("", c), 1).dist()
        assert exact == algo_law(algo)
        assert induced_public(phi, "", max_len=1 + 3) == exact
        return
    # a rejection loop never has a last flip: compare within every flip budget, residual included
    for flips in range(5):
        runs = enumerate_runs(lambda c: algo("", c), flips)
        assert public_within(phi, "", flips) == (dict(runs.mass), runs.residual)


def test_E1_hidden_stream_holds_the_coin_flips() -> None:
    algo = TableAlgorithm(AB, ("a", "ba", "bb"))
    joint = induced_hidden(with_hidden_tokens(algo), "", max_len=3)
    assert joint == Dist.uniform([("a", chr(0)), ("ba", chr(1)), ("bb", chr(2))])


def test_E1_hidden_tokens_of_a_rejection_loop_never_stop_by_max_len() -> None:
    algo = TableAlgorithm(AB, ("a", "b"), frozenset({"b"}))
    with pytest.raises(NonTerminating) as info:
        induced_public(with_hidden_tokens(algo), "", max_len=6)
    # max_len bounds hidden + public: only runs accepted within 5 flips fit "a" in 6 symbols
    assert info.value.mass == Fraction(1, 2**5)


# ---- E3: a random seed ---------------------------------------------------------------------------


def seeded_law(algo: TableAlgorithm, space: int) -> Dist[str]:
    """Closed form for one choice read off a seed s < space: texts[s mod n]."""
    return Dist.from_weights(Counter(algo.texts[s % len(algo.texts)] for s in range(space)))


@given(text_to_text_algorithms(max_len=3), st.integers(1, 3))
def test_E3_random_seed_averaged_over_seeds_is_the_algorithm_law(algo: TableAlgorithm, m: int) -> None:
    assume(not algo.rejected)
    model = with_random_seed(algo, seed_space=m * len(algo.texts))
    assert model.induced_over_seeds("", max_len=3) == enumerate_runs(lambda c: algo("", c), 1).dist()


@given(text_to_text_algorithms(max_len=3))
def test_E3_decoding_is_deterministic_given_the_seed(algo: TableAlgorithm) -> None:
    assume(not algo.rejected)
    model = with_random_seed(algo, seed_space=len(algo.texts))
    for s in range(model.seed_space):
        law = induced(model, model.seeded_prompt("", s), max_len=3)
        assert law == Dist.point(algo.texts[s])


@given(text_to_text_algorithms(max_len=3), st.integers(1, 12))
def test_E3_a_short_seed_gives_the_biased_closed_form(algo: TableAlgorithm, space: int) -> None:
    assume(not algo.rejected)
    model = with_random_seed(algo, seed_space=space)
    if space == 1 and len(algo.texts) > 1:
        with pytest.raises(SeedExhausted):
            model.induced_over_seeds("", max_len=3)
        return
    law = model.induced_over_seeds("", max_len=3)
    assert law == seeded_law(algo, space)
    if len(set(algo.texts)) == len(algo.texts) and space % len(algo.texts):
        assert tvd(law, algo_law(algo)) > 0


def test_E3_too_short_seed_tvd_closed_form() -> None:
    algo = TableAlgorithm(AB, ("a", "b", "ab"))
    exact = with_random_seed(algo, seed_space=3).induced_over_seeds("", max_len=2)
    short = with_random_seed(algo, seed_space=4).induced_over_seeds("", max_len=2)
    assert exact == Dist.uniform(["a", "b", "ab"])
    assert short == Dist({"a": Fraction(1, 2), "b": Fraction(1, 4), "ab": Fraction(1, 4)})
    assert tvd(short, exact) == Fraction(1, 6)


@given(text_to_text_algorithms(max_len=2), st.integers(1, 3))
def test_E3_seed_of_j_digits_matches_j_flips_of_a_rejection_loop(algo: TableAlgorithm, j: int) -> None:
    # a seed in range(n^j) carries exactly j uniform choices below n: the seeds that finish give
    # the algorithm's mass within j flips; the exhausted seeds are exactly its residual
    n = len(algo.texts)
    model = with_random_seed(algo, seed_space=n**j)
    out: dict[str, Fraction] = {}
    exhausted = Fraction(0)
    for s in range(model.seed_space):
        try:
            t = model.output("", s)
        except SeedExhausted:
            exhausted += Fraction(1, model.seed_space)
            continue
        out[t] = out.get(t, Fraction(0)) + Fraction(1, model.seed_space)
    runs = enumerate_runs(lambda c: algo("", c), j)
    assert (out, exhausted) == (dict(runs.mass), runs.residual)


def test_E3_bad_seeds_and_prompts_are_refused() -> None:
    algo = TableAlgorithm(AB, ("a", "b"))
    with pytest.raises(InvalidArgument, match="seed_space must be an int >= 1"):
        with_random_seed(algo, seed_space=0)
    model = with_random_seed(algo, seed_space=2)
    with pytest.raises(InvalidArgument, match=r"seed must be in range\(2\)"):
        model.seeded_prompt("", 2)
    with pytest.raises(InvalidText, match="does not start with a seed header"):
        model("no header", "")
    with pytest.raises(InvalidText, match="does not start with a seed header"):
        model("[seed 0 of 3]", "")
    with pytest.raises(ZeroMass, match="unreachable"):
        model(model.seeded_prompt("", 0), "b")


def echo_with_coin(prompt: str, coins: Coins) -> str:
    """Depends on the prompt: the seeded model must hand the algorithm the user's prompt."""
    return prompt + "ab"[coins.randbelow(2)]


def test_induced_over_seeds_passes_the_prompt_to_the_algorithm() -> None:
    model = with_random_seed(echo_with_coin, seed_space=2)
    assert model.induced_over_seeds("x", max_len=3) == Dist.uniform(["xa", "xb"])


def test_a_prompt_without_a_seed_header_is_quoted_to_40_symbols() -> None:
    model = with_random_seed(echo_with_coin, seed_space=2)
    prompt = "abcdefghij" * 5
    with pytest.raises(InvalidText, match=rf"^with_random_seed: prompt {prompt[:40]!r} does not start with a seed header$"):
        model(prompt, "")
    with pytest.raises(InvalidArgument, match=r"seed must be in range\(2\), got True"):
        model.seeded_prompt("", True)


def test_a_seed_runs_out_exactly_when_its_space_does() -> None:
    def two_bits(prompt: str, coins: Coins) -> str:
        return "ab"[coins.randbelow(2)] + "ab"[coins.randbelow(2)]

    three = with_random_seed(two_bits, seed_space=3)  # 3 // 2 = 1 left after the first bit: exhausted
    with pytest.raises(SeedExhausted, match=r"^with_random_seed: the seed is used up, and a choice among 2 is asked for$"):
        three.output("", 0)
    assert with_random_seed(two_bits, seed_space=4).output("", 3) == "bb"
    with pytest.raises(InvalidArgument, match=r"^randbelow: k must be an int >= 1, got 0$"):
        with_random_seed(lambda p, c: str(c.randbelow(0)), seed_space=2).output("", 0)


def test_E1_unreachable_streams_are_zero_mass() -> None:
    phi = with_hidden_tokens(TableAlgorithm(AB, ("a", "b")))
    assert phi("", "", "") == Dist.uniform([("hidden", chr(0)), ("hidden", chr(1))])
    with pytest.raises(ZeroMass, match="not a choice below 2"):
        phi("", "", chr(5))
    with pytest.raises(ZeroMass, match="unreachable"):
        phi("", "b", chr(0))


def test_E1_a_wide_hidden_choice_is_a_uniform_hidden_symbol() -> None:
    phi = with_hidden_tokens(lambda p, c: str(c.randbelow(5000)))
    law = phi("", "", "")
    assert {stream for stream, _ in law.support} == {"hidden"}
    assert {symbol for _, symbol in law.support} == {chr(r) for r in range(5000)}
    assert law.denominator == 5000


def test_E1_after_the_hidden_flips_the_output_is_written_publicly_symbol_by_symbol() -> None:
    phi = with_hidden_tokens(lambda p, c: "\U0001f9ea\u2e3b"[: 1 + c.randbelow(2)])
    assert phi("", "", chr(1)) == Dist.point(("public", "\U0001f9ea"))
    assert phi("", "\U0001f9ea", chr(1)) == Dist.point(("public", "\u2e3b"))
    assert phi("", "\U0001f9ea", chr(0)) == Dist.point(("public", STOP))


def test_activation_and_hidden_token_models_name_a_non_text_output() -> None:
    with pytest.raises(InvalidModel, match=r"^with_activations: the algorithm returned int, not a str$"):
        with_activations(lambda p, c: 3)("", "", (), NoCoins())  # type: ignore[arg-type]
    with pytest.raises(InvalidModel, match=r"^with_hidden_tokens: the algorithm returned int, not a str$"):
        with_hidden_tokens(lambda p, c: 3)("", "", "")  # type: ignore[arg-type]


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
