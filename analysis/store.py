"""The run folder: what :mod:`analysis.pipeline` writes and every reader (CLI, chapters, cards)
reads back.

Layout of a run folder::

    .wirespin-run          marker: this folder is a run the package wrote (JSON)
    run.json               the run manifest: package version, configuration, input checksums,
                           and per stage its key, seconds, tables and row counts
    README.md              what each table holds and its columns
    tables/<name>.parquet  one Parquet file per table (typed; for the machine)
    tables/<name>/part-NNNNN.parquet
                           a table written in chunks as articles stream through a stage
    csv/<name>.csv         the same tables for people, written on request (``--csv``)
    cards.html, cards.csv  one card per article, for people (page) and spreadsheets (counts)

A run folder is the package's own: :func:`prepare_output` refuses to write into a folder that
holds anything else, and replaces an earlier run whole (written beside, then swapped in), so a
second run never leaves the first run's tables behind and never deletes a user's files.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from analysis.cleaning import Cleaned, Piece
from analysis.corpus import Corpus
from analysis.text import AnalysisError

MARKER = ".wirespin-run"
MANIFEST = "run.json"
README = "README.md"
TABLES = "tables"
CSV = "csv"
CARDS = ("cards.html", "cards.csv")  # one card per article (analysis.present.cards)
FORMAT = 1


class RunFolderError(AnalysisError):
    """An output folder the run may not write into, or a run folder that cannot be read."""


def _is_run(path: Path) -> bool:
    try:
        marker = json.loads((path / MARKER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(marker, dict) and marker.get("format") == FORMAT


# Top-level names a run folder may hold: what the package writes there.
OWN_NAMES = frozenset({MARKER, MANIFEST, README, TABLES, CSV, *CARDS})


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def check_output(out: Path | str, *, corpus: Path | str | None = None) -> Path:
    """Refuse, before any work, an output folder the run could damage; return it resolved.

    Accepted: a path that does not exist (its parent folders are created), an empty folder, or
    a folder an earlier run marked as its own and that holds nothing else. Refused: a file, a
    folder with other content, the corpus folder, a folder inside it or one that contains it.
    """
    out = Path(out).expanduser()
    if out.is_symlink():
        raise RunFolderError("the output is a symbolic link; give a real folder", file=out)
    out = out.resolve()
    if corpus is not None:
        root = Path(corpus).expanduser().resolve()
        if _inside(out, root) or _inside(root, out):
            raise RunFolderError(f"the output must be outside the corpus folder {root} (and "
                                 "not contain it): choose another folder", file=out)
    if out.exists() and not out.is_dir():
        raise RunFolderError("the output exists and is not a folder: choose a new or empty "
                             "folder", file=out)
    if out.is_dir():
        names = {p.name for p in out.iterdir()}
        if names and not _is_run(out):
            raise RunFolderError("the output folder is not empty and is not an earlier run of "
                                 "this tool; nothing was written (choose a new or empty folder)",
                                 file=out)
        foreign = sorted(names - OWN_NAMES)
        if names and foreign:
            raise RunFolderError("the earlier run in this folder now holds files the run did "
                                 f"not write ({', '.join(foreign[:5])}); move them out or "
                                 "choose another folder", file=out)
    parent = out.parent
    if parent.exists() and not os.access(parent, os.W_OK):
        raise RunFolderError("cannot write next to the output folder (permission denied)",
                             file=parent)
    return out


class Staging:
    """A new run written beside ``out`` and swapped in whole by :meth:`commit`."""

    def __init__(self, out: Path):
        self.out = out
        out.parent.mkdir(parents=True, exist_ok=True)
        self.path = Path(tempfile.mkdtemp(prefix=f".{out.name}.new-", dir=out.parent))
        (self.path / TABLES).mkdir()
        (self.path / MARKER).write_text(json.dumps({"format": FORMAT}), encoding="utf-8")

    def commit(self) -> Path:
        """Swap the new run in: the old run (if any) is renamed aside, then removed."""
        old = None
        if self.out.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{self.out.name}.old-", dir=self.out.parent))
            old.rmdir()
            self.out.rename(old)
        self.path.rename(self.out)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
        return self.out

    def abandon(self) -> None:
        shutil.rmtree(self.path, ignore_errors=True)


def table_path(folder: Path, name: str) -> Path:
    return folder / TABLES / f"{name}.parquet"


def write_table(folder: Path, name: str, frame: pd.DataFrame) -> None:
    frame.to_parquet(table_path(folder, name), index=False)


class TableWriter:
    """Writes one table in parts as results stream in, so a stage never holds all of them."""

    def __init__(self, folder: Path, name: str, chunk_rows: int = 50_000):
        self.dir = folder / TABLES / name
        self.dir.mkdir(parents=True, exist_ok=True)
        self.frames: list[pd.DataFrame] = []
        self.rows = 0
        self.parts = 0
        self.chunk_rows = chunk_rows
        self.columns: list[str] | None = None

    def add(self, frame: pd.DataFrame | None) -> None:
        if frame is None or not len(frame):
            if frame is not None and self.columns is None and len(frame.columns):
                self.columns = list(frame.columns)
            return
        self.frames.append(frame)
        self.rows += len(frame)
        if sum(len(f) for f in self.frames) >= self.chunk_rows:
            self.flush()

    def flush(self) -> None:
        if not self.frames:
            return
        frame = pd.concat(self.frames, ignore_index=True)
        self.columns = self.columns or list(frame.columns)
        frame.to_parquet(self.dir / f"part-{self.parts:05d}.parquet", index=False)
        self.parts += 1
        self.frames = []

    def close(self, columns: Iterable[str] = ()) -> int:
        self.flush()
        if not self.parts:  # an empty table still has its columns
            cols = self.columns or list(columns)
            pd.DataFrame(columns=cols).to_parquet(self.dir / "part-00000.parquet", index=False)
        return self.rows


def has_table(folder: Path, name: str) -> bool:
    return table_path(folder, name).is_file() or (folder / TABLES / name).is_dir()


def read_table(folder: Path, name: str) -> pd.DataFrame:
    single, parts = table_path(folder, name), folder / TABLES / name
    if single.is_file():
        return pd.read_parquet(single)
    if parts.is_dir():
        files = sorted(parts.glob("part-*.parquet"))
        frames = [pd.read_parquet(f) for f in files]
        full = [f for f in frames if len(f)]
        return pd.concat(full, ignore_index=True) if full else frames[0]
    raise RunFolderError(f"the run has no table {name!r}", file=folder)


def copy_table(src: Path, dst: Path, name: str) -> None:
    """Carry an unchanged stage's table into the new run (hard link where possible)."""
    single, parts = table_path(src, name), src / TABLES / name
    if single.is_file():
        _link(single, table_path(dst, name))
    elif parts.is_dir():
        (dst / TABLES / name).mkdir(parents=True, exist_ok=True)
        for f in parts.glob("part-*.parquet"):
            _link(f, dst / TABLES / name / f.name)
    else:
        raise RunFolderError(f"the earlier run lost its table {name!r}", file=src)


