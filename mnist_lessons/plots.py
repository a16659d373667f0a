"""The book's shared figures.

Every function takes the arrays or the Keras model it draws as arguments and
returns a ``matplotlib.figure.Figure``. The figure is closed in pyplot before it
is returned, so a notebook cell that ends with the call shows it exactly once
(as the cell's result); in a script, save it with ``fig.savefig(path)``.
"""

import math

import matplotlib.patches
import matplotlib.pyplot as plt
import numpy as np

from mnist_lessons.activations import layer_output
from mnist_lessons.checks import (check_image_shape, check_labels, check_model, check_scaled_images,
                                  get_layer)
from mnist_lessons.models import predict_probabilities

CORRECT, WRONG, NEUTRAL = "tab:green", "tab:red", "tab:gray"


def _display_images(images, name="images", batch=True):
    """Check images for display: uint8 0..255 or floats in [0, 1]; drop a channel axis."""
    array = np.asarray(images)
    if array.dtype != np.uint8 and not np.issubdtype(array.dtype, np.floating):
        raise TypeError(
            f"{name} must be uint8 pixels 0..255 or floating-point pixels in [0, 1]; got dtype "
            f"{array.dtype}. Convert 0..255 integers with .astype('uint8')."
        )
    if array.dtype == np.uint8:
        check_image_shape(array.shape, batch=batch, name=name)
        return array.reshape(array.shape[: 1 if batch else 0] + (28, 28)), 255
    array = check_scaled_images(array, batch=batch, name=name)
    return array.reshape(array.shape[: 1 if batch else 0] + (28, 28)), 1.0


def _new_figure(figsize):
    # Created through pyplot so that Jupyter's inline backend knows how to display figures;
    # closed at once so that it is displayed once, as the returned value, not again at cell end.
    fig = plt.figure(figsize=figsize, layout="constrained")
    plt.close(fig)
    return fig


def _hide_ticks(ax):
    ax.set_xticks([])
    ax.set_yticks([])


def _check_title(title):
    if not isinstance(title, str):
        raise TypeError(f"title must be a string; got {title!r}.")


def _check_count(value, name, low, high):
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise TypeError(f"{name} must be an int; got {value!r}.")
    if not low <= value <= high:
        raise ValueError(f"{name} must be between {low} and {high}; got {value}.")
    return int(value)


def _check_position(position, name, low, high, why=""):
    """Check a (row, column) pair of ints, each from low to high; return it."""
    if (not isinstance(position, tuple) or len(position) != 2
            or not all(isinstance(v, (int, np.integer)) and not isinstance(v, bool)
                       and low <= v <= high for v in position)):
        raise ValueError(
            f"{name} must be a (row, column) pair of ints from {low} to {high}{why}; got {position!r}."
        )
    return position


def _grid(n, ncols, cell=1.0, extra_height=0.6):
    ncols = min(_check_count(ncols, "ncols", 1, 100), n)
    nrows = math.ceil(n / ncols)
    fig = _new_figure((cell * ncols, cell * nrows + extra_height))
    axes = np.atleast_1d(fig.subplots(nrows, ncols, squeeze=False).ravel())
    for ax in axes[n:]:
        ax.set_visible(False)
    return fig, axes[:n]


def plot_digits(images, labels=None, predictions=None, *, probabilities=None, ncols=10, title="MNIST digits"):
    """Draw digits in a grid, each titled with its label (and prediction).

    Parameters
    ----------
    images : numpy.ndarray
        ``(n, 28, 28)`` or ``(n, 28, 28, 1)``; uint8 0..255 or floats in [0, 1].
    labels : array-like of int, optional
        True classes, shown above each digit.
    predictions : array-like of int, optional
        Predicted classes; a digit whose prediction differs from its label is
        titled "label→prediction" in red.
    probabilities : array-like of float, optional
        One number in [0, 1] per digit (e.g. the probability of the
        prediction), written under its title.
    ncols : int, default=10
        Digits per row.
    title : str
        Figure title.

    Returns
    -------
    matplotlib.figure.Figure
    """
    _check_title(title)
    pixels, vmax = _display_images(images)
    n = len(pixels)
    if n > 100:
        raise ValueError(f"plot_digits draws at most 100 digits; got {n}. Pass a slice, e.g. images[:30].")
    labels = None if labels is None else check_labels(labels, n)
    predictions = None if predictions is None else check_labels(predictions, n, name="predictions")
    if probabilities is not None:
        probabilities = np.asarray(probabilities, dtype=float)
        if probabilities.shape != (n,) or probabilities.min() < 0 or probabilities.max() > 1:
            raise ValueError(f"probabilities must be {n} numbers in [0, 1], one per digit; got shape {probabilities.shape}.")
    fig, axes = _grid(n, ncols, extra_height=0.6 if probabilities is None else 0.9)
    for i, ax in enumerate(axes):
        ax.imshow(pixels[i], cmap="gray_r", vmin=0, vmax=vmax)
        _hide_ticks(ax)
        if labels is not None and predictions is not None:
            right = labels[i] == predictions[i]
            ax.set_title(f"{labels[i]}" if right else f"{labels[i]}→{predictions[i]}",
                         color=CORRECT if right else WRONG, fontsize=10)
        elif labels is not None:
            ax.set_title(str(labels[i]), fontsize=10)
        elif predictions is not None:
            ax.set_title(f"pred {predictions[i]}", fontsize=10)
        if probabilities is not None:
            ax.set_xlabel(f"{probabilities[i]:.2f}", fontsize=9)
    subtitle = ""
    if labels is not None:
        subtitle = " (true label" + (", →prediction when wrong)" if predictions is not None else ")")
    fig.suptitle(title + subtitle)
    return fig


