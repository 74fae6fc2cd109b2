"""Scoring methods against hand annotations: one :class:`Scores` type and the gold-loader shape.

Methods never read annotations; this package does, and only where a corpus has them. Each task
has a module here (``evaluation.reuse``, ``evaluation.claims``, ...) with a gold loader of one
shape: ``load_gold(corpus) -> pd.DataFrame | None``. It reads
``<corpus root>/annotations/<task>/<file>.csv`` through :func:`analysis.text.read_table`, checks
every row against the corpus (unknown article or sentence ids are a :class:`GoldError` naming
file, row and field), and returns ``None`` when the corpus has no annotation for the task, so a
chapter shows its validation section only where there is something to validate against. Every
gold frame has ``article_id`` and ``sentence_id`` columns plus the task's own fields and
``_row`` (the line in the CSV).
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from analysis.text import AnalysisError


class GoldError(AnalysisError):
    """An annotation file that does not fit its documented form or its corpus."""


def gold_path(root: Path, task: str, file: str) -> Path | None:
    """``root/annotations/<task>/<file>`` if it exists, else ``None`` (no annotation)."""
    path = Path(root) / "annotations" / task / file
    return path if path.is_file() else None


@dataclass(frozen=True)
class Scores:
    """Precision, recall and F1 from counts of true positives, false positives and misses.

    Empty sets have one defined behaviour everywhere: precision over no predictions is 1.0 (no
    prediction was wrong) and recall over no gold items is 1.0 (nothing was missed); F1 is their
    harmonic mean, 0.0 when both are 0. ``n_pred`` and ``n_gold`` say how much each rests on.
    """

    tp: int
    fp: int
    fn: int

    def __post_init__(self):
        if min(self.tp, self.fp, self.fn) < 0:
            raise ValueError(f"counts must be non-negative: {self}")

    @classmethod
    def from_sets(cls, predicted: Iterable[Hashable], gold: Iterable[Hashable]) -> Scores:
        """Scores of a set of predicted items against a set of gold items (exact match)."""
        p, g = set(predicted), set(gold)
        return cls(len(p & g), len(p - g), len(g - p))

    @classmethod
    def from_matches(cls, n_matched: int, n_pred: int, n_gold: int) -> Scores:
        """Scores when a one-to-one matching paired ``n_matched`` predictions with gold items."""
        if n_matched > min(n_pred, n_gold):
            raise ValueError(f"{n_matched} matches among {n_pred} predicted and {n_gold} gold")
        return cls(n_matched, n_pred - n_matched, n_gold - n_matched)

    @property
    def n_pred(self) -> int:
        return self.tp + self.fp

    @property
    def n_gold(self) -> int:
        return self.tp + self.fn

    @property
    def precision(self) -> float:
        return self.tp / self.n_pred if self.n_pred else 1.0

    @property
    def recall(self) -> float:
        return self.tp / self.n_gold if self.n_gold else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def __add__(self, other: Scores) -> Scores:
        """Micro-average: pool the counts of two scorings."""
        return Scores(self.tp + other.tp, self.fp + other.fp, self.fn + other.fn)

    def as_row(self, **keys: object) -> dict[str, object]:
        """One row of a scores table: ``keys`` first, then counts and the three scores."""
        return {**keys, "gold": self.n_gold, "predicted": self.n_pred, "correct": self.tp,
                "precision": self.precision, "recall": self.recall, "f1": self.f1}


def scores_frame(rows: Iterable[dict[str, object]]) -> pd.DataFrame:
    """A tidy table of :meth:`Scores.as_row` rows."""
    return pd.DataFrame(list(rows))
