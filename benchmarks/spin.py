"""Benchmark of the spin detector: seconds to score the corpus and 1,000 synthetic articles.

Run: ``python -m benchmarks.spin``. Prints only.
"""

from __future__ import annotations

import time

import pandas as pd

from analysis import spin
from analysis.corpus import load_corpus
from benchmarks import BOOK


def main() -> None:
    t0 = time.perf_counter()
    spin.lexicon(), spin.counts()
    t1 = time.perf_counter()
    corpus = load_corpus(BOOK)
    t2 = time.perf_counter()
    found = spin.flags(corpus.sentences)
    spin.document_scores(corpus.sentences, found)
    t3 = time.perf_counter()
    frames = []
    n = len(corpus.articles)
    for k in range(1000):
        src = corpus.sentences[corpus.sentences["article_id"] == corpus.articles["id"][k % n]]
        spun, _ = spin.spin_sentences(src, 0.1, k)
        frames.append(spun.assign(article_id=f"syn-{k}", sentence_id=spun["sentence_id"] + f"-{k}"))
    pool = pd.concat(frames, ignore_index=True)
    t4 = time.perf_counter()
    found = spin.flags(pool)
    spin.document_scores(pool, found)
    t5 = time.perf_counter()
    print(f"load resources (WordNet, counts): {t1 - t0:.2f} s")
    print(f"score the corpus ({n} articles): {t3 - t2:.2f} s")
    print(f"spin 1,000 synthetic articles at rate 0.1: {t4 - t3:.2f} s")
    print(f"score 1,000 synthetic articles ({len(pool)} sentences): {t5 - t4:.2f} s")
    # The threshold grid: synthetic copies of the book's five texts, copies with 10% of words
    # swapped against unspun ones (the defaults were first chosen on these five texts and the
    # eight made-up texts of the test suite; see the chapter).
    t6 = time.perf_counter()
    table = spin.grid(corpus.sentences, ratios=(5, 10, 30), fits=(3, 10),
                      originals=(0.0, 100.0))
    print(table.to_string(index=False))
    print(f"threshold grid ({len(table)} settings): {time.perf_counter() - t6:.2f} s")


if __name__ == "__main__":
    main()
