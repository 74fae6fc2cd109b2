"""Trust with your folder: every file loaded or named, duplicates named, no crash on a bad
manifest, nothing from the corpus printed raw to the terminal, and no traceback from the CLI.

Each corpus is built in ``tmp_path``. New API (``terminal_safe``, ``init --force``) is reached
through the module or the CLI, so a missing name fails its own test and not the whole file.
"""

from __future__ import annotations

import csv
import dataclasses
import errno
import hashlib
import io
import os
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from analysis import corpus as corpus_mod
from analysis import text as text_mod
from analysis.corpus import CorpusError, DocumentError, init_manifest, load_corpus

A = b"Storm hits the coast\nRain fell all night. Roads closed.\n"
B = b"Markets rose on Tuesday. Traders were calm.\n"
HEADER = ["id", "file", "sha256", "outlet", "date"]
UNSAFE = {"Cc", "Cf", "Cs", "Zl", "Zp"}  # what may not reach a terminal unescaped


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def line(ident: str, name: str, data: bytes, **extra: str) -> dict[str, str]:
    return {"id": ident, "file": name, "sha256": sha(data), "outlet": "Test outlet",
            "date": "2020-02-20", **extra}


def manifest(rows: list[dict[str, str]], header: list[str] = HEADER) -> bytes:
    out = io.StringIO(newline="")
    writer = csv.DictWriter(out, fieldnames=header, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def build(tmp: Path, files: dict[str, bytes], rows: list[dict[str, str]] | None = None, *,
          raw: bool = True, data: bytes | None = None) -> Path:
    """A corpus at ``tmp/corpus``: ``files`` (paths may hold '/') in raw/ (or beside the
    manifest), and a manifest of ``rows`` (default: every file, id from its stem)."""
    root = tmp / "corpus"
    folder = root / "raw" if raw else root
    folder.mkdir(parents=True, exist_ok=True)
    for name, content in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(content)
    if rows is None:
        rows = [line(Path(n).stem, n, d) for n, d in files.items()]
    (root / "manifest.csv").write_bytes(manifest(rows) if data is None else data)
    return root


def lenient(root: Path) -> tuple[list[str], list[DocumentError]]:
    errors: list[DocumentError] = []
    loaded = load_corpus(root, errors=errors)
    return loaded.articles["id"].tolist(), errors


def named(errors: list[DocumentError], name: str) -> list[DocumentError]:
    """The errors whose message names the file ``name``."""
    return [e for e in errors if name in e.message]


def cli(capsys: pytest.CaptureFixture, *argv: str) -> tuple[int, str]:
    """Run ``python -m analysis.corpus`` in-process: exit code and everything printed."""
    code = corpus_mod._main(list(argv))
    got = capsys.readouterr()
    printed = got.out + got.err
    assert "Traceback" not in printed, printed
    return code, printed


def unsafe_chars(printed: str) -> list[str]:
    return [c for c in printed if c != "\n" and unicodedata.category(c) in UNSAFE]


def fill_in(path: Path) -> list[dict[str, str]]:
    """Fill outlet and date of a manifest ``init`` wrote; returns its rows."""
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    for r in rows:
        r.update(outlet="Mine", date="2021-01-01")
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return rows


# --- 1. nothing left out in silence ---------------------------------------------------------

def test_init_and_loader_find_every_case_of_txt_and_sub_folders(tmp_path):
    root = tmp_path / "corpus"
    files = {"A.TXT": A, "b.Txt": B, "c.txt": b"Third text here.\n",
             "2024-05-01/d.txt": b"Fourth text here.\n", "2024-05-02/d.txt": b"Fifth one.\n"}
    for name, data in files.items():
        (root / "raw" / name).parent.mkdir(parents=True, exist_ok=True)
        (root / "raw" / name).write_bytes(data)
    rows = fill_in(init_manifest(root))
    assert sorted(r["file"] for r in rows) == sorted(files)
    assert len({r["id"].lower() for r in rows}) == len(rows)
    ids, errors = lenient(root)
    assert errors == [] and len(ids) == len(files)


def test_unlisted_files_in_any_case_or_sub_folder_are_named(tmp_path):
    root = build(tmp_path, {"a.txt": A})
    (root / "raw" / "B.TXT").write_bytes(B)
    (root / "raw" / "2024-05-01").mkdir()
    (root / "raw" / "2024-05-01" / "c.txt").write_bytes(b"Dated text.\n")
    ids, errors = lenient(root)
    assert ids == ["a"]
    for name in ("B.TXT", "2024-05-01/c.txt"):
        found = named(errors, name)
        assert [e.step for e in found] == ["unlisted"], errors
        assert "not in the manifest" in found[0].message
    with pytest.raises(CorpusError, match="not in the manifest"):
        load_corpus(root)


def test_manifest_paths_into_sub_folders_load(tmp_path):
    root = build(tmp_path, {"2024-05-01/a.txt": A, "2024-05-02/a.txt": B},
                 rows=[line("one", "2024-05-01/a.txt", A), line("two", "2024-05-02/a.txt", B)])
    loaded = load_corpus(root)
    assert loaded.articles["id"].tolist() == ["one", "two"]
    assert loaded.text("two") == B.decode().strip()


def test_text_files_beside_the_manifest_are_named_when_raw_exists(tmp_path):
    root = build(tmp_path, {"a.txt": A})
    (root / "beside.txt").write_bytes(B)
    (root / "2024-05-01").mkdir()
    (root / "2024-05-01" / "dated.TXT").write_bytes(B)
    (root / "README.md").write_text("My notes.\n", encoding="utf-8")
    ids, errors = lenient(root)
    assert ids == ["a"]
    for name in ("beside.txt", "dated.TXT"):
        found = named(errors, name)
        assert len(found) == 1 and "raw/" in found[0].message, errors
    assert not named(errors, "README.md")
    with pytest.raises(CorpusError, match="outside raw/"):
        load_corpus(root)


def test_other_files_in_the_text_folder_are_named_system_files_ignored(tmp_path):
    root = build(tmp_path, {"a.txt": A})
    raw = root / "raw"
    for name in ("story.docx", "page.html", "notes.md", ".DS_Store", "Thumbs.db", "desktop.ini",
                 ".hidden.txt"):
        (raw / name).write_bytes(b"PK\x03\x04 something")
    (raw / "__MACOSX").mkdir()
    (raw / "__MACOSX" / "._a.txt").write_bytes(b"\x00\x05\x16\x07")
    ids, errors = lenient(root)
    assert ids == ["a"]
    for name in ("story.docx", "page.html", "notes.md"):
        found = named(errors, name)
        assert len(found) == 1 and ".txt" in found[0].message, errors
    assert len(errors) == 3, errors


def test_listed_empty_wordless_and_markup_files_are_named_not_articles(tmp_path):
    files = {"a.txt": A, "empty.txt": b"\n  \n", "dots.txt": b"* * *\n...\n--\n",
             "page.txt": b"<!DOCTYPE html>\n<html><head><title>T</title></head>"
                         b"<body><p>Rain fell.</p></body></html>\n",
             "feed.txt": b'<?xml version="1.0"?>\n<rss><item>Rain</item></rss>\n',
             "word.txt": b"PK\x03\x04\x14\x00\x06\x00word/document.xml"}
    ids, errors = lenient(build(tmp_path, files))
    assert ids == ["a"]
    steps = {e.article_id: e.step for e in errors}
    assert steps == {"empty": "empty", "dots": "no_words", "page": "markup", "feed": "markup",
                     "word": "not_text"}, errors


def test_unlisted_empty_wordless_and_markup_files_say_why(tmp_path):
    root = build(tmp_path, {"a.txt": A})
    (root / "raw" / "empty.txt").write_bytes(b"")
    (root / "raw" / "dots.txt").write_bytes(b"* * *\n")
    (root / "raw" / "page.txt").write_bytes(b"<html><body><p>x</p><p>y</p></body></html>")
    _, errors = lenient(root)
    for name, why in (("empty.txt", "empty"), ("dots.txt", "no words"), ("page.txt", "HTML")):
        found = named(errors, name)
        assert len(found) == 1 and why in found[0].message, errors


def test_init_lists_only_articles_and_names_the_rest(tmp_path, capsys):
    root = tmp_path / "corpus"
    (root / "raw").mkdir(parents=True)
    for name, data in {"a.txt": A, "empty.txt": b"", "dots.txt": b"* * *\n",
                       "page.txt": b"<!doctype html><html></html>", "b.docx": b"PK\x03\x04"
                       }.items():
        (root / "raw" / name).write_bytes(data)
    (root / "beside.txt").write_bytes(B)
    code, printed = cli(capsys, "init", str(root))
    assert code == 0
    with (root / "manifest.csv").open(encoding="utf-8") as fh:
        assert [r["file"] for r in csv.DictReader(fh)] == ["a.txt"]
    for name in ("empty.txt", "dots.txt", "page.txt", "b.docx", "beside.txt"):
        assert name in printed, printed


def test_check_names_every_file_it_does_not_load(tmp_path, capsys):
    root = build(tmp_path, {"a.txt": A, "empty.txt": b""})
    (root / "raw" / "UPPER.TXT").write_bytes(B)
    (root / "raw" / "sub").mkdir()
    (root / "raw" / "sub" / "deep.txt").write_bytes(B)
    (root / "raw" / "story.docx").write_bytes(b"PK\x03\x04")
    (root / "beside.txt").write_bytes(B)
    code, printed = cli(capsys, "check", str(root))
    assert code == 1
    for name in ("empty.txt", "UPPER.TXT", "sub/deep.txt", "story.docx", "beside.txt"):
        assert name in printed, printed


def test_a_listed_file_in_the_wrong_place_says_where_it_is(tmp_path):
    root = build(tmp_path, {"a.txt": A}, rows=[line("a", "a.txt", A), line("b", "b.txt", B),
                                                line("c", "raw/c.txt", B)])
    (root / "b.txt").write_bytes(B)
    (root / "raw" / "c.txt").write_bytes(B)
    _, errors = lenient(root)
    hints = {e.article_id: e.message for e in errors if e.article_id}
    assert "beside manifest.csv: move it into raw/" in hints["b"], errors
    assert "write 'c.txt'" in hints["c"], errors


def test_a_pipe_is_named_not_read(tmp_path):
    root = build(tmp_path, {"a.txt": A}, rows=[line("a", "a.txt", A), line("b", "b.txt", B)])
    os.mkfifo(root / "raw" / "b.txt")
    os.mkfifo(root / "raw" / "c.txt")
    ids, errors = lenient(root)  # would hang if either pipe were opened
    assert ids == ["a"]
    assert all("not a regular file" in e.message for e in errors) and len(errors) == 2, errors


def test_a_file_that_mixes_encodings_is_refused_not_garbled(tmp_path):
    data = b"\xef\xbb\xbfCaf\xe9 owner spoke.\n"
    ids, errors = lenient(build(tmp_path, {"a.txt": A, "b.txt": data}))
    assert ids == ["a"] and [e.step for e in errors] == ["decode"]
    assert "mixes encodings" in errors[0].message


def test_a_symlinked_sub_folder_is_named_not_followed(tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "secret.txt").write_bytes(b"Secret outside the corpus.\n")
    root = build(tmp_path, {"a.txt": A})
    os.symlink(elsewhere, root / "raw" / "linked")
    ids, errors = lenient(root)
    assert ids == ["a"]
    found = named(errors, "linked")
    assert len(found) == 1 and "symbolic link" in found[0].message, errors


def outside_file(tmp: Path) -> bytes:
    data = b"Secret outside the corpus.\n"
    (tmp / "outside.txt").write_bytes(data)
    return data


def link_to_outside(tmp: Path, root: Path) -> None:
    (root / "raw" / "sub").mkdir(exist_ok=True)
    os.symlink(tmp / "outside.txt", root / "raw" / "sub" / "b.txt")


def link_folder_inside(tmp: Path, root: Path) -> None:
    (root / "raw" / "real").mkdir(exist_ok=True)
    (root / "raw" / "real" / "b.txt").write_bytes(outside_file(tmp))
    os.symlink(root / "raw" / "real", root / "raw" / "sub")


@pytest.mark.parametrize("name, words, prepare", [
    ("sub/../../outside.txt", ("'..'",), None),
    ("sub/../a.txt", ("'..'",), None),
    ("sub\\..\\..\\outside.txt", ("'..'",), None),
    ("/tmp/sub/outside.txt", ("absolute",), None),
    ("sub/b.txt", ("outside",), link_to_outside),
    ("sub/b.txt", ("symbolic link",), link_folder_inside),
], ids=["up and out", "up and back", "windows separators", "absolute", "link to outside",
        "linked sub-folder inside"])
def test_sub_folder_paths_cannot_leave_the_folder(tmp_path, name, words, prepare):
    data = outside_file(tmp_path)
    root = build(tmp_path, {"a.txt": A}, rows=[line("a", "a.txt", A), line("b", name, data)])
    if prepare:
        prepare(tmp_path, root)
    with pytest.raises(CorpusError):
        load_corpus(root)
    errors: list[DocumentError] = []
    loaded = load_corpus(root, errors=errors)
    assert not loaded.articles["raw_text"].str.contains("Secret").any()
    refused = [e for e in errors if e.article_id == "b"]
    assert [(e.row, e.step) for e in refused] == [(3, "path")], errors
    assert all(w in refused[0].message for w in words), refused[0].message


# --- 2. duplicates named ----------------------------------------------------------------------

def test_byte_identical_files_are_named_both(tmp_path):
    root = build(tmp_path, {"a.txt": A, "copy of a.txt": A, "b.txt": B},
                 rows=[line("a", "a.txt", A), line("copy", "copy of a.txt", A),
                       line("b", "b.txt", B)])
    ids, errors = lenient(root)
    assert sorted(ids) == ["a", "b", "copy"]  # both kept, as separate articles
    dup = [e for e in errors if e.step == "duplicate"]
    assert len(dup) == 1 and "a.txt" in dup[0].message and "copy of a.txt" in dup[0].message
    assert "b.txt" not in dup[0].message


def test_check_names_duplicates(tmp_path, capsys):
    root = build(tmp_path, {"a.txt": A, "again.txt": A})
    code, printed = cli(capsys, "check", str(root))
    dup = [ln for ln in printed.splitlines() if "identical" in ln]
    assert len(dup) == 1 and "a.txt" in dup[0] and "again.txt" in dup[0], printed
    assert code == 0  # both load: a warning, not an error


def test_init_names_duplicates(tmp_path, capsys):
    for name, data in {"a.txt": A, "b.txt": B, "sub/a.txt": A}.items():
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_bytes(data)
    code, printed = cli(capsys, "init", str(tmp_path))
    dup = [ln for ln in printed.splitlines() if "identical" in ln]
    assert code == 0 and len(dup) == 1 and "'a.txt'" in dup[0] and "'sub/a.txt'" in dup[0]


def test_strict_load_warns_of_duplicates(tmp_path):
    root = build(tmp_path, {"a.txt": A, "again.txt": A})
    with pytest.warns(UserWarning, match="identical"):
        assert len(load_corpus(root).articles) == 2


def test_same_text_after_cleaning_is_named_both(tmp_path):
    # The same article saved again: Windows line endings, a byte-order mark, a share row.
    again = b"\xef\xbb\xbf" + A.replace(b"\n", b"\r\n") + b"Share | Tweet | Email\r\n"
    root = build(tmp_path, {"a.txt": A, "a-saved-again.txt": again, "b.txt": B})
    ids, errors = lenient(root)
    assert sorted(ids) == ["a", "a-saved-again", "b"]  # both kept, as separate articles
    same = [e for e in errors if e.step == "duplicate_text"]
    assert len(same) == 1 and same[0].level == "warning", errors
    assert "'a.txt'" in same[0].message and "'a-saved-again.txt'" in same[0].message
    assert same[0].article_id == "a-saved-again"
    assert not [e for e in errors if e.step == "duplicate"]  # the bytes differ


def test_byte_identical_files_are_not_named_twice(tmp_path):
    root = build(tmp_path, {"a.txt": A, "again.txt": A})
    _, errors = lenient(root)
    assert [e.step for e in errors] == ["duplicate"]


def test_check_names_files_with_the_same_text(tmp_path, capsys):
    root = build(tmp_path, {"a.txt": A, "b.txt": A.replace(b"\n", b"\r\n")})
    code, printed = cli(capsys, "check", str(root))
    same = [ln for ln in printed.splitlines() if "same text after cleaning" in ln]
    assert len(same) == 1 and "'a.txt'" in same[0] and "'b.txt'" in same[0], printed
    assert same[0].startswith("warning:") and code == 0


def test_run_lists_duplicates_in_errors(tmp_path):
    from analysis import pipeline

    root = build(tmp_path, {"a.txt": A, "copy.txt": A, "b.txt": B,
                            "b-again.txt": B.replace(b"\n", b"\r\n")})
    errors = pipeline.errors(pipeline.run(root, tmp_path / "run", stages=("load",)))
    rows = {(r.article_id, r.step) for r in errors.itertuples()}
    assert rows == {("copy", "load.duplicate"), ("b-again", "load.duplicate_text")}


def test_unlisted_copy_of_a_listed_file_is_named_with_its_twin(tmp_path):
    root = build(tmp_path, {"a.txt": A})
    (root / "raw" / "a (1).txt").write_bytes(A)
    _, errors = lenient(root)
    found = named(errors, "a (1).txt")
    assert len(found) == 1 and "identical" in found[0].message and "'a.txt'" in found[0].message


# --- 3. manifest robustness -------------------------------------------------------------------

GOOD_A, GOOD_B = line("a", "a.txt", A), line("b", "b.txt", B)


def rows_bytes(*rows: dict[str, str], header: list[str] = HEADER, extra: bytes = b"") -> bytes:
    return manifest(list(rows), header) + extra


def text_manifest(content: str, encoding: str = "utf-8") -> bytes:
    return content.encode(encoding)


HEAD = ",".join(HEADER)
ROW_A = f"a,a.txt,{sha(A)},Test outlet,2020-02-20"
ROW_B = f"b,b.txt,{sha(B)},Test outlet,2020-02-20"


@dataclass(frozen=True)
class Manifest:
    """A manifest (bytes, or a builder of the corpus root): refused naming ``words``, ``row``
    and ``field``; or, when ``ids`` is given, loaded to those ids."""

    name: str
    data: bytes | Callable[[Path], None]
    words: tuple[str, ...] = ()
    row: int | None = None
    field: str | None = None
    ids: tuple[str, ...] = ()
    check: dict[str, str] = dataclasses.field(default_factory=dict)  # article id -> expected outlet


def manifest_folder(root: Path) -> None:
    (root / "manifest.csv").unlink()
    (root / "manifest.csv").mkdir()


MANIFESTS = [
    Manifest("repeated column", text_manifest(f"{HEAD},date\n{ROW_A},1999-01-01\n{ROW_B},x\n"),
             ("'date'", "twice"), 1, "date"),
    Manifest("repeated column after spaces",
             text_manifest(f"id,file,sha256,outlet, date,date \n{ROW_A},x\n{ROW_B},x\n"),
             ("'date'", "twice"), 1, "date"),
    Manifest("required cell of spaces", rows_bytes(GOOD_A, {**GOOD_B, "outlet": "   "}),
             ("required field is empty",), 3, "outlet"),
    Manifest("huge cell in an optional column",
             rows_bytes({**GOOD_A, "notes": "x" * 300_000}, GOOD_B, header=[*HEADER, "notes"]),
             ids=("a", "b")),
    Manifest("huge id", rows_bytes({**GOOD_A, "id": "é" * 300_000}, GOOD_B),
             ("id",), 2, "id"),
    Manifest("quote never closed", text_manifest(f'{HEAD}\na,a.txt,{sha(A)},"Test,2020\n'
                                                 f'{ROW_B}\n'), ("quote",), 2, "outlet"),
    Manifest("NUL in a cell", text_manifest(f"{HEAD}\n{ROW_A}\nb,b.txt,{sha(B)},Te\x00st,"
                                            "2020-02-20\n"), ("NUL",), 3, "outlet"),
    Manifest("new line in a quoted cell, bad date on that row",
             text_manifest(f'{HEAD}\na,a.txt,{sha(A)},"Test\noutlet",2020-02-31\n{ROW_B}\n'),
             ("'2020-02-31'",), 2, "date"),
    Manifest("new line in a quoted cell, bad date on the next",
             text_manifest(f'{HEAD}\na,a.txt,{sha(A)},"Test\noutlet",2020-02-20\n'
                           f'b,b.txt,{sha(B)},Test outlet,2020-02-31\n'),
             ("'2020-02-31'",), 4, "date"),
    Manifest("new line in a quoted cell loads",
             text_manifest(f'{HEAD}\na,a.txt,{sha(A)},"Test\noutlet",2020-02-20\n{ROW_B}\n'),
             ids=("a", "b"), check={"a": "Test\noutlet"}),
    Manifest("row with more fields", text_manifest(f"{HEAD}\n{ROW_A}\n{ROW_B},extra\n"),
             ("more fields",), 3),
    Manifest("row with fewer fields", text_manifest(f"{HEAD}\n{ROW_A}\nb,b.txt,{sha(B)}\n"),
             ("fewer fields",), 3, "outlet"),
    Manifest("byte-order mark and spaces in the header",
             text_manifest(f"\ufeff id , file , sha256 , outlet , date \n{ROW_A}\n{ROW_B}\n"),
             ids=("a", "b")),
    Manifest("UTF-16 with a byte-order mark",
             text_manifest(f"\ufeff{HEAD}\r\n{ROW_A}\r\n{ROW_B}\r\n", "utf-16-le"),
             ids=("a", "b")),
    Manifest("UTF-16 without a byte-order mark",
             text_manifest(f"{HEAD}\r\n{ROW_A}\r\n{ROW_B}\r\n", "utf-16-le"), ("UTF-16",), 1),
    Manifest("binary file", bytes(range(256)) * 8, ("manifest.csv", "text")),
    Manifest("spreadsheet saved under the name", b"PK\x03\x04\x14\x00\x06\x00" + bytes(200),
             ("spreadsheet", "CSV")),
    Manifest("UTF-8 byte-order mark, then Windows-1252",
             b"\xef\xbb\xbf" + text_manifest(f"{HEAD}\n{ROW_A}\n{ROW_B}\n").replace(
                 b"Test outlet", "Caf\u00e9".encode("cp1252"), 1), ("mixes encodings",)),
    Manifest("empty file", b"", ("empty",)),
    Manifest("header only", text_manifest(f"{HEAD}\n"), ("no rows",)),
    Manifest("ids that look like numbers", rows_bytes({**GOOD_A, "id": "001"},
                                                      {**GOOD_B, "id": "1e3"}),
             ids=("001", "1e3")),
    Manifest("values pandas reads as missing",
             rows_bytes({**GOOD_A, "id": "nan", "outlet": "NA"},
                        {**GOOD_B, "id": "null", "outlet": "None"}),
             ids=("nan", "null"), check={"nan": "NA", "null": "None"}),
    Manifest("ids differing only in case", rows_bytes(GOOD_A, {**GOOD_B, "id": "A"}),
             ("'A'", "'a'", "case"), 3, "id"),
    Manifest("id with a non-ASCII letter", rows_bytes({**GOOD_A, "id": "café"}, GOOD_B),
             ("'café'",), 2, "id"),
    Manifest("date with full-width digits",
             rows_bytes(GOOD_A, {**GOOD_B, "date": "２０２０-０２-２０"}), ("YYYY-MM-DD",), 3, "date"),
    Manifest("date that does not exist", rows_bytes(GOOD_A, {**GOOD_B, "date": "2020-02-30"}),
             ("'2020-02-30'",), 3, "date"),
    Manifest("date without dashes", rows_bytes(GOOD_A, {**GOOD_B, "date": "20200220"}),
             ("YYYY-MM-DD",), 3, "date"),
    Manifest("row of empty cells (a spreadsheet's last line)",
             text_manifest(f"{HEAD}\n{ROW_A}\n{ROW_B}\n,,,,\n , ,,,\n"), ids=("a", "b")),
    Manifest("empty columns without a name", text_manifest(f"{HEAD},,\n{ROW_A},,\n{ROW_B},,\n"),
             ids=("a", "b")),
    Manifest("value in a column without a name",
             text_manifest(f"{HEAD},\n{ROW_A},\n{ROW_B},kept?\n"), ("no name",), 3),
    Manifest("checksum that is not one", rows_bytes(GOOD_A, {**GOOD_B, "sha256": "n/a"}),
             ("64 hexadecimal",), 3, "sha256"),
    Manifest("column name in another case",
             text_manifest(f"id,file,sha256,outlet,Date\n{ROW_A}\n{ROW_B}\n"), ("'Date'",), 1,
             "date"),
    Manifest("manifest that is a folder", manifest_folder, ("folder",)),
]


def manifest_case(tmp: Path, case: Manifest) -> Path:
    root = build(tmp, {"a.txt": A, "b.txt": B})
    if callable(case.data):
        case.data(root)
    else:
        (root / "manifest.csv").write_bytes(case.data)
    return root


@pytest.mark.parametrize("case", MANIFESTS, ids=[c.name for c in MANIFESTS])
def test_manifest_is_read_or_refused_by_name(case, tmp_path):
    root = manifest_case(tmp_path, case)
    if case.ids:
        loaded = load_corpus(root).articles
        assert loaded["id"].tolist() == list(case.ids)
        for ident, outlet in case.check.items():
            assert loaded.set_index("id").loc[ident, "outlet"] == outlet
        return
    with pytest.raises(CorpusError) as info:
        load_corpus(root)
    message = str(info.value)
    assert "manifest.csv" in message and len(message) < 600, message[:600]
    assert all(w in message for w in case.words), message
    assert (info.value.row, info.value.field) == (case.row, case.field)


@pytest.mark.parametrize("case", MANIFESTS, ids=[c.name for c in MANIFESTS])
def test_check_reports_a_bad_manifest_without_a_traceback(case, tmp_path, capsys):
    code, printed = cli(capsys, "check", str(manifest_case(tmp_path, case)))
    assert code == (0 if case.ids else 1), printed
    assert all(w in printed for w in case.words), printed


def test_manifest_cannot_be_read(tmp_path, capsys, monkeypatch):
    root = build(tmp_path, {"a.txt": A})
    real = Path.read_bytes

    def denied(path: Path) -> bytes:
        if path.name == "manifest.csv":
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real(path)

    monkeypatch.setattr(Path, "read_bytes", denied)
    code, printed = cli(capsys, "check", str(root))
    assert code == 1 and printed.count("\n") == 1
    assert "manifest.csv" in printed and "Permission denied" in printed


# --- 4. terminal escaping -------------------------------------------------------------------

HOSTILE = ("\x1b]0;owned\x07", "\x1b]52;c;ZWNobyBvd25lZA==\x07", "\x1b[2J", "\x9b31m",
           "\u202egnp.txt", "a\u2066b\u2069", "line\nbreak", "\x7f", "\udcff")


def test_terminal_safe_escapes_control_characters():
    safe = text_mod.terminal_safe
    for s in HOSTILE:
        out = safe(s)
        assert not unsafe_chars(out) and "\n" not in out, (s, out)
        assert safe(out) == out
    assert safe("\x1b[2J") == "\\x1b[2J"
    assert safe("\u202egnp.txt") == "\\u202egnp.txt"
    plain = "Café – “quoted” Türkiye İdlib 👩\u200d🚀 नमस्ते C:\\Users"
    assert safe(plain) == plain


def test_errors_print_escaped():
    err = CorpusError("bad \x1b[2J value", file="raw/\x1b]0;t\x07.txt", row=2, field="id")
    assert not unsafe_chars(str(err)) and "\\x1b" in str(err)


def test_check_prints_labels_ids_and_names_escaped(tmp_path, capsys):
    rows = [line("a", "a.txt", A, label=HOSTILE[0]),
            line("b", "b.txt", B, label=HOSTILE[1] + HOSTILE[4]),
            line("x\x1b[2J", "c.txt", B)]
    root = build(tmp_path, {"a.txt": A, "b.txt": B}, rows=rows)
    (root / "manifest.csv").write_bytes(manifest(rows, [*HEADER, "label"]))
    (root / "raw" / "evil\x1b[2J\u202e.txt").write_bytes(b"Not listed.\n")
    code, printed = cli(capsys, "check", str(root))
    assert code == 1
    assert not unsafe_chars(printed), [c for c in unsafe_chars(printed)]
    assert printed.count("\\x1b") >= 4, printed


def test_init_prints_names_escaped(tmp_path, capsys):
    root = tmp_path / "c\x1b]0;t\x07orpus"
    (root / "raw").mkdir(parents=True)
    (root / "raw" / "a.txt").write_bytes(A)
    (root / "raw" / "e\x1b[2J.txt").write_bytes(b"")
    code, printed = cli(capsys, "init", str(root))
    assert code == 0 and not unsafe_chars(printed), printed


def test_run_prints_its_error_escaped(tmp_path, capsys):
    from analysis.__main__ import main

    root = tmp_path / "c\x1b[2Jorpus"
    root.mkdir()
    assert main(["run", str(root), "--out", str(tmp_path / "out"), "--quiet"]) == 1
    printed = capsys.readouterr().err
    assert "manifest.csv" in printed and not unsafe_chars(printed), printed


# --- 5. no traceback from init or check ----------------------------------------------------

def one_error(code: int, printed: str) -> str:
    assert code != 0
    lines = printed.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), printed
    return lines[0]


