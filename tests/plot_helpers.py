"""What the figure tests read back from a matplotlib figure: the arrays drawn, the bars, the colours."""

import numpy as np
from matplotlib.colors import to_rgba
from matplotlib.figure import Figure


def titled(fig):
    """Assert the figure is a Figure with a title; return it."""
    assert isinstance(fig, Figure)
    assert fig.get_suptitle()
    return fig


def labelled(ax):
    return bool(ax.get_xlabel() and ax.get_ylabel())


def image_axes(fig):
    """The visible axes that show an image, in order (colour bars excluded)."""
    return [ax for ax in fig.axes if ax.get_visible() and ax.images and ax.get_label() != "<colorbar>"]


def drawn(ax):
    """The array the axis' first image shows."""
    return np.asarray(ax.images[0].get_array())


def heights(ax):
    return np.array([patch.get_height() for patch in ax.patches])


def same_colour(a, b):
    return np.allclose(to_rgba(a), to_rgba(b))
