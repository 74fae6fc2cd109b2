"""The corpus: a manifest of articles, their raw texts, cleaned texts, paragraphs and sentences.

A corpus folder holds ``manifest.csv`` and the article files. The *text folder* is ``raw/`` when
the folder has one, else the folder itself. :func:`load_corpus` reads it, checks it and returns
tidy frames with stable ids. The caller names the folder; nothing here reads the environment
or knows a folder of its own.

The folder is untrusted input, and nothing in it is left out in silence:

- a manifest ``file`` is a path inside the text folder, with ``/`` between sub-folders (no
  absolute path, no ``..``, no symbolic link); every file is checked against its checksum, and a
  file that is not UTF-8 is decoded only as Windows-1252 or Latin-1 (see
  :func:`analysis.text.decode_bytes`);
- :func:`survey` finds every ``.txt`` file of the text folder (any case of the suffix, in
  sub-folders too). A file that is not loaded is named with the reason: not in the manifest,
  empty, without words, markup (an HTML or XML page), a document or image format, another
  suffix than ``.txt``, a symbolic link, or, when ``raw/`` exists, a ``.txt`` file outside it.
  Hidden files and folders and system files (``.DS_Store``, ``Thumbs.db``, ``desktop.ini``,
  ``__MACOSX``) are ignored, and so, beside the manifest, are its backups and the
  ``annotations/``, ``speakers/`` and ``framing/`` folders;
- byte-identical files are both loaded and named (a warning), and so are files whose bytes
  differ but whose text after cleaning is the same (a copy saved again with other line
  endings, white space or page chrome). Duplicates are kept, not dropped: whether two rows
  are one article saved twice or two articles that happen to match is the analyst's call;
- a short paragraph standing verbatim at the same place in many of an outlet's articles is
  named as likely page boilerplate (:func:`repeated_paragraphs`), and kept.

``load_corpus(errors=[])`` skips a bad document and records why instead of stopping the run.
``python -m analysis.corpus init|check FOLDER`` prints every such line with control characters
escaped (:func:`analysis.text.terminal_safe`) and ends in a one-line error, never a traceback.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import datetime as dt
import hashlib
import os
import re
import shutil
import sys
import tempfile
import warnings
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath, PureWindowsPath

import pandas as pd

from analysis import cleaning, text
from analysis.text import (AnalysisError, binary_format, decode_bytes, read_table, shown,
                           terminal_safe)

MANIFEST = "manifest.csv"
BACKUP = MANIFEST + ".bak"  # init --force keeps the old manifest as manifest.csv.bak-<time>
# Folders beside the manifest that hold other inputs, never articles (see the README).
RESERVED = frozenset({"annotations", "speakers", "framing"})
# System files that are never articles, ignored wherever they are (as are hidden files).
SYSTEM_FILES = frozenset({".ds_store", "thumbs.db", "desktop.ini", "__macosx"})

REQUIRED_FIELDS = ("id", "file", "sha256", "outlet", "date")
OPTIONAL_FIELDS = ("label", "outlet_evidence", "headline", "date_basis", "dateline", "agency",
                   "notes", "encoding")
_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)
_SHA256 = re.compile(r"[0-9a-fA-F]{64}")

# Limits that keep one article within what the loader handles in linear time: a bigger file is
# refused with a clear error rather than left to run for minutes. Sentence splitting (nltk
# Punkt) runs each paragraph under nltk's 5-second regular-expression guard, so a "paragraph"
# of megabytes (a file with no line breaks at all) is refused too.
MAX_FILE_BYTES = 50_000_000
MAX_PARAGRAPH_CHARS = 1_000_000


class CorpusError(AnalysisError):
    """Bad corpus input; the message names the file and, where it applies, the row and field.

    ``step`` says which check refused it (``manifest``, ``path``, ``read``, ``checksum``,
    ``decode``, ``empty``, ``no_words``, ``markup``, ``not_text``, ``size``, ``clean``,
    ``sentences``, ``unlisted``, ``outside``, ``name``) or, for a warning, ``duplicate``
    (byte-identical files), ``duplicate_text`` (the same text after cleaning) or
    ``boilerplate`` (a paragraph repeated at one place across an outlet's articles).
    """

    def __init__(self, message: str, *, file: Path | str, row: int | None = None,
                 field: str | None = None, step: str = ""):
        super().__init__(message, file=file, row=row, field=field)
        self.step = step


class CorpusWarning(UserWarning):
    """Something a strict :func:`load_corpus` loaded but names (byte-identical files)."""


@dataclass(frozen=True)
class DocumentError:
    """One document or file a lenient :func:`load_corpus` did not load, and why.

    ``level`` is ``"error"`` (not loaded) or ``"warning"`` (loaded, but worth knowing: a
    byte-identical duplicate).
    """

    article_id: str
    file: str
    row: int | None
    step: str
    message: str
    level: str = "error"

    @classmethod
    def from_error(cls, err: CorpusError, article_id: str = "",
                   level: str = "error") -> DocumentError:
        return cls(article_id, err.file, err.row, err.step, str(err), level)


@dataclass(frozen=True)
class Skipped:
    """A file of the corpus folder that is not an article to load, and why."""

    path: Path
    step: str
    reason: str


@dataclass(frozen=True)
class Survey:
    """What a corpus folder holds: its text folder, the ``.txt`` files in it (sub-folders
    included, in path order) and every other file that is not loaded, with the reason."""

    root: Path
    folder: Path
    texts: tuple[Path, ...]
    skipped: tuple[Skipped, ...]


@dataclass(frozen=True)
class Plan:
    """A starter manifest before it is written: one row per article file, and what was left out."""

    root: Path
    rows: tuple[tuple[str, ...], ...]
    skipped: tuple[Skipped, ...]
    twins: tuple[tuple[str, str], ...] = ()  # (file, earlier file with the same bytes), listed


@dataclass(frozen=True, eq=False)
class Corpus:
    """Tidy frames over one corpus folder; ids are stable across runs.

    - ``articles``: one row per article, manifest fields plus raw and clean text and counts.
    - ``paragraphs``: ``paragraph_id`` = ``<article>-p<nn>``, clean-text offsets.
    - ``sentences``: ``sentence_id`` = ``<article>-s<nn>``, numbered through the article.
    - ``edits``: the cleaning audit, one row per change with raw and clean offsets and reason.
    """

    root: Path
    articles: pd.DataFrame
    paragraphs: pd.DataFrame
    sentences: pd.DataFrame
    edits: pd.DataFrame
    cleaned: dict[str, cleaning.Cleaned] = field(repr=False)

    def text(self, article_id: str) -> str:
        """The clean text of one article."""
        return self.cleaned[article_id].text


def corpus_root(root: Path | str | None = None) -> Path:
    """The corpus folder ``root``, resolved; the caller always names it (the library knows no
    folder of its own, and reads no environment)."""
    if root is None:
        raise CorpusError("no corpus folder given: name the folder that holds manifest.csv",
                          file="(none)", step="manifest")
    try:
        return Path(root).expanduser().resolve()
    except (OSError, RuntimeError) as err:
        raise CorpusError(f"cannot use this folder ({err})", file=root, step="path") from None


def _check_folder(root: Path) -> None:
    """Refuse a corpus folder that does not exist or is a file."""
    if not root.exists():
        raise CorpusError("folder does not exist", file=root, step="path")
    if not root.is_dir():
        raise CorpusError("is not a folder (it is a file): give the corpus folder, the one that "
                          "holds manifest.csv and the articles", file=root, step="path")
    if (root / "raw").is_symlink():
        raise CorpusError("the raw/ folder is a symbolic link; copy the files into the corpus "
                          "folder", file=root / "raw", step="path")


def text_dir(root: Path) -> Path:
    """Where the article files live: ``raw/`` when the folder has one, else the folder itself."""
    return root / "raw" if (root / "raw").is_dir() else root


def is_text_name(name: str) -> bool:
    """True for a ``.txt`` file name, whatever the case of the suffix (``.TXT``, ``.Txt``)."""
    return name.lower().endswith(".txt") and len(name) > 4


def sha256_file(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def survey(root: Path | str | None = None) -> Survey:
    """Every file of a corpus folder that matters: see the module docstring for the rules.

    The text folder is searched through all its sub-folders. Symbolic links are named and not
    followed, a folder that cannot be listed is named (step ``read``), and a file with another
    suffix than ``.txt`` is named (step ``not_text``). When the text folder is ``raw/``, a
    ``.txt`` file anywhere else in the corpus folder is named (step ``outside``); other files
    there (a README, the tables the chapters read, results) are not articles and are left alone.
    """
    root = corpus_root(root)
    _check_folder(root)
    folder = text_dir(root)
    texts: list[Path] = []
    skipped: list[Skipped] = []
    beside = frozenset({MANIFEST, *RESERVED})
    _walk(folder, texts, skipped, top=beside if folder == root else frozenset())
    if folder != root:
        outside: list[Path] = []
        _walk(root, outside, skipped, top=beside | {"raw"}, texts_only=True)
        skipped += [Skipped(p, "outside", "outside raw/: move it into raw/ and list it in the "
                            "manifest, or it is not loaded") for p in outside]
    return Survey(root, folder, tuple(texts), tuple(skipped))


def _walk(directory: Path, texts: list[Path], skipped: list[Skipped], *,
          top: frozenset[str] = frozenset(), texts_only: bool = False) -> None:
    """Add the ``.txt`` files under ``directory`` to ``texts`` and name the others in
    ``skipped``; ``top`` names are passed over in ``directory`` itself. With ``texts_only``
    (the corpus folder beside ``raw/``) only ``.txt`` files, links included, are collected,
    and nothing else is named, not even a folder that cannot be listed (such as a disk's
    ``lost+found``): no article is read from there."""
    try:
        with os.scandir(directory) as entries:
            found = sorted(entries, key=lambda e: e.name)
    except OSError as err:
        if texts_only:
            return
        skipped.append(Skipped(directory, "read", f"cannot list this folder ({err.strerror or err})"
                               ": the files in it are neither checked nor loaded"))
        return
    for entry in found:
        name, path = entry.name, Path(entry.path)
        if name.startswith(".") or name.lower() in SYSTEM_FILES or name in top or (
                top and name.startswith(BACKUP)):
            continue
        try:
            if entry.is_symlink():
                if texts_only and is_text_name(name):
                    texts.append(path)
                elif not texts_only:
                    skipped.append(Skipped(path, "path", "symbolic link: not followed; copy the "
                                           "file itself into the folder (links are refused so "
                                           "the corpus cannot point elsewhere)"))
            elif entry.is_dir(follow_symlinks=False):
                _walk(path, texts, skipped, texts_only=texts_only)
            elif texts_only:
                if is_text_name(name) and entry.is_file(follow_symlinks=False):
                    texts.append(path)
            elif not entry.is_file(follow_symlinks=False):
                skipped.append(Skipped(path, "read", "not a regular file (a pipe, socket or "
                                       "device): not loaded"))
            elif is_text_name(name):
                texts.append(path)
            else:
                skipped.append(Skipped(path, "not_text", "not a .txt file: not loaded (save an "
                                       "article as plain text with a .txt name, and list it)"))
        except OSError as err:
            skipped.append(Skipped(path, "read", f"cannot be read ({err.strerror or err})"))


# Markup rather than text: a file that opens as an HTML, XML or feed document does, or one in
# which tags are a fifth of the characters (at least five of them, two of them closing tags:
# wire copy writes company names and tickers in angle brackets, "<Drexel Burnham Lambert Inc>",
# "<MER>", which open but never close).
_MARKUP_START = re.compile(r"<\?xml\b|<!doctype\s+html\b|<html\b|<rss\b|<feed\b", re.IGNORECASE)
_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9:-]*(?:\s[^<>]*)?/?>")


def markup_kind(raw: str) -> str | None:
    """What markup ``raw`` is (``"an HTML page"``...) when it is a page rather than text."""
    head = raw.lstrip("\ufeff \t\r\n")[:100].lower()
    match = _MARKUP_START.match(head)
    if match:
        opening = match.group()
        return ("an XML document" if opening.startswith("<?xml") and "<html" not in raw[:2000]
                .lower() else "a news feed (RSS or Atom)" if opening.startswith(("<rss", "<feed"))
                else "an HTML page")
    tags = n = closing = 0
    for tag in _TAG.finditer(raw):
        tags, n = tags + len(tag.group()), n + 1
        closing += tag.group().startswith("</")
    if n >= 5 and closing >= 2 and tags * 5 >= len("".join(raw.split())):
        return f"HTML or XML markup ({n} tags)"
    return None


def _name_problem(relative: str) -> tuple[str, str] | None:
    """Why a file name cannot go into a manifest cell, if it cannot."""
    if terminal_safe(relative) != relative or any(p != p.strip() for p in relative.split("/")):
        return ("name", "its name holds a control or invisible character, or begins or ends "
                        "with a space, which a manifest cannot hold safely: rename the file")
    return None


def _inspect(path: Path) -> tuple[tuple[str, str] | None, str | None]:
    """Why a file that is not in a manifest is no article to list (step, reason) or None, and
    its SHA-256 (None when it cannot be read)."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            return ("size", f"it is {size / 1e6:.1f} MB, over the limit of "
                            f"{MAX_FILE_BYTES / 1e6:.0f} MB per article (split it)"), None
        data = path.read_bytes()
    except OSError as err:
        return ("read", f"it cannot be read ({err.strerror or err})"), None
    digest = hashlib.sha256(data).hexdigest()
    kind = binary_format(data)
    if kind:
        return ("not_text", f"it is {kind}, not plain text: save the article as plain text "
                            "(.txt)"), digest
    try:
        raw, _ = decode_bytes(data, file=path, error=CorpusError)
    except CorpusError:  # listed, the loader names the encoding problem and its fix
        return None, digest
    if not raw.replace("\ufeff", "").strip():
        return ("empty", "it is empty"), digest
    markup = markup_kind(raw)
    if markup:
        return ("markup", f"it is {markup}, not an article's text"), digest
    if not text.words(raw):
        return ("no_words", "it has no words, only punctuation, symbols or spaces"), digest
    return None, digest


