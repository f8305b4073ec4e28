"""Fast paths of spec.tasks.sudoku against their plain definitions: the uniqueness flags of the
erasure DP (a bitset closure) and the blanked puzzle text (four cells at a time)."""

from __future__ import annotations

import random

from spec.tasks.sudoku import BLANK, FULL, _agreements, _not_unique, puzzle_text, solution_grids


def _subsets_reference(agreements: tuple[int, ...]) -> bytearray:
    flags = bytearray(FULL + 1)
    for a in agreements:
        sub = a
        while True:
            flags[sub] = 1
            if sub == 0:
                break
            sub = (sub - 1) & a
    return flags


def test_flags_are_the_subsets_of_the_agreements_for_every_grid() -> None:
    for i in range(len(solution_grids())):
        assert _not_unique(_agreements(i)) == _subsets_reference(_agreements(i))


def test_flags_on_edge_and_random_mask_sets() -> None:
    rng = random.Random(3)
    cases: list[tuple[int, ...]] = [(), (0,), (FULL,), (1, 1 << 15), (FULL, 0)]
    cases += [tuple(rng.randrange(FULL + 1) for _ in range(rng.randrange(1, 6))) for _ in range(50)]
    for agreements in cases:
        flags = _not_unique(agreements)
        assert type(flags) is bytearray and len(flags) == FULL + 1
        assert flags == _subsets_reference(agreements), agreements


def test_puzzle_text_is_the_grid_blanked_outside_the_mask() -> None:
    rng = random.Random(5)
    masks = [0, FULL, -1, -5, 1 << 20 | 7, True, False] + [rng.randrange(-(FULL + 1), 2 * (FULL + 1)) for _ in range(40)]
    for grid in list(solution_grids()) + ["abcd", "", "1234123412341234x"]:
        for mask in masks:
            assert puzzle_text(grid, mask) == "".join(v if mask >> i & 1 else BLANK for i, v in enumerate(grid))
