"""Helpers for the mnist-lessons book: real MNIST data, the book's models with
trained weights, reproducible training, and the figures the chapters share.

Importing the package imports TensorFlow without its start-up notices (see
``mnist_lessons.quiet``), so import it before TensorFlow or Keras. Before that,
it checks the Python, TensorFlow and Keras versions (see ``mnist_lessons.versions``).
"""

from mnist_lessons import versions

# Before TensorFlow is imported: an unsupported version would fail there with an obscure error.
versions.check_versions(*versions.installed_versions())

from mnist_lessons.quiet import import_tensorflow_quietly  # noqa: E402

import_tensorflow_quietly()

from mnist_lessons.data import MnistDataError, load_mnist  # noqa: E402
from mnist_lessons.models import WeightsError, build_cnn, build_mlp, pretrained  # noqa: E402

__version__ = "0.1.0"

__all__ = ["MnistDataError", "WeightsError", "build_cnn", "build_mlp", "load_mnist", "pretrained"]
