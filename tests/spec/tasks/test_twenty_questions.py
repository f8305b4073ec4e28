"""spec.tasks.twenty_questions: questions, the secret game's laws and costs, hash questions, bad input."""

from __future__ import annotations

import hashlib

import pytest

from spec.errors import InvalidArgument, InvalidText
from spec.tasks.twenty_questions import (
    ANIMALS,
    NotAPredicate,
    Question,
    SecretGame,
    animal_questions,
    hash_bit,
    hash_bit_question,
    hash_universe,
    twenty_questions,
)


def test_hash_bit_is_sha256_msb_first() -> None:
    for name in ("0", "1", "65535", "cat"):
        value = int.from_bytes(hashlib.sha256(name.encode()).digest(), "big")
        assert [hash_bit(name, i) for i in range(256)] == [bool(value >> (255 - i) & 1) for i in range(256)]


def test_twenty_questions_bad_input() -> None:
    with pytest.raises(InvalidArgument, match="non-empty"):
        twenty_questions([], animal_questions())
    with pytest.raises(InvalidArgument, match="twice"):
        twenty_questions(["cat", "cat"], ())
    with pytest.raises(NotAPredicate, match="callable"):
        Question("is it?", "yes")  # type: ignore[arg-type]
    not_bool = Question("how many legs?", lambda a: 4)  # type: ignore[arg-type, return-value]
    with pytest.raises(NotAPredicate, match="not a predicate"):
        twenty_questions(ANIMALS, [not_bool]).target()
    with pytest.raises(NotAPredicate, match="not a question"):
        SecretGame(ANIMALS, ("is it a cat?",))  # type: ignore[arg-type]
    with pytest.raises(InvalidArgument):
        hash_universe(-1)
    with pytest.raises(InvalidArgument):
        hash_bit_question(256)
    game = twenty_questions(ANIMALS, animal_questions()[:1])
    with pytest.raises(InvalidText):
        game.phi(game.prompt, "q")
