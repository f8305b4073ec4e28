"""The S1–S3 registry checkers: HOLDS on spec, REFUTED (with a counterexample) on broken stand-ins."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import TypeVar

import pytest

from checkers.foundation import (
    check_S1,
    check_S2,
    check_S3,
    grid_dists,
    law_grid,
    s1_verdict,
    s2_verdict,
    s3_verdict,
)
from checkers.verdict import Level, Outcome, Verdict
from spec import STOP, Alphabet, Autoregressive, Coins, Dist, NonTerminating, alphabet, chain_rule, induced
from spec.models import prefixes_upto
from spec.signatures import RandomizedAutoregressive

T = TypeVar("T")


@pytest.mark.slow
@pytest.mark.parametrize("check", [check_S1, check_S2, check_S3])
def test_foundation_checks_hold_at_level(check: Callable[[Level], Verdict], level: Level) -> None:
    v = check(level)
    assert v.outcome is Outcome.HOLDS, v.counterexample
    assert v.passed and v.scope and v.method and v.evidence and v.seconds > 0
    json.dumps(v.data)  # JSON-able tables for the report


def test_grids_have_their_closed_form_sizes() -> None:
    # weights {0,1} on k+1 tokens: 2^(k+1) − 1 distinct laws; D on all supports of 15 texts: 2^15 − 1
    assert [len(law_grid(list("abc"[:k]) + [STOP], (0, 1))) for k in (1, 2, 3)] == [3, 7, 15]
    assert sum(1 for _ in grid_dists(prefixes_upto(alphabet("ab"), 3), (1,))) == 2**15 - 1
    # weights {1,2} on a support of 2: (1,1) ~ (2,2), so 3 laws per pair, plus 2 point masses
    assert sum(1 for _ in grid_dists(["x", "y"], (1, 2))) == 2 + 3


# ---- failing counterparts: each check must catch a broken implementation ---------------------


def induced_one_step_too_far(
    phi: Autoregressive, prompt: str, *, max_len: int, alphabet: Alphabet | None = None
) -> Dist[str]:
    """Broken: an off-by-one length budget (asks φ about prefixes longer than max_len)."""
    return induced(phi, prompt, max_len=max_len + 1, alphabet=alphabet)


def induced_forcing_stop(
    phi: Autoregressive, prompt: str, *, max_len: int, alphabet: Alphabet | None = None
) -> Dist[str]:
    """Broken: forces STOP at max_len, silently giving the leaked mass to the texts of length max_len."""
    return induced(
        lambda p, x: phi(p, x) if len(x) < max_len else Dist.point(STOP), prompt, max_len=max_len, alphabet=alphabet
    )


@pytest.mark.parametrize(
    ("broken", "symptom"),
    [(induced_one_step_too_far, "raised ZeroMass"), (induced_forcing_stop, "has not stopped by L")],
)
def test_S1_check_refutes_an_induced_that_hides_leaked_mass(broken: Callable[..., Dist[str]], symptom: str) -> None:
    v = s1_verdict(Level.QUICK, induce=broken)
    assert v.outcome is Outcome.REFUTED and symptom in (v.counterexample or "")


def test_S1_check_refutes_an_induced_with_a_wrong_law() -> None:
    def swapped(phi: Autoregressive, prompt: str, *, max_len: int, alphabet: Alphabet | None = None) -> Dist[str]:
        return induced(phi, prompt, max_len=max_len, alphabet=alphabet).map(lambda t: t[::-1])

    v = s1_verdict(Level.QUICK, induce=swapped)
    assert v.outcome is Outcome.REFUTED and "the oracle gives" in (v.counterexample or "")


class ZeroCoins:
    """Coins that always choose 0: the 'first run only' of a randomized model."""

    def randbelow(self, k: int) -> int:
        return 0

    def until(self, attempt: Callable[[Coins], T], accept: Callable[[T], bool]) -> T:
        return attempt(self)


def derandomize_first_run(phi_r: RandomizedAutoregressive, max_flips: int) -> Autoregressive:
    """Broken: takes the law of the first coin sequence instead of averaging over all of them."""
    return lambda prompt, prefix: phi_r(prompt, prefix, ZeroCoins())


def test_S2_check_refutes_a_derandomize_that_takes_the_first_run() -> None:
    v = s2_verdict(Level.QUICK, derand=derandomize_first_run)
    assert v.outcome is Outcome.REFUTED and "sampling φ_r gives" in (v.counterexample or "")


def chain_rule_ignoring_weights(d: Dist[str]) -> Autoregressive:
    """Broken: the right next tokens, but uniform over them instead of the conditional weights."""
    phi = chain_rule(d)
    return lambda prompt, prefix: Dist.uniform(sorted(phi(prompt, prefix).support))


def chain_rule_off_by_one_prefix(d: Dist[str]) -> Autoregressive:
    """Broken: reads the conditional of the prefix one symbol shorter."""
    phi = chain_rule(d)

    def model(prompt: str, prefix: str) -> Dist[str]:
        return phi(prompt, prefix[:-1]) if len(prefix) > 1 else phi(prompt, prefix)

    return model


@pytest.mark.parametrize("broken", [chain_rule_ignoring_weights, chain_rule_off_by_one_prefix])
def test_S3_check_refutes_a_broken_chain_rule(broken: Callable[[Dist[str]], Autoregressive]) -> None:
    v = s3_verdict(Level.QUICK, construct=broken)
    assert v.outcome is Outcome.REFUTED and (v.counterexample or "").startswith("D = {")
