"""One way to validate arguments: TypeError for a wrong type, ValueError for a bad value.

Every public function of the package checks its arguments at the door with these
functions, following scikit-learn's rule: a wrong *type* raises ``TypeError``, a
value of the right type but out of range raises ``ValueError``, and the message
names the argument, what was expected, what was given and what to do. Nothing
is silently rescaled, reshaped or dropped.
"""

import numbers

import numpy as np

from mnist_lessons.constants import IMAGE_SHAPE, N_CLASSES


def _range_text(low, high):
    if low is not None and high is not None:
        return f" from {low} to {high}"
    if low is not None:
        return f" of at least {low}"
    if high is not None:
        return f" of at most {high}"
    return ""


def check_int(value, name, *, low=None, high=None, hint=""):
    """Return ``value`` as an int, checking its type and range.

    Parameters
    ----------
    value : object
        The argument to check; ``True`` and ``False`` are not ints here.
    name : str
        The argument's name, used in messages.
    low, high : int or None
        Inclusive bounds (None: unbounded).
    hint : str
        A sentence added to the message, saying what to do.

    Raises
    ------
    TypeError
        If ``value`` is not an integer (a bool, a float such as 1.5, a string).
    ValueError
        If it lies outside ``[low, high]``.

    Examples
    --------
    >>> check_int(3, "epochs", low=1)
    3
    >>> check_int(1.5, "down")
    Traceback (most recent call last):
    ...
    TypeError: down must be an int; got 1.5 (float). Pass a whole number.
    """
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an int; got {value!r} ({type(value).__name__}). "
                        + (hint or "Pass a whole number."))
    if (low is not None and value < low) or (high is not None and value > high):
        raise ValueError(f"{name} must be an int{_range_text(low, high)}; got {value}." + (f" {hint}" if hint else ""))
    return int(value)


def check_number(value, name, *, low=None, high=None, low_open=False, high_open=False, hint=""):
    """Return ``value`` as a float, checking that it is a finite real number in range.

    ``low_open`` and ``high_open`` exclude the bounds themselves (for example a
    learning rate must be above 0, not equal to it).

    Raises
    ------
    TypeError
        If ``value`` is not a real number (a bool, a string, None).
    ValueError
        If it is not finite or lies outside the range.

    Examples
    --------
    >>> check_number(0.1, "label_smoothing", low=0, high=1, high_open=True)
    0.1
    """
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a number; got {value!r} ({type(value).__name__})."
                        + (f" {hint}" if hint else ""))
    value = float(value)
    too_low = low is not None and (value <= low if low_open else value < low)
    too_high = high is not None and (value >= high if high_open else value > high)
    if not np.isfinite(value) or too_low or too_high:
        if low is not None and high is not None:
            where = f" in {'(' if low_open else '['}{low:g}, {high:g}{')' if high_open else ']'}"
        elif low is not None:
            where = f" {'above' if low_open else 'of at least'} {low:g}"
        elif high is not None:
            where = f" {'below' if high_open else 'of at most'} {high:g}"
        else:
            where = ""
        raise ValueError(f"{name} must be a finite number{where}; got {value!r}." + (f" {hint}" if hint else ""))
    return value


def check_bool(value, name):
    """Return ``value`` if it is True or False; raise TypeError otherwise."""
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} must be True or False; got {value!r}.")
    return bool(value)


def check_choice(value, name, choices):
    """Return ``value`` if it is one of ``choices``; raise ValueError naming them otherwise.

    Examples
    --------
    >>> check_choice("cnn", "name", ("mlp", "cnn"))
    'cnn'
    """
    if value not in choices:
        raise ValueError(f"{name} must be one of {', '.join(repr(c) for c in choices)}; got {value!r}.")
    return value


def check_text(value, name):
    """Return ``value`` if it is a string (a title, a label); raise TypeError otherwise."""
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a string; got {value!r} ({type(value).__name__}).")
    return value


def check_pair(value, name, *, low, high, why=""):
    """Return a (row, column) pair of ints, each from ``low`` to ``high``.

    Raises
    ------
    TypeError
        If ``value`` is not a tuple of two ints.
    ValueError
        If an entry is out of range; ``why`` explains the range.
    """
    if (not isinstance(value, tuple) or len(value) != 2
            or not all(isinstance(v, numbers.Integral) and not isinstance(v, (bool, np.bool_)) for v in value)):
        raise TypeError(f"{name} must be a (row, column) tuple of two ints; got {value!r}.")
    if not all(low <= v <= high for v in value):
        raise ValueError(f"{name} must hold a row and a column from {low} to {high}{why}; got {value!r}.")
    return int(value[0]), int(value[1])


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
    one = expected if expected is not None else f"{IMAGE_SHAPE} or {IMAGE_SHAPE + (1,)}"
    if batch:
        side, other = IMAGE_SHAPE
        want = f"(n,) + {expected}" if expected is not None else f"(n, {side}, {other}) or (n, {side}, {other}, 1)"
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
    return shape in (IMAGE_SHAPE, IMAGE_SHAPE + (1,))


def check_labels(labels, n, name="labels"):
    """Check integer class labels 0..9, one per image; return them as int64.

    Raises
    ------
    TypeError
        If the labels are not integers (one-hot vectors, floats).
    ValueError
        If there is not exactly one label per image, or a label is outside 0..9.
    """
    array = np.asarray(labels)
    if not np.issubdtype(array.dtype, np.integer):
        raise TypeError(
            f"{name} must be integer class labels 0..9; got dtype {array.dtype}. "
            "If you have one-hot vectors, convert them with labels.argmax(axis=1)."
        )
    if array.shape != (n,):
        raise ValueError(f"{name} must have shape ({n},), one label per image; got {array.shape}.")
    if n and (array.min() < 0 or array.max() > N_CLASSES - 1):
        raise ValueError(f"{name} must be in 0..{N_CLASSES - 1}; got values from {array.min()} to {array.max()}.")
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
    if isinstance(layer, numbers.Integral) and not isinstance(layer, (bool, np.bool_)):
        check_int(layer, "layer", low=-len(names), high=len(names) - 1,
                  hint=f"Model {model.name!r} has {len(names)} layers: {names}.")
        return model.layers[layer]
    raise TypeError(f"layer must be a layer name (str), an index (int) or a Keras layer; got {layer!r}.")
