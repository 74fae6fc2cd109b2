"""The figure pipeline: themed charts, the three downloads, and the offline Vega bundle
(written by booktools.bundle)."""

from __future__ import annotations

import html
import json
import re

import altair as alt
import pandas as pd
import pytest

from markdown_it import MarkdownIt

from analysis.present import publish as figures
from analysis.present import theme
from booktools import bundle

DATA = pd.DataFrame({"outlet": ["A", "B", "C"], "words": [3, 1, 2]})


def chart() -> alt.Chart:
    return alt.Chart(DATA).mark_bar().encode(x="words:Q", y="outlet:N", color="outlet:N")


def test_publish_writes_png_svg_csv(tmp_path):
    fig = figures.publish(chart(), "fig-test-bars", "Bars.", "Test data.", out_dir=tmp_path,
                          glue=False)
    png, svg, csv = (tmp_path / f"fig-test-bars.{ext}" for ext in ("png", "svg", "csv"))
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "<svg" in svg.read_text(encoding="utf-8")[:500]
    pd.testing.assert_frame_equal(pd.read_csv(csv), DATA, check_dtype=False)
    assert fig.files == (png, svg, csv)


def test_theme_applied(tmp_path):
    fig = figures.publish(chart(), "fig-test-theme", "Bars.", "Test data.", out_dir=tmp_path,
                          glue=False)
    assert fig.spec["config"]["range"]["category"] == list(figures.PALETTE)
    assert fig.spec["config"]["font"] == figures.FONT


def test_caption_carries_source_id_and_downloads(tmp_path):
    fig = figures.publish(chart(), "fig-test-caption", "Bars <b>.", "Test & data.",
                          out_dir=tmp_path, glue=False)
    md = fig.caption_markdown()
    assert "Source: Test &amp; data\\." in md and "fig-test-caption" in md
    assert "<b>" not in md and "Bars &lt;b&gt;" in md
    for ext in ("png", "svg", "csv"):
        assert f'{figures.FIGURES_URL}/fig-test-caption.{ext}' in md


@pytest.mark.parametrize("bad", ["Fig-1", "fig_lengths", "lengths", "fig-", "fig-a b"])
def test_figure_id_must_be_stable_form(tmp_path, bad):
    with pytest.raises(ValueError, match="figure id"):
        figures.publish(chart(), bad, "c", "s", out_dir=tmp_path, glue=False)


def test_caption_and_source_required(tmp_path):
    with pytest.raises(ValueError, match="caption and source"):
        figures.publish(chart(), "fig-x", " ", "s", out_dir=tmp_path, glue=False)


def test_layered_chart_needs_its_data(tmp_path):
    layered = chart() + alt.Chart(DATA.head(1)).mark_text().encode(x="words:Q", text="outlet:N")
    with pytest.raises(ValueError, match="pass data="):
        figures.publish(layered, "fig-layer", "c", "s", out_dir=tmp_path, glue=False)
    figures.publish(layered, "fig-layer", "c", "s", data=DATA, out_dir=tmp_path, glue=False)


def test_bundle_declares_versions_altair_asks_for(tmp_path):
    """The offline bundle (a book tool, booktools.bundle) loads what Altair's HTML asks for."""
    path = bundle.write_bundle(tmp_path / "bundle.js")
    js = path.read_text(encoding="utf-8")
    assert "window.vegaEmbed=" in js.replace(" ", "")
    declared = re.search(r"window\.VEGA_DEBUG = Object\.assign\(.*?(\{.*\})\);", js).group(1)
    for key, version in bundle.altair_versions().items():
        assert f'"{key}": "{version}"' in declared
    html = chart().to_html(template="universal")
    for lib, version in re.findall(r'maybeLoadScript\("([a-z-]+)", "([^"]+)"\)', html):
        assert f'"{lib.replace("-", "")}_version": "{version}"' in declared


def test_table_escapes_text_and_is_stable():
    frame = pd.DataFrame({"text": ["<script>alert(1)</script>"], "n": [1.23456]})
    first = figures.table(frame, "t1")._repr_html_()
    assert "<script>alert" not in first and "&lt;script&gt;" in first
    assert first == figures.table(frame, "t1")._repr_html_()
    assert "1.23" in first and "1.2346" not in first
    assert "0x" not in repr(figures.table(frame, "t1"))


