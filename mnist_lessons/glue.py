"""Glue a computed value into the book's prose, in Jupyter Book and in Colab.

The chapters state their numbers with MyST-NB's ``glue`` so that every number
in the text comes from a cell. MyST-NB is part of the book's build tools, not
of Colab; there this module falls back to showing the value (or nothing), so
the chapter still runs and prints each glued value with its name.
"""

try:
    from myst_nb import glue as _myst_glue
except ImportError:  # e.g. in Colab, where the book's build tools are not installed
    _myst_glue = None


def glue(name, value, display=False):
    """Store ``value`` under ``name`` for ``{glue:text}`name``` in the prose.

    Parameters
    ----------
    name : str
        The key used in the Markdown cells.
    value : object
        What to show; usually a number formatted as a string.
    display : bool, default=False
        Also show the value in the cell's output (without MyST-NB, the value is
        always printed as ``name = value``).
    """
    if not isinstance(name, str) or not name:
        raise TypeError(f"name must be a non-empty string; got {name!r}.")
    if _myst_glue is not None:
        _myst_glue(name, value, display=display)
    else:
        # The prose will show {glue:text}`name` literally: say what it stands for.
        print(f"{name} = {value}")
