"""How fast the book page's live panel answers: from a pointer-up to the updated bars, in headless Chromium.

    .venv/bin/python bench/live_panel_latency.py                      # builds the book into a temporary folder
    .venv/bin/python bench/live_panel_latency.py --html _build/html   # or measures an existing build

Draws the package's ten stroke digits at three sizes on chapter 9's live panel with real pointer
events, and reads the panel's own measurement after each stroke: from the pointer-up event to the
bars updated in the page (drawing rasterised, prepared, the CNN run in JavaScript, the page written).
Prints min / median / max over all strokes, the size of the exported weights, and whether the page
asked the network for anything after it had loaded. Target: median under 30 ms on 2 CPU cores.
Needs Debian's chromium at /usr/bin/chromium and Playwright.
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

from mnist_lessons.drawing import DIGIT_STROKES, place_strokes  # noqa: E402
from mnist_lessons.playground import PAD_SIZE  # noqa: E402


def build(out):
    jupyter_book = pathlib.Path(sys.executable).with_name("jupyter-book")
    subprocess.run([str(jupyter_book), "build", str(ROOT), "--path-output", str(out), "-W", "--keep-going"],
                   check=True, capture_output=True)
    return pathlib.Path(out) / "_build" / "html"


def measure(html, repeats):
    from playwright.sync_api import sync_playwright

    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1",
                               "--directory", str(html)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
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
            scale = box["width"] / PAD_SIZE
            latencies = []
            for _ in range(repeats):
                for strokes in DIGIT_STROKES.values():
                    for left, top, size in ((20, 15, 110), (70, 60, 150), (40, 30, 230)):
                        page.locator(".mnist-pad-clear").first.click()
                        for stroke in place_strokes(strokes, left=left, top=top, size=size):
                            page.mouse.move(box["x"] + stroke[0][0] * scale, box["y"] + stroke[0][1] * scale)
                            page.mouse.down()
                            for x, y in stroke[1:]:
                                page.mouse.move(box["x"] + x * scale, box["y"] + y * scale, steps=3)
                            page.mouse.up()
                            latencies.append(page.evaluate("MnistLive.panels[0].latencyMs"))
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=10)
    return latencies, requests


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--html", type=pathlib.Path, help="an existing build's _build/html (default: build one)")
    parser.add_argument("--repeats", type=int, default=3, help="times to draw the 30 digits (default 3)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as out:
        html = args.html or build(out)
        weights = html / "_static" / "mnist_live" / "cnn_weights.js"
        latencies, requests = measure(html, args.repeats)
        print(f"exported weights: {weights.stat().st_size / 1000:.0f} kB ({weights})")
    print(f"pointer-up to updated bars over {len(latencies)} strokes: min {min(latencies):.1f} ms, "
          f"median {statistics.median(latencies):.1f} ms, max {max(latencies):.1f} ms (target: median < 30 ms)")
    print(f"requests after the page had loaded: {len(requests)}")
    sys.exit(0 if statistics.median(latencies) < 30 and not requests else 1)


if __name__ == "__main__":
    main()
