"""``python -m analysis run FOLDER --out DIR``: every method over a folder, tidy tables out."""

from __future__ import annotations

import argparse
import sys

from analysis.text import AnalysisError


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m analysis",
                                     description="Run the Wire and Spin analysis on a folder.")
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="run every method and write tidy CSV tables")
    run.add_argument("folder", help="corpus folder with manifest.csv (see README)")
    run.add_argument("--out", required=True, help="folder for the tables (created if absent)")
    run.add_argument("--scheduler", default=None,
                     help="Dask scheduler address (tcp://host:port) for the reuse index")
    run.add_argument("--quiet", action="store_true", help="no progress bars")
    args = parser.parse_args(argv)
    from analysis import pipeline

    try:
        tables = pipeline.run(args.folder, args.out, scheduler=args.scheduler,
                              progress=not args.quiet and sys.stderr.isatty())
    except AnalysisError as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    n_err = len(tables["errors"])
    print(f"wrote {len(tables)} tables to {args.out}"
          + (f"; {n_err} problem(s) listed in errors.csv" if n_err else "; no errors"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
