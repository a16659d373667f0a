"""The CNN trained with and without random shifts of up to 2 pixels, over three seeds: accuracy on shifted test digits.

Chapter 4 asks what augmentation buys. Both arms are the shipped CNN's architecture and
recipe (``training.RECIPES``: 10 epochs, batch 128, Adam with warm-up and cosine decay
peaking at 0.01, label smoothing 0.1), chosen for each arm on validation digits among the
same candidates; they differ only in the training digits: ``"shifts"`` trains every epoch on
a fresh copy of the 60,000 training digits, each moved by up to 2 pixels along each axis
(``augmentation.AUGMENTATIONS["shifts"]``), ``"none"`` on the digits as they are. Each seed
replaces the recipe's seed, which fixes the initial weights, the order of the batches and
the shifts drawn. Every model is then scored on the 10,000 test digits shifted by whole
pixels, −4 to 4, horizontally and vertically, on all of them and on those with no ink within
4 pixels of the edge (which lose no ink at any of these shifts).

Seed 0 is the recipes' own seed: the shipped models ``pretrained("cnn")`` and
``pretrained("cnn_no_augmentation")`` are exactly that run, trained by
``python -m mnist_lessons.regenerate_weights``, so seed 0 scores them instead of training
them again (``model_for``); the other seeds train both arms.
"""

import dataclasses

import keras
import numpy as np

from mnist_lessons.checks import check_choice, check_int, check_labels, check_model, check_scaled_images
from mnist_lessons.constants import IMAGE_SIDE
from mnist_lessons.data import load_mnist
from mnist_lessons.models import BUILDERS, pretrained
from mnist_lessons.training import RECIPES, train
from mnist_lessons.transforms import shift_images

NAME = "augmentation"
CHAPTER = "04_pooling"

ARMS = {"shifts": "cnn", "none": "cnn_no_augmentation"}
"""Each arm's augmentation and the shipped model (a key of ``training.RECIPES``) it is the recipe of."""
SHIFTS = tuple(range(-4, 5))
"""The test shifts in pixels; negative moves left or up."""
DIRECTIONS = {"horizontal": "right", "vertical": "down"}
"""Each direction and the argument of ``transforms.shift_images`` that moves along it."""
EDGE = 4
"""Digits with no ink within this many pixels of the edge lose no ink at any shift of ``SHIFTS``."""

SETTINGS = {
    "arms": {arm: RECIPES[name].describe() for arm, name in ARMS.items()},
    "seeds": "each run replaces the recipes' seed 0; seed 0 scores the shipped models, which are that run",
    "shifts": list(SHIFTS), "directions": list(DIRECTIONS), "edge": EDGE,
    "test_digits": "the 10,000 test digits, and those with no ink within 4 pixels of the edge",
}
RUNS = [(seed, 0) for seed in range(3)]
"""Three seeds; no digits are drawn (every run trains on all 60,000 training digits)."""


def recipe(arm, seed):
    """The recipe of ``arm`` (``"shifts"`` or ``"none"``) with its seed replaced by ``seed``.

    Examples
    --------
    >>> recipe("none", 2).describe().endswith("seed 2")
    True
    """
    check_choice(arm, "arm", tuple(ARMS))
    return dataclasses.replace(RECIPES[ARMS[arm]], seed=check_int(seed, "seed", low=0))


def train_arm(arm, seed, x=None, y=None):
    """Train a CNN by the recipe of ``arm`` with seed ``seed``, as ``training.train_recipe`` trains the shipped one.

    The seed fixes the initial weights (``keras.utils.set_random_seed`` before building),
    the order of the batches and the shifts drawn (``augmentation_seed``); with seed 0 this
    is ``train_recipe(ARMS[arm])``.

    Parameters
    ----------
    arm : {"shifts", "none"}
    seed : int
    x, y : numpy.ndarray or None
        Training images ``(n, 28, 28, 1)`` in [0, 1] and labels; by default MNIST's 60,000.

    Returns
    -------
    keras.Sequential
        The trained CNN.
    """
    chosen = recipe(arm, seed)
    if (x is None) != (y is None):
        raise ValueError("Give both x and y (images and labels), or neither for MNIST's training set.")
    if x is None:
        (x, y), _ = load_mnist(scale=True, channel_axis=True)
    keras.utils.set_random_seed(chosen.seed)
    model = BUILDERS[chosen.model]()
    train(model, x, y, epochs=chosen.epochs, batch_size=chosen.batch_size,
          learning_rate=chosen.learning_rate, schedule=chosen.schedule,
          label_smoothing=chosen.label_smoothing, augmentation=chosen.augmentation,
          augmentation_seed=chosen.seed)
    return model


