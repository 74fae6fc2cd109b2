"""Claims: to each quantity of a sentence, add what is counted, what happened to it, whose side
it concerns, who is credited with it, whether that party asserts or denies it, and the period it
refers to (resolved against the report's publication date).

:func:`article_claims` does one report and raises :class:`ClaimError` (naming the article file
and the sentence) for a sentence it cannot handle, so a runner can record the error and go on;
:func:`extract_claims` runs it over a corpus.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis import text as textmod
from analysis.claims.lexicon import (_COUNTED_PHRASES, _EVENT_RE, _SIDE_RE, _SPEECH, DENIALS,
                                     EVENT_BY_COUNTED, NO_SIDE, PERSON_KINDS, SOURCES)
from analysis.claims.lexicon import counted_after as _counted_after
from analysis.claims.lexicon import (measured_unit, phrase_after, phrase_before,
                                     same_thing_between)
from analysis.claims.numbers import HEDGES, ClaimError, Quantity, find_quantities
from analysis.claims.time import SHIFT, resolve_time, shifted, time_expressions

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



_ANAPHORIC_SPEAKER = re.compile(r"\b(?:the|this|that)\s+(?:\w+\s+){0,2}(?:ministry|minister|"
                                r"official|spokesman|spokeswoman|government|agency)\b"
                                r"|\b(?:he|she)\s*$", re.I)

# A relative clause opened by a noun ('a catastrophe that has seen ...', 'an airstrike ... that
# killed ...') is the writer's own description, not part of what the speaker said; a content
# clause after a noun of saying ('denied reports that ...') is what the speaker said.
_RELATIVE = re.compile(r"(?<=[\w\"'])\s+(?:that|which)\s+(?!is\b|was\b)", re.I)
_CONTENT_NOUN = re.compile(r"\b(?:reports?|claims?|allegations?|rumou?rs?|suggestions?|"
                           r"assertions?|statements?|accounts?|news)\W*$", re.I)


@dataclass(frozen=True)
class Attribution:
    """A speech verb in a sentence: where it stands, who speaks (``''`` for nobody named,
    ``'?'`` for an anaphoric speaker such as ``the ministry``) and whether it denies."""

    start: int
    end: int
    source: str
    denies: bool


def attributions(sentence: str) -> list[Attribution]:
    """Each speech verb of ``sentence`` with its speaker.

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
        out.append(Attribution(m.start(), m.end(), who, verb in DENIALS))
    return out


def _in_own_clause(folded: str, a: Attribution, q: Quantity) -> bool:
    """True when quantity ``q`` follows speech verb ``a`` but inside a relative clause the writer
    attached to a noun, so the figure is not part of what was said."""
    if q.start < a.end:
        return False
    for m in _RELATIVE.finditer(folded, a.end, q.start):
        if m.start() == a.end:
            continue  # 'said that ...': a complementiser, not a relative clause
        if _CONTENT_NOUN.search(folded[a.end:m.start()]):
            continue  # 'denied reports that ...': what was denied
        return True
    return False

# --------------------------------------------------------------------------------------------
# Claims
# --------------------------------------------------------------------------------------------

CLAIM_COLUMNS = ["article_id", "sentence_id", "start", "end", "surface", "value", "low", "high",
                 "hedge", "exact", "counted", "event", "side", "source", "time_expression",
                 "stance", "date_start", "date_end", "date_basis"]


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


class _Context(list):
    """The claims of a report's earlier sentences, with the last claim of each event and the
    last of a person kind kept as they are added, so a sentence looks its reference up instead
    of scanning every earlier claim."""

    def __init__(self) -> None:
        super().__init__()
        self.by_event: dict[str, dict] = {}
        self.person: dict | None = None

    def append(self, row: dict) -> None:
        super().append(row)
        self.by_event[row["event"]] = row
        if row["counted"] in PERSON_KINDS:
            self.person = row


