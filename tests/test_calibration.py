import numpy as np
import pytest

from mnist_lessons.calibration import ReliabilityBins, reliability_bins


def test_bins_count_confidence_and_accuracy_by_hand():
    probabilities = np.array([[0.95, 0.05], [0.92, 0.08], [0.4, 0.6], [0.55, 0.45], [1.0, 0.0]])
    labels = np.array([0, 1, 1, 1, 0])
    bins = reliability_bins(probabilities, labels, n_bins=2)
    assert bins.edges.tolist() == [0, 0.5, 1]
    assert bins.counts.tolist() == [0, 5]      # every top probability is above 0.5
    assert np.isnan(bins.confidence[0]) and np.isnan(bins.accuracy[0])
    assert bins.confidence[1] == pytest.approx(np.mean([0.95, 0.92, 0.6, 0.55, 1.0]))
    assert bins.accuracy[1] == pytest.approx(3 / 5)
    assert bins.expected_calibration_error == pytest.approx(abs(0.6 - 0.804))


def test_edges_are_right_closed_and_one_lands_in_the_last_bin():
    probabilities = np.array([[0.5, 0.5, 0.0], [0.6, 0.2, 0.2], [1.0, 0.0, 0.0]])
    bins = reliability_bins(probabilities, [0, 0, 0], n_bins=10)
    assert bins.counts[4] == 1 and bins.counts[5] == 1 and bins.counts[9] == 1
    assert bins.counts.sum() == 3


def test_a_perfectly_calibrated_toy_has_small_error():
    rng = np.random.default_rng(0)
    confidence = rng.uniform(0.5, 1, 20_000)
    labels = np.where(rng.uniform(size=20_000) < confidence, 0, 1)
    probabilities = np.stack([confidence, 1 - confidence], axis=1)
    bins = reliability_bins(probabilities, labels)
    assert isinstance(bins, ReliabilityBins)
    assert bins.expected_calibration_error < 0.02


@pytest.mark.parametrize("probabilities, error, match", [
    (np.array([0.2, 0.8]), TypeError, "2-D float array"),
    (np.array([[1, 0], [0, 1]]), TypeError, "2-D float array"),
    (np.array([[2.0, -1.0], [0.5, 0.5]]), ValueError, "apply a softmax"),
    (np.array([[3.0, 1.0], [0.5, 0.5]]), ValueError, "apply a softmax"),
])
def test_rejects_what_is_not_probabilities(probabilities, error, match):
    with pytest.raises(error, match=match):
        reliability_bins(probabilities, [0, 1])


def test_rejects_bad_labels_and_bin_counts():
    probabilities = np.array([[0.7, 0.3], [0.4, 0.6]])
    with pytest.raises(ValueError, match="one label per image"):
        reliability_bins(probabilities, [0, 1, 1])
    with pytest.raises(ValueError, match="only 2 classes"):
        reliability_bins(probabilities, [0, 5])
    with pytest.raises(TypeError, match="integer class labels"):
        reliability_bins(probabilities, [0.0, 1.0])
    with pytest.raises(ValueError, match="n_bins"):
        reliability_bins(probabilities, [0, 1], n_bins=0)
    for n_bins in (2.5, True):
        with pytest.raises(TypeError, match="n_bins"):
            reliability_bins(probabilities, [0, 1], n_bins=n_bins)


def test_the_error_weights_each_bin_by_its_count():
    # Two unevenly filled bins: one prediction at confidence 0.4 (right, gap 0.6) in the lower
    # bin, three at 0.9, 0.8 and 0.7 (all right: mean confidence 0.8, gap 0.2) in the upper one.
    probabilities = np.array([[0.4, 0.3, 0.3], [0.9, 0.05, 0.05], [0.1, 0.8, 0.1], [0.15, 0.15, 0.7]])
    bins = reliability_bins(probabilities, [0, 0, 1, 2], n_bins=2)
    assert bins.counts.tolist() == [1, 3]
    np.testing.assert_allclose(bins.confidence, [0.4, 0.8])
    np.testing.assert_allclose(bins.accuracy, [1.0, 1.0])
    # (1 × 0.6 + 3 × 0.2) / 4 = 0.3; the plain mean of the two gaps would be 0.4.
    assert bins.expected_calibration_error == pytest.approx(0.3)


def test_one_bin_one_class_and_float32_are_accepted():
    # One bin holds everything; one class is always right; float32 rows are probabilities too.
    bins = reliability_bins(np.array([[1.0], [1.0]]), [0, 0], n_bins=1)
    assert bins.counts.tolist() == [2] and bins.accuracy.tolist() == [1.0]
    assert bins.expected_calibration_error == 0.0
    bins = reliability_bins(np.array([[0.25, 0.75], [0.75, 0.25]], "float32"), [1, 1], n_bins=4)
    assert bins.counts.tolist() == [0, 0, 2, 0] and bins.accuracy[2] == 0.5


def test_empty_top_bins_are_kept_and_computed_without_warnings():
    # Every confidence in the lower bins: the upper ones still exist, empty, as NaN, silently.
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        bins = reliability_bins(np.array([[0.55, 0.45], [0.6, 0.4]]), [0, 1], n_bins=10)
    assert bins.counts.tolist() == [0, 0, 0, 0, 0, 2, 0, 0, 0, 0]     # 0.6 closes the bin (0.5, 0.6]
    assert len(bins.counts) == len(bins.confidence) == len(bins.accuracy) == 10
    assert np.isnan(bins.confidence[9]) and np.isnan(bins.accuracy[9])


def test_messages_name_the_argument_first():
    probabilities = np.array([[0.7, 0.3], [0.4, 0.6]])
    with pytest.raises(TypeError, match=r"^probabilities must be a 2-D float array, one row of class "
                                        r"probabilities per example; got dtype int64"):
        reliability_bins(np.array([[1, 0], [0, 1]], "int64"), [0, 1])
    with pytest.raises(ValueError, match=r"^labels go up to 2 but probabilities have only 2 classes\.$"):
        reliability_bins(probabilities, [0, 2])                  # a label equal to the class count
    with pytest.raises(ValueError, match=r"^n_bins must be an int of at least 1; got 0\.$"):
        reliability_bins(probabilities, [0, 1], n_bins=0)


def test_ten_bins_by_default():
    bins = reliability_bins(np.array([[0.7, 0.3], [0.4, 0.6]]), [0, 1])
    np.testing.assert_allclose(bins.edges, np.arange(11) / 10)
    assert len(bins.counts) == 10
