"""Quotations and their speakers on real news: ``python -m benchmarks.speakers_realnews``.

Writes the items annotated for quotations (``data/realnews/quotes.csv``) to a temporary corpus
folder with :mod:`benchmarks.devset`, runs :func:`analysis.quotes.find_quotes` on it and scores
each split with :mod:`analysis.evaluation.realnews_quotes` (quotation precision and recall, and
the speaker of every quotation whose speaker the text names: right, wrong, unknown, missed).
Prints only.

``--reflow`` joins the archive's hard-wrapped lines before loading (an indented line starts a
paragraph, any other line continues the one before), to see the figures the loader will give
once cleaning reflows such text itself; without it the texts load as the archive has them.
``--errors`` lists every dev quotation whose outcome is not ``right`` (tuning is done on dev
only; the test split is printed as figures).
"""

from __future__ import annotations

import argparse
import hashlib
import io
import csv
import tempfile
from pathlib import Path

import pandas as pd

from analysis.corpus import load_corpus
from analysis.evaluation import realnews_quotes as ev
from analysis.evaluation.realnews import SPLITS, load_realnews
from analysis.quotes import find_quotes
from benchmarks import ROOT
from benchmarks.devset import materialize

FOLDER = ROOT / "data" / "realnews"


def reflow(text: str) -> str:
    """The first line (the title) as it is, then the body with each paragraph on one line."""
    title, _, body = text.partition("\n")
    paragraphs: list[str] = []
    for line in body.split("\n"):
        if not line.strip():
            continue
        if paragraphs and not line[:1].isspace():
            prev = paragraphs[-1]
            hyphen = prev.endswith("-") and prev[-2:-1].isalpha() and line[:1].isalpha()
            paragraphs[-1] = prev + ("" if hyphen else " ") + line.strip()
        else:
            paragraphs.append(line.strip())
    return title + "\n" + "\n\n".join(paragraphs) + "\n"


def _reflow_folder(out: Path) -> None:
    manifest = out / "manifest.csv"
    rows = list(csv.DictReader(io.StringIO(manifest.read_text(encoding="utf-8"))))
    for row in rows:
        path = out / "raw" / row["file"]
        data = reflow(path.read_text(encoding="utf-8")).encode("utf-8")
        path.write_bytes(data)
        row["sha256"] = hashlib.sha256(data).hexdigest()
    buf = io.StringIO(newline="")
    writer = csv.DictWriter(buf, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    manifest.write_text(buf.getvalue(), encoding="utf-8", newline="")


def score(folder: Path = FOLDER, reflowed: bool = False, work: Path | None = None
          ) -> dict[str, tuple[pd.DataFrame, pd.DataFrame]]:
    """Split name -> (gold with outcomes, found with ``matched``) for the quotation items."""
    realnews = load_realnews(folder)
    items = realnews.items[realnews.items["tasks"].str.split(";").apply(lambda t: "quotes" in t)]
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(work or tmp) / "corpus"
        materialize(items["article_id"], out, sha256=dict(zip(items["article_id"],
                                                              items["sha256"])))
        if reflowed:
            _reflow_folder(out)
        corpus = load_corpus(out)
        found = find_quotes(corpus)
        return {split: ev.outcomes(found, realnews.quotes[realnews.quotes["split"] == split],
                                   corpus.text) for split in SPLITS}


def report(results: dict[str, tuple[pd.DataFrame, pd.DataFrame]]) -> pd.DataFrame:
    """One row per split: :func:`analysis.evaluation.realnews_quotes.summary`, transposed so
    each figure is a row (shares to three places)."""
    figures = {split: ev.summary(*results[split]) for split in results}
    return pd.DataFrame({split: {k: f"{v:.3f}" if isinstance(v, float) else str(v)
                                 for k, v in f.items()} for split, f in figures.items()})


def record_scores(results: dict[str, tuple[pd.DataFrame, pd.DataFrame]], command: str) -> None:
    """Write each split's speaker and quotation figures with :func:`benchmarks.scores.record`."""
    from benchmarks.scores import record

    for split, (gold, found) in results.items():
        f = ev.summary(gold, found)
        record("speakers", split, [
            {"metric": "speaker right (named speakers)", "value": f["speaker_right_all_named"],
             "numerator": f["right"], "denominator": f["named"], "target": 0.90,
             "note": "quotations whose speaker the text names, headline quotations included"},
            {"metric": "quotation precision", "value": f["precision"],
             "numerator": f["matched"], "denominator": f["found"]},
            {"metric": "quotation recall", "value": f["recall"], "numerator": f["matched"],
             "denominator": f["gold"]},
        ], command)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.speakers_realnews")
    parser.add_argument("--reflow", action="store_true", help="join hard-wrapped lines first")
    parser.add_argument("--errors", action="store_true", help="list dev quotations not right")
    parser.add_argument("--record", action="store_true",
                        help="write the figures to analysis/resources/realnews/scores.csv")
    args = parser.parse_args(argv)
    results = score(reflowed=args.reflow)
    table = report(results)
    if args.record:
        record_scores(results, "python -m benchmarks.speakers_realnews --record"
                      + (" --reflow" if args.reflow else ""))
    pd.set_option("display.width", 200)
    print(f"texts {'reflowed' if args.reflow else 'as archived (hard-wrapped)'}")
    print(table.to_string())
    if args.errors:
        gold = results["dev"][0]
        bad = gold[gold["outcome"] != "right"]
        pd.set_option("display.max_colwidth", 60)
        print(bad[["quote_id", "speaker", "named_in", "outcome", "found_speaker",
                   "attributed_by", "quote"]].to_string(index=False))


if __name__ == "__main__":
    main()
