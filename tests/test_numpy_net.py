import keras
import numpy as np
import pytest

from mnist_lessons import numpy_net
from mnist_lessons.activations import layer_activations
from mnist_lessons.models import build_cnn, build_mlp


def test_each_operation_equals_the_keras_layer(cnn, mnist_small):
    (x, _), _ = mnist_small
    images = x[:8, ..., None]
    keras_values = layer_activations(cnn, images)
    weights = numpy_net.cnn_weights(cnn)
    conv1 = numpy_net.relu(numpy_net.conv2d(images, *weights["conv1"]))
    np.testing.assert_allclose(conv1, keras_values["conv1"], atol=1e-5)
    pool1 = numpy_net.max_pool(conv1)
    np.testing.assert_allclose(pool1, keras_values["pool1"], atol=1e-5)
    conv2 = numpy_net.relu(numpy_net.conv2d(pool1, *weights["conv2"]))
    np.testing.assert_allclose(conv2, keras_values["conv2"], atol=1e-4)
    np.testing.assert_allclose(numpy_net.max_pool(conv2), keras_values["pool2"], atol=1e-4)


def test_predict_equals_keras_in_chunks(cnn, mnist_small):
    (x, _), _ = mnist_small
    images = x[:37, ..., None]
    weights = numpy_net.cnn_weights(cnn)
    probabilities = numpy_net.predict(weights, images, batch_size=10)      # 4 uneven chunks
    expected = cnn.predict(images, verbose=0)
    assert probabilities.shape == (37, 10)
    np.testing.assert_allclose(probabilities, expected, atol=1e-5)
    np.testing.assert_array_equal(probabilities.argmax(axis=1), expected.argmax(axis=1))


def test_max_pool_drops_a_leftover_row_and_column_like_keras():
    maps = np.random.default_rng(0).random((2, 11, 11, 3)).astype("float32")
    np.testing.assert_array_equal(numpy_net.max_pool(maps), keras.layers.MaxPooling2D(2)(maps).numpy())


def test_conv2d_is_a_cross_correlation():
    image = np.zeros((1, 5, 5, 1), "float32")
    image[0, 2, 2, 0] = 1.0
    kernel = np.arange(9, dtype="float32").reshape(3, 3, 1, 1)
    out = numpy_net.conv2d(image, kernel, np.zeros(1, "float32"))[0, ..., 0]
    # A single bright pixel shows the kernel flipped: that is what a cross-correlation does.
    np.testing.assert_array_equal(out, kernel[::-1, ::-1, 0, 0])


def test_softmax_is_stable():
    probabilities = numpy_net.softmax(np.array([[1000.0, 0.0], [0.0, 0.0]]))
    np.testing.assert_allclose(probabilities, [[1, 0], [0.5, 0.5]])


def test_cnn_weights_rejects_other_models():
    with pytest.raises(ValueError, match="not the book's CNN"):
        numpy_net.cnn_weights(build_mlp())
    with pytest.raises(TypeError, match="Keras model"):
        numpy_net.cnn_weights({"conv1": None})
    assert set(numpy_net.cnn_weights(build_cnn())) == {"conv1", "conv2", "output"}


def test_predict_bad_input(cnn):
    weights = numpy_net.cnn_weights(cnn)
    with pytest.raises(ValueError, match=r"images\[\.\.\., np.newaxis\]"):
        numpy_net.predict(weights, np.zeros((2, 28, 28), "float32"))
    with pytest.raises(TypeError, match="uint8"):
        numpy_net.predict(weights, np.zeros((2, 28, 28, 1), "uint8"))
    with pytest.raises(ValueError, match=r"\[0, 1\]"):
        numpy_net.predict(weights, np.full((2, 28, 28, 1), 255.0, "float32"))
    with pytest.raises(TypeError, match="cnn_weights"):
        numpy_net.predict(cnn, np.zeros((2, 28, 28, 1), "float32"))
    with pytest.raises(ValueError, match="batch_size"):
        numpy_net.predict(weights, np.zeros((2, 28, 28, 1), "float32"), batch_size=0)