def _key(name: str) -> str:
    """A manifest ``file`` value as the path it names, for comparing (``./a.txt`` is
    ``a.txt``)."""
    return PurePosixPath(name).as_posix()


def read_manifest(root: Path | str | None = None) -> pd.DataFrame:
    """Read and check ``manifest.csv``: required fields, id form, dates, no duplicates.

    The manifest may be saved as UTF-8 (with or without Excel's byte-order mark), Windows-1252,
    Latin-1 or UTF-16 with a byte-order mark. Raises :class:`CorpusError` naming the row and
    field of the first bad row.
    """
    return _read_manifest(corpus_root(root), None)[0]


def _read_manifest(root: Path, errors: list | None) -> tuple[pd.DataFrame, set[str]]:
    """The manifest's good rows, and every file it names (bad rows too, so their files are
    not reported as unlisted); with ``errors`` a bad row is recorded there and left out."""
    path = root / MANIFEST
    if not path.is_dir() and not path.exists():
        raise CorpusError("manifest not found; `python -m analysis.corpus init FOLDER` writes a "
                          "starter one", file=path, step="manifest")
    table = read_table(path, REQUIRED_FIELDS, error=CorpusError)
    rows: list[dict] = []
    seen: dict[str, dict[str, int]] = {"id": {}, "file": {}, "case": {}}
    for record in table.to_dict("records"):
        line = record.pop("_row")
        try:
            _check_row(record, seen, path, line)
        except CorpusError as err:
            if errors is None:
                raise
            errors.append(DocumentError.from_error(err, record.get("id", "")))
            continue
        record["_row"] = line
        rows.append(record)
    if table.empty:
        raise CorpusError("manifest has no rows", file=path, step="manifest")
    frame = pd.DataFrame(rows, columns=[*table.columns])
    for name in OPTIONAL_FIELDS:
        if name not in frame:
            frame[name] = ""
    frame["label"] = frame["label"].where(frame["label"] != "", frame["id"])
    return frame, {_key(name) for name in table["file"] if name}


