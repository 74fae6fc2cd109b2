"""Publishing charts: one theme, stable figure ids, and PNG, SVG and CSV beside every chart.

:func:`publish` is the only way a chapter shows a chart. It applies the book's theme, writes
``<id>.png``, ``<id>.svg`` and ``<id>.csv`` (the plotted data) into ``_static/figures/`` (copied
into the built site), and glues the interactive chart under the figure id and its caption under
``<id>-caption``, for a ``{glue:figure}`` with ``:name: <id>`` that prose can ``{numref}``.

Charts render with no network: ``python -m analysis.figures bundle`` writes one JavaScript file
with Vega, Vega-Lite and Vega-Embed (from vl-convert) into ``_static/``, ending with the
``VEGA_DEBUG`` line that tells Altair's HTML output the libraries are already loaded.
"""

from __future__ import annotations

import html
import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path

import altair as alt
import pandas as pd
import vl_convert as vlc

ROOT = Path(__file__).resolve().parent.parent
STATIC = ROOT / "_static"
FIGURES = STATIC / "figures"
BUNDLE = STATIC / "vega-bundle.js"
FIGURES_URL = "../_static/figures"  # from a chapter page in book/ to the site's _static

# Okabe & Ito (2008), "Color Universal Design": distinguishable with common colour-vision
# deficiencies. Black is left out of the categorical range; it is the text colour.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442",
           "#999999")
FONT = "Liberation Sans, Helvetica, Arial, sans-serif"
_FIG_ID = re.compile(r"^fig-[a-z0-9]+(?:-[a-z0-9]+)*$")

THEME = {
    "font": FONT,
    "background": "white",
    "view": {"stroke": None},
    "range": {"category": list(PALETTE)},
    "axis": {"labelFontSize": 12, "titleFontSize": 13, "titleFontWeight": "normal",
             "labelColor": "#222", "titleColor": "#222", "gridColor": "#e6e6e6"},
    "legend": {"labelFontSize": 12, "titleFontSize": 13, "titleFontWeight": "normal"},
    "header": {"labelFontSize": 12, "titleFontSize": 13},
    "title": {"fontSize": 14, "anchor": "start", "fontWeight": "normal"},
    "text": {"fontSize": 12},
}


@dataclass(frozen=True)
class Figure:
    """A published figure: its id, caption, source line, data and the files written."""

    id: str
    caption: str
    source: str
    data: pd.DataFrame
    spec: dict
    files: tuple[Path, ...]

    def caption_markdown(self) -> str:
        """Caption, source line and download links, as MyST Markdown with inline HTML."""
        links = " · ".join(
            f'<a href="{FIGURES_URL}/{self.id}.{ext}" download>{ext.upper()}</a>'
            for ext in ("png", "svg", "csv")
        )
        return (f"{self.caption} <span class=\"ws-source\">Source: {html.escape(self.source)}."
                f" Figure id <code>{self.id}</code>. Download: {links}.</span>")


def setup() -> None:
    """Notebook set-up: Altair emits HTML (which MyST-NB renders), links open in the same page,
    and all rows are kept."""
    alt.renderers.enable("html", embed_options={"loader": {"target": "_self"}})
    alt.data_transformers.disable_max_rows()


def themed(chart: alt.TopLevelMixin) -> alt.TopLevelMixin:
    """The chart with the book's theme applied as its top-level config."""
    return chart.properties(config=alt.Config(**THEME))


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
    out = Path(out_dir) if out_dir is not None else FIGURES
    out.mkdir(parents=True, exist_ok=True)
    files = (out / f"{fig_id}.png", out / f"{fig_id}.svg", out / f"{fig_id}.csv")
    files[0].write_bytes(vlc.vegalite_to_png(spec, scale=2))
    files[1].write_text(vlc.vegalite_to_svg(spec), encoding="utf-8")
    frame.to_csv(files[2], index=False)
    figure = Figure(fig_id, caption.strip(), source.strip(), frame, spec, files)
    if glue:
        from IPython.display import Markdown
        from myst_nb import glue as nb_glue

        nb_glue(fig_id, final, display=False)
        nb_glue(f"{fig_id}-caption", Markdown(figure.caption_markdown()), display=False)
    return figure


def altair_versions() -> dict[str, str]:
    """The library versions Altair's notebook HTML (the "universal" template) asks for."""
    html_out = alt.Chart(pd.DataFrame({"x": [0]})).mark_point().to_html(template="universal")
    found = dict(re.findall(r'maybeLoadScript\("([a-z-]+)", "([^"]+)"\)', html_out))
    if set(found) != {"vega", "vega-lite", "vega-embed"}:
        raise RuntimeError(f"unexpected Altair HTML template; found {found}")
    return {f"{lib.replace('-', '')}_version": version for lib, version in found.items()}


def write_bundle(path: Path = BUNDLE) -> Path:
    """Write the offline Vega bundle plus the ``VEGA_DEBUG`` line; returns the path."""
    versions = altair_versions()
    vl_version = "v" + "_".join(versions["vegalite_version"].split(".")[:2])
    js = vlc.javascript_bundle(vl_version=vl_version)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        "(function () {\n" + js + "\n})();\n// Tell Altair's HTML output these libraries are loaded (no CDN request).\n"
        f"window.VEGA_DEBUG = Object.assign(window.VEGA_DEBUG || {{}}, {json.dumps(versions)});\n",
        encoding="utf-8",
    )
    return path


if __name__ == "__main__":
    if sys.argv[1:] == ["bundle"]:
        print(f"wrote {write_bundle()}")
    else:
        raise SystemExit("usage: python -m analysis.figures bundle")


@dataclass(frozen=True, eq=False)
class Table:
    """A frame shown as an HTML table: no index, cell text escaped, stable element ids.

    Article text is data, not markup, so it is escaped; fixed ids keep the HTML identical from
    run to run, which the strict notebook tests compare.
    """

    frame: pd.DataFrame
    table_id: str
    precision: int = 2

    def _repr_html_(self) -> str:
        styler = (self.frame.style.hide(axis="index")
                  .format(precision=self.precision, escape="html")
                  .format_index(escape="html", axis=1).set_uuid(self.table_id))
        return styler.to_html()

    def __repr__(self) -> str:
        return f"Table {self.table_id!r}: {len(self.frame)} rows x {self.frame.shape[1]} columns"


def table(frame: pd.DataFrame, table_id: str, *, precision: int = 2) -> Table:
    """Show ``frame`` as a book table (see :class:`Table`)."""
    return Table(frame, table_id, precision)
