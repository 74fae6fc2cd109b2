"""analysis.present.voices: share of voice, charts within the layout, tables, key numbers, all
read from the voices tables as the pipeline's voices stage stores them."""

import json
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest
import vl_convert as vlc

from analysis import pipeline, quotes, speakers
from analysis.corpus import load_corpus
from analysis.present import voices
from analysis.present.findings import findings
from analysis.present.theme import themed
from shared import BOOK

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "corpus"


def voices_run(root, folder):
    """The pipeline's load and voices stages on ``root``, stored in ``folder``."""
    return pipeline.run(root, folder, stages=("voices",))


@pytest.fixture(scope="module")
def run_(tmp_path_factory):
    return voices_run(BOOK, tmp_path_factory.mktemp("voices") / "run")


@pytest.fixture(scope="module")
def corpus(run_):
    return run_.corpus()


@pytest.fixture(scope="module")
def tables(run_):
    return voices.from_run(run_)


def svg_size(chart):
    svg = vlc.vegalite_to_svg(themed(chart).to_dict())
    return tuple(int(x) for x in re.search(r'width="(\d+)" height="(\d+)"', svg).groups())


def test_stored_tables_are_what_the_method_finds(tables):
    """The run holds the method's own frames: speech with the speakers table, without it, and
    the table as read (the chapter runs none of it). Parquet may read text back as a string
    dtype, so values are compared, not dtypes."""
    corpus = load_corpus(BOOK)

    def same(stored, found):
        pd.testing.assert_frame_equal(stored, found, check_dtype=False)

    same(tables.quotes, quotes.find_quotes(corpus))
    same(tables.reported, quotes.find_reported(corpus))
    same(tables.problems, quotes.find_problems(corpus))
    same(tables.without_table.quotes, quotes.find_quotes(corpus, use_table=False))
    same(tables.without_table.reported, quotes.find_reported(corpus, use_table=False))
    same(tables.speakers,
         speakers.load_speakers(speakers.speakers_path(BOOK)).drop(columns="_row"))
    # Without the table, names are as printed: the two settings really differ on the book.
    assert not tables.without_table.quotes["speaker"].equals(tables.quotes["speaker"])


def test_share_of_voice_sums_to_one(corpus, tables):
    for frame in (voices.share_by_side(corpus, tables), voices.share_by_speaker(corpus, tables)):
        assert frame.groupby("article_id")["share"].sum().round(9).eq(1).all()


def test_charts_fit_640_px_with_legends_at_the_bottom(corpus, tables):
    for chart in (voices.side_chart(corpus, tables), voices.speaker_chart(corpus, tables)):
        assert svg_size(chart)[0] <= 640
        spec = json.dumps(chart.to_dict())
        assert '"orient": "bottom"' in spec and '"orient": "right"' not in spec


def test_side_axis_runs_0_to_100_percent(corpus, tables):
    x = voices.side_chart(corpus, tables).to_dict()["encoding"]["x"]
    assert x["scale"]["domain"] == [0, 1] and x["axis"]["values"][-1] == 1


def test_key_numbers_over_roles(corpus, tables):
    k = voices.key_numbers(corpus, tables)
    units = voices.voices(corpus, tables)
    assert k["n_units"] == len(units)
    assert k["top_speaker_units"] == units["speaker"].value_counts().drop(
        "unknown", errors="ignore").max()
    assert k["low_report"] in set(corpus.articles["label"])
    assert k["n_garbled"] == 1


def test_book_numbers_as_published(corpus, tables):
    """The chapter's prose numbers on the book's five texts (as published before the chapter
    read the run, less Unattributed (003)'s subheading, which is not speech)."""
    k = voices.key_numbers(corpus, tables)
    assert {name: k[name] for name in (
        "n_reports", "n_quotes", "n_statements", "n_phrases", "n_reported", "n_units",
        "n_speakers_heard", "top_speaker", "top_speaker_units", "top_speaker_reports",
        "top_side", "top_side_share", "low_report", "low_report_leader")} == {
        "n_reports": 5, "n_quotes": 30, "n_statements": 18, "n_phrases": 12, "n_reported": 58,
        "n_units": 70, "n_speakers_heard": 20, "top_speaker": "Hulusi Akar",
        "top_speaker_units": 18, "top_speaker_reports": 4, "top_side": "Turkey",
        "top_side_share": "64%", "low_report": "Unattributed (004)",
        "low_report_leader": "Russia"}
    assert voices.table_prose(tables).startswith(
        f"The corpus has a hand-made speakers table of {len(tables.speakers)} people")


