"""Checks for the exercises of chapters 1–4: the data, dense layers, convolution and pooling.

Each check's hidden variant (``variant="hidden"``) runs on other digits, another seed or other
shapes, within what its exercise states; number questions have one answer and no hidden variant.
"""

import numpy as np

from mnist_lessons.constants import IMAGE_SIDE, N_CLASSES, N_PIXELS, PIXEL_MAX
from mnist_lessons.data import load_mnist
from mnist_lessons.exercises._checking import (
    Wrong,
    as_array,
    call,
    compare_value,
    exercise,
    require_function,
)


def mnist_sample(n_test=200, seed=1):
    """A small fixed sample of the real MNIST (1,000 training and ``n_test`` test digits, raw uint8).

    The visible checks use ``seed=1``; their hidden variants draw other digits with ``seed=2``.
    """
    return load_mnist(n_train=1000, n_test=n_test, seed=seed)


def sample_seed(variant):
    """The seed of ``mnist_sample`` for a check's variant: other digits for the hidden one."""
    return variant.pick(1, 2)


# Chapter 1 -------------------------------------------------------------------------------------

@exercise("1.1", points=2)
def check_ink_fraction(answer, variant):
    """Exercise 1.1: ``ink_fraction(images)`` -> fraction of non-zero pixels of each uint8 image."""
    require_function(answer, "ink_fraction(images)")
    (x_train, _), _ = mnist_sample(seed=sample_seed(variant))
    x_train = x_train[:variant.pick(300, 250)]
    expected = (x_train > 0).mean(axis=(1, 2))
    result = as_array(call(answer, x_train), expected.shape, "one fraction per image")
    if np.allclose(result, expected * N_PIXELS):
        raise Wrong("those look like pixel counts; divide by the number of pixels.")
    if not np.allclose(result, expected, atol=1e-6):
        raise Wrong("not the right fractions: count the pixels that are not exactly 0, per image, and divide "
                    "by 28 × 28.")
    context = " (on pixels scaled to [0, 1])"
    scaled = call(answer, x_train / PIXEL_MAX, context=context)
    try:
        scaled = as_array(scaled, expected.shape, "one fraction per image")
    except Wrong:
        scaled = None
    if scaled is None or not np.allclose(scaled, expected, atol=1e-6):
        raise Wrong("right on raw pixels but not on pixels scaled to [0, 1]: a grey pixel is ink whatever "
                    "the scale.")
    return f"right on {len(x_train)} real training digits, raw and scaled."


def inkiest_class():
    """The class whose training digits have, on average, the largest share of inked pixels."""
    (x_train, y_train), _ = load_mnist()
    ink = (x_train > 0).mean(axis=(1, 2))
    return int(np.argmax([ink[y_train == c].mean() for c in range(N_CLASSES)]))


@exercise("1.2", points=1)
def check_inkiest_digit(answer):
    """Exercise 1.2: which class has the most ink on average (an int 0..9)?"""
    inkiest = inkiest_class()
    near = [(8, "not 8: its two loops are small. Measure every class with your ink_fraction rather than "
                "guessing.")] if inkiest != 8 else []
    return compare_value(answer, "a class 0..9", inkiest, near_misses=near,
                         hint="not that one. Compute the mean ink fraction of each class with your "
                              "ink_fraction and compare.",
                         success=f"class {inkiest} has the most ink on average.")


def _squared_distances(points, others):
    points = points.reshape(len(points), -1).astype(np.float64)
    others = others.reshape(len(others), -1).astype(np.float64)
    return (points ** 2).sum(axis=1)[:, None] - 2 * points @ others.T + (others ** 2).sum(axis=1)[None]


