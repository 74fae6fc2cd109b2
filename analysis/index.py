"""Candidate search over an n-gram index, so reuse scales past the all-pairs search.

:func:`analysis.reuse.candidates` compares every earlier/later pair of documents, so its time
and memory grow with the square of the corpus. Here, in the manner of passim, every document's
word n-grams of the matching form (the form :mod:`analysis.reuse` matches on) are hashed to
64-bit integers; n-grams found in more than ``max_df`` documents are boilerplate and are left
out of the search; the remaining postings are joined on their hash (a sort over numpy arrays,
one hash range at a time), and an earlier->later pair sharing at least ``min_seeds`` distinct
n-grams becomes a candidate. Only those pairs are aligned, with :func:`analysis.reuse.align`, on
*all* their shared n-grams (boilerplate included), so a candidate the index finds is exactly the
:class:`~analysis.reuse.Candidate` the all-pairs search gives for that pair. Work and memory
grow with the number of postings and candidate pairs, not with the number of all pairs.

Exactness. With :data:`EXACT` (pairs chosen on the seeds themselves, no boilerplate cut, one
shared seed enough) the candidates are exactly those of :func:`analysis.reuse.candidates`, and so
are the passages. The defaults (:data:`INDEX_DEFAULT`) choose pairs on shared 5-word n-grams
(passim's default length), two at least, which keeps chance pairs few as the corpus grows (at
10,000 synthetic articles: 6,006 pairs, against 642,001 sharing two
non-boilerplate trigrams). A chosen pair
gets every one of its seeds, so its passages are exactly the all-pairs ones; what the defaults
lose is a pair whose copy is edited so densely that fewer than two 5-word runs survive. On the
five texts the passages are the same; on the synthetic corpora of :mod:`benchmarks.scale`
(10 % of copied words edited) 13 of 6,010 planted copies at 10,000 articles (0.2 %) were of
that kind. A corpus of heavily rewritten copies should use ``EXACT`` or ``select_n=4``
(slower: more chance pairs).

Documents are given as a mapping id -> :class:`~analysis.reuse.Doc` or id -> clean text, in
publication order (earlier documents are sources). Texts are made into documents only for the
pairs that are aligned, a few at a time, so a large corpus is never held as documents.

:data:`INDEX_ABOVE`: above this many documents the index is faster than all pairs. Measured by
``python -m benchmarks.scale --threshold`` (synthetic news-length articles, 2 shared cores,
load about 4): all pairs 0.02 s at 5 documents, 0.03 s at 10, 0.23 s at 20, 0.64 s at 50,
1.35 s at 100, 4.06 s at 200; the index 0.00 s, 0.02 s, 0.11 s, 0.09 s, 0.30 s, 1.67 s. Below
ten documents both take hundredths of a second, so the choice does not matter there.
"""

from __future__ import annotations

import hashlib
import re
import sys
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass

import numpy as np

from analysis import reuse
from analysis import text as textlib

INDEX_ABOVE = 10

Progress = Callable[[str, int, int], None]


def _reporter(progress: Progress | bool | None) -> Progress | None:
    """``True``: report on standard error; a callable is used as it is."""
    if progress is True:
        def report(stage: str, done: int, total: int) -> None:
            print(f"index: {stage} {done:,}/{total:,}", file=sys.stderr, flush=True)
        return report
    return progress or None


@dataclass(frozen=True)
class IndexParams:
    """Settings of the candidate search (the seeds themselves follow :class:`reuse.Params`).

    - ``select_n``: size (words) of the n-grams the pairs are chosen on; longer than the seeds,
      so chance pairs are few (``None``: the seed size ``n``).
    - ``max_df``: an n-gram in more documents than this is boilerplate and does not make a pair
      a candidate (``None``: keep every n-gram). Its seeds still count once a pair is aligned.
    - ``min_seeds``: distinct non-boilerplate n-grams a pair must share to be aligned.
    - ``buckets``: hash ranges joined one at a time (more buckets, less memory at once).
    - ``chunk``: documents hashed per step.
    """

    select_n: int | None = 5
    max_df: int | None = 100
    min_seeds: int = 2
    buckets: int = 16
    chunk: int = 2000

    def __post_init__(self) -> None:
        if ((self.select_n is not None and self.select_n < 1)
                or (self.max_df is not None and self.max_df < 2) or self.min_seeds < 1
                or not 1 <= self.buckets <= 4096 or self.chunk < 1):
            raise ValueError(f"bad index parameters: {self}")


INDEX_DEFAULT = IndexParams()
EXACT = IndexParams(select_n=None, max_df=None, min_seeds=1)

# --- Hashing ----------------------------------------------------------------------------------

_MULT = np.uint64(0x9E3779B97F4A7C15)
_MIX1 = np.uint64(0xBF58476D1CE4E5B9)
_MIX2 = np.uint64(0x94D049BB133111EB)
_WORD_HASHES: dict[str, int] = {}


def word_hash(form: str) -> int:
    """A 64-bit hash of one matching form, the same in every process (unlike ``hash``)."""
    h = _WORD_HASHES.get(form)
    if h is None:
        h = int.from_bytes(hashlib.blake2b(form.encode("utf-8"), digest_size=8).digest(), "little")
        if len(_WORD_HASHES) < 2_000_000:
            _WORD_HASHES[form] = h
    return h


_WORD_RE = re.compile(textlib.WORD_PATTERN)
_SURFACE_HASHES: dict[str, int] = {}


def text_hashes(doc: reuse.Doc | str) -> np.ndarray:
    """Hash of each word's matching form: for a text, the words and forms of ``make_doc``,
    without building its tokens."""
    if isinstance(doc, reuse.Doc):
        return np.fromiter((word_hash(f) for f in doc.forms), dtype=np.uint64,
                           count=len(doc.tokens))
    if not isinstance(doc, str):
        raise TypeError(f"a document must be a Doc or a text, not {type(doc).__name__}")
    table, cache = textlib.spelling_variants(), _SURFACE_HASHES
    words = _WORD_RE.findall(doc)
    out = np.empty(len(words), dtype=np.uint64)
    for k, w in enumerate(words):
        h = cache.get(w)
        if h is None:
            h = word_hash(textlib.match_form(w, table))
            if len(cache) < 2_000_000:
                cache[w] = h
        out[k] = h
    return out


def gram_hashes(words: np.ndarray, n: int) -> np.ndarray:
    """The hash of the word n-gram starting at each position (``len(words) - n + 1`` values),
    from the words' hashes (:func:`text_hashes`)."""
    if len(words) < n:
        return np.zeros(0, dtype=np.uint64)
    m = len(words) - n + 1
    h = words[:m].copy()
    with np.errstate(over="ignore"):
        for k in range(1, n):
            h = h * _MULT + words[k:k + m]
        h ^= h >> np.uint64(31)
        h *= _MIX1
        h ^= h >> np.uint64(29)
        h *= _MIX2
        h ^= h >> np.uint64(32)
    return h


def _bucket_of(hashes: np.ndarray, buckets: int) -> np.ndarray:
    return (hashes % np.uint64(buckets)).astype(np.int64)


# --- Postings and the join --------------------------------------------------------------------

def postings(items: Iterable[tuple[int, reuse.Doc | str]], n: int,
             buckets: int) -> list[tuple[np.ndarray, np.ndarray]]:
    """(distinct n-gram hashes, document numbers) of ``items`` (number, document), split into
    ``buckets`` hash ranges."""
    hs, ds = [], []
    for d, doc in items:
        u = np.unique(gram_hashes(text_hashes(doc), n))
        hs.append(u)
        ds.append(np.full(len(u), d, dtype=np.int64))
    if not hs:
        return [(np.zeros(0, np.uint64), np.zeros(0, np.int64)) for _ in range(buckets)]
    h, d = np.concatenate(hs), np.concatenate(ds)
    b = _bucket_of(h, buckets)
    order = np.argsort(b, kind="stable")
    h, d, b = h[order], d[order], b[order]
    cuts = np.searchsorted(b, np.arange(buckets + 1))
    return [(h[cuts[k]:cuts[k + 1]], d[cuts[k]:cuts[k + 1]]) for k in range(buckets)]


