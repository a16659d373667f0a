import numpy as np
import pytest

from mnist_lessons.permutation import permute_pixels, pixel_permutation


def test_permutation_is_fixed_and_complete():
    first, again, other = pixel_permutation(), pixel_permutation(), pixel_permutation(seed=1)
    np.testing.assert_array_equal(first, again)
    assert sorted(first) == list(range(784))
    assert not np.array_equal(first, other)


def test_permute_pixels_moves_pixels_and_keeps_them(mnist_small):
    (x, _), _ = mnist_small
    permutation = pixel_permutation()
    scrambled = permute_pixels(x[:10], permutation)
    assert scrambled.shape == (10, 28, 28) and scrambled.dtype == np.float32
    np.testing.assert_array_equal(scrambled.reshape(10, 784), x[:10].reshape(10, 784)[:, permutation])
    np.testing.assert_array_equal(np.sort(scrambled.reshape(10, -1)), np.sort(x[:10].reshape(10, -1)))
    inverse = np.argsort(permutation)
    np.testing.assert_array_equal(permute_pixels(scrambled, inverse), x[:10])
    with_channel = permute_pixels(x[:10, ..., None], permutation)
    assert with_channel.shape == (10, 28, 28, 1)


def test_bad_permutation(mnist_small):
    (x, _), _ = mnist_small
    with pytest.raises(ValueError, match="reordering of the 784 pixel positions"):
        permute_pixels(x[:2], np.arange(783))
    with pytest.raises(ValueError, match="reordering"):
        permute_pixels(x[:2], np.zeros(784, int))
    with pytest.raises(ValueError, match="reordering"):
        permute_pixels(x[:2], np.arange(784.0))


def test_bad_images_and_seed(mnist_small):
    (x, _), _ = mnist_small
    with pytest.raises(ValueError, match="single image"):
        permute_pixels(x[0], pixel_permutation())
    with pytest.raises(ValueError, match="0-255"):
        permute_pixels(x[:2] * 255, pixel_permutation())
    with pytest.raises(TypeError, match="seed must be an int"):
        pixel_permutation(seed="zero")


def test_small_permutations_and_the_limits_of_seed_and_size():
    assert sorted(pixel_permutation(size=2).tolist()) == [0, 1]            # the smallest size allowed
    assert sorted(pixel_permutation(seed=0, size=5).tolist()) == [0, 1, 2, 3, 4]
    with pytest.raises(ValueError, match=r"^size must be an int of at least 2; got 1"):
        pixel_permutation(size=1)
    with pytest.raises(ValueError, match=r"^seed must be an int of at least 0; got -1"):
        pixel_permutation(seed=-1)


def test_a_single_image_is_not_a_batch():
    image = np.zeros((28, 28), "float32")
    with pytest.raises(ValueError, match="single image"):
        permute_pixels(image, pixel_permutation())
    with pytest.raises(ValueError, match=r"^permutation must be a reordering of the 784 pixel positions"):
        permute_pixels(image[None], np.arange(783))
