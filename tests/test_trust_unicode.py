"""Unicode that cannot move offsets or hide text.

Two failure classes gave wrong results with no error:

- offsets taken on a case-folded copy of a text were used on the text itself, so after a
  Turkish "İ" (whose ``lower()`` is two code points) every label use had the wrong surface;
- invisible characters (soft hyphens, zero-width spaces and joiners) inside words split them,
  so a word-for-word copy carrying them was measured as mostly new text.
"""

from __future__ import annotations

import csv
import hashlib
import io
import warnings
import unicodedata
from pathlib import Path

import pandas as pd
import pytest
import regex
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis import framing as fr
from analysis import reuse
from analysis import text as tx
from analysis.cleaning import STEPS, clean, rebuild_raw
from analysis.corpus import CorpusWarning, load_corpus
from shared import BOOK

# --- helpers --------------------------------------------------------------------------------

SOURCE = (
    "Turkish troops shelled Syrian government positions in Idlib province on Monday after "
    "an air strike killed five soldiers near the town of Saraqeb. The defence ministry in "
    "Ankara said the army had hit dozens of targets and destroyed three tanks.\n\n"
    "Russia, which backs the government in Damascus, accused Turkey of supporting "
    "militants in the region and warned that the fighting could spread along the border. "
    "Hundreds of thousands of civilians have fled towards the frontier since December, "
    "the United Nations said in a statement on Tuesday.\n\n"
    "Officials from both countries will meet in Moscow next week to discuss a new "
    "ceasefire, a spokesman for the foreign ministry told reporters in the capital.\n"
)
INVISIBLE = ("\u00ad", "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff")


def hide(text: str, marks: tuple[str, ...] = INVISIBLE) -> str:
    """``text`` with an invisible character in the middle of every word of three letters or
    more (cycling through ``marks``): what a reader sees is the same text."""
    out, pos, k = [], 0, 0
    for s, e in tx.word_spans(text):
        if e - s >= 3:
            mid = s + (e - s) // 2
            out += [text[pos:mid], marks[k % len(marks)]]
            pos, k = mid, k + 1
    out.append(text[pos:])
    return "".join(out)


def corpus_of(tmp: Path, texts: dict[str, str]):
    """A corpus folder in ``tmp`` with one article per entry, a day apart, in that order."""
    root = tmp / "corpus"
    (root / "raw").mkdir(parents=True)
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["id", "file", "sha256", "outlet", "date", "headline"])
    for day, (ident, body) in enumerate(texts.items(), start=10):
        data = body.encode("utf-8")
        (root / "raw" / f"{ident}.txt").write_bytes(data)
        writer.writerow([ident, f"{ident}.txt", hashlib.sha256(data).hexdigest(),
                         f"Outlet {ident}", f"2020-02-{day}", ""])
    (root / "manifest.csv").write_text(out.getvalue(), encoding="utf-8")
    with warnings.catch_warnings():  # a copy identical after cleaning may be identical bytes too
        warnings.simplefilter("ignore", CorpusWarning)
        return load_corpus(root)


def derived_share(corpus, article_id: str) -> float:
    comp = reuse.composition(reuse.sentence_labels(corpus), corpus).set_index("article_id")
    return float(comp.loc[article_id, "derived_share"])


def _lex(rows):
    return fr.make_lexicon(pd.DataFrame(rows, columns=["group", "label", "surface"]))


LEX = [("state", "regime", "regime"), ("opposition", "rebels", "rebels"),
       ("opposition", "rebels", "rebel-held"), ("state", "Syrian army", "Syrian army"),
       ("act", "offensive", "İdlib offensive")]


# --- 1. offsets after case folding -----------------------------------------------------------

def test_fold_case_keeps_length_and_positions():
    text = "İstanbul ŞAHİN Straße ẞ ﬁnal ΣΟΦΊΑ Idlib"
    folded = tx.fold_case(text)
    assert len(folded) == len(text)
    assert folded == "istanbul şahin straße ß ﬁnal σοφία idlib"
    assert [tx.fold_case(c) for c in text] == list(folded)


