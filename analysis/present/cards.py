"""One card per article: what it copies and from whom, the edits inside the copied text, its
figures and who confirms them, who speaks in it, its spin evidence, and the copied passages.

Every other page of the book follows one method across all articles; a card follows one article
across all methods, on one screen. Cards are built from a stored run only (:func:`from_run`), so
the book page ("Article cards"), ``cards.html`` and ``cards.csv`` written beside a run by
``python -m analysis run`` show the same thing for any folder.

Counts know reprints (:mod:`analysis.independence`): a figure is *independently confirmed* only
by a text in another copy group (texts that do not copy each other, directly or through a
chain); a quotation or a figure inside text the article copied repeats its source's, so it is
not a distinct utterance of this article.

Every value that comes from a manifest or an article is untrusted: :func:`card_html` escapes it
(``html.escape``) and the page carries no script. Reader text names articles by their manifest
``label``, never by id; ids appear only in ``cards.csv`` (``article_id``) and nowhere on a page.
"""

from __future__ import annotations

import html
import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from analysis import independence
from analysis.present.words import capital, count, join, number, verb
from analysis.store import RunFolderError, StoredRun, write_csv

CONTENT_KINDS = ("substitution", "insertion", "deletion")
MINOR_KINDS = {"spelling": ("spelling variant", None),
               "punctuation": ("punctuation or quote-style change", None),
               "function_word": ("function-word change", None)}
UNKNOWN_SPEAKERS = {"", "unknown"}
REUSE_SECTION = "02_reuse.html#the-copied-passages-side-by-side"  # chapter 2, from a book page

# cards.csv: one row per article; the run README lists these with what they mean.
CSV_COLUMNS: dict[str, str] = {
    "article_id": "The article (manifest `id`).",
    "label": "Its reader name (manifest `label`).",
    "date": "Publication date (manifest `date`).",
    "words": "Words of the clean text.",
    "copy_group": "Copy group: the smallest `article_id` of the articles joined to it by "
                  "copying pairs (`directions`); texts in different groups do not copy each "
                  "other.",
    "copied_share": "Share of its words aligned word for word with earlier articles "
                    "(`composition.derived_share`; 0 when it copies nothing).",
    "n_sources": "Earlier articles it copies passages from.",
    "main_source_id": "The earlier article it copies most words from (empty if none).",
    "main_source_share": "Share of its words aligned with that article.",
    "n_passages": "Copied passages (primary passages into it).",
    "n_copied_by": "Later articles that copy passages from it.",
    "n_label_edits": "Edits inside its copied text that change a contested label "
                     "(`framing_edits`).",
    "n_content_edits": "Other content edits inside its copied text (substitutions, insertions, "
                       "deletions).",
    "n_minor_edits": "Spelling, punctuation and function-word edits inside its copied text.",
    "n_figures": "Distinct figures it gives (quantitative claims, one per quantity and value).",
    "n_figures_copied": "Of those, figures inside text it copied.",
    "n_figures_confirmed": "Figures another article gives with the same value.",
    "n_figures_independent": "Figures an article of another copy group gives with the same "
                             "value (independent confirmation).",
    "n_quotes": "Quotations.",
    "n_quotes_repeated": "Quotations inside copied text (they repeat the source's).",
    "n_reported": "Sentences of reported speech (sentence and speaker).",
    "n_utterances": "Distinct utterances: sentences giving voice to a speaker, once per "
                    "speaker, not inside copied text.",
    "n_utterances_repeated": "Such sentences inside copied text.",
    "n_speakers": "Speakers heard in it (unknown speakers left out).",
    "n_spin_flags": "Words or phrases flagged as signs of machine spinning.",
    "n_spin_flags_copied": "Of those, flags inside copied text (the source's wording).",
    "spin_per_100_words": "Flags per 100 words.",
    "spin_threshold": "The document line for its decision.",
    "spun": "True when its flags per 100 words reach the line.",
}


# --- What a card holds ----------------------------------------------------------------------

@dataclass(frozen=True)
class Source:
    """An earlier article this one copies from: words aligned with it, as a share, passages."""

    article_id: str
    label: str
    words: int
    share: float
    passages: tuple[int, ...]  # numbers of the card's passages that come from it


@dataclass(frozen=True)
class Passage:
    """A copied passage as the article prints it, numbered on the card."""

    number: int
    source_label: str
    aligned_words: int
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Edit:
    """An edit inside copied text; ``labels`` says which contested labels it changes."""

    kind: str
    old: str
    new: str
    source_label: str
    passage: int | None
    labels_before: str = ""
    labels_after: str = ""

    @property
    def changes_label(self) -> bool:
        return bool(self.labels_before or self.labels_after)


@dataclass(frozen=True)
class Figure:
    """A figure the article gives, and what the other articles say about it."""

    surface: str
    quantity: str
    credited: str
    mentions: int
    denied: bool
    copied_from: str  # label of the article whose copied text holds it, or ""
    passage: int | None
    independent: tuple[str, ...]  # labels of other copy groups giving the same value
    same_group: tuple[str, ...]  # labels of its own copy group giving the same value
    others: tuple[str, ...]  # "label: figure" of articles giving another value
    verdict: str


