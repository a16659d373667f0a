"""The built HTML, read as a screen reader and an offline reader meet it: alt texts and CDN scripts."""

import html
import json
import pathlib
import re

import book_toc
import pytest

pytestmark = [pytest.mark.slow]

ROOT = pathlib.Path(__file__).resolve().parent.parent
PAGES = book_toc.pages()
# What Jupyter Book adds to a page that stores widget state: require.js and the widget manager, from CDNs.
WIDGET_SCRIPTS = ("require.min.js", "require.js", "@jupyter-widgets/html-manager", "embed-amd.js")


def _page(book_html, name):
    return (book_html / f"{name}.html").read_text(encoding="utf-8")


def _article(text):
    match = re.search(r"<article\b.*?</article>", text, re.S)
    return match.group(0) if match else ""


@pytest.mark.parametrize("name", PAGES)
def test_every_image_says_what_it_shows(book_html, name):
    for tag in re.findall(r"<img\b[^>]*>", _article(_page(book_html, name))):
        found = re.search(r'\balt="([^"]*)"', tag)
        alt = html.unescape(found.group(1)).strip() if found else ""
        src = re.search(r'\bsrc="([^"]*)"', tag).group(1)
        assert alt, f"{name}: {src} has no alt text"
        assert not re.search(r"\.(png|jpe?g|gif|svg)$", alt, re.I) and "_images/" not in alt, \
            f"{name}: the alt text of {src} is a file name: {alt!r}"
        assert len(alt.split()) >= 3, f"{name}: the alt text of {src} says too little: {alt!r}"


@pytest.mark.parametrize("name", PAGES)
def test_no_page_loads_the_widget_manager_unless_it_shows_a_live_widget(book_html, name):
    text = _page(book_html, name)
    scripts = re.findall(r'<script\b[^>]*\bsrc="([^"]+)"', text)
    loaded = [src for src in scripts if any(part in src for part in WIDGET_SCRIPTS)]
    shows_widget = "application/vnd.jupyter.widget-view+json" in text
    assert shows_widget or loaded == [], f"{name} loads {loaded} but shows no widget"


def test_chapter_9_shows_the_live_panel_and_not_its_screenshot(book_html):
    text = _page(book_html, "book/09_playground")
    assert 'class="mnist-live-panel"' in text
    assert "live_panel.png" not in text and "attachment:" not in text


def test_the_widget_free_path_reaches_the_page(book_html):
    # Chapter 9's section for readers without widgets is on the page, with its printed output.
    text = _page(book_html, "book/09_playground")
    assert 'id="without-widgets"' in text and "read as" in text
    notebook = json.loads((ROOT / "book" / "09_playground.ipynb").read_text())
    assert "widgets" not in notebook["metadata"]
