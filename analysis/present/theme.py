"""The book's look in one place: palette, font and the Altair theme every chart gets."""

from __future__ import annotations

import altair as alt

# Okabe & Ito (2008), "Color Universal Design": distinguishable with common colour-vision
# deficiencies. Black is left out of the categorical range; it is the text colour.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442",
           "#999999")
FONT = "Liberation Sans, Helvetica, Arial, sans-serif"

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


def themed(chart: alt.TopLevelMixin) -> alt.TopLevelMixin:
    """The chart with the book's theme applied as its top-level config."""
    return chart.properties(config=alt.Config(**THEME))


def setup() -> None:
    """Notebook set-up: Altair emits HTML (which MyST-NB renders), links open in the same page,
    and all rows are kept."""
    alt.renderers.enable("html", embed_options={"loader": {"target": "_self"}})
    alt.data_transformers.disable_max_rows()
