"""Models given by tables: the small, explicit φ's that tests and checkers enumerate."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from spec.dist import Dist
from spec.errors import InvalidModel, ZeroMass
from spec.signatures import Coins
from spec.text import STOP, Alphabet

__all__ = ["TableModel", "TableRandomizedModel", "TableAlgorithm", "prefixes_upto"]


def prefixes_upto(sigma: Alphabet, max_len: int) -> list[str]:
    """Σ^{≤max_len}, shortest first, in sorted order within a length."""
    out, level = [""], [""]
    for _ in range(max_len):
        level = [x + c for x in level for c in sorted(sigma)]
        out.extend(level)
    return out


@dataclass(frozen=True)
class TableModel:
    """φ(prompt, x) = table[x], whatever the prompt; a prefix missing from the table is an error."""

    alphabet: Alphabet
    table: Mapping[str, Dist[str]]
    max_len: int

    def __call__(self, prompt: str, prefix: str) -> Dist[str]:
        law = self.table.get(prefix)
        if law is None:
            raise ZeroMass(f"TableModel: no next-token law for prefix {prefix!r}")
        return law


@dataclass(frozen=True)
class TableRandomizedModel:
    """φ_r(prompt, x, coins) = table[x][coins.randbelow(len(table[x]))]: a coin picks the law."""

    alphabet: Alphabet
    table: Mapping[str, Sequence[Dist[str]]]
    max_len: int

    def __call__(self, prompt: str, prefix: str, coins: Coins) -> Dist[str]:
        laws = self.table.get(prefix)
        if not laws:
            raise ZeroMass(f"TableRandomizedModel: no laws for prefix {prefix!r}")
        return laws[coins.randbelow(len(laws))]


@dataclass(frozen=True)
class TableAlgorithm:
    """A text-to-text algorithm: pick a text with one coin, re-pick while it is in `rejected`."""

    alphabet: Alphabet
    texts: Sequence[str]
    rejected: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        if not self.texts or all(t in self.rejected for t in self.texts):
            raise InvalidModel("TableAlgorithm: no text it could ever output")
        if any(t == STOP for t in self.texts):
            raise InvalidModel("TableAlgorithm: STOP is not a text")

    def __call__(self, prompt: str, coins: Coins) -> str:
        return coins.until(lambda c: self.texts[c.randbelow(len(self.texts))], lambda t: t not in self.rejected)
