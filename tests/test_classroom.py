import importlib.util
import re

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from mnist_lessons.classroom.cli import main
from mnist_lessons.classroom.student_copies import student_copy


def _solution(source, exercise):
    cell = new_code_cell(source, execution_count=5)
    cell.metadata.update(tags=["solution"], exercise=exercise,
                         stub=f'product = NotImplemented\nraise NotImplementedError("Exercise {exercise}: ...")')
    return cell


def _instructor_notebook():
    solution = new_code_cell("def double(x):\n    return 2 * x", execution_count=2)
    solution.metadata.update(tags=["solution"], exercise="1.1",
                             stub='def double(x):\n    raise NotImplementedError("Exercise 1.1: write double")')
    value = new_code_cell("answer = 42", execution_count=4)
    value.metadata.update(tags=["solution"], exercise="1.2",
                          stub='answer = NotImplemented\nraise NotImplementedError("Exercise 1.2: your answer")')
    cells = [new_code_cell("x = 1", execution_count=1, outputs=[new_output("stream", name="stdout", text="1\n")]),
             new_markdown_cell("## Exercises"), solution,
             new_code_cell("print(double(3))", execution_count=3), value,
             new_markdown_cell(":::{exercise}\n:label: ex-1-3\n\nWhat is 6 × 7?\n:::"),
             new_markdown_cell("```{solution-start} ex-1-3\n:class: dropdown\n```"),
             new_markdown_cell("Multiply: the answer is 42."), _solution("product = 6 * 7", "1.3"),
             new_markdown_cell("```{solution-end}\n```"),
             new_code_cell("print(product)", execution_count=6)]
    notebook = new_notebook(cells=cells)
    notebook.metadata["widgets"] = {"state": {}}
    return notebook


def test_student_copy_replaces_solutions_and_clears_outputs():
    instructor = _instructor_notebook()
    student = student_copy(instructor)
    sources = [cell.source for cell in student.cells]
    assert sources[0] == "x = 1" and sources[1] == "## Exercises" and sources[3] == "print(double(3))"
    assert 'NotImplementedError("Exercise 1.1: write double")' in sources[2]
    assert sources[4] == 'answer = NotImplemented\nraise NotImplementedError("Exercise 1.2: your answer")'
    code = [cell for cell in student.cells if cell.cell_type == "code"]
    assert all(cell.outputs == [] and cell.execution_count is None for cell in code)
    assert "exercise-stub" in student.cells[2].metadata["tags"] and "stub" not in student.cells[2].metadata
    assert "widgets" not in student.metadata
    assert "return 2 * x" in instructor.cells[2].source                      # the original is unchanged


def test_student_copy_drops_the_solution_markers_and_explanations():
    student = student_copy(_instructor_notebook())
    sources = [cell.source for cell in student.cells]
    assert sources[5].startswith(":::{exercise}")                            # the question stays
    assert sources[6].startswith("product = NotImplemented")                  # the stub replaces the solution
    assert sources[7] == "print(product)" and len(sources) == 8
    assert not any("solution-" in source or "answer is 42" in source for source in sources)


def test_an_untagged_code_cell_inside_a_solution_or_an_open_solution_is_refused():
    notebook = _instructor_notebook()
    notebook.cells[8].metadata["tags"] = []
    with pytest.raises(ValueError, match="not tagged 'solution'"):
        student_copy(notebook)
    notebook = _instructor_notebook()
    del notebook.cells[9:]
    with pytest.raises(ValueError, match="no solution-end"):
        student_copy(notebook)


def test_a_solution_without_its_exercise_or_a_bad_stub_is_refused():
    notebook = _instructor_notebook()
    del notebook.cells[2].metadata["exercise"]
    with pytest.raises(ValueError, match="name its exercise"):
        student_copy(notebook)
    notebook = _instructor_notebook()
    notebook.cells[2].metadata["stub"] = "pass"
    with pytest.raises(ValueError, match="must raise NotImplementedError"):
        student_copy(notebook)
    notebook = _instructor_notebook()
    del notebook.cells[2].metadata["stub"]
    with pytest.raises(ValueError, match="has no stub"):
        student_copy(notebook)


def test_cli_writes_one_copy_per_notebook(tmp_path, capsys):
    book = tmp_path / "book"
    book.mkdir()
    nbformat.write(_instructor_notebook(), book / "01_x.ipynb")
    nbformat.write(_instructor_notebook(), book / "02_y.ipynb")
    nbformat.write(new_notebook(cells=[new_markdown_cell("# A guide")]), book / "guide.ipynb")   # no exercises
    assert main(["student-copies", str(tmp_path / "out"), "--book", str(book)]) == 0
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["01_x.ipynb", "02_y.ipynb"]
    copy = nbformat.read(tmp_path / "out" / "01_x.ipynb", as_version=4)
    assert "NotImplementedError" in copy.cells[2].source
    assert str(tmp_path / "out" / "01_x.ipynb") in capsys.readouterr().out


def test_cli_says_what_is_missing(tmp_path, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["student-copies", str(tmp_path / "out"), "--book", str(tmp_path / "nowhere")])
    assert exit_info.value.code == 2
    assert "no notebooks in" in capsys.readouterr().err
    book = tmp_path / "book"
    book.mkdir()
    nbformat.write(new_notebook(cells=[new_markdown_cell("# A guide")]), book / "guide.ipynb")
    with pytest.raises(SystemExit):
        main(["student-copies", str(tmp_path / "out"), "--book", str(book)])
    assert "no notebook in" in capsys.readouterr().err


# A chapter as the export and the student edition read it: a title, a setup, exercises with checks.