def _context_claim(context: list[dict], event: str) -> dict | None:
    """The latest earlier claim with ``event``, else the latest counting persons, else None.
    Without an event only a count of persons is taken: a figure with no event ('40 cts a
    share') does not inherit whatever was counted last ('sales')."""
    if isinstance(context, _Context):
        return (context.by_event.get(event) if event else None) or context.person
    return ((next((r for r in reversed(context) if r["event"] == event), None) if event
             else None)
            or next((r for r in reversed(context) if r["counted"] in PERSON_KINDS), None))


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
        # the last earlier claim of this sentence that ends before this quantity
        prev = next((r for r in reversed(rows) if r["_q"].end <= q.start), None)
        phrase = ""
        if counted is None:
            counted, phrase, m_end = _measured(folded, q, prev)
            np_end = max(np_end, m_end) if counted else np_end
        event = _event(folded, q.start, np_end)
        hedge, low, high, value, exact = q.hedge, q.low, q.high, q.value, q.exact
        side = ""
        if counted is None and prev and q.kind in ("digits", "words") and not q.hedge \
                and re.search(r"\band\s+$", folded[prev["_end"]: q.start]):
            ref = prev  # '11 fighters on one side and 14 on the other'
            counted = ref["counted"]
            if ref["_q"].hedge and HEDGES.get(ref["_q"].hedge) == "low":
                hedge, low, value, exact = ref["_q"].hedge, q.value, None, False
        if counted is None:
            ref = _context_claim(context, event)
            if ref is not None:
                counted, side = ref["counted"], ref["side"]
        if event == "hosted" and counted == "people":
            counted = "refugees"
        if counted in EVENT_BY_COUNTED:
            event = EVENT_BY_COUNTED[counted]
        if counted not in NO_SIDE:
            side = _side_in(folded[np_start:np_end], folded) or side
            if not side and prev and prev["side"]:
                side = prev["side"]
            if not side:
                side = _nearest_left_side(folded, q.start)
        else:
            side = ""
        usable = [t for t in times if not _blocked(folded, t, q)]
        own = False
        if usable:
            t, own = _segment_time(usable, quantities, q, sentence)
            start_d, end_d = resolve_time(t[2], published)
            if SHIFT.fullmatch(re.sub(r"\s+", " ", t[2].strip().lower())):
                bases = [u for u in times if not SHIFT.fullmatch(
                    re.sub(r"\s+", " ", u[2].strip().lower()))]
                if bases:
                    b = min(bases, key=lambda u: abs(u[0] - t[0]))
                    start_d, end_d = shifted(t[2], resolve_time(b[2], published))
            expr, basis = t[2], "expression"
        else:
            start_d = end_d = pd.Timestamp(published).normalize()
            expr, basis = "", "publication date"
        source, stance = "outlet", "asserted"
        if speakers:
            a = min(speakers, key=lambda s: (abs(s.start - q.start), s.start))
            if not _in_own_clause(folded, a, q):
                source = (last_source or "outlet") if a.source == "?" else (a.source or "outlet")
                stance = "denied" if a.denies else "asserted"
        rows.append({
            "start": q.start, "end": np_end, "surface": sentence[q.start:np_end],
            "value": value, "low": low, "high": high, "hedge": hedge, "exact": exact,
            "counted": counted or "", "event": event, "side": side, "source": source,
            "stance": stance,
            "time_expression": expr, "date_start": start_d, "date_end": end_d,
            "date_basis": basis, "_q": q, "_end": np_end, "_phrase": phrase, "_own": own,
        })
    _year_on_year(folded, rows)
    return rows


_COMPARED = re.compile(r"\b(?:from|against|compared|versus|vs)\b", re.I)


def _year_on_year(folded: str, rows: list[dict]) -> None:
    """'rose to 17.2 pct from 17.0 pct in 1985' and 'fell 5.7 pct to 19.7 mln in 1986 from
    20.9 mln': two figures of one thing joined by ``from``/``against``/``compared``, one of
    them dated in its own stretch of the sentence and the other not, are a year apart (the
    wire's year-on-year comparison), so the undated one takes the other's period moved by a
    year."""
    for r1, r2 in zip(rows, rows[1:]):
        if not r1["_phrase"] or r1["_phrase"] != r2["_phrase"]:
            continue
        between = folded[r1["_end"]:r2["_q"].start]
        if not _COMPARED.search(between):
            continue
        if r1["date_basis"] == "expression" and not r2["_own"] \
                and not _COMPARED.search(r2["time_expression"] or "x") \
                and (r1["_own"] or r2["date_basis"] == "expression"):
            r2["date_start"], r2["date_end"] = _moved(r1, -1)
            r2["date_basis"] = "expression"
        elif r2["_own"] and not r1["_own"] and r2["date_basis"] == "expression":
            r1["date_start"], r1["date_end"] = _moved(r2, +1)
            r1["date_basis"] = "expression"


