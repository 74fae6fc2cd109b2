"""A small Sphinx extension for the book's HTML (``_config.yml``: ``sphinx.local_extensions``).

- Published tables are numbered as tables. A chapter shows a table with ``{glue:figure}`` and a
  ``:name:`` starting ``tab-``; :class:`NumberTables` turns that figure node into a
  :class:`table_figure`, which Sphinx numbers in the ``table`` sequence ("Table 3.2") and
  ``{numref}`` resolves like any table.
- Every published figure and table gets a "Cite this" line under its caption, in plain text:
  the authors, year (of ``date-released``), title and version from ``CITATION.cff``, then the
  figure's or table's address, which holds its id once: the book's base URL + the page's path +
  ``#`` + the id (``https://wire-and-spin.example.org/book/02_reuse.html#fig-x``). The base URL
  is one setting, ``html.baseurl`` in ``_config.yml`` (Sphinx's ``html_baseurl``), mirrored as
  ``url`` in ``CITATION.cff``; the build warns when they differ. :func:`cite_text` formats the
  line; the page's path is resolved when the page is written, so a changed base URL or
  ``CITATION.cff`` never leaves an old line in a page.
- The data download: when the HTML is written, ``_static/wire-and-spin-data.zip`` is made from
  the corpus manifest, the hand annotations, every figure's and table's CSV and a README that
  says what each file is (:func:`write_data_zip`).
- Jupyter Book 1 registers some inline scripts twice (sphinx-thebe's ``const THEBE_JS_URL`` among
  them); the second copy throws "Identifier has already been declared" in the browser. This keeps
  the first copy of each script on every page.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlsplit

import yaml
from docutils import nodes
from sphinx.transforms import SphinxTransform
from sphinx.util import logging

logger = logging.getLogger(__name__)

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
        """Add the place of the "Cite this" line to a published figure or table (filled in by
        :func:`fill_cite_lines` when the page is written) and remember the item for the data
        download's README."""
        ids = [i for i in node["ids"] if i.startswith((FIGURE_PREFIX, TABLE_PREFIX))]
        if not ids:
            return
        item = ids[0]
        docname = self.env.docname
        page = self.app.builder.get_target_uri(docname)
        self.env.note_dependency(str(citation_file(self.app)))  # a new version re-reads the page
        node += nodes.legend("", nodes.paragraph(classes=[CITE_CLASS], **{CITE_ITEM: item}))
        published = getattr(self.env, "ws_published", None)
        if published is None:
            published = self.env.ws_published = {}
        published[item] = (docname, page, _caption_text(node))


# --- "Cite this" -----------------------------------------------------------------------------

CITE_CLASS = "ws-cite"
CITE_ITEM = "ws_item"  # the placeholder paragraph's attribute: the id it cites
_URL_CHARS = re.compile(r"^[A-Za-z0-9\-._~:/@!$&'()*+,;=%]+$")  # no space, quote, <, >, ?, #


@dataclass(frozen=True)
class Citation:
    """What ``CITATION.cff`` says about the book, each value one line of plain text."""

    authors: str
    year: str
    title: str
    version: str
    url: str  # the ``url`` field ("" when absent): the base URL's mirror


def _plain(value) -> str:
    return " ".join(str(value).split()) if value is not None else ""


def _author(entry) -> str:
    """One CFF author: a person's names in reading order, or an entity's name."""
    if not isinstance(entry, dict):
        return _plain(entry)
    if entry.get("name"):
        return _plain(entry["name"])
    parts = [_plain(entry.get(k)) for k in ("given-names", "name-particle", "family-names",
                                             "name-suffix")]
    return " ".join(p for p in parts if p) or _plain(entry.get("alias"))


def _join(names: list[str]) -> str:
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def read_citation(path: Path | str) -> Citation:
    """The book's citation from the ``CITATION.cff`` at ``path``; a missing field is named."""
    path = Path(path)
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    authors = [a for a in (_author(e) for e in data.get("authors") or []) if a]
    year = _plain(data.get("date-released"))[:4]  # YAML reads 2026-11-21 as a date
    found = {"authors": _join(authors) if authors else "",
             "date-released": year if re.fullmatch(r"\d{4}", year) else "",
             "title": _plain(data.get("title")), "version": _plain(data.get("version"))}
    missing = [name for name, value in found.items() if not value]
    if missing:
        raise ValueError(f"{path}: no {', '.join(missing)} (the 'Cite this' lines need them)")
    return Citation(authors=found["authors"], year=found["date-released"], title=found["title"],
                    version=found["version"], url=_plain(data.get("url")))


def check_base_url(value: str) -> str:
    """``value`` if it is an http(s) address that can start a figure's address (no query, no
    fragment, no spaces or quotes); else a ValueError saying what to set."""
    value = _plain(value)
    parts = urlsplit(value)
    if (parts.scheme not in ("http", "https") or not parts.netloc or "?" in value
            or "#" in value or not _URL_CHARS.match(value)):
        raise ValueError(f"base URL {value!r} is not an http(s) address such as "
                         "https://wire-and-spin.example.org/ (set html.baseurl in _config.yml "
                         "and url in CITATION.cff)")
    return value


