"""The book's two Keras models, and their trained weights shipped with the package.

Both follow the original examples the book grew from layer for layer, in Keras 3 style with
``keras.Input``:

* ``build_mlp``: Flatten -> Dense 128 ReLU -> Dense 10 softmax, input (28, 28).
* ``build_cnn``: Conv 32 3x3 ReLU -> MaxPool 2x2 -> Conv 64 3x3 ReLU ->
  MaxPool 2x2 -> Flatten -> Dense 10 softmax, input (28, 28, 1).

``pretrained(name)`` loads the trained copy of either from ``weights/`` inside
the package; ``python -m mnist_lessons.regenerate_weights`` regenerates those files.
"""

import importlib.resources
import os
import zipfile

import keras
import numpy as np
from keras import layers

import mnist_lessons
from mnist_lessons.checks import check_model, check_probability_rows, check_scaled_images, check_text
from mnist_lessons.constants import IMAGE_SHAPE, N_CLASSES

SHIPPED = ("mlp", "cnn", "cnn_no_augmentation")
"""The shipped models: the MLP, the CNN, and the CNN trained without augmentation (for chapter 4)."""

# The URL is repository.url in _config.yml, from which the chapters install the package; the tag
# is this release's, so that the reinstalled weights match this code.
_WEIGHTS_FIX = (
    "The file ships with the mnist-lessons package. Fix: reinstall it with `pip install "
    "--force-reinstall --no-deps git+https://github.com/mnist-lessons/mnist-lessons@v"
    + mnist_lessons.__version__ + "` (in a clone "
    "of the repository: `git checkout -- mnist_lessons/weights`), or regenerate the file with "
    "`python -m mnist_lessons.regenerate_weights --only {name}`."
)


class WeightsError(OSError):
    """A shipped weights file is missing or unreadable; the message names the file and the fix.

    A subclass of ``OSError``, so ``except OSError`` still catches a missing file, which raised
    ``FileNotFoundError`` before.
    """


def build_mlp():
    """Build the book's multilayer perceptron, Example 1 (untrained, not compiled).

    Returns
    -------
    keras.Sequential
        Input ``(28, 28)`` floats in [0, 1]; output 10 class probabilities.
        Layers: ``flatten`` (784), ``hidden`` (Dense 128, ReLU), ``output``
        (Dense 10, softmax); 101,770 parameters.

    Examples
    --------
    >>> build_mlp().count_params()
    101770
    """
    return keras.Sequential(
        [
            keras.Input(shape=IMAGE_SHAPE, name="image"),
            layers.Flatten(name="flatten"),
            layers.Dense(128, activation="relu", name="hidden"),
            layers.Dense(N_CLASSES, activation="softmax", name="output"),
        ],
        name="mlp",
    )


def build_cnn():
    """Build the book's convolutional network, Example 2 (untrained, not compiled).

    Returns
    -------
    keras.Sequential
        Input ``(28, 28, 1)`` floats in [0, 1]; output 10 class probabilities.
        Layers: ``conv1`` (32 3x3 filters, ReLU) -> ``pool1`` (2x2 max) ->
        ``conv2`` (64 3x3 filters, ReLU) -> ``pool2`` (2x2 max) -> ``flatten``
        (1,600) -> ``output`` (Dense 10, softmax); 34,826 parameters.

    Examples
    --------
    >>> [layer.name for layer in build_cnn().layers]
    ['conv1', 'pool1', 'conv2', 'pool2', 'flatten', 'output']
    """
    return keras.Sequential(
        [
            keras.Input(shape=IMAGE_SHAPE + (1,), name="image"),
            layers.Conv2D(32, 3, activation="relu", name="conv1"),
            layers.MaxPooling2D(2, name="pool1"),
            layers.Conv2D(64, 3, activation="relu", name="conv2"),
            layers.MaxPooling2D(2, name="pool2"),
            layers.Flatten(name="flatten"),
            layers.Dense(N_CLASSES, activation="softmax", name="output"),
        ],
        name="cnn",
    )


BUILDERS = {"mlp": build_mlp, "cnn": build_cnn}
ARCHITECTURES = {"mlp": "mlp", "cnn": "cnn", "cnn_no_augmentation": "cnn"}
"""The architecture (a key of ``BUILDERS``) of each shipped model."""


def weights_path(name):
    """Path of the shipped ``.keras`` file for model ``name`` (one of ``SHIPPED``)."""
    _check_name(name)
    return os.fspath(importlib.resources.files("mnist_lessons") / "weights" / f"{name}.keras")


