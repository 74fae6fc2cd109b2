"""Words that take sides: contested labels, who uses them in whose voice, keyness, framing edits.

A hand-made lexicon (``data/framing/labels.csv``) lists the words a report can choose for the
armed opposition, the Syrian state and its forces, and the acts of the conflict. This module
finds them in the clean texts, decides for each use whether it is the report's own word or stands
inside a quotation (then it is the speaker's choice), counts them, measures the matcher against
the hand annotation, compares reports word by word with the weighted log-odds ratio of Monroe,
Colaresi and Quinn (2008), and turns the edits found inside copied passages into framing edits.

Quotations come from ``analysis.quotes.find_quotes`` and copied edits from
``analysis.reuse.copied_edits``; the functions here take those frames as arguments.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import altair as alt
import numpy as np
import pandas as pd
from nltk.probability import FreqDist

from analysis import text as tx
from analysis.corpus import PACKAGE_DATA, Corpus

LEXICON_PATH = PACKAGE_DATA / "framing" / "labels.csv"
GOLD_PATH = PACKAGE_DATA / "annotations" / "framing" / "labels_gold.csv"
GROUPS = ("opposition", "state", "act")
VOICES = ("own", "quoted")
LEXICON_COLUMNS = ("group", "label", "surface", "connotation", "rationale")
GOLD_COLUMNS = ("article_id", "sentence_id", "surface", "occurrence", "label", "group", "voice")
QUOTE_COLUMNS = ("article_id", "quote_id", "start", "end", "speaker")
EDIT_COLUMNS = ("source_id", "target_id", "kind", "old", "new", "source_sentence_id",
                "target_sentence_id")
EDIT_KINDS = ("substitution", "insertion", "deletion")

# Keyness prior: the pooled word counts of the five reports, scaled so the prior weighs as much
# as ALPHA_0 words of text, about one report (they have 316 to 747 words). A weaker prior lets
# one or two uses swing the estimate; a much stronger one would hide real differences.
ALPHA_0 = 500.0
Z_CRITICAL = 1.96  # |z| below this is not a difference (two-sided 5 % level)
MIN_COUNT = 4  # a word enters the keyness chart only if it is used at least this often overall


class FramingError(ValueError):
    """Bad framing input: a lexicon, annotation or upstream frame that cannot be used."""


def _require(frame: pd.DataFrame, columns: tuple[str, ...], what: str) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise FramingError(f"{what}: missing column(s) {', '.join(missing)}")


# ---------------------------------------------------------------------------------------------
# The lexicon and the matcher


@dataclass(frozen=True, eq=False)
class Lexicon:
    """The lexicon rows and one compiled pattern with every surface form, longest first."""

    entries: pd.DataFrame
    pattern: re.Pattern

    def label_of(self, surface: str) -> str:
        """Canonical label of a (folded, lower-case) surface form."""
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


def _normal(surface: str) -> str:
    return " ".join(tx.fold_chars(surface).lower().split())


def make_lexicon(entries: pd.DataFrame, source: str = "lexicon") -> Lexicon:
    """Check lexicon rows and compile their matcher; bad rows raise :class:`FramingError`.

    ``source`` (the file name) starts every error message; rows are numbered as in the CSV
    file, the header being row 1.
    """
    _require(entries, ("group", "label", "surface"), source)
    entries = entries.fillna("").astype(str).reset_index(drop=True)
    entries["surface"] = entries["surface"].map(_normal)
    first_surface: dict[str, int] = {}
    label_group: dict[str, tuple[str, int]] = {}
    for i, row in enumerate(entries[["group", "label", "surface"]].to_dict("records"), start=2):
        where = f"{source}, row {i}"
        for col in ("group", "label", "surface"):
            if not row[col].strip():
                raise FramingError(f"{where}: field '{col}' is empty")
        if row["group"] not in GROUPS:
            raise FramingError(f"{where}: unknown group {row['group']!r}; use {list(GROUPS)}")
        if row["surface"] in first_surface:
            raise FramingError(f"{where}: surface form {row['surface']!r} listed twice "
                               f"(first in row {first_surface[row['surface']]})")
        first_surface[row["surface"]] = i
        group, seen = label_group.setdefault(row["label"], (row["group"], i))
        if group != row["group"]:
            raise FramingError(f"{where}: label {row['label']!r} in two groups: "
                               f"{row['group']!r} here, {group!r} in row {seen}")
    forms = sorted(entries["surface"], key=lambda s: (-len(s), s))
    alternatives = "|".join(r"\s+".join(map(re.escape, f.split())) for f in forms)
    pattern = re.compile(rf"(?<![^\W_])(?:{alternatives})(?![^\W_])")
    return Lexicon(entries, pattern)


def load_lexicon(path: Path | str | None = None) -> Lexicon:
    """The lexicon in ``data/framing/labels.csv`` (or ``path``)."""
    path = Path(path) if path is not None else LEXICON_PATH
    if not path.is_file():
        raise FramingError(f"{path}: lexicon file not found")
    return make_lexicon(pd.read_csv(path, dtype=str, keep_default_na=False), source=str(path))


def find_labels(text: str, lexicon: Lexicon) -> pd.DataFrame:
    """Every lexicon label in ``text``: ``start, end, surface`` (as printed), ``label, group``.

    Matching is case-insensitive on folded text; the longest form wins at each place and
    matches never overlap (see ``data/framing/README.md``).
    """
    folded = tx.fold_chars(text).lower()
    rows = []
    for m in lexicon.pattern.finditer(folded):
        label = lexicon.label_of(m.group())
        rows.append((m.start(), m.end(), text[m.start():m.end()], label,
                     lexicon.groups[label]))
    return pd.DataFrame(rows, columns=["start", "end", "surface", "label", "group"]).astype(
        {"start": "int64", "end": "int64"})


def _sentence_of(corpus: Corpus, article_id: str, starts: list[int]) -> list[str]:
    s = corpus.sentences[corpus.sentences["article_id"] == article_id]
    ends = s["end"].to_numpy()
    idx = np.searchsorted(ends, np.asarray(starts, dtype=int), side="right")
    return [s["sentence_id"].iloc[min(i, len(s) - 1)] for i in idx]


def label_uses(corpus: Corpus, lexicon: Lexicon, quotes: pd.DataFrame) -> pd.DataFrame:
    """One row per label use in the five reports, with its sentence and voice.

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
            quote_id.append(inside["quote_id"].iloc[0] if len(inside) else "")
            who = inside["speaker"].iloc[0] if len(inside) else ""
            speaker.append("" if pd.isna(who) else str(who))
        found["voice"] = ["quoted" if qid else "own" for qid in quote_id]
        found["quote_id"], found["speaker"] = quote_id, speaker
        frames.append(found)
    uses = pd.concat(frames, ignore_index=True)
    uses["key"] = uses["surface"].map(_normal)
    uses.insert(4, "occurrence",
                uses.groupby(["sentence_id", "key"]).cumcount().astype("int64") + 1)
    return uses.drop(columns="key")


