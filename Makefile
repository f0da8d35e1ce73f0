# Two commands for a newcomer: `make lab` (learn) and `make test` (check everything).
# Both create .venv with the Python found as $(PYTHON) (3.11 or newer) and install what they need.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
NB     ?=

.PHONY: lab test notebooks assets bench install dev clean

# Jupyter refuses to run as root (common in containers) unless told that it is on purpose.
ROOT_FLAG := $(if $(filter 0,$(shell id -u 2>/dev/null)),--allow-root,)

lab: install  ## open the course in JupyterLab, at the welcome notebook
	$(BIN)/jupyter lab $(ROOT_FLAG) notebooks/00_welcome.ipynb

test: dev  ## ruff, import layering, unit tests, and strict nbval over every notebook
	$(BIN)/ruff check relulab tests tools benchmarks notebooks
	$(BIN)/lint-imports
	$(BIN)/python -m pytest tests notebooks --nbval --nbval-current-env \
		--nbval-sanitize-with tests/nbval_sanitize.cfg --nbval-cell-timeout=300 -q

notebooks: dev  ## re-execute notebooks from notebooks/src (all, or NB=01) and store outputs
	$(BIN)/python tools/build_notebooks.py $(NB)

assets: dev  ## redraw the pictures in assets/ (tools/make_assets.py)
	$(BIN)/python tools/make_assets.py

bench: dev  ## speed benchmarks: the numpy CNN engine against PyTorch (if installed), and widget updates
	$(BIN)/python benchmarks/bench_nn.py
	$(BIN)/python benchmarks/bench_widgets.py

install: $(VENV)/.learner
dev: $(VENV)/.dev

$(VENV)/bin/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else \
		"The course needs Python 3.11 or newer; this is " + sys.version.split()[0] + \
		". Install a newer Python, then run: make PYTHON=python3.11 ...")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.learner: $(VENV)/bin/python requirements.txt pyproject.toml
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev: $(VENV)/.learner requirements-dev.txt
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $@

clean:  ## remove the virtual environment
	rm -rf $(VENV)

# ---------------------------------------------------------------------------------------
# Coursework (INSTRUCTORS.md): nbgrader lives in an environment of its own, never in the learner's.
IVENV := .venv-instructor

.PHONY: coursework instructor

coursework: instructor  ## build/coursework (an nbgrader course directory) and build/student (the learners' repository)
	$(IVENV)/bin/python tools/make_coursework.py

instructor: $(IVENV)/.instructor

$(IVENV)/.instructor: $(VENV)/bin/python requirements-instructor.txt requirements.txt pyproject.toml
	$(PYTHON) -m venv $(IVENV)
	$(IVENV)/bin/python -m pip install --quiet --upgrade pip
	$(IVENV)/bin/python -m pip install --quiet -r requirements-instructor.txt
	touch $@

test: instructor  # tests/test_coursework.py grades the coursework with nbgrader, from that environment
