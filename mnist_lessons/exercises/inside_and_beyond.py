"""Checks for the exercises of chapters 7–9: error analysis, transfer learning and preparing drawings.

Each check's hidden variant (``variant="hidden"``) runs on other digits, another seed or another
model, within what its exercise states; number questions have one answer and no hidden variant.
Exercise 7.3 asks the student to write what the package already holds (``numpy_net``'s forward
pass): its check fails an answer that runs the package's code.
"""

import numpy as np

from mnist_lessons.constants import N_CLASSES, PIXEL_MAX
from mnist_lessons.exercises._checking import (
    Wrong,
    as_array,
    call,
    compare_value,
    exercise,
    require_function,
)
from mnist_lessons.exercises.data_and_layers import mnist_sample, sample_seed

# Chapter 7 -------------------------------------------------------------------------------------

def _weights_by_layer(model):
    return {layer.name: [np.array(w) for w in layer.get_weights()] for layer in model.layers}


@exercise("7.1", points=3)
def check_randomised_copy(answer, variant):
    """Exercise 7.1: ``randomised_copy(model, layer_names, seed)``: a copy whose named layers are untrained.

    The visible check randomises the shipped MLP's output layer, then both its layers; the hidden
    variant the shipped CNN's output and conv2. The copy must leave the model untouched, give the
    named layers fresh weights as Keras draws them before training (not zeros, not the trained
    ones), keep every other layer's trained weights, and depend on the seed alone.
    """
    require_function(answer, "randomised_copy(model, layer_names, seed)")
    import keras

    from mnist_lessons.models import pretrained

    name = variant.pick("mlp", "cnn")
    model = pretrained(name)
    trained = _weights_by_layer(model)
    stages = variant.pick([["output"], ["output", "hidden"]], [["output", "conv2"]])
    for names in stages:
        copy = call(answer, model, list(names), 3)
        if copy is model:
            raise Wrong("that is the model itself, changed in place: the check compares the trained model with "
                        "the randomised one, so randomise a copy and keep the original.")
        if not isinstance(copy, keras.Model):
            raise Wrong(f"expected a Keras model; got {type(copy).__name__}.")
        if any(not all(np.array_equal(a, b) for a, b in zip(weights, trained[layer]))
               for layer, weights in _weights_by_layer(model).items()):
            raise Wrong("the original model's weights changed: randomise a copy and leave the trained model as "
                        "it is.")
        got = _weights_by_layer(copy)
        if set(got) != set(trained):
            raise Wrong(f"the copy should have the same layers as the model, {sorted(trained)}; it has "
                        f"{sorted(got)}.")
        for layer, weights in got.items():
            if [w.shape for w in weights] != [w.shape for w in trained[layer]]:
                raise Wrong(f"layer {layer!r} has other weight shapes than the model's.")
            same = all(np.array_equal(a, b) for a, b in zip(weights, trained[layer]))
            if layer not in names and not same:
                raise Wrong(f"layer {layer!r} changed, but it was not named: keep its trained weights.")
            if layer in names:
                kernel, trained_kernel = weights[0], trained[layer][0]
                if np.array_equal(kernel, trained_kernel):
                    raise Wrong(f"layer {layer!r} kept its trained weights: give it the weights Keras draws "
                                "for it before training.")
                if not np.any(kernel):
                    raise Wrong(f"layer {layer!r} is all zeros: zeros stop every gradient through it, so the map "
                                "vanishes instead of showing what a random layer does. Use the weights Keras "
                                "draws before training (a freshly built model, after a seed).")
                # Keras' default initialiser (Glorot): fans counted over the kernel's window too
                window = int(np.prod(kernel.shape[:-2]))
                glorot = np.sqrt(2 / (window * (kernel.shape[-2] + kernel.shape[-1])))
                if not 0.8 < kernel.std() / glorot < 1.2:
                    raise Wrong(f"layer {layer!r}'s new weights have a spread of {kernel.std():.3g}, not that of "
                                f"Keras' initial weights (about {glorot:.3g}): take them from a freshly built "
                                "model.")
        again = _weights_by_layer(call(answer, model, list(names), 3))
        other = _weights_by_layer(call(answer, model, list(names), 4))
        if not all(np.array_equal(a, b) for layer in got for a, b in zip(got[layer], again[layer])):
            raise Wrong("two copies with the same seed differ: set the seed (keras.utils.set_random_seed) "
                        "before the weights are drawn, so that a run can be repeated.")
        if all(np.array_equal(a, b) for layer in got for a, b in zip(got[layer], other[layer])):
            raise Wrong("another seed gives the same weights: draw them after setting the seed you are given.")
    what = variant.pick("the shipped MLP, its output layer and then both layers",
                        "the shipped CNN, its output layer and conv2")
    return f"randomises {what}, leaving the rest and the original as they were."


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

def _made_up_results(rng, arms, rates):
    """Made-up validation and test accuracies in the transfer record's layout, {arm: {rate: {...}}}.

    Drawn until the pair best on validation, the pair best on test and the arm best on average
    over rates are three different answers, so that each mistake shows.
    """
    while True:
        results = {arm: {rate: {"validation": float(v), "test": float(v + e)}
                         for rate, v, e in zip(rates, 0.9 + 0.05 * rng.random(len(rates)),
                                               rng.normal(0, 0.01, len(rates)))}
                   for arm in arms}
        pairs = [(arm, rate) for arm in arms for rate in rates]
        on_validation = max(pairs, key=lambda p: results[p[0]][p[1]]["validation"])
        on_test = max(pairs, key=lambda p: results[p[0]][p[1]]["test"])
        on_average = max(arms, key=lambda a: np.mean([r["validation"] for r in results[a].values()]))
        if on_validation != on_test and on_average != on_validation[0]:
            return results, on_validation, on_test


