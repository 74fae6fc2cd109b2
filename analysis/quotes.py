"""Who speaks: direct quotations, reported speech, and the speakers they are attributed to.

Three steps, all on the clean text (offsets are clean-text offsets, like everywhere in the book):

1. :func:`quote_spans` pairs quote marks into quotations. A mark's role (opening or closing) is
   read from its neighbours first and its glyph second, so an opening mark the scraper printed as
   ``”`` still opens, and a quotation still open at a paragraph end continues when the next
   paragraph re-opens it (the news convention for a quote running over paragraphs); otherwise it
   is closed at its paragraph end and reported as a problem.
2. Cue words (``said``, ``told``, ``according to`` ...) outside the quotations get the speaker
   each belongs to: the nearest mention before it (``Akar said``), after it when inverted
   (``," said Altun``, also past a role noun: ``said analyst Kevin Murphy``, ``said Refco
   analyst Mike Connery``), the subject of its clause for ``by pinning the blame``, or the
   speaker of an earlier cue for ``saying``, ``adding`` and ``and said`` (``He ... but said``
   with no earlier cue: the sentence's subject). An appositive or any insertion between commas
   before the verb (``Dole, a key Reagan ally, told``) and a name after a preposition (``Robert
   Byrd (Democrat) of West Virginia said``) are not the subject. A cue word inside a name
   (``the United States``), a participle that is a noun (``early warning planes``), a past
   participle after a determiner (``repeated warnings``) and ``notes``/``states`` after a name
   (``Coastal notes:``) are no cues. Mentions and their resolution (surnames, titles, pronouns,
   documents and spokesmen speaking for their body) come from :mod:`analysis.speakers`, which
   needs no hand table.
3. Each quotation takes the cue that frames it, or the cue nearest to it in its sentence, or (for
   a statement with no cue) the speaker of the sentence before it when that sentence reports
   someone's speech after any earlier quotation (``Byrd said he was heartened. "But one speech
   is not enough."``), or the speaker of the quotation it continues in the same or the next
   paragraph; otherwise the speaker is ``unknown``, which stays visible in every table.

:func:`analyse_article` does one article (a runner can guard it per document); the corpus-wide
:func:`find_quotes`, :func:`find_reported` and :func:`find_problems` call it for each article.
Scoring against hand annotations lives in :mod:`analysis.evaluation.quotes`.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import lru_cache
from itertools import accumulate

import pandas as pd

from analysis import speakers
from analysis import text as textlib
from analysis.corpus import Corpus
from analysis.speakers import UNKNOWN, Mention, SpeakerFinder, same_speaker

# Quote marks and what the glyph says when the neighbours do not decide. Single quotes are left
# out: in news texts they are mostly apostrophes.
_MARKS = {'"': "either", "“": "open", "„": "open", "”": "close"}
_OPEN_LEFT = set("([{—–-/") | {"\n"}
_CLOSE_RIGHT = set(".,;:!?)]}…—–-")

# Verbs of communication that attribute content to a speaker (matched whole, longest first).
FINITE_CUES = (
    "according to", "issued an ultimatum", "issues an ultimatum", "called for", "calls for",
    "ruled out", "rules out", "spoke of", "said", "says", "say", "told", "tells", "added", "adds",
    "warned", "warns", "warn", "urged", "urges", "announced", "announces", "denied", "denies",
    "insisted", "insists", "tweeted", "tweets", "blamed", "blames", "criticised", "criticized",
    "criticises", "criticizes", "called", "vowed", "vows", "threatened", "threatens",
    "condemned", "condemns", "stated", "claimed", "pinned the blame", "pins the blame",
    "replied", "replies", "declared", "declares", "denounced", "denounces", "dismissed",
    "dismisses", "repeated", "repeats", "noted", "notes", "states", "confirmed", "confirms",
)
# Participles take the speaker of the clause they hang on ("Akar told ..., adding ...").
PARTICIPLE_CUES = ("saying", "adding", "telling", "warning", "urging", "threatening", "vowing",
                   "insisting", "denying", "announcing", "tweeting", "pinning the blame",
                   "blaming")
INVERTED_ONLY = ("according to",)
# Verbs that may come before their subject after a comma ("..., said the official").
INVERTIBLE_CUES = ("said", "says", "added", "adds", "tweeted", "told")
# Verbs that may have a role noun between them and the inverted subject ("said analyst Kevin
# Murphy"); not "told", whose object comes there ("told reporters").
ROLE_INVERTIBLE_CUES = ("said", "says", "added", "adds", "according to")

STATEMENT_MIN_WORDS = 8
# Characters the patterns before a cue look back (they match a few words: cost stays linear).
LOOK_BACK = 160
MAX_SUBJECT_GAP_WORDS = 3
MAX_FRAME_WORDS = 8
# A statement with no cue continues the previous quotation at most this many paragraphs later.
MAX_CONTINUE_PARAGRAPHS = 1


# --------------------------------------------------------------------------------- quote spans

@dataclass(frozen=True)
class QuoteSpan:
    """One quotation: offsets of the quoted words (marks excluded) and how it was found."""

    start: int
    end: int
    open_mark: int          # offset of the opening mark, -1 when it is missing
    close_mark: int         # offset of the closing mark, -1 when it is missing
    ends_with_comma: bool   # a comma before the closing mark (cut from the span)
    repair: str             # "" or what was wrong with the marks


def mark_role(text: str, i: int) -> str:
    """``open``, ``close`` or ``either`` for the quote mark at ``text[i]``, from its neighbours.

    White space (or a dash, bracket, text start) on the left only means opening; on the right
    only means closing; otherwise the glyph decides (a straight mark cannot).
    """
    prev = text[i - 1] if i > 0 else "\n"
    nxt = text[i + 1] if i + 1 < len(text) else "\n"
    left = prev.isspace() or prev in _OPEN_LEFT
    right = nxt.isspace() or nxt in _CLOSE_RIGHT
    if left and not right:
        return "open"
    if right and not left:
        return "close"
    return _MARKS[text[i]]


class _Breaks:
    """Every offset where ``"\\n\\n"`` occurs in a text (overlapping ones too), so that
    :meth:`find` and :meth:`rfind` answer like ``str.find``/``str.rfind`` in log time instead of
    scanning the text from a position each time."""

    def __init__(self, text: str):
        self.at = [m.start() for m in re.finditer(r"(?=\n\n)", text)]

    def find(self, start: int) -> int:
        """``text.find("\\n\\n", start)`` for ``start >= 0``."""
        i = bisect_left(self.at, start)
        return self.at[i] if i < len(self.at) else -1

    def rfind(self, end: int, start: int = 0) -> int:
        """``text.rfind("\\n\\n", start, end)``: the last break lying wholly in the range."""
        i = bisect_right(self.at, end - 2) - 1
        return self.at[i] if i >= 0 and self.at[i] >= start else -1


def _sentence_start(text: str, pos: int, breaks: _Breaks | None = None,
                    paragraphs: dict[tuple[int, int], list[tuple[int, int]]] | None = None
                    ) -> int:
    """Start of the sentence holding ``pos`` (within its paragraph).

    ``breaks`` (the text's paragraph breaks) and ``paragraphs`` (sentence spans by paragraph
    (start, end), filled as paragraphs are split) let :func:`quote_spans` split each paragraph
    once however many of its quotations lost their opening mark.
    """
    breaks = _Breaks(text) if breaks is None else breaks
    para_start = breaks.rfind(pos)
    para_start = 0 if para_start < 0 else para_start + 2
    para_end = breaks.find(pos)
    para_end = len(text) if para_end < 0 else para_end
    if paragraphs is None:
        paragraphs = {}
    if (para_start, para_end) not in paragraphs:
        paragraphs[(para_start, para_end)] = textlib.sentence_spans(text[para_start:para_end])
    for s, e in paragraphs[(para_start, para_end)]:
        if para_start + s <= pos < para_start + e:
            colon = text.rfind(": ", para_start + s, pos)
            return colon + 2 if colon >= 0 else para_start + s
    return para_start


def _make_span(text: str, start: int, end: int, open_mark: int, close_mark: int,
               repair: str) -> QuoteSpan | None:
    inner = text[start:end]
    lead = len(inner) - len(inner.lstrip())
    stripped = inner.strip()
    comma = stripped.endswith(",")
    if comma:
        stripped = stripped[:-1].rstrip()
    if not stripped:
        return None
    return QuoteSpan(start + lead, start + lead + len(stripped), open_mark, close_mark, comma,
                     repair)


def quote_spans(text: str) -> list[QuoteSpan]:
    """Pair the quote marks of ``text`` (paragraphs separated by a blank line) into quotations.

    Repairs: a closing mark with no quotation open starts one at its sentence start (or after a
    colon); an opening mark inside an open quotation of the same paragraph first closes it; a
    paragraph that ends inside a quotation closes it there unless the next paragraph re-opens.
    """
    marks = [i for i, ch in enumerate(text) if ch in _MARKS
             # a doubled opening mark (' ""it does not') opens one quotation
             and not (text[i + 1:i + 2] == ch and mark_role(text, i) == "open")]
    breaks, paragraphs = _Breaks(text), {}
    spans: list[QuoteSpan] = []
    open_at: int | None = None
    open_repair = ""

    def close(end: int, close_mark: int, repair: str) -> None:
        nonlocal open_at, open_repair
        span = _make_span(text, open_at + 1 if open_at >= 0 else open_repair_start[0], end,
                          open_at, close_mark, "; ".join(r for r in (open_repair, repair) if r))
        if span:
            spans.append(span)
        open_at, open_repair = None, ""

    open_repair_start = [0]
    cont_from = 0  # where the open quotation last (re-)opened
    for i in marks:
        role = mark_role(text, i)
        if open_at is not None:
            para_end = breaks.find(max(open_at, cont_from) + 1)
            if 0 <= para_end < i:
                # The quotation ran to the end of its paragraph without a closing mark.
                continues = role != "close" and text[para_end + 2:i].strip() == ""
                if not continues:
                    close(para_end, -1, "closing mark missing at paragraph end")
        if open_at is None:
            if role in ("open", "either"):
                open_at = cont_from = i
                open_repair = "opening mark printed as ”" if text[i] == "”" else ""
            else:  # a closing mark with nothing open: the opening mark was lost
                open_repair_start[0] = _sentence_start(text, i, breaks, paragraphs)
                open_at, open_repair = -1, "opening mark missing"
                close(i, i, "")
        elif role in ("close", "either"):
            close(i, i, "")
        else:  # an opening mark while open
            last_break = breaks.rfind(i, open_at + 1)
            if last_break >= 0 and text[last_break:i].strip() == "":
                cont_from = i
                continue  # paragraph-spanning quotation re-opened: keep going
            close(i, -1, "closing mark missing")
            open_at = i
            open_repair = "opening mark printed as ”" if text[i] == "”" else ""
    if open_at is not None:
        para_end = breaks.find(max(open_at, cont_from) + 1)
        close(len(text) if para_end < 0 else para_end, -1,
              "closing mark missing at " + ("text end" if para_end < 0 else "paragraph end"))
    return spans


def quote_kind(quoted: str, ends_with_comma: bool = False) -> str:
    """``statement`` (the speaker's words at length) or ``phrase`` (a few words, scare quotes).

    A statement has at least :data:`STATEMENT_MIN_WORDS` words, or starts with a capital and ends
    a sentence or a clause (``."``, ``,"``), or holds a sentence end followed by more text.
    """
    n = len(textlib.words(quoted))
    if n >= STATEMENT_MIN_WORDS:
        return "statement"
    ends_clause = ends_with_comma or quoted.rstrip().endswith((".", "?", "!", "…"))
    if quoted[:1].isupper() and ends_clause and n >= 2:
        return "statement"
    if re.search(r"[.?!…]\s+\S", quoted):
        return "statement"
    return "phrase"


# --------------------------------------------------------------------------------- attribution

@dataclass(frozen=True)
class Cue:
    """A cue word and the speaker it was attributed to (``unknown`` when none was found)."""

    start: int
    end: int
    word: str
    speaker: str
    mention: str
    mention_start: int
    mention_end: int


class _Spans:
    """Half-open spans (they may overlap) that answer "is this offset inside one?" in log time:
    spans sorted by start, and the furthest end reached by any span starting at or before each."""

    def __init__(self, spans: list[tuple[int, int]]):
        ordered = sorted(spans)
        self.starts = [s for s, _ in ordered]
        self.reach = list(accumulate((e for _, e in ordered), max))

    def __contains__(self, pos: int) -> bool:
        i = bisect_right(self.starts, pos)
        return i > 0 and self.reach[i - 1] > pos


def _inside(pos: int, spans: list[tuple[int, int]] | _Spans) -> bool:
    if isinstance(spans, _Spans):
        return pos in spans
    return any(s <= pos < e for s, e in spans)


@lru_cache(maxsize=1)
def _cue_pattern() -> re.Pattern:
    cues = sorted(FINITE_CUES + PARTICIPLE_CUES, key=lambda c: (-len(c), c))
    return re.compile(r"\b(?:" + "|".join(re.escape(c) for c in cues) + r")\b", re.IGNORECASE)


# A relative clause or an appositive with a title ("Karl Mesner, a spokesman for the Authority,
# said"): the names inside it are not the subject of the verb after it.
_RELATIVE = re.compile(r",\s*(?:(?:which|who|whose)\b|(?:a|an|the)\s+[^,]*\b(?:"
                       + "|".join(sorted(speakers.PERSON_TITLES)) + r")\b)[^,]*,")


# Any other insertion between commas right before the verb ("De Croo, here for talks, said").
_INSERTION = re.compile(r",[^,;:\"“”]{1,120},\s*$")
# A role noun between an inverted verb and the name ("said analyst Kevin Murphy").
_ROLE_WORDS = re.compile(r"\s+(?:the\s+)?(?!(?:that|if|it|he|she|they|we|on|in|at|of|by|to|"
                         r"and|but|as|when|while|there|this|a|an|the|reporters|journalists)\b)"
                         r"[a-z][\w-]*\s+")
# What comes before a participle cue that hangs on a clause ("..., adding", "by pinning").
_PARTICIPLE_BEFORE = re.compile(r"(?:^|[,;:(\"“”—–-]|\b(?:and|by|while|after|before|when|"
                                r"also|then|again|but|as|is|are|was|were|been)|\b\w+ly)\s*$",
                                re.IGNORECASE)
# What makes a past participle an adjective ("his repeated calls", "ignoring noted risks").
_ADJECTIVE_BEFORE = re.compile(r"\b(?:a|an|the|his|her|its|their|our|my|your|this|that|these|"
                               r"those|\w+ing)$", re.IGNORECASE)
# Cue words that are also nouns ("Coastal notes:"): a cue only after a pronoun, a title or a
# document ("the report notes"), or inverted.
NOUN_CUES = ("notes", "states")
# A preposition before a name: the name is no subject ("Robert Byrd of West Virginia said").
_PREPOSITION = re.compile(r"\b(?:of|in|from|at|for)\s+(?:the\s+)?$")


def _gap_ok(gap: str) -> bool:
    """A subject can be this far from its verb: few words, no clause break (``Akar also said``)."""
    gap = _INSERTION.sub(" ", _RELATIVE.sub(" ", gap))
    return len(textlib.words(gap)) <= MAX_SUBJECT_GAP_WORDS and not re.search(r"[,;:\"“”]", gap)


_PASSIVE = re.compile(r"\s+(?:on|by)\b")
_NOUN_BEFORE = re.compile(r"\b(?:a|an|the|its|their|this|that)\s+[a-z][\w-]*\s*$",
                          re.IGNORECASE)
_ADJACENT = re.compile(r"\s*(?:the\s+)?", re.IGNORECASE)


def _clause_subject(sent: str, offset: int, cue_start: int,
                    candidates: list[tuple[str, Mention]]) -> tuple[str, Mention] | None:
    """The first mention of the clause holding the cue (after the last ``, but``/``;``/start):
    the subject a participle after ``by`` hangs on (``but Turkey ... by pinning the blame``)."""
    head = sent[:cue_start - offset]
    cut = max((m.end() for m in re.finditer(r"(?:,\s*(?:but|and|while|as)\b|;|:)", head)),
              default=0)
    inside = [(r, x) for r, x in candidates if x.start - offset >= cut]
    return inside[0] if inside else None


def _coordinated(sent: str, offset: int, pick: tuple[str, Mention],
                 before: list[tuple[str, Mention]]) -> tuple[str, Mention] | None:
    """The other conjunct when the subject is ``X and Y`` (Y = ``pick``), else ``None``."""
    earlier = [(r, x) for r, x in before if x.end <= pick[1].start]
    if not earlier:
        return None
    between = sent[earlier[-1][1].end - offset:pick[1].start - offset]
    return earlier[-1] if re.fullmatch(r"\s+and\s+(?:the\s+)?", between, re.IGNORECASE) else None


def _sentence_cues(sent: str, offset: int, mentions: list[Mention], resolved: list[str],
                   quotes: list[tuple[int, int]] | _Spans,
                   problems: list[dict] | None = None) -> list[Cue]:
    """The cues of one sentence (``sent`` folded, at ``offset``) with their speakers.

    A subject ``X and Y`` gives a cue to each; when X and Y name the same speaker (``The United
    States and US urged``) the subject is garbled: the cue's speaker is :data:`UNKNOWN` and the
    case is added to ``problems``.
    """
    cues: list[Cue] = []
    speakers_only = [(r, x) for r, x in zip(resolved, mentions) if r != UNKNOWN
                     or x.kind == "anaphor"]
    for m in _cue_pattern().finditer(sent):
        c0, c1 = offset + m.start(), offset + m.end()
        if _inside(c0, quotes):
            continue
        word = m.group().lower()
        pick: tuple[str, Mention] | None = None
        # Mentions inside a relative clause ("Moscow, which backs Assad, urged") are not subjects.
        if any(x.start <= c0 < x.end for x in mentions):
            continue  # part of a name ("the United States")
        head = sent[:m.start()].rstrip()
        near = head[-LOOK_BACK:]  # the patterns below look a few words back, not further
        if word.endswith("ed") and _ADJECTIVE_BEFORE.search(near):
            continue  # an adjective: "ignoring repeated warnings", "the stated aim"
        if word in PARTICIPLE_CUES and not _PARTICIPLE_BEFORE.search(near) and not any(
                x.end - offset == len(head) for x in mentions):
            continue  # a noun, not a clause hung on a verb or a name ("early warning planes")
        relative = [(offset + r.start(), offset + r.end()) for r in _RELATIVE.finditer(sent)
                    if offset + r.end() <= c0]
        insertion = _INSERTION.search(sent, max(0, m.start() - LOOK_BACK), m.start())
        if insertion and not sent[:m.start()].rstrip().endswith(('",', '”,')):
            relative.append((offset + insertion.start(), offset + insertion.end()))
        before = [(r, x) for r, x in speakers_only
                  if x.end <= c0 and not _inside(x.start, relative)]
        after = [(r, x) for r, x in speakers_only if x.start >= c1]
        subject_next = bool(before) and before[-1][1].end - offset >= len(sent[:m.start()].rstrip())
        if (word not in INVERTED_ONLY and word.endswith("ed") and _PASSIVE.match(sent[m.end():])
                and not subject_next and _NOUN_BEFORE.search(sent[:m.start()])):
            continue  # "an airstrike blamed on Damascus": a passive verb, not a cue
        left = _RELATIVE.sub(" ", sent[:m.start()]).rstrip()
        between = sent[m.end():after[0][1].start - offset] if after else ""
        right_next = bool(after) and bool(_ADJACENT.fullmatch(between) or (
            word in ROLE_INVERTIBLE_CUES and _ROLE_WORDS.fullmatch(between)))
        if right_next and len(after) > 1 and _ROLE_WORDS.fullmatch(
                sent[after[0][1].end - offset:after[1][1].start - offset]):
            after = after[1:]  # "said Refco analyst Mike Connery": the person, not the firm
        inverted = word in INVERTED_ONLY or left.endswith(('"', '",')) or (
            word in INVERTIBLE_CUES and left.endswith(",") and right_next)
        coordinated = re.search(r"\b(?:and|but)(?:\s+\w+ly|\s+again|\s+also)?\s*$", left)
        by_clause = word in PARTICIPLE_CUES and re.search(r"\bby\s*$", left)
        if inverted and right_next:
            pick = after[0]
        elif by_clause and _clause_subject(sent, offset, c0, before):
            pick = _clause_subject(sent, offset, c0, before)
        elif (word in PARTICIPLE_CUES or coordinated) and cues:
            prev = cues[-1]
            cues.append(Cue(c0, c1, m.group(), prev.speaker, prev.mention, prev.mention_start,
                            prev.mention_end))
            continue
        elif coordinated and before and before[0][1].kind == "anaphor":
            pick = before[0]  # "He did not give details but said": the sentence's subject
        elif before:
            k = len(before) - 1
            while k > 0 and _PREPOSITION.search(
                    sent, max(0, before[k][1].start - offset - LOOK_BACK),
                    before[k][1].start - offset):
                k -= 1  # "Robert Byrd (Democrat) of West Virginia said": skip the place
            cand = before[k]
            gap = sent[cand[1].end - offset:m.start()]
            for _, x in reversed(before[k + 1:]):  # cut the skipped names out of the gap
                gap = gap[:x.start - cand[1].end] + gap[x.end - cand[1].end:]
            gap = re.sub(r"\([^()]*\)", " ", gap)
            if word in PARTICIPLE_CUES or _gap_ok(gap):
                pick = cand
        if word in NOUN_CUES and pick is not None and not inverted and pick[1].kind != "anaphor":
            continue
        if pick is None and word not in PARTICIPLE_CUES and word not in INVERTED_ONLY:
            continue  # a verb with no speaker in reach (passive "blamed on"): not a cue here
        picks = [pick] if pick else [(UNKNOWN, None)]
        other = _coordinated(sent, offset, pick, before) if pick and not inverted else None
        if other is not None:
            if same_speaker(other[0], pick[0]):
                subject = sent[other[1].start - offset:pick[1].end - offset]
                if problems is not None:
                    problems.append({"start": other[1].start, "problem": "garbled subject",
                                     "detail": f"'{subject}' names one speaker twice; the "
                                               "attribution is left unknown"})
                mention = Mention(other[1].start, pick[1].end, subject, subject, "garbled")
                picks = [(UNKNOWN, mention)]
            else:
                picks = [other, pick]
        for speaker, mention in picks:
            cues.append(Cue(c0, c1, m.group(), speaker, mention.surface if mention else "",
                            mention.start if mention else -1, mention.end if mention else -1))
    return cues


@dataclass(frozen=True)
class ArticleSpeech:
    """Everything found in one article: quotations, cues per sentence, resolved mentions."""

    article_id: str
    quotes: list[QuoteSpan]
    cues: dict[str, list[Cue]]          # sentence_id -> cues
    mentions: list[tuple[Mention, str]]  # mention, resolved speaker
    problems: list[dict]                # garbled subjects found while attributing


def analyse_text(article_id: str, text: str, sentences: pd.DataFrame,
                 finder: SpeakerFinder | None = None) -> ArticleSpeech:
    """Quotations, mentions and cues of one clean text; ``sentences`` has sentence_id/start/end.

    ``finder`` finds the speakers (default: names found in the text alone, no table).
    """
    finder = finder or SpeakerFinder()
    folded = textlib.fold_chars(text)
    quotes = quote_spans(text)
    qspans = [(q.open_mark if q.open_mark >= 0 else q.start,
               (q.close_mark + 1) if q.close_mark >= 0 else q.end) for q in quotes]
    raw = finder.mentions(folded, qspans)
    resolved_all = list(zip(raw, finder.resolve_all(raw)))
    starts = [m.start for m in raw]  # sorted: mentions come in text order
    inside_quotes = _Spans(qspans)
    cues: dict[str, list[Cue]] = {}
    problems: list[dict] = []
    for s in sentences.itertuples():
        inside = resolved_all[bisect_left(starts, s.start):bisect_left(starts, s.end)]
        cues[s.sentence_id] = _sentence_cues(folded[s.start:s.end], s.start,
                                             [m for m, _ in inside], [r for _, r in inside],
                                             inside_quotes, problems)
    return ArticleSpeech(article_id, quotes, cues, resolved_all, problems)


class _Sentences:
    """One article's sentences (``sentence_id, start, end`` in frame order) looked up by offset
    in log time when they follow one another in text order, as the corpus makes them."""

    def __init__(self, sentences: pd.DataFrame):
        self.ids = list(sentences["sentence_id"])
        self.starts = [int(x) for x in sentences["start"]]
        self.ends = [int(x) for x in sentences["end"]]
        self.index: dict[str, int] = {}
        for i, sid in enumerate(self.ids):
            self.index.setdefault(sid, i)
        self.in_order = all(a <= b for a, b in zip(self.starts, self.starts[1:])) and all(
            e <= s for e, s in zip(self.ends, self.starts[1:]))

    def of(self, pos: int) -> str:
        """The first sentence holding ``pos``; else the last one starting before it; else the
        first sentence ('' when there is none)."""
        if not self.ids:
            return ""
        if self.in_order:
            i = bisect_right(self.starts, pos) - 1
            return self.ids[max(i, 0)]
        hit = next((sid for sid, s, e in zip(self.ids, self.starts, self.ends) if s <= pos < e),
                   None)
        if hit is not None:
            return hit
        before = [sid for sid, s in zip(self.ids, self.starts) if s <= pos]
        return before[-1] if before else self.ids[0]

    def span(self, first: str, last: str) -> list[str]:
        """The ids from ``first`` to ``last`` in frame order."""
        return self.ids[self.index[first]:self.index[last] + 1]


def _frames(cue: Cue, q: QuoteSpan, text: str) -> bool:
    """True when ``cue`` is the attribution frame of quotation ``q``.

    ``"...," Akar told``, ``"...," said Altun`` (right after the closing mark, up to the first
    comma, so ``..., adding talks would continue`` is paraphrase, not frame), or
    ``adding: "..."``, ``Akar said the system "..."`` (the quotation starts within three words
    after the cue).
    """
    q_end = _quote_end(q)
    first = _cue_first(cue)
    if first >= q_end:
        frame = text[q_end:cue.end]
        return (not _FRAME_BREAK.search(frame)
                and len(textlib.words(frame)) <= MAX_FRAME_WORDS)
    q_start = _quote_start(q)
    if cue.end <= q_start:
        between = text[cue.end:q_start]
        return not _GAP_BREAK.search(between) and len(textlib.words(between)) <= 3
    return False


# What ends a frame after a closing mark, and what may not stand between a cue and the
# quotation it opens (see :func:`_frames`).
_FRAME_BREAK = re.compile(r"[,.;:!?\n\"“”]")
_GAP_BREAK = re.compile(r"[\n.!?]")


def _quote_start(q: QuoteSpan) -> int:
    return q.open_mark if q.open_mark >= 0 else q.start


def _quote_end(q: QuoteSpan) -> int:
    return (q.close_mark + 1) if q.close_mark >= 0 else q.end


def _cue_first(cue: Cue) -> int:
    return min(cue.start, cue.mention_start) if cue.mention_start >= 0 else cue.start


class _Framing:
    """Does a cue frame any of these quotations (:func:`_frames`)? Asked for every cue of an
    article, so it tests only the quotations that can pass: those closing after the last frame
    break before the cue, and those opening between the cue and the next sentence break after
    it. Any other quotation has a break in its frame, so :func:`_frames` is False for it; the
    answer is the same as testing them all, without a pass over every quotation per cue."""

    def __init__(self, quotations: list[QuoteSpan], text: str):
        self.quotations, self.text = quotations, text
        self.frame_breaks = [m.start() for m in _FRAME_BREAK.finditer(text)]
        self.gap_breaks = [m.start() for m in _GAP_BREAK.finditer(text)]
        self.by_end = sorted((_quote_end(q), i) for i, q in enumerate(quotations))
        self.by_start = sorted((_quote_start(q), i) for i, q in enumerate(quotations))

    def any_framed(self, cue: Cue) -> bool:
        inf = float("inf")
        k = bisect_left(self.frame_breaks, cue.end) - 1
        last_break = self.frame_breaks[k] if k >= 0 else -1
        # Frame after the quotation: last_break < end of quotation <= first word of the cue.
        after = self.by_end[bisect_right(self.by_end, (last_break, inf)):
                            bisect_right(self.by_end, (_cue_first(cue), inf))]
        k = bisect_left(self.gap_breaks, cue.end)
        next_break = self.gap_breaks[k] if k < len(self.gap_breaks) else len(self.text)
        # Cue before the quotation: cue end <= opening mark <= next sentence break.
        before = self.by_start[bisect_left(self.by_start, (cue.end, -1)):
                               bisect_right(self.by_start, (next_break, inf))]
        return any(_frames(cue, self.quotations[i], self.text)
                   for i in sorted({i for _, i in after} | {i for _, i in before}))


def _article_quotes(speech: ArticleSpeech, text: str, sentences: pd.DataFrame,
                    index: _Sentences | None = None) -> list[dict]:
    rows, previous = [], None
    index = _Sentences(sentences) if index is None else index
    para_of = sentences.set_index("sentence_id")["paragraph_id"].to_dict()
    para_number = {p: i for i, p in enumerate(dict.fromkeys(sentences["paragraph_id"]))}
    for n, q in enumerate(speech.quotes, start=1):
        sid = index.of(q.open_mark if q.open_mark >= 0 else q.start)
        last_sid = index.of(max(q.end - 1, q.start))
        sids = index.span(sid, last_sid)
        cues = [c for s in sids for c in speech.cues.get(s, []) if c.speaker != UNKNOWN]
        kind = quote_kind(text[q.start:q.end], q.ends_with_comma)
        chosen = next((c for c in cues if _frames(c, q, text)), None)
        how, prev_cue = "frame", None
        if chosen is None and cues:
            before = [c for c in cues if c.end <= q.start]
            chosen = before[-1] if before else cues[0]
            how = "same sentence"
        if chosen is None and kind == "statement":
            # A statement after a sentence reporting someone's speech: that speaker ("Byrd
            # said he was heartened. \"But one speech is not enough.\""), unless a quotation
            # came after that cue.
            k = index.index[sid] - 1
            prev_sid = index.ids[k] if k >= 0 else None
            prev_cues = [c for c in speech.cues.get(prev_sid, []) if c.speaker != UNKNOWN]
            if prev_cues and (
                    0 <= para_number[para_of[sid]] - para_number[para_of[prev_sid]]
                    <= MAX_CONTINUE_PARAGRAPHS) and (
                    previous is None or previous["_end"] <= prev_cues[-1].start):
                prev_cue = prev_cues[-1]
                if previous is None or previous["speaker"] != prev_cue.speaker:
                    # (the speaker of the quotation just before: that one is continued)
                    chosen, how = prev_cue, "previous sentence"
        if chosen is None and kind == "statement" and previous is not None:
            # A cue-less statement continues the previous quotation only in the same paragraph
            # or the next one; further on, the speaker may have changed.
            gap = para_number[para_of[sid]] - para_number[para_of[previous["sentence_id"]]]
            if 0 <= gap <= MAX_CONTINUE_PARAGRAPHS and previous["speaker"] != UNKNOWN:
                speaker, cue, mention, how = (previous["speaker"], previous["cue"],
                                              previous["mention"], "continues previous quote")
        if chosen is None and how != "continues previous quote" and prev_cue is not None:
            chosen, how = prev_cue, "previous sentence"
        if chosen is not None:
            speaker, cue, mention = chosen.speaker, chosen.word, chosen.mention
        elif how != "continues previous quote":
            speaker, cue, mention, how = UNKNOWN, "", "", "no cue"
        row = {"article_id": speech.article_id, "quote_id": f"{speech.article_id}-q{n:02d}",
               "start": q.start, "end": q.end, "text": text[q.start:q.end], "kind": kind,
               "speaker": speaker, "sentence_id": sid, "sentence_ids": ";".join(sids),
               "cue": cue, "mention": mention, "attributed_by": how, "repair": q.repair,
               "_end": _quote_end(q)}
        rows.append(row)
        previous = row
    for row in rows:
        del row["_end"]
    return rows


QUOTE_COLUMNS = ("article_id", "quote_id", "start", "end", "text", "kind", "speaker",
                 "sentence_id", "sentence_ids", "cue", "mention", "attributed_by", "repair")
REPORTED_COLUMNS = ("article_id", "sentence_id", "speaker", "cue", "mention", "cue_start")
PROBLEM_COLUMNS = ("article_id", "sentence_id", "start", "problem", "detail")


@dataclass(frozen=True)
class ArticleVoices:
    """The result for one article: quotations, reported speech and the problems met."""

    quotes: pd.DataFrame
    reported: pd.DataFrame
    problems: pd.DataFrame


def analyse_article(article_id: str, text: str, sentences: pd.DataFrame,
                    finder: SpeakerFinder | None = None) -> ArticleVoices:
    """Quotations, reported speech and problems of one article (the unit a runner guards).

    ``sentences`` has ``sentence_id, paragraph_id, start, end`` for this text. Problems are
    rows, not exceptions: a quotation whose closing mark is missing (it is closed at its
    paragraph end, never run on into the next paragraph), a closing mark with no opening one,
    and a garbled subject (see :func:`_sentence_cues`).
    """
    speech = analyse_text(article_id, text, sentences, finder)
    index = _Sentences(sentences)
    quote_rows = _article_quotes(speech, text, sentences, index)
    statements = _Framing([q for q in speech.quotes
                           if quote_kind(text[q.start:q.end], q.ends_with_comma) == "statement"],
                          text)
    reported_rows = []
    for sid, cues in speech.cues.items():
        seen = set()
        for c in cues:
            if c.speaker in seen or statements.any_framed(c):
                continue  # one row per speaker; a cue framing a statement is not paraphrase
            seen.add(c.speaker)
            reported_rows.append({"article_id": article_id, "sentence_id": sid,
                                  "speaker": c.speaker, "cue": c.word, "mention": c.mention,
                                  "cue_start": c.start})
    problems = [{"article_id": article_id, "sentence_id": q["sentence_id"], "start": q["start"],
                 "problem": "quote marks", "detail": f"{q['repair']}: {q['text'][:60]!r}"}
                for q in quote_rows if "missing" in q["repair"]]
    problems += [{"article_id": article_id, "sentence_id": index.of(p["start"]), **p}
                 for p in speech.problems]
    return ArticleVoices(pd.DataFrame(quote_rows, columns=list(QUOTE_COLUMNS)),
                         pd.DataFrame(reported_rows, columns=list(REPORTED_COLUMNS)),
                         pd.DataFrame(problems, columns=list(PROBLEM_COLUMNS)))


def sentence_frame(text: str, article_id: str = "text") -> pd.DataFrame:
    """Paragraph and sentence ids and offsets for a plain text, numbered as the corpus does."""
    rows, pos = [], 0
    for p, chunk in enumerate(text.split("\n\n"), start=1):
        for s, e in textlib.sentence_spans(chunk):
            rows.append({"article_id": article_id, "paragraph_id": f"{article_id}-p{p:02d}",
                         "sentence_id": f"{article_id}-s{len(rows) + 1:02d}",
                         "start": pos + s, "end": pos + e})
        pos += len(chunk) + 2
    return pd.DataFrame(rows, columns=["article_id", "paragraph_id", "sentence_id", "start",
                                       "end"])


def analyse_plain_text(text: str, article_id: str = "text",
                       finder: SpeakerFinder | None = None) -> ArticleVoices:
    """:func:`analyse_article` for one text outside any corpus."""
    return analyse_article(article_id, text, sentence_frame(text, article_id), finder)


@lru_cache(maxsize=8)
def _analyse(corpus: Corpus, use_table: bool) -> ArticleVoices:
    finder = speakers.finder(corpus.root, use_table=use_table)
    parts = []
    for aid in corpus.articles["id"]:
        sents = corpus.sentences[corpus.sentences["article_id"] == aid].reset_index(drop=True)
        parts.append(analyse_article(aid, corpus.text(aid), sents, finder))
    return ArticleVoices(*(pd.concat([getattr(p, f) for p in parts] or [empty], ignore_index=True)
                           for f, empty in (
                               ("quotes", pd.DataFrame(columns=list(QUOTE_COLUMNS))),
                               ("reported", pd.DataFrame(columns=list(REPORTED_COLUMNS))),
                               ("problems", pd.DataFrame(columns=list(PROBLEM_COLUMNS))))))


def find_quotes(corpus: Corpus, *, use_table: bool = True) -> pd.DataFrame:
    """One row per direct quotation, in article (publication) and text order.

    Columns: ``article_id, quote_id, start, end`` (clean-text offsets of the quoted words, marks
    excluded), ``text, kind`` (``statement``/``phrase``), ``speaker`` (a name or ``unknown``),
    ``sentence_id`` (where it opens), then ``sentence_ids, cue, mention, attributed_by, repair``.
    Speakers come from the text; with ``use_table`` and a speakers table in the corpus folder,
    names are mapped to the table's canonical names.
    """
    return _analyse(corpus, use_table).quotes.copy()


def find_reported(corpus: Corpus, *, use_table: bool = True) -> pd.DataFrame:
    """One row per sentence and speaker whose speech the sentence reports in its own words."""
    return _analyse(corpus, use_table).reported.copy()


def find_problems(corpus: Corpus, *, use_table: bool = True) -> pd.DataFrame:
    """What the method could not read cleanly: unclosed or unopened quotations, garbled
    subjects; one row each with article, sentence, offset, problem and detail."""
    return _analyse(corpus, use_table).problems.copy()
