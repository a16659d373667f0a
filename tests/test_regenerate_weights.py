"""`python -m mnist_lessons.regenerate_weights` regenerates the shipped weights from scratch."""

import json
import os
import pathlib
import shutil
import subprocess
import sys

import numpy as np
import pytest

from mnist_lessons import load_mnist, pretrained
from mnist_lessons.models import weights_path

pytestmark = [pytest.mark.slow]


def test_regenerating_the_mlp_reproduces_the_shipped_one(tmp_path):
    before = os.path.getmtime(weights_path("mlp"))
    # The recorded search chose the recipe; searching again would train 12 candidates.
    shutil.copy(pathlib.Path(weights_path("mlp")).with_name("training_record.json"), tmp_path)
    result = subprocess.run(
        [sys.executable, "-m", "mnist_lessons.regenerate_weights", "--only", "mlp", "--skip-examples", "--repeat", "1",
         "--skip-search", "--output-dir", str(tmp_path)],
        capture_output=True, text=True, timeout=600, check=True,
    )
    lines = [line for line in result.stderr.splitlines() if line.startswith("mlp: ")]
    assert lines[0].startswith("mlp: MLP, Adam, batch")
    assert lines[-1].startswith("mlp: test accuracy 0.9") and "trained in" in lines[-1]
    assert os.path.getmtime(weights_path("mlp")) == before  # the shipped file is untouched
    record = json.loads((tmp_path / "training_record.json").read_text())
    # The MLP's entry is new; the entries of the models not trained this time are kept as they were.
    shipped_record = json.loads(pathlib.Path(weights_path("mlp")).with_name("training_record.json").read_text())
    assert record["mlp"]["test_accuracy"] > 0.97 and len(record["mlp"]["training_seconds_all_runs"]) == 1
    assert all(record[name] == shipped_record[name] for name in shipped_record if name not in ("mlp", "_machine"))
    assert record["search"]["mlp"]["chosen"] == record["mlp"]["recipe"]

    import keras

    regenerated = keras.saving.load_model(tmp_path / "mlp.keras", safe_mode=True)
    _, (x_test, _) = load_mnist(scale=True)
    ours = regenerated.predict(x_test, verbose=0, batch_size=1000).argmax(axis=1)
    shipped = pretrained("mlp").predict(x_test, verbose=0, batch_size=1000).argmax(axis=1)
    # Seeded CPU training repeats bit for bit on one machine; allow a few digits of slack for
    # other CPUs, where float rounding may differ.
    assert np.mean(ours == shipped) >= 0.995
