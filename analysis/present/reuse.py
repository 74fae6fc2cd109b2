"""The reuse chapter for the reader: charts, tables, the side-by-side view and the prose.

Everything the chapter states is computed here over roles found in the data ("the report that
takes most from an earlier one", "its source", "the pair with most content edits"), never by
fixed article ids, so the chapter reads true on any corpus. Sentences that only hold for the
book's own texts go through :func:`analysis.present.for_book_only`.
"""

from __future__ import annotations

import bisect
import html
import re
from dataclasses import dataclass

import altair as alt
import pandas as pd

from analysis.corpus import Corpus
from analysis.pipeline import passages_from_frame
from analysis.present import for_book_only
from analysis.present.words import capital, count, join, number, plural, verb
from analysis.present.publish import (PublishedTable, absent, glue_values, plain_markdown,
                                      publish, publish_table)
from analysis.reuse import (DEFAULT, MIN_RUN, MIN_SHARE, METER_PARTIALLY, METER_WHOLLY,
                            SUBSTANTIVE, SYNTHETIC_KINDS, Doc, Params, Passage, SyntheticSetup,
                            _by_pair, _sentence_finder, documents, publication_order)
from analysis.store import StoredRun


# --- The run, read back -----------------------------------------------------------------------

@dataclass(frozen=True, eq=False)
class Results:
    """What the chapter shows, read from a stored run (the pipeline's tables, in the run's
    vocabulary); building it runs no method. ``docs`` are the texts as :class:`Doc` s, for
    display only."""

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
    framing_edits: pd.DataFrame
    setup: SyntheticSetup | None
    synthetic: pd.DataFrame
    null_pairs: pd.DataFrame
    calibration: pd.DataFrame

    @property
    def null_basis(self) -> str:
        """How the calibration's pairs that share nothing were chosen, for prose and captions."""
        n = len(self.docs)
        shared = {frozenset((p.source_id, p.target_id)) for p in self.found}
        basis = "pairs in which the default parameters find no passage"
        if len(self.null_pairs) < n * (n - 1) // 2 - len(shared):
            return f"a seeded draw of {len(self.null_pairs)} {basis}"
        return basis


def _primary(found: list[Passage], flags: pd.Series) -> list[Passage]:
    """The passages the run marks ``primary``, in the method's order: targets as they first
    appear, each target's passages by position (see :func:`analysis.reuse.primary_passages`)."""
    first = {t: k for k, t in enumerate(dict.fromkeys(p.target_id for p in found))}
    keep = [p for p, flag in zip(found, flags) if flag]
    return sorted(keep, key=lambda p: (first[p.target_id], p.target_words, p.source_id))


def results_from_run(run: StoredRun, corpus: Corpus) -> Results:
    """The reuse chapter's :class:`Results` from the tables of ``run`` (``corpus`` is
    ``run.corpus()``): passages rebuilt from the ``passages`` table, every other frame as the
    pipeline stored it."""
    table = run.table("passages")
    found = passages_from_frame(table)
    c = run.manifest["config"]["reuse"]
    setup = run.table("reuse_setup")
    return Results(
        params=Params(n=c["n"], max_gap=c["max_gap"], min_words=c["min_words"], pad=c["pad"]),
        docs=documents(corpus), found=found, primary=_primary(found, table["primary"]),
        scores=run.table("pair_scores"), edits=run.table("edits"),
        labels=run.table("sentence_labels"), composition=run.table("composition"),
        common=run.table("common_source"), directions=run.table("directions"),
        spelling=run.table("spelling"), framing_edits=run.table("framing_edits"),
        setup=(SyntheticSetup(*setup.iloc[0][["source_id", "host_id", "vocab_id"]])
               if len(setup) else None),
        synthetic=run.table("reuse_synthetic"), null_pairs=run.table("reuse_null_pairs"),
        calibration=run.table("reuse_calibration"))


def substantive_edits(edits: pd.DataFrame) -> pd.DataFrame:
    """The content edits (substitution, insertion, deletion) for the reader, with places."""
    e = edits[edits["kind"].isin(SUBSTANTIVE)]
    return pd.DataFrame({
        "source": e["source_sentence_id"], "target": e["target_sentence_id"], "kind": e["kind"],
        "old": e["old"].replace("", "—"), "new": e["new"].replace("", "—"),
        "source chars": e["source_start"].astype(str) + "–" + e["source_end"].astype(str),
        "target chars": e["target_start"].astype(str) + "–" + e["target_end"].astype(str),
    }).reset_index(drop=True)


def common_source_table(common: pd.DataFrame) -> pd.DataFrame:
    """:func:`common_source` for the reader: one column per case, one row per measure."""
    out = common.astype(str).T.reset_index()
    out.columns = ["measure"] + [f"case {k + 1}" for k in range(len(common))]
    out["measure"] = out["measure"].str.replace("_", " ")
    return out


# --- Side-by-side view --------------------------------------------------------------------------

STYLES = {
    "substitution": ("background:#ffe08a", "background:#ffe08a"),
    "insertion": ("", "background:#bfe8c4"),
    "deletion": ("background:#f6c4c0;text-decoration:line-through", ""),
    "function_word": ("background:#e4e4e4", "background:#e4e4e4"),
    "spelling": ("border-bottom:2px dotted #0072B2", "border-bottom:2px dotted #0072B2"),
    "punctuation": ("", ""),
}
LEGEND = ("substitution", "insertion", "deletion", "function_word", "spelling")


def _highlight(text: str, start: int, end: int, marks: list[tuple[int, int, str]]) -> str:
    out, pos = [], start
    for s, e, style in sorted(marks):
        if e <= s or not style or s < pos:
            continue
        out.append(html.escape(text[pos:s]))
        out.append(f'<span style="{style}">{html.escape(text[s:e])}</span>')
        pos = e
    out.append(html.escape(text[pos:end]))
    return "".join(out).replace("\n", "<br>")


@dataclass(frozen=True, eq=False)
class PassageView:
    """Aligned passages side by side, edits highlighted; article text is escaped."""

    rows: tuple[tuple[str, str, str, str, str], ...]  # title, source html, target html, ids

    def _repr_html_(self) -> str:
        legend = " ".join(
            f'<span style="{STYLES[k][1] or STYLES[k][0]};padding:0 3px">{k.replace("_", " ")}'
            f"</span>" for k in LEGEND)
        parts = [f'<div class="ws-passages"><p style="font-size:0.9em">Marked: {legend}. '
                 "Left: the earlier report; right: the later one.</p>"]
        for title, left, right, sid, tid in self.rows:
            parts.append(
                '<table style="width:100%;table-layout:fixed;border-collapse:collapse;'
                'margin-bottom:1.2em;font-size:0.9em;line-height:1.5">'
                f'<caption style="text-align:left;font-weight:bold">{html.escape(title)}</caption>'
                f'<tr><th style="width:50%;text-align:left">{html.escape(sid)}</th>'
                f'<th style="text-align:left">{html.escape(tid)}</th></tr>'
                f'<tr><td style="vertical-align:top;padding:4px 8px;border:1px solid #ddd">{left}'
                f'</td><td style="vertical-align:top;padding:4px 8px;border:1px solid #ddd">'
                f"{right}</td></tr></table>")
        parts.append("</div>")
        return "".join(parts)

    def __repr__(self) -> str:
        return f"PassageView: {len(self.rows)} passages"


