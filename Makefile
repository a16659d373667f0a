# The two commands of README.md. Each creates (or reuses) the virtual environment in $(VENV),
# installs requirements.txt and this package into it, then does its job.
VENV ?= .venv
PYTHON ?= python3
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

# nbval re-executes every notebook in book/ and compares its text outputs with the committed ones.
PYTEST_ARGS ?= tests book --nbval --nbval-current-env --nbval-sanitize-with tests/nbval_sanitize.cfg

.PHONY: book test venv clean

book: $(STAMP)
	$(BIN)/jupyter-book build . -W --keep-going

test: $(STAMP)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# Only the environment (so that .ci/run can install with the network on, then test without it).
venv: $(STAMP)

$(STAMP): requirements.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet -r requirements.txt
	$(BIN)/python -m pip install --quiet --editable .
	# The oldest Keras allowed, for tests/test_keras_compatibility.py, which runs offline.
	$(BIN)/python -m pip download --quiet --no-deps --dest $(VENV)/wheels keras==3.13.0
	touch $(STAMP)

clean:
	rm -rf _build
