"""Comparison across reports: claims that measure the same thing, a verdict with its reasoning,
and the dated events for a timeline. Pure frames; the charts are in ``analysis.present.claims``.

Two asserted claims measure the same quantity when they share a key (counted thing, event, side,
first day of the period). A *denied* figure (``stance == 'denied'``) is set against the asserted
claims of the same counted thing, event and side whose periods span its date: when its range
overlaps their figures, the row is *contested* and says who denies what.

A *conflict* needs more than different figures under one key: every figure must state its
period (else *undetermined*); a lower later figure contradicts only a running total, not a
measure with a unit such as ``net profit (dlrs)`` (else *undetermined*); figures within
rounding (:data:`ROUNDING`) are one figure; and for a thing outside the lexicon's categories
the reports whose figures clash must be about the same subject, the first name of their lead
('Duke Power Co is raising...'), else the verdict is *different things* (or *undetermined* when
a lead names nothing, or one report itself gives several figures under the words).
"""

from __future__ import annotations

import math
import re

import pandas as pd

from analysis import text as textmod
from analysis.claims.lexicon import COUNTED
from analysis.claims.numbers import VAGUE, Quantity
from analysis.claims.time import resolve_time, time_expressions

VERDICTS = ("agree", "consistent (sum)", "consistent update", "contested", "conflict",
            "single report", "undetermined", "different things")


def format_value(row: pd.Series | dict) -> str:
    """A claim's figure as a reader would say it: '900,000 (an estimated)', '≥ 11', '200-999'."""
    def n(x: float) -> str:
        return f"{x:,.0f}" if float(x).is_integer() else f"{x:,.1f}"
    v, lo, hi, hedge = row["value"], row["low"], row["high"], row["hedge"]
    if v is not None and not pd.isna(v):
        return n(v) + (f" ({hedge})" if hedge else "")
    if lo is not None and not pd.isna(lo) and hi is not None and not pd.isna(hi):
        return f"{n(lo)}-{n(hi)} ({hedge})" if hedge else f"{n(lo)}-{n(hi)}"
    if lo is not None and not pd.isna(lo):
        return f"{hedge} {n(lo)}" if hedge else f">= {n(lo)}"
    return f"{hedge} {n(hi)}" if hedge else f"<= {n(hi)}"


def _interval(row: pd.Series) -> tuple[float, float]:
    def f(x):
        return None if x is None or pd.isna(x) else float(x)
    q = Quantity(0, 0, "", f(row["value"]), f(row["low"]), f(row["high"]), row["hedge"],
                 bool(row["exact"]), "half" if row["hedge"] == "half of" else "digits")
    return q.interval()


def _overlap(a: tuple[float, float], b: tuple[float, float]) -> bool:
    return a[0] <= b[1] and b[0] <= a[1]


def claim_key(row: pd.Series | dict) -> str:
    """The comparison key: counted thing, event, side and the first day of the period."""
    side = row["side"] or "-"
    return f"{row['counted']} | {row['event']} | {side} | from {row['date_start']:%Y-%m-%d}"


def _day(d: pd.Timestamp) -> str:
    return f"{d.day} {d:%b}"


def _period(row) -> str:
    s, e = (row.date_start, row.date_end) if hasattr(row, "date_start") else \
        (row["date_start"], row["date_end"])
    return _day(s) if s == e else f"{_day(s)} {s.year}-{_day(e)}" if s.year != e.year \
        else f"{_day(s)}-{_day(e)}"


def _report_order(order: dict[str, int]):
    """A sort key putting ``article_id`` in report order. It looks up each row's id: mapping a
    column with the dict itself turns the whole dict (every report) into a Series on each
    call, which made the per-quantity sorts grow with the folder."""
    def key(column: pd.Series) -> pd.Series:
        if column.name != "article_id":
            return column
        return column.map(lambda aid: order.get(aid, math.nan))
    return key


