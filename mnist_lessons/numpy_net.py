"""The shipped CNN's inference in plain NumPy, from its trained weights.

Each function is one operation of the network, written the way the chapters
explain it, so that ``cnn_forward`` reads like the model's summary. Keras and
this module compute the same numbers up to float32 rounding.
"""

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from mnist_lessons.checks import check_int, check_model, check_scaled_images
from mnist_lessons.constants import IMAGE_SHAPE, N_CLASSES

# The book's CNN, layer by layer, as models.build_cnn makes it: the one description of its layout that
# this module, the weights export for the book's page (browser_model) and the page's JavaScript read.
ARCHITECTURE = (
    {"name": "conv1", "kind": "conv", "weights": [(3, 3, 1, 32), (32,)]},
    {"name": "pool1", "kind": "maxpool", "size": 2},
    {"name": "conv2", "kind": "conv", "weights": [(3, 3, 32, 64), (64,)]},
    {"name": "pool2", "kind": "maxpool", "size": 2},
    {"name": "flatten", "kind": "flatten"},
    {"name": "output", "kind": "dense", "weights": [(1600, N_CLASSES), (N_CLASSES,)]},
)
LAYER_NAMES = tuple(layer["name"] for layer in ARCHITECTURE)
SHAPES = {layer["name"]: layer["weights"] for layer in ARCHITECTURE if "weights" in layer}
CNN_LAYERS = tuple(SHAPES)


def output_shapes():
    """The shape of every layer's output for one image, from ``ARCHITECTURE``.

    Examples
    --------
    >>> output_shapes()["pool2"], output_shapes()["flatten"]
    ((5, 5, 64), (1600,))
    """
    shape, shapes = IMAGE_SHAPE + (1,), {}
    for layer in ARCHITECTURE:
        if layer["kind"] == "conv":
            k, channels = layer["weights"][0][0], layer["weights"][0][-1]
            shape = (shape[0] - k + 1, shape[1] - k + 1, channels)
        elif layer["kind"] == "maxpool":
            shape = (shape[0] // layer["size"], shape[1] // layer["size"], shape[2])
        elif layer["kind"] == "flatten":
            shape = (int(np.prod(shape)),)
        else:
            shape = (layer["weights"][0][-1],)
        shapes[layer["name"]] = shape
    return shapes


def conv2d(images, kernel, bias):
    """Slide ``kernel`` over ``images`` without padding, stride 1 (Keras' Conv2D).

    images (n, h, w, c_in), kernel (k, k, c_in, c_out), bias (c_out,) ->
    (n, h - k + 1, w - k + 1, c_out). Like Keras, this is a cross-correlation:
    the kernel is not flipped.
    """
    k = kernel.shape[0]
    patches = sliding_window_view(images, (k, k), axis=(1, 2))   # (n, h', w', c_in, k, k)
    return np.einsum("nhwcij,ijco->nhwo", patches, kernel, optimize=True) + bias


def relu(x):
    """max(x, 0), element by element."""
    return np.maximum(x, 0)


def max_pool(maps, size=2):
    """Largest value of each size×size block; a leftover row or column is dropped, as in Keras."""
    h, w = maps.shape[1] // size * size, maps.shape[2] // size * size
    # The top-left pixel of every block, the top-right one, ...: size × size strided views whose
    # element-wise maximum is the pooled map (several times faster than reshaping into blocks).
    corners = [maps[:, i:h:size, j:w:size] for i in range(size) for j in range(size)]
    return np.maximum.reduce(corners)


def dense(x, kernel, bias):
    """x @ kernel + bias, for a batch of vectors."""
    return x @ kernel + bias


def softmax(logits):
    """Softmax over the last axis, computed stably by subtracting the largest logit."""
    exps = np.exp(logits - logits.max(axis=-1, keepdims=True))
    return exps / exps.sum(axis=-1, keepdims=True)


def cnn_forward(weights, images):
    """Run the book's CNN on a batch of images, returning its class probabilities.

    ``weights`` is what ``cnn_weights(model)`` returns; images are (n, 28, 28, 1).
    """
    x = relu(conv2d(images, *weights["conv1"]))       # (n, 26, 26, 32)
    x = max_pool(x)                                    # (n, 13, 13, 32)
    x = relu(conv2d(x, *weights["conv2"]))            # (n, 11, 11, 64)
    x = max_pool(x)                                    # (n, 5, 5, 64)
    x = x.reshape(len(x), -1)                          # (n, 1600), row by row like Flatten
    return softmax(dense(x, *weights["output"]))      # (n, 10)


def cnn_weights(model):
    """Take the trained arrays out of a model built by ``mnist_lessons.models.build_cnn``.

    Parameters
    ----------
    model : keras.Model
        The book's CNN, e.g. ``pretrained("cnn")``.

    Returns
    -------
    dict
        ``{"conv1": (kernel, bias), "conv2": (kernel, bias), "output": (kernel, bias)}``
        as float32 NumPy arrays.

    Raises
    ------
    TypeError
        If ``model`` is not a Keras model.
    ValueError
        If it is not the book's CNN (layer names or weight shapes differ).
    """
    check_model(model)
    names = [layer.name for layer in model.layers]
    if names != list(LAYER_NAMES):
        raise ValueError(
            f"model is not the book's CNN: its layers are {names}, not {', '.join(LAYER_NAMES)}. "
            "Use mnist_lessons.models.pretrained('cnn')."
        )
    weights = {}
    for name, shapes in SHAPES.items():
        arrays = model.get_layer(name).get_weights() if name in names else []
        if [array.shape for array in arrays] != shapes:
            raise ValueError(
                f"model is not the book's CNN: expected a layer {name!r} with weights shaped "
                f"{shapes}; its layers are {names}. Use mnist_lessons.models.pretrained('cnn')."
            )
        weights[name] = tuple(np.asarray(array, dtype=np.float32) for array in arrays)
    return weights


def predict(weights, images, batch_size=500):
    """Class probabilities of the NumPy CNN for a batch of images, computed in chunks.

    Parameters
    ----------
    weights : dict
        What ``cnn_weights`` returns.
    images : numpy.ndarray
        Shape (n, 28, 28, 1), floats in [0, 1].
    batch_size : int, default=500
        Images per chunk; bounds the memory of the intermediate arrays
        (about 30 MB per 100 images).

    Returns
    -------
    numpy.ndarray, shape (n, 10)

    Raises
    ------
    TypeError, ValueError
        If ``weights`` is not what ``cnn_weights`` returns or the images are
        not scaled (n, 28, 28, 1) arrays.
    """
    if not isinstance(weights, dict) or set(weights) != set(CNN_LAYERS):
        raise TypeError(
            f"weights must be the dict cnn_weights(model) returns, with keys {list(CNN_LAYERS)}; "
            f"got {type(weights).__name__}."
        )
    shapes = {name: [np.shape(array) for array in arrays] for name, arrays in weights.items()}
    if shapes != SHAPES:
        raise ValueError(f"weights must have the shapes of the book's CNN, {SHAPES}; got {shapes}.")
    images = check_scaled_images(images)
    if images.shape[1:] != IMAGE_SHAPE + (1,):
        raise ValueError(
            f"images must have shape (n, {IMAGE_SHAPE[0]}, {IMAGE_SHAPE[1]}, 1) like the CNN's input; got "
            f"{images.shape}. "
            "Add the channel axis with images[..., np.newaxis]."
        )
    batch_size = check_int(batch_size, "batch_size", low=1)
    chunks = [cnn_forward(weights, images[i:i + batch_size]) for i in range(0, len(images), batch_size)]
    return np.concatenate(chunks)