@exercise("1.3", points=3)
def check_nearest_neighbour(answer, variant):
    """Exercise 1.3: ``nearest_neighbour(train_images, train_labels, images)`` -> the closest training image's label.

    The visible check uses pixels scaled to [0, 1]; the hidden one raw uint8 pixels (the exercise
    allows both), on which a difference computed in uint8 wraps around.
    """
    require_function(answer, "nearest_neighbour(train_images, train_labels, images)")
    (x_train, y_train), (x_test, _) = mnist_sample(seed=sample_seed(variant))
    x_train, x_test = x_train[:variant.pick(1000, 600)], x_test[:variant.pick(200, 150)]
    y_train = y_train[:len(x_train)]
    if not variant.hidden:
        x_train, x_test = x_train / PIXEL_MAX, x_test / PIXEL_MAX
    pixels = variant.pick("", " (on raw uint8 pixels: compute in floats, uint8 differences wrap around)")
    distances = _squared_distances(x_test, x_train)
    expected = y_train[distances.argmin(axis=1)]
    result = as_array(call(answer, x_train, y_train, x_test, context=pixels), expected.shape,
                      "one class per image")
    if np.array_equal(result, y_train[distances.argmax(axis=1)]):
        raise Wrong("those are the labels of the farthest training images: take the closest.")
    if np.array_equal(result, distances.argmin(axis=1)):
        raise Wrong("those are the positions of the closest training images; return their labels.")
    if np.mean(result == expected) < 0.99:
        raise Wrong("not the closest training image's label for every digit: compare each image with every "
                    "training image (sum of squared pixel differences) and copy the label of the nearest."
                    + pixels)
    return f"right on {len(x_test)} test digits, against {len(x_train):,} training digits."


# Chapter 2 -------------------------------------------------------------------------------------

ADAM = {"beta_1": 0.9, "beta_2": 0.999, "epsilon": 1e-7}     # Keras' defaults, which the exercises use


def adam_first_step_ratio(small=1e-3, large=1.0):
    """Adam's first step for a weight of gradient ``small`` divided by the step for gradient ``large``.

    Keras' Adam at its first step moves a weight by
    ``learning_rate * sqrt(1 - beta_2) / (1 - beta_1) * m / (sqrt(v) + epsilon)`` with
    ``m = (1 - beta_1) g`` and ``v = (1 - beta_2) g²``: ``learning_rate * |g| / (|g| + epsilon / sqrt(1 - beta_2))``,
    the same for every gradient much larger than ``epsilon``; the learning rate cancels in the ratio.

    Examples
    --------
    >>> round(adam_first_step_ratio(), 4)
    0.9969
    """
    floor = ADAM["epsilon"] / np.sqrt(1 - ADAM["beta_2"])
    return float((small / (small + floor)) / (large / (large + floor)))


@exercise("2.1", points=1)
def check_adam_first_step(answer):
    """Exercise 2.1: Adam's first step for a gradient of 0.001, as a fraction of its first step for a gradient of 1."""
    return compare_value(answer, "a ratio (to two decimals)", adam_first_step_ratio(), tolerance=0.01,
                         near_misses=[(1e-3, "that is plain SGD's ratio, whose step is the learning rate times the "
                                             "gradient. Adam divides each weight's step by the size of its own "
                                             "gradients."),
                                      (1e3, "upside down: the question asks for the small gradient's step over "
                                            "the large one's.")],
                         hint="not right: write out m and v after one step, then the step "
                              "α · m / (√v + ε) for each gradient.",
                         success="about 1: Adam's first step is about the learning rate for every weight whose "
                                 "gradient is not 0, however small it is.")


def _keras_adam_path(start, gradients, learning_rate):
    """The weights after each step of Keras' Adam from ``start`` with these gradients (float64)."""
    import keras  # imports TensorFlow: only when checked

    weights = keras.Variable(start.copy(), dtype="float64")
    optimizer = keras.optimizers.Adam(learning_rate=learning_rate, **ADAM)
    path = []
    for gradient in gradients:
        optimizer.apply_gradients([(keras.ops.convert_to_tensor(gradient), weights)])
        path.append(np.array(weights.numpy()))
    return path


def _adam_path(start, gradients, learning_rate, corrected=True):
    """Adam's weights after each step as Kingma & Ba write it (epsilon added to the corrected √v̂).

    With ``corrected=False``, m and v are used without their bias correction (a named mistake).
    """
    w, m, v, path = start.copy(), np.zeros_like(start), np.zeros_like(start), []
    for t, gradient in enumerate(gradients, start=1):
        m = ADAM["beta_1"] * m + (1 - ADAM["beta_1"]) * gradient
        v = ADAM["beta_2"] * v + (1 - ADAM["beta_2"]) * gradient ** 2
        m_hat, v_hat = (m / (1 - ADAM["beta_1"] ** t), v / (1 - ADAM["beta_2"] ** t)) if corrected else (m, v)
        w = w - learning_rate * m_hat / (np.sqrt(v_hat) + ADAM["epsilon"])
        path.append(w)
    return path


