"""`python -m analysis run` on the fixture corpus (tests/fixtures/corpus): the planted findings
come out, checked against the hand answers in tests/fixtures/answers/."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from analysis import pipeline

FIXTURES = Path(__file__).resolve().parent / "fixtures"
CORPUS = FIXTURES / "corpus"
ANSWERS = FIXTURES / "answers"


@pytest.fixture(scope="module")
def out(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("run")
    done = subprocess.run([sys.executable, "-m", "analysis", "run", str(CORPUS), "--out",
                           str(folder / "run"), "--quiet", "--csv"], capture_output=True,
                          text=True)
    assert done.returncode == 0, done.stderr
    return folder / "run"


def read(out: Path, name: str) -> pd.DataFrame:
    return pd.read_csv(out / "csv" / f"{name}.csv", keep_default_na=False)


def test_every_table_and_readme_written(out):
    for name in ("articles", "passages", "edits", "sentence_labels", "composition", "claims",
                 "claim_comparison", "quotes", "reported_speech", "label_uses", "keyness",
                 "framing_edits", "spin_flags", "spin_scores", "errors"):
        assert (out / "csv" / f"{name}.csv").is_file(), name
        assert f"`{name}`" in (out / "README.md").read_text(encoding="utf-8")
    assert len(read(out, "articles")) == 8


def test_copy_direction(out):
    expected = set(map(tuple, pd.read_csv(ANSWERS / "copies.csv")[["source_id", "target_id"]]
                       .to_numpy()))
    found = set(map(tuple, read(out, "directions")[["source_id", "target_id"]].to_numpy()))
    assert found == expected


def test_planted_edits_found(out):
    edits = read(out, "edits")
    for row in pd.read_csv(ANSWERS / "edits.csv", keep_default_na=False).itertuples():
        pair = edits[(edits["source_id"] == row.source_id) & (edits["target_id"] == row.target_id)
                     & (edits["kind"] == row.kind)]
        hit = pair[pair["old"].str.contains(row.old, regex=False)
                   & pair["new"].str.contains(row.new, regex=False)]
        assert len(hit), f"planted {row.kind} {row.old!r}->{row.new!r} in {row.target_id} not found"


def test_named_speakers_without_a_table(out):
    quotes, reported = read(out, "quotes"), read(out, "reported_speech")
    said = pd.concat([quotes[["article_id", "speaker"]], reported[["article_id", "speaker"]]])
    for row in pd.read_csv(ANSWERS / "speakers.csv").itertuples():
        names = set(said.loc[said["article_id"] == row.article_id, "speaker"])
        assert row.speaker in names, f"{row.article_id}: {row.speaker} not found in {names}"


def test_the_conflict_and_the_agreement(out):
    comparison = read(out, "claim_comparison")
    verdicts = " ".join(comparison["verdict"])
    assert "conflict" in verdicts
    conflict = comparison[comparison["verdict"].str.contains("conflict")]
    assert conflict.astype(str).apply(lambda r: "12" in " ".join(r) and "7" in " ".join(r),
                                      axis=1).any()
    assert (comparison["verdict"] == "agree").any()


def test_awkward_text_does_not_stop_the_run(out):
    """`notes` has `* * *`, a lone dash, "several million" and a quotation that never closes:
    the run finishes, its other rows are there, and what cannot be handled is an error row."""
    errors = read(out, "errors")
    assert list(errors.columns) == list(pipeline.ERROR_COLUMNS)
    assert (read(out, "sentences")["article_id"] == "notes").any()
    assert not errors["step"].str.startswith("reuse").any(), errors.to_string()
    unclosed = errors[(errors["article_id"] == "notes") & (errors["step"] == "quotes")]
    assert unclosed["message"].str.contains("closing mark missing").any(), errors.to_string()
    claims = read(out, "claims")
    several = claims[claims["surface"].str.contains("several million")]
    assert len(several) == 1 and float(several["low"].iloc[0]) >= 2_000_000


def test_one_failing_article_is_one_error_row(monkeypatch, tmp_path):
    from analysis import claims

    real = claims.extract_claims

    def flaky(corpus):
        if "post" in set(corpus.articles["id"]):
            raise RuntimeError("cannot read this one")
        return real(corpus)

    monkeypatch.setattr(claims, "extract_claims", flaky)
    tables = pipeline.tables(pipeline.run(CORPUS, tmp_path / "run"))
    rows = tables["errors"][tables["errors"]["step"] == "claims"]
    assert list(rows["article_id"]) == ["post"]
    assert "cannot read this one" in rows["message"].iloc[0]
    assert set(tables["claims"]["article_id"]) >= {"northwire", "radio"}


def test_spin_scores_every_article(out):
    scores = read(out, "spin_scores")
    assert set(scores["article_id"]) == set(read(out, "articles")["article_id"])
    assert {"per_100_words", "threshold", "spun"} <= set(scores.columns)


def test_the_book_reads_the_same_tables_as_the_command_line(out, tmp_path):
    """A chapter's stored run (present.book.open_run) and `python -m analysis run` on the same
    folder hold the same tables, row for row."""
    from analysis.present.book import open_run
    from analysis.store import StoredRun

    book, cli = open_run(CORPUS, tmp_path / "book-run"), StoredRun.open(out)
    assert set(book.tables) == set(cli.tables)
    for name in cli.tables:
        pd.testing.assert_frame_equal(book.table(name), cli.table(name), obj=name)
