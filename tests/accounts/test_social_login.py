"""Google and GitHub buttons appear only when their keys are configured."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

GOOGLE = {"google": {"APPS": [{"client_id": "g-id", "secret": "g-secret"}]}}
GITHUB = {"github": {"APPS": [{"client_id": "gh-id", "secret": "gh-secret"}]}}


@pytest.mark.parametrize("url_name", ["account_login", "account_signup"])
def test_no_social_buttons_without_keys(client, settings, url_name):
    settings.SOCIALACCOUNT_PROVIDERS = {}

    page = client.get(reverse(url_name)).content.decode()

    assert "Continue with Google" not in page
    assert "Continue with GitHub" not in page
    assert "Or continue with" not in page


@pytest.mark.parametrize("url_name", ["account_login", "account_signup"])
def test_google_and_github_buttons_appear_when_their_keys_are_set(client, settings, url_name):
    settings.SOCIALACCOUNT_PROVIDERS = {**GOOGLE, **GITHUB}

    page = client.get(reverse(url_name)).content.decode()

    assert "Continue with Google" in page
    assert reverse("google_login") in page
    assert "Continue with GitHub" in page
    assert reverse("github_login") in page


def test_only_the_configured_provider_is_offered(client, settings):
    settings.SOCIALACCOUNT_PROVIDERS = GITHUB

    page = client.get(reverse("account_login")).content.decode()

    assert "Continue with GitHub" in page
    assert "Continue with Google" not in page


def test_social_login_start_page_asks_to_continue_with_a_post(client, settings):
    settings.SOCIALACCOUNT_PROVIDERS = GITHUB

    response = client.get(reverse("github_login"))

    assert response.status_code == 200
    assert 'method="post"' in response.content.decode()


def test_a_first_social_sign_in_shows_the_sign_up_form_with_the_terms(rf, settings):
    """Auto sign-up would create the account without the terms box: it stays off."""
    from allauth.socialaccount.adapter import get_adapter
    from allauth.socialaccount.models import SocialAccount, SocialLogin

    from accounts.models import User

    settings.SOCIALACCOUNT_PROVIDERS = GITHUB
    sociallogin = SocialLogin(
        user=User(email="new@example.com"),
        account=SocialAccount(provider="github", uid="42"),
    )
    assert not get_adapter().is_auto_signup_allowed(rf.get("/"), sociallogin)
