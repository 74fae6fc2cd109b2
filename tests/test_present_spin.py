"""Tests of analysis.present.spin: the chapter reads the spin tables of a stored run (the
pipeline's spin stage runs the method), names roles, keeps charts within width, escapes text."""

import ast
import inspect
import json
import pathlib
import sys
from dataclasses import replace

import pandas as pd
import pytest

from analysis import pipeline, reuse, spin, store
from analysis.config import Config
from analysis.present import spin as ps

NOTEBOOK = pathlib.Path(__file__).resolve().parents[1] / "book" / "06_spin.ipynb"


def stored_spin(corpus, folder: pathlib.Path, config: Config = Config()) -> store.StoredRun:
    """A run folder with what the pipeline's spin stage writes for ``corpus``; its input (the
    edits inside copies) is written as the copies stage writes it."""
    (folder / store.TABLES).mkdir(parents=True)
    ctx = pipeline.Context(corpus.root, config, folder, pipeline.ErrorLog(), loaded=corpus)
    ctx.write("edits", reuse.copied_edits(corpus))
    stage = next(s for s in pipeline.STAGES if s.name == "spin")
    stage.run(ctx)
    assert not ctx.log.rows, ctx.log.rows
    return store.StoredRun(folder, {"corpus": str(corpus.root), "config": config.to_dict(),
                                    "stages": {"spin": {"tables": list(stage.tables)}}})


@pytest.fixture(scope="module")
def run_(corpus, tmp_path_factory):
    return stored_spin(corpus, tmp_path_factory.mktemp("run"))


@pytest.fixture(scope="module")
def chapter(run_):
    return ps.from_run(run_)


def labels(corpus):
    return dict(zip(corpus.articles["id"], corpus.articles["label"]))


def test_every_article_scored_with_its_stored_line(chapter, corpus):
    s = chapter.scores
    assert set(s["article_id"]) == set(corpus.articles["id"])
    assert s["threshold"].notna().all()
    assert s.set_index("article_id")["threshold"].to_dict() == chapter.lines
    d = spin.decision()
    strong = (s["z"] >= s["z_line"]) & (s["n_evidence_flags"] >= d.min_flags)
    assert (s["spun"] == strong).all() and (s["z_line"] == d.z_line).all()


def test_the_pool_is_the_folders_own_texts(chapter, corpus):
    """Five texts, each with a leave-one-out line set on the other four (no other corpus)."""
    ids = list(corpus.articles["id"])
    assert set(chapter.synthetic["doc"]) == set(ids) and chapter.n_pool == len(ids)
    assert set(chapter.synthetic["rate"]) == set(spin.RATES)
    assert set(chapter.synthetic["seed"]) == {0, 1}
    assert set(chapter.thresholds["basis"]) == {"leave one out"}
    expected = spin.leave_one_out_thresholds(chapter.synthetic, ids, chapter.rate)
    assert chapter.lines == pytest.approx(expected)


def test_from_run_computes_no_method(run_, corpus, monkeypatch):
    """Everything the chapter shows comes from the stored tables: the method's steps raise."""
    def refuse(*args, **kwargs):
        raise AssertionError("the chapter ran a method the pipeline runs")

    for name in ("flags", "flag_sentence", "synthetic", "spin_sentences", "analyse",
                 "document_scores", "decide", "choose_threshold", "leave_one_out_thresholds",
                 "paired_edits", "word_evidence", "evidence_scores", "with_llr"):
        monkeypatch.setattr(spin, name, refuse)
    monkeypatch.setattr(reuse, "copied_edits", refuse)
    ch = ps.from_run(run_)
    ps.key_numbers(ch, corpus)
    ps.flag_table(ch, corpus), ps.paired_table(ch, corpus), ps.score_data(ch, corpus)
    ps.highlighted(ch, corpus, ps.top_article(ch))


