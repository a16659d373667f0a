"""Auto-checks for the chapters' exercises.

Each ``check_<name>(answer)`` tests a student's function on examples (real
digits where the exercise is about them) or compares a number with the right
one, and prints one line: a pass, or a failure with a hint that does not give
the answer away. A malformed answer (wrong type, wrong shape,
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
        signature = inspect.signature(answer)
    except (TypeError, ValueError):
        return None
    expected = parameters.count(",") + 1
    try:
        signature.bind(*range(expected))          # extra arguments with defaults are fine
    except TypeError:
        return (f"expected a function {parameters} with {expected} argument(s); yours takes "
                f"{len(signature.parameters)}.")
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
    scaled, error = _call(exercise, answer, x_train[:300] / 255.0)
    if error:
        return _report(exercise, False, error + " (on pixels scaled to [0, 1])")
    scaled, problem = _as_array(exercise, scaled, expected.shape, "one fraction per image")
    if problem or not np.allclose(scaled, expected, atol=1e-6):
        return _report(exercise, False, "right on raw pixels but not on pixels scaled to [0, 1]: a grey "
                                        "pixel is ink whatever the scale.")
    return _report(exercise, True, "right on 300 real training digits, raw and scaled.")


def check_inkiest_digit(answer):
    """Exercise 1.2: which class has the most ink on average (an int 0..9)?"""
    from mnist_lessons.data import load_mnist

    (x_train, y_train), _ = load_mnist()
    ink = (x_train > 0).mean(axis=(1, 2))
    inkiest = int(np.argmax([ink[y_train == c].mean() for c in range(10)]))
    return _check_value("1.2", answer, "a class 0..9", inkiest,
                        near_misses=[(8, "not 8: its two loops are small. Measure every class with your "
                                         "ink_fraction rather than guessing.")] if inkiest != 8 else (),
                        hint="not that one. Compute the mean ink fraction of each class with your "
                             "ink_fraction and compare.",
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
                        hint="not right: count the weights of one filter and its bias, then multiply "
                             "by the number of filters.",
                        success="16 filters × (5 × 5 weights + 1 bias).")


# Chapter 4 -------------------------------------------------------------------------------------

def check_max_pool(answer):
    """Exercise 4.1: ``max_pool(maps, size)``, size×size windows with stride size, checked against Keras."""
    exercise = "4.1"
    problem = _check_function(exercise, answer, "max_pool(maps, size)")
    if problem:
        return _report(exercise, False, problem)
    import keras

    maps = np.random.default_rng(1).normal(size=(11, 11, 4)).astype("float32")   # odd on purpose
    for size in (3, 2):
        expected = keras.layers.MaxPooling2D(size)(maps[None]).numpy()[0]
        result, error = _call(exercise, answer, maps, size)
        if error:
            return _report(exercise, False, error + f" (size {size} on 11×11×4 maps: what happens to the "
                                                    "rows that do not fill a window?)")
        result, problem = _as_array(exercise, result, expected.shape, f"the maps pooled with size {size}")
        if problem:
            return _report(exercise, False, problem + " Keras drops the rows and columns that do not fill "
                                                      "a whole window.")
        if not np.allclose(result, expected):
            return _report(exercise, False, f"wrong values for size {size}: keep the largest of each "
                                            "window, per channel.")
    return _report(exercise, True, "equals MaxPooling2D(3) and MaxPooling2D(2) on 11×11×4 maps.")


def check_output_size(answer):
    """Exercise 4.2: 32×32 through conv 3×3, pool 2, conv 3×3, pool 2."""
    return _check_value("4.2", answer, "a side length in pixels", 6,
                        near_misses=[(6.5, "a pooled side is a whole number: a leftover row is dropped."),
                                     (7, "pooling rounds down: a leftover row is dropped, not padded."),
                                     (8, "the convolutions shrink the maps too: no padding."),
                                     (5, "that is the book's CNN on 28×28 images; these are 32×32.")],
                        hint="not right: follow the side through each layer, one layer at a time.",
                        success="32 → 30 → 15 → 13 → 6.")


# Chapter 5 -------------------------------------------------------------------------------------

def check_cross_entropy(answer):
    """Exercise 5.1: ``cross_entropy(logits, labels)``, the mean of -log softmax of the true class, stably."""
    exercise = "5.1"
    problem = _check_function(exercise, answer, "cross_entropy(logits, labels)")
    if problem:
        return _report(exercise, False, problem)
    import keras

    from mnist_lessons.models import logits_model, pretrained

    _, (x_test, y_test) = _mnist()
    logits = logits_model(pretrained("cnn")).predict((x_test / 255.0).astype("float32")[..., None], verbose=0)
    loss = keras.losses.SparseCategoricalCrossentropy(from_logits=True)
    # Plus 1,000, e^z overflows even in float64 (above about 709), whatever the answer computes in;
    # the right loss is unchanged by the shift.
    cases = ((logits, "the shipped CNN's logits"),
             (logits.astype(np.float64) + 1000.0, "the same logits plus 1,000"))
    for inputs, where in cases:
        expected = float(loss(y_test, inputs))
        with np.errstate(all="ignore"):
            result, error = _call(exercise, answer, inputs, y_test)
        if error:
            return _report(exercise, False, error + f" (on {where})")
        value, problem = _number(exercise, result, "one number, the mean loss")
        if problem:
            return _report(exercise, False, problem)
        if not np.isfinite(value):
            return _report(exercise, False, f"not a finite number on {where}: the exponentials overflow. "
                                            "Subtract each row's largest logit first (log-sum-exp).")
        if np.isclose(value, -expected, rtol=1e-4):
            return _report(exercise, False, "the sign is wrong: the loss is minus the log probability.")
        if not np.isclose(value, expected, rtol=1e-4):
            return _report(exercise, False, f"not Keras' value on {where}: take the log-softmax of each "
                                            "row, pick the true class, and average minus that.")
    return _report(exercise, True, "equals SparseCategoricalCrossentropy(from_logits=True), even on "
                                   "logits that overflow a naive softmax in float64.")


def check_uniform_loss(answer):
    """Exercise 5.2: cross-entropy of equal logits over 5 classes."""
    return _check_value("5.2", answer, "a loss (to three decimals)", np.log(5), tolerance=1e-3,
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
    if np.allclose(result, expected + np.eye(10)[label], atol=1e-5):
        return _report(exercise, False, "those are the probabilities p; the gradient also subtracts the "
                                        "one-hot label y.")
    if not np.allclose(result, expected, atol=1e-5):
        return _report(exercise, False, "not GradientTape's gradient: start from the softmax of the logits.")
    return _report(exercise, True, "equals GradientTape's gradient.")


def check_momentum_velocity(answer):
    """Exercise 6.2: velocity after three momentum steps with a constant gradient."""
    expected = -(0.1 + 0.1 * 0.9 + 0.1 * 0.81)
    return _check_value("6.2", answer, "a velocity (to three decimals)", expected, tolerance=1e-3,
                        near_misses=[(-expected, "the sign: the step goes against the gradient."),
                                     (-0.561, "that is where the weight is after three steps (the sum of "
                                              "the velocities); the question asks for the velocity."),
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


def check_class_precision(answer):
    """Exercise 7.2: ``class_precision(matrix)`` -> for each class, the fraction of its predictions that were right."""
    exercise = "7.2"
    problem = _check_function(exercise, answer, "class_precision(matrix)")
    if problem:
        return _report(exercise, False, problem)
    rng = np.random.default_rng(4)
    matrix = rng.integers(0, 5, (10, 10)) + np.diag(rng.integers(50, 100, 10))
    expected = matrix.diagonal() / matrix.sum(axis=0)
    result, error = _call(exercise, answer, matrix)
    if error:
        return _report(exercise, False, error)
    result, problem = _as_array(exercise, result, (10,), "one precision per class")
    if problem:
        return _report(exercise, False, problem)
    if np.allclose(result, matrix.diagonal() / matrix.sum(axis=1)):
        return _report(exercise, False, "that divides by the row sums: the accuracy of each true class "
                                        "(its recall). Precision divides by what was predicted.")
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
    model.get_layer("conv1").trainable = False
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
                        hint="not right: how many times does VGG16's base halve the image, and how many "
                             "channels does it end with?",
                        success="64 / 2⁵ = 2, so 2 × 2 × 512 = 2,048 features × 10 + 10 biases.")


# Chapter 9 -------------------------------------------------------------------------------------

def check_ink_centre(answer):
    """Exercise 9.1: ``ink_centre(image)`` -> (row, column) of the centre of a 2-D image's ink."""
    exercise = "9.1"
    problem = _check_function(exercise, answer, "ink_centre(image)")
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
                        near_misses=[(2, "that counts the pixels the stroke touches; add up their ink instead "
                                         "(a half-grey pixel is half a pixel's worth)."),
                                     (10, "that is its width on the pad, before shrinking.")],
                        hint="not right: the pad shrinks by the same factor in every direction.",
                        success="280 → 28 divides every length by 10.")
