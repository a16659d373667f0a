"""plots.diagrams draws what the model and the numbers given say: boxes, shapes, counts, products, maxima."""

import keras
import matplotlib
import numpy as np
import pytest
from plot_helpers import drawn, same_colour, titled

from mnist_lessons.models import build_cnn, build_mlp
from mnist_lessons.plots import (
    plot_architecture,
    plot_backprop_graph,
    plot_convolution_backward,
    plot_convolution_step,
    plot_log_loss,
    plot_pooling_backward,
    plot_pooling_step,
    plot_transfer,
)
from mnist_lessons.plots.diagrams import layer_rows


def _texts(fig):
    return [text.get_text() for ax in fig.axes for text in ax.texts if text.get_text()]   # not the arrows


@pytest.mark.parametrize("builder", [build_mlp, build_cnn])
def test_plot_architecture_has_one_box_per_layer_with_its_shape_and_parameters(builder):
    model = builder()
    texts = _texts(titled(plot_architecture(model)))
    assert len(texts) == len(model.layers) + 1                         # the input, then every layer
    for layer, text in zip(model.layers, texts[1:]):
        assert text.splitlines()[0] == f"{layer.name} ({type(layer).__name__})"
        assert "×".join(map(str, layer.output.shape[1:])) in text and f"{layer.count_params():,} parameters" in text
    assert f"{model.count_params():,} parameters" in plot_architecture(model).get_suptitle()


def test_plot_convolution_step_shows_the_products_and_their_sum():
    image = np.arange(36.0).reshape(6, 6) / 36
    kernel = np.array([[1.0, 0, -1], [2, 0, -2], [1, 0, -1]])
    fig = titled(plot_convolution_step(image, kernel, (2, 1)))
    patch = image[2:5, 1:4]
    np.testing.assert_allclose(drawn(fig.axes[1]), patch)
    np.testing.assert_allclose(drawn(fig.axes[3]), patch * kernel)
    assert f"sum = {(patch * kernel).sum():.3f}" in fig.axes[3].get_title()
    assert [t.get_text() for t in fig.axes[2].texts] == [f"{v:.2f}" for v in kernel.ravel()]
    with pytest.raises(ValueError, match="fits in the image"):
        plot_convolution_step(image, kernel, (4, 0))


def test_plot_pooling_step_writes_each_windows_maximum():
    block = np.random.default_rng(0).random((4, 4))
    fig = titled(plot_pooling_step(block))
    pooled = block.reshape(2, 2, 2, 2).max(axis=(1, 3))
    np.testing.assert_allclose(drawn(fig.axes[1]), pooled)
    assert [t.get_text() for t in fig.axes[1].texts] == [f"{v:.2f}" for v in pooled.ravel()]
    assert len(fig.axes[0].patches) == len(fig.axes[1].patches) == 4
    with pytest.raises(ValueError, match="multiples of size"):
        plot_pooling_step(np.zeros((3, 4)))


def test_plot_backprop_graph_reads_the_shapes_from_the_model():
    model = keras.Sequential([keras.Input((28, 28)), keras.layers.Flatten(),
                              keras.layers.Dense(32, activation="relu"), keras.layers.Dense(10)])
    texts = "\n".join(_texts(titled(plot_backprop_graph(model))))
    assert "n×784" in texts and "n×32" in texts and "n×10" in texts
    assert "∂L/∂W1 = Xᵀ ∂L/∂H_pre  (784×32)" in texts and "∂L/∂W2 = Hᵀ ∂L/∂Z  (32×10)" in texts
    assert "∂L/∂Z = (P − Y) / n" in texts
    with pytest.raises(ValueError, match="chapter 6's network"):
        plot_backprop_graph(build_cnn())


