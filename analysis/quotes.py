"""Who speaks: direct quotations, reported speech, and the speakers they are attributed to.

Three steps, all on the clean text (offsets are clean-text offsets, like everywhere in the book):

1. :func:`quote_spans` pairs quote marks into quotations. A mark's role (opening or closing) is
   read from its neighbours first and its glyph second, so an opening mark the scraper printed as
   ``”`` still opens, and a quotation still open at a paragraph end continues when the next
   paragraph re-opens it (the news convention for a quote running over paragraphs).
2. :func:`attributions` finds cue words (``said``, ``told``, ``according to`` ...) outside the
   quotations and the speaker each cue belongs to: the nearest mention before it (``Akar said``),
   after it when inverted (``," said Altun``), or the speaker of an earlier cue for ``saying``,
   ``adding`` and ``and said``. Mentions come from the hand-made table
   ``data/speakers/speakers.csv``; pronouns and titles (``he``, ``the minister``, ``the ministry``)
   resolve to the last speaker mentioned before them with a matching role.
3. :func:`find_quotes` gives each quotation the cue that frames it, or the cue nearest to it in
   its sentence, or (for a statement with no cue) the speaker of the quotation it continues in
   the same or the next paragraph; otherwise the speaker is ``unknown``, which stays visible in
   every table.

:func:`score_quotes` and :func:`score_reported` measure all of this against the hand annotation
in ``data/annotations/quotes/`` (matching rules in its README).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pandas as pd

from analysis import text as textlib
from analysis.corpus import PACKAGE_DATA, Corpus

SPEAKERS_CSV = PACKAGE_DATA / "speakers" / "speakers.csv"
GOLD_CSV = PACKAGE_DATA / "annotations" / "quotes" / "quotes.csv"
UNKNOWN = "unknown"
SPEAKER_COLUMNS = ("name", "aliases", "kind", "role", "role_source", "institution",
                   "institution_source", "country", "country_source", "side")

# Quote marks and what the glyph says when the neighbours do not decide. Single quotes are left
# out: in these texts they are apostrophes.
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
    "condemned", "condemns", "stated", "claimed",
)
# Participles take the speaker of the clause they hang on ("Akar told ..., adding ...").
PARTICIPLE_CUES = ("saying", "adding", "telling", "warning", "urging", "threatening", "vowing",
                   "insisting", "denying", "announcing", "tweeting")
INVERTED_ONLY = ("according to",)
# Verbs that may come before their subject after a comma ("..., said the official").
INVERTIBLE_CUES = ("said", "says", "added", "adds", "tweeted", "told")

# Pronouns and titles: not names, resolved to the last matching speaker mentioned before them.
# Value: (speaker kind required, or None; a word the role must contain, or None).
DESCRIPTORS = {
    "he": ("person", None), "she": ("person", None),
    "the minister": ("person", "minister"), "the president": ("person", "president"),
    "the spokesman": ("person", "spokesman"), "the official": ("person", "official"),
    "the ministry": ("ministry", None), "the defence ministry": ("ministry", None),
    "the defense ministry": ("ministry", None),
}
STATEMENT_MIN_WORDS = 8
MAX_SUBJECT_GAP_WORDS = 3
MAX_FRAME_WORDS = 8
# A statement with no cue continues the previous quotation at most this many paragraphs later.
MAX_CONTINUE_PARAGRAPHS = 1


class QuotesError(ValueError):
    """Bad input to this module: a malformed speakers table or annotation file."""


# --------------------------------------------------------------------------------- speakers

def _read_table(path: Path, columns, what: str) -> pd.DataFrame:
    """A hand-made CSV as strings, refusing a missing file or missing columns by name."""
    if not path.is_file():
        raise QuotesError(f"{path}: {what} not found")
    table = pd.read_csv(path, dtype=str, keep_default_na=False)
    missing = [c for c in columns if c not in table.columns]
    if missing:
        raise QuotesError(f"{path}: missing column(s) {', '.join(missing)}")
    return table


def load_speakers(path: Path | str | None = None) -> pd.DataFrame:
    """The hand-made speakers table, checked: required columns, unique names and aliases."""
    path = Path(path) if path is not None else SPEAKERS_CSV
    table = _read_table(path, SPEAKER_COLUMNS, "speakers table")
    for i, row in table.iterrows():
        for col in ("name", "aliases", "kind", "side"):
            if not row[col].strip():
                raise QuotesError(f"{path}, row {i + 2}: field '{col}' is empty")
    dupes = table["name"][table["name"].duplicated()]
    if len(dupes):
        raise QuotesError(f"{path}: duplicate speaker name {dupes.iloc[0]!r}")
    seen: dict[str, str] = {}
    for name, aliases in zip(table["name"], table["aliases"]):
        for alias in _split_aliases(aliases):
            key = _alias_key(alias)
            if key in seen and seen[key] != name:
                raise QuotesError(f"{path}: alias {alias!r} names both {seen[key]!r} and "
                                  f"{name!r}")
            if key in DESCRIPTORS:
                raise QuotesError(f"{path}: {alias!r} is a pronoun or title, resolved in code; "
                                  "it cannot be an alias")
            seen[key] = name
    return table


def _split_aliases(field: str) -> list[str]:
    return [a.strip() for a in field.split(";") if a.strip()]


def _alias_key(alias: str) -> str:
    """Aliases compare with folded quotes and a case-free first letter ("the"/"The")."""
    alias = textlib.fold_chars(alias)
    return alias[:1].lower() + alias[1:]


@dataclass(frozen=True)
class Mention:
    """A speaker named in the text: where, as printed, and who (after resolving titles)."""

    start: int
    end: int
    surface: str
    speaker: str
    descriptor: bool


class SpeakerIndex:
    """Finds speaker mentions in a text with the speakers table (aliases and descriptors)."""

    def __init__(self, speakers: pd.DataFrame):
        self.table = speakers.set_index("name", drop=False)
        self.alias_to_name = {_alias_key(a): n for n, f in zip(speakers["name"],
                                                                speakers["aliases"])
                              for a in _split_aliases(f)}
        keys = sorted(set(self.alias_to_name) | set(DESCRIPTORS), key=lambda k: (-len(k), k))
        alternatives = "|".join(f"[{re.escape(k[0])}{re.escape(k[0].upper())}]{re.escape(k[1:])}"
                                for k in keys)
        self.pattern = re.compile(rf"(?<![\w-])(?:{alternatives})(?![\w-])")

    def mentions(self, folded: str, skip: list[tuple[int, int]]) -> list[Mention]:
        """Mentions in ``folded`` (quotes folded), outside the ``skip`` spans, unresolved."""
        out = []
        for m in self.pattern.finditer(folded):
            if _inside(m.start(), skip):
                continue
            key = _alias_key(m.group())
            is_desc = key in DESCRIPTORS
            out.append(Mention(m.start(), m.end(), m.group(), key if is_desc
                               else self.alias_to_name[key], is_desc))
        return out

    def resolve(self, mention: Mention, history: list[str]) -> str:
        """The speaker a pronoun or title refers to: the last one named before it that fits.

        A ministry named before any ministry is the ministry of the country named last
        ("Turkey blamed ... the defence ministry said").
        """
        if not mention.descriptor:
            return mention.speaker
        kind, role_word = DESCRIPTORS[mention.speaker]
        for name in reversed(history):
            row = self.table.loc[name]
            if row["kind"] == kind and (role_word is None or role_word in row["role"].lower()):
                return name
        if kind == "ministry":
            for name in reversed(history):
                country = self.table.loc[name, "country"]
                if country:
                    match = self.table[(self.table["kind"] == "ministry")
                                       & (self.table["country"] == country)]
                    if len(match) == 1:
                        return match.index[0]
        return UNKNOWN


@lru_cache(maxsize=4)
def _index(path: str) -> SpeakerIndex:
    return SpeakerIndex(load_speakers(path))


def speaker_index(path: Path | str | None = None) -> SpeakerIndex:
    return _index(str(Path(path) if path is not None else SPEAKERS_CSV))


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


def _sentence_start(text: str, pos: int) -> int:
    """Start of the sentence holding ``pos`` (within its paragraph)."""
    para_start = text.rfind("\n\n", 0, pos)
    para_start = 0 if para_start < 0 else para_start + 2
    para_end = text.find("\n\n", pos)
    para_end = len(text) if para_end < 0 else para_end
    for s, e in textlib.sentence_spans(text[para_start:para_end]):
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
    marks = [i for i, ch in enumerate(text) if ch in _MARKS]
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
            para_end = text.find("\n\n", max(open_at, cont_from) + 1)
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
                open_repair_start[0] = _sentence_start(text, i)
                open_at, open_repair = -1, "opening mark missing"
                close(i, i, "")
        elif role in ("close", "either"):
            close(i, i, "")
        else:  # an opening mark while open
            between = text[open_at + 1:i]
            if "\n\n" in between and between[between.rfind("\n\n"):].strip() == "":
                cont_from = i
                continue  # paragraph-spanning quotation re-opened: keep going
            close(i, -1, "closing mark missing")
            open_at = i
            open_repair = "opening mark printed as ”" if text[i] == "”" else ""
    if open_at is not None:
        para_end = text.find("\n\n", max(open_at, cont_from) + 1)
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


def _inside(pos: int, spans: list[tuple[int, int]]) -> bool:
    return any(s <= pos < e for s, e in spans)


@lru_cache(maxsize=1)
def _cue_pattern() -> re.Pattern:
    cues = sorted(FINITE_CUES + PARTICIPLE_CUES, key=lambda c: (-len(c), c))
    return re.compile(r"\b(?:" + "|".join(re.escape(c) for c in cues) + r")\b", re.IGNORECASE)


_RELATIVE = re.compile(r",\s*(?:which|who|whose)\b[^,]*,")


def _gap_ok(gap: str) -> bool:
    """A subject can be this far from its verb: few words, no clause break (``Akar also said``)."""
    gap = _RELATIVE.sub(" ", gap)
    return len(textlib.words(gap)) <= MAX_SUBJECT_GAP_WORDS and not re.search(r"[,;:\"“”]", gap)


def _sentence_cues(sent: str, offset: int, mentions: list[Mention], resolved: list[str],
                   quotes: list[tuple[int, int]]) -> list[Cue]:
    """The cues of one sentence (``sent`` folded, at ``offset``) with their speakers."""
    cues: list[Cue] = []
    for m in _cue_pattern().finditer(sent):
        c0, c1 = offset + m.start(), offset + m.end()
        if _inside(c0, quotes):
            continue
        word = m.group().lower()
        pick: tuple[str, Mention] | None = None
        # Mentions inside a relative clause ("Moscow, which backs Assad, urged") are not subjects.
        relative = [(offset + r.start(), offset + r.end()) for r in _RELATIVE.finditer(sent)
                    if offset + r.end() <= c0]
        before = [(r, x) for r, x in zip(resolved, mentions)
                  if x.end <= c0 and not _inside(x.start, relative)]
        after = [(r, x) for r, x in zip(resolved, mentions) if x.start >= c1]
        left = _RELATIVE.sub(" ", sent[:m.start()]).rstrip()
        inverted = word in INVERTED_ONLY or left.endswith(('"', "”", '",', "”,")) or (
            word in INVERTIBLE_CUES and left.endswith(",") and after
            and after[0][1].start - c1 <= 1)
        coordinated = re.search(r"\b(?:and|but)(?:\s+\w+ly|\s+again|\s+also)?\s*$", left)
        if inverted and after and after[0][1].start - c1 <= 1:
            pick = after[0]
        elif (word in PARTICIPLE_CUES or coordinated) and cues:
            prev = cues[-1]
            cues.append(Cue(c0, c1, m.group(), prev.speaker, prev.mention, prev.mention_start,
                            prev.mention_end))
            continue
        elif before:
            cand = before[-1]
            gap = sent[cand[1].end - offset:m.start()]
            if word in PARTICIPLE_CUES or _gap_ok(gap):
                pick = cand
        if pick is None and word not in PARTICIPLE_CUES and word not in INVERTED_ONLY:
            continue  # a verb with no speaker in reach (passive "blamed on"): not a cue here
        speaker, mention = pick if pick else (UNKNOWN, None)
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


def analyse_text(article_id: str, text: str, sentences: pd.DataFrame,
                 index: SpeakerIndex | None = None) -> ArticleSpeech:
    """Quotations, mentions and cues of one clean text; ``sentences`` has sentence_id/start/end."""
    index = index or speaker_index()
    folded = textlib.fold_chars(text)
    quotes = quote_spans(text)
    qspans = [(q.open_mark if q.open_mark >= 0 else q.start,
               (q.close_mark + 1) if q.close_mark >= 0 else q.end) for q in quotes]
    raw_mentions = index.mentions(folded, qspans)
    history: list[str] = []
    resolved_all: list[tuple[Mention, str]] = []
    for m in raw_mentions:
        name = index.resolve(m, history)
        resolved_all.append((m, name))
        if name != UNKNOWN:
            history.append(name)
    cues: dict[str, list[Cue]] = {}
    for s in sentences.itertuples():
        inside = [(m, r) for m, r in resolved_all if s.start <= m.start < s.end]
        cues[s.sentence_id] = _sentence_cues(folded[s.start:s.end], s.start,
                                             [m for m, _ in inside], [r for _, r in inside],
                                             qspans)
    return ArticleSpeech(article_id, quotes, cues, resolved_all)


def _sentence_of(pos: int, sentences: pd.DataFrame) -> str:
    hit = sentences[(sentences["start"] <= pos) & (sentences["end"] > pos)]
    if len(hit):
        return hit["sentence_id"].iloc[0]
    before = sentences[sentences["start"] <= pos]
    return before["sentence_id"].iloc[-1]


def _frames(cue: Cue, q: QuoteSpan, text: str) -> bool:
    """True when ``cue`` is the attribution frame of quotation ``q``.

    ``"...," Akar told``, ``"...," said Altun`` (right after the closing mark, up to the first
    comma, so ``..., adding talks would continue`` is paraphrase, not frame), or
    ``adding: "..."``, ``Akar said the system "..."`` (the quotation starts within three words
    after the cue).
    """
    q_end = (q.close_mark + 1) if q.close_mark >= 0 else q.end
    first = min(cue.start, cue.mention_start) if cue.mention_start >= 0 else cue.start
    if first >= q_end:
        frame = text[q_end:cue.end]
        return (len(textlib.words(frame)) <= MAX_FRAME_WORDS
                and not re.search(r"[,.;:!?\n\"“”]", frame))
    q_start = q.open_mark if q.open_mark >= 0 else q.start
    if cue.end <= q_start:
        return len(textlib.words(text[cue.end:q_start])) <= 3 and "\n" not in text[cue.end:q_start]
    return False


def _article_quotes(speech: ArticleSpeech, text: str, sentences: pd.DataFrame) -> list[dict]:
    rows, previous = [], None
    para_of = sentences.set_index("sentence_id")["paragraph_id"]
    para_number = {p: i for i, p in enumerate(dict.fromkeys(sentences["paragraph_id"]))}
    for n, q in enumerate(speech.quotes, start=1):
        sid = _sentence_of(q.open_mark if q.open_mark >= 0 else q.start, sentences)
        last_sid = _sentence_of(max(q.end - 1, q.start), sentences)
        ids = sentences["sentence_id"].tolist()
        sids = ids[ids.index(sid): ids.index(last_sid) + 1]
        cues = [c for s in sids for c in speech.cues.get(s, []) if c.speaker != UNKNOWN]
        kind = quote_kind(text[q.start:q.end], q.ends_with_comma)
        chosen = next((c for c in cues if _frames(c, q, text)), None)
        how = "frame"
        if chosen is None and cues:
            before = [c for c in cues if c.end <= q.start]
            chosen = before[-1] if before else cues[0]
            how = "same sentence"
        if chosen is None and kind == "statement" and previous is not None:
            # A cue-less statement continues the previous quotation only in the same paragraph
            # or the next one; further on, the speaker may have changed.
            gap = para_number[para_of[sid]] - para_number[para_of[previous["sentence_id"]]]
            if 0 <= gap <= MAX_CONTINUE_PARAGRAPHS and previous["speaker"] != UNKNOWN:
                speaker, cue, mention, how = (previous["speaker"], previous["cue"],
                                              previous["mention"], "continues previous quote")
        if chosen is not None:
            speaker, cue, mention = chosen.speaker, chosen.word, chosen.mention
        elif how != "continues previous quote":
            speaker, cue, mention, how = UNKNOWN, "", "", "no cue"
        row = {"article_id": speech.article_id, "quote_id": f"{speech.article_id}-q{n:02d}",
               "start": q.start, "end": q.end, "text": text[q.start:q.end], "kind": kind,
               "speaker": speaker, "sentence_id": sid, "sentence_ids": ";".join(sids),
               "cue": cue, "mention": mention, "attributed_by": how, "repair": q.repair}
        rows.append(row)
        previous = row
    return rows


QUOTE_COLUMNS = ("article_id", "quote_id", "start", "end", "text", "kind", "speaker",
                 "sentence_id", "sentence_ids", "cue", "mention", "attributed_by", "repair")
REPORTED_COLUMNS = ("article_id", "sentence_id", "speaker", "cue", "mention", "cue_start")


def _article_rows(aid: str, text: str, sents: pd.DataFrame,
                  index: SpeakerIndex) -> tuple[list[dict], list[dict]]:
    speech = analyse_text(aid, text, sents, index)
    quote_rows = _article_quotes(speech, text, sents)
    statements = [q for q in speech.quotes
                  if quote_kind(text[q.start:q.end], q.ends_with_comma) == "statement"]
    reported_rows = []
    for sid, cues in speech.cues.items():
        seen = set()
        for c in cues:
            if c.speaker in seen or any(_frames(c, q, text) for q in statements):
                continue  # one row per speaker; a cue framing a statement is not paraphrase
            seen.add(c.speaker)
            reported_rows.append({"article_id": aid, "sentence_id": sid, "speaker": c.speaker,
                                  "cue": c.word, "mention": c.mention, "cue_start": c.start})
    return quote_rows, reported_rows


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
                       speakers: Path | str | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """:func:`find_quotes` and :func:`find_reported` for one text outside the corpus."""
    quote_rows, reported_rows = _article_rows(article_id, text, sentence_frame(text, article_id),
                                              speaker_index(speakers))
    return (pd.DataFrame(quote_rows, columns=list(QUOTE_COLUMNS)),
            pd.DataFrame(reported_rows, columns=list(REPORTED_COLUMNS)))


@lru_cache(maxsize=4)
def _analyse(corpus: Corpus) -> tuple[pd.DataFrame, pd.DataFrame]:
    index = speaker_index()
    quote_rows, reported_rows = [], []
    for aid in corpus.articles["id"]:
        sents = corpus.sentences[corpus.sentences["article_id"] == aid].reset_index(drop=True)
        q, r = _article_rows(aid, corpus.text(aid), sents, index)
        quote_rows.extend(q)
        reported_rows.extend(r)
    quotes = pd.DataFrame(quote_rows, columns=list(QUOTE_COLUMNS))
    reported = pd.DataFrame(reported_rows, columns=list(REPORTED_COLUMNS))
    return quotes, reported


def find_quotes(corpus: Corpus) -> pd.DataFrame:
    """One row per direct quotation, in article (publication) and text order.

    Columns: ``article_id, quote_id, start, end`` (clean-text offsets of the quoted words, marks
    excluded), ``text, kind`` (``statement``/``phrase``), ``speaker`` (canonical name or
    ``unknown``), ``sentence_id`` (where it opens), then ``sentence_ids, cue, mention,
    attributed_by, repair`` for the reader.
    """
    return _analyse(corpus)[0].copy()


def find_reported(corpus: Corpus) -> pd.DataFrame:
    """One row per sentence and speaker whose speech the sentence reports in its own words."""
    return _analyse(corpus)[1].copy()


# --------------------------------------------------------------------------------- validation

GOLD_COLUMNS = ("type", "article_id", "sentence_ids", "text", "kind", "speaker", "cue",
                "mention", "note")


def load_gold(corpus: Corpus, path: Path | str | None = None) -> pd.DataFrame:
    """The hand annotation, with clean-text offsets found for each direct quotation.

    A quoted text is looked up inside the sentence(s) it is filed under; a text that is not
    there, an unknown sentence id or a speaker missing from the speakers table is an error.
    """
    path = Path(path) if path is not None else GOLD_CSV
    gold = _read_table(path, GOLD_COLUMNS, "annotation file")
    sents = corpus.sentences.set_index("sentence_id")
    names = set(load_speakers()["name"]) | {UNKNOWN}
    starts, ends = [], []
    for i, row in gold.iterrows():
        where = f"{path}, row {i + 2}"
        if row["type"] not in ("direct", "reported"):
            raise QuotesError(f"{where}: type {row['type']!r} is not direct or reported")
        if row["speaker"] not in names:
            raise QuotesError(f"{where}: speaker {row['speaker']!r} is not in the speakers table")
        ids = row["sentence_ids"].split(";")
        for sid in ids:
            if sid not in sents.index or sents.loc[sid, "article_id"] != row["article_id"]:
                raise QuotesError(f"{where}: sentence {sid!r} is not in {row['article_id']!r}")
        if row["type"] == "reported":
            starts.append(-1), ends.append(-1)
            continue
        lo, hi = int(sents.loc[ids[0], "start"]), int(sents.loc[ids[-1], "end"])
        found = corpus.text(row["article_id"]).find(row["text"], lo, hi)
        if not row["text"] or found < 0:
            raise QuotesError(f"{where}: quoted text not found in {row['sentence_ids']}")
        starts.append(found), ends.append(found + len(row["text"]))
    return gold.assign(start=starts, end=ends)


@dataclass(frozen=True)
class Scores:
    """Precision, recall and F1 with the counts behind them."""

    matched_pred: int
    n_pred: int
    matched_gold: int
    n_gold: int

    @property
    def precision(self) -> float:
        return self.matched_pred / self.n_pred if self.n_pred else 0.0

    @property
    def recall(self) -> float:
        return self.matched_gold / self.n_gold if self.n_gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


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


def score_quotes(pred: pd.DataFrame, gold: pd.DataFrame) -> dict[str, float | int]:
    """Quote spans (exact and partial), kind and speaker against the gold direct quotations."""
    gold = gold[gold["type"] == "direct"].reset_index(drop=True)
    pred = pred.reset_index(drop=True)
    out: dict[str, float | int] = {"n_gold": len(gold), "n_pred": len(pred)}
    for label, exact in (("exact", True), ("partial", False)):
        pairs = match_spans(pred, gold, exact)
        s = Scores(len(pairs), len(pred), len(pairs), len(gold))
        out |= {f"{label}_matched": len(pairs), f"{label}_precision": s.precision,
                f"{label}_recall": s.recall, f"{label}_f1": s.f1}
    pairs = match_spans(pred, gold, exact=False)
    speaker_ok = sum(pred.loc[p, "speaker"] == gold.loc[g, "speaker"] for p, g in pairs)
    kind_ok = sum(pred.loc[p, "kind"] == gold.loc[g, "kind"] for p, g in pairs)
    out |= {"speaker_correct": int(speaker_ok),
            "speaker_accuracy": speaker_ok / len(pairs) if pairs else 0.0,
            "attribution_accuracy": speaker_ok / len(gold) if len(gold) else 0.0,
            "kind_correct": int(kind_ok), "kind_accuracy": kind_ok / len(pairs) if pairs else 0.0}
    return out


def score_reported(pred: pd.DataFrame, gold: pd.DataFrame) -> dict[str, float | int]:
    """Reported speech as (article, sentence) and (article, sentence, speaker) sets."""
    gold = gold[gold["type"] == "reported"]
    out: dict[str, float | int] = {}
    for label, keys in (("sentence", ["article_id", "sentence_id"]),
                        ("speaker", ["article_id", "sentence_id", "speaker"])):
        g = set(map(tuple, gold.rename(columns={"sentence_ids": "sentence_id"})[keys].values))
        p = set(map(tuple, pred[keys].values))
        s = Scores(len(p & g), len(p), len(p & g), len(g))
        out |= {f"{label}_n_gold": len(g), f"{label}_n_pred": len(p), f"{label}_matched": len(p & g),
                f"{label}_precision": s.precision, f"{label}_recall": s.recall, f"{label}_f1": s.f1}
    return out


def quote_errors(pred: pd.DataFrame, gold: pd.DataFrame) -> pd.DataFrame:
    """Every disagreement with the annotation: missed, spurious, wrong span, kind or speaker."""
    gold = gold[gold["type"] == "direct"].reset_index(drop=True)
    pred = pred.reset_index(drop=True)
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
                         "sentence_id": gold.loc[g, "sentence_ids"], "error": "+".join(problems),
                         "quote": gold.loc[g, "text"],
                         "annotated": f"{gold.loc[g, 'kind']}, {gold.loc[g, 'speaker']}",
                         "found": f"{pred.loc[p, 'kind']}, {pred.loc[p, 'speaker']}"})
    for g in sorted(set(gold.index) - {g for _, g in pairs}):
        rows.append({"article_id": gold.loc[g, "article_id"],
                     "sentence_id": gold.loc[g, "sentence_ids"], "error": "missed",
                     "quote": gold.loc[g, "text"],
                     "annotated": f"{gold.loc[g, 'kind']}, {gold.loc[g, 'speaker']}", "found": ""})
    for p in sorted(set(pred.index) - {p for p, _ in pairs}):
        rows.append({"article_id": pred.loc[p, "article_id"],
                     "sentence_id": pred.loc[p, "sentence_id"], "error": "spurious",
                     "quote": pred.loc[p, "text"], "annotated": "",
                     "found": f"{pred.loc[p, 'kind']}, {pred.loc[p, 'speaker']}"})
    cols = ["article_id", "sentence_id", "error", "quote", "annotated", "found"]
    return pd.DataFrame(rows, columns=cols).sort_values(["article_id", "sentence_id", "error"],
                                                        kind="stable").reset_index(drop=True)


def reported_errors(pred: pd.DataFrame, gold: pd.DataFrame) -> pd.DataFrame:
    """Reported-speech attributions found by only one side, with the speaker each gave."""
    g = gold[gold["type"] == "reported"].rename(columns={"sentence_ids": "sentence_id"})
    keys = ["article_id", "sentence_id", "speaker"]
    merged = g[keys + ["cue"]].merge(pred[keys + ["cue"]], on=keys, how="outer",
                                     suffixes=("_annotated", "_found"), indicator=True)
    merged = merged[merged["_merge"] != "both"]
    out = pd.DataFrame({
        "article_id": merged["article_id"], "sentence_id": merged["sentence_id"],
        "error": merged["_merge"].map({"left_only": "missed", "right_only": "spurious"}),
        "speaker": merged["speaker"],
        "cue": merged["cue_annotated"].fillna(merged["cue_found"]),
    })
    return out.sort_values(["article_id", "sentence_id", "error", "speaker"],
                           kind="stable").reset_index(drop=True)


# --------------------------------------------------------------------------------- share of voice

SIDE_ORDER = ("Turkey", "Russia", "Syrian government", "United States", "Europe",
              "United Nations", "Monitor", "Analysts", "unknown")


def voices(corpus: Corpus) -> pd.DataFrame:
    """One row per sentence and speaker given a voice there, by direct quote or reported speech.

    A sentence that quotes a speaker and paraphrases the same speaker counts once: the unit of
    voice is "this sentence lets this speaker speak". ``quoted_words`` counts the words the
    speaker has inside quote marks in that sentence.
    """
    q, r = find_quotes(corpus), find_reported(corpus)
    q = q.assign(quoted_words=q["text"].map(lambda t: len(textlib.words(t))))
    direct = (q.groupby(["article_id", "sentence_id", "speaker"], as_index=False)
              .agg(quotes=("quote_id", "size"), quoted_words=("quoted_words", "sum")))
    reported = r[["article_id", "sentence_id", "speaker"]].assign(reported=True)
    units = direct.merge(reported, on=["article_id", "sentence_id", "speaker"], how="outer")
    units["quotes"] = units["quotes"].fillna(0).astype(int)
    units["quoted_words"] = units["quoted_words"].fillna(0).astype(int)
    units["reported"] = units["reported"].astype("boolean").fillna(False).astype(bool)
    info = load_speakers().set_index("name")
    units["side"] = units["speaker"].map(info["side"]).fillna("unknown")
    units["country"] = units["speaker"].map(info["country"]).fillna("")
    order = {aid: i for i, aid in enumerate(corpus.articles["id"])}
    sent_order = {sid: i for i, sid in enumerate(corpus.sentences["sentence_id"])}
    units = units.sort_values(["article_id", "sentence_id", "speaker"], key=lambda s: s.map(
        order if s.name == "article_id" else sent_order) if s.name != "speaker" else s)
    return units.reset_index(drop=True)


def _share(units: pd.DataFrame, corpus: Corpus, by: str) -> pd.DataFrame:
    labels = corpus.articles.set_index("id")["label"]
    out = (units.groupby(["article_id", by], as_index=False)
           .agg(units=("sentence_id", "size"), quotes=("quotes", "sum"),
                quoted_words=("quoted_words", "sum")))
    out["share"] = out["units"] / out.groupby("article_id")["units"].transform("sum")
    out.insert(1, "label", out["article_id"].map(labels))
    order = {aid: i for i, aid in enumerate(corpus.articles["id"])}
    return out.sort_values(["article_id", "units", by], ascending=[True, False, True],
                           key=lambda s: s.map(order) if s.name == "article_id" else s,
                           kind="stable").reset_index(drop=True)


def share_by_speaker(corpus: Corpus) -> pd.DataFrame:
    """Per report and speaker: voice units, quotations, quoted words and share of the report."""
    units = voices(corpus)
    out = _share(units, corpus, "speaker")
    out["side"] = out["speaker"].map(units.drop_duplicates("speaker")
                                     .set_index("speaker")["side"])
    return out


def share_by_side(corpus: Corpus) -> pd.DataFrame:
    """Per report and side (Turkey, Russia, ...): voice units and share of the report."""
    return _share(voices(corpus), corpus, "side")


def side_chart(corpus: Corpus):
    """Share of voice per report, stacked by side, in publication order."""
    import altair as alt

    data = share_by_side(corpus)
    sides = [s for s in SIDE_ORDER if s in set(data["side"])]
    labels = list(corpus.articles["label"])
    return (
        alt.Chart(data).mark_bar()
        .encode(
            x=alt.X("share:Q", title="Share of voice units (sentences giving a speaker voice)",
                    axis=alt.Axis(format="%"), stack="normalize"),
            y=alt.Y("label:N", title=None, sort=labels),
            color=alt.Color("side:N", title="Side", scale=alt.Scale(domain=sides),
                            legend=alt.Legend(orient="bottom", columns=4, labelLimit=200)),
            order=alt.Order("side_rank:Q"),
            tooltip=["label:N", "side:N", "units:Q", alt.Tooltip("share:Q", format=".0%"),
                     "quotes:Q", "quoted_words:Q"],
        )
        .transform_calculate(side_rank=f"indexof({list(sides)!r}, datum.side)")
        .properties(width=520, height=180)
    )


def speaker_chart(corpus: Corpus):
    """Voice units per speaker and report: who is heard where."""
    import altair as alt

    data = share_by_speaker(corpus)
    totals = data.groupby("speaker")["units"].sum()
    speakers = sorted(totals.index, key=lambda s: (-totals[s], s))
    labels = list(corpus.articles["label"])
    sides = [s for s in SIDE_ORDER if s in set(data["side"])]
    base = alt.Chart(data).encode(
        x=alt.X("label:N", title=None, sort=labels,
                axis=alt.Axis(labelAngle=-30, labelAlign="left", orient="top")),
        y=alt.Y("speaker:N", title=None, sort=speakers, axis=alt.Axis(labelLimit=260)),
    )
    cells = base.mark_circle(opacity=0.85).encode(
        size=alt.Size("units:Q", title="Voice units", scale=alt.Scale(range=[60, 900]),
                      legend=alt.Legend(orient="bottom")),
        color=alt.Color("side:N", title="Side", scale=alt.Scale(domain=sides),
                        legend=alt.Legend(orient="bottom", columns=3, labelLimit=200)),
        tooltip=["speaker:N", "side:N", "label:N", "units:Q", "quotes:Q", "quoted_words:Q"],
    )
    text = base.mark_text(dx=20, align="left", color="#222").encode(text="units:Q")
    return (cells + text).properties(width=430, height=22 * len(speakers))


def quote_table(corpus: Corpus) -> pd.DataFrame:
    """Every direct quotation with its report, speaker, kind and how it was attributed."""
    q = find_quotes(corpus)
    return pd.DataFrame({
        "quote": q["quote_id"], "speaker": q["speaker"], "kind": q["kind"],
        "cue (speaker as printed)": (q["cue"] + " (" + q["mention"] + ")").where(
            q["cue"] != "", "no cue"),
        "quoted text": q["text"],
        "note": (q["attributed_by"].where(q["attributed_by"] == "continues previous quote", "")
                 + q["repair"]),
    })


def speaker_table() -> pd.DataFrame:
    """The speakers table for the reader: name, role, institution, country, side, sources."""
    s = load_speakers()
    return pd.DataFrame({"speaker": s["name"], "side": s["side"],
                         "role": s["role"] + ", " + s["institution"].where(
                             s["institution"] != "", "institution not stated"),
                         "as printed": s["aliases"].str.replace(";", "; "),
                         "source of the role": s["role_source"]})


def validation_table(corpus: Corpus) -> pd.DataFrame:
    """The measured quality, one row per measure, with the counts behind each."""
    gold = load_gold(corpus)
    qs = score_quotes(find_quotes(corpus), gold)
    rs = score_reported(find_reported(corpus), gold)
    rows = [
        ("quote spans, exact match", qs["exact_precision"], qs["exact_recall"], qs["exact_f1"],
         f"{qs['exact_matched']} matched of {qs['n_pred']} found, {qs['n_gold']} annotated"),
        ("quote spans, partial match", qs["partial_precision"], qs["partial_recall"],
         qs["partial_f1"], f"{qs['partial_matched']} matched of {qs['n_pred']} found, "
         f"{qs['n_gold']} annotated"),
        ("reported speech, sentences", rs["sentence_precision"], rs["sentence_recall"],
         rs["sentence_f1"], f"{rs['sentence_matched']} matched of {rs['sentence_n_pred']} found, "
         f"{rs['sentence_n_gold']} annotated"),
        ("reported speech, sentence + speaker", rs["speaker_precision"], rs["speaker_recall"],
         rs["speaker_f1"], f"{rs['speaker_matched']} matched of {rs['speaker_n_pred']} found, "
         f"{rs['speaker_n_gold']} annotated"),
    ]
    out = pd.DataFrame(rows, columns=["measure", "precision", "recall", "F1", "counts"])
    extra = pd.DataFrame([
        ("quote speaker accuracy (matched quotes)", qs["speaker_accuracy"],
         f"{qs['speaker_correct']} of {qs['partial_matched']}"),
        ("quote kind accuracy (matched quotes)", qs["kind_accuracy"],
         f"{qs['kind_correct']} of {qs['partial_matched']}"),
    ], columns=["measure", "accuracy", "counts"])
    both = pd.concat([out, extra], ignore_index=True)
    for col in ("precision", "recall", "F1", "accuracy"):
        both[col] = both[col].map(lambda x: "" if pd.isna(x) else f"{x:.2f}")
    return both[["measure", "precision", "recall", "F1", "accuracy", "counts"]]


def error_table(corpus: Corpus) -> pd.DataFrame:
    """Every disagreement with the hand annotation, quotations and reported speech together."""
    gold = load_gold(corpus)
    q = quote_errors(find_quotes(corpus), gold).assign(type="direct")
    r = reported_errors(find_reported(corpus), gold).assign(type="reported")
    r = r.rename(columns={"speaker": "annotated"}).assign(quote="")
    r["found"] = r["annotated"].where(r["error"] == "spurious", "")
    r["annotated"] = r["annotated"].where(r["error"] == "missed", "")
    cols = ["type", "article_id", "sentence_id", "error", "quote", "annotated", "found"]
    return pd.concat([q[cols[1:]].assign(type="direct"), r], ignore_index=True)[cols]


def _pct(x: float) -> str:
    return f"{100 * x:.0f}%"


def key_numbers(corpus: Corpus) -> dict[str, object]:
    """The numbers the voices chapter states in prose, by glue name."""
    q, r = find_quotes(corpus), find_reported(corpus)
    units = voices(corpus)
    gold = load_gold(corpus)
    qs = score_quotes(q, gold)
    rs = score_reported(r, gold)
    sides = share_by_side(corpus)
    speakers = units.groupby("speaker")["sentence_id"].size()
    top = sorted(speakers.index, key=lambda s: (-speakers[s], s))[0]
    akar = q[q["speaker"] == "Hulusi Akar"]
    out: dict[str, object] = {
        "n_quotes": len(q), "n_statements": int((q["kind"] == "statement").sum()),
        "n_phrases": int((q["kind"] == "phrase").sum()), "n_reported": len(r),
        "n_units": len(units), "n_speakers_heard": int(units["speaker"].nunique()),
        "n_speakers_table": len(load_speakers()),
        "n_unknown": int((q["speaker"] == UNKNOWN).sum() + (r["speaker"] == UNKNOWN).sum()),
        "n_repaired": int((q["repair"] != "").sum()),
        "n_continued": int((q["attributed_by"] == "continues previous quote").sum()),
        "n_resolved": int(q["mention"].str.lower().isin(DESCRIPTORS).sum()
                          + r["mention"].str.lower().isin(DESCRIPTORS).sum()),
        "top_speaker": top, "top_speaker_units": int(speakers[top]),
        "akar_quotes": len(akar), "akar_reports": int(akar["article_id"].nunique()),
        "statement_min_words": STATEMENT_MIN_WORDS, "max_gap_words": MAX_SUBJECT_GAP_WORDS,
        "n_gold_quotes": qs["n_gold"], "n_gold_reported": rs["speaker_n_gold"],
        "quote_exact_f1": f"{qs['exact_f1']:.2f}", "quote_partial_f1": f"{qs['partial_f1']:.2f}",
        "quote_precision": f"{qs['exact_precision']:.2f}",
        "quote_recall": f"{qs['exact_recall']:.2f}",
        "speaker_accuracy": f"{qs['speaker_accuracy']:.2f}",
        "kind_accuracy": f"{qs['kind_accuracy']:.2f}",
        "reported_precision": f"{rs['speaker_precision']:.2f}",
        "reported_recall": f"{rs['speaker_recall']:.2f}",
        "reported_f1": f"{rs['speaker_f1']:.2f}",
        "reported_missed": rs["speaker_n_gold"] - rs["speaker_matched"],
        "reported_spurious": rs["speaker_n_pred"] - rs["speaker_matched"],
    }
    for aid in corpus.articles["id"]:
        key = aid.replace("-", "_")
        mine = sides[sides["article_id"] == aid].set_index("side")
        for side, short in (("Turkey", "turkey"), ("Russia", "russia"), ("United States", "us")):
            out[f"{key}_{short}_share"] = _pct(mine["share"].get(side, 0.0))
        out[f"{key}_units"] = int(mine["units"].sum())
        out[f"{key}_quotes"] = int((q["article_id"] == aid).sum())
    return out