def pretrained(name):
    """Return the shipped, trained model ``name``, compiled and ready to predict.

    Parameters
    ----------
    name : {"mlp", "cnn", "cnn_no_augmentation"}
        Which model: the MLP, the CNN, or the same CNN architecture trained
        without augmentation (chapter 4 compares the two CNNs). All were trained
        on the full 60,000 training digits by ``python -m
        mnist_lessons.regenerate_weights``; see ``mnist_lessons.training.RECIPES``.

    Returns
    -------
    keras.Sequential
        A fresh copy on every call (changing it does not change the next one),
        compiled with sparse categorical cross-entropy and accuracy, so
        ``evaluate`` works at once.

    Notes
    -----
    The architecture is rebuilt by ``build_mlp``/``build_cnn`` and only the
    weight arrays are read from the shipped ``.keras`` file. No configuration
    is deserialised, so no code from the file can run (stricter than Keras'
    ``safe_mode``), and a file written by a newer Keras still loads in an older
    one: ``keras.saving.load_model`` on a file saved by Keras 3.15 fails in
    Keras 3.13 (Colab's version in November 2026) on initializer arguments
    that 3.13 does not know.

    Raises
    ------
    ValueError
        If ``name`` is not a shipped model.
    WeightsError
        If the weights file is missing from the installation, or is corrupt or
        not the weights of this model. The message says how to restore it.

    Examples
    --------
    >>> model = pretrained("cnn")
    >>> model.output_shape
    (None, 10)
    """
    path, fix = weights_path(name), _WEIGHTS_FIX.format(name=name)
    if not os.path.isfile(path):
        what = "is a directory" if os.path.isdir(path) else "does not exist"
        raise WeightsError(f"The weights of model {name!r} are missing: {path} {what}. {fix}")
    model = BUILDERS[ARCHITECTURES[name]]()
    # What Keras' zip and HDF5 readers raise for a damaged or mismatched file (a truncated zip, a
    # missing member, weights of another shape); any other error is a bug and passes through.
    try:
        model.load_weights(path)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise WeightsError(
            f"The weights of model {name!r} could not be loaded from {path}: the file is corrupt "
            f"or does not hold the weights of build_{name}() ({type(exc).__name__}: "
            f"{_first_line(exc)}). {fix}"
        ) from exc
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return model


def predict_probabilities(model, images):
    """Return ``model``'s class probabilities for a batch of images.

    Parameters
    ----------
    model : keras.Model
        A model that ends in a softmax over the 10 classes.
    images : numpy.ndarray
        A batch shaped like the model's input, floats in [0, 1].

    Returns
    -------
    numpy.ndarray, shape (n, 10)
        One row of probabilities per image.

    Raises
    ------
    ValueError
        If the outputs are not 10 probabilities per image (for instance a model
        that ends in logits, without softmax), or the images are malformed.
    """
    check_model(model)
    images = check_scaled_images(images, model=model)
    probabilities = np.asarray(model.predict(images, verbose=0, batch_size=500))
    if probabilities.shape != (len(images), N_CLASSES):
        raise ValueError(
            f"model must output {N_CLASSES} class probabilities per image; its output has shape "
            f"{probabilities.shape}."
        )
    return check_probability_rows(
        probabilities, name="model's outputs",
        fix="apply a softmax, e.g. keras.Sequential([model, keras.layers.Softmax()])")


def logits_model(model):
    """Return a copy of ``model`` that outputs logits: its last layer without the softmax.

    Parameters
    ----------
    model : keras.Model
        A model whose last layer is a ``Dense`` layer with a softmax activation,
        such as ``pretrained("cnn")`` or ``build_mlp()``.

    Returns
    -------
    keras.Model
        A new model with the same layers and a copy of the same weights, whose
        last ``Dense`` layer returns ``x @ W + b`` (the logits) instead of
        ``softmax(x @ W + b)``. Changing it does not change ``model``.

    Raises
    ------
    TypeError
        If ``model`` is not a Keras model.
    ValueError
        If its last layer is not a ``Dense`` layer with a softmax activation.

    Examples
    --------
    >>> logits = logits_model(pretrained("cnn"))
    >>> logits.layers[-1].get_config()["activation"]
    'linear'
    """
    check_model(model)
    last = model.layers[-1] if model.layers else None
    if not isinstance(last, layers.Dense) or last.get_config()["activation"] != "softmax":
        described = (f"{type(last).__name__} with activation {last.get_config().get('activation')!r}"
                     if last is not None else "nothing")
        raise ValueError(
            f"model must end in a Dense layer with a softmax activation; its last layer is "
            f"{described}. A model that already outputs logits needs no conversion."
        )
    copy = keras.models.clone_model(model)
    copy.set_weights(model.get_weights())
    # The Dense layer applies self.activation after x @ W + b; replacing it before the copy is
    # first called leaves exactly the logits.
    copy.layers[-1].activation = keras.activations.linear
    return copy


def _first_line(exc):
    # Keras' message for a mismatched file runs to many lines listing every layer; its first
    # line ends in a colon that introduces them.
    lines = str(exc).strip().splitlines()
    return lines[0].rstrip(":") if lines else ""


def _check_name(name):
    check_text(name, "name")
    if name not in SHIPPED:
        raise ValueError(f"Unknown model {name!r}; the package ships {list(SHIPPED)}.")
    return name
