"""Figures of predictions: class probabilities and logits, confidence, calibration, confusion matrices."""

import numpy as np

from mnist_lessons.calibration import ReliabilityBins
from mnist_lessons.checks import check_int, check_labels, check_model, check_scaled_images, check_text
from mnist_lessons.constants import IMAGE_SHAPE, N_CLASSES
from mnist_lessons.models import predict_probabilities
from mnist_lessons.plots._base import CORRECT, NEUTRAL, WRONG, hide_ticks, new_figure


def plot_predictions(model, images, labels=None, *, names=None, title="What the model predicts"):
    """Draw each digit beside a bar chart of the model's 10 class probabilities.

    The bar of the predicted class is green when it equals the true label and
    red when it does not; the true class is marked with a black outline.
    Without labels (for images that are not digits) the predicted bar is grey.

    Parameters
    ----------
    model : keras.Model
        A model that outputs 10 probabilities (ends in softmax).
    images : numpy.ndarray
        A batch of 1 to 20 images shaped like the model's input, floats in [0, 1].
    labels : array-like of int, optional
        The true classes.
    names : sequence of str, optional
        A name per image, shown beside it (default: "true <label>").

    Returns
    -------
    matplotlib.figure.Figure
    """
    check_text(title, "title")
    check_model(model)
    n = len(check_scaled_images(images, model=model))
    if n > 20:
        raise ValueError(f"plot_predictions draws at most 20 digits; got {n}. Pass a slice.")
    probabilities = predict_probabilities(model, images)
    labels = None if labels is None else check_labels(labels, n)
    if names is None:
        names = [f"true {label}" for label in labels] if labels is not None else [""] * n
    elif isinstance(names, str) or len(names) != n or not all(isinstance(name, str) for name in names):
        raise ValueError(f"names must be {n} strings, one per image; got {names!r}.")
    pixels = np.asarray(images).reshape((n,) + IMAGE_SHAPE)
    fig = new_figure((7, 1.5 * n + 0.6))
    axes = fig.subplots(n, 2, squeeze=False, width_ratios=[1, 3.5])
    for i in range(n):
        image_ax, bar_ax = axes[i]
        predicted = int(probabilities[i].argmax())
        image_ax.imshow(pixels[i], cmap="gray_r", vmin=0, vmax=1)
        hide_ticks(image_ax)
        image_ax.set_ylabel(names[i])
        colors = [NEUTRAL] * 10
        colors[predicted] = "tab:blue" if labels is None else CORRECT if predicted == labels[i] else WRONG
        bars = bar_ax.bar(range(10), probabilities[i], color=colors)
        if labels is not None:
            bars[labels[i]].set_edgecolor("black")
            bars[labels[i]].set_linewidth(1.5)
        bar_ax.set_ylim(0, 1)
        bar_ax.set_xticks(range(10))
        bar_ax.set_ylabel("probability")
        bar_ax.set_title(f"predicted {predicted} with probability {probabilities[i, predicted]:.3f}",
                         fontsize=9, color=colors[predicted])
    axes[-1, 1].set_xlabel("class")
    fig.suptitle(title)
    return fig


def plot_class_bars(rows, *, row_labels, value_label="probability", title, highlight=None):
    """Draw the 10 per-class values of each row, one panel per row: probabilities as bars, anything else as dots.

    Parameters
    ----------
    rows : array-like, shape (n, 10)
        The values, one row per panel; 1 to 10 rows.
    row_labels : sequence of str
        One panel title per row, e.g. "T = 2".
    value_label : str, default="probability"
        The y-axis label. Probabilities are drawn as bars from 0 on the range
        0..1, since 0 means something. Other values (logits) are drawn as dots
        on the shared range of the values, with a line at 0: only their
        differences matter, and a bar from 0 would make adding a constant look
        like a change of shape.
    title : str
        Figure title.
    highlight : int or None
        A class whose bar is drawn in a distinct colour (e.g. the true label).

    Returns
    -------
    matplotlib.figure.Figure
    """
    check_text(title, "title")
    values = np.asarray(rows)
    if values.ndim != 2 or values.shape[1] != 10 or not np.issubdtype(values.dtype, np.number):
        raise ValueError(f"rows must be numbers shaped (n, 10), one row per panel; got shape {values.shape}.")
    n = check_int(len(values), "the number of rows", low=1, high=10)
    if not np.all(np.isfinite(values)):
        raise ValueError("rows contain inf or NaN, which cannot be drawn as bars; show them as text instead.")
    if isinstance(row_labels, str) or len(row_labels) != n or not all(isinstance(s, str) for s in row_labels):
        raise ValueError(f"row_labels must be {n} strings, one per row; got {row_labels!r}.")
    if highlight is not None:
        highlight = check_int(highlight, "highlight", low=0, high=N_CLASSES - 1)
    probabilities = value_label == "probability"
    low, high = (0, 1) if probabilities else (min(values.min(), 0), max(values.max(), 0))
    margin = 0 if probabilities else 0.08 * (high - low or 1)
    fig = new_figure((min(3.2 * n, 16), 2.8))
    axes = np.atleast_1d(fig.subplots(1, n, sharey=True))
    for ax, row, label in zip(axes, values, row_labels):
        colors = [NEUTRAL] * 10
        if highlight is not None:
            colors[highlight] = CORRECT
        if probabilities:
            ax.bar(range(10), row, color=colors)
        else:
            ax.scatter(range(10), row, color=colors, s=40, zorder=3)
        ax.axhline(0, color="black", linewidth=0.6)
        ax.set_ylim(low - margin, high + margin)
        ax.set_xticks(range(10))
        ax.set_xlabel("class")
        ax.set_title(label, fontsize=10)
    axes[0].set_ylabel(value_label)
    fig.suptitle(title)
    return fig


