import numpy as np
import pytest

from mnist_lessons.shifts import shift_images


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
    with pytest.raises(ValueError, match="between -27 and 27"):
        shift_images(x[:2], right=28)
    with pytest.raises(ValueError, match="single image"):
        shift_images(x[0], down=1)
    with pytest.raises(ValueError, match="0-255"):
        shift_images(x[:2] * 255, down=1)
