"""Benchmark of the reuse method: ``python -m benchmarks.reuse``.

Prints the median wall time of (1) the whole method on every pair of the five reports, end to
end (documents, candidates, alignment, edits, sentence labels), and (2) aligning two synthetic
1,000-word texts, one an edited copy of the other, built from the corpus's words with a seeded
generator. Target for (1): under one second.
"""

from __future__ import annotations

import random

from analysis import reuse
from benchmarks import BOOK, median_ms
from analysis.corpus import load_corpus


def synthetic_pair(n_words: int = 1000, rate: float = 0.1, seed: int = 1) -> tuple[str, str]:
    """Two texts of ``n_words`` corpus words: a random text and an edited copy of it."""
    corpus = load_corpus(BOOK)
    vocab = sorted({w for aid in corpus.articles["id"] for w in
                    (t.text for t in reuse.documents(corpus)[aid].tokens)})
    rng = random.Random(seed)
    words = [rng.choice(vocab) for _ in range(n_words)]
    copy = reuse.plant_edits(words, rate, "mixed", vocab, rng)[:n_words]
    sentences = lambda ws: " ".join(  # noqa: E731
        " ".join(ws[k:k + 20]) + "." for k in range(0, len(ws), 20))
    return sentences(words), sentences(copy)


def main(repeats: int = 10) -> None:
    corpus = load_corpus(BOOK)

    def end_to_end() -> None:
        docs = reuse.documents(corpus)
        found = reuse.find_passages(docs)
        reuse.edits_frame(corpus, reuse.primary_passages(found), docs)
        reuse.sentence_labels(corpus, found=found)

    ms = median_ms(end_to_end, repeats)
    print(f"reuse: all pairs of the five texts end to end: median {ms:.1f} ms over {repeats} runs"
          f" (target < 1000 ms: {'met' if ms < 1000 else 'NOT met'})")
    a, b = synthetic_pair()
    docs = {"a": reuse.make_doc("a", a), "b": reuse.make_doc("b", b)}
    ms = median_ms(lambda: reuse.find_passages(docs, pairs=[("a", "b")]), repeats)
    print(f"reuse: aligning two 1,000-word texts (10% mixed edits): median {ms:.1f} ms over "
          f"{repeats} runs")


if __name__ == "__main__":
    main()
