"""Checks for the exercises of chapters 5–6: softmax and cross-entropy, gradients and optimisers.

Each check's hidden variant (``variant="hidden"``) runs on other logits, another seed or other
shapes, within what its exercise states; number questions have one answer and no hidden variant.
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

# Chapter 5 -------------------------------------------------------------------------------------

@exercise("5.1", points=2)
def check_cross_entropy(answer, variant):
    """Exercise 5.1: ``cross_entropy(logits, labels)``, the mean of -log softmax of the true class, stably.

    The hidden variant uses the shipped MLP's logits on other digits, shifted down by 1,000 as well
    as up: then every e^z underflows to 0 and a naive softmax divides 0 by 0.
    """
    require_function(answer, "cross_entropy(logits, labels)")
    import keras

    from mnist_lessons.models import logits_model, pretrained

    _, (x_test, y_test) = mnist_sample(n_test=variant.pick(200, 150), seed=sample_seed(variant))
    images = (x_test / PIXEL_MAX).astype("float32")
    model = variant.pick("cnn", "mlp")
    logits = logits_model(pretrained(model)).predict(images if variant.hidden else images[..., None], verbose=0)
    loss = keras.losses.SparseCategoricalCrossentropy(from_logits=True)
    # Plus 1,000, e^z overflows even in float64 (above about 709), whatever the answer computes in;
    # the right loss is unchanged by the shift.
    cases = [(logits, f"the shipped {model.upper()}'s logits"),
             (logits.astype(np.float64) + 1000.0, "the same logits plus 1,000")]
    if variant.hidden:
        cases.append((logits.astype(np.float64) - 1000.0, "the same logits minus 1,000"))
    for inputs, where in cases:
        expected = float(loss(y_test, inputs))
        with np.errstate(all="ignore"):
            result = call(answer, inputs, y_test, context=f" (on {where})")
        value = as_number(result, "one number, the mean loss")
        if not np.isfinite(value):
            raise Wrong(f"not a finite number on {where}: the exponentials overflow (or all underflow to 0). "
                        "Subtract each row's largest logit first (log-sum-exp).")
        if np.isclose(value, -expected, rtol=1e-4):
            raise Wrong("the sign is wrong: the loss is minus the log probability.")
        if not np.isclose(value, expected, rtol=1e-4):
            raise Wrong(f"not Keras' value on {where}: take the log-softmax of each row, pick the true "
                        "class, and average minus that.")
    return ("equals SparseCategoricalCrossentropy(from_logits=True), even on logits that overflow a naive "
            "softmax in float64.")


def _mean_cross_entropy(logits, labels, temperature):
    z = np.asarray(logits, dtype=np.float64) / temperature
    z = z - z.max(axis=1, keepdims=True)
    log_p = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
    return float(-log_p[np.arange(len(labels)), labels].mean())


def best_temperature(logits, labels, low=0.01, high=100.0):
    """The temperature that minimises the mean cross-entropy, by golden-section search on log T.

    The loss is unimodal in T (convex in 1/T: a log-sum-exp minus a linear term), so the search
    finds its minimum to within 1e-6 of log T.
    """
    a, b = np.log(low), np.log(high)
    ratio = (np.sqrt(5) - 1) / 2
    while b - a > 1e-6:
        c, d = b - ratio * (b - a), a + ratio * (b - a)
        if _mean_cross_entropy(logits, labels, np.exp(c)) < _mean_cross_entropy(logits, labels, np.exp(d)):
            b = d
        else:
            a = c
    return float(np.exp((a + b) / 2))


def _made_up_logits(rng, n, temperature):
    """Logits of a made-up model whose best temperature is about ``temperature``: labels drawn from
    softmax(z), logits handed out as z · temperature."""
    z = rng.normal(0, 2.0, (n, N_CLASSES))
    z[np.arange(n), rng.integers(0, N_CLASSES, n)] += 3.0
    p = np.exp(z - z.max(axis=1, keepdims=True))
    p /= p.sum(axis=1, keepdims=True)
    labels = np.array([rng.choice(N_CLASSES, p=row) for row in p])
    return z * temperature, labels


@exercise("5.2", points=2)
def check_fit_temperature(answer, variant):
    """Exercise 5.2: ``fit_temperature(logits, labels)`` -> the T > 0 that minimises the mean cross-entropy.

    The visible check uses made-up logits of an over-confident model (best T about 2.5), then of an
    under-confident one (about 0.4); the hidden variant other logits with best temperatures of about
    6 and 0.15. A grid that stops where the chapter's stopped (0.2 to 1.5) misses both.
    """
    require_function(answer, "fit_temperature(logits, labels)")
    rng = np.random.default_rng(variant.pick(25, 35))
    for scale in variant.pick((2.5, 0.4), (6.0, 0.15)):
        logits, labels = _made_up_logits(rng, 2000, scale)
        expected = best_temperature(logits, labels)
        value = as_number(call(answer, logits.copy(), labels.copy()), "a temperature")
        if value <= 0:
            raise Wrong("a temperature is positive: the logits are divided by it.")
        if abs(np.log(value) - np.log(expected)) <= 0.01:
            continue
        if abs(np.log(value) + np.log(expected)) <= 0.01:
            raise Wrong("that is 1/T: the logits are divided by the temperature, not multiplied.")
        if value in (0.2, 1.5) or abs(value - 0.2) < 1e-9 or abs(value - 1.5) < 1e-9:
            raise Wrong("your temperature sits at the end of your search range: the best one lies outside it. "
                        "Search a wider range (the best T can be far above 1 or far below it).")
        raise Wrong("not the temperature with the lowest mean cross-entropy on these logits (to within 1 %): "
                    "divide the logits by T, take the mean cross-entropy, and find the T that minimises it.")
    return variant.pick("finds the best temperature of an over-confident and an under-confident model, to 1 %.",
                        "finds the best temperature of two other models, to 1 %.")


@exercise("5.3", points=2)
def check_binary_cross_entropy(answer, variant):
    """Exercise 5.3: ``binary_cross_entropy(logits, labels)``: the mean loss of a one-logit (sigmoid) classifier."""
    require_function(answer, "binary_cross_entropy(logits, labels)")
    import keras

    rng = np.random.default_rng(variant.pick(6, 16))
    n = variant.pick(500, 400)
    labels = rng.integers(0, 2, n)
    loss = keras.losses.BinaryCrossentropy(from_logits=True)
    for scale in variant.pick((3.0, 300.0), (5.0, 2000.0)):
        where = f"logits of size about {scale:,.0f}"
        logits = rng.normal(0, scale, n)
        expected = float(loss(labels[:, None].astype("float64"), logits[:, None]))
        with np.errstate(all="ignore"):
            value = as_number(call(answer, logits, labels, context=f" (on {where})"), "one number, the mean loss")
        if not np.isfinite(value):
            raise Wrong(f"not a finite number on {where}: e^z overflows or the sigmoid reaches exactly 0 or 1. "
                        "Write −log σ(z) as log(1 + e^(−z)) and keep the exponent non-positive.")
        if not np.isclose(value, expected, rtol=1e-5, atol=1e-8):
            raise Wrong(f"not Keras' value on {where}: the loss of a digit is −log σ(z) when its label is 1 "
                        "and −log(1 − σ(z)) when it is 0, averaged.")
    return "equals BinaryCrossentropy(from_logits=True), even on logits that overflow a naive sigmoid."


# Chapter 6 -------------------------------------------------------------------------------------

POOL_WINDOW, POOL_STRIDE = 3, 2       # exercise 6.1's overlapping pooling, as AlexNet pooled


def _overlapping_pool_gradient(x, upstream):
    """TensorFlow's gradient of sum(upstream · max_pool(x, 3, stride 2)) with respect to x."""
    import tensorflow as tf  # only when checked

    inputs = tf.constant(x)
    with tf.GradientTape() as tape:
        tape.watch(inputs)
        pooled = tf.nn.max_pool2d(inputs, POOL_WINDOW, POOL_STRIDE, "VALID")
        total = tf.reduce_sum(pooled * upstream)
    return tape.gradient(total, inputs).numpy()


