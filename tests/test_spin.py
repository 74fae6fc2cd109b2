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


# --- thesaurus-free evidence and the document decision ------------------------------------------


def _frame(*sentences, article="a"):
    return pd.DataFrame({"article_id": article, "sentence_id": [f"{article}-s{i}" for i in
                                                               range(len(sentences))],
                         "text": list(sentences)})


def test_names_numbers_capitals_and_quotes_are_not_evidence():
    ev = spin.word_evidence(_frame('Putin told Erdogan on 12 March that "troops gallivant here".'))
    words = set(ev["surface"])
    assert not words & {"Putin", "Erdogan", "March", "12", "troops", "gallivant", "here"}
    assert {"told", "on", "that"} <= words


def test_a_rare_word_the_article_repeats_is_vocabulary_not_evidence():
    once = spin.word_evidence(_frame("The bourse fell sharply."))
    twice = spin.word_evidence(_frame("The bourse fell sharply.", "The bourse rose later."))
    assert "bourse" in set(once["surface"]) and "bourse" not in set(twice["surface"])
    assert {"fell", "later"} <= set(twice["surface"])


def test_shipped_decision_needs_strong_evidence():
    d = spin.decision()
    assert d.z_line >= 5  # far above human text: fitted as the top human z plus a margin
    assert d.min_flags >= 2
    assert d.flag_llr >= 2  # a flag is a word at least e^2 times likelier swapped than human
    assert max(d.llr.values()) < 10  # no single word decides


def test_z_alone_or_flags_alone_do_not_call_a_document_spun():
    d = spin.Decision({(1, "uu"): 3.0, (6, "AA"): -1.0}, 0.05, 0.0, 0.1, 2.0, 2.5, 2)
    sent = _frame("x", article="a")
    one_flag = pd.DataFrame({"article_id": ["a"] * 3, "rarity": [1, 6, 6],
                             "context": ["uu", "AA", "AA"]})
    out = spin.evidence_scores(sent, spin.with_llr(one_flag, d), d)
    assert out["z"].iloc[0] >= d.z_line and out["n_flags"].iloc[0] == 1
    assert not out["spun"].iloc[0]
    two = pd.DataFrame({"article_id": ["a"] * 3, "rarity": [1, 1, 6],
                        "context": ["uu", "uu", "AA"]})
    assert spin.evidence_scores(sent, spin.with_llr(two, d), d)["spun"].iloc[0]
    weak = spin.Decision(d.llr, 0.05, 0.0, 0.1, 1e9, 2.5, 2)  # same flags, z under the line
    assert not spin.evidence_scores(sent, spin.with_llr(two, weak), weak)["spun"].iloc[0]


def test_calibration_puts_the_line_above_every_human_document():
    human = _frame("The minister said the talks would resume on Monday in the capital.",
                   "Prices rose in the week to Friday, the bank said in a statement.",
                   article="h1")
    human = pd.concat([human, _frame("Officials said the plan was approved by the cabinet.",
                                     article="h2")])
    ev = spin.word_evidence(human)
    llr = {cell: (2.0 if cell[1] == "uu" else -0.5) for cell in
           set(zip(ev["rarity"], ev["context"])) | {(1, "uu")}}
    d = spin.calibrate(ev, human, llr, max_flags_per_100=0.0, z_margin=1.0)
    z = spin.evidence_scores(human, spin.with_llr(ev, d), d)["z"]
    assert (z + 1.0 <= d.z_line + 1e-9).all() and z.max() + 1.0 == pytest.approx(d.z_line)
    flagged = spin.with_llr(ev, d)["flagged"].sum()
    assert flagged == 0  # no human word may be flagged at a rate of zero per 100 words


def test_book_texts_unspun_are_not_called_spun_and_heavy_spin_is():
    from analysis.corpus import load_corpus
    from shared import BOOK

    sent = load_corpus(BOOK).sentences
    afp = sent[sent["article_id"] == "afp"]
    d = spin.decision()
    plain = spin.evidence_scores(afp, spin.with_llr(spin.word_evidence(afp), d), d)
    assert not plain["spun"].iloc[0]
    spun, _ = spin.spin_sentences(afp, 0.5, 3)
    heavy = spin.evidence_scores(spun, spin.with_llr(spin.word_evidence(spun), d), d)
    assert heavy["spun"].iloc[0] and heavy["z"].iloc[0] > plain["z"].iloc[0] + 5
