"""Issue 16: any folder's book says only what holds for that folder.

The sentences of chapters 1, 3, 4 and 5 that named the five texts' story, places or quotations
are written from the run: on the book's five texts they still say what they said (with examples
looked up in the texts), on the fixture folder of made-up flood articles they name nothing of the
five texts."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

import shared
from analysis.present import claims, framing, voices
from analysis.present import corpus as overview

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "corpus"
# Words of the five texts' story and sources that no sentence about the flood folder may hold.
BOOK_ONLY = ("Ankara", "Turkey", "Turkish", "Syria", "Idlib", "Russia", "Moscow", "AFP",
             "five texts", "same story", "border.", "S-400", "S\\-400", "Akar", "face-off",
             "the minister", "conflict", "Germany")


def prose(run) -> dict[str, str]:
    """Every sentence this issue touched, as the present functions write it from ``run``."""
    corpus = run.corpus()
    out = {f"corpus:{k}": v for k, v in overview.chapter_prose(corpus).items()}
    out |= {f"corpus:{k}": v for k, v in overview.book_notes(corpus).items()}
    found, events = run.table("claims"), run.table("events")
    out |= {"claims:figures": claims.figures_markdown(corpus, found),
            "claims:dating": claims.dating_markdown(corpus, events),
            "claims:method": claims.method_markdown(corpus),
            "claims:fit": claims.fit_note(corpus, True)}
    tables = voices.from_run(run)
    out |= {f"voices:{k}": v for k, v in voices.chapter_prose(corpus, tables).items()}
    out |= {f"voices:{k}": v for k, v in voices.method_prose(corpus, tables).items()}
    out["voices:table"] = voices.table_prose(tables)
    out["voices:in-sample"] = voices.in_sample_note(corpus, True)
    ftables = framing.from_run(run)
    k = framing.key_numbers(corpus, ftables)
    out |= {f"framing:{n}": str(v) for n, v in k.items()
            if n.endswith("_md") and n != "fr_lexicon_md"}  # the lexicon paragraph names the
    return out                                               # book's lexicon on purpose


@pytest.fixture(scope="module")
def fixture_run(tmp_path_factory):
    return shared.run(str(FIXTURE), str(tmp_path_factory.mktemp("fixture") / "run"))


@pytest.fixture(scope="module")
def fixture_prose(fixture_run):
    return prose(fixture_run)


@pytest.fixture(scope="module")
def book_prose(book_run):
    return prose(book_run)


def test_fixture_prose_names_nothing_of_the_five_texts(fixture_prose):
    for name, text in fixture_prose.items():
        for word in BOOK_ONLY:
            assert word not in text, (name, word, text)


def test_fixture_opening_counts_articles_without_a_story(fixture_prose):
    assert fixture_prose["corpus:corpus-opening-md"].startswith(
        "The book reads eight articles, published between 14 October 2024 and 16 October 2024")
    assert fixture_prose["framing:fr_opening_md"].startswith(framing.GENERAL_OPENING)
    assert "The articles date events with time phrases such as *on Wednesday*" in (
        fixture_prose["claims:dating"])


def test_book_opening_and_cleaning_keep_their_sentences(book_prose):
    assert book_prose["corpus:corpus-opening-md"].startswith(
        "The book reads five reports of the same story, published between 20 February 2020")
    # examples looked up in the cleaning audit of the five texts
    assert "(`border.Ankara`) were split" in book_prose["corpus:corpus-split-md"]
    assert "(`Germany s` becomes `Germany's`)" in book_prose["corpus:corpus-apostrophes-md"]
    assert ("Four lines of boilerplate (a newsletter sign-up, a comment-form trailer, a source "
            "line and a contributor credit) and three headlines were removed"
            ) in book_prose["corpus:corpus-boilerplate-md"]
    assert book_prose["framing:fr_opening_md"].startswith(framing.BOOK_OPENING)


def test_book_method_examples_are_those_of_the_five_texts(book_prose):
    method = book_prose["claims:method"]
    for example in ("(*S\\-400*, *F\\-35*)", "(*five Syrian regime choppers*)",
                    "(*14 on the pro\\-Turkey side*, *Two more*)",
                    "(*the two leaders*, *your two countries*)"):
        assert example in method
    assert book_prose["claims:fit"] == claims.FIT_NOTE
    assert "(*Akar* for *Hulusi Akar*)" in book_prose["voices:voices-how-md"]
    assert "(*Turkey* and *Ankara*) are two speakers" in book_prose["voices:voices-limits-md"]
    assert "(`he`, `the minister` and `the defence ministry`)" in (
        book_prose["voices:voices-quotes-md"])
    assert book_prose["voices:in-sample"] == voices.IN_SAMPLE_NOTE


def test_fixture_examples_come_from_the_fixture(fixture_run, fixture_prose):
    corpus = fixture_run.corpus()
    assert "(*Renwick* for *Talia Renwick*)" in fixture_prose["voices:voices-how-md"]
    resolved = voices.resolved_mentions(voices.from_run(fixture_run))
    assert resolved and all(re.search(rf"\b{re.escape(m)}\b", " ".join(corpus.articles["text"]),
                                      re.I) for m in resolved)
    assert "(*several million*)" in fixture_prose["claims:method"]
    assert fixture_prose["claims:fit"] == claims.OTHER_FIT_NOTE
    assert fixture_prose["voices:in-sample"] == ""


@pytest.mark.parametrize("which", ["book", "fixture"])
def test_every_quoted_example_is_in_the_texts(which, book_run, fixture_run):
    """Each *example* the method paragraphs quote is printed in some text of the corpus."""
    run = book_run if which == "book" else fixture_run
    corpus = run.corpus()
    tables = voices.from_run(run)
    text = claims.method_markdown(corpus) + voices.method_prose(corpus, tables)["voices-how-md"]
    shown = re.findall(r"\(((?:\*[^*]+\*(?:, | and )?)+)\)", text)
    examples = [x.replace("\\", "") for group in shown for x in re.findall(r"\*([^*]+)\*", group)]
    assert examples or which == "fixture"
    assert overview.found_examples(corpus, examples) == examples


def test_voices_no_table_sentence_is_not_said_twice(fixture_prose):
    assert fixture_prose["voices:table"] == voices.NO_SPEAKERS_PROSE
    assert fixture_prose["voices:table"] != voices.NO_TABLE_PROSE


def test_framing_says_once_that_no_word_reaches_the_line(fixture_prose, book_prose):
    assert "none reach |z| ≥ 1.96" in fixture_prose["framing:fr_keyness_tests_md"]
    assert fixture_prose["framing:fr_keyness_words_md"] == ""
    assert book_prose["framing:fr_keyness_words_md"].startswith("The words that reach it:")


def test_examples_markdown_shows_only_what_is_there():
    class Texts:  # the one field examples_markdown reads
        articles = pd.DataFrame({"text": ["The river rose “three metres” at Brennick.",
                                          "Volunteers from Tarsk."]})

    c = Texts()
    assert overview.examples_markdown(c, "names{{Brennick|Ankara}} and") == (
        "names (*Brennick*) and")
    assert overview.examples_markdown(c, "a pair{{Brennick&Tarsk}}.") == (
        "a pair (*Brennick* and *Tarsk*).")
    assert overview.examples_markdown(c, "a pair{{Brennick&Ankara}}.") == "a pair."
    assert overview.examples_markdown(c, 'quotes {{"three metres"}}') == (
        'quotes (*\\"three metres\\"*)')
    assert overview.found_examples(c, ["Brennic", "river rose ...", "Tarsk"]) == [
        "river rose ...", "Tarsk"]


def test_speakers_table_sentences_take_their_alias_example_from_the_table(book_run):
    """The alias example of the speakers-table and validation sentences is a row of the
    corpus's own table: the five texts' *Turkey* and *Ankara*, another table's own names."""
    tables = voices.from_run(book_run)
    assert voices.alias_example(tables) == (["Turkey", "Ankara"], "the Turkish government")
    assert "(so *Turkey* and *Ankara* are both the Turkish government)" in (
        voices.table_prose(tables))

    class Other:  # the one field alias_example reads
        speakers = pd.DataFrame({"name": ["Talia Renwick", "Interior ministry"],
                                 "aliases": ["Talia Renwick;Renwick", "the ministry"]})

    assert voices.alias_example(Other()) == (["Talia Renwick", "Renwick"], "Talia Renwick")
    Other.speakers = Other.speakers.iloc[1:]
    assert voices.alias_example(Other()) is None


