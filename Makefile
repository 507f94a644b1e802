# Two commands do all the set-up on a fresh machine: `make demo` and `make test`.
# nbgrader runs `alembic` by name, so the virtual environment's bin/ goes on PATH.
PYTHON ?= python3
VENV := .venv
BIN := $(abspath $(VENV))/bin
export PATH := $(BIN):$(PATH)
export MPLBACKEND := Agg
# pytest workers: one per core (override with `make test WORKERS=1`)
WORKERS ?= auto

.PHONY: install demo test lab build clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

install: $(VENV)/.installed

build: install
	mda build

demo: install
	mda build
	mda demo

test: install
	$(BIN)/python -m pytest -n $(WORKERS) --dist loadgroup

# A learner's view: a scratch copy of release/ (never the committed files themselves).
lab: install
	mkdir -p .lab && cp -rn release/. .lab/
	cd .lab && jupyter lab

clean:
	rm -rf submitted autograded/*/ feedback gradebook.db reports exports grades.csv
