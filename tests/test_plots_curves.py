"""plots.curves draws the values it is given: per epoch, per step, per shift."""

import io

import numpy as np
import pytest
from matplotlib.colors import to_rgba
from plot_helpers import labelled, titled

from mnist_lessons.plots import plot_accuracy_vs_shift, plot_curves, plot_learning_rate, plot_training_curves


def test_plot_training_curves_draws_each_metric_for_training_and_validation():
    logs = {"loss": [1.0, 0.5], "accuracy": [0.7, 0.9], "val_loss": [0.9, 0.6], "val_accuracy": [0.75, 0.85]}
    fig = titled(plot_training_curves(logs))
    assert all(labelled(ax) and len(ax.lines) == 2 for ax in fig.axes)
    loss_ax, accuracy_ax = fig.axes
    assert loss_ax.lines[0].get_ydata().tolist() == [1.0, 0.5] and loss_ax.lines[1].get_ydata().tolist() == [0.9, 0.6]
    assert accuracy_ax.lines[1].get_ydata().tolist() == [0.75, 0.85]
    assert loss_ax.lines[0].get_xdata().tolist() == [1, 2]


def test_training_curves_bad_input():
    with pytest.raises(TypeError, match="History"):
        plot_training_curves([0.1, 0.2])
    with pytest.raises(ValueError, match="metrics=\\['accuracy'\\]"):
        plot_training_curves({"loss": [1.0]})
    with pytest.raises(ValueError, match="one value per epoch"):
        plot_training_curves({"loss": [1.0, 0.5], "accuracy": [0.5]})


def test_plot_curves_draws_the_values_and_their_moving_average():
    curves = {"sgd": np.linspace(2, 0.1, 50), "adam": np.linspace(2, 0.05, 50) ** 2}
    fig = plot_curves(curves, xlabel="step", ylabel="loss", title="t", smooth=5, log_y=True)
    ax = fig.axes[0]
    assert len(ax.lines) == 4 and ax.get_yscale() == "log"
    raw, averaged = ax.lines[2], ax.lines[3]
    np.testing.assert_allclose(raw.get_ydata(), curves["adam"])
    np.testing.assert_allclose(averaged.get_ydata(), np.convolve(curves["adam"], np.ones(5) / 5, mode="valid"))
    assert averaged.get_xdata().tolist() == list(range(5, 51))
    assert "moving average of 5" in ax.get_ylabel()
    fig = plot_curves({"loss": [1.0, np.inf, 0.5]}, x=[-1, 0, 1], xlabel="α", ylabel="loss", title="t")
    assert fig.axes[0].lines[0].get_xdata().tolist() == [-1, 0, 1]


def test_plot_curves_log_x_and_markers():
    fig = plot_curves({"a": [0.9, 0.95, 0.98]}, x=[10, 100, 1000], xlabel="n", ylabel="acc", title="t",
                      log_x=True, markers=True)
    ax = fig.axes[0]
    assert ax.get_xscale() == "log" and ax.lines[0].get_marker() == "o"
    with pytest.raises(ValueError, match="positive x"):
        plot_curves({"a": [1, 2]}, x=[0, 1], xlabel="n", ylabel="y", title="t", log_x=True)


def test_plot_curves_bad_input():
    with pytest.raises(TypeError, match="non-empty dict"):
        plot_curves([1, 2], xlabel="x", ylabel="y", title="t")
    with pytest.raises(ValueError, match="same length"):
        plot_curves({"a": [1, 2], "b": [1]}, xlabel="x", ylabel="y", title="t")
    with pytest.raises(ValueError, match="one value per point"):
        plot_curves({"a": [1, 2]}, x=[0], xlabel="x", ylabel="y", title="t")
    with pytest.raises(ValueError, match="smooth must be an int from 1 to 2"):
        plot_curves({"a": [1, 2]}, xlabel="x", ylabel="y", title="t", smooth=5)
    with pytest.raises(ValueError, match="numbers"):
        plot_curves({"a": ["x", "y"]}, xlabel="x", ylabel="y", title="t")


