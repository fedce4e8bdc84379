"""Turning two-factor authentication on from the settings pages."""

import time

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.core import mail
from django.urls import reverse

from tests.accounts.html import input_with_id
from tests.factories import DEFAULT_PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def confirmed(client, learner):
    client.force_login(learner)
    client.post(reverse("account_reauthenticate"), {"password": DEFAULT_PASSWORD})
    return client


def secret_shown_to(client) -> str:
    page = client.get(reverse("mfa_activate_totp")).content.decode()
    return input_with_id(page, "authenticator_secret")["value"]


def code_for(secret: str) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def test_security_pages_ask_to_confirm_the_password_first(client, learner):
    client.force_login(learner)

    response = client.get(reverse("mfa_activate_totp"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("account_reauthenticate"))


def test_wrong_code_when_activating_gives_a_clear_error(confirmed, learner):
    secret = secret_shown_to(confirmed)
    wrong = "000000" if code_for(secret) != "000000" else "111111"

    response = confirmed.post(reverse("mfa_activate_totp"), {"code": wrong})

    assert response.status_code == 200
    assert "Incorrect code." in response.content.decode()
    assert not Authenticator.objects.filter(user=learner).exists()


def test_right_code_activates_the_authenticator_and_sends_a_notice(
    confirmed, learner, django_capture_on_commit_callbacks
):
    secret = secret_shown_to(confirmed)

    with django_capture_on_commit_callbacks(execute=True):
        response = confirmed.post(reverse("mfa_activate_totp"), {"code": code_for(secret)})

    assert response.status_code == 302
    assert Authenticator.objects.filter(user=learner, type=Authenticator.Type.TOTP).exists()
    notice = next(m for m in mail.outbox if "Authenticator App Activated" in m.subject)
    assert "Two-factor authentication is on" in notice.alternatives[0][0]


def test_activation_page_shows_a_qr_code_with_a_text_alternative(confirmed):
    page = confirmed.get(reverse("mfa_activate_totp")).content.decode()

    assert 'class="qr-code"' in page
    assert 'alt="QR code to scan with your authenticator app"' in page
