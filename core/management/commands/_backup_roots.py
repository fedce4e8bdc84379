"""Which folders of uploads the file backups cover, and where the backups go."""

from pathlib import Path

from django.conf import settings


def upload_roots() -> dict[str, Path]:
    """Public uploads (covers, avatars) and paid lesson files, by the names manifests use."""
    return {"media": Path(settings.MEDIA_ROOT), "protected": Path(settings.PROTECTED_MEDIA_ROOT)}


def backup_dir() -> Path:
    return Path(settings.FILE_BACKUP_DIR)
