"""Which pixels mattered to a prediction: gradient saliency and occlusion sensitivity.

Both work for any Keras model that maps 28×28 images to 10 class scores, such
as the book's MLP and CNN, and return one 28×28 map per image.

* ``gradient_saliency``: how strongly the class score reacts to an
  infinitesimal change of each pixel (Simonyan, Vedaldi & Zisserman, 2013).
* ``occlusion_sensitivity``: how much the class probability drops when a
  small square of the image is blanked out (Zeiler & Fergus, 2014).
"""

import keras
import numpy as np
import tensorflow as tf

from mnist_lessons.checks import check_int, check_model, check_number, check_scaled_images
from mnist_lessons.constants import IMAGE_SHAPE, IMAGE_SIDE, N_CLASSES
from mnist_lessons.models import logits_model, predict_probabilities


def _check_classes(classes, n, default):
    if classes is None:
        return default
    array = np.asarray(classes)
    if array.ndim == 0:
        array = np.full(n, array)
    if not np.issubdtype(array.dtype, np.integer):
        raise TypeError(f"classes must be integer classes 0..{N_CLASSES - 1}; got {classes!r}.")
    if array.shape != (n,) or array.min() < 0 or array.max() > N_CLASSES - 1:
        raise ValueError(
            f"classes must be one class 0..9 per image (or a single class for all {n}); "
            f"got {classes!r}."
        )
    return array.astype(np.int64)


def _class_scores(model):
    """The model itself, or a copy that stops before its final softmax (the class scores)."""
    last = model.layers[-1] if model.layers else None
    if isinstance(last, keras.layers.Dense) and last.get_config()["activation"] == "softmax":
        return logits_model(model)
    if isinstance(last, keras.layers.Softmax) or (
            isinstance(last, keras.layers.Activation) and last.get_config()["activation"] == "softmax"):
        return keras.Model(model.inputs, model.layers[-2].output)
    return model


def gradient_saliency(model, images, classes=None):
    """Return ``|d score / d pixel|`` for each image, the score being one class's logit.

    Parameters
    ----------
    model : keras.Model
        Maps images to 10 class scores. If it ends in a softmax (a ``Dense``
        layer with softmax activation, or a ``Softmax`` layer), the gradient is
        taken of the logit before the softmax (the class score of Simonyan et
        al.): the probability's gradient vanishes when the model is sure,
        whatever the pixels did.
    images : numpy.ndarray
        A batch shaped like the model's input, floats in [0, 1].
    classes : int, array-like of int, or None
        The class whose score is explained for each image; default: the
        model's prediction.

    Returns
    -------
    numpy.ndarray, shape (n, 28, 28)
        The absolute value of the gradient: large where a small change of the
        pixel would change the score most. Computed in chunks of 500 images.

    Raises
    ------
    TypeError, ValueError
        If ``model`` is not a Keras model, the images are not scaled images of
        its input shape (e.g. 0..255 pixels), or ``classes`` is malformed.
    """
    check_model(model)
    images = check_scaled_images(images, model=model)
    scorer = _class_scores(model)
    if classes is not None:
        classes = _check_classes(classes, len(images), None)
    maps = []
    for start in range(0, len(images), 500):   # bounds the memory the tape keeps
        x = tf.convert_to_tensor(images[start:start + 500])
        with tf.GradientTape() as tape:
            tape.watch(x)
            scores = scorer(x, training=False)
            if scores.shape[-1] != N_CLASSES:
                raise ValueError(
                    f"model must output {N_CLASSES} class scores per image; its output has shape {scores.shape}."
                )
            chunk = (np.argmax(scores.numpy(), axis=1) if classes is None
                     else classes[start:start + 500])
            chosen = tf.gather(scores, chunk, axis=1, batch_dims=1)   # each image's own class score
        maps.append(np.abs(tape.gradient(chosen, x).numpy()).reshape((len(chunk),) + IMAGE_SHAPE))
    return np.concatenate(maps)


def occlusion_sensitivity(model, images, classes=None, *, patch=6, stride=2, fill=0.0):
    """Return how much each pixel's neighbourhood supports the class: the probability drop when hidden.

    A ``patch``×``patch`` square of value ``fill`` is slid over the image in
    steps of ``stride``; for every position the class probability is
    recomputed. Each pixel gets the mean drop over the positions that hid it.

    Parameters
    ----------
    model : keras.Model
        Outputs 10 class probabilities (ends in a softmax).
    images : numpy.ndarray
        A batch shaped like the model's input, floats in [0, 1]; at most 20.
    classes : int, array-like of int, or None
        The class whose probability is tracked; default: the prediction.
    patch : int, default=6
        Side of the square, 1 to 28 pixels.
    stride : int, default=2
        Step between positions, 1 to ``patch`` (so every pixel is hidden at
        least once).
    fill : float, default=0.0
        Value of the hidden pixels; 0 is MNIST's background.

    Returns
    -------
    numpy.ndarray, shape (n, 28, 28)
        Positive where hiding the pixel's neighbourhood lowers the class
        probability (it supported the class), negative where it raises it.

    Raises
    ------
    TypeError, ValueError
        If the model, images, classes or settings are malformed.
    """
    check_model(model)
    images = check_scaled_images(images, model=model)
    n = len(images)
    if n > 20:
        raise ValueError(
            f"occlusion_sensitivity makes hundreds of predictions per image; pass at most 20 images, got {n}."
        )
    patch = check_int(patch, "patch", low=1, high=IMAGE_SIDE)
    stride = check_int(stride, "stride", low=1, high=patch,
                       hint="A stride larger than the patch would leave pixels never hidden.")
    fill = check_number(fill, "fill", low=0, high=1, hint="It is a pixel value; 0 is MNIST's background.")
    original = predict_probabilities(model, images)
    classes = _check_classes(classes, n, original.argmax(axis=1))
    starts = list(range(0, IMAGE_SIDE - patch + 1, stride))
    if starts[-1] != IMAGE_SIDE - patch:
        starts.append(IMAGE_SIDE - patch)                       # cover the last rows and columns
    positions = [(r, c) for r in starts for c in starts]
    flat = images.reshape((n,) + IMAGE_SHAPE)
    occluded = np.repeat(flat[:, None], len(positions), axis=1)  # (n, positions, 28, 28)
    for k, (r, c) in enumerate(positions):
        occluded[:, k, r:r + patch, c:c + patch] = fill
    probabilities = predict_probabilities(model, occluded.reshape((-1,) + images.shape[1:]))
    tracked = probabilities.reshape(n, len(positions), N_CLASSES)[np.arange(n), :, classes]  # (n, positions)
    drop = original[np.arange(n), classes][:, None] - tracked
    total = np.zeros((n,) + IMAGE_SHAPE)
    count = np.zeros(IMAGE_SHAPE)
    for k, (r, c) in enumerate(positions):
        total[:, r:r + patch, c:c + patch] += drop[:, k, None, None]
        count[r:r + patch, c:c + patch] += 1
    return total / count
