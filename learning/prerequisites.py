"""Course prerequisites: a course may require another to be completed first.

Completed means every lesson of the prerequisite course has a progress row for the learner
(progress survives a revoked enrolment, so a refund does not undo what was learnt). The rule
holds for free enrolment and for starting a checkout; a payment already taken and access
granted by staff (`grant_enrollment`) are honoured regardless.
"""

from django.core.exceptions import ValidationError

from accounts.models import User
from courses.models import Course, Lesson
from learning.models import LessonProgress


def has_completed(*, user: User, course: Course) -> bool:
    """Has the user completed every lesson of the course (two queries)."""
    lesson_ids = set(Lesson.objects.filter(course=course).values_list("id", flat=True))
    if not user.is_authenticated:
        return False
    done = set(
        LessonProgress.objects.filter(
            enrollment__user=user, enrollment__course=course, lesson_id__in=lesson_ids
        ).values_list("lesson_id", flat=True)
    )
    return done == lesson_ids


def missing_prerequisite(*, user: User, course: Course) -> Course | None:
    """The course the user must complete before this one, or None when nothing is missing."""
    required = course.prerequisite
    if required is None or required.pk == course.pk:
        return None
    return None if has_completed(user=user, course=required) else required


def check_prerequisite(*, user: User, course: Course) -> None:
    """Raise a ValidationError a learner can act on if the prerequisite is not completed."""
    required = missing_prerequisite(user=user, course=course)
    if required is not None:
        raise ValidationError(
            f"Complete “{required.title}” first: {course.title} builds on it.",
            code="prerequisite",
        )
