"""Sign-up requires accepting the terms and privacy notice, and records which versions."""

import pytest
from django.urls import reverse

from accounts.models import User
from legal.models import LegalDocument, LegalVersion, TermsAcceptance
from legal.services import publish_version

pytestmark = pytest.mark.django_db

PASSWORD = "plums-and-Tangerines-42"


def sign_up(client, email="new@example.com", **extra):
    data = {"email": email, "password1": PASSWORD, "password2": PASSWORD, **extra}
    return client.post(reverse("account_signup"), data)


def test_sign_up_without_accepting_the_terms_is_a_form_error(client):
    response = sign_up(client)

    assert response.status_code == 200
    assert "Please accept the terms and the privacy notice" in response.content.decode()
    assert not User.objects.exists()
    assert not TermsAcceptance.objects.exists()


def test_sign_up_records_the_accepted_terms_and_privacy_versions(client):
    response = sign_up(client, accept_terms="on")

    assert response.status_code == 302
    acceptance = TermsAcceptance.objects.get(user__email="new@example.com")
    assert acceptance.terms_version == LegalVersion.objects.get(document__kind="terms", number=1)
    assert acceptance.privacy_version == LegalVersion.objects.get(
        document__kind="privacy", number=1
    )
    assert acceptance.accepted_at is not None
    assert acceptance.source == "signup"


def test_sign_up_after_new_terms_records_the_new_version(client, staff):
    publish_version(document=LegalDocument.objects.get(kind="terms"), body="v2", published_by=staff)

    sign_up(client, accept_terms="on")

    assert TermsAcceptance.objects.get().terms_version.number == 2


def test_a_new_terms_version_leaves_earlier_acceptances_on_the_old_version(client, staff):
    sign_up(client, accept_terms="on")

    publish_version(document=LegalDocument.objects.get(kind="terms"), body="v2", published_by=staff)

    acceptance = TermsAcceptance.objects.get(user__email="new@example.com")
    assert acceptance.terms_version.number == 1


def test_signup_checkbox_is_required_and_labelled(client):
    page = client.get(reverse("account_signup")).content.decode()

    assert 'name="accept_terms"' in page
    assert 'id="id_accept_terms" required' in page or ('required id="id_accept_terms"' in page)
    assert '<label for="id_accept_terms">I accept the' in page


def test_deleting_an_account_removes_its_acceptances(client):
    sign_up(client, accept_terms="on")

    User.objects.get(email="new@example.com").delete()

    assert not TermsAcceptance.objects.exists()
