"""Checks on the committed notebooks that nbval does not make: order, Colab cell, table of contents."""

import json
import pathlib
import re

import book_toc
import pytest
import yaml

ROOT = pathlib.Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "book").glob("*.ipynb"))
CONFIG = yaml.safe_load((ROOT / "_config.yml").read_text())
REPOSITORY_URL = CONFIG["repository"]["url"]


def _cells(path):
    return json.loads(path.read_text())["cells"]


def _code_cells(path):
    return [cell for cell in _cells(path) if cell["cell_type"] == "code"]


def _source(cell):
    return "".join(cell["source"])


def test_there_are_notebooks():
    assert NOTEBOOKS


def _tags(cell):
    return cell.get("metadata", {}).get("tags", [])


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_executed_top_to_bottom_in_order(path):
    counts = [cell["execution_count"] for cell in _code_cells(path) if "nbval-skip" not in _tags(cell)]
    assert counts == list(range(1, len(counts) + 1)), (
        f"{path.name} was not executed top to bottom in one fresh kernel (execution counts "
        f"{counts}); re-execute it with the full data before committing (see README)."
    )


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_only_the_imagenet_download_is_skipped(path):
    # The one cell that cannot run offline (it downloads VGG16's ImageNet weights) is skipped by
    # nbval and by the executor, so it is committed unexecuted; nothing else may be.
    for cell in _code_cells(path):
        if "nbval-skip" in _tags(cell):
            assert 'weights="imagenet"' in _source(cell), _source(cell)[:80]
            assert cell["execution_count"] is None and cell["outputs"] == []


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_no_cell_is_committed_with_an_error(path):
    # An error would stop *Run all* in Colab and Jupyter; a chapter that shows one catches it.
    for cell in _code_cells(path):
        errors = [out for out in cell["outputs"] if out["output_type"] == "error"]
        assert not errors and "raises-exception" not in _tags(cell), f"{path.name}: cell {_source(cell)[:60]!r}"


# Why a cell's output may differ on another machine (README, "Outputs that hold on every machine").
IGNORE_REASONS = {"machine-dependent", "timing", "live-widget"}
# Printed floating-point noise: a measured number in scientific notation, 1e-05 or smaller, with
# digits after the point (2.98e-07); a bound such as "below 1e-5" has none.
FLOAT_NOISE = re.compile(r"\d\.\d+e-0*([5-9]|[1-9]\d)\b")
# A cell that trains: Keras' fit, the package's train/train_recipe, a notebook's train_... helper,
# or a hand-written update (training_record() only reads a file).
TRAINING = re.compile(r"\.fit\(|\btrain(_\w+)?\(|\.assign_sub\(")


def _text_outputs(cell):
    texts = []
    for out in cell["outputs"]:
        texts.append("".join(out.get("text", "")))
        data = out.get("data", {})
        if "application/papermill.record/text/plain" not in data:
            texts.append("".join(data.get("text/plain", "")))
    return "".join(texts)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_outputs_left_out_of_the_comparison_say_why(path):
    for cell in _code_cells(path):
        reasons = IGNORE_REASONS & set(_tags(cell))
        ignored = "nbval-ignore-output" in _tags(cell)
        assert ignored == bool(reasons) and len(reasons) <= 1, (
            f"{path.name}: {_source(cell)[:60]!r} has tags {_tags(cell)}; nbval-ignore-output goes "
            f"with exactly one of {sorted(IGNORE_REASONS)}, and those only with it"
        )


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_no_floating_point_noise_is_compared(path):
    for cell in _code_cells(path):
        if "nbval-ignore-output" in _tags(cell):
            continue
        noise = FLOAT_NOISE.search(_text_outputs(cell))
        assert not noise, (
            f"{path.name}: {_source(cell)[:60]!r} prints {noise.group(0)}, whose last digits differ "
            "between machines; print an asserted bound instead"
        )


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_training_output_is_marked_machine_dependent(path):
    for cell in _code_cells(path):
        if TRAINING.search(_source(cell)) and _text_outputs(cell).strip():
            assert "machine-dependent" in _tags(cell), (
                f"{path.name}: {_source(cell)[:60]!r} trains and prints; seeded training differs "
                "between machines, so tag the cell machine-dependent and nbval-ignore-output"
            )


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_no_stderr_in_committed_outputs(path):
    # TensorFlow notices and Keras warnings carry machine paths; the package keeps stderr empty.
    for cell in _code_cells(path):
        for out in cell["outputs"]:
            if out.get("name") == "stderr":
                pytest.fail(f"{path.name}: stderr in cell {_source(cell)[:60]!r}: {''.join(out['text'])[:300]}")


def _package_version():
    """``__version__`` as mnist_lessons/__init__.py writes it (pyproject.toml reads the same line)."""
    text = (ROOT / "mnist_lessons" / "__init__.py").read_text()
    (version,) = re.findall(r'^__version__ = "([^"]+)"$', text, flags=re.M)
    return version


def test_the_colab_button_opens_the_release_the_colab_cell_installs():
    # Jupyter Book's Colab button opens blob/<branch>/<notebook>: the notebooks of that release.
    assert CONFIG["repository"]["branch"] == f"v{_package_version()}", (
        f"_config.yml's repository.branch is {CONFIG['repository']['branch']!r}; it must be the release tag "
        f"v{_package_version()} (mnist_lessons.__version__), which the notebooks' Colab cell installs"
    )


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_first_cell_installs_the_release_from_the_configured_repository_only_in_colab(path):
    first = _code_cells(path)[0]
    source = _source(first)
    assert 'if "google.colab" in sys.modules:' in source
    # A fixed ref, so that a change to main in the middle of a semester reaches no student's Colab.
    expected = f"{REPOSITORY_URL}@v{_package_version()}"
    urls = re.findall(r"git\+([^\s\"']+)", source)
    assert urls == [expected], f"{path.name}: Colab cell installs {urls}; expected {expected} (_config.yml's " \
        "URL at the tag of mnist_lessons.__version__)"
    assert first["outputs"] == []  # silent outside Colab
    assert "remove-cell" in first["metadata"].get("tags", [])


