"""Quantitative claims: the figures the reports cite, what they count, when, and who says so.

Three layers, each usable alone:

- numbers: :func:`parse_number` reads a number written in digits (``900,000``, ``3.6 million``)
  or English words up to a million (``thirty-three``, ``a dozen``); :func:`find_quantities`
  finds the counts in a sentence, keeps their hedge (``at least``, ``an estimated``,
  ``hundreds of``) and leaves out what is not a count (years, dates, clock times, model names
  such as ``S-400``, ordinals, durations, ``the two countries``).
- claims: :func:`extract_claims` adds to each quantity what is counted, what happened to it, whose
  side it concerns, who is credited with it and the period it refers to, resolved against the
  report's publication date (:func:`resolve_time`).
- comparison: :func:`compare` groups claims that measure the same thing across reports (key:
  counted thing + event + side + start of the period) and gives a verdict with its reasoning;
  :func:`timeline_events` lists the dated events for the timeline; :func:`evaluate` measures
  extraction against the hand annotation in ``data/annotations/claims/``.

All offsets are character offsets into the clean text of the article (``corpus.text(id)``).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from pathlib import Path

import altair as alt
import pandas as pd

from analysis import text as textmod
from analysis.corpus import PACKAGE_DATA, Corpus

ANNOTATIONS = PACKAGE_DATA / "annotations" / "claims" / "claims.csv"

# --------------------------------------------------------------------------------------------
# Numbers
# --------------------------------------------------------------------------------------------

UNITS = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen".split())}
TENS = {w: 10 * i for i, w in enumerate(
    "_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()) if w != "_"}
SCALES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000}
_NUMBER_WORDS = set(UNITS) | set(TENS) | set(SCALES) | {"dozen"}

_DIGITS = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_SCALE_WORD = r"(?:million|billion|thousand)"


def parse_number(phrase: str) -> float:
    """The value of a number written in digits or English words.

    Accepts ``900,000``, ``16``, ``3.6 million``, ``thirty-three``, ``one hundred and five``,
    ``a million``, ``a dozen``. Raises ``ValueError`` for anything else, so a caller never
    receives a guess.
    """
    if not isinstance(phrase, str):
        raise ValueError(f"expected a string, got {type(phrase).__name__}")
    s = textmod.fold_chars(phrase).strip().lower()
    m = re.fullmatch(rf"({_DIGITS})(?:\s+({_SCALE_WORD}))?", s)
    if m:
        value = float(m.group(1).replace(",", ""))
        return value * (SCALES[m.group(2)] if m.group(2) else 1)
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


# Hedges: how the printed figure relates to the true one.
HEDGES = {
    "at least": "low", "more than": "low", "over": "low", "just over": "low", "upwards of": "low",
    "at most": "high", "less than": "high", "fewer than": "high", "under": "high",
    "up to": "high",
    "nearly": "below", "almost": "below", "practically": "below", "close to": "below",
    "about": "about", "around": "about", "roughly": "about", "approximately": "about",
    "some": "about", "an estimated": "about", "estimated": "about",
}
# Vague quantities: printed word -> (low, high).
VAGUE = {
    "dozens of": (24, 99), "tens of": (20, 99), "hundreds of": (200, 999),
    "thousands of": (2_000, 9_999), "tens of thousands of": (20_000, 99_999),
    "hundreds of thousands of": (200_000, 999_999), "millions of": (2_000_000, 999_999_999),
}
MONTHS = ("january february march april may june july august september october november "
          "december").split()
WEEKDAYS = "monday tuesday wednesday thursday friday saturday sunday".split()

_HEDGE_RE = "|".join(sorted((re.escape(h) for h in HEDGES), key=len, reverse=True))
_VAGUE_RE = "|".join(sorted((re.escape(v).replace(r"\ ", r"\s+") for v in VAGUE), key=len,
                            reverse=True))
_WORD_RE = "|".join(sorted(_NUMBER_WORDS, key=len, reverse=True))
_WORDNUM = rf"(?:an?\s+(?:hundred|thousand|million|dozen)\b|(?:{_WORD_RE})\b)" \
           rf"(?:(?:\s+and\s+|[\s-]+)(?:{_WORD_RE})\b)*"
_QUANTITY = re.compile(
    rf"(?P<hedge>\b(?:{_HEDGE_RE})\s+)?"
    rf"(?:(?P<vague>\b(?:{_VAGUE_RE}))"
    rf"|(?P<half>\bhalf\s+of)"
    rf"|(?P<digits>(?<![\w.,:-])(?:{_DIGITS})(?:\s+{_SCALE_WORD}\b)?(?![\w-]*[A-Za-z\d]|,\d|\.\d))"
    rf"|(?P<words>\b{_WORDNUM}))",
    re.IGNORECASE,
)
_MONTH_RE = "|".join(m for m in MONTHS)
_DURATION_AFTER = re.compile(r"^[\s-]+(?:years?|months?|weeks?|days?|hours?|minutes?)\b", re.I)
_TIME_AFTER = re.compile(r"^(?::\d\d|\s*(?:a\.m\.|p\.m\.|am\b|pm\b|gmt\b|o'clock))", re.I)
_ORDINAL_AFTER = re.compile(r"^(?:st|nd|rd|th)\b", re.I)
_MONTH_BEFORE = re.compile(rf"\b(?:{_MONTH_RE})\.?\s+$", re.I)
_MONTH_AFTER = re.compile(rf"^\s+(?:of\s+)?(?:{_MONTH_RE})\b", re.I)
_DEFINITE_BEFORE = re.compile(r"\b(?:the|these|those|both|all|your|their|our|its|his|her|my)"
                              r"\s+$", re.I)
_PRONOUN_ONE_BEFORE = re.compile(r"\b(?:no|any|every|some|each|this|that|which|the)\s+$", re.I)


@dataclass(frozen=True)
class Quantity:
    """One count found in a sentence: offsets of the number (with its hedge), value and hedge.

    A point figure has ``value``; a bound or a vague quantity has ``low`` and/or ``high``.
    ``exact`` is False whenever the text hedges or is vague. ``kind`` says how it was written:
    ``digits``, ``words``, ``vague``, ``half`` (a share of the previous figure) or ``tally``
    (``a headquarters`` inside a list of counts).
    """

    start: int
    end: int
    text: str
    value: float | None
    low: float | None
    high: float | None
    hedge: str
    exact: bool
    kind: str

    def interval(self) -> tuple[float, float]:
        """The range of true values the printed figure allows (hedges widen it)."""
        if self.value is None:
            return (self.low if self.low is not None else 0.0,
                    self.high if self.high is not None else math.inf)
        rel = HEDGES.get(self.hedge, "")
        if rel == "below":
            return (0.9 * self.value, self.value)
        if rel == "about" or self.kind == "half":
            return (0.9 * self.value, 1.1 * self.value)
        return (self.value, self.value)


def _not_a_count(sentence: str, m: re.Match) -> bool:
    """Years, dates, clock times, model names, ordinals, durations and 'the two ...'."""
    before, after = sentence[: m.start()], sentence[m.end():]
    core = m.group("digits") or m.group("words") or ""
    if _DURATION_AFTER.match(after) or _TIME_AFTER.match(after) or _ORDINAL_AFTER.match(after):
        return True
    if m.group("digits"):
        plain = core.replace(",", "")
        if _MONTH_BEFORE.search(before) or _MONTH_AFTER.match(after):
            return True
        if re.fullmatch(r"(?:1[89]|20)\d\d", core) and _counted_after(after)[0] is None:
            return True  # a year; '2000 troops' would still be a count
        if re.fullmatch(r"\d+\.\d+", plain) and not re.search(_SCALE_WORD, core, re.I):
            return True  # a bare decimal is a measure or a version, not a count of things
    if not m.group("hedge") and (m.group("words") or m.group("digits")) \
            and _DEFINITE_BEFORE.search(before):
        return True  # 'the two countries': restates a set, does not count it
    if m.group("words") and core.lower() == "one":
        if _PRONOUN_ONE_BEFORE.search(before) or _counted_after(after)[0] is None:
            return True  # 'no one', 'one of the issues'
    return False


def find_quantities(sentence: str) -> list[Quantity]:
    """The counts in ``sentence``, in order, with hedges kept and non-counts left out."""
    if not isinstance(sentence, str):
        raise ValueError(f"expected a string, got {type(sentence).__name__}")
    folded = textmod.fold_chars(sentence)
    found: list[Quantity] = []
    for m in _QUANTITY.finditer(folded):
        if _not_a_count(folded, m):
            continue
        hedge = (m.group("hedge") or "").strip().lower()
        hedge = re.sub(r"\s+", " ", hedge)
        low = high = value = None
        if m.group("vague"):
            key = re.sub(r"\s+", " ", m.group("vague").lower())
            low, high = (float(v) for v in VAGUE[key])
            kind, hedge = "vague", key if not hedge else hedge
        elif m.group("half"):
            prev = [q for q in found if q.value is not None]
            if not prev:
                continue
            value, kind, hedge = prev[-1].value / 2, "half", "half of"
        else:
            kind = "digits" if m.group("digits") else "words"
            number = parse_number(m.group("digits") or m.group("words"))
            rel = HEDGES.get(hedge, "")
            if rel == "low":
                low = number
            elif rel == "high":
                high = number
            else:
                value = number
        exact = not hedge and kind in ("digits", "words")
        found.append(Quantity(m.start(), m.end(), sentence[m.start():m.end()], value, low, high,
                              hedge, exact, kind))
    found.extend(_tally_items(folded, sentence, found))
    return sorted(found, key=lambda q: q.start)


def _tally_items(folded: str, sentence: str, found: list[Quantity]) -> list[Quantity]:
    """'a headquarters' counts one when it stands in a list of at least two other counts."""
    if len(found) < 2:
        return []
    out = []
    for m in re.finditer(r"(?<=,\s)(?:and\s+)?(an?)\s+(?=\w)", folded):
        counted, _ = _counted_after(folded[m.end(1):])
        near = [q for q in found if 0 <= m.start() - q.end < 60]
        if counted and near:
            s, e = m.start(1), m.end(1)
            out.append(Quantity(s, e, sentence[s:e], 1.0, None, None, "", True, "tally"))
    return out


# --------------------------------------------------------------------------------------------
# What is counted, what happened, whose side, who says, when
# --------------------------------------------------------------------------------------------

# Counted things: a phrase of one or more words (lower case) -> category. Longest match wins.
COUNTED = {
    "soldiers": "soldier soldiers troop troops personnel servicemen turks element elements",
    "fighters": "fighter fighters rebel rebels militant militants jihadist jihadists",
    "civilians": "civilian civilians",
    "children": "child children",
    "people": "people persons person dead syrians residents individuals",
    "refugees": "refugee refugees migrants",
    "tanks": "tank tanks",
    "armoured vehicles": "armoured_personnel_carriers armored_personnel_carriers "
                         "armoured_personnel_carrier armored_personnel_carrier personnel_carriers "
                         "armoured_vehicles armored_vehicles armoured_vehicle armored_vehicle",
    "pickups": "pickup pickups",
    "howitzers": "howitzer howitzers",
    "helicopters": "helicopter helicopters chopper choppers",
    "ammunition trucks": "ammunition_truck ammunition_trucks",
    "depots": "depot depots",
    "headquarters": "headquarters",
    "warships": "warship warships ship ships",
    "aircraft": "aircraft jets planes warplanes drones",
    "observation posts": "observation_post observation_posts post posts",
    "missile batteries": "battery batteries",
    "talks": "round rounds talks",
    "incidents": "incident incidents",
}
_COUNTED_PHRASES: dict[tuple[str, ...], str] = {
    tuple(p.split("_")): cat for cat, phrases in COUNTED.items() for p in phrases.split()}
_MAX_PHRASE = max(len(p) for p in _COUNTED_PHRASES)
_SKIP = {"its", "their", "the", "these", "those", "his", "her", "our", "them", "of"}
_ELLIPSIS = {"more", "others", "other", "them"}
_STOP = {"in", "on", "at", "to", "from", "by", "with", "were", "was", "have", "has", "had", "are",
         "is", "and", "or", "but", "that", "which", "who", "since", "after", "before", "for",
         "into", "as", "a", "an", "be", "been", "will", "would"}
PERSON_KINDS = {"soldiers", "fighters", "civilians", "children", "people", "refugees"}
NO_SIDE = {"civilians", "children", "people", "refugees", "talks", "incidents"}
EVENT_BY_COUNTED = {"observation posts": "stationed", "talks": "held", "incidents": "occurred"}

EVENTS = {
    "killed": r"killed|killing|kill|deaths?|died|dead|death toll|lack of life|lost their lives",
    "wounded": r"wounded|wounding|injured|injuring|injuries",
    "displaced": r"flee|fled|fleeing|flight|displaced|displacement|uprooted",
    "destroyed": r"destroyed|destroying|destruction",
    "hosted": r"home to|hosts|hosting|hosted",
    "requested": r"asked|requested|request|sought",
    "deployed": r"deployed|sent|pass through|passed through|en route|reinforce",
}
_EVENT_RE = [(name, re.compile(rf"\b(?:{pat})\b", re.I)) for name, pat in EVENTS.items()]

# Side mentions; at one position the first alternative wins ('pro-Turkey' before 'Turkey').
_SIDES = [
    ("rebels", r"pro-turkey|turkey-backed|ankara-backed|turkish-backed|rebels?|opposition"),
    ("syrian-government", r"pro-regime|regime|syrian (?:army|forces|units|government|troops)"
                          r"|damascus|government forces|assad"),
    ("turkey", r"turkish|turks?\b|turkey|ankara"),
    ("russia", r"russian|russia|moscow|kremlin"),
]
_SIDE_RE = re.compile("|".join(f"(?P<{n.replace('-', '_')}>\\b(?:{p}))" for n, p in _SIDES),
                      re.I)

# Attribution: a speech verb, and who stands next to it.
_SPEECH = re.compile(r"\b(?:said|says|saying|told|tweeted|announced|denied|urged|warned|"
                     r"blamed|according to)\b", re.I)
SOURCES = [
    ("monitor", r"observatory|monitor"),
    ("un", r"\bu\.?n\.?(?=\W)|united nations"),
    ("german-government", r"germany|german|berlin|merkel"),
    ("russian-government", r"russia|russian|kremlin|moscow|lavrov|peskov|putin"),
    ("turkish-government", r"turkey|turkish|ankara|akar|erdogan|altun|cavusoglu"),
]


def _words(s: str) -> list[tuple[int, int, str]]:
    return [(a, b, s[a:b].lower()) for a, b in textmod.word_spans(s)]


def _counted_after(after: str) -> tuple[str | None, int]:
    """Counted category of the words following a number, and where that phrase ends.

    Skips ``of its``/``of Russia's`` and up to three modifiers (``Syrian regime``); stops at a
    verb or preposition. ``(None, 0)`` when no counted noun follows.
    """
    words = _words(after.split(".")[0][:80])
    i = 0
    while i < len(words) and i < 6:
        w = words[i][2]
        if w in _SKIP or w.endswith("'s"):
            i += 1
            continue
        break
    for j in range(i, min(i + 4, len(words))):
        if words[j][2] in _STOP or words[j][2] in _ELLIPSIS:
            break
        for n in range(_MAX_PHRASE, 0, -1):
            phrase = tuple(w for _, _, w in words[j:j + n])
            if len(phrase) == n and phrase in _COUNTED_PHRASES:
                return _COUNTED_PHRASES[phrase], words[j + n - 1][1]
    return None, 0


_SIDE_PHRASE = re.compile(r"^\s+on\s+the\s+[\w-]+\s+side\b", re.I)


def _side_in(span: str, sentence: str) -> str:
    """Side named inside a noun phrase; 'its'/'their' point to the sentence's first party."""
    m = _SIDE_RE.search(span)
    if m:
        return m.lastgroup.replace("_", "-")
    if re.search(r"\b(?:its|their)\b", span, re.I):
        m = _SIDE_RE.search(sentence)
        if m:
            return m.lastgroup.replace("_", "-")
    return ""


