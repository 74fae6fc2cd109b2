"""A corpus folder of the real-news development set's items, to run the methods on them.

``python -m benchmarks.devset OUT --ids-from data/realnews [--split dev|test|all]`` reads the
items the annotations list (``items*.csv`` through
:func:`analysis.evaluation.realnews.load_realnews`), finds them in the Reuters-21578 archive with
:mod:`benchmarks.reuters` and writes ``OUT/raw/`` and ``OUT/manifest.csv`` in the same form as
``python -m benchmarks.reuters``. Each text's SHA-256 must equal the one ``items.csv`` records,
so the annotations' offsets and quoted words refer to exactly the text written; a mismatch or an
item missing from the archive stops before anything is written.

Annotators make their ``items*.csv`` rows with :func:`item_rows` and :func:`write_item_rows`
(``python -c "from benchmarks.devset import *; write_item_rows('data/realnews/items_claims.csv',
item_rows(['reuters-00018'], 'claims'))"``), so that rows for the same item in different files
agree, as the loader requires.

The texts are for research use only: like :mod:`benchmarks.reuters`, this refuses a folder
inside the repository.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import io
import sys
from collections.abc import Iterable, Mapping
from pathlib import Path

from analysis.evaluation import GoldError
from analysis.evaluation.realnews import ITEM_COLUMNS, SPLITS, load_realnews, split_of
from benchmarks import reuters
from benchmarks.reuters import ARCHIVE


def materialize(ids: Iterable[str], out: Path, archive: Path = ARCHIVE,
                sha256: Mapping[str, str] | None = None) -> Path:
    """Write the corpus folder ``out`` holding the items ``ids`` (``reuters-NNNNN``) in archive
    order; returns ``out``.

    ``sha256`` maps ids to the expected SHA-256 of each file's text; a text that differs, or an
    id the archive lacks, raises ``ValueError`` before any file is written.
    """
    wanted = set(ids)
    if not wanted:
        raise ValueError("no items to write")
    out = reuters.check_out(out)
    chosen = []
    for item in reuters.items(archive):
        if item.id in wanted:
            chosen.append(item)
            if len(chosen) == len(wanted):
                break
    missing = sorted(wanted - {item.id for item in chosen})
    if missing:
        raise ValueError(f"{len(missing)} item(s) not in {archive} (with a body): "
                         f"{', '.join(missing[:5])}")
    for item in chosen:
        expected = (sha256 or {}).get(item.id)
        found = hashlib.sha256(item.text().encode("utf-8")).hexdigest()
        if expected is not None and found != expected:
            raise ValueError(f"{item.id}: the archive's text has sha256 {found}, the annotation "
                             f"records {expected}; the annotation was made on another text")
    reuters.write_corpus(out, chosen)
    return out


def item_rows(ids: Iterable[str], tasks: str, archive: Path = ARCHIVE) -> list[dict]:
    """Rows of ``items.csv`` (:data:`ITEM_COLUMNS`) for the items ``ids``, in id order, each
    marked as annotated for ``tasks`` (``;``-joined): the one way every annotator computes
    ``date``, ``headline``, ``words`` (whitespace-separated tokens of the file text, title line
    included) and ``sha256`` (of the file text as :mod:`benchmarks.reuters` writes it), so rows
    kept in different ``items*.csv`` files agree."""
    wanted = set(ids)
    rows = []
    for item in reuters.items(archive):
        if item.id in wanted:
            text = item.text()
            rows.append({"article_id": item.id, "newid": item.newid, "split": split_of(item.id),
                         "date": item.day, "headline": item.title, "words": len(text.split()),
                         "sha256": hashlib.sha256(text.encode("utf-8")).hexdigest(),
                         "tasks": tasks})
            if len(rows) == len(wanted):
                break
    missing = sorted(wanted - {r["article_id"] for r in rows})
    if missing:
        raise ValueError(f"{len(missing)} item(s) not in {archive} (with a body): "
                         f"{', '.join(missing[:5])}")
    return sorted(rows, key=lambda r: r["article_id"])


def write_item_rows(path: Path, rows: list[dict]) -> None:
    """Write ``rows`` (from :func:`item_rows`) as an ``items*.csv`` file."""
    buf = io.StringIO(newline="")
    writer = csv.DictWriter(buf, fieldnames=list(ITEM_COLUMNS), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    Path(path).write_text(buf.getvalue(), encoding="utf-8", newline="")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.devset",
                                     description="A corpus folder of the real-news development "
                                                 "set's items (research use only; never commit "
                                                 "it).")
    parser.add_argument("out", type=Path, help="folder to write (outside the repository)")
    parser.add_argument("--ids-from", type=Path, required=True,
                        help="the annotation folder (data/realnews)")
    parser.add_argument("--split", choices=[*SPLITS, "all"], default="all",
                        help="which split's items (default: all)")
    parser.add_argument("--archive", type=Path, default=ARCHIVE, help="the XML tar.gz")
    args = parser.parse_args(argv)
    try:
        items = load_realnews(args.ids_from).items
        if args.split != "all":
            items = items[items["split"] == args.split]
        out = materialize(items["article_id"], args.out, args.archive,
                          dict(zip(items["article_id"], items["sha256"])))
    except (GoldError, ValueError, FileExistsError, OSError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    print(f"wrote {len(items):,} articles ({args.split}) to {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
