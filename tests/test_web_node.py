"""The page's JavaScript in Node, in the fast lane: the forward pass and the preparation against Python.

Python writes the fixtures (the shipped CNN exported as the book's build exports it, Keras' output
of every layer for eight test digits, drawings prepared by ``drawing_to_image``, the pad's guidance,
receptive fields, the sample digits); ``tests/web/check_web.js`` loads ``web/cnn.js`` and
``web/prepare.js`` as the page does and compares. Then five plausible wrong versions of the
JavaScript (a ReLU that leaks, a kernel read transposed, a pooling window off by one, a wrong
centring shift, a softmax without the largest logit subtracted) are made in memory, and each must
fail the same check. Needs Node (``/usr/bin/node``); skipped without it, unless
MNIST_LESSONS_REQUIRE_BROWSER=1 (CI), which makes it fail instead.
"""

import json
import os
import pathlib
import re
import shutil
import subprocess

import numpy as np
import pytest

from mnist_lessons import browser_model, constants, numpy_net
from mnist_lessons.activations import layer_activations
from mnist_lessons.drawing import DIGIT_STROKES, place_strokes
from mnist_lessons.models import logits_model
from mnist_lessons.playground import drawing_guidance, drawing_to_image

HERE = pathlib.Path(__file__).resolve().parent
CHECKER = HERE / "web" / "check_web.js"
NODE = shutil.which("node")
if NODE is None:
    if os.environ.get("MNIST_LESSONS_REQUIRE_BROWSER") == "1":
        raise RuntimeError("node is missing: the page's JavaScript tests need it (apt-get install nodejs).")
    pytest.skip("node is not installed (apt-get install nodejs)", allow_module_level=True)

# Each digit drawn small (the pad says so), at two ordinary sizes, and filling the pad (it says so too).
PLACEMENTS = [(20, 15, 45), (70, 60, 150), (40, 30, 230), (5, 4, 266)]
# Layers whose Keras output the page must reproduce (Keras' "output" includes the softmax, which the
# fixtures hold separately as the probabilities; the page's "output" is the logits).
COMPARED = ("conv1", "pool1", "conv2", "pool2", "flatten")


def _floats(array):
    return np.asarray(array, dtype=np.float64).tolist()


def _receptive_field(layer, row, col):
    """The input pixels cell (row, col) of ``layer`` depends on, found by walking the layers backwards."""
    shapes = numpy_net.output_shapes()
    names = list(numpy_net.LAYER_NAMES)
    mask = np.zeros(shapes[layer][:2], bool)
    mask[row, col] = True
    for index in range(names.index(layer), -1, -1):
        spec = numpy_net.ARCHITECTURE[index]
        before = shapes[names[index - 1]][:2] if index else (constants.IMAGE_SIDE,) * 2
        wider = np.zeros(before, bool)
        if spec["kind"] == "conv":
            k = spec["weights"][0][0]
            for r, c in np.argwhere(mask):
                wider[r:r + k, c:c + k] = True
        else:
            s = spec["size"]
            for r, c in np.argwhere(mask):
                wider[r * s:r * s + s, c * s:c * s + s] = True
        mask = wider
    rows, cols = np.nonzero(mask)
    assert mask[rows.min():rows.max() + 1, cols.min():cols.max() + 1].all()     # a full square
    return {"layer": layer, "row": row, "col": col, "top": int(rows.min()), "left": int(cols.min()),
            "side": int(rows.max() - rows.min() + 1)}


@pytest.fixture(scope="module")
def fixtures(tmp_path_factory, cnn, digits):
    """The exported model, the page's two numeric scripts, and Python's answers, in a folder."""
    folder = tmp_path_factory.mktemp("web")
    browser_model.export_weights(folder / browser_model.WEIGHTS_SCRIPT, model=cnn)
    for name in ("cnn.js", "prepare.js"):
        shutil.copyfile(browser_model.web_file(name), folder / name)
    images = digits[0][:8]
    activations = layer_activations(cnn, images)
    logits = logits_model(cnn).predict(images, verbose=0)
    drawings = []
    for strokes in DIGIT_STROKES.values():
        for left, top, size in PLACEMENTS:
            placed = place_strokes(strokes, left=left, top=top, size=size)
            pad, image = drawing_to_image(placed)
            drawings.append({"strokes": [[list(point) for point in stroke] for stroke in placed],
                             "image": _floats(image.ravel()), "guidance": drawing_guidance(pad)})
    rng = np.random.default_rng(0)
    pooling = []
    for shape in ((5, 7, 3), (11, 11, 2), (4, 4, 1)):
        maps = rng.normal(size=shape).astype(np.float32)
        pooling.append({"maps": _floats(maps.ravel()), "shape": list(shape), "size": 2,
                        "pooled": _floats(numpy_net.max_pool(maps[None])[0].ravel())})
    softmax_cases = [logits[0], np.zeros(10), np.array([1000.0, 999.0, 0, -5, 3, 2, 1, 0, -1000, 990])]
    fields = [_receptive_field(name, row, col) for name in ("conv1", "pool1", "conv2", "pool2")
              for row, col in ((0, 0), (1, 2), tuple(s - 1 for s in numpy_net.output_shapes()[name][:2]))]
    indices, sample_images, labels = browser_model.sample_digits()
    fixture = {
        "config": browser_model.page_config(),
        "images": [_floats(image.ravel()) for image in images],
        "layers": {name: [_floats(values.ravel()) for values in activations[name]] for name in COMPARED},
        "shapes": {name: list(shape) for name, shape in numpy_net.output_shapes().items() if name in COMPARED},
        "logits": [_floats(row) for row in logits],
        "probabilities": [_floats(row) for row in activations["output"]],
        "tolerance": 1e-5,
        "softmax": [{"logits": _floats(z), "probabilities": _floats(numpy_net.softmax(np.asarray(z, np.float64)))}
                    for z in softmax_cases],
        "pooling": pooling,
        "drawings": drawings,
        "imageTolerance": 1e-5,
        "receptiveFields": fields,
        "samples": {"indices": indices.tolist(), "labels": labels.tolist(),
                    "images": [_floats(image.ravel()) for image in sample_images]},
    }
    (folder / "fixture.json").write_text(json.dumps(fixture))
    return folder


