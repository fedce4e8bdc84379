"""Legal pages: the current version with its date, older versions by number, footer links."""

import pytest
from django.urls import reverse

from legal.models import LegalDocument
from legal.services import publish_version

pytestmark = pytest.mark.django_db

KINDS = ["privacy", "terms", "imprint", "accessibility"]


@pytest.mark.parametrize("kind", KINDS)
def test_each_legal_page_is_seeded_and_public(client, kind):
    response = client.get(reverse("legal:page", args=[kind]))

    assert response.status_code == 200
    assert "Version 1, published" in response.content.decode()


def test_privacy_notice_says_only_essential_cookies_and_no_tracking(client):
    page = client.get(reverse("legal:page", args=["privacy"])).content.decode()

    for cookie in ("sessionid", "csrftoken", "messages"):
        assert cookie in page
    assert "no\nanalytics" in page or "no analytics" in page.replace("\n", " ")
    assert "cookie banner" in page


def test_privacy_notice_explains_account_deletion_and_the_ten_year_order_records(client):
    page = client.get(reverse("legal:page", args=["privacy"])).content.decode().replace("\n", " ")

    assert "Deleting your account" in page
    assert "10 years" in page
    assert "orders" in page


def test_current_page_shows_the_newest_version_and_its_date(client, staff):
    terms = LegalDocument.objects.get(kind="terms")
    new = publish_version(document=terms, body="Brand new terms.", published_by=staff)

    page = client.get(reverse("legal:page", args=["terms"])).content.decode()

    assert "Brand new terms." in page
    assert "Version 2, published" in page
    assert f'datetime="{new.published_at:%Y-%m-%d}"' in page
    assert reverse("legal:version", args=["terms", 1]) in page


def test_older_versions_stay_readable_by_number(client, staff):
    terms = LegalDocument.objects.get(kind="terms")
    first_body = terms.versions.get(number=1).body
    publish_version(document=terms, body="Brand new terms.", published_by=staff)

    response = client.get(reverse("legal:version", args=["terms", 1]))

    page = response.content.decode()
    assert response.status_code == 200
    assert "This is an earlier version" in page
    assert "Brand new terms." not in page
    assert first_body.splitlines()[0] in page


@pytest.mark.parametrize(
    "url",
    ["/legal/cookies/", "/legal/terms/v99/", "/legal/terms/v0/", "/legal/nope/v1/"],
)
def test_unknown_kinds_and_versions_are_404(client, url):
    assert client.get(url).status_code == 404


def test_footer_links_every_legal_page(client):
    page = client.get(reverse("home")).content.decode()

    for kind in KINDS:
        assert f'href="{reverse("legal:page", args=[kind])}"' in page


def test_signup_form_links_terms_and_privacy(client):
    page = client.get(reverse("account_signup")).content.decode()

    assert f'href="{reverse("legal:page", args=["terms"])}"' in page
    assert f'href="{reverse("legal:page", args=["privacy"])}"' in page


def test_delete_account_page_links_the_privacy_notice(client, learner):
    client.force_login(learner)

    page = client.get(reverse("accounts:delete")).content.decode()

    assert f'href="{reverse("legal:page", args=["privacy"])}"' in page


@pytest.mark.django_db(transaction=True)
def test_the_legal_pages_come_back_after_a_flush(client):
    from django.core.management import call_command

    call_command("flush", verbosity=0, interactive=False)
    for kind in ("privacy", "terms", "imprint", "accessibility"):
        assert client.get(reverse("legal:page", args=[kind])).status_code == 200
