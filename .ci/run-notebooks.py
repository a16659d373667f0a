"""Execute notebooks top to bottom in fresh kernels; fail on any error a cell does not expect.

    python .ci/run-notebooks.py --workdir DIR book/*.ipynb

Each notebook is copied into DIR and run there with the current Python's kernel, skipping the
cells tagged nbval-skip (chapter 8's ImageNet download) as the tests do. Cells tagged
raises-exception may fail; any other error stops the run with the notebook, the cell and the error.
Outputs are not compared: this checks that the code runs, not that it prints the same.
"""

import argparse
import pathlib
import shutil
import sys
import time

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError


def check_kernel_is_this_python(workdir):
    """Fail unless the "python3" kernel runs this interpreter (not another environment's)."""
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("import sys; print(sys.prefix)")])
    NotebookClient(notebook, timeout=120, kernel_name="python3",
                   resources={"metadata": {"path": str(workdir)}}).execute()
    kernel_prefix = notebook.cells[0].outputs[0]["text"].strip()
    if pathlib.Path(kernel_prefix).resolve() != pathlib.Path(sys.prefix).resolve():
        sys.exit(f"the python3 kernel runs {kernel_prefix}, not this environment ({sys.prefix}).")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("notebooks", nargs="+", type=pathlib.Path)
    parser.add_argument("--workdir", type=pathlib.Path, required=True)
    args = parser.parse_args()
    args.workdir.mkdir(parents=True, exist_ok=True)
    check_kernel_is_this_python(args.workdir)
    failed = []
    for path in args.notebooks:
        copy = args.workdir / path.name
        shutil.copy(path, copy)
        notebook = nbformat.read(copy, as_version=4)
        start = time.perf_counter()
        try:
            NotebookClient(notebook, timeout=900, kernel_name="python3", skip_cells_with_tag="nbval-skip",
                           resources={"metadata": {"path": str(args.workdir)}}).execute()
        except CellExecutionError as error:
            failed.append(path.name)
            print(f"FAILED {path.name}:\n{str(error)[-3000:]}", flush=True)
            continue
        print(f"ok     {path.name}  {time.perf_counter() - start:.0f} s", flush=True)
    if failed:
        sys.exit(f"{len(failed)} notebook(s) failed: {', '.join(failed)}")


if __name__ == "__main__":
    main()
