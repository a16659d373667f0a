"""Checks for the exercises of chapters 7–9: error analysis, transfer learning and preparing drawings.

Each check's hidden variant (``variant="hidden"``) runs on other digits, another seed or another
model, within what its exercise states; number questions have one answer and no hidden variant.
Two exercises ask the student to write what the package already holds (``numpy_net``'s forward
pass, ``preprocess.centre_of_mass``): their checks fail an answer that runs the package's code.
"""

import numpy as np

from mnist_lessons.constants import N_CLASSES, PIXEL_MAX
from mnist_lessons.exercises._checking import (
    Wrong,
    as_array,
    as_number,
    call,
    compare_value,
    exercise,
    require_function,
)
from mnist_lessons.exercises.data_and_layers import mnist_sample, sample_seed

# Chapter 7 -------------------------------------------------------------------------------------

@exercise("7.1", points=2)
def check_confusion_matrix(answer, variant):
    """Exercise 7.1: ``confusion_matrix(labels, predictions)`` -> 10×10 counts, rows true classes.

    In the hidden variant no digit is predicted as 9, so the matrix's last column is empty: a matrix
    sized by the classes that occur is too small.
    """
    require_function(answer, "confusion_matrix(labels, predictions)")
    rng = np.random.default_rng(variant.pick(3, 13))
    n = variant.pick(500, 300)
    labels = rng.integers(0, N_CLASSES, n)
    predictions = np.where(rng.random(n) < 0.8, labels, rng.integers(0, N_CLASSES, n))
    if variant.hidden:
        predictions = np.where(predictions == N_CLASSES - 1, 0, predictions)
    expected = np.zeros((N_CLASSES, N_CLASSES), dtype=int)
    np.add.at(expected, (labels, predictions), 1)
    result = as_array(call(answer, labels, predictions), expected.shape, "a 10×10 matrix")
    if np.array_equal(result, expected.T):
        raise Wrong("transposed: rows are the true classes, columns the predictions.")
    if not np.array_equal(result, expected):
        raise Wrong("wrong counts: add 1 at (true class, prediction) for each digit.")
    return f"right on {n} labelled predictions."


@exercise("7.2", points=2)
def check_class_precision(answer, variant):
    """Exercise 7.2: ``class_precision(matrix)`` -> for each class, the fraction of its predictions that were right."""
    require_function(answer, "class_precision(matrix)")
    rng = np.random.default_rng(variant.pick(4, 14))
    matrix = rng.integers(0, 5, (N_CLASSES, N_CLASSES)) + np.diag(rng.integers(50, 100, N_CLASSES))
    expected = matrix.diagonal() / matrix.sum(axis=0)
    result = as_array(call(answer, matrix), (N_CLASSES,), "one precision per class")
    if np.allclose(result, matrix.diagonal() / matrix.sum(axis=1)):
        raise Wrong("that divides by the row sums: the accuracy of each true class (its recall). Precision "
                    "divides by what was predicted.")
    if not np.allclose(result, expected):
        raise Wrong("not right: the diagonal holds the right answers of each class.")
    return "right on a 10×10 matrix."


_PLAIN_NUMPY = ("your function runs {}: the exercise asks for the forward pass in plain NumPy, written "
                "your way, without numpy_net (the package's own answer) and without Keras.")