def test_check_folder_that_does_not_exist(tmp_path, capsys):
    assert "does not exist" in one_error(*cli(capsys, "check", str(tmp_path / "nowhere")))


def test_init_folder_that_does_not_exist(tmp_path, capsys):
    assert "does not exist" in one_error(*cli(capsys, "init", str(tmp_path / "nowhere")))


@pytest.mark.parametrize("command", ["init", "check"])
def test_a_file_where_a_folder_is_expected(tmp_path, capsys, command):
    path = tmp_path / "a.txt"
    path.write_bytes(A)
    assert "not a folder" in one_error(*cli(capsys, command, str(path)))


def test_init_with_manifest_a_folder(tmp_path, capsys):
    (tmp_path / "a.txt").write_bytes(A)
    (tmp_path / "manifest.csv").mkdir()
    assert "manifest.csv" in one_error(*cli(capsys, "init", str(tmp_path)))


def test_folder_that_cannot_be_listed_is_named(tmp_path, monkeypatch):
    root = build(tmp_path, {"a.txt": A})
    (root / "raw" / "unlisted.txt").write_bytes(B)
    real = os.scandir

    def denied(path: str | Path = ".") -> object:
        if Path(path).name == "raw":
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real(path)

    monkeypatch.setattr(os, "scandir", denied)
    errors: list[DocumentError] = []
    load_corpus(root, errors=errors)
    assert any("Permission denied" in e.message and "raw" in e.message for e in errors), errors
    with pytest.raises(CorpusError, match="Permission denied"):
        load_corpus(root)


