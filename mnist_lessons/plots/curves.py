"""Figures of curves: training curves per epoch, loss against step or parameter, accuracy against shift,
the learning rate of every step."""

import numpy as np
from matplotlib.ticker import MaxNLocator

from mnist_lessons.checks import check_int, check_text
from mnist_lessons.plots._base import new_figure


def plot_training_curves(history, *, title="Training curves"):
    """Draw loss and accuracy per epoch, for training and (if present) validation.

    Parameters
    ----------
    history : keras.callbacks.History or dict
        What ``model.fit`` returned, or its ``.history`` dict, with "loss"
        and "accuracy" and optionally "val_loss" and "val_accuracy".

    Returns
    -------
    matplotlib.figure.Figure
    """
    check_text(title, "title")
    logs = getattr(history, "history", history)
    if not isinstance(logs, dict):
        raise TypeError(
            f"history must be what model.fit returned (a History) or its .history dict; "
            f"got {type(history).__name__}."
        )
    missing = [key for key in ("loss", "accuracy") if key not in logs]
    if missing:
        raise ValueError(
            f"history has no {missing}; it has {sorted(logs)}. Compile the model with "
            "metrics=['accuracy'] so that fit records accuracy."
        )
    lengths = {key: len(values) for key, values in logs.items() if key != "learning_rate"}
    if len(set(lengths.values())) != 1 or not lengths["loss"]:
        raise ValueError(f"history must hold one value per epoch for every metric; got lengths {lengths}.")
    epochs = np.arange(1, len(logs["loss"]) + 1)
    fig = new_figure((10, 3.6))
    for ax, metric in zip(fig.subplots(1, 2), ("loss", "accuracy")):
        ax.plot(epochs, logs[metric], "o-", label="training")
        if f"val_{metric}" in logs:
            ax.plot(epochs, logs[f"val_{metric}"], "s--", label="validation")
        ax.set_xlabel("epoch")
        ax.set_ylabel(metric)
        ax.set_xticks(epochs)
        ax.set_title(metric)
        ax.grid(alpha=0.3)
        ax.legend()
    fig.suptitle(title)
    return fig


def plot_curves(curves, *, x=None, xlabel, ylabel, title, smooth=1, log_x=False, log_y=False, markers=False,
                ylim=None, bands=None):
    """Draw several curves (loss against step, against a parameter, ...) in one panel.

    Parameters
    ----------
    curves : dict
        ``{label: values}``, each a 1-D sequence of numbers of the same length
        (or of its own length when ``x`` is a dict). Non-finite values (a loss
        that overflowed) leave gaps.
    x : array-like, dict or None
        The common x values, or ``{label: values}`` with each curve's own (e.g.
        each optimiser's grid of learning rates); default 1, 2, ... (steps).
    xlabel, ylabel, title : str
        Axis labels and figure title.
    smooth : int, default=1
        Draw the moving average over this many points (1: the raw values);
        the raw values are drawn faintly behind it.
    log_x, log_y : bool, default=False
        Use a logarithmic x or y axis.
    markers : bool, default=False
        Mark every point (for curves of a few measured points).
    ylim : (float, float) or None
        The y range, e.g. (0, 1) for accuracies, so that small gaps are not
        magnified by an axis that starts just below the data; default: matplotlib's.
    bands : dict or None
        ``{label: runs}``, each a 2-D array with one row per run and one column
        per point of the curve with the same label: the range from the lowest to
        the highest run is shaded behind that curve, in its colour (e.g. the
        spread recorded over seeds, behind one live run or behind their mean).
        With ``smooth``, each run is averaged in the same way first.

    Returns
    -------
    matplotlib.figure.Figure
    """
    for text in (xlabel, ylabel, title):
        check_text(text, "a title or axis label")
    if not isinstance(curves, dict) or not curves:
        raise TypeError("curves must be a non-empty dict {label: values}.")
    arrays = {}
    for label, values in curves.items():
        values = np.asarray(values)
        if values.ndim != 1 or not np.issubdtype(values.dtype, np.number) or len(values) == 0:
            raise ValueError(
                f"curves[{label!r}] must be a non-empty 1-D sequence of numbers; got shape {values.shape}.")
        arrays[str(label)] = values.astype(float)
    xs = _x_values(x, arrays)
    smooth = check_int(smooth, "smooth", low=1, high=min(len(values) for values in arrays.values()))
    if log_x and min(values.min() for values in xs.values()) <= 0:
        raise ValueError("log_x needs positive x values.")
    spreads = _band_runs(bands, arrays)
    fig = new_figure((8, 4))
    ax = fig.subplots()
    for label, values in arrays.items():
        x = xs[label]
        if smooth == 1:
            line, = ax.plot(x, values, "o-" if markers else "-", label=label)
        else:
            line, = ax.plot(x, values, alpha=0.25, linewidth=0.8)
            averaged = np.convolve(values, np.ones(smooth) / smooth, mode="valid")
            ax.plot(x[smooth - 1:], averaged, color=line.get_color(), label=label)
        if label in spreads:
            runs = np.array([np.convolve(run, np.ones(smooth) / smooth, mode="valid") for run in spreads[label]])
            ax.fill_between(x[smooth - 1:], runs.min(axis=0), runs.max(axis=0), color=line.get_color(),
                            alpha=0.2, linewidth=0)
    if ylim is not None:
        if len(ylim) != 2 or not ylim[0] < ylim[1]:
            raise ValueError(f"ylim must be (low, high) with low < high; got {ylim!r}.")
        ax.set_ylim(*ylim)
    if log_y:
        ax.set_yscale("log")
    if log_x:
        ax.set_xscale("log")
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel + (f" (moving average of {smooth})" if smooth > 1 else ""))
    ax.grid(alpha=0.3)
    ax.legend()
    fig.suptitle(title)
    return fig


