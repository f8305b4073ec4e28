"""spec.dist's internal shared point laws: equal to Dist.point, made once per token."""

from __future__ import annotations

from spec.dist import Dist, _token_point
from spec.text import STOP


def test_token_point_is_the_point_law_and_is_shared() -> None:
    for token in ("a", "7", STOP, "é"):
        law = _token_point(token)
        assert law == Dist.point(token) and type(law) is Dist
        assert list(law.items()) == list(Dist.point(token).items()) and law.denominator == 1
        assert _token_point(token) is law
