"""F1/F2: the tuples S_n = {[pq,p,q] : p, q n-digit primes}, their texts, and both AR orders.

The tuple text format lives here and only here: `tuple_text` writes it, `parse_tuple` and
`parse_continuation` read it back (decimal, no leading zeros, brackets and commas, no spaces).
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Literal

from spec.dist import Dist, _token_point
from spec.errors import InvalidArgument, InvalidText, ZeroMass, require_int
from spec.signatures import Coins
from spec.tasks.primes import is_n_digit_prime, n_digit_primes, require_digits
from spec.tasks.random_prime import MAX_PRIME_DIGITS, completion_range, exact_prime_digit_law
from spec.text import STOP, Alphabet, alphabet, require_text

__all__ = [
    "ORDERS",
    "Order",
    "TUPLE_ALPHABET",
    "SemiprimeTriple",
    "semiprime_triple",
    "tuple_text",
    "parse_tuple",
    "parse_continuation",
    "require_prime",
    "ProductLastModel",
    "FactorFirstModel",
    "Factorizer",
    "ordered_factorizations",
    "distinct_products",
    "MAX_TRIPLE_DIGITS",
]

Order = Literal["p,q,pq", "pq,p,q"]
ORDERS: tuple[Order, Order] = ("p,q,pq", "pq,p,q")
TUPLE_ALPHABET: Alphabet = alphabet("0123456789[],")
MAX_TRIPLE_DIGITS = 4
"""Targets are built explicitly: |S_4| = 1125721 texts; n = 5 (70M) is for numpy checkers."""

Factorizer = Callable[[int], Sequence[tuple[int, int]]]
"""s ↦ every ordered (a, b) with a·b = s and a, b n-digit primes (empty when s ∉ S_n)."""

_TUPLE_SYMBOLS = frozenset(TUPLE_ALPHABET)
_TUPLE = re.compile(r"\[([1-9][0-9]*),([1-9][0-9]*),([1-9][0-9]*)\]")
_CONT = re.compile(r"([1-9][0-9]*),([1-9][0-9]*)\]")


def _require_order(order: object) -> Order:
    if order == "p,q,pq":
        return "p,q,pq"
    if order == "pq,p,q":
        return "pq,p,q"
    raise InvalidArgument(f"order must be one of {ORDERS}, got {order!r}")


def require_prime(p: object, n: int, *, what: str = "p") -> int:
    """p itself when it is an n-digit prime; InvalidArgument saying what is wrong otherwise."""
    p = require_int(p, what, least=None)
    if len(str(p)) != n:
        raise InvalidArgument(f"{what} = {p} has {len(str(p))} digits, not {n}")
    if not is_n_digit_prime(p, n):
        raise InvalidArgument(f"{what} = {p} is not prime")
    return p


def tuple_text(p: int, q: int, order: Order) -> str:
    """The post's text of the tuple: "[p,q,pq]" or "[pq,p,q]"."""
    order = _require_order(order)
    return f"[{p},{q},{p * q}]" if order == "p,q,pq" else f"[{p * q},{p},{q}]"


def parse_tuple(text: str, order: Order, n: int | None = None) -> tuple[int, int, int]:
    """(p, q, s) from a tuple text; InvalidText if malformed, if s ≠ p·q, or (given n) if p, q ∉ n-digit primes."""
    order = _require_order(order)
    require_text(text, TUPLE_ALPHABET, what="tuple text")
    m = _TUPLE.fullmatch(text)
    if m is None:
        raise InvalidText(f"tuple text {text!r} is not of the form [a,b,c] (decimal, no leading zeros)")
    a, b, c = (int(g) for g in m.groups())
    p, q, s = (a, b, c) if order == "p,q,pq" else (b, c, a)
    if p * q != s:
        raise InvalidText(f"tuple text {text!r}: {p}·{q} = {p * q}, not {s}")
    if n is not None:
        for name, x in (("p", p), ("q", q)):
            if not is_n_digit_prime(x, require_digits(n, most=MAX_PRIME_DIGITS)):
                raise InvalidText(f"tuple text {text!r}: {name} = {x} is not an {n}-digit prime")
    return p, q, s


def parse_continuation(rest: str) -> tuple[int, int]:
    """(a, b) from the continuation "a,b]" that follows "[s,"; InvalidText if malformed."""
    require_text(rest, TUPLE_ALPHABET, what="continuation")
    m = _CONT.fullmatch(rest)
    if m is None:
        raise InvalidText(f"continuation {rest!r} is not of the form a,b] (decimal, no leading zeros)")
    return int(m.group(1)), int(m.group(2))


