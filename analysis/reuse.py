"""Who copied whom: shared passages between reports, the edits inside them, and direction.

The method follows text-reuse tools such as passim, TextPAIR and WCopyfind, in three separate
steps so that a large corpus can replace the all-pairs search with an index:

1. :func:`candidates` finds, for every earlier/later pair of reports, the word n-grams they
   share (the *seeds*), with an inverted index over matching forms.
2. :func:`align` chains seeds that lie within ``max_gap`` words of each other in both texts,
   widens each chain by ``pad`` words, aligns the two stretches word by word (``difflib``) and
   keeps passages with at least ``min_words`` aligned words.
3. :func:`passage_edits` classifies every difference inside a passage: spelling variant,
   punctuation/quote style, function-word change, content substitution, insertion or deletion.

Words are matched on :func:`analysis.text.match_form` (case, quote and dash styles and
British/American spelling folded); every offset is a character offset into the clean text.
Earlier publication is the source; when two reports share a date, the one carrying a wire-agency
credit in the manifest is the source (:func:`publication_order`).
"""

from __future__ import annotations

import bisect
import difflib
import functools
import itertools
import random
import weakref
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from nltk.util import ngrams
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics.pairwise import cosine_similarity

from analysis import text as textlib
from analysis.corpus import Corpus

EDIT_KINDS = ("spelling", "punctuation", "function_word", "substitution", "insertion", "deletion")
SUBSTANTIVE = ("substitution", "insertion", "deletion")
EDIT_COLUMNS = ["source_id", "target_id", "kind", "old", "new", "source_sentence_id",
                "target_sentence_id", "source_start", "source_end", "target_start", "target_end"]

# Closed-class English words: articles, pronouns, prepositions, conjunctions, auxiliaries.
# A change confined to these is a function-word change, not a change of content.
FUNCTION_WORDS = frozenset("""
a an the this that these those it its it's he him his she her hers they them their theirs we us
our ours you your yours i me my mine who whom whose which what there here
of in on at by for with from to into onto over under about above below after before between
through during without within among against along across upon off out up down as than
and or but nor so yet if because while although though whether also too either neither
is are was were be been being am has have had having do does did will would shall should
can could may might must not no one ones such own same other another each both all any some
""".split())


@dataclass(frozen=True)
class Params:
    """Alignment parameters; the defaults come from the calibration in the chapter.

    - ``n``: seed size, in words: passages are found from shared word n-grams.
    - ``max_gap``: largest run of unmatched words, in either text, between two chained seeds.
    - ``min_words``: a passage needs at least this many aligned (identical) words.
    - ``pad``: how far (words) an edge may move out to the next shared content word, so an edit
      at a passage edge (one word changed before the first seed) is inside the passage.
    """

    n: int = 3
    max_gap: int = 16
    min_words: int = 8
    pad: int = 3

    def __post_init__(self) -> None:
        if self.n < 1 or self.max_gap < 0 or self.min_words < 1 or self.pad < 0:
            raise ValueError(f"bad reuse parameters: {self}")


DEFAULT = Params()

# Sentence labels (see :func:`sentence_labels`): a sentence is derived from its best source
# sentence when it repeats a run of MIN_RUN aligned words of it, or MIN_SHARE of its own words.
MIN_RUN = 8
MIN_SHARE = 0.5
# Article level (METER): share of a report's words aligned to earlier reports.
METER_WHOLLY = 0.75
METER_PARTIALLY = 0.10


@dataclass(frozen=True)
class Doc:
    """One text prepared for matching: its words with offsets and matching forms."""

    id: str
    text: str
    tokens: tuple[textlib.Token, ...]
    sentence_of: tuple[int, ...] = field(repr=False, default=())

    @functools.cached_property
    def forms(self) -> tuple[str, ...]:
        """The matching forms of the words, computed once per document (alignment slices
        them for every passage)."""
        return tuple(t.form for t in self.tokens)


def make_doc(doc_id: str, text: str) -> Doc:
    """A :class:`Doc` from any text (an article, or a synthetic test text).

    The tokens are those of :func:`analysis.text.tokens`; the matching form is computed once
    per distinct word of the text (a news text repeats most of its words).
    """
    if not isinstance(text, str):
        raise TypeError(f"text of {doc_id!r} must be a string, not {type(text).__name__}")
    table = textlib.spelling_variants()
    forms: dict[str, str] = {}
    toks_list = []
    for s, e in textlib.word_spans(text):
        word = text[s:e]
        form = forms.get(word)
        if form is None:
            form = forms[word] = textlib.match_form(word, table)
        toks_list.append(textlib.Token(word, s, e, form))
    toks = tuple(toks_list)
    starts, pos = [], 0
    for para in text.split("\n\n"):
        starts.extend(pos + a for a, _ in textlib.sentence_spans(para))
        pos += len(para) + 2
    return Doc(doc_id, text, toks,
               tuple(max(0, bisect.bisect_right(starts, t.start) - 1) for t in toks))


def publication_order(corpus: Corpus) -> list[str]:
    """Article ids, earliest first; on the same date, a wire-agency credit comes first."""
    a = corpus.articles
    key = pd.DataFrame({"id": a["id"], "date": a["date"],
                        "wire": a["agency"].fillna("").str.strip().eq("").astype(int)})
    return list(key.sort_values(["date", "wire", "id"], kind="stable")["id"])


_DOCS: weakref.WeakKeyDictionary[Corpus, dict[str, Doc]] = weakref.WeakKeyDictionary()


def documents(corpus: Corpus) -> dict[str, Doc]:
    """Every article as a :class:`Doc`, in publication order.

    Computed once per corpus object (a corpus is immutable) and shared by every step, so the
    chapter, the synthetic check and the calibration tokenise each text once. Treat the
    returned mapping as read-only (copy it before adding documents).
    """
    docs = _DOCS.get(corpus)
    if docs is None:
        docs = {aid: make_doc(aid, corpus.text(aid)) for aid in publication_order(corpus)}
        _DOCS[corpus] = docs
    return docs


def ordered_pairs(order: list[str]) -> list[tuple[str, str]]:
    """(source, target) pairs where the source was published first."""
    return [(order[i], order[j]) for j in range(len(order)) for i in range(j)]


# --- Pairwise scores --------------------------------------------------------------------------

def ngram_set(doc: Doc, n: int) -> set[tuple[str, ...]]:
    return set(ngrams(doc.forms, n))


def pair_scores(corpus: Corpus, n: int = 3) -> pd.DataFrame:
    """Every ordered pair (a, b), a != b: containment of a in b, Jaccard, TF-IDF cosine.

    Containment is asymmetric: the share of a's distinct word n-grams found in b (Broder 1997).
    Jaccard (shared over union of n-gram sets) and the TF-IDF cosine of word forms are symmetric.
    """
    return doc_scores(documents(corpus), n)


def doc_scores(docs: dict[str, Doc], n: int = 3) -> pd.DataFrame:
    """:func:`pair_scores` over any documents (e.g. constructed test texts)."""
    ids = list(docs)
    grams = {i: ngram_set(docs[i], n) for i in ids}
    vec = TfidfVectorizer(analyzer=lambda forms: list(forms))
    cos = cosine_similarity(vec.fit_transform([docs[i].forms for i in ids]))
    rows = []
    for (x, a), (y, b) in itertools.product(enumerate(ids), repeat=2):
        if a == b:
            continue
        shared = len(grams[a] & grams[b])
        rows.append({"a": a, "b": b, "shared_ngrams": shared,
                     "containment": shared / len(grams[a]) if grams[a] else 0.0,
                     "jaccard": shared / len(grams[a] | grams[b]) if grams[a] | grams[b]
                     else 0.0,
                     "cosine": float(cos[x, y])})
    return pd.DataFrame(rows)


