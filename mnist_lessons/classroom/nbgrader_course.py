"""The book's exercises as an nbgrader course: one assignment per chapter, graded by nbgrader.

    python -m mnist_lessons.classroom nbgrader COURSEDIR [--book BOOKDIR] [--chapter NAME ...]

writes nbgrader's *source* course directory: ``COURSEDIR/nbgrader_config.py`` and
``COURSEDIR/source/<chapter>/<chapter>.ipynb`` for every chapter with exercises (or those
named). nbgrader then does the rest (``nbgrader generate_assignment``, ``collect``,
``autograde``, ``export``); the instructor guide shows the commands.

An assignment holds the chapter's Colab cell, its setup and its exercises, never the
chapter's other cells: grading runs a student's answers and the checks, and does not
retrain the book's models. Its cells, in nbgrader's terms:

- each solution is a *solution* cell (``grade_id`` ``ex-3-1-answer``). Students get the
  stub of the student copies, but for its last line: nbgrader replaces the region between
  ``### BEGIN SOLUTION`` and ``### END SOLUTION`` with one stub for every cell
  (``raise NotImplementedError(...)``, set in the course's ``nbgrader_config.py``), so that
  line does not name the exercise. The solution region holds what answers the question:
  the function's body, or the lines up to the last that sets the asked-for value; the
  demonstration that follows it in the book uses the chapter's other cells and is left out.
- each check is an *autograder tests* cell (``grade_id`` ``ex-3-1``), locked, worth the
  check's ``points``: ``check(answer, strict=True)``, which raises on a wrong answer, and,
  between ``### BEGIN HIDDEN TESTS`` and ``### END HIDDEN TESTS``, the check's hidden
  variant, which students never see and nbgrader runs when it grades.
- every other cell (title, setup, questions) is *read-only*: when it grades, nbgrader puts an
  edited read-only or test cell back as it was (a deleted test cell too). The students' own
  cells still run in the same kernel as the tests, as with every nbgrader assignment.

A student's cell that runs longer than ``CELL_TIME_LIMIT`` seconds (an endless loop) is
stopped by nbgrader, and its exercise gets 0 with the reason in the feedback.
"""

import ast
import copy
import pathlib
import re
import textwrap

from mnist_lessons.classroom.chapters import (
    CHECK_CALL,
    chapter_notebooks,
    colab_cell,
    exercise_parts,
    read_notebook,
    section,
    select_chapters,
    title,
)
from mnist_lessons.classroom.student_copies import stub_for

# nbgrader stops a cell after this many seconds; its exercise then gets 0. Far above what a cell of
# the book's own solutions needs (a whole chapter's assignment took under a minute on a loaded
# two-core machine, tests/test_nbgrader.py), so that only an answer that never ends reaches it.
CELL_TIME_LIMIT = 120
# What replaces a solution region in the students' version (nbgrader's ClearSolutions.code_stub).
CODE_STUB = 'raise NotImplementedError("not answered yet: replace this line with your answer")'
BEGIN, END = "### BEGIN SOLUTION", "### END SOLUTION"
BEGIN_HIDDEN, END_HIDDEN = "### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS"

CONFIG = f'''\
# nbgrader's settings for the mnist-lessons course, written by
# `python -m mnist_lessons.classroom nbgrader`. Run nbgrader's commands in this folder.
c = get_config()  # noqa: F821  (nbgrader defines it)

c.CourseDirectory.course_id = "mnist-lessons"
# A student's cell that runs longer than this (an endless loop, say) is stopped, and its
# exercise gets 0 with the reason in the feedback.
c.ExecutePreprocessor.timeout = {CELL_TIME_LIMIT}
# Students get the book's stub for each answer; this line replaces the solution itself.
c.ClearSolutions.code_stub = {{"python": {CODE_STUB!r}}}
'''


def _nbgrader(cell, grade_id, *, solution=False, points=None):
    """Mark ``cell`` for nbgrader: a solution, an autograder test worth ``points``, or read-only."""
    grade = points is not None
    cell.metadata["nbgrader"] = {"grade": grade, "grade_id": grade_id, "locked": not solution,
                                 "schema_version": 3, "solution": solution, "task": False}
    if grade:
        cell.metadata["nbgrader"]["points"] = points
    if cell.cell_type == "code":
        cell.outputs, cell.execution_count = [], None
    cell.metadata.pop("execution", None)
    return cell