def _check_confidence(confidence, correct):
    confidence = np.asarray(confidence)
    correct = np.asarray(correct)
    if confidence.ndim != 1 or not np.issubdtype(confidence.dtype, np.floating):
        raise TypeError(
            f"confidence must be a 1-D float array; got dtype {confidence.dtype}, shape {confidence.shape}.")
    if len(confidence) == 0 or confidence.min() < 0 or confidence.max() > 1:
        raise ValueError("confidence must hold probabilities in [0, 1] (the largest probability per example).")
    if correct.dtype != bool or correct.shape != confidence.shape:
        raise ValueError(
            f"correct must be a boolean array shaped like confidence {confidence.shape}; got dtype "
            f"{correct.dtype}, shape {correct.shape}. Make it with predictions == labels."
        )
    return confidence, correct


def plot_confidence_histogram(confidence, correct, *, bins=20, title="Confidence of right and wrong predictions"):
    """Draw histograms of the confidence of right and of wrong predictions, side by side.

    Parameters
    ----------
    confidence : numpy.ndarray of float, shape (n,)
        The largest class probability of each prediction.
    correct : numpy.ndarray of bool, shape (n,)
        Whether each prediction was right.
    bins : int, default=20
        Equal-width bins between 0 and 1.
    title : str
        Figure title.

    Returns
    -------
    matplotlib.figure.Figure
    """
    check_text(title, "title")
    confidence, correct = _check_confidence(confidence, correct)
    bins = check_int(bins, "bins", low=2, high=100)
    edges = np.linspace(0, 1, bins + 1)
    fig = new_figure((10, 3.4))
    for ax, mask, name, color in zip(fig.subplots(1, 2), (correct, ~correct),
                                     ("right", "wrong"), (CORRECT, WRONG)):
        ax.hist(confidence[mask], bins=edges, color=color)
        ax.set_xlim(0, 1)
        ax.set_xlabel("confidence (largest probability)")
        ax.set_ylabel("predictions")
        ax.set_title(f"{mask.sum():,} {name} predictions", fontsize=10)
        ax.grid(alpha=0.3)
    fig.suptitle(title)
    return fig


def plot_reliability(bins, *, title="Reliability diagram"):
    """Draw accuracy against confidence per bin, with the diagonal of perfect calibration.

    Parameters
    ----------
    bins : mnist_lessons.calibration.ReliabilityBins
        What ``reliability_bins(probabilities, labels)`` returned.
    title : str
        Figure title.

    Returns
    -------
    matplotlib.figure.Figure
    """

    check_text(title, "title")
    if not isinstance(bins, ReliabilityBins):
        raise TypeError(
            f"bins must be what mnist_lessons.calibration.reliability_bins returned; got {type(bins).__name__}."
        )
    centres = (bins.edges[:-1] + bins.edges[1:]) / 2
    width = np.diff(bins.edges)
    filled = bins.counts > 0
    fig = new_figure((10, 4))
    left, right = fig.subplots(1, 2)
    left.bar(centres[filled], bins.accuracy[filled], width=width[filled] * 0.9, color="tab:blue",
             label="accuracy in the bin")
    left.plot(bins.confidence[filled], bins.confidence[filled], "o", color="black",
              label="mean confidence in the bin")
    left.plot([0, 1], [0, 1], "--", color=NEUTRAL, label="perfect calibration")
    left.set_xlim(0, 1)
    left.set_ylim(0, 1)
    left.set_xlabel("confidence")
    left.set_ylabel("accuracy")
    left.legend(loc="upper left", fontsize=8)
    left.set_title("accuracy vs confidence", fontsize=10)
    right.bar(centres, bins.counts, width=width * 0.9, color=NEUTRAL)
    right.set_yscale("log")
    right.set_xlim(0, 1)
    right.set_xlabel("confidence")
    right.set_ylabel("predictions (log scale)")
    right.set_title("how many predictions fall in each bin", fontsize=10)
    fig.suptitle(title)
    return fig


