"""The real-news development set: hand annotations of Reuters-21578 items, split dev/test.

The set lives in a folder of tidy CSV files (the repository keeps it in ``data/realnews``; its
README documents every column and the annotation rules). This module only reads and checks it;
the texts themselves are not in the folder (research use only) and are written to a corpus
folder by ``benchmarks/devset.py``. The folder is a required argument: the package does not know
where the repository is.

Files: ``items*.csv`` (``items.csv`` plus any ``items_<task>.csv`` an annotator keeps apart, read
together; an item may appear in several when its rows agree, and its tasks are then joined),
``quotes.csv``, ``claims.csv``, ``pairs.csv`` and ``spin.csv``. A missing file gives an empty
frame with the right columns. A bad row is a :class:`~analysis.evaluation.GoldError` naming
file, row and field: an unknown value, a split that is not :func:`split_of` the item, a value
that should be a number and is not, a repeated id, or an item no ``items*.csv`` lists for the
task.

The split is a pure function of the article id, fixed before any method was tuned on the set:
tune on ``dev``, report on ``test``.
"""

from __future__ import annotations

import hashlib
import math
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from analysis.evaluation import GoldError
from analysis.text import read_table

ITEM_COLUMNS = ("article_id", "newid", "split", "date", "headline", "words", "sha256", "tasks")
QUOTE_COLUMNS = ("article_id", "split", "quote_id", "quote", "speaker", "speaker_kind",
                 "named_in", "note")
CLAIM_COLUMNS = ("article_id", "split", "claim_id", "surface", "value", "unit", "counted",
                 "period", "sentence", "note")
PAIR_COLUMNS = ("pair_id", "a", "b", "split", "type", "note")
SPIN_COLUMNS = ("article_id", "split", "words")

SPLITS = ("dev", "test")
TASKS = ("quotes", "claims", "pairs", "spin")
SPEAKER_KINDS = ("person", "organisation", "none")
NAMED_IN = ("same_sentence", "other_sentence", "not_named")
PAIR_TYPES = ("same_story_copied", "same_story_independent", "shared_quotation", "boilerplate",
              "unrelated")

_ARTICLE_ID = re.compile(r"reuters-(\d{5})")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_SHA256 = re.compile(r"[0-9a-f]{64}")


def split_of(article_id: str) -> str:
    """``"test"`` or ``"dev"``: the parity of the SHA-256 of the id (a fixed, even split)."""
    return "test" if int(hashlib.sha256(article_id.encode()).hexdigest(), 16) % 2 else "dev"


@dataclass(frozen=True)
class RealNews:
    """The development set's tables, one frame per file (columns as the ``*_COLUMNS`` constants).

    ``items.newid`` and ``items.words`` and ``spin.words`` are integers, ``claims.value`` is a
    float; every other cell is a string (``""`` when empty).
    """

    items: pd.DataFrame
    quotes: pd.DataFrame
    claims: pd.DataFrame
    pairs: pd.DataFrame
    spin: pd.DataFrame

    def split(self, name: str) -> RealNews:
        """The same set restricted to one split (``dev`` or ``test``)."""
        if name not in SPLITS:
            raise ValueError(f"split must be one of {SPLITS}, not {name!r}")
        return RealNews(*(getattr(self, f)[getattr(self, f)["split"] == name]
                          .reset_index(drop=True) for f in ("items", "quotes", "claims",
                                                            "pairs", "spin")))

    def annotated_for(self, task: str) -> list[str]:
        """Ids of the items fully annotated for ``task``, in id order."""
        if task not in TASKS:
            raise ValueError(f"task must be one of {TASKS}, not {task!r}")
        has = self.items["tasks"].str.split(";").apply(lambda ts: task in ts)
        return sorted(self.items.loc[has, "article_id"])


def _empty(columns: tuple[str, ...]) -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=object) for c in columns})


def _read(folder: Path, name: str, columns: tuple[str, ...],
          required: tuple[str, ...]) -> pd.DataFrame | None:
    path = folder / name
    if not path.is_file():
        return None
    return read_table(path, columns, required=required, error=GoldError)


def _integer(value: str, path: Path, row: int, field: str) -> int:
    if not re.fullmatch(r"\d+", value):
        raise GoldError(f"{field} {value!r} is not a whole number", file=path, row=row,
                        field=field)
    return int(value)


def _number(value: str, path: Path, row: int, field: str) -> float:
    try:
        number = float(value)
    except ValueError:
        number = math.nan
    if not math.isfinite(number):
        raise GoldError(f"{field} {value!r} is not a finite number", file=path, row=row,
                        field=field)
    return number


def _one_of(value: str, allowed: tuple[str, ...], path: Path, row: int, field: str) -> None:
    if value not in allowed:
        raise GoldError(f"{field} {value!r} is not one of {', '.join(allowed)}", file=path,
                        row=row, field=field)


def _article(value: str, path: Path, row: int, field: str) -> None:
    if not _ARTICLE_ID.fullmatch(value):
        raise GoldError(f"{field} {value!r} is not a Reuters id (reuters-NNNNN)", file=path,
                        row=row, field=field)


