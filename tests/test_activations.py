import keras
import numpy as np
import pytest

from mnist_lessons.activations import layer_activations, layer_output
from mnist_lessons.models import build_cnn, build_mlp


def test_flatten_output_is_a_reshape(mnist_small):
    (x, _), _ = mnist_small
    np.testing.assert_array_equal(layer_output(build_mlp(), "flatten", x[:5]), x[:5].reshape(5, 784))


def test_every_layer_of_the_cnn(mnist_small, cnn):
    (x, _), _ = mnist_small
    model = cnn
    images = x[:3, ..., None]
    shapes = {layer.name: layer_output(model, layer.name, images).shape for layer in model.layers}
    assert shapes == {"conv1": (3, 26, 26, 32), "pool1": (3, 13, 13, 32), "conv2": (3, 11, 11, 64),
                      "pool2": (3, 5, 5, 64), "flatten": (3, 1600), "output": (3, 10)}
    np.testing.assert_allclose(layer_output(model, -1, images), model.predict(images, verbose=0), atol=1e-6)
    assert layer_output(model, "conv1", images).min() >= 0  # ReLU is part of the layer's output


def test_functional_model():
    inputs = keras.Input((28, 28, 1))
    x = keras.layers.Conv2D(2, 3, name="c")(inputs)
    model = keras.Model(inputs, keras.layers.Dense(10)(keras.layers.Flatten()(x)))
    assert layer_output(model, "c", np.zeros((1, 28, 28, 1), "float32")).shape == (1, 26, 26, 2)


def test_model_without_input_is_explained():
    model = keras.Sequential([keras.layers.Dense(3)])
    with pytest.raises(ValueError, match=r"keras.Input\(shape=...\)"):
        layer_output(model, 0, np.zeros((1, 28, 28), "float32"))


def test_bad_images():
    with pytest.raises(ValueError, match="single image"):
        layer_output(build_cnn(), "conv1", np.zeros((28, 28, 1), "float32"))


def test_layer_activations_of_the_cnn_match_each_layer_and_the_output(mnist_small, cnn):
    (x, _), _ = mnist_small
    model = cnn
    images = x[:4, ..., None]
    activations = layer_activations(model, images)
    assert list(activations) == ["conv1", "pool1", "conv2", "pool2", "flatten", "output"]
    for name, values in activations.items():
        np.testing.assert_allclose(values, layer_output(model, name, images), atol=1e-6)
    np.testing.assert_allclose(activations["output"], model.predict(images, verbose=0), atol=1e-6)
    np.testing.assert_array_equal(activations["flatten"], activations["pool2"].reshape(4, -1))


def test_layer_activations_of_a_functional_model_skip_the_input_layer():
    inputs = keras.Input((28, 28), name="pixels")
    flat = keras.layers.Flatten(name="flat")(inputs)
    left = keras.layers.Dense(3, name="left")(flat)
    right = keras.layers.Dense(3, name="right")(flat)
    model = keras.Model(inputs, keras.layers.Concatenate(name="both")([left, right]))
    activations = layer_activations(model, np.zeros((2, 28, 28), "float32"))
    assert list(activations) == ["flat", "left", "right", "both"]
    assert activations["both"].shape == (2, 6)


def test_layer_activations_bad_input():
    with pytest.raises(TypeError, match="Keras model"):
        layer_activations(object(), np.zeros((1, 28, 28), "float32"))
    with pytest.raises(TypeError, match="uint8"):
        layer_activations(build_mlp(), np.zeros((1, 28, 28), "uint8"))
    with pytest.raises(ValueError, match=r"\[0, 1\]"):
        layer_activations(build_mlp(), np.full((1, 28, 28), 255.0, "float32"))
    with pytest.raises(ValueError):
        layer_activations(build_cnn(), np.zeros((1, 28, 28), "float32"))


def test_layer_activations_of_a_one_layer_model_keep_the_batch_axis():
    model = keras.Sequential([keras.Input((28, 28)), keras.layers.Flatten(name="flat")])
    activations = layer_activations(model, np.zeros((3, 28, 28), "float32"))
    assert list(activations) == ["flat"] and activations["flat"].shape == (3, 784)


def test_no_progress_bar_is_printed(capfd):
    # Keras' predict prints a progress bar unless told verbose=0; the chapters' outputs must not show it.
    images = np.zeros((2, 28, 28), "float32")
    layer_output(build_mlp(), "flatten", images)
    layer_activations(build_mlp(), images)
    assert capfd.readouterr().out == ""
