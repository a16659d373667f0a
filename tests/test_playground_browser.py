"""The playground in a real browser: JupyterLab on 127.0.0.1, driven by headless Chromium.

The drawing pad is the anywidget of mnist_lessons.drawpad (the book page's JavaScript pad): the
mouse draws on it, the strokes reach the kernel as JSON, and the prediction comes back.

Debian's chromium (installed by .ci/run) is driven by Playwright for Python, pointed at
/usr/bin/chromium, since browser downloads are not possible here. Without chromium the test is
skipped, unless MNIST_LESSONS_REQUIRE_BROWSER=1 (set by .ci/run), which makes it fail instead.
"""

import json
import os
import pathlib
import secrets
import signal
import subprocess
import sys
import time
import urllib.request

import pytest
from browser import CHROMIUM, FLAGS, free_port, require_chromium

pytestmark = [pytest.mark.slow, pytest.mark.browser]

ROOT = pathlib.Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "tests" / "artifacts"
NOTEBOOK = "book/09_playground.ipynb"

playwright_api = require_chromium()



@pytest.fixture
def jupyterlab(tmp_path):
    """A JupyterLab server on 127.0.0.1 with a random token, stopped (with its kernels) afterwards."""
    port, token = free_port(), secrets.token_hex(16)
    # Serve a copy, so that JupyterLab's autosave can never touch the committed notebook.
    served = tmp_path / "served"
    served.mkdir()
    # It starts as a reader's fresh copy: no outputs, no execution counts, no saved widget state.
    notebook = json.loads((ROOT / NOTEBOOK).read_text())
    for cell in notebook["cells"]:
        if cell["cell_type"] == "code":
            cell["outputs"], cell["execution_count"] = [], None
    notebook["metadata"].pop("widgets", None)
    (served / pathlib.Path(NOTEBOOK).name).write_text(json.dumps(notebook))
    env = dict(os.environ, JUPYTER_RUNTIME_DIR=str(tmp_path / "runtime"), JUPYTER_DATA_DIR=str(tmp_path / "data"),
               JUPYTER_CONFIG_DIR=str(tmp_path / "config"))
    env.pop("JUPYTER_PATH", None)
    log = open(tmp_path / "jupyterlab.log", "w")
    server = subprocess.Popen(
        [sys.executable, "-m", "jupyter", "lab", "--no-browser", "--ServerApp.ip=127.0.0.1",
         f"--ServerApp.port={port}", "--ServerApp.port_retries=0", f"--IdentityProvider.token={token}",
         f"--ServerApp.root_dir={served}", f"--LabApp.workspaces_dir={tmp_path / 'workspaces'}",
         f"--LabApp.user_settings_dir={tmp_path / 'settings'}"]
        + (["--allow-root"] if os.geteuid() == 0 else []),       # CI containers run as root
        env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                with urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=2) as response:
                    json.load(response)
                break
            except OSError as error:
                if server.poll() is not None or time.monotonic() > deadline:
                    log = (tmp_path / "jupyterlab.log").read_text()[-2000:]
                    raise RuntimeError("JupyterLab did not start: " + log) from error
                time.sleep(0.5)
        yield base, token
    finally:
        _shut_down_kernels(base, token)
        _stop(server)
        log.close()


def _shut_down_kernels(base, token):
    # Kernels run in sessions of their own, out of reach of a signal to the server's group.
    try:
        with urllib.request.urlopen(f"{base}/api/kernels?token={token}", timeout=5) as response:
            kernels = json.load(response)
        for kernel in kernels:
            request = urllib.request.Request(f"{base}/api/kernels/{kernel['id']}?token={token}", method="DELETE")
            urllib.request.urlopen(request, timeout=30).close()
    except OSError:
        pass                                               # the server is already gone


def _stop(server):
    """Stop the server and the processes of its session."""
    for sig, wait in ((signal.SIGTERM, 30), (signal.SIGKILL, 10)):
        try:
            os.killpg(server.pid, sig)
        except ProcessLookupError:
            break
        try:
            server.wait(timeout=wait)
            break
        except subprocess.TimeoutExpired:
            continue


