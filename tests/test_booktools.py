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
