"""The measurements the package ships as JSON: training records, chapter run times, experiments' runs.

Every file is written by a command, never by hand: ``weights/training_record.json`` by
``python -m mnist_lessons.regenerate_weights``, ``run_times.json`` by
``bench/run_times.py --record`` and ``experiment_records/NAME.json`` by
``python -m mnist_lessons.record_experiments NAME``. Chapters read them to show what was
measured on the machine that made them.
"""

import importlib.resources
import json


def _read(*parts):
    return json.loads(importlib.resources.files("mnist_lessons").joinpath(*parts).read_text())


def training_record():
    """Return what ``python -m mnist_lessons.regenerate_weights`` measured when it made the shipped weights.

    Returns
    -------
    dict
        For each recipe trained ("mlp", "cnn", "example_mlp", "example_cnn"):
        its description, parameter count, test accuracy and training time in
        seconds; under "_machine", the date, CPU cores and library versions.

    Examples
    --------
    >>> training_record()["cnn"]["parameters"]
    34826
    """
    return _read("weights", "training_record.json")


def run_times():
    """Return how long each chapter took to run, as measured by ``bench/run_times.py --record``.

    Returns
    -------
    dict
        "measured" (the date), "machine" (cores, memory, library versions), "chapters" (for each
        chapter notebook, "seconds" for running every cell in a fresh kernel and "peak_gb", its
        peak memory) and "colab" (None: not measured, the measuring machine cannot reach Colab).
    """
    return _read("run_times.json")


def experiment_record(name):
    """Return the recorded runs of experiment ``name`` (see ``mnist_lessons.experiments``).

    Returns
    -------
    dict
        "experiment", "chapter", "description", "settings" (what every run held fixed), "runs"
        (one ``{"seed", "draw", "results", "seconds"}`` per run), "seconds" and "_machine".

    Raises
    ------
    FileNotFoundError
        If the experiment was never recorded; the message gives the command that records it.
    """
    path = importlib.resources.files("mnist_lessons").joinpath("experiment_records", f"{name}.json")
    if not path.is_file():
        raise FileNotFoundError(f"experiment {name!r} has no record; run "
                                f"`python -m mnist_lessons.record_experiments {name}`.")
    return json.loads(path.read_text())
