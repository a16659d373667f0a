"""Check the Python, TensorFlow and Keras versions when the package is imported.

The lowest supported versions have one source, the install requirements in
``pyproject.toml`` (read here from the installed package's metadata), which carry
no upper caps: a newer Colab must not downgrade TensorFlow or Keras when it installs
the package. They are versions that were run, not guesses: ``.ci/floors-check``
installs exactly them (``.ci/floors-pins.txt``) on the oldest Python allowed and
runs the unit tests and chapters 1 and 7. The newest versions the book is tested
with are ``TESTED_BELOW`` here; ``requirements.txt`` (the development environment)
and ``.ci/colab-pins.txt`` (Colab's stack, run on Colab's Python by
``.ci/colab-check``) pin versions inside that range, which the tests check.

An older version fails the import at once, naming the version found and the command
that fixes it, instead of failing later deep inside TensorFlow. A newer one gets one
warning: it probably works, and an error would lock readers out.

This module must stay importable by old Pythons, so that they get the message
rather than a syntax error: it uses nothing newer than Python 3.6 before the
Python version is checked.
"""

import platform
import re
import sys
import warnings

PYTHON_MINIMUM = (3, 10)
# Google Colab's Python (its published runtime list, 2026-08), which .ci/colab-check runs.
COLAB_PYTHON = (3, 13)
# The first releases the book is not yet tested with (the lowest supported ones are in pyproject.toml).
TESTED_BELOW = {"tensorflow": (2, 22), "keras": (3, 16)}
DISTRIBUTION = "mnist-lessons"

_PIP_FIX = (
    'pip install "tensorflow{tf}" "keras{keras}" (in a notebook: %pip install ..., then restart '
    "the kernel; in Colab: Runtime > Restart session)"
)


class UntestedVersionWarning(UserWarning):
    """TensorFlow or Keras is newer than the versions the book is tested with."""


def parse_version(text):
    """Return the release numbers of a version string, or None if it has none.

    Parameters
    ----------
    text : str
        A version such as ``"2.21.0"``, ``"2.22.0rc1"`` or ``"3.15.1+local"``.

    Returns
    -------
    tuple of int or None
        The release numbers, compared as numbers (so 2.100 is newer than 2.20).
        Pre-release, development and local labels are ignored: ``"2.22.0rc1"``
        counts as 2.22.0.

    Examples
    --------
    >>> parse_version("2.100.0") > parse_version("2.20")
    True
    """
    match = re.match(r"\s*v?(\d+(?:\.\d+)*)", text or "")
    return tuple(int(part) for part in match.group(1).split(".")) if match else None


def installed_versions():
    """Return the versions of Python, TensorFlow and Keras here, without importing the last two.

    Returns
    -------
    (python, tensorflow, keras) : tuple of str or None
        Version strings; None for a package that is not installed (its import
        then reports that itself).
    """
    if sys.version_info < PYTHON_MINIMUM:
        # Refused on the Python version alone; Python 3.7 has no importlib.metadata.
        return platform.python_version(), None, None
    return (platform.python_version(), _distribution_version("tensorflow"),
            _distribution_version("keras"))


