"""Import TensorFlow without its start-up notices: the one explicit step a chapter's setup takes.

TensorFlow 2.21 writes notices to file descriptor 2 from C++ as it starts (oneDNN is
on, no CUDA driver, the CPU's instruction sets), before any logging setting can take
effect, with timestamps and process ids that differ on every run. In a notebook they
land in the committed stderr and make it irreproducible. Every chapter's setup cell
therefore calls ``import_tensorflow_quietly()`` once, before it imports Keras.

It also drops one later remark, TensorFlow's "triggered tf.function retracing"
warning: a chapter that builds or trains several small models compiles a new graph
for each, and TensorFlow notes it as a possible slowdown. It says nothing about the
digits, and whether it appears depends on how many models a reader built before.

The function changes nothing else: it leaves every other logger record, does not
initialise TensorFlow's devices (``tf.config.set_visible_devices`` and
``tf.config.experimental.set_memory_growth`` still work afterwards), and keeps every
other line of stderr. Importing ``mnist_lessons`` alone does not import TensorFlow.
"""

import logging
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


# TensorFlow's Python warning that a function was traced again (a note on speed).
_RETRACING = "triggered tf.function retracing"


class _DropRetracing(logging.Filter):
    """A filter for the "tensorflow" logger that rejects the retracing remark only."""

    def filter(self, record):
        return _RETRACING not in record.getMessage()


def _drop_retracing_remark():
    logger = logging.getLogger("tensorflow")
    if not any(isinstance(existing, _DropRetracing) for existing in logger.filters):
        logger.addFilter(_DropRetracing())


def import_tensorflow_quietly():
    """Import TensorFlow with its start-up notices removed from stderr; return the module.

    Call it once, before importing Keras or anything that imports TensorFlow. It
    captures file descriptor 2 while TensorFlow is imported and its physical
    devices are listed (the CUDA probe writes its notice then; listing physical
    devices does not initialise the runtime), drops the known notices and writes
    every other captured line back to stderr. It also sets the environment
    variable ``TF_CPP_MIN_LOG_LEVEL=2``, unless it is already set, so that
    TensorFlow's later C++ info and warning lines (such as "Local rendezvous is
    aborting") stay out of the page; errors still appear. Finally it adds a filter
    to the "tensorflow" logger that drops the "triggered tf.function retracing"
    remark and nothing else.

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
    _drop_retracing_remark()
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
