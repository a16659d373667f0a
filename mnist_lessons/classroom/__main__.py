"""``python -m mnist_lessons.classroom``: the course commands (see ``classroom.cli``)."""

import sys

from mnist_lessons.classroom.cli import main

sys.exit(main())