# ---------------------------------------------------------------------------------------------
# Counts and rates


def label_counts(corpus: Corpus, lexicon: Lexicon, uses: pd.DataFrame) -> pd.DataFrame:
    """Uses of each label per report: total, own, quoted, and rate per 1,000 words.

    One row per report and label that report uses at least once, in publication order, then
    lexicon order. ``rate`` is uses per 1,000 words of the report (all voices).
    """
    a = corpus.articles.set_index("id")
    grid = uses.groupby(["article_id", "label", "voice"]).size().unstack("voice", fill_value=0)
    grid = grid.reindex(columns=list(VOICES), fill_value=0).reset_index()
    grid["n"] = grid["own"] + grid["quoted"]
    grid["group"] = grid["label"].map(lexicon.groups)
    grid["report"] = grid["article_id"].map(a["label"])
    grid["words"] = grid["article_id"].map(a["n_words"]).astype("int64")
    grid["rate"] = (1000 * grid["n"] / grid["words"]).round(2)
    order = {aid: i for i, aid in enumerate(corpus.articles["id"])}
    lab = {label: i for i, label in enumerate(lexicon.labels)}
    grid = grid.sort_values(["article_id", "label"], key=lambda s: s.map(
        order if s.name == "article_id" else lab)).reset_index(drop=True)
    return grid[["article_id", "report", "group", "label", "n", "own", "quoted", "words",
                 "rate"]].astype({"n": "int64", "own": "int64", "quoted": "int64"})


