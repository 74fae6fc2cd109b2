"""Text primitives shared by every chapter: words with offsets, sentences, a matching form.

Everything here works on the *clean* text and returns character offsets into it, so any span
can be highlighted in the original (and mapped back to the raw file through the cleaning audit).
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType

import pandas as pd
import regex
from charset_normalizer import from_bytes
from nltk.tokenize.punkt import PunktParameters, PunktSentenceTokenizer


class AnalysisError(ValueError):
    """Base of every input error the package raises: says which file, row and field is bad.

    ``row`` is the line number in the file (the header is row 1), so an analyst can open the
    file and go straight to it.
    """

    def __init__(self, message: str, *, file: Path | str, row: int | None = None,
                 field: str | None = None):
        where = str(file)
        if row is not None:
            where += f", row {row}"
        if field is not None:
            where += f", field '{field}'"
        super().__init__(f"{where}: {message}")
        self.file, self.row, self.field, self.reason = str(file), row, field, message


class TableError(AnalysisError):
    """A hand-made or annotation CSV table that cannot be read as documented."""


# What a file that is not UTF-8 may be instead. Detection over every code page is unreliable
# on short texts (charset-normalizer calls "café au lait" in cp1252 cp1006, Urdu), so it only
# chooses among the encodings a Western editor saves: Windows-1252 ("ANSI") and Latin-1.
FALLBACK_ENCODINGS = ("cp1252", "latin_1")
_UTF16_BOMS = {codecs.BOM_UTF16_LE: "utf-16-le", codecs.BOM_UTF16_BE: "utf-16-be"}
ENCODING_FIX = ("re-save the file as UTF-8, or name its encoding in the manifest's 'encoding' "
                "column")


def decode_bytes(data: bytes, *, file: Path | str, encoding: str | None = None,
                 error: type[AnalysisError] = AnalysisError, row: int | None = None,
                 field: str | None = None) -> tuple[str, str]:
    """Decode a file's bytes; returns ``(text, encoding)``. Nothing is dropped or replaced.

    With ``encoding`` given, that codec is used. Otherwise UTF-16 with a byte-order mark, then
    UTF-8, then the best of :data:`FALLBACK_ENCODINGS` that charset-normalizer finds coherent.
    A byte-order mark stays in the text (cleaning removes it with an audit row), so
    ``text.encode(encoding) == data``. Raises ``error`` with the fix when none fits.
    """
    if encoding:
        try:
            name = codecs.lookup(encoding).name
        except LookupError:
            raise error(f"unknown encoding {encoding!r}", file=file, row=row,
                        field=field) from None
        try:
            return data.decode(name), name
        except UnicodeDecodeError as err:
            raise error(f"not {name}: byte {data[err.start]:#04x} at offset {err.start}",
                        file=file, row=row, field=field) from None
    for bom, name in _UTF16_BOMS.items():
        if data.startswith(bom):
            try:
                return data.decode(name), name
            except UnicodeDecodeError:
                break
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as err:
        bad = f"byte {data[err.start]:#04x} at offset {err.start}"
    best = from_bytes(data, cp_isolation=list(FALLBACK_ENCODINGS)).best()
    if best is None:
        raise error(f"not UTF-8 ({bad}) and not readable as Windows-1252 or Latin-1 text: "
                    f"{ENCODING_FIX}", file=file, row=row, field=field)
    name = codecs.lookup(best.encoding).name
    return data.decode(name), name


def read_table(path: Path | str, columns: tuple[str, ...] | list[str], *,
               required: tuple[str, ...] | list[str] = (), error: type[AnalysisError] = TableError,
               ) -> pd.DataFrame:
    """Read a tidy CSV table whose header must hold ``columns``; every cell is a stripped string.

    Raises ``error`` (a subclass of :class:`AnalysisError`) naming the file, row and field when
    the file is absent, a column is missing, a row has more or fewer fields than the header, or a
    ``required`` field is empty. Extra columns are kept. A leading byte-order mark (as Excel's
    "CSV UTF-8" writes) is ignored, and a table saved as Windows-1252 or Latin-1 is decoded (see
    :func:`decode_bytes`). The frame has a ``_row`` column with each record's line.
    """
    path = Path(path)
    if not path.is_file():
        raise error("table not found", file=path)
    content, _ = decode_bytes(path.read_bytes(), file=path, error=error)
    with io.StringIO(content.removeprefix("\ufeff"), newline="") as fh:
        reader = csv.DictReader(fh)
        header = [h.strip() for h in (reader.fieldnames or [])]
        reader.fieldnames = header
        for name in columns:
            if name not in header:
                raise error("required column missing from the header", file=path, row=1,
                            field=name)
        rows = []
        for record in reader:
            line = reader.line_num
            if None in record:
                raise error(f"more fields than the header's {len(header)}", file=path, row=line)
            missing = [k for k, v in record.items() if v is None]
            if missing:
                raise error("fewer fields than the header", file=path, row=line,
                            field=missing[0])
            record = {k: v.strip() for k, v in record.items()}
            for name in required:
                if not record.get(name):
                    raise error("required field is empty", file=path, row=line, field=name)
            record["_row"] = line
            rows.append(record)
    return pd.DataFrame(rows, columns=[*header, "_row"])

# Words: digit groups ("900,000", "3.6"), and letter runs joined by hyphens or apostrophes
# ("S-400", "Syria's", "Syria’s", "al-Assad"). Punctuation is not a word.
WORD_PATTERN = r"\d+(?:[.,]\d+)*(?:-\w+)*|[^\W\d_]+(?:[-'’][^\W_]+)*|\d+[^\W\d_]\w*"
# The engine and flags nltk's RegexpTokenizer uses, without the wall-clock guard nltk puts on
# a whole text: the pattern is fixed and linear, and the guard stopped 20 MB texts.
_WORDS = regex.compile(WORD_PATTERN, regex.UNICODE | regex.MULTILINE | regex.DOTALL)

# Abbreviations Punkt must not end a sentence on (lower case, without the final full stop).
ABBREVIATIONS = frozenset({
    "u.s", "u.n", "u.k", "e.u", "govt", "gov", "mr", "mrs", "ms", "dr", "gen", "col", "lt",
    "maj", "sgt", "capt", "adm", "rep", "sen", "st", "jan", "feb", "mar", "apr", "aug", "sep",
    "sept", "oct", "nov", "dec", "no", "vs", "etc", "inc", "corp", "ltd", "co", "approx",
})

# One character to one character, so offsets survive folding.
_FOLD = str.maketrans({
    "‘": "'", "’": "'", "‛": "'", "′": "'", "“": '"', "”": '"', "„": '"', "″": '"',
    "–": "-", "—": "-", "‐": "-", "‑": "-", "−": "-", "\u00a0": " ",
})


def fold_chars(text: str) -> str:
    """Curly quotes to straight, dashes to hyphens, no-break spaces to spaces; same length."""
    return text.translate(_FOLD)


def _fold_one(char: str) -> str:
    """One character's case fold, as one character (see :func:`fold_case`)."""
    folded = char.casefold()
    if len(folded) == 1:
        return folded
    lower = char.lower()
    return lower if len(lower) == 1 else lower[0]


