"""Writes on the catalog and on who may study what."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from accounts.models import User
from courses.models import Course, Enrollment


@transaction.atomic
def enroll(*, user: User, course: Course, source: str) -> Enrollment:
    """Give the user access to the course; idempotent, and restores a revoked enrollment."""
    if not course.is_published and source != Enrollment.Source.ADMIN:
        raise ValidationError("This course is not open for enrolment.")
    if source == Enrollment.Source.FREE and not course.is_free:
        raise ValidationError("This course is paid: buy it to enrol.")
    enrollment, created = Enrollment.objects.select_for_update().get_or_create(
        user=user, course=course, defaults={"source": source}
    )
    if created:
        Course.objects.filter(pk=course.pk).update(enrollment_count=F("enrollment_count") + 1)
    elif enrollment.revoked_at is not None:
        enrollment.revoked_at = None
        enrollment.revoked_reason = ""
        enrollment.source = source
        enrollment.save(update_fields=["revoked_at", "revoked_reason", "source"])
        Course.objects.filter(pk=course.pk).update(enrollment_count=F("enrollment_count") + 1)
    return enrollment


@transaction.atomic
def revoke_enrollment(*, user: User, course: Course, reason: str) -> Enrollment | None:
    """Take access away (refund, lost dispute, support); progress is kept for a later return."""
    enrollment = Enrollment.objects.select_for_update().filter(user=user, course=course).first()
    if enrollment is None or enrollment.revoked_at is not None:
        return enrollment
    enrollment.revoked_at = timezone.now()
    enrollment.revoked_reason = reason[:200]
    enrollment.save(update_fields=["revoked_at", "revoked_reason"])
    Course.objects.filter(pk=course.pk, enrollment_count__gt=0).update(
        enrollment_count=F("enrollment_count") - 1
    )
    return enrollment


@transaction.atomic
def set_course_rating(*, course_id: int, average, count: int) -> None:
    """Store a course's rating summary; ratings calls this in the same transaction as a change."""
    Course.objects.filter(pk=course_id).update(rating_average=average, rating_count=count)
