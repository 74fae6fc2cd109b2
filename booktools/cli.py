"""``wirespin``: one command for the analysis and the book.

``wirespin run|init|check ...`` is ``python -m analysis ...``; ``wirespin book-for CORPUS OUT``
is ``python -m booktools.book_for CORPUS OUT`` (the whole book for a corpus folder). It lives
with the book tools because the library never imports them.
"""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["book-for"]:
        from booktools.book_for import main as book_for

        return book_for(argv[1:])
    from analysis.__main__ import main as analysis_main

    if argv[:1] in ([], ["-h"], ["--help"]):
        print("wirespin book-for CORPUS OUT [CHAPTER ...]: build the whole book for a folder")
    return analysis_main(argv)


if __name__ == "__main__":
    raise SystemExit(main())
