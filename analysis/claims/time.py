"""Time: find the time expressions of a sentence and resolve each to a period of days against the
report's publication date (``Thursday``, ``earlier this month``, ``since mid-December``).

Measured against ``dateparser`` (``RELATIVE_BASE`` = publication date, ``PREFER_DATES_FROM`` =
past) on the hand annotation's resolved periods (``python -m benchmarks.claims``), this hand
resolver is kept: see the ``analysis.claims`` docstring for the numbers. ``dateparser`` returns
one instant, not a period (``this month``, ``since December`` become a single day or nothing),
gives the previous week's day for the publication day's own week-day, and reads ``March 5``
in a report of 1 March 2020 as 5 March 2019.
"""

from __future__ import annotations

import re

import pandas as pd

from analysis import text as textmod
from analysis.claims.numbers import MONTHS, TENS, UNITS, WEEKDAYS, parse_number

_MONTH_RE = "|".join(MONTHS)
_MONTH_NOT_MAY = "|".join(m for m in MONTHS if m != "may")
_QUARTERS = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4,
             "4th": 4}
_QUARTER = "|".join(_QUARTERS)

# A count of days, weeks or months in ``the past three days``: digits or number words only, so
# ``the past few days`` (which has no resolvable length) is not a time expression.
_ONE_TO_NINE = "|".join(w for w in UNITS if 0 < UNITS[w] < 10)
_ONE_TO_NINETEEN = sorted((w for w in UNITS if UNITS[w] > 0), key=lambda w: (-len(w), w))
_COUNT_WORD_RE = (rf"(?:{'|'.join(TENS)})(?:[\s-](?:{_ONE_TO_NINE}))?"
                  rf"|{'|'.join(_ONE_TO_NINETEEN)}|dozen")

_TIME = re.compile(
    rf"(?P<weekday>\b(?:(?:earlier|later|late|early)\s+(?:on\s+)?|on\s+|by\s+)?"
    rf"(?:{'|'.join(WEEKDAYS)})\b)"
    rf"|(?P<thismonth>\b(?:earlier\s+)?this\s+(?:month|week|year)\b)"
    rf"|(?P<shift>\b(?:a\s+)?(?:year|month)[\s-](?:earlier|ago)\b"
    rf"|\b(?:in\s+)?the\s+(?:prior|previous)\s+(?:year|month)\b)"
    rf"|(?P<night>\b(?:last\s+night|yesterday|today)\b)"
    rf"|(?P<last>\b(?:last|next)\s+(?:year|month|week)\b)"
    rf"|(?P<quarter>\b(?:{_QUARTER})[\s-]+(?:quarter|qtr)\b(?:\s+(?:of\s+)?(?:19|20)\d\d\b)?)"
    rf"|(?P<month>\b(?:in\s+)?(?:{_MONTH_NOT_MAY}|(?<=in\s)may)\b(?:\s+(?:19|20)\d\d\b)?"
    rf"(?!\s+\d))"
    rf"|(?P<since>\bsince\s+(?:mid-|early\s+|late\s+)?(?:{_MONTH_RE})\b)"
    rf"|(?P<date>\b(?:{_MONTH_RE})\s+\d{{1,2}}\b|\b\d{{1,2}}\s+(?:{_MONTH_RE})\b)"
    rf"|(?P<year>\bin\s+(?:19|20)\d\d\b)"
    rf"|(?P<bareyear>(?<![\d/-])(?<!base\s)\b(?:19|20)\d\d\b(?![/-]?\d))"
    rf"|(?P<recent>\bin\s+recent\s+(?:weeks|days|months)\b)"
    rf"|(?P<lastn>\b(?:in\s+)?the\s+(?:last|past)\s+(?:\d+|{_COUNT_WORD_RE})\s+"
    rf"(?:months|weeks|days)\b)",
    re.I,
)


def _nearest_date(month: int, day: int, pub: pd.Timestamp) -> pd.Timestamp | None:
    """The date ``month``/``day`` nearest to ``pub`` in the year before, of or after it (ties go to
    the earlier date); ``None`` when the day exists in none of those years."""
    found = []
    for year in (pub.year - 1, pub.year, pub.year + 1):
        try:
            found.append(pd.Timestamp(year, month, day))
        except ValueError:
            continue
    return min(found, key=lambda d: (abs(d - pub), d)) if found else None


