"""Bring any grey-level digit image to MNIST's format, the way MNIST itself was made.

LeCun et al. describe it: each digit was size-normalised to fit a 20×20 box
(keeping its aspect ratio, with anti-aliasing, hence the grey levels), then
placed in a 28×28 image so that its centre of mass sits at the centre. A model
trained on MNIST expects exactly that: digits of other sizes or positions are
read much worse (chapters 4, 8 and 9 measure how much).

Everything is plain NumPy, step by step, so that the book's page can do the same in
JavaScript (``mnist_lessons/web/prepare.js`` mirrors these functions, and
``tests/test_web_node.py`` compares the two). The resizing computes what
``tf.image.resize(..., method="bilinear", antialias=True)`` computes.
"""

import numpy as np

from mnist_lessons.constants import DIGIT_BOX, IMAGE_SIDE
from mnist_lessons.transforms import shift_images

BOX = DIGIT_BOX
SIZE = IMAGE_SIDE


def _check_images(images):
    array = np.asarray(images)
    if not np.issubdtype(array.dtype, np.floating):
        raise TypeError(
            f"images must be floats in [0, 1] with ink high and background 0; got dtype {array.dtype}. "
            "Divide integer pixels by their maximum first (255 for 8-bit images, 16 for scikit-learn's "
            "8×8 digits)."
        )
    if array.ndim != 3 or min(array.shape[1:], default=0) < 1:
        raise ValueError(
            f"images must be a batch shaped (n, height, width); got shape {array.shape}. "
            "For one image, pass image[np.newaxis]."
        )
    if array.size and not np.all(np.isfinite(array)):
        raise ValueError("images must hold values in [0, 1]; they contain NaN or infinity.")
    if array.size and (array.min() < 0 or array.max() > 1):
        raise ValueError(
            "images must hold values in [0, 1] (ink high, background 0); got values from "
            f"{array.min():g} to {array.max():g}. If the digits are dark on a light "
            "background, use 1 - images."
        )
    return array.astype(np.float32)


def resize_weights(in_size, out_size):
    """The matrix that resizes one axis from ``in_size`` to ``out_size`` pixels, bilinear and anti-aliased.

    Output pixel ``x`` is centred at ``(x + 0.5) / scale`` in input coordinates
    (``scale = out_size / in_size``); it averages the input pixels under a triangle
    one input pixel wide when enlarging, and ``1 / scale`` pixels wide when
    shrinking, so that every input pixel counts (the anti-aliasing). The weights
    of each output pixel add up to 1.

    Returns
    -------
    numpy.ndarray of float32, shape (out_size, in_size)
        ``resize_weights(h, new_h) @ image @ resize_weights(w, new_w).T`` is the resized image.

    Examples
    --------
    >>> resize_weights(4, 2).round(3)    # halving: each output weighs its two nearest pixels most
    array([[0.429, 0.429, 0.143, 0.   ],
           [0.   , 0.143, 0.429, 0.429]], dtype=float32)
    """
    inverse = in_size / out_size
    radius = max(inverse, 1.0)                     # the triangle's half-width, in input pixels
    weights = np.zeros((out_size, in_size), np.float32)
    for x in range(out_size):
        centre = (x + 0.5) * inverse
        first = max(int(np.floor(centre - radius + 0.5)), 0)
        last = min(int(np.ceil(centre + radius - 0.5)), in_size)
        sources = np.arange(first, last) + 0.5       # the centres of the input pixels it may use
        triangle = np.maximum(0.0, 1.0 - np.abs(sources - centre) / radius)
        if triangle.sum() > 0:
            weights[x, first:last] = triangle / triangle.sum()
    return weights


def resize(image, height, width):
    """Resize a 2-D image to ``height``×``width`` (bilinear, anti-aliased, like ``tf.image.resize``)."""
    image = np.asarray(image, dtype=np.float32)
    rows = resize_weights(image.shape[0], height)
    cols = resize_weights(image.shape[1], width)
    return rows @ image @ cols.T


def centre_of_mass(image):
    """Return the (row, column) centre of mass of a 2-D image's ink, in pixel-index units."""
    image = np.asarray(image, dtype=np.float64)
    total = image.sum()
    rows, cols = np.indices(image.shape)
    return float((rows * image).sum() / total), float((cols * image).sum() / total)


