"""The playground's figure: the image a model read, its probabilities and its most active feature maps."""


from mnist_lessons.checks import check_text
from mnist_lessons.playground import View
from mnist_lessons.plots._base import NEUTRAL, hide_ticks, new_figure


def plot_playground(view, *, title="What the CNN sees and says"):
    """Draw what the playground shows: the image read, the 10 probabilities, the strongest maps.

    Parameters
    ----------
    view : mnist_lessons.playground.View
        What ``mnist_lessons.playground.look(model, image)`` returned.
    title : str
        Figure title.

    Returns
    -------
    matplotlib.figure.Figure
    """
    check_text(title, "title")
    if not isinstance(view, View):
        raise TypeError(f"view must be what mnist_lessons.playground.look returned; got {type(view).__name__}.")
    layers = list(view.maps)
    per_row = max(len(indices) for indices, _ in view.maps.values()) if layers else 0
    fig = new_figure((4.6 + 1.25 * per_row, 3.4))
    grid = fig.add_gridspec(max(len(layers), 1), 2 + per_row, width_ratios=[1.3, 2.2] + [1] * per_row)
    image_ax = fig.add_subplot(grid[:, 0])
    image_ax.imshow(view.image, cmap="gray_r", vmin=0, vmax=1)
    hide_ticks(image_ax)
    image_ax.set_title(f"what it reads ({view.image.shape[0]}×{view.image.shape[1]})", fontsize=9)
    bar_ax = fig.add_subplot(grid[:, 1])
    colors = [NEUTRAL] * 10
    colors[view.prediction] = "tab:blue"
    bar_ax.bar(range(10), view.probabilities, color=colors)
    bar_ax.set_ylim(0, 1)
    bar_ax.set_xticks(range(10))
    bar_ax.set_xlabel("class")
    bar_ax.set_ylabel("probability")
    bar_ax.set_title(f"prediction {view.prediction} ({view.probabilities[view.prediction]:.2f})", fontsize=9)
    for row, name in enumerate(layers):
        indices, maps = view.maps[name]
        for k, (index, values) in enumerate(zip(indices, maps)):
            ax = fig.add_subplot(grid[row, 2 + k])
            ax.imshow(values, cmap="viridis", vmin=0, vmax=float(maps.max()) or 1.0)
            hide_ticks(ax)
            ax.set_title(f"{name} map {index}", fontsize=8)
    fig.suptitle(title)
    return fig