def choice_table(corpus: Corpus, lexicon: Lexicon, counts: pd.DataFrame) -> pd.DataFrame:
    """Labels by report, as the reader's table: ``n`` uses, ``(q)`` of them quoted, blank if none."""
    cell = counts["n"].astype(str) + np.where(counts["quoted"] > 0,
                                              " (" + counts["quoted"].astype(str) + " q)", "")
    wide = (counts.assign(cell=cell).pivot(index="label", columns="report", values="cell")
            .reindex(index=[lb for lb in lexicon.labels if lb in set(counts["label"])],
                     columns=list(corpus.articles["label"])).fillna(""))
    wide.insert(0, "group", [lexicon.groups[lb] for lb in wide.index])
    return wide.reset_index().rename_axis(columns=None)


def choice_chart(corpus: Corpus, lexicon: Lexicon, counts: pd.DataFrame) -> alt.VConcatChart:
    """Heat map of label choices: uses per 1,000 words by report, one block per group.

    Cells give the count of uses and, in brackets, how many of them are quoted (``q``).
    """
    data = counts.assign(text=counts["n"].astype(str) + np.where(
        counts["quoted"] > 0, " (" + counts["quoted"].astype(str) + "q)", ""))
    reports = list(corpus.articles["label"])
    top = float(data["rate"].max()) if len(data) else 1.0
    color = alt.Color("rate:Q", title="Uses per 1,000 words",
                      scale=alt.Scale(scheme="blues", domain=[0, top]))
    blocks = []
    for i, group in enumerate(GROUPS):
        part = data[data["group"] == group]
        order = [lb for lb in lexicon.labels if lb in set(part["label"])]
        base = alt.Chart(part).encode(
            x=alt.X("report:N", title=None, sort=reports, scale=alt.Scale(domain=reports),
                    axis=alt.Axis(labelAngle=0, orient="top", labels=i == 0, ticks=i == 0)),
            y=alt.Y("label:N", sort=order, title=group))
        rect = base.mark_rect(stroke="white").encode(
            color=color,
            tooltip=["report:N", "group:N", "label:N", "n:Q", "own:Q", "quoted:Q", "rate:Q"])
        text = base.mark_text(fontSize=12).encode(
            text="text:N",
            color=alt.condition(alt.datum.rate > 0.55 * top, alt.value("white"),
                                alt.value("#222")))
        blocks.append((rect + text).properties(width=600, height=alt.Step(22)))
    return alt.vconcat(*blocks, spacing=8).resolve_scale(color="shared")


def group_rates(corpus: Corpus, counts: pd.DataFrame) -> pd.DataFrame:
    """Per report and group: uses, own, quoted and the rate per 1,000 words."""
    g = counts.groupby(["article_id", "group"], as_index=False)[["n", "own", "quoted"]].sum()
    full = pd.MultiIndex.from_product([corpus.articles["id"], GROUPS],
                                      names=["article_id", "group"])
    g = g.set_index(["article_id", "group"]).reindex(full, fill_value=0).reset_index()
    words = corpus.articles.set_index("id")["n_words"]
    g["rate"] = (1000 * g["n"] / g["article_id"].map(words)).round(2)
    return g


