"""Tests that kill surviving mutants of spec/tasks (sudoku, twenty questions, polynomial, det_prime,
semiprime) and of the rejection-loop enumeration in spec.coins.

Each test compares against a brute force written here (over the 288 grids, over the universe,
over the root tuples), pins an exact counter or an exact error message, or checks a boundary.
The lru caches of the modules under test are cleared before every test, so that every test
really runs the functions it checks (and not a result cached by an earlier test).
"""

from __future__ import annotations

import functools
import hashlib
import importlib
import random
import re
from collections.abc import Callable, Iterator
from fractions import Fraction
from typing import TypeVar

import pytest
from tests.conftest import literal_until

from spec import Dist, enumerate_runs, induced
from spec.coins import LiteralCoins
from spec.errors import InvalidArgument, InvalidText, ZeroMass
from spec.signatures import Coins
from spec.tasks.det_prime import DetPrime, density_integral, det_prime, dyadic_law, li
from spec.tasks.polynomial import (
    COEFFICIENTS,
    Polynomial,
    coefficient_text,
    expand,
    integer_roots,
    parse_coefficients,
    polynomial,
)
from spec.tasks.random_prime import MAX_PRIME_DIGITS, exact_prime_digit_law
from spec.tasks.semiprime import (
    SemiprimeTriple,
    _check_order,
    _product_text,
    check_prime,
    parse_continuation,
    parse_tuple,
    semiprime_triple,
    tuple_text,
)
from spec.tasks.sudoku import (
    BLANK,
    CELLS,
    FULL,
    PUZZLE_ALPHABET,
    UNITS,
    NotUnique,
    Sudoku,
    Unsolvable,
    _agreements,
    _canonical_law,
    _cell_perm_group,
    _dp,
    _flags,
    _law_by_key,
    _not_unique,
    _permute,
    _units,
    erasable_cells,
    erasure_law,
    givens_mask,
    is_minimal,
    is_unique,
    puzzle_text,
    solution_grids,
    solutions,
    solve,
    sudoku,
)
from spec.tasks.twenty_questions import (
    ANIMALS,
    MAX_HASH_BITS,
    REVEAL,
    Cost,
    NotAPredicate,
    Observation,
    Question,
    SecretGame,
    animal_questions,
    hash_bit,
    hash_bit_question,
    hash_universe,
    twenty_questions,
)

A = TypeVar("A")
_semiprime_module = importlib.import_module("spec.tasks.semiprime")


@pytest.fixture(autouse=True)
def _fresh_caches() -> Iterator[None]:
    """Every test recomputes what it checks (the caches hold results of the functions under test)."""
    for f in (_flags, _law_by_key, _canonical_law, _product_text):
        f.cache_clear()
    yield


class ScriptCoins(LiteralCoins):
    """Coins drawn from a seeded generator that record every (k, choice) and insist on a valid k."""

    def __init__(self, seed: int, script: list[int] | None = None) -> None:
        self.rng = random.Random(seed)
        self.script = list(script or [])
        self.log: list[tuple[int, int]] = []

    def randbelow(self, k: int) -> int:
        assert isinstance(k, int) and not isinstance(k, bool) and k >= 1, k
        assert len(self.log) < 10_000, "runaway: far more choices than any run here needs"
        v = self.script.pop(0) if self.script else self.rng.randrange(k)
        assert 0 <= v < k
        self.log.append((k, v))
        return v


# ==== sudoku: brute-force references =================================================

GRIDS = solution_grids()
DIGITS = "1234"


def _popcount(m: int) -> int:
    return bin(m).count("1")


def _agree(g: str, h: str) -> int:
    return sum(1 << i for i in range(CELLS) if g[i] == h[i])


@functools.cache
def _digit_bits(g: str) -> tuple[int, ...]:
    return tuple(sum(1 << i for i in range(CELLS) if g[i] == v) for v in DIGITS)


@functools.cache
def _maximal_agreements(g: str) -> list[int]:
    mine = _digit_bits(g)
    masks = {sum(a & b for a, b in zip(mine, _digit_bits(h))) for h in GRIDS if h != g}
    kept: list[int] = []
    for a in sorted(masks, key=_popcount, reverse=True):  # supersets first
        if not any(a & b == a for b in kept):
            kept.append(a)
    return kept


def _brute_unique(agrees: list[int], mask: int) -> bool:
    return all(mask & ~a for a in agrees)


def _brute_solutions(puzzle: str) -> list[str]:
    return [h for h in GRIDS if all(c == BLANK or c == h[i] for i, c in enumerate(puzzle))]


def _brute_law(g: str, erasable: int) -> dict[int, Fraction]:
    """Erase a uniform erasable cell while one is left: forward propagation, level by level."""
    agrees = _maximal_agreements(g)
    level: dict[int, Fraction] = {FULL: Fraction(1)}
    final: dict[int, Fraction] = {}
    while level:
        below: dict[int, Fraction] = {}
        for m, p in level.items():
            nxt = [m & ~(1 << c) for c in range(CELLS) if m & erasable & (1 << c)]
            nxt = [n for n in nxt if _brute_unique(agrees, n)]
            if not nxt:
                final[m] = final.get(m, Fraction(0)) + p
            for n in nxt:
                below[n] = below.get(n, Fraction(0)) + p / len(nxt)
        level = below
    return final


def _is_valid_grid(g: str) -> bool:
    return len(g) == CELLS and all(sorted(g[i] for i in u) == list(DIGITS) for u in _expected_units())


def _expected_units() -> list[list[int]]:
    rows = [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9, 10, 11], [12, 13, 14, 15]]
    cols = [[0, 4, 8, 12], [1, 5, 9, 13], [2, 6, 10, 14], [3, 7, 11, 15]]
    boxes = [[0, 1, 4, 5], [2, 3, 6, 7], [8, 9, 12, 13], [10, 11, 14, 15]]
    return rows + cols + boxes


# ==== sudoku: the board ================================================================


def test_units_are_exactly_the_rows_columns_and_boxes() -> None:
    assert _units() == _expected_units()
    assert UNITS == _expected_units()


def test_the_288_solution_grids_are_valid_distinct_and_sorted() -> None:
    assert len(GRIDS) == 288 and len(set(GRIDS)) == 288
    assert list(GRIDS) == sorted(GRIDS)
    assert all(_is_valid_grid(g) for g in GRIDS)
    assert GRIDS[0] == "1234341221434321"
    assert set(PUZZLE_ALPHABET) == set("1234.")


def test_check_puzzle_errors_name_the_puzzle() -> None:
    with pytest.raises(InvalidText, match=r"^sudoku puzzle must be a str, got int$"):
        solutions(5)  # type: ignore[arg-type]
    bad = "5" + "." * 15
    msg = f"sudoku puzzle {bad!r}: symbol '5' at position 0 is not in the alphabet '.1234'"
    with pytest.raises(InvalidText, match="^" + re.escape(msg) + "$"):
        solutions(bad)
    for n in (0, 15, 17):
        p = "." * n
        with pytest.raises(InvalidText, match="^" + re.escape(f"sudoku puzzle {p!r} has {n} cells, not 16") + "$"):
            solutions(p)
        with pytest.raises(InvalidText, match="has .* cells, not 16"):
            givens_mask(p)
        with pytest.raises(InvalidText, match="has .* cells, not 16"):
            solve(p)
    with pytest.raises(InvalidText, match=r"^sudoku puzzle '\.\.x"):
        givens_mask("..x" + "." * 13)
    assert len(solutions("." * 16)) == 288


