"""The book's source for students: every page without solutions, and without the instructor guide.

    python -m mnist_lessons.classroom student-edition OUTDIR [--root REPODIR]

writes a copy of the book's source (``_config.yml``, ``_toc.yml``, ``book/``) that Jupyter
Book builds into the student edition of the site (``make student-book``):

- in each chapter, every solution cell is replaced by its stub (as in the student copies)
  with no output, the solutions' fences and explanations are dropped, and the check cells
  keep their code but lose their output (a ✓ line can state an answer). Everything else,
  the chapter's figures and numbers included, is kept;
- in the Markdown pages, every ``{solution}`` block is dropped;
- the instructor guide is left out, and so is its entry in the table of contents;
- ``_config.yml``'s ``repository`` becomes its ``student_edition: repository:`` section, so
  that the pages' Colab buttons open the student notebooks where the teacher published them
  (``python -m mnist_lessons.classroom student-copies`` writes them).
"""

import pathlib
import re
import shutil

from mnist_lessons.classroom.chapters import exercise_parts, has_exercises, read_notebook, tags
from mnist_lessons.classroom.student_copies import STUB_TAG, stub_for

GUIDE = "instructor_guide"
# The first lines of the student edition's _config.yml; a folder that has them may be replaced.
HEADER = ("# The student edition, written by `python -m mnist_lessons.classroom student-edition`\n"
          "# from the book's _config.yml: edit that file, not this one.\n")
# A {solution} directive in MyST Markdown, fenced by three or more colons or backticks.
SOLUTION_BLOCK = re.compile(r"^(:{3,}|`{3,})\{solution\}[^\n]*\n.*?^\1[ \t]*\n?", flags=re.M | re.S)


def without_solutions(markdown):
    """Markdown text with every ``{solution}`` block removed.

    Examples
    --------
    >>> without_solutions(":::{exercise}\\nQ?\\n:::\\n\\n:::{solution} ex-1\\nA.\\n:::\\nAfter.")
    ':::{exercise}\\nQ?\\n:::\\n\\nAfter.'
    """
    return SOLUTION_BLOCK.sub("", markdown)


def student_page(notebook):
    """The student edition of a chapter notebook (an nbformat node); the chapter is unchanged."""
    import copy

    page = copy.deepcopy(notebook)
    cells = []
    for kind, cell, _exercise in exercise_parts(page.cells):
        if kind == "hidden":
            continue
        if kind == "solution":
            cell.source = stub_for(cell)
            cell.metadata["tags"] = [tag for tag in tags(cell) if tag != "solution"] + [STUB_TAG]
            cell.metadata.pop("stub", None)
        if kind in ("solution", "check"):
            cell.outputs, cell.execution_count = [], None
        if cell.cell_type == "markdown":
            cell.source = without_solutions(cell.source)
        cells.append(cell)
    page.cells = cells
    return page


def student_config(config_text):
    """The student edition's ``_config.yml`` text: ``repository`` from ``student_edition``, which is removed.

    Raises
    ------
    ValueError
        If the configuration has no ``student_edition: repository:`` with ``url``, ``branch`` and
        ``path_to_book``.
    """
    import yaml

    config = yaml.safe_load(config_text)
    repository = (config.get("student_edition") or {}).get("repository") or {}
    missing = [key for key in ("url", "branch", "path_to_book") if key not in repository]
    if missing:
        raise ValueError("_config.yml needs a student_edition: repository: section with url, branch and "
                         f"path_to_book (where the student notebooks are published); missing: {', '.join(missing)}.")
    config["repository"] = dict(repository)
    del config["student_edition"]
    config["title"] = f"{config.get('title', 'MNIST lessons')} (student edition)"
    return HEADER + yaml.safe_dump(config, sort_keys=False, allow_unicode=True)


def student_toc(toc_text):
    """The table of contents without the instructor guide (and without a part left empty by it)."""
    import yaml

    toc = yaml.safe_load(toc_text)
    parts = []
    for part in toc.get("parts", []):
        part = dict(part, chapters=[entry for entry in part.get("chapters", [])
                                    if not entry.get("file", "").endswith(GUIDE)])
        if part["chapters"]:
            parts.append(part)
    toc["parts"] = parts
    return yaml.safe_dump(toc, sort_keys=False, allow_unicode=True)


def write_student_edition(root, outdir):
    """Write the student edition's source into ``outdir`` (replaced); return the files written.

    Parameters
    ----------
    root : path
        The book's repository: ``_config.yml``, ``_toc.yml`` and ``book/``.
    outdir : path
        The folder to write: a new or empty folder, or one that holds an earlier student edition,
        which is removed first.

    Raises
    ------
    FileNotFoundError
        If ``root`` lacks one of the three.
    ValueError
        If ``outdir`` would overwrite the book or a folder that is not a student edition, or as
        ``student_config`` and ``student_page``.
    """
    import nbformat

    root, outdir = pathlib.Path(root).resolve(), pathlib.Path(outdir).resolve()
    for name in ("_config.yml", "_toc.yml", "book"):
        if not (root / name).exists():
            raise FileNotFoundError(f"{root} is not the book's repository: it has no {name}; pass it with --root.")
    if outdir == root or outdir in root.parents or outdir == root / "book" or root / "book" in outdir.parents:
        raise ValueError(f"{outdir} would overwrite the book; write the student edition elsewhere, "
                         "e.g. _build/student/source.")
    config, toc = student_config((root / "_config.yml").read_text()), student_toc((root / "_toc.yml").read_text())
    if outdir.exists():
        earlier = outdir / "_config.yml"
        if any(outdir.iterdir()) and not (earlier.is_file() and earlier.read_text().startswith(HEADER)):
            raise ValueError(f"{outdir} exists and is not a student edition this command wrote; name a new or "
                             "empty folder, e.g. _build/student/source.")
        shutil.rmtree(outdir)
    shutil.copytree(root / "book", outdir / "book",
                    ignore=shutil.ignore_patterns(f"{GUIDE}.*", ".ipynb_checkpoints", "__pycache__"))
    (outdir / "_config.yml").write_text(config)
    (outdir / "_toc.yml").write_text(toc)
    written = [outdir / "_config.yml", outdir / "_toc.yml"]
    for path in sorted((outdir / "book").glob("*.md")):
        path.write_text(without_solutions(path.read_text()))
        written.append(path)
    for path in sorted((outdir / "book").glob("*.ipynb")):
        notebook = read_notebook(path)
        if has_exercises(notebook):
            nbformat.write(student_page(notebook), path)
            written.append(path)
    return written