def model_for(arm, seed):
    """The CNN of ``arm`` and ``seed``: the shipped model for seed 0 (that run), else ``train_arm(arm, seed)``."""
    check_choice(arm, "arm", tuple(ARMS))
    if check_int(seed, "seed", low=0) == RECIPES[ARMS[arm]].seed:
        return pretrained(ARMS[arm])
    return train_arm(arm, seed)


def far_from_edge(images, edge=EDGE):
    """Which images have no ink within ``edge`` pixels of the image's edge.

    Such a digit loses no ink when it is shifted by up to ``edge`` pixels in any direction.

    Parameters
    ----------
    images : numpy.ndarray
        ``(n, 28, 28)`` or ``(n, 28, 28, 1)``, floats in [0, 1].
    edge : int, default=EDGE
        Width of the border, 1 to 13 pixels.

    Returns
    -------
    numpy.ndarray of bool, shape (n,)

    Examples
    --------
    >>> x = np.zeros((2, 28, 28), "float32"); x[0, 4, 10] = x[1, 3, 10] = 1
    >>> far_from_edge(x).tolist()
    [True, False]
    """
    images = check_scaled_images(images, name="images")
    edge = check_int(edge, "edge", low=1, high=IMAGE_SIDE // 2 - 1)
    flat = images.reshape(len(images), IMAGE_SIDE, IMAGE_SIDE)
    border = np.ones((IMAGE_SIDE, IMAGE_SIDE), dtype=bool)
    border[edge:-edge, edge:-edge] = False
    return ~np.any(flat[:, border] > 0, axis=1)


def shifted_hits(model, x, y, shifts=SHIFTS):
    """Which digits ``model`` classifies correctly after each shift, in each direction.

    Parameters
    ----------
    model : keras.Model
        A model that takes ``x`` as it is.
    x : numpy.ndarray
        Images in [0, 1], shaped for the model.
    y : numpy.ndarray
        Their labels.
    shifts : sequence of int, default=SHIFTS
        Pixels to move (negative: left or up).

    Returns
    -------
    dict
        ``{"horizontal": hits, "vertical": hits}``, each a bool array ``(len(shifts), n)``.
    """
    check_model(model)
    x = check_scaled_images(x, model=model, name="x")
    y = check_labels(y, len(x), name="y")
    shifts = [check_int(s, "shift", low=-(IMAGE_SIDE - 1), high=IMAGE_SIDE - 1) for s in shifts]
    return {direction: np.stack([
        model.predict(shift_images(x, **{move: s}), verbose=0, batch_size=2000).argmax(axis=1) == y
        for s in shifts]) for direction, move in DIRECTIONS.items()}


def _rounded(values):
    return [float(f"{v:.5g}") for v in values]


def scores(model, x, y):
    """What a run records for one model: accuracy by shift and direction, on all digits and those far from the edge.

    Returns
    -------
    dict
        ``{"all": {direction: [accuracy per shift]}, "far_from_edge": {...}, "far_from_edge_digits": n}``.
    """
    hits = shifted_hits(model, x, y)
    far = far_from_edge(x)
    return {"all": {direction: _rounded(h.mean(axis=1)) for direction, h in hits.items()},
            "far_from_edge": {direction: _rounded(h[:, far].mean(axis=1)) for direction, h in hits.items()},
            "far_from_edge_digits": int(far.sum())}


def run(seed, draw):
    """Both arms at ``seed``, scored on shifted test digits (JSON-able): ``{arm: scores(...)}``."""
    check_int(draw, "draw", low=0, high=0, hint="This experiment draws no digits; draw is always 0.")
    _, (x_test, y_test) = load_mnist(scale=True, channel_axis=True)
    return {arm: scores(model_for(arm, seed), x_test, y_test) for arm in ARMS}
