"""Measure the foundation's figures and print them in one table.

    .venv/bin/python bench/foundation.py            # everything (about 10 minutes on 2 cores)
    .venv/bin/python bench/foundation.py --quick    # skip the two original-example recipes

Figures: test accuracy and training time of the original examples' recipes and of the shipped models' recipes
(measured in the same run, each recipe --repeat times in fresh processes, keeping the fastest:
this machine's neighbours sometimes double an epoch's time, and the minimum is the figure least
disturbed by them), whether retraining reproduces the shipped
weights, and the time from `import mnist_lessons` to the first prediction figure in a fresh process
(the chapters' nbval times and memory are in bench/budgets.py). Needs the full MNIST
(MNIST_LESSONS_DATA or Keras' download).
"""

import argparse
import json
import os
import pathlib
import subprocess
import sys
import time

ROOT = pathlib.Path(__file__).resolve().parent.parent

FIRST_FIGURE = """
import time
start = time.perf_counter()
import mnist_lessons
mnist_lessons.import_tensorflow_quietly()
from mnist_lessons.plots import plot_predictions
model = mnist_lessons.pretrained("cnn")
_, (x_test, y_test) = mnist_lessons.load_mnist(scale=True, channel_axis=True)
figure = plot_predictions(model, x_test[:4], y_test[:4])
figure.savefig("/dev/null", format="png")
print(time.perf_counter() - start)
"""

def train_and_score(name):
    import numpy as np

    from mnist_lessons import load_mnist
    from mnist_lessons.models import pretrained
    from mnist_lessons.training import RECIPES, train_recipe

    recipe = RECIPES[name]
    model, _, seconds = train_recipe(name)
    _, (x_test, y_test) = load_mnist(scale=True, channel_axis=recipe.model == "cnn")
    accuracy = float(np.mean(model.predict(x_test, verbose=0, batch_size=1000).argmax(1) == y_test))
    same = ""
    if name in ("mlp", "cnn"):
        shipped = pretrained(name).get_weights()
        same = "yes" if all(np.array_equal(a, b) for a, b in zip(model.get_weights(), shipped)) else "no"
    return recipe, seconds, accuracy, same


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="skip the original-example recipes")
    parser.add_argument("--repeat", type=int, default=2, help="timed runs per recipe (default 2)")
    parser.add_argument("--recipe", help=argparse.SUPPRESS)  # internal: train one recipe, print JSON
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    if args.recipe:
        recipe, seconds, accuracy, same = train_and_score(args.recipe)
        print(json.dumps([recipe.describe(), seconds, accuracy, same]))
        return
    rows = []

    names = ["mlp", "cnn"] if args.quick else ["example_mlp", "mlp", "example_cnn", "cnn"]
    # Each recipe in a fresh process, so that no run inherits another's memory or threads.
    results, times = {}, {name: [] for name in names}
    for _ in range(args.repeat):
        for name in names:
            out = subprocess.run([sys.executable, __file__, "--recipe", name], capture_output=True,
                                 text=True, check=True, cwd=ROOT).stdout.splitlines()[-1]
            results[name] = json.loads(out)
            times[name].append(results[name][1])
    for name in names:
        results[name][1] = min(times[name])
        recipe, seconds, accuracy, same = results[name]
        runs = " / ".join(f"{t:.1f}" for t in times[name])
        rows.append((f"train {name}", recipe, f"{accuracy:.2%} test accuracy, {seconds:.1f} s (runs: {runs} s)",
                     f"reproduces shipped weights bit for bit: {same}" if same else ""))
    for model in ("mlp", "cnn"):
        if f"example_{model}" in results:
            ratio = results[model][1] / results[f"example_{model}"][1]
            rows.append((f"{model} time ratio", "shipped recipe / original example recipe", f"{ratio:.2f}",
                         "goal <= 0.50" if model == "cnn" else ""))

    outer = time.perf_counter()
    inner = subprocess.run([sys.executable, "-c", FIRST_FIGURE], capture_output=True, text=True,
                           check=True, cwd=ROOT).stdout.split()[-1]
    outer = time.perf_counter() - outer
    rows.append(("first figure", "import + pretrained('cnn') + load data + plot_predictions",
                 f"{outer:.1f} s wall with process start ({float(inner):.1f} s after it)",
                 "goal <= 10 s"))

    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    print(f"mnist-lessons foundation benchmark, {os.cpu_count()} CPU cores, Python {sys.version.split()[0]}")
    for row in rows:
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip())


if __name__ == "__main__":
    main()
