"""Argument checks shared by the package's public functions.

Each check raises a ``TypeError`` or ``ValueError`` whose message says what was
expected, what was received, and what to do; nothing is silently rescaled,
reshaped or dropped.
"""

import numpy as np


def check_model(model, name="model"):
    """Raise TypeError unless ``model`` is a Keras model; return it."""
    import keras

    if not isinstance(model, keras.Model):
        raise TypeError(
            f"{name} must be a Keras model (keras.Model or keras.Sequential); got "
            f"{type(model).__name__}. Build one with mnist_lessons.models or load one "
            "with mnist_lessons.models.pretrained(...)."
        )
    return model


def model_input_shape(model):
    """The shape of one input image for ``model``, without the batch axis."""
    check_model(model)
    try:
        inputs = model.inputs
    except (AttributeError, ValueError):
        inputs = None
    if not inputs:
        raise ValueError(
            f"Model {model.name!r} has no defined input. Start it with "
            "keras.Input(shape=...) (as the builders in mnist_lessons.models do)."
        )
    return tuple(inputs[0].shape[1:])


def check_scaled_images(images, *, model=None, batch=True, name="images"):
    """Check float images with pixels in [0, 1] and return them as float32.

    Parameters
    ----------
    images : array-like
        A batch ``(n, 28, 28)`` or ``(n, 28, 28, 1)`` when ``batch`` is True,
        otherwise one image ``(28, 28)`` or ``(28, 28, 1)``.
    model : keras.Model or None
        When given, the image shape must match the model's input shape.
    batch : bool
        Whether a leading batch axis is expected.
    name : str
        The argument's name, used in messages.

    Returns
    -------
    numpy.ndarray of float32
    """
    array = np.asarray(images)
    if array.dtype == np.uint8 or not np.issubdtype(array.dtype, np.floating):
        raise TypeError(
            f"{name} must be floating-point pixels in [0, 1]; got dtype {array.dtype}. "
            "Scale them with images.astype('float32') / 255, or load them with "
            "load_mnist(scale=True)."
        )
    check_image_shape(array.shape, model=model, batch=batch, name=name)
    if array.size and not np.all(np.isfinite(array)):
        raise ValueError(f"{name} contain NaN or infinite values; pixels must be in [0, 1].")
    if array.size and (array.min() < 0 or array.max() > 1):
        hint = (
            " They look like 0-255 pixel values: divide by 255, or load them with "
            "load_mnist(scale=True)."
            if array.max() > 1.5
            else ""
        )
        raise ValueError(
            f"{name} must have pixel values in [0, 1]; got values from {array.min():g} "
            f"to {array.max():g}.{hint}"
        )
    return array.astype(np.float32, copy=False)


def check_image_shape(shape, *, model=None, batch=True, name="images"):
    """Check the shape of images, whatever their dtype; raise ValueError with a hint if wrong.

    The rules are those of ``check_scaled_images``: a batch ``(n, 28, 28)`` or
    ``(n, 28, 28, 1)`` (or ``(n,) +`` the model's input shape), or one image.
    """
    shape = tuple(shape)
    expected = model_input_shape(model) if model is not None else None
    one = expected if expected is not None else "(28, 28) or (28, 28, 1)"
    if batch:
        want = (
            f"(n,) + {expected}" if expected is not None else "(n, 28, 28) or (n, 28, 28, 1)"
        )
        ok = len(shape) >= 2 and _image_shape_ok(shape[1:], expected)
        if not ok:
            hint = ""
            if len(shape) >= 1 and _image_shape_ok(shape, expected):
                hint = " This looks like a single image: pass images[i:i+1] or image[None]."
            elif shape and shape[-1] == 3:
                hint = " This looks like RGB: MNIST models take one grey channel."
            elif expected is not None and tuple(expected) in (shape[1:] + (1,), shape[1:-1]):
                hint = (
                    " Add or remove the channel axis to match the model, e.g. "
                    "load_mnist(channel_axis=True) for a CNN."
                )
            raise ValueError(f"{name} must have shape {want}; got {shape}.{hint}")
        if shape[0] == 0:
            raise ValueError(f"{name} is empty (shape {shape}); pass at least one image.")
    else:
        if not _image_shape_ok(shape, expected):
            hint = ""
            if len(shape) >= 3 and _image_shape_ok(shape[1:], expected):
                hint = " This looks like a batch: pass one image, e.g. images[0]."
            elif shape and shape[-1] == 3:
                hint = " This looks like RGB: MNIST models take one grey channel."
            raise ValueError(f"{name} must be one image of shape {one}; got {shape}.{hint}")


def _image_shape_ok(shape, expected):
    shape = tuple(shape)
    if expected is not None:
        return shape == tuple(expected)
    return shape in ((28, 28), (28, 28, 1))


def check_labels(labels, n, name="labels"):
    """Check integer class labels 0..9, one per image; return them as int64."""
    array = np.asarray(labels)
    if not np.issubdtype(array.dtype, np.integer):
        raise TypeError(
            f"{name} must be integer class labels 0..9; got dtype {array.dtype}. "
            "If you have one-hot vectors, convert them with labels.argmax(axis=1)."
        )
    if array.shape != (n,):
        raise ValueError(f"{name} must have shape ({n},), one label per image; got {array.shape}.")
    if n and (array.min() < 0 or array.max() > 9):
        raise ValueError(f"{name} must be in 0..9; got values from {array.min()} to {array.max()}.")
    return array.astype(np.int64)


def check_probability_rows(probabilities, *, name="probabilities", fix="apply a softmax first"):
    """Raise ValueError unless every row is non-negative and sums to 1 (within 1e-3).

    ``fix`` ends the message: what to do if the rows are logits instead.
    """
    sums = probabilities.sum(axis=1)
    if probabilities.min() < 0 or not np.allclose(sums, 1, atol=1e-3):
        raise ValueError(
            f"{name} are not probabilities (negative, or rows not summing to 1: sums from "
            f"{sums.min():.3g} to {sums.max():.3g}). If they are logits, {fix}."
        )
    return probabilities


def get_layer(model, layer):
    """Return the layer of ``model`` named ``layer`` (str), at index ``layer`` (int), or ``layer`` itself."""
    import keras

    check_model(model)
    names = [each.name for each in model.layers]
    if isinstance(layer, keras.layers.Layer):
        if layer not in model.layers:
            raise ValueError(f"Layer {layer.name!r} is not in model {model.name!r}; its layers are {names}.")
        return layer
    if isinstance(layer, str):
        if layer not in names:
            raise ValueError(f"Model {model.name!r} has no layer {layer!r}; its layers are {names}.")
        return model.get_layer(layer)
    if isinstance(layer, (int, np.integer)) and not isinstance(layer, bool):
        if not -len(names) <= layer < len(names):
            raise ValueError(
                f"Layer index {layer} is out of range for model {model.name!r}, which has "
                f"{len(names)} layers: {names}."
            )
        return model.layers[layer]
    raise TypeError(f"layer must be a layer name (str), an index (int) or a Keras layer; got {layer!r}.")
