"""plots.diagrams draws what the model and the numbers given say: boxes, shapes, counts, products, maxima."""

import keras
import numpy as np
import pytest
from plot_helpers import drawn, titled

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
