# Ascolto: `make run` and `make test` do all set-up on a machine with Python 3.11 and make.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.requirements-installed
HOST ?= 127.0.0.1
PORT ?= 8501

.PHONY: run test bench lint store static clean

$(STAMP): requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $(STAMP)

store: $(STAMP)  ## create or migrate data/ascolto.db and fill it with demo data when empty
	$(BIN)/python -m data_access setup

run: store  ## open the dashboard on http://127.0.0.1:8501
	$(BIN)/streamlit run dashboard.py --server.address $(HOST) --server.port $(PORT)

test: $(STAMP)  ## the whole test suite (PostgreSQL tests need TEST_DATABASE_URL)
	$(BIN)/python -m pytest

bench: $(STAMP)  ## the Hera-scale benchmark (builds and caches a 10M-contact store once)
	$(BIN)/python -m bench

lint: $(STAMP)  ## ruff (rules and formatting) and mypy (types; files in pyproject.toml)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

static: $(STAMP)  ## rewrite static/provinces.json (the maps' boundaries) from fixtures/reference
	$(BIN)/python -m ui.geo

clean:
	rm -rf $(VENV) data
