"""The command line: ``python -m analysis run|init|check`` (``wirespin`` adds ``book-for``).

``run FOLDER --out DIR`` runs every stage into a run folder (see :mod:`analysis.pipeline`);
``init`` and ``check`` are the corpus tools of :mod:`analysis.corpus`. Settings come from
``--config FILE`` (TOML) and ``--set section.setting=value``; nothing is read from the
environment. No traceback reaches the user: every failure is one named line and exit code 1.
"""

from __future__ import annotations

import argparse
import sys

from analysis.text import AnalysisError, terminal_safe


def _run(args: argparse.Namespace) -> int:
    from analysis import pipeline
    from analysis.config import load_config, parse_setting

    overrides: dict[str, dict] = {}
    for text in args.set or []:
        section, key, value = parse_setting(text)
        overrides.setdefault(section, {})[key] = value
    config = load_config(args.config, overrides)
    say = (lambda msg: None) if args.quiet else (
        lambda msg: print(terminal_safe(msg), file=sys.stderr, flush=True))
    stages = args.stages.split(",") if args.stages else None
    done = pipeline.run(args.folder, args.out, config, stages=stages, scheduler=args.scheduler,
                        progress=not args.quiet and sys.stderr.isatty(), csv=args.csv, log=say)
    print(pipeline.summary(done))
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="wirespin",
                                     description="Run the Wire and Spin analysis on a folder.")
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="run every stage and write a run folder")
    run.add_argument("folder", help="corpus folder with manifest.csv (see README)")
    run.add_argument("--out", required=True,
                     help="run folder: new, empty, or an earlier run (replaced whole)")
    run.add_argument("--csv", action="store_true",
                     help="also write every table as spreadsheet-safe CSV in OUT/csv/")
    run.add_argument("--config", default=None, help="TOML file of settings (see README)")
    run.add_argument("--set", action="append", metavar="SECTION.SETTING=VALUE",
                     help="one setting, e.g. --set reuse.max_gap=20 (repeatable)")
    run.add_argument("--stages", default=None, metavar="NAME,NAME",
                     help="run only these stages and those they read (default: all)")
    run.add_argument("--scheduler", default=None,
                     help="Dask scheduler address (tcp://host:port) for the reuse index")
    run.add_argument("--quiet", action="store_true", help="no progress output")
    for name in ("init", "check"):
        tool = sub.add_parser(name, help=f"corpus tool: {name} (see analysis.corpus)")
        tool.add_argument("rest", nargs=argparse.REMAINDER)
    args = parser.parse_args(argv)
    if args.command in ("init", "check"):
        from analysis import corpus

        return corpus._main([args.command, *args.rest])

    try:
        return _run(args)
    except AnalysisError as err:
        print(f"error: {terminal_safe(str(err))}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("error: interrupted; the output folder was left as it was", file=sys.stderr)
        return 130
    except Exception as err:  # noqa: BLE001 -- no traceback reaches the user
        print(f"error: {type(err).__name__}: {terminal_safe(str(err))} (please report this)",
              file=sys.stderr)
        return 1


if __name__ == "__main__":
    raise SystemExit(main())
