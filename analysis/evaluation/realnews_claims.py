"""Scoring the claims method on real news: the hand annotation of Reuters-21578 items
(``data/realnews/claims.csv``, rules in ``data/realnews/CLAIMS_RULES.md``).

The annotation gives each claim as a surface in a sentence of the item's body (paragraphs start
at an indented line, whitespace collapsed). Both sides are placed in one coordinate system, the
item's *flat body*: the body's paragraphs, whitespace collapsed, joined by one space
(:func:`flat_body`). Then, per item:

- **match** (one-to-one): an extracted claim matches an annotated one when their spans overlap
  in the flat body; among several candidates the one with the same value wins, then the
  nearest. A match is an *extraction* hit whatever its fields; precision = matched / extracted,
  recall = matched / annotated.
- **value right**: the extracted figure (``value``; else the low end of a bound or range; for a
  vague ``thousands of`` the unit of the word, 1000, as the annotation writes it) equals the
  annotated ``value`` (relative difference under 1e-6).
- **counted right**: the *head* of the extracted ``counted`` phrase (:func:`head_lemma`: its last
  content word before ``of``/``per``/``for``..., lower-cased, possessive and plural ending
  removed) is one of the content lemmas of the annotated ``counted`` phrase (parenthesised
  remarks dropped): ``net profit`` (annotated) is named by ``profit`` or ``net profit``. The test
  is lenient toward modifiers: an extracted ``wheat`` would pass for ``wheat exports``, since
  ``wheat`` is among the annotation's words. An empty extracted ``counted`` is never right.
- **period right**: the extracted period as a label (:func:`period_label`: a day, ISO week,
  month, quarter, half, year, ``FY`` year or ``start/end``; ``""`` when the method dated the
  claim only by the publication date) equals the annotated ``period``.
- **right** (the target's strict precision): value, counted and period all right.

Everything here reads annotations and so stays out of the method (``analysis.claims``).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from analysis.evaluation import GoldError
from analysis.text import read_table, sentence_spans

GOLD_COLUMNS = ("article_id", "split", "claim_id", "surface", "value", "unit", "counted",
                "period", "sentence", "note")
ITEM_COLUMNS = ("article_id", "newid", "split", "date", "headline", "words", "sha256", "tasks")
VAGUE_UNIT = {"dozens of": 12.0, "tens of": 10.0, "hundreds of": 100.0, "thousands of": 1000.0,
              "tens of thousands of": 1000.0, "hundreds of thousands of": 1000.0,
              "millions of": 1e6}


@dataclass(frozen=True)
class RealNewsClaims:
    """The annotated claims (with ``occurrence``) and the items they were annotated in."""

    claims: pd.DataFrame
    items: pd.DataFrame


def load(folder: Path | str) -> RealNewsClaims:
    """Read ``claims.csv`` and ``items_claims.csv``; :class:`GoldError` names file, row and
    field for a missing column, a value that is not a positive number, or an item unknown to
    ``items_claims.csv``."""
    folder = Path(folder)
    items = read_table(folder / "items_claims.csv", ITEM_COLUMNS, error=GoldError)
    claims = read_table(folder / "claims.csv", GOLD_COLUMNS, error=GoldError)
    known = set(items["article_id"])
    values, occurrence = [], []
    for r in claims.to_dict("records"):
        row = int(r["_row"])
        try:
            v = float(r["value"])
        except ValueError:
            v = math.nan
        if not math.isfinite(v) or v <= 0:
            raise GoldError(f"{r['value']!r} is not a positive number",
                            file=folder / "claims.csv", row=row, field="value")
        if r["article_id"] not in known:
            raise GoldError(f"{r['article_id']!r} is not in items_claims.csv",
                            file=folder / "claims.csv", row=row, field="article_id")
        values.append(v)
        m = re.search(r"occurrence (\d+) in sentence", r["note"])
        occurrence.append(int(m[1]) if m else 1)
    claims["value"] = pd.Series(values, index=claims.index, dtype=float)
    claims["occurrence"] = occurrence
    return RealNewsClaims(claims.rename(columns={"_row": "row"}), items.drop(columns="_row"))


# --------------------------------------------------------------------------------------------
# Item text as the annotation reads it
# --------------------------------------------------------------------------------------------

def body_paragraphs(text: str) -> list[str]:
    """The body's paragraphs as the annotation cuts them: the title line dropped, a paragraph
    starts at an indented line, whitespace collapsed, the closing ``Reuter`` left out."""
    body = text.split("\n", 1)[1] if "\n" in text else text
    paras = [" ".join(p.split()) for p in re.split(r"\n(?=[ \t])", body)]
    return [p for p in paras if p and p != "Reuter"]


def flat_body(text: str) -> str:
    """The paragraphs joined by one space: the coordinates both sides are scored in."""
    return " ".join(body_paragraphs(text))


def sentences(article_id: str, text: str) -> pd.DataFrame:
    """A ``corpus.sentences``-like frame of one item (``sentence_id``, ``text``, ``start`` in
    the flat body), cut per paragraph by :func:`analysis.text.sentence_spans` as the
    annotation was."""
    rows, pos = [], 0
    for p in body_paragraphs(text):
        for a, b in sentence_spans(p):
            rows.append({"article_id": article_id,
                         "sentence_id": f"{article_id}-s{len(rows) + 1:02d}",
                         "text": p[a:b], "start": pos + a})
        pos += len(p) + 1
    return pd.DataFrame(rows, columns=["article_id", "sentence_id", "text", "start"])


def locate_gold(gold: pd.DataFrame, texts: dict[str, str]) -> pd.DataFrame:
    """Gold rows with ``start``/``end`` of the surface and ``s_start``/``s_end`` of its
    sentence in the flat body. :class:`GoldError` when a sentence or surface is not there."""
    out = gold.copy()
    cols: dict[str, list[int]] = {"start": [], "end": [], "s_start": [], "s_end": []}
    for i, r in gold.iterrows():
        flat = flat_body(texts[r["article_id"]])
        s0 = flat.find(r["sentence"])
        if s0 < 0:
            raise GoldError(f"sentence not in the item's body: {r['sentence'][:60]!r}",
                            file="claims.csv", row=int(r["row"]), field="sentence")
        pos = -1
        for _ in range(int(r["occurrence"])):
            pos = r["sentence"].find(r["surface"], pos + 1)
            if pos < 0:
                raise GoldError(f"{r['surface']!r} occurrence {r['occurrence']} not in its "
                                "sentence", file="claims.csv", row=int(r["row"]), field="surface")
        cols["start"].append(s0 + pos)
        cols["end"].append(s0 + pos + len(r["surface"]))
        cols["s_start"].append(s0)
        cols["s_end"].append(s0 + len(r["sentence"]))
    for k, v in cols.items():
        out[k] = v
    return out


# --------------------------------------------------------------------------------------------
# Fields compared
# --------------------------------------------------------------------------------------------

def stated_number(row: pd.Series | dict) -> float:
    """The figure a claim prints: its value, else the low end of a bound or range, else the
    high end; for a vague ``thousands of`` the unit of the word."""
    hedge = row.get("hedge", "") or ""
    if hedge in VAGUE_UNIT:
        return VAGUE_UNIT[hedge]
    for k in ("value", "low", "high"):
        v = row.get(k)
        if v is not None and not pd.isna(v):
            return float(v)
    return math.nan


def same_value(a: float, b: float) -> bool:
    if pd.isna(a) or pd.isna(b):
        return False
    return abs(a - b) <= 1e-6 * max(abs(a), abs(b), 1e-9)


_STOP = set("a an the of per for in on at to from by with and or as its their his her our "
            "this that these those be been is was are were which who whose than over under "
            "into out up down".split())
_HEAD_STOP = {"of", "per", "for", "in", "on", "at", "to", "from", "by", "with", "as", "which",
              "that", "who", "whose", "than"}


def lemma(word: str) -> str:
    """A crude lemma: lower case, possessive dropped, a plural ending removed."""
    w = word.lower().removesuffix("'s").removesuffix("'")
    if len(w) > 4 and w.endswith("ies"):
        return w[:-3] + "y"
    if len(w) > 4 and w.endswith(("ches", "shes", "sses", "xes")):
        return w[:-2]
    if len(w) > 3 and w.endswith("s") and not w.endswith(("ss", "us", "is")):
        return w[:-1]
    return w


def _words(phrase: str) -> list[str]:
    phrase = re.sub(r"\([^)]*\)", " ", phrase or "")
    return re.findall(r"[A-Za-z][A-Za-z'.-]*[A-Za-z]|[A-Za-z]", phrase)


def content_lemmas(phrase: str) -> set[str]:
    out = set()
    for w in _words(phrase):
        for part in w.split("-"):
            if part and part.lower() not in _STOP:
                out.add(lemma(part))
    return out


def head_lemma(phrase: str) -> str:
    """The head of a noun phrase: its last content word before the first ``of``/``per``/...
    (``earnings per share`` -> ``earning``, ``net profit`` -> ``profit``); ``""`` if none."""
    ws = _words(phrase)
    cut = next((i for i, w in enumerate(ws) if i and w.lower() in _HEAD_STOP), len(ws))
    content = [w for w in ws[:cut] if w.lower() not in _STOP]
    if not content:
        return ""
    return lemma(content[-1].split("-")[-1])


def counted_right(found: str, gold: str) -> bool:
    head = head_lemma(found)
    return bool(head) and head in content_lemmas(gold)


def period_label(start, end, basis: str = "expression") -> str:
    """A resolved period as the annotation writes it: ``1987-03-02``, ``1987-W10``,
    ``1987-02``, ``1987-Q1``, ``1987-H2``, ``1987``, else ``start/end`` of the widest such
    labels; ``""`` when the claim is dated only by the publication date. A ``basis`` starting
    with ``FY`` (a fiscal label the method gives) is returned as it is."""
    if basis.startswith("FY"):
        return basis
    if not basis or basis == "publication date" or pd.isna(start) or pd.isna(end):
        return ""
    s, e = pd.Timestamp(start), pd.Timestamp(end)
    if s == e:
        return f"{s:%Y-%m-%d}"
    if s.weekday() == 0 and e - s == pd.Timedelta(days=6):
        y, w, _ = s.isocalendar()
        return f"{y}-W{w:02d}"

    def label(a: pd.Timestamp, b: pd.Timestamp) -> str | None:
        if a.day != 1 or b != (b + pd.offsets.MonthEnd(0)):
            return None
        months = (b.year - a.year) * 12 + b.month - a.month + 1
        if months == 1:
            return f"{a:%Y-%m}"
        if months == 3 and a.month % 3 == 1:
            return f"{a.year}-Q{(a.month - 1) // 3 + 1}"
        if months == 6 and a.month in (1, 7):
            return f"{a.year}-H{1 if a.month == 1 else 2}"
        if months == 12 and a.month == 1:
            return f"{a.year}"
        return None

    whole = label(s, e)
    if whole:
        return whole
    return f"{s:%Y-%m-%d}/{e:%Y-%m-%d}"


# --------------------------------------------------------------------------------------------
# Matching and scores
# --------------------------------------------------------------------------------------------

def match(found: pd.DataFrame, gold: pd.DataFrame) -> pd.DataFrame:
    """One row per matched pair, extra extracted claim or missed annotated claim.

    ``found`` needs ``article_id``, ``start``, ``end`` (flat body), ``value``, ``low``,
    ``high``, ``hedge``, ``counted``, ``period``, ``surface``; ``gold`` is
    :func:`locate_gold`'s frame. ``status`` is ``matched``, ``extra`` or ``missed``; matched
    rows carry ``value_right``, ``counted_right``, ``period_right`` and ``right``.
    """
    rows = []
    for aid in sorted(set(found["article_id"]) | set(gold["article_id"])):
        f = found[found["article_id"] == aid]
        g = gold[gold["article_id"] == aid]
        fnum = {i: stated_number(r) for i, r in f.iterrows()}
        used: set = set()
        pairs = []
        for gi, gr in g.sort_values("start").iterrows():
            cands = [i for i, r in f.iterrows() if i not in used
                     and r["start"] < gr["end"] and gr["start"] < r["end"]]
            if not cands:
                pairs.append((None, gi))
                continue
            best = min(cands, key=lambda i: (not same_value(fnum[i], gr["value"]),
                                             abs(f.loc[i, "start"] - gr["start"])))
            used.add(best)
            pairs.append((best, gi))
        pairs += [(i, None) for i in f.index if i not in used]
        for fi, gi in pairs:
            fr = f.loc[fi] if fi is not None else None
            gr = g.loc[gi] if gi is not None else None
            row = {"article_id": aid,
                   "status": "matched" if fi is not None and gi is not None
                   else ("extra" if gi is None else "missed"),
                   "gold_surface": gr["surface"] if gr is not None else "",
                   "found_surface": fr["surface"] if fr is not None else "",
                   "gold_value": gr["value"] if gr is not None else math.nan,
                   "found_value": fnum[fi] if fr is not None else math.nan,
                   "gold_counted": gr["counted"] if gr is not None else "",
                   "found_counted": fr["counted"] if fr is not None else "",
                   "gold_period": gr["period"] if gr is not None else "",
                   "found_period": fr["period"] if fr is not None else "",
                   "sentence": gr["sentence"] if gr is not None else fr.get("sentence", ""),
                   "start": (gr if gr is not None else fr)["start"]}
            if row["status"] == "matched":
                row["value_right"] = same_value(row["found_value"], row["gold_value"])
                row["counted_right"] = counted_right(row["found_counted"], row["gold_counted"])
                row["period_right"] = row["found_period"] == row["gold_period"]
                row["right"] = row["value_right"] and row["counted_right"] and \
                    row["period_right"]
            rows.append(row)
    out = pd.DataFrame(rows)
    for c in ("value_right", "counted_right", "period_right", "right"):
        if c not in out:
            out[c] = pd.Series(dtype=object)
        out[c] = out[c].astype("boolean")
    return out.sort_values(["article_id", "start", "status"], kind="stable").reset_index(
        drop=True)


def summary(matched: pd.DataFrame) -> dict[str, float]:
    """Counts and rates of one :func:`match` frame.

    ``precision``/``recall``: extraction; ``value_precision``: matched with the right value over
    extracted; ``right_precision``: value, counted and period right over extracted (the
    target's strict precision); ``right_recall``: the same over annotated; ``counted_acc`` and
    ``period_acc``: shares of the matched claims.
    """
    m = matched
    n_found = int((m["status"] != "missed").sum())
    n_gold = int((m["status"] != "extra").sum())
    hit = m[m["status"] == "matched"]
    n = len(hit)

    def rate(a: int, b: int) -> float:
        return a / b if b else math.nan
    right = int(hit["right"].sum())
    return {"extracted": n_found, "annotated": n_gold, "matched": n,
            "precision": rate(n, n_found), "recall": rate(n, n_gold),
            "value_precision": rate(int(hit["value_right"].sum()), n_found),
            "counted_acc": rate(int(hit["counted_right"].sum()), n),
            "period_acc": rate(int(hit["period_right"].sum()), n),
            "right_precision": rate(right, n_found), "right_recall": rate(right, n_gold)}
