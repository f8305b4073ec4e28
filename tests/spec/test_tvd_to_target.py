"""spec.tvd_to_target: the exact TVD of a user's φ to a task's target, in one call, and its errors."""

from __future__ import annotations

from fractions import Fraction
from typing import Any, cast

import pytest

from spec import (
    STOP,
    Dist,
    InvalidArgument,
    InvalidModel,
    NonTerminating,
    chain_rule,
    induced,
    tvd,
    tvd_to_target,
)
from spec.tasks import random_prime, semiprime_triple, uniform_number


def first_digit_one(prompt: str, prefix: str) -> Dist[str]:
    """Two-digit numbers, first digit always 1: Unif(10..19)."""
    if prefix == "":
        return Dist.point("1")
    return Dist.uniform("0123456789") if len(prefix) == 1 else Dist.point(STOP)


def test_the_posts_own_models_are_at_distance_zero() -> None:
    for task in (uniform_number(2), random_prime(2), semiprime_triple(1)):
        assert tvd_to_target(task.phi, task) == 0


def test_the_distance_is_the_exact_tvd_of_the_induced_law() -> None:
    task = uniform_number(2)
    assert tvd_to_target(first_digit_one, task) == Fraction(8, 9)  # mass 1/10 on 10 of the 90 numbers
    law = induced(first_digit_one, task.prompt, max_len=2, alphabet=task.alphabet)
    assert tvd_to_target(first_digit_one, task) == tvd(law, task.target())


def test_the_prompt_and_the_length_bound_can_be_overridden() -> None:
    seen: set[str] = set()

    def phi(prompt: str, prefix: str) -> Dist[str]:
        seen.add(prompt)
        return first_digit_one(prompt, prefix)

    task = uniform_number(2)
    assert tvd_to_target(phi, task, prompt="another prompt", max_len=5) == Fraction(8, 9)
    assert seen == {"another prompt"}
    seen.clear()
    tvd_to_target(phi, task)
    assert seen == {"give me a random 2-digit number"}


def test_a_law_matching_the_target_by_the_chain_rule_is_at_distance_zero() -> None:
    task = random_prime(2)
    assert tvd_to_target(chain_rule(task.target()), task) == 0


def test_not_a_task_is_named_with_what_it_lacks() -> None:
    with pytest.raises(InvalidArgument, match=r"^tvd_to_target: task must be a task of spec\.tasks .*; "
                                              r"Dist has no prompt, alphabet, max_len, target$"):
        tvd_to_target(first_digit_one, cast(Any, Dist.uniform(["10"])))


def test_a_phi_that_is_not_callable_is_refused() -> None:
    with pytest.raises(InvalidModel, match=r"^tvd_to_target: phi must be callable as phi\(prompt, prefix\), got str$"):
        tvd_to_target(cast(Any, "phi"), uniform_number(2))


def test_a_token_outside_the_tasks_alphabet_names_the_prefix() -> None:
    def letters(prompt: str, prefix: str) -> Dist[str]:
        return Dist.point("1") if prefix == "" else Dist.point("x")

    with pytest.raises(InvalidModel, match=r"token 'x', not in the alphabet, .*prefix '1'$"):
        tvd_to_target(letters, uniform_number(2))


def test_a_phi_that_runs_past_the_tasks_length_reports_the_running_mass() -> None:
    def three_digits(prompt: str, prefix: str) -> Dist[str]:
        return Dist.point("1") if len(prefix) < 3 else Dist.point(STOP)

    with pytest.raises(NonTerminating, match=r"max_len=2") as e:
        tvd_to_target(three_digits, uniform_number(2))
    assert e.value.mass == 1