@dataclass(frozen=True)
class Voice:
    """A speaker heard in the article: utterances of its own, and repeated from a source."""

    speaker: str
    own: int
    repeated: int
    quotes: int
    repeated_from: tuple[str, ...]


@dataclass(frozen=True)
class Flag:
    """A spin flag: the flagged word, its phrase, the likelier original, copied or not."""

    surface: str
    phrase: str
    original: str
    copied_from: str
    passage: int | None


@dataclass(frozen=True)
class Card:
    """Everything one article's card shows (see the module docstring)."""

    article_id: str
    label: str
    date: str
    words: int
    copy_group: str
    group_labels: tuple[str, ...]  # the other articles of its copy group (at most MAX_NAMED)
    group_size: int  # articles in its copy group, itself included
    copied_share: float
    meter: str
    sources: tuple[Source, ...]
    copied_by: tuple[tuple[str, int], ...]  # (label, passages)
    common_source: tuple[str, ...]  # sentences
    passages: tuple[Passage, ...]
    label_edits: tuple[Edit, ...]
    content_edits: tuple[Edit, ...]
    minor_edits: dict[str, int]
    figures: tuple[Figure, ...]
    n_quotes: int
    n_quotes_repeated: int
    n_reported: int
    voices: tuple[Voice, ...]
    spin: dict[str, object]
    flags: tuple[Flag, ...]
    paired: tuple[tuple[str, str, str, str], ...]  # (old, new, side, reason)

    @property
    def n_utterances(self) -> int:
        return sum(v.own for v in self.voices)

    @property
    def n_utterances_repeated(self) -> int:
        return sum(v.repeated for v in self.voices)

    def row(self) -> dict[str, object]:
        """The card's counts, one tidy row (columns: :data:`CSV_COLUMNS`)."""
        main = max(self.sources, key=lambda s: s.words, default=None)
        return {
            "article_id": self.article_id, "label": self.label, "date": self.date,
            "words": self.words, "copy_group": self.copy_group,
            "copied_share": round(self.copied_share, 4), "n_sources": len(self.sources),
            "main_source_id": main.article_id if main else "",
            "main_source_share": round(main.share, 4) if main else 0.0,
            "n_passages": len(self.passages), "n_copied_by": len(self.copied_by),
            "n_label_edits": len(self.label_edits), "n_content_edits": len(self.content_edits),
            "n_minor_edits": sum(self.minor_edits.values()),
            "n_figures": len(self.figures),
            "n_figures_copied": sum(bool(f.copied_from) for f in self.figures),
            "n_figures_confirmed": sum(bool(f.independent or f.same_group)
                                       for f in self.figures),
            "n_figures_independent": sum(bool(f.independent) for f in self.figures),
            "n_quotes": self.n_quotes, "n_quotes_repeated": self.n_quotes_repeated,
            "n_reported": self.n_reported, "n_utterances": self.n_utterances,
            "n_utterances_repeated": self.n_utterances_repeated,
            "n_speakers": len(self.voices),
            "n_spin_flags": int(self.spin.get("n_flags", 0)),
            "n_spin_flags_copied": sum(bool(f.copied_from) for f in self.flags),
            "spin_per_100_words": self.spin.get("per_100_words", float("nan")),
            "spin_threshold": self.spin.get("threshold", float("nan")),
            "spun": bool(self.spin.get("spun", False)),
        }


@dataclass(frozen=True)
class Deck:
    """The cards of a run, in the run's article order."""

    cards: tuple[Card, ...]
    chapter_links: bool = field(default=False)

    def frame(self) -> pd.DataFrame:
        """``cards.csv``: one row per article."""
        return pd.DataFrame([c.row() for c in self.cards], columns=list(CSV_COLUMNS))

    def _repr_html_(self) -> str:
        return deck_html(self, chapter_links=self.chapter_links)

    def __repr__(self) -> str:
        return f"Deck: {len(self.cards)} article cards"

    def for_book(self) -> Deck:
        """The same cards, with links to the side-by-side passages of chapter 2."""
        return Deck(self.cards, chapter_links=True)


# --- Reading the run ------------------------------------------------------------------------

def _table(run: StoredRun, name: str, columns: Iterable[str]) -> pd.DataFrame:
    """A run table with at least ``columns`` (a table a failed step left empty, or one an older
    run lacks, reads as no rows)."""
    columns = list(columns)
    try:
        frame = run.table(name)
    except RunFolderError:
        return pd.DataFrame(columns=columns)
    if not set(columns) <= set(frame.columns):
        if len(frame):
            missing = sorted(set(columns) - set(frame.columns))
            raise RunFolderError(f"the run's table {name!r} lacks the column(s) "
                                 f"{', '.join(missing)}; run again", file=run.path)
        return pd.DataFrame(columns=columns)
    return frame


def _text(value: object) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if value is pd.NaT or (not isinstance(value, str) and pd.isna(value)):
        return ""
    return str(value)


def _figure_value(row) -> tuple:
    """A figure's value for "same figure": (value, low, high), missing parts as None."""
    def f(x):
        return None if x is None or pd.isna(x) else float(x)
    return (f(row["value"]), f(row["low"]), f(row["high"]))


