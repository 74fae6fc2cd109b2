"""Publishing charts: one theme, stable figure ids, and PNG, SVG and CSV beside every chart.

:func:`publish` is the only way a chapter shows a chart. It applies the book's theme, writes
``<id>.png``, ``<id>.svg`` and ``<id>.csv`` (the plotted data) into ``_static/figures/`` of the
book being built (copied into the built site; :func:`figures_dir`), and glues the interactive chart under the figure id and its caption under
``<id>-caption``, for a ``{glue:figure}`` with ``:name: <id>`` that prose can ``{numref}``.

Charts render with no network: the book's build bundles the Vega libraries into
``_static/vega-bundle.js`` (``booktools.bundle``, outside this package), and the book's own
renderer, :mod:`analysis.present.theme`, needs only that bundle.

Captions and source lines are plain text: :func:`plain_markdown` escapes them, so a value taken
from a manifest (a label, a headline) shows as written and never becomes markup or script.

Building the book for another corpus folder (``make book-for``) is a book tool, not part of this
package: see ``booktools.book_for``. Its chapters run in its copy's ``book/`` folder, so
:func:`setup` sends their published files into that copy.
"""

from __future__ import annotations

import html
import re
import string
from dataclasses import dataclass, field
from typing import ClassVar
from pathlib import Path

import altair as alt
import pandas as pd
import vl_convert as vlc

from analysis.present.theme import FONT, PALETTE, THEME, themed  # noqa: F401
from analysis.present.theme import setup as theme_setup

FIGURES_URL = "../_static/figures"  # from a chapter page in book/ to the site's _static

_FIG_ID = re.compile(r"^fig-[a-z0-9]+(?:-[a-z0-9]+)*$")
_TAB_ID = re.compile(r"^tab-[a-z0-9]+(?:-[a-z0-9]+)*$")


_BOOK: list[Path] = []  # the book's source folder, set by :func:`setup`


def setup(book: Path | str = "..") -> None:
    """Notebook set-up: charts render through the book's safe SVG renderer, all rows are kept,
    and published files go to ``<book>/_static/figures``. ``book`` is the book's source folder:
    by default the chapter's parent, since kernels run in ``book/`` (the main book and a
    ``book-for`` copy alike), so no path into the package is needed."""
    theme_setup()
    _BOOK[:] = [Path(book).expanduser().resolve()]


def figures_dir() -> Path:
    """Where published files go: ``_static/figures`` of the book :func:`setup` named."""
    if not _BOOK:
        raise RuntimeError("call analysis.present.publish.setup() first (or pass out_dir)")
    return _BOOK[0] / "_static" / "figures"


_MARKUP = set(string.punctuation) - set("&<>")


def plain_markdown(text: str) -> str:
    """``text`` as MyST Markdown that renders as exactly that text: HTML characters become
    entities, every other ASCII punctuation mark is backslash-escaped (no emphasis, links,
    roles or fences) and line breaks become spaces (no blocks)."""
    out = []
    for char in " ".join(text.split()):
        if char in "&<>":
            out.append(html.escape(char))
        elif char in _MARKUP:
            out.append("\\" + char)
        else:
            out.append(char)
    return "".join(out)


def _id_pattern(ids: list[str]) -> re.Pattern:
    alts = "|".join(re.escape(i) for i in sorted(ids, key=len, reverse=True))
    return re.compile(rf"(?<![\w-])({alts})(?:-([sp])(\d+))?(?![\w-])")


def readable(text: str, names: dict[str, str]) -> str:
    """``text`` with internal ids in reader words: an article id becomes its manifest label
    (``names``: id -> label), a sentence id ``<id>-s7`` "<label>, sentence 7" and a paragraph
    id ``<id>-p3`` "<label>, paragraph 3". Plain text in, plain text out (escape it after)."""
    if not names or not isinstance(text, str):
        return text
    kinds = {"s": "sentence", "p": "paragraph"}

    def name(m: re.Match) -> str:
        label = names[m.group(1)]
        return f"{label}, {kinds[m.group(2)]} {int(m.group(3))}" if m.group(2) else label
    return _id_pattern(list(names)).sub(name, text)


