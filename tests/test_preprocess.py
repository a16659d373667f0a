import numpy as np
import pytest

from mnist_lessons.drawing import draw_strokes
from mnist_lessons.preprocess import (
    _whole_pixels,
    centre_of_mass,
    preparation_steps,
    resize,
    resize_weights,
    to_mnist_format,
)


def _ink_box(image):
    rows, cols = np.nonzero(image)
    return rows.max() - rows.min() + 1, cols.max() - cols.min() + 1


def test_a_small_digit_in_a_corner_is_enlarged_and_centred():
    pad = draw_strokes([[(10, 10), (30, 10), (12, 40)]], size=200, width=6)   # a "7" in the top-left
    image = to_mnist_format(pad[None])[0]
    assert image.shape == (28, 28) and image.dtype == np.float32
    assert max(_ink_box(image)) == 20
    row, col = centre_of_mass(image)
    assert abs(row - 13.5) <= 0.5 and abs(col - 13.5) <= 0.5
    assert 0 <= image.min() and image.max() <= 1


def test_aspect_ratio_is_kept():
    bar = np.zeros((1, 100, 100), "float32")
    bar[0, 10:90, 45:55] = 1.0                                  # 80 tall, 10 wide
    height, width = _ink_box(to_mnist_format(bar)[0])
    assert height == 20 and 2 <= width <= 4                      # 10 * 20/80 = 2.5 pixels


def test_an_empty_pad_stays_blank():
    out = to_mnist_format(np.zeros((2, 50, 50), "float32"))
    assert out.shape == (2, 28, 28) and out.max() == 0


def test_a_stroke_at_the_border_and_a_drawing_that_fills_the_pad():
    border = draw_strokes([[(0, 0), (60, 0)]], size=60, width=4)
    full = np.ones((60, 60), "float32")
    out = to_mnist_format(np.stack([border, full]))
    assert _ink_box(out[0])[1] == 20 and out[0].sum() > 0        # a flat line becomes 20 wide
    assert _ink_box(out[1]) == (20, 20)
    assert np.isclose(out[1].sum(), 400, rtol=0.01)             # no ink lost


def test_mnist_digits_stay_readable(mnist_small, cnn):
    # MNIST digits were made this way already; redoing it resamples them slightly, and the shipped
    # CNN must read them about as well.

    _, (x, y) = mnist_small
    before = np.mean(cnn.predict(x[..., None], verbose=0).argmax(axis=1) == y)
    after = np.mean(cnn.predict(to_mnist_format(x)[..., None], verbose=0).argmax(axis=1) == y)
    assert after >= before - 0.02


@pytest.mark.parametrize("corner", ["top left", "bottom right"])
def test_a_lopsided_digit_is_never_cut_off(corner):
    lopsided = np.zeros((1, 20, 20), "float32")
    lopsided[0, :, 0] = 1.0                                      # a vertical line ...
    lopsided[0, 0, :] = 1.0                                      # ... and a horizontal one: an "L" upside down
    lopsided[0, :3, :3] = 1.0                                    # heavy corner pulls the mass up-left
    if corner == "bottom right":                                 # the same turned half a turn: pulled down-right
        lopsided = lopsided[:, ::-1, ::-1]
    out = to_mnist_format(lopsided)[0]
    # Its centre of mass is 4.56 pixels from the corner of its 20-pixel box, which starts 4 pixels from
    # the edge: centring would move it 5 pixels, and it moves only 4, to the edge, with all its ink.
    assert _ink_box(out) == (20, 20)
    assert np.isclose(out.sum(), lopsided.sum())
    rows, cols = np.nonzero(out)
    assert (rows.min(), cols.min()) == ((8, 8) if corner == "top left" else (0, 0))


@pytest.mark.parametrize("images, error, match", [
    (np.zeros((1, 8, 8), "uint8"), TypeError, r"^images must be floats.*uint8\. Divide integer.*8×8 digits\)\.$"),
    (np.zeros((8, 8), "float32"), ValueError, r"got shape \(8, 8\)\. For one image, pass image\[np.newaxis\]"),
    (np.zeros((1, 0, 5), "float32"), ValueError, r"got shape \(1, 0, 5\)"),
    (np.zeros((1, 5, 0), "float32"), ValueError, r"got shape \(1, 5, 0\)"),
    (np.full((1, 8, 8), 16.0), ValueError, r"^images must hold values in \[0, 1\] \(ink high.* from 16 to 16\."),
    (np.full((1, 8, 8), 1.5), ValueError, r"from 1\.5 to 1\.5"),
    (np.full((1, 8, 8), -1.0), ValueError, r"from -1 to -1\. .*light background, use 1 - images\.$"),
    (np.full((1, 8, 8), np.nan), ValueError, r"^images must hold values in \[0, 1\]; .*contain NaN or infinity\.$"),
])
def test_bad_input(images, error, match):
    with pytest.raises(error, match=match):
        to_mnist_format(images)


