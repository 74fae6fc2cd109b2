"""The whole pipeline on real wire copy at archive scale: prints figures, asserts nothing.

``python -m benchmarks.archive [SIZES ...] [--work DIR]`` turns the Reuters-21578 archive
(``../shared/corpora/reuters21578``) into corpus folders of the first N items (default 1,000,
5,000 and all 19,043) and runs ``python -m analysis run`` on each in a fresh process, printing
per size: wall seconds, peak memory, output size, seconds per stage, and the growth exponent of
wall time in N between consecutive sizes. The folders are written outside the repository (the
texts are for research use only) and reused by later runs.
"""

from __future__ import annotations

import argparse
import json
import math
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks import reuters

SIZES = (1000, 5000, None)  # None: every item with a body (19,043)


def _size_label(n: int | None) -> str:
    return "all" if n is None else str(n)


def corpus_folder(work: Path, n: int | None) -> Path:
    folder = work / f"reuters-{_size_label(n)}"
    if not (folder / "manifest.csv").is_file():
        if folder.exists():
            shutil.rmtree(folder)
        reuters.make_corpus(folder, n)
    return folder


def folder_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def measure(corpus: Path, out: Path) -> dict:
    """One cold run of the pipeline in its own process: wall time, peak memory, stages."""
    if out.exists():
        shutil.rmtree(out)
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "analysis", "run", str(corpus), "--out",
                           str(out), "--quiet"], capture_output=True, text=True)
    wall = time.perf_counter() - start
    peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    if done.returncode:
        return {"error": done.stderr.strip().splitlines()[-1:] or ["failed"]}
    manifest = json.loads((out / "run.json").read_text(encoding="utf-8"))
    return {"wall": wall, "peak_mb": peak_kb / 1024, "out_mb": folder_bytes(out) / 1e6,
            "stages": {k: v["seconds"] for k, v in manifest["stages"].items()},
            "articles": manifest["stages"]["load"]["tables"]["articles"]}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", help="numbers of articles ('all' for every one)")
    parser.add_argument("--work", default=None,
                        help="folder for the corpora and runs (default: a temporary folder "
                             "under /tmp, kept between runs)")
    args = parser.parse_args(argv)
    sizes = [None if s == "all" else int(s) for s in args.sizes] or list(SIZES)
    work = Path(args.work or Path(tempfile.gettempdir()) / "wirespin-archive-bench")
    work.mkdir(parents=True, exist_ok=True)
    print(f"archive benchmark: Reuters-21578, sizes {[_size_label(n) for n in sizes]}, "
          f"work folder {work}", flush=True)
    rows = []
    for n in sizes:
        corpus = corpus_folder(work, n)
        # RUSAGE_CHILDREN keeps the largest child so far: measure each size in its own process.
        cmd = [sys.executable, "-c", "import sys, json; from benchmarks.archive import measure; "
               "from pathlib import Path; print(json.dumps(measure(Path(sys.argv[1]), "
               "Path(sys.argv[2]))))", str(corpus), str(work / f"run-{_size_label(n)}")]
        done = subprocess.run(cmd, capture_output=True, text=True,
                              cwd=Path(__file__).resolve().parent.parent)
        if done.returncode:
            print(f"{_size_label(n)}: benchmark failed: {done.stderr.strip()[-500:]}")
            continue
        row = json.loads(done.stdout.strip().splitlines()[-1])
        if "error" in row:
            print(f"{_size_label(n)}: run failed: {row['error']}")
            continue
        rows.append(row)
        stages = ", ".join(f"{k} {v:.1f}" for k, v in row["stages"].items())
        print(f"{row['articles']:>6,} articles: {row['wall']:8.1f} s wall, peak "
              f"{row['peak_mb']:7.0f} MB, output {row['out_mb']:7.1f} MB; stages (s): {stages}",
              flush=True)
    for a, b in zip(rows, rows[1:]):
        k = math.log(b["wall"] / a["wall"]) / math.log(b["articles"] / a["articles"])
        print(f"growth {a['articles']:,} -> {b['articles']:,} articles: time ~ N^{k:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
