"""Reads for the study pages: a course's published announcements, newest first."""

from django.db.models import QuerySet

from courses.models import Course
from learning.models import Announcement, Enrollment

RECENT = 3


def published_announcements(*, course: Course) -> QuerySet[Announcement]:
    return Announcement.objects.filter(course=course, published_at__isnull=False).order_by(
        "-published_at", "-id"
    )


def recent_announcements(*, enrollment: Enrollment | None) -> list[Announcement]:
    """The few newest for the lesson page of an enrolled learner; nothing for anyone else.

    One query, only when there is an active enrollment.
    """
    if enrollment is None or not enrollment.is_active:
        return []
    return list(
        Announcement.objects.filter(
            course_id=enrollment.course_id, published_at__isnull=False
        ).order_by("-published_at", "-id")[:RECENT]
    )
