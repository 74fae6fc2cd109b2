"""Build the whole book for another corpus folder into another folder: ``make book-for``.

``python -m booktools.book_for CORPUS OUT [CHAPTER ...]`` copies the book's pages and
configuration to ``OUT/src`` and builds them into ``OUT/_build/html`` with ``WIRESPIN_CORPUS``
pointing the chapters at ``CORPUS`` and ``WIRESPIN_RUN`` at their stored run in
``OUT/_build/run``; the chapters run in the copy's ``book/``, so their published figures land in
the copy. Nothing of the main build is touched. ``CHAPTER`` names (``01_corpus``) limit the table of
contents to those chapters; the build is then not strict (the intro's links to the other
chapters dangle).

The book's introduction, limits and glossary describe its own five reports; for any other folder
the copy gets pages written for that folder from ``booktools/pages/`` (what the book is, the
chapters' questions, the number of articles read from the folder, how to cite, the limits that
hold for any folder) and a ``CITATION.cff`` whose title names the folder
(:mod:`booktools.folder_pages`). Folder names and manifest values are escaped there.

Your folders are safe:

- every argument is checked before any work: ``CORPUS`` must be a corpus folder (a
  ``manifest.csv`` that loads); ``OUT`` must not be the project, a folder of the project
  (``book/``, ``analysis/``, ``data/``, ...), the corpus or a folder inside it, or a parent of
  the corpus or of the project; an ``OUT`` that exists must be empty or hold the marker file
  ``.wirespin-book`` that book-for wrote there;
- book-for deletes nothing it did not create: only its own ``src``, ``_build``, staging folders
  and log inside a marked ``OUT``;
- a build is written beside the previous one (``OUT/.wirespin-next``) and swapped in only when
  it succeeded, so a failed build leaves the previous book as it was;
- the previous build's execution cache is reused only when the corpus folder, the ``analysis``
  package and ``data/`` are byte for byte the same (:mod:`booktools.cachekey`): a corrected
  manifest label shows in the next build.

Every failure is one line naming the error (``book-for: OutFolderError: ...``) and a non-zero
exit; the build's own output goes to ``OUT/book-for.log``.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from booktools import cachekey

ROOT = Path(__file__).resolve().parent.parent
# What a copy of the book needs: its pages and configuration, not the package or the data.
BOOK_SOURCES = ("book", "_config.yml", "_toc.yml", "CITATION.cff", "_static/book.css")
# Folders of the project that a build must never be written into (hidden ones are refused too).
PROJECT_FOLDERS = ("analysis", "benchmarks", "book", "booktools", "data", "tests", "_static",
                   "_build")
EXTENSION = "booktools.sphinx_ext"

MARKER = ".wirespin-book"
MARKER_TOOL = "wire-and-spin book-for"
SRC, BUILD, NEXT, OLD, LOG = "src", "_build", ".wirespin-next", ".wirespin-old", "book-for.log"
# Read by the chapters: the corpus folder, the book copy (for figures) and the stored run.
CORPUS_ENV, RUN_ENV = "WIRESPIN_CORPUS", "WIRESPIN_RUN"
RUN = "run"  # the chapters' stored run, in the build folder: it goes and comes with the cache

USAGE = ("usage: python -m booktools.book_for CORPUS OUT [CHAPTER ...]\n"
         "       (make book-for CORPUS=dir OUT=dir [CHAPTERS=\"01_corpus ...\"])")


class BookForError(Exception):
    """Why book-for refused or failed; the message is one line for the user."""

    exit_code = 2


class CorpusFolderError(BookForError):
    """CORPUS is not a corpus folder."""


class OutFolderError(BookForError):
    """OUT is a folder book-for must not write into."""


class ChapterError(BookForError):
    """A CHAPTER is not a chapter of the book."""


class ProjectError(BookForError):
    """The project's book sources or tools are not where book-for expects them."""


class BuildError(BookForError):
    """jupyter-book failed; the previous book in OUT, if any, is unchanged."""

    exit_code = 1


def _inside(path: Path, folder: Path) -> bool:
    """``path`` is ``folder`` or lies inside it (both resolved)."""
    return path == folder or folder in path.parents


# --- Checks: all of them run before anything is written -----------------------------------