def test_article_that_cannot_be_read_is_named(tmp_path, capsys, monkeypatch):
    root = build(tmp_path, {"a.txt": A, "b.txt": B})
    real = Path.read_bytes

    def denied(path: Path) -> bytes:
        if path.name == "b.txt":
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real(path)

    monkeypatch.setattr(Path, "read_bytes", denied)
    ids, errors = lenient(root)
    assert ids == ["a"] and [e.step for e in errors] == ["read"]
    assert "b.txt" in errors[0].message and "Permission denied" in errors[0].message
    code, printed = cli(capsys, "check", str(root))
    assert code == 1 and "Permission denied" in printed


def test_init_with_a_full_disk_leaves_no_manifest(tmp_path, capsys, monkeypatch):
    (tmp_path / "a.txt").write_bytes(A)

    class Full:
        def __init__(self, *args: object, **kwargs: object) -> None:
            pass

        def writerow(self, row: object) -> None:
            raise OSError(errno.ENOSPC, "No space left on device")

        writerows = writerow

    monkeypatch.setattr(csv, "writer", Full)
    assert "No space left" in one_error(*cli(capsys, "init", str(tmp_path)))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt"]


def test_unexpected_failure_is_one_line(tmp_path, capsys, monkeypatch):
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("something nobody planned for")

    monkeypatch.setattr(corpus_mod, "load_corpus", broken)
    assert "RuntimeError" in one_error(*cli(capsys, "check", str(tmp_path)))


