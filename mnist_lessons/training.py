"""Seeded, reproducible training, and the recipes behind the shipped weights.

On a CPU, ``keras.utils.set_random_seed`` makes a run repeat bit for bit: the
same initial weights, the same shuffling, the same dropout masks.
"""

import dataclasses
import math
import time

import keras
import numpy as np

from mnist_lessons.augmentation import AUGMENTATIONS, augment
from mnist_lessons.checks import check_choice, check_int, check_labels, check_model, check_number, check_scaled_images
from mnist_lessons.data import load_mnist
from mnist_lessons.models import BUILDERS


class EpochLog(keras.callbacks.Callback):
    """Print one line per epoch with the metrics rounded to 4 decimals.

    Unlike Keras' progress bar, the line holds no timings, so a notebook that
    trains with ``verbose=0, callbacks=[EpochLog()]`` prints the same text on
    every run. ``epochs`` is the run's total, for a run that calls ``fit`` once
    per epoch (as ``train`` does with augmentation); by default, ``fit``'s own.
    """

    def __init__(self, epochs=None):
        super().__init__()
        self._total = epochs

    def on_train_begin(self, logs=None):
        self._epochs = self._total or self.params.get("epochs")

    def on_epoch_end(self, epoch, logs=None):
        metrics = ", ".join(f"{name} {value:.4f}" for name, value in (logs or {}).items()
                            if name != "learning_rate")
        print(f"epoch {epoch + 1}/{self._epochs}: {metrics}", flush=True)


@keras.saving.register_keras_serializable(package="mnist_lessons")
class SmoothedSparseCrossentropy(keras.losses.Loss):
    """Cross-entropy with label smoothing that takes integer labels 0..9.

    Keras' ``SparseCategoricalCrossentropy`` has no label smoothing and
    ``CategoricalCrossentropy`` wants one-hot labels; this loss turns the
    integer labels into one-hot vectors itself, so a model compiled with it
    still trains and evaluates on the same integer labels as every other.
    """

    def __init__(self, label_smoothing=0.1, name="smoothed_sparse_crossentropy", **kwargs):
        super().__init__(name=name, **kwargs)
        self.label_smoothing = label_smoothing

    def call(self, y_true, y_pred):
        labels = keras.ops.cast(keras.ops.reshape(y_true, (-1,)), "int32")
        one_hot = keras.ops.one_hot(labels, keras.ops.shape(y_pred)[-1], dtype=y_pred.dtype)
        return keras.losses.categorical_crossentropy(one_hot, y_pred,
                                                     label_smoothing=self.label_smoothing)

    def get_config(self):
        return {**super().get_config(), "label_smoothing": self.label_smoothing}