def test_plot_log_loss_marks_each_digit_on_the_curve():
    p = np.array([0.05, 0.5, 0.9, 1.0])
    fig = titled(plot_log_loss(p))
    ax = fig.axes[0]
    curve, points = ax.lines[0], ax.lines[1]
    np.testing.assert_allclose(curve.get_ydata(), -np.log(curve.get_xdata()))
    np.testing.assert_allclose(points.get_ydata(), -np.log(p))
    assert ax.lines[2].get_ydata()[0] == pytest.approx(-np.log(p).mean())
    with pytest.raises(ValueError, match="infinite loss"):
        plot_log_loss([0.0, 0.5])


def test_plot_transfer_shows_the_frozen_base_and_the_head():
    base = keras.Sequential([keras.Input((28, 28, 1)), *build_cnn().layers[:-1]], name="base")
    base.trainable = False
    model = keras.Sequential([keras.Input((28, 28, 1)), base, keras.layers.Dense(5, name="head")])
    fig = titled(plot_transfer(model))
    texts = _texts(fig)
    assert [text.splitlines()[0] for text in texts[:6]] == [layer.name for layer in base.layers] + ["head"]
    assert "8,005 parameters" in texts[5]
    assert f"base: {base.count_params():,} parameters, frozen" in texts
    with pytest.raises(ValueError, match="nested model"):
        plot_transfer(build_cnn())


def test_plot_pooling_backward_sends_each_windows_gradient_to_its_winner():
    block = np.array([[1.0, 3, 0, 0], [2, 0, 0, 0], [5, 5, 1, 2], [0, 1, 4, 0]])   # a tie of 5s, a window of 0s
    upstream = np.array([[0.5, -1.0], [2.0, 0.25]])
    fig = titled(plot_pooling_backward(block, upstream))
    passed = np.zeros((4, 4))
    passed[0, 1], passed[0, 2], passed[2, 0], passed[3, 2] = 0.5, -1.0, 2.0, 0.25   # first winner of a tie
    np.testing.assert_array_equal(drawn(fig.axes[2]), passed)
    np.testing.assert_array_equal(drawn(fig.axes[1]), upstream)
    framed = sorted((p.get_y() + 0.45, p.get_x() + 0.45) for p in fig.axes[0].patches)
    assert framed == [(0, 1), (0, 2), (2, 0), (3, 2)]
    assert [t.get_text() for t in fig.axes[2].texts][:4] == ["0", "0.5", "-1", "0"]
    with pytest.raises(ValueError, match="one gradient per window"):
        plot_pooling_backward(block, np.zeros((1, 2)))


def test_plot_convolution_backward_computes_both_gradients():
    image = np.arange(16.0).reshape(4, 4)
    kernel = np.array([[1.0, 2], [0, -1]])
    upstream = np.array([[1.0, 0, -1], [0, 2, 0], [1, 0, 0]])
    fig = titled(plot_convolution_backward(image, kernel, upstream))
    # By the chain rule, one term per output: Y[i, j] = sum_uv X[i+u, j+v] K[u, v].
    kernel_gradient, image_gradient = np.zeros((2, 2)), np.zeros((4, 4))
    for i in range(3):
        for j in range(3):
            for u in range(2):
                for v in range(2):
                    kernel_gradient[u, v] += image[i + u, j + v] * upstream[i, j]
                    image_gradient[i + u, j + v] += kernel[u, v] * upstream[i, j]
    np.testing.assert_allclose(drawn(fig.axes[2]), kernel_gradient)
    np.testing.assert_allclose(drawn(fig.axes[5]), image_gradient)
    np.testing.assert_array_equal(drawn(fig.axes[4]), kernel[::-1, ::-1])
    assert drawn(fig.axes[3]).shape == (5, 5)
    with pytest.raises(ValueError, match="output's shape \\(3, 3\\)"):
        plot_convolution_backward(image, kernel, np.zeros((2, 2)))


def _chapter6_network():
    return keras.Sequential([keras.Input((28, 28)), keras.layers.Flatten(),
                             keras.layers.Dense(32, activation="relu"), keras.layers.Dense(10)])