def side_by_side(res: Results, corpus: Corpus) -> PassageView:
    """A :class:`PassageView` of the primary passages, marked with the stored edits; reports
    and sentences named for the reader (manifest label, sentence number)."""
    return passage_view(res.primary, res.docs, res.edits, _sentence_finder(corpus),
                        names=_labels(corpus))


def _doc_sentence_finder(docs: dict[str, Doc]):
    """Sentence labels (``<id> sentence <k>``) from the documents alone, for texts outside
    the corpus."""
    def find(doc_id: str, pos: int) -> str:
        doc = docs[doc_id]
        k = max(0, bisect.bisect_right([t.start for t in doc.tokens], pos) - 1)
        return f"sentence {doc.sentence_of[k] + 1 if doc.sentence_of else 1}"
    return find


def _span_name(doc_id: str, first: str, last: str, names: dict[str, str]) -> str:
    """"AFP wire, sentences 9–12" from the sentence names at a passage's two ends."""
    def num(s: str) -> str:
        m = re.search(r"(\d+)$", s)
        return str(int(m.group(1))) if m else s
    a, b = num(first), num(last)
    where = f"sentence {a}" if a == b else f"sentences {a}–{b}"
    return f"{names.get(doc_id, doc_id)}, {where}"


def _inside(edits: pd.DataFrame, p: Passage) -> list[dict]:
    """The rows of ``edits`` (the run's ``edits`` table) inside passage ``p``."""
    e = edits[(edits["source_id"] == p.source_id) & (edits["target_id"] == p.target_id)
              & (edits["source_start"] >= p.source_start) & (edits["source_end"] <= p.source_end)
              & (edits["target_start"] >= p.target_start) & (edits["target_end"] <= p.target_end)]
    return e.to_dict("records")


def passage_view(shown: list[Passage], docs: dict[str, Doc], edits: pd.DataFrame,
                 find=None, names: dict[str, str] | None = None) -> PassageView:
    """A :class:`PassageView` of ``shown`` passages of ``docs``, marked with the rows of
    ``edits`` inside each; ``find(doc_id, offset)`` names the sentence at an offset (default:
    counted in the documents themselves)."""
    find = _doc_sentence_finder(docs) if find is None else find
    rows = []
    for p in shown:
        src, tgt = docs[p.source_id], docs[p.target_id]
        edits_in = _inside(edits, p)
        left = _highlight(src.text, p.source_start, p.source_end,
                          [(e["source_start"], e["source_end"], STYLES[e["kind"]][0])
                           for e in edits_in])
        right = _highlight(tgt.text, p.target_start, p.target_end,
                           [(e["target_start"], e["target_end"], STYLES[e["kind"]][1])
                            for e in edits_in])
        n_sub = sum(e["kind"] in SUBSTANTIVE for e in edits_in)
        nm = names or {}
        title = (f"{nm.get(p.source_id, p.source_id)} → {nm.get(p.target_id, p.target_id)}: "
                 f"{count(p.n_matched, 'aligned word')}, identity {p.identity:.2f}, "
                 f"{count(n_sub, 'content edit')}")
        sid = _span_name(p.source_id, find(p.source_id, p.source_start),
                         find(p.source_id, p.source_end - 1), nm)
        tid = _span_name(p.target_id, find(p.target_id, p.target_start),
                         find(p.target_id, p.target_end - 1), nm)
        rows.append((title, left, right, sid, tid))
    return PassageView(tuple(rows))


# --- Charts -----------------------------------------------------------------------------------
# Every chart, legend included, stays within 640 px: legends at the bottom, widths <= 460.

def containment_chart(scores: pd.DataFrame, corpus: Corpus) -> alt.Chart:
    """Heatmap: share of each row report's word trigrams found in each column report."""
    names = _labels(corpus)
    order = [names[a] for a in publication_order(corpus)]
    scores = scores.assign(a=scores["a"].map(names), b=scores["b"].map(names))
    side = min(420, 60 * len(order))
    base = alt.Chart(scores).encode(
        x=alt.X("b:N", title="… found in this report", sort=order,
                axis=alt.Axis(labelAngle=-30, orient="top", labelLimit=120)),
        y=alt.Y("a:N", title="Share of this report's trigrams …", sort=order,
                axis=alt.Axis(labelLimit=140)))
    rect = base.mark_rect(stroke="white").encode(
        color=alt.Color("containment:Q", title="Containment",
                        scale=alt.Scale(scheme="blues", domain=[0, 1]),
                        legend=alt.Legend(orient="bottom", format="%")),
        tooltip=[alt.Tooltip("a:N", title="Report"), alt.Tooltip("b:N", title="Found in"),
                 alt.Tooltip("containment:Q", format=".1%"),
                 alt.Tooltip("jaccard:Q", format=".3f"), alt.Tooltip("cosine:Q", format=".2f")])
    text = base.mark_text(fontSize=12).encode(
        text=alt.Text("containment:Q", format=".0%"),
        color=alt.condition("datum.containment > 0.4", alt.value("white"), alt.value("#222")))
    return (rect + text).properties(width=side, height=min(300, 45 * len(order)))


