"""Transfer from digits 0–4 to digits 5–9: how much of the source network to reuse, over sizes, seeds and draws.

A CNN trained on the digits 0–4 only (the *source*) lends its layers to networks that
learn to tell 5, 6, 7, 8 and 9 apart from N labelled examples per class. Every arm
trains for the same number of optimizer steps on the same batches; what differs is how
much of the source it reuses and what it lets train:

``pixels``
    The control: a linear classifier (softmax regression) on the 784 raw pixels, with no
    convolution at all. If the arms below did no better, the source's features would not
    matter.
``scratch``
    The book's CNN, freshly initialised and trained whole: nothing transferred.
``conv1_frozen``
    The source's conv1 and conv2 copied, conv1 frozen; conv2 and a new head train.
``base_frozen``
    The source's conv1 and conv2 copied and both frozen; only a new head trains. A
    softmax layer trained on frozen features is a *linear probe* of those features.
``fine_tuned``
    The ``base_frozen`` model after its head has trained, then the whole network for
    ``FINE_TUNE_STEPS`` more steps at a tenth of the head's learning rate: the same head
    budget as ``base_frozen``, plus steps of its own.
``head_longer``
    Fine-tuning's control: the same extra steps at the same rate, with the base still
    frozen. Fine-tuning's gain over this one is what unfreezing the base is worth.

Every run trains every arm at every rate of ``RATES`` and scores it on validation
digits (the 5–9 among the last 10,000 training digits, never trained on) and on the
test digits 5–9; ``chosen_rates`` picks, for each arm and size, the rate with the best
mean validation accuracy over the runs, and ``spreads_at_chosen_rates`` gives the test accuracies
at that rate. The labelled examples are drawn from the 5–9 among the first 50,000
training digits (``draw`` seeds the draw); ``seed`` seeds the source network, the new
layers' initial weights and the order of the batches.
"""

import functools
import math

import keras
import numpy as np

from mnist_lessons.checks import check_choice, check_int, check_number
from mnist_lessons.data import load_mnist, sample_per_class
from mnist_lessons.models import build_cnn
from mnist_lessons.spread import Spread
from mnist_lessons.training import VALIDATION_DIGITS, train

NAME = "transfer"
CHAPTER = "08_transfer_learning"

CLASSES = 5  # the new task's classes: the digits 5..9, relabelled 0..4
ARMS = ("pixels", "scratch", "conv1_frozen", "base_frozen", "head_longer", "fine_tuned")
LABELS = {
    "pixels": "linear on pixels (no base)",
    "scratch": "from scratch (nothing transferred)",
    "conv1_frozen": "conv1 frozen, conv2 + head train",
    "base_frozen": "conv1 + conv2 frozen, head trains",
    "head_longer": "head trains longer (control)",
    "fine_tuned": "fine-tuned (head, then everything)",
}
"""What each arm is, in the words of the chapter's table and figure."""
SIZES = (10, 50, 200, 1000, None)
"""Labelled examples per class; None: every example of the pool."""
RATES = (0.001, 0.003, 0.01)
"""The learning rates (Adam, constant) each arm may choose from, on validation digits."""
STEPS, BATCH = 300, 64
FINE_TUNE_STEPS, FINE_TUNE_FACTOR = 300, 0.1
SOURCE = {"epochs": 3, "batch_size": 128, "learning_rate": 0.005, "schedule": "warmup-cosine"}
"""How the source network is trained, on the training digits 0–4."""


def size_key(size):
    """The key of a size in the record: "10", ..., "all" for None."""
    return "all" if size is None else str(size)


def rate_key(rate):
    """The key of a learning rate in the record: "0.001", "0.003", "0.01"."""
    return f"{rate:g}"


SETTINGS = {
    "source": {**SOURCE, "digits": "0-4 of the 60,000 training digits"},
    "pool": "5-9 of the first 50,000 training digits",
    "validation": "5-9 of the last 10,000 training digits",
    "test": "5-9 of the 10,000 test digits",
    "arms": list(ARMS),
    "sizes": [size_key(size) for size in SIZES],
    "rates": list(RATES),
    "steps": STEPS,
    "batch_size": BATCH,
    "fine_tune_steps": FINE_TUNE_STEPS,
    "fine_tune_factor": FINE_TUNE_FACTOR,
    "optimizer": "Adam, constant learning rate, sparse categorical cross-entropy",
}
RUNS = [(0, 0), (0, 1), (0, 2), (1, 0), (2, 0)]
"""Seed 0 with three draws of the labelled digits, and draw 0 with three seeds."""


