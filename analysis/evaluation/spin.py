"""Scoring the spin detector: against the hand annotation of spun words, and on synthetic copies.

Gold: ``<corpus root>/annotations/spin/spun_words.csv`` (columns documented in its README), one
row per word judged a spinner's substitution. A flag matches a gold word when article, sentence,
word (case-folded) and its occurrence in the sentence agree.
"""

from __future__ import annotations

import pandas as pd

from analysis.corpus import Corpus
from analysis.evaluation import GoldError, Scores, gold_path, scores_frame
from analysis.text import read_table

COLUMNS = ("article_id", "sentence_id", "surface", "occurrence", "reason")
FILE = "spun_words.csv"


def load_gold(corpus: Corpus) -> pd.DataFrame | None:
    """The gold spun words of ``corpus``, or ``None`` when it has no spin annotation."""
    path = gold_path(corpus.root, "spin", FILE)
    if path is None:
        return None
    gold = read_table(path, COLUMNS, required=COLUMNS[:4], error=GoldError)
    articles = set(corpus.articles["id"])
    sentences = set(corpus.sentences["sentence_id"])
    for row in gold.rename(columns={"_row": "line"}).itertuples(index=False):
        if row.article_id not in articles:
            raise GoldError(f"unknown article {row.article_id!r}", file=path, row=row.line,
                            field="article_id")
        if row.sentence_id not in sentences or not row.sentence_id.startswith(row.article_id):
            raise GoldError(f"unknown sentence {row.sentence_id!r}", file=path, row=row.line,
                            field="sentence_id")
        if not row.occurrence.isdigit() or int(row.occurrence) < 1:
            raise GoldError(f"occurrence must be a whole number >= 1, got {row.occurrence!r}",
                            file=path, row=row.line, field="occurrence")
    return gold.assign(occurrence=gold["occurrence"].astype(int))


def _items(frame: pd.DataFrame) -> set[tuple[str, str, str, int]]:
    return {(a, s, w.lower(), int(o)) for a, s, w, o in
            zip(frame["article_id"], frame["sentence_id"], frame["surface"], frame["occurrence"])}


def word_scores(found: pd.DataFrame, gold: pd.DataFrame) -> Scores:
    """Word-level scores of the flags against the gold spun words (all articles pooled)."""
    return Scores.from_sets(_items(found), _items(gold))


def article_scores(found: pd.DataFrame, gold: pd.DataFrame, articles: list[str]) -> pd.DataFrame:
    """One :meth:`Scores.as_row` per article, then the pooled row (``article_id`` = ``all``)."""
    rows = [word_scores(found[found["article_id"] == a], gold[gold["article_id"] == a])
            .as_row(article_id=a) for a in articles]
    rows.append(word_scores(found, gold).as_row(article_id="all"))
    return scores_frame(rows)


def matched_flags(found: pd.DataFrame, gold: pd.DataFrame) -> pd.Series:
    """For each flag, whether the annotator also marked the word."""
    g = _items(gold)
    return pd.Series([item in g for item in
                      zip(found["article_id"], found["sentence_id"],
                          found["surface"].str.lower(), found["occurrence"].astype(int))],
                     index=found.index, dtype=bool)


def synthetic_scores(synthetic: pd.DataFrame, thresholds: dict[str, float]) -> pd.DataFrame:
    """Per spin rate: word-level scores of the flags on the swapped words, false flags per 100
    words, and the share of documents called spun (each against its own leave-one-out line).

    Every document needs a line in ``thresholds``: one without would silently count as not
    called spun, so it is refused by name."""
    missing = sorted(set(synthetic["doc"]) - set(thresholds)) if len(synthetic) else []
    if missing:
        raise ValueError(f"no decision line for synthetic document(s) {', '.join(missing[:5])}"
                         + (f" and {len(missing) - 5} more" if len(missing) > 5 else ""))
    rows = []
    for rate, g in synthetic.groupby("rate"):
        s = Scores.from_matches(int(g["hits"].sum()), int(g["n_flags"].sum()),
                                int(g["n_spun"].sum()))
        called = g["per_100_words"] >= g["doc"].map(thresholds)
        false = 100 * (g["n_flags"] - g["hits"]).sum() / g["n_words"].sum()
        rows.append(s.as_row(rate=rate) | {"documents": len(g),
                                           "called_spun": float(called.mean()),
                                           "false_per_100_words": float(false)})
    return scores_frame(rows)
