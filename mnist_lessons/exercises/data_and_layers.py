"""Checks for the exercises of chapters 1–4: the data, dense layers, convolution and pooling."""

import numpy as np

from mnist_lessons.constants import IMAGE_SIDE, N_CLASSES, N_PIXELS, PIXEL_MAX
from mnist_lessons.data import load_mnist
from mnist_lessons.exercises._checking import (
    Wrong,
    as_array,
    as_number,
    call,
    compare_value,
    exercise,
    require_function,
)


def mnist_sample(n_test=200):
    """A small fixed sample of the real MNIST (1,000 training and ``n_test`` test digits, raw uint8)."""
    return load_mnist(n_train=1000, n_test=n_test, seed=1)


# Chapter 1 -------------------------------------------------------------------------------------

@exercise("1.1")
def check_ink_fraction(answer):
    """Exercise 1.1: ``ink_fraction(images)`` -> fraction of non-zero pixels of each uint8 image."""
    require_function(answer, "ink_fraction(images)")
    (x_train, _), _ = mnist_sample()
    expected = (x_train[:300] > 0).mean(axis=(1, 2))
    result = as_array(call(answer, x_train[:300]), expected.shape, "one fraction per image")
    if np.allclose(result, expected * N_PIXELS):
        raise Wrong("those look like pixel counts; divide by the number of pixels.")
    if not np.allclose(result, expected, atol=1e-6):
        raise Wrong("not the right fractions: count the pixels that are not exactly 0, per image, and divide "
                    "by 28 × 28.")
    context = " (on pixels scaled to [0, 1])"
    scaled = call(answer, x_train[:300] / PIXEL_MAX, context=context)
    try:
        scaled = as_array(scaled, expected.shape, "one fraction per image")
    except Wrong:
        scaled = None
    if scaled is None or not np.allclose(scaled, expected, atol=1e-6):
        raise Wrong("right on raw pixels but not on pixels scaled to [0, 1]: a grey pixel is ink whatever "
                    "the scale.")
    return "right on 300 real training digits, raw and scaled."


def inkiest_class():
    """The class whose training digits have, on average, the largest share of inked pixels."""
    (x_train, y_train), _ = load_mnist()
    ink = (x_train > 0).mean(axis=(1, 2))
    return int(np.argmax([ink[y_train == c].mean() for c in range(N_CLASSES)]))


@exercise("1.2")
def check_inkiest_digit(answer):
    """Exercise 1.2: which class has the most ink on average (an int 0..9)?"""
    inkiest = inkiest_class()
    near = [(8, "not 8: its two loops are small. Measure every class with your ink_fraction rather than "
                "guessing.")] if inkiest != 8 else []
    return compare_value(answer, "a class 0..9", inkiest, near_misses=near,
                         hint="not that one. Compute the mean ink fraction of each class with your "
                              "ink_fraction and compare.",
                         success=f"class {inkiest} has the most ink on average.")


def _nearest_centre(train_images, train_labels, images):
    flat = train_images.reshape(len(train_images), -1).astype(np.float64)
    centres = np.stack([flat[train_labels == c].mean(axis=0) for c in range(N_CLASSES)])
    points = images.reshape(len(images), -1).astype(np.float64)
    return ((points[:, None, :] - centres[None]) ** 2).sum(axis=2)


@exercise("1.3")
def check_nearest_centroid(answer):
    """Exercise 1.3: ``nearest_centroid(train_images, train_labels, images)`` -> the class of the nearest mean image."""
    require_function(answer, "nearest_centroid(train_images, train_labels, images)")
    (x_train, y_train), (x_test, _) = mnist_sample()
    x_train, x_test = x_train / PIXEL_MAX, x_test / PIXEL_MAX
    distances = _nearest_centre(x_train, y_train, x_test)
    expected = distances.argmin(axis=1)
    result = as_array(call(answer, x_train, y_train, x_test), expected.shape, "one class per image")
    if np.array_equal(result, distances.argmax(axis=1)):
        raise Wrong("those are the farthest centres: take the class whose mean image is nearest.")
    if not np.issubdtype(result.dtype, np.integer) and not np.all(result == np.round(result)):
        raise Wrong("expected whole class numbers 0..9, one per image.")
    if np.mean(result == expected) < 0.99:
        raise Wrong("not the nearest mean image for every digit: average the training images of each class, "
                    "then give each image the class whose average is closest (smallest sum of squared "
                    "pixel differences).")
    return "right on 200 test digits, with centres from 1,000 training digits."


