"""Chapter 9's screenshot of the live panel, for readers of the notebook (Jupyter, Colab).

The web page shows the live panel itself, so the markdown cell that holds the screenshot is tagged
``remove-cell`` (Jupyter Book drops it); in a notebook the cell shows the picture, which it carries
as a cell attachment, so that it also appears in Colab, where a notebook opened from GitHub cannot
read ``book/images/``. The picture is ``book/images/live_panel.png``, taken by
``tests/test_live_panel_browser.py`` (``tests/artifacts/live_panel.png``). After a new one:

    cp tests/artifacts/live_panel.png book/images/
    .venv/bin/python tests/playground_screenshot.py      # embeds it in chapter 9's cell

``tests/test_playground_chapter.py`` checks that the attachment is that file, byte for byte.
"""

import base64
import json
import pathlib

ROOT = pathlib.Path(__file__).resolve().parent.parent
NOTEBOOK = ROOT / "book" / "09_playground.ipynb"
PICTURE = ROOT / "book" / "images" / "live_panel.png"
ATTACHMENT = "live_panel_screenshot"


def screenshot_cell(notebook):
    """The markdown cell that shows the screenshot."""
    [cell] = [cell for cell in notebook["cells"]
              if cell["cell_type"] == "markdown" and f"attachment:{ATTACHMENT}" in "".join(cell["source"])]
    return cell


def embed():
    """Put book/images/live_panel.png into chapter 9's screenshot cell, changing nothing else."""
    notebook = json.loads(NOTEBOOK.read_text(encoding="utf-8"))
    cell = screenshot_cell(notebook)
    cell["attachments"] = {ATTACHMENT: {"image/png": base64.b64encode(PICTURE.read_bytes()).decode("ascii")}}
    NOTEBOOK.write_text(json.dumps(notebook, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


if __name__ == "__main__":
    embed()
