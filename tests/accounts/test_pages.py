"""Every allauth page renders inside the site's layout, with a label on every input."""

import pytest
from django.urls import reverse

from tests.accounts.html import input_named, unlabelled_inputs
from tests.factories import DEFAULT_PASSWORD

pytestmark = pytest.mark.django_db


def assert_site_page(response, heading: str) -> str:
    assert response.status_code == 200
    page = response.content.decode()
    assert 'class="site-header"' in page
    assert 'class="site-footer"' in page
    assert "<h1>" in page and heading in page
    assert unlabelled_inputs(page) == []
    return page


@pytest.fixture
def recently_authenticated(client, learner):
    """Logged in and just confirmed the password, as allauth asks before security changes."""
    client.force_login(learner)
    client.post(reverse("account_reauthenticate"), {"password": DEFAULT_PASSWORD})
    return client


@pytest.mark.parametrize(
    ("url_name", "heading"),
    [
        ("account_login", "Sign In"),
        ("account_signup", "Sign Up"),
        ("account_reset_password", "Password Reset"),
        ("account_reset_password_done", "Password Reset"),
        ("account_email_verification_sent", "Verify Your Email Address"),
    ],
)
def test_entrance_pages_use_the_site_layout(client, url_name, heading):
    page = assert_site_page(client.get(reverse(url_name)), heading)

    assert "auth-entrance" in page
    assert "Data School" in page.split("<title>")[1].split("</title>")[0]


@pytest.mark.parametrize(
    ("url_name", "heading"),
    [
        ("account_email", "Email Address"),
        ("account_change_password", "Change Password"),
        ("account_logout", "Sign Out"),
        ("account_reauthenticate", "Confirm Access"),
        ("mfa_index", "Two-Factor Authentication"),
        ("mfa_activate_totp", "Activate Authenticator App"),
        ("accounts:profile", "Your profile"),
        ("accounts:delete", "Delete your account"),
    ],
)
def test_signed_in_pages_use_the_site_layout(recently_authenticated, url_name, heading):
    assert_site_page(recently_authenticated.get(reverse(url_name)), heading)


@pytest.mark.parametrize(
    ("url_name", "heading"),
    [
        ("mfa_deactivate_totp", "Deactivate Authenticator App"),
        ("mfa_view_recovery_codes", "Recovery Codes"),
        ("mfa_generate_recovery_codes", "Recovery Codes"),
    ],
)
def test_two_factor_pages_use_the_site_layout(client, totp_learner, url_name, heading):
    client.force_login(totp_learner)
    client.post(reverse("account_reauthenticate"), {"password": DEFAULT_PASSWORD})

    assert_site_page(client.get(reverse(url_name)), heading)


def test_two_factor_code_page_uses_the_site_layout(client, totp_learner):
    client.post(
        reverse("account_login"), {"login": totp_learner.email, "password": DEFAULT_PASSWORD}
    )

    page = assert_site_page(client.get(reverse("mfa_authenticate")), "Two-Factor Authentication")

    assert input_named(page, "code")["autocomplete"] == "one-time-code"


def test_settings_pages_mark_the_current_section(recently_authenticated):
    page = recently_authenticated.get(reverse("mfa_index")).content.decode()

    assert f'href="{reverse("mfa_index")}" aria-current="page"' in page
    assert f'href="{reverse("accounts:profile")}" aria-current' not in page


def test_login_form_keeps_allauths_field_names_and_autocomplete(client):
    page = client.get(reverse("account_login")).content.decode()

    assert input_named(page, "login")["autocomplete"] == "email"
    assert input_named(page, "password")["autocomplete"] == "current-password"


def test_signup_form_keeps_allauths_field_names_and_autocomplete(client):
    page = client.get(reverse("account_signup")).content.decode()

    assert input_named(page, "email")["autocomplete"] == "email"
    assert input_named(page, "password1")["autocomplete"] == "new-password"
    assert input_named(page, "password2")["autocomplete"] == "new-password"


def test_field_errors_are_tied_to_their_input(client):
    page = client.post(reverse("account_signup"), {"email": "not-an-email"}).content.decode()

    email = input_named(page, "email")
    assert email["aria-invalid"] == "true"
    assert "id_email_error" in email["aria-describedby"]
    assert 'id="id_email_error"' in page
