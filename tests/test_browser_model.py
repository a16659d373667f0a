"""The export the book's page reads: the shipped weights bit for bit, Python's configuration, real test digits."""

import base64
import json

import numpy as np
import pytest

from mnist_lessons import browser_model, constants, load_mnist, numpy_net


def test_the_sample_digits_are_mnist_test_digits_of_every_class():
    indices, images, labels = browser_model.sample_digits()
    _, (x_test, y_test) = load_mnist(scale=True)
    np.testing.assert_array_equal(images, x_test[indices])
    np.testing.assert_array_equal(labels, y_test[indices])
    assert np.bincount(labels).tolist() == [browser_model.SAMPLES_PER_CLASS] * constants.N_CLASSES


def test_write_sample_digits_writes_the_shipped_file(tmp_path):
    written = browser_model.write_sample_digits(tmp_path / "samples.json")
    assert json.loads(written.read_text()) == json.loads(browser_model.web_file(browser_model.SAMPLES_FILE).read_text())
    with pytest.raises(ValueError, match="per_class"):
        browser_model.write_sample_digits(tmp_path / "x.json", per_class=0)


def test_the_export_holds_the_weights_the_configuration_and_the_samples(tmp_path, cnn):
    path = tmp_path / browser_model.WEIGHTS_SCRIPT
    size = browser_model.export_weights(path, model=cnn)
    assert size == path.stat().st_size
    weights = browser_model.read_exported_weights(path)
    for name, arrays in numpy_net.cnn_weights(cnn).items():
        for ours, theirs in zip(weights[name], arrays):
            np.testing.assert_array_equal(ours, theirs)
    exported = browser_model.read_export(path)
    assert exported["config"] == browser_model.page_config()
    indices, images, labels = browser_model.sample_digits()
    pixels = np.frombuffer(base64.b64decode(exported["samples"]["base64"]), np.uint8)
    np.testing.assert_array_equal(pixels.reshape(images.shape) / np.float32(constants.PIXEL_MAX), images)
    assert exported["samples"]["indices"] == indices.tolist() and exported["samples"]["labels"] == labels.tolist()


def test_the_page_configuration_is_defined_once_in_python():
    config = browser_model.page_config()
    assert (config["imageSide"], config["padSize"], config["penWidth"], config["digitBox"]) == (
        constants.IMAGE_SIDE, constants.PAD_SIZE, constants.PEN_WIDTH, constants.DIGIT_BOX)
    assert [layer["name"] for layer in config["layers"]] == list(numpy_net.LAYER_NAMES)
    assert [tuple(layer["shape"]) for layer in config["layers"]] == list(numpy_net.output_shapes().values())
    json.dumps(config)                                            # all of it fits in the page's script


def test_javascript_function_reads_the_pages_functions():
    assert browser_model.javascript_function("receptiveField").startswith("// The square of input pixels")
    assert "function drawingToImage(strokes, config)" in browser_model.javascript_function(
        "drawingToImage", file="prepare.js")
    with pytest.raises(ValueError, match="no function"):
        browser_model.javascript_function("nothing")
