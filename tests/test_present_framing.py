"""Tests for analysis.present.framing: charts within 640 px, reader tables, role-based numbers."""

from __future__ import annotations

import json

import pandas as pd
import pytest
import vl_convert as vlc

from analysis import framing as fr
from analysis.corpus import load_corpus
from analysis.evaluation import framing as ef
from analysis.present import framing as show
from analysis.present.theme import themed
from analysis.quotes import find_quotes
from analysis.reuse import copied_edits


@pytest.fixture(scope="module")
def corpus():
    return load_corpus()


@pytest.fixture(scope="module")
def result(corpus):
    return fr.analyse(corpus, find_quotes(corpus), copied_edits(corpus))


def _width(chart) -> float:
    svg = vlc.vegalite_to_svg(themed(chart).to_dict())
    head = svg[:svg.index(">")]
    return float(head.split('width="')[1].split('"')[0])


def test_charts_fit_the_column(corpus, result):
    charts = [show.choice_chart(corpus, result.lexicon, result.counts),
              show.keyness_chart(corpus, fr.keyness_top(result.keyness)),
              show.keyness_chart(corpus, fr.keyness_top(result.label_keyness, min_count=2),
                                 term="label")]
    for chart in charts:
        assert _width(chart) <= 640
    spec = json.dumps(charts[0].to_dict())
    assert '"orient": "bottom"' in spec
    assert charts[1].to_dict()["columns"] == 2


def test_edits_table_shows_both_sentences_pair_with_most_first(corpus, result):
    table = show.edits_table(corpus, result.edits)
    assert table.iloc[0]["later"] == "Unattributed (003)"
    row = table[table["labels"] == "(none) → Syrian army"].iloc[0]
    assert row["earlier_sentence"].startswith("toi-s02: Tensions")
    assert row["later_sentence"].startswith("anon-003-s13: Tensions")
    assert set(show.EDIT_HEADERS) <= set(table.columns)


def test_group_table_matches_uses(corpus, result):
    t = show.group_table(result.groups)
    assert list(t["report"]) == list(corpus.articles["label"])
    assert sum(t[f"{g}_n"].sum() for g in fr.GROUPS) == len(result.uses)
    assert set(show.GROUP_HEADERS) <= set(t.columns)


def test_lexicon_table_puts_used_labels_first(result):
    t = show.lexicon_table_used_first(result.lexicon, result.uses)
    used = list(t["uses"] > 0)
    assert used == sorted(used, reverse=True) and t.iloc[0]["uses"] > 0


def test_key_numbers_are_roles_not_ids(corpus, result):
    ev = ef.evaluate(result.uses, ef.load_gold(corpus, result.lexicon))
    n = show.key_numbers(corpus, result, ev)
    assert n["fr_n_uses"] == len(result.uses)
    assert not any(k.startswith(("fr_afp", "fr_toi", "fr_voa", "fr_anon")) for k in n)
    # the report with the highest rate of state labels, computed, not named
    g = result.groups[result.groups["group"] == "state"]
    top = g.loc[g["rate"].idxmax(), "report"]
    assert n["fr_state_md"].startswith(f"Of the labels for the state and its forces, {top}")
    # keyness reported honestly: no label reaches the line, and the sentence says so
    assert n["fr_labels_significant"] == int(result.label_keyness["significant"].sum())
    if n["fr_labels_significant"] == 0:
        assert n["fr_label_keyness_md"].startswith("No label difference reaches")
    assert n["fr_book_edits_md"]  # the book's own corpus gets its own sentences


def test_key_numbers_without_gold_or_labels(corpus):
    lexicon = fr.make_lexicon(pd.DataFrame([("act", "tsunami", "tsunami")],
                                           columns=["group", "label", "surface"]))
    empty = fr.analyse(corpus, pd.DataFrame(columns=list(fr.QUOTE_COLUMNS)),
                       pd.DataFrame(columns=list(fr.EDIT_COLUMNS)), lexicon=lexicon)
    n = show.key_numbers(corpus, empty, None)
    assert n["fr_n_uses"] == 0 and n["fr_validation_md"].startswith("This corpus has no")
    assert n["fr_opposition_md"] == "No report uses a label for the armed opposition."
    assert n["fr_edits_md"].startswith("No edit")
    assert n["fr_label_keyness_md"].startswith("No report uses")
    show.choice_chart(corpus, lexicon, empty.counts).to_dict()
