# Two commands for a newcomer: `make lab` (learn) and `make test` (check everything).
# Both create .venv with the Python found as $(PYTHON) (3.11 or newer) and install what they need.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
NB     ?=

.PHONY: lab test test-latest test-cores lock notebooks assets bench install dev clean

# Jupyter refuses to run as root (common in containers) unless told that it is on purpose.
ROOT_FLAG := $(if $(filter 0,$(shell id -u 2>/dev/null)),--allow-root,)

lab: install  ## open the course in JupyterLab, at the welcome notebook
	$(BIN)/jupyter lab $(ROOT_FLAG) notebooks/00_welcome.ipynb

test: dev  ## ruff, import layering, unit tests, every notebook in a browser, and strict nbval over every notebook
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

# Installs come from the locks: exact versions the whole test suite passed with (`make lock` renews them).
$(VENV)/.learner: $(VENV)/bin/python requirements-lock.txt pyproject.toml
	$(BIN)/python -m pip install --quiet -r requirements-lock.txt -e .
	touch $@

$(VENV)/.dev: $(VENV)/.learner requirements-dev-lock.txt
	$(BIN)/python -m pip install --quiet -r requirements-dev-lock.txt -e .
	touch $@

# The locks, from requirements.txt and requirements-dev.txt (which keep the loose lower bounds), by one command.
# The course package itself (-e .) is installed beside the lock, not written into it (its path differs per machine).
LOCK_OPTS := --quiet --strip-extras --allow-unsafe --no-emit-index-url --no-emit-find-links --no-emit-trusted-host
lock: $(VENV)/bin/python  ## renew requirements-lock.txt and requirements-dev-lock.txt with the newest releases
	$(BIN)/python -m pip install --quiet "pip-tools>=7.4"
	$(BIN)/pip-compile $(LOCK_OPTS) --upgrade --output-file requirements-lock.txt requirements.txt
	sed -i -e '/^-e file:/,+1d' requirements-lock.txt
	$(BIN)/pip-compile $(LOCK_OPTS) --upgrade --constraint requirements-lock.txt \
		--output-file requirements-dev-lock.txt requirements-dev.txt
	sed -i -e '/^-e file:/,+1d' requirements-dev-lock.txt
	@echo "Now run make clean test; commit the locks if it passes."

# The same suite in its own venv against the newest releases of everything (what a learner gets next month).
LATEST := .venv-latest
test-latest:  ## the whole test suite in .venv-latest, against the newest releases (no lock)
	rm -rf $(LATEST)
	$(PYTHON) -m venv $(LATEST)
	$(LATEST)/bin/python -m pip install --quiet --upgrade pip
	$(LATEST)/bin/python -m pip install --quiet --upgrade -r requirements-dev.txt
	mkdir -p build && $(LATEST)/bin/python -m pip list --format=freeze > build/latest-versions.txt
	$(LATEST)/bin/python -m pytest tests notebooks --nbval --nbval-current-env \
		--nbval-sanitize-with tests/nbval_sanitize.cfg --nbval-cell-timeout=300 -q

# Strict nbval under other OpenBLAS kernels, as on other processors (older Intel, AMD): printed results must
# not depend on the rounding of one kernel. CI (.ci/run) runs it after `make test`.
CORETYPES ?= Haswell Prescott
test-cores: dev  ## strict nbval over every notebook under other OpenBLAS core types (CORETYPES="Haswell Prescott")
	@status=0; for core in $(CORETYPES); do \
		echo "== OPENBLAS_CORETYPE=$$core"; \
		OPENBLAS_CORETYPE=$$core $(BIN)/python -m pytest notebooks --nbval --nbval-current-env \
			--nbval-sanitize-with tests/nbval_sanitize.cfg --nbval-cell-timeout=300 -q || status=1; \
	done; exit $$status

clean:  ## remove the virtual environments
	rm -rf $(VENV) $(LATEST) .venv-instructor
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