@pytest.mark.parametrize("path", [p for p in NOTEBOOKS if p.stem != "instructor_guide"], ids=lambda p: p.name)
def test_setup_quiets_tensorflow_before_anything_imports_it(path):
    # One explicit step (mnist_lessons.quiet): TensorFlow's start-up notices would make stderr irreproducible.
    setup = _source(_code_cells(path)[1])
    statements = [line for line in setup.splitlines() if line and not line.startswith((" ", "#"))]
    assert statements[0] == "import mnist_lessons", statements[:2]
    assert statements[1].startswith("mnist_lessons.import_tensorflow_quietly()"), statements[:2]


def test_the_instructor_guide_needs_no_tensorflow():
    guide = ROOT / "book" / "instructor_guide.ipynb"
    assert not any(re.search(r"\b(keras|tensorflow|pretrained)\b", _source(cell)) for cell in _code_cells(guide))


def test_every_notebook_is_in_the_table_of_contents():
    listed = set(book_toc.pages())
    for path in NOTEBOOKS:
        assert f"book/{path.stem}" in listed, f"{path.name} is not in _toc.yml"
    for name in listed:
        assert any((ROOT / f"{name}{suffix}").exists() for suffix in (".ipynb", ".md")), name


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_markdown_math_has_single_backslashes(path):
    # "\\sum" in Markdown renders as a line break followed by "sum"; it comes from over-escaping.
    for cell in _cells(path):
        if cell["cell_type"] == "markdown":
            assert not re.search(r"\\\\[a-zA-Z]", _source(cell)), _source(cell)[:200]


CHAPTERS = [book_toc.source(page) for page in book_toc.chapters()]


def _markdown(path):
    if path.suffix == ".md":
        return path.read_text()
    return "\n\n".join(_source(cell) for cell in _cells(path) if cell["cell_type"] == "markdown")


@pytest.mark.parametrize("number, path", list(enumerate(CHAPTERS, start=1)), ids=lambda v: getattr(v, "name", ""))
def test_every_chapter_ends_with_exercises_with_hidden_solutions(number, path):
    text = _markdown(path)
    assert "\n## Exercises\n" in text, f"{path.name} has no Exercises section"
    exercises_part = text.split("\n## Exercises\n", 1)[1]
    assert "\n## " not in exercises_part, f"{path.name}: the exercises must come last"
    labels = re.findall(r"^:::\{exercise\}.*\n:label: (\S+)", text, flags=re.M)
    assert 2 <= len(labels) <= 4, f"{path.name} has {len(labels)} exercises"
    # The book numbers exercises per chapter (numbered toc); the labels and the checks use the same numbers.
    assert labels == [f"ex-{number}-{i}" for i in range(1, len(labels) + 1)]
    for label in labels:
        assert re.search(rf"\{{solution(-start)?\}} {label}\n:class: dropdown", text), f"{label}: no hidden solution"


@pytest.mark.parametrize("path", [p for p in CHAPTERS if p.suffix == ".ipynb"], ids=lambda p: p.name)
def test_every_notebook_exercise_has_a_tagged_solution_and_a_passing_check(path):
    label, checked = None, {}
    for cell in _cells(path):
        source = _source(cell)
        start = re.match(r"```\{solution-start\} ex-(\d+)-(\d+)", source)
        if start:
            label = f"{start.group(1)}.{start.group(2)}"
        elif source.startswith("```{solution-end}"):
            label = None
        elif cell["cell_type"] == "code" and label:
            assert "solution" in _tags(cell) and cell["metadata"].get("exercise") == label, source[:60]
            assert f'NotImplementedError("Exercise {label}:' in cell["metadata"]["stub"]
        elif cell["cell_type"] == "code" and "exercises.check_" in source:
            text = "".join("".join(out.get("text", "")) for out in cell["outputs"])
            number = re.match(r"✓ Exercise (\d+\.\d+):", text)
            assert number, f"{path.name}: {source!r} printed {text!r}"
            checked[number.group(1)] = True
    labels = re.findall(r":label: ex-(\d+)-(\d+)", _markdown(path))
    assert sorted(checked) == sorted(f"{a}.{b}" for a, b in labels)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_every_figure_has_a_caption(path):
    for cell in _code_cells(path):
        if any("image/png" in out.get("data", {}) for out in cell["outputs"]):
            caption = cell["metadata"].get("mystnb", {}).get("figure", {}).get("caption", "")
            assert len(caption.split()) >= 5, f"{path.name}: no caption for the figure of {_source(cell)[:60]!r}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_code_fits_the_rendered_column(path):
    # The book theme shows about 90 characters of code before it scrolls sideways.
    for cell in _code_cells(path):
        long = [line for line in _source(cell).splitlines() if len(line) > 90]
        assert not long, f"{path.name}: lines over 90 characters: {long[:2]}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_no_tensorflow_warning_reaches_the_page(path):
    # The setup's quiet step drops TensorFlow's notices and its retracing remark; any other
    # warning on a committed page is news for the chapter's author, not for its readers.
    for cell in _code_cells(path):
        for output in cell.get("outputs", []):
            text = "".join(output.get("text", ""))
            assert "WARNING:tensorflow" not in text and "retracing" not in text, (
                f"{path.name}: {_source(cell)[:60]!r} printed {text[:120]!r}")
