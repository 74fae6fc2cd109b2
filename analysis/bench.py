"""Benchmark: prints how long the book takes to build and test, and how fast the analysis runs.

Run with ``make bench``. It starts from ``make clean`` (so the first build is cold: no executed
notebooks cached), then times a cached rebuild and ``make test``. It prints figures only; nothing
asserts on time, because timings depend on the machine. Targets on a 2-core machine: cold book
under 60 s, cached rebuild under 10 s.
"""

from __future__ import annotations

import importlib
import statistics
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def timed(command: list[str]) -> float:
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


def main() -> None:
    from analysis.corpus import load_corpus

    print(f"load_corpus (5 texts, clean + split): median {median_ms(load_corpus):.1f} ms over 20")
    for module in ("analysis.bench_reuse", "analysis.bench_clean", "analysis.bench_spin"):
        try:
            importlib.import_module(module).main()
        except ModuleNotFoundError:
            print(f"{module}: not present")
    subprocess.run(["make", "clean"], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    print(f"make book, cold (empty cache): {timed(['make', 'book']):.1f} s (target < 60 s)")
    print(f"make book, cached rebuild:     {timed(['make', 'book']):.1f} s (target < 10 s)")
    print(f"make test:                      {timed(['make', 'test']):.1f} s")


if __name__ == "__main__":
    main()
