"""Tests of analysis.spin: resources, candidates, flags with evidence, synthetic spinner."""

import pandas as pd
import pytest

from analysis import spin


def test_candidates_from_wordnet_and_swap_list():
    assert "meeting" in spin.candidates("gathering")
    assert spin.candidates("within") == ["in"]
    assert spin.candidates("the") == []  # function words get no WordNet synonyms
    assert "defense" not in spin.candidates("defence")  # spelling variants are not swaps


def test_inflect_round_trip():
    assert spin.inflect("meeting", "s") == "meetings"
    assert spin.inflect("include", "ed") == "included"
    assert spin.inflect("country", "s") == "countries"


def test_spun_phrase_is_flagged_with_evidence():
    found = spin.flag_sentence("The truce has collapsed between your two countries.")
    row = next(f for f in found if f["surface"] == "your")
    assert row["original"] == "the"
    assert row["original_count"] > row["observed_count"]
    assert row["ratio"] == pytest.approx(row["original_count"] / row["observed_count"])
    assert row["phrase"] == "between your two" and row["original_phrase"] == "between the two"


def test_plain_sentence_has_no_flag():
    assert spin.flag_sentence("The leaders held talks in Moscow on Friday.") == []


def test_tautology_of_name_and_abbreviation():
    found = spin.flag_sentence("The United States and US urged an end to the offensive.")
    assert [(f["surface"], f["kind"]) for f in found if f["kind"] == "tautology"] == [
        ("US", "tautology")]
    assert not [f for f in spin.flag_sentence("The United States and Britain urged calm.")
                if f["kind"] == "tautology"]


def test_spin_is_seeded_and_marks_its_swaps():
    text = "The minister said the army would also include the leaders of the two countries."
    a, spans = spin.spin(text, 1.0, seed=3)
    assert (a, spans) == spin.spin(text, 1.0, seed=3)
    assert a != text and spans
    assert spin.spin(text, 0.0, seed=3) == (text, [])
    with pytest.raises(ValueError):
        spin.spin(text, 1.5, seed=0)


def _sentences(texts):
    return pd.DataFrame({"article_id": [f"d{i // 2}" for i in range(len(texts))],
                         "sentence_id": [f"d{i // 2}-s{i:02d}" for i in range(len(texts))],
                         "text": texts})


def test_document_scores_and_decision():
    sents = _sentences(["It died within an airstrike between your two countries.",
                        "Nothing odd here at all.", "The talks were held in Moscow.",
                        "They met on Friday."])
    found = spin.flags(sents)
    scores = spin.decide(spin.document_scores(sents, found), {"d0": 1.0, "d1": 1.0})
    assert scores.set_index("article_id")["spun"].to_dict() == {"d0": True, "d1": False}


def test_choose_threshold_separates_or_sits_above_clean():
    syn = pd.DataFrame({"doc": ["a", "b", "a", "b"], "rate": [0, 0, 0.1, 0.1], "seed": 0,
                        "per_100_words": [0.5, 1.0, 3.0, 2.0]})
    assert spin.choose_threshold(syn, 0.1) == pytest.approx(1.5)
    overlap = syn.assign(per_100_words=[0.5, 2.5, 3.0, 2.0])
    assert spin.choose_threshold(overlap, 0.1) > 2.5
    loo = spin.leave_one_out_thresholds(syn, ["a", "b"], 0.1)
    assert loo == {"a": pytest.approx(1.5), "b": pytest.approx(1.75)}


def test_synthetic_counts_hits():
    sents = _sentences(["The leaders held talks in the capital and agreed to meet again soon.",
                        "Officials said the fighting had forced people to leave their homes."])
    syn = spin.synthetic(sents, rates=(0.0, 0.5), seeds=(0,))
    assert (syn.loc[syn["rate"] == 0, "n_spun"] == 0).all()
    assert syn.loc[syn["rate"] == 0.5, "n_spun"].sum() > 0
    assert (syn["hits"] <= syn[["n_flags", "n_spun"]].min(axis=1)).all()


def test_missing_resource_is_named():
    with pytest.raises(spin.ResourceError, match="no_such_package_xyz"):
        spin.package_dir("no_such_package_xyz")


def test_paired_edits_split_spinner_from_editor():
    from types import SimpleNamespace

    text = "The offensive was halted. They would likewise include militant-held towns."
    corpus = SimpleNamespace(text=lambda _id: text)
    at = text.index
    edits = pd.DataFrame({
        "source_id": "s", "target_id": "t", "kind": ["substitution", "substitution",
                                                     "function_word"],
        "old": ["also", "rebel-held", ""], "new": ["likewise", "militant-held", "that"],
        "target_sentence_id": "t-s02",
        "target_start": [at("likewise"), at("militant-held"), 0],
        "target_end": [at("likewise") + 8, at("militant-held") + 13, 0]})
    out = spin.paired_edits(corpus, edits)
    assert out["side"].tolist() == ["spinner", "editor"]
    assert out.loc[0, "new_count"] < out.loc[0, "old_count"]
