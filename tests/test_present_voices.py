"""analysis.present.voices: share of voice, charts within the layout, tables, key numbers."""

import json
import re
from pathlib import Path

import pytest
import vl_convert as vlc

from analysis.corpus import load_corpus
from analysis.present import voices
from analysis.present.theme import themed
from shared import BOOK

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "corpus"


@pytest.fixture(scope="module")
def corpus():
    return load_corpus(BOOK)


def svg_size(chart):
    svg = vlc.vegalite_to_svg(themed(chart).to_dict())
    return tuple(int(x) for x in re.search(r'width="(\d+)" height="(\d+)"', svg).groups())


def test_share_of_voice_sums_to_one(corpus):
    for frame in (voices.share_by_side(corpus), voices.share_by_speaker(corpus)):
        assert frame.groupby("article_id")["share"].sum().round(9).eq(1).all()


def test_charts_fit_640_px_with_legends_at_the_bottom(corpus):
    for chart in (voices.side_chart(corpus), voices.speaker_chart(corpus)):
        assert svg_size(chart)[0] <= 640
        spec = json.dumps(chart.to_dict())
        assert '"orient": "bottom"' in spec and '"orient": "right"' not in spec


def test_side_axis_runs_0_to_100_percent(corpus):
    x = voices.side_chart(corpus).to_dict()["encoding"]["x"]
    assert x["scale"]["domain"] == [0, 1] and x["axis"]["values"][-1] == 1


def test_key_numbers_over_roles(corpus):
    k = voices.key_numbers(corpus)
    units = voices.voices(corpus)
    assert k["n_units"] == len(units)
    assert k["top_speaker_units"] == units["speaker"].value_counts().drop(
        "unknown", errors="ignore").max()
    assert k["low_report"] in set(corpus.articles["label"])
    assert k["n_garbled"] == 1


def test_quote_table_statements_first(corpus):
    kinds = voices.quote_table(corpus)["kind"].tolist()
    assert kinds == sorted(kinds, key=lambda k: k != "statement")


def test_fixture_corpus_without_table():
    corpus = load_corpus(FIXTURE)
    assert not voices.has_table(corpus)
    assert voices.speaker_table(corpus) is None
    k = voices.key_numbers(corpus)
    assert "top_side" not in k and k["top_speaker"] == "Talia Renwick"
    assert svg_size(voices.speaker_chart(corpus))[0] <= 640


def test_report_where_nobody_named_speaks_is_not_the_low_report(tmp_path):
    """The fixture's notes report gives voice only to speakers the method cannot name; with a
    speakers table, the side numbers skip it (they raised IndexError on it)."""
    import shutil

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
    corpus = load_corpus(folder)
    units = voices.voices(corpus)
    notes = units[units["article_id"] == "notes"]
    assert len(notes) and set(notes["side"]) == {"unknown"}
    k = voices.key_numbers(corpus)
    assert k["top_side"] == "Town"
    assert k["low_report"] != "Coastal Notes"
    assert voices.side_prose(corpus).startswith("Across the reports, the side heard most is ")