@exercise("8.1", points=2)
def check_choose_on_validation(answer, variant):
    """Exercise 8.1: ``choose_on_validation(results)`` -> the (arm, rate) with the best validation accuracy.

    ``results`` is laid out as one run and one size of the transfer record:
    ``{arm: {rate: {"validation": accuracy, "test": accuracy}}}``. The hidden variant uses other
    made-up accuracies, other arm names and four rates.
    """
    require_function(answer, "choose_on_validation(results)")
    rng = np.random.default_rng(variant.pick(5, 15))
    arms = variant.pick(["scratch", "conv1_frozen", "base_frozen", "fine_tuned"],
                        ["pixels", "frozen_1", "frozen_2", "frozen_3", "tuned"])
    rates = variant.pick(["0.001", "0.003", "0.01"], ["0.0003", "0.001", "0.003", "0.01"])
    results, expected, on_test = _made_up_results(rng, arms, rates)
    result = call(answer, results)
    if not isinstance(result, (tuple, list)) or len(result) != 2:
        raise Wrong("expected a pair (arm, rate), two keys of the results.")
    arm, rate = result
    if (arm, rate) == on_test:
        raise Wrong("that pair has the best test accuracy: a choice made on the test digits makes their "
                    "accuracy an optimistic estimate. Choose on validation accuracy only.")
    if arm not in results or rate not in results[arm]:
        raise Wrong(f"({arm!r}, {rate!r}) is not a pair of the results: return an arm and a rate as they "
                    "appear as keys.")
    if arm != expected[0]:
        raise Wrong("not the arm of the best pair: compare every (arm, rate) pair by its validation "
                    "accuracy, not each arm's average over rates.")
    if (arm, rate) != expected:
        raise Wrong("the right arm, at a rate that is not its best on validation digits.")
    return (f"picks the best of {len(arms) * len(rates)} (arm, rate) pairs on validation accuracy, never "
            "looking at the test digits.")


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

def _shifted(image, rows, cols):
    """``image`` moved down by ``rows`` and right by ``cols`` whole pixels, zeros coming in."""
    out = np.zeros_like(image)
    height, width = image.shape
    out[max(rows, 0):height + min(rows, 0), max(cols, 0):width + min(cols, 0)] = \
        image[max(-rows, 0):height + min(-rows, 0), max(-cols, 0):width + min(-cols, 0)]
    return out


def _ink_box(image):
    """(top, bottom, left, right): the first and last rows and columns with ink."""
    rows, cols = np.flatnonzero(image.any(axis=1)), np.flatnonzero(image.any(axis=0))
    return rows[0], rows[-1], cols[0], cols[-1]


@exercise("9.1", points=3)
def check_centre_by_box(answer, variant):
    """Exercise 9.1: ``centre_by_box(image)`` -> the 28×28 digit moved by whole pixels so that its ink's box is centred.

    Centred means: the empty rows above and below the ink's bounding box differ by at most one,
    and so do the empty columns left and right of it; nothing else changes. The hidden variant
    uses other digits, first moved towards a corner.
    """
    require_function(answer, "centre_by_box(image)")
    _, (x_test, _) = mnist_sample(seed=sample_seed(variant))
    images = (x_test[:20] / PIXEL_MAX).astype("float32")
    if variant.hidden:
        images = np.array([_shifted(image, 3, -3) if _ink_box(image)[1] < 24 and _ink_box(image)[2] > 3
                           else image for image in images])
    side = images.shape[1]
    for image in images:
        result = as_array(call(answer, image.copy()), image.shape, "a 28×28 image")
        if not np.isclose(result.sum(), image.sum(), rtol=1e-5):
            raise Wrong("some ink was lost or added: move the digit, whole pixels at a time, without cutting "
                        "or changing it.")
        top, bottom, left, right = _ink_box(result)
        old_top, _, old_left, _ = _ink_box(image)
        if not np.allclose(result, _shifted(image, top - old_top, left - old_left), atol=1e-6):
            raise Wrong("not the digit moved as a whole: shift every pixel by the same whole number of rows "
                        "and of columns (no resampling, no rotation).")
        row_gap, col_gap = top - (side - 1 - bottom), left - (side - 1 - right)
        if abs(row_gap) > 1 or abs(col_gap) > 1:
            rows, cols = np.indices(result.shape)
            mass = np.array([(rows * result).sum(), (cols * result).sum()]) / result.sum()
            if np.all(np.abs(mass - (side - 1) / 2) <= 0.5):
                raise Wrong("that centres the ink's centre of mass, as MNIST did; this exercise centres its "
                            "bounding box.")
            raise Wrong(f"the box is not centred: {top} empty rows above the ink and {side - 1 - bottom} below, "
                        f"{left} empty columns left and {side - 1 - right} right. They should differ by at "
                        "most one.")
    return variant.pick("centres the box of 20 test digits.",
                        "centres the box of 20 other test digits, first moved towards a corner.")


@exercise("9.2", points=1)
def check_shrunk_width(answer):
    """Exercise 9.2: width in pixels of a 10-pixel-wide stroke after shrinking a 280 pad to 28."""
    return compare_value(answer, "a width in pixels", 1,
                         near_misses=[(2, "that counts the pixels the stroke touches; add up their ink instead "
                                          "(a half-grey pixel is half a pixel's worth)."),
                                      (10, "that is its width on the pad, before shrinking.")],
                         hint="not right: the pad shrinks by the same factor in every direction.",
                         success="280 → 28 divides every length by 10.")