def plot_pixel_grid(image, *, title="One digit as a grid of pixel values"):
    """Draw one 28×28 digit with its pixel value written in every cell.

    Parameters
    ----------
    image : numpy.ndarray
        ``(28, 28)`` or ``(28, 28, 1)``; uint8 0..255 or floats in [0, 1]
        (floats are written with two decimals).
    title : str
        Figure title.

    Returns
    -------
    matplotlib.figure.Figure
    """
    _check_title(title)
    pixels, vmax = _display_images(image, name="image", batch=False)
    fig = _new_figure((11, 11))
    ax = fig.subplots()
    ax.imshow(pixels, cmap="gray_r", vmin=0, vmax=vmax)
    for (row, col), value in np.ndenumerate(pixels):
        if value:
            text = f"{value}" if vmax == 255 else f"{value:.2f}".lstrip("0")
            ax.text(col, row, text, ha="center", va="center", fontsize=5.5,
                    color="white" if value > vmax / 2 else "black")
    ax.set_xticks(range(0, 28, 2))
    ax.set_yticks(range(0, 28, 2))
    ax.set_xlabel("column")
    ax.set_ylabel("row")
    ax.set_title(title + f" (0 = white, {vmax:g} = black; zeros left blank)")
    return fig


def plot_training_curves(history, *, title="Training curves"):
    """Draw loss and accuracy per epoch, for training and (if present) validation.

    Parameters
    ----------
    history : keras.callbacks.History or dict
        What ``model.fit`` returned, or its ``.history`` dict, with "loss"
        and "accuracy" and optionally "val_loss" and "val_accuracy".

    Returns
    -------
    matplotlib.figure.Figure
    """
    _check_title(title)
    logs = getattr(history, "history", history)
    if not isinstance(logs, dict):
        raise TypeError(
            f"history must be what model.fit returned (a History) or its .history dict; "
            f"got {type(history).__name__}."
        )
    missing = [key for key in ("loss", "accuracy") if key not in logs]
    if missing:
        raise ValueError(
            f"history has no {missing}; it has {sorted(logs)}. Compile the model with "
            "metrics=['accuracy'] so that fit records accuracy."
        )
    lengths = {key: len(values) for key, values in logs.items() if key != "learning_rate"}
    if len(set(lengths.values())) != 1 or not lengths["loss"]:
        raise ValueError(f"history must hold one value per epoch for every metric; got lengths {lengths}.")
    epochs = np.arange(1, len(logs["loss"]) + 1)
    fig = _new_figure((10, 3.6))
    for ax, metric in zip(fig.subplots(1, 2), ("loss", "accuracy")):
        ax.plot(epochs, logs[metric], "o-", label="training")
        if f"val_{metric}" in logs:
            ax.plot(epochs, logs[f"val_{metric}"], "s--", label="validation")
        ax.set_xlabel("epoch")
        ax.set_ylabel(metric)
        ax.set_xticks(epochs)
        ax.set_title(metric)
        ax.grid(alpha=0.3)
        ax.legend()
    fig.suptitle(title)
    return fig


def plot_predictions(model, images, labels=None, *, names=None, title="What the model predicts"):
    """Draw each digit beside a bar chart of the model's 10 class probabilities.

    The bar of the predicted class is green when it equals the true label and
    red when it does not; the true class is marked with a black outline.
    Without labels (for images that are not digits) the predicted bar is grey.

    Parameters
    ----------
    model : keras.Model
        A model that outputs 10 probabilities (ends in softmax).
    images : numpy.ndarray
        A batch of 1 to 20 images shaped like the model's input, floats in [0, 1].
    labels : array-like of int, optional
        The true classes.
    names : sequence of str, optional
        A name per image, shown beside it (default: "true <label>").

    Returns
    -------
    matplotlib.figure.Figure
    """
    _check_title(title)
    check_model(model)
    n = len(check_scaled_images(images, model=model))
    if n > 20:
        raise ValueError(f"plot_predictions draws at most 20 digits; got {n}. Pass a slice.")
    probabilities = predict_probabilities(model, images)
    labels = None if labels is None else check_labels(labels, n)
    if names is None:
        names = [f"true {label}" for label in labels] if labels is not None else [""] * n
    elif isinstance(names, str) or len(names) != n or not all(isinstance(name, str) for name in names):
        raise ValueError(f"names must be {n} strings, one per image; got {names!r}.")
    pixels = np.asarray(images).reshape(n, 28, 28)
    fig = _new_figure((7, 1.5 * n + 0.6))
    axes = fig.subplots(n, 2, squeeze=False, width_ratios=[1, 3.5])
    for i in range(n):
        image_ax, bar_ax = axes[i]
        predicted = int(probabilities[i].argmax())
        image_ax.imshow(pixels[i], cmap="gray_r", vmin=0, vmax=1)
        _hide_ticks(image_ax)
        image_ax.set_ylabel(names[i])
        colors = [NEUTRAL] * 10
        colors[predicted] = "tab:blue" if labels is None else CORRECT if predicted == labels[i] else WRONG
        bars = bar_ax.bar(range(10), probabilities[i], color=colors)
        if labels is not None:
            bars[labels[i]].set_edgecolor("black")
            bars[labels[i]].set_linewidth(1.5)
        bar_ax.set_ylim(0, 1)
        bar_ax.set_xticks(range(10))
        bar_ax.set_ylabel("probability")
        bar_ax.set_title(f"predicted {predicted} with probability {probabilities[i, predicted]:.3f}",
                         fontsize=9, color=colors[predicted])
    axes[-1, 1].set_xlabel("class")
    fig.suptitle(title)
    return fig


def _conv_layer(model, layer):
    import keras

    layer = get_layer(model, layer)
    if not isinstance(layer, keras.layers.Conv2D):
        convs = [each.name for each in model.layers if isinstance(each, keras.layers.Conv2D)]
        raise TypeError(
            f"Layer {layer.name!r} is a {type(layer).__name__}, not a Conv2D layer; "
            f"this model's Conv2D layers are {convs}."
        )
    return layer


