"""spec.text: alphabets, texts and tokens."""

from __future__ import annotations

import pytest

from spec import STOP, alphabet, is_token


@pytest.mark.parametrize(
    ("token", "sigma", "expected"),
    [
        (STOP, None, True), (STOP, "ab", True), ("a", None, True), ("a", "ab", True), ("c", "ab", False),
        ("ab", None, False), ("", None, False), (7, None, False), (None, "ab", False),
    ],
)
def test_is_token_is_STOP_or_one_symbol_of_sigma(token: object, sigma: str | None, expected: bool) -> None:
    assert is_token(token, alphabet(sigma) if sigma else None) is expected
