"""Auto-checks for the chapters' exercises.

Each ``check_<name>(answer)`` tests a student's function or value against a
reference on real data and prints one line: a pass, or a failure with a hint
that never gives the answer away. A malformed answer (wrong type, wrong shape,
a function that crashes) gets a line saying what was expected instead of an
exception. Every check also returns a `CheckResult`, true when the answer
passed, so it can be used in code (a grading script, say).

An unanswered exercise (the stub of a student copy: a function that raises
``NotImplementedError`` or the value ``NotImplemented``) raises
``NotImplementedError`` naming the exercise, so a notebook stops there the way
the stub itself would.
"""

import inspect
import numbers

import numpy as np

PASS, FAIL = "✓", "✗"


class CheckResult:
    """The outcome of one check: true if the answer passed; ``exercise``, ``passed`` and ``message``."""

    def __init__(self, exercise, passed, message):
        self.exercise, self.passed, self.message = exercise, bool(passed), message

    def __bool__(self):
        return self.passed

    def __repr__(self):
        return f"{PASS if self.passed else FAIL} Exercise {self.exercise}: {self.message}"

    def _ipython_display_(self):
        # The check has already printed this line; as a cell's last value, show nothing more.
        pass


def _report(exercise, passed, message):
    result = CheckResult(exercise, passed, message)
    print(repr(result))
    return result


def _not_answered(exercise, answer):
    if answer is NotImplemented or answer is Ellipsis:
        raise NotImplementedError(f"Exercise {exercise}: not answered yet; replace the placeholder with your answer.")


def _call(exercise, function, *args):
    """Call the student's function; return (result, None) or (None, a message saying what went wrong)."""
    try:
        return function(*args), None
    except NotImplementedError:
        raise
    except Exception as error:  # the student's code failed: say how, without a traceback
        return None, f"your function raised {type(error).__name__}: {error}"


def _check_function(exercise, answer, parameters):
    _not_answered(exercise, answer)
    if not callable(answer):
        return f"expected a function {parameters}; got {type(answer).__name__}."
    try:
        count = len(inspect.signature(answer).parameters)
    except (TypeError, ValueError):
        return None
    expected = parameters.count(",") + 1
    if count != expected:
        return f"expected a function {parameters} with {expected} argument(s); yours takes {count}."
    return None


def _as_array(exercise, result, shape, what):
    array = np.asarray(result) if result is not None else None
    if array is None or array.dtype == object or not np.issubdtype(array.dtype, np.number):
        return None, f"expected {what} (a NumPy array of numbers); got {type(result).__name__}."
    if array.shape != shape:
        return None, f"expected {what} of shape {shape}; got shape {array.shape}."
    return array, None


def _number(exercise, answer, what):
    _not_answered(exercise, answer)
    if isinstance(answer, bool) or not isinstance(answer, (numbers.Real, np.number)):
        return None, f"expected {what} (a number); got {type(answer).__name__} {answer!r}."
    return float(answer), None


def _check_value(exercise, answer, what, expected, *, near_misses=(), hint, success, tolerance=0.0):
    """Compare a number with ``expected``; known wrong answers get their own hints."""
    value, problem = _number(exercise, answer, what)
    if problem:
        return _report(exercise, False, problem)
    for wrong, wrong_hint in near_misses:
        if np.isclose(value, wrong, rtol=0, atol=tolerance):
            return _report(exercise, False, wrong_hint)
    if not np.isclose(value, expected, rtol=0, atol=tolerance):
        return _report(exercise, False, hint)
    return _report(exercise, True, success)


def _mnist(n_test=200):
    from mnist_lessons.data import load_mnist

    return load_mnist(n_train=1000, n_test=n_test, seed=1)


# Chapter 1 -------------------------------------------------------------------------------------

