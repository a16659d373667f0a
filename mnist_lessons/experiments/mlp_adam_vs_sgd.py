"""Chapter 2's MLP trained over several seeds by Adam, and from the same starts by plain SGD and by SGD with momentum.

Chapter 2 trains the MLP by Example 1's recipe (Adam at its default learning rate, batches of
32) for 5 epochs, with Keras' ``validation_split`` holding out the last 6,000 training digits,
and finds that the weights of pixels inked in fewer than 1 % of the fitted digits move nearly
as far as those of the commonly inked pixels. Its explanation is Adam's per-weight scaling.
The control is gradient descent without that scaling, from the same initial weights and with
the same seed: plain SGD, and SGD with momentum (which, like Adam, averages past gradients, but
scales every weight's step alike), each at every learning rate of a small grid, the best chosen
on the validation digits (``tuned_learning_rate``). Every run also measures what the chapter
says about its own run: the loss and accuracy curves, the gap between training and validation
accuracy, the test accuracy, and how the hidden units share their response among the classes.
"""

import math

import keras
import numpy as np

from mnist_lessons.activations import layer_output
from mnist_lessons.checks import check_choice, check_int, check_labels, check_number, check_scaled_images
from mnist_lessons.constants import IMAGE_SIDE, N_CLASSES
from mnist_lessons.data import load_mnist
from mnist_lessons.models import build_mlp

NAME = "mlp_adam_vs_sgd"
CHAPTER = "02_flatten_dense"
SETTINGS = {
    "epochs": 5,
    "batch_size": 32,
    "validation_split": 0.1,
    "rare_ink": 0.01,
    "momentum": 0.9,
    # Adam at Example 1's rate (the chapter's run); the controls on grids that bracket their best
    # (SGD with momentum 0.9 steps about 1 / (1 - 0.9) = 10 times as far: its grid is 10 times lower).
    "learning_rates": {"adam": [0.001], "sgd": [0.03, 0.1, 0.3, 1.0], "momentum": [0.003, 0.01, 0.03, 0.1]},
}
RUNS = [(seed, 0) for seed in range(5)]

OPTIMIZERS = ("adam", "sgd", "momentum")
"""The optimizers compared: Adam, plain SGD, SGD with momentum ``SETTINGS["momentum"]``."""

INK_GROUPS = ("never inked", "rarely inked", "often inked")
"""The pixel groups of ``ink_groups``, in order."""


def optimizer(kind, learning_rate):
    """Return a new Keras optimizer of ``kind`` with ``learning_rate``.

    Parameters
    ----------
    kind : {"adam", "sgd", "momentum"}
        Adam with Keras' defaults otherwise; plain SGD; SGD with momentum
        ``SETTINGS["momentum"]`` (0.9).
    learning_rate : float
        A positive step size.

    Returns
    -------
    keras.optimizers.Optimizer

    Examples
    --------
    >>> type(optimizer("momentum", 0.01)).__name__, float(optimizer("momentum", 0.01).momentum)
    ('SGD', 0.9)
    """
    check_choice(kind, "kind", OPTIMIZERS)
    learning_rate = check_number(learning_rate, "learning_rate", low=0, low_open=True,
                                 hint="It is a step size, e.g. 0.001.")
    if kind == "adam":
        return keras.optimizers.Adam(learning_rate)
    return keras.optimizers.SGD(learning_rate, momentum=SETTINGS["momentum"] if kind == "momentum" else 0.0)


def ink_groups(images, rare=SETTINGS["rare_ink"]):
    """Group the 784 pixels by the fraction of ``images`` that have ink (a value above 0) there.

    Parameters
    ----------
    images : numpy.ndarray of shape (n, 28, 28)
        Digits, floats in [0, 1].
    rare : float, default=0.01
        Pixels inked in fewer than this fraction of the images (but in at least one) are
        "rarely inked".

    Returns
    -------
    dict
        ``{"never inked": mask, "rarely inked": mask, "often inked": mask}``, each a boolean
        array of 784 pixels in ``Flatten``'s order; every pixel is in exactly one group.

    Examples
    --------
    >>> images = np.zeros((200, 28, 28), np.float32)
    >>> images[:, 14, 14] = 1.0          # inked in every image
    >>> images[0, 0, 0] = 0.5            # inked in 1 image of 200: 0.5 %
    >>> {name: int(mask.sum()) for name, mask in ink_groups(images).items()}
    {'never inked': 782, 'rarely inked': 1, 'often inked': 1}
    """
    images = check_scaled_images(images, name="images")
    rare = check_number(rare, "rare", low=0, high=1, low_open=True)
    inked = (images.reshape(len(images), IMAGE_SIDE * IMAGE_SIDE) > 0).mean(axis=0)
    return {"never inked": inked == 0, "rarely inked": (inked > 0) & (inked < rare), "often inked": inked >= rare}


