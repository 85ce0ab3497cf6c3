# `make build` builds the site and the PDF; `make test` runs the whole suite. Both set up .venv/ first.
VENV := .venv
BIN := $(VENV)/bin
PYTHON ?= python3
STAMP := $(VENV)/.installed

.PHONY: build test lint format bootstrap clean

$(STAMP): pyproject.toml scripts/bootstrap
	scripts/bootstrap
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

bootstrap: $(STAMP)

build: $(STAMP)
	$(BIN)/notice check
	$(BIN)/notice build

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

test: lint
	$(BIN)/pytest -n 2

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) site .cache
