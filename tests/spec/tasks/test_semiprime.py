"""spec.tasks.semiprime: the tuple texts, the two exact models, the rejection algorithm, bad input."""

from __future__ import annotations

import importlib
import re
from fractions import Fraction

import pytest
from hypothesis import given

from spec import Dist, enumerate_runs, induced
from spec.errors import InvalidArgument, InvalidText, ZeroMass
from spec.tasks import semiprime_triple
from spec.tasks.primes import n_digit_primes
from spec.tasks.random_prime import MAX_PRIME_DIGITS
from spec.tasks.semiprime import (
    FactorFirstModel,
    SemiprimeTriple,
    _require_order,
    distinct_products,
    parse_continuation,
    parse_tuple,
    require_prime,
    tuple_text,
)
from strategies import tuple_texts
from tests.spec.tasks.conftest import ScriptCoins

REFERENCE = {1: (4, 16, 10), 2: (21, 441, 231), 3: (143, 20449, 10296)}


def test_S_n_sizes_match_the_reference_table() -> None:
    for n, (primes, pairs, distinct) in REFERENCE.items():
        assert len(n_digit_primes(n)) == primes
        assert len(semiprime_triple(n, "pq,p,q").target()) == pairs
        assert len(distinct_products(n)) == distinct == primes * (primes + 1) // 2


@given(tuple_texts(3))
def test_tuple_text_round_trip(text: str) -> None:
    order = "p,q,pq" if text.count(",") == 2 and len(text.split(",")[2]) > 4 else "pq,p,q"
    p, q, s = parse_tuple(text, order, 3)  # type: ignore[arg-type]
    assert p * q == s and tuple_text(p, q, order) == text  # type: ignore[arg-type]


def test_malformed_tuple_texts_are_rejected_with_the_reason() -> None:
    with pytest.raises(InvalidText, match="not of the form"):
        parse_tuple("[12,3]", "pq,p,q")
    with pytest.raises(InvalidText, match="not of the form"):
        parse_tuple("[012,3,4]", "p,q,pq")
    with pytest.raises(InvalidText, match="not 21"):
        parse_tuple("[21,3,5]", "pq,p,q")
    with pytest.raises(InvalidText, match="9 is not an 1-digit prime"):
        parse_tuple("[18,2,9]", "pq,p,q", 1)
    with pytest.raises(InvalidText, match="'x'"):
        parse_tuple("[1x,1,1]", "pq,p,q")
    with pytest.raises(InvalidText, match="a,b"):
        parse_continuation("3,5")
    with pytest.raises(InvalidArgument, match="order"):
        tuple_text(3, 5, "q,p,pq")  # type: ignore[arg-type]


def test_semiprime_task_bad_input_is_typed() -> None:
    task = semiprime_triple(2, "pq,p,q")
    with pytest.raises(InvalidArgument, match="is not prime"):
        task.text(15, 13)
    with pytest.raises(InvalidArgument, match="has 1 digits, not 2"):
        task.text(7, 13)
    with pytest.raises(InvalidArgument, match="n must be"):
        semiprime_triple(0, "pq,p,q")
    with pytest.raises(InvalidArgument, match="explicit target"):
        semiprime_triple(5, "pq,p,q").target()


def test_semiprime_algo_law_is_consistent_with_the_target() -> None:
    task = semiprime_triple(1, "p,q,pq")
    runs = enumerate_runs(lambda c: task.algo(task.prompt, c), 6)
    assert runs.consistent_with(task.target()) and set(runs.mass) == set(task.target().support)


_semiprime_module = importlib.import_module("spec.tasks.semiprime")


