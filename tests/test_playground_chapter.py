"""Chapter 9's notebook outside the web page: the screenshot, no stored widgets, a path without widgets."""

import base64
import json

import playground_screenshot

NOTEBOOK = json.loads(playground_screenshot.NOTEBOOK.read_text(encoding="utf-8"))


def test_the_screenshot_is_for_notebooks_only_and_is_the_shipped_picture():
    cell = playground_screenshot.screenshot_cell(NOTEBOOK)
    # Jupyter Book drops the cell, so the web page shows the live panel and not a picture of it.
    assert "remove-cell" in cell["metadata"].get("tags", [])
    attached = cell["attachments"][playground_screenshot.ATTACHMENT]["image/png"]
    assert base64.b64decode(attached) == playground_screenshot.PICTURE.read_bytes()


def test_no_widget_state_is_stored():
    # Stored widget state makes Jupyter Book load require.js and the widget manager from CDNs on the
    # page, which shows no widget (the widget cells' outputs are removed): strip it after executing.
    assert "widgets" not in NOTEBOOK["metadata"]


def test_a_path_without_widgets_reads_the_sample_digits_through_look():
    sources = ["".join(cell["source"]) for cell in NOTEBOOK["cells"]]
    heading = next(i for i, source in enumerate(sources) if source.startswith("### Without widgets"))
    assert "live panel" in sources[heading]                        # where widgets fail, where to draw
    code = [cell for cell in NOTEBOOK["cells"][heading:heading + 3] if cell["cell_type"] == "code"]
    assert "sample_digits()" in "".join(code[0]["source"]) and "look(cnn" in "".join(code[0]["source"])
    assert code[0]["outputs"] and "nbval-ignore-output" not in code[0]["metadata"].get("tags", [])