def test_table_escapes_column_headers():
    """Headers can come from data (e.g. manifest labels), so they are escaped too."""
    frame = pd.DataFrame({"<b>Outlet & Co</b>": [1]})
    html = figures.table(frame, "t2")._repr_html_()
    assert "<b>Outlet" not in html and "&lt;b&gt;Outlet &amp; Co&lt;/b&gt;" in html


HOSTILE = ["</script><script>alert(1)</script>", "<!-- x", "a\u2028b\u2029c",
           "<img src=x onerror=alert(1)>", "[x](javascript:alert(1))", "{raw}`html`",
           "*not* _emphasis_ `code`", "line one\n\n# heading"]


def embedded(out: str) -> tuple[str, list]:
    """The body of the embedding script and the values it passes: spec, narrow layout (or
    None), the box width from which the wide layout is drawn, embed options."""
    script = out[out.index("<script"):]
    body = script[script.index(">") + 1: script.rindex("</script>")]
    decoder, rest, values = json.JSONDecoder(), body[body.rindex("})(") + 3:], []
    for _ in range(4):
        value, end = decoder.raw_decode(rest)
        values.append(value)
        rest = rest[end:].lstrip(", ")
    assert rest.startswith(");"), rest[:40]
    return body, values


@pytest.mark.parametrize("value", HOSTILE)
def test_chart_html_cannot_close_its_script(value):
    """A value in the data never ends the embedding script: no '<' at all inside it, in the
    chart and in its narrow layout (which repeats the labels a sort order names)."""
    frame = pd.DataFrame({"label": [value, "other"], "n": [1, 2]})
    spec = (alt.Chart(frame).mark_bar().encode(x="n:Q", y=alt.Y("label:N", sort=[value]))
            .properties(width=600).to_dict())
    body, (payload, narrow, _wide_from, _options) = embedded(theme.chart_html(spec))
    assert "<" not in body and "\u2028" not in body and "\u2029" not in body
    assert payload == spec  # the same data reaches the chart
    if narrow is not None:  # (Vega cannot read a U+2028 in a sort order: no narrow layout)
        assert narrow["encoding"]["y"]["sort"] == [value]


def test_chart_menu_offers_no_unescaped_source_view():
    """vega-embed's source, compiled and editor actions write or send the spec unescaped."""
    actions = theme.EMBED_OPTIONS["actions"]
    assert actions == {"export": True, "source": False, "compiled": False, "editor": False}
    assert '"source": false' in theme.chart_html(chart().to_dict())


def test_chart_html_is_stable_and_svg():
    spec = chart().to_dict()
    assert theme.chart_html(spec) == theme.chart_html(spec)
    assert '"renderer": "svg"' in theme.chart_html(spec)
    assert theme.chart_html(spec) != theme.chart_html({**spec, "height": 99})


def wide_chart() -> alt.HConcatChart:
    """Two 300 px views side by side with a two-column legend: about 750 px wide."""
    frame = pd.DataFrame({"report": ["AFP wire", "Times of Israel", "Unattributed (003)"] * 2,
                          "kind": ["quoted", "own"] * 3, "n": [3, 1, 2, 5, 4, 6]})
    bars = alt.Chart(frame).mark_bar().encode(
        x="n:Q", y=alt.Y("report:N", axis=alt.Axis(labelLimit=200)),
        color=alt.Color("kind:N", legend=alt.Legend(orient="bottom", columns=2)))
    cells = alt.Chart(frame).mark_rect().encode(
        x=alt.X("report:N", axis=alt.Axis(labelAngle=-30)), y="kind:N", color="n:Q")
    return theme.themed(alt.hconcat(bars.properties(width=300), cells.properties(width=300)))


