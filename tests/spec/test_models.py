"""spec.models: the table models and algorithms the strategies and checkers build on."""

from __future__ import annotations

import pytest

from spec import STOP, InvalidModel, alphabet
from spec.models import TableAlgorithm


def test_table_algorithm_messages_name_the_problem() -> None:
    with pytest.raises(InvalidModel, match=r"^TableAlgorithm: no text it could ever output$"):
        TableAlgorithm(alphabet("a"), ("a",), frozenset({"a"}))
    with pytest.raises(InvalidModel, match=r"^TableAlgorithm: STOP is not a text$"):
        TableAlgorithm(alphabet("a"), (STOP,))
