import subprocess
import sys

from mnist_lessons import quiet


def test_import_prints_nothing_to_stderr():
    # TensorFlow 2.21 alone prints oneDNN and CUDA notices with timestamps on import.
    code = "import mnist_lessons, keras; mnist_lessons.pretrained('cnn').predict(__import__('numpy').zeros((1, 28, 28, 1), 'float32'), verbose=0)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""


def test_only_known_notices_are_dropped():
    assert quiet._NOTICES.search("I0000 00:00:1.2 3 port.cc:153] oneDNN custom operations are on.")
    assert not quiet._NOTICES.search("E0000 00:00:1.2 3 something.cc:1] Out of memory")
