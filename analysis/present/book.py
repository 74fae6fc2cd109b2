"""The stored run a chapter reads: chapters show and explain, the pipeline computes.

A chapter calls :func:`open_run` with the corpus folder and the run folder its entry point
names (``make book`` runs the pipeline into ``_build/run`` first, so this only checks that every
stage is current; opened on its own, a chapter runs the stages that are missing).
"""

from __future__ import annotations

from pathlib import Path

from analysis import pipeline
from analysis.config import Config
from analysis.store import StoredRun


def open_run(corpus: Path | str, run: Path | str, config: Config | None = None) -> StoredRun:
    """The run of ``corpus`` in the folder ``run``, brought up to date (current stages reused)."""
    return pipeline.run(corpus, run, config)
