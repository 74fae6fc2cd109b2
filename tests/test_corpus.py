"""The corpus loader: the five texts, stable ids, sentences, and a clear error for bad input."""

from __future__ import annotations

import csv
import hashlib
import shutil
from pathlib import Path

import pytest

from analysis import corpus as corpus_mod
from analysis.corpus import CorpusError, init_manifest, load_corpus, read_manifest
from analysis.text import sentence_spans, words
from shared import BOOK

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"


@pytest.fixture(scope="module")
def corpus():
    return load_corpus(BOOK)


def test_raw_files_are_byte_identical_to_the_seeds():
    if not SEEDS.is_dir():
        pytest.skip(f"no seeds folder at {SEEDS}")
    raw = BOOK / "raw"
    assert sorted(p.name for p in raw.iterdir()) == sorted(p.name for p in SEEDS.iterdir())
    for seed in SEEDS.iterdir():
        assert (raw / seed.name).read_bytes() == seed.read_bytes(), seed.name


def test_manifest_checksums_match_files():
    manifest = read_manifest(BOOK)
    for row in manifest.itertuples():
        data = (BOOK / "raw" / row.file).read_bytes()
        assert hashlib.sha256(data).hexdigest() == row.sha256


def test_articles_in_publication_order(corpus):
    dates = corpus.articles["date"].tolist()
    assert dates == sorted(dates)
    assert len(corpus.articles) == 5
    assert corpus.articles["id"].is_unique


def test_sentence_ids_stable_and_offsets_exact(corpus):
    for aid, group in corpus.sentences.groupby("article_id"):
        text = corpus.text(aid)
        expected = [f"{aid}-s{n:02d}" for n in range(1, len(group) + 1)]
        assert group["sentence_id"].tolist() == expected
        for row in group.itertuples():
            assert text[row.start:row.end] == row.text
    assert corpus.sentences["sentence_id"].is_unique


def test_paragraph_offsets_exact(corpus):
    for row in corpus.paragraphs.itertuples():
        assert corpus.text(row.article_id)[row.start:row.end] == row.text


def test_counts_agree_with_frames(corpus):
    for row in corpus.articles.itertuples():
        assert row.n_sentences == (corpus.sentences["article_id"] == row.id).sum()
        assert row.n_words == len(words(row.text))


def test_punkt_keeps_abbreviations_and_quotes_together():
    text = ("U.S. President Donald Trump spoke. The U.N. said so. Akar said the system "
            '"would be activated... No one should doubt this." Then he left.')
    spans = [text[s:e] for s, e in sentence_spans(text)]
    assert spans == ["U.S. President Donald Trump spoke.", "The U.N. said so.",
                     'Akar said the system "would be activated... No one should doubt this."',
                     "Then he left."]


def test_words_keep_numbers_and_names_whole():
    assert words("900,000 people, 3.6 million, S-400 and Syria’s F-35s") == [
        "900,000", "people", "3.6", "million", "S-400", "and", "Syria’s", "F-35s"]


# --- bad input --------------------------------------------------------------------------------

def make_corpus(tmp_path: Path, files: dict[str, bytes], rows: list[dict] | None = None,
                header: list[str] | None = None) -> Path:
    (tmp_path / "raw").mkdir()
    for name, data in files.items():
        (tmp_path / "raw" / name).write_bytes(data)
    if rows is None:
        rows = [{"id": Path(n).stem, "file": n, "sha256": hashlib.sha256(d).hexdigest(),
                 "outlet": "Test outlet", "date": "2020-02-20"} for n, d in files.items()]
    header = header or ["id", "file", "sha256", "outlet", "date"]
    with (tmp_path / "manifest.csv").open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=header, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    return tmp_path


GOOD = {"a.txt": b"Headline\nFirst paragraph. Second sentence.\n", "b.txt": b"Other text.\n"}


def test_small_corpus_loads(tmp_path):
    c = load_corpus(make_corpus(tmp_path, GOOD))
    assert c.articles["id"].tolist() == ["a", "b"]
    assert c.sentences["sentence_id"].tolist() == ["a-s01", "a-s02", "a-s03", "b-s01"]


def test_the_loader_needs_a_folder_and_ignores_the_environment(tmp_path, monkeypatch):
    """Entry points name the folder; the library has no default and reads no WIRESPIN_CORPUS."""
    monkeypatch.setenv("WIRESPIN_CORPUS", str(make_corpus(tmp_path, GOOD)))
    with pytest.raises(CorpusError, match="no corpus folder"):
        load_corpus()


def error_for(root: Path) -> CorpusError:
    with pytest.raises(CorpusError) as info:
        load_corpus(root)
    return info.value


def test_missing_manifest(tmp_path):
    err = error_for(tmp_path)
    assert "manifest.csv" in str(err) and "not found" in str(err)


