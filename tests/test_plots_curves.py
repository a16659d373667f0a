"""plots.curves draws the values it is given: per epoch, per step, per shift."""

import io

import keras
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


def _panels_in_a_row(fig):
    """Whether the figure's panels sit side by side, in one row (rows, columns of each panel's grid)."""
    return {ax.get_subplotspec().get_geometry()[:2] for ax in fig.axes} == {(1, len(fig.axes))}


def _faint_grid(axis):
    """Whether the axis draws grid lines, faint enough (alpha below 1/2) to stay behind the curves."""
    lines = axis.get_gridlines()
    return bool(lines) and all(line.get_visible() and line.get_alpha() is not None and line.get_alpha() < 0.5
                               for line in lines)


def test_plot_training_curves_takes_what_fit_returned():
    # model.fit returns a History whose .history is the dict: the same curves, loss and accuracy side by side.
    history = keras.callbacks.History()
    history.history = {"loss": [1.0, 0.5, 0.25], "accuracy": [0.7, 0.9, 0.95]}
    fig = titled(plot_training_curves(history, title="Three epochs"))
    assert fig.get_suptitle() == "Three epochs" and _panels_in_a_row(fig)
    loss_ax, accuracy_ax = fig.axes
    assert [len(ax.lines) for ax in fig.axes] == [1, 1]                 # no validation: no second line
    assert loss_ax.lines[0].get_ydata().tolist() == [1.0, 0.5, 0.25]
    assert accuracy_ax.lines[0].get_ydata().tolist() == [0.7, 0.9, 0.95]
    assert all(_faint_grid(ax.xaxis) and _faint_grid(ax.yaxis) for ax in fig.axes)


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


# --- the exact message a user sees for each bad argument -------------------------------------

def _one_curve(**changes):
    """plot_curves of the curve {"a": [1, 2]} with axis labels and a title, and ``changes``."""
    arguments = {"curves": {"a": [1, 2]}, "xlabel": "x", "ylabel": "y", "title": "t"} | changes
    return plot_curves(arguments.pop("curves"), **arguments)


_GOOD_LOGS = {"loss": [1.0], "accuracy": [0.5]}
_SHIFT_ACCURACY = {"horizontal": {"MLP": [0.9, 0.8]}}