def cite_url(base_url: str, page: str, item: str) -> str:
    """The absolute address of ``item`` on ``page`` (a path in the site, ``book/x.html``):
    ``base_url`` with or without its closing slash, then the page, then ``#item``. With no
    base URL, the page's path alone."""
    path = quote(page.lstrip("/"), safe="/")
    address = f"{base_url.rstrip('/')}/{path}" if base_url else path
    return f"{address}#{item}"


def cite_text(citation: Citation, base_url: str, page: str, item: str) -> str:
    """The "Cite this" line of ``item`` (a ``fig-`` or ``tab-`` id) on ``page``, as plain text:

    ``Cite this: AUTHORS (YEAR). TITLE, version VERSION, figure at BASE/PAGE#ID``
    """
    kind = "table" if item.startswith(TABLE_PREFIX) else "figure"
    return (f"Cite this: {citation.authors} ({citation.year}). {citation.title}, version "
            f"{citation.version}, {kind} at {cite_url(base_url, page, item)}")


def cite_line(citation: Citation, base_url: str, page: str, item: str) -> list[nodes.Node]:
    """:func:`cite_text` as docutils nodes: text only (written escaped), the address in a span
    the theme lets break anywhere, so a long one never widens a phone's page."""
    text = cite_text(citation, base_url, page, item)
    url = cite_url(base_url, page, item)
    head = text[: len(text) - len(url)]
    return [nodes.Text(head), nodes.inline(url, url, classes=["text-break"])]


def citation_file(app) -> Path:
    """The ``CITATION.cff`` of the book being built (a ``book-for`` copy holds its own), else
    the project's."""
    for folder in (Path(app.srcdir), Path(__file__).resolve().parent.parent):
        if (folder / CITATION).is_file():
            return folder / CITATION
    raise FileNotFoundError(f"no {CITATION} in {app.srcdir}")


def book_citation(app) -> Citation:
    return read_citation(citation_file(app))


def book_base_url(app) -> str:
    """The base URL: ``html_baseurl`` (``html.baseurl`` in _config.yml), else ``url`` in
    ``CITATION.cff``; "" (the line then gives the page's path) when neither is set."""
    value = app.config.html_baseurl or book_citation(app).url
    return check_base_url(value) if value else ""


def check_citation(app) -> None:
    """At the start of a build: the citation reads, the base URL is an address, and
    _config.yml and CITATION.cff agree on it (a warning otherwise, an error under -W)."""
    citation = book_citation(app)
    base = book_base_url(app)
    configured = _plain(app.config.html_baseurl)
    if not base:
        logger.warning("no base URL: set html.baseurl in _config.yml and url in %s; the 'Cite "
                       "this' lines give page paths only", CITATION)
    elif configured and citation.url and configured.rstrip("/") != citation.url.rstrip("/"):
        logger.warning("html.baseurl in _config.yml (%s) and url in %s (%s) differ: set both "
                       "to the book's address", configured, CITATION, citation.url)


def fill_cite_lines(app, doctree, docname) -> None:
    """Fill in the "Cite this" lines of the page being written."""
    lines = [p for p in doctree.findall(nodes.paragraph) if p.get(CITE_ITEM)]
    if not lines:
        return
    citation, base = book_citation(app), book_base_url(app)
    page = app.builder.get_target_uri(docname)
    for line in lines:
        line.children = []
        line += cite_line(citation, base, page, line[CITE_ITEM])
        del line[CITE_ITEM]


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

Cite the book as given in CITATION.cff; cite one figure or table by the "Cite this" line
printed under it in the book: authors, year, title, version and its address (given above for
each figure's and table's file).
"""


def _zip_entries(corpus: Path, figures: Path, published: dict,
                 base_url: str = "") -> list[tuple[str, Path, str]]:
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
                            f"{what} {item} ({cite_url(base_url, page, item)}): {caption}"))
    return entries


def write_data_zip(app, exception) -> None:
    """Write ``_static/wire-and-spin-data.zip`` into the built site (see the module doc)."""
    if exception is not None or app.builder.format != "html":
        return
    from booktools import book_corpus

    corpus = book_corpus()
    out = Path(app.outdir) / "_static"
    entries = _zip_entries(corpus, out / "figures", getattr(app.env, "ws_published", {}),
                           book_base_url(app))
    version = book_citation(app).version
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
        archive.writestr(zipfile.ZipInfo("CITATION.cff", stamp),
                         citation_file(app).read_bytes())


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
    app.connect("builder-inited", check_citation)
    app.connect("doctree-resolved", fill_cite_lines)
    app.connect("env-purge-doc", purge_published)
    app.connect("env-merge-info", merge_published)
    app.connect("build-finished", write_data_zip)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
