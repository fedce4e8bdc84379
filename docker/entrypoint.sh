#!/bin/sh
# Container entry point for every Data School process (web, worker, beat, migrate).
# DJANGO_MIGRATE=1 applies migrations before the command starts (useful for a single web
# container; docker-compose.yml uses a one-off `migrate` service instead).
set -eu

if [ "${DJANGO_MIGRATE:-0}" = "1" ]; then
    python manage.py migrate --no-input
fi

exec "$@"
