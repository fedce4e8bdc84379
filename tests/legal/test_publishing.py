"""Staff publish new versions in the admin; published versions are never changed or deleted."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from legal.models import LegalDocument, LegalVersion
from legal.services import publish_version

pytestmark = pytest.mark.django_db


def test_publishing_numbers_versions_one_after_another(staff):
    privacy = LegalDocument.objects.get(kind="privacy")

    second = publish_version(document=privacy, body="v2", published_by=staff)
    third = publish_version(document=privacy, body="v3", published_by=staff)

    assert (second.number, third.number) == (2, 3)
    assert third.published_at >= second.published_at
    assert privacy.versions.get(number=1).body != "v2"


def test_publishing_an_empty_text_is_refused(staff):
    with pytest.raises(ValidationError):
        publish_version(document=LegalDocument.objects.get(kind="terms"), body="  ")


def test_staff_publish_a_new_version_in_the_admin(client, staff):
    client.force_login(staff)
    terms = LegalDocument.objects.get(kind="terms")
    add_url = reverse("admin:legal_legalversion_add")

    form = client.get(add_url, {"document": terms.pk})
    response = client.post(
        add_url, {"document": terms.pk, "body": "Edited terms.", "change_note": "typo"}
    )

    assert form.status_code == 200
    # The form starts from the current text, so staff edit rather than retype.
    assert "These terms apply when you use Data School." in form.content.decode()
    assert response.status_code == 302
    latest = terms.versions.order_by("-number").first()
    assert (latest.number, latest.body, latest.published_by) == (2, "Edited terms.", staff)


def test_a_published_version_cannot_be_edited_or_deleted_in_the_admin(client, staff):
    client.force_login(staff)
    version = LegalVersion.objects.get(document__kind="terms", number=1)
    body = version.body

    client.post(
        reverse("admin:legal_legalversion_change", args=[version.pk]),
        {"document": version.document_id, "body": "Rewritten history."},
    )
    deleted = client.post(
        reverse("admin:legal_legalversion_delete", args=[version.pk]), {"post": "yes"}
    )

    version.refresh_from_db()
    assert version.body == body
    assert deleted.status_code == 403


def test_learners_cannot_publish(client, learner):
    client.force_login(learner)

    response = client.post(
        reverse("admin:legal_legalversion_add"),
        {"document": LegalDocument.objects.get(kind="terms").pk, "body": "Mine now."},
    )

    assert response.status_code == 302  # to the admin login
    assert not LegalVersion.objects.filter(body="Mine now.").exists()
