"""Time every chapter as a reader runs it, and record the figures the instructor guide shows.

    .venv/bin/python bench/run_times.py                 # print the table
    .venv/bin/python bench/run_times.py --record        # also write mnist_lessons/run_times.json

Each chapter notebook of `_toc.yml` is copied to a temporary folder and executed top to bottom in a
fresh kernel (`jupyter execute`, the ImageNet download skipped as in the tests), one after the
other; the figures are the wall time of that run, kernel start included, and the peak memory of
its largest process. Needs the full MNIST (MNIST_LESSONS_DATA or Keras' download).
"""

import argparse
import datetime
import json
import os
import pathlib
import platform
import shutil
import sys
import tempfile

import yaml
from measure import time_and_peak

ROOT = pathlib.Path(__file__).resolve().parent.parent
RECORD = ROOT / "mnist_lessons" / "run_times.json"   # read by records.run_times()

def chapter_notebooks():
    """The notebooks of the toc's numbered part, in book order."""
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    files = [entry["file"] for part in toc["parts"] if part.get("numbered") for entry in part["chapters"]]
    return [ROOT / f"{name}.ipynb" for name in files if (ROOT / f"{name}.ipynb").exists()]


def machine():
    """A one-line description of this machine and its software."""
    import mnist_lessons

    tf = mnist_lessons.import_tensorflow_quietly()
    import keras

    cpu = next((line.split(":", 1)[1].strip() for line in pathlib.Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor() or "unknown CPU")
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 1024**3
    gpus = len(tf.config.list_physical_devices("GPU"))
    return (f"{os.cpu_count()} CPU cores ({cpu}), {memory:.0f} GB RAM, {gpus or 'no'} GPU; Python "
            f"{platform.python_version()}, TensorFlow {tf.__version__}, Keras {keras.__version__}")


def time_notebook(path, workdir):
    """Execute a copy of ``path`` in ``workdir``; return (exit code, seconds, peak GB)."""
    copy = workdir / path.name
    shutil.copy(path, copy)
    jupyter = pathlib.Path(sys.executable).with_name("jupyter")
    return time_and_peak([jupyter, "execute", "--inplace", "--NbClientApp.skip_cells_with_tag=nbval-skip", copy],
                         cwd=workdir)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--record", action="store_true", help=f"write the figures to {RECORD.relative_to(ROOT)}")
    args = parser.parse_args()
    if "MNIST_LESSONS_DATA" not in os.environ:
        print("MNIST_LESSONS_DATA is not set: the chapters will download MNIST.", file=sys.stderr)
    chapters = {}
    with tempfile.TemporaryDirectory() as workdir:
        for path in chapter_notebooks():
            code, seconds, peak = time_notebook(path, pathlib.Path(workdir))
            if code:
                sys.exit(f"{path.name} failed (exit {code}); fix it before timing the book.")
            chapters[path.stem] = {"seconds": round(seconds, 1), "peak_gb": round(peak, 2)}
            print(f"{path.name:<34} {seconds:6.1f} s  peak {peak:.2f} GB", flush=True)
    total = sum(chapter["seconds"] for chapter in chapters.values())
    print(f"{'all chapters':<34} {total:6.1f} s")
    record = {
        "measured": datetime.date.today().isoformat(),
        "machine": machine(),
        "chapters": chapters,
        # Colab cannot be reached from the machine that measures; see the instructor guide.
        "colab": None,
    }
    print(record["machine"])
    if args.record:
        RECORD.write_text(json.dumps(record, indent=2) + "\n")
        print("wrote", RECORD.relative_to(ROOT))


if __name__ == "__main__":
    main()