def test_no_document_loaded_still_lists_why(tmp_path, capsys):
    root = build(tmp_path, {"a.txt": A, "b.txt": B},
                 rows=[line("a", "a.txt", b"other"), line("b", "b.txt", b"other")])
    code, printed = cli(capsys, "check", str(root))
    assert code == 1 and "sha256 of a.txt" in printed and "sha256 of b.txt" in printed


def test_init_refuses_to_overwrite_and_force_keeps_a_backup(tmp_path, capsys):
    (tmp_path / "a.txt").write_bytes(A)
    fill_in(init_manifest(tmp_path))
    before = (tmp_path / "manifest.csv").read_bytes()
    assert "already exists" in one_error(*cli(capsys, "init", str(tmp_path)))
    assert (tmp_path / "manifest.csv").read_bytes() == before
    (tmp_path / "b.txt").write_bytes(B)
    code, printed = cli(capsys, "init", "--force", str(tmp_path))
    assert code == 0
    backups = [p for p in tmp_path.iterdir() if p.name.startswith("manifest.csv.")]
    assert len(backups) == 1 and backups[0].read_bytes() == before
    assert backups[0].name in printed
    with (tmp_path / "manifest.csv").open(encoding="utf-8") as fh:
        assert [r["file"] for r in csv.DictReader(fh)] == ["a.txt", "b.txt"]


