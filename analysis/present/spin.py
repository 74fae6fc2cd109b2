"""Chapter 'How a spun copy gives itself away': charts, tables, highlighted text, prose numbers."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from pathlib import Path

import altair as alt
import pandas as pd

from analysis import reuse, spin
from analysis.corpus import Corpus, load_corpus
from analysis.present import for_book_only

FIXTURE = Path(__file__).resolve().parents[2] / "tests" / "fixtures" / "corpus"
DECISION_RATE = 0.1  # the document line separates unspun copies from copies spun at this rate
SEEDS = (0, 1)


@dataclass(frozen=True)
class Chapter:
    """Everything the chapter shows: flags, scores, synthetic runs, thresholds, paired edits."""

    results: spin.Results
    synthetic: pd.DataFrame
    pool_thresholds: dict[str, float]
    paired: pd.DataFrame
    n_pool: int


def _pool(corpus: Corpus) -> pd.DataFrame:
    """Sentences to spin: the corpus, plus the made-up fixture corpus when it is another one."""
    frames = [corpus.sentences]
    if FIXTURE.is_dir() and Path(corpus.root).resolve() != FIXTURE.resolve():
        frames.append(load_corpus(FIXTURE).sentences)
    return pd.concat(frames, ignore_index=True)


def run(corpus: Corpus) -> Chapter:
    """Synthetic runs first, thresholds from them (leave one out), then the corpus is scored."""
    pool = _pool(corpus)
    syn = spin.synthetic(pool, seeds=SEEDS)
    docs = list(pool["article_id"].unique())
    lines = spin.leave_one_out_thresholds(syn, docs, DECISION_RATE)
    ids = list(corpus.articles["id"])
    results = spin.analyse(corpus, {d: lines[d] for d in ids})
    paired = spin.paired_edits(corpus, reuse.copied_edits(corpus))
    return Chapter(results, syn, lines, paired, len(docs))


def labels(corpus: Corpus) -> dict[str, str]:
    return dict(zip(corpus.articles["id"], corpus.articles["label"]))


def score_data(ch: Chapter, corpus: Corpus) -> pd.DataFrame:
    s = ch.results.scores
    top = s.loc[s["per_100_words"].idxmax(), "article_id"]
    return s.assign(report=s["article_id"].map(labels(corpus)),
                    role=["highest score" if a == top else "other reports"
                          for a in s["article_id"]])


def score_chart(ch: Chapter, corpus: Corpus) -> alt.LayerChart:
    """Flags per 100 words per report, with each report's decision line."""
    data = score_data(ch, corpus)
    base = alt.Chart(data).encode(y=alt.Y("report:N", sort=None, title=None))
    bars = base.mark_bar().encode(
        x=alt.X("per_100_words:Q", title="Flags per 100 words"),
        color=alt.Color("role:N", title=None, legend=alt.Legend(orient="bottom")),
        tooltip=["report", "n_words", "n_flags", alt.Tooltip("per_100_words:Q", format=".2f"),
                 alt.Tooltip("threshold:Q", format=".2f"), "spun"])
    ticks = base.mark_tick(color="#222", thickness=2, size=18).encode(x="threshold:Q")
    return (bars + ticks).properties(width=480)


def synthetic_chart(table: pd.DataFrame) -> alt.Chart:
    """Document detection, word recall and word precision against the spin rate."""
    long = table.melt(id_vars="rate", value_vars=["called_spun", "recall", "precision"],
                      var_name="measure", value_name="value")
    # With nothing swapped there is nothing to recall: only the documents called spun are shown.
    long = long[(long["rate"] > 0) | (long["measure"] == "called_spun")]
    long["measure"] = long["measure"].map({"called_spun": "documents called spun",
                                           "recall": "word recall",
                                           "precision": "word precision"})
    return alt.Chart(long).mark_line(point=True).encode(
        x=alt.X("rate:Q", title="Share of replaceable words swapped", axis=alt.Axis(format="%")),
        y=alt.Y("value:Q", title="Share", scale=alt.Scale(domain=[0, 1]),
                axis=alt.Axis(format="%")),
        color=alt.Color("measure:N", title=None, legend=alt.Legend(orient="bottom")),
        tooltip=["measure", "rate", alt.Tooltip("value:Q", format=".2f")],
    ).properties(width=480, height=260)