def plot_filters(model, layer, *, in_channel=0, ncols=8):
    """Draw the kernels of a Conv2D layer, one small image per filter.

    Parameters
    ----------
    model : keras.Model
    layer : str, int or keras.layers.Layer
        A Conv2D layer of ``model``, e.g. "conv1".
    in_channel : int, default=0
        Which input channel's slice of each kernel to draw. The first layer of
        an MNIST CNN has one input channel; deeper layers have one per
        feature map of the layer before, and each filter has a 2-D slice per
        channel.
    ncols : int, default=8
        Filters per row.

    Returns
    -------
    matplotlib.figure.Figure
        Weights in a red-white-blue scale centred on 0: blue weights add the
        pixel under them, red ones subtract it.
    """
    check_model(model)
    layer = _conv_layer(model, layer)
    kernel = np.asarray(layer.kernel)  # (height, width, in_channels, filters)
    channels = kernel.shape[2]
    in_channel = _check_count(in_channel, f"in_channel of layer {layer.name!r}", 0, channels - 1)
    weights = kernel[:, :, in_channel, :]
    limit = float(np.abs(weights).max()) or 1.0
    n = weights.shape[-1]
    fig, axes = _grid(n, ncols, cell=0.9, extra_height=0.9)
    for k, ax in enumerate(axes):
        image = ax.imshow(weights[:, :, k], cmap="RdBu", vmin=-limit, vmax=limit)
        _hide_ticks(ax)
        ax.set_title(f"filter {k}", fontsize=8)
    fig.colorbar(image, ax=list(axes), shrink=0.8, label="weight")
    where = "" if channels == 1 else f", input channel {in_channel} of {channels}"
    fig.suptitle(f"Layer {layer.name!r}: {n} kernels of {weights.shape[0]}×{weights.shape[1]}{where}")
    return fig


def plot_feature_maps(model, image, layer, *, max_maps=None, ncols=8):
    """Draw the feature maps one layer of ``model`` produces for one image.

    Parameters
    ----------
    model : keras.Model
    image : numpy.ndarray
        One image shaped like the model's input (no batch axis), floats in [0, 1].
    layer : str, int or keras.layers.Layer
        A layer with 2-D maps as output (convolution or pooling), e.g. "conv2".
    max_maps : int or None
        Draw only the first ``max_maps`` maps (None: all).
    ncols : int, default=8
        Maps per row.

    Returns
    -------
    matplotlib.figure.Figure
        All maps on one colour scale from 0 to the largest value, so that
        strong and weak responses can be compared.
    """
    check_model(model)
    image = check_scaled_images(image, model=model, batch=False, name="image")
    layer = get_layer(model, layer)
    maps = layer_output(model, layer, image[np.newaxis])[0]
    if maps.ndim != 3:
        raise ValueError(
            f"Layer {layer.name!r} outputs shape {maps.shape} per image, not 2-D maps with "
            "channels; choose a convolution or pooling layer."
        )
    count = maps.shape[-1] if max_maps is None else _check_count(max_maps, "max_maps", 1, maps.shape[-1])
    low, high = min(0.0, float(maps.min())), float(maps.max()) or 1.0
    fig, axes = _grid(count, ncols, cell=1.1, extra_height=0.9)
    for k, ax in enumerate(axes):
        shown = ax.imshow(maps[:, :, k], cmap="viridis", vmin=low, vmax=high)
        _hide_ticks(ax)
        ax.set_title(f"map {k}", fontsize=8)
    fig.colorbar(shown, ax=list(axes), shrink=0.8, label="activation")
    fig.suptitle(
        f"Layer {layer.name!r}: {count} of {maps.shape[-1]} feature maps, "
        f"each {maps.shape[0]}×{maps.shape[1]}"
    )
    return fig


def plot_flattened(image, pixel=(14, 14), *, title="Flattening: a 28×28 image becomes a 784-vector"):
    """Draw a digit beside its flattened 784-vector, marking one pixel and its four neighbours.

    Row-by-row flattening (what ``Flatten`` and ``numpy.reshape`` do) keeps the
    left and right neighbours next to the pixel but puts the neighbours above
    and below 28 positions away.

    Parameters
    ----------
    image : numpy.ndarray
        One digit, ``(28, 28)`` or ``(28, 28, 1)``; uint8 0..255 or floats in [0, 1].
    pixel : tuple of int (row, column), default=(14, 14)
        The pixel to mark; it must not lie on the border, so that it has four neighbours.
    title : str
        Figure title.

    Returns
    -------
    matplotlib.figure.Figure
    """
    _check_title(title)
    pixels, vmax = _display_images(image, name="image", batch=False)
    row, col = _check_position(pixel, "pixel", 1, 26, ", so that it has four neighbours")
    marks = {"pixel": (row, col, "tab:red"), "left": (row, col - 1, "tab:orange"),
             "right": (row, col + 1, "tab:orange"), "above": (row - 1, col, "tab:blue"),
             "below": (row + 1, col, "tab:blue")}
    fig = _new_figure((11, 6))
    image_ax, strip_ax = fig.subplots(2, 1, height_ratios=[5, 1])
    image_ax.imshow(pixels, cmap="gray_r", vmin=0, vmax=vmax)
    for name, (r, c, color) in marks.items():
        # Neighbours share edges with the pixel: draw them inset, and the pixel on top, so all show.
        inset = 0.0 if name == "pixel" else 0.15
        image_ax.add_patch(matplotlib.patches.Rectangle((c - 0.5 + inset, r - 0.5 + inset), 1 - 2 * inset,
                                                        1 - 2 * inset, fill=False, edgecolor=color,
                                                        linewidth=2.5 if name == "pixel" else 2,
                                                        zorder=3 if name == "pixel" else 2))
    image_ax.set_xlabel("column")
    image_ax.set_ylabel("row")
    image_ax.set_title(f"the image: pixel ({row}, {col}) in red, its neighbours beside and above/below")
    strip_ax.imshow(pixels.reshape(1, 784), cmap="gray_r", vmin=0, vmax=vmax, aspect="auto",
                    interpolation="nearest")
    for name, (r, c, color) in marks.items():
        index = 28 * r + c
        strip_ax.axvline(index, color=color, linewidth=1.5)
        if name != "pixel":
            # Left and right sit one position apart: push their labels outwards, and lift the
            # above/below labels to a second line, so that all four stay legible.
            align = {"left": "right", "right": "left"}.get(name, "center")
            height = -0.6 if name in ("left", "right") else -1.1
            strip_ax.text(index, height, f"{name}: {index}", color=color, ha=align, fontsize=8,
                          va="bottom")
    strip_ax.set_yticks([])
    strip_ax.set_xlim(-0.5, 783.5)
    strip_ax.set_xlabel(f"position in the flattened vector (pixel ({row}, {col}) is at {28 * row + col})")
    strip_ax.set_ylabel("1 px")
    fig.suptitle(title)
    return fig