# Chapter 2 -------------------------------------------------------------------------------------

@exercise("2.1")
def check_dense_parameters(answer):
    """Exercise 2.1: parameters of Dense(64) on 784 inputs."""
    return compare_value(answer, "a parameter count", N_PIXELS * 64 + 64,
                         near_misses=[(N_PIXELS * 64, "close: you counted the weights; every unit also has a "
                                                      "bias.")],
                         hint="not right: each of the 64 units has one weight per input and one bias.",
                         success="784 × 64 weights plus 64 biases.")


@exercise("2.2")
def check_dense_by_hand(answer):
    """Exercise 2.2: ``dense_by_hand(x, W, b)`` = relu(x @ W + b), checked on the shipped MLP."""
    require_function(answer, "dense_by_hand(x, W, b)")
    from mnist_lessons.activations import layer_output  # imports TensorFlow: only when checked
    from mnist_lessons.models import pretrained

    mlp = pretrained("mlp")
    _, (x_test, _) = mnist_sample()
    x_test = (x_test / PIXEL_MAX).astype("float32")
    W, b = mlp.get_layer("hidden").get_weights()
    expected = layer_output(mlp, "hidden", x_test)
    result = as_array(call(answer, x_test.reshape(len(x_test), -1), W, b), expected.shape, "the layer's output")
    if result.min() < 0:
        raise Wrong("some outputs are negative: the layer ends in a ReLU.")
    if not np.allclose(result, expected, atol=1e-4):
        raise Wrong("not the layer's output: multiply the inputs by W, add b, then apply ReLU.")
    return "equals the shipped MLP's hidden layer on 200 test digits."


@exercise("2.3")
def check_twin_kernel(answer):
    """Exercise 2.3: ``twin_kernel(W, permutation)`` -> the first layer's weights for scrambled digits."""
    require_function(answer, "twin_kernel(W, permutation)")
    rng = np.random.default_rng(5)
    W = rng.normal(size=(N_PIXELS, 16)).astype("float32")
    permutation = rng.permutation(N_PIXELS)
    x = rng.random((20, N_PIXELS)).astype("float32")
    expected = x @ W
    result = as_array(call(answer, W, permutation), W.shape, "a weight matrix shaped like W")
    scrambled = x[:, permutation]
    if np.allclose(scrambled @ result, expected, atol=1e-4):
        return "the scrambled inputs times your weights equal the intact inputs times W."
    if np.allclose(result, W[np.argsort(permutation)]):
        raise Wrong("that is the inverse permutation: row i of the new matrix must be the row of the pixel "
                    "that lands at position i, W[permutation[i]].")
    if np.allclose(result, W):
        raise Wrong("the rows must move with their pixels: scrambled position i holds pixel permutation[i].")
    raise Wrong("not right: each pixel's row of weights must follow the pixel to its new position.")


# Chapter 3 -------------------------------------------------------------------------------------

@exercise("3.1")
def check_convolve(answer):
    """Exercise 3.1: ``convolve(image, kernel)``, a valid 2-D cross-correlation, checked against TensorFlow."""
    require_function(answer, "convolve(image, kernel)")
    import tensorflow as tf

    _, (x_test, _) = mnist_sample()
    image = (x_test[0] / PIXEL_MAX).astype("float32")
    kernel = np.random.default_rng(0).normal(size=(3, 5)).astype("float32")   # not square on purpose

    def conv(k):
        return tf.nn.conv2d(image[None, ..., None], k[..., None, None], 1, "VALID").numpy()[0, ..., 0]

    expected = conv(kernel)
    result = as_array(call(answer, image, kernel), expected.shape, "the valid output (no padding)",
                      hint=f"A 3×5 kernel on {IMAGE_SIDE}×{IMAGE_SIDE} leaves 26×24 positions.")
    if np.allclose(result, conv(kernel[::-1, ::-1].copy()), atol=1e-4):
        raise Wrong("you flipped the kernel (a textbook convolution); Keras does not.")
    if not np.allclose(result, expected, atol=1e-4):
        raise Wrong("wrong values: each output is the sum of the window times the kernel.")
    return "equals tf.nn.conv2d on a real digit with a 3×5 kernel."


