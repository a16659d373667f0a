"""The live panel of the rendered book, in a real browser: the page's JavaScript CNN equals TensorFlow.

The book is built, served from 127.0.0.1 and opened in headless Chromium (Debian's, driven by
Playwright). 200 MNIST test digits go straight into the page's forward pass; the package's stroke
digits are drawn on the page's pad with real pointer events and compared with what Python makes of
the same strokes (``playground.drawing_to_image`` and the Keras CNN). The page must make no request
once it has loaded, keep its Clear button reachable from the keyboard, take touch, and fit a phone.
"""

import pathlib

import numpy as np
import pytest
from browser import require_chromium

from mnist_lessons import browser_model, load_mnist, pretrained
from mnist_lessons.drawing import DIGIT_STROKES, place_strokes
from mnist_lessons.playground import PAD_SIZE, drawing_to_image

pytestmark = [pytest.mark.slow, pytest.mark.browser]

require_chromium()
ARTIFACTS = pathlib.Path(__file__).resolve().parent / "artifacts"
CHAPTER, INTRO = "book/09_playground.html", "book/intro.html"
# Each digit at three sizes and places on the pad: small top-left, middle, large bottom-right.
PLACEMENTS = [(20, 15, 110), (70, 60, 150), (40, 30, 230)]


def _offline_context(browser, site, **options):
    """A browser context that reaches only the local server: the pages' CDN requests (MathJax, the
    widget manager) get empty answers, as they would offline."""
    context = browser.new_context(**({"viewport": {"width": 1280, "height": 1000}} | options))
    context.route("**/*", lambda route: route.continue_() if route.request.url.startswith(site)
                  else route.fulfill(status=200, body=""))
    return context


@pytest.fixture(scope="module")
def chapter(book_site, chromium_browser):
    """Chapter 9 open in a page (no network beyond the local server); yields (page, requests after load, errors)."""
    context = _offline_context(chromium_browser, book_site)
    page = context.new_page()
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{book_site}/{CHAPTER}", wait_until="networkidle")
    page.wait_for_function("window.MnistLive && MnistLive.panels.length > 0")
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    yield page, requests, errors
    context.close()


def _own(errors):
    # Offline, the CDN scripts the theme loads come back empty and fail their integrity check: not
    # an error of the book's own pages (tests/test_book_browser.py lists those requests).
    return [error for error in errors if "integrity" not in error]


def _draw(page, strokes, panel=0):
    """Draw strokes (pad units) on a panel's pad with the mouse; return what the panel computed."""
    canvas = page.locator(".mnist-pad-canvas").nth(panel)
    canvas.scroll_into_view_if_needed()
    box = canvas.bounding_box()
    scale = box["width"] / PAD_SIZE
    for stroke in strokes:
        page.mouse.move(box["x"] + stroke[0][0] * scale, box["y"] + stroke[0][1] * scale)
        page.mouse.down()
        for x, y in stroke[1:]:
            page.mouse.move(box["x"] + x * scale, box["y"] + y * scale, steps=3)
        page.mouse.up()
    return page.evaluate(f"""() => {{
        const panel = MnistLive.panels[{panel}];
        return {{strokes: panel.strokes(), probabilities: panel.last && panel.last.probabilities,
                 image: panel.last && Array.from(panel.last.image), latency: panel.latencyMs}};
    }}""")


def _clear(page, panel=0):
    page.locator(".mnist-pad-clear").nth(panel).click()


def test_the_page_forward_pass_equals_tensorflow_on_200_test_digits(chapter):
    page, _, errors = chapter
    _, (x_test, _) = load_mnist(scale=True)
    images = x_test[:200]
    probabilities = np.array(page.evaluate(
        "(images) => images.map((image) => MnistLive.panels[0].forward(Float32Array.from(image)).probabilities)",
        images.reshape(len(images), -1).tolist()))
    keras_probabilities = pretrained("cnn").predict(images[..., None], verbose=0)
    assert np.array_equal(probabilities.argmax(axis=1), keras_probabilities.argmax(axis=1))
    assert np.abs(probabilities - keras_probabilities).max() < 1e-5
    assert not _own(errors)


