"""Tests of analysis.present.spin on the book's corpus: roles, charts within width, escaping."""

import pytest

from analysis.corpus import load_corpus
from analysis.evaluation import spin as es
from analysis.present import spin as ps


@pytest.fixture(scope="module")
def corpus():
    return load_corpus()


@pytest.fixture(scope="module")
def chapter(corpus):
    return ps.run(corpus)


def test_every_article_scored_with_a_line(chapter, corpus):
    s = chapter.results.scores
    assert set(s["article_id"]) == set(corpus.articles["id"])
    assert s["threshold"].notna().all()


def test_key_numbers_name_the_top_report(chapter, corpus):
    table = es.synthetic_scores(chapter.synthetic, chapter.pool_thresholds)
    k = ps.key_numbers(chapter, corpus, table)
    top = chapter.results.scores.sort_values("per_100_words").iloc[-1]
    assert k["spin_top_label"] == dict(zip(corpus.articles["id"], corpus.articles["label"]))[
        top["article_id"]]
    assert k["spin_n_flags"] == len(chapter.results.flags)


def test_flag_table_puts_top_report_first(chapter, corpus):
    t = ps.flag_table(chapter, corpus)
    assert t.iloc[0]["article_id"] == ps.top_article(chapter)
    assert set(ps.FLAG_COLUMNS) <= set(t.columns)


def test_charts_fit_the_column(chapter, corpus):
    for chart in (ps.score_chart(chapter, corpus),
                  ps.synthetic_chart(es.synthetic_scores(chapter.synthetic,
                                                         chapter.pool_thresholds))):
        spec = chart.to_dict()
        widths = [spec.get("width", 0)] + [layer.get("width", 0) for layer in spec.get("layer", [])]
        assert max(widths) <= 600


def test_highlight_escapes_text():
    from types import SimpleNamespace

    import pandas as pd

    text = "A <b> & C between your two countries"
    sents = pd.DataFrame({"article_id": ["x"], "sentence_id": ["x-s01"], "text": [text]})
    start = text.index("your")
    flags = pd.DataFrame({"sentence_id": ["x-s01"], "start": [start], "end": [start + 4],
                          "kind": ["substitution"], "phrase": ["between your two"],
                          "original_phrase": ["between the <two>"]})
    ch = SimpleNamespace(results=SimpleNamespace(flags=flags))
    html = ps.highlighted(ch, SimpleNamespace(sentences=sents), "x")._repr_html_()
    assert "A &lt;b&gt; &amp; C between <mark" in html
    assert ">your</mark> two countries" in html
    assert "the &lt;two&gt;" in html and "<b>" not in html


def test_count_formatting():
    assert ps._count(0.2) == "<1" and ps._count(1234.4) == "1,234"
    assert ps._count(float("nan")) == "n/a"


def test_highlight_plain_text_marks_words_in_brackets():
    view = ps.Highlighted([("x-s01", "a &lt;b&gt; <mark title=\"t\">your</mark> two")])
    assert repr(view) == "x-s01: a <b> [your] two"