def plot_dense_weights(model, layer, *, max_units=None, ncols=16):
    """Draw each unit's input weights of a Dense layer that reads a flattened 28×28 image.

    Unit ``k`` of a Dense layer computes ``x · W[:, k] + b[k]``; reshaped to 28×28,
    ``W[:, k]`` shows which pixels push the unit up (blue) or down (red).

    Parameters
    ----------
    model : keras.Model
    layer : str, int or keras.layers.Layer
        A Dense layer with 784 inputs, e.g. the MLP's "hidden".
    max_units : int or None
        Draw only the first ``max_units`` units (None: all).
    ncols : int, default=16
        Units per row.

    Returns
    -------
    matplotlib.figure.Figure
        Each unit on its own colour scale, symmetric around 0.
    """
    import keras

    check_model(model)
    layer = get_layer(model, layer)
    if not isinstance(layer, keras.layers.Dense):
        raise TypeError(f"Layer {layer.name!r} is a {type(layer).__name__}, not a Dense layer.")
    kernel = np.asarray(layer.kernel)
    if kernel.shape[0] != 784:
        raise ValueError(
            f"Layer {layer.name!r} has {kernel.shape[0]} inputs, not 784 = 28×28 pixels, so its "
            "weights cannot be drawn as images; choose the Dense layer right after Flatten."
        )
    units = kernel.shape[1] if max_units is None else _check_count(max_units, "max_units", 1, kernel.shape[1])
    fig, axes = _grid(units, ncols, cell=0.75, extra_height=0.5)
    for k, ax in enumerate(axes):
        weights = kernel[:, k].reshape(28, 28)
        limit = float(np.abs(weights).max()) or 1.0
        ax.imshow(weights, cmap="RdBu", vmin=-limit, vmax=limit)
        _hide_ticks(ax)
        ax.set_title(str(k), fontsize=7)
    fig.suptitle(f"Layer {layer.name!r}: input weights of {units} of {kernel.shape[1]} units as "
                 "28×28 images (blue positive, red negative, each unit on its own scale)")
    return fig


def plot_map_grid(maps, *, row_labels, col_labels, title, diverging=True):
    """Draw a table of 2-D arrays (images, kernels or feature maps), one per cell.

    Parameters
    ----------
    maps : array-like, shape (rows, columns, height, width)
        ``maps[r, c]`` is drawn in row ``r``, column ``c``. A list of rows of
        2-D arrays of different sizes (e.g. an 8×8 image beside its 28×28
        version) is accepted too.
    row_labels, col_labels : sequence of str
        One label per row and per column.
    title : str
        Figure title.
    diverging : bool, default=True
        Draw each map on its own red-white-blue scale centred on 0 (for
        signed values such as filter responses); False: each on its own
        grey scale from its minimum to its maximum.

    Returns
    -------
    matplotlib.figure.Figure
    """
    _check_title(title)
    maps = _map_table(maps)
    rows, cols = len(maps), len(maps[0])
    if len(row_labels) != rows or len(col_labels) != cols:
        raise ValueError(
            f"need {rows} row labels and {cols} column labels for {rows}×{cols} maps; "
            f"got {len(row_labels)} and {len(col_labels)}."
        )
    if rows * cols > 200:
        raise ValueError(f"plot_map_grid draws at most 200 maps; got {rows}×{cols}.")
    fig = _new_figure((1.6 * cols + 0.6, 1.6 * rows + 0.6))
    axes = fig.subplots(rows, cols, squeeze=False)
    for r in range(rows):
        for c in range(cols):
            ax, values = axes[r, c], maps[r][c]
            if diverging:
                limit = float(np.abs(values).max()) or 1.0
                ax.imshow(values, cmap="RdBu", vmin=-limit, vmax=limit)
            else:
                ax.imshow(values, cmap="gray_r")
            _hide_ticks(ax)
            if r == 0:
                ax.set_title(col_labels[c], fontsize=9)
            if c == 0:
                ax.set_ylabel(row_labels[r], fontsize=9)
    scale = "each on its own scale, blue > 0 > red" if diverging else "each on its own grey scale"
    fig.suptitle(f"{title} ({scale})")
    return fig


def _map_table(maps):
    """Return maps as a list of rows of 2-D float arrays, checking the layout."""
    try:
        array = np.asarray(maps)
    except ValueError:                                   # rows of differently sized maps
        array = None
    if array is not None and array.dtype != object:
        if array.ndim != 4 or not np.issubdtype(array.dtype, np.number):
            raise ValueError(
                f"maps must be a numeric array of shape (rows, columns, height, width); got shape "
                f"{array.shape} and dtype {array.dtype}."
            )
        return [[cell.astype(float) for cell in row] for row in array]
    if not isinstance(maps, (list, tuple)) or not maps or not all(isinstance(row, (list, tuple)) for row in maps):
        raise ValueError("maps must be a 4-D array or a list of rows, each a list of 2-D arrays.")
    if len({len(row) for row in maps}) != 1 or not maps[0]:
        raise ValueError(f"every row of maps must have the same number of maps; got {[len(row) for row in maps]}.")
    table = [[np.asarray(cell, dtype=float) for cell in row] for row in maps]
    if any(cell.ndim != 2 for row in table for cell in row):
        raise ValueError("every map must be a 2-D array.")
    return table