def _check_row(record: dict, seen: dict[str, dict[str, int]], path: Path, line: int) -> None:
    """Refuse a manifest row with an empty required field, a bad id, date or checksum, or a
    duplicate (ids that differ only in case are duplicates too)."""
    def bad(message: str, name: str) -> CorpusError:
        return CorpusError(message, file=path, row=line, field=name, step="manifest")

    for name in REQUIRED_FIELDS:
        if not record.get(name):
            raise bad("required field is empty", name)
    ident, date = record["id"], record["date"]
    if not _ID.fullmatch(ident):
        raise bad(f"id {shown(ident)} must be ASCII letters, digits, '-' or '_', starting with "
                  "a letter or digit", "id")
    if not _DATE.fullmatch(date):
        raise bad(f"date {shown(date)} is not YYYY-MM-DD", "date")
    try:
        dt.date.fromisoformat(date)
    except ValueError as err:
        raise bad(f"date {date!r} is not a calendar date ({err})", "date") from None
    if not _SHA256.fullmatch(record["sha256"]):
        raise bad(f"sha256 {shown(record['sha256'])} is not 64 hexadecimal digits (init writes "
                  "it, or run sha256sum on the file)", "sha256")
    keys = {"id": ident, "file": _key(record["file"]), "case": ident.lower()}
    for key in ("id", "file"):
        first = seen[key].get(keys[key])
        if first is not None:
            raise bad(f"duplicate {key} {shown(record[key])} (first on row {first})", key)
    first = seen["case"].get(keys["case"])
    if first is not None:
        other = next(i for i, row in seen["id"].items() if row == first)
        raise bad(f"id {ident!r} differs from id {other!r} (row {first}) only in case; ids must "
                  "differ in more than case (file systems and spreadsheets may ignore it)", "id")
    for key, value in keys.items():
        seen[key][value] = line


