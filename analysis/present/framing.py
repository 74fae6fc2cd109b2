"""The framing chapter's charts, reader tables and prose numbers ("Words that take sides").

Everything is read from the framing tables of a stored run (:func:`from_run`; the pipeline runs
the method) and, where the corpus has a hand annotation, from
:class:`analysis.evaluation.framing.Evaluation`; prose numbers name roles found in the data (the
report with the highest rate of a group's labels, the report and label with the largest
keyness), never fixed article ids, so the chapter reads true on any corpus.
"""

from __future__ import annotations

from dataclasses import dataclass

import altair as alt
import numpy as np
import pandas as pd

from analysis import framing as fr
from analysis import text as tx
from analysis.corpus import Corpus
from analysis.evaluation.framing import Evaluation, scores_table
from analysis.present import is_book_corpus
from analysis.present.corpus import text_noun
from analysis.present.publish import plain_markdown
from analysis.present.words import capital, count, join, number, verb
from analysis.store import StoredRun

GROUP_NAMES = {"opposition": "the armed opposition", "state": "the state and its forces",
               "act": "the acts of the conflict"}
CHART_WIDTH = 600  # every chart, legend included, stays within 640 px


# --- the stored run ----------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class Tables:
    """The framing tables of a stored run, as the chapter shows them.

    ``keyness`` is bounded as the run stores it: the top ``keyness.top`` terms of each report by
    z among the terms used at least ``min_count`` times in the folder; ``term_totals`` is every
    word of the folder with its count. ``lexicon`` is rebuilt from the stored entries for
    display (labels, groups, forms), not to match anything.
    """

    lexicon: fr.Lexicon
    uses: pd.DataFrame
    counts: pd.DataFrame
    groups: pd.DataFrame
    keyness: pd.DataFrame
    term_totals: pd.DataFrame
    label_keyness: pd.DataFrame
    edits: pd.DataFrame
    min_count: int = fr.MIN_COUNT
    scope: pd.DataFrame | None = None  # lexicon_scope: which articles the lexicon applies to
    composition: pd.DataFrame | None = None  # the reuse composition (shares copied)
    directions: pd.DataFrame | None = None  # the reuse copying pairs


def _optional(run: StoredRun, name: str) -> pd.DataFrame | None:
    return run.table(name) if name in run.tables else None


def from_run(run: StoredRun) -> Tables:
    """The framing tables of ``run`` (see :class:`Tables`)."""
    lexicon = fr.make_lexicon(run.table("lexicon"), source="lexicon (stored run)",
                              exceptions=run.table("lexicon_exceptions"))
    min_count = int(run.manifest.get("config", {}).get("keyness", {}).get(
        "min_count", fr.MIN_COUNT))
    return Tables(lexicon=lexicon, uses=run.table("label_uses"),
                  counts=run.table("label_counts"), groups=run.table("group_rates"),
                  keyness=run.table("keyness"), term_totals=run.table("term_totals"),
                  label_keyness=run.table("label_keyness"), edits=run.table("framing_edits"),
                  min_count=min_count, scope=_optional(run, "lexicon_scope"),
                  composition=_optional(run, "composition"),
                  directions=_optional(run, "directions"))


def top_words(tables: Tables, per_report: int = 6) -> pd.DataFrame:
    """The keyness chart's words: each report's ``per_report`` largest z among the words used at
    least ``min_count`` times (rows of the stored, bounded keyness table)."""
    return fr.keyness_top(tables.keyness, per_report=per_report, min_count=tables.min_count)


def top_labels(tables: Tables, per_report: int = 5, min_count: int = 2) -> pd.DataFrame:
    """The label keyness chart's labels: each report's ``per_report`` largest z among the
    labels used at least ``min_count`` times."""
    return fr.keyness_top(tables.label_keyness, per_report=per_report, min_count=min_count)


# --- charts ------------------------------------------------------------------------------------


