"""G1-G4, "where this comes up": each world checked exactly, with the autoregressive model's cost.

For each world the autoregressive model's induced law (spec.induced) and the committed
algorithm's output law (spec.enumerate_runs) are computed exactly and compared with the target.
The cost tables go into the verdict's `data` (and benchmarks/bench_worlds.py prints them).
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from fractions import Fraction
from itertools import product
from typing import TYPE_CHECKING, Any

from checkers.assumptions import HYPOTHESES, SHA256_IS_UNPREDICTABLE
from checkers.verdict import Level, Outcome, Relation, Statement, Twin, Verdict, refuted_by, verdict
from spec import (
    STOP,
    Autoregressive,
    Dist,
    enumerate_runs,
    induced,
    induced_public,
    sample,
    tvd,
    with_hidden_tokens,
)
from spec.constructions import HiddenTokens
from spec.errors import SpecError
from spec.tasks.mystery import mystery
from spec.tasks.polynomial import (
    Polynomial,
    coefficient_text,
    expand,
    integer_roots,
    parse_coefficients,
    polynomial,
)
from spec.signatures import Coins
from spec.tasks.sudoku import CELLS, Sudoku, erasure_law, puzzle_text, solution_grids, sudoku
from spec.tasks.sudoku import FULL as SUDOKU_FULL
from spec.tasks.sudoku import solutions as sudoku_solutions
from spec.tasks.twenty_questions import (
    ANIMALS,
    REVEAL,
    Cost,
    Observation,
    SecretGame,
    animal_questions,
    hash_bit_question,
    hash_universe,
    twenty_questions,
)

if TYPE_CHECKING:
    from checkers.report.plots import Figure

__all__ = [
    "check_G1",
    "g1_figure",
    "check_G2",
    "check_G3",
    "check_G4",
    "Mismatch",
    "compare_world",
    "sudoku_target_problem",
    "answerer_verdict",
    "regeneration",
    "hidden_continuation",
    "question_sequences",
    "g1_cost_row",
    "g4_cost_row",
    "g3_cost_row",
    "flint_roots",
    "TWINS_G1",
    "TWINS_G2",
    "TWINS_G3",
    "TWINS_G4",
]


# ---- shared ---------------------------------------------------------------------


class Mismatch(Exception):
    """A law that differs from the target: the first text where it does, and the TVD."""

    def __init__(self, what: str, text: str, got: Fraction, want: Fraction, distance: Fraction) -> None:
        super().__init__(f"{what}: P({text!r}) = {got}, target {want}; TVD {distance}")
        self.what, self.text, self.got, self.want, self.distance = what, text, got, want, distance


def _first_difference(law: Dist[str], target: Dist[str], what: str) -> Mismatch | None:
    if law == target:
        return None
    for x in sorted(law.support | target.support):
        if law[x] != target[x]:
            return Mismatch(what, x, law[x], target[x], tvd(law, target))
    raise AssertionError("unequal laws with equal probabilities")


def compare_world(
    target: Dist[str], phi: Autoregressive, algo: Callable[[str, Any], str], prompt: str, max_len: int, max_flips: int
) -> Mismatch | None:
    """None when the AR model's induced law and the algorithm's output law both equal the target."""
    ar = induced(phi, prompt, max_len=max_len)
    bad = _first_difference(ar, target, "autoregressive")
    if bad is not None:
        return bad
    committed = enumerate_runs(lambda coins: algo(prompt, coins), max_flips).dist()
    return _first_difference(committed, target, "committed")


def _int(x: object) -> int:
    """A count from a cost row (always an int there)."""
    if not isinstance(x, int):
        raise TypeError(f"a cost row count must be an int, got {x!r}")
    return x


# ---- G1 Twenty Questions ----------------------------------------------------------


def question_sequences(pool: Sequence[Observation], max_len: int) -> Iterator[tuple[Observation, ...]]:
    """Every sequence of questions from the pool of length 0..max_len (repeats allowed)."""
    for k in range(max_len + 1):
        yield from product(pool, repeat=k)


def answerer_verdict(game: SecretGame, phi: Autoregressive) -> Verdict:
    """HOLDS when the answerer's transcripts have exactly the target law; REFUTED with an inconsistent one."""
    target = game.target()
    law = induced(phi, game.prompt, max_len=game.max_len)
    scope = f"{len(game.universe)} objects, {len(game.observations)} questions"
    if law == target:
        return verdict(Outcome.HOLDS, scope, "exact induced law", [f"{len(law)} transcripts, law = target"])
    inconsistent = [x for x in sorted(law.support) if not game.is_consistent(x)]
    bad_mass = sum((law[x] for x in inconsistent), Fraction(0))
    d = tvd(law, target)
    evidence = [f"TVD to the target {d}", f"{len(inconsistent)} inconsistent transcripts, total mass {bad_mass}"]
    if inconsistent:
        x = inconsistent[0]
        cex = f"transcript {x!r} has probability {law[x]} but no object answers so (target 0); TVD {d}"
    else:
        diff = _first_difference(law, target, "answerer")
        assert diff is not None
        cex = str(diff)
    return verdict(Outcome.REFUTED, scope, "exact induced law", evidence, counterexample=cex)