def test_a_chart_that_fits_has_no_narrow_layout():
    spec = theme.themed(chart().properties(width=200)).to_dict()
    assert theme.drawn_width(spec) <= theme.NARROW_WIDTH
    assert theme.narrow_spec(spec) is None
    _body, (_spec, narrow, wide_from, _options) = embedded(theme.chart_html(spec))
    assert narrow is None and wide_from == 0


def test_a_wide_chart_gets_a_narrow_layout_that_fits_with_text_at_full_size():
    """Views stacked, slanted labels upright, plots narrower: the narrow layout draws within
    NARROW_WIDTH and keeps every font size of the wide chart (all >= MIN_TEXT)."""
    spec = wide_chart().to_dict()
    assert theme.drawn_width(spec) > 600
    narrow = theme.narrow_spec(spec)
    assert "vconcat" in narrow and "hconcat" not in narrow
    assert theme.drawn_width(narrow) <= theme.NARROW_WIDTH
    assert min(theme.font_sizes(narrow)) == min(theme.font_sizes(spec)) >= theme.MIN_TEXT
    assert narrow["vconcat"][1]["encoding"]["x"]["axis"]["labelAngle"] == -90
    assert spec["hconcat"][0]["width"] == 300, "the wide spec was changed"


def test_chart_html_carries_the_narrow_layout_without_a_second_copy_of_the_data():
    spec = wide_chart().to_dict()
    out = theme.chart_html(spec)
    _body, (payload, narrow, wide_from, _options) = embedded(out)
    assert payload == spec
    assert "datasets" not in narrow and "config" not in narrow
    row = theme.script_json(spec["datasets"][next(iter(spec["datasets"]))][-1])
    assert out.count(row) == 1, f"the data row {row} is written more than once"
    # The wide layout is drawn from the box width where its smallest text is MIN_TEXT px.
    assert wide_from == pytest.approx(theme.drawn_width(spec) * theme.MIN_TEXT
                                      / min(theme.font_sizes(spec)), abs=1)


def test_setup_renders_charts_with_the_book_renderer():
    theme.setup()
    bundle = chart()._repr_mimebundle_()
    html_out = bundle[0]["text/html"] if isinstance(bundle, tuple) else bundle["text/html"]
    assert 'class="ws-chart"' in html_out and "cdn.jsdelivr" not in html_out


@pytest.mark.parametrize("value", HOSTILE + ["Tom & Jerry's 50% \\ 3 < 4 > 2"])
def test_plain_markdown_reads_as_the_text(value):
    """Rendered by the CommonMark parser MyST uses, an escaped value is one paragraph of exactly
    that text (white space collapsed): no tags, links, emphasis, code or headings."""
    rendered = MarkdownIt("commonmark").render(figures.plain_markdown(value))
    expected = html.escape(" ".join(value.split()), quote=False)
    assert rendered == f"<p>{expected}</p>\n"


def test_table_caption_is_escaped(tmp_path):
    hostile = "</script><script>alert(1)</script>"
    published = figures.publish_table(DATA, "tab-test", f"Caption {hostile}", f"src {hostile}",
                                      out_dir=tmp_path, glue=False)
    md = published.caption_markdown()
    assert "<script" not in md and md.count("&lt;script&gt;") == 2


def test_figures_dir_follows_the_book_root(monkeypatch, tmp_path):
    monkeypatch.setattr(figures, "_BOOK", [])
    with pytest.raises(RuntimeError, match="setup"):
        figures.figures_dir()
    (tmp_path / "book").mkdir()
    monkeypatch.chdir(tmp_path / "book")
    figures.setup()  # kernels run in book/: the book is its parent
    assert figures.figures_dir() == tmp_path.resolve() / "_static" / "figures"
    figures.publish_table(DATA, "tab-elsewhere", "c", "s", glue=False)
    assert (tmp_path / "_static" / "figures" / "tab-elsewhere.csv").is_file()


def test_downloaded_svg_escapes_data(tmp_path):
    """The SVG download shows a hostile label as text: opened on its own it runs nothing."""
    data = pd.DataFrame({"outlet": ["</text><script>alert(1)</script>"], "words": [1]})
    chart_ = alt.Chart(data).mark_bar().encode(x="words:Q", y="outlet:N")
    figures.publish(chart_, "fig-hostile", "c", "s", out_dir=tmp_path, glue=False)
    svg = (tmp_path / "fig-hostile.svg").read_text(encoding="utf-8")
    assert "<script" not in svg and "&lt;script&gt;" in svg


