"""Writes on who may study what, and on a learner's progress.

Enrollment.last_lesson is the resume point: the lesson last opened, or the one after a lesson
just completed, so "Continue learning" takes the learner to what comes next. The course's
enrollment_count is the catalog's, kept through courses.services.change_enrollment_count.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from accounts.models import User
from courses.models import Course, Lesson
from courses.services import change_enrollment_count
from learning.certificates.services import (
    restore_certificates,
    revoke_certificates,
    schedule_certificate,
)
from learning.models import Enrollment, LessonProgress
from learning.prerequisites import check_prerequisite
from learning.quizzes.rules import check_graded_quiz_passed


@transaction.atomic
def enroll(*, user: User, course: Course, source: str) -> Enrollment:
    """Give the user access to the course; idempotent, and restores a revoked enrollment."""
    # A payment already taken is honoured even if the course was unpublished meanwhile.
    if not course.is_published and source == Enrollment.Source.FREE:
        raise ValidationError("This course is not open for enrolment.")
    if source == Enrollment.Source.FREE and not course.is_free:
        raise ValidationError("This course is paid: buy it to enrol.")
    if source == Enrollment.Source.FREE:
        # Purchases check it before checkout; a payment taken or a staff grant is honoured.
        check_prerequisite(user=user, course=course)
    enrollment, created = Enrollment.objects.select_for_update().get_or_create(
        user=user, course=course, defaults={"source": source}
    )
    if created:
        change_enrollment_count(course_ids=[course.pk], by=1)
    elif enrollment.revoked_at is not None:
        enrollment.revoked_at = None
        enrollment.revoked_reason = ""
        enrollment.source = source
        enrollment.save(update_fields=["revoked_at", "revoked_reason", "source"])
        change_enrollment_count(course_ids=[course.pk], by=1)
        restore_certificates(user=user, course=course)
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
    change_enrollment_count(course_ids=[course.pk], by=-1)
    revoke_certificates(user=user, course=course)
    return enrollment


def _check_study(enrollment: Enrollment, lesson: Lesson) -> None:
    if lesson.course_id != enrollment.course_id:
        raise ValidationError("This lesson is not part of the course.")
    if not enrollment.is_active:
        raise ValidationError("Your access to this course has ended.")


def _lesson_after(lesson: Lesson) -> Lesson | None:
    """The lesson that follows in the course's order (sections, then lessons), or None."""
    later = Lesson.objects.filter(course_id=lesson.course_id).filter(
        Q(section__position__gt=lesson.section.position)
        | Q(section_id=lesson.section_id, position__gt=lesson.position)
        | Q(section_id=lesson.section_id, position=lesson.position, id__gt=lesson.id)
    )
    return later.order_by("section__position", "section_id", "position", "id").first()


@transaction.atomic
def complete_lesson(*, enrollment: Enrollment, lesson: Lesson) -> LessonProgress:
    """Mark a lesson done (idempotent) and move the resume point on to the lesson after it.

    Every path that completes a lesson (manual, a passed quiz, a solved exercise, a watched
    video) comes through here, so here the certificate is asked for once the course is done.
    """
    _check_study(enrollment, lesson)
    check_graded_quiz_passed(enrollment=enrollment, lesson=lesson)
    progress, _ = LessonProgress.objects.get_or_create(enrollment=enrollment, lesson=lesson)
    enrollment.last_lesson = _lesson_after(lesson) or lesson
    enrollment.last_activity_at = timezone.now()
    enrollment.save(update_fields=["last_lesson", "last_activity_at"])
    schedule_certificate(enrollment=enrollment)
    return progress


GRADED_KINDS = (Lesson.Kind.QUIZ, Lesson.Kind.EXERCISE)


@transaction.atomic
def mark_lesson_done(*, enrollment: Enrollment, lesson: Lesson) -> LessonProgress:
    """The learner's own "Mark complete": refused for graded lessons, which only passing
    completes."""
    if lesson.kind in GRADED_KINDS:
        raise ValidationError("This lesson is completed by passing it, not by marking it done.")
    return complete_lesson(enrollment=enrollment, lesson=lesson)


@transaction.atomic
def uncomplete_lesson(*, enrollment: Enrollment, lesson: Lesson) -> None:
    """Undo a completion; the resume point comes back to this lesson."""
    _check_study(enrollment, lesson)
    LessonProgress.objects.filter(enrollment=enrollment, lesson=lesson).delete()
    enrollment.last_lesson = lesson
    enrollment.last_activity_at = timezone.now()
    enrollment.save(update_fields=["last_lesson", "last_activity_at"])


@transaction.atomic
def record_lesson_visit(*, enrollment: Enrollment, lesson: Lesson) -> None:
    """Remember the lesson just opened as the place to resume."""
    _check_study(enrollment, lesson)
    now = timezone.now()
    Enrollment.objects.filter(pk=enrollment.pk).update(last_lesson=lesson, last_activity_at=now)
    enrollment.last_lesson = lesson
    enrollment.last_activity_at = now


@transaction.atomic
def forget_learner(*, user: User) -> None:
    """Before an account is deleted: its active enrollments leave the courses' counts.

    Called by pages.services.delete_account before the user row goes; the cascade then removes
    the enrollments and progress rows.
    """
    active = Enrollment.objects.filter(user=user, revoked_at__isnull=True)
    change_enrollment_count(course_ids=list(active.values_list("course_id", flat=True)), by=-1)
