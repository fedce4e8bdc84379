"""Announcements staff send to a course's learners, and who has been emailed each one."""

from django.conf import settings
from django.db import models

from courses.models import Course


class Announcement(models.Model):
    """A message to everyone enrolled in a course; a draft until it is published (and emailed)."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="announcements")
    title = models.CharField(max_length=200)
    body = models.TextField(help_text="Markdown.")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-published_at", "-id"]
        indexes = [
            # The study pages list a course's published announcements, newest first.
            models.Index(fields=["course", "-published_at"], name="announcement_course_recent"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_published(self) -> bool:
        return self.published_at is not None


class AnnouncementDelivery(models.Model):
    """One learner to email one announcement; sent_at is the marker that makes a retry safe."""

    announcement = models.ForeignKey(
        Announcement, on_delete=models.CASCADE, related_name="deliveries"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name_plural = "announcement deliveries"
        constraints = [
            models.UniqueConstraint(
                fields=["announcement", "user"], name="announcement_delivery_unique_user"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.announcement_id} → {self.user_id}"


class CourseAnalytics(Course):
    """No data of its own: gives the seller's analytics pages their place and permission in the
    admin ("Learning: Course analytics"), next to announcements."""

    class Meta:
        proxy = True
        verbose_name = "course analytics"
        verbose_name_plural = "course analytics"