def _pool_backward_by_assignment(x, upstream):
    """The chapter's routing with assignment (=) instead of addition: right only when windows do not overlap."""
    grad = np.zeros_like(x)
    for r in range(upstream.shape[1]):
        for c in range(upstream.shape[2]):
            window = x[:, POOL_STRIDE * r:POOL_STRIDE * r + POOL_WINDOW, POOL_STRIDE * c:POOL_STRIDE * c + POOL_WINDOW]
            flat = window.reshape(len(x), -1, x.shape[-1]).argmax(axis=1)
            rows, cols = np.divmod(flat, POOL_WINDOW)
            n, ch = np.meshgrid(np.arange(len(x)), np.arange(x.shape[-1]), indexing="ij")
            grad[n, POOL_STRIDE * r + rows, POOL_STRIDE * c + cols, ch] = upstream[:, r, c]
    return grad


@exercise("6.1", points=3)
def check_overlapping_pool_backward(answer, variant):
    """Exercise 6.1: ``pool_backward(x, grad_out)``: ∂L/∂x through 3×3 max pooling with stride 2.

    ``x`` is (n, h, w, c); ``grad_out`` is ∂L/∂y for the pooled output. The windows overlap, so
    an input can win two or four of them, and its gradient is the sum of theirs. The inputs are
    random normal numbers (no ties). The hidden variant uses other numbers and shapes, with a
    leftover row and column that no window reaches.
    """
    require_function(answer, "pool_backward(x, grad_out)")
    rng = np.random.default_rng(variant.pick(9, 19))
    shape = variant.pick((2, 13, 13, 8), (3, 12, 10, 5))
    x = rng.normal(0, 1, shape)
    out = ((shape[1] - POOL_WINDOW) // POOL_STRIDE + 1, (shape[2] - POOL_WINDOW) // POOL_STRIDE + 1)
    upstream = rng.normal(0, 1, (shape[0], *out, shape[3]))
    expected = _overlapping_pool_gradient(x, upstream)
    result = as_array(call(answer, x.copy(), upstream.copy()), x.shape, "∂L/∂x, shaped like x")
    if np.allclose(result, expected, atol=1e-6):
        return (f"equals GradientTape's gradient on {shape[0]} random {shape[1]}×{shape[2]}×{shape[3]} inputs: "
                "where windows overlap, a winner of several collects all their gradients.")
    if np.allclose(result, _pool_backward_by_assignment(x, upstream), atol=1e-6):
        raise Wrong("right for an input that wins one window, not for one that wins two: the windows overlap, "
                    "so add each window's gradient to its winner (+=) instead of assigning it (=).")
    if np.count_nonzero(result) > np.count_nonzero(expected) * 2:
        raise Wrong("the gradient reaches too many inputs: max pooling passes each window's gradient to its "
                    "largest input only, not spread over the window.")
    raise Wrong("not GradientTape's gradient: for each output (r, c), find the largest input of the 3×3 window "
                "that starts at (2r, 2c) and add grad_out[r, c] to its gradient.")


@exercise("6.2", points=1)
def check_momentum_velocity(answer):
    """Exercise 6.2: velocity after three momentum steps with a constant gradient."""
    expected = -(0.1 + 0.1 * 0.9 + 0.1 * 0.81)
    return compare_value(answer, "a velocity (to three decimals)", expected, tolerance=1e-3,
                         near_misses=[(-expected, "the sign: the step goes against the gradient."),
                                      (-0.561, "that is where the weight is after three steps (the sum of the "
                                               "velocities); the question asks for the velocity."),
                                      (-0.3, "that ignores the decay: the old velocity is multiplied by μ each "
                                             "step.")],
                         hint="not right: apply v ← μ v − η g three times, starting from v = 0.",
                         success="−(0.1 + 0.09 + 0.081) = −0.271.")


def _three_layer_gradient(x, labels, weights):
    import tensorflow as tf

    variables = [tf.Variable(w) for w in weights]
    with tf.GradientTape() as tape:
        W1, b1, W2, b2, W3, b3 = variables
        h1 = tf.nn.relu(x @ W1 + b1)
        h2 = tf.nn.relu(h1 @ W2 + b2)
        logits = h2 @ W3 + b3
        loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels, logits))
    return tape.gradient(loss, variables[0]).numpy()


