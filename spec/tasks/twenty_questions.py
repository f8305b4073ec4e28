"""G1 Twenty Questions: a secret object, truthful answers, and the reveal at the end.

The world is a `SecretGame`: a uniform secret from a finite universe of named objects, a fixed
sequence of observations of it (here yes/no questions; in spec.tasks.mystery, clues), and
the reveal. The public text (the response) is one symbol per observation, then "=", then the
secret's name: with questions q1..qk, "yny=cat" means no to q2 and the object was "cat". The
questions are fixed per task and listed in the prompt (the user's side of the game).

Two answerers induce the same law over transcripts:
- committed (`algo`, text to text): choose the object first, then answer about it;
- autoregressive (`phi`): with no place to keep a choice, answer yes with probability
  #{consistent objects satisfying q} / #{consistent objects}, and reveal a uniform consistent
  object. It examines every object of the universe at every token (`cost.examined`).

Hash questions ask "is bit i of SHA-256(name) 1?", where name is the object's text (for the
universe of integers below 2^b, its decimal text) encoded as ASCII, and bit 0 is the most
significant bit of the 256-bit digest.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cached_property

from spec.dist import Dist
from spec.errors import InvalidArgument, InvalidText, SpecError, ZeroMass, require_int
from spec.signatures import Coins
from spec.text import STOP, Alphabet, alphabet, require_text

__all__ = [
    "REVEAL",
    "NotAPredicate",
    "Cost",
    "Observation",
    "Question",
    "SecretGame",
    "twenty_questions",
    "hash_bit",
    "hash_bit_question",
    "hash_universe",
    "ANIMALS",
    "animal_questions",
    "MAX_HASH_BITS",
]

REVEAL = "="
"""The separator between the answers and the revealed name."""

MAX_HASH_BITS = 20
"""The integer universe below 2^b is built explicitly, so b stays small."""


class NotAPredicate(SpecError, TypeError):
    """A question whose answer is not a bool (or an observation outside its declared outcomes)."""


@dataclass
class Cost:
    """Work counters: objects examined, and observations (e.g. SHA-256 evaluations) computed."""

    examined: int = 0
    observed: int = 0
    tokens: int = 0

    def reset(self) -> None:
        """Back to zero."""
        self.examined = self.observed = self.tokens = 0


@dataclass(frozen=True)
class Observation:
    """A public function of the secret: read(name) is one of the symbols in `outcomes`."""

    text: str
    outcomes: str
    read: Callable[[str], str]

    def __post_init__(self) -> None:
        if not callable(self.read):
            raise NotAPredicate(f"observation {self.text!r}: read must be callable, got {self.read!r}")
        if not self.outcomes or len(set(self.outcomes)) != len(self.outcomes) or REVEAL in self.outcomes:
            raise InvalidArgument(
                f"observation {self.text!r}: outcomes must be distinct symbols other than {REVEAL!r}, "
                f"got {self.outcomes!r}"
            )

    def __call__(self, name: str) -> str:
        """The observed symbol for the secret `name`, validated."""
        out = self.read(name)
        if not isinstance(out, str) or len(out) != 1 or out not in self.outcomes:
            raise NotAPredicate(
                f"observation {self.text!r} gave {out!r} on object {name!r}, not one of {self.outcomes!r}"
            )
        return out


def Question(text: str, pred: Callable[[str], bool]) -> Observation:
    """A yes/no question: 'y' when pred(name) is True, 'n' when False; anything else is an error."""
    if not callable(pred):
        raise NotAPredicate(f"question {text!r}: the predicate must be callable, got {pred!r}")

    def read(name: str) -> str:
        answer = pred(name)
        if not isinstance(answer, bool):
            raise NotAPredicate(
                f"question {text!r} is not a predicate: on object {name!r} it returned {answer!r} "
                f"({type(answer).__name__}), not a bool"
            )
        return "y" if answer else "n"

    return Observation(text, "yn", read)


@dataclass(frozen=True)
class SecretGame:
    """A uniform secret from `universe`, the observations of it in order, then the reveal."""

    universe: tuple[str, ...]
    observations: tuple[Observation, ...]
    title: str = "Twenty Questions"
    cost: Cost = field(default_factory=Cost, compare=False, repr=False)

    def __post_init__(self) -> None:
        if not isinstance(self.universe, tuple) or not self.universe:
            raise InvalidArgument(f"{self.title}: the universe must be a non-empty tuple of names, got {self.universe!r}")
        for name in self.universe:
            if not isinstance(name, str) or not name or REVEAL in name:
                raise InvalidArgument(
                    f"{self.title}: object name {name!r} must be a non-empty str without {REVEAL!r}"
                )
        if len(set(self.universe)) != len(self.universe):
            raise InvalidArgument(f"{self.title}: the universe names an object twice")
        for ob in self.observations:
            if not isinstance(ob, Observation):
                raise NotAPredicate(f"{self.title}: {ob!r} is not a question (an Observation)")

    # ---- the task's text ------------------------------------------------------------
    @property
    def prompt(self) -> str:
        """The game as the user poses it: the questions in order."""
        asked = "; ".join(f"{i + 1}. {ob.text}" for i, ob in enumerate(self.observations))
        return f"{self.title} over {len(self.universe)} objects. Answer: {asked}. Then reveal the object."

    @cached_property
    def alphabet(self) -> Alphabet:
        """Σ: every observation outcome, the separator, and the characters of the names."""
        return alphabet(
            set("".join(ob.outcomes for ob in self.observations)) | {REVEAL} | set("".join(self.universe))
        )

    @property
    def max_len(self) -> int:
        """One symbol per observation, the separator, the longest name."""
        return len(self.observations) + 1 + max(map(len, self.universe))

    def transcript(self, name: str) -> str:
        """The truthful public text for the secret `name`."""
        return "".join(ob(name) for ob in self.observations) + REVEAL + name

    def target(self) -> Dist[str]:
        """The secret is uniform and every answer is truthful for it."""
        return Dist.uniform(self.universe).map(self.transcript)

    # ---- the two answerers ------------------------------------------------------------
    def algo(self, prompt: str, coins: Coins) -> str:
        """Committed: choose the object at the start, then answer every question about it."""
        name = self.universe[coins.randbelow(len(self.universe))]
        self.cost.examined += 1
        self.cost.observed += len(self.observations)
        return self.transcript(name)

    def consistent(self, answers: str) -> list[str]:
        """The objects whose truthful answers begin with `answers` (scanning the universe)."""
        k = len(answers)
        self.cost.examined += len(self.universe)
        out = []
        asked = tuple(zip(self.observations[:k], answers))
        observed = 0  # counted here, added to the cost once (also when an observation raises)
        try:
            for name in self.universe:
                for ob, a in asked:
                    observed += 1
                    if ob(name) != a:
                        break
                else:
                    out.append(name)
        finally:
            self.cost.observed += observed
        return out

    def phi(self, prompt: str, prefix: str) -> Dist[str]:
        """Autoregressive: the next symbol's law under a uniform object consistent with the text so far."""
        require_text(prefix, self.alphabet, what=f"{self.title} prefix")
        self.cost.tokens += 1
        k = len(self.observations)
        answers = prefix[:k]
        if len(prefix) < k:
            ob = self.observations[len(prefix)]
            pool = self.consistent(answers)
            if not pool:
                raise ZeroMass(f"{self.title}: no object is consistent with the answers {answers!r}")
            weights: dict[str, int] = {}
            for name in pool:
                self.cost.observed += 1
                a = ob(name)
                weights[a] = weights.get(a, 0) + 1
            return Dist.from_weights(weights)
        if len(prefix) == k:
            if not self.consistent(answers):
                raise ZeroMass(f"{self.title}: no object is consistent with the answers {answers!r}")
            return Dist.point(REVEAL)
        if prefix[k] != REVEAL:
            raise InvalidText(f"{self.title}: prefix {prefix!r} lacks {REVEAL!r} after the {k} answers")
        shown = prefix[k + 1 :]
        counts: dict[str, int] = {}
        for name in self.consistent(answers):
            if name.startswith(shown):
                tok = name[len(shown)] if len(name) > len(shown) else STOP
                counts[tok] = counts.get(tok, 0) + 1
        if not counts:
            raise ZeroMass(f"{self.title}: no consistent object's name starts with {shown!r} after {answers!r}")
        return Dist.from_weights(counts)

    def unconditioned_phi(self, prompt: str, prefix: str) -> Dist[str]:
        """A broken answerer (the failing counterpart): it answers for a fresh uniform object every time."""
        require_text(prefix, self.alphabet, what=f"{self.title} prefix")
        k = len(self.observations)
        if len(prefix) < k:
            ob = self.observations[len(prefix)]
            return Dist.uniform(self.universe).map(ob)
        if len(prefix) == k:
            return Dist.point(REVEAL)
        shown = prefix[k + 1 :]
        counts: dict[str, int] = {}
        for name in self.universe:  # the reveal ignores the answers too
            if name.startswith(shown):
                tok = name[len(shown)] if len(name) > len(shown) else STOP
                counts[tok] = counts.get(tok, 0) + 1
        if not counts:
            raise ZeroMass(f"{self.title}: no object's name starts with {shown!r}")
        return Dist.from_weights(counts)

    def answers_of(self, text: str) -> tuple[str, str]:
        """Split a transcript into (answers, revealed name); InvalidText if it is not one."""
        require_text(text, self.alphabet, what=f"{self.title} transcript")
        k = len(self.observations)
        if len(text) <= k or text[k] != REVEAL:
            raise InvalidText(f"{self.title}: {text!r} is not {k} answers, {REVEAL!r}, a name")
        return text[:k], text[k + 1 :]

    def is_consistent(self, text: str) -> bool:
        """True when the revealed object is in the universe and every answer is truthful for it."""
        answers, name = self.answers_of(text)
        return name in self.universe and self.transcript(name) == text


