"""Load the real MNIST digits, checked, once per process.

The arrays come from the ``.npz`` file named by the environment variable
``MNIST_LESSONS_DATA`` when it is set (for offline machines), otherwise from
``keras.datasets.mnist.load_data()``, which downloads and caches the file.
"""

import functools
import os
import zipfile
import zlib

import numpy as np

from mnist_lessons.checks import check_bool, check_int
from mnist_lessons.constants import IMAGE_SHAPE, N_TEST, N_TRAIN, PIXEL_MAX

ENV_VAR = "MNIST_LESSONS_DATA"

# Keras' file layout: key -> (shape, dtype).
EXPECTED_ARRAYS = {
    "x_train": ((N_TRAIN,) + IMAGE_SHAPE, np.uint8),
    "y_train": ((N_TRAIN,), np.uint8),
    "x_test": ((N_TEST,) + IMAGE_SHAPE, np.uint8),
    "y_test": ((N_TEST,), np.uint8),
}

_FIX = (
    f"Set {ENV_VAR} to the path of a Keras-layout mnist.npz (arrays x_train, "
    f"y_train, x_test, y_test), or unset {ENV_VAR} to download MNIST with "
    "keras.datasets.mnist.load_data() (needs internet once)."
)


class MnistDataError(RuntimeError):
    """MNIST could not be loaded; the message names the source and the fix."""


def load_mnist(*, scale=False, channel_axis=False, n_train=None, n_test=None, seed=0):
    """Return the MNIST training and test digits.

    Parameters
    ----------
    scale : bool, default=False
        If True, return pixels as float32 in [0, 1] (divided by 255).
        If False, return the original uint8 values in 0..255.
    channel_axis : bool, default=False
        If True, images have shape ``(n, 28, 28, 1)`` as ``Conv2D`` expects;
        otherwise ``(n, 28, 28)``.
    n_train, n_test : int or None, default=None
        Return a deterministic subset of this many digits from each split
        (None: the whole split of 60,000 or 10,000). The subset is drawn with
        ``seed`` and keeps the original order, so it is the same on every call.
    seed : int, default=0
        Seed for choosing the subset; ignored when no subset is asked for.

    Returns
    -------
    (x_train, y_train), (x_test, y_test) : tuple of tuple of numpy.ndarray
        Images and integer labels 0..9 (uint8), in Keras' layout.

    Raises
    ------
    MnistDataError
        If the data file is missing, unreadable or not MNIST, or if there is no
        file and the download fails. The message says how to fix it.
    ValueError, TypeError
        If an argument is out of range or of the wrong type.

    Examples
    --------
    >>> (x_train, y_train), (x_test, y_test) = load_mnist(scale=True)
    >>> x_train.shape, x_train.dtype
    ((60000, 28, 28), dtype('float32'))
    """
    scale = check_bool(scale, "scale")
    channel_axis = check_bool(channel_axis, "channel_axis")
    seed = check_int(seed, "seed", low=0)
    arrays = _load_arrays(os.environ.get(ENV_VAR) or None)
    (x_train, y_train), (x_test, y_test) = (
        _subset(arrays["x_train"], arrays["y_train"], n_train, "n_train", seed),
        _subset(arrays["x_test"], arrays["y_test"], n_test, "n_test", seed),
    )
    if scale:
        x_train = x_train.astype(np.float32) / PIXEL_MAX
        x_test = x_test.astype(np.float32) / PIXEL_MAX
    if channel_axis:
        x_train, x_test = x_train[..., np.newaxis], x_test[..., np.newaxis]
    return (x_train, y_train), (x_test, y_test)


def _subset(images, labels, n, name, seed):
    total = len(labels)
    if n is None:
        # Copies, so that a caller who edits the arrays cannot change the cache.
        return images.copy(), labels.copy()
    n = check_int(n, name, low=1, high=total, hint="Pass None for the whole split.")
    rng = np.random.default_rng(seed)
    index = np.sort(rng.permutation(total)[:n])
    return images[index], labels[index]


@functools.lru_cache(maxsize=None)
def _load_arrays(path):
    """Read and check the four arrays; cached per source for the process."""
    if path is None:
        arrays = _download_with_keras()
        source = "keras.datasets.mnist.load_data()"
    else:
        arrays = _read_npz(path)
        source = f"{path} (from {ENV_VAR})"
    _validate(arrays, source)
    for array in arrays.values():
        array.setflags(write=False)
    return arrays


