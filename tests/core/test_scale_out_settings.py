"""Settings for the replica, the broker and the loopback cluster, read as each environment would."""

import json
import os
import subprocess
import sys

from django.conf import settings

from config.celery import app

PROBE = """
import json, django
from django.conf import settings
django.setup()
print(json.dumps({
    "aliases": sorted(settings.DATABASES),
    "replica": {k: settings.DATABASES.get("replica", {}).get(k) for k in ("PORT", "TEST")},
    "engine": settings.DATABASES["default"]["ENGINE"],
    "routers": settings.DATABASE_ROUTERS,
    "session_secure": settings.SESSION_COOKIE_SECURE,
    "csrf_secure": settings.CSRF_COOKIE_SECURE,
    "queue": settings.CELERY_TASK_DEFAULT_QUEUE,
}))
"""


def _settings_of(module: str, **env: str) -> dict:
    clean = {k: v for k, v in os.environ.items() if k not in ("REPLICA_DATABASE_URL",)}
    result = subprocess.run(  # noqa: S603 (fixed argument list)
        [sys.executable, "-c", PROBE],
        env={**clean, "DJANGO_SETTINGS_MODULE": module, **env},
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_without_a_replica_url_there_is_only_the_default_database():
    assert list(settings.DATABASES) == ["default"]
    assert _settings_of("config.settings.test")["aliases"] == ["default"]


def test_a_replica_url_adds_a_replica_alias_that_tests_mirror_to_default():
    found = _settings_of(
        "config.settings.test",
        REPLICA_DATABASE_URL="postgres://postgres@127.0.0.1:5435/dataschool",
    )

    assert found["aliases"] == ["default", "replica"]
    assert found["replica"]["PORT"] == 5435
    assert found["replica"]["TEST"]["MIRROR"] == "default"
    assert found["routers"] == ["core.db_router.PrimaryReplicaRouter"]
    assert found["engine"] == "django_prometheus.db.backends.postgresql"


def test_production_keeps_secure_cookies_unless_the_loopback_cluster_turns_them_off():
    required = {"SECRET_KEY": "x" * 50, "ALLOWED_HOSTS": "dataschool.example"}
    default = _settings_of("config.settings.production", **required)
    cluster = _settings_of(
        "config.settings.production",
        **required,
        SESSION_COOKIE_SECURE="false",
        CSRF_COOKIE_SECURE="false",
    )

    assert default["session_secure"] is True and default["csrf_secure"] is True
    assert cluster["session_secure"] is False and cluster["csrf_secure"] is False


def test_a_task_of_a_worker_that_died_goes_back_to_the_queue():
    assert app.conf.task_acks_late is True
    assert app.conf.task_reject_on_worker_lost is True
    # Far above the longest task, or Redis would hand a running task to a second worker.
    assert app.conf.broker_transport_options["visibility_timeout"] >= 3600


def test_the_queue_name_comes_from_the_environment():
    assert app.conf.task_default_queue == "celery"
    found = _settings_of("config.settings.test", CELERY_TASK_DEFAULT_QUEUE="dataschool-cluster")
    assert found["queue"] == "dataschool-cluster"
