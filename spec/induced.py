"""What autoregressive sampling induces: φ : Σ*×Σ* → Δ(Σ) becomes Σ* → Δ(Σ*).

`induced` expands the tree of prefixes exactly. Every next-token law the model returns is
validated (a Dist, over one-character symbols of Σ and STOP); the mass still running at
`max_len` is reported through NonTerminating, never dropped.
"""

from __future__ import annotations

import math
import random
from fractions import Fraction

from spec.dist import Dist, tvd
from spec.errors import InvalidArgument, InvalidModel, InvalidText, NonTerminating, require_int
from spec.signatures import Autoregressive, HiddenAutoregressive, Move, Task
from spec.text import STOP, Alphabet, require_text

__all__ = ["induced", "sample", "induced_hidden", "induced_public", "require_law", "tvd_to_target"]


def _require_max_len(max_len: object) -> int:
    return require_int(max_len, "max_len")


def _require_prefix(prefix: object, sigma: Alphabet | None) -> None:
    """A prefix is a text (a str), over Σ when Σ is given."""
    if not isinstance(prefix, str):
        raise InvalidText(f"prefix must be a text (str), got {type(prefix).__name__}")
    if sigma is not None:
        require_text(prefix, sigma, what="prefix")


class _LawRequirement:
    """Validates next-token laws, remembering tokens already seen valid (the hot path is a subset test)."""

    def __init__(self, sigma: Alphabet | None) -> None:
        self.sigma = sigma
        self.valid: set[object] = {STOP} | (set(sigma) if sigma is not None else set())

    def __call__(self, law: object, prompt: str, prefix: str) -> Dist[str]:
        if not isinstance(law, Dist):
            raise InvalidModel(
                f"the model returned {type(law).__name__}, not a Dist, at prompt {prompt!r}, prefix {prefix!r}"
            )
        if not self.valid.issuperset(law._num):
            for tok in law._num:
                if tok in self.valid:
                    continue
                if self.sigma is None and isinstance(tok, str) and len(tok) == 1:
                    self.valid.add(tok)
                    continue
                where = "not in the alphabet" if self.sigma is not None else "not a one-character symbol or STOP"
                raise InvalidModel(
                    f"the model put mass on token {tok!r}, {where}, at prompt {prompt!r}, prefix {prefix!r}"
                )
        return law


def require_law(law: object, prompt: str, prefix: str, sigma: Alphabet | None = None) -> Dist[str]:
    """The law itself if it is a Dist over Σ ∪ {STOP}; otherwise InvalidModel naming where."""
    return _LawRequirement(sigma)(law, prompt, prefix)