def test_quote_table_statements_first(corpus, tables):
    kinds = voices.quote_table(corpus, tables.quotes)["kind"].tolist()
    assert kinds == sorted(kinds, key=lambda k: k != "statement")
    assert "statement" in kinds and "phrase" in kinds


def test_speaker_table_counts_voice_units(corpus, tables):
    table = voices.speaker_table(corpus, tables)
    units = voices.voices(corpus, tables)
    assert len(table) == len(tables.speakers)
    top = table.iloc[0]
    assert top["units"] == (units["speaker"] == top["speaker"]).sum() > 0
    assert table["units"].is_monotonic_decreasing


def test_findings_page_states_the_chapter_numbers(book_run):
    """The findings page and the chapter count from the same stored tables."""
    corpus = book_run.corpus()
    k = voices.key_numbers(corpus, voices.from_run(book_run))
    text = findings(book_run).text["finding-voices"]
    assert (f"{k['n_quotes']} quotations and {k['n_reported']} sentence-speaker pairs" in text
            and f"giving voice {k['n_units']} times to {k['n_speakers_heard']} speakers" in text
            and f"{k['top_speaker_units']} voice units in four reports, ten distinct" in text
            and f"({k['n_units_distinct']} distinct utterances" in text)


def test_fixture_corpus_without_table(tmp_path):
    run_ = voices_run(FIXTURE, tmp_path / "run")
    corpus, tables = run_.corpus(), voices.from_run(run_)
    assert not voices.has_table(tables) and tables.speakers is None
    assert voices.speaker_table(corpus, tables) is None
    assert voices.table_prose(tables) == voices.NO_SPEAKERS_PROSE != voices.NO_TABLE_PROSE
    pd.testing.assert_frame_equal(tables.without_table.quotes, tables.quotes)
    k = voices.key_numbers(corpus, tables)
    assert "top_side" not in k and k["top_speaker"] == "Talia Renwick"
    assert voices.side_prose(corpus, tables) == ""
    assert svg_size(voices.speaker_chart(corpus, tables))[0] <= 640


def test_report_where_nobody_named_speaks_is_not_the_low_report(tmp_path):
    """The fixture's notes report gives voice only to speakers the method cannot name; with a
    speakers table, the side numbers skip it (they raised IndexError on it)."""
    folder = tmp_path / "corpus"
    shutil.copytree(FIXTURE, folder)
    (folder / "speakers").mkdir()
    rows = ["name,aliases,kind,role,role_source,institution,institution_source,country,"
            "country_source,side"]
    for name, aliases in [("Talia Renwick", "Talia Renwick;Renwick"),
                          ("Oskar Hallberg", "Oskar Hallberg;Hallberg"),
                          ("Marta Olin", "Marta Olin"), ("Karl Mesner", "Karl Mesner"),
                          ("Priya Castellane", "Priya Castellane;Castellane"),
                          ("Anders Kolb", "Anders Kolb;Kolb"),
                          ("Ines Darrow", "Ines Darrow;Darrow")]:
        side = "Government" if name == "Talia Renwick" else "Town"
        rows.append(f"{name},{aliases},person,,,,,,,{side}")
    (folder / "speakers" / "speakers.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    run_ = voices_run(folder, tmp_path / "run")
    corpus, tables = run_.corpus(), voices.from_run(run_)
    assert voices.has_table(tables) and len(tables.speakers) == 7
    units = voices.voices(corpus, tables)
    notes = units[units["article_id"] == "notes"]
    assert len(notes) and set(notes["side"]) == {"unknown"}
    k = voices.key_numbers(corpus, tables)
    assert k["top_side"] == "Town"
    assert k["low_report"] != "Coastal Notes"
    assert voices.side_prose(corpus, tables).startswith(
        "Across the reports, the side heard most is ")