def _link(src: Path, dst: Path) -> None:
    try:
        os.link(src, dst)
    except OSError:
        shutil.copy2(src, dst)


# --- Spreadsheet-safe CSV -----------------------------------------------------------------------

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: object) -> object:
    """A text cell a spreadsheet would run as a formula (OWASP "CSV injection": a cell starting
    with ``= + - @``, tab or carriage return) gets a leading apostrophe; the raw value is the
    cell without it, and stays exact in the Parquet tables."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def write_csv(frame: pd.DataFrame, path: Path) -> None:
    safe = frame.copy()
    for column in safe.columns:
        if safe[column].dtype == object or pd.api.types.is_string_dtype(safe[column]):
            safe[column] = safe[column].map(spreadsheet_safe)
    safe.to_csv(path, index=False)


# --- Reading a run ------------------------------------------------------------------------------

@dataclass(frozen=True)
class StoredRun:
    """A run folder opened for reading."""

    path: Path
    manifest: dict

    @classmethod
    def open(cls, path: Path | str) -> StoredRun:
        path = Path(path).expanduser().resolve()
        if not _is_run(path):
            raise RunFolderError("not a run folder (no marker; run `python -m analysis run` "
                                 "first)", file=path)
        try:
            manifest = json.loads((path / MANIFEST).read_text(encoding="utf-8"))
        except (OSError, ValueError) as err:
            raise RunFolderError(f"the run manifest cannot be read: {err}", file=path) from None
        return cls(path, manifest)

    @property
    def tables(self) -> list[str]:
        return [t for stage in self.manifest["stages"].values() for t in stage["tables"]]

    def table(self, name: str) -> pd.DataFrame:
        return read_table(self.path, name)

    def __getitem__(self, name: str) -> pd.DataFrame:
        return self.table(name)

    def corpus(self, root: Path | str = "") -> Corpus:
        """The :class:`~analysis.corpus.Corpus` the ``load`` stage stored, rebuilt from the run
        (texts, frames and the cleaning audit) without reading the corpus folder again."""
        articles = self.table("articles").rename(columns={"article_id": "id"})
        audit = self.table("cleaning")
        by_article = audit.groupby("article_id", sort=False).indices
        cleaned = {}
        for row in articles.itertuples(index=False):
            rows = audit.iloc[by_article.get(row.id, [])]
            cleaned[row.id] = _cleaned(row.raw_text, rows, row.encoding or "utf-8", row.text,
                                       self.path)
        return Corpus(root=Path(root or self.manifest.get("corpus", "")), articles=articles,
                      paragraphs=self.table("paragraphs"), sentences=self.table("sentences"),
                      edits=audit, cleaned=cleaned)


def _cleaned(raw: str, audit: pd.DataFrame, encoding: str, text: str, where: Path) -> Cleaned:
    """The cleaning pieces rebuilt from the audit: kept raw text between the audited changes."""
    pieces, pos = [], 0
    for e in audit[audit["step"] != "decode"].itertuples(index=False):
        if e.raw_start > pos:
            pieces.append(Piece(pos, int(e.raw_start), raw[pos:e.raw_start]))
        pieces.append(Piece(int(e.raw_start), int(e.raw_end), e.inserted, e.step, e.reason))
        pos = int(e.raw_end)
    if pos < len(raw):
        pieces.append(Piece(pos, len(raw), raw[pos:]))
    out = Cleaned(raw, tuple(pieces), encoding)
    if out.text != text:
        raise RunFolderError("the stored cleaning audit does not rebuild the clean text; run "
                             "again", file=where)
    return out
