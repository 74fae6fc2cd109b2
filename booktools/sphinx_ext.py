"""A small Sphinx extension for the book's HTML (``_config.yml``: ``sphinx.local_extensions``).

- Published tables are numbered as tables. A chapter shows a table with ``{glue:figure}`` and a
  ``:name:`` starting ``tab-``; :class:`NumberTables` turns that figure node into a
  :class:`table_figure`, which Sphinx numbers in the ``table`` sequence ("Table 3.2") and
  ``{numref}`` resolves like any table.
- Every published figure and table gets a "Cite this" line under its caption: the book's title,
  its version (from ``CITATION.cff``), the id and the page anchor (``book/02_reuse.html#fig-x``),
  resolved here, at build time, from the page being built.
- The data download: when the HTML is written, ``_static/wire-and-spin-data.zip`` is made from
  the corpus manifest, the hand annotations, every figure's and table's CSV and a README that
  says what each file is (:func:`write_data_zip`).
- Jupyter Book 1 registers some inline scripts twice (sphinx-thebe's ``const THEBE_JS_URL`` among
  them); the second copy throws "Identifier has already been declared" in the browser. This keeps
  the first copy of each script on every page.
"""

from __future__ import annotations

import posixpath
import zipfile
from pathlib import Path

import yaml
from docutils import nodes
from sphinx.transforms import SphinxTransform

TABLE_PREFIX = "tab-"
FIGURE_PREFIX = "fig-"
CITATION = "CITATION.cff"
DATA_ZIP = "wire-and-spin-data.zip"


class table_figure(nodes.figure):  # noqa: N801 (docutils node naming)
    """A glued table with a caption: drawn like a figure, numbered as a table."""


def _caption_title(node: nodes.Element) -> str:
    for child in node.children:
        if isinstance(child, nodes.caption):
            return child.astext()
    return ""


def _caption_text(node: nodes.Element) -> str:
    """The caption's own words: its text up to the source line (a raw ``ws-source`` span)."""
    words = []
    for caption in (c for c in node.children if isinstance(c, nodes.caption)):
        for child in caption.children:
            if isinstance(child, nodes.raw) and "ws-source" in child.astext():
                break
            words.append(child.astext())
    return " ".join("".join(words).split())


ABSENT_CLASS = "ws-absent"  # analysis.present.publish.absent glues this marker


def _is_absent(node: nodes.Element) -> bool:
    return any(ABSENT_CLASS in raw.astext() for raw in node.findall(nodes.raw))


class NumberTables(SphinxTransform):
    """Figures whose id starts with ``tab-`` become :class:`table_figure` nodes; figures and
    tables glued as absent (no data for this corpus) are dropped before anything is numbered."""

    default_priority = 200  # after MyST-NB has put the glued output in place, before numbering

    def apply(self, **kwargs) -> None:
        for node in list(self.document.findall(nodes.figure)):
            if _is_absent(node):
                node.parent.remove(node)
                continue
            if type(node) is nodes.figure and any(i.startswith(TABLE_PREFIX)
                                                  for i in node["ids"] + node["names"]):
                new = table_figure(node.rawsource, *node.children, **node.attributes)
                new["classes"] = [*node["classes"], "ws-table"]
                new.source, new.line = node.source, node.line
                node.replace_self(new)
                for i in new["ids"]:  # numref looks the id up here: it must find the table
                    self.document.ids[i] = new
                node = new
            self.cite(node)

    def cite(self, node: nodes.figure) -> None:
        """Add the "Cite this" line to a published figure or table and remember it for the
        data download's README."""
        ids = [i for i in node["ids"] if i.startswith((FIGURE_PREFIX, TABLE_PREFIX))]
        if not ids:
            return
        item = ids[0]
        docname = self.env.docname
        page = self.app.builder.get_target_uri(docname)
        title, version = book_citation(self.app)
        line = nodes.paragraph(classes=["ws-cite"])
        line += nodes.Text(f"Cite this: {title}, version {version}, ")
        line += nodes.literal(text=item)
        line += nodes.Text(", ")
        line += nodes.reference(text=f"{page}#{item}", refuri=f"{posixpath.basename(page)}#{item}",
                                internal=True)
        line += nodes.Text(".")
        node += nodes.legend("", line)
        published = getattr(self.env, "ws_published", None)
        if published is None:
            published = self.env.ws_published = {}
        published[item] = (docname, page, _caption_text(node))


def book_citation(app) -> tuple[str, str]:
    """The book's title (``title`` in _config.yml, Sphinx's ``html_title``) and version
    (``CITATION.cff``)."""
    for folder in (Path(app.srcdir), Path(__file__).resolve().parent.parent):
        path = folder / CITATION
        if path.is_file():
            version = yaml.safe_load(path.read_text(encoding="utf-8")).get("version")
            if version:
                return app.config.html_title or app.config.project, str(version)
    raise FileNotFoundError(f"no {CITATION} with a version in {app.srcdir}")