def choice_chart(corpus: Corpus, lexicon: fr.Lexicon, counts: pd.DataFrame) -> alt.VConcatChart:
    """Heat map of label choices: uses per 1,000 words by report, one block per group.

    Cells give the count of uses and, in brackets, how many of them are quoted (``q``). The
    colour legend sits at the bottom; report names are slanted so any number of reports fits.
    """
    data = counts.assign(text=counts["n"].astype(str) + np.where(
        counts["quoted"] > 0, " (" + counts["quoted"].astype(str) + "q)", ""))
    reports = list(corpus.articles["label"])
    top = float(data["rate"].max()) if len(data) else 1.0
    color = alt.Color("rate:Q", title="Uses per 1,000 words",
                      scale=alt.Scale(scheme="blues", domain=[0, top]),
                      legend=alt.Legend(orient="bottom", direction="horizontal",
                                        gradientLength=240))
    width = min(CHART_WIDTH - 140, 90 * max(len(reports), 1))
    blocks = []
    groups = [g for g in fr.GROUPS if g in set(data["group"])] or list(fr.GROUPS[:1])
    for i, group in enumerate(groups):
        part = data[data["group"] == group]
        order = [lb for lb in lexicon.labels if lb in set(part["label"])]
        base = alt.Chart(part).encode(
            # Slanted one-line names: Vega draws a wrapped top label downwards, over the cells.
            x=alt.X("report:N", title=None, sort=reports, scale=alt.Scale(domain=reports),
                    axis=alt.Axis(labelAngle=-30, labelAlign="left", labelBaseline="middle",
                                  orient="top", labels=i == 0, ticks=i == 0, labelLimit=140)),
            y=alt.Y("label:N", sort=order, title=group,
                    axis=alt.Axis(labelLimit=110)))
        rect = base.mark_rect(stroke="white").encode(
            color=color,
            tooltip=["report:N", "group:N", "label:N", "n:Q", "own:Q", "quoted:Q", "rate:Q"])
        text = base.mark_text(fontSize=12).encode(
            text="text:N",
            color=alt.condition(alt.datum.rate > 0.55 * top, alt.value("white"),
                                alt.value("#222")))
        blocks.append((rect + text).properties(width=width, height=alt.Step(22)))
    return alt.vconcat(*blocks, spacing=8).resolve_scale(color="shared")


def keyness_chart(corpus: Corpus, top: pd.DataFrame, *, term: str = "word") -> alt.FacetChart:
    """z of the top terms of each report against the rest, with the ±1.96 band in grey.

    Facets wrap two to a row (each about 190 px wide), so the chart stays within 640 px."""
    data = top.assign(rank=top.groupby("article_id", sort=False).cumcount())
    zmin = float(data["z"].min()) if len(data) else 0.0
    zmax = float(data["z"].max()) if len(data) else 0.0
    domain = [min(-2.0, float(np.floor(zmin))), max(2.5, float(np.ceil(zmax * 2) / 2))]
    band = alt.Chart().mark_rect(color="#dddddd", opacity=0.6).encode(
        x=alt.datum(-fr.Z_CRITICAL), x2=alt.datum(fr.Z_CRITICAL))
    y = alt.Y(f"{term}:N", title=None, sort=alt.EncodingSortField("rank", order="ascending"),
              axis=alt.Axis(labelLimit=100))
    bars = alt.Chart().mark_bar(height=12).encode(
        x=alt.X("z:Q", title="z (report against the rest)",
                scale=alt.Scale(domain=domain, nice=False)),
        y=y,
        color=alt.condition(alt.datum.significant, alt.value("#0072B2"), alt.value("#999999")),
        tooltip=["report:N", f"{term}:N", "n_report:Q", "n_rest:Q", "z:Q", "delta:Q"])
    labels = alt.Chart().mark_text(align="left", dx=3, fontSize=11, color="#222").encode(
        x="z:Q", y=y, text=alt.Text("n_report:Q"))
    return (alt.layer(band, bars, labels, data=data).properties(width=190, height=110)
            .facet(facet=alt.Facet("report:N", title=None, sort=list(corpus.articles["label"])),
                   columns=2, spacing={"row": 12, "column": 24})
            .resolve_scale(y="independent").resolve_axis(x="independent"))


# --- reader tables (field -> readable header; key rows first) --------------------------------

LEXICON_HEADERS = {"group": "Group", "label": "Label", "forms": "Written forms",
                   "connotation": "Usual connotation"}


def lexicon_table(lexicon: fr.Lexicon) -> pd.DataFrame:
    """One row per label: group, its written forms and the connotation note; labels this
    corpus's reports use come first is the caller's choice (lexicon order here)."""
    e = lexicon.entries
    note = e["connotation"] if "connotation" in e else pd.Series("", index=e.index)
    out = e.assign(connotation=note).groupby("label", sort=False).agg(
        group=("group", "first"), forms=("surface", ", ".join),
        connotation=("connotation", "first"))
    return out.reset_index()[["group", "label", "forms", "connotation"]]


def lexicon_table_used_first(lexicon: fr.Lexicon, uses: pd.DataFrame) -> pd.DataFrame:
    """:func:`lexicon_table` with the labels the reports use first (most uses first), then the
    unused ones; ``uses`` counts each label's uses."""
    t = lexicon_table(lexicon)
    n = uses["label"].value_counts()
    t.insert(2, "uses", t["label"].map(n).fillna(0).astype("int64"))
    return t.sort_values("uses", ascending=False, kind="stable").reset_index(drop=True)


LEXICON_USED_HEADERS = {"group": "Group", "label": "Label", "uses": "Uses in the reports",
                        "forms": "Written forms", "connotation": "Usual connotation"}


