"""G4 a mystery: a culprit among m suspects, clues from the culprit by a keyed hash, reveal last.

The story is a `SecretGame` (spec.tasks.twenty_questions): the public text is one clue symbol per
clue, then "=", then the culprit's name (suspect j is named by j in base 26, letters a..z, all
names of one length). Clue i about suspect s is the first byte of SHA-256("key|s|i") mod the
number of clue symbols, read as one of those symbols ("a weapon, a place, a colour, ...").

Causation runs culprit → clues: the hidden-token teller (`algo`) picks the culprit and computes
each clue with one hash. The autoregressive teller (`phi`) must, for every clue, find the
suspects consistent with the clues so far: it examines all m suspects per token.
"""

from __future__ import annotations

import hashlib

from spec.errors import InvalidArgument, require_int
from spec.tasks.twenty_questions import Observation, SecretGame

__all__ = ["mystery", "suspect_names", "clue_symbol", "CLUE_SYMBOLS", "MAX_SUSPECTS"]

CLUE_SYMBOLS = "0123456789"
"""Clue symbols are drawn from these (the first `symbols` of them)."""

MAX_SUSPECTS = 26**4
MAX_CLUES = 64
"""Clues are built eagerly, one keyed hash each: a bound keeps a bad argument from hanging."""


def suspect_names(m: int) -> tuple[str, ...]:
    """m suspect names: base-26 letter codes of equal length (a, b, ...; aa, ab, ... when m > 26)."""
    require_int(m, "mystery: the number of suspects m", least=1, most=MAX_SUSPECTS)
    width = 1
    while 26**width < m:
        width += 1
    names = []
    for j in range(m):
        digits = []
        for _ in range(width):
            j, r = divmod(j, 26)
            digits.append(chr(ord("a") + r))
        names.append("".join(reversed(digits)))
    return tuple(names)


def clue_symbol(key: str, suspect: str, i: int, symbols: int) -> str:
    """Clue i for suspect: SHA-256("key|suspect|i")[0] mod symbols, as a clue symbol."""
    digest = hashlib.sha256(f"{key}|{suspect}|{i}".encode()).digest()
    return CLUE_SYMBOLS[digest[0] % symbols]


def _clue(key: str, i: int, symbols: int) -> Observation:
    return Observation(f"clue {i}", CLUE_SYMBOLS[:symbols], lambda s: clue_symbol(key, s, i, symbols))


def mystery(m: int, clues: int = 3, *, symbols: int = 4, key: str = "mystery") -> SecretGame:
    """The mystery world: m suspects, `clues` clues of `symbols` kinds each, keyed by `key`."""
    names = suspect_names(m)
    require_int(clues, "mystery: clues", most=MAX_CLUES)
    require_int(symbols, "mystery: symbols", least=1, most=len(CLUE_SYMBOLS))
    if not isinstance(key, str):
        raise InvalidArgument(f"mystery: key must be a str, got {key!r}")
    return SecretGame(names, tuple(_clue(key, i, symbols) for i in range(clues)), title="Mystery")
