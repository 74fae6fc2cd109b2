"""What several test modules load once: the book's corpus and the reuse method's results on it."""

from __future__ import annotations

from functools import lru_cache

from analysis import reuse
from analysis.corpus import Corpus, load_corpus


@lru_cache(maxsize=1)
def corpus() -> Corpus:
    """The book's five texts, loaded once per test session."""
    return load_corpus()


@lru_cache(maxsize=1)
def results() -> reuse.Results:
    """The reuse method on the book's corpus, run once per test session."""
    return reuse.analyse(corpus())
