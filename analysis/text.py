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

    def __str__(self) -> str:
        """The message with control characters escaped (:func:`terminal_safe`): file names and
        values in it come from the input and may hold terminal escape sequences."""
        return terminal_safe(super().__str__())


# Characters that must not reach a terminal as they are: C0 and C1 controls (escape sequences
# change titles, clear the screen or write the clipboard; newline and tab too, so a message
# stays one line), format characters (bidi overrides that reorder what is shown, zero-width
# characters that hide it), lone surrogates (undecodable file names) and line separators.
_UNSAFE = regex.compile(r"[\p{Cc}\p{Cf}\p{Cs}\p{Zl}\p{Zp}]")
_JOINERS = frozenset("\u200c\u200d")  # zero-width (non-)joiner: part of some scripts and emoji


def _escape(match: regex.Match) -> str:
    char = match.group()
    if char in _JOINERS:
        return char
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else (f"\\u{code:04x}" if code < 0x10000
                                                   else f"\\U{code:08x}")


def terminal_safe(s: str) -> str:
    """``s`` safe to print: control and format characters escaped as ``\\x1b``, ``\\u202e``.

    Escapes C0/C1 control characters (newline and tab included), Unicode format characters
    (bidi overrides and isolates, zero-width spaces; the zero-width joiners stay), lone
    surrogates and line/paragraph separators. Everything else, backslashes included, is kept,
    so the function is idempotent and plain text (accents, curly quotes, emoji) is unchanged.
    """
    return s if s.isprintable() else _UNSAFE.sub(_escape, s)


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
            british, american = row["british"].strip().lower(), row["american"].strip().lower()
            if not british or not american:
                raise ValueError(f"{where}: empty form")
            if table.get(british, american) != american:
                raise ValueError(f"{where}: {british!r} mapped twice")
            table[british] = american
    return MappingProxyType(table)


def match_form(word: str, variants: Mapping[str, str] | None = None) -> str:
    """The form words are matched on: case, quote and dash styles and spelling folded.

    ``Defence``, ``defense`` and ``DEFENSE`` all give ``defense``; ``Syria’s`` gives
    ``syria's``. ``variants`` maps British to American forms (default: the book's table).
    """
    folded = fold_chars(word).lower()
    table = spelling_variants() if variants is None else variants
    return table.get(folded, folded)


def tokens(text: str, variants: Mapping[str, str] | None = None) -> list[Token]:
    """The words of ``text`` with offsets into it and their matching forms."""
    table = spelling_variants() if variants is None else variants
    return [Token(text[s:e], s, e, match_form(text[s:e], table)) for s, e in word_spans(text)]