def learning_rate_schedule(peak, steps, schedule="constant"):
    """Return the learning rate (a float or a Keras schedule) for ``steps`` steps.

    Parameters
    ----------
    peak : float
        The largest learning rate used.
    steps : int
        Total number of optimizer steps of the run.
    schedule : {"constant", "warmup-cosine"}
        ``"constant"`` keeps ``peak`` throughout (Adam's default is 0.001).
        ``"warmup-cosine"`` rises linearly from 0 to ``peak`` over the first
        10 % of the steps, then falls along a half cosine to 0, which lets a
        short run use a large rate early and still settle at the end.

    Returns
    -------
    float or keras.optimizers.schedules.LearningRateSchedule
        What ``keras.optimizers.Adam(learning_rate=...)`` takes.

    Raises
    ------
    TypeError, ValueError
        If ``peak`` is not a positive number, ``steps`` not an int (at least 2
        for "warmup-cosine"), or ``schedule`` unknown.
    """
    peak = check_number(peak, "peak", low=0, low_open=True, hint="It is the largest learning rate, e.g. 0.001.")
    steps = check_int(steps, "steps", low=1)
    check_choice(schedule, "schedule", ("constant", "warmup-cosine"))
    if schedule == "constant":
        return float(peak)
    if schedule == "warmup-cosine":
        if steps < 2:
            raise ValueError(
                f"a warmup-cosine schedule needs at least 2 steps; got {steps}. Use more "
                "epochs or a smaller batch, or schedule='constant'."
            )
        warmup = max(1, steps // 10)
        return keras.optimizers.schedules.CosineDecay(
            initial_learning_rate=0.0,
            decay_steps=steps - warmup,
            warmup_target=float(peak),
            warmup_steps=warmup,
        )


def train(model, x, y, *, epochs, batch_size, learning_rate=0.001, schedule="constant",
          label_smoothing=0.0, augmentation="none", validation_data=None, seed=None, log_epochs=False,
          augmentation_seed=0):
    """Compile ``model`` with Adam and categorical cross-entropy, then fit it.

    Parameters
    ----------
    model : keras.Model
        The model to train, for example ``mnist_lessons.models.build_cnn()``.
        Call ``keras.utils.set_random_seed`` before building it if its initial
        weights must be reproducible (``train_recipe`` does).
    x : numpy.ndarray
        Training images, floats in [0, 1], shaped like the model's input.
    y : numpy.ndarray
        Integer labels 0..9, one per image.
    epochs, batch_size : int
        Passes over the data and images per optimizer step.
    learning_rate : float, default=0.001
        Peak learning rate of Adam.
    schedule : {"constant", "warmup-cosine"}, default="constant"
        See ``learning_rate_schedule``.
    label_smoothing : float, default=0.0
        Train towards 1 - label_smoothing (plus label_smoothing / 10) for the
        true class and label_smoothing / 10 for every other class, instead of
        exactly 1 and 0. This discourages extreme logits and often generalises
        better; the model's top probabilities then cluster around
        1 - 0.9 * label_smoothing instead of near 1.
    augmentation : str, default="none"
        A name of ``mnist_lessons.augmentation.AUGMENTATIONS``: train every
        epoch on a freshly changed copy of ``x`` (shifted, rotated, ...) instead
        of ``x`` itself.
    validation_data : tuple (x_val, y_val) or None
        Held-out data evaluated after every epoch.
    seed : int or None, default=None
        If given, call ``keras.utils.set_random_seed(seed)`` first, which fixes
        the shuffling of the batches.
    log_epochs : bool, default=False
        Print one line per epoch (see ``EpochLog``) instead of nothing.
    augmentation_seed : int, default=0
        Seed of the NumPy generator that draws the augmentation's changes.

    Returns
    -------
    keras.callbacks.History
        ``history.history`` maps "loss", "accuracy" (and "val_loss",
        "val_accuracy") to one value per epoch.

    Raises
    ------
    TypeError, ValueError
        If the model, images, labels or settings are not what is described
        above; the message says what was expected.
    """
    check_model(model)
    x = check_scaled_images(x, model=model, name="x")
    y = check_labels(y, len(x), name="y")
    epochs = check_int(epochs, "epochs", low=1)
    batch_size = check_int(batch_size, "batch_size", low=1)
    learning_rate = check_number(learning_rate, "learning_rate", low=0, low_open=True)
    label_smoothing = check_number(label_smoothing, "label_smoothing", low=0, high=1, high_open=True)
    check_choice(augmentation, "augmentation", tuple(AUGMENTATIONS))
    augmentation_seed = check_int(augmentation_seed, "augmentation_seed", low=0)
    if validation_data is not None:
        if not isinstance(validation_data, (tuple, list)) or len(validation_data) != 2:
            raise TypeError(
                "validation_data must be a pair (x_val, y_val) of images and labels; got "
                f"{type(validation_data).__name__}"
                + (f" of length {len(validation_data)}." if hasattr(validation_data, "__len__") else ".")
            )
        x_val, y_val = validation_data
        x_val = check_scaled_images(x_val, model=model, name="validation images")
        validation_data = (x_val, check_labels(y_val, len(x_val), name="validation labels"))
    if seed is not None:
        keras.utils.set_random_seed(check_int(seed, "seed", low=0))
    steps = epochs * math.ceil(len(x) / batch_size)
    loss = (SmoothedSparseCrossentropy(label_smoothing) if label_smoothing
            else keras.losses.SparseCategoricalCrossentropy())
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate_schedule(learning_rate, steps, schedule)),
        loss=loss,
        metrics=["accuracy"],
    )
    if augmentation == "none":
        return model.fit(
            x, y, epochs=epochs, batch_size=batch_size, validation_data=validation_data,
            verbose=0, callbacks=[EpochLog()] if log_epochs else [],
        )
    # A new changed copy of the digits every epoch: one fit call per epoch. The optimizer, its
    # step count (and so the learning-rate schedule) and the shuffling stream carry on between calls.
    rng = np.random.default_rng(augmentation_seed)
    history, log = None, [EpochLog(epochs)] if log_epochs else []
    for epoch in range(epochs):
        changed = augment(x, augmentation, rng)
        run = model.fit(changed, y, epochs=epoch + 1, initial_epoch=epoch, batch_size=batch_size,
                        validation_data=validation_data, verbose=0, callbacks=log)
        if history is None:
            history = run
        else:
            for name, values in run.history.items():
                history.history.setdefault(name, []).extend(values)
    history.params["epochs"] = epochs
    history.epoch = list(range(epochs))
    return history


