"""Bad and hostile input to the corpus loader, one table row per case.

Each row says what is fed (a corpus folder built in ``tmp_path``: article ``a`` is always good,
the case spoils article ``b``, the manifest or the folder) and either the error class and the
words its message must contain, or the clean text ``b`` must get. Every error row is run twice:
strict (the default, which raises) and lenient (``errors=[]``, where a bad document is skipped
and recorded and ``a`` still loads; problems with the manifest as a whole still raise).
"""

from __future__ import annotations

import csv
import hashlib
import io
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from analysis import corpus as corpus_mod
from analysis.cleaning import rebuild_raw
from analysis.corpus import CorpusError, DocumentError, init_manifest, load_corpus
from shared import BOOK

A = b"Headline A\nFirst paragraph. Second sentence.\n"
HEADER = ["id", "file", "sha256", "outlet", "date", "headline", "encoding"]


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def row(ident: str, name: str, data: bytes, **extra: str) -> dict:
    return {"id": ident, "file": name, "sha256": sha(data), "outlet": "Test outlet",
            "date": "2020-02-20", "headline": "", **extra}


def manifest_bytes(rows: list[dict], header: list[str] = HEADER, encoding: str = "utf-8",
                   newline: str = "\n") -> bytes:
    out = io.StringIO(newline="")
    writer = csv.DictWriter(out, fieldnames=header, extrasaction="ignore", lineterminator=newline)
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode(encoding)


def folder(tmp: Path, b: bytes | None = None, b_row: dict | None = None, *,
           manifest: bytes | None = None, rows: list[dict] | None = None) -> Path:
    """A corpus at ``tmp/corpus``: ``a.txt`` good, ``b.txt`` holding ``b`` (unless None)."""
    root = tmp / "corpus"
    (root / "raw").mkdir(parents=True)
    (root / "raw" / "a.txt").write_bytes(A)
    if b is not None:
        (root / "raw" / "b.txt").write_bytes(b)
    if rows is None:
        rows = [row("a", "a.txt", A, headline="Headline A")]
        if b_row is not None or b is not None:
            rows.append(b_row if b_row is not None else row("b", "b.txt", b))
    (root / "manifest.csv").write_bytes(manifest if manifest is not None
                                        else manifest_bytes(rows))
    return root


def outside(tmp: Path, data: bytes = b"Secret outside the corpus.\n") -> Path:
    path = tmp / "outside.txt"
    path.write_bytes(data)
    return path


def symlinked_file(tmp: Path) -> Path:
    target = outside(tmp)
    root = folder(tmp, b_row=row("b", "b.txt", target.read_bytes()))
    os.symlink(target, root / "raw" / "b.txt")
    return root


def symlink_inside(tmp: Path) -> Path:
    root = folder(tmp, b_row=row("b", "b.txt", A))
    os.symlink(root / "raw" / "a.txt", root / "raw" / "b.txt")
    return root


def symlinked_subfolder(tmp: Path) -> Path:
    target = outside(tmp)
    root = folder(tmp, b_row=row("b", "sub/outside.txt", target.read_bytes()))
    os.symlink(tmp, root / "raw" / "sub")
    return root


def symlinked_raw(tmp: Path) -> Path:
    elsewhere = tmp / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "a.txt").write_bytes(A)
    root = tmp / "corpus"
    root.mkdir()
    os.symlink(elsewhere, root / "raw")
    (root / "manifest.csv").write_bytes(manifest_bytes([row("a", "a.txt", A)]))
    return root


def stray(tmp: Path) -> Path:
    root = folder(tmp, b"Other text.\n")
    (root / "raw" / "stray.txt").write_bytes(b"Not listed.\n")
    return root