def _moved(row: dict, years: int) -> tuple[pd.Timestamp, pd.Timestamp]:
    start = (row["date_start"] + pd.DateOffset(years=years)).normalize()
    end = (row["date_end"] + pd.DateOffset(years=years)).normalize()
    if row["date_end"].is_month_end:
        end = end + pd.offsets.MonthEnd(0)
    return start, end


def _segment_time(usable: list[tuple[int, int, str]], quantities: list[Quantity],
                  q: Quantity, sentence: str) -> tuple[tuple[int, int, str], bool]:
    """The time expression of figure ``q``: the first one after it and before the next figure
    ('rose to 29.7 pct in 1986 from ... 29.2 pct'), else the last one between the previous
    figure and it, else the nearest in the sentence (not a 'year-ago' that opens the next
    figure); with whether it lies in the figure's own stretch."""
    prev_end = max((p.end for p in quantities if p.end <= q.start), default=0)
    next_start = min((p.start for p in quantities if p.start >= q.end), default=10 ** 9)
    after = [t for t in usable if q.end <= t[0] and t[1] <= next_start
             and not (SHIFT.fullmatch(re.sub(r"\s+", " ", t[2].strip().lower()))
                      and next_start - t[1] < 4)  # 'from year-ago 199.0': the next one's
             and not re.search(r"[,;:]", textmod.fold_chars(sentence[q.end:t[0]]))]
    if after:
        return after[0], True
    before = [t for t in usable if prev_end <= t[0] and t[1] <= q.start]
    if before and prev_end > 0:
        return before[-1], True
    shared = [t for t in usable if not (SHIFT.fullmatch(re.sub(r"\s+", " ", t[2].strip().lower()))
                                        and next_start - t[1] < 4)] or usable
    return min(shared, key=lambda t: (abs((t[0] + t[1]) / 2 - (q.start + q.end) / 2), t[0])), \
        False


def _measured(folded: str, q: Quantity, prev: dict | None) -> tuple[str | None, str, int]:
    """What a figure outside the lexicon measures, as a phrase of the text with its unit
    (``net profit (dlrs)``, ``crude palm oil (tonnes)``): the phrase after the figure and its
    unit, else the previous figure's phrase when only ``to``/``from``/``and``... stand between
    them, else the phrase a verb or preposition ties it to on the left. Returns (counted or
    ``None``, the bare phrase, end of the claim's noun phrase)."""
    after = folded[q.end:]
    unit, u_end = measured_unit(after)
    phrase, p_end = phrase_after(after[u_end:])
    end = q.end + u_end + (p_end if phrase else 0)
    if not phrase and prev is not None and prev["_phrase"] \
            and same_thing_between(folded[prev["_end"]:q.start]):
        phrase = prev["_phrase"]
    if not phrase:
        phrase = phrase_before(folded[:q.start])
    if not phrase:
        return None, "", q.end
    return (f"{phrase.lower()} ({unit})" if unit else phrase.lower()), phrase, end


