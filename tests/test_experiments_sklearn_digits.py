"""The scikit-learn digits experiment: its split, what each method trains, its choice of rates and its spreads."""

import hashlib
import pathlib

import numpy as np
import pytest

from mnist_lessons.experiments import sklearn_digits
from mnist_lessons.models import pretrained, weights_path


def test_the_digits_are_in_mnist_format():
    images, labels = sklearn_digits.digits()
    assert images.shape == (1797, 28, 28, 1) and images.dtype == np.float32
    assert 0 <= images.min() and images.max() <= 1 and set(labels) == set(range(10))


def test_split_draws_ten_per_class_and_halves_the_others_at_random():
    labels = sklearn_digits.digits()[1]
    labelled, validation, test = sklearn_digits.split(0)
    assert np.array_equal(np.bincount(labels[labelled]), [10] * 10)
    assert (len(validation), len(test)) == (848, 849)                   # 1,697 others, halved
    together = np.concatenate([labelled, validation, test])
    assert np.array_equal(np.sort(together), np.arange(1797))           # disjoint, and every digit
    again, other = sklearn_digits.split(0), sklearn_digits.split(1)
    assert all(np.array_equal(a, b) for a, b in zip(again, (labelled, validation, test)))
    assert not np.array_equal(other[1], validation)
    with pytest.raises(ValueError, match="draw"):
        sklearn_digits.split(-1)


@pytest.mark.slow   # trains four small networks (a few seconds on quiet cores, more under load)
def test_each_method_trains_what_it_says(monkeypatch):
    monkeypatch.setattr(sklearn_digits, "EPOCHS", 1)
    labelled = sklearn_digits.split(0)[0]
    shipped = pretrained("cnn").get_weights()
    last = sklearn_digits.adapt("last_layer", labelled, seed=0, learning_rate=0.01).get_weights()
    assert all(np.array_equal(a, b) for a, b in zip(last[:-2], shipped[:-2]))
    assert not np.array_equal(last[-2], shipped[-2])
    tuned = sklearn_digits.adapt("fine_tune", labelled, seed=0, learning_rate=0.01).get_weights()
    assert not np.array_equal(tuned[0], shipped[0])
    scratch = sklearn_digits.adapt("scratch", labelled, seed=0, learning_rate=0.01)
    assert not np.allclose(scratch.get_weights()[0], shipped[0], atol=0.05)
    assert 0 <= sklearn_digits.accuracy(scratch, labelled) <= 1
    with pytest.raises(ValueError, match="method must be one of"):
        sklearn_digits.adapt("head", labelled, seed=0, learning_rate=0.01)


def _record(validation, test):
    runs = []
    for v, t in zip(validation, test):
        methods = {method: {f"{rate:g}": {"validation": v[i], "test": t[i]}
                            for i, rate in enumerate(sklearn_digits.RATES)}
                   for method in sklearn_digits.METHODS}
        runs.append({"results": {"no_adaptation": {"validation": 0.8, "test": t[0]}, "methods": methods}})
    return {"experiment": "sklearn_digits", "runs": runs}


def test_rates_are_chosen_on_mean_validation_and_spreads_are_test_accuracies_there():
    record = _record(validation=[(0.1, 0.9, 0.5, 0.2, 0.2, 0.2), (0.1, 0.3, 0.9, 0.2, 0.2, 0.2)],
                     test=[(0.3, 0.1, 0.6, 0.0, 0.0, 0.0), (0.4, 0.1, 0.7, 0.0, 0.0, 0.0)])
    assert sklearn_digits.chosen_rates(record) == dict.fromkeys(sklearn_digits.METHODS, 0.001)  # 0.7 vs 0.6
    spreads = sklearn_digits.spreads_at_chosen_rates(record)
    assert (spreads["scratch"].low, spreads["scratch"].high) == (0.6, 0.7)
    assert (spreads["no_adaptation"].low, spreads["no_adaptation"].high) == (0.3, 0.4)
    with pytest.raises(ValueError, match="experiment_record\\('sklearn_digits'\\)"):
        sklearn_digits.chosen_rates({"experiment": "transfer", "runs": [{}]})


def test_settings_name_the_shipped_weights_they_were_recorded_with():
    digest = hashlib.sha256(pathlib.Path(weights_path("cnn")).read_bytes()).hexdigest()[:16]
    assert sklearn_digits.SETTINGS["shipped_cnn_sha256"] == digest
    assert set(sklearn_digits.LABELS) == {"no_adaptation", *sklearn_digits.METHODS}
