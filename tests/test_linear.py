"""The cost of a run grows linearly: work is counted, never timed.

Each test counts something a super-linear version does more of as the folder or the article
grows (a table rebuilt per article, a frame filtered per claim, a word matched per use, every
chain looked at per seed), or checks that a faster structure gives exactly the answers of the
plain one it replaced.
"""

from __future__ import annotations

import importlib
import random
from pathlib import Path

import pandas as pd
import pytest

from analysis import claims, framing, reuse, spin
from analysis import text as textlib
from analysis.claims import extract as claims_extract
from analysis.corpus import load_corpus
from analysis.pipeline import subset

claims_compare = importlib.import_module("analysis.claims.compare")  # the module, not the function

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "corpus"


@pytest.fixture(scope="module")
def fixture_corpus():
    return load_corpus(FIXTURE)


class Counter:
    """Wraps a function and counts its calls."""

    def __init__(self, fn):
        self.fn, self.calls = fn, 0

    def __call__(self, *args, **kwargs):
        self.calls += 1
        return self.fn(*args, **kwargs)


def _first_articles(corpus, n):
    return subset(corpus, list(corpus.articles["id"])[:n])


# --- reuse -------------------------------------------------------------------------------------

def test_sentence_finder_is_built_once_per_run_not_per_article(fixture_corpus, monkeypatch):
    docs = reuse.documents(fixture_corpus)
    found = reuse.find_passages(docs)
    assert len(docs) >= 8 and found
    built = Counter(reuse._sentence_finder)
    monkeypatch.setattr(reuse, "_sentence_finder", built)
    reuse.sentence_labels(fixture_corpus, found=found)
    assert built.calls == 1
    reuse.edits_frame(fixture_corpus, reuse.primary_passages(found), docs)
    assert built.calls == 2


def test_sentence_labels_with_the_callers_docs_tokenise_nothing(fixture_corpus, monkeypatch):
    docs = {aid: reuse.make_doc(aid, fixture_corpus.text(aid))
            for aid in reuse.publication_order(fixture_corpus)}
    found = reuse.find_passages(docs)
    expected = reuse.sentence_labels(fixture_corpus, found=found)
    made = Counter(reuse.make_doc)
    monkeypatch.setattr(reuse, "make_doc", made)
    got = reuse.sentence_labels(fixture_corpus, found=found, docs=docs)
    assert made.calls == 0
    pd.testing.assert_frame_equal(got, expected)


def test_make_doc_matches_each_distinct_word_once(monkeypatch):
    text = ("The army said the army moved. The army said nothing more.\n\n"
            "Defence and defense: the army again.")
    distinct = {text[s:e] for s, e in textlib.word_spans(text)}
    n_words = len(textlib.word_spans(text))
    assert n_words > len(distinct)
    expected = textlib.tokens(text)
    matched = Counter(textlib.match_form)
    monkeypatch.setattr(textlib, "match_form", matched)
    doc = reuse.make_doc("x", text)
    assert matched.calls == len(distinct)
    assert list(doc.tokens) == expected


def test_doc_forms_are_computed_once():
    doc = reuse.make_doc("x", "One two three. Four five six.")
    assert doc.forms is doc.forms
    assert doc.forms == tuple(t.form for t in doc.tokens)


class CountingSequence:
    """A read-only sequence that counts how many items are read."""

    def __init__(self, items):
        self.items, self.reads = list(items), 0

    def __len__(self):
        return len(self.items)

    def __getitem__(self, k):
        self.reads += 1
        return self.items[k]


def test_sentence_edge_reads_at_most_pad_words_of_a_long_sentence():
    words = " ".join(f"w{k}" for k in range(5000)) + "."
    doc = reuse.make_doc("x", words)
    assert len(set(doc.sentence_of)) == 1
    counting = CountingSequence(doc.sentence_of)
    probe = reuse.Doc(doc.id, doc.text, doc.tokens, counting)
    pad = reuse.DEFAULT.pad
    assert reuse._sentence_edge(probe, 2500, -1, pad) == 2500  # sentence edge beyond pad
    assert reuse._sentence_edge(probe, 2500, 1, pad) == 2500
    assert counting.reads <= 4 * (pad + 2)
    assert reuse._sentence_edge(probe, 2, -1, pad) == 0  # within pad: the edge moves


