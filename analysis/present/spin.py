"""Chapter 'How a spun copy gives itself away': charts, tables, highlighted text, prose numbers.

Everything is read from the spin tables of a stored run (:func:`from_run`); the pipeline's
``spin`` stage runs the method once for the command line and the book: flags, synthetic spins
of a seeded sample of the folder's own articles, each article's decision line (leave one out for
a sampled article, the whole sample's line for the others), scores with the decision, and the
paired edits inside copies. Nothing here runs the method.
"""

from __future__ import annotations

import html
import math
import re
from dataclasses import dataclass

import altair as alt
import numpy as np
import pandas as pd

from analysis import spin
from analysis.config import Config
from analysis.corpus import Corpus
from analysis.evaluation import spin as spin_eval
from analysis.present import for_book_only
from analysis.present.publish import plain_markdown
from analysis.present.words import count, number
from analysis.store import StoredRun
from analysis.text import resource
from pathlib import Path

SCORE_COLUMNS = ["article_id", "n_words", "n_flags", "per_100_words", "n_sentences",
                 "flagged_sentences", "threshold", "n_evidence_flags", "z", "z_line", "spun"]
REALNEWS = resource("realnews", "spin_realnews.csv")  # written by benchmarks/spin_realnews.py
REALNEWS_COLUMNS = ["items", "spinner", "rate", "measure", "value"]
SYNTHETIC_COLUMNS = ["doc", "rate", "seed", "n_words", "n_spun", "n_flags", "hits",
                     "per_100_words"]
THRESHOLD_COLUMNS = ["article_id", "threshold", "basis"]
PAIRED_TABLE_COLUMNS = ["source_id", "target_id", "old", "new", "old_count", "new_count", "side",
                        "reason", "target_sentence_id"]


@dataclass(frozen=True, eq=False)
class Chapter:
    """Everything the chapter shows, as the run stores it.

    ``flags`` (one row per flagged word), ``scores`` (per article: flags per 100 words, its
    ``threshold`` and the decision ``spun``), ``synthetic`` (per sampled article, rate and seed),
    ``thresholds`` (per article: the line and its ``basis``), ``paired`` (substitutions inside
    copied passages); ``calibration`` is :func:`analysis.evaluation.spin.synthetic_scores` of
    the synthetic copies, each against its article's line; ``rate`` is the spin rate the line
    separates from unspun copies (the run's ``spin.rate``).
    """

    flags: pd.DataFrame
    scores: pd.DataFrame
    synthetic: pd.DataFrame
    thresholds: pd.DataFrame
    paired: pd.DataFrame
    calibration: pd.DataFrame
    rate: float

    @property
    def lines(self) -> dict[str, float]:
        """Each article's decision line."""
        return dict(zip(self.thresholds["article_id"], self.thresholds["threshold"].astype(float)))

    @property
    def n_pool(self) -> int:
        """Articles whose synthetic spins set the lines (the calibration sample)."""
        return int(self.synthetic["doc"].nunique())


def _table(run: StoredRun, name: str, columns: list[str]) -> pd.DataFrame:
    """A stored table; one the stage left empty without columns (its step failed) gets them."""
    frame = run.table(name)
    return frame if len(frame.columns) else pd.DataFrame(columns=columns)


def from_run(run: StoredRun) -> Chapter:
    """The chapter's tables from the ``spin`` stage of ``run`` (nothing is computed again)."""
    rate = float(run.manifest.get("config", {}).get("spin", {}).get("rate", Config().spin.rate))
    thresholds = _table(run, "spin_thresholds", THRESHOLD_COLUMNS)
    synthetic = _table(run, "spin_synthetic", SYNTHETIC_COLUMNS)
    lines = dict(zip(thresholds["article_id"], thresholds["threshold"].astype(float)))
    return Chapter(flags=_table(run, "spin_flags", spin.FLAG_COLUMNS),
                   scores=_table(run, "spin_scores", SCORE_COLUMNS),
                   synthetic=synthetic, thresholds=thresholds,
                   paired=_table(run, "spin_paired", PAIRED_TABLE_COLUMNS),
                   calibration=spin_eval.synthetic_scores(synthetic, lines), rate=rate)