def _split(value: str, article_id: str, path: Path, row: int) -> None:
    _one_of(value, SPLITS, path, row, "split")
    if value != split_of(article_id):
        raise GoldError(f"split {value!r} disagrees with split_of({article_id!r}) = "
                        f"{split_of(article_id)!r}", file=path, row=row, field="split")


def _unique(frame: pd.DataFrame, column: str, path: Path) -> None:
    seen: dict[str, int] = {}
    for value, row in zip(frame[column], frame["_row"]):
        if value in seen:
            raise GoldError(f"{column} {value!r} repeats row {seen[value]}", file=path, row=row,
                            field=column)
        seen[value] = row


def _items(folder: Path) -> pd.DataFrame:
    """Every ``items*.csv`` checked and merged: one row per item, tasks joined."""
    merged: dict[str, dict] = {}
    for path in sorted(folder.glob("items*.csv")):
        frame = read_table(path, ITEM_COLUMNS, required=ITEM_COLUMNS, error=GoldError)
        _unique(frame, "article_id", path)
        for rec in frame.to_dict("records"):
            row, aid = rec.pop("_row"), rec["article_id"]
            rec = {c: rec[c] for c in ITEM_COLUMNS}
            _article(aid, path, row, "article_id")
            rec["newid"] = _integer(rec["newid"], path, row, "newid")
            if rec["newid"] != int(_ARTICLE_ID.fullmatch(aid)[1]):
                raise GoldError(f"newid {rec['newid']} is not the number in {aid!r}", file=path,
                                row=row, field="newid")
            _split(rec["split"], aid, path, row)
            if not _DATE.fullmatch(rec["date"]):
                raise GoldError(f"date {rec['date']!r} is not YYYY-MM-DD", file=path, row=row,
                                field="date")
            rec["words"] = _integer(rec["words"], path, row, "words")
            if not _SHA256.fullmatch(rec["sha256"]):
                raise GoldError(f"sha256 {rec['sha256']!r} is not 64 lower-case hex digits",
                                file=path, row=row, field="sha256")
            tasks = rec["tasks"].split(";")
            for task in tasks:
                _one_of(task, TASKS, path, row, "tasks")
            if aid in merged:
                old, where = merged[aid]
                for c in ITEM_COLUMNS[:-1]:
                    if old[c] != rec[c]:
                        raise GoldError(f"{c} {rec[c]!r} disagrees with {old[c]!r} for {aid} "
                                        f"in {where}", file=path, row=row, field=c)
                tasks = [*old["tasks"].split(";"), *tasks]
            rec["tasks"] = ";".join(t for t in TASKS if t in tasks)
            merged[aid] = (rec, merged.get(aid, (None, f"{path.name} row {row}"))[1])
    if not merged:
        return _empty(ITEM_COLUMNS)
    frame = pd.DataFrame([rec for rec, _ in merged.values()], columns=list(ITEM_COLUMNS))
    return frame.sort_values("article_id").reset_index(drop=True)


def _listed(aid: str, task: str, tasks: dict[str, set[str]], path: Path, row: int,
            field: str) -> None:
    if task not in tasks.get(aid, ()):
        raise GoldError(f"{aid!r} is not listed in items*.csv as annotated for {task}",
                        file=path, row=row, field=field)


def _quotes(folder: Path, tasks: dict[str, set[str]]) -> pd.DataFrame:
    path = folder / "quotes.csv"
    frame = _read(folder, path.name, QUOTE_COLUMNS,
                  ("article_id", "split", "quote_id", "quote", "speaker_kind", "named_in"))
    if frame is None:
        return _empty(QUOTE_COLUMNS)
    _unique(frame, "quote_id", path)
    for rec in frame.to_dict("records"):
        row, aid = rec["_row"], rec["article_id"]
        _article(aid, path, row, "article_id")
        _split(rec["split"], aid, path, row)
        _listed(aid, "quotes", tasks, path, row, "article_id")
        if not re.fullmatch(re.escape(aid) + r"-q\d{2,}", rec["quote_id"]):
            raise GoldError(f"quote_id {rec['quote_id']!r} is not {aid}-qNN", file=path,
                            row=row, field="quote_id")
        _one_of(rec["speaker_kind"], SPEAKER_KINDS, path, row, "speaker_kind")
        _one_of(rec["named_in"], NAMED_IN, path, row, "named_in")
        unnamed = (rec["speaker"] == "", rec["speaker_kind"] == "none",
                   rec["named_in"] == "not_named")
        if any(unnamed) and not all(unnamed):
            field = "speaker" if rec["speaker"] else ("named_in" if unnamed[1] else
                                                      "speaker_kind")
            raise GoldError("a quotation without a named speaker has speaker \"\", "
                            "speaker_kind none and named_in not_named (all three or none)",
                            file=path, row=row, field=field)
    return frame[list(QUOTE_COLUMNS)].reset_index(drop=True)


