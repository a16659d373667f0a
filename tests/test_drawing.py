import numpy as np
import pytest

from mnist_lessons.drawing import draw_strokes


def test_vertical_bar_is_centred_and_as_wide_as_the_pen():
    image = draw_strokes([[(14, 4), (14, 24)]], width=2.0)
    assert image.dtype == np.float32 and image.shape == (28, 28)
    assert 0 <= image.min() and image.max() == 1
    row = image[14]
    assert row[13] == 1 and row[14] == 1            # pixel centres 13.5 and 14.5 lie within the pen
    assert row[:12].max() == 0 and row[16:].max() == 0
    assert image[:3].max() == 0 and image[26:].max() == 0


def test_a_dot_an_empty_stroke_and_no_strokes():
    dot = draw_strokes([[(10.5, 10.5)]], width=1.0)
    assert dot[10, 10] == 1 and dot.sum() < 6
    assert draw_strokes([]).max() == 0
    assert draw_strokes([[]]).max() == 0


def test_strokes_at_the_border_and_over_the_whole_canvas():
    border = draw_strokes([[(0, 0), (28, 0)]])
    assert border[0].min() > 0 and border[3:].max() == 0
    full = draw_strokes([[(0, y), (28, y)] for y in range(0, 29, 2)], width=3.0)
    assert full.min() == 1


def test_larger_canvas():
    pad = draw_strokes([[(20, 20), (180, 180)]], size=200, width=12)
    assert pad.shape == (200, 200) and pad[100, 100] == 1 and pad[10, 190] == 0


@pytest.mark.parametrize("strokes, error, match", [
    (np.zeros((1, 2, 2)), TypeError, "list of strokes"),
    ("abc", TypeError, "list of strokes"),
    ([[(1, 2, 3)]], ValueError, r"\(x, y\) pairs"),
    ([5], ValueError, r"\(x, y\) pairs"),
    ([(5, 5), (20, 20)], ValueError, "wrap each stroke in a list"),
    ([[("a", "b")]], ValueError, r"\(x, y\) pairs"),
    ([[(1, np.nan)]], ValueError, "finite"),
    ([[(1, 2), (30, 2)]], ValueError, "leaves the 28×28 canvas"),
    ([[(-1, 2)]], ValueError, "Clip the points"),
])
def test_bad_strokes(strokes, error, match):
    with pytest.raises(error, match=match):
        draw_strokes(strokes)


def test_bad_size_and_width():
    with pytest.raises(ValueError, match="size"):
        draw_strokes([], size=0)
    with pytest.raises(ValueError, match="width"):
        draw_strokes([], width=0)
    with pytest.raises(TypeError, match="width"):
        draw_strokes([], width=True)


def test_digit_strokes_are_read_by_the_cnn_once_prepared(cnn):
    from mnist_lessons.drawing import DIGIT_STROKES, place_strokes
    from mnist_lessons.preprocess import to_mnist_format

    pads = np.stack([draw_strokes(place_strokes(DIGIT_STROKES[d], left=60, top=40, size=180), size=280, width=18)
                     for d in range(10)])
    predictions = cnn.predict(to_mnist_format(pads)[..., None], verbose=0).argmax(axis=1)
    assert list(predictions) == list(range(10))


def test_place_strokes_scales_and_checks():
    from mnist_lessons.drawing import place_strokes

    assert place_strokes([[(0, 0), (1, 1)]], left=10, top=20, size=100) == [[(20.0, 20.0), (100.0, 120.0)]]
    with pytest.raises(ValueError, match="size"):
        place_strokes([[(0, 0)]], left=0, top=0, size=-5)


def test_arc_points_by_hand():
    from mnist_lessons.drawing import _arc

    # A quarter of an ellipse (radii 4 across, 2 down) about (10, 20), y downwards: from 0° to 90°.
    points = np.array(_arc(10, 20, 4, 2, 0, 90, 3))
    half = np.sqrt(0.5)
    np.testing.assert_allclose(points, [(14, 20), (10 + 4 * half, 20 + 2 * half), (10, 22)], atol=1e-12)
    assert len(_arc(0, 0, 1, 1, 0, 360)) == 12                                   # 12 points by default
    np.testing.assert_allclose(_arc(0, 0, 1, 1, 180, 270, 2), [(-1, 0), (0, -1)], atol=1e-12)


def test_place_strokes_messages_name_the_argument():
    from mnist_lessons.drawing import place_strokes

    for name in ("left", "top", "size"):
        arguments = {"left": 0, "top": 0, "size": 10, name: -1}
        with pytest.raises(ValueError, match=f"^{name} must be a finite number of at least 0"):
            place_strokes([[(0, 0)]], **arguments)


def test_the_default_pen_is_two_pixels_wide_with_soft_edges():
    # A vertical line at x = 14: pixel centres 12.5 ... 15.5 lie 1.5, 0.5, 0.5, 1.5 from it. Ink is
    # width / 2 + 0.5 - distance, clipped to [0, 1]: 0, 1, 1, 0 for the default pen (2 pixels),
    # 0.5, 1, 1, 0.5 for a 3-pixel one.
    np.testing.assert_array_equal(draw_strokes([[(14, 4), (14, 24)]])[14, 11:17], [0, 0, 1, 1, 0, 0])
    np.testing.assert_array_equal(draw_strokes([[(14, 4), (14, 24)]], width=3.0)[14, 11:17], [0, 0.5, 1, 1, 0.5, 0])


def test_size_limits_and_messages_name_the_argument():
    assert draw_strokes([], size=2, width=1).shape == (2, 2)                     # the smallest canvas
    with pytest.raises(ValueError, match=r"^size must be an int from 2 to 2000; got 1\."):
        draw_strokes([], size=1, width=1)
    with pytest.raises(TypeError, match=r"^strokes must be a list of strokes, each a sequence of \(x, y\) points"):
        draw_strokes("abc")
    with pytest.raises(TypeError, match=r"got ndarray\.$"):
        draw_strokes(np.zeros((1, 2, 2)))


def test_canvas_and_pen_limits_with_their_hint():
    with pytest.raises(ValueError, match=r"^size must be an int from 2 to 2000; got 2001\."):
        draw_strokes([], size=2001)
    assert draw_strokes([[(5, 5)]], size=10, width=10)[5, 5] == 1                # a pen as wide as the canvas
    with pytest.raises(ValueError, match=r"^width must be a finite number in \(0, 10\]; got 10\.5\. "
                                         r"It is the pen's diameter in pixels, at most the canvas size\.$"):
        draw_strokes([], size=10, width=10.5)