def group_table(groups: pd.DataFrame) -> pd.DataFrame:
    """Per report: words and, per group, uses and uses per 1,000 words (tidy, wide)."""
    wide = groups.pivot_table(index=["article_id", "report", "words"], columns="group",
                              values=["n", "rate"], sort=False)
    wide.columns = [f"{group}_{what}" for what, group in wide.columns]
    out = wide.reset_index()
    order = list(dict.fromkeys(groups["article_id"]))
    out = out.set_index("article_id").loc[order].reset_index()
    for g in fr.GROUPS:
        out[f"{g}_n"] = out[f"{g}_n"].astype("int64")
    return out


GROUP_HEADERS = {"report": "Report", "words": "Words",
                 **{f"{g}_{w}": f"{g.capitalize()}: {'uses' if w == 'n' else 'per 1,000 words'}"
                    for g in fr.GROUPS for w in ("n", "rate")}}


def sentence_numbers(corpus: Corpus) -> pd.Series:
    """Each sentence's number in its report (1 for the first), by ``sentence_id``: the reader
    sees "sentence 3", never an internal id."""
    s = corpus.sentences
    return pd.Series((s.groupby("article_id", sort=False).cumcount() + 1).to_numpy(),
                     index=s["sentence_id"])


def quoted_uses(corpus: Corpus, uses: pd.DataFrame) -> pd.DataFrame:
    """Every label use inside a quotation, with its speaker and sentence; most quoted label
    first."""
    labels = corpus.articles.set_index("id")["label"]
    sentences = corpus.sentences.set_index("sentence_id")["text"]
    numbers = sentence_numbers(corpus)
    q = uses[uses["voice"] == "quoted"]
    out = pd.DataFrame({
        "report": q["article_id"].map(labels), "label": q["label"], "surface": q["surface"],
        "speaker": q["speaker"].replace("", "(not named)"),
        "sentence_no": q["sentence_id"].map(numbers).astype("int64"),
        "sentence": q["sentence_id"].map(sentences)})
    out["_n"] = out["label"].map(out["label"].value_counts())
    return (out.sort_values(["_n", "label"], ascending=[False, True], kind="stable")
            .drop(columns="_n").reset_index(drop=True))


QUOTED_HEADERS = {"label": "Label", "surface": "As printed", "report": "Report",
                  "speaker": "Speaker (voices chapter)", "sentence_no": "Sentence no.",
                  "sentence": "Text"}


def edits_table(corpus: Corpus, edits: pd.DataFrame) -> pd.DataFrame:
    """Framing edits for the reader: the two texts, the change, the labels, both sentences;
    grouped by pair of texts, the pair with most framing edits first."""
    labels = corpus.articles.set_index("id")["label"]
    out = pd.DataFrame({
        "earlier": edits["source_id"].map(labels), "later": edits["target_id"].map(labels),
        "kind": edits["kind"],
        "change": [{"insertion": f"+ “{n}”", "deletion": f"− “{o}”"}.get(k, f"“{o}” → “{n}”")
                   for k, o, n in zip(edits["kind"], edits["old"], edits["new"])],
        "labels": edits["labels_before"].replace("", "(none)") + " → "
        + edits["labels_after"].replace("", "(none)"),
        "earlier_sentence": edits["source_sentence"],
        "later_sentence": edits["target_sentence"],
    })
    pair = out["earlier"] + "|" + out["later"]
    out["_n"] = pair.map(pair.value_counts())
    return (out.sort_values("_n", ascending=False, kind="stable").drop(columns="_n")
            .reset_index(drop=True))


EDIT_HEADERS = {"earlier": "Earlier text", "later": "Later text", "change": "Change",
                "labels": "Labels before → after", "earlier_sentence": "Earlier sentence",
                "later_sentence": "Later sentence"}

SCORE_HEADERS = {"decision": "Decision", "gold": "Annotated", "predicted": "Found",
                 "correct": "Correct", "precision": "Precision", "recall": "Recall",
                 "f1": "F1"}
ERROR_HEADERS = {"error": "Disagreement", "report": "Report", "sentence_no": "Sentence no.",
                 "surface": "Form", "label": "Label", "voice_found": "Voice found",
                 "voice_annotated": "Voice annotated"}


def errors_table(corpus: Corpus, ev: Evaluation) -> pd.DataFrame:
    """The disagreements with the annotation, each sentence named by report and number."""
    e = ev.errors
    article = corpus.sentences.set_index("sentence_id")["article_id"]
    labels = corpus.articles.set_index("id")["label"]
    return e.assign(report=e["sentence_id"].map(article).map(labels),
                    sentence_no=e["sentence_id"].map(sentence_numbers(corpus)).astype("int64"))


def evaluation_scores(ev: Evaluation) -> pd.DataFrame:
    """The scores table (rows of ``Scores.as_row``)."""
    return scores_table(ev)


# --- the numbers and sentences the chapter states ---------------------------------------------


def _names(corpus: Corpus) -> pd.Series:
    """Reader name of each article (manifest ``label``), escaped for Markdown."""
    return corpus.articles.set_index("id")["label"].map(plain_markdown)


