"""The mechanism every exercise check shares: one decorator, and helpers that fail with a hint.

A check is a plain function of the student's answer, decorated with
``@exercise("3.1", points=2)``. It returns its success message, or raises ``Wrong(hint)``
as soon as something is off; the helpers below raise ``Wrong`` for the common cases (not
a function, a crash, a wrong shape, a near-miss). The decorator turns either outcome
into one printed line and a ``CheckResult``, and turns an unanswered stub into
``NotImplementedError`` naming the exercise.

What the decorator adds to every check, for a student and for a grader:

- ``strict=True`` raises ``AssertionError`` with the ✗ line instead of printing it, so
  that a grading tool (nbgrader) sees the failure; a pass still prints its ✓ line.
- ``traceback=True`` shows where the student's function crashed; by default a crash is
  the one line "your function raised ZeroDivisionError: ...".
- ``variant="hidden"`` runs the check on other data (other digits, another seed,
  other shapes), so that a grader's hidden test is not the one the student saw. A
  check has a hidden variant when it takes a ``variant`` argument (a ``Variant``,
  whose ``pick(visible, hidden)`` chooses the data); a number question has one answer,
  so its hidden variant is the visible check (``check.has_hidden_variant`` is False).
- ``forbidden={"mnist_lessons.numpy_net": hint}`` fails an answer that runs the
  package's own solution, even through a wrapper: while the student's function runs,
  ``sys.setprofile`` watches which Python code is entered.

Writing a new check is then: decorate a function of ``answer`` (and ``variant``),
build its examples with ``variant.pick``, call the student's function with ``call``,
and raise ``Wrong`` with a hint for every named mistake.
"""

import contextvars
import functools
import importlib.util
import inspect
import numbers
import os
import sys
import traceback as tracebacks

import numpy as np

PASS, FAIL = "✓", "✗"
VARIANTS = ("visible", "hidden")


class CheckResult:
    """The outcome of one check: true if the answer passed; ``exercise``, ``passed``, ``message``, ``variant``."""

    def __init__(self, exercise, passed, message, variant="visible"):
        self.exercise, self.passed, self.message, self.variant = exercise, bool(passed), message, variant

    def __bool__(self):
        return self.passed

    def __repr__(self):
        which = " (hidden test)" if self.variant == "hidden" else ""
        return f"{PASS if self.passed else FAIL} Exercise {self.exercise}{which}: {self.message}"

    def _ipython_display_(self):
        # The check has already printed this line; as a cell's last value, show nothing more.
        pass


class Wrong(Exception):
    """Raised inside a check when the answer fails; its message is the hint the student sees."""


class Variant:
    """Which examples a check runs on: ``"visible"`` (the chapter's) or ``"hidden"`` (a grader's).

    Examples
    --------
    >>> Variant("hidden").pick(visible=0, hidden=10)
    10
    """

    def __init__(self, name):
        self.name = name

    @property
    def hidden(self):
        """True for the hidden variant."""
        return self.name == "hidden"

    def pick(self, visible, hidden):
        """Return ``hidden`` in the hidden variant, ``visible`` otherwise."""
        return hidden if self.hidden else visible


class _Run:
    """What one run of a check remembers: the code the answer must not run, and the student's crash."""

    def __init__(self, forbidden):
        self.forbidden, self.crash = forbidden, None


_RUN = contextvars.ContextVar("exercise check run", default=None)


def _check_options(strict, traceback, variant):
    for value, name in ((strict, "strict"), (traceback, "traceback")):
        if not isinstance(value, bool):
            raise TypeError(f"{name} must be True or False; got {value!r} ({type(value).__name__}).")
    if not isinstance(variant, str):
        raise TypeError(f"variant must be a string, 'visible' or 'hidden'; got {type(variant).__name__}.")
    if variant not in VARIANTS:
        raise ValueError(f"variant must be 'visible' or 'hidden'; got {variant!r}.")


