"""Tests of analysis.reuse on constructed texts and on the five reports."""

from functools import lru_cache

import pytest

from analysis import reuse
from analysis.corpus import load_corpus

SOURCE = ("The defence ministry said on Monday that Syrian rebels had attacked the northern town "
          "of Saraqeb at dawn, killing five soldiers and wounding many others near the border.")


@lru_cache(maxsize=1)
def corpus():
    return load_corpus()


@lru_cache(maxsize=1)
def results():
    return reuse.analyse(corpus())


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
    assert s.loc[("toi", "afp"), "jaccard"] == s.loc[("afp", "toi"), "jaccard"]


def test_copied_edits_contract_and_offsets():
    c = corpus()
    e = reuse.copied_edits(c)
    assert list(e.columns) == reuse.EDIT_COLUMNS
    assert set(e["kind"]) <= set(reuse.EDIT_KINDS)
    for row in e.itertuples():
        assert c.text(row.source_id)[row.source_start:row.source_end] == row.old
        assert c.text(row.target_id)[row.target_start:row.target_end] == row.new
        assert row.source_sentence_id.startswith(row.source_id + "-s")


def test_the_label_swaps_in_anon_003_are_found_with_toi_as_source():
    e = results().edits
    a3 = e[e["target_id"] == "anon-003"]
    assert set(a3["source_id"]) == {"toi"}
    pairs = set(zip(a3["kind"], a3["old"], a3["new"]))
    assert ("insertion", "", "against terrorists") in pairs
    assert ("substitution", "rebel-held", "militant-held") in pairs


def test_voa_and_anon_004_copy_nothing():
    assert not any(p.target_id in ("voa", "anon-004") for p in results().found)


def test_sentence_labels_agree_with_the_hand_annotation():
    ev = results().evaluation.set_index("label")
    assert ev.loc["derived", "f1"] >= 0.8
    assert ev.loc["new", "f1"] >= 0.8


def test_common_source_says_anon_003_copied_toi():
    row = results().common.iloc[0]
    assert (row["target"], row["earlier"], row["later"]) == ("anon-003", "afp", "toi")
    assert row["only_in_later"] > 0 and row["only_in_earlier"] == 0
    assert "copied toi" in row["verdict"]


def test_plant_edits_rates():
    import random
    words = "one two three four five six".split()
    assert reuse.plant_edits(words, 0.0, "mixed", ["x"], random.Random(1)) == words
    assert reuse.plant_edits(words, 1.0, "deletion", ["x"], random.Random(1)) == []
    assert reuse.plant_edits(words, 1.0, "substitution", ["x"], random.Random(1)) == ["x"] * 6


def test_synthetic_check_is_deterministic_and_finds_unedited_copies():
    one = reuse.synthetic_check(corpus(), rates=(0.0, 0.6), kinds=("mixed",), trials=5)
    two = reuse.synthetic_check(corpus(), rates=(0.0, 0.6), kinds=("mixed",), trials=5)
    assert one.equals(two)
    assert one.set_index("rate").loc[0.0, "recall"] == 1.0


def test_side_by_side_escapes_article_text():
    text = "Officials said <script>alert(1)</script> the rebels attacked the town of Saraqeb today."
    docs = {"s": reuse.make_doc("s", text), "t": reuse.make_doc("t", text)}
    found = reuse.find_passages(docs, pairs=[("s", "t")])
    rows = []
    for p in found:
        left = reuse._highlight(text, p.source_start, p.source_end, [])
        rows.append(left)
    assert rows and all("<script>" not in r and "&lt;script&gt;" in r for r in rows)
    view = reuse.side_by_side(corpus(), results().primary)
    assert repr(view) == f"PassageView: {len(results().primary)} passages"
    assert "<script" not in view._repr_html_()