@exercise("2.2", points=3)
def check_adam_step(answer, variant):
    """Exercise 2.2: ``adam_step(w, g, m, v, t, learning_rate)`` -> ``(w, m, v)`` after Adam's step t, as Keras.

    The check runs the student's step and Keras' Adam side by side from the same weights with the
    same gradients, some of them 0 for a while (a rarely inked pixel), and compares the weights
    after every step. The paper's place for epsilon (added to the corrected √v̂ rather than, as
    Keras adds it, to √v) passes too. The hidden variant uses another learning rate,
    other gradients, more steps and a 2-D weight array.
    """
    require_function(answer, "adam_step(w, g, m, v, t, learning_rate)")
    rng = np.random.default_rng(variant.pick(21, 31))
    shape, steps, learning_rate = variant.pick(((6,), 5, 1e-3), ((3, 4), 8, 1e-2))
    start = rng.normal(0, 0.5, shape)
    scale = np.logspace(-3, 0, int(np.prod(shape))).reshape(shape)      # gradients from 0.001 to 1
    gradients = [rng.normal(0, 1, shape) * scale * (rng.random(shape) < 0.6) for _ in range(steps)]
    expected = _keras_adam_path(start, gradients, learning_rate)
    paper = _adam_path(start, gradients, learning_rate)
    tolerance = 1e-3 * learning_rate
    w, m, v = start.copy(), np.zeros(shape), np.zeros(shape)
    for t, (gradient, keras_w) in enumerate(zip(gradients, expected), start=1):
        with np.errstate(all="ignore"):
            result = call(answer, w.copy(), gradient.copy(), m, v, t, learning_rate, context=f" (at step t = {t})")
        if not isinstance(result, (tuple, list)) or len(result) != 3:
            raise Wrong("expected three arrays, (w, m, v) after the step.")
        w, m, v = (as_array(array, shape, name) for array, name in zip(result, ("w", "m", "v")))
        if not np.all(np.isfinite(w)):
            raise Wrong(f"not finite at step t = {t}: the bias corrections divide by 1 − β^t, and t counts from 1.")
        if np.allclose(w, keras_w, rtol=0, atol=tolerance) or np.allclose(w, paper[t - 1], rtol=0, atol=tolerance):
            continue
        moved, keras_moved = w - (expected[t - 2] if t > 1 else start), keras_w - (expected[t - 2] if t > 1 else start)
        near = 10 * tolerance                # the named mistakes, in either place of epsilon
        if np.allclose(moved, -keras_moved, rtol=0, atol=near):
            raise Wrong("the weights move the wrong way: a step goes against the gradient, w − step.")
        if np.allclose(w, _adam_path(start, gradients, learning_rate, corrected=False)[t - 1], rtol=0,
                       atol=near):
            raise Wrong("your first steps are about 3 times too large: m and v start at 0, so early on they are "
                        "too small; divide them by 1 − β₁^t and 1 − β₂^t (the bias correction).")
        raise Wrong(f"differs from Keras' Adam at step t = {t}: m and v are moving averages of g and g², "
                    "corrected by 1 − β^t; the step is the learning rate times m̂ / (√v̂ + ε).")
    return (f"matches Keras' Adam at every one of {steps} steps, learning rate {learning_rate:g}, "
            "for gradients from 0.001 to 1.")


@exercise("2.3", points=2)
def check_permute_hidden_units(answer, variant):
    """Exercise 2.3: ``permute_hidden_units(W1, b1, W2, order)`` -> the same MLP with its hidden units reordered."""
    require_function(answer, "permute_hidden_units(W1, b1, W2, order)")
    rng = np.random.default_rng(variant.pick(5, 15))
    units = variant.pick(16, 24)
    W1, b1 = rng.normal(size=(N_PIXELS, units)), rng.normal(size=units)
    W2 = rng.normal(size=(units, N_CLASSES))
    order = rng.permutation(units)
    x = rng.random((20, N_PIXELS))

    def scores(first, bias, second):
        return np.maximum(x @ first + bias, 0) @ second

    result = call(answer, W1, b1, W2, order)
    if not isinstance(result, (tuple, list)) or len(result) != 3:
        raise Wrong("expected three arrays, (W1, b1, W2) for the reordered units.")
    new_W1, new_b1, new_W2 = (as_array(array, shape, name) for array, shape, name in
                              zip(result, (W1.shape, b1.shape, W2.shape), ("W1", "b1", "W2")))
    if not np.allclose(new_W1, W1[:, order]):
        raise Wrong("W1's columns are the units' incoming weights: reorder its columns, W1[:, order].")
    if np.allclose(new_b1, b1):
        raise Wrong("each unit's bias must move with it: b1[order].")
    if np.allclose(new_W2, W2):
        raise Wrong("each unit's outgoing weights, a row of W2, must move with it too: W2[order].")
    if not np.allclose(scores(new_W1, new_b1, new_W2), scores(W1, b1, W2)):
        raise Wrong("the reordered network computes something else: move each unit's column of W1, its bias "
                    "and its row of W2 together.")
    return "the reordered network gives the same scores: the hidden units have no order."


