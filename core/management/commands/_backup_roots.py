"""Which folders of uploads the file backups cover, and where the backups go."""

import os
from pathlib import Path

from django.conf import settings


def protected_media_root() -> Path:
    """Paid lesson files; until PROTECTED_MEDIA_ROOT is a setting everywhere, its environment
    variable and then the documented default (var/protected) stand in for it."""
    configured = getattr(settings, "PROTECTED_MEDIA_ROOT", None) or os.environ.get(
        "PROTECTED_MEDIA_ROOT"
    )
    return Path(configured or settings.BASE_DIR / "var" / "protected")


def upload_roots() -> dict[str, Path]:
    """Public uploads (covers, avatars) and paid lesson files, by the names manifests use."""
    return {"media": Path(settings.MEDIA_ROOT), "protected": protected_media_root()}


def backup_dir() -> Path:
    return Path(settings.FILE_BACKUP_DIR)
