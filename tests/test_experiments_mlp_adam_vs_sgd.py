"""experiments.mlp_adam_vs_sgd: the pieces computed by hand, and one tiny run of the whole measurement."""

import keras
import numpy as np
import pytest

from mnist_lessons.experiments import mlp_adam_vs_sgd as experiment


def test_optimizer_builds_each_kind_with_its_rate():
    adam, sgd, momentum = (experiment.optimizer(kind, 0.02) for kind in ("adam", "sgd", "momentum"))
    assert isinstance(adam, keras.optimizers.Adam)
    assert isinstance(sgd, keras.optimizers.SGD) and float(sgd.momentum) == 0
    assert isinstance(momentum, keras.optimizers.SGD) and float(momentum.momentum) == experiment.SETTINGS["momentum"]
    assert all(float(o.learning_rate.numpy()) == pytest.approx(0.02) for o in (adam, sgd, momentum))
    with pytest.raises(ValueError, match="kind must be one of 'adam', 'sgd', 'momentum'"):
        experiment.optimizer("rmsprop", 0.1)
    with pytest.raises(ValueError, match="learning_rate must be"):
        experiment.optimizer("sgd", 0)
    with pytest.raises(TypeError, match="learning_rate must be"):
        experiment.optimizer("sgd", "fast")


def test_ink_groups_by_hand():
    images = np.zeros((100, 28, 28), np.float32)
    images[:, 10, 10] = 0.2                      # inked in every image
    images[:1, 0, 27] = 1.0                      # in 1 of 100 images: 1 %, under 2 % but not under 1 %
    groups = experiment.ink_groups(images, rare=0.02)
    assert list(groups) == list(experiment.INK_GROUPS)
    assert np.flatnonzero(groups["often inked"]).tolist() == [10 * 28 + 10]
    assert np.flatnonzero(groups["rarely inked"]).tolist() == [27]            # row 0, column 27
    assert groups["never inked"].sum() == 782
    assert np.all(sum(mask.astype(int) for mask in groups.values()) == 1)     # each pixel in one group
    assert experiment.ink_groups(images, rare=0.01)["often inked"].sum() == 2
    with pytest.raises(ValueError, match="rare must be"):
        experiment.ink_groups(images, rare=0)
    with pytest.raises(ValueError):
        experiment.ink_groups(images * 255)


def test_weight_change_is_the_mean_absolute_change_per_input():
    before = np.array([[0.0, 1.0, -1.0], [2.0, 2.0, 2.0]])
    after = np.array([[0.3, 0.7, -1.0], [2.0, 2.0, 2.0]])
    np.testing.assert_allclose(experiment.weight_change(after, before), [0.2, 0.0])
    with pytest.raises(ValueError, match="one shape"):
        experiment.weight_change(after, before[:1])


def test_fitted_digits_splits_as_keras_does():
    assert experiment.fitted_digits(60_000) == 54_000
    assert experiment.fitted_digits(7) == 6                # floor(7 · 0.9), Keras' rule
    with pytest.raises(ValueError, match="n must be"):
        experiment.fitted_digits(0)


def test_tuned_learning_rate_takes_the_best_mean_last_validation_accuracy():
    def runs(*pairs):
        return [{"results": {"sgd": {"0.1": {"val_accuracy": [0.1, a]}, "1": {"val_accuracy": [0.9, b]}}}}
                for a, b in pairs]

    assert experiment.tuned_learning_rate(runs((0.9, 0.8), (0.9, 0.95)), "sgd") == 0.1   # 0.9 vs 0.875
    assert experiment.tuned_learning_rate(runs((0.8, 0.9), (0.8, 0.7)), "sgd") == 0.1    # a tie: the smaller
    assert experiment.tuned_learning_rate(runs((0.8, 0.9)), "sgd") == 1.0
    with pytest.raises(TypeError, match="non-empty list"):
        experiment.tuned_learning_rate([], "sgd")


def test_the_recorded_protocol():
    assert experiment.NAME == "mlp_adam_vs_sgd" and experiment.CHAPTER == "02_flatten_dense"
    assert all(draw == 0 for _, draw in experiment.RUNS) and len({seed for seed, _ in experiment.RUNS}) >= 3
    with pytest.raises(ValueError, match="draw must be 0"):
        experiment.run(0, 1)


@pytest.mark.slow
def test_measure_trains_every_optimizer_from_one_start(mnist_small):
    (x, y), (x_test, y_test) = mnist_small
    settings = {**experiment.SETTINGS, "epochs": 2, "batch_size": 64,
                "learning_rates": {"adam": [0.001], "sgd": [0.1], "momentum": [0.01]}}
    results = experiment.measure(0, (x, y), (x_test, y_test), settings=settings)
    n_fit = experiment.fitted_digits(len(x), settings)
    groups = experiment.ink_groups(x[:n_fit])
    assert results["fit_digits"] == n_fit
    assert results["pixels"] == {name: int(mask.sum()) for name, mask in groups.items()}
    for kind, rate in (("adam", "0.001"), ("sgd", "0.1"), ("momentum", "0.01")):
        result = results[kind][rate]
        assert all(len(result[key]) == 2 for key in ("loss", "val_loss", "accuracy", "val_accuracy",
                                                     "fitted_accuracy"))
        assert result["weight_change"]["never inked"] == 0          # no ink, no gradient, no step
        assert result["rare_to_often"] == pytest.approx(
            result["weight_change"]["rarely inked"] / result["weight_change"]["often inked"])
        assert 0 < result["median_share"] <= 1 and 0 <= result["test_accuracy"] <= 1
    # The same seed: the same start for every optimizer, which train_mlp reports.
    model, _, initial = experiment.train_mlp(experiment.optimizer("sgd", 0.1), seed=0, x=x, y=y, settings=settings)
    keras.utils.set_random_seed(0)
    np.testing.assert_array_equal(initial, experiment.build_mlp().get_layer("hidden").kernel.numpy())
    final_change = experiment.weight_change(model.get_layer("hidden").kernel.numpy(), initial)
    assert np.mean(final_change[groups["often inked"]]) == pytest.approx(
        results["sgd"]["0.1"]["weight_change"]["often inked"])        # measure's run repeats exactly
    with pytest.raises(TypeError, match="Keras optimizer"):
        experiment.train_mlp("sgd", seed=0, x=x, y=y)