def _nearest_left_side(sentence: str, pos: int) -> str:
    last = ""
    for m in _SIDE_RE.finditer(sentence[:pos]):
        last = m.lastgroup.replace("_", "-")
    return last


def _event(sentence: str, start: int, end: int) -> str:
    best, best_d = "", math.inf
    for name, rx in _EVENT_RE:
        for m in rx.finditer(sentence):
            d = 0 if m.start() < end and start < m.end() else \
                (m.start() - end if m.start() >= end else start - m.end())
            if d < best_d:
                best, best_d = name, d
    return best


def _speaker(phrase: str) -> str:
    for name, pat in SOURCES:
        if re.search(pat, phrase, re.I):
            return name
    return ""


_ANAPHORIC_SPEAKER = re.compile(r"\b(?:the|this|that)\s+(?:\w+\s+){0,2}(?:ministry|minister|official|"
                                r"spokesman|spokeswoman|government|agency)\b|\b(?:he|she)\s*$",
                                re.I)


def attributions(sentence: str) -> list[tuple[int, str]]:
    """(position, source) of each speech verb in ``sentence``.

    The speaker is what stands just before the verb (``Russia said``), or just after an
    inverted or ``according to`` verb (``said Fahrettin Altun``). A bare ``the ministry`` or
    ``he`` gives ``'?'``: the caller resolves it to the report's last named source. Anything else
    (``an airstrike blamed on Damascus``) names no speaker and gives ``''``.
    """
    out = []
    for m in _SPEECH.finditer(sentence):
        verb = m.group(0).lower()
        if verb == "according to":
            who = _speaker(sentence[m.end():m.end() + 60])
        else:
            before = sentence[max(0, m.start() - 45): m.start()]
            before = re.split(r"[,;:\"“”]", before)[-1]
            who = _speaker(before)
            if not who and verb in ("said", "says", "saying", "told"):
                who = _speaker(re.split(r"[,.;]", sentence[m.end():m.end() + 40])[0])
            if not who and _ANAPHORIC_SPEAKER.search(before):
                who = "?"
        out.append((m.start(), who))
    return out


