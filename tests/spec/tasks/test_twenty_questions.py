"""spec.tasks.twenty_questions: questions, the secret game's laws and costs, hash questions, bad input."""

from __future__ import annotations

import hashlib
import re
from fractions import Fraction

import pytest

from spec import Dist, induced
from spec.errors import InvalidArgument, InvalidText, ZeroMass
from spec.tasks.twenty_questions import (
    ANIMALS,
    MAX_HASH_BITS,
    REVEAL,
    Cost,
    NotAPredicate,
    Observation,
    Question,
    SecretGame,
    animal_questions,
    hash_bit,
    hash_bit_question,
    hash_universe,
    twenty_questions,
)
from tests.conftest import raises_exactly
from tests.spec.tasks.conftest import ScriptCoins

ANIMAL_ANSWERS = {  # four legs, flies, insect, farm, has an 'a'
    "cat": "ynnyy",
    "dog": "ynnyn",
    "cow": "ynnyn",
    "owl": "nynnn",
    "bee": "nyyyn",
    "ant": "nnyny",
    "eel": "nnnnn",
    "bat": "nynny",
}


def test_animal_questions_texts_and_answers() -> None:
    qs = animal_questions()
    assert [q.text for q in qs] == [
        "does it have four legs?",
        "can it fly?",
        "is it an insect?",
        "is it found on a farm?",
        "does its name contain an 'a'?",
    ]
    assert all(q.outcomes == "yn" for q in qs)
    for a in ANIMALS:
        assert "".join(q(a) for q in qs) == ANIMAL_ANSWERS[a]
    game = twenty_questions(ANIMALS, qs)
    assert all(game.transcript(a) == ANIMAL_ANSWERS[a] + "=" + a for a in ANIMALS)
    assert "4. is it found on a farm?" in game.prompt


def _expected_consistent_observed(answers: str, universe: tuple[str, ...]) -> int:
    total = 0
    for a in universe:
        truth = ANIMAL_ANSWERS[a]
        for j, x in enumerate(answers):
            total += 1
            if truth[j] != x:
                break
    return total


def test_twenty_questions_phi_costs_are_exact() -> None:
    game = twenty_questions(ANIMALS, animal_questions())
    cost = game.cost
    cost.examined, cost.observed, cost.tokens = 5, 6, 7
    cost.reset()
    assert (cost.examined, cost.observed, cost.tokens) == (0, 0, 0)
    text = game.transcript("cat")
    calls = 0
    for j in range(len(text) + 1):
        prefix = text[:j]
        before = (cost.examined, cost.observed, cost.tokens)
        game.phi(game.prompt, prefix)
        calls += 1
        answers = prefix[:5]
        pool = [a for a in ANIMALS if ANIMAL_ANSWERS[a].startswith(answers)]
        extra = len(pool) if j < 5 else 0
        assert cost.tokens == before[2] + 1
        assert cost.examined == before[0] + len(ANIMALS)
        assert cost.observed == before[1] + _expected_consistent_observed(answers, ANIMALS) + extra, prefix
    assert cost.tokens == calls == len(text) + 1
    assert game.consistent("yn") == ["cat", "dog", "cow"]
    assert game.consistent("") == list(ANIMALS)
    assert game.consistent("nyy") == ["bee"]
    assert game.consistent("yy") == []


def test_twenty_questions_algo_costs_and_choice() -> None:
    game = twenty_questions(ANIMALS, animal_questions())
    for i, a in enumerate(ANIMALS):
        coins = ScriptCoins(0, [i])
        assert game.algo(game.prompt, coins) == ANIMAL_ANSWERS[a] + "=" + a
        assert coins.log == [(8, i)]
    assert (game.cost.examined, game.cost.observed, game.cost.tokens) == (8, 40, 0)