@exercise("7.3", points=3, forbidden={
    "mnist_lessons.numpy_net": _PLAIN_NUMPY.format("numpy_net's code"),
    "mnist_lessons.models": _PLAIN_NUMPY.format("the package's Keras models"),
    "keras": _PLAIN_NUMPY.format("Keras"),
    "tensorflow": _PLAIN_NUMPY.format("TensorFlow"),
})
def check_cnn_forward(answer, variant):
    """Exercise 7.3: ``cnn_forward(weights, images)`` -> the shipped CNN's probabilities, from its weights alone.

    The hidden variant gives the CNN other weights (the shipped ones plus seeded noise) and other
    digits. An answer that runs ``numpy_net``, the package's models, Keras or TensorFlow fails.
    """
    require_function(answer, "cnn_forward(weights, images)")
    from mnist_lessons import numpy_net
    from mnist_lessons.models import build_cnn, pretrained

    cnn = pretrained("cnn")
    if variant.hidden:
        rng = np.random.default_rng(18)
        noisy = [w + rng.normal(0, 0.5 * w.std(), w.shape).astype(w.dtype) for w in cnn.get_weights()]
        cnn = build_cnn()
        cnn.set_weights(noisy)
    weights = numpy_net.cnn_weights(cnn)
    _, (x_test, _) = mnist_sample(n_test=100, seed=sample_seed(variant))
    images = (x_test / PIXEL_MAX).astype("float32")[..., None]
    expected = cnn.predict(images, verbose=0)
    result = as_array(call(answer, weights, images), expected.shape, "10 probabilities per image")
    if np.allclose(result, expected, atol=1e-5):
        return variant.pick("equals the Keras CNN's probabilities on 100 test digits.",
                            "equals the Keras CNN's probabilities with other weights, on 100 other digits.")
    if not np.allclose(result.sum(axis=1), 1, atol=1e-4) and np.allclose(numpy_net.softmax(result), expected,
                                                                          atol=1e-5):
        raise Wrong("those are the logits: end with a softmax.")
    raise Wrong("not the CNN's probabilities: conv1 + ReLU, 2×2 max pooling, conv2 + ReLU, pooling, flatten "
                "row by row, the dense layer, softmax (check each stage's shape: 26, 13, 11, 5).")


# Chapter 8 -------------------------------------------------------------------------------------

@exercise("8.1", points=2)
def check_count_trainable(answer, variant):
    """Exercise 8.1: ``count_trainable(model)`` -> number of trainable parameters."""
    require_function(answer, "count_trainable(model)")
    from mnist_lessons.models import build_cnn  # imports TensorFlow: only when checked

    model = build_cnn()
    frozen = variant.pick("conv1", "conv2")
    model.get_layer(frozen).trainable = False
    expected = sum(int(np.prod(w.shape)) for w in model.trainable_weights)
    value = as_number(call(answer, model), "a parameter count")
    if value == model.count_params():
        raise Wrong("that counts every parameter; only the trainable ones are wanted.")
    if value != expected:
        raise Wrong("not right: add up the sizes of model.trainable_weights.")
    return f"right on a CNN with its {variant.pick('first', 'second')} convolution frozen."


@exercise("8.2", points=1)
def check_vgg_head_parameters(answer):
    """Exercise 8.2: trainable parameters of a Flatten + Dense(10) head on VGG16's base at 64×64."""
    return compare_value(answer, "a parameter count", 2 * 2 * 512 * N_CLASSES + N_CLASSES,
                         near_misses=[(5130, "that is the head at 32×32; at 64×64 the base's output is larger."),
                                      (20480, "close: you counted the weights; each output also has a bias.")],
                         hint="not right: how many times does VGG16's base halve the image, and how many "
                              "channels does it end with?",
                         success="64 / 2⁵ = 2, so 2 × 2 × 512 = 2,048 features × 10 + 10 biases.")


