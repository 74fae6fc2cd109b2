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


# --- The library is only the library: no benchmark, book tool or test path inside it ---------

MODULES = sorted(p.relative_to(PACKAGE).as_posix() for p in PACKAGE.rglob("*.py")
                 if "__pycache__" not in p.parts)
# Imports that make a module a book or build tool (Sphinx, docutils, notebook execution, the
# book's own tools) or a benchmark; the library's chapters glue through myst_nb, which is fine.
TOOL_IMPORTS = ("sphinx", "docutils", "jupyter_book", "jupyter_cache", "nbclient", "nbformat",
                "booktools", "benchmarks")
BUILD_COMMANDS = ("jupyter-book", "jupyter_book", "sphinx-build")


def _code_strings(tree: ast.AST) -> set[str]:
    """String constants of the code, docstrings left out."""
    docstrings = {id(n.body[0].value) for n in ast.walk(tree)
                  if isinstance(n, (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef,
                                    ast.ClassDef)) and n.body
                  and isinstance(n.body[0], ast.Expr) and isinstance(n.body[0].value, ast.Constant)}
    return {n.value for n in ast.walk(tree) if isinstance(n, ast.Constant)
            and isinstance(n.value, str) and id(n) not in docstrings}


def _tool_problems(name: str, source: str) -> list[str]:
    """Why the module ``name`` (path inside the package) is a tool, not library code."""
    tree = ast.parse(source)
    imports = _imports(tree)
    problems = [f"imports {i}" for i in sorted(imports)
                if i.split(".")[0] in TOOL_IMPORTS]
    stem = Path(name).stem
    if stem == "bench" or stem.startswith("bench_") or stem in ("sphinx_ext", "notebooks"):
        problems.append(f"is named like a tool ({stem})")
    runs = {"subprocess", "os.system", "os.popen"} & (imports | {
        f"{n.value.id}.{n.attr}" for n in ast.walk(tree)
        if isinstance(n, ast.Attribute) and isinstance(n.value, ast.Name)})
    builds = {s for s in _code_strings(tree) if any(c in s for c in BUILD_COMMANDS)}
    if runs and builds:
        problems.append(f"runs the book build ({', '.join(sorted(builds))})")
    return problems


def _test_paths(source: str) -> set[str]:
    """Code strings that name a path into the test suite (``tests``, ``tests/fixtures``)."""
    found = set()
    for s in _code_strings(ast.parse(source)):
        parts = s.replace("\\", "/").split("/")
        if "tests" in parts or "fixtures" in parts or "conftest.py" in parts:
            found.add(s)
    return found


@pytest.mark.parametrize("module", MODULES)
def test_module_is_not_a_tool(module):
    """Benchmarks, the Sphinx extension and the book tools live outside ``analysis``
    (``benchmarks/``, ``booktools/``); the library imports neither."""
    problems = _tool_problems(module, (PACKAGE / module).read_text(encoding="utf-8"))
    assert not problems, f"analysis/{module} " + "; ".join(problems)


@pytest.mark.parametrize("module", MODULES)
def test_module_names_no_test_path(module):
    """The library never reaches into the test suite: no ``tests`` or ``fixtures`` path."""
    found = _test_paths((PACKAGE / module).read_text(encoding="utf-8"))
    assert not found, f"analysis/{module} names test paths: {sorted(found)}"


def test_the_tool_checks_can_fail():
    """The checks flag each kind of tool and test path, and pass plain library code."""
    assert _tool_problems("sphinx_ext.py", "from docutils import nodes\n")
    assert _tool_problems("x.py", "import sphinx.application\n")
    assert _tool_problems("x.py", "from booktools import bundle\n")
    assert _tool_problems("x.py", "from benchmarks import median_ms\n")
    assert _tool_problems("bench_reuse.py", "X = 1\n")
    assert _tool_problems("present/publish.py",
                          'import subprocess\nsubprocess.run(["jupyter-book", "build", "."])\n')
    assert _tool_problems("x.py", 'import os\nos.system("jupyter-book build .")\n')
    assert not _tool_problems("x.py", '"""Built by jupyter-book."""\nimport subprocess\n')
    assert not _tool_problems("present/publish.py", "from myst_nb import glue\n")
    assert _test_paths('FIXTURE = ROOT / "tests" / "fixtures" / "corpus"\n')
    assert _test_paths('P = "tests/fixtures/corpus"\n')
    assert not _test_paths('"""Checked by the tests in tests/."""\nN = {"fr_tests": 1}\n')


def _repo_paths(source: str) -> set[str]:
    """Code that climbs out of the package (``parent.parent``, ``parents[2]``) to reach the
    repository's folders: such a path is not there once the package is installed."""
    found = set()
    for node in ast.walk(ast.parse(source)):
        if (isinstance(node, ast.Attribute) and node.attr == "parent"
                and isinstance(node.value, ast.Attribute) and node.value.attr == "parent"):
            found.add(ast.unparse(node))
        elif (isinstance(node, ast.Subscript) and isinstance(node.value, ast.Attribute)
              and node.value.attr == "parents"):
            found.add(ast.unparse(node))
    return found


@pytest.mark.parametrize("module", MODULES)
def test_module_reads_no_repository_path(module):
    """Data the library reads ships inside it (``importlib.resources``); corpus folders are
    named by the caller. Nothing climbs out of the package to the repository's ``data/``."""
    found = _repo_paths((PACKAGE / module).read_text(encoding="utf-8"))
    assert not found, f"analysis/{module} climbs out of the package: {sorted(found)}"


def test_the_repository_path_check_can_fail():
    assert _repo_paths('DATA = Path(__file__).resolve().parent.parent / "data"\n')
    assert _repo_paths('ROOT = Path(__file__).resolve().parents[2]\n')
    assert not _repo_paths('HERE = Path(__file__).parent / "resources"\n')