def _q(text: str) -> str:
    """Article words quoted in prose (data, so escaped)."""
    return f"“{plain_markdown(text)}”"


def applies(tables: Tables) -> pd.DataFrame:
    """The stored scope: articles the lexicon applies to (all, for a run without the table)."""
    if tables.scope is None:
        return pd.DataFrame({"article_id": list(dict.fromkeys(tables.groups["article_id"])),
                             "applies": True})
    return tables.scope[tables.scope["applies"].astype(bool)]


def lexicon_applies(tables: Tables) -> bool:
    """Whether the lexicon applies to any article of the folder (else nothing is counted)."""
    return len(applies(tables)) > 0


def _topic_words(lexicon_topic: tuple[str, ...]) -> str:
    return join([f"*{plain_markdown(t)}*" for t in lexicon_topic], "or")


def lexicon_markdown(corpus: Corpus, tables: Tables,
                     topic: tuple[str, ...] | None = None) -> str:
    """Whose lexicon the chapter uses and which articles it applies to, true of any folder.

    ``topic`` is the book lexicon's topic words (default: read from the package)."""
    scope = tables.scope
    n = len(corpus.articles)
    origin = (str(scope["lexicon"].iloc[0]) if scope is not None and len(scope)
              else "book")
    k = len(applies(tables))
    if origin == "folder":
        text = ("The words come from this folder's own lexicon (`framing/labels.csv`), "
                "grouped by what they name: the armed opposition, the state and its forces, "
                "and the acts of the conflict.")
        if k < n:
            text += (f" A `topic.csv` beside it limits it to the articles that name its topic "
                     f"at least {count(fr.TOPIC_MIN_MENTIONS, 'time')}: "
                     f"{number(k)} of the {count(n, 'article')} here do.")
        return text
    if topic is None:
        topic = fr.load_lexicon().topic
    words = _topic_words(tuple(t.capitalize() for t in topic))
    text = ("This folder has no lexicon of its own (`framing/labels.csv`), so the chapter "
            "uses the book's, shipped with the package in `analysis/resources/framing/` and "
            "documented in the README beside it. That lexicon is topical: it lists the words "
            "a report can choose for the sides and the acts of the Syrian war, and *government* "
            "in a story about a census is no side of that war. So it is applied only to an "
            f"article that names the war's places or leaders ({words}) at least "
            f"{count(fr.TOPIC_MIN_MENTIONS, 'time')}")
    if k == n:
        return text + ("; the one article here does." if n == 1 else
                       f"; all {count(n, 'article')} here do.")
    if k == 0:
        return text + (f", and no article of this folder does ({count(n, 'article')}), so no "
                       "label is counted here and the sections on label choices, quotations "
                       "and framing edits are empty. To count this folder's own contested "
                       "words, put a lexicon for its subject in `framing/labels.csv` (the "
                       "README of the book's lexicon describes the columns). The word keyness "
                       "below needs no lexicon and is computed for every folder.")
    return text + (f": {number(k)} of the {count(n, 'article')} here do, and the labels of "
                   "the others are not counted.")


def _change(row) -> str:
    if row["kind"] == "insertion":
        return f"{_q(row['new'])} is added"
    if row["kind"] == "deletion":
        return f"{_q(row['old'])} is left out"
    return f"{_q(row['old'])} becomes {_q(row['new'])}"


def _lead_pair(edits: pd.DataFrame) -> tuple[str, str, pd.DataFrame]:
    """The pair of texts with most framing edits (first in table order on a tie) and its rows."""
    pairs = edits.groupby(["source_id", "target_id"], sort=False).size()
    src, tgt = pairs.idxmax()
    return src, tgt, edits[(edits["source_id"] == src) & (edits["target_id"] == tgt)]


def _source_of_source(tables: Tables, corpus: Corpus, src: str) -> str:
    """", whose own text is largely the AFP wire's wording (64% of its words)" when the
    source text is itself a copy, from the reuse tables; else ""."""
    d, comp = tables.directions, tables.composition
    if d is None or comp is None or d.empty or comp.empty:
        return ""
    into = d[d["target_id"] == src]
    row = comp[comp["article_id"] == src]
    if into.empty or row.empty:
        return ""
    origin = into.sort_values("aligned_words", ascending=False).iloc[0]["source_id"]
    share = float(row.iloc[0]["derived_share"])
    return (f", a text that itself shares {100 * share:.0f}% of its words, word for word, "
            f"with {_names(corpus)[origin]}")


