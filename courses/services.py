"""Writes on the catalog that other apps make through services rather than by touching rows."""

from django.db import transaction
from django.db.models import F

from courses.caching import bump_catalog_version
from courses.models import Course


@transaction.atomic
def change_enrollment_count(*, course_ids: list[int], by: int) -> None:
    """Move the stored enrolment count of each course by `by` (never below zero).

    learning.services calls this in the same transaction as the enrollment it creates,
    revokes or forgets; the count orders "Most popular" without counting rows.
    """
    courses = Course.objects.filter(pk__in=course_ids)
    if by < 0:
        courses = courses.filter(enrollment_count__gte=-by)
    # No cache bump here: the enrollment row saved alongside bumps the catalog generation
    # (learning.signals), and the count alone never changes search results.
    courses.update(enrollment_count=F("enrollment_count") + by)


@transaction.atomic
def set_course_rating(*, course_id: int, average, count: int) -> None:
    """Store a course's rating summary; ratings calls this in the same transaction as a change."""
    Course.objects.filter(pk=course_id).update(rating_average=average, rating_count=count)
    # A bulk update sends no signal: cached catalog pages must learn of the new stars.
    transaction.on_commit(bump_catalog_version)
