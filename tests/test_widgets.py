"""The playground's widgets turn events into calls and show the results, driven without a browser
(tests/test_playground_browser.py drives the real widgets in Chromium)."""

import subprocess
import sys

import numpy as np
import pytest

from mnist_lessons import widgets
from mnist_lessons.constants import PAD_SIZE
from mnist_lessons.playground import GUIDANCE, drawing_to_image
from mnist_lessons.transforms import perturb


def test_playground_predicts_a_drawn_one_and_clears(cnn):
    playground = widgets.Playground(cnn)
    assert playground.view is None
    playground.pad.add_stroke([(140, 40), (141, 140), (140, 240)])
    assert playground.view.prediction == 1
    assert "mnist-prediction'>1<" in playground.prediction.value
    playground.pad.clear()                                          # what the pad's Clear button sends
    assert playground.view is None and "Draw a digit" in playground.prediction.value
    assert playground.pad.pad().max() == 0


def test_strokes_from_the_front_end_arrive_as_json_and_are_read(cnn):
    # The front end sets the `strokes` trait: lists of [x, y] numbers, nothing binary.
    playground = widgets.Playground(cnn)
    playground.pad.set_state({"strokes": [[[140.0, 40.0], [140.0, 240.0]]]})
    assert playground.view.prediction == 1
    _, expected = drawing_to_image([[(140.0, 40.0), (140.0, 240.0)]])
    np.testing.assert_array_equal(playground.view.image, expected)


def test_the_pad_moves_points_off_the_pad_onto_its_edge(cnn):
    playground = widgets.Playground(cnn)
    playground.pad.add_stroke([(140, -30), (140, 400)])                 # dragged past both edges
    assert all(0 <= y <= PAD_SIZE for _, y in playground.pad.strokes[0])
    assert playground.view.prediction == 1


def test_a_single_point_is_a_dot_the_model_reads(cnn):
    playground = widgets.Playground(cnn)
    playground.pad.add_stroke([(140, 140)])
    assert playground.view is not None and playground.pad.pad()[140, 140] == 1


def test_the_pad_runs_the_book_pages_javascript():
    from mnist_lessons.browser_model import web_file
    from mnist_lessons.drawpad import DrawingPad

    assert DrawingPad._esm.startswith(web_file("drawpad.js").read_text(encoding="utf-8"))
    assert "export default" in DrawingPad._esm and "render(" in DrawingPad._esm


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


def test_explorers_check_their_labels(cnn, digits):
    x, y = digits
    with pytest.raises(ValueError, match="one label per image"):
        widgets.PerturbationExplorer(x, y[:5], cnn)
    with pytest.raises(TypeError, match="integer class labels"):
        widgets.LayerExplorer(x, y.astype(float), cnn)


def test_a_small_drawing_gets_the_pads_guidance(cnn):
    playground = widgets.Playground(cnn)
    playground.pad.add_stroke([(140, 120), (141, 150)])                # about 50 pad units tall
    assert playground.guidance == "small"
    assert GUIDANCE["small"] in playground.prediction.value
    playground.pad.clear()
    playground.pad.add_stroke([(140, 40), (141, 240)])
    assert playground.guidance is None and "mnist-guidance" not in playground.prediction.value


def test_importing_the_drawing_pad_does_not_import_tensorflow():
    # The pad is the page's JavaScript and a few numbers: nothing in it needs TensorFlow or Keras.
    code = "import sys, mnist_lessons.drawpad; print(sorted({'tensorflow', 'keras'} & set(sys.modules)))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip() == "[]"
