"""Shared fixtures. The real MNIST comes from MNIST_LESSONS_DATA (set by .ci/run) or from Keras."""

import fcntl
import os
import pathlib
import subprocess
import sys
import time
import urllib.request

import matplotlib

# Only this process: the notebook kernels nbval starts keep their inline backend.
matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pytest  # noqa: E402

import mnist_lessons  # noqa: E402

mnist_lessons.import_tensorflow_quietly()   # before anything imports Keras, as the chapters do

import figure_snapshots  # noqa: E402

from mnist_lessons import data  # noqa: E402


def pytest_addoption(parser):
    parser.addoption("--update-figures", action="store_true",
                     help="store the descriptions of the figures the plot tests draw, in tests/figures/ "
                          "(after changing a figure on purpose; see tests/figure_snapshots.py)")

def pytest_collection_modifyitems(items):
    # nbval's cells of book/*.ipynb: each re-executes part of a chapter (`make check` leaves them out).
    for item in items:
        if item.nodeid.endswith(".ipynb") or ".ipynb::" in item.nodeid:
            item.add_marker(pytest.mark.notebook)
            item.add_marker(pytest.mark.slow)


@pytest.fixture(autouse=True)
def _described_figures(request, monkeypatch):
    """In the plot tests, every figure drawn is compared with its stored description (figure_snapshots)."""
    module = request.node.module.__name__ if request.node.module else ""
    if not module.startswith("test_plots_") or request.node.get_closest_marker("random_figures"):
        yield
        return
    import matplotlib.pyplot as plt

    figures, make = [], plt.figure

    def figure(*args, **kwargs):
        figures.append(make(*args, **kwargs))
        return figures[-1]

    monkeypatch.setattr(plt, "figure", figure)
    yield
    problems = figure_snapshots.check(module, request.node.name, figures,
                                      update=request.config.getoption("--update-figures"))
    if problems:
        pytest.fail(f"{len(problems)} difference(s) from the stored figures (tests/figure_snapshots.py says how "
                    "to store them after a change made on purpose):\n" + "\n".join(problems[:20]), pytrace=False)


@pytest.fixture(scope="session")
def mnist_small():
    """A deterministic 512/256 subset of the real MNIST, scaled, without channel axis."""
    return data.load_mnist(scale=True, n_train=512, n_test=256)


@pytest.fixture(scope="session")
def cnn():
    """The shipped CNN (tests must not change it)."""
    from mnist_lessons.models import pretrained

    return pretrained("cnn")


@pytest.fixture(scope="session")
def digits(mnist_small):
    """20 test digits shaped for the CNN, and their labels."""
    _, (x, y) = mnist_small
    return x[:20, ..., None], y[:20]


@pytest.fixture
def fresh_data_cache():
    """Clear the per-process cache before and after a test that changes the data source."""
    data._load_arrays.cache_clear()
    yield
    data._load_arrays.cache_clear()


@pytest.fixture
def write_npz(tmp_path):
    """Write an npz with MNIST-like arrays, overriding any of them."""

    def write(name="mnist.npz", **overrides):
        rng = np.random.default_rng(0)
        arrays = {
            "x_train": rng.integers(0, 256, (60_000, 28, 28), dtype=np.uint8),
            "y_train": rng.integers(0, 10, 60_000, dtype=np.uint8),
            "x_test": rng.integers(0, 256, (10_000, 28, 28), dtype=np.uint8),
            "y_test": rng.integers(0, 10, 10_000, dtype=np.uint8),
        }
        arrays.update(overrides)
        arrays = {key: value for key, value in arrays.items() if value is not None}
        path = tmp_path / name
        np.savez(path, **arrays)
        return path

    return write


@pytest.fixture(scope="session")
def book_html(tmp_path_factory):
    """The book built once per test session with warnings as errors; the path of its HTML.

    Under pytest-xdist (`make test` runs two workers) the workers share one build: the first
    to need it builds it in their common temporary folder while the other waits on a lock.
    """
    root = pathlib.Path(__file__).resolve().parent.parent
    shared = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        shared = shared.parent                       # the workers' common folder
    out = shared / "book"
    html = out / "_build" / "html"
    with open(shared / "book.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)              # released when the file closes
        if not (html / "index.html").exists():
            jupyter_book = pathlib.Path(sys.executable).with_name("jupyter-book")
            result = subprocess.run(
                [str(jupyter_book), "build", str(root), "--path-output", str(out), "-W", "--keep-going"],
                capture_output=True, text=True, timeout=900,
            )
            assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return html


@pytest.fixture(scope="session")
def book_site(book_html, tmp_path_factory):
    """A static server for the built book on 127.0.0.1, stopped afterwards; yields its base URL."""
    from browser import free_port

    port = free_port()
    log = open(tmp_path_factory.mktemp("server") / "http.log", "w")
    server = subprocess.Popen([sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1",
                               "--directory", str(book_html)], stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(f"{base}/index.html", timeout=2).close()
                break
            except OSError as error:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("the static server did not start") from error
                time.sleep(0.2)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=10)
        log.close()


@pytest.fixture(scope="session")
def playwright_session():
    """Playwright, started once for the whole session (its sync API allows only one at a time)."""
    from browser import require_chromium

    playwright_api = require_chromium()
    with playwright_api.sync_playwright() as p:
        yield p


@pytest.fixture(scope="session")
def chromium_browser(playwright_session):
    """Debian's headless chromium, driven by Playwright (skipped, or failed in CI, where it is missing)."""
    from browser import CHROMIUM, FLAGS

    browser = playwright_session.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
    try:
        yield browser
    finally:
        browser.close()
