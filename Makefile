# make run   — set up the virtual environment, build the demo database if missing, serve the dashboard
# make serve — the production server (gunicorn) against DATABASE_URL, migrated first
# make test  — run the whole test suite (SQLite, PostgreSQL, Redis, headless Chromium)

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   ?= .venv
PY     := $(VENV)/bin/python
DEMO_DOSSIERS ?= 300000
DEMO_SEED ?= 42
# WORKERS, THREADS, TIMEOUT, HOST, PORT, LOG_LEVEL, LOG_FORMAT, REDIS_URL: read by gunicorn.conf.py
GUNICORN := $(PY) -m gunicorn --config gunicorn.conf.py app:server

.PHONY: run serve test lint setup bench clean-data

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

# Runtime packages (run, serve) ...
$(VENV)/.installed: requirements.txt | $(PY)
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

# ... and, for tests and tooling, the development packages on top of them.
$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(PY)
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

setup: $(VENV)/.installed
	$(PY) cli.py setup --demo-dossiers $(DEMO_DOSSIERS) --seed $(DEMO_SEED)
	$(PY) cli.py scoring demo --year 2025 --seed $(DEMO_SEED) -q
	$(PY) cli.py users demo

# The demo runs on the production server too (same behaviour as deployed; the address is logged
# as "Bản đồ thể chế: http://HOST:PORT/"). `python app.py` is the development server (DASH_DEBUG=1).
run: setup
	$(GUNICORN)

serve: $(VENV)/.installed
	$(PY) cli.py setup
	$(GUNICORN)

test: $(VENV)/.installed-dev
	$(PY) -m pytest

lint: $(VENV)/.installed-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

bench: $(VENV)/.installed-dev
	$(PY) bench/map_bench.py

clean-data:
	rm -rf data/
