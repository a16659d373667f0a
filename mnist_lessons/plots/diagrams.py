"""Diagrams drawn from the real models and numbers: architectures, one convolution and pooling step, backprop, transfer.

Every box, shape, count and number in these figures is read from the Keras model or
the arrays passed in, so a diagram cannot drift from what it depicts.
"""

import keras
import matplotlib.patches
import numpy as np

from mnist_lessons.checks import check_int, check_model, check_pair, check_text
from mnist_lessons.plots._base import SIGNED_CMAP, hide_ticks, new_figure, signed_limit

_BOX = {"boxstyle": "round,pad=0.4", "linewidth": 1.2}


def _shape_text(shape):
    return "×".join(str(dim) for dim in shape[1:])


def layer_rows(model):
    """One row per layer of ``model``: (name, type, output shape without the batch axis, parameters, trainable).

    Nested models (a base inside a transfer model) are listed as one row each.

    Examples
    --------
    >>> from mnist_lessons.models import build_cnn
    >>> layer_rows(build_cnn())[0]
    ('conv1', 'Conv2D', (26, 26, 32), 320, True)
    """
    check_model(model)
    return [(layer.name, type(layer).__name__, tuple(layer.output.shape[1:]), layer.count_params(),
             bool(layer.trainable)) for layer in model.layers]


def plot_architecture(model, *, title=None):
    """Draw a model as a row of boxes, one per layer, each with its output shape and parameter count.

    Parameters
    ----------
    model : keras.Model
        A model with a defined input, e.g. ``build_cnn()`` or ``pretrained("mlp")``.
    title : str or None
        Figure title; default: the model's name and its total parameters.

    Returns
    -------
    matplotlib.figure.Figure
        The input and every layer as boxes from left to right; a layer without
        parameters (pooling, flattening) is drawn without fill.
    """
    rows = layer_rows(model)
    title = f"{model.name}: {model.count_params():,} parameters" if title is None else check_text(title, "title")
    input_shape = tuple(model.inputs[0].shape[1:])
    boxes = [("input", "", input_shape, 0, True)] + rows
    fig = new_figure((max(2.0 * len(boxes), 6), 2.6))
    ax = fig.subplots()
    for i, (name, kind, shape, parameters, _) in enumerate(boxes):
        lines = [name if not kind else f"{name} ({kind})", "×".join(map(str, shape))]
        if kind:
            lines.append(f"{parameters:,} parameters")
        ax.text(i, 0, "\n".join(lines), ha="center", va="center", fontsize=9,
                bbox={**_BOX, "facecolor": "#dbe9f6" if parameters else "white", "edgecolor": "#1f4e79"})
        if i:
            ax.annotate("", xy=(i - 0.42, 0), xytext=(i - 0.58, 0), arrowprops={"arrowstyle": "->", "lw": 1.2})
    ax.set_xlim(-0.6, len(boxes) - 0.4)
    ax.set_ylim(-1, 1)
    ax.axis("off")
    fig.suptitle(f"{title} (shaded: layers with weights; shapes per image)")
    return fig


def plot_convolution_step(image, kernel, top_left, *, title="One output value of a convolution"):
    """Show one output value computed by hand: the patch under the kernel, the kernel, their products, the sum.

    Parameters
    ----------
    image : array-like, shape (h, w)
        The input, e.g. a digit with pixels in [0, 1].
    kernel : array-like, shape (k, k)
        The weights.
    top_left : tuple of int (row, column)
        Where the kernel's top-left weight sits on the image.
    title : str

    Returns
    -------
    matplotlib.figure.Figure
        Four panels: the image with the patch outlined, the patch's values, the kernel's
        values and the products, with their sum (the output value) in the last panel's title.
    """
    check_text(title, "title")
    image, kernel = np.asarray(image, dtype=float), np.asarray(kernel, dtype=float)
    if image.ndim != 2 or kernel.ndim != 2 or kernel.shape[0] != kernel.shape[1]:
        raise ValueError(f"image must be 2-D and kernel square; got shapes {image.shape} and {kernel.shape}.")
    k = kernel.shape[0]
    row, col = check_pair(top_left, "top_left", low=0, high=min(image.shape) - k,
                          why=f", so that the {k}×{k} kernel fits in the image")
    patch = image[row:row + k, col:col + k]
    products = patch * kernel
    fig = new_figure((13, 3.4))
    axes = fig.subplots(1, 4, width_ratios=[1.2, 1, 1, 1])
    axes[0].imshow(image, cmap="gray_r", vmin=0, vmax=max(image.max(), 1e-9))
    axes[0].add_patch(matplotlib.patches.Rectangle((col - 0.5, row - 0.5), k, k, fill=False, edgecolor="tab:red",
                                                   linewidth=2))
    axes[0].set_title(f"the image, patch at ({row}, {col})", fontsize=9)
    for ax, values, name in ((axes[1], patch, "patch (pixel values)"), (axes[2], kernel, "kernel (weights)"),
                             (axes[3], products, f"patch × kernel: sum = {products.sum():.3f}")):
        limit = signed_limit(values)
        ax.imshow(values, cmap=SIGNED_CMAP, vmin=-limit, vmax=limit)
        for (r, c), value in np.ndenumerate(values):
            ax.text(c, r, f"{value:.2f}", ha="center", va="center", fontsize=9)
        ax.set_title(name, fontsize=9)
    for ax in axes:
        hide_ticks(ax)
    fig.suptitle(f"{title}: multiply element by element, then add up")
    return fig


