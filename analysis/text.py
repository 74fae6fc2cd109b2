"""Text primitives shared by every chapter: words with offsets, sentences, a matching form.

Everything here works on the *clean* text and returns character offsets into it, so any span
can be highlighted in the original (and mapped back to the raw file through the cleaning audit).
"""

from __future__ import annotations

import codecs
import csv
import io
import os
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files
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
    UTF-8, then the best of :data:`FALLBACK_ENCODINGS` that charset-normalizer finds coherent;
    a file that opens with a UTF-8 byte-order mark but is not UTF-8 is refused (it mixes
    encodings, and any fallback would garble its UTF-8 part).
    A byte-order mark stays in the text (cleaning removes it with an audit row), so
    ``text.encode(encoding) == data``. Raises ``error`` with the fix when none fits.
    """
    if encoding:
        try:
            name = codecs.lookup(encoding).name
        except LookupError:
            raise error(f"unknown encoding {shown(encoding)}", file=file, row=row,
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
    if data.startswith(codecs.BOM_UTF8):  # decoding it otherwise would garble its UTF-8 part
        raise error(f"starts with a UTF-8 byte-order mark but is not UTF-8 ({bad}): it mixes "
                    "encodings; re-save it as UTF-8", file=file, row=row, field=field)
    best = from_bytes(data, cp_isolation=list(FALLBACK_ENCODINGS)).best()
    if best is None:
        raise error(f"not UTF-8 ({bad}) and not readable as Windows-1252 or Latin-1 text: "
                    f"{ENCODING_FIX}", file=file, row=row, field=field)
    name = codecs.lookup(best.encoding).name
    return data.decode(name), name


# What a file is when its first bytes are those of a document, archive or image format.
_FORMATS = (
    (b"PK\x03\x04", "a zip archive (as a spreadsheet or document saved as .xlsx, .ods or "
                    ".docx is)"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Office document (.xls or .doc)"),
    (b"%PDF-", "a PDF document"),
    (b"{\\rtf", "an RTF document"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
)


def binary_format(data: bytes) -> str | None:
    """What ``data`` is when it starts as a document, archive or image file does, else None."""
    for magic, kind in _FORMATS:
        if data.startswith(magic):
            return kind
    return None


def shown(value: str, limit: int = 60) -> str:
    """``repr`` of an input value for a message, cut to ``limit`` characters."""
    if len(value) <= limit:
        return repr(value)
    return f"{value[:limit]!r}... ({len(value):,} characters)"


def _looks_utf16(data: bytes) -> bool:
    """True when every other byte is NUL, as in UTF-16 text without a byte-order mark."""
    sample = data[:4000]
    return len(sample) >= 4 and (sample[0::2].count(0) > len(sample) // 4
                                 or sample[1::2].count(0) > len(sample) // 4)


def _table_text(path: Path, error: type[AnalysisError]) -> str:
    """The text of a table file, or ``error`` saying why it is not a CSV text."""
    if path.is_dir():
        raise error("is a folder, not a table file", file=path)
    if not path.is_file():
        raise error("is not a regular file (a pipe, a device or a broken link)" if
                    os.path.lexists(path) else "table not found", file=path)
    try:
        data = path.read_bytes()
    except OSError as err:
        raise error(f"cannot read the table ({err.strerror or err})", file=path) from None
    kind = binary_format(data)
    if kind:
        raise error(f"this is {kind}, not a CSV table: save it as CSV ('CSV UTF-8' in a "
                    "spreadsheet)", file=path)
    if b"\x00" in data and not data.startswith(tuple(_UTF16_BOMS)) and _looks_utf16(data):
        raise error("every other byte is NUL: this looks like UTF-16 without a byte-order "
                    "mark; re-save the table as CSV UTF-8", file=path, row=1)
    content, _ = decode_bytes(data, file=path, error=error)
    content = content.removeprefix("\ufeff")
    if not content.strip():
        raise error("the table is empty: it needs a header row naming its columns", file=path)
    return content


def _table_header(reader: Iterator[list[str]], path: Path, columns: Iterable[str],
                  error: type[AnalysisError]) -> list[str]:
    """The stripped header; refuses a blank, NUL, repeated or missing column name."""
    try:
        first = next(reader, [])
    except csv.Error as err:
        raise error(f"the header cannot be read as CSV ({err})", file=path, row=1) from None
    header = [h.strip() for h in first]
    if not any(header):
        raise error("the first line is empty: it must be the header naming the columns",
                    file=path, row=1)
    seen: dict[str, int] = {}
    for number, name in enumerate(header, start=1):
        if "\x00" in name:
            raise error("the header holds a NUL character: re-save the table as CSV UTF-8",
                        file=path, row=1)
        if name in seen:
            raise error(f"column {name!r} appears twice in the header (columns {seen[name]} "
                        f"and {number}); keep one", file=path, row=1, field=name)
        if name:
            seen[name] = number
    for name in columns:
        if name not in seen:
            like = [h for h in seen if h.casefold() == name.casefold()]
            hint = (f"; the header has {like[0]!r} (column names are lower case)" if like else
                    f"; the header has {', '.join(shown(h, 30) for h in list(seen)[:12])}")
            raise error(f"required column missing from the header{hint}", file=path, row=1,
                        field=name)
    return header


def read_table(path: Path | str, columns: tuple[str, ...] | list[str], *,
               required: tuple[str, ...] | list[str] = (), error: type[AnalysisError] = TableError,
               ) -> pd.DataFrame:
    """Read a tidy CSV table whose header must hold ``columns``; every cell is a stripped string.

    Raises ``error`` (a subclass of :class:`AnalysisError`) naming the file, row and field when
    the file is absent, a folder, unreadable, empty or not CSV text (a spreadsheet, a binary
    file, UTF-16 without a byte-order mark); when a header column is missing, repeated or holds
    values without a name; or when a row has more or fewer fields than the header, a quote mark
    that never closes, a NUL character, or an empty ``required`` field. ``row`` is the line a
    record starts on (the header is row 1), even when a quoted cell spans lines.

    Extra columns are kept. Rows whose cells are all empty (a spreadsheet's trailing rows), empty
    cells past the header's end and empty columns without a name are skipped: they hold nothing.
    A leading byte-order mark (as Excel's "CSV UTF-8" writes) is ignored, and a table saved as
    Windows-1252, Latin-1 or UTF-16 with a byte-order mark is decoded (see :func:`decode_bytes`).
    Cells of any length are read. The frame has a ``_row`` column with each record's line.
    """
    path = Path(path)
    content = _table_text(path, error)
    n_lines = len(io.StringIO(content, newline="").readlines())
    limit = csv.field_size_limit(max(csv.field_size_limit(), len(content) + 1))
    try:
        reader = csv.reader(io.StringIO(content, newline=""))
        header = _table_header(reader, path, columns, error)
        names = [h for h in header if h]
        rows = []
        while True:
            line = reader.line_num + 1
            try:
                cells = next(reader)
            except StopIteration:
                break
            except csv.Error as err:
                raise error(f"cannot be read as CSV ({err})", file=path, row=line) from None
            if any(c.strip() for c in cells):
                rows.append(_table_record(cells, header, path, line, error, required,
                                          last=reader.line_num >= n_lines))
    finally:
        csv.field_size_limit(limit)
    return pd.DataFrame(rows, columns=[*names, "_row"])


def _table_record(cells: list[str], header: list[str], path: Path, line: int,
                  error: type[AnalysisError], required: Iterable[str], *, last: bool) -> dict:
    """One row of a table as ``{column: stripped cell, "_row": line}``, or ``error``."""
    def bad(message: str, name: str | None = None) -> AnalysisError:
        return error(message, file=path, row=line, field=name or None)

    n = len(header)
    extra = [c for c in cells[n:] if c.strip()]
    if extra:
        raise bad(f"more fields than the header's {n} (extra value {shown(extra[0].strip())})")
    if len(cells) < n:
        if last and ("\n" in cells[-1] or "\r" in cells[-1]):
            raise bad("a quote mark opens this field and never closes, so the rest of the file "
                      "was read into it: close the quote (or double it, \"\", inside a value)",
                      header[len(cells) - 1])
        raise bad("fewer fields than the header", header[len(cells)])
    record: dict = {}
    for number, (name, cell) in enumerate(zip(header, cells), start=1):
        value = cell.strip()
        if "\x00" in value:
            raise bad("the field holds a NUL character: re-save the table as CSV UTF-8", name)
        if not name:
            if value:
                raise bad(f"column {number} has no name in the header, but this row holds "
                          f"{shown(value)} there: name the column or empty it")
            continue
        record[name] = value
    for name in required:
        if not record.get(name):
            raise bad("required field is empty", name)
    record["_row"] = line
    return record

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

def resource(*parts: str) -> Path:
    """A file shipped inside the package (``analysis/resources/...``), found with
    :mod:`importlib.resources` so it is there in any installation, not only in a checkout."""
    return Path(str(files("analysis").joinpath("resources", *parts)))


SPELLING_TABLE = resource("spelling", "variants.csv")


@dataclass(frozen=True)
class Token:
    """One word of a text: its surface form, offsets in that text, and its matching form."""

    text: str
    start: int
    end: int
    form: str


@lru_cache(maxsize=4)
def spelling_variants(path: Path | str | None = None) -> Mapping[str, str]:
    """British form -> American form, from the package's ``resources/spelling/variants.csv``
    (or ``path``).

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
