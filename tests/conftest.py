"""Hypothesis profiles (dev, ci, thorough), the check level that goes with each, and helpers shared by the tests."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Mapping
from dataclasses import replace
from fractions import Fraction
from typing import TYPE_CHECKING

import pytest
from hypothesis import HealthCheck, Verbosity, settings

from checkers.smt import SolverAnswer, SolverRun, Solvers, stop_cvc5_children
from checkers.verdict import Level

if TYPE_CHECKING:
    from checkers.report.plots import Figure

settings.register_profile("dev", max_examples=30, deadline=None)
settings.register_profile(
    "ci",
    max_examples=60,
    derandomize=True,
    deadline=None,
    database=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile(
    "thorough",
    max_examples=1000,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    verbosity=Verbosity.normal,
)
# --hypothesis-profile on the command line overrides this choice
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") else "dev"))


@pytest.fixture(scope="session")
def level() -> Level:
    """The check level for registry-driven tests: deep under the thorough profile, else quick."""
    return Level.DEEP if settings.get_current_profile_name() == "thorough" else Level.QUICK


def clear_caches(*packages: str) -> None:
    """cache_clear() every functools cache defined at module level in the loaded `packages`."""
    for name, module in list(sys.modules.items()):
        if module is None or name.split(".")[0] not in packages:
            continue
        for value in list(vars(module).values()):
            clear = getattr(value, "cache_clear", None)
            # defined here, not imported: each cache is cleared once, by its own module
            if callable(clear) and getattr(value, "__module__", None) == name:
                clear()


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Stop the cvc5 children kept by this process: a tool that runs pytest in its own process (as mutation testing
    does) and then waits for its own children must not reap ours."""
    stop_cvc5_children()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Tests marked `longest` run first: under `pytest -n`, the others then fill the other workers meanwhile
    instead of leaving one worker alone with it at the end (the order changes no outcome)."""
    items.sort(key=lambda item: item.get_closest_marker("longest") is None)  # stable: otherwise as collected


@pytest.fixture(autouse=True)
def fresh_caches_under_mutation_testing() -> None:
    """In a mutation-testing run only, empty the suite's caches before each test.

    The mutation tool records which tests reach a changed function in one process, and forks
    its workers from that process: a cached result (sieve, pair table, sudoku flags) would make
    only the first test look like a caller and would hide changes to the functions behind the
    cache. Outside such a run the caches stay, as users get them. The tool marks its runs
    with the environment variable read below.
    """
    if "MUTANT_UNDER_TEST" in os.environ:
        clear_caches("spec", "checkers")


def raises_exactly(exc: type[Exception], message: str, f: Callable[[], object]) -> None:
    """f() raises exc with exactly this message."""
    with pytest.raises(exc) as info:
        f()
    assert str(info.value) == message


def assert_panels_above_the_caveat(fig: Figure) -> None:
    """Every panel of the figure lies inside it, above the caveat's band (the bottom 9 %)."""
    for ax in fig.axes:
        box = ax.get_position()
        assert 0 <= box.x0 < box.x1 <= 1 and 0.09 <= box.y0 < box.y1 <= 1


def giving_up_on(marker: str) -> Solvers:
    """The real solvers, except that both give up on the problems whose name (the text's first line) has `marker`."""
    real = Solvers()

    def z3_run(text: str, logic: str, variables: Mapping[str, str], *, rlimit: int, seed: int,
               timeout_s: float) -> tuple[SolverRun, dict[str, Fraction] | None, tuple[str, ...]]:
        if marker in text.splitlines()[0]:
            return SolverRun("z3", SolverAnswer.UNKNOWN, 0.0, "gave up (simulated)", None), None, ()
        return real.z3(text, logic, variables, rlimit=rlimit, seed=seed, timeout_s=timeout_s)

    def cvc5_run(text: str, logic: str, *, rlimit: int, seed: int, timeout_s: float) -> SolverRun:
        if marker in text.splitlines()[0]:
            return SolverRun("cvc5", SolverAnswer.UNKNOWN, 0.0, "gave up (simulated)", None)
        return real.cvc5(text, logic, rlimit=rlimit, seed=seed, timeout_s=timeout_s)

    return replace(real, z3=z3_run, cvc5=cvc5_run)
