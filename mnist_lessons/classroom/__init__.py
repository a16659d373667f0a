"""A course on the book: student copies, an nbgrader course, and the student edition of the site.

    python -m mnist_lessons.classroom student-copies OUTDIR [--book BOOKDIR]
    python -m mnist_lessons.classroom nbgrader COURSEDIR [--book BOOKDIR] [--chapter NAME ...]
    python -m mnist_lessons.classroom student-edition OUTDIR [--root REPODIR]

One module per idea: ``chapters`` reads what a course needs from the book's notebooks (the
setup, the exercises, their solutions and checks); ``student_copies`` writes notebooks with
stubs instead of solutions; ``nbgrader_course`` writes an nbgrader course, one assignment per
chapter, with hidden tests and points; ``student_edition`` writes the book's source without
solutions or the instructor guide, for a site students can read; ``cli`` is the command line.
The book's *Instructor guide* page tells a teacher how to use them.

Import what you need from those modules (``from mnist_lessons.classroom.student_copies import
student_copy``); this package re-exports nothing.
"""
