"""Writes on accounts: profile updates, account deletion, verification and welcome emails."""

import io
import logging
from functools import partial

from allauth.account.models import EmailAddress
from allauth.core import ratelimit
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.http import HttpRequest
from PIL import Image, ImageOps

from accounts.models import User
from core.emails import send_templated_email

logger = logging.getLogger(__name__)

AVATAR_SIZE = 256


@transaction.atomic
def update_profile(
    *,
    user: User,
    display_name: str,
    bio: str,
    avatar: UploadedFile | None = None,
    remove_avatar: bool = False,
    section_emails: bool | None = None,
) -> User:
    """Save the public profile; a new avatar is stored re-encoded, the old file removed."""
    old_avatar = user.avatar.name
    user.display_name = display_name.strip()
    user.bio = bio.strip()
    if avatar is not None:
        user.avatar.save("avatar.jpg", _square_jpeg(avatar), save=False)
    elif remove_avatar:
        user.avatar = ""
    if section_emails is not None:
        user.section_emails = section_emails
    user.save(update_fields=["display_name", "bio", "avatar", "section_emails"])
    if old_avatar and old_avatar != user.avatar.name:
        transaction.on_commit(partial(user.avatar.storage.delete, old_avatar))
    return user


def _square_jpeg(upload: UploadedFile) -> ContentFile:
    """Re-encode the upload: strips metadata and any payload hidden after the image data."""
    with Image.open(upload) as image:
        image = ImageOps.exif_transpose(image).convert("RGB")
        image = ImageOps.fit(image, (AVATAR_SIZE, AVATAR_SIZE))
        buffer = io.BytesIO()
        image.save(buffer, format="JPEG", quality=85)
    return ContentFile(buffer.getvalue())


@transaction.atomic
def delete_account(*, user: User) -> None:
    """Remove the person and their personal data (email addresses, authenticators, avatar).

    Rows that reference the user cascade or are anonymised by their own apps' foreign keys.
    The caller logs the session out.
    """
    avatar = user.avatar.name
    storage = user.avatar.storage
    user_id = user.pk
    user.delete()
    if avatar:
        transaction.on_commit(partial(storage.delete, avatar))
    logger.info("account deleted", extra={"user_id": user_id})


def send_welcome_email(*, user: User) -> None:
    """Queue the welcome email sent once a new learner has confirmed their address."""
    send_templated_email(
        to=[user.email], template="welcome", context={"user": user, "site_url": settings.SITE_URL}
    )


def resend_verification_email(*, request: HttpRequest, email: str) -> None:
    """Send a new confirmation link if `email` is an address waiting for one; else nothing.

    The caller answers the same either way, so the form reveals no registered address. The
    limit is allauth's own for verification emails, per address and shared with sign-up, and
    is consumed for unknown addresses too; a refused resend is silent, as the earlier link
    still works.
    """
    if not ratelimit.consume(request, action="confirm_email", key=email.lower()):
        return
    address = (
        EmailAddress.objects.filter(email__iexact=email, verified=False, user__is_active=True)
        .select_related("user")
        .first()
    )
    if address is not None:
        address.send_confirmation(request)
