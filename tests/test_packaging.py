"""`pip install .` (and git+URL, which builds the same wheel) must carry the whole package: every
module, the shipped weights and the other data files it reads at run time."""

import pathlib
import subprocess
import sys
import zipfile

import mnist_lessons

ROOT = pathlib.Path(__file__).resolve().parent.parent


def test_wheel_contains_package_and_weights(tmp_path):
    subprocess.run(
        # No build isolation: it would download setuptools, and the tests run without a network.
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
         "--wheel-dir", str(tmp_path), str(ROOT)],
        check=True, capture_output=True, timeout=600,
    )
    (wheel,) = tmp_path.glob("mnist_lessons-*.whl")
    # pyproject.toml reads the version from the package (one source).
    assert wheel.name.startswith(f"mnist_lessons-{mnist_lessons.__version__}-"), wheel.name
    names = set(zipfile.ZipFile(wheel).namelist())
    for required in ("mnist_lessons/weights/cnn.keras", "mnist_lessons/weights/mlp.keras",
                     "mnist_lessons/weights/training_record.json", "mnist_lessons/run_times.json",
                     "mnist_lessons/web/cnn.js", "mnist_lessons/web/panel.css",
                     "mnist_lessons/data.py", "mnist_lessons/models.py", "mnist_lessons/plots/images.py",
                     "mnist_lessons/exercises/_checking.py"):
        assert required in names
    # Every file of the package that git tracks (or, outside a git checkout, every file but Python's
    # caches), so that a new module or data file cannot be left out.
    listed = subprocess.run(["git", "ls-files", "mnist_lessons"], cwd=ROOT, capture_output=True, text=True)
    tracked = listed.stdout.split() if listed.returncode == 0 else [
        path.relative_to(ROOT).as_posix() for path in (ROOT / "mnist_lessons").rglob("*")
        if path.is_file() and "__pycache__" not in path.parts]
    missing = sorted(name for name in tracked if name not in names and (ROOT / name).is_file())
    assert not missing, f"pyproject.toml's package data leaves out {missing}"
    assert not any(name.startswith(("book/", "tests/")) or "__pycache__" in name for name in names)