def test_softmax_of_one_vector():
    np.testing.assert_allclose(numpy_net.softmax(np.zeros(4)), np.full(4, 0.25))


def test_predict_checks_weight_shapes(cnn):
    weights = numpy_net.cnn_weights(cnn)
    weights["conv2"] = (weights["conv2"][0][..., :10], weights["conv2"][1][:10])
    with pytest.raises(ValueError, match="shapes of the book's CNN"):
        numpy_net.predict(weights, np.zeros((1, 28, 28, 1), "float32"))


def test_cnn_weights_checks_the_layer_names():
    other = keras.Sequential([keras.Input((28, 28, 1)), keras.layers.Conv2D(32, 3, name="conv1"),
                              keras.layers.AveragePooling2D(2, name="avg"), keras.layers.Conv2D(64, 3, name="conv2"),
                              keras.layers.MaxPooling2D(2, name="pool2"), keras.layers.Flatten(name="flatten"),
                              keras.layers.Dense(10, name="output")])
    with pytest.raises(ValueError, match="not the book's CNN"):
        numpy_net.cnn_weights(other)


def _book_cnn_layers(conv1_filters=32, dtype="float32"):
    """The book CNN's layers by name, with conv1's filter count and the dtype chosen."""
    return keras.Sequential([
        keras.Input((28, 28, 1)), keras.layers.Conv2D(conv1_filters, 3, name="conv1", dtype=dtype),
        keras.layers.MaxPooling2D(2, name="pool1", dtype=dtype), keras.layers.Conv2D(64, 3, name="conv2", dtype=dtype),
        keras.layers.MaxPooling2D(2, name="pool2", dtype=dtype), keras.layers.Flatten(name="flatten", dtype=dtype),
        keras.layers.Dense(10, name="output", dtype=dtype)])


def test_cnn_weights_messages_name_the_layers_and_the_fix():
    with pytest.raises(ValueError, match=r"not conv1, pool1, conv2, pool2, flatten, output\. "
                                         r"Use mnist_lessons\.models\.pretrained\('cnn'\)\.$"):
        numpy_net.cnn_weights(build_mlp())
    # The book's layer names with 16 filters in conv1: the shapes, not the names, differ.
    with pytest.raises(ValueError, match=r"expected a layer 'conv1' with weights shaped \[\(3, 3, 1, 32\), \(32,\)\]"):
        numpy_net.cnn_weights(_book_cnn_layers(conv1_filters=16))


def test_cnn_weights_are_float32_even_from_a_float64_model():
    weights = numpy_net.cnn_weights(_book_cnn_layers(dtype="float64"))
    assert {array.dtype for arrays in weights.values() for array in arrays} == {np.dtype("float32")}


def test_predict_runs_chunks_of_500_by_default(monkeypatch):
    # cnn_forward replaced by a recorder: only the chunking is measured here.
    sizes = []

    def forward(weights, images):
        sizes.append(len(images))
        return np.zeros((len(images), 10))

    monkeypatch.setattr(numpy_net, "cnn_forward", forward)
    weights = {name: tuple(np.zeros(shape, "float32") for shape in shapes) for name, shapes in numpy_net.SHAPES.items()}
    assert numpy_net.predict(weights, np.zeros((1001, 28, 28, 1), "float32")).shape == (1001, 10)
    assert sizes == [500, 500, 1]
    sizes.clear()
    numpy_net.predict(weights, np.zeros((2, 28, 28, 1), "float32"), batch_size=1)      # the smallest allowed
    assert sizes == [1, 1]


def test_predict_messages_name_the_argument_and_the_fix(cnn):
    weights = numpy_net.cnn_weights(cnn)
    with pytest.raises(TypeError, match=r"got list\.$"):
        numpy_net.predict([weights], np.zeros((1, 28, 28, 1), "float32"))
    with pytest.raises(ValueError, match=r"Add the channel axis with images\[\.\.\., np\.newaxis\]\.$"):
        numpy_net.predict(weights, np.zeros((2, 28, 28), "float32"))
    with pytest.raises(ValueError, match=r"^batch_size must be an int of at least 1"):
        numpy_net.predict(weights, np.zeros((2, 28, 28, 1), "float32"), batch_size=0)
