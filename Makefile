# The two commands: `make run` (the whole platform, embedded) and `make test` (the suite).
PYTHON ?= python3
VENV ?= .venv
PORT ?= 8080
DATA_DIR ?= var
BIN = $(VENV)/bin

.PHONY: run test faults stack lint asyncapi clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python pyproject.toml
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: $(BIN)/python pyproject.toml
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@ $(VENV)/.installed

run: $(VENV)/.installed
	$(BIN)/community up --port $(PORT) --data-dir $(DATA_DIR)

stack: $(VENV)/.installed
	$(BIN)/community stack

test: $(VENV)/.installed-dev
	$(BIN)/python -m pytest

# Faults injected into the local stack under load (a few minutes; see tests/faults).
faults: $(VENV)/.installed-dev
	$(BIN)/python -m pytest tests/faults -m faults -s

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check services gateway deploy bench tests docs/examples
	$(BIN)/ruff format --check services gateway deploy bench tests docs/examples

asyncapi: $(VENV)/.installed
	$(BIN)/community asyncapi

clean:
	rm -rf $(VENV) var .pytest_cache
