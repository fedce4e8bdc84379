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

# tests/deploy renders deploy/k8s with `kubectl kustomize` (kustomize v5 features: labels,
# components, replacements) and validates against kubernetes-validate's bundled schemas.
K8S_SCHEMA_VERSION := 1.32.0

.PHONY: k8s-tools
k8s-tools: venv ## kubectl with kustomize v5 (Debian's kubernetes-client if missing) and the schemas
	@command -v kubectl >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
		apt-get install -y -qq kubernetes-client >/dev/null; } || true
	@command -v kubectl >/dev/null || { echo "kubectl is missing and Debian's kubernetes-client" \
		"could not be installed: install kubectl >= 1.27 (with kustomize v5)." >&2; exit 1; }
	@kubectl version --client -o json 2>/dev/null | $(PY) -c 'import json, sys; \
		v = json.load(sys.stdin).get("kustomizeVersion", "v0"); \
		sys.exit(int(v.lstrip("v").split(".")[0]) < 5)' || { echo "$$(command -v kubectl)" \
		"bundles no kustomize v5 (Debian's kubernetes-client is too old): install" \
		"kubectl >= 1.27 for deploy/k8s." >&2; exit 1; }
	@$(PY) -c 'import sys, kubernetes_validate.utils as u; \
		sys.exit("$(K8S_SCHEMA_VERSION)" not in u.all_versions())' || { echo "kubernetes-validate" \
		"has no schemas for Kubernetes $(K8S_SCHEMA_VERSION): run make venv." >&2; exit 1; }

.PHONY: java
java: ## Install Debian's Java runtime when missing (the Nu HTML checker in the tests runs on it)
	@command -v java >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq default-jre-headless >/dev/null)

.PHONY: weasyprint-libs
weasyprint-libs: ## Install the Debian libraries and fonts WeasyPrint (PDF certificates) needs, when missing
	@ldconfig -p | grep -q libpangoft2-1.0 && fc-list | grep -qi dejavu || (apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libpango-1.0-0 libpangoft2-1.0-0 \
		libharfbuzz-subset0 fonts-dejavu-core >/dev/null)

.PHONY: db
db: venv weasyprint-libs ## Create the database if missing and migrate it
	$(MANAGE) ensure_database
	$(MANAGE) migrate --no-input -v 0

.PHONY: run
run: db ## Serve the site and a Celery worker (with beat) on http://127.0.0.1:8000
	mkdir -p var
	$(MANAGE) bootstrap_demo
	@trap 'kill 0' EXIT INT TERM; \
	$(VENV)/bin/celery -A config worker --beat --loglevel INFO --concurrency 2 --schedule var/celerybeat-schedule & \
	$(MANAGE) runserver 127.0.0.1:8000

.PHONY: lint
lint: venv ## ruff check and ruff format --check
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

.PHONY: checks
checks: venv ## makemigrations --check and check --deploy under production settings
	$(MANAGE) makemigrations --check --dry-run
	$(DEPLOY_ENV) $(MANAGE) check --deploy --fail-level WARNING

.PHONY: test
test: venv chromium java k8s-tools lint checks ## Lint, checks, then the whole pytest suite (unit, integration, browser, HTML validity, manifests)
	$(MANAGE) ensure_database
	$(VENV)/bin/pytest

# --- Backups (docs/operations.md): a WAL-archiving cluster of our own on port 5440 --------
.PHONY: pgbackrest
pgbackrest: ## Install Debian's pgbackrest when it is missing
	@command -v pgbackrest >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq pgbackrest >/dev/null)

.PHONY: backup-cluster
backup-cluster: venv pgbackrest ## Create/start the WAL-archiving PostgreSQL (var/backup-pg, port 5440)
	$(PY) deploy/backup/backup.py start

.PHONY: backup-cluster-stop
backup-cluster-stop: venv ## Stop the WAL-archiving PostgreSQL
	$(PY) deploy/backup/backup.py stop

.PHONY: backup
backup: venv pgbackrest ## Back up now: pgBackRest (full if none, else incremental) and uploaded files
	$(PY) deploy/backup/backup.py backup

.PHONY: restore-drill
restore-drill: venv pgbackrest ## Back up, change data, restore latest and 5 minutes earlier, verify
	$(PY) deploy/backup/restore_drill.py

.PHONY: format
format: venv ## Reformat and autofix
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

.PHONY: clean
clean: ## Remove the virtualenv and local artefacts
	rm -rf $(VENV) .tools var test-artifacts
