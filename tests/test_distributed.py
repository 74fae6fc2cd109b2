"""Tests of analysis.distributed: the Dask run gives exactly the single-process passages."""

from functools import lru_cache

import pytest

from analysis import distributed, index, reuse
from benchmarks.scale import synthetic_corpus
from analysis.corpus import load_corpus
from shared import BOOK

distributed_lib = pytest.importorskip("distributed")


@lru_cache(maxsize=1)
def five():
    return reuse.documents(load_corpus(BOOK))


@lru_cache(maxsize=1)
def synthetic():
    return synthetic_corpus(120, seed=5).texts


@pytest.fixture(scope="module")
def cluster():
    with distributed_lib.LocalCluster(n_workers=2, threads_per_worker=1, processes=False,
                                      dashboard_address=None) as cl:
        yield cl


def test_two_workers_give_the_single_process_passages(cluster):
    texts = synthetic()
    expected = index.find_passages(texts)
    assert len(expected) > 20
    with distributed_lib.Client(cluster) as client:
        # Small blocks and batches, so every step is split across tasks and workers.
        got = distributed.find_passages(texts, scheduler=client, block=17, batch=9)
        pairs = distributed.candidate_pairs(texts, scheduler=client, block=17)
    assert got == expected
    assert (pairs == index.candidate_pairs(texts)).all()


def test_scheduler_address_and_the_five_texts(cluster):
    docs = five()
    expected = reuse.find_passages(docs)
    assert distributed.find_passages(docs, scheduler=cluster.scheduler_address) == expected


def test_local_schedulers_and_empty_input():
    texts = synthetic()
    expected = index.find_passages(texts)
    assert distributed.find_passages(texts, block=40, batch=25) == expected
    assert distributed.find_passages(texts, scheduler="synchronous", block=40) == expected
    assert distributed.find_passages({}) == []


def test_bad_scheduler_is_refused():
    with pytest.raises(TypeError, match="scheduler"):
        distributed.find_passages(five(), scheduler=3)
