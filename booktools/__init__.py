"""Tools that build the Wire and Spin book; not part of the ``analysis`` library.

- :mod:`booktools.sphinx_ext`: the book's Sphinx extension (tables numbered as tables, "Cite
  this" lines, the data download, de-duplicated scripts), loaded through ``_config.yml``;
- :mod:`booktools.bundle`: the offline Vega bundle in ``_static/`` (``make bundle``);
- :mod:`booktools.execute`: re-run chapters in place so their stored outputs are current
  (``make execute``);
- :mod:`booktools.cachekey`: fingerprints of what the chapters read, so a build never shows
  results of another corpus or an older package (``make book``, ``book-for``);
- :mod:`booktools.book_for`: the whole book for another corpus folder, built into another folder
  (``make book-for``).

``analysis`` never imports from here; these tools import ``analysis``.
"""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS_ENV = "WIRESPIN_CORPUS"


def book_corpus() -> Path:
    """The corpus the book is built for: ``$WIRESPIN_CORPUS`` (set by ``book-for``), else the
    book's own ``data/``. Only the book tools, which are entry points, read the environment."""
    return Path(os.environ.get(CORPUS_ENV) or ROOT / "data").expanduser().resolve()
