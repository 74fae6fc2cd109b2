"""Benchmark: seconds per MB for cleaning and loading one large article.

Run with ``python -m benchmarks.clean [sizes in KB ...]``. The article is the book's five raw
texts repeated to the wanted size, so it carries every defect the cleaning steps fix (scraper
prefixes, glued paragraphs, no-break spaces, dropped apostrophes). It is written to a temporary
corpus folder and loaded with :func:`analysis.corpus.load_corpus`, which also splits paragraphs
and sentences, counts words and maps every sentence back to the raw bytes. The time per MB
should stay roughly flat as the size grows (linear work). It prints figures only: nothing
asserts on time, because timings depend on the machine.
"""

from __future__ import annotations

import hashlib
import sys
import tempfile
import time
from pathlib import Path

from analysis import cleaning
from analysis.corpus import load_corpus
from benchmarks import BOOK

SIZES_KB = (10, 100, 1_000, 5_000, 20_000)


def sample_text(n_bytes: int) -> str:
    """The book's raw texts repeated and cut (at a character) to about ``n_bytes`` of UTF-8."""
    seed = "\n\n".join(p.read_text(encoding="utf-8")
                       for p in sorted((BOOK / "raw").glob("*.txt")))
    data = (seed * (n_bytes // len(seed.encode("utf-8")) + 1)).encode("utf-8")[:n_bytes]
    return data.decode("utf-8", errors="ignore")


def time_one(n_bytes: int) -> tuple[float, float]:
    """CPU seconds to clean, and to load (check, clean, split, map), one article of ``n_bytes``.

    CPU time of this process, not wall time, so other work on a shared machine does not count.
    """
    raw = sample_text(n_bytes)
    start = time.process_time()
    cleaning.clean(raw, {"headline": "Turkey seeks to defuse tension with Russia in Syria"})
    clean_s = time.process_time() - start
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "raw").mkdir()
        data = raw.encode("utf-8")
        (root / "raw" / "big.txt").write_bytes(data)
        (root / "manifest.csv").write_text(
            "id,file,sha256,outlet,date\n"
            f"big,big.txt,{hashlib.sha256(data).hexdigest()},Bench,2020-02-20\n",
            encoding="utf-8")
        start = time.process_time()
        load_corpus(root)
        load_s = time.process_time() - start
    return clean_s, load_s


def main(argv: list[str] | None = None) -> None:
    sizes = [int(a) for a in (sys.argv[1:] if argv is None else argv)] or list(SIZES_KB)
    print("CPU seconds (this process) to clean, and to load, one article")
    print(f"{'size':>9} {'clean s':>9} {'clean s/MB':>11} {'load s':>9} {'load s/MB':>10}")
    for kb in sizes:
        clean_s, load_s = time_one(kb * 1000)
        mb = kb / 1000
        print(f"{kb:>6} KB {clean_s:>9.2f} {clean_s / mb:>11.2f} {load_s:>9.2f} "
              f"{load_s / mb:>10.2f}", flush=True)


if __name__ == "__main__":
    main()
