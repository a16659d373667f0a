"""The book builds with warnings as errors, and the chapter pages carry figures and a Colab link."""

import json
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


CHAPTERS = sorted(path.stem for path in (ROOT / "book").glob("*.ipynb"))


def test_index_and_pages_exist(html):
    assert (html / "index.html").is_file()
    assert (html / "book" / "intro.html").is_file()
    for chapter in CHAPTERS:
        assert (html / "book" / f"{chapter}.html").is_file(), chapter


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_chapter_shows_its_figures(html, chapter):
    page = (html / "book" / f"{chapter}.html").read_text()
    images = re.findall(r'<img[^>]+src="([^"]+\.png)"', page)
    cells = json.loads((ROOT / "book" / f"{chapter}.ipynb").read_text())["cells"]
    # Every PNG a shown cell output holds (not widget state, not outputs removed by a tag).
    expected = sum("image/png" in output.get("data", {}) for cell in cells
                   if "remove-output" not in cell.get("metadata", {}).get("tags", [])
                   for output in cell.get("outputs", []))
    figures = [src for src in images if "/_images/" in src]  # not the theme's logos
    assert len(figures) == expected
    for src in images:
        assert (html / "book" / src).resolve().is_file(), src


def test_glued_numbers_are_rendered(html):
    page = (html / "book" / "01_mnist.html").read_text()
    assert "60,000" in page and "10,000" in page


@pytest.mark.parametrize("page_name", CHAPTERS + ["intro", "conclusion"])
def test_no_glue_role_is_left_raw(html, page_name):
    page = (html / "book" / f"{page_name}.html").read_text()
    assert "{glue" not in page and "glue:text" not in page


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_chapter_has_colab_link_to_its_notebook(html, chapter):
    config = yaml.safe_load((ROOT / "_config.yml").read_text())
    repo = config["repository"]["url"].removeprefix("https://github.com/")
    page = (html / "book" / f"{chapter}.html").read_text()
    expected = f"https://colab.research.google.com/github/{repo}/blob/main/book/{chapter}.ipynb"
    assert expected in page