def test_label_after_dotted_capital_i_keeps_its_surface():
    """Before: every use after "İ" was one character early ("the regim", " rebel")."""
    text = "İstanbul and İzmir heard that the regime shelled rebels near rebel-held Saraqeb."
    found = fr.find_labels(text, _lex(LEX))
    assert list(found["surface"]) == ["regime", "rebels", "rebel-held"]
    for row in found.itertuples():
        assert text[row.start:row.end] == row.surface


def test_label_with_dotted_capital_i_matches_every_spelling():
    """The lexicon form "İdlib offensive" is "idlib offensive" however the text writes it."""
    lex = _lex(LEX)
    for text in ("The İdlib offensive began.", "The Idlib offensive began.",
                 "THE IDLIB OFFENSIVE BEGAN.", "The İDLİB offensive began."):
        found = fr.find_labels(text, lex)
        assert list(found["label"]) == ["offensive"], text
        assert text[found["start"][0]:found["end"][0]] == found["surface"][0]
    assert lex.label_of("İDLİB OFFENSIVE") == "offensive"


def test_label_uses_in_a_corpus_with_dotted_capital_i(tmp_path):
    body = ("Officials in İstanbul said the regime had shelled rebels in the İdlib offensive, "
            "and the Syrian army denied it.\n")
    corpus = corpus_of(tmp_path, {"a": body})
    quotes = pd.DataFrame(columns=list(fr.QUOTE_COLUMNS))
    uses = fr.label_uses(corpus, _lex(LEX), quotes)
    text = corpus.text("a")
    assert list(uses["surface"]) == ["regime", "rebels", "İdlib offensive", "Syrian army"]
    assert all(text[s:e] == w for s, e, w in zip(uses["start"], uses["end"], uses["surface"]))


def test_match_form_folds_dotted_capital_i_to_plain_i():
    assert tx.match_form("İstanbul") == tx.match_form("ISTANBUL") == "istanbul"
    assert tx.match_form("İDLİB") == "idlib"
    assert tx.match_form("Syria’s") == "syria's"  # unchanged
    assert tx.match_form("Defence") == "defense"  # unchanged


# --- 2. invisible characters cannot hide a copy ----------------------------------------------

def test_invisible_characters_inside_words_do_not_hide_a_copy(tmp_path):
    """Before: the copy measured about 0.2 derived; a plain copy measures 1.0."""
    copy = hide(SOURCE)
    assert sum(copy.count(c) for c in INVISIBLE) > 60
    corpus = corpus_of(tmp_path, {"src": SOURCE, "plain": SOURCE, "hidden": copy})
    assert derived_share(corpus, "plain") >= 0.95
    assert derived_share(corpus, "hidden") >= 0.95
    assert corpus.text("hidden") == corpus.text("src")
    audit = corpus.edits[corpus.edits["article_id"] == "hidden"]
    assert set(audit["step"]) - {"whitespace"} == {"invisible_characters"}
    assert rebuild_raw(corpus.text("hidden"), audit) == copy


def test_look_alike_letters_do_not_hide_a_copy(tmp_path):
    """Ligatures, fullwidth and mathematical letters, exotic spaces and decomposed accents."""
    source = SOURCE.replace("Saraqeb", "Saraqéb")
    look_alike = (source.replace("fi", "\ufb01").replace("ff", "\ufb00")
                  .replace("army", "\uff41\uff52\uff4d\uff59")
                  .replace("Moscow", "\U0001d40c\U0001d428\U0001d42c\U0001d41c\U0001d428"
                           "\U0001d430")
                  .replace("Saraqéb", "Saraqe\u0301b").replace(" the ", "\u2002the\u2009"))
    corpus = corpus_of(tmp_path, {"src": source, "copy": look_alike})
    assert corpus.text("copy") == corpus.text("src")
    assert derived_share(corpus, "copy") >= 0.95
    audit = corpus.edits[corpus.edits["article_id"] == "copy"]
    assert {s for step in audit["step"] for s in step.split("+")} - {"whitespace"} == {
        "compatibility_characters", "canonical_composition", "unicode_spaces"}
    assert rebuild_raw(corpus.text("copy"), audit) == look_alike