def hidden_continuation(phi_h: HiddenTokens, prompt: str, public: str, hidden: str, *, max_len: int) -> Dist[str]:
    """The law of the finished public text when the model continues from (public, hidden)."""
    out: dict[str, Fraction] = {}
    stack = [(public, hidden, Fraction(1))]
    while stack:
        pub, hid, p = stack.pop()
        for (stream, tok), q in phi_h(prompt, pub, hid).items():
            if tok == STOP:
                out[pub] = out.get(pub, Fraction(0)) + p * q
            elif len(pub) + len(hid) >= max_len:
                raise SpecError(f"hidden_continuation: no STOP within {max_len} symbols")
            elif stream == "public":
                stack.append((pub + tok, hid, p * q))
            else:
                stack.append((pub, hid + tok, p * q))
    return Dist(out)


def regeneration(game: SecretGame, answers: str) -> tuple[Dist[str], dict[str, Dist[str]]]:
    """Resample only the reveal after `answers`: the AR reveal law, and the committed one per hidden choice."""
    ar = induced(game.phi, game.prompt, max_len=game.max_len, prefix=answers + REVEAL)
    phi_h = with_hidden_tokens(game.algo)
    committed: dict[str, Dist[str]] = {}
    for i, name in enumerate(game.universe):
        if game.transcript(name).startswith(answers):
            hidden = chr(i)  # the committed answerer's one coin flip: which object
            committed[name] = hidden_continuation(phi_h, game.prompt, answers + REVEAL, hidden, max_len=2 * game.max_len)
    return ar, committed


def _regeneration_problem(game: SecretGame, answers: str, evidence: list[str]) -> str | None:
    ar, committed = regeneration(game, answers)
    names = sorted(x[len(answers) + 1 :] for x in ar.support)
    consistent = [n for n in game.universe if game.transcript(n).startswith(answers)]
    if sorted(consistent) != names or any(ar[x] != Fraction(1, len(consistent)) for x in ar.support):
        return f"AR reveal after {answers!r} is {ar}, not uniform over the consistent {consistent}"
    for name, law in committed.items():
        if law != Dist.point(answers + REVEAL + name):
            return f"committed reveal with hidden object {name!r} is {law}, not that object"
    rng = random.Random(7)
    drawn = [sample(game.phi, game.prompt, rng, max_len=game.max_len, prefix=answers + REVEAL)[len(answers) + 1 :] for _ in range(8)]
    evidence.append(
        f"regeneration after {answers!r}: AR reveal uniform over {len(names)} consistent objects "
        f"(8 resamples: {', '.join(drawn)}); committed with hidden stream: the same object every time, for each of {len(committed)}"
    )
    return None


def g1_cost_row(b: int, questions: int = 20, seed: int = 1) -> dict[str, object]:
    """Cost of one sampled game over the integers below 2^b with `questions` hash-bit questions."""
    game = SecretGame(hash_universe(b), tuple(hash_bit_question(i) for i in range(questions)))
    game.cost.reset()
    t0 = time.perf_counter()
    text = sample(game.phi, game.prompt, random.Random(seed), max_len=game.max_len)
    ar_seconds = time.perf_counter() - t0
    ar = Cost(game.cost.examined, game.cost.observed, game.cost.tokens)
    game.cost.reset()
    t0 = time.perf_counter()
    game.algo(game.prompt, _FixedCoins(seed))
    committed_seconds = time.perf_counter() - t0
    assert game.is_consistent(text)
    return {
        "b": b,
        "universe": 2**b,
        "questions": questions,
        "tokens": ar.tokens,
        "ar_objects_examined": ar.examined,
        "ar_objects_per_token": round(ar.examined / ar.tokens),
        "ar_hashes_per_token": round(ar.observed / ar.tokens, 1),
        "ar_ms_per_token": round(1000 * ar_seconds / ar.tokens, 3),
        "committed_objects": game.cost.examined,
        "committed_hashes_per_answer": round(game.cost.observed / questions, 3) if questions else 0.0,
        "committed_ms_total": round(1000 * committed_seconds, 3),
    }


