import os
import subprocess
import sys
import textwrap
import zipfile

import numpy as np
import pytest

from mnist_lessons import data
from mnist_lessons.data import MnistDataError, load_mnist


def test_real_split_shapes_and_dtypes():
    (x_train, y_train), (x_test, y_test) = load_mnist()
    assert x_train.shape == (60_000, 28, 28) and x_train.dtype == np.uint8
    assert x_test.shape == (10_000, 28, 28) and x_test.dtype == np.uint8
    assert y_train.shape == (60_000,) and y_test.shape == (10_000,)
    assert set(np.unique(y_train)) == set(range(10)) == set(np.unique(y_test))
    assert x_train.max() == 255 and x_train.min() == 0


def test_real_data_is_mnist():
    # Known facts about MNIST: the first training label is 5 and the first test label is 7.
    (_, y_train), (_, y_test) = load_mnist()
    assert y_train[0] == 5 and y_test[0] == 7
    assert np.bincount(y_train).tolist() == [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949]


def test_scale_and_channel_axis():
    (x_train, _), (x_test, _) = load_mnist(scale=True, channel_axis=True)
    raw_train = load_mnist()[0][0]
    assert x_train.dtype == np.float32 and x_train.shape == (60_000, 28, 28, 1)
    assert x_test.shape == (10_000, 28, 28, 1)
    assert 0.0 == x_train.min() and x_train.max() == 1.0
    np.testing.assert_array_equal(x_train[..., 0], raw_train / np.float32(255))


def test_subset_is_deterministic_and_ordered():
    first = load_mnist(n_train=100, n_test=50)
    second = load_mnist(n_train=100, n_test=50)
    (x_train, y_train), (x_test, y_test) = first
    assert x_train.shape == (100, 28, 28) and x_test.shape == (50, 28, 28)
    np.testing.assert_array_equal(x_train, second[0][0])
    np.testing.assert_array_equal(y_test, second[1][1])
    other = load_mnist(n_train=100, seed=1)[0][1]
    assert not np.array_equal(y_train, other)


def test_loaded_once_per_process():
    load_mnist()
    before = data._load_arrays.cache_info()
    load_mnist(scale=True)
    after = data._load_arrays.cache_info()
    assert after.misses == before.misses and after.hits == before.hits + 1


def test_returned_arrays_do_not_share_the_cache():
    (x_train, _), _ = load_mnist()
    x_train[0] = 0
    assert load_mnist()[0][0][0].max() == 255


@pytest.mark.parametrize(
    "kwargs, error",
    [
        ({"scale": 1}, TypeError),
        ({"channel_axis": "yes"}, TypeError),
        ({"n_train": 0}, ValueError),
        ({"n_test": 10_001}, ValueError),
        ({"n_train": 2.5}, TypeError),
        ({"seed": "x", "n_train": 5}, TypeError),
        ({"seed": -1, "n_train": 5}, ValueError),   # the right type, a bad value
    ],
)
def test_bad_arguments(kwargs, error):
    with pytest.raises(error, match=next(iter(kwargs)) if "seed" not in kwargs else "seed"):
        load_mnist(**kwargs)


def _load_from(path, monkeypatch):
    monkeypatch.setenv(data.ENV_VAR, str(path))
    return load_mnist()


def assert_names_the_fix(message):
    assert "Set MNIST_LESSONS_DATA to the path of a Keras-layout mnist.npz" in message
    assert "or unset MNIST_LESSONS_DATA to download MNIST" in message


