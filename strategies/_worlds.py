"""Strategies for the worlds of "where this comes up": universes, question sequences, games, mysteries, polynomials."""

from __future__ import annotations

from hypothesis import strategies as st
from hypothesis.strategies import SearchStrategy

from spec.errors import InvalidArgument
from spec.tasks.mystery import mystery
from spec.tasks.polynomial import Polynomial, polynomial
from spec.tasks.twenty_questions import (
    ANIMALS,
    Observation,
    Question,
    SecretGame,
    animal_questions,
    hash_bit_question,
    hash_universe,
)
from strategies._core import require_range

__all__ = ["universes", "subset_questions", "question_sequences", "secret_games", "mysteries", "polynomials"]

_NAME_CHARS = "abcdefgh"


def universes(*, min_size: int = 1, max_size: int = 6) -> SearchStrategy[tuple[str, ...]]:
    """Universes of distinct object names (short words over a-h, lengths may differ)."""
    require_range("universes size", min_size, max_size, 1)
    names = st.text(alphabet=_NAME_CHARS, min_size=1, max_size=3)
    return st.lists(names, min_size=min_size, max_size=max_size, unique=True).map(tuple)


def subset_questions(universe: tuple[str, ...]) -> SearchStrategy[Observation]:
    """"Is it one of S?" for a subset S of the universe (every yes/no question is one of these)."""
    if not universe:
        raise InvalidArgument("subset_questions: the universe is empty")
    return st.frozensets(st.sampled_from(universe)).map(
        lambda s: Question(f"is it one of {sorted(s)}?", lambda name: name in s)
    )


def question_sequences(universe: tuple[str, ...], *, max_len: int = 4) -> SearchStrategy[tuple[Observation, ...]]:
    """Sequences of up to max_len subset questions about the universe."""
    require_range("question_sequences length", 0, max_len, 0)
    return st.lists(subset_questions(universe), max_size=max_len).map(tuple)


def secret_games(*, max_objects: int = 6, max_questions: int = 4) -> SearchStrategy[SecretGame]:
    """Twenty Questions worlds: random universes with random subset questions, the animals, or a SHA-256 universe."""
    require_range("secret_games objects", 1, max_objects, 1)
    require_range("secret_games questions", 0, max_questions, 0)
    random_games = universes(max_size=max_objects).flatmap(
        lambda u: question_sequences(u, max_len=max_questions).map(lambda qs: SecretGame(u, qs))
    )
    animal_games = st.lists(st.sampled_from(animal_questions()), max_size=max_questions).map(
        lambda qs: SecretGame(ANIMALS, tuple(qs))
    )
    hash_games = st.tuples(st.integers(0, 3), st.lists(st.integers(0, 255), max_size=max_questions)).map(
        lambda bq: SecretGame(hash_universe(bq[0]), tuple(hash_bit_question(i) for i in bq[1]))
    )
    return st.one_of(random_games, animal_games, hash_games)


def mysteries(*, max_suspects: int = 12, max_clues: int = 3) -> SearchStrategy[SecretGame]:
    """Mystery worlds: m suspects, keyed-hash clues."""
    require_range("mysteries suspects", 1, max_suspects, 1)
    require_range("mysteries clues", 0, max_clues, 0)
    return st.builds(
        lambda m, c, s, k: mystery(m, c, symbols=s, key=k),
        st.integers(1, max_suspects),
        st.integers(0, max_clues),
        st.integers(1, 4),
        st.text(alphabet="abc", max_size=3),
    )


def polynomials(*, max_n: int = 3, max_R: int = 3) -> SearchStrategy[Polynomial]:
    """Polynomial worlds: n roots uniform in [-R, R]."""
    require_range("polynomials n", 1, max_n, 1)
    require_range("polynomials R", 1, max_R, 1)
    return st.builds(polynomial, st.integers(1, max_n), st.integers(1, max_R))
