"""Named sizes of MNIST and of the book's models, so that no module writes a bare 28.

MNIST's images are 28×28 grey pixels, 0 to 255, each digit fitted into a 20×20 box
and centred by its centre of mass (LeCun et al., 1998); there are ten classes.
"""

IMAGE_SIDE = 28
"""Pixels along each side of an MNIST image."""

N_PIXELS = IMAGE_SIDE * IMAGE_SIDE
"""Pixels in an MNIST image (784): the length of a flattened digit."""

IMAGE_SHAPE = (IMAGE_SIDE, IMAGE_SIDE)
"""The shape of one image without a channel axis."""

N_CLASSES = 10
"""The digits 0 to 9."""

PIXEL_MAX = 255
"""The largest raw pixel value (uint8); scaled pixels are divided by it."""

DIGIT_BOX = 20
"""The side of the box MNIST fitted each digit into before centring it in the 28×28 image."""

N_TRAIN, N_TEST = 60_000, 10_000
"""The sizes of MNIST's training and test splits."""

PAD_SIZE = 10 * IMAGE_SIDE
"""The side of the drawing pad (the book page's and the notebook's), in pad units: ten for every MNIST pixel."""

PEN_WIDTH = 18
"""The pad's pen diameter, in pad units: a fixed pen, so the smaller a digit is drawn, the thicker its strokes
come out once it is fitted into the 20-pixel box."""

SMALL_DRAWING = 90
"""A drawing whose ink spans fewer pad units than this along its longer side is small, and the pad says so: fitted
into the 20-pixel box, its strokes come out thicker than those of most MNIST test digits (the package's ten stroke
digits drawn just small enough: thicker than 95 % of them on average; tests/test_playground.py measures it)."""

LARGE_DRAWING = 250
"""A drawing whose ink spans more pad units than this along its longer side is large, and the pad says so: fitted
into the 20-pixel box, its strokes come out thinner than those of most MNIST test digits (the package's ten stroke
digits drawn just large enough: thinner than 95 % of them on average; tests/test_playground.py measures it)."""
