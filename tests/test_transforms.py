import numpy as np
import pytest

from mnist_lessons.transforms import MAX_SHIFT, add_noise, erase, perturb, rotate, shift_images


def test_shift_moves_ink_and_fills_with_zero(mnist_small):
    (x, _), _ = mnist_small
    shifted = shift_images(x[:5], down=2, right=-3)
    assert shifted.shape == x[:5].shape and shifted.dtype == np.float32
    np.testing.assert_array_equal(shifted[:, 2:, :25], x[:5, :26, 3:])
    assert not shifted[:, :2].any() and not shifted[:, :, 25:].any()
    np.testing.assert_array_equal(shift_images(x[:5]), x[:5])


def test_shift_keeps_channel_axis_and_loses_ink_past_the_edge():
    x = np.zeros((1, 28, 28, 1), np.float32)
    x[0, 0, 0, 0] = 1.0
    assert shift_images(x, down=-1).sum() == 0
    assert shift_images(x, right=5)[0, 0, 5, 0] == 1.0


def test_bad_shifts_and_images(mnist_small):
    (x, _), _ = mnist_small
    with pytest.raises(TypeError, match="down must be an int"):
        shift_images(x[:2], down=1.5)
    with pytest.raises(ValueError, match="from -27 to 27"):
        shift_images(x[:2], right=28)
    with pytest.raises(ValueError, match="single image"):
        shift_images(x[0], down=1)
    with pytest.raises(ValueError, match="0-255"):
        shift_images(x[:2] * 255, down=1)


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
    (lambda im: perturb(im, right=MAX_SHIFT + 1), "right"),
    (lambda im: rotate(im * 255, 10), r"\[0, 1\]"),
    (lambda im: rotate(im[:20], 10), "28"),
])
def test_bad_input(left_bar, call, match):
    with pytest.raises((TypeError, ValueError), match=match):
        call(left_bar)


@pytest.mark.parametrize("call", [
    lambda im: perturb(im, down=1.5), lambda im: shift_images(im[None], down=1.5), lambda im: erase(im, 1.0, 0, 3),
    lambda im: rotate(im, "ninety"), lambda im: add_noise(im, None), lambda im: perturb(im, erase_at=[1, 2]),
])
def test_a_wrong_type_is_a_type_error_everywhere(left_bar, call):
    # One rule across the package (mnist_lessons.checks): TypeError for a wrong type.
    with pytest.raises(TypeError):
        call(left_bar)


def test_perturb_rotates_about_the_image_centre_before_it_shifts(left_bar):
    turned_then_moved = shift_images(rotate(left_bar, 90)[None], right=2)[0]
    assert np.array_equal(perturb(left_bar, degrees=90.0, right=2), turned_then_moved)


def test_rotate_turns_an_off_centre_pixel_about_the_middle_of_the_image():
    # The centre is (13.5, 13.5), between the four middle pixels. Pixel (2, 5) is 11.5 rows
    # above and 8.5 columns left of it; a quarter turn counter-clockwise puts it 8.5 rows below
    # and 11.5 columns left: pixel (22, 2). (About pixel 14 it would land on (23, 2).)
    image = np.zeros((28, 28), "float32")
    image[2, 5] = 1.0
    turned = rotate(image, 90)
    assert np.argwhere(turned > 0.5).tolist() == [[22, 2]]
    assert turned.sum() == pytest.approx(1.0, abs=1e-5)
    assert np.argwhere(rotate(image, -90) > 0.5).tolist() == [[5, 25]]
    assert np.argwhere(rotate(image, 180) > 0.5).tolist() == [[25, 22]]


def test_rotate_interpolates_a_ramp_exactly_inside_the_image():
    # Bilinear interpolation reproduces a plane exactly: rotating I(r, c) = (r + 2c) / 100 gives,
    # at every output pixel whose source lies inside the image, I at the source point, which is
    # the pixel's offset from (13.5, 13.5) turned back by the angle.
    rows, cols = np.indices((28, 28), dtype=float)
    ramp = ((rows + 2 * cols) / 100).astype("float32")
    theta = np.deg2rad(30)
    y, x = rows - 13.5, cols - 13.5
    source_row = np.cos(theta) * y + np.sin(theta) * x + 13.5
    source_col = -np.sin(theta) * y + np.cos(theta) * x + 13.5
    inside = (source_row >= 0) & (source_row <= 27) & (source_col >= 0) & (source_col <= 27)
    turned = rotate(ramp, 30)
    assert turned.dtype == np.float32 and inside.sum() > 400
    np.testing.assert_allclose(turned[inside], ((source_row + 2 * source_col) / 100)[inside], atol=1e-5)