def _verdict(group: pd.DataFrame, claims: pd.DataFrame | _ByQuantity,
             order: dict[str, int]) -> tuple[str, str]:
    """Verdict and reasoning for one group of claims (one row per report and figure)."""
    reports = group["article_id"].unique()
    if len(reports) == 1:
        figs = list(dict.fromkeys(group["figure"]))
        if len(figs) > 1:
            return "single report", (f"Only {reports[0]} counts this; it prints {len(figs)} "
                                     f"figures for it ({', '.join(figs)}), items of one list or "
                                     f"different mentions.")
        return "single report", f"Only {reports[0]} gives this figure."
    g = group.sort_values(["date_end", "article_id"], key=_report_order(order))
    ends = sorted(g["date_end"].unique())
    notes, verdict = [], "agree"
    for end in ends:
        same = g[g["date_end"] == end]
        ivs = [_interval(r) for _, r in same.iterrows()]
        # Intervals overlap pairwise exactly when the largest start is at most the smallest
        # end (one pass, not every pair).
        if ivs and max(a[0] for a in ivs) > min(a[1] for a in ivs):
            figs = "; ".join(f"{r.article_id} {format_value(r)}" for _, r in same.iterrows())
            undated = _undated(same)
            if undated:
                return "undetermined", (f"Different figures ({figs}), but {undated} states no "
                                        "period, so they may measure different periods.")
            return "conflict", (f"Same period ending {_day(end)}, incompatible figures: {figs}.")
        if len(same) > 1:
            figs = ", ".join(f"{r.article_id} {format_value(r)}" for _, r in same.iterrows())
            notes.append(f"For the period ending {_day(end)} the figures overlap ({figs})")
    for earlier, later in zip(ends, ends[1:]):
        a = g[g["date_end"] == earlier].iloc[0]
        b = g[g["date_end"] == later].iloc[0]
        summed = _sum_explains(a, b, claims)
        if summed:
            verdict = "consistent (sum)" if verdict == "agree" else verdict
            notes.append(summed)
            continue
        ia, ib = _interval(a), _interval(b)
        if ib[1] < ia[0] and _is_measure(a["counted"]):
            return "undetermined", (f"{b.article_id} gives {format_value(b)} up to "
                                    f"{_day(later)}, below {a.article_id}'s {format_value(a)} "
                                    f"up to {_day(earlier)}; a measure ({a['counted']}) is not "
                                    "a running total, so a lower later figure contradicts "
                                    "nothing.")
        if ib[1] < ia[0] and (_undated(a.to_frame().T) or _undated(b.to_frame().T)):
            return "undetermined", (f"{b.article_id} gives {format_value(b)}, below "
                                    f"{a.article_id}'s {format_value(a)}, but not both state "
                                    "a period.")
        if ib[1] < ia[0]:
            return "conflict", (f"{b.article_id} gives {format_value(b)} up to {_day(later)}, "
                                f"below {a.article_id}'s {format_value(a)} up to {_day(earlier)}"
                                f": a running total cannot fall.")
        verdict = "consistent update" if verdict in ("agree",) else verdict
        notes.append(f"{b.article_id} ({format_value(b)}, to {_day(later)}) is not below "
                     f"{a.article_id} ({format_value(a)}, to {_day(earlier)}): a later figure "
                     f"for a longer period")
    return verdict, "; ".join(notes) + "."


_QUANTITY = ["article_id", "counted", "event", "side"]
_LEXICON_CATEGORIES = frozenset(COUNTED)


def _is_measure(counted: str) -> bool:
    """A measured thing with a unit (``net profit (dlrs)``, ``sales (pct)``), not a count of
    people or things that can only grow as a running total."""
    return bool(re.search(r"\([^)]*\)\s*$", str(counted)))


