"""Counts that know reprints: which texts copy each other, and which spans are copied.

A figure that a wire story and its reprint both carry is one report, not two; a quotation that a
copy repeats is one utterance. This module turns the reuse result into the two things such counts
need, for any corpus:

* :func:`copy_groups` puts articles that copy each other (directly or through a chain) into one
  group: texts in different groups do not copy each other, so agreement between groups is
  independent confirmation;
* :func:`copied_from` tells, for spans in an article (quotations, claims, reported speech), whether
  the span lies inside text the article copied, and from whom: such a span repeats the source's.

Pure: frames in, frames out, no corpus-specific names. Cost is linear in the number of pairs and
spans (union-find; one sort and a ``merge_asof`` per call).
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd


def copy_groups(article_ids: Iterable[str], pairs: pd.DataFrame) -> pd.Series:
    """``article_id`` → group id; articles joined by a copying pair share a group.

    ``pairs`` has ``source_id`` and ``target_id`` (e.g. the run's ``directions`` table, one row
    per pair judged copying). The group id is the group's smallest ``article_id``, so it is
    stable under row order. Articles in no pair form groups of their own.
    """
    ids = list(dict.fromkeys(str(a) for a in article_ids))
    parent = {a: a for a in ids}

    def root(a: str) -> str:
        while parent[a] != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a

    for s, t in zip(pairs.get("source_id", []), pairs.get("target_id", [])):
        s, t = str(s), str(t)
        for x in (s, t):
            parent.setdefault(x, x)
        rs, rt = root(s), root(t)
        if rs != rt:
            parent[max(rs, rt)] = min(rs, rt)
    return pd.Series({a: root(a) for a in ids}, name="group", dtype="object").rename_axis(
        "article_id")


def independent_count(article_ids: Iterable[str], groups: pd.Series) -> int:
    """How many mutually independent texts are among ``article_ids`` (distinct copy groups)."""
    return len({groups.get(str(a), str(a)) for a in article_ids})


def copied_spans(passages: pd.DataFrame) -> pd.DataFrame:
    """Target-side spans of copied passages: ``article_id, start, end, source_id``.

    ``passages`` is the run's ``passages`` table (character offsets ``target_start`` /
    ``target_end`` in the copying article's cleaned text). Only ``primary`` passages are used when
    the column is there, so a passage counted for a pair is counted once.
    """
    rows = passages
    if "primary" in rows.columns:
        rows = rows[rows["primary"].astype(bool)]
    out = pd.DataFrame({"article_id": rows["target_id"].astype(str),
                        "start": rows["target_start"].astype("int64"),
                        "end": rows["target_end"].astype("int64"),
                        "source_id": rows["source_id"].astype(str)})
    return out.sort_values(["article_id", "start", "end"], kind="stable").reset_index(drop=True)


def copied_from(spans: pd.DataFrame, copied: pd.DataFrame) -> pd.Series:
    """For each row of ``spans`` (``article_id, start, end``): the source it was copied from, or "".

    A span counts as copied when it lies inside the union of the article's copied spans that
    start at or before it (two abutting passages cover a quotation that crosses their seam).
    The source named is the one whose passage reaches furthest. Index follows ``spans``.
    """
    if spans.empty:
        return pd.Series([], index=spans.index, dtype="object", name="copied_from")
    left = pd.DataFrame({"article_id": spans["article_id"].astype(str).to_numpy(),
                         "start": spans["start"].astype("int64").to_numpy(),
                         "end": spans["end"].astype("int64").to_numpy(),
                         "_row": np.arange(len(spans))})
    if copied.empty:
        return pd.Series("", index=spans.index, dtype="object", name="copied_from")
    right = copied.sort_values(["article_id", "start"], kind="stable").copy()
    # Running furthest end (and its source) among passages starting at or before each start.
    right["reach"] = right.groupby("article_id")["end"].cummax()
    best = right["end"].eq(right["reach"])
    right["reach_source"] = right["source_id"].where(best)
    right["reach_source"] = right.groupby("article_id")["reach_source"].ffill()
    # A row continues the union only if it starts inside the previous reach; otherwise the
    # union restarts there. Coverage of [start, end) needs one contiguous run of the union.
    prev = right.groupby("article_id")["reach"].shift()
    right["run_start"] = right["start"].where(prev.isna() | (right["start"] > prev))
    right["run_start"] = right.groupby("article_id")["run_start"].ffill()
    merged = pd.merge_asof(left.sort_values("start"),
                           right[["article_id", "start", "reach", "reach_source", "run_start"]]
                           .rename(columns={"start": "p_start"}).sort_values("p_start"),
                           left_on="start", right_on="p_start", by="article_id",
                           direction="backward")
    inside = (merged["run_start"] <= merged["start"]) & (merged["end"] <= merged["reach"])
    source = merged["reach_source"].where(inside, "").fillna("")
    out = pd.Series("", index=range(len(spans)), dtype="object")
    out[merged["_row"].to_numpy()] = source.to_numpy()
    out.index = spans.index
    return out.rename("copied_from")