def _binds(statement, names):
    """True if a top-level statement assigns one of ``names``."""
    targets = [node.id for node in ast.walk(statement) if isinstance(node, ast.Name)
               and isinstance(node.ctx, ast.Store)]
    return isinstance(statement, (ast.Assign, ast.AnnAssign, ast.AugAssign)) and bool(set(targets) & set(names))


def solution_source(solution, stub, exercise):
    """The source of an exercise's solution cell for nbgrader: the stub around a solution region.

    Parameters
    ----------
    solution, stub : str
        The book's solution cell and the students' stub (which ends by raising
        ``NotImplementedError``).
    exercise : str
        The exercise's number, for messages.

    Returns
    -------
    str
        For a function exercise: the stub's ``def`` line and docstring, then the solution's body
        as the region. For a value exercise: the stub's lines but the last (``name =
        NotImplemented``), then the solution's lines up to the last that sets ``name``. Without
        its region markers the source runs as the solution; nbgrader replaces the region with
        its code stub for students. A solution that is not one function's body is a region of
        its own after the stub's lines.

    Raises
    ------
    ValueError
        If the stub does not end by raising NotImplementedError, or if the solution does not
        define what the stub defines.
    """
    lines = stub.rstrip().split("\n")
    raising = re.match(r"^(\s*)raise NotImplementedError\(", lines[-1])
    if raising is None:
        raise ValueError(f"the stub of exercise {exercise} must end with a line raising NotImplementedError.")
    header, indent = lines[:-1], raising.group(1)
    stub_tree, tree = ast.parse(stub), ast.parse(solution)
    source = solution.split("\n")
    defined = stub_tree.body[0]
    if isinstance(defined, ast.FunctionDef):
        functions = [node for node in tree.body if isinstance(node, ast.FunctionDef) and node.name == defined.name]
        if not functions:
            raise ValueError(f"the solution of exercise {exercise} does not define {defined.name}().")
        function = functions[-1]
        has_docstring = isinstance(function.body[0], ast.Expr) and isinstance(function.body[0].value, ast.Constant)
        start = function.body[0].end_lineno if has_docstring else function.body[0].lineno - 1
        region = source[start:function.end_lineno]
        alone = tree.body.index(function) == 0 and len(function.body) > has_docstring
        if alone and indent and all(not line.strip() or line.startswith(indent) for line in region):
            return "\n".join([*header, indent + BEGIN, *region, indent + END])
        region, indent = source[:function.end_lineno], ""
        header = []                   # the solution redefines the function: the stub's def would be in the way
    else:
        names = [target.id for node in stub_tree.body if isinstance(node, ast.Assign)
                 for target in node.targets if isinstance(target, ast.Name)]
        setting = [node for node in tree.body if _binds(node, names)]
        if not setting:
            raise ValueError(f"the solution of exercise {exercise} never sets {', '.join(names)}.")
        region = source[:setting[-1].end_lineno]
    return "\n".join([*header, indent + BEGIN, *region, indent + END])


def test_source(check_cell, check):
    """The autograder test of an exercise: the visible check in strict mode, then the hidden variant."""
    name, answer = CHECK_CALL.match(check_cell.source.strip()).groups()
    lines = [f"exercises.{name}({answer}, strict=True)"]
    if check.has_hidden_variant:
        lines += [BEGIN_HIDDEN, f'exercises.{name}({answer}, strict=True, variant="hidden")', END_HIDDEN]
    return "\n".join(lines)


def _header(notebook, name):
    number = int(name.split("_")[0]) if name.split("_")[0].isdigit() else name
    from nbformat.v4 import new_markdown_cell

    return new_markdown_cell(textwrap.dedent(f"""\
        # Exercises of chapter {number}: {title(notebook, name)}

        This assignment holds the chapter's setup and its exercises; read the chapter in the book
        first. Run the setup, then answer each exercise in the cell under its question, where a stub
        raises `NotImplementedError`, and run the check after it. When your work is graded, each
        check also runs hidden tests on other examples."""))