def test_init_does_not_write_through_a_dangling_link(tmp_path, capsys):
    (tmp_path / "a.txt").write_bytes(A)
    target = tmp_path.parent / f"{tmp_path.name}-elsewhere.csv"
    os.symlink(target, tmp_path / "manifest.csv")
    one_error(*cli(capsys, "init", str(tmp_path)))
    assert not target.exists()


def test_wire_copy_with_tickers_in_angle_brackets_is_text():
    """Reuters writes company names and tickers in angle brackets; that is an article, not markup
    (found on the Reuters-21578 archive, where one item was refused as markup)."""
    from analysis.corpus import markup_kind

    item = ("<FRUIT OF THE LOOM INC> INITIAL OFFERING STARTS\n"
            "Fruit of the Loom Inc said an initial\npublic offering of 27 mln Class A common "
            "shares is underway at\nnine dlrs per share through underwriters led by <Drexel "
            "Burnham\nLambert Inc>, Merrill Lynch and Co Inc <MER>, E.F. Hutton Group\nInc <EFH> "
            "and Sears, Roebuck and Co Inc's <S> Dean Witter\nReynolds Inc unit.\n Reuter\n")
    assert markup_kind(item) is None
    page = "<div><p>Menu</p><p>Home</p><span>News</span><a href='/x'>More</a></div> text"
    assert markup_kind(page) is not None


