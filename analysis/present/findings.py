"""Findings at a glance: one sentence per chapter, computed over roles found in the data.

Each sentence names the articles that fill a role (the report that takes most from an earlier
one, the report with the highest spin score), so the page reads true on any corpus. The chapter
behind each finding gives the evidence and its limits.
"""

from __future__ import annotations

from dataclasses import dataclass


import pandas as pd

from analysis.corpus import Corpus
from analysis.independence import copy_groups, independent_count
from analysis.present import for_book_only
from analysis.present.publish import plain_markdown
from analysis.claims import format_value, group_keys
from analysis.present.words import count, join, number, plural, verb
from analysis.store import StoredRun


@dataclass(frozen=True)
class Findings:
    """The page's sentences (Markdown), by glue name."""

    text: dict[str, str]


def _pct(x: float) -> str:
    return f"{100 * x:.0f}%"


def _labels(corpus: Corpus) -> pd.Series:
    return corpus.articles.set_index("id")["label"].map(plain_markdown)


def _reuse(corpus: Corpus, run: StoredRun) -> str:
    """The report with the largest aligned share, where its words go, and what the order of
    the pair rests on: a date, or only a wire credit on a shared date (then each text's words
    the other lacks are stated, since either could be the other's version)."""
    labels = _labels(corpus)
    comp = run.table("composition")
    if comp.empty or comp["derived_share"].max() <= 0:
        return "No report shares a copied passage with an earlier one."
    top = comp.loc[comp["derived_share"].idxmax()]
    copier = top["article_id"]
    passages = run.table("passages")
    primary = passages[passages["primary"]]
    into = primary[primary["target_id"] == copier]
    by_source = into.groupby("source_id")["aligned_words"].sum().sort_values(ascending=False)
    source = by_source.index[0]
    to = (f"all of them to *{labels[source]}*" if len(by_source) == 1 else
          f"{_pct(by_source.iloc[0] / by_source.sum())} of them to *{labels[source]}*")
    n_pairs = len(primary[["source_id", "target_id"]].drop_duplicates())
    out = [f"*{labels[copier]}* has the largest share of its words in common with another "
           f"report: {_pct(top['derived_share'])} of them are aligned word for word, {to}."]
    d = run.table("directions")
    row = d[(d["source_id"] == source) & (d["target_id"] == copier)]
    if len(row) and str(row.iloc[0]["direction_basis"]).startswith("same date"):
        pair = into[into["source_id"] == source]
        spans = sorted(zip(pair["source_word_start"], pair["source_word_end"]))
        covered, reach = 0, 0
        for a, b in spans:
            covered += max(0, b - max(a, reach))
            reach = max(reach, b)
        n_source = int(corpus.articles.set_index("id").loc[source, "n_words"])
        src_only = n_source - covered
        own = int(top["words"] - top["verbatim"])
        out.append(
            f"Both carry the same date; *{labels[source]}* is put first only because it "
            f"carries a wire credit, which does not show which was written first. Each holds "
            f"text the other lacks ({count(src_only, 'word')} of *{labels[source]}*'s lie "
            f"outside the passages it shares with *{labels[copier]}*, and "
            f"{count(own, 'word')} of *{labels[copier]}*'s are not aligned to it), so *{labels[copier]}* reads as a print of "
            f"a version of the *{labels[source]}* story, not as a rewrite of the text here.")
    elif len(row):
        out.append(f"*{labels[source]}* is the earlier of the two.")
    out.append(for_book_only(corpus, BOOK_REUSE_NOTE))
    out.append(f"In all, {count(n_pairs, 'pair')} of reports share copied passages.")
    return " ".join(x for x in out if x)


BOOK_REUSE_NOTE = ("The AFP text reports Turkey's retaliation on Thursday and Merkel's and "
                   "Macron's call for talks, which the Times of Israel text lacks; the Times "
                   "of Israel text says Akar's interview was filmed before the two soldiers "
                   "were killed, which the AFP text does not.")

