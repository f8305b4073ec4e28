"""The suite's exception types: every bad input raises one of these, with a message naming it."""

from __future__ import annotations

from fractions import Fraction

__all__ = [
    "SpecError",
    "InvalidDistribution",
    "InvalidText",
    "InvalidModel",
    "NonTerminating",
    "ZeroMass",
    "InvalidArgument",
    "require_int",
]


class SpecError(Exception):
    """Base class of every error the suite raises on bad input."""


class InvalidDistribution(SpecError, ValueError):
    """A distribution that is not one: a float, negative or zero weight, wrong total, empty support."""


class InvalidText(SpecError, ValueError):
    """A text with a symbol outside its alphabet, or an alphabet that is not one."""


class InvalidModel(SpecError, TypeError):
    """A model that returned something other than a next-token distribution over Σ ∪ {STOP}."""


class ZeroMass(SpecError, ValueError):
    """A conditional asked of an event (a prefix, a predicate) that has probability 0."""


class NonTerminating(SpecError):
    """Mass that never reached STOP (or the flip budget): reported, never silently dropped."""

    def __init__(self, message: str, mass: Fraction) -> None:
        super().__init__(message)
        self.mass = mass


class InvalidArgument(SpecError, ValueError):
    """A size, budget or length argument out of its range (max_len < 0, k < 1, n < 1, ...)."""


def require_int(value: object, what: str, *, least: int | None = 0, most: int | None = None) -> int:
    """value itself when it is an int (not a bool) in least..most (no bound where None); InvalidArgument naming
    `what` otherwise.

    The suite's validators are all `require_*`: each returns its (checked) argument or raises a SpecError.
    """
    if (isinstance(value, bool) or not isinstance(value, int) or (least is not None and value < least)
            or (most is not None and value > most)):
        span = ("" if least is None and most is None else f" >= {least}" if most is None
                else f" <= {most}" if least is None else f" in {least}..{most}")
        raise InvalidArgument(f"{what} must be an int{span}, got {value!r}")
    return value