@dataclasses.dataclass(frozen=True)
class Recipe:
    """How one model is trained: architecture, optimizer settings and seed."""

    model: str
    epochs: int
    batch_size: int
    learning_rate: float
    schedule: str
    label_smoothing: float = 0.0
    seed: int = 0
    augmentation: str = "none"

    def describe(self):
        """One line that says what the recipe does."""
        rate = (f"constant learning rate {self.learning_rate:g}" if self.schedule == "constant"
                else f"{self.schedule} learning rate peaking at {self.learning_rate:g}")
        smoothing = f", label smoothing {self.label_smoothing:g}" if self.label_smoothing else ""
        augmented = f", augmentation: {self.augmentation}" if self.augmentation != "none" else ""
        return (f"{self.model.upper()}, Adam, batch {self.batch_size}, {self.epochs} epochs, "
                f"{rate}{smoothing}{augmented}, seed {self.seed}")


VALIDATION_DIGITS = 10_000
"""The last 10,000 training digits: the validation split on which the shipped recipes were chosen."""

# The recipes tried for each shipped model, each trained on the first 50,000 training digits and
# scored on the last 10,000 (never on the test set). Larger batches than the original examples use
# the two CPU cores better; the warm-up and cosine decay let a short run take large steps early and
# settle at the end. The CNN's candidates differ in augmentation too, and every augmentation gets
# the same grid of epochs and rates (label smoothing 0.1 throughout, which won every pairing of the
# MLP's search); the best without augmentation is shipped as "cnn_no_augmentation", so that chapter 4
# can compare the two, each tuned. python -m mnist_lessons.regenerate_weights records every
# candidate's validation accuracy; RECIPES below holds the best, and a test checks the two agree.
CANDIDATES = {
    "mlp": [Recipe("mlp", epochs=epochs, batch_size=128, learning_rate=rate, schedule="warmup-cosine",
                   label_smoothing=smoothing)
            for rate in (0.001, 0.003, 0.01) for epochs in (10, 20) for smoothing in (0.0, 0.1)],
    "cnn": [Recipe("cnn", epochs=epochs, batch_size=128, learning_rate=rate, schedule="warmup-cosine",
                   label_smoothing=0.1, augmentation=augmentation)
            for augmentation in AUGMENTATIONS for epochs in (5, 10) for rate in (0.005, 0.01)],
}
CANDIDATES["cnn_no_augmentation"] = [recipe for recipe in CANDIDATES["cnn"] if recipe.augmentation == "none"]

