import keras
import numpy as np
import pytest
from matplotlib.figure import Figure

from mnist_lessons.models import build_cnn, build_mlp, pretrained
from mnist_lessons.plots import (
    plot_accuracy_vs_shift,
    plot_attributions,
    plot_class_bars,
    plot_confidence_histogram,
    plot_confusion_matrix,
    plot_curves,
    plot_dense_weights,
    plot_digits,
    plot_embedding,
    plot_feature_maps,
    plot_filters,
    plot_flattened,
    plot_map_grid,
    plot_pixel_grid,
    plot_predictions,
    plot_receptive_field,
    plot_reliability,
    plot_training_curves,
    plot_vector,
)
from mnist_lessons.calibration import reliability_bins
from mnist_lessons.models import predict_probabilities


@pytest.fixture(scope="module")
def images(mnist_small):
    (_, _), (x_test, y_test) = mnist_small
    return x_test[:6], y_test[:6]


def _titled(fig):
    assert isinstance(fig, Figure)
    assert fig.get_suptitle()
    return fig


def _labelled(ax):
    return ax.get_xlabel() and ax.get_ylabel()


def test_plot_digits_uint8_and_float(images):
    x, y = images
    _titled(plot_digits(x, y))
    fig = _titled(plot_digits((x * 255).astype(np.uint8)[..., None], y, predictions=(y + 1) % 10))
    assert "→" in fig.axes[0].get_title()
    assert len([ax for ax in fig.axes if ax.get_visible()]) == 6


def test_plot_pixel_grid(images):
    fig = plot_pixel_grid((images[0][0] * 255).astype(np.uint8))
    ax = fig.axes[0]
    assert ax.get_xlabel() == "column" and ax.get_ylabel() == "row" and ax.get_title()
    assert len(ax.texts) == np.count_nonzero(images[0][0])


def test_plot_training_curves():
    logs = {"loss": [1.0, 0.5], "accuracy": [0.7, 0.9], "val_loss": [0.9, 0.6], "val_accuracy": [0.75, 0.85]}
    fig = _titled(plot_training_curves(logs))
    assert all(_labelled(ax) for ax in fig.axes)
    assert all(len(ax.lines) == 2 for ax in fig.axes)


@pytest.mark.parametrize("builder", [build_mlp, build_cnn])
def test_plot_predictions_any_model(images, builder):
    model = builder()
    x, y = images
    x = x.reshape((-1,) + tuple(model.inputs[0].shape[1:]))
    fig = _titled(plot_predictions(model, x, y))
    assert all(_labelled(ax) for ax in fig.axes[1::2][-1:])


def test_plot_filters_and_feature_maps_any_conv_model(images):
    for model in (build_cnn(), pretrained("cnn")):
        fig = _titled(plot_filters(model, "conv1"))
        assert len([ax for ax in fig.axes if ax.get_visible() and ax.images]) == 32
        fig = _titled(plot_filters(model, "conv2", in_channel=5))
        assert "input channel 5 of 32" in fig.get_suptitle()
        image = images[0][0][..., None]
        fig = _titled(plot_feature_maps(model, image, "conv2", max_maps=16))
        assert "16 of 64 feature maps, each 11×11" in fig.get_suptitle()


def test_feature_maps_of_a_functional_model(images):
    inputs = keras.Input((28, 28, 1))
    hidden = keras.layers.Conv2D(4, 5, name="edges")(inputs)
    outputs = keras.layers.Dense(10, activation="softmax")(keras.layers.Flatten()(hidden))
    model = keras.Model(inputs, outputs)
    fig = plot_feature_maps(model, images[0][0][..., None], "edges")
    assert "4 of 4 feature maps, each 24×24" in fig.get_suptitle()


# --- bad input -------------------------------------------------------------------------------

