"""The hand-annotated claims of real news (data/realnews/claims.csv, items_claims.csv) keep
their own rules (data/realnews/CLAIMS_RULES.md): columns, ids, splits, values that agree with
their surfaces, periods in the normalised forms, and (when the archive is here) surfaces and
sentences that occur in the item text whose checksum is recorded."""

from __future__ import annotations

import csv
import hashlib
import re
from pathlib import Path

import pytest

from analysis.text import sentence_spans

FOLDER = Path(__file__).resolve().parent.parent / "data" / "realnews"
CLAIM_COLUMNS = ["article_id", "split", "claim_id", "surface", "value", "unit", "counted",
                 "period", "sentence", "note"]
ITEM_COLUMNS = ["article_id", "newid", "split", "date", "headline", "words", "sha256", "tasks"]
WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
         "eight": 8, "nine": 9, "ten": 10, "half": 0.5, "one-third": 1 / 3,
         "ninety-seven": 97, "seventh": 7, "sixth": 6, "thousands": 1000, "hundreds": 100,
         "millions": 1e6}
SCALE = {"mln": 1e6, "million": 1e6, "billion": 1e9}
_ONE = r"\d{4}(?:-(?:\d{2}(?:-\d{2})?|Q[1-4]|H[12]|W\d{2}))?"
PERIOD = re.compile(rf"(?:|{_ONE}(?:/{_ONE})?|FY\d{{4}}(?:-Q[1-4])?|\d{{4}}/\d{{2}})")


def _read(name: str, columns: list[str]) -> list[dict[str, str]]:
    with open(FOLDER / name, encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        assert reader.fieldnames == columns, f"{name}: columns {reader.fieldnames}"
        return list(reader)


def _split(article_id: str) -> str:
    return "test" if int(hashlib.sha256(article_id.encode()).hexdigest(), 16) % 2 else "dev"


def _expected_value(surface: str) -> float | None:
    """The value the surface itself states (low end of a range), or None when the text gives
    the scale elsewhere."""
    s = surface.lower()
    first = re.match(r"(\d+)-(\d+)/(\d+)", s)
    if first:
        return int(first[1]) + int(first[2]) / int(first[3])
    m = re.match(r"\d[\d,]*(?:\.\d+)?", s)
    if m:
        base = float(m.group().replace(",", ""))
    else:
        word = re.match(r"[a-z]+(?:-[a-z]+)?", s).group()
        if word not in WORDS:
            word = word.split("-")[0]
        base = WORDS[word]
    scale = next((SCALE[w] for w in s.split() if w in SCALE), 1)
    return base * scale


@pytest.fixture(scope="module")
def claims() -> list[dict[str, str]]:
    return _read("claims.csv", CLAIM_COLUMNS)


@pytest.fixture(scope="module")
def items() -> list[dict[str, str]]:
    return _read("items_claims.csv", ITEM_COLUMNS)


def test_sizes_and_balance(claims, items):
    by_split = {s: sum(r["split"] == s for r in claims) for s in ("dev", "test")}
    assert len(claims) >= 220
    assert min(by_split.values()) / max(by_split.values()) > 0.8, by_split
    pool = [i for i in items if i["split"] == "dev" and int(i["newid"]) <= 3000]
    assert len(pool) >= 10


def test_ids_and_splits(claims, items):
    ids = [i["article_id"] for i in items]
    assert len(ids) == len(set(ids))
    for i in items:
        assert i["article_id"] == f"reuters-{int(i['newid']):05d}"
        assert i["split"] == _split(i["article_id"]), i["article_id"]
        assert i["tasks"] == "claims" and re.fullmatch(r"[0-9a-f]{64}", i["sha256"])
    split_of = {i["article_id"]: i["split"] for i in items}
    seen = {}
    for n, r in enumerate(claims, start=2):
        assert r["article_id"] in split_of, f"row {n}: item not in items_claims.csv"
        assert r["split"] == split_of[r["article_id"]], f"row {n}: split"
        k = seen.get(r["article_id"], 0) + 1
        seen[r["article_id"]] = k
        assert r["claim_id"] == f"{r['article_id']}-c{k:02d}", f"row {n}: claim_id"


def test_values_units_periods_notes(claims):
    for n, r in enumerate(claims, start=2):
        where = f"row {n} ({r['claim_id']} {r['surface']!r})"
        value = float(r["value"])
        assert value > 0, where
        if "scale implied" not in r["note"]:
            assert value == pytest.approx(_expected_value(r["surface"]), rel=1e-9), where
        if r["surface"].endswith(("pct", "per cent")):
            assert r["unit"] == "pct", where
        assert PERIOD.fullmatch(r["period"]), f"{where}: period {r['period']!r}"
        assert r["counted"].strip(), where
        high = re.search(r"range to ([\d.]+)", r["note"])
        if high:
            assert float(high[1]) > value, where
        assert r["surface"] in r["sentence"], where


ARCHIVE_MISSING = not Path("/work/shared/corpora/reuters21578/reuters21578-xml.tar.gz").exists()


@pytest.mark.skipif(ARCHIVE_MISSING, reason="Reuters-21578 archive not on this machine")
def test_items_match_archive(claims, items):
    from benchmarks.reuters import items as archive_items

    wanted = {int(i["newid"]): i for i in items}
    texts = {}
    for item in archive_items():
        if item.newid in wanted:
            texts[item.newid] = item.text()
            if len(texts) == len(wanted):
                break
    assert set(texts) == set(wanted)
    sentences = {}
    for newid, text in texts.items():
        row = wanted[newid]
        assert hashlib.sha256(text.encode()).hexdigest() == row["sha256"], row["article_id"]
        body = text.split("\n", 1)[1]
        paragraphs = [" ".join(p.split()) for p in re.split(r"\n(?=[ \t])", body)]
        sentences[row["article_id"]] = {p[s:e] for p in paragraphs for s, e in sentence_spans(p)}
    for n, r in enumerate(claims, start=2):
        assert r["sentence"] in sentences[r["article_id"]], f"row {n}: sentence not in the text"
