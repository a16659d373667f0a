"""The playground's widgets turn events into calls and show the results, driven without a browser
(tests/test_playground_browser.py drives the real widgets in Chromium)."""

import numpy as np
import pytest

from mnist_lessons import widgets
from mnist_lessons.models import pretrained
from mnist_lessons.playground import PAD_SIZE
from mnist_lessons.transforms import perturb


@pytest.fixture(scope="module")
def cnn():
    return pretrained("cnn")


@pytest.fixture(scope="module")
def digits(mnist_small):
    _, (x, y) = mnist_small
    return x[:20, ..., None], y[:20]


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
    assert all(0 <= y <= PAD_SIZE for _, y in playground.pad.strokes[0])
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
