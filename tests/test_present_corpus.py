"""The corpus chapter's tables: audit summaries that add up and name every step's kind."""

from analysis.present import corpus as overview
from analysis.cleaning import STEPS
from analysis.corpus import load_corpus


def test_every_cleaning_step_has_a_kind():
    assert {s.name for s in STEPS} == set(overview.STEP_KINDS)
    assert overview.step_kind("whitespace+nbsp") == "white space normalized"


def test_audit_summary_accounts_for_every_change():
    corpus = load_corpus()
    summary = overview.audit_summary(corpus)
    assert summary["changes"].sum() == len(corpus.edits)
    assert "other" not in set(summary["kind"])
    assert summary["chars_removed"].sum() == corpus.edits["removed"].str.len().sum()


def test_removed_text_leaves_out_pure_white_space():
    rows = overview.removed_text(load_corpus())
    assert (rows["removed"].str.strip().ne("") | rows["inserted"].str.strip().ne("")).all()
    assert "Steve Herman" in " ".join(rows["removed"])


def test_removed_text_puts_metadata_and_boilerplate_first():
    corpus = load_corpus()
    rows = overview.removed_text(corpus)
    rank = rows["kind"].map(overview.KIND_ORDER.index)
    assert rank.is_monotonic_increasing
    assert len(rows) == len(overview.removed_text(corpus).drop_duplicates())
    assert rows["label"].notna().all()


def test_published_tables_name_only_existing_columns():
    corpus = load_corpus()
    assert set(overview.REMOVED_COLUMNS) <= set(overview.removed_text(corpus).columns)
    assert set(overview.ARTICLE_COLUMNS) <= set(overview.article_table(corpus).columns)
