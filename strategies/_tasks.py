"""Strategies for the post's number tasks: n-digit primes, semiprimes of S_n, tuple texts."""

from __future__ import annotations

from hypothesis import strategies as st
from hypothesis.strategies import SearchStrategy

from spec.errors import InvalidArgument, require_int
from spec.tasks.primes import n_digit_primes
from spec.tasks.semiprime import ORDERS, Order, tuple_text

__all__ = ["n_digit_primes_st", "prime_pairs", "semiprimes", "tuple_texts", "orders"]

_MOST = 6  # the sieve behind these strategies stays small (68906 six-digit primes)


def _require_n(n: object) -> int:
    return require_int(n, "strategies: n", least=1, most=_MOST)


def n_digit_primes_st(n: int) -> SearchStrategy[int]:
    """A prime with exactly n decimal digits."""
    return st.sampled_from(n_digit_primes(_require_n(n)))


def prime_pairs(n: int) -> SearchStrategy[tuple[int, int]]:
    """An ordered pair (p, q) of n-digit primes (p = q included)."""
    return st.tuples(n_digit_primes_st(n), n_digit_primes_st(n))


def semiprimes(n: int) -> SearchStrategy[int]:
    """s = p·q for n-digit primes p, q: the first field of a tuple of S_n."""
    return prime_pairs(n).map(lambda pq: pq[0] * pq[1])


def orders() -> SearchStrategy[Order]:
    """Either order of the tuple: "p,q,pq" or "pq,p,q"."""
    return st.sampled_from(ORDERS)


def tuple_texts(n: int, order: Order | None = None) -> SearchStrategy[str]:
    """The text of a tuple of S_n ("[p,q,pq]" or "[pq,p,q]"), in the given order or either."""
    os = st.just(order) if order is not None else orders()
    if order is not None and order not in ORDERS:
        raise InvalidArgument(f"tuple_texts: order must be one of {ORDERS}, got {order!r}")
    return st.tuples(prime_pairs(n), os).map(lambda t: tuple_text(t[0][0], t[0][1], t[1]))
