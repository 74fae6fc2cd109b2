"""Benchmark of reuse at archive scale: ``make bench-scale`` (``python -m benchmarks.scale``).

Builds seeded synthetic corpora of news-length articles (300-800 words drawn, with their
frequencies, from the words of the corpus) in which a share of the articles carry edited copies
(10 % of words edited: substitutions, insertions, deletions, swaps) of passages of earlier
articles, and runs :func:`analysis.index.find_passages` on each. For every size it prints the
seconds, the peak memory of the process (each size runs in its own process), candidate pairs,
planted passages, and recall and precision of the planted passages (a planted passage is found
when passages of its pair cover half its words or more; a passage is right when half its words
or more lie in a passage planted from its source). Then the growth exponent of time in N and, at
1,000 articles, the time of the pairwise ``text-matcher`` package (if installed) on the same
corpus. It prints, never asserts: timings depend on the machine and its load.

Targets (2 cores): 10,000 articles under one minute, 100,000 under ten minutes, peak memory
under 4 GB at 100,000, recall >= 0.98.

``--threshold`` times the all-pairs search (:func:`analysis.reuse.find_passages`) against the
index on small corpora, which is how :data:`analysis.index.INDEX_ABOVE` was chosen.
``--distributed [ADDRESS]`` runs :func:`analysis.distributed.find_passages` instead, on a local
cluster of one worker process per core, or on the scheduler at ADDRESS.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from analysis import index, reuse
from benchmarks import BOOK

ROOT = Path(__file__).resolve().parent.parent  # each size runs as `python -m` from here
SIZES = (1_000, 10_000, 100_000)
EDIT_RATE = 0.1


@dataclass(frozen=True)
class Planted:
    """A copy planted in a target: the target's word range it occupies."""

    source_id: str
    target_id: str
    start: int
    end: int


@dataclass(frozen=True, eq=False)
class Synthetic:
    """Texts in publication order and the copies planted in them."""

    texts: dict[str, str]
    planted: tuple[Planted, ...]


@lru_cache(maxsize=1)
def vocabulary() -> tuple[tuple[str, ...], np.ndarray]:
    """The words of the book's corpus and their relative frequencies."""
    from analysis.corpus import load_corpus
    counts = Counter(t.text.lower() for doc in reuse.documents(load_corpus(BOOK)).values()
                     for t in doc.tokens)
    words = tuple(sorted(counts))
    freq = np.array([counts[w] for w in words], dtype=float)
    return words, freq / freq.sum()


def _render(words: list[str]) -> str:
    """Sentences of 20 words, paragraphs of three sentences."""
    sents = [" ".join(words[k:k + 20]) + "." for k in range(0, len(words), 20)]
    return "\n\n".join(" ".join(sents[k:k + 3]) for k in range(0, len(sents), 3))


