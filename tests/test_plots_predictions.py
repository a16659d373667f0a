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


def _panels_in_a_row(fig):
    """Whether the figure's panels (not their colour bars) sit side by side, in one row."""
    panels = [ax for ax in fig.axes if ax.get_label() != "<colorbar>"]
    return {ax.get_subplotspec().get_geometry()[:2] for ax in panels} == {(1, len(panels))}


def _faint_grid(axis):
    """Whether the axis draws grid lines, faint enough (alpha below 1/2) to stay behind the bars."""
    lines = axis.get_gridlines()
    return bool(lines) and all(line.get_visible() and line.get_alpha() is not None and line.get_alpha() < 0.5
                               for line in lines)


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


# --- the exact message a user sees for each bad argument -------------------------------------

@pytest.fixture(scope="module")
def mlp():
    """The shipped MLP (pretrained gives a fresh copy on every call: load it once)."""
    return pretrained("mlp")


_TWO = np.zeros((2, 28, 28), "float32")            # two blank digits
_GOOD = np.eye(10, dtype=np.int64)
_RIGHT = np.array([True])

# (what is wrong, the call given the shipped MLP, the exception, its whole message): each names the
# argument, what it must be, what it got and, where one helps, the fix.
BAD_ARGUMENTS = [
    ("predictions: title", lambda mlp: plot_predictions(mlp, _TWO, title=None),
     TypeError, "title must be a string; got None (NoneType)."),
    ("predictions: 21 digits", lambda mlp: plot_predictions(mlp, np.zeros((21, 28, 28), "float32")),
     ValueError, "plot_predictions draws at most 20 digits; got 21. Pass a slice."),
    ("predictions: one label for two", lambda mlp: plot_predictions(mlp, _TWO, np.array([1])),
     ValueError, "labels must have shape (2,), one label per image; got (1,)."),
    ("predictions: names a string", lambda mlp: plot_predictions(mlp, _TWO, names="ab"),
     ValueError, "names must be 2 strings, one per image; got 'ab'."),
    ("predictions: one name for two", lambda mlp: plot_predictions(mlp, _TWO, names=["a"]),
     ValueError, "names must be 2 strings, one per image; got ['a']."),
    ("predictions: a name not a string", lambda mlp: plot_predictions(mlp, _TWO, names=["a", 1]),
     ValueError, "names must be 2 strings, one per image; got ['a', 1]."),
    ("class bars: title", lambda mlp: plot_class_bars(np.zeros((1, 10)), row_labels=["x"], title=None),
     TypeError, "title must be a string; got None (NoneType)."),
    ("class bars: 1-D", lambda mlp: plot_class_bars(np.zeros(10), row_labels=["x"], title="t"),
     ValueError, "rows must be numbers shaped (n, 10), one row per panel; got shape (10,)."),
    ("class bars: 9 classes", lambda mlp: plot_class_bars(np.zeros((1, 9)), row_labels=["x"], title="t"),
     ValueError, "rows must be numbers shaped (n, 10), one row per panel; got shape (1, 9)."),
    ("class bars: text", lambda mlp: plot_class_bars(np.array([["a"] * 10]), row_labels=["x"], title="t"),
     ValueError, "rows must be numbers shaped (n, 10), one row per panel; got shape (1, 10)."),
    ("class bars: no row", lambda mlp: plot_class_bars(np.zeros((0, 10)), row_labels=[], title="t"),
     ValueError, "the number of rows must be an int from 1 to 10; got 0."),
    ("class bars: 11 rows", lambda mlp: plot_class_bars(np.zeros((11, 10)), row_labels=["x"] * 11, title="t"),
     ValueError, "the number of rows must be an int from 1 to 10; got 11."),
    ("class bars: inf", lambda mlp: plot_class_bars(np.full((1, 10), np.inf), row_labels=["x"], title="t"),
     ValueError, "rows contain inf or NaN, which cannot be drawn as bars; show them as text instead."),
    ("class bars: labels a string", lambda mlp: plot_class_bars(np.zeros((2, 10)), row_labels="xy", title="t"),
     ValueError, "row_labels must be 2 strings, one per row; got 'xy'."),
    ("class bars: one label for two", lambda mlp: plot_class_bars(np.zeros((2, 10)), row_labels=["x"], title="t"),
     ValueError, "row_labels must be 2 strings, one per row; got ['x']."),
    ("class bars: a label not a string",
     lambda mlp: plot_class_bars(np.zeros((2, 10)), row_labels=["x", 2], title="t"),
     ValueError, "row_labels must be 2 strings, one per row; got ['x', 2]."),
    ("class bars: highlight 10",
     lambda mlp: plot_class_bars(np.zeros((1, 10)), row_labels=["x"], title="t", highlight=10),
     ValueError, "highlight must be an int from 0 to 9; got 10."),
    ("class bars: highlight -1",
     lambda mlp: plot_class_bars(np.zeros((1, 10)), row_labels=["x"], title="t", highlight=-1),
     ValueError, "highlight must be an int from 0 to 9; got -1."),
    ("class bars: highlight 1.0",
     lambda mlp: plot_class_bars(np.zeros((1, 10)), row_labels=["x"], title="t", highlight=1.0),
     TypeError, "highlight must be an int; got 1.0 (float). Pass a whole number."),
    ("confidence: title", lambda mlp: plot_confidence_histogram(np.array([0.5]), _RIGHT, title=None),
     TypeError, "title must be a string; got None (NoneType)."),
    ("confidence: 2-D", lambda mlp: plot_confidence_histogram(np.ones((2, 2)), _RIGHT),
     TypeError, "confidence must be a 1-D float array; got dtype float64, shape (2, 2)."),
    ("confidence: ints", lambda mlp: plot_confidence_histogram(np.array([1], dtype=np.int64), _RIGHT),
     TypeError, "confidence must be a 1-D float array; got dtype int64, shape (1,)."),
    ("confidence: empty", lambda mlp: plot_confidence_histogram(np.array([]), np.array([], bool)),
     ValueError, "confidence must hold probabilities in [0, 1] (the largest probability per example)."),
    ("confidence: above 1", lambda mlp: plot_confidence_histogram(np.array([1.5]), _RIGHT),
     ValueError, "confidence must hold probabilities in [0, 1] (the largest probability per example)."),
    ("confidence: below 0", lambda mlp: plot_confidence_histogram(np.array([-0.5]), _RIGHT),
     ValueError, "confidence must hold probabilities in [0, 1] (the largest probability per example)."),
    ("confidence: correct as 0/1", lambda mlp: plot_confidence_histogram(np.array([0.5]), np.array([1], np.int64)),
     ValueError, "correct must be a boolean array shaped like confidence (1,); got dtype int64, shape (1,). "
                 "Make it with predictions == labels."),
    ("confidence: correct too long", lambda mlp: plot_confidence_histogram(np.array([0.5]), np.array([True, False])),
     ValueError, "correct must be a boolean array shaped like confidence (1,); got dtype bool, shape (2,). "
                 "Make it with predictions == labels."),
    ("confidence: 1 bin", lambda mlp: plot_confidence_histogram(np.array([0.5]), _RIGHT, bins=1),
     ValueError, "bins must be an int from 2 to 100; got 1."),
    ("confidence: 101 bins", lambda mlp: plot_confidence_histogram(np.array([0.5]), _RIGHT, bins=101),
     ValueError, "bins must be an int from 2 to 100; got 101."),
    ("confidence: 2.0 bins", lambda mlp: plot_confidence_histogram(np.array([0.5]), _RIGHT, bins=2.0),
     TypeError, "bins must be an int; got 2.0 (float). Pass a whole number."),
    ("reliability: title",
     lambda mlp: plot_reliability(reliability_bins(np.array([[0.9, 0.1]]), [0]), title=None),
     TypeError, "title must be a string; got None (NoneType)."),
    ("reliability: a dict", lambda mlp: plot_reliability({"accuracy": [1.0]}),
     TypeError, "bins must be what mnist_lessons.calibration.reliability_bins returned; got dict."),
    ("confusion matrix: title", lambda mlp: plot_confusion_matrix(_GOOD, title=None),
     TypeError, "title must be a string; got None (NoneType)."),
    ("confusion matrix: 9×9", lambda mlp: plot_confusion_matrix(np.zeros((9, 9), np.int64)),
     ValueError, "matrix must be 10×10 non-negative integer counts; got shape (9, 9), dtype int64."),
    ("confusion matrix: 10×9", lambda mlp: plot_confusion_matrix(np.zeros((10, 9), np.int64)),
     ValueError, "matrix must be 10×10 non-negative integer counts; got shape (10, 9), dtype int64."),
    ("confusion matrix: floats", lambda mlp: plot_confusion_matrix(np.zeros((10, 10))),
     ValueError, "matrix must be 10×10 non-negative integer counts; got shape (10, 10), dtype float64."),
    ("confusion matrix: negative", lambda mlp: plot_confusion_matrix(-_GOOD),
     ValueError, "matrix must be 10×10 non-negative integer counts; got shape (10, 10), dtype int64."),
    ("confusion matrices: title", lambda mlp: plot_confusion_matrices({"a": _GOOD}, title=None),
     TypeError, "title must be a string; got None (NoneType)."),
    ("confusion matrices: a list", lambda mlp: plot_confusion_matrices([_GOOD]),
     TypeError, "matrices must be a dict {panel title: 10×10 counts}; got list."),
    ("confusion matrices: none", lambda mlp: plot_confusion_matrices({}),
     ValueError, "the number of matrices must be an int from 1 to 4; got 0."),
    ("confusion matrices: 5", lambda mlp: plot_confusion_matrices({str(k): _GOOD for k in range(5)}),
     ValueError, "the number of matrices must be an int from 1 to 4; got 5."),
    ("confusion matrices: panel title", lambda mlp: plot_confusion_matrices({1: _GOOD}),
     TypeError, "each panel title must be a string; got 1 (int)."),
    ("confusion matrices: 9×9", lambda mlp: plot_confusion_matrices({"a": _GOOD, "b": np.eye(9, dtype=np.int64)}),
     ValueError, "matrices['b'] must be 10×10 non-negative integer counts; got shape (9, 9), dtype int64."),
    ("confusion matrices: negative", lambda mlp: plot_confusion_matrices({"a": -_GOOD}),
     ValueError, "matrices['a'] must be 10×10 non-negative integer counts; got shape (10, 10), dtype int64."),
]


