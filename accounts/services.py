"""Writes on accounts: profile updates and deletion."""

import io
import logging

from django.contrib.auth import logout
from django.core.files.base import ContentFile
from django.db import transaction
from django.http import HttpRequest
from PIL import Image, ImageOps

from accounts.models import User

logger = logging.getLogger(__name__)

AVATAR_SIZE = 256


def update_profile(
    *, user: User, display_name: str, bio: str, avatar=None, clear_avatar=False
) -> User:
    user.display_name = display_name.strip()
    user.bio = bio.strip()
    if clear_avatar and user.avatar:
        user.avatar.delete(save=False)
    if avatar is not None and hasattr(avatar, "read"):
        if user.avatar:
            user.avatar.delete(save=False)
        user.avatar.save("avatar.jpg", _square_jpeg(avatar), save=False)
    user.save(update_fields=["display_name", "bio", "avatar"])
    return user


def _square_jpeg(upload) -> ContentFile:
    """Re-encode the upload: strips metadata and any payload hidden after the image data."""
    with Image.open(upload) as image:
        image = ImageOps.exif_transpose(image).convert("RGB")
        image = ImageOps.fit(image, (AVATAR_SIZE, AVATAR_SIZE))
        buffer = io.BytesIO()
        image.save(buffer, format="JPEG", quality=85)
    return ContentFile(buffer.getvalue())


def delete_account(*, request: HttpRequest, user: User) -> None:
    """Remove the person's data. Orders keep an anonymised record for accounting."""
    with transaction.atomic():
        if user.avatar:
            user.avatar.delete(save=False)
        user_id = user.pk
        user.delete()
    logout(request)
    logger.info("account deleted", extra={"user_id": user_id})
