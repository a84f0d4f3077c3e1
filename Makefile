# The two commands of the README:
#   make run   installs into .venv, builds the demo database if there is none, runs the dashboard
#   make test  installs into .venv, then lints and runs every test
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cksum < requirements.txt | cut -d' ' -f1)
DB := $(or $(ENGAGEMENT_DB),data/engagement.duckdb)

.PHONY: install run demo test lint format bench clean

install: $(STAMP)

$(STAMP): requirements.txt
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11+ is required"'
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	rm -f $(VENV)/.installed-* && touch $@

run: $(STAMP)
	test -f "$(DB)" || $(PY) -m etl demo --db "$(DB)"
	ENGAGEMENT_DB="$(DB)" $(PY) -m streamlit run dashboard.py

demo: $(STAMP)
	$(PY) -m etl demo --db "$(DB)"

lint: $(STAMP)
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

format: $(STAMP)
	$(PY) -m ruff check --fix .
	$(PY) -m ruff format .

test: lint
	@test -x /usr/bin/chromium || echo "note: /usr/bin/chromium is missing, browser tests will be skipped (apt-get install chromium)"
	$(PY) -m pytest

bench: $(STAMP)
	$(PY) bench/etl_load.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache tests/artifacts
