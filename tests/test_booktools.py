"""The book's tools (booktools/): book-for keeps the user's folders safe and never publishes
results of another corpus; the cache key; the Makefile passes paths as written; the extension is
found by the build; the install extras match the pins.

Most checks run no build (the build step is replaced by a stand-in that writes what
jupyter-book would). ``test_rebuild_shows_the_corrected_label`` builds one chapter twice for
real and is in the slow group (``-m browser``).
"""

from __future__ import annotations

import csv
import json
import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import yaml

from booktools import book_for as bf
from booktools import cachekey

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = Path(__file__).resolve().parent / "fixtures" / "corpus"


def corpus_copy(target: Path) -> Path:
    shutil.copytree(FIXTURE, target)
    return target


def relabel(corpus: Path, article: str, label: str) -> None:
    path = corpus / "manifest.csv"
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        fields, rows = list(reader.fieldnames or []), list(reader)
    for row in rows:
        if row["id"] == article:
            row["label"] = label
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=fields)
        writer.writeheader()
        writer.writerows(rows)


def tree(path: Path) -> dict[str, bytes]:
    return {p.relative_to(path).as_posix(): p.read_bytes() for p in sorted(path.rglob("*"))
            if p.is_file()}


# --- The cache key --------------------------------------------------------------------------

def test_tree_digest_follows_every_byte_and_name(tmp_path):
    corpus = corpus_copy(tmp_path / "c")
    first = cachekey.tree_digest(corpus)
    assert cachekey.tree_digest(corpus) == first
    relabel(corpus, "northwire", "Northwire relabelled")
    changed = cachekey.tree_digest(corpus)
    assert changed != first
    (corpus / "annotations").mkdir()
    (corpus / "annotations" / "x.csv").write_text("a\n", encoding="utf-8")
    added = cachekey.tree_digest(corpus)
    assert added != changed
    (corpus / "annotations" / "x.csv").rename(corpus / "annotations" / "y.csv")
    assert cachekey.tree_digest(corpus) not in (added, changed)
    assert cachekey.tree_digest(tmp_path / "absent") != cachekey.tree_digest(tmp_path / "c")


def test_book_key_covers_corpus_package_and_pages(tmp_path):
    corpus = corpus_copy(tmp_path / "c")
    toc = tmp_path / "_toc.yml"
    toc.write_text((ROOT / "_toc.yml").read_text(encoding="utf-8"), encoding="utf-8")
    key = cachekey.book_key(corpus, toc)
    assert set(key) == {cachekey.CACHE, cachekey.PAGES}
    relabel(corpus, "gazette", "Gazette (corrected)")
    relabelled = cachekey.book_key(corpus, toc)
    assert relabelled[cachekey.CACHE] != key[cachekey.CACHE]
    assert relabelled[cachekey.PAGES] == key[cachekey.PAGES]
    toc.write_text("format: jb-book\nroot: book/intro\n", encoding="utf-8")
    assert cachekey.book_key(corpus, toc)[cachekey.PAGES] != key[cachekey.PAGES]
    # the package: a fake project whose analysis/ differs by one byte
    fake = tmp_path / "project"
    for part in cachekey.PACKAGE_PARTS:
        (fake / part).mkdir(parents=True)
        (fake / part / "m.py").write_text("X = 1\n", encoding="utf-8")
    before = cachekey.book_key(corpus, toc, fake)
    (fake / "analysis" / "m.py").write_text("X = 2\n", encoding="utf-8")
    assert cachekey.book_key(corpus, toc, fake)[cachekey.CACHE] != before[cachekey.CACHE]


def test_stale_says_what_to_drop():
    key = {"cache": "a", "pages": "p"}
    both = {cachekey.CACHE, cachekey.DOCTREES}
    assert cachekey.stale(None, key) == both
    assert cachekey.stale({"cache": "b", "pages": "p"}, key) == both
    assert cachekey.stale({"cache": "a", "pages": "q"}, key) == {cachekey.DOCTREES}
    assert cachekey.stale(dict(key), key) == set()
    assert cachekey.stale("garbage", key) == both  # an unreadable key drops everything


def test_prepare_drops_a_stale_cache_and_keeps_a_fresh_one(tmp_path):
    corpus = corpus_copy(tmp_path / "c")
    build = tmp_path / "_build"
    for name in (cachekey.CACHE_DIR, cachekey.DOCTREES_DIR):
        (build / name).mkdir(parents=True)
        (build / name / "entry").write_text("x", encoding="utf-8")
    toc = ROOT / "_toc.yml"
    assert cachekey.prepare(build, corpus, toc) == {cachekey.CACHE, cachekey.DOCTREES}
    assert not (build / cachekey.CACHE_DIR).exists()  # no key stored: nothing is trusted
    (build / cachekey.CACHE_DIR).mkdir()
    (build / cachekey.CACHE_DIR / "entry").write_text("x", encoding="utf-8")
    assert cachekey.prepare(build, corpus, toc) == set()
    assert (build / cachekey.CACHE_DIR / "entry").is_file()
    relabel(corpus, "northwire", "Renamed")
    assert cachekey.CACHE in cachekey.prepare(build, corpus, toc)
    assert not (build / cachekey.CACHE_DIR).exists()


