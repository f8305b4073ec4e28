"""The uniqueness flags of the erasure DP: the bitset closure equals the plain subset enumeration."""

from __future__ import annotations

import random

from spec.tasks.sudoku import FULL, _agreements, _not_unique, solution_grids


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
