"""G2 generating a 4x4 Sudoku: a uniform solution grid, then erasures that keep the solution unique.

Cells are numbered 0..15 row by row; the 2x2 boxes are the four quadrants. A grid or puzzle is
a 16-character text, digits 1-4 for givens and "." for blanks: the response is the puzzle.

Target: a uniformly random solution grid (one of 288), then the cells of `erasable` (all 16 by
default) visited in a uniformly random order, each erased unless that would leave the puzzle
with more than one solution. The result is a puzzle with a unique solution from which no
further erasable cell can go.

Since erasing only ever adds solutions, a cell that cannot be erased now never can later; so
the random order is the same as "erase a uniformly random erasable cell while there is one"
(`algo`), and the law of the final mask can be computed by a dynamic program over masks
(`erasure_law`). A puzzle keeps a unique solution exactly when no other grid agrees with its
grid on every given cell: that is a subset test against the grid's agreement masks.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from fractions import Fraction
from functools import cached_property, lru_cache

from spec.constructions import ChainRule
from spec.dist import Dist
from spec.errors import InvalidArgument, InvalidText, SpecError
from spec.signatures import Coins
from spec.text import Alphabet, alphabet, require_text

__all__ = [
    "CELLS",
    "FULL",
    "BLANK",
    "PUZZLE_ALPHABET",
    "Unsolvable",
    "NotUnique",
    "solution_grids",
    "solutions",
    "solve",
    "puzzle_text",
    "givens_mask",
    "is_unique",
    "erasable_cells",
    "erasure_law",
    "is_minimal",
    "Sudoku",
    "sudoku",
]

CELLS = 16
FULL = (1 << CELLS) - 1
BLANK = "."
PUZZLE_ALPHABET: Alphabet = alphabet("1234" + BLANK)


class Unsolvable(SpecError, ValueError):
    """A puzzle with no solution grid."""


class NotUnique(SpecError, ValueError):
    """A puzzle with more than one solution grid, where exactly one was needed."""


def _units() -> list[list[int]]:
    rows = [[4 * r + c for c in range(4)] for r in range(4)]
    cols = [[4 * r + c for r in range(4)] for c in range(4)]
    boxes = [[4 * (2 * br + r) + 2 * bc + c for r in range(2) for c in range(2)] for br in range(2) for bc in range(2)]
    return rows + cols + boxes


UNITS = _units()


@lru_cache(maxsize=None)
def solution_grids() -> tuple[str, ...]:
    """All 4x4 solution grids, in lexicographic order (288 of them)."""
    peers = [sorted({j for u in UNITS if i in u for j in u if j < i}) for i in range(CELLS)]
    out: list[str] = []

    def fill(g: list[str]) -> None:
        i = len(g)
        if i == CELLS:
            out.append("".join(g))
            return
        for v in "1234":
            if all(g[j] != v for j in peers[i]):
                g.append(v)
                fill(g)
                g.pop()

    fill([])
    return tuple(out)


def _require_puzzle(puzzle: str) -> str:
    require_text(puzzle, PUZZLE_ALPHABET, what="sudoku puzzle")
    if len(puzzle) != CELLS:
        raise InvalidText(f"sudoku puzzle {puzzle!r} has {len(puzzle)} cells, not {CELLS}")
    return puzzle


def solutions(puzzle: str) -> list[str]:
    """Every solution grid that agrees with the puzzle's givens."""
    _require_puzzle(puzzle)
    want = [sum(1 << i for i, p in enumerate(puzzle) if p == v) for v in "1234"]
    grids = solution_grids()
    return [
        grids[j]
        for j, d in enumerate(_digit_masks())
        if want[0] & d[0] == want[0] and want[1] & d[1] == want[1] and want[2] & d[2] == want[2] and want[3] & d[3] == want[3]
    ]


def solve(puzzle: str) -> str:
    """The unique solution of the puzzle; Unsolvable or NotUnique otherwise."""
    found = solutions(puzzle)
    if not found:
        raise Unsolvable(f"sudoku puzzle {puzzle!r} has no solution")
    if len(found) > 1:
        raise NotUnique(f"sudoku puzzle {puzzle!r} has {len(found)} solutions, e.g. {found[0]} and {found[1]}")
    return found[0]


