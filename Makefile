# The two commands of the README:
#   make run   installs into .venv, builds the demo database if there is none, runs the dashboard in demo mode
#   make test  installs into .venv, then lints and runs every test
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cksum < requirements.txt | cut -d' ' -f1)
DB := $(or $(ENGAGEMENT_DB),data/engagement.duckdb)
DEMO_DB := $(or $(ENGAGEMENT_DB),data/demo.duckdb)

OPEN_DB := $(or $(ENGAGEMENT_DB),data/open.duckdb)

.PHONY: install run run-open-data demo test lint format bench clean

install: $(STAMP)

$(STAMP): requirements.txt
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11+ is required"'
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	rm -f $(VENV)/.installed-* && touch $@

# Demo mode: no password, a role switcher in the sidebar, writes only to demo data.
run: $(STAMP)
	test -f "$(DEMO_DB)" || $(PY) -m etl demo --db "$(DEMO_DB)"
	ENGAGEMENT_DB="$(DEMO_DB)" ENGAGEMENT_DEMO=1 $(PY) -m streamlit run dashboard.py

# The real open data (data/open: Pabulib budgets of Kraków, Warszawa, Wrocław, Łódź, Amsterdam).
run-open-data: $(STAMP)
	test -f "$(OPEN_DB)" || $(PY) -m etl demo --open-data --db "$(OPEN_DB)"
	ENGAGEMENT_DB="$(OPEN_DB)" $(PY) -m streamlit run dashboard.py

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
