"""Sphinx extension: the live draw-a-digit panel of the book's pages.

A page shows the panel where its Markdown has ``<div class="mnist-live-panel">``
(``data-variant="compact"`` leaves the layers out). On every build this extension writes
the panel's files into ``_static/mnist_live/``: the package's JavaScript and stylesheet,
and the shipped CNN's weights exported afresh from ``mnist_lessons/weights/cnn.keras`` (so
a stale export cannot be published), with the layout, sizes and sample digits Python
defines (``browser_model.export_weights``), and it adds the scripts to the pages that hold
a panel. Without JavaScript those pages show their static figures as before.
"""

import pathlib
import shutil

import mnist_lessons
from mnist_lessons import browser_model

mnist_lessons.import_tensorflow_quietly()   # the export imports Keras: keep its start-up notices out of the log

FOLDER = "mnist_live"


def _write_assets(app, exception):
    if exception is not None or app.builder.format != "html":
        return
    target = pathlib.Path(app.outdir) / "_static" / FOLDER
    target.mkdir(parents=True, exist_ok=True)
    for name in (*browser_model.JAVASCRIPT, browser_model.STYLESHEET):
        shutil.copyfile(browser_model.web_file(name), target / name)
    browser_model.export_weights(target / browser_model.WEIGHTS_SCRIPT)


def _add_scripts(app, pagename, templatename, context, doctree):
    if "mnist-live-panel" not in context.get("body", ""):
        return
    static = context["pathto"](f"_static/{FOLDER}", 1)
    tags = [f'<link rel="stylesheet" href="{static}/{browser_model.STYLESHEET}">',
            f'<script src="{static}/{browser_model.WEIGHTS_SCRIPT}"></script>']
    tags += [f'<script src="{static}/{name}"></script>' for name in browser_model.JAVASCRIPT]
    context["body"] += "\n" + "\n".join(tags) + "\n"


def setup(app):
    app.connect("html-page-context", _add_scripts)
    app.connect("build-finished", _write_assets)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