# --- book-for: what it refuses, before any work ------------------------------------------

@pytest.fixture()
def corpus(tmp_path) -> Path:
    return corpus_copy(tmp_path / "my corpus")


@pytest.mark.parametrize("where", [".", "book", "book/new", "analysis", "data", "data/out",
                                   "_static", "booktools", "benchmarks", "tests/out",
                                   "_build/other", ".git/x", ".venv/out"])
def test_out_inside_the_project_is_refused(corpus, where):
    with pytest.raises(bf.OutFolderError):
        bf.check_out(ROOT / where, corpus)


def test_out_near_the_corpus_or_above_the_project_is_refused(corpus, tmp_path):
    for out in (corpus, corpus / "out", corpus / "raw", tmp_path, ROOT.parent, Path("/")):
        with pytest.raises(bf.OutFolderError):
            bf.check_out(out, corpus)


def test_a_new_folder_in_the_project_or_elsewhere_is_accepted(corpus, tmp_path):
    assert bf.check_out(ROOT / "reports 2024", corpus) == (ROOT / "reports 2024", None)
    assert bf.check_out(tmp_path / "out", corpus) == (tmp_path / "out", None)
    (tmp_path / "empty").mkdir()
    assert bf.check_out(tmp_path / "empty", corpus) == (tmp_path / "empty", None)


def test_a_folder_of_the_user_is_refused_and_left_alone(corpus, tmp_path, monkeypatch):
    """Trust case 1: OUT="reports 2024" split by the shell built into an existing reports/
    and deleted reports/src. An existing folder without book-for's marker is refused."""
    reports = tmp_path / "reports"
    (reports / "src").mkdir(parents=True)
    (reports / "src" / "draft.md").write_text("my draft\n", encoding="utf-8")
    (reports / "notes.txt").write_text("notes\n", encoding="utf-8")
    before = tree(reports)
    monkeypatch.setattr(bf, "_run_build", lambda *a, **k: pytest.fail("no build may start"))
    with pytest.raises(bf.OutFolderError, match="did not write"):
        bf.book_for(corpus, reports, ["01_corpus"])
    assert tree(reports) == before


def test_a_file_or_a_foreign_marker_is_refused(corpus, tmp_path):
    (tmp_path / "file").write_text("x", encoding="utf-8")
    with pytest.raises(bf.OutFolderError, match="not a folder"):
        bf.check_out(tmp_path / "file", corpus)
    (tmp_path / "odd").mkdir()
    (tmp_path / "odd" / bf.MARKER).write_text('{"tool": "someone else"}', encoding="utf-8")
    with pytest.raises(bf.OutFolderError, match="did not write"):
        bf.check_out(tmp_path / "odd", corpus)


def test_the_project_itself_is_never_written(corpus, monkeypatch):
    """Trust case 2: OUT set to the project root rewrote the main book's pages."""
    monkeypatch.setattr(bf, "_run_build", lambda *a, **k: pytest.fail("no build may start"))
    before = {p: p.stat().st_mtime_ns for p in (ROOT / "book").iterdir()}
    with pytest.raises(bf.OutFolderError, match="project folder"):
        bf.book_for(corpus, ROOT, ["01_corpus"])
    assert not (ROOT / bf.MARKER).exists() and not (ROOT / bf.NEXT).exists()
    assert {p: p.stat().st_mtime_ns for p in (ROOT / "book").iterdir()} == before


def test_corpus_and_chapters_are_checked(tmp_path, corpus):
    with pytest.raises(bf.CorpusFolderError, match="no manifest.csv"):
        bf.check_corpus(tmp_path)
    with pytest.raises(bf.CorpusFolderError, match="not a folder"):
        bf.check_corpus(tmp_path / "absent")
    assert bf.check_corpus(corpus) == corpus.resolve()
    assert bf.check_chapters(["01_corpus", "book/02_reuse.ipynb", "01_corpus"]) == [
        "01_corpus", "02_reuse"]
    for bad in (["01"], ["book/"], ["01_corpus; rm -rf /"], ["../data"]):
        with pytest.raises(bf.ChapterError):
            bf.check_chapters(bad)


def test_a_corpus_that_does_not_load_is_refused_before_any_work(tmp_path, corpus):
    relabel(corpus, "northwire", "x")
    (corpus / "raw" / "01_northwire.txt").write_text("changed\n", encoding="utf-8")
    out = tmp_path / "out"
    with pytest.raises(bf.CorpusFolderError, match="does not load"):
        bf.book_for(corpus, out, ["01_corpus"])
    assert not out.exists()


# --- book-for: writing beside, swapping, deleting only its own paths ---------------------