def test_draw_a_one_and_move_the_shift_slider(jupyterlab, playwright_session, tmp_path):
    base, token = jupyterlab
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for old in ARTIFACTS.glob("playground*.png"):
        old.unlink()
    page = None
    # One Playwright for the whole session (conftest.py): its sync API allows only one at a time.
    context = playwright_session.chromium.launch_persistent_context(
        user_data_dir=str(tmp_path / "chromium-profile"), executable_path=CHROMIUM, headless=True,
        args=FLAGS,
        viewport={"width": 1400, "height": 1000},
    )
    try:
        page = context.new_page()
        page.goto(f"{base}/lab/tree/{pathlib.Path(NOTEBOOK).name}?token={token}")
        page.locator(".jp-Notebook").first.wait_for(timeout=120_000)
        # Run All does nothing until the kernel is up: wait for the status bar to say Idle.
        page.locator(".jp-StatusBar-TextItem", has_text="Idle").first.wait_for(timeout=120_000)
        page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
        page.locator(".lm-Menu-itemLabel", has_text="Run All Cells").first.click()

        # Wait until every code cell has run (its prompt shows a number), so that nothing moves
        # on the page while the mouse draws.
        page.wait_for_function(
            """() => {
                const prompts = [...document.querySelectorAll('.jp-CodeCell .jp-InputArea-prompt')];
                return prompts.length > 0 && prompts.every(p => /\\[\\d+\\]/.test(p.textContent));
            }""", timeout=300_000)
        canvas = page.locator(".jp-OutputArea-output .mnist-pad-canvas").first
        canvas.wait_for(state="visible", timeout=60_000)
        canvas.scroll_into_view_if_needed()
        page.wait_for_timeout(1000)
        box = canvas.bounding_box()
        scale = box["width"] / 280
        x = box["x"] + 140 * scale
        page.mouse.move(x, box["y"] + 40 * scale)
        page.mouse.down()
        for step in range(1, 21):                      # a vertical stroke, like a "1"
            page.mouse.move(x, box["y"] + (40 + 10 * step) * scale)
        page.mouse.up()
        prediction = page.locator(".playground-prediction .mnist-prediction")
        prediction.wait_for(timeout=60_000)
        playwright_api.expect(prediction).to_have_text("1", timeout=60_000)
        output_of = "xpath=ancestor::div[contains(@class, 'jp-OutputArea-output')][1]"
        playground = canvas.locator(output_of)
        playwright_api.expect(playground.locator("img")).to_have_count(1, timeout=60_000)  # the figure
        playground.screenshot(path=str(ARTIFACTS / "playground-drawn-one.png"))

        # The perturbation explorer: move the "shift →" slider; the probabilities must change.
        numbers = page.locator(".perturbation-prediction .mnist-probabilities")
        numbers.wait_for(timeout=120_000)
        before = numbers.inner_text()
        figure = numbers.locator(output_of).locator("img").first
        figure_before = figure.get_attribute("src")
        handle = page.locator(".perturbation-shift-right .noUi-handle, "
                              ".perturbation-shift-right .ui-slider-handle").first
        handle.scroll_into_view_if_needed()
        handle.click()
        for _ in range(6):
            handle.press("ArrowRight")
        playwright_api.expect(numbers).not_to_have_text(before, timeout=60_000)
        deadline = time.monotonic() + 60                    # and the figure (bars) is redrawn
        while figure.get_attribute("src") == figure_before:
            assert time.monotonic() < deadline, "the perturbation figure was not redrawn"
            page.wait_for_timeout(250)
        # Each key press was one update; let the last one arrive before taking the screenshot.
        last, steady_since = figure.get_attribute("src"), time.monotonic()
        while time.monotonic() - steady_since < 3 and time.monotonic() < deadline:
            page.wait_for_timeout(250)
            if figure.get_attribute("src") != last:
                last, steady_since = figure.get_attribute("src"), time.monotonic()
        numbers.locator(output_of).screenshot(path=str(ARTIFACTS / "perturbation-shifted.png"))
        page.screenshot(path=str(ARTIFACTS / "playground-page.png"))
    except Exception:
        if page is not None:
            page.screenshot(path=str(ARTIFACTS / "playground-failure.png"))
        raise
    finally:
        context.close()
