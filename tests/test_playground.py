"""What the playground computes, without any widget: prepared drawings, what a model shows, one filter."""

import keras
import numpy as np
import pytest

from mnist_lessons import load_mnist, playground
from mnist_lessons.constants import LARGE_DRAWING, PEN_WIDTH, SMALL_DRAWING
from mnist_lessons.drawing import DIGIT_STROKES, place_strokes


def test_drawing_to_image_prepares_like_mnist():
    pad, image = playground.drawing_to_image([[(40, 40), (60, 120)]])       # small, top-left
    assert pad.shape == (280, 280) and image.shape == (28, 28)
    rows, cols = np.nonzero(image)
    assert rows.max() - rows.min() + 1 == 20                             # fitted to the 20-pixel box
    _, blank = playground.drawing_to_image([])
    assert blank.max() == 0


def test_shrink_averages_blocks():
    pad = np.zeros((280, 280), "float32")
    pad[:10, :10] = 1.0
    small = playground.shrink(pad)
    assert small.shape == (28, 28) and small[0, 0] == 1 and small.sum() == 1
    with pytest.raises(ValueError, match="multiple of 28"):
        playground.shrink(np.zeros((100, 100)))


def test_look_returns_probabilities_and_strongest_maps(cnn, digits):
    x, y = digits
    view = playground.look(cnn, x[0], maps_per_layer=3)
    assert view.probabilities.shape == (10,) and np.isclose(view.probabilities.sum(), 1, atol=1e-5)
    assert view.prediction == int(cnn.predict(x[:1], verbose=0).argmax())
    indices, maps = view.maps["conv1"]
    assert maps.shape == (3, 26, 26) and view.maps["conv2"][1].shape == (3, 11, 11)
    peaks = maps.max(axis=(1, 2))
    assert np.all(np.diff(peaks) <= 0)                                   # strongest first
    with pytest.raises(ValueError, match="feature maps"):
        playground.look(cnn, x[0], layers=("flatten",))
    with pytest.raises(TypeError, match="uint8"):
        playground.look(cnn, (x[0] * 255).astype("uint8"))
    with pytest.raises(TypeError, match="Keras model"):
        playground.look("cnn", x[0])


def test_explore_returns_the_map_and_kernel(cnn, digits):
    x, _ = digits
    feature_map, kernel, channel = playground.explore(cnn, x[0], "conv1", 5)
    assert feature_map.shape == (26, 26) and kernel.shape == (3, 3) and channel == 0
    np.testing.assert_allclose(kernel, cnn.get_layer("conv1").get_weights()[0][:, :, 0, 5])
    feature_map, kernel, channel = playground.explore(cnn, x[0], "conv2", 7)
    weights = cnn.get_layer("conv2").get_weights()[0][..., 7]
    assert feature_map.shape == (11, 11)
    assert channel == int(np.argmax(np.abs(weights).sum(axis=(0, 1))))
    np.testing.assert_allclose(kernel, weights[..., channel])
    with pytest.raises(ValueError, match="from 0 to 31"):
        playground.explore(cnn, x[0], "conv1", 32)
    with pytest.raises(TypeError, match="filter_index must be an int"):
        playground.explore(cnn, x[0], "conv1", 1.0)
    with pytest.raises(ValueError, match="not a convolution"):
        playground.explore(cnn, x[0], "pool1", 0)


def test_layers_and_filters_are_read_from_the_model(digits):
    # Any model with 2-D convolutions works: the names and counts come from it, not from the book's CNN.
    inputs = keras.Input((28, 28, 1))
    hidden = keras.layers.Conv2D(6, 5, activation="relu", name="edges")(inputs)
    pooled = keras.layers.MaxPooling2D(2)(hidden)
    deeper = keras.layers.Conv2D(5, 3, activation="relu", name="parts")(pooled)
    outputs = keras.layers.Dense(10, activation="softmax")(keras.layers.Flatten()(deeper))
    model = keras.Model(inputs, outputs)
    x, _ = digits
    assert playground.convolution_layers(model) == ["edges", "parts"]
    view = playground.look(model, x[0], maps_per_layer=2)
    assert list(view.maps) == ["edges", "parts"] and view.maps["edges"][1].shape == (2, 24, 24)
    feature_map, kernel, channel = playground.explore(model, x[0], "parts", 4)
    assert feature_map.shape == (10, 10) and kernel.shape == (3, 3) and 0 <= channel < 6
    with pytest.raises(ValueError, match="from 0 to 4"):
        playground.explore(model, x[0], "parts", 5)


def _stroke_widths(images):
    """Each image's stroke width in pixels: twice its inked area over its outline (ink above 0.5)."""
    ink = np.asarray(images) > 0.5
    outline = (ink[:, 1:] != ink[:, :-1]).sum(axis=(1, 2)) + (ink[:, :, 1:] != ink[:, :, :-1]).sum(axis=(1, 2))
    return 2 * ink.sum(axis=(1, 2)) / outline


def _drawn(size):
    """The package's ten stroke digits drawn `size` pad units tall: their pads and prepared images."""
    drawn = [playground.drawing_to_image(place_strokes(strokes, left=2, top=2, size=size))
             for strokes in DIGIT_STROKES.values()]
    return [pad for pad, _ in drawn], np.stack([image for _, image in drawn])


def test_drawing_guidance_tells_small_and_large_drawings():
    assert playground.drawing_guidance(np.zeros((280, 280))) is None
    pad = np.zeros((280, 280), "float32")
    pad[100:100 + SMALL_DRAWING - 1, 140:150] = 1            # ink 89 pad units tall
    assert playground.drawing_guidance(pad) == "small"
    pad[100:100 + SMALL_DRAWING, 140:150] = 1
    assert playground.drawing_guidance(pad) is None
    pad[:LARGE_DRAWING + 1, 140:150] = 1
    assert playground.drawing_guidance(pad) == "large"
    with pytest.raises(ValueError, match="2-D"):
        playground.drawing_guidance(np.zeros((1, 28, 28)))


def test_the_guidance_sentences_are_true(cnn):
    # What GUIDANCE and the constants' docstrings say, measured against MNIST's test digits.
    _, (x_test, _) = load_mnist(scale=True)
    mnist = _stroke_widths(x_test)
    # Just small enough (the ink about 88 units, 70 units of digit plus the pen): thick strokes.
    pads, small = _drawn(SMALL_DRAWING - PEN_WIDTH - 2)
    assert {playground.drawing_guidance(pad) for pad in pads} == {"small"}
    widths = _stroke_widths(small)
    assert widths.min() > np.median(mnist) and widths.mean() > np.percentile(mnist, 95)
    # Large enough (the ink at least 250 units): thin strokes.
    pads, large = _drawn(LARGE_DRAWING)
    assert {playground.drawing_guidance(pad) for pad in pads} == {"large"}
    widths = _stroke_widths(large)
    assert widths.max() < np.median(mnist) and widths.mean() < np.percentile(mnist, 5)
    # And the CNN misreads more small drawings than drawings of an ordinary size.
    labels = np.array(list(DIGIT_STROKES))
    right = {}
    for name, sizes in (("small", (30, 40, 50, 60, 70)), ("ordinary", (110, 140, 170, 200, 230))):
        images = np.concatenate([_drawn(size)[1] for size in sizes])
        predicted = cnn.predict(images[..., None], verbose=0).argmax(axis=1)
        right[name] = float(np.mean(predicted == np.tile(labels, len(sizes))))
    assert right["small"] < right["ordinary"] - 0.1, right