def test_rotate_brings_in_background_from_outside():
    turned = rotate(np.ones((28, 28), "float32"), 45)
    assert turned[0, 0] == 0 and turned[27, 27] == 0 and turned[0, 27] == 0 and turned[27, 0] == 0
    np.testing.assert_allclose(turned[4:24, 4:24][np.abs(np.arange(20)[:, None] - 9.5)
                                                   + np.abs(np.arange(20) - 9.5) < 9], 1, atol=1e-6)
    assert rotate(np.ones((28, 28), "float32"), -180).min() == pytest.approx(1, abs=1e-6)


def test_shifts_up_to_27_pixels_each_way():
    x = np.zeros((1, 28, 28), "float32")
    x[0, 0, 0] = 1.0
    assert np.argwhere(shift_images(x, down=27, right=27)[0]).tolist() == [[27, 27]]
    x[0, 0, 0], x[0, 27, 27] = 0.0, 1.0
    assert np.argwhere(shift_images(x, down=-27, right=-27)[0]).tolist() == [[0, 0]]
    assert np.argwhere(shift_images(x, down=-1)[0]).tolist() == [[26, 27]]
    for down in (28, -28):
        with pytest.raises(ValueError, match=r"^down must be an int from -27 to 27"):
            shift_images(x, down=down)


def test_erase_noise_and_perturb_at_the_limits_of_their_arguments():
    ones = np.ones((28, 28), "float32")
    assert (erase(ones, 24, 20, 4) == 0).sum() == 16 and erase(ones, 24, 20, 4)[24:, 20:24].max() == 0
    assert erase(ones, 0, 0, 28).max() == 0 and erase(ones, 28, 28, 28).min() == 1
    grey = np.full((28, 28), 0.5, "float32")
    noisy = add_noise(grey, 0.1, seed=3)
    assert 0.09 < noisy.std() < 0.11 and abs(noisy.mean() - 0.5) < 0.02
    assert add_noise(grey, 1.0).std() > 0.3
    np.testing.assert_array_equal(perturb(grey, noise=0.1, seed=3), noisy)
    for call, match in [(lambda: add_noise(grey, 0.1, seed=-1), r"^seed must be an int of at least 0"),
                        (lambda: erase(grey, 0, 29, 1), r"^col must be an int from 0 to 28"),
                        (lambda: erase(grey, 0, 0, 29), r"^size must be an int from 0 to 28"),
                        (lambda: perturb(grey, degrees=-181), r"^degrees must be"),
                        (lambda: perturb(grey, noise=1.5), r"^noise must be"),
                        (lambda: perturb(grey, erase_size=29), r"^erase_size must be an int from 0 to 28"),
                        (lambda: perturb(grey, erase_at=(0, 29)), r"erase_at"),
                        (lambda: perturb(grey, down=-11), r"^down must be an int from -10 to 10")]:
        with pytest.raises(ValueError, match=match):
            call()


def test_perturb_applies_each_change_alone_and_erases_before_the_noise():
    image = np.zeros((28, 28), "float32")
    image[10:14, 10:14] = 1.0
    assert np.argwhere(perturb(image, down=2)).min(axis=0).tolist() == [12, 10]
    assert np.argwhere(perturb(image, right=-3)).min(axis=0).tolist() == [10, 7]
    assert np.array_equal(perturb(image, degrees=90.0), rotate(image, 90))
    erased = perturb(image, erase_size=2)                       # at (10, 10) unless told
    assert erased[10:12, 10:12].max() == 0 and erased.sum() == 12
    assert perturb(image, erase_size=2, erase_at=(12, 12))[12:14, 12:14].max() == 0
    both = perturb(image, erase_size=4, erase_at=(10, 10), noise=0.2, seed=1)
    np.testing.assert_array_equal(both, add_noise(erase(image, 10, 10, 4), 0.2, seed=1))


def test_noise_is_added_from_the_seeded_generator_with_seed_0_by_default():
    grey = np.full((28, 28), 0.5, "float32")
    expected = np.clip(grey + np.random.default_rng(3).normal(0, 0.1, (28, 28)), 0, 1)
    np.testing.assert_allclose(add_noise(grey, 0.1, seed=3), expected, atol=1e-7)
    np.testing.assert_array_equal(add_noise(grey, 0.1), add_noise(grey, 0.1, seed=0))
    np.testing.assert_array_equal(perturb(grey, noise=0.1), add_noise(grey, 0.1, seed=0))
    with pytest.raises(ValueError, match=r"^level must be a finite number in \[0, 1\]; got -0.1"):
        add_noise(grey, -0.1)
    with pytest.raises(ValueError, match=r"^row must be an int from 0 to 28"):
        erase(grey, 29, 0, 1)