def article_path(folder: Path, name: str, *, manifest: Path, row: int) -> Path:
    """The file a manifest row names, refused unless it is inside ``folder`` with no symlink.

    ``folder`` is the resolved text folder; ``name`` may lead into sub-folders with ``/``.
    Absolute paths, ``..`` and symbolic links (to a file or a folder on the way) are refused,
    so a manifest cannot make the loader read elsewhere.
    """
    def bad(message: str) -> CorpusError:
        return CorpusError(message, file=manifest, row=row, field="file", step="path")

    relative = Path(name)
    if "\x00" in name:
        raise bad(f"file {shown(name)} contains a NUL character")
    if relative.is_absolute() or PureWindowsPath(name).drive or name.startswith(("/", "\\")):
        raise bad(f"file {shown(name)} is an absolute path; give a path inside {folder}")
    if ".." in relative.parts or ".." in PureWindowsPath(name).parts:
        raise bad(f"file {shown(name)} leaves the text folder ('..'); give a path inside "
                  f"{folder}")
    path = folder / relative
    if not path.resolve().is_relative_to(folder) or path.resolve() == folder:
        raise bad(f"file {shown(name)} resolves outside the text folder {folder}")
    step = path
    while step != folder:
        if step.is_symlink():
            raise bad(f"file {shown(name)}: {step.name!r} is a symbolic link; copy the file "
                      f"itself into {folder} (links are refused so the corpus cannot point "
                      "elsewhere)")
        step = step.parent
    if "\\" in name and not path.exists():
        raise bad(f"file {shown(name)} is not there; separate sub-folders with '/', not '\\'")
    return path


def read_text(path: Path, expected_sha256: str, *, manifest: Path, row: int) -> str:
    """Read one article file, checking presence, checksum, encoding and content."""
    return read_article(path, expected_sha256, manifest=manifest, row=row)[0]


def read_article(path: Path, expected_sha256: str, *, manifest: Path, row: int,
                 encoding: str | None = None) -> tuple[str, str]:
    """Read one article file: ``(raw text, encoding)``, after checking presence, size, checksum
    (over the bytes on disk), format (no document, image or markup saved as text), encoding
    (see :func:`analysis.text.decode_bytes`) and content."""
    def where(message: str, name: str, step: str) -> CorpusError:
        return CorpusError(message, file=manifest, row=row, field=name, step=step)

    if path.is_symlink():
        raise where(f"file {path.name!r} is a symbolic link; copy the file itself", "file",
                    "path")
    if path.is_dir():
        raise where(f"file {path.name!r} is a folder; name a file in it", "file", "read")
    if os.path.lexists(path) and not path.is_file():
        raise where(f"file {path.name!r} is not a regular file (a pipe or a device)", "file",
                    "read")
    if not path.is_file():
        raise where(f"file {path.name!r} listed in the manifest is absent", "file", "read")
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise CorpusError(f"file is {size / 1e6:.1f} MB; the limit is "
                              f"{MAX_FILE_BYTES / 1e6:.0f} MB per article (split it into its "
                              "articles)", file=path, step="size")
        if encoding:
            try:
                codecs.lookup(encoding)
            except LookupError:
                raise where(f"unknown encoding {shown(encoding)} (try utf-8, cp1252 or latin-1)",
                            "encoding", "decode") from None
        data = path.read_bytes()
    except OSError as err:
        raise where(f"file {path.name!r} cannot be read ({err.strerror or err})", "file",
                    "read") from None
    digest = hashlib.sha256(data).hexdigest()
    if digest != expected_sha256.lower():
        raise where(f"sha256 of {path.name} is {digest}, manifest says {expected_sha256}",
                    "sha256", "checksum")
    kind = binary_format(data)
    if kind:
        raise CorpusError(f"file is {kind}, not plain text: save the article as plain text "
                          "(.txt)", file=path, step="not_text")
    try:
        raw, used = decode_bytes(data, file=path, encoding=encoding or None, error=CorpusError)
    except CorpusError as err:
        raise CorpusError(err.reason, file=path, step="decode") from None
    if not raw.strip():
        raise CorpusError("file is empty", file=path, step="empty")
    markup = markup_kind(raw)
    if markup:
        raise CorpusError(f"file is {markup}, not an article's text: save the article's text "
                          "as plain text", file=path, step="markup")
    return raw, used


