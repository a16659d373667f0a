"""Scramble the pixel positions of digits with one fixed permutation.

A dense layer gives every input position its own weight and has no notion of
which pixels are neighbours, so an MLP learns scrambled digits as well as
intact ones; a convolution does not. Chapters 2 and 4 use the same
permutation, made here.
"""

import numpy as np

from mnist_lessons.checks import check_int, check_scaled_images
from mnist_lessons.constants import N_PIXELS


def pixel_permutation(seed=0, size=N_PIXELS):
    """Return a fixed random order of the ``size`` pixel positions.

    Parameters
    ----------
    seed : int, default=0
        The same seed always gives the same permutation.
    size : int, default=784
        Number of pixels per image (28 × 28).

    Returns
    -------
    numpy.ndarray of int64, shape (size,)
        ``permutation[i]`` is the original position of the pixel that lands at
        position ``i``.

    Examples
    --------
    >>> p = pixel_permutation()
    >>> p.shape, sorted(p) == list(range(784))
    ((784,), True)
    """
    seed = check_int(seed, "seed", low=0)
    size = check_int(size, "size", low=2)
    return np.random.default_rng(seed).permutation(size)


def permute_pixels(images, permutation):
    """Move the pixels of every image to new positions, the same for all images.

    Parameters
    ----------
    images : numpy.ndarray
        A batch ``(n, 28, 28)`` or ``(n, 28, 28, 1)`` of floats in [0, 1].
    permutation : numpy.ndarray of int, shape (784,)
        From ``pixel_permutation``: a reordering of 0..783.

    Returns
    -------
    numpy.ndarray
        The scrambled images, same shape and dtype: pixel ``i`` of the
        flattened result is pixel ``permutation[i]`` of the flattened input.
    """
    images = check_scaled_images(images, batch=True)
    permutation = np.asarray(permutation)
    if permutation.shape != (N_PIXELS,) or not np.issubdtype(permutation.dtype, np.integer) \
            or not np.array_equal(np.sort(permutation), np.arange(N_PIXELS)):
        raise ValueError(
            "permutation must be a reordering of the 784 pixel positions 0..783 (from "
            f"pixel_permutation()); got an array of shape {permutation.shape} and dtype "
            f"{permutation.dtype}."
        )
    flat = images.reshape(len(images), N_PIXELS)
    return flat[:, permutation].reshape(images.shape)