@lru_cache(maxsize=1)
def _case_expanding() -> tuple[regex.Pattern, dict[str, str]]:
    """The characters whose full case fold is longer than one character, and their fold.

    All are in the Basic Multilingual Plane (``ß``, ``İ``, ``ŉ``, Greek with accents and iota
    subscripts, the ``ﬀ``-``ﬆ`` ligatures, ...); built on first need, as scanning the plane
    takes a moment.
    """
    chars = {c: _fold_one(c) for c in map(chr, range(0x10000))
             if not "\ud800" <= c <= "\udfff" and len(c.casefold()) != 1}
    return regex.compile("[" + "".join(regex.escape(c) for c in chars) + "]"), chars


def fold_case(text: str) -> str:
    """Case-free form of ``text``, one character for one: ``len(fold_case(t)) == len(t)``.

    An offset found in the fold (a regular-expression match, a ``find``) is the same offset
    in ``text``, which ``text.lower()`` does not promise: ``"İ".lower()`` is two code points
    (``i`` and a combining dot above), so every offset after a Turkish capital I would move.

    Each character becomes its full case fold (``str.casefold``) when that is one character
    (``Σ``, ``σ`` and ``ς`` all give ``σ``; ``ẞ`` gives ``ß``), else its lower case when that
    is one character (``ß``, ``ﬁ`` and accented Greek with a long fold stay as they are, so
    ``Straße`` and ``STRASSE`` do not meet), else the first character of its lower case: the
    only such character, ``İ`` (U+0130), gives a plain ``i``, so ``İdlib``, ``IDLIB`` and
    ``Idlib`` all fold to ``idlib``. No locale rule is applied (Turkish ``I`` still gives ``i``,
    not ``ı``).
    """
    folded = text.casefold()
    if len(folded) == len(text):  # no character expanded (a fold is never empty)
        return folded
    pattern, one = _case_expanding()
    out, pos = [], 0
    for m in pattern.finditer(text):
        out += [text[pos:m.start()].casefold(), one[m.group()]]
        pos = m.end()
    out.append(text[pos:].casefold())
    result = "".join(out)
    if len(result) != len(text):  # pragma: no cover - an expanding character past the BMP
        result = "".join(map(_fold_one, text))
    return result


