"""The shipped weights load, and the recipes start from the same initial weights, in Colab's Keras
(.ci/colab-pins.txt) beside this environment's TensorFlow, as in the newest Keras.

The shipped files are written by the newest Keras; Colab's is older, and a reader there gets the
same predictions and the same seeded starting points. (The oldest Keras allowed, with the oldest
TensorFlow, runs the unit tests and chapters 1 and 7 in .ci/floors-check.)

The tests run offline, so `make venv` downloads that Keras wheel into the environment beforehand
(`.venv/wheels/`); without it, pip fetches it from the package index.
"""

import json
import os
import pathlib
import re
import subprocess
import sys

import numpy as np
import pytest

pytestmark = [pytest.mark.slow]

ROOT = pathlib.Path(__file__).resolve().parent.parent
COLAB_KERAS = re.search(r"^keras==([\d.]+)$", (ROOT / ".ci" / "colab-pins.txt").read_text(), flags=re.M).group(1)

SCRIPT = """
import json, sys
import mnist_lessons, mnist_lessons.training, keras, numpy as np
assert keras.__version__ == sys.argv[1], keras.__version__
model = mnist_lessons.pretrained(sys.argv[2])
x = np.linspace(0, 1, 2 * 28 * 28, dtype="float32").reshape((2,) + tuple(model.inputs[0].shape[1:]))
initial = mnist_lessons.training.initial_model(sys.argv[2]).get_weights()
print(json.dumps({"predictions": model.predict(x, verbose=0).tolist(),
                  "initial": [w.ravel()[::97].tolist() for w in initial]}))
"""


def test_pretrained_loads_in_colabs_keras(tmp_path):
    target = tmp_path / "keras"
    wheels = pathlib.Path(sys.prefix) / "wheels"
    source = ["--no-index", "--find-links", str(wheels)] if any(wheels.glob(f"keras-{COLAB_KERAS}-*.whl")) else []
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", *source, "--target",
                    str(target), f"keras=={COLAB_KERAS}"], check=True, capture_output=True, timeout=600)
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(target), str(ROOT)]))
    for name in ("mlp", "cnn"):
        old = subprocess.run([sys.executable, "-c", SCRIPT, COLAB_KERAS, name], env=env,
                             capture_output=True, text=True, timeout=300)
        assert old.returncode == 0, old.stderr[-2000:]
        import keras

        current = subprocess.run([sys.executable, "-c", SCRIPT, keras.__version__, name],
                                 capture_output=True, text=True, timeout=300, check=True)
        old, current = json.loads(old.stdout), json.loads(current.stdout)
        np.testing.assert_allclose(old["predictions"], current["predictions"], atol=1e-6)
        # Chapter 6 rebuilds the shipped MLP's starting point with initial_model("mlp").
        for before, now in zip(old["initial"], current["initial"]):
            np.testing.assert_array_equal(before, now)
