# `make build` builds the site and the PDF; `make test` runs the whole suite. Both set up .venv/ first.
VENV := .venv
BIN := $(VENV)/bin
PYTHON ?= python3
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test
# constraints.txt pins the exact versions of the libraries whose output is hashed into the archive.
# -qq: pip says only what went wrong (errors), not every warning of the machine's own pip setup.
PIP_INSTALL := $(BIN)/pip install -qq -c constraints.txt

.PHONY: build test lint architecture format bootstrap clean

$(STAMP): pyproject.toml constraints.txt scripts/bootstrap
	scripts/bootstrap
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -qq --upgrade pip
	$(PIP_INSTALL) -e '.[hooks]'
	touch $(STAMP)

$(TEST_STAMP): $(STAMP)
	$(PIP_INSTALL) -e '.[test,browser]'
	touch $(TEST_STAMP)

bootstrap: $(STAMP)

build: $(STAMP)
	$(BIN)/notice check
	$(BIN)/notice build

lint: $(TEST_STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# The floors (import-linter contracts in pyproject.toml) and the types of notice/.
architecture: $(TEST_STAMP)
	$(BIN)/lint-imports
	$(BIN)/mypy

test: lint architecture
	$(BIN)/pytest -n 2

format: $(TEST_STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) site .cache