def _chapter():
    notebook = _instructor_notebook()
    passed = new_output("stream", name="stdout", text="✓ Exercise 4.2: 32 → 30 → 15 → 13 → 6.\n")
    check = new_code_cell("exercises.check_output_size(output_size)", execution_count=7, outputs=[passed])
    value = new_code_cell("stack = 32\noutput_size = (stack - 2) // 2\noutput_size = (output_size - 2) // 2\n"
                          "print(output_size)", execution_count=6)
    value.metadata.update(tags=["solution"], exercise="4.2",
                          stub="# Exercise 4.2: replace NotImplemented, then delete the raise.\n"
                               "output_size = NotImplemented\n"
                               'raise NotImplementedError("Exercise 4.2: set output_size.")')
    function = new_code_cell('def double(x):\n    """Twice x."""\n    return 2 * x\n\n\n'
                             'print(double(chapter_variable))', execution_count=4)
    function.metadata.update(tags=["solution"], exercise="1.1",
                             stub='def double(x):\n    """Twice x."""\n'
                                  '    raise NotImplementedError("Exercise 1.1: write double")')
    notebook.cells = [
        new_code_cell('import sys\nif "google.colab" in sys.modules:\n    %pip install mnist-lessons'),
        new_markdown_cell("# Doubling things\n\nIn this chapter..."),
        new_markdown_cell("## Setup"), new_code_cell("import numpy as np", execution_count=1),
        new_markdown_cell("## Training a model"), new_code_cell("model.fit(x, y)  # never in an assignment"),
        new_markdown_cell("## Exercises\n\nTry each one."), new_code_cell("from mnist_lessons import exercises"),
        new_markdown_cell(":::{exercise}\n:label: ex-4-2\n\nHow big?\n:::"),
        new_markdown_cell("```{solution-start} ex-4-2\n:class: dropdown\n```"), value,
        new_markdown_cell("Six: the answer is 6."), new_markdown_cell("```{solution-end}\n```"), check,
        new_markdown_cell(":::{exercise}\n:label: ex-1-1\n\nWrite double.\n:::"),
        new_markdown_cell("```{solution-start} ex-1-1\n:class: dropdown\n```"), function,
        new_markdown_cell("```{solution-end}\n```"),
        new_code_cell("exercises.check_ink_fraction(double)"),
    ]
    return notebook


def test_the_solution_region_holds_what_answers_the_question():
    from mnist_lessons.classroom.nbgrader_course import solution_source

    function = solution_source('def f(x):\n    """Solution\'s words."""\n    y = x + 1\n    return y\n\n\n'
                               'print(f(data))',
                               'def f(x):\n    """Stub\'s words."""\n    raise NotImplementedError("Exercise 1.1: f")',
                               "1.1")
    assert function == ('def f(x):\n    """Stub\'s words."""\n    ### BEGIN SOLUTION\n    y = x + 1\n    return y\n'
                        '    ### END SOLUTION')
    value = solution_source("a = 2\nanswer = a * 3\nprint(answer)",
                            '# set answer\nanswer = NotImplemented\nraise NotImplementedError("Exercise 1.2: x")',
                            "1.2")
    assert value == "# set answer\nanswer = NotImplemented\n### BEGIN SOLUTION\na = 2\nanswer = a * 3\n### END SOLUTION"
    helper = solution_source("import math\n\ndef f(x):\n    return math.sqrt(x)",
                             'def f(x):\n    raise NotImplementedError("Exercise 1.3: f")', "1.3")
    assert helper == "### BEGIN SOLUTION\nimport math\n\ndef f(x):\n    return math.sqrt(x)\n### END SOLUTION"
    with pytest.raises(ValueError, match="does not define f"):
        solution_source("g = 1", 'def f(x):\n    raise NotImplementedError("Exercise 1.1: f")', "1.1")
    with pytest.raises(ValueError, match="never sets answer"):
        solution_source("other = 1", 'answer = NotImplemented\nraise NotImplementedError("Exercise 1.2")', "1.2")
    with pytest.raises(ValueError, match="must end with a line raising"):
        solution_source("answer = 1", "answer = NotImplemented", "1.2")


def test_an_assignment_holds_the_setup_and_the_exercises_marked_for_nbgrader():
    from mnist_lessons.classroom.nbgrader_course import assignment

    notebook = _chapter()                     # exercise 1.1's check is check_ink_fraction: it pairs with double
    source = assignment(notebook, "04_doubling")
    texts = [cell.source for cell in source.cells]
    assert texts[0].startswith("# Exercises of chapter 4: Doubling things")
    assert not any("model.fit" in text or "answer is 6" in text or "solution-" in text for text in texts)
    grader = [cell.metadata["nbgrader"] for cell in source.cells]
    assert len({meta["grade_id"] for meta in grader}) == len(grader)          # ids are unique
    by_id = {meta["grade_id"]: (meta, cell) for meta, cell in zip(grader, source.cells)}
    meta, cell = by_id["ex-4-2"]
    assert meta["grade"] and meta["locked"] and meta["points"] == 1 and cell.outputs == []
    assert cell.source == "exercises.check_output_size(output_size, strict=True)"     # a number: no hidden test
    meta, cell = by_id["ex-4-2-answer"]
    assert meta["solution"] and not meta["locked"] and "### BEGIN SOLUTION" in cell.source
    meta, cell = by_id["ex-1-1"]
    assert "### BEGIN HIDDEN TESTS" in cell.source and 'variant="hidden"' in cell.source and meta["points"] == 2
    assert all(meta["locked"] for meta in grader if not meta["solution"])
    assert "print(double(chapter_variable))" not in by_id["ex-1-1-answer"][1].source   # the demonstration is out
    assert "chapter_variable" in notebook.cells[16].source                             # the chapter is unchanged


def test_an_assignment_refuses_what_is_not_a_chapter_or_a_check():
    from mnist_lessons.classroom.nbgrader_course import assignment

    notebook = _chapter()
    del notebook.cells[2:4]                                     # no setup section
    with pytest.raises(ValueError, match="not a chapter: it has no '## Setup' section"):
        assignment(notebook, "04_doubling")
    notebook = _chapter()
    notebook.cells[13].source = "exercises.check_adam_first_step(output_size)"   # 2.1's check after 4.2
    with pytest.raises(ValueError, match="does not check exercise 4.2"):
        assignment(notebook, "04_doubling")
    notebook = _chapter()
    notebook.cells[13].source = "result = exercises.check_output_size(output_size)"
    with pytest.raises(ValueError, match="one call exercises.check_"):
        assignment(notebook, "04_doubling")
    notebook = _chapter()
    del notebook.cells[13]
    with pytest.raises(ValueError, match="4.2 have a solution but no check"):
        assignment(notebook, "04_doubling")


def _book(tmp_path, *notebooks):
    book = tmp_path / "book"
    book.mkdir(exist_ok=True)
    for name, notebook in notebooks:
        nbformat.write(notebook, book / f"{name}.ipynb")
    return book