# --------------------------------------------------------------------------------------------
# Time
# --------------------------------------------------------------------------------------------

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
    rf"|(?P<last>\blast\s+(?:year|month|week)\b)"
    rf"|(?P<since>\bsince\s+(?:mid-|early\s+|late\s+)?(?:{_MONTH_RE})\b)"
    rf"|(?P<date>\b(?:{_MONTH_RE})\s+\d{{1,2}}\b|\b\d{{1,2}}\s+(?:{_MONTH_RE})\b)"
    rf"|(?P<year>\bin\s+(?:19|20)\d\d\b)"
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


# --------------------------------------------------------------------------------------------
# Claims
# --------------------------------------------------------------------------------------------

CLAIM_COLUMNS = ["article_id", "sentence_id", "start", "end", "surface", "value", "low", "high",
                 "hedge", "exact", "counted", "event", "side", "source", "time_expression",
                 "date_start", "date_end", "date_basis"]


# Connectives that introduce an earlier event: a time expression on the other side dates the
# main clause, not the claim ('talks Friday after 33 soldiers died').
_EARLIER_EVENT = re.compile(r"\b(?:after|following|in retaliation for|in response to|"
                            r"since)\b", re.I)


_OTHER_EVENT_AFTER = re.compile(r"\b(?:after|before|following|since)\b", re.I)