def test_plot_accuracy_vs_shift_draws_one_line_per_model_and_direction():
    shifts = [-2, -1, 0, 1, 2]
    acc = {"horizontal": {"MLP": [0.5, 0.8, 0.98, 0.8, 0.5], "CNN": [0.7, 0.9, 0.99, 0.9, 0.7]},
           "vertical": {"MLP": [0.5] * 5, "CNN": [0.6] * 5}}
    fig = titled(plot_accuracy_vs_shift(shifts, acc))
    assert len(fig.axes) == 2 and all(labelled(ax) and len(ax.lines) == 2 for ax in fig.axes)
    horizontal = fig.axes[0]
    assert horizontal.lines[1].get_xdata().tolist() == shifts
    assert horizontal.lines[1].get_ydata().tolist() == acc["horizontal"]["CNN"]
    assert [text.get_text() for text in horizontal.get_legend().get_texts()] == ["MLP", "CNN"]


def test_plot_accuracy_vs_shift_bad_input():
    with pytest.raises(ValueError, match="one accuracy in"):
        plot_accuracy_vs_shift([0, 1], {"horizontal": {"MLP": [0.9]}})
    with pytest.raises(ValueError, match=r"in \[0, 1\]"):
        plot_accuracy_vs_shift([0, 1], {"horizontal": {"MLP": [90, 80]}})
    with pytest.raises(TypeError, match="sequence of ints"):
        plot_accuracy_vs_shift([0.5, 1], {"horizontal": {"MLP": [0.9, 0.8]}})
    with pytest.raises(TypeError, match="direction"):
        plot_accuracy_vs_shift([0, 1], {"MLP": [0.9, 0.8]})


def test_plot_curves_ylim():
    fig = plot_curves({"a": [0.9, 0.95]}, xlabel="n", ylabel="accuracy", title="t", ylim=(0, 1))
    assert fig.axes[0].get_ylim() == (0, 1)
    with pytest.raises(ValueError, match="low < high"):
        plot_curves({"a": [0.9, 0.95]}, xlabel="n", ylabel="accuracy", title="t", ylim=(1, 0))


def test_plot_learning_rate_draws_every_step_and_marks_the_epochs():
    rates = np.concatenate([np.linspace(0, 0.01, 4, endpoint=False), 0.01 * np.cos(np.linspace(0, 1.5, 8))])
    fig = titled(plot_learning_rate(rates, steps_per_epoch=4, title="t"))
    ax = fig.axes[0]
    assert labelled(ax)
    curve, *boundaries = ax.lines
    assert curve.get_xdata().tolist() == list(range(1, 13))            # step k counted from 1
    np.testing.assert_array_equal(curve.get_ydata(), rates)
    assert [line.get_xdata()[0] for line in boundaries] == [4.5, 8.5]  # after epochs 1 and 2, not after 3
    assert ax.get_ylim()[0] == 0
    (top,) = ax.child_axes                                             # the epoch axis
    assert "epochs" in top.get_xlabel() and "4 steps each" in top.get_xlabel()
    fig.savefig(io.BytesIO())                                          # the top axis follows at drawing
    assert top.get_xlim() == pytest.approx((0, 13 / 4))               # 12 steps: 3 epochs
    assert [tick for tick in top.get_xticks() if tick <= 13 / 4] == [0, 1, 2, 3]  # whole epochs


