"""Scoring quotations and their speakers against the real-news annotation (``quotes.csv``).

The annotation (see ``data/realnews/README.md``) lists every quotation of each item as its quoted
words with whitespace collapsed, and the speaker the text attributes it to, as the text names
them most fully. The method's quotations are offsets into the *clean* text, whose line breaks
may differ from the archive's (hard-wrapped lines, joined or not). So both sides are placed on
one scale that no line break can shift: the article's clean text with **every** white-space
character removed.

- **Placing gold quotations.** Each item's gold quotations are looked up, in their text order
  (``quote_id``), in the clean text without white space, each from where the previous one was
  found (a quotation that occurs twice is placed at its next occurrence). A quotation not found
  there is ``not in text``: the headline, which the clean text does not hold, or a text the
  cleaning changed.
- **Matching.** A found and a gold quotation of the same item match when they share at least one
  non-space character; pairs are made one to one, largest overlap first. Quotation precision is
  matched found / found, recall matched gold / gold.
- **Speaker.** For a gold quotation whose text names the speaker, the outcome is ``right`` (a
  matched quotation whose found speaker names the gold one, :func:`names_speaker`), ``wrong``
  (matched, another speaker), ``unknown`` (matched, speaker :data:`~analysis.speakers.UNKNOWN`)
  or ``missed`` (no found quotation matches it). For a gold quotation with no named speaker,
  ``right`` when the found speaker is unknown, ``wrong`` when a name is given. A found speaker
  that is a description, not a name (``senior official``, ``Soviet trade official``: its last
  word a lower-case title, :func:`is_description`) counts as unknown unless it holds the gold
  name (``Drexel spokesman`` for ``Drexel Burnham Lambert Inc`` is right).

Name rule (:func:`names_speaker`): a person is named when the predicted speaker holds the gold
name's surname (its last word) as a word; an organisation when the predicted speaker holds one
of the gold name's head words (its words other than function words and company-form words such
as ``Inc`` or ``Corp``; all its words when none is left), or is the initials of the gold name's
words other than function words (``AMC`` for ``American Motors Corp``).
Words compare case-free, without full stops (``U.S.`` = ``US``).

Nothing here runs the method: the caller passes what it found (the ``quotes`` table of
:func:`analysis.quotes.find_quotes`) and the clean texts.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable

import pandas as pd

from analysis.speakers import GROUP_WORDS, PERSON_TITLES, UNKNOWN

OUTCOMES = ("right", "wrong", "unknown", "missed")
# Words that never identify an organisation on their own.
GENERIC_WORDS = frozenset({
    "the", "of", "for", "and", "a", "an", "in", "on", "at", "to", "inc", "corp", "co", "ltd",
    "plc", "llc", "corporation", "company", "companies", "group", "us", "u.s", "ag", "sa", "nv",
})


_FUNCTION_WORDS = frozenset({"the", "of", "for", "and", "a", "an", "in", "on", "at", "to"})


def _squeeze(text: str) -> tuple[str, list[int]]:
    """``text`` without white space, and for each kept character its offset in ``text``."""
    kept = [(i, ch) for i, ch in enumerate(text) if not ch.isspace()]
    return "".join(ch for _, ch in kept), [i for i, _ in kept]


def _words(name: str) -> list[str]:
    return [w.replace(".", "").lower() for w in re.findall(r"[\w.'&-]+", name)
            if w.replace(".", "")]


def head_words(name: str) -> set[str]:
    """The words of an organisation's name that identify it (see the module docstring)."""
    words = _words(name)
    heads = {w for w in words if w not in GENERIC_WORDS}
    return heads or set(words)


def is_description(name: str) -> bool:
    """True for a found speaker that describes someone without naming them (``senior
    official``, ``Japanese bank official``): its last word is a lower-case title or group."""
    last = name.split()[-1] if name.split() else ""
    return last[:1].islower() and (last in PERSON_TITLES or last in GROUP_WORDS
                                   or last in ("source", "sources", "aide", "executive"))


def names_speaker(predicted: str, gold: str, kind: str) -> bool:
    """True when the predicted speaker names the gold one (``kind``: person or organisation)."""
    if not predicted or predicted == UNKNOWN or not gold:
        return False
    found = set(_words(predicted))
    if kind == "person":
        return _words(gold)[-1] in found
    initials = "".join(w[0] for w in _words(gold) if w not in _FUNCTION_WORDS)
    squeezed = "".join(_words(predicted))
    return bool(head_words(gold) & found) or (len(squeezed) >= 2 and squeezed == initials)


def place_gold(gold: pd.DataFrame, text_of: Callable[[str], str]) -> pd.DataFrame:
    """``gold`` (rows of ``quotes.csv``) with ``g_start, g_end``: the quotation's span in its
    item's clean text without white space (-1 when it is not there)."""
    starts = []
    cursor: dict[str, int] = {}
    squeezed: dict[str, str] = {}
    for row in gold.sort_values("quote_id").itertuples():
        aid = row.article_id
        if aid not in squeezed:
            squeezed[aid] = _squeeze(text_of(aid))[0]
        needle = _squeeze(row.quote)[0]
        at = squeezed[aid].find(needle, cursor.get(aid, 0)) if needle else -1
        if at < 0 and needle:
            at = squeezed[aid].find(needle)  # out of order (e.g. nested quotations)
        if at >= 0:
            cursor[aid] = at + 1
        starts.append((row.Index, at, at + len(needle) if at >= 0 else -1))
    placed = pd.DataFrame(starts, columns=["_i", "g_start", "g_end"]).set_index("_i")
    return gold.join(placed)


