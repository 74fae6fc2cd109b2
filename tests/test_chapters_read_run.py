"""Chapters read the stored run: no chapter imports a module whose methods the pipeline runs.

The pipeline (`analysis.pipeline.STAGES`) is the only place that runs methods; a chapter opens
the run (`analysis.present.book.open_run`) and shows its tables, so the book and
`python -m analysis run` cannot disagree on the same folder.
"""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest

BOOK = Path(__file__).resolve().parent.parent / "book"
CHAPTERS = sorted(BOOK.glob("*.ipynb"))
# Modules whose functions are stages of the pipeline (loading included).
METHOD_MODULES = ("analysis.corpus", "analysis.cleaning", "analysis.reuse", "analysis.index",
                  "analysis.distributed", "analysis.claims", "analysis.quotes",
                  "analysis.speakers", "analysis.framing", "analysis.spin")


def imported(source: str) -> set[str]:
    """Every module a piece of code imports (``from analysis import reuse`` gives
    ``analysis.reuse``)."""
    out = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            out |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            out |= {node.module} | {f"{node.module}.{a.name}" for a in node.names}
    return out


def method_imports(source: str) -> set[str]:
    return {m for m in imported(source)
            if any(m == x or m.startswith(x + ".") for x in METHOD_MODULES)}


def code(notebook: Path) -> str:
    nb = json.loads(notebook.read_text(encoding="utf-8"))
    return "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code")


@pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda p: p.stem)
def test_chapter_imports_no_method_module(chapter):
    found = method_imports(code(chapter))
    assert not found, f"{chapter.name} imports {sorted(found)}: read the run instead"


@pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda p: p.stem)
def test_chapter_opens_the_stored_run(chapter):
    assert "open_run(" in code(chapter), f"{chapter.name} does not open the stored run"


def test_the_check_can_fail():
    assert method_imports("from analysis import reuse\nimport analysis.claims.compare\n") == {
        "analysis.reuse", "analysis.claims.compare"}
    assert method_imports("from analysis.present import reuse as present\n") == set()
