"""Ports, paths and environment of `make cluster`, shared by the runner, drill and load test.

Nothing here touches the machine's shared PostgreSQL (5432) or Redis (6379): the cluster has
its own primary (5434), replica (5435) and Redis (6380) under var/.
"""

import os
import secrets
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
VAR = ROOT / "var" / "cluster"
PG = ROOT / "var" / "pg"
PRIMARY_DIR = PG / "primary"
REPLICA_DIR = PG / "replica"
PG_SOCKETS = PG / "run"
PG_BIN = Path("/usr/lib/postgresql/15/bin")
VENV_BIN = ROOT / ".venv" / "bin"

HTTP_PORT = 8080
WEB_PORTS = {"web-a": 8101, "web-b": 8102}
PRIMARY_PORT = 5434
REPLICA_PORT = 5435
REDIS_PORT = 6380
BASE_URL = f"http://127.0.0.1:{HTTP_PORT}"
DATABASE_NAME = "dataschool"
QUEUE = "dataschool-cluster"


def _persistent_secret(name: str, prefix: str = "") -> str:
    """A random value made once per clone and kept in var/cluster (never committed)."""
    path = VAR / name
    if not path.exists():
        VAR.mkdir(parents=True, exist_ok=True)
        path.write_text(prefix + secrets.token_urlsafe(40))
        path.chmod(0o600)
    return path.read_text().strip()


def broker_url() -> str:
    # RabbitMQ (already on the machine) by default, in a queue of our own; CLUSTER_BROKER=redis
    # uses the cluster's Redis instead (see docs/scale-out.md for when to pick which).
    if os.environ.get("CLUSTER_BROKER", "rabbitmq") == "redis":
        return f"redis://127.0.0.1:{REDIS_PORT}/1"
    return os.environ.get("CLUSTER_AMQP_URL", "amqp://guest:guest@127.0.0.1:5672//")


def environment() -> dict[str, str]:
    """Production settings, DEBUG off, on plain loopback HTTP."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE", "REDIS", "CELERY", "STRIPE"))
    }
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings.production",
            "SECRET_KEY": _persistent_secret("secret_key"),
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "CSRF_TRUSTED_ORIGINS": BASE_URL,
            "SITE_URL": BASE_URL,
            "DATABASE_URL": f"postgres://postgres@127.0.0.1:{PRIMARY_PORT}/{DATABASE_NAME}",
            "REPLICA_DATABASE_URL": f"postgres://postgres@127.0.0.1:{REPLICA_PORT}/{DATABASE_NAME}",
            "DB_CONNECT_TIMEOUT": "2",
            "REDIS_URL": f"redis://127.0.0.1:{REDIS_PORT}/0",
            "CACHE_KEY_PREFIX": "cluster",
            "CELERY_BROKER_URL": broker_url(),
            "CELERY_TASK_DEFAULT_QUEUE": QUEUE,
            # Plain HTTP on loopback (see deploy/cluster/proxy_params.conf): no redirect to
            # https, no HSTS, cookies without the Secure flag. Production keeps the defaults.
            "SECURE_SSL_REDIRECT": "false",
            "SECURE_HSTS_SECONDS": "0",
            "SESSION_COOKIE_SECURE": "false",
            "CSRF_COOKIE_SECURE": "false",
            # Receipts land in files, so the drill can count them.
            "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "EMAIL_FILE_PATH": str(VAR / "mail"),
            "PAYMENTS_GATEWAY": "stripe",
            "STRIPE_SECRET_KEY": "",
            "STRIPE_WEBHOOK_SECRET": _persistent_secret("stripe_webhook_secret", "whsec_"),
            "STATIC_ROOT": str(ROOT / "var" / "static"),
            "MEDIA_ROOT": str(ROOT / "var" / "media"),
            "PROTECTED_MEDIA_ROOT": os.environ.get(
                "PROTECTED_MEDIA_ROOT", str(ROOT / "var" / "protected")
            ),
            # nginx sends paid lesson files after the access check (its /protected-files/).
            "PROTECTED_FILES_X_ACCEL": "true",
            # nginx appends the client's address to X-Forwarded-For: rate limits count it.
            "TRUSTED_PROXY_COUNT": "1",
            "PROMETHEUS_MULTIPROC_DIR": str(VAR / "prometheus"),
            "METRICS_TOKEN": _persistent_secret("metrics_token"),
            "LOG_LEVEL": os.environ.get("LOG_LEVEL", "WARNING"),
            "PYTHONUNBUFFERED": "1",
        }
    )
    return env