def test_pixels_0_to_255_where_0_to_1_expected(images):
    x, y = images
    with pytest.raises(ValueError, match="0-255 pixel values: divide by 255"):
        plot_predictions(build_mlp(), x * 255, y)
    with pytest.raises(TypeError, match=r"got dtype uint8.*scale=True"):
        plot_predictions(build_mlp(), (x * 255).astype(np.uint8), y)
    with pytest.raises(ValueError, match=r"\[0, 1\]"):
        plot_digits(x * 255, y)


def test_rgb_image(images):
    rgb = np.repeat(images[0][..., None], 3, axis=-1)
    with pytest.raises(ValueError, match="RGB"):
        plot_predictions(build_cnn(), rgb, images[1])
    with pytest.raises(ValueError, match="RGB"):
        plot_feature_maps(build_cnn(), rgb[0], "conv1")
    with pytest.raises(ValueError, match="RGB"):
        plot_digits(rgb)


def test_batchless_image_where_batch_expected(images):
    with pytest.raises(ValueError, match=r"single image: pass images\[i:i\+1\]"):
        plot_predictions(build_cnn(), images[0][0][..., None], images[1][:1])
    with pytest.raises(ValueError, match="single image"):
        plot_digits(images[0][0])


def test_batch_where_one_image_expected(images):
    with pytest.raises(ValueError, match=r"looks like a batch: pass one image"):
        plot_feature_maps(build_cnn(), images[0][:1, ..., None], "conv1")
    with pytest.raises(ValueError, match="looks like a batch"):
        plot_pixel_grid(images[0])


def test_missing_channel_axis_for_cnn(images):
    with pytest.raises(ValueError, match=r"channel_axis=True"):
        plot_predictions(build_cnn(), images[0], images[1])


def test_wrong_layer(images):
    model = build_cnn()
    with pytest.raises(TypeError, match=r"'pool1' is a MaxPooling2D, not a Conv2D.*\['conv1', 'conv2'\]"):
        plot_filters(model, "pool1")
    with pytest.raises(ValueError, match="no layer 'conv3'; its layers are"):
        plot_filters(model, "conv3")
    with pytest.raises(ValueError, match="choose a convolution or pooling layer"):
        plot_feature_maps(model, images[0][0][..., None], "output")
    with pytest.raises(ValueError, match=r"in_channel of layer 'conv2' must be between 0 and 31"):
        plot_filters(model, "conv2", in_channel=32)
    with pytest.raises(ValueError, match="out of range"):
        plot_filters(model, 9)


def test_not_a_model(images):
    with pytest.raises(TypeError, match="must be a Keras model"):
        plot_predictions("cnn", images[0], images[1])
    with pytest.raises(TypeError, match="must be a Keras model"):
        plot_filters(None, "conv1")


def test_model_that_outputs_logits(images):
    logits = keras.Sequential([keras.Input((28, 28)), keras.layers.Flatten(), keras.layers.Dense(10)])
    with pytest.raises(ValueError, match="not probabilities.*apply a softmax"):
        predict_probabilities(logits, images[0])


def test_labels_checked(images):
    x, y = images
    with pytest.raises(ValueError, match=r"shape \(6,\)"):
        plot_digits(x, y[:3])
    with pytest.raises(ValueError, match=r"in 0\.\.9"):
        plot_digits(x, y + 10)
    with pytest.raises(ValueError, match="at most 20"):
        plot_predictions(build_mlp(), np.zeros((21, 28, 28), "float32"), np.zeros(21, int))


def test_training_curves_bad_input():
    with pytest.raises(TypeError, match="History"):
        plot_training_curves([0.1, 0.2])
    with pytest.raises(ValueError, match="metrics=\\['accuracy'\\]"):
        plot_training_curves({"loss": [1.0]})


def test_plot_flattened(images):
    fig = _titled(plot_flattened(images[0][0], pixel=(10, 12)))
    image_ax, strip_ax = fig.axes
    assert _labelled(image_ax) and strip_ax.get_xlabel().endswith("is at 292)")
    labels = {text.get_text() for text in strip_ax.texts}
    assert labels == {"left: 291", "right: 293", "above: 264", "below: 320"}


