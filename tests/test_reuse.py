"""Tests of analysis.reuse on constructed texts and on the five reports."""

import dataclasses

import pandas as pd
import pytest

from analysis import reuse
from shared import corpus, results

SOURCE = ("The defence ministry said on Monday that Syrian rebels had attacked the northern town "
          "of Saraqeb at dawn, killing five soldiers and wounding many others near the border.")


def edits_between(source: str, target: str) -> list[dict]:
    docs = {"s": reuse.make_doc("s", source), "t": reuse.make_doc("t", target)}
    found = reuse.find_passages(docs, pairs=[("s", "t")])
    assert len(found) == 1
    return reuse.passage_edits(found[0], docs["s"], docs["t"])


def test_edits_are_classified_and_placed():
    target = ("The defense ministry said on Monday Syrian militants had attacked the northern "
              "town of Saraqeb at dawn against terrorists, killing five soldiers and wounding "
              "many others near the border.")
    edits = {e["kind"]: e for e in edits_between(SOURCE, target)}
    assert edits["spelling"]["old"] == "defence" and edits["spelling"]["new"] == "defense"
    assert edits["function_word"]["old"] == "that" and edits["function_word"]["new"] == ""
    assert (edits["substitution"]["old"], edits["substitution"]["new"]) == ("rebels", "militants")
    ins = edits["insertion"]
    assert ins["new"] == "against terrorists" and ins["source_start"] == ins["source_end"]
    assert target[ins["target_start"]:ins["target_end"]] == "against terrorists"
    assert SOURCE[:ins["source_start"]].endswith("at dawn")


def test_deletion_and_quote_style():
    target = SOURCE.replace("northern ", "").replace("at dawn,", "at dawn;")
    kinds = sorted(e["kind"] for e in edits_between(SOURCE, target))
    assert kinds == ["deletion", "punctuation"]


def test_unrelated_texts_share_no_passage():
    docs = {"s": reuse.make_doc("s", SOURCE),
            "t": reuse.make_doc("t", "Markets rose on Monday as oil prices fell for a third "
                                     "day, traders in London said at the close.")}
    assert reuse.find_passages(docs, pairs=[("s", "t")]) == []
    assert reuse.candidates(docs, pairs=[("s", "t")]) == []


def test_align_refuses_a_candidate_for_other_documents():
    docs = {"s": reuse.make_doc("s", SOURCE), "t": reuse.make_doc("t", SOURCE)}
    cand = reuse.candidates(docs, pairs=[("s", "t")])[0]
    with pytest.raises(ValueError, match="does not match"):
        reuse.align(docs["t"], docs["s"], cand)
    with pytest.raises(KeyError):
        reuse.candidates(docs, pairs=[("s", "missing")])


def test_single_shared_word_is_aligned_where_it_belongs():
    a = ("syrian", "rebels", "and", "syria's", "ally", "moscow", "over", "syrian", "president")
    b = ("militants", "in", "syria", "and", "russia", "which", "backs", "the", "syrian", "army")
    equal = [(i1, j1) for tag, i1, _, j1, _ in reuse.align_words(a, b) if tag == "equal"]
    assert equal == [(2, 3), (7, 8)]


def test_bad_parameters_and_inputs_are_refused():
    with pytest.raises(ValueError):
        reuse.Params(n=0)
    with pytest.raises(TypeError):
        reuse.make_doc("x", None)
    with pytest.raises(ValueError):
        reuse.plant_edits(["a"], 0.5, "shuffle", ["b"], __import__("random").Random(1))


def test_wire_is_first_on_a_shared_date():
    order = reuse.publication_order(corpus())
    assert order.index("afp") < order.index("toi") < order.index("anon-003")


def test_containment_is_asymmetric_and_bounded():
    s = results().scores.set_index(["a", "b"])
    assert s["containment"].between(0, 1).all()
    assert s.loc[("toi", "afp"), "containment"] > s.loc[("afp", "toi"), "containment"]


def test_scores_on_constructed_texts_match_hand_counts():
    # Trigrams of x: {a b c, b c d, c d e}; of y: {a b c, b c f, c f g, f g h}; one shared.
    docs = {"x": reuse.make_doc("x", "A b c d e."), "y": reuse.make_doc("y", "a b c f g h.")}
    s = reuse.doc_scores(docs, n=3).set_index(["a", "b"])
    assert s.loc[("x", "y"), "shared_ngrams"] == 1
    assert s.loc[("x", "y"), "containment"] == pytest.approx(1 / 3)
    assert s.loc[("y", "x"), "containment"] == pytest.approx(1 / 4)
    assert s.loc[("x", "y"), "jaccard"] == pytest.approx(1 / 6)  # union: 3 + 4 - 1


