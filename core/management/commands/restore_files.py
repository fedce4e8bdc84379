"""Put uploaded files back from a file backup, verifying every SHA-256.

    manage.py restore_files                          # newest snapshot, into MEDIA_ROOT etc.
    manage.py restore_files --at 2026-03-01T09:55Z   # newest snapshot taken at or before then
    manage.py restore_files --manifest PATH --media-root /tmp/m --protected-root /tmp/p
    manage.py restore_files --verify-only            # compare the live folders with a snapshot

Files uploaded after the snapshot are removed (--keep-newer keeps them), so the folders match
the database restored to the same point in time.
"""

from datetime import UTC, datetime
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core.backups.files import BackupError, compare, find_manifest, load_manifest, restore_snapshot
from core.management.commands._backup_roots import backup_dir, upload_roots


def _time(value: str) -> datetime:
    moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


class Command(BaseCommand):
    help = "Restore uploaded files from a snapshot and verify their SHA-256 checksums."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--dest", type=Path, help="Backup folder (default FILE_BACKUP_DIR).")
        which = parser.add_mutually_exclusive_group()
        which.add_argument("--manifest", type=Path, help="A manifest file to restore.")
        which.add_argument("--at", type=_time, help="ISO time: newest snapshot at or before it.")
        parser.add_argument("--media-root", type=Path, help="Restore public uploads here.")
        parser.add_argument("--protected-root", type=Path, help="Restore lesson files here.")
        parser.add_argument("--keep-newer", action="store_true", help="Keep files not in it.")
        parser.add_argument(
            "--verify-only", action="store_true", help="Only compare the folders with it."
        )

    def handle(self, *args, **options) -> None:
        dest = options["dest"] or backup_dir()
        targets = upload_roots()
        if options["media_root"]:
            targets["media"] = options["media_root"]
        if options["protected_root"]:
            targets["protected"] = options["protected_root"]
        try:
            manifest = options["manifest"] or find_manifest(dest, at=options["at"])
            if options["verify_only"]:
                _, roots = load_manifest(manifest)
                problems = [
                    f"{name}: {problem}"
                    for name, target in targets.items()
                    for problem in compare(roots.get(name, {}), target)
                ]
                if problems:
                    raise BackupError("Differs from backup:\n  " + "\n  ".join(problems))
                self.stdout.write(self.style.SUCCESS(f"Files match {manifest}"))
                return
            count = restore_snapshot(
                manifest=manifest, dest=dest, targets=targets, prune=not options["keep_newer"]
            )
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            self.style.SUCCESS(f"{count} files restored and verified from {manifest}")
        )
