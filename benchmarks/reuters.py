"""A corpus folder from the Reuters-21578 archive, for measuring the methods on real wire copy.

``python -m benchmarks.reuters OUT [--n N]`` writes ``OUT/raw/<id>.txt`` (one file per item
that has a ``<BODY>``, the first ``N`` in archive order: files ``reut2-000.xml`` ... in name
order, items in file order, which is ``NEWID`` order) and ``OUT/manifest.csv`` (``id, file,
sha256, outlet, date, headline, date_basis, dateline``) that :func:`analysis.corpus.load_corpus`
reads as it is.

Each file holds the item's title on its first line, then the body exactly as the archive keeps
it: hard-wrapped at about 70 columns, indented paragraph starts, the `` Reuter`` signature (only
the end-of-item control character ``\\x03`` is dropped, where present). The title is also the
manifest ``headline``, so the loader's ``headline`` cleaning step removes that first line with an
audit row, as it does for any folder. The ``DATE`` (``26-FEB-1987 15:01:01.79``) gives ``date``
and is quoted in ``date_basis``; the ``DATELINE`` (``SALVADOR, Feb 26 -``) goes to the manifest's
``dateline`` without its dash.

The archive is SGML turned into XML; the standard-library parser reads it. One file
(``reut2-017.xml``) holds a byte that is not UTF-8 (a transmission error inside a body); bytes
are decoded with replacement (U+FFFD) so the file parses, and the count is printed.

The text is for research use only ("Reuters-21578, Distribution 1.0"): write the folder outside
the repository (it refuses a folder inside it) and never commit it.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import hashlib
import io
import re
import sys
import tarfile
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

ARCHIVE = Path("/work/shared/corpora/reuters21578/reuters21578-xml.tar.gz")
REPO = Path(__file__).resolve().parent.parent
OUTLET = "Reuters"
COLUMNS = ("id", "file", "sha256", "outlet", "date", "headline", "date_basis", "dateline")
_MEMBER = re.compile(r"(?:^|/)reut2-\d{3}\.xml$")


@dataclass(frozen=True)
class Item:
    """One archive item with a body."""

    newid: int
    date: str  # as written: 26-FEB-1987 15:01:01.79
    title: str
    dateline: str
    body: str

    @property
    def id(self) -> str:
        return f"reuters-{self.newid:05d}"

    @property
    def day(self) -> str:
        """``YYYY-MM-DD`` from the ``DATE`` field."""
        return dt.datetime.strptime(self.date.split()[0], "%d-%b-%Y").date().isoformat()

    def text(self) -> str:
        """The file's text: the title line (when there is one), then the body as archived."""
        body = self.body.rstrip("\x03")
        return f"{self.title}\n{body}" if self.title else body


def _field(elem: ET.Element, path: str) -> str:
    found = elem.find(path)
    return "" if found is None or found.text is None else found.text


def _parse(data: bytes, name: str, replaced: list[int]) -> Iterator[Item]:
    text = data.decode("utf-8", errors="replace")
    replaced.append(text.count("\ufffd") - data.decode("utf-8", errors="ignore").count("\ufffd"))
    try:
        root = ET.fromstring(text)
    except ET.ParseError as err:
        raise ValueError(f"{name}: not well-formed XML ({err})") from None
    for elem in root.iter("REUTERS"):
        if elem.find("TEXT/BODY") is None:
            continue  # a title-only (BRIEF) or unstructured (UNPROC) item
        yield Item(newid=int(elem.get("NEWID")), date=_field(elem, "DATE").strip(),
                   title=" ".join(_field(elem, "TEXT/TITLE").split()),
                   dateline=" ".join(_field(elem, "TEXT/DATELINE").split()).removesuffix(
                       "-").strip(),
                   body=_field(elem, "TEXT/BODY"))


def items(archive: Path = ARCHIVE, n: int | None = None,
          replaced: list[int] | None = None) -> Iterator[Item]:
    """The first ``n`` items with a body (all when ``None``), in archive order."""
    replaced = [] if replaced is None else replaced
    count = 0
    with tarfile.open(archive, "r:gz") as tar:
        members = sorted((m for m in tar.getmembers() if m.isfile() and _MEMBER.search(m.name)),
                         key=lambda m: m.name)
        for member in members:
            data = tar.extractfile(member).read()
            for item in _parse(data, member.name, replaced):
                if n is not None and count >= n:
                    return
                yield item
                count += 1


def check_out(out: Path) -> Path:
    """``out`` resolved, or an error when it is inside the repository (the texts must not be
    committed) or already has a manifest."""
    out = Path(out).expanduser().resolve()
    if out.is_relative_to(REPO):
        raise ValueError(f"{out} is inside the repository {REPO}; the Reuters texts are for "
                         "research use only and must not be committed: write them elsewhere")
    if (out / "manifest.csv").exists():
        raise FileExistsError(f"{out / 'manifest.csv'} exists; give an empty folder")
    return out


def write_corpus(out: Path, chosen: Iterable[Item]) -> int:
    """Write ``out/raw/<id>.txt`` for each item and ``out/manifest.csv``; returns the count.

    ``out`` should have passed :func:`check_out`.
    """
    raw = Path(out) / "raw"
    raw.mkdir(parents=True, exist_ok=True)
    rows = []
    for item in chosen:
        data = item.text().encode("utf-8")
        name = f"{item.id}.txt"
        (raw / name).write_bytes(data)
        rows.append({"id": item.id, "file": name, "sha256": hashlib.sha256(data).hexdigest(),
                     "outlet": OUTLET, "date": item.day, "headline": item.title,
                     "date_basis": f"stated: {item.date}", "dateline": item.dateline})
    buf = io.StringIO(newline="")
    writer = csv.DictWriter(buf, fieldnames=list(COLUMNS), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    (Path(out) / "manifest.csv").write_text(buf.getvalue(), encoding="utf-8", newline="")
    return len(rows)


def make_corpus(out: Path, n: int | None, archive: Path = ARCHIVE) -> Path:
    """Write the corpus folder ``out`` (``raw/`` and ``manifest.csv``) of the first ``n``
    items with a body (every one when ``None``); returns ``out``.

    Refuses a folder inside the repository (the texts must not be committed) and a folder that
    already has a manifest.
    """
    out = check_out(out)
    if n is not None and n < 1:
        raise ValueError(f"n must be at least 1, not {n}")
    replaced: list[int] = []
    write_corpus(out, items(archive, n, replaced))
    if sum(replaced):
        print(f"reuters: {sum(replaced)} byte(s) not UTF-8 in the archive read as U+FFFD",
              file=sys.stderr)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.reuters",
                                     description="A corpus folder from Reuters-21578 (research "
                                                 "use only; never commit it).")
    parser.add_argument("out", type=Path, help="folder to write (outside the repository)")
    parser.add_argument("--n", type=int, default=None,
                        help="first N items with a body, in archive order (default: all 19,043)")
    parser.add_argument("--archive", type=Path, default=ARCHIVE, help="the XML tar.gz")
    args = parser.parse_args(argv)
    try:
        out = make_corpus(args.out, args.n, args.archive)
    except (ValueError, FileExistsError, OSError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    n = sum(1 for _ in (out / "raw").glob("*.txt"))
    print(f"wrote {n:,} articles to {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