def test_plot_flattened_bad_pixel(images):
    with pytest.raises(ValueError, match="from 1 to 26"):
        plot_flattened(images[0][0], pixel=(0, 5))
    with pytest.raises(ValueError, match="looks like a batch"):
        plot_flattened(images[0])


def test_plot_dense_weights():
    fig = _titled(plot_dense_weights(pretrained("mlp"), "hidden", max_units=20))
    assert len([ax for ax in fig.axes if ax.get_visible() and ax.images]) == 20
    assert len([ax for ax in _titled(plot_dense_weights(build_mlp(), 1)).axes if ax.images]) == 128


def test_plot_dense_weights_bad_layer():
    with pytest.raises(ValueError, match="has 128 inputs, not 784"):
        plot_dense_weights(build_mlp(), "output")
    with pytest.raises(TypeError, match="not a Dense layer"):
        plot_dense_weights(build_mlp(), "flatten")
    with pytest.raises(ValueError, match="max_units must be between 1 and 128"):
        plot_dense_weights(build_mlp(), "hidden", max_units=0)
    with pytest.raises(TypeError, match="Keras model"):
        plot_dense_weights(np.zeros((784, 128)), "hidden")


def test_more_bad_arguments(images):
    x, y = images
    with pytest.raises(TypeError, match="title must be a string"):
        plot_digits(x, y, title=None)
    with pytest.raises(ValueError, match="ncols must be between 1 and 100"):
        plot_digits(x, ncols=0)
    with pytest.raises(TypeError, match="ncols must be an int"):
        plot_digits(x, ncols="a")
    with pytest.raises(ValueError, match="at most 100 digits"):
        plot_digits(np.zeros((101, 28, 28), np.uint8))
    with pytest.raises(TypeError, match=r"uint8 pixels 0\.\.255 or floating-point"):
        plot_pixel_grid((x[0] * 255).astype(np.int64))
    with pytest.raises(TypeError, match="max_maps must be an int"):
        plot_feature_maps(build_cnn(), x[0][..., None], "conv1", max_maps=2.7)
    with pytest.raises(TypeError, match="in_channel of layer 'conv2' must be an int"):
        plot_filters(build_cnn(), "conv2", in_channel="0")
    with pytest.raises(ValueError, match="one value per epoch"):
        plot_training_curves({"loss": [1.0, 0.5], "accuracy": [0.5]})


def test_flat_input_model_accepts_flat_batches():
    model = keras.Sequential([keras.Input((784,)), keras.layers.Dense(10, activation="softmax")])
    probabilities = predict_probabilities(model, np.zeros((3, 784), "float32"))
    assert probabilities.shape == (3, 10)


def test_plot_map_grid():
    maps = np.random.default_rng(0).normal(size=(2, 3, 5, 5))
    fig = _titled(plot_map_grid(maps, row_labels=["a", "b"], col_labels=["x", "y", "z"], title="t"))
    assert [ax.get_title() for ax in fig.axes[:3]] == ["x", "y", "z"]
    assert fig.axes[3].get_ylabel() == "b"
    _titled(plot_map_grid(np.abs(maps), row_labels="ab", col_labels="xyz", title="t", diverging=False))


def test_plot_map_grid_bad_input():
    with pytest.raises(ValueError, match=r"shape \(rows, columns, height, width\)"):
        plot_map_grid(np.zeros((3, 5, 5)), row_labels=["a"], col_labels=["b"], title="t")
    with pytest.raises(ValueError, match="need 2 row labels and 3 column labels"):
        plot_map_grid(np.zeros((2, 3, 5, 5)), row_labels=["a"], col_labels=["x", "y", "z"], title="t")
    with pytest.raises(ValueError, match="numeric"):
        plot_map_grid(np.full((1, 1, 2, 2), "a"), row_labels=["a"], col_labels=["b"], title="t")


def test_plot_receptive_field(images):
    fig = _titled(plot_receptive_field(images[0][0], (4, 6), 8))
    ax = fig.axes[0]
    assert _labelled(ax) and len(ax.patches) == 1
    assert ax.patches[0].get_width() == 8


