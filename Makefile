# youthlink (青联圈): `make run` serves the demo on http://127.0.0.1:8000, `make test` runs the suite.
# Each step is skipped when its inputs have not changed: the virtualenv is keyed on the hash of the
# requirements files, node_modules on the hash of package-lock.json, translations on the .po files.

SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= $(shell command -v python3.11 2>/dev/null || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=

REQ_HASH := $(shell cat requirements.txt requirements-dev.txt | sha256sum | cut -c1-16)
PY_STAMP := $(VENV)/.requirements-$(REQ_HASH)
NPM_HASH := $(shell sha256sum package-lock.json | cut -c1-16)
NPM_STAMP := node_modules/.package-lock-$(NPM_HASH)
MO_FILES := $(patsubst %.po,%.mo,$(wildcard locale/*/LC_MESSAGES/*.po))

SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
APT_INSTALL := DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -q --no-install-recommends

# Dummy values that satisfy production settings, for `make check` only.
CHECK_ENV := DJANGO_SETTINGS_MODULE=config.settings.production \
	SECRET_KEY=check-only-5f0e8c1d9a7b4e2f8c6d3a1b0e9f7c5d3b1a8e6f4c2d0b9a7e5f3c1d \
	FIELD_ENCRYPTION_KEYS=AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8= \
	FIELD_HASH_KEY=check-only-hash-key \
	DATABASE_URL=postgres://youthlink@127.0.0.1:5432/youthlink \
	REDIS_URL=redis://127.0.0.1:6379/0 \
	ALLOWED_HOSTS=youthlink.example.org \
	CSRF_TRUSTED_ORIGINS=https://youthlink.example.org

.PHONY: help install run serve test test-browser check messages makemessages gettext system-packages

help:
	@echo "make run           install what is missing, migrate, seed the demo, serve on http://$(HOST):$(PORT)"
	@echo "make test          install what is missing, run the test suite (browser tests excluded)"
	@echo "make test-browser  run the Playwright browser tests (needs Debian chromium: see .ci/run)"
	@echo "make check         Django's deployment checks against the production settings"
	@echo "make makemessages  refresh locale/en/LC_MESSAGES/django.po from templates and code"

install: $(PY_STAMP) $(NPM_STAMP) $(MO_FILES) system-packages

# Debian packages the product itself uses: a CJK TrueType font embedded in the pairing card PDF, and
# poppler's pdftoppm/pdftotext, which the tests use to render and read that PDF.
SYSTEM_PACKAGES := fonts-wqy-zenhei poppler-utils
system-packages:
	@missing=""; for p in $(SYSTEM_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then echo "Installing$$missing"; \
		$(APT_INSTALL) $$missing || { $(SUDO) apt-get update -q && $(APT_INSTALL) $$missing; }; fi

$(PY_STAMP): requirements.txt requirements-dev.txt
	@test -x $(PY) || { echo "Creating $(VENV) with $(PYTHON)"; $(PYTHON) -m venv $(VENV); }
	$(PY) -m pip install --disable-pip-version-check --quiet -r requirements-dev.txt
	@rm -f $(VENV)/.requirements-*
	@touch $@

$(NPM_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

# compilemessages needs GNU gettext's msgfmt.
gettext:
	@command -v msgfmt >/dev/null || { echo "Installing gettext (msgfmt)"; \
		$(APT_INSTALL) gettext || { $(SUDO) apt-get update -q && $(APT_INSTALL) gettext; }; }

%.mo: %.po | gettext $(PY_STAMP)
	$(PY) manage.py compilemessages --ignore=$(VENV) --ignore=node_modules --verbosity=0

messages: $(MO_FILES)

makemessages: $(PY_STAMP) | gettext
	$(PY) manage.py makemessages -l en --ignore=$(VENV) --ignore=node_modules --ignore=bench --ignore=tests \
		--ignore=staticfiles --no-obsolete --add-location=file

run: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	@echo "Serving on http://$(HOST):$(PORT)  (Ctrl-C to stop)"
	$(PY) manage.py runserver $(HOST):$(PORT)

test: install
	$(PY) -m pytest -m "not browser" $(PYTEST_ARGS)

test-browser: install
	$(PY) -m pytest -m browser tests/browser $(PYTEST_ARGS)

check: install
	$(CHECK_ENV) $(PY) manage.py check --deploy --fail-level WARNING
