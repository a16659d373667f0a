# The two commands of README.md, and the fast lane. Each creates (or reuses) the virtual environment
# in $(VENV), installs requirements.txt and this package into it, then does its job.
VENV ?= .venv
PYTHON ?= python3
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

# Everything: the unit tests, the package's >>> examples, the browser tests, the student copies, and
# nbval, which re-executes every notebook in book/ and compares its text outputs with the committed ones.
# Two workers (pytest-xdist), each taking whole files (--dist loadscope): a notebook's cells share
# one kernel, so they must stay together, and much of the suite waits on kernels and browsers.
# nbval's flags, written only here (the README, `make nbval` and bench/ use this definition; scripts
# read it with `make -s print-NBVAL_ARGS`): the kernel is this environment's, and the sanitize file
# masks what legitimately differs between runs.
NBVAL_ARGS := --nbval --nbval-current-env --nbval-sanitize-with tests/nbval_sanitize.cfg
PYTEST_ARGS ?= tests book mnist_lessons --doctest-modules --ignore=book/_ext $(NBVAL_ARGS) -n 2 --dist loadscope
# `make nbval NB=book/04_pooling.ipynb`: nbval on one notebook (or several; the default is all of book/).
NB ?= book
# The fast lane: what is not marked slow, browser or notebook (under 2 minutes on 2 cores).
CHECK_ARGS ?= tests mnist_lessons --doctest-modules -m "not slow and not browser and not notebook"

.PHONY: book student-book test check lint venv clean nbval

book: $(STAMP)
	$(BIN)/jupyter-book build . -W --keep-going

# The student edition of the site (no solutions, no instructor guide; Colab buttons open the student
# notebooks named in _config.yml's student_edition section), into _build/student/html.
student-book: $(STAMP)
	$(BIN)/python -m mnist_lessons.classroom student-edition _build/student/source
	$(BIN)/jupyter-book build _build/student/source --path-output _build/student -W --keep-going
	rm -rf _build/student/html && mv _build/student/_build/html _build/student/html

test: $(STAMP)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# On the two workers too: one process took 122 s for its 1,259 tests, two take about 80.
check: $(STAMP) lint
	$(BIN)/python -m pytest -q -n 2 --dist loadscope $(CHECK_ARGS)

nbval: $(STAMP)
	$(BIN)/python -m pytest -q -p no:cacheprovider $(NBVAL_ARGS) $(NB)

lint: $(STAMP)
	$(BIN)/ruff check mnist_lessons tests bench book/_ext .ci/run-notebooks.py

# Only the environment (so that .ci/run can install with the network on, then test without it).
venv: $(STAMP)

$(STAMP): requirements.txt pyproject.toml .ci/colab-pins.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet -r requirements.txt
	$(BIN)/python -m pip install --quiet --editable .
	# Colab's Keras, for tests/test_keras_compatibility.py, which runs offline.
	$(BIN)/python -m pip download --quiet --no-deps --dest $(VENV)/wheels $$(grep '^keras==' .ci/colab-pins.txt)
	# What a user's `pip install` of this package brings (no requirements.txt), and the setuptools
	# that its isolated build needs, for tests/test_clean_install.py, which installs offline.
	$(BIN)/python -m pip download --quiet --dest $(VENV)/wheels/clean-install . "setuptools>=64"
	touch $(STAMP)

clean:
	rm -rf _build

# A variable's value, for scripts that must not repeat it: `make -s print-NBVAL_ARGS`.
print-%:
	@echo '$($*)'
