"""Import TensorFlow without its start-up notices: the one explicit step a chapter's setup takes.

TensorFlow 2.21 writes notices to file descriptor 2 from C++ as it starts (oneDNN is
on, no CUDA driver, the CPU's instruction sets), before any logging setting can take
effect, with timestamps and process ids that differ on every run. In a notebook they
land in the committed stderr and make it irreproducible. Every chapter's setup cell
therefore calls ``import_tensorflow_quietly()`` once, before it imports Keras.

The function changes nothing else: it does not touch Python's loggers, does not
initialise TensorFlow's devices (``tf.config.set_visible_devices`` and
``tf.config.experimental.set_memory_growth`` still work afterwards), and keeps every
other line of stderr. Importing ``mnist_lessons`` alone does not import TensorFlow.
"""

import os
import re
import sys
import tempfile

# The notices, recognised by their text; any other line still reaches stderr.
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
    """Import TensorFlow with its start-up notices removed from stderr; return the module.

    Call it once, before importing Keras or anything that imports TensorFlow. It
    captures file descriptor 2 while TensorFlow is imported and its physical
    devices are listed (the CUDA probe writes its notice then; listing physical
    devices does not initialise the runtime), drops the known notices and writes
    every other captured line back to stderr. It also sets the environment
    variable ``TF_CPP_MIN_LOG_LEVEL=2``, unless it is already set, so that
    TensorFlow's later C++ info and warning lines (such as "Local rendezvous is
    aborting") stay out of the page; errors still appear.

    When TensorFlow is already imported, its notices have already been printed:
    the module is returned as it is.

    Returns
    -------
    module
        ``tensorflow``.

    Examples
    --------
    >>> tf = import_tensorflow_quietly()
    >>> tf.__name__
    'tensorflow'
    """
    if "tensorflow" in sys.modules:
        return sys.modules["tensorflow"]
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    try:
        sys.stderr.flush()
        saved = os.dup(2)
    except (OSError, ValueError, AttributeError):  # no usable descriptor 2: import plainly
        import tensorflow as tf

        return tf
    with tempfile.TemporaryFile() as capture:
        os.dup2(capture.fileno(), 2)
        try:
            import tensorflow as tf

            tf.config.list_physical_devices()
        finally:
            os.dup2(saved, 2)
            os.close(saved)
            capture.seek(0)
            captured = capture.read().decode("utf-8", errors="replace")
    kept = [line for line in captured.splitlines() if line.strip() and not _NOTICES.search(line)]
    if kept:
        sys.stderr.write("\n".join(kept) + "\n")
    return tf
