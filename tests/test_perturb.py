import numpy as np
import pytest

from mnist_lessons.perturb import add_noise, erase, perturb, rotate


@pytest.fixture
def left_bar():
    image = np.zeros((28, 28), "float32")
    image[4:20, 6] = 1.0
    return image


def test_rotate_counter_clockwise(left_bar):
    turned = rotate(left_bar, 90)
    rows, cols = np.nonzero(turned > 0.5)
    assert rows.min() >= 19 and cols.max() - cols.min() >= 14          # the left bar is now at the bottom
    np.testing.assert_allclose(rotate(left_bar, 0), left_bar)
    np.testing.assert_allclose(rotate(rotate(left_bar, 90), -90), left_bar, atol=1e-5)


def test_noise_is_seeded_and_clipped(left_bar):
    noisy = add_noise(left_bar, 0.5, seed=1)
    assert noisy.min() >= 0 and noisy.max() <= 1
    np.testing.assert_array_equal(noisy, add_noise(left_bar, 0.5, seed=1))
    np.testing.assert_array_equal(add_noise(left_bar, 0.0), left_bar)


def test_erase_and_perturb_leave_the_input_unchanged(left_bar):
    before = left_bar.copy()
    assert erase(left_bar, 4, 4, 16).max() == 0 and erase(left_bar, 4, 4, 10).max() == 1
    shifted = perturb(left_bar, right=3, down=-2)
    np.testing.assert_array_equal(shifted[2:18, 9], np.ones(16))
    np.testing.assert_array_equal(left_bar, before)
    np.testing.assert_array_equal(perturb(left_bar), left_bar)


@pytest.mark.parametrize("call, match", [
    (lambda im: rotate(im, 400), "degrees"),
    (lambda im: add_noise(im, 2), "level"),
    (lambda im: erase(im, -1, 0, 3), "row"),
    (lambda im: perturb(im, right=11), "right"),
    (lambda im: perturb(im, down=1.5), "down"),
    (lambda im: rotate(im * 255, 10), r"\[0, 1\]"),
    (lambda im: rotate(im[:20], 10), "28"),
])
def test_bad_input(left_bar, call, match):
    with pytest.raises((TypeError, ValueError), match=match):
        call(left_bar)
