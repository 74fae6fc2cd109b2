"""Benchmarks of the book and its methods: scripts that print figures and assert nothing.

They are tools for the project, not part of the ``analysis`` library: run them from the
repository root as ``python -m benchmarks`` (``make bench``: the book build, a cached rebuild,
``make test`` and the analysis steps) or one at a time as ``python -m benchmarks.<name>``:

- ``reuse``: the reuse method on the five texts and on two synthetic 1,000-word texts;
- ``clean``: cleaning and loading in seconds per MB;
- ``spin``: scoring the five texts and 1,000 synthetic articles, and the threshold grid;
- ``claims``: ``text2num`` and ``dateparser`` against the hand-written number and date code;
- ``scale``: reuse at 1,000 to 100,000 synthetic articles (``make bench-scale``).
"""

from __future__ import annotations

import statistics
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BOOK = ROOT / "data"  # the book's own corpus folder


def timed(command: list[str]) -> float:
    """Wall seconds of ``command`` run from the repository root (its output discarded)."""
    start = time.perf_counter()
    subprocess.run(command, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def median_ms(fn: Callable[[], object], repeats: int = 20) -> float:
    """Median wall time of ``fn()`` in milliseconds over ``repeats`` runs (after one warm-up)."""
    fn()
    runs = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        runs.append((time.perf_counter() - start) * 1000)
    return statistics.median(runs)
