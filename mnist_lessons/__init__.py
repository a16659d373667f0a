"""Helpers for the mnist-lessons book: real MNIST data, the book's models with trained
weights, reproducible training, and the figures the chapters share.

Importing the package is cheap: it checks the Python, TensorFlow and Keras versions
(``mnist_lessons.versions``) without importing TensorFlow. TensorFlow is imported when
something that needs it is first used, for example ``pretrained("cnn")``. A notebook
that must keep its stderr reproducible calls ``import_tensorflow_quietly()`` first
(``mnist_lessons.quiet``), before it imports Keras.

"Where things live" in the README maps each idea to its module.
"""

import importlib

from mnist_lessons import versions

# Before TensorFlow is imported: an unsupported version would fail there with an obscure error.
versions.check_versions(*versions.installed_versions())

# The one source of the version (pyproject.toml reads it). Its tag, v + this, is what every
# notebook's Colab cell installs and what _config.yml's repository.branch names.
__version__ = "0.2.0"

# The names the chapters use most, loaded from their modules on first use (PEP 562), so that
# `import mnist_lessons` does not import TensorFlow.
_LAZY = {
    "MnistDataError": "mnist_lessons.data",
    "load_mnist": "mnist_lessons.data",
    "WeightsError": "mnist_lessons.models",
    "build_cnn": "mnist_lessons.models",
    "build_mlp": "mnist_lessons.models",
    "pretrained": "mnist_lessons.models",
    "import_tensorflow_quietly": "mnist_lessons.quiet",
}

__all__ = sorted(_LAZY)


def __getattr__(name):
    if name in _LAZY:
        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value          # later lookups skip this function
        return value
    raise AttributeError(f"module 'mnist_lessons' has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(_LAZY))
