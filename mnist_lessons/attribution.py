"""Which pixels mattered to a prediction: gradient saliency and occlusion sensitivity, and two checks of them.

Both methods work for any Keras model that maps 28×28 images to 10 class scores,
such as the book's MLP and CNN, and return one 28×28 map per image.

* ``gradient_saliency``: how strongly the class score reacts to an
  infinitesimal change of each pixel (Simonyan, Vedaldi & Zisserman, 2013).
* ``occlusion_sensitivity``: how much the class probability drops when a
  small square of the image is blanked out (Zeiler & Fergus, 2014).

Two ways to ask whether a map explains the model:

* ``rank_correlation``: how alike two maps of each image are, by the ranks of
  their pixels (Spearman), as in the sanity checks of Adebayo et al. (2018),
  which compare a trained model's maps with those of the same model with its
  weights randomised.
* ``deletion_curve``: the class probability as the pixels a map ranks highest
  are set to the background, first to last (a faithful map makes it fall fast).
"""

import keras
import numpy as np
import tensorflow as tf

from mnist_lessons.checks import check_int, check_model, check_number, check_scaled_images
from mnist_lessons.constants import IMAGE_SHAPE, IMAGE_SIDE, N_CLASSES, N_PIXELS
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


def _check_maps(maps, name, n=None):
    array = np.asarray(maps)
    if not np.issubdtype(array.dtype, np.number) or np.issubdtype(array.dtype, np.complexfloating):
        raise TypeError(f"{name} must be real numbers, one 28×28 map per image; got dtype {array.dtype}.")
    if array.ndim == 4 and array.shape[-1] == 1:
        array = array[..., 0]
    expected = "(n, 28, 28)" if n is None else f"({n}, 28, 28)"
    if array.shape[1:] != IMAGE_SHAPE or not len(array) or (n is not None and len(array) != n):
        raise ValueError(f"{name} must have shape {expected}, one map per image; got {array.shape}.")
    if not np.all(np.isfinite(array)):
        raise ValueError(f"{name} contain NaN or infinite values.")
    return array.astype(np.float64)


def _average_ranks(rows):
    """Each value's rank in its row, 0 for the smallest; tied values share the mean of their ranks."""
    ranks = np.empty(rows.shape)
    for row, out in zip(rows, ranks):
        order = np.argsort(row, kind="stable")
        _, first, count = np.unique(row[order], return_index=True, return_counts=True)
        out[order] = np.repeat(first + (count - 1) / 2, count)
    return ranks


def rank_correlation(maps_a, maps_b, *, mask=None):
    """Return Spearman's rank correlation between two maps of each image, one number per image.

    Each map's pixels are replaced by their ranks (tied values share their mean
    rank) and the two rows of ranks are correlated (Pearson). 1 means the two
    maps order the pixels alike, 0 that their orders are unrelated.

    Parameters
    ----------
    maps_a, maps_b : array-like, shape (n, 28, 28)
        Two maps of each of ``n`` images, e.g. the saliency of a trained model
        and of the same model with its weights randomised.
    mask : array-like of bool, shape (28, 28), optional
        The pixels to compare (default: all 784). For the book's CNN, the pixels
        it sees: its gradient is 0 on the last two rows and columns in every
        map, which would make any two maps look alike there.

    Returns
    -------
    numpy.ndarray, shape (n,)

    Raises
    ------
    TypeError
        If the maps are not numbers or ``mask`` is not boolean.
    ValueError
        If the shapes differ from (n, 28, 28) and (28, 28), the mask keeps fewer
        than 2 pixels, or a map is constant on the mask (its ranks have no order).

    Examples
    --------
    >>> a = np.arange(784.0).reshape(1, 28, 28)
    >>> rank_correlation(a, a ** 3).round(6).tolist()       # the same order
    [1.0]
    >>> rank_correlation(a, -a).round(6).tolist()            # the reverse order
    [-1.0]
    """
    a = _check_maps(maps_a, "maps_a")
    b = _check_maps(maps_b, "maps_b", n=len(a))
    if mask is None:
        mask = np.ones(IMAGE_SHAPE, dtype=bool)
    mask = np.asarray(mask)
    if mask.dtype != bool:
        raise TypeError(f"mask must be a boolean array of shape {IMAGE_SHAPE}; got dtype {mask.dtype}.")
    if mask.shape != IMAGE_SHAPE or mask.sum() < 2:
        raise ValueError(f"mask must have shape {IMAGE_SHAPE} and keep at least 2 pixels; got shape "
                         f"{mask.shape} keeping {int(mask.sum())}.")
    ranks_a, ranks_b = _average_ranks(a[:, mask]), _average_ranks(b[:, mask])
    for name, ranks in (("maps_a", ranks_a), ("maps_b", ranks_b)):
        constant = np.flatnonzero(np.ptp(ranks, axis=1) == 0)
        if len(constant):
            raise ValueError(f"{name}[{constant[0]}] is constant on the mask: a rank correlation needs "
                             "pixels of different values.")
    ranks_a -= ranks_a.mean(axis=1, keepdims=True)
    ranks_b -= ranks_b.mean(axis=1, keepdims=True)
    return (ranks_a * ranks_b).sum(axis=1) / np.sqrt((ranks_a ** 2).sum(axis=1) * (ranks_b ** 2).sum(axis=1))


def deletion_curve(model, images, scores, counts, classes=None):
    """Return the class probability of each image as its highest-scoring pixels are set to 0.

    For each ``count``, the ``count`` pixels with the largest ``scores`` are set
    to 0 (MNIST's background) and the class probability is predicted again. A
    map that ranks first the pixels the model's answer rests on makes the
    probability fall fast; a random order is the control.

    Parameters
    ----------
    model : keras.Model
        Outputs 10 class probabilities (ends in a softmax).
    images : numpy.ndarray
        A batch shaped like the model's input, floats in [0, 1].
    scores : array-like, shape (n, 28, 28)
        One map per image; its highest pixels are deleted first. Equal scores
        are deleted in reading order (row by row, left to right).
    counts : sequence of int
        How many pixels to delete, each from 0 to 784.
    classes : int, array-like of int, or None
        The class whose probability is tracked; default: the prediction for the
        intact image.

    Returns
    -------
    numpy.ndarray, shape (n, len(counts))
        The probability of each image's class after each deletion.

    Raises
    ------
    TypeError, ValueError
        If the model, images, scores, counts or classes are malformed.
    """
    check_model(model)
    images = check_scaled_images(images, model=model)
    n = len(images)
    scores = _check_maps(scores, "scores", n=n)
    if isinstance(counts, (str, bytes)) or not hasattr(counts, "__len__") or not len(counts):
        raise TypeError(f"counts must be a non-empty sequence of ints; got {counts!r}.")
    counts = [check_int(count, "each count", low=0, high=N_PIXELS) for count in counts]
    if classes is None:
        classes = predict_probabilities(model, images).argmax(axis=1)
    else:
        classes = _check_classes(classes, n, None)
    order = np.argsort(-scores.reshape(n, -1), axis=1, kind="stable")     # highest first
    flat = images.reshape(n, -1)
    deleted = np.repeat(flat[:, None], len(counts), axis=1)                 # (n, counts, 784)
    for k, count in enumerate(counts):
        np.put_along_axis(deleted[:, k], order[:, :count], 0.0, axis=1)
    probabilities = predict_probabilities(model, deleted.reshape((-1,) + images.shape[1:]))
    return probabilities.reshape(n, len(counts), N_CLASSES)[np.arange(n), :, classes]
