"""Importing the package refuses versions it cannot run with and warns about untested newer ones."""

import importlib.metadata
import pathlib
import re
import subprocess
import sys
import textwrap
import warnings

import pytest

from mnist_lessons import versions
from mnist_lessons.versions import UntestedVersionWarning, check_versions, parse_version

# The supported ranges: the floors .ci/floors-check runs (pyproject.toml, .ci/floors-pins.txt) up to
# versions.TESTED_BELOW.
PIP_FIX = 'pip install "tensorflow>=2.16.2,<2.22" "keras>=3.3.3,<3.16"'
TF_RANGE, KERAS_RANGE = ">=2.16.2,<2.22", ">=3.3.3,<3.16"


@pytest.mark.parametrize("text, expected", [
    ("2.21.0", (2, 21, 0)), ("3.15.1", (3, 15, 1)), ("2.22.0rc1", (2, 22, 0)),
    ("2.22.0.dev20260101", (2, 22, 0)), ("3.13.0+local", (3, 13, 0)),
    ("3.12", (3, 12)), ("nightly", None), ("", None), (None, None),
])
def test_parse_version(text, expected):
    assert parse_version(text) == expected


def test_versions_compare_as_numbers_not_text():
    assert parse_version("2.100.0") > parse_version("2.20") > parse_version("2.3.9")


def test_installed_versions_are_accepted_silently():
    # nbval compares the notebooks' stderr exactly: the installed versions must not warn.
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        check_versions(*versions.installed_versions())


@pytest.mark.parametrize("tensorflow, keras", [
    ("2.16.2", "3.3.3"), ("2.19.0", "3.10.0"), ("2.20.0", "3.13.2"), ("2.21.9", "3.15.99"),
    ("2.20.0rc0", "3.13.0.dev1"), (None, None),
])
def test_supported_versions_pass(tensorflow, keras):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        check_versions("3.10.0", tensorflow, keras)


@pytest.mark.parametrize("python", ["3.9.18", "3.8.0", "2.7.18"])
def test_old_python_is_refused(python):
    with pytest.raises(ImportError) as error:
        check_versions(python, "2.21.0", "3.15.1")
    message = str(error.value)
    assert f"needs Python 3.10 or newer, but this is Python {python}" in message
    assert "python3.13 -m venv" in message and "(Colab has Python 3.13)" in message


@pytest.mark.parametrize("tensorflow, keras, named", [
    ("2.16.1", "3.15.1", f"TensorFlow 2.16.1 (supported: {TF_RANGE})"),
    ("2.15.0", "3.15.1", f"TensorFlow 2.15.0 (supported: {TF_RANGE})"),
    ("2.21.0", "2.15.0", f"Keras 2.15.0 (supported: {KERAS_RANGE})"),   # Keras 2
    ("2.21.0", "3.3.2", f"Keras 3.3.2 (supported: {KERAS_RANGE})"),
])
def test_old_tensorflow_or_keras_is_refused(tensorflow, keras, named):
    with pytest.raises(ImportError) as error:
        check_versions("3.12.0", tensorflow, keras)
    message = str(error.value)
    assert message.startswith(f"mnist_lessons cannot run with {named}. ")
    assert f"Install supported versions with: {PIP_FIX}" in message
    assert "restart the kernel" in message


def test_both_old_are_named_in_one_error():
    with pytest.raises(ImportError, match=r"TensorFlow 2\.15\.0 .* and Keras 2\.15\.0 "):
        check_versions("3.12.0", "2.15.0", "2.15.0")


def test_old_is_refused_even_when_the_other_is_new():
    with pytest.raises(ImportError, match=r"cannot run with Keras 2\.15\.0"):
        check_versions("3.12.0", "2.30.0", "2.15.0")


@pytest.mark.parametrize("tensorflow, keras, named", [
    ("2.22.0", "3.15.1", f"TensorFlow 2.22.0 (tested: {TF_RANGE})"),
    ("2.22.0rc1", "3.15.1", f"TensorFlow 2.22.0rc1 (tested: {TF_RANGE})"),
    ("3.0.0", "3.15.1", f"TensorFlow 3.0.0 (tested: {TF_RANGE})"),
    ("2.21.0", "3.16.0", f"Keras 3.16.0 (tested: {KERAS_RANGE})"),
    ("2.100.0", "3.100.0", f"TensorFlow 2.100.0 (tested: {TF_RANGE}) and Keras 3.100.0 (tested: {KERAS_RANGE})"),
])
def test_newer_versions_get_one_warning(tensorflow, keras, named):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        check_versions("3.13.0", tensorflow, keras)
    assert len(caught) == 1 and caught[0].category is UntestedVersionWarning
    message = str(caught[0].message)
    assert message.startswith(f"mnist_lessons is not yet tested with {named}. It probably works")
    assert f"install tested versions with: {PIP_FIX}" in message


ROOT = pathlib.Path(__file__).resolve().parent.parent


