"""Benchmark: prints how long the book takes to build and test, and how fast the analysis runs.

Run with ``make bench`` (``python -m benchmarks``). It starts from ``make clean`` (so the first
build is cold: no executed notebooks cached), then times a cached rebuild and ``make test``. It
prints figures only; nothing asserts on time, because timings depend on the machine. Targets on
a 2-core machine: cold book under 60 s, cached rebuild under 10 s.
"""

from __future__ import annotations

import importlib
import subprocess

from benchmarks import ROOT, median_ms, timed

STEPS = ("benchmarks.reuse", "benchmarks.clean", "benchmarks.spin")


def main() -> None:
    from analysis.corpus import load_corpus

    print(f"load_corpus (5 texts, clean + split): median {median_ms(load_corpus):.1f} ms over 20")
    for module in STEPS:
        importlib.import_module(module).main()
    subprocess.run(["make", "clean"], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    print(f"make book, cold (empty cache): {timed(['make', 'book']):.1f} s (target < 60 s)")
    print(f"make book, cached rebuild:     {timed(['make', 'book']):.1f} s (target < 10 s)")
    print(f"make test:                      {timed(['make', 'test']):.1f} s")


if __name__ == "__main__":
    main()
