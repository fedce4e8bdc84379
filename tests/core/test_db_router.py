"""The primary/replica router with two real connections: "default" and a "replica" alias on the
same test database (each with its own connection), so every test sees which one ran a query.
Transactional tests: rows are committed, so both connections see them."""

import time
import types

import pytest
from django.db import connections, transaction
from django.test.utils import CaptureQueriesContext

from accounts.models import User
from core import db_router
from core.db_middleware import WROTE_COOKIE
from tests.factories import UserFactory

pytestmark = [pytest.mark.urls("tests.core.db_urls")]


def _ensure_connection(self):
    # What Django's ensure_connection does. The test case replaces that one with a guard that
    # forbids aliases the test did not declare, and "replica" only exists while these run.
    if self.connection is None:
        with self.wrap_database_errors:
            self.connect()


def _add_replica(**overrides):
    connections.settings["replica"] = {**connections["default"].settings_dict, **overrides}
    replica = connections["replica"]
    replica.ensure_connection = types.MethodType(_ensure_connection, replica)
    db_router.health.reset()


def _remove_replica():
    if "replica" in connections.settings:
        connections["replica"].close()
        del connections["replica"]
        del connections.settings["replica"]
    db_router.health.reset()


@pytest.fixture
def replica(transactional_db):
    _add_replica()
    yield connections["replica"]
    _remove_replica()


@pytest.fixture
def dead_replica(transactional_db):
    _add_replica(PORT="1", OPTIONS={"connect_timeout": 1})
    yield connections["replica"]
    _remove_replica()


@pytest.fixture
def alice(transactional_db):
    return UserFactory(email="alice@example.com")


def _get(client, url, **kwargs):
    """The response and the queries each connection ran for it."""
    with (
        CaptureQueriesContext(connections["default"]) as on_primary,
        CaptureQueriesContext(connections["replica"]) as on_replica,
    ):
        response = client.get(url, **kwargs)
    return response, len(on_primary), len(on_replica)


def test_without_a_replica_everything_uses_default(client, db):
    assert "replica" not in connections.settings
    assert client.get("/read/").json()["alias"] == "default"
    assert User.objects.all().db == "default"


def test_a_get_request_reads_from_the_replica(client, alice, replica):
    response, on_primary, on_replica = _get(client, "/read/")

    assert response.json() == {"alias": "replica", "emails": ["alice@example.com"]}
    assert on_replica >= 2  # the health probe, then the read
    assert on_primary == 0


def test_reads_outside_a_request_use_the_primary(alice, replica):
    # Celery tasks and commands may read what a request committed a moment ago.
    assert User.objects.all().db == "default"


def test_select_for_update_and_writes_use_the_primary_inside_a_get(alice, replica):
    tokens = db_router.allow_replica_reads(True)
    try:
        assert User.objects.select_for_update().db == "default"
        assert db_router.PrimaryReplicaRouter().db_for_write(User) == "default"
    finally:
        db_router.end_request(tokens)


def test_after_a_write_the_request_reads_from_the_primary_and_marks_the_browser(
    client, alice, replica
):
    response, on_primary, _ = _get(client, "/write-then-read/")

    assert response.json() == {"alias": "default", "count": 1}
    assert on_primary == 2
    assert float(response.cookies[WROTE_COOKIE].value) == pytest.approx(time.time(), abs=5)


def test_the_next_requests_of_a_browser_that_wrote_read_from_the_primary(client, alice, replica):
    client.cookies[WROTE_COOKIE] = str(time.time() - 2)

    response, _, on_replica = _get(client, "/read/")

    assert response.json()["alias"] == "default"
    assert on_replica == 0


def test_a_write_older_than_the_window_reads_from_the_replica_again(
    client, alice, replica, settings
):
    settings.READ_YOUR_WRITES_SECONDS = 10
    client.cookies[WROTE_COOKIE] = str(time.time() - 11)

    assert client.get("/read/").json()["alias"] == "replica"


def test_a_garbled_cookie_is_ignored(client, alice, replica):
    client.cookies[WROTE_COOKIE] = "yesterday"

    assert client.get("/read/").json()["alias"] == "replica"


def test_a_post_request_reads_from_the_primary(client, alice, replica):
    with CaptureQueriesContext(connections["replica"]) as on_replica:
        response = client.post("/read/")

    assert response.json()["alias"] == "default"
    assert len(on_replica) == 0
    assert WROTE_COOKIE in response.cookies


def test_reads_inside_a_transaction_stay_on_the_primary(alice, replica):
    tokens = db_router.allow_replica_reads(True)
    try:
        assert User.objects.all().db == "replica"
        with transaction.atomic():
            assert User.objects.all().db == "default"
    finally:
        db_router.end_request(tokens)


def test_an_unreachable_replica_sends_reads_to_the_primary(client, alice, dead_replica):
    started = time.monotonic()

    assert client.get("/read/").json() == {"alias": "default", "emails": ["alice@example.com"]}
    assert time.monotonic() - started < 2


def test_a_lagging_replica_sends_reads_to_the_primary(
    client, alice, replica, monkeypatch, settings
):
    settings.REPLICA_MAX_LAG_SECONDS = 5
    monkeypatch.setattr(db_router, "replica_lag_seconds", lambda: 60.0)

    assert client.get("/read/").json()["alias"] == "default"


def test_the_lag_query_reports_no_lag_on_a_server_that_is_not_in_recovery(replica):
    assert db_router.replica_lag_seconds() == 0


def test_the_replica_health_is_checked_once_per_interval(client, alice, replica, settings):
    settings.REPLICA_CHECK_SECONDS = 60
    client.get("/read/")

    with CaptureQueriesContext(connections["replica"]) as on_replica:
        client.get("/read/")
        client.get("/read/")

    assert len(on_replica) == 2  # the two reads, no probe


def test_a_replica_failing_mid_request_is_retried_on_the_primary(
    client, alice, dead_replica, monkeypatch
):
    # The replica dies between two health checks: the cached state still says "usable".
    monkeypatch.setattr(db_router.health, "usable_now", lambda: True)

    response = client.get("/read/")

    assert response.status_code == 200
    assert response.json() == {"alias": "default", "emails": ["alice@example.com"]}


def test_the_replica_is_never_migrated(replica):
    assert db_router.PrimaryReplicaRouter().allow_migrate("replica", "accounts") is False
    assert db_router.PrimaryReplicaRouter().allow_migrate("default", "accounts") is True
