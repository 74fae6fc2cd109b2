"""Findings at a glance: one sentence per chapter, computed over roles found in the data.

Each sentence names the articles that fill a role (the report that takes most from an earlier
one, the report with the highest spin score), so the page reads true on any corpus. The chapter
behind each finding gives the evidence and its limits.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from analysis import claims, framing, quotes, reuse
from analysis.corpus import Corpus
from analysis.present.publish import plain_markdown


@dataclass(frozen=True)
class Findings:
    """The page's sentences (Markdown), by glue name."""

    text: dict[str, str]


def _pct(x: float) -> str:
    return f"{100 * x:.0f}%"


def _reuse(corpus: Corpus, res: reuse.Results) -> str:
    labels = corpus.articles.set_index("id")["label"].map(plain_markdown)
    comp = res.composition
    if comp.empty or comp["derived_share"].max() <= 0:
        return "No report shares a copied passage with an earlier one."
    top = comp.loc[comp["derived_share"].idxmax()]
    into = [p for p in res.primary if p.target_id == top["article_id"]]
    by_source = pd.Series([p.n_matched for p in into],
                          index=[p.source_id for p in into]).groupby(level=0).sum()
    source = labels[by_source.idxmax()]
    n_copying = len({(p.source_id, p.target_id) for p in res.primary})
    return (f"*{labels[top['article_id']]}* takes the largest share of its words from an earlier "
            f"report: {_pct(top['derived_share'])} of them are aligned word for word, mostly to "
            f"*{source}*. In all, {n_copying} pair(s) of reports share copied passages.")


def _numbers(corpus: Corpus) -> str:
    found = claims.extract_claims(corpus)
    comparison = claims.compare(found, corpus)
    multi = comparison[comparison["n_reports"] > 1]
    counts = multi["verdict"].value_counts()
    parts = [f"{n} {verdict}" for verdict, n in counts.items()] or ["none compared"]
    return (f"The reports cite {len(found)} quantitative claims; {len(multi)} quantities are "
            f"given by more than one report, of which {', '.join(parts)}.")


def _voices(corpus: Corpus) -> str:
    """The chapter's own counts (voice units: sentences giving voice to a speaker, counted
    once per speaker), so the page and the chapter agree."""
    from analysis.present import voices

    k = voices.key_numbers(corpus)
    if not k["n_units"]:
        return "No speaker could be attributed in these reports."
    return (f"The reports carry {k['n_quotes']} quotations and {k['n_reported']} "
            f"sentence-speaker pairs of reported speech, giving voice {k['n_units']} times to {k['n_speakers_heard']} "
            f"speakers; the most heard is {plain_markdown(str(k['top_speaker']))} "
            f"({k['top_speaker_units']} voice units in {k['top_speaker_reports']} reports).")


def _framing(corpus: Corpus, edits: pd.DataFrame) -> str:
    result = framing.analyse(corpus, quotes.find_quotes(corpus), edits)
    sig = result.label_keyness[result.label_keyness["significant"]]
    n_uses = len(result.uses)
    if sig.empty:
        return (f"The contested labels are used {n_uses} times, but no report uses any label "
                "significantly more than the others (every |z| < 1.96): counts this small "
                "cannot tell the reports' label choices apart.")
    return (f"The contested labels are used {n_uses} times; {len(sig)} report-label "
            "difference(s) reach |z| ≥ 1.96.")


def _spin(corpus: Corpus) -> str:
    from analysis.present import spin as spin_chapter

    ch = spin_chapter.run(corpus)
    scores = ch.results.scores
    labels = corpus.articles.set_index("id")["label"].map(plain_markdown)
    top = scores.loc[scores["per_100_words"].idxmax()]
    spun = scores[scores["spun"]]
    verdict = ("the only report over its decision threshold" if list(spun["article_id"]) ==
               [top["article_id"]] else f"one of {len(spun)} report(s) over the threshold"
               if top["spun"] else "yet below the decision threshold")
    return (f"*{labels[top['article_id']]}* has the most signs of machine spinning: "
            f"{top['n_flags']} flagged words or phrases, {top['per_100_words']:.1f} per 100 "
            f"words, {verdict}.")


def findings(corpus: Corpus) -> Findings:
    """Every finding sentence, by glue name."""
    res = reuse.analyse(corpus)
    return Findings({
        "finding-reuse": _reuse(corpus, res),
        "finding-numbers": _numbers(corpus),
        "finding-voices": _voices(corpus),
        "finding-framing": _framing(corpus, reuse.copied_edits(corpus)),
        "finding-spin": _spin(corpus),
    })