_MODEL_TYPE = ("model must be a Keras model (keras.Model or keras.Sequential); got {}. Build one with "
               "mnist_lessons.models or load one with mnist_lessons.models.pretrained(...).")
_BAD_INPUT = {   # a call with one bad argument: the exception and the exact message a student reads
    "architecture, model": (lambda: plot_architecture("mlp"), TypeError, _MODEL_TYPE.format("str")),
    "architecture, title": (lambda: plot_architecture(build_mlp(), title=3), TypeError,
                            "title must be a string; got 3 (int)."),
    "convolution step, title": (lambda: plot_convolution_step(np.zeros((6, 6)), np.ones((3, 3)), (0, 0), title=None),
                                TypeError, "title must be a string; got None (NoneType)."),
    "convolution step, kernel not square": (
        lambda: plot_convolution_step(np.zeros((6, 6)), np.ones((2, 3)), (0, 0)), ValueError,
        "image must be 2-D and kernel square; got shapes (6, 6) and (2, 3)."),
    "convolution step, image 1-D": (
        lambda: plot_convolution_step(np.zeros(6), np.ones((3, 3)), (0, 0)), ValueError,
        "image must be 2-D and kernel square; got shapes (6,) and (3, 3)."),
    "convolution step, kernel 3-D": (
        lambda: plot_convolution_step(np.zeros((6, 6)), np.ones((3, 3, 3)), (0, 0)), ValueError,
        "image must be 2-D and kernel square; got shapes (6, 6) and (3, 3, 3)."),
    "convolution step, top_left a list": (
        lambda: plot_convolution_step(np.zeros((6, 6)), np.ones((3, 3)), [0, 0]), TypeError,
        "top_left must be a (row, column) tuple of two ints; got [0, 0]."),
    "convolution step, kernel past the edge": (   # 6 - 3 = 3 is the last top-left row or column that fits
        lambda: plot_convolution_step(np.zeros((6, 6)), np.ones((3, 3)), (4, 0)), ValueError,
        "top_left must hold a row and a column from 0 to 3, so that the 3×3 kernel fits in the image; got (4, 0)."),
    "convolution step, negative column": (
        lambda: plot_convolution_step(np.zeros((6, 6)), np.ones((3, 3)), (0, -1)), ValueError,
        "top_left must hold a row and a column from 0 to 3, so that the 3×3 kernel fits in the image; got (0, -1)."),
    "pooling step, title": (lambda: plot_pooling_step(np.zeros((4, 4)), title=1), TypeError,
                            "title must be a string; got 1 (int)."),
    "pooling step, size 0": (lambda: plot_pooling_step(np.zeros((4, 4)), size=0), ValueError,
                             "size must be an int of at least 1; got 0."),
    "pooling step, size a float": (lambda: plot_pooling_step(np.zeros((4, 4)), size=2.0), TypeError,
                                   "size must be an int; got 2.0 (float). Pass a whole number."),
    "pooling step, rows not a multiple": (
        lambda: plot_pooling_step(np.zeros((3, 4))), ValueError,
        "block must be 2-D with sides that are multiples of size=2; got shape (3, 4)."),
    "pooling step, columns not a multiple": (
        lambda: plot_pooling_step(np.zeros((4, 6)), size=4), ValueError,
        "block must be 2-D with sides that are multiples of size=4; got shape (4, 6)."),
    "pooling step, block 1-D": (
        lambda: plot_pooling_step(np.zeros(4)), ValueError,
        "block must be 2-D with sides that are multiples of size=2; got shape (4,)."),
    "pooling backward, title": (lambda: plot_pooling_backward(np.zeros((4, 4)), np.zeros((2, 2)), title=None),
                                TypeError, "title must be a string; got None (NoneType)."),
    "pooling backward, size 0": (lambda: plot_pooling_backward(np.zeros((4, 4)), np.zeros((2, 2)), size=0),
                                 ValueError, "size must be an int of at least 1; got 0."),
    "pooling backward, size a float": (
        lambda: plot_pooling_backward(np.zeros((4, 4)), np.zeros((2, 2)), size=2.0), TypeError,
        "size must be an int; got 2.0 (float). Pass a whole number."),
    "pooling backward, rows not a multiple": (
        lambda: plot_pooling_backward(np.zeros((3, 4)), np.zeros((1, 2))), ValueError,
        "block must be 2-D with sides that are multiples of size=2; got shape (3, 4)."),
    "pooling backward, columns not a multiple": (
        lambda: plot_pooling_backward(np.zeros((4, 6)), np.zeros((1, 1)), size=4), ValueError,
        "block must be 2-D with sides that are multiples of size=4; got shape (4, 6)."),
    "pooling backward, block 1-D": (
        lambda: plot_pooling_backward(np.zeros(4), np.zeros(2)), ValueError,
        "block must be 2-D with sides that are multiples of size=2; got shape (4,)."),
    "pooling backward, upstream": (   # 4×6 in 2×2 windows: 2 rows of 3 windows
        lambda: plot_pooling_backward(np.zeros((4, 6)), np.zeros((3, 2))), ValueError,
        "upstream must hold one gradient per window, shape (2, 3); got (3, 2)."),
    "convolution backward, title": (
        lambda: plot_convolution_backward(np.zeros((4, 4)), np.ones((2, 2)), np.zeros((3, 3)), title=1), TypeError,
        "title must be a string; got 1 (int)."),
    "convolution backward, kernel too large": (
        lambda: plot_convolution_backward(np.zeros((4, 6)), np.ones((5, 5)), np.zeros((1, 2))), ValueError,
        "image must be 2-D and kernel square and no larger; got shapes (4, 6) and (5, 5)."),
    "convolution backward, kernel as large": (   # a 4×4 kernel fits a 4×6 image once per row: (1, 3)
        lambda: plot_convolution_backward(np.zeros((4, 6)), np.ones((4, 4)), np.zeros((1, 1))), ValueError,
        "upstream must have the output's shape (1, 3); got (1, 1)."),
    "convolution backward, kernel not square": (
        lambda: plot_convolution_backward(np.zeros((4, 4)), np.ones((2, 3)), np.zeros((3, 2))), ValueError,
        "image must be 2-D and kernel square and no larger; got shapes (4, 4) and (2, 3)."),
    "convolution backward, image 1-D": (
        lambda: plot_convolution_backward(np.zeros(4), np.ones((2, 2)), np.zeros(3)), ValueError,
        "image must be 2-D and kernel square and no larger; got shapes (4,) and (2, 2)."),
    "convolution backward, kernel 1-D": (
        lambda: plot_convolution_backward(np.zeros((4, 4)), np.ones(2), np.zeros((3, 3))), ValueError,
        "image must be 2-D and kernel square and no larger; got shapes (4, 4) and (2,)."),
    "convolution backward, upstream": (   # 4×5 input, 2×2 kernel: a 3×4 output
        lambda: plot_convolution_backward(np.zeros((4, 5)), np.ones((2, 2)), np.zeros((3, 3))), ValueError,
        "upstream must have the output's shape (3, 4); got (3, 3)."),
    "backprop graph, model": (lambda: plot_backprop_graph(None), TypeError, _MODEL_TYPE.format("NoneType")),
    "backprop graph, title": (lambda: plot_backprop_graph(_chapter6_network(), title=1), TypeError,
                              "title must be a string; got 1 (int)."),
    "backprop graph, a CNN": (
        lambda: plot_backprop_graph(build_cnn()), ValueError,
        "model must be Flatten, Dense with ReLU, Dense (chapter 6's network); got layers "
        "['Conv2D', 'MaxPooling2D', 'Conv2D', 'MaxPooling2D', 'Flatten', 'Dense']."),
    "backprop graph, no ReLU": (
        lambda: plot_backprop_graph(keras.Sequential([keras.Input((28, 28)), keras.layers.Flatten(),
                                                      keras.layers.Dense(4), keras.layers.Dense(10)])),
        ValueError, "model must be Flatten, Dense with ReLU, Dense (chapter 6's network); got layers "
                    "['Flatten', 'Dense', 'Dense']."),
    "backprop graph, three Dense layers": (
        lambda: plot_backprop_graph(keras.Sequential([keras.Input((28, 28)), keras.layers.Flatten(),
                                                      keras.layers.Dense(4, activation="relu"), keras.layers.Dense(4),
                                                      keras.layers.Dense(10)])),
        ValueError, "model must be Flatten, Dense with ReLU, Dense (chapter 6's network); got layers "
                    "['Flatten', 'Dense', 'Dense', 'Dense']."),
    "backprop graph, two Flattens": (
        lambda: plot_backprop_graph(keras.Sequential([keras.Input((28, 28)), keras.layers.Flatten(),
                                                      keras.layers.Flatten(), keras.layers.Dense(4, activation="relu"),
                                                      keras.layers.Dense(10)])),
        ValueError, "model must be Flatten, Dense with ReLU, Dense (chapter 6's network); got layers "
                    "['Flatten', 'Flatten', 'Dense', 'Dense']."),
    "log loss, title": (lambda: plot_log_loss([0.5], title=None), TypeError,
                        "title must be a string; got None (NoneType)."),
    "log loss, no digits": (lambda: plot_log_loss([]), ValueError,
                            "true_class_probabilities must be probabilities in (0, 1]; a probability of 0 has an "
                            "infinite loss."),
    "log loss, above 1": (lambda: plot_log_loss([0.5, 1.5]), ValueError,
                          "true_class_probabilities must be probabilities in (0, 1]; a probability of 0 has an "
                          "infinite loss."),
    "log loss, negative": (lambda: plot_log_loss([-0.5, 0.5]), ValueError,
                           "true_class_probabilities must be probabilities in (0, 1]; a probability of 0 has an "
                           "infinite loss."),
    "transfer, model": (lambda: plot_transfer(1), TypeError, _MODEL_TYPE.format("int")),
    "transfer, title": (lambda: plot_transfer(build_mlp(), title=1), TypeError, "title must be a string; got 1 (int)."),
    "transfer, no base": (
        lambda: plot_transfer(build_mlp()), ValueError,
        "model must hold its base as one nested model (e.g. keras.Sequential([...], name='base')) followed by the "
        "head; it has 0 nested models."),
}