def test_plot_learning_rate_bad_input():
    with pytest.raises(TypeError, match="real numbers"):
        plot_learning_rate(["a", "b"], steps_per_epoch=1)
    with pytest.raises(ValueError, match="1-D sequence of at least 2"):
        plot_learning_rate([[0.1, 0.2]], steps_per_epoch=1)
    with pytest.raises(ValueError, match="1-D sequence of at least 2"):
        plot_learning_rate([0.1], steps_per_epoch=1)
    with pytest.raises(ValueError, match="not negative"):
        plot_learning_rate([0.1, -0.1], steps_per_epoch=1)
    with pytest.raises(ValueError, match="finite"):
        plot_learning_rate([0.1, np.nan], steps_per_epoch=1)
    with pytest.raises(ValueError, match="steps_per_epoch must be an int from 1 to 2"):
        plot_learning_rate([0.1, 0.2], steps_per_epoch=3)
    with pytest.raises(TypeError, match="steps_per_epoch must be an int"):
        plot_learning_rate([0.1, 0.2], steps_per_epoch=1.5)


def _band_edges(band):
    """The lowest and highest y a shaded band spans at each of its x values."""
    vertices = band.get_paths()[0].vertices
    xs = sorted(set(vertices[:, 0]))
    return (xs, [vertices[vertices[:, 0] == x, 1].min() for x in xs],
            [vertices[vertices[:, 0] == x, 1].max() for x in xs])


def test_plot_curves_shades_the_range_of_the_runs_behind_a_curve():
    runs = np.array([[1.0, 0.6, 0.4, 0.3], [1.2, 0.5, 0.5, 0.2], [0.8, 0.7, 0.3, 0.25]])
    fig = plot_curves({"live": runs[0], "other": [1, 1, 1, 1]}, xlabel="step", ylabel="loss", title="t",
                      bands={"live": runs})
    ax = fig.axes[0]
    (band,) = ax.collections
    xs, low, high = _band_edges(band)
    assert xs == [1, 2, 3, 4] and low == runs.min(axis=0).tolist() and high == runs.max(axis=0).tolist()
    np.testing.assert_allclose(band.get_facecolor()[0][:3], to_rgba(ax.lines[0].get_color())[:3])
    # Smoothed: the band spans the runs' moving averages, at the moving average's x values.
    fig = plot_curves({"live": runs[0]}, xlabel="step", ylabel="loss", title="t", smooth=2, bands={"live": runs})
    xs, low, high = _band_edges(fig.axes[0].collections[0])
    averaged = (runs[:, 1:] + runs[:, :-1]) / 2
    assert xs == [2, 3, 4]
    np.testing.assert_allclose(low, averaged.min(axis=0))
    np.testing.assert_allclose(high, averaged.max(axis=0))


def test_plot_curves_with_x_values_of_their_own():
    fig = plot_curves({"sgd": [0.8, 0.9, 0.85], "adam": [0.9, 0.95]}, x={"sgd": [0.01, 0.1, 1], "adam": [1e-4, 1e-3]},
                      xlabel="learning rate", ylabel="accuracy", title="t", log_x=True, markers=True)
    ax = fig.axes[0]
    assert ax.lines[0].get_xdata().tolist() == [0.01, 0.1, 1] and ax.lines[1].get_xdata().tolist() == [1e-4, 1e-3]
    with pytest.raises(ValueError, match="exactly the curves"):
        plot_curves({"a": [1, 2]}, x={"b": [1, 2]}, xlabel="x", ylabel="y", title="t")
    with pytest.raises(ValueError, match="one value per point of curves\\['a'\\]"):
        plot_curves({"a": [1, 2]}, x={"a": [1, 2, 3]}, xlabel="x", ylabel="y", title="t")


def test_plot_curves_bad_bands():
    with pytest.raises(TypeError, match="bands must be a dict"):
        plot_curves({"a": [1, 2]}, xlabel="x", ylabel="y", title="t", bands=[[1, 2]])
    with pytest.raises(ValueError, match="no curve of that label"):
        plot_curves({"a": [1, 2]}, xlabel="x", ylabel="y", title="t", bands={"b": [[1, 2]]})
    with pytest.raises(ValueError, match="one row per run and one column per point"):
        plot_curves({"a": [1, 2]}, xlabel="x", ylabel="y", title="t", bands={"a": [1, 2]})
