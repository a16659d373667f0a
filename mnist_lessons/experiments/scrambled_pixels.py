"""The MLP and the CNN on scrambled pixels over three seeds, and the MLP without the 108 pixels the CNN never sees.

Chapter 4 trains both models on digits whose pixels are scrambled by one fixed permutation
(``permutation.pixel_permutation(seed=0)``, chapter 2's). Each model gets the recipe of its
shipped weights, chosen on validation digits, with the same budget of 10 epochs: the MLP the
``"mlp"`` recipe, the CNN the ``"cnn_no_augmentation"`` recipe (shifting scrambled digits would
not move neighbouring ink together, so the shipped CNN's shifts mean nothing here). Each seed
replaces the recipes' seed 0.

The CNN never sees the last two rows and columns of its input (``unseen_pixels``); after
scrambling, those 108 pixels hold ink from all over the digit. To test whether that explains
part of the CNN's loss, the MLP is also trained and tested on the scrambled digits with those
pixels set to 0, so that it reads exactly what the CNN reads. Each run also trains the MLP on
intact digits (seed 0: the shipped MLP, which is that run), and records the scrambled CNN's
training loss and its test accuracy after every epoch, to show whether it was still improving.
The CNN on intact digits at the same seeds is the ``"none"`` arm of the ``augmentation``
experiment.
"""

import dataclasses

import keras
import numpy as np

from mnist_lessons.checks import check_choice, check_int
from mnist_lessons.constants import IMAGE_SIDE
from mnist_lessons.data import load_mnist
from mnist_lessons.models import BUILDERS, pretrained
from mnist_lessons.permutation import permute_pixels, pixel_permutation
from mnist_lessons.training import RECIPES, train

NAME = "scrambled_pixels"
CHAPTER = "04_pooling"

MODELS = {"mlp": "mlp", "cnn": "cnn_no_augmentation"}
"""Each model and the recipe (a key of ``training.RECIPES``) it is trained by."""
PERMUTATION_SEED = 0
"""The permutation's seed: chapter 2's scrambling."""

SETTINGS = {
    "recipes": {model: RECIPES[name].describe() for model, name in MODELS.items()},
    "permutation_seed": PERMUTATION_SEED,
    "seeds": "each run replaces the recipes' seed 0; seed 0's intact MLP is the shipped MLP",
    "blanked": "rows 26-27 and columns 26-27 of the scrambled image (108 pixels), in training and test",
}
RUNS = [(seed, 0) for seed in range(3)]
"""Three seeds; no digits are drawn."""


def unseen_pixels():
    """The pixels that never influence the CNN's output: its last two rows and columns (108 of 784).

    ``pool2`` forms its 5×5 blocks from the first 10 of ``conv2``'s 11 rows; those see rows 0–11
    of ``pool1``, which pool rows 0–23 of ``conv1``, whose 3×3 windows reach input rows 0–25.
    The same holds for columns.

    Returns
    -------
    numpy.ndarray of bool, shape (28, 28)
        True where the CNN does not look.

    Examples
    --------
    >>> mask = unseen_pixels()
    >>> int(mask.sum()), bool(mask[25, 25]), bool(mask[26, 0])
    (108, False, True)
    """
    pool2_input = ((IMAGE_SIDE - 2) // 2 - 2) // 2 * 2     # conv2 rows pool2 reads: 10 of 11
    seen = (pool2_input + 2) * 2 + 2                        # back through conv2, pool1, conv1: 26
    mask = np.ones((IMAGE_SIDE, IMAGE_SIDE), dtype=bool)
    mask[:seen, :seen] = False
    return mask


def blank_unseen(images):
    """A copy of ``images`` ``(n, 28, 28)`` or ``(n, 28, 28, 1)`` with ``unseen_pixels()`` set to 0."""
    images = np.array(images, copy=True)
    images[:, unseen_pixels()] = 0
    return images


def train_model(model, seed, x, y, validation_data=None):
    """Train the ``model`` (``"mlp"`` or ``"cnn"``) by its recipe with seed ``seed``, as ``train_recipe`` does.

    Returns
    -------
    model : keras.Sequential
    history : keras.callbacks.History
    """
    check_choice(model, "model", tuple(MODELS))
    chosen = dataclasses.replace(RECIPES[MODELS[model]], seed=check_int(seed, "seed", low=0))
    keras.utils.set_random_seed(chosen.seed)
    network = BUILDERS[chosen.model]()
    history = train(network, x, y, epochs=chosen.epochs, batch_size=chosen.batch_size,
                    learning_rate=chosen.learning_rate, schedule=chosen.schedule,
                    label_smoothing=chosen.label_smoothing, augmentation=chosen.augmentation,
                    augmentation_seed=chosen.seed, validation_data=validation_data)
    return network, history


def accuracy(model, x, y):
    """The share of ``x`` that ``model`` classifies as ``y``."""
    return float(np.mean(model.predict(x, verbose=0, batch_size=2000).argmax(axis=1) == y))


def _rounded(value):
    return float(f"{value:.5g}")


def run(seed, draw):
    """One seed: the MLP intact, scrambled and scrambled with the unseen pixels blanked; the CNN scrambled.

    Returns
    -------
    dict
        "mlp_intact", "mlp_scrambled", "mlp_scrambled_blanked", "cnn_scrambled" (test
        accuracies), "cnn_scrambled_epochs" (test accuracy after each epoch) and
        "cnn_scrambled_loss" (training loss of each epoch).
    """
    check_int(draw, "draw", low=0, high=0, hint="This experiment draws no digits; draw is always 0.")
    (x_train, y_train), (x_test, y_test) = load_mnist(scale=True)
    permutation = pixel_permutation(seed=PERMUTATION_SEED)
    train_scrambled, test_scrambled = permute_pixels(x_train, permutation), permute_pixels(x_test, permutation)
    results = {}
    if seed == RECIPES[MODELS["mlp"]].seed:
        intact = pretrained("mlp")
    else:
        intact, _ = train_model("mlp", seed, x_train, y_train)
    results["mlp_intact"] = _rounded(accuracy(intact, x_test, y_test))
    mlp, _ = train_model("mlp", seed, train_scrambled, y_train)
    results["mlp_scrambled"] = _rounded(accuracy(mlp, test_scrambled, y_test))
    blanked, _ = train_model("mlp", seed, blank_unseen(train_scrambled), y_train)
    results["mlp_scrambled_blanked"] = _rounded(accuracy(blanked, blank_unseen(test_scrambled), y_test))
    cnn, history = train_model("cnn", seed, train_scrambled[..., None], y_train,
                               validation_data=(test_scrambled[..., None], y_test))
    results["cnn_scrambled"] = _rounded(accuracy(cnn, test_scrambled[..., None], y_test))
    results["cnn_scrambled_epochs"] = [_rounded(v) for v in history.history["val_accuracy"]]
    results["cnn_scrambled_loss"] = [_rounded(v) for v in history.history["loss"]]
    return results
