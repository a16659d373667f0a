import os

import keras
import numpy as np
import pytest

from mnist_lessons import load_mnist
from mnist_lessons.models import SHIPPED, build_cnn, build_mlp, logits_model, pretrained, weights_path


def test_mlp_architecture():
    model = build_mlp()
    assert [layer.name for layer in model.layers] == ["flatten", "hidden", "output"]
    assert model.count_params() == 784 * 128 + 128 + 128 * 10 + 10
    assert tuple(model.inputs[0].shape) == (None, 28, 28)
    assert model.output_shape == (None, 10)


def test_cnn_architecture():
    model = build_cnn()
    assert [layer.name for layer in model.layers] == ["conv1", "pool1", "conv2", "pool2", "flatten", "output"]
    shapes = [tuple(layer.output.shape) for layer in model.layers]
    assert shapes == [(None, 26, 26, 32), (None, 13, 13, 32), (None, 11, 11, 64),
                      (None, 5, 5, 64), (None, 1600), (None, 10)]
    assert [layer.count_params() for layer in model.layers] == [320, 0, 18_496, 0, 0, 16_010]


@pytest.mark.parametrize("name, builder", [("mlp", build_mlp), ("cnn", build_cnn)])
def test_pretrained_matches_its_builder(name, builder):
    model = pretrained(name)
    built = builder()
    assert [layer.name for layer in model.layers] == [layer.name for layer in built.layers]
    assert [w.shape for w in model.get_weights()] == [w.shape for w in built.get_weights()]
    assert model.compiled and model.loss == "sparse_categorical_crossentropy"


@pytest.mark.parametrize("name, minimum", [("mlp", 0.978), ("cnn", 0.993)])
def test_pretrained_test_accuracy(name, minimum):
    model = pretrained(name)
    _, (x_test, y_test) = load_mnist(scale=True, channel_axis=name == "cnn")
    _, accuracy = model.evaluate(x_test, y_test, verbose=0, batch_size=1000)
    assert accuracy >= minimum


def test_pretrained_returns_independent_copies():
    first, second = pretrained("cnn"), pretrained("cnn")
    first.get_layer("output").kernel.assign(np.zeros((1600, 10), "float32"))
    assert np.abs(second.get_layer("output").kernel.numpy()).sum() > 0


def test_shipped_files_are_small():
    for name in SHIPPED:
        assert os.path.getsize(weights_path(name)) < 1_000_000


def test_unknown_model_name():
    with pytest.raises(ValueError, match=r"Unknown model 'vgg16'; the package ships \['mlp', 'cnn'\]"):
        pretrained("vgg16")


def test_shipped_files_are_complete_keras_models():
    # Users with the Keras that wrote them can also load the whole model file.
    for name in SHIPPED:
        loaded = keras.saving.load_model(weights_path(name), safe_mode=True)
        for a, b in zip(loaded.get_weights(), pretrained(name).get_weights()):
            np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize("name", SHIPPED)
def test_logits_model_gives_the_logits_of_the_same_weights(name, mnist_small):
    model = pretrained(name)
    logits = logits_model(model)
    (_, _), (x_test, _) = mnist_small
    images = x_test[:32].reshape((32,) + tuple(model.inputs[0].shape[1:]))
    z = logits.predict(images, verbose=0)
    assert np.allclose(keras.ops.softmax(z).numpy(), model.predict(images, verbose=0), atol=1e-6)
    assert not np.allclose(z.sum(axis=1), 1)          # raw scores, not probabilities
    # A copy: the original keeps its softmax and its weights stay separate.
    assert model.layers[-1].get_config()["activation"] == "softmax"
    logits.layers[-1].kernel.assign(np.zeros(logits.layers[-1].kernel.shape))
    assert np.any(model.layers[-1].kernel.numpy() != 0)


def test_logits_model_rejects_what_has_no_softmax_to_remove():
    no_softmax = keras.Sequential([keras.Input((4,)), keras.layers.Dense(10)])
    with pytest.raises(ValueError, match="already outputs logits"):
        logits_model(no_softmax)
    with pytest.raises(ValueError, match="last layer is Flatten"):
        logits_model(keras.Sequential([keras.Input((2, 2)), keras.layers.Flatten()]))
    with pytest.raises(TypeError, match="Keras model"):
        logits_model("cnn")
