"""What a book's executed chapters depend on, as fingerprints, so no build shows stale results.

The execution cache (jupyter-cache, under ``_build/.jupyter_cache``) matches a chapter by the
text of its code cells only, and Sphinx re-reads a page only when the page's own file changed.
Neither sees what the code reads: the corpus folder (``WIRESPIN_CORPUS``), the ``analysis``
package and the tables it reads from ``data/``. So a build keeps a key beside its cache:

- ``cache``: a digest of every file of the corpus folder (names and bytes: manifest, texts,
  annotations and optional tables), of the ``analysis`` package source and of ``data/``;
  when it changes, the execution cache and the doctrees are dropped and every chapter runs again;
- ``pages``: a digest of the table of contents and of the book's Sphinx extension; when only it
  changes, the doctrees are dropped (every page is read again from the cache).

``make book`` calls ``python -m booktools.cachekey _build`` before building: it drops what is
stale and stores the new key in ``_build/.cache-key`` (a failed build leaves a cache that is
either empty or filled from the current sources, so the key stays right). ``book-for`` keeps the
same key in its marker file (:mod:`booktools.book_for`).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE_PARTS = ("analysis", "data")  # what the chapters import and read besides the corpus
EXTENSION = Path("booktools") / "sphinx_ext.py"
SKIP = frozenset({"__pycache__", ".ipynb_checkpoints", ".git", ".DS_Store", ".hypothesis"})
KEY_FILE = ".cache-key"
CACHE_DIR, DOCTREES_DIR = ".jupyter_cache", ".doctrees"
CACHE, PAGES, DOCTREES = "cache", "pages", "doctrees"


def _files(path: Path):
    """``(relative name, path)`` of every file under ``path`` (``path`` itself if a file), in a
    fixed order; symbolic links are listed, never followed."""
    if not path.is_dir() or path.is_symlink():
        yield path.name, path
        return
    for folder, dirs, files in os.walk(path):
        dirs[:] = sorted(d for d in dirs if d not in SKIP)
        for name in sorted(files):
            if name in SKIP or name.endswith(".pyc"):
                continue
            full = Path(folder) / name
            yield full.relative_to(path).as_posix(), full


def tree_digest(path: Path | str) -> str:
    """SHA-256 over the names and contents of every file under ``path`` (a folder or a file).

    Renaming, adding, removing or editing any file changes it; a missing path has its own
    digest. Symbolic links count by their target's name, not its bytes.
    """
    path = Path(path)
    digest = hashlib.sha256()
    if not path.exists() and not path.is_symlink():
        digest.update(b"missing\0")
        return digest.hexdigest()
    for name, full in _files(path):
        digest.update(name.encode("utf-8", "surrogateescape") + b"\0")
        if full.is_symlink():
            digest.update(b"link\0" + os.fsencode(os.readlink(full)) + b"\0")
        elif full.is_file():
            with full.open("rb") as fh:
                digest.update(hashlib.file_digest(fh, "sha256").digest())
        else:  # a socket or fifo: its name only
            digest.update(b"special\0")
    return digest.hexdigest()


def _combine(parts: dict[str, str]) -> str:
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode("utf-8")).hexdigest()


def book_key(corpus: Path | str, toc: Path | str, root: Path | str = ROOT) -> dict[str, str]:
    """The key of a build of the book at ``root`` for the corpus folder ``corpus`` with the table
    of contents ``toc``: ``{"cache": ..., "pages": ...}`` (see the module doc)."""
    root = Path(root)
    cache = {"corpus": tree_digest(corpus),
             **{part: tree_digest(root / part) for part in PACKAGE_PARTS}}
    pages = {"toc": tree_digest(toc), "extension": tree_digest(root / EXTENSION)}
    return {CACHE: _combine(cache), PAGES: _combine(pages)}



def stale(stored: dict | None, current: dict[str, str]) -> frozenset[str]:
    """What of a build to drop before building with key ``current`` when the build holds
    ``stored`` (None: unknown): :data:`CACHE` and :data:`DOCTREES`, only :data:`DOCTREES`, or
    nothing."""
    if not isinstance(stored, dict) or stored.get(CACHE) != current[CACHE]:
        return frozenset({CACHE, DOCTREES})
    if stored.get(PAGES) != current[PAGES]:
        return frozenset({DOCTREES})
    return frozenset()


def read_key(path: Path) -> dict | None:
    """The key stored at ``path``, or None when there is none or it cannot be read."""
    try:
        value = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return value if isinstance(value, dict) else None


def write_key(path: Path, key: dict[str, str]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(key, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    tmp.replace(path)


def prepare(build: Path | str, corpus: Path | str, toc: Path | str,
            root: Path | str = ROOT) -> frozenset[str]:
    """Before building into ``build`` (a ``_build`` folder): drop its execution cache and
    doctrees as :func:`stale` says, store the current key, and return what was dropped."""
    build = Path(build)
    key = book_key(corpus, toc, root)
    drop = stale(read_key(build / KEY_FILE), key)
    if CACHE in drop:
        shutil.rmtree(build / CACHE_DIR, ignore_errors=True)
    if DOCTREES in drop:
        shutil.rmtree(build / DOCTREES_DIR, ignore_errors=True)
    write_key(build / KEY_FILE, key)
    return drop


def _main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: python -m booktools.cachekey BUILD_DIR   (before `jupyter-book build .`)",
              file=sys.stderr)
        return 2
    from booktools import book_corpus  # $WIRESPIN_CORPUS, else the book's data

    build = Path(argv[0])
    had_cache = (build / CACHE_DIR).exists()
    drop = prepare(build, book_corpus(), ROOT / "_toc.yml")
    if CACHE in drop and had_cache:
        print("the corpus, analysis/ or data/ changed since the cache was filled: "
              "running every chapter again")
    elif DOCTREES in drop and had_cache:
        print("the table of contents or the Sphinx extension changed: reading every page again")
    return 0


if __name__ == "__main__":
    raise SystemExit(_main(sys.argv[1:]))
