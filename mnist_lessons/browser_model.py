"""The trained CNN in the reader's browser: its JavaScript, and the export of the shipped weights it reads.

The book's pages run the shipped CNN in plain JavaScript (``web/cnn.js``, which mirrors
``numpy_net`` function by function) on a drawing prepared by ``web/prepare.js``
(which mirrors ``drawing.draw_strokes`` and ``preprocess.to_mnist_format``). The book's
build calls ``export_weights`` on every run, so the page never reads stale weights;
the export is the shipped float32 arrays, bit for bit, base64-encoded in a small
script (a script, not a data file, so that it also loads from ``file://``). The same
script carries everything else the JavaScript must agree on with Python, defined once
here (``page_config``): the layers (``numpy_net.ARCHITECTURE``), the image, box and pad
sizes, the pen width, the pad's guidance, and a few MNIST test digits for the panel's
sample buttons (``sample_digits``). Nothing here imports TensorFlow until a model is
exported.
"""

import base64
import importlib.resources
import json
import pathlib

import numpy as np

from mnist_lessons.checks import check_int
from mnist_lessons.constants import (
    DIGIT_BOX,
    IMAGE_SIDE,
    LARGE_DRAWING,
    N_CLASSES,
    PAD_SIZE,
    PEN_WIDTH,
    PIXEL_MAX,
    SMALL_DRAWING,
)
from mnist_lessons.numpy_net import ARCHITECTURE, SHAPES, output_shapes

# The files the page loads, in order: the network, the preparation, the pad, the panel.
JAVASCRIPT = ("cnn.js", "prepare.js", "drawpad.js", "panel.js")
STYLESHEET = "panel.css"
WEIGHTS_SCRIPT = "cnn_weights.js"
# The MNIST test digits the page's sample buttons load (written by write_sample_digits).
SAMPLES_FILE = "sample_digits.json"
SAMPLES_PER_CLASS = 3
_PREFIX = "(window.MnistLive = window.MnistLive || {}).exported = "

# What the book's browser test (tests/test_live_panel_browser.py) requires of the page, which chapter 9
# states: every layer's output and every probability within TOLERANCE of Keras', on TESTED_DIGITS
# MNIST test digits fed straight in and on the package's stroke digits drawn with the mouse at each
# of TESTED_PLACEMENTS ((left, top, size) on the pad, in pad units).
TOLERANCE = 1e-5
TESTED_DIGITS = 200
TESTED_PLACEMENTS = ((20, 15, 110), (70, 60, 150), (40, 30, 230))


def web_file(name):
    """The path of one of the package's web files (``JAVASCRIPT``, ``STYLESHEET``, ``SAMPLES_FILE``)."""
    return pathlib.Path(importlib.resources.files("mnist_lessons") / "web" / name)


def javascript_function(name, file="cnn.js"):
    """The source of one function of the page's JavaScript, with the comment lines just above it.

    For example ``javascript_function("maxPool")``. Chapter 9 prints it beside the NumPy function
    it mirrors, read from the very file the page runs.

    Examples
    --------
    >>> print(javascript_function("relu"))
    // max(x, 0), element by element.
    function relu(x) {
      const out = new Float32Array(x.length);
      for (let i = 0; i < x.length; i++) out[i] = x[i] > 0 ? x[i] : 0;
      return out;
    }
    """
    lines = web_file(file).read_text(encoding="utf-8").splitlines()
    start = next((i for i, line in enumerate(lines) if line.lstrip().startswith(f"function {name}(")), None)
    if start is None:
        raise ValueError(f"{file} defines no function {name!r}.")
    indent = len(lines[start]) - len(lines[start].lstrip())
    # Include the comment just above it, and stop at the closing brace at the function's own indent.
    first = start
    while first > 0 and lines[first - 1].lstrip().startswith("//"):
        first -= 1
    end = next(i for i in range(start + 1, len(lines)) if lines[i] == " " * indent + "}")
    return "\n".join(line[indent:] for line in lines[first:end + 1])


def sample_digits():
    """The MNIST test digits the page's sample buttons load, as the package ships them.

    Returns
    -------
    indices : numpy.ndarray of int, shape (n,)
        Their positions in MNIST's test set (``load_mnist()[1]``).
    images : numpy.ndarray of float32, shape (n, 28, 28)
        Scaled to [0, 1], exactly as ``load_mnist(scale=True)`` gives them.
    labels : numpy.ndarray of int, shape (n,)

    Examples
    --------
    >>> indices, images, labels = sample_digits()
    >>> images.shape[1:], sorted(set(labels.tolist())) == list(range(10))
    ((28, 28), True)
    """
    stored = json.loads(web_file(SAMPLES_FILE).read_text(encoding="utf-8"))
    pixels = np.frombuffer(base64.b64decode(stored["pixels"]), dtype=np.uint8)
    images = pixels.reshape(-1, IMAGE_SIDE, IMAGE_SIDE).astype(np.float32) / np.float32(PIXEL_MAX)
    return np.array(stored["indices"]), images, np.array(stored["labels"])


