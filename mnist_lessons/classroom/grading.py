"""Grading a course's submissions with nbgrader, several students at a time, into one grade table.

    python -m mnist_lessons.classroom grade COURSEDIR [--jobs 2] [--to grades.csv]

runs, in an nbgrader course directory (written by ``classroom nbgrader``, released with
``nbgrader generate_assignment``, submissions collected into ``submitted/<student>/<assignment>/``):

1. a look at every submitted notebook: one that is not a readable notebook (a broken
   download, a file renamed) is not graded, and a line says whose and why; it scores 0;
2. ``nbgrader autograde`` for each student, ``jobs`` students at a time. nbgrader grades one
   submission after another; each student's run is a process of its own, and they share
   the course's gradebook. A cell that runs past the course's time limit (an endless loop)
   is stopped by nbgrader and its exercise scores 0;
3. ``nbgrader export`` of the grade table (CSV: one row per student and assignment), and one
   line per student with the total.

nbgrader's own log goes to ``COURSEDIR/grading.log``; nothing is printed but the lines above.
"""

import concurrent.futures
import csv
import os
import pathlib
import subprocess
import sys

from mnist_lessons.classroom.chapters import read_notebook

NBGRADER = "nbgrader>=0.9.6,<0.10"


def _nbgrader_command():
    """How to run nbgrader with this Python, or FileNotFoundError saying how to install it."""
    import importlib.util

    if importlib.util.find_spec("nbgrader") is None:
        raise FileNotFoundError(f"nbgrader is not installed; install it with: pip install '{NBGRADER}'.")
    return [sys.executable, "-m", "nbgrader"]


def _environment():
    # nbgrader runs `alembic` (its database migrations) from PATH: the one beside this Python.
    folder = os.path.dirname(sys.executable)
    return {**os.environ, "PATH": folder + os.pathsep + os.environ.get("PATH", "")}


def check_course(course):
    """Return the course's released assignments, or raise saying what is missing and what to run.

    Raises
    ------
    FileNotFoundError
        If ``course`` is not a folder, has no ``nbgrader_config.py`` or no released assignment.
    """
    course = pathlib.Path(course)
    if not course.is_dir():
        raise FileNotFoundError(f"no course directory at {course}; write one with "
                                "`python -m mnist_lessons.classroom nbgrader COURSEDIR`.")
    if not (course / "nbgrader_config.py").is_file():
        raise FileNotFoundError(f"{course} is not an nbgrader course (no nbgrader_config.py); write one with "
                                "`python -m mnist_lessons.classroom nbgrader COURSEDIR`.")
    released = sorted(path.name for path in (course / "release").glob("*") if path.is_dir())
    if not released:
        raise FileNotFoundError(f"no released assignment in {course / 'release'}; run "
                                "`nbgrader generate_assignment NAME` in the course directory first.")
    return released


def submissions(course, assignments):
    """The readable submissions: ``({student: [assignment, ...]}, [problem line, ...])``.

    A submitted notebook that is not a readable notebook is left out, and its problem line says
    whose it is and why; an assignment folder without a notebook is left out too.
    """
    course = pathlib.Path(course)
    readable, problems = {}, []
    for folder in sorted(path for path in (course / "submitted").glob("*") if path.is_dir()):
        for assignment in assignments:
            notebooks = sorted((folder / assignment).glob("*.ipynb"))
            if not (folder / assignment).is_dir():
                continue
            if not notebooks:
                problems.append(f"{folder.name}, {assignment}: no notebook was submitted; scored 0.")
                continue
            broken = []
            for path in notebooks:
                try:
                    read_notebook(path)
                except ValueError as error:
                    broken.append(str(error))
            if broken:
                problems.append(f"{folder.name}, {assignment}: not graded, scored 0: {broken[0]} "
                                "Ask the student to submit the notebook again.")
            else:
                readable.setdefault(folder.name, []).append(assignment)
    return readable, problems