def _x_values(x, arrays):
    """Each curve's x values: ``x`` shared by all, ``x[label]`` per curve, or 1, 2, ..."""
    if isinstance(x, dict):
        if set(map(str, x)) != set(arrays):
            raise ValueError(f"x as a dict must give x values for exactly the curves {sorted(arrays)}; "
                             f"got {sorted(map(str, x))}.")
        xs = {str(label): np.asarray(values, dtype=float) for label, values in x.items()}
    else:
        lengths = {len(values) for values in arrays.values()}
        if len(lengths) != 1:
            raise ValueError(f"all curves must have the same length; got lengths {sorted(lengths)}. "
                             "Curves with x values of their own take x as a dict {label: x values}.")
        length = lengths.pop()
        shared = np.arange(1, length + 1) if x is None else np.asarray(x, dtype=float)
        xs = dict.fromkeys(arrays, shared)
    for label, values in arrays.items():
        if xs[label].shape != values.shape:
            raise ValueError(f"x must hold one value per point of curves[{label!r}] ({len(values)}); "
                             f"got shape {xs[label].shape}.")
    return xs


def _band_runs(bands, arrays):
    """The runs behind each banded curve, checked: 2-D, one column per point of its curve."""
    if bands is None:
        return {}
    if not isinstance(bands, dict):
        raise TypeError(f"bands must be a dict {{label: runs}} or None; got {type(bands).__name__}.")
    runs = {}
    for label, values in bands.items():
        if str(label) not in arrays:
            raise ValueError(f"bands[{label!r}] has no curve of that label; the curves are {sorted(arrays)}.")
        values = np.asarray(values, dtype=float)
        if values.ndim != 2 or values.shape[1] != len(arrays[str(label)]) or not len(values):
            raise ValueError(f"bands[{label!r}] must be 2-D, one row per run and one column per point of its "
                             f"curve ({len(arrays[str(label)])}); got shape {values.shape}.")
        runs[str(label)] = values
    return runs


