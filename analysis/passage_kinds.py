"""What kind of reuse a shared passage is: copied narrative, a shared quotation, or boilerplate.

Two texts can share wording for three different reasons, and only one of them is copying:

* **copied narrative**: one text took the other's (or a common source's) reporting;
* **shared quotation**: both quote the same statement, speech or tweet; independent outlets do
  this all the time without copying each other;
* **boilerplate**: the outlet's (or the site's) stock wording: templates of daily market reports,
  newsletter promotions, scraped script. It is learnt from the outlet's own articles: an
  ``n``-word shingle (figures replaced by one placeholder, since a template is filled with new
  figures each time) that recurs in at least ``min_articles`` articles of one outlet is that
  outlet's boilerplate (a story is rarely re-filed that often; a template is filed every day).

A passage is typed by the share of its aligned target words that are boilerplate, then by the
share that is inside quotation marks in both texts; the rest is narrative. A pair of articles is a
*copying* pair when its narrative passages hold at least ``min_narrative_words`` aligned words.
Pure: documents and passages in, labels out. Cost: one pass over each document's words to
hash its shingles, one counter per outlet (linear in the corpus), and one pass over each
passage's aligned words.
"""

from __future__ import annotations

import bisect
import zlib
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from analysis.quotes import quote_spans
from analysis.reuse import Doc, Passage

KINDS = ("copied_narrative", "shared_quotation", "boilerplate")


@dataclass(frozen=True)
class KindParams:
    """How passages are typed (see the module docstring); defaults set on the dev split."""

    shingle: int = 8             # words per boilerplate shingle
    min_articles: int = 5        # articles of one outlet a shingle must recur in
    boilerplate_share: float = 0.5  # of a passage's aligned words, to call it boilerplate
    quotation_share: float = 0.5    # of its aligned words inside quotation marks in both texts
    min_narrative_words: int = 15   # aligned narrative words for a pair to count as copying
    min_narrative_share: float = 0.2  # ... and this share of the shorter text's words
    template_fills: int = 2         # slot fills (figures, names swapped) that make a template

    def __post_init__(self) -> None:
        if self.shingle < 2 or self.min_articles < 2 or self.min_narrative_words < 1:
            raise ValueError(f"bad passage-kind parameters: {self}")
        for share in (self.boilerplate_share, self.quotation_share, self.min_narrative_share):
            if not 0 < share <= 1:
                raise ValueError(f"bad passage-kind parameters: {self}")


def quoted_words(doc: Doc) -> tuple[bool, ...]:
    """For each word of ``doc``: is it inside a quotation (marks paired by
    :func:`analysis.quotes.quote_spans`)?"""
    spans = sorted((q.start, q.end) for q in quote_spans(doc.text))
    starts = [s for s, _ in spans]
    out = []
    for tok in doc.tokens:
        k = bisect.bisect_right(starts, tok.start) - 1
        out.append(k >= 0 and tok.end <= spans[k][1])
    return tuple(out)


def _template_form(form: str) -> str:
    """A word as a template sees it: any word with a digit is one placeholder, so "Qtly div 17
    cts vs 17 cts prior" and "Qtly div 5 cts vs 4 cts prior" are the same stock wording."""
    return "#" if any(ch.isdigit() for ch in form) else form


def shingles(doc: Doc, n: int) -> list[int]:
    """A 32-bit hash of the ``n`` template forms starting at each word (stable across runs)."""
    forms = [_template_form(f) for f in doc.forms]
    return [zlib.crc32("\x1f".join(forms[i:i + n]).encode("utf-8"))
            for i in range(max(0, len(forms) - n + 1))]


def outlet_boilerplate(docs: Mapping[str, Doc], outlet_of: Mapping[str, str],
                       params: KindParams = KindParams()) -> dict[str, frozenset[int]]:
    """Per outlet, the shingles that recur in at least ``min_articles`` of its articles.

    Outlets with fewer articles than that have none: nothing can be learnt from them.
    """
    counts: dict[str, Counter] = defaultdict(Counter)
    sizes: Counter = Counter()
    for aid, doc in docs.items():
        outlet = outlet_of.get(aid, "")
        sizes[outlet] += 1
        counts[outlet].update(set(shingles(doc, params.shingle)))
    return {o: frozenset(h for h, c in counts[o].items() if c >= params.min_articles)
            for o in counts if sizes[o] >= params.min_articles}


