"""R1: "give me a random 6-digit number": uniform 1-9, then uniform 0-9, then STOP."""

from __future__ import annotations

from dataclasses import dataclass

from spec.dist import Dist
from spec.errors import InvalidText, ZeroMass, require_int
from spec.signatures import Coins
from spec.text import STOP, Alphabet, alphabet, require_text

__all__ = ["DIGITS", "UniformNumber", "uniform_number", "MAX_UNIFORM_DIGITS", "parse_number"]

DIGITS: Alphabet = alphabet("0123456789")
MAX_UNIFORM_DIGITS = 7
"""The target is built explicitly (9·10^(digits-1) texts), so digits stays small."""

_FIRST = Dist.uniform("123456789")
_REST = Dist.uniform("0123456789")
_END: Dist[str] = Dist.point(STOP)


@dataclass(frozen=True)
class UniformNumber:
    """The task "give me a random d-digit number": target Unif{10^(d-1), ..., 10^d − 1}."""

    digits: int

    def __post_init__(self) -> None:
        require_int(self.digits, "uniform_number: digits", least=1, most=MAX_UNIFORM_DIGITS)

    @property
    def prompt(self) -> str:
        """The post's prompt."""
        return f"give me a random {self.digits}-digit number"

    @property
    def alphabet(self) -> Alphabet:
        """Σ = the ten decimal digits."""
        return DIGITS

    @property
    def max_len(self) -> int:
        """Every response has exactly `digits` symbols."""
        return self.digits

    def target(self) -> Dist[str]:
        """Unif over the decimal texts of 10^(d-1) .. 10^d − 1."""
        return Dist.uniform(str(x) for x in range(10 ** (self.digits - 1), 10**self.digits))

    def phi(self, prompt: str, prefix: str) -> Dist[str]:
        """The post's AR model: uniform 1-9 first, uniform 0-9 next, STOP after `digits` symbols."""
        if type(prefix) is not str or not DIGITS.issuperset(prefix):  # the check inlined: φ is called per node
            require_text(prefix, DIGITS, what="uniform_number prefix")
        k = len(prefix)
        if k > self.digits or (k > 0 and prefix[0] == "0"):
            raise ZeroMass(f"uniform_number: prefix {prefix!r} has probability 0")
        return _FIRST if k == 0 else _REST if k < self.digits else _END

    def algo(self, prompt: str, coins: Coins) -> str:
        """Text to text: one uniform choice among the 9·10^(d-1) numbers."""
        lo = 10 ** (self.digits - 1)
        return str(lo + coins.randbelow(9 * lo))


def uniform_number(digits: int = 6) -> UniformNumber:
    """The post's task "give me a random `digits`-digit number" (R1 uses digits = 6)."""
    return UniformNumber(digits)


def parse_number(text: str, digits: int) -> int:
    """The number a response names; InvalidText unless it is `digits` digits without a leading 0."""
    require_text(text, DIGITS, what="number")
    if len(text) != digits or text[0] == "0":
        raise InvalidText(f"number {text!r}: expected {digits} digits without a leading 0")
    return int(text)
