"""Measure the book's budgets on this machine and print them as one table.

    .venv/bin/python bench/budgets.py                       # nbval per notebook, book build
    .venv/bin/python bench/budgets.py --ci-log ci.log       # also .ci/run's total, from its log

Budgets (from the project's issue on publishing quality): each notebook under `pytest --nbval`
<= 90 s and <= 2.5 GB peak memory, the whole book's nbval <= 10 min, the book build with
committed outputs <= 60 s, and `.ci/run` well inside 90 min (run `.ci/run 2>&1 | tee ci.log` and
pass the log: this script does not start CI itself). Needs the full MNIST (MNIST_LESSONS_DATA).
"""

import argparse
import os
import pathlib
import re
import sys
import tempfile

from measure import nbval_args, time_and_peak

ROOT = pathlib.Path(__file__).resolve().parent.parent
NBVAL = nbval_args()


def nbval(notebook):
    """(passed, seconds, peak GB) of `pytest --nbval` on one notebook, as `make test` runs it."""
    code, seconds, peak = time_and_peak([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                                         notebook, *NBVAL], cwd=ROOT)
    return code == 0, seconds, peak


def book_build():
    """(passed, seconds) of `jupyter-book build -W --keep-going` into a fresh folder."""
    jupyter_book = pathlib.Path(sys.executable).with_name("jupyter-book")
    with tempfile.TemporaryDirectory() as out:
        code, seconds, _ = time_and_peak([jupyter_book, "build", ROOT, "--path-output", out, "-W", "--keep-going"],
                                         cwd=ROOT)
    return code == 0, seconds


def ci_minutes(log):
    """The total .ci/run printed at its end, in minutes."""
    match = re.search(r"\.ci/run finished in (\d+) min (\d+) s", pathlib.Path(log).read_text())
    if not match:
        sys.exit(f"{log} has no '.ci/run finished in ...' line; pass the log of a complete .ci/run.")
    return int(match.group(1)) + int(match.group(2)) / 60


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--ci-log", help="the output of a complete .ci/run, for its total time")
    args = parser.parse_args()
    rows = []

    def row(figure, value, budget, ok):
        rows.append((figure, value, budget, "ok" if ok else "OVER"))

    total = 0.0
    for notebook in sorted((ROOT / "book").glob("*.ipynb")):
        passed, seconds, peak = nbval(notebook)
        total += seconds
        row(f"nbval {notebook.name}" + ("" if passed else " (FAILED)"), f"{seconds:.0f} s, {peak:.2f} GB",
            "<= 90 s, <= 2.5 GB", passed and seconds <= 90 and peak <= 2.5)
    row("nbval, whole book (sum)", f"{total / 60:.1f} min", "<= 10 min", total <= 600)
    passed, seconds = book_build()
    row("book build, committed outputs" + ("" if passed else " (FAILED)"), f"{seconds:.0f} s", "<= 60 s",
        passed and seconds <= 60)
    if args.ci_log:
        minutes = ci_minutes(args.ci_log)
        row(".ci/run, clean checkout", f"{minutes:.0f} min", "well inside 90 min", minutes <= 45)
    else:
        rows.append((".ci/run, clean checkout", "not measured", "well inside 90 min", "pass --ci-log"))

    widths = [max(len(r[i]) for r in rows) for i in range(4)]
    print(f"mnist-lessons budgets, {os.cpu_count()} CPU cores, Python {sys.version.split()[0]}")
    for r in rows:
        print("  ".join(cell.ljust(width) for cell, width in zip(r, widths)).rstrip())
    if any(r[3] == "OVER" for r in rows):
        sys.exit(1)


if __name__ == "__main__":
    main()
