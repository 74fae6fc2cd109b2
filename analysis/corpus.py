"""The corpus: a manifest of articles, their raw texts, cleaned texts, paragraphs and sentences.

A corpus folder holds ``manifest.csv`` and the article files, in a ``raw/`` sub-folder when there
is one, else beside the manifest. :func:`load_corpus` reads it, checks it and returns tidy frames
with stable ids. Every chapter calls it with no argument; the environment variable
``WIRESPIN_CORPUS`` points all of them at another folder (see the README).

The folder is untrusted input: a manifest ``file`` must name a file inside the text folder (no
absolute path, no ``..``, no symbolic link), every file is checked against its checksum, and a
file that is not UTF-8 is decoded only as Windows-1252 or Latin-1 (see
:func:`analysis.text.decode_bytes`). ``load_corpus(errors=[])`` skips a bad document and records
why instead of stopping the run.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import hashlib
import os
import re
from dataclasses import dataclass, field
from pathlib import Path, PureWindowsPath

import pandas as pd

from analysis import cleaning, text
from analysis.text import AnalysisError, decode_bytes, read_table

PACKAGE_DATA = Path(__file__).resolve().parent.parent / "data"
CORPUS_ENV = "WIRESPIN_CORPUS"
MANIFEST = "manifest.csv"

REQUIRED_FIELDS = ("id", "file", "sha256", "outlet", "date")
OPTIONAL_FIELDS = ("label", "outlet_evidence", "headline", "date_basis", "dateline", "agency",
                   "notes", "encoding")
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")

# Limits that keep one article within what the loader handles in linear time: a bigger file is
# refused with a clear error rather than left to run for minutes. Sentence splitting (nltk
# Punkt) runs each paragraph under nltk's 5-second regular-expression guard, so a "paragraph"
# of megabytes (a file with no line breaks at all) is refused too.
MAX_FILE_BYTES = 50_000_000
MAX_PARAGRAPH_CHARS = 1_000_000


class CorpusError(AnalysisError):
    """Bad corpus input; the message names the file and, where it applies, the row and field.

    ``step`` says which check refused it (``manifest``, ``path``, ``read``, ``checksum``,
    ``decode``, ``empty``, ``size``, ``clean``, ``sentences``, ``unlisted``).
    """

    def __init__(self, message: str, *, file: Path | str, row: int | None = None,
                 field: str | None = None, step: str = ""):
        super().__init__(message, file=file, row=row, field=field)
        self.step = step


@dataclass(frozen=True)
class DocumentError:
    """One document a lenient :func:`load_corpus` skipped, and why."""

    article_id: str
    file: str
    row: int | None
    step: str
    message: str

    @classmethod
    def from_error(cls, err: CorpusError, article_id: str = "") -> DocumentError:
        return cls(article_id, err.file, err.row, err.step, str(err))


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
    """The corpus folder: ``root`` if given, else ``$WIRESPIN_CORPUS``, else the book's data."""
    if root is None:
        root = os.environ.get(CORPUS_ENV) or PACKAGE_DATA
    return Path(root).expanduser().resolve()


def text_dir(root: Path) -> Path:
    """Where the article files live: ``raw/`` when the folder has one, else the folder itself."""
    return root / "raw" if (root / "raw").is_dir() else root


