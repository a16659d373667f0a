"""The mechanism every exercise check shares (``exercises._checking``), line by line as a student or a grader
sees it: the exact messages of its helpers (a malformed number, a wrong shape, a near-miss within its
tolerance), a crash's traceback, the defaults of the decorator, and the profiler it borrows while a
forbidden module is watched for. Each test runs in milliseconds (number checks, or checks written here)."""

import inspect
import sys

import pytest

from mnist_lessons import exercises
from mnist_lessons.exercises._checking import call, exercise


def _line(capsys):
    return capsys.readouterr().out.rstrip("\n")


def test_every_check_shows_the_signature_a_reader_calls():
    expected = "(answer, *, strict=False, traceback=False, variant='visible')"
    for name in ("check_output_size", "check_ink_fraction", "check_cnn_forward"):
        assert str(inspect.signature(getattr(exercises, name))) == expected, name


def test_a_check_is_worth_one_point_and_forbids_nothing_unless_told():
    @exercise("0.1")
    def check_anything(answer):
        return "fine."

    assert check_anything.points == 1 and check_anything.forbidden == () and not check_anything.has_hidden_variant
    assert exercises.check_ink_fraction.forbidden == ()
    # 7.3 asks for the CNN's forward pass in plain NumPy: the package's own answer, its models, Keras and TF.
    assert exercises.check_cnn_forward.forbidden == (
        "mnist_lessons.numpy_net", "mnist_lessons.models", "keras", "tensorflow")


def test_a_malformed_number_is_named_with_its_type_and_value(capsys):
    assert not exercises.check_output_size("seven")
    assert _line(capsys) == "✗ Exercise 4.2: expected a side length in pixels (a number); got str 'seven'."
    assert not exercises.check_conv_parameters(True)                  # a bool is not a count
    assert _line(capsys) == "✗ Exercise 3.2: expected a parameter count (a number); got bool True."


def test_a_wrong_number_gets_the_general_hint_however_close_in_relative_terms(capsys):
    # No tolerance: 20490.1 is 5e-6 of 20490 away, yet not a count of parameters.
    assert not exercises.check_vgg_head_parameters(20490.1)
    assert _line(capsys) == ("✗ Exercise 8.2: not right: how many times does VGG16's base halve the image, "
                             "and how many channels does it end with?")
    # 4 is within 100 % of 6 but not 6, nor one of the named near-misses (6.5, 7, 8, 5).
    assert not exercises.check_output_size(4)
    assert _line(capsys) == "✗ Exercise 4.2: not right: follow the side through each layer, one layer at a time."
    # A named near-miss is that number exactly when there is no tolerance: 20480.1 is not 20480.
    assert not exercises.check_vgg_head_parameters(20480.1)
    assert "not right" in _line(capsys)


def test_a_near_miss_is_named_within_the_check_s_tolerance(capsys):
    # 6.2 takes three decimals (tolerance 1e-3): -0.3004 is the decay-free -0.3, -0.2714 the right -0.271.
    assert not exercises.check_momentum_velocity(-0.3004)
    assert _line(capsys) == ("✗ Exercise 6.2: that ignores the decay: the old velocity is multiplied by μ each "
                             "step.")
    assert exercises.check_momentum_velocity(-0.2714)
    assert _line(capsys) == "✓ Exercise 6.2: −(0.1 + 0.09 + 0.081) = −0.271."
    # 2.1 takes two decimals (tolerance 0.01): 0.0012 is plain SGD's 0.001.
    assert not exercises.check_adam_first_step(0.0012)
    assert "that is plain SGD's ratio" in _line(capsys)


def test_an_array_of_the_wrong_kind_or_shape_is_named(capsys):
    cases = [
        (lambda m: m.diagonal()[:9] / m.sum(axis=0)[:9],
         "expected one precision per class of shape (10,); got shape (9,)."),
        (lambda m: None, "expected one precision per class (a NumPy array of numbers); got NoneType."),
        (lambda m: ["high"] * 10, "expected one precision per class (a NumPy array of numbers); got list."),
        (lambda m: [object()] * 10, "expected one precision per class (a NumPy array of numbers); got list."),
    ]
    for answer, message in cases:
        assert not exercises.check_class_precision(answer)
        assert _line(capsys) == f"✗ Exercise 7.2: {message}"


def test_a_check_result_reads_as_its_line():
    result = exercises.check_output_size(6)
    assert repr(result) == "✓ Exercise 4.2: 32 → 30 → 15 → 13 → 6."
    assert result.exercise == "4.2" and result.variant == "visible"


@exercise("0.2")
def _check_halving(answer):
    call(answer, 1)
    return "halves."


def _divide_by_zero(x):
    return x / 0


def test_a_crash_s_traceback_is_the_one_python_prints_from_the_student_s_frame_on(capsys):
    assert not _check_halving(_divide_by_zero, traceback=True)
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "Traceback (most recent call last):"
    assert lines[1].startswith('  File "') and lines[1].endswith(", in _divide_by_zero")
    assert lines[2] == "    return x / 0"
    assert lines[-2:] == ["ZeroDivisionError: division by zero",
                          "✗ Exercise 0.2: your function raised ZeroDivisionError: division by zero"]


def _pooled_moves(pixels, poolings):
    cell = 2 ** poolings
    lands = [(start + pixels) // cell for start in range(cell)]
    return {move: lands.count(move) / cell for move in set(lands)}


def _quiet_profile(frame, event, arg):
    """A profiler of the reader's own (a coverage tool, say), which a check must leave in place."""


def test_watching_for_forbidden_code_puts_back_the_profiler_that_was_there(capsys):
    previous = sys.getprofile()
    sys.setprofile(_quiet_profile)
    try:
        right = exercises.check_pooled_moves(_pooled_moves)
        after = sys.getprofile()
    finally:
        sys.setprofile(previous)
    assert right and after is _quiet_profile


@pytest.mark.parametrize("answer, message", [
    (lambda pixels, poolings: [1.0], "1 pixel, 1 pooling: expected a dict {cells moved: share}; got list."),
    (lambda pixels, poolings: {"one": 1.0},
     "1 pixel, 1 pooling: expected whole numbers of cells as keys and shares (0 to 1) as values."),
])
def test_malformed_moves_say_what_was_expected(answer, message, capsys):
    assert not exercises.check_pooled_moves(answer)
    assert _line(capsys) == f"✗ Exercise 4.1: {message}"
