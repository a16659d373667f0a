"""How fast the book page's live panel answers, in headless Chromium: the bars after a stroke, and every layer's view.

    .venv/bin/python bench/live_panel_latency.py                      # builds the book into a temporary folder
    .venv/bin/python bench/live_panel_latency.py --html _build/html   # or measures an existing build

Draws the package's ten stroke digits at three sizes on chapter 9's live panel with real pointer
events, and reads the panel's own measurements after each stroke: from the pointer-up event to the
verdict and bars written in the page (drawing rasterised, prepared, the CNN run in JavaScript, the
page written), and to the open layers' views redrawn after them. Then it opens each layer's row
in turn (conv1, pool1, conv2, pool2, flatten, logits, softmax) on each digit and reads how long
drawing that row's view took, and finally draws the digits again with every row open. Prints
min / median / max of each, the size of the exported script, and whether the page asked the
network for anything after it had loaded. Targets: bars median under 30 ms, every layer's view
under 100 ms (its slowest opening and, with every row open, the whole redraw's median), on 2 CPU
cores. Needs Debian's chromium at /usr/bin/chromium and Playwright.
"""

import argparse
import pathlib
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from browser import CHROMIUM, FLAGS, free_port  # noqa: E402

from mnist_lessons.browser_model import TESTED_PLACEMENTS, WEIGHTS_SCRIPT  # noqa: E402
from mnist_lessons.constants import PAD_SIZE  # noqa: E402
from mnist_lessons.drawing import DIGIT_STROKES, place_strokes  # noqa: E402

BARS_TARGET, VIEW_TARGET = 30, 100          # milliseconds


def build(out):
    jupyter_book = pathlib.Path(sys.executable).with_name("jupyter-book")
    subprocess.run([str(jupyter_book), "build", str(ROOT), "--path-output", str(out), "-W", "--keep-going"],
                   check=True, capture_output=True)
    return pathlib.Path(out) / "_build" / "html"


def _draw_all(page, box, repeats):
    """Draw every stroke digit at every placement; return (bars, views) latencies in ms, one per stroke."""
    scale = box["width"] / PAD_SIZE
    bars, views = [], []
    for _ in range(repeats):
        for strokes in DIGIT_STROKES.values():
            for left, top, size in TESTED_PLACEMENTS:
                page.locator(".mnist-pad-clear").first.click()
                for stroke in place_strokes(strokes, left=left, top=top, size=size):
                    page.evaluate("MnistLive.panels[0].viewsMs = null")
                    page.mouse.move(box["x"] + stroke[0][0] * scale, box["y"] + stroke[0][1] * scale)
                    page.mouse.down()
                    for x, y in stroke[1:]:
                        page.mouse.move(box["x"] + x * scale, box["y"] + y * scale, steps=3)
                    page.mouse.up()
                    page.wait_for_function("MnistLive.panels[0].viewsMs !== null")
                    bars.append(page.evaluate("MnistLive.panels[0].latencyMs"))
                    views.append(page.evaluate("MnistLive.panels[0].viewsMs"))
    return bars, views


def measure(html, repeats):
    from playwright.sync_api import sync_playwright

    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1",
                               "--directory", str(html)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    figures = {}
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(base, timeout=1).close()
                break
            except OSError:
                time.sleep(0.1)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
            context = browser.new_context(viewport={"width": 1280, "height": 1000})
            context.route("**/*", lambda route: route.continue_() if route.request.url.startswith(base)
                          else route.fulfill(status=200, body=""))
            page = context.new_page()
            page.goto(f"{base}/book/09_playground.html", wait_until="networkidle")
            page.wait_for_function("window.MnistLive && MnistLive.panels.length > 0")
            requests = []
            page.on("request", lambda request: requests.append(request.url))
            canvas = page.locator(".mnist-pad-canvas").first
            canvas.scroll_into_view_if_needed()
            box = canvas.bounding_box()
            # 1. As a reader finds the panel: the first row (conv1) open.
            figures["bars"], figures["views, conv1 open"] = _draw_all(page, box, repeats)
            # 2. Each row opened in turn on each test digit the panel carries.
            rows = page.locator(".mnist-live-layer")
            names = [rows.nth(i).get_attribute("data-layer") for i in range(rows.count())]
            samples = page.locator(".mnist-live-sample")
            for name in names:
                figures[f"open {name}"] = []
            for digit in range(samples.count()):
                samples.nth(digit).click()
                for i, name in enumerate(names):
                    summary = rows.nth(i).locator("summary")
                    if rows.nth(i).get_attribute("open") is not None:
                        summary.click()                                   # close it first
                    summary.click()
                    page.wait_for_function(f"MnistLive.panels[0].layerMs[{name!r}] !== undefined")
                    figures[f"open {name}"].append(page.evaluate(f"MnistLive.panels[0].layerMs[{name!r}]"))
                    page.evaluate(f"delete MnistLive.panels[0].layerMs[{name!r}]")
            # 3. Every row open: a stroke redraws them all.
            canvas.scroll_into_view_if_needed()
            box = canvas.bounding_box()
            _, figures["views, every row open"] = _draw_all(page, box, 1)
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=10)
    return figures, requests


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--html", type=pathlib.Path, help="an existing build's _build/html (default: build one)")
    parser.add_argument("--repeats", type=int, default=3, help="times to draw the 30 digits (default 3)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as out:
        html = args.html or build(out)
        script = html / "_static" / "mnist_live" / WEIGHTS_SCRIPT
        figures, requests = measure(html, args.repeats)
        print(f"exported script (weights, configuration, sample digits): {script.stat().st_size / 1000:.0f} kB")
    print("milliseconds            count    min  median     max")
    for name, values in figures.items():
        print(f"{name:22s} {len(values):6d} {min(values):6.1f} {statistics.median(values):7.1f} {max(values):7.1f}")
    views = [value for name, values in figures.items() if name.startswith("open ") for value in values]
    bars_ok = statistics.median(figures["bars"]) < BARS_TARGET
    views_ok = max(views) < VIEW_TARGET and statistics.median(figures["views, every row open"]) < VIEW_TARGET
    print(f"targets: bars median < {BARS_TARGET} ms: {'met' if bars_ok else 'MISSED'}; every layer's view "
          f"< {VIEW_TARGET} ms: {'met' if views_ok else 'MISSED'}")
    print(f"requests after the page had loaded: {len(requests)}")
    sys.exit(0 if bars_ok and views_ok and not requests else 1)


if __name__ == "__main__":
    main()