def plot_pooling_step(block, *, size=2, title="Max pooling with numbers"):
    """Show max pooling on a small block: each size×size window, coloured, and its maximum.

    Parameters
    ----------
    block : array-like, shape (h, w)
        A small piece of a feature map, e.g. 4×4; h and w must be multiples of ``size``.
    size : int, default=2
        The pooling window and stride.
    title : str

    Returns
    -------
    matplotlib.figure.Figure
        The block with every value written and each window outlined in its own colour, and the
        pooled block (one value per window) in the matching colours.
    """
    check_text(title, "title")
    block = np.asarray(block, dtype=float)
    size = check_int(size, "size", low=1)
    if block.ndim != 2 or block.shape[0] % size or block.shape[1] % size:
        raise ValueError(f"block must be 2-D with sides that are multiples of size={size}; got shape {block.shape}.")
    rows, cols = block.shape[0] // size, block.shape[1] // size
    pooled = block.reshape(rows, size, cols, size).max(axis=(1, 3))
    colours = [f"C{i}" for i in range(rows * cols)]
    fig = new_figure((8, 3.6))
    left, right = fig.subplots(1, 2, width_ratios=[block.shape[1], cols])
    for ax, values in ((left, block), (right, pooled)):
        ax.imshow(values, cmap="Greys", vmin=0, vmax=max(block.max(), 1e-9) * 3)
        for (r, c), value in np.ndenumerate(values):
            ax.text(c, r, f"{value:.2f}", ha="center", va="center", fontsize=10)
        hide_ticks(ax)
    for r in range(rows):
        for c in range(cols):
            colour = colours[r * cols + c]
            left.add_patch(matplotlib.patches.Rectangle((c * size - 0.45, r * size - 0.45), size - 0.1, size - 0.1,
                                                        fill=False, edgecolor=colour, linewidth=2.5))
            right.add_patch(matplotlib.patches.Rectangle((c - 0.45, r - 0.45), 0.9, 0.9, fill=False,
                                                         edgecolor=colour, linewidth=2.5))
    left.set_title(f"{block.shape[0]}×{block.shape[1]} block, {size}×{size} windows", fontsize=9)
    right.set_title(f"max pooled: {rows}×{cols}", fontsize=9)
    fig.suptitle(f"{title}: each window keeps its largest value")
    return fig


def _numbers(ax, values, title, *, outline=()):
    """One array drawn on the signed colour scale, every value written in its cell; ``outline``: cells to frame."""
    limit = signed_limit(values)
    ax.imshow(values, cmap=SIGNED_CMAP, vmin=-limit, vmax=limit)
    for (r, c), value in np.ndenumerate(values):
        ax.text(c, r, f"{value:.3g}" if value else "0", ha="center", va="center",
                fontsize=8 if values.shape[1] > 5 else 9, color="white" if abs(value) > 0.6 * limit else "black")
    for r, c in outline:
        ax.add_patch(matplotlib.patches.Rectangle((c - 0.45, r - 0.45), 0.9, 0.9, fill=False, edgecolor="black",
                                                  linewidth=2))
    ax.set_title(title, fontsize=9)
    hide_ticks(ax)