class _FixedCoins:
    """Coins from a seeded RNG (for timing the committed answerer)."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)

    def randbelow(self, k: int) -> int:
        return self.rng.randrange(k)

    def until(self, attempt: Callable[[Any], Any], accept: Callable[[Any], bool]) -> Any:
        while True:
            x = attempt(self)
            if accept(x):
                return x


_G1_SCOPES = {Level.QUICK: (3, 3, 8), Level.STANDARD: (4, 4, 12), Level.DEEP: (4, 5, 16)}
"""(max question-sequence length, hash universe bits for the exhaustive part, cost table up to b)."""


def check_G1(level: Level) -> Verdict:
    """Twenty Questions: committed and autoregressive answerers induce the same transcript law."""
    depth, bits, cost_b = _G1_SCOPES[level]
    evidence: list[str] = []
    worlds = [
        ("animals", ANIMALS, animal_questions()),
        (f"integers below 2^{bits}", hash_universe(bits), tuple(hash_bit_question(i) for i in range(4))),
    ]
    checked = 0
    for label, universe, pool in worlds:
        n = 0
        for seq in question_sequences(pool, depth):
            game = SecretGame(universe, seq)
            bad = compare_world(game.target(), game.phi, game.algo, game.prompt, game.max_len, 1)
            n += 1
            if bad is not None:
                cex = f"{label}, questions {[q.text for q in seq]}: {bad}"
                return verdict(Outcome.REFUTED, "G1", "exact induced law vs target", evidence, counterexample=cex)
        evidence.append(f"{label} ({len(universe)} objects): all {n} sequences of <= {depth} of {len(pool)} questions: AR = committed = target")
        checked += n
    game = SecretGame(ANIMALS, animal_questions()[:2])
    for answers in ("yn", "ny", "nn"):
        err = _regeneration_problem(game, answers, evidence)
        if err is not None:
            return verdict(Outcome.REFUTED, "G1 regeneration", "exact reveal law", evidence, counterexample=err)
    broken = answerer_verdict(game, game.unconditioned_phi)
    evidence.append(f"counterpart (answers from an unconditioned uniform object): {broken.outcome.value}: {broken.counterexample}")
    if broken.outcome is not Outcome.REFUTED:
        return verdict(Outcome.REFUTED, "G1 counterpart", "exact induced law", evidence, counterexample="the broken answerer was not caught")
    rows = [g1_cost_row(b) for b in range(1, cost_b + 1)]
    every = all(_int(r["ar_objects_examined"]) == _int(r["universe"]) * _int(r["tokens"]) for r in rows)
    last = rows[-1]
    evidence.append(
        f"cost at b={cost_b}: AR examines {last['ar_objects_per_token']} objects per token ({last['ar_hashes_per_token']} SHA-256, "
        f"{last['ar_ms_per_token']} ms); committed: 1 object, {last['committed_hashes_per_answer']} SHA-256 per answer"
    )
    evidence.append(
        "this AR answerer examines all 2^b objects at every token: with SHA-256 bit questions P(yes | transcript) is a "
        "count of hash preimages, for which no shortcut is known (an assumption about SHA-256, not proved here); "
        "the committed answerer's work is constant"
    )
    scope = (
        f"{checked} question sequences (length <= {depth}) over 8 animals and the {2**bits} integers below 2^{bits} "
        f"with SHA-256 bit questions; regeneration on 3 transcripts; cost for b = 1..{cost_b}, 20 questions"
    )
    method = "exact: spec.induced for the AR answerer, enumerate_runs for the committed one, equality with the target"
    statements = (
        Statement(f"for every sequence of at most {depth} questions ({len(worlds[0][2])} animal questions over "
                  f"{len(ANIMALS)} animals; {len(worlds[1][2])} SHA-256 bit questions over the {2**bits} integers below "
                  f"2^{bits}): the AR answerer's transcript law = the committed answerer's = the target; regenerating the "
                  "reveal gives the AR answerer a uniform consistent object, the committed one its own",
                  Relation.SPECIAL_CASE, Outcome.HOLDS),
        Statement("the AR answerer's answer is P(yes | transcript), a count of hash preimages among all objects; given "
                  f"{SHA256_IS_UNPREDICTABLE} that count cannot be had faster than by trying the objects, so answering is "
                  "intractable for large universes", Relation.SAME, Outcome.HOLDS),
        Statement(f"{SHA256_IS_UNPREDICTABLE}: {HYPOTHESES[SHA256_IS_UNPREDICTABLE]}", Relation.ASSUMPTION,
                  Outcome.ASSUMED),
        Statement(f"cost, b = 1..{cost_b}, 20 questions: the AR answerer examines "
                  + ("exactly all 2^b objects at every token" if every else "fewer than all 2^b objects at some token")
                  + "; the committed answerer, 1 object", Relation.EVIDENCE, Outcome.HOLDS if every else Outcome.UNKNOWN),
    )
    return verdict(Outcome.HOLDS, scope, method, evidence, data={"g1_cost": rows}, statements=statements,
                   rests_on=(f"{SHA256_IS_UNPREDICTABLE}: {HYPOTHESES[SHA256_IS_UNPREDICTABLE]}",))


def g1_figure(verdict: Verdict, used: Mapping[str, Verdict]) -> Figure | None:
    """G1: objects examined per answer, AR answerer vs committed answerer, against the universe size."""
    from checkers.report.plots import caveat, number, pyplot, rows_of

    rows = sorted(rows_of(verdict, "g1_cost"), key=lambda r: number(r.get("b")) or 0)
    pts = [(int(b), a, c) for r in rows if (b := number(r.get("b"))) is not None
           and (a := number(r.get("ar_objects_per_token"))) is not None and (c := number(r.get("committed_objects"))) is not None]
    if not pts:
        return None
    plt = pyplot()
    fig, ax = plt.subplots(figsize=(7, 4.6))
    xs = [2 ** b for b, _, _ in pts]
    ax.plot(xs, [a for _, a, _ in pts], "o-", label="autoregressive answerer: P(yes | transcript) by counting")
    ax.plot(xs, [c for _, _, c in pts], "s-", label="committed answerer (hidden object): 1")
    ax.set_xscale("log", base=2)
    ax.set_yscale("log", base=2)
    ax.set_xticks(xs)
    ax.set_xticklabels([f"$2^{{{b}}}$" for b, _, _ in pts])
    ax.set_xlabel("universe size, number of objects (log scale)")
    ax.set_ylabel("objects examined per answered question (count)")
    ax.set_title("G1: Twenty Questions with SHA-256 bit questions", fontsize=10)
    ax.legend(fontsize=8, loc="upper left")
    fig.tight_layout(rect=(0, 0.07, 1, 1))
    caveat(fig, "This answerer tries every object; that no faster way exists for SHA-256 bits is the assumption "
                f"{SHA256_IS_UNPREDICTABLE}, not shown by the curve.")
    return fig


def _g1_unconditioned(level: Level) -> Verdict:
    game = twenty_questions(ANIMALS, animal_questions()[:2])
    return answerer_verdict(game, game.unconditioned_phi)


TWINS_G1 = (
    Twin("an answerer that ignores the transcript plays Twenty Questions", _g1_unconditioned),
)
"""G1's perturbed twin: an answerer whose object is not conditioned on the transcript."""


