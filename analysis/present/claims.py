"""The numbers chapter: charts, reader tables and the numbers and sentences of its prose.

Every sentence built here is computed over roles found in the data (the report with most
claims, the contested figure and who denies it, the heaviest single-day toll several reports
give), never over fixed article ids, and is empty when the corpus has no such role.
"""

from __future__ import annotations

import re
import textwrap

import altair as alt
import pandas as pd

from analysis.claims.compare import EVENT_TYPES
from analysis.claims.compare import report_matrix as _report_matrix
from analysis.claims import VERDICTS, format_value, group_keys, source_name
from analysis.evaluation import Scores
from analysis.independence import copy_groups, independent_count
from analysis.present import for_book_only
from analysis.present.corpus import examples_markdown, text_noun
from analysis.present.publish import plain_markdown, readable
from analysis.present.words import capital, count, join, number, verb

VERDICT_COLOURS = ["#009E73", "#56B4E9", "#0072B2", "#CC79A7", "#D55E00", "#BBBBBB", "#E69F00",
                   "#666666"]


def _day(d: pd.Timestamp) -> str:
    return f"{d.day} {d:%b}"


def _long_day(d: pd.Timestamp) -> str:
    return f"{d.day} {d:%B}"


def _period(row) -> str:
    s, e = row["date_start"], row["date_end"]
    return _day(s) if s == e else (f"{_day(s)} {s.year}-{_day(e)}" if s.year != e.year
                                   else f"{_day(s)}-{_day(e)}")


# --- tables ---------------------------------------------------------------------------------

_NUMBERS = ("value", "low", "high")


def _typed(claims: pd.DataFrame) -> pd.DataFrame:
    """Claims with their figures as floats, a missing bound NaN: the method's frame holds
    ``None`` and ints in object columns, a stored run's (Parquet) float64, and both must publish
    the same tables, files and sentences."""
    return claims.astype({c: "float64" for c in _NUMBERS if c in claims})


def report_matrix(claims: pd.DataFrame, comparison: pd.DataFrame, corpus) -> pd.DataFrame:
    """The long frame of the 'who reports what' grid, reshaped from the stored claims and
    their comparison (:func:`analysis.claims.report_matrix`): one row per compared quantity
    and report, the figure as printed and the row's verdict."""
    return _report_matrix(_typed(claims), comparison, corpus)


COMPARISON_COLUMNS = {"quantity": "Quantity", "period_from": "Period from",
                      "figures": "Figures [period; source; sentences]", "verdict": "Verdict",
                      "reasoning": "Reasoning"}


def comparison_frame(comparison: pd.DataFrame) -> pd.DataFrame:
    """The comparison with the quantities several reports give first (contested and conflicts
    at the top), single-report figures after them."""
    rank = {v: i for i, v in enumerate(["contested", "conflict", "consistent (sum)",
                                        "consistent update", "agree", "undetermined",
                                        "different things", "single report"])}
    out = comparison.assign(period_from=comparison["from"].dt.strftime("%d %b %Y"),
                            _multi=comparison["n_reports"] <= 1,
                            _rank=comparison["verdict"].map(rank))
    return (out.sort_values(["_multi", "_rank", "from", "key"], kind="stable")
            .drop(columns=["_multi", "_rank"]).reset_index(drop=True))


def n_compared(comparison: pd.DataFrame) -> int:
    """How many quantities more than one report gives."""
    return int((comparison["n_reports"] > 1).sum())


def claims_frame(claims: pd.DataFrame) -> pd.DataFrame:
    """All extracted claims, compact, denied figures first."""
    claims = _typed(claims)
    out = claims.assign(
        figure=claims.apply(format_value, axis=1) if len(claims) else "",
        time=claims["time_expression"].replace("", "(none: publication date)"),
        period=claims.apply(_period, axis=1) if len(claims) else "")
    return out.sort_values("stance", key=lambda s: s != "denied", kind="stable")


CLAIMS_COLUMNS = {"sentence_id": "Sentence", "surface": "As printed", "figure": "Figure",
                  "counted": "Counted", "event": "Event", "side": "Side", "source": "Source",
                  "stance": "Stance", "time": "Time expression", "period": "Period"}

EVENTS_COLUMNS = {"day": "Date", "report": "Report", "event": "Event",
                  "time_expression": "As printed", "sentence_id": "Where",
                  "sentence": "Sentence"}


