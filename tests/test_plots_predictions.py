"""plots.predictions draws the model's own probabilities, right and wrong in their colours, and the counts given."""

import keras
import numpy as np
import pytest
from plot_helpers import drawn, heights, labelled, same_colour, titled

from mnist_lessons.calibration import reliability_bins
from mnist_lessons.models import build_cnn, build_mlp, predict_probabilities, pretrained
from mnist_lessons.plots import (
    plot_class_bars,
    plot_confidence_histogram,
    plot_confusion_matrices,
    plot_confusion_matrix,
    plot_predictions,
    plot_reliability,
)
from mnist_lessons.plots._base import CORRECT, NEUTRAL, WRONG


@pytest.fixture(scope="module")
def images(mnist_small):
    (_, _), (x_test, y_test) = mnist_small
    return x_test[:6], y_test[:6]


def test_plot_predictions_bars_are_the_probabilities_and_colours_mark_right_and_wrong(images):
    model = pretrained("mlp")
    x, y = images
    labels = y.copy()
    labels[1] = (y[1] + 1) % 10        # a label the model will not predict: its answer is "wrong"
    probabilities = predict_probabilities(model, x)
    fig = titled(plot_predictions(model, x, labels))
    for i in range(len(x)):
        image_ax, bar_ax = fig.axes[2 * i], fig.axes[2 * i + 1]
        np.testing.assert_array_equal(drawn(image_ax), x[i])
        np.testing.assert_allclose(heights(bar_ax), probabilities[i], atol=1e-7)
        predicted = int(probabilities[i].argmax())
        expected = CORRECT if predicted == labels[i] else WRONG
        assert same_colour(bar_ax.patches[predicted].get_facecolor(), expected)
        others = [k for k in range(10) if k != predicted]
        assert all(same_colour(bar_ax.patches[k].get_facecolor(), NEUTRAL) for k in others)
        assert same_colour(bar_ax.patches[labels[i]].get_edgecolor(), "black")
    assert same_colour(fig.axes[3].patches[int(probabilities[1].argmax())].get_facecolor(), WRONG)


@pytest.mark.random_figures
@pytest.mark.parametrize("builder", [build_mlp, build_cnn])
def test_plot_predictions_any_model(images, builder):
    model = builder()
    x, y = images
    x = x.reshape((-1,) + tuple(model.inputs[0].shape[1:]))
    fig = titled(plot_predictions(model, x, y))
    assert labelled(fig.axes[-1])


def test_plot_predictions_without_labels_uses_names(images):
    x, _ = images
    fig = titled(plot_predictions(pretrained("mlp"), x[:2], names=["blank", "noise"]))
    assert [ax.get_ylabel() for ax in fig.axes[::2]] == ["blank", "noise"]
    with pytest.raises(ValueError, match="names must be 2 strings"):
        plot_predictions(pretrained("mlp"), x[:2], names=["one"])


def test_plot_class_bars_draws_the_values_and_the_highlight():
    rows = np.tile(np.linspace(0.01, 0.19, 10), (3, 1))
    fig = titled(plot_class_bars(rows, row_labels=["a", "b", "c"], title="t", highlight=7))
    assert len(fig.axes) == 3 and fig.axes[0].get_ylim() == (0, 1)
    np.testing.assert_allclose(heights(fig.axes[2]), rows[2])
    assert same_colour(fig.axes[0].patches[7].get_facecolor(), CORRECT)
    assert same_colour(fig.axes[0].patches[0].get_facecolor(), NEUTRAL)
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
    with pytest.raises(ValueError, match="highlight must be an int from 0 to 9"):
        plot_class_bars(np.zeros((1, 10)), row_labels=["x"], title="t", highlight=10)
    with pytest.raises(TypeError, match="title"):
        plot_class_bars(np.zeros((1, 10)), row_labels=["x"], title=None)