def _chain_every_chain(seeds, params):
    """The plain chaining: every chain looked at for every seed (the reference)."""
    reach = params.n + params.max_gap
    chains = []
    for i, j in sorted(seeds, key=lambda p: (p[1], p[0])):
        best, best_cost = None, None
        for chain in chains:
            li, lj = chain[-1]
            di, dj = i - li, j - lj
            if 0 < di <= reach and 0 < dj <= reach:
                cost = di + dj + abs(di - dj)
                if best_cost is None or cost < best_cost:
                    best, best_cost = chain, cost
        if best is None:
            chains.append([(i, j)])
        else:
            best.append((i, j))
    return chains


@pytest.mark.parametrize("seed", range(20))
def test_chain_seeds_equal_to_looking_at_every_chain(seed):
    rng = random.Random(seed)
    span = rng.choice([30, 200, 2000])
    seeds = {(rng.randrange(span), rng.randrange(span)) for _ in range(rng.randrange(1, 400))}
    # a few long diagonals, as real copies give
    for _ in range(3):
        i0, j0 = rng.randrange(span), rng.randrange(span)
        seeds |= {(i0 + k + rng.choice([0, 0, 1]), j0 + k) for k in range(rng.randrange(60))}
    seeds = list(seeds)
    for params in (reuse.DEFAULT, reuse.Params(n=2, max_gap=0), reuse.Params(max_gap=40)):
        assert reuse.chain_seeds(seeds, params) == _chain_every_chain(seeds, params)


def _plain_without_overlaps(passages):
    kept = []
    for p in sorted(passages, key=lambda p: (-p.n_matched, -p.identity, p.target_words,
                                             p.source_id)):
        overlap = sum(max(0, min(p.target_words[1], q.target_words[1])
                          - max(p.target_words[0], q.target_words[0])) for q in kept)
        if overlap * 2 <= p.n_target_words:
            kept.append(p)
    return kept


@pytest.mark.parametrize("seed", range(10))
def test_overlaps_of_many_passages_as_with_every_kept_passage(seed):
    rng = random.Random(seed)
    passages = []
    for k in range(rng.randrange(33, 300)):
        lo = rng.randrange(0, 3000)
        hi = lo + rng.randrange(0, 120)
        matched = rng.randrange(0, hi - lo + 1)
        passages.append(reuse.Passage(f"s{k % 17}", "t", (0, hi - lo), (lo, hi), 0, 1, lo, hi,
                                      matched, rng.random(), ()))
    assert reuse._without_overlaps(passages) == _plain_without_overlaps(passages)


# --- spin --------------------------------------------------------------------------------------

def _count_series_comparisons(monkeypatch, length=None):
    """Count ``Series == x`` (of length ``length``, or any): a filter of a whole frame."""
    counted = {"n": 0}
    original = pd.Series.__eq__

    def eq(self, other):
        if length is None or len(self) == length:
            counted["n"] += 1
        return original(self, other)

    monkeypatch.setattr(pd.Series, "__eq__", eq)
    return counted


def test_spin_synthetic_does_not_filter_the_folder_per_article_or_swap(fixture_corpus,
                                                                      monkeypatch):
    few = _first_articles(fixture_corpus, 2).sentences
    many = fixture_corpus.sentences
    spin.flags(few.head(1))  # the word tables, read once before counting
    counted = _count_series_comparisons(monkeypatch)
    small = spin.synthetic(few, rates=(0.0, 0.5), seeds=(0,))
    on_few, counted["n"] = counted["n"], 0
    large = spin.synthetic(many, rates=(0.0, 0.5), seeds=(0,))
    assert counted["n"] <= on_few  # no whole-frame filter per article or per swap
    assert int(large["n_spun"].sum()) > int(small["n_spun"].sum()) > 0
    monkeypatch.undo()
    # the counts per article are those of the article's own swaps and flags
    spun, gold = spin.spin_sentences(many, 0.5, 0)
    found = spin.flags(spun)
    for row in large[large["rate"] == 0.5].itertuples():
        mine = set(spun.loc[spun["article_id"] == row.doc, "sentence_id"])
        doc_gold = {g for g in gold if g[0] in mine}
        pred = {(s, st) for a, s, st in zip(found["article_id"], found["sentence_id"],
                                            found["start"]) if a == row.doc}
        assert (row.n_spun, row.hits) == (len(doc_gold), len(pred & doc_gold))