def group_table(corpus: Corpus, counts: pd.DataFrame) -> pd.DataFrame:
    """Per report: words, then for each group "uses · uses per 1,000 words" (all voices)."""
    g = group_rates(corpus, counts).set_index(["article_id", "group"])
    out = pd.DataFrame({"report": corpus.articles["label"], "words": corpus.articles["n_words"]})
    for group in GROUPS:
        out[f"{group} (uses · per 1,000 words)"] = [
            f"{g.loc[(aid, group), 'n']} · {g.loc[(aid, group), 'rate']:.1f}"
            for aid in corpus.articles["id"]]
    return out.reset_index(drop=True)


# ---------------------------------------------------------------------------------------------
# Validation against the hand annotation


def load_gold(path: Path | str | None = None, *, corpus: Corpus | None = None,
              lexicon: Lexicon | None = None) -> pd.DataFrame:
    """The hand annotation ``data/annotations/framing/labels_gold.csv`` (or ``path``), checked.

    Every row needs its fields, an ``occurrence`` of 1 or more, a known voice and group. With
    ``corpus``: the sentence must be one of its article and hold the surface form at least
    ``occurrence`` times. With ``lexicon``: the label must be a lexicon label of that group.
    Errors name the file and row (the header is row 1).
    """
    path = Path(path) if path is not None else GOLD_PATH
    if not path.is_file():
        raise FramingError(f"{path}: annotation file not found")
    gold = pd.read_csv(path, dtype=str, keep_default_na=False)
    _require(gold, GOLD_COLUMNS, f"{path}")
    sentences = corpus.sentences.set_index("sentence_id") if corpus is not None else None
    groups = lexicon.groups if lexicon is not None else None
    for i, row in enumerate(gold[list(GOLD_COLUMNS)].to_dict("records"), start=2):
        where = f"{path}, row {i}"
        for col in GOLD_COLUMNS:
            if not row[col].strip():
                raise FramingError(f"{where}: field '{col}' is empty")
        occurrence = row["occurrence"].strip()
        if not occurrence.isdigit() or int(occurrence) < 1:
            raise FramingError(f"{where}: occurrence {row['occurrence']!r} is not a whole "
                               "number of 1 or more")
        if row["voice"] not in VOICES:
            raise FramingError(f"{where}: voice {row['voice']!r} is not one of {list(VOICES)}")
        if row["group"] not in GROUPS:
            raise FramingError(f"{where}: group {row['group']!r} is not one of {list(GROUPS)}")
        if sentences is not None:
            sid = row["sentence_id"]
            if sid not in sentences.index:
                raise FramingError(f"{where}: sentence {sid!r} is not in the corpus")
            if sentences.loc[sid, "article_id"] != row["article_id"]:
                raise FramingError(f"{where}: sentence {sid!r} is not in {row['article_id']!r}")
            n = tx.fold_chars(sentences.loc[sid, "text"]).lower().count(
                tx.fold_chars(row["surface"]).lower())
            if n < int(occurrence):
                raise FramingError(f"{where}: {row['surface']!r} occurs {n} time(s) in {sid}, "
                                   f"so occurrence {occurrence} is not there")
        if groups is not None:
            if row["label"] not in groups:
                raise FramingError(f"{where}: label {row['label']!r} is not in the lexicon")
            if groups[row["label"]] != row["group"]:
                raise FramingError(f"{where}: label {row['label']!r} is in group "
                                   f"{groups[row['label']]!r} in the lexicon, not "
                                   f"{row['group']!r}")
    return gold.assign(occurrence=gold["occurrence"].str.strip().astype("int64"))


@dataclass(frozen=True)
class Scores:
    """Precision, recall and F1 with the counts they come from."""

    tp: int
    fp: int
    fn: int

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else float("nan")

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else float("nan")

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else float("nan")


@dataclass(frozen=True, eq=False)
class Evaluation:
    """The matcher against the annotation.

    ``matching``: a use is found when article, sentence, surface form (folded, lower case) and
    occurrence agree. ``labels``: found uses whose canonical label and group also agree.
    ``quoted``: the quoted decision on found uses, ``quoted`` as the positive class.
    ``errors``: missed and spurious uses and wrong voices, for the reader.
    """

    matching: Scores
    labels_agree: int
    quoted: Scores
    voice_agree: int
    errors: pd.DataFrame