def exercise(number, *, points=1, forbidden=None):
    """Make ``check(answer[, variant]) -> success message`` the auto-check of exercise ``number``.

    Parameters
    ----------
    number : str
        The exercise's number, e.g. ``"3.1"``, as the book prints it.
    points : int
        What the exercise is worth in a graded course (the nbgrader export reads it).
    forbidden : dict or None
        ``{dotted name: hint}``: a module or a package of which no code may run while the
        student's function runs (its own solution in the package, say), with the hint that
        says why. Modules, not functions: what runs is known by the file its code comes from,
        which a decorator wrapping a function (a profiler's, a mutation tester's) does not
        change, whereas the function's own code object is then never entered.

    The decorated check is called as ``check(answer, strict=False, traceback=False,
    variant="visible")``. It prints "✓ Exercise N.M: message" or "✗ Exercise N.M: hint"
    and returns a ``CheckResult``; with ``strict=True`` a failure raises ``AssertionError``
    carrying that line instead. An answer that is still the stub's placeholder
    (``NotImplemented`` or ``...``), or a function that raises ``NotImplementedError``,
    raises ``NotImplementedError`` naming the exercise, so that a student copy stops there
    the way the stub itself would.
    """
    forbidden = dict(forbidden or {})

    def decorate(check):
        takes_variant = "variant" in inspect.signature(check).parameters

        @functools.wraps(check)
        def run(answer, *, strict=False, traceback=False, variant="visible"):
            _check_options(strict, traceback, variant)
            if answer is NotImplemented or answer is Ellipsis:
                raise NotImplementedError(
                    f"Exercise {number}: not answered yet; replace the placeholder with your answer.")
            state = _Run(forbidden)
            token = _RUN.set(state)
            try:
                message = check(answer, variant=Variant(variant)) if takes_variant else check(answer)
                passed = True
            except Wrong as wrong:
                message, passed = str(wrong), False
            finally:
                _RUN.reset(token)
            result = CheckResult(number, passed, message, variant)
            crash = state.crash if traceback and not passed else None
            if crash is not None and not strict:
                print(_student_traceback(crash), end="")
            if strict and not passed:
                raise AssertionError(repr(result)) from crash
            print(repr(result))
            return result

        run.__signature__ = _SIGNATURE          # what a reader calls, not the inner check's (answer, variant)
        run.exercise, run.points, run.has_hidden_variant = number, points, takes_variant
        run.forbidden = tuple(forbidden)
        return run

    return decorate


def _called_as(answer, *, strict=False, traceback=False, variant="visible"):
    """How every check is called."""


_SIGNATURE = inspect.signature(_called_as)


def _student_traceback(error):
    """The traceback of a crash in the student's code, without the check's own frames above it."""
    frame = error.__traceback__
    while frame is not None and frame.tb_frame.f_code.co_filename == __file__:
        frame = frame.tb_next
    return "".join(tracebacks.format_exception(type(error), error, frame))


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


class _Watch:
    """While active, note whether any code of the forbidden modules or functions is entered.

    ``sys.setprofile`` calls back on every Python function call, so a wrapper around the
    package's function, or a helper that calls it, is caught as surely as the function itself.
    """

    def __init__(self, forbidden):
        self.targets = [(_code_of(name), hint) for name, hint in forbidden.items()]
        self.hint = None

    def _profile(self, frame, event, _arg):
        if event != "call" or self.hint is not None:
            return
        filename = frame.f_code.co_filename
        for (folders, files), hint in self.targets:
            if filename in files or filename.startswith(folders):
                self.hint = hint
                return

    def __enter__(self):
        self.previous = sys.getprofile()
        sys.setprofile(self._profile)
        return self

    def __exit__(self, *_):
        sys.setprofile(self.previous)


@functools.lru_cache(maxsize=None)
def _code_of(name):
    """Where the code of module or package ``name`` lives: (package folders, module files)."""
    try:
        spec = importlib.util.find_spec(name)
    except (ImportError, ValueError):
        spec = None
    if spec is None:
        raise ValueError(f"forbidden names modules or packages; {name!r} is neither (name its module).")
    if spec.submodule_search_locations:      # a package: any of its modules
        return tuple(os.path.join(folder, "") for folder in spec.submodule_search_locations), ()
    return (), (spec.origin,)


def call(function, *args, context=""):
    """Call the student's function; a crash becomes Wrong saying how it failed (``context`` says where).

    While the function runs, the check's forbidden code is watched for (see ``exercise``).
    """
    state = _RUN.get()
    watch = _Watch(state.forbidden) if state is not None and state.forbidden else None
    try:
        if watch is None:
            return function(*args)
        with watch:
            result = function(*args)
    except NotImplementedError:
        raise
    except Exception as error:  # noqa: BLE001  the student's code failed: say how, without a traceback
        if watch is not None and watch.hint is not None:
            raise Wrong(watch.hint) from None
        if state is not None:
            state.crash = error
        raise Wrong(f"your function raised {type(error).__name__}: {error}{context}") from None
    if watch.hint is not None:
        raise Wrong(watch.hint)
    return result


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