def _blocked(folded: str, t: tuple[int, int, str], q: Quantity) -> bool:
    """True when a connective between time expression ``t`` and quantity ``q`` shows that the
    expression dates another event ('posts, set up after a deal signed ... in 2018')."""
    if t[1] <= q.start:
        return bool(_EARLIER_EVENT.search(folded[t[1]:q.start]))
    return bool(_OTHER_EVENT_AFTER.search(folded[q.end:t[0]]))


def sentence_claims(sentence: str, published: pd.Timestamp,
                    context: list[dict] | None = None, last_source: str = "") -> list[dict]:
    """Claims in one sentence, offsets relative to the sentence.

    ``context`` holds the claims of earlier sentences of the same report (for ``Two more``,
    ``Five others``); ``last_source`` is the last named source in the report (for ``the
    ministry said``).
    """
    context = context or []
    rows: list[dict] = []
    folded = textmod.fold_chars(sentence)
    quantities = find_quantities(sentence)
    times = time_expressions(sentence, published)
    speakers = attributions(sentence)
    for q in quantities:
        after = folded[q.end:]
        counted, rel_end = _counted_after(after)
        np_end = q.end + rel_end if counted else q.end
        elided = counted is None
        if elided and re.match(r"^\s+(?:more|others|other)\b", after, re.I):
            np_end = q.end + re.match(r"^\s+\w+", after).end()
        side_phrase = _SIDE_PHRASE.match(folded[np_end:])
        if side_phrase:
            np_end += side_phrase.end()
        np_start = q.start
        if elided:
            m = None
            for m in re.finditer(r"\bnumber of\s+", folded[: q.start], re.I):
                pass
            if m:
                counted, rel = _counted_after(folded[m.end(): q.start])
                if counted:
                    np_start = m.start()
        event = _event(folded, q.start, np_end)
        prev_same = [r for r in rows if r["_q"].end <= q.start]
        hedge, low, high, value, exact = q.hedge, q.low, q.high, q.value, q.exact
        side = ""
        if counted is None and prev_same and q.kind in ("digits", "words") and not q.hedge \
                and re.search(r"\band\s+$", folded[prev_same[-1]["_end"]: q.start]):
            ref = prev_same[-1]  # '11 fighters on one side and 14 on the other'
            counted = ref["counted"]
            if ref["_q"].hedge and HEDGES.get(ref["_q"].hedge) == "low":
                hedge, low, value, exact = ref["_q"].hedge, q.value, None, False
        if counted is None:
            pool = [r for r in reversed(context) if r["event"] == event] or \
                   [r for r in reversed(context) if r["counted"] in PERSON_KINDS]
            if pool:
                counted, side = pool[0]["counted"], pool[0]["side"]
        if event == "hosted" and counted == "people":
            counted = "refugees"
        if counted in EVENT_BY_COUNTED:
            event = EVENT_BY_COUNTED[counted]
        if counted not in NO_SIDE:
            side = _side_in(folded[np_start:np_end], folded) or side
            if not side and prev_same and prev_same[-1]["side"]:
                side = prev_same[-1]["side"]
            if not side:
                side = _nearest_left_side(folded, q.start)
        else:
            side = ""
        usable = [t for t in times if not _blocked(folded, t, q)]
        if usable:
            t = min(usable, key=lambda t: (abs((t[0] + t[1]) / 2 - (q.start + q.end) / 2), t[0]))
            start_d, end_d = resolve_time(t[2], published)
            expr, basis = t[2], "expression"
        else:
            start_d = end_d = pd.Timestamp(published).normalize()
            expr, basis = "", "publication date"
        if speakers:
            pos, who = min(speakers, key=lambda s: (abs(s[0] - q.start), s[0]))
            source = (last_source or "outlet") if who == "?" else (who or "outlet")
        else:
            source = "outlet"
        rows.append({
            "start": q.start, "end": np_end, "surface": sentence[q.start:np_end],
            "value": value, "low": low, "high": high, "hedge": hedge, "exact": exact,
            "counted": counted or "", "event": event, "side": side, "source": source,
            "time_expression": expr, "date_start": start_d, "date_end": end_d,
            "date_basis": basis, "_q": q, "_end": np_end,
        })
    return rows


def extract_claims(corpus: Corpus) -> pd.DataFrame:
    """Every quantitative claim of every report, one row each, in publication order.

    Offsets ``start``/``end`` are in the article's clean text; ``date_basis`` says whether the
    period comes from a time expression or defaults to the publication date, and
    ``pub_date_inferred`` whether that publication date is itself inferred.
    """
    rows = []
    sentences = corpus.sentences
    for art in corpus.articles.itertuples():
        context: list[dict] = []
        last_source = ""
        for s in sentences[sentences["article_id"] == art.id].itertuples():
            found = sentence_claims(s.text, art.date, context, last_source)
            for r in found:
                context.append(r)
                rows.append({**{k: v for k, v in r.items() if not k.startswith("_")},
                             "article_id": art.id, "sentence_id": s.sentence_id,
                             "start": s.start + r["start"], "end": s.start + r["end"]})
            named = [who for _, who in attributions(s.text) if who not in ("", "?")]
            if named:
                last_source = named[-1]
    out = _date_from_same_figure(pd.DataFrame(rows, columns=CLAIM_COLUMNS))
    inferred = corpus.articles.set_index("id")["date_basis"].str.startswith("inferred")
    out["pub_date_inferred"] = out["article_id"].map(inferred).astype(bool)
    return out.reset_index(drop=True)


def _date_from_same_figure(claims: pd.DataFrame) -> pd.DataFrame:
    """An undated claim takes the period of the same figure dated elsewhere in its report.

    'the killing of 33 Turkish soldiers' (no date) and '33 Turkish soldiers ... on Thursday'
    in the same report are one event; the dated mention gives both their period.
    """
    out = claims.copy()
    same = ["article_id", "counted", "event", "side", "value", "low", "high"]
    dated = out[out["date_basis"] == "expression"]
    for i, r in out[out["date_basis"] == "publication date"].iterrows():
        hit = dated
        for col in same:
            hit = hit[hit[col].isna()] if pd.isna(r[col]) else hit[hit[col] == r[col]]
        if not hit.empty:
            h = hit.iloc[0]
            out.loc[i, ["date_start", "date_end"]] = [h["date_start"], h["date_end"]]
            out.loc[i, "date_basis"] = f"same figure in {h['sentence_id']}"
    return out


# --------------------------------------------------------------------------------------------
# Comparison across reports
# --------------------------------------------------------------------------------------------

