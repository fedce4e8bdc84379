"""The verify-email pages offer to send the link again, without saying who is registered."""

import datetime as dt
import re

import pytest
import time_machine
from allauth.account.models import EmailAddress
from django.core import mail
from django.template.loader import render_to_string
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone

from tests.accounts.html import input_named
from tests.accounts.test_signup import STRONG_PASSWORD, confirmation_link
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

RESEND_URL = reverse("accounts:resend_verification")
# allauth sends at most one verification email per address every 3 minutes (confirm_email).
PAST_THE_LIMIT = dt.timedelta(minutes=4)


@pytest.fixture
def clock():
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        yield traveller


@pytest.fixture
def signed_up(client, clock, django_capture_on_commit_callbacks):
    """Someone signed up as new@example.com, saw the "check your inbox" page, a while ago."""
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("account_signup"),
            {
                "email": "new@example.com",
                "password1": STRONG_PASSWORD,
                "password2": STRONG_PASSWORD,
                "accept_terms": "on",
            },
        )
    assert len(mail.outbox) == 1
    client.get(reverse("account_email_verification_sent"))
    clock.shift(PAST_THE_LIMIT)
    return client


def resend(client, email, capture):
    with capture(execute=True):
        return client.post(RESEND_URL, {"email": email})


def test_verification_page_offers_a_resend_form_instead_of_contact_us(client):
    page = client.get(reverse("account_email_verification_sent")).content.decode()

    form = re.search(r'<form method="post" action="([^"]+)"[^>]*>(.*?)</form>', page, re.S)
    assert form.group(1) == RESEND_URL
    assert 'name="csrfmiddlewaretoken"' in form.group(2)
    assert input_named(form.group(2), "email")["type"] == "email"
    assert "Resend the verification email" in form.group(2)
    assert "contact us" not in page.lower()


def test_resending_sends_a_new_working_link(signed_up, django_capture_on_commit_callbacks):
    response = resend(signed_up, "New@Example.com", django_capture_on_commit_callbacks)

    assert response.status_code == 302
    assert response.url == reverse("account_email_verification_sent")
    assert len(mail.outbox) == 2
    assert mail.outbox[1].to == ["new@example.com"]
    with django_capture_on_commit_callbacks(execute=True):
        signed_up.post(confirmation_link(mail.outbox[1]))
    assert EmailAddress.objects.get(email="new@example.com").verified is True


def test_resending_again_at_once_is_held_back_by_the_rate_limit(
    signed_up, django_capture_on_commit_callbacks
):
    resend(signed_up, "new@example.com", django_capture_on_commit_callbacks)

    response = resend(signed_up, "new@example.com", django_capture_on_commit_callbacks)

    assert response.status_code == 302
    assert len(mail.outbox) == 2


def test_right_after_sign_up_the_first_email_still_counts_against_the_limit(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("account_signup"),
            {
                "email": "new@example.com",
                "password1": STRONG_PASSWORD,
                "password2": STRONG_PASSWORD,
                "accept_terms": "on",
            },
        )

    resend(client, "new@example.com", django_capture_on_commit_callbacks)

    assert len(mail.outbox) == 1


@pytest.mark.parametrize("registered", ["nobody@example.com", "alice@example.com"])
def test_unknown_or_verified_addresses_get_the_same_answer_and_no_email(
    signed_up, learner, registered, django_capture_on_commit_callbacks
):
    waiting = resend(signed_up, "new@example.com", django_capture_on_commit_callbacks)
    waiting_page = signed_up.get(waiting.url).content.decode()
    other = Client()

    response = resend(other, registered, django_capture_on_commit_callbacks)

    assert (response.status_code, response.url) == (waiting.status_code, waiting.url)
    page = other.get(response.url).content.decode()
    assert strip_tokens(page) == strip_tokens(waiting_page)
    assert len(mail.outbox) == 2
    assert all(registered not in message.to for message in mail.outbox)


def strip_tokens(page: str) -> str:
    return re.sub(r"[A-Za-z0-9]{64}", "TOKEN", page)


def test_a_malformed_address_gets_a_form_error(client):
    response = client.post(RESEND_URL, {"email": "not-an-email"})

    assert response.status_code == 400
    page = response.content.decode()
    assert "Enter a valid email address." in page
    assert input_named(page, "email")["aria-invalid"] == "true"


def test_the_resend_form_needs_the_csrf_token(signed_up):
    strict = Client(enforce_csrf_checks=True)

    response = strict.post(RESEND_URL, {"email": "new@example.com"})

    assert response.status_code == 403
    assert len(mail.outbox) == 1


def test_resend_only_accepts_posts(client):
    assert client.get(RESEND_URL).status_code == 405


def test_verified_email_required_page_offers_the_form_with_the_learners_address():
    user = UserFactory(email="pending@example.com", verified=False)
    request = RequestFactory().get("/")
    request.user = user

    page = render_to_string("account/verified_email_required.html", request=request)

    assert f'action="{RESEND_URL}"' in page
    assert input_named(page, "email")["value"] == "pending@example.com"
    assert "contact us" not in page.lower()