def reader_names(corpus) -> dict[str, str]:
    """Article id -> manifest label, for :func:`readable`."""
    return dict(zip(corpus.articles["id"].astype(str), corpus.articles["label"].astype(str)))


def readable_frame(frame: pd.DataFrame, names: dict[str, str]) -> pd.DataFrame:
    """``frame`` with every text cell passed through :func:`readable`."""
    if not names:
        return frame
    out = frame.copy()
    for i in range(out.shape[1]):
        col = out.iloc[:, i]
        if col.dtype == object or pd.api.types.is_string_dtype(col):
            out.iloc[:, i] = col.map(lambda v: readable(v, names) if isinstance(v, str) else v)
    return out


CLIP = 160  # characters a table cell shows on the page: a few lines even on a phone


def clip_cells(frame: pd.DataFrame, limit: int = CLIP) -> tuple[pd.DataFrame, bool]:
    """``frame`` with text cells longer than ``limit`` cut at a word boundary and ended with
    "…", and whether any was cut (the CSV keeps the whole text)."""
    def cut(v):
        if not isinstance(v, str) or len(v) <= limit:
            return v
        head = v[:limit].rsplit(" ", 1)[0] if " " in v[:limit] else v[:limit]
        return head.rstrip(" ,;:") + " …"
    out, clipped = frame.copy(), False
    for i in range(out.shape[1]):
        col = out.iloc[:, i]
        if col.dtype == object or pd.api.types.is_string_dtype(col):
            new = col.map(cut)
            if not new.equals(col):
                clipped = True
                out.iloc[:, i] = new
    return out, clipped


@dataclass(frozen=True)
class Published:
    """What every published figure and table has: id, caption, source line, the data and the
    files written; shown on the page only through its ``{glue:figure}`` directive."""

    KIND: ClassVar[str] = ""

    id: str
    caption: str
    source: str
    data: pd.DataFrame
    files: tuple[Path, ...]

    def _ipython_display_(self) -> None:
        """A cell ending in a publish call shows nothing of its own (no stray text output)."""

    def __repr__(self) -> str:
        """Short and free of local paths, so stored notebook outputs are the same anywhere."""
        return f"{self.KIND} {self.id!r}: {len(self.data)} rows, {len(self.files)} files"

    def caption_markdown(self) -> str:
        """Caption and source line (plain text, escaped), id and a download link per file, as
        MyST Markdown with inline HTML."""
        links = " · ".join(
            f'<a href="{FIGURES_URL}/{f.name}" download>{f.suffix[1:].upper()}</a>'
            for f in self.files)
        return (f"{plain_markdown(self.caption)} <span class=\"ws-source\">Source: "
                f"{plain_markdown(self.source)}. {self.KIND} id <code>{self.id}</code>. "
                f"Download: {links}.</span>")


@dataclass(frozen=True, repr=False)
class Figure(Published):
    """A published chart: its Vega-Lite spec besides; files are PNG, SVG and CSV."""

    KIND: ClassVar[str] = "Figure"

    spec: dict = field(default_factory=dict)


def _plotted_data(chart: alt.TopLevelMixin, data: pd.DataFrame | None) -> pd.DataFrame:
    if data is not None:
        return data
    if isinstance(getattr(chart, "data", None), pd.DataFrame):
        return chart.data
    raise ValueError("pass data= for a chart whose data is not one pandas frame")


def publish(chart: alt.TopLevelMixin, fig_id: str, caption: str, source: str,
            data: pd.DataFrame | None = None, *, out_dir: Path | None = None,
            glue: bool = True) -> Figure:
    """Theme ``chart``, write its PNG, SVG and CSV, and glue it for a ``{glue:figure}``.

    ``fig_id`` is the stable id (``fig-`` then lower-case words joined by hyphens); ``caption``
    says what the chart shows; ``source`` says where the plotted values come from.
    """
    if not _FIG_ID.match(fig_id):
        raise ValueError(f"figure id {fig_id!r} must look like 'fig-words-joined-by-hyphens'")
    if not caption.strip() or not source.strip():
        raise ValueError(f"figure {fig_id}: caption and source line are required")
    frame = _plotted_data(chart, data)
    final = themed(chart)
    spec = final.to_dict()
    out = Path(out_dir) if out_dir is not None else figures_dir()
    out.mkdir(parents=True, exist_ok=True)
    files = (out / f"{fig_id}.png", out / f"{fig_id}.svg", out / f"{fig_id}.csv")
    files[0].write_bytes(vlc.vegalite_to_png(spec, scale=2))
    files[1].write_text(vlc.vegalite_to_svg(spec), encoding="utf-8")
    frame.to_csv(files[2], index=False)
    figure = Figure(fig_id, caption.strip(), source.strip(), frame, files, spec=spec)
    if glue:
        from IPython.display import Markdown
        from myst_nb import glue as nb_glue

        nb_glue(fig_id, final, display=False)
        nb_glue(f"{fig_id}-caption", Markdown(figure.caption_markdown()), display=False)
    return figure


