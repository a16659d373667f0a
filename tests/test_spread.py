import numpy as np
import pytest

from mnist_lessons.spread import Spread, spreads, standard_error


def test_spread_of_numbers_by_hand():
    s = Spread.of([0.2, 0.5, 0.8, 0.5])
    assert (s.low, s.high, s.n) == (0.2, 0.8, 4)
    assert s.mean == pytest.approx(0.5) and s.width == pytest.approx(0.6)


def test_contains_with_and_without_slack():
    s = Spread.of([0.97, 0.99])
    assert s.contains(0.97) and s.contains(0.99) and s.contains(0.98)
    assert not s.contains(0.965) and s.contains(0.965, slack=0.005)
    assert not s.contains(0.9951, slack=0.005)


def test_describe_percent_and_plain():
    assert Spread.of([0.97, 0.98, 0.99]).describe("{:.1%}") == "98.0 % (97.0–99.0 %, 3 runs)"
    assert Spread.of([1.5]).describe("{:.2f}") == "1.50 (1.50–1.50, 1 run)"


def test_spreads_follows_a_path_and_names_a_missing_part():
    runs = [{"results": {"adam": {"accuracy": 0.9}}}, {"results": {"adam": {"accuracy": 0.95}}}]
    assert spreads(runs, "results/adam/accuracy").high == 0.95
    with pytest.raises(KeyError, match="run 1 has no 'sgd'"):
        spreads([{"results": {"sgd": {"accuracy": 1}}}, {"results": {"adam": {}}}], "results/sgd/accuracy")


def test_standard_error_by_hand():
    assert standard_error([1.0]) == 0.0
    # sample std of (1, 3) is sqrt(2); / sqrt(2) = 1
    assert standard_error([1.0, 3.0]) == pytest.approx(1.0)


@pytest.mark.parametrize("bad, error", [([], ValueError), ("0.9", TypeError), ([0.9, None], TypeError),
                                        ([0.9, float("nan")], ValueError), ([True], TypeError), (0.9, TypeError)])
def test_bad_values_are_refused(bad, error):
    with pytest.raises(error):
        Spread.of(bad)


def test_numpy_arrays_are_accepted():
    assert Spread.of(np.array([1, 2, 3])).mean == 2.0