def check_corpus(corpus: Path | str) -> Path:
    """The resolved corpus folder; refused unless it is a folder with a ``manifest.csv``."""
    if str(corpus).strip() == "":
        raise CorpusFolderError("CORPUS is empty: give the corpus folder (the one with "
                                "manifest.csv)")
    path = Path(corpus).expanduser().resolve()
    if not path.is_dir():
        raise CorpusFolderError(f"CORPUS {path} is not a folder: give the corpus folder (the one "
                                "with manifest.csv)")
    if not (path / "manifest.csv").is_file():
        raise CorpusFolderError(f"CORPUS {path} has no manifest.csv: give a corpus folder "
                                "(python -m analysis.corpus init FOLDER writes one)")
    return path


def read_marker(out: Path) -> dict | None:
    """The marker book-for wrote in ``out``, or None when there is none; refused when the file
    is there but is not one book-for wrote."""
    path = out / MARKER
    if not path.exists() and not path.is_symlink():
        return None
    try:
        if path.is_symlink() or not path.is_file():
            raise ValueError("not a plain file")
        marker = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(marker, dict) or marker.get("tool") != MARKER_TOOL:
            raise ValueError("not written by book-for")
    except (OSError, ValueError) as err:
        raise OutFolderError(f"OUT {out} has a {MARKER} that book-for did not write ({err}): "
                             "choose a new or empty folder") from None
    return marker


def check_out(out: Path | str, corpus: Path, root: Path = ROOT) -> tuple[Path, dict | None]:
    """The resolved output folder and its marker (None when the folder is new or empty).

    Refused: the project folder, a folder inside the project's own folders, the corpus folder
    or a folder inside it, a parent of the corpus or of the project, a file, and an existing
    folder that is neither empty nor marked as book-for's.
    """
    if str(out).strip() == "":
        raise OutFolderError("OUT is empty: give a new or empty folder for the built book")
    path = Path(out).expanduser().resolve()
    root = root.resolve()
    if path == root:
        raise OutFolderError(f"OUT {path} is the project folder itself: the book's own pages "
                             "would be replaced; choose a new or empty folder outside it")
    if root in path.parents:
        top = path.relative_to(root).parts[0]
        if top in PROJECT_FOLDERS or top.startswith("."):
            raise OutFolderError(f"OUT {path} is inside the project's {top}/ folder: choose a "
                                 "new or empty folder that is not one of the project's")
    if path in root.parents:
        raise OutFolderError(f"OUT {path} contains the project: choose a new or empty folder")
    if _inside(path, corpus):
        raise OutFolderError(f"OUT {path} is the corpus folder or inside it: choose a folder "
                             "outside the corpus")
    if path in corpus.parents:
        raise OutFolderError(f"OUT {path} contains the corpus folder: choose a new or empty "
                             "folder outside it")
    if path.exists() or path.is_symlink():
        if not path.is_dir():
            raise OutFolderError(f"OUT {path} exists and is not a folder: choose a new or empty "
                                 "folder")
        marker = read_marker(path)
        if marker is None and any(path.iterdir()):
            raise OutFolderError(f"OUT {path} exists and holds files book-for did not write "
                                 f"(no {MARKER}): choose a new or empty folder")
        return path, marker
    return path, None


def book_chapters(root: Path = ROOT) -> list[str]:
    """The notebook names the table of contents lists (``findings``, ``01_corpus``, ...)."""
    toc = (root / "_toc.yml").read_text(encoding="utf-8")
    return re.findall(r"^\s*(?:root:|- file:)\s*book/(\S+)\s*$", toc, re.M)


def check_chapters(chapters: list[str] | None, root: Path = ROOT) -> list[str] | None:
    """The chapter names, as the table of contents spells them; refused when one is unknown.
    ``01_corpus``, ``01_corpus.ipynb`` and ``book/01_corpus.ipynb`` name the same chapter."""
    if chapters is None:
        return None
    known = book_chapters(root)
    names = []
    for given in chapters:
        name = given.strip()
        name = name[len("book/"):] if name.startswith("book/") else name
        name = name[:-len(".ipynb")] if name.endswith(".ipynb") else name
        if name not in known:
            raise ChapterError(f"CHAPTERS: {given!r} is not a chapter of the book; the chapters "
                               f"are {', '.join(known)}")
        if name not in names:
            names.append(name)
    if not names:
        raise ChapterError("CHAPTERS is given but names no chapter")
    return names


def check_project(root: Path = ROOT) -> None:
    """The book's pages and configuration, which book-for copies, are in ``root``."""
    missing = [name for name in BOOK_SOURCES if not (root / name).exists()]
    if missing or not (root / "analysis" / "__init__.py").is_file():
        raise ProjectError(f"the book's sources are not in {root} (missing: "
                           f"{', '.join(missing) or 'analysis/'}): book-for runs from a "
                           "checkout of the project")


