"""The augmentation experiment: its recipes, seed 0 as the shipped models, digits far from the edge, shifted hits."""

import keras
import numpy as np
import pytest

from mnist_lessons.experiments import augmentation
from mnist_lessons.models import pretrained
from mnist_lessons.records import experiment_record
from mnist_lessons.training import RECIPES, train_recipe


def test_the_arms_differ_only_in_augmentation_and_seed():
    shifts, none = augmentation.recipe("shifts", 3), augmentation.recipe("none", 3)
    assert (shifts.augmentation, none.augmentation) == ("shifts", "none")
    assert shifts.seed == none.seed == 3
    assert {f for f in shifts.__dataclass_fields__ if getattr(shifts, f) != getattr(none, f)} == {"augmentation"}
    for arm, name in augmentation.ARMS.items():
        assert augmentation.recipe(arm, 0) == RECIPES[name]       # seed 0 is the shipped recipe
    with pytest.raises(ValueError, match="'shifts', 'none'"):
        augmentation.recipe("rotations", 0)
    with pytest.raises(ValueError, match="seed"):
        augmentation.recipe("none", -1)


@pytest.mark.parametrize("arm", ["shifts", "none"])
def test_train_arm_at_seed_0_is_train_recipe_and_other_seeds_differ(arm, mnist_small):
    (x, y), _ = mnist_small
    x, y = x[:64, ..., None], y[:64]                    # one batch an epoch: fast, yet the whole recipe
    ours = augmentation.train_arm(arm, 0, x, y).get_weights()
    theirs = train_recipe(augmentation.ARMS[arm], x=x, y=y)[0].get_weights()
    assert all(np.array_equal(a, b) for a, b in zip(ours, theirs))
    other = augmentation.train_arm(arm, 1, x, y).get_weights()
    assert not np.array_equal(ours[0], other[0])
    with pytest.raises(ValueError, match="both x and y"):
        augmentation.train_arm(arm, 0, x, None)


def test_model_for_seed_0_is_the_shipped_model():
    for arm, name in augmentation.ARMS.items():
        model, shipped = augmentation.model_for(arm, 0), pretrained(name)
        assert all(np.array_equal(a, b) for a, b in zip(model.get_weights(), shipped.get_weights()))


def test_far_from_edge_by_hand():
    x = np.zeros((4, 28, 28, 1), "float32")
    x[0, 4, 4] = x[0, 23, 23] = 1        # just inside the 4-pixel border on both sides
    x[1, 3, 14] = 1                       # in the top border
    x[2, 14, 24] = 0.1                    # faint ink in the right border still counts
    assert augmentation.far_from_edge(x).tolist() == [True, False, False, True]
    assert augmentation.far_from_edge(x, edge=1).tolist() == [True, True, True, True]
    with pytest.raises(ValueError, match="edge"):
        augmentation.far_from_edge(x, edge=14)
    with pytest.raises(TypeError, match="floating-point"):
        augmentation.far_from_edge(x.astype(np.uint8))


def _one_pixel_reader():
    # Class 0 scores the pixel (14, 14); class 1 scores a constant 0.5. A digit is read as 0
    # exactly when its pixel (14, 14) holds ink above 0.5.
    model = keras.Sequential([keras.Input(shape=(28, 28, 1)), keras.layers.Flatten(), keras.layers.Dense(2)])
    kernel = np.zeros((784, 2), "float32")
    kernel[14 * 28 + 14, 0] = 1
    model.layers[-1].set_weights([kernel, np.array([0, 0.5], "float32")])
    return model


def test_shifted_hits_and_scores_by_hand():
    x = np.zeros((2, 28, 28, 1), "float32")
    x[0, 14, 14] = 1                  # read as 0 only where it is, unshifted
    x[1, 14, 12] = 1                  # reaches (14, 14) when moved 2 to the right
    y = np.array([0, 0])
    hits = augmentation.shifted_hits(_one_pixel_reader(), x, y)
    shifts = list(augmentation.SHIFTS)
    assert hits["horizontal"].shape == (9, 2)
    assert hits["horizontal"][:, 0].tolist() == [s == 0 for s in shifts]
    assert hits["horizontal"][:, 1].tolist() == [s == 2 for s in shifts]
    assert hits["vertical"][:, 0].tolist() == [s == 0 for s in shifts]
    assert not hits["vertical"][:, 1].any()
    scores = augmentation.scores(_one_pixel_reader(), x, y)
    assert scores["far_from_edge_digits"] == 2
    assert scores["all"]["horizontal"] == [0.5 if s in (0, 2) else 0.0 for s in shifts]
    assert scores["far_from_edge"]["vertical"] == [0.5 if s == 0 else 0.0 for s in shifts]
    with pytest.raises(ValueError, match="one label per image"):
        augmentation.shifted_hits(_one_pixel_reader(), x, y[:1])


def test_run_draws_nothing():
    with pytest.raises(ValueError, match="draw is always 0"):
        augmentation.run(0, 1)


@pytest.mark.slow   # scores the two shipped CNNs on 180,000 shifted test digits each
def test_the_recorded_seed_0_is_the_shipped_models():
    from mnist_lessons.data import load_mnist

    _, (x_test, y_test) = load_mnist(scale=True, channel_axis=True)
    recorded = experiment_record("augmentation")["runs"][0]
    assert recorded["seed"] == 0
    for arm, name in augmentation.ARMS.items():
        now = augmentation.scores(pretrained(name), x_test, y_test)
        assert now["far_from_edge_digits"] == recorded["results"][arm]["far_from_edge_digits"]
        for part in ("all", "far_from_edge"):
            for direction in augmentation.DIRECTIONS:
                np.testing.assert_allclose(now[part][direction], recorded["results"][arm][part][direction],
                                           atol=0.002)     # another CPU may flip a digit or two