def resolve_time(expression: str, published: pd.Timestamp) -> tuple[pd.Timestamp, pd.Timestamp]:
    """The first and last day ``expression`` can mean in a report published on ``published``.

    A week-day is the latest such day on or before publication (``by Saturday``: the next one on
    or after); ``this month`` runs to publication, ``earlier this month`` to the day before;
    ``since December`` starts on the latest 1 December before publication; a date without a
    year (``December 28``, ``March 5``) is the one nearest to publication, so a report of
    3 January reads ``December 28`` in the previous year and a report of 1 March reads ``March 5``
    as four days ahead. Raises ``ValueError`` for an expression it cannot resolve, including an
    impossible day (``February 30``).
    """
    pub = pd.Timestamp(published).normalize()
    e = re.sub(r"\s+", " ", textmod.fold_chars(expression).strip().lower())
    day = pd.Timedelta(days=1)
    wd = next((w for w in WEEKDAYS if re.search(rf"\b{w}\b", e)), None)
    if wd and not re.search(r"\d", e):
        target = WEEKDAYS.index(wd)
        if e.startswith("by "):
            d = pub + pd.Timedelta(days=(target - pub.weekday()) % 7)
        else:
            d = pub - pd.Timedelta(days=(pub.weekday() - target) % 7)
        return d, d
    if e in ("today",):
        return pub, pub
    if e in ("last night", "yesterday"):
        return pub - day, pub - day
    if m := re.fullmatch(r"(?:a )?(year|month)[ -](?:earlier|ago)|(?:in )?the (?:prior|previous) "
                         r"(year|month)", e):
        unit = m.group(1) or m.group(2)  # without a base period: the one before publication
        if unit == "year":
            return pd.Timestamp(pub.year - 1, 1, 1), pd.Timestamp(pub.year - 1, 12, 31)
        end = pub.replace(day=1) - day
        return end.replace(day=1), end
    if m := re.fullmatch(r"this year", e):
        return pd.Timestamp(pub.year, 1, 1), pd.Timestamp(pub.year, 12, 31)  # the whole year
    if m := re.fullmatch(r"next (year|month|week)", e):
        if m.group(1) == "year":
            return pd.Timestamp(pub.year + 1, 1, 1), pd.Timestamp(pub.year + 1, 12, 31)
        if m.group(1) == "month":
            start = (pub.replace(day=1) + pd.DateOffset(months=1)).normalize()
            return start, start + pd.offsets.MonthEnd(0)
        start = pub + pd.Timedelta(days=7 - pub.weekday())
        return start, start + pd.Timedelta(days=6)
    if m := re.fullmatch(rf"({_QUARTER})[ -](?:quarter|qtr)(?: (?:of )?((?:19|20)\d\d))?", e):
        q = _QUARTERS[m.group(1)]
        if m.group(2):
            year = int(m.group(2))
        else:  # the latest such quarter that ended before publication
            year = pub.year if pd.Timestamp(pub.year, 3 * q, 1) + pd.offsets.MonthEnd(0) < pub \
                else pub.year - 1
        start = pd.Timestamp(year, 3 * q - 2, 1)
        return start, pd.Timestamp(year, 3 * q, 1) + pd.offsets.MonthEnd(0)
    if m := re.fullmatch(rf"(?:in )?({_MONTH_RE})(?: ((?:19|20)\d\d))?", e):
        month = MONTHS.index(m.group(1)) + 1
        year = int(m.group(2)) if m.group(2) else (pub.year if month <= pub.month
                                                   else pub.year - 1)
        start = pd.Timestamp(year, month, 1)
        return start, start + pd.offsets.MonthEnd(0)
    if m := re.fullmatch(r"(?:fiscal )?((?:19|20)\d\d)", e):
        y = int(m.group(1))
        return pd.Timestamp(y, 1, 1), pd.Timestamp(y, 12, 31)
    if m := re.fullmatch(r"(earlier )?this (month|week|year)", e):
        start = {"month": pub.replace(day=1), "year": pub.replace(month=1, day=1),
                 "week": pub - pd.Timedelta(days=pub.weekday())}[m.group(2)]
        return start, (pub - day if m.group(1) else pub)
    if m := re.fullmatch(r"last (year|month|week)", e):
        if m.group(1) == "year":
            return pd.Timestamp(pub.year - 1, 1, 1), pd.Timestamp(pub.year - 1, 12, 31)
        if m.group(1) == "month":
            end = pub.replace(day=1) - day
            return end.replace(day=1), end
        start = pub - pd.Timedelta(days=pub.weekday() + 7)
        return start, start + pd.Timedelta(days=6)
    if m := re.fullmatch(rf"since (mid-|early |late )?({_MONTH_RE})", e):
        month = MONTHS.index(m.group(2)) + 1
        year = pub.year if month <= pub.month else pub.year - 1
        first = {"mid-": 15, "late ": 21}.get(m.group(1) or "", 1)
        return pd.Timestamp(year, month, first), pub
    if m := re.fullmatch(rf"({_MONTH_RE}) (\d{{1,2}})|(\d{{1,2}}) ({_MONTH_RE})", e):
        name, dd = (m.group(1), m.group(2)) if m.group(1) else (m.group(4), m.group(3))
        d = _nearest_date(MONTHS.index(name) + 1, int(dd), pub)
        if d is None:
            raise ValueError(f"cannot resolve time expression {expression!r}: "
                             f"{name.capitalize()} has no day {int(dd)}")
        return d, d
    if m := re.fullmatch(r"in ((?:19|20)\d\d)", e):
        y = int(m.group(1))
        return pd.Timestamp(y, 1, 1), pd.Timestamp(y, 12, 31)
    if m := re.fullmatch(r"in recent (weeks|days|months)", e):
        back = {"days": pd.Timedelta(days=7), "weeks": pd.Timedelta(days=21),
                "months": pd.DateOffset(months=3)}[m.group(1)]
        return pub - back, pub
    if m := re.fullmatch(r"(?:in )?the (?:last|past) (.+) (months|weeks|days)", e):
        try:
            n = int(parse_number(m.group(1)))
        except ValueError:
            raise ValueError(f"cannot resolve time expression {expression!r}") from None
        unit = {"months": pd.DateOffset(months=n), "weeks": pd.Timedelta(weeks=n),
                "days": pd.Timedelta(days=n)}[m.group(2)]
        return pub - unit, pub
    raise ValueError(f"cannot resolve time expression {expression!r}")