def test_plot_receptive_field_bad_input(images):
    with pytest.raises(ValueError, match="from 0 to 20"):
        plot_receptive_field(images[0][0], (21, 0), 8)
    with pytest.raises(ValueError, match="size must be between 1 and 28"):
        plot_receptive_field(images[0][0], (0, 0), 29)
    with pytest.raises(ValueError, match="looks like a batch"):
        plot_receptive_field(images[0], (0, 0), 3)


def test_plot_accuracy_vs_shift():
    shifts = [-2, -1, 0, 1, 2]
    acc = {"horizontal": {"MLP": [0.5, 0.8, 0.98, 0.8, 0.5], "CNN": [0.7, 0.9, 0.99, 0.9, 0.7]},
           "vertical": {"MLP": [0.5] * 5, "CNN": [0.6] * 5}}
    fig = _titled(plot_accuracy_vs_shift(shifts, acc))
    assert len(fig.axes) == 2 and all(_labelled(ax) and len(ax.lines) == 2 for ax in fig.axes)


def test_plot_accuracy_vs_shift_bad_input():
    with pytest.raises(ValueError, match="one accuracy in"):
        plot_accuracy_vs_shift([0, 1], {"horizontal": {"MLP": [0.9]}})
    with pytest.raises(ValueError, match=r"in \[0, 1\]"):
        plot_accuracy_vs_shift([0, 1], {"horizontal": {"MLP": [90, 80]}})
    with pytest.raises(TypeError, match="sequence of ints"):
        plot_accuracy_vs_shift([0.5, 1], {"horizontal": {"MLP": [0.9, 0.8]}})
    with pytest.raises(TypeError, match="direction"):
        plot_accuracy_vs_shift([0, 1], {"MLP": [0.9, 0.8]})


def test_plot_class_bars_probabilities_and_logits():
    rows = np.full((3, 10), 0.1)
    fig = _titled(plot_class_bars(rows, row_labels=["a", "b", "c"], title="t", highlight=7))
    assert len(fig.axes) == 3 and fig.axes[0].get_ylim() == (0, 1)
    assert fig.axes[0].patches[7].get_facecolor() != fig.axes[0].patches[0].get_facecolor()
    logits = np.linspace(-3, 5, 10)[None]
    fig = plot_class_bars(logits, row_labels=["logits"], value_label="logit", title="t")
    low, high = fig.axes[0].get_ylim()
    assert low < -3 and high > 5 and fig.axes[0].get_ylabel() == "logit"


def test_plot_class_bars_bad_input():
    with pytest.raises(ValueError, match=r"shaped \(n, 10\)"):
        plot_class_bars(np.zeros(10), row_labels=["x"], title="t")
    with pytest.raises(ValueError, match="row_labels must be 2 strings"):
        plot_class_bars(np.zeros((2, 10)), row_labels=["x"], title="t")
    with pytest.raises(ValueError, match="inf or NaN"):
        plot_class_bars(np.full((1, 10), np.nan), row_labels=["x"], title="t")
    with pytest.raises(ValueError, match="highlight must be between 0 and 9"):
        plot_class_bars(np.zeros((1, 10)), row_labels=["x"], title="t", highlight=10)
    with pytest.raises(TypeError, match="title"):
        plot_class_bars(np.zeros((1, 10)), row_labels=["x"], title=None)


def test_plot_confidence_histogram():
    confidence = np.array([0.99, 0.95, 0.6, 0.4])
    correct = np.array([True, True, False, True])
    fig = _titled(plot_confidence_histogram(confidence, correct, bins=10))
    right, wrong = fig.axes
    assert sum(p.get_height() for p in right.patches) == 3
    assert sum(p.get_height() for p in wrong.patches) == 1
    with pytest.raises(ValueError, match="boolean array"):
        plot_confidence_histogram(confidence, np.array([1, 1, 0, 1]))
    with pytest.raises(ValueError, match=r"in \[0, 1\]"):
        plot_confidence_histogram(confidence * 100, correct)
    with pytest.raises(TypeError, match="1-D float array"):
        plot_confidence_histogram(np.ones((2, 2)), correct)