def test_preparation_steps_end_in_to_mnist_format():
    from mnist_lessons.preprocess import preparation_steps

    pad = draw_strokes([[(10, 10), (30, 10), (12, 40)]], size=100, width=4)
    steps = preparation_steps(pad)
    assert list(steps) == ["cropped", "resized", "boxed", "centred"]
    assert max(steps["resized"].shape) == 20 and steps["boxed"].shape == (28, 28)
    np.testing.assert_array_equal(steps["centred"], to_mnist_format(pad[None])[0])
    assert preparation_steps(np.zeros((5, 5), "float32"))["centred"].max() == 0


def test_resize_weights_enlarge_like_bilinear_and_keep_equal_sizes():
    # Enlarging 2 pixels to 4: output centres at 0.25, 0.75, 1.25, 1.75 input pixels, a triangle one
    # pixel wide, and the border pixels copied.
    weights = resize_weights(2, 4)
    assert weights.dtype == np.float32
    np.testing.assert_allclose(weights, [[1, 0], [0.75, 0.25], [0.25, 0.75], [0, 1]])
    np.testing.assert_array_equal(resize_weights(3, 3), np.eye(3))


def test_resize_of_any_float_image_is_float32():
    image = np.array([[0.0, 1.0]])                               # float64
    out = resize(image, 1, 4)
    assert out.dtype == np.float32
    np.testing.assert_allclose(out, [[0, 0.25, 0.75, 1]])


def test_a_one_pixel_line_stays_one_pixel_thin():
    # 1 x 100 scaled to 20 pixels long would be 0.2 pixel thick: it keeps one row (or column).
    line = np.ones((1, 1, 100), "float32")
    assert _ink_box(to_mnist_format(line)[0]) == (1, 20)
    assert _ink_box(to_mnist_format(line.transpose(0, 2, 1))[0]) == (20, 1)


def test_a_faint_digit_is_placed_like_a_dark_one():
    pad = draw_strokes([[(10, 10), (30, 10), (12, 40)]], size=100, width=4)
    dark = to_mnist_format(pad[None])[0]
    faint = to_mnist_format(pad[None] * 0.001)[0]                # its ink sums to less than 1
    assert faint.sum() < 1
    np.testing.assert_allclose(faint, dark * 0.001, rtol=1e-3, atol=1e-9)


def test_ink_too_faint_to_survive_resizing_leaves_a_blank_image():
    # Two pixels of float32's smallest positive value, 100 pixels apart: shrunk 5 times, each output
    # pixel is a fifth of it, which rounds to 0. Nothing is left to centre.
    pad = np.zeros((1, 1, 100), "float32")
    pad[0, 0, [0, -1]] = np.nextafter(np.float32(0), np.float32(1))
    out = to_mnist_format(pad)
    assert out.shape == (1, 28, 28) and out.dtype == np.float32 and out.max() == 0


def test_preparation_steps_box_the_resized_digit_in_the_middle():
    bar = np.zeros((60, 60))                                     # float64
    bar[10:50, 20:30] = 1.0                                      # 40 tall, 10 wide -> 20 x 5
    steps = preparation_steps(bar)
    assert all(step.dtype == np.float32 for step in steps.values())
    assert steps["cropped"].shape == (40, 10) and steps["resized"].shape == (20, 5)
    rows, cols = np.nonzero(steps["boxed"])
    assert (rows.min(), rows.max(), cols.min(), cols.max()) == (4, 23, 11, 15)      # (28 - 20) // 2, (28 - 5) // 2


def test_an_empty_image_and_an_empty_batch():
    steps = preparation_steps(np.zeros((5, 5)))
    assert list(steps) == ["cropped", "resized", "boxed", "centred"]
    assert steps["cropped"].shape == steps["resized"].shape == (0, 0)
    assert all(step.dtype == np.float32 for step in steps.values())
    assert steps["boxed"].shape == steps["centred"].shape == (28, 28) and steps["centred"].max() == 0
    assert to_mnist_format(np.zeros((1, 5, 5))).dtype == np.float32
    empty = to_mnist_format(np.zeros((0, 5, 5)))
    assert empty.shape == (0, 28, 28) and empty.dtype == np.float32


def test_whole_pixels_round_half_a_pixel_to_even_even_a_little_off():
    # 1.4999996 is a half to a millionth (the sums' last bits): it goes to the even 2, as 2.5000004 does.
    assert [_whole_pixels(d) for d in (1.4999996, 2.5000004, 0.4999996, 2.6, -1.5)] == [2, 2, 0, 3, -2]