def labels(corpus: Corpus) -> dict[str, str]:
    return dict(zip(corpus.articles["id"], corpus.articles["label"]))


def score_data(ch: Chapter, corpus: Corpus) -> pd.DataFrame:
    s = ch.scores
    top = top_article(ch)
    return s.assign(report=s["article_id"].map(labels(corpus)),
                    role=["most WordNet flags" if a == top else "other reports"
                          for a in s["article_id"]])


def score_chart(ch: Chapter, corpus: Corpus) -> alt.LayerChart:
    """The decision's evidence per report (z: how far above human text of its length), with
    the line a report must reach to be called spun."""
    data = score_data(ch, corpus)
    base = alt.Chart(data).encode(y=alt.Y("report:N", sort=None, title=None))
    bars = base.mark_bar().encode(
        x=alt.X("z:Q", title="Evidence of swapped words (z, human text = 0)"),
        color=alt.Color("role:N", title=None, legend=alt.Legend(orient="bottom")),
        tooltip=["report", "n_words", "n_evidence_flags", alt.Tooltip("z:Q", format=".1f"),
                 alt.Tooltip("z_line:Q", format=".1f"), "spun"])
    rule = alt.Chart(data.head(1)).mark_rule(color="#222", strokeDash=[4, 3], size=2).encode(
        x="z_line:Q")
    return (bars + rule).properties(width=480)


