"""Where paid lesson files are kept: their own folder (PROTECTED_MEDIA_ROOT, never under
MEDIA_ROOT), stored under an unguessable name, reachable only through learning:lesson_file."""

import contextlib
import logging
import os
import posixpath
import secrets
from functools import partial
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.core.files.storage import FileSystemStorage
from django.db import models, transaction
from django.db.models.fields.files import FieldFile
from django.urls import reverse

logger = logging.getLogger(__name__)

# Stored names are lessons/<token>/<original file name>: the token makes the path
# unguessable, the last part is the name the learner gets in Content-Disposition.
LESSON_FILES_DIR = "lessons"
# Where the public upload_to of old put them, under MEDIA_ROOT (moved by migration 0008).
PUBLIC_LESSON_FILES_DIR = "lesson-files"


class ProtectedFileStorage(FileSystemStorage):
    """A file system storage rooted at PROTECTED_MEDIA_ROOT that has no public URL.

    The root is read from settings on every use (not cached at import), so a test's
    settings override and the deployment's environment both apply.
    """

    @property
    def base_location(self) -> str:
        return settings.PROTECTED_MEDIA_ROOT

    @property
    def location(self) -> str:
        return os.path.abspath(self.base_location)

    def url(self, name: str | None) -> str:
        # Nothing may build a link that bypasses the access check.
        raise ValueError("Protected files have no public URL; link to learning:lesson_file.")


protected_storage = ProtectedFileStorage()


def lesson_file_name(instance: models.Model | None, filename: str) -> str:
    """upload_to for Lesson.file: lessons/<random token>/<original name>."""
    return posixpath.join(LESSON_FILES_DIR, secrets.token_urlsafe(24), os.path.basename(filename))


class LessonFieldFile(FieldFile):
    @property
    def url(self) -> str:
        """The access-checked download view (the admin's "Currently:" link uses it)."""
        self._require_file()
        lesson = self.instance
        return reverse("learning:lesson_file", args=[lesson.course.slug, lesson.slug])

    @property
    def original_name(self) -> str:
        return posixpath.basename(self.name or "")


class LessonFileField(models.FileField):
    """A FileField whose .url is the download view rather than a storage URL."""

    attr_class = LessonFieldFile


def protect_public_lesson_files(lesson_model: type[models.Model]) -> tuple[int, int]:
    """Move every lesson file still named as a public upload into protected storage.

    Takes the model so that migration 0008 can pass its historical Lesson. Returns (moved,
    missing on disk); a missing file's row is left as it was, so running this again after
    restoring the file (manage.py protect_lesson_files) still moves it.
    """
    old = (
        lesson_model.objects.exclude(file="")
        .exclude(file__startswith=f"{LESSON_FILES_DIR}/")
        .values_list("pk", "file")
    )
    moved = missing = 0
    for pk, name in list(old):
        new_name = move_public_lesson_file(name)
        if new_name is None:
            missing += 1
            continue
        lesson_model.objects.filter(pk=pk).update(file=new_name)
        moved += 1
    return moved, missing


def move_public_lesson_file(name: str) -> str | None:
    """Copy a file stored at MEDIA_ROOT/<name> into protected storage under a new unguessable
    name and return that name; None if it is not on disk.

    The public copy is deleted only when the surrounding transaction commits, so a failed
    migration leaves every file where its row still points.
    """
    source = Path(settings.MEDIA_ROOT) / name
    if not source.is_file():
        logger.warning("Lesson file %s is missing from MEDIA_ROOT; left as it is.", name)
        return None
    with source.open("rb") as handle:
        new_name = protected_storage.save(lesson_file_name(None, source.name), File(handle))
    transaction.on_commit(partial(_remove_public_copy, source))
    return new_name


def _remove_public_copy(path: Path) -> None:
    path.unlink(missing_ok=True)
    with contextlib.suppress(OSError):  # not empty yet: another lesson's file is still there
        path.parent.rmdir()  # the old lesson-files/ folder, once the last file has gone
