"""Coins for the tasks' tests: scripted choices first, then a seeded generator, every draw logged."""

from __future__ import annotations

import random

from spec.coins import LiteralCoins


class ScriptCoins(LiteralCoins):
    """Coins drawn from a seeded generator that record every (k, choice) and insist on a valid k."""

    def __init__(self, seed: int, script: list[int] | None = None) -> None:
        self.rng = random.Random(seed)
        self.script = list(script or [])
        self.log: list[tuple[int, int]] = []

    def randbelow(self, k: int) -> int:
        assert isinstance(k, int) and not isinstance(k, bool) and k >= 1, k
        assert len(self.log) < 10_000, "runaway: far more choices than any run here needs"
        v = self.script.pop(0) if self.script else self.rng.randrange(k)
        assert 0 <= v < k
        self.log.append((k, v))
        return v
