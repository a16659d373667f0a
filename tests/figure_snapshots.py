"""Every figure the plot tests draw, described and compared with the description reviewed before.

The plot tests check what a figure means (the array drawn, a bar's height, the colour of a
right answer). What they leave out (a title, a label, a font size, a colour map, a line's
style, the figure's size) is what a reader sees too, and a change to it should be a
decision, not an accident. So every figure made during a ``tests/test_plots_*.py`` test is
described here as plain data (texts, colours, the arrays drawn, reduced to checksums that
notice a transposed or shifted array) and compared with ``tests/figures/<test module>.json``.

After changing a figure on purpose: ``pytest tests/test_plots_images.py --update-figures``
rewrites the descriptions of the tests run; review the JSON diff like any other change.

Only what the plotting code decides is described: positions that the layout engine or the
fonts decide (a title's place, automatic ticks) are left out, so the descriptions are the
same on every supported matplotlib and machine. Numbers are compared with a tolerance
(the arrays of the model plots move in their last digits with the CPU's kernels).
"""

import json
import math
import pathlib

import numpy as np
from matplotlib.colors import to_hex
from matplotlib.ticker import FixedFormatter, FixedLocator

FOLDER = pathlib.Path(__file__).parent / "figures"
RTOL = 1e-4


# Values left out of a description when they are matplotlib's defaults, which keeps the stored
# files short and readable. Nothing is lost: a default changed to another value adds the key,
# and a value changed to the default removes it, and either is a difference.
_DEFAULTS = {
    "text": {"weight": "normal", "style": "normal", "rotation": 0.0, "visible": True, "family": ["sans-serif"],
             "zorder": 3, "colour": "#000000ff", "ha": "left", "va": "baseline"},
    "patch": {"linestyle": "solid", "hatch": None, "alpha": None, "visible": True, "label": "", "fill": True,
              "zorder": 1},
    "line": {"alpha": None, "drawstyle": "default", "visible": True, "marker": "None", "markersize": 6.0,
             "linestyle": "-", "zorder": 2},
    "image": {"alpha": None, "origin": "upper", "zorder": 0},
    "collection": {"alpha": None, "label": "", "zorder": 1},
    "axes": {"visible": True, "axis on": True, "label": "", "facecolor": "#ffffffff", "xscale": "linear",
             "yscale": "linear", "aspect": "auto", "xticks": None, "yticks": None, "legend": None, "images": [],
             "patches": [], "lines": [], "collections": [], "texts": [], "titles": {},
             "spines": {"left": True, "right": True, "bottom": True, "top": True}},
}


def _compact(described, kind):
    defaults = _DEFAULTS[kind]
    return {key: value for key, value in described.items() if key not in defaults or value != defaults[key]}


def _colour(value):
    try:
        return to_hex(value, keep_alpha=True)
    except (ValueError, TypeError):
        return str(value)


def _colours(values):
    values = np.asarray(values)
    if values.size == 0:
        return []
    return [_colour(row) for row in values.reshape(-1, values.shape[-1])] if values.ndim > 1 else [_colour(values)]


def _number(value):
    value = float(value)
    return value if math.isfinite(value) else str(value)


def _array(values):
    """A summary of an array that notices a changed, transposed or shifted one: shape, sums, two checksums."""
    array = np.ma.filled(np.ma.asarray(values, dtype=np.float64), np.nan)
    flat = array.ravel()
    finite = np.isfinite(flat)
    index = np.arange(flat.size)
    data = np.where(finite, flat, 0.0)
    return {"shape": list(array.shape), "not finite": int((~finite).sum()),
            "sum": float(data.sum()), "abs": float(np.abs(data).sum()),
            "checksum": float((data * np.sin(0.61 * index + 0.3)).sum()),
            "checksum2": float((data * ((index * 7919) % 101)).sum()),
            "min": _number(data.min()) if flat.size else None, "max": _number(data.max()) if flat.size else None}


def _text(text, where=True):
    described = {"text": text.get_text(), "size": text.get_fontsize(), "colour": _colour(text.get_color()),
                 "weight": str(text.get_fontweight()), "style": text.get_fontstyle(), "ha": text.get_ha(),
                 "va": text.get_va(), "rotation": text.get_rotation(), "visible": text.get_visible(),
                 "family": text.get_fontfamily(), "zorder": text.get_zorder()}
    if where:
        described["position"] = [_number(v) if isinstance(v, (int, float, np.number)) else str(v)
                                 for v in text.get_position()]
        if hasattr(text, "xy"):                                  # an annotation: where it points
            described["xy"] = [_number(v) for v in text.xy]
            arrow = text.arrow_patch
            described["arrow"] = None if arrow is None else _patch(arrow)
    box = text.get_bbox_patch()
    if box is not None:
        described["box"] = {"face": _colour(box.get_facecolor()), "edge": _colour(box.get_edgecolor()),
                            "linewidth": box.get_linewidth(), "style": type(box.get_boxstyle()).__name__}
    return _compact(described, "text")