# ---- G2 Sudoku ------------------------------------------------------------------


_G2_SCOPES = {
    Level.QUICK: (tuple(range(8)), tuple(range(3))),
    Level.STANDARD: (tuple(range(CELLS)), tuple(range(3))),
    Level.DEEP: (tuple(range(CELLS)), tuple(range(4))),
}
"""(erasable cells of the main check, erasable cells of the enumerated-algorithm check)."""


def _digit_masks(texts: Sequence[str]) -> Any:
    """(len(texts), 4) int64 array: for each 16-cell text and digit 1-4, the mask of its cells holding it."""
    import numpy as np

    cells = np.frombuffer("".join(texts).encode("ascii", "replace"), dtype=np.uint8).reshape(len(texts), CELLS)
    bits = np.left_shift(np.int64(1), np.arange(CELLS, dtype=np.int64))
    return np.stack([((cells == ord(v)) * bits).sum(axis=1) for v in "1234"], axis=1)


def sudoku_target_problem(task: Sudoku) -> str | None:
    """None when every puzzle in the target has exactly one solution grid, no erasable given that could go
    while keeping it so, and the solution grid is uniform (independent of the generator: all 288 grids
    are compared with every puzzle, vectorised; the grid masses are summed as integer numerators over
    the target's denominator)."""
    import numpy as np

    target = task.target()
    grids = solution_grids()
    digit = _digit_masks(grids)
    puzzles = sorted(target.support)
    numerators = dict(target.numerators())
    grid_num = [0] * len(grids)
    for lo in range(0, len(puzzles), 8192):
        chunk = puzzles[lo : lo + 8192]
        if any(len(p) != CELLS for p in chunk):
            p = next(p for p in chunk if len(p) != CELLS)
            return f"puzzle {p!r} has {len(p)} cells, not {CELLS}"
        want = _digit_masks(chunk)
        givens = want.sum(axis=1)  # the digit masks are disjoint
        agree = np.zeros((len(chunk), len(grids)), dtype=np.int64)
        for v in range(4):
            agree |= want[:, None, v] & digit[None, :, v]
        mismatch = givens[:, None] & ~agree  # the givens a grid contradicts
        exact = mismatch == 0
        single = (mismatch & (mismatch - 1)) == 0
        covered = np.bitwise_or.reduce(np.where(single & ~exact, mismatch, 0), axis=1)
        counts = exact.sum(axis=1)
        wrong_count = counts != 1
        erasable_left = (givens & task.erasable & ~covered) != 0
        wrong = wrong_count | erasable_left
        if wrong.any():  # the first puzzle (in sorted order) that fails, as a loop over them would find
            k = int(np.argmax(wrong))
            if wrong_count[k]:
                return f"puzzle {chunk[k]!r} has {int(counts[k])} solutions"
            return f"puzzle {chunk[k]!r} still has an erasable given"
        for p, g in zip(chunk, np.argmax(exact, axis=1).tolist()):
            grid_num[g] += numerators[p]
    if any(n * len(grids) != target.denominator for n in grid_num):
        return f"the solution grid is not uniform over the {len(grids)} grids"
    return None


