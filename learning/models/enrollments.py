"""Who studies what: enrollments (access and the resume point) and completed lessons.

Both tables were created by courses (wave one) and keep their names, constraints and indexes:
learning/migrations/0001 only moved the models in Django's state.
"""

from django.conf import settings
from django.db import models

from courses.models import Course, Lesson


class Enrollment(models.Model):
    class Source(models.TextChoices):
        FREE = "free", "Free enrolment"
        PURCHASE = "purchase", "Purchase"
        ADMIN = "admin", "Granted by admin"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="enrollments"
    )
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="enrollments")
    source = models.CharField(max_length=20, choices=Source.choices)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_reason = models.CharField(max_length=200, blank=True)
    last_lesson = models.ForeignKey(
        Lesson, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    last_activity_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "courses_enrollment"
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "course"], name="enrollment_unique_user_course"
            ),
        ]
        indexes = [models.Index(fields=["user", "-last_activity_at"], name="enrollment_recent")]

    def __str__(self) -> str:
        return f"{self.user} → {self.course}"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class LessonProgress(models.Model):
    enrollment = models.ForeignKey(Enrollment, on_delete=models.CASCADE, related_name="progress")
    lesson = models.ForeignKey(Lesson, on_delete=models.CASCADE, related_name="+")
    completed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "courses_lessonprogress"
        verbose_name_plural = "lesson progress"
        constraints = [
            models.UniqueConstraint(fields=["enrollment", "lesson"], name="progress_unique_lesson"),
        ]

    def __str__(self) -> str:
        return f"{self.enrollment} · {self.lesson_id}"
