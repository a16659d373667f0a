"""The live panel of the rendered book, in a real browser: the page's JavaScript CNN equals TensorFlow.

The book is built, served from 127.0.0.1 and opened in headless Chromium (Debian's, driven by
Playwright). MNIST test digits go straight into the page's forward pass; the package's stroke
digits are drawn on the page's pad with real pointer events, and every layer the page computes
for them (conv1, pool1, conv2, pool2, flatten, the logits, the probabilities) is compared with
the Keras CNN's own layer outputs, and the page's preparation with Python's. The panel must also
work without a pointer (sample digits from the keyboard), announce its answer, show the
receptive field and filter of a map cell, guide a small drawing, make no request once loaded,
and show pad and answer together on a phone.
"""

import pathlib
import re

import numpy as np
import pytest
from browser import require_chromium

from mnist_lessons import browser_model, load_mnist, pretrained
from mnist_lessons.activations import layer_activations
from mnist_lessons.constants import PAD_SIZE
from mnist_lessons.drawing import DIGIT_STROKES, place_strokes
from mnist_lessons.models import logits_model
from mnist_lessons.playground import GUIDANCE, drawing_guidance, drawing_to_image

pytestmark = [pytest.mark.slow, pytest.mark.browser]

require_chromium()
ARTIFACTS = pathlib.Path(__file__).resolve().parent / "artifacts"
CHAPTER, INTRO = "book/09_playground.html", "book/intro.html"
TOLERANCE = browser_model.TOLERANCE
# The page's names for its layers' outputs; its "output" is the logits (Keras' includes the softmax).
MAP_LAYERS = ("conv1", "pool1", "conv2", "pool2", "flatten")


def _offline_context(browser, site, **options):
    """A browser context that reaches only the local server: any other request gets an empty answer,
    as the book's CDN scripts (MathJax) would get nothing offline."""
    context = browser.new_context(**({"viewport": {"width": 1280, "height": 1000}} | options))
    context.route("**/*", lambda route: route.continue_() if route.request.url.startswith(site)
                  else route.fulfill(status=200, body=""))
    return context


def _open(context, site, name=CHAPTER):
    page = context.new_page()
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{site}/{name}", wait_until="networkidle")
    page.wait_for_function("window.MnistLive && MnistLive.panels.length > 0")
    return page, errors


@pytest.fixture(scope="module")
def chapter(book_site, chromium_browser):
    """Chapter 9 open in a page (no network beyond the local server); yields (page, requests after load, errors)."""
    context = _offline_context(chromium_browser, book_site)
    page, errors = _open(context, book_site)
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    yield page, requests, errors
    context.close()


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
    return _last(page, panel)


def _last(page, panel=0):
    """What a panel computed last: strokes, prepared image, every layer, logits, probabilities, guidance."""
    return page.evaluate(f"""() => {{
        const panel = MnistLive.panels[{panel}], last = panel.last;
        if (!last) return {{strokes: panel.strokes(), last: null}};
        const outputs = {{}};
        for (const [name, [values, shape]] of Object.entries(last.outputs)) outputs[name] = [Array.from(values), shape];
        return {{strokes: panel.strokes(), image: Array.from(last.image), outputs, logits: Array.from(last.logits),
                 probabilities: last.probabilities, latency: panel.latencyMs,
                 guidance: panel.element.dataset.guidance || null,
                 verdict: panel.element.querySelector(".mnist-live-verdict").textContent}};
    }}""")


def _clear(page, panel=0):
    page.locator(".mnist-pad-clear").nth(panel).click()


def test_the_page_forward_pass_equals_tensorflow_on_test_digits(chapter):
    page, _, errors = chapter
    _, (x_test, _) = load_mnist(scale=True)
    images = x_test[:browser_model.TESTED_DIGITS]
    probabilities = np.array(page.evaluate(
        "(images) => images.map((image) => MnistLive.panels[0].forward(Float32Array.from(image)).probabilities)",
        images.reshape(len(images), -1).tolist()))
    keras_probabilities = pretrained("cnn").predict(images[..., None], verbose=0)
    assert np.array_equal(probabilities.argmax(axis=1), keras_probabilities.argmax(axis=1))
    assert np.abs(probabilities - keras_probabilities).max() < TOLERANCE
    assert errors == []


