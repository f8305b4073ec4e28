"""The messages of spec's errors (spec.errors): each names the function, the argument and the bad value, or
where in a text or a model the problem is."""

from __future__ import annotations

import pytest

from spec import (
    STOP,
    Dist,
    InvalidArgument,
    InvalidDistribution,
    InvalidModel,
    InvalidText,
    NonTerminating,
    alphabet,
    chain_rule,
    enumerate_runs,
    require_text,
    with_random_seed,
)
from spec.errors import ZeroMass, require_int
from spec.models import TableModel, TableRandomizedModel
from spec.tasks.det_prime import det_prime
from spec.tasks.polynomial import polynomial
from spec.tasks.semiprime import parse_tuple, require_prime
from spec.tasks.sudoku import sudoku
from spec.tasks.twenty_questions import (
    NotAPredicate,
    Observation,
    SecretGame,
    hash_bit_question,
)
from tests.conftest import raises_exactly
from tests.spec.conftest import NoCoins


def test_core_errors_say_what_and_where() -> None:
    with pytest.raises(ZeroMass, match=r"^Dist.condition: the event has probability 0$"):
        Dist.uniform("ab").condition(lambda x: x == "c")
    with pytest.raises(InvalidDistribution, match=r"^Dist.bind: the kernel returned dict, not a Dist$"):
        Dist.point(1).bind(lambda x: {x: 1})  # type: ignore[arg-type,return-value]
    with pytest.raises(InvalidModel, match=r"^chain_rule: the target must be a Dist of texts, got dict$"):
        chain_rule({"a": 1})  # type: ignore[arg-type]
    with pytest.raises(InvalidModel, match=r"^with_random_seed: the algorithm returned int, not a str$"):
        with_random_seed(lambda p, c: 3, seed_space=1).output("", 0)  # type: ignore[arg-type]
    with pytest.raises(ZeroMass, match=r"^TableRandomizedModel: no laws for prefix 'b'$"):
        TableRandomizedModel(alphabet("a"), {"": (Dist.point(STOP),)}, 0)("", "b", NoCoins())
    with pytest.raises(NonTerminating, match=r"^enumerate_runs: runs of total probability 1 need more than 0 coin "
                                             r"flips; raise max_flips or bound the residual instead$"):
        enumerate_runs(lambda c: c.randbelow(2), 0).dist()


def test_text_and_model_errors_quote_the_alphabet_and_the_prefix() -> None:
    with pytest.raises(InvalidText, match=r"^text 'az': symbol 'z' at position 1 is not in the alphabet 'ab'$"):
        require_text("az", alphabet("ba"))
    with pytest.raises(ZeroMass, match=r"^TableModel: no next-token law for prefix 'b'$"):
        TableModel(alphabet("a"), {"": Dist.point(STOP)}, 0)("", "b")


def test_error_messages_name_the_argument_and_its_value() -> None:
    raises_exactly(InvalidArgument, "x must be an int in 1..3, got 5", lambda: require_int(5, "x", least=1, most=3))
    raises_exactly(InvalidArgument, "x must be an int >= 1, got 0", lambda: require_int(0, "x", least=1))
    raises_exactly(InvalidText, "alphabet: no symbols (Σ must be non-empty)", lambda: alphabet(""))
    raises_exactly(InvalidText, "alphabet: symbol 'ab' is not a one-character str", lambda: alphabet(["ab"]))
    raises_exactly(InvalidText, "tuple text '[4,2,x]': symbol 'x' at position 5 is not in the alphabet ',0123456789[]'",
                   lambda: parse_tuple("[4,2,x]", "pq,p,q", 1))
    raises_exactly(InvalidText, "tuple text '[4,2,3]': 2·3 = 6, not 4", lambda: parse_tuple("[4,2,3]", "pq,p,q", 1))
    raises_exactly(InvalidText, "tuple text '[4,1,4]': p = 1 is not an 1-digit prime", lambda: parse_tuple("[4,1,4]", "pq,p,q", 1))
    raises_exactly(InvalidText, "tuple text '[143,11,13]': p = 11 is not an 3-digit prime", lambda: parse_tuple("[143,11,13]", "pq,p,q", 3))
    raises_exactly(InvalidText, "tuple text '[22,11,2]': q = 2 is not an 2-digit prime", lambda: parse_tuple("[22,11,2]", "pq,p,q", 2))
    raises_exactly(InvalidArgument, "p = 4 is not prime", lambda: require_prime(4, 1))
    raises_exactly(InvalidArgument, "sudoku: erasable cell 16 is not an int in 0..15", lambda: sudoku([16]))
    raises_exactly(NotAPredicate, "observation 'q': read must be callable, got 3", lambda: Observation("q", "yn", 3))  # type: ignore[arg-type]
    raises_exactly(InvalidArgument, "Twenty Questions: object name 'a=' must be a non-empty str without '='",
                   lambda: SecretGame(("a=",), ()))
    raises_exactly(InvalidArgument, "hash_bit_question: i must be an int in 0..255, got 256", lambda: hash_bit_question(256))
    raises_exactly(InvalidArgument, "det_prime n must be an int between 1 and 8, got 0", lambda: det_prime(0, 0))
    raises_exactly(InvalidArgument, "det_prime: m must be an int in 0..n=3, got 'a'", lambda: det_prime(3, "a"))  # type: ignore[arg-type]
    raises_exactly(InvalidArgument, "polynomial: the root range R must be an int >= 1, got 0", lambda: polynomial(2, 0))
    raises_exactly(InvalidArgument, "polynomial: the root range R must be an int >= 1, got True", lambda: polynomial(2, True))
    raises_exactly(InvalidArgument, "polynomial: the number of roots n must be an int >= 1, got 0", lambda: polynomial(0, 1))
    raises_exactly(InvalidDistribution, "Dist: no item has positive probability (empty support)", lambda: Dist({}))
    assert polynomial(1, 1).n == 1