# A name: a capitalised word (not opening the sentence) or an acronym, e.g. 'Ford', 'CRD'.
_NAME_RUN = re.compile(r"(?<![\w'&.-])[A-Z][\w&.'-]*[A-Za-z](?:\s+(?:of\s+|de\s+|&\s+)?"
                       r"[A-Z][\w&.'-]*[A-Za-z])*")
_NOT_NAMES = frozenset("""The A An It He She They We In On At By Of For And But Its Their This That
    These Those Reuter Reuters January February March April May June July August September
    October November December Monday Tuesday Wednesday Thursday Friday Saturday Sunday U.S
    U.S. Mln Billion Dlrs Pct Inc Corp Co Ltd Plc Group Company Bank International National
    Industries Corporation Holdings American New York London Tokyo Washington CTS NET SHR REVS
    QTR Net Shr Revs Qtr Avg Shrs Oper Note NOTE Shares Sales Profit Loss Earnings Revenues
    Income Exports Imports Production Output Prices Trade Total For From To With As After
    Before Since When While If Under Over About Some More Less Most Analysts Officials Dealers
    Traders Government President Minister Chairman Director Officer Spokesman Also However
    But Or Nor So Yet Other Such All Both Each Many Several Last Next This First Second Third
    Fourth Fiscal Year Quarter Month Week Average Reuter Reuters""".split())


def _sentence_names(corpus, sentence_ids: set) -> dict[str, frozenset] | None:
    """The name a claim's report is about: the first name of its first sentence (wire copy names
    its subject first in the lead: 'Duke Power Co is raising...'; names later in a sentence are
    underwriters, parents, partners). ``None`` when the corpus gives no sentences."""
    sents = getattr(corpus, "sentences", None)
    if sents is None or "text" not in getattr(sents, "columns", []):
        return None
    wanted = sents[sents["sentence_id"].isin(sentence_ids)]
    lead_of = {}
    for aid, text in zip(sents["article_id"], sents["text"]):
        if aid not in lead_of:
            lead = _names(str(text), ordered=True)
            lead_of[aid] = frozenset(lead[:1])  # the lead's first name: the report's subject
    return {sid: lead_of.get(aid, frozenset())
            for sid, aid in zip(wanted["sentence_id"], wanted["article_id"])}


def _names(text: str, ordered: bool = False):
    """The names of ``text``: runs of capitalised words ('Wal-Mart Stores', 'Morgan
    Stanley'), common words that open sentences or name a line of a table left out."""
    out = []
    for run in _NAME_RUN.findall(text):
        words = [w.rstrip(".'") for w in run.split()]
        while words and (words[0] in _NOT_NAMES or words[0].islower()):
            words.pop(0)
        while words and words[-1] in _NOT_NAMES:
            words.pop()
        if words:
            out.append(" ".join(words))
    out = list(dict.fromkeys(out))
    return out if ordered else frozenset(out)