def edits_finding(corpus: Corpus, tables: Tables) -> str:
    """The chapter's opening finding: how the text that copies relabels what it copies.

    Computed from the run's ``framing_edits`` (edits inside copied passages that drop, add or
    replace a label that takes sides): the pair of texts with most of them, each change, and
    how many the other pairs have."""
    edits = tables.edits
    if not lexicon_applies(tables):
        return ""
    if edits.empty:
        return ("No edit inside a copied passage changes a label that takes sides: where one "
                "report copies another, it names the sides as its source does.")
    names = _names(corpus)
    src, tgt, mine = _lead_pair(edits)
    changes = [_change(r) for _, r in mine.iterrows()]
    before = sorted(set(", ".join(mine["labels_before"]).split(", ")) - {""})
    after = sorted(set(", ".join(mine["labels_after"]).split(", ")) - {""})
    text = (f"Where {names[tgt]} copies text it shares with {names[src]}"
            f"{_source_of_source(tables, corpus, src)}, it changes how the sides are named: "
            f"{count(len(mine), 'edit')} inside the copied passages "
            f"{verb(len(mine), 'drops, adds or replaces', 'drop, add or replace')} a label "
            f"that takes sides. {capital(join(changes))}.")
    if before or after:
        text += (f" The labels {names[src]} uses there "
                 f"({join([f'*{plain_markdown(b)}*' for b in before]) or 'none'}) give way "
                 f"to {join([f'*{plain_markdown(a)}*' for a in after]) or 'none'}.")
    rest = len(edits) - len(mine)
    text += (" No other pair of texts has a framing edit." if rest == 0 else
             f" The other pairs have {count(rest, 'framing edit')} in all.")
    return text


def finding(run: StoredRun) -> str:
    """The framing finding for the findings page (Markdown), from the stored run: see
    :func:`finding_text`."""
    return finding_text(run.corpus(), from_run(run))


def finding_text(corpus: Corpus, tables: Tables) -> str:
    """The framing finding for the findings page: the relabelling of copied text, or, where
    there is none, how the label counts compare; true of any folder."""
    if not lexicon_applies(tables):
        return ("The framing chapter counts no contested label here: the folder has no "
                "lexicon of its own and the book's, on the Syrian war, is about another "
                "topic.")
    if len(tables.edits):
        names = _names(corpus)
        src, tgt, mine = _lead_pair(tables.edits)
        changes = [_change(r) for _, r in mine.iterrows()]
        return (f"*{names[tgt]}* renames the sides in text it copies from *{names[src]}*: "
                f"{count(len(mine), 'edit')} inside copied passages change a label that takes "
                f"sides ({join(changes)}).")
    return ("No edit inside a copied passage changes a label that takes sides. "
            + label_keyness_sentence(tables.label_keyness))


def edits_chart(corpus: Corpus, edits: pd.DataFrame) -> alt.LayerChart:
    """The framing edits as a small before-and-after figure: one row per edit, the earlier
    text's words on the left, the later text's on the right (a dash where there were none)."""
    names = corpus.articles.set_index("id")["label"]
    rows = []
    for i, r in enumerate(edits.itertuples(index=False)):
        pair = f"{names[r.source_id]} → {names[r.target_id]}"
        rows += [{"row": i, "side": "earlier", "x": 0, "text": r.old or "—", "pair": pair},
                 {"row": i, "side": "arrow", "x": 1.3, "text": "→", "pair": pair},
                 {"row": i, "side": "later", "x": 1.45, "text": r.new or "—", "pair": pair}]
    data = pd.DataFrame(rows, columns=["row", "side", "x", "text", "pair"])
    pairs = list(dict.fromkeys(data["pair"]))
    heads = []
    for p in pairs:
        earlier, later = p.split(" → ")
        heads.append(f"{earlier}  →  {later}")
    x = alt.X("x:Q", axis=None, scale=alt.Scale(domain=[-0.02, 3.0]))
    y = alt.Y("row:O", axis=None)
    text = alt.Chart(data).mark_text(align="left", fontSize=13, limit=250).encode(
        x=x, y=y, text="text:N",
        color=alt.Color("side:N", legend=None,
                        scale=alt.Scale(domain=["earlier", "arrow", "later"],
                                        range=["#555555", "#999999", "#B2182B"])))
    title = ("Earlier text → later text: " + "; ".join(heads)) if heads else "No framing edit"
    return text.properties(width=CHART_WIDTH - 40, height=alt.Step(26),
                           title=alt.TitleParams(title, fontSize=12, anchor="start"))


def _labels_list(part: pd.DataFrame) -> str:
    part = part.sort_values("n", ascending=False, kind="stable")
    return ", ".join(f"*{plain_markdown(r.label)}* {r.n}"
                     + (f" ({r.quoted} quoted)" if r.quoted else "")
                     for r in part.itertuples())


def group_sentence(result: Tables, group: str) -> str:
    """One sentence on a group: the report with the highest rate of its labels, and them."""
    g = result.groups[result.groups["group"] == group]
    if g["n"].sum() == 0:
        return f"No report uses a label for {GROUP_NAMES[group]}."
    top = g.sort_values(["rate", "n"], ascending=False, kind="stable").iloc[0]
    mine = result.counts[(result.counts["article_id"] == top["article_id"])
                         & (result.counts["group"] == group)]
    quoted = int(top["quoted"])
    return (f"Of the labels for {GROUP_NAMES[group]}, {plain_markdown(top['report'])} uses most "
            f"per 1,000 words ({top['rate']:.1f}; {count(int(top['n']), 'use')}, "
            f"{'none' if quoted == 0 else number(quoted)} of them quoted): "
            f"{_labels_list(mine)}.")