@lru_cache(maxsize=8)
def _pair_table(n: int) -> dict[int, tuple[tuple[int, int], ...]]:
    """s ↦ its ordered factorizations into n-digit primes, by enumerating every pair (the chain rule's data)."""
    table: dict[int, list[tuple[int, int]]] = {}
    primes = n_digit_primes(n)
    for p in primes:
        for q in primes:
            table.setdefault(p * q, []).append((p, q))
    return {s: tuple(v) for s, v in table.items()}


def ordered_factorizations(n: int) -> Factorizer:
    """The table look-up factorizer of S_n (what chain_rule(target) knows): exact, exponential to build."""
    table = _pair_table(n)
    return lambda s: table.get(s, ())


@lru_cache(maxsize=8)
def _sorted_products(n: int) -> tuple[str, ...]:
    """The first field of every tuple of S_n (with multiplicity), sorted as strings."""
    primes = n_digit_primes(n)
    return tuple(sorted(str(p * q) for p in primes for q in primes))


def distinct_products(n: int) -> tuple[int, ...]:
    """Every distinct s = p·q in S_n, ascending."""
    return tuple(sorted(_pair_table(n)))


def _count_starting(strings: Sequence[str], v: str) -> int:
    return bisect_left(strings, v + ":") - bisect_left(strings, v)  # ':' sorts right after '9'


def _split(prefix: str) -> list[str]:
    """The fields of a prefix: "[12,3" → ["12", "3"]; InvalidText unless it is "[" then fields."""
    if not _TUPLE_SYMBOLS.issuperset(prefix):
        require_text(prefix, TUPLE_ALPHABET, what="tuple prefix")  # raises, naming the symbol
    if not prefix.startswith("[") or "[" in prefix[1:]:
        raise InvalidText(f"tuple prefix {prefix!r} must start with '[' and hold no other '['")
    return prefix[1:].split(",")


def _after_fields(fields: list[str], full: str) -> Dist[str]:
    """Next-token law once the text so far is "[" + ",".join(fields) and the whole text is `full`."""
    done = "[" + ",".join(fields)
    if not full.startswith(done):
        raise ZeroMass(f"tuple prefix {done!r} does not lead to {full!r}")
    return _token_point(full[len(done)] if len(done) < len(full) else STOP)


@lru_cache(maxsize=1 << 16)
def _product_text(p_text: str, q_text: str, n: int) -> str:
    """The whole tuple "[p,q,pq]" once p and q are written (one multiplication, memoised per pair)."""
    p, q = require_prime(int(p_text), n), require_prime(int(q_text), n, what="q")
    return f"[{p},{q},{p * q}]"


@dataclass(frozen=True)
class ProductLastModel:
    """The post's AR for [p,q,pq]: prime digits by their exact law, then copy the digits of p·q."""

    n: int

    def __call__(self, prompt: str, prefix: str) -> Dist[str]:
        if prefix == "":
            return Dist.point("[")
        if prefix.endswith("]"):
            text = prefix
            parse_tuple(text, "p,q,pq", self.n)
            return Dist.point(STOP)
        fields = _split(prefix)
        if len(fields) > 3:
            raise ZeroMass(f"tuple prefix {prefix!r} has more than three fields")
        if len(fields) <= 2:  # generating p, then q, exactly as the prime task does
            cur = fields[-1]
            law = exact_prime_digit_law(cur, self.n) if len(cur) <= self.n else None
            if law is None:
                raise ZeroMass(f"tuple prefix {prefix!r}: field {cur!r} is longer than {self.n} digits")
            return law.map(lambda t: "," if t == STOP else t)
        return _after_fields(fields, _product_text(fields[0], fields[1], self.n))