def _no_name_in_common(group: pd.DataFrame, names: dict[str, frozenset]) -> str:
    """For a thing outside the lexicon's categories (``net profit (dlrs)``, ``cars``) given by
    several reports: the reason they are different things when no two reports whose figures
    are incompatible share their subject (:func:`_sentence_names`); the reason prefixed ``?``
    (the verdict is then ``undetermined``) when such a report names nothing or the figures
    differ only by rounding (:data:`ROUNDING`); ``''`` otherwise. Counts of persons and things
    (the lexicon's categories, ``soldiers``) are left to the counted thing, event and side. A
    report that itself gives several figures under the words makes the verdict
    ``undetermined``."""
    counted = group["counted"].iloc[0]
    if not _is_measure(counted) and counted in _LEXICON_CATEGORIES:
        return ""
    for aid, figs in group.groupby("article_id")["figure"]:
        if figs.nunique() > 1:
            return "?" + (f"{aid} itself gives {figs.nunique()} different figures for "
                          f"'{counted}' ({', '.join(dict.fromkeys(figs))}), so the words name "
                          "several things and which ones the reports share is undetermined.")
    by_report: dict[str, set] = {}
    interval: dict[str, tuple[float, float]] = {}
    for r in group.itertuples():
        for sid in str(r.sentence_ids).split(", "):
            by_report.setdefault(r.article_id, set()).update(names.get(sid, frozenset()))
        interval[r.article_id] = _interval(pd.Series(r._asdict()))
    if len(by_report) < 2:
        return ""
    reports = list(by_report)
    clashing = [(a, b) for i, a in enumerate(reports) for b in reports[i + 1:]
                if not _overlap(_rounded(interval[a]), _rounded(interval[b]))]
    if not clashing:
        return "?" + ("The figures differ by less than the rounding of the printed figures "
                      f"({ROUNDING:.1%}): the same figure printed at different precision.")
    named = [(a, b) for a, b in clashing if by_report[a] and by_report[b]]
    if any(by_report[a] & by_report[b] for a, b in named):
        return ""
    if len(named) < len(clashing):
        silent = ", ".join(dict.fromkeys(x for a, b in clashing for x in (a, b)
                                         if not by_report[x]))
        return "?" + (f"Same words for the measure ({counted}), but {silent} names no "
                      "company, country or body, so whether the figures measure the same thing "
                      "is undetermined.")
    shown = "; ".join(f"{aid}: {', '.join(sorted(n)[:4])}" for aid, n in by_report.items())
    return (f"Same words for the measure ({counted}), but no two reports with incompatible "
            f"figures name a company, country or body in common ({shown}): different things.")


ROUNDING = 0.005  # '1.46 billion' and '1,459,193,000' are one figure


def _rounded(iv: tuple[float, float]) -> tuple[float, float]:
    return (iv[0] * (1 - ROUNDING), iv[1] * (1 + ROUNDING))


def _undated(rows: pd.DataFrame) -> str:
    """The reports among ``rows`` whose figure is dated only by publication ('' if none)."""
    if "date_basis" not in rows:
        return ""
    ids = rows.loc[rows["date_basis"].astype(str) == "publication date", "article_id"]
    return ", ".join(dict.fromkeys(ids))


class _ByQuantity:
    """Claims grouped once by report, counted thing, event and side (the rows
    :func:`_sum_explains` looks through), so each lookup reads one small group."""

    def __init__(self, claims: pd.DataFrame):
        self.empty = claims.iloc[:0]
        self.groups = ({} if claims.empty else
                       dict(tuple(claims.groupby(_QUANTITY, sort=False, dropna=False))))

    def get(self, row: pd.Series) -> pd.DataFrame:
        key = tuple(row[c] for c in _QUANTITY)
        if any(pd.isna(v) for v in key):
            return self.empty  # a missing value equals nothing, as in a frame comparison
        return self.groups.get(key, self.empty)


def _sum_explains(a: pd.Series, b: pd.Series, claims: pd.DataFrame | _ByQuantity) -> str:
    """'b = a + the same report's single-day figures after a's period', or ''."""
    if a["value"] is None or pd.isna(a["value"]) or b["value"] is None or pd.isna(b["value"]):
        return ""
    if isinstance(claims, _ByQuantity):
        claims = claims.get(a)
    extra = claims[(claims["article_id"] == a["article_id"]) & (claims["counted"] == a["counted"])
                   & (claims["event"] == a["event"]) & (claims["side"] == a["side"])
                   & (claims["date_start"] == claims["date_end"])
                   & (claims["date_start"] > a["date_end"])
                   & (claims["date_start"] <= b["date_end"]) & claims["value"].notna()]
    extra = extra.drop_duplicates(["date_start", "value"])
    if extra.empty:
        return ""
    total = a["value"] + extra["value"].sum()
    if total != b["value"]:
        return ""
    parts = " + ".join(f"{v:,.0f} ({_day(d)})" for v, d in zip(extra["value"],
                                                                 extra["date_start"]))
    return (f"{b.article_id}'s {format_value(b)} to {_day(b['date_end'])} = {a.article_id}'s "
            f"{format_value(a)} to {_day(a['date_end'])} + {parts} from the same report")