@pytest.mark.parametrize("raw, text, steps", [
    ("co\u00adpied", "copied", ["invisible_characters"]),
    ("zero\u200b\u200bwidth", "zerowidth", ["invisible_characters"]),
    ("word\u2060joiner and\u200dJoiner", "wordjoiner andJoiner", ["invisible_characters"] * 2),
    ("right-to-left \u202eoverride\u202c in Latin", "right-to-left override in Latin",
     ["invisible_characters"] * 2),
    ("mark\u200e in a Latin line", "mark in a Latin line", ["invisible_characters"]),
    ("emoji variation after a letter: a\ufe0fb", "emoji variation after a letter: ab",
     ["invisible_characters"]),
    ("hid\U000e0068\U000e0069den tags", "hidden tags", ["invisible_characters"]),
    ("Hangul\u3164filler", "Hangulfiller", ["invisible_characters"]),
    ("C1 con\x9btrol", "C1 control", ["control_characters"]),
    ("next\x85line", "next\n\nline", ["whitespace+line_endings"]),
    ("\ufb01nal \uff43\uff4f\uff50\uff59", "final copy", ["compatibility_characters"] * 2),
    ("\U0001d42c\U0001d432\U0001d42b\U0001d422\U0001d41a", "syria",
     ["compatibility_characters"]),
    ("cafe\u0301 and \u212b", "caf\u00e9 and \u00c5", ["canonical_composition"] * 2),
    ("one\u2003two\u3000three", "one two three", ["unicode_spaces"] * 2),
    ("line\u2028next\u2029para", "line\n\nnext\n\npara", ["whitespace+line_endings"] * 2),
])
def test_look_alike_and_invisible_characters_are_audited_steps(raw, text, steps):
    cleaned = clean(raw)
    assert cleaned.text == text
    assert sorted(cleaned.edits()["step"]) == sorted(steps)
    assert rebuild_raw(cleaned.text, cleaned.edits()) == raw


@pytest.mark.parametrize("raw", [
    "Persian: \u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645",  # ZWNJ between Arabic letters
    "Hindi: \u0915\u094d\u200d\u0937",  # ZWJ after a virama
    "Malayalam: \u0d28\u0d4d\u200d \u0d15",  # ZWJ ending a word (a chillu letter)
    "family: \U0001f468\u200d\U0001f469\u200d\U0001f467",  # emoji ZWJ sequence
    "heart on fire: \u2764\ufe0f\u200d\U0001f525",  # VS16 then ZWJ
    "flag: \U0001f3f4\U000e0067\U000e0062\U000e0073\U000e0063\U000e0074\U000e007f",
    "Hebrew \u05e9\u05dc\u05d5\u05dd\u200f, then Latin",  # RLM after right-to-left letters
    "ideograph variant \u8fbb\U000e0100",  # ideographic variation sequence
    "keycap 1\ufe0f\u20e3",
    "Arabic number sign \u0600\u0661\u0662",  # a visible mark: not format noise
    "Mongolian \u1820\u180b\u1821",
    "ellipsis \u2026 and one half \u00bd and 2\u00b2 stay",
])
def test_characters_that_matter_in_their_script_are_kept(raw):
    cleaned = clean(raw)
    assert cleaned.text == raw
    assert cleaned.edits().empty


@pytest.mark.parametrize("line, headline", [
    ("Storm\u00ad hits Idlib", "Storm\u00ad hits Idlib"),  # both: found before the new steps
    ("Storm\u00ad hits Idlib", "Storm hits Idlib"),
    ("Storm hits Idlib", "Storm hits Id\u200blib"),
    ("Storm hits \u00cddlib", "Storm hits I\u0301dlib"),
    ("Storm\u2003hits \uff29dlib", "Storm\u2003hits \uff29dlib"),
])
def test_headline_is_found_however_its_invisible_characters_are_written(line, headline):
    """The manifest headline is cleaned like the text before it is looked for."""
    raw = f"{line}\nRain fell.\n"
    cleaned = clean(raw, {"headline": headline})
    assert cleaned.text == "Rain fell."
    assert rebuild_raw(cleaned.text, cleaned.edits()) == raw


def test_new_steps_leave_the_five_texts_unchanged():
    """None of the book's raw texts holds an invisible, look-alike or decomposed character."""
    corpus = load_corpus(BOOK)
    new = {"invisible_characters", "canonical_composition", "compatibility_characters",
           "unicode_spaces"}
    old_steps = [s for s in STEPS if s.name not in new]
    for row in corpus.articles.itertuples():
        before = clean(row.raw_text, corpus.articles.set_index("id").loc[row.id].to_dict(),
                       old_steps)
        assert corpus.text(row.id) == before.text, row.id
        assert not set(corpus.edits.loc[corpus.edits["article_id"] == row.id, "step"]) & new


