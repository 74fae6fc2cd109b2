"""Libraries against hand code, on the hand annotation: ``python -m benchmarks.claims``.

Runs the whole extraction on the book's corpus four ways and scores each against
``data/annotations/claims/claims.csv`` (extraction P/R/F1, value accuracy, resolved-period
accuracy): number words by the former hand parser (kept here only as the baseline), by
``text2num`` alone, and by ``text2num`` with the two rules it lacks (what the method uses); and
periods by ``dateparser`` (for every expression, or only for those that name one day) against
the hand resolver the method uses.
"""

from __future__ import annotations

import re
from contextlib import contextmanager
from unittest import mock

import dateparser
import pandas as pd
from text_to_num import text2num

from analysis.claims import extract, numbers
from analysis.claims.time import resolve_time as hand_resolve
from analysis.claims.numbers import (_NUMBER_WORDS, SCALES, TENS, UNITS, digits_value,
                                     normal_phrase)
from analysis.corpus import load_corpus
from analysis.evaluation import claims as evaluation
from benchmarks import BOOK


def hand_parse_number(phrase: str) -> float:
    """The value of a number written in digits or English words.

    Accepts ``900,000``, ``16``, ``3.6 million``, ``thirty-three``, ``one hundred and five``,
    ``a million``, ``a dozen``. Raises ``ValueError`` for anything else, so a caller never
    receives a guess.
    """
    s = normal_phrase(phrase)
    value = digits_value(s)
    if value is not None:
        return value
    words = [w for w in re.split(r"[\s-]+", s) if w and w != "and"]
    if not words or not all(w in _NUMBER_WORDS or w in ("a", "an") for w in words):
        raise ValueError(f"not a number: {phrase!r}")
    if words[0] in ("a", "an"):
        if len(words) < 2 or words[1] not in SCALES and words[1] != "dozen":
            raise ValueError(f"not a number: {phrase!r}")
        words[0] = "one"
    if any(w in ("a", "an") for w in words):
        raise ValueError(f"not a number: {phrase!r}")
    total, current, last = 0, 0, None
    for w in words:
        if w in UNITS:
            if last in UNITS or (last in TENS and UNITS[w] >= 10):
                raise ValueError(f"not a number: {phrase!r}")
            current += UNITS[w]
        elif w in TENS:
            if last in UNITS or last in TENS or current % 100 >= 10:
                raise ValueError(f"not a number: {phrase!r}")
            current += TENS[w]
        elif w == "dozen":
            current = (current or 1) * 12
        elif w == "hundred":
            if current == 0 or current >= 100:
                raise ValueError(f"not a number: {phrase!r}")
            current *= 100
        else:
            scale = SCALES[w]
            if current == 0 and total == 0:
                raise ValueError(f"not a number: {phrase!r}")
            total = (total + current) * scale if scale > 1000 else total + current * scale
            current = 0
        last = w
    return float(total + current)


def text2num_only(phrase: str) -> float:
    """Digits as in the method; words by ``text2num`` alone, with no extra rule."""
    s = normal_phrase(phrase)
    value = digits_value(s)
    return value if value is not None else float(text2num(s.replace("-", " "), "en"))


def dateparser_resolve(expression: str, published: pd.Timestamp):
    """One day from ``dateparser`` (relative to publication, past preferred); the publication
    day when it finds none, as the method does for an undated claim."""
    pub = pd.Timestamp(published).normalize()
    d = dateparser.parse(expression, languages=["en"],
                         settings={"RELATIVE_BASE": pub.to_pydatetime(),
                                   "PREFER_DATES_FROM": "past"})
    day = pd.Timestamp(d).normalize() if d is not None else pub
    return day, day


def dateparser_days_only(expression: str, published: pd.Timestamp):
    """``dateparser`` for what the hand resolver reads as one day; hand periods otherwise."""
    start, end = hand_resolve(expression, published)
    return dateparser_resolve(expression, published) if start == end else (start, end)


@contextmanager
def variant(parse=None, resolve=None):
    with mock.patch.object(numbers, "parse_number", parse or numbers.parse_number), \
            mock.patch.object(extract, "resolve_time", resolve or extract.resolve_time):
        yield


def measure() -> pd.DataFrame:
    """One row per variant: extraction scores and field accuracies against the annotation."""
    corpus = load_corpus(BOOK)
    gold = evaluation.load_gold(corpus)
    rows = []
    for name, kw in [("hand number words", {"parse": hand_parse_number}),
                     ("text2num alone", {"parse": text2num_only}),
                     ("text2num + a/dozen rules (method)", {}),
                     ("dateparser periods", {"resolve": dateparser_resolve}),
                     ("dateparser days, hand ranges", {"resolve": dateparser_days_only})]:
        with variant(**kw):
            found = extract.extract_claims(corpus)
        s = evaluation.scores(found, gold)
        acc = evaluation.field_accuracy(found, gold)
        rows.append({"variant": name, **s.as_row(), "value_acc": acc["value"],
                     "period_acc": acc["period"]})
    return pd.DataFrame(rows)


if __name__ == "__main__":
    print(measure().to_string(index=False, float_format=lambda x: f"{x:.3f}"))
