"""Deleting an account: confirmed by password, removes the person's data, logs out."""

from pathlib import Path

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.urls import reverse

from accounts.models import User
from tests.accounts.conftest import image_upload
from tests.factories import DEFAULT_PASSWORD

pytestmark = pytest.mark.django_db


def test_deleting_with_the_right_password_removes_the_person_and_their_data(
    client, totp_learner, django_capture_on_commit_callbacks
):
    client.force_login(totp_learner)
    client.post(
        reverse("accounts:profile"), {"display_name": "A", "bio": "", "avatar": image_upload()}
    )
    totp_learner.refresh_from_db()
    avatar = Path(totp_learner.avatar.path)
    assert avatar.exists()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:delete"), {"password": DEFAULT_PASSWORD})

    assert response.status_code == 302
    assert response.url == reverse("home")
    assert not User.objects.filter(email="alice@example.com").exists()
    assert not EmailAddress.objects.filter(email="alice@example.com").exists()
    assert not Authenticator.objects.filter(user_id=totp_learner.pk).exists()
    assert not avatar.exists()


def test_deleting_logs_the_person_out_and_says_so(client, learner):
    client.force_login(learner)

    response = client.post(reverse("accounts:delete"), {"password": DEFAULT_PASSWORD}, follow=True)

    assert "Your account and personal data have been deleted." in response.content.decode()
    assert client.get(reverse("accounts:profile")).status_code == 302


def test_deleting_leaves_other_learners_alone(client, learner, other_learner):
    client.force_login(learner)

    client.post(reverse("accounts:delete"), {"password": DEFAULT_PASSWORD})

    assert User.objects.filter(pk=other_learner.pk).exists()
    assert EmailAddress.objects.filter(user=other_learner).exists()


def test_wrong_password_gives_a_form_error_and_keeps_the_account(client, learner):
    client.force_login(learner)

    response = client.post(reverse("accounts:delete"), {"password": "not-my-password"})

    assert response.status_code == 200
    assert "That password is not correct." in response.content.decode()
    assert User.objects.filter(pk=learner.pk).exists()
    assert client.get(reverse("accounts:profile")).status_code == 200


def test_empty_password_gives_a_form_error(client, learner):
    client.force_login(learner)

    response = client.post(reverse("accounts:delete"), {"password": ""})

    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert User.objects.filter(pk=learner.pk).exists()