def sha256_file(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def read_manifest(root: Path | str | None = None) -> pd.DataFrame:
    """Read and check ``manifest.csv``: required fields, id form, dates, no duplicates.

    The manifest may be saved as UTF-8 (with or without Excel's byte-order mark), Windows-1252 or
    Latin-1. Raises :class:`CorpusError` naming the row and field of the first bad row.
    """
    return _read_manifest(corpus_root(root), None)[0]


def _read_manifest(root: Path, errors: list | None) -> tuple[pd.DataFrame, set[str]]:
    """The manifest's good rows, and every file it names (bad rows too, so their files are
    not reported as unlisted); with ``errors`` a bad row is recorded there and left out."""
    path = root / MANIFEST
    if not path.is_file():
        raise CorpusError("manifest not found", file=path, step="manifest")
    table = read_table(path, REQUIRED_FIELDS, error=CorpusError)
    rows, seen = [], {"id": {}, "file": {}}
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
    return frame, set(table["file"])


def _check_row(record: dict, seen: dict[str, dict[str, int]], path: Path, line: int) -> None:
    """Refuse a manifest row with an empty required field, a bad id or date, or a duplicate."""
    def bad(message: str, name: str) -> CorpusError:
        return CorpusError(message, file=path, row=line, field=name, step="manifest")

    for name in REQUIRED_FIELDS:
        if not record.get(name):
            raise bad("required field is empty", name)
    if not _ID.match(record["id"]):
        raise bad(f"id {record['id']!r} must be letters, digits, '-' or '_'", "id")
    if not _DATE.match(record["date"]):
        raise bad(f"date {record['date']!r} is not YYYY-MM-DD", "date")
    try:
        dt.date.fromisoformat(record["date"])
    except ValueError as err:
        raise bad(f"date {record['date']!r} is not a calendar date ({err})", "date") from None
    for key in ("id", "file"):
        first = seen[key].get(record[key])
        if first is not None:
            raise bad(f"duplicate {key} {record[key]!r} (first on row {first})", key)
    for key in ("id", "file"):
        seen[key][record[key]] = line


def article_path(folder: Path, name: str, *, manifest: Path, row: int) -> Path:
    """The file a manifest row names, refused unless it is inside ``folder`` with no symlink.

    ``folder`` is the resolved text folder. Absolute paths, ``..`` and symbolic links (to a file
    or a folder on the way) are refused, so a manifest cannot make the loader read elsewhere.
    """
    def bad(message: str) -> CorpusError:
        return CorpusError(message, file=manifest, row=row, field="file", step="path")

    relative = Path(name)
    if "\x00" in name:
        raise bad(f"file {name!r} contains a NUL character")
    if relative.is_absolute() or PureWindowsPath(name).drive or name.startswith(("/", "\\")):
        raise bad(f"file {name!r} is an absolute path; give a name inside {folder}")
    if ".." in relative.parts or ".." in PureWindowsPath(name).parts:
        raise bad(f"file {name!r} leaves the text folder ('..'); give a name inside {folder}")
    path = folder / relative
    if not path.resolve().is_relative_to(folder) or path.resolve() == folder:
        raise bad(f"file {name!r} resolves outside the text folder {folder}")
    step = path
    while step != folder:
        if step.is_symlink():
            raise bad(f"file {name!r}: {step.name!r} is a symbolic link; copy the file itself "
                      f"into {folder} (links are refused so the corpus cannot point elsewhere)")
        step = step.parent
    return path


def read_text(path: Path, expected_sha256: str, *, manifest: Path, row: int) -> str:
    """Read one article file, checking presence, checksum, encoding and content."""
    return read_article(path, expected_sha256, manifest=manifest, row=row)[0]


def read_article(path: Path, expected_sha256: str, *, manifest: Path, row: int,
                 encoding: str | None = None) -> tuple[str, str]:
    """Read one article file: ``(raw text, encoding)``, after checking presence, size, checksum
    (over the bytes on disk), encoding (see :func:`analysis.text.decode_bytes`) and content."""
    if path.is_symlink():
        raise CorpusError(f"file {path.name!r} is a symbolic link; copy the file itself",
                          file=manifest, row=row, field="file", step="path")
    if not path.is_file():
        raise CorpusError(f"file {path.name!r} listed in the manifest is absent", file=manifest,
                          row=row, field="file", step="read")
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise CorpusError(f"file is {size / 1e6:.1f} MB; the limit is {MAX_FILE_BYTES / 1e6:.0f} "
                          "MB per article (split it into its articles)", file=path, step="size")
    if encoding:
        try:
            codecs.lookup(encoding)
        except LookupError:
            raise CorpusError(f"unknown encoding {encoding!r} (try utf-8, cp1252 or latin-1)",
                              file=manifest, row=row, field="encoding", step="decode") from None
    data = path.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    if digest != expected_sha256.lower():
        raise CorpusError(f"sha256 of {path.name} is {digest}, manifest says {expected_sha256}",
                          file=manifest, row=row, field="sha256", step="checksum")
    try:
        raw, used = decode_bytes(data, file=path, encoding=encoding or None, error=CorpusError)
    except CorpusError as err:
        raise CorpusError(err.reason, file=path, step="decode") from None
    if not raw.strip():
        raise CorpusError("file is empty", file=path, step="empty")
    return raw, used


def load_corpus(root: Path | str | None = None, *, errors: list | None = None) -> Corpus:
    """Load, check and clean a corpus folder; see :class:`Corpus` for the frames it returns.

    By default the first bad input raises :class:`CorpusError`. With ``errors`` (a list), a bad
    document -- a bad manifest row, a file absent, outside the folder, a symbolic link, too big,
    with the wrong checksum, undecodable or empty, or one that fails cleaning or sentence
    splitting -- is left out and recorded there as a :class:`DocumentError`, and loading goes
    on. Problems with the manifest as a whole (absent, a header column missing, no document
    left) still raise.
    """
    root = corpus_root(root)
    manifest_path = root / MANIFEST
    manifest, named = _read_manifest(root, errors)
    if (root / "raw").is_symlink():
        raise CorpusError("the raw/ folder is a symbolic link; copy the files into the corpus "
                          "folder", file=root / "raw", step="path")
    folder = text_dir(root).resolve()
    listed = {folder / name for name in named}
    for path in sorted(folder.glob("*.txt")):
        if path not in listed:
            _fail(CorpusError("file on disk is not in the manifest", file=path,
                              step="unlisted"), "", errors)
    loaded = []
    for rec in manifest.to_dict("records"):
        try:
            loaded.append(_load_document(rec, folder, manifest_path))
        except CorpusError as err:
            _fail(err, rec["id"], errors)
    if not loaded:
        raise CorpusError(f"no document could be loaded ({len(errors or [])} skipped; see "
                          "errors)", file=manifest_path, step="manifest")
    articles = [a for a, _, _, _, _ in loaded]
    return Corpus(
        root=root,
        articles=pd.DataFrame(articles).sort_values(["date", "id"], kind="stable")
        .reset_index(drop=True),
        paragraphs=pd.DataFrame([p for _, paras, _, _, _ in loaded for p in paras]),
        sentences=pd.DataFrame([s for _, _, sents, _, _ in loaded for s in sents]),
        edits=pd.concat([audit for _, _, _, audit, _ in loaded], ignore_index=True),
        cleaned={a["id"]: cleaned for a, _, _, _, cleaned in loaded},
    )


def _fail(err: CorpusError, article_id: str, errors: list | None) -> None:
    """Raise ``err`` (strict), or record it and go on (lenient)."""
    if errors is None:
        raise err
    errors.append(DocumentError.from_error(err, article_id))


def _load_document(rec: dict, folder: Path, manifest_path: Path):
    """One manifest row to its article row, paragraphs, sentences, audit and cleaned text."""
    path = article_path(folder, rec["file"], manifest=manifest_path, row=rec["_row"])
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
        "n_words": len(text.words(body)),
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


def init_manifest(folder: Path | str) -> Path:
    """Write a starter ``manifest.csv`` for a folder of ``.txt`` files (ids, files, checksums).

    Outlet and date are left for the analyst to fill in: loading refuses the manifest until they
    are, so no article enters an analysis with an invented date.
    """
    root = Path(folder).expanduser().resolve()
    path = root / MANIFEST
    if path.exists():
        raise CorpusError("manifest already exists; not overwriting", file=path)
    if (root / "raw").is_symlink():
        raise CorpusError("the raw/ folder is a symbolic link; copy the files into the corpus "
                          "folder", file=root / "raw", step="path")
    files = sorted(text_dir(root).glob("*.txt"))
    for f in files:
        if f.is_symlink():
            raise CorpusError("symbolic link: copy the file itself into the folder (links are "
                              "refused so the corpus cannot point elsewhere)", file=f,
                              step="path")
    files = [f for f in files if f.is_file()]
    if not files:
        raise CorpusError("no .txt files found", file=text_dir(root))
    rows, used = [], set()
    for f in files:
        base = re.sub(r"[^A-Za-z0-9_-]+", "-", f.stem).strip("-_") or "article"
        ident, n = base, 2
        while ident.lower() in used:  # 'storm report' and 'storm-report' get distinct ids
            ident, n = f"{base}-{n}", n + 1
        used.add(ident.lower())
        rows.append([ident, f.name, sha256_file(f), "", ""] + [""] * len(OPTIONAL_FIELDS))
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(REQUIRED_FIELDS + OPTIONAL_FIELDS)
        writer.writerows(rows)
    return path


def _main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(prog="python -m analysis.corpus",
                                     description="Check a corpus folder or start its manifest.")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("init", help="write a starter manifest.csv").add_argument("folder")
    sub.add_parser("check", help="load and check a corpus").add_argument("folder", nargs="?")
    args = parser.parse_args(argv)
    try:
        if args.command == "init":
            print(f"wrote {init_manifest(args.folder)}; fill in outlet and date for each row")
        else:  # report every bad document at once, not only the first
            errors: list[DocumentError] = []
            corpus = load_corpus(args.folder, errors=errors)
            print(corpus.articles[["id", "label", "date", "encoding", "n_words", "n_sentences",
                                   "n_edits"]].to_string(index=False))
            for err in errors:
                print(f"error: {err.message}")
            return 1 if errors else 0
    except CorpusError as err:
        print(f"error: {err}")
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(_main())