def test_twenty_questions_phi_laws_and_errors() -> None:
    game = twenty_questions(ANIMALS, animal_questions())
    p = game.prompt
    assert game.phi(p, "") == Dist({"y": Fraction(3, 8), "n": Fraction(5, 8)})
    assert game.phi(p, "y") == Dist.point("n")
    assert game.phi(p, "n") == Dist({"y": Fraction(3, 5), "n": Fraction(2, 5)})
    assert game.phi(p, "ynny") == Dist({"y": Fraction(1, 3), "n": Fraction(2, 3)})
    assert game.phi(p, "ynnyn") == Dist.point(REVEAL)
    assert game.phi(p, "ynnyn=") == Dist({"d": Fraction(1, 2), "c": Fraction(1, 2)})
    assert game.phi(p, "ynnyn=c") == Dist.point("o")
    assert game.phi(p, "ynnyn=cow") == Dist.point("[STOP]")
    with pytest.raises(ZeroMass, match=r"^Twenty Questions: no object is consistent with the answers 'yy'$"):
        game.phi(p, "yy")
    with pytest.raises(ZeroMass, match=r"^Twenty Questions: no object is consistent with the answers 'yyyyy'$"):
        game.phi(p, "yyyyy")
    with pytest.raises(InvalidText, match=r"^Twenty Questions: prefix 'nnnnny' lacks '=' after the 5 answers$"):
        game.phi(p, "nnnnny")
    with pytest.raises(
        ZeroMass, match=r"^Twenty Questions: no consistent object's name starts with 'c' after 'nnnnn'$"
    ):
        game.phi(p, "nnnnn=c")
    with pytest.raises(InvalidText, match=r"^Twenty Questions prefix 'z': symbol 'z'"):
        game.phi(p, "z")
    assert game.unconditioned_phi(p, "y") == Dist({"y": Fraction(3, 8), "n": Fraction(5, 8)})
    assert game.unconditioned_phi(p, "ynnyn") == Dist.point(REVEAL)
    assert game.unconditioned_phi(p, "yyyyy=b") == Dist({"e": Fraction(1, 2), "a": Fraction(1, 2)})
    assert game.unconditioned_phi(p, "yyyyy=bat") == Dist.point("[STOP]")
    with pytest.raises(ZeroMass, match=r"^Twenty Questions: no object's name starts with 'y'$"):
        game.unconditioned_phi(p, "nnnnn=y")


def test_twenty_questions_exact_over_all_transcripts() -> None:
    game = twenty_questions(ANIMALS, animal_questions())
    assert induced(game.phi, game.prompt, max_len=game.max_len) == game.target()
    assert game.max_len == 5 + 1 + 3
    for a in ANIMALS:
        assert game.answers_of(game.transcript(a)) == (ANIMAL_ANSWERS[a], a)
        assert game.is_consistent(game.transcript(a))
    assert not game.is_consistent("yyyyy=cat")
    assert not game.is_consistent("nnnnn=ca")
    with pytest.raises(InvalidText, match=r"^Twenty Questions: 'ynnyy' is not 5 answers, '=', a name$"):
        game.answers_of("ynnyy")
    with pytest.raises(InvalidText, match=r"^Twenty Questions: 'ynnyyycat' is not 5 answers, '=', a name$"):
        game.answers_of("ynnyyycat")


def test_twenty_questions_reveal_counts_names_sharing_a_prefix() -> None:
    game = twenty_questions(["ab", "ac", "b", "abc"], [Question("starts with a?", lambda n: n.startswith("a"))])
    p = game.prompt
    assert game.phi(p, "") == Dist({"y": Fraction(3, 4), "n": Fraction(1, 4)})
    assert game.phi(p, "y=") == Dist.point("a")
    assert game.phi(p, "y=a") == Dist({"b": Fraction(2, 3), "c": Fraction(1, 3)})
    assert game.phi(p, "y=ab") == Dist({"[STOP]": Fraction(1, 2), "c": Fraction(1, 2)})
    assert game.unconditioned_phi(p, "y=") == Dist({"a": Fraction(3, 4), "b": Fraction(1, 4)})
    assert game.unconditioned_phi(p, "n=a") == Dist({"b": Fraction(2, 3), "c": Fraction(1, 3)})
    assert game.unconditioned_phi(p, "") == Dist({"y": Fraction(3, 4), "n": Fraction(1, 4)})
    assert induced(game.phi, p, max_len=game.max_len) == game.target()
    with pytest.raises(InvalidText, match=r"^Twenty Questions transcript 'y=z': symbol 'z' at position 2"):
        game.answers_of("y=z")
    with pytest.raises(InvalidText, match=r"^Twenty Questions prefix 'z': symbol 'z' at position 0"):
        game.unconditioned_phi(p, "z")


