import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from mnist_lessons import classroom


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
    student = classroom.student_copy(instructor)
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
    student = classroom.student_copy(_instructor_notebook())
    sources = [cell.source for cell in student.cells]
    assert sources[5].startswith(":::{exercise}")                            # the question stays
    assert sources[6].startswith("product = NotImplemented")                  # the stub replaces the solution
    assert sources[7] == "print(product)" and len(sources) == 8
    assert not any("solution-" in source or "answer is 42" in source for source in sources)


def test_an_untagged_code_cell_inside_a_solution_or_an_open_solution_is_refused():
    notebook = _instructor_notebook()
    notebook.cells[8].metadata["tags"] = []
    with pytest.raises(ValueError, match="not tagged 'solution'"):
        classroom.student_copy(notebook)
    notebook = _instructor_notebook()
    del notebook.cells[9:]
    with pytest.raises(ValueError, match="no solution-end"):
        classroom.student_copy(notebook)


def test_a_solution_without_its_exercise_or_a_bad_stub_is_refused():
    notebook = _instructor_notebook()
    del notebook.cells[2].metadata["exercise"]
    with pytest.raises(ValueError, match="name its exercise"):
        classroom.student_copy(notebook)
    notebook = _instructor_notebook()
    notebook.cells[2].metadata["stub"] = "pass"
    with pytest.raises(ValueError, match="must raise NotImplementedError"):
        classroom.student_copy(notebook)
    notebook = _instructor_notebook()
    del notebook.cells[2].metadata["stub"]
    with pytest.raises(ValueError, match="has no stub"):
        classroom.student_copy(notebook)


def test_cli_writes_one_copy_per_notebook(tmp_path, capsys):
    book = tmp_path / "book"
    book.mkdir()
    nbformat.write(_instructor_notebook(), book / "01_x.ipynb")
    nbformat.write(_instructor_notebook(), book / "02_y.ipynb")
    nbformat.write(new_notebook(cells=[new_markdown_cell("# A guide")]), book / "guide.ipynb")   # no exercises
    assert classroom.main(["student-copies", str(tmp_path / "out"), "--book", str(book)]) == 0
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["01_x.ipynb", "02_y.ipynb"]
    copy = nbformat.read(tmp_path / "out" / "01_x.ipynb", as_version=4)
    assert "NotImplementedError" in copy.cells[2].source
    assert str(tmp_path / "out" / "01_x.ipynb") in capsys.readouterr().out


def test_cli_says_what_is_missing(tmp_path, capsys):
    with pytest.raises(SystemExit) as exit_info:
        classroom.main(["student-copies", str(tmp_path / "out"), "--book", str(tmp_path / "nowhere")])
    assert exit_info.value.code == 2
    assert "no notebooks in" in capsys.readouterr().err
    book = tmp_path / "book"
    book.mkdir()
    nbformat.write(new_notebook(cells=[new_markdown_cell("# A guide")]), book / "guide.ipynb")
    with pytest.raises(SystemExit):
        classroom.main(["student-copies", str(tmp_path / "out"), "--book", str(book)])
    assert "no notebook in" in capsys.readouterr().err
