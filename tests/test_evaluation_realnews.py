"""The real-news development set's loader (analysis.evaluation.realnews) and the tool that writes
its items as a corpus folder (benchmarks.devset), on tiny folders and a tiny archive built here.

Ids used: reuters-00001 and reuters-00002 are dev, reuters-00004 and reuters-00005 are test
(asserted below, so the fixtures cannot drift from the split rule).
"""

from __future__ import annotations

import hashlib
import io
import tarfile
from pathlib import Path

import pytest

from analysis.corpus import load_corpus
from analysis.evaluation import GoldError
from analysis.evaluation.realnews import (CLAIM_COLUMNS, ITEM_COLUMNS, PAIR_COLUMNS,
                                          QUOTE_COLUMNS, SPIN_COLUMNS, load_realnews, split_of)
from benchmarks import devset, reuters

ITEMS = """article_id,newid,split,date,headline,words,sha256,tasks
reuters-00001,1,dev,1987-02-26,FIRST,40,{a},quotes
reuters-00004,4,test,1987-02-26,FOURTH,30,{b},quotes
"""
QUOTES = """article_id,split,quote_id,quote,speaker,speaker_kind,named_in,note
reuters-00001,dev,reuters-00001-q01,"We are pleased, very pleased",Clayton Yeutter,person,same_sentence,
reuters-00001,dev,reuters-00001-q02,scare,,none,not_named,a scare quote
reuters-00004,test,reuters-00004-q01,No comment,Cargill,organisation,other_sentence,spokesman
"""
CLAIMS_ITEMS = """article_id,newid,split,date,headline,words,sha256,tasks
reuters-00001,1,dev,1987-02-26,FIRST,40,{a},claims
"""
CLAIMS = """article_id,split,claim_id,surface,value,unit,counted,period,sentence,note
reuters-00001,dev,c1,1.5 billion,1500000000,dlrs,net profit,1986,Profit was 1.5 billion dlrs.,
"""
SHA_A, SHA_B = "a" * 64, "b" * 64


def write(folder: Path, **files: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / f"{name}.csv").write_text(text.format(a=SHA_A, b=SHA_B), encoding="utf-8")
    return folder


def test_split_rule():
    assert [split_of(f"reuters-{n:05d}") for n in (1, 2, 4, 5)] == ["dev", "dev", "test", "test"]
    ids = [f"reuters-{n:05d}" for n in range(1, 2001)]
    for aid in ids[:50]:
        digest = int(hashlib.sha256(aid.encode()).hexdigest(), 16)
        assert split_of(aid) == ("test" if digest % 2 else "dev")
    share = sum(split_of(a) == "test" for a in ids) / len(ids)
    assert 0.45 < share < 0.55


def test_round_trip(tmp_path):
    folder = write(tmp_path / "rn", items=ITEMS, quotes=QUOTES, items_claims=CLAIMS_ITEMS,
                   claims=CLAIMS)
    rn = load_realnews(folder)
    assert list(rn.items.columns) == list(ITEM_COLUMNS)
    assert rn.items["article_id"].tolist() == ["reuters-00001", "reuters-00004"]
    assert rn.items["tasks"].tolist() == ["quotes;claims", "quotes"]
    assert rn.items["newid"].tolist() == [1, 4] and rn.items["words"].tolist() == [40, 30]
    assert rn.quotes["quote"].tolist() == ["We are pleased, very pleased", "scare", "No comment"]
    assert rn.quotes["speaker"].tolist() == ["Clayton Yeutter", "", "Cargill"]
    assert rn.claims["value"].tolist() == [1.5e9]
    assert list(rn.pairs.columns) == list(PAIR_COLUMNS) and rn.pairs.empty
    assert list(rn.spin.columns) == list(SPIN_COLUMNS) and rn.spin.empty
    dev, test = rn.split("dev"), rn.split("test")
    assert dev.quotes["quote_id"].tolist() == ["reuters-00001-q01", "reuters-00001-q02"]
    assert test.items["article_id"].tolist() == ["reuters-00004"]
    assert rn.annotated_for("claims") == ["reuters-00001"]


def test_missing_files_give_empty_frames(tmp_path):
    rn = load_realnews(write(tmp_path / "rn"))
    for frame, columns in ((rn.items, ITEM_COLUMNS), (rn.quotes, QUOTE_COLUMNS),
                           (rn.claims, CLAIM_COLUMNS), (rn.pairs, PAIR_COLUMNS),
                           (rn.spin, SPIN_COLUMNS)):
        assert frame.empty and list(frame.columns) == list(columns)
    with pytest.raises(GoldError, match="not a folder"):
        load_realnews(tmp_path / "absent")