# --- claims ------------------------------------------------------------------------------------

def test_extract_claims_does_not_filter_the_folder_per_article(fixture_corpus, monkeypatch):
    few = _first_articles(fixture_corpus, 2)
    counted = _count_series_comparisons(monkeypatch)
    claims.extract_claims(few)
    on_few = counted["n"]
    counted["n"] = 0
    claims.extract_claims(fixture_corpus)
    assert counted["n"] <= on_few


def test_claims_of_one_article_at_a_time_are_the_folders(fixture_corpus):
    whole = claims.extract_claims(fixture_corpus)
    parts = [claims.extract_claims(subset(fixture_corpus, [aid]))
             for aid in fixture_corpus.articles["id"]]
    pd.testing.assert_frame_equal(pd.concat([p for p in parts if len(p)], ignore_index=True),
                                  whole)


def _claim_rows(n_quantities: int, denied: int = 0) -> pd.DataFrame:
    rows = []
    base = {"low": None, "high": None, "hedge": "", "exact": True, "event": "killed",
            "side": "", "source": "outlet", "stance": "asserted", "time_expression": "",
            "date_basis": "expression", "pub_date_inferred": False, "surface": "x",
            "start": 0, "end": 1}
    for q in range(n_quantities):
        counted = f"thing{q}"
        rows += [dict(base, article_id="a", counted=counted, value=10.0,
                      date_start="2020-02-01", date_end="2020-02-10"),
                 dict(base, article_id="b", counted=counted, value=12.0,
                      date_start="2020-02-01", date_end="2020-02-12"),
                 dict(base, article_id="a", counted=counted, value=2.0,
                      date_start="2020-02-11", date_end="2020-02-11")]
        if q < denied:
            rows.append(dict(base, article_id="c", counted=counted, value=10.0,
                             stance="denied", date_start="2020-02-05", date_end="2020-02-05"))
    out = pd.DataFrame(rows)
    out["sentence_id"] = [f"{r}-s{k:02d}" for k, r in enumerate(out["article_id"])]
    for col in ("date_start", "date_end"):
        out[col] = pd.to_datetime(out[col])
    return out


class _Articles:
    def __init__(self, ids):
        self.articles = pd.DataFrame({"id": ids})


@pytest.mark.parametrize("denied", [0, 1])
def test_compare_reads_claims_grouped_once_not_per_quantity(monkeypatch, denied):
    corpus = _Articles(["a", "b", "c"])
    counts = []
    for n in (4, 12):
        rows = _claim_rows(n, denied=n * denied)
        asserted = int((rows["stance"] != "denied").sum())
        counted = _count_series_comparisons(monkeypatch, length=asserted)
        out = claims.compare(rows, corpus)
        monkeypatch.undo()
        counts.append(counted["n"])
        assert len(out) == 2 * n  # each quantity, and the single-day figure on its own
        expected = "contested" if denied else "consistent (sum)"
        main = out[out["from"] == pd.Timestamp("2020-02-01")]
        assert len(main) == n and set(main["verdict"]) == {expected}
    assert counts[1] <= counts[0]  # whole-frame comparisons do not grow with the quantities


def test_context_lookup_equals_scanning_earlier_claims():
    rng = random.Random(3)
    events = ["killed", "wounded", "fled", ""]
    kinds = ["soldiers", "tanks", "people", "posts", ""]
    ctx, plain = claims_extract._Context(), []
    for _ in range(300):
        row = {"event": rng.choice(events), "counted": rng.choice(kinds), "side": ""}
        for event in events + ["other"]:
            assert claims_extract._context_claim(ctx, event) is \
                claims_extract._context_claim(plain, event)
        ctx.append(row)
        plain.append(row)


