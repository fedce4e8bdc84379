"""Writes on notes and bookmarks. Only the owner ever changes (or sees) a note; writing one
needs access to the course, as studying does."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from accounts.models import User
from courses.models import Lesson
from learning.models import Bookmark, Note
from learning.models.notes import NOTE_MAX_LENGTH
from learning.notes.selectors import may_study


def _clean(body: str) -> str:
    body = (body or "").strip()
    if not body:
        raise ValidationError("Write something in your note.")
    if len(body) > NOTE_MAX_LENGTH:
        raise ValidationError(f"A note can be at most {NOTE_MAX_LENGTH} characters long.")
    return body


def _check_study(user: User, lesson: Lesson) -> None:
    if not may_study(user=user, course=lesson.course):
        raise PermissionDenied("You do not have access to this course.")


@transaction.atomic
def add_note(*, user: User, lesson: Lesson, body: str, video_seconds: int | None = None) -> Note:
    _check_study(user, lesson)
    if video_seconds is not None and video_seconds < 0:
        raise ValidationError("The video time cannot be negative.")
    return Note.objects.create(
        user=user, lesson=lesson, body=_clean(body), video_seconds=video_seconds
    )


@transaction.atomic
def edit_note(*, note: Note, user: User, body: str, video_seconds: int | None) -> Note:
    if note.user_id != user.pk:
        raise PermissionDenied("You can only change your own notes.")
    note.body = _clean(body)
    note.video_seconds = video_seconds
    note.save(update_fields=["body", "video_seconds", "updated_at"])
    return note


@transaction.atomic
def delete_note(*, note: Note, user: User) -> None:
    if note.user_id != user.pk:
        raise PermissionDenied("You can only delete your own notes.")
    note.delete()


@transaction.atomic
def toggle_bookmark(*, user: User, lesson: Lesson) -> bool:
    """Bookmark the lesson, or remove the bookmark; returns whether it is now bookmarked."""
    _check_study(user, lesson)
    deleted, _ = Bookmark.objects.filter(user=user, lesson=lesson).delete()
    if deleted:
        return False
    Bookmark.objects.get_or_create(user=user, lesson=lesson)
    return True