def _passage_at(passages: list[Passage], start: int, end: int) -> int | None:
    for p in passages:
        if p.start <= start and end <= p.end:
            return p.number
    for p in passages:
        if p.start <= start < p.end:
            return p.number
    return None


class _Rows:
    """A frame's rows by the value of one column, grouped once (so each article's rows cost
    their own number, and all cards together stay linear in the run's size)."""

    def __init__(self, frame: pd.DataFrame, column: str):
        self.frame = frame
        self.index = (frame.groupby(column, sort=False).indices
                      if len(frame) and column in frame else {})

    def __call__(self, value: object) -> pd.DataFrame:
        rows = self.index.get(value)
        return self.frame.iloc[0:0] if rows is None else self.frame.iloc[rows]


MAX_NAMED = 12  # a copy group's other members named on a card, at most


def from_run(run: StoredRun) -> Deck:
    """The cards of every article of ``run``."""
    from analysis.claims import format_value, group_keys, source_name

    articles = _table(run, "articles", ["article_id", "label", "date", "n_words", "text"])
    ids = [str(a) for a in articles["article_id"]]
    labels = {a: (_text(lab).strip() or "(no label)")
              for a, lab in zip(ids, articles["label"])}
    texts = dict(zip(ids, articles["text"].map(_text)))
    directions = _table(run, "directions", ["source_id", "target_id"])
    groups = independence.copy_groups(ids, directions)
    passages = _table(run, "passages", ["source_id", "target_id", "target_start", "target_end",
                                        "aligned_words", "primary"])
    primary = passages[passages["primary"].astype(bool)] if len(passages) else passages
    copied = (independence.copied_spans(passages) if len(passages)
              else pd.DataFrame(columns=["article_id", "start", "end", "source_id"]))

    def copied_from(frame: pd.DataFrame) -> pd.Series:
        if frame.empty:
            return pd.Series([], dtype="object")
        return independence.copied_from(frame, copied)

    composition = _table(run, "composition", ["article_id", "derived_share", "meter"])
    composition = composition.set_index("article_id")
    sentences = _table(run, "sentences", ["article_id", "sentence_id", "start"])
    sentence_article = dict(zip(sentences["sentence_id"], sentences["article_id"]))
    sentence_start = dict(zip(sentences["sentence_id"], sentences["start"]))
    labelled = _table(run, "sentence_labels", ["article_id", "source_sentence_id",
                                               "aligned_words", "label"])
    derived = labelled[labelled["label"].isin(["verbatim", "edited"])].assign(
        source_id=lambda f: f["source_sentence_id"].map(sentence_article))
    derived_words = derived.groupby(["article_id", "source_id"])["aligned_words"].sum()
    common = _table(run, "common_source", ["target", "earlier", "later", "shared_with_both",
                                           "only_in_earlier", "only_in_later",
                                           "spelled_as_earlier", "spelled_as_later"])
    edits = _table(run, "edits", ["source_id", "target_id", "kind", "old", "new",
                                  "target_sentence_id", "target_start", "target_end"])
    framing = _table(run, "framing_edits", ["source_id", "target_id", "kind", "old", "new",
                                            "labels_before", "labels_after",
                                            "target_sentence_id"])
    claims = _table(run, "claims", ["article_id", "start", "end", "surface", "value", "low",
                                    "high", "hedge", "exact", "counted", "event", "side",
                                    "source", "stance", "date_start", "date_end"])
    comparison = _table(run, "claim_comparison", ["key", "verdict"])
    verdicts = dict(zip(comparison["key"], comparison["verdict"]))
    quotes = _table(run, "quotes", ["article_id", "sentence_id", "speaker", "start", "end"])
    reported = _table(run, "reported_speech", ["article_id", "sentence_id", "speaker", "cue",
                                               "cue_start"])
    scores = _table(run, "spin_scores", ["article_id", "n_flags", "per_100_words",
                                         "threshold", "spun"]).set_index("article_id")
    flags = _table(run, "spin_flags", ["article_id", "sentence_id", "surface", "phrase",
                                       "original_phrase", "start", "end"])
    paired = _table(run, "spin_paired", ["target_id", "old", "new", "side", "reason"])

    # Claims: comparison keys, figures, spans in the clean text, copied or not.
    claims = claims[claims["counted"].astype(str) != ""].copy() if len(claims) else claims
    if len(claims):
        claims["key"] = group_keys(claims)
        claims["figure"] = claims.apply(format_value, axis=1)
        claims["copied_from"] = copied_from(claims[["article_id", "start", "end"]]).to_numpy()
        claims["same_value"] = claims.apply(_figure_value, axis=1)
        claims["denied"] = claims["stance"].astype(str).eq("denied")
    # Voices: quotations by span, reported speech by its cue; units are (sentence, speaker).
    if len(quotes):
        quotes = quotes.assign(copied_from=copied_from(
            quotes[["article_id", "start", "end"]]).to_numpy())
    if len(reported):
        spans = pd.DataFrame({"article_id": reported["article_id"],
                              "start": reported["cue_start"].astype("int64"),
                              "end": reported["cue_start"].astype("int64")
                              + reported["cue"].astype(str).str.len()})
        reported = reported.assign(copied_from=copied_from(spans).to_numpy())
    if len(flags):
        starts = flags["sentence_id"].map(sentence_start).fillna(0).astype("int64")
        spans = pd.DataFrame({"article_id": flags["article_id"],
                              "start": starts + flags["start"].astype("int64"),
                              "end": starts + flags["end"].astype("int64")})
        flags = flags.assign(abs_start=spans["start"].to_numpy(),
                             copied_from=copied_from(spans).to_numpy())

    def label(aid: object) -> str:
        return labels.get(str(aid), "(an article not in this folder)")

    into, out_of = _Rows(primary, "target_id"), _Rows(primary, "source_id")
    common_of, framing_of = _Rows(common, "target"), _Rows(framing, "target_id")
    edits_of, claims_of = _Rows(edits, "target_id"), _Rows(claims, "article_id")
    keyed = _Rows(claims, "key")
    quotes_of, reported_of = _Rows(quotes, "article_id"), _Rows(reported, "article_id")
    flags_of, paired_of = _Rows(flags, "article_id"), _Rows(paired, "target_id")
    by_group: dict[str, list[str]] = {}
    for a in ids:
        by_group.setdefault(groups.get(a, a), []).append(a)

    cards = []
    for aid, row in zip(ids, articles.itertuples(index=False)):
        group = groups.get(aid, aid)
        words = int(row.n_words) if not pd.isna(row.n_words) else 0
        # Copies: passages into it, by source; share of its words per source.
        mine = into(aid).sort_values("target_start")
        shown = [Passage(k, label(p.source_id), int(p.aligned_words), int(p.target_start),
                         int(p.target_end), texts[aid][int(p.target_start):int(p.target_end)])
                 for k, p in enumerate(mine.itertuples(index=False), start=1)]
        sources = []
        for sid in dict.fromkeys(mine["source_id"]):
            n = int(derived_words.get((aid, sid), 0))
            numbers = tuple(p.number for p, s in zip(shown, mine["source_id"]) if s == sid)
            sources.append(Source(str(sid), label(sid), n, n / words if words else 0.0,
                                  numbers))
        sources.sort(key=lambda s: -s.words)
        out = out_of(aid)
        copied_by = tuple((label(t), int(n)) for t, n in
                          out.groupby("target_id", sort=False).size().items())
        share = float(composition["derived_share"].get(aid, 0.0)) if aid in composition.index \
            else 0.0
        meter = _text(composition["meter"].get(aid, "")) if aid in composition.index else ""
        commons = tuple(_common_sentence(r, label) for r in
                        common_of(aid).itertuples(index=False))
        # Edits inside its copied text: label changes first.
        f_rows = framing_of(aid)
        label_edits = tuple(
            Edit(r.kind, _text(r.old), _text(r.new), label(r.source_id),
                 _edit_passage(r, edits_of(aid), shown), _text(r.labels_before),
                 _text(r.labels_after))
            for r in f_rows.itertuples(index=False))
        e_rows = edits_of(aid)
        content = tuple(
            Edit(r.kind, _text(r.old), _text(r.new), label(r.source_id),
                 _passage_at(shown, int(r.target_start), int(r.target_end)))
            for r in e_rows[e_rows["kind"].isin(CONTENT_KINDS)].itertuples(index=False)
            if not _in_framing(r, f_rows))
        minor = {k: int((e_rows["kind"] == k).sum()) for k in MINOR_KINDS}
        # Figures.
        figures = []
        if len(claims):
            c_mine = claims_of(aid)
            for (key, figure), g in c_mine.groupby(["key", "figure"], sort=False):
                first = g.iloc[0]
                others = keyed(key)
                others = others[(others["article_id"] != aid) & ~others["denied"]]
                same = others[others["same_value"] == first["same_value"]] \
                    if not first["denied"] else others.iloc[0:0]
                differ = others[others["same_value"] != first["same_value"]]
                indep = tuple(dict.fromkeys(label(a) for a in same["article_id"]
                                            if groups.get(a, a) != group))
                within = tuple(dict.fromkeys(label(a) for a in same["article_id"]
                                             if groups.get(a, a) == group))
                other_figs = tuple(dict.fromkeys(f"{label(a)}: {f}" for a, f in
                                                 zip(differ["article_id"], differ["figure"])))
                src = _text(first["copied_from"])
                figures.append(Figure(
                    _text(first["surface"]), f"{first['counted']} {first['event']}",
                    source_name(_text(first["source"])) if _text(first["source"]) else "",
                    len(g), bool(first["denied"]), label(src) if src else "",
                    _passage_at(shown, int(first["start"]), int(first["end"])) if src else None,
                    indep, within, other_figs, _text(verdicts.get(key, ""))))
        # Voices.
        q_mine, r_mine = quotes_of(aid), reported_of(aid)
        voices = _voices(q_mine, r_mine, label)
        # Spin.
        spin = ({k: scores.loc[aid, k] for k in ("n_flags", "per_100_words", "threshold",
                                                 "spun")} if aid in scores.index else {})
        f_mine = flags_of(aid)
        flag_list = tuple(
            Flag(_text(r.surface), _text(r.phrase), _text(r.original_phrase),
                 label(r.copied_from) if _text(r.copied_from) else "",
                 _passage_at(shown, int(r.abs_start), int(r.abs_start) + len(_text(r.surface)))
                 if _text(r.copied_from) else None)
            for r in f_mine.itertuples(index=False))
        p_mine = paired_of(aid)
        pairs = tuple((_text(r.old), _text(r.new), _text(r.side), _text(r.reason))
                      for r in p_mine.itertuples(index=False))
        members = tuple(label(a) for a in by_group.get(group, [])[:MAX_NAMED + 1]
                        if a != aid)[:MAX_NAMED]
        cards.append(Card(
            aid, labels[aid], _text(row.date)[:10], words, str(group), members,
            len(by_group.get(group, [aid])), share, meter,
            tuple(sources), copied_by, commons, tuple(shown), label_edits, content, minor,
            tuple(figures), len(q_mine),
            int((q_mine["copied_from"] != "").sum()) if len(q_mine) else 0,
            len(r_mine[["sentence_id", "speaker"]].drop_duplicates()) if len(r_mine) else 0,
            voices, spin, flag_list, pairs))
    return Deck(tuple(cards))


