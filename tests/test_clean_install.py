"""The package as users install it: every command that the README and the instructor guide show
in a ```bash block works after a plain `pip install` into an empty virtual environment, without
requirements.txt (the development environment, which would hide a missing install requirement).

The commands are read from the two files, so a newly documented command is tested without
changing this file. The few that cannot run here are listed below with the reason, and a few run
with one change, also said. The test is offline: `make venv` downloads, into `.venv/wheels/
clean-install/`, the wheels that the package's install requirements resolve to (the newest
releases, as a user's pip gets them) and the setuptools that pip's isolated build needs; pip in
the empty environment reads only that folder. Without the folder (pytest run outside `make`),
pip uses the package index.
"""

import json
import os
import pathlib
import re
import shutil
import subprocess
import sys
import venv

import pytest

pytestmark = [pytest.mark.slow]

ROOT = pathlib.Path(__file__).resolve().parent.parent
WHEELHOUSE = pathlib.Path(sys.prefix) / "wheels" / "clean-install"
DOCUMENTS = [ROOT / "README.md", ROOT / "book" / "instructor_guide.ipynb"]

# Documented commands this test does not run, and why.
NOT_RUN = {
    "make book": "needs the repository's development environment (requirements.txt), by design; "
                 "tests/test_book.py builds the book",
    "make test": "is the whole test suite, this test included",
    "make check": "the fast lane of the test suite, run by make test",
    "make nbval NB=book/04_pooling.ipynb": "the test suite's nbval on one chapter, run by make test",
    ".venv/bin/python -m mnist_lessons.regenerate_weights":
        "trains every candidate recipe, then the shipped models, on MNIST (many minutes); its --help "
        "runs here, and tests/test_regenerate_weights.py runs it on a small scale",
    ".venv/bin/python -m mnist_lessons.regenerate_weights --skip-search":
        "trains the shipped models on all of MNIST (minutes); as above",
    ".venv/bin/python -m mnist_lessons.regenerate_weights --only cnn cnn_no_augmentation":
        "trains the two shipped CNNs on all of MNIST (minutes); as above",
    ".venv/bin/python bench/foundation.py": "a benchmark that trains, run in the development environment",
}

# The teacher's own grading tool: a command that installs or runs nbgrader, or grades with it, is not
# run (the teacher installs nbgrader from the package index; tests/test_nbgrader.py runs these steps with
# the development environment's nbgrader). In a block that has one, the other commands use its output,
# so only the package's own commands that do not grade run there, with the block's `cd`s.
NEEDS_NBGRADER = re.compile(r"^(nbgrader\s|pip install \S*nbgrader|python -m mnist_lessons\.classroom grade\s)")
RUN_BESIDE_NBGRADER = re.compile(r"^(cd\s|python -m mnist_lessons\.)")

# Documented commands run with one change, and why: (the command run instead, the reason).
SOURCE = "$CLEAN_INSTALL_SOURCE"   # a copy of this checkout, made by the test
INSTEAD = {
    "git clone --branch v{version} https://github.com/mnist-lessons/mnist-lessons":
        (f'cp -a "{SOURCE}" mnist-lessons', "offline, and the code under test is this checkout's"),
    'pip install "git+https://github.com/mnist-lessons/mnist-lessons@v{version}"':
        (f'pip install "{SOURCE}"', "offline; pip builds the same wheel from this checkout"),
    "export MNIST_LESSONS_DATA=/path/to/mnist.npz":
        ('export MNIST_LESSONS_DATA="${MNIST_LESSONS_DATA:-/path/to/mnist.npz}"',
         "the placeholder path stands for the reader's file, here the tests' copy of MNIST"),
}

# Run after the documented commands, in the same environment: what a user of the installed package
# does first (the weights ship inside the wheel) and the teacher's weight regeneration command.
ALSO_RUN = [
    "python -m mnist_lessons.regenerate_weights --help",
    "python -c 'import mnist_lessons; print(mnist_lessons.pretrained(\"cnn\").count_params())'",
]


def _version():
    text = (ROOT / "mnist_lessons" / "__init__.py").read_text()
    (version,) = re.findall(r'^__version__ = "([^"]+)"$', text, flags=re.M)
    return version


def _markdown(path):
    if path.suffix == ".ipynb":
        cells = json.loads(path.read_text())["cells"]
        return "\n\n".join("".join(cell["source"]) for cell in cells if cell["cell_type"] == "markdown")
    return path.read_text()


def documented_blocks(path):
    """The ```bash blocks of a README or a notebook's markdown cells, each a list of commands.

    A command is one line (continuation lines joined) without its trailing comment.
    """
    blocks = []
    for block in re.findall(r"^```bash\n(.*?)^```", _markdown(path), flags=re.M | re.S):
        commands = []
        for line in block.replace("\\\n", " ").splitlines():
            command = re.sub(r"\s+#.*$", "", line).strip()
            if command and not command.startswith("#"):
                commands.append(" ".join(command.split()))
        blocks.append(commands)
    return blocks


