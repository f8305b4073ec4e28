"""E1-E3, the ways around: hidden tokens, persistent random activations, a random seed.

For every task of the suite (the worlds of "where this comes up" and, when present, the uniform
number, the random prime and both orders of the semiprime triple, at sizes that enumerate fast)
the public law of each escape is computed exactly and
compared with the task's target. Algorithms with a rejection loop (coins.until) have runs of
every length: there the check is exact on the runs within a stated budget (the law on them is
exactly (1 − residual)·target) and the residual is the certified bound on the distance.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Protocol

from checkers.verdict import Level, Outcome, Relation, Statement, Twin, Verdict, refuted_by, verdict
from spec import (
    STOP,
    Dist,
    HiddenAutoregressive,
    TextToText,
    tvd,
    with_hidden_tokens,
    with_random_seed,
)
from spec.activations import activation_runs, with_activations
from spec.coins import Runs
from spec.constructions import SeedExhausted
from spec.signatures import Coins, Move
from spec.tasks.mystery import mystery
from spec.tasks.polynomial import polynomial
from spec.tasks.sudoku import sudoku
from spec.tasks.twenty_questions import (
    ANIMALS,
    SecretGame,
    animal_questions,
    hash_bit_question,
    hash_universe,
)

__all__ = [
    "Task",
    "suite_tasks",
    "Rejection",
    "choice_paths",
    "exact_seed_space",
    "hidden_runs",
    "e1_row",
    "e2_row",
    "e3_row",
    "seeded_law",
    "SeedIndex",
    "check_E1",
    "check_E2",
    "check_E3",
    "TWINS_E1",
    "TWINS_E2",
    "TWINS_E3",
]


class Task(Protocol):
    """What the escapes need of a task: its prompt, its target and its text-to-text algorithm."""

    @property
    def prompt(self) -> str: ...

    @property
    def max_len(self) -> int: ...

    def target(self) -> Dist[str]: ...

    def algo(self, prompt: str, coins: Coins) -> str: ...


def suite_tasks(level: Level) -> list[tuple[str, Task]]:
    """The tasks the escapes are checked on, at sizes that enumerate fast at this level."""
    big = level is not Level.QUICK
    cells = {Level.QUICK: 2, Level.STANDARD: 3, Level.DEEP: 4}[level]  # Sudoku took most of E1-E3 at 3 cells
    tasks: list[tuple[str, Task]] = [
        ("Twenty Questions (animals), 4 questions", SecretGame(ANIMALS, animal_questions()[:4])),
        ("Twenty Questions (SHA-256 bits), b=4, 4 questions",
         SecretGame(hash_universe(4), tuple(hash_bit_question(i) for i in range(4)))),
        (f"Sudoku, erasable cells 0-{cells - 1}", sudoku(range(cells))),
        ("polynomial with integer roots, n=2, R=3", polynomial(2, 3)),
        ("polynomial with integer roots, n=3, R=2", polynomial(3, 2)),
        ("mystery story, m=12, 3 clues", mystery(12, 3, symbols=3)),
    ]
    try:  # the issue-3 tasks, when they have landed
        from spec.tasks.random_prime import random_prime
        from spec.tasks.semiprime import semiprime_triple
        from spec.tasks.uniform_number import uniform_number
    except ImportError:
        return tasks
    tasks += [
        ("uniform number, 3 digits" if big else "uniform number, 2 digits", uniform_number(3 if big else 2)),
        ("random prime, n=1", random_prime(1)),
        ("semiprime triple [p,q,pq], n=1", semiprime_triple(1, "p,q,pq")),
        ("semiprime triple [pq,p,q], n=1", semiprime_triple(1, "pq,p,q")),
    ]
    return tasks


# ---- the choice structure of an algorithm ------------------------------------------


class Rejection(Exception):
    """The algorithm runs a rejection loop: it has runs of every length."""


class _PathCoins:
    """Coins that replay a path of choices, take 0 beyond it, and record every width."""

    def __init__(self, path: list[int]) -> None:
        self.path = path
        self.widths: list[int] = []
        self.taken: list[int] = []

    def randbelow(self, k: int) -> int:
        i = self.path[len(self.taken)] if len(self.taken) < len(self.path) else 0
        self.taken.append(i)
        self.widths.append(k)
        return i

    def until(self, attempt: Callable[[Any], Any], accept: Callable[[Any], bool]) -> Any:
        raise Rejection("the algorithm uses coins.until")


def choice_paths(algo: TextToText, prompt: str) -> list[tuple[tuple[int, ...], str]]:
    """Every run of a loop-free algorithm: (the widths of its choices, its output)."""
    out: list[tuple[tuple[int, ...], str]] = []
    stack: list[list[int]] = [[]]
    while stack:
        path = stack.pop()
        coins = _PathCoins(path)
        text = algo(prompt, coins)
        out.append((tuple(coins.widths), text))
        for j in range(len(path), len(coins.taken)):
            stack.extend(coins.taken[:j] + [alt] for alt in range(1, coins.widths[j]))
    return out


def exact_seed_space(algo: TextToText, prompt: str) -> int:
    """The least M with every run's product of choice widths dividing M: reading choices off a seed in
    range(M) in mixed radix (r = s mod k, s //= k) is then exactly uniform for every run."""
    return math.lcm(*(math.prod(widths) for widths, _ in choice_paths(algo, prompt)))


# ---- E1 hidden tokens ---------------------------------------------------------------


def hidden_runs(phi_h: HiddenAutoregressive, prompt: str, *, max_public: int, max_hidden: int) -> Runs[str]:
    """The public law over runs with at most max_hidden hidden symbols, and the mass of longer runs."""
    # masses in integers: (numerator, denominator) along a path, summed per denominator, and
    # turned into Fractions once at the end
    mass: dict[str, dict[int, int]] = {}
    residual: dict[int, int] = {}
    stack: list[tuple[str, str, int, int]] = [("", "", 1, 1)]
    while stack:
        public, hidden, n, d = stack.pop()
        law = phi_h(prompt, public, hidden)
        dd = d * law.denominator
        for (stream, tok), m in law.numerators():
            nm = n * m
            if tok == STOP:
                at = mass.setdefault(public, {})
                at[dd] = at.get(dd, 0) + nm
            elif stream == "hidden" and len(hidden) >= max_hidden:
                residual[dd] = residual.get(dd, 0) + nm
            elif stream == "public" and len(public) >= max_public:
                raise AssertionError(f"hidden_runs: public text longer than {max_public} after {public!r}")
            elif stream == "public":
                stack.append((public + tok, hidden, nm, dd))
            else:
                stack.append((public, hidden + tok, nm, dd))
    return Runs({x: _total(at) for x, at in mass.items()}, _total(residual), max_hidden)


def _total(by_denominator: dict[int, int]) -> Fraction:
    """Σ numerator/denominator over {denominator: numerator}, exactly."""
    return sum((Fraction(n, d) for d, n in by_denominator.items()), Fraction(0))


def _agrees(runs: Runs[str], target: Dist[str]) -> tuple[bool, str]:
    """Exact agreement: law = target when nothing is left over, else mass = (1 − residual)·target."""
    scale = 1 - runs.residual
    seen = set(runs.mass) | target.support
    bad = [x for x in sorted(seen) if runs.mass.get(x, Fraction(0)) != scale * target[x]]
    if bad:
        x = bad[0]
        return False, f"P({x!r}) = {runs.mass.get(x, Fraction(0))}, want {scale}·{target[x]}"
    if runs.residual:
        return True, f"law on runs within budget = (1 − {runs.residual})·target exactly; TVD <= {runs.residual}"
    return True, "law = target exactly"


@dataclass(frozen=True)
class Row:
    """One task's result for one escape."""

    task: str
    ok: bool
    note: str
    residual: Fraction
    extra: dict[str, object]

    def data(self) -> dict[str, object]:
        return {"task": self.task, "exact": self.ok and not self.residual, "residual": str(self.residual), "note": self.note, **self.extra}


def _uses_until(task: Task) -> bool:
    try:
        choice_paths(task.algo, task.prompt)
    except Rejection:
        return True
    return False


def e1_row(name: str, task: Task, max_hidden: int = 4) -> Row:
    """with_hidden_tokens(task.algo): its public law against the target."""
    runs = hidden_runs(with_hidden_tokens(task.algo), task.prompt, max_public=task.max_len, max_hidden=max_hidden if _uses_until(task) else 10**6)
    ok, note = _agrees(runs, task.target())
    return Row(name, ok, note, runs.residual, {})


def check_E1(level: Level) -> Verdict:
    """Hidden tokens: the public law of with_hidden_tokens(algo) is algo's output law, for every task."""
    rows = [e1_row(name, task) for name, task in suite_tasks(level)]
    return _escape_verdict("E1", rows, "exact public marginal of with_hidden_tokens(task.algo) (DFS over both streams)",
                           said="the public marginal of with_hidden_tokens(algorithm) (the algorithm's choices written to the "
                           "hidden stream) equals the algorithm's output law exactly (for a rejection loop: on the runs within "
                           "the hidden budget, (1 − residual)·the law)")


def _small_game() -> SecretGame:
    return SecretGame(ANIMALS[:6], animal_questions()[:2])


def _e1_hidden_alphabet_short_by_one(level: Level) -> Verdict:
    """Hidden symbols drawn from k − 1 of the k options (off by one): the public law must differ."""
    game = _small_game()
    phi_h = with_hidden_tokens(game.algo)

    def short(prompt: str, public: str, hidden: str) -> Dist[Move]:
        law = phi_h(prompt, public, hidden)
        moves = sorted(law.support)
        if len(moves) > 1 and all(stream == "hidden" for stream, _ in moves):
            return Dist.uniform(moves[:-1])
        return law

    runs = hidden_runs(short, game.prompt, max_public=game.max_len, max_hidden=8)
    target = game.target()
    diff = sorted(x for x in set(runs.mass) | target.support if runs.mass.get(x, Fraction(0)) != target[x])
    problem = (f"P({diff[0]!r}) = {runs.mass.get(diff[0], Fraction(0))}, target {target[diff[0]]}"
               if diff and not runs.residual else None)
    return refuted_by(problem, "6 animals, 2 questions", "E1's hidden_runs (exact public marginal)")


TWINS_E1 = (
    Twin("hidden symbols drawn from k − 1 of k options still simulate the algorithm", _e1_hidden_alphabet_short_by_one),
)
"""E1's perturbed twin: hidden tokens that drop one of the algorithm's choices."""


_STATED = {
    "E1": "hidden tokens",
    "E2": "activations drawn once and kept",
    "E3": "a random seed in the prompt",
}


def _escape_verdict(
    claim: str, rows: list[Row], method: str, extra: list[str] | None = None, *, said: str = "",
    data: dict[str, object] | None = None,
) -> Verdict:
    evidence = [f"{r.task}: {r.note}" for r in rows] + (extra or [])
    bad = [r for r in rows if not r.ok]
    scope = f"{len(rows)} tasks: " + "; ".join(r.task for r in rows)
    outcome = Outcome.REFUTED if bad else Outcome.HOLDS
    statement = Statement(f"{_STATED[claim]}, for each of the {len(rows)} tasks ({'; '.join(r.task for r in rows)}): {said}",
                          Relation.SPECIAL_CASE, outcome)
    return verdict(outcome, scope, method, evidence, counterexample=f"{bad[0].task}: {bad[0].note}" if bad else None,
                   data={claim.lower(): [r.data() for r in rows], **(data or {})}, statements=(statement,))


# ---- E2 nondeterministic activations ------------------------------------------------


def e2_row(name: str, task: Task, *, persist: bool = True, max_flips: int = 12) -> Row:
    """with_activations(task.algo): its public law against the target."""
    runs = activation_runs(with_activations(task.algo, persist=persist), task.prompt, max_len=task.max_len, max_flips=max_flips)
    ok, note = _agrees(runs, task.target())
    return Row(name, ok, note, runs.residual, {})


def check_E2(level: Level) -> Verdict:
    """Activations drawn once and kept: the public law is algo's output law, for every task."""
    rows = [e2_row(name, task) for name, task in suite_tasks(level)]
    small = SecretGame(hash_universe(2), (hash_bit_question(0), hash_bit_question(1)))
    forgetful = e2_row("counterpart: activations redrawn every step (Twenty Questions, SHA-256 bits, 4 objects)", small, persist=False)
    extra = [f"counterpart caught: {forgetful.note}" if not forgetful.ok else "counterpart NOT caught"]
    if forgetful.ok:
        rows.append(Row("counterpart", False, "a forgetful model passed", Fraction(0), {}))
    return _escape_verdict(
        "E2", rows, "exact law over every activation draw (enumerate_runs over the generation loop)", extra,
        said="the public law of with_activations(algorithm, persist=True) equals the algorithm's output law exactly, "
        "and activations redrawn at every step are caught",
    )


def _e2_forgetful(level: Level) -> Verdict:
    game = SecretGame(hash_universe(2), (hash_bit_question(0), hash_bit_question(1)))
    row = e2_row("forgetful", game, persist=False)
    return refuted_by(None if row.ok else row.note, "4 hash objects, 2 hash-bit questions",
                      "E2's e2_row with activations redrawn every step")


TWINS_E2 = (
    Twin("activations redrawn at every step (not kept) still simulate the algorithm", _e2_forgetful),
)
"""E2's perturbed twin: activations redrawn at every step."""


# ---- E3 random seed -----------------------------------------------------------------


class SeedIndex:
    """Text to text by one uniform choice below the target's denominator, read as an index into its CDF."""

    def __init__(self, target: Dist[str]) -> None:
        self.items = sorted(target.items())
        self.den = target.denominator

    def __call__(self, prompt: str, coins: Coins) -> str:
        r = Fraction(coins.randbelow(self.den), self.den)
        for x, p in self.items:
            if r < p:
                return x
            r -= p
        raise AssertionError("unreachable: the probabilities sum to 1")


def seeded_law(algo: TextToText, prompt: str, seed_space: int, *, max_len: int) -> tuple[Dist[str] | None, int, int, int]:
    """(law over the seeds that finish, seeds exhausted, decoding steps, steps that were not point masses)."""
    model = with_random_seed(algo, seed_space=seed_space)
    counts: dict[str, int] = {}
    exhausted = steps = random_steps = 0
    for seed in range(seed_space):
        prompt_s = model.seeded_prompt(prompt, seed)
        text = ""
        try:
            while True:
                law = model(prompt_s, text)
                steps += 1
                if len(law) != 1:
                    random_steps += 1
                (tok,) = law.support if len(law) == 1 else (sorted(law.support)[0],)
                if tok == STOP:
                    break
                if len(text) >= max_len:
                    raise AssertionError(f"seeded model runs past max_len at seed {seed}")
                text += tok
        except SeedExhausted:
            exhausted += 1
            continue
        counts[text] = counts.get(text, 0) + 1
    final = Dist.from_weights(counts) if counts else None
    return final, exhausted, steps, random_steps


def e3_row(name: str, task: Task, *, rejection_seed: int = 9**4) -> Row:
    """with_random_seed(task.algo): seed length, determinism of decoding, exactness, and a short seed."""
    target = task.target()
    if _uses_until(task):
        # a rejection loop reads the seed afresh at each attempt: a finite seed runs out on some seeds
        law, exhausted, steps, random_steps = seeded_law(task.algo, task.prompt, rejection_seed, max_len=task.max_len)
        share = Fraction(exhausted, rejection_seed)
        proportional = law == target
        index = SeedIndex(target)
        ilaw, iex, isteps, irandom = seeded_law(index, task.prompt, index.den, max_len=task.max_len)
        ok = proportional and ilaw == target and iex == 0 and irandom == 0 and random_steps == 0
        note = (
            f"rejection algorithm with a seed of {rejection_seed} values: {exhausted} seeds ({share}) run out, the rest give "
            f"the target {'exactly' if proportional else 'NOT exactly'}; a seed-index decoder with M = {index.den} "
            f"(the target's denominator, {math.log2(index.den):.2f} bits) is exact and deterministic ({isteps} point-mass steps)"
        )
        return Row(name, ok, note, share, {"seed_space": index.den, "seed_bits": round(math.log2(index.den), 3)})
    M = exact_seed_space(task.algo, task.prompt)
    law, exhausted, steps, random_steps = seeded_law(task.algo, task.prompt, M, max_len=task.max_len)
    over_seeds = with_random_seed(task.algo, seed_space=M).induced_over_seeds(task.prompt, max_len=task.max_len)
    exact = law == target == over_seeds and exhausted == 0 and random_steps == 0 and M % target.denominator == 0
    ok = exact
    short = M - 1 if M > 1 else None
    short_note, short_tvd = "", None
    if short is not None:
        slaw, sex, _, _ = seeded_law(task.algo, task.prompt, short, max_len=task.max_len)
        short_tvd = tvd(slaw, target) if slaw is not None and not sex else None
        caught = sex > 0 or (short_tvd is not None and short_tvd > 0)
        short_note = f"; seed of {short} values: " + (
            f"{sex} seeds run out" if sex else f"TVD {short_tvd}"
        ) + (" (caught)" if caught else " (NOT caught)")
        ok = ok and caught
    note = (
        f"M = {M} ({math.log2(M):.2f} bits; target denominator {target.denominator}); {steps} decoding steps over all seeds, "
        f"{random_steps} not point masses; law over seeds (and induced_over_seeds) {'=' if exact else '!='} target{short_note}"
    )
    return Row(
        name,
        ok,
        note,
        Fraction(0),
        {"seed_space": M, "seed_bits": round(math.log2(M), 3), "short_seed_tvd": str(short_tvd) if short_tvd is not None else ""},
    )


def check_E3(level: Level) -> Verdict:
    """A random seed in the prompt and deterministic decoding give the target, for every task."""
    rows = [e3_row(name, task) for name, task in suite_tasks(level)]
    game = SecretGame(ANIMALS[:6], animal_questions()[:2])
    table = []
    for bits in range(3, 11):
        law, ex, _, _ = seeded_law(game.algo, game.prompt, 2**bits, max_len=game.max_len)
        assert law is not None and not ex
        table.append({"bits": bits, "seed_space": 2**bits, "tvd": str(tvd(law, game.target()))})
    extra = [
        "bit seeds for a uniform choice among 6 objects are never exact: TVD by bits " + ", ".join(f"{r['bits']}: {r['tvd']}" for r in table)
    ]
    return _escape_verdict("E3", rows, "with_random_seed over every seed in range(M); each decoding step checked to be a point mass", extra,
                           said="with a seed space M and deterministic decoding (every step a point mass), the law over "
                           "the M seeds equals the algorithm's output law exactly, and a seed space of M − 1 is caught",
                           data={"e3_bits": table})


def _e3_short_seed(level: Level) -> Verdict:
    game = _small_game()
    law, _, _, _ = seeded_law(game.algo, game.prompt, 5, max_len=game.max_len)
    if law is None:
        return refuted_by("no seed finished", "6 animals, seed space 5", "E3's seeded_law")
    d = tvd(law, game.target())
    return refuted_by(f"seed space 5 for 6 objects: TVD {d} > 0" if d else None, "6 animals, seed space 5",
                      "E3's seeded_law (every seed decoded deterministically)")


TWINS_E3 = (
    Twin("a seed space of 5 suffices for a uniform choice among 6", _e3_short_seed),
)
"""E3's perturbed twin: a seed space too small for the choice it must make."""
