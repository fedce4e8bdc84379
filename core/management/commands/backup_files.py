"""Snapshot the uploaded files: content-addressed copies plus a SHA-256 manifest.

manage.py backup_files                 # into FILE_BACKUP_DIR (default var/file-backups)
manage.py backup_files --dest /mnt/backups/files
"""

from pathlib import Path

from django.core.management.base import BaseCommand

from core.backups.files import load_manifest, take_snapshot
from core.management.commands._backup_roots import backup_dir, upload_roots


class Command(BaseCommand):
    help = "Back up MEDIA_ROOT and PROTECTED_MEDIA_ROOT with a SHA-256 manifest."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--dest", type=Path, help="Backup folder (default FILE_BACKUP_DIR).")

    def handle(self, *args, **options) -> None:
        dest = options["dest"] or backup_dir()
        manifest = take_snapshot(roots=upload_roots(), dest=dest)
        _, roots = load_manifest(manifest)
        counts = ", ".join(f"{len(files)} {name}" for name, files in roots.items())
        self.stdout.write(self.style.SUCCESS(f"Files backed up ({counts}): {manifest}"))
