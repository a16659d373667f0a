"""Student copies of the book's notebooks: solutions replaced by stubs, outputs cleared.

    python -m mnist_lessons.classroom student-copies OUTDIR [--book BOOKDIR]

The book's notebooks are the instructor's copies. Each exercise's solution sits
between two markdown cells, a ``{solution-start} ex-3-1`` fence and a
``{solution-end}`` fence, which sphinx-exercise renders as a hidden dropdown.
Every code cell in between is tagged ``solution``; its metadata names its
exercise (``"exercise": "3.1"``) and holds the stub students get instead
(``"stub": "..."``): the same names, defined so that running them raises
``NotImplementedError("Exercise 3.1: ...")``.

A student copy replaces each solution cell by its stub and drops the rest of
the solution (its markers and explanations). Everything else is kept; outputs
and execution counts are cleared, so students run every cell themselves.
Notebooks without exercises (the instructor guide) get no student copy.
"""

import argparse
import copy
import pathlib
import re
import sys

from mnist_lessons.records import run_times  # noqa: F401  (re-exported: the instructor guide read it from here)

SOLUTION_TAG = "solution"
STUB_TAG = "exercise-stub"
_START = re.compile(r"^(```|:::)\{solution-start\}\s*(\S*)")
_END = re.compile(r"^(```|:::)\{solution-end\}")


def _tags(cell):
    return cell.metadata.get("tags", [])


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


def has_exercises(notebook):
    """True if ``notebook`` contains at least one solution cell."""
    return any(cell.cell_type == "code" and SOLUTION_TAG in _tags(cell) for cell in notebook.cells)


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
    cells, inside = [], None
    for cell in student.cells:
        source = cell.source.lstrip()
        if cell.cell_type == "markdown" and _START.match(source):
            inside = _START.match(source).group(2) or "?"
            continue
        if cell.cell_type == "markdown" and _END.match(source):
            inside = None
            continue
        if cell.cell_type == "code" and SOLUTION_TAG in _tags(cell):
            cell.source = stub_for(cell)
            cell.metadata["tags"] = [tag for tag in _tags(cell) if tag != SOLUTION_TAG] + [STUB_TAG]
            cell.metadata.pop("stub", None)
        elif inside is not None:
            if cell.cell_type == "code":
                raise ValueError(f"a code cell inside the solution to {inside} is not tagged 'solution', so it "
                                 f"would reach students: {cell.source[:60]!r}. Tag it or move it out.")
            continue                                  # the solution's explanations stay with the teacher
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
        cells.append(cell)
    if inside is not None:
        raise ValueError(f"the solution to {inside} has no solution-end marker.")
    student.cells = cells
    student.metadata.pop("widgets", None)
    return student


def write_student_copies(book, outdir):
    """Write a student copy of every notebook in ``book`` that has exercises; return the paths written."""
    import nbformat

    book, outdir = pathlib.Path(book), pathlib.Path(outdir)
    notebooks = sorted(book.glob("*.ipynb"))
    if not notebooks:
        raise FileNotFoundError(f"no notebooks in {book}; pass the book's folder with --book.")
    written = []
    for path in notebooks:
        notebook = nbformat.read(path, as_version=4)
        if not has_exercises(notebook):
            continue
        outdir.mkdir(parents=True, exist_ok=True)
        target = outdir / path.name
        nbformat.write(student_copy(notebook), target)
        written.append(target)
    if not written:
        raise ValueError(f"no notebook in {book} has exercises (code cells tagged 'solution').")
    return written


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m mnist_lessons.classroom", description=__doc__.split("\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    copies = commands.add_parser("student-copies", help="write one student notebook per chapter")
    copies.add_argument("outdir", help="folder for the student copies (created if missing)")
    copies.add_argument("--book", default=str(pathlib.Path.cwd() / "book"),
                        help="folder of the instructor notebooks (default: ./book)")
    args = parser.parse_args(argv)
    try:
        written = write_student_copies(args.book, args.outdir)
    except (FileNotFoundError, ValueError) as error:
        parser.exit(2, f"error: {error}\n")
    for path in written:
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