def plot_receptive_field(image, top_left, size, *, title="Receptive field"):
    """Draw a digit with a square marking the input pixels one unit can see.

    Parameters
    ----------
    image : numpy.ndarray
        One digit, ``(28, 28)`` or ``(28, 28, 1)``; uint8 0..255 or floats in [0, 1].
    top_left : tuple of int (row, column)
        The square's top-left pixel.
    size : int
        The square's side in pixels; it must fit inside the image.
    title : str
        Figure title.

    Returns
    -------
    matplotlib.figure.Figure
    """
    _check_title(title)
    pixels, vmax = _display_images(image, name="image", batch=False)
    size = _check_count(size, "size", 1, 28)
    row, col = _check_position(top_left, "top_left", 0, 28 - size,
                               f", so that a {size}×{size} square fits in the image")
    fig = _new_figure((4.5, 4.8))
    ax = fig.subplots()
    ax.imshow(pixels, cmap="gray_r", vmin=0, vmax=vmax)
    ax.add_patch(matplotlib.patches.Rectangle((col - 0.5, row - 0.5), size, size, fill=False,
                                              edgecolor="tab:red", linewidth=2.5))
    ax.set_xlabel("column")
    ax.set_ylabel("row")
    ax.set_title(f"{size}×{size} pixels from ({row}, {col})", fontsize=10)
    fig.suptitle(title)
    return fig


def plot_accuracy_vs_shift(shifts, accuracies, *, title="Test accuracy of shifted digits"):
    """Draw test accuracy against shift, one panel per direction, one line per model.

    Parameters
    ----------
    shifts : sequence of int
        The shifts in pixels (negative: up or left).
    accuracies : dict
        ``{direction: {model_name: accuracies}}``, e.g.
        ``{"horizontal": {"MLP": [...], "CNN": [...]}, "vertical": {...}}``,
        with one accuracy in [0, 1] per shift.
    title : str
        Figure title.

    Returns
    -------
    matplotlib.figure.Figure
    """
    _check_title(title)
    shifts = np.asarray(shifts)
    if shifts.ndim != 1 or not np.issubdtype(shifts.dtype, np.integer):
        raise TypeError(f"shifts must be a sequence of ints; got {shifts!r}.")
    if not isinstance(accuracies, dict) or not accuracies or \
            not all(isinstance(models, dict) and models for models in accuracies.values()):
        raise TypeError("accuracies must be {direction: {model name: accuracies}}, both dicts non-empty.")
    for direction, models in accuracies.items():
        for name, values in models.items():
            values = np.asarray(values, dtype=float)
            if values.shape != shifts.shape or values.min() < 0 or values.max() > 1:
                raise ValueError(
                    f"accuracies[{direction!r}][{name!r}] must hold one accuracy in [0, 1] per "
                    f"shift ({len(shifts)}); got shape {values.shape}."
                )
    fig = _new_figure((5 * len(accuracies), 3.8))
    axes = np.atleast_1d(fig.subplots(1, len(accuracies), sharey=True))
    for ax, (direction, models) in zip(axes, accuracies.items()):
        for name, values in models.items():
            ax.plot(shifts, values, "o-", label=name)
        ax.set_xticks(shifts)
        ax.set_xlabel(f"{direction} shift in pixels")
        ax.set_ylabel("test accuracy")
        ax.set_title(direction)
        ax.grid(alpha=0.3)
        ax.legend()
    fig.suptitle(title)
    return fig


def plot_class_bars(rows, *, row_labels, value_label="probability", title, highlight=None):
    """Draw one bar chart of 10 per-class values (probabilities or logits) per row.

    Parameters
    ----------
    rows : array-like, shape (n, 10)
        The values, one row per panel; 1 to 10 rows.
    row_labels : sequence of str
        One panel title per row, e.g. "T = 2".
    value_label : str, default="probability"
        The y-axis label. With "probability" all panels share the range 0..1;
        otherwise they share the range of the values (which may be negative).
    title : str
        Figure title.
    highlight : int or None
        A class whose bar is drawn in a distinct colour (e.g. the true label).

    Returns
    -------
    matplotlib.figure.Figure
    """
    _check_title(title)
    values = np.asarray(rows)
    if values.ndim != 2 or values.shape[1] != 10 or not np.issubdtype(values.dtype, np.number):
        raise ValueError(f"rows must be numbers shaped (n, 10), one row per panel; got shape {values.shape}.")
    n = _check_count(len(values), "the number of rows", 1, 10)
    if not np.all(np.isfinite(values)):
        raise ValueError("rows contain inf or NaN, which cannot be drawn as bars; show them as text instead.")
    if isinstance(row_labels, str) or len(row_labels) != n or not all(isinstance(s, str) for s in row_labels):
        raise ValueError(f"row_labels must be {n} strings, one per row; got {row_labels!r}.")
    if highlight is not None:
        highlight = _check_count(highlight, "highlight", 0, 9)
    probabilities = value_label == "probability"
    low, high = (0, 1) if probabilities else (min(values.min(), 0), max(values.max(), 0))
    margin = 0 if probabilities else 0.08 * (high - low or 1)
    fig = _new_figure((min(3.2 * n, 16), 2.8))
    axes = np.atleast_1d(fig.subplots(1, n, sharey=True))
    for ax, row, label in zip(axes, values, row_labels):
        colors = [NEUTRAL] * 10
        if highlight is not None:
            colors[highlight] = CORRECT
        ax.bar(range(10), row, color=colors)
        ax.axhline(0, color="black", linewidth=0.6)
        ax.set_ylim(low - margin, high + margin)
        ax.set_xticks(range(10))
        ax.set_xlabel("class")
        ax.set_title(label, fontsize=10)
    axes[0].set_ylabel(value_label)
    fig.suptitle(title)
    return fig


def _check_confidence(confidence, correct):
    confidence = np.asarray(confidence)
    correct = np.asarray(correct)
    if confidence.ndim != 1 or not np.issubdtype(confidence.dtype, np.floating):
        raise TypeError(f"confidence must be a 1-D float array; got dtype {confidence.dtype}, shape {confidence.shape}.")
    if len(confidence) == 0 or confidence.min() < 0 or confidence.max() > 1:
        raise ValueError("confidence must hold probabilities in [0, 1] (the largest probability per example).")
    if correct.dtype != bool or correct.shape != confidence.shape:
        raise ValueError(
            f"correct must be a boolean array shaped like confidence {confidence.shape}; got dtype "
            f"{correct.dtype}, shape {correct.shape}. Make it with predictions == labels."
        )
    return confidence, correct


