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
from analysis.corpus import Corpus
from analysis.evaluation.framing import Evaluation, scores_table
from analysis.present.publish import plain_markdown
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
                  min_count=min_count)


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


def quoted_uses(corpus: Corpus, uses: pd.DataFrame) -> pd.DataFrame:
    """Every label use inside a quotation, with its speaker and sentence; most quoted label
    first."""
    labels = corpus.articles.set_index("id")["label"]
    sentences = corpus.sentences.set_index("sentence_id")["text"]
    q = uses[uses["voice"] == "quoted"]
    out = pd.DataFrame({
        "report": q["article_id"].map(labels), "label": q["label"], "surface": q["surface"],
        "speaker": q["speaker"].replace("", "(not named)"), "sentence_id": q["sentence_id"],
        "sentence": q["sentence_id"].map(sentences)})
    out["_n"] = out["label"].map(out["label"].value_counts())
    return (out.sort_values(["_n", "label"], ascending=[False, True], kind="stable")
            .drop(columns="_n").reset_index(drop=True))


QUOTED_HEADERS = {"label": "Label", "surface": "As printed", "report": "Report",
                  "speaker": "Speaker (voices chapter)", "sentence_id": "Sentence",
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
        "earlier_sentence": edits["source_sentence_id"] + ": " + edits["source_sentence"],
        "later_sentence": edits["target_sentence_id"] + ": " + edits["target_sentence"],
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
ERROR_HEADERS = {"error": "Disagreement", "sentence_id": "Sentence", "surface": "Form",
                 "label": "Label", "voice_found": "Voice found",
                 "voice_annotated": "Voice annotated"}


def evaluation_scores(ev: Evaluation) -> pd.DataFrame:
    """The scores table (rows of ``Scores.as_row``)."""
    return scores_table(ev)


# --- the numbers and sentences the chapter states ---------------------------------------------


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
    return (f"Of the labels for {GROUP_NAMES[group]}, {plain_markdown(top['report'])} uses most "
            f"per 1,000 "
            f"words ({top['rate']:.1f}; {top['n']} uses, {top['quoted']} of them quoted): "
            f"{_labels_list(mine)}.")


def label_keyness_sentence(label_key: pd.DataFrame) -> str:
    """The label keyness finding, honest whether or not any label difference is significant."""
    if label_key.empty:
        return "No report uses a lexicon label, so there is no label difference to test."
    top = label_key.loc[label_key["z"].abs().idxmax()]
    n_sig = int(label_key["significant"].sum())
    largest = (f"*{plain_markdown(top['label'])}* in {plain_markdown(top['report'])} "
               f"(|z| = {abs(top['z']):.2f}: "
               f"{top['n_report']} uses against {top['n_rest']} in the other reports together)")
    if n_sig == 0:
        return (f"No label difference reaches |z| ≥ {fr.Z_CRITICAL}. The largest is {largest}, "
                "which is still within what chance alone produces at the 5 % level.")
    return (f"{n_sig} label difference{'s' if n_sig > 1 else ''} reach |z| ≥ {fr.Z_CRITICAL}; "
            f"the largest is {largest}.")


def validation_markdown(ev: Evaluation | None) -> str:
    """The validation paragraph, or one honest sentence when the corpus has no annotation."""
    if ev is None:
        return ("This corpus has no hand annotation of labels "
                "(`annotations/framing/labels_gold.csv`), so the matcher is not measured here.")
    m, q = ev.matching, ev.quoted
    return (
        f"Against the hand annotation (`annotations/framing/`, with a README saying how it was "
        f"made) the matcher finds {m.tp} of {m.n_gold} annotated uses, with {m.fp} false finds: "
        f"precision {m.precision:.2f}, recall {m.recall:.2f}, F1 {m.f1:.2f}. "
        f"{ev.labels_agree} of the {m.tp} correct finds have the annotated label. For the "
        f"own-voice/quoted decision, with *quoted* as the positive class, precision is "
        f"{q.precision:.2f} and recall {q.recall:.2f} ({q.tp} quoted uses found, {q.fp} false, "
        f"{q.fn} missed).")


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
    one_word_forms = {f for f in result.lexicon.entries["surface"] if " " not in f}
    sig = tested[tested["significant"]]
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
        "fr_words_significant_labels": int(sig["word"].isin(one_word_forms).sum()),
        "fr_labels_significant": int(lk["significant"].sum()),
        "fr_label_keyness_md": label_keyness_sentence(lk),
        "fr_n_framing_edits": len(edits),
        "fr_validation_md": validation_markdown(evaluation),
    }
    if len(lk):
        top = lk.loc[lk["z"].abs().idxmax()]
        out["fr_label_max_z_report"] = top["report"]
        out["fr_label_max_z_label"] = top["label"]
    else:
        out["fr_label_max_z_report"] = out["fr_label_max_z_label"] = "(none)"
    for group in fr.GROUPS:
        out[f"fr_{group}_md"] = group_sentence(result, group)
    if len(edits):
        pairs = edits.groupby(["source_id", "target_id"], sort=False).size()
        (src, tgt), n = pairs.idxmax(), int(pairs.max())
        names = corpus.articles.set_index("id")["label"].map(plain_markdown)
        out["fr_edits_md"] = (
            f"{len(edits)} of the edits inside copied passages change which labels the text "
            f"uses; most of them ({n}) are between {names[src]} and the later "
            f"{names[tgt]}.")
    else:
        out["fr_edits_md"] = "No edit inside a copied passage changes a label."
    return out | book_notes(corpus, evaluation)


