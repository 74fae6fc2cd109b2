"""Cleaning: the real defects of the five texts, and the audit trail that loses nothing."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.cleaning import STEPS, CleaningStep, clean, rebuild_raw
from analysis.corpus import load_corpus


@pytest.fixture(scope="module")
def corpus():
    return load_corpus()


def test_raw_rebuilt_exactly_from_kept_and_removed(corpus):
    for row in corpus.articles.itertuples():
        audit = corpus.edits[corpus.edits["article_id"] == row.id]
        assert rebuild_raw(row.text, audit) == row.raw_text, row.id


def test_kept_pieces_are_verbatim_raw(corpus):
    for aid, cleaned in corpus.cleaned.items():
        for piece in cleaned.pieces:
            if piece.kept:
                assert cleaned.raw[piece.raw_start:piece.raw_end] == piece.text, aid


def test_every_edit_names_step_and_reason(corpus):
    names = {s.name for s in STEPS}
    for row in corpus.edits.itertuples():
        assert set(row.step.split("+")) <= names
        assert row.reason


def test_metadata_prefix_removed(corpus):
    toi = corpus.text("toi")
    assert toi.startswith("ANKARA, Turkey")
    assert "date 2020-02-20" in corpus.articles.set_index("id").loc["toi", "raw_text"]


def test_promo_and_trailers_removed(corpus):
    joined = "\n".join(corpus.text(a) for a in corpus.cleaned)
    for boilerplate in ("Sign Up", "leave a reply", "contributed to this report",
                        "Source: the-japan-news.com"):
        assert boilerplate not in joined
    removed = " ".join(corpus.edits["removed"])
    assert "Steve Herman contributed to this report." in removed


def test_headlines_and_date_line_leave_the_body(corpus):
    for row in corpus.articles.itertuples():
        if row.headline:
            assert row.headline not in row.text, row.id
    assert not corpus.text("anon-004").startswith("01 March")


def test_dropped_apostrophes_restored(corpus):
    afp = corpus.text("afp")
    assert not re.search(r"[A-Za-z] s\b", afp)
    for fixed in ("Syrian ally's months-long", "Germany's Angela Merkel", "country's former"):
        assert fixed in afp


def test_run_together_paragraphs_split(corpus):
    voa = corpus.text("voa")
    assert not re.search(r"[a-z][.!?][A-Z]", voa)
    paragraphs = voa.split("\n\n")
    assert any(p.startswith("Ankara’s assault came") for p in paragraphs)
    assert any(p == "Western support?" for p in paragraphs)


def test_damaged_opening_quote_starts_its_paragraph(corpus):
    """``spoke.”Turkish forces`` : the mark opens a quote, so the break goes before it."""
    paragraphs = corpus.text("voa").split("\n\n")
    assert any(p.startswith("”Turkish forces destroyed") for p in paragraphs)
    assert any(p.startswith("”The two leaders will meet") for p in paragraphs)


def test_closing_quote_stays_with_its_sentence():
    cleaned = clean("He said “we will go.”Then he left.")
    assert cleaned.text == "He said “we will go.”\n\nThen he left."


def test_no_nbsp_or_margin_whitespace(corpus):
    for aid in corpus.cleaned:
        text = corpus.text(aid)
        assert "\u00a0" not in text
        assert text == text.strip()
        for paragraph in text.split("\n\n"):
            assert paragraph and paragraph == paragraph.strip() and "\n" not in paragraph, aid


def test_curly_quotes_kept_for_display(corpus):
    assert "“face-off”" in corpus.text("toi")


def test_to_raw_maps_kept_text(corpus):
    sentences = corpus.sentences
    for row in sentences.itertuples():
        raw = corpus.cleaned[row.article_id].raw
        if raw[row.raw_start:row.raw_end] == row.text:
            continue
        # a sentence whose raw span differs must contain an edit (e.g. a restored apostrophe)
        edits = corpus.edits[(corpus.edits["article_id"] == row.article_id)
                             & (corpus.edits["clean_start"] < row.end)
                             & (corpus.edits["clean_end"] > row.start)]
        assert len(edits), row.sentence_id


def test_overlapping_steps_are_merged_not_lost():
    first = CleaningStep("one", "first", lambda t, m: [(2, 5, "X")])
    second = CleaningStep("two", "second", lambda t, m: [(0, 4, "")])
    cleaned = clean("abcdefgh", steps=[first, second])
    assert cleaned.text == "gh"
    assert rebuild_raw(cleaned.text, cleaned.edits()) == "abcdefgh"
    assert cleaned.edits()["step"].tolist() == ["two+one"]
    assert cleaned.edits()["removed"].tolist() == ["abcdef"]


def test_insertion_inside_an_edited_piece():
    first = CleaningStep("one", "first", lambda t, m: [(1, 3, "XYZ")])
    second = CleaningStep("two", "second", lambda t, m: [(2, 2, "-")])
    cleaned = clean("abcd", steps=[first, second])
    assert cleaned.text == "aX-YZd"
    assert rebuild_raw(cleaned.text, cleaned.edits()) == "abcd"


def test_overlapping_spans_from_one_step_rejected():
    bad = CleaningStep("bad", "overlaps", lambda t, m: [(0, 3, ""), (2, 4, "")])
    with pytest.raises(ValueError, match="bad"):
        clean("abcdef", steps=[bad])


SCRAPED = st.lists(st.sampled_from(list("ab Syria.s\n\u00a0”“\"'ATd-,0") + [
    "date 2020-02-20 ", " s ", "leave a reply:", "Source: x.com", "Get it by email Sign Up",
    "1 March, 2020\n", "X contributed to this report."]), max_size=40).map("".join)


@settings(max_examples=300, deadline=None)
@given(SCRAPED)
def test_any_text_is_rebuilt_exactly(raw):
    cleaned = clean(raw, {"headline": "Syria"})
    assert rebuild_raw(cleaned.text, cleaned.edits()) == raw
    for piece in cleaned.pieces:
        if piece.kept:
            assert raw[piece.raw_start:piece.raw_end] == piece.text