def _random_puzzles(seed: int, n: int) -> list[str]:
    rng = random.Random(seed)
    out = []
    for j in range(n):
        g = rng.choice(GRIDS)
        mask = rng.getrandbits(CELLS) & rng.getrandbits(CELLS) if j % 2 else rng.getrandbits(CELLS)
        p = list(puzzle_text(g, mask))
        if j % 3 == 0:  # a wrong given somewhere: usually unsolvable
            p[rng.randrange(CELLS)] = rng.choice(DIGITS)
        out.append("".join(p))
    for v in DIGITS:  # a single digit, alone or twice in a row
        out.append(v + "." * 15)
        out.append("." * 5 + v + "." * 10)
        out.append(v + v + "." * 14)
        out.append("." * 12 + v + "." * 2 + v)
    return out


def test_solutions_and_solve_agree_with_brute_force() -> None:
    for p in _random_puzzles(1, 160):
        want = _brute_solutions(p)
        assert solutions(p) == want, p
        if not want:
            with pytest.raises(Unsolvable, match="^" + re.escape(f"sudoku puzzle {p!r} has no solution") + "$"):
                solve(p)
        elif len(want) == 1:
            assert solve(p) == want[0]
        else:
            msg = f"sudoku puzzle {p!r} has {len(want)} solutions, e.g. {want[0]} and {want[1]}"
            with pytest.raises(NotUnique, match="^" + re.escape(msg) + "$"):
                solve(p)


def test_solve_on_exactly_two_solutions_and_on_the_blank_puzzle() -> None:
    # two grids that differ on exactly 4 cells: their common givens have exactly these 2 solutions
    g = GRIDS[0]
    h = next(h for h in GRIDS if _popcount(FULL & ~_agree(g, h)) == 4)
    p = puzzle_text(g, _agree(g, h))
    assert sorted(_brute_solutions(p)) == sorted([g, h])
    first, second = sorted([g, h])
    msg = f"sudoku puzzle {p!r} has 2 solutions, e.g. {first} and {second}"
    with pytest.raises(NotUnique, match="^" + re.escape(msg) + "$"):
        solve(p)
    blank = "." * 16
    msg = f"sudoku puzzle {blank!r} has 288 solutions, e.g. {GRIDS[0]} and {GRIDS[1]}"
    with pytest.raises(NotUnique, match="^" + re.escape(msg) + "$"):
        solve(blank)
    for g in GRIDS[::37]:
        assert solve(g) == g
    assert issubclass(Unsolvable, ValueError) and issubclass(NotUnique, ValueError)


def test_puzzle_text_and_givens_mask_are_inverse() -> None:
    rng = random.Random(2)
    g = GRIDS[123]
    assert puzzle_text(g, FULL) == g
    assert puzzle_text(g, 0) == "." * 16
    assert puzzle_text(g, 1) == g[0] + "." * 15
    assert puzzle_text(g, 1 << 15) == "." * 15 + g[15]
    assert puzzle_text(g, 0b110) == "." + g[1:3] + "." * 13
    for _ in range(40):
        mask = rng.getrandbits(CELLS)
        p = puzzle_text(g, mask)
        assert p == "".join(g[i] if mask >> i & 1 else "." for i in range(CELLS))
        assert givens_mask(p) == mask
    assert givens_mask("." * 16) == 0
    assert givens_mask(g) == FULL
    assert givens_mask("." * 15 + "3") == 1 << 15
    assert givens_mask("2" + "." * 15) == 1


def test_unknown_grid_is_an_invalid_argument_naming_it() -> None:
    msg = re.escape("sudoku: '1111111111111111' is not a solution grid")
    for call in (
        lambda: is_unique("1" * 16, FULL),
        lambda: erasable_cells("1" * 16, FULL),
        lambda: erasure_law("1" * 16),
        lambda: erasure_law("1" * 16, 0xFF, use_symmetry=False),
    ):
        with pytest.raises(InvalidArgument, match="^" + msg + "$") as info:
            call()
        assert info.value.__cause__ is None and info.value.__suppress_context__


def test_is_unique_and_erasable_cells_agree_with_brute_force() -> None:
    rng = random.Random(3)
    for gi in (0, 1, 150, 287):
        g = GRIDS[gi]
        agrees = _maximal_agreements(g)
        masks = [FULL, 0, FULL & ~1, FULL & ~(1 << 15)] + [rng.getrandbits(CELLS) | rng.getrandbits(CELLS) for _ in range(60)]
        for mask in masks:
            unique = _brute_unique(agrees, mask)
            assert is_unique(g, mask) is unique, (g, mask)
            assert is_unique(g, mask | 1 << 16 | 1 << 19) is unique  # bits beyond the board are ignored
            want = [i for i in range(CELLS) if mask >> i & 1 and _brute_unique(agrees, mask & ~(1 << i))]
            assert erasable_cells(g, mask) == want
            assert erasable_cells(g, mask, FULL) == want
            e = rng.getrandbits(CELLS)
            assert erasable_cells(g, mask, e) == [i for i in want if e >> i & 1]
            assert erasable_cells(g, mask, 0) == []


def test_not_unique_flags_exactly_the_subsets_of_the_agreements() -> None:
    for agreements in [(0b1011, 0b0110_0000_0000_0000), (0b1,), (0b1110,), (FULL & ~1, 0x0F0F)]:
        flags = _not_unique(agreements)
        assert isinstance(flags, bytearray) and len(flags) == FULL + 1
        want = bytearray(1 if any(m & a == m for a in agreements) else 0 for m in range(FULL + 1))
        assert flags == want, agreements
    assert _not_unique(()) == bytearray(FULL + 1)


def test_is_minimal_against_brute_force() -> None:
    g = GRIDS[9]
    assert is_minimal(g, 0) is True  # nothing may go
    assert is_minimal(g, 1) is False  # cell 0 may go from the full grid
    assert is_minimal(g, 1 << 15) is False
    assert is_minimal(g) is False
    law = _brute_law(g, 0x0FF0)
    for m in law:
        p = puzzle_text(g, m)
        assert is_minimal(p, 0x0FF0) is True
        assert is_minimal(p) is (erasable_cells(g, m) == [])
    p = puzzle_text(g, FULL & ~1)
    assert is_minimal(p, 0b10) is False and is_minimal(p, 0b1) is True
    with pytest.raises(NotUnique):
        is_minimal("." * 16)
    with pytest.raises(Unsolvable):
        is_minimal("11" + "." * 14)


# ==== sudoku: symmetries and the exact law =============================================


