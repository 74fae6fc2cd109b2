"""Tests for analysis.evaluation.framing: the gold loader and the matcher's scores."""

from __future__ import annotations

import re
import shutil

import pandas as pd
import pytest

from analysis import framing as fr
from analysis import text as tx
from analysis.corpus import load_corpus
from analysis.evaluation import GoldError, Scores
from analysis.evaluation import framing as ef
from shared import BOOK

NO_QUOTES = pd.DataFrame(columns=list(fr.QUOTE_COLUMNS))


def _copy_corpus(tmp_path):
    """The book's corpus (manifest and texts) in ``tmp_path``, without annotations."""
    shutil.copy(BOOK / "manifest.csv", tmp_path / "manifest.csv")
    shutil.copytree(BOOK / "raw", tmp_path / "raw")
    return tmp_path


def test_every_annotated_use_is_in_its_sentence(corpus, lexicon):
    gold = ef.load_gold(corpus, lexicon)
    assert len(gold) > 0 and gold["occurrence"].dtype == "int64"
    sent = corpus.sentences.set_index("sentence_id")["text"]
    for r in gold.itertuples():
        folded = tx.fold_chars(sent[r.sentence_id]).lower()
        assert folded.count(tx.fold_chars(r.surface).lower()) >= r.occurrence, r


def test_no_annotation_gives_none(tmp_path):
    other = load_corpus(_copy_corpus(tmp_path))
    assert ef.load_gold(other) is None


GOOD_ROW = {"article_id": "afp", "sentence_id": "afp-s02", "surface": "rebels",
            "occurrence": "1", "label": "rebels", "group": "opposition", "voice": "own",
            "note": ""}


@pytest.mark.parametrize("change, field, message", [
    ({"occurrence": "x"}, "occurrence", "occurrence 'x' is not a whole number"),
    ({"occurrence": "0"}, "occurrence", "occurrence '0' is not a whole number"),
    ({"voice": "theirs"}, "voice", "voice 'theirs'"),
    ({"group": "actors"}, "group", "group 'actors'"),
    ({"surface": " "}, "surface", "required field is empty"),
    ({"sentence_id": "afp-s99"}, "sentence_id", "sentence 'afp-s99' is not in the corpus"),
    ({"sentence_id": "toi-s02"}, "sentence_id", "sentence 'toi-s02' is not in 'afp'"),
    ({"occurrence": "2"}, "surface", "'rebels' occurs 1 time"),
    ({"surface": "terrorists", "label": "terrorists"}, "surface", "'terrorists' occurs 0 time"),
    ({"label": "freedom fighters"}, "label", "label 'freedom fighters' is not in the lexicon"),
    ({"label": "regime"}, "group", "label 'regime' is in group 'state'"),
])
def test_bad_annotation_rows_name_file_row_and_field(tmp_path, lexicon, change, field,
                                                      message):
    root = _copy_corpus(tmp_path)
    (root / "annotations" / "framing").mkdir(parents=True)
    path = root / "annotations" / "framing" / "labels_gold.csv"
    pd.DataFrame([GOOD_ROW, GOOD_ROW | change]).to_csv(path, index=False)
    other = load_corpus(root)
    with pytest.raises(GoldError, match=rf"^{re.escape(str(path))}, row 3, field '{field}': "
                                        + ".*" + re.escape(message)):
        ef.load_gold(other, lexicon)


def _frame(rows):
    return pd.DataFrame(rows, columns=["article_id", "sentence_id", "surface", "occurrence",
                                       "label", "group", "voice"])


def test_evaluate_counts_hits_misses_and_voices():
    gold = _frame([("a", "a-s1", "rebels", 1, "rebels", "opposition", "own"),
                   ("a", "a-s1", "regime", 1, "regime", "state", "quoted"),
                   ("a", "a-s2", "Regime", 1, "regime", "state", "quoted"),
                   ("a", "a-s3", "offensive", 1, "offensive", "act", "own")])
    uses = _frame([("a", "a-s1", "Rebels", 1, "rebels", "opposition", "own"),
                   ("a", "a-s1", "regime", 1, "regime", "state", "own"),
                   ("a", "a-s2", "regime", 1, "regime", "state", "quoted"),
                   ("a", "a-s4", "attack", 1, "attack", "act", "own")])
    ev = ef.evaluate(uses, gold)
    assert ev.matching == Scores(3, 1, 1)
    assert ev.matching.precision == pytest.approx(0.75)
    assert ev.quoted == Scores(1, 0, 1)
    assert ev.voice_agree == 2
    assert sorted(ev.errors["error"]) == ["annotated, not found", "found, not annotated",
                                          "wrong voice"]
    table = ef.scores_table(ev)
    assert list(table["correct"]) == [3, 1] and list(table["gold"]) == [4, 2]


def test_matcher_on_the_book_annotation(corpus, lexicon):
    """The Syrian military presence of Russia (voa-s19) is not annotated and not found."""
    ev = ef.evaluate(fr.label_uses(corpus, lexicon, NO_QUOTES), ef.load_gold(corpus, lexicon))
    assert ev.matching.fn == 0 and ev.matching.fp == 0
    assert ev.labels_agree == ev.matching.tp
