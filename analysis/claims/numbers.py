"""Numbers: parse a figure written in digits or words, and find the counts in a sentence.

:func:`parse_number` reads digits itself (``900,000``, ``3.6 million``) and hands number words to
``text2num`` (``thirty-three``, ``one hundred and five``); the only hand rules left are the ones
``text2num`` does not cover: an article for one (``a million``) and ``dozen``.
:func:`find_quantities` finds the counts in a sentence, keeps their hedge (``at least``,
``an estimated``, ``hundreds of``, ``several million``) and leaves out what is not a count
(years, dates, clock times, model names such as ``S-400``, ordinals, durations, ``the two
countries``).

Measured on the hand annotation (``python -m benchmarks.claims``): ``text2num`` for number
words gives the same extraction scores as the former hand parser on the book's five texts (see the
``analysis.claims`` docstring for the numbers), so the library is used and the hand word parser is
gone.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from text_to_num import text2num

from analysis import text as textmod
from analysis.claims.lexicon import COUNTED
from analysis.claims.lexicon import counted_after as _counted_after

_LEXICON_CATEGORIES = frozenset(COUNTED)

UNITS = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen".split())}
TENS = {w: 10 * i for i, w in enumerate(
    "_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()) if w != "_"}
SCALES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000}
_NUMBER_WORDS = set(UNITS) | set(TENS) | set(SCALES) | {"dozen"}

_DIGITS = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
# Scale words after digits, the wire's abbreviations included ('1.5 mln', '2 bln').
DIGIT_SCALES = {"thousand": 1e3, "million": 1e6, "mln": 1e6, "billion": 1e9, "bln": 1e9,
                "trillion": 1e12}
_SCALE_WORD = r"(?:million|billion|thousand|mln|bln|trillion)"



class ClaimError(textmod.AnalysisError):
    """A sentence or article the claims method cannot handle; names the article file and the
    sentence (as ``field``) so a runner can turn it into an error row and go on."""


def _words_value(words: list[str], phrase: str) -> float:
    """Value of number words: ``a``/``an`` before a scale is one, ``dozen`` is twelve, the rest
    goes to ``text2num``. A phrase may not start with a bare scale word (``hundred``)."""
    if words and words[0] in ("a", "an"):
        if len(words) < 2 or (words[1] not in SCALES and words[1] != "dozen"):
            raise ValueError(f"not a number: {phrase!r}")
        words = ["one", *words[1:]]
    if words == ["dozen"]:
        return 12.0
    if not words or words[0] in SCALES or words[0] in ("dozen", "and") or words[-1] == "and" \
            or any(w not in _NUMBER_WORDS and w != "and" for w in words):
        raise ValueError(f"not a number: {phrase!r}")
    if "dozen" in words:
        i = words.index("dozen")
        if i != len(words) - 1:
            raise ValueError(f"not a number: {phrase!r}")
        return 12 * (_words_value(words[:i], phrase) if words[:i] else 1)
    try:
        return float(text2num(" ".join(words), "en"))
    except ValueError:
        raise ValueError(f"not a number: {phrase!r}") from None


def normal_phrase(phrase: str) -> str:
    """A number phrase folded and lower-cased; ``ValueError`` for anything not a string."""
    if not isinstance(phrase, str):
        raise ValueError(f"expected a string, got {type(phrase).__name__}")
    return textmod.fold_chars(phrase).strip().lower()


def digits_value(s: str) -> float | None:
    """The value of ``900,000``, ``16`` or ``3.6 million`` (a normal phrase), else ``None``."""
    m = re.fullmatch(rf"({_DIGITS})(?:\s+({_SCALE_WORD}))?", s)
    if not m:
        return None
    return float(m.group(1).replace(",", "")) * (DIGIT_SCALES[m.group(2)] if m.group(2) else 1)


def parse_number(phrase: str) -> float:
    """The value of a number written in digits or English words.

    Accepts ``900,000``, ``16``, ``3.6 million``, ``thirty-three``, ``one hundred and five``,
    ``a million``, ``a dozen``. Raises ``ValueError`` for anything else, so a caller never
    receives a guess.
    """
    s = normal_phrase(phrase)
    value = digits_value(s)
    if value is not None:
        return value
    words = [w for w in re.split(r"[\s-]+", s) if w]
    if any(w in ("a", "an") for w in words[1:]):
        raise ValueError(f"not a number: {phrase!r}")
    return _words_value(words, phrase)

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
    # 'several' / 'a few' before a scale: at least two of it, fewer than ten
    **{f"{q} {scale}": (2 * n, 10 * n - 1) for q in ("several", "a few")
       for scale, n in (("dozen", 12), ("hundred", 100), ("thousand", 1_000),
                        ("million", 1_000_000), ("billion", 1_000_000_000))},
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
ORDINALS = {w: i for i, w in enumerate(
    "_ first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth".split())
    if w != "_"}
_ORDINAL_WORDS = "|".join(sorted(ORDINALS, key=len, reverse=True))
_QUANTITY = re.compile(
    rf"(?P<hedge>\b(?:{_HEDGE_RE})\s+)?"
    rf"(?:(?P<vague>\b(?:{_VAGUE_RE}))"
    rf"|(?P<half>\bhalf\s+of)"
    rf"|(?P<streak>\b(?:{_ORDINAL_WORDS}|\d{{1,3}}(?:st|nd|rd|th))(?=\s+(?:consecutive|straight|"
    rf"successive|running)\b))"
    rf"|(?P<frac>(?<![\w.,:/-])\d+-\d{{1,2}}/\d{{1,2}}(?![\d/]))"
    rf"|(?P<digits>(?<![\w.,:/-])(?:{_DIGITS})(?:\s+{_SCALE_WORD}\b)?(?![\w-]*[A-Za-z\d]|,\d|\.\d))"
    rf"|(?P<words>\b{_WORDNUM}(?:\s+(?:mln|bln)\b)?))",
    re.IGNORECASE,
)
_MONTH_RE = "|".join(m for m in MONTHS)
_MONTH_ABBR = r"(?:jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec)\."
_DURATION_AFTER = re.compile(r"^[\s-]+(?:years?|months?|weeks?|days?|hours?|minutes?)\b", re.I)
_HYPHEN_DURATION_AFTER = re.compile(r"^-(?:years?|months?|weeks?|days?|hours?|minutes?)\b",
                                    re.I)
# A duration that only places another figure in time ('over the past two years', 'in the
# final three months', 'two years ago'): a time window, not a claim.
_WINDOW_BEFORE = re.compile(r"\b(?:past|last|next|previous|coming|first|final|recent|latest|"
                            r"following|preceding|initial|within|in|over|for\s+the|during|"
                            r"after|before)\s+(?:\w+\s+)?$", re.I)
_WINDOW_AFTER = re.compile(r"^[\s-]+\w+\s+(?:ago|earlier|later|before|after|since|from\s+now|"
                           r"of\s+the\s+year)\b", re.I)
_TIME_AFTER = re.compile(r"^(?::\d\d|\s*(?:a\.m\.|p\.m\.|am\b|pm\b|gmt\b|o'clock|local\s+time|"
                         r"hrs\b|est\b|edt\b|cst\b|cdt\b|pst\b|pdt\b|mst\b))", re.I)
_ORDINAL_AFTER = re.compile(r"^(?:st|nd|rd|th)\b", re.I)
_MONTH_BEFORE = re.compile(rf"\b(?:(?:{_MONTH_RE})\.?|{_MONTH_ABBR})\s+$", re.I)
_MONTH_AFTER = re.compile(rf"^\s+(?:of\s+)?(?:{_MONTH_RE})\b", re.I)
_DEFINITE_BEFORE = re.compile(r"\b(?:the|these|those|both|your|their|our|its|his|her|my)"
                              r"\s+$", re.I)
_PRONOUN_ONE_BEFORE = re.compile(r"\b(?:no|any|every|some|each|this|that|which|the)\s+$", re.I)
# Names and numbering: 'Group of 77', 'Group of Seven', 'No. 1', 'Section 301', 'Local 594',
# 'Boeing 747', 'Image 1 of 3', 'Karbala-5'; a capitalised word right before the number names
# it, unless that word is a hedge or a preposition opening the sentence ('About 20', 'In 1986').
_NAME_BEFORE = re.compile(r"(?:\b(?:group|g)\s+of\s+|\bno\.?\s+|\bnos\.?\s+|\bnumber\s+|"
                          r"\b(?:page|image|photo|section|article|chapter|item|rule|"
                          r"resolution|flight|route|highway|local)\s+)$", re.I)
_CAPITAL_BEFORE = re.compile(r"(?<![.!?]\s)(?<!^)\b([A-Z][\w'&.-]*)\s+$")
_OPENERS = {"in", "on", "at", "by", "of", "about", "some", "over", "nearly", "almost", "only",
            "just", "to", "from", "with", "and", "but", "around", "roughly", "approximately",
            "after", "before", "since", "until", "for", "all", "another", "another", "under",
            "up", "down", "more", "less", "fewer", "least", "most", "than", "that", "those",
            "these", "the", "a", "an", "its", "their", "his", "her", "our", "while", "when",
            "as", "if", "reuters", "reuter"}
# Ages: 'aged 57', 'age 39', 'Burkhard Junger, 39,'.
_AGE_BEFORE = re.compile(r"\b(?:aged|age|ages)\s+$", re.I)
_AGE_APPOSITION = re.compile(r"[A-Z][a-z]+\s*,\s*$")
_AGE_AFTER = re.compile(r"^\s*,")
# Years written as counts: '1986 net profit' is a year; '2000 troops' is a count.
_YEAR = re.compile(r"(?:1[89]|20)\d\d")
_COUNT_NOUN_AFTER = re.compile(r"^\s+(?:[a-z]+\s+){0,2}(?:people|persons|workers|troops|"
                               r"soldiers|employees|jobs|shares|tonnes|tons|barrels|units|"
                               r"vehicles|cars|tanks|aircraft|planes|ships|homes|houses|"
                               r"refugees|civilians|fighters|members|votes|delegates)\b")


def _is_name_or_number(before: str, core: str) -> bool:
    """'Group of 77', 'No. 1', 'Local 594', 'Boeing 747': the number names, it does not count."""
    if _NAME_BEFORE.search(before):
        return True
    m = _CAPITAL_BEFORE.search(before)
    return bool(m) and m.group(1).lower().rstrip(".") not in _OPENERS and \
        m.group(1).lower() not in HEDGES


def _not_a_count(sentence: str, m: re.Match) -> bool:
    """Years, dates, clock times, model names, identifiers, ranks, ages, ordinals, time
    windows and 'the two ...'."""
    before, after = sentence[: m.start()], sentence[m.end():]
    core = m.group("digits") or m.group("words") or ""
    if _TIME_AFTER.match(after) or _ORDINAL_AFTER.match(after) \
            or _HYPHEN_DURATION_AFTER.match(after):
        return True
    if _DURATION_AFTER.match(after) and (
            _WINDOW_BEFORE.search(before[-40:]) or _WINDOW_AFTER.match(after)
            or m.group("hedge") is None and re.search(r"\b(?:the|a|an)\s+$", before)):
        return True  # a time window ('in the past two years'), not a reported duration
    if (m.group("digits") or m.group("words")) and not m.group("hedge") \
            and _is_name_or_number(before, core):
        return True
    if m.group("words") and core[:1].isupper() and re.search(r"\w[\s,]*$", before) \
            and not re.search(r"[.!?:;\"“”(]\s*$", before) and not m.group("hedge"):
        return True  # 'the Group of Five nations', 'Big Three': a capitalised number names
    if m.group("digits"):
        plain = core.replace(",", "")
        if _MONTH_BEFORE.search(before) or _MONTH_AFTER.match(after):
            return True
        if re.search(r"['’]$", before) and re.fullmatch(r"\d\d", plain):
            return True  # "'73": a year
        if re.fullmatch(r"0\d{3}", plain):
            return True  # '0415': a clock time
        if _YEAR.fullmatch(core) and not _COUNT_NOUN_AFTER.match(after) \
                and _counted_after(after)[0] not in _LEXICON_CATEGORIES:
            return True  # a year; '2000 troops' would still be a count
        if re.fullmatch(r"\d\d", plain) and 15 <= int(plain) <= 110 and not m.group("hedge") \
                and (_AGE_BEFORE.search(before)
                     or _AGE_APPOSITION.search(before) and _AGE_AFTER.match(after)):
            return True  # an age
    elif m.group("words") and _AGE_BEFORE.search(before):
        return True
    if not m.group("hedge") and (m.group("words") or m.group("digits")) \
            and _DEFINITE_BEFORE.search(before):
        return True  # 'the two countries': restates a set, does not count it
    if m.group("words") and core.lower() == "one":
        if _PRONOUN_ONE_BEFORE.search(before) or _counted_after(after)[0] is None:
            return True  # 'no one', 'one of the issues'
    return False


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
            kind = "digits" if m.group("digits") or m.group("frac") else "words"
            if m.group("streak"):  # 'the seventh consecutive month': a count of months
                w = m.group("streak").lower()
                number = float(ORDINALS[w]) if w in ORDINALS else float(w[:-2])
                found.append(Quantity(m.start(), m.end(), sentence[m.start():m.end()], number,
                                      None, None, "", True, "streak"))
                continue
            phrase = m.group("digits") or m.group("words") or ""
            scale = 1.0
            if m.group("words") and re.search(r"\s(?:mln|bln)$", phrase, re.I):
                phrase, _, abbr = phrase.rpartition(" ")
                scale = DIGIT_SCALES[abbr.lower()]
            try:
                if m.group("frac"):
                    whole, _, frac = m.group("frac").partition("-")
                    num, _, den = frac.partition("/")
                    number = int(whole) + int(num) / int(den)
                else:
                    number = parse_number(phrase.strip()) * scale
            except (ValueError, ZeroDivisionError):
                continue  # a bare scale word ('million') or a run that is not one number
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
    return _ranges(folded, sentence, sorted(found, key=lambda q: q.start))


_RANGE_UNIT = r"(?:pct|per\s+cent|percent|dlrs|cts|tonnes|tons|stg|yen|francs|marks|years|" \
              r"months|weeks|days|hours|points|kms|mln|billion|million)"
_RANGE_GAP = re.compile(rf"^\s*(?:({_RANGE_UNIT})\s+)?(to|and|or|-)\s*$", re.I)
_RANGE_UNIT_AFTER = re.compile(rf"^\s*({_RANGE_UNIT})\b", re.I)


def _ranges(folded: str, sentence: str, found: list[Quantity]) -> list[Quantity]:
    """Join the two ends of a range into one quantity with ``low`` and ``high``: 'two or
    three', 'four to five', '34 cts to 36 cts', 'between 1.5 and 1.6 mln'. A 'from X to Y'
    (a change) and 'rose 5.7 pct to 19.7 mln' (two measures) stay two figures."""
    out: list[Quantity] = []
    i = 0
    while i < len(found):
        a = found[i]
        b = found[i + 1] if i + 1 < len(found) else None
        if b is None or a.value is None or b.value is None or a.kind == "tally" \
                or b.kind == "tally" or b.hedge:
            out.append(a)
            i += 1
            continue
        gap = _RANGE_GAP.match(folded[a.end:b.start])
        before = folded[max(0, a.start - 25):a.start].lower()
        ok = False
        if gap:
            unit, word = (gap.group(1) or "").lower(), gap.group(2).lower()
            after = _RANGE_UNIT_AFTER.match(folded[b.end:])
            same_unit = not unit or (after is not None and after.group(1).lower() == unit)
            if word in ("or", "-"):
                ok = same_unit
            elif word == "to":
                ok = same_unit and not re.search(r"\b(?:from|to|by)\s*$", before) \
                    and not re.search(r"\b(?:rose|fell|increased|decreased|declined|dropped|"
                                      r"cut|raised|reduced|lowered|up|down)\s*$", before)
            else:
                ok = bool(re.search(r"\bbetween\s*$", before)) and same_unit
        if not ok or b.value <= a.value / 1e6:
            out.append(a)
            i += 1
            continue
        low = a.value
        scale = re.search(rf"\s({_SCALE_WORD})$", b.text, re.I)
        if scale and not re.search(rf"\s({_SCALE_WORD})$", a.text, re.I) and low < b.value / 100:
            low *= DIGIT_SCALES[scale.group(1).lower()]
        if low >= b.value:
            out.append(a)
            i += 1
            continue
        out.append(Quantity(a.start, b.end, sentence[a.start:b.end], None, low, b.value,
                            a.hedge, False, "range"))
        i += 2
    return out


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