def test_semiprime_parse_errors_name_what_is_parsed() -> None:
    with pytest.raises(InvalidText, match=r"^tuple text must be a str, got int$"):
        parse_tuple(5, "p,q,pq")  # type: ignore[arg-type]
    with pytest.raises(InvalidText, match=r"^tuple text '\[a\]': symbol 'a' at position 1"):
        parse_tuple("[a]", "p,q,pq")
    with pytest.raises(InvalidText, match=r"^continuation must be a str, got int$"):
        parse_continuation(5)  # type: ignore[arg-type]
    with pytest.raises(InvalidText, match=r"^continuation '3,x\]': symbol 'x' at position 2"):
        parse_continuation("3,x]")
    with pytest.raises(InvalidText, match=r"^continuation '3,05\]' is not of the form a,b\] \(decimal, no leading zeros\)$"):
        parse_continuation("3,05]")
    assert parse_continuation("13,7]") == (13, 7)
    assert parse_tuple("[3,5,15]", "p,q,pq") == (3, 5, 15)
    assert parse_tuple("[15,3,5]", "pq,p,q") == (3, 5, 15)
    assert parse_tuple("[15,3,5]", "pq,p,q", 1) == (3, 5, 15)
    with pytest.raises(InvalidText, match=r"^tuple text '\[3,5,16\]': 3·5 = 15, not 16$"):
        parse_tuple("[3,5,16]", "p,q,pq")
    with pytest.raises(InvalidText, match=r"^tuple text '\[4,5,20\]': p = 4 is not an 1-digit prime$"):
        parse_tuple("[4,5,20]", "p,q,pq", 1)
    with pytest.raises(InvalidText, match=r"^tuple text '\[5,4,20\]': q = 4 is not an 1-digit prime$"):
        parse_tuple("[5,4,20]", "p,q,pq", 1)
    with pytest.raises(InvalidText, match=r"^tuple text '\[5,4\]' is not of the form \[a,b,c\]"):
        parse_tuple("[5,4]", "p,q,pq")


def test_semiprime_require_prime_and_text_name_p_and_q() -> None:
    task = semiprime_triple(1)
    assert task.order == "p,q,pq"
    assert task.text(3, 7) == "[3,7,21]"
    assert semiprime_triple(1, "pq,p,q").text(3, 7) == "[21,3,7]"
    assert tuple_text(3, 7, "pq,p,q") == "[21,3,7]"
    with pytest.raises(InvalidArgument, match=r"^p = 4 is not prime$"):
        task.text(4, 7)
    with pytest.raises(InvalidArgument, match=r"^q = 4 is not prime$"):
        task.text(3, 4)
    with pytest.raises(InvalidArgument, match=r"^q = 11 has 2 digits, not 1$"):
        task.text(3, 11)
    with pytest.raises(InvalidArgument, match=r"^q must be an int, got True$"):
        task.text(3, True)
    assert require_prime(7, 1) == 7
    with pytest.raises(InvalidArgument, match=r"^p must be an int, got '7'$"):
        require_prime("7", 1)
    with pytest.raises(InvalidArgument, match=r"^order must be one of \('p,q,pq', 'pq,p,q'\), got 'p,pq,q'$"):
        semiprime_triple(1, "p,pq,q")  # type: ignore[arg-type]
    for n in (0, MAX_PRIME_DIGITS + 1):
        msg = f"semiprime_triple n must be an int between 1 and {MAX_PRIME_DIGITS}, got {n}"
        with pytest.raises(InvalidArgument, match="^" + re.escape(msg) + "$"):
            SemiprimeTriple(n, "p,q,pq")
    assert task.parse("[3,7,21]") == (3, 7, 21)
    with pytest.raises(InvalidText, match="is not an 1-digit prime"):
        task.parse("[1,7,7]")


ONE_DIGIT_PRIMES = (2, 3, 5, 7)