# --- sentences that hold for the book's own five texts only (glued through for_book_only) ----

BOOK_READING = (
    "In the book's five texts: the AFP wire calls the armed opposition *rebels* in its own "
    "voice and names it by its patron (*Turkish-backed*, *Ankara-backed*, *pro-Turkey*); "
    "*terrorists* appears in it only inside quotation marks, as Moscow's word. Report 003 never "
    "writes *rebels*: it has *anti-government militants*, *militant-held* and, in its own "
    "voice, *terrorists*; the Times of Israel, VOA and report 004 write *rebels*. For the state, "
    "*regime* is the wire's and the Times of Israel's word (report 004 has it once, in "
    "\"President Bashar Assad's regime\"); VOA has it only inside Akar's quotation and in its "
    "own voice writes *Syria's military*, *Syrian forces* and *Damascus*. Report 003 has no "
    "*regime* at all: it writes *government* and *the Syrian army*, which the lexicon notes as "
    "neutral to legitimising. For the acts, the AFP wire, the Times of Israel and report 003 "
    "call the Syrian push on Idlib an *offensive* and Turkey's threatened move an *operation*; "
    "VOA, reporting Turkey's strikes after 33 of its soldiers were killed, calls them an "
    "*assault* and *retaliation*.")

BOOK_VALIDATION_CAVEAT = (
    "These scores are high for a reason that limits what they mean. The lexicon and the "
    "annotation were written by the same person from the same reading, so the annotation only "
    "contains words the lexicon lists: the scores measure how reliably the matcher finds those "
    "words and sorts them by voice (word boundaries, overlapping forms, quotation spans), not "
    "whether the lexicon covers every word that takes sides. The one exception phrase (\"Syrian "
    "military presence\", which the annotation leaves out as Russia's presence) was added after "
    "the matcher had counted it, so the perfect precision on it is fitted, not measured; a form "
    "that names something else in a new text (\"the Turkish government\" as *government*) would "
    "still be counted.")

BOOK_KEYNESS = (
    "In the book's texts, two of the words that reach it are one word spelled two ways (the "
    "wire's British *defence*, report 003's American *defense*); the others (*S-400*, *forces*, "
    "*Syrian*, *as*, *leaders*, *troops*) are words of the stories, not labels.")

BOOK_EDITS = (
    "In the book's texts, four of the framing edits are between the Times of Israel and report "
    "003: where the Times of Israel has *Syrian rebels*, *rebel-held* and \"Syrian President "
    "Bashar Assad's offensive\", report 003 has *anti-government militants in Syria*, "
    "*militant-held* and \"the Syrian army's offensive\", and its \"Syria's offensive\" goes on "
    "*against terrorists*, which the Times of Israel's does not. The other is between the AFP "
    "wire and the Times of Israel: the Times of Israel's sentence on Akar's interview goes on "
    "\"before two Turkish soldiers were killed in Idlib in an airstrike blamed on Damascus\", "
    "wording not in the AFP text of this corpus. The Times of Israel text shares most of its "
    "sentences with that AFP text but not its opening, so it may follow another version of the "
    "dispatch: this is a difference between two texts, not a change the Times of Israel is "
    "known to have made.")


def book_notes(corpus: Corpus, evaluation: Evaluation | None) -> dict[str, str]:
    """The chapter's sentences about the book's own texts: empty strings on any other corpus."""
    from analysis.present import for_book_only

    return {
        "fr_book_reading_md": for_book_only(corpus, BOOK_READING),
        "fr_validation_caveat_md": for_book_only(
            corpus, BOOK_VALIDATION_CAVEAT if evaluation is not None else ""),
        "fr_book_keyness_md": for_book_only(corpus, BOOK_KEYNESS),
        "fr_book_edits_md": for_book_only(corpus, BOOK_EDITS),
    }
