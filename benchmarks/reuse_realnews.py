"""Passage kinds and copying pairs against the hand-typed pairs of the real-news dev set.

``python -m benchmarks.reuse_realnews [--split dev|test] [--background N] [--set reuse.x=v ...]``
writes a corpus of the annotated pairs' items plus the first ``N`` archive items as background
(an outlet's boilerplate is learnt from its own articles, so the method needs an archive around
the pairs, as it has in use), runs the pipeline's reuse stages on it and prints, per split:

* copied-narrative precision: of the annotated pairs the method calls copying, the share typed
  ``same_story_copied``;
* copied-story recall: of the ``same_story_copied`` pairs, the share called copying;
* same-story recall: of all ``same_story_*`` pairs, the share in one story cluster;
* the confusion of annotated type against the method's call, and the pairs it gets wrong.

Prints only; it asserts nothing. The texts are for research use only: the corpus is written to a
temporary folder outside the repository.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import io
import tempfile
from pathlib import Path

import pandas as pd

from analysis.config import load_config, parse_setting
from analysis.pipeline import run
from benchmarks import reuters

REPO = Path(__file__).resolve().parent.parent
PAIRS = REPO / "data" / "realnews" / "pairs.csv"


def write_corpus(out: Path, ids: set[str], background: int) -> None:
    raw = out / "raw"
    raw.mkdir(parents=True)
    rows = []
    for k, item in enumerate(reuters.items()):
        if k >= background and item.id not in ids:
            continue
        data = item.text().encode("utf-8")
        (raw / f"{item.id}.txt").write_bytes(data)
        rows.append({"id": item.id, "file": f"{item.id}.txt",
                     "sha256": hashlib.sha256(data).hexdigest(), "outlet": reuters.OUTLET,
                     "date": item.day, "headline": item.title,
                     "date_basis": f"stated: {item.date}", "dateline": item.dateline})
    buf = io.StringIO(newline="")
    w = csv.DictWriter(buf, fieldnames=list(reuters.COLUMNS), lineterminator="\n")
    w.writeheader()
    w.writerows(rows)
    (out / "manifest.csv").write_text(buf.getvalue(), encoding="utf-8", newline="")


def score(pairs: pd.DataFrame, directions: pd.DataFrame, clusters: pd.DataFrame) -> dict:
    called = {frozenset(p) for p in zip(directions["source_id"], directions["target_id"])}
    cluster = dict(zip(clusters["article_id"], clusters["cluster_id"]))
    pairs = pairs.assign(
        copying=[frozenset((a, b)) in called for a, b in zip(pairs["a"], pairs["b"])],
        clustered=[cluster.get(a) is not None and cluster.get(a) == cluster.get(b)
                   for a, b in zip(pairs["a"], pairs["b"])])
    copied = pairs["type"].eq("same_story_copied")
    same = pairs["type"].str.startswith("same_story")
    n_called = int(pairs["copying"].sum())
    return {
        "pairs": len(pairs),
        "called copying": n_called,
        "copied-narrative precision": (float((pairs["copying"] & copied).sum() / n_called)
                                       if n_called else 1.0),
        "copied-story recall": float(pairs.loc[copied, "copying"].mean()),
        "same-story recall (clusters)": float(pairs.loc[same, "clustered"].mean()),
        "confusion": pd.crosstab(pairs["type"], pairs["copying"]),
        "wrong": pairs[(pairs["copying"] & ~copied) | (~pairs["copying"] & copied)],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.reuse_realnews")
    parser.add_argument("--split", choices=("dev", "test"), default="dev")
    parser.add_argument("--background", type=int, default=6000)
    parser.add_argument("--set", action="append", default=[], dest="settings")
    parser.add_argument("--record", action="store_true",
                        help="write the figures to analysis/resources/realnews/scores.csv")
    args = parser.parse_args(argv)
    pairs = pd.read_csv(PAIRS, dtype=str, keep_default_na=False)
    pairs = pairs[pairs["split"].eq(args.split)]
    ids = set(pairs["a"]) | set(pairs["b"])
    overrides: dict = {}
    for text in args.settings:
        section, key, value = parse_setting(text)
        overrides.setdefault(section, {})[key] = value
    config = load_config(None, overrides)
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus"
        write_corpus(corpus, ids, args.background)
        result = run(corpus, Path(tmp) / "run", config, stages=["copies"])
        s = score(pairs, result.table("directions"), result.table("clusters"))
    print(f"split {args.split}: {s['pairs']} annotated pairs, {s['called copying']} called "
          f"copying, background {args.background} items, settings {args.settings or 'default'}")
    for key in ("copied-narrative precision", "copied-story recall",
                "same-story recall (clusters)"):
        print(f"  {key}: {s[key]:.3f}")
    print(s["confusion"].to_string())
    if args.record:
        from benchmarks.scores import record

        conf = s["confusion"]
        def cell(kind: str, called: bool) -> int:
            return int(conf.loc[kind, called]) if kind in conf.index and called in conf.columns \
                else 0
        copied_called = cell("same_story_copied", True)
        copied = copied_called + cell("same_story_copied", False)
        record("reuse", args.split, [
            {"metric": "copied-narrative precision", "value": s["copied-narrative precision"],
             "numerator": copied_called, "denominator": s["called copying"], "target": 0.90,
             "note": "annotated pairs the method calls copying that are typed same_story_copied"},
            {"metric": "copied-story recall", "value": s["copied-story recall"],
             "numerator": copied_called, "denominator": copied, "target": 0.95,
             "note": "same_story_copied pairs called copying"},
            {"metric": "same-story recall (clusters)", "value": s["same-story recall (clusters)"],
             "denominator": int(sum(cell(k, c) for k in ("same_story_copied",
                                                         "same_story_independent")
                                    for c in (True, False))),
             "note": "same_story_copied and same_story_independent pairs in one story cluster"},
        ], "python -m benchmarks.reuse_realnews --split " + args.split + " --record")
    with pd.option_context("display.width", 200, "display.max_colwidth", 90):
        print(s["wrong"][["pair_id", "type", "copying", "note"]].to_string(index=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