def _whole_pixels(distance):
    """The nearest whole number of pixels; a half goes to the even neighbour.

    A symmetric digit puts its centre of mass exactly half a pixel from the middle, where the last
    bits of the sums decide the rounding. Rounding to a millionth of a pixel first makes such ties
    exact, so that the book page's JavaScript, which adds in another order, moves the digit alike.
    """
    return round(round(distance, 6))


def _steps(image):
    """Every stage of the preparation of one image, as a dict; "centred" is the result."""
    ink = np.argwhere(image > 0)
    if len(ink) == 0:
        blank = np.zeros((SIZE, SIZE), np.float32)      # nothing drawn: stays blank
        return {"cropped": image[:0, :0], "resized": blank[:0, :0], "boxed": blank, "centred": blank}
    (top, left), (bottom, right) = ink.min(axis=0), ink.max(axis=0) + 1
    cropped = image[top:bottom, left:right]
    height, width = cropped.shape
    scale = BOX / max(height, width)
    new_height, new_width = max(1, round(height * scale)), max(1, round(width * scale))
    resized = np.clip(resize(cropped, new_height, new_width), 0, 1)
    boxed = np.zeros((SIZE, SIZE), np.float32)
    row, col = (SIZE - new_height) // 2, (SIZE - new_width) // 2
    boxed[row:row + new_height, col:col + new_width] = resized
    centred = boxed
    if boxed.sum() > 0:
        centre_row, centre_col = centre_of_mass(boxed)
        # Move the centre of mass to the middle of the field (13.5, 13.5 in index units), but never
        # so far that ink would leave the 28×28 image.
        down = int(np.clip(_whole_pixels((SIZE - 1) / 2 - centre_row), -row, SIZE - (row + new_height)))
        right = int(np.clip(_whole_pixels((SIZE - 1) / 2 - centre_col), -col, SIZE - (col + new_width)))
        centred = shift_images(boxed[None], down=down, right=right)[0]
    return {"cropped": cropped, "resized": resized, "boxed": boxed, "centred": centred}


def preparation_steps(image):
    """Show how ``to_mnist_format`` prepares one image, stage by stage.

    Parameters
    ----------
    image : array-like, shape (height, width)
        Floats in [0, 1], ink high.

    Returns
    -------
    dict
        ``"cropped"`` (the ink's bounding box), ``"resized"`` (longer side
        20 pixels), ``"boxed"`` (placed in the middle of a 28×28 image) and
        ``"centred"`` (moved so that its centre of mass is at the centre: what
        ``to_mnist_format`` returns).
    """
    return _steps(_check_images(np.asarray(image)[np.newaxis])[0])


def to_mnist_format(images):
    """Fit each digit into a 20×20 box and centre its mass in a 28×28 image, as MNIST was made.

    Parameters
    ----------
    images : array-like, shape (n, height, width)
        Floats in [0, 1], ink high and background 0, of any size (e.g.
        scikit-learn's 8×8 digits divided by 16, or a drawing pad).

    Returns
    -------
    numpy.ndarray of float32, shape (n, 28, 28)
        Each digit cropped to its ink (every pixel above 0 counts, so remove
        faint noise first), resized (keeping its aspect ratio; anti-aliased
        when shrinking) so that its longer side is 20 pixels, and placed so that
        its centre of mass is within half a pixel of the centre. An image with
        no ink stays blank. A very lopsided digit is moved only as far as its
        20×20 box stays inside the image, so no ink is cut off.

    Raises
    ------
    TypeError, ValueError
        If the images are not a batch of floats in [0, 1].

    Examples
    --------
    >>> bar = np.zeros((1, 100, 100), "float32")
    >>> bar[0, 10:90, 70:80] = 1.0                  # a tall bar at the right of a big pad
    >>> image = to_mnist_format(bar)[0]
    >>> image.shape, int((image.sum(axis=1) > 0).sum())       # 20 rows of ink, now centred
    ((28, 28), 20)
    """
    images = _check_images(images)
    if not len(images):
        return np.zeros((0, SIZE, SIZE), np.float32)
    return np.stack([_steps(image)["centred"] for image in images])