def test_observation_outside_its_outcomes_is_not_a_predicate() -> None:
    for out in ("c", "ab", "", 1, None):
        ob = Observation("q?", "ab", lambda name, out=out: out)  # type: ignore[misc]
        msg = f"observation 'q?' gave {out!r} on object 'cat', not one of 'ab'"
        with pytest.raises(NotAPredicate, match="^" + re.escape(msg) + "$"):
            ob("cat")
    assert Observation("q?", "ab", lambda name: "b")("cat") == "b"
    assert Observation("q?", "a", lambda name: "a")("x") == "a"
    bad = Question("odd?", lambda name: 1)  # type: ignore[arg-type, return-value]
    with pytest.raises(NotAPredicate, match=r"^question 'odd\?' is not a predicate: on object 'x' it returned 1 \(int\), not a bool$"):
        bad("x")


def test_observation_and_game_argument_errors() -> None:
    with pytest.raises(NotAPredicate, match=r"^observation 'q': read must be callable, got 3$"):
        Observation("q", "ab", 3)  # type: ignore[arg-type]
    for outcomes in ("", "aa", "a="):
        msg = f"observation 'q': outcomes must be distinct symbols other than '=', got {outcomes!r}"
        with pytest.raises(InvalidArgument, match="^" + re.escape(msg) + "$"):
            Observation("q", outcomes, lambda n: "a")
    with pytest.raises(NotAPredicate, match=r"^question 'q': the predicate must be callable, got 3$"):
        Question("q", 3)  # type: ignore[arg-type]
    with pytest.raises(InvalidArgument, match=r"^twenty_questions: the universe must be a sequence of names, not one str$"):
        twenty_questions("cat", [])
    with pytest.raises(InvalidArgument, match=r"^Twenty Questions: the universe must be a non-empty tuple of names, got \(\)$"):
        twenty_questions([], [])
    with pytest.raises(InvalidArgument, match=r"^Twenty Questions: the universe names an object twice$"):
        twenty_questions(["a", "a"], [])
    for name in ("", "a=b", 3):
        msg = f"Twenty Questions: object name {name!r} must be a non-empty str without '='"
        with pytest.raises(InvalidArgument, match="^" + re.escape(msg) + "$"):
            twenty_questions(["x", name], [])  # type: ignore[list-item]
    with pytest.raises(NotAPredicate, match=r"^Twenty Questions: 'q' is not a question \(an Observation\)$"):
        twenty_questions(["x"], ["q"])  # type: ignore[list-item]
    assert SecretGame(("x",), ()).title == "Twenty Questions"


def test_hash_questions_and_universe() -> None:
    d = hashlib.sha256(b"12").digest()
    bits = "".join(format(byte, "08b") for byte in d)
    assert [hash_bit("12", i) for i in range(256)] == [b == "1" for b in bits]
    q = hash_bit_question(255)
    assert q.text == "is bit 255 of SHA-256 of it 1?"
    assert q("12") == ("y" if bits[255] == "1" else "n")
    assert hash_bit_question(0)("12") == ("y" if bits[0] == "1" else "n")
    for i in (-1, 256, True, 1.0):
        with pytest.raises(InvalidArgument, match="^" + re.escape(f"hash_bit_question: i must be an int in 0..255, got {i!r}") + "$"):
            hash_bit_question(i)  # type: ignore[arg-type]
    assert hash_universe(0) == ("0",)
    assert hash_universe(3) == ("0", "1", "2", "3", "4", "5", "6", "7")
    assert len(hash_universe(MAX_HASH_BITS)) == 2**20
    for b in (-1, MAX_HASH_BITS + 1, True, 2.0):
        with pytest.raises(InvalidArgument, match="^" + re.escape(f"hash_universe: b must be an int in 0..20, got {b!r}") + "$"):
            hash_universe(b)  # type: ignore[arg-type]
    assert Cost() == Cost(0, 0, 0)


def test_hash_bit_is_sha256_msb_first() -> None:
    for name in ("0", "1", "65535", "cat"):
        value = int.from_bytes(hashlib.sha256(name.encode()).digest(), "big")
        assert [hash_bit(name, i) for i in range(256)] == [bool(value >> (255 - i) & 1) for i in range(256)]


def test_a_secret_game_keeps_the_objects_consistent_with_the_answers() -> None:
    game = SecretGame(("a", "b"), (Question("q?", lambda s: s == "a"),))
    assert game.consistent("y") == ["a"] and game.consistent("n") == ["b"] and game.consistent("") == ["a", "b"]
    raises_exactly(ZeroMass, "Twenty Questions: no consistent object's name starts with 'a' after 'n'",
                   lambda: game.phi(game.prompt, "n=a"))
