"""Tests for analysis.evaluation.claims: reading the hand annotation and scoring against it."""

from __future__ import annotations

import shutil

import pandas as pd
import pytest

from analysis.corpus import load_corpus
from analysis.evaluation import GoldError, Scores
from analysis.evaluation import claims as E
from shared import BOOK

GOLD = BOOK / "annotations" / "claims" / "claims.csv"


def test_annotation_loads_and_locates_every_surface(corpus):
    gold = E.load_gold(corpus)
    assert len(gold) > 0
    for r in gold.itertuples():
        assert corpus.text(r.article_id)[r.start:r.end] == r.surface


def test_no_annotation_folder_gives_none(tmp_path):
    for name in ("manifest.csv", "raw"):
        src = BOOK / name
        (shutil.copytree if src.is_dir() else shutil.copy)(src, tmp_path / name)
    assert E.load_gold(load_corpus(tmp_path)) is None


def test_bad_annotation_files_raise(tmp_path, corpus):
    good = pd.read_csv(GOLD, dtype=str, keep_default_na=False)
    good.drop(columns=["counted"]).to_csv(tmp_path / "a.csv", index=False)
    with pytest.raises(GoldError, match="field 'counted'"):
        E.read_gold(tmp_path / "a.csv")
    bad = good.copy()
    bad.loc[0, "surface"] = "no such words"
    bad.to_csv(tmp_path / "b.csv", index=False)
    with pytest.raises(GoldError, match="row 2, field 'surface'.*not found exactly once"):
        E.read_gold(tmp_path / "b.csv", corpus=corpus)
    bad = good.copy()
    bad.loc[3, "sentence_id"] = "nope-s01"
    bad.to_csv(tmp_path / "c.csv", index=False)
    with pytest.raises(GoldError, match="row 5, field 'sentence_id'"):
        E.read_gold(tmp_path / "c.csv", corpus=corpus)


@pytest.mark.parametrize("row, col, bad, message", [
    (0, "value", "lots", "'lots' is not a number"),
    (3, "low", "1O", "'1O' is not a number"),
    (5, "high", "nan", "'nan' is not a number"),
    (1, "exact", "yes", "'yes' is not True or False"),
    (7, "exact", "", "'' is not True or False"),
    (2, "date_start", "2020-02-30", "'2020-02-30' is not a date (YYYY-MM-DD)"),
    (4, "date_end", "20/02/2020", "'20/02/2020' is not a date (YYYY-MM-DD)"),
    (6, "date_end", "", "'' is not a date (YYYY-MM-DD)"),
])
def test_bad_annotation_fields_name_file_row_and_field(tmp_path, row, col, bad, message):
    frame = pd.read_csv(GOLD, dtype=str, keep_default_na=False)
    frame.loc[row, col] = bad
    path = tmp_path / "bad.csv"
    frame.to_csv(path, index=False)
    # the header is row 1 of the file, so frame row 0 is file row 2
    with pytest.raises(GoldError) as err:
        E.read_gold(path)
    assert str(err.value) == f"{path}, row {row + 2}, field '{col}': {message}"
    assert (err.value.row, err.value.field) == (row + 2, col)


def test_annotation_fields_are_typed(tmp_path):
    rows = pd.read_csv(GOLD, dtype=str, keep_default_na=False).iloc[:2].copy()
    rows["value"], rows["low"], rows["high"] = ["5", ""], ["", "14"], ["", ""]
    rows["exact"] = ["True", "False"]
    rows["date_start"] = ["2019-12-28", "2020-02-29"]
    rows["date_end"] = ["2020-01-03", "2020-03-01"]
    rows.to_csv(tmp_path / "ok.csv", index=False)
    a = E.read_gold(tmp_path / "ok.csv")
    assert a["value"].iloc[0] == 5.0 and pd.isna(a["value"].iloc[1])
    assert pd.isna(a["low"].iloc[0]) and a["low"].iloc[1] == 14.0
    assert list(a["exact"]) == [True, False] and a["exact"].dtype == bool
    assert list(a["date_start"]) == [pd.Timestamp("2019-12-28"), pd.Timestamp("2020-02-29")]


def test_scores_count_extra_and_missed_claims(corpus, extracted):
    gold = E.load_gold(corpus)
    assert isinstance(E.scores(extracted, gold), Scores)
    assert E.scores(extracted.iloc[1:], gold).fn >= 1
    extra = pd.concat([extracted, extracted.iloc[[0]].assign(start=0, end=1,
                                                             sentence_id="afp-s01")])
    s = E.scores(extra.reset_index(drop=True), gold)
    assert s.fp >= 1 and s.precision < 1
    assert E.field_accuracy(extracted.assign(counted="tanks"), gold)["counted"] < 0.5


def test_errors_list_each_disagreement(corpus, extracted):
    gold = E.load_gold(corpus)
    wrong = E.errors(extracted.assign(event="held"), gold)
    assert (wrong["problem"].str.contains("event")).sum() >= len(gold) - 3
    missed = E.errors(extracted.iloc[1:], gold)
    assert "missed" in set(missed["problem"])