def check_G2(level: Level) -> Verdict:
    """4x4 Sudoku: the AR model by counting and the committed generator both give the target."""
    main_cells, small_cells = _G2_SCOPES[level]
    evidence: list[str] = []
    grids = solution_grids()
    if len(grids) != 288:
        return verdict(Outcome.REFUTED, "G2", "grid count", evidence, counterexample=f"{len(grids)} solution grids, reference 288")
    evidence.append("288 solution grids (reference 288)")
    task = sudoku(main_cells)
    target = task.target()
    err = sudoku_target_problem(task)
    if err is not None:
        return verdict(Outcome.REFUTED, "G2", "target", evidence, counterexample=err)
    evidence.append(
        f"target over {len(target)} puzzles (erasable cells {len(main_cells)}): each has a unique solution, "
        "no erasable given left, and the solution grid is uniform"
    )
    ar = induced(task.phi, task.prompt, max_len=task.max_len)
    bad = _first_difference(ar, target, "AR by counting")
    if bad is not None:
        return verdict(Outcome.REFUTED, "G2", "AR", evidence, counterexample=str(bad))
    evidence.append(f"AR next-cell law by counting: induced law = target over all {len(target)} puzzles")
    # cross-check the symmetry shortcut against the plain dynamic program (every grid when deep)
    if len(main_cells) == CELLS:
        step = 97 if level is not Level.DEEP else 1
        for g in grids[::step]:
            if erasure_law(g, use_symmetry=False) != erasure_law(g):
                return verdict(Outcome.REFUTED, "G2", "symmetry", evidence, counterexample=f"symmetric DP differs for grid {g}")
        evidence.append(f"symmetry-reduced erasure law = direct DP on {len(grids[::step])} grids")
    small = sudoku(small_cells)
    small_target = small.target()
    literal = enumerate_runs(lambda c: small.algo_random_order(small.prompt, c), 40).dist()
    chain = enumerate_runs(lambda c: small.algo(small.prompt, c), 40).dist()
    hidden = with_hidden_tokens(small.algo)
    public = induced_public(hidden, small.prompt, max_len=small.max_len + len(small_cells) + 1)
    for what, law in (("random-order generator", literal), ("erase-while-erasable generator", chain), ("hidden tokens", public)):
        bad = _first_difference(law, small_target, what)
        if bad is not None:
            return verdict(Outcome.REFUTED, "G2", what, evidence, counterexample=str(bad))
    evidence.append(
        f"with erasures limited to cells {list(small_cells)} ({len(small_target)} puzzles): the literal random-order "
        "generator, the erase-while-erasable generator and with_hidden_tokens(generator) all equal the target exactly"
    )
    per_grid = sorted({len(erasure_law(g, task.erasable)) for g in grids})
    data: dict[str, object] = {"g2_sizes": [{"erasable": len(main_cells), "puzzles": len(target), "final_masks_per_grid": str(per_grid)}]}
    scope = f"all 288 grids; erasable cells {len(main_cells)} (AR, target); enumerated generators on cells {list(small_cells)}"
    method = "exact DP over given-cell masks (uniqueness by agreement masks), spec.induced, enumerate_runs, induced_public"
    statements = (
        Statement(f"generating a solution first, then erasing, gives the target: over erasable cells {list(small_cells)} "
                  f"({len(small_target)} puzzles) the random-order and erase-while-erasable generators and "
                  "with_hidden_tokens(generator) induce exactly the target law", Relation.SPECIAL_CASE, Outcome.HOLDS),
        Statement(f"'autoregressive models will fail at these' does not hold of exact models: the AR model (next-cell law by "
                  f"counting completions) induces exactly the target over all {len(target)} puzzles of the 288 grids "
                  f"(erasable cells {len(main_cells)}); what could fail is computing those counts efficiently",
                  Relation.CORRECTED, Outcome.HOLDS),
        Statement("an efficient AR model must fail for large boards, since counting the completions of a partial puzzle is "
                  "hard: not checked (4×4 counts are tiny)", Relation.SAME, Outcome.UNESTABLISHED),
    )
    evidence.append("verdict UNESTABLISHED: the exact AR model matches the target everywhere checked; the post's 'will "
                    "fail' can only be computational, and rests on counting completions being hard (not checked)")
    return verdict(Outcome.UNESTABLISHED, scope, method, evidence, data=data, statements=statements)


