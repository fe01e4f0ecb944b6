# Two entry points (see README): `make demo` and `make test`. Both set up .venv first.
PYTHON ?= python3
VENV := .venv
BIN := $(CURDIR)/$(VENV)/bin
STAMP := $(VENV)/.installed

# Debian packages: Voikko (Finnish morphology: name classes, spaCy lemmatizer), Swedish hunspell,
# and Chromium with its WebDriver for the review app's browser tests.
SYSTEM_PACKAGES := libvoikko1 voikko-fi hunspell-sv chromium chromium-driver

.PHONY: setup system-packages demo test lint clean scale-out

setup: system-packages $(STAMP)

system-packages:
	@dpkg -s $(SYSTEM_PACKAGES) >/dev/null 2>&1 || { \
		echo "Installing $(SYSTEM_PACKAGES) with apt-get"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(SYSTEM_PACKAGES); }

$(STAMP): requirements.txt constraints.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.txt -c constraints.txt
	$(BIN)/pip install --quiet --no-deps --no-build-isolation -e .
	$(BIN)/majakka encoder-convert
	touch $(STAMP)

demo: setup
	PATH="$(BIN):$$PATH" $(BIN)/majakka demo

lint: setup
	$(BIN)/ruff check .

test: lint
	PATH="$(BIN):$$PATH" $(BIN)/python -m pytest

# Opt-in: the DAGs under CeleryExecutor (Debian's redis-server, two workers) against a LocalExecutor run.
scale-out: setup
	@dpkg -s redis-server >/dev/null 2>&1 || { \
		echo "Installing redis-server with apt-get"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server; }
	$(BIN)/pip install --quiet -r requirements-scale-out.txt -c constraints.txt
	PATH="$(BIN):$$PATH" PYTHONPATH=. $(BIN)/python benchmarks/scale_out.py

clean:
	-PATH="$(BIN):$$PATH" $(BIN)/majakka db stop
	rm -rf $(VENV) .majakka
