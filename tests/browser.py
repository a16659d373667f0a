"""What the browser tests share: Debian's chromium (or a skip), its flags, and a free local port.

No browser can be downloaded here, so Playwright drives /usr/bin/chromium (installed by .ci/run).
Without it the browser tests are skipped, unless MNIST_LESSONS_REQUIRE_BROWSER=1 (set by .ci/run),
which makes them fail instead.
"""

import os
import socket

import pytest

CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
         "--no-first-run"]


def require_chromium():
    """Skip the calling test module without chromium; fail instead when CI requires the browser."""
    if not os.path.exists(CHROMIUM):
        if os.environ.get("MNIST_LESSONS_REQUIRE_BROWSER") == "1":
            raise RuntimeError(f"{CHROMIUM} is missing; .ci/run installs it with apt-get install chromium.")
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium)", allow_module_level=True)
    return pytest.importorskip("playwright.sync_api")


def free_port():
    """A TCP port on 127.0.0.1 that is free now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