def load_corpus(root: Path | str | None = None, *, errors: list | None = None) -> Corpus:
    """Load, check and clean a corpus folder; see :class:`Corpus` for the frames it returns.

    By default the first bad input raises :class:`CorpusError`. With ``errors`` (a list), a bad
    document -- a bad manifest row, a file absent, outside the folder, a symbolic link, too big,
    with the wrong checksum, not plain text, undecodable, empty, without words or markup, or one
    that fails cleaning or sentence splitting -- is left out and recorded there as a
    :class:`DocumentError`, and loading goes on; so is every file of the folder that is not
    loaded (see :func:`survey`). Byte-identical files, and files with the same text after
    cleaning, are both loaded and named: a warning (``level="warning"``) in ``errors``, a
    :class:`CorpusWarning` when strict; so is a paragraph repeated at one place across many of
    an outlet's articles (:func:`repeated_paragraphs`). Problems with the folder or the
    manifest as a whole (absent, unreadable, a header column missing or repeated, no document
    left) still raise.
    """
    root = corpus_root(root)
    try:
        return _load(root, errors)
    except OSError as err:
        raise CorpusError(f"cannot read ({err.strerror or err})", file=err.filename or root,
                          step="read") from None


def _load(root: Path, errors: list | None) -> Corpus:
    _check_folder(root)
    manifest_path = root / MANIFEST
    manifest, named = _read_manifest(root, errors)
    found = survey(root)
    folder = found.folder.resolve()
    records = manifest.to_dict("records")
    for item in found.skipped:
        if item.step == "outside" or not _covered(item.path, folder, named):
            _fail(CorpusError(item.reason, file=item.path, step=item.step), "", errors)
    listed = {rec["sha256"].lower(): rec for rec in reversed(records)}
    twins: dict[str, Path] = {}
    for path in found.texts:
        if path.relative_to(found.folder).as_posix() not in named:
            _fail(_unlisted(path, found.folder, listed, twins), "", errors)
    loaded, kept = [], []
    for rec in records:
        try:
            loaded.append(_load_document(rec, folder, manifest_path, root))
            kept.append(rec)
        except CorpusError as err:
            _fail(err, rec["id"], errors)
    if not loaded:
        raise CorpusError(f"no document could be loaded ({len(errors or [])} skipped; see "
                          "errors)", file=manifest_path, step="manifest")
    _name_duplicates(kept, manifest_path, errors)
    articles = [a for a, _, _, _, _ in loaded]
    _name_same_text(kept, articles, manifest_path, errors)
    _name_repeated_paragraphs(articles, manifest_path, errors)
    return Corpus(
        root=root,
        articles=pd.DataFrame(articles).sort_values(["date", "id"], kind="stable")
        .reset_index(drop=True),
        paragraphs=pd.DataFrame([p for _, paras, _, _, _ in loaded for p in paras]),
        sentences=pd.DataFrame([s for _, _, sents, _, _ in loaded for s in sents]),
        edits=pd.concat([audit for _, _, _, audit, _ in loaded], ignore_index=True),
        cleaned={a["id"]: cleaned for a, _, _, _, cleaned in loaded},
    )


def _covered(path: Path, folder: Path, named: set[str]) -> bool:
    """True when a manifest row names ``path`` or a file under it (the row's own check then
    says what is wrong with it, e.g. a symbolic link)."""
    try:
        relative = path.relative_to(folder).as_posix()
    except ValueError:
        return False
    return any(n == relative or n.startswith(relative + "/") for n in named)


def _unlisted(path: Path, folder: Path, listed: dict[str, dict],
              twins: dict[str, Path]) -> CorpusError:
    """The error for a ``.txt`` file the manifest does not list, saying what it holds."""
    message = "file on disk is not in the manifest"
    problem, digest = _inspect(path)
    name = _name_problem(path.relative_to(folder).as_posix())
    if problem:
        message += f" ({problem[1]})"
    elif digest in listed:
        twin = listed[digest]
        message += (f"; it is byte-identical to {shown(twin['file'])} (row {twin['_row']}), "
                    "which is listed")
    elif digest in twins:
        message += (f"; it is byte-identical to "
                    f"{shown(twins[digest].relative_to(folder).as_posix())}, also not listed")
    else:
        message += ": add a row for it, or move it out of the text folder"
    if digest and digest not in twins:
        twins[digest] = path
    if name:
        message += f"; {name[1]}"
    return CorpusError(message, file=path, step="unlisted")


def _name_duplicates(records: list[dict], manifest_path: Path, errors: list | None) -> None:
    """Name each loaded file that is byte-identical to an earlier one (both stay loaded)."""
    first: dict[str, dict] = {}
    for rec in records:
        digest = rec["sha256"].lower()
        twin = first.setdefault(digest, rec)
        if twin is rec:
            continue
        err = CorpusError(f"file {shown(rec['file'])} is byte-identical to {shown(twin['file'])} "
                          f"(row {twin['_row']}, id {twin['id']!r}): both are loaded as separate "
                          "articles; remove one row if it is the same article saved twice",
                          file=manifest_path, row=rec["_row"], field="file", step="duplicate")
        if errors is None:
            warnings.warn(str(err), CorpusWarning, stacklevel=4)
        else:
            errors.append(DocumentError.from_error(err, rec["id"], level="warning"))