def _instead():
    return {command.format(version=_version()): change for command, change in INSTEAD.items()}


def test_the_documents_show_commands_and_the_lists_name_only_documented_ones():
    documented = {command for path in DOCUMENTS for block in documented_blocks(path) for command in block}
    assert any(command.startswith("python -m mnist_lessons.classroom ") for command in documented), documented
    stale = (set(NOT_RUN) | set(_instead())) - documented
    assert not stale, f"listed here but no longer documented (remove them from this test): {sorted(stale)}"


def _copy_of_this_checkout(target):
    """The files a clone of this checkout would have, as they are in the working tree."""
    names = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=ROOT,
                           capture_output=True, text=True, check=True).stdout.split("\0")
    for name in filter(None, names):
        source = ROOT / name
        if source.is_file():          # a file deleted in the working tree is not copied
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)


def _environment(prefix, source):
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("PYTHON", "VIRTUAL_ENV", "PIP_"))}
    env.update(PATH=f"{prefix / 'bin'}{os.pathsep}{os.environ['PATH']}", VIRTUAL_ENV=str(prefix),
               CLEAN_INSTALL_SOURCE=str(source), PIP_DISABLE_PIP_VERSION_CHECK="1")
    if WHEELHOUSE.is_dir():
        # Only the wheels make venv downloaded: no index (also none that a pip.conf adds).
        env.update(PIP_NO_INDEX="1", PIP_FIND_LINKS=str(WHEELHOUSE), PIP_CONFIG_FILE=os.devnull)
    return env


def runs_here(command, block):
    """Whether the test runs ``command`` of ``block`` (a list of commands) in the clean environment."""
    if command in NOT_RUN:
        return False
    if any(NEEDS_NBGRADER.match(each) for each in block):
        return bool(RUN_BESIDE_NBGRADER.match(command)) and not NEEDS_NBGRADER.match(command)
    return True


def _script(commands):
    lines = ["set -euxo pipefail"]
    instead = _instead()
    for command in commands:
        if runs_here(command, commands):
            lines.append(instead.get(command, (command, ""))[0])
        else:
            lines.append(f": not run here: {command!r}")
    return "\n".join(lines) + "\n"


def test_the_teachers_tool_is_left_out_and_the_packages_commands_beside_it_run():
    block = ["pip install nbgrader", "python -m mnist_lessons.classroom nbgrader course", "cd course",
             "nbgrader generate_assignment 01_mnist", "cp release/a.ipynb b/",
             "python -m mnist_lessons.classroom grade ."]
    assert [runs_here(command, block) for command in block] == [False, True, True, False, False, False]
    assert runs_here("cp a b", ["cp a b", "python -m mnist_lessons.classroom student-copies out"])


def test_every_documented_command_works_after_a_plain_pip_install(tmp_path):
    prefix, home, source = tmp_path / "venv", tmp_path / "home", tmp_path / "source"
    home.mkdir()
    source.mkdir()
    _copy_of_this_checkout(source)
    venv.EnvBuilder(with_pip=True).create(prefix)
    env = _environment(prefix, source)
    blocks = [(path.name, block) for path in DOCUMENTS for block in documented_blocks(path)]
    blocks.append(("this test", ALSO_RUN))
    ran = []
    for name, commands in blocks:
        result = subprocess.run(["bash", "-c", _script(commands)], cwd=home, env=env, capture_output=True,
                                text=True, timeout=1200)
        assert result.returncode == 0, f"{name}: a command failed in the clean environment:\n{result.stderr[-4000:]}"
        ran += [command + (f"    (as: {_instead()[command][0]})" if command in _instead() else "")
                for command in commands if runs_here(command, commands)]
    print("ran in the clean environment:", *ran, sep="\n  ")
    # The guide's student copies: one notebook per chapter with exercises.
    copies = sorted(path.name for path in home.rglob("student_notebooks/*.ipynb"))
    assert copies and all(re.match(r"\d\d_", name) for name in copies), copies
    # Nothing from requirements.txt came in with the package (it would hide a missing requirement).
    installed = subprocess.run([prefix / "bin" / "python", "-m", "pip", "list", "--format=json"], env=env,
                               capture_output=True, text=True, check=True).stdout
    names = {package["name"].lower() for package in json.loads(installed)}
    assert {"tensorflow", "keras", "nbformat", "mnist-lessons"} <= names
    assert not names & {"pytest", "jupyter-book", "nbval", "scikit-learn", "ruff"}, names
