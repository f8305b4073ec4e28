"""spec's internal shared laws: point laws made once per token, hidden-choice laws kept for small k."""

from __future__ import annotations

from fractions import Fraction

from spec.constructions import _HIDDEN_CHOICES, _hidden_choice
from spec.dist import Dist, _token_point
from spec.text import STOP


def test_token_point_is_the_point_law_and_is_shared() -> None:
    for token in ("a", "7", STOP, "é"):
        law = _token_point(token)
        assert law == Dist.point(token) and type(law) is Dist
        assert list(law.items()) == list(Dist.point(token).items()) and law.denominator == 1
        assert _token_point(token) is law


def test_token_point_of_a_token_met_for_the_first_time_is_the_point_law() -> None:
    token = "a token no other test uses: \u27c2"
    law = _token_point(token)
    assert law == Dist.point(token) and law.denominator == 1 and dict(law.items()) == {token: 1}


def test_hidden_choice_law_among_4096_is_uniform_and_shared() -> None:
    k = 1 << 12
    law = _hidden_choice(k)
    assert len(law.support) == k and law.prob(lambda m: m == ("hidden", chr(k - 1))) == Fraction(1, k)
    assert _HIDDEN_CHOICES[k] is law