def test_nbgrader_command_writes_a_course_and_says_what_is_wrong(tmp_path, capsys):
    book = _book(tmp_path, ("04_doubling", _chapter()), ("guide", new_notebook(cells=[new_markdown_cell("# Guide")])))
    assert main(["nbgrader", str(tmp_path / "course"), "--book", str(book)]) == 0
    assert (tmp_path / "course" / "source" / "04_doubling" / "04_doubling.ipynb").is_file()
    config = (tmp_path / "course" / "nbgrader_config.py").read_text()
    assert "ExecutePreprocessor.timeout = 120" in config and "ClearSolutions.code_stub" in config
    assert "04_doubling.ipynb" in capsys.readouterr().out
    for argv, message in [
        (["nbgrader", str(tmp_path / "c"), "--book", str(tmp_path / "nowhere")], "no notebooks in"),
        (["nbgrader", str(tmp_path / "c"), "--book", str(book), "--chapter", "guide"],
         "not a chapter with exercises: guide; the chapters are 04_doubling"),
    ]:
        with pytest.raises(SystemExit) as exit_info:
            main(argv)
        err = capsys.readouterr().err
        assert exit_info.value.code == 2 and err.startswith("error: ") and message in err and err.count("\n") == 1
    (book / "broken.ipynb").write_text('{"cells": [')
    with pytest.raises(SystemExit):
        main(["nbgrader", str(tmp_path / "c"), "--book", str(book)])
    err = capsys.readouterr().err
    assert "broken.ipynb is not a readable notebook" in err and err.count("\n") == 1


def test_grade_says_what_is_missing_in_one_line(tmp_path, capsys):
    course = tmp_path / "course"
    for setup, message in [
        (lambda: None, "no course directory at"),
        (lambda: course.mkdir(), "is not an nbgrader course (no nbgrader_config.py)"),
        (lambda: (course / "nbgrader_config.py").write_text(""), "no released assignment in"),
        (lambda: (course / "release" / "01_x").mkdir(parents=True), "no submissions in"),
    ]:
        setup()
        with pytest.raises(SystemExit) as exit_info:
            main(["grade", str(course)])
        err = capsys.readouterr().err
        assert exit_info.value.code == 2 and message in err and err.count("\n") == 1, err


def test_a_corrupt_submission_is_named_and_left_out(tmp_path):
    from mnist_lessons.classroom.grading import submissions

    for student, text in [("ada", None), ("bob", '{"cells": [ oops'), ("cy", "")]:
        folder = tmp_path / "submitted" / student / "01_x"
        folder.mkdir(parents=True)
        if text is None:
            nbformat.write(new_notebook(cells=[new_code_cell("1")]), folder / "01_x.ipynb")
        elif text:
            (folder / "01_x.ipynb").write_text(text)
    readable, problems = submissions(tmp_path, ["01_x", "02_y"])
    assert readable == {"ada": ["01_x"]}
    assert problems[0].startswith("bob, 01_x: not graded, scored 0: ") and "not a readable notebook" in problems[0]
    assert problems[1] == "cy, 01_x: no notebook was submitted; scored 0."


def test_grade_refuses_a_bad_number_of_jobs(tmp_path, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["grade", str(tmp_path), "--jobs", "0"])
    assert exit_info.value.code == 2 and "jobs must be" in capsys.readouterr().err


def test_a_student_page_keeps_the_chapter_and_shows_stubs_not_solutions():
    from mnist_lessons.classroom.student_edition import student_page, without_solutions

    chapter = _chapter()
    chapter.cells[5].outputs = [new_output("stream", name="stdout", text="trained\n")]
    chapter.cells[8].source += "\n\n:::{solution} ex-4-2\n:class: dropdown\nSix.\n:::\nMore text."
    page = student_page(chapter)
    sources = [cell.source for cell in page.cells]
    assert not any("answer is 6" in source or "solution-" in source or "Six." in source for source in sources)
    assert sources[8].endswith("More text.")
    stubs = [cell for cell in page.cells if "exercise-stub" in cell.metadata.get("tags", [])]
    assert [cell.source.splitlines()[-1] for cell in stubs] == [
        'raise NotImplementedError("Exercise 4.2: set output_size.")',
        '    raise NotImplementedError("Exercise 1.1: write double")']
    checks = [cell for cell in page.cells if cell.source.startswith("exercises.check_")]
    assert checks and all(cell.outputs == [] for cell in checks + stubs)
    assert page.cells[5].outputs[0].text == "trained\n"                       # the chapter's outputs stay
    assert without_solutions("````{solution} ex-1\n```python\nx\n```\n````\nkept") == "kept"


def _repository(tmp_path, config):
    (tmp_path / "book").mkdir(parents=True)
    nbformat.write(_chapter(), tmp_path / "book" / "04_doubling.ipynb")
    nbformat.write(new_notebook(cells=[new_markdown_cell("# Guide")]), tmp_path / "book" / "instructor_guide.ipynb")
    (tmp_path / "book" / "intro.md").write_text("# Intro\n\n:::{solution} ex-1\nsecret\n:::\nopen")
    (tmp_path / "_config.yml").write_text(config)
    (tmp_path / "_toc.yml").write_text("format: jb-book\nroot: book/intro\nparts:\n- caption: Chapters\n  chapters:\n"
                                       "  - file: book/04_doubling\n- caption: For teachers\n  chapters:\n"
                                       "  - file: book/instructor_guide\n")
    return tmp_path


def test_the_student_edition_source(tmp_path, capsys):
    import yaml

    config = ("title: Book\nrepository:\n  url: https://github.com/a/book\n  branch: v1\n  path_to_book: ''\n"
              "student_edition:\n  repository:\n    url: https://github.com/a/students\n    branch: main\n"
              "    path_to_book: notebooks\n")
    root = _repository(tmp_path / "repo", config)
    assert main(["student-edition", str(tmp_path / "out"), "--root", str(root)]) == 0
    out = tmp_path / "out"
    written = yaml.safe_load((out / "_config.yml").read_text())
    assert written["repository"] == {"url": "https://github.com/a/students", "branch": "main",
                                     "path_to_book": "notebooks"} and "student_edition" not in written
    toc = yaml.safe_load((out / "_toc.yml").read_text())
    assert [part["caption"] for part in toc["parts"]] == ["Chapters"]
    assert not (out / "book" / "instructor_guide.ipynb").exists()
    assert (out / "book" / "intro.md").read_text() == "# Intro\n\nopen"
    page = nbformat.read(out / "book" / "04_doubling.ipynb", as_version=4)
    assert "answer is 6" not in "".join(cell.source for cell in page.cells)
    capsys.readouterr()
    for argv, message in [
        (["student-edition", str(tmp_path / "o2"), "--root", str(tmp_path / "nowhere")],
         "is not the book's repository"),
        (["student-edition", str(root / "book"), "--root", str(root)], "would overwrite the book"),
        (["student-edition", str(root), "--root", str(root)], "would overwrite the book"),
    ]:
        with pytest.raises(SystemExit) as exit_info:
            main(argv)
        err = capsys.readouterr().err
        assert exit_info.value.code == 2 and message in err and err.count("\n") == 1, err
    (root / "_config.yml").write_text("title: Book\nrepository:\n  url: https://github.com/a/book\n")
    with pytest.raises(SystemExit):
        main(["student-edition", str(tmp_path / "o3"), "--root", str(root)])
    assert "needs a student_edition: repository: section" in capsys.readouterr().err


