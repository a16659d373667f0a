"""plots.playground draws what the playground computed: the image read, its probabilities, the strongest maps."""

import matplotlib
import numpy as np
import pytest
from plot_helpers import drawn, heights, same_colour, titled

from mnist_lessons.playground import View, look
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


def _view(maps):
    image = np.zeros((28, 28))
    image[10:18, 13:15] = 1.0                                         # a stroke: a 1
    probabilities = np.full(10, 0.02)
    probabilities[1] = 0.82                                           # 9 × 0.02 + 0.82 = 1
    return View(image, probabilities, maps)


def test_plot_playground_without_maps_shows_the_image_and_the_bars_only():
    fig = titled(plot_playground(_view({})))
    assert fig.get_suptitle() == "What the CNN sees and says"
    image_ax, bar_ax = fig.axes
    assert image_ax.get_title() == "what it reads (28×28)"
    assert bar_ax.get_title() == "prediction 1 (0.82)"
    assert [same_colour(patch.get_facecolor(), "tab:blue") for patch in bar_ax.patches] == [i == 1 for i in range(10)]
    assert bar_ax.get_ylim() == (0, 1) and bar_ax.get_xlabel() == "class" and bar_ax.get_ylabel() == "probability"
    assert list(bar_ax.get_xticks()) == list(range(10))
    spec = image_ax.get_subplotspec()
    assert (spec.rowspan, spec.colspan) == (range(0, 1), range(0, 1))
    assert spec.get_gridspec().get_geometry() == (1, 2) and spec.get_gridspec().get_width_ratios() == [1.3, 2.2]


def test_plot_playground_gives_each_layer_a_row_as_wide_as_the_longest():
    first = np.zeros((1, 4, 4))                                       # a map that is 0 everywhere
    second = np.stack([np.eye(3) * 2, np.ones((3, 3))])               # the strongest first
    fig = titled(plot_playground(_view({"a": ([5], first), "b": ([2, 0], second)}), title="Two layers"))
    image_ax, bar_ax, *map_axes = fig.axes
    assert [ax.get_title() for ax in map_axes] == ["a map 5", "b map 2", "b map 0"]
    assert map_axes[0].images[0].get_clim() == (0, 1.0)                # all 0: a scale from 0 to 1
    assert [ax.images[0].get_clim() for ax in map_axes[1:]] == [(0, 2.0), (0, 2.0)]   # the layer's largest value
    np.testing.assert_array_equal(drawn(map_axes[2]), np.ones((3, 3)))
    spec = map_axes[2].get_subplotspec()
    assert (spec.rowspan, spec.colspan) == (range(1, 2), range(3, 4))   # row 2, the second map after image and bars
    assert spec.get_gridspec().get_geometry() == (2, 4)
    assert spec.get_gridspec().get_width_ratios() == [1.3, 2.2, 1, 1]     # the image, the bars, then maps
    assert image_ax.get_subplotspec().rowspan == range(0, 2)          # the image and the bars span both rows


def test_plot_playground_draws_a_faint_image_on_the_0_to_1_scale_and_maps_in_viridis_whatever_the_style():
    view = _view({"a": ([0], np.ones((1, 3, 3)))})
    view.image = np.full((20, 28), 0.4)                               # any image: its own shape in the title
    with matplotlib.rc_context({"image.cmap": "gray"}):
        image_ax, _, map_ax = plot_playground(view).axes
    assert image_ax.images[0].get_clim() == (0, 1)                    # 0.4 is a light grey, not black
    assert image_ax.get_title() == "what it reads (20×28)"
    assert map_ax.images[0].get_cmap().name == "viridis"


@pytest.mark.parametrize(("call", "error", "message"), [
    (lambda: plot_playground(_view({}), title=None), TypeError, "title must be a string; got None (NoneType)."),
    (lambda: plot_playground([0.1] * 10), TypeError,
     "view must be what mnist_lessons.playground.look returned; got list."),
], ids=["title", "view"])
def test_plot_playground_names_the_bad_argument(call, error, message):
    with pytest.raises(error) as excinfo:
        call()
    assert str(excinfo.value) == message