def check_ink_fraction(answer):
    """Exercise 1.1: ``ink_fraction(images)`` -> fraction of non-zero pixels of each uint8 image."""
    exercise = "1.1"
    problem = _check_function(exercise, answer, "ink_fraction(images)")
    if problem:
        return _report(exercise, False, problem)
    (x_train, _), _ = _mnist()
    expected = (x_train[:300] > 0).mean(axis=(1, 2))
    result, error = _call(exercise, answer, x_train[:300])
    if error:
        return _report(exercise, False, error)
    result, problem = _as_array(exercise, result, expected.shape, "one fraction per image")
    if problem:
        return _report(exercise, False, problem)
    if np.allclose(result, expected * 784):
        return _report(exercise, False, "those look like pixel counts; divide by the number of pixels.")
    if not np.allclose(result, expected, atol=1e-6):
        return _report(exercise, False, "not the right fractions: count the pixels that are not exactly 0, "
                                        "per image, and divide by 28 × 28.")
    return _report(exercise, True, "right on 300 real training digits.")


def check_inkiest_digit(answer):
    """Exercise 1.2: which class has the most ink on average (an int 0..9)?"""
    from mnist_lessons.data import load_mnist

    (x_train, y_train), _ = load_mnist()
    ink = (x_train > 0).mean(axis=(1, 2))
    inkiest = int(np.argmax([ink[y_train == c].mean() for c in range(10)]))
    return _check_value("1.2", answer, "a class 0..9", inkiest,
                        hint="not that one. Compute the mean ink fraction of each class with your "
                             "ink_fraction and compare (think of which digits have loops).",
                        success=f"class {inkiest} has the most ink on average.")


# Chapter 2 -------------------------------------------------------------------------------------

def check_dense_parameters(answer):
    """Exercise 2.1: parameters of Dense(64) on 784 inputs."""
    return _check_value("2.1", answer, "a parameter count", 784 * 64 + 64,
                        near_misses=[(784 * 64, "close: you counted the weights; every unit also has a bias.")],
                        hint="not right: each of the 64 units has one weight per input and one bias.",
                        success="784 × 64 weights plus 64 biases.")


def check_dense_by_hand(answer):
    """Exercise 2.2: ``dense_by_hand(x, W, b)`` = relu(x @ W + b), checked on the shipped MLP."""
    exercise = "2.2"
    problem = _check_function(exercise, answer, "dense_by_hand(x, W, b)")
    if problem:
        return _report(exercise, False, problem)
    from mnist_lessons.activations import layer_output
    from mnist_lessons.models import pretrained

    mlp = pretrained("mlp")
    _, (x_test, _) = _mnist()
    x_test = (x_test / 255.0).astype("float32")
    W, b = mlp.get_layer("hidden").get_weights()
    expected = layer_output(mlp, "hidden", x_test)
    result, error = _call(exercise, answer, x_test.reshape(len(x_test), -1), W, b)
    if error:
        return _report(exercise, False, error)
    result, problem = _as_array(exercise, result, expected.shape, "the layer's output")
    if problem:
        return _report(exercise, False, problem)
    if result.min() < 0:
        return _report(exercise, False, "some outputs are negative: the layer ends in a ReLU.")
    if not np.allclose(result, expected, atol=1e-4):
        return _report(exercise, False, "not the layer's output: multiply the inputs by W, add b, then apply ReLU.")
    return _report(exercise, True, "equals the shipped MLP's hidden layer on 200 test digits.")


# Chapter 3 -------------------------------------------------------------------------------------

def check_convolve(answer):
    """Exercise 3.1: ``convolve(image, kernel)``, a valid 2-D cross-correlation, checked against TensorFlow."""
    exercise = "3.1"
    problem = _check_function(exercise, answer, "convolve(image, kernel)")
    if problem:
        return _report(exercise, False, problem)
    import tensorflow as tf

    _, (x_test, _) = _mnist()
    image = (x_test[0] / 255.0).astype("float32")
    kernel = np.random.default_rng(0).normal(size=(3, 5)).astype("float32")   # not square on purpose
    expected = tf.nn.conv2d(image[None, ..., None], kernel[..., None, None], 1, "VALID").numpy()[0, ..., 0]
    result, error = _call(exercise, answer, image, kernel)
    if error:
        return _report(exercise, False, error)
    result, problem = _as_array(exercise, result, expected.shape, "the valid output (no padding)")
    if problem:
        return _report(exercise, False, problem + " A 3×5 kernel on 28×28 leaves 26×24 positions.")
    flipped = tf.nn.conv2d(image[None, ..., None], kernel[::-1, ::-1, None, None], 1, "VALID").numpy()[0, ..., 0]
    if np.allclose(result, flipped, atol=1e-4):
        return _report(exercise, False, "you flipped the kernel (a textbook convolution); Keras does not.")
    if not np.allclose(result, expected, atol=1e-4):
        return _report(exercise, False, "wrong values: each output is the sum of the window times the kernel.")
    return _report(exercise, True, "equals tf.nn.conv2d on a real digit with a 3×5 kernel.")


