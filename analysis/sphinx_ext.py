"""A small Sphinx extension for the book's HTML.

Jupyter Book 1 registers some inline scripts twice (sphinx-thebe's ``const THEBE_JS_URL`` among
them); the second copy throws "Identifier has already been declared" in the browser. This keeps
the first copy of each script on every page.
"""

from __future__ import annotations


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
    app.connect("html-page-context", dedupe_scripts, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