def test_the_commands_never_replace_what_they_did_not_write(tmp_path, capsys):
    root = _repository(tmp_path / "repo", "title: Book\nstudent_edition:\n  repository:\n    url: https://github.com/a/s\n"
                                          "    branch: main\n    path_to_book: ''\n")
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "thesis.tex").write_text("years of work")
    with pytest.raises(SystemExit):
        main(["student-edition", str(tmp_path / "mine"), "--root", str(root)])
    assert "is not a student edition this command wrote" in capsys.readouterr().err
    assert (tmp_path / "mine" / "thesis.tex").read_text() == "years of work"
    assert main(["student-edition", str(tmp_path / "edition"), "--root", str(root)]) == 0
    assert main(["student-edition", str(tmp_path / "edition"), "--root", str(root)]) == 0   # again
    course = tmp_path / "course"
    course.mkdir()
    (course / "nbgrader_config.py").write_text("c = get_config()\nc.Exchange.root = '/srv/exchange'\n")
    assert main(["nbgrader", str(course), "--book", str(root / "book")]) == 0
    assert "/srv/exchange" in (course / "nbgrader_config.py").read_text()


def test_grade_without_nbgrader_says_how_to_install_it(tmp_path, capsys, monkeypatch):
    course = tmp_path / "course"
    (course / "release" / "01_x").mkdir(parents=True)
    (course / "nbgrader_config.py").write_text("")
    _nbgrader_installed(monkeypatch, False)
    with pytest.raises(SystemExit):
        main(["grade", str(course)])
    err = capsys.readouterr().err
    assert "nbgrader is not installed; install it with: pip install 'nbgrader>=0.9.6,<0.10'" in err
    assert err.count("\n") == 1


# Grading with a stand-in for nbgrader: each command is recorded and answered as nbgrader would
# (export writes the table where it is told, relative to the course), so grade()'s own work is tested
# in the fast lane; tests/test_nbgrader.py grades with the real nbgrader.

def _course(tmp_path, released=("01_x", "02_y"), submitted=()):
    course = tmp_path / "course"
    for name in released:
        (course / "release" / name).mkdir(parents=True)
    (course / "release" / "notes.txt").write_text("not an assignment")
    (course / "nbgrader_config.py").write_text("")
    for student, assignment, text in submitted:
        folder = course / "submitted" / student / assignment
        folder.mkdir(parents=True)
        if text is None:
            nbformat.write(new_notebook(cells=[new_code_cell("1")]), folder / f"{assignment}.ipynb")
        else:
            (folder / f"{assignment}.ipynb").write_text(text)
    return course


class _FakeNbgrader:
    """subprocess.run for grading: records nbgrader's commands; autograde fails for ``failing`` targets."""

    def __init__(self, table="student_id,assignment,score,max_score\n", failing=(), export_code=0, crowd=2):
        import threading

        self.calls, self.table, self.failing, self.export_code, self.crowd = [], table, failing, export_code, crowd
        self.lock, self.active, self.most_at_once = threading.Lock(), 0, 0

    def __call__(self, command, *, cwd, env, capture_output, text):
        import os
        import pathlib
        import subprocess
        import sys
        import time

        assert command[:3] == [sys.executable, "-m", "nbgrader"] and capture_output is True and text is True
        # nbgrader's alembic is found beside this Python; the rest of the environment is passed on
        assert env["PATH"] == os.path.dirname(sys.executable) + os.pathsep + os.environ["PATH"]
        assert {**env, "PATH": os.environ["PATH"]} == dict(os.environ)
        self.calls.append((command[3:], pathlib.Path(cwd)))
        code = 0
        if command[3] == "autograde":
            with self.lock:
                self.active += 1
                self.most_at_once = max(self.most_at_once, self.active)
            for _ in range(40):                    # wait a little for other students graded at the same time
                if self.most_at_once >= self.crowd:
                    break
                time.sleep(0.005)
            with self.lock:
                self.active -= 1
            code = int(command[4] in self.failing)
        elif command[3] == "export":
            code = self.export_code
            if self.table is not None:
                (pathlib.Path(cwd) / command[4].removeprefix("--to=")).write_text(self.table)
        return subprocess.CompletedProcess(command, code, f"out of {command[3]}\n", f"err of {command[3]}\n")


def _nbgrader_installed(monkeypatch, installed):
    """Make importlib see nbgrader as installed, or not, whatever this environment has."""
    find_spec = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *args: (object() if installed else None)
                        if name == "nbgrader" else find_spec(name, *args))


def _fake(monkeypatch, **kwargs):
    from mnist_lessons.classroom import grading

    fake = _FakeNbgrader(**kwargs)
    monkeypatch.setattr(grading.subprocess, "run", fake)
    # The stand-in replaces nbgrader itself: where it is not installed (CI's oldest-versions
    # lane), grading must still find "it" and go on to run the stand-in.
    _nbgrader_installed(monkeypatch, True)
    return fake


def test_grade_runs_nbgrader_per_student_and_adds_up_the_table(tmp_path, monkeypatch):
    from mnist_lessons.classroom.grading import grade

    course = _course(tmp_path, submitted=[("ada", "01_x", None), ("ada", "02_y", None), ("12345", "02_y", None),
                                          ("bob", "01_x", '{"cells": ['), ("cy", "01_x", "{")])
    fake = _fake(monkeypatch, failing=("02_y",), table="student_id,assignment,score,max_score\nada,01_x,2.5,3\n"
                                                      "ada,02_y,1,2\n12345,02_y,0,2\nbob,01_x,0,3\n")
    (course / "grading.log").write_text("an earlier run's log")
    table, lines = grade(course, jobs=1)
    assert table == course.resolve() / "grades.csv" and table.is_file()
    assert fake.most_at_once == 1                                      # one student at a time
    commands = sorted(command for command, _cwd in fake.calls)
    assert commands == sorted([["autograde", "*", "--student=ada", "--force"],
                               ["autograde", "02_y", '--student="12345"', "--force"],
                               ["db", "student", "add", "bob"], ["db", "student", "add", "cy"],
                               ["export", f"--to={course.resolve() / 'grades.csv'}"]])
    assert {cwd for _command, cwd in fake.calls} == {course.resolve()}
    assert fake.calls[-1][0][0] == "export"
    assert [line.split(":")[0] for line in lines] == ["bob, 01_x", "cy, 01_x", "12345", "ada", "12345", "bob"]
    assert "could not grade 02_y" in lines[2] and str(course.resolve() / "grading.log") in lines[2]
    assert lines[3:] == ["ada: 3.5 of 5 points", "12345: 0 of 2 points", "bob: 0 of 3 points"]
    log = (course / "grading.log").read_text()
    assert log.startswith("=== nbgrader ") and "earlier" not in log               # each run starts a new log
    assert "=== nbgrader autograde * --student=ada\nout of autograde\nerr of autograde\n" in log
    assert "=== nbgrader db student add cy\nout of db\nerr of db\n" in log