def word_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of the words of ``text``."""
    return [m.span() for m in _WORDS.finditer(text)]


def words(text: str) -> list[str]:
    """The words of ``text`` (see :data:`WORD_PATTERN`)."""
    return [text[s:e] for s, e in word_spans(text)]


@lru_cache(maxsize=1)
def _punkt() -> PunktSentenceTokenizer:
    params = PunktParameters()
    params.abbrev_types = set(ABBREVIATIONS)
    return PunktSentenceTokenizer(params)


def _open_quote(chunk: str) -> bool:
    """True when a quotation opened in ``chunk`` is still open at its end."""
    return _quote_open(_quote_counts(chunk, 0, len(chunk)))


def _quote_counts(text: str, start: int, end: int) -> tuple[int, int, int]:
    return (text.count("“", start, end), text.count("”", start, end),
            text.count('"', start, end))


def _quote_open(counts: tuple[int, int, int]) -> bool:
    opening, closing, straight = counts
    return opening > closing or straight % 2 == 1


def sentence_spans(paragraph: str) -> list[tuple[int, int]]:
    """Sentence spans of one paragraph: nltk Punkt with known abbreviations, no data download.

    Punkt splits inside quotations at ``... No one`` or ``?`` within a quote; a sentence that
    leaves a quotation open is joined to the next, so a quoted statement stays in one sentence.
    Quote marks are counted as the sentences grow, so a quote left open stays linear.
    """
    spans: list[tuple[int, int]] = []
    counts = (0, 0, 0)  # quote marks in spans[-1]
    for start, end in _punkt().span_tokenize(paragraph):
        if spans and _quote_open(counts):
            more = _quote_counts(paragraph, spans[-1][1], end)
            counts = (counts[0] + more[0], counts[1] + more[1], counts[2] + more[2])
            spans[-1] = (spans[-1][0], end)
        else:
            counts = _quote_counts(paragraph, start, end)
            spans.append((start, end))
    return spans


# --- Matching forms (added for the reuse chapter) ----------------------------------------------

SPELLING_TABLE = Path(__file__).resolve().parent.parent / "data" / "spelling" / "variants.csv"


@dataclass(frozen=True)
class Token:
    """One word of a text: its surface form, offsets in that text, and its matching form."""

    text: str
    start: int
    end: int
    form: str


@lru_cache(maxsize=4)
def spelling_variants(path: Path | str | None = None) -> Mapping[str, str]:
    """British form -> American form, from ``data/spelling/variants.csv`` (or ``path``).

    The table is cached and shared, so it is returned read-only (a ``MappingProxyType``).
    Raises ``ValueError`` naming the file and row when the table lacks its columns, a row has
    too few or too many fields or an empty form, or one form is mapped two ways.
    """
    path = Path(path) if path is not None else SPELLING_TABLE
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        if not {"british", "american"} <= set(reader.fieldnames or []):
            raise ValueError(f"{path}: header must have 'british' and 'american' columns")
        table: dict[str, str] = {}
        for row in reader:
            where = f"{path}, row {reader.line_num}"
            if None in row:
                raise ValueError(f"{where}: more fields than the header has")
            if row["british"] is None or row["american"] is None:
                raise ValueError(f"{where}: too few fields (needs 'british' and 'american')")
            british = fold_case(row["british"].strip())
            american = fold_case(row["american"].strip())
            if not british or not american:
                raise ValueError(f"{where}: empty form")
            if table.get(british, american) != american:
                raise ValueError(f"{where}: {british!r} mapped twice")
            table[british] = american
    return MappingProxyType(table)


# Characters with no look of their own (joiners, variation selectors): cleaning keeps the few
# that matter in their script (a zero-width non-joiner in Persian, say); words match without.
_IGNORABLE = regex.compile(r"\p{Default_Ignorable_Code_Point}+")


def match_form(word: str, variants: Mapping[str, str] | None = None) -> str:
    """The form words are matched on: case, quote and dash styles and spelling folded.

    ``Defence``, ``defense`` and ``DEFENSE`` all give ``defense``; ``Syria’s`` gives
    ``syria's``; ``İstanbul`` gives ``istanbul`` (see :func:`fold_case`). Characters with no
    look of their own (zero-width joiners, variation selectors) are left out, so a word written
    with or without them is one form. The form is a key only, never sliced with offsets.
    ``variants`` maps British to American forms (default: the book's table).
    """
    folded = fold_case(fold_chars(word))
    if not folded.isascii():
        folded = _IGNORABLE.sub("", folded)
    table = spelling_variants() if variants is None else variants
    return table.get(folded, folded)


def tokens(text: str, variants: Mapping[str, str] | None = None) -> list[Token]:
    """The words of ``text`` with offsets into it and their matching forms."""
    table = spelling_variants() if variants is None else variants
    return [Token(text[s:e], s, e, match_form(text[s:e], table)) for s, e in word_spans(text)]