def test_every_layer_of_drawn_digits_equals_keras(chapter):
    page, requests, errors = chapter
    cnn = pretrained("cnn")
    logits_of = logits_model(cnn)
    largest = dict.fromkeys((*MAP_LAYERS, "logits", "probabilities", "image"), 0.0)
    drawings = 0
    for digit, strokes in DIGIT_STROKES.items():
        for left, top, size in browser_model.TESTED_PLACEMENTS:
            _clear(page)
            drawn = _draw(page, place_strokes(strokes, left=left, top=top, size=size))
            where = f"digit {digit} drawn at ({left}, {top}), size {size}"
            # The same strokes, as the page recorded them, prepared in Python.
            pad, image = drawing_to_image([[tuple(point) for point in stroke] for stroke in drawn["strokes"]])
            page_image = np.array(drawn["image"], np.float32).reshape(image.shape)
            largest["image"] = max(largest["image"], np.abs(page_image - image).max())
            assert drawn["guidance"] == drawing_guidance(pad), where
            # Every layer Keras computes on the page's image, against the page's own.
            keras = layer_activations(cnn, page_image[None, ..., None])
            for name in MAP_LAYERS:
                values, shape = drawn["outputs"][name]
                assert tuple(shape) == keras[name].shape[1:], (where, name)
                difference = np.abs(np.array(values) - keras[name][0].ravel()).max()
                largest[name] = max(largest[name], difference)
            logits = logits_of.predict(page_image[None, ..., None], verbose=0)[0]
            largest["logits"] = max(largest["logits"], np.abs(np.array(drawn["logits"]) - logits).max())
            largest["probabilities"] = max(largest["probabilities"],
                                           np.abs(np.array(drawn["probabilities"]) - keras["output"][0]).max())
            assert int(np.argmax(drawn["probabilities"])) == int(keras["output"][0].argmax()), where
            drawings += 1
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "live_panel_agreement.txt").write_text(
        f"{drawings} drawings, the page against Keras, largest difference per layer:\n"
        + "".join(f"  {name}: {value:.2e}\n" for name, value in largest.items()))
    assert drawings >= 20
    assert max(value for name, value in largest.items() if name != "image") < TOLERANCE, largest
    assert largest["image"] < TOLERANCE, largest            # the page prepares a drawing as Python does
    assert errors == []
    assert requests == [], f"the page asked the network for {requests} after it had loaded"


def test_the_screenshot_for_notebook_readers(book_site, chromium_browser):
    # What the panel looks like with a digit drawn: chapter 9 shows it to readers of the notebook.
    # A window tall enough for the whole panel, so that nothing scrolls and the theme's bars stay above it.
    context = _offline_context(chromium_browser, book_site, viewport={"width": 1280, "height": 3600})
    try:
        page, errors = _open(context, book_site)
        _draw(page, place_strokes(DIGIT_STROKES[9], left=50, top=30, size=210))
        page.wait_for_timeout(300)
        box = page.locator(".mnist-live-panel").first.bounding_box()
        assert box["y"] + box["height"] < 3600
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "live_panel.png"), clip=box)
        assert errors == []
    finally:
        context.close()


def test_before_the_first_stroke_the_panel_shows_a_test_digit_and_says_what_each_row_is(book_site, chromium_browser):
    context = _offline_context(chromium_browser, book_site)
    try:
        page, errors = _open(context, book_site)
        sample = page.evaluate("MnistLive.panels[0].sample")
        _, (x_test, y_test) = load_mnist(scale=True)
        assert page.evaluate("Array.from(MnistLive.panels[0].last.image)") == x_test[sample["index"]].ravel().tolist()
        verdict = page.locator(".mnist-live-verdict").first.text_content()
        assert verdict.startswith(f"MNIST test digit {sample['index']}, labelled {y_test[sample['index']]}.")
        rows = page.locator(".mnist-live-layer > summary")
        names = [rows.nth(i).locator("code").text_content() for i in range(rows.count())]
        assert names == ["conv1", "pool1", "conv2", "pool2", "flatten", "output (logits)", "softmax"]
        for i in range(rows.count()):
            assert len(rows.nth(i).text_content().split()) >= 10        # a sentence, not a bare label
        # The first row is open on the test digit: its 32 maps are drawn, not empty.
        assert page.locator('.mnist-live-layer[data-layer="conv1"]').first.get_attribute("open") is not None
        assert page.locator('.mnist-live-layer[data-layer="conv1"] .mnist-live-map canvas').count() == 32
        assert errors == []
    finally:
        context.close()