def evaluate(uses: pd.DataFrame, gold: pd.DataFrame) -> Evaluation:
    """Score ``label_uses`` output against the hand annotation."""
    _require(uses, ("article_id", "sentence_id", "surface", "occurrence", "label", "voice"),
             "uses")
    keys = ["article_id", "sentence_id", "key", "occurrence"]
    found = uses.assign(key=uses["surface"].map(_normal))
    truth = gold.assign(key=gold["surface"].map(_normal))
    both = found.merge(truth, on=keys, how="outer", suffixes=("_found", "_gold"),
                       indicator=True)
    hit = both[both["_merge"] == "both"]
    matching = Scores(len(hit), int((both["_merge"] == "left_only").sum()),
                      int((both["_merge"] == "right_only").sum()))
    labels_agree = int((hit["label_found"] == hit["label_gold"]).sum())
    vf, vg = hit["voice_found"] == "quoted", hit["voice_gold"] == "quoted"
    quoted = Scores(int((vf & vg).sum()), int((vf & ~vg).sum()), int((~vf & vg).sum()))
    what = np.select(
        [both["_merge"] == "left_only", both["_merge"] == "right_only",
         both["voice_found"] != both["voice_gold"]],
        ["found, not annotated", "annotated, not found", "wrong voice"], "")
    errors = both.assign(error=what)
    errors = errors[errors["error"] != ""]
    errors = pd.DataFrame({
        "error": errors["error"], "sentence": errors["sentence_id"],
        "surface": errors["surface_found"].fillna(errors["surface_gold"]),
        "label": errors["label_found"].fillna(errors["label_gold"]),
        "voice found": errors["voice_found"].fillna(""),
        "voice annotated": errors["voice_gold"].fillna(""),
    }).sort_values(["error", "sentence", "surface"]).reset_index(drop=True)
    return Evaluation(matching, labels_agree, quoted, int((vf == vg).sum()), errors)


def evaluation_table(ev: Evaluation) -> pd.DataFrame:
    """The scores as a small table for the chapter."""
    rows = [("label matching", ev.matching), ("quoted vs own voice", ev.quoted)]
    return pd.DataFrame([{
        "decision": name, "true positives": s.tp, "false positives": s.fp,
        "false negatives": s.fn, "precision": round(s.precision, 3),
        "recall": round(s.recall, 3), "F1": round(s.f1, 3)} for name, s in rows])


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
    n_i, n_j = y_i.sum(), y_j.sum()
    delta = (np.log((y_i + alpha) / (n_i + alpha_0 - y_i - alpha))
             - np.log((y_j + alpha) / (n_j + alpha_0 - y_j - alpha)))
    se = np.sqrt(1 / (y_i + alpha) + 1 / (y_j + alpha))
    return delta, se, delta / se


def keyness(corpus: Corpus, counts: pd.DataFrame | None = None, *, term: str = "word",
            alpha_0: float = ALPHA_0) -> pd.DataFrame:
    """Each report against the four others pooled, for every term of ``counts``.

    ``counts`` has ``article_id``, the term column and ``n`` (default: :func:`word_counts`).
    The prior is the pooled counts of all five reports. Positive ``z``: the report uses the term
    more than the rest; ``|z| < 1.96`` is no difference at the 5 % level. Sorted by report
    (publication order), then ``z`` descending, then term, so ties are stable.
    """
    counts = word_counts(corpus) if counts is None else counts
    _require(counts, ("article_id", term, "n"), "counts")
    table = counts.pivot_table(index=term, columns="article_id", values="n", aggfunc="sum",
                               fill_value=0).sort_index()
    table = table.reindex(columns=list(corpus.articles["id"]), fill_value=0)
    pooled = table.sum(axis=1).to_numpy()
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
    order = {aid: i for i, aid in enumerate(corpus.articles["id"])}
    return out.sort_values(["article_id", "z", term], ascending=[True, False, True],
                           key=lambda s: s.map(order) if s.name == "article_id" else s
                           ).reset_index(drop=True)