def test_copied_edits_contract_and_sentences():
    c = corpus()
    e = reuse.copied_edits(c)
    assert list(e.columns) == reuse.EDIT_COLUMNS
    assert set(e["kind"]) <= set(reuse.EDIT_KINDS)
    sent = c.sentences.set_index("sentence_id")
    for row in e.itertuples():
        for side in ("source", "target"):
            s = sent.loc[getattr(row, f"{side}_sentence_id")]
            assert s["article_id"] == getattr(row, f"{side}_id")
            assert s["start"] <= getattr(row, f"{side}_start") <= s["end"]


@pytest.mark.parametrize("source, target, kind, old, new", [
    ("toi", "anon-003", "substitution", "rebel-held", "militant-held"),
    ("afp", "toi", "spelling", "criticised", "criticized"),
])
def test_known_edits_sit_where_the_words_are(source, target, kind, old, new):
    # Each of these words occurs once in its text, so str.find places it independently.
    c = corpus()
    e = reuse.copied_edits(c)
    row = e[(e["kind"] == kind) & (e["old"] == old) & (e["new"] == new)]
    assert len(row) == 1
    row = row.iloc[0]
    assert (row["source_id"], row["target_id"]) == (source, target)
    s0, t0 = c.text(source).find(old), c.text(target).find(new)
    assert (row["source_start"], row["source_end"]) == (s0, s0 + len(old))
    assert (row["target_start"], row["target_end"]) == (t0, t0 + len(new))


def test_the_inserted_clause_sits_after_offensive():
    c = corpus()
    e = reuse.copied_edits(c)
    row = e[(e["kind"] == "insertion") & (e["new"] == "against terrorists")].iloc[0]
    t0 = c.text("anon-003").find("against terrorists")
    assert (row["target_start"], row["target_end"]) == (t0, t0 + len("against terrorists"))
    # In toi the clause is missing: "over Syria’s offensive near the two ..."
    s0 = c.text("toi").find("over Syria’s offensive near") + len("over Syria’s offensive")
    assert (row["source_start"], row["source_end"]) == (s0, s0)


def test_the_label_swaps_in_anon_003_are_found_with_toi_as_source():
    e = results().edits
    a3 = e[e["target_id"] == "anon-003"]
    assert set(a3["source_id"]) == {"toi"}
    pairs = set(zip(a3["kind"], a3["old"], a3["new"]))
    assert ("insertion", "", "against terrorists") in pairs
    assert ("substitution", "rebel-held", "militant-held") in pairs


def test_voa_and_anon_004_copy_nothing():
    assert not any(p.target_id in ("voa", "anon-004") for p in results().found)


def test_common_source_says_anon_003_copied_toi():
    row = results().common.iloc[0]
    assert (row["target"], row["earlier"], row["later"]) == ("anon-003", "afp", "toi")
    assert row["only_in_later"] > 0 and row["only_in_earlier"] == 0
    assert "copied toi's wording" in row["verdict"]


def test_plant_edits_rates():
    import random
    words = "one two three four five six".split()
    assert reuse.plant_edits(words, 0.0, "mixed", ["x"], random.Random(1)) == words
    assert reuse.plant_edits(words, 1.0, "deletion", ["x"], random.Random(1)) == []
    assert reuse.plant_edits(words, 1.0, "substitution", ["x"], random.Random(1)) == ["x"] * 6


def test_synthetic_check_is_deterministic_and_finds_unedited_copies():
    setup = reuse.synthetic_setup(corpus(), results().found)
    assert setup == reuse.SyntheticSetup("afp", "voa", "anon-004")
    one = reuse.synthetic_check(corpus(), setup, rates=(0.0, 0.6), kinds=("mixed",), trials=5)
    two = reuse.synthetic_check(corpus(), setup, rates=(0.0, 0.6), kinds=("mixed",), trials=5)
    assert one.equals(two)
    assert one.set_index("rate").loc[0.0, "recall"] == 1.0


def fake_passage(source: str, target: str, t0: int, matched: int) -> reuse.Passage:
    return reuse.Passage(source, target, (0, matched), (t0, t0 + matched), 0, 1, 0, 1,
                         matched, 1.0, (("equal", 0, matched, t0, t0 + matched),))


def test_interleaved_sources_of_one_target_are_grouped_per_pair():
    # anon-003 copies afp, then toi, then afp again (ordered by target position).
    primary = [fake_passage("afp", "anon-003", 0, 10), fake_passage("toi", "anon-003", 20, 7),
               fake_passage("afp", "anon-003", 40, 5)]
    d = reuse.pair_directions(corpus(), primary).set_index(["source", "target"])
    assert len(d) == 2
    assert d.loc[("afp", "anon-003"), "passages"] == 2
    assert d.loc[("afp", "anon-003"), "aligned words"] == 15
    assert d.loc[("toi", "anon-003"), "aligned words"] == 7


