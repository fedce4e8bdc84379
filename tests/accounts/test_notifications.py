"""Security notices allauth sends after account changes come as text and HTML."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.test import Client
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


def test_adding_another_accounts_address_answers_as_usual_and_can_never_take_it(
    logged_in, learner, other_learner, django_capture_on_commit_callbacks
):
    """Enumeration prevention: the page cannot tell that the address is taken, and even a
    confirmation clicked by its owner leaves it with the owner."""
    with django_capture_on_commit_callbacks(execute=True):
        response = logged_in.post(
            reverse("account_email"), {"action_add": "", "email": "BOB@example.com"}
        )

    assert response.status_code == 302
    assert response.url == reverse("account_email")
    assert [message.to for message in mail.outbox] == [["bob@example.com"]]
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", mail.outbox[0].body).group(0)
    with django_capture_on_commit_callbacks(execute=True):
        Client().post(link)
    assert not EmailAddress.objects.filter(user=learner, email="bob@example.com", verified=True)
    assert EmailAddress.objects.get(email="bob@example.com", verified=True).user == other_learner
    assert EmailAddress.objects.get(user=learner, primary=True).email == "alice@example.com"
