"""What a layer of a Keras model outputs for given images."""

import keras
import numpy as np

from mnist_lessons.checks import check_model, check_scaled_images, get_layer


def layer_output(model, layer, images):
    """Return the output of one layer of ``model`` for a batch of images.

    Works for Sequential and functional models alike: it builds a sub-model
    from ``model.inputs`` to ``layer.output`` (``model.input`` raises on a
    Keras 3 Sequential model, so it is not used).

    Parameters
    ----------
    model : keras.Model
        A model with a defined input, e.g. from ``mnist_lessons.models``.
    layer : str, int or keras.layers.Layer
        The layer, by name (e.g. "conv1"), index or object.
    images : numpy.ndarray
        A batch of images, floats in [0, 1], shaped ``(n,) + model input shape``.

    Returns
    -------
    numpy.ndarray
        The layer's output, e.g. ``(n, 26, 26, 32)`` for the CNN's "conv1"
        (after its ReLU: a Keras layer's activation is part of its output).

    Examples
    --------
    >>> from mnist_lessons.models import build_cnn
    >>> import numpy as np
    >>> layer_output(build_cnn(), "conv1", np.zeros((2, 28, 28, 1), "float32")).shape
    (2, 26, 26, 32)
    """
    check_model(model)
    layer = get_layer(model, layer)
    images = check_scaled_images(images, model=model)
    extractor = keras.Model(model.inputs, layer.output)
    return np.asarray(extractor.predict(images, verbose=0, batch_size=500))


def layer_activations(model, images):
    """Return what every layer of ``model`` outputs for a batch of images, in order.

    One forward pass through a sub-model with one output per layer, so the
    values are exactly those the model computes on its way to its own output.
    Works for Sequential and functional models (it uses ``model.inputs`` and
    each ``layer.output``; ``model.input`` and ``model.output`` raise on a
    Keras 3 Sequential model).

    Parameters
    ----------
    model : keras.Model
        A model with a defined input, e.g. ``pretrained("cnn")``.
    images : numpy.ndarray
        A batch of images, floats in [0, 1], shaped ``(n,) + model input shape``.

    Returns
    -------
    dict
        ``{layer name: numpy.ndarray}`` for every layer except input layers,
        in the order of ``model.layers``; the last entry is the model's output.
        Every layer of every image is kept, which for the book's CNN is about
        150 KB per image: pass a few images, not the whole test set.

    Raises
    ------
    TypeError, ValueError
        If ``model`` is not a Keras model with a defined input, or the images
        are not a batch of scaled images of the model's input shape.

    Examples
    --------
    >>> from mnist_lessons.models import build_cnn
    >>> import numpy as np
    >>> activations = layer_activations(build_cnn(), np.zeros((1, 28, 28, 1), "float32"))
    >>> {name: values.shape[1:] for name, values in activations.items()}["pool2"]
    (5, 5, 64)
    """
    check_model(model)
    images = check_scaled_images(images, model=model)
    layers = [layer for layer in model.layers if not isinstance(layer, keras.layers.InputLayer)]
    extractor = keras.Model(model.inputs, [layer.output for layer in layers])
    outputs = extractor.predict(images, verbose=0, batch_size=500)
    if len(layers) == 1:  # Keras returns a lone output bare, not in a list
        outputs = [outputs]
    return {layer.name: np.asarray(output) for layer, output in zip(layers, outputs)}