@pytest.mark.parametrize("case", _BAD_INPUT)
def test_the_diagrams_name_the_bad_argument_and_say_what_is_wanted(case):
    call, error, message = _BAD_INPUT[case]
    with pytest.raises(error) as excinfo:
        call()
    assert str(excinfo.value) == message


def test_plot_architecture_with_a_title_given_draws_the_input_and_unshaded_layers_without_weights():
    fig = titled(plot_architecture(build_mlp(), title="The MLP"))
    assert fig.get_suptitle() == "The MLP (shaded: layers with weights; shapes per image)"
    texts = [text for text in fig.axes[0].texts if text.get_text()]   # not the arrows
    assert texts[0].get_text() == "input\n28×28"                          # no kind, no parameter count
    assert texts[1].get_text() == "flatten (Flatten)\n784\n0 parameters"
    assert texts[2].get_text() == "hidden (Dense)\n128\n100,480 parameters"   # 784 × 128 + 128
    assert [same_colour(text.get_bbox_patch().get_facecolor(), "white") for text in texts] == [True, True, False, False]


def test_plot_pooling_step_on_a_wide_block_with_windows_of_3():
    block = np.array([[1.0, 2, 3, 0, 0, 0], [4, 9, 5, 0, 0, 0], [6, 7, 8, 0, 0, 0.5]])   # two 3×3 windows side by side
    fig = titled(plot_pooling_step(block, size=3, title="Wide"))
    left, right = fig.axes
    np.testing.assert_array_equal(drawn(right), [[9.0, 0.5]])
    assert [t.get_text() for t in right.texts] == ["9.00", "0.50"]
    assert left.get_title() == "3×6 block, 3×3 windows" and right.get_title() == "max pooled: 1×2"
    frames = [(p.get_x(), p.get_y(), p.get_width()) for p in left.patches]   # each window's frame, 0.45 inside it
    assert frames == [(-0.45, -0.45, pytest.approx(2.9)), (2.55, -0.45, pytest.approx(2.9))]
    assert [(p.get_x(), p.get_y()) for p in right.patches] == [(-0.45, -0.45), (0.55, -0.45)]
    assert fig.get_suptitle() == "Wide: each window keeps its largest value"
    assert left.get_subplotspec().get_gridspec().get_width_ratios() == [6, 2]   # a cell as wide in both panels