def test_validation_caveats_are_the_five_texts_only(book_run):
    from analysis.evaluation import quotes as quotes_gold

    corpus, tables = book_run.corpus(), voices.from_run(book_run)
    gold = quotes_gold.load_gold(corpus, tables.speakers)
    book = voices.validation_prose(tables, gold, book=True)
    other = voices.validation_prose(tables, gold, book=False)
    assert "before the method was written" in book and "**in-sample**" in book
    assert "before the method was written" not in other and "in-sample" not in other
    assert claims.fit_note(corpus, False) == ""


def test_framing_in_sample_note_is_the_five_texts_only(book_run):
    from analysis.evaluation import framing as framing_gold

    corpus, tables = book_run.corpus(), framing.from_run(book_run)
    ev = framing_gold.evaluate(tables.uses, framing_gold.load_gold(corpus, tables.lexicon))
    assert framing.key_numbers(corpus, tables, ev)["fr_validation_md"].endswith(
        "These scores are in-sample: the lexicon was written from the same texts.")
    assert "in-sample" not in framing.validation_markdown(ev, in_sample=False)
    assert "(a strike restated as an *air strike* blamed on *Damascus*)" in (
        framing.stance_sentence(tables.lexicon, book=True))
    assert "Damascus*)" not in framing.stance_sentence(tables.lexicon, book=False)


def test_real_news_sentence_names_the_five_texts_only_for_them(book_run, fixture_run):
    from analysis.present import realnews

    for task in ("claims", "speakers"):
        book = overview.realnews_markdown(book_run.corpus(), task)
        other = overview.realnews_markdown(fixture_run.corpus(), task)
        if realnews.scores(task).empty:
            assert "five texts" in book and "five texts" not in other
            assert other.startswith("No score on held\\-out real news is recorded")
        else:
            assert book == other