# (what is wrong, the call, the exception, its whole message): each names the argument and what it must be.
BAD_ARGUMENTS = [
    ("training curves: title", lambda: plot_training_curves(_GOOD_LOGS, title=None),
     TypeError, "title must be a string; got None (NoneType)."),
    ("training curves: a list", lambda: plot_training_curves([0.1, 0.2]),
     TypeError, "history must be what model.fit returned (a History) or its .history dict; got list."),
    ("training curves: no accuracy", lambda: plot_training_curves({"loss": [1.0], "val_loss": [1.1]}),
     ValueError, "history has no ['accuracy']; it has ['loss', 'val_loss']. Compile the model with "
                 "metrics=['accuracy'] so that fit records accuracy."),
    # learning_rate, which a schedule may record at another pace, is left out of the lengths compared
    ("training curves: lengths", lambda: plot_training_curves({"loss": [1.0, 0.5], "accuracy": [0.5],
                                                               "learning_rate": [0.1, 0.1, 0.1]}),
     ValueError, "history must hold one value per epoch for every metric; got lengths {'loss': 2, 'accuracy': 1}."),
    ("training curves: no epoch", lambda: plot_training_curves({"loss": [], "accuracy": []}),
     ValueError, "history must hold one value per epoch for every metric; got lengths {'loss': 0, 'accuracy': 0}."),
    ("curves: xlabel", lambda: _one_curve(xlabel=None),
     TypeError, "a title or axis label must be a string; got None (NoneType)."),
    ("curves: ylabel", lambda: _one_curve(ylabel=3),
     TypeError, "a title or axis label must be a string; got 3 (int)."),
    ("curves: title", lambda: _one_curve(title=b"t"),
     TypeError, "a title or axis label must be a string; got b't' (bytes)."),
    ("curves: empty dict", lambda: _one_curve(curves={}),
     TypeError, "curves must be a non-empty dict {label: values}."),
    ("curves: a list", lambda: _one_curve(curves=[1, 2]),
     TypeError, "curves must be a non-empty dict {label: values}."),
    ("curves: 2-D", lambda: _one_curve(curves={"a": [[1, 2]]}),
     ValueError, "curves['a'] must be a non-empty 1-D sequence of numbers; got shape (1, 2)."),
    ("curves: empty curve", lambda: _one_curve(curves={"a": []}),
     ValueError, "curves['a'] must be a non-empty 1-D sequence of numbers; got shape (0,)."),
    ("curves: text", lambda: _one_curve(curves={"a": ["x", "y"]}),
     ValueError, "curves['a'] must be a non-empty 1-D sequence of numbers; got shape (2,)."),
    ("curves: smooth 1.0", lambda: _one_curve(smooth=1.0),
     TypeError, "smooth must be an int; got 1.0 (float). Pass a whole number."),
    ("curves: smooth 0", lambda: _one_curve(smooth=0),
     ValueError, "smooth must be an int from 1 to 2; got 0."),
    # the shortest curve bounds the moving average
    ("curves: smooth 3", lambda: _one_curve(curves={"a": [1, 2, 3], "b": [1, 2]}, x={"a": [1, 2, 3], "b": [1, 2]},
                                            smooth=3),
     ValueError, "smooth must be an int from 1 to 2; got 3."),
    ("curves: log_x at 0", lambda: _one_curve(x=[0, 1], log_x=True),
     ValueError, "log_x needs positive x values."),
    ("curves: ylim equal", lambda: _one_curve(ylim=(1, 1)),
     ValueError, "ylim must be (low, high) with low < high; got (1, 1)."),
    ("curves: ylim of 3", lambda: _one_curve(ylim=(0, 1, 2)),
     ValueError, "ylim must be (low, high) with low < high; got (0, 1, 2)."),
    ("curves: x dict labels", lambda: _one_curve(x={"b": [1, 2]}),
     ValueError, "x as a dict must give x values for exactly the curves ['a']; got ['b']."),
    ("curves: lengths", lambda: _one_curve(curves={"a": [1, 2], "b": [1]}),
     ValueError, "all curves must have the same length; got lengths [1, 2]. "
                 "Curves with x values of their own take x as a dict {label: x values}."),
    ("curves: x length", lambda: _one_curve(x=[1, 2, 3]),
     ValueError, "x must hold one value per point of curves['a'] (2); got shape (3,)."),
    ("curves: x dict length", lambda: _one_curve(x={"a": [1]}),
     ValueError, "x must hold one value per point of curves['a'] (2); got shape (1,)."),
    ("curves: bands list", lambda: _one_curve(bands=[[1, 2]]),
     TypeError, "bands must be a dict {label: runs} or None; got list."),
    ("curves: bands label", lambda: _one_curve(bands={"b": [[1, 2]]}),
     ValueError, "bands['b'] has no curve of that label; the curves are ['a']."),
    ("curves: bands 1-D", lambda: _one_curve(bands={"a": [1, 2]}),
     ValueError, "bands['a'] must be 2-D, one row per run and one column per point of its curve (2); got shape (2,)."),
    ("curves: bands columns", lambda: _one_curve(bands={"a": [[1, 2, 3]]}),
     ValueError, "bands['a'] must be 2-D, one row per run and one column per point of its curve (2); "
                 "got shape (1, 3)."),
    ("curves: bands no run", lambda: _one_curve(bands={"a": np.zeros((0, 2))}),
     ValueError, "bands['a'] must be 2-D, one row per run and one column per point of its curve (2); "
                 "got shape (0, 2)."),
    ("shift: title", lambda: plot_accuracy_vs_shift([0, 1], _SHIFT_ACCURACY, title=None),
     TypeError, "title must be a string; got None (NoneType)."),
    ("shift: float shifts", lambda: plot_accuracy_vs_shift([0.5, 1], _SHIFT_ACCURACY),
     TypeError, "shifts must be a sequence of ints; got array([0.5, 1. ])."),
    ("shift: 2-D shifts", lambda: plot_accuracy_vs_shift([[0, 1]], _SHIFT_ACCURACY),
     TypeError, "shifts must be a sequence of ints; got array([[0, 1]])."),
    ("shift: a list", lambda: plot_accuracy_vs_shift([0, 1], [0.9, 0.8]),
     TypeError, "accuracies must be {direction: {model name: accuracies}}, both dicts non-empty."),
    ("shift: no direction", lambda: plot_accuracy_vs_shift([0, 1], {}),
     TypeError, "accuracies must be {direction: {model name: accuracies}}, both dicts non-empty."),
    ("shift: no model", lambda: plot_accuracy_vs_shift([0, 1], {"horizontal": {}}),
     TypeError, "accuracies must be {direction: {model name: accuracies}}, both dicts non-empty."),
    ("shift: one accuracy", lambda: plot_accuracy_vs_shift([0, 1], {"horizontal": {"MLP": [0.9]}}),
     ValueError, "accuracies['horizontal']['MLP'] must hold one accuracy in [0, 1] per shift (2); got shape (1,)."),
    ("shift: above 1", lambda: plot_accuracy_vs_shift([0, 1], {"vertical": {"CNN": [1.0, 1.5]}}),
     ValueError, "accuracies['vertical']['CNN'] must hold one accuracy in [0, 1] per shift (2); got shape (2,)."),
    ("shift: below 0", lambda: plot_accuracy_vs_shift([0, 1], {"vertical": {"CNN": [-0.1, 0.5]}}),
     ValueError, "accuracies['vertical']['CNN'] must hold one accuracy in [0, 1] per shift (2); got shape (2,)."),
    ("learning rate: title", lambda: plot_learning_rate([0.1, 0.2], steps_per_epoch=1, title=1),
     TypeError, "title must be a string; got 1 (int)."),
    ("learning rate: text", lambda: plot_learning_rate(["a", "b"], steps_per_epoch=1),
     TypeError, "rates must be real numbers, one learning rate per step; got dtype <U1."),
    ("learning rate: complex", lambda: plot_learning_rate([1j, 2j], steps_per_epoch=1),
     TypeError, "rates must be real numbers, one learning rate per step; got dtype complex128."),
    ("learning rate: 2-D", lambda: plot_learning_rate([[0.1, 0.2]], steps_per_epoch=1),
     ValueError, "rates must be a 1-D sequence of at least 2 learning rates, one per step; got shape (1, 2)."),
    ("learning rate: one step", lambda: plot_learning_rate([0.1], steps_per_epoch=1),
     ValueError, "rates must be a 1-D sequence of at least 2 learning rates, one per step; got shape (1,)."),
    ("learning rate: NaN", lambda: plot_learning_rate([0.1, np.nan], steps_per_epoch=1),
     ValueError, "rates must be finite and not negative: a learning rate is a step size."),
    ("learning rate: negative", lambda: plot_learning_rate([0.1, -0.1], steps_per_epoch=1),
     ValueError, "rates must be finite and not negative: a learning rate is a step size."),
    ("learning rate: 3 steps per epoch of 2", lambda: plot_learning_rate([0.1, 0.2], steps_per_epoch=3),
     ValueError, "steps_per_epoch must be an int from 1 to 2; got 3. It is how many training steps make one epoch."),
    ("learning rate: 0 steps per epoch", lambda: plot_learning_rate([0.1, 0.2], steps_per_epoch=0),
     ValueError, "steps_per_epoch must be an int from 1 to 2; got 0. It is how many training steps make one epoch."),
    ("learning rate: 1.5 steps per epoch", lambda: plot_learning_rate([0.1, 0.2], steps_per_epoch=1.5),
     TypeError, "steps_per_epoch must be an int; got 1.5 (float). It is how many training steps make one epoch."),
]


