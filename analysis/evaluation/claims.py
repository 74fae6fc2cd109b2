"""Scoring the claims method against the hand annotation ``annotations/claims/claims.csv``.

:func:`load_gold` reads it (``None`` when the corpus has none) and locates every surface in its
sentence; :func:`match_claims` pairs extracted and annotated claims (same sentence, overlapping
spans, one-to-one); :func:`scores` gives extraction :class:`~analysis.evaluation.Scores`;
:func:`field_accuracy` the share of matched claims whose field agrees; :func:`errors` every
disagreement for the reader.
"""

from __future__ import annotations

import math
import re

import pandas as pd

from analysis.claims import format_value
from analysis.evaluation import GoldError, Scores, gold_path
from analysis.text import read_table

TASK, FILE = "claims", "claims.csv"
GOLD_COLUMNS = ("article_id", "sentence_id", "surface", "value", "low", "high", "hedge",
                "exact", "counted", "event", "side", "source", "time_expression",
                "date_start", "date_end", "notes")
FIELDS = ("value", "hedge", "counted", "event", "side", "source", "time_expression", "period")


def load_gold(corpus) -> pd.DataFrame | None:
    """The hand annotation with each surface located in the clean text (``start``/``end``), or
    ``None`` when ``<corpus root>/annotations/claims/claims.csv`` does not exist.

    Raises :class:`GoldError` naming file, row and field when a column is missing, a number,
    ``exact`` flag or date does not parse, a sentence id is unknown or a surface does not occur
    exactly once in its sentence.
    """
    path = gold_path(corpus.root, TASK, FILE)
    if path is None:
        return None
    return read_gold(path, corpus)


def read_gold(path, corpus=None) -> pd.DataFrame:
    """Read and check one claims annotation file (see :func:`load_gold`)."""
    a = read_table(path, GOLD_COLUMNS, required=("article_id", "sentence_id", "surface"),
                   error=GoldError)
    numbers: dict[str, list[float]] = {"value": [], "low": [], "high": []}
    exact, dates = [], {"date_start": [], "date_end": []}
    for r in a.to_dict("records"):
        row = int(r["_row"])
        for col, out in numbers.items():
            v = r[col]
            try:
                x = float(v) if v else math.nan
            except ValueError:
                x = math.inf
            if v and not math.isfinite(x):
                raise GoldError(f"{v!r} is not a number", file=path, row=row, field=col)
            out.append(x)
        if r["exact"] not in ("True", "False"):
            raise GoldError(f"{r['exact']!r} is not True or False", file=path, row=row,
                            field="exact")
        exact.append(r["exact"] == "True")
        for col, out in dates.items():
            try:
                if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", r[col]):
                    raise ValueError
                out.append(pd.Timestamp(r[col]))
            except ValueError:
                raise GoldError(f"{r[col]!r} is not a date (YYYY-MM-DD)", file=path, row=row,
                                field=col) from None
    for col, values in numbers.items():
        a[col] = pd.Series(values, index=a.index, dtype=float)
    a["exact"] = pd.Series(exact, index=a.index, dtype=bool)
    for col, values in dates.items():
        a[col] = pd.Series(values, index=a.index, dtype="datetime64[us]")
    if corpus is not None:
        sents = corpus.sentences.set_index("sentence_id")
        starts, ends = [], []
        for r in a.rename(columns={"_row": "line"}).itertuples():
            if r.sentence_id not in sents.index:
                raise GoldError(f"unknown sentence {r.sentence_id!r}", file=path, row=r.line,
                                field="sentence_id")
            s = sents.loc[r.sentence_id]
            if s["text"].count(r.surface) != 1:
                raise GoldError(f"{r.surface!r} is not found exactly once in {r.sentence_id}",
                                file=path, row=r.line, field="surface")
            off = s["text"].index(r.surface)
            starts.append(int(s["start"]) + off)
            ends.append(int(s["start"]) + off + len(r.surface))
        a["start"], a["end"] = starts, ends
    return a

