"""The corpus chapter's tables: audit summaries that add up and name every step's kind."""

from analysis.present import corpus as overview
from analysis.cleaning import STEPS
from analysis.corpus import load_corpus
from shared import BOOK


def test_every_cleaning_step_has_a_kind():
    assert {s.name for s in STEPS} | {"decode"} == set(overview.STEP_KINDS)  # decode: first row
    assert overview.step_kind("whitespace+nbsp") == "white space normalized"


def test_audit_summary_accounts_for_every_change():
    corpus = load_corpus(BOOK)
    summary = overview.audit_summary(corpus)
    assert summary["changes"].sum() == len(corpus.edits)
    assert "other" not in set(summary["kind"])
    assert summary["chars_removed"].sum() == corpus.edits["removed"].str.len().sum()


def test_removed_text_leaves_out_pure_white_space():
    rows = overview.removed_text(load_corpus(BOOK))
    assert (rows["removed"].str.strip().ne("") | rows["inserted"].str.strip().ne("")).all()
    assert "Steve Herman" in " ".join(rows["removed"])


def test_removed_text_puts_metadata_and_boilerplate_first():
    corpus = load_corpus(BOOK)
    rows = overview.removed_text(corpus)
    rank = rows["kind"].map(overview.KIND_ORDER.index)
    assert rank.is_monotonic_increasing
    assert len(rows) == len(overview.removed_text(corpus).drop_duplicates())
    assert rows["label"].notna().all()


def test_published_tables_name_only_existing_columns():
    corpus = load_corpus(BOOK)
    assert set(overview.REMOVED_COLUMNS) <= set(overview.removed_text(corpus).columns)
    assert set(overview.ARTICLE_COLUMNS) <= set(overview.article_table(corpus).columns)


def test_book_notes_only_for_the_book(tmp_path):
    import shutil


    assert overview.book_notes(load_corpus(BOOK))["book_context"] == overview.BOOK_CONTEXT
    other = tmp_path / "c"
    rows = (BOOK / "manifest.csv").read_text(encoding="utf-8").splitlines()[:3]
    (other / "raw").mkdir(parents=True)
    for row in rows[1:]:  # two of the five texts: not the book's corpus
        name = row.split(",")[1]
        shutil.copy(BOOK / "raw" / name, other / "raw" / name)
    (other / "manifest.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    assert set(overview.book_notes(load_corpus(other)).values()) == {""}


def test_whitespace_share_counts_characters():
    import pandas as pd

    assert overview._pct_whitespace(pd.Series([" \n", "ab"])) == 50
    assert overview._pct_whitespace(pd.Series([], dtype=str)) == 0


def test_book_texts_are_the_manifest_rows(corpus, tmp_path):
    """The presentation's list of the book's texts is data/manifest.csv's ids and checksums, and
    a corpus with one text changed is not the book's."""
    from dataclasses import replace

    from analysis.present import BOOK_TEXTS, is_book_corpus

    assert set(zip(corpus.articles["id"], corpus.articles["sha256"])) == BOOK_TEXTS
    assert is_book_corpus(corpus)
    other = corpus.articles.copy()
    other.loc[0, "sha256"] = "0" * 64
    assert not is_book_corpus(replace(corpus, articles=other))
