"""spec.tasks.mystery: suspects, clues and bad input."""

from __future__ import annotations

import pytest

from spec.errors import InvalidArgument
from spec.tasks.mystery import mystery, suspect_names


def test_mystery_names_and_clues() -> None:
    assert suspect_names(3) == ("a", "b", "c")
    assert suspect_names(27)[26] == "ba" and len(set(suspect_names(700))) == 700
    game = mystery(5, 4)
    assert all(len(x) == 4 + 1 + 1 for x in game.target().support)


def test_mystery_bad_input() -> None:
    with pytest.raises(InvalidArgument):
        mystery(0)
    with pytest.raises(InvalidArgument):
        mystery(3, -1)
    with pytest.raises(InvalidArgument):
        mystery(3, 2, symbols=11)


def test_mystery_names_the_clue_count_it_rejects() -> None:
    with pytest.raises(InvalidArgument, match=r"^mystery: clues must be an int in 0\.\.64, got 65$"):
        mystery(2, 65)


def test_mystery_title_and_suspect_names() -> None:
    assert mystery(3, 2).title == "Mystery"
    assert suspect_names(12) == tuple("abcdefghijkl")
    assert suspect_names(30)[-3:] == ("bb", "bc", "bd") and len(set(suspect_names(30))) == 30


def test_suspect_names_rejects_counts_outside_1_to_26_to_the_4() -> None:
    with pytest.raises(InvalidArgument, match=r"^mystery: the number of suspects m must be an int in 1\.\.456976, got 0$"):
        suspect_names(0)
    with pytest.raises(InvalidArgument, match=r"^mystery: the number of suspects m must be an int in 1\.\.456976, got 456977$"):
        suspect_names(26**4 + 1)


def test_mystery_clues_are_named_by_their_index() -> None:
    assert [o.text for o in mystery(3, 3).observations] == ["clue 0", "clue 1", "clue 2"]