def keyness_top(key: pd.DataFrame, *, per_report: int = 6, min_count: int = MIN_COUNT,
                term: str = "word") -> pd.DataFrame:
    """The ``per_report`` most over-used terms of each report (largest z), among terms used at
    least ``min_count`` times in all; ties broken by term."""
    ok = key[(key["n_report"] + key["n_rest"]) >= min_count]
    top = ok.groupby("article_id", sort=False, group_keys=False).head(per_report)
    return top.reset_index(drop=True)


def keyness_chart(corpus: Corpus, top: pd.DataFrame, *, term: str = "word") -> alt.FacetChart:
    """z of the top terms of each report against the rest, with the ±1.96 band in grey."""
    data = top.assign(rank=top.groupby("article_id", sort=False).cumcount())
    lo, hi = -Z_CRITICAL, Z_CRITICAL
    domain = [min(-2.0, float(np.floor(data["z"].min()))),
              max(2.5, float(np.ceil(data["z"].max() * 2) / 2))]
    band = alt.Chart().mark_rect(color="#dddddd", opacity=0.6).encode(
        x=alt.datum(lo), x2=alt.datum(hi))
    bars = alt.Chart().mark_bar(height=12).encode(
        x=alt.X("z:Q", title="z (report against the rest)",
                scale=alt.Scale(domain=domain, nice=False)),
        y=alt.Y(f"{term}:N", title=None, sort=alt.EncodingSortField("rank", order="ascending")),
        color=alt.condition(alt.datum.significant, alt.value("#0072B2"), alt.value("#999999")),
        tooltip=["report:N", f"{term}:N", "n_report:Q", "n_rest:Q", "z:Q", "delta:Q"])
    labels = alt.Chart().mark_text(align="left", dx=3, fontSize=11, color="#222").encode(
        x="z:Q", y=alt.Y(f"{term}:N", sort=alt.EncodingSortField("rank", order="ascending")),
        text=alt.Text("n_report:Q"))
    return (alt.layer(band, bars, labels, data=data).properties(width=220, height=110)
            .facet(facet=alt.Facet("report:N", title=None, sort=list(corpus.articles["label"])),
                   columns=3)
            .resolve_scale(y="independent").resolve_axis(x="independent"))


def label_keyness(corpus: Corpus, uses: pd.DataFrame, *, alpha_0: float = ALPHA_0,
                  voice: str | None = None) -> pd.DataFrame:
    """Keyness of the labels themselves: each report's label uses against the others'.

    The prior is the pooled label counts; non-label words are one extra term ``(other words)``
    so each report's total is its word count and rates, not raw counts, are compared.
    """
    u = uses if voice is None else uses[uses["voice"] == voice]
    c = u.groupby(["article_id", "label"]).size().rename("n").reset_index()
    words = corpus.articles.set_index("id")["n_words"]
    used = c.groupby("article_id")["n"].sum().reindex(words.index, fill_value=0)
    rest = pd.DataFrame({"article_id": words.index, "label": "(other words)",
                         "n": (words - used).to_numpy()})
    key = keyness(corpus, pd.concat([c, rest], ignore_index=True), term="label",
                  alpha_0=alpha_0)
    return key[key["label"] != "(other words)"].reset_index(drop=True)


# ---------------------------------------------------------------------------------------------
# Framing edits inside copied text