def _in_framing(edit, framing: pd.DataFrame) -> bool:
    """Is this row of ``edits`` one that ``framing_edits`` lists (perhaps widened to whole
    words or names)?"""
    for f in framing.itertuples(index=False):
        if (f.source_id == edit.source_id and f.kind == edit.kind
                and f.target_sentence_id == edit.target_sentence_id
                and _text(edit.old) in _text(f.old) and _text(edit.new) in _text(f.new)):
            return True
    return False


def _edit_passage(framing_row, edits: pd.DataFrame, shown: list[Passage]) -> int | None:
    """The passage of a label edit, found through the ``edits`` row it widens."""
    for e in edits[(edits["target_id"] == framing_row.target_id)
                   & (edits["source_id"] == framing_row.source_id)
                   & (edits["target_sentence_id"] == framing_row.target_sentence_id)
                   ].itertuples(index=False):
        if _text(e.old) in _text(framing_row.old) and _text(e.new) in _text(framing_row.new):
            return _passage_at(shown, int(e.target_start), int(e.target_end))
    return None


def _common_sentence(r, label) -> str:
    """Reader sentence for a ``common_source`` row: whose version of shared wording it carries."""
    a, b = label(r.earlier), label(r.later)
    ev_a = int(r.only_in_earlier) + int(r.spelled_as_earlier)
    ev_b = int(r.only_in_later) + int(r.spelled_as_later)
    head = (f"Its copied wording is in both {a} and {b} ({count(int(r.shared_with_both), 'word')} "
            "shared with both)")

    def evidence(n_only: int, n_spelled: int, who: str) -> str:
        parts = [f"{count(n_only, 'word')} only in {who}'s version"]
        if n_spelled:
            parts.append(f"{count(n_spelled, 'word')} spelled as {who} spells "
                         f"{verb(n_spelled, 'it', 'them')}")
        return join(parts)

    if ev_b and not ev_a:
        return (f"{head}; where they differ it follows {b} "
                f"({evidence(int(r.only_in_later), int(r.spelled_as_later), b)}, none of "
                f"{a}'s own): it copied {b}'s text, not {a}'s.")
    if ev_a and not ev_b:
        return (f"{head}; where they differ it follows {a} "
                f"({evidence(int(r.only_in_earlier), int(r.spelled_as_earlier), a)}, none of "
                f"{b}'s own): it copied {a}'s text, not {b}'s.")
    if ev_a and ev_b:
        return f"{head}; it carries wording of each that the other lacks: it drew on both."
    return f"{head} and none that only one has: which of them it copied cannot be told."