def _g2_careless_puzzles(level: Level) -> Verdict:
    """Erase rows 1-2 of a uniform grid whatever happens: every such puzzle must have one solution."""
    law = enumerate_runs(lambda c: puzzle_text(solution_grids()[c.randbelow(288)], SUDOKU_FULL & ~0xFF), 1).dist()
    for puzzle in sorted(law.support):
        count = len(sudoku_solutions(puzzle))
        if count != 1:
            return refuted_by(f"puzzle {puzzle!r} (probability {law[puzzle]}) has {count} solutions",
                              "the 288 puzzles of the careless generator", "G2's exact solver (spec.tasks.sudoku)")
    return refuted_by(None, "the 288 puzzles of the careless generator", "G2's solver")


TWINS_G2 = (
    Twin("uniqueness check dropped: erasing rows 1-2 of a random grid gives a proper puzzle", _g2_careless_puzzles),
)
"""G2's perturbed twin: a generator that erases without checking that the solution stays unique."""


# ---- G3 polynomials -------------------------------------------------------------


def flint_roots(coeffs: tuple[int, ...]) -> tuple[int, ...]:
    """Integer roots by python-flint's factoring of the integer polynomial (with multiplicity, ascending)."""
    import flint

    poly = flint.fmpz_poly([*reversed(coeffs), 1])
    _, factors = poly.factor()
    roots: list[int] = []
    for f, e in factors:
        c = [int(x) for x in f.coeffs()]
        if len(c) != 2 or c[1] != 1:
            raise ValueError(f"flint_roots: factor {f} is not monic linear")
        roots.extend([-c[0]] * int(e))
    return tuple(sorted(roots))


def _short(x: int) -> str:
    """x in decimal, or as 'd.dd·10^k' (exact leading digits, for display) when it is long."""
    digits = str(x)
    return digits if len(digits) <= 12 else f"{digits[0]}.{digits[1:3]}e{len(digits) - 1}"


def g3_cost_row(n: int, R: int, *, run_ar: bool, seed: int = 3) -> dict[str, object]:
    """Costs for n roots in [-R, R]: AR tuples per token, committed work, root recovery (spec and flint)."""
    rng = random.Random(seed)
    roots = tuple(rng.randint(-R, R) for _ in range(n))
    coeffs = expand(roots)
    cost = Cost()
    t0 = time.perf_counter()
    got = integer_roots(coeffs, cost)
    newton = time.perf_counter() - t0
    t0 = time.perf_counter()
    got_flint = flint_roots(coeffs)
    flint_s = time.perf_counter() - t0
    if got != tuple(sorted(roots)) or got_flint != got:
        raise AssertionError(f"root recovery failed for roots {roots}")
    row: dict[str, object] = {
        "n": n,
        "R": _short(R),
        "text_len": len(coefficient_text(coeffs)),
        "ar_tuples_per_token": _short((2 * R + 1) ** n),
        "committed_mults": n * (n + 1) // 2,
        "newton_evals": cost.observed,
        "newton_ms": round(1000 * newton, 3),
        "flint_ms": round(1000 * flint_s, 3),
    }
    if run_ar:
        task = polynomial(n, R)
        task.cost.reset()
        t0 = time.perf_counter()
        sample(task.phi, task.prompt, rng, max_len=task.max_len)
        row["ar_ms_per_token"] = round(1000 * (time.perf_counter() - t0) / task.cost.tokens, 3)
    return row


