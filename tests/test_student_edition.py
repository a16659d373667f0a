"""The student edition of the site: built as `make student-book` builds it, with warnings as errors,
it holds no solution (code or explanation) and no check output, no instructor guide, and its Colab
buttons open the student notebooks at the location _config.yml names."""

import html
import pathlib
import re
import subprocess
import sys

import book_toc
import nbformat
import pytest
import yaml

from mnist_lessons.classroom.chapters import exercise_parts

pytestmark = [pytest.mark.slow]

ROOT = pathlib.Path(__file__).resolve().parent.parent
CHAPTERS = [page.split("/")[-1] for page in book_toc.chapters() if (ROOT / f"{page}.ipynb").exists()]


@pytest.fixture(scope="module")
def student_html(tmp_path_factory):
    """The two commands of `make student-book`, into a temporary folder; the path of the HTML."""
    out = tmp_path_factory.mktemp("student")
    result = subprocess.run([sys.executable, "-m", "mnist_lessons.classroom", "student-edition", str(out / "source"),
                             "--root", str(ROOT)], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    jupyter_book = pathlib.Path(sys.executable).with_name("jupyter-book")
    result = subprocess.run([str(jupyter_book), "build", str(out / "source"), "--path-output", str(out), "-W",
                             "--keep-going"], capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return out / "_build" / "html"


def _text(page):
    """A page's visible text: tags removed, entities decoded, whitespace collapsed."""
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", body)).split())


def _squeezed(text):
    """``text`` without any whitespace: highlighted code puts tags, so spaces, between its tokens."""
    return "".join(text.split())


def _pages(site):
    return {path: _squeezed(_text(path.read_text())) for path in site.rglob("*.html")}


def _phrases(text, code=False):
    """The lines of a solution, without whitespace, that a rendered page shows as they are: every
    line of code, the lines of prose without Markdown markup."""
    for line in text.splitlines():
        plain = code or not (re.search(r"[`*$\\{}\[\]_|<>]", line) or line.lstrip().startswith(("#", ":")))
        if len(line.strip()) >= 25 and plain:
            yield _squeezed(line)


def _solutions():
    """Every solution's phrases: each solution cell's code and each explanation, from chapters and pages."""
    found = {}
    for chapter in CHAPTERS:
        notebook = nbformat.read(ROOT / "book" / f"{chapter}.ipynb", as_version=4)
        parts = exercise_parts(notebook.cells)
        # What students may see: the stubs, and the chapter's own cells (a line can be in both).
        allowed = _squeezed("\n".join([cell.metadata.get("stub", "") for cell in notebook.cells]
                                      + [cell.source for kind, cell, _ in parts if kind not in ("hidden", "solution")]))
        for kind, cell, _number in parts:
            if kind == "hidden" or kind == "solution":
                phrases = [phrase for phrase in _phrases(cell.source, code=kind == "solution") if phrase not in allowed]
                found[f"{chapter}: {cell.source[:40]!r}"] = phrases
    for page in (ROOT / "book").glob("*.md"):
        for block in re.findall(r"^:{3,}\{solution\}.*?^:{3,}\s*$", page.read_text(), flags=re.M | re.S):
            found[f"{page.name}: {block[:40]!r}"] = list(_phrases(block))
    return found


def test_no_solution_text_reaches_the_student_edition(student_html, book_html):
    student, full = _pages(student_html), " ".join(_pages(book_html).values())
    solutions = _solutions()
    assert sum(len(phrases) for phrases in solutions.values()) > 100
    for where, phrases in solutions.items():
        for phrase in phrases:
            if phrase in full:                        # rendered in the full book, so findable if it leaked
                leaks = [path.name for path, text in student.items() if phrase in text]
                assert not leaks, f"{where}: {phrase!r} is in {leaks}"
    shown = sum(phrase in full for phrases in solutions.values() for phrase in phrases)
    assert shown > 50                                 # the search had something to find


def test_no_check_output_and_every_stub_is_shown(student_html):
    for chapter in CHAPTERS:
        page = (student_html / "book" / f"{chapter}.html").read_text()
        text = _text(page)
        assert "✓ Exercise" not in text and "✗ Exercise" not in text, chapter
        assert not re.search(r'class="[^"]*\bsolution\b', page) and "solution-start" not in page
        assert text.count("NotImplementedError") >= 2, chapter           # the stubs students fill in
        assert "Exercise" in text


def test_the_chapters_keep_their_figures_and_numbers(student_html, book_html):
    for chapter in CHAPTERS:
        student = (student_html / "book" / f"{chapter}.html").read_text()
        full = (book_html / "book" / f"{chapter}.html").read_text()
        figures = re.findall(r'<img [^>]*src="([^"]+)"', full)
        assert len(re.findall(r'<img [^>]*src="([^"]+)"', student)) >= len(figures) - 2, chapter
    assert "60,000" in (student_html / "book" / "01_mnist.html").read_text()


def test_the_instructor_guide_is_left_out(student_html):
    assert not list(student_html.rglob("instructor_guide*"))
    for path in student_html.rglob("*.html"):
        assert "instructor_guide" not in path.read_text(), path.name


def test_every_colab_link_opens_the_student_notebooks(student_html):
    config = yaml.safe_load((ROOT / "_config.yml").read_text())["student_edition"]["repository"]
    repo = config["url"].removeprefix("https://github.com/")
    folder = f"{config['path_to_book']}/" if config["path_to_book"] else ""
    links = {}
    for path in student_html.rglob("*.html"):
        for link in re.findall(r'href="(https://colab\.research\.google\.com/[^"]+)"', path.read_text()):
            links.setdefault(path.stem, []).append(html.unescape(link))
    assert set(CHAPTERS) <= set(links)
    location = f"https://colab.research.google.com/github/{repo}/blob/{config['branch']}/{folder}"
    for found in links.values():
        for link in found:
            assert link.startswith(location), link
    for chapter in CHAPTERS:
        assert f"{location}book/{chapter}.ipynb" in links[chapter]
