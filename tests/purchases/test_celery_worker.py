"""A real Celery worker process against Redis, on a queue of its own.

The queue and node names carry a random token, so this worker cannot take tasks meant for
other workers on the machine (nor they ours), and every Redis key it leaves is found and
deleted afterwards.
"""

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
import redis
from celery.result import EagerResult
from django.conf import settings
from django.db import connection

from config.celery import app as celery_app
from learning.models import Enrollment
from purchases.models import WebhookEvent
from purchases.services.webhooks import store_event
from purchases.tasks import process_webhook_event
from tests.purchases.factories import OrderFactory, event, session_object

ROOT = Path(__file__).resolve().parents[2]
# The project's Celery app, told to leave no shared state in Redis: no remote control (its
# pidbox bindings are shared keys), no events, only our queue.
WORKER = """
import sys
from config.celery import app
queue = sys.argv[1]
app.conf.update(
    worker_enable_remote_control=False,
    worker_send_task_events=False,
    task_default_queue=queue,
)
app.worker_main(["worker", "-Q", queue, "-n", queue + "@localhost", "-P", "solo",
                 "--without-mingle", "--without-gossip", "--without-heartbeat",
                 "--loglevel", "WARNING"])
"""


def _database_url() -> str:
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"


def _delete_keys(client: redis.Redis, token: str) -> None:
    for key in client.scan_iter(match=f"*{token}*"):
        client.delete(key)
    for key in client.scan_iter(match="_kombu.binding*"):
        kind = client.type(key)
        if kind == b"set":
            for member in client.smembers(key):
                if token.encode() in member:
                    client.srem(key, member)
        elif kind == b"zset":
            for member in client.zrange(key, 0, -1):
                if token.encode() in member:
                    client.zrem(key, member)


@pytest.fixture
def worker_queue():
    token = uuid.uuid4().hex[:12]
    queue = f"dstest-purchases-{token}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": _database_url(),
        "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
        # The worker writes cache keys (catalog version) under this run's prefix, which the
        # session teardown in tests/conftest.py deletes.
        "CACHE_KEY_PREFIX": settings.CACHES["default"]["KEY_PREFIX"],
        "MEDIA_ROOT": settings.MEDIA_ROOT,
    }
    worker = subprocess.Popen(  # noqa: S603 - fixed arguments
        [sys.executable, "-c", WORKER, queue],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    client = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    try:
        yield queue
    finally:
        worker.send_signal(signal.SIGTERM)
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()
        _delete_keys(client, token)
        assert not list(client.scan_iter(match=f"*{token}*"))
        client.close()


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_takes_an_event_from_received_to_processed(worker_queue):
    order = OrderFactory()
    stored, _ = store_event(event=event("checkout.session.completed", session_object(order)))
    assert stored.status == "received"

    celery_app.conf.task_always_eager = False
    try:
        result = process_webhook_event.apply_async(args=[stored.pk], queue=worker_queue)
    finally:
        celery_app.conf.task_always_eager = True
    assert not isinstance(result, EagerResult)  # it went through Redis to the worker

    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        stored.refresh_from_db()
        if stored.status != "received":
            break
        time.sleep(0.5)

    assert stored.status == "processed"
    assert stored.attempts == 1
    assert Enrollment.objects.filter(user=order.user, course=order.course).exists()
    assert WebhookEvent.objects.count() == 1