def flag_table(ch: Chapter, corpus: Corpus) -> pd.DataFrame:
    """Every flag with its evidence, the highest-scoring report first."""
    f = ch.results.flags
    order = ch.results.scores.sort_values("per_100_words", ascending=False)["article_id"]
    rank = {a: i for i, a in enumerate(order)}
    out = f.assign(report=f["article_id"].map(labels(corpus)), _r=f["article_id"].map(rank))
    out = out.sort_values(["_r", "sentence_id", "start"]).drop(columns="_r")
    out["observed_shown"] = out["observed_count"].map(_count)
    out["original_shown"] = out["original_count"].map(_count)
    out["ratio_shown"] = out["ratio"].map(lambda x: "" if pd.isna(x) else f"{x:,.0f}")
    return out.reset_index(drop=True)


def _count(x: float) -> str:
    """A phrase count for the reader: estimates below one read "<1"; none reads "n/a"."""
    if pd.isna(x):
        return "n/a"
    return "<1" if x < 1 else f"{x:,.0f}"


FLAG_COLUMNS = {"report": "Report", "sentence_id": "Sentence", "surface": "Word",
                "kind": "Kind", "phrase": "Observed phrase", "original_phrase": "Likely original",
                "observed_shown": "Observed count", "original_shown": "Original count",
                "ratio_shown": "Ratio"}


def paired_table(ch: Chapter, corpus: Corpus) -> pd.DataFrame:
    lab = labels(corpus)
    p = ch.paired
    return p.assign(source=p["source_id"].map(lab), target=p["target_id"].map(lab)).sort_values(
        "side", ascending=False).reset_index(drop=True)


PAIRED_COLUMNS = {"source": "Source", "target": "Copy", "old": "Source word", "new": "Copy's word",
                  "side": "Whose edit", "reason": "Why"}


@dataclass(frozen=True)
class Highlighted:
    """Sentences of one report with flagged words marked (text HTML-escaped)."""

    rows: list[tuple[str, str]]

    def _repr_html_(self) -> str:
        items = "".join(f"<li><code>{html.escape(sid)}</code> {body}</li>"
                        for sid, body in self.rows)
        return f'<ol class="ws-spin" style="list-style:none;padding-left:0">{items}</ol>'

    def __repr__(self) -> str:
        plain = (re.sub(r"<mark[^>]*>(.*?)</mark>", r"[\1]", body) for _, body in self.rows)
        return "\n".join(f"{sid}: {html.unescape(p)}" for (sid, _), p in zip(self.rows, plain))


def highlighted(ch: Chapter, corpus: Corpus, article_id: str) -> Highlighted:
    """Each sentence of ``article_id`` with its flagged words in ``<mark>`` (title = evidence)."""
    f = ch.results.flags
    rows = []
    for s in corpus.sentences[corpus.sentences["article_id"] == article_id].itertuples():
        mine = f[f["sentence_id"] == s.sentence_id].sort_values("start")
        out, pos = [], 0
        for m in mine.itertuples():
            tip = (f"{m.kind}: likely '{m.original_phrase}'" if m.original_phrase
                   else f"{m.kind}: '{m.phrase}'")
            out.append(html.escape(s.text[pos:m.start]))
            out.append(f'<mark title="{html.escape(tip)}">{html.escape(s.text[m.start:m.end])}'
                       "</mark>")
            pos = m.end
        out.append(html.escape(s.text[pos:]))
        rows.append((s.sentence_id, "".join(out)))
    return Highlighted(rows)


def top_article(ch: Chapter) -> str:
    s = ch.results.scores
    return str(s.loc[s["per_100_words"].idxmax(), "article_id"])


def _pct(x: float) -> str:
    return f"{100 * x:.0f}%"