def join_bucket(hashes: np.ndarray, docs: np.ndarray, n_docs: int,
                max_df: int | None) -> tuple[np.ndarray, np.ndarray]:
    """Pairs of documents sharing n-grams of one hash range: (pair codes, shared n-grams).

    A pair code is ``source * n_docs + target`` (document numbers, source < target). An n-gram
    in more than ``max_df`` documents makes no pair.
    """
    if len(hashes) == 0:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    order = np.lexsort((docs, hashes))
    h, d = hashes[order], docs[order]
    start = np.flatnonzero(np.r_[True, h[1:] != h[:-1]])
    size = np.diff(np.r_[start, len(h)])
    keep = (size >= 2) if max_df is None else (size >= 2) & (size <= max_df)
    if not keep.any():
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    # Postings of the kept n-grams, each with its rank in its group and the group's size.
    starts, sizes = start[keep], size[keep]
    idx = np.repeat(starts, sizes) + (np.arange(sizes.sum()) - np.repeat(np.cumsum(sizes)
                                                                         - sizes, sizes))
    left = np.repeat(sizes, sizes) - (idx - np.repeat(starts, sizes)) - 1  # later in group
    dd = d[idx]
    codes = []
    step = 1
    while len(idx):
        live = left >= step
        idx, left, dd = idx[live], left[live], dd[live]
        if not len(idx):
            break
        codes.append(dd * n_docs + d[idx + step])
        step += 1
    if not codes:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    return np.unique(np.concatenate(codes), return_counts=True)


def merge_counts(parts: Iterable[tuple[np.ndarray, np.ndarray]]) -> tuple[np.ndarray, np.ndarray]:
    """Sum the counts of equal pair codes over several (codes, counts) parts."""
    parts = [p for p in parts if len(p[0])]
    if not parts:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    codes = np.concatenate([p[0] for p in parts])
    counts = np.concatenate([p[1] for p in parts])
    order = np.argsort(codes, kind="stable")
    codes, counts = codes[order], counts[order]
    first = np.flatnonzero(np.r_[True, codes[1:] != codes[:-1]])
    return codes[first], np.add.reduceat(counts, first)


def candidate_pairs(docs: Mapping[str, reuse.Doc | str], params: reuse.Params = reuse.DEFAULT,
                    index_params: IndexParams = INDEX_DEFAULT,
                    progress: Progress | None = None) -> np.ndarray:
    """(source number, target number, shared n-grams) of every candidate pair, as an ``(k, 3)``
    array ordered by target then source (numbers are positions in ``docs``)."""
    ids = list(docs)
    n_docs, nb = len(ids), index_params.buckets
    per_bucket: list[list[tuple[np.ndarray, np.ndarray]]] = [[] for _ in range(nb)]
    for lo in range(0, n_docs, index_params.chunk):
        chunk = [(d, docs[ids[d]]) for d in range(lo, min(n_docs, lo + index_params.chunk))]
        for k, part in enumerate(postings(chunk, index_params.select_n or params.n, nb)):
            per_bucket[k].append(part)
        if progress:
            progress("hash", min(n_docs, lo + index_params.chunk), n_docs)
    pairs = []
    for k in range(nb):
        parts, per_bucket[k] = per_bucket[k], []
        h = np.concatenate([p[0] for p in parts]) if parts else np.zeros(0, np.uint64)
        d = np.concatenate([p[1] for p in parts]) if parts else np.zeros(0, np.int64)
        del parts
        pairs = [merge_counts(pairs + [join_bucket(h, d, n_docs, index_params.max_df)])]
        if progress:
            progress("join", k + 1, nb)
    codes, counts = pairs[0] if pairs else merge_counts([])
    return select_pairs(codes, counts, n_docs, index_params.min_seeds)


def select_pairs(codes: np.ndarray, counts: np.ndarray, n_docs: int,
                 min_seeds: int) -> np.ndarray:
    """Pairs with at least ``min_seeds`` shared n-grams, as (source, target, count) rows ordered
    by target then source."""
    keep = counts >= min_seeds
    src, tgt = np.divmod(codes[keep], n_docs)
    out = np.stack([src, tgt, counts[keep]], axis=1) if keep.any() else np.zeros((0, 3), np.int64)
    return out[np.lexsort((out[:, 0], out[:, 1]))]


# --- Seeds and alignment of the chosen pairs --------------------------------------------------

