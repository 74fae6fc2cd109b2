"""The "Who speaks" chapter: share of voice, speaker charts, reader tables and prose numbers.

Everything is read from the voices stage's tables of a stored run (:func:`from_run`; the
pipeline runs the method) and computed over roles found in the data (the most heard speaker, the
side heard most, the report that gives voice most often), never over fixed article ids, so the
chapter reads true on any corpus. Sides come from the corpus's speakers table when it has one
(the run stores it as read); without it the side chart is left out and speakers are named as
the texts print them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import altair as alt
import pandas as pd

from analysis import text as textlib
from analysis.corpus import Corpus
from analysis.evaluation import quotes as evaluation
from analysis.independence import copied_from, copied_spans
from analysis.present import is_book_corpus
from analysis.present.corpus import examples_markdown
from analysis.present.publish import plain_markdown
from analysis.present.words import capital, count, join, verb
from analysis.present.theme import PALETTE
from analysis.quotes import MAX_SUBJECT_GAP_WORDS, STATEMENT_MIN_WORDS, UNKNOWN
from analysis.speakers import DESCRIPTORS
from analysis.store import RunFolderError, StoredRun

NO_SIDE = "not in the table"
SIDE_ORDER = ("Turkey", "Russia", "Syrian government", "United States", "Europe",
              "United Nations", "Monitor", "Analysts", NO_SIDE, UNKNOWN)
CHART_WIDTH = 440  # plot area; with axis labels and legend the chart stays within 640 px


# --- the stored run ----------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class Tables:
    """The voices tables of a stored run, as the chapter shows them.

    ``quotes``, ``reported`` and ``problems`` are what the method found (speakers mapped to the
    speakers table's names where the corpus has one); ``speakers`` is that table as the run read
    it, ``None`` without one; ``without_table`` is the same speech with speakers found without
    the table (names as printed), which the validation compares.
    """

    quotes: pd.DataFrame
    reported: pd.DataFrame
    problems: pd.DataFrame
    speakers: pd.DataFrame | None
    without_table: evaluation.Found
    copied: pd.DataFrame | None = None   # copied spans (independence.copied_spans); None: unknown
    derived: pd.DataFrame | None = None  # the run's sentence_labels; None: unknown

    @property
    def found(self) -> evaluation.Found:
        return evaluation.Found(self.quotes, self.reported)


def from_run(run: StoredRun) -> Tables:
    """The voices tables of ``run`` (see :class:`Tables`)."""
    table = run.table("speakers")
    passages, derived = _maybe(run, "passages"), _maybe(run, "sentence_labels")
    copies = passages is not None and derived is not None
    return Tables(quotes=run.table("quotes"), reported=run.table("reported_speech"),
                  problems=run.table("voice_problems"),
                  speakers=table if len(table) else None,
                  without_table=evaluation.Found(run.table("quotes_without_table"),
                                                 run.table("reported_without_table")),
                  copied=copied_spans(passages) if copies else None,
                  derived=derived if copies else None)


def _maybe(run: StoredRun, name: str) -> pd.DataFrame | None:
    """Table ``name`` of ``run``, or None when the run did not store it (a voices-only run)."""
    try:
        return run.table(name)
    except RunFolderError:
        return None


def has_table(tables: Tables) -> bool:
    """True when the corpus folder has a speakers table (sides, roles, countries)."""
    return tables.speakers is not None


def voices(corpus: Corpus, tables: Tables) -> pd.DataFrame:
    """One row per sentence and speaker given a voice there, by direct quote or reported speech.

    A sentence that quotes a speaker and paraphrases the same speaker counts once: the unit of
    voice is "this sentence lets this speaker speak". ``quoted_words`` counts the words the
    speaker has inside quote marks in that sentence; ``side`` comes from the speakers table.
    """
    q, r = tables.quotes, tables.reported
    q = q.assign(quoted_words=q["text"].map(lambda t: len(textlib.words(t))))
    keys = ["article_id", "sentence_id", "speaker"]
    direct = (q.groupby(keys, as_index=False)
              .agg(quotes=("quote_id", "size"), quoted_words=("quoted_words", "sum")))
    reported = r[keys].drop_duplicates().assign(reported=True)
    units = direct.merge(reported, on=keys, how="outer")
    units["quotes"] = units["quotes"].fillna(0).astype(int)
    units["quoted_words"] = units["quoted_words"].fillna(0).astype(int)
    units["reported"] = units["reported"].astype("boolean").fillna(False).astype(bool)
    sides = (dict(zip(tables.speakers["name"], tables.speakers["side"]))
             if tables.speakers is not None else {})
    units["side"] = units["speaker"].map(
        lambda s: UNKNOWN if s == UNKNOWN else sides.get(s) or NO_SIDE)
    order = {sid: i for i, sid in enumerate(corpus.sentences["sentence_id"])}
    units = units.assign(_o=units["sentence_id"].map(order)).sort_values(
        ["_o", "speaker"], kind="stable").drop(columns="_o")
    units = units[~units["sentence_id"].isin(headings(corpus))].reset_index(drop=True)
    units["repeat_of"] = repeats(corpus, units, tables)
    return units


_END = tuple(".!?…\"”’)]:;")


def headings(corpus: Corpus) -> set[str]:
    """Sentences that are headings, not speech: a paragraph of one sentence without closing
    punctuation (a subheading the scraper kept on its own line)."""
    s = corpus.sentences
    alone = s.groupby("paragraph_id")["sentence_id"].transform("size") == 1
    bare = ~s["text"].str.rstrip().str.endswith(_END)
    return set(s.loc[alone & bare, "sentence_id"])


def _bigrams(text: str) -> set[tuple[str, str]]:
    w = re.findall(r"\w+", textlib.fold_case(textlib.fold_chars(text)))
    return set(zip(w, w[1:]))


REPEAT_SHARE = 0.5  # share of the shorter sentence's word pairs that makes a sentence a repeat


def repeats(corpus: Corpus, units: pd.DataFrame, tables: Tables) -> pd.Series:
    """For each voice unit: where the same utterance was given voice before, or "".

    A unit repeats an earlier one when its sentence was copied from an earlier report
    (:func:`analysis.independence.copied_from` over the copied passages, or a sentence the copies
    stage labels derived) whose source sentence gives voice to the same speaker, or when an
    earlier sentence of the same report gives the same speaker voice in mostly the same words
    (a standfirst restated in the lead: at least :data:`REPEAT_SHARE` of the shorter
    sentence's word pairs). Without the copies tables only the second kind is found.
    """
    out = pd.Series("", index=units.index, dtype="object")
    if units.empty:
        return out
    sent = corpus.sentences.set_index("sentence_id")
    voiced = set(zip(units["sentence_id"], units["speaker"]))
    if tables.copied is not None and tables.derived is not None:
        src = tables.derived.set_index("sentence_id")["source_sentence_id"].to_dict()
        spans = pd.DataFrame({"article_id": units["article_id"].to_numpy(),
                              "start": units["sentence_id"].map(sent["start"]).to_numpy(),
                              "end": units["sentence_id"].map(sent["end"]).to_numpy()},
                             index=units.index)
        whole = copied_from(spans, tables.copied)
        for i, row in units.iterrows():
            earlier = src.get(row["sentence_id"], "")
            if earlier and (earlier, row["speaker"]) in voiced:
                out[i] = earlier
            elif whole[i]:
                out[i] = whole[i]
    grams = {sid: _bigrams(sent.loc[sid, "text"]) for sid in units["sentence_id"].unique()}
    for (aid, speaker), g in units.groupby(["article_id", "speaker"], sort=False):
        if speaker == UNKNOWN:
            continue
        ids = list(g["sentence_id"])
        for k, i in enumerate(g.index):
            if out[i]:
                continue
            mine = grams[ids[k]]
            for before in ids[:k]:
                theirs = grams[before]
                small = min(len(mine), len(theirs))
                if small and len(mine & theirs) >= REPEAT_SHARE * small:
                    out[i] = before
                    break
    return out


def _share(units: pd.DataFrame, corpus: Corpus, by: str) -> pd.DataFrame:
    labels = corpus.articles.set_index("id")["label"]
    out = (units.groupby(["article_id", by], as_index=False)
           .agg(units=("sentence_id", "size"), quotes=("quotes", "sum"),
                quoted_words=("quoted_words", "sum")))
    out["share"] = out["units"] / out.groupby("article_id")["units"].transform("sum")
    out.insert(1, "label", out["article_id"].map(labels))
    order = {aid: i for i, aid in enumerate(corpus.articles["id"])}
    return out.sort_values(["article_id", "units", by], ascending=[True, False, True],
                           key=lambda s: s.map(order) if s.name == "article_id" else s,
                           kind="stable").reset_index(drop=True)


def share_by_speaker(corpus: Corpus, tables: Tables) -> pd.DataFrame:
    """Per report and speaker: voice units, quotations, quoted words and share of the report."""
    units = voices(corpus, tables)
    out = _share(units, corpus, "speaker")
    out["side"] = out["speaker"].map(units.drop_duplicates("speaker")
                                     .set_index("speaker")["side"])
    return out


def share_by_side(corpus: Corpus, tables: Tables) -> pd.DataFrame:
    """Per report and side (from the speakers table): voice units and share of the report."""
    return _share(voices(corpus, tables), corpus, "side")


def _sides(present: set[str]) -> list[str]:
    return [s for s in SIDE_ORDER if s in present] + sorted(present - set(SIDE_ORDER))


def _side_scale(sides: list[str]) -> alt.Scale:
    """One palette colour per side in order; ``unknown`` and ``not in the table`` light grey."""
    grey = {UNKNOWN: "#d0d0d0", NO_SIDE: "#e6e6e6"}
    named = [s for s in sides if s not in grey]
    colours = dict(zip(named, (PALETTE * (len(named) // len(PALETTE) + 1))[:len(named)]))
    return alt.Scale(domain=sides, range=[colours.get(s, grey.get(s)) for s in sides])


def side_chart(corpus: Corpus, tables: Tables) -> alt.Chart:
    """Share of voice per report, stacked by side, in publication order; the axis always runs
    from 0 to 100 % (explicit domain and ticks, so a narrow rendering keeps them).

    Sides come from the corpus's table, so they are data only: the stacking order is a column
    (``side_rank``), not a Vega expression that would hold the side names."""
    data = share_by_side(corpus, tables)
    sides = _sides(set(data["side"]))
    data = data.assign(side_rank=data["side"].map({s: i for i, s in enumerate(sides)}))
    labels = list(corpus.articles["label"])
    return (
        alt.Chart(data).mark_bar()
        .encode(
            x=alt.X("share:Q", title="Share of voice units", stack="zero",
                    scale=alt.Scale(domain=[0, 1], nice=False, clamp=True),
                    axis=alt.Axis(format="%", values=[0, 0.25, 0.5, 0.75, 1])),
            y=alt.Y("label:N", title=None, sort=labels, axis=alt.Axis(labelLimit=150)),
            color=alt.Color("side:N", title="Side", scale=_side_scale(sides),
                            legend=alt.Legend(orient="bottom", columns=3, labelLimit=160)),
            order=alt.Order("side_rank:Q"),
            tooltip=["label:N", "side:N", "units:Q", alt.Tooltip("share:Q", format=".0%"),
                     "quotes:Q", "quoted_words:Q"],
        )
        .properties(width=CHART_WIDTH, height=28 * len(labels))
    )


def speaker_chart(corpus: Corpus, tables: Tables, top: int = 20) -> alt.Chart:
    """Voice units per speaker and report for the ``top`` most heard speakers."""
    data = share_by_speaker(corpus, tables)
    totals = data.groupby("speaker")["units"].sum()
    ranked = sorted(totals.index, key=lambda s: (-totals[s], s))[:top]
    data = data[data["speaker"].isin(ranked)]
    labels = list(corpus.articles["label"])
    sides = _sides(set(data["side"]))
    base = alt.Chart(data).encode(
        x=alt.X("label:N", title=None, sort=labels,
                axis=alt.Axis(labelAngle=-40, labelLimit=110, orient="bottom")),
        y=alt.Y("speaker:N", title=None, sort=ranked, axis=alt.Axis(labelLimit=150)),
    )
    cells = base.mark_circle(opacity=0.85).encode(
        size=alt.Size("units:Q", title="Voice units", scale=alt.Scale(range=[40, 500]),
                      legend=None),  # the number is printed beside each circle
        color=alt.Color("side:N", title="Side", scale=_side_scale(sides),
                        legend=alt.Legend(orient="bottom", columns=3, labelLimit=160)),
        tooltip=["speaker:N", "side:N", "label:N", "units:Q", "quotes:Q", "quoted_words:Q"],
    )
    text = base.mark_text(dx=14, align="left", color="#222").encode(text="units:Q")
    return (cells + text).properties(width=min(CHART_WIDTH - 180, 52 * len(labels)),
                                     height=20 * len(ranked))


def quote_table(corpus: Corpus, quotes: pd.DataFrame) -> pd.DataFrame:
    """Every direct quotation (the run's ``quotes``): statements first, then phrases, each in
    text order."""
    q = quotes
    labels = corpus.articles.set_index("id")["label"]
    out = pd.DataFrame({
        "quote_id": q["quote_id"], "report": q["article_id"].map(labels),
        "speaker": q["speaker"], "kind": q["kind"],
        "cue": (q["cue"] + " (" + q["mention"] + ")").where(q["cue"] != "", "no cue"),
        "text": q["text"],
        "note": (q["attributed_by"].where(q["attributed_by"] == "continues previous quote", "")
                 + q["repair"]),
    })
    return out.sort_values("kind", key=lambda s: s.ne("statement"), kind="stable")


QUOTE_HEADERS = {"report": "Report", "speaker": "Speaker", "kind": "Kind",
                 "cue": "Cue (speaker as printed)", "text": "Quoted words", "note": "Note"}


def speaker_table(corpus: Corpus, tables: Tables) -> pd.DataFrame | None:
    """The speakers table for the reader, most heard first; ``None`` without a table."""
    if tables.speakers is None:
        return None
    s = tables.speakers
    units = voices(corpus, tables).groupby("speaker").size()
    out = pd.DataFrame({"speaker": s["name"], "side": s["side"],
                        "role": s["role"] + ", " + s["institution"].where(
                            s["institution"] != "", "institution not stated"),
                        "printed": s["aliases"].str.replace(";", "; "),
                        "source": s["role_source"],
                        "units": s["name"].map(units).fillna(0).astype(int)})
    return out.sort_values(["units", "speaker"], ascending=[False, True], kind="stable")


SPEAKER_HEADERS = {"speaker": "Speaker", "units": "Voice units", "side": "Side",
                   "role": "Role, institution", "printed": "As printed",
                   "source": "Source of the role"}


def problem_table(corpus: Corpus, problems: pd.DataFrame) -> pd.DataFrame:
    """What the method could not read cleanly (the run's ``voice_problems``: unclosed
    quotations, garbled subjects)."""
    labels = corpus.articles.set_index("id")["label"]
    p = problems
    return p.assign(report=p["article_id"].map(labels))


PROBLEM_HEADERS = {"report": "Report", "sentence_id": "Sentence", "problem": "Problem",
                   "detail": "Detail"}


def settings(tables: Tables) -> dict[str, evaluation.Found]:
    """What the validation scores: the speech found with and without the speakers table."""
    return evaluation.settings(tables.found, tables.without_table, tables.speakers)


def validation_table(tables: Tables, gold: pd.DataFrame) -> pd.DataFrame:
    """The measured quality with and without the speakers table, key measures first."""
    t = evaluation.scores_table(settings(tables), gold)
    score = t["f1"].where(t["f1"].notna(), t["accuracy"])
    return pd.DataFrame({
        "measure": t["measure"], "setting": t["setting"],
        "score": score.map(lambda x: f"{x:.2f}"),
        "kind": t["f1"].notna().map({True: "F1", False: "accuracy"}),
        "precision": t["precision"].map(lambda x: "" if pd.isna(x) else f"{x:.2f}"),
        "recall": t["recall"].map(lambda x: "" if pd.isna(x) else f"{x:.2f}"),
        "counts": [f"{c} correct of {p} found, {g} annotated" if pd.notna(f) else
                   f"{c} of {g}" for c, p, g, f in zip(t["correct"], t["predicted"], t["gold"],
                                                       t["f1"])],
    }).sort_values(["measure", "setting"], key=lambda s: s.map(
        {m: i for i, m in enumerate(dict.fromkeys(t["measure"]))}) if s.name == "measure"
        else s, kind="stable")


VALIDATION_HEADERS = {"measure": "Measure", "setting": "Speakers table", "score": "Score",
                      "kind": "Score is", "precision": "Precision", "recall": "Recall",
                      "counts": "Counts"}
ERROR_HEADERS = {"type": "Type", "sentence_id": "Sentence", "error": "Error", "quote": "Quote",
                 "annotated": "Annotated speaker", "found": "Found"}


def _pct(x: float) -> str:
    return f"{100 * x:.0f}%"


def key_numbers(corpus: Corpus, tables: Tables) -> dict[str, object]:
    """The numbers the voices chapter states in prose, by glue name, over roles in the data."""
    q, r, problems = tables.quotes, tables.reported, tables.problems
    units = voices(corpus, tables)
    labels = corpus.articles.set_index("id")["label"]
    heard = units[units["speaker"] != UNKNOWN].groupby("speaker")["sentence_id"].size()
    top = sorted(heard.index, key=lambda s: (-heard[s], s))[0] if len(heard) else "nobody"
    top_q = q[q["speaker"] == top]
    per_report = units.groupby("article_id").size()
    busiest = (sorted(per_report.index, key=lambda a: (-per_report[a], a))[0]
               if len(per_report) else None)
    out: dict[str, object] = {
        "n_reports": len(corpus.articles),
        "n_quotes": len(q), "n_statements": int((q["kind"] == "statement").sum()),
        "n_phrases": int((q["kind"] == "phrase").sum()), "n_reported": len(r),
        "n_units": len(units), "n_speakers_heard": int(heard.size),
        "n_unknown": int((q["speaker"] == UNKNOWN).sum() + (r["speaker"] == UNKNOWN).sum()),
        "n_repaired": int((q["repair"] != "").sum()),
        "n_continued": int((q["attributed_by"] == "continues previous quote").sum()),
        "n_resolved": int(q["mention"].str.lower().isin(DESCRIPTORS).sum()
                          + r["mention"].str.lower().isin(DESCRIPTORS).sum()),
        "n_problems": len(problems),
        "n_garbled": int((problems["problem"] == "garbled subject").sum()),
        "top_speaker": top, "top_speaker_units": int(heard.get(top, 0)),
        "top_speaker_quotes": len(top_q),
        "top_speaker_reports": int(units.loc[units["speaker"] == top, "article_id"].nunique()),
        "n_units_distinct": int((units["repeat_of"] == "").sum()),
        "n_repeats": int((units["repeat_of"] != "").sum()),
        "top_speaker_distinct": int(((units["speaker"] == top)
                                     & (units["repeat_of"] == "")).sum()),
        "n_headings": len(headings(corpus)),
        "busiest_report": labels.get(busiest, ""),
        "busiest_report_units": int(per_report.get(busiest, 0)),
        "statement_min_words": STATEMENT_MIN_WORDS,
        "max_gap_words": MAX_SUBJECT_GAP_WORDS,
    }
    if has_table(tables):
        out |= _side_numbers(corpus, units, labels)
    return out


def _side_numbers(corpus: Corpus, units: pd.DataFrame, labels: pd.Series) -> dict[str, object]:
    """The side heard most overall, and the report where it is heard least (and who leads).

    Only reports in which some named speaker is heard can be that report: one with no voice
    units, or only unknown speakers, has no side that leads it.
    """
    known = units[~units["side"].isin([UNKNOWN, NO_SIDE])]
    by_side = known.groupby("side").size()
    if not len(by_side):
        return {}
    top_side = sorted(by_side.index, key=lambda s: (-by_side[s], s))[0]
    shares = _share(units, corpus, "side")
    heard = [a for a in corpus.articles["id"]
             if a in set(shares.loc[shares["side"] != UNKNOWN, "article_id"])]
    mine = shares[shares["side"] == top_side].set_index("article_id")["share"]
    mine = mine.reindex(heard).fillna(0.0)
    low = sorted(mine.index, key=lambda a: (mine[a], a))[0]
    there = shares[(shares["article_id"] == low) & (shares["side"] != UNKNOWN)]
    leader = there.sort_values(["units", "side"], ascending=[False, True]).iloc[0]
    distinct = units[units["repeat_of"] == ""]
    n_distinct_side = int((distinct["side"] == top_side).sum())
    return {"top_side": top_side, "top_side_share": _pct(by_side[top_side] / len(units)),
            "top_side_share_distinct": _pct(n_distinct_side / max(len(distinct), 1)),
            "n_sides": int(by_side.size),
            "low_report": labels[low], "low_report_share": _pct(mine[low]),
            "low_report_leader": leader["side"], "low_report_leader_share": _pct(leader["share"])}


NO_TABLE_PROSE = ("Without a speakers table (`speakers/speakers.csv`) speakers have no side, so "
                  "the share-of-voice chart is left out.")
NO_SPEAKERS_PROSE = ("This corpus has no hand-made speakers table, so the speakers are named as "
                     "the texts print them and no table of them is shown.")

GARBLED_PROSE = (
    "One subject in the Unattributed (004) report is garbled: *The United States and US urged an "
    "end to the Russian-backed Syrian offensive* names the United States twice, as if the "
    "rewriting had replaced the other party of the sentence. The text does not say who else "
    "urged, so the method does not count the sentence as a voice of the United States; the hand "
    "annotation gives it to the US government, and that disagreement is counted against the "
    "method below. The same sentence's second clause, *Turkey appeared intent on easing tensions "
    "with Moscow by pinning the blame squarely on ... Assad's regime*, is a Turkish voice and "
    "is counted as one.")


def side_prose(corpus: Corpus, tables: Tables) -> str:
    """One paragraph on share of voice by side, over roles (most heard side, where it is least
    heard and who leads there), as Markdown: sides (from the speakers table) and report labels
    (from the manifest) are escaped, so they show as written."""
    k = key_numbers(corpus, tables)
    if "top_side" not in k:
        return ""
    top, low, leader = (plain_markdown(str(k[name]))
                        for name in ("top_side", "low_report", "low_report_leader"))
    text = (f"Across the reports, the side heard most is {top}, with "
            f"{k['top_side_share']} of all voice units ({k['top_side_share_distinct']} once "
            "every utterance a report repeats from an earlier one, or from its own opening, "
            "counts once). ")
    if k["low_report_leader"] == k["top_side"]:
        return text + (f"It leads in every report; its smallest share is {k['low_report_share']}"
                       f", in {low}.")
    return text + (f"It is heard least in {low}, with {k['low_report_share']} "
                   f"of that report's voice units, where {leader} leads with "
                   f"{k['low_report_leader_share']}.")


def alias_example(tables: Tables) -> tuple[list[str], str] | None:
    """Two aliases of one speaker of the speakers table and its canonical name (a speaker whose
    aliases are all other names than its own first, *Turkey* and *Ankara* for the Turkish
    government), or None without a table or a speaker with two aliases."""
    if tables.speakers is None:
        return None
    rows = []
    for row in tables.speakers.itertuples():
        aliases = [a.strip() for a in str(row.aliases).split(";") if a.strip()]
        if len(aliases) >= 2:
            own = any(a.lower() == str(row.name).lower() for a in aliases)
            rows.append((own, aliases[:2], str(row.name)))
    if not rows:
        return None
    own, aliases, name = min(rows, key=lambda r: r[0])
    # "the Turkish government", but "Hulusi Akar": a name ending in a common noun takes "the"
    return aliases, (f"the {name}" if name.split()[-1].islower() else name)


def table_prose(tables: Tables) -> str:
    """What the speakers table adds, or that there is none."""
    if tables.speakers is None:
        return NO_SPEAKERS_PROSE
    n = len(tables.speakers)
    pair = alias_example(tables)
    so = (f" (so {join([f'*{plain_markdown(a)}*' for a in pair[0]])} "
          f"{verb(len(pair[0]), 'is', 'are both')} {plain_markdown(pair[1])})"
          if pair else "")
    return (f"The corpus has a hand-made speakers table of {n} people and institutions "
            "(the table below). It is used as enrichment: its aliases map the "
            f"names found in the text to one canonical name{so} and it gives each a role, "
            "institution, country and side, "
            "each with its source: the sentence that states it, or \"general knowledge\" where "
            "the reports do not say.")


def validation_prose(tables: Tables, gold: pd.DataFrame, book: bool = True) -> str:
    """The validation paragraph: span, speaker and reported-speech scores with and without the
    speakers table, and what they can and cannot be taken to mean (``book``: the corpus is the
    book's five texts, which the rules were written on)."""
    t = evaluation.scores_table(settings(tables), gold).set_index(["measure", "setting"])

    def get(measure: str, setting: str, col: str) -> str:
        return f"{t.loc[(measure, setting), col]:.2f}"

    def count(measure: str, setting: str) -> str:
        row = t.loc[(measure, setting)]
        return f"{int(row['correct'])} of {int(row['gold'])}"

    spk, rep = "quote speaker (matched quotations)", "reported speech, sentence + speaker"
    n_direct = int((gold["type"] == "direct").sum())
    n_rep = int((gold["type"] == "reported").sum())
    pair = alias_example(tables)
    alias = (f" (*{plain_markdown(pair[0][-1])}* for {plain_markdown(pair[1])})"
             if pair else "")
    caveat = (
        "These scores should not be read as better than published quotation extractors (around "
        "0.8 F1 on news). They are **in-sample**: the rules were written while reading these "
        "texts and tuned against this annotation, with no held-out text. The texts are easy: "
        "every quotation has double quote marks and speakers are named close to their cue. "
        "Published systems are measured on thousands of unseen articles with quotations without "
        "marks, nested quotations and speakers named sentences away." if book else
        "The rules were written while reading the texts the book was made from; on a folder "
        "they were not tuned on, these scores say how well they carry over to it.")
    return (
        f"Every quotation ({n_direct}) and every reported-speech attribution ({n_rep}) was "
        "annotated by hand"
        + (" before the method was written" if book else "")
        + " (`annotations/quotes/`, whose README "
        "gives the span definition and matching rules). Quote spans reach an F1 of "
        f"{get('quote spans, exact match', 'with table', 'f1')} with exact matching "
        "(first table below). Speakers are measured twice. With the speakers "
        f"table, {count(spk, 'with table')} matched quotations get the annotated speaker "
        f"(accuracy {get(spk, 'with table', 'accuracy')}) and reported speech reaches F1 "
        f"{get(rep, 'with table', 'f1')} for the right speaker in the right sentence. Without it, "
        f"finding names in the text alone, {count(spk, 'without table')} quotations get the "
        f"annotated speaker (accuracy {get(spk, 'without table', 'accuracy')}) and reported "
        f"speech reaches F1 {get(rep, 'without table', 'f1')}; here a name counts as right when "
        f"the table lists it as an alias of the annotated speaker{alias}, so the table still "
        "serves as the key for the comparison. The second table lists every disagreement.\n\n"
        + caveat)


NO_GOLD_PROSE = ("This corpus has no hand annotation of quotations "
                 "(`annotations/quotes/quotes.csv`), so the attribution is not validated here.")
IN_SAMPLE_NOTE = ("The figures above this section are in-sample: they are measured on the five "
                  "texts the method was written for.")


def in_sample_note(corpus: Corpus, annotated: bool) -> str:
    """The note that the scores above are in-sample: only for the book's five texts, which the
    method was written on, and only when scores are shown."""
    return IN_SAMPLE_NOTE if annotated and is_book_corpus(corpus) else ""


def publish_validation(corpus: Corpus, tables: Tables, gold: pd.DataFrame | None) -> str:
    """Publish the validation tables (absent without a hand annotation); returns the section's
    prose as Markdown (one sentence saying so without one)."""
    from analysis.present.publish import absent, publish_table

    if gold is None:
        absent("tab-voices-validation")
        absent("tab-voices-errors")
        return NO_GOLD_PROSE
    publish_table(validation_table(tables, gold), "tab-voices-validation",
                  "Quality against the hand annotation, with and without the speakers table.",
                  "analysis.evaluation.quotes.scores_table against annotations/quotes/quotes.csv",
                  columns=VALIDATION_HEADERS)
    publish_table(evaluation.error_table(corpus, settings(tables)["without table"], gold),
                  "tab-voices-errors",
                  "Every disagreement with the hand annotation (speakers found without the table).",
                  "analysis.evaluation.quotes.error_table", columns=ERROR_HEADERS, corpus=corpus)
    return validation_prose(tables, gold, is_book_corpus(corpus))


def resolved_mentions(tables: Tables, top: int = 3) -> list[str]:
    """The pronouns and titles (as printed, lower case) by which cues of this corpus name their
    speaker, most frequent first: the examples the chapter gives of resolved speakers."""
    mentions = pd.concat([tables.quotes["mention"], tables.reported["mention"]]).astype(str)
    lower = mentions.str.lower()
    lower = lower[lower.isin(DESCRIPTORS) & ~lower.str.contains("`")]
    return list(lower.value_counts(sort=False).sort_values(ascending=False, kind="stable")
                .index[:top])


def surname_example(tables: Tables) -> tuple[str, str] | None:
    """One later mention that is a single word of a fuller name before it (*Akar* for *Hulusi
    Akar*), as found in this corpus, most frequent first; None when there is none."""
    both = pd.concat([tables.quotes[["mention", "speaker"]],
                      tables.reported[["mention", "speaker"]]]).astype(str)
    short = both[(both["mention"] != both["speaker"])
                 & both["mention"].str.fullmatch(r"[A-Z][\w'-]+")
                 & both.apply(lambda r: r["mention"] in r["speaker"].split()[1:], axis=1)]
    if short.empty:
        return None
    pair = short.value_counts(sort=False).sort_values(ascending=False, kind="stable").index[0]
    return str(pair[0]), str(pair[1])


HOW_TEMPLATE = """\
Speakers are found in the text: runs of capitalised words, with a title in front of a
name{{Foreign Minister}} cut off and kept as the role; descriptions of a
speaker{{a Turkish official|the Russian defence ministry}}; and the pronouns *he* and *she*. A surname or a single word of an earlier
name$surname resolves to the last full name before it; a title or pronoun to the last speaker
before it whose role fits. Attribution looks for cue verbs outside the quotations (`said`,
`told`, `according to`, `urged`, `insists`, ...). Each cue takes the nearest speaker named
before it within $gap, skipping relative clauses and appositions, or the one right after it when
inverted; `saying`, `adding` and `and said` take the speaker of the clause they hang on, and a
participle after *by*{{by pinning the blame}} the subject of its clause. A subject *X and Y*
gives voice to both. A quotation takes the cue that frames it, else the nearest cue in its
sentence."""

LIMITS_TEMPLATE = """\
- Single quote marks are treated as apostrophes; a text quoting with `'...'` would be missed.
- Who really said the words: a sentence that gives a country's or an institution's words
  {{Turkey said Thursday it wanted no "face-off"}} is attributed to it, as printed, even when the words
  are a minister's.
- A name found in the text is a name, not an identity: without a speakers table, a country and
  its capital{{Turkey&Ankara}} are two speakers, and a speaker named only by a description stays
  that description.
- Voice units count sentences, not importance or length: a scare quote and a long statement each
  count once (the quoted-word counts are in the chart data, `fig-voices-speakers.csv`).
- The side of a speaker comes from the speakers table's rule, not from what the speaker says."""


def method_prose(corpus: Corpus, tables: Tables) -> dict[str, str]:
    """The chapter's *How it works* paragraph and *What the method cannot tell* list as Markdown:
    every example quoted from the texts is looked up in this corpus (and left out where it is
    not there); the surname example is one this corpus resolves."""
    pair = surname_example(tables)
    surname = (f" (*{plain_markdown(pair[0])}* for *{plain_markdown(pair[1])}*)" if pair else "")
    how = (examples_markdown(corpus, HOW_TEMPLATE).replace("$surname", surname)
           .replace("$gap", count(MAX_SUBJECT_GAP_WORDS, "word")))
    how = re.sub(r"\s*\n\s*", " ", how)  # one paragraph, glued inline
    return {"voices-how-md": how, "voices-limits-md": examples_markdown(corpus, LIMITS_TEMPLATE)}


def chapter_prose(corpus: Corpus, tables: Tables) -> dict[str, str]:
    """The chapter's sentences that carry numbers, as Markdown, by glue name: every number
    with its noun through :mod:`analysis.present.words`, speaker and report names escaped."""
    k = key_numbers(corpus, tables)
    resolved = resolved_mentions(tables)
    n_rep = k["n_repeats"]
    repeats = (f" Counted as distinct utterances, where a sentence a report copied from an "
               f"earlier report, or a lead restating its own standfirst, counts once, they are "
               f"{count(k['n_units_distinct'], 'voice unit')}: "
               f"{count(n_rep, 'voice unit')} {verb(n_rep, 'repeats', 'repeat')} an earlier one."
               if n_rep else " No voice unit repeats an earlier one.")
    head = (f" {capital(count(k['n_headings'], 'heading'))} (a line of its own without closing "
            f"punctuation) {verb(k['n_headings'], 'is', 'are')} not counted as speech."
            if k["n_headings"] else "")
    unknown = k["n_unknown"]
    intro = (
        f"The reports hold {count(k['n_quotes'], 'quotation')} in quote marks: "
        f"{count(k['n_statements'], 'statement')} (the speaker's words at length) and "
        f"{count(k['n_phrases'], 'short quoted phrase')}. Besides these, "
        f"{count(k['n_reported'], 'sentence-speaker pair')} report speech in the reporter's "
        f"own words. Counting each sentence once per speaker it lets speak, the reports give "
        f"voice {count(k['n_units'], 'time')} to {count(k['n_speakers_heard'], 'speaker')}."
        + repeats + head +
        " A quotation or attribution whose speaker cannot be found is kept with the speaker "
        f"`unknown` rather than dropped: {count(unknown, 'such case')} here.")
    top = plain_markdown(str(k["top_speaker"]))
    busiest = plain_markdown(str(k["busiest_report"]))
    top_md = (
        f"The most heard speaker is {top}, with {count(k['top_speaker_units'], 'voice unit')} "
        f"in {count(k['top_speaker_reports'], 'report')} "
        f"({count(k['top_speaker_distinct'], 'distinct utterance')}) and "
        f"{count(k['top_speaker_quotes'], 'quotation')}. The report that gives voice most "
        f"often is {busiest} ({count(k['busiest_report_units'], 'voice unit')})."
        if k["top_speaker_units"] else "No speaker could be named in these reports.")
    quotes_md = (
        f"{capital(count(k['n_repaired'], 'quotation'))} had damaged quote marks and "
        f"{verb(k['n_repaired'], 'was', 'were')} repaired (the note says how); "
        f"{count(k['n_continued'], 'statement')} "
        f"{verb(k['n_continued'], 'has no cue in its', 'have no cue in their')} own sentence and "
        + verb(k["n_continued"], "takes the speaker of the quotation it continues",
               "take the speakers of the quotations they continue")
        + " (in the same or the next paragraph; further away, a cue-less quotation stays "
        "`unknown`); "
        f"{count(k['n_resolved'], 'cue')} {verb(k['n_resolved'], 'names its', 'name their')} "
        "speaker only by a pronoun or title"
        + (f" ({join([f'`{m}`' for m in resolved])})" if resolved else "")
        + ", resolved to the speaker named before.")
    problems_md = (
        "What the method could not read cleanly is listed, not hidden "
        f"({count(k['n_problems'], 'case')}, in the table below)")
    return {"voices-intro-md": intro, "voices-top-md": top_md, "voices-quotes-md": quotes_md,
            "voices-problems-md": problems_md}