def test_sample_digits_from_the_keyboard_are_read_and_announced(chapter):
    page, _, _ = chapter
    _, (x_test, y_test) = load_mnist(scale=True)
    page.locator(".mnist-pad-clear").first.focus()
    page.keyboard.press("Enter")                                    # Clear, from the keyboard
    assert page.evaluate("MnistLive.panels[0].last") is None
    page.keyboard.press("Tab")                                      # the next control: the sample "0"
    assert page.evaluate("document.activeElement.className") == "mnist-live-sample"
    for _ in range(8):
        page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "8"
    page.keyboard.press("Enter")
    first = page.evaluate("MnistLive.panels[0].sample")
    page.keyboard.press(" ")                                        # again: the next 8 of the test set
    second = page.evaluate("MnistLive.panels[0].sample")
    assert first["label"] == second["label"] == 8 and first["index"] != second["index"]
    drawn = _last(page)
    assert drawn["image"] == x_test[second["index"]].ravel().tolist()
    keras = pretrained("cnn").predict(x_test[second["index"]][None, ..., None], verbose=0)[0]
    assert np.abs(np.array(drawn["probabilities"]) - keras).max() < TOLERANCE
    # The answer is in a polite live region, so a screen reader announces it; the article is right.
    status = page.locator(".mnist-live-status").first
    assert status.get_attribute("aria-live") == "polite"
    prediction = int(np.argmax(drawn["probabilities"]))
    assert f"labelled 8. It reads {'an' if prediction == 8 else 'a'} {prediction}," in status.text_content()
    assert not re.search(r"\ba 8\b", status.text_content())


def test_a_map_cell_shows_its_receptive_field_and_its_filter(chapter):
    page, _, _ = chapter
    page.locator(".mnist-live-sample").nth(3).click()
    conv2 = page.locator('.mnist-live-layer[data-layer="conv2"]').first
    conv2.locator("summary").click()
    # Hover over map 5 of conv2, at its cell (row 2, column 3) of 11 × 11.
    canvas = conv2.locator(".mnist-live-map canvas").nth(5)
    canvas.scroll_into_view_if_needed()
    box = canvas.bounding_box()
    page.mouse.move(box["x"] + (3 + 0.5) * box["width"] / 11, box["y"] + (2 + 0.5) * box["height"] / 11)
    text = conv2.locator(".mnist-live-inspect-text").text_content()
    # conv2's cell (2, 3) sees the 8×8 input pixels from row 4 and column 6 (two 3×3 convolutions and
    # a 2×2 pooling between them).
    assert text.startswith("The cell at row 2, column 3 of conv2 map 5 is")
    assert "8×8 square of input pixels in rows 4 to 11, columns 6 to 13" in text
    assert "conv2 filter 5" in conv2.locator(".mnist-live-inspect-figure figcaption").nth(2).text_content()
    # The value it states is the page's own output for that cell.
    value = page.evaluate("(() => { const [v, s] = MnistLive.panels[0].last.outputs.conv2; "
                          "return v[(2 * s[1] + 3) * s[2] + 5]; })()")
    assert f"is {value:.2f}," in text
    # The map is enlarged, and the arrow keys move the chosen cell.
    enlarged = conv2.locator(".mnist-live-inspect-map")
    assert enlarged.bounding_box()["width"] > 2 * box["width"]
    enlarged.focus()
    page.keyboard.press("ArrowDown")
    assert "row 3, column 3 of conv2 map 5" in conv2.locator(".mnist-live-inspect-text").text_content()
    # A flattened feature is traced back to its pool2 cell, and a pool1 cell to its 2×2 conv1 block.
    said = page.evaluate("MnistLive.panels[0].inspect('flatten', 2 * 64 + 7)")
    assert said.startswith("Feature 135 of flatten is the cell at row 0, column 2 of pool2 map 7")
    assert "10×10 square of input pixels in rows 0 to 9, columns 8 to 17" in said
    said = page.evaluate("MnistLive.panels[0].inspect('pool1', 4, 6, 1)")
    assert "the largest of conv1 map 4's cells in rows 12 to 13, columns 2 to 3" in said
    assert "4×4 square of input pixels in rows 12 to 15, columns 2 to 5" in said
    for name in ("conv2", "flatten", "pool1"):
        page.locator(f'.mnist-live-layer[data-layer="{name}"] > summary').first.click()