def synthetic_corpus(n_docs: int, seed: int = 2024, length: tuple[int, int] = (300, 800),
                     copy_share: float = 0.3, copies: tuple[int, int] = (1, 3),
                     copy_words: tuple[int, int] = (20, 60),
                     edit_rate: float = EDIT_RATE) -> Synthetic:
    """``n_docs`` articles; ``copy_share`` of them carry 1-3 edited copies of passages (20-60
    words) of earlier articles. A copied stretch is never itself a copy and is copied once, so
    every passage between two articles is planted or chance."""
    vocab, p = vocabulary()
    rng_np, rng = np.random.default_rng(seed), random.Random(seed)
    texts: dict[str, str] = {}
    words: list[list[str]] = []
    taken: dict[int, list[tuple[int, int]]] = defaultdict(list)  # planted or copied ranges
    planted: list[Planted] = []
    for d in range(n_docs):
        base = [vocab[k] for k in rng_np.choice(len(vocab), rng_np.integers(*length), p=p)]
        out: list[str] = []
        if d > 0 and rng.random() < copy_share:
            cuts = sorted(rng.sample(range(0, len(base), 20), min(rng.randint(*copies),
                                                                  len(base) // 20)))
            prev = 0
            for cut in cuts:
                out.extend(base[prev:cut])
                prev = cut
                src = rng.randrange(d)
                size = rng.randint(*copy_words)
                for _ in range(10):
                    lo = rng.randrange(0, max(1, len(words[src]) - size))
                    if all(lo + size <= a or b <= lo for a, b in taken[src]):
                        break
                else:
                    continue
                taken[src].append((lo, lo + size))
                copy = reuse.plant_edits(words[src][lo:lo + size], edit_rate, "mixed",
                                         list(vocab), rng)
                planted.append(Planted(f"s{src}", f"s{d}", len(out), len(out) + len(copy)))
                taken[d].append((len(out), len(out) + len(copy)))
                out.extend(copy)
            out.extend(base[prev:])
        else:
            out = base
        words.append(out)
        texts[f"s{d}"] = _render(out)
    return Synthetic(texts, tuple(planted))


def score(found: list[reuse.Passage], planted: tuple[Planted, ...]) -> dict[str, float]:
    """Recall and precision of the planted copies (see the module docstring)."""
    by_pair: dict[tuple[str, str], list[tuple[int, int]]] = defaultdict(list)
    for p in found:
        by_pair[(p.source_id, p.target_id)].append(p.target_words)
    hits = 0
    for pl in planted:
        covered = set()
        for a, b in by_pair.get((pl.source_id, pl.target_id), ()):
            covered |= set(range(max(a, pl.start), min(b, pl.end)))
        hits += len(covered) * 2 >= pl.end - pl.start
    truth: dict[tuple[str, str], list[tuple[int, int]]] = defaultdict(list)
    for pl in planted:
        truth[(pl.source_id, pl.target_id)].append((pl.start, pl.end))
    right = sum(sum(max(0, min(b, p.target_words[1]) - max(a, p.target_words[0]))
                    for a, b in truth.get((p.source_id, p.target_id), ())) * 2
                >= p.n_target_words for p in found)
    return {"planted": len(planted), "passages": len(found),
            "recall": hits / len(planted) if planted else float("nan"),
            "precision": right / len(found) if found else float("nan")}


def peak_mb() -> float:
    """Peak resident memory of this process so far, in MB (Linux reports kB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_size(n_docs: int, method: str = "index", scheduler: str | None = None) -> dict:
    """Build the corpus of ``n_docs`` articles and find its passages; one row of results."""
    t0 = time.perf_counter()
    syn = synthetic_corpus(n_docs)
    built, mem_built = time.perf_counter() - t0, peak_mb()
    t0 = time.perf_counter()
    pairs = -1
    if method == "index":
        totals: dict[str, int] = {}

        def note(stage: str, done: int, total: int) -> None:
            totals[stage] = total

        found = index.find_passages(syn.texts, progress=note)
        pairs = totals.get("align", 0)
    elif method == "allpairs":
        found = reuse.find_passages({k: reuse.make_doc(k, v) for k, v in syn.texts.items()})
    elif method == "distributed" and scheduler is None:
        from distributed import LocalCluster

        from analysis import distributed
        # One single-threaded worker process per core: alignment is pure Python.
        with LocalCluster(n_workers=os.cpu_count() or 1, threads_per_worker=1,
                          dashboard_address=None) as cluster:
            found = distributed.find_passages(syn.texts, scheduler=cluster.scheduler_address)
    elif method == "distributed":
        from analysis import distributed
        found = distributed.find_passages(syn.texts, scheduler=scheduler)
    else:
        raise ValueError(f"unknown method {method!r}")
    secs = time.perf_counter() - t0
    return {"n": n_docs, "method": method, "seconds": round(secs, 2),
            "build_seconds": round(built, 2), "peak_mb": round(peak_mb()),
            "corpus_mb": round(mem_built), "candidate_pairs": pairs, **score(found, syn.planted)}


def _child(args: list[str]) -> dict:
    out = subprocess.run([sys.executable, "-m", "benchmarks.scale", "--child", *args],
                         check=True, capture_output=True, text=True, cwd=ROOT)
    return json.loads(out.stdout.strip().splitlines()[-1])


def text_matcher_seconds(n_docs: int) -> str:
    """Seconds of ``text-matcher`` over all earlier/later pairs of the same corpus, or why not."""
    try:
        from text_matcher.matcher import Matcher, Text
    except ImportError:
        return ("text-matcher not installed (for this benchmark only: .venv/bin/pip install "
                "text-matcher termcolor); skipped")
    syn = synthetic_corpus(n_docs)
    import contextlib
    import io
    t0 = time.perf_counter()
    # Without stop-word removal: its stop-word list is NLTK data, which is not downloaded.
    texts = [Text(t, k, removeStopwords=False) for k, t in syn.texts.items()]
    with contextlib.redirect_stdout(io.StringIO()):
        for j in range(len(texts)):
            for i in range(j):
                Matcher(texts[i], texts[j], removeStopwords=False).match()
    return f"{time.perf_counter() - t0:.1f}"


def _row(r: dict) -> str:
    return (f"{r['n']:>8,} {r['method']:>11} {r['seconds']:>9.1f} {r['peak_mb']:>8,} "
            f"{r['candidate_pairs']:>10,} {r['planted']:>8,} {r['passages']:>9,} "
            f"{r['recall']:>6.3f} {r['precision']:>9.3f}")


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("sizes", nargs="*", type=int, default=list(SIZES))
    ap.add_argument("--threshold", action="store_true")
    ap.add_argument("--distributed", nargs="?", const="local", default=None)
    ap.add_argument("--no-text-matcher", action="store_true")
    ap.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--method", default="index", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child:
        sched = None if args.distributed in (None, "local") else args.distributed
        print(json.dumps(run_size(args.sizes[0], args.method, sched)))
        return
    if args.threshold:
        print(f"{'N':>8} {'all pairs s':>12} {'index s':>9}")
        for n in (5, 10, 20, 50, 100, 200):
            a, b = _child([str(n), "--method", "allpairs"]), _child([str(n)])
            print(f"{n:>8,} {a['seconds']:>12.2f} {b['seconds']:>9.2f}"
                  f"   same passages found: {a['passages'] == b['passages']}")
        return
    method = "distributed" if args.distributed else "index"
    extra = ["--distributed", args.distributed] if args.distributed else []
    print(f"{'N':>8} {'method':>11} {'seconds':>9} {'peak MB':>8} {'cand pairs':>10} "
          f"{'planted':>8} {'passages':>9} {'recall':>6} {'precision':>9}")
    rows = []
    for n in args.sizes:
        rows.append(_child([str(n), "--method", method, *extra]))
        print(_row(rows[-1]), flush=True)
    if len(rows) >= 2:
        x = np.log([r["n"] for r in rows])
        y = np.log([max(r["seconds"], 1e-3) for r in rows])
        slope = float(np.polyfit(x, y, 1)[0])
        sizes = ", ".join(f"{r['n']:,}" for r in rows)
        print(f"growth: time ~ N^{slope:.2f} over N = {sizes}")
        big = rows[-1]
        est = big["seconds"] * (1_000_000 / big["n"]) ** slope
        print(f"extrapolated to 1,000,000 articles on this machine: {est / 3600:.1f} h "
              f"(divide by cores/2 on a cluster for the alignment-bound part)")
    if not args.no_text_matcher and 1_000 in args.sizes:
        tm = text_matcher_seconds(1_000)
        ours = next(r for r in rows if r["n"] == 1_000)["seconds"]
        try:
            print(f"text-matcher at 1,000 articles: {float(tm):.1f} s; index "
                  f"{ours:.1f} s ({float(tm) / ours:.0f}x faster)")
        except ValueError:
            print(f"text-matcher at 1,000 articles: {tm}")
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"load average (1, 5, 15 min): {load}")


if __name__ == "__main__":
    main()