@dataclass(frozen=True)
class FactorFirstModel:
    """The exact AR for [pq,p,q]: s's digits by the pair counts, then the factors of s, found by `factor`."""

    n: int
    factor: Factorizer = field(compare=False)
    _seen: dict[int, tuple[str, ...]] = field(default_factory=dict, compare=False, repr=False)

    def continuations(self, s: int) -> tuple[str, ...]:
        """The texts "a,b]" for the ordered factorizations of s (memoised: one factoring per s)."""
        conts = self._seen.get(s)
        if conts is None:
            pairs = {(a, b) for a, b in self.factor(s) if a * b == s}
            conts = self._seen[s] = tuple(f"{a},{b}]" for a, b in sorted(pairs))
        return conts

    def __call__(self, prompt: str, prefix: str) -> Dist[str]:
        if prefix == "":
            return Dist.point("[")
        fields = _split(prefix)
        if len(fields) == 1:  # the digits of s: the chain rule of the first field
            products = _sorted_products(self.n)
            u = fields[0]
            weights = {d: _count_starting(products, u + d) for d in "0123456789"}
            if u:
                weights[","] = bisect_right(products, u) - bisect_left(products, u)
            if not any(weights.values()):
                raise ZeroMass(f"no s in S_{self.n} starts with {u!r}")
            return Dist.from_weights(weights)
        s = int(fields[0])
        conts = self.continuations(s)
        if not conts:
            raise ZeroMass(f"s = {s} is not p·q for {self.n}-digit primes p, q")
        rest = prefix[len(fields[0]) + 2 :]
        # uniform over the ordered factorizations: the target conditioned on the first field
        nxt: dict[str, int] = {}
        for c in conts:
            if c.startswith(rest):
                t = c[len(rest)] if len(rest) < len(c) else STOP
                nxt[t] = nxt.get(t, 0) + 1
        if not nxt:
            raise ZeroMass(f"tuple prefix {prefix!r} continues no factorization of {s}")
        return Dist._from_integers(nxt, sum(nxt.values()))


@dataclass(frozen=True)
class SemiprimeTriple:
    """The task "choose two random n-digit primes p, q, output the tuple" in a given order."""

    n: int
    order: Order

    def __post_init__(self) -> None:
        require_digits(self.n, what="semiprime_triple n", most=MAX_PRIME_DIGITS)
        _require_order(self.order)

    @property
    def prompt(self) -> str:
        """The post's prompt, with the order written out."""
        shown = "[p,q,pq]" if self.order == "p,q,pq" else "[pq,p,q]"
        return f"Choose two random {self.n}-digit prime numbers p,q, then output the tuple {shown} and nothing else."

    @property
    def alphabet(self) -> Alphabet:
        """Σ = digits, brackets and the comma."""
        return TUPLE_ALPHABET

    @property
    def max_len(self) -> int:
        """'[' + n + ',' + n + ',' + 2n + ']' symbols at most."""
        return 4 * self.n + 4

    def text(self, p: int, q: int) -> str:
        """The text of the tuple for p, q (both checked to be n-digit primes)."""
        return tuple_text(require_prime(p, self.n), require_prime(q, self.n, what="q"), self.order)

    def parse(self, text: str) -> tuple[int, int, int]:
        """(p, q, s) from a text of this task; InvalidText if it is not in S_n."""
        return parse_tuple(text, self.order, self.n)

    def target(self) -> Dist[str]:
        """Unif(S_n): every ordered pair (p, q) of n-digit primes, equally likely."""
        if self.n > MAX_TRIPLE_DIGITS:
            raise InvalidArgument(f"semiprime_triple: the explicit target needs n <= {MAX_TRIPLE_DIGITS}, got {self.n}")
        primes = n_digit_primes(self.n)
        return Dist.uniform(tuple_text(p, q, self.order) for p in primes for q in primes)

    @property
    def phi(self) -> ProductLastModel | FactorFirstModel:
        """The exact AR model: [p,q,pq] copies the product; [pq,p,q] looks the factors up (chain rule)."""
        if self.order == "p,q,pq":
            return ProductLastModel(self.n)
        return FactorFirstModel(self.n, ordered_factorizations(self.n))

    def algo(self, prompt: str, coins: Coins) -> str:
        """Text to text: two random primes by rejection, then the tuple in this order."""
        r = completion_range("", self.n)

        def prime(c: Coins) -> int:
            return c.until(lambda c2: r.start + c2.randbelow(len(r)), lambda x: is_n_digit_prime(x, self.n))

        p = prime(coins)
        q = prime(coins)
        return tuple_text(p, q, self.order)


def semiprime_triple(n: int, order: Order = "p,q,pq") -> SemiprimeTriple:
    """The post's tuple task for n-digit primes, in order "p,q,pq" or "pq,p,q"."""
    return SemiprimeTriple(n, order)
