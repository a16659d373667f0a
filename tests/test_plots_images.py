"""plots.images draws the digits, pixel values, flattening, receptive fields and map tables it is given."""

import numpy as np
import pytest
from plot_helpers import drawn, image_axes, labelled, same_colour, titled

from mnist_lessons.plots import plot_digits, plot_flattened, plot_map_grid, plot_pixel_grid, plot_receptive_field
from mnist_lessons.plots._base import CORRECT, SIGNED_CMAP, WRONG


@pytest.fixture(scope="module")
def images(mnist_small):
    (_, _), (x_test, y_test) = mnist_small
    return x_test[:6], y_test[:6]


def test_plot_digits_draws_each_digit_with_its_label_and_marks_mistakes(images):
    x, y = images
    predictions = y.copy()
    predictions[1] = (y[1] + 1) % 10
    fig = titled(plot_digits(x, y, predictions))
    axes = image_axes(fig)
    assert len(axes) == 6
    for ax, image in zip(axes, x):
        np.testing.assert_array_equal(drawn(ax), image)
    assert axes[0].get_title() == str(y[0]) and same_colour(axes[0].title.get_color(), CORRECT)
    assert axes[1].get_title() == f"{y[1]}→{predictions[1]}" and same_colour(axes[1].title.get_color(), WRONG)


def test_plot_digits_uint8_and_channel_axis(images):
    x, y = images
    raw = (x * 255).astype(np.uint8)
    fig = titled(plot_digits(raw[..., None], y, predictions=(y + 1) % 10))
    assert "→" in fig.axes[0].get_title()
    np.testing.assert_array_equal(drawn(image_axes(fig)[2]), raw[2])
    assert image_axes(fig)[0].images[0].get_clim() == (0, 255)


def test_plot_digits_with_probabilities(images):
    x, y = images
    fig = titled(plot_digits(x, y, y, probabilities=np.linspace(0.1, 0.9, len(x))))
    assert fig.axes[0].get_xlabel() == "0.10" and fig.axes[5].get_xlabel() == "0.90"
    with pytest.raises(ValueError, match="probabilities must be 6 numbers"):
        plot_digits(x, y, probabilities=[0.5])
    with pytest.raises(ValueError, match="probabilities"):
        plot_digits(x, y, probabilities=np.full(len(x), 2.0))


def test_plot_pixel_grid_writes_every_non_zero_value(images):
    raw = (images[0][0] * 255).astype(np.uint8)
    fig = plot_pixel_grid(raw)
    ax = fig.axes[0]
    assert ax.get_xlabel() == "column" and ax.get_ylabel() == "row" and ax.get_title()
    np.testing.assert_array_equal(drawn(ax), raw)
    written = {(round(text.get_position()[1]), round(text.get_position()[0])): int(text.get_text())
               for text in ax.texts}
    assert written == {(r, c): int(v) for (r, c), v in np.ndenumerate(raw) if v}


def test_plot_flattened_marks_the_pixel_and_its_neighbours(images):
    fig = titled(plot_flattened(images[0][0], pixel=(10, 12)))
    image_ax, strip_ax = fig.axes
    assert labelled(image_ax) and strip_ax.get_xlabel().endswith("is at 292)")
    np.testing.assert_array_equal(drawn(strip_ax), images[0][0].reshape(1, 784))
    assert {text.get_text() for text in strip_ax.texts} == {"left: 291", "right: 293", "above: 264", "below: 320"}
    assert sorted(line.get_xdata()[0] for line in strip_ax.lines) == [264, 291, 292, 293, 320]


def test_plot_flattened_bad_pixel(images):
    with pytest.raises(ValueError, match="from 1 to 26"):
        plot_flattened(images[0][0], pixel=(0, 5))
    with pytest.raises(ValueError, match="looks like a batch"):
        plot_flattened(images[0])


def test_plot_receptive_field_draws_the_square_where_asked(images):
    fig = titled(plot_receptive_field(images[0][0], (4, 6), 8))
    ax = fig.axes[0]
    assert labelled(ax) and len(ax.patches) == 1
    square = ax.patches[0]
    assert square.get_xy() == (5.5, 3.5) and square.get_width() == square.get_height() == 8
    np.testing.assert_array_equal(drawn(ax), images[0][0])


