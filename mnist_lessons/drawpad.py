"""A drawing pad for notebooks: the book page's own JavaScript pad, as a widget that sends strokes to Python as JSON.

The pad is an anywidget (``anywidget`` is in Colab, and turns on Colab's custom widget
manager itself), so it works in JupyterLab 4, Notebook 7, VS Code and Colab, with
ipywidgets 7.7 and 8. Its JavaScript is ``web/drawpad.js``, the file the book's pages
use; the strokes reach Python as lists of (x, y) points in pad units (plain JSON, no
binary buffers), where ``playground.drawing_to_image`` prepares them for the model.
"""

import anywidget
import traitlets

# Nothing here imports TensorFlow: the pad's sizes come from constants, not from playground (which does).
from mnist_lessons.browser_model import STYLESHEET, web_file
from mnist_lessons.constants import PAD_SIZE, PEN_WIDTH
from mnist_lessons.drawing import draw_strokes

# The module the front end runs: drawpad.js defines MnistLive.createPad; this renders it into the
# widget's element and keeps the `strokes` trait and the pad in step.
_RENDER = """
export default {
  render({ model, el }) {
    const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);
    const pad = globalThis.MnistLive.createPad(el, {
      padSize: model.get("pad_size"),
      penWidth: model.get("pen_width"),
      onStroke(strokes) {
        model.set("strokes", strokes.map((stroke) => stroke.map(([x, y]) => [x, y])));
        model.save_changes();
      },
    });
    pad.setStrokes(model.get("strokes"));
    const follow = () => { if (!same(model.get("strokes"), pad.strokes())) pad.setStrokes(model.get("strokes")); };
    model.on("change:strokes", follow);
    return () => model.off("change:strokes", follow);
  },
};
"""


class DrawingPad(anywidget.AnyWidget):
    """A 280×280 drawing pad; ``strokes`` holds what was drawn, one list of (x, y) points per stroke.

    Drawing in the front end sets ``strokes`` after every stroke (and to ``[]`` when
    **Clear** is pressed); setting it from Python redraws the pad. Observe it to react:
    ``pad.observe(callback, names="strokes")``.
    """

    _esm = web_file("drawpad.js").read_text(encoding="utf-8") + _RENDER
    _css = web_file(STYLESHEET).read_text(encoding="utf-8")
    strokes = traitlets.List(traitlets.List(traitlets.List(traitlets.Float()))).tag(sync=True)
    pad_size = traitlets.Int(PAD_SIZE).tag(sync=True)
    pen_width = traitlets.Float(PEN_WIDTH).tag(sync=True)

    def add_stroke(self, points):
        """Add a stroke, as drawing it would (points outside the pad are moved onto its edge)."""
        inside = [[min(max(float(x), 0.0), self.pad_size), min(max(float(y), 0.0), self.pad_size)] for x, y in points]
        self.strokes = [*self.strokes, inside]

    def clear(self):
        """Remove every stroke, as the pad's Clear button does."""
        self.strokes = []

    def pad(self):
        """The drawing as a pad_size×pad_size image (ink 1, background 0)."""
        return draw_strokes([[tuple(point) for point in stroke] for stroke in self.strokes],
                            size=self.pad_size, width=self.pen_width)
