"""The house rules of the code: one module per claim id, one validation vocabulary, one way to say what is wrong.

- every claim id (and named assumption) is written in exactly one module of checkers/ besides the registry:
  its section's (the assumptions' ids in checkers/assumptions.py, which the checkers import as constants);
- a function that raises on bad input is `require_*`; `check_<ID>` is a claim's checker;
- what is wrong, or nothing: `<thing>_problem(...) -> str | None`, `<thing>_problems(...) -> list[str]`.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from checkers.assumptions import (
    FACTORING_IS_HARD,
    HYPOTHESES,
    POST_ASSUMPTIONS,
    PRIME_PROPORTIONS_ARE_HARD,
    SHA256_IS_UNPREDICTABLE,
)
from checkers.claims import CLAIMS, POST_ORDER
from checkers.verdict import Outcome, Verdict
from spec.errors import InvalidArgument, require_int

ROOT = Path(__file__).resolve().parents[2]
REGISTRY = ROOT / "checkers" / "claims.py"
IDS = [c.id for c in CLAIMS] + list(HYPOTHESES)
NOT_YET: set[Path] = set()
"""Modules still naming other sections' ids (none: the gauntlet's perturbed twins live in their section modules)."""


def _python(*folders: str) -> list[Path]:
    return sorted(p for folder in folders for p in (ROOT / folder).rglob("*.py"))


def _naming(cid: str) -> list[Path]:
    """The modules of checkers/ (not the registry) that write the id as a word, as `grep -w` finds it."""
    word = re.compile(rf"(?<!\w){re.escape(cid)}(?!\w)")
    return [p for p in _python("checkers") if p != REGISTRY and word.search(p.read_text(encoding="utf-8"))]


@pytest.mark.parametrize("cid", IDS)
def test_each_claim_id_is_written_in_one_module_besides_the_registry(cid: str) -> None:
    found = [p.relative_to(ROOT).as_posix() for p in _naming(cid) if p not in NOT_YET]
    assert len(found) == 1, f"{cid} is written in {found or 'no module'}"


def test_the_assumptions_ids_are_written_only_in_the_assumptions_module() -> None:
    for cid in (FACTORING_IS_HARD, PRIME_PROPORTIONS_ARE_HARD, SHA256_IS_UNPREDICTABLE):
        assert [p for p in _naming(cid) if p not in NOT_YET] == [ROOT / "checkers" / "assumptions.py"]
    assert {c.id: c.quote for c in CLAIMS if c.expected is Outcome.ASSUMED} == POST_ASSUMPTIONS


def test_the_modules_not_yet_clean_are_still_unclean() -> None:
    """Drop a module from NOT_YET once it names no other section's ids (or is gone)."""
    for path in NOT_YET:
        assert path.exists() and any(path in _naming(cid) for cid in IDS), f"drop {path.name} from NOT_YET"


def test_the_post_order_is_the_registry_reordered() -> None:
    assert sorted(POST_ORDER) == sorted(c.id for c in CLAIMS) and len(set(POST_ORDER)) == len(POST_ORDER)


def test_every_plot_of_the_registry_draws_nothing_from_an_empty_verdict() -> None:
    plots = [p for c in CLAIMS for p in c.plots]
    assert plots and len({p.filename for p in plots}) == len(plots)
    empty = Verdict(Outcome.HOLDS, scope="s", method="m")
    assert all(p.build(empty, {}) is None for p in plots)


# ---- one validation vocabulary ------------------------------------------------------------------------


def _functions(*folders: str) -> list[tuple[Path, ast.FunctionDef]]:
    """The module-level functions and the methods (not the nested helpers) of every module of the folders."""
    out = []
    for path in _python(*folders):
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            members = node.body if isinstance(node, ast.ClassDef) else [node]
            out += [(path, f) for f in members if isinstance(f, ast.FunctionDef)]
    return out


SOLVER_CHECKS = {"check_obligations", "check_proof", "check_sat"}
"""Not validators: they check obligations and proofs with the solvers."""


def test_validators_are_require_and_check_is_a_claims_checker() -> None:
    names = {f"{p.relative_to(ROOT)}:{f.name}" for p, f in _functions("spec", "checkers", "strategies")
             if re.fullmatch(r"_*check(_\w*)?", f.name) and not re.fullmatch(r"check_[A-Z]\d(_\w+)?", f.name)
             and f.name not in SOLVER_CHECKS}
    assert names == set()


def test_require_int_words_its_bounds() -> None:
    cases: list[tuple[Callable[[], object], str]] = [
        (lambda: require_int(True, "x", least=None), "x must be an int, got True"),
        (lambda: require_int(4, "x", least=None, most=3), "x must be an int <= 3, got 4"),
        (lambda: require_int(-1, "x"), "x must be an int >= 0, got -1"),
        (lambda: require_int(5, "x", least=1, most=3), "x must be an int in 1..3, got 5"),
    ]
    for call, message in cases:
        with pytest.raises(InvalidArgument, match="^" + re.escape(message) + "$"):
            call()
    assert require_int(-7, "x", least=None) == -7 and require_int(3, "x", least=1, most=3) == 3


# ---- one way to say what is wrong ------------------------------------------------------------------------


RENDERINGS = {"mismatches"}
"""Not a finding: the report's text of the verdicts that are not the expected ones."""


def test_what_is_wrong_is_a_problem_or_problems() -> None:
    wrong = []
    for path, f in _functions("spec", "checkers", "strategies", "benchmarks"):
        returns = ast.unparse(f.returns) if f.returns is not None else ""
        where = f"{path.relative_to(ROOT)}:{f.name} -> {returns}"
        if f.name.endswith("_problem") and returns != "str | None":
            wrong.append(where)
        if f.name.endswith("_problems") and returns != "list[str]":
            wrong.append(where)
        if re.search(r"mismatch|failures|counterexample|violations|unwritable", f.name) and f.name not in RENDERINGS:
            wrong.append(where)
    assert wrong == []
