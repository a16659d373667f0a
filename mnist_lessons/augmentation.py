"""Augmentation: random small changes to training digits (shifts, rotations, size, stroke width).

MNIST's digits are centred, upright and of one size, so a model trained on them alone
has never seen a digit placed, turned or drawn a little differently. Training on a
freshly changed copy of every digit in every epoch teaches it those changes. The
changes are drawn with a seeded NumPy generator, so a run repeats; the images are
resampled by Keras' ``keras.ops.image.affine_transform`` (bilinear), which is fast
enough to change all 60,000 digits in under a second.
"""

import dataclasses
import functools

import numpy as np

from mnist_lessons.checks import check_number, check_scaled_images
from mnist_lessons.constants import IMAGE_SIDE


@dataclasses.dataclass(frozen=True)
class Augmentation:
    """How far each change may go; each is drawn uniformly from its range, for every digit.

    Parameters
    ----------
    shift : float, default=0
        Pixels each way along each axis (a shift of up to 2 moves a digit by -2 to 2 pixels
        down and, independently, across; fractions of a pixel are interpolated).
    degrees : float, default=0
        Rotation each way about the centre of the image.
    scale : float, default=0
        Relative change of size each way: 0.1 scales a digit by 0.9 to 1.1.
    stroke : float, default=0
        How much thicker or thinner strokes may get, from 0 to 1: each digit is blended with
        its 3×3 maximum (thicker) or minimum (thinner) by a weight drawn from -stroke to stroke.
    """

    shift: float = 0.0
    degrees: float = 0.0
    scale: float = 0.0
    stroke: float = 0.0

    def __post_init__(self):
        check_number(self.shift, "shift", low=0, high=IMAGE_SIDE // 4)
        check_number(self.degrees, "degrees", low=0, high=180)
        check_number(self.scale, "scale", low=0, high=0.5, high_open=True)
        check_number(self.stroke, "stroke", low=0, high=1)

    def describe(self):
        """The changes in words, e.g. "shifts up to 2 px, rotations up to 10°"; "none" for no change."""
        parts = []
        if self.shift:
            parts.append(f"shifts up to {self.shift:g} px")
        if self.degrees:
            parts.append(f"rotations up to {self.degrees:g}°")
        if self.scale:
            parts.append(f"sizes {1 - self.scale:g}–{1 + self.scale:g}")
        if self.stroke:
            parts.append(f"stroke width ±{self.stroke:g}")
        return ", ".join(parts) or "none"


AUGMENTATIONS = {
    "none": Augmentation(),
    "shifts": Augmentation(shift=2),
    "shifts, rotations, sizes": Augmentation(shift=2, degrees=10, scale=0.1),
    "shifts, rotations, sizes, strokes": Augmentation(shift=2, degrees=10, scale=0.1, stroke=0.5),
}
"""The augmentations the shipped CNN's recipe search tries, by name (``Recipe.augmentation``)."""


def augment(images, augmentation, rng):
    """Return a randomly changed copy of every image: rotated, scaled, shifted, then its strokes thickened or thinned.

    Parameters
    ----------
    images : numpy.ndarray
        A batch ``(n, 28, 28)`` or ``(n, 28, 28, 1)`` of floats in [0, 1].
    augmentation : Augmentation or str
        How far each change may go, or the name of one of ``AUGMENTATIONS``.
    rng : numpy.random.Generator
        Draws the changes; the same generator state gives the same images.

    Returns
    -------
    numpy.ndarray
        float32, the shape of ``images``; pixels that come from outside the image are 0 (no ink).

    Raises
    ------
    TypeError, ValueError
        If the images are not a batch of scaled MNIST images, the augmentation is unknown, or
        ``rng`` is not a NumPy Generator.

    Examples
    --------
    >>> import numpy as np
    >>> x = np.zeros((1, 28, 28), "float32"); x[0, 10, 10] = 1
    >>> moved = augment(x, Augmentation(shift=2), np.random.default_rng(0))
    >>> moved.shape, float(moved.sum()) > 0
    ((1, 28, 28), True)
    """
    images = check_scaled_images(images, batch=True)
    augmentation = _augmentation(augmentation)
    if not isinstance(rng, np.random.Generator):
        raise TypeError(f"rng must be a numpy.random.Generator, e.g. np.random.default_rng(0); "
                        f"got {type(rng).__name__}.")
    if augmentation == AUGMENTATIONS["none"]:
        return images.astype(np.float32, copy=True)
    n = len(images)
    # Drawn in a fixed order, whether or not a change is used, so that each draw stays the same
    # when another range changes.
    angles = np.deg2rad(rng.uniform(-augmentation.degrees, augmentation.degrees, n))
    sizes = rng.uniform(1 - augmentation.scale, 1 + augmentation.scale, n)
    down, right = rng.uniform(-augmentation.shift, augmentation.shift, (2, n))
    strokes = rng.uniform(-augmentation.stroke, augmentation.stroke, n)
    batch = images.reshape(n, IMAGE_SIDE, IMAGE_SIDE, 1).astype(np.float32)
    changed = np.empty_like(batch)
    for start in range(0, n, _CHUNK):             # bounded memory: the stroke step makes copies
        part = slice(start, start + _CHUNK)
        chunk = _resample(batch[part], angles[part], sizes[part], down[part], right[part])
        if augmentation.stroke:
            chunk = _restroke(chunk, strokes[part])
        changed[part] = np.clip(chunk, 0, 1)
    return changed.reshape(images.shape)


_CHUNK = 10_000


def _augmentation(augmentation):
    if isinstance(augmentation, Augmentation):
        return augmentation
    if isinstance(augmentation, str) and augmentation in AUGMENTATIONS:
        return AUGMENTATIONS[augmentation]
    raise ValueError(f"augmentation must be an Augmentation or one of {list(AUGMENTATIONS)}; "
                     f"got {augmentation!r}.")


def _resample(batch, angles, sizes, down, right):
    """Rotate by ``angles`` (radians, counter-clockwise) and scale by ``sizes`` about the image's centre,
    then shift ``down`` and ``right`` (pixels); bilinear, background 0 outside."""
    import keras  # deferred: importing this module must not start TensorFlow

    centre = (IMAGE_SIDE - 1) / 2
    # affine_transform maps every output pixel (column x, row y) to the input point it reads,
    # (a0 x + a1 y + a2, b0 x + b1 y + b2): the inverse of rotate-scale-shift. As in
    # transforms.rotate, a positive angle turns the digit counter-clockwise on screen (rows point down).
    cos, sin = np.cos(angles) / sizes, np.sin(angles) / sizes
    a0, a1, b0, b1 = cos, -sin, sin, cos
    a2 = centre - a0 * (centre + right) - a1 * (centre + down)
    b2 = centre - b0 * (centre + right) - b1 * (centre + down)
    zeros = np.zeros_like(a0)
    transforms = np.stack([a0, a1, a2, b0, b1, b2, zeros, zeros], axis=1).astype(np.float32)
    out = keras.ops.image.affine_transform(batch, transforms, interpolation="bilinear", fill_mode="constant")
    return keras.ops.convert_to_numpy(out)


def _restroke(batch, strokes):
    """Blend each image with its 3×3 maximum (strokes > 0: thicker) or minimum (strokes < 0: thinner)."""
    padded = np.pad(batch, ((0, 0), (1, 1), (1, 1), (0, 0)))
    windows = [padded[:, i:i + IMAGE_SIDE, j:j + IMAGE_SIDE] for i in range(3) for j in range(3)]
    thicker, thinner = functools.reduce(np.maximum, windows), functools.reduce(np.minimum, windows)
    weight = np.abs(strokes).astype(np.float32)[:, None, None, None]
    target = np.where(strokes[:, None, None, None] > 0, thicker, thinner)
    return (1 - weight) * batch + weight * target
