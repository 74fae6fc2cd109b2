"""Loading real folders: hard-wrapped archives reflowed, page chrome and wire signatures removed,
each change an audit row, and texts that are not wrapped left exactly as they were.

The fixtures in ``tests/fixtures/scraped/`` are written by hand (fiction, no site's text):
``wrapped.txt`` is a wire item wrapped at 64 columns with an expected clean text beside it,
``page.txt`` a scraped page whose chrome lines ``chrome.csv`` lists with the step that must
remove each.
"""

from __future__ import annotations

import csv
import time
from pathlib import Path

import pytest

from analysis.cleaning import STEPS, clean, rebuild_raw, wrap_width
from analysis.corpus import load_corpus
from shared import BOOK

FIXTURES = Path(__file__).resolve().parent / "fixtures"
SCRAPED = FIXTURES / "scraped"
WRAPPED_HEADLINE = "BRENNICK PORT TO REOPEN FRIDAY AFTER FLOOD"
PAGE_HEADLINE = "Flood barrier gives way at Brennick harbour"


def steps_of(edits) -> list[set[str]]:
    return [set(s.split("+")) for s in edits["step"]]


def without(name: str):
    return tuple(s for s in STEPS if s.name != name)


# --- reflow ---------------------------------------------------------------------------------

def test_wrapped_item_comes_out_as_its_paragraphs():
    raw = (SCRAPED / "wrapped.txt").read_text(encoding="utf-8")
    expected = (SCRAPED / "wrapped.expected.txt").read_text(encoding="utf-8").rstrip("\n")
    cleaned = clean(raw, {"headline": WRAPPED_HEADLINE})
    assert cleaned.text == expected
    edits = cleaned.edits()
    joins = edits[[("reflow" in s) for s in steps_of(edits)]]
    assert len(joins) == 11  # line breaks inside the six prose paragraphs
    assert set(joins["inserted"]) == {" ", ""}  # "well-" + "known": the hyphen is kept, no space
    assert rebuild_raw(cleaned.text, edits) == raw


def test_without_the_reflow_step_the_item_is_a_paragraph_per_line():
    raw = (SCRAPED / "wrapped.txt").read_text(encoding="utf-8")
    text = clean(raw, {"headline": WRAPPED_HEADLINE}, without("reflow")).text
    assert len(text.split("\n\n")) == 23  # one per line


def test_wrap_width_is_found_from_the_lines():
    body = (SCRAPED / "wrapped.txt").read_text(encoding="utf-8").split("\n", 1)[1]
    assert wrap_width(body) == 64


def test_table_of_figures_is_not_joined():
    raw = (SCRAPED / "wrapped.txt").read_text(encoding="utf-8")
    paragraphs = clean(raw, {"headline": WRAPPED_HEADLINE}).text.split("\n\n")
    for row in ("Stored Damaged Moved", "Wheat 41.5 2.1 12.0", "Maize 9.9 nil 1.1",
                "Barges 14 vs 31", "Tonnes 8,200 vs 19,400"):
        assert row in paragraphs


BLANK_LINES = """\
The harbour master said the lock gates were checked by divers on
Tuesday and that no damage had been found, though the gates will
be checked again before the first barge passes through them.

The council met on Wednesday evening to decide how the repairs
should be paid for, and whether the barrier should be rebuilt to
a greater height than before, as residents have asked.
"""

NO_MARKS = """\
The harbour master said the lock gates were checked by divers on
Tuesday and that no damage had been found, though the gates will
be checked again before the first barge passes.
The council met on Wednesday evening to decide how the repairs
should be paid for, and whether the barrier should be rebuilt to
a greater height than before, as residents have asked.
Figures for the week were:
Barges 14 vs 31
Tonnes 8,200 vs 19,400
"""


def test_blank_lines_still_separate_wrapped_paragraphs():
    paragraphs = clean(BLANK_LINES).text.split("\n\n")
    assert len(paragraphs) == 2
    assert paragraphs[0].startswith("The harbour master") and "divers on Tuesday" in paragraphs[0]


def test_short_line_that_ends_a_sentence_ends_its_paragraph():
    paragraphs = clean(NO_MARKS).text.split("\n\n")
    assert paragraphs[0].endswith("before the first barge passes.")
    assert paragraphs[1].startswith("The council met")
    assert paragraphs[-3:] == ["Figures for the week were:", "Barges 14 vs 31",
                               "Tonnes 8,200 vs 19,400"]


def test_text_with_a_paragraph_per_line_is_not_reflowed():
    lines = [
        "Turkish troops moved towards the town on Monday as talks with Moscow stalled",
        "Officials said the column included armoured vehicles.",
        "A second convoy crossed the border later in the day, residents said, and a third "
        "one was reported near the motorway by the evening.",
        "The ministry did not comment.",
        "Talks are due to resume on Thursday in Ankara",
    ]
    raw = "\n".join(lines) + "\n"
    assert wrap_width(raw) is None
    cleaned = clean(raw)
    assert cleaned.text.split("\n\n") == lines
    assert not any("reflow" in s for s in steps_of(cleaned.edits()))


