"""Checks for the exercises of chapters 7–9: error analysis, transfer learning and preparing drawings."""

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
from mnist_lessons.exercises.data_and_layers import mnist_sample

# Chapter 7 -------------------------------------------------------------------------------------

@exercise("7.1")
def check_confusion_matrix(answer):
    """Exercise 7.1: ``confusion_matrix(labels, predictions)`` -> 10×10 counts, rows true classes."""
    require_function(answer, "confusion_matrix(labels, predictions)")
    rng = np.random.default_rng(3)
    labels = rng.integers(0, N_CLASSES, 500)
    predictions = np.where(rng.random(500) < 0.8, labels, rng.integers(0, N_CLASSES, 500))
    expected = np.zeros((N_CLASSES, N_CLASSES), dtype=int)
    np.add.at(expected, (labels, predictions), 1)
    result = as_array(call(answer, labels, predictions), expected.shape, "a 10×10 matrix")
    if np.array_equal(result, expected.T):
        raise Wrong("transposed: rows are the true classes, columns the predictions.")
    if not np.array_equal(result, expected):
        raise Wrong("wrong counts: add 1 at (true class, prediction) for each digit.")
    return "right on 500 labelled predictions."


@exercise("7.2")
def check_class_precision(answer):
    """Exercise 7.2: ``class_precision(matrix)`` -> for each class, the fraction of its predictions that were right."""
    require_function(answer, "class_precision(matrix)")
    rng = np.random.default_rng(4)
    matrix = rng.integers(0, 5, (N_CLASSES, N_CLASSES)) + np.diag(rng.integers(50, 100, N_CLASSES))
    expected = matrix.diagonal() / matrix.sum(axis=0)
    result = as_array(call(answer, matrix), (N_CLASSES,), "one precision per class")
    if np.allclose(result, matrix.diagonal() / matrix.sum(axis=1)):
        raise Wrong("that divides by the row sums: the accuracy of each true class (its recall). Precision "
                    "divides by what was predicted.")
    if not np.allclose(result, expected):
        raise Wrong("not right: the diagonal holds the right answers of each class.")
    return "right on a 10×10 matrix."


@exercise("7.3")
def check_cnn_forward(answer):
    """Exercise 7.3: ``cnn_forward(weights, images)`` -> the shipped CNN's probabilities, from its weights alone."""
    require_function(answer, "cnn_forward(weights, images)")
    from mnist_lessons import numpy_net
    from mnist_lessons.models import pretrained

    cnn = pretrained("cnn")
    weights = numpy_net.cnn_weights(cnn)
    _, (x_test, _) = mnist_sample(n_test=100)
    images = (x_test / PIXEL_MAX).astype("float32")[..., None]
    expected = cnn.predict(images, verbose=0)
    result = as_array(call(answer, weights, images), expected.shape, "10 probabilities per image")
    if np.allclose(result, expected, atol=1e-5):
        return "equals the Keras CNN's probabilities on 100 test digits."
    if not np.allclose(result.sum(axis=1), 1, atol=1e-4) and np.allclose(numpy_net.softmax(result), expected,
                                                                          atol=1e-5):
        raise Wrong("those are the logits: end with a softmax.")
    raise Wrong("not the CNN's probabilities: conv1 + ReLU, 2×2 max pooling, conv2 + ReLU, pooling, flatten "
                "row by row, the dense layer, softmax (check each stage's shape: 26, 13, 11, 5).")


# Chapter 8 -------------------------------------------------------------------------------------

@exercise("8.1")
def check_count_trainable(answer):
    """Exercise 8.1: ``count_trainable(model)`` -> number of trainable parameters."""
    require_function(answer, "count_trainable(model)")
    from mnist_lessons.models import build_cnn  # imports TensorFlow: only when checked

    model = build_cnn()
    model.get_layer("conv1").trainable = False
    expected = sum(int(np.prod(w.shape)) for w in model.trainable_weights)
    value = as_number(call(answer, model), "a parameter count")
    if value == model.count_params():
        raise Wrong("that counts every parameter; only the trainable ones are wanted.")
    if value != expected:
        raise Wrong("not right: add up the sizes of model.trainable_weights.")
    return "right on a CNN with its first convolution frozen."


