"""Passage kinds: a shared quotation or an outlet's template is not copying."""

import pathlib
import tempfile

import pytest
from shared import BOOK

from analysis import reuse
from analysis.passage_kinds import (KindParams, Typer, copying_pairs, outlet_boilerplate,
                                    quoted_words)
from analysis.pipeline import run
from analysis.reuse import make_doc

QUOTE = ('"We will not accept any attack on our soldiers and we will answer every violation of '
         'the ceasefire with force," the minister said.')
TEMPLATE = ("For the latest prices of grain futures in Chicago and the full market report please "
            "see the daily grain bulletin published every morning by the exchange desk.")


def _docs(texts: dict[str, str]) -> dict:
    return {k: make_doc(k, v) for k, v in texts.items()}


def _passages(docs, a, b):
    return reuse.find_passages({a: docs[a], b: docs[b]}, reuse.DEFAULT, [(a, b)])


def test_quoted_words_follow_quote_marks():
    doc = make_doc("d", 'He said "stop the war now" and left.')
    flags = dict(zip((t.text for t in doc.tokens), quoted_words(doc)))
    assert flags["stop"] and flags["now"] and not flags["said"] and not flags["left"]


def test_a_shared_statement_is_a_shared_quotation():
    docs = _docs({"a": "Fighting went on in the north on Monday. " + QUOTE + " Markets fell.",
                  "b": "Officials in the capital met to discuss trade tariffs. " + QUOTE
                       + " The talks end today."})
    found = _passages(docs, "a", "b")
    assert found, "the shared statement must align"
    typer = Typer(docs, {"a": "x", "b": "y"})
    assert {typer.kind(p) for p in found} == {"shared_quotation"}
    kinds = [(p.source_id, p.target_id, typer.kind(p), p.n_matched) for p in found]
    assert copying_pairs(kinds, {'a': 30, 'b': 30}) == set()


def test_narrative_copy_is_copying():
    story = ("Troops crossed the river at dawn and took three villages before the rain came, "
             "local officials told reporters in the provincial capital on Tuesday evening.")
    docs = _docs({"a": story + " More later.", "b": "Update. " + story})
    found = _passages(docs, "a", "b")
    typer = Typer(docs, {"a": "x", "b": "y"})
    kinds = [(p.source_id, p.target_id, typer.kind(p), p.n_matched) for p in found]
    assert {k for _, _, k, _ in kinds} == {"copied_narrative"}
    lengths = {k: len(d.tokens) for k, d in docs.items()}
    assert copying_pairs(kinds, lengths) == {("a", "b")}
    assert copying_pairs(kinds, lengths, KindParams(min_narrative_words=500)) == set()
    # The same shared words inside a much longer text are too small a share to be a copy.
    assert copying_pairs(kinds, {"a": 1000, "b": 1000}) == set()


def test_outlet_template_is_boilerplate_learnt_from_its_own_articles():
    bodies = ["Wheat rose two cents on strong export demand.", "Corn fell on rain forecasts.",
              "Soybeans were steady in thin trade.", "Oats gained after a crop report.",
              "Barley slipped as the dollar firmed.", "Rice was unchanged on the day."]
    texts = {f"d{k}": f"{body} {TEMPLATE}" for k, body in enumerate(bodies)}
    docs = _docs(texts)
    outlets = {k: "grain desk" for k in texts}
    assert outlet_boilerplate(docs, outlets)["grain desk"]
    found = _passages(docs, "d0", "d1")
    assert found
    assert {Typer(docs, outlets).kind(p) for p in found} == {"boilerplate"}
    # The same two texts from outlets too small to learn a template from: narrative.
    few = {k: v for k, v in list(docs.items())[:2]}
    assert {Typer(few, outlets).kind(p) for p in found} == {"copied_narrative"}


def test_bad_parameters_are_refused():
    with pytest.raises(ValueError):
        KindParams(min_articles=1)
    with pytest.raises(ValueError):
        KindParams(quotation_share=0)


def test_book_run_types_its_passages_and_keeps_its_copies():
    with tempfile.TemporaryDirectory() as tmp:
        r = run(BOOK, pathlib.Path(tmp) / "run", stages=["copies"])
        p = r.table("passages")
        assert set(p["kind"]) <= {"copied_narrative", "shared_quotation", "boilerplate"}
        assert "shared_quotation" in set(p["kind"])  # AFP's quotation of Akar reprinted by ToI
        d = r.table("directions")
        assert set(zip(d["source_id"], d["target_id"])) == {("afp", "toi"), ("toi", "anon-003")}
        c = r.table("clusters")
        assert set(c["article_id"]) == {"afp", "toi", "anon-003"}
        assert set(c["likely_source"]) == {"afp"}
        assert set(c["source_basis"]) == {reuse.UNDETERMINED}


def test_a_template_filled_with_new_figures_is_still_boilerplate():
    texts = {f"d{k}": f"Company {name} said. Qtly div {k + 3} cts vs {k + 2} cts prior pay "
                      f"March {k + 10} record March {k + 1} and the board met on the day."
             for k, name in enumerate(["Alpha", "Beta", "Gamma", "Delta", "Epsilon", "Zeta"])}
    docs = _docs(texts)
    outlets = {k: "wire" for k in texts}
    found = _passages(docs, "d0", "d1")
    assert found
    assert {Typer(docs, outlets).kind(p) for p in found} == {"boilerplate"}