def label_keyness_sentence(label_key: pd.DataFrame) -> str:
    """The label keyness finding, honest whether or not any label difference is significant."""
    if label_key.empty:
        return "No report uses a lexicon label, so there is no label difference to test."
    top = label_key.loc[label_key["z"].abs().idxmax()]
    n_sig = int(label_key["significant"].sum())
    largest = (f"*{plain_markdown(top['label'])}* in {plain_markdown(top['report'])} "
               f"(|z| = {abs(top['z']):.2f}: "
               f"{count(int(top['n_report']), 'use')} against {number(int(top['n_rest']))} in "
               "the other reports together)")
    if n_sig == 0:
        return (f"No label difference reaches |z| ≥ {fr.Z_CRITICAL}. The largest is {largest}, "
                "which is still within what chance alone produces at the 5 % level.")
    return (f"{capital(count(n_sig, 'label difference'))} {verb(n_sig, 'reaches', 'reach')} "
            f"|z| ≥ {fr.Z_CRITICAL}; the largest is {largest}.")


def uses_sentence(corpus: Corpus, tables: Tables) -> str:
    """How many label uses the matcher finds, in how many reports, and how many are quoted."""
    uses = tables.uses
    k = len(applies(tables))
    if uses.empty:
        return "The matcher finds no label use in these reports."
    quoted = int((uses["voice"] == "quoted").sum())
    return (f"The matcher finds {count(len(uses), 'use')} of "
            f"{count(int(uses['label'].nunique()), 'different label')} in the "
            f"{count(k, 'report')} the lexicon applies to; "
            f"{'none' if quoted == 0 else number(quoted)} of them "
            f"{verb(quoted, 'is', 'are')} inside quotations.")


def exceptions_sentence(lexicon: fr.Lexicon) -> str:
    """The exception list, counted (the chapter's method paragraph)."""
    n = len(lexicon.exceptions)
    if n == 0:
        return "The lexicon lists no exception phrase."
    first = lexicon.exceptions.iloc[0]
    return (f"The lexicon's `exceptions.csv` lists {count(n, 'phrase')} in which a form names "
            f"something else (the first: in {_q(first['phrase'])} the form is not a use of "
            f"*{plain_markdown(first['label'])}*).")


def stance_sentence(lexicon: fr.Lexicon, book: bool = True) -> str:
    """Which labels only describe, so that an edit adding or dropping them alone is no
    framing edit (with the book's own example when ``book``: the corpus is its five texts)."""
    d = lexicon.descriptive
    if not d:
        return ("Every label of this lexicon takes a side, so any edit that changes one is a "
                "framing edit.")
    return (f"The lexicon marks {count(len(d), 'label')} as descriptive rather than taking a side "
            f"({join([f'*{plain_markdown(x)}*' for x in d])}). An edit counts as a framing "
            "edit when a label it drops, adds or replaces takes a side; a clause that only "
            "adds a descriptive label"
            + (" (a strike restated as an *air strike* blamed on *Damascus*)" if book else "")
            + " changes what is told, not how a side is named, and is not counted.")


def keyness_words_sentence(corpus: Corpus, tables: Tables) -> str:
    """The words that reach |z| ≥ 1.96, by report, and which of them are one word spelled two
    ways (the package's British/American variants) or forms of the lexicon."""
    key = tables.keyness
    tested = key[(key["n_report"] + key["n_rest"]) >= tables.min_count]
    sig = tested[tested["significant"]]
    if sig.empty:  # the count of comparisons already says that none reaches it
        return ""
    names = _names(corpus)
    parts = [f"*{plain_markdown(r.word)}* ({names[r.article_id]})" for r in sig.itertuples()]
    text = f"The words that reach it: {join(parts)}."
    variants = tx.spelling_variants()
    words = set(sig["word"])
    pairs = [(b, a) for b, a in variants.items() if b in words and a in words]
    if pairs:
        shown = join([f"*{plain_markdown(b)}* and *{plain_markdown(a)}*" for b, a in pairs])
        text += (f" Of these, {shown} {verb(len(pairs), 'is', 'are')} one word spelled the "
                 "British and the American way: a difference of house style, not of framing.")
    forms = {f for f in tables.lexicon.entries["surface"] if " " not in f}
    n_forms = int(sig["word"].isin(forms).sum())
    text += (" None of them is a form of the lexicon." if n_forms == 0 else
             f" {capital(count(n_forms, 'of them', 'of them'))} "
             f"{verb(n_forms, 'is', 'are')} a form of the lexicon.")
    return text