def test_grade_with_two_jobs_grades_two_students_at_once_and_writes_the_table_asked_for(tmp_path, monkeypatch):
    from mnist_lessons.classroom.grading import grade

    course = _course(tmp_path, released=("01_x",), submitted=[("ada", "01_x", None), ("bob", "01_x", None)])
    fake = _fake(monkeypatch, table="student_id,assignment,score,max_score\nada,01_x,1,1\nbob,01_x,0.5,1\n")
    monkeypatch.chdir(tmp_path)
    table, lines = grade("course", jobs=2, to="marks.csv")              # a course named relative to here
    assert fake.most_at_once == 2
    assert table == course.resolve() / "marks.csv" and table.is_file()
    assert lines == ["ada: 1 of 1 points", "bob: 0.5 of 1 points"]
    elsewhere = tmp_path / "elsewhere.csv"
    assert grade(course, to=str(elsewhere))[0] == elsewhere and elsewhere.is_file()


def test_grade_says_where_the_reason_is_when_export_writes_no_table(tmp_path, monkeypatch):
    from mnist_lessons.classroom.grading import grade

    course = _course(tmp_path, submitted=[("ada", "01_x", None)])
    for kwargs in (dict(table=None), dict(export_code=1)):
        _fake(monkeypatch, **kwargs)
        with pytest.raises(FileNotFoundError, match="export wrote no grade table; its reason is in .*grading.log"):
            grade(course)
        assert "=== nbgrader export\nout of export\nerr of export\n" in (course / "grading.log").read_text()


def test_the_grade_command_prints_the_lines_then_the_table(tmp_path, monkeypatch, capsys):
    course = _course(tmp_path, released=("01_x",),
                     submitted=[("ada", "01_x", None), ("bob", "01_x", None), ("cy", "01_x", None)])
    fake = _fake(monkeypatch, table="student_id,assignment,score,max_score\nada,01_x,1,1\nbob,01_x,1,1\n", crowd=3)
    assert main(["grade", str(course)]) == 0
    assert fake.most_at_once == 2                                      # two jobs unless told otherwise
    assert capsys.readouterr().out.splitlines() == ["ada: 1 of 1 points", "bob: 1 of 1 points",
                                                    str(course / "grades.csv")]
    assert main(["grade", str(course), "--jobs", "1", "--to", "marks.csv"]) == 0
    assert fake.most_at_once == 2 and (course / "marks.csv").is_file()


def test_a_solved_copy_is_the_assignment_without_its_solution_markers():
    from mnist_lessons.classroom.nbgrader_course import BEGIN, END, assignment, solved_copy

    source = assignment(_chapter(), "04_doubling")
    solved = solved_copy(source)
    answers = [cell for cell in solved.cells if cell.metadata["nbgrader"]["solution"]]
    assert [cell.source for cell in answers] == [
        "# Exercise 4.2: replace NotImplemented, then delete the raise.\noutput_size = NotImplemented\n"
        "stack = 32\noutput_size = (stack - 2) // 2\noutput_size = (output_size - 2) // 2",
        'def double(x):\n    """Twice x."""\n    return 2 * x']
    others = [(a.source, b.source) for a, b in zip(source.cells, solved.cells)
              if not a.metadata["nbgrader"]["solution"]]
    assert all(a == b for a, b in others) and any("### BEGIN HIDDEN TESTS" in b for _a, b in others)
    assert sum(BEGIN in cell.source and END in cell.source for cell in source.cells) == 2      # the source is unchanged
    source.cells.append(new_markdown_cell("A teacher's note, not marked for nbgrader."))
    assert solved_copy(source).cells[-1].source == "A teacher's note, not marked for nbgrader."


def test_the_recorded_grading_times():
    from mnist_lessons.classroom.grading import recorded_times

    times = recorded_times()
    assert times["chapters"] >= 1 and times["measured"].startswith("20")
    assert 0 < times["export_seconds"] < times["release_seconds"] and times["one_student_seconds"] > 0


def test_a_stub_keeps_the_solutions_other_tags_and_a_notebook_needs_no_widgets(tmp_path):
    from mnist_lessons.classroom.nbgrader_course import assignment
    from mnist_lessons.classroom.student_edition import student_page

    notebook = _instructor_notebook()
    del notebook.metadata["widgets"]
    notebook.cells[2].metadata["tags"] = ["hide-input", "solution"]
    assert student_copy(notebook).cells[2].metadata["tags"] == ["hide-input", "exercise-stub"]
    assert student_page(notebook).cells[2].metadata["tags"] == ["hide-input", "exercise-stub"]
    chapter = _chapter()
    del chapter.metadata["widgets"]
    chapter.cells[16].metadata["tags"] = ["hide-input", "solution"]
    answers = [cell for cell in assignment(chapter, "04_doubling").cells if cell.metadata["nbgrader"]["solution"]]
    assert [cell.metadata["tags"] for cell in answers] == [[], ["hide-input"]]
    book = _book(tmp_path, ("01_x", notebook))
    assert main(["student-copies", str(tmp_path / "course" / "copies"), "--book", str(book)]) == 0
    assert (tmp_path / "course" / "copies" / "01_x.ipynb").is_file()           # the parents are made too


def test_the_student_config_keeps_the_order_and_the_title_and_says_what_is_missing():
    from mnist_lessons.classroom.student_edition import HEADER, student_config

    section = ("student_edition:\n  repository:\n    url: https://github.com/a/s\n    branch: main\n"
               "    path_to_book: ''\n")
    text = student_config("title: Leçons\nauthor: Ada\n" + section)
    assert text.startswith(HEADER)
    assert text[len(HEADER):].startswith("title: Leçons (student edition)\nauthor: Ada\nrepository:\n")
    assert student_config(section).endswith("title: MNIST lessons (student edition)\n")
    with pytest.raises(ValueError, match=r"^_config.yml needs a student_edition: .* url, branch and path_to_book "
                                         r"\(.*; missing: branch, path_to_book\.$"):
        student_config("title: Book\nstudent_edition:\n  repository:\n    url: https://github.com/a/s\n")