def plot_confidence_histogram(confidence, correct, *, bins=20, title="Confidence of right and wrong predictions"):
    """Draw histograms of the confidence of right and of wrong predictions, side by side.

    Parameters
    ----------
    confidence : numpy.ndarray of float, shape (n,)
        The largest class probability of each prediction.
    correct : numpy.ndarray of bool, shape (n,)
        Whether each prediction was right.
    bins : int, default=20
        Equal-width bins between 0 and 1.
    title : str
        Figure title.

    Returns
    -------
    matplotlib.figure.Figure
    """
    _check_title(title)
    confidence, correct = _check_confidence(confidence, correct)
    bins = _check_count(bins, "bins", 2, 100)
    edges = np.linspace(0, 1, bins + 1)
    fig = _new_figure((10, 3.4))
    for ax, mask, name, color in zip(fig.subplots(1, 2), (correct, ~correct),
                                     ("right", "wrong"), (CORRECT, WRONG)):
        ax.hist(confidence[mask], bins=edges, color=color)
        ax.set_xlim(0, 1)
        ax.set_xlabel("confidence (largest probability)")
        ax.set_ylabel("predictions")
        ax.set_title(f"{mask.sum():,} {name} predictions", fontsize=10)
        ax.grid(alpha=0.3)
    fig.suptitle(title)
    return fig


def plot_reliability(bins, *, title="Reliability diagram"):
    """Draw accuracy against confidence per bin, with the diagonal of perfect calibration.

    Parameters
    ----------
    bins : mnist_lessons.calibration.ReliabilityBins
        What ``reliability_bins(probabilities, labels)`` returned.
    title : str
        Figure title.

    Returns
    -------
    matplotlib.figure.Figure
    """
    from mnist_lessons.calibration import ReliabilityBins

    _check_title(title)
    if not isinstance(bins, ReliabilityBins):
        raise TypeError(
            f"bins must be what mnist_lessons.calibration.reliability_bins returned; got {type(bins).__name__}."
        )
    centres = (bins.edges[:-1] + bins.edges[1:]) / 2
    width = np.diff(bins.edges)
    filled = bins.counts > 0
    fig = _new_figure((10, 4))
    left, right = fig.subplots(1, 2)
    left.bar(centres[filled], bins.accuracy[filled], width=width[filled] * 0.9, color="tab:blue",
             label="accuracy in the bin")
    left.plot(bins.confidence[filled], bins.confidence[filled], "o", color="black",
              label="mean confidence in the bin")
    left.plot([0, 1], [0, 1], "--", color=NEUTRAL, label="perfect calibration")
    left.set_xlim(0, 1)
    left.set_ylim(0, 1)
    left.set_xlabel("confidence")
    left.set_ylabel("accuracy")
    left.legend(loc="upper left", fontsize=8)
    left.set_title("accuracy vs confidence", fontsize=10)
    right.bar(centres, bins.counts, width=width * 0.9, color=NEUTRAL)
    right.set_yscale("log")
    right.set_xlim(0, 1)
    right.set_xlabel("confidence")
    right.set_ylabel("predictions (log scale)")
    right.set_title("how many predictions fall in each bin", fontsize=10)
    fig.suptitle(title)
    return fig


def plot_curves(curves, *, x=None, xlabel, ylabel, title, smooth=1, log_x=False, log_y=False, markers=False):
    """Draw several curves (loss against step, against a parameter, ...) in one panel.

    Parameters
    ----------
    curves : dict
        ``{label: values}``, each a 1-D sequence of numbers of the same length.
        Non-finite values (a loss that overflowed) leave gaps.
    x : array-like or None
        The common x values; default 1, 2, ... (steps).
    xlabel, ylabel, title : str
        Axis labels and figure title.
    smooth : int, default=1
        Draw the moving average over this many points (1: the raw values);
        the raw values are drawn faintly behind it.
    log_x, log_y : bool, default=False
        Use a logarithmic x or y axis.
    markers : bool, default=False
        Mark every point (for curves of a few measured points).

    Returns
    -------
    matplotlib.figure.Figure
    """
    for text in (xlabel, ylabel, title):
        _check_title(text)
    if not isinstance(curves, dict) or not curves:
        raise TypeError("curves must be a non-empty dict {label: values}.")
    arrays = {}
    for label, values in curves.items():
        values = np.asarray(values)
        if values.ndim != 1 or not np.issubdtype(values.dtype, np.number) or len(values) == 0:
            raise ValueError(f"curves[{label!r}] must be a non-empty 1-D sequence of numbers; got shape {values.shape}.")
        arrays[str(label)] = values.astype(float)
    lengths = {len(values) for values in arrays.values()}
    if len(lengths) != 1:
        raise ValueError(f"all curves must have the same length; got lengths {sorted(lengths)}.")
    length = lengths.pop()
    x = np.arange(1, length + 1) if x is None else np.asarray(x, dtype=float)
    if x.shape != (length,):
        raise ValueError(f"x must hold one value per point ({length}); got shape {x.shape}.")
    smooth = _check_count(smooth, "smooth", 1, length)
    if log_x and x.min() <= 0:
        raise ValueError("log_x needs positive x values.")
    fig = _new_figure((8, 4))
    ax = fig.subplots()
    for label, values in arrays.items():
        if smooth == 1:
            ax.plot(x, values, "o-" if markers else "-", label=label)
            continue
        line, = ax.plot(x, values, alpha=0.25, linewidth=0.8)
        averaged = np.convolve(values, np.ones(smooth) / smooth, mode="valid")
        ax.plot(x[smooth - 1:], averaged, color=line.get_color(), label=label)
    if log_y:
        ax.set_yscale("log")
    if log_x:
        ax.set_xscale("log")
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel + (f" (moving average of {smooth})" if smooth > 1 else ""))
    ax.grid(alpha=0.3)
    ax.legend()
    fig.suptitle(title)
    return fig


