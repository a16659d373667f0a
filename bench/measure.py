"""What the bench scripts share: run a command, measure its wall time and its peak memory; nbval's flags."""

import pathlib
import shlex
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent


def nbval_args():
    """nbval's flags as `make test` and `make nbval` pass them, read from their one definition in the
    Makefile (NBVAL_ARGS); paths in them are relative to the repository, the commands' working directory."""
    out = subprocess.run(["make", "-s", "--no-print-directory", "print-NBVAL_ARGS"], cwd=ROOT, capture_output=True,
                         text=True, check=True).stdout
    return shlex.split(out)

# Run in a fresh interpreter, so that RUSAGE_CHILDREN holds only this command's processes: the
# peak resident memory of the largest of them (for a notebook run, its kernel).
_PEAK_OF_CHILDREN = """
import resource, subprocess, sys, time
start = time.perf_counter()
code = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode
print(code, time.perf_counter() - start, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
"""


def time_and_peak(command, cwd):
    """Run ``command`` in ``cwd``; return (exit code, wall seconds, peak memory of its largest process in GB)."""
    out = subprocess.run([sys.executable, "-c", _PEAK_OF_CHILDREN, *map(str, command)], capture_output=True,
                         text=True, check=True, cwd=cwd).stdout.split()
    return int(out[0]), float(out[1]), int(out[2]) / 1024**2