def key_numbers(ch: Chapter, corpus: Corpus, syn_table: pd.DataFrame) -> dict[str, object]:
    """Prose numbers over roles: the report with the highest score and the other reports."""
    s = ch.results.scores
    top = top_article(ch)
    row = s[s["article_id"] == top].iloc[0]
    others = s[s["article_id"] != top]
    f = ch.results.flags
    mine = f[f["article_id"] == top]
    at = syn_table.set_index("rate")
    clean = at.loc[0.0] if 0.0 in at.index else None
    dec = at.loc[DECISION_RATE] if DECISION_RATE in at.index else None
    spinner = int((ch.paired["side"] == "spinner").sum())
    return {
        "spin_top_label": labels(corpus)[top],
        "spin_top_score": f"{row.per_100_words:.1f}",
        "spin_top_flags": int(row.n_flags),
        "spin_top_words": int(row.n_words),
        "spin_top_threshold": f"{row.threshold:.2f}",
        "spin_top_called": "is" if row.spun else "is not",
        "spin_top_sentences": int(row.flagged_sentences),
        "spin_top_n_sentences": int(row.n_sentences),
        "spin_top_kinds": ", ".join(f"{n} {k}" for k, n in
                                    mine["kind"].value_counts().items()) or "none",
        "spin_others_max": f"{others['per_100_words'].max():.1f}" if len(others) else "n/a",
        "spin_others_called": int(others["spun"].sum()),
        "spin_n_others": len(others),
        "spin_n_flags": len(f),
        "spin_pool": ch.n_pool,
        "spin_clean_false": f"{clean['false_per_100_words']:.2f}" if clean is not None else "n/a",
        "spin_clean_called": _pct(clean["called_spun"]) if clean is not None else "n/a",
        "spin_dec_rate": _pct(DECISION_RATE),
        "spin_dec_called": _pct(dec["called_spun"]) if dec is not None else "n/a",
        "spin_dec_recall": _pct(dec["recall"]) if dec is not None else "n/a",
        "spin_dec_precision": _pct(dec["precision"]) if dec is not None else "n/a",
        "spin_min_ratio": f"{spin.DEFAULT.min_ratio:g}",
        "spin_min_fit": f"{spin.DEFAULT.min_fit:g}",
        "spin_min_original": f"{spin.DEFAULT.min_original:g}",
        "spin_n_paired": len(ch.paired),
        "spin_n_spinner_edits": spinner,
        "spin_n_editor_edits": len(ch.paired) - spinner,
        "spin_book_note": for_book_only(
            corpus, "In this book's corpus the report with the highest score is the one the "
            "manifest notes for its odd word choices, and its source is not among the texts."),
    }


def validation_text(scores: pd.DataFrame | None) -> str:
    """One sentence on precision and recall against the hand annotation, or nothing."""
    if scores is None:
        return ""
    a = scores[scores["article_id"] == "all"].iloc[0]
    return (f"Against the hand annotation ({a['gold']} words judged spun), the "
            f"{a['predicted']} flags have precision {a['precision']:.2f} and recall "
            f"{a['recall']:.2f} ({a['correct']} words found).")


def publish_validation(ch: Chapter, corpus: Corpus) -> str:
    """Publish the flags scored against the hand annotation (absent without one); returns the
    section's prose as Markdown."""
    from analysis.evaluation import spin as spin_eval
    from analysis.present.publish import absent, publish_table

    gold = spin_eval.load_gold(corpus)
    if gold is None:
        absent("tab-spin-validation")
        return validation_text(None)
    validation = spin_eval.article_scores(ch.results.flags, gold, list(corpus.articles["id"]))
    publish_table(
        validation.assign(report=validation["article_id"].map(labels(corpus))
                          .fillna("all reports")),
        "tab-spin-validation",
        caption="Flags scored against the hand annotation of spun words, per report and pooled.",
        source="data/annotations/spin/spun_words.csv; analysis.evaluation.spin.article_scores",
        columns={"report": "Report", "gold": "Annotated", "predicted": "Flagged",
                 "correct": "Both", "precision": "Precision", "recall": "Recall"})
    return validation_text(validation)
