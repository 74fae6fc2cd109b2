"""Presentation: theme, publishing of figures and tables, and per-topic charts, tables and the
numbers of each chapter's prose. Nothing here is a method; everything here may use Altair.

Chapters state findings over roles computed from the data ("the report that takes most from an
earlier one"), so they read true on any corpus. A sentence that only holds for the book's own five
texts is glued through :func:`for_book_only`, which returns it for the book's corpus and an empty
string for any other.
"""

from __future__ import annotations

from analysis.corpus import Corpus

# The book's five texts: id and SHA-256 of the file as received (data/manifest.csv), so the
# presentation layer recognises the book's own corpus without a path into the repository.
BOOK_TEXTS = frozenset({
    ("afp", "8f046e5dd10b4f29c0f1da72fc3c519b9919a4da2d91ac64b3743a04fc5b3eb7"),
    ("toi", "4e4d7fe0e805c482a656456246e9e8127034da2e5ff3309f1753d680d888e84c"),
    ("voa", "7cff379156632b4525da7b40983e109edc6bd428844b6b647baf827df669a2fd"),
    ("anon-003", "21d2c80175a358619d7d652e0fe3484178a5c9b0140083a8c18ef2636a8bd649"),
    ("anon-004", "fddf9f47ea5b05a230e1ecf347f9cc23874bfee6704914d1ba25b0163219434a"),
})


def is_book_corpus(corpus: Corpus) -> bool:
    """True when ``corpus`` holds exactly the book's five texts (same ids, same checksums)."""
    mine = corpus.articles
    return set(zip(mine["id"], mine["sha256"].str.lower())) == BOOK_TEXTS and len(mine) == 5


def for_book_only(corpus: Corpus, markdown: str) -> str:
    """``markdown`` when the corpus is the book's own, else ``""`` (glue it with glue:md)."""
    return markdown if is_book_corpus(corpus) else ""