def plot_vector(values, *, title, xlabel="index", ylabel="value"):
    """Draw a long 1-D vector (e.g. a flattened layer output) as one bar per entry.

    Parameters
    ----------
    values : array-like, shape (n,)
        The numbers, 2 to 10,000 of them.
    title, xlabel, ylabel : str
        Figure title and axis labels.

    Returns
    -------
    matplotlib.figure.Figure
    """
    for text in (title, xlabel, ylabel):
        _check_title(text)
    values = np.asarray(values)
    if values.ndim != 1 or not np.issubdtype(values.dtype, np.number) or not 2 <= len(values) <= 10_000:
        raise ValueError(f"values must be a 1-D numeric array of 2 to 10,000 entries; got shape {values.shape}.")
    fig = _new_figure((12, 2.8))
    ax = fig.subplots()
    ax.bar(np.arange(len(values)), values, width=1.0, color="tab:blue")
    ax.set_xlim(-0.5, len(values) - 0.5)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.grid(alpha=0.3, axis="y")
    fig.suptitle(title)
    return fig


def plot_confusion_matrix(matrix, *, title="Confusion matrix"):
    """Draw a 10×10 confusion matrix: rows are true classes, columns predictions.

    The diagonal (right answers) is drawn in grey so that the mistakes, off the
    diagonal, get the colour scale to themselves; every non-zero count is written
    in its cell.

    Parameters
    ----------
    matrix : array-like of int, shape (10, 10)
        ``matrix[t, p]`` counts the digits of true class ``t`` predicted as ``p``.
    title : str
        Figure title.

    Returns
    -------
    matplotlib.figure.Figure
    """
    _check_title(title)
    matrix = np.asarray(matrix)
    if matrix.shape != (10, 10) or not np.issubdtype(matrix.dtype, np.integer) or matrix.min() < 0:
        raise ValueError(
            f"matrix must be 10×10 non-negative integer counts; got shape {matrix.shape}, dtype {matrix.dtype}."
        )
    mistakes = np.where(np.eye(10, dtype=bool), 0, matrix)
    fig = _new_figure((7, 6))
    ax = fig.subplots()
    shown = ax.imshow(np.ma.masked_where(np.eye(10, dtype=bool), mistakes), cmap="Reds",
                      vmin=0, vmax=max(int(mistakes.max()), 1))
    ax.imshow(np.ma.masked_where(~np.eye(10, dtype=bool), np.ones((10, 10))), cmap="Greys", vmin=0, vmax=4)
    for (t, p), count in np.ndenumerate(matrix):
        if count:
            ax.text(p, t, str(count), ha="center", va="center", fontsize=8,
                    color="white" if t != p and count > mistakes.max() / 2 else "black")
    ax.set_xticks(range(10))
    ax.set_yticks(range(10))
    ax.set_xlabel("predicted class")
    ax.set_ylabel("true class")
    fig.colorbar(shown, ax=ax, shrink=0.8, label="mistakes (off the diagonal)")
    fig.suptitle(title)
    return fig


def plot_attributions(images, maps, *, row_labels, title, diverging=()):
    """Draw each image beside its attribution maps (saliency, occlusion, ...).

    Parameters
    ----------
    images : numpy.ndarray
        1 to 10 images, ``(n, 28, 28)`` or ``(n, 28, 28, 1)``, floats in [0, 1].
    maps : dict
        ``{column title: array (n, 28, 28)}``, each map on its own scale.
    row_labels : sequence of str
        One label per image, e.g. "label 7, predicted 7".
    title : str
        Figure title.
    diverging : collection of str, default=()
        Titles of the columns with signed values, drawn red (positive) -
        white (0) - blue (negative); the others are drawn on a heat scale
        from 0 and must not be negative.

    Returns
    -------
    matplotlib.figure.Figure
    """
    _check_title(title)
    pixels, vmax = _display_images(images)
    n = _check_count(len(pixels), "the number of images", 1, 10)
    if not isinstance(maps, dict) or not maps:
        raise TypeError("maps must be a non-empty dict {column title: array of shape (n, 28, 28)}.")
    unknown = set(diverging) - set(maps)
    if isinstance(diverging, str) or unknown:
        raise ValueError(f"diverging must list column titles of maps; {sorted(unknown) or diverging!r} are not.")
    arrays = {}
    for name, values in maps.items():
        values = np.asarray(values, dtype=float)
        if values.shape != (n, 28, 28):
            raise ValueError(f"maps[{name!r}] must have shape ({n}, 28, 28), one map per image; got {values.shape}.")
        if not np.all(np.isfinite(values)):
            raise ValueError(f"maps[{name!r}] contains NaN or infinity.")
        if name not in diverging and values.min() < 0:
            raise ValueError(
                f"maps[{name!r}] has negative values; list it in diverging=[...] to draw it on a signed scale."
            )
        arrays[name] = values
    if isinstance(row_labels, str) or len(list(row_labels)) != n:
        raise ValueError(f"row_labels must be {n} strings, one per image; got {row_labels!r}.")
    row_labels = list(row_labels)
    fig = _new_figure((2.1 * (1 + len(arrays)) + 0.4, 2.0 * n + 0.5))
    axes = fig.subplots(n, 1 + len(arrays), squeeze=False)
    for i in range(n):
        axes[i, 0].imshow(pixels[i], cmap="gray_r", vmin=0, vmax=vmax)
        axes[i, 0].set_ylabel(row_labels[i], fontsize=9)
        for ax, (name, values) in zip(axes[i, 1:], arrays.items()):
            value = values[i]
            if name in diverging:
                limit = float(np.abs(value).max()) or 1.0
                ax.imshow(value, cmap="RdBu_r", vmin=-limit, vmax=limit)
            else:
                ax.imshow(value, cmap="hot_r", vmin=0, vmax=float(value.max()) or 1.0)
            if pixels[i].max() > vmax / 2:   # a blank image has no stroke to outline
                ax.contour(pixels[i], levels=[vmax / 2], colors="tab:green", linewidths=0.8)
        for ax in axes[i]:
            _hide_ticks(ax)
    for ax, name in zip(axes[0], ["image", *arrays]):
        ax.set_title(name, fontsize=10)
    fig.suptitle(f"{title} (green outline: the digit's strokes)")
    return fig


