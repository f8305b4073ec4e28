"""Hypothesis profiles (dev, ci, thorough) and the check level that goes with each."""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, Verbosity, settings

from checkers.verdict import Level

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