def weight_change(kernel, initial_kernel):
    """The mean absolute change of each input's weights: one number per row of a Dense kernel.

    Parameters
    ----------
    kernel, initial_kernel : numpy.ndarray of shape (inputs, units)
        A Dense layer's weights after and before training.

    Returns
    -------
    numpy.ndarray of shape (inputs,)

    Examples
    --------
    >>> weight_change(np.array([[1.0, 2.0], [0.0, 0.0]]), np.array([[0.0, 0.0], [0.0, 1.0]]))
    array([1.5, 0.5])
    """
    kernel, initial_kernel = np.asarray(kernel, dtype=np.float64), np.asarray(initial_kernel, dtype=np.float64)
    if kernel.ndim != 2 or kernel.shape != initial_kernel.shape:
        raise ValueError(f"kernel and initial_kernel must be 2-D arrays of one shape (inputs, units); got "
                         f"{kernel.shape} and {initial_kernel.shape}.")
    return np.abs(kernel - initial_kernel).mean(axis=1)


def train_mlp(optimizer, *, seed, x, y, settings=SETTINGS, callbacks=()):
    """Train a new MLP as chapter 2 trains it, with ``optimizer``.

    Seeds Keras with ``seed``, builds the MLP (so that the seed fixes its initial weights and the
    order of the batches), compiles it with sparse categorical cross-entropy and fits it for
    ``settings["epochs"]`` epochs in batches of ``settings["batch_size"]``, Keras holding out
    the last ``settings["validation_split"]`` of ``x`` as validation digits.

    Parameters
    ----------
    optimizer : keras.optimizers.Optimizer
        A new optimizer, e.g. ``optimizer("sgd", 0.3)`` of this module.
    seed : int
    x, y : numpy.ndarray
        Training digits of shape (n, 28, 28), floats in [0, 1], and their labels 0..9.
    settings : dict, default=SETTINGS
        Needs "epochs", "batch_size" and "validation_split".
    callbacks : sequence of keras.callbacks.Callback
        Passed to ``fit``.

    Returns
    -------
    model : keras.Sequential
    history : keras.callbacks.History
    initial_kernel : numpy.ndarray of shape (784, 128)
        The hidden layer's weights before the first step.
    """
    if not isinstance(optimizer, keras.optimizers.Optimizer):
        raise TypeError(f"optimizer must be a Keras optimizer, e.g. optimizer('sgd', 0.3); got "
                        f"{type(optimizer).__name__}.")
    seed = check_int(seed, "seed", low=0)
    x = check_scaled_images(x, name="x")
    y = check_labels(y, len(x), name="y")
    keras.utils.set_random_seed(seed)
    model = build_mlp()
    initial_kernel = model.get_layer("hidden").kernel.numpy()
    model.compile(optimizer=optimizer, loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    history = model.fit(x, y, epochs=settings["epochs"], batch_size=settings["batch_size"],
                        validation_split=settings["validation_split"], verbose=0, callbacks=list(callbacks))
    return model, history, initial_kernel


def fitted_digits(n, settings=SETTINGS):
    """How many of ``n`` training digits ``fit`` learns from: the first ones; the rest is its validation split.

    Examples
    --------
    >>> fitted_digits(60_000)
    54000
    """
    n = check_int(n, "n", low=1)
    return int(math.floor(n * (1.0 - settings["validation_split"])))  # as Keras splits


def unit_shares(model, images, labels):
    """How each hidden unit shares its mean response among the classes of ``images``.

    Returns
    -------
    dict
        "responsive_units": how many units respond to some image; for those,
        "median_share": the median share of a unit's summed class means that goes to its
        favourite class (1.0 would be a detector of one class, 0.1 indifference), and
        "units_over_half": how many send more than half to one class.
    """
    activations = layer_output(model, "hidden", images)
    labels = check_labels(labels, len(images))
    class_means = np.stack([activations[labels == c].mean(axis=0) for c in range(N_CLASSES)])
    active = class_means.sum(axis=0) > 0
    share = class_means.max(axis=0)[active] / class_means.sum(axis=0)[active]
    return {"responsive_units": int(active.sum()), "median_share": float(np.median(share)),
            "units_over_half": int(np.sum(share > 0.5))}


def tuned_learning_rate(runs, kind):
    """The learning rate of ``kind`` with the highest mean validation accuracy after the last epoch.

    Parameters
    ----------
    runs : list of dict
        A record's runs (``records.experiment_record(NAME)["runs"]``), or lists made like them.
    kind : {"adam", "sgd", "momentum"}

    Returns
    -------
    float
        Ties go to the smaller rate.

    Examples
    --------
    >>> def result(accuracy):
    ...     return {"val_accuracy": [0.5, accuracy]}
    >>> runs = [{"results": {"sgd": {"0.1": result(0.95), "0.3": result(0.97)}}},
    ...         {"results": {"sgd": {"0.1": result(0.97), "0.3": result(0.96)}}}]
    >>> tuned_learning_rate(runs, "sgd")
    0.3
    """
    check_choice(kind, "kind", OPTIMIZERS)
    if not isinstance(runs, list) or not runs:
        raise TypeError("runs must be a non-empty list of runs, e.g. experiment_record(NAME)['runs'].")
    rates = sorted(runs[0]["results"][kind], key=float)
    means = [np.mean([run["results"][kind][rate]["val_accuracy"][-1] for run in runs]) for rate in rates]
    return float(rates[int(np.argmax(means))])


def measure(seed, train, test, settings=SETTINGS):
    """One run: the MLP trained from seed ``seed`` by every optimizer at every rate of ``settings``.

    Parameters
    ----------
    seed : int
    train, test : tuple (images, labels)
        Training digits (Keras holds out their last ``validation_split``) and test digits,
        images of shape (n, 28, 28) as floats in [0, 1].
    settings : dict, default=SETTINGS

    Returns
    -------
    dict
        "pixels" (how many pixels each ink group holds, in the fitted digits),
        "initial_size" (each group's mean absolute initial weight: every optimizer starts
        there), and per optimizer and rate (``results[kind][f"{rate:g}"]``): the per-epoch
        "loss", "accuracy" (Keras' averages over the epoch), "val_loss", "val_accuracy" and
        "fitted_accuracy" (on the fitted digits at the end of the epoch), "test_accuracy",
        "weight_change" (each group's mean absolute weight change), "rare_to_often" (the
        rarely inked pixels' change over the often inked ones'), and ``unit_shares``.
    """
    (x, y), (x_test, y_test) = train, test
    x = check_scaled_images(x, name="training images")
    y = check_labels(y, len(x), name="training labels")
    n_fit = fitted_digits(len(x), settings)
    groups = ink_groups(x[:n_fit], settings["rare_ink"])
    results = {"fit_digits": n_fit, "pixels": {name: int(mask.sum()) for name, mask in groups.items()}}
    for kind in OPTIMIZERS:
        results[kind] = {}
        for rate in settings["learning_rates"][kind]:
            fitted = FittedAccuracy(x[:n_fit], y[:n_fit])
            model, history, initial = train_mlp(optimizer(kind, rate), seed=seed, x=x, y=y, settings=settings,
                                                callbacks=[fitted])
            change = weight_change(model.get_layer("hidden").kernel.numpy(), initial)
            moved = {name: float(change[mask].mean()) for name, mask in groups.items()}
            _, test_accuracy = model.evaluate(x_test, y_test, verbose=0, batch_size=1000)
            results[kind][f"{rate:g}"] = {
                **{key: [float(value) for value in history.history[key]]
                   for key in ("loss", "accuracy", "val_loss", "val_accuracy")},
                "fitted_accuracy": fitted.accuracies,
                "test_accuracy": float(test_accuracy),
                "weight_change": moved,
                "rare_to_often": moved["rarely inked"] / moved["often inked"],
                **unit_shares(model, x_test, y_test),
            }
    # Every optimizer started from these weights (the same seed).
    results["initial_size"] = {name: float(np.abs(initial[mask]).mean()) for name, mask in groups.items()}
    return results


class FittedAccuracy(keras.callbacks.Callback):
    """A callback: after every epoch, the accuracy on ``images`` (the fitted digits), in ``accuracies``.

    Keras' own "accuracy" is an average over the epoch's batches, taken while the weights
    change; this is measured once, at the end of the epoch, like the validation accuracy.
    """

    def __init__(self, images, labels):
        super().__init__()
        self.images, self.labels, self.accuracies = images, labels, []

    def on_epoch_end(self, epoch, logs=None):
        scores = keras.ops.convert_to_numpy(self.model(self.images, training=False))
        self.accuracies.append(float(np.mean(scores.argmax(axis=1) == self.labels)))


def run(seed, draw):
    """One recorded run: ``measure`` on MNIST's 60,000 training and 10,000 test digits (``draw`` is unused: 0)."""
    if draw != 0:
        raise ValueError(f"this experiment samples no digits: draw must be 0; got {draw!r}.")
    train, test = load_mnist(scale=True)
    return measure(seed, train, test)
