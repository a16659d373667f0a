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


# --- every checked argument, with the exact message a student reads ----------------------------

_X, _IMAGE, _MAPS = np.zeros((6, 28, 28), np.float32), np.zeros((28, 28), np.float32), np.zeros((1, 2, 3, 3))
_LAYOUT = {"row_labels": ["a"], "col_labels": ["x", "y"], "title": "t"}
_BATCH = "image must be one image of shape (28, 28) or (28, 28, 1); got (6, 28, 28). This looks like a batch: " \
         "pass one image, e.g. images[0]."
_NOT_A_TABLE = "maps must be a 4-D array or a list of rows, each a list of 2-D arrays."


@pytest.mark.parametrize("call, error, message", [
    (lambda: plot_digits(_X, title=None), TypeError, "title must be a string; got None (NoneType)."),
    (lambda: plot_digits(_X.astype(np.int64)), TypeError,
     "images must be uint8 pixels 0..255 or floating-point pixels in [0, 1]; got dtype int64. "
     "Convert 0..255 integers with .astype('uint8')."),
    (lambda: plot_digits(np.zeros((101, 28, 28), np.uint8)), ValueError,
     "plot_digits draws at most 100 digits; got 101. Pass a slice, e.g. images[:30]."),
    (lambda: plot_digits(_X, np.arange(3)), ValueError,
     "labels must have shape (6,), one label per image; got (3,)."),
    (lambda: plot_digits(_X, np.arange(6), np.arange(3)), ValueError,
     "predictions must have shape (6,), one label per image; got (3,)."),
    (lambda: plot_digits(_X, predictions=np.arange(10, 16)), ValueError,
     "predictions must be in 0..9; got values from 10 to 15."),
    (lambda: plot_digits(_X, probabilities=[0.5]), ValueError,
     "probabilities must be 6 numbers in [0, 1], one per digit; got shape (1,)."),
    (lambda: plot_digits(_X, probabilities=[0.5] * 6, captions=list("abcdef")), ValueError,
     "give probabilities or captions, not both: both are written under the digits."),
    (lambda: plot_digits(_X, captions="abcdef"), ValueError,       # six letters, but one string
     "captions must be 6 strings, one per digit; got 'abcdef'."),
    (lambda: plot_digits(_X, captions=list(range(6))), ValueError,
     "captions must be 6 strings, one per digit; got [0, 1, 2, 3, 4, 5]."),
    (lambda: plot_pixel_grid(_IMAGE, title=1), TypeError, "title must be a string; got 1 (int)."),
    (lambda: plot_pixel_grid(_X), ValueError, _BATCH),
    (lambda: plot_pixel_grid(_IMAGE.astype(np.int64)), TypeError,
     "image must be uint8 pixels 0..255 or floating-point pixels in [0, 1]; got dtype int64. "
     "Convert 0..255 integers with .astype('uint8')."),
    (lambda: plot_flattened(_IMAGE, title=None), TypeError, "title must be a string; got None (NoneType)."),
    (lambda: plot_flattened(_X), ValueError, _BATCH),
    (lambda: plot_flattened(_IMAGE, pixel=(5, 27)), ValueError,
     "pixel must hold a row and a column from 1 to 26, so that it has four neighbours; got (5, 27)."),
    (lambda: plot_flattened(_IMAGE, pixel=[14, 14]), TypeError,
     "pixel must be a (row, column) tuple of two ints; got [14, 14]."),
    (lambda: plot_receptive_field(_IMAGE, (0, 0), 3, title=None), TypeError,
     "title must be a string; got None (NoneType)."),
    (lambda: plot_receptive_field(_X, (0, 0), 3), ValueError, _BATCH),
    (lambda: plot_receptive_field(_IMAGE, (0, 0), 0), ValueError, "size must be an int from 1 to 28; got 0."),
    (lambda: plot_receptive_field(_IMAGE, (0, 0), 2.5), TypeError,
     "size must be an int; got 2.5 (float). Pass a whole number."),
    (lambda: plot_receptive_field(_IMAGE, (21, 0), 8), ValueError,        # 28 - 8 = 20 is the last top row
     "top_left must hold a row and a column from 0 to 20, so that a 8×8 square fits in the image; got (21, 0)."),
    (lambda: plot_receptive_field(_IMAGE, None, 8), TypeError,
     "top_left must be a (row, column) tuple of two ints; got None."),
    (lambda: plot_map_grid(_MAPS, **{**_LAYOUT, "title": None}), TypeError,
     "title must be a string; got None (NoneType)."),
    (lambda: plot_map_grid(_MAPS, **_LAYOUT, bar_label=None), TypeError,
     "bar_label must be a string; got None (NoneType)."),
    (lambda: plot_map_grid(_MAPS, **_LAYOUT, kind="bright"), ValueError,
     "kind must be one of 'signed', 'activation', 'image'; got 'bright'."),
    (lambda: plot_map_grid(_MAPS, **_LAYOUT, diverging=False, bar_label="x"), ValueError,
     "bar_label labels the colour bars of kind=\"activation\"; kind='image' draws none. "
     "Leave bar_label out, or use kind=\"activation\"."),
    (lambda: plot_map_grid(np.zeros((3, 5, 5)), **_LAYOUT), ValueError,
     "maps must be a numeric array of shape (rows, columns, height, width); got shape (3, 5, 5) and dtype float64."),
    (lambda: plot_map_grid(_MAPS, **{**_LAYOUT, "row_labels": ["a", "b"]}), ValueError,
     "need 1 row labels and 2 column labels for 1×2 maps; got 2 and 2."),
    (lambda: plot_map_grid(_MAPS, **{**_LAYOUT, "col_labels": list("xyz")}), ValueError,
     "need 1 row labels and 2 column labels for 1×2 maps; got 1 and 3."),
    (lambda: plot_map_grid(np.zeros((3, 67, 1, 1)), row_labels="abc", col_labels=["c"] * 67, title="t"),
     ValueError, "plot_map_grid draws at most 200 maps; got 3×67."),                      # 201 maps
    (lambda: plot_map_grid(-np.ones((1, 2, 3, 3)), **_LAYOUT, kind="activation"), ValueError,
     'kind="activation" draws values from 0 up, but some maps are negative; use kind="signed".'),
    (lambda: plot_map_grid({"a": 1}, **_LAYOUT), ValueError, _NOT_A_TABLE),
    (lambda: plot_map_grid((row for row in [[np.eye(2), np.eye(2)]]), **_LAYOUT), ValueError,
     _NOT_A_TABLE),                                                   # a generator of rows, not a list
    (lambda: plot_map_grid([np.eye(2), [np.eye(3)]], **{**_LAYOUT, "row_labels": ["a", "b"]}), ValueError,
     _NOT_A_TABLE),                                                   # the first row is an array, not a list
    (lambda: plot_map_grid([[np.eye(8)], [np.eye(8), np.eye(28)]], **_LAYOUT), ValueError,
     "every row of maps must have the same number of maps; got [1, 2]."),
    (lambda: plot_map_grid([[np.zeros(8), np.eye(28)]], **_LAYOUT), ValueError, "every map must be a 2-D array."),
])
def test_bad_arguments_get_an_exact_message(call, error, message):
    with pytest.raises(error) as caught:
        call()
    assert str(caught.value) == message