def framing_edits(corpus: Corpus, lexicon: Lexicon, edits: pd.DataFrame) -> pd.DataFrame:
    """Edits inside copied passages that change which labels the text uses.

    ``edits`` is ``analysis.reuse.copied_edits(corpus)``. An edit of kind substitution, insertion
    or deletion is a framing edit when the labels found in its old words differ from those in its
    new words. Both whole sentences are given, source then copy.
    """
    _require(edits, EDIT_COLUMNS, "edits")
    sentences = corpus.sentences.set_index("sentence_id")["text"]
    labels = corpus.articles.set_index("id")["label"]
    rows = []
    for e in edits[edits["kind"].isin(EDIT_KINDS)].itertuples(index=False):
        old = list(find_labels(str(e.old or ""), lexicon)["label"])
        new = list(find_labels(str(e.new or ""), lexicon)["label"])
        if Counter(old) == Counter(new):
            continue
        rows.append({
            "source": labels.get(e.source_id, e.source_id),
            "copy": labels.get(e.target_id, e.target_id), "kind": e.kind,
            "old": str(e.old or ""), "new": str(e.new or ""),
            "label before": ", ".join(old) or "(none)", "label after": ", ".join(new) or "(none)",
            "groups": ", ".join(dict.fromkeys(lexicon.groups[x] for x in old + new)),
            "source sentence": sentences.get(e.source_sentence_id, ""),
            "copy sentence": sentences.get(e.target_sentence_id, ""),
            "source_sentence_id": e.source_sentence_id,
            "target_sentence_id": e.target_sentence_id,
        })
    cols = ["source", "copy", "kind", "old", "new", "label before", "label after", "groups",
            "source sentence", "copy sentence", "source_sentence_id", "target_sentence_id"]
    return pd.DataFrame(rows, columns=cols)


# ---------------------------------------------------------------------------------------------
# Tables for the reader and the numbers the chapter states


def lexicon_table(lexicon: Lexicon) -> pd.DataFrame:
    """One row per label: group, its written forms and the connotation note."""
    e = lexicon.entries
    out = e.groupby("label", sort=False).agg(
        group=("group", "first"), forms=("surface", ", ".join),
        connotation=("connotation", "first") if "connotation" in e else ("group", "first"))
    return out.reset_index()[["group", "label", "forms", "connotation"]]


def quoted_uses(corpus: Corpus, uses: pd.DataFrame) -> pd.DataFrame:
    """Every label use inside a quotation, with its speaker and sentence."""
    labels = corpus.articles.set_index("id")["label"]
    sentences = corpus.sentences.set_index("sentence_id")["text"]
    q = uses[uses["voice"] == "quoted"]
    return pd.DataFrame({
        "report": q["article_id"].map(labels), "label": q["label"], "as printed": q["surface"],
        "speaker": q["speaker"].replace("", "(not named)"),
        "sentence": q["sentence_id"] + ": " + q["sentence_id"].map(sentences),
    }).reset_index(drop=True)


