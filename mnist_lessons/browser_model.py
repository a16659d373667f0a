"""The trained CNN in the reader's browser: its JavaScript, and the export of the shipped weights it reads.

The book's pages run the shipped CNN in plain JavaScript (``web/cnn.js``, which mirrors
``numpy_net`` function by function) on a drawing prepared by ``web/prepare.js``
(which mirrors ``drawing.draw_strokes`` and ``preprocess.to_mnist_format``). The book's
build calls ``export_weights`` on every run, so the page never reads stale weights;
the export is the shipped float32 arrays, bit for bit, base64-encoded in a small
script (a script, not a data file, so that it also loads from ``file://``).
"""

import base64
import importlib.resources
import json
import pathlib

import numpy as np

# The files the page loads, in order: the network, the preparation, the pad, the panel.
JAVASCRIPT = ("cnn.js", "prepare.js", "drawpad.js", "panel.js")
STYLESHEET = "panel.css"
WEIGHTS_SCRIPT = "cnn_weights.js"
# The CNN's weight arrays, in the order the script holds them (numpy_net's names and shapes).
LAYOUT = (("conv1", ((3, 3, 1, 32), (32,))), ("conv2", ((3, 3, 32, 64), (64,))), ("output", ((1600, 10), (10,))))
_PREFIX = "(window.MnistLive = window.MnistLive || {}).exportedWeights = "


def web_file(name):
    """The path of one of the package's web files (``JAVASCRIPT``, ``STYLESHEET``)."""
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


def export_weights(path, model=None):
    """Write the CNN's weights as a script the page loads; return the number of bytes written.

    Parameters
    ----------
    path : str or pathlib.Path
        Where to write ``cnn_weights.js``.
    model : keras.Model or None
        The book's CNN; default: the shipped one, ``pretrained("cnn")``.

    Returns
    -------
    int
        The size of the file written.
    """
    from mnist_lessons.models import pretrained
    from mnist_lessons.numpy_net import cnn_weights

    weights = cnn_weights(pretrained("cnn") if model is None else model)
    arrays = [array for layer, _ in LAYOUT for array in weights[layer]]
    data = b"".join(np.ascontiguousarray(array, dtype="<f4").tobytes() for array in arrays)
    exported = {"layout": [{"layer": layer, "shapes": [list(shape) for shape in shapes]} for layer, shapes in LAYOUT],
                "base64": base64.b64encode(data).decode("ascii")}
    text = ("/* The shipped CNN's weights (mnist_lessons/weights/cnn.keras), float32, little-endian, base64;\n"
            "   written by the book's build with mnist_lessons.browser_model.export_weights. */\n"
            + _PREFIX + json.dumps(exported) + ";\n")
    path = pathlib.Path(path)
    path.write_text(text, encoding="ascii")
    return path.stat().st_size


def read_exported_weights(path):
    """Read a script written by ``export_weights`` back into ``{layer: (kernel, bias)}`` arrays."""
    text = pathlib.Path(path).read_text(encoding="ascii")
    exported = json.loads(text[text.index(_PREFIX) + len(_PREFIX):].rstrip().rstrip(";"))
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