def test_the_page_reads_drawn_digits_as_python_does(chapter):
    page, requests, errors = chapter
    cnn = pretrained("cnn")
    largest = 0.0
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for digit, strokes in DIGIT_STROKES.items():
        for left, top, size in PLACEMENTS:
            _clear(page)
            drawn = _draw(page, place_strokes(strokes, left=left, top=top, size=size))
            # The same strokes, as the page recorded them, prepared in Python and read by Keras.
            pad, image = drawing_to_image([[tuple(point) for point in stroke] for stroke in drawn["strokes"]])
            expected = cnn.predict(image[None, ..., None], verbose=0)[0]
            page_probabilities = np.array(drawn["probabilities"])
            where = f"digit {digit} drawn at ({left}, {top}), size {size}"
            assert page_probabilities.argmax() == expected.argmax(), where
            assert np.abs(page_probabilities - expected).max() < 0.02, where
            assert np.abs(np.array(drawn["image"]).reshape(28, 28) - image).max() < 1e-4, where
            largest = max(largest, np.abs(page_probabilities - expected).max())
    assert page.locator(".mnist-live-panel").first.get_attribute("data-prediction") is not None
    # What the panel looks like with a digit drawn: chapter 9 shows it to readers of the notebook.
    page.locator(".mnist-live-panel").first.screenshot(path=str(ARTIFACTS / "live_panel.png"))
    (ARTIFACTS / "live_panel_agreement.txt").write_text(
        f"{len(DIGIT_STROKES) * len(PLACEMENTS)} drawings: same class as Python; largest probability "
        f"difference {largest:.2e}\n")
    assert not _own(errors)
    assert requests == [], f"the page asked the network for {requests} after it had loaded"


def test_clear_is_a_keyboard_button_and_empties_the_panel(chapter):
    page, _, _ = chapter
    _draw(page, [[(140, 40), (140, 240)]])
    clear = page.locator(".mnist-pad-clear").first
    assert clear.evaluate("(button) => button.tagName") == "BUTTON"
    clear.focus()
    page.keyboard.press("Enter")
    assert page.evaluate("MnistLive.panels[0].last") is None
    assert page.evaluate("MnistLive.panels[0].strokes()") == []


def test_the_exported_weights_on_the_page_are_the_shipped_ones(book_html):
    exported = browser_model.read_exported_weights(book_html / "_static" / "mnist_live" / "cnn_weights.js")
    assert set(exported) == {"conv1", "conv2", "output"}
    for layer, arrays in exported.items():
        shipped = pretrained("cnn").get_layer(layer).get_weights()
        for ours, theirs in zip(arrays, shipped):
            np.testing.assert_array_equal(ours, theirs)


def test_touch_draws_and_the_panel_fits_a_phone(book_site, chromium_browser):
    context = _offline_context(chromium_browser, book_site, viewport={"width": 375, "height": 740},
                               has_touch=True, is_mobile=True, device_scale_factor=2)
    page = context.new_page()
    try:
        page.goto(f"{book_site}/{CHAPTER}", wait_until="networkidle")
        page.wait_for_function("window.MnistLive && MnistLive.panels.length > 0")
        panel = page.locator(".mnist-live-panel").first
        panel.scroll_into_view_if_needed()
        assert panel.evaluate("(element) => element.scrollWidth <= element.clientWidth + 1")
        box = page.locator(".mnist-pad-canvas").first.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 375
        page.touchscreen.tap(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        assert page.evaluate("MnistLive.panels[0].strokes().length") == 1
        assert page.evaluate("MnistLive.panels[0].last !== null")
    finally:
        context.close()


def test_the_intro_page_has_a_compact_panel_that_reads_a_drawing(book_site, chromium_browser):
    context = _offline_context(chromium_browser, book_site)
    page = context.new_page()
    try:
        page.goto(f"{book_site}/{INTRO}", wait_until="networkidle")
        page.wait_for_function("window.MnistLive && MnistLive.panels.length > 0")
        assert page.locator(".mnist-live-panel").first.get_attribute("data-variant") == "compact"
        drawn = _draw(page, [[(140, 30), (140, 250)]])
        assert int(np.argmax(drawn["probabilities"])) == 1
    finally:
        context.close()


def test_without_javascript_the_chapter_keeps_its_static_figures(book_site, chromium_browser):
    context = chromium_browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(f"{book_site}/{CHAPTER}")
        assert page.locator(".mnist-live-panel noscript").count() == 1
        assert page.locator("img").count() >= 8            # the chapter's figures, drawn when it was built
    finally:
        context.close()
