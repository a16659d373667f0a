"""How far a classifier's confidence can be trusted: reliability bins.

Sort the predictions by confidence (the largest probability) into equal-width
bins and compare, in each bin, the mean confidence with the fraction that was
right. A well-calibrated model is right 90 % of the time when it says 0.9.
"""

import dataclasses

import numpy as np

from mnist_lessons.checks import check_int, check_labels, check_probability_rows


@dataclasses.dataclass(frozen=True)
class ReliabilityBins:
    """Per-bin counts, mean confidence and accuracy; see ``reliability_bins``.

    Attributes
    ----------
    edges : numpy.ndarray, shape (n_bins + 1,)
        Bin edges from 0 to 1; bin ``i`` holds confidences in
        ``(edges[i], edges[i + 1]]`` (the first bin also holds 0).
    counts : numpy.ndarray of int, shape (n_bins,)
        Predictions per bin.
    confidence, accuracy : numpy.ndarray, shape (n_bins,)
        Mean confidence and fraction correct per bin; NaN for empty bins.
    """

    edges: np.ndarray
    counts: np.ndarray
    confidence: np.ndarray
    accuracy: np.ndarray

    @property
    def expected_calibration_error(self):
        """Mean of ``|accuracy - confidence|`` over bins, weighted by their counts."""
        filled = self.counts > 0
        gaps = np.abs(self.accuracy[filled] - self.confidence[filled])
        return float(np.sum(gaps * self.counts[filled]) / self.counts.sum())


def reliability_bins(probabilities, labels, n_bins=10):
    """Bin predictions by confidence and measure the accuracy in each bin.

    Parameters
    ----------
    probabilities : array-like, shape (n, n_classes)
        Class probabilities, one row per example (rows sum to 1).
    labels : array-like of int, shape (n,)
        The true classes.
    n_bins : int, default=10
        Number of equal-width confidence bins between 0 and 1.

    Returns
    -------
    ReliabilityBins

    Raises
    ------
    TypeError, ValueError
        If ``probabilities`` is not a 2-D array of probabilities (for example
        logits, which must go through a softmax first), ``labels`` do not match
        it, or ``n_bins`` is not a positive int.

    Examples
    --------
    >>> bins = reliability_bins([[0.9, 0.1], [0.3, 0.7]], [0, 0], n_bins=2)
    >>> bins.counts.tolist(), bins.accuracy.tolist()
    ([0, 2], [nan, 0.5])
    """
    probabilities = np.asarray(probabilities)
    if probabilities.ndim != 2 or not np.issubdtype(probabilities.dtype, np.floating):
        raise TypeError(
            "probabilities must be a 2-D float array, one row of class probabilities per "
            f"example; got dtype {probabilities.dtype} and shape {probabilities.shape}."
        )
    check_probability_rows(probabilities)
    labels = check_labels(labels, len(probabilities))
    if labels.max(initial=0) >= probabilities.shape[1]:
        raise ValueError(
            f"labels go up to {labels.max()} but probabilities have only {probabilities.shape[1]} classes."
        )
    n_bins = check_int(n_bins, "n_bins", low=1)
    confidence = probabilities.max(axis=1)
    correct = probabilities.argmax(axis=1) == labels
    edges = np.linspace(0, 1, n_bins + 1)
    # Right-closed bins, so that a confidence of exactly 1 falls in the last bin.
    which = np.clip(np.searchsorted(edges, confidence, side="left") - 1, 0, n_bins - 1)
    counts = np.bincount(which, minlength=n_bins)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean_confidence = np.bincount(which, weights=confidence, minlength=n_bins) / counts
        accuracy = np.bincount(which, weights=correct, minlength=n_bins) / counts
    return ReliabilityBins(edges, counts, mean_confidence, accuracy)
