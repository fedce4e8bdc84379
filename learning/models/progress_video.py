"""Where a learner stopped in each lesson video, so the player starts there next time."""

from django.db import models
from django.db.models import Q

from courses.models import Lesson
from learning.models.enrollments import Enrollment


class VideoPosition(models.Model):
    enrollment = models.ForeignKey(
        Enrollment, on_delete=models.CASCADE, related_name="video_positions"
    )
    lesson = models.ForeignKey(Lesson, on_delete=models.CASCADE, related_name="+")
    # Seconds, as the players report them (fractions included).
    position_seconds = models.FloatField()
    duration_seconds = models.FloatField()
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["enrollment", "lesson"], name="video_position_unique_lesson"
            ),
            models.CheckConstraint(
                condition=Q(position_seconds__gte=0) & Q(duration_seconds__gt=0),
                name="video_position_in_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.enrollment} · {self.lesson_id} @ {self.position_seconds:.0f}s"
