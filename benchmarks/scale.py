"""Benchmark of reuse at archive scale: ``make bench-scale`` (``python -m benchmarks.scale``).

Builds seeded synthetic corpora of news-length articles (300-800 words) in which a share of the
articles carry edited copies (10 % of words edited: substitutions, insertions, deletions, swaps)
of passages of earlier articles, and runs :func:`analysis.index.find_passages` on each.

The text is news-like (:class:`NewsModel`): phrases repeat across articles as in wire copy, as
boilerplate and by chance, so the index meets what an archive gives it: n-grams in more than
its ``max_df`` articles, and pairs of articles that share stock phrases and nothing else.
``--random-words`` gives the earlier text instead, words drawn one by one with their frequencies
in the book's five texts, where no 5-gram repeats by chance (for a seed, the same corpus as
before).

For every size it prints the seconds of the search alone, the peak memory of the process (each
size runs in its own process), candidate pairs and the chance pairs among them (candidate pairs
that hold no planted copy), planted passages, passages found, recall and precision of the
planted passages (a planted passage is found when passages of its pair cover half its words or
more; a passage is right when half its words or more lie in a passage planted from its source),
and the false pairs (pairs with a passage found that hold no planted copy: they share stock or
chance phrases only) with the passages found in them. Then how news-like the text is, outside
the planted copies: distinct 5-grams, how many occur in more than one article and how many in
more than ``max_df``, the share of 5-gram occurrences in each, and the repeated 5-grams by the
number of articles they occur in. Then the growth exponents of time and of candidate pairs in
N and, at 1,000 articles, the time of the pairwise ``text-matcher`` package (if installed) on
the same corpus. It prints, never asserts: timings depend on the machine and its load.

Targets (2 cores, set on random words): 10,000 articles under one minute, 100,000 under ten
minutes, peak memory under 4 GB at 100,000, recall >= 0.98.

``--threshold`` times the all-pairs search (:func:`analysis.reuse.find_passages`) against the
index on small corpora, which is how :data:`analysis.index.INDEX_ABOVE` was chosen.
``--distributed [ADDRESS]`` runs :func:`analysis.distributed.find_passages` instead, on a local
cluster of one worker process per core, or on the scheduler at ADDRESS.
"""

from __future__ import annotations

import argparse
import bisect
import itertools
import json
import os
import random
import re
import resource
import subprocess
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from analysis import index, reuse
from analysis import text as textlib
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
    counts = Counter(t.text.lower() for doc in _book().values() for t in doc.tokens)
    words = tuple(sorted(counts))
    freq = np.array([counts[w] for w in words], dtype=float)
    return words, freq / freq.sum()


@lru_cache(maxsize=1)
def _book() -> dict[str, reuse.Doc]:
    from analysis.corpus import load_corpus
    return reuse.documents(load_corpus(BOOK))


def _render(words: list[str]) -> str:
    """Sentences of 20 words, paragraphs of three sentences."""
    sents = [" ".join(words[k:k + 20]) + "." for k in range(0, len(words), 20)]
    return "\n\n".join(" ".join(sents[k:k + 3]) for k in range(0, len(sents), 3))


# --- News-like text -----------------------------------------------------------------------------
#
# Words drawn one by one share no 5-gram by chance, so neither the index's boilerplate cut nor its
# chance pairs are exercised. Wire copy repeats itself: datelines, attributions, names and titles,
# stock phrases of the story, numbers and dates. Here an article is a dateline, sentences, and
# sometimes a "reporting by" line; a sentence chains slots until it reaches its drawn length,
# and a slot is
# - a stock phrase (STOCK, most common first), drawn by rank with weight 1 / rank;
# - a phrase (3-5 words) of a word-bigram model fitted on the book's five texts: a pool of such
#   phrases is drawn once, and each slot draws from it by rank with weight 1 / rank ** zipf;
# - a number or a date (small numbers more often than large);
# - one to three words that continue the sentence in the bigram model or (share free_jump) are
#   drawn with their frequencies.
# So a few 5-grams occur in many articles (stock phrases: above the index's max_df) and many
# occur in a few (chance overlap). The settings were chosen so that candidate pairs at 1,000 and
# 10,000 articles are of the order real wire copy gives (Reuters-21578, first 1,000 and 10,000
# items: 956 and 65,361 candidate pairs, from shorter articles and with real copies among them).