@pytest.mark.usefixtures("fresh_data_cache")
class TestBadFiles:
    def test_missing_file(self, tmp_path, monkeypatch):
        path = tmp_path / "nowhere.npz"
        with pytest.raises(MnistDataError, match=r"nowhere\.npz.*no such file") as error:
            _load_from(path, monkeypatch)
        assert_names_the_fix(str(error.value))

    def test_directory(self, tmp_path, monkeypatch):
        with pytest.raises(MnistDataError, match="is a directory"):
            _load_from(tmp_path, monkeypatch)

    def test_truncated_file(self, write_npz, monkeypatch):
        path = write_npz()
        path.write_bytes(path.read_bytes()[: 1_000_000])
        with pytest.raises(MnistDataError, match=r"could not be read as an \.npz.*truncated"):
            _load_from(path, monkeypatch)

    def test_not_an_npz(self, tmp_path, monkeypatch):
        path = tmp_path / "mnist.npz"
        path.write_text("hello")
        with pytest.raises(MnistDataError, match=r"could not be read as an \.npz"):
            _load_from(path, monkeypatch)

    def test_random_bytes(self, tmp_path, monkeypatch):
        path = tmp_path / "mnist.npz"
        path.write_bytes(np.random.default_rng(0).integers(0, 256, 5_000, np.uint8).tobytes())
        with pytest.raises(MnistDataError) as error:
            _load_from(path, monkeypatch)
        message = str(error.value)
        assert "could not be read as an .npz archive: it is not a zip file" in message
        assert "allow_pickle" not in message  # numpy's advice for pickles would mislead here
        assert_names_the_fix(message)

    def test_single_npy_file(self, tmp_path, monkeypatch):
        path = tmp_path / "mnist.npz"
        with open(path, "wb") as file:
            np.save(file, np.zeros((10, 28, 28), np.uint8))
        with pytest.raises(MnistDataError, match="it is not a zip file.*a single .npy"):
            _load_from(path, monkeypatch)

    def test_corrupt_compressed_member(self, write_npz, tmp_path, monkeypatch):
        path = tmp_path / "compressed.npz"
        with np.load(write_npz()) as arrays:
            np.savez_compressed(path, **arrays)
        damaged = bytearray(path.read_bytes())
        damaged[1_000:50_000:7] = bytes(len(damaged[1_000:50_000:7]))  # the zip index stays intact
        path.write_bytes(bytes(damaged))
        with pytest.raises(MnistDataError) as error:
            _load_from(path, monkeypatch)
        message = str(error.value)
        assert "could not be read as an .npz archive; it may be truncated, corrupt" in message
        assert_names_the_fix(message)

    def test_member_that_is_not_an_array(self, tmp_path, monkeypatch):
        path = tmp_path / "mnist.npz"
        with zipfile.ZipFile(path, "w") as archive:
            for key in data.EXPECTED_ARRAYS:
                archive.writestr(key, b"not a .npy file")
        with pytest.raises(MnistDataError, match=r"entries \['x_train', 'y_train', 'x_test', "
                                                 r"'y_test'\] are not NumPy arrays"):
            _load_from(path, monkeypatch)

    def test_missing_key(self, write_npz, monkeypatch):
        with pytest.raises(MnistDataError, match=r"lacks \['y_test'\]"):
            _load_from(write_npz(y_test=None), monkeypatch)

    def test_wrong_shape(self, write_npz, monkeypatch):
        x_test = np.zeros((10_000, 32, 32), np.uint8)
        with pytest.raises(MnistDataError, match=r"'x_test' has shape \(10000, 32, 32\)"):
            _load_from(write_npz(x_test=x_test), monkeypatch)

    def test_wrong_dtype(self, write_npz, monkeypatch):
        x_train = np.zeros((60_000, 28, 28), np.float32)
        with pytest.raises(MnistDataError, match="dtype float32"):
            _load_from(write_npz(x_train=x_train), monkeypatch)

    def test_label_count_differs_from_image_count(self, write_npz, monkeypatch):
        y_train = np.zeros(59_999, np.uint8)
        with pytest.raises(MnistDataError) as error:
            _load_from(write_npz(y_train=y_train), monkeypatch)
        message = str(error.value)
        assert "'y_train' has shape (59999,) and dtype uint8; MNIST has shape (60000,)" in message
        assert_names_the_fix(message)

    def test_labels_out_of_range(self, write_npz, monkeypatch):
        y_train = np.full(60_000, 10, np.uint8)
        with pytest.raises(MnistDataError, match="labels in 'y_train' go up to 10"):
            _load_from(write_npz(y_train=y_train), monkeypatch)

    def test_pickled_objects_are_refused(self, write_npz, monkeypatch):
        y_test = np.array([object()] * 10_000, dtype=object)
        with pytest.raises(MnistDataError, match=r"could not be read as an \.npz"):
            _load_from(write_npz(y_test=y_test), monkeypatch)

    def test_valid_file_is_used(self, write_npz, monkeypatch):
        y_test = np.full(10_000, 3, np.uint8)
        (_, _), (_, loaded) = _load_from(write_npz(y_test=y_test), monkeypatch)
        assert (loaded == 3).all()


def test_no_variable_and_no_network_gives_one_clear_error(tmp_path):
    # A fresh process with an empty Keras cache and every socket connection refused.
    script = textwrap.dedent(
        """
        import socket
        def refuse(*args, **kwargs):
            raise OSError("network switched off by the test")
        socket.socket.connect = refuse
        socket.create_connection = refuse
        socket.getaddrinfo = refuse
        from mnist_lessons import load_mnist
        load_mnist()
        """
    )
    env = {k: v for k, v in os.environ.items() if k != data.ENV_VAR}
    env.update(HOME=str(tmp_path), KERAS_HOME=str(tmp_path / "keras"))
    result = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True,
                            text=True, timeout=300)
    assert result.returncode == 1
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith("mnist_lessons.data.MnistDataError: MNIST_LESSONS_DATA is not set")
    assert str(tmp_path / "keras" / "datasets" / "mnist.npz") in last
    assert "set MNIST_LESSONS_DATA=/path/to/mnist.npz" in last
    # The clear error last, raised from Keras' own, which stays in the traceback for whoever debugs.
    assert "The above exception was the direct cause of the following exception" in result.stderr


def test_sample_per_class_is_balanced_and_reproducible():
    labels = np.repeat(np.arange(10), 50)
    picked = data.sample_per_class(labels, 7, seed=3)
    assert np.array_equal(np.bincount(labels[picked], minlength=10), np.full(10, 7))
    assert np.array_equal(picked, data.sample_per_class(labels, 7, seed=3))
    assert not np.array_equal(picked, data.sample_per_class(labels, 7, seed=4))
    assert np.all(np.diff(picked) > 0)
    only = data.sample_per_class(labels, 5, classes=[5, 6, 7, 8, 9])
    assert set(labels[only]) == {5, 6, 7, 8, 9} and len(only) == 25


def test_sample_per_class_bad_input():
    with pytest.raises(ValueError, match="class 1 has only 1 examples"):
        data.sample_per_class([0, 0, 1], 2)
    with pytest.raises(ValueError, match="n_per_class must be an int of at least 1; got 0"):
        data.sample_per_class([0, 1], 0)
    with pytest.raises(TypeError, match="must be an int"):
        data.sample_per_class([0, 1], 1.0)
    with pytest.raises(ValueError, match="repeat"):
        data.sample_per_class([0, 1], 1, classes=[0, 0])
    with pytest.raises(TypeError, match="integer classes"):
        data.sample_per_class([0.5, 1.0], 1)
