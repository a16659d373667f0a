"""The book's figures, one module per kind of picture; every name is also available from here.

==========================  ==========================================================
module                      draws
==========================  ==========================================================
``plots.images``            digits, one digit's pixel values, flattening, receptive
                            fields, tables of maps
``plots.weights``           convolution kernels, dense-layer weights, feature maps,
                            one filter at work, a long vector
``plots.curves``            training curves, loss against step, accuracy against shift,
                            the learning rate of every step
``plots.predictions``       probabilities and logits per class, confidence,
                            reliability, confusion matrices
``plots.attributions``      saliency and occlusion maps, 2-D embeddings
``plots.playground``        what the playground shows for one image
``plots.diagrams``          architectures, a convolution and a pooling step with
                            numbers, both backwards, backpropagation as a graph,
                            −log p, transfer
==========================  ==========================================================

They share ``plots._base``: figure creation, hidden ticks, and one colour convention
for signed values across the book (blue positive, red negative). Each function
takes the arrays or the Keras model it draws and returns a closed
``matplotlib.figure.Figure``. ``from mnist_lessons.plots import plot_digits`` loads
only the module that draws it (figures of models import TensorFlow; figures of
arrays do not).
"""

import importlib

_MODULES = {
    "images": ["plot_digits", "plot_pixel_grid", "plot_flattened", "plot_receptive_field", "plot_map_grid"],
    "weights": ["plot_filters", "plot_dense_weights", "plot_feature_maps", "plot_filter_view", "plot_vector"],
    "curves": ["plot_training_curves", "plot_curves", "plot_accuracy_vs_shift", "plot_learning_rate"],
    "predictions": ["plot_predictions", "plot_class_bars", "plot_confidence_histogram", "plot_reliability",
                    "plot_confusion_matrix", "plot_confusion_matrices"],
    "attributions": ["plot_attributions", "plot_embedding"],
    "playground": ["plot_playground"],
    "diagrams": ["plot_architecture", "plot_convolution_step", "plot_pooling_step", "plot_backprop_graph",
                 "plot_log_loss", "plot_transfer", "plot_pooling_backward", "plot_convolution_backward"],
}
_WHERE = {name: module for module, names in _MODULES.items() for name in names}

__all__ = sorted(_WHERE)


def __getattr__(name):
    if name in _WHERE:
        value = getattr(importlib.import_module(f"mnist_lessons.plots.{_WHERE[name]}"), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'mnist_lessons.plots' has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(_WHERE))
