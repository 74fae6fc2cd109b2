"""The book's look in one place: palette, font, the Altair theme every chart gets, and the
renderer that puts a chart into a page.

The renderer (:func:`chart_html`) replaces Altair's HTML template for two reasons:

- safety: a chart's spec carries data (manifest labels, headlines), and a value such as
  ``</script><script>alert(1)</script>`` must not end the script element that embeds it. The
  spec is serialized with ``<``, ``>``, ``&`` and every non-ASCII character (so U+2028/2029 too)
  written as JSON ``\\uXXXX`` escapes, which JavaScript reads back as the same characters;
- layout: charts draw as SVG, whose ``viewBox`` lets the page's CSS (``_static/book.css``) scale
  a chart down to the width of the text column on a narrow screen. SVG keeps links and tooltips
  working when scaled (the browser finds the mark under the pointer).

The Vega libraries come from ``_static/vega-bundle.js`` (see :mod:`analysis.present.publish`),
loaded by every page before any chart.
"""

from __future__ import annotations

import hashlib
import json

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

RENDERER = "wirespin"
# SVG so the chart scales with CSS; links open in the same page. The menu offers the PNG and SVG
# exports only: "View Source" and "View Compiled Vega" write the spec, data included, unescaped
# into a new window (a label holding a script would run there), and "Open in Vega Editor" would
# post the data to an outside site.
EMBED_OPTIONS = {"renderer": "svg", "loader": {"target": "_self"}, "mode": "vega-lite",
                 "actions": {"export": True, "source": False, "compiled": False,
                             "editor": False}}
CHART_CLASS = "ws-chart"


def themed(chart: alt.TopLevelMixin) -> alt.TopLevelMixin:
    """The chart with the book's theme applied as its top-level config."""
    return chart.properties(config=alt.Config(**THEME))


def script_json(value: object) -> str:
    """``value`` as JSON that is safe inside an HTML ``<script>`` element for any data.

    ``<``, ``>`` and ``&`` become ``\\u003c``, ``\\u003e``, ``\\u0026`` (so no ``</script>``
    or ``<!--`` can appear) and all non-ASCII characters, U+2028 and U+2029 among them, are
    ``\\u`` escapes; a JavaScript parser reads the same value back.
    """
    text = json.dumps(value, ensure_ascii=True, allow_nan=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def chart_html(spec: dict, embed_options: dict | None = None) -> str:
    """The HTML that draws ``spec`` with vega-embed: a ``<div>`` and one inline script.

    The element id is derived from the spec, so the HTML is the same on every run.
    """
    options = {**EMBED_OPTIONS, **(embed_options or {})}
    payload = script_json(spec)
    digest = hashlib.sha256((payload + script_json(options)).encode("ascii")).hexdigest()[:16]
    div_id = f"altair-viz-{digest}"
    return (
        f'<div id="{div_id}" class="{CHART_CLASS}"></div>\n'
        '<script type="text/javascript">\n'
        "(function (spec, opt) {\n"
        f'  var el = document.getElementById("{div_id}");\n'
        '  if (typeof window.vegaEmbed !== "function") {\n'
        '    el.textContent = "This chart needs the book\'s Vega bundle (_static/vega-bundle.js).";\n'
        "    return;\n"
        "  }\n"
        "  window.vegaEmbed(el, spec, opt).catch(function (err) {\n"
        '    el.textContent = "The chart could not be drawn: " + err;\n'
        "    console.error(err);\n"
        "  });\n"
        f"}})({payload}, {script_json(options)});\n"
        "</script>"
    )


def render(spec: dict, embed_options: dict | None = None, **_metadata) -> dict[str, str]:
    """Altair renderer: the chart as ``text/html`` (see :func:`chart_html`)."""
    return {"text/html": chart_html(spec, embed_options)}


alt.renderers.register(RENDERER, render)


def setup() -> None:
    """Notebook set-up: charts render through the book's safe SVG renderer and all rows are
    kept."""
    alt.renderers.enable(RENDERER)
    alt.data_transformers.disable_max_rows()
