"""Figures of weights and activations: kernels, dense-layer weights, feature maps, one filter, a long vector."""

import keras
import numpy as np

from mnist_lessons.activations import layer_output
from mnist_lessons.checks import check_int, check_model, check_scaled_images, check_text, get_layer
from mnist_lessons.constants import IMAGE_SHAPE, N_PIXELS
from mnist_lessons.plots._base import (
    SIGNED_CMAP,
    SIGNED_NOTE,
    display_images,
    grid,
    hide_ticks,
    new_figure,
    signed_limit,
)


def _conv_layer(model, layer):
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
    in_channel = check_int(in_channel, f"in_channel of layer {layer.name!r}", low=0, high=channels - 1)
    weights = kernel[:, :, in_channel, :]
    limit = signed_limit(weights)
    n = weights.shape[-1]
    fig, axes = grid(n, ncols, cell=0.9, extra_height=0.9)
    for k, ax in enumerate(axes):
        image = ax.imshow(weights[:, :, k], cmap=SIGNED_CMAP, vmin=-limit, vmax=limit)
        hide_ticks(ax)
        ax.set_title(f"filter {k}", fontsize=8)
    fig.colorbar(image, ax=list(axes), shrink=0.8, label="weight")
    where = "" if channels == 1 else f", input channel {in_channel} of {channels}"
    fig.suptitle(f"Layer {layer.name!r}: {n} kernels of {weights.shape[0]}×{weights.shape[1]}{where}")
    return fig


def plot_dense_weights(model, layer, *, max_units=None, ncols=8):
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
    ncols : int, default=8
        Units per row (each drawn about an inch wide, large enough to see single pixels).

    Returns
    -------
    matplotlib.figure.Figure
        Each unit on its own colour scale, symmetric around 0.
    """
    check_model(model)
    layer = get_layer(model, layer)
    if not isinstance(layer, keras.layers.Dense):
        raise TypeError(f"Layer {layer.name!r} is a {type(layer).__name__}, not a Dense layer.")
    kernel = np.asarray(layer.kernel)
    if kernel.shape[0] != N_PIXELS:
        raise ValueError(
            f"Layer {layer.name!r} has {kernel.shape[0]} inputs, not {N_PIXELS} pixels, so its "
            "weights cannot be drawn as images; choose the Dense layer right after Flatten."
        )
    units = kernel.shape[1] if max_units is None else check_int(max_units, "max_units", low=1, high=kernel.shape[1])
    fig, axes = grid(units, ncols, cell=1.2, extra_height=0.5)
    for k, ax in enumerate(axes):
        weights = kernel[:, k].reshape(IMAGE_SHAPE)
        limit = signed_limit(weights)
        ax.imshow(weights, cmap=SIGNED_CMAP, vmin=-limit, vmax=limit)
        hide_ticks(ax)
        ax.set_title(str(k), fontsize=7)
    fig.suptitle(f"Layer {layer.name!r}: input weights of {units} of {kernel.shape[1]} units as "
                 "28×28 images (blue positive, red negative, each unit on its own scale)")
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
    count = maps.shape[-1] if max_maps is None else check_int(max_maps, "max_maps", low=1, high=maps.shape[-1])
    low, high = min(0.0, float(maps.min())), float(maps.max()) or 1.0
    fig, axes = grid(count, ncols, cell=1.1, extra_height=0.9)
    for k, ax in enumerate(axes):
        shown = ax.imshow(maps[:, :, k], cmap="viridis", vmin=low, vmax=high)
        hide_ticks(ax)
        ax.set_title(f"map {k}", fontsize=8)
    fig.colorbar(shown, ax=list(axes), shrink=0.8, label="activation")
    fig.suptitle(
        f"Layer {layer.name!r}: {count} of {maps.shape[-1]} feature maps, "
        f"each {maps.shape[0]}×{maps.shape[1]}"
    )
    return fig


def plot_filter_view(image, kernel, feature_map, *, title, layer="conv1", channel=None):
    """Draw a digit, one filter's kernel and the feature map it produces, side by side.

    Parameters
    ----------
    image : numpy.ndarray
        ``(28, 28)`` or ``(28, 28, 1)``, floats in [0, 1].
    kernel : numpy.ndarray, shape (k, k)
        The weights, written in their cells.
    feature_map : numpy.ndarray, shape (h, w)
    title : str
    layer : str, default="conv1"
        The layer, named in the kernel's label.
    channel : int or None, default=None
        None when the layer reads the image itself (all of the filter's weights are
        ``kernel``); otherwise the input map whose slice of the filter ``kernel`` is
        (see ``playground.explore``).

    Returns
    -------
    matplotlib.figure.Figure
    """
    check_text(title, "title")
    pixels, vmax = display_images(image, name="image", batch=False)
    kernel, feature_map = np.asarray(kernel, dtype=float), np.asarray(feature_map, dtype=float)
    if kernel.ndim != 2 or feature_map.ndim != 2:
        raise ValueError(f"kernel and feature_map must be 2-D; got shapes {kernel.shape} and {feature_map.shape}.")
    fig = new_figure((9, 3.2))
    image_ax, kernel_ax, map_ax = fig.subplots(1, 3)
    image_ax.imshow(pixels, cmap="gray_r", vmin=0, vmax=vmax)
    image_ax.set_title("digit", fontsize=9)
    limit = signed_limit(kernel)
    kernel_ax.imshow(kernel, cmap=SIGNED_CMAP, vmin=-limit, vmax=limit)
    for (r, c), value in np.ndenumerate(kernel):
        kernel_ax.text(c, r, f"{value:.2f}", ha="center", va="center", fontsize=8)
    kernel_ax.set_title(f"{layer} kernel ({SIGNED_NOTE})" if channel is None
                        else f"{layer} kernel, slice for input map {channel}\n({SIGNED_NOTE})", fontsize=9)
    shown = map_ax.imshow(feature_map, cmap="viridis")
    map_ax.set_title(f"feature map {feature_map.shape[0]}×{feature_map.shape[1]}", fontsize=9)
    fig.colorbar(shown, ax=map_ax, shrink=0.8)
    for ax in (image_ax, kernel_ax, map_ax):
        hide_ticks(ax)
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
        check_text(text, "a title or axis label")
    values = np.asarray(values)
    if values.ndim != 1 or not np.issubdtype(values.dtype, np.number) or not 2 <= len(values) <= 10_000:
        raise ValueError(f"values must be a 1-D numeric array of 2 to 10,000 entries; got shape {values.shape}.")
    fig = new_figure((12, 2.8))
    ax = fig.subplots()
    ax.bar(np.arange(len(values)), values, width=1.0, color="tab:blue")
    ax.set_xlim(-0.5, len(values) - 0.5)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.grid(alpha=0.3, axis="y")
    fig.suptitle(title)
    return fig
