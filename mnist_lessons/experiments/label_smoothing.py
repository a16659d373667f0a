"""Chapter 5's MLP trained by its recipe with label smoothing 0.1 and without, from the same starts, over five seeds.

Chapter 5 finds the shipped CNN under-confident and blames its recipe's label smoothing. It
tests the blame on the MLP, which is cheap to train: the MLP's shipped recipe (Adam, batches
of 128, 10 epochs, a warm-up and cosine learning rate peaking at 0.01, label smoothing 0.1)
and the same recipe with label smoothing 0, from the same initial weights and the same
batches (one seed fixes both). The rest of the recipe is held fixed, so that the smoothing is
the only difference. Each run trains both on the 60,000 training digits and measures, on the
10,000 test digits (used only to judge, never to choose): the accuracy, the calibration error
(``calibration.reliability_bins``, 10 bins), the mean and median confidence, how far the top
logit stands above the mean of the other nine, the reliability bins themselves, and the
middle-confidence predictions (0.5 to 0.9) taken together. It also measures each model's loss
on the training digits at the end, plain and with smoothing 0.1's targets, whose entropy is
the floor under a smoothed loss.
"""

import keras
import numpy as np

from mnist_lessons.calibration import reliability_bins
from mnist_lessons.checks import check_int, check_labels, check_number, check_scaled_images
from mnist_lessons.data import load_mnist
from mnist_lessons.models import build_mlp, logits_model
from mnist_lessons.training import RECIPES, train

NAME = "label_smoothing"
CHAPTER = "05_softmax"

SMOOTHINGS = (0.1, 0.0)
"""The label smoothing of the shipped MLP's recipe, and none."""
MIDDLE = (0.5, 0.9)
"""The middle confidences: predictions above 0.5 up to and including 0.9."""

_RECIPE = RECIPES["mlp"]
SETTINGS = {
    "recipe": _RECIPE.describe(), "epochs": _RECIPE.epochs, "batch_size": _RECIPE.batch_size,
    "learning_rate": _RECIPE.learning_rate, "schedule": _RECIPE.schedule,
    "label_smoothings": list(SMOOTHINGS), "bins": 10, "middle": list(MIDDLE),
    "train_digits": "all 60,000 training digits", "judged_on": "the 10,000 test digits",
}
RUNS = [(seed, 0) for seed in range(5)]
"""Five seeds; no digits are drawn (every run trains on the same 60,000)."""


def smoothing_key(label_smoothing):
    """How a label smoothing names its results in the record: ``"0.1"``, ``"0"``.

    Examples
    --------
    >>> smoothing_key(0.1), smoothing_key(0.0)
    ('0.1', '0')
    """
    return f"{check_number(label_smoothing, 'label_smoothing', low=0, high=1, high_open=True):g}"


def train_mlp(seed, label_smoothing, x, y):
    """Train a new MLP by the shipped MLP's recipe from seed ``seed``, with ``label_smoothing``.

    Seeds Keras with ``seed`` and builds the MLP, so that the seed fixes the initial weights
    and the order of the batches: two calls with the same seed differ only in the smoothing.
    With seed 0 and smoothing 0.1 this is the shipped MLP's recipe
    (``training.train_recipe("mlp")``).

    Parameters
    ----------
    seed : int
    label_smoothing : float
        In [0, 1).
    x, y : numpy.ndarray
        Training digits of shape (n, 28, 28), floats in [0, 1], and their labels 0..9.

    Returns
    -------
    model : keras.Sequential
        Trained, ending in a softmax.
    history : keras.callbacks.History
    """
    seed = check_int(seed, "seed", low=0)
    label_smoothing = check_number(label_smoothing, "label_smoothing", low=0, high=1, high_open=True,
                                   hint="It is a share of the target, e.g. 0.1.")
    keras.utils.set_random_seed(seed)
    model = build_mlp()
    history = train(model, x, y, epochs=_RECIPE.epochs, batch_size=_RECIPE.batch_size,
                    learning_rate=_RECIPE.learning_rate, schedule=_RECIPE.schedule,
                    label_smoothing=label_smoothing)
    return model, history


def logit_gap(logits):
    """The mean over digits of the top logit minus the mean of the other logits.

    Parameters
    ----------
    logits : numpy.ndarray of shape (n, n_classes)

    Returns
    -------
    float

    Examples
    --------
    >>> logit_gap(np.array([[3.0, 0.0, 0.0], [1.0, 2.0, 0.0]]))
    2.25
    """
    logits = np.asarray(logits, dtype=np.float64)
    if logits.ndim != 2 or logits.shape[1] < 2:
        raise ValueError(f"logits must have shape (n, classes) with at least 2 classes; got {logits.shape}.")
    top = logits.max(axis=1)
    others = (logits.sum(axis=1) - top) / (logits.shape[1] - 1)
    return float(np.mean(top - others))


