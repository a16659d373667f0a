"""The student copies run: everything before the first exercise works, and the only errors are the stubs.

Each copy is written by `python -m mnist_lessons.classroom student-copies`. Up to its exercises a copy is
the instructor's notebook, cell for cell (checked here), which nbval executes in `make test`; so only
its setup and its exercises are executed here, in a fresh kernel, carrying on after errors, the way a
student who runs those cells would see them.
"""

import pathlib
import re
import subprocess
import sys

import book_toc
import nbformat
import pytest

pytestmark = [pytest.mark.slow, pytest.mark.notebook]

ROOT = pathlib.Path(__file__).resolve().parent.parent
CHAPTERS = [page.split("/")[-1] for page in book_toc.chapters() if (ROOT / f"{page}.ipynb").exists()]


@pytest.fixture(scope="module")
def copies(tmp_path_factory):
    outdir = tmp_path_factory.mktemp("students")
    result = subprocess.run([sys.executable, "-m", "mnist_lessons.classroom", "student-copies", str(outdir),
                             "--book", str(ROOT / "book")], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    return outdir


def test_one_copy_per_chapter_and_none_of_the_guide(copies):
    assert sorted(path.stem for path in copies.glob("*.ipynb")) == sorted(CHAPTERS)


def _exercises(notebook):
    return [cell.metadata["exercise"] for cell in notebook.cells if "exercise-stub" in cell.metadata.get("tags", [])]


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_copy_hides_every_solution(copies, chapter):
    instructor = nbformat.read(ROOT / "book" / f"{chapter}.ipynb", as_version=4)
    student = nbformat.read(copies / f"{chapter}.ipynb", as_version=4)
    solutions = [cell.source for cell in instructor.cells if "solution" in cell.metadata.get("tags", [])]
    sources = "\n".join(cell.source for cell in student.cells)
    assert solutions and len(_exercises(student)) == len(solutions)
    assert not any(solution in sources for solution in solutions), f"{chapter}: a solution reached the students"
    assert "solution-start" not in sources and "solution-end" not in sources
    assert all(cell.get("outputs", []) == [] for cell in student.cells if cell.cell_type == "code")


def _setup_and_exercises(notebook):
    """The cells a student copy differs in, and what they need: the setup section and the exercises.

    Everything between them is the instructor's notebook unchanged, which `make test` runs with nbval;
    so here only the setup cells (the code under "## Setup") and the exercise section run.
    """
    heading = None
    kept = []
    for cell in notebook.cells:
        if cell.cell_type == "markdown" and cell.source.startswith("## "):
            heading = cell.source.splitlines()[0]
        if heading in ("## Setup", "## Exercises") or (heading and heading.startswith("## Exercises")):
            kept.append(cell)
    return kept


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_everything_before_the_exercises_is_the_instructors_notebook(copies, chapter):
    instructor = nbformat.read(ROOT / "book" / f"{chapter}.ipynb", as_version=4)
    student = nbformat.read(copies / f"{chapter}.ipynb", as_version=4)

    def before_exercises(notebook):
        sources = [cell.source for cell in notebook.cells]
        return sources[:next(i for i, source in enumerate(sources) if source.startswith("## Exercises"))]

    assert before_exercises(student) == before_exercises(instructor)


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_the_exercises_run_and_stop_only_at_the_stubs(copies, chapter):
    from nbclient import NotebookClient

    notebook = nbformat.read(copies / f"{chapter}.ipynb", as_version=4)
    notebook.cells = _setup_and_exercises(notebook)
    NotebookClient(notebook, timeout=600, allow_errors=True, skip_cells_with_tag="nbval-skip",
                   resources={"metadata": {"path": str(copies)}}).execute()
    exercises = _exercises(notebook)
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    first_stub = next(i for i, cell in enumerate(code) if "exercise-stub" in cell.metadata.get("tags", []))
    raised = set()
    for index, cell in enumerate(code):
        errors = [out for out in cell.outputs if out.output_type == "error"]
        if index < first_stub:
            assert not errors, f"{chapter}: {cell.source[:60]!r} failed before the exercises: {errors}"
            continue
        for error in errors:
            match = re.match(r"Exercise (\d+\.\d+):", error.evalue)
            assert error.ename == "NotImplementedError" and match and match.group(1) in exercises, (
                f"{chapter}: {cell.source[:60]!r} raised {error.ename}: {error.evalue}"
            )
            raised.add(match.group(1))
    assert raised == set(exercises), f"{chapter}: exercises that never stopped the student: {set(exercises) - raised}"