def validation_markdown(ev: Evaluation | None, in_sample: bool = True) -> str:
    """The validation paragraph, or one honest sentence when the corpus has no annotation;
    ``in_sample``: the lexicon was written from these texts (the book's own)."""
    if ev is None:
        return ("This corpus has no hand annotation of labels "
                "(`annotations/framing/labels_gold.csv`), so the matcher is not measured here.")
    m, q = ev.matching, ev.quoted
    return (
        f"Against the hand annotation (`annotations/framing/`, with a README saying how it was "
        f"made) the matcher finds {number(m.tp)} of {count(m.n_gold, 'annotated use')}, with "
        f"{count(m.fp, 'false find')}: "
        f"precision {m.precision:.2f}, recall {m.recall:.2f}, F1 {m.f1:.2f}. "
        f"{capital(number(ev.labels_agree))} of the {number(m.tp)} correct finds "
        f"{verb(ev.labels_agree, 'has', 'have')} the annotated label. For the "
        f"own-voice/quoted decision, with *quoted* as the positive class, precision is "
        f"{q.precision:.2f} and recall {q.recall:.2f} ({count(q.tp, 'quoted use')} found, "
        f"{number(q.fp)} false, {number(q.fn)} missed)."
        + (" These scores are in-sample: the lexicon was written from the same texts."
           if in_sample else ""))


def edits_markdown(corpus: Corpus, tables: Tables) -> str:
    """The framing edits counted once (the run's ``framing_edits``) and explained."""
    edits = tables.edits
    if not lexicon_applies(tables):
        return ""
    if edits.empty:
        return "No edit inside a copied passage changes a label that takes sides."
    names = _names(corpus)
    pairs = edits.groupby(["source_id", "target_id"], sort=False).size()
    per_pair = join([f"{number(int(n))} between {names[s]} and the later {names[t]}"
                     for (s, t), n in pairs.items()])
    return (f"{capital(count(len(edits), 'edit'))} inside copied passages "
            f"{verb(len(edits), 'changes', 'change')} a label that takes sides: {per_pair}. "
            "This is the one count of framing edits the book uses (the run's `framing_edits` "
            "table; the reuse chapter reads the same table).")


def key_numbers(corpus: Corpus, result: Tables,
                evaluation: Evaluation | None = None) -> dict[str, object]:
    """The numbers and sentences the framing chapter states, by glue name (prefix ``fr_``).

    Every word used at least ``min_count`` times is tested in every report (the folder's term
    totals say how many words that is); the significant tests are counted in the stored
    keyness rows, which hold each report's top terms by z."""
    uses, key, lk, edits = result.uses, result.keyness, result.label_keyness, result.edits
    totals = result.term_totals
    words_tested = int((totals["n"] >= result.min_count).sum()) if "n" in totals else 0
    n_tests = words_tested * len(corpus.articles)
    tested = key[(key["n_report"] + key["n_rest"]) >= result.min_count]
    sig = tested[tested["significant"]]
    on = lexicon_applies(result)
    out: dict[str, object] = {
        "fr_n_reports": len(corpus.articles),
        "fr_n_uses": len(uses),
        "fr_n_quoted": int((uses["voice"] == "quoted").sum()),
        "fr_n_labels_used": int(uses["label"].nunique()),
        "fr_n_labels": len(result.lexicon.labels),
        "fr_n_exceptions": len(result.lexicon.exceptions),
        "fr_alpha0": f"{fr.ALPHA_0:,.0f}", "fr_min_count": result.min_count,
        "fr_words_tested": words_tested,
        "fr_tests": n_tests,
        "fr_tests_expected_by_chance": f"{0.05 * n_tests:.0f}",
        "fr_words_significant": len(sig),
        "fr_labels_significant": int(lk["significant"].sum()),
        "fr_n_framing_edits": len(edits),
        "fr_lexicon_md": lexicon_markdown(corpus, result),
        "fr_finding_md": edits_finding(corpus, result),
        "fr_uses_md": uses_sentence(corpus, result) if on else "",
        "fr_exceptions_md": exceptions_sentence(result.lexicon) if on else "",
        "fr_stance_md": stance_sentence(result.lexicon, is_book_corpus(corpus)) if on else "",
        "fr_label_keyness_md": label_keyness_sentence(lk) if on else "",
        "fr_keyness_tests_md": keyness_tests_sentence(
            len(sig), n_tests, int(corpus.articles["n_words"].median())),
        "fr_keyness_words_md": keyness_words_sentence(corpus, result),
        "fr_edits_md": edits_markdown(corpus, result),
        "fr_validation_md": (validation_markdown(evaluation, is_book_corpus(corpus)) if on
                             else ""),
        "fr_opening_md": opening_markdown(corpus, result),
    }
    for group in fr.GROUPS:
        out[f"fr_{group}_md"] = group_sentence(result, group) if on else ""
    return out | book_notes(corpus, evaluation)