def check_conv_parameters(answer):
    """Exercise 3.2: parameters of Conv2D(16, 5×5) on a one-channel image."""
    return _check_value("3.2", answer, "a parameter count", 16 * 25 + 16,
                        near_misses=[(16 * 25, "close: you counted the weights; every filter also has a bias.")],
                        hint="not right: the count does not depend on the image size, only on the "
                             "kernels and the channels.",
                        success="16 filters × (5 × 5 weights + 1 bias).")


# Chapter 4 -------------------------------------------------------------------------------------

def check_max_pool(answer):
    """Exercise 4.1: ``max_pool(maps)`` 2×2 for (h, w, channels) maps, checked against Keras."""
    exercise = "4.1"
    problem = _check_function(exercise, answer, "max_pool(maps)")
    if problem:
        return _report(exercise, False, problem)
    import keras

    maps = np.random.default_rng(1).normal(size=(11, 11, 4)).astype("float32")   # odd on purpose
    expected = keras.layers.MaxPooling2D(2)(maps[None]).numpy()[0]
    result, error = _call(exercise, answer, maps)
    if error:
        return _report(exercise, False, error + " (the maps are 11×11×4: what happens to the last row?)")
    result, problem = _as_array(exercise, result, expected.shape, "the pooled maps")
    if problem:
        return _report(exercise, False, problem + " Keras drops a leftover row and column.")
    if not np.allclose(result, expected):
        return _report(exercise, False, "wrong values: keep the largest of each 2×2 block, per channel.")
    return _report(exercise, True, "equals MaxPooling2D on 11×11×4 maps.")


def check_output_size(answer):
    """Exercise 4.2: 32×32 through conv 3×3, pool 2, conv 3×3, pool 2."""
    return _check_value("4.2", answer, "a side length in pixels", 6,
                        near_misses=[(6.5, "a pooled side is a whole number: a leftover row is dropped.")],
                        hint="not right: a valid 3×3 convolution removes 2 pixels per side, pooling "
                             "halves (rounding down).",
                        success="32 → 30 → 15 → 13 → 6.")


# Chapter 5 -------------------------------------------------------------------------------------

def check_cross_entropy(answer):
    """Exercise 5.1: ``cross_entropy(probabilities, labels)``, the mean of -log p of the true class."""
    exercise = "5.1"
    problem = _check_function(exercise, answer, "cross_entropy(probabilities, labels)")
    if problem:
        return _report(exercise, False, problem)
    import keras

    from mnist_lessons.models import pretrained

    _, (x_test, y_test) = _mnist()
    probabilities = pretrained("cnn").predict((x_test / 255.0).astype("float32")[..., None], verbose=0)
    expected = float(keras.losses.SparseCategoricalCrossentropy()(y_test, probabilities))
    result, error = _call(exercise, answer, probabilities, y_test)
    if error:
        return _report(exercise, False, error)
    value, problem = _number(exercise, result, "one number, the mean loss")
    if problem:
        return _report(exercise, False, problem)
    if np.isclose(value, -expected, rtol=1e-4):
        return _report(exercise, False, "the sign is wrong: the loss is minus the log probability.")
    if not np.isclose(value, expected, rtol=1e-4):
        return _report(exercise, False, "not Keras' value: take the probability of each digit's true class, "
                                        "its natural log, and the mean of minus that.")
    return _report(exercise, True, "equals SparseCategoricalCrossentropy on the shipped CNN's outputs.")


