# Two commands for a newcomer: `make run` and `make test`. Everything else builds on them.
SHELL := /bin/bash
PORT ?= 8000
PYTHON ?= $(shell command -v python3.12 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py

.PHONY: run test setup serve lint format migrate demo clean lighthouse bench bench-delete backup restore

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info[:2] != (3, 12))' || \
		{ echo "Python 3.12 is required (found $$($(PYTHON) --version))."; exit 1; }
	$(PYTHON) -m venv $(VENV)

# Reinstall only when the project's dependencies change.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $@

setup: $(VENV)/.installed

migrate: setup
	$(MANAGE) migrate --no-input

demo: migrate
	$(MANAGE) load_demo_content
	$(MANAGE) draw_social_cards
	PORT=$(PORT) $(MANAGE) ensure_dev_users

# The scheduler publishes pages whose go-live time has come (production: a cron line, see README).
run: demo
	@echo "Serving http://127.0.0.1:$(PORT)/  (admin: http://127.0.0.1:$(PORT)/admin/)"
	@trap 'kill 0' EXIT; \
	(while true; do $(MANAGE) publish_scheduled >/dev/null; sleep 60; done) & \
	PORT=$(PORT) $(MANAGE) runserver 127.0.0.1:$(PORT)

# On every core (pytest-xdist); PYTEST_ARGS="-n0 -k ..." runs a few tests in one process.
test: setup
	$(BIN)/pytest -n auto --dist loadgroup $(PYTEST_ARGS)

# Production settings under gunicorn, on plain HTTP at 127.0.0.1:$(PORT): for a real local run
# and for benchmarks. Only here is the TLS redirect switched off (SECURE_SSL_REDIRECT=false).
# The secret key is random, made once per checkout and kept in var/ (never committed).
SERVE_ENV = DJANGO_SETTINGS_MODULE=consultancy_site.settings.production \
	SECRET_KEY="$$(cat var/serve-secret-key)" ALLOWED_HOSTS=127.0.0.1,localhost \
	SECURE_SSL_REDIRECT=false SERVE_MEDIA=true
WORKERS ?= 2

var/serve-secret-key: | $(BIN)/python
	@mkdir -p var && umask 077 && $(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(50))' > $@

serve: demo var/serve-secret-key
	$(SERVE_ENV) $(MANAGE) collectstatic --no-input -v0
	$(SERVE_ENV) $(BIN)/gunicorn consultancy_site.wsgi --bind 127.0.0.1:$(PORT) \
		--workers $(WORKERS) --access-logfile - --forwarded-allow-ips=127.0.0.1

# Lighthouse 12.2.3 (13 needs Node 22) against `make serve`: scores for the key pages.
LIGHTHOUSE_PORT ?= 8190
var/tools/node_modules/.bin/lighthouse:
	mkdir -p var/tools && cd var/tools && npm i -E lighthouse@12.2.3 --no-audit --no-fund

lighthouse: demo var/tools/node_modules/.bin/lighthouse var/serve-secret-key
	@setsid env PORT=$(LIGHTHOUSE_PORT) $(MAKE) --no-print-directory serve > var/lighthouse-serve.log 2>&1 & \
	server=$$!; trap 'kill -- -$$server' EXIT; \
	for _ in $$(seq 1 60); do curl -sf -o /dev/null http://127.0.0.1:$(LIGHTHOUSE_PORT)/ && break; sleep 1; done; \
	$(BIN)/python tools/lighthouse.py http://127.0.0.1:$(LIGHTHOUSE_PORT)

# Throughput against the ceiling at N = 7, 1,000 and 10,000 articles (takes ~10 minutes).
bench: setup
	@command -v wrk >/dev/null || { apt-get install -y -qq wrk >/dev/null 2>&1 || { echo "install wrk (apt-get install wrk)"; exit 1; }; }
	$(BIN)/python tools/bench.py

# What deleting a topic of 1,000 and 10,000 articles costs (queries, purges, seconds).
bench-delete: setup
	$(BIN)/python tools/bench_delete.py

# Database (SQLite online backup API, or pg_dump) and media, into var/backups/<time>/.
backup: setup
	$(MANAGE) backup_site

# make restore BACKUP=var/backups/<time>: replaces the database and media with the backup's.
restore: setup
	@test -n "$(BACKUP)" || { echo "usage: make restore BACKUP=var/backups/<time>"; exit 1; }
	$(MANAGE) restore_site $(BACKUP)

# Style, the import layers (pyproject.toml), Django's checks and migrations in step.
lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	DJANGO_SETTINGS_MODULE=consultancy_site.settings.test $(MANAGE) check --fail-level WARNING
	DJANGO_SETTINGS_MODULE=consultancy_site.settings.test $(MANAGE) makemigrations --check --dry-run

format: setup
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache
