"""What the playground computes: the image a drawing becomes, and what a model says and shows for it.

Chapter 9's widgets (``mnist_lessons.widgets``) only turn events into calls to these
functions and show the results; the tests and the chapter's static figures call them
directly. Nothing here imports ipywidgets. Layer names and filter counts are read
from the model, so any Keras model with 2-D convolution layers works.
"""

import dataclasses

import numpy as np

from mnist_lessons.activations import layer_activations
from mnist_lessons.checks import check_int, check_model, check_scaled_images, get_layer
from mnist_lessons.constants import IMAGE_SHAPE, IMAGE_SIDE, LARGE_DRAWING, PAD_SIZE, PEN_WIDTH, SMALL_DRAWING
from mnist_lessons.drawing import draw_strokes
from mnist_lessons.preprocess import to_mnist_format

# What the pad tells a reader whose drawing is far from MNIST's proportions (drawing_guidance); the book's
# page shows the same sentences, exported with its weights (browser_model.page_config).
GUIDANCE = {
    "small": "Drawn this small, the digit comes out with thick, blurred strokes once it is enlarged to "
             "MNIST's size, and the CNN misreads more such digits: draw it larger, over most of the pad.",
    "large": "Drawn this large, the digit comes out with thinner strokes than most of MNIST's once it is "
             "shrunk to MNIST's size: a somewhat smaller digit looks more like the ones the CNN learned from.",
}


def drawing_to_image(strokes, *, size=PAD_SIZE, width=PEN_WIDTH):
    """Turn pad strokes into the pad image and the 28×28 image the model reads.

    Parameters
    ----------
    strokes : list of sequences of (x, y)
        Pen strokes in pad pixels (see ``mnist_lessons.drawing.draw_strokes``).
    size, width : int, float
        Pad side and pen width in pad pixels.

    Returns
    -------
    pad : numpy.ndarray, shape (size, size)
        The drawing at pad resolution.
    image : numpy.ndarray, shape (28, 28)
        The drawing prepared as MNIST's digits were (``to_mnist_format``):
        blank when nothing is drawn.

    Examples
    --------
    >>> pad, image = drawing_to_image([[(140, 40), (140, 240)]])     # one vertical stroke: a "1"
    >>> pad.shape, image.shape, bool(image.max() > 0)
    ((280, 280), (28, 28), True)
    """
    pad = draw_strokes(strokes, size=size, width=width)
    return pad, to_mnist_format(pad[np.newaxis])[0]


def drawing_guidance(pad):
    """Whether a pad drawing is too small or too large to look like an MNIST digit once prepared.

    The pen has a fixed width, and the preparation scales the ink's longer side to 20 pixels: a
    small drawing's strokes come out thick, a very large one's thin. The book's page and the
    notebook's pad show ``GUIDANCE[kind]`` under their answer.

    Parameters
    ----------
    pad : numpy.ndarray, shape (size, size)
        A drawing at pad resolution, as ``drawing_to_image`` returns it (ink above 0).

    Returns
    -------
    str or None
        ``"small"`` when the ink spans fewer than ``constants.SMALL_DRAWING`` pad units along its
        longer side, ``"large"`` when it spans more than ``constants.LARGE_DRAWING``, else None
        (also for an empty pad).

    Examples
    --------
    >>> pad, _ = drawing_to_image([[(140, 120), (140, 160)]])     # a short bar: 58 units with the pen
    >>> drawing_guidance(pad)
    'small'
    >>> drawing_guidance(drawing_to_image([[(140, 40), (140, 240)]])[0]) is None
    True
    """
    pad = np.asarray(pad)
    if pad.ndim != 2:
        raise ValueError(f"pad must be one 2-D drawing; got shape {pad.shape}.")
    ink = np.argwhere(pad > 0)
    if not len(ink):
        return None
    longer = int((ink.max(axis=0) - ink.min(axis=0) + 1).max())
    if longer < SMALL_DRAWING:
        return "small"
    if longer > LARGE_DRAWING:
        return "large"
    return None


