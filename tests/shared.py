"""What several test modules load once: the book's corpus and the reuse method's results on it."""

from __future__ import annotations

from functools import lru_cache

from analysis import corpus as corpus_mod
from analysis import pipeline, reuse, store
from analysis.corpus import Corpus, load_corpus


@lru_cache(maxsize=1)
def corpus() -> Corpus:
    """The book's five texts, loaded once per test session."""
    return load_corpus()


@lru_cache(maxsize=1)
def results() -> reuse.Results:
    """The reuse method on the book's corpus, run once per test session."""
    return reuse.analyse(corpus())


# Every stage but the reuse calibration (slow, and read only by chapter 2's own tests).
STAGES = tuple(s for s in pipeline.STAGE_NAMES if s != "reuse_check")


@lru_cache(maxsize=None)
def run(root: str | None, folder: str) -> store.StoredRun:
    """The pipeline on ``root`` (None: the book's five texts) into ``folder``, once a session."""
    return pipeline.run(root or corpus_mod.PACKAGE_DATA, folder, stages=STAGES)