def _name_same_text(records: list[dict], articles: list[dict], manifest_path: Path,
                    errors: list | None) -> None:
    """Name each loaded file whose clean text is that of an earlier file though its bytes
    differ (a copy saved again with other line endings, spaces or page chrome): both stay
    loaded, as byte-identical files do (see :func:`_name_duplicates`)."""
    first: dict[str, tuple[dict, str]] = {}
    for rec, article in zip(records, articles):
        digest = hashlib.sha256(article["text"].encode("utf-8")).hexdigest()
        twin, twin_bytes = first.setdefault(digest, (rec, rec["sha256"].lower()))
        if twin is rec or twin_bytes == rec["sha256"].lower():
            continue  # the first of its text, or byte-identical (named already)
        err = CorpusError(f"file {shown(rec['file'])} has the same text after cleaning as "
                          f"{shown(twin['file'])} (row {twin['_row']}, id {twin['id']!r}), though "
                          "the files differ: both are loaded as separate articles; remove one row "
                          "if it is the same article saved twice", file=manifest_path,
                          row=rec["_row"], field="file", step="duplicate_text")
        if errors is None:
            warnings.warn(str(err), CorpusWarning, stacklevel=4)
        else:
            errors.append(DocumentError.from_error(err, rec["id"], level="warning"))


# A paragraph at the same place (counted from the start or the end) in at least this many of
# an outlet's articles, and this share of them, is named as likely page boilerplate.
BOILERPLATE_MIN_ARTICLES = 5
BOILERPLATE_MIN_SHARE = 0.1
BOILERPLATE_MAX_WORDS = 30  # longer paragraphs repeated verbatim are copies, not chrome
_PLACES = 3  # paragraphs looked at from each end of an article


def repeated_paragraphs(articles: pd.DataFrame | list[dict]) -> pd.DataFrame:
    """Paragraphs that stand verbatim at the same place in many articles of one outlet.

    Evidence from the folder itself for page boilerplate the cleaning steps do not know (a
    sign-off, a promotion, a standing credit): one row per (outlet, place, paragraph) found in
    at least :data:`BOILERPLATE_MIN_ARTICLES` articles and :data:`BOILERPLATE_MIN_SHARE` of the
    outlet's articles, with the count and the articles. ``place`` is ``first``, ``second`` ...
    or ``last``, ``second from last`` .... Only named, never removed: a paragraph several
    reports share may be the text itself.
    """
    rows = pd.DataFrame(articles)
    places: dict[tuple[str, str, str], list[str]] = {}
    names = ("first", "second", "third")
    for outlet, ident, body in zip(rows["outlet"], rows["id"], rows["text"]):
        paras = body.split("\n\n")
        seen: dict[tuple[str, str], None] = {}  # in order: a tie goes to the place from the end
        for i, para in enumerate(reversed(paras[-_PLACES:])):
            seen[("last" if i == 0 else f"{names[i]} from last", para)] = None
        for i, para in enumerate(paras[:_PLACES]):
            seen[(names[i], para)] = None
        for place, para in seen:
            if len(text.words(para)) <= BOILERPLATE_MAX_WORDS:
                places.setdefault((outlet, place, para), []).append(ident)
    sizes = rows["outlet"].value_counts()
    best: dict[tuple[str, str], tuple[str, list[str]]] = {}  # one place per paragraph: the
    for (outlet, place, para), ids in places.items():       # one it holds in most articles
        if len(ids) > len(best.get((outlet, para), ("", []))[1]):
            best[(outlet, para)] = (place, ids)
    out = [{"outlet": outlet, "place": place, "paragraph": para, "n_articles": len(ids),
            "n_outlet_articles": int(sizes[outlet]), "article_ids": ids}
           for (outlet, para), (place, ids) in best.items()
           if len(ids) >= max(BOILERPLATE_MIN_ARTICLES, BOILERPLATE_MIN_SHARE * sizes[outlet])]
    columns = ["outlet", "place", "paragraph", "n_articles", "n_outlet_articles", "article_ids"]
    return pd.DataFrame(out, columns=columns).sort_values(
        ["outlet", "n_articles", "place"], ascending=[True, False, True], kind="stable")


def _name_repeated_paragraphs(articles: list[dict], manifest_path: Path,
                              errors: list | None) -> None:
    """Name each paragraph :func:`repeated_paragraphs` finds (a warning; nothing is removed)."""
    for row in repeated_paragraphs(articles).itertuples():
        ids = row.article_ids
        shown_ids = ", ".join(ids[:3]) + (f" and {len(ids) - 3} more" if len(ids) > 3 else "")
        err = CorpusError(f"outlet {shown(row.outlet)}: the paragraph {shown(row.paragraph)} "
                          f"is the {row.place} paragraph of {row.n_articles} of its "
                          f"{row.n_outlet_articles} articles ({shown_ids}): page boilerplate? It "
                          "is kept; remove it from the files if it is not the articles' text",
                          file=manifest_path, step="boilerplate")
        if errors is None:
            warnings.warn(str(err), CorpusWarning, stacklevel=4)
        else:
            errors.append(DocumentError.from_error(err, ids[0], level="warning"))


def _fail(err: CorpusError, article_id: str, errors: list | None) -> None:
    """Raise ``err`` (strict), or record it and go on (lenient)."""
    if errors is None:
        raise err
    errors.append(DocumentError.from_error(err, article_id))