def _claims(folder: Path, tasks: dict[str, set[str]]) -> pd.DataFrame:
    path = folder / "claims.csv"
    frame = _read(folder, path.name, CLAIM_COLUMNS,
                  ("article_id", "split", "claim_id", "surface", "value"))
    if frame is None:
        frame = _empty(CLAIM_COLUMNS)
        return frame.assign(value=frame["value"].astype(float))
    _unique(frame, "claim_id", path)
    values = []
    for rec in frame.to_dict("records"):
        row, aid = rec["_row"], rec["article_id"]
        _article(aid, path, row, "article_id")
        _split(rec["split"], aid, path, row)
        _listed(aid, "claims", tasks, path, row, "article_id")
        values.append(_number(rec["value"], path, row, "value"))
    return frame.assign(value=pd.Series(values, dtype=float, index=frame.index))[
        list(CLAIM_COLUMNS)].reset_index(drop=True)


def _pairs(folder: Path, tasks: dict[str, set[str]]) -> pd.DataFrame:
    path = folder / "pairs.csv"
    frame = _read(folder, path.name, PAIR_COLUMNS, ("pair_id", "a", "b", "split", "type"))
    if frame is None:
        return _empty(PAIR_COLUMNS)
    _unique(frame, "pair_id", path)
    seen: dict[tuple[str, str], int] = {}
    for rec in frame.to_dict("records"):
        row, a, b = rec["_row"], rec["a"], rec["b"]
        for field in ("a", "b"):
            _article(rec[field], path, row, field)
            _listed(rec[field], "pairs", tasks, path, row, field)
        if not a < b:
            raise GoldError(f"a {a!r} must sort before b {b!r}", file=path, row=row, field="b")
        if (a, b) in seen:
            raise GoldError(f"pair ({a}, {b}) repeats row {seen[a, b]}", file=path, row=row,
                            field="b")
        seen[a, b] = row
        if split_of(a) != split_of(b):
            raise GoldError(f"{a} is {split_of(a)} and {b} is {split_of(b)}: a pair across "
                            "splits is not used, leave it out", file=path, row=row, field="b")
        _split(rec["split"], a, path, row)
        _one_of(rec["type"], PAIR_TYPES, path, row, "type")
    return frame[list(PAIR_COLUMNS)].reset_index(drop=True)


def _spin(folder: Path, tasks: dict[str, set[str]]) -> pd.DataFrame:
    path = folder / "spin.csv"
    frame = _read(folder, path.name, SPIN_COLUMNS, SPIN_COLUMNS)
    if frame is None:
        frame = _empty(SPIN_COLUMNS)
        return frame.assign(words=frame["words"].astype(int))
    _unique(frame, "article_id", path)
    words = []
    for rec in frame.to_dict("records"):
        row, aid = rec["_row"], rec["article_id"]
        _article(aid, path, row, "article_id")
        _split(rec["split"], aid, path, row)
        _listed(aid, "spin", tasks, path, row, "article_id")
        words.append(_integer(rec["words"], path, row, "words"))
    return frame.assign(words=pd.Series(words, dtype=int, index=frame.index))[
        list(SPIN_COLUMNS)].reset_index(drop=True)


def load_realnews(folder: Path | str) -> RealNews:
    """The development set in ``folder`` (in the repository: ``data/realnews``), every row
    checked; a bad row is a :class:`GoldError` naming file, row and field."""
    folder = Path(folder)
    if not folder.is_dir():
        raise GoldError("is not a folder (the real-news set is a folder of CSV files)",
                        file=folder)
    items = _items(folder)
    items = items.assign(newid=items["newid"].astype(int), words=items["words"].astype(int))
    tasks = {aid: set(ts.split(";")) for aid, ts in zip(items["article_id"], items["tasks"])}
    return RealNews(items=items, quotes=_quotes(folder, tasks), claims=_claims(folder, tasks),
                    pairs=_pairs(folder, tasks), spin=_spin(folder, tasks))


# --- published scores ---------------------------------------------------------------------------

SCORE_COLUMNS = ("task", "metric", "split", "value", "numerator", "denominator", "target",
                 "measured", "command", "note")


def scores_path() -> Path:
    """The scores the real-news benchmarks recorded (package data, so any book can read it)."""
    from analysis.text import resource

    return resource("realnews", "scores.csv")


def published_scores(path: Path | None = None) -> pd.DataFrame:
    """What each method scored on the real-news set, as recorded by ``benchmarks/*_realnews.py``
    (``task, metric, split, value, numerator, denominator, target, measured, command, note``);
    an empty frame with those columns when nothing was recorded."""
    path = Path(path) if path is not None else scores_path()
    if not path.is_file():
        return _empty(SCORE_COLUMNS)
    frame = read_table(path, SCORE_COLUMNS, error=GoldError)
    for row, (split, value) in enumerate(zip(frame["split"], frame["value"]), start=2):
        _one_of(split, SPLITS, path, row, "split")
        _number(value, path, row, "value")
    return frame.assign(value=frame["value"].astype(float))
