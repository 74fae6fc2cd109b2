"""A small Sphinx extension for the book's HTML.

- Published tables are numbered as tables. A chapter shows a table with ``{glue:figure}`` and a
  ``:name:`` starting ``tab-``; :class:`NumberTables` turns that figure node into a
  :class:`table_figure`, which Sphinx numbers in the ``table`` sequence ("Table 3.2") and
  ``{numref}`` resolves like any table.
- Jupyter Book 1 registers some inline scripts twice (sphinx-thebe's ``const THEBE_JS_URL`` among
  them); the second copy throws "Identifier has already been declared" in the browser. This keeps
  the first copy of each script on every page.
"""

from __future__ import annotations

from docutils import nodes
from sphinx.transforms import SphinxTransform

TABLE_PREFIX = "tab-"


class table_figure(nodes.figure):  # noqa: N801 (docutils node naming)
    """A glued table with a caption: drawn like a figure, numbered as a table."""


def _caption_title(node: nodes.Element) -> str:
    for child in node.children:
        if isinstance(child, nodes.caption):
            return child.astext()
    return ""


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
    return {"parallel_read_safe": True, "parallel_write_safe": True}
