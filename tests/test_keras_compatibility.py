"""The shipped weights load in the oldest Keras the package allows (Colab's 3.13)."""

import json
import os
import pathlib
import subprocess
import sys

import numpy as np

ROOT = pathlib.Path(__file__).resolve().parent.parent
OLDEST_KERAS = "3.13.0"

SCRIPT = """
import json, sys
import mnist_lessons, keras, numpy as np
assert keras.__version__ == sys.argv[1], keras.__version__
model = mnist_lessons.pretrained(sys.argv[2])
x = np.linspace(0, 1, 2 * 28 * 28, dtype="float32").reshape((2,) + tuple(model.inputs[0].shape[1:]))
print(json.dumps(model.predict(x, verbose=0).tolist()))
"""


def test_pretrained_loads_in_the_oldest_allowed_keras(tmp_path):
    target = tmp_path / "keras"
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target",
                    str(target), f"keras=={OLDEST_KERAS}"], check=True, capture_output=True, timeout=600)
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(target), str(ROOT)]))
    for name in ("mlp", "cnn"):
        old = subprocess.run([sys.executable, "-c", SCRIPT, OLDEST_KERAS, name], env=env,
                             capture_output=True, text=True, timeout=300)
        assert old.returncode == 0, old.stderr[-2000:]
        import keras

        current = subprocess.run([sys.executable, "-c", SCRIPT, keras.__version__, name],
                                 capture_output=True, text=True, timeout=300, check=True)
        np.testing.assert_allclose(json.loads(old.stdout), json.loads(current.stdout), atol=1e-6)