def plot_pooling_backward(block, upstream, *, size=2, title="Max pooling, backward"):
    """Show how max pooling passes a gradient back: each window's gradient goes to its winner, 0 elsewhere.

    Parameters
    ----------
    block : array-like, shape (h, w)
        What the pooling layer received, e.g. a 4×4 piece of a feature map; h and w
        multiples of ``size``.
    upstream : array-like, shape (h / size, w / size)
        The gradient of the loss with respect to the pooled values.
    size : int, default=2
        The pooling window and stride.
    title : str

    Returns
    -------
    matplotlib.figure.Figure
        Three panels: the block with each window's winner framed (the first largest value,
        reading row by row, as TensorFlow picks it when values tie), the upstream gradient, and
        the gradient passed back: the upstream value at each winner, 0 everywhere else.
    """
    check_text(title, "title")
    block, upstream = np.asarray(block, dtype=float), np.asarray(upstream, dtype=float)
    size = check_int(size, "size", low=1)
    if block.ndim != 2 or block.shape[0] % size or block.shape[1] % size:
        raise ValueError(f"block must be 2-D with sides that are multiples of size={size}; got shape {block.shape}.")
    rows, cols = block.shape[0] // size, block.shape[1] // size
    if upstream.shape != (rows, cols):
        raise ValueError(f"upstream must hold one gradient per window, shape {(rows, cols)}; got {upstream.shape}.")
    passed, winners = np.zeros_like(block), []
    for r in range(rows):
        for c in range(cols):
            window = block[r * size:(r + 1) * size, c * size:(c + 1) * size]
            i, j = np.unravel_index(np.argmax(window), window.shape)      # the first largest
            winners.append((r * size + i, c * size + j))
            passed[winners[-1]] = upstream[r, c]
    fig = new_figure((11, 3.6))
    axes = fig.subplots(1, 3, width_ratios=[block.shape[1], cols, block.shape[1]])
    _numbers(axes[0], block, "forward: the block, each window's winner framed", outline=winners)
    _numbers(axes[1], upstream, "∂L/∂(pooled)")
    _numbers(axes[2], passed, "∂L/∂(block): to the winners", outline=winners)
    fig.suptitle(f"{title}: a {size}×{size} window passes its gradient to the value that won, 0 to the others")
    return fig


def _correlate(image, kernel):
    """Valid cross-correlation of two 2-D arrays, as Keras' Conv2D computes it (no flip)."""
    k_rows, k_cols = kernel.shape
    rows, cols = image.shape[0] - k_rows + 1, image.shape[1] - k_cols + 1
    return np.array([[np.sum(image[r:r + k_rows, c:c + k_cols] * kernel) for c in range(cols)] for r in range(rows)])


def plot_convolution_backward(image, kernel, upstream, *, title="A convolution, backward"):
    """Show a one-channel convolution's two gradients with numbers: for its kernel and for its input.

    Parameters
    ----------
    image : array-like, shape (h, w)
        The convolution's input.
    kernel : array-like, shape (k, k)
        Its weights; the forward pass is the valid cross-correlation ``Y = image ⋆ kernel``.
    upstream : array-like, shape (h − k + 1, w − k + 1)
        ∂L/∂Y, the gradient of the loss with respect to the output.
    title : str

    Returns
    -------
    matplotlib.figure.Figure
        Top row: the input, ∂L/∂Y and ∂L/∂K = input ⋆ ∂L/∂Y (∂L/∂Y slid over the input).
        Bottom row: ∂L/∂Y padded with k − 1 zeros on every side, the kernel flipped (turned by
        180°), and ∂L/∂(input) = padded ⋆ flipped, a full convolution of ∂L/∂Y with the kernel.
    """
    check_text(title, "title")
    image, kernel, upstream = (np.asarray(a, dtype=float) for a in (image, kernel, upstream))
    if image.ndim != 2 or kernel.ndim != 2 or kernel.shape[0] != kernel.shape[1] or kernel.shape[0] > min(image.shape):
        raise ValueError(f"image must be 2-D and kernel square and no larger; got shapes {image.shape} and "
                         f"{kernel.shape}.")
    k = kernel.shape[0]
    expected = (image.shape[0] - k + 1, image.shape[1] - k + 1)
    if upstream.shape != expected:
        raise ValueError(f"upstream must have the output's shape {expected}; got {upstream.shape}.")
    padded = np.pad(upstream, k - 1)
    flipped = kernel[::-1, ::-1]
    panels = [(image, "input X"), (upstream, "∂L/∂Y (upstream)"), (_correlate(image, upstream), "∂L/∂K = X ⋆ ∂L/∂Y"),
              (padded, f"∂L/∂Y padded with {k - 1} zeros"), (flipped, "kernel K flipped (180°)"),
              (_correlate(padded, flipped), "∂L/∂X = padded ⋆ flipped K")]
    fig = new_figure((12, 7))
    axes = fig.subplots(2, 3)
    for ax, (values, name) in zip(axes.ravel(), panels):
        _numbers(ax, values, name)
    fig.suptitle(f"{title} (⋆: slide the second over the first, multiply and add, as Conv2D does)")
    return fig