def test_key_numbers_name_the_top_report(chapter, corpus):
    k = ps.key_numbers(chapter, corpus)
    top = chapter.scores.sort_values("per_100_words").iloc[-1]
    assert k["spin_top_label"] == labels(corpus)[top["article_id"]]
    assert k["spin_top_z"] == f"{top['z']:.1f}"
    assert k["spin_z_max"] == f"{chapter.scores['z'].max():.1f}"
    assert k["spin_n_called"] == ps.count(int(chapter.scores["spun"].sum()), "report")
    assert k["spin_top_threshold"] == f"{chapter.lines[top['article_id']]:.2f}"
    assert k["spin_n_flags"] == len(chapter.flags)
    assert k["spin_pool"] == 5 and k["spin_pool_text"] == "all five texts of this corpus"
    assert k["spin_sample_note"] == "" and k["spin_dec_rate"] == "10%"
    at = chapter.calibration.set_index("rate")
    assert k["spin_dec_called"] == f"{100 * at.loc[0.1, 'called_spun']:.0f}%"
    assert k["spin_clean_called"] == f"{100 * at.loc[0.0, 'called_spun']:.0f}%"


def test_calibration_judges_each_copy_against_its_articles_line(chapter):
    syn = chapter.synthetic
    for rate, row in chapter.calibration.set_index("rate").iterrows():
        g = syn[syn["rate"] == rate]
        called = (g["per_100_words"] >= g["doc"].map(chapter.lines)).mean()
        assert row["called_spun"] == pytest.approx(called)


def test_unspun_copies_called_spun_are_the_reports_called_spun(chapter, corpus):
    """An unspun copy is the report itself: the note names exactly the sampled reports over
    their WordNet-flag line (escaped), and is empty when none is."""
    s = chapter.scores
    spun = s.loc[s["per_100_words"] >= s["threshold"], "article_id"].tolist()
    note = ps.clean_called_note(chapter, corpus)
    assert spun and all(f"*{ps.plain_markdown(labels(corpus)[a])}*" in note for a in spun)
    others = set(corpus.articles["id"]) - set(spun)
    assert not any(f"*{ps.plain_markdown(labels(corpus)[a])}*" in note for a in others)
    high = chapter.thresholds.assign(threshold=100.0)
    assert ps.clean_called_note(replace(chapter, thresholds=high), corpus) == ""


def test_a_sampled_run_says_how_the_others_are_judged(corpus, tmp_path):
    config = Config().with_values({"spin": {"calibration_articles": 2}})
    ch = ps.from_run(stored_spin(corpus, tmp_path / "run", config))
    assert ch.n_pool == 2
    assert (ch.thresholds["basis"] == "leave one out").sum() == 2
    assert (ch.thresholds["basis"] == "whole sample").sum() == 3
    k = ps.key_numbers(ch, corpus)
    assert k["spin_pool_text"] == "a seeded sample of 2 of the 5 texts of this corpus"
    assert "outside the sample" in k["spin_sample_note"]
    assert set(ch.scores["article_id"]) == set(corpus.articles["id"])


def test_a_table_the_stage_left_empty_reads_with_its_columns(run_, corpus, tmp_path):
    (tmp_path / store.TABLES).mkdir()
    for name in run_.manifest["stages"]["spin"]["tables"]:
        frame = pd.DataFrame() if name == "spin_paired" else run_.table(name)
        store.write_table(tmp_path, name, frame)
    ch = ps.from_run(store.StoredRun(tmp_path, run_.manifest))
    assert list(ch.paired.columns) == ps.PAIRED_TABLE_COLUMNS
    assert ps.key_numbers(ch, corpus)["spin_n_paired"] == 0
    assert ps.paired_table(ch, corpus).empty


def test_rate_is_the_runs(run_):
    manifest = json.loads(json.dumps(run_.manifest))
    manifest["config"]["spin"]["rate"] = 0.2
    assert ps.from_run(store.StoredRun(run_.path, manifest)).rate == 0.2


def test_flag_table_puts_top_report_first(chapter, corpus):
    t = ps.flag_table(chapter, corpus)
    assert t.iloc[0]["article_id"] == ps.top_article(chapter)
    assert set(ps.FLAG_COLUMNS) <= set(t.columns)


