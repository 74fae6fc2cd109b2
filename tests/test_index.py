"""Tests of analysis.index: the index finds what the all-pairs search finds, faster."""

from collections import Counter
from functools import lru_cache

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis import index, reuse
from benchmarks.scale import score, synthetic_corpus
from analysis.corpus import load_corpus
from shared import BOOK


@lru_cache(maxsize=1)
def five():
    return reuse.documents(load_corpus(BOOK))


@lru_cache(maxsize=1)
def synthetic():
    return synthetic_corpus(150, seed=11, random_words=True)


def test_exact_settings_give_the_all_pairs_candidates_on_the_five_texts():
    docs = five()
    assert list(index.candidates(docs, index_params=index.EXACT)) == reuse.candidates(docs)


def test_default_settings_give_the_all_pairs_passages_on_the_five_texts():
    docs = five()
    expected = reuse.find_passages(docs)
    assert expected
    assert index.find_passages(docs) == expected
    assert index.find_passages({k: d.text for k, d in docs.items()}) == expected


def test_synthetic_corpus_exact_settings_give_the_all_pairs_candidates_and_passages():
    syn = synthetic()
    docs = {k: reuse.make_doc(k, v) for k, v in syn.texts.items()}
    cands = list(index.candidates(syn.texts, index_params=index.EXACT))
    assert cands == reuse.candidates(docs)
    assert index.find_passages(syn.texts, index_params=index.EXACT) == reuse.find_passages(docs)


def test_synthetic_corpus_default_settings_miss_only_pairs_without_two_shared_5_grams():
    syn = synthetic()
    docs = {k: reuse.make_doc(k, v) for k, v in syn.texts.items()}
    expected = reuse.find_passages(docs)
    found = index.find_passages(syn.texts)
    assert [p for p in expected if p in found] == found  # same passages, same order
    for p in expected:
        if p not in found:
            shared = np.intersect1d(*(index.gram_hashes(index.text_hashes(docs[k]), 5)
                                      for k in (p.source_id, p.target_id)))
            assert len(shared) < index.INDEX_DEFAULT.min_seeds
    assert len(found) >= 0.97 * len(expected)
    assert score(found, syn.planted)["recall"] >= 0.98


def test_chosen_pairs_are_far_fewer_than_all_pairs_and_hold_the_planted_pairs():
    syn = synthetic()
    ids = list(syn.texts)
    pairs = index.candidate_pairs(syn.texts)
    chosen = {(ids[s], ids[t]) for s, t, _ in pairs.tolist()}
    planted = {(p.source_id, p.target_id) for p in syn.planted}
    assert len(planted - chosen) <= 0.03 * len(planted)
    assert len(chosen) < len(ids) * (len(ids) - 1) // 20
    assert (pairs[:, 0] < pairs[:, 1]).all()
    assert (np.lexsort((pairs[:, 0], pairs[:, 1])) == np.arange(len(pairs))).all()


def test_word_hashes_of_a_text_match_its_document():
    text = ("The Defence ministry’s “S-400” deal – signed in 2019 – was analysed; "
            "the defense ministry's S-400 deal-was 3.6 billion.")
    assert (index.text_hashes(text) == index.text_hashes(reuse.make_doc("x", text))).all()
    for doc in five().values():
        assert (index.text_hashes(doc.text) == index.text_hashes(doc)).all()
    h = index.gram_hashes(index.text_hashes("defence ministry said, the DEFENSE Ministry said"),
                          3)
    assert len(h) == 5 and h[0] == h[4] and len(set(h.tolist())) == 4


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 6), st.integers(0, 9)), max_size=60, unique=True),
       st.sampled_from([None, 2, 3]))
def test_join_counts_shared_grams_of_every_pair(postings, max_df):
    h = np.array([p[0] for p in postings], dtype=np.uint64)
    d = np.array([p[1] for p in postings], dtype=np.int64)
    codes, counts = index.join_bucket(h, d, 10, max_df)
    docs_of = {g: sorted(x for y, x in postings if y == g) for g in {p[0] for p in postings}}
    expected = Counter((a, b) for g, ds in docs_of.items()
                       if max_df is None or len(ds) <= max_df
                       for i, a in enumerate(ds) for b in ds[i + 1:])
    assert dict(zip((divmod(c, 10) for c in codes.tolist()), counts.tolist())) == expected


def test_boilerplate_and_single_shared_grams_make_no_pair():
    shared = "the minister said on friday that the talks would go on next week"
    texts = {f"d{k}": f"alpha{k} beta{k} gamma{k} {shared} delta{k} epsilon{k}" for k in range(4)}
    texts["e"] = "omega psi chi the minister said on friday zeta eta theta iota"
    ids = list(texts)
    pairs = index.candidate_pairs(texts)
    got = {(ids[s], ids[t]) for s, t, _ in pairs.tolist()}
    assert ("d0", "d1") in got and not any("e" in p for p in got)
    assert len(index.candidate_pairs(texts, index_params=index.IndexParams(max_df=3))) == 0
    assert index.find_passages(texts, index_params=index.IndexParams(max_df=3)) == []


def test_progress_is_reported_and_empty_input_gives_nothing(capsys):
    seen = []
    index.find_passages(five(), progress=lambda stage, done, total: seen.append(stage))
    assert {"hash", "join", "align"} <= set(seen)
    index.find_passages(five(), progress=True)
    assert "index: align" in capsys.readouterr().err
    assert index.find_passages({}) == []
    assert index.candidate_pairs({"a": "one two"}).shape == (0, 3)


def test_bad_settings_and_documents_are_refused():
    with pytest.raises(ValueError):
        index.IndexParams(min_seeds=0)
    with pytest.raises(ValueError):
        index.IndexParams(max_df=1)
    with pytest.raises(TypeError, match="Doc or a text"):
        index.find_passages({"a": 42})