def check_versions(python, tensorflow, keras):
    """Raise for versions the book cannot run with; warn once for untested newer ones.

    Parameters
    ----------
    python, tensorflow, keras : str or None
        Version strings, as returned by ``installed_versions``. None or an
        unreadable string skips that package.

    Raises
    ------
    ImportError
        If Python is older than 3.10, or TensorFlow or Keras is older than its
        supported range (Keras 2 included). The message names the versions found,
        the supported ranges and the command that installs them.

    Warns
    -----
    UntestedVersionWarning
        One warning, if TensorFlow or Keras is newer than its tested range.

    Examples
    --------
    >>> check_versions("3.13.0", "2.21.0", "3.15.1")  # the tested versions: silent
    """
    release = parse_version(python)
    if release is not None and release < PYTHON_MINIMUM:
        raise ImportError(
            f"mnist_lessons needs Python {_format(PYTHON_MINIMUM)} or newer, but this is Python "
            f"{python}. Run it with a newer Python, e.g. in an environment made by "
            f"`python{_format(COLAB_PYTHON)} -m venv .venv` (Colab has Python {_format(COLAB_PYTHON)})."
        )
    ranges = supported_ranges()
    too_old, too_new = [], []
    for label, found, (lowest, untested) in (("TensorFlow", tensorflow, ranges["tensorflow"]),
                                             ("Keras", keras, ranges["keras"])):
        release = parse_version(found)
        if release is None:
            continue
        if release < lowest:
            too_old.append(f"{label} {found} (supported: {_range(lowest, untested)})")
        elif release >= untested:
            too_new.append(f"{label} {found} (tested: {_range(lowest, untested)})")
    fix = _PIP_FIX.format(tf=_range(*ranges["tensorflow"]), keras=_range(*ranges["keras"]))
    if too_old:
        raise ImportError(
            f"mnist_lessons cannot run with {' and '.join(too_old)}. Install supported versions "
            f"with: {fix}."
        )
    if too_new:
        warnings.warn(
            f"mnist_lessons is not yet tested with {' and '.join(too_new)}. It probably works; "
            f"if something fails, install tested versions with: {fix}.",
            UntestedVersionWarning, stacklevel=2,
        )


def lowest_versions():
    """Return the lowest supported TensorFlow and Keras releases, from the install requirements.

    Returns
    -------
    dict
        ``{"tensorflow": (2, 16, 2), "keras": (3, 3, 3)}``: the ``>=`` bounds of the
        package's declared dependencies. They are read from the installed
        package's metadata, or from ``pyproject.toml`` beside the package when it
        runs from a source checkout that was never installed.
    """
    import importlib.metadata

    try:
        requirements = importlib.metadata.requires(DISTRIBUTION) or []
    except importlib.metadata.PackageNotFoundError:
        requirements = _pyproject_dependencies()
    lowest = {}
    for requirement in requirements:
        match = re.match(r"\s*(tensorflow|keras)\b([^;]*)", requirement)
        bound = re.search(r">=\s*([\d.]+)", match.group(2)) if match else None
        if bound:
            lowest[match.group(1)] = parse_version(bound.group(1))
    missing = set(TESTED_BELOW) - set(lowest)
    if missing:
        raise RuntimeError(f"the package's requirements declare no lower bound for {sorted(missing)}: "
                           "pyproject.toml must list them as 'name>=version'.")
    return lowest


def supported_ranges():
    """Return ``{package: (lowest supported release, first untested release)}`` for TensorFlow and Keras.

    Examples
    --------
    >>> supported_ranges()["keras"][0] < supported_ranges()["keras"][1]
    True
    """
    lowest = lowest_versions()
    return {name: (lowest[name], TESTED_BELOW[name]) for name in TESTED_BELOW}


def _pyproject_dependencies():
    import os

    path = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "pyproject.toml")
    try:
        with open(path, encoding="utf-8") as file:
            text = file.read()
    except OSError:
        return []
    block = re.search(r"^dependencies\s*=\s*\[(.*?)\]", text, flags=re.M | re.S)
    return re.findall(r'"([^"]+)"', block.group(1)) if block else []


def _distribution_version(module):
    import importlib.metadata

    try:
        return importlib.metadata.version(module)
    except importlib.metadata.PackageNotFoundError:
        pass
    # Installed under another name (tensorflow-cpu, keras-nightly, ...); this lookup reads every
    # installed package's file list, so it is only the fallback.
    for distribution in importlib.metadata.packages_distributions().get(module, []):
        return importlib.metadata.version(distribution)
    return None


def _format(release):
    return ".".join(str(number) for number in release)


def _range(lowest, untested):
    return f">={_format(lowest)},<{_format(untested)}"
