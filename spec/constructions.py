"""The constructions the post uses: the chain rule, footnote 1's averaging, and the two escapes."""

from __future__ import annotations

import math
import re
from collections.abc import Hashable
from fractions import Fraction
from typing import TypeVar

from spec.coins import LiteralCoins, _output_counts
from spec.dist import _TOKEN_POINTS, Dist, _token_point
from spec.errors import InvalidArgument, InvalidModel, InvalidText, NonTerminating, ZeroMass, require_int
from spec.induced import induced
from spec.signatures import Coins, Move, RandomizedAutoregressive, TextToText
from spec.text import STOP

__all__ = [
    "ChainRule",
    "chain_rule",
    "Derandomized",
    "derandomize",
    "HiddenTokens",
    "with_hidden_tokens",
    "RandomSeed",
    "with_random_seed",
    "SeedExhausted",
]

T = TypeVar("T", bound=Hashable)


class ChainRule:
    """φ_D(prompt, x)(c) = D(texts starting with x·c) / D(texts starting with x); STOP gets D(x) / D(x·Σ*)."""

    def __init__(self, target: Dist[str]) -> None:
        if not isinstance(target, Dist):
            raise InvalidModel(f"chain_rule: the target must be a Dist of texts, got {type(target).__name__}")
        children: dict[str, dict[str, int]] = {}
        get = children.get
        for text, n in target._num.items():
            if type(text) is not str and not isinstance(text, str):
                raise InvalidText(f"chain_rule: the target holds {text!r}, which is not a text (str)")
            head = ""
            for c in text:
                kids = get(head)
                if kids is None:
                    children[head] = {c: n}
                else:
                    kids[c] = kids.get(c, 0) + n
                head += c
            kids = get(text)
            if kids is None:
                children[text] = {STOP: n}
            else:
                kids[STOP] = n
        self.target = target
        self._children = children

    def __call__(self, prompt: str, prefix: str) -> Dist[str]:
        """The next-token law after prefix; ZeroMass when the target gives the prefix probability 0."""
        kids = self._children.get(prefix)
        if kids is None:
            raise ZeroMass(f"chain_rule: prefix {prefix!r} has probability 0 under the target")
        if len(kids) == 1:  # one way on (most prefixes of a sparse target): the point law, made once
            (tok,) = kids
            return _TOKEN_POINTS.get(tok) or _token_point(tok)
        return Dist._from_integers(kids, sum(kids.values()))


def chain_rule(target: Dist[str]) -> ChainRule:
    """The AR model whose induced law is exactly `target` (the prompt is ignored).

    Contract: for every prefix x of positive mass, φ(·, x) is the law of the next token of a
    text T ~ target given that T starts with x (STOP when T = x); prefixes of mass 0 raise ZeroMass.
    """
    return ChainRule(target)