def _slug(label: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", label.lower()).strip("_")


FOCUS_LABELS = ("rebels", "militants", "terrorists", "Turkey-backed", "regime", "government",
                "Syrian army", "Damascus")


def key_numbers(corpus: Corpus, uses: pd.DataFrame, ev: Evaluation, key: pd.DataFrame,
                label_key: pd.DataFrame, edits: pd.DataFrame) -> dict[str, object]:
    """The numbers the framing chapter states in prose, by glue name (all prefixed ``fr_``).

    Per report (id with hyphens removed) and focus label: ``fr_<id>_<label>_own`` and
    ``fr_<id>_<label>_quoted``.
    """
    labels = corpus.articles.set_index("id")["label"]
    tested = key[(key["n_report"] + key["n_rest"]) >= MIN_COUNT]
    top = label_key.loc[label_key["z"].abs().idxmax()]
    out: dict[str, object] = {
        "fr_n_uses": len(uses),
        "fr_n_quoted": int((uses["voice"] == "quoted").sum()),
        "fr_n_labels_used": int(uses["label"].nunique()),
        "fr_match_tp": ev.matching.tp, "fr_match_fp": ev.matching.fp,
        "fr_match_fn": ev.matching.fn,
        "fr_match_p": f"{ev.matching.precision:.2f}", "fr_match_r": f"{ev.matching.recall:.2f}",
        "fr_match_f1": f"{ev.matching.f1:.2f}", "fr_labels_agree": ev.labels_agree,
        "fr_quoted_tp": ev.quoted.tp, "fr_quoted_fp": ev.quoted.fp,
        "fr_quoted_fn": ev.quoted.fn,
        "fr_quoted_p": f"{ev.quoted.precision:.2f}", "fr_quoted_r": f"{ev.quoted.recall:.2f}",
        "fr_quoted_f1": f"{ev.quoted.f1:.2f}", "fr_voice_agree": ev.voice_agree,
        "fr_alpha0": f"{ALPHA_0:,.0f}", "fr_min_count": MIN_COUNT,
        "fr_words_tested": int(tested["word"].nunique()),
        "fr_tests": len(tested),
        "fr_tests_expected_by_chance": f"{0.05 * len(tested):.0f}",
        "fr_words_significant": int(tested["significant"].sum()),
        "fr_labels_significant": int(label_key["significant"].sum()),
        "fr_label_max_z": f"{abs(top['z']):.2f}", "fr_label_max_z_label": top["label"],
        "fr_label_max_z_report": labels[top["article_id"]],
        "fr_label_max_z_n": int(top["n_report"]), "fr_label_max_z_rest": int(top["n_rest"]),
        "fr_n_framing_edits": len(edits),
    }
    for article_id in corpus.articles["id"]:
        u = uses[uses["article_id"] == article_id]
        tag = article_id.replace("-", "")
        out[f"fr_{tag}_uses"] = len(u)
        out[f"fr_{tag}_quoted"] = int((u["voice"] == "quoted").sum())
        for label in FOCUS_LABELS:
            for voice in VOICES:
                out[f"fr_{tag}_{_slug(label)}_{voice}"] = int(
                    ((u["label"] == label) & (u["voice"] == voice)).sum())
    return out


@dataclass(frozen=True, eq=False)
class Framing:
    """Everything the framing chapter shows, computed once from the corpus and upstream frames."""

    lexicon: Lexicon
    uses: pd.DataFrame
    counts: pd.DataFrame
    evaluation: Evaluation
    keyness: pd.DataFrame
    label_keyness: pd.DataFrame
    edits: pd.DataFrame
    numbers: dict[str, object]


def analyse(corpus: Corpus, quotes: pd.DataFrame, reuse_edits: pd.DataFrame,
            lexicon: Lexicon | None = None, gold: pd.DataFrame | None = None) -> Framing:
    """Run the whole framing analysis: ``quotes`` from ``analysis.quotes.find_quotes``,
    ``reuse_edits`` from ``analysis.reuse.copied_edits``; lexicon and annotation from ``data/``."""
    lexicon = lexicon if lexicon is not None else load_lexicon()
    uses = label_uses(corpus, lexicon, quotes)
    ev = evaluate(uses, gold if gold is not None else load_gold(corpus=corpus, lexicon=lexicon))
    key = keyness(corpus)
    label_key = label_keyness(corpus, uses)
    edits = framing_edits(corpus, lexicon, reuse_edits)
    return Framing(lexicon, uses, label_counts(corpus, lexicon, uses), ev, key, label_key,
                   edits, key_numbers(corpus, uses, ev, key, label_key, edits))


def edits_table(edits: pd.DataFrame) -> pd.DataFrame:
    """Framing edits for the reader: who copied whom, the change, the labels, both sentences."""
    return pd.DataFrame({
        "copied": edits["source"] + " → " + edits["copy"],
        "edit": [{"insertion": f"inserted “{n}”", "deletion": f"deleted “{o}”"}.get(
            k, f"“{o}” → “{n}”") for k, o, n in zip(edits["kind"], edits["old"], edits["new"])],
        "labels": edits["label before"] + " → " + edits["label after"],
        "original sentence": edits["source_sentence_id"] + ": " + edits["source sentence"],
        "edited sentence": edits["target_sentence_id"] + ": " + edits["copy sentence"],
    })
