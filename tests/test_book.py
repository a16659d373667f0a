"""The book builds with warnings as errors, and the chapter pages carry figures and a Colab link."""

import json
import pathlib
import re

import book_toc
import pytest
import yaml

pytestmark = [pytest.mark.slow]

ROOT = pathlib.Path(__file__).resolve().parent.parent


CHAPTERS = sorted(path.stem for path in (ROOT / "book").glob("*.ipynb"))


def test_index_and_pages_exist(book_html):
    assert (book_html / "index.html").is_file()
    assert (book_html / "book" / "intro.html").is_file()
    for chapter in CHAPTERS:
        assert (book_html / "book" / f"{chapter}.html").is_file(), chapter


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_chapter_shows_its_figures(book_html, chapter):
    page = (book_html / "book" / f"{chapter}.html").read_text()
    images = re.findall(r'<img[^>]+src="([^"]+\.png)"', page)
    cells = json.loads((ROOT / "book" / f"{chapter}.ipynb").read_text())["cells"]
    # Cells the page leaves out (chapter 9's screenshot for notebook readers is one).
    cells = [cell for cell in cells if "remove-cell" not in cell.get("metadata", {}).get("tags", [])]
    # Every PNG a shown cell output holds (not widget state, not outputs removed by a tag).
    expected = sum("image/png" in output.get("data", {}) for cell in cells
                   if "remove-output" not in cell.get("metadata", {}).get("tags", [])
                   for output in cell.get("outputs", []))
    # And every PNG the prose itself shows.
    expected += sum(len(re.findall(r"!\[[^\]]*\]\([^)]+\.png\)", "".join(cell["source"])))
                    for cell in cells if cell["cell_type"] == "markdown")
    figures = [src for src in images if "/_images/" in src]  # not the theme's logos
    assert len(figures) == expected
    for src in images:
        assert (book_html / "book" / src).resolve().is_file(), src


def test_glued_numbers_are_rendered(book_html):
    page = (book_html / "book" / "01_mnist.html").read_text()
    assert "60,000" in page and "10,000" in page


@pytest.mark.parametrize("page_name", CHAPTERS + ["intro", "conclusion"])
def test_no_glue_role_is_left_raw(book_html, page_name):
    page = (book_html / "book" / f"{page_name}.html").read_text()
    assert "{glue" not in page and "glue:text" not in page


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_chapter_has_colab_link_to_its_notebook(book_html, chapter):
    config = yaml.safe_load((ROOT / "_config.yml").read_text())
    repo = config["repository"]["url"].removeprefix("https://github.com/")
    page = (book_html / "book" / f"{chapter}.html").read_text()
    branch = config["repository"]["branch"]  # the release tag the Colab cell installs
    expected = f"https://colab.research.google.com/github/{repo}/blob/{branch}/book/{chapter}.ipynb"
    assert expected in page


def _numbered_pages():
    return [pathlib.Path(name).name for name in book_toc.chapters()]


@pytest.mark.parametrize("number, page", list(enumerate(_numbered_pages(), start=1)))
def test_exercises_are_numbered_by_chapter_with_hidden_solutions(book_html, number, page):
    text = (book_html / "book" / f"{page}.html").read_text()
    numbers = re.findall(r'<span class="caption-number">Exercise (\d+)\.(\d+) </span>', text)
    assert numbers and all(int(chapter) == number for chapter, _ in numbers), numbers
    assert [int(i) for _, i in numbers] == list(range(1, len(numbers) + 1))
    # Each solution is a closed dropdown placed under its exercise.
    assert text.count('class="solution dropdown admonition"') == len(numbers)
    # What the checks print ("✓ Exercise 2.1: ...") matches the rendered numbering.
    printed = re.findall(r"✓ Exercise (\d+)\.(\d+):", text)
    assert set(printed) <= set(numbers)


def test_instructor_guide_links_every_exercise_and_shows_run_times(book_html):
    text = (book_html / "book" / "instructor_guide.html").read_text()
    for _number, page in enumerate(_numbered_pages(), start=1):
        for chapter, i in re.findall(r'<span class="caption-number">Exercise (\d+)\.(\d+) </span>',
                                     (book_html / "book" / f"{page}.html").read_text()):
            link = f'href="{page}.html#ex-{chapter}-{i}"><span class="std std-numref">Exercise {chapter}.{i}</span>'
            assert link in text
    assert len(re.findall(r"runs in <span class=\"pasted-text\">\d+</span> s here", text)) == 9


def test_api_reference_documents_every_module(book_html):
    package = ROOT / "mnist_lessons"
    modules = sorted(".".join(p.relative_to(package).with_suffix("").parts) for p in package.rglob("*.py")
                     if not p.name.startswith("_"))
    page = (book_html / "book" / "api.html").read_text()
    for module in modules:
        assert f'id="module-mnist_lessons.{module}"' in page, f"mnist_lessons.{module} is missing from book/api.md"


def test_every_reference_is_cited_and_listed(book_html):
    keys = re.findall(r"^@\w+\{(\w+),", (ROOT / "book" / "references.bib").read_text(), flags=re.M)
    sources = "".join(path.read_text() for path in (ROOT / "book").glob("*.*") if path.suffix in (".md", ".ipynb"))
    for key in keys:
        assert f"{{cite}}`{key}`" in sources, f"{key} is never cited"
    page = (book_html / "book" / "references.html").read_text()
    assert page.count('role="doc-biblioentry"') == len(keys)


def test_glossary_terms_are_linked_from_the_chapters(book_html):
    glossary = (book_html / "book" / "glossary.html").read_text()
    terms = set(re.findall(r'<dt id="(term-[^"]+)"', glossary))
    linked = set()
    for page in (book_html / "book").glob("0*.html"):
        linked |= set(re.findall(r'href="glossary.html#(term-[^"]+)"', page.read_text()))
    assert linked <= terms and len(linked) >= 0.8 * len(terms), sorted(terms - linked)