def test_glue_values_glues_markdown_by_name(monkeypatch):
    import myst_nb
    from IPython.display import Markdown

    glued = {}
    monkeypatch.setattr(myst_nb, "glue", lambda name, value, display: glued.update({name: value}))
    figures.glue_values({"n": 3, "intro_md": "*x*", "note": "y"})
    assert glued["n"] == 3 and glued["note"] == "y" and isinstance(glued["intro_md"], Markdown)
    figures.glue_values({"note": "y"}, markdown=True)
    assert isinstance(glued["note"], Markdown)


def test_publishing_is_not_the_book_tools():
    """Building books and bundling Vega moved to booktools/: publish keeps only publishing."""
    for name in ("book_for", "write_bundle", "altair_versions", "BOOK_SOURCES", "USAGE"):
        assert not hasattr(figures, name), name


def test_list_cells_are_escaped_too():
    """A cell holding a list of strings is shown as text, never as raw HTML."""
    frame = pd.DataFrame({"who": [["<img src=x onerror=alert(1)>"], ("<b>x</b>",)]})
    html = figures.table(frame, "tab-lists")._repr_html_()
    assert "<img" not in html and "<b>" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html


def test_a_table_of_tall_rows_puts_each_row_name_above_its_cells_on_a_phone():
    """Long row names beside cells of text leave the cells no room on a phone: the narrow
    layout draws one row per facet, its name above it, and keeps the row order and the text."""
    names = ["soldiers killed (turkey), from 20 Feb", "observation posts stationed (turkey)",
             "people displaced, from 1 Dec"]
    frame = pd.DataFrame({"quantity": names * 5,
                          "report": [f"Report {i}" for i in range(5) for _ in names],
                          "cell": ["3,600,000"] * 15})
    base = alt.Chart(frame).encode(
        x=alt.X("report:N", axis=alt.Axis(orient="top", labelAngle=0)),
        y=alt.Y("quantity:N", sort=names, axis=alt.Axis(labelLimit=240)))
    spec = theme.themed((base.mark_rect() + base.mark_text(fontSize=11).encode(text="cell:N"))
                        .properties(width=400, height=alt.Step(48))).to_dict()
    narrow = theme.narrow_spec(spec)
    assert narrow["facet"]["row"]["field"] == "quantity"
    assert narrow["facet"]["row"]["sort"] == names
    assert all("y" not in layer["encoding"] for layer in narrow["spec"]["layer"])
    assert theme.drawn_width(narrow) <= theme.NARROW_WIDTH
    assert min(theme.font_sizes(narrow)) >= theme.MIN_TEXT
    # The cells keep at least half their designed width: 5 cells of >= 40 px for "3,600,000".
    assert narrow["spec"]["width"] >= 200


def test_two_small_views_stay_side_by_side_on_a_phone():
    """Views that fit side by side once narrower stay side by side (a caption may call them
    "left" and "right"); the wide chart above, whose views do not fit so, is stacked."""
    frame = pd.DataFrame({"gap": [0, 4, 8, 12] * 2, "n": [2] * 4 + [3] * 4,
                          "share": [0.6, 0.7, 0.8, 0.9, 0.5, 0.6, 0.7, 0.8]})
    line = alt.Chart(frame).mark_line(point=True).encode(x="gap:Q", y="share:Q", color="n:O")
    spec = theme.themed(alt.hconcat(line.properties(width=220), line.properties(width=220))
                        ).to_dict()
    assert theme.drawn_width(spec) > theme.NARROW_WIDTH
    narrow = theme.narrow_spec(spec)
    assert "hconcat" in narrow and theme.drawn_width(narrow) <= theme.NARROW_WIDTH
    assert all(view["width"] >= theme.SIDE_PLOT for view in narrow["hconcat"])
    assert "vconcat" in theme.narrow_spec(wide_chart().to_dict())
