"""The book's look in one place: palette, font, the Altair theme every chart gets, and the
renderer that puts a chart into a page.

The renderer (:func:`chart_html`) replaces Altair's HTML template for two reasons:

- safety: a chart's spec carries data (manifest labels, headlines), and a value such as
  ``</script><script>alert(1)</script>`` must not end the script element that embeds it. The
  spec is serialized with ``<``, ``>``, ``&`` and every non-ASCII character (so U+2028/2029 too)
  written as JSON ``\\uXXXX`` escapes, which JavaScript reads back as the same characters;
- layout: a chart wider than a phone's text column carries a second, narrow layout
  (:func:`narrow_spec`: views stacked, legends below, plots narrower, labels upright or cut)
  and the page draws whichever keeps the chart's text at :data:`MIN_TEXT` px or more in the
  chart's box, choosing again when the window is resized. Charts draw as SVG, whose ``viewBox``
  lets the page's CSS (``_static/book.css``) scale a chart down a little where even the narrow
  layout is wider than the box (a phone under 380 px). SVG keeps links and tooltips working
  when scaled (the browser finds the mark under the pointer), and its text can be measured
  (``tests/test_browser.py`` checks every chart's text on screen at 1300 and 400 px).

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


MIN_TEXT = 11  # px: the smallest chart text a reader is shown, at any width
_SHARED = ("config", "datasets", "$schema")  # a narrow layout takes these from the wide spec


def font_sizes(spec: dict) -> list[float]:
    """The font sizes (px) of the text that ``spec`` draws, smallest first (vl-convert)."""
    import re

    import vl_convert as vlc

    svg = vlc.vegalite_to_svg(spec)
    return sorted({float(v) for v in re.findall(r'font-size[=:]\s*"?([\d.]+)', svg)})


def chart_html(spec: dict, embed_options: dict | None = None) -> str:
    """The HTML that draws ``spec`` with vega-embed: a ``<div>`` and one inline script.

    A chart wider than :data:`NARROW_WIDTH` carries a narrow layout too (:func:`narrow_spec`,
    without the data, which it shares): the script draws the wide one while the chart's box
    holds it with text of at least :data:`MIN_TEXT` px (it may be scaled down a little) and the
    narrow one otherwise, and picks again when the window is resized.
    The element id is derived from the spec, so the HTML is the same on every run.
    """
    options = {**EMBED_OPTIONS, **(embed_options or {})}
    payload = script_json(spec)
    narrow, wide_from = None, 0
    try:
        narrow = narrow_spec(spec)
        if narrow is not None:
            narrow = {k: v for k, v in narrow.items() if k not in _SHARED}
            sizes = font_sizes(spec) or [MIN_TEXT]
            # The box width from which the wide layout shows its smallest text at MIN_TEXT px.
            wide_from = -(-drawn_width(spec) * MIN_TEXT // sizes[0])
    except Exception:  # noqa: BLE001 - the narrow layout is an extra: if vl-convert cannot
        narrow, wide_from = None, 0  # draw the chart, the page shows the one layout (or error)
    digest = hashlib.sha256((payload + script_json(options)).encode("ascii")).hexdigest()[:16]
    div_id = f"altair-viz-{digest}"
    return (
        f'<div id="{div_id}" class="{CHART_CLASS}"></div>\n'
        '<script type="text/javascript">\n'
        "(function (spec, narrow, wideFrom, opt) {\n"
        f'  var el = document.getElementById("{div_id}");\n'
        '  if (typeof window.vegaEmbed !== "function") {\n'
        '    el.textContent = "This chart needs the book\'s Vega bundle (_static/vega-bundle.js).";\n'
        "    return;\n"
        "  }\n"
        "  if (narrow) {\n"
        f"    {script_json(list(_SHARED))}.forEach(function (k) {{\n"
        "      if (k in spec) narrow[k] = spec[k];\n"
        "    });\n"
        "  }\n"
        "  var shown = null, result = null, timer = null;\n"
        "  function room() {  // the width the chart's box may take, less the menu's gutter\n"
        '    el.classList.add("vega-embed");  // vega-embed\'s own classes, for their CSS\n'
        '    if (opt.actions !== false) el.classList.add("has-actions");\n'
        "    var box = el.parentElement.getBoundingClientRect().width;\n"
        "    return box - (parseFloat(getComputedStyle(el).paddingRight) || 0);\n"
        "  }\n"
        "  function draw() {\n"
        "    var pick = narrow && wideFrom > room() ? narrow : spec;\n"
        "    if (pick === shown) return;\n"
        "    shown = pick;\n"
        '    el.setAttribute("data-layout", pick === spec ? "wide" : "narrow");\n'
        "    if (result) result.finalize();\n"
        "    window.vegaEmbed(el, pick, opt).then(function (r) { result = r; })\n"
        "      .catch(function (err) {\n"
        '        el.textContent = "The chart could not be drawn: " + err;\n'
        "        console.error(err);\n"
        "      });\n"
        "  }\n"
        "  draw();\n"
        "  if (narrow) {\n"
        '    window.addEventListener("resize", function () {\n'
        "      clearTimeout(timer);\n"
        "      timer = setTimeout(draw, 150);\n"
        "    });\n"
        "  }\n"
        f"}})({payload}, {script_json(narrow)}, {int(wide_from)}, {script_json(options)});\n"
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


# --- The phone layout ------------------------------------------------------------------------
# A chart drawn wider than the text column is scaled down by the page's CSS, and its text with
# it: a 600 px chart on a 400 px phone shows 12 px labels at about 7 px. So every chart wider
# than NARROW_WIDTH gets a second, narrow layout, made here from the same spec and measured with
# vl-convert (the renderer of the PNG and SVG downloads, with its own copy of the book's font,
# so the result is the same on every machine): side-by-side views narrower, or stacked when
# they do not fit so; facets in one column; a table of tall rows with each row's name above its
# cells; legends below in fewer columns; plots narrower; category labels on the x axis upright;
# long y-axis labels wrapped onto lines where the rows are tall enough and cut (Vega ends them
# with "…"; tooltips keep the whole text) where not. The page draws the layout that fits the
# chart's box (see :func:`chart_html`), so text keeps its size.
NARROW_WIDTH = 340  # the text column of a 400 px phone is 352 px
MIN_PLOT = 110  # a plot area is never made narrower than this ...
SIDE_PLOT = 90  # ... or than this beside another (views kept side by side)
MIN_CELLS_SHARE = 0.5  # ... nor, when it prints text in category cells, than this share of
#                        its designed width (the text must stay inside its cell)
MIN_LABEL = 80  # shortest limit (px) a y-axis label is cut to
LEGEND_LABEL = 200  # ... and a legend label (in one column, beside its symbol)
WRAP_CHARS = 18  # characters per line of a wrapped axis label
_LEGEND_CHANNELS = ("color", "fill", "stroke", "shape", "size", "strokeDash", "opacity",
                    "strokeWidth")
_WRAP = ("split(trim(replace(datum.label, regexp('(.{1,%d})(\\\\s+|$)', 'g'), '$1\\n')), '\\n')"
         % WRAP_CHARS)


def drawn_width(spec: dict) -> float:
    """The width in px of the SVG that ``spec`` draws (vl-convert, the book's fonts)."""
    import re

    import vl_convert as vlc

    svg = vlc.vegalite_to_svg(spec)
    return float(re.search(r'<svg[^>]*\swidth="([\d.]+)"', svg).group(1))


def _nodes(node):
    """Every dict in ``node`` (a spec), depth first."""
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from _nodes(value)
    elif isinstance(node, list):
        for value in node:
            yield from _nodes(value)


def _channels(node):
    """(view, channel name, channel definition) for every encoding channel in ``node``."""
    for view in list(_nodes(node)):
        encoding = view.get("encoding")
        if isinstance(encoding, dict):
            for name, enc in encoding.items():
                if isinstance(enc, dict):
                    yield view, name, enc


def _stack(node) -> None:
    """Side-by-side views go one above the other; facets and concats wrap into one column."""
    for view in list(_nodes(node)):
        if "hconcat" in view:
            view["vconcat"] = view.pop("hconcat")
        if ("concat" in view or ("facet" in view and "spec" in view)) and "columns" in view:
            view["columns"] = 1


def _tall_rows(node) -> bool:
    height = node.get("height") if isinstance(node, dict) else None
    return isinstance(height, dict) and height.get("step", 0) >= 30


def _axes(node) -> None:
    """Category labels on the x axis stand upright (they cost height, not width); long y-axis
    labels wrap onto lines where the rows are tall enough."""
    tall = {id(v) for v in _nodes(node) if _tall_rows(v)}
    for view in list(_nodes(node)):  # a layer's children share its rows
        if id(view) in tall:
            tall |= {id(v) for v in _nodes(view.get("layer", []))}
    for view, name, enc in _channels(node):
        if enc.get("axis", {}) is None or enc.get("type") not in ("nominal", "ordinal"):
            continue
        if name == "x":
            axis = enc.setdefault("axis", {})
            axis.update(labelAngle=-90, labelBaseline="middle",
                        labelAlign="left" if axis.get("orient") == "top" else "right")
            axis.pop("labelLimit", None)
        elif name == "y" and id(view) in tall:
            axis = enc.setdefault("axis", {})
            axis.update(labelExpr=_WRAP, labelLineHeight=13)


def _rows_on_top(spec: dict) -> dict:
    """A chart of tall category rows (a table drawn as cells: y a category, rows at least 30 px)
    as one small chart per row, its name above it across the whole width, so the long row names
    no longer take the width the cells need. Other charts come back as they are."""
    layers = spec.get("layer", [spec] if "mark" in spec else [])
    ys = [(v.get("encoding") or {}).get("y") for v in layers]
    if (not _tall_rows(spec) or "data" not in spec or not ys or not all(ys)
            or len({json.dumps(y, sort_keys=True) for y in ys}) != 1
            or ys[0].get("type") not in ("nominal", "ordinal") or "field" not in ys[0]
            or any("data" in v or "transform" in v for v in layers)):
        return spec
    y = ys[0]
    row = {"field": y["field"], "type": y["type"], "title": None,
           "header": {"labelAngle": 0, "labelOrient": "top", "labelAnchor": "start",
                      "labelAlign": "left", "labelLimit": NARROW_WIDTH, "labelPadding": 2}}
    if "sort" in y:
        row["sort"] = y["sort"]
    inner = {k: v for k, v in spec.items() if k not in ("config", "datasets", "$schema", "data",
                                                         "height", "transform")}
    for view in inner.get("layer", [inner]):
        view["encoding"] = {k: v for k, v in view["encoding"].items() if k != "y"}
    inner["height"] = spec["height"]["step"]
    out = {k: spec[k] for k in ("config", "datasets", "$schema", "data", "transform")
           if k in spec}
    out.update(facet={"row": row}, spec=inner, spacing={"row": 2})
    return out


def _legends(node, columns: int) -> None:
    """Legends below the chart in at most ``columns`` columns; colour ramps shorter."""
    for _view, name, enc in _channels(node):
        if name not in _LEGEND_CHANNELS or enc.get("legend", {}) is None:
            continue
        legend = enc.setdefault("legend", {})
        legend["orient"] = "bottom"
        if enc.get("type") == "quantitative":
            legend["gradientLength"] = min(legend.get("gradientLength", 200), 200)
        else:
            legend["columns"] = min(legend.get("columns", columns), columns)


def _cut_labels(node, limit: float) -> None:
    """Y-axis labels cut at ``limit`` px, legend labels at no less than LEGEND_LABEL."""
    for _view, name, enc in _channels(node):
        part = "axis" if name == "y" else "legend" if name in _LEGEND_CHANNELS else None
        if part and enc.get(part, {}) is not None and "labelExpr" not in enc.get(part, {}):
            box = enc.setdefault(part, {})
            cut = limit if part == "axis" else max(limit, LEGEND_LABEL)
            box["labelLimit"] = min(box.get("labelLimit", 200), cut)


def _floor(view: dict) -> float:
    """The narrowest plot ``view`` may get: wider when text is printed in x-category cells."""
    layers = view.get("layer", [view])
    text = any(isinstance(v.get("mark"), (dict, str)) and
               (v["mark"] if isinstance(v["mark"], str) else v["mark"].get("type")) == "text"
               for v in layers if isinstance(v, dict))
    cells = any(name == "x" and enc.get("type") in ("nominal", "ordinal")
                for _v, name, enc in _channels(layers))
    return max(MIN_PLOT, MIN_CELLS_SHARE * view["width"]) if text and cells else MIN_PLOT


def _widen_plots(node, by: float, designed: dict[int, float]) -> None:
    """Every narrowed plot ``by`` px wider, up to its designed width."""
    for view in _nodes(node):
        if id(view) in designed and isinstance(view.get("width"), (int, float)):
            view["width"] = min(designed[id(view)], round(view["width"] + by))


def _narrow_plots(node, by: float, floors: dict[int, float]) -> bool:
    """Every fixed plot width ``by`` px less, down to its floor; whether any changed."""
    changed = False
    for view in _nodes(node):
        width = view.get("width")
        if isinstance(width, (int, float)) and not isinstance(width, bool):
            new = max(floors.get(id(view), MIN_PLOT), round(width - by))
            changed |= new < width
            view["width"] = min(width, new)
        elif isinstance(width, dict) and isinstance(width.get("step"), (int, float)):
            new = max(16, round(width["step"] * 0.85))
            changed |= new < width["step"]
            width["step"] = new
    return changed


def _shrink_text(node, designed: dict[int, float]) -> None:
    """Text marks with a width limit in a narrowed plot: the limit narrows with the plot (so
    texts placed along x do not run into each other) and text over 12 px comes down to 12."""
    for view in _nodes(node):
        if id(view) not in designed or not isinstance(view.get("width"), (int, float)):
            continue
        ratio = view["width"] / designed[id(view)]
        if ratio >= 1:
            continue
        for part in view.get("layer", [view]):
            mark = part.get("mark") if isinstance(part, dict) else None
            if isinstance(mark, dict) and mark.get("type") == "text":
                if isinstance(mark.get("limit"), (int, float)) and mark["limit"] > 0:
                    mark["limit"] = max(MIN_LABEL, round(mark["limit"] * ratio * 0.95))
                if isinstance(mark.get("fontSize"), (int, float)) and mark["fontSize"] > 12:
                    mark["fontSize"] = 12


def _fit(spec: dict, width: float, stack: bool) -> tuple[dict, float]:
    """``spec`` laid out for ``width`` px (views stacked or not) and the width it draws."""
    import copy

    out = _rows_on_top(copy.deepcopy(spec))
    sized = [v for v in _nodes(out) if isinstance(v.get("width"), (int, float))]
    # Side by side, the plots share the overshoot and may get narrower than one alone.
    side = 1 if stack else max([len(v["hconcat"]) for v in _nodes(out)
                                if isinstance(v.get("hconcat"), list)] or [1])
    floors = {id(v): _floor(v) if side == 1 else SIDE_PLOT for v in sized}
    designed = {id(v): v["width"] for v in sized}
    if stack:
        _stack(out)
    _axes(out)
    _legends(out, 2)
    drawn = drawn_width(out)
    for _ in range(3):
        if drawn <= width or not _narrow_plots(out, (drawn - width) / side, floors):
            break
        drawn = drawn_width(out)
    if drawn > width:
        _legends(out, 1)
        drawn = drawn_width(out)
    limit = 140
    while drawn > width and limit >= MIN_LABEL:
        _cut_labels(out, limit)
        drawn = drawn_width(out)
        limit -= 20
    if drawn < width - 8:  # plots narrowed while something else was the widest part
        copies: dict[int, object] = {}
        wider = copy.deepcopy(out, copies)  # copies: id of a view -> its copy
        wider_designed = {id(copies[k]): w for k, w in designed.items() if k in copies}
        _widen_plots(wider, (width - drawn) / side, wider_designed)
        wide_drawn = drawn_width(wider)
        if wide_drawn <= width:
            out, drawn, designed = wider, wide_drawn, wider_designed
    _shrink_text(out, designed)
    return out, drawn


def narrow_spec(spec: dict, width: float = NARROW_WIDTH) -> dict | None:
    """A layout of ``spec`` drawn at most ``width`` px wide, or None when ``spec`` fits as it
    is. Views side by side stay so if they fit (a caption may say "left" and "right"), else
    they are stacked. When no layout fits, the narrowest one found (the page scales it down)."""
    if drawn_width(spec) <= width:
        return None
    if any("hconcat" in v for v in _nodes(spec)):
        out, drawn = _fit(spec, width, stack=False)
        if drawn <= width:
            return out
    return _fit(spec, width, stack=True)[0]