STOCK = tuple(line.strip() for line in """
said in a statement
according to
he said
the ministry said
turkish president recep tayyip erdogan
russian president vladimir putin
told reporters
the syrian observatory for human rights
in northwest syria
officials said
syrian president bashar al-assad
the russian defence ministry said in a statement
the turkish defence ministry said
backed by russian air power
the last rebel stronghold
the united nations
declined to comment
it was not immediately clear
said on condition of anonymity
the kremlin said
in a statement
a spokesman for the
state news agency
the two sides
in the idlib region
turkish-backed rebels
the european union
at a news conference
told reporters in ankara
since the start of the year
in a telephone call
kremlin spokesman dmitry peskov
the un security council
a humanitarian catastrophe
the civil war
the foreign ministry said
turkish foreign minister mevlut cavusoglu
russian foreign minister sergei lavrov
there was no immediate comment
the white house said
nato secretary-general jens stoltenberg
the flow of refugees
the britain-based war monitor said
did not respond to a request for comment
under a 2018 deal
observation posts in idlib
in a televised speech
the state-run anadolu agency
the nine-year civil war
the two leaders
""".strip().splitlines())

CITIES = ("ankara", "moscow", "beirut", "istanbul", "damascus", "geneva", "brussels", "washington",
          "amman", "sochi", "hatay", "berlin", "paris", "london", "cairo", "tehran")
AGENCIES = ("reuters", "afp", "ap", "dpa", "anadolu")
REPORTERS = tuple(f"{a} {b}" for a in ("ali", "elif", "ivan", "anna", "sara", "omar", "maria",
                                         "david")
                  for b in ("kaya", "demir", "petrov", "haddad", "brown"))
WHO = ("people", "soldiers", "civilians", "fighters", "troops", "children", "refugees", "rebels")
WHAT = ("people", "syrians", "refugees", "dollars", "barrels", "tonnes")
WEEKDAYS = ("thursday", "friday", "wednesday", "tuesday", "monday", "saturday", "sunday")
MONTHS = ("february", "march", "january", "december", "october", "september", "april")


@dataclass(frozen=True)
class NewsText:
    """Settings of the news-like text (see the comment above :data:`STOCK`); the shares of
    slots that are not stock phrases, phrases or numbers are words of the bigram model."""

    stock: float = 0.03        # share of slots that are a stock phrase
    phrase: float = 0.15       # share of slots that are a phrase of the bigram model
    number: float = 0.04       # share of slots that are a number or a date
    zipf: float = 0.3          # rank exponent of the phrase pool (stock phrases: 1)
    phrase_words: tuple[int, int] = (3, 5)
    pool: int = 300_000        # phrases drawn once from the model (with random.Random(0))
    jump: float = 0.2          # share of a phrase's next words drawn with their frequency
    free_jump: float = 0.7     # the same, for the words between phrases
    sentence_words: tuple[int, int] = (12, 32)
    dateline: float = 0.9      # share of articles that open with a dateline (city, agency)
    signoff: float = 0.3       # share of articles that end with "reporting by" and a name


NEWS = NewsText()


class _Ranked:
    """Items drawn by rank: the k-th (from 1) with weight 1 / k ** exponent."""

    def __init__(self, items: list, exponent: float):
        self.items = items
        w = 1 / np.arange(1, len(items) + 1, dtype=float) ** exponent
        self.cum = np.cumsum(w).tolist()
        self.total = self.cum[-1]

    def draw(self, rng: random.Random):
        k = bisect.bisect_right(self.cum, rng.random() * self.total)
        return self.items[min(k, len(self.items) - 1)]


