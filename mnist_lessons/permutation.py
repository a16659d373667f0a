"""Scramble the pixel positions of digits with one fixed permutation.

A dense layer gives every input position its own weight and has no notion of
which pixels are neighbours, so an MLP learns scrambled digits as well as
intact ones; a convolution does not. Chapters 2 and 4 use the same
permutation, made here.
"""

import numpy as np

from mnist_lessons.checks import check_scaled_images


def pixel_permutation(seed=0, size=784):
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
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)):
        raise TypeError(f"seed must be an int; got {seed!r}.")
    if isinstance(size, bool) or not isinstance(size, (int, np.integer)) or size < 2:
        raise ValueError(f"size must be an int of at least 2; got {size!r}.")
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
    if permutation.shape != (784,) or not np.issubdtype(permutation.dtype, np.integer) \
            or not np.array_equal(np.sort(permutation), np.arange(784)):
        raise ValueError(
            "permutation must be a reordering of the 784 pixel positions 0..783 (from "
            f"pixel_permutation()); got an array of shape {permutation.shape} and dtype "
            f"{permutation.dtype}."
        )
    flat = images.reshape(len(images), 784)
    return flat[:, permutation].reshape(images.shape)
