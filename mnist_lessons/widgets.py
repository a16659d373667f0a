"""The playground's widgets: they turn events (a stroke, a slider) into calls and show the results.

Everything they compute is in ``mnist_lessons.playground`` (``drawing_to_image``,
``look``, ``explore``) and every figure in ``mnist_lessons.plots``; this module only
builds the controls, with the ipywidgets API common to versions 7.7 (Colab) and 8.
The drawing pad is an ipycanvas canvas (ipycanvas is a dependency of the package);
where the front end cannot show it (no ipycanvas extension: a blank pad or "Error
displaying widget"), ``Playground(pad="grid")`` gives a grid of toggle buttons
instead, which works wherever ipywidgets does. Layer names, filter counts and slider
limits are read from the model and from ``mnist_lessons.transforms``.
"""

import sys

import numpy as np

from mnist_lessons.checks import check_choice, check_labels, check_model, check_scaled_images, get_layer
from mnist_lessons.drawing import draw_strokes
from mnist_lessons.playground import PAD_SIZE, PEN_WIDTH, convolution_layers, explore, look
from mnist_lessons.plots import plot_filter_view, plot_playground
from mnist_lessons.preprocess import to_mnist_format
from mnist_lessons.transforms import MAX_SHIFT, perturb

GRID_CELLS = 14       # the fallback pad: 14×14 buttons, each 20×20 pad pixels


def _in_colab():
    return "google.colab" in sys.modules


def _enable_colab_widgets():
    # Colab shows third-party widgets such as ipycanvas only with its custom widget manager.
    if _in_colab():
        from google.colab import output  # noqa: PLC0415  (exists only in Colab)

        output.enable_custom_widget_manager()