@exercise("8.3", points=3)
def check_new_head_model(answer, variant):
    """Exercise 8.3: ``new_head_model(base, classes)`` -> a model: the frozen base, then a new softmax head.

    The hidden variant hands it another base, the shipped MLP up to its hidden layer (128 features),
    and 5 classes.
    """
    require_function(answer, "new_head_model(base, classes)")
    import keras

    from mnist_lessons.models import pretrained

    if variant.hidden:
        base = keras.Sequential([keras.Input((28, 28)), *pretrained("mlp").layers[:-1]], name="base")
    else:
        base = keras.Sequential([keras.Input((28, 28, 1)), *pretrained("cnn").layers[:-1]], name="base")
    classes, features = variant.pick(3, 5), base.output_shape[-1]
    before = [w.copy() for w in base.get_weights()]
    model = call(answer, base, classes)
    if not isinstance(model, keras.Model):
        raise Wrong(f"expected a Keras model; got {type(model).__name__}.")
    if model.output_shape != (None, classes):
        raise Wrong(f"expected {classes} outputs, one per new class; the model's output shape is "
                    f"{model.output_shape}.")
    # A copy of the base (clone_model, or new layers given its weights) would pass every other test.
    if not all(any(weight is variable for variable in model.weights) for weight in base.weights):
        raise Wrong("the base was copied: pass `base` itself into the new model, so that its trained "
                    "weights are reused rather than duplicated.")
    if any(weight is variable for weight in base.trainable_weights for variable in model.trainable_weights):
        raise Wrong("the base still trains: set base.trainable = False so that only the head learns.")
    if sum(int(np.prod(w.shape)) for w in model.trainable_weights) != features * classes + classes:
        raise Wrong(f"only the head should train: a Dense layer of {classes} units on the base's {features:,} "
                    "features.")
    images = np.random.default_rng(8).random((4, *base.input_shape[1:])).astype("float32")
    if not np.allclose(model.predict(images, verbose=0).sum(axis=1), 1, atol=1e-5):
        raise Wrong("the head should end in a softmax, so that the outputs are probabilities.")
    if not all(np.array_equal(a, b) for a, b in zip(before, base.get_weights())):
        raise Wrong("the base's weights changed: reuse them as they are.")
    return (f"the base is frozen and reused as it is; only the new head's {features * classes + classes:,} "
            "parameters train.")


# Chapter 9 -------------------------------------------------------------------------------------

@exercise("9.1", points=2, forbidden={
    "mnist_lessons.preprocess.centre_of_mass": "your function runs the package's centre_of_mass, the answer "
                                               "the check compares with: compute the centre yourself."})
def check_ink_centre(answer, variant):
    """Exercise 9.1: ``ink_centre(image)`` -> (row, column) of the centre of a 2-D image's ink.

    The hidden variant uses other digits, cropped to 24 rows and 20 columns: a 2-D image need not
    be square. An answer that runs the package's ``centre_of_mass`` fails.
    """
    require_function(answer, "ink_centre(image)")
    from mnist_lessons.preprocess import centre_of_mass

    _, (x_test, _) = mnist_sample(seed=sample_seed(variant))
    images = (x_test[:20] / PIXEL_MAX).astype("float32")
    if variant.hidden:
        images = images[:, 2:26, 4:24]
    failures = 0
    for image in images:
        result = as_array(call(answer, image), (2,), "a (row, column) pair")
        expected = np.array(centre_of_mass(image))
        if np.allclose(result, expected[::-1], atol=1e-4) and not np.allclose(result, expected, atol=1e-4):
            raise Wrong("row and column are swapped: return (row, column).")
        failures += not np.allclose(result, expected, atol=1e-4)
    if failures:
        raise Wrong(f"wrong on {failures} of 20 digits: weigh each pixel's row and column by its ink and "
                    "divide by the total ink.")
    return variant.pick("right on 20 test digits.", "right on 20 other test digits, cropped to 24 × 20 pixels.")


@exercise("9.2", points=1)
def check_shrunk_width(answer):
    """Exercise 9.2: width in pixels of a 10-pixel-wide stroke after shrinking a 280 pad to 28."""
    return compare_value(answer, "a width in pixels", 1,
                         near_misses=[(2, "that counts the pixels the stroke touches; add up their ink instead "
                                          "(a half-grey pixel is half a pixel's worth)."),
                                      (10, "that is its width on the pad, before shrinking.")],
                         hint="not right: the pad shrinks by the same factor in every direction.",
                         success="280 → 28 divides every length by 10.")
