"""Regenerate the shipped weight files from scratch: ``python -m mnist_lessons.regenerate_weights``.

First it chooses each shipped model's recipe on validation data, never on the test
set: every candidate of ``training.CANDIDATES`` is trained on the first 50,000
training digits and scored on the last 10,000. ``training.RECIPES`` must hold the
best (the command stops and names it otherwise). Then it trains every shipped model
by its recipe on all 60,000 training digits, saves it to ``mnist_lessons/weights/``
(or ``--output-dir``), and prints its test accuracy and training time. It also trains
the original examples' recipes (not shipped) and writes every run, and the search,
to ``training_record.json`` beside the weights, which the chapters read.
"""

import argparse
import datetime
import json
import os
import platform
import subprocess
import sys

import keras
import numpy as np
import tensorflow as tf

from mnist_lessons.data import load_mnist
from mnist_lessons.models import BUILDERS, SHIPPED
from mnist_lessons.training import CANDIDATES, RECIPES, VALIDATION_DIGITS, best_candidate, train, train_recipe


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


def _train_one(name, output_dir):
    recipe = RECIPES[name]
    print(f"{name}: {recipe.describe()}", file=sys.stderr, flush=True)
    model, _, seconds = train_recipe(name)
    _, (x_test, y_test) = load_mnist(scale=True, channel_axis=recipe.model == "cnn")
    predicted = model.predict(x_test, verbose=0, batch_size=1000).argmax(axis=1)
    accuracy = float(np.mean(predicted == y_test))
    saved = ""
    if name in SHIPPED:
        saved = ", saved " + save_for_shipping(model, name, output_dir)
    print(f"{name}: test accuracy {accuracy:.4f}, trained in {seconds:.1f} s{saved}", file=sys.stderr,
          flush=True)
    return {"recipe": recipe.describe(), "parameters": model.count_params(),
            "test_accuracy": accuracy, "training_seconds": round(seconds, 1)}


def search(name, known=None):
    """Train every candidate recipe of ``name`` on the first 50,000 training digits; score it on the last 10,000.

    ``known`` maps a candidate's description to a validation accuracy already measured (seeded
    training repeats bit for bit on one machine, so a candidate is trained once even when two
    shipped models share it); new scores are added to it.
    """
    known = {} if known is None else known
    (x, y), _ = load_mnist(scale=True, channel_axis=RECIPES[name].model == "cnn")
    x_fit, y_fit = x[:-VALIDATION_DIGITS], y[:-VALIDATION_DIGITS]
    x_val, y_val = x[-VALIDATION_DIGITS:], y[-VALIDATION_DIGITS:]
    accuracies = {}
    for recipe in CANDIDATES[name]:
        described = recipe.describe()
        if described not in known:
            keras.utils.set_random_seed(recipe.seed)
            model = BUILDERS[recipe.model]()
            train(model, x_fit, y_fit, epochs=recipe.epochs, batch_size=recipe.batch_size,
                  learning_rate=recipe.learning_rate, schedule=recipe.schedule,
                  label_smoothing=recipe.label_smoothing, augmentation=recipe.augmentation,
                  augmentation_seed=recipe.seed)
            predicted = model.predict(x_val, verbose=0, batch_size=1000).argmax(axis=1)
            known[described] = float(np.mean(predicted == y_val))
        accuracies[described] = known[described]
        print(f"{name} candidate: {described}: validation accuracy {accuracies[described]:.4f}",
              file=sys.stderr, flush=True)
    chosen = best_candidate(name, accuracies)
    return {"fit_digits": len(x_fit), "validation_digits": VALIDATION_DIGITS,
            "validation_accuracy": accuracies, "chosen": chosen.describe()}


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m mnist_lessons.regenerate_weights",
                                     description=__doc__.split("\n")[0])
    parser.add_argument("--only", nargs="+", choices=SHIPPED, default=list(SHIPPED),
                        help="train only these models (default: all shipped models)")
    parser.add_argument("--output-dir", default=os.path.join(os.path.dirname(__file__), "weights"),
                        help="where to write NAME.keras (default: the package's weights/ folder)")
    parser.add_argument("--skip-examples", action="store_true",
                        help="do not train the original examples' recipes for the record")
    parser.add_argument("--repeat", type=int, default=2,
                        help="train each recipe this many times, recording the fastest (default 2)")
    parser.add_argument("--skip-search", action="store_true",
                        help="keep the recorded choice of recipes (do not train the candidates again)")
    parser.add_argument("--fresh-search", action="store_true",
                        help="train every candidate again, even those whose validation accuracy is recorded")
    parser.add_argument("--one", help=argparse.SUPPRESS)  # internal: train one recipe, print JSON
    args = parser.parse_args(argv)
    os.makedirs(args.output_dir, exist_ok=True)
    if args.one:
        print(json.dumps(_train_one(args.one, args.output_dir)))
        return 0
    # The original example of each architecture retrained, once (two shipped CNNs share one).
    examples = [] if args.skip_examples else sorted({f"example_{RECIPES[name].model}" for name in args.only})
    previous = os.path.join(args.output_dir, "training_record.json")
    record = {"search": {}}
    if os.path.exists(previous):                 # earlier runs and searches, kept for the models not redone now
        with open(previous) as file:
            record = json.load(file)
        record.setdefault("search", {})
    if not args.skip_search:
        known = {} if args.fresh_search else {
            described: accuracy for past in record["search"].values()
            for described, accuracy in past.get("validation_accuracy", {}).items()}
        for name in args.only:
            record["search"][name] = search(name, known)
    wrong = [name for name in args.only if record["search"].get(name, {}).get("chosen") != RECIPES[name].describe()]
    for name in wrong:
        print(f"{name}: the best recipe on the validation digits is {record['search'].get(name, {}).get('chosen')!r}, "
              f"but RECIPES[{name!r}] is {RECIPES[name].describe()!r}; put the best in mnist_lessons/training.py "
              "and run again with --skip-search.", file=sys.stderr)
    if wrong:
        with open(previous, "w") as file:            # keep the search, so that it need not run again
            json.dump(record, file, indent=2)
        return 1
    for name in list(args.only) + examples:
        # Each run in a fresh process, repeated, keeping the fastest time: on a shared machine
        # other work sometimes doubles an epoch's time, and the minimum is least disturbed by it.
        # Seeded training repeats bit for bit, so every repeat saves the same weights.
        runs = []
        for _ in range(args.repeat):
            result = subprocess.run(
                [sys.executable, "-m", "mnist_lessons.regenerate_weights", "--one", name, "--output-dir",
                 args.output_dir], stdout=subprocess.PIPE, text=True, check=True,
            )
            runs.append(json.loads(result.stdout.splitlines()[-1]))
        record[name] = min(runs, key=lambda run: run["training_seconds"])
        record[name]["training_seconds_all_runs"] = [run["training_seconds"] for run in runs]
    record["_machine"] = {
        "date": datetime.date.today().isoformat(), "cpu_cores": os.cpu_count(),
        "processor": platform.processor() or platform.machine(),
        "python": platform.python_version(), "keras": keras.__version__,
        "tensorflow": tf.__version__,
    }
    with open(os.path.join(args.output_dir, "training_record.json"), "w") as file:
        json.dump(record, file, indent=2)
    return 0


if __name__ == "__main__":
    sys.exit(main())