# --- boilerplate named from the folder's own evidence ------------------------------------------

PROMO = b"Follow the Courier on every platform for live updates"


def test_paragraph_repeated_across_an_outlets_articles_is_named_not_removed(tmp_path):
    files = {f"c{i}.txt": (f"Story {i} of the flood in the lower town on day {i}.\n".encode()
                           + PROMO + b"\n") for i in range(6)}
    files.update({f"w{i}.txt": f"Wire story {i} about the harbour.\n".encode() + PROMO + b"\n"
                  for i in range(3)})
    rows = [line(name[:-4], name, data, outlet="Courier" if name[0] == "c" else "Wire")
            for name, data in files.items()]
    root = build(tmp_path, files, rows)
    ids, errors = lenient(root)
    assert len(ids) == 9
    named = [e for e in errors if e.step == "boilerplate"]
    assert len(named) == 1 and named[0].level == "warning", errors
    assert "'Courier'" in named[0].message and "last paragraph of 6 of its 6" in named[0].message
    texts = load_corpus(root, errors=[]).articles.set_index("id")["text"]
    assert all(t.endswith(PROMO.decode()) for t in texts)  # kept: only named
    table = corpus_mod.repeated_paragraphs(load_corpus(root, errors=[]).articles)
    assert table[["outlet", "place", "n_articles"]].values.tolist() == [["Courier", "last", 6]]


def test_a_few_shared_paragraphs_are_not_boilerplate(tmp_path):
    files = {f"c{i}.txt": f"Story {i}.\n".encode() + PROMO + b"\n" for i in range(4)}
    root = build(tmp_path, files)
    _, errors = lenient(root)
    assert not [e for e in errors if e.step == "boilerplate"]