def synthetic_chart(table: pd.DataFrame) -> alt.Chart:
    """Document detection, word recall and word precision against the spin rate."""
    long = table.melt(id_vars="rate", value_vars=["called_spun", "recall", "precision"],
                      var_name="measure", value_name="value")
    # With nothing swapped there is nothing to recall: only the documents called spun are shown.
    long = long[(long["rate"] > 0) | (long["measure"] == "called_spun")]
    long["measure"] = long["measure"].map({"called_spun": "documents over the flag line",
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
    f = ch.flags
    order = ch.scores.sort_values("per_100_words", ascending=False)["article_id"]
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
    f = ch.flags
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
    """The report with the most WordNet flags per 100 words (the one the flag table and the
    highlighted sentences show first)."""
    s = ch.scores
    return str(s.loc[s["per_100_words"].idxmax(), "article_id"])


def _pct(x: float) -> str:
    """A share as a percentage: whole numbers, one decimal under 1% (0.3% is not 0%)."""
    if 0 < x < 0.01:
        return f"{100 * x:.1f}%"
    return f"{100 * x:.0f}%"


def pool_text(ch: Chapter, corpus: Corpus) -> str:
    """The texts whose synthetic spins set the lines, for prose and captions."""
    n, total = ch.n_pool, len(corpus.articles)
    if n < total:
        return f"a seeded sample of {n:,} of the {total:,} texts of this corpus"
    return f"all {number(total)} texts of this corpus" if total > 1 else "the one text of this corpus"


def sample_note(ch: Chapter) -> str:
    """How a report's line is set when it is not the leave-one-out line (Markdown, or "")."""
    basis = set(ch.thresholds["basis"])
    if ch.n_pool == 1:
        return ("With a single text there are no others: its line is set on its own synthetic "
                "copies.")
    if basis - {"leave one out"}:
        return "A report outside the sample is judged against the line of the whole sample."
    return ""


def clean_called_note(ch: Chapter, corpus: Corpus) -> str:
    """Whose unspun copies are called spun (Markdown, or ""): a copy with nothing swapped is
    the report itself, judged against the report's own line, so these are the reports called
    spun that are in the calibration sample."""
    syn = ch.synthetic
    unspun = syn[syn["rate"] == 0]
    called = unspun[unspun["per_100_words"] >= unspun["doc"].map(ch.lines)]
    who = list(dict.fromkeys(called["doc"]))
    if not who:
        return ""
    lab = labels(corpus)
    names = ", ".join(f"*{plain_markdown(str(lab.get(d, d)))}*" for d in who)
    return ("With nothing swapped a copy is the report itself, so the unspun copies over their "
            f"line are those of the {'report' if len(who) == 1 else 'reports'} over "
            f"{'its' if len(who) == 1 else 'their'} WordNet-flag line above ({names}).")


def key_numbers(ch: Chapter, corpus: Corpus) -> dict[str, object]:
    """Prose numbers over roles: the report with the highest score and the other reports."""
    s = ch.scores
    top = top_article(ch)
    row = s[s["article_id"] == top].iloc[0]
    others = s[s["article_id"] != top]
    f = ch.flags
    mine = f[f["article_id"] == top]
    at = (ch.calibration.set_index("rate") if "rate" in ch.calibration
          else pd.DataFrame(index=pd.Index([], name="rate")))
    clean = at.loc[0.0] if 0.0 in at.index else None
    dec = at.loc[ch.rate] if ch.rate in at.index else None
    spinner = int((ch.paired["side"] == "spinner").sum())
    return {
        "spin_top_label": labels(corpus)[top],
        "spin_top_score": f"{row.per_100_words:.1f}",
        "spin_top_flags": int(row.n_flags),
        "spin_top_words": int(row.n_words),
        "spin_top_threshold": f"{row.threshold:.2f}",
        "spin_top_called": "is" if row.spun else "is not",
        "spin_top_z": f"{row.z:.1f}",
        "spin_z_line": f"{row.z_line:.1f}",
        "spin_top_evidence_flags": count(int(row.n_evidence_flags), "strong flag"),
        "spin_n_called": count(int(s["spun"].sum()), "report"),
        "spin_z_max_label": labels(corpus)[s.loc[s["z"].idxmax(), "article_id"]],
        "spin_z_max": f"{s['z'].max():.1f}",
        "spin_top_sentences": int(row.flagged_sentences),
        "spin_top_n_sentences": int(row.n_sentences),
        "spin_top_kinds": ", ".join(count(int(n), k) for k, n in
                                    mine["kind"].value_counts().items()) or "none",
        "spin_top_flags_text": count(int(row.n_flags), "flag"),
        "spin_top_words_text": count(int(row.n_words), "word"),
        "spin_n_flags_text": count(len(f), "flag"),
        "spin_n_paired_text": count(len(ch.paired), "substitution"),
        "spin_n_spinner_text": number(spinner) if spinner else "none",
        "spin_n_editor_text": number(len(ch.paired) - spinner) if len(ch.paired) - spinner
        else "none",
        "spin_others_max": f"{others['per_100_words'].max():.1f}" if len(others) else "n/a",
        "spin_others_called": int(others["spun"].sum()),
        "spin_n_others": len(others),
        "spin_n_flags": len(f),
        "spin_pool": ch.n_pool,
        "spin_pool_text": pool_text(ch, corpus),
        "spin_sample_note": sample_note(ch),
        "spin_clean_false": f"{clean['false_per_100_words']:.2f}" if clean is not None else "n/a",
        "spin_clean_called": _pct(clean["called_spun"]) if clean is not None else "n/a",
        "spin_clean_called_note": clean_called_note(ch, corpus),
        "spin_dec_rate": _pct(ch.rate),
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
        "spin_finding_note": for_book_only(
            corpus, "The swaps the annotation confirms in it are mostly common words traded for "
            "common words (a function word, a plural noun), which leave word pairs the counts "
            "know: a thesaurus can reverse them, the rarity of the words cannot show them."),
        "spin_grid_note": for_book_only(
            corpus, "On these five texts alone the same grid would drop the minimum count, "
            "keeping the ratio and the fit gain."),
    }


def validation_text(scores: pd.DataFrame | None) -> str:
    """One sentence on precision and recall against the hand annotation, or nothing."""
    if scores is None:
        return ""
    a = scores[scores["article_id"] == "all"].iloc[0]
    return (f"Against the hand annotation ({count(int(a['gold']), 'word')} judged spun), the "
            f"{count(int(a['predicted']), 'flag')} have precision {a['precision']:.2f} and "
            f"recall {a['recall']:.2f} ({count(int(a['correct']), 'word')} found).")


def publish_validation(ch: Chapter, corpus: Corpus) -> str:
    """Publish the flags scored against the hand annotation (absent without one); returns the
    section's prose as Markdown."""
    from analysis.present.publish import absent, publish_table

    gold = spin_eval.load_gold(corpus)
    if gold is None:
        absent("tab-spin-validation")
        return validation_text(None)
    validation = spin_eval.article_scores(ch.flags, gold, list(corpus.articles["id"]))
    publish_table(
        validation.assign(report=validation["article_id"].map(labels(corpus))
                          .fillna("all reports")),
        "tab-spin-validation",
        caption="Flags scored against the hand annotation of spun words, per report and pooled.",
        source="data/annotations/spin/spun_words.csv; analysis.evaluation.spin.article_scores",
        columns={"report": "Report", "gold": "Annotated", "predicted": "Flagged",
                 "correct": "Both", "precision": "Precision", "recall": "Recall"})
    return validation_text(validation)


def realnews(path: Path = REALNEWS) -> pd.DataFrame:
    """Figures of ``benchmarks/spin_realnews.py`` on held-out wire copy (empty when absent)."""
    if not Path(path).is_file():
        return pd.DataFrame(columns=REALNEWS_COLUMNS)
    return pd.read_csv(path, keep_default_na=False).astype({"rate": float, "value": float})


def _value(t: pd.DataFrame, measure: str, spinner: str = "", rate: float = 0.0,
           items: str = "test") -> float:
    hit = t[(t["measure"] == measure) & (t["spinner"] == spinner) & (t["rate"] == rate)
            & (t["items"] == items)]
    return float(hit["value"].iloc[0]) if len(hit) else float("nan")


def realnews_chart(t: pd.DataFrame) -> alt.Chart:
    """Share of held-out wire items called spun, human and spun by each spinner."""
    rows = [{"spinner": "human (not spun)", "rate": 0.0,
             "share": _value(t, "called_spun") / max(_value(t, "articles"), 1)}]
    for name, label in (("aiksaurus", "independent thesaurus"), ("wordnet", "WordNet")):
        for r in sorted(set(t.loc[t["spinner"] == name, "rate"])):
            rows.append({"spinner": label, "rate": r,
                         "share": _value(t, "called_spun_share", name, r)})
    data = pd.DataFrame(rows)
    return alt.Chart(data).mark_line(point=True).encode(
        x=alt.X("rate:Q", title="Share of replaceable words swapped", axis=alt.Axis(format="%")),
        y=alt.Y("share:Q", title="Items called spun", scale=alt.Scale(domain=[0, 1]),
                axis=alt.Axis(format="%")),
        color=alt.Color("spinner:N", title=None, legend=alt.Legend(orient="bottom")),
        tooltip=["spinner", "rate", alt.Tooltip("share:Q", format=".3f")],
    ).properties(width=480, height=220)


def _n(x: float, noun: str) -> str:
    return "n/a" if math.isnan(x) else count(int(x), noun)


def realnews_numbers(t: pd.DataFrame) -> dict[str, object]:
    """Prose numbers of the held-out wire test (``n/a`` when the benchmark was not run)."""
    if not len(t):
        return {k: "n/a" for k in ("spin_rn_items", "spin_rn_called", "spin_rn_flags",
                                   "spin_rn_wordnet_flags", "spin_rn_auc10", "spin_rn_recall10",
                                   "spin_rn_auc10_wn", "spin_rn_recall10_wn",
                                   "spin_rn_auc20", "spin_rn_recall20", "spin_rn_auc10_long",
                                   "spin_rn_old_auc10", "spin_rn_max_z", "spin_rn_overlap",
                                   "spin_rn_max_z_note", "spin_rn_long",
                                   "spin_rn_recall10_long")}
    return {
        "spin_rn_items": _n(_value(t, "articles"), "item"),
        "spin_rn_called": _n(_value(t, "called_spun"), "item"),
        "spin_rn_flags": f"{_value(t, 'flags_per_100_words'):.2f}",
        "spin_rn_wordnet_flags": f"{_value(t, 'wordnet_flags_per_100_words'):.2f}",
        "spin_rn_auc10": f"{_value(t, 'auc', 'aiksaurus', 0.1):.2f}",
        "spin_rn_recall10": _pct(_value(t, "called_spun_share", "aiksaurus", 0.1)),
        "spin_rn_auc10_wn": f"{_value(t, 'auc', 'wordnet', 0.1):.2f}",
        "spin_rn_recall10_wn": _pct(_value(t, "called_spun_share", "wordnet", 0.1)),
        "spin_rn_auc20": f"{_value(t, 'auc', 'aiksaurus', 0.2):.2f}",
        "spin_rn_recall20": _pct(_value(t, "called_spun_share", "aiksaurus", 0.2)),
        "spin_rn_auc10_long": f"{_value(t, 'auc_150_words', 'aiksaurus', 0.1):.2f}",
        "spin_rn_old_auc10": f"{_value(t, 'wordnet_flags_auc', 'aiksaurus', 0.1):.2f}",
        "spin_rn_max_z": f"{_value(t, 'max_z'):.1f}",
        "spin_rn_max_z_note": (
            "; the highest z of a human item is {:.1f}, {}".format(
                _value(t, "max_z"), "over the line, so the two-flag condition is needed"
                if _value(t, "max_z") >= _value(t, "z_line") else "under the line")),
        "spin_rn_overlap": f"{100 * _value(t, 'thesaurus_pairs_also_in_wordnet', 'aiksaurus'):.1f}%",
        "spin_rn_long": _n(_value(t, "articles_150_words"), "item"),
        "spin_rn_recall10_long": _pct(_value(t, "called_spun_share_150_words", "aiksaurus",
                                             0.1)),
    }


def annotated_line_check(ch: Chapter, corpus: Corpus) -> dict[str, object]:
    """The reports over their WordNet-flag line, and whether each stays over it when only the
    flags the hand annotation also marks are counted (needs the annotation; else ``n/a``)."""
    s = ch.scores
    over = s[s["per_100_words"] >= s["threshold"]]
    gold = spin_eval.load_gold(corpus)
    out: dict[str, object] = {"spin_wn_over": count(len(over), "report"),
                              "spin_wn_over_names": ", ".join(
                                  labels(corpus)[a] for a in over["article_id"]) or "none"}
    if gold is None or not len(over):
        return out | {"spin_wn_check": ""}
    sentences = []
    for r in over.itertuples(index=False):
        mine = ch.flags[ch.flags["article_id"] == r.article_id]
        kept = int(spin_eval.matched_flags(mine, gold).sum()) if len(mine) else 0
        rate = 100 * kept / max(int(r.n_words), 1)
        verdict = "stays over" if rate >= r.threshold else "falls under"
        sentences.append(
            f"*{plain_markdown(labels(corpus)[r.article_id])}* has "
            f"{count(int(r.n_flags), 'flag')} ({r.per_100_words:.2f} per 100 words, its line "
            f"{r.threshold:.2f}); the hand annotation marks {number(kept) if kept else 'none'} "
            f"of them as a spinner's swap, and counting only those ({rate:.2f} per 100 words) "
            f"it {verdict} its line.")
    return out | {"spin_wn_check": " ".join(sentences)}


def rule_numbers() -> dict[str, object]:
    """The shipped decision's settings, for prose."""
    d = spin.decision()
    return {"spin_rule_z": f"{d.z_line:.1f}",
            "spin_rule_flags": count(d.min_flags, "strong flag"),
            "spin_rule_ratio": f"{math.exp(d.flag_llr):.0f}",
            "spin_rule_mix": _pct(d.mix),
            "spin_rule_max_llr": f"{math.exp(max(d.llr.values())):.0f}"}
