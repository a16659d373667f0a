"""experiments.label_smoothing: the pieces computed by hand, and one tiny run of the whole measurement."""

import math

import numpy as np
import pytest

from mnist_lessons.calibration import reliability_bins
from mnist_lessons.experiments import label_smoothing as experiment


def test_smoothing_key_names_each_smoothing():
    assert [experiment.smoothing_key(s) for s in experiment.SMOOTHINGS] == ["0.1", "0"]
    with pytest.raises(ValueError, match="label_smoothing must be"):
        experiment.smoothing_key(1.0)
    with pytest.raises(TypeError, match="label_smoothing must be"):
        experiment.smoothing_key("some")


def test_logit_gap_by_hand():
    logits = np.array([[4.0, 1.0, 1.0, -2.0], [0.0, 0.0, 3.0, 0.0]])
    # Row 1: 4 - (1 + 1 - 2) / 3 = 4; row 2: 3 - 0 = 3; the mean 3.5.
    assert experiment.logit_gap(logits) == pytest.approx(3.5)
    assert experiment.logit_gap(logits + 7.0) == pytest.approx(3.5)      # a constant changes nothing
    with pytest.raises(ValueError, match="shape"):
        experiment.logit_gap(np.zeros(10))


def test_middle_confidence_pools_the_middle_bins():
    p = np.array([[0.55, 0.45], [0.65, 0.35], [0.85, 0.15], [0.99, 0.01], [0.45, 0.55]])
    labels = np.array([0, 1, 0, 0, 1])
    middle = experiment.middle_confidence(reliability_bins(p, labels))
    # In (0.5, 0.9]: 0.55 right, 0.65 wrong, 0.85 right, 0.55 (the last row, class 1) right.
    assert middle["n"] == 4
    assert middle["confidence"] == pytest.approx((0.55 + 0.65 + 0.85 + 0.55) / 4)
    assert middle["accuracy"] == pytest.approx(0.75)
    empty = experiment.middle_confidence(reliability_bins(np.array([[0.99, 0.01]]), np.array([0])))
    assert empty["n"] == 0 and math.isnan(empty["accuracy"])
    with pytest.raises(ValueError, match="two edges"):
        experiment.middle_confidence(reliability_bins(p, labels), 0.55, 0.9)
    with pytest.raises(ValueError, match="two edges"):
        experiment.middle_confidence(reliability_bins(p, labels), 0.9, 0.5)


def test_smoothed_loss_by_hand():
    p = np.full((2, 10), 0.01)
    p[0, 3] = p[1, 7] = 0.91
    labels = np.array([3, 7])
    floor = -(0.91 * np.log(0.91) + 9 * 0.01 * np.log(0.01))          # the targets' own entropy
    assert experiment.smoothed_loss(p, labels, 0.1) == pytest.approx(floor)
    assert floor == pytest.approx(0.5003, abs=1e-4)
    assert experiment.smoothed_loss(p, labels, 0.0) == pytest.approx(-np.log(0.91))
    one_hot = np.eye(10)[labels]                                       # log 0 only where the target is 0
    assert experiment.smoothed_loss(one_hot, labels, 0.0) == 0.0
    assert experiment.smoothed_loss(one_hot, labels, 0.1) == np.inf
    with pytest.raises(ValueError, match="label_smoothing must be"):
        experiment.smoothed_loss(p, labels, -0.1)


def test_the_recorded_protocol():
    assert experiment.NAME == "label_smoothing" and experiment.CHAPTER == "05_softmax"
    assert all(draw == 0 for _, draw in experiment.RUNS) and len({seed for seed, _ in experiment.RUNS}) >= 3
    assert experiment.SETTINGS["label_smoothings"] == [0.1, 0.0]
    with pytest.raises(ValueError, match="draw must be 0"):
        experiment.run(0, 1)
    with pytest.raises(ValueError, match="seed must be"):
        experiment.train_mlp(-1, 0.1, np.zeros((2, 28, 28), np.float32), np.array([0, 1]))


@pytest.mark.slow
def test_measure_trains_both_from_one_start(mnist_small):
    (x, y), test = mnist_small
    results = experiment.measure(0, (x, y), test)
    assert list(results) == ["0.1", "0"]
    for result in results.values():
        assert 0 <= result["test_accuracy"] <= 1 and 0 <= result["ece"] <= 1
        assert sum(result["bins"]["counts"]) == len(test[1]) and len(result["epoch_loss"]) == 10
        assert result["train_loss_smoothed_targets"] > 0.5    # never below the targets' entropy
        assert np.isfinite(result["train_loss_smoothed_targets"])   # float64 from the logits: no log 0
    assert results["0.1"]["logit_gap"] < results["0"]["logit_gap"]
    # The same seed: the same start and batches; the smoothed run repeats measure's exactly.
    model, history = experiment.train_mlp(0, 0.1, x, y)
    assert history.history["loss"] == pytest.approx(results["0.1"]["epoch_loss"])