def plot_backprop_graph(model, *, batch="n", title="Forward and backward through the network"):
    """Draw a Flatten → Dense (ReLU) → Dense network as a computational graph, forward and backward.

    Every node is labelled with its shape (read from ``model``); every edge carries, below
    it, the gradient that flows back along it, written as chapter 6 derives it.

    Parameters
    ----------
    model : keras.Model
        ``Flatten`` then two ``Dense`` layers, the first with ReLU, the second without
        activation (its softmax is in the loss), as chapter 6 builds it.
    batch : str, default="n"
        How to write the batch size in the shapes.
    title : str

    Returns
    -------
    matplotlib.figure.Figure
    """
    check_model(model)
    check_text(title, "title")
    dense = [layer for layer in model.layers if isinstance(layer, keras.layers.Dense)]
    flatten = [layer for layer in model.layers if isinstance(layer, keras.layers.Flatten)]
    if len(dense) != 2 or len(flatten) != 1 or dense[0].get_config()["activation"] != "relu":
        raise ValueError("model must be Flatten, Dense with ReLU, Dense (chapter 6's network); got layers "
                         f"{[type(layer).__name__ for layer in model.layers]}.")
    inputs, hidden, classes = flatten[0].output.shape[-1], dense[0].units, dense[1].units
    nodes = [("X", f"{batch}×{inputs}", "pixels"), ("H_pre", f"{batch}×{hidden}", "X W1 + b1"),
             ("H", f"{batch}×{hidden}", "max(H_pre, 0)"), ("Z", f"{batch}×{classes}", "H W2 + b2"),
             ("L", "1", "mean cross-entropy")]
    backward = [f"∂L/∂W1 = Xᵀ ∂L/∂H_pre  ({inputs}×{hidden})\n∂L/∂b1 = column sums of ∂L/∂H_pre",
                f"∂L/∂H_pre = ∂L/∂H ⊙ [H_pre > 0]  ({batch}×{hidden})",
                f"∂L/∂W2 = Hᵀ ∂L/∂Z  ({hidden}×{classes})\n∂L/∂H = ∂L/∂Z W2ᵀ  ({batch}×{hidden})",
                f"∂L/∂Z = (P − Y) / {batch}  ({batch}×{classes})"]
    weights = [f"W1 {inputs}×{hidden}, b1 {hidden}", "", f"W2 {hidden}×{classes}, b2 {classes}", "softmax + −log p"]
    fig = new_figure((15, 4.2))
    ax = fig.subplots()
    for i, (name, shape, how) in enumerate(nodes):
        x = 3.2 * i
        ax.text(x, 0, f"{name}\n{shape}", ha="center", va="center", fontsize=11,
                bbox={**_BOX, "facecolor": "#dbe9f6", "edgecolor": "#1f4e79"})
        ax.text(x, 0.62, how, ha="center", va="bottom", fontsize=8, color="#444444")
        if i:
            ax.annotate("", xy=(x - 0.75, 0.12), xytext=(x - 2.45, 0.12),
                        arrowprops={"arrowstyle": "->", "lw": 1.4, "color": "#1f4e79"})
            ax.annotate("", xy=(x - 2.45, -0.12), xytext=(x - 0.75, -0.12),
                        arrowprops={"arrowstyle": "->", "lw": 1.4, "color": "tab:red"})
            ax.text(x - 1.6, 0.2, weights[i - 1], ha="center", va="bottom", fontsize=8, color="#1f4e79")
            ax.text(x - 1.6, -0.25 - 0.4 * ((i - 1) % 2), backward[i - 1], ha="center", va="top", fontsize=8,
                    color="tab:red")
    ax.set_xlim(-1, 3.2 * (len(nodes) - 1) + 1)
    ax.set_ylim(-1.3, 1.1)
    ax.axis("off")
    fig.suptitle(f"{title} (blue: forward, with shapes; red: the gradient flowing back)")
    return fig


