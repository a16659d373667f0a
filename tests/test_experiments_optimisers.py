"""The optimisers experiment: aligned grids, the optimizers it builds, its training loop and its dead units."""

import keras
import numpy as np
import pytest

from mnist_lessons.experiments import optimisers


def test_each_optimiser_has_eight_rates_and_momentums_grid_matches_sgds_effective_steps():
    assert all(len(rates) == 8 and list(rates) == sorted(rates) for rates in optimisers.GRIDS.values())
    effective = [rate / (1 - optimisers.MOMENTUM) for rate in optimisers.GRIDS["momentum"]]
    np.testing.assert_allclose(effective, optimisers.GRIDS["sgd"], rtol=1e-9)
    ratios = np.diff(np.log10(optimisers.GRIDS["adam"]))
    assert ratios.min() > 0.4 and ratios.max() < 0.6                       # a factor of about 3


def test_rate_key():
    assert [optimisers.rate_key(rate) for rate in (3.0, 0.3, 0.0001)] == ["3", "0.3", "0.0001"]


def test_make_optimizer():
    sgd, momentum, adam = (optimisers.make_optimizer(name, 0.1) for name in ("sgd", "momentum", "adam"))
    assert isinstance(sgd, keras.optimizers.SGD) and sgd.momentum == 0
    assert isinstance(momentum, keras.optimizers.SGD) and momentum.momentum == 0.9
    assert isinstance(adam, keras.optimizers.Adam)
    assert float(adam.learning_rate.numpy()) == pytest.approx(0.1)
    with pytest.raises(ValueError, match="'sgd', 'momentum', 'adam'"):
        optimisers.make_optimizer("rmsprop", 0.1)
    with pytest.raises(ValueError, match="above 0"):
        optimisers.make_optimizer("sgd", 0)
    with pytest.raises(TypeError, match="learning_rate must be a number"):
        optimisers.make_optimizer("sgd", "0.1")


def _tiny(seed=0):
    rng = np.random.default_rng(seed)
    return rng.random((20, 28, 28)).astype(np.float32), rng.integers(0, 10, 20)


def _with_one_dead_unit(seed=0):
    # Unit 0: no weights in and bias -1, so its weighted sum is -1 for every image (pixels are >= 0):
    # dead. Every other unit: bias +1 and tiny weights, so it fires for every image.
    model = optimisers.build_network(seed)
    kernel, bias = model.layers[1].get_weights()
    kernel = kernel * 1e-3
    kernel[:, 0], bias[:] = 0, 1
    bias[0] = -1
    model.layers[1].set_weights([kernel, bias])
    return model


@pytest.mark.parametrize("name", ["sgd", "momentum", "adam"])
def test_train_steps_notes_the_last_step_each_unit_moved(name):
    x, y = _tiny()
    model = _with_one_dead_unit()
    losses, last_moved = optimisers.train_steps(model, optimisers.make_optimizer(name, 1e-4), x, y, steps=3,
                                                batch_size=5)
    assert losses.shape == (3,) and np.all(np.isfinite(losses))
    assert last_moved[0] == 0 and np.all(last_moved[1:] == 3)               # the dead unit never moved
    assert optimisers.dead_units(model, x).tolist() == [True] + [False] * 127
    assert optimisers.death_steps({"last_moved": last_moved, "dead_units": optimisers.dead_units(model, x)}) == [0]


def test_train_steps_repeats_with_the_same_seed():
    x, y = _tiny()
    runs = [optimisers.train_steps(optimisers.build_network(1), optimisers.make_optimizer("sgd", 0.1), x, y,
                                   steps=4, batch_size=10, seed=1)[0] for _ in range(2)]
    np.testing.assert_array_equal(*runs)


def test_dead_units_by_hand():
    model = optimisers.build_network(0)
    kernel, bias = model.layers[1].get_weights()
    kernel[:], bias[:] = 0, -1
    bias[5], kernel[0, 7] = 0.5, 2.0          # unit 5 always fires; unit 7 fires on an image with ink at pixel 0
    model.layers[1].set_weights([kernel, bias])
    images = np.zeros((3, 28, 28), dtype=np.float32)
    assert np.flatnonzero(~optimisers.dead_units(model, images)).tolist() == [5]
    images[2, 0, 0] = 1.0
    assert np.flatnonzero(~optimisers.dead_units(model, images)).tolist() == [5, 7]


def test_train_steps_bad_input():
    x, y = _tiny()
    model = optimisers.build_network(0)
    optimizer = optimisers.make_optimizer("sgd", 0.1)
    with pytest.raises(ValueError, match="batch_size must be an int from 1 to 20"):
        optimisers.train_steps(model, optimizer, x, y, steps=1, batch_size=21)
    with pytest.raises(ValueError, match="one label per image"):
        optimisers.train_steps(model, optimizer, x, y[:5], steps=1, batch_size=5)
    with pytest.raises(TypeError, match="floating-point pixels"):
        optimisers.train_steps(model, optimizer, (x * 255).astype(np.uint8), y, steps=1, batch_size=5)


def test_run_draws_no_digits():
    with pytest.raises(ValueError, match="draws no digits"):
        optimisers.run(0, 1)