@dataclass(frozen=True, eq=False)
class Table:
    """A frame shown as an HTML table: no index, cell text escaped, stable element ids.

    Article text is data, not markup, so it is escaped, and so are column headers; fixed ids keep
    the HTML identical from run to run, which the strict notebook tests compare. With ``show``
    set, the first ``show`` rows are shown and the whole table sits behind a fold below them.
    """

    frame: pd.DataFrame
    table_id: str
    precision: int = 2
    show: int | None = None

    def _html(self, frame: pd.DataFrame, uid: str, skip: int = 0) -> str:
        """The frame as an escaped HTML table; ``skip`` hides its first rows but keeps every
        other row's id (``T_<uid>_row<r>_col<c>``) at its place in the whole frame, so links to
        a row land in the fold as well as in the preview."""
        # The Styler escapes str cells only: any other object (a list, a tuple) becomes its str
        # first, so no cell reaches the page as raw HTML.
        plain = (str, int, float, bool, type(None))
        frame = frame.reset_index(drop=True)  # row ids are positions; labels may repeat
        frame = frame.apply(lambda col: col.map(lambda v: v if isinstance(v, plain) or
                                                pd.api.types.is_scalar(v) else str(v))
                            if col.dtype == object else col)
        numeric = [i for i, c in enumerate(frame.columns)
                   if pd.api.types.is_numeric_dtype(frame[c])
                   and not pd.api.types.is_bool_dtype(frame[c])]
        styler = (frame.style.hide(axis="index")
                  .format(precision=self.precision, escape="html")
                  .format_index(escape="html", axis=1).set_uuid(uid)
                  .set_table_attributes('class="ws-table"'))
        if skip:
            styler = styler.hide(frame.index[:skip], axis="index")
        # Numbers right-aligned (header too), text left-aligned: one CSS rule per column.
        styler = styler.set_table_styles(
            [{"selector": f"td.col{i}, th.col{i}", "props": "text-align: right;"}
             for i in numeric]
            + [{"selector": "td, th", "props": "text-align: left;"}], overwrite=True)
        return styler.to_html()

    def _repr_html_(self) -> str:
        if self.show is None or len(self.frame) <= self.show:
            return self._html(self.frame, self.table_id)
        head = self._html(self.frame.head(self.show), self.table_id)
        rest = self.frame.iloc[self.show:]
        more = self._html(self.frame, self.table_id, skip=self.show)
        label = ("The last row" if len(rest) == 1 else
                 f"The other {len(rest):,} rows (of {len(self.frame):,})")
        return (f'{head}<details class="ws-fold"><summary>{label}</summary>{more}</details>')

    def __repr__(self) -> str:
        return f"Table {self.table_id!r}: {len(self.frame)} rows x {self.frame.shape[1]} columns"


def table(frame: pd.DataFrame, table_id: str, *, precision: int = 2) -> Table:
    """Show ``frame`` as a book table (see :class:`Table`)."""
    return Table(frame, table_id, precision)


@dataclass(frozen=True, repr=False)
class PublishedTable(Published):
    """A published table: what the page shows (``shown``) besides; the file is the CSV."""

    KIND: ClassVar[str] = "Table"

    shown: Table | None = None