def puzzle_text(grid: str, mask: int) -> str:
    """The grid with the cells outside `mask` blanked."""
    if type(grid) is str and len(grid) == CELLS and isinstance(mask, int):
        rows = _blanked_rows(grid)  # four cells at a time, by the mask's 4 bits for them
        return rows[0][mask & 15] + rows[1][mask >> 4 & 15] + rows[2][mask >> 8 & 15] + rows[3][mask >> 12 & 15]
    return "".join(v if mask >> i & 1 else BLANK for i, v in enumerate(grid))


@lru_cache(maxsize=1024)
def _blanked_rows(grid: str) -> tuple[tuple[str, ...], ...]:
    """For each run of four cells of the grid, its text under each of the 16 masks of those cells."""
    return tuple(
        tuple("".join(v if bits >> i & 1 else BLANK for i, v in enumerate(grid[4 * r : 4 * r + 4])) for bits in range(16))
        for r in range(CELLS // 4)
    )


def givens_mask(puzzle: str) -> int:
    """The bit mask of the puzzle's given cells."""
    _require_puzzle(puzzle)
    return sum(1 << i for i, v in enumerate(puzzle) if v != BLANK)


@lru_cache(maxsize=None)
def _digit_masks() -> tuple[tuple[int, ...], ...]:
    """For each grid, the mask of the cells holding 1, 2, 3, 4."""
    return tuple(tuple(sum(1 << i for i in range(CELLS) if g[i] == v) for v in "1234") for g in solution_grids())


@lru_cache(maxsize=None)
def _agreements(grid_index: int) -> tuple[int, ...]:
    """The maximal masks on which another grid agrees with this one."""
    digits = _digit_masks()
    mine = digits[grid_index]
    masks = {
        (mine[0] & d[0]) | (mine[1] & d[1]) | (mine[2] & d[2]) | (mine[3] & d[3])
        for j, d in enumerate(digits)
        if j != grid_index
    }
    kept: list[int] = []
    for a in sorted(masks, key=lambda m: -bin(m).count("1")):  # a subset comes after its supersets
        if not any(a & b == a for b in kept):
            kept.append(a)
    return tuple(sorted(kept))


def _grid_index(grid: str) -> int:
    try:
        return solution_grids().index(grid)
    except ValueError:
        raise InvalidArgument(f"sudoku: {grid!r} is not a solution grid") from None


def is_unique(grid: str, mask: int) -> bool:
    """True when the grid is the only solution of its puzzle with givens `mask`."""
    return not _flags(_grid_index(grid))[mask & FULL]


def erasable_cells(grid: str, mask: int, erasable: int = FULL) -> list[int]:
    """The cells of mask ∩ erasable whose erasure keeps the grid the puzzle's only solution."""
    return _erasable(_flags(_grid_index(grid)), mask, erasable)


def _erasable(flags: bytearray, mask: int, erasable: int) -> list[int]:
    return [i for i in range(CELLS) if (mask & erasable) >> i & 1 and not flags[mask & ~(1 << i)]]


@lru_cache(maxsize=None)
def _flags(grid_index: int) -> bytearray:
    return _not_unique(_agreements(grid_index))


# ---- the exact law of the final mask -----------------------------------------------


def _cell_perm_group() -> list[tuple[int, ...]]:
    """The 128 cell permutations that map rows, columns and boxes to rows, columns and boxes."""

    def rc(f: dict[int, int], g: dict[int, int]) -> tuple[int, ...]:
        return tuple(4 * f[i // 4] + g[i % 4] for i in range(CELLS))

    ident = {0: 0, 1: 1, 2: 2, 3: 3}
    swaps = [{0: 1, 1: 0, 2: 2, 3: 3}, {0: 0, 1: 1, 2: 3, 3: 2}, {0: 2, 1: 3, 2: 0, 3: 1}]
    gens = [rc(s, ident) for s in swaps] + [rc(ident, s) for s in swaps]
    gens.append(tuple(4 * (i % 4) + i // 4 for i in range(CELLS)))  # transpose
    group = {tuple(range(CELLS))}
    frontier = list(group)
    while frontier:
        p = frontier.pop()
        for g in gens:
            q = tuple(g[p[i]] for i in range(CELLS))
            if q not in group:
                group.add(q)
                frontier.append(q)
    return sorted(group)


def _permute(mask: int, perm: tuple[int, ...]) -> int:
    return sum(1 << perm[i] for i in range(CELLS) if mask >> i & 1)


@lru_cache(maxsize=None)
def _with_cell() -> tuple[int, ...]:
    """For each cell i, the set of masks that contain i, as a bitset over masks (bit m for mask m)."""
    out = []
    for i in range(CELLS):
        width = 1 << i
        pattern, period = ((1 << width) - 1) << width, 2 * width  # masks period*k + width .. period*(k+1) - 1
        while period <= FULL:
            pattern |= pattern << period
            period *= 2
        out.append(pattern)
    return tuple(out)


_BIT = tuple(bytes(b >> k & 1 for b in range(256)) for k in range(8))  # translation tables: byte -> its bit k


def _not_unique(agreements: tuple[int, ...]) -> bytearray:
    """flags[mask] = 1 when another grid agrees on every cell of mask: all subsets of the agreements."""
    # the set of masks as one bitset (bit m for mask m), closed under removing a cell, one cell
    # at a time: the closure of the agreements under taking subsets
    start = bytearray((FULL + 1) // 8)
    for a in agreements:
        start[a >> 3] |= 1 << (a & 7)
    below = int.from_bytes(start, "little")
    for i, with_i in enumerate(_with_cell()):
        below |= (below & with_i) >> (1 << i)
    packed = below.to_bytes((FULL + 1) // 8, "little")  # byte j holds masks 8j .. 8j + 7, bit k for 8j + k
    flags = bytearray(FULL + 1)
    for k, bit in enumerate(_BIT):
        flags[k::8] = packed.translate(bit)
    return flags


def _dp(agreements: tuple[int, ...], erasable: int) -> dict[int, Fraction]:
    """P(final mask) from the full grid, erasing a uniform erasable cell while there is one."""
    flags = _not_unique(agreements)
    bits = [1 << i for i in range(CELLS) if erasable >> i & 1]
    # integer masses over the common denominator L^16 (L = lcm(1..16)): every division by the
    # number of choices (at most 16, at most 16 times) is exact
    scale = math.lcm(*range(1, CELLS + 1)) ** CELLS
    prob: dict[int, int] = {FULL: scale}
    final: dict[int, int] = {}
    by_size: dict[int, list[int]] = {CELLS: [FULL]}
    for size in range(CELLS, -1, -1):  # erasing moves to smaller masks: process largest first
        for mask in by_size.get(size, ()):
            p = prob.pop(mask)
            nxt = [mask ^ b for b in bits if mask & b and not flags[mask ^ b]]
            if not nxt:
                final[mask] = final.get(mask, 0) + p
                continue
            share, rest = divmod(p, len(nxt))
            assert rest == 0
            for m in nxt:
                if m in prob:
                    prob[m] += share
                else:
                    prob[m] = share
                    by_size.setdefault(size - 1, []).append(m)
    assert sum(final.values()) == scale
    return {m: Fraction(p, scale) for m, p in final.items()}


@lru_cache(maxsize=None)
def _law_by_key(agreements: tuple[int, ...], erasable: int) -> tuple[tuple[int, Fraction], ...]:
    """The final-mask law, reusing a symmetric grid's law when all cells are erasable."""
    if erasable != FULL:
        return tuple(sorted(_dp(agreements, erasable).items()))
    # with every cell erasable the process commutes with the 128 symmetries of the board:
    # compute it once per orbit (2 orbits) and carry it over
    best: tuple[tuple[int, ...], tuple[int, ...]] | None = None
    for perm in _cell_perm_group():
        image = tuple(sorted(_permute(a, perm) for a in agreements))
        if best is None or image < best[0]:
            best = (image, perm)
    assert best is not None
    canonical, perm = best
    inverse = tuple(sorted(range(CELLS), key=lambda i: perm[i]))
    return tuple(sorted((_permute(m, inverse), p) for m, p in _canonical_law(canonical)))


@lru_cache(maxsize=None)
def _canonical_law(canonical: tuple[int, ...]) -> tuple[tuple[int, Fraction], ...]:
    return tuple(_dp(canonical, FULL).items())


def erasure_law(grid: str, erasable: int = FULL, *, use_symmetry: bool = True) -> dict[int, Fraction]:
    """The exact law of the final given-cells mask for this solution grid (use_symmetry=False: plain DP)."""
    agreements = _agreements(_grid_index(grid))
    if not use_symmetry:
        return _dp(agreements, erasable)
    return dict(_law_by_key(agreements, erasable))


def is_minimal(puzzle: str, erasable: int = FULL) -> bool:
    """True when the puzzle has a unique solution and no given of `erasable` can go while keeping it so."""
    return not erasable_cells(solve(puzzle), givens_mask(puzzle), erasable)


def _mask_of(cells: Iterable[int]) -> int:
    if not isinstance(cells, Iterable):
        raise InvalidArgument(f"sudoku: erasable must be an iterable of cells 0..{CELLS - 1}, got {type(cells).__name__}")
    mask = 0
    for c in cells:
        if isinstance(c, bool) or not isinstance(c, int) or not 0 <= c < CELLS:
            raise InvalidArgument(f"sudoku: erasable cell {c!r} is not an int in 0..{CELLS - 1}")
        mask |= 1 << c
    return mask


@dataclass(frozen=True)
class Sudoku:
    """The task: a uniform solution grid, then random erasures of `erasable` cells while unique."""

    erasable: int = FULL

    def __post_init__(self) -> None:
        e = self.erasable
        if isinstance(e, bool) or not isinstance(e, int) or not 0 <= e <= FULL:
            raise InvalidArgument(f"sudoku: erasable must be a 16-bit cell mask, got {e!r}")

    @property
    def prompt(self) -> str:
        """The request."""
        return "Generate a random 4x4 Sudoku puzzle with a unique solution."

    @property
    def alphabet(self) -> Alphabet:
        """Σ = 1-4 and the blank."""
        return PUZZLE_ALPHABET

    @property
    def max_len(self) -> int:
        """Every puzzle has 16 cells."""
        return CELLS

    @cached_property
    def _target(self) -> Dist[str]:
        # (1/#grids)·P(mask | grid) for every puzzle, in integers over one common denominator
        grids = solution_grids()
        laws = [_law_by_key(_agreements(i), self.erasable) for i in range(len(grids))]
        common = math.lcm(*(p.denominator for law in laws for _, p in law))
        weights: dict[str, int] = {}
        for g, law in zip(grids, laws):
            for mask, p in law:
                if p:
                    weights[puzzle_text(g, mask)] = p.numerator * (common // p.denominator)  # distinct: the puzzle determines its grid
        den = len(grids) * common
        if sum(weights.values()) != den:  # never for a sound DP: Dist then says what the total is
            return Dist({x: Fraction(n, den) for x, n in weights.items()})
        return Dist._from_integers(weights, den)

    def target(self) -> Dist[str]:
        """The exact law of the puzzle (uniform grid, then the erasure process)."""
        return self._target

    def phi(self, prompt: str, prefix: str) -> Dist[str]:
        """Autoregressive: the next cell's law by counting, P(puzzles starting prefix + c) / P(prefix)."""
        return self._chain(prompt, prefix)

    @cached_property
    def _chain(self) -> ChainRule:
        return ChainRule(self._target)

    def algo(self, prompt: str, coins: Coins) -> str:
        """Committed: choose the solution grid first, then erase a uniform erasable cell while one is left."""
        i = coins.randbelow(len(solution_grids()))
        flags = _flags(i)
        mask = FULL
        while cells := _erasable(flags, mask, self.erasable):
            mask &= ~(1 << cells[coins.randbelow(len(cells))])
        return puzzle_text(solution_grids()[i], mask)

    def algo_random_order(self, prompt: str, coins: Coins) -> str:
        """The literal generator: visit the erasable cells in a uniform random order, erase each if still unique."""
        i = coins.randbelow(len(solution_grids()))
        flags = _flags(i)
        todo = [c for c in range(CELLS) if self.erasable >> c & 1]
        mask = FULL
        while todo:
            c = todo.pop(coins.randbelow(len(todo)))
            if not flags[mask & ~(1 << c)]:
                mask &= ~(1 << c)
        return puzzle_text(solution_grids()[i], mask)


def sudoku(erasable: Iterable[int] | None = None) -> Sudoku:
    """The G2 world; `erasable` restricts the cells the generator may erase (default: all 16)."""
    return Sudoku(FULL if erasable is None else _mask_of(erasable))
