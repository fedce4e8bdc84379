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
from PIL import Image

TOTP_SECRET = generate_totp_secret()


def current_totp_code(secret: str = TOTP_SECRET) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


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