# --- options the figures above do not draw ------------------------------------------------------

def test_plot_digits_with_labels_only_or_predictions_only(images):
    x, y = images
    fig = plot_digits(x, y)
    assert [ax.get_title() for ax in image_axes(fig)] == [str(label) for label in y]
    assert fig.get_suptitle() == "MNIST digits (true label)"
    fig = plot_digits(x, predictions=y, title="guesses")
    assert [ax.get_title() for ax in image_axes(fig)] == [f"pred {label}" for label in y]
    assert fig.get_suptitle() == "guesses"


def test_plot_digits_probabilities_may_be_exactly_0_and_1(images):
    x, _ = images
    fig = plot_digits(x, probabilities=[0, 1, 0.5, 0.25, 0.125, 1.0])
    # Written with two decimals: 0.125 rounds to the even 0.12.
    assert [ax.get_xlabel() for ax in image_axes(fig)] == ["0.00", "1.00", "0.50", "0.25", "0.12", "1.00"]
    with pytest.raises(ValueError, match=r"^probabilities must be 6 numbers in \[0, 1\]"):
        plot_digits(x, probabilities=[0, 1, 0.5, 0.25, 0.125, -0.01])


def test_plot_pixel_grid_writes_floats_with_two_decimals_and_dark_cells_in_white():
    image = np.zeros((28, 28), np.float32)
    image[3, 4], image[5, 6], image[7, 8], image[9, 10] = 0.5, 0.9, 0.25, 0.75
    ax = plot_pixel_grid(image, title="t").axes[0]
    # The leading 0 is dropped to fit the cell; above half of the maximum 1 the text is white.
    written = {(round(text.get_position()[1]), round(text.get_position()[0])): (text.get_text(), text.get_color())
               for text in ax.texts}
    assert written == {(3, 4): (".50", "black"), (5, 6): (".90", "white"), (7, 8): (".25", "black"),
                       (9, 10): (".75", "white")}
    assert ax.get_title() == "t (0 = white, 1 = black; zeros left blank)"
    assert ax.images[0].get_clim() == (0, 1)                          # 1 is black, though no pixel reaches it


