"""Auto-checks for the chapters' exercises: ``exercises.check_<name>(answer)`` prints ✓ or ✗ with a hint.

Each check tests a student's function on examples (real digits where the exercise is
about them) or compares a number with the right one, and prints one line: a pass, or
a failure with a hint that does not give the answer away. A malformed answer (wrong
type, wrong shape, a function that crashes) gets a line saying what was expected
instead of an exception. Every check also returns a ``CheckResult``, true when the
answer passed, so it can be used in code (a grading script, say).

An unanswered exercise (the stub of a student copy: a function that raises
``NotImplementedError`` or the value ``NotImplemented``) raises
``NotImplementedError`` naming the exercise, so a notebook stops there the way the
stub itself would.

For a grader, every check also takes ``strict=True`` (a failure raises
``AssertionError`` carrying the ✗ line), ``traceback=True`` (a crash in the student's
code shows where it happened) and ``variant="hidden"`` (the check runs on other
examples, so that a hidden test is not the visible one). Each check carries its
``points`` and ``has_hidden_variant``; ``classroom``'s nbgrader export reads them. A
student's function that runs the package's own answer (``numpy_net`` for 7.3) fails, even
through a wrapper.

The checks live by chapter: ``data_and_layers`` (chapters 1–4), ``learning``
(5–6) and ``inside_and_beyond`` (7–9), over the shared mechanism in ``_checking``.
Importing this package does not import TensorFlow; a check that needs a model
imports it when it runs.
"""

from mnist_lessons.exercises._checking import FAIL, PASS, CheckResult
from mnist_lessons.exercises.data_and_layers import (
    check_adam_first_step,
    check_adam_step,
    check_conv_parameters,
    check_convolve,
    check_convolve_same,
    check_ink_fraction,
    check_inkiest_digit,
    check_nearest_neighbour,
    check_output_size,
    check_permute_hidden_units,
    check_pooled_moves,
)
from mnist_lessons.exercises.inside_and_beyond import (
    check_centre_by_box,
    check_choose_on_validation,
    check_class_precision,
    check_cnn_forward,
    check_new_head_model,
    check_randomised_copy,
    check_shrunk_width,
    check_vgg_head_parameters,
)
from mnist_lessons.exercises.learning import (
    check_binary_cross_entropy,
    check_cross_entropy,
    check_first_layer_gradient,
    check_fit_temperature,
    check_momentum_velocity,
    check_overlapping_pool_backward,
)

__all__ = [
    "CheckResult", "FAIL", "PASS",
    "check_ink_fraction", "check_inkiest_digit", "check_nearest_neighbour",
    "check_adam_first_step", "check_adam_step", "check_permute_hidden_units",
    "check_convolve", "check_conv_parameters", "check_convolve_same",
    "check_pooled_moves", "check_output_size",
    "check_cross_entropy", "check_fit_temperature", "check_binary_cross_entropy",
    "check_overlapping_pool_backward", "check_momentum_velocity", "check_first_layer_gradient",
    "check_randomised_copy", "check_class_precision", "check_cnn_forward",
    "check_choose_on_validation", "check_vgg_head_parameters", "check_new_head_model",
    "check_centre_by_box", "check_shrunk_width",
]