@pytest.mark.parametrize("call, error, message", [case[1:] for case in BAD_ARGUMENTS],
                         ids=[case[0] for case in BAD_ARGUMENTS])
def test_each_bad_argument_gets_its_whole_message(mlp, call, error, message):
    with pytest.raises(error) as raised:
        call(mlp)
    assert str(raised.value) == message


# --- options and edge cases the figures above leave out --------------------------------------

def test_plot_predictions_of_one_digit_and_of_twenty(mlp, cnn, digits):
    x, y = digits
    # One digit (images[i:i+1]): one row, the image beside its bars, the bars' axis named.
    fig = titled(plot_predictions(cnn, x[:1], y[:1]))
    image_ax, bar_ax = fig.axes
    assert image_ax.get_ylabel() == f"true {y[0]}" and bar_ax.get_xlabel() == "class"
    # 20 digits, the most it draws: 20 rows of an image and its bars, "class" under the last bars only.
    fig = plot_predictions(cnn, x, y)
    assert len(fig.axes) == 40
    assert [ax.get_xlabel() for ax in fig.axes[1::2]] == [""] * 19 + ["class"]
    # Neither labels nor names (pictures that are not digits): nothing beside the images, the answer in blue.
    fig = plot_predictions(mlp, np.zeros((2, 28, 28), "float32"))
    assert [ax.get_ylabel() for ax in fig.axes[::2]] == ["", ""]
    bars = fig.axes[1].patches
    predicted = int(np.argmax(heights(fig.axes[1])))
    assert same_colour(bars[predicted].get_facecolor(), "tab:blue")
    assert not any(same_colour(bar.get_edgecolor(), "black") for bar in bars)     # no true class to outline


