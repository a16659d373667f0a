"""The scrambled-pixels experiment: the pixels the CNN never sees, blanking them, and its seeded training."""

import numpy as np
import pytest
import tensorflow as tf

from mnist_lessons.experiments import scrambled_pixels
from mnist_lessons.models import pretrained
from mnist_lessons.training import train_recipe


def test_unseen_pixels_are_those_no_gradient_reaches():
    # Over 16 random images, every pixel the CNN sees gets a gradient somewhere; the unseen
    # ones never do.
    cnn = pretrained("cnn")
    images = tf.constant(np.random.default_rng(0).random((16, 28, 28, 1), dtype=np.float32))
    with tf.GradientTape() as tape:
        tape.watch(images)
        total = tf.reduce_sum(cnn(images))
    reached = np.any(tape.gradient(total, images).numpy()[..., 0] != 0, axis=0)
    np.testing.assert_array_equal(~reached, scrambled_pixels.unseen_pixels())
    assert scrambled_pixels.unseen_pixels().sum() == 28 * 28 - 26 * 26 == 108


def test_blank_unseen_sets_only_those_pixels_to_0_and_leaves_its_input():
    x = np.full((3, 28, 28), 0.5, "float32")
    blanked = scrambled_pixels.blank_unseen(x)
    assert np.all(blanked[:, 26:, :] == 0) and np.all(blanked[:, :, 26:] == 0)
    assert np.all(blanked[:, :26, :26] == 0.5) and np.all(x == 0.5)
    assert scrambled_pixels.blank_unseen(x[..., None]).shape == (3, 28, 28, 1)


def test_train_model_at_seed_0_is_train_recipe(mnist_small):
    (x, y), _ = mnist_small
    x, y = x[:64], y[:64]
    ours, history = scrambled_pixels.train_model("mlp", 0, x, y)
    theirs = train_recipe("mlp", x=x, y=y)[0]
    assert all(np.array_equal(a, b) for a, b in zip(ours.get_weights(), theirs.get_weights()))
    assert len(history.history["loss"]) == 10
    with pytest.raises(ValueError, match="'mlp', 'cnn'"):
        scrambled_pixels.train_model("cnn_no_augmentation", 0, x, y)


def test_accuracy_and_run_checks():
    x = np.zeros((2, 28, 28), "float32")
    mlp = pretrained("mlp")
    predicted = mlp.predict(x, verbose=0).argmax(axis=1)
    assert scrambled_pixels.accuracy(mlp, x, predicted) == 1.0
    assert scrambled_pixels.accuracy(mlp, x, (predicted + 1) % 10) == 0.0
    with pytest.raises(ValueError, match="draw is always 0"):
        scrambled_pixels.run(0, 1)