class DocCache:
    """Documents by id, built from texts on demand and kept for the last ``size`` ids."""

    def __init__(self, docs: Mapping[str, reuse.Doc | str], size: int = 256):
        self.docs, self.size = docs, size
        self._cache: OrderedDict[str, reuse.Doc] = OrderedDict()

    def __getitem__(self, doc_id: str) -> reuse.Doc:
        value = self.docs[doc_id]
        if isinstance(value, reuse.Doc):
            return value
        if doc_id in self._cache:
            self._cache.move_to_end(doc_id)
            return self._cache[doc_id]
        doc = reuse.make_doc(doc_id, value)
        self._cache[doc_id] = doc
        if len(self._cache) > self.size:
            self._cache.popitem(last=False)
        return doc


def pair_candidate(source: reuse.Doc, target: reuse.Doc, n: int) -> reuse.Candidate | None:
    """Every shared n-gram of one pair as seeds, ordered as :func:`reuse.candidates` orders
    them (target position, then source position); ``None`` when they share none."""
    fs, ft = source.forms, target.forms
    hs, ht = gram_hashes(text_hashes(source), n), gram_hashes(text_hashes(target), n)
    order = np.argsort(hs, kind="stable")
    sorted_hs = hs[order]
    lo, hi = np.searchsorted(sorted_hs, ht, "left"), np.searchsorted(sorted_hs, ht, "right")
    count = hi - lo
    if not count.any():
        return None
    j = np.repeat(np.arange(len(ht)), count)
    i = order[np.repeat(lo, count) + np.arange(count.sum()) - np.repeat(np.cumsum(count) - count,
                                                                       count)]
    seeds = tuple((a, b) for a, b in zip(i.tolist(), j.tolist()) if fs[a:a + n] == ft[b:b + n])
    return reuse.Candidate(source.id, target.id, seeds) if seeds else None


def _pair_candidates(docs: Mapping[str, reuse.Doc | str], pairs: np.ndarray, cache: DocCache,
                     n: int, progress: Progress | None) -> Iterator[reuse.Candidate]:
    ids = list(docs)
    for k, (s, t, _) in enumerate(pairs.tolist()):
        cand = pair_candidate(cache[ids[s]], cache[ids[t]], n)
        if progress and ((k + 1) % 1000 == 0 or k + 1 == len(pairs)):
            progress("align", k + 1, len(pairs))
        if cand is not None:
            yield cand


def candidates(docs: Mapping[str, reuse.Doc | str], params: reuse.Params = reuse.DEFAULT,
               index_params: IndexParams = INDEX_DEFAULT,
               progress: Progress | None = None) -> Iterator[reuse.Candidate]:
    """The candidates of the pairs the index finds, one at a time, ordered as
    :func:`reuse.candidates` orders them (target, then source, in the order of ``docs``)."""
    pairs = candidate_pairs(docs, params, index_params, progress)
    yield from _pair_candidates(docs, pairs, DocCache(docs), params.n, progress)


def align_candidates(docs: Mapping[str, reuse.Doc | str] | DocCache,
                     cands: Iterable[reuse.Candidate],
                     params: reuse.Params = reuse.DEFAULT) -> list[reuse.Passage]:
    """:func:`reuse.align` over each candidate, in order."""
    cache = docs if isinstance(docs, DocCache) else DocCache(docs)
    out: list[reuse.Passage] = []
    for cand in cands:
        out.extend(reuse.align(cache[cand.source_id], cache[cand.target_id], cand, params))
    return out


def find_passages(docs: Mapping[str, reuse.Doc | str], params: reuse.Params = reuse.DEFAULT,
                  *, index_params: IndexParams = INDEX_DEFAULT,
                  progress: Progress | bool | None = None) -> list[reuse.Passage]:
    """Reused passages between earlier and later documents, found through the index.

    The same list, in the same order, as :func:`reuse.find_passages` (see the module docstring
    for when). ``progress(stage, done, total)`` is called as hashing, joining and aligning
    advance (``True``: reported on standard error).
    """
    progress = _reporter(progress)
    pairs = candidate_pairs(docs, params, index_params, progress)
    cache = DocCache(docs)
    return align_candidates(cache, _pair_candidates(docs, pairs, cache, params.n, progress),
                            params)
