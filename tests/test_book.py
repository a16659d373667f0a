"""The book builds with warnings as errors, and the chapter pages carry figures and a Colab link."""

import pathlib
import re
import subprocess
import sys

import pytest
import yaml

ROOT = pathlib.Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def html(tmp_path_factory):
    out = tmp_path_factory.mktemp("book")
    jupyter_book = pathlib.Path(sys.executable).with_name("jupyter-book")
    result = subprocess.run(
        [str(jupyter_book), "build", str(ROOT), "--path-output", str(out), "-W", "--keep-going"],
        capture_output=True, text=True, timeout=900,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return out / "_build" / "html"


def test_index_and_chapter_exist(html):
    assert (html / "index.html").is_file()
    assert (html / "book" / "intro.html").is_file()
    assert (html / "book" / "01_mnist.html").is_file()


def test_chapter_shows_its_figures_and_glued_numbers(html):
    page = (html / "book" / "01_mnist.html").read_text()
    images = re.findall(r'<img[^>]+src="([^"]+\.png)"', page)
    assert len(images) >= 6
    for src in images:
        assert (html / "book" / src).resolve().is_file(), src
    assert "60,000" in page and "10,000" in page
    assert "glue" not in re.sub(r"<[^>]+>", "", page).split("What you now know")[-1]


def test_chapter_has_colab_link_to_its_notebook(html):
    config = yaml.safe_load((ROOT / "_config.yml").read_text())
    repo = config["repository"]["url"].removeprefix("https://github.com/")
    page = (html / "book" / "01_mnist.html").read_text()
    expected = f"https://colab.research.google.com/github/{repo}/blob/main/book/01_mnist.ipynb"
    assert expected in page
