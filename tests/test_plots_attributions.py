"""plots.attributions draws the maps given, in the book's colours, each with a colour bar; and embeddings by class."""

import matplotlib
import numpy as np
import pytest
from plot_helpers import drawn, image_axes, same_colour, titled

from mnist_lessons.plots import plot_attributions, plot_embedding
from mnist_lessons.plots._base import SIGNED_CMAP


@pytest.fixture(scope="module")
def images(mnist_small):
    (_, _), (x_test, _) = mnist_small
    return x_test[:2]


def test_plot_attributions_draws_each_map_with_a_colour_bar(images):
    maps = {"saliency": np.random.default_rng(0).random((2, 28, 28)),
            "occlusion": np.random.default_rng(1).normal(size=(2, 28, 28))}
    fig = titled(plot_attributions(images, maps, row_labels=["a", "b"], title="t", diverging=["occlusion"]))
    axes = image_axes(fig)
    assert len(axes) == 6 and [ax.get_title() for ax in axes[:3]] == ["image", "saliency", "occlusion"]
    np.testing.assert_array_equal(drawn(axes[3]), images[1])
    np.testing.assert_allclose(drawn(axes[4]), maps["saliency"][1])
    np.testing.assert_allclose(drawn(axes[5]), maps["occlusion"][1])
    signed = axes[5].images[0]
    limit = np.abs(maps["occlusion"][1]).max()
    assert signed.get_cmap().name == SIGNED_CMAP and signed.get_clim() == pytest.approx((-limit, limit))
    assert axes[4].images[0].get_cmap().name == "hot_r" and axes[4].images[0].get_clim()[0] == 0
    colour_bars = [ax for ax in fig.axes if ax.get_label() == "<colorbar>"]
    assert len(colour_bars) == 4                  # one per map, none for the images


def test_plot_attributions_bad_input(images):
    maps = {"saliency": np.random.default_rng(0).random((2, 28, 28)),
            "occlusion": np.random.default_rng(1).normal(size=(2, 28, 28))}
    with pytest.raises(ValueError, match="list it in diverging"):
        plot_attributions(images, maps, row_labels=["a", "b"], title="t")
    with pytest.raises(ValueError, match="not"):
        plot_attributions(images, maps, row_labels=["a", "b"], title="t", diverging=["nope"])
    with pytest.raises(ValueError, match="NaN"):
        plot_attributions(images, {"s": np.full((2, 28, 28), np.nan)}, row_labels=["a", "b"], title="t")
    blank = plot_attributions(np.zeros((1, 28, 28), "float32"), {"s": np.zeros((1, 28, 28))},
                              row_labels=["blank"], title="t")
    assert len(image_axes(blank)) == 2
    with pytest.raises(ValueError, match=r"must have shape \(2, 28, 28\)"):
        plot_attributions(images, {"s": np.zeros((3, 28, 28))}, row_labels=["a", "b"], title="t")
    with pytest.raises(TypeError, match="non-empty dict"):
        plot_attributions(images, [], row_labels=["a", "b"], title="t")
    with pytest.raises(ValueError, match="row_labels"):
        plot_attributions(images, maps, row_labels=["a"], title="t", diverging=["occlusion"])


def test_plot_embedding_scatters_each_class_where_its_points_are():
    points = np.random.default_rng(0).normal(size=(50, 2))
    labels = np.arange(50) % 10
    fig = titled(plot_embedding(points, labels, title="t"))
    collections = fig.axes[0].collections
    assert len(collections) == 10
    for digit, collection in enumerate(collections):
        np.testing.assert_allclose(collection.get_offsets(), points[labels == digit])
    with pytest.raises(ValueError, match=r"shape \(n, 2\)"):
        plot_embedding(np.zeros((5, 3)), np.zeros(5, int), title="t")
    with pytest.raises(ValueError, match="one label per image"):
        plot_embedding(points, labels[:10], title="t")


