"""Scoring the spin detector: against the hand annotation of spun words, and on synthetic copies.

Gold: ``<corpus root>/annotations/spin/spun_words.csv`` (columns documented in its README), one
row per word judged a spinner's substitution. A flag matches a gold word when article, sentence,
word (case-folded) and its occurrence in the sentence agree.
"""

from __future__ import annotations

import random
import struct
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from analysis.corpus import Corpus
from analysis.spin import _is_name, inflect, swap_words
from analysis.evaluation import GoldError, Scores, gold_path, scores_frame
from analysis.text import read_table

COLUMNS = ("article_id", "sentence_id", "surface", "occurrence", "reason")
FILE = "spun_words.csv"


def load_gold(corpus: Corpus) -> pd.DataFrame | None:
    """The gold spun words of ``corpus``, or ``None`` when it has no spin annotation."""
    path = gold_path(corpus.root, "spin", FILE)
    if path is None:
        return None
    gold = read_table(path, COLUMNS, required=COLUMNS[:4], error=GoldError)
    articles = set(corpus.articles["id"])
    sentences = set(corpus.sentences["sentence_id"])
    for row in gold.rename(columns={"_row": "line"}).itertuples(index=False):
        if row.article_id not in articles:
            raise GoldError(f"unknown article {row.article_id!r}", file=path, row=row.line,
                            field="article_id")
        if row.sentence_id not in sentences or not row.sentence_id.startswith(row.article_id):
            raise GoldError(f"unknown sentence {row.sentence_id!r}", file=path, row=row.line,
                            field="sentence_id")
        if not row.occurrence.isdigit() or int(row.occurrence) < 1:
            raise GoldError(f"occurrence must be a whole number >= 1, got {row.occurrence!r}",
                            file=path, row=row.line, field="occurrence")
    return gold.assign(occurrence=gold["occurrence"].astype(int))


def _items(frame: pd.DataFrame) -> set[tuple[str, str, str, int]]:
    return {(a, s, w.lower(), int(o)) for a, s, w, o in
            zip(frame["article_id"], frame["sentence_id"], frame["surface"], frame["occurrence"])}


def word_scores(found: pd.DataFrame, gold: pd.DataFrame) -> Scores:
    """Word-level scores of the flags against the gold spun words (all articles pooled)."""
    return Scores.from_sets(_items(found), _items(gold))


def article_scores(found: pd.DataFrame, gold: pd.DataFrame, articles: list[str]) -> pd.DataFrame:
    """One :meth:`Scores.as_row` per article, then the pooled row (``article_id`` = ``all``)."""
    rows = [word_scores(found[found["article_id"] == a], gold[gold["article_id"] == a])
            .as_row(article_id=a) for a in articles]
    rows.append(word_scores(found, gold).as_row(article_id="all"))
    return scores_frame(rows)


def matched_flags(found: pd.DataFrame, gold: pd.DataFrame) -> pd.Series:
    """For each flag, whether the annotator also marked the word."""
    g = _items(gold)
    return pd.Series([item in g for item in
                      zip(found["article_id"], found["sentence_id"],
                          found["surface"].str.lower(), found["occurrence"].astype(int))],
                     index=found.index, dtype=bool)


def synthetic_scores(synthetic: pd.DataFrame, thresholds: dict[str, float]) -> pd.DataFrame:
    """Per spin rate: word-level scores of the flags on the swapped words, false flags per 100
    words, and the share of documents called spun (each against its own leave-one-out line).

    Every document needs a line in ``thresholds``: one without would silently count as not
    called spun, so it is refused by name."""
    missing = sorted(set(synthetic["doc"]) - set(thresholds)) if len(synthetic) else []
    if missing:
        raise ValueError(f"no decision line for synthetic document(s) {', '.join(missing[:5])}"
                         + (f" and {len(missing) - 5} more" if len(missing) > 5 else ""))
    rows = []
    for rate, g in synthetic.groupby("rate"):
        s = Scores.from_matches(int(g["hits"].sum()), int(g["n_flags"].sum()),
                                int(g["n_spun"].sum()))
        called = g["per_100_words"] >= g["doc"].map(thresholds)
        false = 100 * (g["n_flags"] - g["hits"]).sum() / g["n_words"].sum()
        rows.append(s.as_row(rate=rate) | {"documents": len(g),
                                           "called_spun": float(called.mean()),
                                           "false_per_100_words": float(false)})
    return scores_frame(rows)


