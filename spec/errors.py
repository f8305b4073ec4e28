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
