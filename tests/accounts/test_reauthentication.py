"""Email and two-factor changes ask for the password again once the login is a few minutes old."""

import datetime as dt

import pytest
import time_machine
from allauth.account.models import EmailAddress
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from tests.factories import DEFAULT_PASSWORD

pytestmark = pytest.mark.django_db

NEW_ADDRESS = "alice.new@example.com"


@pytest.fixture
def clock():
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        yield traveller


@pytest.fixture
def logged_in(clock, logged_in):
    """Logged in through the form (tests/accounts/conftest.py) at the clock's time."""
    return logged_in


def later_than_the_timeout(clock):
    clock.shift(dt.timedelta(seconds=settings.ACCOUNT_REAUTHENTICATION_TIMEOUT + 60))


def add_email(client):
    return client.post(reverse("account_email"), {"email": NEW_ADDRESS, "action_add": ""})


def test_a_fresh_login_can_add_an_email_address(logged_in, learner):
    response = add_email(logged_in)

    assert response.status_code == 302
    assert EmailAddress.objects.filter(user=learner, email=NEW_ADDRESS).exists()


def test_an_older_login_is_asked_for_the_password_before_adding_an_address(
    logged_in, learner, clock
):
    later_than_the_timeout(clock)

    response = add_email(logged_in)

    assert response.status_code == 302
    assert response.url.startswith(reverse("account_reauthenticate"))
    assert not EmailAddress.objects.filter(email=NEW_ADDRESS).exists()


def test_after_the_password_is_entered_again_the_address_is_added(logged_in, learner, clock):
    later_than_the_timeout(clock)
    reauthenticate_url = add_email(logged_in).url

    page = logged_in.get(reauthenticate_url)
    assert page.status_code == 200
    response = logged_in.post(reauthenticate_url, {"password": DEFAULT_PASSWORD})

    assert response.status_code == 302
    assert EmailAddress.objects.filter(user=learner, email=NEW_ADDRESS).exists()


def test_a_wrong_password_does_not_add_the_address(logged_in, clock):
    later_than_the_timeout(clock)
    reauthenticate_url = add_email(logged_in).url

    response = logged_in.post(reauthenticate_url, {"password": "not-my-password"})

    assert response.status_code == 200
    assert not EmailAddress.objects.filter(email=NEW_ADDRESS).exists()


def test_an_older_login_is_asked_for_the_password_before_removing_an_address(
    logged_in, learner, clock
):
    EmailAddress.objects.create(user=learner, email=NEW_ADDRESS, verified=True)
    later_than_the_timeout(clock)

    response = logged_in.post(reverse("account_email"), {"email": NEW_ADDRESS, "action_remove": ""})

    assert response.url.startswith(reverse("account_reauthenticate"))
    assert EmailAddress.objects.filter(email=NEW_ADDRESS).exists()


def test_a_fresh_login_can_open_the_two_factor_set_up(logged_in):
    response = logged_in.get(reverse("mfa_activate_totp"))

    assert response.status_code == 200


def test_an_older_login_is_asked_for_the_password_before_two_factor_set_up(logged_in, clock):
    later_than_the_timeout(clock)

    response = logged_in.get(reverse("mfa_activate_totp"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("account_reauthenticate"))
