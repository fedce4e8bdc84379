"""A learner's private notes on lessons (optionally at a moment of the video) and bookmarks."""

from django.conf import settings
from django.db import models

from courses.models import Course, Lesson

NOTE_MAX_LENGTH = 10000


def format_seconds(seconds: int) -> str:
    """75 -> "01:15"; an hour or more -> "1:02:03"."""
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes:02d}:{secs:02d}"


class Note(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="lesson_notes"
    )
    # Copied from the lesson (save) so "My notes" of a course reads one indexed column.
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="+")
    lesson = models.ForeignKey(Lesson, on_delete=models.CASCADE, related_name="notes")
    body = models.TextField(max_length=NOTE_MAX_LENGTH, help_text="Markdown.")
    video_seconds = models.PositiveIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["user", "course"], name="note_user_course")]

    def __str__(self) -> str:
        return f"Note {self.pk} by {self.user_id} on lesson {self.lesson_id}"

    def save(self, *args, **kwargs) -> None:
        self.course_id = self.lesson.course_id
        super().save(*args, **kwargs)

    @property
    def time_label(self) -> str | None:
        return None if self.video_seconds is None else format_seconds(self.video_seconds)


class Bookmark(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="lesson_bookmarks"
    )
    lesson = models.ForeignKey(Lesson, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["user", "lesson"], name="bookmark_once"),
        ]

    def __str__(self) -> str:
        return f"Bookmark of lesson {self.lesson_id} by {self.user_id}"