@exercise("8.2")
def check_vgg_head_parameters(answer):
    """Exercise 8.2: trainable parameters of a Flatten + Dense(10) head on VGG16's base at 64×64."""
    return compare_value(answer, "a parameter count", 2 * 2 * 512 * N_CLASSES + N_CLASSES,
                         near_misses=[(5130, "that is the head at 32×32; at 64×64 the base's output is larger."),
                                      (20480, "close: you counted the weights; each output also has a bias.")],
                         hint="not right: how many times does VGG16's base halve the image, and how many "
                              "channels does it end with?",
                         success="64 / 2⁵ = 2, so 2 × 2 × 512 = 2,048 features × 10 + 10 biases.")


@exercise("8.3")
def check_new_head_model(answer):
    """Exercise 8.3: ``new_head_model(base, classes)`` -> a model: the frozen base, then a new softmax head."""
    require_function(answer, "new_head_model(base, classes)")
    import keras

    from mnist_lessons.models import pretrained

    base = keras.Sequential([keras.Input((28, 28, 1)), *pretrained("cnn").layers[:-1]], name="base")
    before = [w.copy() for w in base.get_weights()]
    model = call(answer, base, 3)
    if not isinstance(model, keras.Model):
        raise Wrong(f"expected a Keras model; got {type(model).__name__}.")
    if model.output_shape != (None, 3):
        raise Wrong(f"expected 3 outputs, one per new class; the model's output shape is {model.output_shape}.")
    # A copy of the base (clone_model, or new layers given its weights) would pass every other test.
    if not all(any(weight is variable for variable in model.weights) for weight in base.weights):
        raise Wrong("the base was copied: pass `base` itself into the new model, so that its trained "
                    "weights are reused rather than duplicated.")
    if any(weight is variable for weight in base.trainable_weights for variable in model.trainable_weights):
        raise Wrong("the base still trains: set base.trainable = False so that only the head learns.")
    if sum(int(np.prod(w.shape)) for w in model.trainable_weights) != 1600 * 3 + 3:
        raise Wrong("only the head should train: a Dense layer of 3 units on the base's 1,600 features.")
    images = np.random.default_rng(8).random((4, 28, 28, 1)).astype("float32")
    if not np.allclose(model.predict(images, verbose=0).sum(axis=1), 1, atol=1e-5):
        raise Wrong("the head should end in a softmax, so that the outputs are probabilities.")
    if not all(np.array_equal(a, b) for a, b in zip(before, base.get_weights())):
        raise Wrong("the base's weights changed: reuse them as they are.")
    return "the base is frozen and reused as it is; only the new head's 4,803 parameters train."


# Chapter 9 -------------------------------------------------------------------------------------

@exercise("9.1")
def check_ink_centre(answer):
    """Exercise 9.1: ``ink_centre(image)`` -> (row, column) of the centre of a 2-D image's ink."""
    require_function(answer, "ink_centre(image)")
    from mnist_lessons.preprocess import centre_of_mass

    _, (x_test, _) = mnist_sample()
    failures = 0
    for image in (x_test[:20] / PIXEL_MAX).astype("float32"):
        result = as_array(call(answer, image), (2,), "a (row, column) pair")
        expected = np.array(centre_of_mass(image))
        if np.allclose(result, expected[::-1], atol=1e-4) and not np.allclose(result, expected, atol=1e-4):
            raise Wrong("row and column are swapped: return (row, column).")
        failures += not np.allclose(result, expected, atol=1e-4)
    if failures:
        raise Wrong(f"wrong on {failures} of 20 digits: weigh each pixel's row and column by its ink and "
                    "divide by the total ink.")
    return "right on 20 test digits."


@exercise("9.2")
def check_shrunk_width(answer):
    """Exercise 9.2: width in pixels of a 10-pixel-wide stroke after shrinking a 280 pad to 28."""
    return compare_value(answer, "a width in pixels", 1,
                         near_misses=[(2, "that counts the pixels the stroke touches; add up their ink instead "
                                          "(a half-grey pixel is half a pixel's worth)."),
                                      (10, "that is its width on the pad, before shrinking.")],
                         hint="not right: the pad shrinks by the same factor in every direction.",
                         success="280 → 28 divides every length by 10.")