def _voices(quotes: pd.DataFrame, reported: pd.DataFrame, label) -> tuple[Voice, ...]:
    """Speakers and their utterances: a sentence giving voice to a speaker (by quotation or
    reported speech) counts once; it repeats a source's when every quotation and cue of it lies
    in copied text."""
    parts = []
    if len(quotes):
        parts.append(quotes[["sentence_id", "speaker", "copied_from"]].assign(quote=1))
    if len(reported):
        parts.append(reported[["sentence_id", "speaker", "copied_from"]].assign(quote=0))
    if not parts:
        return ()
    spans = pd.concat(parts, ignore_index=True)
    spans["speaker"] = spans["speaker"].map(_text)
    spans = spans[~spans["speaker"].str.strip().str.lower().isin(UNKNOWN_SPEAKERS)]
    out = []
    order = list(dict.fromkeys(spans["speaker"]))
    for speaker in order:
        s = spans[spans["speaker"] == speaker]
        own = repeated = 0
        sources: list[str] = []
        for _, unit in s.groupby("sentence_id", sort=False):
            froms = unit["copied_from"].map(_text)
            if froms.ne("").all():
                repeated += 1
                sources.append(label(froms.iloc[0]))
            else:
                own += 1
        out.append(Voice(speaker, own, repeated, int(s["quote"].sum()),
                         tuple(dict.fromkeys(sources))))
    out.sort(key=lambda v: (-(v.own + v.repeated), order.index(v.speaker)))
    return tuple(out)


