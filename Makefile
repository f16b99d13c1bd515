# make run  — set up the virtual environment, build the demo database if missing, serve the dashboard
# make test — run the whole test suite (SQLite, PostgreSQL, headless Chromium)

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   ?= .venv
PY     := $(VENV)/bin/python
DEMO_DOSSIERS ?= 300000
DEMO_SEED ?= 42

.PHONY: run test lint setup bench clean-data

$(VENV)/.installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

setup: $(VENV)/.installed
	$(PY) cli.py setup --demo-dossiers $(DEMO_DOSSIERS) --seed $(DEMO_SEED)
	$(PY) cli.py scoring demo --year 2025 --seed $(DEMO_SEED) -q
	$(PY) cli.py users demo

run: setup
	$(PY) app.py

test: $(VENV)/.installed
	$(PY) -m pytest

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

bench: $(VENV)/.installed
	$(PY) bench/map_bench.py

clean-data:
	rm -rf data/