def test_plot_confidence_histogram_counts_right_and_wrong_apart():
    confidence = np.array([0.99, 0.95, 0.6, 0.4])
    correct = np.array([True, True, False, True])
    fig = titled(plot_confidence_histogram(confidence, correct, bins=10))
    right, wrong = fig.axes
    np.testing.assert_array_equal(heights(right), np.histogram(confidence[correct], np.linspace(0, 1, 11))[0])
    np.testing.assert_array_equal(heights(wrong), np.histogram(confidence[~correct], np.linspace(0, 1, 11))[0])
    with pytest.raises(ValueError, match="boolean array"):
        plot_confidence_histogram(confidence, np.array([1, 1, 0, 1]))
    with pytest.raises(ValueError, match=r"in \[0, 1\]"):
        plot_confidence_histogram(confidence * 100, correct)
    with pytest.raises(TypeError, match="1-D float array"):
        plot_confidence_histogram(np.ones((2, 2)), correct)


def test_plot_reliability_draws_the_accuracy_and_confidence_of_each_filled_bin():
    probabilities = np.array([[0.9, 0.1], [0.2, 0.8], [0.65, 0.35]])
    bins = reliability_bins(probabilities, [0, 0, 0], n_bins=5)
    fig = titled(plot_reliability(bins))
    assert len(fig.axes) == 2 and all(labelled(ax) for ax in fig.axes)
    filled = bins.counts > 0
    left, right = fig.axes
    np.testing.assert_allclose(heights(left), bins.accuracy[filled])
    np.testing.assert_allclose(left.lines[0].get_ydata(), bins.confidence[filled])
    np.testing.assert_array_equal(heights(right), bins.counts)
    with pytest.raises(TypeError, match="reliability_bins"):
        plot_reliability({"accuracy": [1.0]})


def test_plot_confusion_matrix_writes_each_count_in_its_cell():
    matrix = np.diag(np.full(10, 90))
    matrix[4, 9] = 7
    fig = titled(plot_confusion_matrix(matrix))
    cells = {(round(t.get_position()[1]), round(t.get_position()[0])): int(t.get_text()) for t in fig.axes[0].texts}
    assert cells == {(t, p): int(c) for (t, p), c in np.ndenumerate(matrix) if c}
    with pytest.raises(ValueError, match="10×10"):
        plot_confusion_matrix(np.zeros((9, 9), int))
    with pytest.raises(ValueError, match="integer"):
        plot_confusion_matrix(np.zeros((10, 10)))


def test_plot_confusion_matrix_draws_true_classes_down_and_predictions_across():
    # One mistake, a 4 taken for a 9: the drawn heat map must hold it at row 4, column 9 (the
    # transposed picture, with the counts still written right, would put its colour at (9, 4)),
    # with row 0 at the top, as the matrix is printed, and the axes named that way.
    matrix = np.diag(np.full(10, 90))
    matrix[4, 9] = 7
    ax = plot_confusion_matrix(matrix).axes[0]
    mistakes = ax.images[0].get_array()
    assert mistakes.filled(-1)[4, 9] == 7 and mistakes.filled(-1)[9, 4] == 0
    assert mistakes.mask.diagonal().all() and mistakes.sum() == 7
    assert ax.images[0].get_clim() == (0, 7)
    assert ax.get_ylim() == (9.5, -0.5) and ax.get_xlim() == (-0.5, 9.5)
    assert (ax.get_ylabel(), ax.get_xlabel()) == ("true class", "predicted class")


# --- bad input -------------------------------------------------------------------------------

def test_pixels_0_to_255_where_0_to_1_expected(images):
    x, y = images
    with pytest.raises(ValueError, match="0-255 pixel values: divide by 255"):
        plot_predictions(build_mlp(), x * 255, y)
    with pytest.raises(TypeError, match=r"got dtype uint8.*scale=True"):
        plot_predictions(build_mlp(), (x * 255).astype(np.uint8), y)


