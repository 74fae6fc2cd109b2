"""The index search of :mod:`analysis.index` on Dask, for corpora beyond one machine.

The same four steps as :func:`analysis.index.find_passages`, as a graph of Dask tasks in which
no task holds the whole corpus:

1. each block of documents is hashed into its distinct n-gram postings, split into hash ranges;
2. each hash range is joined on its own (boilerplate n-grams left out), giving pair counts split
   by ranges of target documents;
3. each target range sums its pair counts and keeps the pairs with enough shared n-grams;
4. the chosen pairs are aligned in batches, each task given only the documents of its pairs.

The result is the same list, in the same order, as :func:`analysis.index.find_passages`.
``scheduler`` is ``None`` (Dask's local threaded scheduler), ``"threads"``, ``"processes"`` or
``"synchronous"`` (local schedulers), the address of a ``dask.distributed`` scheduler
(``"tcp://host:8786"``: connect, run, disconnect) or a ``distributed.Client``.
"""

from __future__ import annotations

from collections.abc import Mapping

import dask
import numpy as np

from analysis import index, reuse

LOCAL = ("threads", "processes", "synchronous", "sync", "single-threaded")


def _hash_block(items: list[tuple[int, reuse.Doc | str]], n: int,
                buckets: int) -> list[tuple[np.ndarray, np.ndarray]]:
    return index.postings(items, n, buckets)


def _join_range(parts: list[tuple[np.ndarray, np.ndarray]], n_docs: int, max_df: int | None,
                ranges: int) -> list[tuple[np.ndarray, np.ndarray]]:
    """Join one hash range (its postings from every block); (codes, counts) by target range."""
    h = np.concatenate([p[0] for p in parts])
    d = np.concatenate([p[1] for p in parts])
    codes, counts = index.join_bucket(h, d, n_docs, max_df)
    where = (codes % n_docs) * ranges // max(n_docs, 1)
    return [(codes[where == r], counts[where == r]) for r in range(ranges)]


def _select_range(parts: list[tuple[np.ndarray, np.ndarray]], n_docs: int,
                  min_seeds: int) -> np.ndarray:
    """Sum one target range's pair counts over every hash range; keep the candidates."""
    codes, counts = index.merge_counts(parts)
    return index.select_pairs(codes, counts, n_docs, min_seeds)


def _align_batch(pairs: list[tuple[str, str]], docs: dict[str, reuse.Doc | str],
                 params: reuse.Params) -> list[reuse.Passage]:
    cache = index.DocCache(docs)
    out: list[reuse.Passage] = []
    for s, t in pairs:
        cand = index.pair_candidate(cache[s], cache[t], params.n)
        if cand is not None:
            out.extend(reuse.align(cache[s], cache[t], cand, params))
    return out


def _compute(tasks: list, scheduler: object) -> list:
    if scheduler is None:
        return list(dask.compute(*tasks))
    if isinstance(scheduler, str) and scheduler in LOCAL:
        return list(dask.compute(*tasks, scheduler=scheduler))
    from distributed import Client
    if isinstance(scheduler, Client):
        return list(dask.compute(*tasks, scheduler=scheduler))
    if isinstance(scheduler, str):
        with Client(scheduler) as client:
            return list(dask.compute(*tasks, scheduler=client))
    raise TypeError(f"scheduler must be None, a local scheduler name {LOCAL}, an address or a "
                    f"distributed.Client, not {type(scheduler).__name__}")


def candidate_pairs(docs: Mapping[str, reuse.Doc | str], params: reuse.Params = reuse.DEFAULT,
                    *, index_params: index.IndexParams = index.INDEX_DEFAULT,
                    scheduler: object = None, block: int = 1000,
                    ranges: int | None = None) -> np.ndarray:
    """:func:`analysis.index.candidate_pairs` on Dask: ``block`` documents per hashing task,
    ``index_params.buckets`` join tasks, ``ranges`` (default: as many as buckets) target
    ranges."""
    ids, nb = list(docs), index_params.buckets
    n_docs, ranges = len(ids), ranges or nb
    if n_docs == 0:
        return np.zeros((0, 3), np.int64)
    n = index_params.select_n or params.n
    # Each task is given only its own slice: bucket k of every block, range r of every join.
    hashed = [dask.delayed(_hash_block, nout=nb)(
        [(d, docs[ids[d]]) for d in range(lo, min(n_docs, lo + block))], n, nb)
        for lo in range(0, n_docs, block)]
    joined = [dask.delayed(_join_range, nout=ranges)([h[k] for h in hashed], n_docs,
                                                     index_params.max_df, ranges)
              for k in range(nb)]
    chosen = [dask.delayed(_select_range)([j[r] for j in joined], n_docs,
                                          index_params.min_seeds) for r in range(ranges)]
    parts = _compute(chosen, scheduler)
    return np.concatenate(parts) if parts else np.zeros((0, 3), np.int64)


def find_passages(docs: Mapping[str, reuse.Doc | str], params: reuse.Params = reuse.DEFAULT,
                  *, index_params: index.IndexParams = index.INDEX_DEFAULT,
                  scheduler: object = None, block: int = 1000,
                  batch: int = 500) -> list[reuse.Passage]:
    """:func:`analysis.index.find_passages` on Dask (see the module docstring for
    ``scheduler``); ``batch`` candidate pairs are aligned per task."""
    ids = list(docs)
    pairs = candidate_pairs(docs, params, index_params=index_params, scheduler=scheduler,
                            block=block)
    named = [(ids[s], ids[t]) for s, t, _ in pairs.tolist()]
    tasks = []
    for lo in range(0, len(named), batch):
        chunk = named[lo:lo + batch]
        needed = {k: docs[k] for pair in chunk for k in pair}
        tasks.append(dask.delayed(_align_batch)(chunk, needed, params))
    return [p for part in _compute(tasks, scheduler) for p in part]