# --- an independent validation spinner ------------------------------------------------------------
#
# The detector must not be validated only with the thesaurus it could read itself. This spinner
# swaps words for synonyms from a thesaurus the detector never opens: Aiksaurus (Jared Davis,
# 2001, GPL-2+), whose data ships in the Debian package ``libaiksaurus-1.2-data``
# (``/usr/share/aiksaurus/words.dat`` and ``meanings.dat``). It is not shipped with this project:
# ``benchmarks/spin_realnews.py`` says how to fetch it; the tests use a small hand-written
# thesaurus in the plain-text form :func:`read_thesaurus_text` reads.


class ThesaurusError(ValueError):
    """A thesaurus file that cannot be read; names the file and the byte offset or line."""


@dataclass(frozen=True)
class Thesaurus:
    """Single-word synonyms of each single lower-case word (a symmetric relation is not assumed)."""

    name: str
    synonyms: dict[str, tuple[str, ...]]

    def __len__(self) -> int:
        return len(self.synonyms)


def _single(word: str) -> bool:
    return word.isalpha() and word.islower()


def _from_groups(name: str, groups: list[list[str]]) -> Thesaurus:
    """Each word's synonyms: every other single word of every group (meaning) it belongs to."""
    syn: dict[str, set[str]] = {}
    for group in groups:
        single = [w for w in group if _single(w)]
        for w in single:
            syn.setdefault(w, set()).update(x for x in single if x != w)
    return Thesaurus(name, {w: tuple(sorted(s)) for w, s in syn.items() if s})


def _u16_list(data: bytes, pos: int, path: Path) -> tuple[list[int], int]:
    """Big-endian 16-bit numbers from ``pos`` up to the 0xFFFF end mark; (numbers, next pos)."""
    out = []
    while True:
        if pos + 2 > len(data):
            raise ThesaurusError(f"{path}: list at byte {pos} has no end mark")
        (v,) = struct.unpack_from(">H", data, pos)
        pos += 2
        if v == 0xFFFF:
            return out, pos
        out.append(v)


def read_aiksaurus(folder: Path | str) -> Thesaurus:
    """The Aiksaurus thesaurus from its two data files in ``folder``.

    ``words.dat``: per word, the word (``:`` for a space) ended by a NUL byte, then the numbers
    of its meanings, ended by 0xFFFF. ``meanings.dat``: per meaning, two title word numbers,
    then the numbers of its words, ended by 0xFFFF.
    """
    folder = Path(folder)
    words_path, meanings_path = folder / "words.dat", folder / "meanings.dat"
    for p in (words_path, meanings_path):
        if not p.is_file():
            raise ThesaurusError(f"{p}: not found (apt-get download libaiksaurus-1.2-data, "
                                 "then dpkg-deb -x; see benchmarks/spin_realnews.py)")
    data = words_path.read_bytes()
    words, pos = [], 0
    while pos < len(data):
        end = data.find(b"\0", pos)
        if end < 0:
            raise ThesaurusError(f"{words_path}: word at byte {pos} has no NUL end")
        words.append(data[pos:end].decode("latin-1").replace(":", " "))
        _, pos = _u16_list(data, end + 1, words_path)
    data = meanings_path.read_bytes()
    groups, pos = [], 0
    while pos < len(data):
        if pos + 4 > len(data):
            raise ThesaurusError(f"{meanings_path}: meaning at byte {pos} is cut short")
        ids, pos = _u16_list(data, pos + 4, meanings_path)
        if any(i >= len(words) for i in ids):
            raise ThesaurusError(f"{meanings_path}: meaning ending at byte {pos} names a word "
                                 f"number past the {len(words)} words")
        groups.append([words[i] for i in ids])
    return _from_groups("Aiksaurus", groups)


