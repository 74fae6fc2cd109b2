"""Fixtures shared by the test modules (loaded once per session)."""

from __future__ import annotations

import pytest

import shared
from analysis import claims, framing
from analysis.corpus import Corpus


@pytest.fixture(scope="session")
def corpus() -> Corpus:
    return shared.corpus()


@pytest.fixture(scope="session")
def lexicon() -> framing.Lexicon:
    return framing.load_lexicon()


@pytest.fixture(scope="session")
def extracted(corpus):
    return claims.extract_claims(corpus)


@pytest.fixture(scope="session")
def book_run(tmp_path_factory):
    """The stored run of the book's five texts (every stage but the reuse calibration)."""
    return shared.run(None, str(tmp_path_factory.mktemp("book-run") / "run"))
