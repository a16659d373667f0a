"""Figures of attributions and embeddings: which pixels mattered, and where digits land in a learned space."""

import matplotlib.pyplot as plt
import numpy as np

from mnist_lessons.checks import check_int, check_labels, check_text
from mnist_lessons.constants import IMAGE_SHAPE
from mnist_lessons.plots._base import SIGNED_CMAP, SIGNED_NOTE, display_images, hide_ticks, new_figure, signed_limit


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
        Titles of the columns with signed values, drawn in the book's signed
        colours (blue positive, white 0, red negative, symmetric around 0); the
        others are drawn on a heat scale from 0 and must not be negative.

    Returns
    -------
    matplotlib.figure.Figure
        Every map with its own colour bar.
    """
    check_text(title, "title")
    pixels, vmax = display_images(images)
    n = check_int(len(pixels), "the number of images", low=1, high=10)
    if not isinstance(maps, dict) or not maps:
        raise TypeError("maps must be a non-empty dict {column title: array of shape (n, 28, 28)}; got "
                        f"{type(maps).__name__}.")
    unknown = set(diverging) - set(maps)
    if isinstance(diverging, str) or unknown:
        raise ValueError(f"diverging must list column titles of maps; {sorted(unknown) or diverging!r} are not.")
    arrays = {}
    for name, values in maps.items():
        values = np.asarray(values, dtype=float)
        if values.shape != (n,) + IMAGE_SHAPE:
            raise ValueError(f"maps[{name!r}] must have shape {(n,) + IMAGE_SHAPE}, one map per image; got "
                             f"{values.shape}.")
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
    fig = new_figure((2.1 * (1 + len(arrays)) + 0.4, 2.0 * n + 0.5))
    axes = fig.subplots(n, 1 + len(arrays), squeeze=False)
    for i in range(n):
        axes[i, 0].imshow(pixels[i], cmap="gray_r", vmin=0, vmax=vmax)
        axes[i, 0].set_ylabel(row_labels[i], fontsize=9)
        for ax, (name, values) in zip(axes[i, 1:], arrays.items()):
            value = values[i]
            if name in diverging:
                limit = signed_limit(value)
                shown = ax.imshow(value, cmap=SIGNED_CMAP, vmin=-limit, vmax=limit)
            else:
                shown = ax.imshow(value, cmap="hot_r", vmin=0, vmax=float(value.max()) or 1.0)
            fig.colorbar(shown, ax=ax, shrink=0.8)
            if pixels[i].max() > vmax / 2:   # a blank image has no stroke to outline
                ax.contour(pixels[i], levels=[vmax / 2], colors="tab:green", linewidths=0.8)
        for ax in axes[i]:
            hide_ticks(ax)
    for ax, name in zip(axes[0], ["image", *arrays]):
        ax.set_title(name, fontsize=10)
    signed = f"; signed maps {SIGNED_NOTE}" if diverging else ""
    fig.suptitle(f"{title} (green outline: the digit's strokes{signed})")
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
        check_text(text, "a title or axis label")
    points = np.asarray(points)
    if points.ndim != 2 or points.shape[1] != 2 or not np.issubdtype(points.dtype, np.number):
        raise ValueError(f"points must be numbers of shape (n, 2); got shape {points.shape}.")
    labels = check_labels(labels, len(points))
    fig = new_figure((7, 6))
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
