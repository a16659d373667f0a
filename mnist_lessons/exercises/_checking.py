"""The mechanism every exercise check shares: one decorator, and helpers that fail with a hint.

A check is a plain function of the student's answer, decorated with
``@exercise("3.1")``. It returns its success message, or raises ``Wrong(hint)`` as
soon as something is off; the helpers below raise ``Wrong`` for the common cases (not
a function, a crash, a wrong shape, a near-miss). The decorator turns either outcome
into one printed line and a ``CheckResult``, and turns an unanswered stub into
``NotImplementedError`` naming the exercise.
"""

import functools
import inspect
import numbers

import numpy as np

PASS, FAIL = "✓", "✗"


class CheckResult:
    """The outcome of one check: true if the answer passed; ``exercise``, ``passed`` and ``message``."""

    def __init__(self, exercise, passed, message):
        self.exercise, self.passed, self.message = exercise, bool(passed), message

    def __bool__(self):
        return self.passed

    def __repr__(self):
        return f"{PASS if self.passed else FAIL} Exercise {self.exercise}: {self.message}"

    def _ipython_display_(self):
        # The check has already printed this line; as a cell's last value, show nothing more.
        pass


class Wrong(Exception):
    """Raised inside a check when the answer fails; its message is the hint the student sees."""


def exercise(number):
    """Make ``check(answer) -> success message`` the auto-check of exercise ``number``.

    The decorated check prints "✓ Exercise N.M: message" or "✗ Exercise N.M: hint"
    and returns a ``CheckResult``. An answer that is still the stub's placeholder
    (``NotImplemented`` or ``...``), or a function that raises
    ``NotImplementedError``, raises ``NotImplementedError`` naming the exercise, so
    that a student copy stops there the way the stub itself would.
    """
    def decorate(check):
        @functools.wraps(check)
        def run(answer):
            if answer is NotImplemented or answer is Ellipsis:
                raise NotImplementedError(
                    f"Exercise {number}: not answered yet; replace the placeholder with your answer.")
            try:
                message, passed = check(answer), True
            except Wrong as wrong:
                message, passed = str(wrong), False
            result = CheckResult(number, passed, message)
            print(repr(result))
            return result

        run.exercise = number
        return run

    return decorate


def require_function(answer, signature):
    """Raise Wrong unless ``answer`` is a function that accepts the arguments of ``signature``.

    ``signature`` is how the exercise names it, e.g. ``"convolve(image, kernel)"``;
    extra arguments with defaults are fine.
    """
    expected = signature.count(",") + 1
    if not callable(answer):
        raise Wrong(f"expected a function {signature}; got {type(answer).__name__}.")
    try:
        parameters = inspect.signature(answer)
    except (TypeError, ValueError):          # a builtin without a signature: let the call decide
        return
    try:
        parameters.bind(*range(expected))
    except TypeError:
        raise Wrong(f"expected a function {signature} with {expected} argument(s); yours takes "
                    f"{len(parameters.parameters)}.") from None


def call(function, *args, context=""):
    """Call the student's function; a crash becomes Wrong saying how it failed (``context`` says where)."""
    try:
        return function(*args)
    except NotImplementedError:
        raise
    except Exception as error:  # noqa: BLE001  the student's code failed: say how, without a traceback
        raise Wrong(f"your function raised {type(error).__name__}: {error}{context}") from None


def as_array(result, shape, what, hint=""):
    """Return ``result`` as an array of numbers of ``shape``, or raise Wrong saying what was expected."""
    array = np.asarray(result) if result is not None else None
    if array is None or array.dtype == object or not np.issubdtype(array.dtype, np.number):
        raise Wrong(f"expected {what} (a NumPy array of numbers); got {type(result).__name__}.")
    if array.shape != shape:
        raise Wrong(f"expected {what} of shape {shape}; got shape {array.shape}." + (f" {hint}" if hint else ""))
    return array


def as_number(answer, what):
    """Return ``answer`` as a float, or raise Wrong if it is not a number."""
    if isinstance(answer, bool) or not isinstance(answer, (numbers.Real, np.number)):
        raise Wrong(f"expected {what} (a number); got {type(answer).__name__} {answer!r}.")
    return float(answer)


def compare_value(answer, what, expected, *, near_misses=(), hint, success, tolerance=0.0):
    """Compare a number with ``expected``: return ``success``, or raise Wrong with the hint of a named near-miss."""
    value = as_number(answer, what)
    for wrong, wrong_hint in near_misses:
        if np.isclose(value, wrong, rtol=0, atol=tolerance):
            raise Wrong(wrong_hint)
    if not np.isclose(value, expected, rtol=0, atol=tolerance):
        raise Wrong(hint)
    return success
