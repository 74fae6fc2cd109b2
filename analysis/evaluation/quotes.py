"""Scoring :mod:`analysis.quotes` against the hand annotation ``annotations/quotes/quotes.csv``.

Matching rules (also in the annotation's README): a predicted and a gold quotation match
*exactly* with the same start and end, *partially* when they share a character (one to one,
largest overlap first). Speaker accuracy is counted over partially matched pairs. Reported speech
is compared as (article, sentence) and (article, sentence, speaker) sets.

Speakers are measured twice: with the corpus's speakers table (names mapped to its canonical
names while finding) and without it (names as the text prints them). To compare a name found
without the table with the annotation's canonical name, the table's aliases are used as a key
only: ``Turkey`` counts as ``Turkish government`` because the table lists it as an alias. A name
the table does not list counts as wrong.
"""

from __future__ import annotations

import pandas as pd

from analysis import quotes as method
from analysis import speakers
from analysis.corpus import Corpus
from analysis.evaluation import GoldError, Scores, gold_path
from analysis.text import read_table

TASK, FILE = "quotes", "quotes.csv"
GOLD_COLUMNS = ("type", "article_id", "sentence_ids", "text", "kind", "speaker", "cue",
                "mention", "note")


def load_gold(corpus: Corpus) -> pd.DataFrame | None:
    """The hand annotation with clean-text offsets for each direct quotation, or ``None``.

    A quoted text is looked up inside the sentence(s) it is filed under; a text that is not
    there, an unknown sentence id, or (when the corpus has a speakers table) a speaker missing
    from it is a :class:`GoldError` naming file, row and field.
    """
    path = gold_path(corpus.root, TASK, FILE)
    if path is None:
        return None
    gold = read_table(path, GOLD_COLUMNS, required=("type", "article_id", "sentence_ids",
                                                    "speaker"), error=GoldError)
    sents = corpus.sentences.set_index("sentence_id")
    table_path = speakers.speakers_path(corpus.root)
    names = (set(speakers.load_speakers(table_path)["name"]) | {speakers.UNKNOWN}
             if table_path else None)
    starts, ends = [], []
    for row in gold.to_dict("records"):
        line = row["_row"]
        if row["type"] not in ("direct", "reported"):
            raise GoldError(f"type {row['type']!r} is not direct or reported", file=path,
                            row=line, field="type")
        if names is not None and row["speaker"] not in names:
            raise GoldError(f"speaker {row['speaker']!r} is not in the speakers table",
                            file=path, row=line, field="speaker")
        ids = row["sentence_ids"].split(";")
        for sid in ids:
            if sid not in sents.index or sents.loc[sid, "article_id"] != row["article_id"]:
                raise GoldError(f"sentence {sid!r} is not in {row['article_id']!r}", file=path,
                                row=line, field="sentence_ids")
        if row["type"] == "reported":
            starts.append(-1), ends.append(-1)
            continue
        lo, hi = int(sents.loc[ids[0], "start"]), int(sents.loc[ids[-1], "end"])
        found = corpus.text(row["article_id"]).find(row["text"], lo, hi)
        if not row["text"] or found < 0:
            raise GoldError(f"quoted text not found in {row['sentence_ids']}", file=path,
                            row=line, field="text")
        starts.append(found), ends.append(found + len(row["text"]))
    return gold.assign(start=starts, end=ends,
                       sentence_id=gold["sentence_ids"].str.split(";").str[0])


def canonical(names: pd.Series, corpus: Corpus) -> pd.Series:
    """Names mapped to the speakers table's canonical names through its aliases (a key for
    comparing with the annotation); unchanged when the corpus has no table."""
    finder = speakers.finder(corpus.root)
    known = set(finder.table.index) if finder.table is not None else set()
    return names.map(lambda n: n if n in known else
                     finder.alias_to_name.get(speakers.alias_key(n), n))