def twenty_questions(universe: Sequence[str], questions: Sequence[Observation]) -> SecretGame:
    """The Twenty Questions world over named objects with the given question sequence."""
    if isinstance(universe, str):
        raise InvalidArgument("twenty_questions: the universe must be a sequence of names, not one str")
    return SecretGame(tuple(universe), tuple(questions))


# ---- the hash version ----------------------------------------------------------------


def hash_bit(name: str, i: int) -> bool:
    """Bit i (0 = most significant) of SHA-256 of the name's ASCII bytes."""
    digest = _sha256(name)
    return bool(digest[i // 8] >> (7 - i % 8) & 1)


@functools.lru_cache(maxsize=1 << 16)
def _sha256(name: str) -> bytes:
    """SHA-256 of the name's ASCII bytes (kept: every question about a name hashes it again)."""
    return hashlib.sha256(name.encode("ascii")).digest()


def hash_bit_question(i: int) -> Observation:
    """"Is the i-th bit of its SHA-256 hash 1?" (the post's extreme case)."""
    require_int(i, "hash_bit_question: i", most=255)
    return Question(f"is bit {i} of SHA-256 of it 1?", lambda name: hash_bit(name, i))


def hash_universe(b: int) -> tuple[str, ...]:
    """The integers below 2^b, as decimal names."""
    require_int(b, "hash_universe: b", most=MAX_HASH_BITS)
    return tuple(str(x) for x in range(2**b))


# ---- a small named universe -----------------------------------------------------------

ANIMALS: tuple[str, ...] = ("cat", "dog", "cow", "owl", "bee", "ant", "eel", "bat")
"""Eight animals, for the exhaustive checks."""

_LEGS = {"cat": 4, "dog": 4, "cow": 4, "owl": 2, "bee": 6, "ant": 6, "eel": 0, "bat": 2}
_FLIES = {"owl", "bee", "bat"}
_FARM = {"cow", "dog", "cat", "bee"}


def animal_questions() -> tuple[Observation, ...]:
    """Five yes/no questions about ANIMALS (the pool the exhaustive check draws sequences from)."""
    return (
        Question("does it have four legs?", lambda a: _LEGS[a] == 4),
        Question("can it fly?", lambda a: a in _FLIES),
        Question("is it an insect?", lambda a: _LEGS[a] == 6),
        Question("is it found on a farm?", lambda a: a in _FARM),
        Question("does its name contain an 'a'?", lambda a: "a" in a),
    )