def _pinned(path, name):
    """The version a requirements file pins for ``name`` (name==X.Y.* or name==X.Y.Z)."""
    match = re.search(rf"^{name}==([\d.]+)(\.\*)?\s*(#.*)?$", path.read_text(), flags=re.M)
    assert match, f"{path.name} does not pin {name}"
    return parse_version(match.group(1))


def test_the_ranges_come_from_the_install_requirements_and_the_tested_bound():
    ranges = versions.supported_ranges()
    assert ranges == {"tensorflow": ((2, 16, 2), (2, 22)), "keras": ((3, 3, 3), (3, 16))}
    assert PIP_FIX == 'pip install "tensorflow{}" "keras{}"'.format(
        *(">={},<{}".format(versions._format(low), versions._format(high)) for low, high in ranges.values()))


def test_the_install_requirements_have_no_upper_caps():
    # A cap would make pip downgrade TensorFlow or Keras in a Colab that is ahead of the tested
    # versions; the package warns there instead.
    block = re.search(r"^dependencies = \[(.*?)\]", (ROOT / "pyproject.toml").read_text(), flags=re.M | re.S)
    requirements = re.findall(r'"([^"]+)"', block.group(1))
    assert requirements and all(re.fullmatch(r"[\w-]+>=[\d.]+", each) for each in requirements), requirements
    assert 'requires-python = ">={}.{}"'.format(*versions.PYTHON_MINIMUM) in (ROOT / "pyproject.toml").read_text()


def test_a_source_checkout_reads_the_same_lower_bounds_from_pyproject(monkeypatch):
    installed = versions.lowest_versions()

    def not_installed(name):
        raise importlib.metadata.PackageNotFoundError(name)

    monkeypatch.setattr(importlib.metadata, "requires", not_installed)
    assert versions.lowest_versions() == installed


@pytest.mark.parametrize("path", ["requirements.txt", ".ci/colab-pins.txt"])
def test_pinned_environments_are_inside_the_supported_range(path):
    for name, (lowest, untested) in versions.supported_ranges().items():
        assert lowest <= _pinned(ROOT / path, name) < untested, (path, name)


def test_import_checks_before_tensorflow_is_imported():
    # A fresh process that reports Keras 2 as installed: the import fails with the clear message
    # before TensorFlow is imported (which would take seconds and could fail obscurely).
    script = textwrap.dedent(
        """
        import importlib.metadata, sys
        real = importlib.metadata.version
        importlib.metadata.version = lambda name: "2.15.0" if name == "keras" else real(name)
        try:
            import mnist_lessons
        except ImportError as error:
            print(error)
        print("tensorflow" in sys.modules)
        """
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stderr
    message, tensorflow_imported = result.stdout.strip().splitlines()
    assert message.startswith(f"mnist_lessons cannot run with Keras 2.15.0 (supported: {KERAS_RANGE})")
    assert tensorflow_imported == "False"


def _requirements(path):
    """{name: version} of a pins file's name==version lines."""
    return dict(re.findall(r"^([\w-]+)==([\d.]+)\s*(?:#.*)?$", path.read_text(), flags=re.M))


def _install_requirements():
    block = re.search(r"^dependencies = \[(.*?)\]", (ROOT / "pyproject.toml").read_text(), flags=re.M | re.S)
    return dict(re.findall(r'"([\w-]+)>=([\d.]+)"', block.group(1)))


def test_the_floors_are_what_floors_check_runs():
    # Every lower bound of pyproject.toml is a version .ci/floors-check installs and tests, and no other.
    assert _requirements(ROOT / ".ci" / "floors-pins.txt") == _install_requirements()
    python = re.search(r"python(3\.\d+)\}?\"", (ROOT / ".ci" / "floors-check").read_text()).group(1)
    assert python == versions._format(versions.PYTHON_MINIMUM)


def test_colab_check_runs_colabs_python_and_pins_colabs_stack():
    colab = _requirements(ROOT / ".ci" / "colab-pins.txt")
    assert colab == {"tensorflow": "2.20.0", "keras": "3.13.2", "numpy": "2.1.3", "matplotlib": "3.10.0",
                     "ipywidgets": "7.7.1", "anywidget": "0.9.21"}
    python = re.search(r"python(3\.\d+)\}?\"", (ROOT / ".ci" / "colab-check").read_text()).group(1)
    assert python == versions._format(versions.COLAB_PYTHON)
    assert f"Python {python}," in (ROOT / ".ci" / "colab-pins.txt").read_text()
    # Colab's stack satisfies the install requirements: the Colab cell downloads no new TensorFlow.
    for name, lowest in _install_requirements().items():
        if name in colab:
            assert parse_version(lowest) <= parse_version(colab[name]), name


def test_a_runtime_one_release_behind_colab_keeps_its_tensorflow():
    # Colab ran TensorFlow 2.19 with Keras 3.10 until April 2026; other hosted notebooks lag too.
    lowest = versions.lowest_versions()
    assert lowest["tensorflow"] <= (2, 19) and lowest["keras"] <= (3, 10)
