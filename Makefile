# Realign: `make run` serves the app, `make test` runs the whole suite. Both set themselves up.
.DEFAULT_GOAL := help
SHELL := /bin/bash

VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
# requirements/dev.txt (the app, tests and tools) for `make install`, base.txt (the app
# alone) for `make install-production`: both locked with hashes by `make lock`.
STAMP := $(VENV)/.installed-dev
BASE_STAMP := $(VENV)/.installed-base
HOST ?= 127.0.0.1
PORT ?= 8000
export PIP_DISABLE_PIP_VERSION_CHECK := 1

# Prints the newest usable interpreter (3.12+): PYTHON= if given, then python3.13,
# python3.12, python3 when they run, then pyenv's installed versions (newest first).
# pyenv's PATH shims fail unless a version is selected, so "runs" is checked, not "exists".
define FIND_PYTHON
ok() { "$$1" -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1; }; \
if [ -n "$(PYTHON)" ]; then ok "$(PYTHON)" && echo "$(PYTHON)"; exit 0; fi; \
for c in python3.13 python3.12 python3; do ok "$$c" && { echo "$$c"; exit 0; }; done; \
root="$${PYENV_ROOT:-$$(pyenv root 2>/dev/null || echo "$$HOME/.pyenv")}"; \
for c in $$(ls -d "$$root"/versions/*/bin/python3 2>/dev/null | sort -V -r); do \
  ok "$$c" && { echo "$$c"; exit 0; }; done; exit 0
endef

.PHONY: help install install-production lock run test lint check migrations-check deploy-check clean

help:
	@echo "make run    set up .venv, migrate, load the demo data and serve on http://$(HOST):$(PORT)"
	@echo "make test   set up .venv and run the whole test suite"
	@echo "make lint   ruff check;  make check   migrations and deploy checks"
	@echo "make install-production   .venv with the app's packages only (no test tools)"
	@echo "make lock   re-lock requirements/*.txt (with hashes) after editing requirements/*.in"

# Creates $(VENV) with the newest usable Python, first removing one made with an older one.
define MAKE_VENV
@if [ -x "$(PY)" ] && ! "$(PY)" -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then \
	  echo "Removing $(VENV): it was made with a Python older than 3.12."; rm -rf "$(VENV)"; fi
@if [ ! -x "$(PY)" ]; then \
	  py="$$( $(FIND_PYTHON) )"; \
	  if [ -z "$$py" ]; then \
	    if [ -n "$(PYTHON)" ]; then echo "PYTHON=$(PYTHON) is not a working Python 3.12 or newer." >&2; \
	    else echo "No Python 3.12 or newer found (tried python3.13, python3.12, python3 and pyenv's versions). Django 6 needs 3.12+: install one, or pass PYTHON=/path/to/python3.12." >&2; fi; \
	    exit 1; fi; \
	  echo "Creating $(VENV) with $$py ($$("$$py" --version))"; \
	  "$$py" -m venv "$(VENV)"; \
fi
endef

$(STAMP): requirements/dev.txt requirements/base.txt
	$(MAKE_VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet --require-hashes -r requirements/dev.txt
	@touch $(STAMP)

# Production: the runtime set only; a development .venv already holds it.
$(BASE_STAMP): requirements/base.txt
	$(MAKE_VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet --require-hashes -r requirements/base.txt
	@touch $(BASE_STAMP)

# The pose model behind landmark suggestions is prepared here, at install time, from a pinned
# wheel (manage.py fetch_pose_model; README, Posture photos); it does nothing once in place.
install: $(STAMP)
	@$(PY) manage.py fetch_pose_model

install-production: $(BASE_STAMP)
	@$(PY) manage.py fetch_pose_model

# Re-locks requirements/*.txt from the *.in files after an edit there: versions already
# locked are kept, `make lock UPGRADE=1` moves everything to the newest allowed. uv runs
# from its own venv (.ci-tools), never .venv. One lock for every platform, Python 3.12+.
UV_VERSION := 0.13.9
LOCK := .ci-tools/bin/uv pip compile --quiet --no-config --universal --python-version 3.12 \
  --generate-hashes --custom-compile-command "make lock" $(if $(UPGRADE),--upgrade)

lock:
	@if [ ! -x .ci-tools/bin/python ]; then py="$$( $(FIND_PYTHON) )"; \
	  [ -n "$$py" ] || { echo "No Python 3.12 or newer found." >&2; exit 1; }; \
	  "$$py" -m venv .ci-tools; fi
	.ci-tools/bin/python -m pip install --quiet uv==$(UV_VERSION)
	$(LOCK) requirements/base.in -o requirements/base.txt
	$(LOCK) requirements/dev.in -o requirements/dev.txt

# config/settings.py defaults to production; the commands here ask for development mode.
# `make run` signs sessions with a random key kept in .venv, so they survive a restart.
DEV_KEY := $(VENV)/dev-secret-key
DEV := DEBUG=1 SECRET_KEY="$$(cat $(DEV_KEY))"

$(DEV_KEY): | $(STAMP)
	@umask 077 && $(PY) -c 'import secrets; print(secrets.token_urlsafe(50))' > $@

run: install $(DEV_KEY)
	$(DEV) $(PY) manage.py migrate --no-input
	$(DEV) $(PY) manage.py seed_demo
	$(DEV) $(PY) manage.py collectstatic --no-input --verbosity 0
	@echo ""
	@echo "Realign is starting on http://$(HOST):$(PORT)/ with its task worker  (Ctrl-C stops both)"
	@echo "Demo sign-in, password realign-demo-2026: owner (practice owner), specialist, admin (staff: /admin/)"
	@# The web server and the task worker (emails, reminders, landmark suggestions) side by
	@# side: when either stops, or on Ctrl-C or a TERM, the other is stopped too. runserver
	@# serves from a child of its autoreloader, which is stopped first: left alone, the
	@# child could outlive a Ctrl-C now and then and keep `make run` waiting.
	@stop() { pkill -TERM -P $$web 2>/dev/null; kill $$web $$worker 2>/dev/null; }; \
	trap stop INT TERM; \
	$(DEV) $(PY) manage.py ox_worker & worker=$$!; \
	$(DEV) $(PY) manage.py runserver $(HOST):$(PORT) & web=$$!; \
	wait -n; stop; wait

test: install
	@if command -v chromium >/dev/null 2>&1; then echo "Browser journeys: using $$(command -v chromium)."; \
	else echo "Browser journeys SKIPPED: Debian's chromium is not installed (apt-get install chromium)."; fi
	$(PY) -m pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .

migrations-check: install
	DEBUG=1 $(PY) manage.py makemigrations --check --dry-run

# Production settings with a throw-away key: the deploy checks must pass with no warning.
deploy-check: install-production
	DEBUG=0 ALLOWED_HOSTS=realign.example.com SITE_URL=https://realign.example.com \
	SECRET_KEY="$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(60))')" \
	$(PY) manage.py check --deploy --fail-level WARNING

check: migrations-check deploy-check

clean:
	rm -rf $(VENV) staticfiles .pytest_cache

# Benchmark at the scale of a practice chain (bench/run.py): on a dedicated database
# (bench/db.sqlite3, or DATABASE_URL when given, e.g. a local PostgreSQL), seeded once per
# size (a 50-client studio and the chain), then every measurement and the gunicorn load test
# in one run. Writes bench/results.json and bench/results.txt. A quicker run:
# make bench BENCH_CLIENTS=5000 BENCH_SPECIALISTS=20
BENCH_SPECIALISTS ?= 200
BENCH_CLIENTS ?= 50000
BENCH_DB = $(if $(DATABASE_URL),$(DATABASE_URL),sqlite:///$(CURDIR)/bench/db.sqlite3)

.PHONY: bench
bench: install
	@command -v wrk >/dev/null 2>&1 || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 && \
	  { apt-get install -y -qq wrk >/dev/null 2>&1 || \
	    { apt-get update -qq >/dev/null 2>&1 && apt-get install -y -qq wrk >/dev/null 2>&1; }; }; } || \
	  echo "wrk is not available: the load test uses its Python load generator instead."
	@command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || { [ "$$(id -u)" = 0 ] && \
	  command -v apt-get >/dev/null 2>&1 && DEBIAN_FRONTEND=noninteractive \
	  apt-get install -y -qq nginx >/dev/null 2>&1; } || \
	  echo "nginx is not available: the scale-out rehearsal is reported as not measured."
	DATABASE_URL="$(BENCH_DB)" $(PY) -m bench.prepare
	DEBUG=1 DATABASE_URL="$(BENCH_DB)" $(PY) manage.py migrate --no-input --verbosity 0
	DEBUG=1 DATABASE_URL="$(BENCH_DB)" $(PY) -m bench.seed_scale --specialists 2 --clients 50 \
	  --assessments-per-client 5
	DEBUG=1 DATABASE_URL="$(BENCH_DB)" $(PY) -m bench.seed_scale \
	  --specialists $(BENCH_SPECIALISTS) \
	  --clients $(BENCH_CLIENTS) --assessments-per-client 5
	DATABASE_URL="$(BENCH_DB)" BENCH_SPECIALISTS=$(BENCH_SPECIALISTS) \
	  BENCH_CLIENTS=$(BENCH_CLIENTS) $(PY) -m bench.run