VERDICTS = {  # verdict: (one, many) as a predicate
    "agree": ("agrees", "agree"),
    "consistent (sum)": ("adds up as a running total", "add up as running totals"),
    "consistent update": ("is a consistent update", "are consistent updates"),
    "contested": ("is set against a denial", "are set against a denial"),
    "conflict": ("conflicts", "conflict"),
}


def _verdicts(counts: pd.Series) -> str:
    parts = []
    for verdict, n in counts.items():
        one, many = VERDICTS.get(verdict, (f"is {verdict}", f"are {verdict}"))
        parts.append(f"{number(n)} {verb(n, one, many)}")
    return join(parts)


def _figure(claims: pd.DataFrame, key: str) -> str:
    """One compared quantity as a reader says it: "33 soldiers killed (Turkey's side) on 27
    February" (the first asserted claim with that key; a period is given by its first day)."""
    keyed = claims[claims["counted"] != ""].assign(key=group_keys(claims))
    rows = keyed[(keyed["key"] == key) & (keyed["stance"] != "denied")]
    if rows.empty:
        return plain_markdown(key)
    c = rows.iloc[0]
    start, end = pd.Timestamp(c["date_start"]), pd.Timestamp(c["date_end"])
    when = (f"on {start.day} {start:%B}" if start == end else
            f"from {start.day} {start:%B} to {end.day} {end:%B}")
    side = f" ({str(c['side']).title()}'s side)" if c["side"] else ""
    return plain_markdown(f"{format_value(c.to_dict())} {c['counted']} {c['event']}{side} {when}")


def _numbers(corpus: Corpus, run: StoredRun) -> str:
    """Quantities several reports give, counted by report and by independent text: a wire
    story and its reprints are one text (:func:`analysis.independence.copy_groups`)."""
    labels = _labels(corpus)
    found, comparison = run.table("claims"), run.table("claim_comparison")
    multi = comparison[comparison["n_reports"] > 1]
    head = (f"The reports cite {count(len(found), 'quantitative claim')}; "
            f"{count(len(multi), 'quantity', 'quantities')} "
            f"{verb(len(multi), 'is', 'are')} given by more than one report")
    if multi.empty:
        return head + "."
    groups = copy_groups(corpus.articles["id"], run.table("directions"))
    ids = multi["reports"].map(lambda r: [x.strip() for x in str(r).split(",") if x.strip()])
    n_indep = ids.map(lambda r: independent_count(r, groups))
    out = [head + f": {_verdicts(multi['verdict'].value_counts())}."]
    confirmed = multi[(n_indep > 1) & (multi["verdict"] == "agree")]
    same_story = int(((n_indep == 1) & (multi["verdict"] == "agree")).sum())
    if same_story:
        out.append(f"But {number(same_story)} of these {plural(same_story, 'agreement')} "
                   f"{verb(same_story, 'is', 'are')} between a text and its own copy or "
                   "reprint: one report, not two.")
    if len(confirmed):
        shown = [f"{_figure(found, key)} (given by " + join([f"*{labels[a]}*" for a in r])
                 + (f": {count(n, 'independent text')})" if n < len(r) else ")")
                 for key, r, n in zip(confirmed["key"], ids[confirmed.index],
                                      n_indep[confirmed.index])]
        out.append(f"Counted by independent texts, {count(len(confirmed), 'figure')} "
                   f"{verb(len(confirmed), 'is', 'are')} confirmed by reports that do not copy "
                   f"each other: {join(shown)}.")
    else:
        out.append("Counted by independent texts, no figure is confirmed by reports that do "
                   "not copy each other.")
    out.append(for_book_only(corpus, BOOK_DENIAL_NOTE))
    return " ".join(x for x in out if x)