def test_direction_note_says_when_the_order_is_only_a_tie_break():
    day = pd.Timestamp("2020-02-20")
    arts = pd.DataFrame({"id": ["a", "b", "c", "d"], "date": [day, day, day, day],
                         "agency": ["AFP", float("nan"), "", "Reuters"]}).set_index("id")
    ab = reuse.direction_basis(arts, "a", "b")
    assert ab.startswith("same date; only a carries a wire credit (AFP)")
    assert reuse.direction_of(ab) == reuse.UNDETERMINED
    neither = reuse.direction_basis(arts, "b", "c")
    assert "neither carries a wire credit" in neither and "tie-break" in neither
    assert "nan" not in neither and "carries the wire credit" not in neither
    both = reuse.direction_basis(arts, "a", "d")
    assert "both carry a wire credit (AFP, Reuters)" in both and "tie-break" in both
    arts.loc["d", "date"] = pd.Timestamp("2020-02-21")
    assert reuse.direction_basis(arts, "b", "d") == "earlier publication date"
    assert reuse.direction_of("earlier publication date") == reuse.DIRECTED
    d = results().directions.set_index(["source", "target"])
    assert d.loc[("afp", "toi"), "direction basis"].startswith("same date; only afp carries a "
                                                               "wire credit (AFP)")
    assert d.loc[("afp", "toi"), "direction"] == reuse.UNDETERMINED
    assert d.loc[("toi", "anon-003"), "direction"] == reuse.DIRECTED


def test_labels_do_not_depend_on_the_form_of_sentence_ids():
    c = corpus()
    rename = {sid: f"S{k}" for k, sid in enumerate(c.sentences["sentence_id"])}
    odd = dataclasses.replace(c, sentences=c.sentences.assign(
        sentence_id=c.sentences["sentence_id"].map(rename)))
    got = reuse.sentence_labels(odd, found=results().found)
    want = results().labels.assign(
        sentence_id=lambda f: f["sentence_id"].map(rename),
        source_sentence_id=lambda f: f["source_sentence_id"].map(lambda s: rename.get(s, s)))
    pd.testing.assert_frame_equal(got, want)


def test_composition_of_a_report_without_words():
    labels = pd.DataFrame({"sentence_id": ["toi-s01"], "article_id": ["toi"], "n_words": [0],
                           "source_sentence_id": [""], "aligned_words": [0], "longest_run": [0],
                           "label": ["new"]})
    row = reuse.composition(labels, corpus()).iloc[0]
    assert (row["words"], row["derived_share"], row["meter"]) == (0, 0.0, "non-derived")




def test_documents_are_built_once_per_corpus():
    c = corpus()
    assert reuse.documents(c) is reuse.documents(c)
    other = dataclasses.replace(c)
    assert reuse.documents(other) is not reuse.documents(c)
    assert reuse.documents(other).keys() == reuse.documents(c).keys()


def test_find_passages_aligns_given_candidates():
    docs = {"s": reuse.make_doc("s", SOURCE), "t": reuse.make_doc("t", SOURCE),
            "u": reuse.make_doc("u", SOURCE)}
    cands = reuse.candidates(docs, pairs=[("s", "t")])
    got = reuse.find_passages(docs, candidates=iter(cands))
    assert got == reuse.find_passages(docs, pairs=[("s", "t")])
    assert {(p.source_id, p.target_id) for p in got} == {("s", "t")}
    assert reuse.find_passages(docs, candidates=[]) == []
    with pytest.raises(ValueError, match="not both"):
        reuse.find_passages(docs, pairs=[("s", "t")], candidates=cands)
    with pytest.raises(KeyError):
        reuse.find_passages(docs, candidates=[reuse.Candidate("s", "zz", ((0, 0),))])


def test_method_runs_on_a_corpus_without_the_book_ids(tmp_path):
    from analysis.corpus import init_manifest, load_corpus as load
    raw = tmp_path / "raw"
    raw.mkdir()
    texts = {"a.txt": SOURCE + "\n\nThe region is tense.",
             "b.txt": "Officials spoke.\n\n" + SOURCE.replace("rebels", "militants"),
             "c.txt": "Markets rose on Monday as oil prices fell.\n\nTraders in London "
                      "said at the close that trading was thin."}
    for name, text in texts.items():
        (raw / name).write_text(text, encoding="utf-8")
    path = init_manifest(tmp_path)
    m = pd.read_csv(path, dtype=str, keep_default_na=False)
    m["outlet"], m["date"] = "x", ["2024-01-01", "2024-01-02", "2024-01-03"]
    m.to_csv(path, index=False)
    c = load(tmp_path)
    res = reuse.analyse(c)
    ids = list(c.articles["id"])
    assert {(p.source_id, p.target_id) for p in res.primary} == {(ids[0], ids[1])}
    sub = res.edits[res.edits["kind"] == "substitution"]
    assert list(zip(sub["old"], sub["new"])) == [("rebels", "militants")]
    assert reuse.unrelated_pairs(res.found, ids) == [(ids[0], ids[2]), (ids[1], ids[2])]