def _patch(patch):
    described = {"type": type(patch).__name__, "face": _colour(patch.get_facecolor()),
                 "edge": _colour(patch.get_edgecolor()), "linewidth": patch.get_linewidth(),
                 "linestyle": str(patch.get_linestyle()), "fill": patch.get_fill(), "hatch": patch.get_hatch(),
                 "alpha": patch.get_alpha(), "visible": patch.get_visible(), "zorder": patch.get_zorder(),
                 "label": patch.get_label() if not patch.get_label().startswith("_") else ""}
    if type(patch).__name__ == "FancyArrowPatch":
        positions = getattr(patch, "_posA_posB", None)
        described["ends"] = None if positions is None else [[_number(v) for v in p] for p in positions]
        described["arrowstyle"] = type(patch.get_arrowstyle()).__name__
        described["mutation scale"] = patch.get_mutation_scale()
    else:
        vertices = patch.get_patch_transform().transform(patch.get_path().vertices)
        described["vertices"] = _array(vertices)
    return _compact(described, "patch")


def _line(line):
    return _compact({"x": _array(line.get_xdata()), "y": _array(line.get_ydata()), "colour": _colour(line.get_color()),
            "linestyle": str(line.get_linestyle()), "linewidth": line.get_linewidth(),
            "marker": str(line.get_marker()), "markersize": line.get_markersize(),
            "markerface": _colour(line.get_markerfacecolor()), "alpha": line.get_alpha(),
            "drawstyle": line.get_drawstyle(), "label": line.get_label(), "visible": line.get_visible(),
            "zorder": line.get_zorder()}, "line")


# Names that differ between the supported matplotlib versions for the same thing (3.8 and 3.10+).
_SAME = {"antialiased": "auto", "from_list": "unnamed", "FillBetweenPolyCollection": "PolyCollection"}


def _image(image):
    return _compact({"array": _array(image.get_array()), "cmap": _SAME.get(image.get_cmap().name,
                                                                            image.get_cmap().name),
            "clim": [_number(v) for v in image.get_clim()],
            "interpolation": _SAME.get(image.get_interpolation(), image.get_interpolation()),
            "extent": [_number(v) for v in image.get_extent()], "alpha": image.get_alpha(),
            "origin": getattr(image, "origin", None), "zorder": image.get_zorder()}, "image")


def _collection(collection):
    kind = type(collection).__name__
    described = {"type": _SAME.get(kind, kind), "face": _colours(collection.get_facecolor()),
                 "edge": _colours(collection.get_edgecolor()),
                 "linewidths": [_number(v) for v in np.atleast_1d(collection.get_linewidths())],
                 "alpha": collection.get_alpha(), "zorder": collection.get_zorder(),
                 "label": collection.get_label() if not collection.get_label().startswith("_") else "",
                 "offsets": _array(collection.get_offsets()),
                 "paths": _array(np.concatenate([path.vertices for path in collection.get_paths()])
                                 if collection.get_paths() else np.zeros((0, 2)))}
    if collection.get_array() is not None:                  # its colours are its values through the map
        del described["face"]                                 # (matplotlib 3.8 fills them in before drawing)
        described["array"] = _array(collection.get_array())
        described["cmap"] = _SAME.get(collection.get_cmap().name, collection.get_cmap().name)
        described["clim"] = [_number(v) for v in collection.get_clim()]
    if hasattr(collection, "get_sizes"):
        described["sizes"] = _array(collection.get_sizes())
    return _compact(described, "collection")


def _ticks(axis):
    locator, formatter = axis.get_major_locator(), axis.get_major_formatter()
    if not isinstance(locator, FixedLocator):                   # placed by matplotlib, not by the code
        return None
    return {"at": [_number(v) for v in locator.locs],
            "labels": list(formatter.seq) if isinstance(formatter, FixedFormatter) else None}


def _legend(legend):
    if legend is None:
        return None
    handles = getattr(legend, "legend_handles", None) or getattr(legend, "legendHandles", [])
    return {"texts": [text.get_text() for text in legend.get_texts()], "title": legend.get_title().get_text(),
            "handles": [{"type": type(h).__name__,
                         "colour": _colour(h.get_color() if hasattr(h, "get_color") and not hasattr(h, "get_facecolor")
                                           else h.get_facecolor())} for h in handles],
            "visible": legend.get_visible()}


