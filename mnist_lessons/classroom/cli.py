"""The command line of ``python -m mnist_lessons.classroom``: one subcommand per course task.

Every command checks its input and stops with one line, ``error: ...``, saying what is wrong
and what to do (exit status 2), never with a traceback.
"""

import argparse
import pathlib


def _parser():
    parser = argparse.ArgumentParser(prog="python -m mnist_lessons.classroom",
                                     description="Course tools for the mnist-lessons book.")
    commands = parser.add_subparsers(dest="command", required=True)
    book = dict(default=str(pathlib.Path.cwd() / "book"), help="folder of the instructor notebooks (default: ./book)")

    copies = commands.add_parser("student-copies", help="write one student notebook per chapter")
    copies.add_argument("outdir", help="folder for the student copies (created if missing)")
    copies.add_argument("--book", **book)

    course = commands.add_parser("nbgrader", help="write an nbgrader course: one assignment per chapter")
    course.add_argument("coursedir", help="the nbgrader course directory (created if missing)")
    course.add_argument("--book", **book)
    course.add_argument("--chapter", action="append", default=[], metavar="NAME",
                        help="a chapter to export, e.g. 03_convolution (repeat it; default: every chapter)")

    grading = commands.add_parser("grade", help="autograde the submissions of an nbgrader course and export grades")
    grading.add_argument("coursedir", help="the nbgrader course directory, with release/ and submitted/")
    grading.add_argument("--jobs", type=int, default=2, help="students graded at the same time (default: 2)")
    grading.add_argument("--to", default="grades.csv",
                         help="the grade table to write, relative to the course directory (default: grades.csv)")

    edition = commands.add_parser("student-edition", help="write the book's source for students")
    edition.add_argument("outdir", help="folder for the student edition's source (replaced)")
    edition.add_argument("--root", default=str(pathlib.Path.cwd()),
                         help="the book's repository, with _config.yml, _toc.yml and book/ (default: .)")
    return parser


def main(argv=None):
    """Run one course command; return 0, or exit with status 2 and a one-line error."""
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        if args.command == "student-copies":
            from mnist_lessons.classroom.student_copies import write_student_copies

            written = write_student_copies(args.book, args.outdir)
        elif args.command == "nbgrader":
            from mnist_lessons.classroom.nbgrader_course import write_course

            written = write_course(args.book, args.coursedir, args.chapter)
        elif args.command == "grade":
            from mnist_lessons.classroom.grading import grade

            table, lines = grade(args.coursedir, jobs=args.jobs, to=args.to)
            written = [*lines, table]
        else:
            from mnist_lessons.classroom.student_edition import write_student_edition

            written = write_student_edition(args.root, args.outdir)
    except (FileNotFoundError, TypeError, ValueError) as error:
        parser.exit(2, f"error: {error}\n")
    for path in written:
        print(path)
    return 0