# Chapter 3 -------------------------------------------------------------------------------------

@exercise("3.1", points=2)
def check_convolve(answer, variant):
    """Exercise 3.1: ``convolve(image, kernel)``, a valid 2-D cross-correlation, checked against TensorFlow."""
    require_function(answer, "convolve(image, kernel)")
    import tensorflow as tf

    _, (x_test, _) = mnist_sample(seed=sample_seed(variant))
    image = (x_test[variant.pick(0, 7)] / PIXEL_MAX).astype("float32")
    shape = variant.pick((3, 5), (5, 2))                                       # not square on purpose
    kernel = np.random.default_rng(variant.pick(0, 10)).normal(size=shape).astype("float32")
    kh, kw = shape

    def conv(k):
        return tf.nn.conv2d(image[None, ..., None], k[..., None, None], 1, "VALID").numpy()[0, ..., 0]

    expected = conv(kernel)
    result = as_array(call(answer, image, kernel), expected.shape, "the valid output (no padding)",
                      hint=f"A {kh}×{kw} kernel on {IMAGE_SIDE}×{IMAGE_SIDE} leaves "
                           f"{IMAGE_SIDE - kh + 1}×{IMAGE_SIDE - kw + 1} positions.")
    if np.allclose(result, conv(kernel[::-1, ::-1].copy()), atol=1e-4):
        raise Wrong("you flipped the kernel (a textbook convolution); Keras does not.")
    if not np.allclose(result, expected, atol=1e-4):
        raise Wrong("wrong values: each output is the sum of the window times the kernel.")
    return f"equals tf.nn.conv2d on a real digit with a {kh}×{kw} kernel."


@exercise("3.2", points=1)
def check_conv_parameters(answer):
    """Exercise 3.2: parameters of Conv2D(16, 5×5) on a one-channel image."""
    return compare_value(answer, "a parameter count", 16 * 25 + 16,
                         near_misses=[(16 * 25, "close: you counted the weights; every filter also has a bias.")],
                         hint="not right: count the weights of one filter and its bias, then multiply by the "
                              "number of filters.",
                         success="16 filters × (5 × 5 weights + 1 bias).")


@exercise("3.3", points=2)
def check_convolve_same(answer, variant):
    """Exercise 3.3: ``convolve_same(image, kernel, stride)``: a 3×3 cross-correlation with padding="same"."""
    require_function(answer, "convolve_same(image, kernel, stride)")
    import tensorflow as tf

    _, (x_test, _) = mnist_sample(seed=sample_seed(variant))
    image = (x_test[variant.pick(0, 5)] / PIXEL_MAX).astype("float32")
    kernel = np.random.default_rng(variant.pick(9, 19)).normal(size=(3, 3)).astype("float32")
    for stride in (1, 2):
        expected = tf.nn.conv2d(image[None, ..., None], kernel[..., None, None], stride, "SAME").numpy()[0, ..., 0]
        result = as_array(call(answer, image, kernel, stride, context=f" (stride {stride})"), expected.shape,
                          f"the output with stride {stride}",
                          hint=f"With padding 'same' the output has ceil(28 / stride) = {expected.shape[0]} rows.")
        padded = np.pad(image, 1)
        even = np.array([[np.sum(padded[r:r + 3, c:c + 3] * kernel) for c in range(0, 28, stride)]
                         for r in range(0, 28, stride)])
        if stride == 2 and np.allclose(result, even, atol=1e-4) and not np.allclose(even, expected, atol=1e-4):
            raise Wrong("with stride 2 on 28 pixels, TensorFlow pads 0 rows before and 1 after (the odd pixel "
                        "goes to the end), not 1 on each side.")
        if not np.allclose(result, expected, atol=1e-4):
            raise Wrong(f"wrong values with stride {stride}: pad so that the output has ceil(28 / stride) "
                        "positions, then slide the kernel in steps of stride.")
    return "equals tf.nn.conv2d with padding='SAME', with stride 1 and with stride 2."


