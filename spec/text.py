"""Σ, texts and STOP: an alphabet is a finite set of one-character symbols, a text is a str."""

from __future__ import annotations

from collections.abc import Iterable

from spec.errors import InvalidText

__all__ = ["STOP", "Alphabet", "alphabet", "require_text", "is_token"]

STOP = "[STOP]"
"""The stop token. It is six characters long, so it lies outside every alphabet of symbols."""

Alphabet = frozenset[str]
"""Σ: a non-empty finite set of one-character symbols."""


def alphabet(symbols: Iterable[str]) -> Alphabet:
    """Σ from its symbols; each must be a one-character str."""
    if isinstance(symbols, str):
        symbols = list(symbols)
    if not isinstance(symbols, Iterable):
        raise InvalidText(f"alphabet: symbols must be an iterable of one-character str, got {type(symbols).__name__}")
    out = []
    for s in symbols:
        if not isinstance(s, str) or len(s) != 1:
            raise InvalidText(f"alphabet: symbol {s!r} is not a one-character str")
        out.append(s)
    if not out:
        raise InvalidText("alphabet: no symbols (Σ must be non-empty)")
    if len(set(out)) != len(out):
        raise InvalidText(f"alphabet: repeated symbols in {''.join(out)!r}")
    return frozenset(out)


def require_text(text: str, sigma: Alphabet, *, what: str = "text") -> str:
    """The text itself, if every symbol of it is in Σ; otherwise InvalidText naming the position."""
    if not isinstance(text, str):
        raise InvalidText(f"{what} must be a str, got {type(text).__name__}")
    if isinstance(sigma, frozenset) and sigma.issuperset(text):  # the common case, at C speed; the loop below finds the culprit
        return text
    for i, c in enumerate(text):
        if c not in sigma:
            raise InvalidText(
                f"{what} {text!r}: symbol {c!r} at position {i} is not in the alphabet "
                f"{''.join(sorted(sigma))!r}"
            )
    return text


def is_token(token: object, sigma: Alphabet | None = None) -> bool:
    """True for STOP and for one-character symbols (of Σ, when Σ is given)."""
    if token == STOP:
        return True
    if not isinstance(token, str) or len(token) != 1:
        return False
    return sigma is None or token in sigma