def _many(items, varying):
    """A long list of alike items (784 bars, 784 pixel values): their distinct looks, counted, and what varies.

    ``varying`` names the keys that differ from item to item (a bar's corners, a text's string
    and position); those are kept in order, positions reduced to checksums.
    """
    if len(items) <= 20:
        return items
    looks = []
    for item in items:
        look = {key: value for key, value in item.items() if key not in varying}
        for known in looks:
            if known[0] == look:
                known[1] += 1
                break
        else:
            looks.append([look, 1])
    summary = {"count": len(items), "looks": [dict(look, count=count) for look, count in looks]}
    for key in varying:
        values = [item.get(key) for item in items]
        if all(isinstance(v, str) for v in values):
            summary[key] = values
        else:
            summary[key] = _array([[v["checksum"], v["sum"]] if isinstance(v, dict) else v for v in values])
    return summary


def _axes(ax):
    described = {"visible": ax.get_visible(), "label": ax.get_label(), "axis on": ax.axison,
                 "titles": {loc: _text(getattr(ax, {"left": "_left_title", "center": "title",
                                                    "right": "_right_title"}[loc]), where=False)
                            for loc in ("left", "center", "right") if ax.get_title(loc)},
                 "xlabel": _text(ax.xaxis.label, where=False), "ylabel": _text(ax.yaxis.label, where=False),
                 "xlim": [_number(v) for v in ax.get_xlim()], "ylim": [_number(v) for v in ax.get_ylim()],
                 "xscale": ax.get_xscale(), "yscale": ax.get_yscale(), "aspect": str(ax.get_aspect()),
                 "xticks": _ticks(ax.xaxis), "yticks": _ticks(ax.yaxis),
                 "spines": {name: spine.get_visible() for name, spine in ax.spines.items()},
                 "facecolor": _colour(ax.get_facecolor()),
                 "images": [_image(image) for image in ax.images],
                 "patches": _many([_patch(patch) for patch in ax.patches], ("vertices",)),
                 "lines": [_line(line) for line in ax.lines],
                 "collections": [_collection(collection) for collection in ax.collections],
                 "texts": _many([_text(text) for text in ax.texts], ("text", "position")),
                 "legend": _legend(ax.get_legend())}
    if not ax.xaxis.label.get_text():
        del described["xlabel"]
    if not ax.yaxis.label.get_text():
        del described["ylabel"]
    return _compact(described, "axes")


def describe(fig):
    """The figure as plain data: its size, its texts and legends, and every axes' content."""
    return {"size": [_number(v) for v in fig.get_size_inches()],
            "texts": [_text(text, where=text is not getattr(fig, "_suptitle", None)) for text in fig.texts],
            "legends": [_legend(legend) for legend in fig.legends],
            "axes": [_axes(ax) for ax in fig.axes]}


def differences(expected, found, path="figure"):
    """Where ``found`` differs from ``expected``: a list of 'path: expected ... found ...' lines."""
    if isinstance(expected, dict) and isinstance(found, dict):
        if expected.keys() != found.keys():
            return [f"{path}: keys {sorted(expected)} expected, found {sorted(found)}"]
        scale = expected.get("abs") if "checksum" in expected else None
        out = []
        for key in expected:
            if scale is not None and key in ("sum", "checksum", "checksum2") and isinstance(found[key], float):
                # a sum of many values: its tolerance follows the values' size, not the sum's
                weight = 101 if key == "checksum2" else 1
                if abs(found[key] - expected[key]) > RTOL * weight * scale + 1e-9:
                    out.append(f"{path}.{key}: expected {expected[key]!r}, found {found[key]!r}")
                continue
            out += differences(expected[key], found[key], f"{path}.{key}")
        return out
    if isinstance(expected, list) and isinstance(found, list):
        if len(expected) != len(found):
            return [f"{path}: {len(expected)} items expected, found {len(found)}"]
        return [line for i, (a, b) in enumerate(zip(expected, found)) for line in differences(a, b, f"{path}[{i}]")]
    if isinstance(expected, float) and isinstance(found, (int, float)) and not isinstance(found, bool):
        return [] if math.isclose(expected, found, rel_tol=RTOL, abs_tol=1e-9) else \
            [f"{path}: expected {expected!r}, found {found!r}"]
    return [] if expected == found else [f"{path}: expected {expected!r}, found {found!r}"]


def _normalise(value):
    """The description as JSON reads it back (tuples become lists, ints that JSON keeps stay ints)."""
    return json.loads(json.dumps(value))


def check(module, test, figures, update):
    """Compare the figures of ``module::test`` with the stored descriptions, or store them when updating."""
    path = FOLDER / f"{module}.json"
    stored = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    found = _normalise([describe(fig) for fig in figures])
    if update:
        if found:
            stored[test] = found
        else:
            stored.pop(test, None)
        FOLDER.mkdir(exist_ok=True)
        path.write_text(json.dumps(dict(sorted(stored.items())), indent=1, ensure_ascii=False) + "\n",
                        encoding="utf-8")
        return []
    if test not in stored:
        return [f"no stored description of the {len(found)} figure(s) of {test} in {path.name}; "
                f"if they are right, store them with: pytest {module}.py --update-figures"] if found else []
    return differences(stored[test], found)
