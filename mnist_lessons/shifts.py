"""Move digits within their 28×28 frame, filling the uncovered border with background."""

import numpy as np

from mnist_lessons.checks import check_scaled_images


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

    Examples
    --------
    >>> import numpy as np
    >>> x = np.zeros((1, 28, 28), "float32"); x[0, 10, 10] = 1
    >>> np.argwhere(shift_images(x, down=2, right=-3)[0])
    array([[12,  7]])
    """
    images = check_scaled_images(images, batch=True)
    for name, value in (("down", down), ("right", right)):
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
            raise TypeError(f"{name} must be an int number of pixels; got {value!r}.")
        if not -27 <= value <= 27:
            raise ValueError(f"{name} must be between -27 and 27 pixels; got {value}.")
    shifted = np.zeros_like(images)
    source_rows = slice(max(0, -down), 28 - max(0, down))
    target_rows = slice(max(0, down), 28 - max(0, -down))
    source_cols = slice(max(0, -right), 28 - max(0, right))
    target_cols = slice(max(0, right), 28 - max(0, -right))
    shifted[:, target_rows, target_cols] = images[:, source_rows, source_cols]
    return shifted
