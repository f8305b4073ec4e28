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