class FakeBuild:
    """Stands in for jupyter-book: records what the build would find, writes a page."""

    def __init__(self, fail: bool = False):
        self.fail, self.seen = fail, []

    def __call__(self, src, staging, corpus, strict, log, root):
        cache = staging / "_build" / ".jupyter_cache"
        self.seen.append({"cache": sorted(p.name for p in cache.glob("*")) if cache.is_dir()
                          else None, "figures": (src / "_static" / "figures").is_dir(),
                          "strict": strict})
        if self.fail:
            raise bf.BuildError("jupyter-book failed (exit 1); full log: x")
        label = next(csv.DictReader((corpus / "manifest.csv").open(encoding="utf-8")))["label"]
        html = staging / "_build" / "html"
        html.mkdir(parents=True, exist_ok=True)
        (html / "index.html").write_text(f"<p>{label}</p>", encoding="utf-8")
        cache.mkdir(parents=True, exist_ok=True)
        (cache / f"run-{len(self.seen)}").write_text("x", encoding="utf-8")
        figures = src / "_static" / "figures"
        figures.mkdir(parents=True, exist_ok=True)
        (figures / f"fig-{len(self.seen)}.csv").write_text("x", encoding="utf-8")


@pytest.fixture()
def fake(monkeypatch):
    build = FakeBuild()
    monkeypatch.setattr(bf, "_run_build", build)
    monkeypatch.setattr("booktools.bundle.write_bundle",
                        lambda path: path.write_text("// bundle", encoding="utf-8") or path)
    return build


def test_rebuild_reuses_the_cache_only_for_the_same_corpus(tmp_path, corpus, fake):
    """Trust case 3: a rebuild after a manifest fix showed the old label (cache kept)."""
    out = tmp_path / "out"
    html = bf.book_for(corpus, out, ["01_corpus"])
    assert html == out / "_build" / "html" and "Northwire" in (html / "index.html").read_text()
    marker = json.loads((out / bf.MARKER).read_text(encoding="utf-8"))
    assert marker["tool"] == bf.MARKER_TOOL and marker["key"]["cache"]
    bf.book_for(corpus, out, ["01_corpus"])  # same corpus: the cache and figures carry over
    assert fake.seen[1] == {"cache": ["run-1"], "figures": True, "strict": False}
    relabel(corpus, "northwire", "Northwire (corrected)")
    bf.book_for(corpus, out, ["01_corpus"])  # changed corpus: nothing carries over
    assert fake.seen[2] == {"cache": None, "figures": False, "strict": False}
    assert "Northwire (corrected)" in (html / "index.html").read_text()
    assert sorted(p.name for p in (out / "src" / "_static" / "figures").iterdir()) == [
        "fig-3.csv"]
    assert not (out / bf.NEXT).exists() and not (out / bf.OLD).exists()


def test_a_failed_build_leaves_the_previous_book(tmp_path, corpus, fake, monkeypatch):
    out = tmp_path / "out"
    bf.book_for(corpus, out, ["01_corpus"])
    before = {name: tree(out / name) for name in ("src", "_build")}
    marker = (out / bf.MARKER).read_text(encoding="utf-8")
    relabel(corpus, "northwire", "Never shown")
    monkeypatch.setattr(bf, "_run_build", FakeBuild(fail=True))
    with pytest.raises(bf.BuildError):
        bf.book_for(corpus, out, ["01_corpus"])
    assert {name: tree(out / name) for name in ("src", "_build")} == before
    assert (out / bf.MARKER).read_text(encoding="utf-8") == marker


def test_only_its_own_paths_are_replaced(tmp_path, corpus, fake):
    out = tmp_path / "out"
    bf.book_for(corpus, out, ["01_corpus"])
    (out / "my notes.txt").write_text("keep me\n", encoding="utf-8")
    (out / "mine").mkdir()
    (out / "mine" / "a.csv").write_text("a\n", encoding="utf-8")
    bf.book_for(corpus, out)
    assert (out / "my notes.txt").read_text(encoding="utf-8") == "keep me\n"
    assert (out / "mine" / "a.csv").is_file()
    assert fake.seen[-1]["strict"] is True  # the whole book is built under -W


def test_a_symlink_in_place_of_its_folder_is_not_followed(tmp_path, corpus, fake):
    out = tmp_path / "out"
    bf.book_for(corpus, out, ["01_corpus"])
    precious = tmp_path / "precious"
    precious.mkdir()
    (precious / "thesis.tex").write_text("x", encoding="utf-8")
    shutil.rmtree(out / "src")
    (out / "src").symlink_to(precious, target_is_directory=True)
    with pytest.raises(bf.OutFolderError, match="symbolic link"):
        bf.book_for(corpus, out, ["01_corpus"])
    assert (precious / "thesis.tex").read_text(encoding="utf-8") == "x"


def test_the_copy_loads_the_extension_from_the_project(tmp_path):
    src = tmp_path / "src"
    bf._copy_sources(src, ["01_corpus"], ROOT)
    config = yaml.safe_load((src / "_config.yml").read_text(encoding="utf-8"))
    assert config["sphinx"]["local_extensions"] == {"booktools.sphinx_ext": str(ROOT)}
    toc = (src / "_toc.yml").read_text(encoding="utf-8")
    assert "book/01_corpus" in toc and "book/02_reuse" not in toc and "root: book/intro" in toc


def test_the_book_config_finds_the_extension_at_the_project_root():
    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    local = config["sphinx"]["local_extensions"]
    assert local == {"booktools.sphinx_ext": "."}
    assert (ROOT / local["booktools.sphinx_ext"] / "booktools" / "sphinx_ext.py").is_file()
    assert "analysis.sphinx_ext" not in json.dumps(config)