def _aligned(p: Passage) -> Iterable[tuple[int, int]]:
    """(source word, target word) of every aligned (identical) word of the passage."""
    for tag, i1, i2, j1, j2 in p.ops:
        if tag == "equal":
            yield from zip(range(i1, i2), range(j1, j2))


def _covered(doc_shingles: list[int], boiler: frozenset[int], n: int, size: int) -> list[bool]:
    """Words covered by at least one boilerplate shingle."""
    out = [False] * size
    for i, h in enumerate(doc_shingles):
        if h in boiler:
            for k in range(i, min(size, i + n)):
                out[k] = True
    return out


class Typer:
    """Types passages of one corpus; per-document facts are computed once and reused."""

    def __init__(self, docs: Mapping[str, Doc], outlet_of: Mapping[str, str],
                 params: KindParams = KindParams()):
        self.docs, self.outlet_of, self.params = docs, outlet_of, params
        self.boiler = outlet_boilerplate(docs, outlet_of, params)
        self._quoted: dict[str, tuple[bool, ...]] = {}
        self._covered: dict[str, list[bool]] = {}

    def quoted(self, aid: str) -> tuple[bool, ...]:
        if aid not in self._quoted:
            self._quoted[aid] = quoted_words(self.docs[aid])
        return self._quoted[aid]

    def covered(self, aid: str) -> list[bool]:
        if aid not in self._covered:
            doc, n = self.docs[aid], self.params.shingle
            boiler = self.boiler.get(self.outlet_of.get(aid, ""), frozenset())
            self._covered[aid] = (_covered(shingles(doc, n), boiler, n, len(doc.tokens))
                                  if boiler else [False] * len(doc.tokens))
        return self._covered[aid]

    def fills(self, p: Passage) -> tuple[int, int]:
        """(slot fills, other edits) inside the passage: a replaced run whose words on both sides
        are all figures or capitalised words is a slot of a template filled anew."""
        source, target = self.docs[p.source_id].tokens, self.docs[p.target_id].tokens
        fills = other = 0
        for tag, i1, i2, j1, j2 in p.ops:
            if tag == "equal":
                continue
            words = [t.text for t in source[i1:i2]] + [t.text for t in target[j1:j2]]
            if tag == "replace" and all(_slot(w) for w in words):
                fills += 1
            else:
                other += 1
        return fills, other

    def kind(self, p: Passage) -> str:
        """``copied_narrative``, ``shared_quotation`` or ``boilerplate`` for one passage.

        Boilerplate is either the outlet's recurring wording or a template filled anew: at
        least ``template_fills`` slot fills and no more other edits than fills (on the dev split
        no copied story had two; the daily reports, dividend and bond notices had two to nine).
        """
        pairs = list(_aligned(p))
        if not pairs:
            return "copied_narrative"
        fills, other = self.fills(p)
        if fills >= self.params.template_fills and other <= fills:
            return "boilerplate"
        cs, ct = self.covered(p.source_id), self.covered(p.target_id)
        boiler = sum(1 for i, j in pairs if cs[i] or ct[j])
        if boiler >= self.params.boilerplate_share * len(pairs):
            return "boilerplate"
        qs, qt = self.quoted(p.source_id), self.quoted(p.target_id)
        quoted = sum(1 for i, j in pairs if qs[i] and qt[j])
        if quoted >= self.params.quotation_share * len(pairs):
            return "shared_quotation"
        return "copied_narrative"


def _slot(word: str) -> bool:
    return any(ch.isdigit() for ch in word) or word[:1].isupper()


def copying_pairs(kinds: Iterable[tuple[str, str, str, int]], lengths: Mapping[str, int],
                  params: KindParams = KindParams()) -> set[tuple[str, str]]:
    """(source, target) pairs whose narrative passages hold at least ``min_narrative_words``
    aligned words and ``min_narrative_share`` of the shorter text's words (``lengths``: words
    per article); ``kinds`` yields (source, target, kind, aligned words) per passage.

    The share matters: on the dev split, independent write-ups of one event and short
    templates shared 15-30 aligned words too, but over less of the shorter text than copies.
    """
    narrative: Counter = Counter()
    for s, t, kind, words in kinds:
        if kind == "copied_narrative":
            narrative[(s, t)] += int(words)
    return {(s, t) for (s, t), w in narrative.items()
            if w >= params.min_narrative_words
            and w >= params.min_narrative_share * min(lengths.get(s, 0), lengths.get(t, 0))}
