"""Tests of analysis.evaluation.spin: gold loading with named errors, word and synthetic scores."""


import pandas as pd
import pytest

from analysis.corpus import load_corpus
from analysis.evaluation import GoldError
from analysis.evaluation import spin as es
from shared import BOOK


@pytest.fixture(scope="module")
def corpus():
    return load_corpus(BOOK)


def test_book_gold_loads(corpus):
    gold = es.load_gold(corpus)
    assert gold is not None and len(gold) > 0
    assert set(gold.columns) >= set(es.COLUMNS)


def test_no_annotation_gives_none(tmp_path, corpus):
    fake = type(corpus)(tmp_path, corpus.articles, corpus.paragraphs, corpus.sentences,
                        corpus.edits, corpus.cleaned)
    assert es.load_gold(fake) is None


def test_bad_sentence_is_named(tmp_path, corpus):
    (tmp_path / "annotations" / "spin").mkdir(parents=True)
    aid = corpus.articles["id"].iloc[0]
    (tmp_path / "annotations" / "spin" / es.FILE).write_text(
        "article_id,sentence_id,surface,occurrence,reason\n"
        f"{aid},{aid}-s99,word,1,x\n", encoding="utf-8")
    fake = type(corpus)(tmp_path, corpus.articles, corpus.paragraphs, corpus.sentences,
                        corpus.edits, corpus.cleaned)
    with pytest.raises(GoldError, match="row 2.*sentence_id"):
        es.load_gold(fake)


def test_word_scores_match_on_word_and_occurrence():
    gold = pd.DataFrame({"article_id": ["a", "a"], "sentence_id": ["a-s01", "a-s02"],
                         "surface": ["your", "within"], "occurrence": [1, 1]})
    found = pd.DataFrame({"article_id": ["a", "a"], "sentence_id": ["a-s01", "a-s03"],
                          "surface": ["Your", "odd"], "occurrence": [1, 1]})
    s = es.word_scores(found, gold)
    assert (s.tp, s.fp, s.fn) == (1, 1, 1)
    assert es.matched_flags(found, gold).tolist() == [True, False]


def test_synthetic_scores_per_rate():
    syn = pd.DataFrame({"doc": ["a", "b", "a", "b"], "rate": [0.0, 0.0, 0.1, 0.1],
                        "seed": 0, "n_words": 100, "n_spun": [0, 0, 10, 10],
                        "n_flags": [1, 0, 5, 3], "hits": [0, 0, 4, 2],
                        "per_100_words": [1.0, 0.0, 5.0, 3.0]})
    out = es.synthetic_scores(syn, {"a": 2.0, "b": 4.0}).set_index("rate")
    assert out.loc[0.1, "recall"] == pytest.approx(6 / 20)
    assert out.loc[0.1, "precision"] == pytest.approx(6 / 8)
    assert out.loc[0.1, "called_spun"] == pytest.approx(0.5)
    assert out.loc[0.0, "false_per_100_words"] == pytest.approx(0.5)


def test_synthetic_scores_refuse_a_document_without_a_line():
    """A copy with no line would silently count as not called spun."""
    syn = pd.DataFrame({"doc": ["a", "b"], "rate": [0.0, 0.1], "seed": 0, "n_words": 100,
                        "n_spun": [0, 10], "n_flags": [1, 5], "hits": [0, 4],
                        "per_100_words": [1.0, 5.0]})
    with pytest.raises(ValueError, match="no decision line .* b"):
        es.synthetic_scores(syn, {"a": 2.0})


# --- the independent validation spinner ----------------------------------------------------------

TINY = BOOK.parent / "tests" / "fixtures" / "thesaurus" / "tiny.txt"


def test_text_thesaurus_reads_meanings():
    th = es.read_thesaurus_text(TINY)
    assert set(th.synonyms["soldier"]) == {"trooper", "warrior", "serviceman"}
    assert "bump off" not in th.synonyms["kill"]  # multiword entries are not single swaps
    assert "kill" in th.synonyms["slay"]


def test_text_thesaurus_refuses_one_word_meaning(tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_text("kill, slay\nlonely\n", encoding="utf-8")
    with pytest.raises(es.ThesaurusError, match="line 2"):
        es.read_thesaurus_text(bad)


def test_spin_with_swaps_only_thesaurus_words_and_keeps_names():
    th = es.read_thesaurus_text(TINY)
    text = "Soldiers said Putin would attack, the statement said."
    spun, spans = es.spin_with(text, 1.0, 0, th)
    swapped = [spun[a:b] for a, b in spans]
    assert "Putin" in spun and len(swapped) == 5  # soldiers, said, attack, statement, said
    assert swapped[0] in ("Troopers", "Warriors", "Servicemans")  # re-inflected, capital kept
    assert es.spin_with(text, 0.0, 0, th) == (text, [])
    with pytest.raises(ValueError):
        es.spin_with(text, 1.5, 0, th)


def test_aiksaurus_reader_on_a_tiny_binary(tmp_path):
    import struct
    words = [b"assault", b"attack", b"go:for"]
    blob = b"".join(w + b"\0" + struct.pack(">HH", 0, 0xFFFF) for w in words)
    (tmp_path / "words.dat").write_bytes(blob)
    (tmp_path / "meanings.dat").write_bytes(struct.pack(">HHHHHH", 0, 1, 0, 1, 2, 0xFFFF))
    th = es.read_aiksaurus(tmp_path)
    assert th.synonyms == {"assault": ("attack",), "attack": ("assault",)}
    (tmp_path / "meanings.dat").write_bytes(struct.pack(">HHHH", 0, 1, 7, 0xFFFF))
    with pytest.raises(es.ThesaurusError, match="word number"):
        es.read_aiksaurus(tmp_path)


def test_shared_pairs_counts_what_wordnet_also_lists():
    th = es.Thesaurus("t", {"kill": ("defeat", "zzzq"), "defeat": ("kill",), "zzzq": ("kill",)})
    assert es.shared_pairs(th) == pytest.approx(0.5)  # kill-defeat in WordNet, kill-zzzq not
