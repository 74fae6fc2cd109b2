"""The corpus: a manifest of articles, their raw texts, cleaned texts, paragraphs and sentences.

A corpus folder holds ``manifest.csv`` and the article files, in a ``raw/`` sub-folder when there
is one, else beside the manifest. :func:`load_corpus` reads it, checks it and returns tidy frames
with stable ids. Every chapter calls it with no argument; the environment variable
``WIRESPIN_CORPUS`` points all of them at another folder (see the README).
"""

from __future__ import annotations

import csv
import hashlib
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from analysis import cleaning, text
from analysis.text import AnalysisError

PACKAGE_DATA = Path(__file__).resolve().parent.parent / "data"
CORPUS_ENV = "WIRESPIN_CORPUS"
MANIFEST = "manifest.csv"

REQUIRED_FIELDS = ("id", "file", "sha256", "outlet", "date")
OPTIONAL_FIELDS = ("label", "outlet_evidence", "headline", "date_basis", "dateline", "agency",
                   "notes")
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class CorpusError(AnalysisError):
    """Bad corpus input; the message names the file and, where it applies, the row and field."""


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
    """Read and check ``manifest.csv``: required fields, id form, dates, no duplicates."""
    root = corpus_root(root)
    path = root / MANIFEST
    if not path.is_file():
        raise CorpusError("manifest not found", file=path)
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        header = reader.fieldnames or []
        for name in REQUIRED_FIELDS:
            if name not in header:
                raise CorpusError("required column missing from the header", file=path, row=1,
                                  field=name)
        rows, seen_ids, seen_files = [], {}, {}
        for record in reader:
            line = reader.line_num
            record = {k: (v or "").strip() for k, v in record.items() if k is not None}
            for name in REQUIRED_FIELDS:
                if not record.get(name):
                    raise CorpusError("required field is empty", file=path, row=line, field=name)
            if not _ID.match(record["id"]):
                raise CorpusError(f"id {record['id']!r} must be letters, digits, '-' or '_'",
                                  file=path, row=line, field="id")
            if not _DATE.match(record["date"]):
                raise CorpusError(f"date {record['date']!r} is not YYYY-MM-DD", file=path,
                                  row=line, field="date")
            for key, seen in (("id", seen_ids), ("file", seen_files)):
                if record[key] in seen:
                    raise CorpusError(f"duplicate {key} {record[key]!r} (first on row "
                                      f"{seen[record[key]]})", file=path, row=line, field=key)
                seen[record[key]] = line
            record["_row"] = line
            rows.append(record)
    if not rows:
        raise CorpusError("manifest has no rows", file=path)
    frame = pd.DataFrame(rows)
    for name in OPTIONAL_FIELDS:
        if name not in frame:
            frame[name] = ""
    frame["label"] = frame["label"].where(frame["label"] != "", frame["id"])
    return frame


def read_text(path: Path, expected_sha256: str, *, manifest: Path, row: int) -> str:
    """Read one article file, checking presence, checksum, encoding and content."""
    if not path.is_file():
        raise CorpusError(f"file {path.name!r} listed in the manifest is absent", file=manifest,
                          row=row, field="file")
    data = path.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    if digest != expected_sha256.lower():
        raise CorpusError(f"sha256 of {path.name} is {digest}, manifest says {expected_sha256}",
                          file=manifest, row=row, field="sha256")
    try:
        raw = data.decode("utf-8")
    except UnicodeDecodeError as err:
        raise CorpusError(f"not UTF-8: byte {data[err.start]:#04x} at offset {err.start}",
                          file=path) from None
    if not raw.strip():
        raise CorpusError("file is empty", file=path)
    return raw


def load_corpus(root: Path | str | None = None) -> Corpus:
    """Load, check and clean a corpus folder; see :class:`Corpus` for the frames it returns."""
    root = corpus_root(root)
    manifest = read_manifest(root)
    folder = text_dir(root)
    listed = set(manifest["file"])
    for path in sorted(folder.glob("*.txt")):
        if path.name not in listed:
            raise CorpusError("file on disk is not in the manifest", file=path)
    articles, paragraphs, sentences, edits, cleaned_by_id = [], [], [], [], {}
    for rec in manifest.to_dict("records"):
        raw = read_text(folder / rec["file"], rec["sha256"], manifest=root / MANIFEST,
                        row=rec["_row"])
        cleaned = cleaning.clean(raw, rec)
        cleaned_by_id[rec["id"]] = cleaned
        body = cleaned.text
        paras = _paragraphs(rec["id"], body)
        sents = _sentences(rec["id"], body, paras, cleaned)
        audit = cleaned.edits()
        audit.insert(0, "article_id", rec["id"])
        edits.append(audit)
        paragraphs.extend(paras)
        sentences.extend(sents)
        articles.append({
            **{k: v for k, v in rec.items() if not k.startswith("_")},
            "date": pd.Timestamp(rec["date"]),
            "raw_text": raw,
            "text": body,
            "n_words": len(text.words(body)),
            "n_sentences": len(sents),
            "n_paragraphs": len(paras),
            "n_edits": len(audit),
            "chars_removed": int(audit["removed"].str.len().sum()),
        })
    return Corpus(
        root=root,
        articles=pd.DataFrame(articles).sort_values(["date", "id"], kind="stable")
        .reset_index(drop=True),
        paragraphs=pd.DataFrame(paragraphs),
        sentences=pd.DataFrame(sentences),
        edits=pd.concat(edits, ignore_index=True),
        cleaned=cleaned_by_id,
    )


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
    files = sorted(text_dir(root).glob("*.txt"))
    if not files:
        raise CorpusError("no .txt files found", file=text_dir(root))
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(REQUIRED_FIELDS + OPTIONAL_FIELDS)
        for f in files:
            ident = re.sub(r"[^A-Za-z0-9_-]+", "-", f.stem).strip("-") or "article"
            writer.writerow([ident, f.name, sha256_file(f), "", ""] + [""] * len(OPTIONAL_FIELDS))
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
        else:
            corpus = load_corpus(args.folder)
            print(corpus.articles[["id", "label", "date", "n_words", "n_sentences", "n_edits"]]
                  .to_string(index=False))
    except CorpusError as err:
        print(f"error: {err}")
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(_main())
