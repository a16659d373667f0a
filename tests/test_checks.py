"""One way to validate arguments: TypeError for a wrong type, ValueError for a bad value, a message that helps."""

import numpy as np
import pytest

from mnist_lessons.checks import check_bool, check_choice, check_int, check_number, check_pair, check_text


@pytest.mark.parametrize("value", [True, 1.5, "3", None, np.float64(2.0)])
def test_check_int_refuses_what_is_not_an_int(value):
    with pytest.raises(TypeError, match=r"^epochs must be an int; got .*Pass a whole number\.$"):
        check_int(value, "epochs")


def test_check_int_ranges_and_numpy_ints():
    assert check_int(np.int64(3), "n", low=1) == 3 and type(check_int(np.int64(3), "n")) is int
    with pytest.raises(ValueError, match=r"^seed must be an int of at least 0; got -1\.$"):
        check_int(-1, "seed", low=0)
    with pytest.raises(ValueError, match=r"^down must be an int from -10 to 10; got 11\. Shift less\.$"):
        check_int(11, "down", low=-10, high=10, hint="Shift less.")


def test_check_number_types_ranges_and_open_bounds():
    assert check_number(np.float32(0.5), "p", low=0, high=1) == 0.5
    with pytest.raises(TypeError, match="peak must be a number; got True"):
        check_number(True, "peak")
    with pytest.raises(ValueError, match=r"peak must be a finite number in \(0, 1\]; got 0\.0"):
        check_number(0, "peak", low=0, high=1, low_open=True)
    with pytest.raises(ValueError, match="finite"):
        check_number(float("nan"), "level", low=0, high=1)
    with pytest.raises(ValueError, match=r"of at least 0"):
        check_number(-1, "size", low=0)


def test_check_bool_choice_text_and_pair():
    assert check_bool(np.bool_(True), "scale") is True
    with pytest.raises(TypeError, match="scale must be True or False; got 1"):
        check_bool(1, "scale")
    with pytest.raises(ValueError, match="kind must be one of 'auto', 'grid'; got 'pen'"):
        check_choice("pen", "kind", ("auto", "grid"))
    with pytest.raises(TypeError, match="title must be a string"):
        check_text(3, "title")
    assert check_pair((1, np.int64(2)), "pixel", low=0, high=27) == (1, 2)
    with pytest.raises(TypeError, match="tuple of two ints"):
        check_pair([1, 2], "pixel", low=0, high=27)
    with pytest.raises(ValueError, match=r"from 1 to 26, so that it has four neighbours; got \(0, 5\)"):
        check_pair((0, 5), "pixel", low=1, high=26, why=", so that it has four neighbours")
