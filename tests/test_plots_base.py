"""plots._base: what every figure shares (pixels made drawable, a closed figure, a grid of axes, the signed scale),
and plots/__init__: every plotting function reachable from mnist_lessons.plots, loaded when first asked for."""

import matplotlib.pyplot as plt
import numpy as np
import pytest

import mnist_lessons.plots
from mnist_lessons.plots import images as images_module
from mnist_lessons.plots._base import display_images, grid, hide_ticks, new_figure, signed_limit


@pytest.mark.parametrize(("call", "error", "message"), [
    (lambda: display_images(np.zeros((28, 28), int), name="image", batch=False), TypeError,
     "image must be uint8 pixels 0..255 or floating-point pixels in [0, 1]; got dtype int64. Convert 0..255 "
     "integers with .astype('uint8')."),
    (lambda: display_images(np.zeros((2, 28, 28), np.uint8), name="image", batch=False), ValueError,
     "image must be one image of shape (28, 28) or (28, 28, 1); got (2, 28, 28). This looks like a batch: pass one "
     "image, e.g. images[0]."),
    (lambda: display_images(np.zeros((28, 28), np.uint8)), ValueError,
     "images must have shape (n, 28, 28) or (n, 28, 28, 1); got (28, 28). This looks like a single image: pass "
     "images[i:i+1] or image[None]."),
    (lambda: display_images(np.zeros((2, 28, 28)), name="image", batch=False), ValueError,
     "image must be one image of shape (28, 28) or (28, 28, 1); got (2, 28, 28). This looks like a batch: pass one "
     "image, e.g. images[0]."),
    (lambda: display_images(np.full((28, 28), 3.0), name="image", batch=False), ValueError,
     "image must have pixel values in [0, 1]; got values from 3 to 3. They look like 0-255 pixel values: divide by "
     "255, or load them with load_mnist(scale=True)."),
    (lambda: grid(3, 0), ValueError, "ncols must be an int from 1 to 100; got 0."),
    (lambda: grid(3, 101), ValueError, "ncols must be an int from 1 to 100; got 101."),
    (lambda: grid(3, 2.5), TypeError, "ncols must be an int; got 2.5 (float). Pass a whole number."),
], ids=["dtype", "uint8 batch for one", "uint8 one for a batch", "float batch for one", "0..255 floats",
        "ncols 0", "ncols 101", "ncols a float"])
def test_the_shared_helpers_name_the_bad_argument(call, error, message):
    with pytest.raises(error) as excinfo:
        call()
    assert str(excinfo.value) == message


def test_display_images_drops_the_channel_axis_and_gives_the_scales_maximum():
    pixels, vmax = display_images(np.full((28, 28, 1), 7, np.uint8), name="image", batch=False)
    assert pixels.shape == (28, 28) and vmax == 255 and pixels[0, 0] == 7
    pixels, vmax = display_images(np.full((3, 28, 28, 1), 0.5, np.float32))
    assert pixels.shape == (3, 28, 28) and vmax == 1.0 and pixels[2, 27, 27] == 0.5
    pixels, vmax = display_images(np.zeros((2, 28, 28, 1), np.uint8))
    assert pixels.shape == (2, 28, 28) and vmax == 255
    pixels, vmax = display_images(np.ones((28, 28)), batch=False)
    assert pixels.shape == (28, 28) and vmax == 1.0


def test_new_figure_is_closed_in_pyplot_with_the_size_and_layout_asked():
    fig = new_figure((3, 2))
    assert not plt.fignum_exists(fig.number)              # shown once, as the cell's value
    assert tuple(fig.get_size_inches()) == (3, 2) and fig.get_layout_engine().__class__.__name__ == (
        "ConstrainedLayoutEngine")


def test_hide_ticks_and_signed_limit():
    ax = new_figure((2, 2)).subplots()
    ax.plot([0, 1], [0, 1])
    hide_ticks(ax)
    assert list(ax.get_xticks()) == [] and list(ax.get_yticks()) == []
    assert signed_limit(np.array([[-3, 2], [1, 0]])) == 3.0 and isinstance(signed_limit(np.array([-3, 2])), float)
    assert signed_limit(np.zeros((2, 2))) == 1.0                 # all 0: a unit scale, not an empty one


def test_grid_fills_rows_of_ncols_and_hides_the_unused_cells():
    fig, axes = grid(5, 3, cell=2.0, extra_height=0.5)
    assert len(axes) == 5 and len(fig.axes) == 6                  # 2 rows of 3, the last cell hidden
    assert [ax.get_visible() for ax in fig.axes] == [True] * 5 + [False]
    assert tuple(fig.get_size_inches()) == pytest.approx((6.0, 4.5))   # 3 × 2 wide, 2 × 2 + 0.5 high
    fig, axes = grid(2, 10)                                       # fewer images than columns: one row of 2
    assert len(fig.axes) == 2 and tuple(fig.get_size_inches()) == pytest.approx((2.0, 1.6))
    fig, axes = grid(1, 1)
    assert len(axes) == 1 and axes[0].get_visible()


def test_the_package_finds_every_plot_in_its_module_and_lists_them():
    assert mnist_lessons.plots.plot_digits is images_module.plot_digits
    assert mnist_lessons.plots.plot_digits is images_module.plot_digits      # asked again: the same function
    names = dir(mnist_lessons.plots)
    assert set(mnist_lessons.plots.__all__) <= set(names) and names == sorted(names)
    assert "plot_confusion_matrices" in names and "plot_playground" in names and "importlib" in names
    assert len(mnist_lessons.plots.__all__) == 31
    with pytest.raises(AttributeError) as excinfo:
        mnist_lessons.plots.plot_everything   # noqa: B018
    assert str(excinfo.value) == "module 'mnist_lessons.plots' has no attribute 'plot_everything'"
