"""Tests of analysis.evaluation.reuse: reading the hand annotation and scoring sentence labels."""


import pandas as pd
import pytest

from shared import corpus, results
from analysis.evaluation import GoldError
from analysis.evaluation import reuse as ev


def test_sentence_labels_agree_with_the_hand_annotation():
    scores = ev.score(results().labels, ev.load_gold(corpus())).set_index("label")
    assert scores.loc["derived", "f1"] >= 0.8
    assert scores.loc["new", "f1"] >= 0.8


def test_gold_is_checked_against_the_corpus():
    gold = ev.load_gold(corpus())
    assert {"article_id", "sentence_id", "source_sentence_id", "label", "_row"} <= set(gold)
    assert (gold["article_id"] == gold["sentence_id"].str.rsplit("-s", n=1).str[0]).all()


def test_no_annotation_folder_means_no_gold(tmp_path):
    import dataclasses
    assert ev.load_gold(dataclasses.replace(corpus(), root=tmp_path)) is None


HEADER = "sentence_id,source_sentence_id,label,note\n"


@pytest.mark.parametrize("body, message", [
    ("sentence_id,source_sentence_id,note\ntoi-s01,afp-s01,x\n", r"row 1, field 'label'"),
    (HEADER + "toi-s01,afp-s01,edited,\ntoi-s02,,copied,\n",
     r"row 3, field 'label': unknown label 'copied'"),
    (HEADER + "toi-s01,afp-s01,edited,\ntoi-s01,,new,\n",
     r"row 3, field 'sentence_id': sentence 'toi-s01' already annotated in row 2"),
    (HEADER + "toi-s01,,edited,\n", r"row 2, field 'source_sentence_id': a 'edited' sentence"),
    (HEADER + "toi-s01,afp-s01,new,\n", r"row 2, field 'source_sentence_id': a 'new' sentence"),
    (HEADER + ",,new,\n", r"row 2, field 'sentence_id'"),
    (HEADER + "toi-s01,afp-s01,edited,\ntoi-s99,,new,\n",
     r"row 3, field 'sentence_id': sentence 'toi-s99' is not in the corpus"),
    (HEADER + "toi-s01,afp-s77,edited,\n",
     r"row 2, field 'source_sentence_id': sentence 'afp-s77' is not in the corpus"),
])
def test_bad_annotations_name_file_row_and_field(tmp_path, body, message):
    path = tmp_path / "gold.csv"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(GoldError, match=r"gold\.csv, " + message):
        ev.read_gold(path, corpus().sentences)


def test_gold_in_a_corpus_folder_is_read_and_checked(tmp_path):
    import dataclasses
    folder = tmp_path / "annotations" / "reuse"
    folder.mkdir(parents=True)
    (folder / "sentences.csv").write_text(HEADER + "toi-s01,afp-s01,edited,\nzzz-s01,,new,\n",
                                          encoding="utf-8")
    with pytest.raises(GoldError, match=r"sentences\.csv, row 3, field 'sentence_id'"):
        ev.load_gold(dataclasses.replace(corpus(), root=tmp_path))


def test_score_names_sentences_it_cannot_score():
    gold = ev.load_gold(corpus())
    extra = pd.DataFrame({"sentence_id": ["toi-s99", "afp-s01"], "source_sentence_id": ["", ""],
                          "label": ["new", "new"]})
    with pytest.raises(ValueError, match=r"\['afp-s01', 'toi-s99'\]"):
        ev.score(results().labels, pd.concat([gold, extra]))
    with pytest.raises(ValueError, match="more than once.*toi-s01"):
        ev.score(results().labels, pd.concat([gold, gold[gold["sentence_id"] == "toi-s01"]]))


def test_scores_on_constructed_labels():
    gold = pd.DataFrame({"sentence_id": ["x1", "x2", "x3", "x4"],
                         "source_sentence_id": ["a1", "a2", "", ""],
                         "label": ["verbatim", "edited", "new", "new"]})
    pred = pd.DataFrame({"sentence_id": ["x1", "x2", "x3", "x4"],
                         "source_sentence_id": ["a1", "a9", "a3", ""],
                         "label": ["verbatim", "edited", "edited", "new"]})
    s = ev.score(pred, gold).set_index("label")
    # derived: gold {x1, x2}, predicted {x1, x2, x3}.
    assert s.loc["derived", ["gold", "predicted", "correct"]].tolist() == [2, 3, 2]
    # right source: predicted (x1, a1), (x2, a9), (x3, a3); only (x1, a1) is in the gold.
    assert s.loc["derived, right source", ["predicted", "correct"]].tolist() == [3, 1]
    assert s.loc["derived, right source", "recall"] == pytest.approx(0.5)
    assert s.loc["new", ["precision", "recall"]].tolist() == [1.0, 0.5]
    assert s.loc["edited", ["precision", "recall"]].tolist() == [0.5, 1.0]


def test_null_pairs_are_the_pairs_into_reports_annotated_all_new():
    gold = pd.DataFrame({"article_id": ["b", "b", "c", "d"],
                         "sentence_id": ["b1", "b2", "c1", "d1"],
                         "label": ["new", "new", "edited", "new"]})
    assert ev.null_pairs(gold, ["a", "b", "c", "d"]) == [("a", "b"), ("a", "d"), ("b", "d"),
                                                         ("c", "d")]
