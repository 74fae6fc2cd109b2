"""What several test modules load once: the book's corpus and the reuse method's results on it."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from analysis import pipeline, reuse, store
from analysis.corpus import Corpus, load_corpus


# The book's own corpus folder (the tests know the repository; the library does not).
BOOK = Path(__file__).resolve().parent.parent / "data"


@lru_cache(maxsize=1)
def corpus() -> Corpus:
    """The book's five texts, loaded once per test session."""
    return load_corpus(BOOK)


@lru_cache(maxsize=1)
def results() -> reuse.Results:
    """The reuse method on the book's corpus, run once per test session."""
    return reuse.analyse(corpus())


# Every stage but the reuse calibration (slow, and read only by chapter 2's own tests).
STAGES = tuple(s for s in pipeline.STAGE_NAMES if s != "reuse_check")


@lru_cache(maxsize=None)
def run(root: str | None, folder: str) -> store.StoredRun:
    """The pipeline on ``root`` (None: the book's five texts) into ``folder``, once a session."""
    return pipeline.run(root or BOOK, folder, stages=STAGES)