def check_uniform_loss(answer):
    """Exercise 5.2: cross-entropy of equal logits over 5 classes."""
    return _check_value("5.2", answer, "a loss", np.log(5), tolerance=2e-3,
                        near_misses=[(np.log(10), "that is the value for 10 classes; here there are 5.")],
                        hint="not right: equal logits give every class the same probability.",
                        success="ln 5 ≈ 1.609.")


# Chapter 6 -------------------------------------------------------------------------------------

def check_logit_gradient(answer):
    """Exercise 6.1: ``logit_gradient(logits, label)``, dL/dz of softmax cross-entropy for one digit."""
    exercise = "6.1"
    problem = _check_function(exercise, answer, "logit_gradient(logits, label)")
    if problem:
        return _report(exercise, False, problem)
    import keras
    import tensorflow as tf

    logits = np.random.default_rng(2).normal(0, 2, size=10).astype("float32")
    label = 3
    z = tf.Variable(logits[None])
    with tf.GradientTape() as tape:
        loss = keras.losses.SparseCategoricalCrossentropy(from_logits=True)(np.array([label]), z)
    expected = tape.gradient(loss, z).numpy()[0]
    result, error = _call(exercise, answer, logits, label)
    if error:
        return _report(exercise, False, error)
    result, problem = _as_array(exercise, result, (10,), "one derivative per logit")
    if problem:
        return _report(exercise, False, problem)
    if np.allclose(result, -expected, atol=1e-5):
        return _report(exercise, False, "the sign is flipped: the loss falls as the true logit rises.")
    if not np.allclose(result, expected, atol=1e-5):
        return _report(exercise, False, "not GradientTape's gradient: start from the softmax of the logits.")
    return _report(exercise, True, "equals GradientTape's gradient.")


def check_momentum_velocity(answer):
    """Exercise 6.2: velocity after three momentum steps with a constant gradient."""
    expected = -(0.1 + 0.1 * 0.9 + 0.1 * 0.81)
    return _check_value("6.2", answer, "a velocity", expected, tolerance=1e-6,
                        near_misses=[(-expected, "the sign: the step goes against the gradient."),
                                     (-0.3, "that ignores the decay: the old velocity is multiplied "
                                            "by μ each step.")],
                        hint="not right: apply v ← μ v − η g three times, starting from v = 0.",
                        success="−(0.1 + 0.09 + 0.081) = −0.271.")


# Chapter 7 -------------------------------------------------------------------------------------

def check_confusion_matrix(answer):
    """Exercise 7.1: ``confusion_matrix(labels, predictions)`` -> 10×10 counts, rows true classes."""
    exercise = "7.1"
    problem = _check_function(exercise, answer, "confusion_matrix(labels, predictions)")
    if problem:
        return _report(exercise, False, problem)
    rng = np.random.default_rng(3)
    labels = rng.integers(0, 10, 500)
    predictions = np.where(rng.random(500) < 0.8, labels, rng.integers(0, 10, 500))
    expected = np.zeros((10, 10), dtype=int)
    np.add.at(expected, (labels, predictions), 1)
    result, error = _call(exercise, answer, labels, predictions)
    if error:
        return _report(exercise, False, error)
    result, problem = _as_array(exercise, result, (10, 10), "a 10×10 matrix")
    if problem:
        return _report(exercise, False, problem)
    if np.array_equal(result, expected.T):
        return _report(exercise, False, "transposed: rows are the true classes, columns the predictions.")
    if not np.array_equal(result, expected):
        return _report(exercise, False, "wrong counts: add 1 at (true class, prediction) for each digit.")
    return _report(exercise, True, "right on 500 labelled predictions.")