def keyness_tests_sentence(n_sig: int, n_tests: int, median_words: int) -> str:
    """How many of the word comparisons reach the line, against what chance alone gives."""
    if n_tests == 0:
        return "No word is used often enough to be tested."
    return (f"Of the {count(n_tests, 'comparison')} (each of these words in each report), "
            f"{'none' if n_sig == 0 else number(n_sig)} {verb(n_sig, 'reaches', 'reach')} "
            f"|z| ≥ 1.96. If the tests were independent, about {0.05 * n_tests:.0f} would "
            "cross the line by chance alone; the prior makes these z-scores conservative. With "
            f"reports of {number(median_words)} words at the median, word counts alone separate "
            "the reports only weakly.")


BOOK_OPENING = (
    "A report that names the sides of a conflict has to choose its words: the men fighting a "
    "government can be *rebels*, *militants* or *terrorists*, the government *the regime* or "
    "*the government*, and an attack an *offensive*, an *operation* or an *assault*.")
CONFLICT_OPENING = ("An article that names the sides of a conflict has to choose its words, and "
                    "some of them take a side.")
GENERAL_OPENING = ("An article that names the parties of its story has to choose its words, "
                   "and some words take a side.")


def opening_markdown(corpus: Corpus, tables: Tables) -> str:
    """The chapter's opening: the book's conflict and its words for the five texts; for a
    folder the book's lexicon applies to, conflict in general; else any story's parties."""
    if is_book_corpus(corpus):
        first = BOOK_OPENING
    else:
        first = CONFLICT_OPENING if lexicon_applies(tables) else GENERAL_OPENING
    noun = text_noun(corpus)
    return (f"{first} This chapter counts the words each {noun} chooses and, where one {noun} "
            "copies another, the words it changes.")


# --- sentences that hold for the book's own five texts only (glued through for_book_only) ----

BOOK_READING = (
    "In the book's texts: the AFP wire calls the armed opposition *rebels* in its own "
    "voice and names it by its patron (*Turkish-backed*, *Ankara-backed*, *pro-Turkey*); "
    "*terrorists* appears in it only inside quotation marks, as Moscow's word. Unattributed "
    "(003) never writes *rebels*: it has *anti-government militants*, *militant-held* and, in "
    "its own voice, *terrorists*; the Times of Israel, VOA and Unattributed (004) write "
    "*rebels*. For the state, *regime* is the wire's and the Times of Israel's word "
    "(Unattributed (004) has it in \"President Bashar Assad's regime\"); VOA has it only inside "
    "Akar's quotation and in its own voice writes *Syria's military*, *Syrian forces* and "
    "*Damascus*. Unattributed (003) has no *regime* at all: it writes *government* and *the "
    "Syrian army*, which the lexicon notes as neutral to legitimising. For the acts, the AFP "
    "wire, the Times of Israel and Unattributed (003) call the Syrian push on Idlib an "
    "*offensive* and Turkey's threatened move an *operation*; VOA, reporting Turkey's strikes "
    "after the killing of Turkish soldiers, calls them an *assault* and *retaliation*.")

BOOK_VALIDATION_CAVEAT = (
    "These scores are high for a reason that limits what they mean. The lexicon and the "
    "annotation were written by the same person from the same reading, so the annotation only "
    "contains words the lexicon lists: the scores measure how reliably the matcher finds those "
    "words and sorts them by voice (word boundaries, overlapping forms, quotation spans), not "
    "whether the lexicon covers every word that takes sides. The exception phrase \"Syrian "
    "military presence\" (Russia's presence, which the annotation leaves out) was added after "
    "the matcher had counted it, so the precision on it is fitted, not measured; a form "
    "that names something else in a new text (\"the Turkish government\" as *government*) would "
    "still be counted.")

BOOK_EDITS = (
    "The Times of Israel's opening sentence begins with the AFP wire's standfirst, word for "
    "word (\"Turkey said Thursday it wanted no face-off with Moscow over Syria's offensive\"), "
    "and goes on where the AFP text of this corpus stops; Unattributed (003) copies that longer "
    "sentence, with *announced* for *said*, and adds *against terrorists* after \"Syria's "
    "offensive\". The AFP text here is a version of the "
    "day's dispatch, so a difference between it and the Times of Israel is a difference "
    "between the texts, not a change the Times of Israel is known to have made.")


def book_notes(corpus: Corpus, evaluation: Evaluation | None) -> dict[str, str]:
    """The chapter's sentences about the book's own texts: empty strings on any other corpus."""
    from analysis.present import for_book_only

    return {
        "fr_book_reading_md": for_book_only(corpus, BOOK_READING),
        "fr_validation_caveat_md": for_book_only(
            corpus, BOOK_VALIDATION_CAVEAT if evaluation is not None else ""),
        "fr_book_edits_md": for_book_only(corpus, BOOK_EDITS),
    }
