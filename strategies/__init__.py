"""Hypothesis strategies for every spec type; reusable in other projects' tests.

Every strategy is typed `-> SearchStrategy[T]` and checks its arguments eagerly
(an InvalidArgument from spec.errors names the bad one).
"""

from strategies._core import (
    SYMBOLS,
    alphabets,
    ar_models,
    dists,
    next_token_dists,
    randomized_ar_models,
    text_dists,
    text_to_text_algorithms,
    texts,
    weight_maps,
)

__all__ = [
    "SYMBOLS",
    "alphabets",
    "ar_models",
    "dists",
    "next_token_dists",
    "randomized_ar_models",
    "text_dists",
    "text_to_text_algorithms",
    "texts",
    "weight_maps",
]