def middle_confidence(bins, low=MIDDLE[0], high=MIDDLE[1]):
    """The predictions of the bins from ``low`` to ``high`` taken together: how many, claimed, achieved.

    Parameters
    ----------
    bins : mnist_lessons.calibration.ReliabilityBins
    low, high : float
        Edges of ``bins``, low < high.

    Returns
    -------
    dict
        "n" (predictions in those bins), "confidence" (their mean confidence) and "accuracy"
        (the share right); both NaN when ``n`` is 0.

    Examples
    --------
    >>> from mnist_lessons.calibration import reliability_bins
    >>> p = np.array([[0.6, 0.4], [0.8, 0.2], [0.95, 0.05]])
    >>> middle = middle_confidence(reliability_bins(p, np.array([0, 1, 0])))
    >>> middle["n"], round(middle["confidence"], 2), middle["accuracy"]
    (2, 0.7, 0.5)
    """
    low = check_number(low, "low", low=0, high=1)
    high = check_number(high, "high", low=0, high=1)
    edges = np.round(bins.edges, 9)
    if low >= high or low not in edges or high not in edges:
        raise ValueError(f"low and high must be two edges of the bins, low < high; got {low} and {high}, "
                         f"edges {edges.tolist()}.")
    inside = (edges[:-1] >= low) & (edges[1:] <= high) & (bins.counts > 0)
    n = int(bins.counts[inside].sum())
    if n == 0:
        return {"n": 0, "confidence": float("nan"), "accuracy": float("nan")}
    weights = bins.counts[inside] / n
    return {"n": n, "confidence": float(np.sum(weights * bins.confidence[inside])),
            "accuracy": float(np.sum(weights * bins.accuracy[inside]))}


def smoothed_loss(probabilities, labels, label_smoothing):
    """Mean cross-entropy of ``probabilities`` against smoothed one-hot targets.

    The target of a digit of class c is ``1 - label_smoothing + label_smoothing / k`` for c
    and ``label_smoothing / k`` for each of the other classes (k classes), as Keras smooths.

    Examples
    --------
    >>> p = np.full((1, 10), 0.01); p[0, 3] = 0.91
    >>> round(smoothed_loss(p, np.array([3]), 0.1), 3)      # the targets' own entropy
    0.5
    """
    probabilities = np.asarray(probabilities, dtype=np.float64)
    labels = check_labels(labels, len(probabilities))
    label_smoothing = check_number(label_smoothing, "label_smoothing", low=0, high=1, high_open=True)
    k = probabilities.shape[1]
    targets = np.full(probabilities.shape, label_smoothing / k)
    targets[np.arange(len(labels)), labels] += 1 - label_smoothing
    with np.errstate(divide="ignore"):
        logs = np.where(targets > 0, np.log(probabilities), 0.0)
    return float(-np.mean(np.sum(targets * logs, axis=1)))


def _softmax(logits):
    p = np.exp(logits - logits.max(axis=1, keepdims=True))
    return p / p.sum(axis=1, keepdims=True)


def _finite(values):
    # JSON has no NaN: an empty bin's mean is written as null.
    return [None if not np.isfinite(v) else float(v) for v in values]


def measure(seed, train_digits, test_digits, smoothings=SMOOTHINGS):
    """One run: the MLP trained from seed ``seed`` with each label smoothing, measured on the test digits.

    Parameters
    ----------
    seed : int
    train_digits, test_digits : tuple (images, labels)
        Images of shape (n, 28, 28) as floats in [0, 1].
    smoothings : sequence of float, default=SMOOTHINGS

    Returns
    -------
    dict
        Per smoothing (``results[smoothing_key(s)]``): "test_accuracy", "ece", "logit_gap",
        "mean_confidence", "median_confidence", "top_bin_share", "top_bin_accuracy",
        "middle" (``middle_confidence``), "bins" ("counts", "confidence", "accuracy"; null for
        an empty bin), "epoch_loss" (Keras' training loss per epoch, with that smoothing),
        "train_cross_entropy" (−log p of the true class on the training digits at the end)
        and "train_loss_smoothed_targets" (the loss against smoothing 0.1's targets there).
    """
    (x, y), (x_test, y_test) = train_digits, test_digits
    x = check_scaled_images(x, name="training images")
    y = check_labels(y, len(x), name="training labels")
    x_test = check_scaled_images(x_test, name="test images")
    y_test = check_labels(y_test, len(x_test), name="test labels")
    results = {}
    for smoothing in smoothings:
        model, history = train_mlp(seed, smoothing, x, y)
        to_logits = logits_model(model)
        logits = to_logits.predict(x_test, verbose=0, batch_size=1000).astype(np.float64)
        p = _softmax(logits)
        bins = reliability_bins(p, y_test, n_bins=SETTINGS["bins"])
        confidence = p.max(axis=1)
        # From the logits in float64: a float32 softmax rounds the smallest probabilities to 0.
        p_train = _softmax(to_logits.predict(x, verbose=0, batch_size=2000).astype(np.float64))
        results[smoothing_key(smoothing)] = {
            "test_accuracy": float(np.mean(p.argmax(axis=1) == y_test)),
            "ece": bins.expected_calibration_error,
            "logit_gap": logit_gap(logits),
            "mean_confidence": float(confidence.mean()),
            "median_confidence": float(np.median(confidence)),
            "top_bin_share": float(bins.counts[-1] / bins.counts.sum()),
            "top_bin_accuracy": float(bins.accuracy[-1]),
            "middle": middle_confidence(bins),
            "bins": {"counts": bins.counts.tolist(), "confidence": _finite(bins.confidence),
                     "accuracy": _finite(bins.accuracy)},
            "epoch_loss": [float(v) for v in history.history["loss"]],
            "train_cross_entropy": smoothed_loss(p_train, y, 0.0),
            "train_loss_smoothed_targets": smoothed_loss(p_train, y, SMOOTHINGS[0]),
        }
    return results


def run(seed, draw):
    """One recorded run: ``measure`` on MNIST's 60,000 training and 10,000 test digits (``draw`` is unused: 0)."""
    if draw != 0:
        raise ValueError(f"this experiment samples no digits: draw must be 0; got {draw!r}.")
    train_digits, test_digits = load_mnist(scale=True)
    return measure(seed, train_digits, test_digits)