def plot_embedding(points, labels, *, title, xlabel="component 1", ylabel="component 2"):
    """Scatter 2-D points (e.g. a PCA projection) coloured by class, with a legend.

    Parameters
    ----------
    points : array-like, shape (n, 2)
    labels : array-like of int, shape (n,)
        Class 0..9 of each point.
    title, xlabel, ylabel : str

    Returns
    -------
    matplotlib.figure.Figure
    """
    for text in (title, xlabel, ylabel):
        _check_title(text)
    points = np.asarray(points)
    if points.ndim != 2 or points.shape[1] != 2 or not np.issubdtype(points.dtype, np.number):
        raise ValueError(f"points must be numbers of shape (n, 2); got shape {points.shape}.")
    labels = check_labels(labels, len(points))
    fig = _new_figure((7, 6))
    ax = fig.subplots()
    colors = plt.get_cmap("tab10")
    for digit in range(10):
        chosen = labels == digit
        ax.scatter(points[chosen, 0], points[chosen, 1], s=4, alpha=0.5, color=colors(digit), label=str(digit))
        if chosen.any():
            centre = points[chosen].mean(axis=0)
            ax.text(*centre, str(digit), fontsize=16, weight="bold", ha="center", va="center",
                    color=colors(digit), bbox={"facecolor": "white", "alpha": 0.7, "edgecolor": "none"})
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.legend(markerscale=4, fontsize=8, ncols=2, title="class")
    fig.suptitle(title)
    return fig


def plot_playground(view, *, title="What the CNN sees and says"):
    """Draw what the playground shows: the image read, the 10 probabilities, the strongest maps.

    Parameters
    ----------
    view : mnist_lessons.widgets.View
        What ``mnist_lessons.widgets.look(model, image)`` returned.
    title : str
        Figure title.

    Returns
    -------
    matplotlib.figure.Figure
    """
    from mnist_lessons.widgets import View

    _check_title(title)
    if not isinstance(view, View):
        raise TypeError(f"view must be what mnist_lessons.widgets.look returned; got {type(view).__name__}.")
    layers = list(view.maps)
    per_row = max(len(indices) for indices, _ in view.maps.values()) if layers else 0
    fig = _new_figure((4.6 + 1.25 * per_row, 3.4))
    grid = fig.add_gridspec(max(len(layers), 1), 2 + per_row, width_ratios=[1.3, 2.2] + [1] * per_row)
    image_ax = fig.add_subplot(grid[:, 0])
    image_ax.imshow(view.image, cmap="gray_r", vmin=0, vmax=1)
    _hide_ticks(image_ax)
    image_ax.set_title("what it reads (28×28)", fontsize=9)
    bar_ax = fig.add_subplot(grid[:, 1])
    colors = [NEUTRAL] * 10
    colors[view.prediction] = "tab:blue"
    bar_ax.bar(range(10), view.probabilities, color=colors)
    bar_ax.set_ylim(0, 1)
    bar_ax.set_xticks(range(10))
    bar_ax.set_xlabel("class")
    bar_ax.set_ylabel("probability")
    bar_ax.set_title(f"prediction {view.prediction} ({view.probabilities[view.prediction]:.2f})", fontsize=9)
    for row, name in enumerate(layers):
        indices, maps = view.maps[name]
        for k, (index, values) in enumerate(zip(indices, maps)):
            ax = fig.add_subplot(grid[row, 2 + k])
            ax.imshow(values, cmap="viridis", vmin=0, vmax=float(maps.max()) or 1.0)
            _hide_ticks(ax)
            ax.set_title(f"{name} map {index}", fontsize=8)
    fig.suptitle(title)
    return fig


def plot_filter_view(image, kernel, feature_map, *, title, channel=0, layer="conv1"):
    """Draw a digit, one filter's 3×3 kernel and the feature map it produces, side by side.

    Parameters
    ----------
    image : numpy.ndarray
        ``(28, 28)`` or ``(28, 28, 1)``, floats in [0, 1].
    kernel : numpy.ndarray, shape (3, 3)
    feature_map : numpy.ndarray, shape (h, w)
    title : str
    channel : int, default=0
        Which input channel ``kernel`` is a slice of (see ``widgets.explore``).
    layer : str, default="conv1"
        The layer, named in the kernel's label.

    Returns
    -------
    matplotlib.figure.Figure
    """
    _check_title(title)
    pixels, vmax = _display_images(image, name="image", batch=False)
    kernel, feature_map = np.asarray(kernel, dtype=float), np.asarray(feature_map, dtype=float)
    if kernel.ndim != 2 or feature_map.ndim != 2:
        raise ValueError(f"kernel and feature_map must be 2-D; got shapes {kernel.shape} and {feature_map.shape}.")
    fig = _new_figure((9, 3.2))
    image_ax, kernel_ax, map_ax = fig.subplots(1, 3)
    image_ax.imshow(pixels, cmap="gray_r", vmin=0, vmax=vmax)
    image_ax.set_title("digit", fontsize=9)
    limit = float(np.abs(kernel).max()) or 1.0
    kernel_ax.imshow(kernel, cmap="RdBu", vmin=-limit, vmax=limit)
    for (r, c), value in np.ndenumerate(kernel):
        kernel_ax.text(c, r, f"{value:.2f}", ha="center", va="center", fontsize=8)
    kernel_ax.set_title("kernel (blue > 0 > red)" if layer == "conv1"
                        else f"kernel slice for pool1 map {channel}\n(blue > 0 > red)", fontsize=9)
    shown = map_ax.imshow(feature_map, cmap="viridis")
    map_ax.set_title(f"feature map {feature_map.shape[0]}×{feature_map.shape[1]}", fontsize=9)
    fig.colorbar(shown, ax=map_ax, shrink=0.8)
    for ax in (image_ax, kernel_ax, map_ax):
        _hide_ticks(ax)
    fig.suptitle(title)
    return fig
