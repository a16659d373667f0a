"""Silence TensorFlow's start-up notices, and only those.

TensorFlow 2.21 prints its start-up notices (oneDNN is on, no CUDA driver, CPU
instruction sets) straight to file descriptor 2 from C++, before any logging
setting can take effect, with timestamps and process ids that differ on every
run. In a notebook they land in the committed stderr output and make it
irreproducible. This module imports TensorFlow with descriptor 2 captured, drops
the known notices and passes every other line through. It changes no setting
that affects speed (oneDNN stays on).
"""

import os
import re
import sys
import tempfile

_NOTICES = re.compile(
    "|".join(
        [
            r"All log messages before absl::InitializeLog\(\) is called",
            r"oneDNN custom operations are on",
            r"Could not find cuda drivers on your machine",
            r"failed call to cuInit",
            r"This TensorFlow binary is optimized to use available CPU instructions",
            r"To enable the following instructions: .* rebuild TensorFlow",
            r"Unable to register cu(DNN|FFT|BLAS) factory",
            r"computation placer already registered",
        ]
    )
)


def import_tensorflow_quietly():
    """Import TensorFlow, dropping its start-up notices; return the module.

    Does nothing special when TensorFlow is already imported. Lines that are not
    known start-up notices (real errors, for example) are still written to stderr.
    """
    if "tensorflow" in sys.modules:
        return sys.modules["tensorflow"]
    # C++ log lines written after start-up honour this variable: keep warnings and info out.
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    try:
        sys.stderr.flush()
        saved = os.dup(2)
    except (OSError, ValueError, AttributeError):
        import tensorflow as tf  # no usable descriptor 2: import plainly

        return tf
    with tempfile.TemporaryFile() as capture:
        os.dup2(capture.fileno(), 2)
        try:
            import tensorflow as tf

            # The CUDA probe logs when devices are first listed, so do it here.
            tf.config.list_logical_devices()
        finally:
            os.dup2(saved, 2)
            os.close(saved)
            capture.seek(0)
            captured = capture.read().decode("utf-8", errors="replace")
    kept = [line for line in captured.splitlines() if line.strip() and not _NOTICES.search(line)]
    if kept:
        sys.stderr.write("\n".join(kept) + "\n")
    # TensorFlow's Python warnings (e.g. about retracing) name machine-specific functions.
    tf.get_logger().setLevel("ERROR")
    return tf
