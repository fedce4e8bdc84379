"""Security notices allauth sends after account changes come as text and HTML."""

import pytest
from django.core import mail
from django.urls import reverse

from tests.factories import DEFAULT_PASSWORD

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "another-Strong-passw0rd"


def test_changing_the_password_sends_a_notice_with_text_and_html(
    client, learner, django_capture_on_commit_callbacks
):
    client.force_login(learner)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("account_change_password"),
            {"oldpassword": DEFAULT_PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
        )

    assert response.status_code == 302
    notice = mail.outbox[-1]
    assert notice.to == ["alice@example.com"]
    assert notice.subject == "[Data School] Password Changed"
    assert "If it was not you, reset your password now" in notice.body
    html, mimetype = notice.alternatives[0]
    assert mimetype == "text/html"
    assert "Your password changed" in html


def test_wrong_current_password_on_change_gives_a_clear_error(client, learner):
    client.force_login(learner)

    response = client.post(
        reverse("account_change_password"),
        {"oldpassword": "not-it", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )

    assert response.status_code == 200
    assert "Please type your current password." in response.content.decode()


def test_changing_the_email_sends_a_confirmation_to_the_new_address(
    logged_in, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        logged_in.post(reverse("account_email"), {"action_add": "", "email": "alice@new.example"})

    message = mail.outbox[-1]
    assert message.to == ["alice@new.example"]
    assert message.subject == "[Data School] Confirm your email address"
    assert "Confirm my email address" in message.alternatives[0][0]