class NewsModel:
    """Draws news-like articles as lists of lower-case words with their sentence starts."""

    def __init__(self, settings: NewsText = NEWS):
        self.settings = settings
        words, p = vocabulary()
        self.words, self.word_cum = words, np.cumsum(p).tolist()
        self.stock = _Ranked([tuple(_words(s)) for s in STOCK], 1.0)
        sentences: list[list[str]] = []
        for doc in _book().values():
            for _, group in itertools.groupby(zip(doc.sentence_of, doc.tokens),
                                              key=lambda x: x[0]):
                sentences.append([t.text.lower() for _, t in group])
        # A word-bigram model of the texts (within sentences), mixed with word frequencies
        # (share ``jump``), draws the phrase pool.
        self.follow: dict[str, list[str]] = defaultdict(list)
        for sent in sentences:
            for a, b in zip(sent, sent[1:]):
                self.follow[a].append(b)
        prng = random.Random(0)
        lo, hi = settings.phrase_words
        order = []
        for _ in range(settings.pool):
            w = [self._word(prng)]
            for _ in range(prng.randint(lo, hi) - 1):
                w.append(self._next(w[-1], prng, settings.jump))
            order.append(tuple(w))
        self.phrases = _Ranked(order, settings.zipf)
        self.cities = _Ranked(list(CITIES), 1.0)
        self.agencies = _Ranked(list(AGENCIES), 1.0)
        self.reporters = [tuple(n.split()) for n in REPORTERS]
        cuts = np.cumsum([s for s in (settings.stock, settings.phrase, settings.number)])
        if cuts[-1] > 1:
            raise ValueError(f"slot shares add up to more than 1: {settings}")
        self.cuts = cuts.tolist()

    def _word(self, rng: random.Random) -> str:
        return self.words[min(bisect.bisect_right(self.word_cum, rng.random()),
                              len(self.words) - 1)]

    def _next(self, prev: str | None, rng: random.Random, jump: float) -> str:
        """The word after ``prev`` in the bigram model, or (share ``jump``) any word."""
        nxt = self.follow.get(prev) if prev is not None else None
        return rng.choice(nxt) if nxt and rng.random() >= jump else self._word(rng)

    def _number(self, rng: random.Random) -> list[str]:
        n = min(int(rng.paretovariate(0.7)), 99_999)
        kind = rng.randrange(6)
        if kind == 0:
            return ["at", "least", str(n), rng.choice(WHO)]
        if kind == 1:
            return [str(n), rng.choice(WHO)]
        if kind == 2:
            return ["on", WEEKDAYS[min(int(rng.paretovariate(1.0)), 7) - 1]]
        if kind == 3:
            return [MONTHS[min(int(rng.paretovariate(1.0)), 7) - 1], str(rng.randint(1, 28))]
        if kind == 4:
            return ["in", str(rng.choice(range(2011, 2021)))]
        return [f"{min(n, 99)}.{rng.randrange(10)}", "million", rng.choice(WHAT)]

    def sentence(self, rng: random.Random) -> list[str]:
        """One sentence: slots until it reaches its drawn length."""
        s, out = self.settings, []
        size = rng.randint(*s.sentence_words)
        stock, phrase, number = self.cuts
        while len(out) < size:
            u = rng.random()
            if u < stock:
                out.extend(self.stock.draw(rng))
            elif u < phrase:
                out.extend(self.phrases.draw(rng))
            elif u < number:
                out.extend(self._number(rng))
            else:
                for _ in range(rng.randint(1, 3)):
                    out.append(self._next(out[-1] if out else None, rng, s.free_jump))
        return out

    def article(self, rng: random.Random, n_words: int) -> tuple[list[str], list[int]]:
        """About ``n_words`` words (whole sentences) and the position where each sentence
        starts."""
        words: list[str] = []
        starts: list[int] = []
        if rng.random() < self.settings.dateline:
            words.extend([self.cities.draw(rng), self.agencies.draw(rng)])
        while len(words) < n_words:
            starts.append(0 if not starts else len(words))
            words.extend(self.sentence(rng))
        if rng.random() < self.settings.signoff:
            starts.append(len(words))
            words.extend(["reporting", "by", *rng.choice(self.reporters)])
        return words, starts


@lru_cache(maxsize=4)
def news_model(settings: NewsText = NEWS) -> NewsModel:
    return NewsModel(settings)


def _words(text: str) -> list[str]:
    return [w.lower() for w in _WORD_RE.findall(text)]


_WORD_RE = re.compile(textlib.WORD_PATTERN)