def events_frame(events: pd.DataFrame) -> pd.DataFrame:
    return events.assign(day=events["date"].dt.strftime("%a %d %b"))


def quality_frame(scores: Scores, accuracy: pd.Series) -> pd.DataFrame:
    """Extraction quality: scores, then the accuracy of each field over matched claims (%)."""
    labels = {"value": "value and bounds", "hedge": "hedge", "counted": "counted thing",
              "event": "event", "side": "side", "source": "source credited",
              "time_expression": "time expression", "period": "resolved period (both dates)"}
    rows = [("extraction precision", scores.precision), ("extraction recall", scores.recall),
            ("extraction F1", scores.f1)] + [(labels[k], accuracy[k]) for k in labels]
    return pd.DataFrame({"measure": [m for m, _ in rows],
                         "score": [round(100 * v, 1) for _, v in rows]})


# --- charts ---------------------------------------------------------------------------------

def _cell_text(figure: str) -> str:
    return textwrap.fill(figure, width=14)


def report_chart(matrix: pd.DataFrame, corpus) -> alt.Chart:
    """The quantities several reports give: quantities down, reports across, the printed figure
    in each cell, coloured by the row's verdict; legend below, within 640 px."""
    compared = matrix.groupby("key")["article_id"].transform("nunique") > 1
    data = matrix[compared].assign(cell=lambda d: d["figure"].map(_cell_text))
    order = [r for r in corpus.articles["label"] if r in set(data["report"])]
    n = max(len(order), 1)
    present = set(data["verdict"])
    kept = [(v, c) for v, c in zip(VERDICTS, VERDICT_COLOURS) if v in present]
    colour = alt.Scale(domain=[v for v, _ in kept], range=[c for _, c in kept])
    base = alt.Chart(data).encode(
        x=alt.X("report:N", title=None, sort=order,
                axis=alt.Axis(orient="top", labelAngle=0, labelLimit=360 // n)),
        y=alt.Y("quantity:N", title=None, sort=list(dict.fromkeys(data["quantity"])),
                axis=alt.Axis(labelLimit=220)),
    )
    cells = base.mark_rect(stroke="white", strokeWidth=2).encode(
        color=alt.Color("verdict:N", title="Verdict", scale=colour,
                        legend=alt.Legend(orient="bottom", columns=3)),
        tooltip=["quantity:N", "report:N", "figure:N", "verdict:N", "sentences:N"])
    labels = base.mark_text(fontSize=11, color="#111", lineBreak="\n").encode(text="cell:N")
    return (cells + labels).properties(width=380, height=alt.Step(48))


def event_links(events: pd.DataFrame, table_id: str) -> list[str]:
    """In-page links from each event to its row in the published events table ``table_id``
    (the book's tables give row ``r`` the cell id ``T_<table id>_row<r>_col0``)."""
    return [f"#T_{table_id}_row{r}_col0" for r in range(len(events))]


def timeline_chart(events: pd.DataFrame, corpus,
                   link_table: str | None = None) -> alt.Chart:
    """Dated events by report: one point each, shaped and coloured by type, side by side within
    a report's row; a grey bar marks the publication date. The tooltip names the sentence;
    with ``link_table``, clicking a point jumps to its sentence in the events table."""
    order = list(corpus.articles["label"])
    types = list(EVENT_TYPES) + ["report published"]
    pubs = pd.DataFrame({"report": corpus.articles["label"], "date": corpus.articles["date"],
                         "event": "report published", "sentence_id": "",
                         "time_expression": "(publication date)"})
    points = events[["report", "date", "event", "sentence_id", "time_expression"]].copy()
    points["link"] = event_links(events, link_table) if link_table else ""
    names = dict(zip(corpus.articles["id"].astype(str), corpus.articles["label"].astype(str)))
    points["sentence"] = points["sentence_id"].map(lambda s: readable(s, names))
    data = pd.concat([points, pubs.assign(link="", sentence="")], ignore_index=True)
    pad = pd.Timedelta(days=1)
    domain = [(data["date"].min() - pad).isoformat(), (data["date"].max() + pad).isoformat()]
    shapes = ["circle", "square", "triangle-up", "cross", "diamond", "triangle-right",
              "triangle-down", "M-0.2,-1.5H0.2V1.5H-0.2Z"]
    colours = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#000000",
               "#999999"]
    seen = set(data["event"])
    kept = [(t, sh, co) for t, sh, co in zip(types, shapes, colours) if t in seen]
    types, shapes, colours = ([k[i] for k in kept] for i in range(3))
    return alt.Chart(data).mark_point(size=110, filled=True, opacity=0.95).encode(
        x=alt.X("date:T", title="Date the report gives the event",
                scale=alt.Scale(domain=domain),
                axis=alt.Axis(format="%d %b", tickCount="day", labelAngle=-45)),
        y=alt.Y("report:N", title=None, sort=order, scale=alt.Scale(paddingInner=0.25)),
        yOffset=alt.YOffset("event:N", sort=types, scale=alt.Scale(domain=types)),
        color=alt.Color("event:N", title="Event", scale=alt.Scale(domain=types, range=colours),
                        legend=alt.Legend(orient="bottom", columns=3)),
        shape=alt.Shape("event:N", title="Event", scale=alt.Scale(domain=types, range=shapes),
                        legend=alt.Legend(orient="bottom", columns=3)),
        tooltip=[alt.Tooltip("sentence:N", title="Sentence"),
                 alt.Tooltip("report:N", title="Report"),
                 alt.Tooltip("date:T", format="%a %d %b %Y"),
                 "event:N", "time_expression:N"],
        href=alt.Href("link:N"),
    ).properties(width=440, height=max(84 * len(order), 120))



# --- prose ----------------------------------------------------------------------------------

def _pct(x: float) -> str:
    return f"{100 * x:.0f}%"


def _and(items: list[str]) -> str:
    items = list(dict.fromkeys(items))
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


_AMONG = {"agree": "in agreement", "consistent update": "consistent (a later figure for a "
          "longer period)", "consistent (sum)": "consistent (their figures add up)",
          "conflict": "in conflict", "single report": "one report",
          "undetermined": "not comparable on the evidence (undetermined)",
          "different things": "about different things"}


def contested_markdown(claims: pd.DataFrame, comparison: pd.DataFrame, corpus) -> str:
    """One sentence per contested quantity: which report prints the denial, who denies what,
    and which reports assert figures inside the denied range; '' when nothing is contested."""
    labels = corpus.articles.set_index("id")["label"].map(plain_markdown)  # into Markdown
    keyed = claims[claims["counted"] != ""].assign(key=group_keys(claims))
    out = []
    for row in comparison[comparison["verdict"] == "contested"].itertuples():
        mine = keyed[keyed["key"] == row.key]
        asserted = mine[mine["stance"] != "denied"].drop_duplicates(["article_id", "value",
                                                                     "low", "high"])
        others = _and([f"*{labels[a.article_id]}* ({format_value(a._asdict())})"
                       for a in asserted.itertuples()])
        text = corpus.sentences.set_index("sentence_id")["text"]
        for d in mine[mine["stance"] == "denied"].itertuples():
            said = plain_markdown(text[d.sentence_id])
            out.append(
                f"*{labels[d.article_id]}* reports a denial: “{said}” (the method credits the "
                f"denial to {source_name(d.source)}, its category for that side's officials), "
                f"a figure of {format_value(d._asdict())} {d.counted} {d.event}. That range "
                f"takes in the figures of {others}, so the method marks the quantity "
                f"*contested*: the asserting reports are "
                f"{_AMONG.get(row.asserted_verdict, row.asserted_verdict)} among themselves. "
                "The match rests on the thing counted, the event and the period alone; "
                "whether the denial is about the same people or place as the figures is for "
                "the reader to check in the sentence.")
    if out:
        out.append(for_book_only(corpus, BOOK_DENIAL))
    return " ".join(out)


BOOK_DENIAL = (
    "Here it is not: the denial concerns Syrians fleeing Idlib \"in the direction of Turkey\", "
    "the figures everyone displaced since December. No report in the corpus "
    "disputes the 900,000; the *contested* verdict is the method's, not the texts'.")


def tallies_markdown(claims: pd.DataFrame, comparison: pd.DataFrame, corpus) -> str:
    """The single-report figures that are tallies of destroyed things, by report and day."""
    labels = corpus.articles.set_index("id")["label"].map(plain_markdown)  # into Markdown
    single = comparison[comparison["verdict"] == "single report"]
    tally_rows = single["key"].str.contains("| destroyed |", regex=False)
    d = claims[claims["event"] == "destroyed"]
    if d.empty or single.empty:
        return ""
    top = d["source"].value_counts()
    share = "Most" if tally_rows.sum() * 2 > len(single) else "Some"
    by = [f"*{labels[a]}* for {_long_day(g['date_start'].min())}"
          for a, g in d.groupby("article_id", sort=False)]
    text = (f"{share} of the single-report figures are tallies of destroyed men and equipment: "
            f"{len(d)} claims, {int(top.iloc[0])} of them credited to "
            f"{source_name(top.index[0])}, printed by {_and(by)}.")
    multi = comparison[comparison["key"].str.contains("| destroyed |", regex=False)
                       & (comparison["n_reports"] > 1)]
    if multi.empty:
        text += " No second report repeats any of them, so none can be checked here."
    return text


def top_toll_markdown(claims: pd.DataFrame, corpus) -> str:
    """The heaviest single-day death toll that more than one report gives, if any."""
    labels = corpus.articles.set_index("id")["label"].map(plain_markdown)  # into Markdown
    k = claims[(claims["event"] == "killed") & (claims["date_start"] == claims["date_end"])
               & (claims["stance"] != "denied") & claims["value"].notna()]
    if k.empty:
        return ""
    k = k.assign(key=k[["counted", "side", "date_start", "value"]].astype(str).agg("|".join,
                                                                                  axis=1))
    shared = k.groupby("key").filter(lambda g: g["article_id"].nunique() > 1)
    if shared.empty:
        return ""
    top = shared.sort_values(["value", "date_start"], ascending=[False, True]).iloc[0]
    reports = shared[shared["key"] == top["key"]]["article_id"]
    side = f" ({str(top['side']).title()}'s side)" if top["side"] else ""
    return (f"The heaviest single-day toll that more than one report gives, "
            f"{int(top['value'])} {top['counted']}{side} killed on "
            f"{_long_day(top['date_start'])}, is printed with the same figure and day by "
            f"{_and([f'*{labels[a]}*' for a in reports])}.")


def _readable(text: str, corpus) -> str:
    """Method reasoning for the reader: article ids replaced by manifest labels, escaped."""
    labels = corpus.articles.set_index("id")["label"]
    out = plain_markdown(text)
    for aid in sorted(labels.index, key=len, reverse=True):
        out = re.sub(rf"(?<![\w-]){re.escape(plain_markdown(aid))}(?![\w-])",
                     lambda m, a=aid: f"*{plain_markdown(labels[a])}*", out)
    return out


def _reports(value: str) -> list[str]:
    return [x.strip() for x in str(value).split(",") if x.strip()]


def agree_markdown(corpus, comparison: pd.DataFrame, groups: pd.Series | None) -> str:
    """The agreeing quantities, each with its reports, and how many rest on texts that do not
    copy each other (a wire story and its reprint are one text: copy_groups)."""
    labels = corpus.articles.set_index("id")["label"].map(plain_markdown)
    agreeing = comparison[comparison["verdict"] == "agree"]
    if agreeing.empty:
        return ""
    items = [f"{plain_markdown(q)} (from {_day(d)}: "
             + _and([f"*{labels[a]}*" for a in _reports(r)]) + ")"
             for q, d, r in zip(agreeing["quantity"], agreeing["from"], agreeing["reports"])]
    text = "The reports agree on " + "; ".join(items) + "."
    if groups is None:
        return text
    indep = [independent_count(_reports(r), groups) for r in agreeing["reports"]]
    n_same = sum(1 for n in indep if n == 1)
    n_ind = len(indep) - n_same
    if n_same:
        text += (f" Counted by independent texts, where a text and its copies or reprints "
                 f"count as one, {number(n_same)} of these "
                 f"{verb(n_same, 'agreements is', 'agreements are')} between one story and "
                 "its own reprint, and "
                 f"{count(n_ind, 'figure')} {verb(n_ind, 'is', 'are')} confirmed by texts that "
                 "do not copy each other.")
    return text


def _denied(n: int) -> str:
    """"the one denied figure comes first", "the 3 denied figures come first", or none."""
    if not n:
        return "no figure is denied"
    return f"the {count(n, 'denied figure')} {verb(n, 'comes', 'come')} first"


def verdicts_markdown(comparison: pd.DataFrame) -> str:
    """"Of those, five agree, one adds up as a running total ...", only verdicts that occur."""
    v = comparison["verdict"].value_counts()
    phrases = [("agree", "agrees", "agree"),
               ("consistent (sum)", "adds up as a running total", "add up as running totals"),
               ("consistent update", "is a consistent update", "are consistent updates"),
               ("contested", "is set against a denial (marked *contested*)",
                "are set against a denial (marked *contested*)"),
               ("conflict", "conflicts", "conflict")]
    parts = [f"{number(int(v[k]))} {verb(int(v[k]), one, many)}" for k, one, many in phrases
             if v.get(k, 0)]
    return ("Of those, " + _and(parts) + ".") if parts else ""


def key_numbers(corpus, claims: pd.DataFrame, comparison: pd.DataFrame,
                events: pd.DataFrame, directions: pd.DataFrame | None = None
                ) -> dict[str, object]:
    """The numbers and sentences the chapter states, by glue name, over roles in the data."""
    claims = _typed(claims)
    labels = corpus.articles.set_index("id")["label"]
    v = comparison["verdict"].value_counts()
    per = claims.groupby("article_id").size().reindex(corpus.articles["id"], fill_value=0)
    per = per.sort_values(ascending=False, kind="stable")
    agreeing = comparison[comparison["verdict"] == "agree"]

    def reasoning(verdict: str) -> str:
        rows = comparison[comparison["verdict"] == verdict]
        return (f"{rows['quantity'].iloc[0]}: {rows['reasoning'].iloc[0]}" if len(rows)
                else "")

    sum_why = reasoning("consistent (sum)")
    groups = copy_groups(corpus.articles["id"], directions) if directions is not None else None
    n_inf = int(corpus.articles["date_basis"].fillna("").str.startswith("inferred").sum())
    return {
        "n_claims": len(claims),
        "n_groups": len(comparison),
        "n_multi": n_compared(comparison),
        "n_single": int(v.get("single report", 0)),
        "n_agree": int(v.get("agree", 0)),
        "n_update": int(v.get("consistent update", 0)),
        "n_sum": int(v.get("consistent (sum)", 0)),
        "n_contested": int(v.get("contested", 0)),
        "n_conflict": int(v.get("conflict", 0)),
        "n_denied": int((claims["stance"] == "denied").sum()),
        "agree_md": agree_markdown(corpus, comparison, groups),
        "sum_md": (f"One figure only adds up across reports: {_readable(sum_why, corpus)}"
                   if sum_why else ""),
        "verdicts_md": verdicts_markdown(comparison),
        "dated_md": (
            f"When a sentence gives no time, the claim is dated to the report's publication day "
            f"({count(int((claims['date_basis'] == 'publication date').sum()), 'claim')}), "
            f"unless the same figure is dated elsewhere in the same report "
            f"({count(int(claims['date_basis'].str.startswith('same figure').sum()), 'claim')})."),
        "denied_md": _denied(int((claims["stance"] == "denied").sum())),
        "timeline_md": (
            f"{count(len(events), 'dated event')} from "
            f"{count(int(events['article_id'].nunique()), 'report')}. "
            f"{capital(count(n_inf, 'publication date'))} {verb(n_inf, 'is', 'are')} inferred "
            f"rather than printed (see the corpus chapter), so "
            f"{number(int(events['pub_date_inferred'].sum()))} of these event dates, and "
            f"{number(int(claims['pub_date_inferred'].sum()))} of the claims' periods, rest on "
            "an inferred date."),
        "single_md": (f"The other {count(int(v.get('single report', 0)), 'figure')} "
                      f"{verb(int(v.get('single report', 0)), 'appears', 'appear')} in a single "
                      "report and cannot be checked against another one: the table flags them "
                      "as *single report* and shows them after the compared ones."),
        "claims_md": (f"The extractor finds {count(len(claims), 'quantitative claim')}. "
                      f"{plain_markdown(str(labels[per.index[0]]))} is the most numerate report "
                      f"with {number(int(per.iloc[0]))}; "
                      f"{plain_markdown(str(labels[per.index[-1]]))} cites only "
                      f"{number(int(per.iloc[-1]))}. Grouped by what they measure, the claims "
                      f"make {count(len(comparison), 'distinct quantity', 'distinct quantities')}"
                      f", and {number(n_compared(comparison))} of them "
                      f"{verb(n_compared(comparison), 'is', 'are')} given by more than one "
                      "report."),
        "contested_md": contested_markdown(claims, comparison, corpus),
        "top_toll_md": top_toll_markdown(claims, corpus),
        "tallies_md": tallies_markdown(claims, comparison, corpus),
        "most_claims_report": labels[per.index[0]],
        "most_claims_n": int(per.iloc[0]),
        "fewest_claims_report": labels[per.index[-1]],
        "fewest_claims_n": int(per.iloc[-1]),
        "n_events": len(events),
        "n_event_reports": int(events["article_id"].nunique()),
        "n_inferred_pub": int(corpus.articles["date_basis"].fillna("")
                              .str.startswith("inferred").sum()),
        "n_events_inferred": int(events["pub_date_inferred"].sum()),
        "n_claims_inferred": int(claims["pub_date_inferred"].sum()),
        "n_default_dated": int((claims["date_basis"] == "publication date").sum()),
        "n_same_figure_dated": int(claims["date_basis"].str.startswith("same figure").sum()),
    }


def validation_markdown(scores: Scores | None, accuracy: pd.Series | None,
                        n_errors: int = 0) -> str:
    """The validation paragraph with its numbers, or one honest sentence without annotation."""
    if scores is None:
        return ("This corpus has no hand annotation of claims "
                "(`annotations/claims/claims.csv`), so the extraction is not validated here.")
    weakest = accuracy.idxmin().replace("_", " ")
    return (
        f"Against the hand annotation the extractor finds {scores.tp} of the "
        f"{count(scores.n_gold, 'annotated claim')}, misses "
        f"{number(scores.fn) if scores.fn else 'none'} and adds "
        f"{number(scores.fp) if scores.fp else 'none'} that "
        f"{verb(scores.fp, 'is not a claim', 'are not claims')}: precision {_pct(scores.precision)}, recall {_pct(scores.recall)}, F1 "
        f"{_pct(scores.f1)}. On the matched claims the counted thing is right in "
        f"{_pct(accuracy['counted'])}, the event in {_pct(accuracy['event'])}, the side in "
        f"{_pct(accuracy['side'])}, the credited source in {_pct(accuracy['source'])}, the value "
        f"and its bounds in {_pct(accuracy['value'])}, the time expression in "
        f"{_pct(accuracy['time_expression'])} and the resolved period in "
        f"{_pct(accuracy['period'])} of cases; the weakest field is the {weakest}. "
        + (f"The {count(n_errors, 'remaining disagreement')} "
           f"{verb(n_errors, 'is', 'are')} listed in the table below." if n_errors else
           "No disagreement remains."))


def publish_validation(found: pd.DataFrame, gold: pd.DataFrame | None, corpus=None) -> str:
    """Publish the validation tables (absent without a hand annotation); returns the section's
    prose as Markdown."""
    from analysis.evaluation import claims as evaluation
    from analysis.present.publish import absent, publish_table

    if gold is None:
        absent("tab-numbers-quality")
        absent("tab-numbers-errors")
        return validation_markdown(None, None)
    scores = evaluation.scores(found, gold)
    accuracy = evaluation.field_accuracy(found, gold)
    wrong = evaluation.errors(found, gold)
    publish_table(quality_frame(scores, accuracy), "tab-numbers-quality",
                  "Extraction quality against the hand annotation (%).",
                  "analysis.evaluation.claims", precision=1,
                  columns={"measure": "Measure", "score": "Score (%)"})
    publish_table(wrong, "tab-numbers-errors", "Every disagreement with the hand annotation.",
                  "analysis.evaluation.claims.errors", show=10,
                  columns={c: c.capitalize() for c in wrong.columns}, corpus=corpus)
    return validation_markdown(scores, accuracy, len(wrong))


# --- Sentences of the chapter's own prose that name examples -------------------------------

METHOD_TEMPLATE = """\
- **Numbers.** Digits with or without thousands separators, decimals with a scale {{3.6 million}},
  English number words read by the `text2num` library {{Thirty-three}} with two added rules for
  *a dozen* and *a million*, vague quantities {{several million|hundreds of|hundreds of thousands of}},
  shares of the figure before them {{half of these children}} and a counting *a* inside a
  list of counts {{a headquarters}}. Property tests check that every integer in digits, with or
  without separators, and every integer up to a million in words, parses to its value.
- **Not counts.** Years {{in 2018}}, dates {{March 5}}, clock times, model names {{S-400|F-35}},
  ordinals, durations {{eight-year|the last three months}} and definite references
  {{the two leaders|your two countries}}. Each case has a test.
- **Fields.** The counted thing is the first known noun after the number, skipping modifiers
  {{five Syrian regime choppers}}; an elided noun {{14 on the pro-Turkey side|Two more}} comes
  from the partner figure or the text's previous figure for the same event. The event is the
  nearest event word; the side is named in the noun phrase, or inherited along a list, or the
  nearest party before the number; the source is the speaker next to the nearest speech verb (a
  speaker named only by a title or an institution {{the defence ministry said}} takes the text's last
  named source), unless the figure stands in a relative clause the writer attached to a noun
  {{catastrophe" that has seen ...}}, which is the text's own voice. A figure in what a party
  *denies* {{denied reports that}} is kept with the stance *denied*.
- **Time.** A week-day is the latest such day on or before publication (after *by*, the next
  one); *this month* runs to publication, *earlier this month* to the day before; *since* and a
  month start on the first day of that month. A time phrase on the far side of *after* or *in
  retaliation for* belongs to another event and is not used."""


def method_markdown(corpus) -> str:
    """The chapter's *Method in brief* list; its examples are quoted only where a text of this
    corpus prints them."""
    return examples_markdown(corpus, METHOD_TEMPLATE)


def figures_markdown(corpus, claims: pd.DataFrame, top: int = 5) -> str:
    """What the texts count most often (thing and event, as the extractor reads them)."""
    noun = text_noun(corpus)
    if claims.empty:
        return f"The {noun}s of this folder quote no figures the extractor can read."
    pairs = (claims["counted"].fillna("").str.strip() + " " + claims["event"].fillna("")
             .str.strip()).str.strip()
    pairs = pairs[pairs.ne("")].value_counts(sort=False)
    ranked = pairs.sort_values(ascending=False, kind="stable").index[:top]
    return (f"The {noun}s quote figures; the most frequent are of "
            f"{join([plain_markdown(p) for p in ranked])}.")


def dating_markdown(corpus, events: pd.DataFrame, top: int = 4) -> str:
    """How the texts date events, with time phrases found in them (most frequent first)."""
    noun = text_noun(corpus)
    phrases = events["time_expression"].fillna("").str.strip() if len(events) else pd.Series(
        [], dtype=str)
    phrases = phrases[phrases.ne("")]
    if phrases.empty:
        return (f"The {noun}s of this folder give no time phrase the extractor reads, so "
                "events are dated by publication day alone.")
    ranked = phrases.value_counts(sort=False).sort_values(ascending=False, kind="stable")
    # one phrase per day or period: *on Thursday* stands for *Thursday* and *on thursday* too
    key = pd.Series(ranked.index, index=ranked.index).str.lower().str.removeprefix("on ")
    distinct = key[~key.duplicated()].index
    shown = join([f"*{plain_markdown(p)}*" for p in distinct[:top]])
    return f"The {noun}s date events with time phrases such as {shown}."


# The validation note: the book's rules were written on its own texts (in-sample there).
FIT_NOTE = ("These scores are a check of fit, not a forecast: the annotation was written before "
            "the extractor, but the rules (the lexicon of counted things, the hedges, the side "
            "and speaker patterns) were then written and corrected while reading the same texts. "
            "On new reports the lexicons will miss nouns and the time rules will misplace dates "
            "more often.")
OTHER_FIT_NOTE = ("The extractor's rules were written while reading the texts the book was made "
                  "from; on a folder they were not tuned on, these scores say how well they "
                  "carry over to it.")
IN_SAMPLE_NOTE = ("The figures above this section are in-sample: they are measured on the five "
                  "texts the method was written for.")


def fit_note(corpus, annotated: bool) -> str:
    """What the validation scores are: a check of fit on the book's texts, a measure of how the
    rules carry over on another annotated folder, nothing without scores."""
    from analysis.present import is_book_corpus

    if not annotated:
        return ""
    return FIT_NOTE if is_book_corpus(corpus) else OTHER_FIT_NOTE


def chapter_values(corpus, run) -> dict[str, object]:
    """Every value the numbers chapter glues at its start, from the stored run: the prose
    numbers (:func:`key_numbers`) and the Markdown of its examples and notes."""
    found, events = run.table("claims"), run.table("events")
    return key_numbers(corpus, found, run.table("claim_comparison"), events,
                       run.table("directions")) | {
        "figures_md": figures_markdown(corpus, found),
        "dating_md": dating_markdown(corpus, events),
        "method_md": method_markdown(corpus),
        "in_sample_md": for_book_only(corpus, IN_SAMPLE_NOTE)}
