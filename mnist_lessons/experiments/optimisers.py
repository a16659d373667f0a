"""Plain SGD, momentum and Adam, each at its best learning rate from a grid on validation digits, over five seeds.

Chapter 6 compares optimisers. A comparison at one untuned learning rate each mostly
measures the step size, not the optimiser, so every optimiser here tries each rate of its
grid, and the rates are chosen on validation digits before the optimisers are compared.
Every run trains the same small network (784 pixels → 128 ReLU units → 10 logits) from
the seed's initial weights, on the seed's batches, for the same budget: ``STEPS`` steps of
``BATCH_SIZE`` digits from the first 50,000 training digits (two passes). It is then
scored on the last 10,000 training digits (the validation digits, which choose the rates)
and on the test digits.

The grids are a factor of about 3 apart, and momentum's grid is plain SGD's divided by
ten: with momentum μ = 0.9 a steady gradient g ends up moving the weights by
η g / (1 − μ) = 10 η g per step, so each momentum run has a plain-SGD run with the same
effective step. Every run also counts its dead hidden units (silent on all 50,000 digits it
trains on); plain SGD's runs record when each one died (see ``train_steps``).
"""

import math

import keras
import numpy as np
import tensorflow as tf

from mnist_lessons.checks import check_choice, check_int, check_labels, check_model, check_number, check_scaled_images
from mnist_lessons.constants import N_CLASSES, N_PIXELS
from mnist_lessons.data import load_mnist
from mnist_lessons.training import VALIDATION_DIGITS

NAME = "optimisers"
CHAPTER = "06_backprop"

STEPS = 1000
"""Training steps per run: two passes over the 50,000 digits trained on."""
BATCH_SIZE = 100
HIDDEN_UNITS = 128
MOMENTUM = 0.9
"""Momentum's μ: a steady gradient's step grows to η / (1 − μ) = 10 η."""
CURVE_BLOCK = 20
"""The recorded loss curve is the mean batch loss of each block of this many steps."""

_SGD_RATES = (0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0)
GRIDS = {
    "sgd": _SGD_RATES,
    "momentum": tuple(round(rate * (1 - MOMENTUM), 6) for rate in _SGD_RATES),
    "adam": (0.00003, 0.0001, 0.0003, 0.001, 0.003, 0.01, 0.03, 0.1),
}
"""The learning rates each optimiser tries: eight each, about a factor of 3 apart."""

OPTIMISERS = {"sgd": "plain SGD", "momentum": f"SGD with momentum {MOMENTUM:g}", "adam": "Adam"}
"""The optimisers compared, by key, with the name the chapter gives them."""

SETTINGS = {
    "network": f"{N_PIXELS} pixels → Dense {HIDDEN_UNITS} ReLU → Dense {N_CLASSES} logits",
    "steps": STEPS, "batch_size": BATCH_SIZE, "fit_digits": "the first 50,000 training digits",
    "validation_digits": f"the last {VALIDATION_DIGITS:,} training digits",
    "momentum": MOMENTUM, "grids": {name: list(rates) for name, rates in GRIDS.items()},
    "curve_block": CURVE_BLOCK,
}
RUNS = [(seed, 0) for seed in range(5)]
"""Five seeds; no digits are drawn (every run trains on the same 50,000)."""


def rate_key(learning_rate):
    """How a learning rate names its results in the record: ``"0.001"``, ``"3"``.

    Examples
    --------
    >>> rate_key(3.0), rate_key(0.0003)
    ('3', '0.0003')
    """
    return f"{check_number(learning_rate, 'learning_rate', low=0, low_open=True):g}"