def _render_sentences(words: list[str], starts: list[int], rng: random.Random) -> str:
    """Sentences beginning at ``starts`` (sorted, the first 0), one to three to a paragraph."""
    bounds = [*starts, len(words)]
    sents = []
    for a, b in zip(bounds, bounds[1:]):
        if b > a:
            s = " ".join(words[a:b])
            sents.append(s[:1].upper() + s[1:] + ".")
    paras, k = [], 0
    while k < len(sents):
        step = rng.randint(1, 3)
        paras.append(" ".join(sents[k:k + step]))
        k += step
    return "\n\n".join(paras)


def synthetic_corpus(n_docs: int, seed: int = 2024, length: tuple[int, int] = (300, 800),
                     copy_share: float = 0.3, copies: tuple[int, int] = (1, 3),
                     copy_words: tuple[int, int] = (20, 60),
                     edit_rate: float = EDIT_RATE, random_words: bool = False,
                     news: NewsText = NEWS) -> Synthetic:
    """``n_docs`` articles; ``copy_share`` of them carry 1-3 edited copies of passages (20-60
    words) of earlier articles. A copied stretch is never itself a copy and is copied once, so
    every passage between two articles is planted or chance.

    The text is news-like (:class:`NewsModel`, settings ``news``): copies are put between
    sentences and are sentences of their own. ``random_words``: the earlier text, words drawn
    one by one with their frequencies, sentences of 20 words (the same corpus as before for a
    seed), copies put at multiples of 20 words.
    """
    vocab, p = vocabulary()
    rng_np, rng = np.random.default_rng(seed), random.Random(seed)
    model = None if random_words else news_model(news)
    text_rng = random.Random(f"news-{seed}")
    texts: dict[str, str] = {}
    words: list[list[str]] = []
    taken: dict[int, list[tuple[int, int]]] = defaultdict(list)  # planted or copied ranges
    planted: list[Planted] = []
    for d in range(n_docs):
        if model is None:
            base = [vocab[k] for k in rng_np.choice(len(vocab), rng_np.integers(*length), p=p)]
            starts = list(range(0, len(base), 20))
            slots = starts
        else:
            base, starts = model.article(text_rng, text_rng.randint(*length))
            slots = starts[1:]
        out: list[str] = []
        bounds: list[int] = []  # sentence starts in out
        if d > 0 and rng.random() < copy_share:
            cuts = sorted(rng.sample(slots, min(rng.randint(*copies), len(base) // 20,
                                                len(slots))))
            prev = 0
            for cut in cuts:
                bounds.extend(len(out) + s - prev for s in starts if prev <= s < cut)
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
                bounds.extend(range(len(out), len(out) + len(copy), 25))
                out.extend(copy)
            bounds.extend(len(out) + s - prev for s in starts if prev <= s)
            out.extend(base[prev:])
        else:
            out, bounds = base, starts
        words.append(out)
        texts[f"s{d}"] = (_render(out) if model is None
                          else _render_sentences(out, sorted(set(bounds)), text_rng))
    return Synthetic(texts, tuple(planted))


def repetition(texts: Mapping[str, str], planted: tuple[Planted, ...] = (), n: int = 5,
               max_df: int | None = index.INDEX_DEFAULT.max_df) -> dict:
    """How news-like the text is, outside the planted copies: distinct word ``n``-grams
    (matching form, as the index hashes them), how many occur in more than one article, how
    many of those in more than ``max_df`` (boilerplate the index leaves out), the share of
    n-gram occurrences (postings) in repeated n-grams and in boilerplate, and the repeated
    n-grams by document frequency. An n-gram that overlaps a planted copy is not counted (the
    stretch it was copied from is counted once, in its source)."""
    copies: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for pl in planted:
        copies[pl.target_id].append((pl.start, pl.end))
    hs = []
    for doc_id, text in texts.items():
        h = index.gram_hashes(index.text_hashes(text), n)
        if copies.get(doc_id):
            keep = np.ones(len(h), dtype=bool)
            for a, b in copies[doc_id]:
                keep[max(0, a - n + 1):b] = False
            h = h[keep]
        hs.append(np.unique(h))
    _, df = np.unique(np.concatenate(hs) if hs else np.zeros(0, np.uint64), return_counts=True)
    cap = max_df if max_df is not None else int(df.max(initial=0))
    multi, above = df > 1, df > cap
    hist = {f"{a}-{b}" if b != a else str(a): int(((df >= a) & (df <= b)).sum())
            for a, b in ((2, 2), (3, 5), (6, 10), (11, 30), (31, cap))}
    hist[f">{cap}"] = int(above.sum())
    total = max(int(df.sum()), 1)
    return {"ngrams": len(df), "repeated": int(multi.sum()),
            "repeated_share": float(multi.mean()) if len(df) else 0.0,
            "boilerplate": int(above.sum()),
            "boilerplate_share": float(above.sum() / max(multi.sum(), 1)),
            "repeated_postings": float(df[multi].sum() / total),
            "boilerplate_postings": float(df[above].sum() / total), "by_df": hist}