VERDICTS = ("agree", "consistent (sum)", "consistent update", "conflict", "single report")


def format_value(row: pd.Series | dict) -> str:
    """A claim's figure as a reader would say it: '900,000 (an estimated)', '≥ 11', '200-999'."""
    def n(x: float) -> str:
        return f"{x:,.0f}" if float(x).is_integer() else f"{x:,.1f}"
    v, lo, hi, hedge = row["value"], row["low"], row["high"], row["hedge"]
    if v is not None and not pd.isna(v):
        return n(v) + (f" ({hedge})" if hedge else "")
    if lo is not None and not pd.isna(lo) and hi is not None and not pd.isna(hi):
        return f"{n(lo)}-{n(hi)} ({hedge})" if hedge else f"{n(lo)}-{n(hi)}"
    if lo is not None and not pd.isna(lo):
        return f"{hedge} {n(lo)}" if hedge else f">= {n(lo)}"
    return f"{hedge} {n(hi)}" if hedge else f"<= {n(hi)}"


def _interval(row: pd.Series) -> tuple[float, float]:
    def f(x):
        return None if x is None or pd.isna(x) else float(x)
    q = Quantity(0, 0, "", f(row["value"]), f(row["low"]), f(row["high"]), row["hedge"],
                 bool(row["exact"]), "half" if row["hedge"] == "half of" else "digits")
    return q.interval()


def _overlap(a: tuple[float, float], b: tuple[float, float]) -> bool:
    return a[0] <= b[1] and b[0] <= a[1]


def claim_key(row: pd.Series | dict) -> str:
    """The comparison key: counted thing, event, side and the first day of the period."""
    side = row["side"] or "-"
    return f"{row['counted']} | {row['event']} | {side} | from {row['date_start']:%Y-%m-%d}"


def _day(d: pd.Timestamp) -> str:
    return f"{d.day} {d:%b}"


def _period(row) -> str:
    s, e = (row.date_start, row.date_end) if hasattr(row, "date_start") else \
        (row["date_start"], row["date_end"])
    return _day(s) if s == e else f"{_day(s)} {s.year}-{_day(e)}" if s.year != e.year \
        else f"{_day(s)}-{_day(e)}"


def _verdict(group: pd.DataFrame, claims: pd.DataFrame, order: dict[str, int]) -> tuple[str, str]:
    """Verdict and reasoning for one group of claims (one row per report and figure)."""
    reports = group["article_id"].unique()
    if len(reports) == 1:
        figs = list(dict.fromkeys(group["figure"]))
        if len(figs) > 1:
            return "single report", (f"Only {reports[0]} counts this; it prints {len(figs)} "
                                     f"figures for it ({', '.join(figs)}), items of one list or "
                                     f"different mentions.")
        return "single report", f"Only {reports[0]} gives this figure."
    g = group.sort_values(["date_end", "article_id"], key=lambda s: s.map(order)
                          if s.name == "article_id" else s)
    ends = sorted(g["date_end"].unique())
    notes, verdict = [], "agree"
    for end in ends:
        same = g[g["date_end"] == end]
        ivs = [_interval(r) for _, r in same.iterrows()]
        if not all(_overlap(a, b) for a in ivs for b in ivs):
            figs = "; ".join(f"{r.article_id} {format_value(r)}" for _, r in same.iterrows())
            return "conflict", (f"Same period ending {_day(end)}, incompatible figures: {figs}.")
        if len(same) > 1:
            figs = ", ".join(f"{r.article_id} {format_value(r)}" for _, r in same.iterrows())
            notes.append(f"For the period ending {_day(end)} the figures overlap ({figs})")
    for earlier, later in zip(ends, ends[1:]):
        a = g[g["date_end"] == earlier].iloc[0]
        b = g[g["date_end"] == later].iloc[0]
        summed = _sum_explains(a, b, claims)
        if summed:
            verdict = "consistent (sum)" if verdict == "agree" else verdict
            notes.append(summed)
            continue
        ia, ib = _interval(a), _interval(b)
        if ib[1] < ia[0]:
            return "conflict", (f"{b.article_id} gives {format_value(b)} up to {_day(later)}, "
                                f"below {a.article_id}'s {format_value(a)} up to {_day(earlier)}"
                                f": a running total cannot fall.")
        verdict = "consistent update" if verdict in ("agree",) else verdict
        notes.append(f"{b.article_id} ({format_value(b)}, to {_day(later)}) is not below "
                     f"{a.article_id} ({format_value(a)}, to {_day(earlier)}): a later figure "
                     f"for a longer period")
    return verdict, "; ".join(notes) + "."


def _sum_explains(a: pd.Series, b: pd.Series, claims: pd.DataFrame) -> str:
    """'b = a + the same report's single-day figures after a's period', or ''."""
    if a["value"] is None or pd.isna(a["value"]) or b["value"] is None or pd.isna(b["value"]):
        return ""
    extra = claims[(claims["article_id"] == a["article_id"]) & (claims["counted"] == a["counted"])
                   & (claims["event"] == a["event"]) & (claims["side"] == a["side"])
                   & (claims["date_start"] == claims["date_end"])
                   & (claims["date_start"] > a["date_end"])
                   & (claims["date_start"] <= b["date_end"]) & claims["value"].notna()]
    extra = extra.drop_duplicates(["date_start", "value"])
    if extra.empty:
        return ""
    total = a["value"] + extra["value"].sum()
    if total != b["value"]:
        return ""
    parts = " + ".join(f"{v:,.0f} ({_day(d)})" for v, d in zip(extra["value"],
                                                                 extra["date_start"]))
    return (f"{b.article_id}'s {format_value(b)} to {_day(b['date_end'])} = {a.article_id}'s "
            f"{format_value(a)} to {_day(a['date_end'])} + {parts} from the same report")


