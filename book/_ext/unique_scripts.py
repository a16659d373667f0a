"""A Sphinx extension for this book: each page loads each script once.

sphinx-thebe 0.3.1 (which Jupyter Book 1 ships) adds its inline configuration script twice to every
page, so browsers report "Identifier 'THEBE_JS_URL' has already been declared". This drops repeated
entries from a page's scripts; tests/test_book_browser.py checks that pages have no console errors.
"""


def _unique_scripts(app, pagename, templatename, context, doctree):
    scripts = context.get("script_files", [])
    seen, unique = set(), []
    for script in scripts:
        # An inline script is registered once with filename None and once with "": the same script.
        filename = getattr(script, "filename", script) or ""
        key = (str(filename), tuple(sorted((k, str(v)) for k, v in getattr(script, "attributes", {}).items())))
        if key not in seen:
            seen.add(key)
            unique.append(script)
    # In place: the list is the builder's, which later handlers may still append a page's scripts to.
    scripts[:] = unique


def setup(app):
    # Early: html-page-context stops calling handlers once one of them returns a template name.
    app.connect("html-page-context", _unique_scripts, priority=100)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