def test_pairwise_overlap_check_is_one_pass_over_the_figures(monkeypatch):
    # many figures for one period: conflict found without comparing every pair
    rows = [{"article_id": f"r{k}", "value": 10.0, "date_start": "2020-02-01"}
            for k in range(200)]
    base = {"low": None, "high": None, "hedge": "", "exact": True, "counted": "soldiers",
            "event": "killed", "side": "", "source": "outlet", "stance": "asserted",
            "time_expression": "", "date_basis": "expression", "pub_date_inferred": False,
            "surface": "x"}
    frame = pd.DataFrame([{**base, **r, "sentence_id": f"{r['article_id']}-s01"}
                          for r in rows])
    frame["date_start"] = frame["date_end"] = pd.Timestamp("2020-02-01")
    corpus = _Articles([f"r{k}" for k in range(200)])
    overlaps = Counter(claims_compare._overlap)
    monkeypatch.setattr(claims_compare, "_overlap", overlaps)
    agree = claims.compare(frame, corpus)
    frame.loc[150, "value"] = 30.0
    conflict = claims.compare(frame, corpus)
    assert list(agree["verdict"]) == ["agree"] and list(conflict["verdict"]) == ["conflict"]
    assert overlaps.calls < 200


# --- framing keyness ---------------------------------------------------------------------------

def test_keyness_is_bounded_and_never_builds_the_word_by_article_table(fixture_corpus,
                                                                       monkeypatch):
    full = framing.keyness(fixture_corpus, top=None)
    n_articles = len(fixture_corpus.articles)

    def refuse(*args, **kwargs):
        raise AssertionError("keyness built the dense word x article table")

    monkeypatch.setattr(pd.DataFrame, "pivot_table", refuse)
    for top in (1, 3, 50):
        key = framing.keyness(fixture_corpus, top=top)
        assert key.groupby("article_id").size().max() <= top
        assert len(key) <= top * n_articles
        assert (key["n_report"] > 0).all()
        assert ((key["n_report"] + key["n_rest"]) >= framing.MIN_COUNT).all()
    tables = framing.keyness_tables(fixture_corpus, top=5)
    monkeypatch.undo()
    assert len(tables["keyness"]) <= 5 * n_articles
    totals = tables["keyness_totals"]
    assert totals["word"].is_unique
    counts = framing.word_counts(fixture_corpus)
    assert len(totals) == counts["word"].nunique()
    assert int(totals["n"].sum()) == int(counts["n"].sum())
    # the kept rows are the full table's rows, and the chart's choice is the same
    key = framing.keyness(fixture_corpus)
    merged = key.merge(full, on=["article_id", "word"], suffixes=("", "_full"))
    assert len(merged) == len(key)
    for col in ("n_report", "n_rest", "delta", "se", "z", "significant"):
        assert (merged[col] == merged[f"{col}_full"]).all(), col
    pd.testing.assert_frame_equal(framing.keyness_top(key), framing.keyness_top(full))
    assert len(full) > len(key)  # the fixture already has more words than kept rows


def _plain_trim(ops, params):
    def size(op):
        return max(op[2] - op[1], op[4] - op[3])

    changed = True
    while changed:
        changed = False
        while ops and ops[0][0] != "equal":
            ops.pop(0)
        while ops and ops[-1][0] != "equal":
            ops.pop()
        if len(ops) > 2 and size(ops[0]) < params.n and size(ops[1]) > params.pad:
            del ops[:2]
            changed = True
        if len(ops) > 2 and size(ops[-1]) < params.n and size(ops[-2]) > params.pad:
            del ops[-2:]
            changed = True


@pytest.mark.parametrize("seed", range(30))
def test_trim_cuts_once_as_popping_did(seed):
    rng = random.Random(seed)
    ops, i = [], 0
    for _ in range(rng.randrange(0, 60)):
        tag = rng.choice(["equal", "equal", "replace", "insert", "delete"])
        a = rng.choice([1, 2, 5]) if tag != "insert" else 0
        b = rng.choice([1, 2, 5]) if tag != "delete" else 0
        ops.append((tag, i, i + a, i, i + b))
        i += max(a, b)
    mine, plain = list(ops), list(ops)
    reuse._trim(mine, reuse.DEFAULT)
    _plain_trim(plain, reuse.DEFAULT)
    assert mine == plain