def check_corpus_loads(corpus: Path) -> None:
    """The chapters load the corpus strictly: refuse now, with the loader's message naming the
    file, row and field, rather than deep in a chapter's run."""
    from analysis.corpus import load_corpus
    from analysis.text import AnalysisError

    try:
        load_corpus(corpus)
    except AnalysisError as err:
        raise CorpusFolderError(f"CORPUS {corpus} does not load: {err} (python -m "
                                "analysis.corpus check FOLDER lists every problem)") from None


# --- Writing: only inside a marked OUT, only paths book-for made ---------------------------

def write_marker(out: Path, **fields) -> None:
    marker = {"tool": MARKER_TOOL, "format": 1, **fields}
    tmp = out / (MARKER + ".tmp")
    tmp.write_text(json.dumps(marker, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    tmp.replace(out / MARKER)


def _remove_own(path: Path) -> None:
    """Remove ``path``, one of book-for's own folders in a marked OUT; a symbolic link there
    was not made by book-for, so it is refused, never followed."""
    if path.is_symlink():
        raise OutFolderError(f"{path} is a symbolic link book-for did not make: remove it "
                             "yourself, then build again")
    if path.is_dir():
        shutil.rmtree(path)
    elif path.exists():
        path.unlink()


def _copy_sources(src: Path, chapters: list[str] | None, root: Path) -> None:
    """The book's pages and configuration into ``src``; the copy's configuration loads the
    Sphinx extension from ``root`` and its table of contents lists only ``chapters``."""
    import yaml

    for name in BOOK_SOURCES:
        source, target = root / name, src / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if source.is_dir():
            shutil.copytree(source, target, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
        else:
            shutil.copy2(source, target)
    config = yaml.safe_load((src / "_config.yml").read_text(encoding="utf-8"))
    sphinx = config.setdefault("sphinx", {})
    sphinx["local_extensions"] = {EXTENSION: str(root)}  # a path relative to the copy is wrong
    (src / "_config.yml").write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    if chapters is not None:
        toc = (src / "_toc.yml").read_text(encoding="utf-8")
        keep = [line for line in toc.splitlines()
                if "- file:" not in line or line.split("- file:", 1)[1].strip()
                in {f"book/{c}" for c in chapters}]
        (src / "_toc.yml").write_text("\n".join(keep) + "\n", encoding="utf-8")


def prepare_sources(src: Path, corpus: Path, chapters: list[str] | None,
                    root: Path = ROOT) -> None:
    """The book copy in ``src``: the book's pages and configuration, then, for a folder other
    than the book's ``data/``, its own introduction, limits, glossary and citation
    (:mod:`booktools.folder_pages`), so no page states what holds only for the book's texts."""
    from booktools.folder_pages import write_folder_pages

    _copy_sources(src, chapters, root)
    write_folder_pages(src, corpus, root)


HEADS = ("Warning, treated as error:", "Sphinx error:", "Extension error", "Exception occurred:")


def _last_error(log: Path) -> str:
    """The most telling line of a failed build's log, on one line: what follows Sphinx's own
    error heading, else the first ERROR or WARNING line, else the last ``SomeError: message``
    line (jupyter-book's closing RuntimeError has no message of its own)."""
    try:
        text = log.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""
    lines = [line.strip() for line in re.sub(r"\x1b\[[0-9;]*m", "", text).splitlines()]
    lines = [line for line in lines if line]
    found = ""
    for i, line in enumerate(lines[:-1]):
        if line.startswith(HEADS):
            found = line.split(":", 1)[1].strip() or lines[i + 1]
            break
    if not found:
        found = next((line for line in lines if re.search(r"\b(ERROR|WARNING)\b:", line)), "")
    if not found:
        found = next((line for line in reversed(lines)
                      if re.match(r"^[\w.]*(Error|Exception)\b: *\S", line)), "")
    return " ".join(found.split())[:300]


def _run_build(src: Path, staging: Path, corpus: Path, strict: bool, log: Path,
               root: Path) -> None:
    pythonpath = os.pathsep.join(p for p in (str(root), os.environ.get("PYTHONPATH", "")) if p)
    env = {**os.environ, CORPUS_ENV: str(corpus),
           RUN_ENV: str(staging / BUILD / RUN), "PYTHONPATH": pythonpath}
    command = [sys.executable, "-c", "from jupyter_book.cli.main import main; main()",
               "build", str(src), "--path-output", str(staging), "-n", "--keep-going",
               *(["-W"] if strict else [])]
    with log.open("w", encoding="utf-8") as fh:
        fh.write(f"$ {' '.join(command)}\n")
        fh.flush()
        code = subprocess.run(command, env=env, stdout=fh, stderr=subprocess.STDOUT,
                              stdin=subprocess.DEVNULL, cwd=str(src)).returncode
    if code != 0:
        detail = _last_error(log)
        raise BuildError(f"jupyter-book failed (exit {code})"
                         f"{': ' + detail if detail else ''}; full log: {log}; the previous "
                         "book in OUT, if any, is unchanged")


def book_for(corpus: Path | str, out: Path | str, chapters: list[str] | None = None,
             strict: bool = True, *, root: Path = ROOT, quiet: bool = True) -> Path:
    """Build the book for the corpus folder ``corpus`` into ``out``; returns the HTML folder
    (``out/_build/html``). See the module doc for what is refused and what is kept."""
    check_project(root)
    corpus_path = check_corpus(corpus)
    out_path, marker = check_out(out, corpus_path, root)
    chapters = check_chapters(chapters, root)
    check_corpus_loads(corpus_path)
    strict = strict and chapters is None

    out_path.mkdir(parents=True, exist_ok=True)
    if marker is None:  # new or empty: mark it as book-for's before writing anything else
        marker = {"corpus": str(corpus_path), "key": None, "built": None}
        write_marker(out_path, **marker)
    staging = out_path / NEXT
    _remove_own(staging)  # left by a build that failed
    src = staging / SRC
    prepare_sources(src, corpus_path, chapters, root)
    from booktools.bundle import write_bundle

    write_bundle(src / "_static" / "vega-bundle.js")
    key = cachekey.book_key(corpus_path, src / "_toc.yml", root)
    drop = cachekey.stale(marker.get("key"), key)
    old_src, old_build = out_path / SRC, out_path / BUILD
    if cachekey.CACHE not in drop:  # the cached chapters' figures are not written again
        figures = old_src / "_static" / "figures"
        if figures.is_dir() and not figures.is_symlink():
            shutil.copytree(figures, src / "_static" / "figures")
        if old_build.is_dir() and not old_build.is_symlink():
            skip = [cachekey.DOCTREES_DIR] if cachekey.DOCTREES in drop else []
            shutil.copytree(old_build, staging / BUILD, symlinks=True,
                            ignore=lambda folder, names: [n for n in names if n in skip]
                            if Path(folder) == old_build else [])
    if not quiet:
        print(f"book-for: building into {out_path} "
              f"({'every chapter runs' if cachekey.CACHE in drop else 'cached chapters kept'}; "
              f"log: {out_path / LOG})", file=sys.stderr)
    _run_build(src, staging, corpus_path, strict, out_path / LOG, root)

    retired = out_path / OLD  # swap the new build in, then remove the one it replaces
    _remove_own(retired)
    retired.mkdir()
    for name in (SRC, BUILD):
        if (out_path / name).exists() or (out_path / name).is_symlink():
            if (out_path / name).is_symlink():
                raise OutFolderError(f"{out_path / name} is a symbolic link book-for did not "
                                     "make: remove it yourself, then build again")
            (out_path / name).rename(retired / name)
        (staging / name).rename(out_path / name)
    write_marker(out_path, corpus=str(corpus_path), chapters=chapters, key=key,
                 built=dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"))
    _remove_own(retired)
    _remove_own(staging)
    return out_path / BUILD / "html"


def _one_line(err: BaseException) -> str:
    return " ".join(str(err).split()) or type(err).__name__


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) < 2 or args[0] in ("-h", "--help"):
        print(USAGE, file=sys.stderr)
        return 2
    try:
        html = book_for(args[0], args[1], args[2:] or None, quiet=False)
    except BookForError as err:
        print(f"book-for: {type(err).__name__}: {_one_line(err)}", file=sys.stderr)
        return err.exit_code
    except KeyboardInterrupt:
        print("book-for: interrupted; the previous book in OUT, if any, is unchanged",
              file=sys.stderr)
        return 130
    except Exception as err:  # noqa: BLE001 (no traceback reaches the user)
        print(f"book-for: {type(err).__name__}: {_one_line(err)}", file=sys.stderr)
        return 1
    print(f"built {html}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
