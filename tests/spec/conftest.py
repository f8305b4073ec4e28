"""Coins for models that must not draw: every kept choice is replayed, none is drawn afresh."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from spec import Coins

T = TypeVar("T")


class NoCoins:
    def randbelow(self, k: int) -> int:
        raise AssertionError("no fresh draw expected")

    def until(self, attempt: Callable[[Coins], T], accept: Callable[[T], bool]) -> T:
        raise AssertionError("no fresh draw expected")