def purge_published(app, env, docname) -> None:
    published = getattr(env, "ws_published", {})
    for item in [i for i, (doc, *_rest) in published.items() if doc == docname]:
        del published[item]


def merge_published(app, env, docnames, other) -> None:
    if not hasattr(env, "ws_published"):
        env.ws_published = {}
    env.ws_published.update(getattr(other, "ws_published", {}))


README = """Wire and Spin {version}: the data behind the book
{underline}

Built with the book from the corpus folder `{corpus}`. Every file is plain UTF-8 text.

{entries}

Cite as given in CITATION.cff; cite one figure or table by its id, the book's version and its
page anchor, as printed under it in the book.
"""


def _zip_entries(corpus: Path, figures: Path, published: dict) -> list[tuple[str, Path, str]]:
    """(name in the zip, file, what it is) for every file of the download: the manifest, the
    corpus README, the annotations and the CSV of every figure and table the book shows (files
    left in ``_static/figures`` by figures no chapter publishes any more are left out)."""
    entries = [("manifest.csv", corpus / "manifest.csv",
                "the corpus manifest: one row per article (id, file, checksum, outlet, date, "
                "label, headline and the evidence for each attribution and date)")]
    readme = corpus / "README.md"
    if readme.is_file():
        entries.append(("corpus-README.md", readme,
                        "the corpus folder's README: what each manifest column means"))
    annotations = corpus / "annotations"
    found = sorted(p for p in annotations.rglob("*") if p.is_file()) if annotations.is_dir() else []
    for path in found:
        name = path.relative_to(annotations).as_posix()
        what = ("notes on these hand annotations" if path.suffix == ".md" else
                f"hand annotations for the {name.split('/')[0]} task, against which the "
                "book measures its methods")
        entries.append((f"annotations/{name}", path, what))
    for item, (_doc, page, caption) in sorted(published.items()):
        path = figures / f"{item}.csv"
        if path.is_file():
            what = ("the table" if item.startswith(TABLE_PREFIX) else "the plotted data of the "
                    "figure")
            entries.append((f"figures/{path.name}", path,
                            f"{what} {item} ({page}#{item}): {caption}"))
    return entries


def write_data_zip(app, exception) -> None:
    """Write ``_static/wire-and-spin-data.zip`` into the built site (see the module doc)."""
    if exception is not None or app.builder.format != "html":
        return
    from booktools import book_corpus

    corpus = book_corpus()
    out = Path(app.outdir) / "_static"
    entries = _zip_entries(corpus, out / "figures", getattr(app.env, "ws_published", {}))
    _title, version = book_citation(app)
    heading = f"Wire and Spin {version}: the data behind the book"
    lines = [f"- {name}: {what}" for name, _path, what in entries]
    lines.append("- CITATION.cff: how to cite the book")
    text = README.format(version=version, underline="=" * len(heading), corpus=corpus.name,
                         entries="\n".join(lines))
    stamp = (1980, 1, 1, 0, 0, 0)  # fixed dates: the same data gives the same zip
    with zipfile.ZipFile(out / DATA_ZIP, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(zipfile.ZipInfo("README.txt", stamp), text, zipfile.ZIP_DEFLATED)
        for name, path, _what in entries:
            archive.writestr(zipfile.ZipInfo(name, stamp), path.read_bytes(),
                             zipfile.ZIP_DEFLATED)
        for folder in (Path(app.srcdir), Path(__file__).resolve().parent.parent):
            if (folder / CITATION).is_file():
                archive.writestr(zipfile.ZipInfo("CITATION.cff", stamp),
                                 (folder / CITATION).read_bytes())
                break


def _visit(self, node):
    self.visit_figure(node)


def _depart(self, node):
    self.depart_figure(node)


def _script_key(script) -> tuple:
    filename = getattr(script, "filename", script) or ""  # None and "" both mean inline
    attributes = getattr(script, "attributes", {}) or {}
    return str(filename), attributes.get("body", "")


def dedupe_scripts(app, pagename, templatename, context, doctree) -> None:
    scripts = context.get("script_files")
    if not scripts:
        return
    seen, kept = set(), []
    for script in scripts:
        key = _script_key(script)
        if key not in seen:
            seen.add(key)
            kept.append(script)
    context["script_files"] = kept


def setup(app):
    app.add_enumerable_node(table_figure, "table", _caption_title, html=(_visit, _depart),
                            latex=(_visit, _depart), text=(_visit, _depart))
    app.add_transform(NumberTables)
    app.connect("html-page-context", dedupe_scripts, priority=900)
    app.connect("env-purge-doc", purge_published)
    app.connect("env-merge-info", merge_published)
    app.connect("build-finished", write_data_zip)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
