"""The staged pipeline and its run folder: stages reused when nothing changed, only downstream
stages re-run when a setting changed, output folders that are never destroyed, spreadsheet-safe
CSV, and a per-document time limit."""

from __future__ import annotations

import hashlib
import json
import shutil
import time
from pathlib import Path

import pandas as pd
import pytest

from analysis import pipeline, store
from analysis.config import Config, ConfigError, load_config, parse_setting

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "corpus"
# Spin calibration on two articles keeps these tests quick; the setting is part of the keys.
FAST = Config().with_values({"spin": {"calibration_articles": 2}})


def fast(**sections) -> Config:
    return FAST.with_values(sections)


@pytest.fixture()
def corpus(tmp_path) -> Path:
    folder = tmp_path / "corpus"
    shutil.copytree(FIXTURE, folder)
    return folder


def ran(run_: store.StoredRun) -> set[str]:
    return {s for s, info in run_.manifest["stages"].items() if not info["reused"]}


def test_unchanged_folder_reuses_every_stage_and_one_setting_reruns_downstream(corpus, tmp_path):
    out = tmp_path / "run"
    first = pipeline.run(corpus, out, FAST)
    assert ran(first) == set(pipeline.STAGE_NAMES)
    claims = first.table("claims")
    again = pipeline.run(corpus, out, FAST)
    assert ran(again) == set()
    pd.testing.assert_frame_equal(again.table("claims"), claims)
    spin = pipeline.run(corpus, out, fast(spin={"rate": 0.2, "calibration_articles": 2}))
    assert ran(spin) == {"spin"}
    reuse = pipeline.run(corpus, out, fast(reuse={"max_gap": 20}))
    assert ran(reuse) == {"passages", "copies", "reuse_check", "framing", "spin"}


def test_changed_input_reruns_everything(corpus, tmp_path):
    out = tmp_path / "run"
    pipeline.run(corpus, out, FAST)
    manifest = corpus / "manifest.csv"
    manifest.write_text(manifest.read_text(encoding="utf-8").replace("Northwire", "North Wire", 1),
                        encoding="utf-8")
    assert ran(pipeline.run(corpus, out, FAST)) == set(pipeline.STAGE_NAMES)


def test_run_manifest_records_version_config_inputs_and_seconds(corpus, tmp_path):
    run_ = pipeline.run(corpus, tmp_path / "run", FAST)
    m = json.loads((run_.path / store.MANIFEST).read_text(encoding="utf-8"))
    assert m["config"]["reuse"]["max_gap"] == Config().reuse.max_gap
    text = next(p for p in sorted((corpus / "raw").iterdir()) if p.suffix == ".txt")
    assert m["inputs"][f"raw/{text.name}"] == hashlib.sha256(text.read_bytes()).hexdigest()
    assert all(isinstance(s["seconds"], float) for s in m["stages"].values())
    assert m["version"]


def test_one_vocabulary_in_run_tables(corpus, tmp_path):
    run_ = pipeline.run(corpus, tmp_path / "run", FAST)
    for name in run_.tables:
        for column in run_.table(name).columns:
            assert column == column.lower() and " " not in column, (name, column)
    assert "article_id" in run_.table("articles")
    assert {"source_id", "target_id"} <= set(run_.table("directions").columns)
    assert {"source_id", "target_id"} <= set(run_.table("passages").columns)


def test_keyness_output_is_bounded(corpus, tmp_path):
    config = fast(keyness={"top": 3})
    run_ = pipeline.run(corpus, tmp_path / "run", config)
    key = run_.table("keyness")
    assert key.groupby("article_id").size().max() <= 3
    assert run_.table("term_totals")["n"].sum() > len(key)


# --- Outputs never destroy input -----------------------------------------------------------------

def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def test_a_folder_with_other_files_is_refused_before_any_work(corpus, tmp_path, monkeypatch):
    out = tmp_path / "mine"
    out.mkdir()
    (out / "README.md").write_text("my notes", encoding="utf-8")
    (out / "src").mkdir()
    (out / "src" / "a.py").write_text("x = 1", encoding="utf-8")
    before = snapshot(out)
    monkeypatch.setattr(pipeline, "_run_stages", lambda *a, **k: pytest.fail("work started"))
    with pytest.raises(store.RunFolderError, match="not empty"):
        pipeline.run(corpus, out, FAST)
    assert snapshot(out) == before


@pytest.mark.parametrize("where", ["corpus", "inside", "parent"])
def test_the_corpus_folder_is_never_the_output(corpus, where):
    out = {"corpus": corpus, "inside": corpus / "results", "parent": corpus.parent}[where]
    before = snapshot(corpus)
    with pytest.raises(store.RunFolderError, match="corpus folder"):
        pipeline.run(corpus, out, FAST)
    assert snapshot(corpus) == before


def test_an_existing_file_as_output_is_refused_at_once(corpus, tmp_path, monkeypatch):
    out = tmp_path / "results.csv"
    out.write_text("a,b\n", encoding="utf-8")
    monkeypatch.setattr(pipeline, "_run_stages", lambda *a, **k: pytest.fail("work started"))
    with pytest.raises(store.RunFolderError, match="not a folder"):
        pipeline.run(corpus, out, FAST)
    assert out.read_text(encoding="utf-8") == "a,b\n"


def test_a_second_run_replaces_the_first_whole(corpus, tmp_path):
    out = tmp_path / "run"
    pipeline.run(corpus, out, FAST, csv=True)
    (out / store.TABLES / "stale.parquet").write_bytes(b"old")
    (out / store.CSV / "stale.csv").write_text("old", encoding="utf-8")
    pipeline.run(corpus, out, FAST)
    assert not (out / store.TABLES / "stale.parquet").exists()
    assert not (out / store.CSV).exists()
    assert [p.name for p in out.parent.iterdir() if p.name.startswith(".run.")] == []