def induced(
    phi: Autoregressive,
    prompt: str = "",
    *,
    max_len: int,
    alphabet: Alphabet | None = None,
    prefix: str = "",
) -> Dist[str]:
    """The exact law of the response (the whole text, prefix included) when φ is sampled after prefix.

    φ is called as φ(prompt, prefix) at every reachable prefix; `prompt` defaults to "" for models
    that ignore it. Mass still running at max_len raises NonTerminating (with that mass); a token
    outside `alphabet` (when given) or a law that is not a Dist raises InvalidModel naming the prefix.
    """
    max_len = _require_max_len(max_len)
    _require_prefix(prefix, alphabet)
    check = _LawRequirement(alphabet)
    valid = check.valid
    # masses are (numerator, denominator) integer pairs, far faster than Fraction arithmetic;
    # the tree is expanded one length at a time. Nodes in a row often get the same law object at
    # the same mass (a uniform digit, STOP at a fixed length): the law is then validated once and
    # its leaf mass is reused (a Dist is immutable, so this is exact).
    leaves: dict[str, tuple[int, int]] = {}  # text -> its mass (numerator, denominator), not reduced
    distinct: set[tuple[int, int]] = set()  # the leaf masses (a leaf reusing the last law's adds none)
    leaks: dict[int, int] = {}  # the mass still running at max_len: numerators summed by denominator
    first_leak: str | None = None
    level: list[tuple[str, int, int]] = [(prefix, 1, 1)]
    last_law: object = None
    last_n = last_d = last_dd = 0
    last_leaf: tuple[int, int] | None = None
    last_more = False  # the law has a token other than STOP
    run_law: object = None  # the law whose mass on tokens other than STOP is last_run
    last_run = 0
    nums: dict[str, int] = {}
    while level:
        below: list[tuple[str, int, int]] = []
        append = below.append
        for x, n, d in level:
            law = phi(prompt, x)
            if law is not last_law or n != last_n or d != last_d:
                if type(law) is not Dist or not valid.issuperset(law._num):
                    check(law, prompt, x)
                nums = law._num
                last_dd = d * law._den
                stop = nums.get(STOP)
                if stop is None:
                    last_leaf = None
                    last_more = len(nums) > 0
                else:
                    last_leaf = (n * stop, last_dd)
                    distinct.add(last_leaf)
                    last_more = len(nums) > 1
                last_law, last_n, last_d = law, n, d
            if last_leaf is not None:
                leaves[x] = last_leaf
            if not last_more:
                continue
            if len(x) >= max_len:
                if run_law is not law:
                    last_run = sum(m for tok, m in nums.items() if tok != STOP)
                    run_law = law
                leaks[last_dd] = leaks.get(last_dd, 0) + n * last_run
                first_leak = first_leak or x
                continue
            dd = last_dd
            for tok, m in nums.items():
                if tok != STOP:
                    append((x + tok, n * m, dd))
        level = below
    if leaks:
        running = math.lcm(*leaks)
        leaked = Fraction(sum(m * (running // dd) for dd, m in leaks.items()), running)
        raise NonTerminating(
            f"induced: probability {leaked} has not reached STOP within max_len={max_len} "
            f"(prompt {prompt!r}; e.g. after prefix {first_leak!r})",
            mass=leaked,
        )
    if len(distinct) == 1:  # every leaf has the same mass: one C-level fill
        ((n, d),) = distinct
        g = math.gcd(n, d)
        return Dist._from_integers(dict.fromkeys(leaves, n // g), d // g)
    dens = {d for _, d in distinct}
    if dens and len(dens) * max(dens).bit_length() <= 1024:
        # small denominators: their lcm at once; Dist reduces the numerators by their gcd
        common = math.lcm(*dens)
        return Dist._from_integers({x: n * (common // d) for x, (n, d) in leaves.items()}, common)
    # each distinct leaf mass is reduced once, so the common denominator is the least one
    lowest: dict[tuple[int, int], tuple[int, int]] = {}
    for n, d in distinct:
        g = math.gcd(n, d)
        lowest[(n, d)] = (n // g, d // g)
    common = math.lcm(*{d for _, d in lowest.values()})
    value = {mass: n * (common // d) for mass, (n, d) in lowest.items()}
    return Dist._from_integers({x: value[mass] for x, mass in leaves.items()}, common)


def sample(
    phi: Autoregressive,
    prompt: str,
    rng: random.Random,
    *,
    max_len: int,
    alphabet: Alphabet | None = None,
    prefix: str = "",
) -> str:
    """One response drawn by autoregressive sampling (prefix included); NonTerminating past max_len."""
    max_len = _require_max_len(max_len)
    _require_prefix(prefix, alphabet)
    check = _LawRequirement(alphabet)
    text = prefix
    while True:
        tok = check(phi(prompt, text), prompt, text).sample(rng)
        if tok == STOP:
            return text
        if len(text) >= max_len:
            raise NonTerminating(
                f"sample: no STOP within max_len={max_len} (prompt {prompt!r}, prefix {text!r})",
                mass=Fraction(0),
            )
        text += tok


def induced_hidden(phi: HiddenAutoregressive, prompt: str = "", *, max_len: int) -> Dist[tuple[str, str]]:
    """The exact joint law of (public text, hidden text) of a model with a hidden stream."""
    max_len = _require_max_len(max_len)
    # masses are (numerator, denominator) integer pairs, not reduced, as in `induced`
    out: dict[tuple[str, str], tuple[int, int]] = {}
    leaks: dict[int, int] = {}  # the mass still running at max_len: numerators summed by denominator
    stack: list[tuple[str, str, int, int]] = [("", "", 1, 1)]
    checked: dict[int, Dist[Move]] = {}  # laws whose moves were all checked (kept alive, so ids stay theirs)
    while stack:
        public, hidden, n, d = stack.pop()
        law = phi(prompt, public, hidden)
        if not isinstance(law, Dist):
            raise InvalidModel(
                f"the hidden-token model returned {type(law).__name__}, not a Dist, at prompt {prompt!r}, "
                f"public {public!r}, hidden {hidden!r}"
            )
        if checked.get(id(law)) is not law:  # the moves' check depends on the move alone
            for move in law._num:
                _require_move(move, prompt, public, hidden)
            checked[id(law)] = law
        dd = d * law._den
        for move, m in law._num.items():
            stream, tok = move
            nm = n * m
            if tok == STOP:
                key = (public, hidden)
                had = out.get(key)
                if had is None:
                    out[key] = (nm, dd)
                else:
                    out[key] = (had[0] * dd + nm * had[1], had[1] * dd)
            elif len(public) + len(hidden) >= max_len:
                leaks[dd] = leaks.get(dd, 0) + nm
            elif stream == "public":
                stack.append((public + tok, hidden, nm, dd))
            else:
                stack.append((public, hidden + tok, nm, dd))
    if leaks:
        running = math.lcm(*leaks)
        leaked = Fraction(sum(m * (running // dd) for dd, m in leaks.items()), running)
        raise NonTerminating(
            f"induced_hidden: probability {leaked} has not reached STOP within max_len={max_len} "
            f"(prompt {prompt!r})",
            mass=leaked,
        )
    # each distinct mass reduced once, then one common denominator
    lowest: dict[tuple[int, int], tuple[int, int]] = {}
    for n, d in set(out.values()):
        g = math.gcd(n, d)
        lowest[(n, d)] = (n // g, d // g)
    common = math.lcm(*{d for _, d in lowest.values()})
    value = {mass: n * (common // d) for mass, (n, d) in lowest.items()}
    nums = {pair: value[mass] for pair, mass in out.items()}
    if sum(nums.values()) != common:  # the masses do not total 1: Dist says by how much
        return Dist({pair: Fraction(n, d) for pair, (n, d) in out.items()})
    return Dist._from_integers(nums, common)


def _require_move(move: object, prompt: str, public: str, hidden: str) -> Move:
    ok = (
        isinstance(move, tuple)
        and len(move) == 2
        and move[0] in ("public", "hidden")
        and isinstance(move[1], str)
        and (len(move[1]) == 1 or (move[1] == STOP and move[0] == "public"))
    )
    if not ok:
        raise InvalidModel(
            f"the hidden-token model put mass on {move!r}, not a (stream, token) move, at prompt "
            f"{prompt!r}, public {public!r}, hidden {hidden!r}"
        )
    return move  # type: ignore[return-value]


def induced_public(phi: HiddenAutoregressive, prompt: str = "", *, max_len: int) -> Dist[str]:
    """The law of what the user sees: the public marginal of `induced_hidden`."""
    return induced_hidden(phi, prompt, max_len=max_len).map(lambda pair: pair[0])


_TASK_PARTS = ("prompt", "alphabet", "max_len", "target")


def tvd_to_target(phi: Autoregressive, task: Task, *, prompt: str | None = None, max_len: int | None = None) -> Fraction:
    """The exact total variation distance between φ's response law on a task and the task's target.

    φ is expanded exactly (`induced`) after the task's prompt (or `prompt`), over the task's
    alphabet, for at most the task's max_len symbols (or `max_len`), and compared with
    task.target(). Errors: InvalidArgument when `task` is not a task (it needs prompt, alphabet,
    max_len and target(), as every task of spec.tasks has); InvalidModel when φ is not callable, or
    returns something other than a Dist over the alphabet and STOP (naming the prefix);
    NonTerminating when φ has not stopped within max_len symbols (with the mass still running).
    """
    missing = [part for part in _TASK_PARTS if not hasattr(task, part)]
    if missing:
        raise InvalidArgument(
            f"tvd_to_target: task must be a task of spec.tasks (prompt, alphabet, max_len, target()); "
            f"{type(task).__name__} has no {', '.join(missing)}"
        )
    if not callable(phi):
        raise InvalidModel(f"tvd_to_target: phi must be callable as phi(prompt, prefix), got {type(phi).__name__}")
    law = induced(
        phi,
        task.prompt if prompt is None else prompt,
        max_len=task.max_len if max_len is None else max_len,
        alphabet=task.alphabet,
    )
    return tvd(law, task.target())