def build_network(seed):
    """The chapter's network, 784 → 128 ReLU → 10 logits, with the initial weights of ``seed``.

    Returns
    -------
    keras.Sequential
        Input (28, 28); the softmax is left to the loss (``from_logits=True``).
    """
    keras.utils.set_random_seed(check_int(seed, "seed", low=0))
    return keras.Sequential([
        keras.Input(shape=(28, 28)),
        keras.layers.Flatten(),
        keras.layers.Dense(HIDDEN_UNITS, activation="relu"),
        keras.layers.Dense(N_CLASSES),                 # logits
    ])


def make_optimizer(name, learning_rate):
    """A fresh Keras optimizer: ``"sgd"``, ``"momentum"`` (SGD with μ = 0.9) or ``"adam"``.

    Raises
    ------
    ValueError
        If ``name`` is not a key of ``OPTIMISERS`` or the rate is not above 0.
    TypeError
        If the rate is not a number.
    """
    check_choice(name, "name", tuple(OPTIMISERS))
    rate = check_number(learning_rate, "learning_rate", low=0, low_open=True)
    if name == "adam":
        return keras.optimizers.Adam(rate)
    return keras.optimizers.SGD(rate, momentum=MOMENTUM if name == "momentum" else 0.0)


def train_steps(model, optimizer, x, y, *, steps=STEPS, batch_size=BATCH_SIZE, seed=0):
    """Train ``model`` on ``steps`` batches of ``x``, ``y`` (shuffled by ``seed``).

    Returns every step's batch loss (before its update) and, for each hidden unit,
    the last step (1, 2, ...) at which its incoming weights or bias changed (0: never).
    With plain SGD, a unit silent on every digit of ``x`` at the end died at that step:
    it still fired on a digit of that step's batch, or its weights would not have
    moved, and that step's update set its final weights, silent on every digit.
    """
    check_model(model)
    steps = check_int(steps, "steps", low=1)
    batch_size = check_int(batch_size, "batch_size", low=1, high=len(x))
    x = check_scaled_images(x, model=model, name="x")
    y = check_labels(y, len(x), name="y")
    hidden = model.layers[1]
    loss_fn = keras.losses.SparseCategoricalCrossentropy(from_logits=True)

    @tf.function
    def step(images, labels):
        kernel, bias = tf.identity(hidden.kernel), tf.identity(hidden.bias)
        with tf.GradientTape() as tape:
            loss = loss_fn(labels, model(images, training=True))
        gradients = tape.gradient(loss, model.trainable_variables)
        optimizer.apply(gradients, model.trainable_variables)
        moved = tf.reduce_any(hidden.kernel != kernel, axis=0) | (hidden.bias != bias)
        return loss, moved

    rng = np.random.default_rng(check_int(seed, "seed", low=0))
    passes = math.ceil(steps * batch_size / len(x))
    order = np.concatenate([rng.permutation(len(x)) for _ in range(passes)])
    losses = np.empty(steps)
    last_moved = np.zeros(hidden.units, dtype=int)
    for i in range(steps):
        batch = order[i * batch_size:(i + 1) * batch_size]
        loss, moved = step(x[batch], y[batch])
        losses[i] = float(loss)
        last_moved[moved.numpy()] = i + 1
    return losses, last_moved


def dead_units(model, x):
    """Which hidden units are dead: their ReLU outputs 0 for every image of ``x``.

    Returns
    -------
    numpy.ndarray of bool, shape (hidden units,)
    """
    check_model(model)
    kernel, bias = model.layers[1].get_weights()
    alive = np.zeros(len(bias), dtype=bool)
    for start in range(0, len(x), 10_000):          # 10,000 digits at a time: 5 MB per block
        block = x[start:start + 10_000].reshape(-1, kernel.shape[0])
        alive |= np.any(block @ kernel + bias > 0, axis=0)
    return ~alive


def split_digits():
    """The digits every run uses: fit (first 50,000 training), validation (last 10,000), test.

    Returns
    -------
    dict
        ``{"fit": (x, y), "validation": (x, y), "test": (x, y)}``, images (n, 28, 28) in [0, 1].
    """
    (x_train, y_train), (x_test, y_test) = load_mnist(scale=True)
    fit = len(x_train) - VALIDATION_DIGITS
    return {"fit": (x_train[:fit], y_train[:fit]),
            "validation": (x_train[fit:], y_train[fit:]), "test": (x_test, y_test)}


