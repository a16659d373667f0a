"""What every figure of the book shares: its creation, hidden ticks, the colours, one signed colour map.

Every plotting function returns a ``matplotlib.figure.Figure`` that is already
closed in pyplot, so a notebook cell that ends with the call shows it exactly once
(as the cell's result); in a script, save it with ``fig.savefig(path)``.

One colour convention holds across the book: signed values (weights, filter
responses, logits' contributions, occlusion) are drawn with ``SIGNED_CMAP``, blue
for positive and red for negative, white at 0, on a scale symmetric around 0.
"""

import math

import matplotlib.pyplot as plt
import numpy as np

from mnist_lessons.checks import check_image_shape, check_int, check_scaled_images
from mnist_lessons.constants import IMAGE_SHAPE, PIXEL_MAX

CORRECT, WRONG, NEUTRAL = "tab:green", "tab:red", "tab:gray"
SIGNED_CMAP = "RdBu"          # red (negative) - white (0) - blue (positive)
SIGNED_NOTE = "blue > 0 > red"


def display_images(images, name="images", batch=True):
    """Return images to draw (uint8 0..255 or floats in [0, 1]) without a channel axis, and their maximum."""
    array = np.asarray(images)
    if array.dtype != np.uint8 and not np.issubdtype(array.dtype, np.floating):
        raise TypeError(
            f"{name} must be uint8 pixels 0..255 or floating-point pixels in [0, 1]; got dtype "
            f"{array.dtype}. Convert 0..255 integers with .astype('uint8')."
        )
    if array.dtype == np.uint8:
        check_image_shape(array.shape, batch=batch, name=name)
        return array.reshape(array.shape[: 1 if batch else 0] + IMAGE_SHAPE), PIXEL_MAX
    array = check_scaled_images(array, batch=batch, name=name)
    return array.reshape(array.shape[: 1 if batch else 0] + IMAGE_SHAPE), 1.0


def new_figure(figsize):
    """A figure with constrained layout, created through pyplot and closed at once.

    Created through pyplot so that Jupyter's inline backend knows how to display it; closed so
    that it is displayed once, as the returned value, not again at the end of the cell.
    """
    fig = plt.figure(figsize=figsize, layout="constrained")
    plt.close(fig)
    return fig


def hide_ticks(ax):
    """Remove both axes' ticks (for images, where pixel indices would only clutter)."""
    ax.set_xticks([])
    ax.set_yticks([])


def signed_limit(values):
    """The half-range of a colour scale symmetric around 0 that holds ``values`` (1 if all are 0)."""
    return float(np.abs(values).max()) or 1.0


def grid(n, ncols, cell=1.0, extra_height=0.6):
    """A figure with ``n`` axes in rows of ``ncols``; the unused cells of the last row are hidden."""
    ncols = min(check_int(ncols, "ncols", low=1, high=100), n)
    nrows = math.ceil(n / ncols)
    fig = new_figure((cell * ncols, cell * nrows + extra_height))
    axes = np.atleast_1d(fig.subplots(nrows, ncols, squeeze=False).ravel())
    for ax in axes[n:]:
        ax.set_visible(False)
    return fig, axes[:n]
