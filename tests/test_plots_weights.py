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
    # The three side by side, in one row: digit, kernel, map.
    assert [ax.get_subplotspec().get_geometry() for ax in fig.axes[:3]] == [(1, 3, 0, 0), (1, 3, 1, 1), (1, 3, 2, 2)]


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


# --- every checked argument, with the exact message a student reads ----------------------------

@pytest.fixture(scope="module")
def mlp():
    return pretrained("mlp")


_CNN_LAYERS = "['conv1', 'pool1', 'conv2', 'pool2', 'flatten', 'output']"
_MODEL = ("model must be a Keras model (keras.Model or keras.Sequential); got {}. Build one with "
          "mnist_lessons.models or load one with mnist_lessons.models.pretrained(...).")
_IMAGE = np.zeros((28, 28, 1), np.float32)
_TEXT = "a title or axis label must be a string; got None (NoneType)."
_VALUES = "values must be a 1-D numeric array of 2 to 10,000 entries; got shape {}."


@pytest.mark.parametrize("call, error, message", [
    (lambda cnn, mlp: plot_filters(None, "conv1"), TypeError, _MODEL.format("NoneType")),
    (lambda cnn, mlp: plot_filters(cnn, "pool1"), TypeError,
     "Layer 'pool1' is a MaxPooling2D, not a Conv2D layer; this model's Conv2D layers are ['conv1', 'conv2']."),
    (lambda cnn, mlp: plot_filters(cnn, 4), TypeError,                                # layer 4 is the Flatten
     "Layer 'flatten' is a Flatten, not a Conv2D layer; this model's Conv2D layers are ['conv1', 'conv2']."),
    (lambda cnn, mlp: plot_filters(cnn, "conv3"), ValueError,
     f"Model 'cnn' has no layer 'conv3'; its layers are {_CNN_LAYERS}."),
    (lambda cnn, mlp: plot_filters(cnn, "conv1", in_channel=1), ValueError,      # conv1 reads one channel
     "in_channel of layer 'conv1' must be an int from 0 to 0; got 1."),
    (lambda cnn, mlp: plot_filters(cnn, "conv2", in_channel=32), ValueError,
     "in_channel of layer 'conv2' must be an int from 0 to 31; got 32."),
    (lambda cnn, mlp: plot_filters(cnn, "conv2", in_channel=-1), ValueError,
     "in_channel of layer 'conv2' must be an int from 0 to 31; got -1."),
    (lambda cnn, mlp: plot_filters(cnn, "conv2", in_channel="0"), TypeError,
     "in_channel of layer 'conv2' must be an int; got '0' (str). Pass a whole number."),
    (lambda cnn, mlp: plot_dense_weights(np.zeros((784, 128)), "hidden"), TypeError, _MODEL.format("ndarray")),
    (lambda cnn, mlp: plot_dense_weights(mlp, "flatten"), TypeError,
     "Layer 'flatten' is a Flatten, not a Dense layer."),
    (lambda cnn, mlp: plot_dense_weights(mlp, "output"), ValueError,
     "Layer 'output' has 128 inputs, not 784 pixels, so its weights cannot be drawn as images; "
     "choose the Dense layer right after Flatten."),
    (lambda cnn, mlp: plot_dense_weights(mlp, "hidden", max_units=0), ValueError,
     "max_units must be an int from 1 to 128; got 0."),
    (lambda cnn, mlp: plot_dense_weights(mlp, "hidden", max_units=129), ValueError,
     "max_units must be an int from 1 to 128; got 129."),
    (lambda cnn, mlp: plot_dense_weights(mlp, "hidden", max_units=2.0), TypeError,
     "max_units must be an int; got 2.0 (float). Pass a whole number."),
    (lambda cnn, mlp: plot_feature_maps("cnn", _IMAGE, "conv1"), TypeError, _MODEL.format("str")),
    (lambda cnn, mlp: plot_feature_maps(cnn, _IMAGE.astype(np.uint8), "conv1"), TypeError,
     "image must be floating-point pixels in [0, 1]; got dtype uint8. Scale them with "
     "images.astype('float32') / 255, or load them with load_mnist(scale=True)."),
    (lambda cnn, mlp: plot_feature_maps(cnn, _IMAGE[None], "conv1"), ValueError,
     "image must be one image of shape (28, 28, 1); got (1, 28, 28, 1). This looks like a batch: "
     "pass one image, e.g. images[0]."),
    (lambda cnn, mlp: plot_feature_maps(cnn, _IMAGE[..., 0], "conv1"), ValueError,      # the CNN wants a channel
     "image must be one image of shape (28, 28, 1); got (28, 28)."),
    (lambda cnn, mlp: plot_feature_maps(cnn, _IMAGE, "nope"), ValueError,
     f"Model 'cnn' has no layer 'nope'; its layers are {_CNN_LAYERS}."),
    (lambda cnn, mlp: plot_feature_maps(cnn, _IMAGE, "output"), ValueError,
     "Layer 'output' outputs shape (10,) per image, not 2-D maps with channels; "
     "choose a convolution or pooling layer."),
    (lambda cnn, mlp: plot_feature_maps(cnn, _IMAGE, "conv1", max_maps=0), ValueError,
     "max_maps must be an int from 1 to 32; got 0."),
    (lambda cnn, mlp: plot_feature_maps(cnn, _IMAGE, "conv1", max_maps=33), ValueError,
     "max_maps must be an int from 1 to 32; got 33."),
    (lambda cnn, mlp: plot_feature_maps(cnn, _IMAGE, "conv1", max_maps=2.7), TypeError,
     "max_maps must be an int; got 2.7 (float). Pass a whole number."),
    (lambda cnn, mlp: plot_filter_view(_IMAGE, np.eye(3), np.eye(26), title=None), TypeError,
     "title must be a string; got None (NoneType)."),
    (lambda cnn, mlp: plot_filter_view(_IMAGE[None], np.eye(3), np.eye(26), title="t"), ValueError,
     "image must be one image of shape (28, 28) or (28, 28, 1); got (1, 28, 28, 1). This looks like a batch: "
     "pass one image, e.g. images[0]."),
    (lambda cnn, mlp: plot_filter_view(_IMAGE, np.zeros(3), np.eye(26), title="t"), ValueError,
     "kernel and feature_map must be 2-D; got shapes (3,) and (26, 26)."),
    (lambda cnn, mlp: plot_filter_view(_IMAGE, np.eye(3), np.zeros((26, 26, 1)), title="t"), ValueError,
     "kernel and feature_map must be 2-D; got shapes (3, 3) and (26, 26, 1)."),
    (lambda cnn, mlp: plot_vector([1, 2], title=None), TypeError, _TEXT),
    (lambda cnn, mlp: plot_vector([1, 2], title="t", xlabel=None), TypeError, _TEXT),
    (lambda cnn, mlp: plot_vector([1, 2], title="t", ylabel=None), TypeError, _TEXT),
    (lambda cnn, mlp: plot_vector(np.zeros((2, 2)), title="t"), ValueError, _VALUES.format("(2, 2)")),
    (lambda cnn, mlp: plot_vector([1.0], title="t"), ValueError, _VALUES.format("(1,)")),
    (lambda cnn, mlp: plot_vector(np.zeros(10_001), title="t"), ValueError, _VALUES.format("(10001,)")),
    (lambda cnn, mlp: plot_vector(["1", "2"], title="t"), ValueError, _VALUES.format("(2,)")),
])
def test_bad_arguments_get_an_exact_message(cnn, mlp, call, error, message):
    with pytest.raises(error) as caught:
        call(cnn, mlp)
    assert str(caught.value) == message


