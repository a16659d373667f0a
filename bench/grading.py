"""Time a course's grading with nbgrader: one student's nine chapters, and two students at once.

    .venv/bin/python bench/grading.py             # print the figures
    .venv/bin/python bench/grading.py --record    # also write mnist_lessons/classroom/grading_times.json

Each step is the command the instructor guide tells a teacher to run, timed on the wall clock:
writing the course (`python -m mnist_lessons.classroom nbgrader`), releasing every chapter
(`nbgrader generate_assignment`, one per chapter), then grading (`python -m mnist_lessons.classroom
grade`, which runs `nbgrader autograde` and `nbgrader export`) of one student who answered every
exercise with the book's solutions (the most work a submission can ask for: every check and
hidden test runs to the end), first alone with one job, then two such students with two jobs. The
load average before the run is printed with the figures: the times grow when other work shares
the cores. The processor time of the first grading (nbgrader's processes and their kernels) says
what it costs whatever else runs. Needs nbgrader (requirements.txt) and the full MNIST (MNIST_LESSONS_DATA or Keras').
"""

import argparse
import datetime
import json
import os
import pathlib
import resource
import shutil
import subprocess
import sys
import tempfile
import time

import nbformat
from run_times import machine

ROOT = pathlib.Path(__file__).resolve().parent.parent
RECORD = ROOT / "mnist_lessons" / "classroom" / "grading_times.json"   # read by classroom.grading.recorded_times()


def _processor_seconds():
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)     # every finished process started below
    return usage.ru_utime + usage.ru_stime


def timed(command, cwd, cpu=False):
    """Run ``command`` in ``cwd``; return its wall time in seconds (and, with ``cpu``, the processor
    seconds it and the processes it started used), or stop with its error output."""
    env = {**os.environ, "PATH": os.path.dirname(sys.executable) + os.pathsep + os.environ["PATH"]}
    start, processor = time.perf_counter(), _processor_seconds()
    result = subprocess.run([str(part) for part in command], cwd=cwd, env=env, capture_output=True, text=True)
    seconds, processor = time.perf_counter() - start, _processor_seconds() - processor
    if result.returncode != 0:
        sys.exit(f"{' '.join(map(str, command))} failed:\n{result.stdout[-2000:]}{result.stderr[-2000:]}")
    return (seconds, processor) if cpu else seconds


def submit_solutions(course, students):
    """Put the book's solutions, for every chapter, in ``submitted/<student>/`` for each student."""
    from mnist_lessons.classroom.nbgrader_course import solved_copy

    for name in sorted(path.name for path in (course / "source").iterdir()):
        solved = solved_copy(nbformat.read(course / "source" / name / f"{name}.ipynb", as_version=4))
        for student in students:
            folder = course / "submitted" / student / name
            folder.mkdir(parents=True, exist_ok=True)
            nbformat.write(solved, folder / f"{name}.ipynb")


def new_course(folder):
    """Write and release the course in ``folder``; return (export seconds, release seconds, chapters)."""
    python = sys.executable
    export = timed([python, "-m", "mnist_lessons.classroom", "nbgrader", folder, "--book", ROOT / "book"], folder)
    chapters = sorted(path.name for path in (folder / "source").iterdir())
    release = sum(timed([python, "-m", "nbgrader", "generate_assignment", name], folder) for name in chapters)
    return export, release, chapters


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--record", action="store_true", help=f"write the figures to {RECORD.relative_to(ROOT)}")
    args = parser.parse_args()
    load = os.getloadavg()[0]
    grade = [sys.executable, "-m", "mnist_lessons.classroom", "grade", "."]
    with tempfile.TemporaryDirectory() as folder:
        one, two = pathlib.Path(folder) / "one", pathlib.Path(folder) / "two"
        one.mkdir()
        export, release, chapters = new_course(one)
        shutil.copytree(one, two)                # the same released course, for the second grading
        submit_solutions(one, ["student1"])
        alone, alone_cpu = timed([*grade, "--jobs", "1"], one, cpu=True)
        submit_solutions(two, ["student1", "student2"])
        pair = timed([*grade, "--jobs", "2"], two)
    figures = {
        "measured": datetime.date.today().isoformat(),
        "machine": machine(),
        "load_average_before": round(load, 1),
        "chapters": len(chapters),
        "export_seconds": round(export, 1),
        "release_seconds": round(release, 1),
        "one_student_seconds": round(alone, 1),
        "one_student_processor_seconds": round(alone_cpu, 1),
        "two_students_two_jobs_seconds": round(pair, 1),
    }
    per_student = pair / 2
    print(f"machine: {figures['machine']}; load average before the run {load:.1f}")
    print(f"write the course ({len(chapters)} assignments):        {export:7.1f} s")
    print(f"release every chapter (generate_assignment): {release:7.1f} s")
    print(f"grade one student's full set, one job:       {alone:7.1f} s   (goal: under 120 s; "
          f"{alone_cpu:.0f} s of processor time)")
    print(f"grade two students' full sets, two jobs:     {pair:7.1f} s   ({per_student:.0f} s a student)")
    print(f"100 students at that pace:                   {100 * per_student / 3600:7.1f} h")
    if args.record:
        RECORD.write_text(json.dumps(figures, indent=2) + "\n")
        print("recorded in", RECORD.relative_to(ROOT))


if __name__ == "__main__":
    main()