# Chapter 4 -------------------------------------------------------------------------------------

def _pooled_moves(pixels, poolings, cell=None):
    """{cells moved: share of the positions of a block}, for a response moved ``pixels`` positions.

    After ``poolings`` 2×2 poolings with stride 2 a cell covers ``cell = 2 ** poolings``
    positions of the map; a response at position ``start`` of its block lands in cell
    ``(start + pixels) // cell``. ``cell`` can be given to reproduce a wrong block size.
    """
    cell = 2 ** poolings if cell is None else cell
    moves = [(start + pixels) // cell for start in range(cell)]
    return {move: moves.count(move) / cell for move in sorted(set(moves))}


def _as_moves(result, what):
    """A student's {cells moved: share} as a dict of ints to floats, without zero shares."""
    if not isinstance(result, dict):
        raise Wrong(f"{what}: expected a dict {{cells moved: share}}; got {type(result).__name__}.")
    try:
        moves = {int(move): float(share) for move, share in result.items()}
    except (TypeError, ValueError):
        raise Wrong(f"{what}: expected whole numbers of cells as keys and shares (0 to 1) as values.") from None
    if any(int(move) != move for move in result):
        raise Wrong(f"{what}: a pooled value moves by whole cells; the keys must be whole numbers.")
    return {move: share for move, share in moves.items() if share != 0}


def _same_moves(a, b):
    return a.keys() == b.keys() and all(abs(a[move] - b[move]) < 1e-9 for move in a)


@exercise("4.1", points=2, forbidden={
    # this module: its _pooled_moves is the answer
    "mnist_lessons.exercises.data_and_layers":
        "the check's own answer: work out where each position of a block lands yourself."})
def check_pooled_moves(answer, variant):
    """Exercise 4.1: ``pooled_moves(pixels, poolings)``, the cells a pooled value moves when the digit does."""
    require_function(answer, "pooled_moves(pixels, poolings)")
    cases = variant.pick(((1, 1), (2, 1), (2, 2), (3, 2), (4, 2)), ((3, 1), (6, 2), (-2, 2), (5, 3), (12, 3)))
    for pixels, poolings in cases:
        expected = _pooled_moves(pixels, poolings)
        what = f"{pixels} pixel{'s' * (abs(pixels) != 1)}, {poolings} pooling{'s' * (poolings != 1)}"
        got = _as_moves(call(answer, pixels, poolings, context=f" ({what})"), what)
        if _same_moves(got, expected):
            continue
        cell = 2 ** poolings
        if _same_moves({move: share / cell for move, share in got.items()}, expected):
            raise Wrong(f"{what}: those are counts of positions; return shares (divide by the {cell} "
                        "positions of a block).")
        if len(got) == 1 and len(expected) > 1:
            raise Wrong(f"{what}: not every response moves by the same number of cells. Where it lands "
                        "depends on where in its block it was: try each position of a block in turn.")
        if poolings > 2 and _same_moves(got, _pooled_moves(pixels, poolings, cell=2 * poolings)):
            raise Wrong(f"{what}: each pooling halves the map again, so after {poolings} poolings a cell "
                        f"covers 2 ** {poolings} = {cell} positions, not {2 * poolings}.")
        if _same_moves(got, _pooled_moves(-pixels, poolings)):
            raise Wrong(f"{what}: a shift by a positive number of pixels moves a response to higher "
                        "positions, so it moves by a positive number of cells (or none).")
        raise Wrong(f"{what}: wrong shares. After {poolings} pooling(s) a cell covers 2 ** poolings "
                    "positions; for each position in a cell, find the cell it lands in after the shift.")
    return ("right for every shift tried: a shift by a multiple of the cell's width moves every value by "
            "whole cells; any other shift splits the values between two cells.")


@exercise("4.2", points=1)
def check_output_size(answer):
    """Exercise 4.2: 32×32 through conv 3×3, pool 2, conv 3×3, pool 2."""
    return compare_value(answer, "a side length in pixels", 6,
                         near_misses=[(6.5, "a pooled side is a whole number: a leftover row is dropped."),
                                      (7, "pooling rounds down: a leftover row is dropped, not padded."),
                                      (8, "the convolutions shrink the maps too: no padding."),
                                      (5, "that is the book's CNN on 28×28 images; these are 32×32.")],
                         hint="not right: follow the side through each layer, one layer at a time.",
                         success="32 → 30 → 15 → 13 → 6.")