def match_claims(claims: pd.DataFrame, gold: pd.DataFrame) -> pd.DataFrame:
    """Pair extracted and annotated claims: same sentence and overlapping spans, one-to-one.

    Returns an outer frame with ``status`` = ``matched``, ``extra`` (extracted only: a false
    positive) or ``missed`` (annotated only).
    """
    pairs, used = [], set()
    for gi, g in gold.iterrows():
        cands = claims[(claims["sentence_id"] == g["sentence_id"]) & (claims["start"] < g["end"])
                       & (g["start"] < claims["end"])]
        cands = [ci for ci in cands.index if ci not in used]
        if cands:
            ci = min(cands, key=lambda i: abs(claims.loc[i, "start"] - g["start"]))
            used.add(ci)
            pairs.append((ci, gi))
        else:
            pairs.append((None, gi))
    pairs += [(ci, None) for ci in claims.index if ci not in used]
    rows = []
    for ci, gi in pairs:
        row = {"status": "matched" if ci is not None and gi is not None
               else ("extra" if gi is None else "missed")}
        src = claims.loc[ci] if ci is not None else None
        ref = gold.loc[gi] if gi is not None else None
        row["sentence_id"] = (ref if ref is not None else src)["sentence_id"]
        row["gold_surface"] = ref["surface"] if ref is not None else ""
        row["found_surface"] = src["surface"] if src is not None else ""
        for f in ("value", "low", "high", "hedge", "counted", "event", "side", "source",
                  "time_expression", "date_start", "date_end"):
            row[f"gold_{f}"] = ref[f] if ref is not None else None
            row[f"found_{f}"] = src[f] if src is not None else None
        rows.append(row)
    out = pd.DataFrame(rows)
    return out.sort_values(["sentence_id", "status"], kind="stable").reset_index(drop=True)


def _same_number(a, b) -> bool:
    na, nb = a is None or pd.isna(a), b is None or pd.isna(b)
    return (na and nb) or (not na and not nb and float(a) == float(b))


def scores(claims: pd.DataFrame, gold: pd.DataFrame) -> Scores:
    """Extraction scores: a claim is correct when it matches an annotated one."""
    m = match_claims(claims, gold)
    n = int((m["status"] == "matched").sum())
    return Scores.from_matches(n, len(claims), len(gold))


def field_accuracy(claims: pd.DataFrame, gold: pd.DataFrame) -> pd.Series:
    """Share of matched claims whose field agrees with the annotation, by field."""
    m = match_claims(claims, gold)
    mm = m[m["status"] == "matched"]
    if mm.empty:
        return pd.Series(math.nan, index=list(FIELDS), dtype=float)
    return field_agreement(mm).mean().astype(float)


def field_agreement(matched: pd.DataFrame) -> pd.DataFrame:
    """One boolean column per field: does the extracted value equal the annotated one?"""
    def eq(f):
        return matched[f"gold_{f}"].fillna("").astype(str).str.lower() == \
            matched[f"found_{f}"].fillna("").astype(str).str.lower()
    return pd.DataFrame({
        "value": [all(_same_number(r[f"gold_{f}"], r[f"found_{f}"]) for f in ("value", "low",
                                                                              "high"))
                  for _, r in matched.iterrows()],
        "hedge": eq("hedge"),
        "counted": eq("counted"),
        "event": eq("event"),
        "side": eq("side"),
        "source": eq("source"),
        "time_expression": eq("time_expression"),
        "period": (matched["gold_date_start"] == matched["found_date_start"])
        & (matched["gold_date_end"] == matched["found_date_end"]),
    }, index=matched.index)


def errors(claims: pd.DataFrame, gold: pd.DataFrame) -> pd.DataFrame:
    """Every disagreement with the annotation, for the reader: missed, extra, or wrong fields."""
    m = match_claims(claims, gold)
    mm = m[m["status"] == "matched"]
    acc = field_agreement(mm)
    rows = []
    for i, r in m.iterrows():
        if r["status"] != "matched":
            rows.append({"sentence": r["sentence_id"], "problem": r["status"],
                         "annotated": r["gold_surface"], "extracted": r["found_surface"],
                         "detail": ""})
            continue
        wrong = [f for f in acc.columns if not acc.loc[i, f]]
        if not wrong:
            continue
        detail = "; ".join(_field_text(r, f) for f in wrong)
        rows.append({"sentence": r["sentence_id"], "problem": "wrong " + ", ".join(wrong),
                     "annotated": r["gold_surface"], "extracted": r["found_surface"],
                     "detail": detail})
    return pd.DataFrame(rows, columns=["sentence", "problem", "annotated", "extracted", "detail"])


def _field_text(r: pd.Series, f: str) -> str:
    if f == "period":
        def p(a, b):
            return f"{a:%d %b}" if a == b else f"{a:%d %b %Y}-{b:%d %b}"
        return (f"period {p(r['gold_date_start'], r['gold_date_end'])} (annotated) vs "
                f"{p(r['found_date_start'], r['found_date_end'])}")
    if f == "value":
        return (f"value {format_value(_vals(r, 'gold'))} vs {format_value(_vals(r, 'found'))}")
    return f"{f} '{r[f'gold_{f}'] or ''}' vs '{r[f'found_{f}'] or ''}'"


def _vals(r: pd.Series, prefix: str) -> dict:
    return {k: r[f"{prefix}_{k}"] for k in ("value", "low", "high", "hedge")}