@pytest.mark.parametrize("call, error, message", [case[1:] for case in BAD_ARGUMENTS],
                         ids=[case[0] for case in BAD_ARGUMENTS])
def test_each_bad_argument_gets_its_whole_message(call, error, message):
    with pytest.raises(error) as raised:
        call()
    assert str(raised.value) == message


# --- options and edge cases the figures above leave out --------------------------------------

def test_plot_accuracy_vs_shift_takes_accuracies_0_and_1_and_shares_the_accuracy_axis():
    # 0 (every shifted digit wrong) and 1 (every one right) are accuracies too; the panels sit side by side
    # on one accuracy scale, so that a drop in one direction is seen against the other.
    acc = {"horizontal": {"CNN": [0.0, 1.0, 0.5]}, "vertical": {"CNN": [0.9, 1.0, 0.9]}}
    fig = titled(plot_accuracy_vs_shift([-1, 0, 1], acc, title="Shifts"))
    horizontal, vertical = fig.axes
    assert fig.get_suptitle() == "Shifts" and _panels_in_a_row(fig)
    assert horizontal.lines[0].get_ydata().tolist() == [0.0, 1.0, 0.5]
    assert horizontal.get_shared_y_axes().joined(horizontal, vertical)
    assert vertical.get_ylim() == horizontal.get_ylim()                 # 0..1 in both, not 0.9..1 on the right
    assert all(_faint_grid(ax.yaxis) for ax in fig.axes)
    # One direction: one panel.
    fig = plot_accuracy_vs_shift([0, 1], {"vertical": {"MLP": [1.0, 0.0]}})
    assert len(fig.axes) == 1 and fig.axes[0].get_title() == "vertical"


