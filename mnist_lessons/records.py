"""The measurements the package ships as JSON: how the shipped weights were trained, how long the chapters run.

Both files are written by commands, never by hand: ``weights/training_record.json`` by
``python -m mnist_lessons.regenerate_weights`` and ``run_times.json`` by
``bench/run_times.py --record``. Chapters read them to show what was measured on the
machine that made them.
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