def write_sample_digits(path=None, per_class=SAMPLES_PER_CLASS):
    """Write the sample digits: the first ``per_class`` test digits of each class, in the order 0 to 9.

    Run once when the choice changes (the package ships the file, so that building the book needs
    no MNIST download): ``python -c "from mnist_lessons import browser_model as b; b.write_sample_digits()"``.
    ``tests/test_browser_model.py`` checks the shipped file against MNIST.

    Parameters
    ----------
    path : str or pathlib.Path or None
        Default: the package's ``web/sample_digits.json``.
    per_class : int
        Digits of each class.

    Returns
    -------
    pathlib.Path
        The file written.
    """
    from mnist_lessons.data import load_mnist

    per_class = check_int(per_class, "per_class", low=1, high=50)
    _, (x_test, y_test) = load_mnist()
    indices = [int(i) for label in range(N_CLASSES) for i in np.flatnonzero(y_test == label)[:per_class]]
    stored = {
        "source": "MNIST test set (Y. LeCun, C. Cortes and C. J. C. Burges), via keras.datasets.mnist",
        "indices": indices,
        "labels": [int(y_test[i]) for i in indices],
        "pixels": base64.b64encode(np.ascontiguousarray(x_test[indices], dtype=np.uint8).tobytes()).decode("ascii"),
    }
    path = pathlib.Path(path) if path is not None else web_file(SAMPLES_FILE)
    path.write_text(json.dumps(stored, indent=1) + "\n", encoding="utf-8")
    return path


def page_config():
    """Everything the page's JavaScript must agree on with Python, from the one place each is defined.

    Returns
    -------
    dict
        JSON-ready: ``imageSide``, ``digitBox``, ``padSize``, ``penWidth``, ``classes``,
        ``smallDrawing`` and ``largeDrawing`` (``constants``), ``guidance``
        (``playground.GUIDANCE``) and ``layers``: for each layer of ``numpy_net.ARCHITECTURE``,
        its name, kind (conv, maxpool, flatten, dense), pooling size and output shape.

    Examples
    --------
    >>> config = page_config()
    >>> [layer["name"] for layer in config["layers"]]
    ['conv1', 'pool1', 'conv2', 'pool2', 'flatten', 'output']
    >>> config["layers"][1]
    {'name': 'pool1', 'kind': 'maxpool', 'size': 2, 'shape': [13, 13, 32]}
    """
    from mnist_lessons.playground import GUIDANCE  # playground imports Keras: only when exporting

    shapes = output_shapes()
    layers = [{key: value for key, value in layer.items() if key != "weights"} | {"shape": list(shapes[layer["name"]])}
              for layer in ARCHITECTURE]
    return {"imageSide": IMAGE_SIDE, "digitBox": DIGIT_BOX, "padSize": PAD_SIZE, "penWidth": PEN_WIDTH,
            "classes": N_CLASSES, "smallDrawing": SMALL_DRAWING, "largeDrawing": LARGE_DRAWING,
            "guidance": dict(GUIDANCE), "layers": layers}


def export_weights(path, model=None):
    """Write the CNN's weights, the page's configuration and the sample digits as a script the page loads.

    Parameters
    ----------
    path : str or pathlib.Path
        Where to write ``cnn_weights.js``.
    model : keras.Model or None
        The book's CNN; default: the shipped one, ``pretrained("cnn")``.

    Returns
    -------
    int
        The size of the file written, in bytes.
    """
    from mnist_lessons.models import pretrained
    from mnist_lessons.numpy_net import cnn_weights

    weights = cnn_weights(pretrained("cnn") if model is None else model)
    arrays = [array for layer in SHAPES for array in weights[layer]]
    data = b"".join(np.ascontiguousarray(array, dtype="<f4").tobytes() for array in arrays)
    indices, images, labels = sample_digits()
    pixels = np.round(images * PIXEL_MAX).astype(np.uint8)
    exported = {
        "config": page_config(),
        "layout": [{"layer": layer, "shapes": [list(shape) for shape in shapes]} for layer, shapes in SHAPES.items()],
        "base64": base64.b64encode(data).decode("ascii"),
        "samples": {"indices": indices.tolist(), "labels": labels.tolist(), "pixelMax": PIXEL_MAX,
                    "base64": base64.b64encode(pixels.tobytes()).decode("ascii")},
    }
    text = ("/* The shipped CNN's weights (mnist_lessons/weights/cnn.keras), float32, little-endian, base64, with the\n"
            "   page's configuration and a few MNIST test digits; written by the book's build with\n"
            "   mnist_lessons.browser_model.export_weights. */\n"
            + _PREFIX + json.dumps(exported) + ";\n")
    path = pathlib.Path(path)
    path.write_text(text, encoding="ascii")
    return path.stat().st_size


def read_export(path):
    """Read a script written by ``export_weights`` back: the JSON object it assigns, as a dict."""
    text = pathlib.Path(path).read_text(encoding="ascii")
    return json.loads(text[text.index(_PREFIX) + len(_PREFIX):].rstrip().rstrip(";"))


def read_exported_weights(path):
    """Read a script written by ``export_weights`` back into ``{layer: (kernel, bias)}`` arrays."""
    exported = read_export(path)
    data = base64.b64decode(exported["base64"])
    weights, offset = {}, 0
    for entry in exported["layout"]:
        arrays = []
        for shape in entry["shapes"]:
            size = int(np.prod(shape))
            arrays.append(np.frombuffer(data, dtype="<f4", count=size, offset=offset).reshape(shape))
            offset += 4 * size
        weights[entry["layer"]] = tuple(arrays)
    if offset != len(data):
        raise ValueError(f"{path} holds {len(data)} bytes of weights; its layout describes {offset}.")
    return weights

