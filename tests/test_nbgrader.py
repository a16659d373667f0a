"""The exercises graded by the real nbgrader, as a course would grade them.

`python -m mnist_lessons.classroom nbgrader` writes the course; `nbgrader generate_assignment`
releases every chapter; five students submit: one with the book's solutions everywhere, one with
the untouched stubs of two chapters, one with a right answer, a wrong one and a crashing cell, one whose function
never returns, and one whose notebook is not a notebook. `python -m mnist_lessons.classroom grade`
runs `nbgrader autograde` and `nbgrader export`; the grade table's totals are asserted.
"""

import csv
import os
import pathlib
import shutil
import subprocess
import sys

import nbformat
import pytest

pytestmark = [pytest.mark.slow, pytest.mark.notebook]

pytest.importorskip("nbgrader", reason="nbgrader is a test dependency (requirements.txt)")

ROOT = pathlib.Path(__file__).resolve().parent.parent


def _run(*command, cwd):
    env = {**os.environ, "PATH": os.path.dirname(sys.executable) + os.pathsep + os.environ["PATH"]}
    return subprocess.run(list(command), cwd=cwd, env=env, capture_output=True, text=True, timeout=3600)


def _submit(course, student, name, notebook):
    folder = course / "submitted" / student / name
    folder.mkdir(parents=True, exist_ok=True)
    nbformat.write(notebook, folder / f"{name}.ipynb")


def _answer(notebook, exercise, source):
    """Replace the answer cell of ``exercise`` (e.g. "1.3") by ``source``."""
    grade_id = f"ex-{exercise.replace('.', '-')}-answer"
    (cell,) = [cell for cell in notebook.cells if cell.metadata["nbgrader"]["grade_id"] == grade_id]
    cell.source = source


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    from mnist_lessons.classroom.nbgrader_course import solved_copy

    course = tmp_path_factory.mktemp("course")
    result = _run(sys.executable, "-m", "mnist_lessons.classroom", "nbgrader", str(course), "--book",
                  str(ROOT / "book"), cwd=course)
    assert result.returncode == 0, result.stderr
    chapters = sorted(path.name for path in (course / "source").iterdir())
    for name in chapters:
        result = _run(sys.executable, "-m", "nbgrader", "generate_assignment", name, cwd=course)
        assert result.returncode == 0, result.stderr[-3000:]
    for name in chapters:
        source = nbformat.read(course / "source" / name / f"{name}.ipynb", as_version=4)
        _submit(course, "right", name, solved_copy(source))
    for name in (chapters[0], chapters[-1]):          # every check of a stub raises the same way: two suffice
        shutil.copytree(course / "release" / name, course / "submitted" / "stubs" / name)
    first = chapters[0]
    mix = solved_copy(nbformat.read(course / "source" / first / f"{first}.ipynb", as_version=4))
    _answer(mix, "1.2", "inkiest_digit = 8")                                   # wrong
    _answer(mix, "1.3", "nearest_neighbour = closest_label_of_all  # a name never defined")   # crashes
    _submit(course, "mix", first, mix)
    loop = solved_copy(nbformat.read(course / "source" / first / f"{first}.ipynb", as_version=4))
    _answer(loop, "1.3", "def nearest_neighbour(train_images, train_labels, images):\n    while True:\n        pass")
    _submit(course, "loop", first, loop)
    (course / "submitted" / "corrupt" / first).mkdir(parents=True)
    (course / "submitted" / "corrupt" / first / f"{first}.ipynb").write_text('{"cells": [ {"cell_ty')
    result = _run(sys.executable, "-m", "mnist_lessons.classroom", "grade", str(course), "--jobs", "2", cwd=course)
    return course, result


def _points(*numbers):
    from mnist_lessons import exercises

    checks = [getattr(exercises, name) for name in exercises.__all__ if name.startswith("check_")]
    return sum(check.points for check in checks if not numbers or check.exercise in numbers)


def test_the_grade_table_holds_the_totals(graded):
    course, result = graded
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    with open(course / "grades.csv", newline="") as file:
        rows = list(csv.DictReader(file))
    totals = {}
    for row in rows:
        totals[row["student_id"]] = totals.get(row["student_id"], 0) + float(row["score"])
    assert totals == {"right": _points(), "stubs": 0, "mix": _points("1.1"), "loop": _points("1.1", "1.2"),
                      "corrupt": 0}
    assert f"right: {_points():g} of {_points():g} points" in result.stdout


def test_a_corrupt_submission_gets_one_line_and_a_zero(graded):
    _course, result = graded
    (line,) = [line for line in result.stdout.splitlines() if line.startswith("corrupt, 01_mnist")]
    assert "not graded, scored 0" in line and "is not a readable notebook" in line


def test_the_endless_loop_was_stopped_with_its_reason(graded):
    course, _result = graded
    notebook = nbformat.read(course / "autograded" / "loop" / "01_mnist" / "01_mnist.ipynb", as_version=4)
    (cell,) = [cell for cell in notebook.cells if cell.metadata["nbgrader"]["grade_id"] == "ex-1-3"]
    assert "CellTimeoutError" in [output.get("ename") for output in cell.outputs]


def test_the_hidden_tests_ran_and_passed_for_the_right_answers(graded):
    from mnist_lessons import exercises

    course, _result = graded
    texts = []
    for path in (course / "autograded" / "right").glob("*/*.ipynb"):
        for cell in nbformat.read(path, as_version=4).cells:
            texts += [output.get("text", "") for output in cell.get("outputs", [])]
    passed = "".join(texts)
    hidden = [getattr(exercises, name) for name in exercises.__all__
              if name.startswith("check_") and getattr(exercises, name).has_hidden_variant]
    for check in hidden:
        assert f"✓ Exercise {check.exercise} (hidden test):" in passed, check.__name__
    students = nbformat.read(course / "release" / "01_mnist" / "01_mnist.ipynb", as_version=4)
    assert 'variant="hidden"' not in "".join(cell.source for cell in students.cells)     # students never see it


def test_students_get_the_stubs_of_the_student_copies_but_their_last_line(graded):
    from mnist_lessons.classroom.chapters import is_solution

    course, _result = graded
    for folder in (course / "release").iterdir():
        released = nbformat.read(folder / f"{folder.name}.ipynb", as_version=4)
        answers = [cell.source for cell in released.cells if cell.metadata["nbgrader"]["solution"]]
        chapter = nbformat.read(ROOT / "book" / f"{folder.name}.ipynb", as_version=4)
        stubs = [cell.metadata["stub"] for cell in chapter.cells if is_solution(cell)]
        assert len(answers) == len(stubs)
        for answer, stub in zip(answers, stubs):
            assert answer.split("\n")[:-1] == stub.split("\n")[:-1]
            assert answer.split("\n")[-1].strip().startswith("raise NotImplementedError(")
