"""Forgotten passwords: the reset email, and links that no longer work."""

import datetime as dt
import re

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from tests.factories import DEFAULT_PASSWORD

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a-brand-new-Password-77"


def request_reset(client, captured, email="alice@example.com"):
    with captured(execute=True):
        response = client.post(reverse("account_reset_password"), {"email": email})
    return response


def reset_link() -> str:
    return re.search(
        r"https?://testserver(/accounts/password/reset/key/\S+/)", mail.outbox[-1].body
    )[1]


def test_reset_request_sends_an_email_with_text_and_html(
    client, learner, django_capture_on_commit_callbacks
):
    response = request_reset(client, django_capture_on_commit_callbacks)

    assert response.status_code == 302
    assert response.url == reverse("account_reset_password_done")
    message = mail.outbox[-1]
    assert message.subject == "[Data School] Reset your password"
    html, _ = message.alternatives[0]
    assert "Choose a new password" in html
    assert reset_link() in html


def test_reset_for_an_unknown_address_looks_the_same_to_the_visitor(
    client, django_capture_on_commit_callbacks
):
    response = request_reset(client, django_capture_on_commit_callbacks, "nobody@example.com")

    assert response.status_code == 302
    assert response.url == reverse("account_reset_password_done")
    assert "no account with this address" in mail.outbox[-1].body


def test_reset_link_lets_the_learner_choose_a_new_password(
    client, learner, django_capture_on_commit_callbacks
):
    request_reset(client, django_capture_on_commit_callbacks)

    form_page = client.get(reset_link(), follow=True)
    assert b"Change Password" in form_page.content
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            form_page.redirect_chain[-1][0],
            {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
        )

    assert response.status_code == 302
    learner.refresh_from_db()
    assert learner.check_password(NEW_PASSWORD)
    assert mail.outbox[-1].subject == "[Data School] Password Reset"


def test_expired_reset_link_shows_the_bad_token_message(
    client, learner, django_capture_on_commit_callbacks
):
    request_reset(client, django_capture_on_commit_callbacks)
    link = reset_link()

    with time_machine.travel(dt.datetime.now(tz=dt.UTC) + dt.timedelta(days=4)):
        response = client.get(link, follow=True)

    assert response.status_code == 200
    assert b"Bad Token" in response.content
    assert b"The password reset link was invalid" in response.content


def test_used_reset_link_shows_the_bad_token_message(
    client, learner, django_capture_on_commit_callbacks
):
    request_reset(client, django_capture_on_commit_callbacks)
    link = reset_link()
    learner.set_password("changed-meanwhile-Password-1")
    learner.save()

    response = client.get(link, follow=True)

    assert response.status_code == 200
    assert b"Bad Token" in response.content


def test_garbled_reset_link_shows_the_bad_token_message_not_an_error(client):
    response = client.get(
        reverse("account_reset_password_from_key", kwargs={"uidb36": "zz", "key": "x-y"}),
        follow=True,
    )

    assert response.status_code == 200
    assert b"Bad Token" in response.content


def test_weak_new_password_on_reset_gives_a_clear_error(
    client, learner, django_capture_on_commit_callbacks
):
    request_reset(client, django_capture_on_commit_callbacks)
    form_page = client.get(reset_link(), follow=True)

    response = client.post(
        form_page.redirect_chain[-1][0], {"password1": "qwertyuiop", "password2": "qwertyuiop"}
    )

    assert response.status_code == 200
    assert "This password is too common." in response.content.decode()
    learner.refresh_from_db()
    assert learner.check_password(DEFAULT_PASSWORD)