def time_expressions(sentence: str, published: pd.Timestamp | None = None
                     ) -> list[tuple[int, int, str]]:
    """(start, end, text) of each time expression in ``sentence`` that can be resolved.

    An expression that :func:`resolve_time` rejects against ``published`` (an impossible day
    such as ``February 30``) is left out, so one odd phrase never stops a whole extraction.
    Without ``published`` it is checked against the last day of a leap year (2000-12-31), where
    every day that exists in some year resolves.
    """
    pub = pd.Timestamp("2000-12-31") if published is None else pd.Timestamp(published)
    out = []
    for m in _TIME.finditer(textmod.fold_chars(sentence)):
        expr = sentence[m.start():m.end()]
        try:
            resolve_time(expr, pub)
        except ValueError:
            continue
        out.append((m.start(), m.end(), expr))
    return out



SHIFT = re.compile(r"(?:a )?(year|month)[ -](?:earlier|ago)|(?:in )?the (?:prior|previous) "
                   r"(year|month)", re.I)


def shifted(expression: str, base: tuple[pd.Timestamp, pd.Timestamp]
            ) -> tuple[pd.Timestamp, pd.Timestamp] | None:
    """``a year earlier`` / ``the prior year`` / ``a month earlier`` applied to the period
    ``base`` another expression of the sentence names (the same quarter a year before, the
    month before...); ``None`` when ``expression`` is not such a shift."""
    m = SHIFT.fullmatch(re.sub(r"\s+", " ", textmod.fold_chars(expression).strip().lower()))
    if not m:
        return None
    months = 12 if (m.group(1) or m.group(2)) == "year" else 1
    start = (base[0] - pd.DateOffset(months=months)).normalize()
    end = (base[1] - pd.DateOffset(months=months)).normalize()
    if base[1].is_month_end:
        end = end + pd.offsets.MonthEnd(0)
    return start, end
