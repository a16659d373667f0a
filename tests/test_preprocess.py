import numpy as np
import pytest

from mnist_lessons.drawing import draw_strokes
from mnist_lessons.preprocess import centre_of_mass, to_mnist_format


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


def test_a_lopsided_digit_is_never_cut_off():
    lopsided = np.zeros((1, 20, 20), "float32")
    lopsided[0, :, 0] = 1.0                                      # a vertical line ...
    lopsided[0, 0, :] = 1.0                                      # ... and a horizontal one: an "L" upside down
    lopsided[0, :3, :3] = 1.0                                    # heavy corner pulls the mass up-left
    out = to_mnist_format(lopsided)[0]
    assert np.isclose(out.sum(), to_mnist_format(lopsided)[0].sum())
    assert _ink_box(out) == (20, 20)


@pytest.mark.parametrize("images, error, match", [
    (np.zeros((1, 8, 8), "uint8"), TypeError, "Divide integer pixels"),
    (np.zeros((8, 8), "float32"), ValueError, r"image\[np.newaxis\]"),
    (np.full((1, 8, 8), 16.0), ValueError, r"\[0, 1\]"),
    (np.full((1, 8, 8), -1.0), ValueError, "1 - images"),
    (np.full((1, 8, 8), np.nan), ValueError, r"\[0, 1\]"),
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