def test_plot_receptive_field_bad_input(images):
    with pytest.raises(ValueError, match="from 0 to 20"):
        plot_receptive_field(images[0][0], (21, 0), 8)
    with pytest.raises(ValueError, match="size must be an int from 1 to 28"):
        plot_receptive_field(images[0][0], (0, 0), 29)
    with pytest.raises(ValueError, match="looks like a batch"):
        plot_receptive_field(images[0], (0, 0), 3)


def test_plot_map_grid_draws_each_map_in_its_cell_on_a_signed_scale():
    maps = np.random.default_rng(0).normal(size=(2, 3, 5, 5))
    fig = titled(plot_map_grid(maps, row_labels=["a", "b"], col_labels=["x", "y", "z"], title="t"))
    assert [ax.get_title() for ax in fig.axes[:3]] == ["x", "y", "z"]
    assert fig.axes[3].get_ylabel() == "b"
    for ax, values in zip(fig.axes, maps.reshape(6, 5, 5)):
        np.testing.assert_allclose(drawn(ax), values)
        low, high = ax.images[0].get_clim()
        assert low == -high == -np.abs(values).max() and ax.images[0].get_cmap().name == SIGNED_CMAP
    titled(plot_map_grid(np.abs(maps), row_labels="ab", col_labels="xyz", title="t", diverging=False))


def test_plot_map_grid_bad_input():
    with pytest.raises(ValueError, match=r"shape \(rows, columns, height, width\)"):
        plot_map_grid(np.zeros((3, 5, 5)), row_labels=["a"], col_labels=["b"], title="t")
    with pytest.raises(ValueError, match="need 2 row labels and 3 column labels"):
        plot_map_grid(np.zeros((2, 3, 5, 5)), row_labels=["a"], col_labels=["x", "y", "z"], title="t")
    with pytest.raises(ValueError, match="numeric"):
        plot_map_grid(np.full((1, 1, 2, 2), "a"), row_labels=["a"], col_labels=["b"], title="t")


def test_plot_map_grid_accepts_rows_of_different_sizes():
    rows = [[np.zeros((8, 8)), np.ones((28, 28))], [np.eye(8), np.eye(28)]]
    fig = titled(plot_map_grid(rows, row_labels=["a", "b"], col_labels=["8×8", "28×28"], title="t",
                               diverging=False))
    assert drawn(fig.axes[0]).shape == (8, 8) and drawn(fig.axes[1]).shape == (28, 28)
    np.testing.assert_array_equal(drawn(fig.axes[3]), np.eye(28))
    with pytest.raises(ValueError, match="same number of maps"):
        plot_map_grid([[np.eye(8)], [np.eye(8), np.eye(28)]], row_labels=["a", "b"], col_labels=["x"], title="t")
    with pytest.raises(ValueError, match="2-D"):
        plot_map_grid([[np.zeros(8), np.eye(28)]], row_labels=["a"], col_labels=["x", "y"], title="t")


# --- bad input shared by the image figures ------------------------------------------------------

def test_pixels_0_to_255_as_floats_are_refused(images):
    with pytest.raises(ValueError, match=r"\[0, 1\]"):
        plot_digits(images[0] * 255, images[1])


def test_rgb_and_missing_or_extra_batch_axes(images):
    rgb = np.repeat(images[0][..., None], 3, axis=-1)
    with pytest.raises(ValueError, match="RGB"):
        plot_digits(rgb)
    with pytest.raises(ValueError, match="single image"):
        plot_digits(images[0][0])
    with pytest.raises(ValueError, match="looks like a batch"):
        plot_pixel_grid(images[0])


def test_labels_checked(images):
    x, y = images
    with pytest.raises(ValueError, match=r"shape \(6,\)"):
        plot_digits(x, y[:3])
    with pytest.raises(ValueError, match=r"in 0\.\.9"):
        plot_digits(x, y + 10)


