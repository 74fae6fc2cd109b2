"""The offline Vega bundle: ``python -m booktools.bundle`` (``make bundle``).

Writes one JavaScript file with Vega, Vega-Lite and Vega-Embed (from ``vl-convert``) into the
book's ``_static/``, ending with the ``VEGA_DEBUG`` line that tells Altair's HTML output the
libraries are already loaded, so charts render with no network (the book's own renderer,
:mod:`analysis.present.theme`, needs only the bundle). ``book-for`` writes the same file into
the copy of the book it builds.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUNDLE = ROOT / "_static" / "vega-bundle.js"


def altair_versions() -> dict[str, str]:
    """The library versions Altair's notebook HTML (the "universal" template) asks for."""
    import altair as alt
    import pandas as pd

    html_out = alt.Chart(pd.DataFrame({"x": [0]})).mark_point().to_html(template="universal")
    found = dict(re.findall(r'maybeLoadScript\("([a-z-]+)", "([^"]+)"\)', html_out))
    if set(found) != {"vega", "vega-lite", "vega-embed"}:
        raise RuntimeError(f"unexpected Altair HTML template; found {found}")
    return {f"{lib.replace('-', '')}_version": version for lib, version in found.items()}


def write_bundle(path: Path = BUNDLE) -> Path:
    """Write the offline Vega bundle plus the ``VEGA_DEBUG`` line; returns the path."""
    import vl_convert as vlc

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
    if sys.argv[1:]:
        raise SystemExit("usage: python -m booktools.bundle   (writes _static/vega-bundle.js)")
    print(f"wrote {write_bundle()}")
