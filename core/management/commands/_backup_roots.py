"""Which folders of uploads the file backups cover, and where the backups go."""

from pathlib import Path

from django.conf import settings


def upload_roots() -> dict[str, Path]:
    """Public uploads (covers, avatars) and paid lesson files, by the name manifests use."""
    protected = getattr(settings, "PROTECTED_MEDIA_ROOT", None) or (
        settings.BASE_DIR / "var" / "protected"
    )
    return {"media": Path(settings.MEDIA_ROOT), "protected": Path(protected)}


def backup_dir() -> Path:
    return Path(
        getattr(settings, "FILE_BACKUP_DIR", "") or settings.BASE_DIR / "var" / "file-backups"
    )
