"""spec.tasks.uniform_number: the algorithm's law, parsing and bad input."""

from __future__ import annotations

import pytest

from spec import enumerate_runs
from spec.errors import InvalidArgument, InvalidText, ZeroMass
from spec.tasks import uniform_number
from spec.tasks.uniform_number import parse_number


def test_uniform_number_algo_law_is_the_target() -> None:
    task = uniform_number(3)
    assert enumerate_runs(lambda c: task.algo(task.prompt, c), 1).dist() == task.target()


def test_uniform_number_bad_input_is_typed() -> None:
    for bad in (0, 8, -1, True, "6"):
        with pytest.raises(InvalidArgument, match="digits"):
            uniform_number(bad)  # type: ignore[arg-type]
    task = uniform_number(6)
    with pytest.raises(ZeroMass, match="'0'"):
        task.phi(task.prompt, "0")
    with pytest.raises(InvalidText, match="'x'"):
        task.phi(task.prompt, "1x")


def test_parse_number() -> None:
    assert parse_number("120", 3) == 120
    with pytest.raises(InvalidText, match=r"^number '1a': symbol 'a' at position 1 is not in the alphabet '0123456789'$"):
        parse_number("1a", 2)
    with pytest.raises(InvalidText, match=r"^number '012': expected 3 digits without a leading 0$"):
        parse_number("012", 3)
    with pytest.raises(InvalidText, match=r"^number '12': expected 3 digits without a leading 0$"):
        parse_number("12", 3)


def test_uniform_number_prefix_with_a_non_digit_names_the_prefix() -> None:
    task = uniform_number(3)
    with pytest.raises(InvalidText) as info:
        task.phi(task.prompt, "1x")
    assert str(info.value) == "uniform_number prefix '1x': symbol 'x' at position 1 is not in the alphabet '0123456789'"
