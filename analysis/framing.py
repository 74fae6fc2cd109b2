"""Words that take sides: contested labels, whose voice uses them, keyness, framing edits.

A hand-made lexicon lists the words a report can choose for the sides of a conflict and its acts
(groups ``opposition``, ``state``, ``act``). This module finds them in the clean texts, decides
for each use whether it is the report's own word or stands inside a quotation (then it is the
speaker's choice), counts them, compares reports word by word with the weighted log-odds ratio of
Monroe, Colaresi and Quinn (2008), and finds the edits inside copied passages that change a label.

The lexicon is ``<corpus root>/framing/labels.csv`` when the corpus has one, else the book's
(package data: ``analysis/resources/framing/labels.csv``); an ``exceptions.csv`` beside it lists
phrases in which a form does not name its label ("Syrian military presence" of Russia is not the
Syrian army). A lexicon is topical: the book's names the sides of the Syrian war, and
"government" in a story on a census is no side of it. A ``topic.csv`` beside the lexicon lists
the words that name its topic; the lexicon is then applied only to the articles that name the
topic at least :data:`TOPIC_MIN_MENTIONS` times (:func:`lexicon_scope`), and to no article of a
folder on another subject. A folder's own lexicon without ``topic.csv`` applies to every article
(the folder chose it). Quotations come
from ``analysis.quotes.find_quotes`` and copy edits from ``analysis.reuse.copied_edits``; the
functions here take those frames as arguments. Nothing here reads annotations or draws charts
(see ``analysis.evaluation.framing`` and ``analysis.present.framing``).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import pandas as pd
from nltk.probability import FreqDist

from analysis import text as tx
from analysis.corpus import Corpus

LEXICON_FILE = "labels.csv"
EXCEPTIONS_FILE = "exceptions.csv"
TOPIC_FILE = "topic.csv"
LEXICON_PATH = tx.resource("framing", LEXICON_FILE)  # the book's lexicon, shipped as package data
GROUPS = ("opposition", "state", "act")
VOICES = ("own", "quoted")
LEXICON_COLUMNS = ("group", "label", "surface")
EXCEPTION_COLUMNS = ("phrase", "label")
TOPIC_COLUMNS = ("term",)
# A label either takes a side (names a side or an act as one side would: ``rebels``,
# ``regime``, ``assault``) or describes (``air strike``, ``Damascus``): the optional ``stance``
# column of the lexicon; an empty or missing stance is ``sided``, as a lexicon of contested
# labels lists words that take sides.
STANCES = ("sided", "descriptive")
# An article is on the lexicon's topic when its topic words occur at least this often: one
# passing mention ("oil prices rose on news from Syria") does not make a story one about the war.
TOPIC_MIN_MENTIONS = 2
SCOPE_COLUMNS = ("article_id", "topic_mentions", "applies", "lexicon")
ORIGINS = ("folder", "book")
QUOTE_COLUMNS = ("article_id", "quote_id", "start", "end", "speaker")
EDIT_COLUMNS = ("source_id", "target_id", "kind", "old", "new", "source_sentence_id",
                "target_sentence_id", "source_start", "source_end", "target_start",
                "target_end")
EDIT_KINDS = ("substitution", "insertion", "deletion")
USE_COLUMNS = ("article_id", "sentence_id", "start", "end", "surface", "occurrence", "label",
               "group", "voice", "quote_id", "speaker")

# Keyness prior: the pooled word counts of all reports, scaled so the prior weighs as much as
# ALPHA_0 words of text, about one short report. A weaker prior lets one or two uses swing the
# estimate; a much stronger one would hide real differences.
ALPHA_0 = 500.0
Z_CRITICAL = 1.96  # |z| below this is not a difference (two-sided 5 % level)
MIN_COUNT = 4  # a word enters the keyness chart only if it is used at least this often overall


class FramingError(tx.AnalysisError):
    """Bad framing input: a lexicon or an upstream frame that cannot be used.

    ``file`` may be empty for a frame passed in memory (then the message names the frame)."""

    def __init__(self, message: str, *, file: Path | str = "", row: int | None = None,
                 field: str | None = None):
        if str(file):
            super().__init__(message, file=file, row=row, field=field)
        else:
            ValueError.__init__(self, message)
            self.file, self.row, self.field, self.reason = "", row, field, message


def _require(frame: pd.DataFrame, columns: tuple[str, ...], what: str) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise FramingError(f"{what}: missing column(s) {', '.join(missing)}")


# ---------------------------------------------------------------------------------------------
# The lexicon and the matcher


@dataclass(frozen=True, eq=False)
class Lexicon:
    """Lexicon rows, the phrases excepted from it, and one compiled pattern, longest form first.

    ``exceptions`` (columns ``phrase, label``) are phrases in which a lexicon form does not name
    its label; the pattern matches them too, so they win over the shorter form inside them, and
    :func:`find_labels` drops them.
    """

    entries: pd.DataFrame
    pattern: re.Pattern
    exceptions: pd.DataFrame
    topic: tuple[str, ...] = ()  # words naming the lexicon's topic; empty: applies to any text
    origin: str = "book"  # "folder" (the corpus's own lexicon) or "book" (the packaged one)

    def label_of(self, surface: str) -> str:
        """Canonical label of a surface form (any case, curly or straight apostrophes)."""
        return self._labels[_normal(surface)]

    @property
    def _labels(self) -> dict[str, str]:
        return dict(zip(self.entries["surface"], self.entries["label"]))

    @property
    def groups(self) -> dict[str, str]:
        """Group of each canonical label."""
        return dict(zip(self.entries["label"], self.entries["group"]))

    @property
    def labels(self) -> list[str]:
        """Canonical labels in lexicon order (grouped as in the file)."""
        return list(dict.fromkeys(self.entries["label"]))

    @property
    def descriptive(self) -> list[str]:
        """Labels the lexicon marks as describing rather than taking a side, in lexicon order."""
        if "stance" not in self.entries:
            return []
        d = self.entries[self.entries["stance"] == "descriptive"]
        return list(dict.fromkeys(d["label"]))


def _normal(surface: str) -> str:
    """The key of a surface form: quotes, dashes and case folded (:func:`analysis.text.fold_case`,
    as the text is in :func:`find_labels`), white space made single spaces."""
    return " ".join(tx.fold_case(tx.fold_chars(surface)).split())


def _compile(forms: list[str]) -> re.Pattern:
    forms = sorted(set(forms), key=lambda s: (-len(s), s))
    alternatives = "|".join(r"\s+".join(map(re.escape, f.split())) for f in forms)
    return re.compile(rf"(?<![^\W_])(?:{alternatives})(?![^\W_])")


def _row_numbers(frame: pd.DataFrame) -> list[int]:
    if "_row" in frame.columns:
        return [int(r) for r in frame["_row"]]
    return list(range(2, len(frame) + 2))


def make_lexicon(entries: pd.DataFrame, source: str = "lexicon",
                 exceptions: pd.DataFrame | None = None,
                 exceptions_source: str = "exceptions", *, topic: tuple[str, ...] = (),
                 origin: str = "book") -> Lexicon:
    """Check lexicon rows (and exception phrases) and compile the matcher.

    ``stance`` (optional column) is ``sided`` or ``descriptive``, one per label; empty is
    ``sided``. ``topic`` is the words naming the lexicon's topic (:func:`lexicon_scope`).

    Bad rows raise :class:`FramingError` naming ``source``, the row (as in the CSV file, the
    header being row 1, or the frame's ``_row``) and the field.
    """
    _require(entries, LEXICON_COLUMNS, source)
    rows = _row_numbers(entries)
    entries = entries.drop(columns="_row", errors="ignore").fillna("").astype(str)
    entries = entries.reset_index(drop=True)
    entries["surface"] = entries["surface"].map(_normal)
    if "stance" in entries:
        entries["stance"] = entries["stance"].str.strip().replace("", "sided")
    first_surface: dict[str, int] = {}
    label_group: dict[str, tuple[str, int]] = {}
    label_stance: dict[str, tuple[str, int]] = {}
    stances = list(entries["stance"]) if "stance" in entries else [""] * len(entries)
    for line, row, stance in zip(rows, entries[list(LEXICON_COLUMNS)].to_dict("records"),
                                 stances):
        for col in LEXICON_COLUMNS:
            if not row[col].strip():
                raise FramingError("field is empty", file=source, row=line, field=col)
        if row["group"] not in GROUPS:
            raise FramingError(f"unknown group {row['group']!r}; use {list(GROUPS)}",
                               file=source, row=line, field="group")
        if row["surface"] in first_surface:
            raise FramingError(f"surface form {row['surface']!r} listed twice (first in row "
                               f"{first_surface[row['surface']]})", file=source, row=line,
                               field="surface")
        first_surface[row["surface"]] = line
        group, seen = label_group.setdefault(row["label"], (row["group"], line))
        if group != row["group"]:
            raise FramingError(f"label {row['label']!r} in two groups: {row['group']!r} here, "
                               f"{group!r} in row {seen}", file=source, row=line, field="group")
        if stance:
            if stance not in STANCES:
                raise FramingError(f"unknown stance {stance!r}; use {list(STANCES)} (empty: "
                                   "sided)", file=source, row=line, field="stance")
            first, seen = label_stance.setdefault(row["label"], (stance, line))
            if first != stance:
                raise FramingError(f"label {row['label']!r} has two stances: {stance!r} here, "
                                   f"{first!r} in row {seen}", file=source, row=line,
                                   field="stance")
    if origin not in ORIGINS:
        raise FramingError(f"lexicon origin {origin!r} is not one of {list(ORIGINS)}")
    plain = _compile(list(entries["surface"]))
    exc = _check_exceptions(exceptions, entries, plain, exceptions_source)
    pattern = _compile(list(entries["surface"]) + list(exc["phrase"]))
    terms = tuple(dict.fromkeys(_normal(t) for t in topic if _normal(t)))
    return Lexicon(entries, pattern, exc, terms, origin)


def _check_exceptions(exceptions: pd.DataFrame | None, entries: pd.DataFrame,
                      plain: re.Pattern, source: str) -> pd.DataFrame:
    if exceptions is None:
        return pd.DataFrame(columns=list(EXCEPTION_COLUMNS))
    _require(exceptions, EXCEPTION_COLUMNS, source)
    rows = _row_numbers(exceptions)
    exc = exceptions.drop(columns="_row", errors="ignore").fillna("").astype(str)
    exc = exc.reset_index(drop=True)
    exc["phrase"] = exc["phrase"].map(_normal)
    labels = dict(zip(entries["surface"], entries["label"]))
    forms = set(entries["surface"])
    for line, row in zip(rows, exc[list(EXCEPTION_COLUMNS)].to_dict("records")):
        for col in EXCEPTION_COLUMNS:
            if not row[col].strip():
                raise FramingError("field is empty", file=source, row=line, field=col)
        if row["phrase"] in forms:
            raise FramingError(f"{row['phrase']!r} is a lexicon form itself", file=source,
                               row=line, field="phrase")
        inside = [labels[m.group()] for m in plain.finditer(row["phrase"])]
        if row["label"] not in inside:
            raise FramingError(f"phrase {row['phrase']!r} holds no form of label "
                               f"{row['label']!r}", file=source, row=line, field="phrase")
    return exc


def lexicon_path(root: Path | str | None = None) -> Path:
    """``<root>/framing/labels.csv`` when the corpus folder has one, else the book's lexicon."""
    if root is not None:
        own = Path(root) / "framing" / LEXICON_FILE
        if own.is_file():
            return own
    return LEXICON_PATH


def load_lexicon(path: Path | str | None = None) -> Lexicon:
    """The lexicon in ``path`` (default: the book's), with ``exceptions.csv`` and ``topic.csv``
    beside it if any.

    Read with :func:`analysis.text.read_table`: a missing file, column or field is a
    :class:`FramingError` naming file, row and field.
    """
    path = Path(path) if path is not None else LEXICON_PATH
    entries = tx.read_table(path, LEXICON_COLUMNS, required=LEXICON_COLUMNS, error=FramingError)
    exc_path = path.parent / EXCEPTIONS_FILE
    exceptions = (tx.read_table(exc_path, EXCEPTION_COLUMNS, required=EXCEPTION_COLUMNS,
                                error=FramingError) if exc_path.is_file() else None)
    topic_path = path.parent / TOPIC_FILE
    topic = (tuple(tx.read_table(topic_path, TOPIC_COLUMNS, required=TOPIC_COLUMNS,
                                 error=FramingError)["term"]) if topic_path.is_file() else ())
    origin = "book" if path.resolve() == LEXICON_PATH.resolve() else "folder"
    return make_lexicon(entries, source=str(path), exceptions=exceptions,
                        exceptions_source=str(exc_path), topic=topic, origin=origin)


def corpus_lexicon(corpus: Corpus) -> Lexicon:
    """The lexicon for ``corpus``: its own ``framing/labels.csv``, else the book's (which
    applies only to the articles on its topic: :func:`lexicon_scope`)."""
    return load_lexicon(lexicon_path(corpus.root))


def topic_mentions(text: str, lexicon: Lexicon) -> int:
    """How often the lexicon's topic words occur in ``text`` (folded as :func:`find_labels`
    folds it; a word must stand on its own, so "Syrian" counts for "syrian", not for "syria")."""
    if not lexicon.topic:
        return 0
    pattern = _compile(list(lexicon.topic))
    return sum(1 for _ in pattern.finditer(tx.fold_case(tx.fold_chars(text))))


def lexicon_scope(corpus: Corpus, lexicon: Lexicon) -> pd.DataFrame:
    """Which articles the lexicon applies to (:data:`SCOPE_COLUMNS`, corpus order).

    A lexicon without topic words applies to every article. A topical one applies to an
    article whose topic words occur at least :data:`TOPIC_MIN_MENTIONS` times: the book's
    lexicon of the Syrian war is not applied to a story that never names Syria, Idlib or
    Assad. ``lexicon`` says whose lexicon it is (``folder`` or ``book``)."""
    ids = list(corpus.articles["id"])
    if lexicon.topic:
        mentions = [topic_mentions(corpus.text(a), lexicon) for a in ids]
        applies = [m >= TOPIC_MIN_MENTIONS for m in mentions]
    else:
        mentions, applies = [0] * len(ids), [True] * len(ids)
    return pd.DataFrame({"article_id": ids, "topic_mentions": mentions, "applies": applies,
                         "lexicon": lexicon.origin}, columns=list(SCOPE_COLUMNS)).astype(
        {"topic_mentions": "int64", "applies": "bool"})


def in_scope(corpus: Corpus, scope: pd.DataFrame) -> Corpus:
    """``corpus`` reduced to the articles ``scope`` applies the lexicon to (all its frames)."""
    keep = set(scope.loc[scope["applies"].astype(bool), "article_id"])
    if keep == set(corpus.articles["id"]):
        return corpus
    return replace(
        corpus, articles=corpus.articles[corpus.articles["id"].isin(keep)].reset_index(drop=True),
        paragraphs=corpus.paragraphs[corpus.paragraphs["article_id"].isin(keep)]
        .reset_index(drop=True),
        sentences=corpus.sentences[corpus.sentences["article_id"].isin(keep)]
        .reset_index(drop=True),
        edits=corpus.edits[corpus.edits["article_id"].isin(keep)].reset_index(drop=True)
        if "article_id" in corpus.edits else corpus.edits,
        cleaned={k: v for k, v in corpus.cleaned.items() if k in keep})


def find_labels(text: str, lexicon: Lexicon) -> pd.DataFrame:
    """Every lexicon label in ``text``: ``start, end, surface`` (as printed), ``label, group``.

    Matching is case-insensitive on folded text; the longest form wins at each place, matches
    never overlap, and a form inside an exception phrase is not a use. The fold keeps every
    character in its place (:func:`analysis.text.fold_case`; ``str.lower`` makes ``İ`` two
    characters and would move every later offset), so ``text[start:end]`` is ``surface``.
    """
    folded = tx.fold_case(tx.fold_chars(text))
    excepted = set(lexicon.exceptions["phrase"])
    labels, groups = lexicon._labels, lexicon.groups
    rows = []
    for m in lexicon.pattern.finditer(folded):
        key = " ".join(m.group().split())
        if key in excepted:
            continue
        label = labels[key]
        rows.append((m.start(), m.end(), text[m.start():m.end()], label, groups[label]))
    return pd.DataFrame(rows, columns=["start", "end", "surface", "label", "group"]).astype(
        {"start": "int64", "end": "int64"})


# ---------------------------------------------------------------------------------------------
# Uses, voice and counts


def _sentence_of(corpus: Corpus, article_id: str, starts: list[int]) -> list[str]:
    s = corpus.sentences[corpus.sentences["article_id"] == article_id]
    if s.empty:
        return [""] * len(starts)
    idx = np.searchsorted(s["end"].to_numpy(), np.asarray(starts, dtype=int), side="right")
    return [s["sentence_id"].iloc[min(i, len(s) - 1)] for i in idx]


def label_uses(corpus: Corpus, lexicon: Lexicon, quotes: pd.DataFrame) -> pd.DataFrame:
    """One row per label use in every report, with its sentence and voice (:data:`USE_COLUMNS`).

    ``quotes`` is ``analysis.quotes.find_quotes(corpus)``: a use whose characters all lie inside
    a quotation is ``quoted`` (the speaker's word, with ``quote_id`` and ``speaker``), any other
    use is ``own``. ``occurrence`` numbers repeats of one surface form within a sentence.
    """
    _require(quotes, QUOTE_COLUMNS, "quotes")
    frames = []
    for article_id in corpus.articles["id"]:
        found = find_labels(corpus.text(article_id), lexicon)
        found.insert(0, "article_id", article_id)
        found.insert(1, "sentence_id", _sentence_of(corpus, article_id, list(found["start"])))
        q = quotes[quotes["article_id"] == article_id].sort_values("start")
        quote_id, speaker = [], []
        for start, end in zip(found["start"], found["end"]):
            inside = q[(q["start"] <= start) & (q["end"] >= end)]
            quote_id.append(str(inside["quote_id"].iloc[0]) if len(inside) else "")
            who = inside["speaker"].iloc[0] if len(inside) else ""
            speaker.append("" if pd.isna(who) else str(who))
        found["voice"] = ["quoted" if qid else "own" for qid in quote_id]
        found["quote_id"], found["speaker"] = quote_id, speaker
        frames.append(found)
    uses = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(
        columns=[c for c in USE_COLUMNS if c != "occurrence"])
    key = uses["surface"].map(_normal)
    uses["occurrence"] = (uses.assign(key=key).groupby(["sentence_id", "key"]).cumcount()
                          .astype("int64") + 1)
    return uses[list(USE_COLUMNS)].astype({"start": "int64", "end": "int64",
                                           "occurrence": "int64"})


def label_counts(corpus: Corpus, lexicon: Lexicon, uses: pd.DataFrame) -> pd.DataFrame:
    """Uses of each label per report: total, own, quoted, and rate per 1,000 words.

    One row per report and label that report uses at least once, in corpus order, then lexicon
    order. ``rate`` is uses per 1,000 words of the report (all voices).
    """
    cols = ["article_id", "report", "group", "label", "n", "own", "quoted", "words", "rate"]
    if uses.empty:
        return pd.DataFrame(columns=cols).astype({"n": "int64", "own": "int64",
                                                  "quoted": "int64", "words": "int64",
                                                  "rate": "float64"})
    a = corpus.articles.set_index("id")
    grid = uses.groupby(["article_id", "label", "voice"]).size().unstack("voice", fill_value=0)
    grid = grid.reindex(columns=list(VOICES), fill_value=0).reset_index()
    grid["n"] = grid["own"] + grid["quoted"]
    grid["group"] = grid["label"].map(lexicon.groups)
    grid["report"] = grid["article_id"].map(a["label"])
    grid["words"] = grid["article_id"].map(a["n_words"]).astype("int64")
    grid["rate"] = (1000 * grid["n"] / grid["words"].clip(lower=1)).round(2)
    order = {aid: i for i, aid in enumerate(corpus.articles["id"])}
    lab = {label: i for i, label in enumerate(lexicon.labels)}
    grid = grid.sort_values(["article_id", "label"], key=lambda s: s.map(
        order if s.name == "article_id" else lab)).reset_index(drop=True)
    return grid[cols].astype({"n": "int64", "own": "int64", "quoted": "int64"})


def group_rates(corpus: Corpus, counts: pd.DataFrame) -> pd.DataFrame:
    """Per report and group: uses, own, quoted and the rate per 1,000 words (zeros included)."""
    full = pd.MultiIndex.from_product([corpus.articles["id"], GROUPS],
                                      names=["article_id", "group"])
    g = counts.groupby(["article_id", "group"])[["n", "own", "quoted"]].sum()
    g = g.reindex(full, fill_value=0).reset_index().astype(
        {"n": "int64", "own": "int64", "quoted": "int64"})
    a = corpus.articles.set_index("id")
    g.insert(1, "report", g["article_id"].map(a["label"]))
    g["words"] = g["article_id"].map(a["n_words"]).astype("int64")
    g["rate"] = (1000 * g["n"] / g["words"].clip(lower=1)).round(2)
    return g


# ---------------------------------------------------------------------------------------------
# Keyness: weighted log-odds ratio with an informative Dirichlet prior


def word_counts(corpus: Corpus) -> pd.DataFrame:
    """Word frequencies per report (folded, lower case): ``article_id, word, n``."""
    rows = []
    for article_id in corpus.articles["id"]:
        fd = FreqDist(w.lower() for w in tx.words(tx.fold_chars(corpus.text(article_id))))
        rows += [(article_id, w, n) for w, n in sorted(fd.items())]
    return pd.DataFrame(rows, columns=["article_id", "word", "n"]).astype({"n": "int64"})


def log_odds(y_i: np.ndarray, y_j: np.ndarray, prior: np.ndarray,
             alpha_0: float = ALPHA_0) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Weighted log-odds ratio of i against j with an informative Dirichlet prior.

    Monroe, Colaresi and Quinn (2008), eq. 16-22: ``alpha_w = alpha_0 * prior_w / sum(prior)``;
    ``delta_w`` is the difference of the smoothed log-odds of word w in i and in j, its variance
    about ``1/(y_iw + alpha_w) + 1/(y_jw + alpha_w)``, and ``z = delta / sqrt(variance)``.
    Returns ``(delta, standard error, z)``.
    """
    y_i, y_j, prior = (np.asarray(v, dtype=float) for v in (y_i, y_j, prior))
    if not (y_i.shape == y_j.shape == prior.shape):
        raise FramingError("log_odds: counts and prior must have the same length")
    if (prior <= 0).any() or (y_i < 0).any() or (y_j < 0).any() or alpha_0 <= 0:
        raise FramingError("log_odds: prior must be positive, counts and alpha_0 non-negative")
    alpha = alpha_0 * prior / prior.sum()
    return _log_odds(y_i, y_j, alpha, y_i.sum(), y_j.sum(), alpha_0)


def _log_odds(y_i: np.ndarray, y_j: np.ndarray, alpha: np.ndarray, n_i, n_j,
              alpha_0: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """:func:`log_odds` given the prior weights ``alpha`` and the totals ``n_i``, ``n_j``
    (numbers, or one per element: then rows of different reports are computed at once)."""
    delta = (np.log((y_i + alpha) / (n_i + alpha_0 - y_i - alpha))
             - np.log((y_j + alpha) / (n_j + alpha_0 - y_j - alpha)))
    se = np.sqrt(1 / (y_i + alpha) + 1 / (y_j + alpha))
    return delta, se, delta / se


KEYNESS_TOP = 50  # terms kept per report by default: its most over-used ones


def _keyness_columns(term: str) -> list[str]:
    return ["article_id", "report", term, "n_report", "n_rest", "delta", "se", "z",
            "significant"]


def _sorted(out: pd.DataFrame, corpus: Corpus, term: str) -> pd.DataFrame:
    """Report (corpus order), then ``z`` descending, then term."""
    order = {aid: i for i, aid in enumerate(corpus.articles["id"])}
    return out.sort_values(["article_id", "z", term], ascending=[True, False, True],
                           key=lambda s: s.map(order) if s.name == "article_id" else s
                           ).reset_index(drop=True)


def keyness(corpus: Corpus, counts: pd.DataFrame | None = None, *, term: str = "word",
            alpha_0: float = ALPHA_0, top: int | None = KEYNESS_TOP,
            min_count: int = MIN_COUNT) -> pd.DataFrame:
    """Each report against all the others pooled: its ``top`` most over-used terms.

    ``counts`` has ``article_id``, the term column and ``n`` (default: :func:`word_counts`).
    The prior is the pooled counts of all reports. Positive ``z``: the report uses the term
    more than the rest; ``|z| < 1.96`` is no difference at the 5 % level. Sorted by report
    (corpus order), then ``z`` descending, then term, so ties are stable.

    With ``top`` (default :data:`KEYNESS_TOP`), each report keeps the ``top`` terms with the
    largest ``z`` among the terms used at least ``min_count`` times in all, computed from the
    sparse counts alone (one row per report and term it uses): time and memory grow with the
    rows of ``counts``, not with terms times reports. Those are the rows
    :func:`keyness_top` chooses from (a term a report does not use has ``z <= 0``), so
    ``keyness_top(keyness(c))`` equals ``keyness_top(keyness(c, top=None))`` whenever each
    report has ``per_report`` terms of positive ``z``. Under-use is not listed: the most
    under-used terms are mostly ones a report does not use at all, which only the full table
    holds (a report over-using fewer than ``top`` terms gets its used terms of ``z <= 0`` after
    them). Every row kept equals the full table's row. ``top=None`` gives that full table:
    every term for every report (``min_count`` is not applied), terms times reports rows, for
    a handful of reports such as the book's.
    """
    counts = word_counts(corpus) if counts is None else counts
    _require(counts, ("article_id", term, "n"), "counts")
    if top is None:
        return _keyness_full(corpus, counts, term, alpha_0)
    if top < 1:
        raise FramingError(f"keyness: top must be at least 1 (or None), not {top}")
    scored = _keyness_rows(corpus, counts, term, alpha_0)
    if scored.empty:
        return scored
    scored = scored[(scored["n_report"] + scored["n_rest"]) >= min_count]
    return (_sorted(scored, corpus, term).groupby("article_id", sort=False).head(top)
            .reset_index(drop=True))


def _keyness_rows(corpus: Corpus, counts: pd.DataFrame, term: str,
                  alpha_0: float) -> pd.DataFrame:
    """Keyness of each (report, term) pair that ``counts`` holds with ``n > 0``: the full
    table's rows without the terms a report does not use, never building that table."""
    cols = _keyness_columns(term)
    ids = list(corpus.articles["id"])
    c = counts[counts["article_id"].isin(ids)]
    c = c.groupby(["article_id", term], sort=False, as_index=False)["n"].sum()
    if (c["n"] < 0).any():
        raise FramingError("log_odds: prior must be positive, counts and alpha_0 non-negative")
    c = c[c["n"] > 0]
    if c.empty:
        return pd.DataFrame(columns=cols)
    if alpha_0 <= 0:
        raise FramingError("log_odds: prior must be positive, counts and alpha_0 non-negative")
    y_i = c["n"].to_numpy(dtype=float)
    pooled = c.groupby(term, sort=False)["n"].transform("sum").to_numpy(dtype=float)
    n_i = c.groupby("article_id", sort=False)["n"].transform("sum").to_numpy(dtype=float)
    total = float(c["n"].sum())
    alpha = alpha_0 * pooled / total
    y_j = pooled - y_i
    delta, se, z = _log_odds(y_i, y_j, alpha, n_i, total - n_i, alpha_0)
    labels = corpus.articles.set_index("id")["label"]
    out = pd.DataFrame({
        "article_id": c["article_id"].to_numpy(), "report": c["article_id"].map(labels)
        .to_numpy(), term: c[term].to_numpy(),
        "n_report": y_i.astype("int64"), "n_rest": y_j.astype("int64"),
        "delta": delta.round(4), "se": se.round(4), "z": z.round(3)})
    out["significant"] = out["z"].abs() >= Z_CRITICAL
    return out[cols]


def _keyness_full(corpus: Corpus, counts: pd.DataFrame, term: str,
                  alpha_0: float) -> pd.DataFrame:
    """The full table: every term for every report (terms times reports rows)."""
    cols = _keyness_columns(term)
    table = counts.pivot_table(index=term, columns="article_id", values="n", aggfunc="sum",
                               fill_value=0).sort_index()
    table = table.reindex(columns=list(corpus.articles["id"]), fill_value=0)
    pooled = table.sum(axis=1).to_numpy()
    if table.empty or (pooled <= 0).any():
        table = table[pooled > 0] if not table.empty else table
        pooled = table.sum(axis=1).to_numpy()
    if table.empty:
        return pd.DataFrame(columns=cols)
    labels = corpus.articles.set_index("id")["label"]
    frames = []
    for article_id in table.columns:
        y_i = table[article_id].to_numpy()
        y_j = pooled - y_i
        delta, se, z = log_odds(y_i, y_j, pooled, alpha_0)
        frames.append(pd.DataFrame({
            "article_id": article_id, "report": labels[article_id], term: table.index,
            "n_report": y_i.astype("int64"), "n_rest": y_j.astype("int64"),
            "delta": delta.round(4), "se": se.round(4), "z": z.round(3)}))
    out = pd.concat(frames, ignore_index=True)
    out["significant"] = out["z"].abs() >= Z_CRITICAL
    return _sorted(out, corpus, term)[cols]


def keyness_totals(corpus: Corpus, counts: pd.DataFrame | None = None, *,
                   term: str = "word") -> pd.DataFrame:
    """Folder totals of each term: uses in all reports (``n``) and reports using it
    (``reports``), most used first, then by term. One row per term, from the sparse counts."""
    counts = word_counts(corpus) if counts is None else counts
    _require(counts, ("article_id", term, "n"), "counts")
    c = counts[counts["article_id"].isin(list(corpus.articles["id"])) & (counts["n"] > 0)]
    out = c.groupby(term, sort=False).agg(n=("n", "sum"), reports=("article_id", "nunique"))
    out = out.reset_index().astype({"n": "int64", "reports": "int64"})
    return out.sort_values(["n", term], ascending=[False, True]).reset_index(drop=True)


def keyness_tables(corpus: Corpus, *, top: int = KEYNESS_TOP, min_count: int = MIN_COUNT,
                   alpha_0: float = ALPHA_0) -> dict[str, pd.DataFrame]:
    """The bounded keyness output of a run, from one count of the words: ``keyness`` (each
    report's ``top`` most over-used words, :func:`keyness`) and ``keyness_totals``
    (:func:`keyness_totals`). Rows: at most ``top`` per report, plus one per distinct word."""
    counts = word_counts(corpus)
    return {"keyness": keyness(corpus, counts, alpha_0=alpha_0, top=top, min_count=min_count),
            "keyness_totals": keyness_totals(corpus, counts)}


def keyness_top(key: pd.DataFrame, *, per_report: int = 6, min_count: int = MIN_COUNT
                ) -> pd.DataFrame:
    """The ``per_report`` most over-used terms of each report (largest z), among terms used at
    least ``min_count`` times in all; ties broken by term."""
    ok = key[(key["n_report"] + key["n_rest"]) >= min_count]
    return ok.groupby("article_id", sort=False, group_keys=False).head(per_report
                                                                       ).reset_index(drop=True)


def label_keyness(corpus: Corpus, uses: pd.DataFrame, *, alpha_0: float = ALPHA_0,
                  voice: str | None = None) -> pd.DataFrame:
    """Keyness of the labels themselves: each report's label uses against the others'.

    The prior is the pooled label counts; non-label words are one extra term ``(other words)``
    so each report's total is its word count and rates, not raw counts, are compared.
    """
    u = uses if voice is None else uses[uses["voice"] == voice]
    c = u.groupby(["article_id", "label"]).size().rename("n").reset_index()
    if c.empty:
        return keyness(corpus, c.astype({"n": "int64"}), term="label", alpha_0=alpha_0,
                       top=None)
    words = corpus.articles.set_index("id")["n_words"]
    used = c.groupby("article_id")["n"].sum().reindex(words.index, fill_value=0)
    rest = pd.DataFrame({"article_id": words.index, "label": "(other words)",
                         "n": (words - used).clip(lower=0).to_numpy()})
    key = keyness(corpus, pd.concat([c, rest], ignore_index=True), term="label",
                  alpha_0=alpha_0, top=None)  # labels x reports: linear in the reports
    return key[key["label"] != "(other words)"].reset_index(drop=True)


# ---------------------------------------------------------------------------------------------
# Framing edits inside copied text


def _touching(found: pd.DataFrame, start: int, end: int) -> pd.DataFrame:
    """Label matches that share a character with ``[start, end)``, or, for an empty span (an
    insertion or deletion point), that the point falls strictly inside."""
    if start < end:
        hit = (found["start"] < end) & (found["end"] > start)
    else:
        hit = (found["start"] < start) & (found["end"] > start)
    return found[hit]


def _widen(text: str, start: int, end: int, found: pd.DataFrame) -> tuple[int, int]:
    if found.empty:
        return start, end
    return min(start, int(found["start"].min())), max(end, int(found["end"].max()))


def _same(a: str, b: str) -> bool:
    return _normal(a) == _normal(b)


def framing_edits(corpus: Corpus, lexicon: Lexicon, edits: pd.DataFrame,
                  scope: pd.DataFrame | None = None) -> pd.DataFrame:
    """Edits inside copied passages that change which side-taking labels the text uses.

    ``edits`` is ``analysis.reuse.copied_edits(corpus)`` (with its character offsets). Labels
    are matched in the whole texts, and an edit touches a label when a label match overlaps the
    edited span on either side: so a label that only partly lies in the edit counts too (the
    aligner keeps "Syrian" of "Syrian President Bashar Assad's" as copied and edits the rest
    into "army's", which makes "the Syrian army"). An edit is a framing edit when the labels
    it drops or adds include one that takes a side (lexicon ``stance``): "rebels" made
    "militants", or "against terrorists" added. A clause that only adds descriptive labels
    ("in an airstrike blamed on Damascus", which restates a strike the earlier text also
    reports) changes what is told, not how a side is named, and is not one. With ``scope``
    (:func:`lexicon_scope`), only pairs of articles the lexicon applies to are read.
    ``old`` and ``new`` are the edited spans widened to the labels they touch (and the same
    shared words on the other side).
    Columns: ``source_id, target_id, kind, old, new, labels_before, labels_after, groups,
    source_sentence_id, target_sentence_id, source_sentence, target_sentence``.
    """
    _require(edits, EDIT_COLUMNS, "edits")
    cols = ["source_id", "target_id", "kind", "old", "new", "labels_before", "labels_after",
            "groups", "source_sentence_id", "target_sentence_id", "source_sentence",
            "target_sentence"]
    sentences = corpus.sentences.set_index("sentence_id")["text"]
    if scope is not None:
        keep = set(scope.loc[scope["applies"].astype(bool), "article_id"])
        edits = edits[edits["source_id"].isin(keep) & edits["target_id"].isin(keep)]
    descriptive = set(lexicon.descriptive)
    texts: dict[str, str] = {}
    found: dict[str, pd.DataFrame] = {}
    for aid in set(edits["source_id"]) | set(edits["target_id"]):
        texts[aid] = corpus.text(aid)
        found[aid] = find_labels(texts[aid], lexicon)
    rows = []
    for e in edits[edits["kind"].isin(EDIT_KINDS)].itertuples(index=False):
        ss, se, ts, te = (int(e.source_start), int(e.source_end), int(e.target_start),
                          int(e.target_end))
        before = _touching(found[e.source_id], ss, se)
        after = _touching(found[e.target_id], ts, te)
        old, new = list(before["label"]), list(after["label"])
        changed = (Counter(old) - Counter(new)) + (Counter(new) - Counter(old))
        if not set(changed) - descriptive:
            continue  # no label changed, or only descriptive ones
        src, tgt = texts[e.source_id], texts[e.target_id]
        ws, we = _widen(src, ss, se, before)
        wt, wu = _widen(tgt, ts, te, after)
        # copied words taken into one side's span are taken into the other's too
        if ss - ws == 0 and ts - wt > 0 and _same(src[ss - (ts - wt):ss], tgt[wt:ts]):
            ws = ss - (ts - wt)
        if ts - wt == 0 and ss - ws > 0 and _same(tgt[ts - (ss - ws):ts], src[ws:ss]):
            wt = ts - (ss - ws)
        if we - se == 0 and wu - te > 0 and _same(src[se:se + (wu - te)], tgt[te:wu]):
            we = se + (wu - te)
        if wu - te == 0 and we - se > 0 and _same(tgt[te:te + (we - se)], src[se:we]):
            wu = te + (we - se)
        rows.append({
            "source_id": e.source_id, "target_id": e.target_id, "kind": e.kind,
            "old": src[ws:we].strip(), "new": tgt[wt:wu].strip(),
            "labels_before": ", ".join(old), "labels_after": ", ".join(new),
            "groups": ", ".join(dict.fromkeys(lexicon.groups[x] for x in old + new)),
            "source_sentence_id": e.source_sentence_id,
            "target_sentence_id": e.target_sentence_id,
            "source_sentence": str(sentences.get(e.source_sentence_id, "")),
            "target_sentence": str(sentences.get(e.target_sentence_id, "")),
        })
    return pd.DataFrame(rows, columns=cols)


# ---------------------------------------------------------------------------------------------
# Everything at once


@dataclass(frozen=True, eq=False)
class Framing:
    """The framing method's results for one corpus (no scores, no charts)."""

    lexicon: Lexicon
    scope: pd.DataFrame
    uses: pd.DataFrame
    counts: pd.DataFrame
    groups: pd.DataFrame
    keyness: pd.DataFrame
    label_keyness: pd.DataFrame
    edits: pd.DataFrame


def analyse(corpus: Corpus, quotes: pd.DataFrame, reuse_edits: pd.DataFrame,
            lexicon: Lexicon | None = None) -> Framing:
    """Run the framing method: ``quotes`` from ``analysis.quotes.find_quotes``, ``reuse_edits``
    from ``analysis.reuse.copied_edits``; the lexicon defaults to :func:`corpus_lexicon`.
    Labels are counted in the articles the lexicon applies to (:func:`lexicon_scope`); keyness
    compares every article's words."""
    lexicon = lexicon if lexicon is not None else corpus_lexicon(corpus)
    scope = lexicon_scope(corpus, lexicon)
    on = in_scope(corpus, scope)
    uses = label_uses(on, lexicon, quotes)
    counts = label_counts(on, lexicon, uses)
    return Framing(lexicon, scope, uses, counts, group_rates(on, counts),
                   keyness(corpus, top=None),  # the chapter counts every test it makes
                   label_keyness(on, uses), framing_edits(corpus, lexicon, reuse_edits, scope))