def compare(claims: pd.DataFrame, corpus: Corpus) -> pd.DataFrame:
    """One row per compared quantity: which report gives which figure, verdict and reasoning.

    Repeated mentions of the same figure in one report count once (``mentions`` says how
    often it is printed). Rows are ordered by the first day of the period, then the key.
    """
    order = {aid: i for i, aid in enumerate(corpus.articles["id"])}
    c = claims[claims["counted"] != ""].copy()
    c["key"] = c.apply(claim_key, axis=1)
    c["figure"] = c.apply(format_value, axis=1)
    dedup = (c.groupby(["key", "article_id", "figure", "date_end"], as_index=False, sort=True)
             .agg(mentions=("sentence_id", "size"), sentence_ids=("sentence_id", ", ".join),
                  value=("value", "first"), low=("low", "first"), high=("high", "first"),
                  hedge=("hedge", "first"), exact=("exact", "first"),
                  counted=("counted", "first"), event=("event", "first"),
                  side=("side", "first"), date_start=("date_start", "first"),
                  source=("source", "first"), pub_date_inferred=("pub_date_inferred", "first")))
    rows = []
    for key, g in dedup.groupby("key", sort=True):
        verdict, why = _verdict(g, c, order)
        g = g.sort_values("article_id", key=lambda s: s.map(order))
        first = g.iloc[0]
        rows.append({
            "key": key,
            "quantity": f"{first['counted']} {first['event']}"
                        + (f" ({first['side']})" if first["side"] else ""),
            "from": first["date_start"],
            "reports": ", ".join(dict.fromkeys(g["article_id"])),
            "n_reports": g["article_id"].nunique(),
            "figures": "; ".join(f"{r.article_id}: {r.figure} [{_period(r)}; {r.source}; "
                                 f"{r.sentence_ids}]" for r in g.itertuples()),
            "verdict": verdict,
            "reasoning": why,
            "inferred_dates": ", ".join(dict.fromkeys(g.loc[g["pub_date_inferred"],
                                                             "article_id"])),
        })
    out = pd.DataFrame(rows)
    return out.sort_values(["from", "key"], kind="stable").reset_index(drop=True)


def report_matrix(claims: pd.DataFrame, comparison: pd.DataFrame, corpus: Corpus) -> pd.DataFrame:
    """Long frame for the 'who reports what' chart: one row per quantity and report."""
    c = claims[claims["counted"] != ""].copy()
    c["key"] = c.apply(claim_key, axis=1)
    c["figure"] = c.apply(format_value, axis=1)
    labels = corpus.articles.set_index("id")["label"]
    verdicts = comparison.set_index("key")
    rows = []
    for (key, aid), g in c.groupby(["key", "article_id"], sort=True):
        v = verdicts.loc[key]
        rows.append({"key": key, "quantity": f"{v['quantity']}, from {_day(v['from'])}",
                     "report": labels[aid], "article_id": aid,
                     "figure": " / ".join(dict.fromkeys(g.apply(_short_figure, axis=1))),
                     "verdict": v["verdict"], "sentences": ", ".join(g["sentence_id"])})
    return pd.DataFrame(rows)


def _short_figure(row: pd.Series) -> str:
    """A figure short enough for a grid cell: vague quantities keep only their words."""
    if row["hedge"] in VAGUE:
        return row["hedge"][: -len(" of")]
    return format_value(row)


def report_chart(matrix: pd.DataFrame, corpus: Corpus) -> alt.Chart:
    """A grid: quantities down, reports across, the printed figure in each cell, coloured by
    the verdict of its row."""
    order = list(corpus.articles["label"])
    ranked = matrix.assign(single=matrix["verdict"] == "single report")
    rows = list(dict.fromkeys(ranked.sort_values(["single", "key"])["quantity"]))
    colour = alt.Scale(domain=list(VERDICTS),
                       range=["#009E73", "#56B4E9", "#0072B2", "#D55E00", "#BBBBBB"])
    base = alt.Chart(matrix).encode(
        x=alt.X("report:N", title=None, sort=order, axis=alt.Axis(orient="top", labelAngle=0)),
        y=alt.Y("quantity:N", title=None, sort=rows, axis=alt.Axis(labelLimit=420)),
    )
    cells = base.mark_rect(stroke="white", strokeWidth=2).encode(
        color=alt.Color("verdict:N", title="Verdict", scale=colour),
        tooltip=["quantity:N", "report:N", "figure:N", "verdict:N", "sentences:N"])
    labels = base.mark_text(fontSize=11, color="#111").encode(text="figure:N")
    return (cells + labels).properties(width=700, height=alt.Step(22))


# --------------------------------------------------------------------------------------------
# Timeline of dated events
# --------------------------------------------------------------------------------------------

EVENT_TYPES = {
    "strike": r"air ?strikes?|airstrike|struck|shelling|pounded|retaliated|retaliation|attack|"
              r"assaults?|firing",
    "casualties": r"killed|killing|died|deaths?|wounded|wounding",
    "call or talks": r"spoke|phone|call|talks|talked|dialogue",
    "meeting": r"meeting|summit|meet|gathering|travel",
    "ultimatum": r"ultimatum",
    "deployment": r"warships|deployment|brought|sent",
    "statement": r"said|says|told|announced|warned|urged|blamed|denied",
}
STATEMENT_PENALTY = 20
_EVENT_TYPE_RE = [(n, re.compile(rf"\b(?:{p})\b", re.I)) for n, p in EVENT_TYPES.items()]


def timeline_events(corpus: Corpus) -> pd.DataFrame:
    """Events the reports date to a single day: report, date, type, expression, sentence.

    The type is the event word nearest to the time expression; a speech verb counts as if it
    stood :data:`STATEMENT_PENALTY` characters further away, so a dated strike or death outranks
    the verb that reports it unless the verb is much closer. Ranges (``since December``, ``in 2018``) are left to
    the claims table.
    """
    rows = []
    labels = corpus.articles.set_index("id")
    for s in corpus.sentences.itertuples():
        pub = labels.loc[s.article_id, "date"]
        folded = textmod.fold_chars(s.text)
        for start, end, expr in time_expressions(s.text, pub):
            d0, d1 = resolve_time(expr, pub)
            if d0 != d1:
                continue
            best, best_key = None, None
            for rank, (name, rx) in enumerate(_EVENT_TYPE_RE):
                for m in rx.finditer(folded):
                    dist = min(abs(m.start() - end), abs(start - m.end()))
                    k = (dist + (STATEMENT_PENALTY if name == "statement" else 0), rank)
                    if best_key is None or k < best_key:
                        best, best_key = name, k
            if best is None:
                continue
            rows.append({"article_id": s.article_id, "report": labels.loc[s.article_id, "label"],
                         "date": d0, "event": best, "time_expression": expr,
                         "sentence_id": s.sentence_id, "sentence": s.text,
                         "pub_date": pub, "pub_date_inferred":
                         labels.loc[s.article_id, "date_basis"].startswith("inferred")})
    out = pd.DataFrame(rows)
    order = {aid: i for i, aid in enumerate(corpus.articles["id"])}
    return out.sort_values(["date", "article_id", "sentence_id"],
                           key=lambda c: c.map(order) if c.name == "article_id" else c,
                           kind="stable").reset_index(drop=True)