def _stance(claims: pd.DataFrame) -> pd.Series:
    if "stance" in claims:
        return claims["stance"].fillna("asserted").replace("", "asserted")
    return pd.Series("asserted", index=claims.index)


def group_keys(claims: pd.DataFrame) -> pd.Series:
    """The comparison key of each claim with a counted thing (aligned on ``claims.index``).

    An asserted claim's key is :func:`claim_key`. A denied claim takes the key of the asserted
    quantity it contests: same counted thing, event and side, with the denied claim's first day
    inside the span of that quantity's periods; else it keeps its own key.
    """
    c = claims[claims["counted"] != ""]
    if c.empty:
        return pd.Series(dtype=str)
    keys = c.apply(claim_key, axis=1)
    denied = _stance(c) == "denied"
    if not denied.any():
        return keys
    asserted = c[~denied].assign(key=keys[~denied])
    what = ["counted", "event", "side"]
    groups = ({} if asserted.empty else
              dict(tuple(asserted.groupby(what, sort=False, dropna=False))))
    spans_of: dict[tuple, pd.DataFrame | None] = {}  # each quantity's key spans, once
    for i in c.index[denied]:
        r = c.loc[i]
        k = tuple(r[col] for col in what)
        if any(pd.isna(v) for v in k):
            continue  # a missing value equals nothing, so no asserted quantity matches
        if k not in spans_of:
            same = groups.get(k)
            spans_of[k] = None if same is None else same.groupby("key", sort=True).agg(
                start=("date_start", "min"), end=("date_end", "max"))
        spans = spans_of[k]
        if spans is None:
            continue
        hit = spans[(spans["start"] <= r["date_start"]) & (r["date_start"] <= spans["end"])]
        if len(hit):
            keys[i] = hit.index[0]
    return keys


_SOURCE_NAMES = {"outlet": "the report itself", "un": "the UN", "monitor": "the monitor"}


def source_name(source: str) -> str:
    """A source category as prose: ``russian-government`` -> ``the Russian government``."""
    if source in _SOURCE_NAMES:
        return _SOURCE_NAMES[source]
    head, _, tail = source.partition("-")
    return f"the {head.capitalize()} {tail}".strip() if tail else f"the {source}"


def _contest(denied: pd.DataFrame, asserted: pd.DataFrame) -> tuple[bool, str]:
    """Does any denied figure take in an asserted one? Reasoning either way."""
    notes, contested = [], False
    for d in denied.itertuples():
        dv = _interval(pd.Series(d._asdict()))
        hit = [a for a in asserted.itertuples() if _overlap(dv, _interval(pd.Series(a._asdict())))]
        who = source_name(d.source)
        if hit:
            contested = True
            figs = ", ".join(f"{a.article_id} {a.figure}" for a in hit)
            notes.append(f"{d.article_id} reports that {who} denied {d.figure} "
                         f"({_period(d)}); that range takes in the figures asserted by "
                         f"{figs}, so the denial contests them")
        else:
            notes.append(f"{d.article_id} reports that {who} denied {d.figure}, which does not "
                         f"overlap the asserted figures")
    return contested, "; ".join(notes)