# --- HTML -----------------------------------------------------------------------------------

CSS = """
.ws-cards{max-width:100%;overflow-wrap:anywhere;line-height:1.5}
.ws-cards *{box-sizing:border-box}
.ws-cards nav ul{list-style:none;padding:0;margin:0 0 1em;display:flex;flex-wrap:wrap;gap:.3em 1em}
.ws-card{border:1px solid #ccc;border-radius:6px;padding:.6em 1em;margin:0 0 1.5em;max-width:100%}
.ws-card h2{font-size:1.35em;margin:.2em 0}
.ws-card h3{font-size:1.05em;margin:.9em 0 .3em;border-bottom:1px solid #eee}
.ws-card .ws-meta{color:#555;margin:0}
.ws-card ul{padding-left:1.2em;margin:.2em 0}
.ws-card li{margin:.15em 0}
.ws-card .ws-label{background:#fff1c2;padding:0 .2em}
.ws-card .ws-quiet{color:#555}
.ws-card .ws-yes{color:#1a6b1a;font-weight:bold}
.ws-card .ws-no{color:#8a4b00}
.ws-card details{margin:.3em 0}
.ws-card blockquote{margin:.3em 0 .6em;padding:.2em .8em;border-left:3px solid #bbb;
  white-space:pre-wrap;background:#fafafa}
"""


def _e(value: object) -> str:
    return html.escape(_text(value), quote=True)


def _q(value: object) -> str:
    """A quoted phrase from an article, escaped."""
    return f"‘{_e(value)}’"


def _plink(card_no: int, number: int | None) -> str:
    if number is None:
        return ""
    return f' (<a href="#ws-card-{card_no}-p{number}">passage {number}</a>)'


def _pct(x: float) -> str:
    return f"{100 * x:.0f}%"


def _copies_html(card: Card, no: int) -> list[str]:
    out = ["<h3>What it copies</h3>"]
    if card.sources:
        out.append(f"<p>{_pct(card.copied_share)} of its {count(card.words, 'word')} are "
                   "copied word for word from earlier articles"
                   + (f" ({_e(card.meter)})" if card.meter else "") + ".</p><ul>")
        for s in card.sources:
            links = ", ".join(f'<a href="#ws-card-{no}-p{n}">{n}</a>' for n in s.passages)
            out.append(f"<li>From <strong>{_e(s.label)}</strong>: {_pct(s.share)} of its words "
                       f"({count(s.words, 'word')}) in {count(len(s.passages), 'passage')}"
                       f" ({'passage' if len(s.passages) == 1 else 'passages'} {links}).</li>")
        out.append("</ul>")
    else:
        out.append("<p>It copies no passage from an earlier article of this folder.</p>")
    for sentence in card.common_source:
        out.append(f"<p>{_e(sentence)}</p>")
    if card.copied_by:
        who = join([f"<strong>{_e(lab)}</strong> ({count(n, 'passage')})"
                    for lab, n in card.copied_by])
        out.append(f"<p>Copied by {who}.</p>")
    if card.group_labels:
        names = [_e(g) for g in card.group_labels]
        more = card.group_size - 1 - len(names)
        if more > 0:
            names.append(count(more, "other article"))
        out.append(f"<p class=\"ws-quiet\">Copy group: with {join(names)}"
                   " (texts joined by copying, directly or through another); only texts outside "
                   "it confirm its figures independently.</p>")
    else:
        out.append("<p class=\"ws-quiet\">It copies no other article and none copies it: every "
                   "agreement with another text is independent.</p>")
    return out


def _edit_text(e: Edit) -> str:
    if e.kind == "insertion":
        what = f"added {_q(e.new)}"
    elif e.kind == "deletion":
        what = f"dropped {_q(e.old)}"
    else:
        what = f"{_q(e.old)} → {_q(e.new)}"
    return what


def _edits_html(card: Card, no: int) -> list[str]:
    out = ["<h3>Edits inside the copied text</h3>"]
    if not card.passages:
        return out + ["<p>None: it copies nothing.</p>"]
    n_minor = sum(card.minor_edits.values())
    if not (card.label_edits or card.content_edits or n_minor):
        return out + ["<p>No edits: the copied text is printed as the source has it.</p>"]
    out.append(f"<p>{capital(count(len(card.label_edits), 'edit'))} "
               f"{verb(len(card.label_edits), 'changes', 'change')} a contested label; "
               f"{count(len(card.content_edits), 'other content edit')}; "
               f"{count(n_minor, 'minor edit')}.</p>")
    if card.label_edits or card.content_edits:
        out.append("<ul>")
        for e in card.label_edits:
            change = (f"{_e(e.labels_before) or 'no label'} → {_e(e.labels_after) or 'no label'}")
            out.append(f'<li><span class="ws-label">label</span> {_edit_text(e)} '
                       f"(labels: {change}; in text copied from {_e(e.source_label)})"
                       f"{_plink(no, e.passage)}</li>")
        for e in card.content_edits:
            out.append(f"<li>{_edit_text(e)} (in text copied from {_e(e.source_label)})"
                       f"{_plink(no, e.passage)}</li>")
        out.append("</ul>")
    if n_minor:
        parts = [count(n, MINOR_KINDS[k][0]) for k, n in card.minor_edits.items() if n]
        out.append(f"<p class=\"ws-quiet\">Minor edits: {join(parts)}.</p>")
    return out


