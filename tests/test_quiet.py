"""The one explicit step that keeps TensorFlow's start-up notices out of a notebook, and nothing else."""

import subprocess
import sys

from mnist_lessons import quiet


def _run(code):
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    return result


def test_importing_the_package_does_not_import_tensorflow():
    code = ("import sys, mnist_lessons, mnist_lessons.classroom, mnist_lessons.exercises, mnist_lessons.plots\n"
            "from mnist_lessons.plots import plot_digits\n"
            "print(sorted(m for m in ('tensorflow', 'keras') if m in sys.modules))")
    assert _run(code).stdout.strip() == "[]"


def test_the_quiet_import_prints_nothing_to_stderr_even_after_a_model_runs():
    # TensorFlow 2.21 alone prints oneDNN and CUDA notices with timestamps on import, and a CUDA
    # probe error when its devices are first used.
    code = ("import mnist_lessons; mnist_lessons.import_tensorflow_quietly()\n"
            "import numpy as np\n"
            "mnist_lessons.pretrained('cnn').predict(np.zeros((1, 28, 28, 1), 'float32'), verbose=0)")
    assert _run(code).stderr == ""


def test_the_quiet_import_initialises_no_device_and_changes_no_logger():
    # After it, the devices can still be configured (they cannot once TensorFlow has initialised
    # them), and Python's loggers are as they were.
    code = ("import logging, mnist_lessons\n"
            "before = {name: logging.getLogger(name).level for name in ('tensorflow', 'absl', '')}\n"
            "tf = mnist_lessons.import_tensorflow_quietly()\n"
            "tf.config.set_visible_devices(tf.config.list_physical_devices('CPU'))\n"
            "print(before == {name: logging.getLogger(name).level for name in ('tensorflow', 'absl', '')})")
    assert _run(code).stdout.strip() == "True"


def test_only_known_notices_are_dropped():
    assert quiet._NOTICES.search("I0000 00:00:1.2 3 port.cc:153] oneDNN custom operations are on.")
    assert not quiet._NOTICES.search("E0000 00:00:1.2 3 something.cc:1] Out of memory")


def test_the_retracing_remark_is_dropped_and_other_warnings_are_kept():
    # Eight new models each predict once: TensorFlow would warn that its predict function was traced
    # again. That remark goes; a warning of another kind still reaches the page.
    code = ("import mnist_lessons; tf = mnist_lessons.import_tensorflow_quietly()\n"
            "import numpy as np\n"
            "from mnist_lessons.models import build_mlp\n"
            "for _ in range(8):\n"
            "    build_mlp().predict(np.zeros((1, 28, 28, 1), 'float32'), verbose=0)\n"
            "tf.get_logger().warning('another warning')")
    result = _run(code)
    assert "retracing" not in result.stdout + result.stderr
    assert "another warning" in result.stdout + result.stderr


def test_without_the_filter_the_remark_would_appear():
    # The same models without the filter: the test above would otherwise prove nothing.
    code = ("import mnist_lessons; tf = mnist_lessons.import_tensorflow_quietly()\n"
            "import logging, numpy as np\n"
            "from mnist_lessons.models import build_mlp\n"
            "logging.getLogger('tensorflow').filters.clear()\n"
            "for _ in range(8):\n"
            "    build_mlp().predict(np.zeros((1, 28, 28, 1), 'float32'), verbose=0)")
    result = _run(code)
    assert "triggered tf.function retracing" in result.stdout + result.stderr
