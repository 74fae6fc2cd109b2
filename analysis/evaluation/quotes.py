"""Scoring :mod:`analysis.quotes` against the hand annotation ``annotations/quotes/quotes.csv``.

Matching rules (also in the annotation's README): a predicted and a gold quotation match
*exactly* with the same start and end, *partially* when they share a character (one to one,
largest overlap first). Speaker accuracy is counted over partially matched pairs. Reported speech
is compared as (article, sentence) and (article, sentence, speaker) sets.

The predictions are what the pipeline's ``voices`` stage stored (:class:`Found`); nothing here
runs the method. Speakers are measured twice: with the corpus's speakers table (names mapped to
its canonical names while finding: ``quotes``, ``reported_speech``) and without it (names as
the text prints them: ``quotes_without_table``, ``reported_without_table``). To compare a name
found without the table with the annotation's canonical name, the table's aliases are used as a
key only (:func:`canonical`): ``Turkey`` counts as ``Turkish government`` because the table
lists it as an alias. A name the table does not list counts as wrong.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from analysis.corpus import Corpus
from analysis.evaluation import GoldError, Scores, gold_path
from analysis.speakers import UNKNOWN, alias_key, split_aliases
from analysis.text import read_table

TASK, FILE = "quotes", "quotes.csv"
GOLD_COLUMNS = ("type", "article_id", "sentence_ids", "text", "kind", "speaker", "cue",
                "mention", "note")


def load_gold(corpus: Corpus, speakers: pd.DataFrame | None = None) -> pd.DataFrame | None:
    """The hand annotation with clean-text offsets for each direct quotation, or ``None``.

    ``speakers`` is the corpus's speakers table as the run stored it (``None`` without one).
    A quoted text is looked up inside the sentence(s) it is filed under; a text that is not
    there, an unknown sentence id, or (given a speakers table) a speaker missing from it is a
    :class:`GoldError` naming file, row and field.
    """
    path = gold_path(corpus.root, TASK, FILE)
    if path is None:
        return None
    gold = read_table(path, GOLD_COLUMNS, required=("type", "article_id", "sentence_ids",
                                                    "speaker"), error=GoldError)
    sents = corpus.sentences.set_index("sentence_id")
    names = set(speakers["name"]) | {UNKNOWN} if speakers is not None else None
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


def canonical(names: pd.Series, speakers: pd.DataFrame | None) -> pd.Series:
    """Names mapped to the speakers table's canonical names through its aliases (a key for
    comparing with the annotation); unchanged without a table."""
    if speakers is None:
        return names
    known = set(speakers["name"])
    alias_to_name = {alias_key(a): n for n, field in zip(speakers["name"], speakers["aliases"])
                     for a in split_aliases(field)}
    return names.map(lambda n: n if n in known else alias_to_name.get(alias_key(n), n))


@dataclass(frozen=True, eq=False)
class Found:
    """Quotations (``quotes`` table) and reported speech (``reported_speech``) found in one
    setting, as the voices stage stored them."""

    quotes: pd.DataFrame
    reported: pd.DataFrame


SETTINGS = ("with table", "without table")


def settings(with_table: Found, without_table: Found,
             speakers: pd.DataFrame | None) -> dict[str, Found]:
    """The two settings the scores compare, by name: ``with table`` as found, ``without
    table`` with its names mapped through the table's aliases (:func:`canonical`)."""
    return {"with table": with_table,
            "without table": Found(
                without_table.quotes.assign(speaker=canonical(without_table.quotes["speaker"],
                                                              speakers)),
                without_table.reported.assign(
                    speaker=canonical(without_table.reported["speaker"], speakers)))}


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


def scores_table(found: dict[str, Found], gold: pd.DataFrame) -> pd.DataFrame:
    """One row per measure and setting (``found``: :func:`settings`): Scores rows for spans
    and reported speech, plus speaker and kind accuracy on matched quotations."""
    rows = []
    for setting in SETTINGS:
        q, r = found[setting].quotes, found[setting].reported
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


def error_table(corpus: Corpus, found: Found, gold: pd.DataFrame) -> pd.DataFrame:
    """Every disagreement of one setting's ``found`` with the annotation, quotations and
    reported speech together, in text order (``type`` says which)."""
    both = pd.concat([quote_errors(found.quotes, gold).assign(type="direct"),
                      reported_errors(found.reported, gold).assign(type="reported")],
                     ignore_index=True)
    order = {sid: i for i, sid in enumerate(corpus.sentences["sentence_id"])}
    both = both.assign(_o=both["sentence_id"].map(order)).sort_values(
        ["_o", "type", "error"], kind="stable").drop(columns="_o")
    return both[["type", "article_id", "sentence_id", "error", "quote", "annotated", "found"]
                ].reset_index(drop=True)