def test_cell_permutation_group_has_128_board_symmetries() -> None:
    group = _cell_perm_group()
    assert len(group) == 128 and len(set(group)) == 128
    assert group == sorted(group)
    ident = tuple(range(CELLS))
    transpose = tuple(4 * (i % 4) + i // 4 for i in range(CELLS))
    assert ident in group and transpose in group
    units = {frozenset(u) for u in _expected_units()}
    grids = set(GRIDS)
    for perm in group:
        assert sorted(perm) == list(range(CELLS))
        assert {frozenset(perm[i] for i in u) for u in units} == units
        for g in GRIDS[::29]:
            image = [""] * CELLS
            for i in range(CELLS):
                image[perm[i]] = g[i]
            assert "".join(image) in grids
    # closed under composition
    s = set(group)
    assert all(tuple(q[p[i]] for i in range(CELLS)) in s for p in group[::11] for q in group[::13])
    # the swaps of the two top rows and of the last two columns are in it, and row/column band swaps
    assert (4, 5, 6, 7, 0, 1, 2, 3, 8, 9, 10, 11, 12, 13, 14, 15) in s
    assert (0, 1, 3, 2, 4, 5, 7, 6, 8, 9, 11, 10, 12, 13, 15, 14) in s
    assert (8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3, 4, 5, 6, 7) in s
    assert (2, 3, 0, 1, 6, 7, 4, 5, 10, 11, 8, 9, 14, 15, 12, 13) in s


def test_permute_moves_each_given_cell() -> None:
    rng = random.Random(4)
    group = _cell_perm_group()
    assert _permute(0, group[5]) == 0
    assert _permute(FULL, group[7]) == FULL
    for _ in range(50):
        perm = tuple(rng.sample(range(CELLS), CELLS))
        mask = rng.getrandbits(CELLS)
        assert _permute(mask, perm) == sum(1 << perm[i] for i in range(CELLS) if mask >> i & 1)
    assert _permute(1, tuple(range(15, -1, -1))) == 1 << 15
    assert _permute(1 << 15, tuple(range(15, -1, -1))) == 1


@pytest.mark.parametrize(
    ("gi", "erasable"),
    [(0, 0x0FFF), (200, 0xFFF0), (33, 0x5AF5), (287, 0b1011_0110_1101_0011), (77, 0x00FF), (1, 1 << 7), (2, 0)],
)
def test_erasure_law_equals_the_brute_force_process(gi: int, erasable: int) -> None:
    g = GRIDS[gi]
    want = _brute_law(g, erasable)
    assert sum(want.values()) == 1
    law = erasure_law(g, erasable)
    assert law == want
    assert list(law) == sorted(law)  # the cached (symmetric) path returns the masks in order
    assert erasure_law(g, erasable, use_symmetry=False) == want
    assert _dp(_agreements(gi), erasable) == want


def test_erasure_law_with_every_cell_erasable_symmetry_equals_plain_dp() -> None:
    for gi in (0, 1):  # one grid of each of the two orbits
        g = GRIDS[gi]
        agrees = _maximal_agreements(g)
        plain = erasure_law(g, use_symmetry=False)
        law = erasure_law(g)
        assert law == plain
        assert list(law) == sorted(law)  # the symmetric path (the default) lists the masks in order
        assert sum(law.values()) == 1
        assert all(p > 0 for p in law.values())
        for m in law:  # every final puzzle is unique and no cell can go
            assert _brute_unique(agrees, m)
            assert not any(_brute_unique(agrees, m & ~(1 << c)) for c in range(CELLS) if m >> c & 1)
        assert min(map(_popcount, law)) >= 4


# ==== sudoku: the task ===================================================================


def test_sudoku_factory_and_erasable_masks() -> None:
    assert sudoku() == Sudoku(FULL) and sudoku().erasable == FULL
    assert sudoku(None).erasable == FULL
    assert sudoku([]).erasable == 0
    assert sudoku([1]).erasable == 2
    assert sudoku([0]).erasable == 1
    assert sudoku([15]).erasable == 1 << 15
    assert sudoku([1, 2]).erasable == 6
    assert sudoku([3, 3, 5]).erasable == 8 + 32
    assert sudoku(range(16)).erasable == FULL
    assert sudoku(iter([4, 0])).erasable == 17
    assert Sudoku().erasable == FULL


@pytest.mark.parametrize("cell", [-1, 16, 17, True, False, "1", 1.0, None])
def test_sudoku_rejects_a_bad_cell_naming_it(cell: object) -> None:
    msg = f"sudoku: erasable cell {cell!r} is not an int in 0..15"
    with pytest.raises(InvalidArgument, match="^" + re.escape(msg) + "$"):
        sudoku([0, cell])  # type: ignore[list-item]


def test_sudoku_rejects_a_non_iterable_naming_its_type() -> None:
    with pytest.raises(InvalidArgument, match=r"^sudoku: erasable must be an iterable of cells 0\.\.15, got int$"):
        sudoku(7)  # type: ignore[arg-type]
    with pytest.raises(InvalidArgument, match=r"^sudoku: erasable must be an iterable of cells 0\.\.15, got float$"):
        sudoku(1.5)  # type: ignore[arg-type]


@pytest.mark.parametrize("mask", [-1, FULL + 1, True, False, 1.0, "3", None])
def test_sudoku_mask_must_be_16_bits(mask: object) -> None:
    msg = f"sudoku: erasable must be a 16-bit cell mask, got {mask!r}"
    with pytest.raises(InvalidArgument, match="^" + re.escape(msg) + "$"):
        Sudoku(mask)  # type: ignore[arg-type]


def test_sudoku_mask_bounds_are_inclusive() -> None:
    assert Sudoku(0).erasable == 0 and Sudoku(FULL).erasable == FULL and Sudoku(1).erasable == 1
    task = Sudoku(0)
    assert task.target() == Dist.uniform(GRIDS)
    assert task.max_len == 16 and task.alphabet == PUZZLE_ALPHABET
    assert task.prompt == "Generate a random 4x4 Sudoku puzzle with a unique solution."


def _reference_algo(erasable: int, log: list[tuple[int, int]]) -> tuple[str, list[int]]:
    """Replay algo's choices: (the puzzle, the widths it must have asked for)."""
    choices = [v for _, v in log]
    i = choices.pop(0)
    g = GRIDS[i]
    agrees = _maximal_agreements(g)
    widths = [288]
    mask = FULL
    while True:
        cells = [c for c in range(CELLS) if mask & erasable & (1 << c) and _brute_unique(agrees, mask & ~(1 << c))]
        if not cells:
            break
        widths.append(len(cells))
        mask &= ~(1 << cells[choices.pop(0)])
    assert not choices
    return puzzle_text(g, mask), widths


def _reference_random_order(erasable: int, log: list[tuple[int, int]]) -> tuple[str, list[int]]:
    choices = [v for _, v in log]
    i = choices.pop(0)
    g = GRIDS[i]
    agrees = _maximal_agreements(g)
    todo = [c for c in range(CELLS) if erasable >> c & 1]
    widths = [288]
    mask = FULL
    while todo:
        widths.append(len(todo))
        c = todo.pop(choices.pop(0))
        if _brute_unique(agrees, mask & ~(1 << c)):
            mask &= ~(1 << c)
    assert not choices
    return puzzle_text(g, mask), widths


@pytest.mark.parametrize("erasable", [FULL, 0x0FF0, 0b1010_0110_0101_1001, 1 << 15, 0])
def test_algo_and_random_order_follow_their_coins(erasable: int) -> None:
    task = Sudoku(erasable)
    for seed in range(6):
        coins = ScriptCoins(seed, [seed * 53 % 288])
        out = task.algo(task.prompt, coins)
        want, widths = _reference_algo(erasable, coins.log)
        assert out == want
        assert [k for k, _ in coins.log] == widths
        assert is_unique(GRIDS[coins.log[0][1]], givens_mask(out))
        assert erasable_cells(GRIDS[coins.log[0][1]], givens_mask(out), erasable) == []

        coins = ScriptCoins(100 + seed, [(seed * 71 + 5) % 288])
        out = task.algo_random_order(task.prompt, coins)
        want, widths = _reference_random_order(erasable, coins.log)
        assert out == want
        assert [k for k, _ in coins.log] == widths
        assert givens_mask(out) | erasable == FULL


def test_algo_on_the_last_grid_and_first_cells() -> None:
    task = Sudoku(0b111)
    coins = ScriptCoins(0, [287, 0, 0, 0])
    assert task.algo(task.prompt, coins) == puzzle_text(GRIDS[287], FULL & ~0b111)
    assert coins.log == [(288, 287), (3, 0), (2, 0), (1, 0)]
    coins = ScriptCoins(0, [287, 2, 1, 0])
    assert task.algo_random_order(task.prompt, coins) == puzzle_text(GRIDS[287], FULL & ~0b111)
    assert coins.log == [(288, 287), (3, 2), (2, 1), (1, 0)]


def test_two_erasable_cells_every_generator_and_phi_give_the_target() -> None:
    task = sudoku([5, 10])
    target = task.target()
    assert target.map(solve) == Dist.uniform(GRIDS)
    expected = {puzzle_text(g, m): p / 288 for g in GRIDS for m, p in _brute_law(g, task.erasable).items()}
    assert target == Dist(expected)
    assert enumerate_runs(lambda c: task.algo(task.prompt, c), 4).dist() == target
    assert enumerate_runs(lambda c: task.algo_random_order(task.prompt, c), 4).dist() == target
    assert induced(task.phi, task.prompt, max_len=16) == target
    assert task.phi(task.prompt, "") == target.map(lambda t: t[0])


# ==== twenty questions ===================================================================


ANIMAL_ANSWERS = {  # four legs, flies, insect, farm, has an 'a'
    "cat": "ynnyy",
    "dog": "ynnyn",
    "cow": "ynnyn",
    "owl": "nynnn",
    "bee": "nyyyn",
    "ant": "nnyny",
    "eel": "nnnnn",
    "bat": "nynny",
}


def test_animal_questions_texts_and_answers() -> None:
    qs = animal_questions()
    assert [q.text for q in qs] == [
        "does it have four legs?",
        "can it fly?",
        "is it an insect?",
        "is it found on a farm?",
        "does its name contain an 'a'?",
    ]
    assert all(q.outcomes == "yn" for q in qs)
    for a in ANIMALS:
        assert "".join(q(a) for q in qs) == ANIMAL_ANSWERS[a]
    game = twenty_questions(ANIMALS, qs)
    assert all(game.transcript(a) == ANIMAL_ANSWERS[a] + "=" + a for a in ANIMALS)
    assert "4. is it found on a farm?" in game.prompt


def _expected_consistent_observed(answers: str, universe: tuple[str, ...]) -> int:
    total = 0
    for a in universe:
        truth = ANIMAL_ANSWERS[a]
        for j, x in enumerate(answers):
            total += 1
            if truth[j] != x:
                break
    return total


def test_twenty_questions_phi_costs_are_exact() -> None:
    game = twenty_questions(ANIMALS, animal_questions())
    cost = game.cost
    cost.examined, cost.observed, cost.tokens = 5, 6, 7
    cost.reset()
    assert (cost.examined, cost.observed, cost.tokens) == (0, 0, 0)
    text = game.transcript("cat")
    calls = 0
    for j in range(len(text) + 1):
        prefix = text[:j]
        before = (cost.examined, cost.observed, cost.tokens)
        game.phi(game.prompt, prefix)
        calls += 1
        answers = prefix[:5]
        pool = [a for a in ANIMALS if ANIMAL_ANSWERS[a].startswith(answers)]
        extra = len(pool) if j < 5 else 0
        assert cost.tokens == before[2] + 1
        assert cost.examined == before[0] + len(ANIMALS)
        assert cost.observed == before[1] + _expected_consistent_observed(answers, ANIMALS) + extra, prefix
    assert cost.tokens == calls == len(text) + 1
    assert game.consistent("yn") == ["cat", "dog", "cow"]
    assert game.consistent("") == list(ANIMALS)
    assert game.consistent("nyy") == ["bee"]
    assert game.consistent("yy") == []


def test_twenty_questions_algo_costs_and_choice() -> None:
    game = twenty_questions(ANIMALS, animal_questions())
    for i, a in enumerate(ANIMALS):
        coins = ScriptCoins(0, [i])
        assert game.algo(game.prompt, coins) == ANIMAL_ANSWERS[a] + "=" + a
        assert coins.log == [(8, i)]
    assert (game.cost.examined, game.cost.observed, game.cost.tokens) == (8, 40, 0)


def test_twenty_questions_phi_laws_and_errors() -> None:
    game = twenty_questions(ANIMALS, animal_questions())
    p = game.prompt
    assert game.phi(p, "") == Dist({"y": Fraction(3, 8), "n": Fraction(5, 8)})
    assert game.phi(p, "y") == Dist.point("n")
    assert game.phi(p, "n") == Dist({"y": Fraction(3, 5), "n": Fraction(2, 5)})
    assert game.phi(p, "ynny") == Dist({"y": Fraction(1, 3), "n": Fraction(2, 3)})
    assert game.phi(p, "ynnyn") == Dist.point(REVEAL)
    assert game.phi(p, "ynnyn=") == Dist({"d": Fraction(1, 2), "c": Fraction(1, 2)})
    assert game.phi(p, "ynnyn=c") == Dist.point("o")
    assert game.phi(p, "ynnyn=cow") == Dist.point("[STOP]")
    with pytest.raises(ZeroMass, match=r"^Twenty Questions: no object is consistent with the answers 'yy'$"):
        game.phi(p, "yy")
    with pytest.raises(ZeroMass, match=r"^Twenty Questions: no object is consistent with the answers 'yyyyy'$"):
        game.phi(p, "yyyyy")
    with pytest.raises(InvalidText, match=r"^Twenty Questions: prefix 'nnnnny' lacks '=' after the 5 answers$"):
        game.phi(p, "nnnnny")
    with pytest.raises(
        ZeroMass, match=r"^Twenty Questions: no consistent object's name starts with 'c' after 'nnnnn'$"
    ):
        game.phi(p, "nnnnn=c")
    with pytest.raises(InvalidText, match=r"^Twenty Questions prefix 'z': symbol 'z'"):
        game.phi(p, "z")
    assert game.unconditioned_phi(p, "y") == Dist({"y": Fraction(3, 8), "n": Fraction(5, 8)})
    assert game.unconditioned_phi(p, "ynnyn") == Dist.point(REVEAL)
    assert game.unconditioned_phi(p, "yyyyy=b") == Dist({"e": Fraction(1, 2), "a": Fraction(1, 2)})
    assert game.unconditioned_phi(p, "yyyyy=bat") == Dist.point("[STOP]")
    with pytest.raises(ZeroMass, match=r"^Twenty Questions: no object's name starts with 'y'$"):
        game.unconditioned_phi(p, "nnnnn=y")


def test_twenty_questions_exact_over_all_transcripts() -> None:
    game = twenty_questions(ANIMALS, animal_questions())
    assert induced(game.phi, game.prompt, max_len=game.max_len) == game.target()
    assert game.max_len == 5 + 1 + 3
    for a in ANIMALS:
        assert game.answers_of(game.transcript(a)) == (ANIMAL_ANSWERS[a], a)
        assert game.is_consistent(game.transcript(a))
    assert not game.is_consistent("yyyyy=cat")
    assert not game.is_consistent("nnnnn=ca")
    with pytest.raises(InvalidText, match=r"^Twenty Questions: 'ynnyy' is not 5 answers, '=', a name$"):
        game.answers_of("ynnyy")
    with pytest.raises(InvalidText, match=r"^Twenty Questions: 'ynnyyycat' is not 5 answers, '=', a name$"):
        game.answers_of("ynnyyycat")


def test_twenty_questions_reveal_counts_names_sharing_a_prefix() -> None:
    game = twenty_questions(["ab", "ac", "b", "abc"], [Question("starts with a?", lambda n: n.startswith("a"))])
    p = game.prompt
    assert game.phi(p, "") == Dist({"y": Fraction(3, 4), "n": Fraction(1, 4)})
    assert game.phi(p, "y=") == Dist.point("a")
    assert game.phi(p, "y=a") == Dist({"b": Fraction(2, 3), "c": Fraction(1, 3)})
    assert game.phi(p, "y=ab") == Dist({"[STOP]": Fraction(1, 2), "c": Fraction(1, 2)})
    assert game.unconditioned_phi(p, "y=") == Dist({"a": Fraction(3, 4), "b": Fraction(1, 4)})
    assert game.unconditioned_phi(p, "n=a") == Dist({"b": Fraction(2, 3), "c": Fraction(1, 3)})
    assert game.unconditioned_phi(p, "") == Dist({"y": Fraction(3, 4), "n": Fraction(1, 4)})
    assert induced(game.phi, p, max_len=game.max_len) == game.target()
    with pytest.raises(InvalidText, match=r"^Twenty Questions transcript 'y=z': symbol 'z' at position 2"):
        game.answers_of("y=z")
    with pytest.raises(InvalidText, match=r"^Twenty Questions prefix 'z': symbol 'z' at position 0"):
        game.unconditioned_phi(p, "z")


def test_observation_outside_its_outcomes_is_not_a_predicate() -> None:
    for out in ("c", "ab", "", 1, None):
        ob = Observation("q?", "ab", lambda name, out=out: out)  # type: ignore[misc]
        msg = f"observation 'q?' gave {out!r} on object 'cat', not one of 'ab'"
        with pytest.raises(NotAPredicate, match="^" + re.escape(msg) + "$"):
            ob("cat")
    assert Observation("q?", "ab", lambda name: "b")("cat") == "b"
    assert Observation("q?", "a", lambda name: "a")("x") == "a"
    bad = Question("odd?", lambda name: 1)  # type: ignore[arg-type, return-value]
    with pytest.raises(NotAPredicate, match=r"^question 'odd\?' is not a predicate: on object 'x' it returned 1 \(int\), not a bool$"):
        bad("x")


def test_observation_and_game_argument_errors() -> None:
    with pytest.raises(NotAPredicate, match=r"^observation 'q': read must be callable, got 3$"):
        Observation("q", "ab", 3)  # type: ignore[arg-type]
    for outcomes in ("", "aa", "a="):
        msg = f"observation 'q': outcomes must be distinct symbols other than '=', got {outcomes!r}"
        with pytest.raises(InvalidArgument, match="^" + re.escape(msg) + "$"):
            Observation("q", outcomes, lambda n: "a")
    with pytest.raises(NotAPredicate, match=r"^question 'q': the predicate must be callable, got 3$"):
        Question("q", 3)  # type: ignore[arg-type]
    with pytest.raises(InvalidArgument, match=r"^twenty_questions: the universe must be a sequence of names, not one str$"):
        twenty_questions("cat", [])
    with pytest.raises(InvalidArgument, match=r"^Twenty Questions: the universe must be a non-empty tuple of names, got \(\)$"):
        twenty_questions([], [])
    with pytest.raises(InvalidArgument, match=r"^Twenty Questions: the universe names an object twice$"):
        twenty_questions(["a", "a"], [])
    for name in ("", "a=b", 3):
        msg = f"Twenty Questions: object name {name!r} must be a non-empty str without '='"
        with pytest.raises(InvalidArgument, match="^" + re.escape(msg) + "$"):
            twenty_questions(["x", name], [])  # type: ignore[list-item]
    with pytest.raises(NotAPredicate, match=r"^Twenty Questions: 'q' is not a question \(an Observation\)$"):
        twenty_questions(["x"], ["q"])  # type: ignore[list-item]
    assert SecretGame(("x",), ()).title == "Twenty Questions"


def test_hash_questions_and_universe() -> None:
    d = hashlib.sha256(b"12").digest()
    bits = "".join(format(byte, "08b") for byte in d)
    assert [hash_bit("12", i) for i in range(256)] == [b == "1" for b in bits]
    q = hash_bit_question(255)
    assert q.text == "is bit 255 of SHA-256 of it 1?"
    assert q("12") == ("y" if bits[255] == "1" else "n")
    assert hash_bit_question(0)("12") == ("y" if bits[0] == "1" else "n")
    for i in (-1, 256, True, 1.0):
        with pytest.raises(InvalidArgument, match="^" + re.escape(f"hash_bit_question: i must be an int in 0..255, got {i!r}") + "$"):
            hash_bit_question(i)  # type: ignore[arg-type]
    assert hash_universe(0) == ("0",)
    assert hash_universe(3) == ("0", "1", "2", "3", "4", "5", "6", "7")
    assert len(hash_universe(MAX_HASH_BITS)) == 2**20
    for b in (-1, MAX_HASH_BITS + 1, True, 2.0):
        with pytest.raises(InvalidArgument, match="^" + re.escape(f"hash_universe: b must be an int in 0..20, got {b!r}") + "$"):
            hash_universe(b)  # type: ignore[arg-type]
    assert Cost() == Cost(0, 0, 0)


# ==== polynomial =========================================================================



def test_polynomial_phi_costs_and_zero_mass() -> None:
    task = polynomial(2, 1)
    # roots in {-1, 0, 1}: the 9 ordered tuples give 6 distinct texts
    texts = {coefficient_text(expand((a, b))) for a in (-1, 0, 1) for b in (-1, 0, 1)}
    assert len(texts) == 6
    task.phi(task.prompt, "")
    assert (task.cost.examined, task.cost.tokens) == (6, 1)
    task.phi(task.prompt, "0")
    task.phi(task.prompt, "-")
    assert (task.cost.examined, task.cost.tokens) == (18, 3)
    with pytest.raises(ZeroMass, match=r"^polynomial: no root tuple gives a text starting with '9'$"):
        task.phi(task.prompt, "9")
    assert (task.cost.examined, task.cost.tokens) == (24, 4)
    with pytest.raises(InvalidText, match=r"^polynomial prefix 'x': symbol 'x' at position 0"):
        task.phi(task.prompt, "x")
    assert task.phi(task.prompt, "") == Dist({"0": Fraction(3, 9), "-": Fraction(3, 9), "1": Fraction(2, 9), "2": Fraction(1, 9)})
    assert task.phi(task.prompt, "0,-1") == Dist.point("[STOP]")
    assert task.phi(task.prompt, "0,") == Dist({"-": Fraction(2, 3), "0": Fraction(1, 3)})
    assert induced(task.phi, task.prompt, max_len=task.max_len) == task.target()


def test_polynomial_algo_draws_each_root_in_range() -> None:
    task = polynomial(3, 2)
    coins = ScriptCoins(0, [0, 4, 2])
    assert task.algo(task.prompt, coins) == coefficient_text(expand((-2, 2, 0)))
    assert coins.log == [(5, 0), (5, 4), (5, 2)]
    assert enumerate_runs(lambda c: polynomial(2, 1).algo("", c), 2).dist() == polynomial(2, 1).target()


def test_integer_roots_counts_every_evaluation() -> None:
    # x: start at isqrt(e1² − 2·e2) + 1; x = 0 has one root: p(1) = 1, step to 0, p(0) = 0
    for coeffs, roots, evaluations in (
        ((0,), (0,), 2),
        ((-7, 0), (0, 7), 4),
        ((-7, 6), (1, 6), 4),
        ((-6, -7), (-1, 7), 4),
        ((-3, 2), (1, 2), 4),
    ):
        cost = Cost()
        assert integer_roots(coeffs, cost) == roots
        assert cost.observed == evaluations, coeffs
        assert (cost.examined, cost.tokens) == (0, 0)
        assert integer_roots(coeffs) == roots
    assert integer_roots(expand((-3, 5, 5, 0, -1))) == (-3, -1, 0, 5, 5)
    assert integer_roots(()) == ()


def test_integer_roots_rejects_non_integer_and_non_real_roots_naming_the_polynomial() -> None:
    for coeffs in ((-4, 5), (-4, 6), (-5, 4, 4), (-3, 1, 1), (0, -2), (-2, 2), (3, -2, -6)):
        msg = f"integer_roots: the polynomial with coefficients {coeffs} has a non-integer root"
        with pytest.raises(InvalidArgument, match="^" + re.escape(msg) + "$"):
            integer_roots(coeffs)
    for coeffs in ((0, 1), (1, 1), (0, 3)):
        msg = f"integer_roots: the polynomial with coefficients {coeffs} has a non-real root"
        with pytest.raises(InvalidArgument, match="^" + re.escape(msg) + "$"):
            integer_roots(coeffs)


def test_polynomial_arguments_and_parse_errors() -> None:
    assert Polynomial(1, 1).tuples == 3
    for n in (0, -1, True, 1.0):
        msg = f"polynomial: the number of roots n must be an int >= 1, got {n!r}"
        with pytest.raises(InvalidArgument, match="^" + re.escape(msg) + "$"):
            polynomial(n, 1)  # type: ignore[arg-type]
    for R in (0, -1, True, 1.0):
        msg = f"polynomial: the root range R must be an int >= 1, got {R!r}"
        with pytest.raises(InvalidArgument, match="^" + re.escape(msg) + "$"):
            polynomial(1, R)  # type: ignore[arg-type]
    assert polynomial(2, 3) == Polynomial(2, 3)
    assert parse_coefficients("-3,2", 2) == (-3, 2)
    assert parse_coefficients("0", 1) == (0,)
    with pytest.raises(InvalidText, match=r"^coefficient text 'a': symbol 'a' at position 0"):
        parse_coefficients("a", 1)
    for text, n in (("1,2", 1), ("1", 2), ("--1", 1), ("1-", 1), ("", 1), ("1,,2", 3), ("-", 1), ("1-2", 1)):
        msg = f"coefficient text {text!r} is not {n} decimal integers joined by ','"
        with pytest.raises(InvalidArgument, match="^" + re.escape(msg) + "$"):
            parse_coefficients(text, n)
    assert set(COEFFICIENTS) == set("0123456789-,")


# ==== det_prime ==========================================================================



def test_det_prime_bits_range_is_8_to_64_inclusive() -> None:
    assert det_prime(2, 1).bits == 32
    assert det_prime(2, 1, bits=8).bits == 8
    assert det_prime(2, 1, bits=64).bits == 64
    for bits in (7, 65, 0, True, 8.0):
        msg = f"det_prime: bits must be an int in 8..64, got {bits!r}"
        with pytest.raises(InvalidArgument, match="^" + re.escape(msg) + "$"):
            det_prime(2, 1, bits=bits)  # type: ignore[arg-type]


def test_det_prime_n_and_m_ranges() -> None:
    for n in (0, MAX_PRIME_DIGITS + 1, True):
        msg = f"det_prime n must be an int between 1 and {MAX_PRIME_DIGITS}, got {n!r}"
        with pytest.raises(InvalidArgument, match="^" + re.escape(msg) + "$"):
            det_prime(n, 0)
    assert det_prime(MAX_PRIME_DIGITS, 0).n == MAX_PRIME_DIGITS
    assert det_prime(1, 1).m == 1 and det_prime(3, 3).m == 3 and det_prime(3, 0).m == 0
    for m in (-1, 4, True, 1.0):
        msg = f"det_prime: m must be an int in 0..n=3, got {m!r}"
        with pytest.raises(InvalidArgument, match="^" + re.escape(msg) + "$"):
            det_prime(3, m)  # type: ignore[arg-type]
    with pytest.raises(InvalidArgument, match=r"^det_prime: n = 1 needs m = 1 \(the integral of 1/ln x diverges at 1\)$"):
        det_prime(1, 0)
    assert DetPrime(2, 0, 16) == det_prime(2, 0, bits=16)


def test_li_and_density_integral_against_reference_values() -> None:
    # li(x) to 20 digits (mpmath)
    for x, want in (
        (2.0, 1.0451637801174927848),
        (10.0, 6.1655995047872979375),
        (100.0, 30.126141584079629926),
        (1.5, 0.12506498631529635599),
        (1.01, -4.0229586739299349769),
        (1e6, 78627.549159462181920),
    ):
        assert li(x) == pytest.approx(want, rel=1e-13, abs=1e-13), x
    assert density_integral(100, 200) == pytest.approx(50.192171165963783810 - 30.126141584079629926, rel=1e-13)
    assert density_integral(2, 10) == pytest.approx(6.1655995047872979375 - 1.0451637801174927848, rel=1e-13)
    for x in (1.0, 0.5, -3.0):
        with pytest.raises(InvalidArgument, match="^" + re.escape(f"li: x must be > 1, got {x!r}") + "$"):
            li(x)


def test_dyadic_law_rounds_by_largest_remainders() -> None:
    assert dyadic_law({"a": 1.0, "b": 2.0}, 8) == Dist({"a": Fraction(85, 256), "b": Fraction(171, 256)})
    # three equal remainders of 1/3 and one unit short: the smallest name gets it
    assert dyadic_law({"c": 1.0, "b": 1.0, "a": 1.0}, 8) == Dist({"a": Fraction(86, 256), "b": Fraction(85, 256), "c": Fraction(85, 256)})
    assert dyadic_law({"a": 1.0, "b": 1.0, "c": 1.0}, 9) == Dist({"a": Fraction(171, 512), "b": Fraction(171, 512), "c": Fraction(170, 512)})
    assert dyadic_law({"a": 0.25, "b": 0.75}, 2) == Dist({"a": Fraction(1, 4), "b": Fraction(3, 4)})
    assert dyadic_law({"a": 3.0, "z": 0.0}, 4) == Dist.point("a")
    assert dyadic_law({"a": 1.0, "b": 1e-9}, 8) == Dist.point("a")
    assert dyadic_law({"a": 2.0, "b": 5.0, "c": 9.0}, 4) == Dist({"a": Fraction(2, 16), "b": Fraction(5, 16), "c": Fraction(9, 16)})
    # 16 · (1, 1.5, 2.5) / 5 = (3.2, 4.8, 8): floors 3, 4, 8 and one unit to b (remainder .8)
    assert dyadic_law({"a": 1.0, "b": 1.5, "c": 2.5}, 4) == Dist({"a": Fraction(3, 16), "b": Fraction(5, 16), "c": Fraction(8, 16)})
    for weights in ({"a": 0.0}, {"a": 0.0, "b": 0.0}, {}):
        with pytest.raises(InvalidArgument, match="^" + re.escape(f"dyadic_law: the weights {weights!r} have no positive total") + "$"):
            dyadic_law(weights, 8)


def test_det_prime_model_switches_from_integral_to_counts() -> None:
    model = det_prime(3, 1, bits=16)
    first = model("", "")
    assert first == dyadic_law({d: density_integral(int(d) * 100, int(d) * 100 + 100) for d in "123456789"}, 16)
    second = model("", "1")
    assert second == dyadic_law({d: density_integral(100 + int(d) * 10, 110 + int(d) * 10) for d in "0123456789"}, 16)
    assert model("", "10") == exact_prime_digit_law("10", 3)
    assert model("", "101") == Dist.point("[STOP]")
    assert model("", "20") == Dist.uniform("0123456789")  # 200..209 holds no prime: a dead end
    assert det_prime(1, 1)("", "") == exact_prime_digit_law("", 1)
    with pytest.raises(ZeroMass):
        model("", "1011")


# ==== semiprime ==========================================================================



def test_semiprime_parse_errors_name_what_is_parsed() -> None:
    with pytest.raises(InvalidText, match=r"^tuple text must be a str, got int$"):
        parse_tuple(5, "p,q,pq")  # type: ignore[arg-type]
    with pytest.raises(InvalidText, match=r"^tuple text '\[a\]': symbol 'a' at position 1"):
        parse_tuple("[a]", "p,q,pq")
    with pytest.raises(InvalidText, match=r"^continuation must be a str, got int$"):
        parse_continuation(5)  # type: ignore[arg-type]
    with pytest.raises(InvalidText, match=r"^continuation '3,x\]': symbol 'x' at position 2"):
        parse_continuation("3,x]")
    with pytest.raises(InvalidText, match=r"^continuation '3,05\]' is not of the form a,b\] \(decimal, no leading zeros\)$"):
        parse_continuation("3,05]")
    assert parse_continuation("13,7]") == (13, 7)
    assert parse_tuple("[3,5,15]", "p,q,pq") == (3, 5, 15)
    assert parse_tuple("[15,3,5]", "pq,p,q") == (3, 5, 15)
    assert parse_tuple("[15,3,5]", "pq,p,q", 1) == (3, 5, 15)
    with pytest.raises(InvalidText, match=r"^tuple text '\[3,5,16\]': 3·5 = 15, not 16$"):
        parse_tuple("[3,5,16]", "p,q,pq")
    with pytest.raises(InvalidText, match=r"^tuple text '\[4,5,20\]': p = 4 is not an 1-digit prime$"):
        parse_tuple("[4,5,20]", "p,q,pq", 1)
    with pytest.raises(InvalidText, match=r"^tuple text '\[5,4,20\]': q = 4 is not an 1-digit prime$"):
        parse_tuple("[5,4,20]", "p,q,pq", 1)
    with pytest.raises(InvalidText, match=r"^tuple text '\[5,4\]' is not of the form \[a,b,c\]"):
        parse_tuple("[5,4]", "p,q,pq")


def test_semiprime_check_prime_and_text_name_p_and_q() -> None:
    task = semiprime_triple(1)
    assert task.order == "p,q,pq"
    assert task.text(3, 7) == "[3,7,21]"
    assert semiprime_triple(1, "pq,p,q").text(3, 7) == "[21,3,7]"
    assert tuple_text(3, 7, "pq,p,q") == "[21,3,7]"
    with pytest.raises(InvalidArgument, match=r"^p = 4 is not prime$"):
        task.text(4, 7)
    with pytest.raises(InvalidArgument, match=r"^q = 4 is not prime$"):
        task.text(3, 4)
    with pytest.raises(InvalidArgument, match=r"^q = 11 has 2 digits, not 1$"):
        task.text(3, 11)
    with pytest.raises(InvalidArgument, match=r"^q must be an int, got True$"):
        task.text(3, True)
    assert check_prime(7, 1) == 7
    with pytest.raises(InvalidArgument, match=r"^p must be an int, got '7'$"):
        check_prime("7", 1)
    with pytest.raises(InvalidArgument, match=r"^order must be one of \('p,q,pq', 'pq,p,q'\), got 'p,pq,q'$"):
        semiprime_triple(1, "p,pq,q")  # type: ignore[arg-type]
    for n in (0, MAX_PRIME_DIGITS + 1):
        msg = f"semiprime_triple n must be an int between 1 and {MAX_PRIME_DIGITS}, got {n}"
        with pytest.raises(InvalidArgument, match="^" + re.escape(msg) + "$"):
            SemiprimeTriple(n, "p,q,pq")
    assert task.parse("[3,7,21]") == (3, 7, 21)
    with pytest.raises(InvalidText, match="is not an 1-digit prime"):
        task.parse("[1,7,7]")


ONE_DIGIT_PRIMES = (2, 3, 5, 7)


def test_product_last_model_laws_and_errors() -> None:
    from spec.tasks.semiprime import ProductLastModel

    m = ProductLastModel(1)
    quarter = Dist.uniform("2357")
    for prefix, law in (
        ("", Dist.point("[")),
        ("[", quarter),
        ("[3", Dist.point(",")),
        ("[3,", quarter),
        ("[3,5", Dist.point(",")),
        ("[3,5,", Dist.point("1")),
        ("[3,5,1", Dist.point("5")),
        ("[3,5,15", Dist.point("]")),
        ("[3,5,15]", Dist.point("[STOP]")),
        ("[7,7,4", Dist.point("9")),
    ):
        assert m("", prefix) == law, prefix
    target = Dist.uniform([f"[{p},{q},{p * q}]" for p in ONE_DIGIT_PRIMES for q in ONE_DIGIT_PRIMES])
    assert induced(m, "", max_len=8) == target
    for prefix, err, msg in (
        ("[3,5,15,1", ZeroMass, "tuple prefix '[3,5,15,1' has more than three fields"),
        ("[35", ZeroMass, "tuple prefix '[35': field '35' is longer than 1 digits"),
        ("[3,5,2", ZeroMass, "tuple prefix '[3,5,2' does not lead to '[3,5,15]'"),
        ("[3,5,15,", ZeroMass, "tuple prefix '[3,5,15,' has more than three fields"),
        ("3", InvalidText, "tuple prefix '3' must start with '[' and hold no other '['"),
        ("[3[", InvalidText, "tuple prefix '[3[' must start with '[' and hold no other '['"),
        ("[4,5,", InvalidArgument, "p = 4 is not prime"),
        ("[3,4,", InvalidArgument, "q = 4 is not prime"),
        ("[3,5,16]", InvalidText, "tuple text '[3,5,16]': 3·5 = 15, not 16"),
        ("[4,5,20]", InvalidText, "tuple text '[4,5,20]': p = 4 is not an 1-digit prime"),
        ("[11,2,22]", InvalidText, "tuple text '[11,2,22]': p = 11 is not an 1-digit prime"),
        ("[2,9,18]", InvalidText, "tuple text '[2,9,18]': q = 9 is not an 1-digit prime"),
    ):
        with pytest.raises(err, match="^" + re.escape(msg) + "$"):
            m("", prefix)
    with pytest.raises(InvalidText, match=r"^tuple prefix '\[a': symbol 'a' at position 1"):
        m("", "[a")
    for prefix in ("[[", "[3[", "[3,[", "[3,5,1["):
        msg = f"tuple prefix {prefix!r} must start with '[' and hold no other '['"
        with pytest.raises(InvalidText, match="^" + re.escape(msg) + "$"):
            m("", prefix)
    assert _check_order("pq,p,q") == "pq,p,q" and _check_order("p,q,pq") == "p,q,pq"


def test_factor_first_model_laws_and_errors() -> None:
    from spec.tasks.semiprime import FactorFirstModel, distinct_products, ordered_factorizations

    table = ordered_factorizations(1)
    assert table(15) == ((3, 5), (5, 3)) and table(16) == () and table(49) == ((7, 7),)
    assert distinct_products(1) == (4, 6, 9, 10, 14, 15, 21, 25, 35, 49)
    f = FactorFirstModel(1, table)
    sixteenth = Fraction(1, 16)
    for prefix, law in (
        ("", Dist.point("[")),
        ("[", Dist({"1": 6 * sixteenth, "2": 3 * sixteenth, "3": 2 * sixteenth, "4": 2 * sixteenth, "6": 2 * sixteenth, "9": sixteenth})),
        ("[1", Dist.uniform("045")),
        ("[2", Dist({"1": Fraction(2, 3), "5": Fraction(1, 3)})),
        ("[4", Dist({",": Fraction(1, 2), "9": Fraction(1, 2)})),
        ("[6", Dist.point(",")),
        ("[15,", Dist.uniform("35")),
        ("[15,3", Dist.point(",")),
        ("[15,3,", Dist.point("5")),
        ("[15,3,5", Dist.point("]")),
        ("[15,3,5]", Dist.point("[STOP]")),
        ("[4,2,2]", Dist.point("[STOP]")),
    ):
        assert f("", prefix) == law, prefix
    target = Dist.uniform([f"[{p * q},{p},{q}]" for p in ONE_DIGIT_PRIMES for q in ONE_DIGIT_PRIMES])
    assert induced(f, "", max_len=8) == target
    assert f.continuations(15) == ("3,5]", "5,3]") and f.continuations(16) == ()
    for prefix, msg in (
        ("[8", "no s in S_1 starts with '8'"),
        ("[15,4", "tuple prefix '[15,4' continues no factorization of 15"),
        ("[16,", "s = 16 is not p·q for 1-digit primes p, q"),
        ("[15,3,5]]", "tuple prefix '[15,3,5]]' continues no factorization of 15"),
    ):
        with pytest.raises(ZeroMass, match="^" + re.escape(msg) + "$"):
            f("", prefix)
    # a factorizer's wrong or repeated pairs are dropped, the rest sorted; each s is factored once
    asked: list[int] = []

    def factor(s: int) -> list[tuple[int, int]]:
        asked.append(s)
        return [(5, 3), (2, 2), (3, 5), (5, 3)] if s == 15 else []

    g = FactorFirstModel(1, factor)
    assert g.continuations(15) == ("3,5]", "5,3]")
    assert g("", "[15,") == Dist.uniform("35")
    assert g("", "[15,3") == Dist.point(",")
    assert g.continuations(15) == ("3,5]", "5,3]")
    assert g.continuations(21) == () and g.continuations(21) == ()
    assert asked == [15, 21]


def test_semiprime_algo_draws_primes_by_rejection() -> None:
    task = semiprime_triple(1)
    coins = ScriptCoins(0, [3, 0, 6, 8, 2])  # 4 rejected, 1 rejected, 7; 9 rejected, 3
    assert task.algo(task.prompt, coins) == "[7,3,21]"
    assert coins.log == [(9, 3), (9, 0), (9, 6), (9, 8), (9, 2)]
    assert semiprime_triple(1, "pq,p,q").algo("", ScriptCoins(0, [4, 1])) == "[10,5,2]"
    runs = enumerate_runs(lambda c: task.algo(task.prompt, c), 6)
    assert runs.consistent_with(task.target())
    assert set(runs.mass) == set(task.target().support)


def test_semiprime_target_is_explicit_up_to_four_digits(monkeypatch: pytest.MonkeyPatch) -> None:
    # the four-digit target is 1.1M texts: stand in two primes to check the bound cheaply
    monkeypatch.setattr(_semiprime_module, "n_digit_primes", lambda n: (1009, 1013))
    target = semiprime_triple(4).target()
    assert target == Dist.uniform([f"[{p},{q},{p * q}]" for p in (1009, 1013) for q in (1009, 1013)])
    with pytest.raises(InvalidArgument, match=r"^semiprime_triple: the explicit target needs n <= 4, got 5$"):
        semiprime_triple(5).target()
    monkeypatch.undo()
    assert semiprime_triple(1, "pq,p,q").target() == Dist.uniform(
        [f"[{p * q},{p},{q}]" for p in (2, 3, 5, 7) for q in (2, 3, 5, 7)]
    )


# ==== coins: rejection loops =============================================================


def _two_then_one(c: Coins) -> str:
    """Rejects after 2 flips (explored first), accepts after 2, rejects after 1."""
    if c.randbelow(2) == 0:
        return "reject" if c.randbelow(2) == 0 else "accept"
    return "reject"


def _three_two_one(c: Coins) -> int:
    x = c.randbelow(3)
    if x == 0:
        return c.randbelow(2) + c.randbelow(2) * 2  # 3 flips: accepted only when 3
    if x == 1:
        return 10 + c.randbelow(2)  # 2 flips: accepted when 11
    return 20  # 1 flip: rejected


def _same_as_literal(attempt: Callable[[Coins], A], accept: Callable[[A], bool], budget: int) -> None:
    memo = enumerate_runs(lambda c: c.until(attempt, accept), budget)
    plain = enumerate_runs(literal_until(attempt, accept), budget)
    assert dict(memo.mass) == dict(plain.mass), budget
    assert memo.residual == plain.residual
    assert sum(memo.mass.values()) + memo.residual == 1


@pytest.mark.parametrize("budget", [0, 1, 2, 3, 4, 5, 6, 7])
def test_until_with_rejections_of_different_lengths_equals_the_literal_loop(budget: int) -> None:
    _same_as_literal(_two_then_one, lambda x: x == "accept", budget)
    _same_as_literal(_three_two_one, lambda x: x in (3, 11), budget)


def test_until_two_then_one_exact_law() -> None:
    runs = enumerate_runs(lambda c: c.until(_two_then_one, lambda x: x == "accept"), 4)
    # accepted within 4 flips: "01" (1/4); "1","01" (1/8); "00","01" (1/16); "1","1","01" (1/16)
    assert dict(runs.mass) == {"accept": Fraction(1, 4) + Fraction(1, 8) + Fraction(1, 16) + Fraction(1, 16)}
    assert runs.residual == Fraction(1, 2)
