"""Findings at a glance: one sentence per chapter, computed over roles found in the data.

Each sentence names the articles that fill a role (the report that takes most from an earlier
one, the report with the highest spin score), so the page reads true on any corpus. The chapter
behind each finding gives the evidence and its limits.
"""

from __future__ import annotations

from dataclasses import dataclass


from analysis.corpus import Corpus
from analysis.present.publish import plain_markdown
from analysis.store import StoredRun


@dataclass(frozen=True)
class Findings:
    """The page's sentences (Markdown), by glue name."""

    text: dict[str, str]


def _pct(x: float) -> str:
    return f"{100 * x:.0f}%"


def _reuse(corpus: Corpus, run: StoredRun) -> str:
    labels = corpus.articles.set_index("id")["label"].map(plain_markdown)
    comp = run.table("composition")
    if comp.empty or comp["derived_share"].max() <= 0:
        return "No report shares a copied passage with an earlier one."
    top = comp.loc[comp["derived_share"].idxmax()]
    passages = run.table("passages")
    primary = passages[passages["primary"]]
    into = primary[primary["target_id"] == top["article_id"]]
    by_source = into.groupby("source_id")["aligned_words"].sum()
    source = labels[by_source.idxmax()]
    n_copying = len(primary[["source_id", "target_id"]].drop_duplicates())
    return (f"*{labels[top['article_id']]}* takes the largest share of its words from an earlier "
            f"report: {_pct(top['derived_share'])} of them are aligned word for word, mostly to "
            f"*{source}*. In all, {n_copying} pair(s) of reports share copied passages.")


def _numbers(run: StoredRun) -> str:
    found, comparison = run.table("claims"), run.table("claim_comparison")
    multi = comparison[comparison["n_reports"] > 1]
    counts = multi["verdict"].value_counts()
    parts = [f"{n} {verdict}" for verdict, n in counts.items()] or ["none compared"]
    return (f"The reports cite {len(found)} quantitative claims; {len(multi)} quantities are "
            f"given by more than one report, of which {', '.join(parts)}.")


def _voices(corpus: Corpus, run: StoredRun) -> str:
    """The chapter's own counts (voice units: sentences giving voice to a speaker, counted
    once per speaker) from the run's voices tables, so the page and the chapter agree."""
    from analysis.present import voices

    k = voices.key_numbers(corpus, voices.from_run(run))
    if not k["n_units"]:
        return "No speaker could be attributed in these reports."
    return (f"The reports carry {k['n_quotes']} quotations and {k['n_reported']} "
            f"sentence-speaker pairs of reported speech, giving voice {k['n_units']} times to "
            f"{k['n_speakers_heard']} speakers; the most heard is {plain_markdown(str(k['top_speaker']))} "
            f"({k['top_speaker_units']} voice units in {k['top_speaker_reports']} reports).")


def _framing(run: StoredRun) -> str:
    label_keyness = run.table("label_keyness")
    sig = label_keyness[label_keyness["significant"]] if len(label_keyness) else label_keyness
    n_uses = len(run.table("label_uses"))
    if sig.empty:
        return (f"The contested labels are used {n_uses} times, but no report uses any label "
                "significantly more than the others (every |z| < 1.96): counts this small "
                "cannot tell the reports' label choices apart.")
    return (f"The contested labels are used {n_uses} times; {len(sig)} report-label "
            "difference(s) reach |z| ≥ 1.96.")


def _spin(corpus: Corpus, run: StoredRun) -> str:
    from analysis.present import spin as spin_chapter

    scores = spin_chapter.from_run(run).scores
    labels = corpus.articles.set_index("id")["label"].map(plain_markdown)
    top = scores.loc[scores["per_100_words"].idxmax()]
    spun = scores[scores["spun"]]
    verdict = ("the only report over its decision threshold" if list(spun["article_id"]) ==
               [top["article_id"]] else f"one of {len(spun)} report(s) over the threshold"
               if top["spun"] else "yet below the decision threshold")
    return (f"*{labels[top['article_id']]}* has the most signs of machine spinning: "
            f"{top['n_flags']} flagged words or phrases, {top['per_100_words']:.1f} per 100 "
            f"words, {verdict}.")


def findings(run: StoredRun) -> Findings:
    """Every finding sentence, by glue name, from the stored run."""
    corpus = run.corpus()
    return Findings({
        "finding-reuse": _reuse(corpus, run),
        "finding-numbers": _numbers(run),
        "finding-voices": _voices(corpus, run),
        "finding-framing": _framing(run),
        "finding-spin": _spin(corpus, run),
    })