def test_product_last_model_laws_and_errors() -> None:
    from spec.tasks.semiprime import ProductLastModel

    m = ProductLastModel(1)
    quarter = Dist.uniform("2357")
    for prefix, law in (
        ("", Dist.point("[")),
        ("[", quarter),
        ("[3", Dist.point(",")),
        ("[3,", quarter),
        ("[3,5", Dist.point(",")),
        ("[3,5,", Dist.point("1")),
        ("[3,5,1", Dist.point("5")),
        ("[3,5,15", Dist.point("]")),
        ("[3,5,15]", Dist.point("[STOP]")),
        ("[7,7,4", Dist.point("9")),
    ):
        assert m("", prefix) == law, prefix
    target = Dist.uniform([f"[{p},{q},{p * q}]" for p in ONE_DIGIT_PRIMES for q in ONE_DIGIT_PRIMES])
    assert induced(m, "", max_len=8) == target
    for prefix, err, msg in (
        ("[3,5,15,1", ZeroMass, "tuple prefix '[3,5,15,1' has more than three fields"),
        ("[35", ZeroMass, "tuple prefix '[35': field '35' is longer than 1 digits"),
        ("[3,5,2", ZeroMass, "tuple prefix '[3,5,2' does not lead to '[3,5,15]'"),
        ("[3,5,15,", ZeroMass, "tuple prefix '[3,5,15,' has more than three fields"),
        ("3", InvalidText, "tuple prefix '3' must start with '[' and hold no other '['"),
        ("[3[", InvalidText, "tuple prefix '[3[' must start with '[' and hold no other '['"),
        ("[4,5,", InvalidArgument, "p = 4 is not prime"),
        ("[3,4,", InvalidArgument, "q = 4 is not prime"),
        ("[3,5,16]", InvalidText, "tuple text '[3,5,16]': 3·5 = 15, not 16"),
        ("[4,5,20]", InvalidText, "tuple text '[4,5,20]': p = 4 is not an 1-digit prime"),
        ("[11,2,22]", InvalidText, "tuple text '[11,2,22]': p = 11 is not an 1-digit prime"),
        ("[2,9,18]", InvalidText, "tuple text '[2,9,18]': q = 9 is not an 1-digit prime"),
    ):
        with pytest.raises(err, match="^" + re.escape(msg) + "$"):
            m("", prefix)
    with pytest.raises(InvalidText, match=r"^tuple prefix '\[a': symbol 'a' at position 1"):
        m("", "[a")
    for prefix in ("[[", "[3[", "[3,[", "[3,5,1["):
        msg = f"tuple prefix {prefix!r} must start with '[' and hold no other '['"
        with pytest.raises(InvalidText, match="^" + re.escape(msg) + "$"):
            m("", prefix)
    assert _require_order("pq,p,q") == "pq,p,q" and _require_order("p,q,pq") == "p,q,pq"


