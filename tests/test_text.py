"""Tests of the matching-form additions to analysis.text."""

import pytest

from analysis import text
from analysis.corpus import load_corpus


def test_match_form_folds_case_quotes_and_spelling():
    assert text.match_form("Defence") == text.match_form("DEFENSE") == "defense"
    assert text.match_form("programme") == "program"
    assert text.match_form("Syria’s") == text.match_form("Syria's")
    assert text.match_form("rebels") == "rebels"


def test_custom_variant_table_is_used():
    assert text.match_form("colour", {}) == "colour"
    assert text.match_form("colour", {"colour": "color"}) == "color"


def test_tokens_carry_offsets_into_the_clean_text():
    corpus = load_corpus()
    for aid in corpus.articles["id"]:
        body = corpus.text(aid)
        toks = text.tokens(body)
        assert [t.text for t in toks] == text.words(body)
        assert all(body[t.start:t.end] == t.text for t in toks)


def test_table_holds_every_pair_seen_in_the_reports():
    table = text.spelling_variants()
    for british, american in [("defence", "defense"), ("programme", "program"),
                              ("armoured", "armored"), ("criticised", "criticized")]:
        assert table[british] == american


def test_bad_variant_tables_are_refused(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("uk,us\ncolour,color\n", encoding="utf-8")
    with pytest.raises(ValueError, match="british"):
        text.spelling_variants(bad)
    twice = tmp_path / "twice.csv"
    twice.write_text("british,american\ncolour,color\ncolour,colr\n", encoding="utf-8")
    with pytest.raises(ValueError, match="mapped twice"):
        text.spelling_variants(twice)