def _load_document(rec: dict, folder: Path, manifest_path: Path, root: Path):
    """One manifest row to its article row, paragraphs, sentences, audit and cleaned text."""
    path = article_path(folder, rec["file"], manifest=manifest_path, row=rec["_row"])
    if not os.path.lexists(path) and folder != root:
        name, hint = rec["file"], ""
        if _key(name).startswith("raw/") and (folder / _key(name)[4:]).is_file():
            hint = f"is absent: paths start inside raw/, so write {shown(_key(name)[4:])}"
        elif (root / name).is_file():
            hint = "is not in raw/ but beside manifest.csv: move it into raw/"
        if hint:
            raise CorpusError(f"file {shown(name)} {hint}", file=manifest_path, row=rec["_row"],
                              field="file", step="read")
    raw, encoding = read_article(path, rec["sha256"], manifest=manifest_path, row=rec["_row"],
                                 encoding=rec.get("encoding") or None)
    try:
        cleaned = cleaning.clean(raw, rec, encoding=encoding)
    except Exception as err:  # a failing step must not stop a run over thousands of files
        raise CorpusError(f"cleaning failed: {type(err).__name__}: {err}", file=path,
                          step="clean") from err
    body = cleaned.text
    if not body:
        raise CorpusError("file has no text left after cleaning", file=path, step="empty")
    n_words = len(text.words(body))
    if not n_words:
        raise CorpusError("file has no words, only punctuation, symbols or spaces: not an "
                          "article", file=path, step="no_words")
    paras = _paragraphs(rec["id"], body)
    for para in paras:
        if len(para["text"]) > MAX_PARAGRAPH_CHARS:
            raise CorpusError(
                f"paragraph {para['paragraph']} is {len(para['text']):,} characters; sentence "
                f"splitting takes at most {MAX_PARAGRAPH_CHARS:,} (does the file have line "
                "breaks?)", file=path, step="sentences")
    try:
        sents = _sentences(rec["id"], body, paras, cleaned)
    except Exception as err:
        raise CorpusError(f"sentence splitting failed: {type(err).__name__}: {err}", file=path,
                          step="sentences") from err
    audit = cleaned.edits()
    audit.insert(0, "article_id", rec["id"])
    article = {
        **{k: v for k, v in rec.items() if not k.startswith("_")},
        "date": pd.Timestamp(rec["date"]),
        "encoding": encoding,
        "raw_text": raw,
        "text": body,
        "n_words": n_words,
        "n_sentences": len(sents),
        "n_paragraphs": len(paras),
        "n_edits": len(audit),
        "chars_removed": int(audit["removed"].str.len().sum()),
    }
    return article, paras, sents, audit, cleaned


def _paragraphs(article_id: str, body: str) -> list[dict]:
    rows, pos = [], 0
    for n, chunk in enumerate(body.split("\n\n"), start=1):
        rows.append({"article_id": article_id, "paragraph_id": f"{article_id}-p{n:02d}",
                     "paragraph": n, "start": pos, "end": pos + len(chunk), "text": chunk})
        pos += len(chunk) + 2
    return rows


def _sentences(article_id: str, body: str, paras: list[dict],
               cleaned: cleaning.Cleaned) -> list[dict]:
    rows = []
    for para in paras:
        for start, end in text.sentence_spans(para["text"]):
            s, e = para["start"] + start, para["start"] + end
            n = len(rows) + 1
            rows.append({
                "article_id": article_id, "sentence_id": f"{article_id}-s{n:02d}",
                "paragraph_id": para["paragraph_id"], "sentence": n, "start": s, "end": e,
                "raw_start": cleaned.to_raw(s), "raw_end": cleaned.to_raw(e, end=True),
                "text": body[s:e], "n_words": len(text.words(body[s:e])),
            })
    return rows


def init_manifest(folder: Path | str, *, force: bool = False) -> Path:
    """Write a starter ``manifest.csv`` for a folder of ``.txt`` files (ids, files, checksums).

    Every article file of the text folder gets a row (see :func:`plan_manifest` for which are
    left out). Outlet and date are left for the analyst to fill in: loading refuses the
    manifest until they are, so no article enters an analysis with an invented date. An
    existing manifest is refused, or with ``force`` replaced after a backup (see
    :func:`write_manifest`).
    """
    root = _init_root(folder)
    _may_write(root / MANIFEST, force=force)
    write_manifest(plan_manifest(root), force=force)
    return root / MANIFEST


def _init_root(folder: Path | str) -> Path:
    try:
        root = Path(folder).expanduser().resolve()
    except (OSError, RuntimeError) as err:
        raise CorpusError(f"cannot use this folder ({err})", file=folder, step="path") from None
    _check_folder(root)
    return root


def _may_write(path: Path, *, force: bool) -> None:
    """Refuse to replace a manifest without ``force``, and anything but a file even with it."""
    if not os.path.lexists(path):
        return
    if path.is_symlink() or not path.is_file():
        raise CorpusError("exists and is not a regular file (a folder or a link); not replacing "
                          "it", file=path, step="manifest")
    if not force:
        raise CorpusError("manifest already exists; not overwriting (init --force replaces it "
                          f"and keeps the old one as {BACKUP}-<date-time>)", file=path,
                          step="manifest")


def plan_manifest(folder: Path | str) -> Plan:
    """The rows ``init`` writes: one per article file of the text folder (any case of ``.txt``,
    sub-folders included, ``file`` being its path from the text folder with ``/``).

    Left out and named in ``Plan.skipped``: every file :func:`survey` names, and ``.txt`` files
    that are no article (empty, without words, markup, a document or image format, over the size
    limit, unreadable) or whose name a manifest cell cannot hold. A symbolic link is refused.
    Ids come from the path (``2024-05-01/a.txt`` gives ``2024-05-01-a``) and are unique even
    when case is ignored. Byte-identical files are all listed, and named in ``Plan.twins``.
    """
    found = survey(_init_root(folder))
    for item in found.skipped:
        if item.step == "path":
            raise CorpusError(item.reason, file=item.path, step="path")
    skipped, rows, used = list(found.skipped), [], set()
    first: dict[str, str] = {}
    twins: list[tuple[str, str]] = []
    for path in found.texts:
        relative = path.relative_to(found.folder).as_posix()
        problem, digest = _name_problem(relative), None
        if problem is None:
            problem, digest = _inspect(path)
        if problem or digest is None:
            skipped.append(Skipped(path, *(problem or ("read", "it cannot be read"))))
            continue
        stem = PurePosixPath(relative).with_suffix("").as_posix()
        base = re.sub(r"[^A-Za-z0-9_-]+", "-", stem).strip("-_") or "article"
        ident, n = base, 2
        while ident.lower() in used:  # 'storm report' and 'storm-report' get distinct ids
            ident, n = f"{base}-{n}", n + 1
        used.add(ident.lower())
        rows.append((ident, relative, digest, "", "", *[""] * len(OPTIONAL_FIELDS)))
        if first.setdefault(digest, relative) != relative:
            twins.append((relative, first[digest]))
    return Plan(found.root, tuple(rows), tuple(skipped), tuple(twins))