# --- Step 1: candidates -----------------------------------------------------------------------

@dataclass(frozen=True)
class Candidate:
    """A source/target pair and the positions (source word, target word) of shared n-grams."""

    source_id: str
    target_id: str
    seeds: tuple[tuple[int, int], ...]


def find_candidates(docs: dict[str, Doc], params: Params = DEFAULT,
               pairs: list[tuple[str, str]] | None = None) -> list[Candidate]:
    """Seeds for each (source, target) pair (default: every earlier/later pair of ``docs``).

    One inverted index of n-grams over the sources; pairs sharing no n-gram are left out.
    """
    pairs = ordered_pairs(list(docs)) if pairs is None else pairs
    for s, t in pairs:
        if s not in docs or t not in docs:
            raise KeyError(f"pair ({s!r}, {t!r}) names a document that is not given")
    index: dict[tuple[str, ...], dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
    for sid in sorted({s for s, _ in pairs}):
        for pos, gram in enumerate(ngrams(docs[sid].forms, params.n)):
            index[gram][sid].append(pos)
    out = []
    for s, t in pairs:
        seeds = [(i, j) for j, gram in enumerate(ngrams(docs[t].forms, params.n))
                 for i in index.get(gram, {}).get(s, ())]
        if seeds:
            out.append(Candidate(s, t, tuple(sorted(seeds, key=lambda p: (p[1], p[0])))))
    return out


candidates = find_candidates  # the public name; ``find_passages(candidates=...)`` shadows it


# --- Step 2: alignment ------------------------------------------------------------------------

@dataclass(frozen=True)
class Passage:
    """A reused passage: word ranges and character offsets in both texts, and its alignment.

    ``ops`` are ``difflib`` opcodes over word indices of the two documents (absolute indices).
    ``identity`` is aligned words over the mean length of the two sides (1.0: same words).
    """

    source_id: str
    target_id: str
    source_words: tuple[int, int]
    target_words: tuple[int, int]
    source_start: int
    source_end: int
    target_start: int
    target_end: int
    n_matched: int
    identity: float
    ops: tuple[tuple[str, int, int, int, int], ...] = field(repr=False)

    @property
    def n_source_words(self) -> int:
        return self.source_words[1] - self.source_words[0]

    @property
    def n_target_words(self) -> int:
        return self.target_words[1] - self.target_words[0]


def chain_seeds(seeds: tuple[tuple[int, int], ...] | list[tuple[int, int]],
                params: Params = DEFAULT) -> list[list[tuple[int, int]]]:
    """Group seeds into chains that advance in both texts with gaps of at most ``max_gap``."""
    reach = params.n + params.max_gap
    chains: list[list[tuple[int, int]]] = []
    # Seeds come in target order, so a chain whose last target word is more than ``reach``
    # behind can take no later seed: it leaves the active list (order kept, so ties between
    # equally cheap chains go as before), and each seed looks only at chains within reach.
    active: list[list[tuple[int, int]]] = []
    swept = None
    for i, j in sorted(seeds, key=lambda p: (p[1], p[0])):
        if swept is None or j - swept > reach:
            active, swept = [c for c in active if c[-1][1] >= j - reach], j
        best, best_cost = None, None
        for chain in active:
            li, lj = chain[-1]
            di, dj = i - li, j - lj
            if 0 < di <= reach and 0 < dj <= reach:
                cost = di + dj + abs(di - dj)
                if best_cost is None or cost < best_cost:
                    best, best_cost = chain, cost
        if best is None:
            chains.append([(i, j)])
            active.append(chains[-1])
        else:
            best.append((i, j))
    return chains


def _needleman_wunsch(a: tuple[str, ...], b: tuple[str, ...]) -> list[tuple[int, int] | None]:
    """Global alignment of two short word sequences: the matched index pairs, in order.

    Scores: match +2, substitution -1, gap -1, so a run of replaced words aligns as a
    substitution and a shared word is matched where it costs the fewest gaps.
    """
    n, m = len(a), len(b)
    score = np.zeros((n + 1, m + 1), dtype=np.int32)
    score[:, 0] = -np.arange(n + 1)
    score[0, :] = -np.arange(m + 1)
    for i in range(1, n + 1):
        for j in range(1, m + 1):
            score[i, j] = max(score[i - 1, j - 1] + (2 if a[i - 1] == b[j - 1] else -1),
                              score[i - 1, j] - 1, score[i, j - 1] - 1)
    pairs, i, j = [], n, m
    while i > 0 and j > 0:
        if a[i - 1] == b[j - 1] and score[i, j] == score[i - 1, j - 1] + 2:
            pairs.append((i - 1, j - 1))
            i, j = i - 1, j - 1
        elif score[i, j] == score[i - 1, j - 1] - 1:
            i, j = i - 1, j - 1
        elif score[i, j] == score[i - 1, j] - 1:
            i -= 1
        else:
            j -= 1
    return pairs[::-1]


NW_MAX_CELLS = 40_000  # larger unanchored stretches keep difflib's matches


def align_words(a: tuple[str, ...], b: tuple[str, ...]) -> list[tuple[str, int, int, int, int]]:
    """Word-by-word alignment as opcodes (equal / replace / insert / delete).

    ``difflib`` finds the shared runs of two or more words; the stretches between them are
    aligned with Needleman-Wunsch, so a single shared word ("Syrian") is matched where it belongs
    rather than at its first occurrence. Adjacent differences are merged into one opcode.

    Above :data:`LONG_ALIGN_CELLS` (two stretches of some 2,000 words each) the stretches are
    first cut at shared anchors (:func:`_align_long`), since ``difflib`` takes time growing
    with the square of the length on long texts that repeat their words.
    """
    if len(a) * len(b) > LONG_ALIGN_CELLS:
        return _align_long(a, b)
    return _align_short(a, b)


def _align_short(a: tuple[str, ...], b: tuple[str, ...]) -> list[tuple[str, int, int, int, int]]:
    blocks = [blk for blk in difflib.SequenceMatcher(None, a, b, autojunk=False)
              .get_matching_blocks() if blk.size >= 2]
    matched: list[tuple[int, int]] = []
    pi = pj = 0
    for blk in blocks + [difflib.Match(len(a), len(b), 0)]:
        ga, gb = a[pi:blk.a], b[pj:blk.b]
        if ga and gb:
            if len(ga) * len(gb) <= NW_MAX_CELLS:
                inner = _needleman_wunsch(ga, gb)
            else:
                inner = [(x.a + k, x.b + k) for x in difflib.SequenceMatcher(
                    None, ga, gb, autojunk=False).get_matching_blocks() for k in range(x.size)]
            matched.extend((pi + x, pj + y) for x, y in inner)
        matched.extend((blk.a + k, blk.b + k) for k in range(blk.size))
        pi, pj = blk.a + blk.size, blk.b + blk.size
    ops: list[tuple[str, int, int, int, int]] = []
    pi = pj = 0
    for x, y in matched + [(len(a), len(b))]:
        if x > pi or y > pj:
            tag = "replace" if x > pi and y > pj else "delete" if x > pi else "insert"
            ops.append((tag, pi, x, pj, y))
        if x < len(a):
            if ops and ops[-1][0] == "equal":
                ops[-1] = ("equal", ops[-1][1], x + 1, ops[-1][3], y + 1)
            else:
                ops.append(("equal", x, x + 1, y, y + 1))
        pi, pj = x + 1, y + 1
    return ops


LONG_ALIGN_CELLS = 4_000_000  # a span pair bigger than this is cut at anchors first
ANCHOR_SPACING = 500  # words between the cuts of a long span (each piece aligned as usual)
ANCHOR_N = 3  # an anchor is a word n-gram found exactly once in each stretch


def _align_long(a: tuple[str, ...], b: tuple[str, ...]) -> list[tuple[str, int, int, int, int]]:
    """:func:`align_words` of two long stretches, in time about linear in their length.

    Anchors are the word ``ANCHOR_N``-grams found exactly once in each stretch (as in patience
    diff); the longest run of them in the same order in both (a longest increasing
    subsequence, O(k log k)) gives cut points at least :data:`ANCHOR_SPACING` words apart, each
    just before an anchor, so the pieces meet on shared words. Each piece is aligned with the
    usual method and the opcodes are joined (adjacent ones of a kind merged). Stretches with no
    anchor are aligned as a whole.
    """
    def unique(seq: tuple[str, ...]) -> dict[tuple[str, ...], int]:
        seen: dict[tuple[str, ...], int] = {}
        for k in range(len(seq) - ANCHOR_N + 1):
            g = seq[k:k + ANCHOR_N]
            seen[g] = -1 if g in seen else k
        return {g: k for g, k in seen.items() if k >= 0}

    ua, ub = unique(a), unique(b)
    anchors = sorted((i, ub[g]) for g, i in ua.items() if g in ub)
    # longest subsequence increasing in b (anchors are sorted by a), patience style
    tails: list[int] = []  # tails[L]: index in anchors ending the best run of length L + 1
    back: list[int] = [-1] * len(anchors)
    for k, (_, j) in enumerate(anchors):
        lo, hi = 0, len(tails)
        while lo < hi:
            mid = (lo + hi) // 2
            if anchors[tails[mid]][1] < j:
                lo = mid + 1
            else:
                hi = mid
        back[k] = tails[lo - 1] if lo else -1
        if lo == len(tails):
            tails.append(k)
        else:
            tails[lo] = k
    run, k = [], tails[-1] if tails else -1
    while k >= 0:
        run.append(anchors[k])
        k = back[k]
    run.reverse()
    cuts, (pi, pj) = [], (0, 0)
    for i, j in run:
        if i - pi >= ANCHOR_SPACING and j - pj >= ANCHOR_SPACING:
            cuts.append((i, j))
            pi, pj = i, j
    if not cuts:
        return _align_short(a, b)
    ops: list[tuple[str, int, int, int, int]] = []
    pi = pj = 0
    for i, j in cuts + [(len(a), len(b))]:
        for tag, i1, i2, j1, j2 in _align_short(a[pi:i], b[pj:j]):
            op = (tag, i1 + pi, i2 + pi, j1 + pj, j2 + pj)
            if ops and (ops[-1][0] == "equal") == (tag == "equal") and ops[-1][2] == op[1] \
                    and ops[-1][4] == op[3]:
                lo = ops.pop()
                i1_, j1_ = lo[1], lo[3]
                if tag != "equal":
                    tag = ("replace" if op[2] > i1_ and op[4] > j1_ else
                           "delete" if op[2] > i1_ else "insert")
                op = (tag, i1_, op[2], j1_, op[4])
            ops.append(op)
        pi, pj = i, j
    return ops


def _align_span(source: Doc, target: Doc, s0: int, s1: int, t0: int, t1: int,
                params: Params, lead: tuple[int, int] | None = None,
                tail: tuple[int, int] | None = None) -> Passage | None:
    a, b = source.forms[s0:s1], target.forms[t0:t1]
    ops = [(tag, i1 + s0, i2 + s0, j1 + t0, j2 + t0) for tag, i1, i2, j1, j2 in
           align_words(a, b)]
    _trim(ops, params)
    if ops and lead is not None and (ops[0][1], ops[0][3]) == (s0, t0):
        ops[:0] = [(tag, i1 + lead[0], i2 + lead[0], j1 + lead[1], j2 + lead[1]) for
                   tag, i1, i2, j1, j2 in align_words(source.forms[lead[0]:s0],
                                                      target.forms[lead[1]:t0])]
    if ops and tail is not None and (ops[-1][2], ops[-1][4]) == (s1, t1):
        ops.extend((tag, i1 + s1, i2 + s1, j1 + t1, j2 + t1) for tag, i1, i2, j1, j2 in
                   align_words(source.forms[s1:tail[0] + 1], target.forms[t1:tail[1] + 1]))
    matched = sum(op[2] - op[1] for op in ops if op[0] == "equal")
    if matched < params.min_words:
        return None
    si, sj, ti, tj = ops[0][1], ops[-1][2], ops[0][3], ops[-1][4]
    return Passage(source.id, target.id, (si, sj), (ti, tj),
                   source.tokens[si].start, source.tokens[sj - 1].end,
                   target.tokens[ti].start, target.tokens[tj - 1].end,
                   matched, 2 * matched / ((sj - si) + (tj - ti)), tuple(ops))


def _trim(ops: list[tuple[str, int, int, int, int]], params: Params) -> None:
    """Drop differences at the ends, and an end run of fewer than ``n`` shared words cut off
    from the rest by a difference longer than ``pad`` words (a stray repeated phrase)."""
    def size(op):
        return max(op[2] - op[1], op[4] - op[3])

    lo, hi = 0, len(ops)  # the kept ops are ops[lo:hi]; cut once at the end (linear)
    changed = True
    while changed:
        changed = False
        while lo < hi and ops[lo][0] != "equal":
            lo += 1
        while lo < hi and ops[hi - 1][0] != "equal":
            hi -= 1
        if hi - lo > 2 and size(ops[lo]) < params.n and size(ops[lo + 1]) > params.pad:
            lo += 2
            changed = True
        if hi - lo > 2 and size(ops[hi - 1]) < params.n and size(ops[hi - 2]) > params.pad:
            hi -= 2
            changed = True
    ops[:] = ops[lo:hi]


def _sentence_edge(doc: Doc, i: int, step: int, pad: int) -> int:
    """The first (step -1) or last (step +1) word of word i's sentence if within ``pad``."""
    k = i
    while (abs(k - i) <= pad and 0 <= k + step < len(doc.tokens)
           and doc.sentence_of[k + step] == doc.sentence_of[i]):
        k += step  # at most pad + 1 steps: a longer sentence leaves the edge where it is
    return k if abs(k - i) <= pad else i


def _extend(source: Doc, target: Doc, i: int, j: int, step: int, pad: int) -> tuple[int, int]:
    """Move an edge (i, j) outward (``step`` -1: left, +1: right) to the nearest pair of equal
    content words within ``pad`` words on both sides and in the same sentences, while any."""
    while True:
        best, best_cost = None, None
        for di in range(1, pad + 1):
            for dj in range(1, pad + 1):
                a, b = i + step * di, j + step * dj
                if not (0 <= a < len(source.tokens) and 0 <= b < len(target.tokens)):
                    continue
                if (source.sentence_of[a] != source.sentence_of[i]
                        or target.sentence_of[b] != target.sentence_of[j]):
                    continue  # an edge never moves into another sentence
                form = source.tokens[a].form
                if form == target.tokens[b].form and form not in FUNCTION_WORDS:
                    cost = di + dj + abs(di - dj)
                    if best_cost is None or cost < best_cost:
                        best, best_cost = (a, b), cost
        if best is None:
            return i, j
        i, j = best


def align(source: Doc, target: Doc, candidate: Candidate,
          params: Params = DEFAULT) -> list[Passage]:
    """The passages of one candidate pair, aligned word by word, ordered by target position.

    Each chain of seeds is widened to the nearest shared content word within ``pad`` words
    (so that "Turkey said Thursday" / "Turkey announced Thursday" keeps its edited word), and
    where two passages claim the same target words the one with more aligned words is kept.
    """
    if (candidate.source_id, candidate.target_id) != (source.id, target.id):
        raise ValueError(f"candidate {candidate.source_id}->{candidate.target_id} does not "
                         f"match documents {source.id}->{target.id}")
    found = []
    for chain in chain_seeds(candidate.seeds, params):
        s0, t0 = _extend(source, target, min(i for i, _ in chain), min(j for _, j in chain),
                         -1, params.pad)
        s1, t1 = _extend(source, target, max(i for i, _ in chain) + params.n - 1,
                         max(j for _, j in chain) + params.n - 1, 1, params.pad)
        # A few differing words before the first shared word of both sentences (The minister
        # also / He also) are an edit of the copied sentence: take them in.
        e0s, e0t = _sentence_edge(source, s0, -1, params.pad), _sentence_edge(target, t0, -1,
                                                                               params.pad)
        e1s, e1t = _sentence_edge(source, s1, 1, params.pad), _sentence_edge(target, t1, 1,
                                                                             params.pad)
        lead = (e0s, e0t) if e0s < s0 and e0t < t0 else None
        tail = (e1s, e1t) if e1s > s1 and e1t > t1 else None
        if _most_matched(source, target, s0, s1, t0, t1, lead, tail) < params.min_words:
            continue  # cannot reach min_words: _align_span would return None (not aligned)
        passage = _align_span(source, target, s0, s1 + 1, t0, t1 + 1, params, lead, tail)
        if passage is not None:
            found.append(passage)
    return sorted(_without_overlaps(found), key=lambda p: p.target_words)


def _most_matched(source: Doc, target: Doc, s0: int, s1: int, t0: int, t1: int,
                  lead: tuple[int, int] | None, tail: tuple[int, int] | None) -> int:
    """An upper bound of the words :func:`_align_span` can align for one chain: equal words
    pair equal forms one to one inside the widest stretches it looks at (lead and tail
    included), so no more than the forms the two stretches share, counted with repeats. A
    repeated phrase of a long text gives many one-seed chains; this spares aligning them."""
    a0, a1 = (lead[0] if lead else s0), (tail[0] + 1 if tail else s1 + 1)
    b0, b1 = (lead[1] if lead else t0), (tail[1] + 1 if tail else t1 + 1)
    if min(a1 - a0, b1 - b0) < _COUNT_SHARED_BELOW:
        return 0 if min(a1 - a0, b1 - b0) <= 0 else sum(
            (Counter(source.forms[a0:a1]) & Counter(target.forms[b0:b1])).values())
    return min(a1 - a0, b1 - b0)


_COUNT_SHARED_BELOW = 64  # longer stretches: the length alone bounds the aligned words


def _without_overlaps(passages: list[Passage]) -> list[Passage]:
    """Greedy: most aligned words first; drop a passage if half its target words are taken.

    "Taken" counts a word once for every kept passage covering it (the sum of the overlaps
    with the kept passages). Many passages (a target that many sources copy) are counted on a
    Fenwick tree over the target's words: O(P log L), not every kept passage per passage.
    """
    ranked = sorted(passages, key=lambda p: (-p.n_matched, -p.identity, p.target_words,
                                             p.source_id))
    kept: list[Passage] = []
    if len(ranked) <= _FEW_PASSAGES:
        for p in ranked:
            overlap = sum(max(0, min(p.target_words[1], q.target_words[1])
                              - max(p.target_words[0], q.target_words[0])) for q in kept)
            if overlap * 2 <= p.n_target_words:
                kept.append(p)
        return kept
    cover = _Coverage(max(p.target_words[1] for p in ranked))
    for p in ranked:
        lo, hi = p.target_words
        if cover.total(lo, hi) * 2 <= p.n_target_words:
            kept.append(p)
            cover.add(lo, hi)
    return kept


_FEW_PASSAGES = 32  # up to this many, comparing with each kept passage is cheaper


class _Coverage:
    """How many kept word ranges cover each position, summed over a range: range add and
    range sum on two Fenwick trees, each O(log n)."""

    def __init__(self, n: int):
        self.n = n + 1
        self.b1 = [0] * (self.n + 1)
        self.b2 = [0] * (self.n + 1)

    def _update(self, tree: list[int], i: int, v: int) -> None:
        i += 1
        while i <= self.n:
            tree[i] += v
            i += i & -i

    def _query(self, tree: list[int], i: int) -> int:
        out = 0
        while i > 0:
            out += tree[i]
            i -= i & -i
        return out

    def _prefix(self, i: int) -> int:  # sum of coverage over positions [0, i)
        return self._query(self.b1, i) * i - self._query(self.b2, i)

    def add(self, lo: int, hi: int) -> None:
        """One more range covering positions [lo, hi)."""
        if hi <= lo:
            return
        self._update(self.b1, lo, 1)
        self._update(self.b1, hi, -1)
        self._update(self.b2, lo, lo)
        self._update(self.b2, hi, -hi)

    def total(self, lo: int, hi: int) -> int:
        """Coverage summed over positions [lo, hi)."""
        return self._prefix(hi) - self._prefix(lo) if hi > lo else 0


def find_passages(docs: dict[str, Doc], params: Params = DEFAULT,
                  pairs: list[tuple[str, str]] | None = None, *,
                  candidates: Iterable[Candidate] | None = None) -> list[Passage]:
    """Candidates then alignment, for every pair (default: every earlier/later pair).

    ``candidates`` replaces step 1: the given :class:`Candidate` s (e.g. from an n-gram index
    over an archive) are aligned as they are, and ``pairs`` must then be left out. Their seeds
    must be word positions of ``params.n``-grams in ``docs``.
    """
    if candidates is not None and pairs is not None:
        raise ValueError("give pairs or candidates, not both")
    cands = find_candidates(docs, params, pairs) if candidates is None else candidates
    out = []
    for cand in cands:
        if cand.source_id not in docs or cand.target_id not in docs:
            raise KeyError(f"candidate ({cand.source_id!r}, {cand.target_id!r}) names a "
                           "document that is not given")
        out.extend(align(docs[cand.source_id], docs[cand.target_id], cand, params))
    return out


def passages(corpus: Corpus, params: Params = DEFAULT) -> list[Passage]:
    """All reused passages between earlier and later reports of ``corpus``."""
    return find_passages(documents(corpus), params)


def primary_passages(found: list[Passage]) -> list[Passage]:
    """Per target, the passages from the closest source: where sources overlap, most words win.

    When a later report copies a report that itself copied the wire, both pairs produce a
    passage over the same target words; the version with more aligned words is the one copied.
    """
    by_target: dict[str, list[Passage]] = defaultdict(list)
    for p in found:
        by_target[p.target_id].append(p)
    out = []
    for tid in by_target:
        out.extend(sorted(_without_overlaps(by_target[tid]),
                          key=lambda p: (p.target_words, p.source_id)))
    return out


def passage_table(found: list[Passage], docs: dict[str, Doc]) -> pd.DataFrame:
    """One row per passage: both articles, offsets, word counts, identity share."""
    return pd.DataFrame([{
        "source": p.source_id, "target": p.target_id,
        "source_start": p.source_start, "source_end": p.source_end,
        "target_start": p.target_start, "target_end": p.target_end,
        "source_words": p.n_source_words, "target_words": p.n_target_words,
        "aligned_words": p.n_matched, "identity": round(p.identity, 3),
        "opening": docs[p.target_id].text[p.target_start:p.target_end][:60] + "…",
    } for p in found], columns=["source", "target", "source_start", "source_end", "target_start",
                                "target_end", "source_words", "target_words", "aligned_words",
                                "identity", "opening"])


# --- Step 3: edits ----------------------------------------------------------------------------

def _surface(tok: textlib.Token) -> str:
    return textlib.fold_chars(tok.text).lower()


def _span(doc: Doc, i: int, j: int) -> tuple[int, int]:
    """Character span of words i..j-1; for an empty range, the end of the word before i."""
    if j > i:
        return doc.tokens[i].start, doc.tokens[j - 1].end
    pos = doc.tokens[i - 1].end if i > 0 else doc.tokens[0].start
    return pos, pos


def _gap(doc: Doc, i: int) -> tuple[int, int]:
    """Characters between word i and word i + 1."""
    return doc.tokens[i].end, doc.tokens[i + 1].start


def _norm_gap(s: str) -> str:
    return " ".join(s.split())


def passage_edits(p: Passage, source: Doc, target: Doc) -> list[dict]:
    """Every difference inside passage ``p``, classified (see :data:`EDIT_KINDS`)."""
    out = []

    def add(kind: str, ss: tuple[int, int], ts: tuple[int, int]) -> None:
        out.append({"source_id": source.id, "target_id": target.id, "kind": kind,
                    "old": source.text[ss[0]:ss[1]], "new": target.text[ts[0]:ts[1]],
                    "source_start": ss[0], "source_end": ss[1],
                    "target_start": ts[0], "target_end": ts[1]})

    for tag, i1, i2, j1, j2 in p.ops:
        if tag == "equal":
            for k in range(i2 - i1):
                si, tj = source.tokens[i1 + k], target.tokens[j1 + k]
                if _surface(si) != _surface(tj):
                    add("spelling", (si.start, si.end), (tj.start, tj.end))
                if k + 1 < i2 - i1:
                    sg, tg = _gap(source, i1 + k), _gap(target, j1 + k)
                    if _norm_gap(source.text[sg[0]:sg[1]]) != _norm_gap(target.text[tg[0]:tg[1]]):
                        add("punctuation", sg, tg)
            continue
        forms = source.forms[i1:i2] + target.forms[j1:j2]
        if all(f in FUNCTION_WORDS for f in forms):
            kind = "function_word"
        else:
            kind = {"replace": "substitution", "insert": "insertion", "delete": "deletion"}[tag]
        add(kind, _span(source, i1, i2), _span(target, j1, j2))
    return out


class _SentenceFinder:
    """``find(article_id, pos)``: the id of the sentence holding character ``pos`` of an article
    (the first sentence for a position before it); ``find.words(doc)``: the sentence id of
    every word of a :class:`Doc`. Built in one pass over the corpus's sentences, so build it
    once per run, not once per article."""

    def __init__(self, sentences: pd.DataFrame):
        self.table: dict[str, tuple[list[int], list[str]]] = {}
        for aid, start, sid in zip(sentences["article_id"].tolist(),
                                   sentences["start"].tolist(),
                                   sentences["sentence_id"].tolist()):
            starts, ids = self.table.setdefault(aid, ([], []))
            starts.append(start)
            ids.append(sid)

    def __call__(self, article_id: str, pos: int) -> str:
        starts, ids = self.table[article_id]
        return ids[max(0, bisect.bisect_right(starts, pos) - 1)]

    def words(self, doc: Doc) -> list[str]:
        starts, ids = self.table[doc.id]
        out, k = [], 0  # words are in text order: walk the sentence starts alongside them
        for t in doc.tokens:
            while k + 1 < len(starts) and starts[k + 1] <= t.start:
                k += 1
            out.append(ids[k])
        return out


def _sentence_finder(corpus: Corpus) -> _SentenceFinder:
    return _SentenceFinder(corpus.sentences)


def edits_frame(corpus: Corpus, found: list[Passage], docs: dict[str, Doc]) -> pd.DataFrame:
    """Edits of the given passages with the sentence each side falls in (EDIT_COLUMNS)."""
    find = _sentence_finder(corpus)
    rows = []
    for p in found:
        for e in passage_edits(p, docs[p.source_id], docs[p.target_id]):
            e["source_sentence_id"] = find(e["source_id"], e["source_start"])
            e["target_sentence_id"] = find(e["target_id"], e["target_start"])
            rows.append(e)
    order = {aid: k for k, aid in enumerate(docs)}
    frame = pd.DataFrame(rows, columns=EDIT_COLUMNS)
    if frame.empty:
        return frame
    frame = frame.sort_values(["target_id", "target_start", "source_start"],
                              key=lambda c: c.map(order) if c.name == "target_id" else c,
                              kind="stable")
    return frame.reset_index(drop=True)


def copied_edits(corpus: Corpus, params: Params = DEFAULT) -> pd.DataFrame:
    """One row per edit inside copied passages, each passage taken from its closest source.

    Columns: ``source_id, target_id, kind, old, new, source_sentence_id, target_sentence_id,
    source_start, source_end, target_start, target_end`` (offsets in the clean texts; for an
    insertion the source span is the empty position just after the source word it follows,
    and for a deletion the target span likewise). ``kind`` is one of :data:`EDIT_KINDS`.
    """
    docs = documents(corpus)
    return edits_frame(corpus, primary_passages(find_passages(docs, params)), docs)


# --- Sentences and articles -------------------------------------------------------------------

def _word_sentences(corpus: Corpus, doc: Doc, find=None) -> list[str]:
    """The sentence id of each word of ``doc``; pass ``find`` (:func:`_sentence_finder`) when
    calling this for many documents, so the corpus's sentences are grouped once."""
    return (find or _sentence_finder(corpus)).words(doc)


def sentence_labels(corpus: Corpus, params: Params = DEFAULT,
                    found: list[Passage] | None = None,
                    docs: dict[str, Doc] | None = None) -> pd.DataFrame:
    """For every sentence of every report but the first: best earlier source sentence, label.

    The best source sentence is the one with most words aligned to the sentence in any passage
    (ties: the closer version, i.e. higher identity, then the later source). The sentence is
    *derived* if it repeats a run of :data:`MIN_RUN` aligned words of that sentence or
    :data:`MIN_SHARE` of its own words; *verbatim* if derived and every word on both sides is
    aligned; else *edited*. Not derived: *new*.

    ``docs`` are the corpus's documents when the caller has them already (default:
    :func:`documents`). Linear in the words of the passages and the sentences of the corpus.
    """
    docs = documents(corpus) if docs is None else docs
    found = find_passages(docs, params) if found is None else found
    find = _sentence_finder(corpus)
    in_passages = {aid for p in found for aid in (p.source_id, p.target_id)}
    sent_of = {aid: find.words(docs[aid]) for aid in in_passages}
    length = corpus.sentences.set_index("sentence_id")["n_words"].to_dict()
    pairs: dict[str, dict[str, list[tuple[int, int]]]] = defaultdict(lambda: defaultdict(list))
    for p in found:
        for tag, i1, i2, j1, j2 in p.ops:
            if tag == "equal":
                for k in range(i2 - i1):
                    ts, ss = sent_of[p.target_id][j1 + k], sent_of[p.source_id][i1 + k]
                    pairs[ts][ss].append((i1 + k, j1 + k))
    order = {aid: k for k, aid in enumerate(publication_order(corpus))}
    article_of = corpus.sentences.set_index("sentence_id")["article_id"].to_dict()
    rows = []
    for sent in corpus.sentences.itertuples():
        if order[sent.article_id] == 0:
            continue
        best, best_key, m, run = "", None, 0, 0
        for src, links in pairs.get(sent.sentence_id, {}).items():
            links = sorted(set(links))
            count = len({j for _, j in links})
            ident = 2 * count / (length[src] + sent.n_words)
            key = (count, ident, order[article_of[src]])
            if best_key is None or key > best_key:
                best, best_key, m = src, key, count
                run = _longest_run(links)
        derived = m > 0 and (run >= MIN_RUN or m >= MIN_SHARE * sent.n_words)
        if not derived:
            label = "new"
        elif m == sent.n_words == length[best]:
            label = "verbatim"
        else:
            label = "edited"
        rows.append({"sentence_id": sent.sentence_id, "article_id": sent.article_id,
                     "n_words": sent.n_words, "source_sentence_id": best if derived else "",
                     "aligned_words": m if derived else 0, "longest_run": run, "label": label})
    return pd.DataFrame(rows, columns=["sentence_id", "article_id", "n_words",
                                       "source_sentence_id", "aligned_words", "longest_run",
                                       "label"])


def _longest_run(links: list[tuple[int, int]]) -> int:
    best = cur = 0
    prev = None
    for i, j in links:
        cur = cur + 1 if prev is not None and (i, j) == (prev[0] + 1, prev[1] + 1) else 1
        best, prev = max(best, cur), (i, j)
    return best


def composition(labels: pd.DataFrame, corpus: Corpus) -> pd.DataFrame:
    """Words of each later report: verbatim (aligned), edited (changed, in derived sentences),
    original (in new sentences); with the METER class from the share of derived words."""
    rows = []
    names = dict(zip(corpus.articles["id"], corpus.articles["label"]))
    sums = (labels.assign(derived=labels["n_words"].where(labels["label"] != "new", 0))
            .groupby("article_id", sort=False)[["aligned_words", "derived", "n_words"]].sum())
    for aid, verbatim, derived, total in zip(sums.index, sums["aligned_words"].tolist(),
                                             sums["derived"].tolist(), sums["n_words"].tolist()):
        verbatim, total = int(verbatim), int(total)
        edited = int(derived) - verbatim
        share = verbatim / total if total else 0.0
        meter = ("wholly derived" if share >= METER_WHOLLY else
                 "partially derived" if share >= METER_PARTIALLY else "non-derived")
        rows.append({"article_id": aid, "label": names[aid], "words": total,
                     "verbatim": verbatim, "edited": edited, "original": total - verbatim - edited,
                     "derived_share": round(share, 3), "meter": meter})
    return pd.DataFrame(rows, columns=["article_id", "label", "words", "verbatim", "edited",
                                       "original", "derived_share", "meter"])


# --- Direction ----------------------------------------------------------------------------------

def _aligned_map(found: list[Passage], source_id: str, target_id: str) -> dict[int, int]:
    """Target word index -> source word index, over the equal words of one pair's passages."""
    out: dict[int, int] = {}
    for p in found:
        if (p.source_id, p.target_id) == (source_id, target_id):
            for tag, i1, i2, j1, _ in p.ops:
                if tag == "equal":
                    out.update({j1 + k: i1 + k for k in range(i2 - i1)})
    return out


def _runs(doc: Doc, idx: list[int], limit: int = 2) -> str:
    """The first ``limit`` runs of consecutive word indices, as quoted text."""
    runs: list[list[int]] = []
    for j in sorted(idx):
        if runs and j == runs[-1][-1] + 1:
            runs[-1].append(j)
        else:
            runs.append([j])
    runs = sorted(runs, key=lambda r: (-len(r), r[0]))[:limit]
    return "; ".join(f"“{doc.text[doc.tokens[r[0]].start:doc.tokens[r[-1]].end]}”"
                     for r in sorted(runs))


COMMON_COLUMNS = ["target", "earlier", "later", "shared_with_both", "only_in_earlier",
                  "only_in_later", "spelled_as_earlier", "spelled_as_later",
                  "later_only_example", "spelling_example", "verdict"]


def common_source(corpus: Corpus, found: list[Passage] | None = None,
                  params: Params = DEFAULT) -> pd.DataFrame:
    """Where a report shares wording with two earlier ones, which did it copy?

    For each target and each earlier pair (earlier, later) that both have passages in it:
    words it shares with both; words only the earlier or only the later one has (wording the
    other text lacks: an addition, or a version of the story that is not in the corpus); and,
    at shared words spelled differently by the two (defence/defense), whose spelling it
    carries. Carrying the later text's wording where the two differ means the target's
    source is the later text (or one identical to it), not the earlier text as it stands.
    """
    docs = documents(corpus)
    found = find_passages(docs, params) if found is None else found
    order = list(docs)
    position = {aid: k for k, aid in enumerate(order)}
    by_pair = _by_pair(found)
    sources: dict[str, list[str]] = defaultdict(list)  # each target's earlier sources
    for s, t in by_pair:
        if s in position and t in position and position[s] < position[t]:
            sources[t].append(s)
    rows = []
    for t in order:  # only the pairs of a target's own sources, not every earlier pair
        for a, b in ordered_pairs(sorted(sources.get(t, ()), key=position.__getitem__)):
            ja, jb = _aligned_map(by_pair[(a, t)], a, t), _aligned_map(by_pair[(b, t)], b, t)
            both = sorted(set(ja) & set(jb))
            as_a = [j for j in both if _surface(docs[t].tokens[j]) == _surface(
                docs[a].tokens[ja[j]]) != _surface(docs[b].tokens[jb[j]])]
            as_b = [j for j in both if _surface(docs[t].tokens[j]) == _surface(
                docs[b].tokens[jb[j]]) != _surface(docs[a].tokens[ja[j]])]
            only_a, only_b = sorted(set(ja) - set(jb)), sorted(set(jb) - set(ja))
            if (only_b or as_b) and not (only_a or as_a):
                verdict = f"{t} copied {b}'s wording, not {a}'s"
            elif (only_a or as_a) and not (only_b or as_b):
                verdict = f"{t} copied {a}'s wording, not {b}'s"
            elif only_a or only_b or as_a or as_b:
                verdict = f"{t} drew on both {a} and {b}"
            else:
                verdict = f"undecided: {t} shares only wording common to {a} and {b}"
            rows.append({
                "target": t, "earlier": a, "later": b, "shared_with_both": len(both),
                "only_in_earlier": len(only_a), "only_in_later": len(only_b),
                "spelled_as_earlier": len(as_a), "spelled_as_later": len(as_b),
                "later_only_example": _runs(docs[t], only_b),
                "spelling_example": ", ".join(sorted({
                    f"{docs[t].tokens[j].text} ({b}) / {docs[a].tokens[ja[j]].text} ({a})"
                    for j in as_b})),
                "verdict": verdict})
    return pd.DataFrame(rows, columns=COMMON_COLUMNS)


def _by_pair(found: list[Passage]) -> dict[tuple[str, str], list[Passage]]:
    """Passages grouped by (source, target), pairs in order of first appearance.

    A target's passages are ordered by target position, so passages from two sources can
    interleave: grouping must not depend on adjacent rows.
    """
    out: dict[tuple[str, str], list[Passage]] = defaultdict(list)
    for p in found:
        out[(p.source_id, p.target_id)].append(p)
    return dict(out)


def _credit(value: object) -> str:
    """A manifest agency credit as text ('' when there is none)."""
    return "" if pd.isna(value) else str(value).strip()


def direction_basis(articles: pd.DataFrame, source: str, target: str) -> str:
    """Why ``source`` is listed before ``target`` (``articles`` indexed by id).

    Only an earlier publication date is evidence that the later text took from the earlier
    one. On a shared date the order is the tie-break of :func:`publication_order` (a wire credit
    first, then id), which is not evidence: both may print a common source, and the note says so.
    """
    ds, dt = articles.loc[source, "date"], articles.loc[target, "date"]
    if ds < dt:
        return "earlier publication date"
    if ds > dt:
        return f"none: {source} was published after {target}"
    cs, ct = _credit(articles.loc[source, "agency"]), _credit(articles.loc[target, "agency"])
    if cs and not ct:
        return (f"same date; only {source} carries a wire credit ({cs}): a common {cs} "
                "source is likely, the direction is undetermined")
    both = f"both carry a wire credit ({cs}, {ct})" if cs and ct else (
        f"only {target} carries a wire credit ({ct})" if ct else "neither carries a wire credit")
    return f"same date and {both}: listed by id only (a tie-break, not evidence)"


DIRECTED = "source earlier"
UNDETERMINED = "common source or undetermined"


def direction_of(basis: str) -> str:
    """:data:`DIRECTED` when the basis is evidence of direction, else :data:`UNDETERMINED`."""
    return DIRECTED if basis == "earlier publication date" else UNDETERMINED


def pair_directions(corpus: Corpus, primary: list[Passage]) -> pd.DataFrame:
    """Each copying pair: source, target, dates, whether the direction is known and why,
    passages and shared words. ``source``/``target`` are the publication order; ``direction``
    says whether that order rests on evidence (:func:`direction_of`)."""
    a = corpus.articles.set_index("id")
    rows = []
    for (s, t), group in _by_pair(primary).items():
        basis = direction_basis(a, s, t)
        rows.append({"source": s, "target": t, "source date": f"{a.loc[s, 'date']:%Y-%m-%d}",
                     "target date": f"{a.loc[t, 'date']:%Y-%m-%d}", "direction basis": basis,
                     "direction": direction_of(basis),
                     "passages": len(group), "aligned words": sum(p.n_matched for p in group)})
    out = pd.DataFrame(rows, columns=["source", "target", "source date", "target date",
                                      "direction basis", "direction", "passages",
                                      "aligned words"])
    order = {aid: k for k, aid in enumerate(publication_order(corpus))}
    return out.sort_values(["target", "source"], key=lambda c: c.map(order)).reset_index(
        drop=True)


def story_clusters(order: list[str], directions: pd.DataFrame) -> pd.DataFrame:
    """Articles that share one story through copying, with their likely common source.

    A cluster is a connected group of copying pairs (``directions``); articles that copy
    nothing and are not copied are left out. The likely source is the cluster's first article
    in publication order; ``source_basis`` says whether dates support it (every pair that
    reaches it from the source is dated earlier) or it is only first in the listing.
    Columns: ``cluster_id, article_id, n_articles, likely_source, source_basis``.
    """
    from analysis.independence import copy_groups

    columns = ["cluster_id", "article_id", "n_articles", "likely_source", "source_basis"]
    pairs = directions.rename(columns={"source": "source_id", "target": "target_id"})
    if pairs.empty:
        return pd.DataFrame(columns=columns)
    members = sorted(set(pairs["source_id"]) | set(pairs["target_id"]))
    groups = copy_groups(members, pairs)
    rank = {aid: k for k, aid in enumerate(order)}
    by_group: dict[str, list[str]] = defaultdict(list)
    for aid, g in groups.items():
        by_group[g].append(aid)
    dirs = pairs.get("direction", pd.Series(DIRECTED, index=pairs.index))
    dated = {(s, t) for s, t, d in zip(pairs["source_id"], pairs["target_id"], dirs)
             if d == DIRECTED}
    rows = []
    for k, ids in enumerate(sorted(by_group.values(), key=lambda ids: min(rank[i] for i in ids))):
        ids = sorted(ids, key=rank.__getitem__)
        first = ids[0]
        out_pairs = [(s, t) for s, t in zip(pairs["source_id"], pairs["target_id"]) if s == first]
        basis = ("earlier publication date" if out_pairs and all(p in dated for p in out_pairs)
                 else UNDETERMINED)
        rows.extend({"cluster_id": f"cluster-{k + 1:04d}", "article_id": aid,
                     "n_articles": len(ids), "likely_source": first, "source_basis": basis}
                    for aid in ids)
    return pd.DataFrame(rows, columns=columns)


def spelling_profile(corpus: Corpus) -> pd.DataFrame:
    """British and American forms from the variants table used by each report."""
    table = textlib.spelling_variants()
    american = set(table.values())
    rows = []
    for aid, doc in documents(corpus).items():
        brit = [t.text for t in doc.tokens if _surface(t) in table]
        amer = [t.text for t in doc.tokens if _surface(t) in american]
        rows.append({"article": aid, "british": len(brit), "american": len(amer),
                     "british forms": ", ".join(sorted({w.lower() for w in brit})),
                     "american forms": ", ".join(sorted({w.lower() for w in amer}))})
    return pd.DataFrame(rows)


# --- Synthetic check and calibration --------------------------------------------------------------

SYNTHETIC_KINDS = ("substitution", "insertion", "deletion", "reordering", "mixed")


def plant_edits(words: list[str], rate: float, kind: str, vocab: list[str],
                rng: random.Random) -> list[str]:
    """``words`` with each word edited with probability ``rate`` (seeded ``rng``).

    substitution: replaced by a word from ``vocab``; insertion: a ``vocab`` word added after
    it; deletion: dropped; reordering: swapped with the next word; mixed: one of the four.
    """
    if kind not in SYNTHETIC_KINDS:
        raise ValueError(f"unknown edit kind {kind!r}; one of {SYNTHETIC_KINDS}")
    if not 0 <= rate <= 1:
        raise ValueError(f"edit rate must be between 0 and 1, not {rate}")
    out, k = [], 0
    while k < len(words):
        w = words[k]
        if rng.random() >= rate:
            out.append(w)
            k += 1
            continue
        op = rng.choice(SYNTHETIC_KINDS[:4]) if kind == "mixed" else kind
        if op == "substitution":
            out.append(rng.choice(vocab))
        elif op == "insertion":
            out.extend([w, rng.choice(vocab)])
        elif op == "reordering" and k + 1 < len(words):
            out.extend([words[k + 1], w])
            k += 1
        elif op == "reordering":
            out.append(w)
        k += 1
    return out


def _trial(source: Doc, host: str, vocab: list[str], rate: float, kind: str,
           rng: random.Random, params: Params, n_sentences: int = 3) -> tuple[bool, float, int]:
    """Plant one edited copy of consecutive source sentences in ``host``; did we find it?"""
    sents = sorted(set(source.sentence_of))
    first = rng.randrange(0, len(sents) - n_sentences + 1)
    picked = [t.text for t, s in zip(source.tokens, source.sentence_of)
              if first <= s < first + n_sentences]
    copy = " ".join(plant_edits(picked, rate, kind, vocab, rng)) + "."
    paras = host.split("\n\n")
    cut = rng.randrange(1, len(paras))
    before = "\n\n".join(paras[:cut]) + "\n\n"
    target = make_doc("planted", before + copy + "\n\n" + "\n\n".join(paras[cut:]))
    lo = len(textlib.word_spans(before))
    hi = lo + len(textlib.word_spans(copy))
    got = find_passages({source.id: source, "planted": target}, params,
                        pairs=[(source.id, "planted")])
    covered = set()
    spurious = 0
    for p in got:
        inside = set(range(*p.target_words)) & set(range(lo, hi))
        covered |= inside
        spurious += len(inside) * 2 < p.n_target_words
    share = len(covered) / (hi - lo) if hi > lo else 0.0
    return share >= 0.5, share, spurious


@dataclass(frozen=True)
class SyntheticSetup:
    """Which reports the synthetic check uses: copies of sentences of ``source_id`` are planted
    in the text of ``host_id`` (a report sharing no passage with the source), substitutes and
    insertions drawn from the words of ``vocab_id``."""

    source_id: str
    host_id: str
    vocab_id: str


def synthetic_setup(corpus: Corpus, found: list[Passage] | None = None,
                    n_sentences: int = 3) -> SyntheticSetup | None:
    """Roles for the synthetic check, chosen from the data (``None`` if no report fits).

    Source: the report that gives most aligned words to later ones (ties: the earlier), with at
    least ``n_sentences`` sentences. Host: the earliest other report with two paragraphs or more
    that shares no passage with the source, so any passage found in it is the planted one or a
    false one. Vocabulary: the next such report (else the host itself).
    """
    docs = documents(corpus)
    found = find_passages(docs) if found is None else found
    order = list(docs)
    position = {aid: k for k, aid in enumerate(order)}
    given: dict[str, int] = defaultdict(int)
    for p in found:
        given[p.source_id] += p.n_matched
    shared = {frozenset((p.source_id, p.target_id)) for p in found}
    sources = [a for a in sorted(order, key=lambda a: (-given[a], position[a]))
               if len(set(docs[a].sentence_of)) >= n_sentences]
    for src in sources:
        free = [a for a in order if a != src and frozenset((src, a)) not in shared]
        hosts = [a for a in free if len(docs[a].text.split("\n\n")) >= 2]
        if hosts:
            rest = [a for a in free if a != hosts[0]]
            return SyntheticSetup(src, hosts[0], rest[0] if rest else hosts[0])
    return None


def synthetic_check(corpus: Corpus, setup: SyntheticSetup | None = None, *,
                    rates: tuple[float, ...] = (0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7),
                    kinds: tuple[str, ...] = SYNTHETIC_KINDS, trials: int = 30,
                    seed: int = 2020, params: Params = DEFAULT) -> pd.DataFrame:
    """Passage recall against edit rate: copies of three consecutive real sentences of the
    setup's source, edited at a controlled rate, planted in the host's text (see
    :class:`SyntheticSetup`; default :func:`synthetic_setup`).

    A planted copy counts as found when detected passages cover half its words or more.
    Columns: ``kind, rate, trials, found, recall, coverage, spurious`` (an empty frame with
    these columns when no report can serve as host).
    """
    columns = ["kind", "rate", "trials", "found", "recall", "coverage", "spurious"]
    setup = synthetic_setup(corpus) if setup is None else setup
    if setup is None:
        return pd.DataFrame(columns=columns)
    docs = documents(corpus)
    source, host = docs[setup.source_id], corpus.text(setup.host_id)
    vocab = sorted({t.text for t in docs[setup.vocab_id].tokens})
    rows = []
    for kind in kinds:
        for rate in rates:
            rng = random.Random(f"{seed}-{kind}-{rate}")
            res = [_trial(source, host, vocab, rate, kind, rng, params) for _ in range(trials)]
            rows.append({"kind": kind, "rate": rate, "trials": trials,
                         "found": sum(r[0] for r in res),
                         "recall": sum(r[0] for r in res) / trials,
                         "coverage": float(np.mean([r[1] for r in res])),
                         "spurious": sum(r[2] for r in res)})
    return pd.DataFrame(rows, columns=columns)


def calibration(corpus: Corpus, null_pairs: list[tuple[str, str]],
                setup: SyntheticSetup | None = None, ns: tuple[int, ...] = (2, 3, 4, 5),
                gaps: tuple[int, ...] = (0, 4, 8, 12, 16, 20, 24),
                rates: tuple[float, ...] = (0.2, 0.3, 0.4), trials: int = 15,
                seed: int = 7) -> pd.DataFrame:
    """For each seed size ``n`` and ``max_gap``: synthetic recall and coverage (share of the
    planted words inside a detected passage; mixed edits at ``rates``) and the passages found
    on ``null_pairs``, (source, target) pairs known to share nothing (the caller says how it
    knows: a hand annotation, or the pairs where the defaults find nothing), so every passage
    found there is false. Columns: ``n, max_gap, recall, coverage, false_passages``."""
    docs = documents(corpus)
    setup = synthetic_setup(corpus) if setup is None else setup
    rows = []
    for n in ns:
        for gap in gaps:
            p = Params(n=n, max_gap=gap, min_words=DEFAULT.min_words, pad=DEFAULT.pad)
            syn = synthetic_check(corpus, setup, rates=rates, kinds=("mixed",), trials=trials,
                                  seed=seed, params=p)
            null = find_passages(docs, p, pairs=list(null_pairs))
            total = int(syn["trials"].sum())
            rows.append({"n": n, "max_gap": gap,
                         "recall": float(syn["found"].sum() / total) if total else float("nan"),
                         "coverage": float(syn["coverage"].mean()) if total else float("nan"),
                         "false_passages": len(null)})
    return pd.DataFrame(rows, columns=["n", "max_gap", "recall", "coverage", "false_passages"])


def unrelated_pairs(found: list[Passage], order: list[str]) -> list[tuple[str, str]]:
    """Earlier/later pairs of ``order`` between which ``found`` has no passage, either way."""
    shared = {frozenset((p.source_id, p.target_id)) for p in found}
    return [(s, t) for s, t in ordered_pairs(order) if frozenset((s, t)) not in shared]


# --- The whole method ---------------------------------------------------------------------------

@dataclass(frozen=True, eq=False)
class Results:
    """Everything the method finds in one corpus, computed once (no scoring, no charts)."""

    params: Params
    docs: dict[str, Doc]
    found: list[Passage]
    primary: list[Passage]
    scores: pd.DataFrame
    edits: pd.DataFrame
    labels: pd.DataFrame
    composition: pd.DataFrame
    common: pd.DataFrame
    directions: pd.DataFrame
    spelling: pd.DataFrame


def analyse(corpus: Corpus, params: Params = DEFAULT) -> Results:
    """Run the method on ``corpus``: passages, edits, sentence labels, composition, pairwise
    scores, direction and common source. Works on any corpus; reads no annotation."""
    docs = documents(corpus)
    found = find_passages(docs, params)
    primary = primary_passages(found)
    labels = sentence_labels(corpus, params, found)
    return Results(params, docs, found, primary, pair_scores(corpus, params.n),
                   edits_frame(corpus, primary, docs), labels, composition(labels, corpus),
                   common_source(corpus, found, params), pair_directions(corpus, primary),
                   spelling_profile(corpus))
