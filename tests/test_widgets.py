"""The playground's logic and callbacks, driven without a browser (tests/test_playground_browser.py
drives the real widgets in Chromium)."""

import numpy as np
import pytest

from mnist_lessons import widgets
from mnist_lessons.models import pretrained


@pytest.fixture(scope="module")
def cnn():
    return pretrained("cnn")


@pytest.fixture(scope="module")
def digits(mnist_small):
    _, (x, y) = mnist_small
    return x[:20, ..., None], y[:20]


def test_drawing_to_image_prepares_like_mnist():
    pad, image = widgets.drawing_to_image([[(40, 40), (60, 120)]])       # small, top-left
    assert pad.shape == (280, 280) and image.shape == (28, 28)
    rows, cols = np.nonzero(image)
    assert rows.max() - rows.min() + 1 == 20                             # fitted to the 20-pixel box
    _, blank = widgets.drawing_to_image([])
    assert blank.max() == 0


def test_shrink_averages_blocks():
    pad = np.zeros((280, 280), "float32")
    pad[:10, :10] = 1.0
    small = widgets.shrink(pad)
    assert small.shape == (28, 28) and small[0, 0] == 1 and small.sum() == 1
    with pytest.raises(ValueError, match="multiple of 28"):
        widgets.shrink(np.zeros((100, 100)))


def test_look_returns_probabilities_and_strongest_maps(cnn, digits):
    x, y = digits
    view = widgets.look(cnn, x[0], maps_per_layer=3)
    assert view.probabilities.shape == (10,) and np.isclose(view.probabilities.sum(), 1, atol=1e-5)
    assert view.prediction == int(cnn.predict(x[:1], verbose=0).argmax())
    indices, maps = view.maps["conv1"]
    assert maps.shape == (3, 26, 26) and view.maps["conv2"][1].shape == (3, 11, 11)
    peaks = maps.max(axis=(1, 2))
    assert np.all(np.diff(peaks) <= 0)                                   # strongest first
    with pytest.raises(ValueError, match="feature maps"):
        widgets.look(cnn, x[0], layers=("flatten",))
    with pytest.raises(TypeError, match="uint8"):
        widgets.look(cnn, (x[0] * 255).astype("uint8"))
    with pytest.raises(TypeError, match="Keras model"):
        widgets.look("cnn", x[0])


def test_explore_returns_the_map_and_kernel(cnn, digits):
    x, _ = digits
    feature_map, kernel, channel = widgets.explore(cnn, x[0], "conv1", 5)
    assert feature_map.shape == (26, 26) and kernel.shape == (3, 3) and channel == 0
    np.testing.assert_allclose(kernel, cnn.get_layer("conv1").get_weights()[0][:, :, 0, 5])
    feature_map, kernel, channel = widgets.explore(cnn, x[0], "conv2", 7)
    weights = cnn.get_layer("conv2").get_weights()[0][..., 7]
    assert feature_map.shape == (11, 11)
    assert channel == int(np.argmax(np.abs(weights).sum(axis=(0, 1))))
    np.testing.assert_allclose(kernel, weights[..., channel])
    with pytest.raises(ValueError, match="from 0 to 31"):
        widgets.explore(cnn, x[0], "conv1", 32)
    with pytest.raises(ValueError, match="not a convolution"):
        widgets.explore(cnn, x[0], "pool1", 0)


@pytest.mark.parametrize("kind", ["canvas", "grid"])
def test_playground_predicts_a_drawn_one_and_clears(kind, cnn):
    playground = widgets.Playground(cnn, pad=kind)
    assert playground.pad.kind == kind and playground.view is None
    if kind == "canvas":
        playground.pad.add_stroke([(140, 40), (141, 140), (140, 240)])
    else:
        playground.pad.set_cells([(row, 7) for row in range(2, 12)])
    assert playground.view.prediction == 1
    assert "mnist-prediction'>1<" in playground.prediction.value
    playground.clear_button.click()
    assert playground.view is None and "Draw a digit" in playground.prediction.value
    assert playground.pad.pad().max() == 0