def event_links(events: pd.DataFrame, table_id: str) -> list[str]:
    """In-page links from each event to its row in :func:`events_table` shown with ``table_id``.

    The book's tables (``figures.table``) give each cell the stable id
    ``T_<table id>_row<r>_col<c>``, so row ``r`` of the events table is an anchor.
    """
    return [f"#T_{table_id}_row{r}_col0" for r in range(len(events))]


def timeline_chart(events: pd.DataFrame, corpus: Corpus,
                   link_table: str | None = None) -> alt.Chart:
    """Dated events by report: one point each, shaped and coloured by type, side by side within
    a report's row; a grey bar marks the publication date. The tooltip names the sentence;
    with ``link_table``, clicking a point jumps to its sentence in the events table."""
    order = list(corpus.articles["label"])
    types = list(EVENT_TYPES) + ["report published"]
    pubs = pd.DataFrame({"report": corpus.articles["label"], "date": corpus.articles["date"],
                         "event": "report published", "sentence_id": "",
                         "time_expression": "(publication date)"})
    points = events[["report", "date", "event", "sentence_id", "time_expression"]].copy()
    points["link"] = event_links(events, link_table) if link_table else ""
    data = pd.concat([points, pubs.assign(link="")], ignore_index=True)
    pad = pd.Timedelta(days=1)
    domain = [(data["date"].min() - pad).isoformat(), (data["date"].max() + pad).isoformat()]
    shapes = ["circle", "square", "triangle-up", "cross", "diamond", "triangle-right",
              "triangle-down", "M-0.2,-1.5H0.2V1.5H-0.2Z"]
    colours = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#000000",
               "#999999"]
    return alt.Chart(data).mark_point(size=110, filled=True, opacity=0.95).encode(
        x=alt.X("date:T", title="Date the report gives the event",
                scale=alt.Scale(domain=domain),
                axis=alt.Axis(format="%d %b", tickCount="day", labelAngle=-45)),
        y=alt.Y("report:N", title=None, sort=order, scale=alt.Scale(paddingInner=0.25)),
        yOffset=alt.YOffset("event:N", sort=types, scale=alt.Scale(domain=types)),
        color=alt.Color("event:N", title="Event", scale=alt.Scale(domain=types, range=colours)),
        shape=alt.Shape("event:N", title="Event", scale=alt.Scale(domain=types, range=shapes)),
        tooltip=["sentence_id:N", "report:N", alt.Tooltip("date:T", format="%a %d %b %Y"),
                 "event:N", "time_expression:N"],
        href=alt.Href("link:N"),
    ).properties(width=620, height=420)


# --------------------------------------------------------------------------------------------
# Validation against the hand annotation
# --------------------------------------------------------------------------------------------

ANNOTATION_COLUMNS = ["article_id", "sentence_id", "surface", "value", "low", "high", "hedge",
                      "exact", "counted", "event", "side", "source", "time_expression",
                      "date_start", "date_end", "notes"]


def load_annotations(path: Path | str | None = None, corpus: Corpus | None = None) -> pd.DataFrame:
    """The hand annotation, with each surface located in its sentence (clean-text offsets).

    Raises ``ValueError`` naming the file (and the row, counted as in a spreadsheet: the header
    is row 1) when a column is missing, ``value``/``low``/``high`` is neither empty nor a number,
    ``exact`` is not ``True``/``False``, a date is not ``YYYY-MM-DD``, a sentence id is unknown or
    a surface is not found exactly once in its sentence.
    """
    path = Path(path) if path is not None else ANNOTATIONS
    a = pd.read_csv(path, dtype=str, keep_default_na=False)
    missing = [c for c in ANNOTATION_COLUMNS if c not in a.columns]
    if missing:
        raise ValueError(f"{path}: missing columns {missing}")
    numbers: dict[str, list[float]] = {"value": [], "low": [], "high": []}
    exact, dates = [], {"date_start": [], "date_end": []}
    for i, r in enumerate(a.to_dict("records")):
        where = f"{path}, row {i + 2}"
        for col, out in numbers.items():
            v = r[col].strip()
            try:
                x = float(v) if v else math.nan
            except ValueError:
                x = math.inf
            if v and not math.isfinite(x):
                raise ValueError(f"{where}: {col} {r[col]!r} is not a number")
            out.append(x)
        if r["exact"] not in ("True", "False"):
            raise ValueError(f"{where}: exact {r['exact']!r} is not True or False")
        exact.append(r["exact"] == "True")
        for col, out in dates.items():
            if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", r[col]):
                raise ValueError(f"{where}: {col} {r[col]!r} is not a date (YYYY-MM-DD)")
            try:
                out.append(pd.Timestamp(r[col]))
            except ValueError:
                raise ValueError(f"{where}: {col} {r[col]!r} is not a date (YYYY-MM-DD)") \
                    from None
    for col, values in numbers.items():
        a[col] = pd.Series(values, index=a.index, dtype=float)
    a["exact"] = pd.Series(exact, index=a.index, dtype=bool)
    for col, values in dates.items():
        a[col] = pd.Series(values, index=a.index, dtype="datetime64[us]")
    if corpus is not None:
        sents = corpus.sentences.set_index("sentence_id")
        starts, ends = [], []
        for i, r in a.iterrows():
            if r["sentence_id"] not in sents.index:
                raise ValueError(f"{path}, row {i + 2}: unknown sentence {r['sentence_id']!r}")
            s = sents.loc[r["sentence_id"]]
            if s["text"].count(r["surface"]) != 1:
                raise ValueError(f"{path}, row {i + 2}: surface {r['surface']!r} is not found "
                                 f"exactly once in {r['sentence_id']}")
            off = s["text"].index(r["surface"])
            starts.append(int(s["start"]) + off)
            ends.append(int(s["start"]) + off + len(r["surface"]))
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


def evaluate(claims: pd.DataFrame, gold: pd.DataFrame) -> dict[str, float | int]:
    """Precision, recall and F1 of extraction; accuracy of each field over matched claims."""
    m = match_claims(claims, gold)
    tp = int((m["status"] == "matched").sum())
    fp = int((m["status"] == "extra").sum())
    fn = int((m["status"] == "missed").sum())
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    out: dict[str, float | int] = {"tp": tp, "fp": fp, "fn": fn, "precision": p, "recall": r,
                                   "f1": 2 * p * r / (p + r) if p + r else 0.0}
    mm = m[m["status"] == "matched"]
    if len(mm):
        acc = field_agreement(mm)
        for f in acc.columns:
            out[f"acc_{f}"] = float(acc[f].mean())
    return out


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