@exercise("6.3", points=3)
def check_first_layer_gradient(answer, variant):
    """Exercise 6.3: ``first_layer_gradient(X, labels, W1, b1, W2, b2, W3, b3)`` -> dL/dW1 of a two-hidden-layer net."""
    require_function(answer, "first_layer_gradient(X, labels, W1, b1, W2, b2, W3, b3)")
    rng = np.random.default_rng(variant.pick(7, 17))
    inputs, first, second, n = variant.pick((20, 16, 12, 32), (12, 20, 8, 24))
    shapes = [(inputs, first), (first,), (first, second), (second,), (second, N_CLASSES), (N_CLASSES,)]
    weights = [rng.normal(0, 0.5, size=shape).astype(np.float64) for shape in shapes]
    x = rng.random((n, inputs))
    labels = rng.integers(0, N_CLASSES, n)
    expected = _three_layer_gradient(x, labels, weights)
    result = as_array(call(answer, x, labels, *weights), expected.shape, "dL/dW1, shaped like W1")
    if np.allclose(result, expected, rtol=1e-5, atol=1e-8):
        return "equals GradientTape's gradient for W1, through both hidden layers."
    if np.allclose(result, expected * len(x), rtol=1e-5, atol=1e-8):
        raise Wrong("the loss is the mean over the batch: divide the gradient at the logits by n.")
    W1, b1, W2, b2, W3, b3 = weights
    pre1 = x @ W1 + b1
    h1 = np.maximum(pre1, 0)
    pre2 = h1 @ W2 + b2
    logits = np.maximum(pre2, 0) @ W3 + b3
    p = np.exp(logits - logits.max(axis=1, keepdims=True))
    p /= p.sum(axis=1, keepdims=True)
    dz = (p - np.eye(N_CLASSES)[labels]) / len(x)
    unmasked = x.T @ (((dz @ W3.T) @ W2.T) * (pre1 > 0))
    if np.allclose(result, unmasked, rtol=1e-5, atol=1e-8):
        raise Wrong("the second hidden layer's ReLU is missing: multiply the gradient at its output by "
                    "[its input > 0] before going back through W2.")
    raise Wrong("not GradientTape's gradient: go back one layer at a time, (P − Y) / n, then through W3, the "
                "second ReLU, W2 and the first ReLU, and finish with Xᵀ times the gradient at the first layer.")