def _score(model, x, y):
    logits = model.predict(x, verbose=0, batch_size=2000)
    loss = keras.losses.SparseCategoricalCrossentropy(from_logits=True)(y, logits)
    return float(np.mean(logits.argmax(axis=1) == y)), float(loss)


def train_and_score(name, learning_rate, seed, digits=None):
    """One run of the experiment: train ``build_network(seed)`` with one optimiser and rate, then score it.

    The chapter calls this for its live run, and ``run`` calls it for every recorded one,
    so the two cannot differ in anything but the machine.

    Parameters
    ----------
    name : {"sgd", "momentum", "adam"}
    learning_rate : float
    seed : int
        Fixes the initial weights and the order of the batches.
    digits : dict or None
        What ``split_digits()`` returns (pass it to avoid reloading MNIST for every run).

    Returns
    -------
    model : keras.Sequential
        The trained network.
    results : dict
        "losses" (every step's batch loss), "curve" (their means over blocks of
        ``CURVE_BLOCK`` steps), "final_loss" (mean batch loss over the last 100 steps),
        "validation_accuracy", "validation_loss", "test_accuracy", "dead" (the number of
        dead hidden units at the end) and "last_moved" (see ``train_steps``).
    """
    digits = split_digits() if digits is None else digits
    model = build_network(seed)
    losses, last_moved = train_steps(model, make_optimizer(name, learning_rate), *digits["fit"], seed=seed)
    validation_accuracy, validation_loss = _score(model, *digits["validation"])
    test_accuracy, _ = _score(model, *digits["test"])
    dead = dead_units(model, digits["fit"][0])
    return model, {
        "losses": losses, "curve": losses.reshape(-1, CURVE_BLOCK).mean(axis=1),
        "final_loss": float(losses[-100:].mean()),
        "validation_accuracy": validation_accuracy, "validation_loss": validation_loss,
        "test_accuracy": test_accuracy, "dead": int(dead.sum()), "dead_units": dead, "last_moved": last_moved,
    }


def death_steps(results):
    """The step at which each dead unit of a plain-SGD run died (0: dead from the start), sorted.

    Only plain SGD's runs: with momentum or Adam a silent unit's weights keep moving for a
    while on the remembered velocity or moments, so their last move is not their death.
    """
    return sorted(int(step) for step in results["last_moved"][results["dead_units"]])


def _rounded(value):
    return float(f"{value:.5g}")


def run(seed, draw):
    """Every optimiser at every rate of its grid, from ``seed``: the recorded results (JSON-able).

    Returns
    -------
    dict
        ``{optimiser: {rate_key(rate): results}}``, each with "curve", "final_loss",
        "highest_loss", "highest_loss_step", "validation_accuracy", "validation_loss",
        "test_accuracy", "dead", and for plain SGD "death_steps".
    """
    check_int(draw, "draw", low=0, high=0, hint="This experiment draws no digits; draw is always 0.")
    digits = split_digits()
    results = {}
    for name, rates in GRIDS.items():
        results[name] = {}
        for rate in rates:
            _, measured = train_and_score(name, rate, seed, digits)
            recorded = {key: _rounded(measured[key]) for key in
                        ("final_loss", "validation_accuracy", "validation_loss", "test_accuracy")}
            recorded.update(curve=[_rounded(v) for v in measured["curve"]], dead=measured["dead"],
                            highest_loss=_rounded(measured["losses"].max()),
                            highest_loss_step=int(measured["losses"].argmax()) + 1)
            if name == "sgd":
                recorded["death_steps"] = death_steps(measured)
            results[name][rate_key(rate)] = recorded
    return results