def score(found: list[reuse.Passage], planted: tuple[Planted, ...],
          candidates: Iterable[tuple[str, str]] | None = None) -> dict[str, float]:
    """Recall and precision of the planted copies (see the module docstring), and the chance
    pairs: ``false_pairs`` (pairs with a passage found that hold no planted copy) and the
    passages found in them (``false_passages``); with the candidate pairs the index aligned
    (source id, target id), ``chance_pairs``: those that hold no planted copy."""
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
    false = [p for p in found if (p.source_id, p.target_id) not in truth]
    out = {"planted": len(planted), "passages": len(found),
           "recall": hits / len(planted) if planted else float("nan"),
           "precision": right / len(found) if found else float("nan"),
           "false_pairs": len({(p.source_id, p.target_id) for p in false}),
           "false_passages": len(false)}
    if candidates is not None:
        out["chance_pairs"] = sum(pair not in truth for pair in set(candidates))
    return out


def peak_mb() -> float:
    """Peak resident memory of this process so far, in MB (Linux reports kB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_size(n_docs: int, method: str = "index", scheduler: str | None = None,
             random_words: bool = False) -> dict:
    """Build the corpus of ``n_docs`` articles and find its passages; one row of results.
    Only the search is timed; the candidate pairs (for the chance pairs) and the repetition of
    the text are counted afterwards."""
    t0 = time.perf_counter()
    syn = synthetic_corpus(n_docs, random_words=random_words)
    built, mem_built = time.perf_counter() - t0, peak_mb()
    t0 = time.perf_counter()
    if method == "index":
        found = index.find_passages(syn.texts)
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
    peak = peak_mb()
    ids = list(syn.texts)
    pairs = [(ids[s], ids[t]) for s, t, _ in index.candidate_pairs(syn.texts).tolist()]
    return {"n": n_docs, "text": "random" if random_words else "news", "method": method,
            "seconds": round(secs, 2), "build_seconds": round(built, 2), "peak_mb": round(peak),
            "corpus_mb": round(mem_built), "candidate_pairs": len(pairs),
            **score(found, syn.planted, pairs),
            "repetition": repetition(syn.texts, syn.planted)}


def _child(args: list[str]) -> dict:
    out = subprocess.run([sys.executable, "-m", "benchmarks.scale", "--child", *args],
                         check=True, capture_output=True, text=True, cwd=ROOT)
    return json.loads(out.stdout.strip().splitlines()[-1])


def text_matcher_seconds(n_docs: int, random_words: bool = False) -> str:
    """Seconds of ``text-matcher`` over all earlier/later pairs of the same corpus, or why not."""
    try:
        from text_matcher.matcher import Matcher, Text
    except ImportError:
        return ("text-matcher not installed (for this benchmark only: .venv/bin/pip install "
                "text-matcher termcolor); skipped")
    syn = synthetic_corpus(n_docs, random_words=random_words)
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


HEADER = (f"{'N':>8} {'text':>6} {'seconds':>8} {'peak MB':>8} {'cand pairs':>10} "
          f"{'chance':>8} {'planted':>7} {'passages':>8} {'recall':>6} {'precision':>9} "
          f"{'false pairs':>11} {'false pass':>10}")


def _row(r: dict) -> str:
    return (f"{r['n']:>8,} {r['text']:>6} {r['seconds']:>8.1f} {r['peak_mb']:>8,} "
            f"{r['candidate_pairs']:>10,} {r['chance_pairs']:>8,} {r['planted']:>7,} "
            f"{r['passages']:>8,} {r['recall']:>6.3f} {r['precision']:>9.3f} "
            f"{r['false_pairs']:>11,} {r['false_passages']:>10,}")


def _repetition_rows(rows: list[dict]) -> list[str]:
    cap = index.INDEX_DEFAULT.max_df
    out = [f"5-grams outside the planted copies: distinct; in more than one article (share of "
           f"distinct); in more than max_df = {cap} (share of repeated; the index leaves them "
           f"out); share of 5-gram occurrences in each; repeated 5-grams by articles",
           f"{'N':>8} {'text':>6} {'distinct':>10} {'repeated':>17} {'above max_df':>16} "
           f"{'occ. rep.':>9} {'occ. >max_df':>12}   by articles"]
    for r in rows:
        x = r["repetition"]
        hist = ", ".join(f"{k}: {v:,}" for k, v in x["by_df"].items())
        out.append(f"{r['n']:>8,} {r['text']:>6} {x['ngrams']:>10,} "
                   f"{x['repeated']:>9,} ({x['repeated_share']:>5.1%}) "
                   f"{x['boilerplate']:>6,} ({x['boilerplate_share']:>6.2%}) "
                   f"{x['repeated_postings']:>9.1%} {x['boilerplate_postings']:>12.2%}   {hist}")
    return out


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("sizes", nargs="*", type=int, default=list(SIZES))
    ap.add_argument("--random-words", action="store_true",
                    help="the earlier text: words drawn one by one, no phrase repeats by chance")
    ap.add_argument("--threshold", action="store_true")
    ap.add_argument("--distributed", nargs="?", const="local", default=None)
    ap.add_argument("--no-text-matcher", action="store_true")
    ap.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--method", default="index", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    text = ["--random-words"] if args.random_words else []
    if args.child:
        sched = None if args.distributed in (None, "local") else args.distributed
        print(json.dumps(run_size(args.sizes[0], args.method, sched, args.random_words)))
        return
    if args.threshold:
        print(f"{'N':>8} {'all pairs s':>12} {'index s':>9}")
        for n in (5, 10, 20, 50, 100, 200):
            a, b = _child([str(n), "--method", "allpairs", *text]), _child([str(n), *text])
            print(f"{n:>8,} {a['seconds']:>12.2f} {b['seconds']:>9.2f}"
                  f"   same passages found: {a['passages'] == b['passages']}")
        return
    method = "distributed" if args.distributed else "index"
    extra = ["--distributed", args.distributed] if args.distributed else []
    print(f"text: {'random words' if args.random_words else 'news-like'}; method: {method}")
    print(HEADER)
    rows = []
    for n in args.sizes:
        rows.append(_child([str(n), "--method", method, *extra, *text]))
        print(_row(rows[-1]), flush=True)
    print("chance: candidate pairs that hold no planted copy; false pairs: pairs with a passage "
          "found that hold no planted copy; false pass: the passages found in them")
    print("\n".join(_repetition_rows(rows)))
    if len(rows) >= 2:
        x = np.log([r["n"] for r in rows])
        y = np.log([max(r["seconds"], 1e-3) for r in rows])
        slope = float(np.polyfit(x, y, 1)[0])
        pslope = float(np.polyfit(x, np.log([max(r["candidate_pairs"], 1) for r in rows]), 1)[0])
        sizes = ", ".join(f"{r['n']:,}" for r in rows)
        print(f"growth: time ~ N^{slope:.2f}, candidate pairs ~ N^{pslope:.2f} over N = {sizes}")
        big = rows[-1]
        est = big["seconds"] * (1_000_000 / big["n"]) ** slope
        print(f"extrapolated to 1,000,000 articles on this machine: {est / 3600:.1f} h "
              f"(divide by cores/2 on a cluster for the alignment-bound part)")
    if not args.no_text_matcher and 1_000 in args.sizes:
        tm = text_matcher_seconds(1_000, args.random_words)
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
