"""Presentation: theme, publishing of figures and tables, and per-topic charts, tables and the
numbers of each chapter's prose. Nothing here is a method; everything here may use Altair.

Chapters state findings over roles computed from the data ("the report that takes most from an
earlier one"), so they read true on any corpus. A sentence that only holds for the book's own five
texts is glued through :func:`for_book_only`, which returns it for the book's corpus and an empty
string for any other.
"""

from __future__ import annotations

from analysis.corpus import PACKAGE_DATA, Corpus, read_manifest


def is_book_corpus(corpus: Corpus) -> bool:
    """True when ``corpus`` holds exactly the book's five texts (same files, same checksums)."""
    book = read_manifest(PACKAGE_DATA)
    mine = corpus.articles
    return (sorted(zip(book["id"], book["sha256"].str.lower()))
            == sorted(zip(mine["id"], mine["sha256"].str.lower())))


def for_book_only(corpus: Corpus, markdown: str) -> str:
    """``markdown`` when the corpus is the book's own, else ``""`` (glue it with glue:md)."""
    return markdown if is_book_corpus(corpus) else ""