def publish_table(frame: pd.DataFrame, tab_id: str, caption: str, source: str, *,
                  columns: dict[str, str] | None = None, show: int | None = None,
                  precision: int = 2, out_dir: Path | None = None,
                  glue: bool = True, corpus=None) -> PublishedTable:
    """Write ``frame`` as ``<tab_id>.csv`` and glue it, with a caption, for a ``{glue:figure}``.

    ``tab_id`` is the stable id (``tab-`` then lower-case words joined by hyphens). The CSV
    holds every row and the frame's own column names (tidy, for re-use); the page shows the
    columns named in ``columns`` (field -> readable header, in that order; default: all, as
    they are), the first ``show`` rows first and the full table behind a fold. Sorting the key
    rows first is the caller's job. In the chapter, use

    ``:::{glue:figure} tab-x`` / ``:name: tab-x`` / ``{glue:md}`tab-x-caption``` / ``:::``

    and the book's Sphinx extension numbers it as a table ("Table 3.2"), not as a figure.

    With ``corpus``, the shown cells name articles, sentences and paragraphs by the manifest
    label (:func:`readable`); the CSV keeps the run's ids, which join to the run's tables.
    """
    if not _TAB_ID.match(tab_id):
        raise ValueError(f"table id {tab_id!r} must look like 'tab-words-joined-by-hyphens'")
    if not caption.strip() or not source.strip():
        raise ValueError(f"table {tab_id}: caption and source line are required")
    if columns is not None:
        missing = [c for c in columns if c not in frame.columns]
        if missing:
            raise ValueError(f"table {tab_id}: no column(s) {missing} in the frame")
        shown_frame = frame[list(columns)].rename(columns=columns)
    else:
        shown_frame = frame
    if corpus is not None:
        shown_frame = readable_frame(shown_frame, reader_names(corpus))
    shown_frame, clipped = clip_cells(shown_frame)
    if clipped:
        caption = (caption.strip() + f" Cells longer than {CLIP} characters are cut short on "
                   "the page (…); the CSV holds them whole.")
    out = Path(out_dir) if out_dir is not None else figures_dir()
    out.mkdir(parents=True, exist_ok=True)
    path = out / f"{tab_id}.csv"
    frame.to_csv(path, index=False)
    shown = Table(shown_frame.reset_index(drop=True), tab_id, precision, show)
    published = PublishedTable(tab_id, caption.strip(), source.strip(), frame, (path,),
                               shown=shown)
    if glue:
        from IPython.display import Markdown
        from myst_nb import glue as nb_glue

        nb_glue(tab_id, shown, display=False)
        nb_glue(f"{tab_id}-caption", Markdown(published.caption_markdown()), display=False)
    return published


def glue_values(values: dict[str, object],
                *, markdown: bool | tuple[str, ...] = ("_md", "-md")) -> None:
    """Glue a chapter's prose numbers and sentences. A value is glued as Markdown (for
    ``{glue:md}``) when ``markdown`` is True, or its name ends in one of the ``markdown``
    suffixes; otherwise as it is (for ``{glue:text}``)."""
    from IPython.display import Markdown
    from myst_nb import glue as nb_glue

    for name, value in values.items():
        as_md = markdown if isinstance(markdown, bool) else name.endswith(markdown)
        nb_glue(name, Markdown(value) if as_md else value, display=False)


ABSENT_CLASS = "ws-absent"


class _Absent:
    """Glued in place of a figure or table the corpus has no data for (see :func:`absent`)."""

    def _repr_html_(self) -> str:
        return f'<p class="{ABSENT_CLASS}"></p>'

    def __repr__(self) -> str:
        return "(not shown for this corpus)"


def absent(item_id: str, *, glue: bool = True) -> None:
    """Glue ``item_id`` (and its caption) as absent: the book's Sphinx extension then drops the
    whole ``{glue:figure}`` block, so a chapter can keep the directive for a figure or table
    that only some corpora have (a validation table where the corpus has no annotations).
    Prose that mentions it must be conditional too (glue it with ``{glue:md}``)."""
    if not (_FIG_ID.match(item_id) or _TAB_ID.match(item_id)):
        raise ValueError(f"id {item_id!r} must start with 'fig-' or 'tab-'")
    if glue:
        from IPython.display import Markdown
        from myst_nb import glue as nb_glue

        nb_glue(item_id, _Absent(), display=False)
        nb_glue(f"{item_id}-caption", Markdown(""), display=False)
