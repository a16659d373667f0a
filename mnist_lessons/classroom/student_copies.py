"""Student copies of the book's notebooks: solutions replaced by stubs, outputs cleared.

    python -m mnist_lessons.classroom student-copies OUTDIR [--book BOOKDIR]

A student copy replaces each solution cell (see ``chapters``) by its stub and drops the
rest of the solution (its fences and explanations). Everything else is kept; outputs and
execution counts are cleared, so students run every cell themselves. Notebooks without
exercises (the instructor guide) get no student copy.
"""

import copy
import pathlib

from mnist_lessons.classroom.chapters import chapter_notebooks, exercise_parts, read_notebook, tags

STUB_TAG = "exercise-stub"


def stub_for(cell):
    """The stub that replaces a solution cell: its metadata's "stub", which must raise NotImplementedError."""
    exercise = cell.metadata.get("exercise")
    if not exercise:
        raise ValueError(
            "a cell tagged 'solution' must name its exercise in its metadata (\"exercise\": \"3.1\"); "
            f"this one starts with {cell.source[:60]!r}."
        )
    stub = cell.metadata.get("stub")
    if stub is None:
        raise ValueError(
            f"the solution cell of exercise {exercise} has no stub: put the students' version in its "
            f'metadata ("stub": "...raise NotImplementedError(\\"Exercise {exercise}: ...\\")").'
        )
    if f"Exercise {exercise}" not in stub or "NotImplementedError" not in stub:
        raise ValueError(
            f"the stub of exercise {exercise} must raise NotImplementedError(\"Exercise {exercise}: ...\").")
    return stub


def student_copy(notebook):
    """Return a copy of ``notebook`` (an nbformat node) for students; the original is unchanged.

    Raises
    ------
    ValueError
        If a solution cell does not name its exercise or has a stub that does not raise, if a code
        cell inside a solution is not tagged ``solution`` (it would reach students), or if a
        solution is not closed.
    """
    student = copy.deepcopy(notebook)
    cells = []
    for kind, cell, _exercise in exercise_parts(student.cells):
        if kind == "hidden":
            continue                                  # the solution's explanations stay with the teacher
        if kind == "solution":
            cell.source = stub_for(cell)
            cell.metadata["tags"] = [tag for tag in tags(cell) if tag != "solution"] + [STUB_TAG]
            cell.metadata.pop("stub", None)
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
        cells.append(cell)
    student.cells = cells
    student.metadata.pop("widgets", None)
    return student


def write_student_copies(book, outdir):
    """Write a student copy of every notebook in ``book`` that has exercises; return the paths written."""
    import nbformat

    outdir = pathlib.Path(outdir)
    written = []
    for name, path in chapter_notebooks(book).items():
        outdir.mkdir(parents=True, exist_ok=True)
        target = outdir / f"{name}.ipynb"
        nbformat.write(student_copy(read_notebook(path)), target)
        written.append(target)
    return written