def test_factor_first_model_laws_and_errors() -> None:
    from spec.tasks.semiprime import (
        FactorFirstModel,
        distinct_products,
        ordered_factorizations,
    )

    table = ordered_factorizations(1)
    assert table(15) == ((3, 5), (5, 3)) and table(16) == () and table(49) == ((7, 7),)
    assert distinct_products(1) == (4, 6, 9, 10, 14, 15, 21, 25, 35, 49)
    f = FactorFirstModel(1, table)
    sixteenth = Fraction(1, 16)
    for prefix, law in (
        ("", Dist.point("[")),
        ("[", Dist({"1": 6 * sixteenth, "2": 3 * sixteenth, "3": 2 * sixteenth, "4": 2 * sixteenth, "6": 2 * sixteenth, "9": sixteenth})),
        ("[1", Dist.uniform("045")),
        ("[2", Dist({"1": Fraction(2, 3), "5": Fraction(1, 3)})),
        ("[4", Dist({",": Fraction(1, 2), "9": Fraction(1, 2)})),
        ("[6", Dist.point(",")),
        ("[15,", Dist.uniform("35")),
        ("[15,3", Dist.point(",")),
        ("[15,3,", Dist.point("5")),
        ("[15,3,5", Dist.point("]")),
        ("[15,3,5]", Dist.point("[STOP]")),
        ("[4,2,2]", Dist.point("[STOP]")),
    ):
        assert f("", prefix) == law, prefix
    target = Dist.uniform([f"[{p * q},{p},{q}]" for p in ONE_DIGIT_PRIMES for q in ONE_DIGIT_PRIMES])
    assert induced(f, "", max_len=8) == target
    assert f.continuations(15) == ("3,5]", "5,3]") and f.continuations(16) == ()
    for prefix, msg in (
        ("[8", "no s in S_1 starts with '8'"),
        ("[15,4", "tuple prefix '[15,4' continues no factorization of 15"),
        ("[16,", "s = 16 is not p·q for 1-digit primes p, q"),
        ("[15,3,5]]", "tuple prefix '[15,3,5]]' continues no factorization of 15"),
    ):
        with pytest.raises(ZeroMass, match="^" + re.escape(msg) + "$"):
            f("", prefix)
    # a factorizer's wrong or repeated pairs are dropped, the rest sorted; each s is factored once
    asked: list[int] = []

    def factor(s: int) -> list[tuple[int, int]]:
        asked.append(s)
        return [(5, 3), (2, 2), (3, 5), (5, 3)] if s == 15 else []

    g = FactorFirstModel(1, factor)
    assert g.continuations(15) == ("3,5]", "5,3]")
    assert g("", "[15,") == Dist.uniform("35")
    assert g("", "[15,3") == Dist.point(",")
    assert g.continuations(15) == ("3,5]", "5,3]")
    assert g.continuations(21) == () and g.continuations(21) == ()
    assert asked == [15, 21]


def test_semiprime_algo_draws_primes_by_rejection() -> None:
    task = semiprime_triple(1)
    coins = ScriptCoins(0, [3, 0, 6, 8, 2])  # 4 rejected, 1 rejected, 7; 9 rejected, 3
    assert task.algo(task.prompt, coins) == "[7,3,21]"
    assert coins.log == [(9, 3), (9, 0), (9, 6), (9, 8), (9, 2)]
    assert semiprime_triple(1, "pq,p,q").algo("", ScriptCoins(0, [4, 1])) == "[10,5,2]"
    runs = enumerate_runs(lambda c: task.algo(task.prompt, c), 6)
    assert runs.consistent_with(task.target())
    assert set(runs.mass) == set(task.target().support)


def test_semiprime_target_is_explicit_up_to_four_digits(monkeypatch: pytest.MonkeyPatch) -> None:
    # the four-digit target is 1.1M texts: stand in two primes to check the bound cheaply
    monkeypatch.setattr(_semiprime_module, "n_digit_primes", lambda n: (1009, 1013))
    target = semiprime_triple(4).target()
    assert target == Dist.uniform([f"[{p},{q},{p * q}]" for p in (1009, 1013) for q in (1009, 1013)])
    with pytest.raises(InvalidArgument, match=r"^semiprime_triple: the explicit target needs n <= 4, got 5$"):
        semiprime_triple(5).target()
    monkeypatch.undo()
    assert semiprime_triple(1, "pq,p,q").target() == Dist.uniform(
        [f"[{p * q},{p},{q}]" for p in (2, 3, 5, 7) for q in (2, 3, 5, 7)]
    )


def test_factor_first_model_is_uniform_over_the_factorizations_the_factorizer_returns() -> None:
    def all_pairs(s: int) -> list[tuple[int, int]]:
        return [(a, s // a) for a in range(1, s + 1) if s % a == 0]

    model = FactorFirstModel(1, factor=all_pairs)
    # 30 = 1·30 = 2·15 = 3·10 = 5·6 = 6·5 = 10·3 = 15·2 = 30·1: first digits 1,2,3,5,6,1,1,3
    law = model("", "[30,")
    assert dict(law.items()) == {"1": Fraction(3, 8), "2": Fraction(1, 8), "3": Fraction(2, 8),
                                 "5": Fraction(1, 8), "6": Fraction(1, 8)}
