"""Sign-up, the verification email and the welcome email."""

import re

import pytest
from allauth.account.models import EmailAddress, EmailConfirmationHMAC
from django.core import mail
from django.test import Client
from django.urls import reverse

from accounts.models import User
from tests.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

STRONG_PASSWORD = "plums-and-Tangerines-42"


def sign_up(client, email="new@example.com", password=STRONG_PASSWORD, password2=None):
    return client.post(
        reverse("account_signup"),
        {
            "email": email,
            "password1": password,
            "password2": password2 or password,
            "accept_terms": "on",
        },
    )


def page_without(response, email: str) -> str:
    """The page minus what differs between any two visitors: the CSRF token, the address."""
    page = response.content.decode().replace(email, "ADDRESS")
    return re.sub(r"[A-Za-z0-9]{64}", "TOKEN", page)


def confirmation_link(message) -> str:
    return re.search(r"https?://\S+/accounts/confirm-email/\S+/", message.body).group(0)


def test_sign_up_sends_a_verification_email_with_text_and_html(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = sign_up(client)

    assert response.status_code == 302
    assert response.url == reverse("account_email_verification_sent")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["new@example.com"]
    assert message.subject == "[Data School] Confirm your email address to finish signing up"
    assert "/accounts/confirm-email/" in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert "Confirm my email address" in html
    assert confirmation_link(message).split("testserver", 1)[1] in html


def test_sign_up_creates_an_unverified_account(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        sign_up(client, email="New.Person@Example.com")

    user = User.objects.get()
    assert user.email == "new.person@example.com"
    assert EmailAddress.objects.get(user=user).verified is False


def test_verification_sent_page_tells_the_person_to_check_their_inbox(client):
    response = client.get(reverse("account_email_verification_sent"))
    assert response.status_code == 200
    assert b"Verify Your Email Address" in response.content


def test_sign_up_with_a_registered_address_looks_the_same_as_with_a_new_one(
    client, django_capture_on_commit_callbacks
):
    UserFactory(email="taken@example.com")
    with django_capture_on_commit_callbacks(execute=True):
        new = sign_up(client, email="new@example.com")
    other_visitor = Client()
    with django_capture_on_commit_callbacks(execute=True):
        taken = sign_up(other_visitor, email="TAKEN@Example.com")

    assert (taken.status_code, taken.url) == (new.status_code, new.url)
    assert taken.url == reverse("account_email_verification_sent")
    assert page_without(other_visitor.get(taken.url), "taken@example.com") == page_without(
        client.get(new.url), "new@example.com"
    )


def test_sign_up_with_a_registered_address_emails_its_owner_and_creates_no_account(
    client, django_capture_on_commit_callbacks
):
    owner = UserFactory(email="taken@example.com")

    with django_capture_on_commit_callbacks(execute=True):
        sign_up(client, email="TAKEN@Example.com")

    assert list(User.objects.all()) == [owner]
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["taken@example.com"]
    assert message.subject == "[Data School] Someone tried to sign up with your email address"
    assert "you already have a Data School account with it" in message.body
    assert "/accounts/password/reset/" in message.body
    assert "/accounts/confirm-email/" not in message.body
    assert "Choose a new password" in message.alternatives[0][0]


def test_sign_up_with_a_common_password_is_refused_with_a_clear_error(client):
    response = sign_up(client, password="password123")

    assert response.status_code == 200
    assert "This password is too common." in response.content.decode()
    assert not User.objects.exists()


def test_sign_up_with_a_short_password_is_refused_with_a_clear_error(client):
    response = sign_up(client, password="Xy7-abc")

    assert "This password is too short. It must contain at least 10 characters." in (
        response.content.decode()
    )
    assert not User.objects.exists()


def test_sign_up_with_mismatched_passwords_is_refused(client):
    response = sign_up(client, password2="something-else-entirely-9")

    assert "You must type the same password each time." in response.content.decode()
    assert not User.objects.exists()


def test_confirming_the_address_verifies_it_and_logs_the_new_learner_in(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        sign_up(client)
    link = confirmation_link(mail.outbox[0])

    page = client.get(link)
    assert page.status_code == 200
    assert b"Confirm Email Address" in page.content
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(link)

    assert response.status_code == 302
    assert EmailAddress.objects.get(email="new@example.com").verified is True
    assert client.get(reverse("accounts:profile")).status_code == 200


def test_first_confirmed_address_gets_a_welcome_email_with_text_and_html(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        sign_up(client)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(confirmation_link(mail.outbox[0]))

    welcome = mail.outbox[-1]
    assert welcome.subject == "Welcome to Data School"
    assert welcome.to == ["new@example.com"]
    assert "Welcome to Data School!" in welcome.body
    html, mimetype = welcome.alternatives[0]
    assert mimetype == "text/html"
    assert "Browse the courses" in html


def test_welcome_email_escapes_the_display_name_in_html(django_capture_on_commit_callbacks):
    from accounts.services import send_welcome_email

    user = UserFactory(display_name="<b>Mallory</b>")
    with django_capture_on_commit_callbacks(execute=True):
        send_welcome_email(user=user)

    html = mail.outbox[0].alternatives[0][0]
    assert "<b>Mallory</b>" not in html
    assert "&lt;b&gt;Mallory&lt;/b&gt;" in html


def test_confirming_a_second_address_sends_no_second_welcome(
    client, learner, django_capture_on_commit_callbacks
):
    new_address = EmailAddress.objects.create(user=learner, email="alice.new@example.com")
    key = EmailConfirmationHMAC(new_address).key

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_confirm_email", args=[key]))

    assert EmailAddress.objects.get(email="alice.new@example.com").verified is True
    assert all(message.subject != "Welcome to Data School" for message in mail.outbox)


def test_an_invalid_confirmation_link_explains_it_has_expired(client):
    response = client.get(reverse("account_confirm_email", args=["not-a-real-key"]))

    assert response.status_code == 200
    assert b"This email confirmation link expired or is invalid." in response.content


def test_unverified_learner_cannot_log_in_and_is_sent_to_the_verification_page(
    client, django_capture_on_commit_callbacks
):
    UserFactory(email="pending@example.com", verified=False)
    EmailAddress.objects.create(
        user=User.objects.get(email="pending@example.com"),
        email="pending@example.com",
        primary=True,
        verified=False,
    )

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("account_login"),
            {"login": "pending@example.com", "password": DEFAULT_PASSWORD},
        )

    assert response.status_code == 302
    assert response.url == reverse("account_email_verification_sent")
    assert client.get(reverse("accounts:profile")).status_code == 302
    assert mail.outbox[-1].to == ["pending@example.com"]
