"""Cleaning: the real defects of the five texts, and the audit trail that loses nothing."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.cleaning import (STEPS, CleaningStep, Piece, _replace, _replace_all, clean,
                               rebuild_raw)
from analysis.corpus import load_corpus
from shared import BOOK


@pytest.fixture(scope="module")
def corpus():
    return load_corpus(BOOK)


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


# Scraper damage plus what editors save: a byte-order mark, CR LF / CR line ends, NUL bytes.
SCRAPED = st.lists(st.sampled_from(list("ab Syria.s\n\u00a0”“\"'ATd-,0\ufeff\r\x00") + [
    "date 2020-02-20 ", " s ", "leave a reply:", "Source: x.com", "Get it by email Sign Up",
    "1 March, 2020\n", "X contributed to this report.", "\r\n", "\ufeffSyria\r\n"]),
    max_size=40).map("".join)


@settings(max_examples=300, deadline=None)
@given(SCRAPED)
def test_any_text_is_rebuilt_exactly(raw):
    cleaned = clean(raw, {"headline": "Syria"})
    assert rebuild_raw(cleaned.text, cleaned.edits()) == raw
    for piece in cleaned.pieces:
        if piece.kept:
            assert raw[piece.raw_start:piece.raw_end] == piece.text
    assert not {"\ufeff", "\r", "\x00"} & set(cleaned.text)


@pytest.mark.parametrize("raw, steps", [
    ("\ufeffSyria\nRain fell.\n", ["byte_order_mark", "headline", "whitespace"]),
    ("Syria\r\nRain fell.\r\n", ["headline+line_endings", "whitespace+line_endings"]),
    ("Rain\x00 fell.", ["control_characters"]),
])
def test_saved_file_defects_are_cleaning_steps_with_audit_rows(raw, steps):
    cleaned = clean(raw, {"headline": "Syria"})
    assert cleaned.text == "Rain fell."
    assert sorted(cleaned.edits()["step"]) == sorted(steps)
    assert rebuild_raw(cleaned.text, cleaned.edits()) == raw


def test_decoded_file_gets_a_decode_row_that_changes_nothing():
    cleaned = clean("Café.", encoding="cp1252")
    audit = cleaned.edits()
    assert audit["step"].tolist() == ["decode"] and "cp1252" in audit["reason"][0]
    assert rebuild_raw(cleaned.text, audit).encode("cp1252") == b"Caf\xe9."


def _replace_one_by_one(pieces, spans, step):
    """The reference: replace each span over the whole piece list, right to left."""
    for start, end, new in reversed(spans):
        pieces = _replace(pieces, start, end, new, step, step)
    return pieces


@st.composite
def _edit_rounds(draw):
    raw = draw(st.text("abcdef", max_size=14))
    rounds = []
    for _ in range(draw(st.integers(1, 4))):
        cuts = sorted(draw(st.lists(st.integers(0, 40), max_size=8)))
        rounds.append((cuts, draw(st.lists(st.sampled_from(["", "X", "YZ"]), min_size=8,
                                           max_size=8))))
    return raw, rounds


@settings(max_examples=400, deadline=None)
@given(_edit_rounds())
def test_batched_replacement_equals_one_by_one(case):
    """``_replace_all`` (linear) leaves exactly the pieces of ``_replace`` span by span."""
    raw, rounds = case
    pieces = [Piece(0, len(raw), raw)] if raw else []
    for n, (cuts, news) in enumerate(rounds):
        text = "".join(p.text for p in pieces)
        bounds = [min(c, len(text)) for c in cuts]
        spans = [(s, e, new) for (s, e), new in zip(zip(bounds[::2], bounds[1::2]), news)
                 if text[s:e] != new]
        expected = _replace_one_by_one(list(pieces), spans, f"s{n}")
        assert _replace_all(list(pieces), spans, f"s{n}", f"s{n}") == expected
        pieces = expected


@settings(max_examples=200, deadline=None)
@given(SCRAPED)
def test_to_raw_equals_a_scan_of_the_pieces(raw):
    cleaned = clean(raw, {"headline": "Syria"})

    def scan(pos):
        start = 0
        for p in cleaned.pieces:
            if pos < start + len(p.text):
                return p.raw_start + (pos - start if p.kept else 0)
            start += len(p.text)
        return len(raw)

    for pos in range(len(cleaned.text) + 2):
        assert cleaned.to_raw(pos) == scan(pos)
        assert cleaned.to_raw(pos, end=True) == (scan(pos - 1) + 1 if pos > 0 else scan(0))
