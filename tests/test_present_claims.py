"""Tests for analysis.present.claims: reader tables, charts within the column, prose numbers."""

from __future__ import annotations

import pathlib

import pandas as pd
import pytest

from analysis import claims as C
from analysis import pipeline, store
from analysis.corpus import load_corpus
from analysis.evaluation import Scores
from analysis.present import claims as P

FIXTURE = pathlib.Path(__file__).parent / "fixtures" / "corpus"


@pytest.fixture(scope="module")
def computed(corpus, extracted):
    """The claims stage's tables as the method returns them, in memory."""
    return {"claims": extracted, "claim_comparison": C.compare(extracted, corpus),
            "events": C.timeline_events(corpus)}


@pytest.fixture(scope="module")
def book(corpus, computed, tmp_path_factory):
    """What the chapter reads: the same tables written into a run folder and read back."""
    folder = tmp_path_factory.mktemp("run")
    (folder / store.TABLES).mkdir()
    for name, frame in computed.items():
        store.write_table(folder, name, pipeline.vocabulary(frame, name))
    stored = store.StoredRun(folder, {})
    return corpus, stored.table("claims"), stored.table("claim_comparison"), stored.table("events")


def test_compared_quantities_come_first(book):
    _, _, comparison, _ = book
    ranked = P.comparison_frame(comparison)
    k = P.n_compared(comparison)
    assert 0 < k < len(ranked)
    assert (ranked["n_reports"].iloc[:k] > 1).all() and (ranked["n_reports"].iloc[k:] == 1).all()
    assert ranked["verdict"].iloc[0] == "contested"


def _widths(spec: dict) -> list:
    found = []
    if isinstance(spec, dict):
        if isinstance(spec.get("width"), (int, float)):
            found.append(spec["width"])
        for v in spec.values():
            found += _widths(v)
    elif isinstance(spec, list):
        for v in spec:
            found += _widths(v)
    return found


def _legends(spec) -> list:
    if isinstance(spec, dict):
        out = [spec["legend"]] if isinstance(spec.get("legend"), dict) else []
        return out + [x for v in spec.values() for x in _legends(v)]
    if isinstance(spec, list):
        return [x for v in spec for x in _legends(v)]
    return []


def test_charts_fit_the_column_with_legends_below(book):
    corpus, found, comparison, events = book
    for chart in (P.report_chart(P.report_matrix(found, comparison, corpus), corpus),
                  P.timeline_chart(events, corpus, link_table="tab-x")):
        spec = chart.to_dict()
        assert max(_widths(spec)) <= 460
        legends = _legends(spec)
        assert legends and all(lg.get("orient") == "bottom" for lg in legends)


def test_grid_shows_only_compared_quantities(book):
    corpus, found, comparison, _ = book
    matrix = P.report_matrix(found, comparison, corpus)
    data = P.report_chart(matrix, corpus).data
    assert data["key"].nunique() == P.n_compared(comparison)
    assert data["figure"].str.startswith("denied ").sum() == 1


def test_key_numbers_on_the_book(book):
    corpus, found, comparison, events = book
    k = P.key_numbers(corpus, found, comparison, events)
    assert k["n_contested"] == 1 and k["n_conflict"] == 0
    assert "credits the denial to the Russian government" in k["contested_md"]
    assert "“The ministry also denied reports that hundreds of thousands" in k["contested_md"]
    assert "anon-003-s10" not in k["contested_md"]  # no internal sentence ids for readers
    assert "the *contested* verdict is the method's" in k["contested_md"]
    assert "first" not in k["tallies_md"]
    assert k["n_agree"] + k["n_sum"] + k["n_update"] + k["n_contested"] + k["n_conflict"] \
        == k["n_multi"]


def test_stored_tables_publish_what_the_method_returns(book, computed):
    corpus, found, comparison, events = book
    mem_found, mem_comparison, mem_events = computed.values()
    assert found["low"].dtype == "float64"  # Parquet; the method may hold objects
    assert P.key_numbers(corpus, found, comparison, events) \
        == P.key_numbers(corpus, mem_found, mem_comparison, mem_events)
    assert P.claims_frame(found).to_csv(index=False) \
        == P.claims_frame(mem_found).to_csv(index=False)
    assert P.report_matrix(found, comparison, corpus).equals(
        P.report_matrix(mem_found, mem_comparison, corpus))
    assert P.comparison_frame(comparison).equals(P.comparison_frame(mem_comparison))
    assert P.events_frame(events).equals(P.events_frame(mem_events))


def test_figures_read_the_same_as_ints_or_floats(book):
    corpus, found, comparison, _ = book
    as_ints = found.copy()
    for c in ("value", "low", "high"):  # as the method may hold them: None and ints, in objects
        as_ints[c] = pd.Series([None if pd.isna(x) else int(x) if float(x).is_integer() else x
                                for x in found[c]], index=found.index, dtype=object)
    assert (as_ints["low"].map(type) == int).any()
    assert P.claims_frame(as_ints).to_csv(index=False) == P.claims_frame(found).to_csv(index=False)
    assert P.report_matrix(as_ints, comparison, corpus).equals(
        P.report_matrix(found, comparison, corpus))


def test_key_numbers_on_another_corpus_fill_roles_from_its_data():
    if not FIXTURE.is_dir():
        pytest.skip("fixture corpus not present")
    corpus = load_corpus(FIXTURE)
    found = C.extract_claims(corpus)
    comparison = C.compare(found, corpus)
    k = P.key_numbers(corpus, found, comparison, C.timeline_events(corpus))
    labels = set(corpus.articles["label"])
    assert k["most_claims_report"] in labels and k["fewest_claims_report"] in labels
    assert k["n_claims"] == len(found)


def test_validation_prose_without_and_with_gold():
    assert "no hand annotation" in P.validation_markdown(None, None)
    acc = pd.Series({f: 1.0 for f in ("value", "hedge", "counted", "event", "side", "source",
                                      "time_expression")} | {"period": 0.5})
    text = P.validation_markdown(Scores(3, 1, 0), acc, 2)
    assert "precision 75%" in text and "weakest field is the period" in text
    frame = P.quality_frame(Scores(3, 1, 0), acc)
    assert frame.loc[frame["measure"] == "extraction precision", "score"].item() == 75.0


def test_chapter_values_are_the_key_numbers_and_the_chapter_markdown(book_run):
    corpus = book_run.corpus()
    values = P.chapter_values(corpus, book_run)
    numbers = P.key_numbers(corpus, book_run.table("claims"), book_run.table("claim_comparison"),
                            book_run.table("events"), book_run.table("directions"))
    assert {k: values[k] for k in numbers} == numbers
    assert {"figures_md", "dating_md", "method_md", "in_sample_md"} <= set(values)
    assert "in-sample" in values["in_sample_md"]