def test_plot_learning_rate_of_a_keras_schedule_and_of_a_frozen_model():
    # A Keras schedule gives float32 rates; a model whose rate is 0 everywhere (frozen) still gets a y range, 0..1.
    schedule = keras.optimizers.schedules.ExponentialDecay(0.1, decay_steps=1, decay_rate=0.5)
    rates = keras.ops.convert_to_numpy(keras.ops.vectorized_map(schedule, np.arange(4)))
    assert rates.dtype == np.float32
    fig = titled(plot_learning_rate(rates, steps_per_epoch=1, title="Halved every step"))
    ax = fig.axes[0]
    np.testing.assert_allclose(ax.lines[0].get_ydata(), [0.1, 0.05, 0.025, 0.0125])
    assert [line.get_xdata()[0] for line in ax.lines[1:]] == [1.5, 2.5, 3.5]   # one epoch per step
    assert ax.get_ylim() == pytest.approx((0, 0.105))                          # 5 % above the highest rate
    assert _faint_grid(ax.yaxis) and not any(line.get_visible() for line in ax.xaxis.get_gridlines())
    fig = plot_learning_rate(np.zeros(4), steps_per_epoch=2)
    ax = fig.axes[0]
    assert ax.get_ylim() == (0, 1)
    # The epoch axis at the top: epoch 1 ends above step 2, epoch 2 above step 4.
    (top,) = ax.child_axes
    fig.draw_without_rendering()
    np.testing.assert_allclose(top.transData.transform([(1, 0), (2, 0)])[:, 0],
                               ax.transData.transform([(2, 0), (4, 0)])[:, 0])


def test_plot_curves_grid_and_smoothing_label():
    fig = plot_curves({"a": [1.0, 0.5, 0.25]}, xlabel="step", ylabel="loss", title="t")
    ax = fig.axes[0]
    assert ax.get_ylabel() == "loss"                                    # raw values: no "moving average"
    assert _faint_grid(ax.xaxis) and _faint_grid(ax.yaxis)