def place_found(found: pd.DataFrame, text_of: Callable[[str], str]) -> pd.DataFrame:
    """``found`` (``article_id, start, end`` clean-text offsets) with ``f_start, f_end`` on the
    same white-space-free scale as :func:`place_gold`."""
    maps: dict[str, list[int]] = {}
    starts, ends = [], []
    for row in found.itertuples():
        if row.article_id not in maps:
            maps[row.article_id] = _squeeze(text_of(row.article_id))[1]
        offsets = maps[row.article_id]
        s = bisect_right(offsets, int(row.start) - 1)  # first kept char at or after start
        e = bisect_right(offsets, int(row.end) - 1)  # kept chars before end
        starts.append(s)
        ends.append(max(e, s))
    return found.assign(f_start=starts, f_end=ends)


def match(found: pd.DataFrame, gold: pd.DataFrame) -> list[tuple[int, int]]:
    """One-to-one (found index, gold index) pairs of placed quotations sharing a character,
    largest overlap first."""
    candidates = []
    by_article = {aid: part for aid, part in found.groupby("article_id")}
    for gi, g in gold.iterrows():
        if g["g_start"] < 0 or g["article_id"] not in by_article:
            continue
        for fi, f in by_article[g["article_id"]].iterrows():
            overlap = min(f["f_end"], g["g_end"]) - max(f["f_start"], g["g_start"])
            if overlap > 0:
                candidates.append((-overlap, gi, fi))
    used_f, used_g, pairs = set(), set(), []
    for _, gi, fi in sorted(candidates):
        if gi not in used_g and fi not in used_f:
            used_f.add(fi), used_g.add(gi)
            pairs.append((fi, gi))
    return sorted(pairs)


def outcomes(found: pd.DataFrame, gold: pd.DataFrame,
             text_of: Callable[[str], str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(gold rows with their outcome, found rows with ``matched``) for one split.

    ``found`` is limited to the gold items. Gold gets ``in_text`` (placed in the clean text),
    ``found_text``, ``found_speaker``, ``attributed_by`` and ``outcome`` (:data:`OUTCOMES`).
    """
    items = set(gold["article_id"])
    found = found[found["article_id"].isin(items)].reset_index(drop=True)
    gold = place_gold(gold.reset_index(drop=True), text_of)
    found = place_found(found, text_of)
    pairs = dict((g, f) for f, g in match(found, gold))
    rows = []
    for gi, g in gold.iterrows():
        f = found.loc[pairs[gi]] if gi in pairs else None
        speaker = f["speaker"] if f is not None else ""
        unnamed = speaker == UNKNOWN or is_description(speaker)
        if f is None:
            outcome = "missed"
        elif not g["speaker"]:
            outcome = "right" if unnamed else "wrong"
        elif names_speaker(speaker, g["speaker"], g["speaker_kind"]):
            outcome = "right"  # "Drexel spokesman" names Drexel Burnham Lambert Inc
        else:
            outcome = "unknown" if unnamed else "wrong"
        rows.append({"in_text": g["g_start"] >= 0,
                     "found_text": f["text"] if f is not None else "",
                     "found_speaker": speaker,
                     "attributed_by": f["attributed_by"] if f is not None else "",
                     "outcome": outcome})
    matched = set(pairs.values())
    return (pd.concat([gold, pd.DataFrame(rows, index=gold.index)], axis=1),
            found.assign(matched=[i in matched for i in found.index]))


def summary(gold_out: pd.DataFrame, found_out: pd.DataFrame) -> dict[str, float | int]:
    """The figures of one split: quotation precision and recall, and speaker outcomes of the
    quotations whose speaker the text names (all of them, and those in the clean text)."""
    named = gold_out[gold_out["speaker"] != ""]
    body = named[named["in_text"]]
    matched_named = named[named["outcome"] != "missed"]
    unnamed = gold_out[(gold_out["speaker"] == "") & (gold_out["outcome"] != "missed")]
    n_found, n_gold = len(found_out), len(gold_out)
    out: dict[str, float | int] = {
        "items": gold_out["article_id"].nunique(), "gold": n_gold,
        "gold_in_text": int(gold_out["in_text"].sum()), "found": n_found,
        "matched": int(found_out["matched"].sum()),
        "precision": found_out["matched"].sum() / n_found if n_found else 1.0,
        "recall": found_out["matched"].sum() / n_gold if n_gold else 1.0,
        "named": len(named), "named_in_text": len(body),
    }
    for outcome in OUTCOMES:
        out[outcome] = int((named["outcome"] == outcome).sum())
    out["speaker_right_all_named"] = out["right"] / len(named) if len(named) else 1.0
    out["speaker_right_in_text"] = ((body["outcome"] == "right").sum() / len(body)
                                    if len(body) else 1.0)
    out["speaker_right_matched"] = ((matched_named["outcome"] == "right").sum()
                                    / len(matched_named) if len(matched_named) else 1.0)
    out["unnamed_matched"] = len(unnamed)
    out["unnamed_left_unnamed"] = int((unnamed["outcome"] == "right").sum())
    return out