def _run(fixtures, web_dir):
    """Run the Node checks; return the exit code and the checks that failed."""
    result = subprocess.run([NODE, str(CHECKER), str(fixtures / "fixture.json"), str(web_dir)],
                            capture_output=True, text=True, timeout=120)
    checks = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    if not checks:
        raise AssertionError(f"the Node checks did not run: {result.stderr[-2000:]}")
    return result.returncode, checks, [check for check in checks if not check["ok"]]


def test_the_page_javascript_equals_python(fixtures):
    code, checks, failed = _run(fixtures, fixtures)
    assert failed == [] and code == 0
    names = {check["name"].split(",")[0] for check in checks}
    assert {"conv1", "pool1", "conv2", "pool2", "flatten", "logits", "probabilities", "config"} <= names
    drawn = [check for check in checks if check["name"].startswith("guidance")]
    assert len(drawn) == len(DIGIT_STROKES) * len(PLACEMENTS)


def test_the_fixtures_cover_both_kinds_of_guidance(fixtures):
    drawings = json.loads((fixtures / "fixture.json").read_text())["drawings"]
    assert {drawing["guidance"] for drawing in drawings} == {"small", "large", None}


# Plausible wrong versions of the page's JavaScript: (what is wrong, file, right line, wrong line,
# the check that must catch it).
MUTATIONS = [
    ("a ReLU that leaks", "cnn.js", "out[i] = x[i] > 0 ? x[i] : 0;", "out[i] = x[i] > 0 ? x[i] : 0.01 * x[i];",
     "conv1"),
    ("a kernel read transposed", "cnn.js", "const weights = (i * k + j) * cIn * cOut;",
     "const weights = (j * k + i) * cIn * cOut;", "conv1"),
    ("a pooling window off by one", "cnn.js",
     "const to = (Math.floor(row / size) * outW + Math.floor(col / size)) * c;",
     "const to = (Math.floor((row + 1) / size) * outW + Math.floor(col / size)) * c;", "pool1"),
    ("a wrong centring shift", "prepare.js", "const middle = (imageSide - 1) / 2;", "const middle = imageSide / 2;",
     "prepared drawing"),
    ("a softmax without the largest logit subtracted", "cnn.js", "Math.exp(z - largest)", "Math.exp(z)",
     "softmax case"),
]


@pytest.mark.parametrize("mutation", MUTATIONS, ids=[m[0] for m in MUTATIONS])
def test_each_wrong_version_of_the_javascript_is_caught(fixtures, tmp_path, mutation):
    _, file, right, wrong, caught_by = mutation
    source = (fixtures / file).read_text(encoding="utf-8")
    assert source.count(right) == 1, f"{file} no longer holds {right!r}: update the mutation"
    for name in (browser_model.WEIGHTS_SCRIPT, "cnn.js", "prepare.js"):
        shutil.copyfile(fixtures / name, tmp_path / name)
    (tmp_path / file).write_text(source.replace(right, wrong), encoding="utf-8")
    code, _, failed = _run(fixtures, tmp_path)
    assert code == 1
    assert any(check["name"].startswith(caught_by) for check in failed), [check["name"] for check in failed][:5]


def _code(text):
    """JavaScript without its comments and strings' contents, where a literal would be a bare number."""
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
    return re.sub(r"//[^\n]*", "", text)


@pytest.mark.parametrize("name", browser_model.JAVASCRIPT)
def test_the_javascript_writes_none_of_the_sizes_python_defines(name):
    # The sizes and the layer names come from the exported configuration, never typed again.
    code = _code(browser_model.web_file(name).read_text(encoding="utf-8"))
    numbers = {int(n) for n in re.findall(r"(?<![\w.])(\d+)(?![\w.])", code)}
    defined = {constants.IMAGE_SIDE, constants.PAD_SIZE, constants.PEN_WIDTH, constants.DIGIT_BOX,
               constants.N_PIXELS, constants.SMALL_DRAWING, constants.LARGE_DRAWING,
               numpy_net.SHAPES["output"][0][0]}
    assert numbers & defined == set(), f"{name} types {sorted(numbers & defined)}"
    kinds = {layer["kind"] for layer in numpy_net.ARCHITECTURE}         # a kind ("flatten") may be named
    for layer in set(numpy_net.LAYER_NAMES) - kinds:
        assert f'"{layer}"' not in code, f"{name} names the layer {layer!r}"


def test_the_architecture_is_the_models(cnn):
    # numpy_net.ARCHITECTURE, which the page follows, describes the shipped model's layers.
    assert [layer.name for layer in cnn.layers] == list(numpy_net.LAYER_NAMES)
    for layer in cnn.layers:
        assert tuple(layer.output.shape[1:]) == numpy_net.output_shapes()[layer.name]
    assert numpy_net.output_shapes()["flatten"][0] == numpy_net.SHAPES["output"][0][0]