def test_plot_pooling_backward_on_a_tall_block_with_windows_of_3():
    block = np.array([[0.0, 1, 0], [2, 0, 0], [0, 0, 0], [0, 0, 0], [0, 0, 0], [0, -1, 0]])   # two 3×3 windows
    upstream = np.array([[4.0], [-2.0]])
    fig = titled(plot_pooling_backward(block, upstream, size=3))
    passed = np.zeros((6, 3))
    passed[1, 0], passed[3, 0] = 4.0, -2.0        # the 2 wins the top window, the first 0 the bottom one
    np.testing.assert_array_equal(drawn(fig.axes[2]), passed)
    framed = [(p.get_y() + 0.45, p.get_x() + 0.45) for p in fig.axes[2].patches]
    assert framed == [(1, 0), (3, 0)]
    assert fig.get_suptitle() == ("Max pooling, backward: a 3×3 window passes its gradient to the value that won, "
                                  "0 to the others")
    assert fig.axes[0].get_subplotspec().get_gridspec().get_width_ratios() == [3, 1, 3]   # cells equally wide


def test_plot_convolution_step_on_a_wide_image():
    image = np.zeros((4, 8))
    image[1:4, 1:4] = 1.0
    kernel = np.array([[0.0, 1, 0], [1, -4, 1], [0, 1, 0]])     # a Laplacian: 4 neighbours 1, centre -4: sum 0
    fig = titled(plot_convolution_step(image, kernel, (1, 1), title="Edge"))
    np.testing.assert_array_equal(drawn(fig.axes[1]), np.ones((3, 3)))
    assert fig.axes[3].get_title() == "patch × kernel: sum = 0.000"
    assert fig.axes[0].get_title() == "the image, patch at (1, 1)"
    frame = fig.axes[0].patches[0]
    assert (frame.get_x(), frame.get_y(), frame.get_width(), frame.get_height()) == (0.5, 0.5, 3, 3)
    assert fig.get_suptitle() == "Edge: multiply element by element, then add up"
    assert fig.axes[0].get_subplotspec().get_gridspec().get_width_ratios() == [1.2, 1, 1, 1]   # the image wider