# --- options the figures above do not draw ------------------------------------------------------

def _two_filters(bias=(0.0, 0.0)):
    """A model with one Conv2D layer of 2×3 kernels and no activation: filter 0 adds a patch, filter 1 subtracts it."""
    inputs = keras.Input((28, 28, 1))
    outputs = keras.layers.Conv2D(2, (2, 3), name="sums")(inputs)
    model = keras.Model(inputs, outputs)
    kernel = np.zeros((2, 3, 1, 2), np.float32)
    kernel[..., 0], kernel[..., 1] = 1.0, -1.0
    model.get_layer("sums").set_weights([kernel, np.asarray(bias, np.float32)])
    return model


def test_plot_feature_maps_scale_holds_negative_values_and_starts_at_0():
    model = _two_filters()
    image = np.zeros((28, 28, 1), np.float32)
    image[10, 10] = 0.5
    fig = titled(plot_feature_maps(model, image, "sums"))
    assert fig.get_suptitle() == "Layer 'sums': 2 of 2 feature maps, each 27×26"
    # One pixel of 0.5 at (10, 10): a 2×3 window sees it from rows 9..10 and columns 8..10, as +0.5 or -0.5.
    plus, minus = (drawn(ax) for ax in image_axes(fig))
    expected = np.zeros((27, 26))
    expected[9:11, 8:11] = 0.5
    np.testing.assert_allclose(plus, expected)
    np.testing.assert_allclose(minus, -expected)
    assert image_axes(fig)[0].images[0].get_clim() == (-0.5, 0.5)
    # A blank image: the maps are the biases alone. All 0 gives the scale 0 to 1, not the empty 0 to 0;
    # biases 0.25 and 0.5 give 0 to 0.5 (the scale starts at 0 even when no value is that low).
    blank = np.zeros((28, 28, 1), np.float32)
    for bias, scale in [((0.0, 0.0), (0, 1)), ((0.25, 0.5), (0, 0.5))]:
        fig = plot_feature_maps(_two_filters(bias), blank, -1)                          # layer -1: the last
        assert [ax.images[0].get_clim() for ax in image_axes(fig)] == [scale, scale]


