"""Cleaning with an audit trail: every change to a raw text is recorded, so nothing is lost.

A document is held as a *piece table*: a list of pieces that cover the raw text from start to
end. A kept piece is a verbatim slice of the raw text; an edited piece replaces a raw slice (maybe
empty, for an insertion) by new text (maybe empty, for a deletion) and says which step did it and
why. Cleaning steps find spans in the current text and the table records them, so the cleaned text,
the raw text and the mapping between their offsets are always derivable from one structure.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections import deque
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from functools import cached_property
from itertools import accumulate

import pandas as pd
import regex

Span = tuple[int, int, str]  # (start, end, replacement) in the current text


@dataclass(frozen=True)
class Piece:
    """A run of the raw text: kept verbatim (``step`` is empty) or replaced by ``text``."""

    raw_start: int
    raw_end: int
    text: str
    step: str = ""
    reason: str = ""

    @property
    def kept(self) -> bool:
        return not self.step


@dataclass(frozen=True)
class CleaningStep:
    """One documented cleaning rule: ``find(text, meta)`` yields spans to replace."""

    name: str
    reason: str
    find: Callable[[str, Mapping[str, str]], Iterable[Span]]


# Encodings whose decoded text is the file's bytes read as UTF-8: no "decode" row in the audit.
UTF8 = ("utf-8", "ascii")


@dataclass(frozen=True)
class Cleaned:
    """The result of cleaning one text: pieces, and the derived clean text.

    ``encoding`` is how the file's bytes were decoded into ``raw``; a file that was not UTF-8
    gets a first audit row (step ``decode``) saying so, and ``raw.encode(encoding)`` gives back
    its bytes.
    """

    raw: str
    pieces: tuple[Piece, ...]
    encoding: str = "utf-8"

    @cached_property
    def text(self) -> str:
        return "".join(p.text for p in self.pieces)

    @cached_property
    def _clean_ends(self) -> list[int]:
        """Clean-text offset where each piece ends (for a binary search in :meth:`to_raw`)."""
        return list(accumulate(len(p.text) for p in self.pieces))

    def edits(self) -> pd.DataFrame:
        """One row per change: raw and clean offsets, what was there, what replaced it, and why."""
        rows, pos = [], 0
        if self.encoding not in UTF8:
            rows.append({"step": "decode", "reason": f"file is not UTF-8: bytes decoded as "
                         f"{self.encoding} (encode the raw text with it to get the file back)",
                         "raw_start": 0, "raw_end": 0, "removed": "", "clean_start": 0,
                         "clean_end": 0, "inserted": ""})
        for p in self.pieces:
            if not p.kept:
                rows.append(
                    {
                        "step": p.step,
                        "reason": p.reason,
                        "raw_start": p.raw_start,
                        "raw_end": p.raw_end,
                        "removed": self.raw[p.raw_start : p.raw_end],
                        "clean_start": pos,
                        "clean_end": pos + len(p.text),
                        "inserted": p.text,
                    }
                )
            pos += len(p.text)
        columns = ["step", "reason", "raw_start", "raw_end", "removed", "clean_start",
                   "clean_end", "inserted"]
        return pd.DataFrame(rows, columns=columns)

    def to_raw(self, pos: int, *, end: bool = False) -> int:
        """Map a clean-text offset to the raw text; edited spans map to their raw start.

        With ``end=True`` the offset is the end of a span: it maps just past the raw character
        of the span's last clean character, so trailing removed text is not included.
        """
        if end and pos > 0:
            return self.to_raw(pos - 1) + 1
        ends = self._clean_ends
        i = bisect_right(ends, pos)  # the first piece that ends after ``pos`` holds it
        if i == len(ends):
            return len(self.raw)
        p = self.pieces[i]
        return p.raw_start + (pos - (ends[i] - len(p.text)) if p.kept else 0)


def rebuild_raw(clean_text: str, edits: pd.DataFrame) -> str:
    """Rebuild the raw text from the clean text and the audit trail alone."""
    out, pos = [], 0
    for row in edits.sort_values("clean_start", kind="stable").itertuples():
        out.append(clean_text[pos : row.clean_start])
        out.append(row.removed)
        pos = row.clean_end
    out.append(clean_text[pos:])
    return "".join(out)


def _replace(pieces: list[Piece], start: int, end: int, new: str, step: str,
             reason: str) -> list[Piece]:
    """Replace ``[start, end)`` of the current text by ``new``; absorb edited pieces it touches."""
    before, hit, after = [], [], []
    pos = 0
    for p in pieces:
        s, e = pos, pos + len(p.text)
        pos = e
        if start < end:
            is_hit = (s < end and e > start) if p.text else start < s < end
        else:
            is_hit = s < start < e
        if is_hit:
            hit.append((p, s))
        elif e <= start:
            before.append((p, s))
        else:
            after.append((p, s))
    if not hit:  # insertion at a boundary between two pieces
        raw_at = after[0][0].raw_start if after else (before[-1][0].raw_end if before else 0)
        new_piece = Piece(raw_at, raw_at, new, step, reason)
        return [p for p, _ in before] + [new_piece] + [p for p, _ in after]
    head: list[Piece] = []
    tail: list[Piece] = []
    first, fs = hit[0]
    last, ls = hit[-1]
    steps, reasons = [step], [reason]
    for p, _ in hit:
        if not p.kept:
            steps.extend(s for s in p.step.split("+") if s not in steps)
            reasons.extend(r for r in p.reason.split(" + ") if r not in reasons)
    if first.kept:
        cut = max(start - fs, 0)
        raw_start = first.raw_start + cut
        if cut:
            head.append(Piece(first.raw_start, raw_start, first.text[:cut]))
        prefix = ""
    else:
        raw_start, prefix = first.raw_start, first.text[: max(start - fs, 0)]
    if last.kept:
        cut = min(end - ls, len(last.text))
        raw_end = last.raw_start + cut
        if cut < len(last.text):
            tail.append(Piece(raw_end, last.raw_end, last.text[cut:]))
        suffix = ""
    else:
        raw_end, suffix = last.raw_end, last.text[max(end - ls, 0):]
    merged = Piece(raw_start, raw_end, prefix + new + suffix, "+".join(steps), " + ".join(reasons))
    return [p for p, _ in before] + head + [merged] + tail + [p for p, _ in after]


def apply_step(cleaned: Cleaned, step: CleaningStep, meta: Mapping[str, str]) -> Cleaned:
    """Run one step on the current text; its spans are applied right to left."""
    text = cleaned.text
    spans = sorted(
        (s for s in step.find(text, meta) if text[s[0] : s[1]] != s[2]), key=lambda s: s[0]
    )
    for (s1, e1, _), (s2, _, _) in zip(spans, spans[1:]):
        if s2 < e1:
            raise ValueError(f"cleaning step {step.name!r} produced overlapping spans")
    pieces = _replace_all(list(cleaned.pieces), spans, step.name, step.reason)
    return replace(cleaned, pieces=tuple(pieces))


def _replace_all(pieces: list[Piece], spans: list[Span], step: str, reason: str) -> list[Piece]:
    """Apply sorted, non-overlapping ``spans`` right to left, as :func:`_replace` would one by
    one over the whole list, but hand it only the few pieces around each span.

    ``left`` holds the pieces wholly before the span (their offsets are unchanged), ``done`` the
    pieces already processed; each span takes from them the pieces it may touch plus one
    neighbour on each side (what an insertion at a boundary takes its raw offset from). The work
    is linear in pieces and spans, where calling :func:`_replace` per span is quadratic. Kept
    pieces are first cut at every span boundary (so no span copies a long kept text again) and
    glued back afterwards, which leaves the same pieces as the one-by-one replacement.
    """
    left = _cut_kept(pieces, sorted({b for s, e, _ in spans for b in (s, e)}))
    left_end = sum(len(p.text) for p in left)  # clean offset where ``done`` starts
    done: deque[Piece] = deque()
    for start, end, new in reversed(spans):
        while done and left_end + len(done[0].text) <= start:  # wholly before: back to left
            left.append(done.popleft())
            left_end += len(left[-1].text)
        window: list[Piece] = []
        while left and left_end > start:  # ends after the span starts: may be touched
            window.append(left.pop())
            left_end -= len(window[-1].text)
        window.reverse()
        pos = left_end + sum(len(p.text) for p in window)
        while done and pos < end:
            window.append(done.popleft())
            pos += len(window[-1].text)
        if done:
            window.append(done.popleft())
        offset = left_end
        context = left.pop() if left else None
        if context is not None:
            offset -= len(context.text)
            window.insert(0, context)
        result = _replace(window, start - offset, end - offset, new, step, reason)
        if context is not None:
            if result[0] is not context:  # pragma: no cover - _replace keeps pieces before
                raise AssertionError("piece before a span was changed")
            left.append(context)
            result = result[1:]
        done.extendleft(reversed(result))
    left.extend(done)
    return _glue_kept(left)


def _cut_kept(pieces: list[Piece], cuts: list[int]) -> list[Piece]:
    """Cut kept pieces at the sorted clean offsets ``cuts`` that fall inside them."""
    out, pos, i = [], 0, 0
    for p in pieces:
        end = pos + len(p.text)
        while i < len(cuts) and cuts[i] <= pos:
            i += 1
        if not p.kept or i == len(cuts) or cuts[i] >= end:
            out.append(p)
            pos = end
            continue
        at = pos
        while i < len(cuts) and cuts[i] < end:
            out.append(Piece(p.raw_start + at - pos, p.raw_start + cuts[i] - pos,
                             p.text[at - pos : cuts[i] - pos]))
            at = cuts[i]
            i += 1
        out.append(Piece(p.raw_start + at - pos, p.raw_end, p.text[at - pos :]))
        pos = end
    return out


def _glue_kept(pieces: list[Piece]) -> list[Piece]:
    """Join runs of kept pieces that are contiguous in the raw text into one piece."""
    out: list[Piece] = []
    run: list[Piece] = []
    for p in [*pieces, None]:
        if p is not None and p.kept and run and run[-1].raw_end == p.raw_start:
            run.append(p)
            continue
        if run:
            out.append(run[0] if len(run) == 1 else
                       Piece(run[0].raw_start, run[-1].raw_end, "".join(q.text for q in run)))
        run = [p] if p is not None and p.kept else []
        if p is not None and not p.kept:
            out.append(p)
    return out


def clean(raw: str, meta: Mapping[str, str] | None = None,
          steps: Iterable[CleaningStep] | None = None, *, encoding: str = "utf-8") -> Cleaned:
    """Clean one raw text with ``steps`` (default: :data:`STEPS`), recording every change.

    ``encoding`` records how the file was decoded (see :class:`Cleaned`).
    """
    cleaned = Cleaned(raw, (Piece(0, len(raw), raw),) if raw else (), encoding)
    for step in STEPS if steps is None else steps:
        cleaned = apply_step(cleaned, step, meta or {})
    return cleaned


# --- the steps ------------------------------------------------------------------------------

_MONTHS = ("January|February|March|April|May|June|July|August|September|October|November|"
           "December")
_LINE_END = r"[ \t\u00a0]*(?:\n+|\Z)"


def _regex(pattern: str, replacement: str = "", flags: int = 0):
    rx = re.compile(pattern, flags)

    def find(text: str, meta: Mapping[str, str]) -> Iterable[Span]:
        return [(m.start(), m.end(), replacement) for m in rx.finditer(text)]

    return find


def _headline(text: str, meta: Mapping[str, str]) -> Iterable[Span]:
    # The text has lost its invisible and look-alike characters by now; the headline too.
    headline = clean((meta.get("headline") or "").strip(), {}, _CHARACTER_STEPS).text.strip()
    if not headline:
        return []
    m = re.match(r"\s*" + re.escape(headline) + _LINE_END, text)
    return [(m.start(), m.end(), "")] if m else []


_NBSP = re.compile(r"[ \t]*\u00a0[ \t\u00a0]*")


def _nbsp(text: str, meta: Mapping[str, str]) -> Iterable[Span]:
    spans = []
    for m in _NBSP.finditer(text):
        # A sentence end just before (``$`` also allowed one final newline) and a capital or
        # opening quote just after; looked at locally, so the step stays linear in the text.
        before = text[max(m.start() - 2, 0) : m.start()]
        between_sentences = (_SENTENCE_END.search(before)
                             and _SENTENCE_START.match(text, m.end()))
        spans.append((m.start(), m.end(), "\n\n" if between_sentences else " "))
    return spans


_SENTENCE_END = re.compile(r"[.!?\"”]\n?\Z")
_SENTENCE_START = re.compile(r"[A-Z“\"]")


_RUN_TOGETHER = re.compile(r"(?<=[a-z0-9)])[.!?](?P<q>[\"”“]?)(?=[A-Z])|(?<=[a-z0-9)])[.!?](?=“)")


def _run_together(text: str, meta: Mapping[str, str]) -> Iterable[Span]:
    """Paragraphs glued together: ``border.Ankara`` or ``spoke.”Turkish``.

    A quote mark between the full stop and the capital either closes the quote that was open or
    is an opening mark the scraper turned into a closing one. Parity decides: with an even number
    of double quote marks before it on the line it opens a quote, so the break goes before it.
    """
    spans = []
    pos, marks = 0, 0  # quote marks on the current line up to ``pos``, kept as the scan goes
    for m in _RUN_TOGETHER.finditer(text):
        mark = m.group("q") or ""
        if not mark:
            spans.append((m.end(), m.end(), "\n\n"))
            continue
        newline = text.rfind("\n", pos, m.start())
        if newline >= 0:
            pos, marks = newline + 1, 0
        marks += sum(text.count(c, pos, m.start()) for c in "\"“”")
        pos = m.start()
        at = m.end() - 1 if marks % 2 == 0 else m.end()
        spans.append((at, at, "\n\n"))
    return spans


def _whitespace(text: str, meta: Mapping[str, str]) -> Iterable[Span]:
    spans = []
    for m in re.finditer(r"\A\s+|\s+\Z|[ \t]*\n\s*|[ \t]{2,}", text):
        chunk = m.group()
        if m.start() == 0 or m.end() == len(text):
            new = ""
        elif "\n" in chunk:
            new = "\n\n"
        else:
            new = " "
        spans.append((m.start(), m.end(), new))
    return spans


# --- characters that can hide a copy ------------------------------------------------------------
#
# A word-for-word copy can be made to look new to the matcher, and to nobody else, by putting
# characters into its words that show nothing (a soft hyphen, a zero-width space) or that look
# like others (a ligature, a fullwidth or mathematical letter, an accent typed as a separate
# mark). The steps below make such text what a reader sees, each change with an audit row.

# Invisible characters: format characters (Unicode category Cf) and default-ignorable code
# points, less the prepended concatenation marks (the Arabic number sign and its kin are drawn).
_INVISIBLE = regex.compile(r"[\p{Cf}\p{Default_Ignorable_Code_Point}"
                           r"--\p{Prepended_Concatenation_Mark}]", regex.V1)
_JOINERS = "\u200c\u200d"  # zero-width non-joiner, joiner
_BIDI = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
_VARIATION = regex.compile(r"[\ufe00-\ufe0f\U000e0100-\U000e01ef\u180b-\u180d\u180f]")
_TAG = regex.compile(r"[\U000e0020-\U000e007f]")
_LOOK_BACK = 32  # marks or tags looked back over at most (real sequences are far shorter)
_SCRIPT_LETTER = regex.compile(  # a letter or mark of a script that has joiners and variants
    r"[\p{L}\p{M}--\p{sc=Latin}--\p{sc=Greek}--\p{sc=Cyrillic}--\p{sc=Common}"
    r"--\p{sc=Inherited}]", regex.V1)
_PICTOGRAPH = regex.compile(r"[\p{Extended_Pictographic}\p{Emoji_Modifier}]")
_SKIPPED = regex.compile(r"[\p{M}\p{Emoji_Modifier}]")
_SYMBOL = regex.compile(r"[\p{S}\p{Extended_Pictographic}]")
_RTL = regex.compile(r"[\p{bc=R}\p{bc=AL}]")
_LTR_LETTER = regex.compile(r"\p{bc=L}")
_HANGUL_JAMO = regex.compile(r"[\u1100-\u11ff\ua960-\ua97f\ud7b0-\ud7ff]")
_HIEROGLYPH = regex.compile(r"\p{sc=Egyptian_Hieroglyphs}")
_WORD = regex.compile(r"[\p{L}\p{M}\p{N}]")


def _base_before(text: str, i: int) -> str:
    """The character before ``i`` that combining marks and skin-tone modifiers rest on."""
    j = i - 1
    while j >= max(i - _LOOK_BACK, 0) and _SKIPPED.match(text[j]):
        j -= 1
    return text[j] if j >= 0 else ""


def _is(pattern: regex.Pattern, char: str) -> bool:
    return bool(char) and pattern.match(char) is not None


def _direction(char: str) -> str:
    return "R" if _is(_RTL, char) else "L" if _is(_LTR_LETTER, char) else ""


def _keeps_invisible(text: str, i: int, rtl_line: Callable[[int], bool]) -> bool:
    """Whether the invisible character at ``i`` does a job where it stands, and so stays.

    The ``invisible_characters`` step removes every format character (category Cf) and
    default-ignorable code point: soft hyphen, zero-width space, word joiner, U+FEFF inside
    the text, invisible mathematical operators, interlinear annotation marks, Hangul fillers
    used as blanks, tag characters (hidden ASCII), unassigned default-ignorables. None of them
    shows; inside a word they split it for the matcher. What stays, and only where it does a
    job:

    - zero-width non-joiner and joiner (U+200C, U+200D) after a letter of a script that uses
      them (any but Latin, Greek and Cyrillic: Persian, Arabic, the Indic scripts) and before
      another such letter or the end of the word; and between two emoji of a sequence;
    - variation selectors after a symbol or emoji, after a letter of such a script (an
      ideographic variation sequence, Mongolian free variation selectors), or in a keycap;
    - direction marks, embeddings, overrides and isolates (U+061C, U+200E, U+200F,
      U+202A-U+202E, U+2066-U+2069) on a line with right-to-left letters, unless both
      neighbours are letters of one direction (there a mark changes nothing); on a line of
      left-to-right text they can only reorder what is shown (the "Trojan Source" trick);
    - tag characters inside a subdivision flag (black flag, tags, cancel tag); the Hangul
      fillers U+115F and U+1160 next to jamo; the combining grapheme joiner before a mark;
      Egyptian hieroglyph format controls next to hieroglyphs; the Mongolian vowel separator
      between two letters.

    The prepended concatenation marks (U+0600-U+0605 and their kin) are drawn, not format
    noise, and are never removed. Matching forms leave out what stays
    (:func:`analysis.text.match_form`), so a copy written without it is still the same words.
    """
    c = text[i]
    before = text[i - 1] if i else ""
    after = text[i + 1] if i + 1 < len(text) else ""
    if c in _JOINERS:
        base = _base_before(text, i)
        return ((_is(_SCRIPT_LETTER, base) and (_is(_SCRIPT_LETTER, after)
                                                 or not _is(_WORD, after)))
                or (_is(_PICTOGRAPH, base) and _is(_PICTOGRAPH, after)))
    if c == "\u180e":  # Mongolian vowel separator, between two Mongolian letters
        return _is(_SCRIPT_LETTER, before) and _is(_SCRIPT_LETTER, after)
    if _VARIATION.match(c):
        if c in "\ufe0e\ufe0f" and before in tuple("0123456789#*") and after == "\u20e3":
            return True  # keycap: digit, emoji variation selector, combining keycap
        return _is(_SYMBOL, before) or _is(_SCRIPT_LETTER, before)
    if c in _BIDI:
        direction = {_direction(before), _direction(after)}
        return rtl_line(i) and not (len(direction) == 1 and direction != {""})
    if _TAG.match(c):  # a subdivision flag: black flag, tag letters, cancel tag
        j = i - 1
        while j >= max(i - _LOOK_BACK, 0) and _TAG.match(text[j]):
            j -= 1
        return j >= 0 and text[j] == "\U0001f3f4"
    if c in "\u115f\u1160":  # Hangul choseong / jungseong filler inside a jamo syllable
        return _is(_HANGUL_JAMO, before) or _is(_HANGUL_JAMO, after)
    if c == "\u034f":  # combining grapheme joiner, before a mark whose order it fixes
        return _is(_SKIPPED, after)
    if "\U00013430" <= c <= "\U0001345f":  # Egyptian hieroglyph format controls
        return _is(_HIEROGLYPH, before) or _is(_HIEROGLYPH, after)
    return False


def _invisible(text: str, meta: Mapping[str, str]) -> Iterable[Span]:
    lines: dict[int, bool] = {}

    def rtl_line(i: int) -> bool:
        start = text.rfind("\n", 0, i) + 1
        if start not in lines:
            end = text.find("\n", i)
            lines[start] = _RTL.search(text, start, end if end >= 0 else len(text)) is not None
        return lines[start]

    spans: list[Span] = []
    for m in _INVISIBLE.finditer(text):
        i = m.start()
        if _keeps_invisible(text, i, rtl_line):
            continue
        if spans and spans[-1][1] == i:
            spans[-1] = (spans[-1][0], i + 1, "")
        else:
            spans.append((i, i + 1, ""))
    return spans


def _compatibility_table() -> dict[str, str]:
    """Letters and digits that only look like others: their compatibility form (NFKC).

    Fullwidth letters and digits (``<wide>``), mathematical and other styled letters and digits
    (``<font>``), and the Latin and Armenian ligatures (``ﬁ``, ``ﬀ``, ``ﬓ``). Other
    compatibility characters (``…``, ``½``, ``²``, circled letters, halfwidth katakana) are
    written on purpose and stay.
    """
    blocks = [range(0x2100, 0x2150), range(0xFB00, 0xFB50), range(0xFF00, 0xFFF0),
              range(0x1D400, 0x1D800), range(0x1EE00, 0x1EF00), range(0x1FBF0, 0x1FC00)]
    table = {}
    for code in (c for block in blocks for c in block):  # all inside _COMPATIBLE_RANGE
        char = chr(code)
        tag = unicodedata.decomposition(char).split(" ")[0]
        form = unicodedata.normalize("NFKC", char)
        if (tag in ("<wide>", "<font>") and form.isalnum()) or (
                tag == "<compat>" and (0xFB00 <= code <= 0xFB06 or 0xFB13 <= code <= 0xFB17)):
            table[char] = form
    return table


def _char_class(chars: Iterable[str]) -> str:
    """A regular-expression class of ``chars``, runs of code points written as ranges."""
    codes = sorted(map(ord, chars))
    runs: list[list[int]] = []
    for code in codes:
        if runs and code == runs[-1][1] + 1:
            runs[-1][1] = code
        else:
            runs.append([code, code])
    return "[" + "".join(f"\\U{a:08x}" if a == b else f"\\U{a:08x}-\\U{b:08x}"
                         for a, b in runs) + "]"


_COMPATIBILITY = _compatibility_table()
_COMPATIBLE = regex.compile(_char_class(_COMPATIBILITY) + "+")
# Every such character lies in this range; a class of one range is scanned fast, so only the
# stretches of text in it (often none) are searched with the exact class.
_COMPATIBLE_RANGE = regex.compile(r"[\u2100-\U0001fbff]+")


def _compatibility(text: str, meta: Mapping[str, str]) -> Iterable[Span]:
    return [(m.start(), m.end(), "".join(_COMPATIBILITY[c] for c in m.group()))
            for near in _COMPATIBLE_RANGE.finditer(text)
            for m in _COMPATIBLE.finditer(text, near.start(), near.end())]


# A run NFC may change: a starter followed by characters that may combine with it, or such
# characters at the start of the text. The text can be cut before every other character (a
# starter that no composition changes), so composing the runs composes the whole text.
_COMPOSABLE = regex.compile(r"[\p{ccc=0}&&\p{NFC_QC=Y}]?[^\p{ccc=0}&&\p{NFC_QC=Y}]+",
                            regex.V1)


def _canonical_composition(text: str, meta: Mapping[str, str]) -> Iterable[Span]:
    if unicodedata.is_normalized("NFC", text):
        return []
    spans = []
    for m in _COMPOSABLE.finditer(text):
        composed = unicodedata.normalize("NFC", m.group())
        if composed != m.group():
            spans.append((m.start(), m.end(), composed))
    return spans


_UNICODE_SPACES = regex.compile(r"[\p{Zs}--[\x20\xa0]]+", regex.V1)


def _unicode_spaces(text: str, meta: Mapping[str, str]) -> Iterable[Span]:
    return [(m.start(), m.end(), " ") for m in _UNICODE_SPACES.finditer(text)]


# --- hard-wrapped text ----------------------------------------------------------------------
#
# An archive that wraps its text at a fixed width (Reuters-21578: about 65 columns, paragraph
# starts indented, `` Reuter`` at the end) would give one paragraph per line. Whether a text is
# wrapped is decided per text from two kinds of evidence: many lines break inside sentences,
# and those break near one width (the next word would not have fitted on the line). Only then are
# wrapped lines joined; an indented line or a blank line still starts a paragraph, and columns
# of figures (a table) are never joined. A text with one paragraph per line (each line ending a
# sentence, lines of every length) is left as it is.


@dataclass(frozen=True)
class _Line:
    start: int  # offset of the line's first character in the text
    text: str  # without the newline

    @cached_property
    def content(self) -> str:
        return self.text.strip()

    @cached_property
    def indent(self) -> int:
        return len(self.text) - len(self.text.lstrip())

    @cached_property
    def width(self) -> int:
        """Columns the line takes, its indentation included (what a wrapper counts)."""
        return len(self.text.rstrip())

    @cached_property
    def content_start(self) -> int:
        return self.start + self.indent

    @cached_property
    def content_end(self) -> int:
        return self.start + self.width


# A line that ends a sentence: full stop, question or exclamation mark, colon or semicolon,
# maybe followed by closing quotes or brackets.
_ENDS_SENTENCE = re.compile(r"[.!?:;][\"'”’)\]]*\Z")
# A table row: a gap of three spaces or a tab between two words, or two gaps of two spaces
# (two spaces after a full stop, the typist's sentence gap, do not count).
_COLUMN_GAP = re.compile(r"\S(?: {3,}|\t)\S")
_TWO_SPACE_GAP = re.compile(r"[^\s.!?:;] {2}\S")
_HAS_DIGIT = re.compile(r"\d")
REFLOW_MIN_LINES = 2  # lines that break inside a sentence: fewer give no evidence either way
REFLOW_MID_SENTENCE = 0.4  # at least this share of the lines that continue a paragraph ...
REFLOW_NEAR_WIDTH = 0.6  # ... and of those, at least this share break near the width
REFLOW_MIN_WIDTH = 40  # columns: short lines (a list, a poem) are no evidence of wrapping


def _is_table_row(line: _Line) -> bool:
    text = line.content
    return bool(_COLUMN_GAP.search(text)) or len(_TWO_SPACE_GAP.findall(text)) >= 2


def _is_figures(line: _Line) -> bool:
    """A short row of figures (``Net 807,000 vs 2,858,000``): half its words, and at least
    two, hold a digit."""
    words = line.content.split()
    figures = sum(bool(_HAS_DIGIT.search(w)) for w in words)
    return len(words) <= 8 and figures >= 2 and figures * 2 >= len(words)


def _lines(text: str) -> list[_Line]:
    out, pos = [], 0
    for part in text.split("\n"):
        out.append(_Line(pos, part))
        pos += len(part) + 1
    return out


def wrap_width(text: str) -> int | None:
    """The width ``text`` is hard-wrapped at, or ``None`` when it is not hard-wrapped.

    The evidence (see :data:`REFLOW_MIN_LINES` and the shares after it): of the lines that
    continue a paragraph (the next line is neither blank nor indented nor a table row), many
    break inside a sentence, and those mostly break near the widest line (the first line is
    not measured: a dateline taken off it leaves it short).
    """
    return _wrapping(_lines(text))[0]


def _wrapping(lines: list[_Line]) -> tuple[int | None, int, list[tuple[_Line, _Line]]]:
    """(width or ``None``, the least indentation, the line pairs that may be joined)."""
    filled = [ln for ln in lines if ln.content]
    if len(filled) < 2:
        return None, 0, []
    base = min(ln.indent for ln in filled)  # a line indented more starts a paragraph
    prose = [ln for ln in filled if not _is_table_row(ln)]
    if not prose:
        return None, base, []
    width = max(ln.width for ln in prose)
    if width < REFLOW_MIN_WIDTH:
        return None, base, []
    pairs = [(a, b) for a, b in zip(lines, lines[1:])
             if a.content and b.content and b.indent <= base
             and not _is_table_row(a) and not _is_table_row(b)]
    mid = [(a, b) for a, b in pairs if not _ENDS_SENTENCE.search(a.content)]
    if len(mid) < REFLOW_MIN_LINES or len(mid) < REFLOW_MID_SENTENCE * len(pairs):
        return None, base, pairs
    # The first line may be short because a dateline was taken off it: it counts as a line
    # that breaks inside a sentence, but not for (or against) the width.
    measured = [(a, b) for a, b in mid if a is not filled[0]]
    if not measured or sum(_near_width(a, b, width) for a, b in measured) < (
            REFLOW_NEAR_WIDTH * len(measured)):
        return None, base, pairs
    return width, base, pairs


def _near_width(a: _Line, b: _Line, width: int) -> bool:
    """The line breaks because the next word would not have fitted (give or take a few
    columns), or it is within a sixth of the width of the widest line."""
    next_word = b.content.split(None, 1)[0]
    return a.width + 1 + len(next_word) > width - 3 or a.width >= width - max(8, width // 6)


def _full(a: _Line, b: _Line, width: int) -> bool:
    """The next word would not have fitted on the line: the strict test, for a line that ends
    a sentence (where a paragraph may end)."""
    return a.width + 1 + len(b.content.split(None, 1)[0]) > width


def _reflow(text: str, meta: Mapping[str, str]) -> Iterable[Span]:
    """Join each wrapped line to the next with a space (none after a word broken at its
    hyphen: ``well-`` + ``known``), in a text :func:`wrap_width` finds wrapped."""
    lines = _lines(text)
    width, _, pairs = _wrapping(lines)
    if width is None:
        return []
    spans = []
    for a, b in pairs:
        if _ENDS_SENTENCE.search(a.content):
            if not _full(a, b, width):
                continue  # a sentence ends and the next word would have fitted: a paragraph end
        elif not _near_width(a, b, width) and (_is_figures(a) or _is_figures(b)):
            continue  # a short row of figures: a table without columns
        hyphen = (a.content.endswith("-") and a.content[-2:-1].isalnum()
                  and b.content[:1].isalnum())
        spans.append((a.content_end, b.content_start, "" if hyphen else " "))
    return spans


# --- chrome: what a scraper copies from the page around the article ---------------------------
#
# Each pattern matches a whole line and nothing a reporter writes as a sentence: a line of
# JavaScript, an advertisement marker, a row of share buttons, a newsletter promotion, a photo
# credit or a gallery counter, a navigation link. A removed line keeps its audit row, so a
# false removal can be seen and undone.

_LINE = r"(?m)^[ \t]*(?:{})[ \t]*(?:\n|\Z)"


def _lines_matching(*alternatives: str, flags: int = 0):
    return _regex(_LINE.format("|".join(alternatives)), "", flags)


# A line of JavaScript: a statement on ``window``/``document`` or an ad library, a function,
# or the brackets that close one; it ends as code ends.
_SCRIPT = (
    r"(?:(?:var|let|const)[ \t]+[\w$]+[ \t]*=|\(?function[ \t]*\(|window\.|document\.|googletag\.|"
    r"\(adsbygoogle|_taboola|_comscore|fbq\(|gtag\(|dataLayer\.|__tcfapi)[^\n]*[;{}(),]",
    r"[}\])][}\])(;, \t]*",  # only the brackets that close a block: ``})();``
)
_ADVERTISEMENT = (
    r"(?:ADVERTISEMENT|Advertisement|Sponsored(?: content)?|SPONSORED|Ad|AD)"
    r"(?:[ \t]*[-–—:][ \t]*(?:scroll|continue|story)[^\n.]{0,40})?",
    r"(?:Story|Article|Content) continues (?:below|after)(?: this)? (?:advertisement|ad)",
    r"Scroll (?:down )?to continue(?: with content)?",
)
_SHARE_WORD = (r"(?:Share(?: (?:this|on)(?: (?:article|story|page))?)?|Tweet|Facebook|Twitter|X|"
               r"Email|E-mail|WhatsApp|LinkedIn|Reddit|Pinterest|Telegram|Messenger|Print|"
               r"Copy(?: link)?|Comments?|Save)")
# Words apart by spaces or by one separator: written so that a line splits into them one way
# only (an optional separator between optional spaces would backtrack exponentially).
_SHARE = (rf"{_SHARE_WORD}(?:(?:[ \t]*[|•·/,][ \t]*|[ \t]+){_SHARE_WORD})*",)
_NEWSLETTER = (
    r"Get [^\n]*? by email[^\n]*?Sign Up",
    r"(?:Sign up|Subscribe|Register)(?: now| today| here)?(?: for| to) (?:our|the|a free|this)"
    r"[^\n.!?]{0,60}(?:newsletters?|briefing|digest)[^\n]{0,100}",
    r"(?:Get|Receive) (?:our|the) [^\n.!?]{0,60}(?:newsletter|briefing)[^\n]{0,100}",
)
_CREDITED = (r"(?:AFP|AP|Reuters|REUTERS|Getty Images|EPA|EPA-EFE|Anadolu Agency|Anadolu|Xinhua|"
             r"TASS|Sputnik|Shutterstock|SANA)")
_NAME = r"[A-Z][\w.'-]*(?: [A-Z][\w.'-]*){0,3}"
_PHOTO = (
    r"\(?(?:File )?(?:Photo|Photograph|Picture|Image)s?(?: credit)?:[^\n]{1,160}",
    r"\((?:File )?(?:Photo|Picture|Image)s? by [^\n()]{1,80}\)",
    rf"\(?(?:{_NAME}[ \t]*/[ \t]*)?{_CREDITED}(?: Photo)?(?:[ \t]*/[ \t]*{_NAME})?"
    r"(?:[ \t]*via[ \t]*Getty Images)?\)?",
)
_GALLERY = (r"(?:Photo|Image|Picture|Slide)[ \t]+\d{1,3}[ \t]+(?:of|/)[ \t]+\d{1,3}",)
_NAVIGATION = (
    r"Skip to (?:main )?(?:content|navigation)",
    r"(?:Back to top|Go to top|Return to top)",
    r"(?:Read more|READ MORE|Also read|ALSO READ|Related|RELATED|See also|Read next|"
    r"READ NEXT)(?:[ \t]*[:|»›-][ \t]*[^\n]{0,160})?",
    r"(?:Menu|MENU|Search|Log ?in|Sign ?in|Close|Home)(?:[ \t]*[|•][ \t]*(?:Menu|Search|Log ?in|"
    r"Sign ?in|Subscribe|Close|Home))*",
    r"Home[ \t]*[›»>/][ \t]*[^\n.!?]{1,120}",
)
# A wire signature on the last line (``Reuter``, ``REUTER...``), or set off by spaces after a
# table's last row; or the wire's continuation marker (``More``: the story goes on in another
# item).
_SIGNATURE = re.compile(r"(?:\n|(?<=\S)[ \t]{2,})[ \t]*(?:(?i:reuters?)(?:\.{3})?|More|more)"
                        r"\s*\Z")
_TAIL = 80  # characters looked at: the signature is short, and so the step stays linear


def _signature(text: str, meta: Mapping[str, str]) -> Iterable[Span]:
    end = len(text.rstrip())
    at = max(end - _TAIL, 0)
    m = _SIGNATURE.search(text, at)
    if m is None:
        return []
    return [(m.start() + (m.group().startswith("\n")), m.end(), "")]


STEPS: tuple[CleaningStep, ...] = (
    CleaningStep("byte_order_mark", "byte-order mark (U+FEFF) written by the editor",
                 _regex(r"\A\ufeff")),
    CleaningStep("line_endings", "Windows (CR LF), old Mac (CR) or Unicode (NEL, U+2028, "
                 "U+2029) line ending made a newline",
                 _regex(r"\r\n?|[\x85\u2028\u2029]", "\n")),
    CleaningStep("control_characters", "NUL or other control character (not text)",
                 _regex(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f]+")),
    CleaningStep("invisible_characters", "invisible character inside the text (soft hyphen, "
                 "zero-width space or joiner, word joiner, direction mark where it does "
                 "nothing): it can hide a copy", _invisible),
    CleaningStep("compatibility_characters", "ligature, fullwidth or mathematical letter or "
                 "digit made the plain one (NFKC): it can hide a copy", _compatibility),
    CleaningStep("canonical_composition", "letter and separate accent made one character "
                 "(NFC): it can hide a copy", _canonical_composition),
    CleaningStep("unicode_spaces", "other Unicode space (em, thin, ideographic ...) made a "
                 "plain space", _unicode_spaces),
    CleaningStep("wire_signature", "wire service signature (Reuter) or continuation marker (More) "
                 "ending the item",
                 _signature),
    CleaningStep("newsletter_promo", "newsletter promotion line (sign up, subscribe)",
                 _lines_matching(*_NEWSLETTER[1:])),
    CleaningStep("script", "line of JavaScript copied from the page (ads, trackers)",
                 _lines_matching(*_SCRIPT)),
    CleaningStep("advertisement", "advertisement marker line", _lines_matching(*_ADVERTISEMENT)),
    CleaningStep("share_buttons", "row of share buttons (Facebook, Twitter, Email ...)",
                 _lines_matching(*_SHARE)),
    CleaningStep("photo_credit", "photo credit or caption-credit line", _lines_matching(*_PHOTO)),
    CleaningStep("gallery_counter", "photo-gallery counter (Image 1 of 3)",
                 _lines_matching(*_GALLERY)),
    CleaningStep("navigation", "page navigation line (skip link, menu, breadcrumb, read more)",
                 _lines_matching(*_NAVIGATION)),
    CleaningStep("metadata_prefix", "scraper metadata prefix (date kept in the manifest)",
                 _regex(r"\A\s*date[ \t]+\d{4}-\d{2}-\d{2}[ \t]+")),
    CleaningStep("headline", "headline line (kept in the manifest)", _headline),
    CleaningStep("date_line", "date line (date kept in the manifest)",
                 _regex(rf"(?m)^[ \t]*\d{{1,2}} (?:{_MONTHS}),? \d{{4}}{_LINE_END}")),
    CleaningStep("newsletter", "newsletter sign-up promotion",
                 _regex(r"(?mi)^[ \t]*Get [^\n]*? by email[^\n]*?Sign Up" + _LINE_END)),
    CleaningStep("comment_form", "comment-form trailer",
                 _regex(r"(?mi)^[ \t\u00a0]*leave a reply:?" + _LINE_END)),
    CleaningStep("source_line", "source credit line", _regex(r"(?m)^[ \t]*Source: *\S+" + _LINE_END)),
    CleaningStep("contributor_credit", "contributor credit",
                 _regex(r"(?:(?<=^)|(?<=[.!?”\"]))[ \t]*[^.!?\n]*contributed to this report\.",
                        flags=re.M)),
    CleaningStep("reflow", "hard-wrapped line joined to the next: the text breaks its lines "
                 "near one width inside sentences (an indented or blank line still starts a "
                 "paragraph; tables are kept)", _reflow),
    CleaningStep("nbsp", "non-breaking space (a paragraph break where it separates sentences)",
                 _nbsp),
    CleaningStep("run_together", "paragraphs run together without a space", _run_together),
    CleaningStep("apostrophe", "apostrophe dropped by the scraper, restored",
                 _regex(r"(?<=[A-Za-z]) s(?=[ \t,.;:!?])", "'s")),
    CleaningStep("whitespace", "whitespace: paragraphs separated by one blank line, no margins",
                 _whitespace),
)

# The steps that change characters, not text: applied to the manifest headline before it is
# looked for, so a headline typed with a soft hyphen or a decomposed accent still matches.
_CHARACTER_STEPS = tuple(s for s in STEPS if s.name in (
    "invisible_characters", "compatibility_characters", "canonical_composition",
    "unicode_spaces"))