def test_plot_convolution_backward_on_a_wide_image():
    image = np.arange(18.0).reshape(3, 6)
    kernel = np.array([[0.0, 1], [-1, 0]])
    upstream = np.zeros((2, 5))
    upstream[0, 0], upstream[1, 4] = 1.0, -1.0
    fig = titled(plot_convolution_backward(image, kernel, upstream))
    # Y[i, j] = X[i, j + 1] - X[i + 1, j]: ∂L/∂K[u, v] = X[u, v] - X[1 + u, 4 + v]
    np.testing.assert_array_equal(drawn(fig.axes[2]), [[0.0 - 10, 1 - 11], [6 - 16, 7 - 17]])
    # ∂L/∂X: +1 at (0, 1) and -1 at (1, 0) from Y[0, 0]; -1 at (1, 5) and +1 at (2, 4) from Y[1, 4]
    image_gradient = np.zeros((3, 6))
    image_gradient[0, 1], image_gradient[1, 0], image_gradient[1, 5], image_gradient[2, 4] = 1, -1, -1, 1
    np.testing.assert_array_equal(drawn(fig.axes[5]), image_gradient)
    assert drawn(fig.axes[3]).shape == (4, 7) and fig.axes[3].get_title() == "∂L/∂Y padded with 1 zeros"
    assert {t.get_fontsize() for t in fig.axes[3].texts} == {8}       # 7 columns: the smaller font
    assert {t.get_fontsize() for t in fig.axes[4].texts} == {9}
    # A value above 0.6 of the colour scale's half-range is written in white: 15, 16 and 17 of 0..17
    assert [t.get_text() for t in fig.axes[0].texts if same_colour(t.get_color(), "white")] == ["11", "12", "13", "14",
                                                                                               "15", "16", "17"]


