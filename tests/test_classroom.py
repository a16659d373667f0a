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
    import importlib.util

    course = tmp_path / "course"
    (course / "release" / "01_x").mkdir(parents=True)
    (course / "nbgrader_config.py").write_text("")
    find_spec = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec",
                        lambda name, *args: None if name == "nbgrader" else find_spec(name, *args))
    with pytest.raises(SystemExit):
        main(["grade", str(course)])
    err = capsys.readouterr().err
    assert "nbgrader is not installed; install it with: pip install 'nbgrader>=0.9.6,<0.10'" in err
    assert err.count("\n") == 1
