"""The package's separation of concerns, checked on the source: method modules are pure.

A method module imports no Altair, nothing from evaluation or presentation, reads no hand
annotation, and names none of this book's article ids, so it runs on any folder of articles.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "analysis"
METHODS = ["reuse.py", "index.py", "distributed.py", "quotes.py", "speakers.py", "framing.py",
           "spin.py", *[f"claims/{p.name}" for p in sorted((PACKAGE / "claims").glob("*.py"))]]
BOOK_IDS = {"afp", "toi", "voa", "anon-003", "anon-004"}


def _imports(tree: ast.AST) -> set[str]:
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            out.add(node.module)
            out |= {f"{node.module}.{a.name}" for a in node.names}
    return out


@pytest.mark.parametrize("module", METHODS)
def test_method_module_is_pure(module):
    tree = ast.parse((PACKAGE / module).read_text(encoding="utf-8"))
    imports = _imports(tree)
    assert not {i for i in imports if i.split(".")[0] == "altair"}, f"{module} imports altair"
    assert not {i for i in imports if i.startswith(("analysis.evaluation", "analysis.present"))
                }, f"{module} imports evaluation or presentation"
    docstrings = {id(n.body[0].value) for n in ast.walk(tree)
                  if isinstance(n, (ast.Module, ast.FunctionDef, ast.ClassDef)) and n.body
                  and isinstance(n.body[0], ast.Expr) and isinstance(n.body[0].value, ast.Constant)}
    code_strings = {n.value for n in ast.walk(tree) if isinstance(n, ast.Constant)
                    and isinstance(n.value, str) and id(n) not in docstrings}
    assert not {s for s in code_strings if "annotations" in s}, f"{module} reads annotations"
    assert not code_strings & BOOK_IDS, f"{module} names the book's articles"


def test_the_check_can_fail(tmp_path):
    """The same checks flag a module that breaks each rule."""
    bad = ast.parse('import altair as alt\nPATH = "data/annotations/x.csv"\nWHO = "toi"\n')
    assert "altair" in _imports(bad)
    strings = {n.value for n in ast.walk(bad) if isinstance(n, ast.Constant)}
    assert {"toi"} <= strings and any("annotations" in s for s in strings)