PAIRS_HEAD = "pair_id,a,b,split,type,note\n"
ITEMS_PAIRS = ITEMS.replace("quotes\n", "quotes;pairs\n") + \
    "reuters-00002,2,dev,1987-02-26,SECOND,10,{a},pairs\n"

# (case, files, file named in the error, row, field, words in the message)
BAD = [
    ("unknown speaker kind", dict(items=ITEMS, quotes=QUOTES.replace(",organisation,", ",body,")),
     "quotes.csv", 4, "speaker_kind", "not one of"),
    ("split disagrees", dict(items=ITEMS, quotes=QUOTES.replace("reuters-00004,test",
                                                                "reuters-00004,dev")),
     "quotes.csv", 4, "split", "disagrees with split_of"),
    ("item split disagrees", dict(items=ITEMS.replace("4,test", "4,dev")),
     "items.csv", 3, "split", "disagrees"),
    ("unknown split", dict(items=ITEMS.replace("1,dev", "1,train")),
     "items.csv", 2, "split", "not one of"),
    ("non-numeric value", dict(items=ITEMS, items_claims=CLAIMS_ITEMS,
                               claims=CLAIMS.replace(",1500000000,", ",1.5 bn,")),
     "claims.csv", 2, "value", "not a finite number"),
    ("non-numeric words", dict(items=ITEMS.replace(",40,", ",forty,")),
     "items.csv", 2, "words", "whole number"),
    ("newid not the id", dict(items=ITEMS.replace("reuters-00001,1,", "reuters-00001,7,")),
     "items.csv", 2, "newid", "not the number"),
    ("duplicate quote id", dict(items=ITEMS, quotes=QUOTES.replace("00001-q02", "00001-q01")),
     "quotes.csv", 3, "quote_id", "repeats row 2"),
    ("duplicate item", dict(items=ITEMS + ITEMS.splitlines()[1] + "\n"),
     "items.csv", 4, "article_id", "repeats row 2"),
    ("items files disagree", dict(items=ITEMS,
                                  items_claims=CLAIMS_ITEMS.replace("FIRST", "OTHER")),
     "items_claims.csv", 2, "headline", "disagrees"),
    ("unknown task", dict(items=ITEMS.replace("quotes\n", "quotations\n", 1)),
     "items.csv", 2, "tasks", "not one of"),
    ("item not listed for the task", dict(items=ITEMS, claims=CLAIMS),
     "claims.csv", 2, "article_id", "not listed"),
    ("half-named speaker", dict(items=ITEMS, quotes=QUOTES.replace(",,none,not_named,",
                                                                   ",,person,not_named,")),
     "quotes.csv", 3, "speaker_kind", "all three or none"),
    ("quote id of another item", dict(items=ITEMS, quotes=QUOTES.replace(
        "reuters-00004-q01", "reuters-00001-q03")), "quotes.csv", 4, "quote_id", "qNN"),
    ("pair across splits", dict(items=ITEMS_PAIRS, pairs=PAIRS_HEAD +
                                "p1,reuters-00001,reuters-00004,dev,unrelated,\n"),
     "pairs.csv", 2, "b", "across splits"),
    ("pair type", dict(items=ITEMS_PAIRS, pairs=PAIRS_HEAD +
                       "p1,reuters-00001,reuters-00002,dev,copied,\n"),
     "pairs.csv", 2, "type", "not one of"),
    ("pair order", dict(items=ITEMS_PAIRS, pairs=PAIRS_HEAD +
                        "p1,reuters-00002,reuters-00001,dev,unrelated,\n"),
     "pairs.csv", 2, "b", "sort before"),
]


@pytest.mark.parametrize("case,files,name,row,field,words", BAD, ids=[b[0] for b in BAD])
def test_bad_row_names_file_row_field(tmp_path, case, files, name, row, field, words):
    with pytest.raises(GoldError) as info:
        load_realnews(write(tmp_path / "rn", **files))
    err = info.value
    assert Path(err.file).name == name and err.row == row and err.field == field, str(err)
    assert words in str(err)


def test_good_pairs_load(tmp_path):
    rn = load_realnews(write(tmp_path / "rn", items=ITEMS_PAIRS, pairs=PAIRS_HEAD +
                             "p1,reuters-00001,reuters-00002,dev,unrelated,\n"))
    assert rn.pairs[["a", "b", "type"]].values.tolist() == [
        ["reuters-00001", "reuters-00002", "unrelated"]]


