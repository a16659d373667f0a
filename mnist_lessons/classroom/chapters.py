"""What a course takes from the book's notebooks: which are chapters, their setup, their exercises.

The book's notebooks are the instructor's copies. A chapter has a ``## Setup`` section (the
code every later cell needs) and a last section, ``## Exercises``. Each exercise there is a
question (a ``:::{exercise}`` block labelled ``ex-N-M``), then its solution between two
markdown cells, a ``{solution-start} ex-N-M`` fence and a ``{solution-end}`` fence, which
sphinx-exercise renders as a hidden dropdown, then the cell that runs its check
(``exercises.check_...(answer)``). Every code cell of a solution is tagged ``solution``; its
metadata names its exercise (``"exercise": "3.1"``) and holds the stub students get instead
(``"stub": "..."``): the same names, defined so that running them raises
``NotImplementedError("Exercise 3.1: ...")``.
"""

import pathlib
import re

SOLUTION_TAG = "solution"
START = re.compile(r"^(```|:::)\{solution-start\}[ \t]*(\S*)")   # the label on the fence's own line
END = re.compile(r"^(```|:::)\{solution-end\}")
CHECK_CALL = re.compile(r"^exercises\.(check_\w+)\((\w+)\)$")


def tags(cell):
    """The cell's tags (a list, empty when it has none)."""
    return cell.metadata.get("tags", [])


def is_solution(cell):
    """True for a code cell tagged ``solution``."""
    return cell.cell_type == "code" and SOLUTION_TAG in tags(cell)


def has_exercises(notebook):
    """True if ``notebook`` contains at least one solution cell."""
    return any(is_solution(cell) for cell in notebook.cells)


def read_notebook(path):
    """Read a notebook (nbformat 4), or raise ValueError saying why the file is not one.

    Raises
    ------
    FileNotFoundError
        If ``path`` does not exist.
    ValueError
        If it is not a readable notebook (not JSON, not nbformat, an unknown version).
    """
    import nbformat

    path = pathlib.Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"no notebook at {path}.")
    try:
        return nbformat.read(path, as_version=4)
    except Exception as error:  # noqa: BLE001  nbformat raises many kinds; all mean "not a notebook"
        reason = " ".join(str(error).split())[:120] or type(error).__name__
        raise ValueError(f"{path} is not a readable notebook ({reason}).") from None


def chapter_notebooks(book):
    """The notebooks of ``book`` (a folder) that have exercises, sorted by name: ``{stem: path}``.

    Raises
    ------
    FileNotFoundError
        If ``book`` has no notebooks.
    ValueError
        If none of them has exercises.
    """
    book = pathlib.Path(book)
    paths = sorted(book.glob("*.ipynb"))
    if not paths:
        raise FileNotFoundError(f"no notebooks in {book}; pass the book's folder with --book.")
    chapters = {path.stem: path for path in paths if has_exercises(read_notebook(path))}
    if not chapters:
        raise ValueError(f"no notebook in {book} has exercises (code cells tagged 'solution').")
    return chapters


def select_chapters(chapters, names):
    """The chapters named in ``names`` (all when it is empty), or ValueError naming what is not a chapter."""
    if not names:
        return dict(chapters)
    unknown = [name for name in names if name.removesuffix(".ipynb") not in chapters]
    if unknown:
        raise ValueError(f"not a chapter with exercises: {', '.join(unknown)}; the chapters are "
                         f"{', '.join(chapters)}.")
    return {name.removesuffix(".ipynb"): chapters[name.removesuffix(".ipynb")] for name in names}


def section(notebook, heading, name="the notebook"):
    """The cells of the ``## heading`` section, the heading's cell first; ValueError if it has none."""
    cells, inside = [], False
    for cell in notebook.cells:
        if cell.cell_type == "markdown" and cell.source.startswith("## "):
            inside = cell.source.splitlines()[0].startswith(f"## {heading}")
        if inside:
            cells.append(cell)
    if not cells:
        raise ValueError(f"{name} is not a chapter: it has no '## {heading}' section.")
    return cells


def title(notebook, name="the notebook"):
    """The text of the notebook's title, its first level-1 heading."""
    for cell in notebook.cells:
        if cell.cell_type == "markdown" and cell.source.startswith("# "):
            return cell.source.splitlines()[0][2:].strip()
    raise ValueError(f"{name} is not a chapter: it has no '# ' title.")


def colab_cell(notebook):
    """The chapter's Colab install cell (the first code cell, which installs only in Colab), or None."""
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    if code and "google.colab" in code[0].source:
        return code[0]
    return None


def exercise_parts(cells, name="the notebook"):
    """Label each cell of an exercises section: a list of ``(kind, cell, exercise)``.

    ``kind`` is ``"solution"`` (a code cell tagged ``solution``), ``"hidden"`` (a fence or an
    explanation of a solution, which students never see), ``"check"`` (a cell
    ``exercises.check_...(answer)``), or ``"shown"`` (everything else: the heading, the
    questions, imports). ``exercise`` is the number (``"3.1"``) for solutions and checks, the
    number of the exercise the check follows.

    Raises
    ------
    ValueError
        If a code cell inside a solution is not tagged ``solution`` (it would reach students),
        if a solution is not closed, or if a solution cell does not name its exercise.
    """
    parts, inside, last = [], None, None
    for cell in cells:
        source = cell.source.lstrip()
        if cell.cell_type == "markdown" and START.match(source):
            inside = START.match(source).group(2) or "?"
            parts.append(("hidden", cell, None))
        elif cell.cell_type == "markdown" and END.match(source):
            inside = None
            parts.append(("hidden", cell, None))
        elif is_solution(cell):
            last = cell.metadata.get("exercise")
            if not last:
                raise ValueError(
                    "a cell tagged 'solution' must name its exercise in its metadata (\"exercise\": \"3.1\"); "
                    f"this one in {name} starts with {cell.source[:60]!r}.")
            parts.append(("solution", cell, last))
        elif inside is not None:
            if cell.cell_type == "code":
                raise ValueError(f"a code cell inside the solution to {inside} in {name} is not tagged "
                                 f"'solution', so it would reach students: {cell.source[:60]!r}. Tag it or "
                                 "move it out.")
            parts.append(("hidden", cell, None))
        elif cell.cell_type == "code" and CHECK_CALL.match(cell.source.strip()):
            parts.append(("check", cell, last))
        else:
            parts.append(("shown", cell, None))
    if inside is not None:
        raise ValueError(f"the solution to {inside} in {name} has no solution-end marker.")
    return parts