def test_jupyter_book_puts_the_project_on_sys_path(tmp_path):
    """How the build finds the extension: jupyter-book reads ``local_extensions`` and appends
    the path (relative to _config.yml) to sys.path, then Sphinx imports the module. Checked in a
    fresh process started elsewhere with no PYTHONPATH."""
    code = ("import sys, pathlib\n"
            "from jupyter_book.config import get_final_config\n"
            "config, _ = get_final_config(user_yaml=pathlib.Path(sys.argv[1]),\n"
            "    cli_config={'latex_individualpages': False}, sourcedir=pathlib.Path(sys.argv[2]))\n"
            "import booktools.sphinx_ext as ext\n"
            "print(ext.__file__); print('booktools.sphinx_ext' in config['extensions'])\n")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    result = subprocess.run([sys.executable, "-c", code, str(ROOT / "_config.yml"), str(ROOT)],
                            cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    path, listed = result.stdout.split()[-2:]
    assert Path(path) == ROOT / "booktools" / "sphinx_ext.py" and listed == "True"


# --- The command line: one named line per failure, never a traceback --------------------

def run_cli(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "booktools.book_for", *args], cwd=cwd,
                          env=env, capture_output=True, text=True, timeout=300)


@pytest.mark.parametrize("case", ["usage", "no corpus", "project", "inside book",
                                  "user folder", "chapter", "bad corpus"])
def test_cli_failures_are_one_named_line(case, tmp_path, corpus):
    user = tmp_path / "reports"
    user.mkdir()
    (user / "keep.txt").write_text("x", encoding="utf-8")
    if case == "bad corpus":
        (corpus / "raw" / "01_northwire.txt").write_text("changed\n", encoding="utf-8")
    args = {"usage": [str(corpus)],
            "no corpus": [str(tmp_path / "nothing"), str(tmp_path / "o")],
            "project": [str(corpus), str(ROOT)],
            "inside book": [str(corpus), str(ROOT / "book" / "x")],
            "user folder": [str(corpus), str(user)],
            "chapter": [str(corpus), str(tmp_path / "o"), "01_corpus", "$(rm -rf x);"],
            "bad corpus": [str(corpus), str(tmp_path / "o")]}[case]
    result = run_cli(*args)
    assert result.returncode != 0
    assert "Traceback" not in result.stderr + result.stdout
    lines = result.stderr.strip().splitlines()
    if case == "usage":
        assert lines[0].startswith("usage:")
    else:
        assert len(lines) == 1 and re.match(r"book-for: \w+Error: ", lines[0]), lines
    assert not (tmp_path / "o").exists() and (user / "keep.txt").is_file()


@pytest.mark.parametrize("log, line", [
    ("reading\n\x1b[91mSphinx error:\x1b[39m\nSphinx is unable to load the master document.\n"
     "Traceback (most recent call last):\nRuntimeError: \n",
     "Sphinx is unable to load the master document."),
    ("Warning, treated as error:\nb.ipynb: Executing notebook failed: CellExecutionError\n",
     "b.ipynb: Executing notebook failed: CellExecutionError"),
    ("x\n/a/intro.md:10: WARNING: undefined label: 'ch-reuse'\nRuntimeError: \n",
     "/a/intro.md:10: WARNING: undefined label: 'ch-reuse'"),
    ("x\nValueError: bad value\nRuntimeError: \n", "ValueError: bad value"),
    ("nothing telling\n", ""),
])
def test_a_failed_build_is_summed_up_in_one_line(tmp_path, log, line):
    path = tmp_path / "book-for.log"
    path.write_text(log, encoding="utf-8")
    assert bf._last_error(path) == line


# --- The Makefile passes every value as written ------------------------------------------

HOSTILE_NAMES = ["reports 2024", "it's \"quoted\"", "cost $HOME $$ `touch shell-ran`",
                 "a; touch shell-ran", "$(shell touch make-ran)", "tab\there"]