def test_plot_reliability():
    probabilities = np.array([[0.9, 0.1], [0.2, 0.8], [0.65, 0.35]])
    bins = reliability_bins(probabilities, [0, 0, 0], n_bins=5)
    fig = _titled(plot_reliability(bins))
    assert len(fig.axes) == 2 and all(_labelled(ax) for ax in fig.axes)
    with pytest.raises(TypeError, match="reliability_bins"):
        plot_reliability({"accuracy": [1.0]})


def test_plot_curves_smoothing_and_x():
    curves = {"sgd": np.linspace(2, 0.1, 50), "adam": np.linspace(2, 0.05, 50)}
    fig = plot_curves(curves, xlabel="step", ylabel="loss", title="t", smooth=5, log_y=True)
    ax = fig.axes[0]
    assert len(ax.lines) == 4 and ax.get_yscale() == "log"
    assert len(ax.lines[1].get_xdata()) == 46                 # the moving average is shorter
    assert "moving average of 5" in ax.get_ylabel()
    fig = plot_curves({"loss": [1.0, np.inf, 0.5]}, x=[-1, 0, 1], xlabel="α", ylabel="loss", title="t")
    assert fig.axes[0].lines[0].get_xdata().tolist() == [-1, 0, 1]


def test_plot_curves_bad_input():
    with pytest.raises(TypeError, match="non-empty dict"):
        plot_curves([1, 2], xlabel="x", ylabel="y", title="t")
    with pytest.raises(ValueError, match="same length"):
        plot_curves({"a": [1, 2], "b": [1]}, xlabel="x", ylabel="y", title="t")
    with pytest.raises(ValueError, match="one value per point"):
        plot_curves({"a": [1, 2]}, x=[0], xlabel="x", ylabel="y", title="t")
    with pytest.raises(ValueError, match="smooth must be between 1 and 2"):
        plot_curves({"a": [1, 2]}, xlabel="x", ylabel="y", title="t", smooth=5)
    with pytest.raises(ValueError, match="numbers"):
        plot_curves({"a": ["x", "y"]}, xlabel="x", ylabel="y", title="t")


def test_plot_predictions_without_labels_uses_names(images):
    x, _ = images
    fig = _titled(plot_predictions(pretrained("mlp"), x[:2], names=["blank", "noise"]))
    assert [ax.get_ylabel() for ax in fig.axes[::2]] == ["blank", "noise"]
    with pytest.raises(ValueError, match="names must be 2 strings"):
        plot_predictions(pretrained("mlp"), x[:2], names=["one"])


def test_plot_digits_with_probabilities(images):
    x, y = images
    fig = _titled(plot_digits(x, y, y, probabilities=np.linspace(0.1, 0.9, len(x))))
    assert fig.axes[0].get_xlabel() == "0.10"
    with pytest.raises(ValueError, match="probabilities must be 6 numbers"):
        plot_digits(x, y, probabilities=[0.5])
    with pytest.raises(ValueError, match="probabilities"):
        plot_digits(x, y, probabilities=np.full(len(x), 2.0))


def test_plot_vector():
    fig = _titled(plot_vector(np.arange(1600.0), title="t"))
    assert len(fig.axes[0].patches) == 1600
    with pytest.raises(ValueError, match="1-D numeric"):
        plot_vector(np.zeros((2, 2)), title="t")


def test_plot_confusion_matrix():
    matrix = np.diag(np.full(10, 90))
    matrix[4, 9] = 7
    fig = _titled(plot_confusion_matrix(matrix))
    texts = [t.get_text() for t in fig.axes[0].texts]
    assert texts.count("90") == 10 and "7" in texts and len(texts) == 11
    with pytest.raises(ValueError, match="10×10"):
        plot_confusion_matrix(np.zeros((9, 9), int))
    with pytest.raises(ValueError, match="integer"):
        plot_confusion_matrix(np.zeros((10, 10)))


