"""Every ```python block of docs/*.md runs: each document's blocks in order, in one namespace."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

DOCS = Path(__file__).resolve().parents[2] / "docs"
FENCE = re.compile(r"^```python\n(.*?)^```$", re.DOTALL | re.MULTILINE)


def python_blocks(text: str) -> list[str]:
    """The bodies of the ```python fenced blocks of a Markdown text, in order."""
    return [m.group(1) for m in FENCE.finditer(text)]


def test_python_blocks_are_found_in_order_and_other_fences_are_not() -> None:
    text = "intro\n```python\na = 1\n```\n```\nnot python\n```\n```python\nb = a + 1\n```\n"
    assert python_blocks(text) == ["a = 1\n", "b = a + 1\n"]


WITH_CODE = [doc for doc in sorted(DOCS.glob("*.md")) if python_blocks(doc.read_text(encoding="utf-8"))]


def test_the_library_quickstart_is_among_the_docs_whose_snippets_run() -> None:
    assert DOCS / "library.md" in WITH_CODE


@pytest.mark.parametrize("doc", WITH_CODE, ids=lambda p: p.name)
def test_every_snippet_of_the_doc_runs(doc: Path) -> None:
    blocks = python_blocks(doc.read_text(encoding="utf-8"))
    namespace: dict[str, object] = {"__name__": f"docs.{doc.stem}"}
    for i, block in enumerate(blocks, start=1):
        code = compile(block, f"{doc.name} (python block {i})", "exec")
        exec(code, namespace)  # an exception fails the test, naming the block in its traceback


def test_the_verdict_page_has_one_row_per_claim_in_registry_order_with_its_expected_outcome() -> None:
    from checkers.claims import CLAIMS

    rows = [line.split(" | ") for line in (DOCS / "verdicts.md").read_text(encoding="utf-8").splitlines()
            if line.startswith("| ") and not line.startswith(("| id ", "|--"))]
    assert [row[0].removeprefix("| ") for row in rows] == [c.id for c in CLAIMS]
    for row, claim in zip(rows, CLAIMS):  # stale after a change of verdict: refresh with `python -m checkers verdicts`
        assert row[2].startswith(f"**{claim.expected.value}"), (claim.id, row[2])


def test_the_verdict_page_escapes_pipes_and_line_breaks_in_cells() -> None:
    from checkers.claims import Claim, Result
    from checkers.report.verdicts_page import verdicts_page
    from checkers.verdict import Level, Outcome, verdict

    claim = Claim("Z1", "a section", "a | b", "m", Outcome.HOLDS, check=lambda level: verdict(Outcome.HOLDS, "", ""))
    page = verdicts_page([Result(claim, verdict(Outcome.HOLDS, "n = 1..3\n| all", "m"))])
    assert page.splitlines()[-1] == "| Z1 | a \\| b | **HOLDS** | n = 1..3 \\| all |"
    assert f"({Level.STANDARD.value} level)" in page


def test_the_json_page_names_every_field_of_both_documents() -> None:
    from checkers.claims import Claim, Result
    from checkers.report.json_report import gauntlet_json, to_json
    from checkers.verdict import Level, Outcome, Trial, Verdict

    def never(level: Level) -> Verdict:
        raise AssertionError("not run")

    result = Result(Claim("Z1", "Section", "words", "method", Outcome.HOLDS, never),
                    Verdict(Outcome.HOLDS, scope="s", method="m"))
    trial = Trial("Z1", "a twin", Verdict(Outcome.REFUTED, scope="s", method="m", counterexample="x"), Outcome.REFUTED)
    def keys(doc: object) -> set[str]:
        """The keys of a JSON object and of every object nested in it."""
        if isinstance(doc, dict):
            return {str(k) for k in doc}.union(*(keys(v) for k, v in doc.items() if k != "data"))
        if isinstance(doc, list):
            return set().union(*(keys(v) for v in doc))
        return set()

    fields = keys(to_json([result], Level.QUICK, gauntlet=[trial], gauntlet_level=Level.QUICK)) | keys(
        gauntlet_json([trial], Level.QUICK))
    page = (DOCS / "json.md").read_text(encoding="utf-8")
    assert {"schema", "gauntlet", "twins", "trials", "claims", "counterexample"} <= fields  # both documents seen
    assert [f for f in sorted(fields) if f'"{f}"' not in page] == []