def plot_accuracy_vs_shift(shifts, accuracies, *, title="Test accuracy of shifted digits"):
    """Draw test accuracy against shift, one panel per direction, one line per model.

    Parameters
    ----------
    shifts : sequence of int
        The shifts in pixels (negative: up or left).
    accuracies : dict
        ``{direction: {model_name: accuracies}}``, e.g.
        ``{"horizontal": {"MLP": [...], "CNN": [...]}, "vertical": {...}}``,
        with one accuracy in [0, 1] per shift.
    title : str
        Figure title.

    Returns
    -------
    matplotlib.figure.Figure
    """
    check_text(title, "title")
    shifts = np.asarray(shifts)
    if shifts.ndim != 1 or not np.issubdtype(shifts.dtype, np.integer):
        raise TypeError(f"shifts must be a sequence of ints; got {shifts!r}.")
    if not isinstance(accuracies, dict) or not accuracies or \
            not all(isinstance(models, dict) and models for models in accuracies.values()):
        raise TypeError("accuracies must be {direction: {model name: accuracies}}, both dicts non-empty.")
    for direction, models in accuracies.items():
        for name, values in models.items():
            values = np.asarray(values, dtype=float)
            if values.shape != shifts.shape or values.min() < 0 or values.max() > 1:
                raise ValueError(
                    f"accuracies[{direction!r}][{name!r}] must hold one accuracy in [0, 1] per "
                    f"shift ({len(shifts)}); got shape {values.shape}."
                )
    fig = new_figure((5 * len(accuracies), 3.8))
    axes = np.atleast_1d(fig.subplots(1, len(accuracies), sharey=True))
    for ax, (direction, models) in zip(axes, accuracies.items()):
        for name, values in models.items():
            ax.plot(shifts, values, "o-", label=name)
        ax.set_xticks(shifts)
        ax.set_xlabel(f"{direction} shift in pixels")
        ax.set_ylabel("test accuracy")
        ax.set_title(direction)
        ax.grid(alpha=0.3)
        ax.legend()
    fig.suptitle(title)
    return fig


def plot_learning_rate(rates, *, steps_per_epoch, title="The learning rate at every training step"):
    """Draw the learning rate a run uses at each of its training steps, with epochs marked.

    Parameters
    ----------
    rates : array-like of shape (steps,)
        The learning rate of every step in order, at least 2 finite numbers, none negative:
        for a Keras schedule, ``keras.ops.vectorized_map(schedule, np.arange(steps))`` (the
        optimizer's step ``k``, counted from 1, uses ``schedule(k - 1)``).
    steps_per_epoch : int
        Steps in one epoch (from 1 to ``steps``); a dotted line marks the end of every epoch
        but the last, and a second x axis at the top counts epochs.
    title : str
        Figure title.

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    TypeError
        If ``rates`` are not numbers or ``steps_per_epoch`` is not an int.
    ValueError
        If ``rates`` is not 1-D, shorter than 2, not finite or negative somewhere, or
        ``steps_per_epoch`` is out of range.

    Examples
    --------
    >>> fig = plot_learning_rate([0.0, 0.5, 1.0, 0.5], steps_per_epoch=2)
    >>> fig.axes[0].lines[0].get_xdata().tolist()
    [1, 2, 3, 4]
    """
    check_text(title, "title")
    values = np.asarray(rates)
    if not np.issubdtype(values.dtype, np.number) or np.issubdtype(values.dtype, np.complexfloating):
        raise TypeError(f"rates must be real numbers, one learning rate per step; got dtype {values.dtype}.")
    if values.ndim != 1 or len(values) < 2:
        raise ValueError(f"rates must be a 1-D sequence of at least 2 learning rates, one per step; "
                         f"got shape {values.shape}.")
    values = values.astype(float)
    if not np.all(np.isfinite(values)) or values.min() < 0:
        raise ValueError("rates must be finite and not negative: a learning rate is a step size.")
    steps = len(values)
    steps_per_epoch = check_int(steps_per_epoch, "steps_per_epoch", low=1, high=steps,
                                hint="It is how many training steps make one epoch.")
    step_numbers = np.arange(1, steps + 1)
    fig = new_figure((8, 3.6))
    ax = fig.subplots()
    ax.plot(step_numbers, values, "-", color="tab:blue")
    for end in range(steps_per_epoch, steps, steps_per_epoch):
        ax.axvline(end + 0.5, color="tab:gray", linewidth=0.6, linestyle=":")
    ax.set_xlim(0, steps + 1)
    ax.set_ylim(0, 1.05 * values.max() or 1.0)
    ax.set_xlabel("training step")
    ax.set_ylabel("learning rate")
    ax.grid(alpha=0.3, axis="y")
    top = ax.secondary_xaxis("top", functions=(lambda step: step / steps_per_epoch,
                                                 lambda epoch: epoch * steps_per_epoch))
    top.xaxis.set_major_locator(MaxNLocator(integer=True))
    top.set_xlabel(f"epochs completed ({steps_per_epoch} steps each)")
    fig.suptitle(title)
    return fig