def test_plot_class_bars_keeps_0_in_view_and_shares_one_axis():
    # Logits all above 0, all below 0 (log-probabilities), all 0: the line at 0 stays in the range,
    # which has a margin of 8 % of its height (of 1 when all are equal).
    positive = np.linspace(2, 6, 10)[None]
    fig = plot_class_bars(positive, row_labels=["z"], value_label="logit", title="t")
    assert fig.axes[0].get_ylim() == pytest.approx((0 - 0.48, 6 + 0.48))             # 0.08 × 6
    negative = np.log(np.full((1, 10), 0.1))                                          # ln 0.1 ≈ -2.303
    fig = plot_class_bars(negative, row_labels=["log p"], value_label="log-probability", title="t")
    assert fig.axes[0].get_ylim() == pytest.approx((np.log(0.1) * 1.08, -0.08 * np.log(0.1)))
    fig = plot_class_bars(np.zeros((1, 10)), row_labels=["z"], value_label="logit", title="t")
    assert fig.axes[0].get_ylim() == pytest.approx((-0.08, 0.08))
    # Several rows of float32 probabilities (as a model returns them): panels side by side on one shared
    # axis, the class highlighted in each, 0 and 9 allowed.
    rows = np.full((3, 10), 0.1, dtype=np.float32)
    for highlight in (0, 9):
        fig = titled(plot_class_bars(rows, row_labels=["a", "b", "c"], title="t", highlight=highlight))
        assert _panels_in_a_row(fig) and fig.axes[0].get_shared_y_axes().joined(fig.axes[0], fig.axes[2])
        assert all(same_colour(ax.patches[highlight].get_facecolor(), CORRECT) for ax in fig.axes)
        assert [ax.get_ylabel() for ax in fig.axes] == ["probability", "", ""]     # on the first panel only
    # 10 rows, the most: 3.2 inches a panel would be 32, the figure keeps to 16 inches wide.
    fig = plot_class_bars(np.full((10, 10), 0.1), row_labels=list("abcdefghij"), title="t")
    assert len(fig.axes) == 10 and fig.get_size_inches()[0] == 16


