"""Student copies of the book's notebooks: solutions replaced by stubs, outputs cleared.

    python -m mnist_lessons.classroom student-copies OUTDIR [--book BOOKDIR]

The book's notebooks are the instructor's copies. In them, every solution cell
is a code cell tagged ``solution`` whose metadata names its exercise
(``"exercise": "3.1"``) and holds the stub students get instead
(``"stub": "..."``): the same names, defined so that running them raises
``NotImplementedError("Exercise 3.1: ...")``. Everything else is kept;
outputs and execution counts are cleared, so students run every cell
themselves.
"""

import argparse
import pathlib
import sys

SOLUTION_TAG = "solution"


def stub_for(cell):
    """The stub that replaces a solution cell (its metadata's "stub", or a bare raise)."""
    exercise = cell.metadata.get("exercise")
    if not exercise:
        raise ValueError(
            "a cell tagged 'solution' must name its exercise in its metadata (\"exercise\": \"3.1\"); "
            f"this one starts with {cell.source[:60]!r}."
        )
    stub = cell.metadata.get("stub")
    if stub is None:
        stub = f'raise NotImplementedError("Exercise {exercise}: write your solution here.")'
    if f"Exercise {exercise}" not in stub or "NotImplementedError" not in stub:
        raise ValueError(f"the stub of exercise {exercise} must raise NotImplementedError(\"Exercise {exercise}: ...\").")
    return stub


def student_copy(notebook):
    """Return a copy of ``notebook`` (an nbformat node) for students; the original is unchanged."""
    import copy

    student = copy.deepcopy(notebook)
    for cell in student.cells:
        if cell.cell_type != "code":
            continue
        if SOLUTION_TAG in cell.metadata.get("tags", []):
            cell.source = stub_for(cell)
            cell.metadata["tags"] = [tag for tag in cell.metadata["tags"] if tag != SOLUTION_TAG] + ["exercise-stub"]
            cell.metadata.pop("stub", None)
        cell.outputs = []
        cell.execution_count = None
    student.metadata.pop("widgets", None)
    return student


def write_student_copies(book, outdir):
    """Write a student copy of every notebook in ``book`` to ``outdir``; return the paths written."""
    import nbformat

    book, outdir = pathlib.Path(book), pathlib.Path(outdir)
    notebooks = sorted(book.glob("*.ipynb"))
    if not notebooks:
        raise FileNotFoundError(f"no notebooks in {book}; pass the book's folder with --book.")
    outdir.mkdir(parents=True, exist_ok=True)
    written = []
    for path in notebooks:
        notebook = nbformat.read(path, as_version=4)
        target = outdir / path.name
        nbformat.write(student_copy(notebook), target)
        written.append(target)
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
