"""spec.tasks.sudoku: the 4×4 board, its 288 grids, uniqueness, the erasure law and the generators."""

from __future__ import annotations

import pytest

from spec import Dist, enumerate_runs, induced
from spec.errors import InvalidArgument, InvalidText
from spec.signatures import Coins
from spec.tasks.sudoku import (
    FULL,
    NotUnique,
    Unsolvable,
    erasure_law,
    is_minimal,
    puzzle_text,
    solution_grids,
    solve,
    sudoku,
)


def test_there_are_288_grids() -> None:
    grids = solution_grids()
    assert len(grids) == 288 and len(set(grids)) == 288
    assert all(solve(g) == g for g in grids[:10])


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


def test_sudoku_bad_input() -> None:
    with pytest.raises(Unsolvable):
        solve("11" + "." * 14)
    with pytest.raises(NotUnique):
        solve("." * 16)
    with pytest.raises(InvalidText):
        solve("123")
    with pytest.raises(InvalidText):
        solve("5" + "." * 15)
    with pytest.raises(InvalidArgument):
        sudoku([16])
    with pytest.raises(InvalidArgument):
        erasure_law("1" * 16)