def test_a_user_file_put_into_a_run_folder_is_not_deleted(corpus, tmp_path):
    out = tmp_path / "run"
    pipeline.run(corpus, out, FAST)
    (out / "my-notes.txt").write_text("keep me", encoding="utf-8")
    with pytest.raises(store.RunFolderError, match="my-notes.txt"):
        pipeline.run(corpus, out, FAST)
    assert (out / "my-notes.txt").read_text(encoding="utf-8") == "keep me"


def test_a_failed_run_leaves_the_earlier_run_as_it_was(corpus, tmp_path, monkeypatch):
    out = tmp_path / "run"
    pipeline.run(corpus, out, FAST)
    before = snapshot(out)

    def boom(ctx):
        raise KeyboardInterrupt

    stages = tuple(s if s.name != "spin" else pipeline.Stage(s.name, s.needs, s.config,
                                                                s.tables, boom)
                   for s in pipeline.STAGES)
    monkeypatch.setattr(pipeline, "STAGES", stages)
    with pytest.raises(KeyboardInterrupt):
        pipeline.run(corpus, out, fast(spin={"rate": 0.3, "calibration_articles": 2}))
    assert snapshot(out) == before
    assert [p.name for p in out.parent.iterdir() if p.name.startswith(".run.")] == []


# --- Spreadsheet-safe CSV ------------------------------------------------------------------------

def test_csv_cells_cannot_run_as_formulas_and_parquet_keeps_the_raw_value(corpus, tmp_path):
    manifest = pd.read_csv(corpus / "manifest.csv", keep_default_na=False, dtype=str)
    manifest.loc[0, "label"] = '=HYPERLINK("http://evil.example","x")'
    manifest.loc[1, "label"] = "@SUM(A1:A2)"
    manifest.loc[2, "label"] = "+1-1"
    manifest.to_csv(corpus / "manifest.csv", index=False)
    run_ = pipeline.run(corpus, tmp_path / "run", FAST, csv=True)
    labels = set(run_.table("articles")["label"])
    assert '=HYPERLINK("http://evil.example","x")' in labels
    cells = pd.read_csv(run_.path / store.CSV / "articles.csv", keep_default_na=False,
                        dtype=str)["label"]
    assert not any(c.startswith(("=", "+", "-", "@")) for c in cells)
    assert "'=HYPERLINK(\"http://evil.example\",\"x\")" in set(cells)
    assert "formula" in (run_.path / store.README).read_text(encoding="utf-8")


def test_spreadsheet_safe_leaves_ordinary_cells_alone():
    assert store.spreadsheet_safe("Ankara said") == "Ankara said"
    assert store.spreadsheet_safe(-3) == -3
    assert store.spreadsheet_safe("-3 killed") == "'-3 killed"
    assert store.spreadsheet_safe("\tx") == "'\tx"


# --- One document never stops the run ------------------------------------------------------------

def test_a_document_over_the_time_limit_becomes_an_error_row(corpus, tmp_path, monkeypatch):
    from analysis import claims

    real = claims.extract_claims

    def slow(one):
        if one.articles["id"].iloc[0] == "courier":
            while True:  # a pathological document: never finishes by itself
                time.sleep(0.01)
        return real(one)

    monkeypatch.setattr(claims, "extract_claims", slow)
    config = fast(run={"document_seconds": 0.5})
    run_ = pipeline.run(corpus, tmp_path / "run", config)
    errors = pipeline.errors(run_)
    row = errors[(errors["article_id"] == "courier") & (errors["step"] == "claims")]
    assert len(row) == 1 and "time limit" in row["message"].iloc[0]
    found = run_.table("claims")
    assert len(found) and "courier" not in set(found["article_id"])


def test_stored_corpus_rebuilds_the_loaded_one(corpus, tmp_path):
    from analysis.corpus import load_corpus

    run_ = pipeline.run(corpus, tmp_path / "run", FAST)
    loaded, stored = load_corpus(corpus), pipeline.corpus_from_run(run_.path, corpus)
    for aid in loaded.articles["id"]:
        assert stored.text(aid) == loaded.text(aid)
        assert stored.cleaned[aid].pieces == loaded.cleaned[aid].pieces
    pd.testing.assert_frame_equal(stored.sentences, loaded.sentences, check_dtype=False)


# --- Configuration -------------------------------------------------------------------------------

def test_config_file_and_settings(tmp_path):
    path = tmp_path / "wirespin.toml"
    path.write_text("[reuse]\nmax_gap = 20\n[spin]\ncalibration_articles = 10\n", encoding="utf-8")
    config = load_config(path, {"reuse": {"min_words": 6}})
    assert (config.reuse.max_gap, config.reuse.min_words, config.spin.calibration_articles) == (
        20, 6, 10)
    assert parse_setting("spin.rate=0.2") == ("spin", "rate", 0.2)
    with pytest.raises(ConfigError, match="reuse.maxgap"):
        load_config(None, {"reuse": {"maxgap": 3}})
    with pytest.raises(ConfigError, match="must be int"):
        load_config(None, {"reuse": {"max_gap": "wide"}})
    path.write_text("[reuse\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="wirespin.toml"):
        load_config(path)


def test_no_library_module_reads_the_environment():
    package = Path(pipeline.__file__).resolve().parent
    for path in package.rglob("*.py"):
        source = path.read_text(encoding="utf-8")
        assert "os.environ" not in source and "getenv" not in source, path
