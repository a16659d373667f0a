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

@exercise("2.1", points=1)
def check_dense_parameters(answer):
    """Exercise 2.1: parameters of Dense(64) on 784 inputs."""
    return compare_value(answer, "a parameter count", N_PIXELS * 64 + 64,
                         near_misses=[(N_PIXELS * 64, "close: you counted the weights; every unit also has a "
                                                      "bias.")],
                         hint="not right: each of the 64 units has one weight per input and one bias.",
                         success="784 × 64 weights plus 64 biases.")


@exercise("2.2", points=2)
def check_dense_by_hand(answer, variant):
    """Exercise 2.2: ``dense_by_hand(x, W, b)`` = relu(x @ W + b), checked on the shipped MLP.

    The hidden variant gives other digits and random weights and biases of the same shapes.
    """
    require_function(answer, "dense_by_hand(x, W, b)")
    _, (x_test, _) = mnist_sample(n_test=variant.pick(200, 150), seed=sample_seed(variant))
    x_test = (x_test / PIXEL_MAX).astype("float32")
    if variant.hidden:
        rng = np.random.default_rng(12)
        W = rng.normal(0, 0.05, (N_PIXELS, 128)).astype("float32")
        b = rng.normal(0, 0.5, 128).astype("float32")
        expected, where = np.maximum(x_test.reshape(len(x_test), -1) @ W + b, 0), "random weights"
    else:
        from mnist_lessons.activations import layer_output  # imports TensorFlow: only when checked
        from mnist_lessons.models import pretrained

        mlp = pretrained("mlp")
        W, b = mlp.get_layer("hidden").get_weights()
        expected, where = layer_output(mlp, "hidden", x_test), "the shipped MLP's hidden layer"
    result = as_array(call(answer, x_test.reshape(len(x_test), -1), W, b), expected.shape, "the layer's output")
    if result.min() < 0:
        raise Wrong("some outputs are negative: the layer ends in a ReLU.")
    if not np.allclose(result, expected, atol=1e-4):
        raise Wrong("not the layer's output: multiply the inputs by W, add b, then apply ReLU.")
    return f"equals {where} on {len(x_test)} test digits."


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

@exercise("4.1", points=2)
def check_max_pool(answer, variant):
    """Exercise 4.1: ``max_pool(maps, size)``, size×size windows with stride size, checked against Keras."""
    require_function(answer, "max_pool(maps, size)")
    import keras

    shape = variant.pick((11, 11, 4), (13, 9, 3))                                  # odd on purpose
    maps = np.random.default_rng(variant.pick(1, 11)).normal(size=shape).astype("float32")
    described = "×".join(str(side) for side in shape)
    sizes = variant.pick((3, 2), (4, 2))
    for size in sizes:
        expected = keras.layers.MaxPooling2D(size)(maps[None]).numpy()[0]
        result = call(answer, maps, size, context=f" (size {size} on {described} maps: what happens to the rows "
                                                  "that do not fill a window?)")
        result = as_array(result, expected.shape, f"the maps pooled with size {size}",
                          hint="Keras drops the rows and columns that do not fill a whole window.")
        if not np.allclose(result, expected):
            raise Wrong(f"wrong values for size {size}: keep the largest of each window, per channel.")
    return f"equals MaxPooling2D({sizes[0]}) and MaxPooling2D({sizes[1]}) on {described} maps."


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