class Derandomized:
    """γ(prompt, x) = E_coins[φ_r(prompt, x, coins)]: footnote 1's deterministic model."""

    def __init__(self, phi_r: RandomizedAutoregressive, max_flips: int) -> None:
        require_int(max_flips, "derandomize: max_flips")
        self.phi_r = phi_r
        self.max_flips = max_flips

    def __call__(self, prompt: str, prefix: str) -> Dist[str]:
        def one_run(coins: Coins) -> Dist[str]:
            # checked inside the run: a non-Dist (e.g. a dict) may not even be hashable
            law = self.phi_r(prompt, prefix, coins)
            if not isinstance(law, Dist):
                raise InvalidModel(
                    f"derandomize: φ_r returned {type(law).__name__}, not a Dist, at prompt {prompt!r}, "
                    f"prefix {prefix!r}"
                )
            return law

        # the run masses as integer numerators over one common denominator (what enumerate_runs
        # reads as Fractions), so the average below stays in integers
        masses, _, residual = _output_counts(one_run, self.max_flips)
        if residual:
            raise NonTerminating(
                f"derandomize: at prompt {prompt!r}, prefix {prefix!r}, runs of probability "
                f"{residual} need more than {self.max_flips} coin flips",
                mass=residual,
            )
        if len(masses) == 1:  # every run gave the same law (mass 1): the average is that law
            (law,) = masses
            if type(law) is Dist:
                return law
        # the average E[φ_r] in integers over one common denominator, normalised once; the run
        # masses total exactly 1 (no residual), so this is Dist(runs.mass).bind(identity)
        common = math.lcm(*(law._den for law in masses))
        nums: dict[str, int] = {}
        get = nums.get
        for law, n in masses.items():
            scale = n * (common // law._den)
            for tok, m in law._num.items():
                nums[tok] = get(tok, 0) + m * scale
        # the numerators are positive (each law's and each run's), so this is Dist.from_weights(nums)
        return Dist._from_integers(nums, sum(nums.values()))


def derandomize(phi_r: RandomizedAutoregressive, *, max_flips: int) -> Derandomized:
    """Footnote 1: average φ_r's next-token law over all its coin flips.

    Contract: γ induces exactly the law of sampling φ_r with fresh coins at every step. γ
    enumerates every coin sequence, so it may take exponential time even when φ_r is polytime.
    A call whose runs may exceed max_flips raises NonTerminating (with that mass).
    """
    return Derandomized(phi_r, max_flips)


class _NeedChoice(Exception):
    """Internal: the recorded choices ran out; the next one has `width` options."""

    def __init__(self, width: int) -> None:
        self.width = width


class _RecordedCoins(LiteralCoins):
    """Coins that replay the choices written on the hidden stream, one symbol per choice."""

    def __init__(self, choices: str) -> None:
        self.choices = choices
        self.used = 0

    def randbelow(self, k: int) -> int:
        require_int(k, "randbelow: k", least=1)
        if k > 0x110000:
            raise InvalidArgument(f"with_hidden_tokens: a choice among {k} options does not fit one hidden symbol")
        if self.used == len(self.choices):
            raise _NeedChoice(k)
        r = ord(self.choices[self.used])
        if r >= k:  # never written by the model itself: a hidden stream it cannot reach
            raise ZeroMass(
                f"with_hidden_tokens: hidden symbol {self.choices[self.used]!r} at position {self.used} "
                f"is not a choice below {k}"
            )
        self.used += 1
        return r


class HiddenTokens:
    """The hidden stream holds algo's coin flips (symbol chr(r) for choice r); the public one its output."""

    def __init__(self, algo: TextToText) -> None:
        self.algo = algo
        # the last (prompt, hidden) and what algo did with it: the width of the choice it needed
        # next, or its output. Sampling or enumerating writes the public text one symbol per call
        # with the same hidden stream; algo is a function of the prompt and its coins, so running
        # it once per hidden stream is enough
        self._last: tuple[str, str, int | None, object] | None = None

    def _run(self, prompt: str, hidden: str) -> tuple[int | None, object]:
        """(width of the next choice, None) when algo needs one more choice; else (None, its output)."""
        last = self._last
        if last is not None and last[0] == prompt and last[1] == hidden:
            return last[2], last[3]
        try:
            need, out = None, self.algo(prompt, _RecordedCoins(hidden))
        except _NeedChoice as e:
            need, out = e.width, None
        self._last = (prompt, hidden, need, out)
        return need, out

    def __call__(self, prompt: str, public: str, hidden: str) -> Dist[Move]:
        need, out = self._run(prompt, hidden)
        if need is not None:
            return _HIDDEN_CHOICES.get(need) or _hidden_choice(need)
        if not isinstance(out, str):
            raise InvalidModel(f"with_hidden_tokens: the algorithm returned {type(out).__name__}, not a str")
        if not out.startswith(public):
            raise ZeroMass(f"with_hidden_tokens: public text {public!r} is unreachable with hidden {hidden!r}")
        nxt = out[len(public)] if len(public) < len(out) else STOP
        shown = _PUBLIC_POINTS.get(nxt)
        if shown is None:
            shown = _PUBLIC_POINTS[nxt] = Dist.point(("public", nxt))
        return shown


_HIDDEN_CHOICES: dict[int, Dist[Move]] = {}  # the uniform law of the hidden symbol of a choice among k


def _hidden_choice(k: int) -> Dist[Move]:
    """The uniform law of the hidden symbol of a choice among k; shared when k is small (a Dist is immutable)."""
    law: Dist[Move] = Dist.uniform(("hidden", chr(r)) for r in range(k))
    if k <= 1 << 12:
        _HIDDEN_CHOICES[k] = law
    return law
_PUBLIC_POINTS: dict[str, Dist[Move]] = {}  # the point law of writing a symbol (or STOP) publicly


def with_hidden_tokens(algo: TextToText) -> HiddenTokens:
    """Escape 1 (hidden tokens): an AR model with a hidden stream that simulates `algo`.

    Contract: the public marginal of the induced (public, hidden) law equals the output law of
    algo. The model first writes algo's coin flips to the hidden stream, one uniform symbol per
    choice, then writes algo's output (recomputed from those flips) publicly, then STOP.
    """
    return HiddenTokens(algo)


class SeedExhausted(InvalidArgument):
    """The prepended seed has no randomness left for the choices the algorithm asks for."""


class _SeedCoins(LiteralCoins):
    """Coins read off a seed s uniform in range(space): mixed radix, r = s mod k, then s //= k."""

    def __init__(self, seed: int, space: int) -> None:
        self.seed, self.space = seed, space

    def randbelow(self, k: int) -> int:
        require_int(k, "randbelow: k", least=1)
        if k > 1 and self.space <= 1:
            raise SeedExhausted(f"with_random_seed: the seed is used up, and a choice among {k} is asked for")
        # exactly uniform when k divides the space left; otherwise biased (a seed too short)
        r = self.seed % k
        self.seed //= k
        self.space //= k
        return r


_SEED_HEADER = re.compile(r"\A\[seed (\d+) of (\d+)\]")


class RandomSeed:
    """A deterministic AR model: it reads the seed prepended to the prompt and follows algo's output."""

    def __init__(self, algo: TextToText, seed_space: int) -> None:
        require_int(seed_space, "with_random_seed: seed_space", least=1)
        self.algo = algo
        self.seed_space = seed_space
        self._outputs: dict[tuple[str, int], str] = {}
        self._headers: dict[str, tuple[str, int]] = {}  # seeded prompt -> (prompt, seed), once parsed

    def seeded_prompt(self, prompt: str, seed: int) -> str:
        """The prompt with the seed prepended (the user never sees this header)."""
        if isinstance(seed, bool) or not isinstance(seed, int) or not 0 <= seed < self.seed_space:
            raise InvalidArgument(f"with_random_seed: seed must be in range({self.seed_space}), got {seed!r}")
        return f"[seed {seed} of {self.seed_space}]{prompt}"

    def output(self, prompt: str, seed: int) -> str:
        """algo's response when its coins are read off the seed."""
        key = (prompt, seed)
        if key not in self._outputs:
            out = self.algo(prompt, _SeedCoins(seed, self.seed_space))
            if not isinstance(out, str):
                raise InvalidModel(f"with_random_seed: the algorithm returned {type(out).__name__}, not a str")
            self._outputs[key] = out
        return self._outputs[key]

    def __call__(self, prompt: str, prefix: str) -> Dist[str]:
        header = self._headers.get(prompt)
        if header is None:
            m = _SEED_HEADER.match(prompt)
            if m is None or int(m.group(2)) != self.seed_space:
                raise InvalidText(f"with_random_seed: prompt {prompt[:40]!r} does not start with a seed header")
            header = self._headers[prompt] = (prompt[m.end():], int(m.group(1)))
        out = self.output(*header)
        if not out.startswith(prefix):
            raise ZeroMass(f"with_random_seed: prefix {prefix!r} is unreachable from this seed")
        return _token_point(out[len(prefix)] if len(prefix) < len(out) else STOP)

    def induced_over_seeds(self, prompt: str, *, max_len: int) -> Dist[str]:
        """The response law for a uniformly random seed: the average of the seeded induced laws."""
        per_seed: dict[str, Fraction] = {}
        for seed in range(self.seed_space):
            law = induced(self, self.seeded_prompt(prompt, seed), max_len=max_len)
            (text,) = law.support  # decoding is deterministic given the seed
            per_seed[text] = per_seed.get(text, Fraction(0)) + Fraction(1, self.seed_space)
        return Dist(per_seed)


def with_random_seed(algo: TextToText, *, seed_space: int) -> RandomSeed:
    """Escape 3 (random seed): a deterministic AR model that reads its randomness off a seed.

    Contract: every next-token law is a point mass (decoding needs no randomness), and averaged
    over a uniform seed in range(seed_space) the response law equals algo's output law, exactly
    when every choice algo makes divides the seed space left (e.g. seed_space = 2**bits for
    choices among powers of two). A shorter seed gives a biased law, measurable by its TVD.
    """
    return RandomSeed(algo, seed_space)
