"""Record what a real-news benchmark measured, for the book and the README to read.

Each ``benchmarks/*_realnews.py`` script scores one method on the hand-annotated real-news set
(``data/realnews/``) and, with ``--record``, replaces its task's rows in
``analysis/resources/realnews/scores.csv`` through :func:`record`. The chapters read that file
(:func:`analysis.evaluation.realnews.published_scores`) and glue its values, so the figures a
reader sees are the ones the scripts measured, with the date and the command that measured them.
The archive the scripts read is not needed to build the book.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Mapping
from pathlib import Path

from analysis.evaluation.realnews import SCORE_COLUMNS, scores_path


def record(task: str, split: str, rows: Iterable[Mapping[str, object]], command: str,
           path: Path | None = None) -> Path:
    """Replace the rows of ``task`` on ``split`` in the scores file with ``rows`` (each:
    ``metric, value`` and optionally ``numerator, denominator, target, note``); returns the
    file."""
    path = Path(path) if path is not None else scores_path()
    keep: list[dict[str, str]] = []
    if path.is_file():
        with path.open(newline="", encoding="utf-8") as fh:
            keep = [r for r in csv.DictReader(fh) if (r["task"], r["split"]) != (task, split)]
    today = dt.date.today().isoformat()
    new = []
    for r in rows:
        row = {c: "" for c in SCORE_COLUMNS}
        row.update({k: ("" if v is None else str(v)) for k, v in r.items()})
        row.update(task=task, split=split, measured=today, command=command)
        value = float(row["value"])
        row["value"] = f"{value:.4f}".rstrip("0").rstrip(".") if value != int(value) else str(
            int(value))
        new.append(row)
    buf = io.StringIO(newline="")
    w = csv.DictWriter(buf, fieldnames=list(SCORE_COLUMNS), lineterminator="\n")
    w.writeheader()
    w.writerows(sorted(keep + new, key=lambda r: (r["task"], r["split"], r["metric"])))
    path.write_text(buf.getvalue(), encoding="utf-8", newline="")
    return path
