"""The built book in a real browser: every page loads offline, every chart draws, no errors.

Needs the HTML from ``make book`` (``make test`` builds it first) and Debian's Chromium; where
Chromium is absent the browser checks skip with a message saying how to install it.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

ROOT = Path(__file__).resolve().parent.parent
HTML = ROOT / "_build" / "html"
LOCAL_SCHEMES = {"file", "data", "blob", "about"}
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]

pytestmark = pytest.mark.browser


def built_pages() -> list[Path]:
    if not (HTML / "index.html").is_file():
        pytest.fail(f"no built book at {HTML}: run `make book` first")
    return sorted(p for p in HTML.rglob("*.html") if "_static" not in p.parts
                  and "_sources" not in p.parts)


def is_redirect(path: Path) -> bool:
    return 'http-equiv="Refresh"' in path.read_text(encoding="utf-8")[:500]


def chapter_pages() -> list[Path]:
    return [p for p in built_pages() if p.parent.name == "book"]


def chromium() -> str:
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if not path:
        pytest.skip("Chromium not found: `apt-get install -y chromium` to run the browser checks "
                    "(.ci/run installs it)")
    return path


@pytest.fixture(scope="module")
def browser_context():
    from playwright.sync_api import sync_playwright

    exe = chromium()
    with tempfile.TemporaryDirectory() as profile, sync_playwright() as pw:
        context = pw.chromium.launch_persistent_context(
            profile, executable_path=exe, headless=True, args=CHROMIUM_ARGS)
        yield context
        context.close()


def test_book_has_chapters():
    assert len(chapter_pages()) >= 1, "no chapter pages under _build/html/book"


@pytest.mark.parametrize("page_path", [pytest.param(p, id=p.relative_to(HTML).as_posix())
                                       for p in (built_pages() if HTML.is_dir() else [])
                                       if not is_redirect(p)])
def test_page_renders_offline(browser_context, page_path: Path):
    page = browser_context.new_page()
    outside, errors, failed = [], [], []
    page.on("request", lambda r: urlparse(r.url).scheme not in LOCAL_SCHEMES
            and outside.append(r.url))
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("requestfailed", lambda r: failed.append(r.url))
    page.route(re.compile(r"^(https?|wss?|ftp)://"), lambda route: route.abort())
    page.goto(page_path.as_uri(), wait_until="load")
    charts = page.locator("[id^='altair-viz-']")
    n_charts = charts.count()
    if n_charts:
        try:
            page.wait_for_function(
                """() => [...document.querySelectorAll("[id^='altair-viz-']")]
                         .every(d => d.querySelector('svg, canvas'))""", timeout=20_000)
        except PlaywrightTimeout:
            pass  # the assertions below say which charts did not draw and why
    drawn = page.evaluate(
        """() => [...document.querySelectorAll("[id^='altair-viz-']")]
                 .filter(d => d.querySelector('svg, canvas')).length""")
    page.close()
    assert not outside, f"{page_path.name} requested resources outside the book: {outside}"
    assert not errors, f"{page_path.name} logged console errors: {errors}"
    assert not failed, f"{page_path.name} failed to load: {failed}"
    assert drawn == n_charts, f"{page_path.name}: {n_charts - drawn} of {n_charts} charts not drawn"


def test_redirects_point_into_the_book():
    """The site's index.html only redirects; its target must be a built page."""
    for page_path in built_pages():
        if is_redirect(page_path):
            target = re.search(r'url=([^"]+)"', page_path.read_text(encoding="utf-8")).group(1)
            assert (page_path.parent / target).is_file(), f"{page_path.name} redirects to {target}"


def test_chapters_with_figures_draw_them():
    """Every glued figure in a chapter page is an Altair chart with its caption and downloads."""
    for page_path in chapter_pages():
        html = page_path.read_text(encoding="utf-8")
        for fig_id in re.findall(r'<figure[^>]*id="(fig-[a-z0-9-]+)"', html):
            block = html[html.index(f'id="{fig_id}"'):]
            block = block[: block.index("</figure>")]
            assert "altair-viz-" in block, f"{page_path.name}: {fig_id} holds no chart"
            assert "Source:" in block, f"{page_path.name}: {fig_id} has no source line"


def test_figure_downloads_exist():
    """Each PNG, SVG and CSV link in the built pages points at a file in the site."""
    links = 0
    for page_path in built_pages():
        html = page_path.read_text(encoding="utf-8")
        for href in re.findall(r'href="([^"]*_static/figures/[^"]+)"', html):
            target = (page_path.parent / unquote(href)).resolve()
            assert target.is_file(), f"{page_path.name} links to missing {href}"
            assert target.stat().st_size > 0, f"{href} is empty"
            links += 1
    assert links >= 3, "no figure download links found in the built book"


def test_chart_links_land_on_the_page():
    """Charts that link points to table rows (``#T_<table>_row<r>_col0``) link to real anchors."""
    checked = 0
    for page_path in chapter_pages():
        html = page_path.read_text(encoding="utf-8")
        for anchor in set(re.findall(r'"#(T_[A-Za-z0-9_-]+)"', html)):
            assert f'id="{anchor}"' in html, f"{page_path.name}: chart links to missing #{anchor}"
            checked += 1
    assert checked, "no chart links to table rows found (the timeline should have some)"