@functools.cache
def digits():
    """The task's digits: a dict of image and label arrays (labels of 5..9 shifted to 0..4).

    Keys: ``x_source, y_source`` (training digits 0–4, for the source network),
    ``x_pool, y_pool`` (5–9 of the first 50,000 training digits, where the labelled
    examples are drawn), ``x_validation, y_validation`` (5–9 of the last 10,000) and
    ``x_test, y_test`` (the test digits 5–9) and ``x_source_test, y_source_test`` (the
    test digits 0–4, the source network's task). Cached: the arrays are shared, do not edit them.
    """
    (x_train, y_train), (x_test, y_test) = load_mnist(scale=True, channel_axis=True)
    first = np.arange(len(y_train)) < len(y_train) - VALIDATION_DIGITS
    parts = {"source": y_train < CLASSES, "pool": first & (y_train >= CLASSES),
             "validation": ~first & (y_train >= CLASSES)}
    found = {}
    for name, chosen in parts.items():
        labels = y_train[chosen] - (0 if name == "source" else CLASSES)
        found[f"x_{name}"], found[f"y_{name}"] = x_train[chosen], labels.astype(np.int64)
    high = y_test >= CLASSES
    found["x_test"], found["y_test"] = x_test[high], (y_test[high] - CLASSES).astype(np.int64)
    found["x_source_test"], found["y_source_test"] = x_test[~high], y_test[~high].astype(np.int64)
    return found


def train_source(seed, *, log_epochs=False):
    """The book's CNN trained on the training digits 0–4 only, by ``SOURCE``, seeded by ``seed``."""
    seed = check_int(seed, "seed", low=0)
    data = digits()
    keras.utils.set_random_seed(seed)
    source = build_cnn()
    train(source, data["x_source"], data["y_source"], log_epochs=log_epochs, **SOURCE)
    return source


def new_base(copy_from=None):
    """The book's CNN from conv1 to flatten: new, or with copy_from's weights."""
    layers = build_cnn().layers[:-1]
    base = keras.Sequential([keras.Input((28, 28, 1)), *layers], name="base")
    if copy_from is not None:
        base.set_weights(copy_from.get_weights()[:-2])   # everything except the old head
    return base


def with_new_head(base, classes=CLASSES):
    """The base, then a new softmax layer: one output per class (nothing frozen here)."""
    head = keras.layers.Dense(classes, activation="softmax", name="head")
    return keras.Sequential([keras.Input((28, 28, 1)), base, head])


def arm_model(arm, source):
    """The model an arm starts from: what it reuses from `source`, and what may train."""
    if arm == "pixels":
        return keras.Sequential([keras.Input((28, 28, 1)), keras.layers.Flatten(),
                                 keras.layers.Dense(CLASSES, activation="softmax")])
    base = new_base(copy_from=None if arm == "scratch" else source)
    if arm == "conv1_frozen":
        base.get_layer("conv1").trainable = False
    elif arm == "base_frozen":
        base.trainable = False
    return with_new_head(base)


def step_order(indices, steps, seed):
    """The examples of `steps` batches: shuffled passes over `indices`, as many as needed.

    Its first k batches are the same for any steps >= k.
    """
    rng = np.random.default_rng(seed)
    passes = math.ceil(steps * BATCH / len(indices))
    order = np.concatenate([rng.permutation(indices) for _ in range(passes)])
    return order[:steps * BATCH]


def train_steps(model, order, learning_rate):
    """One pass over the batches of `order`, compiled anew: `trainable` takes effect."""
    data = digits()
    model.compile(optimizer=keras.optimizers.Adam(learning_rate),
                  loss="sparse_categorical_crossentropy")
    model.fit(data["x_pool"][order], data["y_pool"][order], batch_size=BATCH,
              epochs=1, shuffle=False, verbose=0)


def train_arm(arm, source, indices, *, seed, learning_rate):
    """Train one arm on the labelled ``indices`` (into the pool) and return it.

    The first four arms train ``STEPS`` steps; "head_longer" and "fine_tuned" train
    "base_frozen" first, at the same ``learning_rate``, then go on (``train_further``).
    """
    check_choice(arm, "arm", ARMS)
    seed = check_int(seed, "seed", low=0)
    learning_rate = check_number(learning_rate, "learning_rate", low=0, low_open=True)
    if arm in ("head_longer", "fine_tuned"):
        head_trained = train_arm("base_frozen", source, indices, seed=seed,
                                 learning_rate=learning_rate)
        return train_further(head_trained, indices, seed=seed,
                             learning_rate=learning_rate, unfreeze=arm == "fine_tuned")
    keras.utils.set_random_seed(seed)
    model = arm_model(arm, source)
    train_steps(model, step_order(indices, STEPS, seed), learning_rate)
    return model