_IMAGES, _MAPS, _LABELS = np.zeros((2, 28, 28)), {"s": np.zeros((2, 28, 28))}, ["a", "b"]
_BAD_INPUT = {   # a call with one bad argument: the exception and the exact message a student reads
    "attributions, title": (lambda: plot_attributions(_IMAGES, _MAPS, row_labels=_LABELS, title=None), TypeError,
                            "title must be a string; got None (NoneType)."),
    "attributions, images of ints": (
        lambda: plot_attributions(np.zeros((2, 28, 28), int), _MAPS, row_labels=_LABELS, title="t"), TypeError,
        "images must be uint8 pixels 0..255 or floating-point pixels in [0, 1]; got dtype int64. Convert 0..255 "
        "integers with .astype('uint8')."),
    "attributions, images 0..255": (
        lambda: plot_attributions(_IMAGES + 2, _MAPS, row_labels=_LABELS, title="t"), ValueError,
        "images must have pixel values in [0, 1]; got values from 2 to 2. They look like 0-255 pixel values: divide "
        "by 255, or load them with load_mnist(scale=True)."),
    "attributions, uint8 images of the wrong shape": (
        lambda: plot_attributions(np.zeros((2, 27, 28), np.uint8), _MAPS, row_labels=_LABELS, title="t"),
        ValueError, "images must have shape (n, 28, 28) or (n, 28, 28, 1); got (2, 27, 28)."),
    "attributions, 11 images": (
        lambda: plot_attributions(np.zeros((11, 28, 28)), _MAPS, row_labels=_LABELS, title="t"), ValueError,
        "the number of images must be an int from 1 to 10; got 11."),
    "attributions, maps a list": (lambda: plot_attributions(_IMAGES, [1], row_labels=_LABELS, title="t"), TypeError,
                                  "maps must be a non-empty dict {column title: array of shape (n, 28, 28)}; got "
                                  "list."),
    "attributions, maps empty": (lambda: plot_attributions(_IMAGES, {}, row_labels=_LABELS, title="t"), TypeError,
                                 "maps must be a non-empty dict {column title: array of shape (n, 28, 28)}; got "
                                 "dict."),
    "attributions, diverging a string": (
        lambda: plot_attributions(_IMAGES, _MAPS, row_labels=_LABELS, title="t", diverging="s"), ValueError,
        "diverging must list column titles of maps; 's' are not."),
    "attributions, diverging unknown": (
        lambda: plot_attributions(_IMAGES, _MAPS, row_labels=_LABELS, title="t", diverging=["s", "x", "a"]),
        ValueError, "diverging must list column titles of maps; ['a', 'x'] are not."),
    "attributions, a map's shape": (
        lambda: plot_attributions(_IMAGES, {"s": np.zeros((2, 28))}, row_labels=_LABELS, title="t"), ValueError,
        "maps['s'] must have shape (2, 28, 28), one map per image; got (2, 28)."),
    "attributions, infinity": (
        lambda: plot_attributions(_IMAGES, {"s": np.full((2, 28, 28), np.inf)}, row_labels=_LABELS, title="t"),
        ValueError, "maps['s'] contains NaN or infinity."),
    "attributions, negative heat": (
        lambda: plot_attributions(_IMAGES, {"s": -np.ones((2, 28, 28))}, row_labels=_LABELS, title="t"), ValueError,
        "maps['s'] has negative values; list it in diverging=[...] to draw it on a signed scale."),
    "attributions, row_labels a string": (
        lambda: plot_attributions(_IMAGES, _MAPS, row_labels="ab", title="t"), ValueError,
        "row_labels must be 2 strings, one per image; got 'ab'."),
    "attributions, too few row_labels": (
        lambda: plot_attributions(_IMAGES, _MAPS, row_labels=("a",), title="t"), ValueError,
        "row_labels must be 2 strings, one per image; got ('a',)."),
    "embedding, title": (lambda: plot_embedding(np.zeros((5, 2)), np.arange(5), title=1), TypeError,
                         "a title or axis label must be a string; got 1 (int)."),
    "embedding, xlabel": (lambda: plot_embedding(np.zeros((5, 2)), np.arange(5), title="t", xlabel=None), TypeError,
                          "a title or axis label must be a string; got None (NoneType)."),
    "embedding, ylabel": (lambda: plot_embedding(np.zeros((5, 2)), np.arange(5), title="t", ylabel=2.0), TypeError,
                          "a title or axis label must be a string; got 2.0 (float)."),
    "embedding, points 1-D": (lambda: plot_embedding(np.zeros(5), np.arange(5), title="t"), ValueError,
                              "points must be numbers of shape (n, 2); got shape (5,)."),
    "embedding, points 3-D": (lambda: plot_embedding(np.zeros((5, 2, 1)), np.arange(5), title="t"), ValueError,
                              "points must be numbers of shape (n, 2); got shape (5, 2, 1)."),
    "embedding, points as text": (lambda: plot_embedding(np.full((5, 2), "a"), np.arange(5), title="t"), ValueError,
                                  "points must be numbers of shape (n, 2); got shape (5, 2)."),
    "embedding, labels": (lambda: plot_embedding(np.zeros((5, 2)), np.arange(3), title="t"), ValueError,
                          "labels must have shape (5,), one label per image; got (3,)."),
    "embedding, labels above 9": (lambda: plot_embedding(np.zeros((5, 2)), np.arange(5) + 6, title="t"), ValueError,
                                  "labels must be in 0..9; got values from 6 to 10."),
}