RECIPES = {
    # The original examples this book grew from, as written: Adam's defaults, batch 32.
    "example_mlp": Recipe("mlp", epochs=10, batch_size=32, learning_rate=0.001, schedule="constant"),
    "example_cnn": Recipe("cnn", epochs=10, batch_size=32, learning_rate=0.001, schedule="constant"),
    # The shipped weights (keys match mnist_lessons.models.SHIPPED): the candidates with the best
    # validation accuracy, trained again on all 60,000 training digits.
    "mlp": Recipe("mlp", epochs=10, batch_size=128, learning_rate=0.01, schedule="warmup-cosine",
                  label_smoothing=0.1),
    "cnn": Recipe("cnn", epochs=10, batch_size=128, learning_rate=0.01, schedule="warmup-cosine",
                  label_smoothing=0.1, augmentation="shifts"),
    "cnn_no_augmentation": Recipe("cnn", epochs=10, batch_size=128, learning_rate=0.01, schedule="warmup-cosine",
                                  label_smoothing=0.1),
}


def best_candidate(name, validation_accuracies):
    """The candidate recipe of ``name`` with the highest validation accuracy.

    Parameters
    ----------
    name : str
        A key of ``CANDIDATES``.
    validation_accuracies : dict
        ``{recipe.describe(): accuracy}`` for every candidate in ``CANDIDATES[name]``.

    Returns
    -------
    Recipe
        Ties go to fewer epochs, then to the smaller learning rate, less smoothing and the
        simpler augmentation (earlier in ``AUGMENTATIONS``).
    """
    candidates = CANDIDATES[check_choice(name, "name", tuple(CANDIDATES))]
    missing = [recipe.describe() for recipe in candidates if recipe.describe() not in validation_accuracies]
    if missing:
        raise ValueError(f"no validation accuracy for {missing}; run python -m mnist_lessons.regenerate_weights.")
    order = list(AUGMENTATIONS)
    return min(candidates, key=lambda recipe: (-validation_accuracies[recipe.describe()], recipe.epochs,
                                               recipe.learning_rate, recipe.label_smoothing,
                                               order.index(recipe.augmentation)))


def _recipe(name):
    return RECIPES[check_choice(name, "name", tuple(sorted(RECIPES)))]


def initial_model(name):
    """Return the untrained model a recipe starts from, with its initial weights.

    ``train_recipe(name)`` starts from exactly these weights, so
    ``initial_model("mlp")`` holds the weights the shipped MLP had before its
    first training step.

    Parameters
    ----------
    name : str
        A key of ``RECIPES``.

    Returns
    -------
    keras.Sequential
        Built after ``keras.utils.set_random_seed(recipe.seed)``; not compiled.
        The global random state is left seeded, as ``train_recipe`` needs it.
    """
    recipe = _recipe(name)
    keras.utils.set_random_seed(recipe.seed)
    return BUILDERS[recipe.model]()


def train_recipe(name, *, log_epochs=False, validation_data=None, x=None, y=None):
    """Build and train a model by the named recipe, on the full training set by default.

    Parameters
    ----------
    name : str
        A key of ``RECIPES``: "mlp", "cnn" and "cnn_no_augmentation" (the
        shipped weights), or "example_mlp" and "example_cnn" (the original
        examples the book grew from, as written).
    log_epochs : bool, default=False
        Print one line per epoch.
    validation_data : tuple or None
        Passed to ``train``.
    x, y : numpy.ndarray or None
        Train on these images (floats in [0, 1], shaped for the recipe's
        model) and labels instead of MNIST's 60,000 training digits, e.g. on
        scrambled digits; give both or neither.

    Returns
    -------
    model : keras.Sequential
        The trained, compiled model.
    history : keras.callbacks.History
    seconds : float
        Wall time of ``fit``.
    """
    recipe = _recipe(name)
    if (x is None) != (y is None):
        raise ValueError("Give both x and y (images and labels), or neither for MNIST's training set.")
    if x is None:
        (x, y), _ = load_mnist(scale=True, channel_axis=recipe.model == "cnn")
    model = initial_model(name)  # also seeds the shuffling of the batches
    start = time.perf_counter()
    history = train(
        model, x, y, epochs=recipe.epochs, batch_size=recipe.batch_size,
        learning_rate=recipe.learning_rate, schedule=recipe.schedule,
        label_smoothing=recipe.label_smoothing, augmentation=recipe.augmentation,
        augmentation_seed=recipe.seed, validation_data=validation_data, log_epochs=log_epochs,
    )
    return model, history, time.perf_counter() - start
