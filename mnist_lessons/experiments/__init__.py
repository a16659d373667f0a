"""The experiments the chapters draw lessons from, run over several seeds and draws, and recorded.

A comparison from one training run supports only "in this run": another seed, or another
draw of a few digits, may reverse it. Each module of this package is one experiment that
a chapter repeats: it says what it holds fixed and what it varies, and runs once per
seed (and draw). ``python -m mnist_lessons.record_experiments NAME`` runs all of its
runs and writes the results to ``mnist_lessons/experiment_records/NAME.json``, which the
package ships; the chapter runs one of them live, shows the recorded spread
(``mnist_lessons.spread``), and asserts that its live run falls within it.

Every experiment module defines:

``NAME``
    Its name, the record's file name.
``CHAPTER``
    The chapter that shows it, e.g. ``"08_transfer_learning"``.
``SETTINGS``
    A JSON-able dict of what every run holds fixed (budgets, sizes, learning rates).
``RUNS``
    The ``(seed, draw)`` pairs recorded; ``draw`` picks the digits where digits are sampled
    (0 where none are).
``run(seed, draw)``
    One run: returns a JSON-able dict of results.
"""

import importlib

EXPERIMENTS = ("optimisers", "transfer", "mlp_adam_vs_sgd", "sklearn_digits", "label_smoothing",
               "scrambled_pixels", "augmentation")
"""The module names of the recorded experiments (each ``mnist_lessons.experiments.<name>``)."""


def load(name):
    """Return the experiment module ``name`` (one of ``EXPERIMENTS``).

    Raises
    ------
    ValueError
        If there is no such experiment; the message lists those there are.
    """
    if name not in EXPERIMENTS:
        raise ValueError(f"no experiment {name!r}; the recorded experiments are {list(EXPERIMENTS)}.")
    module = importlib.import_module(f"mnist_lessons.experiments.{name}")
    missing = [attribute for attribute in ("NAME", "CHAPTER", "SETTINGS", "RUNS", "run")
               if not hasattr(module, attribute)]
    if missing:
        raise TypeError(f"experiment module {module.__name__} lacks {missing}; see mnist_lessons.experiments.")
    return module
