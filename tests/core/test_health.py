from unittest import mock

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_healthz_answers_while_the_process_lives(client):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_readyz_is_ok_when_database_and_redis_answer(client):
    response = client.get(reverse("readyz"))
    assert response.status_code == 200
    assert response.json()["redis"] == "ok"


def test_readyz_is_503_when_redis_is_down(client):
    with mock.patch("core.views.get_redis_connection") as conn:
        conn.return_value.ping.side_effect = ConnectionError("down")
        response = client.get(reverse("readyz"))
    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "ok", "redis": "error"}


def test_pages_still_render_when_redis_is_down(client, settings):
    settings.CACHES = {
        "default": {
            **settings.CACHES["default"],
            "LOCATION": "redis://127.0.0.1:1/0",
        }
    }
    from django.core.cache import caches

    caches._settings = None  # pick up the broken cache for this test only
    try:
        response = client.get(reverse("home"))
    finally:
        caches._settings = None
    assert response.status_code == 200
    assert b"Learn data skills" in response.content