def assignment(notebook, name):
    """The nbgrader source notebook of one chapter (an nbformat node); the chapter is unchanged.

    Raises
    ------
    ValueError
        If ``notebook`` is not a chapter (no title, no setup or exercises section), if an
        exercise's solution or stub is malformed, if a check cell is not one call
        ``exercises.check_...(answer)`` of the exercise it follows, or if an exercise has no check.
    """
    from mnist_lessons import exercises

    source = copy.deepcopy(notebook)
    cells = [_nbgrader(_header(source, name), "title")]
    colab = colab_cell(source)
    if colab is not None:
        cells.append(_nbgrader(colab, "colab-install"))
    cells += [_nbgrader(cell, f"setup-{i}") for i, cell in enumerate(section(source, "Setup", name))]
    answered, checked = [], []
    for i, (kind, cell, number) in enumerate(exercise_parts(section(source, "Exercises", name), name)):
        label = f"ex-{number.replace('.', '-')}" if number else None
        if kind == "solution":
            cell.source = solution_source(cell.source, stub_for(cell), number)
            cell.metadata["tags"] = [tag for tag in cell.metadata.get("tags", []) if tag != "solution"]
            cell.metadata.pop("stub", None)
            cells.append(_nbgrader(cell, f"{label}-answer{'-' + str(i) if number in answered else ''}",
                                   solution=True))
            answered.append(number)
        elif kind == "check":
            check_name = CHECK_CALL.match(cell.source.strip()).group(1)
            check = getattr(exercises, check_name, None)
            if check is None or getattr(check, "exercise", None) != number:
                raise ValueError(f"in {name}, the check cell {cell.source.strip()!r} does not check exercise "
                                 f"{number}, the solution it follows.")
            cell.source = test_source(cell, check)
            cells.append(_nbgrader(cell, label, points=check.points))
            checked.append(number)
        elif kind == "shown":
            if cell.cell_type == "code" and "exercises.check_" in cell.source:
                raise ValueError(f"in {name}, a check cell must be one call exercises.check_...(answer); got "
                                 f"{cell.source.strip()[:80]!r}.")
            cells.append(_nbgrader(cell, f"exercises-{i}"))
    missing = sorted(set(answered) - set(checked))
    if missing:
        raise ValueError(f"in {name}, exercise(s) {', '.join(missing)} have a solution but no check cell.")
    source.cells = cells
    source.metadata.pop("widgets", None)
    return source


def write_course(book, course, chapters=()):
    """Write nbgrader's source course directory for the chapters of ``book``; return the notebooks written.

    Parameters
    ----------
    book : path
        The folder of the book's notebooks.
    course : path
        The course directory (created if missing). ``source/<chapter>/`` is written in it,
        replacing an earlier version of the same chapter, and ``nbgrader_config.py`` when the
        course has none (an existing one, with the teacher's settings, is kept).
    chapters : sequence of str
        Chapter names (``"03_convolution"``) to export; all chapters with exercises when empty.

    Raises
    ------
    FileNotFoundError, ValueError
        As ``chapters.chapter_notebooks``, ``chapters.select_chapters`` and ``assignment``.
    """
    import nbformat

    selected = select_chapters(chapter_notebooks(book), chapters)
    notebooks = {name: assignment(read_notebook(path), name) for name, path in selected.items()}
    course = pathlib.Path(course)
    written = []
    for name, notebook in notebooks.items():
        folder = course / "source" / name
        folder.mkdir(parents=True, exist_ok=True)
        nbformat.write(notebook, folder / f"{name}.ipynb")
        written.append(folder / f"{name}.ipynb")
    if not (course / "nbgrader_config.py").exists():      # a teacher's own settings are kept
        (course / "nbgrader_config.py").write_text(CONFIG)
        written.append(course / "nbgrader_config.py")
    return written


def solved_copy(notebook):
    """What a student who writes the book's solutions submits: an assignment without its region markers.

    ``notebook`` is a source notebook of the course (as ``assignment`` returns); the copy is what
    its release version becomes when each stub line is replaced by the solution. The hidden tests
    stay (nbgrader puts them back when it grades anyway). A teacher can autograde it to see that
    the course gives full marks; the book's tests and ``bench/grading.py`` do.
    """
    solved = copy.deepcopy(notebook)
    for cell in solved.cells:
        if cell.metadata.get("nbgrader", {}).get("solution"):
            cell.source = "\n".join(line for line in cell.source.split("\n") if line.strip() not in (BEGIN, END))
    return solved