def test_charts_fit_the_column(chapter, corpus):
    for chart in (ps.score_chart(chapter, corpus), ps.synthetic_chart(chapter.calibration)):
        spec = chart.to_dict()
        widths = [spec.get("width", 0)] + [layer.get("width", 0) for layer in spec.get("layer", [])]
        assert max(widths) <= 600


def test_highlight_escapes_text():
    from types import SimpleNamespace

    text = "A <b> & C between your two countries"
    sents = pd.DataFrame({"article_id": ["x"], "sentence_id": ["x-s01"], "text": [text]})
    start = text.index("your")
    flags = pd.DataFrame({"sentence_id": ["x-s01"], "start": [start], "end": [start + 4],
                          "kind": ["substitution"], "phrase": ["between your two"],
                          "original_phrase": ["between the <two>"]})
    ch = SimpleNamespace(flags=flags)
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


def test_the_module_reads_no_test_data():
    source = inspect.getsource(ps)
    assert not hasattr(ps, "FIXTURE") and "fixtures" not in source
    assert "load_corpus" not in source


def _imports(source: str) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            found.update(f"{node.module}.{a.name}" for a in node.names)
    return found


def test_the_chapter_imports_no_method_module():
    """The notebook reads the stored run: only the presentation and evaluation layers and the
    standard library are imported, and the run is opened the way chapter 1 opens it."""
    cells = json.loads(NOTEBOOK.read_text(encoding="utf-8"))["cells"]
    source = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")
    imported = _imports(source)
    allowed = ("analysis.present.", "analysis.evaluation.")
    bad = {m for m in imported if not m.startswith(allowed)
           and m.split(".")[0] not in sys.stdlib_module_names}
    assert not bad, bad
    assert "analysis.present.book.open_run" in imported
    assert 'os.environ.get("WIRESPIN_RUN", "../_build/run")' in source
    assert _imports("from analysis import spin\nimport analysis.reuse\n") == {
        "analysis.spin", "analysis.reuse"}


def test_realnews_figures_read_and_absent(tmp_path):
    t = ps.realnews(tmp_path / "none.csv")
    assert t.empty and ps.realnews_numbers(t)["spin_rn_called"] == "n/a"
    rows = pd.DataFrame([
        {"items": "test", "spinner": "", "rate": 0.0, "measure": "articles", "value": 2000},
        {"items": "test", "spinner": "", "rate": 0.0, "measure": "called_spun", "value": 1},
        {"items": "test", "spinner": "aiksaurus", "rate": 0.1, "measure": "auc", "value": 0.7},
        {"items": "test", "spinner": "aiksaurus", "rate": 0.1, "measure": "called_spun_share",
         "value": 0.02}])
    rows.to_csv(tmp_path / "r.csv", index=False)
    k = ps.realnews_numbers(ps.realnews(tmp_path / "r.csv"))
    assert k["spin_rn_items"] == "2,000 items" and k["spin_rn_called"] == "one item"
    assert k["spin_rn_auc10"] == "0.70" and k["spin_rn_recall10"] == "2%"


def test_annotated_check_counts_only_the_flags_the_annotation_marks(chapter, corpus):
    from analysis.evaluation import spin as es

    k = ps.annotated_line_check(chapter, corpus)
    s = chapter.scores
    over = s[s["per_100_words"] >= s["threshold"]]
    assert k["spin_wn_over"] == ps.count(len(over), "report")
    gold = es.load_gold(corpus)
    for r in over.itertuples(index=False):
        mine = chapter.flags[chapter.flags["article_id"] == r.article_id]
        kept = int(es.matched_flags(mine, gold).sum())
        verdict = "stays over" if 100 * kept / r.n_words >= r.threshold else "falls under"
        assert f"{verdict} its line" in k["spin_wn_check"]
        assert ps.plain_markdown(labels(corpus)[r.article_id]) in k["spin_wn_check"]