def map_data(corpus: Corpus, primary: list[Passage]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Nodes (reports by publication date, one lane each) and links (aligned words)."""
    a = corpus.articles.set_index("id")
    order = publication_order(corpus)
    nodes = pd.DataFrame({"id": order, "label": [a.loc[i, "label"] for i in order],
                          "date": [a.loc[i, "date"] for i in order],
                          "lane": list(range(len(order), 0, -1))})
    lane, date = nodes.set_index("id")["lane"], nodes.set_index("id")["date"]
    links = pd.DataFrame([{"source": s, "target": t, "words": sum(p.n_matched for p in g)}
                          for (s, t), g in _by_pair(primary).items()],
                         columns=["source", "target", "words"])
    links["date"], links["date2"] = links["source"].map(date), links["target"].map(date)
    links["lane"], links["lane2"] = links["source"].map(lane), links["target"].map(lane)
    names = a["label"]
    links["source_label"] = links["source"].map(names)
    links["target_label"] = links["target"].map(names)
    return nodes, links


def reuse_map_chart(corpus: Corpus, primary: list[Passage]) -> alt.LayerChart:
    """Reports placed by publication date; a link from source to copier, width = words."""
    nodes, links = map_data(corpus, primary)
    pad = pd.Timedelta(days=1)
    x = alt.X("date:T", title="Publication date",
              scale=alt.Scale(domain=[(nodes["date"].min() - pad).isoformat(),
                                      (nodes["date"].max() + pad * 3).isoformat()]),
              axis=alt.Axis(format="%d %b", labelAngle=0, tickCount="day"))
    y = alt.Y("lane:Q", axis=None, scale=alt.Scale(domain=[0.5, len(nodes) + 0.5]))
    edges = alt.Chart(links).mark_rule(color="#E69F00", opacity=0.8).encode(
        x=x, y=y, x2="date2:T", y2="lane2:Q",
        strokeWidth=alt.StrokeWidth("words:Q", title="Aligned words",
                                    scale=alt.Scale(range=[2, 12]),
                                    legend=alt.Legend(orient="bottom")),
        tooltip=[alt.Tooltip("source_label:N", title="Source"),
                 alt.Tooltip("target_label:N", title="Copy"),
                 alt.Tooltip("words:Q", title="Aligned words")])
    points = alt.Chart(nodes).mark_point(filled=True, size=160, color="#0072B2",
                                         opacity=1).encode(x=x, y=y, tooltip=["label:N",
                                                                             "date:T"])
    names = alt.Chart(nodes).mark_text(align="left", dx=10, fontSize=12).encode(
        x=x, y=y, text="label:N")
    return (edges + points + names).properties(width=560, height=max(160, 36 * len(nodes)))


COMPOSITION_PARTS = ("verbatim", "edited", "original")


def composition_chart(comp: pd.DataFrame) -> alt.Chart:
    """Each later report's words: verbatim copy, edited (inside copied sentences), original."""
    long = comp.melt(id_vars=["label"], value_vars=list(COMPOSITION_PARTS),
                     var_name="part", value_name="count")
    long["order"] = long["part"].map({p: k for k, p in enumerate(COMPOSITION_PARTS)})
    return alt.Chart(long).mark_bar().encode(
        x=alt.X("count:Q", title="Words"),
        y=alt.Y("label:N", title=None, sort=list(comp["label"])),
        color=alt.Color("part:N", title="Words that are",
                        scale=alt.Scale(domain=list(COMPOSITION_PARTS),
                                        range=["#0072B2", "#E69F00", "#cccccc"]),
                        legend=alt.Legend(orient="bottom")),
        order=alt.Order("order:Q"),
        tooltip=["label:N", "part:N", "count:Q"],
    ).properties(width=440, height=max(100, 32 * len(comp)))


DASHES = {"substitution": [1, 0], "insertion": [6, 3], "deletion": [2, 2],
          "reordering": [8, 2, 2, 2], "mixed": [1, 0]}
SHAPES = {"substitution": "circle", "insertion": "square", "deletion": "triangle-up",
          "reordering": "diamond", "mixed": "cross"}


def coinciding_kinds(syn: pd.DataFrame) -> list[tuple[str, str]]:
    """Pairs of edit kinds whose recall is the same at every rate (their lines coincide)."""
    series = {k: tuple(g.sort_values("rate")["recall"]) for k, g in syn.groupby("kind")}
    kinds = [k for k in SYNTHETIC_KINDS if k in series]
    return [(a, b) for i, a in enumerate(kinds) for b in kinds[i + 1:] if series[a] == series[b]]


def synthetic_chart(syn: pd.DataFrame) -> alt.Chart:
    """Passage recall against the share of words edited, one line per kind of edit.

    Lines differ in colour, dash and point shape, and sit in slightly different places on the
    rate axis (a small offset per kind), so kinds with the same values all stay visible.
    """
    kinds = [k for k in SYNTHETIC_KINDS if k in set(syn["kind"])]
    step = 0.006
    data = syn.assign(shown_rate=syn["rate"] + syn["kind"].map(
        {k: (i - (len(kinds) - 1) / 2) * step for i, k in enumerate(kinds)}))
    legend = alt.Legend(orient="bottom", columns=3)
    return alt.Chart(data).mark_line(point=alt.OverlayMarkDef(filled=True, size=60)).encode(
        x=alt.X("shown_rate:Q", title="Share of copied words edited",
                axis=alt.Axis(format="%")),
        y=alt.Y("recall:Q", title="Planted passages found", axis=alt.Axis(format="%"),
                scale=alt.Scale(domain=[0, 1.02])),
        color=alt.Color("kind:N", title="Edit", sort=kinds, legend=legend),
        strokeDash=alt.StrokeDash("kind:N", title="Edit", sort=kinds, legend=legend,
                                  scale=alt.Scale(domain=kinds,
                                                  range=[DASHES[k] for k in kinds])),
        shape=alt.Shape("kind:N", title="Edit", sort=kinds, legend=legend,
                        scale=alt.Scale(domain=kinds, range=[SHAPES[k] for k in kinds])),
        tooltip=["kind:N", alt.Tooltip("rate:Q", format=".0%"), "found:Q", "trials:Q",
                 alt.Tooltip("coverage:Q", format=".2f")],
    ).properties(width=460, height=260)


def calibration_chart(cal: pd.DataFrame) -> alt.HConcatChart:
    """Planted words recovered and false passages on unrelated real pairs, by n and max_gap."""
    base = alt.Chart(cal).mark_line(point=True).encode(
        x=alt.X("max_gap:Q", title="max_gap (words)"),
        color=alt.Color("n:O", title="Seed n-gram size n",
                        legend=alt.Legend(orient="bottom")))
    rec = base.encode(y=alt.Y("coverage:Q", title="Planted words recovered",
                              axis=alt.Axis(format="%"), scale=alt.Scale(domain=[0, 1])))
    false = base.encode(y=alt.Y("false_passages:Q", title="Passages on unrelated pairs",
                                axis=alt.Axis(tickMinStep=1)))
    return alt.hconcat(rec.properties(width=220, height=200),
                       false.properties(width=220, height=200))


# --- Content edits and contested labels -------------------------------------------------------

def _covers(text: str, part: str, start: int, end: int) -> bool:
    """Whether ``part`` stands in ``text`` at a place that covers ``start``–``end``."""
    if not part:
        return start == end
    at = text.find(part, max(0, end - len(part)))
    return at != -1 and at <= start


def label_edits(res: Results) -> pd.DataFrame:
    """The content edits, each with the contested labels it changes, from the run's
    ``framing_edits`` (edits that add, drop or replace a label of the framing lexicon, a label
    partly inside the edit included): ``old_labels``, ``new_labels``, ``touches_label``, and
    ``old_words``/``new_words``, the edited words widened to the labels they touch."""
    e = res.edits[res.edits["kind"].isin(SUBSTANTIVE)].reset_index(drop=True)
    key = ["source_id", "target_id", "kind", "source_sentence_id", "target_sentence_id"]
    free = e.groupby(key, sort=False).indices
    free = {k: list(v) for k, v in free.items()}
    out = e.assign(old_labels="", new_labels="", touches_label=False, old_words=e["old"],
                   new_words=e["new"])
    for f in res.framing_edits.to_dict("records"):
        src, tgt = res.docs[f["source_id"]].text, res.docs[f["target_id"]].text
        rows = free.get(tuple(f[k] for k in key), [])
        at = next((i for i in rows
                   if _covers(src, f["old"], e.at[i, "source_start"], e.at[i, "source_end"])
                   and _covers(tgt, f["new"], e.at[i, "target_start"], e.at[i, "target_end"])),
                  None)
        if at is None:
            raise ValueError(f"the run's framing edit {f['old']!r} -> {f['new']!r} "
                             f"({f['source_id']} -> {f['target_id']}) is not one of its edits; "
                             "run the pipeline again")
        rows.remove(at)
        out.loc[at, ["old_labels", "new_labels", "touches_label", "old_words", "new_words"]] = [
            f["labels_before"], f["labels_after"], True, f["old"], f["new"]]
    return out


def _quote(text: str) -> str:
    """Article words quoted in Markdown prose: data, so escaped."""
    return f"“{plain_markdown(text)}”" if text else "(nothing)"


def _change(row) -> str:
    if row["kind"] == "insertion":
        return f"{_quote(row['new_words'])} added"
    if row["kind"] == "deletion":
        return f"{_quote(row['old_words'])} left out"
    return f"{_quote(row['old_words'])} → {_quote(row['new_words'])}"


# --- Roles found in the data ------------------------------------------------------------------

@dataclass(frozen=True)
class Roles:
    """Reports that fill the roles the chapter's prose speaks of (``None``: nobody does)."""

    copier: str | None          # the report that takes most from earlier ones
    copier_source: str | None   # the earlier report it takes most words from
    edit_source: str | None     # the pair with most content edits: source ...
    edit_target: str | None     # ... and target
    non_derived: tuple[str, ...]  # later reports sharing no passage with any earlier one


def roles(res: Results) -> Roles:
    """:class:`Roles` from the method's results (ties: the earlier in publication order)."""
    order = list(res.docs)
    comp = res.composition
    copier = source = None
    if len(comp) and comp["derived_share"].max() > 0:
        copier = comp.loc[comp["derived_share"].idxmax(), "article_id"]
        d = res.directions[res.directions["target_id"] == copier]
        source = d.sort_values("aligned_words", ascending=False,
                               kind="stable").iloc[0]["source_id"]
    sub = res.edits[res.edits["kind"].isin(SUBSTANTIVE)]
    es = et = None
    if len(sub):
        counts = sub.groupby(["source_id", "target_id"]).size().reset_index(name="n")
        counts["t"] = counts["target_id"].map(order.index)
        best = counts.sort_values(["n", "t"], ascending=[False, True], kind="stable").iloc[0]
        es, et = best["source_id"], best["target_id"]
    targets = {q.target_id for q in res.found}
    non = tuple(a for a in comp["article_id"] if a not in targets)
    return Roles(copier, source, es, et, non)


def _pct(x: float) -> str:
    return f"{x:.0%}"


def _labels(corpus: Corpus) -> dict[str, str]:
    """Article labels as they are, for tables (which escape every cell)."""
    return corpus.articles.set_index("id")["label"].to_dict()


def _names(corpus: Corpus) -> dict[str, str]:
    """Article labels for the chapter's Markdown prose: manifest values, so escaped."""
    return {k: plain_markdown(v) for k, v in _labels(corpus).items()}


def _join(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def key_numbers(res: Results, corpus: Corpus) -> dict[str, object]:
    """The numbers the chapter states in its fixed prose, by glue name (any corpus)."""
    e, lab = res.edits, res.labels
    p = res.params
    return {
        "p_n": p.n, "p_max_gap": p.max_gap, "p_min_words": p.min_words, "p_pad": p.pad,
        "min_run": MIN_RUN, "min_share": _pct(MIN_SHARE),
        "meter_wholly": _pct(METER_WHOLLY), "meter_partially": _pct(METER_PARTIALLY),
        "n_articles": len(res.docs), "n_later": len(res.composition),
        "n_passages": len(res.primary), "n_passages_all": len(res.found),
        "n_pairs_copying": int(res.directions.shape[0]),
        "n_edits": len(e), "n_substantive": int(e["kind"].isin(SUBSTANTIVE).sum()),
        "n_substitutions": int((e["kind"] == "substitution").sum()),
        "n_insertions": int((e["kind"] == "insertion").sum()),
        "n_deletions": int((e["kind"] == "deletion").sum()),
        "n_spelling": int((e["kind"] == "spelling").sum()),
        "n_punct": int((e["kind"] == "punctuation").sum()),
        "n_function": int((e["kind"] == "function_word").sum()),
        "n_verbatim": int((lab["label"] == "verbatim").sum()),
        "n_edited": int((lab["label"] == "edited").sum()),
        "n_new": int((lab["label"] == "new").sum()),
        "n_labelled": len(lab),
    }


# --- Prose that depends on the roles (glued as Markdown) --------------------------------------

def count_sentences(res: Results) -> dict[str, str]:
    """The chapter's counting sentences, every number with its noun (present.words)."""
    k = key_numbers(res, None)
    map_md = (f"The alignment finds {count(k['n_passages_all'], 'passage')} between earlier and "
              "later reports. Where a report copied a report that itself copied another, both "
              "pairs produce a passage over the same words; keeping, for each stretch of the "
              f"later text, the version with most aligned words leaves "
              f"{count(k['n_passages'], 'passage')} in {count(k['n_pairs_copying'], 'copying pair')}")
    labels_md = (f"Of {count(k['n_labelled'], 'sentence')} in the "
                 f"{count(k['n_later'], 'later report')}, {number(k['n_verbatim'])} "
                 f"{verb(k['n_verbatim'], 'is a verbatim copy', 'are verbatim copies')}, "
                 f"{number(k['n_edited'])} {plural(k['n_edited'], 'an edited copy', 'edited copies')}"
                 f" and {number(k['n_new'])} new.")
    edits_md = (f"The aligned passages contain {count(k['n_edits'], 'edit')}: "
                f"{count(k['n_punct'], 'punctuation or quote-style change')}, "
                f"{count(k['n_spelling'], 'spelling variant')}, "
                f"{count(k['n_function'], 'function-word change')} and "
                f"{count(k['n_substantive'], 'content edit')} "
                f"({count(k['n_substitutions'], 'substitution')}, "
                f"{count(k['n_insertions'], 'insertion')}, "
                f"{count(k['n_deletions'], 'deletion')}).")
    return {"map-md": map_md, "labels-md": labels_md, "edit-counts-md": edits_md}


def _pair_scores(res: Results) -> pd.DataFrame:
    return res.scores.set_index(["a", "b"])


def intro_markdown(res: Results, corpus: Corpus) -> str:
    """The chapter's opening findings, over roles found in the data."""
    r, nm = roles(res), _names(corpus)
    comp = res.composition.set_index("article_id")
    n_later, n_copying = len(comp), len(comp) - len(r.non_derived)
    out = [f"Of the {count(n_later, 'later report')}, {number(n_copying)} "
           f"{verb(n_copying, 'shares', 'share')} passages with an earlier one."]
    if r.copier is not None:
        c = comp.loc[r.copier]
        n_sources = int((res.directions["target_id"] == r.copier).sum())
        to = (f"all of them to {nm[r.copier_source]}" if n_sources == 1
              else f"most of them to {nm[r.copier_source]}")
        out.append(f"{nm[r.copier]} has the largest share: {_pct(c['derived_share'])} of its "
                   f"words are aligned, word for word, to an earlier report ({to}), which "
                   f"makes it *{c['meter']}* in the METER classes (see below).")
        out.append(_tie_sentence(res, corpus, r.copier, r.copier_source))
    for row in res.common.itertuples():
        if row.verdict.startswith(f"{row.target} copied {row.later}'s"):
            out.append(f"{nm[row.target]} shares wording with both {nm[row.earlier]} and "
                       f"{nm[row.later]}, and where their two texts differ it follows "
                       f"{nm[row.later]}'s.")
    if r.edit_target is not None:
        le = label_edits(res)
        pair = le[(le["source_id"] == r.edit_source) & (le["target_id"] == r.edit_target)]
        touch = pair[pair["touches_label"]]
        sent = (f"The pair with most content edits is {nm[r.edit_source]} → "
                f"{nm[r.edit_target]}: {count(len(pair), 'content edit')}, of which "
                f"{number(len(touch)) if len(touch) else 'none'} "
                f"{verb(len(touch), 'adds, drops or replaces', 'add, drop or replace') if len(touch) else 'adds, drops or replaces'}"
                " a contested label of the framing lexicon")
        out.append(sent + (": " + "; ".join(_change(x) for _, x in touch.iterrows()) + "."
                           if len(touch) else "."))
    if r.non_derived:
        names = [nm[a] for a in r.non_derived]
        out.append(f"{_join(names)} {verb(len(names), 'shares', 'share')} no passage with any earlier report: *non-derived* "
                   "here.")
    out.append(for_book_only(corpus, "(Unattributed (004) may be a reworded copy of a story "
                                     "that is not in this corpus: its only source line names "
                                     "a Japanese news site, and the chapter on spin weighs its "
                                     "odd word choices without calling it spun.)"))
    return " ".join(x for x in out if x)


def _times(n: int) -> str:
    """"never", "once", "twice", "three times"."""
    return {0: "never", 1: "once", 2: "twice"}.get(int(n), f"{number(n)} times")


def _tie_sentence(res: Results, corpus: Corpus, copier: str, source: str) -> str:
    """When a pair's order rests only on a wire credit on a shared date: say so, and what each
    text holds that the other lacks ('' when dates decide)."""
    nm = _names(corpus)
    d = res.directions[(res.directions["source_id"] == source)
                       & (res.directions["target_id"] == copier)]
    if d.empty or not str(d.iloc[0]["direction_basis"]).startswith("same date"):
        return ""
    pair = [p for p in res.primary if p.source_id == source and p.target_id == copier]
    covered = _union([(p.source_words[0], p.source_words[1]) for p in pair])
    n_source = len(res.docs[source].tokens)
    comp = res.composition.set_index("article_id").loc[copier]
    own = int(comp["words"] - comp["verbatim"])
    return (f"The two carry the same date: {nm[source]} is taken as the source only because it "
            f"carries a wire credit, a tie-break that does not show which was written first. "
            f"Each holds text the other lacks ({count(n_source - covered, 'word')} of "
            f"{nm[source]}'s lie outside the shared passages, {count(own, 'word')} of "
            f"{nm[copier]}'s are not aligned), so {nm[copier]} reads as a print of a version "
            f"of {nm[source]}'s story rather than a rewrite of the text here.")


def _union(spans: list[tuple[int, int]]) -> int:
    """How many positions the half-open ``spans`` cover together (overlaps counted once)."""
    covered, reach = 0, 0
    for a, b in sorted(spans):
        covered += max(0, b - max(a, reach))
        reach = max(reach, b)
    return covered


def sizes_markdown(res: Results, corpus: Corpus) -> str:
    """Why the chapter gives several sizes for one copy: passage alignments (an earlier word
    aligned in two overlapping passages counts twice), aligned words of the later report in
    derived sentences (the composition), and shared trigram types (containment)."""
    r, nm = roles(res), _names(corpus)
    if r.copier is None:
        return ""
    a, b = r.copier, r.copier_source
    pair = [p for p in res.primary if p.source_id == b and p.target_id == a]
    d = res.directions[(res.directions["source_id"] == b) & (res.directions["target_id"] == a)]
    aligned = int(d.iloc[0]["aligned_words"]) if len(d) else sum(p.n_matched for p in pair)
    spans = [(p.source_words[0], p.source_words[1]) for p in pair]
    twice = sum(e - s for s, e in spans) - _union(spans)
    verbatim = int(res.composition.set_index("article_id").loc[a, "verbatim"])
    sc = _pair_scores(res)
    shared = int(sc.loc[(a, b), "shared_ngrams"]) if (a, b) in sc.index else 0
    out = [f"**One copy, three sizes.** The passages between {nm[b]} and {nm[a]} align "
           f"{count(aligned, 'word')} (the directions table)"]
    if twice:
        out[-1] += (f"; two passages overlap on the {nm[b]} side, so "
                    f"{count(twice, 'word')} of {nm[b]} {verb(twice, 'is', 'are')} aligned "
                    "twice, once in each")
    out[-1] += "."
    out.append(f"{capital(count(verbatim, 'word'))} of {nm[a]} are aligned inside sentences "
               f"derived from an earlier sentence (the composition, where each word counts "
               f"once and only its best source sentence counts). The containment figure counts "
               f"something else: {count(shared, 'distinct word trigram')} the two texts share.")
    return " ".join(out)


def containment_markdown(res: Results, corpus: Corpus) -> str:
    """What the containment figure shows: the copier/source asymmetry, the unrelated pairs."""
    r, nm, sc = roles(res), _names(corpus), _pair_scores(res)
    out = []
    if r.copier is not None:
        a, b = r.copier, r.copier_source
        ab, ba = sc.loc[(a, b), "containment"], sc.loc[(b, a), "containment"]
        if ab > ba:
            out.append(f"The asymmetry identifies the shorter text, not the copy: "
                       f"{_pct(ab)} of {nm[a]}'s trigrams are in {nm[b]}, but only {_pct(ba)} "
                       f"of {nm[b]}'s are in {nm[a]}, because {nm[b]} is the longer text. "
                       "Which one copied is a matter of dates and credits (below).")
        else:
            out.append(f"{_pct(ab)} of {nm[a]}'s trigrams are in {nm[b]}, and {_pct(ba)} of "
                       f"{nm[b]}'s are in {nm[a]}: containment alone does not show which "
                       "copied which here.")
    shared = {frozenset((q.source_id, q.target_id)) for q in res.found}
    free = [k for k in sc.index if frozenset(k) not in shared]
    if free:
        out.append(f"Pairs that share no passage stay at or below "
                   f"{_pct(sc.loc[free, 'containment'].max())} containment: shared names and "
                   "stock phrases, not copied text. The TF-IDF cosine, by contrast, reaches "
                   f"{sc.loc[free, 'cosine'].max():.2f} even for such a pair: reports on the "
                   "same event share vocabulary, so cosine similarity alone cannot say who "
                   "copied.")
    return " ".join(out)


def spelling_markdown(res: Results, corpus: Corpus) -> str:
    """For pairs ordered by a wire credit on a shared date: does the spelling agree?"""
    nm, sp = _names(corpus), res.spelling.set_index("article_id")
    out = []
    for row in res.directions.itertuples(index=False):
        basis = row[4]
        if not basis.startswith("same date;"):
            continue
        s, t = row[0], row[1]
        counts = (f"{nm[s]} uses {sp.loc[s, 'british']} British and {sp.loc[s, 'american']} "
                  f"American forms from the variants table, {nm[t]} {sp.loc[t, 'british']} "
                  f"British and {sp.loc[t, 'american']} American.")
        agrees = (sp.loc[s, "british"] > sp.loc[s, "american"]
                  and sp.loc[t, "american"] > sp.loc[t, "british"])
        out.append(f"{nm[s]} → {nm[t]} share a date and are ordered by the wire credit. "
                   + counts + (" A British-spelling wire re-spelled by an American-spelling "
                               "outlet is the expected direction; the reverse (an agency "
                               "re-spelling a copy into British forms, word for word otherwise)"
                               " is not." if agrees else ""))
    return " ".join(out)


def common_markdown(res: Results, corpus: Corpus) -> str:
    """Where a report shares wording with two earlier ones: whose text it follows."""
    nm = _names(corpus)
    out = []
    for row in res.common.itertuples():
        t, a, b = nm[row.target], nm[row.earlier], nm[row.later]
        ex = (f" (such as {plain_markdown(row.later_only_example)})"  # article words
              if row.later_only_example else "")
        text = (f"**Which text was copied?** {t} shares wording with both {a} and {b}. Of the "
                f"words it shares with them, {number(row.shared_with_both)} "
                f"{verb(row.shared_with_both, 'is', 'are')} in both texts; "
                f"{number(row.only_in_later)} {verb(row.only_in_later, 'is', 'are')} only in "
                f"{b}'s text{ex}, wording that {a}'s text in this corpus lacks, and "
                f"{number(row.only_in_earlier) if row.only_in_earlier else 'none'} only in {a}'s. Where the two "
                f"spell a shared word differently, {t} follows {b} "
                f"{_times(row.spelled_as_later)} and {a} {_times(row.spelled_as_earlier)}.")
        if row.verdict.startswith(f"{row.target} copied {row.later}'s"):
            text += (f" So, of the texts here, {t}'s source is {b}'s text (or one worded like "
                     f"it), not {a}'s.")
        elif row.verdict.startswith(f"{row.target} copied {row.earlier}'s"):
            text += f" So, of the texts here, {t}'s source is {a}'s text, not {b}'s."
        else:
            text += f" The texts do not settle which one {t} copied."
        out.append(text)
    return "\n\n".join(out)


def edits_markdown(res: Results, corpus: Corpus) -> str:
    """Content edits per copying pair, and how many touch a contested label."""
    nm = _names(corpus)
    le = label_edits(res)
    out = []
    for (s, t), g in le.groupby(["source_id", "target_id"], sort=False):
        touch = g[g["touches_label"]]
        line = (f"Between {nm[s]} and {nm[t]}: {count(len(g), 'content edit')}, "
                f"{number(len(touch)) if len(touch) else 'none'} of them touching a contested "
                "label")
        out.append(line + (" (" + "; ".join(_change(x) for _, x in touch.iterrows()) + ")."
                           if len(touch) else "."))
    if not out:
        return ""
    out.append("An edit is a difference between two texts as they stand in this corpus: an "
               "insertion is wording the earlier text lacks, which the later outlet may have "
               "written or taken from another version of the story that is not in the corpus. "
               "A content edit is a change of words, not necessarily of meaning: a verb of "
               "saying swapped for another counts as one.")
    out.append(for_book_only(corpus, "The AFP wire text here is one version of the day's "
                                     "dispatch; the Times of Israel may have printed another, "
                                     "so its differences from the AFP wire text are not "
                                     "evidence of its own editing."))
    return " ".join(x for x in out if x)


VALIDATION_CAVEAT = (
    "This is less than it looks. The corpus is small and the copying in it is plain: long "
    "verbatim runs, or no shared run at all, with few borderline sentences (the annotation notes "
    "two, sentence 10 of the Times of Israel and sentence 8 of VOA, which share only five- and "
    "seven-word phrases). The method's "
    "thresholds mirror the annotation's definitions, written by the same person. The synthetic "
    "check below is the better guide to where the method fails.")


def validation_markdown(ev: pd.DataFrame | None) -> str:
    """The validation numbers in prose, or one honest sentence when there is no annotation."""
    if ev is None:
        return ("This corpus has no hand annotation of sentence reuse "
                "(`annotations/reuse/sentences.csv` in the corpus folder), so the sentence "
                "labels are not validated here.")
    e = ev.set_index("label")

    def pr(lab: str) -> str:
        return (f"{e.loc[lab, 'precision']:.2f} and {e.loc[lab, 'recall']:.2f} for *{lab}* "
                f"({e.loc[lab, 'gold']} annotated sentences)")

    src = e.loc["derived, right source"]
    return ("Every sentence of the later reports was annotated by hand with its source sentence "
            "(or none) and a label (`annotations/reuse/` in the corpus folder, whose README gives "
            f"the definitions); the table below scores the method against it. "
            f"Precision and recall are {pr('verbatim')}, {pr('edited')} and {pr('new')}; a "
            f"derived sentence is given its annotated source sentence with precision "
            f"{src['precision']:.2f} and recall {src['recall']:.2f}.")


def synthetic_markdown(syn: pd.DataFrame, setup: SyntheticSetup | None,
                       corpus: Corpus) -> str:
    """How the synthetic check was set up and what it found."""
    if setup is None or syn.empty:
        return ("No report in this corpus shares nothing with the others, so there is no "
                "host text to plant copies in: the synthetic check is not run.")
    nm = _names(corpus)
    r = syn.set_index(["kind", "rate"])["recall"]
    rates = sorted(syn["rate"].unique())
    top = max(rates)
    worst = syn[syn["rate"] == top].sort_values(["recall", "kind"]).iloc[0]
    perfect = [x for x in rates if (syn[syn["rate"] <= x]["recall"] == 1).all()]
    out = [f"Three consecutive sentences of {nm[setup.source_id]} (the report that gives most "
           f"words to later ones), edited at a controlled rate, are planted in the text of "
           f"{nm[setup.host_id]} (which shares no passage with it); substitutes and insertions "
           f"are words of {nm[setup.vocab_id]}. {int(syn['trials'].iloc[0])} seeded random "
           "trials per rate and kind of edit. A planted copy counts as found when detected "
           "passages cover half its words."]
    if perfect:
        out.append(f"Every planted copy is found up to an edit rate of {_pct(max(perfect))}.")
    if ("mixed", 0.3) in r and ("mixed", 0.5) in r:
        out.append(f"With mixed edits, {_pct(r[('mixed', 0.3)])} are found at 30% and "
                   f"{_pct(r[('mixed', 0.5)])} at 50%.")
    out.append(f"At {_pct(top)} the hardest kind is {worst['kind']}: "
               f"{_pct(worst['recall'])} of copies found.")
    out.append(f"Trials produced {count(int(syn['spurious'].sum()), 'spurious passage')} "
               "outside the planted copy.")
    return " ".join(out)


def calibration_markdown(cal: pd.DataFrame, null_basis: str, params=DEFAULT) -> str:
    """What the calibration grid says about the chosen parameters."""
    if cal.empty or cal["coverage"].isna().all():
        return ""
    c = cal.set_index(["n", "max_gap"])
    out = [f"The defaults are checked by the calibration below: the share of planted "
           f"words recovered (mixed edits) and the number of passages found on pairs that "
           f"share nothing ({null_basis}), for seed sizes and gaps."]
    if (params.n, params.max_gap) in c.index:
        chosen = c.loc[(params.n, params.max_gap)]
        out.append(f"With seeds of {params.n} words and a gap of {params.max_gap}, "
                   f"{_pct(chosen['coverage'])} of planted words are recovered")
        if (params.n, 0) in c.index:
            out[-1] += f" (against {_pct(c.loc[(params.n, 0), 'coverage'])} with no gap)"
        out[-1] += f" and {count(int(chosen['false_passages']), 'false passage')} are found."
        better = cal[(cal["n"] == params.n) & (cal["coverage"] > chosen["coverage"])
                     & (cal["false_passages"] <= chosen["false_passages"])]
        if len(better):
            gaps = join([f"{g} ({_pct(c)})" for g, c in zip(better["max_gap"],
                                                           better["coverage"])])
            out.append(f"The grid does not single out the default: with the same seed size, "
                       f"{plural(len(better), 'gap')} {gaps} "
                       f"{verb(len(better), 'recovers', 'recover')} more planted words with "
                       "no more false passages. The default was not re-tuned on this grid; a "
                       "longer gap chains seeds further apart, a risk of joining unrelated "
                       "shared phrases in longer texts that these few pairs cannot measure. "
                       "To use another gap, run with `--set reuse.max_gap=...`.")
    per_n = cal.groupby("n")["false_passages"].max()
    out.append("Most false passages at any gap, by seed size: "
               + join([f"{v} for n = {k}" for k, v in per_n.items()]) + ".")
    return " ".join(out)


# --- Tables for the reader --------------------------------------------------------------------

SOURCE = "analysis.reuse"


def publish_scores(res: Results, corpus: Corpus) -> PublishedTable:
    """Containment, Jaccard and cosine for every ordered pair, most contained first."""
    nm = _labels(corpus)
    f = res.scores.sort_values(["containment", "a", "b"], ascending=[False, True, True])
    f = f.assign(a_label=f["a"].map(nm), b_label=f["b"].map(nm))
    return publish_table(
        f, "tab-reuse-scores", "Containment (share of the row report's word trigrams found in "
        "the other), Jaccard and TF-IDF cosine for every ordered pair of reports, most "
        "contained first.", f"{SOURCE}.pair_scores", show=6, precision=3,
        columns={"a_label": "Report", "b_label": "Found in", "shared_ngrams": "Shared trigrams",
                 "containment": "Containment", "jaccard": "Jaccard", "cosine": "Cosine"}, corpus=corpus)


def publish_directions(res: Results, corpus: Corpus) -> PublishedTable | None:
    """How the direction of each copying pair was decided."""
    if res.directions.empty:
        absent("tab-reuse-directions")
        return None
    nm = _labels(corpus)
    f = res.directions.sort_values("aligned_words", ascending=False, kind="stable")
    f = f.assign(source_label=f["source_id"].map(nm), target_label=f["target_id"].map(nm))
    return publish_table(
        f, "tab-reuse-directions", "Each copying pair, largest first: dates, how the direction "
        "was decided, passages and aligned words.", f"{SOURCE}.pair_directions",
        columns={"source_label": "Source", "target_label": "Copy", "source_date": "Source date",
                 "target_date": "Copy date", "direction_basis": "Direction decided by",
                 "passages": "Passages", "aligned_words": "Aligned words"}, corpus=corpus)


def publish_spelling(res: Results, corpus: Corpus) -> PublishedTable:
    """British and American spellings per report."""
    nm = _labels(corpus)
    f = res.spelling.assign(label=res.spelling["article_id"].map(nm))
    return publish_table(
        f, "tab-reuse-spelling", "British and American forms from the spelling-variants table "
        "in each report.", f"{SOURCE}.spelling_profile; analysis/resources/spelling/",
        columns={"label": "Report", "british": "British forms", "american": "American forms",
                 "british_forms": "British words", "american_forms": "American words"}, corpus=corpus)


def publish_common(res: Results, corpus: Corpus) -> PublishedTable | None:
    """For a report sharing wording with two earlier ones: which text it follows."""
    if res.common.empty:
        absent("tab-reuse-common-source")
        return None
    nm = _labels(corpus)
    f = res.common.assign(**{c: res.common[c].map(nm) for c in ("target", "earlier", "later")})
    return publish_table(
        f, "tab-reuse-common-source", "Words a report shares with two earlier texts: in both, "
        "only in one, and whose spelling it carries where they differ.",
        f"{SOURCE}.common_source",
        columns={"target": "Report", "earlier": "Earlier text", "later": "Later text",
                 "shared_with_both": "In both", "only_in_earlier": "Only in earlier",
                 "only_in_later": "Only in later", "spelled_as_earlier": "Spelled as earlier",
                 "spelled_as_later": "Spelled as later",
                 "later_only_example": "Example only in later", "verdict": "Verdict"}, corpus=corpus)


def publish_composition(res: Results) -> PublishedTable:
    """Words of each later report by kind, most derived first."""
    f = res.composition.sort_values("derived_share", ascending=False, kind="stable")
    return publish_table(
        f, "tab-reuse-composition", "Words of each later report, most derived first: aligned "
        "to an earlier report (verbatim), changed inside a copied sentence (edited), or in "
        "sentences with no source (original), and the METER class.",
        f"{SOURCE}.sentence_labels and composition", precision=3,
        columns={"label": "Report", "words": "Words", "verbatim": "Verbatim",
                 "edited": "Edited", "original": "Original", "derived_share": "Share aligned",
                 "meter": "METER class"})


def publish_edits(res: Results, corpus: Corpus) -> PublishedTable | None:
    """Every content edit with its sentences and offsets, those touching a label first."""
    le = label_edits(res)
    if le.empty:
        absent("tab-reuse-edits")
        return None
    nm = _labels(corpus)
    f = le.sort_values("touches_label", ascending=False, kind="stable").assign(
        pair=lambda d: d["source_id"].map(nm) + " → " + d["target_id"].map(nm),
        old_shown=lambda d: d["old"].replace("", "—"),
        new_shown=lambda d: d["new"].replace("", "—"),
        labels=lambda d: (d["old_labels"] + " → " + d["new_labels"]).where(
            d["touches_label"], ""),
        source_chars=lambda d: d["source_start"].astype(str) + "–" + d["source_end"].astype(str),
        target_chars=lambda d: d["target_start"].astype(str) + "–" + d["target_end"].astype(str))
    return publish_table(
        f, "tab-reuse-edits", "Every content edit inside copied passages, those that add, drop "
        "or replace a contested label of the framing lexicon first, with sentences and "
        "character offsets in both clean texts.",
        f"{SOURCE}.copied_edits; labels from analysis.framing.framing_edits", show=8,
        columns={"pair": "Pair", "kind": "Edit", "old_shown": "Earlier text",
                 "new_shown": "Later text", "labels": "Labels (earlier → later)",
                 "source_sentence_id": "Earlier sentence", "target_sentence_id": "Later sentence",
                 "source_chars": "Earlier chars", "target_chars": "Later chars"}, corpus=corpus)


def publish_evaluation(ev: pd.DataFrame | None) -> PublishedTable | None:
    """Scores of the sentence labels against the hand annotation (absent without one)."""
    if ev is None:
        absent("tab-reuse-evaluation")
        return None
    return publish_table(
        ev, "tab-reuse-evaluation", "Sentence labels against the hand annotation: per label, "
        "for derived sentences (verbatim or edited), and for derived sentences given the "
        "annotated source sentence.", "analysis.evaluation.reuse.score; "
        "annotations/reuse/sentences.csv",
        columns={"label": "Test", "gold": "Annotated", "predicted": "Predicted",
                 "correct": "Correct", "precision": "Precision", "recall": "Recall",
                 "f1": "F1"})


# --- Figures ------------------------------------------------------------------------------------

def publish_figures(res: Results, corpus: Corpus) -> None:
    """Publish the chapter's five figures (synthetic and calibration absent when not run)."""
    syn, cal, null_basis = res.synthetic, res.calibration, res.null_basis
    publish(containment_chart(res.scores, corpus), "fig-reuse-containment",
            caption="Containment: the share of the word trigrams of each report (row) that "
            "also occur in another report (column). Asymmetric: a short copy is contained in "
            "its long source.", source=f"{SOURCE}.pair_scores (matching forms of the clean "
            "texts)", data=res.scores)
    _, links = map_data(corpus, res.primary)
    publish(reuse_map_chart(corpus, res.primary), "fig-reuse-map",
            caption="Reports placed by publication date; a link joins a source to the report "
            "that copied it, its width the number of aligned words.",
            source=f"{SOURCE}.primary_passages; dates from the corpus manifest", data=links)
    publish(composition_chart(res.composition), "fig-reuse-composition",
            caption="Words of each later report: aligned to an earlier report (verbatim), "
            "changed inside a copied sentence (edited), or in sentences with no source "
            "(original).", source=f"{SOURCE}.sentence_labels and composition",
            data=res.composition)
    if syn.empty:
        absent("fig-reuse-synthetic")
        absent("fig-reuse-calibration")
        return
    same = coinciding_kinds(syn)
    note = "".join(f" The {a} and {b} lines have the same values at every rate: dash, point "
                   "shape and a small sideways offset keep both visible." for a, b in same)
    publish(synthetic_chart(syn), "fig-reuse-synthetic",
            caption="Share of planted copies found against the share of their words edited, "
            "by kind of edit (seeded random trials); each kind has its own colour, dash and "
            "point shape, and points are shifted slightly sideways by kind." + note,
            source=f"{SOURCE}.synthetic_check", data=syn)
    publish(calibration_chart(cal), "fig-reuse-calibration",
            caption="Calibration: planted words recovered (left) and passages found on pairs "
            f"with no copying ({null_basis}; right), by seed size n and maximum gap between "
            "chained seeds.", source=f"{SOURCE}.calibration", data=cal)


# --- The chapter in one call --------------------------------------------------------------------

def glue_chapter(corpus: Corpus, res: Results, ev: pd.DataFrame | None) -> None:
    """Glue every number and every data-dependent sentence of the chapter."""
    glue_values(key_numbers(res, corpus), markdown=False)
    glue_values({
        "intro-md": intro_markdown(res, corpus),
        "containment-md": containment_markdown(res, corpus),
        "spelling-md": spelling_markdown(res, corpus),
        "common-md": common_markdown(res, corpus),
        "edits-md": edits_markdown(res, corpus),
        "validation-md": validation_markdown(ev),
        "validation-caveat-md": "" if ev is None else for_book_only(corpus, VALIDATION_CAVEAT),
        "synthetic-md": synthetic_markdown(res.synthetic, res.setup, corpus),
        "calibration-md": calibration_markdown(res.calibration, res.null_basis, res.params),
        "sizes-md": sizes_markdown(res, corpus),
        **count_sentences(res),
    }, markdown=True)