def test_plot_filters_of_a_layer_with_one_input_channel_and_oblong_kernels():
    fig = titled(plot_filters(_two_filters(), "sums"))
    assert fig.get_suptitle() == "Layer 'sums': 2 kernels of 2×3"            # no input channel to name
    plus, minus = image_axes(fig)
    np.testing.assert_array_equal(drawn(plus), np.ones((2, 3)))
    np.testing.assert_array_equal(drawn(minus), -np.ones((2, 3)))
    assert plus.images[0].get_clim() == (-1, 1)


def test_plot_filters_takes_a_layer_by_index_and_the_last_input_channel(cnn):
    fig = plot_filters(cnn, 2, in_channel=31, ncols=16)                     # layer 2 is conv2, after pool1
    assert fig.get_suptitle() == "Layer 'conv2': 64 kernels of 3×3, input channel 31 of 32"
    np.testing.assert_allclose(drawn(image_axes(fig)[63]), cnn.get_layer("conv2").get_weights()[0][:, :, 31, 63])


def test_plot_vector_takes_2_values_and_names_its_axes():
    fig = plot_vector([3, -1], title="two", xlabel="unit", ylabel="activation")
    ax = fig.axes[0]
    np.testing.assert_allclose(heights(ax), [3, -1])
    assert (ax.get_xlabel(), ax.get_ylabel(), fig.get_suptitle()) == ("unit", "activation", "two")
    assert ax.get_xlim() == (-0.5, 1.5)
    # Faint horizontal grid lines to read the heights against, none across the bars.
    assert all(line.get_visible() and line.get_alpha() == 0.3 for line in ax.yaxis.get_gridlines())
    assert not any(line.get_visible() for line in ax.xaxis.get_gridlines())


def _bar_share(fig, axes):
    """The share of the height of ``axes`` (their places in the layout, before pixels are made square) the bar spans."""
    fig.canvas.draw()
    (bar,) = [ax for ax in fig.axes if ax.get_label() == "<colorbar>"]
    top = max(ax.get_position(original=True).y1 for ax in axes)
    bottom = min(ax.get_position(original=True).y0 for ax in axes)
    return bar.get_position().height / (top - bottom)


def test_colour_bars_are_a_little_shorter_than_what_they_scale():
    # 80 %: long enough to read, short enough to leave the title and the map titles room.
    model, image = _two_filters(), np.zeros((28, 28, 1), np.float32)
    fig = plot_filters(model, "sums")
    assert _bar_share(fig, image_axes(fig)) == pytest.approx(0.8)
    fig = plot_feature_maps(model, image, "sums")
    assert _bar_share(fig, image_axes(fig)) == pytest.approx(0.8)
    fig = plot_filter_view(image, np.eye(2), np.eye(3), title="t")
    assert _bar_share(fig, [fig.axes[2]]) == pytest.approx(0.8)                             # beside the map only
