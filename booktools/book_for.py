"""Build the whole book for another corpus folder into another folder: ``make book-for``.

``python -m booktools.book_for CORPUS OUT [CHAPTER ...]`` copies the book's pages and
configuration to ``OUT/src`` and builds them into ``OUT/_build/html`` with ``WIRESPIN_CORPUS``
pointing the chapters at ``CORPUS`` and ``WIRESPIN_BOOK`` sending the published figures into the
copy; nothing of the main build is touched.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from booktools.bundle import write_bundle

ROOT = Path(__file__).resolve().parent.parent
# What a copy of the book needs: its pages and configuration, not the package or the data.
BOOK_SOURCES = ("book", "_config.yml", "_toc.yml", "CITATION.cff", "_static/book.css")
EXTENSION = "booktools.sphinx_ext"
BOOK_ENV = "WIRESPIN_BOOK"


def book_for(corpus: Path | str, out: Path | str, chapters: list[str] | None = None,
             strict: bool = True) -> Path:
    """Build the book for the corpus folder ``corpus`` into ``out``; returns the HTML folder.

    The book's sources are copied to ``out/src`` and built into ``out/_build/html``,
    with ``WIRESPIN_CORPUS`` pointing the chapters at ``corpus`` and ``WIRESPIN_BOOK`` sending
    the published figures to ``out/src/_static/figures``: nothing of the main build is touched.
    ``chapters`` (notebook names such as ``"01_corpus"``) limits the table of contents to those
    chapters; the build is then not strict (the intro's links to the other chapters dangle).
    """
    import yaml

    corpus, out = Path(corpus).resolve(), Path(out).resolve()
    if not (corpus / "manifest.csv").is_file():
        raise FileNotFoundError(f"{corpus}: no manifest.csv (give a corpus folder)")
    src = out / "src"
    if src.exists():
        shutil.rmtree(src)
    for name in BOOK_SOURCES:
        source, target = ROOT / name, src / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if source.is_dir():
            shutil.copytree(source, target, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
        else:
            shutil.copy2(source, target)
    config = yaml.safe_load((src / "_config.yml").read_text(encoding="utf-8"))
    config.setdefault("sphinx", {})["local_extensions"] = {EXTENSION: str(ROOT)}  # not the copy
    (src / "_config.yml").write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    write_bundle(src / "_static" / "vega-bundle.js")
    if chapters is not None:
        toc = (src / "_toc.yml").read_text(encoding="utf-8")
        keep = [line for line in toc.splitlines()
                if "- file:" not in line or any(f"book/{c}" in line for c in chapters)]
        (src / "_toc.yml").write_text("\n".join(keep) + "\n", encoding="utf-8")
        strict = False
    env = {**os.environ, "WIRESPIN_CORPUS": str(corpus), BOOK_ENV: str(src)}
    command = [str(Path(sys.executable).with_name("jupyter-book")), "build", str(src),
               "--path-output", str(out), "-n", "--keep-going", *(["-W"] if strict else [])]
    subprocess.run(command, env=env, check=True)
    return out / "_build" / "html"


USAGE = "usage: python -m booktools.book_for CORPUS OUT [CHAPTER ...]"

if __name__ == "__main__":
    args = sys.argv[1:]
    if len(args) >= 2:
        print(f"built {book_for(args[0], args[1], args[2:] or None)}")
    else:
        raise SystemExit(USAGE)
