"""Change a digit on purpose: shift, rotate, add noise, erase a patch.

Used by the playground's perturbation explorer; each function takes one 28×28
image with pixels in [0, 1] and returns a new one, leaving its input unchanged.
"""

import numbers

import numpy as np

from mnist_lessons.checks import check_scaled_images
from mnist_lessons.shifts import shift_images


def _image(image):
    array = check_scaled_images(image, batch=False, name="image")
    return array.reshape(28, 28)


def _number(value, name, low, high):
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not low <= value <= high:
        raise ValueError(f"{name} must be a number from {low} to {high}; got {value!r}.")
    return float(value)


def rotate(image, degrees):
    """Rotate a 28×28 image about its centre, counter-clockwise, with bilinear interpolation.

    Pixels that come from outside the image are background (0).
    """
    image = _image(image)
    theta = np.deg2rad(_number(degrees, "degrees", -180, 180))
    centre = (28 - 1) / 2
    rows, cols = np.indices((28, 28), dtype=float)
    y, x = rows - centre, cols - centre
    # For every output pixel, where it comes from: the inverse rotation (y points down, so a
    # counter-clockwise turn on screen uses these signs).
    source_row = np.cos(theta) * y + np.sin(theta) * x + centre
    source_col = -np.sin(theta) * y + np.cos(theta) * x + centre
    top, left = np.floor(source_row).astype(int), np.floor(source_col).astype(int)
    fy, fx = source_row - top, source_col - left
    padded = np.pad(image, 1)                     # a ring of background around the image

    def at(r, c):
        inside = (r >= -1) & (r <= 28) & (c >= -1) & (c <= 28)
        return np.where(inside, padded[np.clip(r + 1, 0, 29), np.clip(c + 1, 0, 29)], 0.0)

    out = ((1 - fy) * (1 - fx) * at(top, left) + (1 - fy) * fx * at(top, left + 1)
           + fy * (1 - fx) * at(top + 1, left) + fy * fx * at(top + 1, left + 1))
    return np.clip(out, 0, 1).astype(np.float32)


def add_noise(image, level, *, seed=0):
    """Add Gaussian noise of standard deviation ``level`` (0 to 1), clipped to [0, 1]."""
    image = _image(image)
    level = _number(level, "level", 0, 1)
    noise = np.random.default_rng(seed).normal(0, level, image.shape)
    return np.clip(image + noise, 0, 1).astype(np.float32)


def erase(image, row, col, size):
    """Set a ``size``×``size`` square with top-left corner (row, col) to background."""
    image = _image(image).copy()
    for name, value in (("row", row), ("col", col), ("size", size)):
        if isinstance(value, bool) or not isinstance(value, numbers.Integral) or not 0 <= value <= 28:
            raise ValueError(f"{name} must be an int from 0 to 28; got {value!r}.")
    image[row:row + size, col:col + size] = 0
    return image


def perturb(image, *, down=0, right=0, degrees=0.0, noise=0.0, erase_size=0, erase_at=(10, 10), seed=0):
    """Apply, in this order, a rotation, a shift, an erased square and noise to one image.

    Parameters
    ----------
    image : numpy.ndarray
        ``(28, 28)`` or ``(28, 28, 1)``, floats in [0, 1].
    down, right : int
        Shift in pixels (negative: up, left), -10 to 10.
    degrees : float
        Counter-clockwise rotation, -180 to 180.
    noise : float
        Standard deviation of added Gaussian noise, 0 to 1.
    erase_size : int
        Side of the erased square (0: nothing erased).
    erase_at : (int, int)
        Top-left corner (row, column) of the erased square.
    seed : int
        Seed of the noise.

    Returns
    -------
    numpy.ndarray of float32, shape (28, 28)
    """
    out = rotate(image, degrees) if degrees else _image(image).copy()
    for name, value in (("down", down), ("right", right)):
        if isinstance(value, bool) or not isinstance(value, numbers.Integral) or not -10 <= value <= 10:
            raise ValueError(f"{name} must be an int from -10 to 10; got {value!r}.")
    if down or right:
        out = shift_images(out[None], down=down, right=right)[0]
    if erase_size:
        out = erase(out, *erase_at, erase_size)
    if noise:
        out = add_noise(out, noise, seed=seed)
    return out