def limit(name: str, value: int, build: Callable[[Path], Path]) -> Callable:
    """Build with ``build`` while the corpus module's ``name`` limit is ``value``."""
    def setup(tmp: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
        monkeypatch.setattr(corpus_mod, name, value)
        return build(tmp)
    return setup


@dataclass(frozen=True)
class Bad:
    """A case that must raise ``error`` with ``words`` in its message (and ``row``/``field``)."""

    name: str
    build: Callable
    words: tuple[str, ...]
    row: int | None = None
    field: str | None = None
    step: str = ""  # the DocumentError step when lenient; "" = the whole manifest is refused
    error: type[Exception] = CorpusError
    loads: tuple[str, ...] = ("a",)  # what a lenient load still returns


BAD = [
    Bad("no manifest", lambda t: (t / "raw").mkdir() or t, ("manifest.csv", "not found")),
    Bad("header column missing",
        lambda t: folder(t, manifest=manifest_bytes([row("a", "a.txt", A)], HEADER[:4])),
        ("required column missing",), row=1, field="date"),
    Bad("manifest without rows", lambda t: folder(t, manifest=b"id,file,sha256,outlet,date\n"),
        ("no rows",)),
    Bad("manifest row with more fields than the header",
        lambda t: folder(t, manifest=manifest_bytes([row("a", "a.txt", A)]) + b"b,b,c,d,e,f,g,h,i\n"),
        ("more fields",), row=3),
    Bad("manifest that is not text",
        lambda t: folder(t, manifest=b"id,file,sha256,outlet,date\n\x81\x9d\x00\xff\xfe\x00\n"),
        ("not UTF-8", "re-save")),
    Bad("file absent", lambda t: folder(t, b_row=row("b", "b.txt", b"x")),
        ("'b.txt'", "absent"), row=3, field="file", step="read"),
    Bad("checksum differs", lambda t: folder(t, b"Text.\n", row("b", "b.txt", b"Other.\n")),
        ("sha256 of b.txt",), row=3, field="sha256", step="checksum"),
    Bad("required field empty", lambda t: folder(t, b"T.\n", row("b", "b.txt", b"T.\n", outlet="")),
        ("required field is empty",), row=3, field="outlet", step="manifest"),
    Bad("duplicate id", lambda t: folder(t, b"T.\n", row("a", "b.txt", b"T.\n")),
        ("duplicate id 'a'", "first on row 2"), row=3, field="id", step="manifest"),
    Bad("duplicate file", lambda t: folder(t, None, row("b", "a.txt", A)),
        ("duplicate file 'a.txt'",), row=3, field="file", step="manifest",
        loads=("a",)),
    Bad("id with a space", lambda t: folder(t, b"T.\n", row("b c", "b.txt", b"T.\n")),
        ("letters, digits",), row=3, field="id", step="manifest"),
    Bad("date in another form", lambda t: folder(t, b"T.\n",
                                                  row("b", "b.txt", b"T.\n", date="20 Feb 2020")),
        ("YYYY-MM-DD",), row=3, field="date", step="manifest"),
    Bad("date that does not exist", lambda t: folder(t, b"T.\n",
                                                     row("b", "b.txt", b"T.\n", date="2020-02-30")),
        ("'2020-02-30'", "not a calendar date"), row=3, field="date", step="manifest"),
    Bad("file empty", lambda t: folder(t, b"  \n"), ("b.txt", "empty"), step="empty"),
    Bad("file only a byte-order mark", lambda t: folder(t, b"\xef\xbb\xbf\r\n"),
        ("b.txt", "no text left"), step="empty"),
    Bad("file not text in any encoding", lambda t: folder(t, b"caf\xe9 \x81\x9d\x00\x01\n"),
        ("b.txt", "not UTF-8", "offset 3", "re-save the file as UTF-8"), step="decode"),
    Bad("encoding named in the manifest is wrong",
        lambda t: folder(t, b"caf\xe9\n", row("b", "b.txt", b"caf\xe9\n", encoding="utf-8")),
        ("b.txt", "not utf-8", "0xe9"), step="decode"),
    Bad("encoding named in the manifest is unknown",
        lambda t: folder(t, b"T.\n", row("b", "b.txt", b"T.\n", encoding="klingon")),
        ("unknown encoding 'klingon'",), row=3, field="encoding", step="decode"),
    Bad("path up and out of the folder, right checksum",
        lambda t: folder(t, b_row=row("b", "../../outside.txt", outside(t).read_bytes())),
        ("'../../outside.txt'", "leaves the text folder"), row=3, field="file", step="path"),
    Bad("absolute path, right checksum",
        lambda t: folder(t, b_row=row("b", str(outside(t)), outside(t).read_bytes())),
        ("absolute path",), row=3, field="file", step="path"),
    Bad("symbolic link to a file outside", symlinked_file,
        ("'b.txt'", "resolves outside"), row=3, field="file", step="path"),
    Bad("symbolic link to a file inside", symlink_inside,
        ("'b.txt'", "symbolic link"), row=3, field="file", step="path"),
    Bad("sub-folder that is a symbolic link", symlinked_subfolder,
        ("'sub/outside.txt'", "resolves outside"), row=3, field="file", step="path"),
    Bad("raw folder that is a symbolic link", symlinked_raw, ("raw", "symbolic link")),
    Bad("file on disk not in the manifest", stray, ("stray.txt", "not in the manifest"),
        step="unlisted", loads=("a", "b")),
    Bad("file over the size limit", limit("MAX_FILE_BYTES", len(A), lambda t: folder(t, A + A)),
        ("b.txt", "limit is"), step="size"),
    Bad("paragraph over the sentence-splitting limit",
        limit("MAX_PARAGRAPH_CHARS", 40, lambda t: folder(t, b"One long paragraph, " * 3)),
        ("b.txt", "paragraph 1", "line breaks"), step="sentences"),
]


def build(case: Bad, tmp: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    if case.build.__code__.co_argcount == 2:
        return case.build(tmp, monkeypatch)
    return case.build(tmp)


@pytest.mark.parametrize("case", BAD, ids=[c.name for c in BAD])
def test_bad_input_raises_a_named_error(case, tmp_path, monkeypatch):
    root = build(case, tmp_path, monkeypatch)
    with pytest.raises(case.error) as info:
        load_corpus(root)
    message = str(info.value)
    for word in case.words:
        assert word in message, message
    assert (info.value.row, info.value.field) == (case.row, case.field)
    if case.step:
        assert info.value.step == case.step


@pytest.mark.parametrize("case", BAD, ids=[c.name for c in BAD])
def test_lenient_load_skips_the_bad_document_and_goes_on(case, tmp_path, monkeypatch):
    root = build(case, tmp_path, monkeypatch)
    errors: list[DocumentError] = []
    if not case.step:  # the manifest as a whole is bad: no run can start
        with pytest.raises(case.error):
            load_corpus(root, errors=errors)
        return
    loaded = load_corpus(root, errors=errors)
    assert loaded.articles["id"].tolist() == list(case.loads)
    assert [e.step for e in errors] == [case.step]
    assert all(word in errors[0].message for word in case.words), errors[0].message
    if case.step not in ("unlisted", "manifest"):
        assert errors[0].article_id == "b"


def test_lenient_load_with_every_document_bad_still_raises(tmp_path):
    root = folder(tmp_path, rows=[row("a", "a.txt", b"not these bytes")])
    errors: list[DocumentError] = []
    with pytest.raises(CorpusError, match="no document could be loaded"):
        load_corpus(root, errors=errors)
    assert [e.step for e in errors] == ["checksum"]


def test_nothing_outside_the_folder_is_read(tmp_path):
    """The hostile rows leave no trace of the outside file's text in a lenient load."""
    secret = outside(tmp_path)
    rows = [row("a", "a.txt", A), row("up", "../../outside.txt", secret.read_bytes()),
            row("abs", str(secret), secret.read_bytes()), row("link", "b.txt", secret.read_bytes())]
    root = folder(tmp_path, rows=rows)
    os.symlink(secret, root / "raw" / "b.txt")
    errors: list[DocumentError] = []
    loaded = load_corpus(root, errors=errors)
    assert loaded.articles["id"].tolist() == ["a"]
    assert sorted(e.article_id for e in errors) == ["abs", "link", "up"]
    assert not loaded.articles["raw_text"].str.contains("Secret").any()


# --- files as people save them: loaded, with the fix in the audit --------------------------

@dataclass(frozen=True)
class Saved:
    """A file or manifest saved some common way: it must load to ``text`` with these steps."""

    name: str
    data: bytes  # the bytes of b.txt
    text: str  # b's clean text
    steps: tuple[str, ...] = ()  # audit steps b's edits must include
    encoding: str = "utf-8"
    headline: str = ""
    manifest: Callable[[list[dict]], bytes] = manifest_bytes
    outlet: str = "Test outlet"


SAVED = [
    Saved("UTF-8 with a byte-order mark", b"\xef\xbb\xbfStorm hits\nRain fell. It stopped.\n",
          "Rain fell. It stopped.", ("byte_order_mark", "headline"), headline="Storm hits"),
    Saved("Windows line endings", b"Storm hits\r\nRain fell.\r\n\r\nIt stopped.\r\n",
          "Rain fell.\n\nIt stopped.", ("line_endings", "headline"), headline="Storm hits"),
    Saved("old Mac line endings", b"Storm hits\rRain fell.\rIt stopped.\r",
          "Rain fell.\n\nIt stopped.", ("line_endings", "headline"), headline="Storm hits"),
    Saved("NUL bytes", b"Rain\x00 fell.\x00\x00 It stopped.\n", "Rain fell. It stopped.",
          ("control_characters",)),
    Saved("all three", b"\xef\xbb\xbfStorm hits\r\nRain\x00 fell.\r\n",
          "Rain fell.", ("byte_order_mark", "line_endings", "control_characters", "headline"),
          headline="Storm hits"),
    Saved("Windows-1252", "Caf\u00e9 owner said \u201cno\u201d \u2013 twice.\n".encode("cp1252"),
          "Caf\u00e9 owner said \u201cno\u201d \u2013 twice.", ("decode",), "cp1252"),
    Saved("Latin-1 (same bytes as Windows-1252 for letters)",
          "Der B\u00e4cker sagte: gr\u00fc\u00dfe.\n".encode("latin-1"),
          "Der B\u00e4cker sagte: gr\u00fc\u00dfe.", ("decode",), "cp1252"),
    Saved("UTF-16 with a byte-order mark (Notepad 'Unicode')",
          "\ufeffRain fell.\r\nIt stopped.\r\n".encode("utf-16-le"), "Rain fell.\n\nIt stopped.",
          ("decode", "byte_order_mark", "line_endings"), "utf-16-le"),
    Saved("manifest from Excel 'CSV UTF-8' (byte-order mark)", b"Rain fell.\n", "Rain fell.",
          manifest=lambda rows: b"\xef\xbb\xbf" + manifest_bytes(rows), outlet="Caf\u00e9 Post"),
    Saved("manifest saved as Windows-1252", b"Rain fell.\n", "Rain fell.",
          manifest=lambda rows: manifest_bytes(rows, encoding="cp1252"), outlet="Caf\u00e9 Post"),
    Saved("manifest with Windows line endings", b"Rain fell.\n", "Rain fell.",
          manifest=lambda rows: manifest_bytes(rows, newline="\r\n")),
]


@pytest.mark.parametrize("case", SAVED, ids=[c.name for c in SAVED])
def test_files_as_people_save_them_load_and_stay_rebuildable(case, tmp_path):
    rows = [row("a", "a.txt", A, headline="Headline A"),
            row("b", "b.txt", case.data, headline=case.headline, outlet=case.outlet)]
    root = folder(tmp_path, case.data, manifest=case.manifest(rows))
    loaded = load_corpus(root)
    b = loaded.articles.set_index("id").loc["b"]
    assert (b.text, b.encoding, b.outlet) == (case.text, case.encoding, case.outlet)
    audit = loaded.edits[loaded.edits["article_id"] == "b"]
    steps = {s for step in audit["step"] for s in step.split("+")}
    assert set(case.steps) <= steps, steps
    assert rebuild_raw(b.text, audit).encode(b.encoding) == case.data  # the bytes on disk
    assert loaded.text("a") == "First paragraph. Second sentence."


def test_utf8_texts_are_never_decoded_otherwise():
    """The five texts are UTF-8 and charset-normalizer agrees; they get no decode row."""
    loaded = load_corpus(BOOK)
    assert set(loaded.articles["encoding"]) == {"utf-8"}
    assert "decode" not in set(loaded.edits["step"])


# --- init ---------------------------------------------------------------------------------

def test_init_gives_distinct_ids_to_names_that_fold_together(tmp_path):
    for name in ("storm report.txt", "storm-report.txt", "storm_report-2.txt"):
        (tmp_path / name).write_bytes(b"Rain fell.\n")
    with init_manifest(tmp_path).open(encoding="utf-8") as fh:
        ids = [r["id"] for r in csv.DictReader(fh)]
    assert len(ids) == len(set(ids)) == 3
    assert ids[:2] == ["storm-report", "storm-report-2"] or "storm-report" in ids


def test_init_refuses_a_symbolic_link(tmp_path):
    root = tmp_path / "corpus"
    root.mkdir()
    (root / "a.txt").write_bytes(A)
    os.symlink("/etc/hostname" if Path("/etc/hostname").exists() else outside(tmp_path),
               root / "system.txt")
    with pytest.raises(CorpusError) as info:
        init_manifest(root)
    assert "system.txt" in str(info.value) and "symbolic link" in str(info.value)
    assert not (root / "manifest.csv").exists()