def test_wrong_shapes_for_the_model(images):
    rgb = np.repeat(images[0][..., None], 3, axis=-1)
    with pytest.raises(ValueError, match="RGB"):
        plot_predictions(build_cnn(), rgb, images[1])
    with pytest.raises(ValueError, match=r"single image: pass images\[i:i\+1\]"):
        plot_predictions(build_cnn(), images[0][0][..., None], images[1][:1])
    with pytest.raises(ValueError, match=r"channel_axis=True"):
        plot_predictions(build_cnn(), images[0], images[1])
    with pytest.raises(ValueError, match="at most 20"):
        plot_predictions(build_mlp(), np.zeros((21, 28, 28), "float32"), np.zeros(21, int))


def test_not_a_model_and_a_model_that_outputs_logits(images):
    with pytest.raises(TypeError, match="must be a Keras model"):
        plot_predictions("cnn", images[0], images[1])
    logits = keras.Sequential([keras.Input((28, 28)), keras.layers.Flatten(), keras.layers.Dense(10)])
    with pytest.raises(ValueError, match="not probabilities.*apply a softmax"):
        predict_probabilities(logits, images[0])


def test_flat_input_model_accepts_flat_batches():
    model = keras.Sequential([keras.Input((784,)), keras.layers.Dense(10, activation="softmax")])
    probabilities = predict_probabilities(model, np.zeros((3, 784), "float32"))
    assert probabilities.shape == (3, 10)


def test_plot_class_bars_draws_logits_as_dots_not_bars():
    logits = np.linspace(-3, 5, 10)[None]
    fig = plot_class_bars(np.vstack([logits, logits + 5]), row_labels=["z", "z + 5"], value_label="logit", title="t")
    for ax, row in zip(fig.axes, (logits[0], logits[0] + 5)):
        assert not ax.patches                                           # no bars from 0
        np.testing.assert_allclose(ax.collections[0].get_offsets()[:, 1], row)


def test_plot_confusion_matrices_draws_each_matrix_in_its_panel_on_its_own_scale():
    few = np.diag(np.full(10, 90))
    few[4, 9] = 3
    many = np.diag(np.full(10, 60))
    many[5, 3], many[4, 9] = 40, 25
    fig = titled(plot_confusion_matrices({"CNN": few, "baseline": many}, title="Two models"))
    panels = [ax for ax in fig.axes if ax.get_label() != "<colorbar>"]
    assert [ax.get_title() for ax in panels] == ["CNN", "baseline"]
    for ax, matrix in zip(panels, (few, many)):
        mistakes, diagonal = ax.images                   # the red scale, then the grey diagonal
        off = ~np.eye(10, dtype=bool)
        np.testing.assert_array_equal(mistakes.get_array().filled(-1)[off], matrix[off])
        assert mistakes.get_array().mask.diagonal().all() and not diagonal.get_array().mask.diagonal().any()
        assert mistakes.get_clim() == (0, matrix[off].max())            # each panel its own scale
        cells = {(round(t.get_position()[1]), round(t.get_position()[0])): int(t.get_text()) for t in ax.texts}
        assert cells == {(t, p): int(c) for (t, p), c in np.ndenumerate(matrix) if c}
        assert labelled(ax)


def test_plot_confusion_matrices_bad_input():
    good = np.eye(10, dtype=int)
    with pytest.raises(TypeError, match="dict"):
        plot_confusion_matrices([good])
    with pytest.raises(ValueError, match="from 1 to 4"):
        plot_confusion_matrices({})
    with pytest.raises(ValueError, match="from 1 to 4"):
        plot_confusion_matrices({str(k): good for k in range(5)})
    with pytest.raises(ValueError, match=r"matrices\['b'\] must be 10×10"):
        plot_confusion_matrices({"a": good, "b": np.eye(9, dtype=int)})
    with pytest.raises(TypeError, match="panel title"):
        plot_confusion_matrices({1: good})