def test_plot_attributions(images):
    x, _ = images
    maps = {"saliency": np.random.default_rng(0).random((2, 28, 28)),
            "occlusion": np.random.default_rng(1).normal(size=(2, 28, 28))}
    fig = _titled(plot_attributions(x[:2], maps, row_labels=["a", "b"], title="t", diverging=["occlusion"]))
    assert len(fig.axes) == 6 and [ax.get_title() for ax in fig.axes[:3]] == ["image", "saliency", "occlusion"]
    assert fig.axes[2].images[0].get_cmap().name == "RdBu_r" and fig.axes[1].images[0].get_cmap().name == "hot_r"
    with pytest.raises(ValueError, match="list it in diverging"):
        plot_attributions(x[:2], maps, row_labels=["a", "b"], title="t")
    with pytest.raises(ValueError, match="not"):
        plot_attributions(x[:2], maps, row_labels=["a", "b"], title="t", diverging=["nope"])
    with pytest.raises(ValueError, match="NaN"):
        plot_attributions(x[:2], {"s": np.full((2, 28, 28), np.nan)}, row_labels=["a", "b"], title="t")
    blank = plot_attributions(np.zeros((1, 28, 28), "float32"), {"s": np.zeros((1, 28, 28))},
                              row_labels=["blank"], title="t")
    assert len(blank.axes) == 2
    with pytest.raises(ValueError, match=r"must have shape \(2, 28, 28\)"):
        plot_attributions(x[:2], {"s": np.zeros((3, 28, 28))}, row_labels=["a", "b"], title="t")
    with pytest.raises(TypeError, match="non-empty dict"):
        plot_attributions(x[:2], [], row_labels=["a", "b"], title="t")
    with pytest.raises(ValueError, match="row_labels"):
        plot_attributions(x[:2], maps, row_labels=["a"], title="t", diverging=["occlusion"])


def test_plot_embedding():
    points = np.random.default_rng(0).normal(size=(50, 2))
    labels = np.arange(50) % 10
    fig = _titled(plot_embedding(points, labels, title="t"))
    assert len(fig.axes[0].collections) == 10
    with pytest.raises(ValueError, match=r"shape \(n, 2\)"):
        plot_embedding(np.zeros((5, 3)), np.zeros(5, int), title="t")
    with pytest.raises(ValueError, match="one label per image"):
        plot_embedding(points, labels[:10], title="t")


def test_plot_map_grid_accepts_rows_of_different_sizes():
    rows = [[np.zeros((8, 8)), np.ones((28, 28))], [np.eye(8), np.eye(28)]]
    fig = _titled(plot_map_grid(rows, row_labels=["a", "b"], col_labels=["8×8", "28×28"], title="t",
                                diverging=False))
    assert fig.axes[0].images[0].get_array().shape == (8, 8)
    assert fig.axes[1].images[0].get_array().shape == (28, 28)
    with pytest.raises(ValueError, match="same number of maps"):
        plot_map_grid([[np.eye(8)], [np.eye(8), np.eye(28)]], row_labels=["a", "b"], col_labels=["x"], title="t")
    with pytest.raises(ValueError, match="2-D"):
        plot_map_grid([[np.zeros(8), np.eye(28)]], row_labels=["a"], col_labels=["x", "y"], title="t")


def test_plot_curves_log_x_and_markers():
    fig = plot_curves({"a": [0.9, 0.95, 0.98]}, x=[10, 100, 1000], xlabel="n", ylabel="acc", title="t",
                      log_x=True, markers=True)
    ax = fig.axes[0]
    assert ax.get_xscale() == "log" and ax.lines[0].get_marker() == "o"
    with pytest.raises(ValueError, match="positive x"):
        plot_curves({"a": [1, 2]}, x=[0, 1], xlabel="n", ylabel="y", title="t", log_x=True)