def check_class_accuracy(answer):
    """Exercise 7.2: ``class_accuracy(matrix)`` -> accuracy of each true class from a confusion matrix."""
    exercise = "7.2"
    problem = _check_function(exercise, answer, "class_accuracy(matrix)")
    if problem:
        return _report(exercise, False, problem)
    rng = np.random.default_rng(4)
    matrix = rng.integers(0, 5, (10, 10)) + np.diag(rng.integers(50, 100, 10))
    expected = matrix.diagonal() / matrix.sum(axis=1)
    result, error = _call(exercise, answer, matrix)
    if error:
        return _report(exercise, False, error)
    result, problem = _as_array(exercise, result, (10,), "one accuracy per class")
    if problem:
        return _report(exercise, False, problem)
    if np.allclose(result, matrix.diagonal() / matrix.sum(axis=0)):
        return _report(exercise, False, "you divided by the column sums (predictions); divide by the rows.")
    if not np.allclose(result, expected):
        return _report(exercise, False, "not right: the diagonal holds the right answers of each class.")
    return _report(exercise, True, "right on a 10×10 matrix.")


# Chapter 8 -------------------------------------------------------------------------------------

def check_count_trainable(answer):
    """Exercise 8.1: ``count_trainable(model)`` -> number of trainable parameters."""
    exercise = "8.1"
    problem = _check_function(exercise, answer, "count_trainable(model)")
    if problem:
        return _report(exercise, False, problem)
    from mnist_lessons.models import build_cnn

    model = build_cnn()
    for layer in model.layers[:3]:
        layer.trainable = False
    expected = sum(int(np.prod(w.shape)) for w in model.trainable_weights)
    result, error = _call(exercise, answer, model)
    if error:
        return _report(exercise, False, error)
    value, problem = _number(exercise, result, "a parameter count")
    if problem:
        return _report(exercise, False, problem)
    if value == model.count_params():
        return _report(exercise, False, "that counts every parameter; only the trainable ones are wanted.")
    if value != expected:
        return _report(exercise, False, "not right: add up the sizes of model.trainable_weights.")
    return _report(exercise, True, "right on a CNN with its first convolution frozen.")


def check_vgg_head_parameters(answer):
    """Exercise 8.2: trainable parameters of a Flatten + Dense(10) head on VGG16's base at 64×64."""
    return _check_value("8.2", answer, "a parameter count", 2 * 2 * 512 * 10 + 10,
                        near_misses=[(5130, "that is the head at 32×32; at 64×64 the base's output is larger."),
                                     (20480, "close: you counted the weights; each output also has a bias.")],
                        hint="not right: VGG16's base halves the image five times and ends in 512 channels; "
                             "Flatten passes every value to the head.",
                        success="64 / 2⁵ = 2, so 2 × 2 × 512 = 2,048 features × 10 + 10 biases.")


# Chapter 9 -------------------------------------------------------------------------------------

def check_centre_of_mass(answer):
    """Exercise 9.1: ``centre_of_mass(image)`` -> (row, column) of a 2-D image's ink."""
    exercise = "9.1"
    problem = _check_function(exercise, answer, "centre_of_mass(image)")
    if problem:
        return _report(exercise, False, problem)
    from mnist_lessons.preprocess import centre_of_mass

    _, (x_test, _) = _mnist()
    failures = 0
    for image in (x_test[:20] / 255.0).astype("float32"):
        result, error = _call(exercise, answer, image)
        if error:
            return _report(exercise, False, error)
        result, problem = _as_array(exercise, result, (2,), "a (row, column) pair")
        if problem:
            return _report(exercise, False, problem)
        expected = np.array(centre_of_mass(image))
        if np.allclose(result, expected[::-1], atol=1e-4) and not np.allclose(result, expected, atol=1e-4):
            return _report(exercise, False, "row and column are swapped: return (row, column).")
        failures += not np.allclose(result, expected, atol=1e-4)
    if failures:
        return _report(exercise, False, f"wrong on {failures} of 20 digits: weigh each pixel's row and column "
                                        "by its ink and divide by the total ink.")
    return _report(exercise, True, "right on 20 test digits.")


def check_shrunk_width(answer):
    """Exercise 9.2: width in pixels of a 10-pixel-wide stroke after shrinking a 280 pad to 28."""
    return _check_value("9.2", answer, "a width in pixels", 1,
                        hint="not right: the pad shrinks by the same factor in every direction.",
                        success="280 → 28 divides every length by 10.")