def test_plot_confidence_histogram_default_bins_and_the_ends_of_0_1():
    # 20 bins of 0.05 by default; a confidence of exactly 0 or 1 is a probability too.
    confidence = np.array([0.0, 0.02, 0.97, 1.0], dtype=np.float32)     # float32, as probabilities.max(axis=1)
    correct = np.array([False, False, True, True])
    fig = titled(plot_confidence_histogram(confidence, correct))
    right, wrong = fig.axes
    assert _panels_in_a_row(fig) and len(right.patches) == 20
    assert heights(right)[-1] == 2 and heights(wrong)[0] == 2 and heights(right).sum() == 2
    assert (right.get_title(), wrong.get_title()) == ("2 right predictions", "2 wrong predictions")
    assert all(_faint_grid(ax.yaxis) for ax in fig.axes)


def test_plot_reliability_panels_side_by_side():
    bins = reliability_bins(np.array([[0.9, 0.1], [0.2, 0.8]]), [0, 1], n_bins=2)
    fig = plot_reliability(bins)
    assert _panels_in_a_row(fig)
    # The legend stays in the upper left, in 8-point text (smaller than the 10-point panel titles), in
    # every diagram, even an underconfident model's, whose bars (confidence 0.15 to 0.45, all right) stand there.
    top = np.array([0.15, 0.25, 0.35, 0.45])
    bins = reliability_bins(np.column_stack([top] + [(1 - top) / 9] * 9), [0, 0, 0, 0], n_bins=10)
    fig = plot_reliability(bins, title="An underconfident model")
    left = fig.axes[0]
    legend = left.get_legend()
    assert [text.get_fontsize() for text in legend.get_texts()] == [8, 8, 8]
    fig.draw_without_rendering()
    corner = legend.get_window_extent().transformed(left.transAxes.inverted())
    assert corner.x0 < 0.1 and corner.y1 > 0.9
    assert sorted(text.get_text() for text in fig.axes[0].get_legend().get_texts()) == [
        "accuracy in the bin", "mean confidence in the bin", "perfect calibration"]


def test_plot_confusion_matrix_writes_large_mistakes_in_white_and_a_perfect_model_gets_a_scale():
    # Counts above half the largest mistake (8 / 2 = 4) are written in white on their dark red, the rest
    # (4 itself, 3) and the diagonal in black.
    matrix = np.diag(np.full(10, 50))
    matrix[1, 7], matrix[2, 3], matrix[5, 6] = 8, 4, 3
    ax = plot_confusion_matrix(matrix).axes[0]
    colours = {(round(t.get_position()[1]), round(t.get_position()[0])): t.get_color() for t in ax.texts}
    assert [same_colour(colours[cell], "white") for cell in ((1, 7), (2, 3), (5, 6), (0, 0))] == [
        True, False, False, False]
    assert all(same_colour(colours[cell], "black") for cell in ((2, 3), (5, 6), (0, 0)))
    colour_bar = next(other for other in ax.figure.axes if other.get_label() == "<colorbar>")
    ax.figure.draw_without_rendering()                                  # the layout places the colour bar
    assert colour_bar.get_position().height < ax.get_position().height  # no taller than the matrix it explains
    # No mistake at all: the red scale still spans 0..1 (0..0 cannot be drawn).
    fig = plot_confusion_matrix(np.diag(np.full(10, 50)), title="A perfect model")
    assert fig.axes[0].images[0].get_clim() == (0, 1)
    # A poor model that confuses every pair at least twice: the red scale still starts at 0, not at 2.
    poor = np.full((10, 10), 2) + np.diag(np.full(10, 30))
    poor[0, 1] = 6
    assert plot_confusion_matrix(poor, title="A poor model").axes[0].images[0].get_clim() == (0, 6)


def test_plot_confusion_matrices_one_panel_and_panels_in_a_row():
    one = np.diag(np.full(10, 50))
    one[3, 8] = 1                                                        # one mistake: a scale of 0..1
    fig = titled(plot_confusion_matrices({"only": one}))
    (panel,) = [ax for ax in fig.axes if ax.get_label() != "<colorbar>"]
    assert panel.get_title() == "only" and panel.images[0].get_clim() == (0, 1)
    fig = plot_confusion_matrices({"a": one, "b": one, "c": one})
    assert _panels_in_a_row(fig)