# --------------------------------------------------------------------------------------------
# Tables and numbers for the chapter
# --------------------------------------------------------------------------------------------

def comparison_table(comparison: pd.DataFrame) -> pd.DataFrame:
    """The comparison as the reader sees it."""
    return pd.DataFrame({
        "quantity": comparison["quantity"],
        "period from": comparison["from"].dt.strftime("%d %b %Y"),
        "figures [period; source; sentences]": comparison["figures"],
        "verdict": comparison["verdict"],
        "reasoning": comparison["reasoning"],
    })


def claims_table(claims: pd.DataFrame) -> pd.DataFrame:
    """All extracted claims, compact."""
    return pd.DataFrame({
        "sentence": claims["sentence_id"], "as printed": claims["surface"],
        "figure": claims.apply(format_value, axis=1), "counted": claims["counted"],
        "event": claims["event"], "side": claims["side"], "source": claims["source"],
        "time": claims["time_expression"].replace("", "(none: publication date)"),
        "period": claims.apply(_period, axis=1),
    })


def events_table(events: pd.DataFrame) -> pd.DataFrame:
    """The timeline's points with the sentence each comes from."""
    return pd.DataFrame({
        "date": events["date"].dt.strftime("%a %d %b"), "report": events["article_id"],
        "event": events["event"], "as printed": events["time_expression"],
        "sentence id": events["sentence_id"], "sentence": events["sentence"],
    })


def quality_table(scores: dict) -> pd.DataFrame:
    """Extraction quality as a small table (rates as percentages)."""
    fields = [("precision", "extraction precision"), ("recall", "extraction recall"),
              ("f1", "extraction F1"), ("acc_value", "value and bounds"),
              ("acc_hedge", "hedge"), ("acc_counted", "counted thing"),
              ("acc_event", "event"), ("acc_side", "side"), ("acc_source", "source credited"),
              ("acc_time_expression", "time expression"),
              ("acc_period", "resolved period (both dates)")]
    return pd.DataFrame({"measure": [label for _, label in fields],
                         "score (%)": [round(100 * scores[k], 1) for k, _ in fields]})


def _pct(x: float) -> str:
    return f"{100 * x:.0f}%"


@dataclass(frozen=True, eq=False)
class Analysis:
    """Everything the chapter shows, computed once: claims, comparison, events, validation."""

    corpus: Corpus
    claims: pd.DataFrame
    comparison: pd.DataFrame
    matrix: pd.DataFrame
    events: pd.DataFrame
    gold: pd.DataFrame
    scores: dict


def analyse(corpus: Corpus, annotations: Path | str | None = None) -> Analysis:
    """Extract, compare, date and validate, for one corpus."""
    found = extract_claims(corpus)
    comparison = compare(found, corpus)
    gold = load_annotations(annotations, corpus=corpus)
    return Analysis(corpus, found, comparison, report_matrix(found, comparison, corpus),
                    timeline_events(corpus), gold, evaluate(found, gold))


def key_numbers(result: Analysis) -> dict[str, object]:
    """The numbers and phrases the chapter states in prose, by glue name."""
    corpus, claims, comparison = result.corpus, result.claims, result.comparison
    events, scores = result.events, result.scores
    v = comparison["verdict"].value_counts()
    labels = corpus.articles.set_index("id")["label"]
    most = claims.groupby("article_id").size().sort_values(ascending=False, kind="stable")
    tolls = claims[(claims["counted"] == "soldiers") & (claims["event"] == "killed")
                   & (claims["side"] == "turkey") & (claims["date_start"] == claims["date_end"])]
    top = tolls.sort_values(["value", "date_start"], ascending=[False, True]).iloc[0]
    top_reports = tolls[(tolls["value"] == top["value"])
                        & (tolls["date_start"] == top["date_start"])]["article_id"]

    def reasoning(verdict: str) -> str:
        rows = comparison[comparison["verdict"] == verdict]
        return rows["reasoning"].iloc[0] if len(rows) else "(none)"

    agreeing = comparison[comparison["verdict"] == "agree"]
    out: dict[str, object] = {
        "n_claims": len(claims),
        "n_gold": len(result.gold),
        "n_groups": len(comparison),
        "n_multi": int((comparison["n_reports"] > 1).sum()),
        "n_single": int(v.get("single report", 0)),
        "n_agree": int(v.get("agree", 0)),
        "n_update": int(v.get("consistent update", 0)),
        "n_sum": int(v.get("consistent (sum)", 0)),
        "n_conflict": int(v.get("conflict", 0)),
        "agree_list": "; ".join(f"{q} (from {_day(d)})" for q, d in
                                zip(agreeing["quantity"], agreeing["from"])),
        "sum_reasoning": reasoning("consistent (sum)"),
        "update_reasoning": reasoning("consistent update"),
        "most_claims_report": labels[most.index[0]],
        "most_claims_n": int(most.iloc[0]),
        "fewest_claims_report": labels[most.index[-1]],
        "fewest_claims_n": int(most.iloc[-1]),
        "top_toll": int(top["value"]),
        "top_toll_date": f"{top['date_start'].day} {top['date_start']:%B}",
        "top_toll_reports": " and ".join(labels[a] for a in dict.fromkeys(top_reports)),
        "n_destroyed": int((claims["event"] == "destroyed").sum()),
        "n_destroyed_turkish": int(((claims["event"] == "destroyed")
                                    & (claims["source"] == "turkish-government")).sum()),
        "n_inferred_pub": int(corpus.articles["date_basis"].str.startswith("inferred").sum()),
        "n_destroyed_single": int(comparison.loc[comparison["key"].str.contains(
            "| destroyed |", regex=False), "verdict"].eq("single report").sum()),
        "n_events": len(events),
        "n_event_reports": int(events["article_id"].nunique()),
        "n_events_inferred": int(events["pub_date_inferred"].sum()),
        "n_claims_inferred": int(claims["pub_date_inferred"].sum()),
        "n_default_dated": int((claims["date_basis"] == "publication date").sum()),
        "n_same_figure_dated": int(claims["date_basis"].str.startswith("same figure").sum()),
        "tp": scores["tp"], "fp": scores["fp"], "fn": scores["fn"],
        "precision": _pct(scores["precision"]), "recall": _pct(scores["recall"]),
        "f1": _pct(scores["f1"]),
        "n_errors": len(errors(claims, result.gold)),
    }
    for k in ("value", "hedge", "counted", "event", "side", "source", "time_expression",
              "period"):
        out[f"acc_{k}"] = _pct(scores[f"acc_{k}"])
    return out