_G3_SCOPES = {Level.QUICK: (3, 3), Level.STANDARD: (3, 5), Level.DEEP: (4, 5)}


def check_G3(level: Level) -> Verdict:
    """Random polynomial with integer roots: AR by counting and committed both give the target."""
    max_n, max_R = _G3_SCOPES[level]
    evidence: list[str] = []
    worlds = 0
    for n in range(1, max_n + 1):
        for R in range(1, max_R + 1):
            task: Polynomial = polynomial(n, R)
            target = task.target()
            bad = compare_world(target, task.phi, task.algo, task.prompt, task.max_len, n)
            if bad is not None:
                return verdict(Outcome.REFUTED, "G3", "exact", evidence, counterexample=f"n={n}, R={R}: {bad}")
            for text in target.support:
                roots = integer_roots(parse_coefficients(text, n))
                if coefficient_text(expand(roots)) != text or flint_roots(parse_coefficients(text, n)) != roots:
                    return verdict(Outcome.REFUTED, "G3", "roots", evidence, counterexample=f"n={n}, R={R}: roots of {text!r} not recovered")
            worlds += 1
    evidence.append(f"n <= {max_n}, R <= {max_R}: AR (counting root tuples) = committed (draw roots, expand) = target")
    evidence.append("every coefficient text in those supports gives back its roots (integer Newton and flint agree)")
    rows = [g3_cost_row(3, R, run_ar=R <= 5) for R in (1, 2, 5)]
    rows += [g3_cost_row(3, 10**k, run_ar=False) for k in (2, 4, 8, 16, 32)]
    rows += [g3_cost_row(n, 10**12, run_ar=False) for n in (5, 10, 20)]
    big = rows[-1]
    evidence.append(
        "NOT hard: recovering the roots from the coefficients is polynomial time; "
        f"e.g. n={big['n']}, R={big['R']}: {big['newton_evals']} exact Newton evaluations ({big['newton_ms']} ms), flint {big['flint_ms']} ms"
    )
    evidence.append(
        "the costly part for an AR model is the prefix marginal of the coefficient text (how many root tuples "
        "give coefficients starting with given digits); by enumeration that is (2R+1)^n tuples per token, but for fixed n "
        "a dynamic program over partial sums is polynomial in R: no hardness is shown, and the post's claim that this "
        "task needs backtracking is not established here (it is plausible only in the bit length of R)"
    )
    scope = f"{worlds} worlds: n = 1..{max_n} roots, R = 1..{max_R}; cost rows n = 3, R up to 10^32, and n up to 20"
    method = "exact induced law and enumerate_runs vs target; root recovery round trip on every support text"
    statements = (
        Statement(f"for n = 1..{max_n} integer roots in [−R, R], R = 1..{max_R}: the AR model (counting root tuples per "
                  "coefficient prefix) and the committed generator (draw roots, expand) induce exactly the target law",
                  Relation.SPECIAL_CASE, Outcome.HOLDS),
        Statement(f"the reverse direction is easy: the roots are recovered from the coefficients in polynomial time "
                  f"(every support text above; n = {big['n']}, R = {big['R']}: {big['newton_evals']} exact Newton "
                  "evaluations)", Relation.EVIDENCE, Outcome.HOLDS),
        Statement("the task is 'better generated by backtracking from a solution' (an AR model's prefix marginals are "
                  "costly): not established; by enumeration (2R+1)^n root tuples per token, but for fixed n a dynamic "
                  "program over partial sums is polynomial in R", Relation.SAME, Outcome.UNESTABLISHED),
    )
    return verdict(Outcome.UNESTABLISHED, scope, method, evidence, data={"g3_cost": rows}, statements=statements)


def _g3_sign_slip(level: Level) -> Verdict:
    task = polynomial(2, 2)

    def sign_slip(prompt: str, coins: Coins) -> str:
        a, b = coins.randbelow(5) - 2, coins.randbelow(5) - 2
        c1, c0 = expand((a, b))
        return coefficient_text((c1, abs(c0)))

    bad = compare_world(task.target(), task.phi, sign_slip, task.prompt, task.max_len, 2)
    return refuted_by(str(bad) if bad is not None else None, "n = 2 roots in -2..2",
                      "G3's compare_world (exact induced and output laws vs the target)")


