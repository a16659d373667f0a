"""Change digits on purpose: shift, rotate, add noise, erase a square.

Chapter 4 shifts whole test sets to measure how much position matters; the
playground's perturbation explorer (chapter 9) combines all four on one digit;
``to_mnist_format`` uses the shift to centre a drawing. Every function returns new
arrays and leaves its input unchanged.
"""

import numpy as np

from mnist_lessons.checks import check_int, check_number, check_pair, check_scaled_images
from mnist_lessons.constants import IMAGE_SHAPE, IMAGE_SIDE

MAX_SHIFT = 10   # perturb's shifts, and the playground's sliders: up to 10 pixels each way


def shift_images(images, down=0, right=0):
    """Shift every image by whole pixels, filling the uncovered border with 0 (no ink).

    Unlike ``numpy.roll``, nothing wraps around: ink pushed past an edge is lost.

    Parameters
    ----------
    images : numpy.ndarray
        A batch ``(n, 28, 28)`` or ``(n, 28, 28, 1)`` of floats in [0, 1].
    down, right : int, default=0
        Pixels to move down and to the right; negative values move up and left.
        At most 27 in either direction.

    Returns
    -------
    numpy.ndarray
        The shifted images, same shape and dtype.

    Raises
    ------
    TypeError
        If a shift is not an int (1.5 pixels cannot be shifted without resampling).
    ValueError
        If a shift is beyond 27 pixels, or the images are not scaled MNIST images.

    Examples
    --------
    >>> import numpy as np
    >>> x = np.zeros((1, 28, 28), "float32"); x[0, 10, 10] = 1
    >>> np.argwhere(shift_images(x, down=2, right=-3)[0])
    array([[12,  7]])
    """
    images = check_scaled_images(images, batch=True)
    limit = IMAGE_SIDE - 1
    down = check_int(down, "down", low=-limit, high=limit)
    right = check_int(right, "right", low=-limit, high=limit)
    shifted = np.zeros_like(images)
    side = IMAGE_SIDE
    source_rows = slice(max(0, -down), side - max(0, down))
    target_rows = slice(max(0, down), side - max(0, -down))
    source_cols = slice(max(0, -right), side - max(0, right))
    target_cols = slice(max(0, right), side - max(0, -right))
    shifted[:, target_rows, target_cols] = images[:, source_rows, source_cols]
    return shifted


def _image(image):
    return check_scaled_images(image, batch=False, name="image").reshape(IMAGE_SHAPE)


def rotate(image, degrees):
    """Rotate a 28×28 image about its centre, counter-clockwise, with bilinear interpolation.

    Pixels that come from outside the image are background (0). ``degrees`` is a
    number from -180 to 180.
    """
    image = _image(image)
    theta = np.deg2rad(check_number(degrees, "degrees", low=-180, high=180))
    centre = (IMAGE_SIDE - 1) / 2
    rows, cols = np.indices(IMAGE_SHAPE, dtype=float)
    y, x = rows - centre, cols - centre
    # For every output pixel, where it comes from: the inverse rotation (y points down, so a
    # counter-clockwise turn on screen uses these signs).
    source_row = np.cos(theta) * y + np.sin(theta) * x + centre
    source_col = -np.sin(theta) * y + np.cos(theta) * x + centre
    top, left = np.floor(source_row).astype(int), np.floor(source_col).astype(int)
    fy, fx = source_row - top, source_col - left
    padded = np.pad(image, 1)                     # a ring of background around the image
    last = IMAGE_SIDE + 1                         # the padded image's last index

    def at(r, c):
        inside = (r >= -1) & (r <= IMAGE_SIDE) & (c >= -1) & (c <= IMAGE_SIDE)
        return np.where(inside, padded[np.clip(r + 1, 0, last), np.clip(c + 1, 0, last)], 0.0)

    out = ((1 - fy) * (1 - fx) * at(top, left) + (1 - fy) * fx * at(top, left + 1)
           + fy * (1 - fx) * at(top + 1, left) + fy * fx * at(top + 1, left + 1))
    return np.clip(out, 0, 1).astype(np.float32)


def add_noise(image, level, *, seed=0):
    """Add Gaussian noise of standard deviation ``level`` (0 to 1), clipped to [0, 1].

    The same ``seed`` gives the same noise pattern.
    """
    image = _image(image)
    level = check_number(level, "level", low=0, high=1)
    noise = np.random.default_rng(check_int(seed, "seed", low=0)).normal(0, level, image.shape)
    return np.clip(image + noise, 0, 1).astype(np.float32)


def erase(image, row, col, size):
    """Set a ``size``×``size`` square with top-left corner (row, col) to background."""
    image = _image(image).copy()
    row = check_int(row, "row", low=0, high=IMAGE_SIDE)
    col = check_int(col, "col", low=0, high=IMAGE_SIDE)
    size = check_int(size, "size", low=0, high=IMAGE_SIDE)
    image[row:row + size, col:col + size] = 0
    return image


def perturb(image, *, down=0, right=0, degrees=0.0, noise=0.0, erase_size=0, erase_at=(10, 10), seed=0):
    """Apply, in this order, a rotation, a shift, an erased square and noise to one image.

    The rotation turns about the centre of the image, before the shift moves the
    result.

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

    Raises
    ------
    TypeError, ValueError
        If an argument has the wrong type or is out of its range.
    """
    down = check_int(down, "down", low=-MAX_SHIFT, high=MAX_SHIFT)
    right = check_int(right, "right", low=-MAX_SHIFT, high=MAX_SHIFT)
    check_number(degrees, "degrees", low=-180, high=180)
    check_number(noise, "noise", low=0, high=1)
    check_int(erase_size, "erase_size", low=0, high=IMAGE_SIDE)
    erase_at = check_pair(erase_at, "erase_at", low=0, high=IMAGE_SIDE)
    out = rotate(image, degrees) if degrees else _image(image).copy()
    if down or right:
        out = shift_images(out[None], down=down, right=right)[0]
    if erase_size:
        out = erase(out, *erase_at, erase_size)
    if noise:
        out = add_noise(out, noise, seed=seed)
    return out
