"""The methods on the committed sample of real wire copy (tests/fixtures/realnews: 21 Reuters
items of the dev split, hard-wrapped as archived), scored against the team's hand annotation in
data/realnews. The full dev and test splits are scored by benchmarks/*_realnews.py; these floors
keep `make test` honest where the archive is absent. Floors sit a little under what the sample
gives today, so a regression fails and noise does not."""

from pathlib import Path

import pytest

from analysis.evaluation import realnews_quotes
from analysis.evaluation.realnews import load_realnews
from analysis.pipeline import run
from benchmarks.reuse_realnews import score as score_pairs

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "tests" / "fixtures" / "realnews"


@pytest.fixture(scope="module")
def gold():
    return load_realnews(ROOT / "data" / "realnews")


@pytest.fixture(scope="module")
def sample_run(tmp_path_factory):
    return run(SAMPLE, tmp_path_factory.mktemp("realnews") / "run",
               stages=["copies", "voices", "claims"])


def test_the_sample_is_the_annotated_text(gold, sample_run):
    """Every sample file is byte for byte the text the annotation was written on."""
    arts = sample_run.table("articles")
    sha = dict(zip(gold.items["article_id"], gold.items["sha256"]))
    assert len(arts) == 21
    assert all(sha[a] == s for a, s in zip(arts["article_id"], arts["sha256"]))
    assert set(gold.items.set_index("article_id").loc[arts["article_id"], "split"]) == {"dev"}


def test_hard_wrapped_wire_copy_is_reflowed(sample_run):
    """The archive's ~70-column lines are joined: sentences of wire length, not line length."""
    s = sample_run.table("sentences")
    assert s["n_words"].median() >= 15
    cleaning = sample_run.table("cleaning")
    assert (cleaning["step"].str.contains("reflow")).any()
    assert (cleaning["step"].str.contains("wire_signature")).sum() >= 15


def test_typed_pairs(gold, sample_run):
    ids = set(sample_run.table("articles")["article_id"])
    pairs = gold.pairs[gold.pairs["a"].isin(ids) & gold.pairs["b"].isin(ids)]
    assert len(pairs) >= 6 and pairs["type"].nunique() >= 4
    s = score_pairs(pairs, sample_run.table("directions"), sample_run.table("clusters"))
    assert s["copied-story recall"] == 1.0
    assert s["copied-narrative precision"] >= 0.6
    called = s["confusion"]
    for kind in ("shared_quotation", "same_story_independent", "unrelated"):
        if kind in called.index and True in called.columns:
            assert called.loc[kind, True] == 0, kind
    kinds = sample_run.table("passages")["kind"]
    assert {"shared_quotation", "boilerplate", "copied_narrative"} <= set(kinds)


def test_speakers_of_quotations(gold, sample_run):
    ids = set(sample_run.table("articles")["article_id"])
    g, f = realnews_quotes.outcomes(sample_run.table("quotes"),
                                    gold.quotes[gold.quotes["article_id"].isin(ids)],
                                    sample_run.corpus().text)
    s = realnews_quotes.summary(g, f)
    assert s["gold"] >= 30
    assert s["recall"] >= 0.95 and s["precision"] >= 0.9
    assert s["speaker_right_all_named"] >= 0.9
    assert s["wrong"] <= 1


def test_quantitative_claims():
    """The claims method on the sample's claim items, scored as benchmarks/claims_realnews.py
    scores the full splits (sentences cut as the annotation cut them)."""
    from analysis.evaluation import realnews_claims as rn
    from benchmarks.claims_realnews import extract

    gold = rn.load(ROOT / "data" / "realnews")
    texts = {p.stem: p.read_text(encoding="utf-8") for p in (SAMPLE / "raw").glob("*.txt")}
    items = gold.items[gold.items["article_id"].isin(texts)]
    claims = gold.claims[gold.claims["article_id"].isin(texts)]
    assert len(items) >= 3 and len(claims) >= 30
    m = rn.match(extract(items, texts), rn.locate_gold(claims, texts))
    s = rn.summary(m)
    assert s["precision"] >= 0.9 and s["recall"] >= 0.85
    assert s["value_precision"] >= 0.9
    assert s["right_precision"] >= 0.6
