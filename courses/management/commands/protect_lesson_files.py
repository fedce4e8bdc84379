"""Operators: move lesson files still in public media (MEDIA_ROOT/lesson-files/) into
protected storage, e.g. files restored after migration 0008 skipped them as missing."""

from django.core.management.base import BaseCommand
from django.db import transaction

from courses.models import Lesson
from courses.storage import protect_public_lesson_files


class Command(BaseCommand):
    help = "Move lesson files left in public media into protected storage (idempotent)."

    def handle(self, *args, **options) -> None:
        with transaction.atomic():
            moved, missing = protect_public_lesson_files(Lesson)
        self.stdout.write(self.style.SUCCESS(f"Moved {moved} lesson file(s) to protected storage."))
        if missing:
            self.stdout.write(
                self.style.WARNING(f"{missing} file(s) are missing from MEDIA_ROOT; see the log.")
            )
