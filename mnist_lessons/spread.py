"""A measurement over several runs: its mean and range, and whether another run falls inside it.

One training run is one draw of the random seed (and, where digits are sampled, of the
digits): a difference between two runs may be the draw, not the method. The book states
a comparison with its spread over seeds and draws, and checks that a run made live in a
chapter falls within the spread that ``python -m mnist_lessons.record_experiments``
recorded for it.
"""

import dataclasses
import math
import numbers

import numpy as np

from mnist_lessons.checks import check_number, check_text


@dataclasses.dataclass(frozen=True)
class Spread:
    """Mean, lowest, highest and count of a measurement over runs.

    Examples
    --------
    >>> s = Spread.of([0.97, 0.98, 0.99])
    >>> round(s.mean, 3), s.low, s.high, s.n
    (0.98, 0.97, 0.99, 3)
    >>> s.describe("{:.1%}")
    '98.0 % (97.0–99.0 %, 3 runs)'
    """

    mean: float
    low: float
    high: float
    n: int

    @classmethod
    def of(cls, values):
        """The spread of a sequence of finite numbers (at least one).

        Raises
        ------
        TypeError
            If ``values`` is not a sequence of real numbers.
        ValueError
            If it is empty or holds a value that is not finite.
        """
        if isinstance(values, (str, bytes)) or not hasattr(values, "__len__"):
            raise TypeError(f"values must be a sequence of numbers, one per run; got {type(values).__name__}.")
        items = list(np.asarray(values, dtype=object).ravel()) if isinstance(values, np.ndarray) else list(values)
        if not items:
            raise ValueError("values is empty: a spread needs at least one run.")
        bad = [v for v in items if isinstance(v, bool) or not isinstance(v, (numbers.Real, np.number))]
        if bad:
            raise TypeError(f"values must be real numbers, one per run; got {bad[0]!r} ({type(bad[0]).__name__}).")
        array = np.asarray(items, dtype=np.float64)
        if not np.all(np.isfinite(array)):
            raise ValueError(f"values must be finite; got {array[~np.isfinite(array)][0]}.")
        return cls(mean=float(array.mean()), low=float(array.min()), high=float(array.max()), n=len(array))

    @property
    def width(self):
        """highest − lowest."""
        return self.high - self.low

    def contains(self, value, slack=0.0):
        """True if ``value`` lies within [low − slack, high + slack].

        ``slack`` allows for another machine: seeded training repeats bit for bit only on
        one kind of processor, so a live run elsewhere may land a little outside the
        recorded runs.
        """
        value = check_number(value, "value")
        slack = check_number(slack, "slack", low=0)
        return self.low - slack <= value <= self.high + slack

    def describe(self, number="{:.3g}"):
        """"mean (low–high, n runs)", each number formatted by ``number`` (e.g. "{:.1%}").

        A percentage's sign is written once, after the range: "98.0 % (97.0–99.0 %, 3 runs)".
        """
        check_text(number, "number")
        mean, low, high = (number.format(v) for v in (self.mean, self.low, self.high))
        unit = ""
        if all(text.endswith("%") for text in (mean, low, high)):
            mean, low, high = (text[:-1] for text in (mean, low, high))
            unit = " %"
        runs = "1 run" if self.n == 1 else f"{self.n} runs"
        return f"{mean}{unit} ({low}–{high}{unit}, {runs})"


def spreads(runs, key):
    """The spread of ``key`` over a list of runs, each a dict; ``key`` may be a path "a/b/c" into nested dicts.

    Parameters
    ----------
    runs : list of dict
        For example ``experiment_record("optimisers")["runs"]``, each ``{"seed": ..., "results": {...}}``.
    key : str
        Where the number sits in each run, e.g. ``"results/adam/test_accuracy"``.

    Returns
    -------
    Spread

    Raises
    ------
    KeyError
        If a run lacks ``key``; the message names the run and the missing part.
    """
    check_text(key, "key")
    values = []
    for index, run in enumerate(runs):
        value = run
        for part in key.split("/"):
            if not isinstance(value, dict) or part not in value:
                raise KeyError(f"run {index} has no {part!r} on the path {key!r}; it has "
                               f"{sorted(value) if isinstance(value, dict) else type(value).__name__}.")
            value = value[part]
        values.append(value)
    return Spread.of(values)


def standard_error(values):
    """The standard error of the mean of ``values`` (sample standard deviation / √n); 0 for one run."""
    spread = Spread.of(values)  # validates
    if spread.n == 1:
        return 0.0
    return float(np.std(np.asarray(values, dtype=np.float64), ddof=1) / math.sqrt(spread.n))