def test_plot_backprop_graph_writes_the_batch_size_given():
    texts = _texts(titled(plot_backprop_graph(_chapter6_network(), batch="32", title="Batch")))
    assert texts[:2] == ["X\n32×784", "pixels"]
    assert "∂L/∂Z = (P − Y) / 32  (32×10)" in texts and "∂L/∂H_pre = ∂L/∂H ⊙ [H_pre > 0]  (32×32)" in texts
    assert "W1 784×32, b1 32" in texts and "softmax + −log p" in texts


def test_plot_transfer_with_a_trainable_base_hatches_only_the_frozen_layers():
    base = keras.Sequential([keras.Input((28, 28)), keras.layers.Flatten(name="flat"),
                             keras.layers.Dense(3, name="first")], name="base")
    head = keras.layers.Dense(2, name="head")
    head.trainable = False                          # a frozen head layer is hatched too
    fig = titled(plot_transfer(keras.Sequential([keras.Input((28, 28)), base, head])))
    texts = [text for text in fig.axes[0].texts if text.get_text()]   # not the arrows
    assert [t.get_text() for t in texts[:3]] == ["flat\n784\n0 parameters", "first\n3\n2,355 parameters",
                                                 "head\n2\n8 parameters"]     # 784 × 3 + 3; 3 × 2 + 2
    assert [t.get_bbox_patch().get_hatch() or None for t in texts[:3]] == [None, None, "///"]
    assert "base: 2,355 parameters, trainable" in [t.get_text() for t in texts]


def test_plot_log_loss_reaches_below_the_smallest_probability_and_keeps_float32_exact():
    p = np.array([0.001, 0.25], dtype="float32")     # what a model's softmax returns
    ax = titled(plot_log_loss(p, title="Tiny")).axes[0]
    assert ax.lines[0].get_xdata()[0] == pytest.approx(0.0005)     # half the smallest p, below 0.01
    np.testing.assert_array_equal(ax.lines[1].get_ydata(), -np.log(p.astype(float)))
    assert ax.get_legend().get_texts()[1].get_text() == "2 digits"


def test_plot_log_loss_keeps_its_colours_whatever_the_style_and_a_faint_grid():
    with matplotlib.rc_context({"axes.prop_cycle": matplotlib.cycler(color=["orange"])}):
        ax = plot_log_loss([0.5, 0.25]).axes[0]
        assert same_colour(ax.lines[2].get_color(), "tab:blue")      # the mean loss: blue, dashed, not the style's
    assert ax.lines[2].get_linestyle() == "--" and ax.lines[2].get_ydata()[0] == pytest.approx(np.log(8) / 2)
    assert ax.xaxis.get_gridlines()[0].get_alpha() == 0.3


