"""Quotations and speakers on real news (issue 16): the dev split of ``data/realnews/quotes.csv``
must keep the figures reached while tuning, a little under them (the test split is measured by
``python -m benchmarks.speakers_realnews`` and reported, never asserted: it was not tuned on).

The texts are the Reuters-21578 items, written from the archive outside the repository; without
the archive these tests are skipped. The texts are reflowed first (hard-wrapped lines joined),
as the benchmark's ``--reflow`` does, so the figures do not depend on whether cleaning reflows.
"""

import pandas as pd
import pytest

from analysis.evaluation import realnews_quotes as ev
from benchmarks import speakers_realnews
from benchmarks.reuters import ARCHIVE

pytestmark = pytest.mark.skipif(not ARCHIVE.is_file(), reason=f"no archive at {ARCHIVE}")

# Reached on dev when tuning ended: 111 of 120 named speakers right (0.925; 111 of the 116 in
# the body, 0.957), one wrong; quotation precision 0.970, recall 0.955.
FLOOR_RIGHT_ALL_NAMED = 0.87
FLOOR_RIGHT_IN_TEXT = 0.90
FLOOR_PRECISION = 0.93
FLOOR_RECALL = 0.93
CEILING_WRONG = 5


@pytest.fixture(scope="module")
def dev(tmp_path_factory):
    results = speakers_realnews.score(reflowed=True, work=tmp_path_factory.mktemp("realnews"))
    return results["dev"]


def test_dev_speakers_stay_above_the_floor(dev):
    s = ev.summary(*dev)
    assert s["speaker_right_all_named"] >= FLOOR_RIGHT_ALL_NAMED, s
    assert s["speaker_right_in_text"] >= FLOOR_RIGHT_IN_TEXT, s
    assert s["wrong"] <= CEILING_WRONG, s


def test_dev_quotations_are_found(dev):
    s = ev.summary(*dev)
    assert s["precision"] >= FLOOR_PRECISION and s["recall"] >= FLOOR_RECALL, s


def test_every_body_quotation_is_placed_only_headlines_are_not(dev):
    gold, _ = dev
    outside = gold[~gold["in_text"]]
    assert outside["note"].str.startswith("headline").all(), outside[["quote_id", "note"]]


def test_reflow_joins_wrapped_lines_and_keeps_paragraphs():
    text = "TITLE LINE\nFirst line of a\nparagraph that goes on.\n    Second third-\nquarter.\n"
    assert speakers_realnews.reflow(text) == ("TITLE LINE\nFirst line of a paragraph that goes "
                                              "on.\n\nSecond third-quarter.\n")


def test_scorer_on_a_made_up_item():
    text = "Ann Lee said:\n\n\"We will\nwin.\" Bob Ray added \"maybe\"."
    gold = pd.DataFrame({
        "article_id": "a", "quote_id": ["a-q01", "a-q02", "a-q03"],
        "quote": ["We will win.", "maybe", "HEADLINE"], "speaker": ["Ann Lee", "Bob Ray", ""],
        "speaker_kind": ["person", "person", "none"], "note": ""})
    found = pd.DataFrame({"article_id": "a", "start": [text.index("We")],
                          "end": [text.index("win.") + 4], "text": ["We will\nwin."],
                          "speaker": ["Lee"], "attributed_by": ["frame"]})
    g, f = ev.outcomes(found, gold, {"a": text}.get)
    assert g["outcome"].tolist() == ["right", "missed", "missed"]
    assert g["in_text"].tolist() == [True, True, False]
    assert f["matched"].tolist() == [True]
    s = ev.summary(g, f)
    assert (s["named"], s["right"], s["precision"], s["recall"]) == (2, 1, 1.0, 1 / 3)


@pytest.mark.parametrize("predicted, gold, kind, right", [
    ("Lee", "Ann Lee", "person", True),
    ("Ann Leeds", "Ann Lee", "person", False),
    ("Jan De Vries", "Jan de Vries", "person", True),
    ("Drexel", "Drexel Burnham Lambert Inc", "organisation", True),
    ("Inc", "Drexel Burnham Lambert Inc", "organisation", False),
    ("UAW", "United Automobile Workers", "organisation", True),
    ("AMC", "American Motors Corp", "organisation", True),
    ("Drexel spokesman", "Drexel Burnham Lambert Inc", "organisation", True),
    ("unknown", "Ann Lee", "person", False),
])
def test_name_rule(predicted, gold, kind, right):
    assert ev.names_speaker(predicted, gold, kind) is right


def test_descriptions_name_no_one():
    assert ev.is_description("senior official") and ev.is_description("Soviet trade official")
    assert not ev.is_description("Ann Lee") and not ev.is_description("U.S. Embassy")