TWINS_G3 = (
    Twin("a sign slip in the constant term still gives the target law", _g3_sign_slip),
)
"""G3's perturbed twin: a committed generator with a sign slip."""


# ---- G4 mystery -----------------------------------------------------------------


def g4_cost_row(m: int, clues: int = 8, seed: int = 2) -> dict[str, object]:
    """Cost of telling one story with m suspects: AR suspects examined per token vs the committed teller."""
    game = mystery(m, clues)
    game.cost.reset()
    t0 = time.perf_counter()
    text = sample(game.phi, game.prompt, random.Random(seed), max_len=game.max_len)
    ar_seconds = time.perf_counter() - t0
    assert game.is_consistent(text)
    tokens, examined, observed = game.cost.tokens, game.cost.examined, game.cost.observed
    return {
        "m": m,
        "clues": clues,
        "tokens": tokens,
        "ar_suspects_examined": examined,
        "ar_suspects_per_token": round(examined / tokens, 1),
        "ar_hashes_per_token": round(observed / tokens, 1),
        "ar_ms_per_token": round(1000 * ar_seconds / tokens, 3),
        "committed_suspects": 1,
        "committed_hashes": clues,
    }


_G4_SCOPES = {Level.QUICK: (12, 10), Level.STANDARD: (40, 14), Level.DEEP: (100, 16)}


def check_G4(level: Level) -> Verdict:
    """Mystery: the hidden-token (culprit first) and autoregressive tellers give the same story law."""
    max_m, cost_k = _G4_SCOPES[level]
    evidence: list[str] = []
    for m in range(1, max_m + 1):
        game = mystery(m, 3, symbols=3)
        target = game.target()
        bad = compare_world(target, game.phi, game.algo, game.prompt, game.max_len, 1)
        if bad is not None:
            return verdict(Outcome.REFUTED, "G4", "exact", evidence, counterexample=f"m={m}: {bad}")
        public = induced_public(with_hidden_tokens(game.algo), game.prompt, max_len=game.max_len + 1)
        bad = _first_difference(public, target, "hidden-token teller")
        if bad is not None:
            return verdict(Outcome.REFUTED, "G4", "exact", evidence, counterexample=f"m={m}: {bad}")
    evidence.append(f"m = 1..{max_m} suspects, 3 clues of 3 kinds: AR teller = committed = hidden-token teller = target")
    rows = [g4_cost_row(2**k) for k in range(1, cost_k + 1)]
    last = rows[-1]
    evidence.append(
        f"clues given the culprit: {last['committed_hashes']} hashes; culprit given the clues (AR teller): "
        f"{last['ar_suspects_per_token']} suspects examined per token at m = {last['m']}, growing linearly in m"
    )
    scope = f"m = 1..{max_m} exact; cost table m = 2..2^{cost_k}, 8 clues"
    method = "exact induced law, enumerate_runs and induced_public vs target"
    linear = all(_int(r["ar_suspects_examined"]) == _int(r["m"]) * _int(r["tokens"]) for r in rows)
    statements = (
        Statement(f"for m = 1..{max_m} suspects, 3 clues of 3 kinds: the AR teller (culprit inferred from the clues so "
                  "far), the committed teller (culprit first) and the hidden-token teller induce exactly the target "
                  "story law", Relation.SPECIAL_CASE, Outcome.HOLDS),
        Statement(f"cost, m = 2..2^{cost_k}, 8 clues: the AR teller examines "
                  + ("exactly m suspects per token (linear in m)" if linear else "a number of suspects not equal to m at some token")
                  + f"; the committed teller hashes {last['committed_hashes']} clues", Relation.EVIDENCE,
                  Outcome.HOLDS if linear else Outcome.UNKNOWN),
        Statement("'it's hard to figure out the culprit from the clues': not shown; in this toy inferring the culprit "
                  "costs time linear in the number of suspects", Relation.SAME, Outcome.UNESTABLISHED),
    )
    return verdict(Outcome.UNESTABLISHED, scope, method, evidence, data={"g4_cost": rows}, statements=statements)


def _g4_unconditioned(level: Level) -> Verdict:
    game = mystery(6, 2, symbols=2)
    return answerer_verdict(game, game.unconditioned_phi)


TWINS_G4 = (
    Twin("a teller that ignores the clues tells the mystery", _g4_unconditioned),
)
"""G4's perturbed twin: a teller whose culprit is not conditioned on the clues told."""