def _read_npz(path):
    if not os.path.isfile(path):
        what = "a directory" if os.path.isdir(path) else "no such file"
        raise MnistDataError(f"{ENV_VAR} points to {path!r}, but that is {what}. {_FIX}")
    # Checked first because np.load reads any other file as a single .npy or a pickle, and its
    # errors about those (such as advice to allow pickles) would mislead here.
    if not zipfile.is_zipfile(path):
        raise MnistDataError(
            f"{path!r} (from {ENV_VAR}) could not be read as an .npz archive: it is not a zip "
            "file, so it may be truncated (an interrupted download) or another format, such as "
            f"a single .npy or a pickle. {_FIX}"
        )
    try:
        with np.load(path, allow_pickle=False) as archive:
            missing = sorted(set(EXPECTED_ARRAYS) - set(archive.files))
            if missing:
                raise MnistDataError(
                    f"{path!r} (from {ENV_VAR}) is not MNIST in Keras' layout: it has "
                    f"arrays {sorted(archive.files)} but lacks {missing}. {_FIX}"
                )
            arrays = {key: archive[key] for key in EXPECTED_ARRAYS}
    except MnistDataError:
        raise
    except (OSError, ValueError, EOFError, zipfile.BadZipFile, zlib.error) as exc:
        raise MnistDataError(
            f"{path!r} (from {ENV_VAR}) could not be read as an .npz archive; it may be "
            f"truncated, corrupt or not an .npz file ({type(exc).__name__}: {exc}). {_FIX}"
        ) from exc
    # np.load returns a zip member that lacks the .npy header as raw bytes, not as an array.
    not_arrays = [key for key, value in arrays.items() if not isinstance(value, np.ndarray)]
    if not_arrays:
        raise MnistDataError(
            f"{path!r} (from {ENV_VAR}) is not MNIST in Keras' layout: its entries {not_arrays} "
            f"are not NumPy arrays (.npy files inside the zip). {_FIX}"
        )
    return arrays


def _download_with_keras():
    import keras  # deferred: Keras starts TensorFlow, which is slow, and a file needs neither

    try:
        (x_train, y_train), (x_test, y_test) = keras.datasets.mnist.load_data()
    except Exception as exc:  # noqa: BLE001  Keras reports a failed download as a bare Exception
        # Where Keras caches downloads (keras_home is not public API): KERAS_HOME or ~/.keras.
        home = os.environ.get("KERAS_HOME") or os.path.join(os.path.expanduser("~"), ".keras")
        cache = os.path.join(home, "datasets", "mnist.npz")
        raise MnistDataError(
            f"{ENV_VAR} is not set and keras.datasets.mnist.load_data() could not "
            f"download MNIST to {cache!r} ({type(exc).__name__}: {exc}). Connect to the "
            f"internet, or set {ENV_VAR}=/path/to/mnist.npz to use a local copy."
        ) from exc
    return {"x_train": x_train, "y_train": y_train, "x_test": x_test, "y_test": y_test}


def _validate(arrays, source):
    for key, (shape, dtype) in EXPECTED_ARRAYS.items():
        array = arrays[key]
        if array.shape != shape or array.dtype != dtype:
            raise MnistDataError(
                f"{source}: array {key!r} has shape {array.shape} and dtype {array.dtype}; "
                f"MNIST has shape {shape} and dtype {np.dtype(dtype)}. {_FIX}"
            )
    for key in ("y_train", "y_test"):
        if arrays[key].max() > 9:
            raise MnistDataError(
                f"{source}: labels in {key!r} go up to {arrays[key].max()}; MNIST labels "
                f"are 0..9. {_FIX}"
            )
    for key in ("x_train", "x_test"):
        if arrays[key].max() == 0:
            raise MnistDataError(f"{source}: every pixel of {key!r} is 0. {_FIX}")


def sample_per_class(labels, n_per_class, *, classes=None, seed=0):
    """Pick ``n_per_class`` random examples of each class, reproducibly.

    Parameters
    ----------
    labels : array-like of int, shape (n,)
        Class labels.
    n_per_class : int
        How many examples of each class to pick.
    classes : sequence of int or None
        The classes to pick from (default: every class present in ``labels``).
    seed : int, default=0
        Seed of the random choice; the same seed gives the same examples.

    Returns
    -------
    numpy.ndarray of int
        Indices into ``labels``, sorted, ``n_per_class`` for each class.

    Raises
    ------
    TypeError, ValueError
        If ``labels`` are not integers, ``n_per_class`` is not a positive int,
        or a class has fewer than ``n_per_class`` examples (the message says
        how many it has).

    Examples
    --------
    >>> sample_per_class([0, 1, 0, 1, 0, 1], 2, seed=0).shape
    (4,)
    """
    labels = np.asarray(labels)
    if labels.ndim != 1 or not np.issubdtype(labels.dtype, np.integer):
        raise TypeError(
            f"labels must be a 1-D array of integer classes; got dtype {labels.dtype}, shape {labels.shape}.")
    n_per_class = check_int(n_per_class, "n_per_class", low=1)
    classes = np.unique(labels) if classes is None else np.asarray(classes)
    if len(np.unique(classes)) != len(classes):
        raise ValueError(f"classes must not repeat a class; got {classes.tolist()}.")
    rng = np.random.default_rng(seed)
    chosen = []
    for label in classes:
        members = np.flatnonzero(labels == label)
        if len(members) < n_per_class:
            raise ValueError(
                f"class {label} has only {len(members)} examples; cannot pick {n_per_class}. "
                "Ask for fewer per class."
            )
        chosen.append(rng.choice(members, size=n_per_class, replace=False))
    return np.sort(np.concatenate(chosen))