def _faint():
    """A light grey bar, 0.25 to 0.5: drawn on the 0..1 scale it stays light, not stretched to black."""
    image = np.zeros((28, 28), np.float32) + 0.25
    image[10:18, 12:16] = 0.5
    return image


def test_plot_flattened_and_receptive_field_keep_the_0_to_1_grey_scale():
    image = _faint()
    image_ax, strip_ax = plot_flattened(image).axes
    assert image_ax.images[0].get_clim() == strip_ax.images[0].get_clim() == (0, 1)
    # The strip is a thin band under the image: a fifth of its height.
    assert strip_ax.get_subplotspec().get_gridspec().get_height_ratios() == [5, 1]
    ax = plot_receptive_field(image, (10, 12), 5).axes[0]
    assert ax.images[0].get_clim() == (0, 1)
    raw = (image * 255).astype(np.uint8)
    assert plot_receptive_field(raw, (10, 12), 5).axes[0].images[0].get_clim() == (0, 255)


def test_plot_digits_puts_ten_digits_in_a_row_by_default():
    fig = plot_digits(np.zeros((12, 28, 28), np.uint8), title="blank")
    # 12 digits: a row of 10 and a row of 2, one inch each, plus 0.6 inch for the titles.
    assert tuple(fig.get_size_inches()) == (10, 2.6)
    assert [ax.get_subplotspec().rowspan.start for ax in image_axes(fig)] == [0] * 10 + [1] * 2


def test_plot_map_grid_row_of_zeros_gets_the_scale_0_to_1_and_the_image_kind_its_own_grey_scale():
    maps = np.zeros((2, 2, 3, 3))
    maps[1, 0, 1, 1] = 4.0                                               # row 1 goes up to 4; row 0 is all 0
    axes = image_axes(plot_map_grid(maps, row_labels=["a", "b"], col_labels=["x", "y"], title="t", kind="activation"))
    assert [ax.images[0].get_clim() for ax in axes] == [(0, 1), (0, 1), (0, 4), (0, 4)]
    fig = plot_map_grid(maps[1:] + 1, row_labels=["b"], col_labels=["x", "y"], title="t", kind="image")
    assert [ax.images[0].get_clim() for ax in image_axes(fig)] == [(1, 5), (1, 1)]
    assert [ax.images[0].get_cmap().name for ax in image_axes(fig)] == ["gray_r", "gray_r"]
    assert fig.get_suptitle() == "t (each on its own grey scale)"


def test_plot_map_grid_colour_bar_spans_nine_tenths_of_its_row():
    maps = np.ones((2, 2, 3, 3))
    fig = plot_map_grid(maps, row_labels=["a", "b"], col_labels=["x", "y"], title="t", kind="activation")
    fig.canvas.draw()
    bars = [ax for ax in fig.axes if ax.get_label() == "<colorbar>"]
    rows = [image_axes(fig)[:2], image_axes(fig)[2:]]
    for bar, row in zip(bars, rows):
        # The row's places in the layout (before the maps shrink to square pixels): the bar spans 90 % of them.
        top, bottom = (max(ax.get_position(original=True).y1 for ax in row),
                       min(ax.get_position(original=True).y0 for ax in row))
        assert bar.get_position().height / (top - bottom) == pytest.approx(0.9)
