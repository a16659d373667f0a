"""plots.playground draws what the playground computed: the image read, its probabilities, the strongest maps."""

import numpy as np
import pytest
from plot_helpers import drawn, heights, titled

from mnist_lessons.playground import look
from mnist_lessons.plots import plot_playground


def test_plot_playground_shows_the_view(mnist_small, cnn):
    _, (x, _) = mnist_small
    view = look(cnn, x[0], maps_per_layer=3)
    fig = titled(plot_playground(view, title="t"))
    image_ax, bar_ax, *map_axes = fig.axes
    np.testing.assert_array_equal(drawn(image_ax), view.image)
    np.testing.assert_allclose(heights(bar_ax), view.probabilities)
    assert f"prediction {view.prediction}" in bar_ax.get_title()
    assert len(map_axes) == 6
    indices, maps = view.maps["conv2"]
    np.testing.assert_allclose(drawn(map_axes[4]), maps[1])
    assert map_axes[4].get_title() == f"conv2 map {indices[1]}"


def test_plot_playground_wants_a_view():
    with pytest.raises(TypeError, match="playground.look"):
        plot_playground({"probabilities": np.ones(10) / 10})