def test_missing_file_named(tmp_path):
    root = make_corpus(tmp_path, GOOD)
    (root / "raw" / "b.txt").unlink()
    err = error_for(root)
    assert err.row == 3 and err.field == "file" and "'b.txt'" in str(err) and "absent" in str(err)


def test_empty_file(tmp_path):
    err = error_for(make_corpus(tmp_path, {**GOOD, "b.txt": b"  \n"}))
    assert err.file.endswith("b.txt") and "empty" in str(err)


def test_windows_1252_is_decoded_and_recorded(tmp_path):
    c = load_corpus(make_corpus(tmp_path, {**GOOD, "b.txt": b"caf\xe9 au lait\n"}))
    row = c.articles.set_index("id").loc["b"]
    assert (row.text, row.encoding) == ("café au lait", "cp1252")
    assert row.raw_text.encode(row.encoding) == b"caf\xe9 au lait\n"
    assert c.edits[c.edits["article_id"] == "b"]["step"].tolist()[0] == "decode"
    assert c.articles.set_index("id").loc["a", "encoding"] == "utf-8"


def test_not_text_refused_with_the_fix(tmp_path):
    err = error_for(make_corpus(tmp_path, {**GOOD, "b.txt": b"caf\xe9 \x81\x9d\x00\x01\n"}))
    assert err.file.endswith("b.txt") and "not UTF-8" in str(err) and "offset 3" in str(err)
    assert "re-save the file as UTF-8" in str(err)


def test_checksum_mismatch(tmp_path):
    root = make_corpus(tmp_path, GOOD)
    (root / "raw" / "a.txt").write_bytes(b"Tampered text.\n")
    err = error_for(root)
    assert err.row == 2 and err.field == "sha256" and "a.txt" in str(err)


def test_required_field_empty(tmp_path):
    rows = [{"id": "a", "file": "a.txt", "sha256": hashlib.sha256(GOOD["a.txt"]).hexdigest(),
             "outlet": "", "date": "2020-02-20"}]
    err = error_for(make_corpus(tmp_path, {"a.txt": GOOD["a.txt"]}, rows))
    assert (err.row, err.field) == (2, "outlet")
    assert "manifest.csv, row 2, field 'outlet'" in str(err)


def test_required_column_missing(tmp_path):
    err = error_for(make_corpus(tmp_path, GOOD, header=["id", "file", "sha256", "outlet"]))
    assert err.field == "date" and "header" in str(err)


def test_bad_date(tmp_path):
    rows = [{"id": "a", "file": "a.txt", "sha256": hashlib.sha256(GOOD["a.txt"]).hexdigest(),
             "outlet": "X", "date": "20 Feb 2020"}]
    err = error_for(make_corpus(tmp_path, {"a.txt": GOOD["a.txt"]}, rows))
    assert err.field == "date" and "YYYY-MM-DD" in str(err)


def test_duplicate_ids(tmp_path):
    rows = [{"id": "same", "file": n, "sha256": hashlib.sha256(d).hexdigest(), "outlet": "X",
             "date": "2020-02-20"} for n, d in GOOD.items()]
    err = error_for(make_corpus(tmp_path, GOOD, rows))
    assert (err.row, err.field) == (3, "id") and "duplicate id 'same'" in str(err)


def test_file_on_disk_not_in_manifest(tmp_path):
    root = make_corpus(tmp_path, GOOD)
    (root / "raw" / "stray.txt").write_text("Unlisted.\n", encoding="utf-8")
    err = error_for(root)
    assert err.file.endswith("stray.txt") and "not in the manifest" in str(err)


def test_init_manifest_then_fill_in(tmp_path):
    for name, data in GOOD.items():
        (tmp_path / name).write_bytes(data)
    path = init_manifest(tmp_path)
    err = error_for(tmp_path)
    assert err.field == "outlet"  # refuses until the analyst fills it in
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    for row in rows:
        row.update(outlet="Mine", date="2021-01-01")
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    assert load_corpus(tmp_path).articles["outlet"].tolist() == ["Mine", "Mine"]
    with pytest.raises(CorpusError, match="already exists"):
        init_manifest(tmp_path)


def test_cli_check_reports_errors(tmp_path, capsys):
    shutil.copytree(BOOK / "raw", tmp_path / "raw")
    assert corpus_mod._main(["check", str(tmp_path)]) == 1
    assert "manifest.csv" in capsys.readouterr().out


def test_cli_check_lists_every_bad_document(tmp_path, capsys):
    root = make_corpus(tmp_path, {**GOOD, "c.txt": b"Third text.\n"})
    (root / "raw" / "b.txt").write_bytes(b"Tampered.\n")
    (root / "raw" / "c.txt").unlink()
    assert corpus_mod._main(["check", str(root)]) == 1
    out = capsys.readouterr().out
    assert "sha256 of b.txt" in out and "'c.txt'" in out and "absent" in out
    (tmp_path / "ok").mkdir()
    assert corpus_mod._main(["check", str(make_corpus(tmp_path / "ok", GOOD))]) == 0