# --- 3. properties ---------------------------------------------------------------------------

SPECIAL = ["İ", "ı", "ß", "ẞ", "\ufb01", "\u0301", "\u0307", "e\u0301", "Σ", "ς",
           "\U0001d400", "\U0001f600", "\U0001f468\u200d\U0001f469", "\u00ad", "\u200b", "\u200c", "\u200d",
           "\u2060", "\ufeff", "\u200e", "\u202e", "\u2066", "\ufe0f", "\U000e0041", "\r\n",
           "\r", "\x00", "\x85", "\u2028", "\u00a0", "\u2003", "\uff21", "\u05d0", "\u0627",
           "\u0915\u094d", "\u1100", "\u1161", "\uac00", "\u3164", "Idlib", "regime", "rebels",
           " ", "\n", "\n\n", ". ", "’", "”", "—", "a", "Z", "9"]
UNICODE_TEXT = st.lists(
    st.one_of(st.sampled_from(SPECIAL),
              st.text(st.characters(blacklist_categories=("Cs",)), max_size=4)),
    max_size=40).map("".join)


@settings(max_examples=400, deadline=None)
@given(UNICODE_TEXT)
def test_fold_case_keeps_every_offset(text):
    folded = tx.fold_case(text)
    assert len(folded) == len(text)
    for i, c in enumerate(text):
        assert folded[i] == tx.fold_case(c)
        one = c.casefold() if len(c.casefold()) == 1 else c.lower()
        assert folded[i] == (one if len(one) == 1 else c.lower()[0])
    # a match found in the fold is the same characters, folded, in the text
    for m in regex.finditer(r"[^\W\d_]+", folded):
        assert tx.fold_case(text[m.start():m.end()]) == m.group()


NEVER_TEXT = regex.compile(r"[\u00ad\u200b\u2060\ufeff\u3164\U000e0001"
                               r"\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\r]")


@settings(max_examples=400, deadline=None)
@given(UNICODE_TEXT)
def test_cleaning_any_unicode_keeps_offsets(raw):
    cleaned = clean(raw, {"headline": "Idlib"})
    text, audit = cleaned.text, cleaned.edits()
    assert rebuild_raw(text, audit) == raw
    for piece in cleaned.pieces:
        if piece.kept:
            assert raw[piece.raw_start:piece.raw_end] == piece.text
    # no character that is never text survives, and the text is in canonical composed form
    assert not NEVER_TEXT.search(text), ascii(text)
    assert unicodedata.is_normalized("NFC", text)
    # every word points back at the same characters of the raw text
    piece_at: dict[int, int] = {}  # clean offset -> index of the kept piece holding it
    pos = 0
    for n, piece in enumerate(cleaned.pieces):
        if piece.kept:
            piece_at.update((i, n) for i in range(pos, pos + len(piece.text)))
        pos += len(piece.text)
    for s, e in tx.word_spans(text):
        for i in range(s, e):
            if i in piece_at:
                assert raw[cleaned.to_raw(i)] == text[i]
        if len({piece_at.get(i, -1) for i in range(s, e)} - {-1}) == 1 and all(
                i in piece_at for i in range(s, e)):
            assert raw[cleaned.to_raw(s):cleaned.to_raw(e, end=True)] == text[s:e]


LABELS = _lex(LEX)


@settings(max_examples=300, deadline=None)
@given(UNICODE_TEXT, UNICODE_TEXT, st.sampled_from(["regime", "Rebels", "REBEL-HELD",
                                                     "Syrian  army", "İdlib offensive",
                                                     "IDLIB OFFENSIVE"]))
def test_labels_after_any_unicode_report_their_own_surface(before, after, label):
    text = f"{before}İ {label} {after}"
    found = fr.find_labels(text, LABELS)
    forms = set(LABELS.entries["surface"])
    for row in found.itertuples():
        assert text[row.start:row.end] == row.surface
        assert fr._normal(row.surface) in forms
        assert LABELS.label_of(row.surface) == row.label
    at = len(before) + 2
    assert at in set(found["start"]) or any(s < at < e for s, e in zip(found["start"],
                                                                       found["end"]))