def test_a_small_drawing_is_told_why_and_what_to_do(chapter):
    page, _, _ = chapter
    _clear(page)
    drawn = _draw(page, place_strokes(DIGIT_STROKES[4], left=120, top=110, size=40))
    pad, _ = drawing_to_image([[tuple(point) for point in stroke] for stroke in drawn["strokes"]])
    assert drawing_guidance(pad) == drawn["guidance"] == "small"
    assert page.locator(".mnist-live-guidance").first.text_content() == GUIDANCE["small"]
    _clear(page)
    _draw(page, place_strokes(DIGIT_STROKES[4], left=60, top=40, size=180))
    assert page.locator(".mnist-live-guidance").first.text_content() == ""


def test_the_pointer_is_mapped_through_the_content_box(chapter):
    page, _, _ = chapter
    _clear(page)
    canvas = page.locator(".mnist-pad-canvas").first
    canvas.evaluate("(c) => { c.style.border = '14px solid #888'; c.style.padding = '9px'; }")
    try:
        canvas.scroll_into_view_if_needed()
        box = canvas.bounding_box()
        inner = box["width"] - 2 * (14 + 9)
        for x, y in ((40, 40), (140, 200), (260, 30)):
            _clear(page)
            page.mouse.click(box["x"] + 14 + 9 + x * inner / PAD_SIZE, box["y"] + 14 + 9 + y * inner / PAD_SIZE)
            [[point]] = page.evaluate("MnistLive.panels[0].strokes()")
            assert abs(point[0] - x) < 1.5 and abs(point[1] - y) < 1.5, (x, y, point)
    finally:
        canvas.evaluate("(c) => { c.style.border = ''; c.style.padding = ''; }")


def test_clear_is_a_keyboard_button_and_empties_the_panel(chapter):
    page, _, _ = chapter
    _draw(page, [[(140, 40), (140, 240)]])
    clear = page.locator(".mnist-pad-clear").first
    assert clear.evaluate("(button) => button.tagName") == "BUTTON"
    clear.focus()
    page.keyboard.press("Enter")
    assert page.evaluate("MnistLive.panels[0].last") is None
    assert page.evaluate("MnistLive.panels[0].strokes()") == []


def test_the_exported_script_holds_the_shipped_weights_and_pythons_configuration(book_html):
    script = book_html / "_static" / "mnist_live" / browser_model.WEIGHTS_SCRIPT
    exported = browser_model.read_exported_weights(script)
    assert set(exported) == {"conv1", "conv2", "output"}
    for layer, arrays in exported.items():
        shipped = pretrained("cnn").get_layer(layer).get_weights()
        for ours, theirs in zip(arrays, shipped):
            np.testing.assert_array_equal(ours, theirs)
    assert browser_model.read_export(script)["config"] == browser_model.page_config()


def _covered_top(page):
    """How far down the window the theme's sticky or fixed bars cover the page, in CSS pixels."""
    return page.evaluate("""() => {
        for (let y = 0; y < window.innerHeight; y++) {
            let covered = false;
            for (let e = document.elementFromPoint(2, y); e && !covered; e = e.parentElement) {
                const position = getComputedStyle(e).position;
                covered = position === "sticky" || position === "fixed";
            }
            if (!covered) return y;
        }
        return window.innerHeight;
    }""")