def _archive(tmp: Path) -> Path:
    """A one-file archive shaped like Reuters-21578's XML (two items with a body, one without)."""
    xml = """<?xml version="1.0"?><COLLECTION>
<REUTERS NEWID="1"><DATE>26-FEB-1987 15:01:01.79</DATE><TEXT><TITLE>FIRST ITEM</TITLE>
<DATELINE>    NEW YORK, Feb 26 - </DATELINE><BODY>"We are pleased," said Clayton Yeutter.
 Reuter
</BODY></TEXT></REUTERS>
<REUTERS NEWID="2"><DATE>26-FEB-1987 15:02:01.79</DATE><TEXT TYPE="BRIEF"><TITLE>BRIEF</TITLE></TEXT></REUTERS>
<REUTERS NEWID="4"><DATE>27-FEB-1987 10:00:00.00</DATE><TEXT><TITLE>FOURTH</TITLE>
<BODY>Prices rose 12 pct.
 Reuter
</BODY></TEXT></REUTERS>
</COLLECTION>
""".encode()
    path = tmp / "archive.tar.gz"
    with tarfile.open(path, "w:gz") as tar:
        info = tarfile.TarInfo("reuters21578-xml/reut2-000.xml")
        info.size = len(xml)
        tar.addfile(info, io.BytesIO(xml))
    return path


def test_materialize_round_trip(tmp_path):
    archive = _archive(tmp_path)
    texts = {i.id: i.text() for i in reuters.items(archive)}
    sha = {k: hashlib.sha256(v.encode()).hexdigest() for k, v in texts.items()}
    out = devset.materialize(["reuters-00004", "reuters-00001"], tmp_path / "corpus", archive,
                             sha)
    assert sorted(p.name for p in (out / "raw").iterdir()) == ["reuters-00001.txt",
                                                               "reuters-00004.txt"]
    assert (out / "raw" / "reuters-00001.txt").read_text() == texts["reuters-00001"]
    corpus = load_corpus(out)
    assert sorted(corpus.articles["id"]) == ["reuters-00001", "reuters-00004"]


def test_materialize_refuses(tmp_path):
    archive = _archive(tmp_path)
    with pytest.raises(ValueError, match="annotation was made on another text"):
        devset.materialize(["reuters-00001"], tmp_path / "a", archive,
                           {"reuters-00001": "0" * 64})
    assert not (tmp_path / "a" / "manifest.csv").exists()
    with pytest.raises(ValueError, match="not in"):
        devset.materialize(["reuters-00002"], tmp_path / "b", archive)  # no body
    with pytest.raises(ValueError, match="inside the repository"):
        devset.materialize(["reuters-00001"], reuters.REPO / "_build" / "x", archive)


def test_cli_by_split(tmp_path, capsys):
    archive = _archive(tmp_path)
    sha = {i.id: hashlib.sha256(i.text().encode()).hexdigest() for i in reuters.items(archive)}
    folder = tmp_path / "rn"
    folder.mkdir()
    (folder / "items.csv").write_text(ITEMS.format(a=sha["reuters-00001"],
                                                   b=sha["reuters-00004"]), encoding="utf-8")
    assert devset.main([str(tmp_path / "dev"), "--ids-from", str(folder), "--split", "dev",
                        "--archive", str(archive)]) == 0
    assert [p.name for p in (tmp_path / "dev" / "raw").iterdir()] == ["reuters-00001.txt"]
    (folder / "items.csv").write_text(ITEMS.format(a=SHA_A, b=SHA_B), encoding="utf-8")
    assert devset.main([str(tmp_path / "all"), "--ids-from", str(folder),
                        "--archive", str(archive)]) == 1
    assert "another text" in capsys.readouterr().err


def test_item_rows_load(tmp_path):
    archive = _archive(tmp_path)
    rows = devset.item_rows(["reuters-00004", "reuters-00001"], "claims", archive)
    assert [(r["article_id"], r["split"], r["date"], r["words"]) for r in rows] == [
        ("reuters-00001", "dev", "1987-02-26", 9), ("reuters-00004", "test", "1987-02-27", 6)]
    folder = tmp_path / "rn"
    folder.mkdir()
    devset.write_item_rows(folder / "items_claims.csv", rows)
    assert load_realnews(folder).annotated_for("claims") == ["reuters-00001", "reuters-00004"]
    out = devset.materialize(["reuters-00001"], tmp_path / "c", archive,
                             {r["article_id"]: r["sha256"] for r in rows})
    assert (out / "raw" / "reuters-00001.txt").is_file()
    with pytest.raises(ValueError, match="not in"):
        devset.item_rows(["reuters-00002"], "claims", archive)
