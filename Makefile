# Data School — every set-up step lives here, so a fresh clone needs only `make run` / `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := help

# uv trusts the system CA store (as pip does here via its config).
export UV_NATIVE_TLS := 1

VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
# uv from PATH, else bootstrapped once into .tools/ with pip (the only bootstrap step).
UV := $(shell command -v uv 2>/dev/null || echo .tools/bin/uv)
CHROMIUM := /usr/bin/chromium
# check --deploy runs with production settings and throwaway values.
DEPLOY_ENV := DJANGO_SETTINGS_MODULE=config.settings.production ALLOWED_HOSTS=dataschool.example \
	SECRET_KEY=deploy-check-0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJ

.PHONY: help
help: ## List the targets
	@grep -E '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "}; {printf "  %-12s %s\n", $$1, $$2}'

.tools/bin/uv:
	python3 -m venv .tools
	.tools/bin/pip install --quiet uv

$(VENV)/.synced: requirements-dev.txt | $(UV)
	$(UV) venv --quiet --allow-existing --python 3.11 $(VENV)
	VIRTUAL_ENV=$(VENV) $(UV) pip sync --quiet requirements-dev.txt
	touch $@

.PHONY: venv
venv: $(VENV)/.synced ## Create the virtualenv from the hash-pinned requirements

.PHONY: lock
lock: ## Recompile requirements*.txt (hash-pinned) from pyproject.toml
	$(UV) pip compile pyproject.toml --generate-hashes --python-version 3.11 --no-header --no-annotate --quiet -o requirements.txt
	$(UV) pip compile pyproject.toml --group dev --generate-hashes --python-version 3.11 --no-header --no-annotate --quiet -o requirements-dev.txt

.PHONY: chromium
chromium: ## Install Debian's chromium for the browser tests when it is missing
	@test -x $(CHROMIUM) || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null)

.PHONY: db
db: venv ## Create the database if missing and migrate it
	$(MANAGE) ensure_database
	$(MANAGE) migrate --no-input -v 0

.PHONY: run
run: db ## Serve the site and a Celery worker (with beat) on http://127.0.0.1:8000
	mkdir -p var
	$(MANAGE) bootstrap_demo
	@trap 'kill 0' EXIT INT TERM; \
	$(VENV)/bin/celery -A config worker --beat --loglevel INFO --concurrency 2 --schedule var/celerybeat-schedule & \
	$(MANAGE) runserver 127.0.0.1:8000

# --- make cluster / drill / loadtest (docs/scale-out.md); none of them is part of `make test` --
NGINX_BROTLI := /usr/lib/nginx/modules/ngx_http_brotli_filter_module.so

.PHONY: nginx
nginx: ## Install Debian's nginx and brotli modules when missing (the system service is not started)
	@test -x /usr/sbin/nginx -a -f $(NGINX_BROTLI) || (apt-get update -qq && RUNLEVEL=1 \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx \
		libnginx-mod-http-brotli-filter libnginx-mod-http-brotli-static >/dev/null)

.PHONY: cluster
cluster: venv nginx ## nginx + 2 gunicorn + Celery + PostgreSQL primary/replica + Redis on http://127.0.0.1:8080
	$(PY) deploy/cluster/run.py

.PHONY: drill
drill: venv nginx ## Failure drills under load against make cluster (started when not running)
	$(PY) bench/drill.py

.PHONY: loadtest
loadtest: venv nginx ## Locust learners against make cluster: the most concurrent learners at p95 <= 200 ms
	$(PY) bench/loadtest.py

.PHONY: lint
lint: venv ## ruff check and ruff format --check
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

.PHONY: checks
checks: venv ## makemigrations --check and check --deploy under production settings
	$(MANAGE) makemigrations --check --dry-run
	$(DEPLOY_ENV) $(MANAGE) check --deploy --fail-level WARNING

.PHONY: test
test: venv chromium lint checks ## Lint, checks, then the whole pytest suite (unit, integration, browser)
	$(MANAGE) ensure_database
	$(VENV)/bin/pytest

.PHONY: format
format: venv ## Reformat and autofix
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

.PHONY: clean
clean: ## Remove the virtualenv and local artefacts
	rm -rf $(VENV) .tools var test-artifacts