@pytest.mark.skipif(shutil.which("make") is None, reason="make not installed")
@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_make_book_for_passes_paths_as_written(tmp_path, name):
    """The recipe is run (in a scratch folder, with the install step marked done) with a
    stand-in Python that prints its arguments."""
    dump = tmp_path / "dump.py"
    dump.write_text("import json, sys\nprint('ARGS=' + json.dumps(sys.argv[1:]))\n",
                    encoding="utf-8")
    stamp = tmp_path / "stamp"
    stamp.write_text("", encoding="utf-8")
    result = subprocess.run(
        ["make", "--no-print-directory", "-f", str(ROOT / "Makefile"), "-o", str(stamp),
         "book-for",
         f"STAMP={stamp}", f"PY={sys.executable} {dump}", f"CORPUS={name}/corpus",
         f"OUT={name}", "CHAPTERS=01_corpus 02_reuse"],
        cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert not (tmp_path / "shell-ran").exists() and not (tmp_path / "make-ran").exists()
    line = next(x for x in result.stdout.splitlines() if x.startswith("ARGS="))
    assert json.loads(line[len("ARGS="):]) == [
        "-m", "booktools.book_for", f"{name}/corpus", name, "01_corpus", "02_reuse"]


# --- Packaging: the extras carry the same pins as requirements.txt -----------------------

def _pins(lines) -> dict[str, str]:
    pins = {}
    for line in lines:
        line = line.split("#", 1)[0].strip()
        if line:
            name, _, version = line.partition("==")
            assert version, f"not pinned with ==: {line}"
            pins[re.sub(r"[-_.]+", "-", name).lower()] = version
    return pins


def test_install_extras_match_the_pins():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    required = _pins((ROOT / "requirements.txt").read_text(encoding="utf-8").splitlines())
    constrained = _pins((ROOT / "constraints.txt").read_text(encoding="utf-8").splitlines())
    extras = project["optional-dependencies"]
    assert {"book", "test", "scale"} <= set(extras)
    declared = _pins(project["dependencies"])
    for group in extras.values():
        declared.update(_pins(group))
    for name, version in declared.items():
        assert constrained.get(name, required.get(name)) == version, name
    assert set(required) <= set(declared), set(required) - set(declared)
    assert {"dask", "distributed"} <= set(_pins(extras["scale"]))
    assert {"pytest", "nbval", "hypothesis", "playwright"} <= set(_pins(extras["test"]))
    assert {"jupyter-book", "myst-nb", "sphinx", "altair", "vl-convert-python"} <= set(
        _pins(extras["book"]))


def test_the_install_includes_booktools_not_benchmarks():
    find = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))[
        "tool"]["setuptools"]["packages"]["find"]
    assert "booktools" in find["include"] and "analysis.*" in find["include"]
    assert not any(p.startswith("benchmarks") for p in find["include"])


# --- One real build, twice (slow group) ----------------------------------------------------

@pytest.mark.browser
def test_rebuild_shows_the_corrected_label(tmp_path):
    """Build one chapter for a corpus, correct a manifest label, build again into the same
    folder: the page shows the corrected label (the cache follows the corpus), and the
    extension, loaded from the project by the copy's configuration, added its lines."""
    corpus = corpus_copy(tmp_path / "corpus")
    out = tmp_path / "out dir"
    html = bf.book_for(corpus, out, ["01_corpus"])
    page = (html / "book" / "01_corpus.html").read_text(encoding="utf-8")
    assert "Northwire" in page and "Cite this" in page
    assert (html / "_static" / "wire-and-spin-data.zip").is_file()
    assert (out / "_build" / "run").is_dir()  # the chapters' stored run, in book-for's folder
    intro = (html / "book" / "intro.html").read_text(encoding="utf-8")  # issue 16
    assert "eight articles" in intro and "applied to the folder “corpus”" in intro
    assert not [w for w in ("Idlib", "five texts", "AFP", "Times of Israel", "VOA", "Syria",
                            "Turkey", "Unattributed (00") if w in intro]
    relabel(corpus, "northwire", "Northwire Corrected")
    html = bf.book_for(corpus, out, ["01_corpus"])
    page = (html / "book" / "01_corpus.html").read_text(encoding="utf-8")
    assert "Northwire Corrected" in page


def test_wirespin_dispatches_to_the_analysis_and_the_book_tools(tmp_path, capsys):
    """``wirespin run`` is ``python -m analysis run``; ``wirespin book-for`` is the book tool."""
    from booktools import cli

    fixture = Path(__file__).resolve().parent / "fixtures" / "corpus"
    assert cli.main(["run", str(fixture), "--out", str(tmp_path / "run"), "--quiet",
                     "--stages", "load"]) == 0
    assert (tmp_path / "run" / "run.json").is_file()
    assert cli.main(["book-for"]) == 2
    assert "usage" in capsys.readouterr().err


# --- "Cite this": authors, year, title, version and the address with the id once ----------

from booktools import sphinx_ext as ext  # noqa: E402

CITED = ext.Citation(authors="Ada Lovelace and The Wire and Spin team", year="2026",
                     title="Wire and Spin", version="1.2.3", url="https://books.example.org/")


@pytest.mark.parametrize(("page", "item", "expected"), [
    ("book/01_corpus.html", "fig-timeline",
     "Cite this: Ada Lovelace and The Wire and Spin team (2026). Wire and Spin, version 1.2.3, "
     "figure at https://books.example.org/book/01_corpus.html#fig-timeline"),
    ("book/03_numbers.html", "tab-claims",
     "Cite this: Ada Lovelace and The Wire and Spin team (2026). Wire and Spin, version 1.2.3, "
     "table at https://books.example.org/book/03_numbers.html#tab-claims"),
])
def test_cite_line_for_a_figure_and_a_table(page, item, expected):
    assert ext.cite_text(CITED, CITED.url, page, item) == expected
    assert "".join(n.astext() for n in ext.cite_line(CITED, CITED.url, page, item)) == expected


@pytest.mark.parametrize("base", ["https://h.example.org", "https://h.example.org/"])
def test_base_url_joins_with_or_without_its_slash(base):
    assert ext.cite_url(base, "book/02_reuse.html", "fig-x") == (
        "https://h.example.org/book/02_reuse.html#fig-x")
    sub = base.rstrip("/") + "/books/wire" + ("/" if base.endswith("/") else "")
    assert ext.cite_url(sub, "book/02_reuse.html", "fig-x") == (
        "https://h.example.org/books/wire/book/02_reuse.html#fig-x")  # not urljoin's ".../books/"


@pytest.mark.parametrize("item", ["fig-timeline", "tab-claims", "fig-reuse-map"])
def test_the_id_appears_once_at_the_end_of_the_address(item):
    line = ext.cite_text(CITED, "https://h.example.org/fig-x/", "book/04_voices.html", item)
    assert line.count(item) == 1 and line.endswith(f"/book/04_voices.html#{item}")
    assert line.count("#") == 1


def test_citation_and_config_agree_on_the_base_url():
    """One address: html.baseurl in _config.yml (Sphinx's html_baseurl) and url in
    CITATION.cff say the same, and it is an http(s) address the cite lines can start with."""
    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    base = config["html"]["baseurl"]
    assert base and base == cff["url"]
    assert ext.check_base_url(base) == base and base.endswith("/")
    assert ext.read_citation(ROOT / "CITATION.cff").url == base


def test_read_citation_takes_persons_entities_and_flattens_values(tmp_path):
    path = tmp_path / "CITATION.cff"
    path.write_text(
        "cff-version: 1.2.0\ntitle: \"Two\\nlines  <b>x</b>\"\nversion: 2.0\n"
        "date-released: 2027-01-31\nauthors:\n"
        "  - {given-names: Ada, family-names: Lovelace}\n"
        "  - {given-names: Ludwig, name-particle: van, family-names: Beethoven}\n"
        "  - {name: \"Team *A*\"}\n", encoding="utf-8")
    cited = ext.read_citation(path)
    assert cited == ext.Citation("Ada Lovelace, Ludwig van Beethoven and Team *A*", "2027",
                                 "Two lines <b>x</b>", "2.0", "")
    path.write_text("title: T\nauthors: []\n", encoding="utf-8")
    with pytest.raises(ValueError, match="no authors, date-released, version"):
        ext.read_citation(path)


@pytest.mark.parametrize("bad", ["javascript:alert(1)", "ftp://h.example.org/", "h.example.org",
                                 'https://h.example.org/"><script>', "https://h.example.org/?a=1",
                                 "https://h.example.org/#top", "https:///path"])
def test_a_base_url_that_is_not_an_address_is_refused(bad):
    with pytest.raises(ValueError, match="html.baseurl"):
        ext.check_base_url(bad)


def test_the_book_for_copy_cites_like_the_book(tmp_path, monkeypatch):
    """book-for copies _config.yml and CITATION.cff: the copy's configuration, read the way
    jupyter-book reads it, gives the same base URL and the same line."""
    from jupyter_book.config import get_final_config

    monkeypatch.setattr(sys, "path", list(sys.path))  # jupyter-book appends the extension path
    lines = []
    for folder in (ROOT, tmp_path / "src"):
        if folder != ROOT:
            bf._copy_sources(folder, ["01_corpus"], ROOT)
        config, _ = get_final_config(user_yaml=folder / "_config.yml",
                                     cli_config={"latex_individualpages": False},
                                     sourcedir=folder)
        base = ext.check_base_url(config["html_baseurl"])
        cited = ext.read_citation(folder / "CITATION.cff")
        lines.append(ext.cite_text(cited, base, "book/01_corpus.html", "fig-timeline"))
    assert lines[0] == lines[1]
    assert lines[1].endswith(" figure at https://wire-and-spin.example.org/book/01_corpus.html"
                             "#fig-timeline")


SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"/>\n'
HOSTILE_CFF = """cff-version: 1.2.0
title: "Book </p><script>alert(1)</script> *not emphasis* `x`"
version: "9.9"
date-released: 2026-05-01
url: "https://books.example.org/wire"
authors:
  - name: "A <img src=x onerror=alert(2)> & Co"
"""


def sphinx_build(src: Path, out: Path, *extra: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "WIRESPIN_CORPUS": str(FIXTURE)}
    return subprocess.run([sys.executable, "-m", "sphinx", "-b", "html", "-n", "-q", *extra,
                           str(src), str(out)], env=env, capture_output=True, text=True,
                          timeout=300)


def cite_lines(page: Path) -> dict[str, str]:
    """Each "Cite this" line of a built page as the reader sees it (tags dropped, unescaped)."""
    import html as html_module

    text = page.read_text(encoding="utf-8")
    found = {}
    for item in re.findall(r'<figure[^>]*id="((?:fig|tab)-[a-z0-9-]+)"', text):
        block = text[text.index(f'id="{item}"'):]
        block = block[: block.index("</figure>")]
        line = re.search(r'<p class="ws-cite">(.*?)</p>', block, re.S).group(1)
        assert "<script" not in line and "<img" not in line, line
        found[item] = html_module.unescape(re.sub(r"<[^>]+>", "", line))
    return found