def train_further(model, indices, *, seed, learning_rate, unfreeze):
    """A copy of a trained ``base_frozen`` model, trained ``FINE_TUNE_STEPS`` more steps.

    ``unfreeze=True`` is fine-tuning: the whole network trains, at ``FINE_TUNE_FACTOR``
    times ``learning_rate`` (the head's rate). ``unfreeze=False`` is its control: the
    same steps at the same rate with the base still frozen. Both train on the batches
    that follow the head's in ``step_order``; ``model`` itself is left as it was.
    """
    seed = check_int(seed, "seed", low=0)
    learning_rate = check_number(learning_rate, "learning_rate", low=0, low_open=True)
    further = with_new_head(new_base())
    further.set_weights(model.get_weights())
    further.get_layer("base").trainable = bool(unfreeze)
    keras.utils.set_random_seed(seed)
    order = step_order(indices, STEPS + FINE_TUNE_STEPS, seed)[STEPS * BATCH:]
    train_steps(further, order, learning_rate * FINE_TUNE_FACTOR)
    return further


def labelled(size, draw):
    """Indices into the pool of ``size`` labelled examples per class (None: all), drawn by ``draw``."""
    y_pool = digits()["y_pool"]
    if size is None:
        return np.arange(len(y_pool))
    return sample_per_class(y_pool, check_int(size, "size", low=1), seed=check_int(draw, "draw", low=0))


def accuracy(model, part):
    """The accuracy of ``model`` on ``part``: "validation" or "test" (the digits 5–9 there), or "source_test"."""
    check_choice(part, "part", ("validation", "test", "source_test"))
    data = digits()
    predicted = model.predict(data[f"x_{part}"], verbose=0, batch_size=1000).argmax(axis=1)
    return float(np.mean(predicted == data[f"y_{part}"]))


def run(seed, draw):
    """Every arm at every size and rate: ``{"source_accuracy", "arms": {arm: {size: {rate: {...}}}}}``.

    Each innermost entry holds the "validation" and "test" accuracy of one trained network.
    """
    source = train_source(seed)
    results = {"source_accuracy": accuracy(source, "source_test"), "arms": {arm: {} for arm in ARMS}}
    for size in SIZES:
        indices = labelled(size, draw)
        for rate in RATES:
            scored = {}
            for arm in ("pixels", "scratch", "conv1_frozen", "base_frozen"):
                model = train_arm(arm, source, indices, seed=seed, learning_rate=rate)
                scored[arm] = {part: accuracy(model, part) for part in ("validation", "test")}
            for arm, unfreeze in (("head_longer", False), ("fine_tuned", True)):
                # As train_arm(arm, ...) would, continuing from the base_frozen model just trained.
                further = train_further(model, indices, seed=seed, learning_rate=rate, unfreeze=unfreeze)
                scored[arm] = {part: accuracy(further, part) for part in ("validation", "test")}
            for arm, scores in scored.items():
                results["arms"][arm].setdefault(size_key(size), {})[rate_key(rate)] = scores
    return results


def chosen_rates(record):
    """For each arm and size, the rate of ``RATES`` with the best mean validation accuracy over the runs.

    Parameters
    ----------
    record : dict
        ``mnist_lessons.records.experiment_record("transfer")``.

    Returns
    -------
    dict
        ``{arm: {size key: rate}}``; a tie goes to the smaller rate.
    """
    runs = _runs(record)
    chosen = {}
    for arm in ARMS:
        chosen[arm] = {}
        for size in map(size_key, SIZES):
            means = {rate: np.mean([r["results"]["arms"][arm][size][rate_key(rate)]["validation"] for r in runs])
                     for rate in RATES}
            chosen[arm][size] = max(RATES, key=lambda rate: (means[rate], -rate))
    return chosen


def spreads_at_chosen_rates(record):
    """``{arm: {size key: Spread}}`` of the test accuracy at each arm's chosen rate, over the runs."""
    runs, rates = _runs(record), chosen_rates(record)
    return {arm: {size: Spread.of([r["results"]["arms"][arm][size][rate_key(rates[arm][size])]["test"]
                                   for r in runs])
                  for size in map(size_key, SIZES)}
            for arm in ARMS}


def _runs(record):
    if not isinstance(record, dict) or record.get("experiment") != NAME or not record.get("runs"):
        raise ValueError(f"record must be the {NAME!r} experiment's record, with runs: "
                         f"mnist_lessons.records.experiment_record({NAME!r}).")
    return record["runs"]
