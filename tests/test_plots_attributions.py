"""plots.attributions draws the maps given, in the book's colours, each with a colour bar; and embeddings by class."""

import numpy as np
import pytest
from plot_helpers import drawn, image_axes, titled

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