def test_the_extension_writes_escaped_cite_lines_that_follow_the_citation(tmp_path):
    """A small Sphinx build with the extension: a figure and a table get their lines, values
    from CITATION.cff show as text (never markup), and a new version or base URL shows on the
    next build without a clean build."""
    src, out = tmp_path / "src", tmp_path / "out"
    src.mkdir()
    (src / "conf.py").write_text(
        "extensions = ['booktools.sphinx_ext']\nproject = 'T'\nnumfig = True\n"
        "html_baseurl = 'https://books.example.org/wire'\n", encoding="utf-8")
    (src / "a.svg").write_text(SVG, encoding="utf-8")
    (src / "index.rst").write_text(
        "Title\n=====\n\n.. figure:: a.svg\n   :name: fig-one\n\n   A figure.\n\n"
        ".. figure:: a.svg\n   :name: tab-two\n\n   A table.\n", encoding="utf-8")
    (src / "CITATION.cff").write_text(HOSTILE_CFF, encoding="utf-8")
    result = sphinx_build(src, out, "-W")
    assert result.returncode == 0, result.stderr[-3000:]
    cited = ext.read_citation(src / "CITATION.cff")
    expected = {item: ext.cite_text(cited, "https://books.example.org/wire", "index.html", item)
                for item in ("fig-one", "tab-two")}
    assert cite_lines(out / "index.html") == expected
    assert "A <img src=x onerror=alert(2)> & Co (2026). Book </p><script>" in expected["fig-one"]
    assert expected["tab-two"].endswith(", table at https://books.example.org/wire/index.html"
                                        "#tab-two")

    (src / "CITATION.cff").write_text(HOSTILE_CFF.replace('"9.9"', '"10.0"'), encoding="utf-8")
    result = sphinx_build(src, out, "-W")
    assert result.returncode == 0, result.stderr[-3000:]
    assert "version 10.0, figure at" in cite_lines(out / "index.html")["fig-one"]

    result = sphinx_build(src, out, "-D", "html_baseurl=https://elsewhere.example.org/")
    assert result.returncode == 0, result.stderr[-3000:]
    assert "differ" in result.stderr  # under -W, a failed build
    assert cite_lines(out / "index.html")["fig-one"].endswith(
        "figure at https://elsewhere.example.org/index.html#fig-one")


# --- book-for's pages in words: nothing that holds only for the book's five texts ----------

from booktools import folder_pages  # noqa: E402

# Words of the book's own introduction, limits and glossary that hold only for its five texts.
FIVE_TEXT_WORDS = ("Idlib", "five texts", "five reports", "AFP", "Times of Israel", "VOA",
                   "Turkey", "Syria", "Unattributed (00")
WORD_PAGES = ("intro", "limits", "glossary")


def word_pages(src: Path) -> dict[str, str]:
    return {page: (src / "book" / f"{page}.md").read_text(encoding="utf-8")
            for page in WORD_PAGES}


def five_text_words(text: str) -> list[str]:
    return [w for w in FIVE_TEXT_WORDS if w.lower() in text.lower()]


def test_the_book_for_pages_say_nothing_only_true_of_the_five_texts(tmp_path, corpus):
    """Issue 16: the copy's introduction, limits and glossary (and its citation) name none of
    the five texts' event, outlets or labels, and give the folder's article count, read from
    the folder by the chapters' loader."""
    from analysis.corpus import load_corpus
    from analysis.present.words import count

    book = word_pages(ROOT)
    assert five_text_words(book["intro"]) and five_text_words(book["limits"])  # they would fail
    src = tmp_path / "src"
    bf.prepare_sources(src, corpus, None, ROOT)
    pages = word_pages(src)
    for page, text in pages.items():
        assert five_text_words(text) == [], page
        assert text != book[page] and "$" not in text  # every template field was filled
    cff = (src / "CITATION.cff").read_text(encoding="utf-8")
    assert five_text_words(cff) == [] and "“my corpus”" in cff
    articles = count(len(load_corpus(corpus).articles), "article")
    assert articles == "eight articles"
    assert articles in pages["intro"] and articles in pages["limits"]
    # A fact of the folder shows up: its one article with an inferred date, by its label.
    assert "The date of *Coastal Notes* is inferred" in pages["limits"]
    assert "no hand annotations" in pages["limits"] and "no speakers table" in pages["limits"]
    # Every chapter is referred to, and every term of the book's glossary is defined.
    for label in ("ch-corpus", "ch-reuse", "ch-numbers", "ch-voices", "ch-framing", "ch-spin"):
        assert f"{{ref}}`{label}`" in pages["intro"]
    terms = re.findall(r"^(\S[^\n]*)\n: ", book["glossary"], re.M)
    assert terms and terms == re.findall(r"^(\S[^\n]*)\n: ", pages["glossary"], re.M)


def test_the_book_for_its_own_folder_keeps_the_book_pages(tmp_path):
    src = tmp_path / "src"
    bf.prepare_sources(src, (ROOT / "data").resolve(), ["01_corpus"], ROOT)
    assert word_pages(src) == word_pages(ROOT)
    assert (src / "CITATION.cff").read_bytes() == (ROOT / "CITATION.cff").read_bytes()


