"""/metrics: open to loopback (directly or through the local nginx), else only with the token."""

import pytest

TOKEN = "metrics-token-for-tests-0123456789"


@pytest.fixture(autouse=True)
def _token(settings):
    settings.METRICS_TOKEN = TOKEN


def test_loopback_reads_request_database_cache_and_queue_metrics(client, db):
    client.get("/healthz")
    client.get("/courses/")

    response = client.get("/metrics", REMOTE_ADDR="127.0.0.1")

    assert response.status_code == 200
    body = response.content.decode()
    assert "django_http_requests_latency_seconds_by_view_method" in body
    assert "django_db_query_duration_seconds" in body
    assert "dataschool_cache_operation_seconds" in body
    assert 'dataschool_celery_queue_length{queue="celery"}' in body


def test_a_remote_client_without_the_token_gets_404(client, db):
    assert client.get("/metrics", REMOTE_ADDR="203.0.113.5").status_code == 404


def test_a_remote_client_with_a_wrong_token_gets_404(client, db):
    response = client.get(
        "/metrics", REMOTE_ADDR="203.0.113.5", headers={"Authorization": "Bearer nope"}
    )
    assert response.status_code == 404


def test_a_remote_client_with_the_token_gets_200(client, db):
    response = client.get(
        "/metrics", REMOTE_ADDR="203.0.113.5", headers={"Authorization": f"Bearer {TOKEN}"}
    )
    assert response.status_code == 200


def test_a_remote_client_through_the_local_proxy_needs_the_token(client, db):
    response = client.get(
        "/metrics", REMOTE_ADDR="127.0.0.1", headers={"X-Forwarded-For": "203.0.113.5"}
    )
    assert response.status_code == 404


def test_a_loopback_client_through_the_local_proxy_is_allowed(client, db):
    response = client.get(
        "/metrics", REMOTE_ADDR="127.0.0.1", headers={"X-Forwarded-For": "127.0.0.1"}
    )
    assert response.status_code == 200


def test_without_a_token_set_remote_clients_never_get_in(client, db, settings):
    settings.METRICS_TOKEN = ""
    response = client.get(
        "/metrics", REMOTE_ADDR="203.0.113.5", headers={"Authorization": "Bearer "}
    )
    assert response.status_code == 404