def article_claims(article: pd.Series | dict, sentences: pd.DataFrame) -> pd.DataFrame:
    """The claims of one report: ``article`` is its row of ``corpus.articles`` (``id``, ``date``,
    optionally ``date_basis`` and ``file``), ``sentences`` its rows of ``corpus.sentences``.

    Raises :class:`ClaimError` naming the article file and the sentence id when a sentence
    cannot be read (the original error is chained), so a runner can record one error row for
    this document and carry on with the others.
    """
    aid = article["id"]
    file = article.get("file")
    where = file if isinstance(file, str) and file else f"article {aid}"
    published = pd.Timestamp(article["date"])
    if pd.isna(published):
        raise ClaimError("the article has no publication date", file=where, field="date")
    rows: list[dict] = []
    context = _Context()
    last_source = ""
    for text, sentence_id, start in zip(sentences["text"].tolist(),
                                        sentences["sentence_id"].tolist(),
                                        sentences["start"].tolist()):
        try:
            found = sentence_claims(text, published, context, last_source)
            named = [a.source for a in attributions(text) if a.source not in ("", "?")]
        except ClaimError:
            raise
        except Exception as err:  # any failure on odd text becomes a named, catchable error
            raise ClaimError(f"cannot read claims in sentence: {type(err).__name__}: {err}",
                             file=where, field=sentence_id) from err
        for r in found:
            context.append(r)
            rows.append({**{k: v for k, v in r.items() if not k.startswith("_")},
                         "article_id": aid, "sentence_id": sentence_id,
                         "start": start + r["start"], "end": start + r["end"]})
        if named:
            last_source = named[-1]
    out = _date_from_same_figure(pd.DataFrame(rows, columns=CLAIM_COLUMNS))
    inferred = str(article.get("date_basis") or "").startswith("inferred")
    out["pub_date_inferred"] = np.full(len(out), inferred, dtype=bool)
    return out


def extract_claims(corpus, errors: list[ClaimError] | None = None) -> pd.DataFrame:
    """Every quantitative claim of every report, one row each, in manifest order.

    Offsets ``start``/``end`` are in the article's clean text; ``date_basis`` says whether the
    period comes from a time expression or defaults to the publication date, and
    ``pub_date_inferred`` whether that publication date is itself inferred. With ``errors`` (a
    list), a report that raises :class:`ClaimError` is left out and its error appended;
    without it, the first error is raised.
    """
    frames = []
    sentences = corpus.sentences
    by_article = dict(tuple(sentences.groupby("article_id", sort=False))) if len(
        sentences) else {}  # one pass, not one filter of every sentence per article
    needed = [c for c in ("id", "date", "date_basis", "file") if c in corpus.articles]
    for art in corpus.articles[needed].to_dict("records"):
        try:
            frames.append(article_claims(art, by_article.get(art["id"], sentences.iloc[:0])))
        except ClaimError as err:
            if errors is None:
                raise
            errors.append(err)
    frames = [f for f in frames if len(f)]
    if not frames:
        return pd.DataFrame(columns=[*CLAIM_COLUMNS, "pub_date_inferred"])
    return pd.concat(frames, ignore_index=True)


def _date_from_same_figure(claims: pd.DataFrame) -> pd.DataFrame:
    """An undated claim takes the period of the same figure dated elsewhere in its report.

    'the killing of 33 Turkish soldiers' (no date) and '33 Turkish soldiers ... on Thursday'
    in the same report are one event; the dated mention gives both their period.
    """
    out = claims.copy()
    same = ["article_id", "counted", "event", "side", "value", "low", "high"]

    def key(row: tuple) -> tuple:  # missing values match each other, as isna() does
        return tuple(_MISSING if pd.isna(v) else v for v in row)

    basis = out["date_basis"].tolist()
    keys = [key(row) for row in zip(*(out[c].tolist() for c in same))]
    first: dict[tuple, int] = {}  # the first dated claim of each figure, one pass
    for k, (b, kk) in enumerate(zip(basis, keys)):
        if b == "expression":
            first.setdefault(kk, k)
    hits = [(k, first[kk]) for k, (b, kk) in enumerate(zip(basis, keys))
            if b == "publication date" and kk in first]
    if hits:
        rows, src = [out.index[k] for k, _ in hits], [h for _, h in hits]
        out.loc[rows, "date_start"] = out["date_start"].iloc[src].to_numpy()
        out.loc[rows, "date_end"] = out["date_end"].iloc[src].to_numpy()
        out.loc[rows, "date_basis"] = [f"same figure in {sid}"
                                       for sid in out["sentence_id"].iloc[src]]
    return out


_MISSING = object()

