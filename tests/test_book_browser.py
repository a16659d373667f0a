"""The rendered book in a real browser, as a reader opens it.

The book is built (warnings as errors), served from 127.0.0.1 and opened in headless Chromium
(Debian's, driven by Playwright; no browser downloads are possible here). Every page of the table
of contents must load without console errors, show every image, give every figure an alt
text that says what it shows, and link only to pages and anchors that exist; chapter pages link to
their notebook in Colab; the search page finds the softmax chapter. Without chromium the test is skipped, unless
MNIST_LESSONS_REQUIRE_BROWSER=1 (set by .ci/run).

This machine has no internet, so requests to other hosts (MathJax's CDN)
are answered with an empty response and listed in tests/artifacts/external_requests.txt; the test
proves the book's own pages work, not that those CDNs are up.
"""

import functools
import html as html_lib
import pathlib
import re
import urllib.parse
import urllib.request

import book_toc
import pytest
import yaml
from browser import require_chromium

pytestmark = [pytest.mark.slow, pytest.mark.browser]

ROOT = pathlib.Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "tests" / "artifacts"

playwright_api = require_chromium()
PAGES = book_toc.pages()
CONFIG = yaml.safe_load((ROOT / "_config.yml").read_text())


@pytest.fixture(scope="module")
def visits(book_site, chromium_browser):
    """Open every page once; return what each showed: console errors, images, links, Colab link."""
    external = set()

    def route(request_route):
        url = request_route.request.url
        if url.startswith(book_site):
            request_route.continue_()
        else:                                  # no internet here: an empty answer, recorded
            external.add(url.split("?")[0])
            request_route.fulfill(status=200, body="", content_type="application/javascript"
                                  if url.split("?")[0].endswith(".js") else "text/plain")

    context = chromium_browser.new_context(viewport={"width": 1280, "height": 900})
    context.route("**/*", route)
    results = {}
    try:
        for name in PAGES:
            page = context.new_page()
            errors = []

            def console(message, errors=errors):
                if message.type == "error":
                    errors.append(message.text)

            page.on("console", console)
            page.on("pageerror", lambda error, errors=errors: errors.append(str(error)))
            page.goto(f"{book_site}/{name}.html", wait_until="networkidle")
            # Lazy images load when scrolled to; make them load now and wait for every one.
            images = page.evaluate("""async () => {
                const images = Array.from(document.querySelectorAll('img'));
                images.forEach(img => { img.loading = 'eager'; });
                await Promise.all(images.map(img => img.complete ? null : new Promise(done => {
                    img.addEventListener('load', done); img.addEventListener('error', done); })));
                return images.map(img => ({src: img.currentSrc || img.src, width: img.naturalWidth,
                    alt: (img.getAttribute('alt') || '').trim(),
                    caption: (img.closest('figure') && img.closest('figure').querySelector('figcaption'))
                             ? img.closest('figure').querySelector('figcaption').innerText.trim() : '',
                    inArticle: !!img.closest('article')}));
            }""")
            links = page.evaluate("Array.from(document.querySelectorAll('a[href]')).map(a => a.href)")
            colab = page.evaluate("""Array.from(document.querySelectorAll('a[href*="colab.research.google.com"]'))
                                     .map(a => a.href)""")
            results[name] = {"errors": errors, "images": images, "links": links, "colab": colab}
            if name.endswith("07_inside_the_model"):
                ARTIFACTS.mkdir(exist_ok=True)
                page.screenshot(path=str(ARTIFACTS / "book_07_inside_the_model.png"), full_page=True)
            page.close()
        search = context.new_page()
        search.goto(f"{book_site}/search.html?q=softmax", wait_until="networkidle")
        search.wait_for_selector("#search-results ul.search li a", timeout=30_000)
        results["_search"] = search.evaluate(
            "Array.from(document.querySelectorAll('#search-results ul.search li a')).map(a => a.href)")
        search.close()
    finally:
        context.close()
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "external_requests.txt").write_text("\n".join(sorted(external)) + "\n")
    results["_external"] = sorted(external)
    return results


@pytest.mark.parametrize("name", PAGES)
def test_page_loads_without_console_errors(visits, name):
    # Offline (every other host answers with nothing), no page reports an error: none loads a CDN
    # script pinned by an integrity hash (require.js and the widget manager, which Jupyter Book adds
    # to a notebook page that stores widget state; tests/test_book_html.py keeps them out).
    assert visits[name]["errors"] == []


@pytest.mark.parametrize("name", PAGES)
def test_every_image_is_shown(visits, name):
    for image in visits[name]["images"]:
        assert image["width"] > 0, f"{name}: {image['src']} did not load"


@pytest.mark.parametrize("name", PAGES)
def test_every_figure_says_what_it_shows(visits, name):
    for image in visits[name]["images"]:
        if image["inArticle"]:
            # The alt text is what a screen reader reads: words, never the image's file name.
            assert image["alt"] and not image["alt"].endswith((".png", ".svg", ".jpg")), \
                f"{name}: {image['src']} has the alt text {image['alt']!r}"


@pytest.mark.parametrize("name", [name for name in PAGES if (ROOT / f"{name}.ipynb").exists()])
def test_notebook_page_links_to_itself_in_colab(visits, name):
    repo = CONFIG["repository"]["url"].removeprefix("https://github.com/")
    branch = CONFIG["repository"]["branch"]  # the release tag the Colab cell installs
    expected = f"https://colab.research.google.com/github/{repo}/blob/{branch}/{name}.ipynb"
    assert visits[name]["colab"] == [expected]


def test_search_finds_the_softmax_chapter(visits):
    assert any(urllib.parse.urlparse(href).path.endswith("/book/05_softmax.html") for href in visits["_search"])


@functools.lru_cache(maxsize=None)
def _ids(path):
    """The element ids of a built page: the anchors a link may point to."""
    return {html_lib.unescape(value) for value in re.findall(r'\bid="([^"]+)"', path.read_text())}


@pytest.mark.parametrize("name", PAGES)
def test_every_internal_link_resolves(visits, book_site, book_html, name):
    for href in visits[name]["links"]:
        if not href.startswith(book_site):
            continue
        url = urllib.parse.urlparse(href)
        target = book_html / urllib.parse.unquote(url.path).lstrip("/")
        if target.is_dir():
            target = target / "index.html"
        assert target.is_file(), f"{name}: link to a missing page {href}"
        if url.fragment and target.suffix == ".html":
            assert urllib.parse.unquote(url.fragment) in _ids(target), f"{name}: link to a missing anchor {href}"