BOOK_DENIAL_NOTE = ("The denial the method sets against the displacement figures (Russia's "
                    "defence ministry, in Unattributed (003)) is about Syrians fleeing "
                    "\"in the direction of Turkey\", not about the 900,000 displaced since "
                    "December that the other reports give: no report disputes that figure.")


def _voices(corpus: Corpus, run: StoredRun) -> str:
    """The chapter's own counts (voice units: sentences giving voice to a speaker, counted
    once per speaker) from the run's voices tables, so the page and the chapter agree; also
    counted as distinct utterances (a reprinted sentence counts once)."""
    from analysis.present import voices

    k = voices.key_numbers(corpus, voices.from_run(run))
    if not k["n_units"]:
        return "No speaker could be attributed in these reports."
    return (f"The reports carry {count(k['n_quotes'], 'quotation')} and "
            f"{count(k['n_reported'], 'sentence-speaker pair')} of reported speech, giving "
            f"voice {count(k['n_units'], 'time')} to {count(k['n_speakers_heard'], 'speaker')}"
            f" ({count(k['n_units_distinct'], 'distinct utterance')} once a sentence repeated "
            f"from an earlier report or from the report's own opening counts once); the most "
            f"heard is {plain_markdown(str(k['top_speaker']))}: "
            f"{count(k['top_speaker_units'], 'voice unit')} in "
            f"{count(k['top_speaker_reports'], 'report')}, "
            f"{count(k['top_speaker_distinct'], 'distinct utterance')}.")


def _framing(run: StoredRun) -> str:
    """The framing chapter's own finding (the relabelling of copied text where there is one)."""
    from analysis.present import framing as framing_chapter

    return framing_chapter.finding(run)


def _spin(corpus: Corpus, run: StoredRun) -> str:
    """The report with most thesaurus flags, whether it is over its flag line, and what the
    strong-evidence decision (which reads no thesaurus) says of all reports."""
    from analysis.present import spin as spin_chapter

    scores = spin_chapter.from_run(run).scores
    labels = _labels(corpus)
    top = scores.loc[scores["per_100_words"].idxmax()]
    over = scores[scores["per_100_words"] > scores["threshold"]]
    line = ("the only report over its flag line" if list(over["article_id"]) == [top["article_id"]]
            else f"one of {count(len(over), 'report')} over the flag line"
            if top["article_id"] in set(over["article_id"]) else "below its flag line")
    spun = scores[scores["spun"]]
    decision = ("the strong-evidence test, which reads no thesaurus, calls no report spun"
                if spun.empty else "the strong-evidence test calls "
                + join([f"*{labels[a]}*" for a in spun["article_id"]]) + " spun")
    return (f"*{labels[top['article_id']]}* has the most thesaurus flags "
            f"({count(top['n_flags'], 'flagged word or phrase', 'flagged words or phrases')}, "
            f"{top['per_100_words']:.1f} per 100 words, {line}); {decision}.")


def findings(run: StoredRun) -> Findings:
    """Every finding sentence, by glue name, from the stored run."""
    corpus = run.corpus()
    return Findings({
        "finding-reuse": _reuse(corpus, run),
        "finding-numbers": _numbers(corpus, run),
        "finding-voices": _voices(corpus, run),
        "finding-framing": _framing(run),
        "finding-spin": _spin(corpus, run),
    })


def reuse_figure(run: StoredRun):
    """The findings page's small figure: each later report's words, copied word for word,
    edited inside copied sentences, or original (the composition of the reuse chapter)."""
    from analysis.present import reuse
    from analysis.present.publish import absent, publish

    comp = run.table("composition")
    if comp.empty:
        absent("fig-findings-reuse")
        return None
    chart = reuse.composition_chart(comp).properties(width=320)
    return publish(chart, "fig-findings-reuse",
                   caption="Words of each later report: aligned word for word to an earlier "
                   "report (verbatim), changed inside a copied sentence (edited), or in "
                   "sentences with no source (original).",
                   source="analysis.reuse.sentence_labels and composition", data=comp)