def write_manifest(plan: Plan, *, force: bool = False) -> Path | None:
    """Write ``plan`` as ``manifest.csv``; returns the backup of the manifest it replaced.

    Without ``force`` an existing manifest is refused. With it, the old one is first copied to
    ``manifest.csv.bak-<date-time>``. The rows go to a temporary file that is then moved into
    place, so a failed write (a full disk) leaves the old manifest, or none, never half a one.
    """
    path = plan.root / MANIFEST
    if not plan.rows:
        raise CorpusError("no .txt file found that holds an article" + (
            f" ({len(plan.skipped)} other file(s) left out, each named)" if plan.skipped
            else ""), file=text_dir(plan.root), step="manifest")
    _may_write(path, force=force)
    backup = None
    try:
        if os.path.lexists(path):
            stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
            backup, n = path.with_name(f"{BACKUP}-{stamp}"), 2
            while os.path.lexists(backup):
                backup, n = path.with_name(f"{BACKUP}-{stamp}-{n}"), n + 1
            shutil.copy2(path, backup)
        _write_rows(path, plan.rows)
    except OSError as err:
        raise CorpusError(f"cannot write the manifest ({err.strerror or err}); nothing was "
                          "changed", file=path, step="manifest") from None
    return backup


def _write_rows(path: Path, rows: Iterable[Iterable[str]]) -> None:
    """Write a manifest through a temporary file beside it, removed if anything fails."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".manifest-", suffix=".tmp")
    try:
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temporary, 0o666 & ~umask)
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow(REQUIRED_FIELDS + OPTIONAL_FIELDS)
            writer.writerows(rows)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


# --- command line ---------------------------------------------------------------------------

def _say(message: str) -> None:
    """Print corpus-derived text one line at a time, control characters escaped."""
    for line in message.splitlines() or [""]:
        print(terminal_safe(line))


def _article_table(articles: pd.DataFrame) -> str:
    table = articles[["id", "label", "date", "encoding", "n_words", "n_sentences", "n_edits"]]
    table = table.astype({"id": object, "label": object, "encoding": object})
    for name in ("id", "label", "encoding"):
        table[name] = [terminal_safe(str(v)) for v in table[name]]
    return table.to_string(index=False)


def _report(errors: list[DocumentError]) -> None:
    for err in errors:
        _say(f"{err.level}: {err.message}")


def _check(folder: str | None) -> int:
    """Load leniently and report every file or row not loaded, and every warning."""
    errors: list[DocumentError] = []
    try:
        corpus = load_corpus(folder, errors=errors)
    except CorpusError:
        _report(errors)  # what was found before the folder as a whole was refused
        raise
    _say(_article_table(corpus.articles))
    _report(errors)
    failed = sum(e.level == "error" for e in errors)
    _say(f"{len(corpus.articles)} article(s) loaded; {failed} error(s); "
         f"{len(errors) - failed} warning(s)")
    return 1 if failed else 0


def _init(folder: str, *, force: bool) -> int:
    root = _init_root(folder)
    _may_write(root / MANIFEST, force=force)
    plan = plan_manifest(root)
    for item in plan.skipped:
        _say(f"not listed: {item.path}: {item.reason}")
    for later, earlier in plan.twins:
        _say(f"note: {later!r} is byte-identical to {earlier!r}; both are listed (remove one "
             "row if it is one article saved twice)")
    backup = write_manifest(plan, force=force)
    if backup is not None:
        _say(f"kept the old manifest as {backup}")
    _say(f"wrote {root / MANIFEST} with {len(plan.rows)} article(s); fill in outlet and date "
         "for each row")
    return 0


def _main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(prog="python -m analysis.corpus",
                                     description="Check a corpus folder or start its manifest.")
    sub = parser.add_subparsers(dest="command", required=True)
    init = sub.add_parser("init", help="write a starter manifest.csv")
    init.add_argument("folder")
    init.add_argument("--force", action="store_true",
                      help=f"replace an existing manifest.csv, kept as {BACKUP}-<date-time>")
    sub.add_parser("check", help="load and check a corpus").add_argument("folder", nargs="?")
    args = parser.parse_args(argv)
    try:
        if args.command == "init":
            return _init(args.folder, force=args.force)
        return _check(args.folder)  # reports every bad document at once, not only the first
    except CorpusError as err:
        _say(f"error: {err}")
    except BrokenPipeError:
        raise
    except OSError as err:
        _say(f"error: {err.filename or ''}{': ' if err.filename else ''}{err.strerror or err}")
    except KeyboardInterrupt:
        _say("error: interrupted")
        return 130
    except Exception as err:  # noqa: BLE001 -- a bug must still end in one line
        _say(f"error: unexpected {type(err).__name__}: {err} (a bug in the corpus tools; please "
             "report it with the command you ran)")
        return 2
    return 1


if __name__ == "__main__":
    try:
        code = _main()
        sys.stdout.flush()
    except BrokenPipeError:  # output piped into a program that stopped reading (head)
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        code = 1
    raise SystemExit(code)
