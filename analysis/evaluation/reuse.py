"""Scoring the reuse method's sentence labels against a hand annotation.

The gold file is ``<corpus root>/annotations/reuse/sentences.csv`` (columns ``sentence_id,
source_sentence_id, label``, optional ``note``; see ``data/annotations/reuse/README.md``).
"""

from __future__ import annotations

import pandas as pd

from analysis.corpus import Corpus
from analysis.evaluation import GoldError, Scores, gold_path, scores_frame
from analysis.text import read_table

COLUMNS = ("sentence_id", "source_sentence_id", "label")
LABELS = ("verbatim", "edited", "new")


def read_gold(path, sentences: pd.DataFrame | None = None) -> pd.DataFrame:
    """The annotation at ``path``, checked row by row (errors name file, row and field).

    A sentence id must be non-empty and unique, the label one of :data:`LABELS`, a derived
    sentence must name its source sentence and a new one must not. With ``sentences`` (the
    corpus sentence table) every sentence id and source sentence id must be in the corpus, and
    an ``article_id`` column is added.
    """
    gold = read_table(path, COLUMNS, required=("sentence_id", "label"), error=GoldError)
    article_of = (None if sentences is None else
                  sentences.set_index("sentence_id")["article_id"].to_dict())
    seen: dict[str, int] = {}
    for rec in gold.to_dict("records"):
        row, sid, src, label = rec["_row"], rec["sentence_id"], rec["source_sentence_id"], \
            rec["label"]
        if sid in seen:
            raise GoldError(f"sentence {sid!r} already annotated in row {seen[sid]}",
                            file=path, row=row, field="sentence_id")
        seen[sid] = row
        if label not in LABELS:
            raise GoldError(f"unknown label {label!r}; one of {LABELS}", file=path, row=row,
                            field="label")
        if (label == "new") == bool(src):
            raise GoldError(f"a {label!r} sentence must {'not ' if label == 'new' else ''}"
                            "name a source sentence", file=path, row=row,
                            field="source_sentence_id")
        if article_of is not None:
            for field, value in (("sentence_id", sid), ("source_sentence_id", src)):
                if value and value not in article_of:
                    raise GoldError(f"sentence {value!r} is not in the corpus", file=path,
                                    row=row, field=field)
    if article_of is not None:
        gold.insert(0, "article_id", gold["sentence_id"].map(article_of))
    return gold


def load_gold(corpus: Corpus) -> pd.DataFrame | None:
    """The corpus's reuse annotation, or ``None`` when it has none."""
    path = gold_path(corpus.root, "reuse", "sentences.csv")
    return None if path is None else read_gold(path, corpus.sentences)


def score(labels: pd.DataFrame, gold: pd.DataFrame) -> pd.DataFrame:
    """Scores of the method's sentence labels against ``gold``, one row per test.

    Rows: each label (verbatim, edited, new); ``derived`` (verbatim or edited, whatever the
    source); ``derived, right source`` (a derived sentence counts as correct only with the
    annotated source sentence). Every gold sentence must have a label (sentences of the first
    report have none: it has no earlier report).
    """
    dup = labels.loc[labels["sentence_id"].duplicated(), "sentence_id"]
    if len(dup):
        raise ValueError(f"labels list sentences more than once: {sorted(set(dup))}")
    dup = gold.loc[gold["sentence_id"].duplicated(), "sentence_id"]
    if len(dup):
        raise ValueError(f"annotation lists sentences more than once: {sorted(set(dup))}")
    unknown = sorted(set(gold["sentence_id"]) - set(labels["sentence_id"]))
    if unknown:
        raise ValueError(f"annotation names sentences that have no label (not in the corpus, "
                         f"or in its first report): {unknown}")
    pred = labels[labels["sentence_id"].isin(set(gold["sentence_id"]))]

    def ids(frame: pd.DataFrame, keep) -> set[str]:
        return set(frame.loc[keep(frame), "sentence_id"])

    rows = []
    for lab in LABELS:
        rows.append(Scores.from_sets(ids(pred, lambda f: f["label"] == lab),
                                     ids(gold, lambda f: f["label"] == lab)).as_row(label=lab))
    rows.append(Scores.from_sets(ids(pred, lambda f: f["label"] != "new"),
                                 ids(gold, lambda f: f["label"] != "new")).as_row(
        label="derived"))

    def sourced(frame: pd.DataFrame) -> set[tuple[str, str]]:
        d = frame[frame["label"] != "new"]
        return set(zip(d["sentence_id"], d["source_sentence_id"].fillna("")))

    rows.append(Scores.from_sets(sourced(pred), sourced(gold)).as_row(
        label="derived, right source"))
    return scores_frame(rows)


def null_pairs(gold: pd.DataFrame, order: list[str]) -> list[tuple[str, str]]:
    """Earlier/later pairs (in publication ``order``) whose later report the annotation says
    takes nothing from any earlier one (every annotated sentence of it is new): a passage
    found in such a pair is false. Reports with no annotated sentence are left out."""
    by_article = gold.groupby("article_id")["label"].apply(lambda s: (s == "new").all())
    takes_nothing = {aid for aid, flag in by_article.items() if flag}
    return [(order[i], t) for j, t in enumerate(order) if t in takes_nothing
            for i in range(j)]