def test_layer_rows_lists_each_layer_with_its_shape_parameters_and_whether_it_trains():
    model = build_mlp()
    model.get_layer("output").trainable = False
    assert layer_rows(model) == [("flatten", "Flatten", (784,), 0, True),
                                 ("hidden", "Dense", (128,), 100_480, True),    # 784 × 128 weights + 128 biases
                                 ("output", "Dense", (10,), 1_290, False)]      # 128 × 10 + 10, frozen
    with pytest.raises(TypeError, match=r"^model must be a Keras model .* got list\."):
        layer_rows([])


def test_plot_architecture_of_a_small_model_is_still_6_inches_wide():
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(2, name="out")], name="tiny")
    fig = titled(plot_architecture(model))                              # 2 boxes × 2 inches < 6
    assert tuple(fig.get_size_inches()) == pytest.approx((6.0, 2.6))
    assert fig.get_suptitle() == "tiny: 10 parameters (shaded: layers with weights; shapes per image)"   # 4 × 2 + 2


def test_plot_convolution_step_draws_the_image_from_0_and_a_blank_image_on_a_scale_that_is_not_empty():
    image = np.full((5, 5), 0.25)
    image[2, 2] = 0.5                                                   # no pixel is 0
    fig = titled(plot_convolution_step(image, np.ones((3, 3)), (1, 1)))
    assert fig.axes[0].images[0].get_clim() == (0, 0.5)                # 0.25 is a light grey, not white
    assert fig.axes[3].get_title() == "patch × kernel: sum = 2.500"    # 8 × 0.25 + 0.5
    blank = titled(plot_convolution_step(np.zeros((4, 4)), np.ones((2, 2)), (0, 0)))
    low, high = blank.axes[0].images[0].get_clim()
    assert low == 0 and high > 0


def test_plot_pooling_backward_of_integer_pixels_passes_the_fractional_gradients_whole():
    block = [[0, 7], [3, 1]]                                            # ints, as a student types them
    fig = titled(plot_pooling_backward(block, [[0.25]]))
    np.testing.assert_array_equal(drawn(fig.axes[2]), [[0, 0.25], [0, 0]])   # not truncated to 0
    assert [t.get_text() for t in fig.axes[2].texts] == ["0", "0.25", "0", "0"]


def test_numbers_are_written_in_white_only_above_six_tenths_of_the_scale():
    block = np.array([[5.0, 3.0], [-4.0, 1.0]])                         # half-range 5: white above 3
    fig = titled(plot_pooling_backward(block, [[1.0]]))
    colours = [same_colour(t.get_color(), "white") for t in fig.axes[0].texts]
    assert colours == [True, False, True, False]                        # 3 is exactly 0.6 × 5: black


def test_plot_convolution_backward_computes_float32_arrays_in_float64():
    image = np.array([[0.1, 0.7, 0.3], [0.9, 0.2, 0.6], [0.4, 0.8, 0.5]], dtype="float32")   # as Keras returns them
    kernel = np.array([[0.3, -0.7], [0.1, 0.9]], dtype="float32")
    upstream = np.array([[0.7, -0.1], [0.3, 0.2]], dtype="float32")
    fig = plot_convolution_backward(image, kernel, upstream)
    x, k, u = (a.astype(float) for a in (image, kernel, upstream))
    kernel_gradient = np.array([[np.sum(x[r:r + 2, c:c + 2] * u) for c in range(2)] for r in range(2)])
    np.testing.assert_array_equal(drawn(fig.axes[2]), kernel_gradient)
    padded = np.pad(u, 1)
    image_gradient = np.array([[np.sum(padded[r:r + 2, c:c + 2] * k[::-1, ::-1]) for c in range(3)] for r in range(3)])
    np.testing.assert_array_equal(drawn(fig.axes[5]), image_gradient)
