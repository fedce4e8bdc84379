"""A database outage answers a quick 503 with Retry-After, never a 500 page."""

import pytest
from django.db import InterfaceError, OperationalError
from django.test import Client, RequestFactory

from core.views import server_error


@pytest.mark.urls("tests.core.db_urls")
def test_a_view_that_cannot_reach_the_database_answers_503(db):
    response = Client(raise_request_exception=False).get("/database-down/")

    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert response["Cache-Control"] == "no-store"
    assert "Back in a moment" in response.content.decode()


@pytest.mark.parametrize("error", [OperationalError, InterfaceError])
def test_a_database_error_outside_a_view_is_a_503_too(error):
    # E.g. the session saved on the way out: the handler500 sees the exception being handled.
    try:
        raise error("server closed the connection unexpectedly")
    except error:
        response = server_error(RequestFactory().get("/"))

    assert response.status_code == 503


def test_other_errors_stay_500():
    try:
        raise ValueError("bug")
    except ValueError:
        response = server_error(RequestFactory().get("/"))

    assert response.status_code == 500
