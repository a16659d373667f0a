"""`pip install .` (and git+URL, which builds the same wheel) must carry the shipped weights."""

import subprocess
import sys
import zipfile

import mnist_lessons


def test_wheel_contains_package_and_weights(tmp_path):
    root = __import__("pathlib").Path(__file__).resolve().parent.parent
    subprocess.run(
        # No build isolation: it would download setuptools, and the tests run without a network.
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
         "--wheel-dir", str(tmp_path), str(root)],
        check=True, capture_output=True, timeout=600,
    )
    (wheel,) = tmp_path.glob("mnist_lessons-*.whl")
    # pyproject.toml reads the version from the package (one source).
    assert wheel.name.startswith(f"mnist_lessons-{mnist_lessons.__version__}-"), wheel.name
    names = set(zipfile.ZipFile(wheel).namelist())
    for required in ("mnist_lessons/weights/cnn.keras", "mnist_lessons/weights/mlp.keras",
                     "mnist_lessons/weights/training_record.json", "mnist_lessons/run_times.json",
                     "mnist_lessons/data.py", "mnist_lessons/models.py", "mnist_lessons/plots/images.py",
                     "mnist_lessons/exercises/_checking.py"):
        assert required in names
    assert not any(name.startswith(("book/", "tests/")) for name in names)