def read_thesaurus_text(path: Path | str, name: str | None = None) -> Thesaurus:
    """A thesaurus from a text file: one meaning per line, its words separated by commas.

    Blank lines and lines starting with ``#`` are skipped."""
    path = Path(path)
    groups = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        group = [w.strip().lower() for w in line.split(",") if w.strip()]
        if len(group) < 2:
            raise ThesaurusError(f"{path}, line {n}: a meaning needs at least two words")
        groups.append(group)
    return _from_groups(name or path.stem, groups)


def _inflect_like(word: str, thesaurus: Thesaurus) -> list[str]:
    """Replacements for ``word``: its own synonyms, else its stem's synonyms re-inflected."""
    if word in thesaurus.synonyms:
        return list(thesaurus.synonyms[word])
    for suffix, repl in (("ies", "y"), ("es", ""), ("s", ""), ("ed", "e"), ("ed", ""),
                         ("ing", "e"), ("ing", ""), ("ly", "")):
        stem = word[: -len(suffix)] + repl if word.endswith(suffix) else ""
        if len(stem) > 2 and stem in thesaurus.synonyms:
            return [inflect(s, suffix) for s in thesaurus.synonyms[stem]]
    return []


def spin_with(text: str, rate: float, seed: int, thesaurus: Thesaurus
              ) -> tuple[str, list[tuple[int, int]]]:
    """A spun copy of ``text`` made with ``thesaurus``, and the spans (in the copy) of the swaps.

    Like a commercial spinner: every word the thesaurus has a synonym for (function words
    included, names and numbers left alone) is replaced with probability ``rate`` by a synonym
    drawn at random from all its meanings; the first letter's case is kept. Nothing here reads
    the detector's resources (WordNet, the count tables).
    """
    if not 0 <= rate <= 1:
        raise ValueError(f"spin rate must be in [0, 1], got {rate}")
    rng = random.Random(seed)

    def choose(words: list, i: int) -> str | None:
        if _is_name(words, i) or not words[i].key.isalpha():
            return None
        options = _inflect_like(words[i].key, thesaurus)
        if not options or rng.random() >= rate:
            return None
        return rng.choice(options)

    return swap_words(text, choose)


def spin_sentences_with(sentences: pd.DataFrame, rate: float, seed: int, thesaurus: Thesaurus
                        ) -> tuple[pd.DataFrame, set[tuple[str, int]]]:
    """:func:`spin_with` on every sentence; gold = ``(sentence_id, start)`` of the swaps."""
    rows, gold = [], set()
    for n, s in enumerate(sentences.itertuples(index=False)):
        text, spans = spin_with(s.text, rate, seed * 100_003 + n, thesaurus)
        rows.append({"article_id": s.article_id, "sentence_id": s.sentence_id, "text": text})
        gold.update((s.sentence_id, start) for start, _ in spans)
    return pd.DataFrame(rows, columns=["article_id", "sentence_id", "text"]), gold


def shared_pairs(thesaurus: Thesaurus) -> float:
    """Share of the thesaurus's synonym pairs (single words) that WordNet also lists as
    synonyms: how little of the validation spinner the detector's own thesaurus knows."""
    from analysis.spin import lexicon

    lex = lexicon()
    pairs = {(a, b) for a, ss in thesaurus.synonyms.items() for b in ss if a < b}
    both = sum(1 for a, b in pairs if b in lex.synonyms.get(a, ()))
    return both / len(pairs) if pairs else float("nan")
