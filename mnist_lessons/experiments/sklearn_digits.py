"""The shipped CNN on scikit-learn's 8×8 digits: three ways to use 10 labelled digits per class, over seeds and draws.

scikit-learn's digits (1,797 images, 13 writers, each 32×32 scan reduced to 8×8 counts)
are prepared MNIST's way (``preprocess.to_mnist_format``). A draw picks 10 labelled
digits per class; the other digits are split at random, by the same draw, into a
validation half (for choosing each method's learning rate) and a test half (for
scoring). Each method trains ``EPOCHS`` epochs over the labelled digits in batches of
``BATCH`` (Adam, a constant learning rate from ``RATES``):

``last_layer``
    The shipped CNN with every layer but the last frozen: only its 10-way output layer,
    kept and adjusted, trains.
``fine_tune``
    The whole shipped CNN trains.
``scratch``
    The same architecture, freshly initialised, trains whole.

``no_adaptation`` is the shipped CNN as it is. ``chosen_rates`` picks each method's rate
by mean validation accuracy over the runs; ``spreads_at_chosen_rates`` gives the test
accuracies there. ``SETTINGS`` holds a digest of the shipped CNN's weights file, so that
a record made with other weights no longer matches.
"""

import functools
import hashlib
import pathlib

import keras
import numpy as np

from mnist_lessons.checks import check_choice, check_int, check_number
from mnist_lessons.data import sample_per_class
from mnist_lessons.models import build_cnn, pretrained, weights_path
from mnist_lessons.preprocess import to_mnist_format
from mnist_lessons.spread import Spread

NAME = "sklearn_digits"
CHAPTER = "08_transfer_learning"

METHODS = ("last_layer", "fine_tune", "scratch")
LABELS = {"no_adaptation": "no adaptation", "last_layer": "last layer only",
          "fine_tune": "fine-tune everything", "scratch": "from scratch"}
"""What each method is, in the words of the chapter's table."""
PER_CLASS = 10
EPOCHS, BATCH = 40, 20
RATES = (0.0001, 0.0003, 0.001, 0.003, 0.01, 0.03)
"""The learning rates (Adam, constant) each method may choose from, on validation digits."""


def _weights_digest():
    return hashlib.sha256(pathlib.Path(weights_path("cnn")).read_bytes()).hexdigest()[:16]


SETTINGS = {
    "data": "scikit-learn's load_digits, divided by 16, prepared by to_mnist_format",
    "labelled_per_class": PER_CLASS,
    "split of the others": "half validation, half test, at random by the draw",
    "methods": list(METHODS),
    "epochs": EPOCHS,
    "batch_size": BATCH,
    "rates": list(RATES),
    "optimizer": "Adam, constant learning rate, sparse categorical cross-entropy",
    "shipped_cnn_sha256": _weights_digest(),
}
RUNS = [(0, 0), (0, 1), (0, 2), (1, 0), (2, 0)]
"""Seed 0 with three draws of the labelled digits, and draw 0 with three seeds."""


@functools.cache
def digits():
    """scikit-learn's digits as ``(images, labels)``: 28×28×1 floats in [0, 1] in MNIST's format, and 0..9."""
    try:
        from sklearn.datasets import load_digits  # scikit-learn: only this experiment needs it
    except ImportError as error:
        raise ImportError("scikit-learn's digits need scikit-learn, which the package does not install "
                          "(only this experiment uses it): pip install scikit-learn") from error

    small = load_digits()
    images = to_mnist_format((small.images / 16.0).astype("float32"))
    return images[..., None], small.target.astype(np.int64)


def split(draw):
    """``(labelled, validation, test)`` indices of the digits for ``draw``.

    ``PER_CLASS`` labelled digits of each class; the others shuffled by ``draw`` and cut in
    two, the first half (rounded down) for validation, the rest for testing.
    """
    draw = check_int(draw, "draw", low=0)
    labels = digits()[1]
    labelled = sample_per_class(labels, PER_CLASS, seed=draw)
    others = np.random.default_rng(draw).permutation(np.setdiff1d(np.arange(len(labels)), labelled))
    half = len(others) // 2
    return labelled, np.sort(others[:half]), np.sort(others[half:])


def adapt(method, labelled, *, seed, learning_rate):
    """Train ``method`` (one of ``METHODS``) on the ``labelled`` digits; return it."""
    check_choice(method, "method", METHODS)
    seed = check_int(seed, "seed", low=0)
    learning_rate = check_number(learning_rate, "learning_rate", low=0, low_open=True)
    images, labels = digits()
    keras.utils.set_random_seed(seed)
    model = build_cnn() if method == "scratch" else pretrained("cnn")
    for layer in model.layers[:-1]:
        layer.trainable = method != "last_layer"
    model.compile(optimizer=keras.optimizers.Adam(learning_rate),
                  loss="sparse_categorical_crossentropy")
    model.fit(images[labelled], labels[labelled], epochs=EPOCHS, batch_size=BATCH,
              verbose=0)
    return model


def accuracy(model, indices):
    """The accuracy of ``model`` on the digits at ``indices``."""
    images, labels = digits()
    predicted = model.predict(images[indices], verbose=0, batch_size=1000).argmax(axis=1)
    return float(np.mean(predicted == labels[indices]))


def run(seed, draw):
    """One run: the shipped CNN as it is, and every method at every rate.

    Returns ``{"no_adaptation": {...}, "methods": {method: {rate: {...}}}}``, each ``{...}``
    a "validation" and a "test" accuracy.
    """
    labelled, validation, test = split(draw)
    shipped = pretrained("cnn")
    results = {"no_adaptation": {"validation": accuracy(shipped, validation), "test": accuracy(shipped, test)},
               "methods": {method: {} for method in METHODS}}
    for method in METHODS:
        for rate in RATES:
            model = adapt(method, labelled, seed=seed, learning_rate=rate)
            results["methods"][method][f"{rate:g}"] = {"validation": accuracy(model, validation),
                                                       "test": accuracy(model, test)}
    return results


def chosen_rates(record):
    """``{method: rate}``: the rate of ``RATES`` with the best mean validation accuracy over the runs (ties: smaller).

    Parameters
    ----------
    record : dict
        ``mnist_lessons.records.experiment_record("sklearn_digits")``.
    """
    runs = _runs(record)
    chosen = {}
    for method in METHODS:
        means = {rate: np.mean([r["results"]["methods"][method][f"{rate:g}"]["validation"] for r in runs])
                 for rate in RATES}
        chosen[method] = max(RATES, key=lambda rate: (means[rate], -rate))
    return chosen


def spreads_at_chosen_rates(record):
    """``{name: Spread}`` of the test accuracy over the runs: "no_adaptation" and each method at its chosen rate."""
    runs, rates = _runs(record), chosen_rates(record)
    found = {"no_adaptation": Spread.of([r["results"]["no_adaptation"]["test"] for r in runs])}
    for method in METHODS:
        found[method] = Spread.of([r["results"]["methods"][method][f"{rates[method]:g}"]["test"] for r in runs])
    return found


def _runs(record):
    if not isinstance(record, dict) or record.get("experiment") != NAME or not record.get("runs"):
        raise ValueError(f"record must be the {NAME!r} experiment's record, with runs: "
                         f"mnist_lessons.records.experiment_record({NAME!r}).")
    return record["runs"]