@exercise("3.2")
def check_conv_parameters(answer):
    """Exercise 3.2: parameters of Conv2D(16, 5×5) on a one-channel image."""
    return compare_value(answer, "a parameter count", 16 * 25 + 16,
                         near_misses=[(16 * 25, "close: you counted the weights; every filter also has a bias.")],
                         hint="not right: count the weights of one filter and its bias, then multiply by the "
                              "number of filters.",
                         success="16 filters × (5 × 5 weights + 1 bias).")


@exercise("3.3")
def check_receptive_field(answer):
    """Exercise 3.3: ``receptive_field(layers)`` -> the side, in pixels, one unit of the last layer sees."""
    require_function(answer, "receptive_field(layers)")
    stacks = {
        "the book's CNN": [(3, 1), (2, 2), (3, 1), (2, 2)],
        "three 3×3 convolutions": [(3, 1), (3, 1), (3, 1)],
        "a 5×5 convolution with stride 2, then a 3×3 one": [(5, 2), (3, 1)],
        "2×2 pooling three times": [(2, 2), (2, 2), (2, 2)],
    }
    for name, layers in stacks.items():
        field, jump = 1, 1
        for k, stride in layers:
            field, jump = field + (k - 1) * jump, jump * stride
        result = as_number(call(answer, layers, context=f" (on {name}: {layers})"), "a side in pixels")
        if result == field:
            continue
        if result == 1 + sum(k - 1 for k, _ in layers):
            raise Wrong(f"wrong for {name}: each layer adds (k − 1) steps of its input, and after a stride the "
                        "input's neighbouring units are more than one pixel apart.")
        if result == sum(k for k, _ in layers):
            raise Wrong(f"wrong for {name}: neighbouring windows overlap; a layer adds k − 1 of its input's "
                        "steps, not k.")
        raise Wrong(f"wrong for {name} ({layers}): follow the field and the distance between neighbouring units "
                    "through the layers, one layer at a time.")
    return "right for the book's CNN and three other stacks."


# Chapter 4 -------------------------------------------------------------------------------------

@exercise("4.1")
def check_max_pool(answer):
    """Exercise 4.1: ``max_pool(maps, size)``, size×size windows with stride size, checked against Keras."""
    require_function(answer, "max_pool(maps, size)")
    import keras

    maps = np.random.default_rng(1).normal(size=(11, 11, 4)).astype("float32")   # odd on purpose
    for size in (3, 2):
        expected = keras.layers.MaxPooling2D(size)(maps[None]).numpy()[0]
        result = call(answer, maps, size, context=f" (size {size} on 11×11×4 maps: what happens to the rows "
                                                  "that do not fill a window?)")
        result = as_array(result, expected.shape, f"the maps pooled with size {size}",
                          hint="Keras drops the rows and columns that do not fill a whole window.")
        if not np.allclose(result, expected):
            raise Wrong(f"wrong values for size {size}: keep the largest of each window, per channel.")
    return "equals MaxPooling2D(3) and MaxPooling2D(2) on 11×11×4 maps."


@exercise("4.2")
def check_output_size(answer):
    """Exercise 4.2: 32×32 through conv 3×3, pool 2, conv 3×3, pool 2."""
    return compare_value(answer, "a side length in pixels", 6,
                         near_misses=[(6.5, "a pooled side is a whole number: a leftover row is dropped."),
                                      (7, "pooling rounds down: a leftover row is dropped, not padded."),
                                      (8, "the convolutions shrink the maps too: no padding."),
                                      (5, "that is the book's CNN on 28×28 images; these are 32×32.")],
                         hint="not right: follow the side through each layer, one layer at a time.",
                         success="32 → 30 → 15 → 13 → 6.")
