"""analysis.evaluation.quotes: gold loading, span matching, scores with and without the table."""

import shutil

import pandas as pd
import pytest

from analysis.corpus import load_corpus
from analysis.evaluation import GoldError
from analysis.evaluation import quotes as ev
from shared import BOOK


@pytest.fixture(scope="module")
def corpus():
    return load_corpus(BOOK)


def test_partial_matching_is_one_to_one():
    gold = pd.DataFrame({"type": "direct", "article_id": "a", "start": [0, 20], "end": [10, 30],
                         "speaker": "X", "kind": "statement"})
    pred = pd.DataFrame({"article_id": ["a"], "start": [5], "end": [25], "speaker": ["X"],
                         "kind": ["statement"]})
    partial, exact = ev.score_spans(pred, gold, exact=False), ev.score_spans(pred, gold, True)
    assert (partial.tp, exact.tp) == (1, 0)
    assert partial.precision == 1.0 and partial.recall == 0.5
    assert ev.speaker_agreement(pred, gold) == (1, 1)


def test_reported_scores_are_sets():
    gold = pd.DataFrame({"type": "reported", "article_id": "a", "sentence_id": ["s1", "s2"],
                         "speaker": ["X", "Y"]})
    pred = pd.DataFrame({"article_id": "a", "sentence_id": ["s1", "s2"], "speaker": ["X", "Z"]})
    assert ev.score_reported(pred, gold, with_speaker=False).f1 == 1.0
    s = ev.score_reported(pred, gold, with_speaker=True)
    assert (s.tp, s.fp, s.fn) == (1, 1, 1)


def copy_corpus(tmp_path, rows=None):
    """The book's texts in a temporary folder, with an annotation made of ``rows``."""
    root = tmp_path / "c"
    shutil.copytree(BOOK / "raw", root / "raw")
    shutil.copy(BOOK / "manifest.csv", root / "manifest.csv")
    if rows is not None:
        (root / "annotations" / "quotes").mkdir(parents=True)
        pd.DataFrame(rows, columns=list(ev.GOLD_COLUMNS)).to_csv(
            root / "annotations" / "quotes" / "quotes.csv", index=False)
    return load_corpus(root)


def test_no_annotation_means_none(tmp_path):
    assert ev.load_gold(copy_corpus(tmp_path)) is None


def test_gold_text_must_be_in_its_sentence(tmp_path):
    corpus = copy_corpus(tmp_path, [["direct", "afp", "afp-s01", "not in this sentence",
                                     "phrase", "unknown", "", "", ""]])
    with pytest.raises(GoldError, match=r"row 2, field 'text'"):
        ev.load_gold(corpus)


def test_gold_sentence_must_exist(tmp_path):
    corpus = copy_corpus(tmp_path, [["reported", "afp", "afp-s99", "", "", "X", "", "", ""]])
    with pytest.raises(GoldError, match=r"field 'sentence_ids'"):
        ev.load_gold(corpus)


def test_against_hand_annotation_with_and_without_table(corpus):
    gold = ev.load_gold(corpus)
    t = ev.scores_table(corpus, gold).set_index(["measure", "setting"])
    for setting in ("with table", "without table"):
        assert t.loc[("quote spans, partial match", setting), "f1"] >= 0.9
        assert t.loc[("quote speaker (matched quotations)", setting), "accuracy"] >= 0.8
        assert t.loc[("reported speech, sentence + speaker", setting), "f1"] >= 0.85


def test_error_table_names_the_garbled_sentence(corpus):
    errors = ev.error_table(corpus, ev.load_gold(corpus))
    garbled = errors[errors["sentence_id"] == "anon-004-s02"]
    assert set(garbled["error"]) == {"missed", "spurious"}
    assert "Turkish government" not in set(garbled["annotated"])  # the Turkish voice is found
