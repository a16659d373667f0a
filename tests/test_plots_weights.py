"""plots.weights draws the model's own kernels, weights and feature maps."""

import keras
import numpy as np
import pytest
from plot_helpers import drawn, heights, image_axes, titled

from mnist_lessons.activations import layer_output
from mnist_lessons.models import build_cnn, build_mlp, pretrained
from mnist_lessons.plots import plot_dense_weights, plot_feature_maps, plot_filter_view, plot_filters, plot_vector
from mnist_lessons.plots._base import SIGNED_CMAP


@pytest.fixture(scope="module")
def images(mnist_small):
    (_, _), (x_test, y_test) = mnist_small
    return x_test[:6], y_test[:6]


@pytest.mark.parametrize("shipped", [pytest.param(False, marks=pytest.mark.random_figures), True])
def test_plot_filters_draws_each_kernel_on_one_signed_scale(cnn, shipped):
    for model in [cnn if shipped else build_cnn()]:
        fig = titled(plot_filters(model, "conv1"))
        axes = image_axes(fig)
        kernel = model.get_layer("conv1").get_weights()[0][:, :, 0, :]
        assert len(axes) == 32
        limit = np.abs(kernel).max()
        for k, ax in enumerate(axes):
            np.testing.assert_allclose(drawn(ax), kernel[:, :, k])
            assert ax.images[0].get_clim() == pytest.approx((-limit, limit))
            assert ax.images[0].get_cmap().name == SIGNED_CMAP
        fig = titled(plot_filters(model, "conv2", in_channel=5))
        assert "input channel 5 of 32" in fig.get_suptitle()
        np.testing.assert_allclose(drawn(image_axes(fig)[7]), model.get_layer("conv2").get_weights()[0][:, :, 5, 7])


def test_plot_feature_maps_draws_the_layer_output_on_a_shared_scale(images, cnn):
    model = cnn
    image = images[0][0][..., None]
    fig = titled(plot_feature_maps(model, image, "conv2", max_maps=16))
    assert "16 of 64 feature maps, each 11×11" in fig.get_suptitle()
    maps = layer_output(model, "conv2", image[None])[0]
    axes = image_axes(fig)
    assert len(axes) == 16
    for k, ax in enumerate(axes):
        np.testing.assert_allclose(drawn(ax), maps[:, :, k])
        assert ax.images[0].get_clim() == pytest.approx((0, maps.max()))


@pytest.mark.random_figures
def test_feature_maps_of_a_functional_model(images):
    inputs = keras.Input((28, 28, 1))
    hidden = keras.layers.Conv2D(4, 5, name="edges")(inputs)
    outputs = keras.layers.Dense(10, activation="softmax")(keras.layers.Flatten()(hidden))
    model = keras.Model(inputs, outputs)
    fig = plot_feature_maps(model, images[0][0][..., None], "edges")
    assert "4 of 4 feature maps, each 24×24" in fig.get_suptitle()


def test_plot_dense_weights_draws_each_units_weights_as_an_image():
    model = pretrained("mlp")
    fig = titled(plot_dense_weights(model, "hidden", max_units=20))
    axes = image_axes(fig)
    assert len(axes) == 20
    W = model.get_layer("hidden").get_weights()[0]
    for k in (0, 7, 19):
        np.testing.assert_allclose(drawn(axes[k]), W[:, k].reshape(28, 28))
        assert axes[k].images[0].get_clim() == pytest.approx((-np.abs(W[:, k]).max(), np.abs(W[:, k]).max()))


@pytest.mark.random_figures
def test_plot_dense_weights_draws_every_unit_by_default():
    assert len(image_axes(titled(plot_dense_weights(build_mlp(), 1)))) == 128


def test_plot_filter_view_shows_the_image_the_kernel_and_the_map(images):
    image, kernel = images[0][0], np.arange(9.0).reshape(3, 3) - 4
    feature_map = np.random.default_rng(0).random((26, 26))
    fig = titled(plot_filter_view(image, kernel, feature_map, title="t"))
    image_ax, kernel_ax, map_ax = fig.axes[:3]
    np.testing.assert_array_equal(drawn(image_ax), image)
    np.testing.assert_allclose(drawn(kernel_ax), kernel)
    np.testing.assert_allclose(drawn(map_ax), feature_map)
    assert sorted(float(t.get_text()) for t in kernel_ax.texts) == sorted(kernel.ravel())
    assert "slice" not in kernel_ax.get_title()
    fig = plot_filter_view(image, kernel, feature_map[:11, :11], title="t", layer="conv2", channel=6)
    assert "conv2 kernel, slice for input map 6" in fig.axes[1].get_title()


def test_plot_vector_draws_one_bar_per_value():
    values = np.sin(np.arange(1600.0))
    fig = titled(plot_vector(values, title="t"))
    np.testing.assert_allclose(heights(fig.axes[0]), values)
    with pytest.raises(ValueError, match="1-D numeric"):
        plot_vector(np.zeros((2, 2)), title="t")


# --- bad input -------------------------------------------------------------------------------

def test_wrong_layer(images):
    model = build_cnn()
    with pytest.raises(TypeError, match=r"'pool1' is a MaxPooling2D, not a Conv2D.*\['conv1', 'conv2'\]"):
        plot_filters(model, "pool1")
    with pytest.raises(ValueError, match="no layer 'conv3'; its layers are"):
        plot_filters(model, "conv3")
    with pytest.raises(ValueError, match="choose a convolution or pooling layer"):
        plot_feature_maps(model, images[0][0][..., None], "output")
    with pytest.raises(ValueError, match=r"in_channel of layer 'conv2' must be an int from 0 to 31"):
        plot_filters(model, "conv2", in_channel=32)
    with pytest.raises(ValueError, match="layer must be an int from -6 to 5"):
        plot_filters(model, 9)


def test_not_a_model():
    with pytest.raises(TypeError, match="must be a Keras model"):
        plot_filters(None, "conv1")
    with pytest.raises(TypeError, match="Keras model"):
        plot_dense_weights(np.zeros((784, 128)), "hidden")


def test_one_image_with_the_wrong_axes(images):
    rgb = np.repeat(images[0][..., None], 3, axis=-1)
    with pytest.raises(ValueError, match="RGB"):
        plot_feature_maps(build_cnn(), rgb[0], "conv1")
    with pytest.raises(ValueError, match=r"looks like a batch: pass one image"):
        plot_feature_maps(build_cnn(), images[0][:1, ..., None], "conv1")


def test_plot_dense_weights_bad_layer():
    with pytest.raises(ValueError, match="has 128 inputs, not 784"):
        plot_dense_weights(build_mlp(), "output")
    with pytest.raises(TypeError, match="not a Dense layer"):
        plot_dense_weights(build_mlp(), "flatten")
    with pytest.raises(ValueError, match="max_units must be an int from 1 to 128"):
        plot_dense_weights(build_mlp(), "hidden", max_units=0)


def test_counts_must_be_ints(images):
    with pytest.raises(TypeError, match="max_maps must be an int"):
        plot_feature_maps(build_cnn(), images[0][0][..., None], "conv1", max_maps=2.7)
    with pytest.raises(TypeError, match="in_channel of layer 'conv2' must be an int"):
        plot_filters(build_cnn(), "conv2", in_channel="0")