def match_spans(pred: pd.DataFrame, gold: pd.DataFrame, exact: bool) -> list[tuple[int, int]]:
    """One-to-one pairs (pred row, gold row) of spans in the same article.

    Exact: same start and end. Partial: at least one shared character, largest overlap first.
    """
    candidates = []
    for gi, g in gold.iterrows():
        same = pred[pred["article_id"] == g["article_id"]]
        for pi, p in same.iterrows():
            overlap = min(p["end"], g["end"]) - max(p["start"], g["start"])
            if (exact and p["start"] == g["start"] and p["end"] == g["end"]) or (
                    not exact and overlap > 0):
                candidates.append((-overlap, gi, pi))
    used_p, used_g, pairs = set(), set(), []
    for _, gi, pi in sorted(candidates):
        if gi not in used_g and pi not in used_p:
            used_g.add(gi), used_p.add(pi)
            pairs.append((pi, gi))
    return sorted(pairs)


def _direct(gold: pd.DataFrame) -> pd.DataFrame:
    return gold[gold["type"] == "direct"].reset_index(drop=True)


def score_spans(pred: pd.DataFrame, gold: pd.DataFrame, exact: bool) -> Scores:
    """Quote spans against the gold direct quotations, exact or partial matching."""
    g, p = _direct(gold), pred.reset_index(drop=True)
    return Scores.from_matches(len(match_spans(p, g, exact)), len(p), len(g))


def speaker_agreement(pred: pd.DataFrame, gold: pd.DataFrame) -> tuple[int, int]:
    """(correct, matched): partially matched quotations whose speaker equals the gold one."""
    g, p = _direct(gold), pred.reset_index(drop=True)
    pairs = match_spans(p, g, exact=False)
    return sum(p.loc[i, "speaker"] == g.loc[j, "speaker"] for i, j in pairs), len(pairs)


def kind_agreement(pred: pd.DataFrame, gold: pd.DataFrame) -> tuple[int, int]:
    """(correct, matched): matched quotations whose statement/phrase kind equals the gold one."""
    g, p = _direct(gold), pred.reset_index(drop=True)
    pairs = match_spans(p, g, exact=False)
    return sum(p.loc[i, "kind"] == g.loc[j, "kind"] for i, j in pairs), len(pairs)


def score_reported(pred: pd.DataFrame, gold: pd.DataFrame, with_speaker: bool) -> Scores:
    """Reported speech as (article, sentence[, speaker]) sets."""
    keys = ["article_id", "sentence_id"] + (["speaker"] if with_speaker else [])
    g = gold[gold["type"] == "reported"]
    return Scores.from_sets(map(tuple, pred[keys].to_numpy()), map(tuple, g[keys].to_numpy()))


def _predictions(corpus: Corpus, use_table: bool) -> tuple[pd.DataFrame, pd.DataFrame]:
    q = method.find_quotes(corpus, use_table=use_table)
    r = method.find_reported(corpus, use_table=use_table)
    if not use_table:
        q = q.assign(speaker=canonical(q["speaker"], corpus))
        r = r.assign(speaker=canonical(r["speaker"], corpus))
    return q, r


def scores_table(corpus: Corpus, gold: pd.DataFrame) -> pd.DataFrame:
    """One row per measure and setting (with / without the speakers table): Scores rows for
    spans and reported speech, plus speaker and kind accuracy on matched quotations."""
    rows = []
    for use_table in (True, False):
        setting = "with table" if use_table else "without table"
        q, r = _predictions(corpus, use_table)
        for measure, s in (
                ("quote spans, exact match", score_spans(q, gold, exact=True)),
                ("quote spans, partial match", score_spans(q, gold, exact=False)),
                ("reported speech, sentences", score_reported(r, gold, with_speaker=False)),
                ("reported speech, sentence + speaker", score_reported(r, gold, True))):
            rows.append(s.as_row(measure=measure, setting=setting))
        for measure, (ok, n) in (("quote speaker (matched quotations)",
                                  speaker_agreement(q, gold)),
                                 ("quote kind (matched quotations)", kind_agreement(q, gold))):
            rows.append({"measure": measure, "setting": setting, "gold": n, "predicted": n,
                         "correct": ok, "accuracy": ok / n if n else 1.0})
    cols = ["measure", "setting", "gold", "predicted", "correct", "precision", "recall", "f1",
            "accuracy"]
    return pd.DataFrame(rows).reindex(columns=cols)


