"""Regenerate the shipped weight files from scratch: ``python -m mnist_lessons.train``.

Trains every shipped model by its recipe (``mnist_lessons.training.RECIPES``)
on the full 60,000 training digits, saves it to ``mnist_lessons/weights/`` (or
``--output-dir``), and prints its test accuracy and training time.
"""

import argparse
import os
import sys

import numpy as np

from mnist_lessons.data import load_mnist
from mnist_lessons.models import BUILDERS, SHIPPED
from mnist_lessons.training import RECIPES, train_recipe

import keras  # noqa: E402  (imported quietly by the modules above)


def save_for_shipping(model, name, directory):
    """Save a trained model's architecture and weights as ``directory/name.keras``.

    The file holds an uncompiled copy: no optimizer state (which would triple
    its size) and no training loss; ``pretrained`` compiles it on loading.
    """
    clean = BUILDERS[RECIPES[name].model]()
    clean.set_weights(model.get_weights())
    path = os.path.join(directory, f"{name}.keras")
    clean.save(path)
    return path


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m mnist_lessons.train", description=__doc__.split("\n")[0])
    parser.add_argument("--only", nargs="+", choices=SHIPPED, default=list(SHIPPED),
                        help="train only these models (default: all shipped models)")
    parser.add_argument("--output-dir", default=os.path.join(os.path.dirname(__file__), "weights"),
                        help="where to write NAME.keras (default: the package's weights/ folder)")
    args = parser.parse_args(argv)
    os.makedirs(args.output_dir, exist_ok=True)
    for name in args.only:
        recipe = RECIPES[name]
        print(f"{name}: {recipe.describe()}", flush=True)
        model, _, seconds = train_recipe(name, log_epochs=True)
        _, (x_test, y_test) = load_mnist(scale=True, channel_axis=recipe.model == "cnn")
        predicted = model.predict(x_test, verbose=0, batch_size=1000).argmax(axis=1)
        accuracy = float(np.mean(predicted == y_test))
        path = save_for_shipping(model, name, args.output_dir)
        print(f"{name}: test accuracy {accuracy:.4f}, trained in {seconds:.1f} s, saved {path}",
              flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