class GridPad:
    """A drawing pad of 14×14 toggle buttons: click cells to ink them. Works wherever ipywidgets does."""

    kind = "grid"

    def __init__(self, on_change):
        import ipywidgets as w

        self._on_change = on_change
        self.cells = [w.ToggleButton(value=False, tooltip=f"row {r}, column {c}",
                                     layout=w.Layout(width="20px", height="20px", padding="0", margin="0"))
                      for r in range(GRID_CELLS) for c in range(GRID_CELLS)]
        for cell in self.cells:
            cell.observe(self._changed, names="value")
        self.widget = w.GridBox(self.cells, layout=w.Layout(
            grid_template_columns=f"repeat({GRID_CELLS}, 20px)", grid_gap="0px", width=f"{20 * GRID_CELLS + 4}px"))
        self._quiet = False

    def _changed(self, change):
        if not self._quiet:
            self._on_change()

    def pad(self):
        """The pad as a PAD_SIZE×PAD_SIZE image: each inked cell is a 20×20 block."""
        grid = np.array([cell.value for cell in self.cells], dtype=np.float32).reshape(GRID_CELLS, GRID_CELLS)
        return np.kron(grid, np.ones((PAD_SIZE // GRID_CELLS, PAD_SIZE // GRID_CELLS), np.float32))

    def set_cells(self, cells):
        """Ink the given (row, column) cells (as clicks would), then update once."""
        self._quiet = True
        for r, c in cells:
            self.cells[r * GRID_CELLS + c].value = True
        self._quiet = False
        self._on_change()

    def clear(self):
        self._quiet = True
        for cell in self.cells:
            cell.value = False
        self._quiet = False
        self._on_change()


class CanvasPad:
    """A drawing pad on an ipycanvas Canvas: press, drag and release the mouse to draw a stroke."""

    kind = "canvas"

    def __init__(self, on_change):
        import ipycanvas

        self._on_change = on_change
        self.strokes = []
        self._drawing = False
        self.canvas = ipycanvas.Canvas(width=PAD_SIZE, height=PAD_SIZE, layout={"border": "1px solid gray"})
        self.canvas.line_width = PEN_WIDTH
        self.canvas.line_cap = "round"
        self.canvas.line_join = "round"
        self.canvas.on_mouse_down(self._down)
        self.canvas.on_mouse_move(self._move)
        self.canvas.on_mouse_up(self._up)
        self.canvas.on_mouse_out(self._up)
        # A view shown later (a reload, a second view, Colab displaying it) starts blank: repaint it.
        self.canvas.on_client_ready(self._repaint)
        self.widget = self.canvas
        self._repaint()

    def _repaint(self):
        self.canvas.line_width = PEN_WIDTH
        self.canvas.line_cap = "round"
        self.canvas.line_join = "round"
        self.canvas.fill_style = "white"
        self.canvas.fill_rect(0, 0, PAD_SIZE, PAD_SIZE)
        self.canvas.stroke_style = "black"
        self.canvas.fill_style = "black"
        for stroke in self.strokes:
            self._dot(*stroke[0])
            for (x0, y0), (x1, y1) in zip(stroke[:-1], stroke[1:]):
                self.canvas.stroke_line(x0, y0, x1, y1)

    def _dot(self, x, y):
        self.canvas.fill_circle(x, y, PEN_WIDTH / 2)

    @staticmethod
    def _inside(x, y):
        return min(max(float(x), 0.0), PAD_SIZE), min(max(float(y), 0.0), PAD_SIZE)

    def _down(self, x, y):
        self._drawing = True
        self.strokes.append([self._inside(x, y)])
        self._dot(*self.strokes[-1][0])          # a click alone leaves a visible dot, as the model sees it

    def _move(self, x, y):
        if self._drawing:
            (x0, y0), (x1, y1) = self.strokes[-1][-1], self._inside(x, y)
            self.strokes[-1].append((x1, y1))
            self.canvas.stroke_line(x0, y0, x1, y1)

    def _up(self, x, y):
        if self._drawing:
            self._drawing = False
            self._on_change()

    def add_stroke(self, points):
        """Draw a stroke as the mouse would: press at the first point, move through the rest, release."""
        self._down(*points[0])
        for point in points[1:]:
            self._move(*point)
        self._up(*points[-1])

    def pad(self):
        return draw_strokes(self.strokes, size=PAD_SIZE, width=PEN_WIDTH)

    def clear(self):
        self.strokes = []
        self._repaint()
        self._on_change()


def make_pad(on_change, kind="auto"):
    """A CanvasPad if ipycanvas is installed (kind="auto" or "canvas"), else a GridPad."""
    check_choice(kind, "kind", ("auto", "canvas", "grid"))
    if kind in ("auto", "canvas"):
        try:
            import ipycanvas  # noqa: F401
        except ImportError:
            if kind == "canvas":
                raise ImportError("The canvas pad needs ipycanvas: pip install ipycanvas") from None
        else:
            _enable_colab_widgets()
            return CanvasPad(on_change)
    return GridPad(on_change)


def _show(output, fig):
    from IPython.display import display

    with output:
        output.clear_output(wait=True)
        display(fig)


def _prediction_html(view):
    top = view.prediction
    numbers = " ".join(f"{p:.3f}" for p in view.probabilities)
    return (f"<b>Prediction: <span class='mnist-prediction'>{top}</span></b> "
            f"(probability {view.probabilities[top]:.2f})<br>"
            f"<small>probabilities 0–9: <span class='mnist-probabilities'>{numbers}</span></small>")


def _model_or_shipped(model):
    from mnist_lessons.models import pretrained  # loads weights: only when no model is given

    return pretrained("cnn") if model is None else check_model(model)


class _Shown:
    """Displays its ``widget`` when it is the value of a notebook cell."""

    def _ipython_display_(self):
        from IPython.display import display

        display(self.widget)


class Playground(_Shown):
    """Draw a digit; see the CNN's probabilities and its most active conv1 and conv2 maps.

    Parameters
    ----------
    model : keras.Model, optional
        Default: the shipped CNN.
    pad : {"auto", "canvas", "grid"}
        Which drawing pad (see ``make_pad``).
    """

    def __init__(self, model=None, *, pad="auto"):
        import ipywidgets as w

        self.model = _model_or_shipped(model)
        self.prediction = w.HTML("<b>Draw a digit on the pad.</b>")
        self.prediction.add_class("playground-prediction")
        self.output = w.Output()
        self.pad = make_pad(self.update, kind=pad)
        self.clear_button = w.Button(description="Clear", icon="eraser")
        self.clear_button.on_click(lambda _: self.pad.clear())
        self.view = None
        self.widget = w.VBox([w.HBox([w.VBox([self.pad.widget, self.clear_button]), self.prediction]),
                              self.output])

    def update(self):
        """Recompute and redraw from the pad's current drawing (called after every stroke)."""
        image = to_mnist_format(self.pad.pad()[np.newaxis])[0]
        if image.max() == 0:
            self.view = None
            self.prediction.value = "<b>Draw a digit on the pad.</b>"
            self.output.clear_output()
            return
        self.view = look(self.model, image)
        self.prediction.value = _prediction_html(self.view)
        _show(self.output, plot_playground(self.view, title="What the CNN sees and says"))


class LayerExplorer(_Shown):
    """Choose a test digit, a convolution layer and a filter; see its feature map and kernel.

    The layers offered are the model's convolution layers, and the filter slider
    runs over the chosen layer's filters.
    """

    def __init__(self, images, labels, model=None):
        import ipywidgets as w

        self.model = _model_or_shipped(model)
        self.images = check_scaled_images(images, model=self.model)
        self.labels = check_labels(labels, len(self.images))
        layers = convolution_layers(self.model)
        if not layers:
            raise ValueError(f"model {self.model.name!r} has no convolution layer to explore.")
        # continuous_update=False: recompute when the slider is released, not at every step of a drag.
        self.digit = w.IntSlider(value=0, min=0, max=len(self.images) - 1, description="test digit",
                                 continuous_update=False)
        self.layer = w.Dropdown(options=layers, value=layers[0], description="layer")
        self.filter = w.IntSlider(value=0, min=0, max=self._filters(layers[0]) - 1, description="filter",
                                  continuous_update=False)
        self.output = w.Output()
        for control in (self.digit, self.layer, self.filter):
            control.observe(self.update, names="value")
        self.widget = w.VBox([w.HBox([self.digit, self.layer, self.filter]), self.output])
        self.update()

    def _filters(self, layer):
        return get_layer(self.model, layer).get_weights()[0].shape[-1]

    def update(self, change=None):
        """Recompute and redraw for the current digit, layer and filter."""
        self.filter.max = self._filters(self.layer.value) - 1
        image = self.images[self.digit.value]
        self.feature_map, self.kernel, self.channel = explore(self.model, image, self.layer.value,
                                                              self.filter.value)
        reads_image = self.layer.value == self.layer.options[0]
        title = (f"{self.layer.value}, filter {self.filter.value}, test digit {self.digit.value} "
                 f"(label {self.labels[self.digit.value]})")
        _show(self.output, plot_filter_view(image, self.kernel, self.feature_map, layer=self.layer.value,
                                            channel=None if reads_image else self.channel, title=title))


class PerturbationExplorer(_Shown):
    """Sliders that shift, rotate, add noise to and erase part of a test digit; the probabilities follow."""

    def __init__(self, images, labels, model=None):
        import ipywidgets as w

        self.model = _model_or_shipped(model)
        self.images = check_scaled_images(images, model=self.model)
        self.labels = check_labels(labels, len(self.images))
        slider = {"continuous_update": False}     # recompute on release, not at every step of a drag
        self.digit = w.IntSlider(value=0, min=0, max=len(self.images) - 1, description="test digit", **slider)
        self.right = w.IntSlider(value=0, min=-MAX_SHIFT, max=MAX_SHIFT, description="shift →", **slider)
        self.down = w.IntSlider(value=0, min=-MAX_SHIFT, max=MAX_SHIFT, description="shift ↓", **slider)
        self.degrees = w.FloatSlider(value=0, min=-180, max=180, step=5, description="rotation °", **slider)
        self.noise = w.FloatSlider(value=0, min=0, max=1, step=0.05, description="noise σ", **slider)
        self.erase_size = w.IntSlider(value=0, min=0, max=14, description="erase size", **slider)
        self.prediction = w.HTML()
        self.prediction.add_class("perturbation-prediction")
        self.right.add_class("perturbation-shift-right")
        self.output = w.Output()
        controls = (self.digit, self.right, self.down, self.degrees, self.noise, self.erase_size)
        for control in controls:
            control.observe(self.update, names="value")
        self.widget = w.VBox([w.HBox([w.VBox(list(controls)), self.prediction]), self.output])
        self.update()

    def settings(self):
        return {"down": self.down.value, "right": self.right.value, "degrees": float(self.degrees.value),
                "noise": float(self.noise.value), "erase_size": self.erase_size.value}

    def update(self, change=None):
        """Recompute and redraw for the current digit and settings."""
        image = perturb(self.images[self.digit.value], **self.settings())
        self.view = look(self.model, image)
        self.prediction.value = (_prediction_html(self.view)
                                 + f"<br>true label {self.labels[self.digit.value]}")
        _show(self.output, plot_playground(self.view, title="The perturbed digit and the CNN's answer"))
