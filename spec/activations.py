"""Escape 2, nondeterministic activations: random internal state, drawn once, kept across steps.

An `ActivationModel` is called at every step with the prompt, the public text so far and the
activations drawn at earlier steps; it may draw new random activations (with `coins`) and
returns the next-token law together with all activations so far. The activations persist from
step to step (a transformer attending back to earlier random activations) but are never part
of the text. `induced_activations` gives the exact law of the text over every draw.

`with_activations(algo)` draws algo's coin flips as activations at the first step and reads
them back at every later step, so each token is algo's output's next character: the public law
is algo's output law. With `persist=False` the activations are redrawn at every step (they
are forgotten): that is a randomized autoregressive model, and it loses the choice.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol, TypeVar

from spec.coins import Runs, enumerate_runs
from spec.dist import Dist
from spec.errors import InvalidModel, NonTerminating, require_int
from spec.induced import require_law
from spec.signatures import Coins, TextToText
from spec.text import STOP

__all__ = [
    "Activations",
    "ActivationModel",
    "WithActivations",
    "with_activations",
    "induced_activations",
    "activation_runs",
]

T = TypeVar("T")

Activations = tuple[object, ...]
"""The random activations drawn so far: a choice r among k is kept as r; a rejection loop's accepted value as itself."""


class ActivationModel(Protocol):
    """φ(prompt, prefix, activations, coins) = (next-token law, activations after this step)."""

    def __call__(self, prompt: str, prefix: str, activations: Activations, coins: Coins) -> tuple[Dist[str], Activations]: ...


class _ReplayThenDraw:
    """Coins that first read back the kept activations, then draw (and keep) fresh ones."""

    def __init__(self, kept: Activations, coins: Coins) -> None:
        self.kept = kept
        self.used = 0
        self.fresh: list[object] = []
        self.coins = coins

    def randbelow(self, k: int) -> int:
        if self.used < len(self.kept):
            r = self.kept[self.used]
            self.used += 1
            if isinstance(r, bool) or not isinstance(r, int) or not 0 <= r < k:
                raise InvalidModel(f"with_activations: kept activation {r!r} is not a choice below {k}")
            return r
        r = self.coins.randbelow(k)
        self.fresh.append(r)
        return r

    def until(self, attempt: Callable[[Coins], T], accept: Callable[[T], bool]) -> T:
        if self.used < len(self.kept):  # the loop ran at an earlier step: its result is kept
            x = self.kept[self.used]
            self.used += 1
            return x  # type: ignore[return-value]  # kept by this same call site of algo
        x = self.coins.until(attempt, accept)
        self.fresh.append(x)
        return x


class WithActivations:
    """The activation model that runs algo on activations drawn once (or redrawn, if not persist)."""

    def __init__(self, algo: TextToText, persist: bool = True) -> None:
        self.algo = algo
        self.persist = persist

    def __call__(self, prompt: str, prefix: str, activations: Activations, coins: Coins) -> tuple[Dist[str], Activations]:
        kept = activations if self.persist else ()
        replay = _ReplayThenDraw(kept, coins)
        out = self.algo(prompt, replay)
        if not isinstance(out, str):
            raise InvalidModel(f"with_activations: the algorithm returned {type(out).__name__}, not a str")
        now = kept + tuple(replay.fresh)
        # a forgetful model may have drawn an output that does not extend the text: it still
        # has to say something, so it says that output's character at this position
        nxt = out[len(prefix)] if len(prefix) < len(out) else STOP
        return Dist.point(nxt), now


def with_activations(algo: TextToText, *, persist: bool = True) -> WithActivations:
    """Escape 2: an AR model whose random activations, drawn at the first step, are kept.

    Contract: with persist=True, the public law (`induced_activations`) equals algo's output
    law, and every next-token law is a point mass given the activations. persist=False is the
    failing counterpart: fresh activations at every step.
    """
    return WithActivations(algo, persist)


def _choose(law: Dist[str], coins: Coins) -> str:
    """A token drawn exactly from law by one uniform choice below its denominator."""
    if len(law) == 1:
        (tok,) = law.support
        return tok
    r = coins.randbelow(law._den)
    for tok, n in law._num.items():
        if r < n:
            return tok
        r -= n
    raise AssertionError("unreachable: numerators sum to the denominator")


def activation_runs(model: ActivationModel, prompt: str, *, max_len: int, max_flips: int) -> Runs[str]:
    """The exact law of the text over every activation draw and sampling choice (with its residual)."""
    require_int(max_len, "induced_activations: max_len")

    def generate(coins: Coins) -> str:
        text = ""
        acts: Activations = ()
        while True:
            law, acts = model(prompt, text, acts, coins)
            tok = _choose(require_law(law, prompt, text), coins)
            if tok == STOP:
                return text
            if len(text) >= max_len:
                return text + tok + "\x00"  # marks a run past max_len; reported below
            text += tok

    return enumerate_runs(generate, max_flips)


def induced_activations(model: ActivationModel, prompt: str, *, max_len: int, max_flips: int) -> Dist[str]:
    """The public law of an activation model; NonTerminating if some mass runs past the budgets."""
    runs = activation_runs(model, prompt, max_len=max_len, max_flips=max_flips)
    law = runs.dist()
    long = law.prob(lambda t: t.endswith("\x00"))
    if long:
        raise NonTerminating(
            f"induced_activations: probability {long} has not reached STOP within max_len={max_len}", mass=long
        )
    return law
