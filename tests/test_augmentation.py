import numpy as np
import pytest

from mnist_lessons.augmentation import AUGMENTATIONS, Augmentation, _resample, _restroke, augment


def _dot(row, col):
    image = np.zeros((1, 28, 28, 1), np.float32)
    image[0, row, col, 0] = 1.0
    return image


def test_a_quarter_turn_moves_an_off_centre_pixel_about_13_5():
    # Counter-clockwise by 90° about (13.5, 13.5): (row 3, col 20) goes to (row 7, col 3).
    turned = _resample(_dot(3, 20), np.array([np.pi / 2]), np.array([1.0]), np.zeros(1), np.zeros(1))
    assert np.argwhere(turned[0, ..., 0] > 0.99).tolist() == [[7, 3]]
    assert turned.sum() == pytest.approx(1.0, abs=1e-5)


def test_a_whole_pixel_shift_moves_a_pixel_exactly():
    moved = _resample(_dot(10, 12), np.zeros(1), np.ones(1), np.array([2.0]), np.array([-3.0]))
    assert np.argwhere(moved[0, ..., 0] > 0.99).tolist() == [[12, 9]] and moved.sum() == pytest.approx(1.0)


def test_doubling_the_size_moves_a_pixel_twice_as_far_from_the_centre():
    # Scaled by 2 about (13.5, 13.5), the pixel at (15, 13) lands at (16.5, 12.5), spread by the
    # bilinear interpolation over twice as many rows and columns: four times the ink.
    grown = _resample(_dot(15, 13), np.zeros(1), np.array([2.0]), np.zeros(1), np.zeros(1))[0, ..., 0]
    rows, cols = np.indices(grown.shape)
    assert grown.sum() == pytest.approx(4.0)
    assert (rows * grown).sum() / grown.sum() == pytest.approx(16.5)
    assert (cols * grown).sum() / grown.sum() == pytest.approx(12.5)


def test_stroke_weight_blends_with_the_3x3_maximum_or_minimum():
    image = np.zeros((2, 28, 28, 1), np.float32)
    image[:, 10:13, 10:13] = 1.0                       # a 3×3 block of ink
    out = _restroke(image, np.array([0.5, -0.5]))
    thick, thin = out[0, ..., 0], out[1, ..., 0]
    assert thick[9, 9] == 0.5 and thick[11, 11] == 1.0 and thick[8, 8] == 0.0    # half-way to the dilated block
    assert thin[11, 11] == 1.0 and thin[10, 10] == 0.5 and thin[9, 9] == 0.0     # only the centre survives erosion


def test_augment_is_seeded_changes_every_digit_and_keeps_the_input():
    rng_images = np.random.default_rng(0).random((5, 28, 28)).astype(np.float32) * (np.arange(28) % 2)
    before = rng_images.copy()
    first = augment(rng_images, "shifts, rotations, sizes, strokes", np.random.default_rng(1))
    again = augment(rng_images, "shifts, rotations, sizes, strokes", np.random.default_rng(1))
    assert np.array_equal(first, again) and np.array_equal(rng_images, before)
    assert first.shape == (5, 28, 28) and first.dtype == np.float32 and 0 <= first.min() and first.max() <= 1
    assert all(not np.allclose(a, b) for a, b in zip(first, rng_images))
    assert np.array_equal(augment(rng_images, "none", np.random.default_rng(1)), rng_images)


def test_descriptions():
    assert Augmentation().describe() == "none"
    assert AUGMENTATIONS["shifts, rotations, sizes, strokes"].describe() == (
        "shifts up to 2 px, rotations up to 10°, sizes 0.9–1.1, stroke width ±0.5")


@pytest.mark.parametrize("kwargs, error", [({"shift": -1}, ValueError), ({"degrees": "10"}, TypeError),
                                           ({"scale": 0.5}, ValueError), ({"stroke": 2}, ValueError)])
def test_bad_ranges(kwargs, error):
    with pytest.raises(error):
        Augmentation(**kwargs)


def test_bad_arguments():
    images = np.zeros((2, 28, 28), np.float32)
    with pytest.raises(ValueError, match="one of"):
        augment(images, "flips", np.random.default_rng(0))
    with pytest.raises(TypeError, match="default_rng"):
        augment(images, "shifts", 0)
    with pytest.raises(ValueError):
        augment(images + 255, "shifts", np.random.default_rng(0))
