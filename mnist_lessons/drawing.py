"""Turn pen strokes into a grey-level image, as when you draw a digit.

A stroke is a sequence of (x, y) points, x to the right and y downwards, in
pixel units of a ``size``×``size`` canvas whose top-left corner is (0, 0), so the
centre of pixel (row r, column c) is (c + 0.5, r + 0.5). The pen is round,
with soft (anti-aliased) edges, and ink is 1.0 on a background of 0.0, as in
the scaled MNIST images.
"""

import numpy as np

from mnist_lessons.checks import check_int, check_number
from mnist_lessons.constants import IMAGE_SIDE


def _segment_distance(x, y, start, end):
    """Distance from every point (x, y) to the segment start-end (which may be a single point)."""
    direction = end - start
    length_squared = float(direction @ direction)
    if length_squared == 0:
        t = np.zeros_like(x)
    else:
        t = np.clip(((x - start[0]) * direction[0] + (y - start[1]) * direction[1]) / length_squared, 0, 1)
    across, down = x - (start[0] + t * direction[0]), y - (start[1] + t * direction[1])
    # sqrt of the sum of squares, in this order, as the book page's JavaScript computes it: the same
    # operations on the same doubles give the same bits, so both find the same inked pixels.
    return np.sqrt(across * across + down * down)


def _check_strokes(strokes, size):
    if isinstance(strokes, np.ndarray) or not isinstance(strokes, (list, tuple)):
        raise TypeError(
            "strokes must be a list of strokes, each a sequence of (x, y) points, e.g. "
            f"[[(5, 5), (20, 20)]]; got {type(strokes).__name__}."
        )
    checked = []
    for i, stroke in enumerate(strokes):
        if isinstance(stroke, str) or not hasattr(stroke, "__len__"):
            raise ValueError(f"stroke {i} must be a sequence of (x, y) pairs; got {stroke!r}.")
        if len(stroke) == 2 and all(isinstance(v, (int, float, np.number)) for v in stroke):
            raise ValueError(
                f"stroke {i} is a single point {tuple(stroke)}, not a sequence of points; wrap each "
                "stroke in a list, e.g. [[(5, 5), (20, 20)]] for one stroke."
            )
        try:
            points = np.asarray(stroke, dtype=float) if len(stroke) else np.zeros((0, 2))
        except (TypeError, ValueError):
            raise ValueError(f"stroke {i} must be a sequence of (x, y) pairs of numbers; got {stroke!r}.") from None
        if points.ndim != 2 or points.shape[1] != 2:
            raise ValueError(f"stroke {i} must be a sequence of (x, y) pairs; got shape {points.shape}.")
        if not np.all(np.isfinite(points)):
            raise ValueError(f"stroke {i} has a point that is not a finite number.")
        if len(points) and (points.min() < 0 or points.max() > size):
            raise ValueError(
                f"stroke {i} leaves the {size}×{size} canvas: coordinates must be in [0, {size}]; "
                f"got values from {points.min():g} to {points.max():g}. Clip the points to the canvas first."
            )
        if len(points):
            checked.append(points)
    return checked


def draw_strokes(strokes, *, size=IMAGE_SIDE, width=2.0):
    """Rasterise strokes into a ``size``×``size`` float32 image with ink 1 on background 0.

    Parameters
    ----------
    strokes : list of sequences of (x, y)
        Each stroke is drawn as straight segments between consecutive
        points; a stroke of one point is a dot. An empty list gives a blank
        image.
    size : int, default=28
        Side of the canvas in pixels (28 for an MNIST-sized image; a drawing
        pad may be larger).
    width : float, default=2.0
        Pen diameter in pixels (MNIST strokes are about 2 to 3 pixels wide).

    Returns
    -------
    numpy.ndarray of float32, shape (size, size)
        Values in [0, 1].

    Raises
    ------
    TypeError, ValueError
        If the strokes are not lists of (x, y) pairs inside the canvas, or
        ``size`` or ``width`` are not positive.

    Examples
    --------
    >>> image = draw_strokes([[(14, 4), (14, 24)]])     # a vertical bar, like a "1"
    >>> image.shape, float(image.max()), float(image[:, :10].max())
    ((28, 28), 1.0, 0.0)
    """
    size = check_int(size, "size", low=2, high=2000)
    width = check_number(width, "width", low=0, high=size, low_open=True,
                         hint="It is the pen's diameter in pixels, at most the canvas size.")
    strokes = _check_strokes(strokes, size)
    y, x = np.mgrid[0:size, 0:size] + 0.5          # pixel centres
    image = np.zeros((size, size))
    for points in strokes:
        ends = zip(points[:-1], points[1:]) if len(points) > 1 else [(points[0], points[0])]
        for start, end in ends:
            distance = _segment_distance(x, y, start, end)
            # Full ink up to half a pixel inside the pen's radius, fading to none half a pixel outside.
            image = np.maximum(image, np.clip(width / 2 + 0.5 - distance, 0, 1))
    return image.astype(np.float32)


def _arc(cx, cy, rx, ry, start, stop, n=12):
    angles = np.deg2rad(np.linspace(start, stop, n))
    return [(cx + rx * np.cos(a), cy + ry * np.sin(a)) for a in angles]


# Each digit drawn once, by hand, as pen strokes in a unit box (x to the right, y downwards): the
# kind of input a drawing pad produces. Used to test what preprocessing does to drawings.
DIGIT_STROKES = {
    0: [_arc(0.5, 0.5, 0.3, 0.48, 0, 360, 24)],
    1: [[(0.45, 0.15), (0.55, 0.0), (0.55, 1.0)]],
    2: [_arc(0.5, 0.3, 0.3, 0.28, 200, 380) + [(0.15, 1.0), (0.9, 1.0)]],
    3: [_arc(0.45, 0.26, 0.3, 0.25, 210, 450) + _arc(0.45, 0.74, 0.33, 0.26, 270, 510)],
    4: [[(0.6, 0.0), (0.1, 0.65), (0.9, 0.65)], [(0.65, 0.3), (0.65, 1.0)]],
    5: [[(0.85, 0.0), (0.25, 0.0), (0.2, 0.45)] + _arc(0.5, 0.7, 0.33, 0.3, 220, 500, 14)[1:]],
    6: [[(0.7, 0.0)] + _arc(0.5, 0.7, 0.3, 0.3, 200, 560, 20)],
    7: [[(0.1, 0.0), (0.9, 0.0), (0.4, 1.0)]],
    8: [_arc(0.5, 0.25, 0.25, 0.25, 90, 450, 16) + _arc(0.5, 0.73, 0.3, 0.27, -90, 270, 16)],
    9: [_arc(0.5, 0.3, 0.3, 0.3, 0, 360, 18) + [(0.8, 0.3), (0.75, 1.0)]],
}


def place_strokes(strokes, *, left, top, size):
    """Scale unit-box strokes (like ``DIGIT_STROKES[d]``) to a ``size``-pixel box at (left, top).

    The digit keeps a 4:5 width-to-height ratio, as handwritten digits roughly do.
    """
    for name, value in (("left", left), ("top", top), ("size", size)):
        check_number(value, name, low=0)
    return [[(left + 0.1 * size + 0.8 * size * x, top + size * y) for x, y in stroke] for stroke in strokes]
