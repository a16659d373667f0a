"""What the tests read from `_toc.yml`: every page of the book, and the numbered chapters."""

import pathlib

import yaml

ROOT = pathlib.Path(__file__).resolve().parent.parent


def _toc():
    return yaml.safe_load((ROOT / "_toc.yml").read_text())


def _files(entries):
    for entry in entries:
        if "file" in entry:
            yield entry["file"]
        yield from _files(entry.get("chapters", []) + entry.get("sections", []))


def pages():
    """Every page listed in the table of contents, root first, in book order ("book/01_mnist")."""
    toc = _toc()
    return [toc["root"], *_files(toc.get("chapters", []) + toc.get("parts", []))]


def chapters():
    """The pages of the numbered part, in order: chapter N is ``chapters()[N - 1]``."""
    return [entry["file"] for part in _toc().get("parts", []) if part.get("numbered")
            for entry in part["chapters"]]


def source(page):
    """The source file of a page: its .ipynb, or else its .md."""
    return next(ROOT / f"{page}{suffix}" for suffix in (".ipynb", ".md") if (ROOT / f"{page}{suffix}").exists())