def test_on_a_phone_pad_and_answer_fit_one_screen_and_touch_draws(book_site, chromium_browser):
    context = _offline_context(chromium_browser, book_site, viewport={"width": 375, "height": 740},
                               has_touch=True, is_mobile=True, device_scale_factor=2)
    try:
        page, errors = _open(context, book_site)
        panel = page.locator(".mnist-live-panel").first
        panel.scroll_into_view_if_needed()
        assert panel.evaluate("(element) => element.scrollWidth <= element.clientWidth + 1")
        canvas = page.locator(".mnist-pad-canvas").first
        # Scroll the pad to just under the theme's sticky bar: the verdict and the bars must be on screen too.
        for _ in range(2):                     # the bar sticks only once the page has scrolled
            top = canvas.evaluate("(c) => c.getBoundingClientRect().top + window.scrollY")
            page.evaluate(f"window.scrollTo(0, {top} - {_covered_top(page)} - 4)")
            page.wait_for_timeout(300)
        header = _covered_top(page)
        assert header > 0
        for selector in (".mnist-pad-canvas", ".mnist-live-verdict", ".mnist-live-bars"):
            box = page.locator(selector).first.bounding_box()
            assert box["y"] >= header - 1 and box["y"] + box["height"] <= 740, (selector, box, header)
            assert box["x"] >= 0 and box["x"] + box["width"] <= 375, (selector, box)
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "live_panel_phone.png"))
        box = canvas.bounding_box()
        page.touchscreen.tap(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        assert page.evaluate("MnistLive.panels[0].strokes().length") == 1
        assert page.evaluate("MnistLive.panels[0].last !== null")
        assert errors == []
    finally:
        context.close()


def _overlap(a, b):
    return not (a["x"] + a["width"] <= b["x"] or b["x"] + b["width"] <= a["x"]
                or a["y"] + a["height"] <= b["y"] or b["y"] + b["height"] <= a["y"])


@pytest.mark.parametrize("viewport", [{"width": 375, "height": 740}, {"width": 1024, "height": 768}],
                         ids=["phone", "tablet"])  # the theme shows no such button from 1200 px up
def test_the_back_to_top_button_never_covers_the_answer(book_site, chromium_browser, viewport):
    context = _offline_context(chromium_browser, book_site, viewport=viewport)
    try:
        page, _ = _open(context, book_site)
        button = page.locator("#pst-back-to-top")
        # Far down the page, scrolling up brings the theme's button out...
        page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
        page.wait_for_timeout(300)
        page.mouse.move(viewport["width"] // 2, viewport["height"] // 2)      # over the article
        page.mouse.wheel(0, -300)
        page.wait_for_timeout(300)
        assert button.is_visible()
        # ... but never over the panel's answer, all the way back up to it.
        seen = 0
        for _ in range(200):
            page.mouse.wheel(0, -viewport["height"] // 3)
            page.wait_for_timeout(60)
            for selector in (".mnist-live-verdict", ".mnist-live-bars"):
                box = page.locator(selector).first.bounding_box()
                if box["y"] + box["height"] > 0 and box["y"] < viewport["height"]:
                    seen += 1
                    assert not (button.is_visible() and _overlap(button.bounding_box(), box)), (selector, box)
            if page.evaluate("window.scrollY") == 0:
                break
        assert seen > 0
    finally:
        context.close()


def test_the_intro_page_has_a_compact_panel_that_reads_a_drawing(book_site, chromium_browser):
    context = _offline_context(chromium_browser, book_site)
    try:
        page, errors = _open(context, book_site, INTRO)
        panel = page.locator(".mnist-live-panel").first
        assert panel.get_attribute("data-variant") == "compact"
        # The compact panel leaves the feature maps out; it has the sample digits.
        assert panel.locator(".mnist-live-layer, .mnist-live-map").count() == 0
        assert panel.locator(".mnist-live-sample").count() == 10
        drawn = _draw(page, [[(140, 30), (140, 250)]])
        assert int(np.argmax(drawn["probabilities"])) == 1
        assert errors == []
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
