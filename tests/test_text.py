"""Tests of the matching-form additions to analysis.text."""

import pytest

from analysis import text
from analysis.corpus import load_corpus
from shared import BOOK


def test_match_form_folds_case_quotes_and_spelling():
    assert text.match_form("Defence") == text.match_form("DEFENSE") == "defense"
    assert text.match_form("programme") == "program"
    assert text.match_form("Syria’s") == text.match_form("Syria's")
    assert text.match_form("rebels") == "rebels"


def test_custom_variant_table_is_used():
    assert text.match_form("colour", {}) == "colour"
    assert text.match_form("colour", {"colour": "color"}) == "color"


def test_tokens_carry_offsets_and_forms_counted_by_hand():
    # Offsets counted by hand: "The"=0-3, "Defence"=4-11, "ministry’s"=12-22, "S-400"=23-28,
    # "deal"=29-33, then ", " and "worth"=35-40, "2.5"=41-44, "billion"=45-52.
    got = text.tokens("The Defence ministry’s S-400 deal, worth 2.5 billion.")
    assert got == [
        text.Token("The", 0, 3, "the"), text.Token("Defence", 4, 11, "defense"),
        text.Token("ministry’s", 12, 22, "ministry's"), text.Token("S-400", 23, 28, "s-400"),
        text.Token("deal", 29, 33, "deal"), text.Token("worth", 35, 40, "worth"),
        text.Token("2.5", 41, 44, "2.5"), text.Token("billion", 45, 52, "billion"),
    ]


def test_tokens_on_a_report_find_a_known_word_where_str_find_does():
    body = load_corpus(BOOK).text("afp")
    pos = body.find("criticised")  # the only occurrence in the wire copy
    hits = [t for t in text.tokens(body) if t.start == pos]
    assert hits == [text.Token("criticised", pos, pos + len("criticised"), "criticized")]


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


def test_cached_table_is_read_only():
    table = text.spelling_variants()
    with pytest.raises(TypeError):
        table["defence"] = "changed"
    with pytest.raises(TypeError):
        del table["defence"]
    assert text.spelling_variants()["defence"] == "defense"
    assert text.match_form("Defence") == "defense"


def test_short_and_long_rows_name_file_and_row(tmp_path):
    short = tmp_path / "short.csv"
    short.write_text("british,american\ncolour,color\nfavour\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"short\.csv, row 3: too few fields"):
        text.spelling_variants(short)
    long = tmp_path / "long.csv"
    long.write_text("british,american\ncolour,color,colr\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"long\.csv, row 2: more fields"):
        text.spelling_variants(long)
    empty = tmp_path / "empty.csv"
    empty.write_text("british,american\ncolour,color\n ,color\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"empty\.csv, row 3: empty form"):
        text.spelling_variants(empty)


def test_word_spans_equal_nltk_regexp_tokenizer_on_the_reports():
    """Words come from the same pattern and engine as nltk's RegexpTokenizer, minus its guard."""
    from nltk.tokenize import RegexpTokenizer

    reference = RegexpTokenizer(text.WORD_PATTERN)
    corpus = load_corpus(BOOK)
    for aid in corpus.cleaned:
        body = corpus.text(aid)
        assert text.word_spans(body) == list(reference.span_tokenize(body)), aid
    odd = "Ko\u0308ln's 3,000-strong e\u0301lite_corps ran; 2nd X\ufeffY"
    assert text.word_spans(odd) == list(reference.span_tokenize(odd))


def test_a_quote_left_open_joins_every_later_sentence():
    para = 'He said "we go. They stay. All of them. Then he left.'
    assert text.sentence_spans(para) == [(0, len(para))]
    closed = 'He said "we go." They stay. Then he left.'
    assert [closed[s:e] for s, e in text.sentence_spans(closed)] == [
        'He said "we go."', "They stay.", "Then he left."]