def compare(claims: pd.DataFrame, corpus) -> pd.DataFrame:
    """One row per compared quantity: which report gives which figure, verdict and reasoning.

    Repeated mentions of the same figure in one report count once (``mentions`` says how
    often it is printed). A denied figure joins the quantity it contests (:func:`group_keys`);
    when it overlaps the asserted figures the verdict is ``contested``. Rows are ordered by the
    first day of the period, then the key. ``corpus`` gives the report order (its ``articles``).
    """
    order = {aid: i for i, aid in enumerate(corpus.articles["id"])}
    c = claims[claims["counted"] != ""].copy()
    columns = ["key", "quantity", "from", "reports", "n_reports", "figures", "verdict",
               "reasoning", "inferred_dates", "n_denied", "asserted_verdict"]
    if c.empty:
        return pd.DataFrame(columns=columns)
    c["key"] = group_keys(c)
    c["stance"] = _stance(c)
    c["figure"] = c.apply(format_value, axis=1)
    if "date_basis" not in c:
        c["date_basis"] = "expression"  # no basis given: every figure counts as dated
    dedup = (c.groupby(["key", "article_id", "stance", "figure", "date_end"], as_index=False,
                       sort=True)
             .agg(mentions=("sentence_id", "size"), sentence_ids=("sentence_id", ", ".join),
                  value=("value", "first"), low=("low", "first"), high=("high", "first"),
                  hedge=("hedge", "first"), exact=("exact", "first"),
                  counted=("counted", "first"), event=("event", "first"),
                  side=("side", "first"), date_start=("date_start", "first"),
                  date_basis=("date_basis", "first"),
                  source=("source", "first"), pub_date_inferred=("pub_date_inferred", "first")))
    asserted_claims = _ByQuantity(c[c["stance"] != "denied"])
    names = _sentence_names(corpus, set(c["sentence_id"]))
    rows = []
    for key, g in dedup.groupby("key", sort=True):
        ga, gd = g[g["stance"] != "denied"], g[g["stance"] == "denied"]
        verdict, why = _verdict(ga if len(ga) else gd, asserted_claims, order)
        if verdict in ("conflict", "undetermined") and names is not None:
            apart = _no_name_in_common(ga if len(ga) else gd, names)
            if apart.startswith("?"):
                verdict, why = "undetermined", apart[1:]
            elif apart:
                verdict, why = "different things", apart
        asserted_verdict = verdict if len(ga) else ""
        if len(ga) and len(gd):
            contested, note = _contest(gd, ga)
            if contested:
                verdict, why = "contested", f"{note}. Among the asserted figures: {why}"
            else:
                why = f"{why} {note}."
        elif len(gd):
            why = why + " " + "; ".join(f"{d.article_id} gives it as a figure "
                                        f"{source_name(d.source)} denied"
                                        for d in gd.itertuples()) + "."
        g = g.sort_values("article_id", key=_report_order(order), kind="stable")
        first = (ga if len(ga) else gd).sort_values("article_id", key=_report_order(order),
                                                    kind="stable").iloc[0]
        rows.append({
            "key": key,
            "quantity": f"{first['counted']} {first['event']}"
                        + (f" ({first['side']})" if first["side"] else ""),
            "from": first["date_start"],
            "reports": ", ".join(dict.fromkeys(g["article_id"])),
            "n_reports": g["article_id"].nunique(),
            "figures": "; ".join(
                f"{r.article_id}: {'denied ' if r.stance == 'denied' else ''}{r.figure} "
                f"[{_period(r)}; {r.source}; {r.sentence_ids}]" for r in g.itertuples()),
            "verdict": verdict,
            "reasoning": why,
            "inferred_dates": ", ".join(dict.fromkeys(g.loc[g["pub_date_inferred"].astype(bool),
                                                             "article_id"])),
            "n_denied": int(len(gd)),
            "asserted_verdict": asserted_verdict,
        })
    out = pd.DataFrame(rows, columns=columns)
    return out.sort_values(["from", "key"], kind="stable").reset_index(drop=True)


