"""Run the book's experiments over their seeds and draws, and record them.

    python -m mnist_lessons.record_experiments NAME [NAME ...]   # run and record these experiments
    python -m mnist_lessons.record_experiments --all             # every experiment
    python -m mnist_lessons.record_experiments --list            # what there is, and what is recorded

Each experiment (``mnist_lessons.experiments``) runs once per ``(seed, draw)`` of its
``RUNS``, each run in the order listed, and the results are written to
``mnist_lessons/experiment_records/NAME.json`` with the settings, the time taken and the
machine. The chapters read these records (``mnist_lessons.records.experiment_record``); run
this after changing an experiment, then re-execute its chapter.
"""

import argparse
import datetime
import json
import os
import pathlib
import platform
import sys
import time

from mnist_lessons import experiments

RECORDS = pathlib.Path(__file__).resolve().parent / "experiment_records"


def record(name, directory=RECORDS, log=sys.stderr):
    """Run every run of experiment ``name`` and write its record; return the record's path."""
    module = experiments.load(name)
    runs, start = [], time.perf_counter()
    for seed, draw in module.RUNS:
        began = time.perf_counter()
        results = module.run(seed, draw)
        runs.append({"seed": seed, "draw": draw, "results": results,
                     "seconds": round(time.perf_counter() - began, 1)})
        print(f"{name}: seed {seed}, draw {draw} done in {runs[-1]['seconds']} s", file=log, flush=True)
    document = {
        "experiment": name, "chapter": module.CHAPTER, "description": (module.__doc__ or "").strip().split("\n")[0],
        "settings": module.SETTINGS, "runs": runs, "seconds": round(time.perf_counter() - start, 1),
        "_machine": _machine(),
    }
    directory = pathlib.Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{name}.json"
    path.write_text(json.dumps(document, indent=1) + "\n", encoding="utf-8")
    return path


def _machine():
    import keras
    import tensorflow as tf

    return {"date": datetime.date.today().isoformat(), "cpu_cores": os.cpu_count(),
            "processor": platform.processor() or platform.machine(), "python": platform.python_version(),
            "tensorflow": tf.__version__, "keras": keras.__version__}


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m mnist_lessons.record_experiments",
                                     description=__doc__.split("\n")[0])
    parser.add_argument("names", nargs="*", help=f"experiments to run: {', '.join(experiments.EXPERIMENTS)}")
    parser.add_argument("--all", action="store_true", help="run every experiment")
    parser.add_argument("--list", action="store_true", help="list the experiments and their records")
    parser.add_argument("--output-dir", default=str(RECORDS), help="where to write NAME.json")
    args = parser.parse_args(argv)
    if args.list:
        for name in experiments.EXPERIMENTS:
            path = pathlib.Path(args.output_dir) / f"{name}.json"
            recorded = json.loads(path.read_text())["_machine"]["date"] if path.exists() else None
            print(f"{name}: {'recorded ' + recorded if recorded else 'not recorded'}")
        return 0
    names = list(experiments.EXPERIMENTS) if args.all else args.names
    unknown = [name for name in names if name not in experiments.EXPERIMENTS]
    if not names or unknown:
        parser.error(f"name one or more experiments ({', '.join(experiments.EXPERIMENTS) or 'none yet'}) or pass "
                     f"--all{'; unknown: ' + ', '.join(unknown) if unknown else ''}")
    import mnist_lessons

    mnist_lessons.import_tensorflow_quietly()
    for name in names:
        print(record(name, args.output_dir))
    return 0


if __name__ == "__main__":
    sys.exit(main())
