"""Hypothesis strategies for every spec type; reusable in other projects' tests.

Every strategy is typed `-> SearchStrategy[T]` and checks its arguments eagerly
(an InvalidArgument from spec.errors names the bad one).
"""

from strategies._appendix import appendix_instances, mixtures, success_profiles
from strategies._tasks import n_digit_primes_st, orders, prime_pairs, semiprimes, tuple_texts
from strategies._worlds import mysteries, polynomials, question_sequences, secret_games, subset_questions, universes
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
    "mysteries",
    "polynomials",
    "question_sequences",
    "secret_games",
    "subset_questions",
    "universes",
    "n_digit_primes_st",
    "orders",
    "prime_pairs",
    "semiprimes",
    "tuple_texts",
    "appendix_instances",
    "mixtures",
    "success_profiles",
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