def test_the_student_toc_keeps_links_and_a_toc_without_parts():
    import yaml

    from mnist_lessons.classroom.student_edition import student_toc

    toc = ("format: jb-book\nroot: book/intro\nparts:\n- caption: Chapters\n  chapters:\n  - file: book/01_x\n"
           "  - url: https://example.org\n    title: Elsewhere\n  - file: book/instructor_guide\n")
    assert yaml.safe_load(student_toc(toc))["parts"] == [
        {"caption": "Chapters",
         "chapters": [{"file": "book/01_x"}, {"url": "https://example.org", "title": "Elsewhere"}]}]
    assert yaml.safe_load(student_toc("format: jb-book\nroot: book/intro\n"))["root"] == "book/intro"
    text = student_toc("format: jb-book\nroot: book/intro\nparts:\n- caption: Chapitres à lire\n  chapters:\n"
                       "  - file: book/01_x\n- caption: Empty\n")                # a part without chapters is dropped
    assert text == ("format: jb-book\nroot: book/intro\nparts:\n- caption: Chapitres à lire\n  chapters:\n"
                    "  - file: book/01_x\n")


@pytest.mark.parametrize("command, phrases", [
    ([], ["usage: python -m mnist_lessons.classroom [-h] {student-copies,nbgrader,grade,student-edition}",
          "Course tools for the mnist-lessons book.", "student-copies write one student notebook per chapter",
          "nbgrader write an nbgrader course: one assignment per chapter",
          "grade autograde the submissions of an nbgrader course and export grades",
          "student-edition write the book's source for students"]),
    (["student-copies"], ["outdir folder for the student copies (created if missing)",
                          "--book BOOK folder of the instructor notebooks (default: ./book)"]),
    (["nbgrader"], ["coursedir the nbgrader course directory (created if missing)",
                    "--book BOOK folder of the instructor notebooks (default: ./book)",
                    "--chapter NAME a chapter to export, e.g. 03_convolution (repeat it; default: every chapter)"]),
    (["grade"], ["coursedir the nbgrader course directory, with release/ and submitted/",
                 "--jobs JOBS students graded at the same time (default: 2)",
                 "--to TO the grade table to write, relative to the course directory (default: grades.csv)"]),
    (["student-edition"], ["outdir folder for the student edition's source (replaced)",
                           "--root ROOT the book's repository, with _config.yml, _toc.yml and book/ (default: .)"]),
])
def test_the_help_of_each_command(command, phrases, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main([*command, "--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert exit_info.value.code == 0
    for phrase in phrases:
        assert re.search(rf"(?<!\w){re.escape(phrase)}(?!\w)", text), phrase


def test_the_commands_default_to_the_current_folder(tmp_path, monkeypatch, capsys):
    root = _repository(tmp_path / "repo", "title: Book\nstudent_edition:\n  repository:\n    url: https://github.com/a/s\n"
                                          "    branch: main\n    path_to_book: ''\n")
    monkeypatch.chdir(root)
    assert main(["student-copies", str(tmp_path / "copies")]) == 0
    assert main(["nbgrader", str(tmp_path / "course")]) == 0
    assert main(["student-edition", str(tmp_path / "edition")]) == 0
    assert (tmp_path / "copies" / "04_doubling.ipynb").is_file() and (tmp_path / "edition" / "_toc.yml").is_file()
    assert (tmp_path / "course" / "source" / "04_doubling" / "04_doubling.ipynb").is_file()
    with pytest.raises(SystemExit) as exit_info:
        main([])
    assert exit_info.value.code == 2 and "required: command" in capsys.readouterr().err


def test_the_writers_return_what_they_wrote_and_write_again(tmp_path):
    from mnist_lessons.classroom.nbgrader_course import write_course
    from mnist_lessons.classroom.student_edition import write_student_edition

    root = _repository(tmp_path / "repo", "title: Book\nstudent_edition:\n  repository:\n    url: https://github.com/a/s\n"
                                          "    branch: main\n    path_to_book: ''\n")
    for folder in (".ipynb_checkpoints", "__pycache__"):
        (root / "book" / folder).mkdir()
        (root / "book" / folder / "04_doubling-checkpoint.ipynb").write_text("{}")
    out = tmp_path / "edition"
    assert write_student_edition(root, out) == [out / "_config.yml", out / "_toc.yml", out / "book" / "intro.md",
                                                out / "book" / "04_doubling.ipynb"]
    assert sorted(path.name for path in (out / "book").iterdir()) == ["04_doubling.ipynb", "intro.md"]
    with pytest.raises(ValueError, match=r"would overwrite the book; .* elsewhere, e\.g\. _build/student/source\.$"):
        write_student_edition(root, root / "book" / "student")
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "notes.txt").write_text("mine")
    with pytest.raises(ValueError, match=r"name a new or empty folder, e\.g\. _build/student/source\.$"):
        write_student_edition(root, tmp_path / "mine")
    course = tmp_path / "course"
    notebook = course / "source" / "04_doubling" / "04_doubling.ipynb"
    assert write_course(root / "book", course) == [notebook, course / "nbgrader_config.py"]
    assert write_course(root / "book", course, ["04_doubling.ipynb"]) == [notebook]      # replaced; the settings kept
    assert re.search(r"^c\.ExecutePreprocessor\.timeout = 120$", (course / "nbgrader_config.py").read_text(), re.M)


def test_select_chapters_names_every_unknown_and_every_chapter():
    from mnist_lessons.classroom.chapters import select_chapters

    chapters = {"01_x": "01_x.ipynb", "04_doubling": "04_doubling.ipynb"}
    assert select_chapters(chapters, ["04_doubling.ipynb"]) == {"04_doubling": "04_doubling.ipynb"}
    with pytest.raises(ValueError, match=r"exercises: guide, 09_y\.ipynb; the chapters are 01_x, 04_doubling\.$"):
        select_chapters(chapters, ["guide", "01_x", "09_y.ipynb"])


def test_check_course_says_what_to_run(tmp_path):
    from mnist_lessons.classroom.grading import check_course

    course = tmp_path / "course"
    write_one = r"write one with `python -m mnist_lessons\.classroom nbgrader COURSEDIR`\.$"
    with pytest.raises(FileNotFoundError, match=r"^no course directory at .*; " + write_one):
        check_course(course)
    course.mkdir()
    with pytest.raises(FileNotFoundError, match=r"\(no nbgrader_config\.py\); " + write_one):
        check_course(course)
    (course / "nbgrader_config.py").write_text("")
    with pytest.raises(FileNotFoundError, match=r"/course/release; run `nbgrader generate_assignment NAME` in the "
                                                r"course directory first\.$"):
        check_course(course)


def test_grade_grades_two_students_at_once_unless_told(tmp_path, monkeypatch):
    from mnist_lessons.classroom.grading import grade

    course = _course(tmp_path, released=("01_x",),
                     submitted=[("ada", "01_x", None), ("bob", "01_x", None), ("cy", "01_x", None)])
    fake = _fake(monkeypatch, crowd=3)
    assert grade(course) == (course / "grades.csv", [])
    assert fake.most_at_once == 2


def test_submissions_go_on_past_an_empty_or_a_missing_assignment(tmp_path):
    from mnist_lessons.classroom.grading import submissions

    course = _course(tmp_path, submitted=[("ada", "02_y", None), ("bob", "02_y", None), ("cy", "01_x", "{")])
    (course / "submitted" / "bob" / "01_x").mkdir()
    readable, problems = submissions(course, ["01_x", "02_y"])
    assert readable == {"ada": ["02_y"], "bob": ["02_y"]}
    assert problems[0] == "bob, 01_x: no notebook was submitted; scored 0."
    assert re.search(r"^cy, 01_x: not graded, .* Ask the student to submit the notebook again\.$", problems[1])


def test_grade_without_submissions_says_how_to_collect_them(tmp_path, monkeypatch):
    from mnist_lessons.classroom.grading import grade

    course = _course(tmp_path)
    fake = _fake(monkeypatch)
    with pytest.raises(FileNotFoundError, match=r"^no submissions in .*/course/submitted; collect them into "
                                                r"submitted/<student>/<assignment>/ first \(`nbgrader collect`, "
                                                r"or by hand\)\.$"):
        grade(course)
    assert fake.calls == []


def test_autograde_names_every_assignment_nbgrader_could_not_grade(tmp_path, monkeypatch):
    from mnist_lessons.classroom.grading import _autograde

    fake = _fake(monkeypatch, failing=("02_y", "03_z"), crowd=1)
    log = tmp_path / "grading.log"
    line = _autograde(tmp_path, "dee", ["01_x", "02_y", "03_z"], ["01_x", "02_y", "03_z", "04_w"], log)
    assert [command for command, _cwd in fake.calls] == [["autograde", name, "--student=dee", "--force"]
                                                         for name in ("01_x", "02_y", "03_z")]
    assert re.search(r"^dee: nbgrader could not grade 02_y, 03_z \(its reason is in .*grading\.log\); "
                     r"what it could not grade scores 0\.$", line)
    assert log.read_text().count("=== nbgrader autograde ") == 3
    assert _autograde(tmp_path, "dee", ["01_x"], ["01_x"], log) is None


def test_the_nbgrader_metadata_and_the_hidden_tests_of_an_assignment():
    from mnist_lessons.classroom.nbgrader_course import assignment

    chapter = _chapter()
    chapter.cells[18].metadata["execution"] = {"iopub.status.busy": "2026-12-04T06:00:00"}
    source = assignment(chapter, "doubling")                            # a name without a chapter number
    assert source.cells[0].source.startswith("# Exercises of chapter doubling: Doubling things\n")
    check = source.cells[-1]
    assert check.metadata["nbgrader"] == {"grade": True, "grade_id": "ex-1-1", "locked": True, "schema_version": 3,
                                          "solution": False, "task": False, "points": 2}
    assert "execution" not in check.metadata
    assert check.source == ('exercises.check_ink_fraction(double, strict=True)\n### BEGIN HIDDEN TESTS\n'
                            'exercises.check_ink_fraction(double, strict=True, variant="hidden")\n### END HIDDEN TESTS')


def test_an_assignment_names_its_cells_and_the_chapter_in_its_messages():
    from mnist_lessons.classroom.nbgrader_course import assignment

    ids = [cell.metadata["nbgrader"]["grade_id"] for cell in assignment(_chapter(), "04_doubling").cells]
    assert ids[:4] == ["title", "colab-install", "setup-0", "setup-1"] and ids[4].startswith("exercises-")
    chapter = _chapter()
    del chapter.cells[0]                                                 # no Colab cell
    ids = [cell.metadata["nbgrader"]["grade_id"] for cell in assignment(chapter, "04_doubling").cells]
    assert ids[:3] == ["title", "setup-0", "setup-1"]
    def no_title(cells):
        del cells[1]

    def no_setup(cells):
        del cells[2:4]

    def no_exercises(cells):
        cells[6].source = "## More"

    def untagged(cells):
        cells[10].metadata["tags"] = []

    for edit, message in [(no_title, r"^04_doubling is not a chapter: it has no '# ' title"),
                          (no_setup, r"^04_doubling is not a chapter: .*'## Setup'"),
                          (no_exercises, r"^04_doubling is not a chapter: .*'## Exercises'"),
                          (untagged, r"to ex-4-2 in 04_doubling is not tagged")]:
        chapter = _chapter()
        edit(chapter.cells)
        with pytest.raises(ValueError, match=message):
            assignment(chapter, "04_doubling")


def test_an_assignment_with_two_answer_cells_and_checks_that_are_not_an_exercises(monkeypatch):
    from mnist_lessons import exercises
    from mnist_lessons.classroom.nbgrader_course import assignment

    chapter = _chapter()
    second = nbformat.from_dict(chapter.cells[10])
    second.source = "output_size = output_size + 0"
    chapter.cells.insert(11, second)                                      # exercise 4.2 answered in two cells
    answers = [cell for cell in assignment(chapter, "04_doubling").cells if cell.metadata["nbgrader"]["solution"]]
    ids = [cell.metadata["nbgrader"]["grade_id"] for cell in answers]
    assert ids[0] == "ex-4-2-answer" and re.fullmatch(r"ex-4-2-answer-\d+", ids[1]) and ids[2] == "ex-1-1-answer"
    assert not any("stub" in cell.metadata for cell in answers)
    monkeypatch.setattr(exercises, "check_helper", lambda answer: None, raising=False)    # no .exercise
    for call in ("exercises.check_nothing(output_size)", "exercises.check_helper(output_size)"):
        chapter = _chapter()
        chapter.cells[13].source = call
        with pytest.raises(ValueError, match=r"the check cell .* does not check exercise 4\.2"):
            assignment(chapter, "04_doubling")
    chapter = _chapter()
    chapter.cells[10].source = "print(1)"
    with pytest.raises(ValueError, match=r"the solution of exercise 4\.2 never sets output_size"):
        assignment(chapter, "04_doubling")
    chapter = _chapter()
    chapter.cells[13].source = "total = exercises.check_output_size(output_size)  # " + "x" * 100
    with pytest.raises(ValueError, match=r"; got 'total = exercises\.check_output_size\(output_size\)  # x{28}'\.$"):
        assignment(chapter, "04_doubling")                                 # the first 80 characters


def test_an_assignment_names_every_exercise_without_a_check_and_drops_the_widgets():
    from mnist_lessons.classroom.nbgrader_course import assignment

    chapter = _chapter()
    assert "widgets" in chapter.metadata and "widgets" not in assignment(chapter, "04_doubling").metadata
    del chapter.cells[18]
    del chapter.cells[13]
    with pytest.raises(ValueError, match=r"exercise\(s\) 1\.1, 4\.2 have a solution but no check cell"):
        assignment(chapter, "04_doubling")


def test_without_a_name_the_messages_say_the_notebook():
    from mnist_lessons.classroom.chapters import exercise_parts, section, title

    notebook = new_notebook(cells=[new_code_cell("x = 1")])
    with pytest.raises(ValueError, match=r"^the notebook is not a chapter: it has no '## Setup' section\.$"):
        section(notebook, "Setup")
    with pytest.raises(ValueError, match=r"^the notebook is not a chapter: it has no '# ' title\.$"):
        title(notebook)
    assert title(new_notebook(cells=[new_code_cell("# a comment"), new_markdown_cell("## Setup"),
                                     new_markdown_cell("#  Doubling  \n\ntext")])) == "Doubling"
    opened = [new_markdown_cell("```{solution-start} ex-1-1\n```"), new_code_cell("z" * 100)]
    with pytest.raises(ValueError, match=r"to ex-1-1 in the notebook is not tagged .*: 'z{60}'\. "
                                         r"Tag it or move it out\.$"):
        exercise_parts(opened)
    with pytest.raises(ValueError, match=r"^the solution to ex-1-1 in the notebook has no solution-end marker\.$"):
        exercise_parts(opened[:1])


def test_read_notebook_says_why_in_one_short_line(tmp_path, monkeypatch):
    from mnist_lessons.classroom.chapters import read_notebook

    path = tmp_path / "nowhere.ipynb"
    with pytest.raises(FileNotFoundError, match=r"^no notebook at .*nowhere\.ipynb\.$"):
        read_notebook(path)
    path.write_text("{}")
    for error, reason in [(RuntimeError("bad\n   cell  " + "x" * 200), "bad cell " + "x" * 111),
                          (RuntimeError(), "RuntimeError")]:
        def read(*args, error=error, **kwargs):
            raise error

        monkeypatch.setattr(nbformat, "read", read)
        with pytest.raises(ValueError, match=rf"^{re.escape(str(path))} is not a readable notebook \({reason}\)\.$"):
            read_notebook(path)


def test_a_student_page_leaves_the_chapter_unchanged():
    from mnist_lessons.classroom.student_edition import student_page

    chapter = _chapter()
    chapter.cells[10].outputs = [new_output("stream", name="stdout", text="6\n")]       # a solution's output
    sources = [cell.source for cell in chapter.cells]
    page = student_page(chapter)
    stub = next(cell for cell in page.cells if "exercise-stub" in cell.metadata.get("tags", []))
    assert stub.outputs == [] and stub.execution_count is None
    assert [cell.source for cell in chapter.cells] == sources and len(chapter.cells) == 19
    assert not any("stub" in cell.metadata for cell in page.cells)


def test_stub_for_checks_the_stub_names_its_exercise_and_raises():
    from mnist_lessons.classroom.student_copies import stub_for

    cell = new_code_cell("y" * 100)
    cell.metadata.update(tags=["solution"], stub='raise NotImplementedError("Exercise 1.1: f")')
    with pytest.raises(ValueError, match=r"^a cell tagged 'solution' must name its exercise in its metadata .*; "
                                         r"this one starts with 'y{60}'\.$"):
        stub_for(cell)
    cell.metadata["exercise"] = "1.1"
    for stub in ('raise NotImplementedError("todo")', 'print("Exercise 1.1")'):
        cell.metadata["stub"] = stub
        with pytest.raises(ValueError, match=r"stub of exercise 1\.1 must raise NotImplementedError"):
            stub_for(cell)


def test_solution_fences_without_a_label_or_after_blank_lines():
    from mnist_lessons.classroom.chapters import exercise_parts

    fence = new_markdown_cell("\n  ```{solution-start} ex-1-1\n:class: dropdown\n```")
    parts = exercise_parts([fence, new_markdown_cell("Because."), new_markdown_cell("\n```{solution-end}\n```")])
    assert [kind for kind, _cell, _number in parts] == ["hidden", "hidden", "hidden"]
    with pytest.raises(ValueError, match=r"^the solution to \? in the notebook has no solution-end marker"):
        exercise_parts([new_markdown_cell("```{solution-start}")])
    with pytest.raises(ValueError, match=r"^the solution to \? in the notebook"):    # not ":class:"
        exercise_parts([new_markdown_cell("```{solution-start}\n:class: dropdown\n```")])
    unnamed = new_code_cell("y" * 100)
    unnamed.metadata["tags"] = ["solution"]
    with pytest.raises(ValueError, match=r"^a cell tagged 'solution' must name its exercise in its metadata .*; "
                                         r"this one in the notebook starts with 'y{60}'\.$"):
        exercise_parts([unnamed])


def test_the_solution_region_of_a_function_without_a_docstring():
    from mnist_lessons.classroom.nbgrader_course import solution_source

    stub = 'def f(x):\n    raise NotImplementedError("Exercise 1.1: f")\n\n'          # a blank line after it
    assert solution_source("def f(x):\n    y = x + 1\n    return y", stub, "1.1") == (
        "def f(x):\n    ### BEGIN SOLUTION\n    y = x + 1\n    return y\n    ### END SOLUTION")
    assert solution_source("def f(x):\n    y = x + 1\n\n    return y", stub, "1.1") == (            # a blank line
        "def f(x):\n    ### BEGIN SOLUTION\n    y = x + 1\n\n    return y\n    ### END SOLUTION")
    assert solution_source("def f(x):\n    print(x)\n    return x", stub, "1.1") == (
        "def f(x):\n    ### BEGIN SOLUTION\n    print(x)\n    return x\n    ### END SOLUTION")
    with pytest.raises(ValueError, match=r"exercise 1\.2 never sets low, high\.$"):
        solution_source("mid = 1", 'low = NotImplemented\nhigh = NotImplemented\nraise NotImplementedError("1.2")',
                        "1.2")
    assert solution_source('def f(x):\n    """Only words."""', stub, "1.1") == (
        '### BEGIN SOLUTION\ndef f(x):\n    """Only words."""\n### END SOLUTION')


def test_nbgrader_runs_with_this_pythons_folder_first_on_the_path_even_without_one(monkeypatch):
    import os
    import sys

    from mnist_lessons.classroom.grading import _environment

    monkeypatch.delenv("PATH", raising=False)
    assert _environment()["PATH"] == os.path.dirname(sys.executable) + os.pathsep