def _figure_status(f: Figure) -> str:
    if f.denied:
        return ("reported as a denial: it confirms no figure"
                + (f" ({_e(f.verdict)})" if f.verdict else ""))
    if f.independent:
        status = (f'<span class="ws-yes">independently confirmed</span> by '
                  f"{join([_e(x) for x in f.independent])}")
        if f.same_group:
            status += f"; also repeated in its copy group by {join([_e(x) for x in f.same_group])}"
        return status
    if f.same_group:
        return (f'<span class="ws-no">not independently confirmed</span>: only '
                f"{join([_e(x) for x in f.same_group])}, in its copy group, "
                f"{verb(len(f.same_group), 'gives', 'give')} it")
    if f.others:
        return (f"other articles give other figures ({'; '.join(_e(x) for x in f.others)})"
                + (f"; comparison: {_e(f.verdict)}" if f.verdict else ""))
    return '<span class="ws-quiet">no other article gives it</span>'


def _figures_html(card: Card, no: int) -> list[str]:
    out = ["<h3>Figures</h3>"]
    if not card.figures:
        return out + ["<p>No figure (quantitative claim) found.</p>"]
    n_ind = sum(bool(f.independent) for f in card.figures)
    n_copied = sum(bool(f.copied_from) for f in card.figures)
    out.append(f"<p>{capital(count(len(card.figures), 'figure'))}; "
               f"{count(n_ind, 'figure')} independently confirmed by a text that does not copy "
               f"it; {count(n_copied, 'figure')} inside copied text.</p><ul>")
    for f in card.figures:
        extra = []
        if f.credited:
            extra.append(f"credited to {_e(f.credited)}")
        if f.mentions > 1:
            extra.append("printed twice" if f.mentions == 2 else
                         f"printed {count(f.mentions, 'time')}")
        if f.copied_from:
            extra.append(f"copied from {_e(f.copied_from)}{_plink(no, f.passage)}")
        out.append(f"<li>{_q(f.surface)} <span class=\"ws-quiet\">({_e(f.quantity)}"
                   + (f"; {'; '.join(extra)}" if extra else "") + f")</span>: "
                   f"{_figure_status(f)}.</li>")
    out.append("</ul>")
    return out


def _voices_html(card: Card) -> list[str]:
    out = ["<h3>Who speaks</h3>"]
    if not card.voices:
        return out + ["<p>No quotation or reported speech with a known speaker.</p>"]
    out.append(f"<p>{capital(count(card.n_quotes, 'quotation'))} "
               f"({count(card.n_quotes_repeated, 'quotation')} inside copied text) and "
               f"{count(card.n_reported, 'sentence')} of reported speech: "
               f"{count(card.n_utterances, 'distinct utterance')} of its own from "
               f"{count(sum(v.own > 0 for v in card.voices), 'speaker')}, and "
               f"{count(card.n_utterances_repeated, 'utterance')} repeated from the text it "
               "copies.</p><ul>")
    for v in card.voices:
        parts = []
        if v.own:
            parts.append(f"{count(v.own, 'utterance')} of its own")
        if v.repeated:
            parts.append(f"{count(v.repeated, 'utterance') if not v.own else v.repeated}"
                         f" repeated from {join([_e(x) for x in v.repeated_from])}")
        quoted = f", {count(v.quotes, 'quotation')}" if v.quotes else ""
        out.append(f"<li><strong>{_e(v.speaker)}</strong>: {join(parts)}{quoted}</li>")
    out.append("</ul>")
    return out


def _spin_html(card: Card, no: int) -> list[str]:
    out = ["<h3>Spin evidence</h3>"]
    if not card.spin:
        return out + ["<p>No spin score (the spin step has no row for it).</p>"]
    n = int(card.spin["n_flags"])
    rate, line = float(card.spin["per_100_words"]), float(card.spin["threshold"])
    decision = ('<span class="ws-no">at or over its line: called spun</span>'
                if card.spin["spun"] else "under its line: not called spun")
    n_copied = sum(bool(f.copied_from) for f in card.flags)
    out.append(f"<p>{capital(count(n, 'flagged word'))} or phrase{'s' if n != 1 else ''}, "
               f"{rate:.2f} per 100 words against a line of {line:.2f}: {decision}. "
               f"{capital(count(n_copied, 'flag'))} "
               f"{verb(n_copied, 'lies', 'lie')} inside copied text (the source's wording, not "
               "this article's).</p>")
    if card.flags:
        out.append("<details><summary>The flags</summary><ul>")
        for f in card.flags:
            where = (f" <span class=\"ws-quiet\">(copied from {_e(f.copied_from)}"
                     f"{_plink(no, f.passage)})</span>" if f.copied_from else "")
            alt = f", likelier {_q(f.original)}" if f.original else ""
            out.append(f"<li>{_q(f.surface)} in {_q(f.phrase)}{alt}{where}</li>")
        out.append("</ul></details>")
    if card.paired:
        out.append("<p>Word changes inside copied text, judged:</p><ul>")
        for old, new, side, reason in card.paired:
            who = "a spinner's" if side == "spinner" else "an editor's" if side == "editor" \
                else _e(side)
            out.append(f"<li>{_q(old)} → {_q(new)}: {who} change ({_e(reason)})</li>")
        out.append("</ul>")
    return out


