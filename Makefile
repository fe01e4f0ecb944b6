# Two entry points (see README): `make demo` and `make test`. Both set up .venv first.
PYTHON ?= python3
VENV := .venv
BIN := $(CURDIR)/$(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup demo test lint clean

setup: $(STAMP)

$(STAMP): requirements.txt constraints.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.txt -c constraints.txt
	$(BIN)/pip install --quiet --no-deps --no-build-isolation -e .
	touch $(STAMP)

demo: setup
	PATH="$(BIN):$$PATH" $(BIN)/majakka demo

lint: setup
	$(BIN)/ruff check .

test: lint
	PATH="$(BIN):$$PATH" $(BIN)/python -m pytest

clean:
	-PATH="$(BIN):$$PATH" $(BIN)/majakka db stop
	rm -rf $(VENV) .majakka
