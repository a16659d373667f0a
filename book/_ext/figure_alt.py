"""Sphinx extension: every figure's image says what it shows, in its ``alt`` text, taken from its caption.

A chapter's figure is a notebook output with a caption in its cell's metadata
(``"mystnb": {"figure": {"caption": ...}}``); myst-nb gives its image no ``alt``, and the HTML
writer then falls back on the file name (``alt="../_images/<hash>.png"``), which a screen reader
reads out. This copies the caption's text into the image's ``alt`` wherever the image has none of
its own (a Markdown image's ``![alt](path)`` is kept). tests/test_book_html.py fails on any ``alt``
that is empty or a file name.
"""

from docutils import nodes


def _plain(text):
    return " ".join(text.split())


def _alt_from_captions(app, doctree, docname):
    for image in doctree.findall(nodes.image):
        alt = image.get("alt", "")
        if alt and alt != image.get("uri"):
            continue
        figure = image.parent
        while figure is not None and not isinstance(figure, nodes.figure):
            figure = figure.parent
        captions = [child for child in figure.children if isinstance(child, nodes.caption)] if figure else []
        if captions:
            image["alt"] = _plain(captions[0].astext())


def setup(app):
    app.connect("doctree-resolved", _alt_from_captions)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
