"""Figures of images and pixel grids: digits, one digit's numbers, flattening, receptive fields, tables of maps."""

import matplotlib.patches
import numpy as np

from mnist_lessons.checks import check_choice, check_int, check_labels, check_pair, check_text
from mnist_lessons.constants import IMAGE_SIDE, N_PIXELS
from mnist_lessons.plots._base import (
    CORRECT,
    SIGNED_CMAP,
    SIGNED_NOTE,
    WRONG,
    display_images,
    grid,
    hide_ticks,
    new_figure,
    signed_limit,
)


def plot_digits(images, labels=None, predictions=None, *, probabilities=None, captions=None, ncols=10,
                title="MNIST digits"):
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
    captions : sequence of str, optional
        One text per digit, written under it (e.g. "shift −2"); not together
        with ``probabilities``.
    ncols : int, default=10
        Digits per row.
    title : str
        Figure title.

    Returns
    -------
    matplotlib.figure.Figure
    """
    check_text(title, "title")
    pixels, vmax = display_images(images)
    n = len(pixels)
    if n > 100:
        raise ValueError(f"plot_digits draws at most 100 digits; got {n}. Pass a slice, e.g. images[:30].")
    labels = None if labels is None else check_labels(labels, n)
    predictions = None if predictions is None else check_labels(predictions, n, name="predictions")
    if probabilities is not None:
        probabilities = np.asarray(probabilities, dtype=float)
        if probabilities.shape != (n,) or probabilities.min() < 0 or probabilities.max() > 1:
            raise ValueError(
                f"probabilities must be {n} numbers in [0, 1], one per digit; got shape {probabilities.shape}.")
    if captions is not None:
        if probabilities is not None:
            raise ValueError("give probabilities or captions, not both: both are written under the digits.")
        if isinstance(captions, str) or len(captions) != n or not all(isinstance(text, str) for text in captions):
            raise ValueError(f"captions must be {n} strings, one per digit; got {captions!r}.")
    below = captions if captions is not None else None if probabilities is None else [f"{p:.2f}" for p in probabilities]
    fig, axes = grid(n, ncols, extra_height=0.6 if below is None else 0.9)
    for i, ax in enumerate(axes):
        ax.imshow(pixels[i], cmap="gray_r", vmin=0, vmax=vmax)
        hide_ticks(ax)
        if labels is not None and predictions is not None:
            right = labels[i] == predictions[i]
            ax.set_title(f"{labels[i]}" if right else f"{labels[i]}→{predictions[i]}",
                         color=CORRECT if right else WRONG, fontsize=10)
        elif labels is not None:
            ax.set_title(str(labels[i]), fontsize=10)
        elif predictions is not None:
            ax.set_title(f"pred {predictions[i]}", fontsize=10)
        if below is not None:
            ax.set_xlabel(below[i], fontsize=9)
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
    check_text(title, "title")
    pixels, vmax = display_images(image, name="image", batch=False)
    fig = new_figure((11, 11))
    ax = fig.subplots()
    ax.imshow(pixels, cmap="gray_r", vmin=0, vmax=vmax)
    for (row, col), value in np.ndenumerate(pixels):
        if value:
            text = f"{value}" if vmax == 255 else f"{value:.2f}".lstrip("0")
            ax.text(col, row, text, ha="center", va="center", fontsize=5.5,
                    color="white" if value > vmax / 2 else "black")
    ax.set_xticks(range(0, IMAGE_SIDE, 2))
    ax.set_yticks(range(0, IMAGE_SIDE, 2))
    ax.set_xlabel("column")
    ax.set_ylabel("row")
    ax.set_title(title + f" (0 = white, {vmax:g} = black; zeros left blank)")
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
    check_text(title, "title")
    pixels, vmax = display_images(image, name="image", batch=False)
    row, col = check_pair(pixel, "pixel", low=1, high=IMAGE_SIDE - 2, why=", so that it has four neighbours")
    marks = {"pixel": (row, col, "tab:red"), "left": (row, col - 1, "tab:orange"),
             "right": (row, col + 1, "tab:orange"), "above": (row - 1, col, "tab:blue"),
             "below": (row + 1, col, "tab:blue")}
    fig = new_figure((11, 6))
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
    strip_ax.imshow(pixels.reshape(1, N_PIXELS), cmap="gray_r", vmin=0, vmax=vmax, aspect="auto",
                    interpolation="nearest")
    for name, (r, c, color) in marks.items():
        index = IMAGE_SIDE * r + c
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
    strip_ax.set_xlabel(f"position in the flattened vector (pixel ({row}, {col}) is at {IMAGE_SIDE * row + col})")
    strip_ax.set_ylabel("1 px")
    fig.suptitle(title)
    return fig


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
    check_text(title, "title")
    pixels, vmax = display_images(image, name="image", batch=False)
    size = check_int(size, "size", low=1, high=IMAGE_SIDE)
    row, col = check_pair(top_left, "top_left", low=0, high=IMAGE_SIDE - size,
                           why=f", so that a {size}×{size} square fits in the image")
    fig = new_figure((4.5, 4.8))
    ax = fig.subplots()
    ax.imshow(pixels, cmap="gray_r", vmin=0, vmax=vmax)
    ax.add_patch(matplotlib.patches.Rectangle((col - 0.5, row - 0.5), size, size, fill=False,
                                              edgecolor="tab:red", linewidth=2.5))
    ax.set_xlabel("column")
    ax.set_ylabel("row")
    ax.set_title(f"{size}×{size} pixels from ({row}, {col})", fontsize=10)
    fig.suptitle(title)
    return fig


def plot_map_grid(maps, *, row_labels, col_labels, title, kind=None, diverging=True, bar_label="activation"):
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
    kind : {"signed", "activation", "image"} or None
        How to colour the maps:

        * ``"signed"``: each map on its own scale symmetric around 0, in the
          book's signed colours (blue positive, red negative), for kernels and
          filter responses before a ReLU;
        * ``"activation"``: every map of a row on one scale from 0 to the row's
          largest value, in viridis, with a colour bar per row, so that an exact 0
          (no response) is obviously the darkest colour, for feature maps after a
          ReLU or pooling (they are never negative);
        * ``"image"``: each map on its own grey scale from its minimum (white) to
          its maximum (black), for digits.

        None: ``"signed"`` if ``diverging`` else ``"image"``.
    diverging : bool, default=True
        Used only when ``kind`` is None (the argument of earlier versions).
    bar_label : str, default="activation"
        With ``kind="activation"``, the label of every colour bar: what the values are. For
        maps that are not a layer's output (a weight change, a fraction of digits), name them,
        e.g. "÷ largest value"; the title then says only that 0 is the darkest, not that it
        means no response. Keep it short: a row is 1.6 inches high.

    Returns
    -------
    matplotlib.figure.Figure
    """
    check_text(title, "title")
    check_text(bar_label, "bar_label")
    kind = check_choice(("signed" if diverging else "image") if kind is None else kind, "kind",
                        ("signed", "activation", "image"))
    if bar_label != "activation" and kind != "activation":
        raise ValueError(f'bar_label labels the colour bars of kind="activation"; kind={kind!r} draws none. '
                         "Leave bar_label out, or use kind=\"activation\".")
    maps = _map_table(maps)
    rows, cols = len(maps), len(maps[0])
    if len(row_labels) != rows or len(col_labels) != cols:
        raise ValueError(
            f"need {rows} row labels and {cols} column labels for {rows}×{cols} maps; "
            f"got {len(row_labels)} and {len(col_labels)}."
        )
    if rows * cols > 200:
        raise ValueError(f"plot_map_grid draws at most 200 maps; got {rows}×{cols}.")
    if kind == "activation" and any(cell.min() < 0 for row in maps for cell in row):
        raise ValueError('kind="activation" draws values from 0 up, but some maps are negative; use kind="signed".')
    fig = new_figure((1.6 * cols + (1.4 if kind == "activation" else 0.6), 1.6 * rows + 0.6))
    axes = fig.subplots(rows, cols, squeeze=False)
    for r in range(rows):
        row_top = max(float(cell.max()) for cell in maps[r]) or 1.0
        for c in range(cols):
            ax, values = axes[r, c], maps[r][c]
            if kind == "signed":
                limit = signed_limit(values)
                shown = ax.imshow(values, cmap=SIGNED_CMAP, vmin=-limit, vmax=limit)
            elif kind == "activation":
                shown = ax.imshow(values, cmap="viridis", vmin=0, vmax=row_top)
            else:
                shown = ax.imshow(values, cmap="gray_r")
            hide_ticks(ax)
            if r == 0:
                ax.set_title(col_labels[c], fontsize=9)
            if c == 0:
                ax.set_ylabel(row_labels[r], fontsize=9)
        if kind == "activation":
            # A short label: one row is 1.6 inches high, and a longer one ran into the next row's.
            fig.colorbar(shown, ax=list(axes[r]), shrink=0.9, label=bar_label)
    zero = "0, no response," if bar_label == "activation" else "0"
    scale = {"signed": f"each on its own scale, {SIGNED_NOTE}",
             "activation": f"each row on one scale; {zero} is the darkest",
             "image": "each on its own grey scale"}[kind]
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
