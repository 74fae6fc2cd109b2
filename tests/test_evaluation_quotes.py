"""analysis.evaluation.quotes: gold loading, span matching, scores with and without the table,
on the speech the pipeline's voices stage stored."""

import shutil

import pandas as pd
import pytest

from analysis import pipeline
from analysis.corpus import load_corpus
from analysis.evaluation import GoldError
from analysis.evaluation import quotes as ev
from shared import BOOK


@pytest.fixture(scope="module")
def run_(tmp_path_factory):
    return pipeline.run(BOOK, tmp_path_factory.mktemp("quotes") / "run", stages=("voices",))


@pytest.fixture(scope="module")
def corpus(run_):
    return run_.corpus()


@pytest.fixture(scope="module")
def table(run_):
    return run_.table("speakers")


@pytest.fixture(scope="module")
def found(run_, table):
    """The two settings, from the stored tables."""
    return ev.settings(ev.Found(run_.table("quotes"), run_.table("reported_speech")),
                       ev.Found(run_.table("quotes_without_table"),
                                run_.table("reported_without_table")), table)


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


def test_canonical_maps_aliases_through_the_table():
    table = pd.DataFrame({"name": ["Turkish government", "Hulusi Akar"],
                          "aliases": ["Turkey;Ankara", "Hulusi Akar;Akar"]})
    names = pd.Series(["Ankara", "The Turkey", "Akar", "Hulusi Akar", "Sergei Lavrov", "unknown"])
    assert ev.canonical(names, table).tolist() == [
        "Turkish government", "Turkish government", "Hulusi Akar", "Hulusi Akar",
        "Sergei Lavrov", "unknown"]
    assert ev.canonical(names, None).tolist() == names.tolist()


def test_settings_map_only_the_names_found_without_the_table():
    table = pd.DataFrame({"name": ["Turkish government"], "aliases": ["Turkey;Ankara"]})
    q = pd.DataFrame({"speaker": ["Ankara"], "start": [0]})
    r = pd.DataFrame({"speaker": ["Turkey"], "sentence_id": ["s1"]})
    both = ev.settings(ev.Found(q, r), ev.Found(q, r), table)
    assert both["with table"].quotes["speaker"].tolist() == ["Ankara"]
    assert both["without table"].quotes["speaker"].tolist() == ["Turkish government"]
    assert both["without table"].reported["speaker"].tolist() == ["Turkish government"]


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


def test_gold_speaker_must_be_in_the_table(tmp_path):
    corpus = copy_corpus(tmp_path, [["reported", "afp", "afp-s01", "", "", "Nobody Listed", "",
                                     "", ""]])
    table = pd.DataFrame({"name": ["Hulusi Akar"], "aliases": ["Akar"]})
    with pytest.raises(GoldError, match=r"row 2, field 'speaker'"):
        ev.load_gold(corpus, table)
    assert len(ev.load_gold(corpus)) == 1  # without a table any name is accepted


def test_against_hand_annotation_with_and_without_table(corpus, table, found):
    gold = ev.load_gold(corpus, table)
    t = ev.scores_table(found, gold).set_index(["measure", "setting"])
    for setting in ("with table", "without table"):
        assert t.loc[("quote spans, partial match", setting), "f1"] >= 0.9
        assert t.loc[("quote speaker (matched quotations)", setting), "accuracy"] >= 0.8
        assert t.loc[("reported speech, sentence + speaker", setting), "f1"] >= 0.85
    # The settings are scored on different stored tables: names as printed that the table
    # does not list count as wrong, so without it reported speech scores lower here.
    assert (t.loc[("reported speech, sentence + speaker", "with table"), "f1"]
            > t.loc[("reported speech, sentence + speaker", "without table"), "f1"])


def test_without_the_key_names_as_printed_miss_the_annotation(corpus, table, run_, found):
    """The stored names as printed, not mapped through the table's aliases, lose speakers: the
    mapping is what makes the second setting comparable with the annotation."""
    gold = ev.load_gold(corpus, table)
    as_printed = run_.table("quotes_without_table")
    correct, matched = ev.speaker_agreement(as_printed, gold)
    mapped, matched_too = ev.speaker_agreement(found["without table"].quotes, gold)
    assert matched == matched_too and correct < mapped


def test_error_table_names_the_garbled_sentence(corpus, table, found):
    errors = ev.error_table(corpus, found["with table"], ev.load_gold(corpus, table))
    garbled = errors[errors["sentence_id"] == "anon-004-s02"]
    assert set(garbled["error"]) == {"missed", "spurious"}
    assert "Turkish government" not in set(garbled["annotated"])  # the Turkish voice is found