def _check_confusion(matrix, name="matrix"):
    matrix = np.asarray(matrix)
    if matrix.shape != (10, 10) or not np.issubdtype(matrix.dtype, np.integer) or matrix.min() < 0:
        raise ValueError(
            f"{name} must be 10×10 non-negative integer counts; got shape {matrix.shape}, dtype {matrix.dtype}."
        )
    return matrix


def _draw_confusion(fig, ax, matrix):
    """One confusion matrix in ``ax``: mistakes on their own red scale, the diagonal grey, counts written."""
    diagonal = np.eye(10, dtype=bool)
    mistakes = np.where(diagonal, 0, matrix)
    shown = ax.imshow(np.ma.masked_where(diagonal, mistakes), cmap="Reds",
                      vmin=0, vmax=max(int(mistakes.max()), 1))
    ax.imshow(np.ma.masked_where(~diagonal, np.ones((10, 10))), cmap="Greys", vmin=0, vmax=4)
    for (t, p), count in np.ndenumerate(matrix):
        if count:
            ax.text(p, t, str(count), ha="center", va="center", fontsize=8,
                    color="white" if t != p and count > mistakes.max() / 2 else "black")
    ax.set_xticks(range(10))
    ax.set_yticks(range(10))
    ax.set_xlabel("predicted class")
    ax.set_ylabel("true class")
    fig.colorbar(shown, ax=ax, shrink=0.8, label="mistakes (off the diagonal)")


def plot_confusion_matrix(matrix, *, title="Confusion matrix"):
    """Draw a 10×10 confusion matrix: rows are true classes, columns predictions.

    The diagonal (right answers) is drawn in grey so that the mistakes, off the
    diagonal, get the colour scale to themselves; every non-zero count is written
    in its cell.

    Parameters
    ----------
    matrix : array-like of int, shape (10, 10)
        ``matrix[t, p]`` counts the digits of true class ``t`` predicted as ``p``.
    title : str
        Figure title.

    Returns
    -------
    matplotlib.figure.Figure
    """
    check_text(title, "title")
    matrix = _check_confusion(matrix)
    fig = new_figure((7, 6))
    _draw_confusion(fig, fig.subplots(), matrix)
    fig.suptitle(title)
    return fig


def plot_confusion_matrices(matrices, *, title="Confusion matrices"):
    """Draw several 10×10 confusion matrices side by side, one panel per model.

    Each panel is drawn as by ``plot_confusion_matrix``: rows are true classes,
    columns predictions, the diagonal grey, every non-zero count written in its
    cell. Each panel's mistakes have a red scale of their own (from 0 to its
    largest off-diagonal count, shown by its colour bar), so that a model with
    few mistakes still shows where they fall; compare counts by their numbers.

    Parameters
    ----------
    matrices : dict
        ``{panel title: matrix}``, 1 to 4 matrices, each 10×10 non-negative
        integer counts, ``matrix[t, p]`` the digits of true class ``t``
        predicted as ``p``.
    title : str
        Figure title.

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    TypeError
        If ``matrices`` is not a dict or a panel title is not a string.
    ValueError
        If it holds no matrix or more than 4, or a matrix is not 10×10
        non-negative integer counts.

    Examples
    --------
    >>> fig = plot_confusion_matrices({"a": np.eye(10, dtype=int), "b": 2 * np.eye(10, dtype=int)})
    >>> [ax.get_title() for ax in fig.axes if ax.get_label() != "<colorbar>"]
    ['a', 'b']
    """
    check_text(title, "title")
    if not isinstance(matrices, dict):
        raise TypeError(f"matrices must be a dict {{panel title: 10×10 counts}}; got {type(matrices).__name__}.")
    check_int(len(matrices), "the number of matrices", low=1, high=4)
    checked = {}
    for name, matrix in matrices.items():
        checked[check_text(name, "each panel title")] = _check_confusion(matrix, f"matrices[{name!r}]")
    fig = new_figure((5.2 * len(checked), 4.8))
    for ax, (name, matrix) in zip(np.atleast_1d(fig.subplots(1, len(checked))), checked.items()):
        _draw_confusion(fig, ax, matrix)
        ax.set_title(name, fontsize=10)
    fig.suptitle(title)
    return fig