def shrink(pad):
    """The naive alternative to ``to_mnist_format``: average the pad down to 28×28, nothing else."""
    pad = np.asarray(pad, dtype=np.float32)
    if pad.ndim != 2 or pad.shape[0] != pad.shape[1] or pad.shape[0] % IMAGE_SIDE:
        raise ValueError(f"pad must be a square image whose side is a multiple of {IMAGE_SIDE}; got shape "
                         f"{pad.shape}.")
    factor = pad.shape[0] // IMAGE_SIDE
    return pad.reshape(IMAGE_SIDE, factor, IMAGE_SIDE, factor).mean(axis=(1, 3))


@dataclasses.dataclass
class View:
    """What the playground shows for one image: the image, the probabilities, the strongest maps."""

    image: np.ndarray                 # (28, 28), what the model read
    probabilities: np.ndarray         # (n_classes,)
    maps: dict                        # {layer name: (indices, maps (k, h, w))}, strongest maps first

    @property
    def prediction(self):
        """The class with the largest probability."""
        return int(np.argmax(self.probabilities))


def convolution_layers(model):
    """The names of ``model``'s layers that output feature maps from a learned kernel (2-D convolutions).

    Examples
    --------
    >>> from mnist_lessons.models import build_cnn
    >>> convolution_layers(build_cnn())
    ['conv1', 'conv2']
    """
    check_model(model)
    return [layer.name for layer in model.layers
            if len(layer.get_weights()) > 0 and layer.get_weights()[0].ndim == 4]


def _one_image(model, image):
    image = check_scaled_images(image, batch=False, name="image").reshape(IMAGE_SHAPE)
    return image, image.reshape((1,) + tuple(model.inputs[0].shape[1:]))


def look(model, image, *, layers=None, maps_per_layer=4):
    """Run ``model`` on one image; return its probabilities and each layer's most active maps.

    Parameters
    ----------
    model : keras.Model
        A model ending in a softmax, e.g. the book's CNN.
    image : numpy.ndarray
        ``(28, 28)`` or ``(28, 28, 1)``, floats in [0, 1].
    layers : sequence of str or None
        Layers whose maps to return; default: the model's convolution layers.
    maps_per_layer : int
        How many maps per layer, the most strongly activated first.

    Returns
    -------
    View

    Raises
    ------
    TypeError, ValueError
        If the model or image is malformed, or a layer does not output 2-D maps.
    """
    check_model(model)
    layers = convolution_layers(model) if layers is None else list(layers)
    maps_per_layer = check_int(maps_per_layer, "maps_per_layer", low=1)
    image, batch = _one_image(model, image)
    activations = layer_activations(model, batch)
    maps = {}
    for name in layers:
        get_layer(model, name)
        values = activations[name][0]
        if values.ndim != 3:
            raise ValueError(f"layer {name!r} does not output feature maps; choose one of "
                             f"{convolution_layers(model)} or a pooling layer.")
        strongest = np.argsort(-values.max(axis=(0, 1)), kind="stable")[:maps_per_layer]
        maps[name] = (strongest, np.moveaxis(values[..., strongest], -1, 0))
    return View(image, list(activations.values())[-1][0], maps)


def explore(model, image, layer, filter_index):
    """The feature map of one filter of a convolution layer for one image, with its kernel.

    Returns
    -------
    feature_map : numpy.ndarray, shape (h, w)
    kernel : numpy.ndarray, shape (k, k)
        The filter's weights for one input channel: for a layer that reads the
        image (one channel), all of them; for a deeper layer, whose input is the
        maps of the layer before, the slice for the input map it weighs most.
    channel : int
        Which input channel ``kernel`` is (0 for the first convolution).

    Raises
    ------
    ValueError
        If ``layer`` is not a convolution or ``filter_index`` is out of range.
    """
    check_model(model)
    layer = get_layer(model, layer)
    if layer.name not in convolution_layers(model):
        raise ValueError(f"layer {layer.name!r} is not a convolution; choose one of {convolution_layers(model)}.")
    kernel = layer.get_weights()[0]                                     # (k, k, input channels, filters)
    filter_index = check_int(filter_index, "filter_index", low=0, high=kernel.shape[-1] - 1)
    _, batch = _one_image(model, image)
    values = layer_activations(model, batch)[layer.name][0]
    weights_of_filter = kernel[..., filter_index]
    channel = int(np.argmax(np.abs(weights_of_filter).sum(axis=(0, 1))))
    return values[..., filter_index], weights_of_filter[..., channel], channel
