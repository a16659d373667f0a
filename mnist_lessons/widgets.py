"""The playground's widgets: they turn events (a stroke, a slider) into calls and show the results.

Everything they compute is in ``mnist_lessons.playground`` (``drawing_to_image``,
``look``, ``explore``) and every figure in ``mnist_lessons.plots``; this module only
builds the controls, with the ipywidgets API common to versions 7.7 (Colab) and 8. The
drawing pad is ``mnist_lessons.drawpad.DrawingPad``, the book page's own pad as an
anywidget. Layer names, filter counts and slider limits are read from the model and
from ``mnist_lessons.transforms``.
"""

import ipywidgets as w
from IPython.display import display

from mnist_lessons.checks import check_labels, check_model, check_scaled_images, get_layer
from mnist_lessons.drawpad import DrawingPad
from mnist_lessons.models import pretrained
from mnist_lessons.playground import (
    GUIDANCE,
    convolution_layers,
    drawing_guidance,
    drawing_to_image,
    explore,
    look,
)
from mnist_lessons.plots import plot_filter_view, plot_playground
from mnist_lessons.transforms import MAX_SHIFT, perturb


def _show(output, fig):
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
    return pretrained("cnn") if model is None else check_model(model)


class _Shown:
    """Displays its ``widget`` when it is the value of a notebook cell."""

    def _ipython_display_(self):
        display(self.widget)


class Playground(_Shown):
    """Draw a digit; see the model's probabilities and its most active feature maps after every stroke.

    Parameters
    ----------
    model : keras.Model, optional
        Default: the shipped CNN.
    """

    def __init__(self, model=None):
        self.model = _model_or_shipped(model)
        self.prediction = w.HTML("<b>Draw a digit on the pad.</b>")
        self.prediction.add_class("playground-prediction")
        self.output = w.Output()
        self.pad = DrawingPad()
        self.pad.observe(lambda change: self.update(), names="strokes")
        self.view = None
        self.guidance = None
        self.widget = w.VBox([w.HBox([self.pad, self.prediction]), self.output])

    def update(self):
        """Recompute and redraw from the pad's strokes (called after every stroke and on Clear)."""
        pad, image = drawing_to_image([[tuple(point) for point in stroke] for stroke in self.pad.strokes])
        self.guidance = drawing_guidance(pad)
        if image.max() == 0:
            self.view = None
            self.prediction.value = "<b>Draw a digit on the pad.</b>"
            self.output.clear_output()
            return
        self.view = look(self.model, image)
        # What the book page's panel says too when a drawing is far from MNIST's proportions.
        advice = f"<br><small class='mnist-guidance'>{GUIDANCE[self.guidance]}</small>" if self.guidance else ""
        self.prediction.value = _prediction_html(self.view) + advice
        _show(self.output, plot_playground(self.view, title="What the CNN sees and says"))


class LayerExplorer(_Shown):
    """Choose a test digit, a convolution layer and a filter; see its feature map and kernel.

    The layers offered are the model's convolution layers, and the filter slider
    runs over the chosen layer's filters.
    """

    def __init__(self, images, labels, model=None):
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
