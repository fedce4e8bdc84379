"""Fixtures for the account tests: a learner with an authenticator app, images to upload."""

import io
import time

import pytest
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
)
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from tests.factories import DEFAULT_PASSWORD

TOTP_SECRET = generate_totp_secret()


def current_totp_code(secret: str = TOTP_SECRET) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


@pytest.fixture
def logged_in(client, learner):
    """The learner logged in through the form: allauth records when the password was typed,
    which spares a password prompt before email changes for a few minutes (force_login does
    not)."""
    response = client.post(
        reverse("account_login"), {"login": learner.email, "password": DEFAULT_PASSWORD}
    )
    assert response.status_code == 302
    return client


@pytest.fixture
def totp_learner(learner):
    """The learner with an authenticator app and recovery codes, made through allauth.mfa."""
    TOTP.activate(learner, TOTP_SECRET)
    RecoveryCodes.activate(learner)
    return learner


def image_upload(
    name: str = "me.png", size: tuple[int, int] = (400, 300), fmt: str = "PNG"
) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, (30, 80, 200)).save(buffer, format=fmt)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=f"image/{fmt.lower()}")