def _autograde(course, student, assignments, all_released, log):
    """Autograde one student's readable submissions; return the line to print if nbgrader failed."""
    command = _nbgrader_command()
    # All of a student's assignments in one run (nbgrader starts once); one by one if some are left out.
    targets = ["*"] if assignments == all_released else assignments
    # nbgrader reads --student=12345 as a number, and finds no such student: quote an ID of digits.
    option = f'--student="{student}"' if student.isdigit() else f"--student={student}"
    failed = []
    for target in targets:
        result = subprocess.run([*command, "autograde", target, option, "--force"], cwd=course,
                                env=_environment(), capture_output=True, text=True)
        with open(log, "a", encoding="utf-8") as file:
            file.write(f"=== nbgrader autograde {target} --student={student}\n{result.stdout}{result.stderr}")
        if result.returncode != 0:
            failed.append(target)
    if failed:
        return (f"{student}: nbgrader could not grade {', '.join(failed)} (its reason is in {log}); "
                "what it could not grade scores 0.")
    return None


def grade(course, *, jobs=2, to="grades.csv"):
    """Autograde every readable submission of ``course`` and export the grade table.

    Parameters
    ----------
    course : path
        The nbgrader course directory.
    jobs : int
        How many students are graded at the same time (one nbgrader process each).
    to : path
        The grade table (CSV), relative to ``course`` unless absolute.

    Returns
    -------
    (pathlib.Path, list of str)
        The grade table's path, and the lines to print: problems first, then each student's total.

    Raises
    ------
    FileNotFoundError
        If the course, its released assignments or nbgrader are missing.
    TypeError, ValueError
        If ``jobs`` is not a whole number of at least 1.
    """
    from mnist_lessons.checks import check_int

    jobs = check_int(jobs, "jobs", low=1)
    course = pathlib.Path(course).resolve()
    released = check_course(course)
    command = _nbgrader_command()
    readable, lines = submissions(course, released)
    if not readable and not lines:
        raise FileNotFoundError(f"no submissions in {course / 'submitted'}; collect them into "
                                "submitted/<student>/<assignment>/ first (`nbgrader collect`, or by hand).")
    log = course / "grading.log"
    log.write_text("")
    for student in {line.split(",")[0] for line in lines} - set(readable):
        # A student with nothing gradable still gets a row (of zeros) in the grade table.
        result = subprocess.run([*command, "db", "student", "add", student], cwd=course, env=_environment(),
                                capture_output=True, text=True)
        with open(log, "a", encoding="utf-8") as file:
            file.write(f"=== nbgrader db student add {student}\n{result.stdout}{result.stderr}")
    with concurrent.futures.ThreadPoolExecutor(max_workers=jobs) as pool:
        runs = [pool.submit(_autograde, course, student, assignments, released, log)
                for student, assignments in readable.items()]
        lines += [line for run in runs if (line := run.result()) is not None]
    table = pathlib.Path(to) if pathlib.Path(to).is_absolute() else course / to
    result = subprocess.run([*command, "export", f"--to={table}"], cwd=course, env=_environment(),
                            capture_output=True, text=True)
    if result.returncode != 0 or not table.is_file():
        with open(log, "a", encoding="utf-8") as file:
            file.write(f"=== nbgrader export\n{result.stdout}{result.stderr}")
        raise FileNotFoundError(f"nbgrader export wrote no grade table; its reason is in {log}.")
    return table, lines + [f"{student}: {score:g} of {maximum:g} points" for student, (score, maximum)
                           in totals(table).items()]


def totals(table):
    """Each student's total score and maximum over the assignments of a grade table nbgrader exported."""
    sums = {}
    with open(table, newline="", encoding="utf-8") as file:
        for row in csv.DictReader(file):
            score, maximum = sums.get(row["student_id"], (0.0, 0.0))
            sums[row["student_id"]] = (score + float(row["score"]), maximum + float(row["max_score"]))
    return sums


def recorded_times():
    """The grading times ``bench/grading.py --record`` measured, shipped with the package (a dict).

    Keys: ``measured`` (a date), ``machine``, ``load_average_before``, ``chapters``, and the
    wall times in seconds of writing the course (``export_seconds``), releasing every chapter
    (``release_seconds``), grading one student's full set with one job
    (``one_student_seconds``) and two students' with two jobs (``two_students_two_jobs_seconds``).
    """
    import json

    return json.loads((pathlib.Path(__file__).with_name("grading_times.json")).read_text())
