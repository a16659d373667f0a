import re

import keras
import numpy as np
import pytest

from mnist_lessons import training
from mnist_lessons.models import build_cnn, build_mlp
from mnist_lessons.training import RECIPES, initial_model, learning_rate_schedule, train, train_recipe


def _train_small(mnist_small, seed=0, **kwargs):
    (x_train, y_train), _ = mnist_small
    keras.utils.set_random_seed(seed)
    model = build_mlp()
    history = train(model, x_train, y_train, epochs=2, batch_size=64, seed=seed, **kwargs)
    return model, history


def test_training_is_reproducible(mnist_small):
    first, history = _train_small(mnist_small)
    second, _ = _train_small(mnist_small)
    for a, b in zip(first.get_weights(), second.get_weights()):
        np.testing.assert_array_equal(a, b)
    assert sorted(history.history) == ["accuracy", "loss"]
    assert history.history["loss"][1] < history.history["loss"][0]


def test_different_seed_gives_different_weights(mnist_small):
    first, _ = _train_small(mnist_small, seed=0)
    other, _ = _train_small(mnist_small, seed=1)
    assert not np.array_equal(first.get_weights()[0], other.get_weights()[0])


def test_epoch_log_prints_rounded_lines_without_timings(mnist_small, capsys):
    (_, _), (x_test, y_test) = mnist_small
    _, history = _train_small(mnist_small, log_epochs=True, validation_data=(x_test, y_test))
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 2
    pattern = (r"epoch [12]/2: accuracy \d\.\d{4}, loss \d\.\d{4}, "
               r"val_accuracy \d\.\d{4}, val_loss \d\.\d{4}")
    assert all(re.fullmatch(pattern, line) for line in lines), lines
    assert "val_accuracy" in history.history


def test_warmup_cosine_schedule():
    schedule = learning_rate_schedule(0.01, 1000, "warmup-cosine")
    rates = [float(schedule(step)) for step in (0, 50, 100, 550, 1000)]
    assert rates[0] == 0 and rates[1] == pytest.approx(0.005) and rates[2] == pytest.approx(0.01)
    assert rates[3] == pytest.approx(0.005, rel=1e-3) and rates[4] == pytest.approx(0, abs=1e-9)
    assert learning_rate_schedule(0.001, 10) == 0.001


@pytest.mark.parametrize("peak, steps, schedule, error, match", [
    (0, 10, "constant", ValueError, "above 0"),
    ("0.1", 10, "constant", TypeError, "must be a number"),
    (0.1, 10, "cyclic", ValueError, "schedule"),
    (0.1, 1, "warmup-cosine", ValueError, "at least 2 steps"),
    (0.1, 2.5, "constant", TypeError, "steps must be an int"),
])
def test_bad_schedule(peak, steps, schedule, error, match):
    with pytest.raises(error, match=match):
        learning_rate_schedule(peak, steps, schedule)


def test_numpy_numbers_are_accepted(mnist_small):
    (x_train, y_train), _ = mnist_small
    assert learning_rate_schedule(np.float32(0.001), np.int64(10)) == pytest.approx(0.001)
    train(build_mlp(), x_train[:64], y_train[:64], epochs=np.int64(1), batch_size=np.int64(32))


def test_train_rejects_unscaled_pixels(mnist_small):
    (x_train, y_train), _ = mnist_small
    with pytest.raises(ValueError, match="look like 0-255 pixel values"):
        train(build_mlp(), x_train * 255, y_train, epochs=1, batch_size=32)
    with pytest.raises(TypeError, match=r"scale=True"):
        train(build_mlp(), (x_train * 255).astype("uint8"), y_train, epochs=1, batch_size=32)


def test_train_rejects_missing_channel_axis(mnist_small):
    (x_train, y_train), _ = mnist_small
    with pytest.raises(ValueError, match=r"shape \(n,\) \+ \(28, 28, 1\).*channel_axis=True"):
        train(build_cnn(), x_train, y_train, epochs=1, batch_size=32)


def test_train_rejects_bad_labels_and_counts(mnist_small):
    (x_train, y_train), _ = mnist_small
    with pytest.raises(ValueError, match=r"shape \(512,\)"):
        train(build_mlp(), x_train, y_train[:10], epochs=1, batch_size=32)
    with pytest.raises(TypeError, match="one-hot"):
        train(build_mlp(), x_train, keras.utils.to_categorical(y_train, 10), epochs=1, batch_size=32)
    with pytest.raises(ValueError, match="epochs must be an int of at least 1"):
        train(build_mlp(), x_train, y_train, epochs=0, batch_size=32)
    with pytest.raises(TypeError, match="batch_size must be an int"):
        train(build_mlp(), x_train, y_train, epochs=1, batch_size=32.0)
    with pytest.raises(TypeError, match="label_smoothing must be a number"):
        train(build_mlp(), x_train, y_train, epochs=1, batch_size=32, label_smoothing="0.1")
    with pytest.raises(ValueError, match=r"label_smoothing must be a finite number in \[0, 1\)"):
        train(build_mlp(), x_train, y_train, epochs=1, batch_size=32, label_smoothing=1.0)
    with pytest.raises(TypeError, match=r"pair \(x_val, y_val\).*of length 1"):
        train(build_mlp(), x_train, y_train, epochs=1, batch_size=32, validation_data=(x_train,))
    with pytest.raises(TypeError, match="Keras model"):
        train("mlp", x_train, y_train, epochs=1, batch_size=32)


def test_recipes_and_unknown_recipe():
    assert set(RECIPES) >= {"mlp", "cnn", "example_mlp", "example_cnn"}
    assert RECIPES["example_cnn"].batch_size == 32 and RECIPES["example_cnn"].epochs == 10
    names = "'cnn', 'cnn_no_augmentation', 'example_cnn', 'example_mlp', 'mlp'"
    with pytest.raises(ValueError, match=f"name must be one of {names}; got 'res"):
        train_recipe("resnet")


def test_train_recipe_needs_both_images_and_labels(mnist_small):
    (x_train, y_train), _ = mnist_small
    with pytest.raises(ValueError, match="Give both x and y"):
        train_recipe("mlp", x=x_train)
    with pytest.raises(ValueError, match="Give both x and y"):
        train_recipe("mlp", y=y_train)


def test_train_recipe_on_given_data(mnist_small):
    (x_train, y_train), _ = mnist_small
    model, history, seconds = train_recipe("mlp", x=x_train, y=y_train)
    assert len(history.history["loss"]) == RECIPES["mlp"].epochs and seconds > 0
    assert model.count_params() == 101_770
    # Label smoothing is inside the loss, so the model evaluates on integer labels directly.
    loss, accuracy = model.evaluate(x_train, y_train, verbose=0)
    assert 0 < loss and 0.5 < accuracy <= 1


def test_initial_model_is_where_train_recipe_starts(monkeypatch):
    start = initial_model("mlp").get_weights()
    captured = {}

    def fake_train(model, x, y, **settings):
        captured["weights"] = model.get_weights()

    monkeypatch.setattr(training, "train", fake_train)
    x = np.zeros((4, 28, 28), dtype="float32")
    training.train_recipe("mlp", x=x, y=np.arange(4))
    assert all(np.array_equal(a, b) for a, b in zip(start, captured["weights"]))
    again = initial_model("mlp").get_weights()
    assert all(np.array_equal(a, b) for a, b in zip(start, again))


def test_initial_model_unknown_recipe():
    with pytest.raises(ValueError, match="name must be one of"):
        initial_model("resnet")
