"""spec.tasks.sudoku: the 4×4 board, its 288 grids, uniqueness, the erasure law and the generators."""

from __future__ import annotations

import functools
import random
import re
from fractions import Fraction

import pytest

from spec import Dist, enumerate_runs, induced
from spec.errors import InvalidArgument, InvalidText
from spec.signatures import Coins
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
    _cell_perm_group,
    _dp,
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
from tests.spec.tasks.conftest import ScriptCoins

# ---- brute-force references ----------------------------------------------------------------------


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


# ---- the board -----------------------------------------------------------------------------------


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


# ---- symmetries and the exact law ----------------------------------------------------------------


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


# ---- the task ------------------------------------------------------------------------------------


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


# ---- larger scopes: the generators, φ by counting, the symmetric DP ------------------------------


@pytest.mark.slow
def test_random_order_generator_equals_erase_while_erasable() -> None:
    task = sudoku(range(4))
    literal = enumerate_runs(lambda c: task.algo_random_order(task.prompt, c), 20).dist()
    chain = enumerate_runs(lambda c: task.algo(task.prompt, c), 20).dist()
    assert literal == chain == task.target()


def test_phi_by_counting_equals_the_target_on_two_rows() -> None:
    task = sudoku(range(8))
    target = task.target()
    assert target.map(solve) == Dist.uniform(solution_grids())
    assert all(is_minimal(p, task.erasable) for p in target.support)
    assert induced(task.phi, task.prompt, max_len=16) == target


@pytest.mark.slow
def test_symmetry_shortcut_equals_the_direct_dp() -> None:
    for g in solution_grids()[::97]:
        assert erasure_law(g) == erasure_law(g, use_symmetry=False)
        assert sum(erasure_law(g).values()) == 1


def test_a_generator_that_ignores_uniqueness_is_off_the_target() -> None:
    task = sudoku(range(8))

    def careless(prompt: str, coins: Coins) -> str:  # erases rows 1-2 whatever happens
        g = solution_grids()[coins.randbelow(288)]
        return puzzle_text(g, FULL & ~0xFF)

    law = enumerate_runs(lambda c: careless(task.prompt, c), 2).dist()
    assert law != task.target()
    with pytest.raises(NotUnique):
        solve(next(iter(law.support)))
