"""Tests for analysis.present.framing: charts within 640 px, reader tables, role-based numbers,
all read from the framing tables as the pipeline's framing stage stores them."""

from __future__ import annotations

import json

import pandas as pd
import pytest
import vl_convert as vlc

from analysis import framing as fr
from analysis import pipeline, store
from analysis.config import Config
from analysis.evaluation import framing as ef
from analysis.present import framing as show
from analysis.present.theme import themed
from analysis.quotes import find_quotes
from analysis.reuse import copied_edits


def stored_framing(corpus, folder, config: Config = Config()) -> store.StoredRun:
    """A run folder with what the pipeline's framing stage writes for ``corpus``; its inputs
    (quotations, copy edits) are written as the voices and copies stages would write them."""
    (folder / store.TABLES).mkdir(parents=True)
    ctx = pipeline.Context(corpus.root, config, folder, pipeline.ErrorLog(), loaded=corpus)
    ctx.write("quotes", find_quotes(corpus))
    ctx.write("edits", copied_edits(corpus))
    stage = next(s for s in pipeline.STAGES if s.name == "framing")
    stage.run(ctx)
    assert not ctx.log.rows, ctx.log.rows
    return store.StoredRun(folder, {"corpus": str(corpus.root), "config": config.to_dict(),
                                    "stages": {"framing": {"tables": list(stage.tables)}}})


@pytest.fixture(scope="module")
def method(corpus):
    """The framing method in memory, as the chapter ran it before it read the run."""
    return fr.analyse(corpus, find_quotes(corpus), copied_edits(corpus))


@pytest.fixture(scope="module")
def run_(corpus, tmp_path_factory):
    return stored_framing(corpus, tmp_path_factory.mktemp("run"))


@pytest.fixture(scope="module")
def result(run_):
    return show.from_run(run_)


def _width(chart) -> float:
    svg = vlc.vegalite_to_svg(themed(chart).to_dict())
    head = svg[:svg.index(">")]
    return float(head.split('width="')[1].split('"')[0])


def test_charts_fit_the_column(corpus, result):
    charts = [show.choice_chart(corpus, result.lexicon, result.counts),
              show.keyness_chart(corpus, show.top_words(result)),
              show.keyness_chart(corpus, show.top_labels(result), term="label")]
    for chart in charts:
        assert _width(chart) <= 640
    spec = json.dumps(charts[0].to_dict())
    assert '"orient": "bottom"' in spec
    assert charts[1].to_dict()["columns"] == 2


def test_stored_tables_show_what_the_method_shows(corpus, method, result):
    """The chapter reads the run: every chart input and reader table is what the method's
    in-memory frames gave (the stored counts and group rates lose the ``voice`` name of the
    method's column index; nothing shown depends on it)."""
    pd.testing.assert_frame_equal(show.top_words(result), fr.keyness_top(method.keyness))
    pd.testing.assert_frame_equal(
        show.top_labels(result), fr.keyness_top(method.label_keyness, min_count=2,
                                                per_report=5))
    pd.testing.assert_frame_equal(show.group_table(result.groups),
                                  show.group_table(method.groups))
    pd.testing.assert_frame_equal(show.lexicon_table_used_first(result.lexicon, result.uses),
                                  show.lexicon_table_used_first(method.lexicon, method.uses))
    pd.testing.assert_frame_equal(show.edits_table(corpus, result.edits),
                                  show.edits_table(corpus, method.edits))
    assert (show.choice_chart(corpus, result.lexicon, result.counts).to_dict()
            == show.choice_chart(corpus, method.lexicon, method.counts).to_dict())
    assert len(result.lexicon.exceptions) == len(method.lexicon.exceptions) == 1


def test_keyness_numbers_do_not_depend_on_the_stored_bound(corpus, method, result, tmp_path):
    """Tested words and tests come from the folder's term totals, not from the bounded rows."""
    key = method.keyness
    tested = key[(key["n_report"] + key["n_rest"]) >= fr.MIN_COUNT]
    full = show.key_numbers(corpus, result)
    assert full["fr_words_tested"] == tested["word"].nunique()
    assert full["fr_tests"] == len(tested)
    assert full["fr_words_significant"] == int(tested["significant"].sum())
    small = show.from_run(stored_framing(corpus, tmp_path / "small",
                                         Config().with_values({"keyness": {"top": 3}})))
    assert small.keyness.groupby("article_id").size().max() == 3
    n = show.key_numbers(corpus, small)
    assert (n["fr_words_tested"], n["fr_tests"]) == (full["fr_words_tested"], full["fr_tests"])


def test_exceptions_come_from_the_run_not_the_folder(corpus, tmp_path):
    run_ = stored_framing(corpus, tmp_path / "run")
    assert len(show.from_run(run_).lexicon.exceptions) == 1
    store.write_table(run_.path, "lexicon_exceptions",
                      pd.DataFrame(columns=list(fr.EXCEPTION_COLUMNS)))
    assert len(show.from_run(run_).lexicon.exceptions) == 0


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
    assert n["fr_n_exceptions"] == 1
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
    totals = fr.word_counts(corpus).groupby("word", as_index=False)["n"].sum()
    tables = show.Tables(lexicon, empty.uses, empty.counts, empty.groups,
                         fr.keyness_top(empty.keyness, per_report=50), totals,
                         empty.label_keyness, empty.edits)
    n = show.key_numbers(corpus, tables, None)
    assert n["fr_n_uses"] == 0 and n["fr_validation_md"].startswith("This corpus has no")
    assert n["fr_opposition_md"] == "No report uses a label for the armed opposition."
    assert n["fr_edits_md"].startswith("No edit")
    assert n["fr_label_keyness_md"].startswith("No report uses")
    assert n["fr_n_exceptions"] == 0 and n["fr_labels_significant"] == 0
    show.choice_chart(corpus, lexicon, empty.counts).to_dict()