def _passages_html(card: Card, no: int, chapter_links: bool) -> list[str]:
    out = ["<h3>Copied passages</h3>"]
    if not card.passages:
        return out + ["<p>None.</p>"]
    if chapter_links:
        out.append(f'<p class="ws-quiet">Side by side with their sources, edits marked: '
                   f'<a href="{REUSE_SECTION}">the copied passages in chapter 2</a>.</p>')
    for p in card.passages:
        out.append(f'<div id="ws-card-{no}-p{p.number}"><p><strong>Passage {p.number}</strong>: '
                   f"from {_e(p.source_label)}, {count(p.aligned_words, 'aligned word')}</p>"
                   f"<blockquote>{_e(p.text)}</blockquote></div>")
    return out


def card_html(card: Card, no: int, *, chapter_links: bool = False) -> str:
    """One card as an HTML fragment; ``no`` numbers its anchors (``#ws-card-<no>``)."""
    meta = [x for x in (_e(card.date), count(card.words, "word")) if x]
    parts = [f'<section class="ws-card" id="ws-card-{no}">', f"<h2>{_e(card.label)}</h2>",
             f'<p class="ws-meta">{" · ".join(meta)}</p>']
    parts += _copies_html(card, no)
    parts += _edits_html(card, no)
    parts += _figures_html(card, no)
    parts += _voices_html(card)
    parts += _spin_html(card, no)
    parts += _passages_html(card, no, chapter_links)
    parts.append("</section>")
    return "\n".join(parts)


def deck_html(deck: Deck, *, chapter_links: bool = False) -> str:
    """Every card, with an index of links, as one HTML fragment (its style included)."""
    index = "".join(f'<li><a href="#ws-card-{k}">{_e(c.label)}</a></li>'
                    for k, c in enumerate(deck.cards, start=1))
    body = "\n".join(card_html(c, k, chapter_links=chapter_links)
                     for k, c in enumerate(deck.cards, start=1))
    return (f'<div class="ws-cards"><style>{CSS}</style>'
            f'<nav aria-label="Articles"><ul>{index}</ul></nav>\n{body}</div>')


def page_html(deck: Deck) -> str:
    """``cards.html``: a self-contained page (no script, no outside resource; the page's
    policy forbids both)."""
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
            "style-src 'unsafe-inline'\">"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            "<title>Article cards</title>"
            "<style>body{font-family:system-ui,sans-serif;margin:0 auto;padding:1em;"
            "max-width:60em}</style></head><body><main><h1>Article cards</h1>"
            f"<p>One card per article: {count(len(deck.cards), 'article')}. What each copies "
            "and from whom, the edits inside the copied text (contested labels first), its "
            "figures and whether texts that do not copy it confirm them, who speaks in it, its "
            "spin evidence, and the copied passages.</p>\n"
            f"{deck_html(deck)}</main></body></html>\n")


def write(run: StoredRun, folder: Path | None = None) -> tuple[Path, Path]:
    """Write ``cards.html`` and ``cards.csv`` (spreadsheet-safe) into the run folder."""
    folder = Path(folder or run.path)
    deck = from_run(run)
    page, table = folder / "cards.html", folder / "cards.csv"
    page.write_text(page_html(deck), encoding="utf-8")
    write_csv(deck.frame(), table)
    return page, table


def book_values(deck: Deck) -> dict[str, str]:
    """The page's prose numbers and sentence (Markdown, escaped), by glue name; true of any
    folder."""
    from analysis.present.publish import plain_markdown

    n = len(deck.cards)
    copying = [c for c in deck.cards if c.sources]
    confirmed = [c for c in deck.cards if any(f.independent for f in c.figures)]
    n_figs = sum(sum(bool(f.independent) for f in c.figures) for c in deck.cards)
    only_group = sum(sum(bool(f.same_group and not f.independent) for f in c.figures)
                     for c in deck.cards)
    own = sum(c.n_utterances for c in deck.cards)
    repeated = sum(c.n_utterances_repeated for c in deck.cards)
    sentence = (
        f"{capital(count(len(copying), 'report'))} of {number(n)} "
        f"{verb(len(copying), 'copies', 'copy')} passages from an earlier one. In "
        f"{count(len(confirmed), 'report')}, {count(n_figs, 'figure')} "
        f"{verb(n_figs, 'is', 'are')} confirmed by a text outside the report's copy group; in "
        f"{count(only_group, 'case')} a report's figure is given again only inside its own "
        "copy group, which confirms nothing. The reports give voice "
        f"{count(own, 'time')} in utterances of their own and repeat "
        f"{count(repeated, 'utterance')} from copied text.")
    return {"cards_n": number(n), "cards_summary_md": plain_markdown(sentence)}