@pytest.mark.parametrize("case", _BAD_INPUT)
def test_the_attribution_plots_name_the_bad_argument_and_say_what_is_wanted(case):
    call, error, message = _BAD_INPUT[case]
    with pytest.raises(error) as excinfo:
        call()
    assert str(excinfo.value) == message


def test_plot_attributions_of_uint8_digits_outlines_the_strokes_at_half_of_255():
    images = np.zeros((1, 28, 28, 1), np.uint8)
    images[0, 5:20, 10:14] = 200                                       # a bar, with a channel axis
    heat = np.zeros((1, 28, 28))
    heat[0, 10, 12] = 0.5
    fig = titled(plot_attributions(images, {"heat": heat}, row_labels=["a bar"], title="Bar"))
    image_ax, heat_ax = image_axes(fig)
    assert image_ax.images[0].get_clim() == (0, 255) and image_ax.get_ylabel() == "a bar"
    np.testing.assert_array_equal(drawn(image_ax), images[0, ..., 0])
    assert heat_ax.images[0].get_clim() == (0, 0.5)                   # a heat map's scale: 0 to its largest
    assert list(heat_ax.collections[0].levels) == [127.5]             # the outline at half the pixel scale
    assert fig.get_suptitle() == "Bar (green outline: the digit's strokes)"   # no signed map, no note


def test_plot_attributions_writes_the_signed_note_and_keeps_a_zero_signed_map_on_a_unit_scale():
    images = np.zeros((1, 28, 28))
    images[0, 4:24, 13:15] = 1.0
    fig = titled(plot_attributions(images, {"flat": np.zeros((1, 28, 28))}, row_labels=["one"], title="T",
                                   diverging=("flat",)))
    flat = image_axes(fig)[1].images[0]
    assert flat.get_clim() == (-1.0, 1.0) and flat.get_cmap().name == SIGNED_CMAP
    assert list(image_axes(fig)[1].collections[0].levels) == [0.5]
    assert fig.get_suptitle() == "T (green outline: the digit's strokes; signed maps blue > 0 > red)"


def test_plot_embedding_labels_its_axes_and_marks_the_centre_of_each_class_present():
    points = np.array([[0.0, 0], [2, 4], [10, 10], [12, 10]])
    labels = np.array([3, 3, 7, 7])                                    # only two classes
    fig = titled(plot_embedding(points, labels, title="Two", xlabel="PC 1", ylabel="PC 2"))
    ax = fig.axes[0]
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("PC 1", "PC 2")
    assert [(t.get_text(), t.get_position()) for t in ax.texts] == [("3", (1.0, 2.0)), ("7", (11.0, 10.0))]
    assert len(ax.collections) == 10 and len(ax.collections[0].get_offsets()) == 0   # every class in the legend
    assert same_colour(ax.texts[1].get_color(), matplotlib.colormaps["tab10"](7))
    assert [t.get_text() for t in ax.get_legend().get_texts()] == [str(d) for d in range(10)]


def test_plot_attributions_draws_a_faint_image_on_the_full_scale_without_an_outline():
    faint = np.full((1, 28, 28), 0.3)
    faint[0, 8:20, 12:16] = 0.5                                        # nothing above half the scale
    fig = titled(plot_attributions(faint, {"heat": np.ones((1, 28, 28))}, row_labels=["faint"], title="Faint"))
    image_ax, heat_ax = image_axes(fig)
    assert image_ax.images[0].get_clim() == (0, 1.0)                  # 0.3 stays a light grey
    assert len(heat_ax.collections) == 0                               # no stroke to outline


def test_plot_attributions_colour_bars_are_shorter_than_their_maps():
    fig = plot_attributions(np.zeros((1, 28, 28)), {"heat": np.ones((1, 28, 28))}, row_labels=["r"], title="t")
    fig.draw_without_rendering()
    heat_ax = image_axes(fig)[1]
    bar_ax = next(ax for ax in fig.axes if ax.get_label() == "<colorbar>")
    assert bar_ax.get_position().height < 0.95 * heat_ax.get_position().height     # shrunk, not as tall