@pytest.mark.parametrize("root", [BOOK, FIXTURES / "corpus"], ids=["book", "fixture_corpus"])
def test_texts_that_are_not_wrapped_are_not_reflowed(root):
    loaded = load_corpus(root)
    assert not any({"reflow", "wire_signature"} & s for s in steps_of(loaded.edits))
    for row in loaded.articles.itertuples():
        assert wrap_width(row.raw_text) is None, row.id


# --- chrome ---------------------------------------------------------------------------------

def chrome_lines() -> list[tuple[str, str]]:
    with open(SCRAPED / "chrome.csv", encoding="utf-8", newline="") as fh:
        return [(r["line"], r["step"]) for r in csv.DictReader(fh)]


def test_every_chrome_line_is_removed_by_its_step():
    raw = (SCRAPED / "page.txt").read_text(encoding="utf-8")
    edits = clean(raw, {"headline": PAGE_HEADLINE}).edits()
    removed = {}
    for row in edits.itertuples():
        for line in row.removed.split("\n"):
            if line.strip():
                removed[line] = set(row.step.split("+"))
    for line, step in chrome_lines():
        assert line in removed, f"not removed: {line!r}"
        assert step in removed[line], (line, removed[line])


def test_no_line_of_the_article_is_removed():
    raw = (SCRAPED / "page.txt").read_text(encoding="utf-8")
    text = clean(raw, {"headline": PAGE_HEADLINE}).text
    chrome = {line for line, _ in chrome_lines()}
    kept = [ln for ln in raw.splitlines()
            if ln.strip() and ln not in chrome and ln != PAGE_HEADLINE]
    assert len(kept) == 9  # near misses included: "Share prices ...", "Home owners ...", ...
    paragraphs = text.split("\n\n")
    assert paragraphs == kept


@pytest.mark.parametrize("step", ["navigation", "share_buttons", "gallery_counter",
                                  "photo_credit", "advertisement", "script",
                                  "newsletter_promo"])
def test_each_chrome_step_is_needed(step):
    raw = (SCRAPED / "page.txt").read_text(encoding="utf-8")
    text = clean(raw, {"headline": PAGE_HEADLINE}, without(step)).text
    assert any(line.strip() in text for line, s in chrome_lines() if s == step)


@pytest.mark.parametrize("ending", ["\n Reuter\n ", "\n REUTER\n", "\nREUTER...\n ",
                                    "\n reuter\n", "\n More\n "])
def test_wire_signature_at_the_end_is_removed(ending):
    raw = "Prices rose 2 pct in the week, the ministry said." + ending
    cleaned = clean(raw)
    assert cleaned.text == "Prices rose 2 pct in the week, the ministry said."
    assert any("wire_signature" in s for s in steps_of(cleaned.edits()))


def test_signature_after_a_table_row_is_removed():
    raw = "Soybean oil total 55.8 (33.7).        REUTER\n"
    assert clean(raw).text == "Soybean oil total 55.8 (33.7)."


def test_signature_word_inside_the_text_is_kept():
    raw = "Reuter\nsaid the talks would go on.\nThe Reuters office in Ankara was closed.\n"
    text = clean(raw).text
    assert text.startswith("Reuter") and text.endswith("The Reuters office in Ankara was closed.")


def test_short_lines_are_no_evidence_of_wrapping():
    # Lines that break inside sentences but are all short: a list or a poem, not a wrapped text.
    raw = "line\nnext\npara\nand one more\n"
    assert wrap_width(raw) is None
    assert clean(raw).text == "line\n\nnext\n\npara\n\nand one more"


@pytest.mark.parametrize("line", ["Share  " * 15 + "x",
                                  "x" * 100 + "  " + " " * 20_000 + "Reuter y"])
def test_chrome_patterns_do_not_backtrack(line):
    # A line that almost matches must fail fast: the share row once took seconds for 14 words.
    start = time.process_time()
    assert clean(line + "\n").text.endswith(line.split()[-1])
    assert time.process_time() - start < 1.0


def test_word_broken_at_its_hyphen_is_joined_without_a_space():
    raw = ("The council said on Tuesday that the barrier had been given a 10-\n"
           "year life when it opened in 1979, and that a firm of well-\n"
           "known engineers had warned of its age in two reports to the\n"
           "council, in 2019 and again, at much greater length -\n"
           "in 2022.\n")
    text = clean(raw).text
    assert "a 10-year life" in text and "a firm of well-known engineers" in text
    assert "greater length - in 2022." in text  # a dash set off by a space keeps its space
    assert "\n" not in text