def quote_errors(pred: pd.DataFrame, gold: pd.DataFrame) -> pd.DataFrame:
    """Every disagreement with the annotation: missed, spurious, wrong span, kind or speaker."""
    gold, pred = _direct(gold), pred.reset_index(drop=True)
    pairs = match_spans(pred, gold, exact=False)
    rows = []
    for p, g in pairs:
        problems = [name for name, bad in (
            ("span", (pred.loc[p, "start"], pred.loc[p, "end"])
             != (gold.loc[g, "start"], gold.loc[g, "end"])),
            ("kind", pred.loc[p, "kind"] != gold.loc[g, "kind"]),
            ("speaker", pred.loc[p, "speaker"] != gold.loc[g, "speaker"])) if bad]
        if problems:
            rows.append({"article_id": gold.loc[g, "article_id"],
                         "sentence_id": gold.loc[g, "sentence_id"], "error": "+".join(problems),
                         "quote": gold.loc[g, "text"],
                         "annotated": f"{gold.loc[g, 'kind']}, {gold.loc[g, 'speaker']}",
                         "found": f"{pred.loc[p, 'kind']}, {pred.loc[p, 'speaker']}"})
    for g in sorted(set(gold.index) - {g for _, g in pairs}):
        rows.append({"article_id": gold.loc[g, "article_id"],
                     "sentence_id": gold.loc[g, "sentence_id"], "error": "missed",
                     "quote": gold.loc[g, "text"],
                     "annotated": f"{gold.loc[g, 'kind']}, {gold.loc[g, 'speaker']}", "found": ""})
    for p in sorted(set(pred.index) - {p for p, _ in pairs}):
        rows.append({"article_id": pred.loc[p, "article_id"],
                     "sentence_id": pred.loc[p, "sentence_id"], "error": "spurious",
                     "quote": pred.loc[p, "text"], "annotated": "",
                     "found": f"{pred.loc[p, 'kind']}, {pred.loc[p, 'speaker']}"})
    cols = ["article_id", "sentence_id", "error", "quote", "annotated", "found"]
    return pd.DataFrame(rows, columns=cols)


def reported_errors(pred: pd.DataFrame, gold: pd.DataFrame) -> pd.DataFrame:
    """Reported-speech attributions found by only one side, with the speaker each gave."""
    g = gold[gold["type"] == "reported"]
    keys = ["article_id", "sentence_id", "speaker"]
    merged = g[keys + ["cue"]].merge(pred[keys + ["cue"]], on=keys, how="outer",
                                     suffixes=("_annotated", "_found"), indicator=True)
    merged = merged[merged["_merge"] != "both"]
    missed = merged["_merge"] == "left_only"
    return pd.DataFrame({
        "article_id": merged["article_id"], "sentence_id": merged["sentence_id"],
        "error": missed.map({True: "missed", False: "spurious"}), "quote": "",
        "annotated": merged["speaker"].where(missed, ""),
        "found": merged["speaker"].where(~missed, ""),
    })


def error_table(corpus: Corpus, gold: pd.DataFrame, *, use_table: bool = True) -> pd.DataFrame:
    """Every disagreement with the annotation, quotations and reported speech together, in
    text order (``type`` says which)."""
    q, r = _predictions(corpus, use_table)
    both = pd.concat([quote_errors(q, gold).assign(type="direct"),
                      reported_errors(r, gold).assign(type="reported")], ignore_index=True)
    order = {sid: i for i, sid in enumerate(corpus.sentences["sentence_id"])}
    both = both.assign(_o=both["sentence_id"].map(order)).sort_values(
        ["_o", "type", "error"], kind="stable").drop(columns="_o")
    return both[["type", "article_id", "sentence_id", "error", "quote", "annotated", "found"]
                ].reset_index(drop=True)
