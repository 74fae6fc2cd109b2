"""The methods' scores on held-out real news, for the chapters' method sections and the README.

The figures come from ``analysis/resources/realnews/scores.csv``, which the
``benchmarks/*_realnews.py`` scripts write after scoring a method on the hand-annotated
Reuters-21578 set (``data/realnews/``): tuned on its dev split, reported on its test split. They
are shown beside the five-text figures, which are in-sample.
"""

from __future__ import annotations

import pandas as pd

from analysis.evaluation.realnews import published_scores
from analysis.present.words import count

TASK_NAMES = {"reuse": "copying pairs", "claims": "quantitative claims",
              "speakers": "speakers of quotations", "spin": "spin detection"}


def _figure(row: pd.Series) -> str:
    value = row["value"]
    shown = f"{value:.2f}" if value <= 1 else f"{value:,.2f}".rstrip("0").rstrip(".")
    num, den = str(row.get("numerator", "")), str(row.get("denominator", ""))
    if num and den:
        shown += f" ({num} of {den})"
    elif den:
        shown += f" (of {den})"
    target = str(row.get("target", ""))
    if target:
        shown += f", target {target}"
    return f"{row['metric']} {shown}"


def scores(task: str, split: str = "test") -> pd.DataFrame:
    """The recorded rows of one task and split (empty when nothing was recorded)."""
    s = published_scores()
    return s[s["task"].eq(task) & s["split"].eq(split)].reset_index(drop=True)


def sentence(task: str) -> str:
    """One Markdown sentence: the task's test-split figures on real news, labelled, with the
    dev-split figures beside them; says so plainly when none were recorded."""
    test, dev = scores(task, "test"), scores(task, "dev")
    name = TASK_NAMES.get(task, task)
    if test.empty:
        return (f"No score on held-out real news is recorded for {name}: the figures in this "
                "chapter are in-sample (the five texts the method was written for).")
    when = sorted(set(test["measured"]))[-1]
    figures = "; ".join(_figure(r) for _, r in test.iterrows())
    out = (f"On held-out real news (the test split of the team's hand annotation of "
           f"Reuters-21578 items, measured {when}), {name}: {figures}.")
    if not dev.empty:
        out += (" On the dev split the method was tuned on: "
                + "; ".join(_figure(r) for _, r in dev.iterrows()) + ".")
    return out


def table() -> pd.DataFrame:
    """Every recorded figure, for a reader's table: task, metric, split, value, count, target."""
    s = published_scores()
    return pd.DataFrame({
        "Method": s["task"].map(lambda t: TASK_NAMES.get(t, t)),
        "Measure": s["metric"], "Split": s["split"], "Value": s["value"].round(3),
        "Count": [f"{n} of {d}" if n and d else (d or "") for n, d in
                  zip(s["numerator"], s["denominator"])],
        "Target": s["target"], "Measured": s["measured"]})


def n_tasks() -> str:
    """How many methods have recorded real-news scores, as prose."""
    return count(published_scores()["task"].nunique(), "method")


def glue(task: str) -> None:
    """Glue ``realnews-<task>-md``: :func:`sentence` as Markdown that shows as plain text."""
    from analysis.present.publish import glue_values, plain_markdown

    glue_values({f"realnews-{task}-md": plain_markdown(sentence(task))})