def report_matrix(claims: pd.DataFrame, comparison: pd.DataFrame, corpus) -> pd.DataFrame:
    """Long frame for the 'who reports what' grid: one row per compared quantity and report,
    with the figure as printed (``denied ...`` for a denied one) and the row's verdict."""
    columns = ["key", "quantity", "report", "article_id", "figure", "verdict", "sentences"]
    c = claims[claims["counted"] != ""].copy()
    if c.empty:
        return pd.DataFrame(columns=columns)
    c["key"] = group_keys(c)
    c["stance"] = _stance(c)
    labels = corpus.articles.set_index("id")["label"]
    verdicts = comparison.set_index("key")
    rows = []
    for (key, aid), g in c.groupby(["key", "article_id"], sort=True):
        v = verdicts.loc[key]
        figs = [("denied " if r["stance"] == "denied" else "") + _short_figure(r)
                for _, r in g.iterrows()]
        rows.append({"key": key, "quantity": f"{v['quantity']}, from {_day(v['from'])}",
                     "report": labels[aid], "article_id": aid,
                     "figure": " / ".join(dict.fromkeys(figs)),
                     "verdict": v["verdict"], "sentences": ", ".join(g["sentence_id"])})
    return pd.DataFrame(rows, columns=columns)


def _short_figure(row: pd.Series) -> str:
    """A figure short enough for a grid cell: vague quantities keep only their words."""
    if row["hedge"] in VAGUE:
        return row["hedge"][: -len(" of")]
    return format_value(row)


# --------------------------------------------------------------------------------------------
# Timeline of dated events
# --------------------------------------------------------------------------------------------

EVENT_TYPES = {
    "strike": r"air ?strikes?|airstrike|struck|shelling|pounded|retaliated|retaliation|attack|"
              r"assaults?|firing",
    "casualties": r"killed|killing|died|deaths?|wounded|wounding",
    "call or talks": r"spoke|phone|call|talks|talked|dialogue",
    "meeting": r"meeting|summit|meet|gathering|travel",
    "ultimatum": r"ultimatum",
    "deployment": r"warships|deployment|brought|sent",
    "statement": r"said|says|told|announced|warned|urged|blamed|denied|denies|rejected",
}
STATEMENT_PENALTY = 20
_EVENT_TYPE_RE = [(n, re.compile(rf"\b(?:{p})\b", re.I)) for n, p in EVENT_TYPES.items()]


def timeline_events(corpus) -> pd.DataFrame:
    """Events the reports date to a single day: report, date, type, expression, sentence.

    The type is the event word nearest to the time expression; a speech verb counts as if it
    stood :data:`STATEMENT_PENALTY` characters further away, so a dated strike or death outranks
    the verb that reports it unless the verb is much closer. Ranges (``since December``, ``in 2018``) are left to
    the claims table.
    """
    rows = []
    labels = corpus.articles.set_index("id")
    for s in corpus.sentences.itertuples():
        pub = labels.loc[s.article_id, "date"]
        folded = textmod.fold_chars(s.text)
        for start, end, expr in time_expressions(s.text, pub):
            d0, d1 = resolve_time(expr, pub)
            if d0 != d1:
                continue
            best, best_key = None, None
            for rank, (name, rx) in enumerate(_EVENT_TYPE_RE):
                for m in rx.finditer(folded):
                    dist = min(abs(m.start() - end), abs(start - m.end()))
                    k = (dist + (STATEMENT_PENALTY if name == "statement" else 0), rank)
                    if best_key is None or k < best_key:
                        best, best_key = name, k
            if best is None:
                continue
            rows.append({"article_id": s.article_id, "report": labels.loc[s.article_id, "label"],
                         "date": d0, "event": best, "time_expression": expr,
                         "sentence_id": s.sentence_id, "sentence": s.text,
                         "pub_date": pub, "pub_date_inferred":
                         labels.loc[s.article_id, "date_basis"].startswith("inferred")})
    out = pd.DataFrame(rows, columns=["article_id", "report", "date", "event", "time_expression",
                                      "sentence_id", "sentence", "pub_date",
                                      "pub_date_inferred"])
    order = {aid: i for i, aid in enumerate(corpus.articles["id"])}
    return out.sort_values(["date", "article_id", "sentence_id"],
                           key=lambda c: c.map(order) if c.name == "article_id" else c,
                           kind="stable").reset_index(drop=True)
