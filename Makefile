# Brugwerk: two commands on a fresh machine.
#   make demo   install into .venv, migrate, load the W13 demo, serve on http://127.0.0.1:$(PORT)
#   make test   the whole test suite, browser tests included
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
CHROMIUM ?= $(shell command -v chromium 2>/dev/null || command -v chromium-browser 2>/dev/null)
# The first Python >= 3.12 found: python3 (pyenv honours .python-version), then python3.12, python3.13.
PYTHON ?= $(shell for p in python3 python3.12 python3.13 python3.14; do \
	command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null && { command -v $$p; break; }; \
	done)

DEMO_ENV := BRUGWERK_DEMO_MODE=true BRUGWERK_REQUIRE_2FA=false BRUGWERK_DEBUG=true
# pytest-xdist: one worker per CPU core ("auto"); PYTEST_WORKERS=0 runs the suite in one process.
# loadgroup keeps a module with a module- or class-scoped fixture on one worker (tests/conftest.py).
PYTEST_WORKERS ?= auto

.PHONY: help demo test serve migrate check-python check-chromium lint messages clean migration-check

help:
	@echo "make demo   - install, migrate, load the W13 demo and serve on http://127.0.0.1:$(PORT)"
	@echo "make test   - run the whole test suite (browser tests included)"

check-python:
	@if [ -z "$(PYTHON)" ]; then \
		echo "Brugwerk needs Python 3.12 or newer, and none was found (python3 is $$(python3 --version 2>&1))."; \
		echo "Install it, for example: 'apt-get install python3.12 python3.12-venv' or 'pyenv install 3.12',"; \
		echo "or point to one: 'make demo PYTHON=/path/to/python3.12'."; \
		exit 1; \
	fi

check-chromium:
	@if [ -z "$(CHROMIUM)" ]; then \
		echo "The browser tests need Debian's Chromium, which is not installed."; \
		echo "Install it with: apt-get install chromium   (never 'playwright install')."; \
		exit 1; \
	fi

$(VENV)/.created: | check-python
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/python -m pip install --quiet --upgrade pip
	@touch $@

$(VENV)/.runtime: requirements.lock $(VENV)/.created
	$(VENV)/bin/python -m pip install --quiet --require-hashes -r requirements.lock
	@touch $@

$(VENV)/.dev: requirements-dev.lock $(VENV)/.created
	$(VENV)/bin/python -m pip install --quiet --require-hashes -r requirements-dev.lock
	@touch $@ $(VENV)/.runtime

migrate: $(VENV)/.runtime
	$(DEMO_ENV) $(PY) manage.py migrate --noinput

demo: migrate
	$(DEMO_ENV) $(PY) manage.py demo
	@echo "Brugwerk runs on http://127.0.0.1:$(PORT)  (stop with Ctrl-C)"
	$(DEMO_ENV) $(PY) manage.py runserver 127.0.0.1:$(PORT) --noreload

test: $(VENV)/.dev check-chromium
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy brugwerk
	CHROMIUM=$(CHROMIUM) $(PY) -m pytest -n $(PYTEST_WORKERS) --dist loadgroup $(PYTEST_ARGS)

# Migrations forward on a populated demo database (SQLite unless DATABASE_URL is given on the command line):
#   make migration-check BASE=<rev> [HEAD=<rev>] [DATABASE_URL=postgres://postgres@127.0.0.1:5432/brugwerk_migcheck]
migration-check: $(VENV)/.runtime
	@if [ -z "$(BASE)" ]; then echo "Usage: make migration-check BASE=<rev> [HEAD=<rev>] [DATABASE_URL=...]"; exit 2; fi
	$(PY) scripts/migration_check.py --base $(BASE) $(if $(HEAD),--head $(HEAD)) \
		$(if $(filter command line,$(origin DATABASE_URL)),--database-url $(DATABASE_URL))

lint: $(VENV)/.dev
	$(VENV)/bin/ruff check .

# Refresh the translation catalogs after changing strings (needs gettext), then compile them.
messages: $(VENV)/.dev
	cd brugwerk && ../$(PY) ../manage.py makemessages -l nl -l en --no-obsolete --no-location
	cd brugwerk && ../$(PY) ../manage.py compilemessages

lock: $(VENV)/.dev
	$(VENV)/bin/pip install --quiet pip-tools
	$(VENV)/bin/pip-compile -q --strip-extras --generate-hashes -o requirements.lock pyproject.toml
	$(VENV)/bin/pip-compile -q --strip-extras --generate-hashes --extra dev -o requirements-dev.lock pyproject.toml

clean:
	rm -rf $(VENV) var
