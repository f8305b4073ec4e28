"""The type signatures of the post, as Protocols named after it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal, Protocol, TypeVar

from spec.dist import Dist
from spec.text import Alphabet

__all__ = [
    "Coins",
    "Autoregressive",
    "RandomizedAutoregressive",
    "TextToText",
    "HiddenAutoregressive",
    "Stream",
    "Move",
    "Task",
]

T = TypeVar("T")


class Coins(Protocol):
    """A source of fair random choices; a randomized algorithm is a function that takes one."""

    def randbelow(self, k: int) -> int:
        """A uniform choice from 0, 1, ..., k − 1 (k ≥ 1)."""
        ...

    def until(self, attempt: Callable[[Coins], T], accept: Callable[[T], bool]) -> T:
        """Repeat attempt(self) until accept(result); return that result (a rejection loop).

        Written as a method, not a while loop, so that `enumerate_runs` can enumerate it with
        cost polynomial in the flip budget: every rejected attempt restarts the same loop.
        """
        ...


class Autoregressive(Protocol):
    """φ : Σ* × Σ* → Δ(Σ ∪ {STOP}): the next-token law given the prompt and the output so far."""

    def __call__(self, prompt: str, prefix: str) -> Dist[str]: ...


class RandomizedAutoregressive(Protocol):
    """φ : Σ* × Σ* ⇝r Δ(Σ ∪ {STOP}): the next-token law may depend on internal coin flips."""

    def __call__(self, prompt: str, prefix: str, coins: Coins) -> Dist[str]: ...


class TextToText(Protocol):
    """A : Σ* ⇝r Σ*: a randomized algorithm from prompt to whole response."""

    def __call__(self, prompt: str, coins: Coins) -> str: ...


Stream = Literal["public", "hidden"]
Move = tuple[Stream, str]
"""A step of a model with hidden tokens: a token (or STOP, on the public stream) and its stream."""


class HiddenAutoregressive(Protocol):
    """An AR model that reads both streams and may write to a hidden one the user never sees."""

    def __call__(self, prompt: str, public: str, hidden: str) -> Dist[Move]: ...


class Task(Protocol):
    """A randomized task of the post (every task of spec.tasks): the prompt, the alphabet of the
    responses, the longest response, and the exact target law of the responses."""

    @property
    def prompt(self) -> str: ...

    @property
    def alphabet(self) -> Alphabet: ...

    @property
    def max_len(self) -> int: ...

    def target(self) -> Dist[str]: ...
