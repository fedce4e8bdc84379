"""Failed-login limits count the real client, behind the reverse proxy or not (real Redis)."""

import os
import subprocess
import sys

import pytest
from django.conf import settings as django_settings
from django.urls import reverse

from accounts.models import User
from tests.factories import DEFAULT_PASSWORD

pytestmark = pytest.mark.django_db

# allauth's ACCOUNT_RATE_LIMITS["login_failed"] allows 10 failures a minute per client address.
FAILURES_ALLOWED = 10


def log_in(client, email, password, **headers):
    return client.post(
        reverse("account_login"), {"login": email, "password": password}, headers=headers
    )


def fail_until_refused(client, **headers):
    """Wrong passwords for different addresses: the per-address limit never trips, only the
    per-client one."""
    for n in range(FAILURES_ALLOWED):
        response = log_in(client, f"guess{n}@example.com", "wrong-password", **headers)
        assert response.status_code == 200
    return log_in(client, "guess-last@example.com", "wrong-password", **headers)


@pytest.fixture
def behind_one_proxy(settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1


def test_a_client_over_the_failed_login_limit_gets_429_with_an_explanation(client):
    response = fail_until_refused(client)

    assert response.status_code == 429
    assert "Too many failed login attempts. Try again later." in response.content.decode()


def test_behind_the_proxy_one_clients_failures_do_not_lock_out_another(
    behind_one_proxy, client, learner
):
    attacker = fail_until_refused(client, x_forwarded_for="198.51.100.7")
    assert attacker.status_code == 429

    response = log_in(client, "alice@example.com", DEFAULT_PASSWORD, x_forwarded_for="203.0.113.9")

    assert response.status_code == 302
    assert client.get(reverse("accounts:profile")).status_code == 200


def test_behind_the_proxy_a_forged_forwarded_for_prefix_does_not_escape_the_limit(
    behind_one_proxy, client
):
    # The proxy appends the address it saw; anything before it is the client's own word.
    for n in range(FAILURES_ALLOWED):
        log_in(
            client,
            f"guess{n}@example.com",
            "wrong-password",
            x_forwarded_for=f"10.0.0.{n}, 198.51.100.7",
        )

    response = log_in(
        client, "guess@example.com", "wrong-password", x_forwarded_for="10.9.9.9, 198.51.100.7"
    )

    assert response.status_code == 429


def test_without_a_proxy_a_forged_forwarded_for_does_not_escape_the_limit(client, learner):
    for n in range(FAILURES_ALLOWED):
        log_in(client, f"guess{n}@example.com", "wrong-password", x_forwarded_for=f"10.0.0.{n}")

    response = log_in(client, "alice@example.com", DEFAULT_PASSWORD, x_forwarded_for="10.9.9.9")

    assert response.status_code == 429
    assert client.get(reverse("accounts:profile")).status_code == 302


def test_a_client_ip_header_set_by_the_proxy_tells_clients_apart(settings, client, learner):
    settings.ALLAUTH_TRUSTED_CLIENT_IP_HEADER = "X-Real-IP"
    assert fail_until_refused(client, x_real_ip="198.51.100.7").status_code == 429

    response = log_in(client, "alice@example.com", DEFAULT_PASSWORD, x_real_ip="203.0.113.9")

    assert response.status_code == 302


@pytest.mark.parametrize(
    ("environment", "expected"),
    [
        ({}, "0 None"),
        ({"TRUSTED_PROXY_COUNT": "1"}, "1 None"),
        ({"TRUSTED_CLIENT_IP_HEADER": "X-Real-IP"}, "0 X-Real-IP"),
    ],
)
def test_the_proxy_settings_come_from_the_environment(environment, expected):
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"TRUSTED_PROXY_COUNT", "TRUSTED_CLIENT_IP_HEADER"}
    }
    env.update(environment, DJANGO_SETTINGS_MODULE="config.settings.test")
    code = (
        "from django.conf import settings; "
        "print(settings.ALLAUTH_TRUSTED_PROXY_COUNT, settings.ALLAUTH_TRUSTED_CLIENT_IP_HEADER)"
    )

    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", code],
        env=env,
        cwd=django_settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=True,
    )

    assert result.stdout.strip() == expected


def sign_up(client, email, **headers):
    password = "plums-and-Tangerines-42"
    return client.post(
        reverse("account_signup"),
        {"email": email, "password1": password, "password2": password, "accept_terms": "on"},
        headers=headers,
    )


def test_behind_the_proxy_one_clients_sign_ups_do_not_use_up_anothers(
    behind_one_proxy, settings, client
):
    # The same per-client counting as ACCOUNT_RATE_LIMITS["signup"], with a smaller limit.
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "signup": "3/m/ip"}
    for n in range(3):
        sign_up(client, f"bulk{n}@example.com", x_forwarded_for="198.51.100.7")
    assert sign_up(client, "more@example.com", x_forwarded_for="198.51.100.7").status_code == 429

    response = sign_up(client, "newcomer@example.com", x_forwarded_for="203.0.113.9")

    assert response.status_code == 302
    assert User.objects.filter(email="newcomer@example.com").exists()