def test_canvas_pad_clips_strokes_that_leave_the_pad(cnn):
    playground = widgets.Playground(cnn, pad="canvas")
    playground.pad.add_stroke([(140, -30), (140, 400)])                 # dragged past both edges
    assert all(0 <= y <= widgets.PAD_SIZE for _, y in playground.pad.strokes[0])
    assert playground.view.prediction == 1


def test_a_click_without_moving_is_a_dot_the_model_reads(cnn):
    playground = widgets.Playground(cnn, pad="canvas")
    playground.pad.canvas._handle_frontend_event(None, {"event": "mouse_down", "x": 140, "y": 140}, None)
    playground.pad.canvas._handle_frontend_event(None, {"event": "mouse_up", "x": 140, "y": 140}, None)
    assert playground.pad.strokes == [[(140.0, 140.0)]]
    assert playground.view is not None and playground.pad.pad()[140, 140] == 1


def test_canvas_events_from_the_front_end_draw_a_stroke(cnn):
    playground = widgets.Playground(cnn, pad="canvas")
    canvas = playground.pad.canvas
    canvas._handle_frontend_event(None, {"event": "mouse_move", "x": 10, "y": 10}, None)   # not pressed
    assert playground.pad.strokes == []
    canvas._handle_frontend_event(None, {"event": "mouse_down", "x": 140, "y": 40}, None)
    for y in range(50, 250, 10):
        canvas._handle_frontend_event(None, {"event": "mouse_move", "x": 140, "y": y}, None)
    canvas._handle_frontend_event(None, {"event": "mouse_out", "x": 140, "y": 260}, None)      # left the pad
    assert len(playground.pad.strokes) == 1 and playground.view.prediction == 1


def test_perturbation_sliders_move_the_probabilities(cnn, digits):
    x, y = digits
    explorer = widgets.PerturbationExplorer(x, y, cnn)
    before = explorer.view.probabilities.copy()
    explorer.right.value = 6
    assert not np.allclose(before, explorer.view.probabilities)
    explorer.right.value = 0
    np.testing.assert_allclose(before, explorer.view.probabilities, atol=1e-6)
    explorer.erase_size.value = 14
    explorer.noise.value = 0.3
    explorer.degrees.value = 45.0
    explorer.down.value = -2
    explorer.digit.value = 3
    settings = {"down": -2, "right": 0, "degrees": 45.0, "noise": 0.3, "erase_size": 14}
    assert explorer.settings() == settings
    from mnist_lessons.perturb import perturb

    np.testing.assert_array_equal(explorer.view.image, perturb(x[3], **settings))


def test_layer_explorer_follows_the_controls(cnn, digits):
    x, y = digits
    explorer = widgets.LayerExplorer(x, y, cnn)
    assert explorer.feature_map.shape == (26, 26)
    explorer.layer.value = "conv2"
    assert explorer.filter.max == 63 and explorer.feature_map.shape == (11, 11)
    explorer.filter.value = 63
    weights = cnn.get_layer("conv2").get_weights()[0][..., 63]
    np.testing.assert_allclose(explorer.kernel, weights[..., explorer.channel])
    explorer.layer.value = "conv1"                                    # filter 63 does not exist there
    assert explorer.filter.value == 31 and explorer.feature_map.shape == (26, 26)


def test_make_pad_rejects_unknown_kinds():
    with pytest.raises(ValueError, match="kind"):
        widgets.make_pad(lambda: None, kind="paper")


def test_explorers_check_their_labels(cnn, digits):
    x, y = digits
    with pytest.raises(ValueError, match="one label per image"):
        widgets.PerturbationExplorer(x, y[:5], cnn)
    with pytest.raises(TypeError, match="integer class labels"):
        widgets.LayerExplorer(x, y.astype(float), cnn)