def test_more_bad_arguments(images):
    x, y = images
    with pytest.raises(TypeError, match="title must be a string"):
        plot_digits(x, y, title=None)
    with pytest.raises(ValueError, match="ncols must be an int from 1 to 100"):
        plot_digits(x, ncols=0)
    with pytest.raises(TypeError, match="ncols must be an int"):
        plot_digits(x, ncols="a")
    with pytest.raises(ValueError, match="at most 100 digits"):
        plot_digits(np.zeros((101, 28, 28), np.uint8))
    with pytest.raises(TypeError, match=r"uint8 pixels 0\.\.255 or floating-point"):
        plot_pixel_grid((x[0] * 255).astype(np.int64))


def test_plot_map_grid_activation_kind_puts_zero_at_the_bottom_of_one_scale_per_row():
    maps = np.abs(np.random.default_rng(1).normal(size=(2, 3, 6, 6)))
    maps[0, 1] = 0                                                     # a map with no response at all
    fig = titled(plot_map_grid(maps, row_labels=["a", "b"], col_labels=["x", "y", "z"], title="t", kind="activation"))
    axes = image_axes(fig)
    assert all(ax.images[0].get_cmap().name == "viridis" for ax in axes)
    assert axes[1].images[0].get_clim() == pytest.approx((0, maps[0].max()))
    assert axes[4].images[0].get_clim() == pytest.approx((0, maps[1].max()))
    assert len([ax for ax in fig.axes if ax.get_label() == "<colorbar>"]) == 2
    assert "0, no response, is the darkest" in fig._suptitle.get_text()
    with pytest.raises(ValueError, match='use kind="signed"'):
        plot_map_grid(-maps, row_labels=["a", "b"], col_labels=["x", "y", "z"], title="t", kind="activation")
    with pytest.raises(ValueError, match="kind must be one of"):
        plot_map_grid(maps, row_labels=["a", "b"], col_labels=["x", "y", "z"], title="t", kind="bright")


def test_plot_map_grid_colour_bar_labels_stay_beside_their_own_row():
    maps = np.abs(np.random.default_rng(2).normal(size=(4, 5, 6, 6)))
    fig = titled(plot_map_grid(maps, row_labels=list("abcd"), col_labels=list("vwxyz"), title="t", kind="activation"))
    fig.canvas.draw()
    bars = [ax for ax in fig.axes if ax.get_label() == "<colorbar>"]
    labels = [bar.yaxis.label.get_window_extent() for bar in bars]
    for bar, label in zip(bars, labels):
        box = bar.get_window_extent()
        assert box.y0 - 1 <= label.y0 and label.y1 <= box.y1 + 1, "a label taller than its colour bar"
    assert not any(a.overlaps(b) for i, a in enumerate(labels) for b in labels[i + 1:])


def test_plot_digits_with_captions(images):
    x, _ = images
    fig = titled(plot_digits(x, captions=[f"shift {s}" for s in range(6)]))
    assert [ax.get_xlabel() for ax in image_axes(fig)] == [f"shift {s}" for s in range(6)]
    with pytest.raises(ValueError, match="captions must be 6 strings"):
        plot_digits(x, captions=["a"])


def test_plot_map_grid_bar_label_names_values_that_are_not_activations():
    maps = np.random.default_rng(3).uniform(size=(1, 2, 6, 6))
    fig = titled(plot_map_grid(maps, row_labels=["a"], col_labels=["x", "y"], title="t", kind="activation",
                               bar_label="÷ largest value"))
    (bar,) = [ax for ax in fig.axes if ax.get_label() == "<colorbar>"]
    assert bar.get_ylabel() == "÷ largest value"
    assert "0 is the darkest" in fig._suptitle.get_text() and "no response" not in fig._suptitle.get_text()
    default = plot_map_grid(maps, row_labels=["a"], col_labels=["x", "y"], title="t", kind="activation")
    assert [ax.get_ylabel() for ax in default.axes if ax.get_label() == "<colorbar>"] == ["activation"]
    with pytest.raises(ValueError, match='kind="activation"'):
        plot_map_grid(maps, row_labels=["a"], col_labels=["x", "y"], title="t", kind="signed", bar_label="x")
    with pytest.raises(TypeError, match="bar_label must be a string"):
        plot_map_grid(maps, row_labels=["a"], col_labels=["x", "y"], title="t", kind="activation", bar_label=None)