def plot_log_loss(true_class_probabilities, *, title="The loss of one digit: −log p of its true class"):
    """Draw the curve −log p for p in (0, 1] and mark on it the probabilities given.

    Parameters
    ----------
    true_class_probabilities : array-like of float
        For each digit, the probability the model gave its true class, in (0, 1].
    title : str

    Returns
    -------
    matplotlib.figure.Figure
        The curve, every digit as a point on it (its loss), and the mean loss as a
        horizontal line.
    """
    check_text(title, "title")
    p = np.asarray(true_class_probabilities, dtype=float).ravel()
    if not len(p) or p.min() <= 0 or p.max() > 1:
        raise ValueError("true_class_probabilities must be probabilities in (0, 1]; a probability of 0 has an "
                         "infinite loss.")
    grid = np.linspace(min(p.min(), 0.01) / 2, 1, 500)
    fig = new_figure((8, 4))
    ax = fig.subplots()
    ax.plot(grid, -np.log(grid), color="black", linewidth=1.2, label="−log p")
    ax.plot(p, -np.log(p), "o", markersize=3, alpha=0.35, color="tab:red", label=f"{len(p):,} digits")
    ax.axhline(-np.log(p).mean(), color="tab:blue", linestyle="--", label=f"mean loss {-np.log(p).mean():.3f}")
    ax.set_xlabel("probability given to the true class, p")
    ax.set_ylabel("loss, −log p")
    ax.set_xlim(0, 1.02)
    ax.grid(alpha=0.3)
    ax.legend()
    fig.suptitle(title)
    return fig


def plot_transfer(model, *, title="Transfer learning: a trained base and a new head"):
    """Draw a transfer model: the base's layers (frozen or trainable) and the head, with their parameters.

    Parameters
    ----------
    model : keras.Model
        A model whose layers are a base (a nested model, e.g. ``keras.Sequential(..., name="base")``)
        followed by one or more head layers.
    title : str

    Returns
    -------
    matplotlib.figure.Figure
        The base's layers in a grey frame (hatched when frozen) and the head's layers,
        each box with its output shape and parameter count.
    """
    check_model(model)
    check_text(title, "title")
    bases = [layer for layer in model.layers if isinstance(layer, keras.Model)]
    if len(bases) != 1:
        raise ValueError("model must hold its base as one nested model (e.g. keras.Sequential([...], name='base')) "
                         f"followed by the head; it has {len(bases)} nested models.")
    base = bases[0]
    head = [layer for layer in model.layers if layer is not base]
    boxes = [(layer, "base") for layer in base.layers] + [(layer, "head") for layer in head]
    fig = new_figure((max(2.0 * len(boxes), 7), 3.2))
    ax = fig.subplots()
    for i, (layer, part) in enumerate(boxes):
        trainable = layer.trainable and (part == "head" or base.trainable)
        text = f"{layer.name}\n{_shape_text(layer.output.shape)}\n{layer.count_params():,} parameters"
        ax.text(i, 0, text, ha="center", va="center", fontsize=9,
                bbox={**_BOX, "facecolor": "#fde3c8" if part == "head" else "#e8e8e8",
                      "edgecolor": "#b35900" if part == "head" else "#555555",
                      "hatch": "" if trainable else "///"})
        if i:
            ax.annotate("", xy=(i - 0.42, 0), xytext=(i - 0.58, 0), arrowprops={"arrowstyle": "->", "lw": 1.2})
    n_base = len(base.layers)
    ax.add_patch(matplotlib.patches.FancyBboxPatch((-0.5, -0.75), n_base, 1.5, boxstyle="round,pad=0.05",
                                                   fill=False, edgecolor="#555555", linestyle="--"))
    frozen = "frozen" if not base.trainable else "trainable"
    ax.text((n_base - 1) / 2, 0.85, f"base: {base.count_params():,} parameters, {frozen}", ha="center", fontsize=10)
    ax.text(n_base + (len(head) - 1) / 2, 0.85, "head: trained", ha="center", fontsize=10, color="#b35900")
    ax.set_xlim(-0.7, len(boxes) - 0.3)
    ax.set_ylim(-1, 1.2)
    ax.axis("off")
    fig.suptitle(f"{title} (hatched: frozen weights)")
    return fig