def test_compare_work_does_not_grow_with_reports_that_give_no_figure(monkeypatch):
    rows = _claim_rows(6, denied=2)
    work = []
    for extra in (0, 5000):
        corpus = _Articles(["a", "b", "c"] + [f"other{k}" for k in range(extra)])
        touched = {"n": 0}
        original = pd.Series.map

        def counted_map(self, arg, *args, **kwargs):
            touched["n"] += len(self) + (len(arg) if hasattr(arg, "__len__") else 0)
            return original(self, arg, *args, **kwargs)

        monkeypatch.setattr(pd.Series, "map", counted_map)
        claims.compare(rows, corpus)
        monkeypatch.undo()
        work.append(touched["n"])
    assert work[1] == work[0]  # no per-quantity pass over every report of the folder


# --- long passages -----------------------------------------------------------------------------

def _long_pair(n_words: int, seed: int = 5):
    rng = random.Random(seed)
    vocab = [f"w{k}" for k in range(3000)] + ["the", "said", "of", "a"] * 200
    a = tuple(rng.choice(vocab) for _ in range(n_words))
    b = tuple(reuse.plant_edits(list(a), 0.05, "mixed", vocab[:3000], rng))
    return a, b


def _check_ops(ops, a, b):
    """Opcodes cover both texts in order, and equal ones pair equal words."""
    pi = pj = 0
    for tag, i1, i2, j1, j2 in ops:
        assert (i1, j1) == (pi, pj)
        if tag == "equal":
            assert a[i1:i2] == b[j1:j2]
        pi, pj = i2, j2
    assert (pi, pj) == (len(a), len(b))


def test_long_stretches_are_aligned_in_pieces(monkeypatch):
    a, b = _long_pair(12_000)
    assert len(a) * len(b) > reuse.LONG_ALIGN_CELLS
    pieces = []
    short = reuse._align_short

    def recorded(x, y):
        pieces.append((len(x), len(y)))
        return short(x, y)

    monkeypatch.setattr(reuse, "_align_short", recorded)
    ops = reuse.align_words(a, b)
    _check_ops(ops, a, b)
    assert len(pieces) > 10
    assert max(x * y for x, y in pieces) <= (4 * reuse.ANCHOR_SPACING) ** 2
    matched = sum(i2 - i1 for tag, i1, i2, _, _ in ops if tag == "equal")
    assert matched >= 0.9 * len(a)  # a 5 % edited copy stays a copy
    same = reuse.align_words(a, a)
    assert same == [("equal", 0, len(a), 0, len(a))]  # pieces joined into one run


def test_short_stretches_keep_the_plain_alignment(monkeypatch):
    a, b = _long_pair(1500)
    assert len(a) * len(b) <= reuse.LONG_ALIGN_CELLS
    monkeypatch.setattr(reuse, "_align_long", lambda *args: pytest.fail("cut a short stretch"))
    _check_ops(reuse.align_words(a, b), a, b)


@pytest.mark.parametrize("seed", range(6))
def test_chains_that_cannot_reach_min_words_are_skipped_exactly(monkeypatch, seed):
    rng = random.Random(seed)
    vocab = "the of said troops army town border talks ministry killed".split()
    text = " ".join(rng.choice(vocab) + ("." if rng.random() < 0.08 else "")
                    for _ in range(600))
    s = reuse.make_doc("s", text)
    t = reuse.make_doc("t", " ".join(reuse.plant_edits(text.split(), 0.3, "mixed", vocab, rng)))
    [cand] = reuse.find_candidates({"s": s, "t": t}) or [None]
    assert cand is not None and len(cand.seeds) > 100
    found = reuse.align(s, t, cand)
    aligned = Counter(reuse._align_span)
    monkeypatch.setattr(reuse, "_align_span", aligned)
    assert reuse.align(s, t, cand) == found
    skipped = aligned.calls
    monkeypatch.setattr(reuse, "_most_matched", lambda *args: 10**9)
    assert reuse.align(s, t, cand) == found  # the bound changes nothing found
    assert aligned.calls - skipped > skipped  # but spares most alignments