def test_the_limits_follow_what_the_folder_brings(tmp_path, corpus):
    """Annotations, a speakers table, a lexicon and many inferred dates change the sentences
    that say what the folder brings; labels are named up to a few, then counted."""
    (corpus / "annotations" / "quotes").mkdir(parents=True)
    (corpus / "annotations" / "quotes" / "quotes.csv").write_text("x\n", encoding="utf-8")
    (corpus / "speakers").mkdir()
    (corpus / "speakers" / "speakers.csv").write_text("name\n", encoding="utf-8")
    (corpus / "framing").mkdir()
    (corpus / "framing" / "labels.csv").write_text("label\n", encoding="utf-8")
    facts = folder_pages.folder_facts(corpus)
    assert facts.annotated == ("quotes",) and facts.speakers_table and facts.lexicon
    assert facts.n_articles == 8 and facts.inferred == ("Coastal Notes",)
    limits = folder_pages.render("limits", facts, ROOT / "CITATION.cff")
    assert "hand annotations of quotations" in limits
    assert "for copied passages, figures, framing labels and spun wording" in limits
    assert "folder's own hand table" in limits and "brings its own lexicon" in limits
    many = folder_pages.FolderFacts("f", 9, tuple(f"L{i}" for i in range(9)), (), False, False)
    assert "The dates of nine articles of the folder are inferred" in folder_pages.render(
        "limits", many, ROOT / "CITATION.cff")
    two = folder_pages.FolderFacts("f", 2, ("A", "B"), (), False, False)
    assert "The dates of *A* and *B* are inferred" in folder_pages.dates_sentence(two)


def test_the_book_for_copy_cites_its_folder_at_the_same_address(tmp_path, corpus):
    """The copy's CITATION.cff names the folder instead of the book's story; authors, year,
    version and base URL stay, so its "Cite this" lines keep the book's address form and
    _config.yml and CITATION.cff still agree."""
    src = tmp_path / "src"
    bf.prepare_sources(src, corpus, ["01_corpus"], ROOT)
    book = ext.read_citation(ROOT / "CITATION.cff")
    copy = ext.read_citation(src / "CITATION.cff")
    assert copy.title == "Wire and Spin, applied to the folder “my corpus”"
    assert (copy.authors, copy.year, copy.version, copy.url) == (
        book.authors, book.year, book.version, book.url)
    config = yaml.safe_load((src / "_config.yml").read_text(encoding="utf-8"))
    assert config["html"]["baseurl"] == copy.url
    line = ext.cite_text(copy, copy.url, "book/01_corpus.html", "fig-timeline")
    assert line == ext.cite_text(book, book.url, "book/01_corpus.html", "fig-timeline").replace(
        book.title, copy.title)
    intro = (src / "book" / "intro.md").read_text(encoding="utf-8")
    assert "*Wire and Spin\\, applied to the folder “my corpus”.*" in intro


HOSTILE_NAME = "<img src=x onerror=alert(1)> {{ x }} {eval}`x` [a](javascript:alert(3))"
HOSTILE_LABEL = "<script>alert(2)</script> **b** {{ y }} {ref}`ch-spin`"


def test_a_hostile_folder_name_and_label_stay_text(tmp_path):
    """A folder name and a manifest label that look like HTML, a MyST substitution, a role
    and a link show as written on the built pages (intro, limits, glossary, built by
    jupyter-book with the book's configuration) and never become markup."""
    import html as html_module

    corpus = corpus_copy(tmp_path / HOSTILE_NAME)
    relabel(corpus, "notes", HOSTILE_LABEL)
    src, out = tmp_path / "src", tmp_path / "out"
    bf.prepare_sources(src, corpus, ["01_corpus"], ROOT)
    (src / "_toc.yml").write_text("format: jb-book\nroot: book/intro\nchapters:\n"
                                  "  - file: book/limits\n  - file: book/glossary\n",
                                  encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "WIRESPIN_CORPUS": str(corpus)}
    result = subprocess.run(
        [sys.executable, "-c", "from jupyter_book.cli.main import main; main()", "build",
         str(src), "--path-output", str(out), "-n", "--keep-going"], env=env,
        capture_output=True, text=True, timeout=300, cwd=str(src))
    html_dir = out / "_build" / "html" / "book"
    assert (html_dir / "intro.html").is_file(), result.stdout[-3000:] + result.stderr[-3000:]
    intro = (html_dir / "intro.html").read_text(encoding="utf-8")
    limits = (html_dir / "limits.html").read_text(encoding="utf-8")
    for page in (intro, limits):
        assert "<img src=x" not in page and "<script>alert" not in page
        assert not re.search(r"href=\"\s*javascript", page, re.I)
    log = re.sub(r"\x1b\[[0-9;]*m", "", result.stdout + result.stderr).splitlines()
    assert not [line for line in log if "WARNING" in line and re.search(
        r"substitution|role|directive", line, re.I)]

    def text(page: str) -> str:
        body = page[page.index('<main'):]
        return " ".join(html_module.unescape(re.sub(r"<[^>]+>", "", body)).split())

    assert f"applied to the folder “{HOSTILE_NAME}”" in text(intro)
    assert HOSTILE_LABEL in text(limits)  # the label of the article with an inferred date
    assert "<strong>b</strong>" not in limits
