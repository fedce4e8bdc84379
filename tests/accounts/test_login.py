"""Logging in: passwords, the failed-login rate limit and two-factor codes."""

import pytest
from django.urls import reverse

from tests.accounts.conftest import current_totp_code
from tests.factories import DEFAULT_PASSWORD

pytestmark = pytest.mark.django_db


def log_in(client, email, password=DEFAULT_PASSWORD):
    return client.post(reverse("account_login"), {"login": email, "password": password})


def test_verified_learner_can_log_in(client, learner):
    response = log_in(client, "alice@example.com")

    assert response.status_code == 302
    assert response.url == reverse("home")
    assert client.get(reverse("accounts:profile")).status_code == 200


def test_email_is_matched_without_regard_to_case(client, learner):
    response = log_in(client, "Alice@EXAMPLE.com")

    assert response.status_code == 302


def test_wrong_password_gives_a_clear_error(client, learner):
    response = log_in(client, "alice@example.com", "not-my-password")

    assert response.status_code == 200
    assert "The email address and/or password you specified are not correct." in (
        response.content.decode()
    )


def test_repeated_failed_logins_are_refused_with_429_and_a_message(client, learner):
    for _ in range(5):
        log_in(client, "alice@example.com", "not-my-password")

    response = log_in(client, "alice@example.com")

    assert response.status_code == 429
    assert "Too many failed login attempts. Try again later." in response.content.decode()
    assert client.get(reverse("accounts:profile")).status_code == 302


def test_learner_with_an_authenticator_is_asked_for_a_code(client, totp_learner):
    response = log_in(client, "alice@example.com")

    assert response.status_code == 302
    assert response.url == reverse("mfa_authenticate")
    assert client.get(reverse("accounts:profile")).status_code == 302


def test_wrong_totp_code_gives_a_clear_error(client, totp_learner):
    log_in(client, "alice@example.com")
    wrong = "000000" if current_totp_code() != "000000" else "111111"

    response = client.post(reverse("mfa_authenticate"), {"code": wrong})

    assert response.status_code == 200
    assert "Incorrect code." in response.content.decode()
    assert client.get(reverse("accounts:profile")).status_code == 302


def test_right_totp_code_completes_the_login(client, totp_learner):
    log_in(client, "alice@example.com")

    response = client.post(reverse("mfa_authenticate"), {"code": current_totp_code()})

    assert response.status_code == 302
    assert client.get(reverse("accounts:profile")).status_code == 200


def test_a_recovery_code_completes_the_login(client, totp_learner):
    from allauth.mfa.models import Authenticator
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes

    codes = Authenticator.objects.get(user=totp_learner, type=Authenticator.Type.RECOVERY_CODES)
    log_in(client, "alice@example.com")

    response = client.post(
        reverse("mfa_authenticate"), {"code": RecoveryCodes(codes).get_unused_codes()[0]}
    )

    assert response.status_code == 302
    assert client.get(reverse("accounts:profile")).status_code == 200


def test_logging_out_ends_the_session(client, learner):
    client.force_login(learner)

    response = client.post(reverse("account_logout"))

    assert response.status_code == 302
    assert client.get(reverse("accounts:profile")).status_code == 302
