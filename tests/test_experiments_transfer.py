"""The transfer experiment: what each arm reuses and trains, its batches, its choice of rates and its spreads."""

import keras
import numpy as np
import pytest

from mnist_lessons.experiments import transfer
from mnist_lessons.models import build_cnn


@pytest.fixture(scope="module")
def source():
    keras.utils.set_random_seed(7)
    return build_cnn()     # untrained: only which weights are copied and frozen matters here


def _count(weights):
    return sum(int(np.prod(w.shape)) for w in weights)


def test_each_arm_reuses_and_freezes_what_it_says(source):
    conv1, conv2, head = 3 * 3 * 32 + 32, 3 * 3 * 32 * 64 + 64, 1600 * 5 + 5
    expected = {"pixels": (784 * 5 + 5, 0), "scratch": (conv1 + conv2 + head, 0),
                "conv1_frozen": (conv2 + head, conv1), "base_frozen": (head, conv1 + conv2)}
    for arm, (trainable, frozen) in expected.items():
        model = transfer.arm_model(arm, source)
        assert (_count(model.trainable_weights), _count(model.non_trainable_weights)) == (trainable, frozen), arm
        assert model.output_shape == (None, 5)
    copied = transfer.arm_model("conv1_frozen", source).get_layer("base").get_weights()
    assert all(np.array_equal(a, b) for a, b in zip(copied, source.get_weights()[:-2]))
    fresh = transfer.arm_model("scratch", source).get_layer("base").get_weights()
    assert not np.array_equal(fresh[0], source.get_weights()[0])


def test_step_order_makes_shuffled_passes_and_longer_orders_begin_alike():
    indices = np.arange(100, 150)                                  # 50 examples
    order = transfer.step_order(indices, 3, seed=1)                # 3 batches of 64: 192 examples
    assert order.shape == (3 * transfer.BATCH,)
    for start in (0, 50, 100):                                     # whole passes, each a permutation
        assert sorted(order[start:start + 50]) == list(indices)
    assert not np.array_equal(order[:50], order[50:100])
    assert np.array_equal(transfer.step_order(indices, 7, seed=1)[:len(order)], order)
    assert not np.array_equal(transfer.step_order(indices, 3, seed=2), order)


def test_labelled_draws_per_class_from_the_pool_and_all_is_the_pool():
    pool = transfer.digits()["y_pool"]
    chosen = transfer.labelled(10, draw=3)
    assert np.array_equal(np.bincount(pool[chosen]), [10] * 5)
    assert np.array_equal(chosen, transfer.labelled(10, draw=3))
    assert not np.array_equal(chosen, transfer.labelled(10, draw=4))
    assert np.array_equal(transfer.labelled(None, draw=0), np.arange(len(pool)))


def test_the_parts_are_disjoint_and_hold_what_they_say():
    data = transfer.digits()
    assert set(np.unique(data["y_source"])) == set(range(5)) and set(np.unique(data["y_pool"])) == set(range(5))
    n_train = len(data["y_source"]) + len(data["y_pool"]) + len(data["y_validation"])
    assert n_train == 60_000 and len(data["y_test"]) + len(data["y_source_test"]) == 10_000
    assert len(data["x_validation"]) == len(data["y_validation"]) < 10_000 // 2 + 500


@pytest.mark.slow   # trains four small networks (a few seconds on quiet cores, more under load)
def test_train_arm_repeats_and_train_further_leaves_or_moves_the_base(source, monkeypatch):
    monkeypatch.setattr(transfer, "STEPS", 2)
    monkeypatch.setattr(transfer, "FINE_TUNE_STEPS", 2)
    indices = transfer.labelled(10, draw=0)
    probe = transfer.train_arm("base_frozen", source, indices, seed=0, learning_rate=0.003)
    again = transfer.train_arm("base_frozen", source, indices, seed=0, learning_rate=0.003)
    assert all(np.array_equal(a, b) for a, b in zip(probe.get_weights(), again.get_weights()))
    before = [w.copy() for w in probe.get_weights()]
    longer = transfer.train_further(probe, indices, seed=0, learning_rate=0.003, unfreeze=False)
    tuned = transfer.train_further(probe, indices, seed=0, learning_rate=0.003, unfreeze=True)
    assert all(np.array_equal(a, b) for a, b in zip(probe.get_weights(), before))       # left as it was
    base = source.get_weights()[:-2]
    assert all(np.array_equal(a, b) for a, b in zip(longer.get_layer("base").get_weights(), base))
    assert not np.array_equal(longer.get_layer("head").get_weights()[0], before[-2])
    assert not np.array_equal(tuned.get_layer("base").get_weights()[0], base[0])
    direct = transfer.train_arm("fine_tuned", source, indices, seed=0, learning_rate=0.003)
    assert all(np.array_equal(a, b) for a, b in zip(direct.get_weights(), tuned.get_weights()))


def test_bad_arguments(source):
    indices = np.arange(10)
    with pytest.raises(ValueError, match="arm must be one of"):
        transfer.train_arm("frozen", source, indices, seed=0, learning_rate=0.001)
    with pytest.raises(ValueError, match="learning_rate"):
        transfer.train_arm("pixels", source, indices, seed=0, learning_rate=0)
    with pytest.raises(TypeError, match="seed must be an int"):
        transfer.train_arm("pixels", source, indices, seed="0", learning_rate=0.001)
    with pytest.raises(ValueError, match="part must be one of"):
        transfer.accuracy(source, "train")


def _record(validation, test):
    """A record whose every arm and size has, per run, the given accuracies at the three rates."""
    runs = []
    for v, t in zip(validation, test):
        arms = {arm: {transfer.size_key(size): {transfer.rate_key(rate): {"validation": v[i], "test": t[i]}
                                                for i, rate in enumerate(transfer.RATES)}
                      for size in transfer.SIZES}
                for arm in transfer.ARMS}
        runs.append({"seed": 0, "draw": 0, "results": {"source_accuracy": 0.99, "arms": arms}})
    return {"experiment": "transfer", "runs": runs}


def test_rates_are_chosen_on_mean_validation_and_spreads_are_test_accuracies_there():
    # Rate 0.003 has the best mean validation (0.85) although run 2 prefers 0.01; test is what is reported.
    record = _record(validation=[(0.7, 0.9, 0.6), (0.7, 0.8, 0.9)], test=[(0.1, 0.5, 0.2), (0.1, 0.6, 0.2)])
    assert transfer.chosen_rates(record)["pixels"]["10"] == 0.003
    spread = transfer.spreads_at_chosen_rates(record)["fine_tuned"]["all"]
    assert (spread.low, spread.high, spread.n) == (0.5, 0.6, 2)
    tie = _record(validation=[(0.8, 0.8, 0.7)], test=[(0.1, 0.2, 0.3)])
    assert transfer.chosen_rates(tie)["scratch"]["50"] == 0.001          # a tie goes to the smaller rate


def test_a_record_of_another_experiment_is_refused():
    with pytest.raises(ValueError, match="experiment_record\\('transfer'\\)"):
        transfer.chosen_rates({"experiment": "optimisers", "runs": [{}]})


def test_settings_and_labels_name_every_arm_size_and_rate():
    assert list(transfer.LABELS) == list(transfer.ARMS) == transfer.SETTINGS["arms"]
    assert transfer.SETTINGS["sizes"] == ["10", "50", "200", "1000", "all"]
    assert [transfer.rate_key(rate) for rate in transfer.RATES] == ["0.001", "0.003", "0.01"]
    assert all(isinstance(seed, int) and isinstance(draw, int) for seed, draw in transfer.RUNS)
